"""spaCy wrapper: `nlp.add_pipe("directive_citations")` sets `doc.spans["citations"]`.

The component calls the same `extract_citations` the ingest path uses, on `doc.text`, and maps
character spans to token spans. Each span carries the citation fields as extensions
(`span._.key`, `span._.relation`, `span._.issuer`, `span._.date`, `span._.citation` for the
whole record), so the result renders with displaCy: `displacy.render(doc, style="span",
options={"spans_key": "citations"})`.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .citations import extract_citations

FIELDS = ("key", "type", "number", "year", "date", "issuer", "relation", "title", "term")


def _register_extensions() -> None:
    for name in FIELDS + ("citation",):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Doc.has_extension("citation_relations"):
        Doc.set_extension("citation_relations", default=None)


class DirectiveCitations:
    """Finds citations of other documents; spans labelled with the cited document's type."""

    def __init__(self, spans_key: str = "citations"):
        self.spans_key = spans_key
        _register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        citations, relations, _ = extract_citations(doc.text)
        spans = []
        for c in citations:
            span = doc.char_span(c.start, c.end, label=c.type or "DOC", alignment_mode="expand")
            if span is None:
                continue
            record = c.to_dict()
            for name in FIELDS:
                span._.set(name, record.get(name))
            span._.citation = record
            spans.append(span)
        doc.spans[self.spans_key] = spans
        doc._.citation_relations = [r.to_dict() for r in relations]
        return doc


@Language.factory("directive_citations", default_config={"spans_key": "citations"})
def make_directive_citations(nlp: Language, name: str, spans_key: str) -> DirectiveCitations:
    return DirectiveCitations(spans_key=spans_key)


def blank_vietnamese() -> Language:
    """A Vietnamese pipeline with the rule-based tokenizer (no pyvi, no model download)."""
    import spacy

    return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
