"""Everything a version stores and prints, as one JSON file: for checking that a refactor keeps
the output identical (issue 12) on the bundled corpus and on real files.

    python3 scripts/snapshot_outputs.py corpus /tmp/before_corpus.json
    python3 scripts/snapshot_outputs.py /tmp/sample2000 /tmp/before_2000.json
    python3 scripts/snapshot_outputs.py --compare /tmp/before_2000.json /tmp/after_2000.json

The files are ingested in one process (workers=0, a sorted walk), so ids are the same from run
to run. Stored rows are written without their ids (documents by path, child rows by path and
position, the graph by identity) and without the ingest time; then the CLI is run as a user
would (show, cites, cited-by, implementers, trace, coverage, validity, stats, ambiguities,
export, deadlines, search, status) on the documents and the most cited keys, and its standard
output recorded.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SKIP_COLUMNS = {"id", "document_id", "ingested_at"}
_INGESTED_AT = re.compile(r'"ingested_at": "[^"]*"')
SEARCHES = ("kế hoạch", "giao duc", "thực hiện nghị quyết", "13/2023/ND-CP", "phòng chống",
            "báo cáo kết quả")


def _rows(conn: sqlite3.Connection) -> dict:
    """Stored rows of the document tables, id-free, each document's children in stored order."""
    conn.row_factory = sqlite3.Row
    paths = {r["id"]: r["path"] for r in conn.execute("select id, path from documents")}
    out: dict = {"documents": {}}
    for r in conn.execute("select * from documents order by path"):
        out["documents"][r["path"]] = {k: r[k] for k in r.keys() if k not in SKIP_COLUMNS}
    for table in ("sections", "citations", "relations", "named_refs", "deadlines"):
        rows: dict = {}
        for r in conn.execute(f"select * from [{table}] order by document_id, id"):
            rows.setdefault(paths[r["document_id"]], []).append(
                {k: r[k] for k in r.keys() if k not in SKIP_COLUMNS})
        out[table] = rows
    conn.row_factory = None
    return out


def _graph(db_path: str) -> dict:
    from pipeline import graph
    from pipeline.storage import open_db

    db = open_db(db_path)
    snap = graph.snapshot(db)
    return {"nodes": {k: list(v) for k, v in sorted(snap["nodes"].items())},
            "candidates": sorted(snap["candidates"]),
            "edges": sorted([list(k) + list(v) for k, v in snap["edges"].items()], key=str),
            "mentions": sorted([list(k) + [v] for k, v in snap["mentions"].items()], key=str)}


def _cli(argv: list[str]) -> dict:
    from pipeline.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as e:  # argparse
            code = e.code
    return {"code": code, "stdout": out.getvalue()}


def _commands(db_path: str, conn: sqlite3.Connection, n_docs: int, n_keys: int) -> list[list]:
    d = ["--db", db_path]
    docs = [r[0] for r in conn.execute(
        "select path from documents where status = 'ok' order by path limit ?", [n_docs])]
    keys = [r[0] for r in conn.execute(
        "select key from citations where key is not null group by key "
        "order by count(distinct document_id) desc, key limit ?", [n_keys])]
    cmds: list[list] = [["stats", *d, "--format", "json"], ["stats", *d],
                        ["ambiguities", *d, "--format", "json"], ["status", *d],
                        ["export", *d, "--format", "json"], ["export", *d, "--format", "dot"],
                        ["deadlines", *d, "--format", "json"], ["deadlines", *d]]
    for q in SEARCHES:
        cmds.append(["search", *d, q, "--format", "json"])
    for p in docs:
        cmds += [["show", *d, p, "--format", "json"], ["cites", *d, p, "--format", "json"],
                 ["trace", *d, p, "--format", "json"], ["trace", *d, p],
                 ["deadlines", *d, "--document", p, "--format", "json"]]
    for k in keys:
        cmds += [["cited-by", *d, k, "--format", "json"], ["cited-by", *d, k],
                 ["implementers", *d, k, "--transitive", "--format", "json"],
                 ["implementers", *d, k, "--transitive"],
                 ["trace", *d, k, "--format", "json"], ["coverage", *d, k, "--format", "json"],
                 ["coverage", *d, k], ["validity", *d, k, "--format", "json"],
                 ["deadlines", *d, "--implementing", k, "--transitive", "--format", "json"]]
    return cmds


def snapshot(src: str, out: str, *, n_docs: int, n_keys: int) -> None:
    from pipeline.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        db_path = str(Path(tmp) / "snap.db")
        ingest([src], db_path, workers=0)
        conn = sqlite3.connect(db_path)
        result = {"rows": _rows(conn), "graph": _graph(db_path)}
        cli = {}
        for argv in _commands(db_path, conn, n_docs, n_keys):
            shown = " ".join(a if a != db_path else "DB" for a in argv)
            cli[shown] = _cli(argv)
            cli[shown]["stdout"] = _INGESTED_AT.sub("", cli[shown]["stdout"].replace(db_path, "DB"))
        result["cli"] = cli
        conn.close()
    Path(out).write_text(json.dumps(result, ensure_ascii=False, sort_keys=True, indent=0,
                                    default=str), encoding="utf-8")
    print(f"{out}: {len(result['rows']['documents'])} documents, "
          f"{len(result['graph']['nodes'])} nodes, {len(cli)} CLI outputs")


def compare(a_path: str, b_path: str) -> int:
    a = json.loads(Path(a_path).read_text(encoding="utf-8"))
    b = json.loads(Path(b_path).read_text(encoding="utf-8"))
    differences = 0
    for part in ("rows", "graph", "cli"):
        for name in sorted(set(a[part]) | set(b[part])):
            if a[part].get(name) != b[part].get(name):
                differences += 1
                print(f"differs: {part} / {name}")
    counts = {p: len(a[p]) for p in ("rows", "graph", "cli")}
    print(f"{differences} differences ({counts['rows']} tables, {counts['graph']} graph parts, "
          f"{counts['cli']} CLI outputs compared)")
    return 1 if differences else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("args", nargs=2, help="SOURCE OUT, or with --compare: BEFORE AFTER")
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--docs", type=int, default=40, help="documents whose CLI output is recorded")
    ap.add_argument("--keys", type=int, default=25, help="most cited keys queried")
    a = ap.parse_args()
    if a.compare:
        return compare(*a.args)
    snapshot(*a.args, n_docs=a.docs, n_keys=a.keys)
    return 0


if __name__ == "__main__":
    sys.exit(main())
