"""Recomputing every graph table from stored documents in bulk: the same result as syncing them
one by one, streamed, with indexes built after loading."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Optional

from ..storage import write_transaction
from ..storage.schema import GRAPH_INDEXES_SQL, GRAPH_TABLES, statements
from .contributions import (CIT_COLS, DOC_COLS, NODE_DOC_COLS, CitationRow, NodeDocument,
                            agreed_display, disp_of_citation, document_parts, fold_display,
                            node_fields)
from .identity import Tup, document_date, resolve_group


# --------------------------------------------------------------------------- bulk rebuild

def rebuild(db, *, progress=None) -> dict:
    """Recompute every graph table from documents, citations and relations in bulk (streamed,
    indexes built after loading). Same result as syncing documents one by one."""
    conn = db.conn
    say = progress or (lambda msg: None)
    with write_transaction(db):
        for stmt in statements(GRAPH_INDEXES_SQL):
            name = re.search(r"EXISTS (\w+)", stmt).group(1)
            conn.execute(f"drop index if exists {name}")
        for t in GRAPH_TABLES:
            conn.execute(f"delete from {t}")
        conn.execute("create temp table if not exists _sources (document_id integer, "
                     "src_identity integer, dst_identity integer, relation text, origin text, "
                     "mentions integer, sort_key text, date text, evidence text, positions text, "
                     "sections text)")
        conn.execute("delete from temp._sources")
        ident_ids: dict[str, int] = {}
        tups: list[Tup] = []
        disp: list[dict] = []

        def iid_of(t: Tup, d: Optional[dict]) -> int:
            i = ident_ids.get(t.ident)
            if i is None:
                i = len(tups) + 1
                ident_ids[t.ident] = i
                tups.append(t)
                disp.append(dict(d) if d else {})
            elif d:
                fold_display(disp[i - 1], d)
            return i

        doc_own: list[tuple[int, int, str]] = []
        links_batch: list[tuple] = []
        src_batch: list[tuple] = []
        cache: dict = {}
        n_docs = n_cits = 0
        docs = conn.cursor().execute(f"select {', '.join(DOC_COLS)} from documents order by id")
        cit_cur = conn.cursor().execute(
            f"select document_id, {', '.join(CIT_COLS)} from citations order by document_id, "
            f"start, id")
        rel_cur = conn.cursor().execute("select document_id, source, relation, target, evidence "
                                        "from relations order by document_id, id")
        cit_next = cit_cur.fetchone()
        rel_next = rel_cur.fetchone()
        for drow in docs:
            doc = dict(zip(DOC_COLS, drow))
            did = doc["id"]
            cits, rels = [], []
            while cit_next is not None and cit_next[0] < did:
                cit_next = cit_cur.fetchone()
            while cit_next is not None and cit_next[0] == did:
                cits.append(CitationRow._make(cit_next[1:]))
                cit_next = cit_cur.fetchone()
            while rel_next is not None and rel_next[0] < did:
                rel_next = rel_cur.fetchone()
            while rel_next is not None and rel_next[0] == did:
                rels.append(rel_next[1:])
                rel_next = rel_cur.fetchone()
            own, links, contribs = document_parts(doc, cits, rels, cache)
            n_docs += 1
            n_cits += len(cits)
            for cid, t, c in links:
                links_batch.append((cid, did, iid_of(t, disp_of_citation(c))))
            if own is not None:
                oid = iid_of(own, None)
                doc_own.append((did, oid, doc.get("path") or ""))
                ddate = document_date(doc.get("date"), doc.get("date_text"), doc.get("year"))
                for cb in contribs:
                    src_batch.append((did, iid_of(cb.src, None), iid_of(cb.dst, None),
                                      cb.relation, cb.origin, cb.mentions, cb.sort_key, ddate,
                                      cb.evidence, cb.positions, cb.sections))
            if len(links_batch) >= 200_000:
                conn.executemany("insert into mention_links values (?, ?, ?)", links_batch)
                links_batch.clear()
            if len(src_batch) >= 200_000:
                conn.executemany("insert into temp._sources values (?,?,?,?,?,?,?,?,?,?,?)",
                                 src_batch)
                src_batch.clear()
            if n_docs % 100_000 == 0:
                say(f"read {n_docs} documents, {n_cits} mentions")
        conn.executemany("insert into mention_links values (?, ?, ?)", links_batch)
        conn.executemany("insert into temp._sources values (?,?,?,?,?,?,?,?,?,?,?)", src_batch)
        links_batch.clear()
        src_batch.clear()
        cache.clear()
        say(f"read {n_docs} documents, {n_cits} mentions, {len(tups)} identities; resolving")
        # resolve every group
        by_grp: dict[str, list[Tup]] = defaultdict(list)
        for t in tups:
            by_grp[t.grp].append(t)
        node_ids: dict[str, int] = {}
        node_rows: list[tuple] = []
        node_of_identity: list[int] = [0] * (len(tups) + 1)
        cand_rows: list[tuple[int, int]] = []
        for grp in sorted(by_grp):
            members = by_grp[grp]
            if len(members) == 1 and members[0].full:
                assign, nodes = {members[0].ident: members[0].ident}, {
                    members[0].ident: {"tup": members[0], "ambiguous": False, "candidates": []}}
            else:
                assign, nodes = resolve_group(members)
            for ni in sorted(nodes):
                node_ids[ni] = len(node_rows) + 1
                node_rows.append((ni, grp, nodes[ni]))
            for ni, info in nodes.items():
                for c in info["candidates"]:
                    cand_rows.append((node_ids[ni], node_ids[c]))
            for t in members:
                node_of_identity[ident_ids[t.ident]] = node_ids[assign[t.ident]]
        by_grp.clear()
        say(f"{len(node_rows)} nodes; writing identities and nodes")
        conn.executemany(
            "insert into identities(id, ident, grp, key, family, lo, hi, issuer, bare, full, "
            "node_id, type, number, year, term, issuer_display, date, title) "
            "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ((i + 1, t.ident, t.grp, t.key, t.family, t.lo, t.hi, t.issuer, int(t.bare),
              int(t.full), node_of_identity[i + 1], d.get("type"), d.get("number"),
              d.get("year"), d.get("term"), d.get("issuer"), d.get("date"), d.get("title"))
             for i, (t, d) in enumerate(zip(tups, disp))))
        conn.executemany("insert into document_nodes values (?, ?)",
                         ((d, i) for d, i, _ in doc_own))
        # display: the node's first document by path, else the min of its identities' values
        node_doc: dict[int, list] = {}
        for did, iid, path in doc_own:
            nid = node_of_identity[iid]
            cur = node_doc.get(nid)
            if cur is None:
                node_doc[nid] = [path, did, 1]
            else:
                cur[2] += 1
                if path < cur[0]:
                    cur[0], cur[1] = path, did
        agg: dict[int, dict] = {}
        for i, d in enumerate(disp):
            nid = node_of_identity[i + 1]
            fold_display(agg.setdefault(nid, {}), dict(d, key=tups[i].key))
        tups.clear()
        disp.clear()
        ident_ids.clear()
        node_of_identity.clear()
        doc_fields = {}
        wanted = [v[1] for v in node_doc.values()]
        for i in range(0, len(wanted), 50_000):
            chunk = wanted[i:i + 50_000]
            for r in conn.execute(
                    f"select {', '.join(NODE_DOC_COLS)} "
                    "from documents where id in (select value from json_each(?))",
                    [json.dumps(chunk)]):
                doc_fields[r[0]] = NodeDocument._make(r)

        say("display values by agreement")
        agreed = agreed_display(conn)

        def node_values():
            for nid, (ni, grp, info) in enumerate(node_rows, start=1):
                nd = node_doc.get(nid)
                disp = agg.get(nid, {})
                if nid in agreed:
                    disp = dict(disp, **{k: v for k, v in agreed[nid].items() if v is not None})
                vals = node_fields(doc_fields[nd[1]] if nd else None, disp,
                                   info["ambiguous"], nd[2] if nd else 0)
                yield (nid, ni, grp, *vals, int(info["ambiguous"]), len(info["candidates"]))
        conn.executemany(
            "insert into nodes(id, ident, grp, key, type, number, year, term, issuer, date, "
            "title, status, document_id, documents, ambiguous, candidates) "
            "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", node_values())
        conn.executemany("insert or ignore into node_candidates values (?, ?)", cand_rows)
        n_nodes = len(node_rows)
        for big in (node_rows, agg, node_doc, doc_fields, cand_rows, agreed):
            big.clear()
        say("aggregating edges")
        conn.execute(
            "insert into edges(source, target, relation, origin, mentions, sources, first_key, "
            "first_date, first_document, first_evidence) "
            "select s.node_id, d.node_id, x.relation, x.origin, sum(x.mentions), count(*), "
            "min(x.sort_key), x.date, x.document_id, x.evidence "
            "from temp._sources x join identities s on s.id = x.src_identity "
            "join identities d on d.id = x.dst_identity where s.node_id != d.node_id "
            "group by s.node_id, d.node_id, x.relation, x.origin")
        say("indexing edges")
        conn.execute("create unique index edges_pair on edges(source, target, relation, origin)")
        say("writing edge sources")
        conn.execute(
            "insert into edge_sources(edge_id, document_id, src_identity, dst_identity, relation, "
            "origin, mentions, sort_key, date, evidence, positions, sections) "
            "select e.id, x.document_id, x.src_identity, x.dst_identity, x.relation, x.origin, "
            "x.mentions, x.sort_key, x.date, x.evidence, x.positions, x.sections "
            "from temp._sources x join identities s on s.id = x.src_identity "
            "join identities d on d.id = x.dst_identity "
            "left join edges e on e.source = s.node_id and e.target = d.node_id "
            "and e.relation = x.relation and e.origin = x.origin")
        conn.execute("drop table temp._sources")
        say("indexing")
        for stmt in statements(GRAPH_INDEXES_SQL):
            conn.execute(stmt)
        conn.execute("delete from graph_dirty")
        n_edges = conn.execute("select count(*) from edges").fetchone()[0]
    conn.execute("analyze")
    return {"documents": n_docs, "mentions": n_cits, "nodes": n_nodes, "edges": n_edges}
