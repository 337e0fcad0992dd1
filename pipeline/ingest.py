"""Bulk ingest: walk folders, skip what is unchanged, extract the rest in worker processes,
and store the results from one writer in batched transactions.

    walk ──▶ stat / compare with the stored index ──▶ worker processes ──▶ one writer ──▶ SQLite
             (unchanged: size+mtime, then hash)        (hash, read,          (batches of ~50
                                                         extract)             files or ~1 s)

* Unchanged files cost one stat: the stored (size, mtime) is loaded once at the start; a file
  whose size or mtime moved is hashed and only re-extracted when its SHA-256 differs.
* Each worker holds at most two files; the writer (a thread of the main process, fed by a
  bounded queue) holds at most one batch. Memory does not grow with the documents; only the
  list of paths and the stored index do (~0.5 KB a file).
* Each document is replaced atomically (a savepoint inside the batch transaction); the batch
  commits as a whole. Killing the process at any moment loses at most the uncommitted batch;
  a re-run finishes the rest.
* A worker that runs over `timeout` seconds on one file is killed and replaced; the file is
  recorded as "extraction timed out". A worker that dies (out of memory, crash) costs one file.
* Bad input never stops the batch: every failure is one row with status 'error' and a reason.
* Two ingests on the same database interleave their batches (BEGIN IMMEDIATE waits on the other);
  a path is one row whichever commits last.
* The writer keeps the citation graph in step: each saved document's graph upkeep runs in its own
  savepoint (graph.sync_document), and each batch ends with graph.sync for the rest (a failed
  file's new status, pruned files).

Why this file is long: the walk, the worker processes (start, time limits, kill and replace,
signs of life) and the writer thread are driven by one loop and share its bookkeeping. One
file's job is in filejob.py, the Dask pool in cluster.py.
"""
from __future__ import annotations

import os
import queue
import signal
import sqlite3
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from .filejob import (DEFAULT_MAX_FILE_MB, DEFAULT_MAX_TEXT_MB, MB, Limits, os_reason, process_file)
from .readers import OCR_MODES, SUPPORTED as READABLE

SUPPORTED = set(READABLE)  # what the readers read (pipeline/readers): one list

DEFAULT_TIMEOUT = 120.0       # seconds of extraction for one file
BATCH_FILES = 50
BATCH_SECONDS = 1.0
BATCH_BYTES = 64 * MB         # of extracted text held before a commit
RACY_NS = 2_000_000_000       # a file modified this recently is not trusted by its mtime
PER_WORKER = 2                # files queued to a worker (one working, one waiting)


@dataclass
class IngestReport:
    seen: int = 0
    ingested: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    removed: int = 0
    bytes: int = 0              # bytes of the files extracted (not the unchanged ones)
    elapsed: float = 0.0
    workers: int = 0

    def to_dict(self) -> dict:
        return {"seen": self.seen, "ingested": self.ingested, "unchanged": self.unchanged,
                "failed": [{"path": p, "error": e} for p, e in self.failed],
                "missing": list(self.missing), "removed": self.removed, "bytes": self.bytes,
                "elapsed": round(self.elapsed, 3), "workers": self.workers}


# --------------------------------------------------------------------------- walking

def iter_files(paths: Iterable[str | Path],
               on_error: Optional[Callable[[str, str], None]] = None) -> Iterator[Path]:
    """Files under `paths` with a supported extension, sorted, hidden files skipped.

    Symlinked folders are not followed (no loops); a named file is taken as it is, whatever its
    extension, so that a bad one gets its own clear error. A folder that cannot be listed is
    passed to `on_error(path, reason)`.
    """
    def walk_error(e: OSError) -> None:
        if on_error:
            on_error(str(e.filename or "?"), f"cannot list folder: {os_reason(e)}")

    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False, onerror=walk_error):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or os.path.splitext(name)[1].lower() not in SUPPORTED:
                        continue
                    yield Path(root) / name
        else:
            yield p


def path_key(path: str | Path) -> str:
    """The text stored for a path: as given, with bytes that are not UTF-8 (a file name from an
    old zip or a Windows share) shown as \\x escapes, since SQLite stores UTF-8 only."""
    s = os.fspath(path)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


# --------------------------------------------------------------------------- one file (worker)

# --------------------------------------------------------------------------- worker processes

def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the parent dies (kill -9 of the ingest)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - elsewhere, the worker notices EOF / a new parent
        pass


def _worker_main(conn, inherited, limits: Limits, parent_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C does
    _die_with_parent()
    for c in inherited:  # other workers' pipe ends copied by fork: close, or EOFs never come
        try:
            c.close()
        except OSError:
            pass
    while True:
        try:
            while not conn.poll(1.0):
                if os.getppid() != parent_pid:
                    return
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        tid, path, prev_sha = msg

        def alive(done: int, total: int, tid=tid) -> None:
            conn.send((tid, None))  # one more page OCR'd: the time limit starts again

        result = process_file(path, prev_sha, limits, on_page=alive)
        try:
            conn.send((tid, result))
        except (EOFError, OSError, BrokenPipeError):
            return
        except Exception as e:  # noqa: BLE001 - an unpicklable record
            conn.send((tid, ("error", result[1], result[2],
                             f"internal error: result not transferable: {type(e).__name__}: {e}")))


class _Worker:
    __slots__ = ("proc", "conn", "queue", "started")

    def __init__(self, proc, conn):
        self.proc = proc
        self.conn = conn
        self.queue: deque = deque()   # task ids, the head is being extracted
        self.started = 0.0            # when the head task started


class WorkerPool:
    """N worker processes, each with its own pipe, at most PER_WORKER files each; a worker over
    its time limit or dead is replaced and only its current file fails."""

    def __init__(self, n: int, limits: Limits, timeout: Optional[float],
                 fork_lock: Optional[threading.Lock] = None):
        import multiprocessing as mp

        methods = mp.get_all_start_methods()
        self.ctx = mp.get_context("fork" if "fork" in methods else "spawn")
        self.limits = limits
        self.timeout = timeout
        self.n = n
        # fork() only while the writer thread is idle: never inside SQLite or a print
        self.fork_lock = fork_lock or threading.Lock()
        self.workers: list[_Worker] = []
        self.tasks: dict[int, tuple] = {}   # tid → (key, path, prev_sha, extra)
        for _ in range(n):
            self.workers.append(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe(duplex=True)
        inherited = [w.conn for w in self.workers] + [parent]
        proc = self.ctx.Process(target=_worker_main,
                                args=(child, inherited if self.ctx.get_start_method() == "fork"
                                      else [], self.limits, os.getpid()),
                                daemon=True)
        with self.fork_lock:
            proc.start()
        child.close()
        return _Worker(proc, parent)

    def capacity(self) -> int:
        return sum(PER_WORKER - len(w.queue) for w in self.workers)

    def busy(self) -> bool:
        return any(w.queue for w in self.workers)

    def submit(self, tid: int, task: tuple) -> None:
        i = min(range(len(self.workers)), key=lambda i: len(self.workers[i].queue))
        w = self.workers[i]
        if not w.queue and not w.proc.is_alive():  # died idle: replace, blame no file
            self._replace_idle(i)
            w = self.workers[i]
        try:
            w.conn.send((tid, task[1], task[2]))
        except (OSError, ValueError):
            if w.queue:  # its death will be noticed (and blamed on its current file) in collect
                raise
            self._replace_idle(i)
            w = self.workers[i]
            w.conn.send((tid, task[1], task[2]))
        self.tasks[tid] = task
        if not w.queue:
            w.started = time.monotonic()
        w.queue.append(tid)

    def _replace_idle(self, i: int) -> None:
        w = self.workers[i]
        w.proc.join(1)
        try:
            w.conn.close()
        except OSError:
            pass
        self.workers[i] = self._spawn()

    def _retire(self, i: int, reason: str, requeue: list) -> tuple:
        """Kill worker i, fail its current task with `reason`, requeue its others."""
        w = self.workers[i]
        try:
            w.proc.kill()
        except Exception:  # noqa: BLE001
            pass
        w.proc.join(5)
        try:
            w.conn.close()
        except OSError:
            pass
        head = w.queue.popleft()
        for tid in w.queue:
            requeue.append((tid, self.tasks.pop(tid)))
        task = self.tasks.pop(head)
        self.workers[i] = self._spawn()
        return task, ("error", None, None, reason)

    def collect(self, wait: float) -> tuple[list, list]:
        """Wait up to `wait` s; returns (finished [(task, result)], tasks to requeue)."""
        from multiprocessing.connection import wait as mp_wait

        done, requeue = [], []
        busy = [w for w in self.workers if w.queue]
        if not busy:
            return done, requeue
        now = time.monotonic()
        if self.timeout:
            wait = min(wait, max(0.0, min(w.started + self.timeout for w in busy) - now))
        objs = {}
        for w in busy:
            objs[w.conn] = w
            objs[w.proc.sentinel] = w
        ready = mp_wait(list(objs), timeout=wait)
        seen = set()
        for obj in ready:
            w = objs[obj]
            if id(w) in seen:
                continue
            seen.add(id(w))
            i = self.workers.index(w)
            while w.queue:
                try:
                    if not w.conn.poll():
                        break
                    tid, result = w.conn.recv()
                except (EOFError, OSError):
                    break
                if result is None:  # a page of a scan done: the file's time limit restarts
                    if w.queue and w.queue[0] == tid:
                        w.started = time.monotonic()
                    continue
                if w.queue and w.queue[0] == tid:
                    w.queue.popleft()
                    w.started = time.monotonic()
                    done.append((self.tasks.pop(tid), result))
            if w.queue and not w.proc.is_alive():
                code = w.proc.exitcode
                how = (f"killed by signal {-code}" if code is not None and code < 0
                       else f"exit code {code}")
                done.append(self._retire(
                    i, f"worker process died while extracting ({how}; out of memory?)", requeue))
        if self.timeout:
            now = time.monotonic()
            for i, w in enumerate(self.workers):
                if w.queue and now - w.started > self.timeout:
                    done.append(self._retire(
                        i, f"extraction timed out after {self.timeout:g} s", requeue))
        return done, requeue

    def close(self) -> None:
        for w in self.workers:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + 2
        for w in self.workers:
            w.proc.join(max(0.0, deadline - time.monotonic()))
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(1)
            try:
                w.conn.close()
            except OSError:
                pass
        self.workers = []


class _InlinePool:
    """workers=0: extract in this process (no time limit; for debugging and tiny runs)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.queue: deque = deque()
        self.n = 0

    def capacity(self) -> int:
        return 1 - len(self.queue)

    def busy(self) -> bool:
        return bool(self.queue)

    def submit(self, tid: int, task: tuple) -> None:
        self.queue.append(task)

    def collect(self, wait: float):
        done = []
        while self.queue:
            task = self.queue.popleft()
            done.append((task, process_file(task[1], task[2], self.limits)))
        return done, []

    def close(self) -> None:
        pass


# --------------------------------------------------------------------------- database side

def _is_locked(e: sqlite3.OperationalError) -> bool:
    msg = str(e).lower()
    return "locked" in msg or "busy" in msg


def _write_one(db, item) -> tuple[str, Optional[str]]:
    """Store one result inside the open batch transaction, atomically (a savepoint).
    Returns the final (status, error)."""
    from . import graph
    from .storage import save_document, save_error, touch_file

    key, kind, sha, size, mtime_ns, payload = item
    try:
        with db.atomic():
            if kind == "ok":
                doc_id = save_document(db, key, sha, size, payload, mtime_ns=mtime_ns)
                graph.sync_document(db, doc_id)
                return "ok", None
            if kind == "unchanged":  # same content, new mtime: remember it, nothing else
                touch_file(db, key, size, mtime_ns)
                return "unchanged", None
            save_error(db, key, sha, size, payload)
            return "error", payload
    except sqlite3.OperationalError:
        raise  # locked, disk full, I/O error: the batch cannot go on
    except Exception as e:  # noqa: BLE001 - a record the database refuses fails alone
        reason = f"could not store: {type(e).__name__}: {e}"
        with db.atomic():
            save_error(db, key, sha, size, reason)
        return "error", reason


def _flush(db, batch: list, lock_wait: float) -> list[tuple[str, Optional[str]]]:
    """Write `batch` in one transaction; retry while another writer holds the database."""
    from . import graph
    from .storage import write_transaction

    deadline = time.monotonic() + lock_wait
    while True:
        try:
            with write_transaction(db):
                results = [_write_one(db, item) for item in batch]
                graph.sync(db)  # a failed file's new status, rows written by other tools
                return results
        except sqlite3.OperationalError as e:
            if not _is_locked(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


_STOP = object()


class _Writer(threading.Thread):
    """The one writer: takes results from a bounded queue, commits them in batches (every
    `batch_files` files, `batch_seconds` seconds or BATCH_BYTES of text, whichever comes first)
    and reports each file after its commit. A thread, so that the workers are fed while a
    batch is being written (SQLite releases the GIL while it works)."""

    def __init__(self, db, finish, batch_files: int, batch_seconds: float, lock_wait: float):
        super().__init__(name="directives-ingest-writer", daemon=True)
        self.db = db
        self.on_commit = finish
        self.batch_files = max(1, batch_files)
        self.batch_seconds = batch_seconds
        self.lock_wait = lock_wait
        self.q: queue.Queue = queue.Queue(maxsize=max(8, 2 * self.batch_files))
        self.error: Optional[BaseException] = None
        self._abandoned = False
        self.busy = threading.Lock()  # held while committing / reporting (see WorkerPool)

    def put(self, item) -> None:
        """Queue one result; blocks while the writer is a full queue behind (back-pressure)."""
        while True:
            if self.error is not None:
                raise self.error
            if not self.is_alive():
                raise RuntimeError("the ingest writer thread stopped")
            try:
                self.q.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def finish(self, raise_error: bool = True) -> None:
        """Commit everything queued, stop, and re-raise a writer error here."""
        try:
            if self.is_alive():
                self.put(_STOP)
            self.join()
        except BaseException:
            if raise_error:
                raise
        if raise_error and self.error is not None:
            raise self.error

    def abandon(self) -> None:
        """Stop without writing what is still queued (the run failed)."""
        self._abandoned = True
        try:
            self.q.put_nowait(_STOP)
        except queue.Full:
            pass
        self.join(5)

    def _commit(self, batch: list) -> None:
        if not batch or self._abandoned:
            return
        with self.busy:
            writes = [it for it in batch if it[1] != "skip"]
            results = iter(_flush(self.db, writes, self.lock_wait) if writes else [])
            self.on_commit(batch, [("unchanged", None) if it[1] == "skip" else next(results)
                                   for it in batch])

    def run(self) -> None:
        batch: list = []
        started = 0.0
        nbytes = 0
        try:
            while True:
                wait = None if not batch else max(0.0, started + self.batch_seconds
                                                  - time.monotonic())
                try:
                    item = self.q.get(timeout=wait)
                except queue.Empty:
                    self._commit(batch)
                    batch, nbytes = [], 0
                    continue
                if item is _STOP:
                    self._commit(batch)
                    return
                if not batch:
                    started = time.monotonic()
                batch.append(item)
                if item[1] == "ok":
                    nbytes += len(item[5].text.text)
                if (len(batch) >= self.batch_files or nbytes >= BATCH_BYTES
                        or time.monotonic() - started >= self.batch_seconds):
                    self._commit(batch)
                    batch, nbytes = [], 0
        except BaseException as e:  # noqa: BLE001 - handed to the main thread
            self.error = e
            while True:  # drain, so that a producer blocked on a full queue wakes up
                try:
                    if self.q.get(timeout=1) is _STOP:
                        return
                except queue.Empty:
                    if self._abandoned:
                        return


def find_missing(index_keys: Iterable[str], roots: Iterable[str | Path],
                 seen: set[str]) -> list[str]:
    """Stored paths under the walked `roots` that the walk did not find (deleted files)."""
    dirs, files, here = [], set(), False
    for r in roots:
        k = path_key(Path(r))  # as iter_files spells it: "./a/" → "a"
        if os.path.isdir(r):
            if k == ".":
                here = True
            else:
                dirs.append(k.rstrip(os.sep) + os.sep)
        else:
            files.add(k)
    dirs_t = tuple(dirs)

    def under(k: str) -> bool:
        if k in files or (dirs_t and k.startswith(dirs_t)):
            return True
        return here and not os.path.isabs(k) and not k.startswith("..")

    return sorted(k for k in index_keys if k not in seen and under(k))


def missing_files(db) -> list[str]:
    """Stored paths that no longer exist on disk (relative paths resolve from the current
    folder, as they were given to ingest)."""
    from .storage import stored_paths

    return [p for p in stored_paths(db) if not _exists(p)]


def _exists(key: str) -> bool:
    if os.path.exists(key):
        return True
    if "\\x" in key:  # a file name that was not UTF-8, stored with \x escapes (path_key)
        import codecs

        try:
            real = os.fsdecode(codecs.escape_decode(key.encode("utf-8"))[0])
        except (ValueError, UnicodeError):
            return False
        return path_key(real) == key and os.path.exists(real)
    return False


# --------------------------------------------------------------------------- ingest

_WARM = ("UỶ BAN NHÂN DÂN\nTỈNH AN GIANG\nSố: 12/KH-UBND\nAn Giang, ngày 5 tháng 3 năm 2024\n"
         "KẾ HOẠCH\nThực hiện Nghị quyết số 01/NQ-CP ngày 8/1/2024 của Chính phủ\n"
         "I. MỤC ĐÍCH\n1. Sở Tài chính hoàn thành trước ngày 30/6/2024.\n"
         "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n")


def _prewarm() -> None:
    """Import the extractors and fill their caches once in the parent, so that forked workers
    start warm instead of each loading the models on its first file."""
    try:
        from .extract import extract_string

        extract_string(_WARM, "warm.txt")
    except Exception:  # noqa: BLE001 - a worker will report the real error per file
        pass


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def ingest(paths: Iterable[str | Path], db_path: str | Path = "outputs/directives.db", *,
           force: bool = False,
           on_file: Optional[Callable[[str, str, Optional[str]], None]] = None,
           workers: Optional[int] = None,
           progress=None,
           prune: bool = False,
           timeout: Optional[float] = DEFAULT_TIMEOUT,
           max_text_mb: float = DEFAULT_MAX_TEXT_MB,
           max_file_mb: float = DEFAULT_MAX_FILE_MB,
           batch_files: int = BATCH_FILES,
           batch_seconds: float = BATCH_SECONDS,
           lock_wait: float = 600.0,
           ocr: str = "auto",
           scheduler: Optional[str] = None,
           ship_bytes: bool = False) -> IngestReport:
    """Ingest files/folders into the database at `db_path`.

    Unchanged files (same size and mtime, or same content hash, stored without error) are
    skipped unless `force`. `on_file(path, status, error)` is called once per file after its
    result is committed (status: ok, unchanged, error). `workers`: extraction processes
    (default: the machine's cores; 0 = in this process). `progress`: an object with
    start(total) / advance(status, nbytes) / finish() (see progress.Progress). `prune`: delete
    the stored rows of files under `paths` that no longer exist (else they are only reported).
    `ocr`: scanned pages and images, "auto" | "always" | "never" (readers.read); with OCR the
    `timeout` applies to each page, not to the whole file. `scheduler`: a Dask scheduler's
    address ("tcp://HOST:8786"): extraction runs on that cluster instead of local processes
    (cluster.py), the workers reading files by path or, with `ship_bytes`, getting their bytes.
    """
    # storage and the graph are loaded here, not when the package is imported: importing one
    # extraction stage (pipeline.citations) must not load the database layer
    from . import graph
    from .storage import file_index, open_db, remove_documents, write_transaction

    t0 = time.monotonic()
    paths = [p for p in paths]
    report = IngestReport()
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {ocr!r}")
    limits = Limits(int(max_text_mb * MB), int(max_file_mb * MB), ocr)
    n_workers = default_workers() if workers is None else max(0, int(workers))
    report.workers = n_workers

    db = open_db(db_path)
    pool = None
    writer: Optional[_Writer] = None
    try:
        index = file_index(db)

        walk_errors: list[tuple[str, str]] = []
        files: list[tuple[str, str]] = []   # (key, real path)
        seen: set[str] = set()
        for p in iter_files(paths, on_error=lambda k, r: walk_errors.append((path_key(k), r))):
            s = os.fspath(p)
            k = path_key(s)
            if k not in seen:
                seen.add(k)
                files.append((k, s))
        report.seen = len(files)
        if progress is not None:
            progress.start(len(files))
        for k, reason in walk_errors:
            report.failed.append((k, reason))
            if on_file:
                on_file(k, "error", reason)

        def finish(items: list, results: list) -> None:  # in the writer thread, after commit
            for item, (status, error) in zip(items, results):
                key = item[0]
                if status == "error":
                    report.failed.append((key, error))
                elif status == "unchanged":
                    report.unchanged += 1
                else:
                    report.ingested += 1
                    report.bytes += item[3] or 0
                if progress is not None:
                    progress.advance(status, (item[3] or 0) if status == "ok" else 0)
                if on_file:
                    on_file(key, status, error)

        writer = _Writer(db, finish, batch_files, batch_seconds, lock_wait)
        writer.start()
        add = writer.put

        def tasks() -> Iterator[tuple]:
            """Files that need a worker; the rest (unchanged, unreadable) go straight to the
            writer."""
            now_ns = time.time_ns()
            for key, real in files:
                prev = index.get(key)
                try:
                    st = os.stat(real)
                except OSError as e:
                    add((key, "error", None, None, None, os_reason(e)))
                    continue
                mtime_ns = st.st_mtime_ns
                if now_ns - mtime_ns < RACY_NS:  # may still change within the mtime's grain
                    mtime_ns = None
                ok_before = prev is not None and prev[1] == "ok" and prev[0]
                if (not force and ok_before and prev[2] == st.st_size and prev[3] is not None
                        and prev[3] == st.st_mtime_ns):
                    add((key, "skip", prev[0], prev[2], prev[3], None))
                    continue
                yield (key, real, prev[0] if (ok_before and not force) else None, mtime_ns)

        source = tasks()
        requeued: deque = deque()
        tid = 0
        exhausted = False
        try:
            while True:
                if pool is None and not exhausted:
                    first = next(source, None)
                    if first is None:
                        exhausted = True
                    else:
                        if scheduler:
                            from .cluster import DaskPool
                            pool = DaskPool(scheduler, limits, timeout, ship_bytes=ship_bytes)
                            report.workers = pool.n
                        elif n_workers > 0:
                            _prewarm()  # modules and compiled patterns, shared by fork
                            pool = WorkerPool(n_workers, limits, timeout, writer.busy)
                        else:
                            pool = _InlinePool(limits)
                        requeued.append((None, first))
                if pool is None:
                    break
                while pool.capacity() > 0:
                    if requeued:
                        _, task = requeued.popleft()
                    elif not exhausted:
                        task = next(source, None)
                        if task is None:
                            exhausted = True
                            break
                    else:
                        break
                    tid += 1
                    pool.submit(tid, task)
                if not pool.busy() and exhausted and not requeued:
                    break
                done, again = pool.collect(0.5)
                requeued.extend(again)
                for (key, real, prev_sha, mtime_ns), (kind, sha, size, payload) in done:
                    add((key, kind, sha, size, mtime_ns if kind != "error" else None, payload))
            if pool is not None:
                pool.close()
                pool = None
            writer.finish()
        except KeyboardInterrupt:
            # Ctrl-C: stop extracting, but commit what is finished (whole documents), then stop.
            if pool is not None:
                pool.close()
                pool = None
            writer._abandoned = False
            writer.finish(raise_error=False)
            writer._abandoned = True  # a second Ctrl-C: commit no further batch
            raise
        except BaseException:
            writer.abandon()
            raise

        report.missing = find_missing(index.keys(), paths, seen)
        if prune and report.missing:
            for i in range(0, len(report.missing), 500):
                with write_transaction(db):
                    report.removed += len(remove_documents(db, report.missing[i:i + 500]))
                    graph.sync(db)
    finally:
        if pool is not None:
            pool.close()
        if writer is None or not writer.is_alive():
            db.close()  # (a writer still committing after a second Ctrl-C keeps its connection)
        report.elapsed = time.monotonic() - t0
        if progress is not None:
            progress.finish()
    return report
