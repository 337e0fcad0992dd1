"""Patterns for Vietnamese time expressions, built from `models/deadlines.json`.

Every pattern is linear: bounded repetitions, alternations of fixed words, and no quantifier
nested over text another quantifier can also take. The finder returns raw expressions; deciding
whether one is a deadline (trigger words, masks, topics) is done in `__init__.py`, and reading its
value in `normalise.py`.
"""
from __future__ import annotations

import re
from re import _casefix
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ..resources import load

I = re.IGNORECASE

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


def word_re(words, flags=I) -> re.Pattern:
    """Any of the phrases as whole words."""
    return re.compile(rf"(?<!\w){words_alt(words)}(?!\w)", flags)


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


DIGIT = object()  # gate literal: any decimal digit (what `\d` matches in a str pattern)
_DIGIT_RE = re.compile(r"\d")
# Characters that IGNORECASE matches beyond `str.lower()` equality (i/ı, s/ſ, Greek variants), and
# U+0130 whose full lowercase is two characters. A gate literal avoids them, so that
# "literal in segment.lower()" holds whenever a case-insensitive pattern matched it.
_CASE_ODD = {chr(c) for k, v in _casefix._EXTRA_CASES.items() for c in (k, *v)} | {"\u0130", "\u0307"}


def _gate_safe(lit: str) -> bool:
    return not any(ch in _CASE_ODD or ch.lower() != ch for ch in lit)


def _gate_piece(phrase: str) -> str:
    """The longest run of one word of `phrase` (lowercased) free of case-odd characters: the
    phrase's words are literals of the pattern (spaces may widen), so any match of the phrase
    contains this run, in `.lower()` of the text."""
    best = ""
    for w in phrase.lower().split():
        for run in re.split("[" + re.escape("".join(sorted(_CASE_ODD))) + "]", w):
            if len(run) > len(best) and _gate_safe(run):
                best = run
    if not best:
        raise ValueError(f"no gate literal in {phrase!r}")
    return best


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

        anchor = (rf"(?:ngày{SP}{DAY}/{MONTH}/{YEAR}|ngày{SP}{DAY}{SP}tháng{SP}{MONTH}{SP}năm{SP}{YEAR}"
                  rf"|{self_anchor}(?!\w)|(?:ngày|khi)(?:{SP}[^\s,;.()]{{1,20}}){{1,4}})")
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
        p["rel"] = (
            rf"(?P<n>\d{{1,3}}|{numw}){SP}(?P<unit>{rel_units})(?!\w)"
            rf"(?:,?{SP}(?P<from>{from_w}){SP}(?P<anchor>{anchor}))?")
        hour = rf"(?:\d{{1,2}} ?(?:h|giờ)(?: ?\d{{2}}(?: ?phút)?)?,?{SP})"  # "17h00 ngày 15/12/2024"
        p["date_slash"] = (
            rf"{hour}?(?:ngày{SP})?(?P<d>{DAY})(?P<sep>[/.\-])(?P<m>{MONTH})(?P=sep)(?P<y>{YEAR})(?![/\d])")
        p["date_words"] = (
            rf"{hour}?(?:ngày{SP})?(?P<d>{DAY}){SP}tháng{SP}(?P<m>{m_any})(?:{SP}|,{SP})năm{SP}(?P<y>{YEAR})")
        p["daymonth"] = (
            rf"{hour}?(?:ngày{SP}(?P<d>{DAY})(?:/(?P<m>{MONTH})|{SP}tháng{SP}(?P<m2>{m_any}))"
            rf"|(?P<d3>{DAY})/(?P<m3>{MONTH}))(?![/\d\-])(?!\.\d)")
        p["monthyear"] = (
            rf"(?:(?P<pos>{pos}){SP})?tháng{SP}(?P<m>{m_any})"
            rf"(?:(?: ?/ ?|{SP}năm{SP}|-)(?P<y>{YEAR}))?(?![/\d])")
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
        p["year"] = rf"(?:(?P<pos>{pos}){SP})?năm{SP}(?P<y>{YEAR})"
        p["year_pos"] = rf"(?P<pos>{pos}){SP}năm(?!{SP}học)(?!{SP}\d)(?!\w)"
        p["year_after_to"] = rf"(?<=đến )(?P<y>{YEAR})|(?<=tới )(?P<y2>{YEAR})"
        self.order = list(p)  # tie-break between equally long matches
        self.patterns = {k: re.compile(rf"(?<!\w){v}", I) for k, v in p.items()}

        # ---- gates: literals a pattern cannot match without (see `_gate_piece`)
        # Each pattern maps to groups; a match of the pattern always consumes text containing at
        # least one literal of every group (DIGIT stands for any `\d`), so a segment lacking one
        # cannot hold a match and the pattern's finditer is skipped. Read off the patterns above:
        pcs = lambda words: [_gate_piece(w) for w in words]  # noqa: E731
        each_g = pcs(rec["each_words"])
        numw_g = [DIGIT] + pcs([w for w in data["number_words"] if w != "năm"])
        pos_g = pcs([k for k in data["position_prefixes"] if not k.startswith("_")])
        sem_g = pcs(data.get("semester_words", ["học kỳ"]))
        year_g = ["19", "20"]  # YEAR opens with 19 or 20
        gates = {
            # DAY, then a mandatory unit năm|tháng after an each-word
            "recur_date": [[DIGIT], each_g, ["năm", "tháng"]],
            "recur": [pcs(rec["periodic_words"])],
            # both branches have a count and the word 'lần'
            "recur_times": [["lần"], numw_g],
            "recur_each": [each_g, pcs(rec["units"])],
            "rel": [numw_g, pcs(rel["units"])],
            "date_slash": [year_g, ["/", ".", "-"]],
            "date_words": [year_g, ["tháng"], ["năm"]],
            # ngày d/m | ngày d tháng m | d/m
            "daymonth": [[DIGIT], ["/", "tháng"]],
            "monthyear": [["tháng"]],
            "quarter": [pcs(data["quarter_words"])],
            "half": [["tháng", "nửa"], pcs(hy["first"] + hy["second"]), ["năm"]],
            "school_year": [year_g, ["năm"], ["học"]],
            "semester": [sem_g],
            "school_year_pos": [pos_g, ["năm"], ["học"]],
            "year": [year_g, ["năm"]],
            "year_pos": [pos_g, ["năm"]],
            # the lookbehind 'đến '/'tới ' may lie before `lo`: it is tested on the segment
            # widened by `back` characters to the left (see find)
            "year_after_to": [year_g, ["đến", _gate_piece("tới")]],
        }
        back = {"year_after_to": 4}
        assert set(gates) == set(p), "every pattern needs a gate"
        for groups in gates.values():
            for g in groups:
                for lit in g:
                    assert lit is DIGIT or (lit and lit == lit.lower() and _gate_safe(lit)), lit
        self.gates = [(name, self.patterns[name], [tuple(dict.fromkeys(g)) for g in gates[name]],
                       back.get(name, 0)) for name in self.order]
        self.pos_map = {k.lower(): v for k, v in data["position_prefixes"].items() if not k.startswith("_")}

        # ---- triggers, cues
        trig = data["triggers"]["items"]
        self.triggers = {" ".join(t["words"].lower().split()): t for t in trig}
        self.trigger_re = re.compile(
            rf"(?:^|(?<=\W))(?P<t>{words_alt([t['words'] for t in trig])})(?:{SP}là)?[ ,:]{{0,3}}$", I)
        self.target_re = word_re(data["target_cues"]["words"])
        self.verb_re = word_re(data["task_verbs"]["words"])
        self.topic_re = word_re(data["topic_words"]["words"])
        self.past_before_re = re.compile(
            rf"(?<!\w){words_alt(data['past_markers']['words'])}(?:{SP}[^\s]{{1,12}})?{SP}$", I)
        self.effective_re = word_re(data["effective_markers"]["words"])
        self.programme_re = word_re(data["programme_nouns"]["words"])
        self.period_before_re = re.compile(
            rf"(?:giai{SP}đoạn|thời{SP}kỳ|thời{SP}kì){SP}(?:từ{SP})?(?:năm{SP})?{YEAR} ?-? ?(?:{YEAR})? {{0,3}},? {{0,3}}$", I)
        self.range_from_re = re.compile(
            rf"(?:từ|giai{SP}đoạn|thời{SP}kỳ){SP}(?:năm{SP})?{YEAR}{SP}$", I)
        self.title_open_re = re.compile(
            rf",? ?(?:ngày{SP}[\d/.\-]{{6,10}}|ngày{SP}\d{{1,2}}{SP}tháng{SP}\d{{1,2}}{SP}năm{SP}\d{{4}})?"
            rf" ?,?(?:{SP}của{SP}[^,;.\n\t]{{1,80}}?)? {{0,3}},? {{0,3}}"
            rf"{words_alt(data['citation_title_openers']['words'])}(?!\w)", I)

        # document numbers that look like dates: 09/2019/NĐ-CP, 3707/KH-UBND, 29-NQ/TW, 05- CT/TW
        up = "A-ZĐÂĂÊÔƠƯ"
        self.docno_re = re.compile(
            rf"(?<![\w/])\d{{1,5}}[A-Za-z]?(?:/(?:19|20)\d\d)?/[{up}][A-Za-zĐđ&]{{0,15}}(?:-[A-Za-zĐđ&0-9]{{1,15}}){{0,4}}"
            rf"|(?<![\w/])\d{{1,5}} ?- ?[{up}][A-Za-zĐđ]{{0,6}}/[{up}][A-Za-zĐđ0-9]{{0,10}}")
        # the year that follows a cited number is the citation's own: "Công văn 8400/BTC-QLCS năm 2025"
        self.docno_year_re = re.compile(rf",? {{1,3}}năm{SP}{YEAR}", I)

    # ------------------------------------------------------------------ finding
    def find(self, s: str, lo: int = 0, hi: Optional[int] = None) -> list[Expr]:
        """Non-overlapping expressions in s[lo:hi]: leftmost, then longest, then pattern order."""
        hi = len(s) if hi is None else hi
        low = s[lo:hi].lower()
        has_digit = _DIGIT_RE.search(low) is not None
        cands = []
        for rank, (name, pat, groups, back) in enumerate(self.gates):
            text = s[max(0, lo - back):hi].lower() if back and lo else low
            for g in groups:
                for lit in g:
                    if (has_digit if lit is DIGIT else lit in text):
                        break
                else:  # a required literal is absent: no match is possible
                    break
            else:
                for m in pat.finditer(s, lo, hi):
                    if m.end() > m.start():
                        cands.append((m.start(), -(m.end() - m.start()), rank, name, m))
        cands.sort(key=lambda c: c[:3])
        out: list[Expr] = []
        last_end = -1
        for start, _neg, _rank, name, m in cands:
            if start < last_end:
                continue
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            out.append(Expr(name, m.start(), m.end(), groups))
            last_end = m.end()
        return out

    def trigger_before(self, s: str, start: int, floor: int) -> tuple[Optional[dict], Optional[int]]:
        """The trigger phrase that ends right before `start` (same line), and where it starts."""
        lo = max(floor, start - 48)
        m = self.trigger_re.search(s, lo, start)
        if not m:
            return None, None
        key = " ".join(m.group("t").lower().split())
        return self.triggers.get(key), m.start("t")

    def doc_numbers(self, s: str, lo: int = 0, hi: Optional[int] = None) -> list[tuple[int, int]]:
        hi = len(s) if hi is None else hi
        out = []
        for m in self.docno_re.finditer(s, lo, hi):
            y = self.docno_year_re.match(s, m.end(), min(hi, m.end() + 16))
            out.append((m.start(), y.end() if y else m.end()))
        return out


@lru_cache(maxsize=None)
def grammar() -> Grammar:
    return Grammar(load("deadlines"))


_QUOTE_OPEN_RE = re.compile('[“"]')


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
