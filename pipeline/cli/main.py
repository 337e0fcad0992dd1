"""`directives` command line: thin argument parsing over library calls, text or JSON out.
The document commands are here; the graph and web commands in graph_commands and web_commands,
added to the parser by build_parser."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from . import graph_commands, web_commands
from ..readers import OCR_MODES  # light: the readers load their parsers when a file needs them

DEFAULT_DB = "outputs/directives.db"
OCR_HELP = ("scanned pages: auto (OCR pages without a usable text layer, and images; the "
            "default), always (OCR every PDF page), never (refuse scans)")
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _db(args):
    from ..storage import open_db

    return open_db(args.db)


def _graph_db(args):
    """The database with its graph brought up to date: queries never write, the CLI does."""
    from ..graph import sync

    db = _db(args)
    sync(db)
    return db


# --------------------------------------------------------------------------- commands

def cmd_ingest(args) -> int:
    from ..ingest import ingest
    from ..progress import Progress, printable

    progress = Progress(sys.stderr, quiet=args.quiet)

    def on_file(path, status, error):
        if status == "error":
            progress.message(f"error: {path}: {error}")
        elif args.verbose:
            progress.message(f"{status}: {path}")

    from ..cluster import ClusterError

    scheduler = args.scheduler or os.environ.get("DIRECTIVES_SCHEDULER") or None
    try:
        report = ingest(args.paths, args.db, force=args.force, on_file=on_file,
                        workers=args.workers, progress=progress, prune=args.prune,
                        timeout=args.timeout or None, max_text_mb=args.max_text_mb,
                        max_file_mb=args.max_file_mb, ocr=args.ocr, scheduler=scheduler,
                        ship_bytes=args.ship_bytes)
    except ClusterError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if report.missing:
        verb = "removed from the database" if args.prune else \
            "still in the database (run with --prune to remove them)"
        if not args.quiet or args.prune:
            for p in report.missing[:20]:
                print(f"missing: {printable(p)}", file=sys.stderr)
            if len(report.missing) > 20:
                print(f"missing: … and {len(report.missing) - 20} more (see `directives status`)",
                      file=sys.stderr)
        print(f"{len(report.missing)} file(s) no longer on disk, {verb}", file=sys.stderr)
    mb = report.bytes / 1e6
    rate = f", {report.ingested / report.elapsed:.1f} files/s, {mb / report.elapsed:.1f} MB/s" \
        if report.ingested and report.elapsed > 0 else ""
    print(f"{report.ingested} ingested, {report.unchanged} unchanged, "
          f"{len(report.failed)} failed ({report.seen} files) in {report.elapsed:.1f} s"
          f"{rate} → {args.db}")
    return min(len(report.failed), 100)


def cmd_demo(args) -> int:
    from ..ingest import ingest
    from ..storage.queries import summary
    from ..storage import open_db

    corpus = PROJECT_ROOT / "corpus"
    t0 = time.perf_counter()
    report = ingest([corpus], args.db, force=True)
    elapsed = time.perf_counter() - t0
    db = open_db(args.db)
    s = summary(db)
    print(f"Ingested {report.ingested} files from {corpus} into {args.db} "
          f"in {elapsed:.2f} s ({len(report.failed)} failed)")
    for path, err in report.failed:
        print(f"  error: {path}: {err}")
    print(f"documents: {s['documents']}  sections: {s['sections']}  "
          f"citations: {s['citations']} ({s['cited_documents']} distinct documents)  "
          f"deadlines: {s['deadlines']}")
    print("Most cited documents:")
    for row in s["top_cited"]:
        print(f"  {row['key']:<22} cited by {row['citing_documents']} document(s), "
              f"{row['mentions']} mention(s)")
    return 1 if report.failed else 0


def cmd_extract(args) -> int:
    from ..extract import extract_file
    from ..model import DocumentError

    try:
        rec = extract_file(args.file, ocr=args.ocr)
    except DocumentError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    data = rec.to_dict()
    if args.format == "json":
        _print_json(data)
        return 0
    d = data["document"]
    print(f"{d.get('type_name') or d.get('type') or '?'} {d.get('key') or '(no number)'}"
          f" — {d.get('issuer') or '?'}, {d.get('date') or d.get('date_text') or '?'}")
    if d.get("title"):
        print(f"  {d['title']}")
    print(f"\nSections ({len(data['sections'])}):")
    for s in data["sections"]:
        print(f"  {'  ' * (s['level'] - 1)}{s['id']}  {s['heading'][:90]}")
    print(f"\nCitations ({len(data['citations'])}):")
    for c in data["citations"]:
        print(f"  [{c['section'] or '-'}] {c['relation']:<10} {c['key'] or '?':<22} "
              f"{c['date'] or '':<10} {c['issuer'] or ''}")
    if data["relations"]:
        print("\nRelations stated in the text:")
        for r in data["relations"]:
            print(f"  {r['source']} {r['relation']} {r['target']}")
    if data["deadlines"]:
        print(f"\nDeadlines ({len(data['deadlines'])}):")
        for dl in data["deadlines"]:
            print(f"  [{dl['section'] or '-'}] {dl['kind']:<9} {dl['value'] or '?':<24} "
                  f"{dl['agency'] or ''} — {dl['text']}")
    return 0


def cmd_show(args) -> int:
    from ..storage.queries import show

    doc = show(_db(args), args.doc)
    if not doc:
        print(f"error: no stored document matches {args.doc!r}", file=sys.stderr)
        return 2
    if args.format == "json":
        _print_json(doc)
        return 0
    for k in ("path", "status", "error", "type_name", "key", "issuer", "place", "date",
              "date_text", "title", "signer_role", "signer"):
        if doc.get(k) not in (None, ""):
            print(f"{k:>12}: {doc[k]}")
    if doc["recipients"]:
        print(f"{'recipients':>12}: " + "; ".join(doc["recipients"]))
    if doc.get("portal"):
        box = doc["portal"]
        shown = "; ".join(f"{k} {v}" for k, v in box.items()
                          if k != "disagrees" and not k.endswith("_text"))
        print(f"{'portal box':>12}: {shown}")
        if box.get("disagrees"):
            print(f"{'':>12}  differs from the document's own header: {', '.join(box['disagrees'])}")
    if doc.get("reading"):
        print(f"{'read by':>12}: {_reading(doc['reading'])}")
    print(f"{'citations':>12}: {doc['citations']}")
    print("\nOutline:")
    for s in doc["sections"]:
        print(f"  {'  ' * (s['level'] - 1)}{s['id']}  {s['heading'][:100]}")
    return 0


def _reading(reading: dict) -> str:
    """'OCR (tesseract 5.3.0, vie), 3 pages, confidence 88.1 (lowest 71.0 on page 2)' /
    'converted from TCVN3'."""
    parts = []
    if reading.get("ocr"):
        o = reading["ocr"]
        pages = o.get("pages") or []
        low = min((p for p in pages if p.get("confidence") is not None),
                  key=lambda p: p["confidence"], default=None)
        text = f"OCR ({o.get('engine')}, {o.get('lang')}), {len(pages)} page(s)"
        if o.get("confidence") is not None:
            text += f", confidence {o['confidence']}"
        if low is not None and len(pages) > 1:
            text += f" (lowest {low['confidence']} on page {low['page']})"
        parts.append(text)
    if reading.get("encoding"):
        parts.append(f"converted from {reading['encoding'].upper()}")
    if reading.get("converted_from"):
        parts.append(f"converted from {reading['converted_from']} by {reading.get('converter')}")
    return "; ".join(parts)


def cmd_search(args) -> int:
    from ..storage.queries import search

    rows = search(_db(args), args.query, limit=args.limit)
    if args.format == "json":
        _print_json(rows)
        return 0
    for r in rows:
        print(f"{Path(r['path']).name} §{r['section']} {r['heading'][:70]}\n    {r['snippet']}")
    if not rows:
        print("no match")
    return 0


def cmd_status(args) -> int:
    from ..ingest import missing_files
    from ..progress import printable
    from ..storage.queries import status

    db = _db(args)
    rows = status(db)
    missing = set(missing_files(db))
    for r in rows:
        if r["path"] in missing:
            r["missing"] = True
            if r["status"] == "ok":
                r["status"] = "missing"
                r["error"] = "file no longer on disk (`directives ingest FOLDER --prune` removes it)"
    if args.format == "json":
        _print_json(rows)
        return 0
    failed = [r for r in rows if r["status"] == "error"]
    gone = [r for r in rows if r["status"] == "missing"]
    for r in failed + gone:
        print(f"{r['status']}: {printable(r['path'])}: {r['error']}")
    print(f"{len(rows) - len(failed) - len(gone)} ok, {len(failed)} failed, "
          f"{len(gone)} missing")
    return 1 if failed else 0


def cmd_eval(args) -> int:
    from ..evaluate import evaluate

    result = evaluate(args.gold, args.corpus)
    if args.format == "json":
        _print_json(result)
        return 0
    cit = result["citations"]
    print("Citations (distinct cited documents per file)")
    print(f"  {'file':<28} {'P':>6} {'R':>6} {'F1':>6}   edges F1")
    for name, r in cit["files"].items():
        print(f"  {name:<28} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f}   "
              f"{r['edges']['f1']:.3f}")
        for label in ("missing", "spurious", "wrong_fields", "missing_edges", "spurious_edges"):
            for item in r[label]:
                print(f"      {label}: {item}")
    o = cit["overall"]
    print(f"  {'overall':<28} {o['precision']:>6.3f} {o['recall']:>6.3f} {o['f1']:>6.3f}   "
          f"{o['edges']['f1']:.3f}")
    print(f"  on matches: date {o['date_accuracy']:.3f}, issuer {o['issuer_accuracy']:.3f}, "
          f"relation {o['relation_accuracy']:.3f}")
    if "deadlines" in result:
        d = result["deadlines"]
        o = d.get("overall", d)
        print("Deadlines (span overlap)")
        print(f"  overall P {o.get('precision', 0):.3f} R {o.get('recall', 0):.3f} "
              f"F1 {o.get('f1', 0):.3f}, value accuracy {o.get('value_accuracy', 0):.3f}")
    return 0


def cmd_deadlines(args) -> int:
    from ..storage.queries import deadlines

    implementing = None
    if args.implementing:
        from ..graph import implementers

        db = _graph_db(args)
        implementing = implementers(db, args.implementing, transitive=args.transitive)
    else:
        db = _db(args)
    rows = deadlines(db, due_before=args.due_before, agency=args.agency,
                     document=args.document, implementing=implementing)
    if args.format == "json":
        _print_json(rows)
    elif args.format == "ics":
        from ..ics import to_ics

        text = to_ics(rows, calname="directives deadlines")
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8", newline="")
            print(f"{len(rows)} deadlines → {args.output}")
        else:
            sys.stdout.write(text)
    else:
        for r in rows:
            via = f" [{' → '.join(r['lineage'])}]" if r.get("lineage") else ""
            print(f"{r['value'] or '?':<24} {r['kind']:<9} {r['agency'] or '-':<40.40} "
                  f"{r['document']} §{r['section'] or '-'}: {r['text']}{via}")
        print(f"{len(rows)} deadlines")
    return 0


# --------------------------------------------------------------------------- parser

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="directives",
        description="Read Vietnamese plans and directives, extract citations and deadlines, "
                    "and query the citation graph stored in SQLite.")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name, fn, help, db=True, fmt=False):
        sp = sub.add_parser(name, help=help, description=help)
        if db:
            sp.add_argument("--db", default=DEFAULT_DB, help=f"database file (default {DEFAULT_DB})")
        if fmt:
            sp.add_argument("--format", choices=["text", "json"], default="text")
        sp.set_defaults(func=fn)
        return sp

    sp = add("demo", cmd_demo, "ingest the bundled corpus/ and print a summary")
    sp = add("ingest", cmd_ingest, "ingest files and folders (recursive) into the database")
    sp.add_argument("paths", nargs="+", help="files or folders")
    sp.add_argument("--force", action="store_true", help="re-extract unchanged files too")
    sp.add_argument("--quiet", action="store_true", help="print only errors and the total")
    sp.add_argument("--verbose", action="store_true", help="print a line for every file")
    sp.add_argument("--workers", type=int, default=None,
                    help="extraction processes (default: the machine's cores; 0: none)")
    sp.add_argument("--prune", action="store_true",
                    help="remove stored files under PATHS that no longer exist on disk")
    sp.add_argument("--timeout", type=float, default=120.0,
                    help="seconds allowed to extract one file (default 120; 0: no limit)")
    sp.add_argument("--max-text-mb", type=float, default=50.0,
                    help="larger .txt/.md files are refused (default 50)")
    sp.add_argument("--max-file-mb", type=float, default=200.0,
                    help="larger .docx/.pdf files are refused (default 200)")
    sp.add_argument("--ocr", choices=OCR_MODES, default="auto", help=OCR_HELP)
    sp.add_argument("--scheduler", metavar="tcp://HOST:8786",
                    help="extract on this Dask cluster (also $DIRECTIVES_SCHEDULER); this "
                         "process walks, hashes and writes; needs the [cluster] extra")
    sp.add_argument("--ship-bytes", action="store_true",
                    help="with --scheduler: send each file's bytes to the workers (no shared "
                         "filesystem needed)")
    sp = add("extract", cmd_extract, "extract one file and print the result (no database)",
             db=False, fmt=True)
    sp.add_argument("file")
    sp.add_argument("--ocr", choices=OCR_MODES, default="auto", help=OCR_HELP)
    sp = add("show", cmd_show, "print a stored document's header and outline", fmt=True)
    sp.add_argument("doc", help="id, path, file name or own key (e.g. 3707/KH-UBND)")
    sp = add("search", cmd_search, "full-text search over section headings and text", fmt=True)
    sp.add_argument("query")
    sp.add_argument("--limit", type=int, default=20)
    add("status", cmd_status, "list stored files that failed (with the reason) or are missing",
        fmt=True)
    sp = add("eval", cmd_eval, "score extraction against a gold file (precision, recall, F1)",
             db=False, fmt=True)
    sp.add_argument("gold", nargs="+", help="gold JSON file(s), e.g. tests/gold/corpus.json")
    sp.add_argument("--corpus", default=str(PROJECT_ROOT / "corpus"),
                    help="folder holding the gold's documents (default: the bundled corpus/)")
    sp = add("deadlines", cmd_deadlines, "list stored deadlines (text, JSON or iCalendar)")
    sp.add_argument("--due-before", help="ISO date: only deadlines before it")
    sp.add_argument("--agency", help="lead or partner agency contains this text")
    sp.add_argument("--document", help="only this document (id, path, file name or key)")
    sp.add_argument("--implementing", metavar="KEY",
                    help="only deadlines set by the documents implementing KEY (e.g. 91-KL/TW)")
    sp.add_argument("--transitive", action="store_true",
                    help="with --implementing: also through intermediate plans")
    sp.add_argument("--format", choices=["text", "json", "ics"], default="text")
    sp.add_argument("--output", "-o", help="write to this file (for --format ics)")
    graph_commands.register(sub, add)
    web_commands.register(sub, add)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
