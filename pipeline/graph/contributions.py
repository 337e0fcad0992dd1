"""What one stored document contributes to the graph (its own identity, each mention's
identity, its edges), the display values mentions fold into an identity, and a cited-only
node's display values by agreement over the documents citing it: the derivations that
incremental sync and the bulk rebuild share."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple, Optional, Sequence

from ..domain import is_bare, norm_issuer
from ..resources import load
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
    """Fold `new` display values into `cur` (in place) with min(), so that the values kept for
    an identity do not depend on the order documents came in (a node shows them only where its
    citing documents give no value to agree on: agreed_display). The one merge rule:
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


# --------------------------------------------------------------------------- agreement

AGREEMENT_LIMIT = 5000  # a node cited by more documents keeps the min()-folded values (cost)
_FIELD_SQL = {"type": "c.type", "number": "c.number",
              "year": "coalesce(c.year, cast(substr(c.date, 1, 4) as integer))",
              "term": "c.term", "issuer": "c.issuer", "date": "c.date", "title": "c.title"}


@lru_cache(maxsize=1)
def _known_bodies() -> frozenset:
    """National bodies' own names (models/issuers.json): complete as they stand."""
    return frozenset(norm_issuer(v) for v in load("issuers")["symbol_issuers"].values()
                     if isinstance(v, str))


def _cut_short(name: str) -> bool:
    """An issuer that cannot be the whole name: one word ('Bộ'), or a level without its place
    ('Ủy ban nhân dân tỉnh', 'Sở Nội vụ tỉnh'); a national body's own name never is."""
    norm = norm_issuer(name)
    if not norm or norm in _known_bodies():
        return False
    return (len(name.split()) == 1 or is_bare(norm)
            or bool(re.search(r"\s(?:tỉnh|thành phố|huyện|quận|thị xã)$", norm)))


def agree(field: str, pairs) -> Optional[object]:
    """The value the most citing documents give, from (value, documents) pairs; ties go to the
    smaller value (as the min() fold). An issuer cut short ('Bộ', 'Ủy ban nhân dân tỉnh')
    counts for a longer issuer it begins when two or more documents give that one."""
    counts: dict = {}
    for v, n in pairs:
        if v not in (None, ""):
            counts[v] = counts.get(v, 0) + n
    if not counts:
        return None
    if field == "issuer":
        for v in sorted(counts, key=len):
            if v not in counts or not _cut_short(v):
                continue
            words = v.split()
            longer = [w for w in counts if counts[w] >= 2 and len(w.split()) > len(words)
                      and w.split()[:len(words)] == words]
            if longer:
                target = min(longer, key=lambda w: (-counts[w], w))
                counts[target] += counts.pop(v)
    return min(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]


def agreed_display(conn, node_ids: Optional[Iterable[int]] = None) -> dict[int, dict]:
    """Display values of nodes by agreement over the documents citing them (agree() per field),
    for the given nodes, or for every node (the bulk rebuild: one pass per field, no index
    needed). Nodes cited by more than AGREEMENT_LIMIT documents are left out (they keep the
    folded values); incremental upkeep and the rebuild apply the same rule."""
    base = ("from mention_links l join identities i on i.id = l.identity_id "
            "join citations c on c.id = l.citation_id")
    if node_ids is None:
        where, args = "", []
    else:
        ids = sorted({int(i) for i in node_ids})
        if not ids:
            return {}
        where, args = " where i.node_id in (select value from json_each(?))", [json.dumps(ids)]
    sizes = dict(conn.execute(f"select i.node_id, count(distinct l.document_id) from mention_links l "
                              f"join identities i on i.id = l.identity_id{where} "
                              f"group by i.node_id", args))
    pairs: dict[int, dict] = {}
    for field, expr in _FIELD_SQL.items():
        for nid, value, n in conn.execute(
                f"select i.node_id, {expr}, count(distinct l.document_id) {base}{where} "
                f"group by i.node_id, {expr}", args):
            if sizes.get(nid, 0) <= AGREEMENT_LIMIT:
                pairs.setdefault(nid, {}).setdefault(field, []).append((value, n))
    return {nid: {f: agree(f, ps) for f, ps in fields.items()} for nid, fields in pairs.items()}
