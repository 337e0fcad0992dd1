"""What the directive and lineage pages show, from the citation graph library (pipeline.graph)
when its tables are ready, else from the citations/relations tables (`data`'s fallback).

Both sources give the same shapes, so the templates do not care which one answered:

  desc      {id, label, stored, doc_id, key, type, issuer, date, title}   one graph node
  directive {ref, backend, me, targets, info, cited_by, implementers, coverage, upward}
  lineage   {focus, backend, nodes: [desc + depth, side, focus], edges, truncated}

A `ref` names what a page is about: with the graph library `node:<id>` or a key (a key may name
several nodes: same number, other issuer or period); without it a key or `doc:<id>`.

The server opens the database read-only, so it never builds the graph tables itself: `directives
serve` brings them up to date before serving (`prepare`). When they are missing or out of date
anyway, the pages fall back to the tables rather than fail.
"""
from __future__ import annotations

import json
import logging
import sqlite3
from collections import deque
from pathlib import Path
from typing import Iterable, Optional

from . import data

log = logging.getLogger(__name__)
LINEAGE_RELATIONS = data.LINEAGE_RELATIONS
_NEEDED = ("resolve_ref", "nodes_by_id", "cited_by", "cites", "implementers", "trace",
           "coverage", "sync")


# --------------------------------------------------------------------------- backend choice

def graph_module():
    """pipeline.graph when it provides the functions used here, else None."""
    try:
        from .. import graph
    except Exception:  # noqa: BLE001 - an unfinished or broken module must not break the pages
        return None
    return graph if all(hasattr(graph, f) for f in _NEEDED) else None


def _sdb(conn):
    """graph.py takes a sqlite_utils.Database (it reads `.conn`)."""
    if hasattr(conn, "conn"):
        return conn
    import sqlite_utils

    return sqlite_utils.Database(conn)


def graph_ready(conn) -> bool:
    """The graph library is there and its tables are built and in step with the documents, so
    reading them needs no write (the server's connections are read-only)."""
    if graph_module() is None:
        return False
    c = getattr(conn, "conn", conn)
    try:
        if not c.execute("select 1 from sqlite_master where type = 'table' and name = 'edges'"
                         ).fetchone():
            return False
        return c.execute("select 1 from graph_dirty limit 1").fetchone() is None
    except sqlite3.Error:
        return False


def backend(conn) -> str:
    return "graph" if graph_ready(conn) else "tables"


def prepare(db_path) -> Optional[int]:
    """Build or update the graph tables of `db_path` (read-write, once, before serving).
    Returns how many documents were brought in, or None without the graph library."""
    g = graph_module()
    if g is None:
        return None
    from ..store import open_db

    db = open_db(db_path)
    try:
        return g.sync(db)
    finally:
        db.close()


# --------------------------------------------------------------------------- refs

def resolve(conn, *, key: str = "", doc: str = "", node: str = "") -> Optional[str]:
    """The ref named by request parameters, or None when nothing in the database matches."""
    if graph_ready(conn):
        g = graph_module()
        sdb = _sdb(conn)
        if node:
            if not node.isdigit():
                return None
            return f"node:{int(node)}" if g.resolve_ref(sdb, f"node:{int(node)}") else None
        if doc:
            d = data.document(conn, int(doc)) if doc.isdigit() else None
            if not d:
                return None
            ids = g.resolve_ref(sdb, d["path"])
            return f"node:{ids[0]}" if ids else None
        if key:
            return key if g.resolve_ref(sdb, key) else None
        return None
    if node:
        return None
    if doc:
        d = data.document(conn, int(doc)) if doc.isdigit() else None
        return d["node"] if d else None
    if key and data.one(conn, "select 1 as x from documents where key = ? union all "
                              "select 1 from citations where key = ? union all "
                              "select 1 from relations where source = ? or target = ? limit 1",
                        [key, key, key, key]):
        return key
    return None


def ref_key(ref: str) -> Optional[str]:
    return None if ref.startswith(("node:", "doc:")) else ref


# --------------------------------------------------------------------------- descs

def _gdesc(n: dict) -> dict:
    path = n.get("path")
    if n.get("key"):
        label = n["key"]
    elif path:
        label = f"{n.get('type') or 'doc'} · {Path(path).name[:28]}"
    else:
        label = n.get("label") or f"node {n['id']}"
    return {"id": f"node:{n['id']}", "label": label, "stored": bool(n.get("document_id")),
            "doc_id": n.get("document_id"), "key": n.get("key"), "type": n.get("type"),
            "issuer": n.get("issuer"), "date": n.get("date"), "title": n.get("title"),
            "ambiguous": bool(n.get("ambiguous")), "status": n.get("status")}


def _doc_ids_by_path(conn, paths: Iterable[str]) -> dict[str, int]:
    paths = sorted({p for p in paths if p})
    out = {}
    for i in range(0, len(paths), 500):
        chunk = paths[i:i + 500]
        for r in data.rows(conn, f"select path, id from documents where path in "
                                 f"({','.join('?' * len(chunk))})", chunk):
            out[r["path"]] = r["id"]
    return out


# --------------------------------------------------------------------------- directive page

def directive(conn, ref: str) -> dict:
    if graph_ready(conn):
        try:
            return _graph_directive(conn, ref)
        except Exception:  # noqa: BLE001 - show what the tables know rather than an error page
            log.exception("graph library failed on %r; answering from the tables", ref)
    return _tables_directive(conn, ref)


def _info(conn, me: dict, targets: list[dict]) -> dict:
    key = me.get("key")
    info = {"key": key, "type": me.get("type"), "type_name": data.type_name(me.get("type")),
            "issuer": me.get("issuer"), "date": me.get("date"), "title": me.get("title"),
            "term": None, "stored": any(t["stored"] for t in targets),
            "documents": [{"id": t["doc_id"], "label": t["label"]} for t in targets
                          if t["stored"]],
            "mentions": 0, "label": me["label"]}
    if info["stored"]:
        d = data.document(conn, info["documents"][0]["id"])
        if d:
            info.update(type_name=d.get("type_name") or info["type_name"],
                        issuer=d.get("issuer") or info["issuer"],
                        date=d.get("date") or d.get("date_text") or info["date"],
                        title=d.get("title") or info["title"])
    if key:
        r = data.one(conn, "select count(*) as n, max(term) as term from citations where key = ?",
                     [key])
        info["mentions"], info["term"] = r["n"], r["term"]
    return info


def _graph_directive(conn, ref: str) -> dict:
    g = graph_module()
    sdb = _sdb(conn)
    cb = g.cited_by(sdb, ref)
    targets = [_gdesc(t) for t in cb["targets"]]
    if not targets:
        return _tables_directive(conn, ref)
    me = targets[0]
    cited = []
    for c in cb["citing"]:
        cited.append({"desc": _gdesc(c["node"]), "relation": c["relation"], "via": "citation",
                      "mentions": c["mentions"], "evidence": c.get("evidence"),
                      "positions": c.get("positions", [])})
    imp = g.implementers(sdb, ref, transitive=True)
    by_label = {t["label"]: t for t in targets}
    by_label.update({t["node"]["label"]: _gdesc(t["node"]) for t in imp["implementers"]})
    by_label.update({n["label"]: _gdesc(n) for n in imp.get("targets", [])})
    implementers = []
    for it in imp["implementers"]:
        path = [by_label.get(lbl) or {"id": None, "label": lbl, "doc_id": None}
                for lbl in it["path"]]
        implementers.append({"desc": _gdesc(it["node"]), "depth": it["depth"],
                             "relation": it["relation"], "path": path})
    cov = g.coverage(sdb, ref)
    paths = [x["path"] for r in cov.get("recipients", []) for b in r["bodies"]
             for x in b["implemented_by"]]
    ids = _doc_ids_by_path(conn, paths)
    rows_ = []
    for r in cov.get("recipients", []):
        rows_.append({"recipient": r["recipient"], "for_report": r.get("for_report", False),
                      "bodies": [{"body": b["body"], "documents": [
                          {"label": x["label"], "doc_id": ids.get(x["path"]),
                           "issuer": x.get("issuer")} for x in b["implemented_by"]]}
                          for b in r["bodies"]]})
    coverage = {"known": not cov.get("note"), "reason": cov.get("note"), "rows": rows_,
                "covered": len(cov.get("covered", [])), "missing": len(cov.get("missing", []))}
    up = g.cites(sdb, ref)
    upward = [{"desc": _gdesc(c["node"]), "relation": c["relation"], "via": "citation"}
              for c in up.get("cites", [])]
    return {"ref": ref, "backend": "graph", "me": me, "targets": targets,
            "info": _info(conn, me, targets), "cited_by": cited, "implementers": implementers,
            "coverage": coverage, "upward": upward, "implementers_answer": imp}


def _tables_directive(conn, ref: str) -> dict:
    node = ref
    descs = data.describe_nodes(conn, [node])
    me = dict(descs[node])
    targets = [me]
    cited = [{"desc": None, "node": c["node"], "relation": c["relation"], "via": c["via"],
              "mentions": c["mentions"], "evidence": None, "positions": []}
             for c in data.cited_by(conn, node)]
    impl = data.implementers(conn, node)
    cov = data.coverage(conn, node)
    upward = data.outgoing(conn, node)
    all_ids = ([c["node"] for c in cited] + [n for i in impl for n in i["path"]]
               + [e["target"] for e in upward])
    d = data.describe_nodes(conn, all_ids)
    for c in cited:
        c["desc"] = d[c.pop("node")]
    implementers = [{"desc": d[i["node"]], "depth": i["depth"], "relation": "implements",
                     "path": [d[n] for n in i["path"]]} for i in impl]
    rows_ = []
    if cov["known"]:
        covered = {r["recipient"]: r["documents"] for r in cov["covered"]}
        for rec in cov["recipients"]:
            docs = covered.get(rec, [])
            rows_.append({"recipient": rec, "for_report": False, "bodies": [
                {"body": rec, "documents": [{"label": x["label"], "doc_id": x["id"],
                                             "issuer": x["issuer"]} for x in docs]}]})
    coverage = {"known": cov["known"], "reason": cov["reason"], "rows": rows_,
                "covered": len(cov["covered"]), "missing": len(cov["missing"])}
    up = [{"desc": d[e["target"]], "relation": e["relation"], "via": e["via"]} for e in upward]
    return {"ref": ref, "backend": "tables", "me": me, "targets": targets,
            "info": _info(conn, me, targets), "cited_by": cited, "implementers": implementers,
            "coverage": coverage, "upward": up}


# --------------------------------------------------------------------------- lineage graph

def lineage(conn, ref: str, up: int = 6, down: int = 6, mentions: bool = False) -> dict:
    if graph_ready(conn):
        try:
            return _graph_lineage(conn, ref, up, down, mentions)
        except Exception:  # noqa: BLE001
            log.exception("graph library failed on %r; answering from the tables", ref)
    return _tables_lineage(conn, ref, up, down, mentions)


def _tables_lineage(conn, ref: str, up: int, down: int, mentions: bool) -> dict:
    g = data.lineage(conn, ref, up=up, down=down, mentions=mentions)
    descs = data.describe_nodes(conn, [n["id"] for n in g["nodes"]])
    nodes = [{**descs[n["id"]], "depth": n.get("depth", 0), "side": n.get("side"),
              "focus": n["id"] == ref} for n in g["nodes"]]
    edges = [{"source": e["source"], "target": e["target"], "relation": e["relation"],
              "via": e.get("via")} for e in g["edges"]]
    return {"focus": ref, "backend": "tables", "nodes": nodes, "edges": edges,
            "truncated": g.get("truncated", False)}


def _bfs_depths(roots: Iterable[int], adj: dict[int, set]) -> dict[int, int]:
    depth = {r: 0 for r in roots}
    queue = deque(depth)
    while queue:
        u = queue.popleft()
        for v in adj.get(u, ()):
            if v not in depth:
                depth[v] = depth[u] + 1
                queue.append(v)
    return depth


def _graph_lineage(conn, ref: str, up: int, down: int, mentions: bool) -> dict:
    g = graph_module()
    sdb = _sdb(conn)
    c = getattr(conn, "conn", conn)
    roots = g.resolve_ref(sdb, ref)
    if not roots:
        return {"focus": ref, "backend": "graph", "nodes": [], "edges": [], "truncated": False}
    cap = data.MAX_NODES
    tr = g.trace(sdb, ref, relations=LINEAGE_RELATIONS, limit=cap)
    imp = g.implementers(sdb, ref, transitive=True, relations=LINEAGE_RELATIONS, limit=cap)
    up_ids = {n["id"] for n in tr["nodes"]}
    down_depth = {it["node"]["id"]: it["depth"] for it in imp["implementers"]}
    rels = list(LINEAGE_RELATIONS)
    # every lineage edge among the nodes found (the graph's documented `edges` table)
    ids = sorted(up_ids | set(down_depth) | set(roots))
    edges = {}
    for s, t, rel, origin in c.execute(
            "select source, target, relation, origin from edges where relation in "
            f"({','.join('?' * len(rels))}) and source in (select value from json_each(?)) "
            "and target in (select value from json_each(?))",
            [*rels, json.dumps(ids), json.dumps(ids)]):
        k = (s, t)
        if k not in edges or data.strongest([edges[k][0], rel]) == rel and edges[k][0] != rel:
            edges[k] = (rel, "citation" if origin == "cited" else origin)
    up_adj: dict[int, set] = {}
    for (s, t) in edges:
        if s in up_ids and t in up_ids:
            up_adj.setdefault(s, set()).add(t)
    up_depth = _bfs_depths(roots, up_adj)
    keep = set(roots)
    depth = {r: 0 for r in roots}
    side = {r: "focus" for r in roots}
    for n, d in up_depth.items():
        if n not in keep and d <= up:
            keep.add(n)
            depth[n], side[n] = d, "up"
    for n, d in down_depth.items():
        if n not in keep and d <= down:
            keep.add(n)
            depth[n], side[n] = -d, "down"
    extra_edges = {}
    if mentions:
        for cc in g.cites(sdb, ref).get("cites", []):
            nid = cc["node"]["id"]
            if cc["relation"] == "mentions":
                for r in roots:
                    extra_edges[(r, nid)] = ("mentions", "citation")
                if nid not in keep:
                    keep.add(nid)
                    depth[nid], side[nid] = 1, "up"
        for cc in g.cited_by(sdb, ref).get("citing", []):
            nid = cc["node"]["id"]
            if cc["relation"] == "mentions":
                for r in roots:
                    extra_edges[(nid, r)] = ("mentions", "citation")
                if nid not in keep:
                    keep.add(nid)
                    depth[nid], side[nid] = -1, "down"
    truncated = bool(tr.get("truncated") or imp.get("truncated")) or len(keep) > cap
    keep = set(sorted(keep, key=lambda n: (abs(depth[n]), n))[:cap])
    nodes = g.nodes_by_id(sdb, keep)
    out_nodes = [{**_gdesc(nodes[n]), "depth": depth[n], "side": side[n], "focus": n in roots}
                 for n in sorted(keep, key=lambda n: (-depth[n], n))]
    out_edges = [{"source": f"node:{s}", "target": f"node:{t}", "relation": rel, "via": via}
                 for (s, t), (rel, via) in sorted({**extra_edges, **edges}.items())
                 if s in keep and t in keep]
    focus = f"node:{roots[0]}" if len(roots) == 1 else ref
    return {"focus": focus, "backend": "graph", "nodes": out_nodes, "edges": out_edges,
            "truncated": truncated}
