"""Read-side queries behind the web pages (and the notebook): plain functions over a read-only
SQLite connection that return plain dicts, so each one can be tested without a server.

Every query is parameterised. The citation-graph questions (cited by, implementers, lineage,
coverage) go through `graph_api()` first: when `pipeline.graph` provides the function it is used,
otherwise the fallback here answers from the `citations` and `relations` tables, so the pages
keep working while the graph library evolves.

A node of the graph is a document identity: its official key (`91-KL/TW`) when it has one, or
`doc:<id>` for a stored document without a number (drafts print "Số: /KH-UBND").
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict, deque
from datetime import date
from typing import Any, Iterable, Optional

from ..citations.grammar import fold_text

# Relations that make lineage (the citing document descends from the cited one). `mentions` is
# context, not lineage: it is shown only when asked for.
LINEAGE_RELATIONS = ("implements", "based_on", "amends", "replaces", "repeals", "guides")
STRENGTH = ("implements", "based_on", "amends", "replaces", "repeals", "guides", "mentions")
MAX_NODES = 400  # a lineage graph larger than this is cut (and says so)


# --------------------------------------------------------------------------- plumbing

def _conn(db) -> sqlite3.Connection:
    """A sqlite3 connection from a connection or a sqlite_utils.Database."""
    return getattr(db, "conn", db)


def rows(db, sql: str, params: Iterable[Any] = ()) -> list[dict]:
    cur = _conn(db).execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def one(db, sql: str, params: Iterable[Any] = ()) -> Optional[dict]:
    r = rows(db, sql, params)
    return r[0] if r else None


def strongest(relations: Iterable[str]) -> str:
    rels = [r for r in relations if r]
    if not rels:
        return "mentions"
    return min(rels, key=lambda r: STRENGTH.index(r) if r in STRENGTH else len(STRENGTH))


def node_of(doc: dict) -> str:
    """Graph node id of a stored document row."""
    return doc["key"] if doc.get("key") else f"doc:{doc['id']}"


def _file_name(path: str | None) -> str:
    return re.split(r"[\\/]", path or "")[-1]


def type_name(abbrev: Optional[str]) -> Optional[str]:
    """'KL' → 'Kết luận' (from models/doc_types.json), or None."""
    if not abbrev:
        return None
    try:
        from ..resources import load

        names = load("doc_types")["types"].get(abbrev, {}).get("names") or []
    except Exception:  # noqa: BLE001 - a display nicety only
        return None
    return names[0] if names else None


def doc_label(doc: dict) -> str:
    if doc.get("key"):
        return doc["key"]
    kind = doc.get("type") or "doc"
    return f"{kind} · {_file_name(doc.get('path'))[:24]}"


# --------------------------------------------------------------------------- documents

def document(db, doc_id: int) -> Optional[dict]:
    doc = one(db, "select * from documents where id = ?", [doc_id])
    if doc is None:
        return None
    try:
        doc["recipients"] = json.loads(doc.get("recipients") or "[]")
    except ValueError:
        doc["recipients"] = []
    doc["node"] = node_of(doc)
    doc["label"] = doc_label(doc)
    doc["file_name"] = _file_name(doc.get("path"))
    return doc


def documents_by_key(db, key: str) -> list[dict]:
    return rows(db, "select id, path, key, type, type_name, title, issuer, date, year "
                    "from documents where key = ? and status = 'ok' order by id", [key])


def outline(db, doc_id: int) -> list[dict]:
    return rows(db, "select sid, parent, level, kind, heading, start, end from sections "
                    "where document_id = ? order by start, level", [doc_id])


def citations_of(db, doc_id: int) -> list[dict]:
    out = rows(db, "select id, key, type, number, year, date, date_text, issuer, term, title, "
                   "relation, position, section, text, start, end, short_form "
                   "from citations where document_id = ? order by start", [doc_id])
    stored = stored_keys(db, [c["key"] for c in out if c["key"]])
    for c in out:
        c["target_doc"] = stored.get(c["key"]) if c["key"] else None
    return out


def deadlines_of(db, doc_id: int) -> list[dict]:
    out = rows(db, "select id, text, start, end, kind, value, modifier, label, section, task, "
                   "agency, partners from deadlines where document_id = ? order by start",
               [doc_id])
    for d in out:
        d["partners"] = _json_list(d.get("partners"))
    return out


def stored_keys(db, keys: Iterable[str]) -> dict[str, int]:
    """key → id of the (first) stored document with that own key."""
    keys = sorted(set(k for k in keys if k))
    out: dict[str, int] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for r in rows(db, f"select key, min(id) as id from documents where status = 'ok' and "
                          f"key in ({marks}) group by key", chunk):
            out[r["key"]] = r["id"]
    return out


def _json_list(value) -> list:
    try:
        v = json.loads(value or "[]")
    except (TypeError, ValueError):
        return []
    return v if isinstance(v, list) else []


def annotate(text: str, citations: list[dict], deadlines: list[dict],
             sections: list[dict] = ()) -> list[dict]:
    """Cut `text` into segments for display: each segment is {text, cite, deadline, anchors}.

    `cite`/`deadline` are the annotations covering the whole segment (the innermost citation
    when two overlap); `anchors` lists the ids to place before the segment (section starts,
    deadline starts). Spans outside the text are ignored. The caller escapes `text`.
    """
    n = len(text)
    bounds = {0, n}
    anchors: dict[int, list[str]] = defaultdict(list)
    cits = [c for c in citations if 0 <= c["start"] < c["end"] <= n]
    dls = [d for d in deadlines if 0 <= d["start"] < d["end"] <= n]
    for a in cits + dls:
        bounds.update((a["start"], a["end"]))
    for s in sections:
        if 0 <= s["start"] <= n:
            bounds.add(s["start"])
            anchors[s["start"]].append(f"sec-{s['sid']}")
    for d in dls:
        anchors[d["start"]].append(f"dl-{d['id']}")
    points = sorted(bounds)
    segs = []
    for a, b in zip(points, points[1:]):
        cover_c = [c for c in cits if c["start"] <= a and b <= c["end"]]
        cover_d = [d for d in dls if d["start"] <= a and b <= d["end"]]
        cite = min(cover_c, key=lambda c: c["end"] - c["start"]) if cover_c else None
        dl = min(cover_d, key=lambda d: d["end"] - d["start"]) if cover_d else None
        segs.append({"text": text[a:b], "cite": cite, "deadline": dl,
                     "first": bool(cite and cite["start"] == a),
                     "anchors": anchors.get(a, [])})
    if n in anchors:
        segs.append({"text": "", "cite": None, "deadline": None, "first": False,
                     "anchors": anchors[n]})
    return segs


# --------------------------------------------------------------------------- search

def fts_query(q: str) -> str:
    """Each word quoted, so user input is never FTS syntax; 'd' tried as 'đ' (query.fts_match)."""
    from ..query import fts_match

    return fts_match(q)


HIT_OPEN, HIT_CLOSE = "\x02", "\x03"


def split_snippet(snippet: str) -> list[tuple[str, bool]]:
    """Snippet text with hit markers → [(text, is_hit)] (rendered escaped by the template)."""
    out, pos = [], 0
    for m in re.finditer(f"{HIT_OPEN}(.*?){HIT_CLOSE}", snippet or "", re.S):
        if m.start() > pos:
            out.append((snippet[pos:m.start()], False))
        out.append((m.group(1), True))
        pos = m.end()
    if pos < len(snippet or ""):
        out.append((snippet[pos:].replace(HIT_OPEN, "").replace(HIT_CLOSE, ""), False))
    return out


FACETS = ("issuer", "type", "year")
NONE = "__none__"  # the facet value of a missing field


def facet_value(v) -> str:
    return NONE if v is None or v == "" else str(v)


def search(db, q: str = "", filters: Optional[dict] = None, limit: int = 50) -> dict:
    """Documents matching `q` (full text over sections, and title/key/issuer), narrowed by
    facet `filters` ({issuer, type, year}); facet counts are over the matches before the facet's
    own filter is applied (as datasette does). Without `q`, every stored document matches."""
    filters = {k: v for k, v in (filters or {}).items() if k in FACETS and v not in (None, "")}
    q = (q or "").strip()
    match_ids: Optional[set[int]] = None
    hits: dict[int, list[dict]] = defaultdict(list)
    if q:
        fq = fts_query(q)
        match_ids = set()
        if fq:
            try:
                found = rows(db,
                             "select s.document_id, s.sid, s.heading, s.start, "
                             "snippet(sections_fts, 1, ?, ?, '…', 16) as snippet "
                             "from sections_fts join sections s on s.rowid = sections_fts.rowid "
                             "where sections_fts match ? order by rank limit 2000",
                             [HIT_OPEN, HIT_CLOSE, fq])
            except sqlite3.OperationalError:
                found = []
            for h in found:
                match_ids.add(h["document_id"])
                if len(hits[h["document_id"]]) < 5:
                    h["parts"] = split_snippet(h.pop("snippet"))
                    hits[h["document_id"]].append(h)
    docs = rows(db, "select id, path, key, type, type_name, number, year, issuer, date, "
                    "title from documents where status = 'ok' order by date desc, id")
    if match_ids is not None:
        # title, number, issuer and file name, compared as people type: without marks, d for đ
        # (a plain substring test in Python: the user's '%' and '_' are characters, not wildcards)
        fq_words = fold_text(q).split()
        for d in docs:
            hay = fold_text(" ".join(str(d.get(k) or "") for k in ("title", "key", "issuer", "path")))
            if fq_words and all(w in hay for w in fq_words):
                match_ids.add(d["id"])
        docs = [d for d in docs if d["id"] in match_ids]

    def keep(d, skip=None):
        return all(facet_value(d.get(k)) == str(v) for k, v in filters.items() if k != skip)

    facets = {}
    for f in FACETS:
        counts = Counter(facet_value(d.get(f)) for d in docs if keep(d, skip=f))
        facets[f] = [{"value": v, "label": "(none)" if v == NONE else v, "count": c,
                      "selected": str(filters.get(f)) == v}
                     for v, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    results = [d for d in docs if keep(d)]
    for d in results:
        d["label"] = doc_label(d)
        d["file_name"] = _file_name(d["path"])
        d["hits"] = hits.get(d["id"], [])
    cited = []
    if q:
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", q) + "%"  # the user's % and _ are characters
        cited = rows(db, "select key, count(*) as mentions, count(distinct document_id) as docs "
                         "from citations where key = ? or key like ? escape '\\' group by key "
                         "order by docs desc, key limit 10", [q, pattern])
        if not cited:  # '13/2023/ND-CP', typed without Đ: the folded number
            want = fold_text(q).replace(" ", "")
            keys = [r["key"] for r in rows(db, "select distinct key from citations "
                                               "where key is not null")]
            hits = [k for k in keys if want and want in fold_text(k)][:10]
            if hits:
                marks = ", ".join("?" for _ in hits)
                cited = rows(db, "select key, count(*) as mentions, count(distinct document_id) "
                                 f"as docs from citations where key in ({marks}) group by key "
                                 "order by docs desc, key", hits)
    return {"q": q, "filters": filters, "facets": facets, "total": len(results),
            "results": results[:limit], "cited": cited}


# --------------------------------------------------------------------------- graph fallback

def node_info(db, node: str) -> dict:
    """What is known of a node: the stored document(s) with that identity, or what the
    citations of it say (most frequent non-empty value of each field)."""
    info: dict[str, Any] = {"node": node, "key": None, "documents": [], "stored": False}
    if node.startswith("doc:"):
        try:
            doc = document(db, int(node[4:]))
        except ValueError:
            doc = None
        if doc:
            doc.pop("text", None)
            info.update(stored=True, documents=[doc], label=doc["label"],
                        **{k: doc.get(k) for k in ("type", "type_name", "number", "year",
                                                   "date", "issuer", "title")})
            info["recipients"] = doc["recipients"]
        else:
            info["label"] = node
        return info
    info["key"] = node
    info["label"] = node
    docs = documents_by_key(db, node)
    if docs:
        full = document(db, docs[0]["id"])
        full.pop("text", None)
        info.update(stored=True, documents=docs, recipients=full["recipients"],
                    **{k: full.get(k) for k in ("type", "type_name", "number", "year",
                                                "date", "issuer", "title")})
        return info
    mentions = rows(db, "select type, number, year, date, issuer, title, term from citations "
                        "where key = ?", [node])
    for f in ("type", "number", "year", "date", "issuer", "title", "term"):
        vals = Counter(m[f] for m in mentions if m[f] not in (None, ""))
        info[f] = vals.most_common(1)[0][0] if vals else None
    info["type_name"] = type_name(info.get("type"))
    info["recipients"] = None
    info["mentions"] = len(mentions)
    return info


def _docs_of_node(db, node: str) -> list[int]:
    if node.startswith("doc:"):
        try:
            return [int(node[4:])]
        except ValueError:
            return []
    return [d["id"] for d in documents_by_key(db, node)]


def _doc_nodes(db, ids: Iterable[int]) -> dict[int, dict]:
    ids = sorted(set(ids))
    out = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for d in rows(db, "select id, path, key, type, title, issuer, date from documents "
                          f"where id in ({','.join('?' * len(chunk))})", chunk):
            out[d["id"]] = d
    return out


def outgoing(db, node: str) -> list[dict]:
    """Edges from `node` to what it cites: its own citations (when stored), strongest relation
    per cited key, and the chains other documents state with `node` as the source."""
    edges = []
    ids = _docs_of_node(db, node)
    if ids:
        marks = ",".join("?" * len(ids))
        grouped = defaultdict(list)
        for r in rows(db, f"select key, relation, document_id from citations where document_id "
                          f"in ({marks}) and key is not null", ids):
            grouped[r["key"]].append(r)
        for key, ms in grouped.items():
            if key == node:
                continue
            edges.append({"source": node, "target": key,
                          "relation": strongest(m["relation"] for m in ms),
                          "via": "citation", "mentions": len(ms),
                          "documents": sorted({m["document_id"] for m in ms})})
    if not node.startswith("doc:"):
        stated = defaultdict(set)
        for r in rows(db, "select relation, target, document_id from relations where source = ?",
                      [node]):
            stated[(r["target"], r["relation"])].add(r["document_id"])
        have = {(e["target"]) for e in edges}
        for (target, rel), docs in stated.items():
            if target == node or target in have:
                continue
            edges.append({"source": node, "target": target, "relation": rel, "via": "stated",
                          "mentions": 0, "documents": sorted(docs)})
    return _dedupe(edges)


def incoming(db, node: str) -> list[dict]:
    """Edges into `node`: stored documents citing it, and stated chains with it as target."""
    edges = []
    if node.startswith("doc:"):
        return edges  # a document without a number cannot be cited by number
    per_doc = defaultdict(list)
    for r in rows(db, "select document_id, relation from citations where key = ?", [node]):
        per_doc[r["document_id"]].append(r["relation"])
    docs = _doc_nodes(db, per_doc)
    for doc_id, rels in per_doc.items():
        d = docs.get(doc_id)
        if not d:
            continue
        src = node_of(d)
        if src == node:
            continue
        edges.append({"source": src, "target": node, "relation": strongest(rels),
                      "via": "citation", "mentions": len(rels), "documents": [doc_id]})
    stated = defaultdict(set)
    for r in rows(db, "select source, relation, document_id from relations where target = ?",
                  [node]):
        stated[(r["source"], r["relation"])].add(r["document_id"])
    for (source, rel), ds in stated.items():
        if source != node:
            edges.append({"source": source, "target": node, "relation": rel, "via": "stated",
                          "mentions": 0, "documents": sorted(ds)})
    return _dedupe(edges)


def _dedupe(edges: list[dict]) -> list[dict]:
    """One edge per (source, target): the strongest relation, citation evidence first."""
    best: dict[tuple, dict] = {}
    for e in edges:
        k = (e["source"], e["target"])
        old = best.get(k)
        if old is None:
            best[k] = dict(e)
            continue
        rel = strongest([old["relation"], e["relation"]])
        merged = old if old["relation"] == rel else dict(e)
        merged["documents"] = sorted(set(old["documents"]) | set(e["documents"]))
        merged["mentions"] = old["mentions"] + e["mentions"]
        if "citation" in (old["via"], e["via"]):
            merged["via"] = "citation"
        best[k] = merged
    return sorted(best.values(), key=lambda e: (STRENGTH.index(e["relation"])
                                                if e["relation"] in STRENGTH else 99,
                                                e["source"], e["target"]))


def _fallback_cited_by(db, node: str) -> list[dict]:
    out = []
    for e in incoming(db, node):
        out.append({"node": e["source"], "relation": e["relation"], "via": e["via"],
                    "mentions": e["mentions"], "documents": e["documents"]})
    return out


def _fallback_implementers(db, node: str, max_depth: int = 12) -> list[dict]:
    """Everything that implements `node`, directly or through a chain, with one shortest path
    each ([implementer, …, node])."""
    seen = {node: [node]}
    out = []
    queue = deque([(node, 0)])
    while queue:
        cur, depth = queue.popleft()
        if depth >= max_depth or len(seen) > MAX_NODES:
            continue
        for e in incoming(db, cur):
            if e["relation"] != "implements" or e["source"] in seen:
                continue
            path = [e["source"]] + seen[cur]
            seen[e["source"]] = path
            out.append({"node": e["source"], "depth": depth + 1, "path": path,
                        "via": e["via"], "documents": e["documents"]})
            queue.append((e["source"], depth + 1))
    return out


def _fallback_lineage(db, node: str, up: int = 6, down: int = 6,
                      mentions: bool = False) -> dict:
    allowed = set(LINEAGE_RELATIONS) | ({"mentions"} if mentions else set())
    nodes: dict[str, dict] = {node: {"id": node, "depth": 0, "side": "focus"}}
    edges: dict[tuple, dict] = {}
    truncated = False
    for direction, limit in (("up", up), ("down", down)):
        frontier = [node]
        for depth in range(1, limit + 1):
            nxt = []
            for cur in frontier:
                found = outgoing(db, cur) if direction == "up" else incoming(db, cur)
                for e in found:
                    if e["relation"] not in allowed:
                        continue
                    # mentions only one step from the focus: context, not a chain
                    if e["relation"] == "mentions" and depth > 1:
                        continue
                    other = e["target"] if direction == "up" else e["source"]
                    edges.setdefault((e["source"], e["target"]), e)
                    if other not in nodes:
                        if len(nodes) >= MAX_NODES:
                            truncated = True
                            continue
                        nodes[other] = {"id": other, "depth": depth if direction == "up"
                                        else -depth, "side": direction}
                        if e["relation"] != "mentions":
                            nxt.append(other)
            frontier = nxt
    edges = {k: e for k, e in edges.items() if e["source"] in nodes and e["target"] in nodes}
    return {"focus": node, "nodes": list(nodes.values()), "edges": list(edges.values()),
            "truncated": truncated}


def _fallback_coverage(db, node: str) -> dict:
    """The recipients named in the directive (when it is stored) and, for each, the
    implementing documents whose issuer matches it."""
    info = node_info(db, node)
    recipients = info.get("recipients")
    if recipients is None:
        return {"known": False, "recipients": [], "covered": [], "missing": [],
                "reason": "the directive itself is not in the database, so its recipients are "
                          "unknown"}
    impl = _fallback_implementers(db, node)
    doc_ids = {i for x in impl for i in x["documents"] if x["via"] == "citation"}
    issuers = {d["id"]: d for d in _doc_nodes(db, doc_ids).values()}
    rows_out = []
    for rec in recipients:
        matched = [d for d in issuers.values() if d.get("issuer") and _same_body(rec, d["issuer"])]
        rows_out.append({"recipient": rec, "documents": [
            {"id": d["id"], "node": node_of(d), "label": doc_label(d), "issuer": d["issuer"]}
            for d in matched]})
    return {"known": True, "recipients": recipients,
            "covered": [r for r in rows_out if r["documents"]],
            "missing": [r["recipient"] for r in rows_out if not r["documents"]],
            "reason": None}


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", s.casefold())).strip()


def _same_body(recipient: str, issuer: str) -> bool:
    a, b = _norm(recipient), _norm(issuer)
    return bool(a and b) and (a in b or b in a)


# --------------------------------------------------------------------------- graph switch

def graph_api(name: str):
    """`pipeline.graph.<name>` when the graph library provides it, else None."""
    try:
        from .. import graph  # noqa: WPS433 - optional, written alongside
    except Exception:  # noqa: BLE001 - an unfinished module must not break the pages
        return None
    return getattr(graph, name, None)


def cited_by(db, node: str) -> list[dict]:
    """Direct citers of `node`: [{node, relation, via, mentions, documents}]."""
    return _fallback_cited_by(db, node)


def implementers(db, node: str) -> list[dict]:
    """Transitive implementers of `node`: [{node, depth, path, via, documents}]."""
    return _fallback_implementers(db, node)


def lineage(db, node: str, up: int = 6, down: int = 6, mentions: bool = False) -> dict:
    """The graph around `node`: {focus, nodes, edges, truncated}."""
    return _fallback_lineage(db, node, up=up, down=down, mentions=mentions)


def coverage(db, node: str) -> dict:
    """Recipients of `node` and which of them issued an implementing document."""
    return _fallback_coverage(db, node)


def describe_nodes(db, ids: Iterable[str]) -> dict[str, dict]:
    """Display fields for graph nodes: label, kind, stored document id, issuer, date, title."""
    ids = list(dict.fromkeys(ids))
    keys = [i for i in ids if not i.startswith("doc:")]
    doc_ids = []
    for i in ids:
        if i.startswith("doc:"):
            try:
                doc_ids.append(int(i[4:]))
            except ValueError:
                pass
    stored = stored_keys(db, keys)
    docs = _doc_nodes(db, list(stored.values()) + doc_ids)
    cited_fields: dict[str, dict] = {}
    missing = [k for k in keys if k not in stored]
    for i in range(0, len(missing), 500):
        chunk = missing[i:i + 500]
        for r in rows(db, "select key, type, issuer, date, title, count(*) as n from citations "
                          f"where key in ({','.join('?' * len(chunk))}) "
                          "group by key, type, issuer, date, title order by n desc", chunk):
            cur = cited_fields.setdefault(r["key"], {})
            for f in ("type", "issuer", "date", "title"):
                if cur.get(f) is None and r[f] not in (None, ""):
                    cur[f] = r[f]
    out = {}
    for i in ids:
        if i.startswith("doc:"):
            try:
                d = docs.get(int(i[4:]))
            except ValueError:
                d = None
        else:
            d = docs.get(stored[i]) if i in stored else None
        if d:
            out[i] = {"id": i, "label": doc_label(d), "stored": True, "doc_id": d["id"],
                      "key": d.get("key"), "type": d.get("type"), "issuer": d.get("issuer"),
                      "date": d.get("date"), "title": d.get("title")}
        else:
            f = cited_fields.get(i, {})
            out[i] = {"id": i, "label": i, "stored": False, "doc_id": None, "key": i,
                      "type": f.get("type"), "issuer": f.get("issuer"), "date": f.get("date"),
                      "title": f.get("title")}
    return out


# --------------------------------------------------------------------------- deadlines

def due_date(row: dict) -> Optional[str]:
    """The day a stored deadline falls due, as ISO, from its typed value: the first day of a
    `start`, the last day it allows otherwise. None when it has no date (a recurrence, a
    relative limit whose anchor's day is unknown)."""
    return row.get("due_start") if row.get("kind") == "start" else row.get("due_end")


def deadlines_by_agency(db, *, start: Optional[str] = None, agency: Optional[str] = None,
                        include_past: bool = False, include_undated: bool = False) -> dict:
    """Deadlines grouped by lead agency, soonest first. `start` (ISO, default today) hides
    those already due before it unless `include_past`; undated ones (recurring tasks, no
    value) only with `include_undated`."""
    start = start or date.today().isoformat()
    where, args = ["d.status = 'ok'"], []
    if agency:
        where.append("(lower(dl.agency) like ? or lower(dl.partners) like ?)")
        args += [f"%{agency.lower()}%"] * 2
    all_rows = rows(db, "select dl.id, dl.document_id, dl.text, dl.kind, dl.value, dl.modifier, "
                        "dl.label, dl.section, dl.task, dl.agency, dl.partners, dl.due_start, dl.due_end, "
                        "dl.rrule, dl.duration, d.key as doc_key, "
                        "d.path, d.type, d.title as doc_title from deadlines dl join documents d "
                        f"on d.id = dl.document_id where {' and '.join(where)}", args)
    groups: dict[str, list] = defaultdict(list)
    counts = {"shown": 0, "past": 0, "undated": 0, "total": len(all_rows)}
    for r in all_rows:
        r["partners"] = _json_list(r["partners"])
        r["due"] = due_date(r)
        r["doc_label"] = doc_label({"id": r["document_id"], "key": r["doc_key"],
                                    "type": r["type"], "path": r["path"]})
        if r["due"] is None:
            counts["undated"] += 1
            if not include_undated:
                continue
        elif r["due"] < start:
            counts["past"] += 1
            if not include_past:
                continue
        counts["shown"] += 1
        groups[r["agency"] or ""].append(r)
    out = []
    for ag, items in groups.items():
        items.sort(key=lambda r: (r["due"] is None, r["due"] or "", r["document_id"], r["id"]))
        out.append({"agency": ag, "deadlines": items, "next": items[0]["due"]})
    out.sort(key=lambda g: (g["agency"] == "", g["next"] is None, g["next"] or "",
                            g["agency"].casefold()))
    return {"start": start, "groups": out, "counts": counts}
