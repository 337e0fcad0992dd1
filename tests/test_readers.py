"""Readers: what each input format yields, and a clear DocumentError for every broken input.

The DOCX and PDF fixtures (tests/fixtures, built by scripts/make_fixtures.py from corpus 004 and
000) carry the same document, so the PDF's repaired paragraphs can be checked against the DOCX's.
"""
from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.shared import Pt

from pipeline.model import DocumentError
from pipeline.normalise import normalise
from pipeline.readers import read
from pipeline.readers.docx import read_docx
from pipeline.readers import pdf as pdf_reader
from pipeline.readers.layout import Line as _Line
from pipeline.readers.pdf import _furniture, read_pdf
from pipeline.readers.text import read_text

FIX = Path(__file__).parent / "fixtures"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def docx_doc():
    return read(FIX / "plan.docx")


@pytest.fixture(scope="module")
def pdf_doc():
    return read(FIX / "plan.pdf")


def _block(doc, prefix, kind=None):
    hits = [b for b in doc.blocks if b.text.startswith(prefix) and (kind is None or b.kind == kind)]
    assert hits, f"no block starts with {prefix!r}"
    return hits[0]


def _lines(text):
    return [text.line_text(ln) for ln in text.lines]


# =========================================================================== dispatch + errors

@pytest.mark.parametrize("name, reason", [
    ("truncated.pdf", "damaged PDF"),
    ("encrypted.pdf", "encrypted PDF (password protected)"),
    ("image_only.pdf", "no text layer: needs OCR (scanned/image-only PDF) (OCR is off"),
    ("stamped_scan.pdf", "text layer holds only a stamp (5 words or fewer per page): image-only "
                         "PDF, needs OCR (OCR is off"),
    ("no_pages.pdf", "empty PDF"),
    ("garbage.pdf", "not a PDF (damaged or wrong extension)"),
    ("truncated.docx", "damaged DOCX (truncated or corrupt zip archive)"),
    ("empty.txt", "empty"),
])
def test_broken_fixture_raises_document_error(name, reason):
    path = FIX / name
    with pytest.raises(DocumentError) as err:
        read(path, ocr="never")  # OCR of scans: tests/test_ocr.py
    assert err.value.path == str(path)
    assert reason in err.value.reason
    assert name in str(err.value)


def _copy(tmp_path, src: str, name: str) -> Path:
    dst = tmp_path / name
    dst.write_bytes((FIX / src).read_bytes())
    return dst


@pytest.mark.parametrize("src, name, reason", [
    ("plan.docx", "plan.pdf", "not a PDF (damaged or wrong extension)"),
    ("plan.pdf", "plan.docx", "not a DOCX (not a zip archive)"),
    ("plan.pdf", "plan.xyz", "unsupported file type '.xyz'"),
    ("plan.pdf", "noextension", "unsupported file type"),
])
def test_wrong_extension_is_named(tmp_path, src, name, reason):
    with pytest.raises(DocumentError) as err:
        read(_copy(tmp_path, src, name))
    assert reason in err.value.reason


def test_extension_is_case_insensitive(tmp_path):
    doc = read(_copy(tmp_path, "plan.pdf", "PLAN.PDF"))
    assert doc.format == "pdf"


def test_missing_file(tmp_path):
    with pytest.raises(DocumentError, match="file not found"):
        read(tmp_path / "absent.docx")


def test_file_size_cap(tmp_path):
    path = _copy(tmp_path, "plan.pdf", "big.pdf")
    with pytest.raises(DocumentError, match="file too large"):
        read(path, max_bytes=10_000)
    assert read(path, max_bytes=10_000_000).format == "pdf"


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def test_docx_zip_bomb_is_refused(tmp_path):
    """Two MB of zeros compress to a few KB: the unpacked size, not the file size, is capped."""
    path = _zip(tmp_path / "bomb.docx", {"word/document.xml": b"\0" * (2 * 1024 * 1024),
                                         "[Content_Types].xml": b"<Types/>"})
    assert path.stat().st_size < 50_000
    with pytest.raises(DocumentError, match="zip bomb"):
        read(path, max_unzipped=1024 * 1024)


def test_zip_that_is_not_word(tmp_path):
    path = _zip(tmp_path / "sheet.docx", {"xl/workbook.xml": b"<workbook/>"})
    with pytest.raises(DocumentError, match="without word/document.xml"):
        read(path)


def test_docx_with_broken_xml(tmp_path):
    with zipfile.ZipFile(FIX / "plan.docx") as z:
        entries = {i.filename: z.read(i.filename) for i in z.infolist()}
    entries["word/document.xml"] = entries["word/document.xml"][:500]
    with pytest.raises(DocumentError, match="damaged DOCX: broken XML"):
        read(_zip(tmp_path / "broken.docx", entries))


def test_legacy_doc_renamed_docx(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(DocumentError, match="OLE file"):
        read(path)


def test_pdf_header_after_leading_junk_is_accepted(tmp_path):
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"\r\n" + (FIX / "plan.pdf").read_bytes())
    assert any("KẾ HOẠCH" == b.text for b in read(path).blocks)


@pytest.mark.parametrize("reader, name, reason", [
    (read_docx, "truncated.docx", "damaged DOCX"),
    (read_pdf, "garbage.pdf", "damaged PDF"),
    (read_docx, "plan.pdf", "DOCX"),
])
def test_readers_called_directly_still_raise_document_error(reader, name, reason):
    """Callers that skip `read()` (and its sniffing) get a DocumentError too, not a traceback."""
    with pytest.raises(DocumentError) as err:
        reader(str(FIX / name))
    assert reason in err.value.reason


# =========================================================================== DOCX

def test_docx_header_table_rows(docx_doc):
    rows = [b for b in docx_doc.blocks if b.kind == "table_row"]
    first, second = rows[0], rows[1]
    assert first.text.split("\t") == ["ỦY BAN NHÂN DÂN THÀNH PHỐ LAI CHÂU",
                                      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"]
    number, place_date = second.text.split("\t")
    assert re.fullmatch(r"Số:\s+/KH-UBND", number)
    assert place_date == "Thành phố Lai Châu, ngày 10 tháng 01 năm 2025"
    assert (first.locator, second.locator) == ({"table": 1, "row": 1}, {"table": 1, "row": 2})
    # the header comes before the body, where it stands in the document
    assert docx_doc.blocks.index(second) < docx_doc.blocks.index(_block(docx_doc, "KẾ HOẠCH"))


@pytest.mark.parametrize("prefix, kind, bold, heading", [
    ("KẾ HOẠCH", "para", True, None),
    ("Triển khai, thực hiện Kế hoạch số 224-KH/ThU", "para", True, None),
    ("I. MỤC ĐÍCH, YÊU CẦU", "heading", True, 1),      # Heading 1 style, bold from the style
    ("II- NHIỆM VỤ, GIẢI PHÁP", "heading", True, 1),
    ("1.1. Tăng cường sự lãnh đạo", "para", True, None),  # bold runs
    ("Căn cứ Kế hoạch số 740/KH-BCSD", "para", False, None),
    ("Tổ chức nghiên cứu, học tập", "para", False, None),
])
def test_docx_paragraph_style(docx_doc, prefix, kind, bold, heading):
    b = _block(docx_doc, prefix)
    assert (b.kind, b.bold, b.heading) == (kind, bold, heading)
    assert set(b.locator) == {"paragraph"}


def test_docx_footnotes_and_inline_markers(docx_doc):
    notes = [b for b in docx_doc.blocks if b.kind == "footnote"]
    assert [(n.marker, n.locator) for n in notes] == [("1", {"footnote": 1}), ("2", {"footnote": 2})]
    assert notes[0].text.startswith("Kế hoạch số 2943/KH-UBND ngày 19/8/2024")
    assert notes[1].text.startswith("Thông tư số 13/2020/TT-BGDĐT")
    assert "giáo dục phổ thông 2018¹ gắn với" in _block(docx_doc, "Tiếp tục triển khai thực hiện").text
    assert "tiêu chuẩn quy định² và" in _block(docx_doc, "Tiếp tục ưu tiên ngân sách").text


def test_docx_signer_table_and_paragraph_numbers(docx_doc):
    last_row = [b for b in docx_doc.blocks if b.kind == "table_row"][-1]
    left, right = last_row.text.split("\t")
    assert left.startswith("Nơi nhận: - Sở Giáo dục và Đào tạo tỉnh;") and left.endswith("- Lưu: VT.")
    assert right.split()[:3] == ["TM.", "ỦY", "BAN"] and right.endswith("Trần Đình Tiến")
    paras = [b.locator["paragraph"] for b in docx_doc.blocks if "paragraph" in b.locator]
    assert paras == list(range(1, len(paras) + 1))


def test_docx_normalised_text_keeps_notes_last(docx_doc):
    lines = _lines(normalise(docx_doc))
    assert lines[-2].startswith("¹ Kế hoạch số 2943/KH-UBND")
    assert lines[-1].startswith("² Thông tư số 13/2020/TT-BGDĐT")


def _docx_bytes(build) -> bytes:
    d = docx.Document()
    build(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _read_built(tmp_path, build, name="t.docx"):
    path = tmp_path / name
    path.write_bytes(_docx_bytes(build))
    return read(path)


def test_docx_table_between_paragraphs_stays_in_place(tmp_path):
    def build(d):
        d.add_paragraph("Đoạn trước bảng")
        t = d.add_table(rows=2, cols=3)
        for r, row in enumerate([["STT", "Nhiệm vụ", "Thời hạn"], ["1", "Rà soát", "Quý I/2025"]]):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
        d.add_paragraph("Đoạn sau bảng")
    doc = _read_built(tmp_path, build)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("para", "Đoạn trước bảng"),
        ("table_row", "STT\tNhiệm vụ\tThời hạn"),
        ("table_row", "1\tRà soát\tQuý I/2025"),
        ("para", "Đoạn sau bảng"),
    ]
    assert doc.blocks[3].locator == {"paragraph": 2}


def test_docx_merged_cells_are_not_repeated(tmp_path):
    def build(d):
        t = d.add_table(rows=1, cols=3)
        t.cell(0, 0).merge(t.cell(0, 1)).text = "Gộp hai ô"
        t.cell(0, 2).text = "Ô ba"
    doc = _read_built(tmp_path, build)
    assert doc.blocks[0].text == "Gộp hai ô\tÔ ba"


@pytest.mark.parametrize("runs, bold", [
    ([("Toàn bộ đậm", True)], True),
    ([("Một phần ", True), ("đậm", False)], False),
    ([("Đậm ", True), ("  ", False)], True),  # blank runs do not count
])
def test_docx_bold_means_all_nonblank_runs(tmp_path, runs, bold):
    def build(d):
        p = d.add_paragraph()
        for text, b in runs:
            p.add_run(text).bold = b
    assert _read_built(tmp_path, build).blocks[0].bold is bold


def test_docx_bold_from_paragraph_style(tmp_path):
    def build(d):
        from docx.enum.style import WD_STYLE_TYPE
        st = d.styles.add_style("Muc", WD_STYLE_TYPE.PARAGRAPH)
        st.font.bold = True
        st.font.size = Pt(13)
        d.add_paragraph("II. NHIỆM VỤ", style="Muc")
        d.add_paragraph("Nội dung")
    doc = _read_built(tmp_path, build)
    assert [(b.text, b.bold) for b in doc.blocks] == [("II. NHIỆM VỤ", True), ("Nội dung", False)]


def test_docx_word_numbering_is_recorded_not_invented(tmp_path):
    def build(d):
        d.add_paragraph("Quán triệt nội dung kế hoạch", style="List Number")
        d.add_paragraph("2. Số đã gõ trong văn bản", style="List Number")
        d.add_paragraph("Đoạn thường")
    doc = _read_built(tmp_path, build)
    assert [b.text for b in doc.blocks][0] == "Quán triệt nội dung kế hoạch"
    assert [n["paragraph"] for n in doc.meta["numbered"]] == [1]


def test_docx_hyperlinks_kept_deleted_text_dropped(tmp_path):
    def build(d):
        p = d.add_paragraph("Xem ")
        p._p.append(parse_xml(
            f'<w:hyperlink xmlns:w="{W_NS}"><w:r><w:t>Cổng thông tin</w:t></w:r></w:hyperlink>'))
        p._p.append(parse_xml(
            f'<w:del xmlns:w="{W_NS}" w:id="1" w:author="a"><w:r><w:delText>bỏ đi</w:delText>'
            f'</w:r></w:del>'))
        p.add_run(" tỉnh")
    assert _read_built(tmp_path, build).blocks[0].text == "Xem Cổng thông tin tỉnh"


def test_docx_endnotes_numbered_after_footnotes(tmp_path):
    """Word numbers footnotes and endnotes apart; markers here stay unique in one text."""
    from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    def note_part(d, kind, nid, text):
        xml = (f'<w:{kind}s xmlns:w="{W_NS}"><w:{kind} w:id="{nid}"><w:p><w:r><w:{kind}Ref/>'
               f'</w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{kind}></w:{kind}s>')
        ct = CT.WML_FOOTNOTES if kind == "footnote" else CT.WML_ENDNOTES
        rt = RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES
        d.part.relate_to(Part(PackURI(f"/word/{kind}s.xml"), ct, xml.encode(), d.part.package), rt)

    def build(d):
        p = d.add_paragraph("Căn cứ Luật Giáo dục")
        for kind, nid in (("endnote", 3), ("footnote", 7)):
            p._p.append(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:{kind}Reference w:id="{nid}"/></w:r>'))
        note_part(d, "endnote", 3, "Luật số 43/2019/QH14.")
        note_part(d, "footnote", 7, "Sửa đổi năm 2022.")
    doc = _read_built(tmp_path, build)
    assert doc.blocks[0].text == "Căn cứ Luật Giáo dục²¹"
    assert [(b.marker, b.locator, b.text) for b in doc.blocks[1:]] == [
        ("1", {"footnote": 1}, "Sửa đổi năm 2022."),
        ("2", {"endnote": 1}, "Luật số 43/2019/QH14."),
    ]


def test_docx_without_text(tmp_path):
    with pytest.raises(DocumentError, match="empty document"):
        _read_built(tmp_path, lambda d: d.add_paragraph("   "))


# =========================================================================== PDF

def test_pdf_lines_keep_page_and_line(pdf_doc):
    assert pdf_doc.format == "pdf" and pdf_doc.meta["hard_wrapped"] is True
    assert pdf_doc.meta["pages"] == 3
    for b in pdf_doc.blocks:
        assert set(b.locator) == {"page", "line"}
    body_pages = [b.locator["page"] for b in pdf_doc.blocks if b.kind != "footnote"]
    assert body_pages == sorted(body_pages) and set(body_pages) == {1, 2, 3}


def test_pdf_two_column_header_becomes_rows(pdf_doc):
    rows = [b.text.split("\t") for b in pdf_doc.blocks if b.locator["page"] == 1
            and b.kind == "table_row"]
    assert rows == [
        ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["THÀNH PHỐ LAI CHÂU", "Độc lập - Tự do - Hạnh phúc"],
        ["Số: /KH-UBND", "Thành phố Lai Châu, ngày 10 tháng 01 năm 2025"],
    ]


@pytest.mark.parametrize("prefix, bold, indent", [
    ("KẾ HOẠCH", True, True),                         # centred
    ("I. MỤC ĐÍCH, YÊU CẦU", True, True),
    ("1.1. Tăng cường sự lãnh đạo", True, True),
    ("sự quản lý của chính quyền các cấp", True, False),  # heading's second line
    ("Căn cứ Kế hoạch số 740/KH-BCSD", False, True),   # first-line indent
    ("sự đảng UBND tỉnh Lai Châu", False, False),      # its next line, at the margin
])
def test_pdf_bold_and_indent(pdf_doc, prefix, bold, indent):
    b = _block(pdf_doc, prefix, kind="para")
    assert (b.bold, b.indent) == (bold, indent)


def test_pdf_page_numbers_dropped(pdf_doc):
    assert not [b for b in pdf_doc.blocks if re.fullmatch(r"\d{1,3}", b.text.strip())]
    # pages 2 and 3 open with their number on line 1; the text starts on line 2
    for page in (2, 3):
        first = min(b.locator["line"] for b in pdf_doc.blocks if b.locator["page"] == page)
        assert first == 2


def _fake_line(text: str, number: int) -> _Line:
    ln = _Line(0.0, 10.0, number=number)
    ln.segments = [text]
    return ln


def test_page_furniture_numbers_and_running_headers():
    """Page numbers alone on a page's first or last line go, and so does a line that repeats
    (digits aside) at the top of most pages; text that merely starts with a number stays."""
    pages = []
    for p in range(1, 5):
        pages.append([_fake_line(f"KH số 12/KH-UBND - trang {p}", 1),
                      _fake_line("Nội dung" if p > 1 else "KẾ HOẠCH", 2),
                      _fake_line(f"{p} điều Bác Hồ dạy" if p == 2 else f"- {p} -", 3)])
    drop = _furniture(pages)
    assert {(p, 1) for p in range(1, 5)} <= drop             # running header on every page
    assert {(1, 3), (3, 3), (4, 3)} <= drop                  # "- 1 -", "- 3 -", ...
    assert (2, 3) not in drop and (1, 2) not in drop


def test_pdf_footnotes_at_page_bottom(pdf_doc):
    notes = [b for b in pdf_doc.blocks if b.kind == "footnote"]
    markers = [(n.marker, n.locator["page"]) for n in notes if n.marker]
    assert markers == [("1", 2), ("2", 3)]
    assert notes[0].text.startswith("Kế hoạch số 2943/KH-UBND")
    assert any(n.marker is None for n in notes)  # wrapped footnote lines
    assert "Chương trình giáo dục phổ thông 2018¹" in " ".join(b.text for b in pdf_doc.blocks)


def test_pdf_signer_block_columns(pdf_doc):
    rows = [b.text.split("\t") for b in pdf_doc.blocks if b.locator["page"] == 3
            and b.kind == "table_row"]
    assert rows[0] == ["Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"]
    assert [r[1] for r in rows[1:3]] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_pdf_paragraphs_repaired_like_the_docx(pdf_doc, docx_doc):
    """Every paragraph and footnote of the DOCX comes out of the PDF as one identical line."""
    pdf_lines = _lines(normalise(pdf_doc))
    d = normalise(docx_doc)
    expected = [d.line_text(ln) for ln in d.lines if ln.kind != "table_row"]
    assert len(expected) == 21
    missing = [e[:60] for e in expected if e not in pdf_lines]
    assert missing == []


@pytest.mark.parametrize("line", [
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1.4. Đổi mới, nâng cao chất lượng giáo dục và đào tạo",
    "1. Nhiệm vụ, giải pháp chung",
    "- Lưu: VT.",
    "Trần Đình Tiến",
])
def test_pdf_heading_on_its_own_line(pdf_doc, line):
    assert line in _lines(normalise(pdf_doc))


def test_pdf_numbers_broken_across_lines_are_rejoined(pdf_doc):
    paras = [b for b in pdf_doc.blocks if b.kind == "para"]
    broken = [(a, b) for a, b in zip(paras, paras[1:])
              if re.search(r"\S*[\dA-ZĐ][-/]$", a.text) and b.text[:1].isalnum()]
    assert len(broken) >= 2  # the fixture breaks "91-" | "KL/TW" and "04/11/" | "2013"
    text = normalise(pdf_doc).text
    for a, b in broken:
        head, tail = a.text.split()[-1], b.text.split()[0]
        assert head + tail in text
        assert f"{head} {tail}" not in text


def test_pdf_paragraph_runs_over_page_break(pdf_doc):
    t = normalise(pdf_doc)
    start = _block(pdf_doc, "2. Các cơ quan, đơn vị, nhất là")
    line = next(ln for ln in t.lines if t.line_text(ln).startswith("2. Các cơ quan, đơn vị"))
    assert t.line_text(line).endswith("trong điều kiện kinh tế thị trường định hướng xã hội chủ "
                                      "nghĩa và hội nhập quốc tế.")
    offset = t.text.index("thị trường định hướng xã hội chủ nghĩa và hội nhập quốc tế.")
    assert t.locate(offset) == start.locator == {"page": 1, "line": start.locator["line"]}


def test_pdf_chars_and_rules_equal_pdfplumbers_objects():
    """The reader walks pdfminer's layout itself; its characters and rule tops are exactly
    pdfplumber's `page.chars` / horizontal `page.edges`, in the same order."""
    import pdfplumber

    keys = ["text", "x0", "x1", "top", "bottom", "size", "upright", "fontname"]
    with pdfplumber.open(FIX / "plan.pdf") as pdf:
        for page in pdf.pages:
            want = [{k: c[k] for k in keys} for c in page.chars if c["upright"] and c["text"]]
            rules = [e["top"] for e in page.edges if e["orientation"] == "h"]
            assert repr(pdf_reader._page_chars(page)) == repr(want)
            assert repr(pdf_reader._rules(page)) == repr(rules)


def test_pdf_space_placement_equals_a_scan_of_every_line():
    import random

    def scan(spaces, lines):
        for ch in spaces:
            best = max(lines, key=lambda ln: pdf_reader._overlap(ch["top"], ch["bottom"], ln))
            if pdf_reader._overlap(ch["top"], ch["bottom"], best) > 0:
                best.chars.append(ch)

    rnd = random.Random(7)
    for _ in range(300):
        tops = sorted(rnd.choice([rnd.uniform(0, 100), float(rnd.randint(0, 20) * 5)])
                      for _ in range(rnd.randint(1, 12)))
        bands = [(t, t + rnd.choice([0.0, 2.0, 5.0, 10.0, rnd.uniform(0, 30)])) for t in tops]
        spaces = []
        for _ in range(rnd.randint(1, 30)):
            t = rnd.choice([rnd.uniform(-5, 110), float(rnd.randint(0, 22) * 5)])
            spaces.append({"top": t, "bottom": t + rnd.choice([0.0, 5.0, rnd.uniform(0, 15)])})
        if rnd.random() < 0.05:
            spaces[0]["top"] = float("nan")
        got = [_Line(t, b) for t, b in bands]
        want = [_Line(t, b) for t, b in bands]
        pdf_reader._place_spaces(spaces, got)
        scan(spaces, want)
        assert [[id(c) for c in ln.chars] for ln in got] == [[id(c) for c in ln.chars]
                                                             for ln in want]


# =========================================================================== text / Markdown

@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8 + "Số: 12/KH-UBND\nKẾ HOẠCH".encode("utf-8"),
    codecs.BOM_UTF16_LE + "Số: 12/KH-UBND\nKẾ HOẠCH".encode("utf-16-le"),
    codecs.BOM_UTF16_BE + "Số: 12/KH-UBND\nKẾ HOẠCH".encode("utf-16-be"),
])
def test_text_byte_order_marks(data):
    doc = read_text("x.txt", data)
    assert [b.text for b in doc.blocks] == ["Số: 12/KH-UBND", "KẾ HOẠCH"]


def test_text_invalid_utf8_names_the_offset(tmp_path):
    path = tmp_path / "tcvn3.txt"
    path.write_bytes(b"Ke hoach \xc3\x28 so 12")
    with pytest.raises(DocumentError) as err:
        read(path)
    assert "offset 9" in err.value.reason and "0xc3" in err.value.reason


def test_markdown_markup_is_understood_not_copied():
    md = ("## **II. NHIỆM VỤ, GIẢI PHÁP**\n\n"
          "**1. Nhiệm vụ chung**\n\n"
          "Chương trình giáo dục phổ thông 2018<sup>1</sup> gắn với thực tiễn.\n\n"
          "| STT | Nhiệm vụ |\n|---|---|\n| 1 | Rà soát |\n\n"
          "<sup>1</sup> Kế hoạch số 2943/KH-UBND ngày 19/8/2024.\n")
    doc = read_text("x.md", md.encode())
    got = [(b.kind, b.text, b.bold, b.heading, b.marker) for b in doc.blocks]
    assert got == [
        ("heading", "II. NHIỆM VỤ, GIẢI PHÁP", True, 2, None),
        ("para", "1. Nhiệm vụ chung", True, None, None),
        ("para", "Chương trình giáo dục phổ thông 2018¹ gắn với thực tiễn.", False, None, None),
        ("table_row", "STT\tNhiệm vụ", False, None, None),
        ("table_row", "1\tRà soát", False, None, None),
        ("footnote", "Kế hoạch số 2943/KH-UBND ngày 19/8/2024.", False, None, "1"),
    ]
    text = normalise(doc).text
    for markup in ("**", "<sup>", "|", "#", "---"):
        assert markup not in text


def test_text_and_markdown_dispatch(tmp_path):
    (tmp_path / "a.txt").write_text("Kế hoạch số 12/KH-UBND\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Kế hoạch\n", encoding="utf-8")
    assert read(tmp_path / "a.txt").format == "text"
    assert read(tmp_path / "b.md").format == "markdown"


# =========================================================================== wrapped bold, tables

# pages hard-wrapped every ~80 characters, no blank lines between paragraphs (a legal-text site)
_WRAP_BODY = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025 và các văn\n"
              "bản hướng dẫn thi hành Luật này về tổ chức bộ máy của Ủy ban nhân dân các\n"
              "cấp trên địa bàn tỉnh, thành phố trực thuộc trung ương và các đơn vị hành\n"
              "chính khác có liên quan đến việc công bố thủ tục hành chính trong lĩnh\n"
              "vực đấu thầu thuộc phạm vi chức năng quản lý của Bộ Tài chính và các cơ\n"
              "quan ngang bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân các tỉnh, thành\n"
              "phố trực thuộc trung ương theo quy định của pháp luật hiện hành và các\n"
              "văn bản sửa đổi, bổ sung có liên quan;\n")


@pytest.mark.parametrize("src, expected", [
    # a bold heading span closed on a later line: one line, bold
    ("**Điều 6. Tổ chức giảng dạy và\nđánh giá kết quả bồi dưỡng**\n",
     [("Điều 6. Tổ chức giảng dạy và đánh giá kết quả bồi dưỡng", True)]),
    ("**Điều 2.\nHiệu lực thi hành**\nQuyết định này có hiệu lực kể từ ngày ký.\n",
     [("Điều 2. Hiệu lực thi hành", True), ("Quyết định này có hiệu lực kể từ ngày ký.", False)]),
    ("**Điều\n3. Về đăng ký kết hôn**\n", [("Điều 3. Về đăng ký kết hôn", True)]),
    ("**A. DANH MỤC THỦ TỤC ĐƯỢC SỬA ĐỔI, BỔ\nSUNG**\n",
     [("A. DANH MỤC THỦ TỤC ĐƯỢC SỬA ĐỔI, BỔ SUNG", True)]),
    # a bold "Điều N." run into body text goes on over the wrapped lines (hard-wrapped text)
    (_WRAP_BODY + "**Điều 3. **Chánh\nVăn phòng Bộ, Vụ trưởng Vụ Pháp chế, Thủ trưởng các đơn vị có\n"
     "liên quan chịu trách nhiệm thi hành Quyết định này./.\n",
     [("Điều 3. Chánh Văn phòng Bộ, Vụ trưởng Vụ Pháp chế, Thủ trưởng các đơn vị có "
       "liên quan chịu trách nhiệm thi hành Quyết định này./.", True)]),
    # ... but a short wrapped line ends it: a title in regular type over its body
    (_WRAP_BODY + "**Điều 4.** Điều khoản chuyển\ntiếp\nHội đồng trường tiếp tục thực hiện nhiệm vụ.\n",
     [("Điều 4. Điều khoản chuyển tiếp", True),
      ("Hội đồng trường tiếp tục thực hiện nhiệm vụ.", False)]),
    # a list marker, a table cell or a blank line is not a continuation
    ("**Điều 5. **Tổ chức thực hiện\n1. Sở Y tế có trách nhiệm.\n",
     [("Điều 5. Tổ chức thực hiện", True), ("1. Sở Y tế có trách nhiệm.", False)]),
    ("**Điều 5. Tổ chức\n\nthực hiện**\n", [("Điều 5. Tổ chức", True), ("thực hiện", False)]),
    # header cells and signer lines keep their line breaks; the second line is still bold
    ("|\n**KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**\n|\n", [("KT. CHỦ TỊCH", True), ("PHÓ CHỦ TỊCH", True)]),
    ("|\n**ỦY BAN NHÂN DÂN\n**\nTHÀNH PHỐ CẦN THƠ\n|\n",
     [("ỦY BAN NHÂN DÂN", True), ("THÀNH PHỐ CẦN THƠ", False)]),
])
def test_bold_span_broken_by_hard_line_breaks(src, expected):
    doc = read_text("x.md", src.encode())
    got = [(b.text, b.bold) for b in doc.blocks if b.kind == "para"]
    assert got[-len(expected):] == expected


@pytest.mark.parametrize("src, rows", [
    ("TT | Nội dung | Ghi chú |\n|---|---|---|\n| 1. | 1.001709 Cấp giấy phép | |\n",
     ["TT\tNội dung\tGhi chú", "1.\t1.001709 Cấp giấy phép\t"]),
    ("STT | Mã ngành\n--- | ---\n| 1 | 0111 |\n", ["STT\tMã ngành", "1\t0111"]),
])
def test_table_header_row_without_leading_pipe(src, rows):
    doc = read_text("x.md", src.encode())
    assert [b.text for b in doc.blocks if b.kind == "table_row"] == rows


@pytest.mark.parametrize("src", [
    "Giao Sở Tài chính | Sở Nội vụ chủ trì.\nQuyết định này có hiệu lực.\n",  # no delimiter row
    "**a | b**\n- Như Điều 3;\n",
])
def test_pipe_in_running_text_is_not_a_row(src):
    doc = read_text("x.md", src.encode())
    assert all(b.kind != "table_row" for b in doc.blocks)
