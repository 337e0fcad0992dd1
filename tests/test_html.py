"""Saved web pages: the document inside the page, the portal's metadata box, the page around it.

`tests/fixtures/portal_page.html` is written to the shape of a legal portal's document page
(scripts, menu, login notice citing Nghị định 13/2023/NĐ-CP, breadcrumb, metadata box, the document,
related documents, footer). The real pages of ../shared/eval-data/realfiles/html are used when
they are beside the checkout.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract import extract_file, extract_string
from pipeline.model import DocumentError, Header
from pipeline.portal import disagreements, metadata_box
from pipeline.readers import read

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
REAL = ROOT.parent / "shared" / "eval-data" / "realfiles" / "html"


def test_the_reader_keeps_the_document_and_drops_the_site():
    raw = read(FIX / "portal_page.html")
    assert raw.format == "html"
    text = "\n".join(b.text for b in raw.blocks)
    for site in ("Trang chủ", "Đăng nhập", "13/2023/NĐ-CP", "Văn bản liên quan", "Bản quyền",
                 "trackPage", "dataLayer", "99/2099/NĐ-CP", "Hotline"):
        assert site not in text, site
    kinds = [(b.kind, b.bold, b.heading) for b in raw.blocks]
    assert ("heading", False, 2) in kinds                       # <h2>
    assert ("para", True, None) in kinds                        # <b>KẾ HOẠCH</b>
    rows = [b.text.split("\t") for b in raw.blocks if b.kind == "table_row"]
    assert ["1", "Tổ chức hội nghị quán triệt chuyên đề năm 2025", "Sở Nội vụ",
            "Trước ngày 30/3/2025"] in rows                      # one table row, one block


def test_a_portal_page_extracts_like_the_document():
    rec = extract_file(FIX / "portal_page.html")
    h = rec.header
    assert (h.key, h.date, h.issuer) == ("121/KH-UBND", "2025-01-14", "Ủy ban nhân dân tỉnh Lai Châu")
    assert [(c.key, c.relation) for c in rec.citations][:2] == [
        ("05-CT/TW", "implements"), ("294-KH/TU", "implements")]
    assert not {c.key for c in rec.citations} & {"13/2023/NĐ-CP", "2236/QĐ-BGDĐT", "29-NQ/TW"}
    assert [(d.value, d.agency) for d in rec.deadlines] == [
        ("2025-03-30", "Sở Nội vụ"), ("2025-Q4", "Sở Văn hóa, Thể thao và Du lịch"),
        ("2025-12-15", "Các sở, ban, ngành")]
    assert [s.id for s in rec.sections] == ["I", "I.1", "I.2", "II", "III"]
    assert rec.portal == {
        "number": "121/KH-UBND", "type": "Kế hoạch", "issuer": "Tỉnh Lai Châu",
        "signer": "Tống Thanh Hải", "date": "2025-01-14", "date_text": "14/01/2025",
        "effective": "2025-01-14", "effective_text": "14/01/2025", "status": "Còn hiệu lực",
        "disagrees": []}


def test_a_box_that_disagrees_with_the_document_says_so(tmp_path):
    page = (FIX / "portal_page.html").read_text(encoding="utf-8")
    page = page.replace("<td>121/KH-UBND</td>", "<td>112/KH-UBND</td>").replace(
        "<td>14/01/2025</td><td><b>Ngày hiệu lực", "<td>15/01/2025</td><td><b>Ngày hiệu lực")
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    assert extract_file(tmp_path / "p.html").portal["disagrees"] == ["number", "date"]


@pytest.mark.parametrize("lines,expected", [
    # thuvienphapluat as Markdown: label, then the value on its own line between '|'
    (["**Số hiệu:**", "|", "5348/CT-CS", "|", "|", "**Loại văn bản:**", "|", "Công văn", "|",
      "**Ngày ban hành:**", "|", "20/11/2025", "**Ngày hiệu lực:**", "|", "Đã biết"],
     {"number": "5348/CT-CS", "type": "Công văn", "date": "2025-11-20", "date_text": "20/11/2025"}),
    # vbpl: a validity phrase without a label, the label and value on one line
    (["Còn hiệu lực", "Ngày có hiệu lực: 27/03/2026"],
     {"status": "Còn hiệu lực", "effective": "2026-03-27", "effective_text": "27/03/2026"}),
    # one label alone is no box (a sentence may say 'Số hiệu: …')
    (["Số hiệu: 12/QĐ-UBND", "Nội dung"], {}),
])
def test_metadata_box(lines, expected):
    assert metadata_box(lines) == expected


def test_disagreements_only_where_both_speak():
    h = Header(key="121/KH-UBND", date="2025-01-14")
    assert disagreements({"number": "121/KH-UBND", "date": "2025-01-14"}, h) == []
    assert disagreements({"number": "121/KH-UBND"}, Header()) == []
    assert disagreements({"date": "2025-01-15", "number": "12/KH-UBND"}, h) == ["number", "date"]


def test_a_markdown_portal_page_reads_its_box_and_leaves_the_lead_in_unread():
    page = ("Tôi đã đọc và đồng ý Quy chế và Thỏa thuận Bảo vệ Dữ liệu cá nhân theo Nghị định "
            "13/2023/NĐ-CP\nXem thêm Quyết định 77/QĐ-UBND liên quan\n"
            "**Số hiệu:**\n|\n121/KH-UBND\n|\n**Loại văn bản:**\n|\nKế hoạch\n|\n"
            "**Ngày ban hành:**\n|\n14/01/2025\n|\n"
            "ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\nSố: 121/KH-UBND\nLai Châu, ngày 14 tháng 01 năm 2025\n"
            "KẾ HOẠCH\nThực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị\n")
    rec = extract_string(page)
    assert rec.portal["number"] == "121/KH-UBND" and rec.portal["disagrees"] == []
    assert [c.key for c in rec.citations] == ["05-CT/TW"]  # not 13/2023, not 77/QĐ-UBND
    assert "Xem thêm Quyết định 77/QĐ-UBND" in rec.text.text  # kept, not read


def test_a_question_quoting_a_document_keeps_its_own_citations():
    """No box: the article's text before a quoted document's motto is the article, not chrome."""
    page = ("Mẫu quyết định thành lập Ban Chỉ đạo?\nThực hiện Quyết định 389/QĐ-TTg năm 2014, "
            "tham khảo mẫu dưới đây:\nỦY BAN NHÂN DÂN\nPHƯỜNG A\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT "
            "NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: /QĐ-UBND\nQUYẾT ĐỊNH\nVề việc thành lập\n")
    assert "389/QĐ-TTg" in [c.key for c in extract_string(page).citations]


@pytest.mark.parametrize("data,reason", [
    (b"<html><body><nav>Trang ch\xe1\xbb\xa7</nav></body></html>", "no document text found"),
    (b"just words, no markup at all " * 20, "not an HTML page"),
])
def test_bad_pages_give_clear_errors(tmp_path, data, reason):
    p = tmp_path / "bad.html"
    p.write_bytes(data)
    with pytest.raises(DocumentError) as err:
        read(p)
    assert reason in err.value.reason and str(p) in str(err.value)


def test_a_translation_is_refused(tmp_path):
    p = tmp_path / "en.html"
    body = "<p>Pursuant to the Law on Organization of the Government No. 76/2015/QH13 dated " \
           "June 19, 2015; the Government promulgates this Decree on fees.</p>" * 10
    p.write_text(f"<html><body><article>{body}</article></body></html>", encoding="utf-8")
    with pytest.raises(DocumentError) as err:
        read(p)
    assert "not a Vietnamese document" in err.value.reason


@pytest.mark.skipif(not REAL.exists(), reason="../shared/eval-data is not beside the checkout")
@pytest.mark.parametrize("name,key", [
    ("vbpl_doc_000001.html", "249/2025/NĐ-CP"), ("vbpl_doc_000050.html", "11/2026/TT-BTC"),
    ("vbpl_doc_000300.html", "301/2025/NĐ-CP"), ("vbpl_doc_000600.html", "315/2025/NĐ-CP"),
    ("vbpl_doc_000800.html", None), ("vbpl_doc_000900.html", None),
])
def test_real_portal_pages(name, key):
    if key is None:  # the portal's English translations
        with pytest.raises(DocumentError, match="not a Vietnamese document"):
            extract_file(REAL / name)
        return
    rec = extract_file(REAL / name)
    assert rec.header.key == key
    assert rec.portal.get("status") and rec.portal["disagrees"] == []
    assert rec.citations and not any("Trang chủ" in c.text for c in rec.citations)


def test_a_letter_saved_without_its_header_takes_identity_from_the_box():
    page = ("**Số hiệu:**\n|\n17809/BTC-CTK\n|\n**Loại văn bản:**\n|\nCông văn\n|\n"
            "**Ngày ban hành:**\n|\n17/11/2025\n|\n"
            "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương\n"
            "Thực hiện Nghị định số 94/2022/NĐ-CP ngày 07/11/2022 của Chính phủ, Bộ Tài chính đề "
            "nghị Quý Ủy ban gửi báo cáo trước ngày 15/12/2025.\n")
    rec = extract_string(page)
    h = rec.header
    assert (h.key, h.type, h.date) == ("17809/BTC-CTK", "CV", "2025-11-17")
    assert rec.portal["filled"] == ["key", "date", "type"]


@pytest.mark.parametrize("header,key,date", [
    # the symbol broken over two lines
    ("Số: 3783/QĐ-\nUBND\nHuế, ngày 20 tháng 11 năm 2025\n", "3783/QĐ-UBND", "2025-11-20"),
    # a dot inside the symbol
    ("Số: 11554/VPCP-V.I\nHà Nội, ngày 25 tháng 11 năm 2025\n", "11554/VPCP-V.I", "2025-11-25"),
    # the place without its comma
    ("Số: 388/NQ-CP\nHà Nội ngày 01 tháng 12 năm 2025\n", "388/NQ-CP", "2025-12-01"),
    # the place-date line flattened onto a letter's V/v line
    ("Số: 11299/VPCP-KGVX\nV/v thành lập Mạng lưới quan trắc môi trường Hà Nội, ngày 18 tháng 11 "
     "năm 2025\n", "11299/VPCP-KGVX", "2025-11-18"),
])
def test_own_headers_as_real_pages_print_them(header, key, date):
    text = ("CHÍNH PHỦ\n--------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            + header + "NGHỊ QUYẾT\nVỀ VIỆC THỬ NGHIỆM\nCăn cứ Luật Tổ chức Chính phủ;\n")
    body = "".join(f"{i}. Các bộ, cơ quan ngang bộ và Ủy ban nhân dân các tỉnh, thành phố trực "
                   f"thuộc trung ương tổ chức thực hiện nội dung số {i} của Nghị quyết này.\n"
                   for i in range(1, 12))  # a page's body: long lines, not hard-wrapped text
    h = extract_string(text + body).header
    assert (h.key, h.date) == (key, date)
