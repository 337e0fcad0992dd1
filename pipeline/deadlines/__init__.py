"""Deadlines, targets and recurrences in Vietnamese plans and directives.

    extract_deadlines(text, doc_date="2024-09", sections=..., masks=[(s, e), ...]) → [Deadline]

How an expression becomes a deadline:
1. `grammar.py` finds time expressions (dates, months, quarters, halves, school years, years,
   relative spans, recurrences) line by line (cell by cell in tables).
2. Nothing inside a mask counts: citation spans from the citation stage, document numbers
   (`09/2019/NĐ-CP`, `29-NQ/TW`), quoted names, and the title of a cited document ("... của Thủ
   tướng về phê duyệt Quy hoạch ..., tầm nhìn đến năm 2050").
3. An expression is kept when a trigger word stands right before it (`trước`, `chậm nhất`,
   `đến`, `trong`, `vào`, `ở`, `từ`, ...; see models/deadlines.json), when it carries its own
   position or recurrence (`cuối năm 2024`, `định kỳ hằng năm`, `ngày 15 tháng 11 hằng năm`),
   when a task verb governs a bare year (`tổ chức Ngày hội ... năm 2024`), or when it sits in the
   time column of a task table. Weak triggers and bare years inside a topic phrase (`về nhiệm vụ
   ... trong năm học 2024 - 2025`), past events (`đã mở năm 2022`), entry-into-force clauses and
   programme names (`Đề án ... giai đoạn 2022 - 2025, định hướng đến năm 2030`) are dropped.
4. `normalise.py` gives the value; `attach.py` the section, task, agency and partners.
"""
from __future__ import annotations

import bisect
import logging
import re
from typing import Iterable, Optional, Sequence

from ..model import Deadline, Line, Section, Text
from ..resources import load
from .attach import Attacher
from .grammar import Expr, Grammar, grammar, quoted_spans
from .normalise import Context, bounds, iso, parse_doc_date, resolve

__all__ = ["extract_deadlines"]

log = logging.getLogger(__name__)

_RECUR = ("recur", "recur_each", "recur_times", "recur_date")
_EXPLICIT_YEAR = ("year", "monthyear", "quarter", "half")
_GAP_RANGE = re.compile(r" {0,3}(?:(?:đến|tới)(?: {1,3}(?:hết|trước))?|-) {0,3}", re.I)
# after "đến <date>": a state at that date, not a task ("đến ngày 19/11/2025 đã có 15 bộ ...")
_STATUS_AFTER = re.compile(r",? {0,3}(?:đã|chưa|vẫn|mới|chỉ còn|còn)(?!\w)", re.I)
_TALLY_BEFORE = re.compile(r"(?:tính|cho)\s+$", re.I)         # "tính đến ngày ...": a tally date
_NUM_RANGE_BEFORE = re.compile(r"(?<!\w)từ\s{1,3}\d{1,3}\s{0,3}$", re.I)  # "từ 01 đến 03 ngày"
_REL_BACKWARD = re.compile(r"\s{1,3}(?:qua|trở\s{1,3}lại|gần\s{1,3}đây|gần\s{1,3}nhất)(?!\w)", re.I)
_OF_SOME_YEAR = re.compile(r",? {0,3}của {1,3}năm(?! {1,3}\d)(?!\w)", re.I)  # "31/7 của năm xét tặng"
_PAST_IN_CLAUSE = re.compile(r"(?<!\w)(?:đã|vừa qua)(?!\w)", re.I)
_COORD_GAP = re.compile(r"[^;.:()\n\t]{0,60}")
_COORD_WORD = re.compile(r",|(?<!\w)(?:và|hoặc)(?!\w)", re.I)
_DATES = ("date_slash", "date_words", "daymonth")
_NUMBERING_ONLY = re.compile(r"\s*(?:(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])[.)]\s*|[-+•]\s*)?")
_CELL_YEAR = re.compile(r"\s*(?:năm\s+)?((?:19|20)\d\d)\s*\.?\s*", re.I)
_CELL_RANGE = re.compile(r"\s*(?:giai\s+đoạn\s+|từ\s+)?(?:năm\s+)?((?:19|20)\d\d)\s*(?:-|đến)\s*(?:năm\s+)?((?:19|20)\d\d)\s*", re.I)


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
    try:
        m, d = int(v[0]), int(v[1])
        if 1 <= m <= 12 and 1 <= d <= 31:
            return (m, d)
    except (TypeError, ValueError, IndexError):
        pass
    return default


class _Masks:
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
        try:
            a, b = int(m[0]), int(m[1])
        except (TypeError, ValueError, IndexError):
            continue
        a, b = max(0, a), min(n, b)
        if b > a:
            out.append((a, b))
    return out


def _title_zones(s: str, g: Grammar, anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """After a cited number: its title ("về ...", "phê duyệt ...") up to the end of the clause."""
    out = []
    for _a, b in anchors:
        m = g.title_open_re.match(s, b, min(len(s), b + 160))
        if not m:
            continue
        end = b
        limit = min(len(s), b + 700)
        stop = re.compile(r"[;\n\t]|\.(?=\s|$)").search(s, m.end(), limit)
        end = stop.start() if stop else limit
        out.append((b, end))
    return out


class _Extractor:
    def __init__(self, text: Text, doc_date, sections, masks, sy_start, sy_end):
        self.text = text
        self.s = text.text
        self.g = grammar()
        self.data = load("deadlines")
        sy = self.data["school_year"]
        self.ctx = Context(parse_doc_date(doc_date), _school_day(sy_start, tuple(sy["start"])),
                           _school_day(sy_end, tuple(sy["end"])), int(sy.get("new_year_month", 8)),
                           _school_day(sy.get("term1_end"), (1, 17)))
        self.ctx.title_school_year = self._title_school_year()
        given = _valid_masks(masks, len(self.s))
        numbers = self.g.doc_numbers(self.s)
        spans = given + numbers + quoted_spans(self.s) + _title_zones(self.s, self.g, given + numbers)
        self.masks = _Masks(spans)
        self.att = Attacher(text, sections, self.data)
        self.time_cells = set(self.att.time_cells())

    def _title_school_year(self) -> Optional[int]:
        """The school year named in the document's title lines (the short lines at the top,
        before the first long paragraph or "Căn cứ"), when exactly one is named."""
        years = set()
        for ln in self.text.lines[:8]:
            t = self.s[ln.start:ln.end]
            if len(t) > 220 or re.match(r"\s*căn\s+cứ", t, re.I) or ln.kind == "footnote":
                break
            for m in self.g.patterns["school_year"].finditer(self.s, ln.start, ln.end):
                years.add(int(m.group("y1")))
        return years.pop() if len(years) == 1 else None

    # ------------------------------------------------------------------ driver
    def run(self) -> list[Deadline]:
        out: list[Deadline] = []
        for ln in self.text.lines:
            if ln.end <= ln.start:
                continue
            if ln.kind == "table_row":
                pos = ln.start
                for cell in self.s[ln.start:ln.end].split("\t"):
                    a, b = pos, pos + len(cell)
                    pos = b + 1
                    out.extend(self._segment(a, b, (a, b) in self.time_cells, False))
            else:
                out.extend(self._segment(ln.start, ln.end, False, ln.kind == "footnote"))
        out.sort(key=lambda d: (d.start, d.end))
        return out

    def _segment(self, lo: int, hi: int, time_cell: bool, footnote: bool) -> list[Deadline]:
        try:
            exprs = self.g.find(self.s, lo, hi)
            for e in exprs:
                e.trigger, e.trigger_start = self.g.trigger_before(self.s, e.start, lo)
            exprs = self._merge_ranges(exprs)
            out = []
            prev = None  # the last kept expression that had a trigger
            for e in exprs:
                if e.trigger is None and prev is not None and self._coordinated(prev, e):
                    e.trigger, e.inherited = prev.trigger, True
                try:
                    d = self._decide(e, lo, time_cell, footnote)
                except Exception:  # one odd expression must not cost the document
                    log.debug("deadline expression skipped", exc_info=True)
                    d = None
                if d is not None:
                    out.append(d)
                    prev = e if e.trigger is not None else None
                else:
                    prev = None
            if time_cell and not out:
                d = self._bare_cell(lo, hi)
                if d is not None:
                    out.append(d)
            return out
        except Exception:
            log.debug("deadline segment skipped", exc_info=True)
            return []

    def _coordinated(self, prev: Expr, e: Expr) -> bool:
        """"chậm nhất 90 ngày đối với đất nông nghiệp và 180 ngày đối với ...": a second
        expression of the same family joined by "và"/"hoặc"/"," shares the first one's trigger."""
        if prev.type == "rel":
            if e.type != "rel":
                return False
        elif not (prev.type in _DATES and e.type in _DATES):
            return False
        gap = _COORD_GAP.fullmatch(self.s, prev.end, e.start)
        return gap is not None and _COORD_WORD.search(self.s, prev.end, e.start) is not None

    def _merge_ranges(self, exprs: list[Expr]) -> list[Expr]:
        out: list[Expr] = []
        i = 0
        while i < len(exprs):
            e = exprs[i]
            if (i + 1 < len(exprs) and e.trigger and e.trigger.get("kind") == "start"
                    and e.type not in _RECUR and exprs[i + 1].type not in _RECUR):
                f = exprs[i + 1]
                if _GAP_RANGE.fullmatch(self.s, e.end, f.start):
                    r = Expr("range", e.start, f.end, {"a": e, "b": f}, e.trigger, e.trigger_start)
                    out.append(r)
                    i += 2
                    continue
            out.append(e)
            i += 1
        return out

    # ------------------------------------------------------------------ decisions
    def _topic_blocked(self, a: int, b: int) -> bool:
        """A topic word (về, như, Luật, so với ...) in s[a:b] with no task verb after it."""
        g, s = self.g, self.s
        last = None
        for m in g.topic_re.finditer(s, a, b):
            if m.group(0).lower() == "về" and g.verb_re.search(s, max(a, m.start() - 30), m.start()):
                continue  # "báo cáo kết quả về Sở": a direction
            last = m
        if last is None:
            return False
        return not g.verb_re.search(s, last.end(), b)

    def _past(self, a: int, at: int) -> bool:
        return bool(self.g.past_before_re.search(self.s, max(a, at - 30), at))

    def _past_clause(self, cs: int, at: int) -> bool:
        """A past marker earlier in the clause (within 120 characters) with no task verb after
        the verb it governs: "đã đạt được kết quả ... trong năm 2024" (not "đã ban hành Công
        điện chỉ đạo ... tổ chức lễ ... vào ngày 19/8/2025")."""
        last = None
        for m in _PAST_IN_CLAUSE.finditer(self.s, max(cs, at - 120), at):
            last = m
        if last is None:
            return False
        return not self.g.verb_re.search(self.s, min(at, last.end() + 12), at)

    def _bare_task(self, e: Expr, cs: int) -> Optional[int]:
        """Start of the task verb that governs a bare year (None when there is none)."""
        g, s = self.g, self.s
        if re.search(r"ngày\s*$", s[max(cs, e.start - 8):e.start], re.I):
            return None  # "ngày tháng 9 năm 2024": a (blank-day) document date
        last = None
        for m in g.verb_re.finditer(s, max(cs, e.start - 160), e.start):
            last = m
        if last is None:
            return None
        if g.topic_re.search(s, last.end(), e.start):
            return None
        if self._past(cs, last.start()):
            return None
        return last.start()

    def _recur_adjacent(self, e: Expr, cs: int) -> bool:
        g, s = self.g, self.s
        if re.search(r"định\s+kỳ[^.;\n]{0,25}$", s[max(cs, e.start - 30):e.start], re.I):
            return True
        if _NUMBERING_ONLY.fullmatch(s, cs, e.start) is not None and re.match(r" ?,", s[e.end:e.end + 2]):
            return True  # "Hằng năm, các đơn vị báo cáo ...": the clause's own adverbial
        w = int(self.data["recurrence"].get("adjacent_verbs_window", 3))
        before = " ".join(s[max(cs, e.start - 60):e.start].split()[-w:])
        after = s[e.end:e.end + 60].lstrip(" ,")
        if g.verb_re.search(before) and re.search(r"\w\s*$", before):
            return True
        m = g.verb_re.match(after)
        return bool(m)

    def _decide(self, e: Expr, lo: int, time_cell: bool, footnote: bool) -> Optional[Deadline]:
        g, s = self.g, self.s
        if self.masks.overlaps(e.start, e.end):
            return None
        T = e.trigger
        anchor = e.span_start
        cs = self.att.clause_before(anchor, lo)
        ca, cb = self.att.clause(e.start, e.end)
        eff = g.effective_re.search(s, max(ca, lo), cb)
        if eff and not (e.type == "rel" and e.groups.get("anchor") and eff.start() >= e.start):
            return None  # "có hiệu lực từ ngày ..."; not "trong 3 tháng kể từ ngày Nghị định có hiệu lực"
        rule = None
        if time_cell:
            rule = "table_time"
        elif T is None:
            if e.type in ("recur", "recur_times", "recur_date"):
                rule = "recurrence"
            elif e.type == "recur_each":
                if not self._recur_adjacent(e, cs):
                    return None
                rule = "recurrence"
            elif e.groups.get("pos") and e.type in ("year", "quarter", "monthyear", "school_year", "semester") \
                    and (e.groups.get("y") or e.groups.get("y1")):
                if self._topic_blocked(cs, e.start) or self._past(cs, e.start):
                    return None
                rule = "position"
            elif e.type in _EXPLICIT_YEAR and e.groups.get("y") and not footnote:
                v = self._bare_task(e, cs)
                if v is None:
                    return None
                rule = "task_year"
            else:
                return None
        else:
            words = " ".join(T["words"].lower().split())
            if not T.get("strong") and self._topic_blocked(cs, e.start):
                return None
            if self._past(cs, anchor):
                return None
            if not T.get("strong") and not e.inherited and self._past_clause(cs, anchor):
                return None  # "đã đạt được những kết quả ... trong năm 2024"
            if words in ("trước", "sau") and e.trigger_start is not None \
                    and "," in s[e.trigger_start:e.start]:
                return None  # "14 tháng trước, ngày 31/3/2020": an adverb (ago), not a trigger
            if words in ("đến", "tới", "đến hết", "từ nay đến"):
                if _STATUS_AFTER.match(s, e.end, min(len(s), e.end + 12)) \
                        or _TALLY_BEFORE.search(s, max(lo, anchor - 8), anchor):
                    return None  # "đến ngày 19/11/2025 đã có ...", "tính đến ngày ..."
                if e.type == "rel" and _NUM_RANGE_BEFORE.search(s, max(lo, anchor - 12), anchor):
                    return None  # "từ 01 đến 03 ngày": a range of amounts
            if T.get("kind") == "target" and g.period_before_re.search(s, max(cs, anchor - 40), anchor) \
                    and g.programme_re.search(s, cs, anchor):
                return None  # part of a programme's name
            if words in ("đến", "tới", "đến hết") and e.type in ("year", "year_after_to") \
                    and g.range_from_re.search(s, max(cs, anchor - 30), anchor):
                return None  # the end of a period ("giai đoạn 2021 đến 2025")
            if e.type == "rel" and _REL_BACKWARD.match(s, e.end, min(len(s), e.end + 14)):
                return None  # "trong 5 năm qua", "chụp trong vòng 01 năm trở lại"
            rule = "trigger:" + words
        if e.type == "range":
            value, label, posmod = self._range_value(e)
        else:
            value, label, posmod = resolve(e, g, self.ctx)
        if e.type == "daymonth" and _OF_SOME_YEAR.match(s, e.end, min(len(s), e.end + 16)):
            value = None  # "trước ngày 31 tháng 7 của năm xét tặng": not the document's year
        kind = self._kind(e, T, cs, anchor)
        if kind == "start" and not time_cell and self._before_doc(value):
            return None  # "từ năm 2020": a past starting point, not a task
        if kind != "recurring" and not time_cell and self._long_before_doc(value):
            return None  # "hợp đồng ký trước ngày 01/01/2021" in a 2025 text: a condition, not a task
        modifier = posmod or (T.get("modifier") if T else None)
        start, end = e.span_start, e.end
        agency, partners = self.att.agency(start, end)
        return Deadline(
            text=s[start:end], start=start, end=end, kind=kind, value=value, modifier=modifier,
            label=label, rule=f"{e.type}/{rule}", section=self.att.section(start),
            task=self.att.task(start, end), agency=agency, partners=partners)

    def _kind(self, e: Expr, T: Optional[dict], cs: int, anchor: int) -> str:
        if e.type in _RECUR:
            return "recurring"
        if e.type == "range":
            return "period"
        if T and T.get("kind"):
            return T["kind"]
        if T is None or T.get("modifier") not in ("before", "no_later_than"):
            # a target cue in the same comma-delimited phrase: "phấn đấu đến năm 2030",
            # "mục tiêu đạt chuẩn ... vào năm 2030" (not "theo mục tiêu Kế hoạch ..., đến năm 2027")
            phrase = max(cs, self.s.rfind(",", cs, anchor) + 1)
            if self.g.target_re.search(self.s, phrase, anchor):
                return "target"
        return "deadline"

    def _long_before_doc(self, value: Optional[str]) -> bool:
        """Whether a value ended more than a month before the document's date (year and month
        known): a past date or a legal condition, not something to do."""
        d = self.ctx.doc
        if not d.year or not d.month or not value:
            return False
        _a, b = bounds(value)
        if not b:
            return False
        y, m = (d.year, d.month - 1) if d.month > 1 else (d.year - 1, 12)
        return b < f"{y:04d}-{m:02d}-{(d.day or 1):02d}"

    def _before_doc(self, value: Optional[str]) -> bool:
        """Whether a value ends before the document's year began ("từ năm 2020" in 2024)."""
        d = self.ctx.doc
        if not d.year or not value:
            return False
        _a, b = bounds(value)
        return bool(b) and b < f"{d.year:04d}-01-01"

    def _range_value(self, e: Expr):
        a, b = e.groups["a"], e.groups["b"]
        va, la, _ = resolve(a, self.g, self.ctx)
        vb, lb, _ = resolve(b, self.g, self.ctx)
        if a.type == "daymonth" and vb and b.type in ("date_slash", "date_words") and la:
            # "từ ngày 16/7 đến hết ngày 25/7/2025": the first date takes the second's year
            m, d = int(la[2:4]), int(la[5:7])
            y = int(vb[:4])
            if (m, d) <= (int(vb[5:7]), int(vb[8:10])):
                va = iso(y, m, d)
        if not va or not vb or va.startswith("FREQ") or vb.startswith("FREQ"):
            return None, None, None
        if "/" not in va and "/" not in vb and len(va) == len(vb):
            return f"{va}/{vb}", None, None
        sa, _ = bounds(va)
        _, eb = bounds(vb)
        return (f"{sa}/{eb}" if sa and eb else None), None, None

    def _bare_cell(self, lo: int, hi: int) -> Optional[Deadline]:
        """A time cell holding only a year ("2025") or a range of years ("2025-2030")."""
        s = self.s
        m = _CELL_RANGE.fullmatch(s, lo, hi)
        if m:
            value, kind = f"{m.group(1)}/{m.group(2)}", "period"
        else:
            m = _CELL_YEAR.fullmatch(s, lo, hi)
            if not m:
                return None
            value, kind = m.group(1), "deadline"
        a = lo + (len(s[lo:hi]) - len(s[lo:hi].lstrip()))
        b = lo + len(s[lo:hi].rstrip(" ."))
        agency, partners = self.att.agency(a, b)
        return Deadline(text=s[a:b], start=a, end=b, kind=kind, value=value, modifier=None,
                        label=None, rule="cell/table_time", section=self.att.section(a),
                        task=self.att.task(a, b), agency=agency, partners=partners)


def extract_deadlines(text: Text, *, doc_date: Optional[str] = None,
                      sections: Optional[list[Section]] = None,
                      masks: Sequence[tuple[int, int]] = (),
                      school_year_start=(9, 5), school_year_end=(5, 31)) -> list[Deadline]:
    """Deadlines, targets and recurrences in a normalised text (or a plain string).

    doc_date: the document's date, ISO "2024-09-17", or "2024-09" / "2024" when only that is
    known; it anchors year-less and relative expressions (their value is None without it).
    sections: the section tree, for Deadline.section (innermost section) and agencies named by
    headings. masks: citation spans; nothing inside them is a deadline.
    school_year_start / school_year_end: (month, day) of the school year's first and last day.
    Never raises: on input it cannot read it returns what it found (possibly nothing).
    """
    try:
        t = _as_text(text)
        if not t.text:
            return []
        return _Extractor(t, doc_date, sections, masks, school_year_start, school_year_end).run()
    except Exception:
        log.warning("deadline extraction failed", exc_info=True)
        return []
