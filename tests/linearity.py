"""Linearity on hostile input, checked by growth rather than by a wall-clock limit: the same
input at n and at 4n repetitions, each timed as the best of three runs with the garbage
collector off (as timeit does). Linear work costs ~4x; a quadratic step would cost ~16x. The
figures depend on the machine only through their ratio, so a slow or busy CI does not decide."""
from __future__ import annotations

import gc
import time
from typing import Callable

GROWTH = 4          # the larger input is this many times the smaller
MAX_RATIO = 8.0     # linear is ~4x: twice that leaves room for caches and allocator effects
FLOOR_S = 0.05      # below this the larger run is too quick to say anything: it passes


def best_time(fn: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        finally:
            gc.enable()
    return best


def assert_linear(run: Callable[[str], object], make: Callable[[int], str], n: int) -> None:
    """`run(make(n))` and `run(make(GROWTH * n))` cost about GROWTH times apart, not more."""
    small_text, big_text = make(n), make(GROWTH * n)
    run(small_text)  # warm the caches (compiled patterns, loaded data)
    small = best_time(lambda: run(small_text))
    big = best_time(lambda: run(big_text))
    assert big <= max(MAX_RATIO * small, FLOOR_S), (
        f"{len(small_text)} chars: {small:.3f} s; {len(big_text)} chars: {big:.3f} s "
        f"({big / max(small, 1e-9):.1f}x for {GROWTH}x the input)")
