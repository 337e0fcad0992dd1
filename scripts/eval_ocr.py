"""OCR against text, on documents outside the repository: does a scan read as its text reads?

Each document is scanned the way the tests scan the corpus (tests/scan_fixtures.py: 200 dpi,
skewed pages, speckle, JPEG, no text layer); its text version is the PDF's own text layer (real
Gazette and portal PDFs) or, for a saved page of ../shared/scale, the page laid out as a Word
file and printed by LibreOffice. Agreement is scored with the text version as the reference:
citations as distinct cited keys, deadlines as (kind, value) pairs. Also prints seconds per page
and, with --ingest, the pages per hour a `directives ingest --workers N` of the scans reaches.

    python scripts/eval_ocr.py --pdfs ../shared/eval-data/realfiles/files --scale 10 --ingest 2
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
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import legacy_fixtures as lf  # noqa: E402  (the tests' fixture makers: one way to scan)
import scan_fixtures as sf  # noqa: E402
from pipeline.extract import extract_file  # noqa: E402
from pipeline.model import DocumentError  # noqa: E402


def _f1(ref: Counter, got: Counter) -> float:
    tp = sum((ref & got).values())
    p = tp / sum(got.values()) if got else 1.0
    r = tp / sum(ref.values()) if ref else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _keys(rec) -> Counter:
    return Counter({c.key for c in rec.citations if c.key})


def _deadlines(rec) -> Counter:
    return Counter((d.kind, d.value) for d in rec.deadlines)


def text_pdfs(folder: Path) -> list[Path]:
    out = []
    for p in sorted(folder.glob("*.pdf")):
        try:
            rec = extract_file(p, ocr="never")
        except DocumentError:
            continue  # a scan already: no text version to compare with
        if rec.citations:
            out.append(p)
    return out


def scale_pdfs(scale: Path, n: int, seed: int, work: Path) -> list[Path]:
    files = sorted(scale.glob("*.md"))
    random.Random(seed).shuffle(files)
    chosen = []
    for f in files:
        if len(chosen) == n:
            break
        rec = extract_file(f)
        if len(_keys(rec)) >= 3 and len(rec.text.text) < 40_000:
            p = work / f"{f.stem}.docx"
            p.write_bytes(lf.docx_from_text(lf.plain(f.read_text(encoding="utf-8"))))
            chosen.append(p)
    return sf.to_pdf(chosen, work) if chosen else []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdfs", type=Path, help="folder of real PDFs with a text layer")
    ap.add_argument("--scale", type=int, default=0, help="random ../shared/scale pages to add")
    ap.add_argument("--scale-dir", type=Path,
                    default=ROOT.parent / "shared" / "scale" / "all")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--ingest", type=int, metavar="WORKERS",
                    help="also ingest the scans with this many workers (pages per hour)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="eval-ocr-"))
    docs = (text_pdfs(args.pdfs) if args.pdfs else []) + (
        scale_pdfs(args.scale_dir, args.scale, args.seed, work) if args.scale else [])
    rows, pages, seconds = [], 0, 0.0
    scans = work / "scans"
    scans.mkdir()
    for pdf in docs:
        scanned = scans / f"{pdf.stem}.pdf"
        scanned.write_bytes(sf.scan(pdf.read_bytes()))
        ref = extract_file(pdf, ocr="never")
        t0 = time.perf_counter()
        got = extract_file(scanned)
        el = time.perf_counter() - t0
        ocr = got.text.meta["reading"]["ocr"]
        pages += len(ocr["pages"])
        seconds += el
        rows.append({"file": pdf.name, "pages": len(ocr["pages"]), "confidence": ocr["confidence"],
                     "cited": len(_keys(ref)), "citations_f1": round(_f1(_keys(ref), _keys(got)), 3),
                     "deadlines": sum(_deadlines(ref).values()),
                     "deadlines_f1": round(_f1(_deadlines(ref), _deadlines(got)), 3),
                     "missed": sorted(_keys(ref) - _keys(got))[:5],
                     "extra": sorted(_keys(got) - _keys(ref))[:5]})
    summary = {"documents": len(rows), "pages": pages,
               "seconds_per_page": round(seconds / pages, 2) if pages else None}
    tot = Counter()
    for r in rows:
        tot["cited"] += r["cited"]
        tot["cf"] += r["citations_f1"] * r["cited"]
        tot["dl"] += r["deadlines"]
        tot["df"] += r["deadlines_f1"] * r["deadlines"]
    summary["citations_f1_weighted"] = round(tot["cf"] / tot["cited"], 3) if tot["cited"] else None
    summary["deadlines_f1_weighted"] = round(tot["df"] / tot["dl"], 3) if tot["dl"] else None
    if args.ingest:
        db = work / "ingest.db"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(scans), "--db", str(db),
                        "--workers", str(args.ingest), "--quiet"], check=True)
        el = time.perf_counter() - t0
        summary["ingest"] = {"workers": args.ingest, "seconds": round(el, 1),
                             "pages_per_hour": round(pages / el * 3600) if el else None}
    shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps({"summary": summary, "documents": rows}, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(f"{r['file'][:48]:<48} {r['pages']:>3} p  conf {r['confidence']:>5}  "
                  f"citations {r['citations_f1']:.3f} of {r['cited']:>3}  deadlines "
                  f"{r['deadlines_f1']:.3f} of {r['deadlines']:>3}  missed {r['missed']}")
        print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
