"""How many of the laws a corpus names are resolved to a number (the gazetteer's coverage).

    python scripts/law_coverage.py /tmp/scale/all [--top 25]

Runs the whole extraction on every file and counts the laws, codes, ordinances and constitutions
cited by name: resolved (a citation with the law's number, from the document itself or the
gazetteer) or left as a named reference; split by whether the text gives a year; and lists the
most frequent names left unresolved, which are the gazetteer's next entries.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pipeline.citations.named import name_key  # noqa: E402
from pipeline.extract import extract_file  # noqa: E402
from pipeline.model import DocumentError  # noqa: E402


_NOUNS = ("Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp")


def coverage(folder: Path) -> dict:
    c: Counter = Counter()
    missing: Counter = Counter()
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        try:
            rec = extract_file(path)
        except DocumentError:
            c["unreadable"] += 1
            continue
        c["files"] += 1
        for cit in rec.citations:
            by_name = cit.text.startswith(_NOUNS) and (cit.number or "") + "/" not in cit.text
            if by_name and cit.text.strip() != cit.text[:0] and cit.key:
                c["resolved"] += 1
        for n in rec.named_refs:
            c["unresolved"] += 1
            c["unresolved_with_year" if n.year else "unresolved_without_year"] += 1
            missing[(name_key(n.name), n.year)] += 1
    return {"counts": c, "missing": missing}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args(argv)
    r = coverage(a.folder)
    c = r["counts"]
    total = c["resolved"] + c["unresolved"]
    print(f"{c['files']} files ({c['unreadable']} unreadable); laws cited by name: {total}")
    if total:
        print(f"  resolved to a number: {c['resolved']} ({c['resolved'] / total:.1%})")
        print(f"  left named, with a year: {c['unresolved_with_year']}; without a year: "
              f"{c['unresolved_without_year']}")
    print("most frequent names left unresolved (name, year: mentions):")
    for (name, year), n in r["missing"].most_common(a.top):
        print(f"  {n:5d}  {name} ({year or '-'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
