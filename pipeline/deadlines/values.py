"""Values of time expressions, typed: `When` (first and last day, RRULE, ISO duration, anchor,
precision) and its contract string `When.value`.

`resolve(expr, g, ctx)` turns one raw `Expr` into a `When`. Unknown parts stay None, never a
guess: a year-less date needs the document's year; a relative limit needs its anchor's date.

Shapes of `When.value` (the JSON contract, ../shared/docs/deadlines.md):
- a day `2024-12-15`, a month `2025-12`, a quarter `2025-Q3`, a year `2024`;
- an interval `2025-09-05/2026-05-31` (school year), `2025-01/2025-06` (half year),
  `2021/2025` (years), each side in its own precision;
- an RRULE body `FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15` for recurrences;
- an ISO 8601 duration `P15D` for a time limit (its date, when the anchor's date is known, is
  `When.end`).
The iCalendar writer, the web pages and the evaluation read the typed fields, never re-parse
the string.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from .grammar import Expr, Grammar


_OWN_EFFECT = re.compile(r"(?<!\w)này\s+có(?:\s+hiệu)?(?!\w)|có\s+hiệu\s+lực", re.I)
_EQUIVALENT = re.compile(r"\s*(?:tương\s+đương|bằng|tức\s+là)\s+(\d{1,3})\s+ngày(\s+làm\s+việc)?", re.I)


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
    effective: Optional[dt.date] = None  # the document's own entry into force, when stated


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


@dataclass(frozen=True)
class When:
    """A deadline's value. `start`/`end` are the first and last day it covers (ISO; equal for a
    day), `rrule` an RFC 5545 RRULE body, `duration` an ISO 8601 duration counted from `anchor`,
    `precision` says which of them the text gave: day, month, quarter, half, year, interval,
    school_year, semester, recurrence, duration; `label` keeps what a year-less or partial value
    still says ('--11-15', 'Q3', 'SY2025-2026')."""

    precision: str
    start: Optional[str] = None
    end: Optional[str] = None
    rrule: Optional[str] = None
    duration: Optional[str] = None
    anchor: Optional[str] = None
    working_days: bool = False
    label: Optional[str] = None

    @property
    def value(self) -> Optional[str]:
        p = self.precision
        if p == "recurrence":
            return self.rrule
        if p == "duration":
            return self.duration
        if not self.start or not self.end:
            return None
        if p == "day":
            return self.start
        if p == "month":
            return self.start[:7]
        if p == "year":
            return self.start[:4]
        if p == "quarter":
            return f"{self.start[:4]}-Q{(int(self.start[5:7]) + 2) // 3}"
        if p in ("half", "months"):
            return f"{self.start[:7]}/{self.end[:7]}"
        if p == "years":
            return f"{self.start[:4]}/{self.end[:4]}"
        return f"{self.start}/{self.end}"

    def to_dict(self) -> dict:
        return {"due_start": self.start, "due_end": self.end, "rrule": self.rrule,
                "duration": self.duration, "anchor": self.anchor, "precision": self.precision}


NONE = When("unknown")


def day(y, m, d, label=None) -> When:
    v = iso(y, m, d)
    return When("day", v, v, label=label) if v else When("day", label=label)


def month(y, m, label=None) -> When:
    if y is None or not m or not 1 <= int(m) <= 12:
        return When("month", label=label)
    y, m = int(y), int(m)
    return When("month", iso(y, m, 1), iso(y, m, month_end(y, m)), label=label)


def year(y) -> When:
    if y is None:
        return When("year")
    return When("year", f"{int(y):04d}-01-01", f"{int(y):04d}-12-31")


def quarter(y: Optional[int], q: int) -> When:
    label = f"{y}-Q{q}" if y else f"Q{q}"
    if not y:
        return When("quarter", label=label)
    m1, m2 = 3 * (q - 1) + 1, 3 * q
    return When("quarter", iso(y, m1, 1), iso(y, m2, month_end(y, m2)), label=label)


def half(y: Optional[int], h: int) -> When:
    label = f"{y}-H{h}" if y else f"H{h}"
    if not y:
        return When("half", label=label)
    return When("half", iso(y, 1 if h == 1 else 7, 1), iso(y, 6, 30) if h == 1 else iso(y, 12, 31),
                label=label)


def span(a: When, b: When) -> When:
    """From the start of `a` to the end of `b`: one interval, each side in its own precision
    when both have the same one ('2025/2030', '2025-10/2025-12'), else in days."""
    if not a.start or not b.end or b.end < a.start:
        return When("interval")
    if a.precision == b.precision == "year":
        return When("years", a.start, b.end)
    if a.precision == b.precision == "month":
        return When("months", a.start, b.end)
    return When("interval", a.start, b.end)


def school_year(y1: Optional[int], ctx: "Context") -> When:
    if not y1:
        return When("school_year")
    (sm, sd), (em, ed) = ctx.sy_start, ctx.sy_end
    y2 = y1 + 1 if (em, ed) < (sm, sd) else y1
    return When("school_year", iso(y1, sm, sd), iso(y2, em, ed), label=f"SY{y1}-{y1 + 1}")


def semester(y1: Optional[int], term: int, ctx: "Context") -> When:
    """Term I: school year start → term1_end (next year); term II: the day after → year end."""
    whole = school_year(y1, ctx)
    if not whole.start:
        return When("semester", label=f"HK{term}")
    tm, td = ctx.term1_end
    end1 = dt.date(y1 + 1, tm, td) if (tm, td) < tuple(ctx.sy_start) else dt.date(y1, tm, td)
    label = f"{whole.label}-HK{term}"
    if term == 1:
        return When("semester", whole.start, end1.isoformat(), label=label)
    return When("semester", (end1 + dt.timedelta(days=1)).isoformat(), whole.end, label=label)


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



# ------------------------------------------------------------------ per expression type

def resolve(e: Expr, g: Grammar, ctx: Context) -> When:
    """The typed value of one expression (a `When` whose fields are None where the text does
    not determine them)."""
    gr = e.groups
    t = e.type
    if t == "day_range":
        y, m = int(gr["y"]), int(gr["m"])
        return span(day(y, m, int(gr["d1"])), day(y, m, int(gr["d"])))
    if t in ("date_slash", "date_words"):
        return day(int(gr["y"]), month_of(gr.get("m"), g), int(gr["d"]))
    if t == "daymonth":
        d = int(gr.get("d") or gr.get("d3"))
        m = month_of(gr.get("m") or gr.get("m2") or gr.get("m3"), g)
        if not m or not valid(2000, m, d):
            return When("day")
        return day(year_for(ctx, m, d), m, d, label=f"--{m:02d}-{d:02d}")
    if t == "monthyear":
        m = month_of(gr.get("m"), g)
        if not m or not 1 <= m <= 12:
            return When("month")
        if gr.get("y"):
            return month(int(gr["y"]), m)
        return month(year_for(ctx, m), m, label=f"--{m:02d}")
    if t == "quarter":
        q = g.quarter_numerals.get(gr["q"].lower())
        if not q:
            return When("quarter")
        y = int(gr["y"]) if gr.get("y") else None
        if y is None and ctx.doc.year:
            y = ctx.doc.year
            if ctx.doc.month and 3 * q < ctx.doc.month:
                y += 1
        return quarter(y, q)
    if t == "half":
        which = gr["which"].lower()
        h = 1 if which in [w.lower() for w in g.data["half_year"]["first"]] else 2
        y = int(gr["y"]) if gr.get("y") else year_for(ctx, 6 if h == 1 else 12)
        return half(y, h)
    if t == "school_year":
        y1 = int(gr["y1"])
        y2s = gr["y2"]
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        if y2 != y1 + 1:
            return When("school_year", label=f"SY{y1}-{y2}")
        return school_year(y1, ctx)
    if t == "semester":
        term = 1 if gr["t"] in ("I", "1") else 2
        if gr.get("y1"):
            y1 = int(gr["y1"])
            y2s = gr["y2"]
            y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
            if y2 != y1 + 1:
                return When("semester")
        else:
            y1 = doc_school_year(ctx)
        return semester(y1, term, ctx)
    if t == "school_year_pos":
        return school_year(doc_school_year(ctx), ctx)
    if t == "year":
        return year(int(gr["y"]))
    if t == "year_range":
        return span(year(int(gr["y1"])), year(int(gr["y"])))
    if t == "year_pos":
        return year(ctx.doc.year)
    if t == "year_after_to":
        return year(int(gr.get("y") or gr.get("y2")))
    if t == "rel":
        return _relative(e, g, ctx)
    if t == "rel_nth":
        anchor = " ".join((gr.get("anchor") or "").split()) or None
        return When("duration", duration=f"P{int(gr['n'])}D", anchor=anchor)
    if t == "sameday":
        return When("duration", duration="P1D" if gr.get("next") else "P0D",
                     working_days=bool(gr.get("next")))
    if t == "recur_week":
        return When("recurrence", rrule="FREQ=MONTHLY;INTERVAL=3" if gr["unit"].lower() == "quý" else "FREQ=YEARLY")
    if t in ("recur", "recur_each", "recur_times", "recur_date"):
        return When("recurrence", rrule=rrule(e, g))
    return NONE


def _relative(e: Expr, g: Grammar, ctx: Context) -> When:
    gr = e.groups
    n = to_int(gr.get("n"), g)
    if n is None and gr.get("n") and gr["n"].replace(",", ".").replace(".", "", 1).isdigit():
        n = gr["n"].replace(",", ".")  # "0,25 ngày làm việc"
    unit_word = " ".join(gr["unit"].lower().split())
    unit = g.data["relative"]["units"].get(unit_word)
    if n is None or unit is None:
        return When("duration")
    paren = _EQUIVALENT.match(gr.get("paren") or "")
    if paren:  # "80 giờ làm việc (tương đương 10 ngày làm việc)": the days
        n = int(paren.group(1))
        unit = "WD" if paren.group(2) else "D"
    working = unit in ("WD", "WH")
    if unit in ("H", "WH"):
        duration = f"PT{n}H"
    elif unit == "MIN":
        duration = f"PT{n}M"
    else:
        duration = f"P{n}{'D' if working else unit}"
    anchor = " ".join((gr.get("anchor") or "").split()) or None
    if not anchor or working or unit in ("H", "MIN") or isinstance(n, str):
        return When("duration", duration=duration, anchor=anchor, working_days=working)
    if any(anchor.lower().startswith(a) for a in g.data["relative"]["self_anchors"]):
        base = ctx.doc.date
    elif _OWN_EFFECT.search(anchor):
        base = ctx.effective  # "kể từ ngày Quyết định này có hiệu lực"
    else:
        base = parse_anchor_date(anchor)
    if base is None:
        return When("duration", duration=duration, anchor=anchor)
    if unit == "D":
        end = base + dt.timedelta(days=n)
    elif unit == "W":
        end = base + dt.timedelta(weeks=n)
    elif unit == "M":
        end = add_months(base, n)
    else:
        end = add_months(base, 12 * n)
    return When("duration", base.isoformat(), end.isoformat(), duration=duration, anchor=anchor)


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


_VALUE_PART = re.compile(r"(\d{4})(?:-Q([1-4])|-(\d{2})(?:-(\d{2}))?)?")


def when_of_value(value: Optional[str]) -> When:
    """The typed value of a stored contract string, for rows written before the typed fields
    existed (the store's migration): day, month, quarter, year, an interval of them, an RRULE
    or an ISO duration. Anything else is unknown."""
    if not value:
        return NONE
    v = value.strip()
    if v.startswith("FREQ="):
        return When("recurrence", rrule=v)
    if re.fullmatch(r"PT?\d+(?:[.,]\d+)?[YMWDH]", v):
        return When("duration", duration=v)
    if "/" in v:
        a, b = (when_of_value(x) for x in v.split("/", 1))
        return span(a, b)
    m = _VALUE_PART.fullmatch(v)
    if not m:
        return NONE
    y = int(m.group(1))
    if m.group(2):
        return quarter(y, int(m.group(2)))
    if m.group(4):
        return day(y, int(m.group(3)), int(m.group(4)))
    if m.group(3):
        return month(y, int(m.group(3)))
    return year(y)
