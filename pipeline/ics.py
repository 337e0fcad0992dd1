"""Deadlines → an RFC 5545 iCalendar file (all-day events, recurrences as RRULE).

    to_ics([d.to_dict() for d in record.deadlines], "Kế hoạch 3707/KH-UBND") → str

Each event falls on the day a deadline is due: the day itself (`2024-12-15`), the last day of a
month, quarter, half, year or school year (`2025-Q3` → 2025-09-30), or its first day for a start.
A recurrence needs a first occurrence: `FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15` starts on the next
15 November on or after the document's date; without a document date, or for a bare
`FREQ=YEARLY` / an unstated frequency, there is no day to put it on and the deadline is left out
(never guessed). The file is written by icalendar (RFC 5545: CRLF, lines folded at 75 octets, TEXT
escaped); what is ours is which day an event goes on, its text, and its UID, a hash of the
document, span, text and value, so the same deadline keeps its UID.

Each dict has the Deadline.to_dict() keys, plus an optional "document": a name (str) or a header
dict ({"key", "title", "date", "path"}), whose date (ISO, "YYYY-MM" or "YYYY") anchors recurrences;
a top-level "document_date" does the same when "document" is only a name.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from typing import Optional

import icalendar

PRODID = "-//directives//Vietnamese plan deadlines//VI"
# a document number ('3707/KH-UBND', '09/2024/TT-BGDĐT') has slashes but is no file path
_KEYLIKE = re.compile(r"^\d+[A-Za-z]?[-/]")


def _date(s: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(s) if s else None
    except (TypeError, ValueError):
        return None


def _doc_info(doc, date=None) -> tuple[str, Optional[tuple]]:
    """(name, (year, month, day) with None parts) of the optional "document" entry (a name or a
    header dict); a top-level "document_date" in the deadline's dict also gives the date."""
    if isinstance(doc, dict):
        name = doc.get("key") or doc.get("title") or doc.get("path") or doc.get("name") or ""
        date = doc.get("date") or doc.get("doc_date") or date
    else:
        name = "" if doc is None else str(doc)
    name = re.split(r"[\\/]", str(name))[-1] if not _KEYLIKE.match(str(name)) else str(name)
    parts = None
    if date:
        m = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*", str(date))
        if m:
            parts = tuple(int(x) if x else None for x in m.groups())
    return str(name), parts


def _rrule_start(rule: str, doc_date: Optional[tuple]) -> Optional[dt.date]:
    """First occurrence on or after the document's date of a rule that names its day."""
    if not doc_date or not doc_date[0]:
        return None
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    y, m, d = doc_date[0], doc_date[1] or 1, doc_date[2] or 1
    try:
        base = dt.date(y, m, d)
        if parts.get("FREQ") == "YEARLY" and "BYMONTH" in parts and "BYMONTHDAY" in parts:
            bm, bd = int(parts["BYMONTH"]), int(parts["BYMONTHDAY"])
            for yy in (y, y + 1, y + 2, y + 3, y + 4):
                try:
                    cand = dt.date(yy, bm, bd)
                except ValueError:
                    continue  # 29 February
                if cand >= base:
                    return cand
            return None
        if parts.get("FREQ") == "MONTHLY" and "BYMONTHDAY" in parts and "INTERVAL" not in parts:
            bd = int(parts["BYMONTHDAY"])
            yy, mm = base.year, base.month
            for _ in range(13):
                if bd <= calendar.monthrange(yy, mm)[1] and dt.date(yy, mm, bd) >= base:
                    return dt.date(yy, mm, bd)
                mm += 1
                if mm > 12:
                    yy, mm = yy + 1, 1
    except (TypeError, ValueError):
        return None
    return None


def due_date(d: dict, doc_date: Optional[tuple] = None) -> Optional[dt.date]:
    """The day an event for this deadline goes on (None when there is none): read from the
    typed value (`due_start`/`due_end`, `rrule`), never from the `value` string."""
    if d.get("rrule"):
        return _rrule_start(str(d["rrule"]), doc_date)
    if d.get("kind") == "start" or d.get("modifier") == "start":
        return _date(d.get("due_start"))
    return _date(d.get("due_end"))


def _summary(d: dict) -> str:
    task = " ".join(str(d.get("task") or d.get("text") or "").split())
    if len(task) > 160:
        task = task[:157].rstrip() + "…"
    agency = d.get("agency")
    return f"{agency}: {task}" if agency else task


def _uid(d: dict, docname: str) -> str:
    span = d.get("span") or [d.get("start"), d.get("end")]
    key = "\x1f".join(str(x) for x in (docname, span, d.get("text"), d.get("value"), d.get("kind")))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:24] + "@directives"


def _stamp(dtstamp) -> dt.datetime:
    if isinstance(dtstamp, str):
        return dt.datetime.strptime(dtstamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
    t = dtstamp or dt.datetime.now(dt.timezone.utc)
    return t.astimezone(dt.timezone.utc) if t.tzinfo is not None else t


def to_ics(deadlines: list[dict], calname: str, *, dtstamp=None) -> str:
    """An RFC 5545 VCALENDAR with one all-day VEVENT per deadline that has a day.

    dtstamp: the DTSTAMP of every event (datetime, or "YYYYMMDDTHHMMSSZ"); default now (UTC).
    """
    stamp = _stamp(dtstamp)
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", icalendar.vText(calname))
    seen = set()
    for d in deadlines or []:
        if not isinstance(d, dict):
            continue
        docname, doc_date = _doc_info(d.get("document"), d.get("document_date") or d.get("doc_date"))
        day = due_date(d, doc_date)
        if day is None:
            continue
        uid = _uid(d, docname)
        if uid in seen:
            continue
        seen.add(uid)
        value = str(d.get("value"))
        desc = [f"{d.get('text') or ''}", f"kind: {d.get('kind')}", f"value: {value}"]
        for k in ("modifier", "label", "section", "agency"):
            if d.get(k):
                desc.append(f"{k}: {d[k]}")
        if d.get("partners"):
            desc.append("partners: " + "; ".join(map(str, d["partners"])))
        if d.get("task"):
            desc.append(f"task: {d['task']}")
        if docname:
            desc.append(f"document: {docname}")
        if d.get("url"):
            desc.append(str(d["url"]))
        ev = icalendar.Event()
        ev.add("uid", uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", day)
        ev.add("dtend", day + dt.timedelta(days=1))
        if d.get("rrule"):
            ev.add("rrule", icalendar.vRecur.from_ical(str(d["rrule"])))
        ev.add("summary", _summary(d))
        ev.add("description", "\n".join(desc))
        ev.add("categories", [str(d.get("kind") or "deadline")])
        ev.add("transp", "TRANSPARENT")
        if d.get("url"):  # the deadline on its document's page
            ev.add("url", str(d["url"]))
        cal.add_component(ev)
    return cal.to_ical().decode("utf-8")
