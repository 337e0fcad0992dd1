"""SQLite storage with sqlite-utils: schema, transactional writes, FTS over sections.

Only this module (and graph.py for its own tables) talks to SQLite. A document's rows are
replaced in one transaction, so a crash leaves either the old version or the new one.
A file that fails to read keeps whatever was stored for it before; its row says why it failed.
"""
from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Optional

import sqlite_utils

from .model import DocumentRecord

SCHEMA_VERSION = 6  # 2: typed deadline values (due_start ... precision), documents.effective
#                    3: named_refs.relation (a law cited by a name that identifies no one text)
#                    4: documents.portal (a portal's metadata box, JSON)
#                    5: the section index ignores tone and vowel marks (search as phones type)
#                    6: documents.reading (how the text was read: OCR figures, legacy encoding)

# 'giáo dục' is found by 'giao duc'; 'đ' has no decomposition, so queries try 'd' as 'đ' too
# (query.fts_match)
FTS_TOKENIZE = "unicode61 remove_diacritics 2"

CHILD_TABLES = ("sections", "citations", "relations", "named_refs", "deadlines")

# The tables holding a document's extracted rows (each also has the primary key `id`).
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


def open_db(path: str | Path, *, timeout: float = 30.0) -> sqlite_utils.Database:
    """Open (creating if needed) a directives database: WAL mode, foreign keys, schema ensured."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=timeout, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    if str(path) != ":memory:":
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    db.execute("PRAGMA synchronous=NORMAL")
    ensure_schema(db)
    return db


@contextmanager
def write_transaction(db: sqlite_utils.Database):
    """BEGIN IMMEDIATE … COMMIT: takes the write lock up front (a second writer waits, up to the
    busy timeout, instead of failing half-way); sqlite-utils writes inside nest as savepoints."""
    if db.conn.in_transaction:
        yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def ensure_schema(db: sqlite_utils.Database) -> None:
    if "documents" in db.table_names():
        _migrate(db)
        return
    with write_transaction(db):
        if "documents" in db.table_names():  # another process created it while we waited
            return
        db["documents"].create({
            "id": int, "path": str, "sha256": str, "format": str, "size": int,
            "status": str, "error": str, "ingested_at": str,
            "key": str, "type": str, "type_name": str, "number": str, "year": int,
            "symbol": str, "issuer": str, "issuer_inferred": int, "parent_issuer": str,
            "place": str, "date": str, "date_text": str, "title": str, "signer": str,
            "signer_role": str, "recipients": str, "text": str, "effective": str, "portal": str,
            "reading": str,
        }, pk="id", not_null={"path"})
        db["documents"].create_index(["path"], unique=True)
        db["documents"].create_index(["key"])
        for t, columns in CHILD_SCHEMA.items():
            db[t].create(columns, pk="id", foreign_keys=[("document_id", "documents", "id")])
            db[t].create_index(["document_id"])
        db["citations"].create_index(["key"])
        db["deadlines"].create_index(["value"])
        db["deadlines"].create_index(["due_end"])
        db["sections"].enable_fts(["heading", "text"], create_triggers=True,
                                  tokenize=FTS_TOKENIZE)
        db["meta"].create({"name": str, "value": str}, pk="name")
        db["meta"].insert({"name": "schema_version", "value": str(SCHEMA_VERSION)})


def _schema_version(db: sqlite_utils.Database) -> int:
    if "meta" not in db.table_names():
        return 1
    row = db.execute("select value from meta where name = 'schema_version'").fetchone()
    return int(row[0]) if row else 1


def _migrate(db: sqlite_utils.Database) -> None:
    """Bring a database made by an earlier version up to SCHEMA_VERSION, once, in one write
    transaction (additive: nothing stored is dropped).

    2: deadlines get their typed value (due_start, due_end, rrule, duration, anchor, precision),
       filled from the stored `value` string; documents get `effective`.
    3: named_refs get `relation` (null for rows stored before: re-ingest to fill it).
    4: documents get `portal` (null for rows stored before: re-ingest to fill it).
    5: the section index is rebuilt to ignore tone and vowel marks.
    6: documents get `reading` (null for rows stored before: re-ingest to fill it).
    """
    if _schema_version(db) >= SCHEMA_VERSION:
        return
    from .deadlines.values import when_of_value

    with write_transaction(db):
        if _schema_version(db) >= SCHEMA_VERSION:  # another process migrated while we waited
            return
        have = {r[1] for r in db.execute("pragma table_info(deadlines)").fetchall()}
        for col in ("due_start", "due_end", "rrule", "duration", "anchor", "precision"):
            if col not in have:
                db.execute(f"alter table deadlines add column [{col}] text")
        doc_cols = {r[1] for r in db.execute("pragma table_info(documents)").fetchall()}
        for col in ("effective", "portal", "reading"):
            if col not in doc_cols:
                db.execute(f"alter table documents add column [{col}] text")
        named_cols = {r[1] for r in db.execute("pragma table_info(named_refs)").fetchall()}
        if named_cols and "relation" not in named_cols:
            db.execute("alter table named_refs add column relation text")
        rows = db.execute("select id, value from deadlines").fetchall()
        db.conn.executemany(
            "update deadlines set due_start = ?, due_end = ?, rrule = ?, duration = ?, "
            "precision = ? where id = ?",
            [(w.start, w.end, w.rrule, w.duration, w.precision, i)
             for i, w in ((i, when_of_value(v)) for i, v in rows)])
        db.execute("create index if not exists idx_deadlines_due_end on deadlines(due_end)")
        fts_sql = db.execute("select sql from sqlite_master where name = 'sections_fts'").fetchone()
        if fts_sql and "remove_diacritics 2" not in fts_sql[0] and "sections" in db.table_names():
            db["sections"].enable_fts(["heading", "text"], create_triggers=True,
                                      tokenize=FTS_TOKENIZE, replace=True)
        db["meta"].upsert({"name": "schema_version", "value": str(SCHEMA_VERSION)}, pk="name")


def stored_hash(db: sqlite_utils.Database, path: str) -> Optional[tuple[str, str]]:
    """(sha256, status) of what is stored for `path`, or None."""
    row = db.execute("select sha256, status from documents where path = ?", [path]).fetchone()
    return (row[0], row[1]) if row else None


def _document_row(path: str, sha: str, fmt: str, size: int, rec: DocumentRecord) -> dict:
    h = rec.header
    return {
        "path": path, "sha256": sha, "format": fmt, "size": size, "status": "ok",
        "error": None, "ingested_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "key": h.key, "type": h.type, "type_name": h.type_name, "number": h.number,
        "year": h.year, "symbol": h.symbol, "issuer": h.issuer,
        "issuer_inferred": int(bool(getattr(h, "issuer_inferred", False))),
        "parent_issuer": h.parent_issuer, "place": h.place, "date": h.date,
        "date_text": h.date_text, "title": h.title, "signer": h.signer,
        "signer_role": h.signer_role, "recipients": json.dumps(h.recipients, ensure_ascii=False),
        "text": rec.text.text, "effective": h.effective,
        "portal": json.dumps(rec.portal, ensure_ascii=False) if rec.portal else None,
        "reading": json.dumps(rec.text.meta["reading"], ensure_ascii=False)
        if rec.text.meta.get("reading") else None,
    }


# Child rows are written with one prepared INSERT per table (executemany): sqlite-utils'
# insert_all rebuilt the statement and JSON-checked every value, a fifth of the writer's time.
# save_document gives each row's values in its table's column order here.
_COLUMNS = {t: tuple(c for c in cols if c != "id") for t, cols in CHILD_SCHEMA.items()}
_INSERT = {t: f"insert into [{t}] ({', '.join(f'[{c}]' for c in cols)}) "
              f"values ({', '.join('?' * len(cols))})" for t, cols in _COLUMNS.items()}


def save_document(db: sqlite_utils.Database, path: str, sha: str, size: int,
                  rec: DocumentRecord) -> int:
    """Replace everything stored for `path` with `rec`, atomically. Returns the document id."""
    text = rec.text.text
    row = _document_row(path, sha, rec.text.format or "", size, rec)
    with write_transaction(db):
        old = db.execute("select id from documents where path = ?", [path]).fetchone()
        if old:
            doc_id = old[0]
            for t in CHILD_TABLES:
                db.execute(f"delete from [{t}] where document_id = ?", [doc_id])
            db["documents"].update(doc_id, row)
        else:
            doc_id = db["documents"].insert(row).last_pk
        conn = db.conn
        conn.executemany(_INSERT["sections"], [(
            doc_id, s.id, s.parent, s.level, s.kind, s.heading, s.start, s.end,
            text[s.start:s.end]) for s in rec.sections])
        conn.executemany(_INSERT["citations"], [(
            doc_id, c.key, c.type, c.number, c.year, c.symbol, c.date, c.date_text, c.issuer,
            c.term, c.title, c.relation, c.position, c.section, c.text, c.start, c.end,
            int(c.short_form)) for c in rec.citations])
        conn.executemany(_INSERT["relations"], [
            (doc_id, r.source, r.relation, r.target, r.evidence) for r in rec.relations])
        conn.executemany(_INSERT["named_refs"], [(
            doc_id, n.type, n.name, n.year, n.start, n.end, n.relation) for n in rec.named_refs])
        conn.executemany(_INSERT["deadlines"], [(
            doc_id, d.text, d.start, d.end, d.kind, d.value, d.modifier, d.label, d.rule,
            d.section, d.task, d.agency, json.dumps(d.partners, ensure_ascii=False),
            d.due_start, d.due_end, d.rrule, d.duration, d.anchor, d.precision)
            for d in rec.deadlines])
        for hook in _after_save_hooks:
            hook(db, doc_id)
    return doc_id


def save_error(db: sqlite_utils.Database, path: str, sha: Optional[str], size: Optional[int],
               reason: str) -> None:
    """Record that `path` failed. Rows extracted from an earlier good version are kept."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S")
    with write_transaction(db):
        old = db.execute("select id from documents where path = ?", [path]).fetchone()
        if old:
            db["documents"].update(old[0], {"status": "error", "error": reason,
                                            "ingested_at": now, "sha256": sha})
        else:
            db["documents"].insert({"path": path, "sha256": sha, "size": size,
                                    "status": "error", "error": reason, "ingested_at": now,
                                    "recipients": "[]"})


def remove_documents(db: sqlite_utils.Database, paths: Iterable[str]) -> int:
    n = 0
    with write_transaction(db):
        for p in paths:
            row = db.execute("select id from documents where path = ?", [p]).fetchone()
            if not row:
                continue
            for t in CHILD_TABLES:
                db.execute(f"delete from [{t}] where document_id = ?", [row[0]])
            db.execute("delete from documents where id = ?", [row[0]])
            for hook in _after_save_hooks:
                hook(db, row[0])
            n += 1
    return n


# Modules that derive their own tables from a document's rows (graph.py) register here, so
# their update runs inside the same transaction as the write it follows.
_after_save_hooks: list = []


def register_after_save(fn) -> None:
    if fn not in _after_save_hooks:
        _after_save_hooks.append(fn)
