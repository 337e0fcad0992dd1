"""Patterns for Vietnamese time expressions, built from `models/deadlines.json`.

Every pattern is linear: bounded repetitions, alternations of fixed words, and no quantifier
nested over text another quantifier can also take. `Grammar.scan` returns raw expressions;
deciding whether one is a deadline is done in `roles.py`, and reading its value in `values.py`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Sequence

from ..resources import load

I = re.IGNORECASE  # noqa: E741 - the flag's own name, as in `re.I`

YEAR = r"(?:19|20)\d\d(?!\d)"
DAY = r"[0-3]?\d"
MONTH = r"[01]?\d"
SP = r" {1,3}"  # spaces inside one line (tabs separate table cells, newlines lines)


def words_alt(words, *, capture: Optional[str] = None) -> str:
    """Alternation of fixed phrases, longest first; a space in a phrase matches 1-3 spaces."""
    uniq = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    parts = [SP.join(re.escape(p) for p in w.split()) for w in uniq]
    body = "|".join(parts) if parts else "(?!)"
    return f"(?P<{capture}>{body})" if capture else f"(?:{body})"


@dataclass
class Expr:
    """One raw time expression: where it is, which pattern found it, and its captured parts."""

    type: str
    start: int
    end: int
    groups: dict = field(default_factory=dict)
    trigger: Optional[dict] = None      # the trigger item (words, modifier, strong, kind)
    trigger_start: Optional[int] = None
    inherited: bool = False             # trigger shared from a coordinated expression before it

    @property
    def span_start(self) -> int:
        return self.trigger_start if self.trigger_start is not None else self.start


class Grammar:
    def __init__(self, data: dict):
        self.data = data
        mw = data["month_words"]
        self.month_words = {k.lower(): v for k, v in mw["lowercase_ok"].items()}
        self.month_words.update({k.lower(): v for k, v in mw["capitalised_only"].items()})
        cap_only = sorted(mw["capitalised_only"], key=len, reverse=True)
        low_ok = sorted(mw["lowercase_ok"], key=len, reverse=True)
        # case-sensitive capitalised words first when longer, then case-insensitive ones
        alts = []
        for w in sorted(set(cap_only) | set(low_ok), key=len, reverse=True):
            pat = SP.join(re.escape(p) for p in w.split())
            alts.append(f"(?-i:{pat})" if w in mw["capitalised_only"] else pat)
        month_w = "(?:" + "|".join(alts) + r")(?!\w)"
        self.quarter_numerals = {k.lower(): v for k, v in data["quarter_numerals"].items()}
        qnum = "(?:" + "|".join(
            re.escape(k) for k in sorted(data["quarter_numerals"], key=len, reverse=True)) + r")(?!\w)"
        qword = words_alt(data["quarter_words"])
        self.number_words = {k.lower(): v for k, v in data["number_words"].items()}
        numw = words_alt([w for w in data["number_words"] if w != "năm"])
        rec = data["recurrence"]
        each = words_alt(rec["each_words"])
        units = words_alt(rec["units"])
        rel = data["relative"]
        self_anchor = words_alt(rel["self_anchors"])
        rel_units = words_alt(rel["units"])
        from_w = words_alt(rel["from_words"])
        pos = words_alt([k for k in data["position_prefixes"] if not k.startswith("_")])
        hy = data["half_year"]
        m_any = f"(?:{MONTH}(?!\\d)|{month_w})"

        anchor = (rf"(?:(?:ngày{SP}{DAY}/{MONTH}/{YEAR}|ngày{SP}{DAY}{SP}tháng{SP}{MONTH}{SP}năm{SP}{YEAR})(?! {{0,3}}(?:đến|tới|-|–)(?!\w))"
                  rf"|{self_anchor}(?!\w)|(?:ngày(?!{SP}\d)|khi|thời{SP}điểm)(?:{SP}[^\s,;.()]{{1,20}}){{1,4}})")
        p = {}
        p["recur_date"] = (
            rf"(?:ngày{SP}(?P<d>{DAY})(?:(?:{SP}tháng{SP}|/)(?P<m>{MONTH}))?"
            rf"|(?P<d2>{DAY})(?:{SP}tháng{SP}|/)(?P<m2>{MONTH}))"
            rf"(?:{SP}của)?{SP}(?P<each>{each}){SP}(?P<unit>năm|tháng)(?!\w)")
        p["recur"] = (
            rf"(?<!quyết )(?P<per>{words_alt(rec['periodic_words'])})"
            rf"(?:{SP}(?P<n>\d{{1,2}}|{numw}){SP}(?P<u1>{units})(?!\w)"
            rf"|,?{SP}(?P<each>{each}){SP}(?P<u2>{units}))?(?!\w)")
        p["recur_times"] = (
            rf"(?:(?P<n>\d{{1,2}}|{numw}){SP}(?P<u1>tháng|năm|tuần|ngày|quý){SP}(?:một|1){SP}lần"
            rf"|(?P<k>\d{{1,2}}|{numw}){SP}lần ?(?:/ ?|trong{SP}(?:một{SP}|1{SP})?|mỗi{SP})(?P<u2>năm|tháng|quý|tuần))(?!\w)")
        p["recur_each"] = rf"(?P<each>{each}){SP}(?P<unit>{units})(?!\w)"
        # "tuần cuối của tháng thứ ba mỗi quý": a week of a month of each quarter or year
        p["recur_week"] = (
            rf"tuần{SP}(?:cuối|đầu|thứ{SP}[^\s,.;]{{1,6}})(?:{SP}của)?{SP}tháng(?:{SP}(?:cuối|đầu|thứ{SP}[^\s,.;]{{1,6}}))?"
            rf"(?:{SP}của)?{SP}(?P<each>{each}){SP}(?P<unit>quý|năm)(?!\w)")
        p["rel"] = (
            rf"(?P<n>\d{{1,3}}(?:[,.]\d{{1,2}})?|{numw})(?:{SP}\([^()\d\n\t]{{1,12}}\))?\)?{SP}(?P<unit>{rel_units})(?!\w)"
            rf"(?! ?\d)(?!,? (?:19|20)\d\d)"
            rf"(?:{SP}\((?P<paren>[^()\n\t]{{1,40}})\))?(?:,?{SP}(?P<from>{from_w}){SP}(?P<anchor>{anchor}))?")
        # "chậm nhất là ngày thứ 10 kể từ ngày phát sinh nghĩa vụ thuế": the n-th day after an event
        p["rel_nth"] = (
            rf"ngày{SP}thứ{SP}(?P<n>\d{{1,3}})(?:{SP}\([^()\n\t]{{1,20}}\))?"
            rf"(?:,?{SP}(?P<from>{from_w}){SP}(?P<anchor>{anchor}))?")
        # "ngay trong ngày ...", "trong ngày làm việc tiếp theo": the same or the next working day
        p["sameday"] = (
            rf"(?:(?P<next>trong{SP}ngày{SP}làm{SP}việc{SP}tiếp{SP}theo)|ngay{SP}trong{SP}ngày)(?!\w)")
        hour = rf"(?:\d{{1,2}} ?(?:h|giờ)(?: ?\d{{2}}(?: ?phút)?)?,?{SP})"  # "17h00 ngày 15/12/2024"
        # "từ ngày 02-04/6/2025": days of one month
        p["day_range"] = (
            rf"(?:ngày{SP})?(?P<d1>{DAY})(?: ?[-–] ?|, ?|{SP}đến{SP}(?:hết{SP})?ngày{SP})(?P<d>{DAY})/(?P<m>{MONTH})/(?P<y>{YEAR})(?![/\d])")
        p["date_slash"] = (
            rf"{hour}?(?:ngày{SP})?(?P<d>{DAY})(?P<sep>[/.\-])(?P<m>{MONTH})(?P=sep)(?P<y>{YEAR})(?![/\d])")
        p["date_words"] = (
            rf"{hour}?(?:ngày{SP})?(?P<d>{DAY}){SP}tháng{SP}(?P<m>{m_any})(?:(?:{SP}|,{SP})năm{SP}|,{SP})(?P<y>{YEAR})")
        p["daymonth"] = (
            rf"{hour}?(?:ngày{SP}(?P<d>{DAY})(?:/(?P<m>{MONTH})|{SP}tháng{SP}(?P<m2>{m_any}))"
            rf"|(?P<d3>{DAY})/(?P<m3>{MONTH}))(?![/\d\-])(?!\.\d)")
        p["monthyear"] = (
            rf"(?:(?P<pos>{pos}){SP})?tháng{SP}(?P<m>{m_any})"
            rf"(?:(?: ?/ ?|{SP}năm{SP}|-|,{SP})(?P<y>{YEAR}))?(?![/\d])")
        p["quarter"] = (
            rf"(?:(?P<pos>{pos}){SP})?{qword}{SP}(?P<q>{qnum})"
            rf"(?:(?: ?/ ?|{SP}năm{SP}|,{SP}năm{SP})(?P<y>{YEAR}))?")
        p["half"] = (
            rf"(?:(?P<cnt>{words_alt(hy['counts'])}){SP}tháng|nửa)"
            rf"{SP}(?P<which>{words_alt(hy['first'] + hy['second'])}){SP}năm(?!{SP}học)"
            rf"(?:{SP}(?P<y>{YEAR}))?(?!\w)")
        p["school_year"] = (
            rf"(?:(?P<pos>{pos}){SP})?năm{SP}học{SP}(?P<y1>{YEAR}) ?[-/] ?(?P<y2>(?:19|20)\d\d|\d\d)(?!\d)")
        p["semester"] = (
            rf"(?:(?P<pos>{pos}){SP})?{words_alt(data.get('semester_words', ['học kỳ']))}{SP}(?P<t>II|I|1|2)(?!\w)"
            rf"(?:,?{SP}(?:của{SP})?năm{SP}học{SP}(?P<y1>{YEAR}) ?[-/] ?(?P<y2>(?:19|20)\d\d|\d\d)(?!\d))?")
        p["school_year_pos"] = rf"(?P<pos>{pos}){SP}năm{SP}học(?!{SP}\d)(?!\w)"
        p["year_range"] = rf"năm{SP}(?P<y1>{YEAR}) ?[-–] ?(?P<y>{YEAR})(?![\d/])"
        p["year"] = rf"(?:(?P<pos>{pos}){SP})?năm{SP}(?P<y>{YEAR})"
        p["year_pos"] = rf"(?P<pos>{pos}){SP}năm(?!{SP}học)(?!{SP}\d)(?!\w)"
        p["year_after_to"] = rf"(?<=đến )(?P<y>{YEAR})|(?<=tới )(?P<y2>{YEAR})"
        self.order = list(p)  # tie-break between equally long matches
        self.patterns = {k: re.compile(rf"(?<!\w){v}", I) for k, v in p.items()}
        # One pattern for all: the alternatives in the order that makes the first one that
        # matches at a position also the longest (a date before its day-month, a recurrence
        # date before a date, a half year before a relative period), group names prefixed
        # with their alternative ("date_slash__d").
        self.any_re = re.compile(
            r"(?<!\w)(?:" + "|".join(f"(?P<{n}>{_prefix_groups(n, p[n])})" for n in _ANY_ORDER) + ")", I)
        anchors = data["scan"]
        self.anchor_words = sorted({w.lower() for w in anchors["anchor_words"]}, key=len, reverse=True)
        self.prefix_words = {w.lower() for w in anchors["prefix_words"]}
        # A number that can belong to a time expression: a year (not "2024/NĐ-CP"), a day or
        # month before a separator and a digit, a count before a unit word or in parentheses
        # ("15 ngày", "02 (hai) ngày", "(10) ngày"), an hour, a day or month after its word
        # ("tháng 3"). One regex whose every match opens with a digit, which the engine scans
        # for quickly; case-sensitive on purpose (unit words are lower case in running text).
        unit_before = "|".join(f"(?<={w} \\d)|(?<={w} \\d\\d)" for w in ("tháng", "ngày", "quý", "Tháng", "Ngày", "Quý"))
        self.number_re = re.compile(
            r"\d{1,4}(?:(?<=[12][09]\d\d)(?![\d/])|(?<!\d\d\d)[/.\-]\d"
            rf"|(?<!\d\d\d\d)(?: ?\(|\)? {words_alt(anchors['after_number'])}(?!\w)| ?(?:h\d|giờ)"
            rf"|(?:{unit_before})(?!\d)))")
        # per alternative: (group index, short name) of its groups, read with one m.group(*idx)
        self.alt_groups = {}
        for name in _ANY_ORDER:
            pairs = [(i, k[len(name) + 2:]) for k, i in self.any_re.groupindex.items()
                     if k.startswith(name + "__")]
            self.alt_groups[name] = ([i for i, _ in pairs], [k for _, k in pairs])

        self.pos_map = {k.lower(): v for k, v in data["position_prefixes"].items() if not k.startswith("_")}

        # ---- triggers, cues
        trig = data["triggers"]["items"]
        self.triggers = {" ".join(t["words"].lower().split()): t for t in trig}
        self.trigger_re = re.compile(
            rf"(?:^|(?<=\W))(?P<t>{words_alt([t['words'] for t in trig])})(?:{SP}là)?[ ,:]{{0,3}}"
            # "trước ngày Quốc khánh 02/9", "từ chiều ngày 15 ...", "từ thứ Hai ngày 16 ..."
            rf"(?:(?:sáng|chiều|tối|trưa)(?:{SP}|$)|thứ{SP}(?-i:Hai|Ba|Tư|Năm|Sáu|Bảy){SP}|chủ{SP}nhật{SP}"
            rf"|ngày{SP}(?-i:[A-ZĐ][^\s\d]{{1,10}}){SP}(?:(?-i:[A-ZĐa-zđ][^\s\d]{{1,10}}){SP})?)?$", I)
        self.title_open_re = re.compile(
            rf",? ?(?:ngày{SP}[\d/.\-]{{6,10}}|ngày{SP}\d{{1,2}}{SP}tháng{SP}\d{{1,2}}{SP}năm{SP}\d{{4}})?"
            rf" ?,?(?:{SP}của{SP}[^,;.\n\t]{{1,80}}?)? {{0,3}},? {{0,3}}"
            rf"{words_alt(data['citation_title_openers']['words'])}(?!\w)", I)

    # ------------------------------------------------------------------ finding
    def scan(self, s: str, low: Optional[str] = None,
             skip: Sequence[tuple[int, int]] = ()) -> list[Expr]:
        """Every time expression of `s` in one pass, left to right, not overlapping.

        Candidates come from two fast scans: numbers that can belong to a time expression
        (dates, years, a count before a unit word) and a few anchor words that open the ones
        without digits (hằng, định kỳ, quý, năm học ...). At each candidate the one pattern is
        tried from the earliest of up to three prefix words before it ("cuối năm 2025",
        "ngày 15/12/2025") to the candidate itself; the first match that reaches it is kept.
        """
        low = s.lower() if low is None else low
        gaps, pos = [], 0
        for a, b in sorted(skip):  # masked spans (citations): no expression starts inside
            if a > pos:
                gaps.append((pos, a))
            pos = max(pos, b)
        gaps.append((pos, len(s)))
        words = []
        for w in self.anchor_words:
            i = low.find(w)
            while i >= 0:
                words.append(i)
                i = low.find(w, i + len(w))
        if skip:
            words = [p for p in words if not _masked(gaps, p)]
        cands = self._number_candidates(s, low, gaps) + words  # numbers: found outside the masks
        cands.sort()
        out: list[Expr] = []
        last = 0
        match = self.any_re.match
        prefix = self.prefix_words
        for p in cands:
            if p < last:
                continue
            starts = [p]
            q = p
            for _ in range(3):
                k = q - 1
                if k <= last or s[k] != " ":
                    break
                ws, lim = k, max(last, k - 8)
                while ws > lim and low[ws - 1].isalpha():
                    ws -= 1
                if low[ws:k] not in prefix:
                    break
                starts.append(ws)
                q = ws
            if len(starts) == 1 and s[p:p + 4].isdigit() and not low.endswith(_YEAR_OPENERS, max(0, p - 4), p):
                continue  # a year with no word before it that a pattern opens with: nothing starts here
            for st in reversed(starts):
                m = match(s, st)
                if m is not None and m.end() > p:
                    name = m.lastgroup
                    idx, keys = self.alt_groups[name]
                    vals = m.group(*idx) if len(idx) > 1 else (m.group(idx[0]),) if idx else ()
                    groups = {k: v for k, v in zip(keys, vals) if v is not None}
                    out.append(Expr(name, m.start(), m.end(), groups))
                    last = m.end()
                    break
        return out

    def _number_candidates(self, s: str, low: str, gaps: list[tuple[int, int]]) -> list[int]:
        """Starts of the numbers, outside the masks, that can belong to a time expression
        (`number_re`); a match that starts inside a longer number is not one."""
        out = []
        isdigit = str.isdigit
        for lo, hi in gaps:
            for m in self.number_re.finditer(s, lo, hi):
                a = m.start()
                if a and isdigit(s[a - 1]):
                    continue
                out.append(a)
        return out

    def trigger_before(self, s: str, start: int, floor: int) -> tuple[Optional[dict], Optional[int]]:
        """The trigger phrase that ends right before `start` (same line), and where it starts."""
        lo = max(floor, start - 48)
        m = self.trigger_re.search(s, lo, start)
        if not m:
            return None, None
        key = " ".join(m.group("t").lower().split())
        return self.triggers.get(key), m.start("t")

    def title_zones(self, s: str, anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """After a cited number: its title ("về ...", "phê duyệt ...") up to the clause's end."""
        out = []
        for _a, b in anchors:
            m = self.title_open_re.match(s, b, min(len(s), b + 160))
            if not m:
                continue
            limit = min(len(s), b + 700)
            stop = _TITLE_STOP.search(s, m.end(), limit)
            out.append((b, stop.start() if stop else limit))
        return out


_DIGITS = re.compile(r"\d+")
_YEAR_OPENERS = ("đến ", "tới ")  # year_after_to: "đến 2025"


def _masked(gaps: list[tuple[int, int]], p: int) -> bool:
    """Whether p lies in a mask, i.e. in none of the sorted gaps between them."""
    i = bisect.bisect_right(gaps, (p, float("inf"))) - 1
    return not (i >= 0 and gaps[i][0] <= p < gaps[i][1])
_ANY_ORDER = ("recur_date", "recur", "recur_times", "day_range", "date_slash", "date_words", "half",
              "school_year", "semester", "quarter", "monthyear", "daymonth", "rel", "rel_nth",
              "sameday", "recur_week", "recur_each",
              "school_year_pos", "year_range", "year", "year_pos", "year_after_to")


def _prefix_groups(name: str, pattern: str) -> str:
    """`pattern` with its named groups (and back-references) renamed `name__group`."""
    pattern = re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{name}__{m.group(1)}>", pattern)
    return re.sub(r"\(\?P=(\w+)\)", lambda m: f"(?P={name}__{m.group(1)})", pattern)


@lru_cache(maxsize=None)
def grammar() -> Grammar:
    return Grammar(load("deadlines"))


_QUOTE_OPEN_RE = re.compile('[“"]')
_TITLE_STOP = re.compile(r"[;\n\t]|\.(?=\s|$)|(?<=\s)thì(?=\s)")  # "... về ... thì <the consequence>"


def quoted_spans(s: str, limit: int = 600) -> list[tuple[int, int]]:
    """Spans inside curly or straight double quotes on one line (names, slogans, titles).

    An opening quote waits for its closing quote until a line break or `limit` characters; an
    unclosed quote is dropped. Scanning resumes after the closing quote, after the line break,
    or after the character at which the wait ran out (which cannot itself open a quote).
    """
    out = []
    find = s.find
    search = _QUOTE_OPEN_RE.search
    i = 0
    while True:
        m = search(s, i)
        if m is None:
            return out
        o = m.start()
        stop = o + limit + 2  # a closer may stand at most limit + 1 after the opener
        c = find("”" if s[o] == "“" else '"', o + 1, stop)
        nl = find("\n", o + 1, stop if c < 0 else c)
        if nl >= 0:
            i = nl + 1
        elif c >= 0:
            out.append((o, c + 1))
            i = c + 1
        else:
            i = stop
