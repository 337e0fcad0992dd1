"""Relation of the citing document to each cited one, and edges the text states between two
other documents ('Kế hoạch 224-KH/ThU … về thực hiện Kết luận 91-KL/TW')."""
from __future__ import annotations

import re

from ..model import Relation
from .grammar import grammar
from .parse import Found

_CLAUSE_BREAK = re.compile(r"[;.\n:]")
_COORD = re.compile(r"^[\s,]*(?:và|cùng|,)?[\s,]*$")
_PUNCT = re.compile(r"[\s,;:()\"“”]+")


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


def _clean(s: str) -> str:
    return _PUNCT.sub(" ", s).strip().lower()


def _strip_adverbs(prefix: str) -> str:
    """'thực hiện nghiêm túc, hiệu quả' → 'thực hiện'."""
    g = grammar()
    changed = True
    while changed and prefix:
        changed = False
        for w in g.cue_adverbs:
            if prefix.endswith(w) and (len(prefix) == len(w) or not prefix[-len(w) - 1].isalnum()):
                prefix = prefix[:-len(w)].rstrip(" ,")
                changed = True
                break
    return prefix


def _cue_at_end(prefix: str):
    """The relation whose cue phrase ends `prefix` (longest cue first), or None."""
    prefix = _strip_adverbs(prefix)
    for relation, cue in grammar().head_cues:
        if prefix.endswith(cue) and (len(prefix) == len(cue) or not prefix[-len(cue) - 1].isalnum()):
            return relation
    return None


def chain_relation(gap: str):
    """`gap` is the text between one citation's surface and the next. A chain is a gap made of
    fillers ('về', 'về việc', 'ban hành Kế hoạch') and a relation cue, nothing else."""
    g = grammar()
    s = _clean(gap)
    if not s:
        return None
    for f in g.chain_fillers:
        if s.startswith(f + " "):
            s = s[len(f) + 1:]
            break
    for relation, cue in g.head_cues:
        if s == cue:
            return relation
        for f in g.chain_fillers:
            if s == f"{f} {cue}":
                return relation
    return None


def classify(text: str, cits: list[Found], positions: list[str]) -> list[Relation]:
    """Sets `relation` on each citation (in place) and returns the stated chain edges."""
    g = grammar()
    edges: list[Relation] = []
    seen = set()
    for i, c in enumerate(cits):
        prev = cits[i - 1] if i else None
        if prev is not None and prev.end <= c.start:
            gap = text[prev.end:c.start]
            rel = chain_relation(gap) if len(gap) < 80 and "\n" not in gap else None
            if rel:
                c.chained = True
                c.relation = "mentions"
                if prev.key and c.key and prev.key != c.key and (prev.key, rel, c.key) not in seen:
                    seen.add((prev.key, rel, c.key))
                    edges.append(Relation(prev.key, rel, c.key,
                                          evidence=text[prev.start:c.end]))
                continue
            if (_is_list_gap(gap) and not prev.chained and prev.relation != "mentions"
                    and positions[i - 1] == positions[i]):
                c.relation = prev.relation
                continue
            if _COORD.match(gap) and prev.chained:
                c.chained = True
                c.relation = "mentions"
                continue
        lo = max(0, c.start - 120)
        window = text[lo:c.start]
        brk = None
        for brk in _CLAUSE_BREAK.finditer(window):
            pass
        prefix = _clean(window[brk.end():] if brk else window)
        rel = _cue_at_end(prefix)
        if rel and positions[i] in g.head_positions.get(rel, ()):
            c.relation = rel
        else:
            c.relation = "mentions"
    return edges
