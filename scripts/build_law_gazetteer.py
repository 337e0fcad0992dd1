"""Build models/laws.json: Vietnamese laws, codes and ordinances by name, adoption date and number.

Laws are cited by name far more often than by number. Where a text states both at once ("Luật
Giáo dục số 43/2019/QH14 ngày 14 tháng 6 năm 2019"), it tells us which number the name stands
for. This script reads a folder of real texts (the legal-web crawl, ../shared/scale, unpacked),
collects every such statement, and keeps a (name, year) →
number pair when independent files agree on it. The numbers carry the adoption year; the adoption
date is the one the texts state most often after the number, when they do.

    python scripts/build_law_gazetteer.py /tmp/scale/all [--min-files 2] [--out models/laws.json]

Sources are written beside each entry (how many files state it, and two of their names), so an
entry can be checked; the output is data, reviewed and committed, never built at run time.
"""
from __future__ import annotations

import argparse
import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


# 'Luật Giáo dục số 43/2019/QH14', 'Bộ luật Dân sự (số 91/2015/QH13)': the name is the last
# law noun's words before the number (in 'Luật sửa đổi … của Luật Đất đai số 31/2024/QH15' the
# number is the inner law's)
NAMED_NUMBER = re.compile(
    r"(?<![\w])(?P<kind>Bộ luật|Luật|Pháp lệnh)[ \t\xa0]+"
    r"(?P<name>(?:(?!Luật |luật |Pháp lệnh )[^;:.()0-9\n]){2,90}?)[ \t\xa0]*\(?(?:số|Số)[ \t\xa0:]*"
    r"(?P<num>\d{1,3})/(?P<year>(?:19|20)\d\d)/(?P<org>QH|UBTVQH)(?P<term>\d{1,2})\b")
NOT_NAME = re.compile(r"^(?:sửa đổi|số|này|hiện hành|mới|năm|ngày)\b|,\s*$|[*_#|]|sửa đổi$")
DATE_AFTER = re.compile(
    r"[ \t\xa0,]*(?:\)[ \t\xa0,]*)?(?:đã được Quốc hội[^.;\n]{0,60}?thông qua )?ngày[ \t\xa0]+"
    r"(?P<d>\d{1,2})[ \t\xa0]+tháng[ \t\xa0]+(?P<m>\d{1,2})[ \t\xa0]+năm[ \t\xa0]+(?P<y>\d{4})")
KIND_OF = {"QH": "Luật", "UBTVQH": "Pháp lệnh"}


def name_key(name: str) -> str:
    """The form names are compared in: NFC, lowercase, single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).lower().split())


def mine(folder: Path):
    votes: dict[tuple[str, int], Counter] = defaultdict(Counter)
    display: dict[str, Counter] = defaultdict(Counter)
    dates: dict[str, Counter] = defaultdict(Counter)
    files_of: dict[tuple, set] = defaultdict(set)
    kinds: dict[str, Counter] = defaultdict(Counter)
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8", errors="replace"))
        for m in NAMED_NUMBER.finditer(text):
            kind = m.group("kind")
            words = " ".join(m.group("name").replace("\xa0", " ").split()).rstrip(" ,")
            if NOT_NAME.search(words) or not words[:1].isupper():
                continue  # 'Luật sửa đổi … số', 'Luật số …', 'luật hiện hành số …'
            name = f"{kind} {words}"
            if m.group("org") == "UBTVQH" and kind != "Pháp lệnh":
                continue
            number = f"{int(m.group('num')):02d}/{m.group('year')}/{m.group('org')}{m.group('term')}"
            year = int(m.group("year"))
            k = name_key(name)
            if path.name in files_of[(k, year, number)]:
                continue
            files_of[(k, year, number)].add(path.name)
            votes[(k, year)][number] += 1
            display[k][name] += 1
            kinds[number][kind] += 1
            d = DATE_AFTER.match(text, m.end())
            if d and int(d.group("y")) == year:
                dates[number][f"{year}-{int(d.group('m')):02d}-{int(d.group('d')):02d}"] += 1
    return votes, display, dates, files_of, kinds


def build(folder: Path, min_files: int) -> list[dict]:
    votes, display, dates, files_of, kinds = mine(folder)
    entries = []
    for (k, year), numbers in sorted(votes.items()):
        (number, n), *rest = numbers.most_common()
        if n < min_files or (rest and rest[0][1] * 3 > n):
            continue  # too few files, or the texts disagree on the number
        date = None
        if dates[number]:
            (date, dn), *others = dates[number].most_common()
            if others and others[0][1] * 3 > dn:
                date = None
        entries.append({
            "name": display[k].most_common(1)[0][0],
            "kind": kinds[number].most_common(1)[0][0],
            "year": year,
            "adopted": date,
            "number": number,
            "files": n,
            "examples": sorted(files_of[(k, year, number)])[:2],
        })
    return entries


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--min-files", type=int, default=2)
    ap.add_argument("--out", type=Path, default=HERE.parent / "models" / "laws.json")
    a = ap.parse_args(argv)
    entries = build(a.folder, a.min_files)
    kept = json.loads(a.out.read_text(encoding="utf-8")) if a.out.exists() else {}
    mined = {(name_key(e["name"]), e["year"]): e["number"] for e in entries}
    for e in kept.get("extra", []):
        other = mined.get((name_key(e["name"]), e["year"]))
        if other and other != e["number"]:
            print(f"conflict: hand entry {e['name']} {e['year']} {e['number']}, texts say {other}")
    doc = {
        "_doc": "Vietnamese laws, codes and ordinances by name and adoption year → number, for "
                "resolving laws cited by name ('Luật Giáo dục năm 2019'). Built by "
                "scripts/build_law_gazetteer.py from texts that state a law's name and number "
                "together; `files` is how many distinct files of the source stated the pair, "
                "`examples` two of them; `adopted` is the adoption date the texts state after "
                "the number (null when they do not agree or do not say). `extra` entries were "
                "added by hand, each with its source.",
        "source": f"legal-web crawl ../shared/scale ({a.folder.name}), min files {a.min_files}",
        "laws": entries,
        "extra": kept.get("extra", []),
        "constitutions": kept.get("constitutions", []),
    }
    a.out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(entries)} laws written to {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
