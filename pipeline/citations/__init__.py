"""Citations: find → parse fields → resolve against the document → classify relations.

`extract_citations(text)` works on a plain string (the fast path) or on a normalised `Text`
with the document's header and sections, which add positions, section ids, the citing
document's own identity (self-references dropped) and its place (relative issuers).
"""
from __future__ import annotations

import bisect
from typing import Optional, Sequence, Union

from ..model import Citation, Header, NamedRef, Relation, Section, Text
from .parse import Found, find_citations, find_named_refs, find_short_forms
from .relations import classify
from .resolve import resolve

__all__ = ["extract_citations", "strongest_relation"]


def _positions(text: Text | None, s: str, cits: list[Found], header: Optional[Header],
               sections: Sequence[Section]) -> list[str]:
    """title | preamble | body | footnote for each citation."""
    first_section = min((sec.start for sec in sections if sec.kind not in ("footnote",)),
                        default=None)
    footnote_starts = []
    if text is not None:
        footnote_starts = [ln.start for ln in text.lines if ln.kind == "footnote"]
    fn_start = footnote_starts[0] if footnote_starts else None
    title_span = None
    if header is not None and header.title:
        limit = first_section if first_section is not None else min(len(s), 3000)
        probe = header.title[:40]
        at = s.find(probe, 0, limit + len(probe))
        if at < 0:
            at = s.replace("\n", " ").find(probe, 0, limit + len(probe))
        if at >= 0:
            title_span = (at, at + len(header.title))
    out = []
    for c in cits:
        if fn_start is not None and c.start >= fn_start:
            out.append("footnote")
        elif title_span and title_span[0] <= c.start < title_span[1]:
            out.append("title")
        elif first_section is not None and c.start < first_section:
            out.append("preamble")
        elif first_section is None and title_span is None:
            out.append("body")
        else:
            out.append("body")
    return out


def _section_of(sections: Sequence[Section], starts: list[int], offset: int) -> Optional[str]:
    """Innermost section containing `offset` (sections sorted by start)."""
    best = None
    i = bisect.bisect_right(starts, offset)
    for sec in reversed(sections[:i]):
        if sec.start <= offset < sec.end and (best is None or sec.level > best.level):
            best = sec
            if sec.level == 1:
                break
    return best.id if best else None


def strongest_relation(relations: list[str]) -> str:
    from .grammar import grammar

    order = grammar().strength
    return min(relations, key=lambda r: order.index(r) if r in order else len(order))


def extract_citations(text: Union[Text, str], *, header: Optional[Header] = None,
                      sections: Sequence[Section] = ()
                      ) -> tuple[list[Citation], list[Relation], list[NamedRef]]:
    t = text if isinstance(text, Text) else None
    s = text.text if isinstance(text, Text) else text
    full = find_citations(s)
    short = find_short_forms(s, full)
    cits = sorted(full + short, key=lambda c: c.start)
    own_key = header.key if header else None
    own_issuer = header.issuer if header else None
    resolve(s, cits, own_issuer, header.place if header else None)
    positions = _positions(t, s, cits, header, sections)
    edges = classify(s, cits, positions, own_key)
    if own_key:  # edges are between two OTHER documents; the citation carries its own relation
        edges = [e for e in edges if e.source != own_key and e.target != own_key]
    sections = sorted(sections, key=lambda x: (x.start, x.level))
    starts = [x.start for x in sections]
    out: list[Citation] = []
    for c, pos in zip(cits, positions):
        if own_key and c.key == own_key:
            continue  # the document citing itself by number is a self-reference
        out.append(Citation(
            key=c.key, type=c.type, number=c.number, year=c.year, symbol=c.symbol,
            date=c.date, issuer=c.issuer, relation=c.relation, text=s[c.start:c.end].strip(),
            start=c.start, end=c.end, section=_section_of(sections, starts, c.start),
            position=pos, term=c.term, title=c.title, date_text=c.date_text,
            short_form=c.short_form))
    named = [NamedRef(kind, name, year, a, b) for kind, name, year, a, b in find_named_refs(s)]
    return out, edges, named
