"""Opening a database and writing documents: transactional, idempotent, nothing lost.

A document's rows are replaced in one transaction, so a crash leaves either the old version or
the new one. A file that fails to read keeps whatever was stored for it before; its row says
why it failed. The graph's upkeep is not done here: the ingest writer calls it, explicitly,
inside the same transaction (graph.sync_document).
"""
from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Optional

import sqlite_utils

from ..model import DocumentRecord
from . import schema
from .schema import CHILD_SCHEMA, CHILD_TABLES


class StorageError(Exception):
    """A database that cannot be used as asked (missing, not a directives database, or made by
    an older version and opened read-only)."""


def open_db(path: str | Path, *, timeout: float = 30.0,
            readonly: bool = False) -> sqlite_utils.Database:
    """Open (creating if needed) a directives database: WAL mode, foreign keys, migrations run.

    `readonly`: open an existing database without any write (the web server, queries): no file
    is created, no migration runs; a database that needs one raises StorageError."""
    if readonly:
        return _open_readonly(Path(path), timeout)
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


def is_directives_db(path: str | Path) -> bool:
    """Whether `path` is an SQLite file holding a documents table (of any schema version)."""
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return schema.schema_version(sqlite_utils.Database(conn)) > 0
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def _open_readonly(path: Path, timeout: float) -> sqlite_utils.Database:
    if not path.is_file():
        raise StorageError(f"no database at {path}")
    conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, timeout=timeout,
                           check_same_thread=False)
    db = sqlite_utils.Database(conn)
    try:
        version = schema.schema_version(db)
    except sqlite3.DatabaseError as e:
        conn.close()
        raise StorageError(f"{path} is not a directives database ({e})") from None
    if version == 0:
        conn.close()
        raise StorageError(f"{path} is not a directives database (no documents table)")
    if schema.pending(db):
        conn.close()
        raise StorageError(f"{path} was made by an older version (schema {version}, now "
                           f"{schema.SCHEMA_VERSION}): open it once read-write to upgrade it "
                           "(e.g. `directives status --db PATH`)")
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
    """Run the migrations a database has not had (schema.MIGRATIONS), in one write transaction."""
    if not schema.pending(db):
        return
    with write_transaction(db):
        todo = schema.pending(db)  # another process may have migrated while we waited
        for m in todo:
            m.apply(db)
        if todo:
            db["meta"].upsert({"name": "schema_version", "value": str(todo[-1].version)},
                              pk="name")


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
                  rec: DocumentRecord, *, mtime_ns: Optional[int] = None) -> int:
    """Replace everything stored for `path` with `rec`, atomically. Returns the document id.
    `mtime_ns`: the file's mtime, so that the next ingest knows it unchanged by one stat."""
    text = rec.text.text
    row = _document_row(path, sha, rec.text.format or "", size, rec)
    row["mtime_ns"] = mtime_ns
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
    return doc_id


def save_error(db: sqlite_utils.Database, path: str, sha: Optional[str], size: Optional[int],
               reason: str) -> None:
    """Record that `path` failed. Rows extracted from an earlier good version are kept (its
    mtime is forgotten, so the next ingest reads the file again)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S")
    with write_transaction(db):
        old = db.execute("select id from documents where path = ?", [path]).fetchone()
        if old:
            db["documents"].update(old[0], {"status": "error", "error": reason,
                                            "ingested_at": now, "sha256": sha,
                                            "mtime_ns": None})
        else:
            db["documents"].insert({"path": path, "sha256": sha, "size": size,
                                    "status": "error", "error": reason, "ingested_at": now,
                                    "recipients": "[]"})


def touch_file(db: sqlite_utils.Database, path: str, size: int, mtime_ns: int) -> None:
    """A file found unchanged in content under a new mtime: remember the mtime and size."""
    db.execute("update documents set mtime_ns = ?, size = ? where path = ?",
               [mtime_ns, size, path])


def file_index(db: sqlite_utils.Database) -> dict[str, tuple]:
    """path → (sha256, status, size, mtime_ns) for every stored file, in one query."""
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in db.execute(
        "select path, sha256, status, size, mtime_ns from documents")}


def stored_paths(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("select path from documents order by path")]


def remove_documents(db: sqlite_utils.Database, paths: Iterable[str]) -> list[int]:
    """Delete the stored rows of `paths`; returns the ids removed (for the graph's upkeep)."""
    removed = []
    with write_transaction(db):
        for p in paths:
            row = db.execute("select id from documents where path = ?", [p]).fetchone()
            if not row:
                continue
            for t in CHILD_TABLES:
                db.execute(f"delete from [{t}] where document_id = ?", [row[0]])
            db.execute("delete from documents where id = ?", [row[0]])
            removed.append(row[0])
    return removed

