"""The graph as networkx, GraphML/GEXF/JSON/DOT files, statistics, ambiguities and an id-free
snapshot for comparing databases."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Optional, Sequence

from .queries import LINEAGE, NODE_COLS, _in_list, _label, _ready, nodes_by_id


# --------------------------------------------------------------------------- networkx

def to_networkx(db, *, relations: Optional[Sequence[str]] = None, origins=("cited", "stated")):
    """The graph as a networkx MultiDiGraph keyed by node identity (stable across databases):
    one edge per (relation, origin) with its mention count and first evidence."""
    import networkx as nx

    conn = _ready(db)
    g = nx.MultiDiGraph()
    cols = ", ".join(f"n.{c}" for c in NODE_COLS)
    idents: dict[int, str] = {}
    for r in conn.execute(f"select {cols}, d.path from nodes n left join documents d "
                          f"on d.id = n.document_id"):
        n = dict(zip(NODE_COLS + ("path",), r))
        n["label"] = _label(n)
        idents[n["id"]] = n["ident"]
        attrs = {k: v for k, v in n.items() if v is not None and k not in ("ident",)}
        attrs["node_id"] = attrs.pop("id")
        g.add_node(n["ident"], **attrs)
    where, args = ["origin in (" + _in_list(origins) + ")"], list(origins)
    if relations:
        where.append("relation in (" + _in_list(relations) + ")")
        args += list(relations)
    for s, t, rel, origin, n, first_date, ev in conn.execute(
            "select source, target, relation, origin, mentions, first_date, first_evidence "
            f"from edges where {' and '.join(where)}", args):
        attrs = {"relation": rel, "origin": origin, "mentions": n}
        if first_date:
            attrs["first_date"] = first_date
        if ev:
            attrs["evidence"] = ev
        g.add_edge(idents[s], idents[t], key=f"{rel}:{origin}", **attrs)
    return g


def _dot_quote(s: Any) -> str:
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(g) -> str:
    """Graphviz DOT text (no pydot needed): documents as boxes, cited-only as ellipses,
    ambiguous dashed; lineage edges bold."""
    lines = ["digraph directives {", "  rankdir=BT;", "  node [fontname=\"Helvetica\"];"]
    for n, a in sorted(g.nodes(data=True)):
        shape = "box" if a.get("status") == "document" else "ellipse"
        style = ', style="dashed"' if a.get("status") == "ambiguous" else ""
        tip = a.get("title") or ""
        lines.append(f"  {_dot_quote(n)} [label={_dot_quote(a.get('label', n))}, shape={shape}"
                     f"{style}, tooltip={_dot_quote(tip[:200])}];")
    for s, t, k, a in sorted(g.edges(keys=True, data=True)):
        bold = ", style=bold" if a.get("relation") in LINEAGE else ""
        dashed = ", style=dashed" if a.get("origin") == "stated" else ""
        lines.append(f"  {_dot_quote(s)} -> {_dot_quote(t)} [label="
                     f"{_dot_quote(a.get('relation'))}{bold or dashed}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


EXPORT_FORMATS = ("graphml", "gexf", "json", "dot")


def export(db, fmt: str, path: Optional[str] = None, *,
           relations: Optional[Sequence[str]] = None) -> str:
    """Write the graph as GraphML or GEXF (Gephi), node-link JSON, or DOT (Graphviz) to `path`,
    or return it as text when no path is given."""
    import io

    import networkx as nx

    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(EXPORT_FORMATS)}")
    g = to_networkx(db, relations=relations)
    if fmt == "json":
        text = json.dumps(nx.node_link_data(g, edges="links"), ensure_ascii=False, indent=1)
    elif fmt == "dot":
        text = to_dot(g)
    else:
        buf = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(g, buf)
        text = buf.getvalue().decode("utf-8")
    if path:
        Path(path).write_text(text, encoding="utf-8")
    return text


def stats(db, *, top: int = 10, pagerank: bool = True) -> dict:
    """Counts, most cited nodes (distinct citing nodes), most implemented (direct implementers),
    and PageRank over the citation graph (networkx)."""
    conn = _ready(db)
    count = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    out: dict[str, Any] = {
        "nodes": count("select count(*) from nodes"),
        "documents": count("select count(*) from nodes where status = 'document'"),
        "cited_only": count("select count(*) from nodes where status = 'cited'"),
        "ambiguous": count("select count(*) from nodes where ambiguous = 1"),
        "edges": count("select count(*) from edges"),
        "stated_edges": count("select count(*) from edges where origin = 'stated'"),
        "mentions": count("select count(*) from mention_links"),
    }

    def ranked(sql, args):
        rows = conn.execute(sql, args).fetchall()
        nodes = nodes_by_id(db, [r[0] for r in rows])
        return [{"label": nodes[r[0]]["label"], "node": r[0], "status": nodes[r[0]]["status"],
                 "citing": r[1], "mentions": r[2]} for r in rows]

    out["most_cited"] = ranked(
        "select target, count(distinct source), sum(mentions) from edges where origin = 'cited' "
        "group by target order by 2 desc, 3 desc, target limit ?", [top])
    out["most_implemented"] = ranked(
        "select target, count(distinct source), sum(mentions) from edges "
        "where relation = 'implements' group by target order by 2 desc, 3 desc, target limit ?",
        [top])
    if pagerank:
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(r[0] for r in conn.execute("select id from nodes"))
        g.add_edges_from(conn.execute("select distinct source, target from edges"))
        pr = nx.pagerank(g) if g.number_of_edges() else {}
        best = sorted(pr.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        nodes = nodes_by_id(db, [k for k, _ in best])
        out["pagerank"] = [{"label": nodes[k]["label"], "node": k, "score": round(v, 6)}
                           for k, v in best]
    return out


def ambiguities(db, *, limit: int = 100) -> list[dict]:
    """Ambiguous nodes with their candidates: the matches the graph refused to guess."""
    conn = _ready(db)
    rows = conn.execute("select id from nodes where ambiguous = 1 order by ident limit ?",
                        [limit]).fetchall()
    ids = [r[0] for r in rows]
    cands: dict[int, list[int]] = defaultdict(list)
    for a, b in conn.execute("select node_id, candidate_id from node_candidates where node_id in "
                             "(select value from json_each(?))", [json.dumps(ids)]):
        cands[a].append(b)
    nodes = nodes_by_id(db, ids + [c for v in cands.values() for c in v])
    return [{"node": nodes[i], "candidates": sorted((nodes[c] for c in cands[i]),
                                                    key=lambda n: n["ident"])} for i in ids]


def snapshot(db) -> dict:
    """An id-free picture of the graph (nodes by identity, edges between identities, each
    mention's node), for comparing databases built in different orders or ways."""
    conn = _ready(db)
    nodes = {}
    for ident, status, key, amb, path, date, title in conn.execute(
            "select n.ident, n.status, n.key, n.ambiguous, d.path, n.date, n.title "
            "from nodes n left join documents d on d.id = n.document_id"):
        nodes[ident] = (status, key, amb, path, date, title)
    cands = {(a, b) for a, b in conn.execute(
        "select n.ident, c.ident from node_candidates x join nodes n on n.id = x.node_id "
        "join nodes c on c.id = x.candidate_id")}
    rows = conn.execute(
        "select s.ident, t.ident, e.relation, e.origin, e.mentions, e.sources, e.first_date, "
        "e.first_evidence from edges e join nodes s on s.id = e.source "
        "join nodes t on t.id = e.target")
    edges = {(s, t, rel, origin): (n, k, fd, ev) for s, t, rel, origin, n, k, fd, ev in rows}
    mentions = {(p, st, k): n for p, st, k, n in conn.execute(
        "select d.path, c.start, c.key, n.ident from mention_links l "
        "join citations c on c.id = l.citation_id join documents d on d.id = l.document_id "
        "join identities i on i.id = l.identity_id join nodes n on n.id = i.node_id")}
    return {"nodes": nodes, "candidates": cands, "edges": edges, "mentions": mentions}
