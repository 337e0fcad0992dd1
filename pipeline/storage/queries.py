"""Read-side library functions over a directives database (the CLI prints what these return)."""
from __future__ import annotations

import json
from typing import Optional

import sqlite_utils

from ..domain import best_date, fold_text


def find_document(db: sqlite_utils.Database, ref: str) -> Optional[dict]:
    """A stored document by id, path, path suffix/file name, or own key (3707/KH-UBND)."""
    sql = "select * from documents where "
    for where, arg in (("cast(id as text) = ?", ref), ("path = ?", ref), ("key = ?", ref),
                       ("path like ?", f"%{ref}"), ("path like ?", f"%{ref}%")):
        rows = list(db.query(sql + where + " order by id limit 2", [arg]))
        if len(rows) == 1:
            return rows[0]
    return None


def document_outline(db: sqlite_utils.Database, doc_id: int) -> list[dict]:
    return list(db.query(
        "select sid as id, parent, level, kind, heading, start, end from sections "
        "where document_id = ? order by start, level", [doc_id]))


def show(db: sqlite_utils.Database, ref: str) -> Optional[dict]:
    """Header fields and outline of one stored document."""
    doc = find_document(db, ref)
    if not doc:
        return None
    doc = dict(doc)
    doc.pop("text", None)
    doc["recipients"] = json.loads(doc.get("recipients") or "[]")
    doc["portal"] = json.loads(doc.get("portal") or "null")
    doc["reading"] = json.loads(doc.get("reading") or "null")
    doc["sections"] = document_outline(db, doc["id"])
    doc["citations"] = db.execute(
        "select count(*) from citations where document_id = ?", [doc["id"]]).fetchone()[0]
    return doc


def fts_match(query: str) -> str:
    """An FTS5 query of the user's words: each quoted (never FTS syntax), and each 'd' also tried
    as 'đ' ('dao tao' finds 'đào tạo'; the index already ignores tone marks). At most three
    d's a word are varied, the rest kept as typed."""
    out = []
    for w in query.split():
        w = w.replace('"', '""')
        variants = [""]
        for i, ch in enumerate(w):
            if ch in "dD" and w[:i].lower().count("d") < 3:
                variants = [v + x for v in variants for x in (ch, "đ" if ch == "d" else "Đ")]
            else:
                variants = [v + ch for v in variants]
        alts = " OR ".join(f'"{v}"' for v in dict.fromkeys(variants))
        out.append(f"({alts})" if len(variants) > 1 else alts)
    return " AND ".join(out)  # FTS5 wants AND spelt out after a parenthesised group


def search(db: sqlite_utils.Database, query: str, limit: int = 20) -> list[dict]:
    """Full-text search over section headings and text (FTS5); the query is a parameter."""
    fts_query = fts_match(query)
    if not fts_query:
        return []
    return list(db.query(
        "select d.path, d.key as document, s.sid as section, s.heading, "
        "snippet(sections_fts, 1, '[', ']', '…', 12) as snippet "
        "from sections_fts join sections s on s.rowid = sections_fts.rowid "
        "join documents d on d.id = s.document_id "
        "where sections_fts match ? order by rank limit ?", [fts_query, limit]))


def summary(db: sqlite_utils.Database, top: int = 10) -> dict:
    """Counts and the most cited documents: what `directives demo` prints."""
    count = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "documents": count("select count(*) from documents where status = 'ok'"),
        "failed": count("select count(*) from documents where status = 'error'"),
        "sections": count("select count(*) from sections"),
        "citations": count("select count(*) from citations"),
        "cited_documents": count("select count(distinct key) from citations where key is not null"),
        "deadlines": count("select count(*) from deadlines"),
        "top_cited": [
            {"key": r[0], "mentions": r[1], "citing_documents": r[2]}
            for r in db.execute(
                "select key, count(*), count(distinct document_id) from citations "
                "where key is not null group by key order by count(distinct document_id) desc, "
                "count(*) desc, key limit ?", [top])
        ],
    }


def status(db: sqlite_utils.Database) -> list[dict]:
    """Every stored file with its status and error (failed ones first)."""
    return list(db.query(
        "select path, status, error, ingested_at from documents "
        "order by status = 'ok', path"))


# the day a stored deadline falls due: the first day of a start, the last day it allows otherwise
_DUE = "(case when dl.kind = 'start' then dl.due_start else dl.due_end end)"


def agency_matches(wanted: str, agency: Optional[str], partners: Optional[str]) -> bool:
    """Whether `wanted` is part of the lead agency or of a partner, as people type it (case and
    marks ignored: SQLite's lower() folds ASCII only, so 'ủy ban' would miss 'Ủy ban')."""
    needle = fold_text(wanted).strip()
    return bool(needle) and (needle in fold_text(agency or "") or needle in fold_text(partners or ""))


def deadlines(db: sqlite_utils.Database, *, due_before: Optional[str] = None,
              agency: Optional[str] = None, document: Optional[str] = None,
              implementing: Optional[dict] = None) -> list[dict]:
    """Stored deadlines, soonest first. `due_before` (ISO) keeps those that fall due before it
    (a start on its first day, anything else on the last day it allows); `agency` matches lead
    or partner agencies (agency_matches: any part of the name, case and marks ignored);
    `document` is anything `find_document` accepts; `implementing` keeps the deadlines set by
    the stored documents that implement a directive: it is the answer of
    `graph.implementers(db, KEY, transitive=…)`, and each row gets its `lineage` path up to it."""
    where, args = ["1 = 1"], []
    lineage: dict[int, list[str]] = {}
    if implementing:
        lineage = _implementing_documents(db, implementing)
        if not lineage:
            return []
        where.append("dl.document_id in (select value from json_each(?))")
        args.append(json.dumps(sorted(lineage)))
    if due_before:
        where.append(f"{_DUE} < ?")
        args.append(due_before)
    if document:
        doc = find_document(db, document)
        if not doc:
            return []
        where.append("dl.document_id = ?")
        args.append(doc["id"])
    rows = db.query(
        "select d.path, d.key as document_key, d.title as document_title, d.date as doc_day, "
        "d.date_text as doc_date_text, d.year as doc_year, dl.* "
        "from deadlines dl join documents d on d.id = dl.document_id "
        f"where {' and '.join(where)} order by {_DUE} is null, {_DUE}, d.path", args)
    out = []
    for r in rows:
        r = dict(r)
        if agency and not agency_matches(agency, r.get("agency"), r.get("partners")):
            continue
        r["partners"] = json.loads(r.get("partners") or "[]")
        r["span"] = [r.pop("start"), r.pop("end")]
        r["document"] = r["document_key"] or r["path"]
        r["document_date"] = best_date(r.pop("doc_day"), r.pop("doc_date_text"), r.pop("doc_year"))
        if implementing:
            r["lineage"] = lineage.get(r["document_id"])
        out.append(r)
    return out


def _implementing_documents(db: sqlite_utils.Database, found: dict) -> dict[int, list[str]]:
    """Stored document id → path of labels up to the directive, for every stored document of
    every node in `found` (a `graph.implementers` answer; a node may stand for several files)."""
    paths = {imp["node"]["id"]: imp["path"] for imp in found["implementers"]}
    if not paths:
        return {}
    rows = db.execute(
        "select dn.document_id, i.node_id from document_nodes dn "
        "join identities i on i.id = dn.identity_id "
        "where i.node_id in (select value from json_each(?))", [json.dumps(sorted(paths))])
    return {doc_id: paths[node_id] for doc_id, node_id in rows}
