"""Plain text and Markdown-like text (Word → Markdown exports, PDF text dumps) → blocks.

Markdown markup is understood, not copied: `#` depth and `**bold**` become block attributes,
`<sup>n</sup>` becomes a superscript marker, a line opening with a marker is a footnote,
pipe tables become table rows with tab-separated cells.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..model import Block, DocumentError, RawDocument

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# [ \t] not \s: with re.M a \s* could run across blank lines and make the scan quadratic
_MD_HINT = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]|\*\*|<sup>|^[ \t]*\|[^\n]*\|[ \t]*$", re.M)
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
_SUP = re.compile(r"<sup>\s*([0-9]{1,3})\s*</sup>", re.I)
_FOOTNOTE_MD = re.compile(r"^\s*<sup>\s*([0-9]{1,3})\s*</sup>\s*")
_FOOTNOTE_UNI = re.compile(r"^\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\s*(?=\S)")
_EMPHASIS = re.compile(r"(?<!\\)\*{1,3}|(?<![\w\\])_{1,3}(?=\S)|(?<=\S)_{1,3}(?!\w)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HTML_TAG = re.compile(r"</?(?:br|u|b|i|em|strong|span|p|div)\b[^>]{0,200}>", re.I)
_SENTENCE_END = re.compile(r"[.!?:;…]\s*[\"”’')\]]?\s*$")


def decode(data: bytes, path: str) -> str:
    """Bytes → str: UTF-8 (BOM or not) or UTF-16 with BOM; anything else is a clear error."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise DocumentError(path, f"invalid UTF-16 text at byte {e.start}") from None
    if b"\x00" in data[:4096]:
        raise DocumentError(path, "binary content (NUL bytes), not a text document")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DocumentError(
            path,
            f"not valid UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); "
            "legacy Vietnamese font encodings (TCVN3, VNI) are not supported yet",
        ) from None


def looks_hard_wrapped(lines: list[str]) -> bool:
    """True for text dumped from PDF: short lines that mostly stop mid-sentence."""
    body = [ln.strip() for ln in lines if ln.strip()]
    if len(body) < 8:
        return False
    lengths = sorted(len(ln) for ln in body)
    median = lengths[len(lengths) // 2]
    open_ended = sum(1 for ln in body if not _SENTENCE_END.search(ln))
    return median < 110 and open_ended / len(body) > 0.5


def _strip_inline(text: str) -> str:
    # each substitution runs only when its pattern's mandatory character is present (a tag's
    # '<', an emphasis '*' or '_', an escape's backslash); otherwise it could change nothing
    if "<" in text:
        text = _SUP.sub(lambda m: m.group(1).translate(SUPERSCRIPT), text)
        text = _HTML_TAG.sub("", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return text


def parse_lines(raw: str, markdown: bool) -> list[Block]:
    blocks: list[Block] = []
    for no, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        loc = {"line": no}
        if markdown and line.lstrip().startswith("|"):
            if _TABLE_SEP.match(line):
                continue
            cells = [_strip_inline(c).strip() for c in line.strip().strip("|").split("|")]
            blocks.append(Block("\t".join(cells), kind="table_row", locator=loc))
            continue
        heading = None
        if markdown:
            m = _HEADING.match(line)
            if m:
                heading = len(m.group(1))
                line = line[m.end():]
        m = _FOOTNOTE_MD.match(line) if markdown else None
        m = m or _FOOTNOTE_UNI.match(line)
        if m:
            marker = m.group(1).translate(FROM_SUPERSCRIPT)
            body = _strip_inline(line[m.end():]) if markdown else line[m.end():]
            blocks.append(Block(body, kind="footnote", marker=marker, locator=loc))
            continue
        bold = markdown and line.lstrip().startswith("**")
        text = _strip_inline(line) if markdown else line
        if not text.strip():
            continue
        blocks.append(Block(text, kind="heading" if heading else "para", bold=bold,
                            heading=heading, locator=loc))
    return blocks


def read_text(path: str | Path, data: bytes | None = None) -> RawDocument:
    path = str(path)
    if data is None:
        data = Path(path).read_bytes()
    raw = decode(data, path)
    if not raw.strip():
        raise DocumentError(path, "empty document (no text)")
    markdown = bool(_MD_HINT.search(raw)) or path.lower().endswith(".md")
    lines = raw.splitlines()
    wrapped = looks_hard_wrapped(lines)
    blocks = parse_lines(raw, markdown)
    fmt = "markdown" if markdown else "text"
    return RawDocument(path=path, format=fmt, blocks=blocks, meta={"hard_wrapped": wrapped})
