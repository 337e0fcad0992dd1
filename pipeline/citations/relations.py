"""Relation of the citing document to each cited one, and edges the text states between two
other documents ('Kế hoạch 224-KH/ThU … về thực hiện Kết luận 91-KL/TW').

Cue phrases, their objects ('một số điều của'), blockers ('kiến nghị … bãi bỏ'), passive markers
and chain fillers are data (models/relations.json). Everything here works on words from the
end of a short window, so the cost is linear in the number of citations.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import Relation
from ..resources import load
from .grammar import grammar
from .parse import Found

_CLAUSE_BREAK = re.compile(r"[;.\n:]")
_HARD_BREAK = re.compile(r"[;.:]")
# a sentence ends between two members of a ';' list: '.', ':' or a line ending after ';'
_LIST_END = re.compile(r"[.:]|;[ \t]*\n")
_COORD = re.compile(r"^[\s,]*(?:và|cùng|,)?[\s,]*$")
# only 'và' joins a second target to a chain; a comma list after a chain is ambiguous
# ('… về thực hiện Nghị quyết 29-NQ/TW, Kết luận 91-KL/TW, …' lists what the citing text implements)
_AND = re.compile(r"^\s*(?:và|cùng)\s*$")
_PUNCT = re.compile(r"[\s,;:()\"“”*_]+")  # emphasis marks too ('*về thực hiện Kết luận*')
_LAW_KEY = re.compile(r"/(?:UBTV)?QH\d*$")
_HEAD_SPAN = 120
_PASSIVE_SPAN = 400
_HARD_STOP = re.compile(r"[;.]")
_LAW_SPAN = 220
_LIST_SPAN = 1200
# a ';' clause that holds nothing but the next list member
_LIST_OPENERS = ("", "và", "các", "cùng")


def _clean(s: str) -> str:
    return _PUNCT.sub(" ", s).strip().lower()


def _ends_with(s: str, w: str) -> bool:
    return s.endswith(w) and (len(s) == len(w) or not s[-len(w) - 1].isalnum())


@dataclass(frozen=True)
class _Cues:
    head: tuple          # (relation, cleaned cue) longest first
    objects: dict        # last word → phrases ('một số điều của'), longest first
    adverbs: dict        # last word → phrases ('nghiêm túc'), longest first
    block_right_before: tuple
    block_words: tuple
    block_span: int
    block_relations: frozenset
    subject_nouns: tuple
    subject_ok_after: tuple
    fillers: tuple
    lead_after: tuple
    lead_max: int
    aux: tuple
    agents: tuple
    law_nouns: tuple
    head_by_last: dict   # last word → ((relation, cue), …) longest first


def _last_word(s: str) -> str:
    i = s.rfind(" ")
    return s[i + 1:] if i >= 0 else s


def _index(phrases) -> dict:
    out: dict = {}
    for p in phrases:
        out.setdefault(_last_word(p[1] if isinstance(p, tuple) else p), []).append(p)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    g = grammar()
    rel = load("relations")
    head = sorted(((r, _clean(c)) for r, c in g.head_cues), key=lambda rc: len(rc[1]), reverse=True)
    longest = lambda xs: tuple(sorted((_clean(x) for x in xs), key=len, reverse=True))  # noqa: E731
    b = rel["cue_blockers"]
    return _Cues(
        head=tuple(head),
        objects=_index(longest(rel["cue_objects"]["phrases"])),
        adverbs=_index(longest(g.cue_adverbs)),
        block_right_before=longest(b["immediately_before"]),
        block_words=longest(b["words"]),
        block_span=int(b["within_words"]),
        block_relations=frozenset(b["relations"]),
        subject_nouns=longest(b["subject_nouns"]),
        subject_ok_after=longest(b["subject_ok_after"]),
        fillers=longest(rel["chain_fillers"]),
        lead_after=longest(rel["chain_lead"]["after"]),
        lead_max=int(rel["chain_lead"]["max_words"]),
        aux=longest(rel["passive"]["auxiliaries"]),
        agents=longest(rel["passive"]["agent_markers"]),
        law_nouns=longest(rel["law_nouns"]["nouns"]),
        head_by_last=_index(head),
    )


def _strip_tail(prefix: str, index: dict) -> str:
    """Remove any phrase of `index` (last word → phrases) from the end, repeatedly
    ('thực hiện nghiêm túc, hiệu quả')."""
    changed = True
    while changed and prefix:
        changed = False
        for w in index.get(_last_word(prefix), ()):
            if _ends_with(prefix, w):
                prefix = prefix[:-len(w)].rstrip()
                changed = True
                break
    return prefix


_LOCATOR_NOUNS = frozenset(("điểm", "khoản", "điều", "mục", "chương", "phần", "phụ lục", "tiểu"))


def _strip_locator(prefix: str) -> str:
    """'căn cứ điểm b khoản 1 Điều 3 (của)' → 'căn cứ': an article of the cited document."""
    tail = prefix.rsplit(None, 2)
    if len(tail) < 2 or (tail[-1] != "của" and tail[-2] not in _LOCATOR_NOUNS):
        return prefix
    words = prefix.split()
    if words and words[-1] == "của":
        words.pop()
    popped = False
    # 'khoản 3 điều 87 điều 92 … và điều 111 (của)': a list of articles, read from its end
    while len(words) >= 2:
        if words[-2] in _LOCATOR_NOUNS and len(words[-1]) <= 5:
            words.pop()
            words.pop()
            popped = True
            if words and words[-1] == "tiểu":
                words.pop()
        elif popped and words[-1] in ("và", "các"):
            words.pop()
        else:
            break
    if not popped:
        return prefix
    if words[-3:] == ["quy", "định", "tại"]:
        del words[-3:]
    elif words and words[-1] in ("tại", "theo"):
        words.pop()
    return " ".join(words)


def _blocked(before: str, relation: str, position: str, c: _Cues) -> bool:
    """A passive ('đã được sửa đổi') is not an act of the citing document; nor is a proposed
    act ('kiến nghị … bãi bỏ') or one whose subject is another document ('Luật sửa đổi …')."""
    for w in c.block_right_before:
        if _ends_with(before, w):
            return True
    if relation not in c.block_relations:
        return False
    tail = " " + " ".join(before.split()[-c.block_span:]) + " "
    if any(f" {w} " in tail for w in c.block_words):
        return True
    if position != "title":
        for n in c.subject_nouns:
            if _ends_with(before, n):
                rest = before[:-len(n)].rstrip()
                return not any(_ends_with(rest, w) for w in c.subject_ok_after)
    return False


def _cue_at_end(prefix: str, position: str = "body"):
    """The relation whose cue phrase ends `prefix` (longest cue first), or None. Repealing or
    replacing some articles of a document ('bãi bỏ khoản 3 Điều 36 của Luật …') amends it; in the
    body, only this document guides ('Nghị định này quy định chi tiết …')."""
    c = _cues()
    p = _strip_tail(prefix, c.adverbs)
    located = _strip_locator(p)
    partial = located != p
    p = _strip_tail(located, c.objects)
    p = _strip_tail(p, c.adverbs)
    for relation, cue in c.head_by_last.get(_last_word(p), ()):
        if _ends_with(p, cue):
            if _blocked(p[:-len(cue)].rstrip(), relation, position, c):
                return None
            if partial and relation in ("repeals", "replaces"):
                return "amends"
            if relation == "guides" and position == "body" and not _OWN_ACT.search(
                    p[:-len(cue)].rstrip()):
                return None  # '… theo hướng dẫn của Chính phủ quy định chi tiết …': not this text
            return relation
    return None


def _cue_at_start(clause: str):
    """The relation whose cue opens `clause` ('- căn cứ các luật của quốc hội'), or None."""
    clause = clause.lstrip("-+*•·– ")
    for relation, cue in _cues().head:
        if clause.startswith(cue) and (len(clause) == len(cue) or not clause[len(cue)].isalnum()):
            return relation
    return None


def _passive_at_end(s: str, whole: bool = False):
    """'… được sửa đổi, bổ sung bởi' ending `s` (all of `s` when `whole`) → the relation."""
    c = _cues()
    for m in c.agents:
        if _ends_with(s, m):
            core = _strip_tail(s[:-len(m)].rstrip(), c.objects)
            for relation, cue in c.head:
                if _ends_with(core, cue):
                    before = core[:-len(cue)].rstrip()
                    for a in c.aux:
                        if (before == a) if whole else _ends_with(before, a):
                            return relation
            return None
    return None


def _strip_fillers(s: str, c: _Cues) -> tuple[str, bool]:
    """Leading fillers ('về việc ban hành'); True when one of them opens a named document."""
    lead = False
    changed = True
    while changed and s:
        changed = False
        for f in c.fillers:
            if s == f:
                return "", lead or f in c.lead_after
            if s.startswith(f + " "):
                s = s[len(f) + 1:]
                lead = lead or f in c.lead_after
                changed = True
                break
    return s, lead


def _chain(gap: str):
    """(relation, passive) when `gap`, the text between two citations, states an edge between
    them: fillers and a cue ('về việc thực hiện', 'sửa đổi, bổ sung một số điều của',
    'ban hành Kế hoạch hành động của Chính phủ thực hiện') or a passive ('được sửa đổi, bổ sung
    bởi'). None otherwise."""
    if len(gap) >= 80 or "\n\n" in gap or gap.count("\n") > 1 or ";" in gap or "." in gap:
        return None
    if "\n" in gap:  # one line break may fall inside a stated chain ('về thực hiện⏎Kết luận'),
        below = gap.rsplit("\n", 1)[1].strip(" \t*_")  # not open a new clause ('⏎Căn cứ …')
        if below and not below[0].islower():
            return None
    c = _cues()
    s = _clean(gap)
    if not s:
        return None
    for a in c.aux:
        if s.startswith(a + " "):
            rel = _passive_at_end(s)
            return (rel, True) if rel and _passive_at_end(s, whole=True) else None
    s, lead = _strip_fillers(s, c)
    core = _strip_tail(_strip_tail(_strip_locator(s), c.objects), c.adverbs)
    for relation, cue in c.head:
        if core == cue:
            return relation, False
        if _ends_with(core, cue):
            rest, lead2 = _strip_fillers(core[:-len(cue)].rstrip(), c)
            if not rest:
                return relation, False
            if ((lead or lead2) and len(rest.split()) <= c.lead_max
                    and not any(ch.isdigit() for ch in rest)):
                return relation, False
            return None
    return None


def chain_relation(gap: str):
    """The relation a gap between two citations states, or None (kept for callers)."""
    r = _chain(gap)
    return r[0] if r else None


def _is_list_gap(gap: str) -> bool:
    """Between two members of one list: 'và' or ',' (possibly after the first member's title,
    '… về Ban hành Kế hoạch …, Chỉ thị số 06'), with no clause break and no cue of its own."""
    if _COORD.match(gap):
        return True
    if len(gap) > 240 or _CLAUSE_BREAK.search(gap):
        return False
    tail = gap.rstrip()
    if not (tail.endswith(",") or tail.endswith(" và")):
        return False
    return _cue_at_end(_clean(gap)) is None


def _clause(text: str, start: int, span: int) -> tuple[str, str]:
    """The text of the clause ending at `start` (after the last ';', '.', ':') and the break
    character ('' when none in reach). A line break alone does not end a clause: web and PDF
    text break lines inside a sentence ('Căn cứ Luật⏎Lâm nghiệp số 16/2017/QH14')."""
    lo = max(0, start - span)
    window = text[lo:start]
    brk = None
    for brk in _HARD_BREAK.finditer(window):
        pass
    if brk is None:
        return window, ""
    return window[brk.end():], brk.group()


def _law_head(prefix: str, position: str, c: _Cues):
    """'căn cứ luật lâm nghiệp số' → the relation of the cue before the law's name."""
    words = prefix.split()
    for i, w in enumerate(words):
        if w in ("luật", "pháp"):
            j = i
            if w == "pháp":
                if i + 1 >= len(words) or words[i + 1] != "lệnh":
                    continue
            elif i and words[i - 1] == "bộ":
                j = i - 1
            rest = words[i:]
            if "được" in rest or "bởi" in rest or len(rest) > 30:
                return None, j
            before = " ".join(words[:j])
            return (_cue_at_end(before, position) if before else None), j
    return None, -1


def classify(text: str, cits: list[Found], positions: list[str],
             own_key: str | None = None, own_type: str | None = None) -> list[Relation]:
    """Sets `relation` on each citation (in place) and returns the stated chain edges. A chain
    whose source is the citing document itself ('Thông tư 130/2025/TT-BQP [this one] sửa đổi
    Thông tư 67/2024/TT-BQP') gives the citation its relation instead of an edge."""
    g = grammar()
    c = _cues()
    edges: list[Relation] = []
    seen = set()
    # for a chained citation: (the other end's key, relation, passive)
    chain_of: dict[int, tuple] = {}
    carry = None            # (relation, position, end offset) a ';' list passes on

    def add(src, rel, dst, a, b):
        if src and dst and src != dst and (src, rel, dst) not in seen:
            seen.add((src, rel, dst))
            edges.append(Relation(src, rel, dst, evidence=text[a:b]))

    for i, cit in enumerate(cits):
        prev = cits[i - 1] if i else None
        if prev is not None and prev.end <= cit.start:
            gap = text[prev.end:cit.start]
            ch = _chain(gap)
            if ch:
                rel, passive = ch
                if (own_key and prev.key == own_key and not passive
                        and positions[i] in g.head_positions.get(rel, ())):
                    cit.relation = rel
                    carry = (rel, positions[i], cit.end)
                    continue
                cit.chained = True
                # 'Căn cứ Luật Đấu thầu số 22/2023/QH15 được sửa đổi, bổ sung bởi Luật số
                # 57/2024/QH15': the document rests on the law as amended, so on both
                cit.relation = _as_amended(prev, passive)
                chain_of[i] = (prev.key, rel, passive)
                if passive:
                    add(cit.key, rel, prev.key, prev.start, cit.end)
                else:
                    add(prev.key, rel, cit.key, prev.start, cit.end)
                continue
            if (_is_list_gap(gap) and not prev.chained and prev.relation != "mentions"
                    and positions[i - 1] == positions[i]):
                cit.relation = prev.relation
                if carry:
                    carry = (carry[0], carry[1], cit.end)
                continue
            if _COORD.match(gap) and prev.chained:
                # 'về thực hiện Nghị quyết số 71/NQ-CP … và Chương trình hành động số 10-CTr/TU'
                cit.chained = True
                cit.relation = _as_amended(prev, bool(chain_of.get(i - 1, (None, None, False))[2]))
                other = chain_of.get(i - 1) if _AND.match(gap) else None
                if other:
                    chain_of[i] = other
                    src, rel, passive = other
                    if passive:
                        add(cit.key, rel, src, prev.start, cit.end)
                    else:
                        add(src, rel, cit.key, prev.start, cit.end)
                continue
        raw, brk = _clause(text, cit.start, _HEAD_SPAN)
        prefix = _clean(raw)
        # 'Nghị định số 08/2015/NĐ-CP … quy định chi tiết …, được sửa đổi, bổ sung tại
        # Nghị định số 167/2025/NĐ-CP': the passive reaches back over the subject's title
        prel = _passive_at_end(prefix) if prefix.endswith(c.agents) else None
        if (prel and prev is not None and prev.family == "named" and i >= 2
                and cits[i - 2].end <= prev.start and prev.start - cits[i - 2].end < _PASSIVE_SPAN
                and not _HARD_STOP.search(text, cits[i - 2].end, prev.start)):
            prev = cits[i - 2]  # a law named in the subject's title ('… thi hành Luật Hải quan')
        if prel and prev is not None and prev.key and prev.end <= cit.start:
            if (cit.start - prev.end < _PASSIVE_SPAN
                    and not _HARD_STOP.search(text, prev.end, cit.start)):
                cit.chained = True
                cit.relation = _as_amended(prev, True)
                chain_of[i] = (prev.key, prel, True)
                add(cit.key, prel, prev.key, prev.start, cit.end)
                continue
        rel = _cue_at_end(prefix, positions[i])
        is_law = bool(cit.key and _LAW_KEY.search(cit.key)) or cit.type == "Luật"
        law_at = -1
        if rel is None and is_law:
            raw2, _ = _clause(text, cit.start, _LAW_SPAN)
            rel, law_at = _law_head(_clean(raw2), positions[i], c)
        if rel is None and brk == ":" and prefix in _LIST_OPENERS:
            # 'Căn cứ các Luật của Quốc hội: Luật Giao dịch điện tử số 20/2023/QH15; …'
            colon = text.rfind(":", 0, cit.start)
            head = _clean(_clause(text, colon, _HEAD_SPAN)[0])
            rel = _cue_at_start(head)
        if rel is None and positions[i] == "body" and _amend_line(text, cit.start):
            rel = "amends"
        if rel and positions[i] in g.head_positions.get(rel, ()):
            cit.relation = rel
            carry = (rel, positions[i], cit.end)
            continue
        cit.relation = "mentions"
        opener = prefix in _LIST_OPENERS or (is_law and law_at == 0)
        if (rel is None and brk == ";" and opener and carry and carry[1] == positions[i]
                and cit.start - carry[2] < _LIST_SPAN
                and not _LIST_END.search(text, carry[2], cit.start)):
            # 'Căn cứ Nghị định số 63/2010/NĐ-CP …; Nghị định số 92/2017/NĐ-CP …;'
            cit.relation = carry[0]
            carry = (carry[0], carry[1], cit.end)
        elif not opener or brk != ";":
            carry = None
    _expiry(text, cits, own_type, own_key)
    return edges


# the citing document as the subject of its own act: 'Nghị định này …', '… ban hành Thông tư …'
_OWN_ACT = re.compile(r"(?:\bnày|ban hành (?:nghị định|thông tư liên tịch|thông tư|quyết định|"
                      r"nghị quyết))$")
_ENUMERATOR = re.compile(r"\s*(?:[a-zđ]\)|\d{1,3}[.)]|[-+•*])?\s*")


@lru_cache(maxsize=1)
def _amend_cues():
    a = load("relations")["amend_openers"]
    return (tuple(sorted(a["openers"], key=len, reverse=True)),
            tuple(" " + w for w in a["before_citation"]), int(a["max_chars"]))


def _amend_line(text: str, start: int) -> bool:
    """'r) Bãi bỏ cụm từ “…” tại điểm a khoản 5 Điều 190 của Luật Đất đai số …': an enumerated
    line of an amending article names the document it amends after 'của'."""
    openers, befores, span = _amend_cues()
    line_start = text.rfind("\n", max(0, start - span), start) + 1
    if line_start == 0 and start > span:
        return False
    line = text[line_start:start]
    if not line.rstrip().endswith(befores):
        return False
    head = line[_ENUMERATOR.match(line).end():].lower()
    return head.startswith(openers)


def _as_amended(subject: Found, passive: bool) -> str:
    """The relation of an amending act named after a cited document ('… được sửa đổi, bổ sung
    bởi Luật số …'): a basis when the document it amends is one, else a mention."""
    return "based_on" if passive and subject.relation == "based_on" else "mentions"


@lru_cache(maxsize=1)
def _expiry_cues():
    e = load("relations")["expiry"]
    phrases = sorted(e["phrases"], key=len, reverse=True)
    return (re.compile("|".join(re.escape(p) for p in phrases)), tuple(e["own_words"]),
            int(e["within_chars"]), int(e["sentence_chars"]))


_SENTENCE_START = re.compile(r"[.;:](?:\s|$)|\n\s*\n")


def _expiry(text: str, cits: list[Found], own_type: str | None, own_key: str | None) -> None:
    """'Thông tư số 40/2020/TT-BTTTT … hết hiệu lực từ ngày Thông tư này có hiệu lực': the
    documents named before the phrase in its sentence are replaced (same type as the citing
    document) or repealed (another type) by it."""
    if not cits:
        return
    pattern, own_words, within, span = _expiry_cues()
    starts = [c.start for c in cits]
    for m in pattern.finditer(text, cits[0].end):
        after = text[m.end():m.end() + within]
        if not any(re.search(r"\b" + re.escape(w) + r"\b", after) for w in own_words):
            continue
        if text[max(0, m.start() - 8):m.start()].rstrip().endswith("đã"):
            continue
        lo = max(0, m.start() - span)
        sentence = lo
        for b in _SENTENCE_START.finditer(text, lo, m.start()):
            sentence = b.end()
        lo_cit = bisect.bisect_left(starts, sentence)
        hi_cit = bisect.bisect_left(starts, m.start())
        for c in cits[lo_cit:hi_cit]:
            if c.chained or c.end > m.start() or c.relation != "mentions":
                continue
            c.relation = "replaces" if _same_kind(c, own_type, own_key) else "repeals"


def _same_kind(c: Found, own_type: str | None, own_key: str | None) -> bool:
    """Of the citing document's own kind: its type, or, when a type is unknown, its issuer's
    symbol ('QH10' and 'QH13': two laws of the Quốc hội)."""
    if own_type and c.type:
        return c.type == own_type
    own_sym = (own_key or "").rsplit("/", 1)[-1]
    return bool(c.symbol and own_sym) and re.sub(r"\d+$", "", c.symbol) == re.sub(r"\d+$", "", own_sym)
