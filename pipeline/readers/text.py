"""Plain text and Markdown-like text (Word → Markdown exports, PDF text dumps) → blocks.

Markdown markup is understood, not copied: `#` depth and `**bold**` become block attributes,
`<sup>n</sup>` becomes a superscript marker, a line opening with a marker is a footnote,
pipe tables become table rows with tab-separated cells (a header row may lack its leading pipe).
A bold heading broken by hard line breaks is joined into one line (see `_wrapped_bold`).
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Optional

from ..model import Block, DocumentError, RawDocument
from . import legacy

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
# --- bold spans broken by hard line breaks (pages that wrap every ~80 characters, no blank lines)
# a bold span opened at the line start by a heading marker ("**Điều 6. Tổ chức giảng dạy và" /
# "đánh giá kết quả bồi dưỡng**", "**Điều" / "11. Bảo đảm ...**", "**A. DANH MỤC ... BỔ" / "SUNG**")
_BOLD_HEAD = re.compile(
    r"^[ \t]*\*\*[ \t]*(?:Điều|ĐIỀU|Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN|Phụ lục|PHỤ LỤC|"
    r"[IVXLC]{1,6}[ \t]*[.\-)]|\d{1,2}(?:\.\d{1,2})*\.|[A-ZĐ][.)]|[a-zđ]\))")
# "**Điều 3.** Chánh" / "Văn phòng ...": a bold article number run into regular body text
_RUN_IN = re.compile(r"^[ \t]*\*\*[ \t]*(?:Điều|ĐIỀU)[ \t]+\d{1,3}[a-zđ]?[ \t]*[.:]?[ \t]*\*\*"
                     r"[ \t]*[^\s*|]")
# a line that starts something of its own: markup, table, list or heading marker
_OWN_START = re.compile(r"^[ \t]*(?:[|#>*+•\-]|\d{1,3}(?:\.\d{1,3})*[.)]|[a-zđ]\)|[IVXLC]{1,6}[.)]|"
                        r"(?:Điều|ĐIỀU|Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN|Căn cứ|Nơi nhận)\b|<sup>)")
_UNENDED = re.compile(r"[^.!?:;…\s*\"”’')\]][\s*]*$")
MAX_JOIN = 40  # lines one wrapped paragraph may span when joined by the reader
SHORT_PIECE = 40  # a wrapped line this short ends its paragraph ("**Điều 4.** Điều khoản chuyển" / "tiếp")


def decode(data: bytes, path: str) -> tuple[str, Optional[str]]:
    """Bytes → (str, legacy encoding or None): UTF-8 (BOM or not) or UTF-16 with BOM; bytes that
    are not UTF-8 must be clearly TCVN3, VNI or Windows-1258 (legacy.py), else a clear error.
    UTF-8 text that is TCVN3/VNI read as Latin-1 (a file converted without its font) is repaired."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return legacy.repair(data.decode("utf-16"))
        except UnicodeDecodeError as e:
            raise DocumentError(path, f"invalid UTF-16 text at byte {e.start}") from None
    if b"\x00" in data[:4096]:
        raise DocumentError(path, "binary content (NUL bytes), not a text document")
    try:
        return legacy.repair(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        text, enc = legacy.decode_bytes(data)
        if text is None:
            raise DocumentError(
                path,
                f"not valid UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}), and not "
                "recognisably Vietnamese in TCVN3, VNI or Windows-1258 either; save it as UTF-8",
            ) from None
        return text, enc


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


def _wrapped_bold(lines: list[str], wrapped: bool) -> list[tuple[int, str]]:
    """(line number, line) with each bold heading broken by hard line breaks joined into one.

    Only where the source clearly continues one paragraph: a bold span opened by a heading
    marker and closed on a later line of the same run (no blank line, table cell or list
    marker between), or a bold "Điều N." run into body text that has not ended, followed by
    plain lines up to the sentence's end or a short line (only in hard-wrapped text, `wrapped`:
    elsewhere "**Điều 4.** Hiệu lực thi hành" over its body is a title). Other line breaks
    (header cells, signer lines) stay.
    """
    out: list[tuple[int, str]] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        j = i
        if "**" in line:
            if line.count("**") % 2 and _BOLD_HEAD.match(line):
                # the span's close within the next lines of the same run
                k = i + 1
                while k < n and k <= i + 4 and lines[k].strip() and not _OWN_START.match(lines[k]) \
                        and lines[k].count("**") % 2 == 0:
                    k += 1
                if k < n and k <= i + 4 and lines[k].strip() and lines[k].count("**") % 2 \
                        and not lines[k].lstrip().startswith(("|", "#")) \
                        and (not _OWN_START.match(lines[k]) or line.strip(" \t*") in _BARE_WORDS):
                    j = k
            elif _RUN_IN.match(line) and line.count("**") % 2 == 0 and _UNENDED.search(line):
                k = i + 1
                while wrapped and k < n and k <= i + MAX_JOIN and lines[k].strip() \
                        and "**" not in lines[k] and not _OWN_START.match(lines[k]):
                    k += 1
                    piece = lines[k - 1].strip()
                    if len(piece) < SHORT_PIECE or not _UNENDED.search(piece):
                        break  # the sentence ended, or a short line ended the paragraph
                j = k - 1
        if j > i:
            out.append((i + 1, " ".join(ln.strip() for ln in lines[i:j + 1])))
        else:
            out.append((i + 1, line))
        i = j + 1
    return out


_BARE_WORDS = frozenset(("Điều", "ĐIỀU", "Chương", "CHƯƠNG", "Mục", "MỤC", "Phần", "PHẦN"))


def parse_lines(raw: str, markdown: bool, wrapped: bool = False) -> list[Block]:
    """`wrapped`: the text is hard-wrapped (looks_hard_wrapped)."""
    blocks: list[Block] = []
    lines = raw.splitlines()
    numbered = _wrapped_bold(lines, wrapped) if markdown and "**" in raw else enumerate(lines, start=1)
    open_bold = False  # a bold span opened on an earlier line of the same run is still open
    for no, line in numbered:
        if not line.strip():
            open_bold = False
            continue
        loc = {"line": no}
        # a header row written without its leading pipe ("STT | Nội dung |") is a row when the
        # delimiter row follows it (as in GitHub Markdown)
        if markdown and (line.lstrip().startswith("|") or (
                "|" in line and no < len(lines) and "|" in lines[no]
                and _TABLE_SEP.match(lines[no]))):
            open_bold = False
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
        bold = markdown and (open_bold or line.lstrip().startswith("**"))
        if markdown and line.count("**") % 2:
            open_bold = not open_bold
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
    raw, encoding = decode(data, path)
    if not raw.strip():
        raise DocumentError(path, "empty document (no text)")
    markdown = bool(_MD_HINT.search(raw)) or path.lower().endswith(".md")
    lines = raw.splitlines()
    wrapped = looks_hard_wrapped(lines)
    blocks = parse_lines(raw, markdown, wrapped)
    fmt = "markdown" if markdown else "text"
    meta: dict = {"hard_wrapped": wrapped}
    if encoding:
        meta["reading"] = {"encoding": encoding}
    return RawDocument(path=path, format=fmt, blocks=blocks, meta=meta)
