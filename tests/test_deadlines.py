"""Deadlines: every form the issue names, the traps, agencies, values, robustness, evaluation."""
from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest
from linearity import assert_linear

from pipeline.deadlines import extract_deadlines
from pipeline.deadlines.evaluate import locate_one, score
from pipeline.deadlines.grammar import Grammar, grammar, quoted_spans
from pipeline.deadlines.values import parse_doc_date
from pipeline.model import Section, Text
from pipeline.normalise import normalise_string
from pipeline.resources import load

ROOT = Path(__file__).resolve().parent.parent


def run(s: str, doc_date="2024-09-17", **kw):
    text = normalise_string(s)
    out = extract_deadlines(text, doc_date=doc_date, **kw)
    for d in out:  # spans index the normalised text
        assert text.text[d.start:d.end] == d.text
    return text, out


def only(s: str, doc_date="2024-09-17", **kw):
    _t, out = run(s, doc_date, **kw)
    assert len(out) == 1, [(d.text, d.value) for d in out]
    return out[0]


# --------------------------------------------------------------------------- forms → values
FORMS = [
    # sentence, doc_date, surface, kind, value, modifier, label
    ("Các đơn vị báo cáo kết quả trước ngày 15/12/2024.", "2024-09-17",
     "trước ngày 15/12/2024", "deadline", "2024-12-15", "before", None),
    ("Sở Giáo dục và Đào tạo tổng hợp, báo cáo chậm nhất ngày 30 tháng 6 năm 2025.", "2024-09",
     "chậm nhất ngày 30 tháng 6 năm 2025", "deadline", "2025-06-30", "no_later_than", None),
    ("Các trường hoàn thành trong quý III/2025.", "2024",
     "hoàn thành trong quý III/2025", "deadline", "2025-Q3", "within", "2025-Q3"),
    ("Hoàn thành việc sáp nhập trong quý 3 năm 2025.", None,
     "trong quý 3 năm 2025", "deadline", "2025-Q3", "within", "2025-Q3"),
    ("Báo cáo tổng hợp trước qúy IV/2024.", None,
     "trước qúy IV/2024", "deadline", "2024-Q4", "before", "2024-Q4"),
    ("Tổ chức tập huấn trong tháng 12/2025.", None,
     "trong tháng 12/2025", "deadline", "2025-12", "within", None),
    ("Các trường hoàn thành việc kiểm định cuối năm 2024.", None,
     "cuối năm 2024", "deadline", "2024", "end", None),
    ("Phấn đấu cuối năm 2024 công nhận 3 xã đạt chuẩn.", None,
     "cuối năm 2024", "target", "2024", "end", None),
    ("Sơ kết việc thực hiện trong 6 tháng đầu năm 2025.", None,
     "trong 6 tháng đầu năm 2025", "deadline", "2025-01/2025-06", "within", "2025-H1"),
    ("Tổ chức sơ kết vào 6 tháng cuối năm 2025 và báo cáo.", None,
     "vào 6 tháng cuối năm 2025", "deadline", "2025-07/2025-12", None, "2025-H2"),
    ("Các đơn vị gửi báo cáo trước 31/5/2025.", None,
     "trước 31/5/2025", "deadline", "2025-05-31", "before", None),
    ("Đẩy nhanh tiến độ xây dựng trường MN Hoa Ban đi vào hoạt động ở năm học 2025-2026.", None,
     "ở năm học 2025-2026", "deadline", "2025-09-05/2026-05-31", None, "SY2025-2026"),
    ("Các chỉ tiêu phấn đấu đạt được trong năm học 2024 - 2025.", None,
     "trong năm học 2024 - 2025", "target", "2024-09-05/2025-05-31", "within", "SY2024-2025"),
    ("Bảo đảm đến năm 2027 các trường có đủ cơ sở vật chất.", None,
     "đến năm 2027", "deadline", "2027", "by", None),
    ("Phấn đấu đến năm 2030, 100% trường đạt chuẩn quốc gia.", None,
     "đến năm 2030", "target", "2030", "by", None),
    ("Xây dựng đội ngũ nhà giáo đạt chuẩn, tầm nhìn đến năm 2045.", None,
     "tầm nhìn đến năm 2045", "target", "2045", "by", None),
    ("Ban hành quy chế trong vòng 30 ngày kể từ ngày ký.", "2024-09-17",
     "trong vòng 30 ngày kể từ ngày ký", "time_limit", "P30D", "within", None),
    ("Các xã báo cáo trong 10 ngày kể từ ngày 01/01/2025.", None,
     "trong 10 ngày kể từ ngày 01/01/2025", "time_limit", "P10D", "within", None),
    ("Hoàn thành trong vòng 3 tháng kể từ ngày ban hành.", "2024-11-30",
     "trong vòng 3 tháng kể từ ngày ban hành", "time_limit", "P3M", "within", None),
    ("Các đơn vị báo cáo trước ngày 15/12.", "2024-09-17",
     "trước ngày 15/12", "deadline", "2024-12-15", "before", "--12-15"),
    ("Các đơn vị báo cáo trước ngày 15/3.", "2024-09",
     "trước ngày 15/3", "deadline", "2025-03-15", "before", "--03-15"),
    ("Tổ chức hội nghị trong tháng Sáu năm 2025.", None,
     "trong tháng Sáu năm 2025", "deadline", "2025-06", "within", None),
    ("Nộp hồ sơ trước ngày 15 tháng Chạp.", "2024-09",
     "trước ngày 15 tháng Chạp", "deadline", "2024-12-15", "before", "--12-15"),
    ("Tổ chức ngày hội vào tháng Năm năm 2025.", None,
     "vào tháng Năm năm 2025", "event", "2025-05", None, None),
    ("Các trường hoàn thành trong quý II.", "2024-09",
     "hoàn thành trong quý II", "deadline", "2025-Q2", "within", "2025-Q2"),
    ("Tổ chức Ngày hội chuyển đổi số ngành giáo dục năm 2024, để thúc đẩy hợp tác.", None,
     "năm 2024", "deadline", "2024", None, None),
    ("Tổ chức tuyển sinh từ ngày 01/7/2025 đến ngày 15/7/2025.", None,
     "từ ngày 01/7/2025 đến ngày 15/7/2025", "deadline", "2025-07-01/2025-07-15", None, None),
    ("Áp dụng thống nhất từ năm học 2025-2026.", "2024-09",
     "từ năm học 2025-2026", "start", "2025-09-05/2026-05-31", None, "SY2025-2026"),
    ("Triển khai thí điểm từ học kỳ II năm học 2024-2025.", None,
     "từ học kỳ II năm học 2024-2025", "start", "2025-01-18/2025-05-31", None, "SY2024-2025-HK2"),
    ("Hoàn thành trước khi kết thúc học kỳ I.", "2024-09",
     "trước khi kết thúc học kỳ I", "deadline", "2024-09-05/2025-01-17", "before", "SY2024-2025-HK1"),
    ("Chậm nhất đến ngày 31/12/2025, 100% cơ sở giáo dục triển khai học bạ số.", None,
     "Chậm nhất đến ngày 31/12/2025", "deadline", "2025-12-31", "no_later_than", None),
    ("Thời gian thực hiện: Quý IV/2024.", None,
     "Thời gian thực hiện: Quý IV/2024", "deadline", "2024-Q4", None, "2024-Q4"),
    ("Thời gian thực hiện: từ tháng 9/2024 đến tháng 5/2025.", None,
     "từ tháng 9/2024 đến tháng 5/2025", "deadline", "2024-09/2025-05", None, None),
    ("Gửi hồ sơ về Sở trước 17h00 ngày 15/12/2024.", None,
     "trước 17h00 ngày 15/12/2024", "deadline", "2024-12-15", "before", None),
    ("Kế hoạch được triển khai từ ngày 01/9/2024.", "2024-09-17",
     "từ ngày 01/9/2024", "start", "2024-09-01", None, None),
    ("Chi trả chính sách ngay từ đầu năm học, đúng thời gian.", "2024-09",
     "từ đầu năm học", "start", "2024-09-05/2025-05-31", "start", "SY2024-2025"),
]


FORMS += [
    ("Các xã hoàn thành việc sửa chữa nhà chậm nhất trước ngày 31/12/2024.", "2024-09-17",
     "chậm nhất trước ngày 31/12/2024", "deadline", "2024-12-31", "no_later_than", None),
    ("Bộ Xây dựng báo cáo Thủ tướng chậm nhất trong ngày 13 tháng 10 năm 2024.", None,
     "chậm nhất trong ngày 13 tháng 10 năm 2024", "deadline", "2024-10-13", "no_later_than", None),
    ("Công khai kết quả chậm nhất sau 15 ngày kể từ ngày kết thúc tiếp nhận.", None,
     "chậm nhất sau 15 ngày kể từ ngày kết thúc tiếp nhận", "time_limit", "P15D", "no_later_than", None),
    # the first date of a range takes the year of the second
    ("Thời gian nhận hồ sơ: từ ngày 16/7 đến hết ngày 25/7/2025.", None,
     "từ ngày 16/7 đến hết ngày 25/7/2025", "deadline", "2025-07-16/2025-07-25", None, None),
    # "của năm xét tặng": the year is not the document's
    ("Các đơn vị gửi hồ sơ trước ngày 31 tháng 7 của năm xét tặng.", "2024-09-17",
     "trước ngày 31 tháng 7", "deadline", None, "before", "--07-31"),
    # an effective clause that is only the anchor of a relative deadline
    ("Hoàn thành việc sắp xếp không quá 03 tháng kể từ ngày Nghị định này có hiệu lực thi hành.", None,
     "không quá 03 tháng kể từ ngày Nghị định này có", "time_limit", "P3M", "no_later_than", None),
]


def test_coordinated_amounts_share_the_trigger():
    _t, out = run("Thông báo cho người sử dụng đất chậm nhất 90 ngày đối với đất nông nghiệp "
                  "và 180 ngày đối với đất phi nông nghiệp.")
    assert [(d.text, d.kind, d.modifier, d.duration) for d in out] == [
        ("chậm nhất 90 ngày", "time_limit", "no_later_than", "P90D"),
        ("180 ngày", "time_limit", "no_later_than", "P180D")]


def test_subject_after_a_sentence_initial_deadline():
    d = only("Trước ngày 10/4/2025, Bộ Tư pháp chủ trì, phối hợp với Sở Nội vụ rà soát văn bản.")
    assert (d.agency, d.partners) == ("Bộ Tư pháp", ["Sở Nội vụ"])
    d = only("Theo Kế hoạch, trước ngày 18/4/2025, Sở Nội vụ thẩm định hồ sơ đề án.")
    assert d.agency == "Sở Nội vụ"
    d = only("Tổ chức tập huấn cho giáo viên, Sở Tài chính bố trí kinh phí trước ngày 18/4/2025.")
    assert d.agency is None  # what precedes the comma is a task, not an adverbial


def test_event_directed_after_a_past_marker_is_kept():
    d = only("Thủ tướng đã ban hành Công điện chỉ đạo các bộ chuẩn bị tổ chức lễ khánh thành "
             "vào ngày 19 tháng 8 năm 2025.")
    assert d.value == "2025-08-19"


@pytest.mark.parametrize("sentence,doc_date,surface,kind,value,modifier,label", FORMS)
def test_forms(sentence, doc_date, surface, kind, value, modifier, label):
    d = only(sentence, doc_date)
    assert (d.text, d.kind, d.value, d.modifier, d.label) == (surface, kind, value, modifier, label)
    assert d.rule


RECURRENCES = [
    ("Các đơn vị định kỳ hằng năm báo cáo kết quả.", "định kỳ hằng năm", "FREQ=YEARLY", None),
    ("Các trường báo cáo hằng quý về Phòng.", "hằng quý", "FREQ=MONTHLY;INTERVAL=3", None),
    ("Sơ kết định kỳ 6 tháng và rút kinh nghiệm.", "định kỳ 6 tháng", "FREQ=MONTHLY;INTERVAL=6", None),
    ("Báo cáo trước ngày 15 tháng 11 hằng năm.", "trước ngày 15 tháng 11 hằng năm",
     "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15", "before"),
    ("Gửi số liệu trước ngày 20 hằng tháng.", "trước ngày 20 hằng tháng", "FREQ=MONTHLY;BYMONTHDAY=20",
     "before"),
    ("Hàng tháng báo cáo tiến độ.", "Hàng tháng", "FREQ=MONTHLY", None),
    ("Kiểm tra hàng năm các cơ sở giáo dục.", "hàng năm", "FREQ=YEARLY", None),
    ("Định kỳ tổng hợp kết quả, báo cáo UBND huyện.", "Định kỳ", None, None),
    ("Tổ chức đánh giá 6 tháng một lần.", "6 tháng một lần", "FREQ=MONTHLY;INTERVAL=6", None),
    ("Tổ chức hội thi 2 lần/năm.", "2 lần/năm", "FREQ=MONTHLY;INTERVAL=6", None),
    ("Báo cáo định kỳ hằng tuần.", "định kỳ hằng tuần", "FREQ=WEEKLY", None),
    ("Hằng năm, các đơn vị tổng hợp kết quả gửi về Sở.", "Hằng năm", "FREQ=YEARLY", None),
]


@pytest.mark.parametrize("sentence,surface,value,modifier", RECURRENCES)
def test_recurrences(sentence, surface, value, modifier):
    d = only(sentence)
    assert (d.kind, d.text, d.value, d.modifier) == ("recurring", surface, value, modifier)


# --------------------------------------------------------------------------- traps
TRAPS = [
    "Thực hiện Quyết định số 2236/QĐ-BGDĐT ngày 23/8/2024 của Bộ Giáo dục và Đào tạo.",
    "Hợp đồng lao động theo Nghị định số 09/2019/NĐ-CP và Nghị định 111/2022/NĐ-CP.",
    "Thực hiện Nghị quyết số 29-NQ/TW, ngày 04/11/2013 và Chỉ thị số 05- CT/TW ngày 15/5/2016.",
    "Thực hiện Kế hoạch số 3707/KH-UBND ngày 17/9/2024 của Ủy ban nhân dân tỉnh.",
    "Chương trình mục tiêu quốc gia xây dựng nông thôn mới giai đoạn 2021 - 2025.",
    "Triển khai Đề án “Tăng cường ứng dụng công nghệ thông tin giai đoạn 2022 - 2025, định hướng đến năm 2030”.",
    "Đề án tổng thể phát triển giáo dục thể chất giai đoạn 2016 - 2020, định hướng đến năm 2025; tăng cường tổ chức bữa ăn.",
    "Rà soát mạng lưới gắn với Quyết định số 1585/QĐ-TTg ngày 07/12/2023 của Thủ tướng về phê duyệt Quy hoạch "
    "tỉnh Lai Châu thời kỳ 2021-2030, tầm nhìn đến năm 2050 và quy hoạch ngành.",
    "Thực hiện Kế hoạch số 346/KH-UBND ngày 26/12/2022 của UBND thành phố về kiểm định chất lượng giai đoạn "
    "2023-2025, định hướng đến năm 2030.",
    "Kế hoạch này có hiệu lực kể từ ngày ký.",
    "Quyết định này có hiệu lực thi hành kể từ ngày 01/01/2025.",
    "Hà Nội, ngày 17 tháng 9 năm 2024",
    "Thành phố Lai Châu, ngày tháng 9 năm 2024",
    "Tiếp tục duy trì các lớp xóa mù chữ đã mở năm 2022.",
    "Năm học 2023-2024, toàn ngành đã hoàn thành trước ngày 15/12/2023 việc kiểm định.",
    "Quán triệt thực hiện nhiệm vụ trọng tâm năm học 2024 - 2025.",
    "Chỉ đạo của Sở về nhiệm vụ trọng tâm của ngành trong năm học 2024 - 2025.",
    "Kỷ niệm 20 năm thành lập thành phố (30/11/2004 - 30/11/2024).",
    "Giảm tỷ lệ trẻ suy dinh dưỡng từ 3-5% so với đầu năm.",
    "Luật Giáo dục quốc phòng và an ninh năm 2013, các văn bản có liên quan.",
    "Dự báo biến động về quy mô học sinh hằng năm và trong giai đoạn 5 năm, 10 năm.",
    "Cụ thể hóa chỉ tiêu trong chương trình, kế hoạch hằng năm phù hợp với chức năng.",
    "Đưa dạy và học trên môi trường số trở thành hoạt động thiết yếu, hàng ngày đối với nhà giáo.",
    "Các văn bản chỉ đạo của Sở GD&ĐT về công tác tuyển sinh năm 2024.",
    "Phấn đấu tăng so với năm học trước 2,0%.",
    "Tham gia đánh giá PISA, TALIS chu kỳ 2024, 2025.",
    "Dạy tiếng Việt cho trẻ trước khi vào lớp Một theo Thông tư số 23/2023/TT-BGDĐT.",
    "Huy động trẻ từ 3 đến 5 tuổi ra lớp; học sinh từ lớp 1 đến lớp 12.",
    "Tiếp tục thực hiện Chiến lược phát triển giáo dục giai đoạn 2021-2030, tầm nhìn đến năm 2045.",
    "Năm 2023, toàn tỉnh đã có 85% trường đạt chuẩn quốc gia.",
    "Phát huy kết quả đạt được trong thời gian tới.",
    "Tiếp tục duy trì kết quả phổ cập đạt được từ năm 2020.",
    # the year after a cited number is the citation's own
    "Thực hiện Công văn 812/SGDĐT-KHTC năm 2025, các trường tổng hợp số liệu.",
    # "N tháng trước, ngày ...": ago, not a trigger
    "Cách đây 14 tháng trước, ngày 31/3/2023, hệ thống đã được nâng cấp.",
    # a state at a date, a tally date
    "Đến ngày 15/8/2024 đã có 12 xã hoàn thành sáp nhập.",
    "Tính đến ngày 30/6/2024, toàn huyện có 45 trường đạt chuẩn.",
    # a range of amounts, a look back
    "Hỗ trợ mỗi học sinh từ 01 đến 03 ngày nghỉ phép.",
    "Ảnh chân dung chụp trong vòng 06 tháng trở lại.",
    # a past result in the clause
    "Ngành đã đạt được nhiều kết quả tích cực trong năm 2023.",
    # "Quyết định kỳ họp ...": not "định kỳ"
    "Hội đồng nhân dân quyết định kỳ họp chuyên đề.",
    # a legal condition long before the document's date
    "Hợp đồng được ký kết trước ngày 01/01/2021 tiếp tục thực hiện theo hợp đồng đã ký.",
]


@pytest.mark.parametrize("sentence", TRAPS)
def test_traps(sentence):
    _t, out = run(sentence, "2024-09-17")
    assert out == [], [(d.text, d.value, d.rule) for d in out]


def test_masks_from_the_citation_stage_hide_what_is_inside():
    s = "Căn cứ Công văn số 12/SGDĐT ngày 5/1/2025 yêu cầu báo cáo trước ngày 15/1/2025."
    text, found = run(s)
    assert [d.value for d in found] == ["2025-01-15"]       # found without the mask ...
    a = text.text.index("Công văn")
    b = text.text.index("2025.") + 4
    _t, masked = run(s, masks=[(a, b)])
    assert masked == []                                      # ... and not inside it


def test_masks_tolerate_garbage():
    _t, out = run("Báo cáo trước ngày 15/12/2024.", masks=[(5, "x"), None, (-10, 10 ** 9), (3,)])
    assert out == []  # (-10, 10**9) clips to the whole text: everything masked


def test_quoted_spans_are_linear_and_line_bound():
    s = "a “b\nc” d “e” " + "“" * 50000
    assert quoted_spans(s) == [(10, 13)]


# --------------------------------------------------------------------------- doc_date
def test_year_needed_but_unknown_gives_none():
    d = only("Các đơn vị báo cáo trước ngày 15/12.", None)
    assert d.value is None and d.label == "--12-15" and d.modifier == "before"
    # a time limit keeps its duration; its date needs the anchor's day
    d = only("Ban hành quy chế trong vòng 30 ngày kể từ ngày ký.", "2024-09")
    assert (d.value, d.duration, d.anchor, d.due_end) == ("P30D", "P30D", "ngày ký", None)
    d = only("Ban hành quy chế trong vòng 30 ngày kể từ ngày ký.", "2024-09-17")
    assert (d.value, d.due_start, d.due_end) == ("P30D", "2024-09-17", "2024-10-17")
    d = only("Hoàn thành trong vòng 3 tháng kể từ ngày ban hành.", "2024-11-30")
    assert d.due_end == "2025-02-28"
    d = only("Các xã báo cáo trong 10 ngày kể từ ngày 01/01/2025.", None)
    assert d.due_end == "2025-01-11"
    # working days cannot be counted without a calendar of holidays: duration only
    d = only("Báo cáo trong vòng 15 ngày làm việc kể từ ngày ký.", "2024-09-17")
    assert (d.value, d.due_end, d.precision) == ("P15D", None, "duration")


@pytest.mark.parametrize("raw,parsed", [
    ("2024-09-17", (2024, 9, 17)), ("2024-09", (2024, 9, None)), ("2024", (2024, None, None)),
    (None, (None, None, None)), ("không rõ", (None, None, None)), ("2024-13", (2024, None, None)),
    ("2024-02-30", (2024, 2, None)),
])
def test_doc_date_forms(raw, parsed):
    d = parse_doc_date(raw)
    assert (d.year, d.month, d.day) == parsed


def test_school_year_is_configurable():
    d = only("Đi vào hoạt động ở năm học 2025-2026.", None,
             school_year_start=(8, 15), school_year_end=(6, 15))
    assert d.value == "2025-08-15/2026-06-15"


# --------------------------------------------------------------------------- who and what
def test_giao_lead_and_partners():
    d = only("Giao Phòng Giáo dục và Đào tạo (chủ trì), phối hợp với Phòng Tài chính - Kế hoạch, "
             "UBND các xã, phường xây dựng kế hoạch, hoàn thành trước ngày 15/12/2024.")
    assert d.agency == "Phòng Giáo dục và Đào tạo"
    assert d.partners == ["Phòng Tài chính - Kế hoạch", "UBND các xã, phường"]
    assert "xây dựng kế hoạch" in d.task


def test_agency_before_colon():
    d = only("Sở Giáo dục và Đào tạo: Tổng hợp, báo cáo UBND tỉnh trước ngày 15/12/2024.")
    assert d.agency == "Sở Giáo dục và Đào tạo"
    assert d.task.startswith("Tổng hợp, báo cáo UBND tỉnh")


def test_sentence_subject_and_lead_word():
    d = only("1. Ban Tuyên giáo Huyện ủy chủ trì hướng dẫn tuyên truyền, định kỳ báo cáo Ban Thường vụ.")
    assert d.agency == "Ban Tuyên giáo Huyện ủy"
    d = only("Ủy ban nhân dân huyện xây dựng kế hoạch; định kỳ báo cáo kết quả với Ban Thường vụ.")
    assert d.agency == "Ủy ban nhân dân huyện"
    assert d.task == "định kỳ báo cáo kết quả với Ban Thường vụ"


def test_no_agency_when_none_is_named():
    d = only("Phấn đấu đến năm 2030, giữ vững chất lượng phổ cập giáo dục; đề nghị UBND tỉnh công nhận.")
    assert d.agency is None and d.partners == []


IMPL = ("I. MỤC ĐÍCH\nNâng cao chất lượng.\nIV. TỔ CHỨC THỰC HIỆN\n"
        "1. Phòng Giáo dục và Đào tạo thành phố\nXây dựng kế hoạch, hoàn thành trong quý I/2025.\n"
        "2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thành phố\nTuyên truyền, báo cáo trước ngày 31/3/2025.\n"
        "3. Các trường học\nBáo cáo kết quả trước ngày 30/6/2025.")


def test_agency_from_numbered_heading_in_implementation_part():
    _t, out = run(IMPL, "2024-12")
    assert [(d.value, d.agency) for d in out] == [
        ("2025-Q1", "Phòng Giáo dục và Đào tạo thành phố"),
        ("2025-03-31", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố"),
        ("2025-06-30", "Các trường học"),
    ]


def test_sections_give_section_ids_and_heading_agencies():
    text = normalise_string(IMPL)
    s = text.text
    a, b = s.index("IV."), len(s)
    h1 = s.index("1. Phòng")
    h2 = s.index("2. Đề nghị")
    h3 = s.index("3. Các")
    sections = [
        Section("I", "MỤC ĐÍCH", 1, 0, a),
        Section("IV", "TỔ CHỨC THỰC HIỆN", 1, a, b),
        Section("IV.1", "1. Phòng Giáo dục và Đào tạo thành phố", 2, h1, h2, parent="IV"),
        Section("IV.2", "2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thành phố", 2, h2, h3, parent="IV"),
        Section("IV.3", "3. Các trường học", 2, h3, b, parent="IV"),
    ]
    out = extract_deadlines(text, doc_date="2024-12", sections=sections)
    assert [(d.section, d.agency) for d in out] == [
        ("IV.1", "Phòng Giáo dục và Đào tạo thành phố"),
        ("IV.2", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố"),
        ("IV.3", "Các trường học"),
    ]


TABLE = """# PHỤ LỤC

| TT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Xây dựng kế hoạch chuyển đổi số | Phòng GD&ĐT | Phòng Tài chính - Kế hoạch; UBND các xã | Quý I/2025 |
| 2 | Báo cáo sơ kết | Phòng GD&ĐT | Các trường | Hằng năm |
| 3 | Tổng kết Đề án | UBND thành phố | | 2025 |
| 4 | Sắp xếp trường lớp | UBND các xã | Phòng Nội vụ | 2025-2030 |
| 5 | Tuyên truyền | Trung tâm Văn hóa | | Thường xuyên |
| 6 | Rà soát quy hoạch giai đoạn 2021-2025 | Phòng GD&ĐT | | Trước 30/6/2025 |
"""


def test_task_table_rows():
    _t, out = run(TABLE, "2024-12")
    got = [(d.kind, d.value, d.task, d.agency, d.partners) for d in out]
    assert got == [
        ("deadline", "2025-Q1", "Xây dựng kế hoạch chuyển đổi số", "Phòng GD&ĐT",
         ["Phòng Tài chính - Kế hoạch", "UBND các xã"]),
        ("recurring", "FREQ=YEARLY", "Báo cáo sơ kết", "Phòng GD&ĐT", ["Các trường"]),
        ("deadline", "2025", "Tổng kết Đề án", "UBND thành phố", []),
        ("deadline", "2025/2030", "Sắp xếp trường lớp", "UBND các xã", ["Phòng Nội vụ"]),
        ("deadline", "2025-06-30", "Rà soát quy hoạch giai đoạn 2021-2025", "Phòng GD&ĐT", []),
    ]


def test_plain_string_input():
    out = extract_deadlines("Báo cáo trước ngày 15/12/2024.", doc_date=None)
    assert [(d.text, d.value) for d in out] == [("trước ngày 15/12/2024", "2024-12-15")]


def test_to_dict_shape():
    d = only("Các đơn vị báo cáo trước ngày 15/12/2024.").to_dict()
    for k in ("text", "span", "kind", "value", "modifier", "section", "task", "agency", "partners"):
        assert k in d
    assert d["span"][1] > d["span"][0]


# --------------------------------------------------------------------------- data, not code
def test_month_words_come_from_the_model_file():
    s = "trước ngày 15 tháng Chạp"
    assert [(e.type, e.groups.get("m2")) for e in grammar().scan(s)] == [("daymonth", "Chạp")]
    data = copy.deepcopy(load("deadlines"))
    data["month_words"]["lowercase_ok"].pop("chạp")
    assert "daymonth" not in [e.type for e in Grammar(data).scan(s)]


def test_triggers_come_from_the_model_file():
    data = copy.deepcopy(load("deadlines"))
    s = "Nộp hồ sơ hạn cuối ngày 15/12/2024."
    assert grammar().trigger_before(s, s.index("ngày"), 0)[0] is None
    data["triggers"]["items"].append({"words": "hạn cuối", "modifier": "no_later_than", "strong": True})
    t, at = Grammar(data).trigger_before(s, s.index("ngày"), 0)
    assert t["modifier"] == "no_later_than" and s[at:].startswith("hạn cuối")


# --------------------------------------------------------------------------- robustness
ADVERSARIAL = [  # (make(n), n): the full size as the guard had it is make(4 n)
    (lambda n: "1" * n, 25_000),
    (lambda n: "1/" * n, 12_500),
    (lambda n: "1-" * n, 12_500),
    (lambda n: "12/12/" * n, 4_250),
    (lambda n: "quý " * n, 6_250),
    (lambda n: "tháng " * n, 4_250),
    (lambda n: "tháng 1/" * n, 3_125),
    (lambda n: "ngày 1 tháng 1 năm " * n, 1_325),
    (lambda n: "trước " * n, 4_250),
    (lambda n: "hằng năm " * n, 2_750),
    (lambda n: "định kỳ 6 " * n, 2_500),
    (lambda n: "“" * n, 25_000),
    (lambda n: "1/" * n + "KH-UBND" + "-1" * n, 5_000),
    (lambda n: "Giao Phòng " * n, 2_250),
    (lambda n: "| a | b |\n" * n, 2_500),
]


@pytest.mark.parametrize("make, n", ADVERSARIAL, ids=[f"adv{i}" for i in range(len(ADVERSARIAL))])
def test_adversarial_inputs_are_linear(make, n):
    assert isinstance(extract_deadlines(make(n), doc_date="2024-09"), list)
    assert_linear(lambda s: extract_deadlines(s, doc_date="2024-09"), make, n)


def test_adversarial_normalised_inputs():
    def make(n):
        return ("Báo cáo trước ngày 15/12/2024 " + "1/2/" * 2000 + " quý III/2025 tháng 12/2025\n") * n

    _t, out = run(make(50))
    assert len(out) >= 50
    assert_linear(run, make, 13)


TOKENS = ["trước", "ngày", "15", "/", "12", "2024", "-", "quý", "III", "tháng", "năm", "học",
          "hằng", "định kỳ", "đến", "trong", "vòng", "30", "kể từ", "ký", "“", "”", ";", ".", ",",
          "\n", "\t", "Giao", "Phòng", "chủ trì", "phối hợp", "TỔ CHỨC THỰC HIỆN", "1.", "số",
          "KH-UBND", "NQ/TW", "cuối", "6", "đầu", "Sáu", "Năm", "|", "từ", "hiệu lực", "đã"]


def test_random_token_soup_never_raises_and_spans_are_exact():
    rnd = random.Random(20240917)
    for _ in range(300):
        s = " ".join(rnd.choice(TOKENS) for _ in range(rnd.randint(0, 60)))
        for doc_date in (None, "2024", "2024-09", "2024-09-17", "bogus"):
            out = extract_deadlines(s, doc_date=doc_date, masks=[(0, rnd.randint(0, 5))])
            for d in out:
                assert s[d.start:d.end] == d.text
                assert d.kind in ("deadline", "event", "target", "recurring", "start", "time_limit")


@pytest.mark.parametrize("bad", [None, 123, "", "\n\n\t", b"bytes"])
def test_odd_inputs_never_raise(bad):
    assert isinstance(extract_deadlines(bad), list)


def test_odd_text_objects_never_raise():
    from pipeline.model import Line
    t = Text("trước ngày 15/12/2024", [Line(5, 2), Line(0, 999)])
    assert isinstance(extract_deadlines(t, sections=[Section("x", "h", 1, 50, 10)],
                                        school_year_start="bad", school_year_end=(13, 40)), list)


# --------------------------------------------------------------------------- evaluation
GOLD = {"files": {"a.txt": {"deadlines": [
    {"text": "trước ngày 15/12/2024", "value": "2024-12-15", "kind": "deadline", "agency": "Sở X"},
    {"text": "năm 2025", "context": "tổ chức hội thi năm 2025", "value": "2025", "kind": "deadline"},
    {"text": "định kỳ", "occurrence": 1, "value": None, "kind": "recurring"},
]}}}
TEXT_A = ("Sở X báo cáo trước ngày 15/12/2024; định kỳ kiểm tra. Các trường tổ chức hội thi năm 2025, "
          "định kỳ báo cáo.")


def test_locate_uses_context_occurrence_and_flexible_spaces():
    t = TEXT_A.replace("ngày 15", "ngày   15")
    a = locate_one(GOLD["files"]["a.txt"]["deadlines"][0], t)
    assert t[a[0]:a[1]] == "trước ngày   15/12/2024"
    b = locate_one(GOLD["files"]["a.txt"]["deadlines"][2], t)
    assert b[0] == t.index("định kỳ báo cáo")
    assert locate_one({"text": "quý IV/2030"}, t) is None


def test_score_counts_overlaps_values_and_agencies():
    s = TEXT_A
    pred = [
        {"span": [s.index("ngày 15"), s.index("ngày 15") + 15], "value": "2024-12-15", "kind": "deadline",
         "agency": "Sở X", "text": "x"},
        {"span": [s.index("năm 2025"), s.index("năm 2025") + 8], "value": "2026", "kind": "deadline",
         "agency": None, "text": "y"},
        {"span": [0, 3], "value": None, "kind": "deadline", "agency": None, "text": "z"},
    ]
    r = score(GOLD, {"a.txt": pred}, texts={"a.txt": s})["overall"]
    assert (r["tp"], r["fp"], r["fn"]) == (2, 1, 1)
    assert r["precision"] == pytest.approx(2 / 3) and r["recall"] == pytest.approx(2 / 3)
    assert r["f1"] == pytest.approx(2 / 3)
    assert r["value_accuracy"] == pytest.approx(0.5)
    assert r["agency_accuracy"] == 1.0


def test_gold_file_entries_all_locate_in_the_corpus():
    gold = json.loads((ROOT / "tests" / "gold" / "corpus.json").read_text(encoding="utf-8"))
    from pipeline.deadlines.evaluate import _load_text
    for name, doc in gold["files"].items():
        text = _load_text(name, gold, None)
        assert text is not None, name
        for e in doc["deadlines"]:
            assert locate_one(e, text) is not None, (name, e)


def test_corpus_meets_the_targets_on_the_gold():
    from pipeline.deadlines.evaluate import predict
    gold = json.loads((ROOT / "tests" / "gold" / "corpus.json").read_text(encoding="utf-8"))
    preds, texts = predict(gold, use_citations=False)
    r = score(gold, preds, texts)["overall"]
    assert r["f1"] >= 0.90 and r["value_accuracy"] >= 0.95, r
