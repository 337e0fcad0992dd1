"""Bulk ingest: incremental runs, removed files, worker processes, kill -9 mid-way, two ingests
on one database, time limits and crashes in workers, progress output.

Folders are small synthetic copies of the bundled corpus (each copy made unique), so the whole
module runs in well under a minute.
"""
from __future__ import annotations

import importlib
import io
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ingest_mod = importlib.import_module("pipeline.ingest")  # the module (pipeline.ingest is the function)
from pipeline.ingest import ingest
from pipeline.progress import Progress, printable
from pipeline.storage import CHILD_TABLES, SCHEMA_VERSION, open_db

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "corpus").glob("*.txt"))
FORK = sys.platform.startswith("linux")


def make_folder(folder: Path, n: int, start: int = 0) -> list[Path]:
    """n unique text documents: corpus documents with a varied closing line, in sub-folders."""
    texts = [p.read_text(encoding="utf-8") for p in CORPUS]
    out = []
    for i in range(start, start + n):
        sub = folder / f"batch{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        p = sub / f"doc{i:04d}{'.md' if i % 2 else '.txt'}"
        p.write_text(texts[i % len(texts)] + f"\n\nBản sao số {i}, lưu ngày {1 + i % 28}/{1 + i % 12}"
                     f"/{2000 + i % 25}.\n", encoding="utf-8")
        out.append(p)
    return out


def dump(db_path: Path) -> dict:
    """Everything stored, keyed by path, without ids, times and mtimes: equal dumps mean equal
    databases as a user sees them."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    docs = {}
    paths = {}
    for r in conn.execute("select * from documents"):
        d = dict(r)
        paths[d["id"]] = d["path"]
        for k in ("id", "ingested_at", "mtime_ns"):
            d.pop(k, None)
        docs[d["path"]] = d
    out = {"documents": docs}
    for t in CHILD_TABLES:
        rows: dict[str, list] = {}
        for r in conn.execute(f"select * from [{t}] order by id"):
            d = dict(r)
            path = paths[d.pop("document_id")]
            d.pop("id")
            rows.setdefault(path, []).append(tuple(sorted(d.items())))
        out[t] = {p: sorted(v, key=repr) for p, v in rows.items()}
    conn.close()
    return out


def integrity(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("pragma integrity_check").fetchone()[0]
    finally:
        conn.close()


def cli(*args, cwd=None, env=None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd or ROOT,
                          capture_output=True, text=True, env=env, **kw)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    f = tmp_path_factory.mktemp("docs")
    make_folder(f, 24)
    return f


@pytest.fixture(scope="module")
def clean(folder, tmp_path_factory) -> dict:
    """A clean ingest of `folder` in this process: the reference state."""
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    report = ingest([folder], db, workers=0)
    assert report.ingested == 24 and not report.failed
    return dump(db)


# --------------------------------------------------------------------------- incremental

def test_workers_store_what_a_single_process_stores(folder, clean, tmp_path):
    db = tmp_path / "w.db"
    report = ingest([folder], db, workers=2, batch_files=5)
    assert (report.ingested, report.unchanged, report.failed) == (24, 0, [])
    assert dump(db) == clean
    assert integrity(db) == "ok"


def test_unchanged_files_are_skipped_without_reading(folder, tmp_path, monkeypatch):
    db = tmp_path / "u.db"
    ingest([folder], db, workers=0)
    calls = []
    real = ingest_mod.process_file
    monkeypatch.setattr(ingest_mod, "process_file", lambda *a: calls.append(a) or real(*a))
    # make the stored mtimes trustworthy (files written less than 2 s ago are re-hashed)
    old = time.time() - 3600
    for p in folder.rglob("*.*"):
        os.utime(p, (old, old))
    ingest([folder], db, workers=0)  # stores the settled mtimes (hash equal: no extraction)
    assert all(c[1] is not None for c in calls)  # compared by hash, not re-extracted
    calls.clear()
    report = ingest([folder], db, workers=0)
    assert (report.ingested, report.unchanged) == (0, 24)
    assert calls == []  # one stat per file, nothing read


def test_touched_file_is_hashed_not_reextracted(tmp_path):
    src = tmp_path / "src"
    (p,) = make_folder(src, 1)
    db = tmp_path / "t.db"
    ingest([src], db, workers=0)
    before = dump(db)
    os.utime(p, (time.time() - 100, time.time() - 100))
    report = ingest([src], db, workers=0)
    assert (report.ingested, report.unchanged) == (0, 1)
    assert dump(db) == before


def test_changed_file_is_replaced_and_equals_a_clean_ingest(tmp_path):
    src = tmp_path / "src"
    files = make_folder(src, 4)
    db = tmp_path / "c.db"
    ingest([src], db, workers=0)
    files[1].write_text(CORPUS[3].read_text(encoding="utf-8"), encoding="utf-8")
    report = ingest([src], db, workers=0)
    assert (report.ingested, report.unchanged) == (1, 3)
    fresh = tmp_path / "fresh.db"
    ingest([src], fresh, workers=0)
    assert dump(db) == dump(fresh)


def test_force_reextracts(folder, tmp_path):
    db = tmp_path / "f.db"
    ingest([folder], db, workers=0)
    assert ingest([folder], db, workers=0, force=True).ingested == 24


def test_a_file_that_starts_failing_keeps_its_rows_and_recovers(tmp_path):
    src = tmp_path / "src"
    (p,) = make_folder(src, 1)
    good = p.read_bytes()
    db = tmp_path / "r.db"
    ingest([src], db, workers=0)
    n_sections = len(dump(db)["sections"][str(p)])
    p.write_bytes(b"Quy\x80\x81 garbage " * 10)
    report = ingest([src], db, workers=0)
    assert len(report.failed) == 1
    d = dump(db)
    assert d["documents"][str(p)]["status"] == "error"
    assert len(d["sections"][str(p)]) == n_sections  # the old good rows are kept
    p.write_bytes(good)
    report = ingest([src], db, workers=0)
    assert report.ingested == 1 and dump(db)["documents"][str(p)]["status"] == "ok"


def test_removed_file_is_reported_then_pruned_on_request(tmp_path):
    src = tmp_path / "src"
    files = make_folder(src, 3)
    db = tmp_path / "m.db"
    ingest([src], db, workers=0)
    files[0].unlink()
    report = ingest([src], db, workers=0)
    assert report.missing == [str(files[0])] and report.removed == 0
    r = cli("status", "--db", db)
    assert f"missing: {files[0]}" in r.stdout and "2 ok, 0 failed, 1 missing" in r.stdout
    # another folder's files are never reported missing by an ingest of this one
    other = tmp_path / "other"
    make_folder(other, 1, start=50)
    assert ingest([other], db, workers=0).missing == []
    r = cli("ingest", src, "--db", db, "--prune", "--workers", "0")
    assert r.returncode == 0, r.stderr
    assert "1 file(s) no longer on disk, removed" in r.stderr
    d = dump(db)
    assert str(files[0]) not in d["documents"] and str(files[0]) not in d["sections"]
    assert len(d["documents"]) == 3  # 2 left in src + 1 in other


def test_cli_ingest_summary_and_quiet(folder, tmp_path):
    db = tmp_path / "q.db"
    r = cli("ingest", folder, "--db", db, "--quiet", "--workers", "2")
    assert r.returncode == 0, r.stderr
    assert "24 ingested, 0 unchanged, 0 failed (24 files)" in r.stdout
    assert r.stderr == ""  # quiet: no progress, no errors
    r = cli("ingest", folder, "--db", db)
    assert "0 ingested, 24 unchanged" in r.stdout
    assert "ingest: 24 files to check" in r.stderr  # not a terminal: plain log lines


# --------------------------------------------------------------------------- interruption

def _count_ok(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("select count(*) from documents where status='ok'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _kill_when(db: Path, proc: subprocess.Popen, at_least: int, extra: float) -> int:
    deadline = time.monotonic() + 60
    while _count_ok(db) < at_least:
        assert proc.poll() is None, "ingest finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    time.sleep(extra)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    return _count_ok(db)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_kill_9_mid_ingest_leaves_whole_documents_and_rerun_finishes(tmp_path):
    big = tmp_path / "big"
    make_folder(big, 150)
    ref = tmp_path / "ref.db"
    assert ingest([big], ref, workers=2).ingested == 150
    clean = dump(ref)

    db = tmp_path / "k.db"
    rng = random.Random(7)
    for round_ in range(2):  # kill once on a fresh database, once during a re-run
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "ingest", str(big), "--db", str(db),
             "--workers", "2", "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        have = _count_ok(db)
        stored = _kill_when(db, proc, have + 1, rng.uniform(0.0, 0.4))
        assert integrity(db) == "ok"
        assert 0 < stored < 150, "the kill should land mid-way"
        partial = dump(db)
        for path, doc in partial["documents"].items():  # each document whole, or absent
            assert doc == clean["documents"][path]
            for t in CHILD_TABLES:
                assert partial[t].get(path) == clean[t].get(path), (t, path)
        leftovers = list(tmp_path.glob("k.db*"))
        assert leftovers  # the WAL may remain; opening the database recovers it

    r = cli("ingest", big, "--db", db, "--workers", "2", "--quiet")
    assert r.returncode == 0, r.stderr
    assert integrity(db) == "ok"
    assert dump(db) == clean


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="posix")
def test_ctrl_c_keeps_finished_documents_and_exits_130(tmp_path):
    big = tmp_path / "big"
    make_folder(big, 120)
    db = tmp_path / "c.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "ingest", str(big), "--db", str(db), "--workers", "2",
         "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while _count_ok(db) < 1:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert integrity(db) == "ok"
    done = _count_ok(db)
    assert 0 < done <= 120
    r = cli("ingest", big, "--db", db, "--workers", "2", "--quiet")
    assert r.returncode == 0 and f"{120 - done} ingested, {done} unchanged" in r.stdout


# --------------------------------------------------------------------------- concurrency

def test_two_ingests_on_one_database_at_once(tmp_path):
    shared = tmp_path / "shared"
    make_folder(shared, 60)
    only_b = tmp_path / "only_b"
    make_folder(only_b, 20, start=100)
    ref = tmp_path / "ref.db"
    ingest([shared, only_b], ref, workers=2)
    clean = dump(ref)

    db = tmp_path / "two.db"
    args = ["--db", str(db), "--workers", "1", "--quiet"]
    a = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(shared), *args],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    b = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(only_b), str(shared),
                          *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    out_a, err_a = a.communicate(timeout=120)
    out_b, err_b = b.communicate(timeout=120)
    assert a.returncode == 0, err_a
    assert b.returncode == 0, err_b
    assert integrity(db) == "ok"
    conn = sqlite3.connect(db)
    n, distinct = conn.execute("select count(*), count(distinct path) from documents").fetchone()
    conn.close()
    assert n == distinct == 80
    assert dump(db) == clean  # every file once, with exactly its own rows


# --------------------------------------------------------------------------- workers

def _slow_or_crash(path, prev_sha, limits, **kw):
    name = os.path.basename(path)
    if name.startswith("slow"):
        time.sleep(30)
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    return _REAL_PROCESS_FILE(path, prev_sha, limits, **kw)


_REAL_PROCESS_FILE = ingest_mod.process_file


@pytest.mark.skipif(not FORK, reason="patching the worker function needs fork()")
def test_a_worker_over_time_or_dying_costs_one_file(tmp_path, monkeypatch):
    src = tmp_path / "src"
    files = make_folder(src, 8)
    files[2].rename(src / "batch2" / "slow.txt")
    files[5].rename(src / "batch2" / "crash.txt")
    monkeypatch.setattr(ingest_mod, "process_file", _slow_or_crash)
    db = tmp_path / "w.db"
    t0 = time.monotonic()
    report = ingest([src], db, workers=2, timeout=2)
    assert time.monotonic() - t0 < 20
    failed = dict(report.failed)
    assert failed[str(src / "batch2" / "slow.txt")] == "extraction timed out after 2 s"
    assert "worker process died" in failed[str(src / "batch2" / "crash.txt")]
    assert report.ingested == 6 and len(failed) == 2
    rows = {r[0]: r[1] for r in sqlite3.connect(db).execute("select path, status from documents")}
    assert sorted(rows.values()) == ["error"] * 2 + ["ok"] * 6


def test_workers_zero_runs_in_process(folder, clean, tmp_path):
    db = tmp_path / "z.db"
    assert ingest([folder], db, workers=0).workers == 0
    assert dump(db) == clean


def test_the_graph_upkeep_runs_inside_the_batch(tmp_path, monkeypatch):
    """The writer keeps the graph in step itself, in each document's own transaction, and
    leaves nothing for a later sync."""
    from pipeline import graph

    seen = []
    real = graph.sync_document
    monkeypatch.setattr(graph, "sync_document", lambda db, doc_id: (
        seen.append((doc_id, db.conn.in_transaction)), real(db, doc_id)))
    src = tmp_path / "src"
    make_folder(src, 3)
    ingest([src], tmp_path / "h.db", workers=0)
    assert len(seen) == 3 and all(in_tx for _, in_tx in seen)
    db = open_db(tmp_path / "h.db")
    assert db.execute("select count(*) from graph_dirty").fetchone()[0] == 0
    assert db.execute("select count(*) from document_nodes").fetchone()[0] == 3


def test_a_document_the_database_refuses_fails_alone(tmp_path, monkeypatch):
    from pipeline import graph

    real = graph.sync_document

    def refuse(db, doc_id):
        path = db.execute("select path from documents where id = ?", [doc_id]).fetchone()[0]
        if path.endswith("doc0001.md"):
            raise ValueError("hook refused")
        real(db, doc_id)

    monkeypatch.setattr(graph, "sync_document", refuse)
    src = tmp_path / "src"
    make_folder(src, 3)
    db = tmp_path / "x.db"
    report = ingest([src], db, workers=0)
    assert report.ingested == 2
    assert report.failed == [(str(src / "batch1" / "doc0001.md"),
                              "could not store: ValueError: hook refused")]
    d = dump(db)
    assert str(src / "batch1" / "doc0001.md") not in d["sections"]  # rolled back, no half rows


# --------------------------------------------------------------------------- progress

def test_progress_bar_on_a_terminal():
    out = io.StringIO()
    p = Progress(out, tty=True, redraw_every=0)
    p.start(4)
    p.advance("ok", 2_000_000)
    p.message("error: a\nb.txt: empty file")
    p.advance("error")
    p.advance("unchanged")
    p.finish()
    text = out.getvalue()
    assert "\r" in text and "3/4" in text and "1 failed" in text and "MB/s" in text
    assert "error: a\\nb.txt: empty file\n" in text  # one line whatever the name holds
    assert text.endswith("\n")


def test_progress_log_lines_when_not_a_terminal():
    out = io.StringIO()
    p = Progress(out, tty=False, log_every=0)
    p.start(2)
    p.advance("ok", 10)
    p.advance("ok", 10)
    p.finish()
    lines = out.getvalue().splitlines()
    assert lines[0] == "ingest: 2 files to check"
    assert lines[-1].startswith("ingest: 2/2 files (100%)") and "\r" not in out.getvalue()


def test_progress_quiet_prints_only_messages():
    out = io.StringIO()
    p = Progress(out, quiet=True, tty=True)
    p.start(1)
    p.advance("error")
    p.message("error: x: y")
    p.finish()
    assert out.getvalue() == "error: x: y\n"


def test_printable_escapes_controls_and_undecodable_bytes():
    assert printable("a\nb\tc") == "a\\nb\\tc"
    assert printable(os.fsdecode(b"t\xffn.txt")) == "t\\udcffn.txt"


def test_every_migration_is_additive_and_can_run_twice(tmp_path):
    from pipeline.storage import schema, write_transaction

    db = open_db(tmp_path / "old.db")
    db.execute("insert into documents (path, status) values ('x', 'ok')")
    db.conn.commit()
    with write_transaction(db):
        for m in schema.MIGRATIONS:  # again, on a database that has had them all
            m.apply(db)
    assert db.execute("select path, mtime_ns from documents").fetchall() == [("x", None)]
    assert [m.version for m in schema.MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))
    db.close()


def test_a_version_6_database_gets_file_times_and_the_graph_tables(corpus_db_copy):
    """A database made before the graph tables were part of the schema: opening it adds them
    and marks its documents for the graph, which a sync then brings in."""
    from pipeline import graph

    db_path = corpus_db_copy
    db = open_db(db_path)
    before = graph.snapshot(db)
    for t in ("identities", "nodes", "node_candidates", "mention_links", "document_nodes",
              "edge_sources", "edges", "graph_dirty"):
        db.execute(f"drop table {t}")
    db.execute("drop view mentions")
    for t in ("graph_dirty_ins", "graph_dirty_upd", "graph_dirty_del"):
        db.execute(f"drop trigger {t}")
    db.execute("alter table documents drop column mtime_ns")
    db.execute("update meta set value = '6' where name = 'schema_version'")
    db.conn.commit()
    db.close()
    db = open_db(db_path)
    assert db.execute("select count(*) from graph_dirty").fetchone()[0] == 5
    assert graph.sync(db) == 5
    assert graph.snapshot(db) == before
    assert db.execute("select count(*) from documents where mtime_ns is null").fetchone()[0] == 5


def test_an_old_database_is_not_migrated_by_a_read_only_open(tmp_path):
    from pipeline.storage import StorageError

    db_path = tmp_path / "old.db"
    db = open_db(db_path)
    db.execute("update meta set value = '5' where name = 'schema_version'")
    db.conn.commit()
    db.close()
    with pytest.raises(StorageError, match="older version"):
        open_db(db_path, readonly=True)
    with pytest.raises(StorageError, match="no database"):
        open_db(tmp_path / "none.db", readonly=True)
    assert not (tmp_path / "none.db").exists()
    open_db(db_path).close()  # read-write: migrated
    open_db(db_path, readonly=True).close()


def test_a_version_2_database_gets_named_ref_relations(tmp_path):
    """Schema 3 adds named_refs.relation to a database stored before, keeping its rows."""
    db_path = tmp_path / "v2.db"
    db = open_db(db_path)
    db.execute("alter table named_refs drop column relation")
    db.execute("update meta set value = '2' where name = 'schema_version'")
    db.execute("insert into documents (id, path, status) values (1, 'a.txt', 'ok')")
    db.execute("insert into named_refs (document_id, type, name, year, start, end) "
               "values (1, 'Luật', 'Luật Nhà giáo', null, 0, 13)")
    db.conn.commit()
    db.close()
    db = open_db(db_path)
    assert db.execute("select name, relation from named_refs").fetchall() == [("Luật Nhà giáo", None)]
    assert db.execute("select value from meta where name = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)


def test_search_as_phones_type_it(corpus_db_path):
    """No tone marks, d for đ: 'giao duc', 'dao tao' find 'giáo dục', 'đào tạo'."""
    from pipeline.storage.queries import search

    db = open_db(corpus_db_path, readonly=True)
    for q in ("giao duc", "dao tao", "GIÁO DỤC", "Đào tạo"):
        got = search(db, q, limit=5)
        assert got and all("[" in r["snippet"] for r in got), q
    assert search(db, '" OR 1=1 --') == [] and search(db, "NEAR(") == []


def test_a_version_4_index_is_rebuilt_to_ignore_marks(corpus_db_copy):
    from pipeline.storage.queries import search

    db_path = corpus_db_copy
    db = open_db(db_path)
    db["sections"].enable_fts(["heading", "text"], create_triggers=True,
                              tokenize="unicode61 remove_diacritics 0", replace=True)
    db.execute("update meta set value = '4' where name = 'schema_version'")
    db.conn.commit()
    assert search(db, "giao duc") == []  # the old index: marks matter
    db.close()
    db = open_db(db_path)
    assert search(db, "giao duc")
    assert db.execute("select value from meta where name = 'schema_version'").fetchone()[0] == \
        str(SCHEMA_VERSION)


def _slow_pages(path, prev_sha, limits, on_page=None, **kw):
    for page in range(1, 5):  # four OCR'd pages of 1.2 s: 4.8 s in all, each under the limit
        time.sleep(1.2)
        if on_page is not None:
            on_page(page, 4)
    return _REAL_PROCESS_FILE(path, prev_sha, limits, on_page=on_page, **kw)


@pytest.mark.skipif(not FORK, reason="patching the worker function needs fork()")
def test_the_time_limit_applies_to_each_ocr_page_not_the_whole_scan(tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(CORPUS[3], src / "scan.txt")
    monkeypatch.setattr(ingest_mod, "process_file", _slow_pages)
    report = ingest([src], tmp_path / "p.db", workers=1, timeout=2.5)
    assert report.failed == [] and report.ingested == 1
