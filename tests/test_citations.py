"""Table-driven tests of the citation grammar on real strings (most from the corpus)."""

import pytest
from linearity import assert_linear

from pipeline.citations import extract_citations
from pipeline.citations.named import find_named
from pipeline.model import Header, Section


def cites(text, **kw):
    return extract_citations(text, **kw)[0]


def one(text, **kw):
    found = [c for c in cites(text, **kw) if not c.short_form]
    assert len(found) == 1, [c.key for c in found]
    return found[0]


# (text, key, type, number, year, date, issuer)
FULL = [
    ("Thực hiện Kế hoạch số 3707/KH-UBND ngày 17/9/2024 của Ủy ban nhân dân tỉnh Lai Châu về triển khai",
     "3707/KH-UBND", "KH", "3707", 2024, "2024-09-17", "Ủy ban nhân dân tỉnh Lai Châu"),
    ("Kết luận số 91/KL-TW ngày 12/8/2024 của Bộ Chính trị về tiếp tục",
     "91-KL/TW", "KL", "91", 2024, "2024-08-12", "Bộ Chính trị"),
    ("Nghị quyết số 29-NQ/TW, ngày 04/11/2013 của Ban Chấp hành Trung ương Đảng khoá XI “Về đổi mới”",
     "29-NQ/TW", "NQ", "29", 2013, "2013-11-04", "Ban Chấp hành Trung ương Đảng"),
    ("theo Thông tư số 09/2024/TT-BGDĐT ngày 03/6/2024 của Bộ Giáo dục và Đào tạo.",
     "09/2024/TT-BGDĐT", "TT", "09", 2024, "2024-06-03", "Bộ Giáo dục và Đào tạo"),
    ("Quyết định số 2236/QĐ-\nBGDĐT ngày 23/8/2024 của Bộ Giáo dục và Đào tạo",
     "2236/QĐ-BGDĐT", "QĐ", "2236", 2024, "2024-08-23", "Bộ Giáo dục và Đào tạo"),
    ("Tiếp tục triển khai Chỉ thị số 05- CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh",
     "05-CT/TW", "CT", "05", 2016, "2016-05-15", "Bộ Chính trị"),
    ("Đề án số 16- ĐA/TU ngày 11/12/2020 của Ban Chấp hành Đảng bộ tỉnh về",
     "16-ĐA/TU", "ĐA", "16", 2020, "2020-12-11", "Ban Chấp hành Đảng bộ tỉnh"),
    ("Kết luận số 51-KL/TW ngày 30/5/20219 của Ban Bí thư;",
     "51-KL/TW", "KL", "51", None, None, "Ban Bí thư"),
    ("Nghị định số 71/2020/NĐ-CP ngày 30 tháng 6 năm 2020 của Chính phủ⁴; chú trọng",
     "71/2020/NĐ-CP", "NĐ", "71", 2020, "2020-06-30", "Chính phủ"),
    ("Công văn số 3129/UBND-VP ngày 30/8/2024 của UBND thành phố Lai Châu về việc chấn chỉnh",
     "3129/UBND-VP", "CV", "3129", 2024, "2024-08-30", "Ủy ban nhân dân thành phố Lai Châu"),
    ("Nghị quyết số 686/NQ-UBTVQH15 ngày 18/9/2023 của Ủy ban Thường vụ Quốc hội giám sát",
     "686/NQ-UBTVQH15", "NQ", "686", 2023, "2023-09-18", "Ủy ban Thường vụ Quốc hội"),
    ("Kế hoạch số 224-KH/ThU ngày 27/11/2024 của Thành ủy Lai Châu về thực hiện",
     "224-KH/ThU", "KH", "224", 2024, "2024-11-27", "Thành ủy Lai Châu"),
    ("Chương trình hành động số 355-CTr/TU, ngày 28/5/2024 của Tỉnh ủy Lào Cai",
     "355-CTr/TU", "CTr", "355", 2024, "2024-05-28", "Tỉnh ủy Lào Cai"),
    # lost Đ and lost case, hyphen for slash, leading zeros, spaces around separators
    ("Nghị định 86/2018/ND-CP của Chính phủ", "86/2018/NĐ-CP", "NĐ", "86", 2018, None, "Chính phủ"),
    ("Chỉ thị số 16/CT-TTG ngày 31/3/2020", "16/CT-TTg", "CT", "16", 2020, "2020-03-31",
     "Thủ tướng Chính phủ"),
    ("Quyết định số 82/2005-QĐ-UBND ngày 1/2/2005", "82/2005/QĐ-UBND", "QĐ", "82", 2005,
     "2005-02-01", None),
    ("Quyết định số 1206 /QĐ-HVTC ngày 5/5/2021", "1206/QĐ-HVTC", "QĐ", "1206", 2021,
     "2021-05-05", None),
    ("Quyết định số 44 /2005/QĐ-UBND", "44/2005/QĐ-UBND", "QĐ", "44", 2005, None, None),
    ("Nghị quyết số 27/NQ- TW của Ban Chấp hành", "27-NQ/TW", "NQ", "27", None, None,
     "Ban Chấp hành"),
    ("theo Quy định số31-QĐ/TW ngày 1/1/2021", "31-QĐ/TW", "QĐ", "31", 2021, "2021-01-01", None),
    ("Kế hoạch số 0125/KH-UBND", "125/KH-UBND", "KH", "125", None, None, None),
    ("Thông tư liên tịch số 07/2013/TTLT-BGDĐT-BNV-BTC", "07/2013/TTLT-BGDĐT-BNV-BTC", "TTLT",
     "07", 2013, None, None),
    ("Văn bản hợp nhất số 10/VBHN-BGDĐT", "10/VBHN-BGDĐT", "VBHN", "10", None, None,
     "Bộ Giáo dục và Đào tạo"),
    ("Luật số 88/2014/QH13 của Quốc hội", "88/2014/QH13", "Luật", "88", 2014, None, "Quốc hội"),
    ("Nghị quyết 88/2014/QH13", "88/2014/QH13", "NQ", "88", 2014, None, "Quốc hội"),
    ("Quyết định số 2270/QĐ-TTg ngày 19\ntháng 11 năm 2025", "2270/QĐ-TTg", "QĐ", "2270", 2025,
     "2025-11-19", "Thủ tướng Chính phủ"),
    ("Nghị quyết số 05-NQ/ĐH ngày 23/20/2020 Đại hội đại biểu Đảng bộ tỉnh Lai Châu", "05-NQ/ĐH",
     "NQ", "05", None, None, "Đại hội đại biểu Đảng bộ tỉnh Lai Châu"),
    ("Căn cứ Luật Tổ chức Quốc hội số 57/2014/QH13;", "57/2014/QH13", "Luật", "57", 2014, None,
     "Quốc hội"),
    # a state number in Party layout; a number with a letter suffix
    ("Nghị quyết số 68-NQ/CP và", "68/NQ-CP", "NQ", "68", None, None, "Chính phủ"),
    ("Kế hoạch số 225A/KH-UBND ngày 20/8/2021", "225A/KH-UBND", "KH", "225A", 2021, "2021-08-20", None),
    # an issuer right after the date, without 'của'
    ("Nghị quyết số 05-NQ/ĐH ngày 20/10/2020 Đại hội đại biểu Đảng bộ tỉnh Lai Châu lần thứ XIV",
     "05-NQ/ĐH", "NQ", "05", 2020, "2020-10-20", "Đại hội đại biểu Đảng bộ tỉnh Lai Châu"),
    # body names with lowercase words; a minister as issuer; the title starts right after
    ("theo Thông tư số 20/2019/TT-BYT của Bộ Y tế; các cơ sở", "20/2019/TT-BYT", "TT", "20", 2019,
     None, "Bộ Y tế"),
    ("Thông tư 15/2021/TT-BGTVT ngày 3/6/2021 của Bộ trưởng Bộ Giao thông vận tải.",
     "15/2021/TT-BGTVT", "TT", "15", 2021, "2021-06-03", "Bộ trưởng Bộ Giao thông vận tải"),
    ("Căn cứ Quyết định số 210/QĐ-BKHCN ngày 5/2/2024 của Bộ Khoa học và Công nghệ về việc",
     "210/QĐ-BKHCN", "QĐ", "210", 2024, "2024-02-05", "Bộ Khoa học và Công nghệ"),
    ("Quyết định số 88/QĐ-BTP ngày 2 tháng 3 năm 2023 của Bộ trưởng Bộ Tư pháp công bố",
     "88/QĐ-BTP", "QĐ", "88", 2023, "2023-03-02", "Bộ trưởng Bộ Tư pháp"),
    ("Quyết định 40/QĐ-BVHTTDL của Bộ trưởng Bộ Văn hoá, Thể thao và Du lịch về", "40/QĐ-BVHTTDL",
     "QĐ", "40", None, None, "Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch"),
    ("Nghị quyết số 03/2020/NQ-HĐTP của Hội đồng Thẩm phán Tòa án nhân dân tối cao hướng dẫn",
     "03/2020/NQ-HĐTP", "NQ", "03", 2020, None, "Hội đồng Thẩm phán Tòa án nhân dân tối cao"),
    ("Quyết định số 12/2024/QĐ-TTg ngày 1/7/2024 của Thủ tướng Chính phủ Quy định chế độ",
     "12/2024/QĐ-TTg", "QĐ", "12", 2024, "2024-07-01", "Thủ tướng Chính phủ"),
    # TYPE-ISSUER-UNIT: the second part is the issuer
    ("Quyết định số 512/QĐ-BCA-C06 ngày 4/4/2024", "512/QĐ-BCA-C06", "QĐ", "512", 2024,
     "2024-04-04", "Bộ Công an"),
    # the year written after the number instead of a date
    ("Theo Nghị quyết 66-NQ/TW năm 2025 của Bộ Chính trị, đến năm 2030", "66-NQ/TW", "NQ", "66",
     2025, None, "Bộ Chính trị"),
    ("Quyết định 1450/QĐ-UBND 2025 có hiệu lực từ ngày ký", "1450/QĐ-UBND", "QĐ", "1450", 2025,
     None, None),
    ("Kế hoạch 77/KH-UBND 2021 - 2025 của tỉnh", "77/KH-UBND", "KH", "77", None, None, None),
    # pre-2000s numbers N-ISSUER after a type noun; a hyphen written for the slash
    ("Hội đồng Bộ trưởng ban hành Quyết định số 64B-HĐBT năm 1986 về việc", "64B-HĐBT", "QĐ",
     "64B", 1986, None, "Hội đồng Bộ trưởng"),
    ("Nghị định 15-CP năm 1993 của Chính phủ", "15-CP", "NĐ", "15", 1993, None, "Chính phủ"),
    ("Quyết định số 117-NV ngày 12-4-1962 của Bộ trưởng Bộ Nội vụ", "117-NV", "QĐ", "117", 1962,
     "1962-04-12", "Bộ trưởng Bộ Nội vụ"),
    ("Sắc lệnh số 63-SL của Chủ tịch nước", "63-SL", "SL", "63", None, None, "Chủ tịch nước"),
    ("Nghị quyết 18-NQ-TW năm 2017 của Ban Chấp hành Trung ương", "18-NQ/TW", "NQ", "18", 2017,
     None, "Ban Chấp hành Trung ương Đảng"),
    ("Quyết định số 15-QĐ-UBND ngày 2/3/2020", "15/QĐ-UBND", "QĐ", "15", 2020, "2020-03-02", None),
    # a letter's symbol is ISSUER-UNIT even when ISSUER looks like a type code (CT = Cục Thuế)
    ("theo Công văn 3120/CT-TTHT năm 2024 của Cục Thuế", "3120/CT-TTHT", "CV", "3120", 2024, None,
     "Cục Thuế"),
    # 'Văn bản số' before an official letter's number (ISSUER-UNIT); 'của' ending a line
    ("theo Văn bản số 5120/STC-QLNS ngày 8/8/2025 của\nSở Tài chính tỉnh Lai Châu", "5120/STC-QLNS",
     "CV", "5120", 2025, "2025-08-08", "Sở Tài chính tỉnh Lai Châu"),
    # slashes between all parts; 'TƯ' for TW
    ("Bộ Chính trị ban hành Nghị quyết 31/NQ/TW về", "31-NQ/TW", "NQ", "31", None, None, None),
    ("theo Quyết định số 210/QĐ/VPQH ngày 2 tháng 3 năm 2005", "210/QĐ-VPQH", "QĐ", "210", 2005,
     "2005-03-02", None),
    ("quán triệt Nghị quyết số 19-NQ/TƯ của Ban Chấp hành Trung ương", "19-NQ/TW", "NQ", "19", None,
     None, "Ban Chấp hành Trung ương Đảng"),
    # committees of a people's council; a table's next cell is not part of the issuer
    ("Báo cáo số 120/BC-BPC ngày 2/11/2025 của Ban Pháp chế Hội đồng nhân dân tỉnh", "120/BC-BPC",
     "BC", "120", 2025, "2025-11-02", "Ban Pháp chế Hội đồng nhân dân tỉnh"),
    ("Quyết định số 1126/QĐ-UBND ngày 3/9/2025 của Ủy ban nhân dân tỉnh Lai Châu 128 3.000259.H13",
     "1126/QĐ-UBND", "QĐ", "1126", 2025, "2025-09-03", "Ủy ban nhân dân tỉnh Lai Châu"),
    ("Quyết định số 45/QĐ-BTL ngày 1/6/2020 của Bộ Tư lệnh Quân khu 4 về", "45/QĐ-BTL", "QĐ", "45",
     2020, "2020-06-01", "Bộ Tư lệnh Quân khu 4"),
    # a bare number with an unknown code is kept when a date follows it
    ("điều chỉnh tại 3996/QĐUBND ngày 02/10/2019 của Chủ tịch UBND tỉnh Thanh Hóa", "3996/QĐUBND",
     "CV", "3996", 2019, "2019-10-02", "Chủ tịch Ủy ban nhân dân tỉnh Thanh Hóa"),
    # a lowercase letter suffix; a slash between type and issuer; the look-alike Ð for Đ
    ("theo Quyết định số 163a/CT ngày 15 tháng 5 năm 1987", "163a/CT", "QĐ", "163a", 1987,
     "1987-05-15", None),
    ("khoản 37 Điều 1 Nghị định 14/2022/NĐ/CP quy định", "14/2022/NĐ-CP", "NĐ", "14", 2022, None,
     "Chính phủ"),
    ("tại Quyết định 615/QÐ-BVHTTDL năm 2025, cụ thể", "615/QĐ-BVHTTDL", "QĐ", "615", 2025, None,
     "Bộ Văn hóa, Thể thao và Du lịch"),
    # licences (Giấy phép, observed symbol GP)
    ("khai thác theo Giấy phép số 137/GP-UBND ngày 13/07/2017 của UBND tỉnh Lai Châu", "137/GP-UBND",
     "GP", "137", 2017, "2017-07-13", "Ủy ban nhân dân tỉnh Lai Châu"),
    # a symbol that names one national body outranks a phrase that names someone else
    ("hồ sơ theo Nghị định 45/2022/NĐ-CP do Ủy ban nhân dân cấp xã chuyển đến", "45/2022/NĐ-CP",
     "NĐ", "45", 2022, None, "Chính phủ"),
    ("Nghị quyết số 02/2021/NQ-HĐTP của Hội đồng Thẩm phán Tòa án Nhân dân Tối cao, trong đó",
     "02/2021/NQ-HĐTP", "NQ", "02", 2021, None, "Hội đồng Thẩm phán Tòa án nhân dân tối cao"),
    ("công văn số 88/ABC-KD ngày 2/10/2025 của Công ty cổ phần Bình Minh về việc", "88/ABC-KD", "CV",
     "88", 2025, "2025-10-02", "Công ty cổ phần Bình Minh"),
]


@pytest.mark.parametrize("text,key,typ,number,year,date,issuer", FULL)
def test_full_citation_fields(text, key, typ, number, year, date, issuer):
    c = one(text)
    assert (c.key, c.type, c.number, c.year, c.date, c.issuer) == (key, typ, number, year, date, issuer)


def test_date_typo_keeps_raw_text():
    c = one("Kết luận số 51-KL/TW ngày 30/5/20219 của Ban Bí thư")
    assert c.date is None and c.date_text == "ngày 30/5/20219"


@pytest.mark.parametrize("text,term", [
    ("Nghị quyết số 29-NQ/TW, ngày 04/11/2013 của Ban Chấp hành Trung ương Đảng khoá XI “Về", "XI"),
    ("Chỉ thị số 29-CT/TW, ngày 05/01/2024 của Bộ Chính trị (khóa XIII) về", "XIII"),
])
def test_committee_term(text, term):
    assert one(text).term == term


@pytest.mark.parametrize("text", [
    "ngày 12/8/2024 học sinh 2 buổi/ngày, tỷ lệ 3-5 tuổi, lớp 10/12",
    "Chương trình giáo dục phổ thông 2018 và Kế hoạch này",
    "giai đoạn 2021-2025, năm học 2024 - 2025",
    "SEA-PLM, PISA, TALIS chu kỳ 2024, 2025",
    "lập sai theo Mẫu số 04/SS-HĐĐT, Phụ lục số 01/PLI kèm theo",
    "Quy chuẩn kỹ thuật Quốc gia QCVN 31:2014/BGTVT",
    # N-WORD without a type noun before it: a school, a licence plate, a machine model
    "Trường Cao đẳng Nghề số 4 - Bộ Quốc phòng; biển số xe 37-B1; tổng đài Domino 70-E",
    "QL 1 - Quán Hành - TL 534 - TT Yên Thành",
    # N/WORD with no type noun before it and no known code: forms, foreign dates, page codes
    "kê khai theo 01/TTS và 02/QTTTNCN; sách in năm 1852/Livre",
])
def test_not_citations(text):
    assert cites(text) == []


def test_coordinated_list_shares_trailing_issuer():
    cs = cites("về việc thực hiện Nghị quyết số 88/2014/QH13 và Nghị quyết số 51/2017/QH14 "
               "của Quốc hội về đổi mới chương trình")
    assert [(c.key, c.issuer) for c in cs] == [("88/2014/QH13", "Quốc hội"),
                                                ("51/2017/QH14", "Quốc hội")]


def test_coordinated_sharing_needs_same_type_and_no_date():
    cs = cites("quán triệt Kết luận số 91-KL/TW và Kế hoạch số 740/KH-BCSD ngày 31/12/2024 "
               "của Ban Cán sự đảng UBND tỉnh Lai Châu")
    assert cs[0].key == "91-KL/TW" and cs[0].issuer is None


def test_short_forms_resolve_to_the_full_citation():
    text = ("mục tiêu của Đề án số 03-ĐA/TU ngày 28/10/2020 của Thành ủy Lào Cai. "
            "Thực hiện mục tiêu của Đề án số 03; theo Nghị quyết số 29-NQ/TW. Nghị quyết 29 "
            "và Kế hoạch 5 năm")
    cs = cites(text)
    shorts = [c for c in cs if c.short_form]
    assert [(c.text, c.key) for c in shorts] == [("Đề án số 03", "03-ĐA/TU"),
                                                  ("Nghị quyết 29", "29-NQ/TW")]
    assert shorts[0].issuer == "Thành ủy Lào Cai" and shorts[0].date == "2020-10-28"


def test_short_form_takes_the_issuer_the_symbol_gives():
    cs = cites("Quyết định 1502/QĐ-BYT năm 2025 về danh mục thuốc. Theo Quyết định 1502 thì")
    assert [(c.key, c.issuer, c.year) for c in cs] == [("1502/QĐ-BYT", "Bộ Y tế", 2025)] * 2


def test_later_mention_takes_fields_of_full_one():
    cs = cites("Kết luận số 91-KL/TW ngày 12/8/2024 của Bộ Chính trị. Quán triệt Kết luận số 91-KL/TW.")
    assert [(c.date, c.issuer) for c in cs] == [("2024-08-12", "Bộ Chính trị")] * 2


def test_relative_issuer_completed_from_document_place():
    text = ("Kế hoạch số 2943/KH-UBND ngày 19/8/2024 của UBND thành phố thực hiện Nghị quyết số "
            "32/NQ-CP ngày 20/3/2024 của Chính phủ; Kế hoạch số 197-KH/ThU ngày 28/5/2024 của Thành ủy")
    h = Header(issuer="Ủy ban nhân dân thành phố Lai Châu")
    cs = cites(text, header=h)
    assert cs[0].issuer == "Ủy ban nhân dân thành phố Lai Châu"
    assert cs[2].issuer == "Thành ủy Lai Châu"


def test_provincial_department_from_symbol_completed_with_the_province():
    cs = cites("thành phố Lào Cai, tỉnh Lào Cai. Công văn số 666/SGD&ĐT-GDĐH&GDTX ngày 17/4/2024")
    assert cs[0].issuer == "Sở Giáo dục và Đào tạo tỉnh Lào Cai"


def test_capitalised_city_as_relative_issuer():
    text = ("Hội đồng nhân dân thành phố Hà Nội khóa XVI; xét Tờ trình số 404/TTr-UBND ngày "
            "20/11/2025 của Ủy ban nhân dân Thành phố; các quận của thành phố Hà Nội")
    assert one(text).issuer == "Ủy ban nhân dân thành phố Hà Nội"


def test_relative_issuer_left_alone_when_place_unknown():
    c = one("Kế hoạch số 309/KH-UBND ngày 25/12/2020 của UBND thành phố; ")
    assert c.issuer == "Ủy ban nhân dân thành phố"


def test_self_reference_by_own_number_is_not_a_citation():
    h = Header(key="3707/KH-UBND")
    assert cites("Căn cứ Kế hoạch số 3707/KH-UBND, các đơn vị thực hiện Kế hoạch này.", header=h) == []


CHAINS = [
    ("Kế hoạch số 224-KH/ThU ngày 27/11/2024 của Thành ủy Lai Châu về thực hiện Kết luận số "
     "91-KL/TW, ngày 12/8/2024 của Bộ Chính trị về tiếp tục thực hiện Nghị quyết số 29-NQ/TW, "
     "ngày 04/11/2013 của Ban Chấp hành Trung ương Đảng khoá XI",
     [("224-KH/ThU", "implements", "91-KL/TW"), ("91-KL/TW", "implements", "29-NQ/TW")]),
    ("Nghị quyết số 32/NQ-CP ngày 20/3/2024 của Chính phủ ban hành Kế hoạch thực hiện Nghị quyết "
     "số 686/NQ-UBTVQH15 ngày 18/9/2023 của Ủy ban Thường vụ Quốc hội giám sát chuyên đề về việc "
     "thực hiện Nghị quyết số 88/2014/QH13",
     [("32/NQ-CP", "implements", "686/NQ-UBTVQH15")]),
    ("Kế hoạch số 121/KH-UBND ngày 18/3/2024 về thực hiện Đề án số 16- ĐA/TU ngày 11/12/2020",
     [("121/KH-UBND", "implements", "16-ĐA/TU")]),
    ("Kế hoạch số 334-KH/TU ngày 9/8/2024 của Thành uỷ về việc thực hiện Chương trình hành động "
     "số 355-CTr/TU, ngày 28/5/2024 của Tỉnh ủy",
     [("334-KH/TU", "implements", "355-CTr/TU")]),
    ("Thông tư số 10/2020/TT-BGDĐT hướng dẫn thi hành Nghị định số 71/2020/NĐ-CP",
     [("10/2020/TT-BGDĐT", "guides", "71/2020/NĐ-CP")]),
    # stated with 'đẩy mạnh', across one line break, inside emphasis
    ("Kế hoạch số 224-KH/ThU ngày 27/11/2024 của Thành ủy về đẩy mạnh thực hiện Kết luận số "
     "91-KL/TW", [("224-KH/ThU", "implements", "91-KL/TW")]),
    ("Kế hoạch số 224-KH/ThU ngày 27/11/2024 của Thành ủy về tiếp tục thực hiện\nKết luận số "
     "91-KL/TW", [("224-KH/ThU", "implements", "91-KL/TW")]),
    ("Kế hoạch số 224-KH/ThU của Thành ủy *về thực hiện Kết luận số 91-KL/TW*",
     [("224-KH/ThU", "implements", "91-KL/TW")]),
    # ... but a line that opens a new clause is no chain
    ("Kết luận số 91-KL/TW ngày 12/8/2024 của Bộ Chính trị\nCăn cứ Kế hoạch số 224-KH/ThU", []),
    # two citations in a list are not a chain
    ("Nghị quyết số 42-NQ/TW và Nghị quyết số 68-NQ/CP", []),
    ("...khoá XI\nCăn cứ Kế hoạch số 224-KH/ThU ngày 27/11/2024", []),
]


@pytest.mark.parametrize("text,edges", CHAINS)
def test_chain_edges(text, edges):
    got = [(r.source, r.relation, r.target) for r in extract_citations(text)[1]]
    assert got == edges


def test_named_laws():
    """Names the gazetteer identifies become citations with their number; the others stay named
    references (never a guessed number)."""
    cits, _, named = extract_citations(
        "theo Luật Giáo dục quốc phòng và an ninh năm 2013, các văn bản; dự thảo Luật Nhà giáo và "
        "các Nghị quyết; rà soát Luật Giáo dục theo chỉ đạo; Bộ luật Lao động năm 2019.")
    assert [(c.key, c.title, c.year) for c in cits] == [
        ("30/2013/QH13", "Luật Giáo dục quốc phòng và an ninh", 2013),
        ("45/2019/QH14", "Bộ luật Lao động", 2019),
    ]
    assert [(n.type, n.name, n.year) for n in named] == [
        ("Luật", "Luật Nhà giáo", None),
        ("Luật", "Luật Giáo dục", None),
    ]


@pytest.mark.parametrize("text,names", [
    ("theo Luật Phòng, chống tham nhũng năm 2018 thì", [("Luật Phòng, chống tham nhũng", 2018)]),
    ("Luật Nhà ở không có hợp đồng", [("Luật Nhà ở", None)]),
    ("Công ty Luật Minh Khuê tư vấn; Thư viện Luật Việt Nam", []),
    ("cộng đồng Dân Luật Việt Nam, hỏi đáp", []),
    ("Căn cứ Luật Tổ chức Quốc hội số 57/2014/QH13", []),
])
def test_named_law_boundaries(text, names):
    assert [(n.name, n.year) for n in find_named(text)] == names


def test_spans_index_the_text():
    text = "Căn cứ Chỉ thị số 11/CT-UBND ngày 26/8/2022 của UBND tỉnh Lai Châu về thực hiện"
    c = one(text)
    assert text[c.start:c.end] == c.text
    assert c.text == "Chỉ thị số 11/CT-UBND ngày 26/8/2022 của UBND tỉnh Lai Châu"


@pytest.mark.parametrize("make, n", [
    (lambda n: "/" * n, 25_000),
    (lambda n: "-" * n, 25_000),
    (lambda n: "1" * n, 25_000),
    (lambda n: "1/" * n, 12_500),
    (lambda n: "12-" * n, 8_250),
    (lambda n: "1/KH-" * n, 5_000),
    (lambda n: "Kế hoạch số " * n, 2_000),
    (lambda n: "của " + "Ủy ban " * n, 3_750),
    (lambda n: "ngày 1/1/" * n, 2_500),
    (lambda n: "A-" * n, 12_500),
])
def test_adversarial_input_is_linear(make, n):
    assert_linear(extract_citations, make, n)


# (text, [(key, relation)]) — the citing document's relation to each document it cites
RELATIONS = [
    # a ';' list continues its clause's cue
    ("Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát thủ tục hành "
     "chính; Nghị định số 92/2017/NĐ-CP ngày 07/8/2017 của Chính phủ;\nTheo đề nghị của Sở Tư pháp "
     "tại Tờ trình số 25/TTr-STP.",
     [("63/2010/NĐ-CP", "based_on"), ("92/2017/NĐ-CP", "based_on"), ("25/TTr-STP", "mentions")]),
    ("Thực hiện Chỉ thị số 46-CT/TW ngày 16/5/2025 của Bộ Chính trị về bầu cử; Chỉ thị số 28/CT-TTg "
     "ngày 18/9/2025 của Thủ tướng Chính phủ về tổ chức bầu cử;\nI. MỤC ĐÍCH",
     [("46-CT/TW", "implements"), ("28/CT-TTg", "implements")]),
    # a colon opens the list
    ("- Căn cứ các Luật của Quốc hội: Luật Lưu trữ số 33/2024/QH15; Luật Dữ liệu số 60/2024/QH15;",
     [("33/2024/QH15", "based_on"), ("60/2024/QH15", "based_on")]),
    # a law's name (broken across lines) stands between the cue and the number
    ("Căn cứ Luật\nLâm nghiệp số 16/2017/QH14 ngày 15 tháng 11 năm 2017;", [("16/2017/QH14", "based_on")]),
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật số "
     "87/2025/QH15;", [("87/2025/QH15", "based_on")]),
    # an article of the cited document
    ("Căn cứ điểm b khoản 1 Điều 3 Thông tư số 111/2013/TT-BTC của Bộ Tài chính,",
     [("111/2013/TT-BTC", "based_on")]),
    ("Quyết định này quy định chi tiết khoản 2 Điều 46 Nghị định số 156/2018/NĐ-CP.",
     [("156/2018/NĐ-CP", "guides")]),
    # the cue phrase with its comma, in a title
    ("THÔNG TƯ\nSỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA THÔNG TƯ SỐ 55/2023/TT-BTC NGÀY 15 THÁNG 8 NĂM 2023",
     [("55/2023/TT-BTC", "amends")]),
    # proposed, passive or another document's act: not the citing document's
    ("đề nghị Bộ Tài chính báo cáo cấp có thẩm quyền bãi bỏ Quyết định số 1504/QĐ-TTg.",
     [("1504/QĐ-TTg", "mentions")]),
    ("tổng hợp kiến nghị trong quá trình sửa đổi, bổ sung Nghị định số 76/2019/NĐ-CP.",
     [("76/2019/NĐ-CP", "mentions")]),
    ("- Luật sửa đổi, bổ sung một số điều của Luật Di sản văn hóa số 32/2009/QH12.",
     [("32/2009/QH12", "mentions")]),
    ("đã hoàn thành xây dựng Nghị định hướng dẫn Luật số 90/2025/QH15 của Quốc hội.",
     [("90/2025/QH15", "mentions")]),
    ("Điều 2. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số 89/QĐ-UBND.",
     [("89/QĐ-UBND", "replaces")]),
]


@pytest.mark.parametrize("text,expected", RELATIONS)
def test_relation_of_citing_document(text, expected):
    kw = {}
    if text.startswith("THÔNG TƯ"):
        kw = {"header": Header(title=text.split("\n", 1)[1])}
    at = text.find("\nI. ")
    if at >= 0:  # the preamble ends where the first section starts
        kw["sections"] = [Section("I", "MỤC ĐÍCH", 1, at + 1, len(text))]
    got = [(c.key, c.relation) for c in cites(text, **kw) if not c.short_form]
    assert got == expected


CHAINS_MORE = [
    # the cue phrase keeps its comma; the object 'một số điều của' / 'một số nội dung của'
    ("Căn cứ Nghị định số 91/2024/NĐ-CP ngày 18/7/2024 của Chính phủ sửa đổi, bổ sung một số điều "
     "của Nghị định số 156/2018/NĐ-CP",
     [("91/2024/NĐ-CP", "amends", "156/2018/NĐ-CP")]),
    ("Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 hướng dẫn thi hành một số nội dung của Nghị định "
     "số 118/2025/NĐ-CP",
     [("03/2025/TT-VPCP", "guides", "118/2025/NĐ-CP")]),
    ("Thông tư số 130/2025/TT-BQP sửa đổi, bổ sung điểm a khoản 3 Điều 5 Thông tư số 67/2024/TT-BQP",
     [("130/2025/TT-BQP", "amends", "67/2024/TT-BQP")]),
    # passive: the agent amends the subject
    ("Căn cứ Luật Quản lý, sử dụng tài sản công số 15/2017/QH14 được sửa đổi, bổ sung bởi Luật số "
     "56/2024/QH15 và Luật số 90/2025/QH15;",
     [("56/2024/QH15", "amends", "15/2017/QH14"), ("90/2025/QH15", "amends", "15/2017/QH14")]),
    # the document issued before the cue
    ("Nghị quyết số 138/NQ-CP ngày 16/5/2025 của Chính phủ ban hành Kế hoạch hành động của Chính "
     "phủ thực hiện Nghị quyết số 68-NQ/TW",
     [("138/NQ-CP", "implements", "68-NQ/TW")]),
    # 'và' adds a second target; a comma list does not
    ("Kế hoạch số 283/KH-UBND ngày 24/9/2025 về thực hiện Nghị quyết số 71/NQ-CP ngày 01/4/2025 của "
     "Chính phủ và Chương trình hành động số 10-CTr/TU ngày 13/8/2025 của Ban Thường vụ Tỉnh ủy",
     [("283/KH-UBND", "implements", "71/NQ-CP"), ("283/KH-UBND", "implements", "10-CTr/TU")]),
    ("Kết luận số 91-KL/TW của Bộ Chính trị về tiếp tục thực hiện Nghị quyết số 29-NQ/TW, Kế hoạch "
     "số 740/KH-BCSD ngày 31/12/2024",
     [("91-KL/TW", "implements", "29-NQ/TW")]),
    # a clause break is not a chain
    ("Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15; Căn cứ Nghị định số 63/2010/NĐ-CP",
     []),
]


@pytest.mark.parametrize("text,edges", CHAINS_MORE)
def test_more_chain_edges(text, edges):
    got = [(r.source, r.relation, r.target) for r in extract_citations(text)[1]]
    assert got == edges


def test_chain_from_the_citing_document_itself_is_not_an_edge():
    h = Header(key="2638/QĐ-UBND")
    text = "Quyết định số 2638/QĐ-UBND bãi bỏ Quyết định số 636/QĐ-UBND ngày 17/3/2025"
    cits, edges, _ = extract_citations(text, header=h)
    assert edges == []
    assert [(c.key, c.relation) for c in cits] == [("636/QĐ-UBND", "repeals")]


def test_passive_reaches_back_over_the_subject_title():
    text = ("Căn cứ Nghị định số 08/2015/NĐ-CP ngày 21/01/2015 của Chính phủ quy định chi tiết và biện "
            "pháp thi hành Luật Hải quan về thủ tục hải quan, được sửa đổi, bổ sung tại Nghị định số "
            "167/2025/NĐ-CP ngày 30/6/2025 của Chính phủ; Căn cứ Thông tư số 38/2015/TT-BTC;")
    cits, edges, _ = extract_citations(text)
    assert [(e.source, e.relation, e.target) for e in edges] == [
        ("08/2015/NĐ-CP", "guides", "54/2014/QH13"), ("167/2025/NĐ-CP", "amends", "08/2015/NĐ-CP")]
    # the law named in the decree's title (in force at the decree's date) is a mention; the
    # document rests on the decree as amended: on the amending decree too
    assert [(c.key, c.relation) for c in cits] == [
        ("08/2015/NĐ-CP", "based_on"), ("54/2014/QH13", "mentions"),
        ("167/2025/NĐ-CP", "based_on"), ("38/2015/TT-BTC", "based_on")]


@pytest.mark.parametrize("text,issuer,term", [
    # names broken over a line, as web and PDF text breaks them
    ("Thực hiện Kết luận số 91-KL/TW ngày 12/8/2024 của Bộ\nChính trị về tiếp tục", "Bộ Chính trị", None),
    ("Thực hiện Kế hoạch số 12/KH-UBND ngày 5/1/2025 của UBND\ntỉnh Lai Châu về", "Ủy ban nhân dân tỉnh Lai Châu", None),
    ("Căn cứ Nghị quyết số 05/2024/NQ-HĐND ngày 10/7/2024 của Hội đồng\nnhân dân tỉnh Điện Biên;",
     "Hội đồng nhân dân tỉnh Điện Biên", None),
    # ... but not into the next sentence
    ("Căn cứ Kết luận số 01-KL/TW của Bộ Chính trị\n- Tổ chức quán triệt", "Bộ Chính trị", None),
    # the conference is not the issuer: the Committee is
    ("Thực hiện Nghị quyết số 29-NQ/TW ngày 04/11/2013 của Hội nghị lần thứ sáu Ban\nChấp hành Trung "
     "ương Đảng khóa XI về đổi mới", "Ban Chấp hành Trung ương Đảng", "XI"),
    # two words a lost space glued
    ("Căn cứ Thông tư số 09/2024/TT-BGDĐT ngày 03/6/2024 của Bộ trưởngBộ Giáo dục và Đào tạo quy định",
     "Bộ Giáo dục và Đào tạo", None),
    # the issuer named before the document it sent
    ("Theo đề nghị của Giám đốc Sở\nNông nghiệp và Môi trường tại Tờ trình số 633/TTr-SNNMT ngày 10 "
     "tháng 11 năm 2025.", "Giám đốc Sở Nông nghiệp và Môi trường", None),
])
def test_issuers_as_real_text_prints_them(text, issuer, term):
    c = extract_citations(text)[0][0]
    assert (c.issuer, c.term) == (issuer, term)


def test_a_department_takes_the_province_of_the_citing_document():
    text = ("ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK\nCăn cứ Quyết định số 12/2025/QĐ-UBND của Ủy ban nhân dân "
            "tỉnh Đắk Lắk;\nTheo đề nghị của Sở Tài chính tại Tờ trình số 252/TTr-STC ngày "
            "30/10/2025.")
    got = {c.key: c.issuer for c in extract_citations(text)[0]}
    assert got["252/TTr-STC"] == "Sở Tài chính tỉnh Đắk Lắk"


@pytest.mark.parametrize("text", [
    "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ\n\nChính trị về đột phá",
    "Căn cứ Kết luận số 91-KL/TW ngày 12/8/2024 của Bộ Chính",
])
def test_a_head_that_cannot_stand_alone_is_no_issuer(text):
    """'Bộ', 'Bộ Chính': a name cut short names no body; the graph must not show 57-NQ/TW as
    issued by 'Bộ'."""
    assert extract_citations(text)[0][0].issuer is None
