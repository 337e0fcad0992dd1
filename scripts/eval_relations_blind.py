"""Score references and their relations against the blind set (tests/gold/relations_blind).

Each gold entry is one (target, relation) of a page: the target by its number when the page
states it, else by its name and year. A prediction is a citation (key, relation) or a law cited
by name (name, year). Within one page, predictions and gold are sets, so a target cited five
times counts once per relation.

    python scripts/eval_relations_blind.py [GOLD.json ...] [--errors]

Prints for references (target only) and for relations (target and relation): precision, recall,
F1; and recall of the targets the page names without a number.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from eval_deadlines_blind import corpus_folder  # noqa: E402  (same archive, same unpacking)
from pipeline.extract import extract_file  # noqa: E402

GOLD = HERE.parent / "tests" / "gold" / "relations_blind"


def number_forms(n: str) -> set[str]:
    """Comparable forms of a number: no spaces, Đ for its look-alikes, upper case; Party and
    state separators both ways ('27/NQ-TW' and '27-NQ/TW')."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFC", n)).replace("Ð", "Đ").upper()
    forms = {s}
    m = re.match(r"^(\d+[A-Z]?)[/-]([^/-]+)[/-]([^/]+)$", s)
    if m:
        forms |= {f"{m[1]}/{m[2]}-{m[3]}", f"{m[1]}-{m[2]}/{m[3]}"}
    return forms


def name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).lower().split())


def predictions(path: Path) -> list[dict]:
    """What the pipeline says a page cites: citations and laws left named, with relations."""
    rec = extract_file(path)
    out = []
    for c in rec.citations:
        out.append({"number": c.key, "name": c.title, "year": c.year,
                    "relation": c.relation, "text": c.text})
    for n in rec.named_refs:
        out.append({"number": None, "name": n.name, "year": n.year,
                    "relation": getattr(n, "relation", None) or "mentions", "text": n.name})
    return out


def same_target(p: dict, g: dict) -> bool:
    if p["number"] and g.get("number"):
        return bool(number_forms(p["number"]) & number_forms(g["number"]))
    if p.get("name") and g.get("name") and name_key(p["name"]) == name_key(g["name"]):
        return p["year"] is None or g.get("year") is None or p["year"] == g["year"]
    return False


def score(files: dict, errors: bool, pages: Path) -> dict:
    ref = Counter()
    rel = Counter()
    named = Counter()
    for fn, g in files.items():
        preds = predictions(pages / fn)
        gold = g["refs"]
        # references: one per target; distinct predicted targets with no gold entry
        fp_targets = []
        for p in preds:
            if not any(same_target(p, x) for x in gold):
                if not any(same_target(p, q) for q in fp_targets):
                    fp_targets.append(p)
        gold_targets = []
        for x in gold:
            if not any(same_target(x | {"relation": None}, y) for y in gold_targets):
                gold_targets.append(x)
        hit_targets = [x for x in gold_targets
                       if any(same_target(p, x) for p in preds)]
        ref["tp"] += len(hit_targets)
        ref["fn"] += len(gold_targets) - len(hit_targets)
        ref["fp"] += len(fp_targets)
        for x in gold_targets:
            if not x.get("number"):
                named["n"] += 1
                named["hit"] += any(same_target(p, x) for p in preds)
        # relations: (target, relation) pairs
        for x in gold:
            ok = any(same_target(p, x) and p["relation"] == x["relation"] for p in preds)
            rel["tp" if ok else "fn"] += 1
            rel[x["relation"], "n"] += 1
            rel[x["relation"], "hit"] += ok
            if not ok and errors:
                got = sorted({p["relation"] for p in preds if same_target(p, x)})
                print(f"  miss {fn}: {x['relation']:<10} {x.get('number') or x.get('name')}"
                      f" ({x.get('year')}) got {got or 'nothing'}")
        seen = []
        for p in preds:
            if any(same_target(p, q) and p["relation"] == q["relation"] for q in seen):
                continue
            seen.append(p)
            if not any(same_target(p, x) and p["relation"] == x["relation"] for x in gold):
                rel["fp"] += 1
                if errors:
                    print(f"  extra {fn}: {p['relation']:<10} {p['number'] or p['name']}"
                          f" ({p['year']}) «{p['text'][:60]}»")
    out = {}
    for label, c in (("references", ref), ("relations", rel)):
        p = c["tp"] / max(1, c["tp"] + c["fp"])
        r = c["tp"] / max(1, c["tp"] + c["fn"])
        f = 2 * p * r / max(1e-9, p + r)
        out[label] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                      "tp": c["tp"], "fp": c["fp"], "fn": c["fn"]}
    out["named_recall"] = round(named["hit"] / named["n"], 3) if named["n"] else None
    kinds = sorted({k[0] for k in rel if isinstance(k, tuple)})
    out["relation_recall"] = {k: [rel[k, "hit"], rel[k, "n"]] for k in kinds}
    return out


def report(out: dict) -> None:
    for label in ("references", "relations"):
        c = out[label]
        print(f"{label:<11} P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}  "
              f"(tp {c['tp']}, fp {c['fp']}, fn {c['fn']})")
    if out["named_recall"] is not None:
        print(f"targets named without a number: recall {out['named_recall']:.3f}")
    print("relation recall: " + ", ".join(
        f"{k} {h}/{n}" for k, (h, n) in out["relation_recall"].items()))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="*", type=Path)
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--corpus", default="/tmp/scale/all",
                    help="the unpacked pages (taken from the archive when missing)")
    a = ap.parse_args(argv)
    paths = a.gold or sorted(GOLD.glob("dev_*.json"))
    files = {}
    for p in paths:
        files.update(json.loads(p.read_text(encoding="utf-8"))["files"])
    pages = corpus_folder(sorted(files), a.corpus)
    out = score(files, a.errors, pages)
    if a.json:
        print(json.dumps(out))
        return 0
    print(f"{len(files)} pages from {', '.join(p.name for p in paths)}")
    report(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
