"""Values of time expressions: ISO 8601 dates and intervals, RFC 5545 RRULEs, school years.

`resolve(expr, ctx)` turns one raw `Expr` into (value, label, modifier). Unknown parts give None,
never a guess: a year-less date needs the document's year; a relative deadline needs its anchor.

Shapes of `value`:
- a day `2024-12-15`, a month `2025-12`, a year `2024` (ISO 8601 reduced precision);
- an interval `2025-07-01/2025-09-30` for a quarter, a half year or a school year (label kept:
  `2025-Q3`, `2025-H1`, `SY2025-2026`), or `2021/2025` for a period of years;
- an RRULE body `FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15` for recurrences.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from .grammar import Expr, Grammar


@dataclass
class DocDate:
    year: Optional[int] = None
    month: Optional[int] = None
    day: Optional[int] = None

    @property
    def date(self) -> Optional[dt.date]:
        if self.year and self.month and self.day:
            return dt.date(self.year, self.month, self.day)
        return None


def parse_doc_date(value) -> DocDate:
    """'2024-09-17', '2024-09', '2024' (or a date) → DocDate; anything else → all None."""
    if value is None:
        return DocDate()
    if isinstance(value, dt.date):
        return DocDate(value.year, value.month, value.day)
    m = re.fullmatch(r"\s*((?:19|20)\d\d)(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*", str(value))
    if not m:
        return DocDate()
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else None
    d = int(m.group(3)) if m.group(3) else None
    if mo is not None and not 1 <= mo <= 12:
        return DocDate(y)
    if d is not None and not valid(y, mo, d):
        return DocDate(y, mo)
    return DocDate(y, mo, d)


@dataclass
class Context:
    doc: DocDate
    sy_start: tuple = (9, 5)
    sy_end: tuple = (5, 31)
    new_year_month: int = 8
    term1_end: tuple = (1, 17)
    title_school_year: Optional[int] = None  # "năm học 2024-2025" in the document's own title


def valid(y, m, d) -> bool:
    try:
        dt.date(int(y), int(m), int(d))
        return True
    except (TypeError, ValueError, OverflowError):
        return False


def iso(y, m=None, d=None) -> Optional[str]:
    if y is None:
        return None
    if m is None:
        return f"{int(y):04d}"
    if not 1 <= int(m) <= 12:
        return None
    if d is None:
        return f"{int(y):04d}-{int(m):02d}"
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}" if valid(y, m, d) else None


def month_end(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def interval(y1, m1, d1, y2, m2, d2) -> Optional[str]:
    a, b = iso(y1, m1, d1), iso(y2, m2, d2)
    return f"{a}/{b}" if a and b else None


def quarter_value(y: Optional[int], q: int) -> tuple[Optional[str], str]:
    m1 = 3 * (q - 1) + 1
    m2 = m1 + 2
    label = f"{y}-Q{q}" if y else f"Q{q}"
    if not y:
        return None, label
    return interval(y, m1, 1, y, m2, month_end(y, m2)), label


def half_value(y: Optional[int], h: int) -> tuple[Optional[str], str]:
    label = f"{y}-H{h}" if y else f"H{h}"
    if not y:
        return None, label
    return (interval(y, 1, 1, y, 6, 30) if h == 1 else interval(y, 7, 1, y, 12, 31)), label


def school_year_value(y1: Optional[int], ctx: Context) -> tuple[Optional[str], Optional[str]]:
    if not y1:
        return None, None
    (sm, sd), (em, ed) = ctx.sy_start, ctx.sy_end
    y2 = y1 + 1 if (em, ed) < (sm, sd) else y1
    return interval(y1, sm, sd, y2, em, ed), f"SY{y1}-{y1 + 1}"


def semester_value(y1: Optional[int], term: int, ctx: Context) -> tuple[Optional[str], Optional[str]]:
    """Term I: school year start → term1_end (next year); term II: the day after → year end."""
    if not y1:
        return None, f"HK{term}"
    whole, label = school_year_value(y1, ctx)
    if not whole:
        return None, f"{label}-HK{term}"
    a, b = whole.split("/")
    tm, td = ctx.term1_end
    end1 = dt.date(y1 + 1, tm, td) if (tm, td) < tuple(ctx.sy_start) else dt.date(y1, tm, td)
    if term == 1:
        value = f"{a}/{end1.isoformat()}"
    else:
        value = f"{(end1 + dt.timedelta(days=1)).isoformat()}/{b}"
    return value, f"{label}-HK{term}"


def doc_school_year(ctx: Context) -> Optional[int]:
    """The school year a document belongs to: the one its title names, else from its date's year
    and month (None if the month is unknown)."""
    if ctx.title_school_year:
        return ctx.title_school_year
    d = ctx.doc
    if not d.year or not d.month:
        return None
    return d.year if d.month >= ctx.new_year_month else d.year - 1


def year_for(ctx: Context, month: Optional[int] = None, day: Optional[int] = None) -> Optional[int]:
    """Year of a year-less date: the document's year, or the next one when the date falls before
    the document's own month/day (deadlines look forward). None without a document year."""
    d = ctx.doc
    if not d.year:
        return None
    if month and d.month:
        if (month, day or 31) < (d.month, d.day or 1):
            return d.year + 1
    return d.year


def to_int(s: Optional[str], g: Grammar, table: Optional[dict] = None) -> Optional[int]:
    if s is None:
        return None
    s = " ".join(s.split())
    if s.isdigit():
        return int(s)
    return (table or g.number_words).get(s.lower())


def month_of(s: Optional[str], g: Grammar) -> Optional[int]:
    if s is None:
        return None
    s = " ".join(s.split())
    if s.isdigit():
        return int(s)
    return g.month_words.get(s.lower())


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return dt.date(y, m, min(d.day, month_end(y, m)))


def parse_anchor_date(anchor: str) -> Optional[dt.date]:
    m = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", anchor) or re.search(
        r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", anchor)
    if m and valid(m.group(3), m.group(2), m.group(1)):
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return None


def bounds(value: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """First and last day of a value (a day, month, year or interval); (None, None) otherwise."""
    if not value or value.startswith("FREQ"):
        return None, None
    if "/" in value:
        a, b = value.split("/", 1)
        return bounds(a)[0], bounds(b)[1]
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not m:
        return None, None
    y = int(m.group(1))
    if m.group(3):
        return value, value
    if m.group(2):
        mo = int(m.group(2))
        return f"{y:04d}-{mo:02d}-01", f"{y:04d}-{mo:02d}-{month_end(y, mo):02d}"
    return f"{y:04d}-01-01", f"{y:04d}-12-31"


# ------------------------------------------------------------------ per expression type

def resolve(e: Expr, g: Grammar, ctx: Context) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """(value, label, position modifier) of one expression; never raises for odd input."""
    gr = e.groups
    pos = g.pos_map.get((gr.get("pos") or "").lower())
    t = e.type
    if t in ("date_slash", "date_words"):
        y, m, d = int(gr["y"]), month_of(gr.get("m"), g), int(gr["d"])
        return iso(y, m, d), None, None
    if t == "daymonth":
        d = int(gr.get("d") or gr.get("d3"))
        m = month_of(gr.get("m") or gr.get("m2") or gr.get("m3"), g)
        if not m or not valid(2000, m, d):
            return None, None, None
        y = year_for(ctx, m, d)
        return iso(y, m, d), f"--{m:02d}-{d:02d}", None
    if t == "monthyear":
        m = month_of(gr.get("m"), g)
        if not m or not 1 <= m <= 12:
            return None, None, pos
        y = int(gr["y"]) if gr.get("y") else year_for(ctx, m)
        return iso(y, m), None if gr.get("y") else f"--{m:02d}", pos
    if t == "quarter":
        q = g.quarter_numerals.get(gr["q"].lower())
        if not q:
            return None, None, pos
        y = int(gr["y"]) if gr.get("y") else None
        if y is None and ctx.doc.year:
            y = ctx.doc.year
            if ctx.doc.month and 3 * q < ctx.doc.month:
                y += 1
        value, label = quarter_value(y, q)
        return value, label, pos
    if t == "half":
        which = gr["which"].lower()
        h = 1 if which in [w.lower() for w in g.data["half_year"]["first"]] else 2
        y = int(gr["y"]) if gr.get("y") else year_for(ctx, 6 if h == 1 else 12)
        value, label = half_value(y, h)
        return value, label, None
    if t == "school_year":
        y1 = int(gr["y1"])
        y2s = gr["y2"]
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        if y2 != y1 + 1:
            return None, f"SY{y1}-{y2}", pos
        value, label = school_year_value(y1, ctx)
        return value, label, pos
    if t == "semester":
        term = 1 if gr["t"] in ("I", "1") else 2
        if gr.get("y1"):
            y1 = int(gr["y1"])
            y2s = gr["y2"]
            y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
            if y2 != y1 + 1:
                return None, None, pos
        else:
            y1 = doc_school_year(ctx)
        value, label = semester_value(y1, term, ctx)
        return value, label, pos
    if t == "school_year_pos":
        value, label = school_year_value(doc_school_year(ctx), ctx)
        return value, label, pos
    if t == "year":
        return iso(int(gr["y"])), None, pos
    if t == "year_pos":
        return iso(ctx.doc.year) if ctx.doc.year else None, None, pos
    if t == "year_after_to":
        return iso(int(gr.get("y") or gr.get("y2"))), None, None
    if t == "rel":
        return _relative(e, g, ctx)
    if t in ("recur", "recur_each", "recur_times", "recur_date"):
        return rrule(e, g), None, None
    return None, None, None


def _relative(e: Expr, g: Grammar, ctx: Context):
    gr = e.groups
    n = to_int(gr.get("n"), g)
    unit_word = " ".join(gr["unit"].lower().split())
    unit = g.data["relative"]["units"].get(unit_word)
    if n is None or unit is None:
        return None, None, None
    dur = f"P{n}{unit}" if unit != "WD" else f"{n} working days"
    anchor = " ".join((gr.get("anchor") or "").split())
    after = (gr.get("from") or "").lower() == "sau"
    label = f"+{dur}" + (f" from {anchor}" if anchor else "")
    if not anchor or unit == "WD":
        return None, label, "after" if after else None
    base = None
    if any(anchor.lower().startswith(a) for a in g.data["relative"]["self_anchors"]):
        base = ctx.doc.date
    else:
        base = parse_anchor_date(anchor)
    if base is None:
        return None, label, "after" if after else None
    try:
        if unit == "D":
            end = base + dt.timedelta(days=n)
        elif unit == "W":
            end = base + dt.timedelta(weeks=n)
        elif unit == "M":
            end = add_months(base, n)
        else:
            end = add_months(base, 12 * n)
    except (OverflowError, ValueError):
        return None, label, None
    return end.isoformat(), label, "after" if after else None


def rrule(e: Expr, g: Grammar) -> Optional[str]:
    gr = e.groups
    units = {k.lower(): v for k, v in g.data["recurrence"]["units"].items()}

    def unit(u):
        return units.get(" ".join((u or "").lower().split()))

    if e.type == "recur_date":
        d = int(gr.get("d") or gr.get("d2"))
        m = gr.get("m") or gr.get("m2")
        each_unit = gr["unit"].lower()
        if each_unit == "năm":
            if not m or not valid(2000, int(m), d):
                return None
            return f"FREQ=YEARLY;BYMONTH={int(m)};BYMONTHDAY={d}"
        if m or not 1 <= d <= 31:
            return None
        return f"FREQ=MONTHLY;BYMONTHDAY={d}"
    if e.type == "recur":
        if gr.get("u1"):
            u = unit(gr["u1"])
            n = to_int(gr.get("n"), g)
            if not u or not n:
                return None
            return _freq(u[0], u[1] * n)
        if gr.get("u2"):
            u = unit(gr["u2"])
            return _freq(u[0], u[1]) if u else None
        return None  # "định kỳ" alone: periodic, frequency not stated
    if e.type == "recur_each":
        u = unit(gr["unit"])
        return _freq(u[0], u[1]) if u else None
    if e.type == "recur_times":
        if gr.get("u1"):
            u = unit(gr["u1"])
            n = to_int(gr.get("n"), g)
            return _freq(u[0], u[1] * n) if u and n else None
        u = unit(gr.get("u2"))
        k = to_int(gr.get("k"), g)
        if not u or not k:
            return None
        if k == 1:
            return _freq(u[0], u[1])
        per_year = {"YEARLY": 12, "MONTHLY": 1}.get(u[0])
        if per_year:  # "2 lần/năm" → every 6 months
            months = per_year * u[1]
            if months % k == 0:
                return _freq("MONTHLY", months // k)
        return None
    return None


def _freq(freq: str, interval_: int) -> str:
    if freq == "MONTHLY" and interval_ % 12 == 0:
        freq, interval_ = "YEARLY", interval_ // 12
    return f"FREQ={freq}" + (f";INTERVAL={interval_}" if interval_ != 1 else "")
