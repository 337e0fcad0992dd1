"""Document headers and footers: the five corpus documents, DOCX tables, Party headers, edge cases."""
from __future__ import annotations

import glob
import os

import pytest
from linearity import assert_linear

from pipeline.header import case_body_name, parse_header, split_bodies
from pipeline.model import Line, Text
from pipeline.normalise import normalise, normalise_string
from pipeline.readers.text import read_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def corpus(prefix: str) -> Text:
    (path,) = glob.glob(os.path.join(ROOT, "corpus", f"{prefix}_*.txt"))
    return normalise(read_text(path))


def make_text(rows) -> Text:
    """Lines as a reader would give them: str, or (kind, text), or (kind, text, bold)."""
    parts, lines, pos = [], [], 0
    for r in rows:
        if isinstance(r, str):
            r = ("para", r)
        kind, s = r[0], r[1]
        bold = r[2] if len(r) > 2 else False
        parts.append(s)
        lines.append(Line(pos, pos + len(s), kind, bold))
        pos += len(s) + 1
    return Text("\n".join(parts), lines)


# --------------------------------------------------------------------------- corpus

T003 = ("thực hiện Kết luận số 91-KL/TW, ngày 12/8/2024 của Bộ Chính trị về tiếp tục thực hiện Nghị "
        "quyết số 29-NQ/TW, ngày 04/11/2013 của Ban Chấp hành Trung ương Đảng khoá XI “Về đổi mới căn "
        "bản, toàn diện giáo dục và đào tạo, đáp ứng yêu cầu công nghiệp hóa, hiện đại hóa trong điều "
        "kiện kinh tế thị trường định hướng xã hội chủ nghĩa và hội nhập quốc tế”")
T004 = ("Triển khai, thực hiện Kế hoạch số 224-KH/ThU ngày 27/11/2024 của Thành ủy Lai Châu về thực "
        "hiện Kết luận số 91-KL/TW, ngày 12/8/2024 của Bộ Chính trị về tiếp tục thực hiện Nghị quyết "
        "số 29-NQ/TW, ngày 04/11/2013 của Ban Chấp hành Trung ương Đảng khoá XI")
UBND_ROLE = "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"

EXPECTED = {
    "000": dict(
        key=None, number=None, symbol="KH-UBND", type="KH", type_name="KẾ HOẠCH", year=2024,
        place="Thành phố Lai Châu", date=None, date_text="ngày tháng 9 năm 2024",
        title="Triển khai nhiệm vụ, giải pháp trọng tâm năm học 2024 - 2025 trên địa bàn thành phố Lai Châu",
        signer="Trần Đình Tiến", signer_role=UBND_ROLE,
        recipients=["Sở GD&ĐT tỉnh", "TT: Thành ủy, HĐND, UBND thành phố",
                    "Các cơ quan, đơn vị, đoàn thể thành phố",
                    "Các hội: Cựu Giáo chức, Khuyến học thành phố", "UBND các xã, phường",
                    "Các trường học trực thuộc", "Trang thông tin điện tử thành phố", "Lưu: VT"],
        issuer="Ủy ban nhân dân thành phố Lai Châu", parent_issuer=None, issuer_inferred=True),
    "001": dict(
        key=None, number=None, symbol=None, type="CT", type_name="CHỈ THỊ", year=None,
        place=None, date=None, date_text=None,
        title="Về thực hiện nhiệm vụ trọng tâm năm học 2024-2025",
        signer="Ngô Vũ Quốc", signer_role="TM. UỶ BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
        recipients=["Thành ủy, HĐND, UBND TP", "Sở GD&ĐT tỉnh Lào Cai", "Lãnh đạo UBND TP",
                    "Các phòng, ban chuyên môn", "Các trường MN, PT thành phố", "UBND các xã, phường",
                    "Lưu: VT, GD&ĐT (2b)"],
        issuer="Chủ tịch Ủy ban nhân dân thành phố Lào Cai", parent_issuer=None, issuer_inferred=True),
    "002": dict(
        key=None, number=None, symbol="KH-UBND", type="KH", type_name="KẾ HOẠCH", year=2022,
        place="Mường Tè", date=None, date_text="ngày tháng 9 năm 2022",
        title=("Thực hiện Chỉ thị số 11/CT-UBND ngày 26/8/2022 của UBND tỉnh Lai Châu về thực hiện "
               "nhiệm vụ trọng tâm năm học 2022 - 2023"),
        signer="Kiều Hải Nam", signer_role=UBND_ROLE,
        recipients=["Sở GD&ĐT tỉnh", "TT. Huyện ủy; (B/c)", "TT. HĐND huyện",
                    "Chủ tịch, PCT UBND huyện (Đ/c Nam)", "Các cơ quan đơn vị liên quan",
                    "Các hội: Cựu Giáo chức, Khuyến học huyện", "UBND các xã, thị trấn",
                    "Trang TTĐT huyện", "Lưu VT"],
        issuer="Ủy ban nhân dân huyện Mường Tè", parent_issuer=None, issuer_inferred=True),
    "003": dict(
        key=None, number=None, symbol=None, type="KH", type_name="KẾ HOẠCH", year=None,
        place=None, date=None, date_text=None, title=T003,
        signer="Cao Trang Trọng", signer_role="T/M BAN THƯỜNG VỤ / PHÓ BÍ THƯ",
        recipients=["TT Tỉnh ủy (b/c)", "Ban Tuyên giáo Tỉnh ủy (b/c)",
                    "TT Huyện ủy, HĐND, Lãnh đạo UBND huyện", "Các chi, đảng bộ trực thuộc", "Lưu"],
        issuer="Ban Thường vụ Huyện ủy Tam Đường", parent_issuer=None, issuer_inferred=True),
    "004": dict(
        key=None, number=None, symbol="KH-UBND", type="KH", type_name="KẾ HOẠCH", year=2025,
        place="Thành phố Lai Châu", date=None, date_text="ngày tháng 01 năm 2025", title=T004,
        signer="Trần Đình Tiến", signer_role=UBND_ROLE,
        recipients=["Sở Giáo dục và Đào tạo tỉnh", "TT: Thành ủy, HĐND, UBND thành phố",
                    "Các cơ quan, đơn vị, đoàn thể thành phố", "UBND các xã, phường",
                    "Trang thông tin điện tử thành phố", "Lưu: VT"],
        issuer="Ủy ban nhân dân thành phố Lai Châu", parent_issuer=None, issuer_inferred=True),
}
FIELDS = ["key", "number", "symbol", "type", "type_name", "year", "place", "date", "date_text",
          "title", "signer", "signer_role", "recipients", "issuer", "parent_issuer", "issuer_inferred"]


@pytest.mark.parametrize("doc,field", [(d, f) for d in sorted(EXPECTED) for f in FIELDS])
def test_corpus_header_field(doc, field):
    h = parse_header(corpus(doc))
    assert getattr(h, field) == EXPECTED[doc][field]


def test_header_to_dict_carries_issuer_inferred():
    d = parse_header(corpus("002")).to_dict()
    assert d["issuer_inferred"] is True and d["recipients"][0] == "Sở GD&ĐT tỉnh"


# --------------------------------------------------------------------------- DOCX tables

def test_docx_table_header_and_footer():
    t = make_text([
        ("table_row", "ỦY BAN NHÂN DÂN THÀNH PHỐ LAI CHÂU\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
                      "Độc lập - Tự do - Hạnh phúc"),
        ("table_row", "Số: 3707/KH-UBND\tLai Châu, ngày 17 tháng 9 năm 2024"),
        ("para", "KẾ HOẠCH", True),
        ("para", "Triển khai nhiệm vụ, giải pháp trọng tâm năm học 2024 - 2025", True),
        "Thực hiện Kế hoạch số 12/KH-UBND ngày 01/9/2024 của Ủy ban nhân dân tỉnh.",
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "Nội dung.",
        ("table_row", "Nơi nhận: - Sở GD&ĐT tỉnh; - TT: Thành ủy, HĐND, UBND thành phố; - Lưu: VT."
                      "\tTM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH (Đã ký) Trần Đình Tiến"),
    ])
    h = parse_header(t)
    assert (h.issuer, h.parent_issuer, h.issuer_inferred) == (
        "Ủy ban nhân dân thành phố Lai Châu", None, False)
    assert (h.number, h.symbol, h.key, h.type, h.type_name) == (
        "3707", "KH-UBND", "3707/KH-UBND", "KH", "KẾ HOẠCH")
    assert (h.place, h.date, h.date_text, h.year) == (
        "Lai Châu", "2024-09-17", "ngày 17 tháng 9 năm 2024", 2024)
    assert h.title == "Triển khai nhiệm vụ, giải pháp trọng tâm năm học 2024 - 2025"
    assert h.signer == "Trần Đình Tiến"
    assert h.signer_role == UBND_ROLE
    assert h.recipients == ["Sở GD&ĐT tỉnh", "TT: Thành ủy, HĐND, UBND thành phố", "Lưu: VT"]


def test_party_header_table():
    t = make_text([
        ("table_row", "ĐẢNG BỘ TỈNH LAI CHÂU\tĐẢNG CỘNG SẢN VIỆT NAM"),
        ("table_row", "HUYỆN ỦY TAM ĐƯỜNG\t"),
        ("table_row", "*\t"),
        ("table_row", "Số 127-KH/HU\tTam Đường, ngày 30 tháng 5 năm 2022"),
        "KẾ HOẠCH",
        ("para", "thực hiện Nghị quyết số 09-NQ/TU, ngày 25/02/2022 của Ban Chấp hành Đảng bộ tỉnh", True),
        "-----",
        "Thực hiện Nghị quyết số 09-NQ/TU, Ban Thường vụ Huyện ủy ban hành Kế hoạch như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU", "Nội dung.",
        "Nơi nhận:", "- Thường trực Tỉnh ủy (b/c),", "- Lưu Văn phòng Huyện ủy.",
        "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn An",
    ])
    h = parse_header(t)
    assert (h.issuer, h.parent_issuer, h.issuer_inferred) == (
        "Huyện ủy Tam Đường", "Đảng bộ tỉnh Lai Châu", False)
    assert (h.number, h.symbol, h.key, h.type) == ("127", "KH/HU", "127-KH/HU", "KH")
    assert (h.place, h.date, h.year) == ("Tam Đường", "2022-05-30", 2022)
    assert h.title == "thực hiện Nghị quyết số 09-NQ/TU, ngày 25/02/2022 của Ban Chấp hành Đảng bộ tỉnh"
    assert (h.signer, h.signer_role) == ("Nguyễn Văn An", "T/M BAN THƯỜNG VỤ / BÍ THƯ")
    assert h.recipients == ["Thường trực Tỉnh ủy (b/c)", "Lưu Văn phòng Huyện ủy"]


def test_party_number_without_colon_in_lines():
    t = make_text(["BAN CHẤP HÀNH TRUNG ƯƠNG", "ĐẢNG CỘNG SẢN VIỆT NAM", "*", "Số 29-NQ/TW",
                   "Hà Nội, ngày 04 tháng 11 năm 2013", "NGHỊ QUYẾT", "HỘI NGHỊ LẦN THỨ TÁM",
                   "về đổi mới căn bản, toàn diện giáo dục và đào tạo", "I. TÌNH HÌNH"])
    h = parse_header(t)
    assert (h.key, h.number, h.symbol, h.type, h.type_name) == ("29-NQ/TW", "29", "NQ/TW", "NQ", "NGHỊ QUYẾT")
    assert h.issuer == "Ban Chấp hành Trung ương"
    assert (h.date, h.place) == ("2013-11-04", "Hà Nội")


# --------------------------------------------------------------------------- header lines

def test_interleaved_columns_parent_body_and_official_letter():
    t = make_text([
        "UBND TỈNH LAI CHÂU", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Độc lập - Tự do - Hạnh phúc", "-------", "Số: 1234/SGDĐT-GDTrH",
        "V/v triển khai nhiệm vụ năm học", "2024 - 2025", "Lai Châu, ngày 05",
        "tháng 9 năm 2024", "Kính gửi: Các trường trung học phổ thông.", "Nội dung công văn.",
        "Nơi nhận:", "- Như trên;", "- Lưu: VT, GDTrH.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "(Đã ký)",
        "Lê Văn Bình",
    ])
    h = parse_header(t)
    assert (h.issuer, h.parent_issuer) == ("Sở Giáo dục và Đào tạo", "Ủy ban nhân dân tỉnh Lai Châu")
    assert (h.key, h.symbol, h.type, h.type_name) == ("1234/SGDĐT-GDTrH", "SGDĐT-GDTrH", "CV", None)
    assert h.title == "triển khai nhiệm vụ năm học 2024 - 2025"
    # a date broken across lines
    assert (h.place, h.date, h.date_text) == ("Lai Châu", "2024-09-05", "ngày 05 tháng 9 năm 2024")
    assert (h.signer, h.signer_role) == ("Lê Văn Bình", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC")
    assert h.recipients == ["Như trên", "Lưu: VT, GDTrH"]


def test_flattened_header_line_blank_number_and_day():
    t = normalise_string(
        "Số: /KH-UBND Thành phố Lai Châu, ngày tháng 9 năm 2024\n\n**KẾ HOẠCH**\n\n"
        "**Triển khai nhiệm vụ năm học 2024 - 2025**\n\nThực hiện Kế hoạch số 1/KH-UBND.\n\n"
        "**I. MỤC ĐÍCH**\n\nNội dung.\n")
    h = parse_header(t)
    assert (h.number, h.key, h.symbol, h.type) == (None, None, "KH-UBND", "KH")
    assert (h.place, h.date, h.date_text, h.year) == (
        "Thành phố Lai Châu", None, "ngày tháng 9 năm 2024", 2024)
    assert h.title == "Triển khai nhiệm vụ năm học 2024 - 2025"


def test_markdown_type_heading():
    t = normalise_string("## KẾ HOẠCH\n\n**về việc thử nghiệm**\n\n-----\n\nNội dung mở đầu.\n\n"
                         "### I. MỤC ĐÍCH\n\nNội dung.\n")
    h = parse_header(t)
    assert (h.type_name, h.type, h.title) == ("KẾ HOẠCH", "KH", "về việc thử nghiệm")


def test_title_over_three_bold_lines_is_joined():
    t = make_text([("para", "KẾ HOẠCH", True), ("para", "Triển khai nhiệm vụ, giải pháp", True),
                   ("para", "trọng tâm năm học 2024 - 2025", True),
                   ("para", "trên địa bàn thành phố Lai Châu", True),
                   "Thực hiện Kế hoạch số 3707/KH-UBND ngày 17/9/2024.", ("para", "I. MỤC ĐÍCH", True)])
    assert parse_header(t).title == ("Triển khai nhiệm vụ, giải pháp trọng tâm năm học 2024 - 2025 "
                                     "trên địa bàn thành phố Lai Châu")


def test_normative_number_and_impossible_date():
    t = make_text(["BỘ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 09/2024/TT-BGDĐT", "Hà Nội, ngày 31 tháng 2 năm 2024",
                   "THÔNG TƯ", "Quy định về công khai trong hoạt động của các cơ sở giáo dục",
                   "Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;", "Chương I", "QUY ĐỊNH CHUNG",
                   "Điều 1. Phạm vi", "BỘ TRƯỞNG", "Nguyễn Kim Sơn"])
    h = parse_header(t)
    assert (h.key, h.number, h.year, h.symbol, h.type) == (
        "09/2024/TT-BGDĐT", "09", 2024, "TT-BGDĐT", "TT")
    assert (h.date, h.date_text) == (None, "ngày 31 tháng 2 năm 2024")  # 31 February: no date
    assert h.issuer == "Bộ Giáo dục và Đào tạo"
    assert h.title == "Quy định về công khai trong hoạt động của các cơ sở giáo dục"
    assert (h.signer, h.signer_role) == ("Nguyễn Kim Sơn", "BỘ TRƯỞNG")


def test_acting_signer_and_national_body_in_one_cell():
    t = make_text([
        ("table_row", "BỘ GIÁO DỤC VÀ ĐÀO TẠO CỤC NHÀ GIÁO VÀ CÁN BỘ QUẢN LÝ GIÁO DỤC\tCỘNG HÒA XÃ HỘI CHỦ "
                      "NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"),
        ("table_row", "Số: 45/KH-NGCBQLGD\tHà Nội, ngày 3 tháng 10 năm 2024"),
        "KẾ HOẠCH", "Bồi dưỡng giáo viên năm 2024", "I. MỤC ĐÍCH",
        "Nơi nhận:", "- Bộ trưởng (để b/c);", "- Lưu: VT.", "Q. CỤC TRƯỞNG", "Phạm Thị Lan",
    ])
    h = parse_header(t)
    assert (h.issuer, h.parent_issuer) == ("Cục Nhà giáo và Cán bộ quản lý giáo dục", "Bộ Giáo dục và Đào tạo")
    assert (h.signer, h.signer_role) == ("Phạm Thị Lan", "Q. CỤC TRƯỞNG")
    assert h.recipients == ["Bộ trưởng (để b/c)", "Lưu: VT"]


def test_a_date_inside_a_sentence_is_not_the_documents_date():
    t = make_text(["Căn cứ Quyết định số 1068/QĐ-UBND ngày 15 tháng 8 năm 2022 của UBND tỉnh;",
                   "Nội dung.", "I. MỤC ĐÍCH"])
    h = parse_header(t)
    assert (h.date, h.date_text, h.year, h.place) == (None, None, None, None)


def test_unknown_is_none():
    h = parse_header(make_text(["Một đoạn văn không có phần đầu.", "Một đoạn khác."]))
    assert h.to_dict() == {**{f: None for f in FIELDS if f not in ("recipients", "issuer_inferred")},
                           "recipients": [], "issuer_inferred": False, "effective": None}
    assert parse_header(Text("", [])).issuer is None


# --------------------------------------------------------------------------- issuer inference

def _draft(preamble: str, place_line: str | None, signer: list[str], body: str = "Nội dung."):
    rows = ["Số: /KH-UBND"] + ([place_line] if place_line else []) + [
        "KẾ HOẠCH", "Về việc thử nghiệm", preamble, "I. MỤC ĐÍCH", body, "Nơi nhận:", "- Lưu: VT."]
    return make_text(rows + signer)


def test_inferred_from_enacting_sentence_completed_with_place():
    t = _draft("Ủy ban nhân dân thành phố ban hành kế hoạch như sau:", "Thành phố Lai Châu, ngày tháng 9 năm 2024",
               ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"])
    h = parse_header(t)
    assert (h.issuer, h.issuer_inferred) == ("Ủy ban nhân dân thành phố Lai Châu", True)


def test_inferred_from_enacting_sentence_abbreviation_expanded():
    t = _draft("Căn cứ tình hình thực tế, UBND huyện Mường Tè ban hành Kế hoạch như sau:",
               "Mường Tè, ngày tháng 9 năm 2022", [])
    assert parse_header(t).issuer == "Ủy ban nhân dân huyện Mường Tè"


def test_enacting_sentence_must_name_this_documents_type():
    # "ban hành Quyết định" is not the enacting sentence of a Kế hoạch; no other evidence → None
    t = _draft("Thực hiện văn bản của tỉnh, Sở Nội vụ ban hành Quyết định số 5/QĐ-SNV.", None, [])
    h = parse_header(t)
    assert (h.issuer, h.issuer_inferred) == (None, False)


def test_inferred_from_signer_block_and_place():
    t = _draft("Thực hiện chỉ đạo của tỉnh về nhiệm vụ năm học.", "Thành phố Lai Châu, ngày tháng 9 năm 2024",
               ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Đình Tiến"])
    h = parse_header(t)
    assert (h.issuer, h.issuer_inferred) == ("Ủy ban nhân dân thành phố Lai Châu", True)


def test_signer_block_with_bare_place_needs_the_level_from_the_text():
    t = _draft("Thực hiện chỉ đạo của tỉnh về nhiệm vụ năm học.", "Mường Tè, ngày tháng 9 năm 2022",
               ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"],
               body="Các trường trên địa bàn huyện Mường Tè thực hiện.")
    assert parse_header(t).issuer == "Ủy ban nhân dân huyện Mường Tè"
    t2 = _draft("Thực hiện chỉ đạo của tỉnh về nhiệm vụ năm học.", "Mường Tè, ngày tháng 9 năm 2022",
                ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"])
    assert parse_header(t2).issuer is None


def test_locality_completed_only_when_the_text_names_one_place():
    one = make_text(["KẾ HOẠCH", "Về việc thử",
                     "Ban Thường vụ Huyện ủy ban hành Kế hoạch như sau:",
                     "I. MỤC ĐÍCH", "Thực hiện Kế hoạch của Huyện ủy Tam Đường năm 2022."])
    assert parse_header(one).issuer == "Ban Thường vụ Huyện ủy Tam Đường"
    two = make_text(["KẾ HOẠCH", "Về việc thử",
                     "Ban Thường vụ Huyện ủy ban hành Kế hoạch như sau:",
                     "I. MỤC ĐÍCH", "Học tập kinh nghiệm của Huyện ủy Tam Đường và huyện Phong Thổ."])
    assert parse_header(two).issuer == "Ban Thường vụ Huyện ủy"


def test_header_issuer_wins_over_text():
    t = make_text(["ỦY BAN NHÂN DÂN", "HUYỆN MƯỜNG TÈ", "Số: 12/KH-UBND", "Mường Tè, ngày 1 tháng 9 năm 2022",
                   "KẾ HOẠCH", "Về việc thử", "Chủ tịch UBND huyện yêu cầu như sau:", "I. MỤC ĐÍCH"])
    h = parse_header(t)
    assert (h.issuer, h.issuer_inferred, h.date) == ("Ủy ban nhân dân huyện Mường Tè", False, "2022-09-01")


# --------------------------------------------------------------------------- names

@pytest.mark.parametrize("upper,expected", [
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ LAI CHÂU", "Ủy ban nhân dân thành phố Lai Châu"),
    ("UỶ BAN NHÂN DÂN TỈNH LÀO CAI", "Ủy ban nhân dân tỉnh Lào Cai"),
    ("HUYỆN ỦY TAM ĐƯỜNG", "Huyện ủy Tam Đường"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo"),
    ("PHÒNG TÀI CHÍNH - KẾ HOẠCH", "Phòng Tài chính - Kế hoạch"),
    ("BAN THƯỜNG VỤ HUYỆN ỦY", "Ban Thường vụ Huyện ủy"),
    ("UBND HUYỆN MƯỜNG TÈ", "Ủy ban nhân dân huyện Mường Tè"),
    ("TRƯỜNG THPT SỐ 1", "Trường THPT số 1"),
])
def test_case_body_name(upper, expected):
    assert case_body_name(upper) == expected


@pytest.mark.parametrize("pieces,expected", [
    (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ LAI CHÂU"], ["ỦY BAN NHÂN DÂN THÀNH PHỐ LAI CHÂU"]),
    (["UBND TỈNH LAI CHÂU", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"], ["ỦY BAN NHÂN DÂN TỈNH LAI CHÂU", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"]),
    (["ĐẢNG BỘ TỈNH LAI CHÂU HUYỆN ỦY TAM ĐƯỜNG"], ["ĐẢNG BỘ TỈNH LAI CHÂU", "HUYỆN ỦY TAM ĐƯỜNG"]),
    (["BỘ TÀI NGUYÊN VÀ", "MÔI TRƯỜNG"], ["BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG"]),
    (["BAN THƯỜNG VỤ", "HUYỆN ỦY TAM ĐƯỜNG"], ["BAN THƯỜNG VỤ HUYỆN ỦY TAM ĐƯỜNG"]),
])
def test_split_bodies(pieces, expected):
    assert split_bodies(pieces) == expected


# --------------------------------------------------------------------------- adversarial

@pytest.mark.parametrize("make, n", [
    (lambda n: "1." * n, 12_500), (lambda n: "Số: " + "1" * n + "/", 25_000),
    (lambda n: "ngày" + " ." * n + "tháng", 12_500), (lambda n: "Nơi nhận: " + "- a; " * n, 5_000),
    (lambda n: "TM. " + "ỦY BAN " * n, 3_750), (lambda n: "KẾ HOẠCH " + "V/v " * n, 6_250),
])
def test_long_lines_parse_in_linear_time(make, n):
    assert_linear(lambda line: parse_header(normalise_string(line)), make, n)


# --------------------------------------------------------------------------- web pages, wrapped columns

_UBND_QD = ["ỦY BAN NHÂN DÂN", "TỈNH AN GIANG", "-------", "CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc", "Số: 12/QĐ-UBND", "An Giang, ngày 3 tháng 4 năm 2025",
            ("para", "QUYẾT ĐỊNH", True), "VỀ VIỆC BAN HÀNH KẾ HOẠCH PHÒNG, CHỐNG THIÊN TAI",
            "NĂM 2025", ("para", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG", True),
            "Căn cứ Luật Phòng, chống thiên tai;", "QUYẾT ĐỊNH:", "Điều 1. Ban hành Kế hoạch.",
            "Nơi nhận:", "- Như Điều 3;", "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Nam"]


@pytest.mark.parametrize("rows,expected", [
    # motto wrapped by a narrow column; upper-case title over two lines; authority line under it
    (_UBND_QD, dict(issuer="Ủy ban nhân dân tỉnh An Giang", parent_issuer=None, key="12/QĐ-UBND",
                    title="VỀ VIỆC BAN HÀNH KẾ HOẠCH PHÒNG, CHỐNG THIÊN TAI NĂM 2025",
                    place="An Giang", date="2025-04-03", signer="Lê Văn Nam")),
    # a web page's banner and metadata table before the header
    (["Bản quyền thuộc về trang web.", "Số hiệu:", "12/QĐ-UBND", "Loại văn bản:", "Quyết định",
      "Ngày ban hành:", "03/04/2025"] + _UBND_QD,
     dict(issuer="Ủy ban nhân dân tỉnh An Giang", key="12/QĐ-UBND", type="QĐ", date="2025-04-03")),
    # motto wrapped at another word; a body word split over two lines; the place split too
    (["ỦY", "BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH", "CỘNG HÒA XÃ", "HỘI CHỦ NGHĨA VIỆT NAM",
      "Số: 7/KH-UBND", "Thành phố Hồ Chí", "Minh, ngày 5 tháng 6 năm 2025", "KẾ HOẠCH", "Thử nghiệm",
      "I. MỤC ĐÍCH"],
     dict(issuer="Ủy ban nhân dân thành phố Hồ Chí Minh", parent_issuer=None,
          place="Thành phố Hồ Chí Minh", date="2025-06-05")),
    # "Số:" alone on its line; a letter's symbol whose first group is the issuer ("CT" = Cục Thuế)
    (["BỘ TÀI CHÍNH", "CỤC THUẾ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số:", "15/CT-CS",
      "V/v chính sách thuế", "Hà Nội, ngày", "24 tháng 11 năm 2025", "Kính gửi: Công ty A.", "Nội dung.",
      "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TL. CỤC TRƯỞNG", "KT. TRƯỞNG BAN CHÍNH SÁCH,",
      "THUẾ QUỐC TẾ", "PHÓ TRƯỞNG BAN", "Trần Thị Hoa"],
     dict(issuer="Cục Thuế", parent_issuer="Bộ Tài chính", key="15/CT-CS", type="CV",
          title="chính sách thuế", date="2025-11-24",
          signer_role="TL. CỤC TRƯỞNG / KT. TRƯỞNG BAN CHÍNH SÁCH, THUẾ QUỐC TẾ / PHÓ TRƯỞNG BAN")),
    # no left column: the enacting authority under the title is the issuer (inferred)
    (["Số: 1678/NQ-UBTVQH15", ("para", "NGHỊ QUYẾT", True),
      ("para", "Về việc sắp xếp các đơn vị hành chính cấp xã năm 2025", True),
      ("para", "ỦY BAN THƯỜNG VỤ QUỐC HỘI", True), "Căn cứ Hiến pháp;", "QUYẾT NGHỊ:", "Điều 1. Nội dung."],
     dict(issuer="Ủy ban Thường vụ Quốc hội", issuer_inferred=True,
          title="Về việc sắp xếp các đơn vị hành chính cấp xã năm 2025")),
    # a footer followed by an attached plan of long lines; a wrapped "TM." role; a rank before the name
    (["BỘ QUỐC PHÒNG", "Số: 3/QĐ-BQP", "Hà Nội, ngày 1 tháng 2 năm 2025", "QUYẾT ĐỊNH", "Về việc thử",
      "Điều 1. Nội dung.", "Nơi nhận:", "- Lưu: VT.", "TM. BAN CHỈ", "ĐẠO", "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG",
      "Thượng tướng Nguyễn Văn Bình", "KẾ HOẠCH", "Kèm theo Quyết định. " + "Nội dung dài. " * 30],
     dict(signer="Nguyễn Văn Bình", signer_role="TM. BAN CHỈ ĐẠO / KT. BỘ TRƯỞNG / THỨ TRƯỞNG",
          recipients=["Lưu: VT"])),
])
def test_real_layouts(rows, expected):
    h = parse_header(make_text(rows))
    assert {k: getattr(h, k) for k in expected} == expected


def test_news_page_has_no_header():
    h = parse_header(make_text([
        "# Tin tức", "Ngày 12/3/2025, Ủy ban nhân dân tỉnh tổ chức hội nghị về nhiệm vụ năm 2025.",
        "Theo Quyết định số 12/QĐ-UBND của Ủy ban nhân dân tỉnh, các sở thực hiện kế hoạch.",
        "Nước Cộng hòa xã hội chủ nghĩa Việt Nam có 34 tỉnh, thành phố."]))
    assert (h.key, h.issuer, h.date, h.place, h.signer, h.type) == (None,) * 6
