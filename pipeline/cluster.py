"""Extraction on a Dask cluster: `directives ingest PATH... --scheduler tcp://HOST:8786`.

The client walks, hashes and skips unchanged files as a local run does; each changed file is
submitted to the cluster, where a Dask worker runs the same `ingest.process_file` as a local
worker process; this process's single writer stores results as they complete (the same batches,
progress, per-file errors and graph upkeep). Nothing else changes: `ingest.ingest` drives a
`DaskPool` exactly as it drives the local `WorkerPool` (submit, collect, capacity, close).

- Files are read by path on the workers (a filesystem shared at the same path), or shipped from
  the client with `ship_bytes` (the worker writes them to a temporary file of the same name).
- Back-pressure: at most `in_flight` files are submitted and not yet collected (default twice the
  cluster's threads), so the client's memory stays flat however large the corpus.
- Faults: a worker that dies has its files recomputed elsewhere by the scheduler (Dask's
  `allowed-failures`); a file whose tasks killed workers that often fails with that reason. A file
  over the time limit fails with its reason and the run goes on (the limit counts from when a
  thread was free for it; Dask cannot stop a running task, so its thread stays busy until it ends:
  start workers with `--lifetime` to recycle stuck ones).
- Workers must run the same version of this package with the same `models/`: checked on connect.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import time
import uuid
from collections import deque
from typing import Callable, Optional

from .filejob import Limits, process_file

SCHEDULER_ENV = "DIRECTIVES_SCHEDULER"


class ClusterError(RuntimeError):
    """The cluster cannot be used (no scheduler there, a worker with other code): said plainly."""


def extract_remote(path: str, prev_sha: Optional[str], limits: Limits,
                   data: Optional[bytes] = None):
    """What a Dask worker runs for one file: `ingest.process_file` (never raises), on the shared
    path, or on `data` shipped from the client, written under the file's own name."""
    if data is None:
        return process_file(path, prev_sha, limits)
    with tempfile.TemporaryDirectory(prefix="directives-shipped-") as tmp:
        local = os.path.join(tmp, os.path.basename(path) or "file")
        with open(local, "wb") as f:
            f.write(data)
        kind, sha, size, payload = process_file(local, prev_sha, limits)
        if kind == "ok":
            payload.text.path = path
        return kind, sha, size, payload


def code_version() -> str:
    """This package's version and a digest of its code and models: a worker that differs would
    extract differently."""
    from importlib.metadata import PackageNotFoundError, version

    from .resources import MODELS_DIR

    try:
        v = version("directives")
    except PackageNotFoundError:
        v = "?"
    h = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    for root in (here, str(MODELS_DIR)):
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith((".py", ".json")):
                    with open(os.path.join(dirpath, name), "rb") as f:
                        h.update(name.encode() + b"\0" + f.read())
    return f"{v}+{h.hexdigest()[:12]}"


class DaskPool:
    """The ingest loop's pool interface (capacity, busy, submit, collect, close) over a Dask
    cluster; see the module docstring."""

    def __init__(self, address: str, limits: Limits, timeout: Optional[float], *,
                 ship_bytes: bool = False, in_flight: Optional[int] = None,
                 fn: Callable = extract_remote, connect_timeout: Optional[float] = None):
        try:
            from distributed import Client
        except ImportError:
            raise ClusterError("ingest on a cluster needs Dask's distributed package: "
                               "pip install 'directives[cluster]'") from None
        if connect_timeout is None:
            connect_timeout = float(os.environ.get("DIRECTIVES_SCHEDULER_TIMEOUT", "30"))
        try:
            self.client = Client(address, timeout=f"{connect_timeout}s", set_as_default=False)
        except (OSError, TimeoutError) as e:
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: {e}") from None
        self.limits, self.timeout, self.ship_bytes, self.fn = limits, timeout, ship_bytes, fn
        if fn is extract_remote:
            self._check_versions()
        self.threads = max(1, sum(self.client.nthreads().values()))
        self.n = self.threads
        self.max_in_flight = in_flight or 2 * self.threads
        self.run = uuid.uuid4().hex[:12]   # task keys unique on the scheduler across runs
        self.futures: dict = {}            # future → (task, started or None)
        self.tids: dict = {}               # future → the ingest's task id
        self.attempt = 0
        self.waiting: deque = deque()      # futures whose clock has not started (queued)

    def _check_versions(self) -> None:
        mine = code_version()
        theirs = self.client.run(code_version)
        differ = {w: v for w, v in theirs.items() if v != mine}
        if differ:
            w, v = next(iter(differ.items()))
            self.client.close()
            raise ClusterError(f"worker {w} runs directives {v}, this client {mine}: install the "
                               "same version on every worker (results would differ)")

    def capacity(self) -> int:
        return self.max_in_flight - len(self.futures)

    def busy(self) -> bool:
        return bool(self.futures)

    def submit(self, tid: int, task: tuple) -> None:
        real, prev_sha = task[1], task[2]
        data = None
        if self.ship_bytes:
            try:
                with open(real, "rb") as f:
                    data = f.read(self.limits.max_file_bytes + 1)
            except OSError:
                data = None  # the worker reports the reason as a local run would
        self.attempt += 1  # a resubmitted task gets a key of its own
        fut = self.client.submit(self.fn, real, prev_sha, self.limits, data, pure=False,
                                 key=f"directives-extract-{self.run}-{tid}-{self.attempt}")
        self.tids[fut] = tid
        running = sum(1 for _, started in self.futures.values() if started is not None)
        started = time.monotonic() if running < self.threads else None
        self.futures[fut] = (task, started)
        if started is None:
            self.waiting.append(fut)

    def _start_next(self) -> None:
        while self.waiting:
            fut = self.waiting.popleft()
            if fut in self.futures:
                task, _ = self.futures[fut]
                self.futures[fut] = (task, time.monotonic())
                return

    def _result(self, fut) -> tuple:
        from distributed import KilledWorker

        if fut.status == "finished":
            return fut.result()
        if fut.status == "cancelled":
            return ("error", None, None, "cancelled on the cluster")
        exc = fut.exception()
        if isinstance(exc, KilledWorker):
            return ("error", None, None, "worker processes died while extracting it, again on "
                                         "each retry (out of memory?)")
        return ("error", None, None, f"internal error on the cluster: {type(exc).__name__}: {exc}")

    def collect(self, wait: float) -> tuple[list, list]:
        from distributed import wait as wait_for

        done: list = []
        if not self.futures:
            return done, []
        try:
            with self.client.as_current():  # wait() looks for its client there
                finished = wait_for(list(self.futures), timeout=wait,
                                    return_when="FIRST_COMPLETED").done
        except TimeoutError:
            finished = set()
        for fut in finished:
            task, _ = self.futures.pop(fut)
            tid = self.tids.pop(fut, None)
            if fut.status in ("lost", "pending") and tid is not None:
                # done when wait() returned, then its result was lost with the worker that held
                # it before we fetched it (a killed worker): extract it again
                fut.release()
                self.submit(tid, task)
                continue
            done.append((task, self._result(fut)))
            fut.release()
            self._start_next()
        if self.timeout:
            now = time.monotonic()
            for fut, (task, started) in list(self.futures.items()):
                if started is not None and now - started > self.timeout:
                    del self.futures[fut]
                    self.tids.pop(fut, None)
                    fut.cancel()
                    done.append((task, ("error", None, None,
                                        f"extraction timed out after {self.timeout:g} s")))
                    self._start_next()
        return done, []

    def close(self) -> None:
        if self.futures:
            self.client.cancel(list(self.futures))
            self.futures.clear()
            self.tids.clear()
        self.client.close()
