"""Score the deadline stage against the blind gold annotated on real legal-web pages.

The gold (tests/gold/deadlines_blind/*.json, see GUIDE.md there) was written by annotators who
followed ../shared/docs/deadlines.md and never saw the extractor. Its documents live in the scale
corpus archive; the ones needed are unpacked to a temporary folder unless --corpus names a folder
that has them (e.g. /tmp/scale/all after `tar -xJf legal-web-13984.tar.xz -C /tmp/scale`).

    python scripts/eval_deadlines_blind.py [GOLD ...] [--corpus DIR] [--errors] [--json]
    python scripts/eval_deadlines_blind.py --dump preds.json      # predictions of this checkout
    python scripts/eval_deadlines_blind.py --predictions preds.json  # score saved predictions

Figures: precision, recall, F1 by span overlap, value accuracy on matches, per kind; once with
every gold entry ("all") and once without the entries the annotators marked borderline.
"""
from __future__ import annotations

import argparse
import glob
import json
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.deadlines.evaluate import score  # noqa: E402

ARCHIVE = ROOT.parent / "shared" / "scale" / "legal-web-13984.tar.xz"
DEFAULT_GOLD = sorted(glob.glob(str(ROOT / "tests" / "gold" / "deadlines_blind" / "dev_part*.json")))


def load(paths: list[str]) -> dict:
    files: dict = {}
    for p in paths:
        files.update(json.loads(Path(p).read_text(encoding="utf-8"))["files"])
    return {"files": files}


def corpus_folder(names: list[str], corpus: str | None) -> Path:
    if corpus and all((Path(corpus) / n).exists() for n in names):
        return Path(corpus)
    out = Path(tempfile.mkdtemp(prefix="blind-"))
    wanted = {f"all/{n}" for n in names}
    with tarfile.open(ARCHIVE) as tar:
        for m in tar:
            if m.name in wanted:
                (out / Path(m.name).name).write_bytes(tar.extractfile(m).read())
    return out


def predict(names: list[str], folder: Path) -> tuple[dict, dict]:
    from pipeline.extract import extract_file

    preds, texts = {}, {}
    for n in names:
        rec = extract_file(folder / n)
        preds[n] = [d.to_dict() for d in rec.deadlines]
        texts[n] = rec.text.text
    return preds, texts


def fmt(x) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def summary(result: dict, label: str) -> list[str]:
    o = result["overall"]
    out = [f"{label}: gold {o['tp'] + o['fn']}, predicted {o['tp'] + o['fp']}, matched {o['tp']}, "
           f"unlocated {o['unlocated']} | P {fmt(o['precision'])} R {fmt(o['recall'])} "
           f"F1 {fmt(o['f1'])} value {fmt(o['value_accuracy'])} kind {fmt(o['kind_accuracy'])}"]
    for k, v in o["by_kind"].items():
        out.append(f"    {k:<11} gold {v['gold']:>3} found {v['found']:>3} (R {fmt(v['recall'])})"
                   f" | predicted {v['predicted']:>3} right {v['right']:>3} (P {fmt(v['precision'])})")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", nargs="*", default=DEFAULT_GOLD)
    ap.add_argument("--corpus", default="/tmp/scale/all")
    ap.add_argument("--dump", help="write this checkout's predictions and texts to a JSON file")
    ap.add_argument("--predictions", help="score predictions saved with --dump")
    ap.add_argument("--errors", action="store_true", help="list misses, spurious and wrong values")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    gold = load(args.gold)
    names = sorted(gold["files"])
    if args.predictions:
        saved = json.loads(Path(args.predictions).read_text(encoding="utf-8"))
        preds, texts = saved["predictions"], saved["texts"]
    else:
        preds, texts = predict(names, corpus_folder(names, args.corpus))
    if args.dump:
        Path(args.dump).write_text(json.dumps({"predictions": preds, "texts": texts},
                                              ensure_ascii=False), encoding="utf-8")
        return 0
    results = {mode: score(gold, preds, texts, borderline=mode) for mode in ("count", "exclude")}
    if args.json:
        json.dump({m: r["overall"] for m, r in results.items()}, sys.stdout, indent=1)
        return 0
    print(f"{len(names)} documents")
    print("\n".join(summary(results["count"], "all entries")))
    print("\n".join(summary(results["exclude"], "without borderline")))
    if args.errors:
        for name, f in results["count"]["files"].items():
            for e in f["errors"]:
                print(f"  {name}: {e['type']}: "
                      + json.dumps({k: v for k, v in e.items() if k != "type"}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
