"""Ingest benchmark: documents/s and MB/s per format, 1 vs N workers, unchanged re-ingest time,
peak memory, and cost per document as the corpus and the database grow.

    pip install -e ".[bench]"                              # reportlab for the synthetic PDFs
    python3 scripts/bench_ingest.py                       # everything, default limits
    python3 scripts/bench_ingest.py --real /tmp/scale/all --real-limit 3000 --skip-synthetic
    python3 scripts/bench_ingest.py --synthetic /tmp/syn10k --synthetic-n 10000 --skip-real
    python3 scripts/bench_ingest.py --skip-real --formats pdf --skip-mixed --store-scale 0

Corpora:
  real       the real-world crawl (13,984 Markdown files, 211 MB): unpack
             /work/shared/scale/legal-web-13984.tar.xz to /tmp/scale (files land in /tmp/scale/all)
  synthetic  built by scripts/make_synthetic_corpus.py when the folder is missing
             (default 10,000 documents: ~80 % text, 10 % DOCX, 10 % PDF)

Every measured run is a fresh process (`--_child`) ingesting into a fresh database (except the
re-ingest runs), so peak memory is that run's own: the writer process (RSS high-water mark) and
the largest worker. The writer keeps the graph tables in step, as in production. MB/s counts file bytes; for DOCX/PDF the extracted text is given as well.
Figures are printed, and written as JSON with --json; nothing here is a pass/fail test.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEXT_EXT = (".txt", ".md")


# --------------------------------------------------------------------------- child: one run

def child(args) -> None:
    from pipeline.ingest import ingest  # the writer keeps the graph tables in step itself

    paths = Path(args.list).read_text(encoding="utf-8").splitlines() if args.list else args.paths
    cpu0 = _cpu(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    report = ingest(paths, args.db, workers=args.workers, force=args.force,
                    timeout=args.timeout or None)
    elapsed = time.perf_counter() - t0
    import sqlite3

    conn = sqlite3.connect(args.db)
    text_bytes, docs, sections, citations, deadlines = conn.execute(
        "select coalesce(sum(length(cast(text as blob))), 0), count(*), "
        "(select count(*) from sections), (select count(*) from citations), "
        "(select count(*) from deadlines) from documents where status = 'ok'").fetchone()
    conn.close()
    json.dump({
        "elapsed": elapsed, "seen": report.seen, "ingested": report.ingested,
        "unchanged": report.unchanged, "failed": len(report.failed),
        "failures": report.failed[:5], "bytes": report.bytes, "text_bytes": text_bytes,
        "db_documents": docs, "sections": sections, "citations": citations,
        "deadlines": deadlines, "workers": report.workers,
        "writer_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "writer_cpu": _cpu(resource.RUSAGE_SELF) - cpu0,
        "worker_cpu": _cpu(resource.RUSAGE_CHILDREN),
        "load": os.getloadavg()[0],
    }, sys.stdout)


def _cpu(who) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def run(paths: list[Path] | Path, db: Path, workers: int, *, fresh: bool = True,
        timeout: float = 300) -> dict:
    if fresh:
        for p in db.parent.glob(db.name + "*"):
            p.unlink()
    cmd = [sys.executable, __file__, "--_child", "--db", str(db), "--workers", str(workers),
           "--timeout", str(timeout)]
    lst = None
    if isinstance(paths, list):
        lst = db.with_suffix(".list")
        lst.write_text("\n".join(map(str, paths)), encoding="utf-8")
        cmd += ["--list", str(lst)]
    else:
        cmd += [str(paths)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"benchmark run failed:\n{r.stderr[-3000:]}")
    out = json.loads(r.stdout)
    if lst:
        lst.unlink()
    return out


# --------------------------------------------------------------------------- printing

ROWS: list[dict] = []


def show(label: str, r: dict, files_bytes: int | None = None) -> dict:
    n = r["ingested"] or r["unchanged"]
    mb = (files_bytes if files_bytes is not None else r["bytes"]) / 1e6
    row = {"run": label, "files": r["seen"], "ingested": r["ingested"],
           "unchanged": r["unchanged"], "failed": r["failed"], "workers": r["workers"],
           "seconds": round(r["elapsed"], 2),
           "docs_per_s": round(n / r["elapsed"], 1) if r["elapsed"] else None,
           "mb_per_s": round(mb / r["elapsed"], 2) if r["elapsed"] and r["ingested"] else None,
           "ms_per_doc": round(1000 * r["elapsed"] / n, 2) if n else None,
           "file_mb": round(mb, 1), "text_mb": round(r["text_bytes"] / 1e6, 1),
           "writer_rss_mb": round(r["writer_rss_mb"]), "worker_rss_mb": round(r["worker_rss_mb"])}
    if r["ingested"] and r["text_bytes"] and abs(r["text_bytes"] / 1e6 - mb) > 0.05 * mb:
        row["text_mb_per_s"] = round(r["text_bytes"] / 1e6 / r["elapsed"], 2)
    cpu = r["writer_cpu"] + r["worker_cpu"]
    row.update(writer_cpu_s=round(r["writer_cpu"], 1), worker_cpu_s=round(r["worker_cpu"], 1),
               load=round(r["load"], 1))
    if r["ingested"] and cpu:
        row["mb_per_cpu_s"] = round(mb / cpu, 2)  # MB per core-second, whatever else runs
    ROWS.append(row)
    extra = f", text {row['text_mb_per_s']} MB/s" if "text_mb_per_s" in row else ""
    print(f"  {label:<44} {row['files']:>6} files {row['seconds']:>8.2f} s "
          f"{row['docs_per_s'] or 0:>8.1f} docs/s {row['mb_per_s'] or 0:>6.2f} MB/s{extra}  "
          f"{row['ms_per_doc'] or 0:>6.2f} ms/doc  rss writer {row['writer_rss_mb']} MB, "
          f"worker {row['worker_rss_mb']} MB  cpu writer {row['writer_cpu_s']} s, workers "
          f"{row['worker_cpu_s']} s"
          + (f" = {row['mb_per_cpu_s']} MB per core-s" if "mb_per_cpu_s" in row else "")
          + f"  load {row['load']}"
          + (f"  [{r['failed']} failed: {r['failures'][:2]}]" if r["failed"] else ""),
          flush=True)
    return row


def files_under(folder: Path, exts: tuple[str, ...]) -> list[Path]:
    out = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        out += [Path(root) / f for f in sorted(files) if f.lower().endswith(exts)]
    return out


# --------------------------------------------------------------------------- store scaling

def store_scaling(total: int, step: int, work: Path, real: Path) -> None:
    """Writer cost per document as the database grows to `total` documents: one real extracted
    document stored under new paths in batches of 50 (extraction excluded — it does not depend
    on the database)."""
    from pipeline import graph
    from pipeline.extract import extract_file
    from pipeline.storage import open_db, save_document, write_transaction

    real_files = files_under(real, TEXT_EXT) if real.is_dir() else []
    src = real_files[::max(1, len(real_files) // 300)][:300] or sorted(
        (ROOT / "corpus").glob("*.txt"))
    recs = [extract_file(p) for p in src]
    db_path = work / "scale.db"
    for p in work.glob("scale.db*"):
        p.unlink()
    db = open_db(db_path)
    kb = sum(len(r.text.text.encode()) for r in recs) / len(recs) / 1000
    print(f"\nWriter cost per document as the database grows ({len(recs)} real documents, "
          f"{kb:.0f} KB on average, cycled under new paths, batches of 50)")
    done, t_block, marks = 0, time.perf_counter(), []
    while done < total:
        with write_transaction(db):
            for k in range(50):
                i = done + k
                with db.atomic():  # as the ingest writer does: the rows, then the graph
                    doc_id = save_document(db, f"/synthetic/{i:07d}.txt", f"{i:064x}", 30000,
                                           recs[i % len(recs)])
                    graph.sync_document(db, doc_id)
        done += 50
        if done % step == 0:
            dt = time.perf_counter() - t_block
            marks.append((done, 1000 * dt / step))
            print(f"  documents {done - step + 1:>7}–{done:<7} {1000 * dt / step:6.2f} ms/doc "
                  f"(db {db_path.stat().st_size / 1e6:,.0f} MB)", flush=True)
            t_block = time.perf_counter()
    db.close()
    ROWS.append({"run": "store scaling", "ms_per_doc_by_size": marks})
    for p in work.glob("scale.db*"):
        p.unlink()


# --------------------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--_child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--list", help=argparse.SUPPRESS)
    ap.add_argument("--force", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    ap.add_argument("--real", type=Path, default=Path("/tmp/scale/all"))
    ap.add_argument("--real-limit", type=int, default=0, help="first N real files (0: all)")
    ap.add_argument("--one-worker-limit", type=int, default=2000,
                    help="files for the 1-worker vs N-worker comparison runs (per format: "
                         "text this many, DOCX a quarter, PDF an eighth)")
    ap.add_argument("--synthetic", type=Path, default=Path("/tmp/bench-synthetic"))
    ap.add_argument("--synthetic-n", type=int, default=10_000)
    ap.add_argument("--pdf-limit", type=int, default=500,
                    help="PDF files in the N-worker PDF-only run (PDF reading is the slow one)")
    ap.add_argument("--workers", type=int, default=None, help="N (default: cores)")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--skip-real", action="store_true")
    ap.add_argument("--skip-synthetic", action="store_true")
    ap.add_argument("--formats", default="text,docx,pdf",
                    help="synthetic formats to measure one by one (comma-separated)")
    ap.add_argument("--skip-mixed", action="store_true",
                    help="skip the whole mixed synthetic corpus run and its re-ingest")
    ap.add_argument("--store-scale", type=int, default=100_000,
                    help="grow a database to this many documents for the writer-cost curve "
                         "(0: skip)")
    ap.add_argument("--work", type=Path, default=None, help="folder for the databases")
    ap.add_argument("--json", type=Path, help="write the figures here too")
    args = ap.parse_args(argv)
    if args._child:
        child(args)
        return 0

    from pipeline.ingest import default_workers

    n = args.workers or default_workers()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"cores {os.cpu_count()}, N = {n} workers, databases in {work}")
    one = args.one_worker_limit

    if not args.skip_real:
        if not args.real.is_dir():
            print(f"\nreal corpus: {args.real} not found (unpack "
                  "/work/shared/scale/legal-web-13984.tar.xz to /tmp/scale)")
        else:
            files = files_under(args.real, TEXT_EXT)
            if args.real_limit:
                files = files[:args.real_limit]
            size = sum(p.stat().st_size for p in files)
            print(f"\nReal corpus {args.real}: {len(files)} Markdown files, {size / 1e6:.0f} MB")
            db = work / "real.db"
            show(f"real text, {n} workers, fresh", run(files, db, n, timeout=args.timeout))
            show("real text, unchanged re-ingest", run(files, db, n, fresh=False))
            sub = files[:one]
            show(f"real text first {len(sub)}, 1 worker", run(sub, work / "r1.db", 1))
            show(f"real text first {len(sub)}, {n} workers", run(sub, work / "rn.db", n))

    if not args.skip_synthetic:
        syn = args.synthetic
        if not (syn / "manifest.json").exists():
            print(f"\nbuilding the synthetic corpus ({args.synthetic_n} documents) in {syn} …",
                  flush=True)
            sys.path.insert(0, str(ROOT / "scripts"))
            from make_synthetic_corpus import build

            t0 = time.time()
            build(syn, args.synthetic_n)
            print(f"  built in {time.time() - t0:.0f} s")
        manifest = json.loads((syn / "manifest.json").read_text())
        fm = manifest["formats"]
        print(f"\nSynthetic corpus {syn}: " + ", ".join(
            f"{f} {v['files']} files {v['bytes'] / 1e6:.0f} MB" for f, v in fm.items()))
        text = files_under(syn / "text", TEXT_EXT)
        docx = files_under(syn / "docx", (".docx",))
        pdf = files_under(syn / "pdf", (".pdf",))
        for name, fl, lim1, limn in (("text", text, one, len(text)),
                                     ("docx", docx, max(1, one // 4), len(docx)),
                                     ("pdf", pdf, max(1, one // 8), args.pdf_limit)):
            if not fl or name not in args.formats.split(","):
                continue
            sub1 = fl[:lim1]
            show(f"synthetic {name} first {len(sub1)}, 1 worker", run(sub1, work / "s1.db", 1))
            show(f"synthetic {name} first {len(sub1)}, {n} workers",
                 run(sub1, work / "sn.db", n))
            if limn > lim1:
                subn = fl[:limn]
                show(f"synthetic {name} first {len(subn)}, {n} workers",
                     run(subn, work / "snn.db", n))
        # cost per document at 1 000 vs all (text, same writer, fresh databases)
        if len(text) > 1000 and "text" in args.formats.split(","):
            show(f"synthetic text first 1000, {n} workers", run(text[:1000], work / "k1.db", n))
        # the whole mixed corpus (a folder walk), then an unchanged re-ingest of it
        db = work / "syn.db"
        if not args.skip_mixed:
            show(f"synthetic mixed, all {manifest['n']}, {n} workers",
                 run(syn, db, n, timeout=args.timeout))
            show(f"synthetic mixed, all {manifest['n']}, unchanged re-ingest",
                 run(syn, db, n, fresh=False))

    if args.store_scale:
        store_scaling(args.store_scale, max(1000, args.store_scale // 10), work, args.real)

    if args.json:
        args.json.write_text(json.dumps(ROWS, indent=2, ensure_ascii=False))
        print(f"\nfigures → {args.json}")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
