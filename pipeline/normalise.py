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
from .resources import load

_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u00ad]")
# tabs are kept apart: they separate table cells, and an empty cell must stay a cell
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\f\v]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_MULTI_SPACE = re.compile(" {2,}")
_SENTENCE_END = re.compile(r"(?:[.!?:;…]|\./\.)\s*[\"”’')\]]?$")
# a heading or list marker opening a line: I. / II- / 1. / 1.1 / a) / - / + / Phần / Điều
_OPENER = re.compile(
    r"^(?:[IVXLC]{1,6}\s*[.\-–)]|\d{1,2}(?:\.\d{1,2})*\.?\s|[a-zđ]\)\s|[-+•*]\s|"
    r"(?:PHẦN|Phần|CHƯƠNG|Chương|MỤC|Mục|Điều|ĐIỀU|PHỤ LỤC|Phụ lục)\b)"
)
# --- hard-wrap repair (repair_wrapped and its helpers)
_STRONG_END = re.compile(r"(?:[.!?…]|\./\.)\s*[\"”’')\]]?$")
_WEAK_END = re.compile(r"[:;]\s*[\"”’')\]]?$")
# signer block: TM. (on behalf of), KT. (signing for), TL., TUQ., Q. (acting) before the role
_SIGNER = re.compile(r"^(?:(?:TM|KT|TL|TUQ|Q)\s?\.|T/M|K/T)\s*\w")
_LOWER_ITEM = re.compile(r"^[a-zđ]\)\s")
_NUMBERISH = re.compile(r"[\w&.()/-]+")
SHORT_LINE = 0.7  # a line shorter than this share of a full line ends its paragraph


# --- Cyrillic/Greek look-alike letters inside document numbers ("16495/BТС-PTHT", Cyrillic Т С)
_NON_LATIN = re.compile("[\u0370-\u03ff\u0400-\u04ff]")
# a whitespace-delimited token holding such a letter; (?<!\S) starts it only at a token's start,
# so a token without one fails once, at its end (linear)
_NON_LATIN_TOKEN = re.compile("(?<!\\S)\\S*?[\u0370-\u03ff\u0400-\u04ff]\\S*")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_DIGIT = re.compile("[0-9]")
_lookalikes: dict[str, str] | None = None


def _lookalike_map() -> dict[str, str]:
    global _lookalikes
    if _lookalikes is None:
        data = load("lookalikes")
        _lookalikes = {**data["cyrillic"], **data["greek"]}
    return _lookalikes


def _latin_token(m: re.Match) -> str:
    tok = m.group(0)
    table = _lookalike_map()
    if not (("/" in tok or "-" in tok) and _DIGIT.search(tok) and _LATIN_LETTER.search(tok)):
        return tok
    if any(c not in table for c in _NON_LATIN.findall(tok)):
        return tok  # a letter with no Latin twin: real Cyrillic or Greek
    return "".join(table.get(c, c) for c in tok)


def latin_lookalikes(s: str) -> str:
    """Cyrillic/Greek look-alikes → Latin inside document-number-like tokens only: a token with
    digits and '/' or '-', at least one Latin letter, and no letter outside the look-alike map
    (models/lookalikes.json). "60/2025/TT-BCТ" → "60/2025/TT-BCT"; "Т-5000", "70-х" and running
    Cyrillic text stay as they are."""
    if not _NON_LATIN.search(s):
        return s
    return _NON_LATIN_TOKEN.sub(_latin_token, s)


def clean_chars(s: str) -> str:
    """NFC, one kind of dash and space, no zero-width characters, Latin document numbers;
    keeps '\t' cell separators."""
    s = unicodedata.normalize("NFC", s)
    s = _ZERO_WIDTH.sub("", s)
    s = _DASHES.sub("-", s)
    s = s.replace("\u2028", " ").replace("\u2029", " ")
    s = latin_lookalikes(s)
    return _SPACES.sub(" ", s)


def _clean_block(b: Block) -> Block:
    text = clean_chars(b.text)
    if b.kind == "table_row":
        text = "\t".join(_MULTI_SPACE.sub(" ", c).strip() for c in text.split("\t"))
    else:
        text = _MULTI_SPACE.sub(" ", text.replace("\t", " ")).strip()
    indent = b.indent or b.text[:1] in (" ", "\t", "\u00a0")
    return Block(text, b.kind, b.bold, b.heading, b.marker, dict(b.locator), indent)


# Every character below U+3000 that is a letter but not upper case: finding one settles that a
# line is not an upper-case line (sound, not complete; the full test decides the rest).
_NOT_UPPER_LETTER = re.compile("[" + "".join(
    re.escape(chr(c)) for c in range(0x3000) if chr(c).isalpha() and not chr(c).isupper()) + "]")


def _is_upper_line(s: str) -> bool:
    if _NOT_UPPER_LETTER.search(s):
        return False
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _first_letter(s: str) -> str:
    """The first character after opening quotes and brackets."""
    for c in s[:8]:
        if c not in "\"“‘'([«":
            return c
    return ""


def _starts_upper(s: str) -> bool:
    return _first_letter(s).isupper()


def _starts_lower(s: str) -> bool:
    return _first_letter(s).islower()


def _starts_paragraph(prev: str, indented: bool, cur: str, *, short: bool = False,
                      bold_change: bool = False, numbered_head: bool = False,
                      indents_reliable: bool = False) -> bool:
    """Whether a hard-wrapped line begins a new paragraph rather than continuing `prev`.

    Signals, strongest first: a change between bold and regular type; the signer block
    (TM./KT./TL. lines, each on its own line); the switch between an upper-case heading and
    ordinary text; a line opening in lower case continues; otherwise a new paragraph needs the
    previous line to have ended (a sentence end, ':' or ';', or a short line that stops before
    the margin) and this one to look like a start (indent, heading or list marker, capital).
    `numbered_head`: `prev` is a paragraph's only line so far and opens with a number ("4. Đề
    nghị MTTQ ..."): an indented capitalised line after it is the body under that heading.
    `indents_reliable`: the document indents its paragraphs' first lines (a typeset PDF), so a
    sentence that happens to end at a full line's end, followed by an unindented line, goes on.
    """
    if bold_change:
        return True
    prev_upper, cur_upper = _is_upper_line(prev), _is_upper_line(cur)
    if cur_upper and _SIGNER.match(cur):
        return True
    if prev_upper and cur_upper and _SIGNER.match(prev):
        return True  # "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH": the role under the signing mode
    strong = bool(_STRONG_END.search(prev))
    ended = strong or bool(_WEAK_END.search(prev))
    opener = bool(_OPENER.match(cur))
    if prev_upper and not cur_upper:
        return not _starts_lower(cur)
    if cur_upper and prev_upper:
        return opener or strong  # a heading in capitals may run over several lines
    if cur_upper:
        # an upper-case heading after text; "GDPT 2018." wrapped from a sentence continues it
        return opener or ended or short
    if _starts_lower(cur):
        return bool(_LOWER_ITEM.match(cur)) and (ended or short)
    if indented and (opener or _starts_upper(cur)):
        return ended or short or numbered_head
    if opener:
        # "5 điều ...", "03. Chỉ đạo ...", "- Hội nhập" wrapped from a full line continue
        return ended or short
    if _starts_upper(cur):
        return short or (strong and not indents_reliable)
    return False


def _broken_number(prev: str, cur: str) -> bool:
    """A number or compound split after '-' or '/' at the line end ("2236/QĐ-" | "BGDĐT",
    "04/11/" | "2013", "xã/" | "phường"), or before them ("2236/QĐ" | "-BGDĐT")."""
    tail = prev[-80:]  # the last token is all that matters; paragraphs may be long
    tok = tail.rsplit(None, 1)[-1] if tail.strip() else ""
    if len(tok) > 1 and tok[-1] in "-/" and tok[-2].isalnum() and _NUMBERISH.fullmatch(tok):
        return True
    if cur[:1] in ("-", "/") and cur[1:2].isalnum() and tok[-1:].isalnum():
        return any(c.isdigit() for c in tok)
    return False


def _join(prev: str, cur: str) -> str:
    """Two wrapped pieces of one paragraph: one space, or none inside a broken number."""
    if _broken_number(prev, cur):
        return prev + cur
    return prev + " " + cur


def _line_width(blocks: list[Block]) -> int:
    """Characters in a full line: the 90th percentile of the paragraph lines' lengths."""
    lengths = sorted(len(b.text.strip()) for b in blocks if b.kind == "para" and b.text.strip())
    if not lengths:
        return 0
    return lengths[min(len(lengths) - 1, (len(lengths) * 9) // 10)]


def _indents_reliable(blocks: list[Block]) -> bool:
    """Whether the document marks paragraph starts by indenting: most lines that follow an ended
    line (sentence end, ':' or ';') and open like a paragraph are indented. True of typeset PDFs
    (about 70 % here, the rest being sentences that end at a line's end); text dumps with stray
    leading spaces such as corpus 001 stay near 30 %."""
    starts = indented = 0
    prev = ""
    for b in blocks:
        text = b.text.strip()
        if b.kind == "para" and prev and (_STRONG_END.search(prev) or _WEAK_END.search(prev)) \
                and (_starts_upper(text) or _OPENER.match(text)):
            starts += 1
            indented += b.indent
        prev = text if b.kind == "para" else ""
    return starts >= 5 and indented >= 0.6 * starts


def repair_wrapped(blocks: list[Block]) -> list[Block]:
    """Join hard-wrapped lines (PDF text) back into paragraphs.

    Each line is judged against the last physical line of the paragraph it may continue. A
    footnote line without a marker continues the last footnote (also over a page break), and a
    paragraph cut by a page break goes on after the footnotes printed at the bottom of the page. Pieces are
    collected in lists and joined once, so a huge paragraph costs linear time.
    """
    width = _line_width(blocks)
    reliable = _indents_reliable(blocks)
    out: list[Block] = []
    pieces: list[list[str]] = []   # per block of `out`: its text in pieces
    last_line: list[str] = []      # per block of `out`: its last physical line
    open_para: int | None = None   # index in `out` of the paragraph a next line may continue
    open_note: int | None = None   # index of the last footnote (it may go on over a page break)

    def append_to(i: int, cur: str) -> None:
        pieces[i].append(cur if _broken_number(last_line[i], cur) else " " + cur)
        last_line[i] = cur

    for b in blocks:
        cur = b.text.strip()
        if not cur:
            continue
        if b.kind == "footnote" and b.marker is None and open_note is not None:
            append_to(open_note, cur)
            continue
        if b.kind == "para" and open_para is not None:
            prev = out[open_para]
            tail = last_line[open_para]
            short = bool(width) and len(tail) < SHORT_LINE * width
            head = (len(pieces[open_para]) == 1 and bool(_OPENER.match(tail))
                    and len(tail) < 0.9 * width)
            if not _starts_paragraph(tail, b.indent, cur, short=short, numbered_head=head,
                                     bold_change=prev.bold != b.bold,
                                     indents_reliable=reliable):
                append_to(open_para, cur)
                continue
        out.append(Block(cur, b.kind, b.bold, b.heading, b.marker, dict(b.locator)))
        pieces.append([cur])
        last_line.append(cur)
        if b.kind == "para":
            open_para = len(out) - 1
        elif b.kind == "footnote":
            open_note = len(out) - 1
        else:
            open_para = None  # a table row or heading closes the paragraph before it
    for block, parts in zip(out, pieces):
        block.text = "".join(parts)
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
    # what later stages and the store keep of the reader's notes: the portal's metadata box, and
    # how the text was read (a legacy encoding converted, OCR, a converted .doc)
    meta = {k: v for k, v in raw.meta.items() if k in ("portal", "reading")}
    return Text("\n".join(parts), lines, path=raw.path, format=raw.format, meta=meta)


def normalise_string(text: str, path: str | None = None) -> Text:
    """Convenience for tests and the string fast path: treat `text` as a text file's content."""
    from .readers.text import parse_lines, looks_hard_wrapped, _MD_HINT

    markdown = bool(_MD_HINT.search(text))
    wrapped = looks_hard_wrapped(text.splitlines())
    raw = RawDocument(path or "<string>", "markdown" if markdown else "text",
                      parse_lines(text, markdown, wrapped), {"hard_wrapped": wrapped})
    return normalise(raw)
