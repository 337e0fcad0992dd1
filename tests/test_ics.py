"""iCalendar writer: RFC 5545 structure, folding, escaping, dates, recurrences, stable UIDs."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.deadlines.values import when_of_value

from pipeline.deadlines import extract_deadlines
from pipeline.ics import due_date, to_ics
from pipeline.normalise import normalise_string

STAMP = dt.datetime(2024, 9, 17, 8, 30, tzinfo=dt.timezone.utc)


def dl(**kw):
    """A deadline as the extractor's to_dict gives it; the typed fields follow `value`."""
    d = {"text": "trước ngày 15/12/2024", "span": [10, 31], "kind": "deadline", "value": "2024-12-15",
         "modifier": "before", "label": None, "rule": "x", "section": "III.1",
         "task": "Báo cáo kết quả", "agency": "Phòng Giáo dục và Đào tạo", "partners": []}
    d.update(kw)
    d.update(when_of_value(d["value"]).to_dict())
    return d


def rule(text: str) -> dict:
    """An RRULE's parts (their order carries no meaning, RFC 5545 §3.3.10)."""
    return dict(p.split("=", 1) for p in text.split(";"))


def unfold(ics: str) -> list[str]:
    assert "\r\n" in ics
    assert "\n" not in ics.replace("\r\n", "")  # CRLF only, no bare LF
    return ics.replace("\r\n ", "").split("\r\n")[:-1]


def events(ics: str) -> list[dict]:
    out, cur = [], None
    for line in unfold(ics):
        if line == "BEGIN:VEVENT":
            cur = {}
        elif line == "END:VEVENT":
            out.append(cur)
            cur = None
        elif cur is not None:
            name, _, value = line.partition(":")
            cur[name] = value
    return out


def test_calendar_structure():
    ics = to_ics([dl()], "Kế hoạch 3707/KH-UBND", dtstamp=STAMP)
    lines = unfold(ics)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(ln.startswith("PRODID:") for ln in lines)
    assert ics.endswith("\r\n")
    (ev,) = events(ics)
    assert ev["DTSTART;VALUE=DATE"] == "20241215"
    assert ev["DTEND;VALUE=DATE"] == "20241216"
    assert ev["DTSTAMP"] == "20240917T083000Z"
    assert ev["SUMMARY"] == "Phòng Giáo dục và Đào tạo: Báo cáo kết quả"
    assert ev["UID"].endswith("@directives")
    assert "RRULE" not in ev


def test_lines_are_folded_at_75_octets_without_splitting_characters():
    long_task = "Tổ chức triển khai thực hiện đồng bộ, hiệu quả các nhiệm vụ trọng tâm năm học " * 6
    ics = to_ics([dl(task=long_task, agency="Ủy ban nhân dân các xã, phường")], "Lịch", dtstamp=STAMP)
    raw = ics.encode("utf-8").split(b"\r\n")
    assert max(len(x) for x in raw) <= 75
    assert any(x.startswith(b" ") for x in raw)
    for x in raw:
        x.decode("utf-8")  # every physical line is whole UTF-8


def test_text_is_escaped():
    ics = to_ics([dl(task="Rà soát, sắp xếp; báo cáo\nđúng hạn", agency=None)], "A, B; C", dtstamp=STAMP)
    (ev,) = events(ics)
    assert ev["SUMMARY"] == "Rà soát\\, sắp xếp\\; báo cáo đúng hạn"
    assert "X-WR-CALNAME:A\\, B\\; C" in unfold(ics)
    assert "\\n" in ev["DESCRIPTION"]


@pytest.mark.parametrize("value,kind,modifier,day", [
    ("2024-12-15", "deadline", "before", dt.date(2024, 12, 15)),
    ("2025-07-01/2025-09-30", "deadline", "within", dt.date(2025, 9, 30)),
    ("2025-12", "deadline", "within", dt.date(2025, 12, 31)),
    ("2024", "deadline", "end", dt.date(2024, 12, 31)),
    ("2030", "target", "by", dt.date(2030, 12, 31)),
    ("2025-09-05/2026-05-31", "start", None, dt.date(2025, 9, 5)),
    ("2021/2025", "deadline", None, dt.date(2025, 12, 31)),
    ("2025-Q3", "deadline", "within", dt.date(2025, 9, 30)),
    ("P30D", "time_limit", "within", None),
    (None, "deadline", None, None),
    ("không rõ", "deadline", None, None),
])
def test_due_dates(value, kind, modifier, day):
    assert due_date(dl(value=value, kind=kind, modifier=modifier)) == day


def test_recurrences_start_on_the_first_occurrence_after_the_document_date():
    d = dl(kind="recurring", value="FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15",
           document={"key": "12/KH-UBND", "date": "2024-12"})
    (ev,) = events(to_ics([d], "x", dtstamp=STAMP))
    assert ev["DTSTART;VALUE=DATE"] == "20251115"
    assert rule(ev["RRULE"]) == rule("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15")
    d = dl(kind="recurring", value="FREQ=MONTHLY;BYMONTHDAY=20", document={"date": "2024-09-25"})
    (ev,) = events(to_ics([d], "x", dtstamp=STAMP))
    assert ev["DTSTART;VALUE=DATE"] == "20241020"
    assert rule(ev["RRULE"]) == rule("FREQ=MONTHLY;BYMONTHDAY=20")
    d = dl(kind="recurring", value="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", document="x.txt",
           document_date="2025-03-01")  # a stored row: name and date side by side
    (ev,) = events(to_ics([d], "x", dtstamp=STAMP))
    assert ev["DTSTART;VALUE=DATE"] == "20280229"


def test_deadlines_without_a_day_are_left_out():
    ds = [dl(kind="recurring", value="FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15"),  # no document date
          dl(kind="recurring", value="FREQ=YEARLY", document={"date": "2024-09"}),
          dl(kind="recurring", value=None), dl(value=None), "not a dict"]
    assert events(to_ics(ds, "x", dtstamp=STAMP)) == []


def test_uids_are_stable_and_distinct():
    a, b = dl(), dl(span=[40, 60], text="trước ngày 20/12/2024", value="2024-12-20")
    one = events(to_ics([a, b], "x", dtstamp=STAMP))
    two = events(to_ics([b, a], "y"))
    assert {e["UID"] for e in one} == {e["UID"] for e in two}
    assert one[0]["UID"] != one[1]["UID"]
    c = dict(a, document="other.txt")
    assert events(to_ics([c], "x"))[0]["UID"] != one[0]["UID"]
    assert len(events(to_ics([a, dict(a)], "x"))) == 1  # the same deadline twice is one event


def test_end_to_end_from_extracted_deadlines():
    text = normalise_string("Giao Phòng Giáo dục và Đào tạo (chủ trì) báo cáo trước ngày 15/12/2024; "
                            "tổng hợp trong quý III/2025; báo cáo trước ngày 15 tháng 11 hằng năm.")
    ds = [dict(d.to_dict(), document={"key": "3707/KH-UBND", "date": "2024-09-17"})
          for d in extract_deadlines(text, doc_date="2024-09-17")]
    evs = events(to_ics(ds, "3707/KH-UBND", dtstamp=STAMP))
    assert [e["DTSTART;VALUE=DATE"] for e in evs] == ["20241215", "20250930", "20241115"]
    assert rule(evs[2]["RRULE"]) == rule("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15")
    assert all(e["SUMMARY"].startswith("Phòng Giáo dục và Đào tạo: ") for e in evs)
