"""Citation extraction throughput on the bundled corpus, beside underthesea's word_tokenize.

Prints MB/s of `extract_citations` on the normalised texts (the ingest fast path), the time
word segmentation takes on the same text, and the ratio. A benchmark, not a test.
Usage: python scripts/bench_citations.py [--repeat N] [FILES...]
"""
from __future__ import annotations

import argparse
import glob
import time
from pathlib import Path

from pipeline.citations import extract_citations
from pipeline.normalise import normalise
from pipeline.readers import read

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    files = args.files or sorted(glob.glob(str(ROOT / "corpus" / "*")))
    texts = [normalise(read(f)).text for f in files]
    size = sum(len(t.encode("utf-8")) for t in texts)
    n_cit = sum(len(extract_citations(t)[0]) for t in texts)
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for t in texts:
            extract_citations(t)
    el = time.perf_counter() - t0
    mbs = size * args.repeat / el / 1e6
    print(f"corpus: {len(texts)} documents, {size / 1e3:.1f} KB (UTF-8), {n_cit} citations")
    print(f"extract_citations: {el / args.repeat * 1e3:.1f} ms per pass, {mbs:.1f} MB/s")
    try:
        from underthesea import word_tokenize
    except ImportError:
        print("underthesea not installed: no comparison")
        return
    word_tokenize("khởi động")  # load the model once, outside the timing
    t0 = time.perf_counter()
    for t in texts:
        word_tokenize(t)
    wt = time.perf_counter() - t0
    print(f"underthesea word_tokenize: {wt * 1e3:.0f} ms per pass, {size / wt / 1e6:.3f} MB/s")
    print(f"ratio: citation extraction is {wt / (el / args.repeat):.0f}x faster than word segmentation")


if __name__ == "__main__":
    main()
