"""What one stored document contributes to the graph (its own identity, each mention's
identity, its edges), and the display values mentions fold into an identity: the one
derivation that incremental sync and the bulk rebuild share."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

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


CIT_COLS = ("id", "key", "type", "number", "year", "date", "issuer", "term", "title",
             "relation", "position", "section", "text", "start")
DOC_COLS = ("id", "path", "status", "key", "type", "number", "year", "issuer", "date",
             "date_text", "title")


def document_parts(doc: dict, cits: Sequence[tuple], rels: Sequence[tuple],
                    cache: Optional[dict] = None):
    """What one document contributes: its own tuple, (citation id, tuple, citation row) per
    mention, and its edge contributions (one per cited target and relation, one per stated
    chain). `cits` rows follow CIT_COLS; `rels` rows are (source, relation, target, evidence)."""
    own = document_tuple(doc)
    cache = {} if cache is None else cache
    links = []
    for c in cits:
        key = c[1]
        if not key:
            continue
        sig = (key, c[4], c[5][:4] if c[5] else None, c[6], c[7])
        t = cache.get(sig)
        if t is None:
            t = numbered_tuple(key, c[4], c[5], c[6], c[7])
            if len(cache) < 2_000_000:
                cache[sig] = t
        if t is not None:
            links.append((c[0], t, c))
    contribs: list[Contribution] = []
    if own is None:
        return own, links, contribs
    ddate = document_date(doc.get("date"), doc.get("date_text"), doc.get("year"))
    prefix = f"{ddate or '9999'}|{doc.get('path') or ''}|"
    groups: dict[tuple, list] = {}
    first_by_key: dict[str, Tup] = {}
    for cid, t, c in sorted(links, key=lambda x: (x[2][13] or 0, x[0])):
        first_by_key.setdefault(t.key, t)
        rel = c[9] or "mentions"
        g = groups.get((t.ident, rel))
        if g is None:
            groups[(t.ident, rel)] = [t, 1, c[13] or 0, c[12], [c[10]], [c[11]]]
        else:
            g[1] += 1
            g[4].append(c[10])
            g[5].append(c[11])
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


def merge_disp(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        if v is not None and (out.get(k) is None or v < out[k]):
            out[k] = v
    return out


def disp_of_citation(c: tuple) -> dict:
    return {"type": c[2], "number": c[3], "year": _year_of(c[4], c[5]), "term": c[7],
            "issuer": c[6], "date": c[5], "title": c[8]}
