"""Citations: find → parse fields → resolve against the document → classify relations.

`extract_citations(text)` works on a plain string (the fast path) or on a normalised `Text`
with the document's header and sections, which add positions, section ids, the citing
document's own identity (self-references dropped) and its place (relative issuers).
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Optional, Sequence, Union

from ..model import Citation, Header, NamedRef, Relation, Section, Text
from ..resources import load
from .named import as_found, find_named, kind_of, name_key, resolve_named
from .parse import Found, find_citations, find_short_forms
from .relations import classify
from .resolve import resolve

__all__ = ["extract_citations"]


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


def extract_citations(text: Union[Text, str], *, header: Optional[Header] = None,
                      sections: Sequence[Section] = ()
                      ) -> tuple[list[Citation], list[Relation], list[NamedRef]]:
    t = text if isinstance(text, Text) else None
    s = text.text if isinstance(text, Text) else text
    full = find_citations(s)
    short = find_short_forms(s, full)
    numbered = sorted(full + short, key=lambda c: c.start)
    own_key = header.key if header else None
    own_issuer = header.issuer if header else None
    resolve(s, numbered, own_issuer, header.place if header else None)
    named = _named_refs(s, numbered, header)
    cits = sorted(numbered + [as_found(s, n) for n in named], key=lambda c: c.start)
    positions = _positions(t, s, cits, header, sections)
    edges = classify(s, cits, positions, own_key, header.type if header else None)
    if (header is not None and header.type is None and header.key is None and not header.title
            and not _MOTTO.search(s, 0, 3000)):
        # a page that is no official document (a Q&A or news article) rests on, implements or
        # amends nothing: what it cites, it mentions
        for c in cits:
            c.relation = "mentions"
    if own_key:  # edges are between two OTHER documents; the citation carries its own relation
        edges = [e for e in edges if e.source != own_key and e.target != own_key]
    sections = sorted(sections, key=lambda x: (x.start, x.level))
    starts = [x.start for x in sections]
    out: list[Citation] = []
    named_out: list[NamedRef] = []
    for c, pos in zip(cits, positions):
        if own_key and c.key == own_key:
            continue  # the document citing itself by number is a self-reference
        if c.key is None:  # a name that identifies no one document: kept as it was written
            named_out.append(NamedRef(kind_of(c.title), c.title, c.year, c.start, c.end,
                                      relation=c.relation))
            continue
        out.append(Citation(
            key=c.key, type=c.type, number=c.number, year=c.year, symbol=c.symbol,
            date=c.date, issuer=c.issuer, relation=c.relation, text=s[c.start:c.end].strip(),
            start=c.start, end=c.end, section=_section_of(sections, starts, c.start),
            position=pos, term=c.term, title=c.title, date_text=c.date_text,
            short_form=c.short_form))
    out += _guides_from_basis(s, out, header, sections)
    return out, edges, named_out


# the national or Party motto heads every official document, whatever became of its header
_MOTTO = re.compile(r"C[ỘO]NG\s+H[ÒO][AÀ]\s+X[ÃA]\s+H[ỘO]I|ĐẢNG\s+CỘNG\s+SẢN", re.I)


@lru_cache(maxsize=1)
def _own_act_cue() -> re.Pattern:
    """Where a decree or circular says what it does: its enacting formula ('… ban hành Nghị định
    quy định chi tiết …') or its scope article ('Thông tư này hướng dẫn …')."""
    cues = "|".join(re.escape(c) for c in load("relations")["guides_from_basis"]["cues"])
    return re.compile(r"(?:ban hành[ \t]+(?:nghị định|thông tư liên tịch|thông tư)|"
                      r"(?:nghị định|thông tư liên tịch|thông tư) này)[ \t]+(?:" + cues + r"|quy định)")


def _guides_from_basis(s: str, cits: list[Citation], header: Optional[Header],
                       sections: Sequence[Section]) -> list[Citation]:
    """A decree details the laws it rests on, a circular the laws and decrees (Luật Ban hành văn
    bản quy phạm pháp luật: Chính phủ ban hành nghị định, Bộ trưởng ban hành thông tư 'để quy
    định chi tiết' what those delegate); the portals list it among their guiding texts
    (models/relations.json `guides_from_basis`). One citation per such basis, placed where the
    document says what it does (its enacting formula or scope article, else its title)."""
    if header is None or any(c.relation == "guides" for c in cits):
        return []
    rule = load("relations")["guides_from_basis"]
    basis_types = rule["citing_types"].get(header.type or "")
    if not basis_types:
        return []
    first_section = min((x.start for x in sections if x.kind != "footnote"), default=len(s))
    head = s[:first_section + int(rule["scope_chars"])].lower()
    m = _own_act_cue().search(head)  # else the title says it
    if m:
        cue = (m.start(), m.end())
    else:
        title = (header.title or "").lower()
        at = head.find(title[:40]) if title else -1
        cue = (at, at + len(title)) if at >= 0 else (0, 0)
    seen = set()
    out = []
    for c in cits:
        if c.relation != "based_on" or c.type not in basis_types or c.key in seen:
            continue
        after = s[c.end:c.end + 160]
        after = after[:after.find(";")] if ";" in after else after
        about = f"{c.title or ''} {c.text} {after}".lower()
        if any(w in about for w in rule["organisational"]):
            continue
        seen.add(c.key)
        out.append(Citation(
            key=c.key, type=c.type, number=c.number, year=c.year, symbol=c.symbol, date=c.date,
            issuer=c.issuer, relation="guides", text=s[cue[0]:cue[1]], start=cue[0], end=cue[1],
            section=None, position="title" if c.position == "title" else "preamble",
            term=c.term, title=c.title, date_text=c.date_text))
    return out


def _named_refs(s: str, numbered: list[Found], header: Optional[Header]):
    """Laws cited by name, resolved where the document or the gazetteer identifies them; a name
    inside a numbered citation's surface, and the document's own name (a law naming itself in its
    enacting formula), are left out."""
    spans = [(c.start, c.end) for c in numbered]
    starts = [a for a, _ in spans]
    own_name = None
    if header is not None and header.type in ("Luật", "PL") and header.title:
        own_name = name_key(header.title)
    out = []
    for n in find_named(s):
        i = bisect.bisect_right(starts, n.end) - 1
        if i >= 0 and spans[i][0] < n.end and spans[i][1] > n.start:
            continue
        if i >= 1 and spans[i - 1][1] > n.start:
            continue
        if own_name and name_key(n.name).endswith(own_name):
            continue
        out.append(n)
    resolve_named(s, out, numbered, header.best_date() if header else None)
    return out
