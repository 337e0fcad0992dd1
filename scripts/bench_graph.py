#!/usr/bin/env python3
"""Latency of each graph query on a (synthetic) database: median, p95 and max over sampled
targets of each level, with the size of the answers.

    python3 scripts/make_synthetic_graph.py --db /tmp/directives-synthetic.db
    python3 scripts/bench_graph.py --db /tmp/directives-synthetic.db

Targets are drawn from the database itself: the central directive 91-KL/TW, provincial Party
plans (…/TU), district plans (…/HU and UBND huyện), commune plans (UBND xã). Every call goes
through the library function the CLI uses (resolution of the reference, the recursive query,
the display fields of every node returned).
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import graph, storage as store  # noqa: E402


def _sample(db, where: str, n: int, rng: random.Random) -> list[str]:
    """`n` document nodes (as node:ID) whose issuer matches `where` and that have lineage edges."""
    top = db.execute("select max(id) from nodes").fetchone()[0] or 0
    out: list[str] = []
    tries = 0
    while len(out) < n and tries < n * 400:
        tries += 1
        start = rng.randint(1, top)
        row = db.execute(
            "select n.id from nodes n where n.id >= ? and n.status = 'document' "
            "and n.issuer like ? and exists (select 1 from edges e where e.source = n.id "
            "and e.relation = 'implements') limit 1", [start, where]).fetchone()
        if row and f"node:{row[0]}" not in out:
            out.append(f"node:{row[0]}")
    return out


def _time(fn, refs, repeat: int) -> dict:
    times, sizes = [], []
    for ref in refs:
        for _ in range(repeat):
            t0 = time.perf_counter()
            size = fn(ref)
            times.append((time.perf_counter() - t0) * 1000)
        sizes.append(size)
    times.sort()
    return {"targets": len(refs), "calls": len(times),
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
            "max_ms": round(times[-1], 2),
            "answer_median": statistics.median(sizes) if sizes else 0,
            "answer_max": max(sizes) if sizes else 0}


def run(db_path: str, *, samples: int = 20, repeat: int = 3, seed: int = 1,
        with_stats: bool = False) -> dict:
    db = store.open_db(db_path)
    graph.sync(db)  # nothing should be pending; a query must not pay for it
    rng = random.Random(seed)
    sizes = {k: db.execute(f"select count(*) from {t}").fetchone()[0]
             for k, t in (("documents", "documents"), ("mentions", "citations"),
                          ("nodes", "nodes"), ("edges", "edges"))}
    province = _sample(db, "Tỉnh ủy %", samples, rng)
    district = _sample(db, "Ủy ban nhân dân huyện %", samples, rng)
    commune = _sample(db, "Ủy ban nhân dân xã %", samples, rng)
    prov_ub = _sample(db, "Ủy ban nhân dân tỉnh %", samples, rng)
    central = ["91-KL/TW"]

    def impl(transitive, limit=None):
        return lambda ref: len(graph.implementers(db, ref, transitive=transitive,
                                                  limit=limit)["implementers"])

    def tr(ref):
        return len(graph.trace(db, ref)["nodes"])

    def cb(limit=None):
        return lambda ref: graph.cited_by(db, ref, limit=limit)["documents"]

    def cov(ref):
        return len(graph.coverage(db, ref)["covered"])

    plan = [
        ("implementers --transitive, central 91-KL/TW (whole answer)", impl(True), central, repeat),
        ("implementers --transitive, central 91-KL/TW --limit 100", impl(True, 100), central,
         repeat),
        ("implementers --transitive, provincial Party plan", impl(True), province, repeat),
        ("implementers --transitive, provincial UBND plan", impl(True), prov_ub, repeat),
        ("implementers --transitive, district plan", impl(True), district, repeat),
        ("implementers (direct), central 91-KL/TW", impl(False), central, repeat),
        ("implementers (direct), provincial Party plan", impl(False), province, repeat),
        ("trace, commune plan", tr, commune, repeat),
        ("trace, district plan", tr, district, repeat),
        ("trace, provincial Party plan", tr, province, repeat),
        ("cited-by, provincial Party plan", cb(), province, repeat),
        ("cited-by, central 91-KL/TW --limit 100", cb(100), central, repeat),
        ("cites, commune plan", lambda ref: len(graph.cites(db, ref)["cites"]), commune, repeat),
        ("coverage, provincial UBND plan", cov, prov_ub, repeat),
        ("resolve a key", lambda ref: len(graph.resolve_ref(db, ref)), ["91-KL/TW"], repeat),
    ]
    results = {}
    for name, fn, refs, rep in plan:
        results[name] = _time(fn, refs, rep)
        r = results[name]
        print(f"{name:<62} p50 {r['p50_ms']:>9.2f} ms  p95 {r['p95_ms']:>9.2f} ms  "
              f"max {r['max_ms']:>9.2f} ms  answer {r['answer_median']:>7} (max {r['answer_max']})",
              flush=True)
    if with_stats:
        t0 = time.perf_counter()
        graph.stats(db, pagerank=False)
        results["stats (no PageRank)"] = {"ms": round((time.perf_counter() - t0) * 1000)}
        t0 = time.perf_counter()
        graph.stats(db, pagerank=True)
        results["stats (with PageRank)"] = {"ms": round((time.perf_counter() - t0) * 1000)}
        for k in ("stats (no PageRank)", "stats (with PageRank)"):
            print(f"{k:<62} {results[k]['ms']:>9} ms", flush=True)
    return {"database": db_path, "sizes": sizes, "results": results}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", default="/tmp/directives-synthetic.db")
    p.add_argument("--samples", type=int, default=20, help="targets per level")
    p.add_argument("--repeat", type=int, default=3, help="calls per target")
    p.add_argument("--stats", action="store_true", help="also time `stats` (slow on big graphs)")
    p.add_argument("--json", help="write the figures to this file too")
    args = p.parse_args(argv)
    out = run(args.db, samples=args.samples, repeat=args.repeat, with_stats=args.stats)
    print(json.dumps(out["sizes"]))
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
