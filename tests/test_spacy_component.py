"""The spaCy component gives the same citations as the string extractor, as doc.spans."""
from spacy import displacy

from pipeline.citations import extract_citations
from pipeline.spacy_component import blank_vietnamese

TEXT = ("Căn cứ Kế hoạch số 224-KH/ThU ngày 27/11/2024 của Thành ủy Lai Châu về thực hiện "
        "Kết luận số 91-KL/TW, ngày 12/8/2024 của Bộ Chính trị; <script>alert(1)</script>")


def test_component_sets_citation_spans_with_fields():
    nlp = blank_vietnamese()
    nlp.add_pipe("directive_citations")
    doc = nlp(TEXT)
    spans = doc.spans["citations"]
    assert [(s.label_, s._.key, s._.relation) for s in spans] == [
        ("KH", "224-KH/ThU", "based_on"), ("KL", "91-KL/TW", "mentions")]
    assert spans[0]._.issuer == "Thành ủy Lai Châu" and spans[1]._.date == "2024-08-12"
    assert [c.key for c in extract_citations(TEXT)[0]] == [s._.key for s in spans]
    assert doc._.citation_relations == [
        {"source": "224-KH/ThU", "relation": "implements", "target": "91-KL/TW",
         "evidence": TEXT[TEXT.index("Kế hoạch"):TEXT.index("; <script>")]}]


def test_displacy_renders_escaped_html():
    nlp = blank_vietnamese()
    nlp.add_pipe("directive_citations")
    html = displacy.render(nlp(TEXT), style="span", options={"spans_key": "citations"})
    assert "224-KH/ThU" in html and "<script>alert" not in html
