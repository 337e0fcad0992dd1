"""Deadlines, events, targets, recurrences and time limits in Vietnamese plans and directives.

    extract_deadlines(text, doc_date="2024-09", sections=..., masks=[(s, e), ...]) → [Deadline]

What counts is defined in ../shared/docs/deadlines.md: a temporal expression is kept only when it
bounds or schedules an action or a target of the document. How:
1. `grammar.Grammar.scan` finds every time expression in one pass (dates, months, quarters,
   halves, school years, years, relative periods, recurrences).
2. `roles.Roles.decide` reads the expression's clause and gives it a kind (deadline, event,
   start, target, recurring, time_limit) or rejects it: citation spans and cited titles, quoted
   names, the document's own title, entry into force, ages, rates and quantities per period,
   eligibility, penalties, history and tallies are not deadlines.
3. `values.resolve` gives the typed value (`values.When`); `attach.Attacher` the section, the
   task clause, lead agency and partners (task-table rows as units).

The document's own entry into force ("Quyết định này có hiệu lực kể từ ngày ký") is returned by
`effective_date`, for the document, never as a deadline.
"""
from __future__ import annotations

import bisect
import re
from typing import Iterable, Optional, Sequence

from ..model import Deadline, Line, Section, Text
from ..resources import load
from .attach import Attacher
from .grammar import Expr, grammar, quoted_spans
from .roles import Roles
from .values import Context, When, day, parse_doc_date, resolve, span, year

__all__ = ["extract_deadlines", "effective_date", "When"]


_READ = "read it from the text"  # the default of extract_deadlines(effective=...)


def _as_text(text) -> Text:
    if isinstance(text, Text):
        return text
    s = "" if text is None else str(text)
    lines, pos = [], 0
    for part in s.split("\n"):
        kind = "table_row" if "\t" in part else "para"
        lines.append(Line(pos, pos + len(part), kind))
        pos += len(part) + 1
    return Text(s, lines)


def _school_day(v, default):
    if isinstance(v, (tuple, list)) and len(v) == 2 and 1 <= int(v[0]) <= 12 and 1 <= int(v[1]) <= 31:
        return (int(v[0]), int(v[1]))
    return default


class Masks:
    """Sorted, merged character spans where nothing is a deadline."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        merged: list[list[int]] = []
        for a, b in sorted((a, b) for a, b in spans if b > a):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [m[0] for m in merged]
        self.spans = merged

    def overlaps(self, a: int, b: int) -> bool:
        i = bisect.bisect_right(self.starts, b - 1) - 1
        return i >= 0 and self.spans[i][1] > a


def _valid_masks(masks, n: int) -> list[tuple[int, int]]:
    out = []
    for m in masks or ():
        if isinstance(m, (tuple, list)) and len(m) == 2 and all(isinstance(x, int) for x in m):
            a, b = max(0, m[0]), min(n, m[1])
            if b > a:
                out.append((a, b))
    return out


def _context(text: Text, doc_date, sy_start, sy_end) -> Context:
    sy = load("deadlines")["school_year"]
    return Context(parse_doc_date(doc_date), _school_day(sy_start, tuple(sy["start"])),
                   _school_day(sy_end, tuple(sy["end"])), int(sy.get("new_year_month", 8)),
                   _school_day(sy.get("term1_end"), (1, 17)))


def extract_deadlines(text: Text, *, doc_date: Optional[str] = None,
                      sections: Optional[list[Section]] = None,
                      masks: Sequence[tuple[int, int]] = (),
                      school_year_start=(9, 5), school_year_end=(5, 31),
                      effective: Optional[str] = _READ) -> list[Deadline]:
    """Deadlines, events, targets, recurrences and time limits in a normalised text (or a
    plain string), in text order.

    doc_date: the document's date, ISO "2024-09-17", or "2024-09" / "2024" when only that is
    known; it anchors year-less and relative expressions (their value is None without it) and
    tells history from what is still to do.
    sections: the section tree, for Deadline.section and agencies named by headings.
    masks: citation spans; nothing inside them (nor in the title that follows a cited number)
    is a deadline.
    school_year_start / school_year_end: (month, day) of the school year's first and last day.
    effective: the document's own entry into force when the caller has read it already
    (`effective_date`); by default it is read here.
    """
    t = _as_text(text)
    s = t.text
    if not s:
        return []
    g = grammar()
    ctx = _context(t, doc_date, school_year_start, school_year_end)
    given = _valid_masks(masks, len(s))
    mask = Masks(given + quoted_spans(s) + g.title_zones(s, given))
    exprs = g.scan(s, skip=mask.spans)
    if not exprs:
        return []
    att = Attacher(t, sections)
    own = Roles.own_effective(s, g, ctx.doc) if effective is _READ else effective
    ctx.effective = parse_doc_date(own).date if own else None
    roles = Roles(t, g, ctx, att, exprs)
    ctx.title_school_year = roles.title_school_year()
    out: list[Deadline] = []
    kept: Optional[tuple[Expr, str]] = None  # the last expression kept, and its kind
    for e in roles.merge_ranges(roles.drop_history(exprs)):
        if mask.overlaps(e.start, e.end):
            continue
        kind, rule = roles.decide(e)
        if kind is None and kept is not None and roles.coordinated(kept[0], e):
            kind, rule = kept[1], "coordinated"
        if kind is None:
            kept = None
            continue
        kept = (e, kind)
        kind, when = roles.value_of(e, kind, _value(e, g, ctx))
        if not roles.keep_value(e, kind, when):
            continue
        start = e.span_start
        agency, partners = att.agency(start, e.end)
        modifier = e.groups.get("_modifier")
        if modifier is None and e.trigger:
            modifier = e.trigger.get("modifier")
        if modifier is None:
            modifier = g.pos_map.get((e.groups.get("pos") or "").lower())
        out.append(Deadline(
            text=s[start:e.end], start=start, end=e.end, kind=kind, value=when.value,
            modifier=modifier, label=when.label, rule=f"{e.type}/{rule}",
            section=att.section(e.start), task=att.task(start, e.end), agency=agency,
            partners=partners, due_start=when.start, due_end=when.end, rrule=when.rrule,
            duration=when.duration, anchor=when.anchor, precision=when.precision))
    if "\t" in s:  # table rows keep their cells apart with tabs
        out.extend(_bare_cells(t, att, roles, out))
    out.sort(key=lambda d: (d.start, d.end))
    return out


_CELL_YEAR = re.compile(r"\s*(?:năm\s+)?((?:19|20)\d\d)\s*\.?\s*", re.I)
_CELL_RANGE = re.compile(
    r"\s*(?:giai\s+đoạn\s+|từ\s+)?(?:năm\s+)?((?:19|20)\d\d)\s*(?:-|–|đến)\s*(?:năm\s+)?((?:19|20)\d\d)\s*", re.I)


def _bare_cells(t: Text, att: Attacher, roles: Roles, found: list[Deadline]) -> list[Deadline]:
    """A task table's time cell that holds only a year ("2025") or years ("2025-2030"): the
    column header says what it is."""
    s = t.text
    taken = [(d.start, d.end) for d in found]
    out = []
    for a, b in sorted(roles.time_cells):
        if any(x < b and y > a for x, y in taken):
            continue
        m = _CELL_RANGE.fullmatch(s, a, b)
        if m:
            when = span(year(int(m.group(1))), year(int(m.group(2))))
        else:
            m = _CELL_YEAR.fullmatch(s, a, b)
            if not m:
                continue
            when = year(int(m.group(1)))
        lo = a + (len(s[a:b]) - len(s[a:b].lstrip()))
        hi = a + len(s[a:b].rstrip(" ."))
        agency, partners = att.agency(lo, hi)
        out.append(Deadline(
            text=s[lo:hi], start=lo, end=hi, kind="deadline", value=when.value, rule="cell/table_time",
            section=att.section(lo), task=att.task(lo, hi), agency=agency, partners=partners,
            due_start=when.start, due_end=when.end, precision=when.precision))
    return out


def _value(e: Expr, g, ctx: Context) -> When:
    if e.type == "range":
        a, b = e.groups["a"], e.groups["b"]
        wa, wb = resolve(a, g, ctx), resolve(b, g, ctx)
        if a.type == "daymonth" and wb.start and b.type in ("date_slash", "date_words") and wa.label:
            # "từ ngày 16/7 đến hết ngày 25/7/2025": the first date takes the second's year
            m, d = int(wa.label[2:4]), int(wa.label[5:7])
            y = int(wb.start[:4])
            if (m, d) <= (int(wb.start[5:7]), int(wb.start[8:10])):
                wa = day(y, m, d)
        return span(wa, wb)
    return resolve(e, g, ctx)


def effective_date(text: Text, doc_date: Optional[str] = None) -> Optional[str]:
    """The document's own entry into force, ISO, when its text states it: "Quyết định này có
    hiệu lực (thi hành) kể từ ngày 01/7/2025" → that date; "... kể từ ngày ký (ban hành)" →
    the document's date (when known to the day). None otherwise."""
    t = _as_text(text)
    return Roles.own_effective(t.text, grammar(), parse_doc_date(doc_date))
