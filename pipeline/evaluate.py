"""Score extraction against a hand-annotated gold file.

Citations are scored as distinct cited documents per file (precision/recall/F1 on the canonical
key), with the accuracy of date, issuer and relation on the matches; stated chain edges are
scored as (source, relation, target) triples. Deadlines are scored by pipeline.deadlines.evaluate.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Optional

from .domain import strongest


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "fp": fp, "fn": fn}


def norm_issuer(s: Optional[str]) -> Optional[str]:
    if s is None:
        return None
    s = unicodedata.normalize("NFC", s).casefold()
    for old, new in (("uỷ", "ủy"), ("khoá", "khóa"), ("hoá", "hóa")):
        s = s.replace(old, new)
    return " ".join(s.split())


def by_number(c: dict) -> bool:
    """A citation the text makes with the document's number ('Luật Giáo dục số 43/2019/QH14'), not
    one resolved from a name ('Luật Giáo dục năm 2019'): the gold files list laws cited by name
    apart (named_refs), so these are scored as citations only when the number is written."""
    number = (c.get("key") or "").split("/")[0].split("-")[0].lstrip("0")
    return bool(number) and number in re.sub(r"\s+", "", c.get("text") or "")


def distinct_cited(citations: list[dict]) -> dict[str, dict]:
    """Mentions → one record per cited key: strongest relation, the date and issuer most given."""
    groups: dict[str, list[dict]] = {}
    for c in citations:
        if c.get("key") and by_number(c):
            groups.setdefault(c["key"], []).append(c)
    out = {}
    for key, ms in groups.items():
        def most(field):
            vals = Counter(m[field] for m in ms if m.get(field))
            return vals.most_common(1)[0][0] if vals else None
        out[key] = {"key": key, "date": most("date"), "issuer": most("issuer"),
                    "relation": strongest([m["relation"] for m in ms])}
    return out


def score_citations(gold_files: dict, predicted: dict[str, dict]) -> dict:
    """gold_files: {file: {"citations": [...], "edges": [...]}};
    predicted: {file: extract output dict (citations, relations)}."""
    per_file = {}
    totals = Counter()
    acc = Counter()
    edge_tot = Counter()
    for name, gold in gold_files.items():
        pred = predicted.get(name, {"citations": [], "relations": []})
        g = {c["key"]: c for c in gold.get("citations", [])}
        p = distinct_cited(pred.get("citations", []))
        tp = len(g.keys() & p.keys())
        fp = len(p.keys() - g.keys())
        fn = len(g.keys() - p.keys())
        totals.update(tp=tp, fp=fp, fn=fn)
        f_acc = Counter()
        for k in g.keys() & p.keys():
            f_acc["n"] += 1
            f_acc["date"] += g[k].get("date") == p[k]["date"]
            f_acc["issuer"] += norm_issuer(g[k].get("issuer")) == norm_issuer(p[k]["issuer"])
            f_acc["relation"] += g[k].get("relation") == p[k]["relation"]
        acc.update(f_acc)
        ge = {(e["source"], e["relation"], e["target"]) for e in gold.get("edges", [])}
        pe = {(e["source"], e["relation"], e["target"]) for e in pred.get("relations", [])}
        etp, efp, efn = len(ge & pe), len(pe - ge), len(ge - pe)
        edge_tot.update(tp=etp, fp=efp, fn=efn)
        per_file[name] = {
            **_prf(tp, fp, fn),
            "missing": sorted(g.keys() - p.keys()), "spurious": sorted(p.keys() - g.keys()),
            "wrong_fields": sorted(
                f"{k}: {fld} {g[k].get(fld)!r} ≠ {p[k][fld]!r}"
                for k in g.keys() & p.keys() for fld in ("date", "issuer", "relation")
                if (norm_issuer(g[k].get(fld)) != norm_issuer(p[k][fld]) if fld == "issuer"
                    else g[k].get(fld) != p[k][fld])),
            "edges": _prf(etp, efp, efn),
            "missing_edges": sorted(" ".join(e) for e in ge - pe),
            "spurious_edges": sorted(" ".join(e) for e in pe - ge),
        }
    n = acc["n"] or 1
    return {
        "files": per_file,
        "overall": {**_prf(totals["tp"], totals["fp"], totals["fn"]),
                    "date_accuracy": round(acc["date"] / n, 4),
                    "issuer_accuracy": round(acc["issuer"] / n, 4),
                    "relation_accuracy": round(acc["relation"] / n, 4),
                    "edges": _prf(edge_tot["tp"], edge_tot["fp"], edge_tot["fn"])},
    }


def load_gold(paths: list[str | Path]) -> dict:
    """One or more gold files merged per document ({"files": {name: {...}}})."""
    files: dict[str, dict] = {}
    for p in paths:
        data = json.loads(Path(p).read_text(encoding="utf-8"))
        for name, entry in data.get("files", {}).items():
            files.setdefault(name, {}).update(entry)
    return files


def evaluate(gold_paths: list[str | Path], corpus_dir: str | Path) -> dict:
    """Extract every gold document from `corpus_dir` and score citations (and deadlines)."""
    from .extract import extract_file

    gold = load_gold(gold_paths)
    predicted: dict[str, dict] = {}
    texts = {}
    for name in gold:
        rec = extract_file(Path(corpus_dir) / name)
        predicted[name] = rec.to_dict()
        texts[name] = rec.text.text
    result = {"citations": score_citations(
        {n: g for n, g in gold.items() if "citations" in g}, predicted)}
    if any("deadlines" in g for g in gold.values()):
        from .deadlines.evaluate import score as score_deadlines

        dl_gold = {"files": {n: g for n, g in gold.items() if "deadlines" in g}}
        result["deadlines"] = score_deadlines(
            dl_gold, {n: predicted[n]["deadlines"] for n in dl_gold["files"]}, texts=texts)
    return result
