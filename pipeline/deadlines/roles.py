"""Which time expressions are deadlines, and of which kind: read off the expression's clause.

A temporal expression is a deadline only when it bounds or schedules an action or a target of
the document (../shared/docs/deadlines.md). The decision, in order:

1. Never: the document's own title lines; an entry-into-force clause; an age, a penalty, an
   eligibility or leave period, a quantity per period ("200 giờ trong một năm"); a clause about
   the past ("đã", "vừa", "trước đây") with no task after the past word.
2. By position: the time column of a task table, or a line label ("Thời gian thực hiện:",
   "Thời hạn:") before the expression → deadline; "Khai giảng: ngày 05/9/2025" → event.
3. By form: recurrences (định kỳ, hằng năm beside a verb or opening the clause, "ngày 15 hằng
   tháng", "6 tháng một lần") → recurring; a relative period with its anchor ("trong thời hạn
   15 ngày kể từ ...") or bound by a strong trigger → time_limit.
4. By trigger and clause: a trigger word before the expression (trước, chậm nhất, trong, vào,
   từ, đến, ...) with an obligation, a task verb, a target or an event cue in the clause or
   sentence; strong triggers (chậm nhất, hạn chót, hoàn thành trước) need nothing more.
5. By value: a date that ended before the document's date (or, without one, long before the
   latest full date the text gives) is history, not something to do.

Cue words are data in models/deadlines.json ("roles", "triggers", "target_cues", ...).

Why this file is long: the decision reads one clause through many small tests
that share the clause bounds, the cue patterns and the document-level facts (title, reference
date, chrome lines); split apart, each would re-derive them.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..model import Text
from ..resources import load
from .attach import Attacher
from .grammar import SP, Expr, Grammar, words_alt
from .values import Context, DocDate, When, parse_anchor_date

_RECUR = ("recur", "recur_each", "recur_times", "recur_date", "recur_week")
_REL = ("rel", "rel_nth", "sameday")
# periods that may open a clause as its deadline ("Quý IV/2025, các trường hoàn thành ..."); a
# school year opening a clause is the scope of the whole plan ("Năm học 2024-2025, ngành ...")
_PERIODS = ("monthyear", "quarter", "half", "year", "year_range")
_YEARLY = ("year_range", "date_slash", "date_words", "monthyear", "quarter", "half", "year", "year_after_to")
_DATES = ("date_slash", "date_words", "daymonth", "day_range")
_CLAUSE_STOP = re.compile(r"[;:!?\n\t]|\.(?=\s|$)")
_SENT_STOP = re.compile(r"[!?\n\t]|\.(?=\s+\S|$)")
_GAP_RANGE = re.compile(
    r"(?: {1,3}(?:dương|âm) {1,3}lịch)?(?: {0,3}\([^()\n\t]{1,80}\))? {0,3}(?:(?:đến|tới)(?: {1,3}(?:hết|trước))?|-|–) {0,3}"
    r"(?:(?:sáng|chiều|tối) {1,3})?(?:thứ {1,3}\w{2,4} {1,3})?(?:ngày {1,3})?", re.I)
# "ngày 15 tháng Giêng năm Bính Ngọ": a lunar date
_LUNAR_AFTER = re.compile(r" {1,3}(?:năm {1,3}(?-i:[A-ZĐ])|âm lịch|\(?al\)?(?!\w))", re.I)
_COORD_GAP = re.compile(r"[^;.:()\n\t]{0,60}")
_COORD_WORD = re.compile(r",|(?<!\w)(?:và|hoặc)(?!\w)", re.I)
_NUM_RANGE_BEFORE = re.compile(
    r"(?<!\w)(?:từ\s{1,3})?\d{1,3}(?:[,.]\d+)?\s{0,3}(?:(?:ngày|tháng|năm|tuần|giờ)\s{1,3})?(?:-|đến|tới)?\s{0,3}$", re.I)
_OF_SOME_YEAR = re.compile(r",? {0,3}(?:của {1,3})?năm(?! {1,3}\d)(?! {1,3}(?-i:[A-ZĐ]))(?!\w)", re.I)
_BLANK_DAY = re.compile(r"ngày\s*$", re.I)
_ONE = {"một", "1", "01"}
_DOCNO_BEFORE = re.compile(r"\d{1,5}[/-][A-ZĐ][\w/.&-]{0,30},?\s{1,3}$")
# a quiz page ("Câu 1: ...", options "A. ... B. ..."): its options are not tasks
_QUIZ_QUESTION = re.compile(r"^Câu \d{1,3}\s?[:.]", re.M)
_QUIZ_OPTION = re.compile(r"^[A-D]\.\s", re.M)
_DIRECTION = re.compile(r" {1,3}(?:[A-ZĐ]|các {1,3}(?:sở|phòng|đơn vị|cơ quan))")
_OR_AD_HOC = re.compile(r"^\s{0,3}(?:hoặc|và)\s{1,3}(?:đột\s{1,3}xuất|khi\s{1,3}có\s{1,3}yêu\s{1,3}cầu)", re.I)
_NUMBERING_ONLY = re.compile(r"[\s\-+•*]*(?:(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])[.)]\s*)?")
_COPULA = re.compile(r",?\s{1,3}là(?!\w)", re.I)
_YEAR_AFTER = re.compile(r"\s{1,3}năm\s{1,3}(?:19|20)\d\d", re.I)
_PAREN = re.compile(r"\([^()\n\t]{0,120}\)")
_ONCE_BEFORE = re.compile(r"(?<!\w)lần\s{1,3}$", re.I)
_EITHER = re.compile(r"\)?\s{1,3}hay\s{1,3}(?:trước|từ|sau|đến)(?!\w)", re.I)
_EITHER_BEFORE = re.compile(r"(?<!\w)hay\s{1,3}$", re.I)
_SCHOOL_AFTER = re.compile(r"\s{1,3}học(?!\w)", re.I)
_FRACTION_PAREN = re.compile(r"\s{0,3}\([^()\n]{0,20}phần", re.I)
_COLON_AFTER = re.compile(r"\s{0,3}[.:]?\s{0,2}:")
_THEN = re.compile(r"(?<!\w)thì(?!\w)", re.I)
_CLOCK_AFTER = re.compile(r",? {0,3}(?:\d{2}(?!\d)|(?:hàng|hằng|mỗi) {1,3}ngày|ngày(?!\s{1,3}làm)|sáng|chiều|tối|trưa)(?!\w)", re.I)


@lru_cache(maxsize=None)
def _cues() -> dict:
    r = load("deadlines")["roles"]
    d = load("deadlines")
    return {
        "obligation": re.compile(
            rf"(?<!\w)(?:{words_alt(r['obligation_words'])}"
            rf"|(?-i:(?<![Cc]hương ){words_alt(r['obligation_words_lowercase'])}))(?!\w)", re.I),
        "basis_opener": tuple(r["clause_openers_basis"]),
        "event": re.compile(rf"(?<!\w){words_alt(r['event_words'])}(?!\w)", re.I),
        "label": re.compile(rf"(?:^|\.\s)[\s\-+•*]{{0,4}}(?:[a-zđ]\)\s*|\d{{1,2}}[.)]\s*)?(?:{words_alt(r['labels'])})"
                            rf"(?:[^:\n\t]{{0,40}}):\s*(?:dự\s+kiến\s*)?$", re.I),
        "strong_limit": frozenset(" ".join(w.split()) for w in r["strong_limit_triggers"]),
        "event_label": re.compile(r"(?:^|\t)\s*[-+•*]?\s*[^\s:\t][^:\t\n]{1,100}:\s*(?:vào\s+|từ\s+)?$"),
        "not_before": re.compile(rf"(?<!\w){words_alt(r['not_before'])}(?!\w)", re.I),
        "not_after": re.compile(rf"\s{{0,3}}{words_alt(r['not_after'])}(?!\w)", re.I),
        "rate": re.compile(rf"\d(?:[\d.,]*)\s{{0,3}}{words_alt(r['rate_units'])}(?!\w)[^,;.]{{0,40}}(?:trong|/|mỗi|một)\s{{0,3}}$", re.I),
        "passive": re.compile(rf"(?<!\w){words_alt(r['document_passives'])}(?!\w)", re.I),
        "topic": re.compile(rf"(?<!\w){words_alt(r['topic_words'])}(?!\w)", re.I),
        "task_year": re.compile(rf"(?<!\w){words_alt(r['task_year_verbs'])}(?!\w)", re.I),
        "fraction": re.compile(rf" {{1,3}}{words_alt(r['fraction_nouns'])}(?!\w)", re.I),
        "recurrence": re.compile(rf"(?<!\w){words_alt(r['recurrence_words'])}(?!\w)", re.I),
        "deadline_is": re.compile(rf"(?<!\w){words_alt(r['deadline_nouns'])}(?!\w)[^;:.\n\t]{{0,120}}(?<!\w)là {{1,3}}$", re.I),
        "not_in_clause": re.compile(rf"(?<!\w){words_alt(r['not_in_clause'])}(?!\w)", re.I),
        "cap": frozenset(" ".join(w.split()) for w in r["cap_triggers"]),
        "schedule_label": re.compile(rf"(?<!\w){words_alt(r['schedule_labels'])}\s{{0,3}}:?\s{{0,3}}$", re.I),
        "report_noun": re.compile(rf"(?<!\w){words_alt(r['report_nouns'])}(?!\w)", re.I),
        **_phrases(r["phrases"]),
        "binding": re.compile(rf"(?<!\w){words_alt(r['binding_words'])}(?!\w)", re.I),
        "basis": re.compile(rf"(?<!\w){words_alt(r['basis_words'])}(?!\w)", re.I),
        "chrome": tuple(r["chrome_line_starts"]),
        "descriptive": tuple(r["descriptive_page_markers"]),
        "past": re.compile(rf"(?<!\w){words_alt(r['past_words'])}(?!\w)", re.I),
        "effective": re.compile(rf"(?<!\w){words_alt(r['effective_words'])}(?!\w)", re.I),
        "own_effective": re.compile(
            rf"(?<!\w){words_alt(r['own_effective_subjects'])}{SP}(?:chính{SP}thức{SP})?có{SP}hiệu{SP}lực"
            rf"(?:{SP}thi{SP}hành)?(?:{SP}kể)?(?:{SP}từ)?{SP}(?:ngày{SP}(?P<sign>ký|ban{SP}hành)|(?P<rest>ngày[^;.\n]{{4,30}}))",
            re.I),
        "target": re.compile(rf"(?<!\w){words_alt(d['target_cues']['words'])}(?!\w)", re.I),
        "programme": re.compile(rf"(?<!\w){words_alt(d['programme_nouns']['words'])}(?!\w)", re.I),
        "period_before": re.compile(
            rf"(?:giai{SP}đoạn|thời{SP}kỳ|thời{SP}kì){SP}(?:từ{SP})?(?:năm{SP})?(?:19|20)\d\d ?[-–]? ?(?:(?:19|20)\d\d)? {{0,3}},? {{0,3}}$", re.I),
        "range_from": re.compile(rf"(?:từ|giai{SP}đoạn|thời{SP}kỳ){SP}(?:năm{SP})?(?:19|20)\d\d{SP}$", re.I),
    }


def _phrases(ph: dict) -> dict:
    """Patterns for the word lists read at fixed places around an expression."""
    alt = words_alt
    return {
        "status_after": re.compile(rf",? {{0,3}}{alt(ph['status_after'])}(?!\w)", re.I),
        "tally_before": re.compile(rf"(?<!\w){alt(ph['tally_before'])}\s+$", re.I),
        "modal": re.compile(rf"(?<!\w){alt(ph['modal'])}(?!\w)", re.I),
        "backward_after": re.compile(rf"\s{{1,3}}{alt(ph['backward_after'])}(?!\w)", re.I),
        "condition": re.compile(rf"[\s\-+•*\d.)a-zđ]{{0,6}}{alt(ph['condition_openers'])}(?!\w)", re.I),
        "done_before": re.compile(
            rf"(?<!\w){alt(ph['done_before'])}(?:\s{{1,3}}được)?(?:\s{{1,3}}tiếp\s{{1,3}}tục)?\s{{1,3}}$", re.I),
        "noun_after": re.compile(rf" {{1,3}}(?!{alt(ph['date_followers'])}(?!\w))[a-zđà-ỹ]", re.I),
        "schedule_cell": tuple(ph["schedule_cell_openers"]),
        "limit_noun": re.compile(rf"(?<!\w){alt(ph['limit_nouns'])}(?!\w)", re.I),
        "until_now": re.compile(rf"\s{{0,3}}(?:đến|tới)\s{{1,3}}{alt(ph['until_now'])}(?!\w)", re.I),
        "lasts_before": re.compile(rf"(?<!\w){alt(ph['lasts_before'])}\s{{1,3}}$", re.I),
    }


class Roles:
    def __init__(self, text: Text, g: Grammar, ctx: Context, att: Attacher, exprs: list[Expr]):
        self.text = text
        self.s = text.text
        self.g = g
        self.ctx = ctx
        self.att = att
        self.c = _cues()
        self._time_cells: Optional[set] = None
        self.title_end = self._title_end()
        self.title_repeats = self._title_repeats()
        self._chrome: dict[int, bool] = {}
        self.descriptive = any(m in self.s for m in self.c["descriptive"]) or (
            len(_QUIZ_QUESTION.findall(self.s, 0, 200000)) >= 3
            and len(_QUIZ_OPTION.findall(self.s, 0, 200000)) >= 6)
        self.ref = self._reference(exprs)

    # ------------------------------------------------------------------ document-level facts
    def _title_end(self) -> int:
        """End of the document's own title lines: a web page's first heading (its title), and
        the upper-case type-and-title block of an official header, which ends at the first line
        of running text."""
        end = 0
        for ln in self.text.lines[:40]:
            t = self.s[ln.start:ln.end].strip()
            if not t:
                continue
            if ln.heading and ln.start < 400:
                end = ln.end
                continue
            letters = [ch for ch in t if ch.isalpha()]
            if len(letters) > 12 and sum(ch.isupper() for ch in letters) > 0.8 * len(letters):
                end = ln.end  # "KẾ HOẠCH THỜI GIAN NĂM HỌC 2025-2026" and its wrapped lines
                continue
            if len(t) > 60 or ln.start > 3000:
                break  # running text: the title is behind us
        return end

    def _title_repeats(self) -> list[tuple[int, int]]:
        """Lines further down that repeat the title (a page's headline restated in bold, in a
        caption): they are names, not tasks."""
        s = self.s
        title = " ".join(s[:self.title_end].split()).lower()
        if len(title) < 20:
            return []
        head = title[:12]
        out = []
        for ln in self.text.lines:
            if ln.start < self.title_end or ln.end - ln.start < 20 \
                    or head not in s[ln.start:ln.start + 40].lower():
                continue
            t = " ".join(s[ln.start:ln.end].split()).lower()
            if t.startswith(title[:60]) or title.endswith(t):
                out.append((ln.start, ln.end))
        return out

    def _reference(self, exprs: list[Expr]) -> Optional[str]:
        """The day the document speaks from: its own date, else the latest full date it gives
        (a news page or Q&A article names recent dates); None when neither is known."""
        d = self.ctx.doc
        if d.year:
            return f"{d.year:04d}-{(d.month or 1):02d}-{(d.day or 1):02d}"
        best = None
        for e in exprs:
            if e.type in ("date_slash", "date_words"):
                y = e.groups.get("y")
                if y and (best is None or y > best):
                    best = y
        return f"{best}-01-01" if best else None

    def title_school_year(self) -> Optional[int]:
        """The school year the document's title names (the short lines at the top, before the
        first long paragraph or "Căn cứ"), when exactly one is named."""
        years = set()
        for ln in self.text.lines[:8]:
            t = self.s[ln.start:ln.end]
            if len(t) > 220 or re.match(r"\s*căn\s+cứ", t, re.I) or ln.kind == "footnote":
                break
            for m in self.g.patterns["school_year"].finditer(self.s, ln.start, ln.end):
                years.add(int(m.group("y1")))
        return years.pop() if len(years) == 1 else None

    @staticmethod
    def own_effective(s: str, g: Grammar, doc: DocDate) -> Optional[str]:
        pat = _cues()["own_effective"]
        m, i = None, s.find("hiệu lực")  # a cheap scan first: the phrase is rare
        while i >= 0 and m is None:
            end = min(len(s), i + 200)
            m = pat.search(s, max(0, i - 40), end)
            if m is not None and m.end() >= end and end < len(s):
                m = None  # cut by the window: the next occurrence reads it whole
            i = s.find("hiệu lực", i + 8)
        if not m:
            return None
        if m.group("sign"):
            return doc.date.isoformat() if doc.date else None
        d = parse_anchor_date(m.group("rest"))
        return d.isoformat() if d else None

    # ------------------------------------------------------------------ clauses
    def clause(self, a: int, b: int) -> tuple[int, int]:
        s = self.s
        lo = max(0, a - 400)
        cs = lo
        for m in _CLAUSE_STOP.finditer(s, lo, a):
            cs = m.end()
        m = _CLAUSE_STOP.search(s, b, min(len(s), b + 400))
        return cs, (m.start() if m else min(len(s), b + 400))

    def sentence_start(self, a: int) -> int:
        s = self.s
        lo = max(0, a - 600)
        st = lo
        for m in _SENT_STOP.finditer(s, lo, a):
            st = m.end()
        return st

    # ------------------------------------------------------------------ triggers and ranges
    def drop_history(self, exprs: list[Expr]) -> list[Expr]:
        """Expressions whose written year ended well before the document speaks (see
        `keep_value`), dropped before their clause is read: most years on a history or news
        page. Kept: anything without its own year, and a range (its end may be later)."""
        if self.ref is None:
            return exprs
        ref_year = int(self.ref[:4])
        limit = ref_year - 1 if self.ctx.doc.year else ref_year - 2
        out = []
        for e in exprs:
            y = e.groups.get("y") or e.groups.get("y2")
            if y and len(y) == 4 and int(y) < limit and e.type in _YEARLY:
                continue
            out.append(e)
        return out

    def merge_ranges(self, exprs: list[Expr]) -> list[Expr]:
        """Triggers looked up, "từ X đến Y" made one range, a trigger shared by a coordinated
        expression ("chậm nhất 90 ngày ... và 180 ngày ...")."""
        s, g = self.s, self.g
        for e in exprs:
            ls = self.att.line_at(e.start)
            e.trigger, e.trigger_start = g.trigger_before(s, e.start, ls.start if ls else 0)
        out: list[Expr] = []
        i = 0
        while i < len(exprs):
            e = exprs[i]
            if e.trigger and e.trigger.get("kind") == "start" and e.type not in _RECUR + _REL:
                # the end may follow a parenthesis with a date of its own ("(tức ngày 29 tháng
                # Chạp năm Ất Tỵ)"): the gap rule allows it, and the date inside is skipped
                for j in (i + 1, i + 2):
                    if j >= len(exprs) or exprs[j].type in _RECUR + _REL:
                        break
                    f = exprs[j]
                    if _GAP_RANGE.fullmatch(s, e.end, f.start):
                        out.append(Expr("range", e.start, f.end, {"a": e, "b": f}, e.trigger,
                                        e.trigger_start))
                        i = j + 1
                        break
                else:
                    j = None
                if j is not None and i == j + 1:
                    continue
            out.append(e)
            i += 1
        prev = None
        for e in out:
            if e.trigger is None and prev is not None and self.coordinated(prev, e):
                e.trigger, e.inherited = prev.trigger, True
            prev = e if e.trigger is not None else None
        return out

    def coordinated(self, prev: Expr, e: Expr) -> bool:
        """A second expression of the same family joined to the first by "và", "hoặc" or a
        comma ("Quý IV/2025 và Quý I/2026 ..."): it shares the first one's reading."""
        if prev.type == "rel":
            if e.type != "rel":
                return False
        elif not (prev.type in _DATES + ("monthyear", "quarter") and e.type in _DATES + ("monthyear", "quarter")):
            return False
        gap = _COORD_GAP.fullmatch(self.s, prev.end, e.start)
        return gap is not None and _COORD_WORD.search(self.s, prev.end, e.start) is not None

    # ------------------------------------------------------------------ the decision
    def decide(self, e: Expr) -> tuple[Optional[str], Optional[str]]:
        """(kind, rule) of an expression, or (None, None) when it is not a deadline."""
        s, c = self.s, self.c
        if e.start < self.title_end or self.descriptive:
            return None, None
        if any(a <= e.start < b for a, b in self.title_repeats):
            return None, None
        ls = self.att.line_at(e.start)
        if ls is not None and self._chrome_line(ls):
            return None, None  # a related-news teaser, a caption
        anchor = e.span_start
        cs, ce = self.clause(anchor, e.end)
        if s.startswith("?", ce):
            return None, None  # a question (a Q&A heading), not a prescription
        if c["not_in_clause"].search(s, cs, ce):
            return None, None
        if c["condition"].match(s, cs, anchor) and _THEN.search(s, e.end, ce):
            return None, None  # "Trường hợp trả kết quả trong ngày ... thì ...": a condition
        T = e.trigger
        words = " ".join(T["words"].lower().split()) if T else ""
        has_anchor = e.type in _REL and bool(e.groups.get("anchor"))
        # 1. never
        # entry into force governs the date next to it: "có hiệu lực (thi hành) kể từ ngày ...",
        # not a deadline further on in a clause that mentions another law's entry into force
        eff = c["effective"].search(s, max(cs, anchor - 45), min(ce, e.end + 20))
        if eff and not (has_anchor and eff.start() >= e.start) and not self._in_time_cell(e):
            return None, None
        if c["not_after"].match(s, e.end):
            return None, None
        if e.type in _REL and c["not_before"].search(s[max(cs, anchor - 40):anchor]):
            return None, None  # an age, a sentence, a period of service or of leave
        if e.type == "rel" and (e.groups.get("unit") or "").lower().startswith("giờ") and not has_anchor \
                and (_CLOCK_AFTER.match(s, e.end) or words in ("sau", "trước", "lúc", "từ", "đến")):
            return None, None  # "sau 15 giờ hằng ngày", "nếu tiếp nhận sau 15 giờ": a time of day
        if e.type == "daymonth" and _LUNAR_AFTER.match(s, e.end):
            return None, None
        if e.type == "rel" and (e.groups.get("unit") or "").lower() == "năm" and _SCHOOL_AFTER.match(s, e.end):
            return None, None  # "tổng số tiết dạy thêm trong một năm học": a count per school year
        if e.type == "daymonth" and e.groups.get("d3") and _FRACTION_PAREN.match(s, e.end):
            return None, None  # "sau 2/3 (hai phần ba) thời gian làm bài"
        if e.type == "daymonth" and e.groups.get("d3") and (
                c["fraction"].match(s, e.end) or c["noun_after"].match(s, e.end)):
            return None, None  # "treo cờ đến 2/3 chiều cao", "không quá 1/3 định biên": a fraction
        if e.type == "rel" and not has_anchor:
            n = (e.groups.get("n") or "").lower()
            if n in _ONE and words in ("trong", "mỗi", "") and c["rate"].search(s, max(cs, anchor - 60), anchor + len(words)):
                return None, None  # "không quá 200 giờ trong một năm"
            if c["backward_after"].match(s, e.end):
                return None, None  # "trong 5 năm qua"
            if _NUM_RANGE_BEFORE.search(s, max(cs, e.start - 12), e.start) and words not in (
                    "trong thời hạn", "chậm nhất", "thời hạn"):
                return None, None  # "từ 01 đến 03 ngày", "0,25 ngày"
        if _EITHER.match(s, e.end) or _EITHER_BEFORE.search(s, max(cs, anchor - 6), anchor):
            return None, None  # "trước 5/1/2026 hay từ 5/1/2026": either way, no deadline
        if words in ("từ", "kể từ") and c["until_now"].match(s, e.end):
            return None, None  # "(từ năm 1975 đến nay)": a period of history
        if words in ("đến", "tới", "đến hết", "từ nay đến"):
            if c["status_after"].match(s, e.end) or c["tally_before"].search(s, max(cs, anchor - 10), anchor):
                return None, None  # "đến ngày 19/11/2025 đã có ...", "tính đến ngày ..."
        # 2. by position
        if self._in_time_cell(e):
            return ("recurring" if e.type in _RECUR else "deadline"), "table_time"
        line_from = max(ls.start if ls else cs, anchor - 120)
        line_before = s[line_from:anchor]
        if c["label"].search(line_before):
            kind = "recurring" if e.type in _RECUR else ("time_limit" if e.type == "rel" else "deadline")
            return kind, "label"
        if not has_anchor and self._past(cs, anchor):
            return None, None
        # 3. by form
        if e.type in _RECUR:
            return self._recurrence(e, cs, ce)
        unit = (e.groups.get("unit") or "").lower()
        if words in c["cap"] and not has_anchor and e.type in _REL + ("recur_times",) and (
                e.type == "recur_times" or unit == "giờ"
                or not (c["limit_noun"].search(s, cs, anchor) or self._obliged(cs, ce, anchor))):
            return None, None  # "lái xe liên tục không quá 04 giờ": a cap on a quantity
        if e.type in _REL and not has_anchor and c["lasts_before"].search(s, max(cs, anchor - 20), anchor):
            return None, None  # "kỳ thi sẽ diễn ra trong 03 ngày": how long an event lasts
        if e.type in _REL:
            if words in c["strong_limit"] and not c["backward_after"].match(s, e.end):
                return "time_limit", f"rel/{words}"
            if has_anchor or ((T is not None or e.type == "sameday")
                              and words not in ("đến", "tới", "từ", "đến hết")
                              and self._obliged(cs, ce, anchor)):
                return "time_limit", f"rel/{words or 'anchor'}"
            if c["deadline_is"].search(s, max(cs, anchor - 130), anchor):
                return "time_limit", "rel/noun_is"
            return None, None
        if c["deadline_is"].search(s, max(cs, anchor - 130), anchor):
            return "deadline", "noun_is"  # "thời hạn nộp tờ khai ... là ngày 31 tháng 10 năm 2025"
        # a timetable line that opens with its date: "Ngày 14/6/2025: Họp Hiệu trưởng ...",
        # "Từ ngày 31/5/2025 đến ngày 13/6/2025: Chấm thi.", "Trước ngày 24/6/2025: nộp đơn ..."
        if e.type in _DATES + ("range", "monthyear") and _NUMBERING_ONLY.fullmatch(s, line_from, anchor) \
                and _COLON_AFTER.match(s, e.end):
            if T is not None and words not in ("từ", "vào", "ngày", "lúc") or e.type == "range":
                return "deadline", "timetable"
            return "event", "timetable"
        # a table cell that holds only the date ("Khám sức khỏe NVQS | Từ ngày 19/11/2025 đến ...")
        if e.type in _DATES + ("range",) and self._whole_cell(e):
            return ("deadline" if T is not None and words not in ("vào", "ngày", "lúc") or e.type == "range"
                    else "event"), "table_cell"
        # "Ngày thi 24 - 25/1/2026; Ngày đăng ký 5 - 15/12/2025"
        if e.type in _DATES + ("range",) and c["schedule_label"].search(s, max(cs, anchor - 30), anchor):
            return "event", "schedule_label"
        # timetable rows: "Khai giảng: Ngày 05/9/2025"
        if e.type in _DATES and (ls is None or ls.start >= anchor - 120) \
                and c["event_label"].search(s, line_from, anchor) and (
                T is None or words in ("vào", "ngày", "từ")):
            return "event", "event_label"
        # 4. by trigger and clause
        if _DOCNO_BEFORE.search(s, max(cs, e.start - 40), e.start):
            return None, None  # "Công văn 812/SGDĐT-KHTC năm 2025": the cited document's year
        target = self._target(cs, anchor)
        # a trigger that is itself a verb phrase ("bắt đầu từ", "hoàn thành trước") states a task
        # whatever basis the clause opened with ("Căn cứ Quyết định ..., lịch thi bắt đầu từ ...")
        basis = not (T is not None and " " in words and c["obligation"].search(words)) \
            and self._basis(cs, ce, anchor)
        if T is not None:
            if words in ("trước", "sau") and "," in s[e.trigger_start:e.start]:
                return None, None  # "14 tháng trước, ...": an adverb
            if T.get("kind") == "target" or (target and words in ("đến", "tới", "đến hết", "vào", "trong")):
                if self._programme_name(cs, anchor):
                    return None, None
                return "target", f"trigger:{words}"
            if words in ("đến", "tới", "đến hết") and e.type in ("year", "year_after_to") \
                    and c["range_from"].search(s, max(cs, anchor - 30), anchor):
                return None, None  # the end of a period ("giai đoạn 2021 đến 2025")
            strong = T.get("strong") and words not in ("đến", "tới", "trước", "sau", "đến hết")
            scheduled = e.type in _DATES + ("range",) and words not in ("đến", "tới", "đến hết") \
                and c["event"].search(s, max(cs, anchor - 80), anchor) is not None
            if strong or (not basis and (self._obliged(cs, ce, anchor) or scheduled)) or e.inherited:
                return self._kind_of(e, T, cs, ce, anchor), f"trigger:{words}"
            return None, None
        if self._report_period(cs, e.start):
            return None, None  # "báo cáo tình hình sử dụng lao động cuối năm 2025": the report's period
        if e.groups.get("pos") and e.type in ("year", "quarter", "monthyear", "school_year", "semester"):
            if _ONCE_BEFORE.search(s, max(cs, e.start - 6), e.start):
                return None, None  # "ban hành bảng giá đất lần đầu năm 2026": the first time, not the start
            if not basis and self._obliged(cs, ce, anchor):
                return ("target" if target else "deadline"), "position"
            return None, None
        if _NUMBERING_ONLY.fullmatch(s, cs, e.start) and e.type in _PERIODS and not basis \
                and self._obligation(e.end, ce) is not None and not self.c["past"].search(s, e.end, ce) \
                and not _COPULA.match(s, e.end):
            return "deadline", "clause_opening"  # "Quý IV/2025, các trường hoàn thành ..."
        if e.type in ("year", "monthyear", "quarter", "half") and e.groups.get("y") \
                and not _BLANK_DAY.search(s, max(cs, e.start - 8), e.start):
            if target and not self._programme_name(cs, anchor):
                return "target", "target_year"
            if not basis and self._task_before(cs, e.start):
                return "deadline", "task_year"
        return None, None

    @property
    def time_cells(self) -> set:
        if self._time_cells is None:
            self._time_cells = set(self.att.time_cells())
        return self._time_cells

    def _report_period(self, cs: int, at: int) -> bool:
        """A report, a tally or a result noun shortly before, with no verb between it and the
        expression: the period qualifies the noun."""
        m = None
        for m in self.c["report_noun"].finditer(self.s, max(cs, at - 70), at):
            pass
        return m is not None and self._obligation(m.end(), at) is None

    def _whole_cell(self, e: Expr) -> bool:
        """The expression fills its table cell, give or take "Dự kiến" and a full stop (cells
        split by tabs, or by " | " where a pipe table lost its header row)."""
        ln = self.att.line_at(e.start)
        if ln is None:
            return False
        s = self.s
        sep = "\t" if ln.kind == "table_row" else " | "
        lo, hi = max(ln.start, e.span_start - 200), min(ln.end, e.end + 200)  # a cell is short
        a = s.rfind(sep, lo, e.span_start)
        b = s.find(sep, e.end, hi)
        if a < 0 and b < 0:
            return False
        a = (ln.start if lo == ln.start else lo) if a < 0 else a + len(sep)
        b = (ln.end if hi == ln.end else hi) if b < 0 else b
        rest = _PAREN.sub("", s[a:e.span_start] + s[e.end:b]).strip(" .;,|")
        # a schedule's cell says "Ngày 09/02/2026", "Từ ngày ... đến ngày ...", "Dự kiến ...";
        # a bare "03 tháng 8 năm 2024 - nay" is a record's date (a term of office)
        said = s[e.span_start:e.start + 5].lower()
        return len(rest) <= 12 and (e.type == "range" or said.startswith(self.c["schedule_cell"])) \
            and "nay" not in rest.lower()

    def _chrome_line(self, ln) -> bool:
        """A portal's teaser or caption line (checked once per line)."""
        hit = self._chrome.get(ln.start)
        if hit is None:
            s = self.s
            hit = s[ln.start:ln.start + 40].lstrip(" -+•*#>").lower().startswith(self.c["chrome"]) \
                or s.find(">>", ln.start, ln.end) >= 0
            self._chrome[ln.start] = hit
        return hit

    def _in_time_cell(self, e: Expr) -> bool:
        ln = self.att.line_at(e.start)
        if ln is None or ln.kind != "table_row" or not self.time_cells:
            return False  # tables are read only for an expression inside one
        cell = self.att.cell_at(e.start)
        if cell is None:
            return False
        info, j = cell
        return info.cols.get("time") == j

    def _past(self, cs: int, at: int) -> bool:
        """A past word earlier in the clause with no obligation after it."""
        last = None
        for m in self.c["past"].finditer(self.s, max(cs, at - 120), at):
            last = m
        if last is None or _THEN.search(self.s, last.end(), at):
            return False  # "trường hợp ... đã có ... thì trong thời hạn ...": a condition
        return not self._obligation(min(at, last.end() + 12), at)

    def _obligation(self, a: int, b: int):
        """The first obligation or task word in s[a:b] that is not a passive participle
        ("các Nghị quyết được ban hành trong năm 2025" describes, "phải được hoàn thành" binds)."""
        s = self.s
        for m in self.c["obligation"].finditer(s, a, b):
            pm = self.c["passive"].search(s, max(0, m.start() - 8), m.end())
            if pm is not None and pm.end() == m.end() \
                    and not self.c["modal"].search(s, max(0, m.start() - 20), m.start()):
                continue
            if self.c["done_before"].search(s, max(0, m.start() - 20), m.start()):
                continue  # "đã ban hành", "đang được tiếp tục cập nhật": a state, not a task
            return m
        return None

    def _basis(self, cs: int, ce: int, at: int) -> bool:
        """The clause names a basis or a topic before the expression ("Căn cứ ...", "Theo ...",
        "Về ...", "chỉ đạo của Sở về nhiệm vụ ... trong năm học 2024 - 2025") and no binding
        word follows it. "báo cáo kết quả về Sở" (a direction) is no topic."""
        s, c = self.s, self.c
        lo = max(cs, at - 300)
        last = None
        if c["binding"].search(s, cs, at) is not None:
            return False
        opener = s[cs:at].lstrip(" -+•*0123456789.)").lower()
        if opener.startswith(c["basis_opener"]):
            # "Theo Kế hoạch, trước ngày 18/4/2025, Sở Nội vụ thẩm định ...": "theo", "đối với"
            # end at their comma when a task follows; "Về ..." heads a topic to the clause's end
            comma = s.find(",", cs, at)
            if opener.startswith("về") or comma < 0 or (
                    self._obligation(comma, ce) is None and c["event"].search(s, comma, ce) is None):
                return True
        if c["basis"].search(s, lo, at):
            return True
        last = None
        for m in c["topic"].finditer(s, lo, at):
            if not _DIRECTION.match(s, m.end()):
                last = m.end()
        if last is None:
            return False
        # a new verb phrase after a topic ends its scope: "... về nội bộ, bảo đảm trong tháng 3"
        comma = s.rfind(",", last, at)
        return comma < 0 or self._obligation(comma, at) is None

    def _obliged(self, cs: int, ce: int, at: int) -> bool:
        """An obligation or task word in the clause, or earlier in the sentence."""
        if self._obligation(cs, ce):
            return True
        st = self.sentence_start(cs)
        return st < cs and self._obligation(st, cs) is not None

    def _target(self, cs: int, at: int) -> bool:
        phrase = max(cs, self.s.rfind(",", cs, at) + 1)
        return self.c["target"].search(self.s, max(cs, phrase - 80), at) is not None

    def _programme_name(self, cs: int, at: int) -> bool:
        """"Chiến lược ... đến năm 2030, tầm nhìn đến năm 2045": part of a programme's name."""
        c = self.c
        if c["period_before"].search(self.s, max(cs, at - 40), at):
            return c["programme"].search(self.s, cs, at) is not None
        m = None
        for m in c["programme"].finditer(self.s, max(cs, at - 150), at):
            pass
        return m is not None and not self._obligation(m.end(), at)

    def _task_before(self, cs: int, at: int) -> bool:
        last = None
        for m in self.c["task_year"].finditer(self.s, max(cs, at - 80), at):
            last = m
        if last is None:
            return False
        between = self.s[last.end():at]
        return "," not in between and not re.search(r"(?<!\w)(?:về|của|theo|tại)(?!\w)", between, re.I) \
            and not self.c["programme"].search(between)

    def _recurrence(self, e: Expr, cs: int, ce: int) -> tuple[Optional[str], Optional[str]]:
        s = self.s
        if e.type == "recur" and not e.groups.get("u1") and not e.groups.get("u2"):
            # "định kỳ" alone: beside its verb ("định kỳ báo cáo", "báo cáo theo định kỳ")
            after = _OR_AD_HOC.sub("", s[e.end:min(ce, e.end + 40)]).lstrip(" ")
            verb_before = " ".join(s[max(cs, e.start - 30):e.start].split()[-2:])
            if self.c["obligation"].match(after) or re.search(r"(?<!\w)theo\s{1,3}$", s[max(cs, e.start - 8):e.start], re.I) \
                    or (self.c["obligation"].search(verb_before) and "(" not in verb_before
                        and not _YEAR_AFTER.match(s, e.end)):  # "báo cáo định kỳ năm 2025": a name
                return "recurring", "recurrence"
            return None, None
        if e.type in ("recur", "recur_times", "recur_date", "recur_week"):
            return ("recurring", "recurrence") if self._obliged(cs, ce, e.start) or e.type == "recur_date" \
                else (None, None)
        # "hằng năm": beside a verb, or opening its clause ("Hằng năm, các đơn vị báo cáo ...")
        if re.fullmatch(r"[\s\-+•*\d.)a-zđ]{0,6}", s[cs:e.start], re.I) and self._obliged(cs, ce, e.start):
            return "recurring", "recurrence"
        before = " ".join(s[max(cs, e.start - 40):e.start].split()[-2:])
        after = s[e.end:min(ce, e.end + 40)]
        if (self.c["obligation"].search(before) and "(" not in before) \
                or self.c["obligation"].match(after.lstrip(" ,")):
            return "recurring", "recurrence"
        return None, None

    def _kind_of(self, e: Expr, T: dict, cs: int, ce: int, at: int) -> str:
        if T.get("kind") == "start" and e.type != "range":
            return "start"
        if T.get("kind") == "target":
            return "target"
        words = " ".join(T["words"].lower().split())
        if words in ("vào", "vào ngày", "vào các", "ngày", "diễn ra vào", "từ", "lúc") or e.type == "range":
            if self.c["event"].search(self.s, max(cs, at - 80), at) and not re.search(
                    r"(?<!\w)(?:hoàn thành|báo cáo|gửi|nộp)(?!\w)", self.s[cs:at], re.I):
                return "event"
        return "deadline"

    # ------------------------------------------------------------------ by value
    def value_of(self, e: Expr, kind: str, when: When) -> tuple[str, When]:
        """A year-less day that recurs: "chậm nhất là ngày 31 tháng 12 của năm tính thuế", "định
        kỳ 6 tháng ... trước ngày 05 tháng 6" → yearly on that day; "trước ngày 31 tháng 7 của năm
        xét tặng" → a day of some year the text leaves open."""
        if e.type != "daymonth" or kind not in ("deadline", "start", "event") or not when.label:
            return kind, when
        m, d = int(when.label[2:4]), int(when.label[5:7])
        yearly = When("recurrence", rrule=f"FREQ=YEARLY;BYMONTH={m};BYMONTHDAY={d}", label=when.label)
        of_year = _OF_SOME_YEAR.match(self.s, e.end)
        if of_year and re.match(r"[^.;\n]{0,12}(?:tính thuế|sau|tiếp theo|trước|kế hoạch)", self.s[of_year.end():]):
            return "recurring", yearly
        if of_year:
            return kind, When("day", label=when.label)
        st = self.sentence_start(e.start)
        se = _SENT_STOP.search(self.s, e.end, min(len(self.s), e.end + 300))
        if self.c["recurrence"].search(self.s, st, se.start() if se else min(len(self.s), e.end + 300)):
            return "recurring", yearly
        return kind, when

    def keep_value(self, e: Expr, kind: str, when: When) -> bool:
        """History is not a deadline: a value that ended before the document's date (a month's
        grace), or, for a page without a date, in a year two or more before its latest full date's."""
        if kind in ("recurring", "time_limit") or not when.end or self.ref is None:
            return True
        if e.type == "daymonth" and _OF_SOME_YEAR.match(self.s, e.end):
            return True
        ref = self.ref
        if self.ctx.doc.year:
            y, m = int(ref[:4]), int(ref[5:7])
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
            return when.end >= f"{y:04d}-{m:02d}-{ref[8:10]}"
        return when.end >= f"{int(ref[:4]) - 2:04d}-01-01"  # a page's latest date may be a future one
