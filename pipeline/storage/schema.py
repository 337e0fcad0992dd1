"""Every table, index and trigger of a directives database, as named, numbered migrations.

A new database runs them all in order; a database made by an earlier version runs the ones it
has not had (its number is `meta.schema_version`), once, in one write transaction. Each step is
additive (nothing stored is dropped) and safe to repeat. This module is the only place the
layout of the database is written down: the graph package and the ingest writer read and write
these tables, they do not create them.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Callable

# 'giáo dục' is found by 'giao duc'; 'đ' has no decomposition, so queries try 'd' as 'đ' too
# (queries.fts_match)
FTS_TOKENIZE = "unicode61 remove_diacritics 2"

CHILD_TABLES = ("sections", "citations", "relations", "named_refs", "deadlines")

# The tables holding a document's extracted rows (each also has the primary key `id`), as they
# are now (the migrations below added some columns after the first version).
CHILD_SCHEMA = {
    "sections": {
        "id": int, "document_id": int, "sid": str, "parent": str, "level": int,
        "kind": str, "heading": str, "start": int, "end": int, "text": str,
    },
    "citations": {
        "id": int, "document_id": int, "key": str, "type": str, "number": str,
        "year": int, "symbol": str, "date": str, "date_text": str, "issuer": str,
        "term": str, "title": str, "relation": str, "position": str, "section": str,
        "text": str, "start": int, "end": int, "short_form": int,
    },
    "relations": {
        "id": int, "document_id": int, "source": str, "relation": str, "target": str,
        "evidence": str,
    },
    "named_refs": {
        "id": int, "document_id": int, "type": str, "name": str, "year": int,
        "start": int, "end": int, "relation": str,
    },
    "deadlines": {
        "id": int, "document_id": int, "text": str, "start": int, "end": int,
        "kind": str, "value": str, "modifier": str, "label": str, "rule": str,
        "section": str, "task": str, "agency": str, "partners": str,
        "due_start": str, "due_end": str, "rrule": str, "duration": str, "anchor": str,
        "precision": str,
    },
}
assert tuple(CHILD_SCHEMA) == CHILD_TABLES

_DOCUMENTS_V1 = {
    "id": int, "path": str, "sha256": str, "format": str, "size": int,
    "status": str, "error": str, "ingested_at": str,
    "key": str, "type": str, "type_name": str, "number": str, "year": int,
    "symbol": str, "issuer": str, "issuer_inferred": int, "parent_issuer": str,
    "place": str, "date": str, "date_text": str, "title": str, "signer": str,
    "signer_role": str, "recipients": str, "text": str,
}
_ADDED_LATER = {("deadlines", c) for c in ("due_start", "due_end", "rrule", "duration", "anchor",
                                           "precision")} | {("named_refs", "relation")}

# --------------------------------------------------------------------------- graph tables
# Read and written by pipeline.graph (see its docstring for what each holds).

GRAPH_TABLES = ("identities", "nodes", "node_candidates", "mention_links", "document_nodes",
                "edge_sources", "edges", "graph_dirty")

GRAPH_TABLES_SQL = """
CREATE TABLE IF NOT EXISTS identities (
    id INTEGER PRIMARY KEY,
    ident TEXT NOT NULL UNIQUE,      -- grp|period|issuer
    grp TEXT NOT NULL,               -- canonical key, or the draft identity
    key TEXT, family TEXT,
    lo INTEGER, hi INTEGER,          -- period interval (year or Party term); NULL unknown
    issuer TEXT,                     -- normalised; '' when the symbol names the body; NULL unknown
    bare INTEGER NOT NULL DEFAULT 0, -- issuer names a level without its place
    full INTEGER NOT NULL DEFAULT 0, -- every disambiguator known
    node_id INTEGER,
    type TEXT, number TEXT, year INTEGER, term TEXT, issuer_display TEXT, date TEXT, title TEXT
);
CREATE TABLE IF NOT EXISTS nodes (
    id INTEGER PRIMARY KEY,
    ident TEXT NOT NULL UNIQUE,
    grp TEXT NOT NULL,
    key TEXT, type TEXT, number TEXT, year INTEGER, term TEXT, issuer TEXT, date TEXT, title TEXT,
    status TEXT NOT NULL DEFAULT 'cited',   -- document | cited | ambiguous
    ambiguous INTEGER NOT NULL DEFAULT 0,
    candidates INTEGER NOT NULL DEFAULT 0,
    document_id INTEGER,                     -- the ingested document (first by path)
    documents INTEGER NOT NULL DEFAULT 0     -- ingested files with this identity
);
CREATE TABLE IF NOT EXISTS node_candidates (
    node_id INTEGER NOT NULL, candidate_id INTEGER NOT NULL,
    PRIMARY KEY (node_id, candidate_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mention_links (
    citation_id INTEGER PRIMARY KEY REFERENCES citations(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL,
    identity_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS document_nodes (
    document_id INTEGER PRIMARY KEY,
    identity_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS edge_sources (
    id INTEGER PRIMARY KEY,
    edge_id INTEGER,                 -- NULL when both ends are one node (self-citation)
    document_id INTEGER NOT NULL,
    src_identity INTEGER NOT NULL, dst_identity INTEGER NOT NULL,
    relation TEXT NOT NULL, origin TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    sort_key TEXT NOT NULL,          -- citing document date|path|offset: 'first' is order-free
    date TEXT, evidence TEXT, positions TEXT, sections TEXT
);
CREATE TABLE IF NOT EXISTS edges (
    id INTEGER PRIMARY KEY,
    source INTEGER NOT NULL, target INTEGER NOT NULL,
    relation TEXT NOT NULL, origin TEXT NOT NULL,   -- origin: cited | stated
    mentions INTEGER NOT NULL, sources INTEGER NOT NULL,
    first_key TEXT, first_date TEXT, first_document INTEGER, first_evidence TEXT
);
CREATE TABLE IF NOT EXISTS graph_dirty (document_id INTEGER PRIMARY KEY);
"""

# The bulk rebuild drops these while it loads and creates them again after.
GRAPH_INDEXES_SQL = """
CREATE INDEX IF NOT EXISTS identities_grp_lo ON identities(grp, full, lo);
CREATE INDEX IF NOT EXISTS identities_grp_issuer ON identities(grp, full, issuer);
CREATE INDEX IF NOT EXISTS identities_node ON identities(node_id);
CREATE INDEX IF NOT EXISTS nodes_key ON nodes(key);
CREATE INDEX IF NOT EXISTS nodes_grp ON nodes(grp);
CREATE INDEX IF NOT EXISTS nodes_document ON nodes(document_id);
CREATE INDEX IF NOT EXISTS node_candidates_candidate ON node_candidates(candidate_id);
CREATE INDEX IF NOT EXISTS mention_links_identity ON mention_links(identity_id);
CREATE INDEX IF NOT EXISTS mention_links_document ON mention_links(document_id);
CREATE INDEX IF NOT EXISTS document_nodes_identity ON document_nodes(identity_id);
CREATE INDEX IF NOT EXISTS edge_sources_document ON edge_sources(document_id);
CREATE INDEX IF NOT EXISTS edge_sources_edge ON edge_sources(edge_id, sort_key);
CREATE INDEX IF NOT EXISTS edge_sources_src ON edge_sources(src_identity);
CREATE INDEX IF NOT EXISTS edge_sources_dst ON edge_sources(dst_identity);
CREATE UNIQUE INDEX IF NOT EXISTS edges_pair ON edges(source, target, relation, origin);
CREATE INDEX IF NOT EXISTS edges_down ON edges(target, relation, source, origin);
"""

# A document written without the graph's upkeep (another tool, an older version, a failed
# file's new status) is listed in graph_dirty, and `graph.sync` brings it in. Updates that
# leave what the graph reads alone (a file's mtime) mark nothing.
GRAPH_TRIGGERS_SQL = """
CREATE TRIGGER IF NOT EXISTS graph_dirty_ins AFTER INSERT ON documents
BEGIN INSERT OR IGNORE INTO graph_dirty(document_id) VALUES (new.id); END;
CREATE TRIGGER IF NOT EXISTS graph_dirty_upd
AFTER UPDATE OF path, status, sha256, key, type, number, year, issuer, date, date_text, title
ON documents BEGIN INSERT OR IGNORE INTO graph_dirty(document_id) VALUES (new.id); END;
CREATE TRIGGER IF NOT EXISTS graph_dirty_del AFTER DELETE ON documents
BEGIN INSERT OR IGNORE INTO graph_dirty(document_id) VALUES (old.id); END;
CREATE VIEW IF NOT EXISTS mentions AS
SELECT c.*, l.identity_id, i.node_id FROM citations c
JOIN mention_links l ON l.citation_id = c.id JOIN identities i ON i.id = l.identity_id;
"""


def statements(script: str) -> list[str]:
    """The SQL statements of `script`, one per item, comments dropped."""
    out, buf = [], []
    for line in script.splitlines():
        line = line.split("--", 1)[0].rstrip()
        if not line:
            continue
        buf.append(line)
        joined = "\n".join(buf)
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    return out


# --------------------------------------------------------------------------- migrations

def _columns(db, table: str) -> set[str]:
    return {r[1] for r in db.execute(f"pragma table_info([{table}])").fetchall()}


def _add_columns(db, table: str, columns) -> None:
    """Add the columns `table` lacks (a table an early version never made is left alone)."""
    have = _columns(db, table)
    if not have:
        return
    for col, sqltype in columns:
        if col not in have:
            db.execute(f"alter table [{table}] add column [{col}] {sqltype}")


def m001_documents(db) -> None:
    """documents, their extracted rows (sections, citations, relations, named_refs, deadlines),
    the section index, meta."""
    if "documents" in db.table_names():
        return
    db["documents"].create(_DOCUMENTS_V1, pk="id", not_null={"path"})
    db["documents"].create_index(["path"], unique=True)
    db["documents"].create_index(["key"])
    for t, columns in CHILD_SCHEMA.items():
        db[t].create({c: v for c, v in columns.items() if (t, c) not in _ADDED_LATER},
                     pk="id", foreign_keys=[("document_id", "documents", "id")])
        db[t].create_index(["document_id"])
    db["citations"].create_index(["key"])
    db["deadlines"].create_index(["value"])
    db["sections"].enable_fts(["heading", "text"], create_triggers=True)
    if "meta" not in db.table_names():
        db["meta"].create({"name": str, "value": str}, pk="name")


def m002_typed_deadlines(db) -> None:
    """Deadlines get their typed value (due_start … precision), filled from the stored `value`
    string; documents get `effective`."""
    from ..deadlines.values import when_of_value

    _add_columns(db, "documents", [("effective", "text")])
    _add_columns(db, "deadlines", [(c, "text") for c in ("due_start", "due_end", "rrule",
                                                         "duration", "anchor", "precision")])
    rows = db.execute("select id, value from deadlines where due_start is null and "
                      "due_end is null and rrule is null and duration is null").fetchall()
    db.conn.executemany(
        "update deadlines set due_start = ?, due_end = ?, rrule = ?, duration = ?, "
        "precision = ? where id = ?",
        [(w.start, w.end, w.rrule, w.duration, w.precision, i)
         for i, w in ((i, when_of_value(v)) for i, v in rows)])
    db.execute("create index if not exists idx_deadlines_due_end on deadlines(due_end)")


def m003_named_ref_relations(db) -> None:
    """named_refs.relation: a law cited by a name that identifies no one text keeps its
    relation (null for rows stored before: re-ingest to fill it)."""
    _add_columns(db, "named_refs", [("relation", "text")])


def m004_portal_box(db) -> None:
    """documents.portal: a legal portal's metadata box, JSON (null before: re-ingest)."""
    _add_columns(db, "documents", [("portal", "text")])


def m005_search_without_marks(db) -> None:
    """The section index ignores tone and vowel marks (search as phones type)."""
    row = db.execute("select sql from sqlite_master where name = 'sections_fts'").fetchone()
    if row and "remove_diacritics 2" not in row[0]:
        db["sections"].enable_fts(["heading", "text"], create_triggers=True,
                                  tokenize=FTS_TOKENIZE, replace=True)


def m006_reading(db) -> None:
    """documents.reading: how the text was read (OCR figures, legacy encoding), JSON."""
    _add_columns(db, "documents", [("reading", "text")])


def m007_file_mtime(db) -> None:
    """documents.mtime_ns: the file's mtime when stored, so ingest knows an unchanged file by
    one stat, without reading it."""
    _add_columns(db, "documents", [("mtime_ns", "integer")])


def m008_graph(db) -> None:
    """The citation graph's tables, indexes and triggers. Documents stored before are marked
    for the graph (`graph.sync` brings them in). An older version's update trigger fired on
    every column; it is replaced by one that fires on the columns the graph reads."""
    had_graph = "edges" in db.table_names()
    for stmt in statements(GRAPH_TABLES_SQL + GRAPH_INDEXES_SQL):
        db.execute(stmt)
    db.execute("drop trigger if exists graph_dirty_upd")
    for stmt in statements(GRAPH_TRIGGERS_SQL):
        db.execute(stmt)
    if not had_graph:
        db.execute("insert or ignore into graph_dirty(document_id) select id from documents")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable


MIGRATIONS = tuple(Migration(i, fn.__name__, fn) for i, fn in enumerate(
    (m001_documents, m002_typed_deadlines, m003_named_ref_relations, m004_portal_box,
     m005_search_without_marks, m006_reading, m007_file_mtime, m008_graph), start=1))
SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(db) -> int:
    """The last migration a database has had (0: a new, empty file)."""
    names = db.table_names()
    if "meta" not in names:
        return 1 if "documents" in names else 0
    row = db.execute("select value from meta where name = 'schema_version'").fetchone()
    return int(row[0]) if row else 1


def pending(db) -> list[Migration]:
    have = schema_version(db)
    return [m for m in MIGRATIONS if m.version > have]
