"""Who must do what: the task clause a deadline bounds, its section, its lead and partner agencies.

Where the agency comes from, in order:
1. a task table row (columns found from the table's header row);
2. "Giao X (chủ trì), phối hợp với Y ..." in the sentence, or earlier in the paragraph;
3. "X chủ trì ..." in the sentence;
4. the subject of the sentence, or of the paragraph ("Sở Giáo dục và Đào tạo: ...", "Ủy ban
   nhân dân huyện xây dựng kế hoạch ...; định kỳ báo cáo ...");
5. the heading of the numbered item it sits under in a "TỔ CHỨC THỰC HIỆN" part
   ("1. Phòng Giáo dục và Đào tạo thành phố" then its tasks).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Sequence

from ..model import Section, Text
from ..resources import load
from .grammar import SP, words_alt

_NUMBERING = re.compile(r"^\s*(?:(?:[IVXLC]{1,6}|\d{1,2}(?:\.\d{1,2}){0,3})\s*[.)\-:]|[a-zđ]\)|[-+•*])\s*")
_SENT_END = re.compile(r"[.!?](?=\s+[\"“(]?[A-ZÀ-ỸĐ0-9])|[.!?]$")
_CLAUSE_END = re.compile(r";|[.!?](?=\s+[\"“(]?[A-ZÀ-ỸĐ0-9])|[.!?]$|:(?=\s)")


def _first_upper(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _ci_first(pat: str) -> str:
    """Make a cue's first letter match either case ('Các phòng' ~ 'các phòng')."""
    if pat and pat[0].isalpha():
        return f"[{pat[0].upper()}{pat[0].lower()}]" + pat[1:]
    return pat


@dataclass
class TableInfo:
    cols: dict                        # role → column index
    cells: list = field(default_factory=list)  # (start, end) of each cell of this row


@lru_cache(maxsize=None)
def _patterns() -> dict:
    """The agency and table cues of models/deadlines.json, compiled once per process."""
    data = load("deadlines")
    ag = data["agency"]
    cue = "(?:" + "|".join(_ci_first(c) for c in sorted(ag["cues"], key=len, reverse=True)) + ")"
    tb = data["table"]
    return {
        "max_len": int(ag.get("max_length", 250)),
        "cue_re": re.compile(cue),
        "assign_re": re.compile(
            rf"(?:^|(?<=[\s(,;]))(?P<w>{words_alt(ag['assign_words'])}){SP}(?={cue})", re.I),
        "lead_re": re.compile(rf"\(?{words_alt(ag['lead_words'])}\)?(?!\w)", re.I),
        "partner_re": re.compile(rf"(?<!\w){words_alt(ag['partner_words'])}(?!\w)", re.I),
        "term_re": re.compile(rf"(?<!\w){words_alt(ag['terminators'])}(?!\w)", re.I),
        "impl_re": re.compile(rf"{words_alt(ag['implementation_headings'])}", re.I),
        "split_re": re.compile(rf"(?:,|;| và){SP}(?={cue})"),
        "opener_re": re.compile(rf"{words_alt(ag.get('adverbial_openers', []))}(?!\w)", re.I),
        "table_words": {k: [w.lower() for w in tb[k]] for k in ("time", "partners", "lead", "task")},
        "table_continuous": [w.lower() for w in tb.get("continuous", [])],
    }


class Attacher:
    def __init__(self, text: Text, sections: Optional[Sequence[Section]]):
        self.text = text
        self.s = text.text
        self.lines = sorted(text.lines, key=lambda ln: ln.start)
        self.line_starts = [ln.start for ln in self.lines]
        self.sections = sorted(sections or [], key=lambda sec: (sec.start, -sec.end))
        self.sec_starts = [sec.start for sec in self.sections]
        self.by_id = {sec.id: sec for sec in self.sections}
        self.__dict__.update(_patterns())
        self._tables_cache: Optional[dict] = None
        self._impl_cache: Optional[list] = None

    @property
    def tables(self) -> dict:
        """Task tables, read on first use (most documents have no deadline to attach)."""
        if self._tables_cache is None:
            self._tables_cache = self._tables()
        return self._tables_cache

    @property
    def impl_parts(self) -> list:
        if self._impl_cache is None:
            self._impl_cache = self._implementation_parts()
        return self._impl_cache

    # ------------------------------------------------------------------ lines, sentences
    def line_at(self, off: int):
        i = bisect.bisect_right(self.line_starts, off) - 1
        return self.lines[i] if i >= 0 else None

    def _bounds(self, pattern: re.Pattern, start: int, end: int, line) -> tuple[int, int]:
        lo = line.start if line else max(0, start - 600)
        hi = line.end if line else min(len(self.s), end + 600)
        lo = max(lo, start - 1500)
        hi = min(hi, end + 1500)
        a = lo
        for m in pattern.finditer(self.s, lo, min(hi, start + 4)):
            if m.end() <= start:
                a = m.end()
        m = pattern.search(self.s, end, hi)
        b = m.start() if m else hi
        return a, b

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        return self._bounds(_SENT_END, start, end, self.line_at(start))

    def clause(self, start: int, end: int) -> tuple[int, int]:
        return self._bounds(_CLAUSE_END, start, end, self.line_at(start))

    def clause_before(self, start: int, floor: int) -> int:
        """Start of the clause that `start` is in (not before `floor`)."""
        a = lo = max(floor, start - 400)
        for m in _CLAUSE_END.finditer(self.s, lo, min(len(self.s), start + 4)):
            if m.end() <= start:
                a = m.end()
        return a

    # ------------------------------------------------------------------ section, task
    def section(self, off: int) -> Optional[str]:
        best = None
        i = bisect.bisect_right(self.sec_starts, off)
        for sec in self.sections[:i]:
            if sec.start <= off < sec.end:
                if best is None or (sec.level, sec.start) >= (best.level, best.start):
                    best = sec
        return best.id if best else None

    def task(self, start: int, end: int) -> Optional[str]:
        cell = self.cell_at(start)
        if cell is not None:
            info, _ = cell
            if "task" in info.cols and info.cols["task"] < len(info.cells):
                a, b = info.cells[info.cols["task"]]
                t = self.s[a:b].strip()
                if t:
                    return t
        a, b = self.clause(start, end)
        rest = (self.s[a:start] + self.s[end:b]).strip(" ,.;:")
        if len(rest) < 20:
            a, b = self.sentence(start, end)
        t = _NUMBERING.sub("", self.s[a:b].strip(), count=1).strip()
        return t[:600] or None

    # ------------------------------------------------------------------ tables
    def _tables(self) -> dict:
        """line index → TableInfo for the rows under a recognised header row of a table."""
        out = {}
        header = None
        for i, ln in enumerate(self.lines):
            if ln.kind != "table_row":
                header = None
                continue
            cells, pos = [], ln.start
            for c in self.s[ln.start:ln.end].split("\t"):
                cells.append((pos, pos + len(c)))
                pos += len(c) + 1
            cols = self._header_cols([self.s[a:b] for a, b in cells])
            if len(cols) >= 2 and ("time" in cols or "task" in cols) and (header is None or len(cols) >= 3):
                header, width = cols, len(cells)
                continue
            if header:
                out[i] = TableInfo(self._row_cols(header, width, len(cells)), cells)
        return out

    @staticmethod
    def _row_cols(header: dict, width: int, n: int) -> dict:
        """Column roles for a row of n cells under a header of `width` cells. A row with fewer
        cells lost its empty ones (runs of tabs can be collapsed upstream): the time column, when
        it is the header's last, is the row's last cell; roles before it keep their index."""
        if n == width:
            return header
        cols = {}
        if header.get("time") == width - 1:
            cols["time"] = n - 1
        for role, j in header.items():
            if role != "time" and j < n - 1:
                cols[role] = j
        return cols

    def _header_cols(self, cells: list[str]) -> dict:
        cols = {}
        for j, c in enumerate(cells):
            low = c.lower()
            if len(low) > 60:
                continue
            for role in ("time", "partners", "lead", "task"):
                if role not in cols and any(w in low for w in self.table_words[role]):
                    cols[role] = j
                    break
        return cols

    def cell_at(self, off: int):
        """(TableInfo, column index) when `off` is in a table row under a header."""
        i = bisect.bisect_right(self.line_starts, off) - 1
        info = self.tables.get(i)
        if info is None:
            return None
        for j, (a, b) in enumerate(info.cells):
            if a <= off <= b:
                return info, j
        return None

    def time_cells(self) -> list[tuple[int, int]]:
        out = []
        for info in self.tables.values():
            j = info.cols.get("time")
            if j is not None and j < len(info.cells):
                out.append(info.cells[j])
        return out

    # ------------------------------------------------------------------ agencies
    def _cut(self, s: str, start: int, strict: bool) -> Optional[str]:
        """An agency name starting at s[start]: up to a verb (and, if strict, any punctuation)."""
        seg = s[start:start + self.max_len + 40]
        stop = len(seg)
        for m in self.term_re.finditer(seg, 2):
            if re.search(r"(?:các|những)\s+$", seg[max(0, m.start() - 6):m.start()], re.I):
                continue  # "các tổ chức chính trị - xã hội": a noun
            stop = m.start()
            break
        p = re.search(r"[,;:(.\n\t]" if strict else r"[:(.\n\t]", seg)
        if p and p.start() < stop:
            stop = p.start()
        name = seg[:stop].strip(" ,;-")
        if not name or len(name) > self.max_len or not self.cue_re.match(name):
            return None
        return name

    def _subject(self, a: int, b: int) -> Optional[str]:
        seg = self.s[a:b]
        m = _NUMBERING.match(seg)
        off = m.end() if m else len(seg) - len(seg.lstrip())
        lead = seg[off:]
        if lead.lower().startswith("đề nghị "):
            off += len("đề nghị ")
        if not self.cue_re.match(self.s, a + off):
            return None
        return self._cut(self.s, a + off, strict=False)

    def _subject_after_adverbial(self, a: int, b: int) -> Optional[tuple[str, int]]:
        """The subject after a sentence-initial adverbial: "Trước ngày 10/4/2025, Bộ Tư pháp chủ
        trì ...", "Theo Kế hoạch, trước ngày 01/5/2025, UBND cấp tỉnh lập hồ sơ ..." (the first
        three commas of the sentence, within its first 200 characters)."""
        m = _NUMBERING.match(self.s, a, b)
        pos = m.end() if m else a
        for _ in range(3):
            while pos < b and self.s[pos] == " ":
                pos += 1
            if not self.opener_re.match(self.s, pos):
                return None  # what precedes the comma is not an adverbial: an object, a list
            c = self.s.find(",", pos, min(b, a + 200))
            if c < 0:
                return None
            pos = c + 1
            off = pos + len(self.s[pos:pos + 4]) - len(self.s[pos:pos + 4].lstrip())
            if self.cue_re.match(self.s, off):
                name = self._cut(self.s, off, strict=False)
                # a subject here must be short and followed by its verb ("Bộ Tư pháp chủ trì")
                if name and len(name) <= 100 and not re.search(r"[()]", name):
                    after = self.s.find(name, off) + len(name)
                    if self.term_re.match(self.s, after + 1) or self.term_re.match(self.s, after):
                        return name, off
        return None

    def _partners(self, a: int, b: int) -> list[str]:
        m = self.partner_re.search(self.s, a, b)
        if not m:
            return []
        seg = self.s[m.end():b]
        seg = seg.lstrip(" ,:")
        t = self.term_re.search(seg, 1)
        stop = t.start() if t else len(seg)
        p = re.search(r"[;(.\n\t]", seg)
        if p and p.start() < stop:
            stop = p.start()
        text = seg[:stop].strip(" ,;-")
        if not text or len(text) > self.max_len:
            return []
        parts = [x.strip(" ,;") for x in self.split_re.split(text)]
        return [x for x in parts if x]

    def _assigned(self, a: int, b: int) -> Optional[tuple[str, int]]:
        for m in self.assign_re.finditer(self.s, a, b):
            name = self._cut(self.s, m.end(), strict=True)
            if name:
                return name, m.start()
        return None

    def _led(self, a: int, b: int) -> Optional[tuple[str, int]]:
        for m in self.lead_re.finditer(self.s, a, b):
            ca = self.clause_before(m.start(), a)
            seg = self.s[ca:m.start()]
            mm = _NUMBERING.match(seg)
            off = ca + (mm.end() if mm else len(seg) - len(seg.lstrip()))
            if self.cue_re.match(self.s, off):
                name = self.s[off:m.start()].strip(" ,;(")
                if name and len(name) <= self.max_len:
                    return name, off
        return None

    def agency(self, start: int, end: int) -> tuple[Optional[str], list[str]]:
        cell = self.cell_at(start)
        if cell is not None:
            info, _ = cell
            lead = partners = None
            if "lead" in info.cols and info.cols["lead"] < len(info.cells):
                a, b = info.cells[info.cols["lead"]]
                lead = self.s[a:b].strip() or None
            if "partners" in info.cols and info.cols["partners"] < len(info.cells):
                a, b = info.cells[info.cols["partners"]]
                txt = self.s[a:b].strip()
                partners = [x.strip() for x in re.split(r"[;\n]|,(?= ?[A-ZĐÀ-Ỹ])", txt) if x.strip()]
            if lead or partners:
                return lead, partners or []
        line = self.line_at(start)
        sa, sb = self.sentence(start, end)
        la, lb = (max(line.start, sa - 1500), min(line.end, sb + 1500)) if line else (sa, sb)
        for a, b in ((sa, sb), (la, sb)):
            found = self._assigned(a, b)
            if found:
                return _first_upper(found[0]), self._partners(found[1], b if b == sb else lb)
        found = self._led(sa, sb)
        if found:
            return _first_upper(found[0]), self._partners(found[1], sb)
        for a in (sa, la):
            name = self._subject(a, sb)
            if name:
                return _first_upper(name), self._partners(a, sb)
        found = self._subject_after_adverbial(sa, sb)
        if found:
            return _first_upper(found[0]), self._partners(found[1], sb)
        name = self._heading_agency(start)
        if name:
            return _first_upper(name), self._partners(sa, sb)
        return None, []

    # ------------------------------------------------------------------ implementation part
    def _implementation_parts(self) -> list[tuple[int, int]]:
        """Spans of the "TỔ CHỨC THỰC HIỆN" parts (to the next Roman-numbered heading)."""
        parts = []
        roman = re.compile(r"^\s*(?:[IVXLC]{1,6}\s*[.\-)]|PHẦN|Phần|Chương|CHƯƠNG)")
        cur = None
        for ln in self.lines:
            t = self.s[ln.start:ln.end]
            if ln.kind == "footnote":
                break
            if len(t) <= 80 and self.impl_re.search(t):
                if cur is not None:
                    parts.append((cur, ln.start))
                cur = ln.end
            elif cur is not None and roman.match(t):
                parts.append((cur, ln.start))
                cur = None
        if cur is not None:
            parts.append((cur, self.lines[-1].end if self.lines else len(self.s)))
        return parts

    def _heading_agency(self, off: int) -> Optional[str]:
        # from the section tree when there is one
        i = bisect.bisect_right(self.sec_starts, off)
        chain = [sec for sec in self.sections[:i] if sec.start <= off < sec.end]
        chain.sort(key=lambda sec: (sec.level, sec.start))
        if chain:
            in_impl = False
            best = None
            for sec in chain:
                if self.impl_re.search(sec.heading or ""):
                    in_impl = True
                    continue
                if in_impl:
                    h = _NUMBERING.sub("", sec.heading or "", count=1).strip()
                    if h.lower().startswith("đề nghị "):
                        h = h[len("đề nghị "):]
                    if self.cue_re.match(h):
                        name = self._cut(h, 0, strict=False)
                        if name:
                            best = name
            if best or in_impl:
                return best
        # without sections: the nearest numbered item above, inside the implementation part
        for a, b in self.impl_parts:
            if not a <= off < b:
                continue
            j = bisect.bisect_right(self.line_starts, off) - 1
            while j >= 0 and self.lines[j].start >= a:
                ln = self.lines[j]
                t = self.s[ln.start:ln.end]
                m = re.match(r"^\s*\d{1,2}\s*[.)]\s+", t)
                if m:
                    return self._subject(ln.start, ln.end)
                j -= 1
        return None
