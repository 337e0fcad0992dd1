"""What one stored document contributes to the graph (its own identity, each mention's
identity, its edges), and the display values mentions fold into an identity: the one
derivation that incremental sync and the bulk rebuild share."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Optional, Sequence

from .identity import Tup, document_date, document_tuple, normalise_key, numbered_tuple, _year_of

POSITIONS = ("title", "preamble", "body", "footnote")  # where in a document a mention sits


# --------------------------------------------------------------------------- per-document parts

@dataclass
class Contribution:
    src: Tup
    dst: Tup
    relation: str
    origin: str
    mentions: int
    sort_key: str
    evidence: Optional[str]
    positions: Optional[str]
    sections: Optional[str]


class CitationRow(NamedTuple):
    """A stored mention, as the graph reads it (select CIT_COLS from citations)."""
    id: int
    key: Optional[str]
    type: Optional[str]
    number: Optional[str]
    year: Optional[int]
    date: Optional[str]
    issuer: Optional[str]
    term: Optional[str]
    title: Optional[str]
    relation: Optional[str]
    position: Optional[str]
    section: Optional[str]
    text: Optional[str]
    start: Optional[int]


class NodeDocument(NamedTuple):
    """The stored document a node stands for (select NODE_DOC_COLS from documents)."""
    id: int
    key: Optional[str]
    type: Optional[str]
    number: Optional[str]
    year: Optional[int]
    issuer: Optional[str]
    date: Optional[str]
    date_text: Optional[str]
    title: Optional[str]


CIT_COLS = CitationRow._fields
NODE_DOC_COLS = NodeDocument._fields
DOC_COLS = ("id", "path", "status", "key", "type", "number", "year", "issuer", "date",
            "date_text", "title")
DISPLAY_FIELDS = ("key", "type", "number", "year", "term", "issuer", "date", "title")


def document_parts(doc: dict, cits: Sequence[CitationRow], rels: Sequence[tuple],
                   cache: Optional[dict] = None):
    """What one document contributes: its own tuple, (citation id, tuple, citation row) per
    mention, and its edge contributions (one per cited target and relation, one per stated
    chain). `rels` rows are (source, relation, target, evidence)."""
    own = document_tuple(doc)
    cache = {} if cache is None else cache
    links = []
    for c in cits:
        if not c.key:
            continue
        sig = (c.key, c.year, c.date[:4] if c.date else None, c.issuer, c.term)
        t = cache.get(sig)
        if t is None:
            t = numbered_tuple(c.key, c.year, c.date, c.issuer, c.term)
            if len(cache) < 2_000_000:
                cache[sig] = t
        if t is not None:
            links.append((c.id, t, c))
    contribs: list[Contribution] = []
    if own is None:
        return own, links, contribs
    ddate = document_date(doc.get("date"), doc.get("date_text"), doc.get("year"))
    prefix = f"{ddate or '9999'}|{doc.get('path') or ''}|"
    groups: dict[tuple, list] = {}
    first_by_key: dict[str, Tup] = {}
    for cid, t, c in sorted(links, key=lambda x: (x[2].start or 0, x[0])):
        first_by_key.setdefault(t.key, t)
        rel = c.relation or "mentions"
        g = groups.get((t.ident, rel))
        if g is None:
            groups[(t.ident, rel)] = [t, 1, c.start or 0, c.text, [c.position], [c.section]]
        else:
            g[1] += 1
            g[4].append(c.position)
            g[5].append(c.section)
    for (_, rel), (t, n, start, text, positions, sections) in groups.items():
        pos = [p for p in POSITIONS if p in positions] + sorted(
            {p for p in positions if p and p not in POSITIONS})
        secs = list(dict.fromkeys(s for s in sections if s))[:20]
        contribs.append(Contribution(own, t, rel, "cited", n, f"{prefix}{start:09d}", text,
                                      ",".join(pos) or None, ",".join(secs) or None))
    stated: dict[tuple, list] = {}
    for i, (src, rel, dst, evidence) in enumerate(rels):
        src, dst = normalise_key(src), normalise_key(dst)
        if not src or not dst or not rel:
            continue
        st = first_by_key.get(src) or numbered_tuple(src)
        dt = first_by_key.get(dst) or numbered_tuple(dst)
        if st is None or dt is None:
            continue
        k = (st.ident, rel, dt.ident)
        if k in stated:
            stated[k][2] += 1
        else:
            stated[k] = [st, dt, 1, i, evidence]
    for (_, rel, _), (st, dt, n, i, evidence) in stated.items():
        contribs.append(Contribution(st, dt, rel, "stated", n, f"{prefix}s{i:08d}", evidence,
                                      None, None))
    return own, links, contribs


# --------------------------------------------------------------------------- display values

def fold_display(cur: dict, new: dict) -> dict:
    """Fold `new` display values into `cur` (in place) with min(), so that the values shown
    for an identity or a node do not depend on the order documents came in. The one merge rule:
    incremental upkeep applies it in SQL (maintain._identity_id), the rebuild here."""
    for k, v in new.items():
        if v is not None and (cur.get(k) is None or v < cur[k]):
            cur[k] = v
    return cur


def disp_of_citation(c: CitationRow) -> dict:
    """What one mention says of the document it cites."""
    return {"type": c.type, "number": c.number, "year": _year_of(c.year, c.date),
            "term": c.term, "issuer": c.issuer, "date": c.date, "title": c.title}


def node_fields(doc: Optional[NodeDocument], disp: dict, ambiguous: bool,
                n_documents: int) -> tuple:
    """A node's row values (key, type, number, year, term, issuer, date, title, status,
    document_id, documents): a stored document's own header when the node is one (the first
    by path), else the display values folded over its identities (`disp`, DISPLAY_FIELDS)."""
    if doc is not None:
        return (normalise_key(doc.key) or disp.get("key"), doc.type, doc.number,
                doc.year or disp.get("year"), disp.get("term"), doc.issuer,
                document_date(doc.date, doc.date_text, doc.year), doc.title, "document",
                doc.id, n_documents)
    return (*(disp.get(f) for f in DISPLAY_FIELDS), "ambiguous" if ambiguous else "cited",
            None, 0)
