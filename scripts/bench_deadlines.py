"""Speed of the deadline stage, and of extraction as a whole, on real text.

    python scripts/bench_deadlines.py [--files N] [--seed S] [--corpus DIR]

Reads N random files (default 1,000) of the legal-web corpus (unpacked from
../shared/scale/legal-web-13984.tar.xz to a temporary folder unless --corpus names a folder that
has them), normalises each and runs header, sections and citations once (not timed), then times
the deadline stage alone and the whole of `extract_text`, in CPU seconds, best of --repeat runs.
Set DIRECTIVES_REPO to another checkout to measure that one with the same files.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(os.environ.get("DIRECTIVES_REPO") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))
ARCHIVE = Path(__file__).resolve().parent.parent.parent / "shared" / "scale" / "legal-web-13984.tar.xz"

from pipeline.citations import extract_citations  # noqa: E402
from pipeline.deadlines import extract_deadlines  # noqa: E402
from pipeline.extract import extract_text  # noqa: E402
from pipeline.header import parse_header  # noqa: E402
from pipeline.normalise import normalise_string  # noqa: E402
from pipeline.sections import parse_sections  # noqa: E402


def corpus(folder: str | None) -> Path:
    if folder and Path(folder).is_dir():
        return Path(folder)
    out = Path(tempfile.mkdtemp(prefix="bench-deadlines-"))
    with tarfile.open(ARCHIVE) as tar:
        tar.extractall(out, filter="data")
    return out / "all"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--corpus", default="/tmp/scale/all")
    args = ap.parse_args(argv)
    folder = corpus(args.corpus)
    names = sorted(os.listdir(folder))
    random.Random(args.seed).shuffle(names)
    texts = [normalise_string((folder / n).read_text(encoding="utf-8"), n) for n in names[:args.files]]
    prep = []
    for t in texts:
        h = parse_header(t)
        secs = parse_sections(t)
        cits, _r, _n = extract_citations(t, header=h, sections=secs)
        prep.append((t, h.best_date(), secs, [(c.start, c.end) for c in cits]))
    mb = sum(len(t.text.encode("utf-8")) for t in texts) / 1e6

    def best(fn) -> float:
        runs = []
        for _ in range(args.repeat):
            t0 = time.process_time()
            fn()
            runs.append(time.process_time() - t0)
        return min(runs)

    found = [0]

    def deadlines():
        found[0] = sum(len(extract_deadlines(t, doc_date=d, sections=s, masks=m)) for t, d, s, m in prep)

    stage = best(deadlines)
    whole = best(lambda: [extract_text(t) for t in texts])
    print(f"checkout: {ROOT}")
    print(f"{len(texts)} files, {mb:.1f} MB of normalised text, {found[0]} deadlines")
    print(f"deadline stage: {stage:.2f} CPU s, {mb / stage:.1f} MB/s")
    print(f"whole extraction (header, sections, citations, deadlines): {whole:.2f} CPU s, "
          f"{mb / whole:.2f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
