"""Site chrome inside a saved page: a portal's own notices, account messages and copyright lines.

A page saved from a legal portal carries the portal's text around the document: a notice that
"implements" Nghị định 13/2023/NĐ-CP on personal data, logout messages, copyright lines. Read as the
document, it made 13/2023/NĐ-CP the most cited document of the scale corpus. `chrome_spans` finds
such text from the phrases in `models/chrome.json`; extraction keeps it in the stored text but takes
no citation or deadline from inside it. Plain `str.find` over the text: a few passes, no regex.
"""
from __future__ import annotations

import bisect
from functools import lru_cache

from .model import Text
from .resources import load


@lru_cache(maxsize=None)
def _data() -> dict:
    return load("chrome")


def _line_bounds(s: str, i: int, j: int) -> tuple[int, int]:
    """From the start of the line holding s[i] to the end of the line holding s[j - 1]."""
    a = s.rfind("\n", 0, i) + 1
    b = s.find("\n", max(i, j - 1))
    return a, (len(s) if b < 0 else b)


def chrome_spans(text: Text | str) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of the portal text in a normalised text."""
    s = text.text if isinstance(text, Text) else str(text)
    data = _data()
    spans = []
    for block in data["blocks"]:
        start, end, limit = block["start"], block["end"], int(block.get("max_chars", 2000))
        i = s.find(start)
        while i >= 0:
            j = s.find(end, i, i + limit)
            if j >= 0:
                spans.append(_line_bounds(s, i, j + len(end)))
            i = s.find(start, i + len(start))
    for phrase in data["lines"]:
        i = s.find(phrase)
        while i >= 0:
            spans.append(_line_bounds(s, i, i + len(phrase)))
            i = s.find(phrase, i + len(phrase))
    for phrase in data.get("ends", []):
        i = s.find(phrase)
        while i >= 0:
            spans.append((s.rfind("\n", 0, i) + 1, i + len(phrase)))
            i = s.find(phrase, i + len(phrase))
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether `offset` lies in one of the sorted spans."""
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]
