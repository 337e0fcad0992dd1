"""Keeping the graph tables in step with stored documents, one document at a time, inside the
writer's transaction (`sync_document`, called by ingest), and `sync` for documents written
without it (the triggers list them in graph_dirty)."""
from __future__ import annotations

from typing import Iterable, NamedTuple, Optional

from ..storage import write_transaction
from .contributions import (CIT_COLS, DISPLAY_FIELDS, DOC_COLS, NODE_DOC_COLS, CitationRow,
                            Contribution, NodeDocument, agreed_display, disp_of_citation,
                            document_parts, fold_display, node_fields)
from .identity import CANDIDATE_CAP, Tup, document_date, resolve_group

_DIRTY_REBUILD = 5000        # more dirty documents than this (and a fifth of all): bulk rebuild


# --------------------------------------------------------------------------- incremental sync

def _doc_row(conn, doc_id: int) -> Optional[dict]:
    row = conn.execute(f"select {', '.join(DOC_COLS)} from documents where id = ?",
                       [doc_id]).fetchone()
    return dict(zip(DOC_COLS, row)) if row else None


def _identity_id(conn, t: Tup, disp: dict, created: list) -> int:
    """Get or create the identity row of `t`, folding display values in with min() (so the
    values shown do not depend on the order documents came in)."""
    row = conn.execute("select id from identities where ident = ?", [t.ident]).fetchone()
    if row is None:
        cur = conn.execute(
            "insert into identities(ident, grp, key, family, lo, hi, issuer, bare, full, type, "
            "number, year, term, issuer_display, date, title) "
            "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [t.ident, t.grp, t.key, t.family, t.lo, t.hi, t.issuer, int(t.bare), int(t.full),
             disp.get("type"), disp.get("number"), disp.get("year"), disp.get("term"),
             disp.get("issuer"), disp.get("date"), disp.get("title")])
        created.append((cur.lastrowid, t))
        return cur.lastrowid
    iid = row[0]
    sets, args = [], []
    for col, fld in (("type", "type"), ("number", "number"), ("year", "year"), ("term", "term"),
                     ("issuer_display", "issuer"), ("date", "date"), ("title", "title")):
        v = disp.get(fld)
        if v is not None:
            sets.append(f"{col} = coalesce(min({col}, ?), ?)")
            args += [v, v]
    if sets:
        conn.execute(f"update identities set {', '.join(sets)} where id = ?", args + [iid])
    return iid


DISPLAY_EXACT_LIMIT = 5000


def _recompute_display(conn, identity_ids: Iterable[int]) -> None:
    """After a document is replaced or removed, the values its mentions folded into an
    identity's display fields may be gone: recompute them from the mentions left. Identities
    cited more than DISPLAY_EXACT_LIMIT times keep their folded values (a value only the removed
    document gave can linger there until `rebuild`; identity and edges are exact regardless)."""
    for iid in identity_ids:
        n = conn.execute("select count(*) from (select 1 from mention_links where identity_id = ? "
                         "limit ?)", [iid, DISPLAY_EXACT_LIMIT + 1]).fetchone()[0]
        if n > DISPLAY_EXACT_LIMIT:
            continue
        agg = conn.execute(
            "select min(c.type), min(c.number), min(coalesce(c.year, cast(substr(c.date, 1, 4) "
            "as integer))), min(c.term), min(c.issuer), min(c.date), min(c.title) "
            "from mention_links l join citations c on c.id = l.citation_id "
            "where l.identity_id = ?", [iid]).fetchone()
        conn.execute("update identities set type = ?, number = ?, year = ?, term = ?, "
                     "issuer_display = ?, date = ?, title = ? where id = ?", [*agg, iid])


def _node_for_ident(conn, ident: str, grp: str) -> int:
    row = conn.execute("select id from nodes where ident = ?", [ident]).fetchone()
    if row:
        return row[0]
    return conn.execute("insert into nodes(ident, grp) values (?, ?)", [ident, grp]).lastrowid


def _edge_add(conn, src_node, dst_node, c_rel, origin, mentions, sort_key, date, doc_id,
              evidence) -> Optional[int]:
    if src_node == dst_node:
        return None
    return conn.execute(
        "insert into edges(source, target, relation, origin, mentions, sources, first_key, "
        "first_date, first_document, first_evidence) values (?,?,?,?,?,1,?,?,?,?) "
        "on conflict(source, target, relation, origin) do update set "
        "mentions = mentions + excluded.mentions, sources = sources + 1, "
        "first_date = case when excluded.first_key < first_key then excluded.first_date "
        "  else first_date end, "
        "first_document = case when excluded.first_key < first_key then excluded.first_document "
        "  else first_document end, "
        "first_evidence = case when excluded.first_key < first_key then excluded.first_evidence "
        "  else first_evidence end, "
        "first_key = min(first_key, excluded.first_key) returning id",
        [src_node, dst_node, c_rel, origin, mentions, sort_key, date, doc_id, evidence]
    ).fetchone()[0]


def _edge_remove(conn, edge_id, mentions, sort_key, refirst: set) -> None:
    if edge_id is None:
        return
    conn.execute("update edges set mentions = mentions - ?, sources = sources - 1 where id = ?",
                 [mentions, edge_id])
    refirst.add(edge_id)


def _finish_edges(conn, edge_ids: set) -> None:
    """Drop edges left without sources; recompute 'first' where a source went away."""
    for eid in edge_ids:
        row = conn.execute("select sources from edges where id = ?", [eid]).fetchone()
        if row is None:
            continue
        if row[0] <= 0:
            conn.execute("delete from edges where id = ?", [eid])
            continue
        first = conn.execute(
            "select sort_key, date, document_id, evidence from edge_sources where edge_id = ? "
            "order by sort_key limit 1", [eid]).fetchone()
        if first:
            conn.execute("update edges set first_key = ?, first_date = ?, first_document = ?, "
                         "first_evidence = ? where id = ?", [*first, eid])


def _node_of_identity(conn, iid: int) -> Optional[int]:
    row = conn.execute("select node_id from identities where id = ?", [iid]).fetchone()
    return row[0] if row else None


class _IdentityRow(NamedTuple):
    id: int
    ident: str
    grp: str
    key: Optional[str]
    family: Optional[str]
    lo: Optional[int]
    hi: Optional[int]
    issuer: Optional[str]
    bare: int
    full: int
    node_id: Optional[int]


def _resolve_groups(conn, grps: Iterable[str]) -> tuple[list[tuple[int, int, int]], set[int]]:
    """Re-resolve groups whose set of tuples changed. Only partial tuples can move between
    nodes (a full tuple is always its own node), so each group loads its partials and the fulls
    compatible with them. Returns [(identity id, old node, new node)] and the nodes touched."""
    moved: list[tuple[int, int, int]] = []
    touched: set[int] = set()
    cols = ", ".join(_IdentityRow._fields)
    for grp in sorted(set(grps)):
        rows = [_IdentityRow._make(r) for r in conn.execute(
            f"select {cols} from identities where grp = ? and full = 0", [grp])]
        partial_nodes = {r.node_id for r in rows}
        # nodes previously made for partials of this group: their flags are recomputed
        prev = conn.execute("select id from nodes where grp = ? and (ambiguous = 1 or id in "
                            "(select node_id from identities where grp = ? and full = 0))",
                            [grp, grp]).fetchall()
        touched.update(r[0] for r in prev)
        touched.update(n for n in partial_nodes if n is not None)
        if not rows:
            for (nid,) in prev:
                conn.execute("update nodes set ambiguous = 0, candidates = 0 where id = ?", [nid])
                conn.execute("delete from node_candidates where node_id = ?", [nid])
            continue
        loaded = {r.ident: r for r in rows}
        for r in rows:
            lo, hi, issuer, bare = r.lo, r.hi, r.issuer, r.bare
            where, args = ["grp = ?", "full = 1"], [grp]
            if lo is not None:
                where.append("lo between ? and ?")
                args += [lo, hi]
            if issuer is not None and bare:
                where.append("substr(issuer, 1, ?) = ?")
                args += [len(issuer) + 1, issuer + " "]
            elif issuer is not None:
                where.append("issuer = ?")
                args.append(issuer)
            for f in conn.execute(f"select {cols} from identities where {' and '.join(where)} "
                                  f"order by ident limit ?", args + [CANDIDATE_CAP]):
                f = _IdentityRow._make(f)
                loaded.setdefault(f.ident, f)
        tups = {ident: Tup(r.ident, r.grp, r.key, r.family, r.lo, r.hi, r.issuer, bool(r.bare),
                           bool(r.full)) for ident, r in loaded.items()}
        assign, nodes = resolve_group(tups.values())
        node_ids = {ni: _node_for_ident(conn, ni, grp) for ni in nodes}
        for ni, info in nodes.items():
            nid = node_ids[ni]
            touched.add(nid)
            conn.execute("delete from node_candidates where node_id = ?", [nid])
            cands = [node_ids.get(c) or _node_for_ident(conn, c, grp) for c in info["candidates"]]
            conn.executemany("insert or ignore into node_candidates values (?, ?)",
                             [(nid, c) for c in cands])
            conn.execute("update nodes set ambiguous = ?, candidates = ? where id = ?",
                         [int(info["ambiguous"]), len(cands), nid])
        for ident, r in loaded.items():
            new = node_ids[assign[ident]]
            if r.node_id != new:
                conn.execute("update identities set node_id = ? where id = ?", [new, r.id])
                if r.node_id is not None:
                    moved.append((r.id, r.node_id, new))
                touched.update(x for x in (r.node_id, new) if x is not None)
        for nid in touched:
            if not conn.execute("select 1 from nodes where id = ? and grp = ?",
                                [nid, grp]).fetchone():
                continue
            if nid not in node_ids.values():
                conn.execute("update nodes set ambiguous = 0, candidates = 0 where id = ?", [nid])
                conn.execute("delete from node_candidates where node_id = ?", [nid])
    return moved, touched


def _move_sources(conn, moved: list[tuple[int, int, int]], refirst: set) -> None:
    """Edges follow identities that changed node: each source row is re-filed under the edge
    between its ends' current nodes."""
    ids = sorted({m[0] for m in moved})
    seen: set[int] = set()
    for iid in ids:
        rows = conn.execute(
            "select id, edge_id, document_id, src_identity, dst_identity, relation, origin, "
            "mentions, sort_key, date, evidence from edge_sources "
            "where src_identity = ? or dst_identity = ?", [iid, iid]).fetchall()
        for (sid, eid, doc_id, si, di, rel, origin, n, sk, date, ev) in rows:
            if sid in seen:
                continue
            seen.add(sid)
            _edge_remove(conn, eid, n, sk, refirst)
            new = _edge_add(conn, _node_of_identity(conn, si), _node_of_identity(conn, di), rel,
                            origin, n, sk, date, doc_id, ev)
            conn.execute("update edge_sources set edge_id = ? where id = ?", [new, sid])
            if new is not None:
                refirst.add(new)


def _refresh_nodes(conn, node_ids: Iterable[int]) -> None:
    """Status, document link and display fields of nodes (a cited-only node shows what most of
    the documents citing it say: contributions.agreed_display); nodes no identity maps to are
    removed (with their candidate rows)."""
    node_ids = sorted(set(n for n in node_ids if n is not None))
    agreed = agreed_display(conn, node_ids)
    for nid in node_ids:
        if not conn.execute("select 1 from identities where node_id = ? limit 1",
                            [nid]).fetchone():
            conn.execute("delete from nodes where id = ?", [nid])
            conn.execute("delete from node_candidates where node_id = ? or candidate_id = ?",
                         [nid, nid])
            continue
        docs = [NodeDocument._make(r) for r in conn.execute(
            f"select {', '.join('d.' + c for c in NODE_DOC_COLS)} "
            "from document_nodes dn join identities i on i.id = dn.identity_id "
            "join documents d on d.id = dn.document_id where i.node_id = ? order by d.path",
            [nid])]
        # the identities' display values, folded with min() (contributions.fold_display) in SQL
        agg = conn.execute(
            "select min(key), min(type), min(number), min(year), min(term), min(issuer_display), "
            "min(date), min(title) from identities where node_id = ?", [nid]).fetchone()
        amb = conn.execute("select ambiguous from nodes where id = ?", [nid]).fetchone()[0]
        disp = dict(zip(DISPLAY_FIELDS, agg))
        disp.update({k: v for k, v in agreed.get(nid, {}).items() if v is not None})
        vals = node_fields(docs[0] if docs else None, disp, bool(amb), len(docs))
        conn.execute("update nodes set key = ?, type = ?, number = ?, year = ?, term = ?, "
                     "issuer = ?, date = ?, title = ?, status = ?, document_id = ?, documents = ? "
                     "where id = ?", [*vals, nid])


def sync_document(db, doc_id: int) -> None:
    """Bring the graph in step with one document (saved, replaced or removed). The ingest writer
    calls it right after the document's rows are written, inside the same transaction."""
    conn = db.conn
    refirst: set[int] = set()
    touched_nodes: set[int] = set()
    changed_groups: set[str] = set()
    # 1. take back what the previous version contributed
    old_identities = {r[0] for r in conn.execute(
        "select identity_id from mention_links where document_id = ? union "
        "select identity_id from document_nodes where document_id = ? union "
        "select src_identity from edge_sources where document_id = ? union "
        "select dst_identity from edge_sources where document_id = ?", [doc_id] * 4)}
    for eid, n, sk in conn.execute("select edge_id, mentions, sort_key from edge_sources "
                                   "where document_id = ?", [doc_id]).fetchall():
        _edge_remove(conn, eid, n, sk, refirst)
    conn.execute("delete from edge_sources where document_id = ?", [doc_id])
    conn.execute("delete from mention_links where document_id = ?", [doc_id])
    conn.execute("delete from document_nodes where document_id = ?", [doc_id])
    for iid in old_identities:
        nid = _node_of_identity(conn, iid)
        if nid is not None:
            touched_nodes.add(nid)
    # 2. what the current version says
    doc = _doc_row(conn, doc_id)
    created: list[tuple[int, Tup]] = []
    contribs: list[Contribution] = []
    ident_ids: dict[str, int] = {}
    if doc is not None:
        cits = [CitationRow._make(r) for r in conn.execute(
            f"select {', '.join(CIT_COLS)} from citations where document_id = ? "
            "order by start, id", [doc_id])]
        rels = conn.execute("select source, relation, target, evidence from relations "
                            "where document_id = ? order by id", [doc_id]).fetchall()
        own, links, contribs = document_parts(doc, cits, rels)
        disp: dict[str, dict] = {}
        tups: dict[str, Tup] = {}
        for _, t, c in links:
            tups[t.ident] = t
            fold_display(disp.setdefault(t.ident, {}), disp_of_citation(c))
        for cb in contribs:
            for t in (cb.src, cb.dst):
                tups.setdefault(t.ident, t)
        if own is not None:  # a document's own fields are shown from its row, not folded in
            tups[own.ident] = own
        for ident, t in sorted(tups.items()):
            ident_ids[ident] = _identity_id(conn, t, disp.get(ident, {}), created)
        conn.executemany("insert into mention_links(citation_id, document_id, identity_id) "
                         "values (?, ?, ?)", [(cid, doc_id, ident_ids[t.ident])
                                              for cid, t, _ in links])
        if own is not None:
            conn.execute("insert into document_nodes(document_id, identity_id) values (?, ?)",
                         [doc_id, ident_ids[own.ident]])
    # 3. new full tuples are their own nodes; new partials and vanished tuples re-resolve a group
    for iid, t in created:
        if t.full:
            nid = _node_for_ident(conn, t.ident, t.grp)
            conn.execute("update identities set node_id = ? where id = ?", [nid, iid])
            touched_nodes.add(nid)
            if conn.execute("select 1 from identities where grp = ? and full = 0 limit 1",
                            [t.grp]).fetchone():
                changed_groups.add(t.grp)
        else:
            changed_groups.add(t.grp)
    current = set(ident_ids.values())
    for iid in old_identities - current:
        if conn.execute(
                "select exists(select 1 from mention_links where identity_id = ?) or "
                "exists(select 1 from document_nodes where identity_id = ?) or "
                "exists(select 1 from edge_sources where src_identity = ?) or "
                "exists(select 1 from edge_sources where dst_identity = ?)", [iid] * 4
        ).fetchone()[0]:
            continue
        row = conn.execute("select grp, node_id from identities where id = ?", [iid]).fetchone()
        conn.execute("delete from identities where id = ?", [iid])
        if row:
            changed_groups.add(row[0])
            touched_nodes.add(row[1])
    _recompute_display(conn, old_identities)
    moved, touched = _resolve_groups(conn, changed_groups)
    touched_nodes |= touched
    _move_sources(conn, moved, refirst)
    # 4. this version's edges, under the nodes as now resolved
    if contribs:
        ddate = document_date(doc.get("date"), doc.get("date_text"), doc.get("year"))
        node_cache: dict[int, int] = {}
        for cb in contribs:
            si, di = ident_ids[cb.src.ident], ident_ids[cb.dst.ident]
            for iid in (si, di):
                if iid not in node_cache:
                    node_cache[iid] = _node_of_identity(conn, iid)
            eid = _edge_add(conn, node_cache[si], node_cache[di], cb.relation, cb.origin,
                            cb.mentions, cb.sort_key, ddate, doc_id, cb.evidence)
            conn.execute(
                "insert into edge_sources(edge_id, document_id, src_identity, dst_identity, "
                "relation, origin, mentions, sort_key, date, evidence, positions, sections) "
                "values (?,?,?,?,?,?,?,?,?,?,?,?)",
                [eid, doc_id, si, di, cb.relation, cb.origin, cb.mentions, cb.sort_key, ddate,
                 cb.evidence, cb.positions, cb.sections])
        touched_nodes.update(node_cache.values())
    _finish_edges(conn, refirst)
    for iid in current:
        touched_nodes.add(_node_of_identity(conn, iid))
    _refresh_nodes(conn, touched_nodes)
    conn.execute("delete from graph_dirty where document_id = ?", [doc_id])


def sync(db) -> int:
    """Bring in the documents written without the graph's upkeep (the triggers list them in
    graph_dirty): one by one, or by a bulk rebuild when they are many. Returns how many."""
    from .rebuild import rebuild

    conn = db.conn
    if conn.execute("select 1 from graph_dirty limit 1").fetchone() is None:
        return 0
    with write_transaction(db):
        ids = [r[0] for r in conn.execute("select document_id from graph_dirty order by 1")]
        total = conn.execute("select count(*) from documents").fetchone()[0]
        if len(ids) > max(_DIRTY_REBUILD, total // 5):
            return rebuild(db)["documents"]
        for doc_id in ids:
            sync_document(db, doc_id)
    return len(ids)
