"""Relations of legal documents against a legal portal's curated lists (../shared/eval-data/vbpl).

For each of the 90 texts, extract it and compare its outgoing edges (target key, relation) with the
curated ones. The curated lists are incomplete (see the data's README), so recall is counted per
curated edge; precision only on the documents that carry their own list (edges `via: own`).

    python scripts/eval_vbpl.py [--data DIR] [--misses] [--json OUT]

Prints, per curated relation: edges, found with the same relation, found with another relation,
not found (and of those, how many the text names without a number).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pipeline.extract import extract_file  # noqa: E402

DEFAULT = HERE.parent.parent / "shared" / "eval-data" / "vbpl"


def canon(key: str) -> str:
    """Keys compared without the Đ/Ð look-alike and case differences."""
    key = key.replace("Ð", "Đ").replace("đ", "Đ").upper().strip()
    m = re.match(r"^0*(\d+)(.*)$", key)  # '2/2023/TT-BNV' is '02/2023/TT-BNV'
    return f"{int(m.group(1)):02d}{m.group(2)}" if m else key


def outgoing(rec) -> dict[str, set[str]]:
    """target key → the relations this document states towards it."""
    out: dict[str, set[str]] = defaultdict(set)
    own = canon(rec.header.key) if rec.header.key else None
    for c in rec.citations:
        if c.key and canon(c.key) != own:
            out[canon(c.key)].add(c.relation)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--misses", action="store_true", help="list every curated edge not found")
    ap.add_argument("--json", type=Path, help="write the per-document predictions here")
    ap.add_argument("--summary", action="store_true", help="print the figures as one JSON line")
    a = ap.parse_args(argv)
    rows: Counter = Counter()
    unnumbered_miss = 0
    unscored = 0
    total_edges = 0
    tp = fp = 0
    dump = {}
    misses = []
    for rel_file in sorted((a.data / "relations").glob("*.json")):
        d = json.loads(rel_file.read_text(encoding="utf-8"))
        text_path = a.data / d["text_file"]
        rec = extract_file(text_path)
        text = text_path.read_text(encoding="utf-8")
        pred = outgoing(rec)
        dump[d["doc_id"]] = {k: sorted(v) for k, v in pred.items()}
        gold = set()
        for r in d["relations"]:
            key = r["target_key"]
            if key is None and (r.get("target_title") or "").startswith("Hiến pháp"):
                key = r["target_title"]  # the Constitution has no number: its name is its key
            if key is None:
                unscored += 1
                continue
            gold.add((canon(key), r["relation"]))
        for target, rel in sorted(gold):
            total_edges += 1
            got = pred.get(target, set())
            if rel in got:
                rows[rel, "same"] += 1
            elif got:
                rows[rel, "other"] += 1
                misses.append((d["doc_id"], rel, target, "found as " + ",".join(sorted(got))))
            else:
                rows[rel, "none"] += 1
                number = target.split("/")[0]
                named_only = not re.search(r"(?<!\d)0*" + re.escape(number.lstrip("0") or "0")
                                           + r"/", text)
                unnumbered_miss += named_only
                misses.append((d["doc_id"], rel, target,
                               "not found" + (" (named without number)" if named_only else "")))
        if any(r.get("via") == "own" for r in d["relations"]):  # the document's own list
            predicted = {(t, r) for t, rs in pred.items() for r in rs if r != "mentions"}
            tp += len(predicted & gold)
            fp += len(predicted - gold)
    rels = ["based_on", "guides", "amends", "replaces", "repeals", "mentions"]
    if a.summary:
        per = {r: round(rows[r, "same"] / n, 3) for r in rels
               if (n := rows[r, "same"] + rows[r, "other"] + rows[r, "none"])}
        same = sum(rows[r, "same"] for r in rels)
        print(json.dumps({"recall": round(same / total_edges, 3), "per_relation": per,
                          "named_without_number": round(unnumbered_miss / total_edges, 3),
                          "precision_complete": round(tp / (tp + fp), 3) if tp + fp else None}))
        return 0
    print(f"{'curated relation':<12} {'edges':>6} {'same':>6} {'other':>6} {'none':>6} {'recall':>7}")
    tot = Counter()
    for r in rels:
        n = rows[r, "same"] + rows[r, "other"] + rows[r, "none"]
        if not n:
            continue
        for k in ("same", "other", "none"):
            tot[k] += rows[r, k]
        print(f"{r:<12} {n:>6} {rows[r, 'same']:>6} {rows[r, 'other']:>6} {rows[r, 'none']:>6}"
              f" {rows[r, 'same'] / n:>7.3f}")
    n = sum(tot.values())
    print(f"{'all':<12} {n:>6} {tot['same']:>6} {tot['other']:>6} {tot['none']:>6}"
          f" {tot['same'] / n:>7.3f}")
    print(f"not found and named without a number in the text: {unnumbered_miss} "
          f"({unnumbered_miss / total_edges:.1%} of curated edges)")
    print(f"curated edges without a target key (not scored): {unscored}")
    if tp + fp:
        print(f"precision (non-mention edges, documents with complete lists): {tp / (tp + fp):.3f}"
              f" ({tp}/{tp + fp})")
    if a.misses:
        for m in misses:
            print("  ", *m)
    if a.json:
        a.json.write_text(json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
