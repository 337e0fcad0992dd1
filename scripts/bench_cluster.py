"""Local vs Dask-cluster ingest on this machine, and the single writer's ceiling.

    python scripts/bench_cluster.py [FOLDER] [--files 2000] [--workers 2]

FOLDER defaults to the bulk corpus unpacked at /tmp/scale/all (see the README). Prints:
- local: `ingest --workers N` (forked worker processes), files/s and MB/s;
- cluster: a `dask scheduler` and N `dask worker` processes (one thread each) started here, then
  `ingest --scheduler`, files/s and MB/s (the same files, a fresh database);
- writer: the records extracted beforehand, then stored by the writer alone (batches of 50 in
  one transaction each, graph upkeep included): documents/s into SQLite, the rate above which the
  writer, not the cluster, is the limit.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.filejob import file_hash  # noqa: E402
from pipeline.ingest import BATCH_FILES, _flush, path_key
from pipeline.extract import extract_file
from pipeline.model import DocumentError
from pipeline.storage import open_db


def _sample(folder: Path, n: int, seed: int, into: Path) -> list[Path]:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    random.Random(seed).shuffle(files)
    into.mkdir()
    out = []
    for f in files[:n]:
        dst = into / f.name
        shutil.copyfile(f, dst)
        out.append(dst)
    return out


def _cluster(tmp: Path, workers: int):
    file = tmp / "scheduler.json"
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler",
                               "--scheduler-file", str(file), "--port", "0",
                               "--dashboard-address", ":0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    while not (file.exists() and file.stat().st_size):
        time.sleep(0.2)
    address = json.loads(file.read_text())["address"]
    for _ in range(workers):
        procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker",
                                       "--scheduler-file", str(file), "--nthreads", "1",
                                       "--dashboard-address", ":0"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    from distributed import Client

    with Client(address, set_as_default=False) as c:
        c.wait_for_workers(workers, timeout=120)
    return address, procs


def _cli(options: list[str], folder: Path, db: Path) -> int:
    """Run `directives ingest` under GNU time; its peak resident memory in MB."""
    run = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "pipeline",
                          "ingest", str(folder), "--db", str(db), "--quiet"] + options,
                         capture_output=True, text=True)
    return round(int(run.stderr.strip().splitlines()[-1]) / 1024)


def _rate(label: str, files: int, mb: float, seconds: float) -> dict:
    print(f"{label:<8} {files} files, {mb:.1f} MB in {seconds:.1f} s: {files / seconds:.0f} "
          f"files/s, {mb / seconds:.2f} MB/s")
    return {"files": files, "mb": round(mb, 2), "seconds": round(seconds, 2),
            "files_per_s": round(files / seconds, 1), "mb_per_s": round(mb / seconds, 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default="/tmp/scale/all", type=Path)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    try:
        files = _sample(args.folder, args.files, args.seed, tmp / "in")
        mb = sum(f.stat().st_size for f in files) / 1e6
        results = {}

        t0 = time.perf_counter()
        rss = _cli(["--workers", str(args.workers)], tmp / "in", tmp / "local.db")
        results["local"] = _rate("local", len(files), mb, time.perf_counter() - t0)
        results["local"]["peak_rss_mb"] = rss  # the ingest and its worker processes

        address, procs = _cluster(tmp, args.workers)
        try:
            t0 = time.perf_counter()
            rss = _cli(["--scheduler", address], tmp / "in", tmp / "cluster.db")
            results["cluster"] = _rate("cluster", len(files), mb, time.perf_counter() - t0)
            results["cluster"]["client_peak_rss_mb"] = rss  # walk, hash, writer; no extraction
            print(f"         client peak RSS {rss} MB")
        finally:
            for p in procs:
                p.kill()

        items = []
        for f in files:
            try:
                rec = extract_file(f)
            except DocumentError:
                continue
            sha, size = file_hash(f)
            items.append((path_key(str(f)), "ok", sha, size, None, rec))
        db = open_db(tmp / "writer.db")
        t0 = time.perf_counter()
        for i in range(0, len(items), BATCH_FILES):
            _flush(db, items[i:i + BATCH_FILES], 60.0)
        el = time.perf_counter() - t0
        db.close()
        results["writer"] = {"documents": len(items), "seconds": round(el, 2),
                             "documents_per_s": round(len(items) / el, 1)}
        print(f"writer   {len(items)} documents in {el:.1f} s: {len(items) / el:.0f} "
              "documents/s into SQLite (extraction done beforehand)")
        print(json.dumps(results))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
