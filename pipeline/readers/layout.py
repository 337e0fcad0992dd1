"""Printed lines as the PDF reader and OCR both produce them: words with positions and type size,
lines cut into cells where a column gap opens (the header table's two columns side by side).
Kept apart from pdf.py so that the OCR reader and the PDF reader share it without importing each
other."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .text import SUPERSCRIPT

COLUMN_GAP = 1.5     # × font size: a wider gap with nothing typed in it separates columns
TYPED_GAP = 5.0      # × font size: even typed spaces this wide separate columns


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    size: float
    bold: bool
    sup: bool = False
    spaced_before: bool = False  # a typed space glyph lies between this word and the one before


@dataclass
class Line:
    top: float
    bottom: float
    chars: list = field(default_factory=list)
    words: list = field(default_factory=list)
    size: float = 0.0
    segments: list = field(default_factory=list)  # texts of the runs separated by column gaps
    bold: bool = False
    number: int = 0

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def text(self) -> str:
        return "\t".join(self.segments)


def segments(line: Line) -> None:
    """Join words into text; split into cells where a column gap opens."""
    segs: list[list[str]] = [[]]
    prev: Optional[Word] = None
    for w in line.words:
        if prev is not None:
            gap = w.x0 - prev.x1
            size = max(line.size, 1.0)
            if gap > COLUMN_GAP * size and (not w.spaced_before or gap > TYPED_GAP * size):
                segs.append([])
            elif w.sup and gap < 0.5 * size and segs[-1]:
                segs[-1][-1] += w.text.translate(SUPERSCRIPT)
                prev = w
                continue
        segs[-1].append(w.text.translate(SUPERSCRIPT) if w.sup else w.text)
        prev = w
    line.segments = [" ".join(s) for s in segs if s]
    body_words = [w for w in line.words if not w.sup and any(ch.isalnum() for ch in w.text)]
    line.bold = bool(body_words) and all(w.bold for w in body_words)
