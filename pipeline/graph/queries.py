"""Read-side graph queries (cited by, cites, validity, implementers, trace). They never write: when
stored documents are not yet in the graph they raise GraphOutOfDate, and the CLI or ingest
brings the graph up to date."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Optional, Sequence

from ..citations.parse import find_citations
from ..domain import relation_rank
from ..storage.queries import find_document
from .contributions import POSITIONS
from .identity import norm_issuer, normalise_key

LINEAGE = ("implements", "based_on")  # the relations a lineage follows unless told otherwise
# What the lineage drawing follows: lineage, and how legal documents descend from one another.
DRAWN_RELATIONS = LINEAGE + ("amends", "replaces", "repeals", "guides")


class GraphOutOfDate(RuntimeError):
    """Stored documents are not yet in the graph tables. Queries never write: the CLI and
    ingest bring the graph up to date (`graph.sync`), then ask again."""

    def __init__(self, pending: int):
        super().__init__(f"{pending} stored document(s) are not yet in the citation graph: "
                         "run `directives graph-rebuild` (or ingest again) to bring it up to date")
        self.pending = pending


# --------------------------------------------------------------------------- reading

NODE_COLS = ("id", "ident", "key", "type", "number", "year", "term", "issuer", "date", "title",
              "status", "ambiguous", "candidates", "document_id", "documents")


def _ready(db):
    """The connection to read the graph from; GraphOutOfDate when stored documents are not
    yet in it (a query never brings them in: that is a write)."""
    conn = db.conn if hasattr(db, "conn") else db
    row = conn.execute("select count(*) from graph_dirty").fetchone()
    if row[0]:
        raise GraphOutOfDate(row[0])
    return conn


def _label(n: dict) -> str:
    if n.get("key"):
        return n["key"]
    if n.get("path"):
        return Path(n["path"]).stem
    return n.get("ident") or f"node:{n.get('id')}"


def nodes_by_id(db, ids: Iterable[int]) -> dict[int, dict]:
    """Display dicts of nodes (with the stored document's path), by node id."""
    conn = db.conn if hasattr(db, "conn") else db
    ids = sorted({int(i) for i in ids if i is not None})
    out: dict[int, dict] = {}
    cols = ", ".join(f"n.{c}" for c in NODE_COLS)
    for i in range(0, len(ids), 50_000):
        chunk = ids[i:i + 50_000]
        for r in conn.execute(f"select {cols}, d.path from nodes n left join documents d "
                              f"on d.id = n.document_id where n.id in "
                              f"(select value from json_each(?))", [json.dumps(chunk)]):
            n = dict(zip(NODE_COLS + ("path",), r))
            n["ambiguous"] = bool(n["ambiguous"])
            n["label"] = _label(n)
            out[n["id"]] = n
    return out


def _canonical_key(ref: str) -> Optional[str]:
    """The key the citation grammar makes of `ref` ('91/KL-TW' → '91-KL/TW'), if any."""
    found = find_citations(ref)
    return found[0].key if found else None


def node_of_document(db, document_id: int) -> Optional[int]:
    """The node a stored document is (None when it has none: a file that failed)."""
    row = _ready(db).execute("select i.node_id from document_nodes dn join identities i "
                             "on i.id = dn.identity_id where dn.document_id = ?",
                             [document_id]).fetchone()
    return row[0] if row else None


def resolve_ref(db, ref: str, *, year: Optional[int] = None,
                issuer: Optional[str] = None) -> list[int]:
    """Node ids named by `ref`: 'node:ID', a key (all its nodes, narrowed by year and issuer
    when given), or anything storage.queries.find_document accepts (id, path, file name)."""
    conn = _ready(db)
    ref = (ref or "").strip()
    if not ref:
        return []
    if ref.startswith("node:") and ref[5:].isdigit():
        return [r[0] for r in conn.execute("select id from nodes where id = ?", [int(ref[5:])])]
    ids: list[int] = []
    for k in dict.fromkeys(filter(None, [normalise_key(ref), _canonical_key(ref)])):
        ids = [r[0] for r in conn.execute("select id from nodes where key = ? order by ident", [k])]
        if ids:
            break
    if ids:
        if year is not None or issuer:
            want = norm_issuer(issuer) if issuer else None
            keep = []
            for nid, n in nodes_by_id(db, ids).items():
                if year is not None and (n["year"] is None or int(n["year"]) != int(year)):
                    continue
                if want and want not in (norm_issuer(n["issuer"]) or ""):
                    continue
                keep.append(nid)
            ids = keep
        return ids
    doc = find_document(db, ref)
    if doc:
        row = conn.execute("select i.node_id from document_nodes dn join identities i "
                           "on i.id = dn.identity_id where dn.document_id = ?",
                           [doc["id"]]).fetchone()
        if row:
            return [row[0]]
    return []


def edges_among(db, node_ids: Iterable[int], relations: Sequence[str]) -> list[dict]:
    """The edges between the given nodes along `relations`, one per (source, target): the
    strongest relation, cited evidence before stated."""
    conn = _ready(db)
    ids = json.dumps(sorted({int(i) for i in node_ids}))
    best: dict[tuple[int, int], dict] = {}
    for s, t, rel, origin in conn.execute(
            "select source, target, relation, origin from edges where relation in "
            f"({_in_list(relations)}) and source in (select value from json_each(?)) "
            "and target in (select value from json_each(?)) "
            "order by source, target, relation, origin", [*relations, ids, ids]):
        old = best.get((s, t))
        if old is None or relation_rank(rel) < relation_rank(old["relation"]):
            best[(s, t)] = {"source": s, "target": t, "relation": rel, "origin": origin}
    return list(best.values())


def _in_list(values: Sequence[str]) -> str:
    return ", ".join("?" for _ in values)


def cited_by(db, ref: str, *, year=None, issuer=None, limit: Optional[int] = None) -> dict:
    """Documents citing `ref`: per citing node the relations (strongest first), mention count,
    positions and sections, first evidence; `since` is the earliest citing document date.
    Citers come earliest first; with `limit` only those are detailed (the count and `since`
    still cover all)."""
    conn = _ready(db)
    targets = resolve_ref(db, ref, year=year, issuer=issuer)
    if not targets:
        return {"query": ref, "targets": [], "citing": [], "documents": 0, "since": None,
                "truncated": False}
    rows = conn.execute(
        "select e.id, e.source, e.target, e.relation, e.mentions, e.first_date, e.first_key, "
        "e.first_evidence from edges e where e.origin = 'cited' and e.target in "
        "(select value from json_each(?))", [json.dumps(targets)]).fetchall()
    by_source: dict[int, dict] = {}
    for eid, src, tgt, rel, n, first_date, first_key, ev in rows:
        s = by_source.get(src)
        if s is None:
            s = by_source[src] = {"relations": {}, "mentions": 0, "first_date": first_date,
                                  "first_key": first_key or "", "evidence": ev,
                                  "ev_rel": rel, "edges": [], "targets": set()}
        s["relations"][rel] = s["relations"].get(rel, 0) + n
        s["mentions"] += n
        s["targets"].add(tgt)
        s["edges"].append(eid)
        if first_date and (s["first_date"] is None or first_date < s["first_date"]):
            s["first_date"] = first_date
        s["first_key"] = min(s["first_key"], first_key or "")
        if relation_rank(rel) < relation_rank(s["ev_rel"]):
            s["evidence"], s["ev_rel"] = ev, rel
    order = sorted(by_source, key=lambda k: (by_source[k]["first_date"] or "9999",
                                             by_source[k]["first_key"]))
    total = len(order)
    since = min((s["first_date"] for s in by_source.values() if s["first_date"]), default=None)
    if limit is not None:
        order = order[:limit]
    where: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    edge_ids = [e for src in order for e in by_source[src]["edges"]]
    for i in range(0, len(edge_ids), 50_000):
        for eid, pos, secs in conn.execute(
                "select edge_id, positions, sections from edge_sources where edge_id in "
                "(select value from json_each(?))", [json.dumps(edge_ids[i:i + 50_000])]):
            w = where[eid]
            w[0].extend(pos.split(",") if pos else [])
            w[1].extend(secs.split(",") if secs else [])
    nodes = nodes_by_id(db, order + targets)
    citing = []
    for src in order:
        s, n = by_source[src], nodes[src]
        positions = [p for e in s["edges"] for p in where[e][0]]
        sections = [x for e in s["edges"] for x in where[e][1]]
        citing.append({
            "node": n, "label": n["label"], "relation": min(s["relations"], key=relation_rank),
            "relations": s["relations"], "mentions": s["mentions"],
            "date": s["first_date"] or n["date"], "evidence": s["evidence"],
            "positions": [p for p in POSITIONS if p in positions],
            "sections": list(dict.fromkeys(x for x in sections if x)),
            "targets": sorted(nodes[t]["label"] for t in s["targets"]),
        })
    return {"query": ref, "targets": [nodes[t] for t in targets], "citing": citing,
            "documents": total, "since": since, "truncated": len(citing) < total}


def cites(db, ref: str) -> dict:
    """What a document cites (one row per cited node, relations strongest first) and the chains
    its text states between other documents."""
    conn = _ready(db)
    srcs = resolve_ref(db, ref)
    if not srcs:
        return {"query": ref, "sources": [], "cites": [], "stated": []}
    rows = conn.execute(
        "select e.target, e.relation, e.mentions, e.first_evidence, es.positions, es.sections "
        "from edges e left join edge_sources es on es.edge_id = e.id "
        "and es.document_id = e.first_document "
        "where e.origin = 'cited' and e.source in (select value from json_each(?))",
        [json.dumps(srcs)]).fetchall()
    docs = [r[0] for r in conn.execute(
        "select document_id from nodes where id in (select value from json_each(?)) "
        "and document_id is not null", [json.dumps(srcs)])]
    stated_rows = conn.execute(
        "select s.node_id, es.relation, d.node_id, es.mentions, es.evidence from edge_sources es "
        "join identities s on s.id = es.src_identity join identities d on d.id = es.dst_identity "
        "where es.origin = 'stated' and es.document_id in (select value from json_each(?)) "
        "order by es.sort_key", [json.dumps(docs)]).fetchall()
    nodes = nodes_by_id(db, [r[0] for r in rows] + [r[0] for r in stated_rows]
                        + [r[2] for r in stated_rows] + srcs)
    per: dict[int, dict] = {}
    for tgt, rel, n, ev, pos, secs in rows:
        p = per.setdefault(tgt, {"node": nodes[tgt], "label": nodes[tgt]["label"],
                                 "relations": {}, "mentions": 0, "positions": [],
                                 "sections": [], "evidence": None})
        p["relations"][rel] = p["relations"].get(rel, 0) + n
        p["mentions"] += n
        p["positions"] += (pos or "").split(",") if pos else []
        p["sections"] += (secs or "").split(",") if secs else []
        if p["evidence"] is None:
            p["evidence"] = ev
    out = []
    for p in per.values():
        p["relation"] = sorted(p["relations"], key=relation_rank)[0]
        p["positions"] = [x for x in POSITIONS if x in p["positions"]]
        p["sections"] = list(dict.fromkeys(x for x in p["sections"] if x))
        out.append(p)
    out.sort(key=lambda p: (relation_rank(p["relation"]), p["label"]))
    stated = [{"source": nodes[s]["label"], "relation": rel, "target": nodes[t]["label"],
               "source_node": s, "target_node": t, "mentions": n, "evidence": ev}
              for s, rel, t, n, ev in stated_rows]
    return {"query": ref, "sources": [nodes[s] for s in srcs], "cites": out, "stated": stated}


# a document's validity as the graph shows it: the acts of later documents on it, strongest first
# relation of a later document → (field of the answer, the status it gives), strongest first
_VALIDITY = {"replaces": ("replaced_by", "replaced"), "repeals": ("repealed_by", "repealed"),
             "amends": ("amended_by", "amended"), "guides": ("guided_by", None)}


def validity(db, ref: str, *, year=None, issuer=None) -> dict:
    """What later documents did to `ref`: replaced, repealed, amended (by whom, dated by the acting
    document, with its effective date when stored) and which documents guide it. Derived from the
    incoming edges, cited or stated ('Nghị định 167/2025/NĐ-CP sửa đổi Nghị định 08/2015/NĐ-CP');
    `status` is the strongest act known, or 'no change known' (we know only what was ingested)."""
    conn = _ready(db)
    targets = resolve_ref(db, ref, year=year, issuer=issuer)
    out = {"query": ref, "targets": [], "status": None, "replaced_by": [], "repealed_by": [],
           "amended_by": [], "guided_by": []}
    if not targets:
        return out
    rows = conn.execute(
        "select e.source, e.relation, e.first_date, e.first_evidence, d.effective "
        "from edges e join nodes n on n.id = e.source left join documents d on d.id = n.document_id "
        "where e.relation in ('replaces', 'repeals', 'amends', 'guides') "
        "and e.source != e.target and e.target in (select value from json_each(?)) "
        "order by e.first_date, e.source", [json.dumps(targets)]).fetchall()
    nodes = nodes_by_id(db, targets + [r[0] for r in rows])
    out["targets"] = [nodes[t] for t in targets]
    seen = set()
    for src, rel, date, evidence, effective in rows:
        field = _VALIDITY[rel][0]
        if (field, src) in seen:
            continue
        seen.add((field, src))
        n = nodes[src]
        out[field].append({"node": n, "label": n["label"], "date": date or n["date"],
                           "effective": effective, "evidence": evidence})
    out["status"] = next((state for field, state in _VALIDITY.values() if state and out[field]),
                         "no change known")
    return out


def _subgraph(conn, roots: Sequence[int], relations: Sequence[str], down: bool,
              limit: Optional[int]) -> tuple[set[int], list[tuple[int, int, str, str]], bool]:
    """Nodes reachable from `roots` along lineage edges (down: towards implementers, else up
    towards what they implement) and the lineage edges among them.

    A recursive CTE with UNION on the node id: every node is expanded once, so cycles end and
    the work is linear in the answer. Each step reads a node's edges in a correlated subquery
    (an index search) rather than a join: with ANALYZE statistics SQLite would put a Bloom filter
    on a join, which is built by scanning the whole edges index on every call."""
    rel_in = _in_list(relations)
    near, far = ("target", "source") if down else ("source", "target")
    cap = (limit + 1) if limit else -1
    sql = (
        f"with recursive walk(n) as ("
        f" select value from json_each(?)"
        f" union"
        f" select j.value from walk, json_each((select json_group_array(e.{far}) from edges e"
        f"   where e.{near} = walk.n and e.relation in ({rel_in}))) j"
        f" limit ?)"
        f" select n, null, null, null from walk"
        f" union all"
        f" select e.source, e.target, e.relation, e.origin from edges e"
        f" where e.{near} in (select n from walk) and e.relation in ({rel_in})")
    visited: set[int] = set()
    edges = []
    for a, t, rel, origin in conn.execute(sql, [json.dumps(list(roots)), *relations, cap,
                                               *relations]):
        if t is None:
            visited.add(a)
        else:
            edges.append((a, t, rel, origin))
    truncated = bool(limit) and len(visited) > limit
    ends = (lambda e: e[0]) if down else (lambda e: e[1])
    edges = [e for e in edges if ends(e) in visited]
    return visited, edges, truncated


def implementers(db, ref: str, *, transitive: bool = False,
                 relations: Sequence[str] = LINEAGE, limit: Optional[int] = None,
                 year=None, issuer=None) -> dict:
    """Nodes implementing `ref` directly or (transitive) through intermediate plans, each with
    the shortest path linking it to `ref` ([itself, …, ref]) and the relation of each hop."""
    conn = _ready(db)
    roots = resolve_ref(db, ref, year=year, issuer=issuer)
    if not roots:
        return {"query": ref, "targets": [], "implementers": [], "truncated": False}
    if transitive:
        visited, edges, truncated = _subgraph(conn, roots, relations, True, limit)
    else:
        edges = [tuple(r) for r in conn.execute(
            f"select source, target, relation, origin from edges where target in "
            f"(select value from json_each(?)) and relation in ({_in_list(relations)})",
            [json.dumps(roots), *relations])]
        visited = set(roots) | {e[0] for e in edges}
        truncated = False
    nodes = nodes_by_id(db, visited)
    parents = _bfs_tree(roots, edges, nodes, down=True)
    out = []
    for nid, (depth, hops) in parents.items():
        if nid in roots:
            continue
        path = [nid] + [h[1] for h in hops]
        n = nodes[nid]
        out.append({"node": n, "label": n["label"], "depth": depth,
                    "relation": hops[0][2], "path": [nodes[p]["label"] for p in path],
                    "hops": [{"from": nodes[a]["label"], "relation": r, "to": nodes[b]["label"],
                              "origin": o} for a, b, r, o in hops]})
    out.sort(key=lambda x: (x["depth"], x["label"]))
    if limit is not None and len(out) > limit:
        out, truncated = out[:limit], True
    return {"query": ref, "targets": [nodes[r] for r in roots], "implementers": out,
            "transitive": transitive, "truncated": truncated}


def _bfs_tree(roots, edges, nodes, *, down: bool) -> dict[int, tuple[int, list]]:
    """Shortest path from every node to the roots over `edges` (source, target, rel, origin):
    node → (depth, [(from, to, relation, origin), …]). Ties go to the strongest relation, then
    the label, so the answer does not depend on node ids."""
    adj: dict[int, list] = defaultdict(list)
    for s, t, rel, origin in edges:
        if down:
            adj[t].append((s, (s, t, rel, origin)))
        else:
            adj[s].append((t, (s, t, rel, origin)))
    for k in adj:
        adj[k].sort(key=lambda x: (relation_rank(x[1][2]), nodes[x[0]]["ident"] if x[0] in nodes
                                   else "", x[1][3]))
    best: dict[int, tuple[int, list]] = {r: (0, []) for r in roots}
    frontier = sorted(roots, key=lambda r: nodes[r]["ident"] if r in nodes else "")
    while frontier:
        nxt = []
        for u in frontier:
            d, hops = best[u]
            for v, edge in adj.get(u, ()):
                if v not in best:
                    best[v] = (d + 1, [edge] + hops)
                    nxt.append(v)
        frontier = nxt
    return best


def trace(db, ref: str, *, relations: Sequence[str] = LINEAGE,
          limit: Optional[int] = None) -> dict:
    """The lineage upward from a document or key: everything it implements or is based on,
    transitively, as a tree per root (a node met again is shown once more as a repeat, without
    its subtree), plus the flat node and edge lists."""
    conn = _ready(db)
    roots = resolve_ref(db, ref)
    if not roots:
        return {"query": ref, "roots": [], "trees": [], "nodes": [], "edges": []}
    visited, edges, truncated = _subgraph(conn, roots, relations, False, limit)
    nodes = nodes_by_id(db, visited)
    out_edges: dict[int, dict[int, list]] = defaultdict(dict)
    for s, t, rel, origin in edges:
        out_edges[s].setdefault(t, []).append((rel, origin))

    def children(nid):
        kids = []
        for t, rels in out_edges.get(nid, {}).items():
            r, o = sorted(rels, key=lambda x: (relation_rank(x[0]), x[1]))[0]
            kids.append((relation_rank(r), nodes[t]["label"], t, r, o))
        return [(t, r, o) for _, _, t, r, o in sorted(kids)]

    def build(root):
        """Depth-first, iteratively (a long chain must not hit Python's recursion limit)."""
        shown: set[int] = set()
        top = {"node": nodes[root], "label": nodes[root]["label"], "relation": None,
               "origin": None, "children": []}
        shown.add(root)
        stack = [(top, iter(children(root)))]
        while stack:
            item, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                continue
            t, r, o = nxt
            child = {"node": nodes[t], "label": nodes[t]["label"], "relation": r, "origin": o,
                     "children": []}
            item["children"].append(child)
            if t in shown:
                child["repeat"] = True
                continue
            shown.add(t)
            stack.append((child, iter(children(t))))
        return top

    trees = [build(r) for r in roots]
    return {"query": ref, "roots": [nodes[r] for r in roots], "trees": trees,
            "nodes": sorted(nodes.values(), key=lambda n: n["label"]),
            "edges": [{"source": nodes[s]["label"], "relation": r, "target": nodes[t]["label"],
                       "origin": o} for s, t, r, o in sorted(
                           edges, key=lambda e: (nodes[e[0]]["label"], nodes[e[1]]["label"],
                                                 e[2], e[3]))],
            "truncated": truncated}


def tree_labels(tree: dict) -> set[str]:
    """Every label in a trace tree (handy for checks)."""
    out = {tree["label"]}
    for c in tree["children"]:
        out |= tree_labels(c)
    return out
