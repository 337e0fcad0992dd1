"""PDF → one block per printed line, with the hints paragraph repair needs.

pdfplumber opens the file and its pdfminer layout gives characters with positions and fonts
(read straight from the layout, with pdfplumber's coordinates); lines are rebuilt from them (so a
raised footnote number stays on its line and becomes ¹), and each line keeps {"page", "line"} as its
locator. `indent` marks a first-line indent (x0 right of the page's usual left margin), `bold`
a line set entirely in a bold face. Two runs of text far apart on one line (the official header,
the "Nơi nhận" / signer block) become a table row with tab-separated cells, as in DOCX. Page
numbers and running headers are dropped; footnotes at the page bottom (smaller type, opening with
a raised number) become footnote blocks. `meta["hard_wrapped"]` tells `normalise` to join the
lines back into paragraphs.
"""
from __future__ import annotations

import bisect
import io
import re
import unicodedata
from collections import Counter

from ..model import Block, DocumentError, RawDocument
from .layout import Line, Word, segments
from .text import SUPERSCRIPT

_BOLD_FONT = re.compile(r"bold|black|heavy|demi", re.I)
_PAGE_NUMBER = re.compile(r"^[-–—(]*\s*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?\s*[-–—)]*$",
                          re.I)
_DIGITS = re.compile(r"^\d{1,3}$")
_CID = re.compile(r"\(cid:\d+\)")
_LT = re.compile(r"^LT")
_KINDS: dict = {}  # layout class → pdfplumber's object type ("char", "line", "rect", ...)

WORD_GAP = 0.22      # × font size: a gap wider than this between glyphs separates words
INDENT_MIN = 0.5     # × body size right of the left margin counts as an indent
SMALL_TYPE = 0.88    # × body size: footnote type is smaller than this
SUP_SIZE = 0.8       # × line size: a superscript is smaller than this ...
SUP_RAISE = 0.12     # × line size: ... and sits at least this much above the baseline


# --------------------------------------------------------------------------- opening


def _open(path: str, data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfplumber wraps every pdfminer failure in PdfminerException
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise DocumentError(path, "encrypted PDF (password protected)") from None
        raise DocumentError(path, f"damaged PDF: {_short(cause)}") from None


def _short(e: BaseException) -> str:
    msg = str(e).strip() or type(e).__name__
    if type(e).__name__ not in msg:
        msg = f"{type(e).__name__}: {msg}"
    return msg[:100]


# --------------------------------------------------------------------------- lines


def _is_bold(ch: dict) -> bool:
    return bool(_BOLD_FONT.search(ch.get("fontname") or "")) or ch.get("_fake_bold", False)


def _dedupe(chars: list[dict]) -> list[dict]:
    """Glyphs printed twice at (almost) the same place are one; a slight offset is fake bold."""
    out: list[dict] = []
    for ch in chars:
        prev = out[-1] if out else None
        if (prev is not None and prev["text"] == ch["text"] and abs(prev["top"] - ch["top"]) < 0.5
                and abs(prev["x0"] - ch["x0"]) < 0.3 * max(ch["x1"] - ch["x0"], 0.1)):
            if prev["x0"] != ch["x0"]:
                prev["_fake_bold"] = True
            continue
        out.append(ch)
    return out


def _overlap(top: float, bottom: float, ln: Line) -> float:
    """Vertical overlap as a share of the smaller of the two bands."""
    inter = min(ln.bottom, bottom) - max(ln.top, top)
    return inter / max(min(bottom - top, ln.bottom - ln.top), 0.1)


def _cluster(chars: list[dict]) -> list[Line]:
    """Characters → lines by vertical overlap, so a raised footnote number joins its line.

    Glyphs are swept top-down; a glyph joins the open line its band overlaps most (at least
    half of the smaller band). Spaces are placed afterwards: a space set in a superscript's size
    but not raised would otherwise open a line of its own between the two. Lines whose bands still
    overlap that much (a superscript seen before its line) are merged at the end."""
    ink = sorted((c for c in chars if not c["text"].isspace()), key=lambda c: (c["bottom"], c["x0"]))
    open_lines: list[Line] = []
    done: list[Line] = []
    for ch in ink:
        keep = []
        for ln in open_lines:
            (keep if ln.bottom > ch["top"] else done).append(ln)
        open_lines = keep
        best = max(open_lines, key=lambda ln: (_overlap(ch["top"], ch["bottom"], ln),
                                               ln.bottom - ln.top), default=None)
        if best is not None and _overlap(ch["top"], ch["bottom"], best) >= 0.5:
            best.chars.append(ch)
            if ch["bottom"] - ch["top"] > best.bottom - best.top:  # band of the largest glyph
                best.top, best.bottom = ch["top"], ch["bottom"]
        else:
            open_lines.append(Line(ch["top"], ch["bottom"], [ch]))
    done.extend(open_lines)
    lines: list[Line] = []
    for ln in sorted(done, key=lambda x: (x.top, x.bottom)):
        prev = lines[-1] if lines else None
        if prev is not None and _overlap(ln.top, ln.bottom, prev) >= 0.5:
            prev.chars.extend(ln.chars)
            if ln.bottom - ln.top > prev.bottom - prev.top:
                prev.top, prev.bottom = ln.top, ln.bottom
        else:
            lines.append(ln)
    if lines:
        _place_spaces([ch for ch in chars if ch["text"].isspace()], lines)
    return lines


def _place_spaces(spaces: list[dict], lines: list[Line]) -> None:
    """Each space joins the first line it overlaps most, if it overlaps any.

    `lines` are in order of their tops, so only a window of them can overlap a space: from the
    first whose running maximum bottom passes the space's top, up to the last that starts above
    its bottom; every line outside that window overlaps it by zero or less, so the window alone
    picks the same line as a scan of all of them. Non-finite (or absurdly large) coordinates
    take the plain scan."""
    tops = [ln.top for ln in lines]
    reach, high = [], float("-inf")
    for ln in lines:
        high = max(high, ln.bottom)
        reach.append(high)
    bands = [v for ln in lines for v in (ln.top, ln.bottom)]
    bands += [v for ch in spaces for v in (ch["top"], ch["bottom"])]
    finite = (all(abs(v) < 1e300 for v in bands)  # no NaN, and no overflow in _overlap
              and all(a <= b for a, b in zip(tops, tops[1:])))
    for ch in spaces:
        top, bottom = ch["top"], ch["bottom"]
        if not finite:
            best = max(lines, key=lambda ln: _overlap(top, bottom, ln))
            if _overlap(top, bottom, best) > 0:
                best.chars.append(ch)
            continue
        best, most = None, 0
        for i in range(bisect.bisect_right(reach, top), bisect.bisect_left(tops, bottom)):
            share = _overlap(top, bottom, lines[i])
            if share > most:
                best, most = lines[i], share
        if best is not None:
            best.chars.append(ch)


def _build_words(line: Line) -> None:
    chars = _dedupe(sorted(line.chars, key=lambda c: (c["x0"], c["top"])))
    sizes = Counter(round(c["size"], 1) for c in chars if not c["text"].isspace())
    line.size = sizes.most_common(1)[0][0] if sizes else 0.0
    base = Counter(round(c["bottom"], 1) for c in chars
                   if not c["text"].isspace() and round(c["size"], 1) == line.size)
    baseline = base.most_common(1)[0][0] if base else line.bottom
    words: list[Word] = []
    cur: list[dict] = []
    spaced = False
    pending_space = False

    def flush():
        nonlocal cur, spaced
        if not cur:
            return
        text = "".join(c["text"] for c in cur)
        size = max(c["size"] for c in cur)
        raised = baseline - max(c["bottom"] for c in cur) > SUP_RAISE * line.size
        sup = bool(_DIGITS.match(text)) and size < SUP_SIZE * line.size and raised
        words.append(Word(text, cur[0]["x0"], cur[-1]["x1"], size,
                           all(_is_bold(c) for c in cur), sup, spaced))
        cur, spaced = [], False

    for ch in chars:
        if ch["text"].isspace() or not ch["text"]:
            flush()
            pending_space = True
            continue
        if cur:
            gap = ch["x0"] - cur[-1]["x1"]
            small = ch["size"] < SUP_SIZE * line.size
            if gap > WORD_GAP * ch["size"] or small != (cur[-1]["size"] < SUP_SIZE * line.size):
                flush()
        if not cur:
            spaced = pending_space
            pending_space = False
        cur.append(ch)
    flush()
    line.words = words


def _layout_items(page):
    """(kind, pdfminer object) for the page's layout objects, in pdfplumber's order.

    pdfplumber's own `page.chars` / `page.edges` turn every object into a dict of some thirty
    resolved attributes (three quarters of the reading time); the reader needs only a few, so it
    walks `page.layout` itself: depth first, a container's children in its place, `kind` the
    class name without "LT", lower-cased, as pdfplumber names object types."""
    from pdfminer.layout import LTContainer

    stack = [iter(page.layout._objs)]
    kinds = _KINDS
    while stack:
        for obj in stack[-1]:
            if isinstance(obj, LTContainer):
                stack.append(iter(obj._objs))
                break
            cls = type(obj)
            kind = kinds.get(cls)
            if kind is None:
                kind = kinds[cls] = re.sub(_LT, "", cls.__name__).lower()
            yield kind, obj
        else:
            stack.pop()


def _page_box(page) -> tuple:
    """(height, mediabox x0, mediabox top): what pdfplumber's `process_object` shifts by."""
    mb_x0, mb_top = page.mediabox[:2]
    return page.height, mb_x0, mb_top


def _page_chars(page) -> list[dict]:
    """Upright, non-empty characters as the dicts the reader uses, with exactly the values of
    pdfplumber's `page.chars` (same arithmetic: see `Page.process_object`)."""
    from pdfplumber.page import fix_fontname_bytes
    from pdfplumber.utils import resolve_all

    height, mb_x0, mb_top = _page_box(page)
    norm = page.pdf.unicode_norm
    chars = []
    for kind, obj in _layout_items(page):
        if kind != "char":
            continue
        upright = obj.upright
        if not upright:
            continue
        text = obj.get_text()
        if norm is not None:
            text = unicodedata.normalize(norm, text)
        if not text:
            continue
        fontname = obj.fontname
        if not isinstance(fontname, str):
            fontname = resolve_all(fontname)
            if isinstance(fontname, bytes):
                fontname = fix_fontname_bytes(fontname)
        x0, x1 = obj.x0, obj.x1
        if mb_x0 != 0:
            x0, x1 = x0 + mb_x0, x1 + mb_x0
        chars.append({"text": text, "x0": x0, "x1": x1,
                      "top": (height - obj.y1) + mb_top, "bottom": (height - obj.y0) + mb_top,
                      "size": obj.size, "upright": upright, "fontname": fontname})
    return chars


def _page_lines(page) -> list[Line]:
    chars = _page_chars(page)
    lines = _cluster(chars)
    out = []
    for ln in lines:
        _build_words(ln)
        if ln.words:
            segments(ln)
            if ln.segments:
                out.append(ln)
    for i, ln in enumerate(out, start=1):
        ln.number = i
    return out


# --------------------------------------------------------------------------- page furniture


def _furniture(pages: list[list[Line]]) -> set[tuple[int, int]]:
    """(page, line) of page numbers and running headers/footers: the first or last line of a
    page that is only a number, or that repeats (digits aside) on most pages."""
    drop: set[tuple[int, int]] = set()
    edges: Counter = Counter()
    for lines in pages:
        for ln in {id(x): x for x in (lines[:1] + lines[-1:])}.values():
            edges[re.sub(r"\d+", "#", ln.text.strip().lower())] += 1
    for p, lines in enumerate(pages, start=1):
        for ln in {id(x): x for x in (lines[:1] + lines[-1:])}.values():
            key = re.sub(r"\d+", "#", ln.text.strip().lower())
            repeated = len(pages) >= 2 and edges[key] >= max(2, (len(pages) + 1) // 2)
            if _PAGE_NUMBER.match(ln.text) or repeated:
                drop.add((p, ln.number))
    return drop


def _rules(page) -> list[float]:
    """Tops of the horizontal rules on a page (Word draws the footnote separator as one).

    The tops of pdfplumber's horizontal `page.edges`, in its order (lines, then rects, then
    curves), computed as `process_object` and `line_to_edge` / `rect_to_edges` /
    `curve_to_edges` do."""
    height, mb_x0, mb_top = _page_box(page)
    lines, rects, curves = [], [], []
    for kind, obj in _layout_items(page):
        if kind == "line":
            top = (height - obj.y1) + mb_top
            if top == (height - obj.y0) + mb_top:
                lines.append(top)
        elif kind == "rect":
            top = (height - obj.y1) + mb_top
            rects.append(top)
            rects.append(top + obj.height)
        elif kind == "curve":
            pts = [(mb_x0 + x, mb_top + height - y) for x, y in obj.pts]
            for p0, p1 in zip(pts, pts[1:]):
                if p0[0] != p1[0] and p0[1] == p1[1]:
                    curves.append(min(p0[1], p1[1]))
    return lines + rects + curves


def _has_rule_above(rules: list[float], top: float, body_size: float) -> bool:
    return any(0 < top - r < 3 * body_size for r in rules)


def _footnote_zone(lines: list[Line], body_size: float, rules: list[float]) -> int:
    """Index of the first footnote line at the page bottom, or len(lines) when there is none."""
    start = len(lines)
    while start > 0 and lines[start - 1].size < SMALL_TYPE * body_size:
        start -= 1
    if start == len(lines):
        return start
    first = lines[start].words[0]
    opens_with_marker = first.sup or (
        _DIGITS.match(first.text) and _has_rule_above(rules, lines[start].top, body_size))
    return start if opens_with_marker else len(lines)


# --------------------------------------------------------------------------- reader

# the most words a page's text layer may hold and still be only a scan's stamp or running head
# ('CÔNG BÁO/Số 244/Ngày 23-04-2026 106'); the national motto alone has 12 words
_STAMP_WORDS = 20


def read_pdf(path: str, data: bytes | None = None, ocr: str = "auto",
             on_page=None) -> RawDocument:
    """Lines of a text PDF as blocks (see the module docstring); clear errors for encrypted,
    damaged and empty files. Pages without a usable text layer (a scan, or only a Gazette's stamp
    over one) are OCR'd when `ocr` is "auto"; "always" OCRs every page, "never" refuses such a
    file. `on_page(done, total)` is called after each OCR'd page."""
    path = str(path)
    if data is None:
        with open(path, "rb") as f:
            data = f.read()
    pdf = _open(path, data)
    try:
        try:
            pages = pdf.pages
            if not pages:
                raise DocumentError(path, "empty PDF (no pages)")
            page_lines, page_rules, has_image = [], [], []
            for page in pages:
                page_lines.append(_page_lines(page))
                page_rules.append(_rules(page))
                has_image.append(bool(page.images))
                page.close()  # drop pdfplumber's per-page caches: long documents stay small
        except DocumentError:
            raise
        except Exception as e:  # a broken content stream can fail anywhere inside pdfminer
            raise DocumentError(path, f"damaged PDF: {_short(e)}") from None
    finally:
        pdf.close()
    scans = _pages_to_ocr(page_lines, has_image, ocr)
    if ocr == "never" or not scans:
        _check_text_layer(path, page_lines, ocr)
    meta: dict = {"hard_wrapped": True, "pages": len(page_lines)}
    if scans:
        meta["reading"] = {"ocr": _ocr_pages(path, data, scans, page_lines, page_rules, on_page)}
        if not any(page_lines):
            raise DocumentError(path, "OCR found no text on any page (a blank or unreadable scan)")
    blocks = _blocks(page_rules, page_lines)
    empty = [i for i, p in enumerate(page_lines, start=1) if not p]
    if empty:
        meta["pages_without_text"] = empty
    return RawDocument(path=path, format="pdf", blocks=blocks, meta=meta)


def _page_words(lines: list[Line]) -> int:
    return sum(len(ln.text.split()) for ln in lines)


def _pages_to_ocr(page_lines: list[list[Line]], has_image: list[bool], ocr: str) -> list[int]:
    """1-based pages to OCR: every page ("always"); pages without text (a scan, or text drawn as
    outlines), pages whose only text is a stamp over an image (a Gazette scan), and pages of
    mostly glyphs without a Unicode map ("auto")."""
    if ocr == "always":
        return list(range(1, len(page_lines) + 1))
    if ocr == "never":
        return []
    out = []
    for p, (lines, image) in enumerate(zip(page_lines, has_image), start=1):
        chars = [c for ln in lines for c in ln.chars if not c["text"].isspace()]
        cid = sum(1 for c in chars if _CID.fullmatch(c["text"]))
        if not chars or (image and _page_words(lines) <= _STAMP_WORDS) or cid > len(chars) / 2:
            out.append(p)
    return out


def _check_text_layer(path: str, page_lines: list[list[Line]], ocr: str) -> None:
    hint = " (OCR is off: --ocr never)" if ocr == "never" else ""
    all_chars = [c for p in page_lines for ln in p for c in ln.chars if not c["text"].isspace()]
    if not all_chars:
        raise DocumentError(path, f"no text layer: needs OCR (scanned/image-only PDF){hint}")
    words = [_page_words(p) for p in page_lines]
    if max(words) <= _STAMP_WORDS:
        # a Gazette scan: the portal's stamp or running head is the only text on each page
        raise DocumentError(path, f"text layer holds only a stamp ({max(words)} words or "
                                  f"fewer per page): image-only PDF, needs OCR{hint}")
    cid = sum(1 for c in all_chars if _CID.fullmatch(c["text"]))
    if cid > len(all_chars) / 2:
        raise DocumentError(path, "no usable text layer: fonts without a Unicode map "
                                  f"(needs OCR){hint}")


def _ocr_pages(path: str, data: bytes, scans: list[int], page_lines: list[list[Line]],
               page_rules: list[list[float]], on_page) -> dict:
    """OCR the `scans` pages in place of their text layer; what `reading.ocr` records."""
    from . import ocr

    version = ocr.require(path, f"no text layer on {len(scans)} of {len(page_lines)} pages")
    stats = []
    try:
        for done, (p, image) in enumerate(ocr.render_pdf_pages(data, scans), start=1):
            lines, page_stats = ocr.read_page(image)
            page_lines[p - 1] = lines
            page_rules[p - 1] = []
            stats.append({"page": p, **page_stats})
            if on_page is not None:
                on_page(done, len(scans))
    except TimeoutError as e:
        raise DocumentError(path, f"OCR: {e}") from None
    return ocr.summary(version, stats)


def _blocks(page_rules: list[list[float]], page_lines: list[list[Line]]) -> list[Block]:
    sizes: Counter = Counter()
    for lines in page_lines:
        for ln in lines:
            sizes[round(ln.size * 2) / 2] += sum(len(w.text) for w in ln.words)
    body_size = sizes.most_common(1)[0][0] if sizes else 12.0
    drop = _furniture(page_lines)

    margins: Counter = Counter()
    for lines in page_lines:
        for ln in lines:
            if len(ln.segments) == 1 and ln.size >= SMALL_TYPE * body_size:
                margins[round(ln.x0)] += 1
    doc_margin = min((x for x, n in margins.items() if n >= margins.most_common(1)[0][1] / 3),
                     default=0) if margins else 0

    blocks: list[Block] = []
    for p, (rules, lines) in enumerate(zip(page_rules, page_lines), start=1):
        lines = [ln for ln in lines if (p, ln.number) not in drop]
        if not lines:
            continue
        page_margins = Counter(round(ln.x0) for ln in lines
                               if len(ln.segments) == 1 and ln.size >= SMALL_TYPE * body_size)
        margin = doc_margin
        if page_margins and sum(page_margins.values()) >= 5:
            common = page_margins.most_common(1)[0][1]
            margin = min(x for x, n in page_margins.items() if n >= common / 3)
        notes_from = _footnote_zone(lines, body_size, rules)
        for i, ln in enumerate(lines):
            loc = {"page": p, "line": ln.number}
            if i >= notes_from:
                first = ln.words[0]
                if first.sup or (i == notes_from and _DIGITS.match(first.text)):
                    rest = _rest_after_marker(ln)
                    blocks.append(Block(rest, kind="footnote", marker=first.text, locator=loc))
                else:
                    blocks.append(Block(ln.text, kind="footnote", marker=None, locator=loc))
                continue
            if len(ln.segments) > 1:
                blocks.append(Block(ln.text, kind="table_row", bold=ln.bold, locator=loc))
                continue
            indent = ln.x0 > margin + max(INDENT_MIN * body_size, 4.0)
            blocks.append(Block(ln.text, kind="para", bold=ln.bold, indent=indent, locator=loc))
    return blocks


def _rest_after_marker(ln: Line) -> str:
    """A footnote line's text without its leading marker."""
    words = ln.words[1:]
    return " ".join(w.text.translate(SUPERSCRIPT) if w.sup else w.text for w in words)
