"""Deadlines against their definition (../shared/docs/deadlines.md), row by row, and against the
blind development set annotated on real pages by readers who never saw the extractor.

Each kind's examples, each "not a deadline" family, and the forms real documents use that the
definition leaves to judgement (decided as staff putting these in a calendar would) are a table of
(sentence, document date, expected [(surface, kind, value)]).
"""
from __future__ import annotations

import glob
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.deadlines import effective_date, extract_deadlines
from pipeline.normalise import normalise_string
from pipeline.storage import SCHEMA_VERSION, open_db

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT.parent / "shared" / "scale" / "legal-web-13984.tar.xz"


def found(sentence: str, doc_date: str | None = "2025-08-01") -> list[tuple]:
    text = normalise_string(sentence)
    out = extract_deadlines(text, doc_date=doc_date)
    for d in out:
        assert text.text[d.start:d.end] == d.text
    return [(d.text, d.kind, d.value) for d in out]


# --------------------------------------------------------------------------- the kinds
KINDS = [
    # deadline
    ("Các đơn vị hoàn thành trước ngày 15/12/2025.", [("hoàn thành trước ngày 15/12/2025", "deadline", "2025-12-15")]),
    ("Hoàn thành trong quý II/2026.", [("Hoàn thành trong quý II/2026", "deadline", "2026-Q2")]),
    ("Các trường hoàn thành việc kiểm định cuối năm 2025.", [("cuối năm 2025", "deadline", "2025")]),
    ("Thời gian thực hiện: tháng 11/2025.", [("Thời gian thực hiện: tháng 11/2025", "deadline", "2025-11")]),
    ("Các trường triển khai trong năm học 2025-2026 việc dạy học số.",
     [("trong năm học 2025-2026", "deadline", "2025-09-05/2026-05-31")]),
    ("Từ năm 2025 đến năm 2030, các xã hoàn thành việc sắp xếp.",
     [("Từ năm 2025 đến năm 2030", "deadline", "2025/2030")]),
    ("Quý IV/2025 và Quý I/2026 các trường hoàn thành việc rà soát.",
     [("Quý IV/2025", "deadline", "2025-Q4"), ("Quý I/2026", "deadline", "2026-Q1")]),
    # event
    ("Tựu trường: ngày 25/8/2025.", [("ngày 25/8/2025", "event", "2025-08-25")]),
    ("Khai giảng năm học mới: ngày 05/9/2025.", [("ngày 05/9/2025", "event", "2025-09-05")]),
    ("Hội nghị tổ chức vào ngày 10/3/2026.", [("vào ngày 10/3/2026", "event", "2026-03-10")]),
    # start
    ("Chương trình bắt đầu từ ngày 08/9/2025.", [("bắt đầu từ ngày 08/9/2025", "start", "2025-09-08")]),
    ("Từ ngày 01/7/2026 thực hiện thu học phí theo mức mới.", [("Từ ngày 01/7/2026", "start", "2026-07-01")]),
    # target
    ("Phấn đấu đến năm 2030, 100% trường học đạt chuẩn quốc gia.", [("đến năm 2030", "target", "2030")]),
    # recurring
    ("Định kỳ hằng năm báo cáo kết quả.", [("Định kỳ hằng năm", "recurring", "FREQ=YEARLY")]),
    ("Các trường báo cáo hằng quý.", [("hằng quý", "recurring", "FREQ=MONTHLY;INTERVAL=3")]),
    ("Tổ chức kiểm tra 6 tháng một lần.", [("6 tháng một lần", "recurring", "FREQ=MONTHLY;INTERVAL=6")]),
    ("Các đơn vị gửi số liệu trước ngày 15 hằng tháng.",
     [("trước ngày 15 hằng tháng", "recurring", "FREQ=MONTHLY;BYMONTHDAY=15")]),
    ("Các đơn vị báo cáo chậm nhất ngày 20 hằng tháng.",
     [("chậm nhất ngày 20 hằng tháng", "recurring", "FREQ=MONTHLY;BYMONTHDAY=20")]),
    ("Các trường tổ chức họp phụ huynh vào tuần cuối của tháng thứ ba mỗi quý.",
     [("vào tuần cuối của tháng thứ ba mỗi quý", "recurring", "FREQ=MONTHLY;INTERVAL=3")]),
    ("Các xã định kỳ báo cáo tiến độ.", [("định kỳ", "recurring", None)]),
    ("Báo cáo kết quả theo định kỳ hoặc đột xuất.", [("định kỳ", "recurring", None)]),
    ("Định kỳ 6 tháng, doanh nghiệp báo cáo trước ngày 05 tháng 6 và trước ngày 05 tháng 12.",
     [("Định kỳ 6 tháng", "recurring", "FREQ=MONTHLY;INTERVAL=6"),
      ("trước ngày 05 tháng 6", "recurring", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=5"),
      ("trước ngày 05 tháng 12", "recurring", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=5")]),
    ("Người nộp thuế nộp hồ sơ chậm nhất là ngày 31 tháng 12 của năm tính thuế.",
     [("chậm nhất là ngày 31 tháng 12", "recurring", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31")]),
    # time_limit
    ("Cơ quan tiếp nhận giải quyết trong thời hạn 15 ngày kể từ ngày nhận được hồ sơ.",
     [("thời hạn 15 ngày kể từ ngày nhận được hồ sơ", "time_limit", "P15D")]),
    ("Sở Tài chính thẩm định chậm nhất 05 ngày làm việc sau khi nhận đủ hồ sơ.",
     [("chậm nhất 05 ngày làm việc sau khi nhận đủ hồ sơ", "time_limit", "P5D")]),
    ("Tổ chức rà soát trong thời hạn 5 năm kể từ ngày Quy định này có hiệu lực.",
     [("thời hạn 5 năm kể từ ngày Quy định này có", "time_limit", "P5Y")]),
    ("Giải quyết không quá 02 (hai) ngày làm việc, kể từ ngày nhận đủ hồ sơ.",
     [("không quá 02 (hai) ngày làm việc, kể từ ngày nhận đủ hồ sơ", "time_limit", "P2D")]),
    ("Trả kết quả trong thời hạn Mười (10) ngày làm việc kể từ ngày nhận được hồ sơ hợp lệ.",
     # the anchor is read up to four words: the date it starts from is kept, not the whole event
     [("10) ngày làm việc kể từ ngày nhận được hồ sơ", "time_limit", "P10D")]),
    ("Người nộp thuế khai thuế chậm nhất là ngày thứ 10 kể từ ngày phát sinh nghĩa vụ thuế.",
     [("chậm nhất là ngày thứ 10 kể từ ngày phát sinh nghĩa vụ", "time_limit", "P10D")]),
    ("Thời gian giải quyết trong trường hợp này là 80 giờ làm việc (tương đương 10 ngày làm việc) kể từ ngày nhận hồ sơ.",
     [("80 giờ làm việc (tương đương 10 ngày làm việc) kể từ ngày nhận hồ sơ", "time_limit", "P10D")]),
    ("Khi xảy ra tai nạn, chậm nhất trong 02 giờ phải báo cáo nhanh với Thủ tướng.",
     [("chậm nhất trong 02 giờ", "time_limit", "PT2H")]),
    ("Thời hạn thực hiện yêu cầu chứng thực là ngay trong ngày cơ quan tiếp nhận yêu cầu.",
     [("ngay trong ngày", "time_limit", "P0D")]),
    # the consequence of a condition binds; the condition does not ("sau 15 giờ": a time of day)
    ("Trường hợp tiếp nhận yêu cầu sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo.",
     [("trong ngày làm việc tiếp theo", "time_limit", "P1D")]),
    ("Sơ kết việc thực hiện Nghị quyết này sau 02 năm thực hiện.",
     [("sau 02 năm", "time_limit", "P2Y")]),
    ("Các địa phương chi trả xong trước ngày Quốc khánh 02/9/2025.",
     [("xong trước ngày Quốc khánh 02/9/2025", "deadline", "2025-09-02")]),
    ("Chậm nhất đến ngày 01 tháng 7 năm 2027, các Bộ phải hoàn thành việc xếp lương đối với viên chức "
     "được tuyển dụng trước ngày Luật này có hiệu lực.",
     [("Chậm nhất đến ngày 01 tháng 7 năm 2027", "deadline", "2027-07-01")]),
    ("Bộ Tài chính tổng hợp trước ngày 15 tháng 12 năm kế hoạch.",
     [("trước ngày 15 tháng 12", "recurring", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15")]),
    ("Các cơ quan tổ chức kiểm tra, đánh giá định kỳ an toàn thông tin.", [("định kỳ", "recurring", None)]),
    ("Cơ quan tiến hành xác minh, trường hợp phức tạp có thể kéo dài nhưng không quá 60 ngày.",
     [("không quá 60 ngày", "time_limit", "P60D")]),
    ("Đối với doanh nghiệp được thí điểm, thời gian thực hiện thí điểm đến hết ngày 31 tháng 12 năm 2027.",
     [("đến hết ngày 31 tháng 12 năm 2027", "deadline", "2027-12-31")]),
    ("Thời hiệu xử phạt vi phạm hành chính trong lĩnh vực phòng cháy là 01 năm.",
     [("01 năm", "time_limit", "P1Y")]),
    ("Thí sinh phải báo cáo ngay với Giám thị, chậm nhất 05 (năm) phút từ thời điểm bắt đầu tính giờ làm bài.",
     [("chậm nhất 05 (năm) phút từ thời điểm bắt đầu tính giờ", "time_limit", "PT5M")]),
    # "<deadline noun> ... là <date>"
    ("Như vậy, thời hạn nộp tờ khai thuế quý 3 năm 2025 là ngày 31 tháng 10 năm 2025.",
     [("ngày 31 tháng 10 năm 2025", "deadline", "2025-10-31")]),
]


@pytest.mark.parametrize("sentence,expected", KINDS, ids=[k[0][:40] for k in KINDS])
def test_kinds(sentence, expected):
    assert found(sentence) == expected


# timetables (a page of 20 May 2025): a line that opens with its date, a schedule's table cell,
# days of one month, a holiday's range around a lunar date
TIMETABLES = [
    ("Kỳ thi sẽ diễn ra trong 02 ngày từ ngày 02 đến ngày 03/6/2025 với 03 môn.",
     [("từ ngày 02 đến ngày 03/6/2025", "start", "2025-06-02/2025-06-03")]),
    ("Tuyển sinh vào lớp 10 các trường PTDTNT, trường có cấp học THPT: Ngày 01, 02/6/2025.",
     [("Ngày 01, 02/6/2025", "event", "2025-06-01/2025-06-02")]),
    ("Số lượng bản quét kèm theo. Thời gian hoàn thành: 15/11/2025.",
     [("Thời gian hoàn thành: 15/11/2025", "deadline", "2025-11-15")]),
    ("Ngày thi: Ngày 06, 07/6/2025.", [("Ngày 06, 07/6/2025", "event", "2025-06-06/2025-06-07")]),
    ("Lịch thi tuyển sinh lớp 10 sẽ diễn ra vào các ngày 06/6/2025, 07/6/2025.",
     [("vào các ngày 06/6/2025", "event", "2025-06-06"), ("07/6/2025", "event", "2025-06-07")]),
    ("Từ ngày 31/5/2025 đến ngày 13/6/2025: Chấm thi.",
     [("Từ ngày 31/5/2025 đến ngày 13/6/2025", "deadline", "2025-05-31/2025-06-13")]),
    ("Ngày 14/6/2025: Họp Hiệu trưởng các trường để xác định điểm chuẩn.",
     [("Ngày 14/6/2025", "event", "2025-06-14")]),
    ("Trước ngày 24/6/2025: thí sinh nộp đơn xin phúc khảo.",
     [("Trước ngày 24/6/2025", "deadline", "2025-06-24")]),
    ("| 2 | Xét duyệt hồ sơ lần 1 | Từ ngày 20/8/2025 đến ngày 29/8/2025. |",
     [("Từ ngày 20/8/2025 đến ngày 29/8/2025", "deadline", "2025-08-20/2025-08-29")]),
    ("Căn cứ Quyết định số 93/QĐ-UBND, lịch thi tuyển sinh lớp 10 bắt đầu từ ngày 02-04/6/2025.",
     [("bắt đầu từ ngày 02-04/6/2025", "start", "2025-06-02/2025-06-04")]),
    ("Cán bộ được nghỉ tết từ thứ Hai ngày 16 tháng 02 năm 2026 Dương lịch (tức ngày 29 tháng Chạp "
     "năm Ất Tỵ) đến hết thứ Sáu ngày 20 tháng 02 năm 2026.",
     [("từ thứ Hai ngày 16 tháng 02 năm 2026 Dương lịch (tức ngày 29 tháng Chạp năm Ất Tỵ) đến hết "
       "thứ Sáu ngày 20 tháng 02 năm 2026", "event", "2026-02-16/2026-02-20")]),
]


@pytest.mark.parametrize("sentence,expected", TIMETABLES, ids=[k[0][:40] for k in TIMETABLES])
def test_timetables(sentence, expected):
    assert found(sentence, "2025-05-20") == expected


# --------------------------------------------------------------------------- not deadlines
NOT_DEADLINES = [
    # ages and sizes
    "Trẻ em từ 24 tháng đến 36 tháng tuổi được ưu tiên.",
    "Nhóm trẻ từ 18 tháng được tổ chức chăm sóc.",
    "Người từ đủ 60 tuổi trở lên được hưởng trợ cấp.",
    # quantities per period, rates, norms
    "Định mức 17 tiết/tuần đối với giáo viên.",
    "Số giờ dạy thêm không quá 200 giờ trong một năm.",
    # eligibility and experience
    "Có thời gian công tác từ 05 năm trở lên.",
    "Người lao động đã đóng bảo hiểm đủ 12 tháng trong thời gian 24 tháng liền kề trước khi sinh con.",
    # penalties
    "Người phạm tội bị phạt tù từ 02 năm đến 07 năm.",
    "Đình chỉ hoạt động của cơ sở trong thời hạn từ 12 tháng đến 24 tháng.",
    # names and titles
    "Chương trình mục tiêu quốc gia xây dựng nông thôn mới giai đoạn 2021-2025.",
    # dates of other documents
    "Căn cứ Nghị định số 71/2020/NĐ-CP ngày 30/6/2020 của Chính phủ.",
    # the document's own place-date line
    "Hà Nội, ngày 12 tháng 3 năm 2026",
    # history, status, tallies
    "Tính đến ngày 30/6/2025, toàn tỉnh đã có 120 trường đạt chuẩn.",
    "Năm 2024 đã tổ chức 12 lớp bồi dưỡng.",
    "Số học sinh tăng so với cùng kỳ năm 2024.",
    "Ngày 07/02/2025, Bộ trưởng Bộ Xây dựng đã có Quyết định số 279/QĐ-BXD.",
    # validity of the document itself
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Thông tư này có hiệu lực thi hành kể từ ngày 01 tháng 7 năm 2025.",
    # a question (a Q&A page's heading) and a fraction
    "Nghị quyết 57 đặt mục tiêu đến năm 2030 đạt mức nào?",
    "Cờ rủ được treo đến 2/3 chiều cao của cột cờ.",
    "Thuyền viên nước ngoài không quá 1/3 định biên của tàu.",
    # a condition
    "Trường hợp trả kết quả trong ngày làm việc tiếp theo thì người tiếp nhận phải có phiếu hẹn.",
    # a document's year and a report's period, not a task's deadline
    "Thực hiện Công văn 812/SGDĐT-KHTC năm 2025, các trường tổng hợp số liệu.",
    "Mẫu Giấy đề nghị gia hạn nộp thuế năm 2025 được ban hành tại Phụ lục.",
    "Các Nghị quyết của Đảng được ban hành trong năm 2025 đang được cập nhật.",
    # a condition on a continuous period, a lunar date
    "Đất trồng cây hàng năm không được sử dụng trong thời hạn 12 tháng liên tục.",
    "Lễ hội diễn ra vào ngày 15 tháng Giêng năm Bính Ngọ.",
    # caps on quantities, history up to now, an advance on a schedule
    "Thời gian lái xe của tài xế không quá 48 giờ trong một tuần, lái xe liên tục không quá 04 giờ.",
    "Số lần thanh tra đối với mỗi doanh nghiệp không được quá 01 lần trong năm.",
    "Đảng lãnh đạo nhân dân xây dựng xã hội mới (từ năm 1975 đến nay).",
    "Được xem xét thăng quân hàm trước thời hạn không quá 24 tháng.",
    # a count per school year, a fraction in words, a condition, a period up to the present
    "Tổng số tiết dạy thêm tối đa trong một năm học mà cơ sở giáo dục được thanh toán.",
    "Thí sinh chỉ được ra khỏi phòng thi sau 2/3 (hai phần ba) thời gian làm bài.",
    "Doanh nghiệp đã giải thể nhưng chưa được 12 tháng tính từ thời điểm giải thể thì không được thành lập.",
    "Hiển thị danh sách năm từ năm 2021 đến năm hiện tại.",
    # either way ("dù ... hay ...")
    "Trước 5/1/2026 hay từ 5/1/2026 thì thẻ chỉ được sử dụng để thanh toán.",
    # experience, a first time
    "Yêu cầu có tối thiểu 03 năm kinh nghiệm tại các bộ phận nghiệp vụ.",
    "Trình Hội đồng nhân dân hồ sơ ban hành bảng giá đất lần đầu năm 2026.",
    # a look-back, a report's name
    "Phiếu kết quả kiểm nghiệm của sản phẩm trong thời hạn 12 tháng tính đến ngày nộp hồ sơ.",
    "Các doanh nghiệp thực hiện báo cáo định kỳ năm 2025 như sau.",
    # a data period
    "Thời gian chốt số liệu báo cáo được tính từ ngày 15 tháng 12 năm trước kỳ báo cáo.",
]


@pytest.mark.parametrize("sentence", NOT_DEADLINES, ids=[s[:40] for s in NOT_DEADLINES])
def test_not_deadlines(sentence):
    assert found(sentence) == []


PAGE = """# Nghị quyết 57 đặt mục tiêu đến năm 2030 đạt mức nào?

**Nghị quyết 57 đặt mục tiêu đến năm 2030 đạt mức nào?**

>> NÓNG: Hướng dẫn mới nhất áp dụng từ 1/11/2025

Các bộ, ngành hoàn thành việc rà soát trước ngày 31/12/2025.
"""


def test_a_page_title_its_repeats_and_teasers_are_not_deadlines():
    text = normalise_string(PAGE, "page.md")
    out = extract_deadlines(text, doc_date=None)
    assert [(d.text, d.value) for d in out] == [("trước ngày 31/12/2025", "2025-12-31")]


def test_an_encyclopedia_page_prescribes_nothing():
    page = "# Tổng Bí thư\n\n[sửa | sửa mã nguồn]\nÔng giữ chức vụ đến năm 1986, sau đó hoàn thành trước ngày 30/4/1986."
    assert extract_deadlines(normalise_string(page, "wiki.md"), doc_date=None) == []


# --------------------------------------------------------------------------- the document itself
@pytest.mark.parametrize("sentence,doc_date,effective", [
    ("Điều 5. Quyết định này có hiệu lực kể từ ngày ký.", "2025-03-12", "2025-03-12"),
    ("Điều 5. Quyết định này có hiệu lực kể từ ngày ký.", "2025-03", None),
    ("Thông tư này có hiệu lực thi hành kể từ ngày 01 tháng 7 năm 2025.", None, "2025-07-01"),
    ("Kế hoạch này có hiệu lực từ ngày 15/8/2025.", None, "2025-08-15"),
    ("Nghị định 123/2024/NĐ-CP có hiệu lực từ ngày 04/10/2024.", None, None),  # another document
])
def test_effective_date_goes_on_the_document(sentence, doc_date, effective):
    text = normalise_string(sentence)
    assert effective_date(text, doc_date) == effective
    assert extract_deadlines(text, doc_date=doc_date) == []


def test_a_time_limit_counted_from_entry_into_force_gets_its_date():
    text = normalise_string("Điều 3. Các đơn vị hoàn thành việc sắp xếp trong thời hạn 03 tháng kể từ "
                            "ngày Nghị định này có hiệu lực.\nĐiều 4. Nghị định này có hiệu lực thi "
                            "hành kể từ ngày 01 tháng 7 năm 2025.")
    (d,) = extract_deadlines(text)
    assert (d.kind, d.value, d.due_start, d.due_end) == ("time_limit", "P3M", "2025-07-01", "2025-10-01")


def test_typed_values_match_the_contract_string():
    text = normalise_string("Báo cáo trong quý III/2025; hoàn thành trong 6 tháng đầu năm 2026; "
                            "gửi số liệu trước ngày 15 hằng tháng; giải quyết trong thời hạn "
                            "15 ngày kể từ ngày 01/8/2025.")
    got = [(d.value, d.precision, d.due_start, d.due_end, d.rrule, d.duration)
           for d in extract_deadlines(text, doc_date="2025-07-01")]
    assert got == [
        ("2025-Q3", "quarter", "2025-07-01", "2025-09-30", None, None),
        ("2026-01/2026-06", "half", "2026-01-01", "2026-06-30", None, None),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "recurrence", None, None, "FREQ=MONTHLY;BYMONTHDAY=15", None),
        ("P15D", "duration", "2025-08-01", "2025-08-16", None, "P15D"),
    ]


# --------------------------------------------------------------------------- storage
def test_a_version_1_database_gets_typed_values(tmp_path):
    """The additive migration: columns added, typed fields filled from the stored strings,
    nothing lost, the version recorded."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript("""
        create table documents (id integer primary key, path text not null, sha256 text,
            format text, size integer, status text, error text, ingested_at text, key text,
            type text, type_name text, number text, year integer, symbol text, issuer text,
            issuer_inferred integer, parent_issuer text, place text, date text, date_text text,
            title text, signer text, signer_role text, recipients text, text text);
        create table deadlines (id integer primary key, document_id integer, text text,
            start integer, end integer, kind text, value text, modifier text, label text,
            rule text, section text, task text, agency text, partners text);
        create table meta (name text primary key, value text);
        insert into meta values ('schema_version', '1');
        insert into documents (id, path, status) values (1, 'a.txt', 'ok');
        insert into deadlines (document_id, text, kind, value) values
            (1, 'trong quý III/2025', 'deadline', '2025-07-01/2025-09-30'),
            (1, 'hằng năm', 'recurring', 'FREQ=YEARLY'),
            (1, 'năm học', 'deadline', '2024-09-05/2025-05-31'),
            (1, 'x', 'deadline', null);
    """)
    conn.commit()
    conn.close()
    db = open_db(path)
    rows = [tuple(r) for r in db.execute(
        "select value, due_start, due_end, rrule, precision from deadlines order by id")]
    assert rows == [
        ("2025-07-01/2025-09-30", "2025-07-01", "2025-09-30", None, "interval"),
        ("FREQ=YEARLY", None, None, "FREQ=YEARLY", "recurrence"),
        ("2024-09-05/2025-05-31", "2024-09-05", "2025-05-31", None, "interval"),
        (None, None, None, None, "unknown"),
    ]
    assert "effective" in {c.name for c in db["documents"].columns}
    assert db.execute("select value from meta where name = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    open_db(path)  # a second open finds nothing to do


# --------------------------------------------------------------------------- the blind set
@pytest.mark.skipif(not ARCHIVE.exists(), reason="../shared/scale is not beside the checkout")
def test_blind_development_set():
    """The 120 development pages (tuned on, so a regression guard, not an estimate: the
    held-back set in deadlines_blind/heldout_* is the estimate, scored once)."""
    gold = sorted(glob.glob(str(ROOT / "tests" / "gold" / "deadlines_blind" / "dev*_part*.json")))
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "eval_deadlines_blind.py"), *gold,
                          "--json"], capture_output=True, text=True, check=True)
    strict = json.loads(out.stdout)["exclude"]
    assert strict["precision"] >= 0.93 and strict["recall"] >= 0.90, strict
    assert strict["value_accuracy"] >= 0.95, strict
