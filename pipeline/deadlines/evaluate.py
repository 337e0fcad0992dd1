"""Score extracted deadlines against a hand-annotated gold file.

Gold entries carry their surface `text` (and optionally a longer `context` and an `occurrence`
index), not offsets, so they survive small changes in normalisation; `locate` finds them in the
normalised text. A predicted deadline matches a gold one when their spans overlap (one-to-one,
largest overlap first). Reported per file and overall (micro-averaged):

    precision, recall, F1 by span overlap;
    value accuracy on matches (exact string, None == None);
    kind, modifier and agency accuracy on matches (agency only where the gold annotates it).

    python -m pipeline.deadlines.evaluate [tests/gold/deadlines.json] [--corpus DIR] [--json]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Optional, Union

from ..model import Text

ROOT = Path(__file__).resolve().parent.parent.parent


def _flex(s: str) -> str:
    """A regex for `s` where any run of white space matches any run of white space."""
    parts = s.split()
    return r"\s+".join(re.escape(p) for p in parts) if parts else r"(?!)"


def _skeleton(s: str) -> tuple[str, list[int]]:
    """The letters and digits of `s`, case-folded, with each one's offset in `s`: gold copied
    from a page's Markdown (markup, line breaks, table pipes) still finds its place in the
    normalised text."""
    chars, offs = [], []
    for i, ch in enumerate(s):
        if ch.isalnum():
            chars.append(ch.lower())
            offs.append(i)
    return "".join(chars), offs


def _locate_skeleton(entry: dict, s: str, skel=None, skip: int = 0) -> Optional[tuple[int, int]]:
    sk, offs = skel or _skeleton(s)
    surface = _skeleton(entry.get("text") or "")[0]
    if not surface:
        return None
    lo, hi = 0, len(sk)
    ctx = _skeleton(entry.get("context") or "")[0]
    if ctx:
        i = sk.find(ctx)
        for _ in range(skip):  # the skip-th later occurrence of the same context
            i = sk.find(ctx, i + 1) if i >= 0 else i
        if i < 0:
            return None
        lo, hi = i, i + len(ctx)
    occ = int(entry.get("occurrence", 0) or 0)
    i = sk.find(surface, lo, hi)
    while i >= 0 and occ:
        occ -= 1
        i = sk.find(surface, i + 1, hi)
    if i < 0:
        return None
    return offs[i], offs[i + len(surface) - 1] + 1


def locate_one(entry: dict, text: Union[Text, str], skel=None) -> Optional[tuple[int, int]]:
    """Span of one gold entry in the normalised text (None when it cannot be found): first with
    white space made flexible, then on the letters and digits alone."""
    s = text.text if isinstance(text, Text) else str(text)
    exact = _locate_flex(entry, s)
    return exact if exact is not None else _locate_skeleton(entry, s, skel)


def _locate_flex(entry: dict, s: str) -> Optional[tuple[int, int]]:
    surface = entry.get("text") or ""
    occ = int(entry.get("occurrence", 0) or 0)
    lo, hi = 0, len(s)
    ctx = entry.get("context")
    if ctx:
        m = re.search(_flex(ctx), s, re.I)
        if not m:
            return None
        lo, hi = m.start(), m.end()
    hits = list(re.finditer(_flex(surface), s[lo:hi], re.I))
    if occ >= len(hits):
        return None
    m = hits[occ]
    return lo + m.start(), lo + m.end()


def locate(entries: list[dict], text: Union[Text, str]) -> list[Optional[tuple[int, int]]]:
    s = text.text if isinstance(text, Text) else str(text)
    skel = _skeleton(s) if entries else None
    out: list[Optional[tuple[int, int]]] = []
    used: set = set()
    for e in entries:
        sp = locate_one(e, s, skel)
        k = 0
        while sp is not None and sp in used and k < 50:
            # annotators repeat a context word for word when a document repeats a sentence:
            # each entry takes the next occurrence
            k += 1
            sp = _locate_skeleton(e, s, skel, skip=k)
        out.append(sp)
        if sp is not None:
            used.add(sp)
    return out


def _norm(v) -> Optional[str]:
    if v is None:
        return None
    return " ".join(str(v).split()).casefold()


def _match(gold_spans: list, pred_spans: list) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index) by overlap, largest overlap first."""
    pairs = []
    for i, g in enumerate(gold_spans):
        if g is None:
            continue
        for j, p in enumerate(pred_spans):
            ov = min(g[1], p[1]) - max(g[0], p[0])
            if ov > 0:
                pairs.append((ov, i, j))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g, used_p, out = set(), set(), []
    for _ov, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((i, j))
    return out


def _ratio(a: int, b: int) -> Optional[float]:
    return a / b if b else None


def _figures(c: dict) -> dict:
    p = _ratio(c["tp"], c["tp"] + c["fp"])
    r = _ratio(c["tp"], c["tp"] + c["fn"])
    f = 2 * p * r / (p + r) if p is not None and r is not None and (p + r) else (
        0.0 if p is not None and r is not None else None)
    out = dict(c)
    out.update({
        "precision": p, "recall": r, "f1": f,
        "value_accuracy": _ratio(c["value_ok"], c["tp"]),
        "kind_accuracy": _ratio(c["kind_ok"], c["tp"]),
        "modifier_accuracy": _ratio(c["modifier_ok"], c["tp"]),
        "agency_accuracy": _ratio(c["agency_ok"], c["agency_n"]),
    })
    return out


def _documents(gold: dict) -> dict:
    """file name → gold entry; the gold file keeps them under "files" (as the citation gold
    does, so `directives eval` can merge both) or "documents"."""
    return gold.get("files") or gold.get("documents") or {}


def _load_text(name: str, gold: dict, corpus: Optional[Path]) -> Optional[Text]:
    from ..normalise import normalise
    from ..readers import read

    base = Path(corpus) if corpus else ROOT / gold.get("corpus", "corpus")
    path = base / name
    if not path.exists():
        return None
    return normalise(read(str(path)))


def score(gold: dict, predicted: dict[str, list[dict]],
          texts: Optional[dict[str, Union[Text, str]]] = None,
          corpus: Optional[Union[str, Path]] = None, borderline: str = "count") -> dict:
    """Precision/recall/F1 by span overlap and value accuracy on matches, per file and overall.

    gold: the parsed gold file ({"files": {file: {"deadlines": [...]}}}; "documents" also read).
    predicted: file name → list of Deadline.to_dict() (a "span" [start, end] each).
    texts: file name → normalised Text (or its string) to locate gold entries in; files not given
    are read from `corpus` (default: the gold file's "corpus" folder under the project root).
    borderline: "count" scores gold entries marked borderline like the others; "exclude" drops
    them, and a prediction overlapping one counts neither way.
    The overall figures carry `by_kind`: recall per gold kind, precision per predicted kind.
    """
    texts = dict(texts or {})
    files: dict[str, dict] = {}
    total = {k: 0 for k in ("tp", "fp", "fn", "value_ok", "kind_ok", "modifier_ok",
                            "agency_ok", "agency_n", "unlocated")}
    by_kind: dict[str, dict] = {}

    def kind_count(kind, field):
        k = by_kind.setdefault(kind or "?", {"gold": 0, "found": 0, "predicted": 0, "right": 0})
        k[field] += 1

    docs = _documents(gold)
    names = list(docs) + [n for n in predicted if n not in docs]
    for name in names:
        entries = (docs.get(name) or {}).get("deadlines", [])
        preds = predicted.get(name, []) or []
        text = texts.get(name)
        if text is None and entries:
            text = _load_text(name, gold, Path(corpus) if corpus else None)
        gspans = locate(entries, text) if text is not None else [None] * len(entries)
        pspans = []
        for p in preds:
            sp = p.get("span") or [p.get("start"), p.get("end")]
            pspans.append((int(sp[0]), int(sp[1])))
        if borderline == "exclude":
            doubtful = [g for e, g in zip(entries, gspans) if e.get("borderline") and g]
            keep = [i for i, e in enumerate(entries) if not e.get("borderline")]
            entries, gspans = [entries[i] for i in keep], [gspans[i] for i in keep]
            keep = [j for j, p in enumerate(pspans)
                    if not any(min(g[1], p[1]) > max(g[0], p[0]) for g in doubtful)]
            preds, pspans = [preds[j] for j in keep], [pspans[j] for j in keep]
        pairs = _match(gspans, pspans)
        for e in entries:
            kind_count(e.get("kind"), "gold")
        for p in preds:
            kind_count(p.get("kind"), "predicted")
        for i, j in pairs:
            kind_count(entries[i].get("kind"), "found")
            kind_count(preds[j].get("kind"), "right")
        c = {k: 0 for k in total}
        c["tp"] = len(pairs)
        c["fp"] = len(preds) - len(pairs)
        c["fn"] = len(entries) - len(pairs)
        c["unlocated"] = sum(1 for g in gspans if g is None)
        errors = []
        for i, j in pairs:
            g, p = entries[i], preds[j]
            ok_v = _norm(g.get("value")) == _norm(p.get("value"))
            c["value_ok"] += ok_v
            c["kind_ok"] += _norm(g.get("kind")) == _norm(p.get("kind"))
            c["modifier_ok"] += _norm(g.get("modifier")) == _norm(p.get("modifier"))
            if "agency" in g:
                c["agency_n"] += 1
                c["agency_ok"] += _norm(g.get("agency")) == _norm(p.get("agency"))
            if not ok_v:
                errors.append({"type": "value", "text": g.get("text"), "gold": g.get("value"),
                               "predicted": p.get("value")})
        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        for i, g in enumerate(entries):
            if i not in matched_g:
                errors.append({"type": "missed" if gspans[i] else "unlocated",
                               "text": g.get("text"), "context": g.get("context")})
        for j, p in enumerate(preds):
            if j not in matched_p:
                errors.append({"type": "spurious", "text": p.get("text"), "span": list(pspans[j]),
                               "value": p.get("value")})
        for k in total:
            total[k] += c[k]
        files[name] = _figures(c)
        files[name]["errors"] = errors
    overall = _figures(total)
    overall["by_kind"] = {k: dict(v, recall=_ratio(v["found"], v["gold"]),
                                  precision=_ratio(v["right"], v["predicted"]))
                          for k, v in sorted(by_kind.items())}
    return {"files": files, "overall": overall}


def predict(gold: dict, corpus: Optional[Union[str, Path]] = None,
            use_citations: bool = True) -> tuple[dict[str, list[dict]], dict[str, Text]]:
    """Run the extractor over the gold's documents with their header dates (and, when the
    citation stage is importable, its spans as masks)."""
    from . import extract_deadlines

    preds, texts = {}, {}
    for name, doc in _documents(gold).items():
        text = _load_text(name, gold, Path(corpus) if corpus else None)
        if text is None:
            continue
        masks = []
        if use_citations:
            from ..citations import extract_citations

            cits, _rel, _named = extract_citations(text)
            masks = [(c.start, c.end) for c in cits]
        ds = extract_deadlines(text, doc_date=doc.get("doc_date"), masks=masks)
        preds[name] = [d.to_dict() for d in ds]
        texts[name] = text
    return preds, texts


def _fmt(x) -> str:
    return "   -" if x is None else f"{x:.3f}"


def report_lines(result: dict) -> list[str]:
    out = [f"{'file':<28} {'gold':>4} {'pred':>4} {'tp':>3}  {'P':>5}  {'R':>5}  {'F1':>5}  "
           f"{'value':>5}  {'kind':>5}  {'agency':>6}"]
    rows = list(result["files"].items()) + [("overall", result["overall"])]
    for name, f in rows:
        out.append(f"{name:<28} {f['tp'] + f['fn']:>4} {f['tp'] + f['fp']:>4} {f['tp']:>3}  "
                   f"{_fmt(f['precision'])}  {_fmt(f['recall'])}  {_fmt(f['f1'])}  "
                   f"{_fmt(f['value_accuracy'])}  {_fmt(f['kind_accuracy'])}  {_fmt(f['agency_accuracy'])}")
    for name, f in result["files"].items():
        for e in f.get("errors", []):
            out.append(f"  {name}: {e['type']}: {json.dumps({k: v for k, v in e.items() if k != 'type'}, ensure_ascii=False)}")
    return out


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.deadlines.evaluate",
                                 description="Deadline precision/recall/F1 and value accuracy against a gold file.")
    ap.add_argument("gold", nargs="?", default=str(ROOT / "tests" / "gold" / "deadlines.json"))
    ap.add_argument("--corpus", default=None, help="folder of the gold's documents")
    ap.add_argument("--no-citations", action="store_true", help="do not mask citation spans")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    preds, texts = predict(gold, args.corpus, use_citations=not args.no_citations)
    result = score(gold, preds, texts)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print("\n".join(report_lines(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
