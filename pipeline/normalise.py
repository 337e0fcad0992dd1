"""Blocks from any reader → the one normalised `Text` every later stage works on.

- Unicode NFC, dash look-alikes → '-', non-breaking and odd spaces → ' ', zero-width removed.
- Hard-wrapped PDF text: lines joined back into paragraphs (numbers broken after '-' or '/'
  are joined without a space).
- Paragraphs split by a page break (or by a footnote dropped in the middle of them) are joined.
- Footnotes are moved after the body, each on its own line, their markers kept (¹ ...).
Each output line keeps the locator of the block it came from (the source map).
"""
from __future__ import annotations

import re
import unicodedata

from .model import Block, Line, RawDocument, Text
from .readers.text import SUPERSCRIPT

_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u00ad]")
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_MULTI_SPACE = re.compile(" {2,}")
_SENTENCE_END = re.compile(r"(?:[.!?:;…]|\./\.)\s*[\"”’')\]]?$")
# a heading or list marker opening a line: I. / II- / 1. / 1.1 / a) / - / + / Phần / Điều
_OPENER = re.compile(
    r"^(?:[IVXLC]{1,6}\s*[.\-–)]|\d{1,2}(?:\.\d{1,2})*\.?\s|[a-zđ]\)\s|[-+•*]\s|"
    r"(?:PHẦN|Phần|CHƯƠNG|Chương|MỤC|Mục|Điều|ĐIỀU|PHỤ LỤC|Phụ lục)\b)"
)
_BROKEN_NUMBER_END = re.compile(r"(?:\d|[A-ZĐ]{1,10})[-/]$")
_UPPER_START = re.compile(r"^[\"“'(]?[A-ZÀ-ỸĐ]", re.U)


def clean_chars(s: str) -> str:
    """NFC, one kind of dash and space, no zero-width characters; keeps '\t' cell separators."""
    s = unicodedata.normalize("NFC", s)
    s = _ZERO_WIDTH.sub("", s)
    s = _DASHES.sub("-", s)
    s = s.replace("\u2028", " ").replace("\u2029", " ")
    return _SPACES.sub(lambda m: "\t" if "\t" in m.group(0) else " ", s)


def _clean_block(b: Block) -> Block:
    text = clean_chars(b.text)
    if b.kind == "table_row":
        text = "\t".join(_MULTI_SPACE.sub(" ", c).strip() for c in text.split("\t"))
    else:
        text = _MULTI_SPACE.sub(" ", text.replace("\t", " ")).strip()
    indent = b.indent or b.text[:1] in (" ", "\t", "\u00a0")
    return Block(text, b.kind, b.bold, b.heading, b.marker, dict(b.locator), indent)


def _is_upper_line(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _starts_paragraph(prev: str, indented: bool, cur: str) -> bool:
    """Whether a hard-wrapped line begins a new paragraph rather than continuing one."""
    if _SENTENCE_END.search(prev) and (_UPPER_START.match(cur) or _OPENER.match(cur)):
        return True
    if _is_upper_line(prev) and not _is_upper_line(cur):
        return True
    if _is_upper_line(cur) and not _is_upper_line(prev):
        return True
    if indented and (_UPPER_START.match(cur) or _OPENER.match(cur)) and not cur[:1].isdigit():
        return True
    if indented and _OPENER.match(cur) and re.match(r"^\d{1,2}(?:\.\d{1,2})*\.\s+[A-ZÀ-ỸĐ]", cur):
        return True
    return False


def _join(prev: str, cur: str) -> str:
    if _BROKEN_NUMBER_END.search(prev):
        return prev + cur
    return prev + " " + cur


def repair_wrapped(blocks: list[Block]) -> list[Block]:
    """Join hard-wrapped lines (PDF text) back into paragraphs."""
    out: list[Block] = []
    for b in blocks:
        cur = b.text.strip()
        if not cur:
            continue
        if (out and b.kind == "para" and out[-1].kind == "para"
                and not _starts_paragraph(out[-1].text, b.indent, cur)):
            out[-1].text = _join(out[-1].text, cur)
            continue
        out.append(Block(cur, b.kind, b.bold, b.heading, b.marker, dict(b.locator)))
    return out


def _continues(prev: Block, cur: Block) -> bool:
    """A paragraph cut by a page break: previous unfinished, this one opens in lower case."""
    if prev.kind != "para" or cur.kind != "para" or prev.heading or cur.heading:
        return False
    if _SENTENCE_END.search(prev.text) or _OPENER.match(cur.text):
        return False
    first = cur.text[:1]
    return first.islower() or (first.isdigit() and not _OPENER.match(cur.text))


def normalise(raw: RawDocument) -> Text:
    blocks = [_clean_block(b) for b in raw.blocks]
    blocks = [b for b in blocks if b.text.strip("\t ")]
    if raw.meta.get("hard_wrapped"):
        blocks = repair_wrapped(blocks)
    body: list[Block] = []
    notes: list[Block] = []
    for b in blocks:
        if b.kind == "footnote":
            notes.append(b)
        elif body and _continues(body[-1], b):
            body[-1].text = _join(body[-1].text, b.text)
        else:
            body.append(b)
    parts: list[str] = []
    lines: list[Line] = []
    pos = 0
    for b in body + notes:
        text = b.text
        if b.kind == "footnote":
            text = f"{b.marker.translate(SUPERSCRIPT)} {text}" if b.marker else text
        lines.append(Line(pos, pos + len(text), b.kind, b.bold, b.heading, b.marker, b.locator))
        parts.append(text)
        pos += len(text) + 1
    return Text("\n".join(parts), lines, path=raw.path, format=raw.format)


def normalise_string(text: str, path: str | None = None) -> Text:
    """Convenience for tests and the string fast path: treat `text` as a text file's content."""
    from .readers.text import parse_lines, looks_hard_wrapped, _MD_HINT

    markdown = bool(_MD_HINT.search(text))
    raw = RawDocument(path or "<string>", "markdown" if markdown else "text",
                      parse_lines(text, markdown),
                      {"hard_wrapped": looks_hard_wrapped(text.splitlines())})
    return normalise(raw)
