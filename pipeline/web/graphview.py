"""What the directive and lineage pages show, from the citation graph (pipeline.graph), the one
graph implementation the CLI and the notebook use too.

  desc      {id, label, stored, doc_id, key, type, issuer, date, title}   one graph node
  directive {ref, me, targets, info, cited_by, implementers, coverage, upward,
             implementers_answer (graph.implementers' own answer, for the deadlines query)}
  lineage   {focus, nodes: [desc + depth, side, focus], edges, truncated}

A `ref` names what a page is about: `node:<id>` or a key (a key may name several nodes: same
number, other issuer or period).

The server opens the database read-only, so it never writes the graph tables: `directives serve`
brings them up to date before serving (`prepare`). When a writer adds documents while it serves,
the graph queries raise GraphOutOfDate and the pages say so.
"""
from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Iterable, Optional

from .. import graph
from ..domain import RELATION_STRENGTH
from ..storage import browse

MAX_NODES = 400  # a lineage graph larger than this is cut (and says so)


def _sdb(conn):
    """The graph takes a sqlite_utils.Database (it reads `.conn`)."""
    if hasattr(conn, "conn"):
        return conn
    import sqlite_utils

    return sqlite_utils.Database(conn)


def prepare(db_path) -> int:
    """Bring the graph tables of `db_path` up to date (read-write, once, before serving).
    Returns how many documents were brought in."""
    from ..storage import open_db

    db = open_db(db_path)
    try:
        return graph.sync(db)
    finally:
        db.close()


# --------------------------------------------------------------------------- refs

def resolve(conn, *, key: str = "", doc: str = "", node: str = "") -> Optional[str]:
    """The ref named by request parameters, or None when nothing in the database matches."""
    sdb = _sdb(conn)
    if node:
        if not node.isdigit():
            return None
        return f"node:{int(node)}" if graph.resolve_ref(sdb, f"node:{int(node)}") else None
    if doc:
        node = graph.node_of_document(sdb, int(doc)) if doc.isdigit() else None
        return f"node:{node}" if node is not None else None
    if key:
        return key if graph.resolve_ref(sdb, key) else None
    return None


def homonyms(conn, ref: str) -> list[dict]:
    """The documents a number names when it names more than one (the same number issued by two
    provinces, or in two years): each is a page of its own, never merged into one."""
    if ref.startswith(("node:", "doc:")):
        return []
    sdb = _sdb(conn)
    ids = graph.resolve_ref(sdb, ref)
    if len(ids) < 2:
        return []
    nodes = graph.nodes_by_id(sdb, ids)
    return [_gdesc(nodes[i]) for i in ids]


def ref_key(ref: str) -> Optional[str]:
    return None if ref.startswith(("node:", "doc:")) else ref


# --------------------------------------------------------------------------- descs

def _gdesc(n: dict) -> dict:
    """A node as the pages show it. `label` names it in a line of text: its number, else (a
    stored document without one) its type and file name; `caption` is what a drawing shows:
    number · issuer · title, shortened."""
    path = n.get("path")
    if n.get("key"):
        label = n["key"]
    elif path and n.get("title"):  # a draft without its number: its type and title, not a file
        label = f"{n.get('type') or 'doc'} · {_short(n['title'], 48)}"
    elif path:
        label = f"{n.get('type') or 'doc'} · {Path(path).name[:28]}"
    else:
        label = n.get("label") or f"node {n['id']}"
    title = None if label.endswith(_short(n.get("title"), 48) or "\0") else _short(n.get("title"), 60)
    caption = " · ".join(x for x in (label, _short(n.get("issuer"), 40), title) if x)
    return {"id": f"node:{n['id']}", "label": label, "caption": caption,
            "stored": bool(n.get("document_id")), "doc_id": n.get("document_id"),
            "key": n.get("key"), "type": n.get("type"), "issuer": n.get("issuer"),
            "date": n.get("date"), "title": n.get("title"),
            "ambiguous": bool(n.get("ambiguous")), "status": n.get("status")}


def _expected(expected: list[dict]) -> list[dict]:
    """The bodies the implementing plans send themselves to, once each: which plans name them
    and which implementing documents they issued."""
    rows: dict[str, dict] = {}
    for e in expected:
        r = rows.setdefault(e["body"], {"body": e["body"], "plans": {}, "implemented_by": []})
        r["plans"][e["plan_document_id"]] = e["plan"]
        r["implemented_by"] = list(dict.fromkeys(r["implemented_by"] + e["implemented_by"]))
    return sorted(rows.values(), key=lambda r: (not r["implemented_by"], r["body"]))


def _by_issuer(implementers: list[dict]) -> list[dict]:
    """Implementers grouped by issuing body (what coverage can say when the directive itself,
    and so its list of recipients, is not stored): the bodies with the most plans first."""
    groups: dict[str, list] = {}
    for it in implementers:
        groups.setdefault(it["desc"].get("issuer") or "", []).append(it["desc"])
    return [{"issuer": k, "documents": v}
            for k, v in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0] == "", kv[0]))]


def _short(s: Optional[str], n: int) -> Optional[str]:
    if not s:
        return None
    return s if len(s) <= n else s[:n - 1].rstrip() + "…"


def relations(conn, ref: str) -> dict:
    """The relations panel (as a legal portal shows it): what `ref` does to other documents and
    what they do to it, grouped by relation, strongest first, and its validity status."""
    sdb = _sdb(conn)
    out: dict[str, dict] = {"outgoing": {}, "incoming": {}}
    for c in graph.cites(sdb, ref).get("cites", []):
        out["outgoing"].setdefault(c["relation"], []).append(_gdesc(c["node"]))
    for c in graph.cited_by(sdb, ref).get("citing", []):
        out["incoming"].setdefault(c["relation"], []).append(_gdesc(c["node"]))
    order = {r: i for i, r in enumerate(RELATION_STRENGTH)}
    for side in ("outgoing", "incoming"):
        out[side] = dict(sorted(out[side].items(), key=lambda kv: order.get(kv[0], 99)))
    v = graph.validity(sdb, ref)
    out["status"] = v.get("status")
    out["acts"] = [{"relation": rel, "desc": _gdesc(x["node"]), "date": x.get("date"),
                    "effective": x.get("effective")}
                   for rel, field in (("replaces", "replaced_by"), ("repeals", "repealed_by"),
                                      ("amends", "amended_by")) for x in v.get(field, [])]
    return out


# --------------------------------------------------------------------------- directive page

def directive(conn, ref: str) -> Optional[dict]:
    """Everything the directive page shows of `ref`, or None when no node matches."""
    sdb = _sdb(conn)
    cb = graph.cited_by(sdb, ref)
    targets = [_gdesc(t) for t in cb["targets"]]
    if not targets:
        return None
    me = targets[0]
    cited = []
    for c in cb["citing"]:
        cited.append({"desc": _gdesc(c["node"]), "relation": c["relation"], "via": "citation",
                      "mentions": c["mentions"], "evidence": c.get("evidence"),
                      "positions": c.get("positions", [])})
    # "Implemented by" means implements, through any chain of implementing plans: a document
    # that only gives it as a basis ("Căn cứ") is listed under relations, not here
    imp = graph.implementers(sdb, ref, transitive=True, relations=("implements",))
    by_label = {t["label"]: t for t in targets}
    by_label.update({t["node"]["label"]: _gdesc(t["node"]) for t in imp["implementers"]})
    by_label.update({n["label"]: _gdesc(n) for n in imp.get("targets", [])})
    implementers = []
    for it in imp["implementers"]:
        path = [by_label.get(lbl) or {"id": None, "label": lbl, "doc_id": None}
                for lbl in it["path"]]
        implementers.append({"desc": _gdesc(it["node"]), "depth": it["depth"],
                             "relation": it["relation"], "path": path})
    cov = graph.coverage(sdb, ref, relations=("implements",))  # as "Implemented by" above
    rows_ = []
    for r in cov.get("recipients", []):
        rows_.append({"recipient": r["recipient"], "for_report": r.get("for_report", False),
                      "bodies": [{"body": b["body"], "documents": [
                          {"label": x["label"], "doc_id": x["document_id"],
                           "issuer": x.get("issuer")} for x in b["implemented_by"]]}
                          for b in r["bodies"]]})
    coverage = {"known": not cov.get("note"), "reason": cov.get("note"), "rows": rows_,
                "covered": len(cov.get("covered", [])), "missing": len(cov.get("missing", [])),
                "by_issuer": _by_issuer(implementers) if cov.get("note") else [],
                "expected": _expected(cov.get("expected", []))}
    up = graph.cites(sdb, ref)
    upward = [{"desc": _gdesc(c["node"]), "relation": c["relation"], "via": "citation"}
              for c in up.get("cites", [])]
    return {"ref": ref, "me": me, "targets": targets, "info": _info(conn, me, targets),
            "cited_by": cited, "implementers": implementers, "coverage": coverage,
            "upward": upward, "implementers_answer": imp}


def _info(conn, me: dict, targets: list[dict]) -> dict:
    key = me.get("key")
    info = {"key": key, "type": me.get("type"), "type_name": browse.type_name(me.get("type")),
            "issuer": me.get("issuer"), "date": me.get("date"), "title": me.get("title"),
            "term": None, "stored": any(t["stored"] for t in targets),
            "documents": [{"id": t["doc_id"], "label": t["label"]} for t in targets
                          if t["stored"]],
            "mentions": 0, "label": me["label"]}
    if info["stored"]:
        d = browse.document(conn, info["documents"][0]["id"])
        if d:
            info.update(type_name=d.get("type_name") or info["type_name"],
                        issuer=d.get("issuer") or info["issuer"],
                        date=d.get("date") or d.get("date_text") or info["date"],
                        title=d.get("title") or info["title"])
    if key:
        info["mentions"], info["term"] = browse.mention_count(conn, key)
    return info


# --------------------------------------------------------------------------- lineage graph

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


def lineage(conn, ref: str, up: int = 6, down: int = 6, mentions: bool = False) -> dict:
    """The graph around `ref` as drawn: what it descends from (up) and what descends from it
    (down), along graph.DRAWN_RELATIONS; with `mentions`, plain mentions one step away."""
    g = graph
    sdb = _sdb(conn)
    roots = g.resolve_ref(sdb, ref)
    if not roots:
        return {"focus": ref, "nodes": [], "edges": [], "truncated": False}
    cap = MAX_NODES
    tr = g.trace(sdb, ref, relations=graph.DRAWN_RELATIONS, limit=cap)
    imp = g.implementers(sdb, ref, transitive=True, relations=graph.DRAWN_RELATIONS, limit=cap)
    up_ids = {n["id"] for n in tr["nodes"]}
    down_depth = {it["node"]["id"]: it["depth"] for it in imp["implementers"]}
    ids = sorted(up_ids | set(down_depth) | set(roots))
    edges = {(e["source"], e["target"]): (e["relation"],
                                          "citation" if e["origin"] == "cited" else e["origin"])
             for e in graph.edges_among(sdb, ids, graph.DRAWN_RELATIONS)}
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
    return {"focus": focus, "nodes": out_nodes, "edges": out_edges, "truncated": truncated}
