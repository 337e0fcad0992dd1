"""Word (.docx) → blocks, in document order, with tables where they stand.

python-docx's `Document.paragraphs` skips tables, and the official header of a Vietnamese
document (issuer and number on the left, motto and place-date on the right) is a table: so the
body XML is walked child by child. Footnote and endnote texts come from their package parts
(python-docx has no API for them); in the body a reference becomes a superscript digit (¹).
"""
from __future__ import annotations

import io
import re
import zipfile
from typing import Iterator, Optional

from ..model import Block, DocumentError, RawDocument
from . import legacy
from .text import SUPERSCRIPT

_FALSE = ("0", "false", "off", "none")
_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.I)
_STARTS_NUMBERED = re.compile(r"^\s*(?:[IVXLC]{1,6}|\d{1,3}(?:\.\d{1,3})*|[a-zđ])\s*[.)\-–]")
_FOOTNOTES_RT = "/footnotes"
_ENDNOTES_RT = "/endnotes"


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn
    return qn(tag)


class _Ctx:
    """What the walk needs besides the XML: styles, note numbers, the paragraph wrapper."""

    def __init__(self, doc):
        self.doc = doc
        self.note_numbers: dict[tuple[str, str], int] = {}
        self.footnote_count = 0
        self.W = {name: _qn(f"w:{name}") for name in (
            "p", "r", "t", "tab", "br", "cr", "noBreakHyphen", "tbl", "tr", "tc", "sdt",
            "sdtContent", "footnoteReference", "endnoteReference", "del", "moveFrom",
            "txbxContent", "drawing", "pict", "object", "rPr", "b", "pPr", "pStyle", "numPr",
            "numId", "ilvl", "outlineLvl", "footnote", "endnote", "id", "type", "val",
            "customXml", "rStyle", "rFonts", "ascii", "hAnsi", "softHyphen")}
        # the fallback copy of mc:AlternateContent repeats what the choice shows
        self.MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
        self._style_cache: dict[str, tuple[Optional[bool], Optional[int]]] = {}
        self._font_cache: dict[str, Optional[str]] = {}
        self.legacy: set[str] = set()  # legacy encodings met in run fonts (TCVN3, VNI)

    # -------------------------------------------------------------- styles
    def paragraph_style(self, style_id: Optional[str]):
        from docx.enum.style import WD_STYLE_TYPE
        try:
            return self.doc.styles.get_by_id(style_id, WD_STYLE_TYPE.PARAGRAPH)
        except (KeyError, ValueError, AttributeError):
            return None

    def _chain(self, style_id: Optional[str], kind: str):
        """A paragraph ("p") or character ("c") style (the default one for no id), then the styles
        it is `basedOn`, in order."""
        try:
            from docx.enum.style import WD_STYLE_TYPE
            wd = WD_STYLE_TYPE.PARAGRAPH if kind == "p" else WD_STYLE_TYPE.CHARACTER
            style = self.doc.styles.get_by_id(style_id, wd) if style_id else (
                self.doc.styles.default(wd))
        except (KeyError, ValueError, AttributeError):
            style = None
        seen = 0
        while style is not None and seen < 20:  # basedOn chains are short; a cycle must not hang
            seen += 1
            yield style
            style = style.base_style

    def style_info(self, style_id: Optional[str], kind: str) -> tuple[Optional[bool], Optional[int]]:
        """(bold, heading level) a paragraph or character style gives, following `basedOn`."""
        key = f"{kind}:{style_id}"
        if key in self._style_cache:
            return self._style_cache[key]
        bold: Optional[bool] = None
        level: Optional[int] = None
        for style in self._chain(style_id, kind):
            if bold is None and style.font.bold is not None:
                bold = bool(style.font.bold)
            if level is None and kind == "p":
                m = _HEADING_STYLE.match(style.name or "")
                if m:
                    level = int(m.group(1))
                else:
                    level = _outline_level(style.element, self.W)
        self._style_cache[key] = (bold, level)
        return bold, level


    def style_font(self, style_id: Optional[str], kind: str) -> Optional[str]:
        """The font a paragraph ("p") or character ("c") style names, following `basedOn`, else
        the document's default font (docDefaults) for paragraphs."""
        key = f"{kind}:{style_id}"
        if key in self._font_cache:
            return self._font_cache[key]
        font = None
        for style in self._chain(style_id, kind):
            font = _rfonts(style.element.find(self.W["rPr"]), self.W)
            if font is not None:
                break
        if font is None and kind == "p":
            defaults = self.doc.styles.element.find(_qn("w:docDefaults"))
            rpr = defaults.find(_qn("w:rPrDefault")) if defaults is not None else None
            font = _rfonts(rpr.find(self.W["rPr"]) if rpr is not None else None, self.W)
        self._font_cache[key] = font
        return font


def _rfonts(rpr, W) -> Optional[str]:
    """The font of an rPr's w:rFonts (ascii, else hAnsi), or None."""
    if rpr is None:
        return None
    rf = rpr.find(W["rFonts"])
    if rf is None:
        return None
    return rf.get(W["ascii"]) or rf.get(W["hAnsi"])


def _outline_level(el, W) -> Optional[int]:
    ppr = el.find(W["pPr"])
    if ppr is None:
        return None
    lvl = ppr.find(W["outlineLvl"])
    if lvl is None:
        return None
    try:
        v = int(lvl.get(W["val"]))
    except (TypeError, ValueError):
        return None
    return v + 1 if 0 <= v <= 8 else None  # 9 means "body text"


def _on(el, W) -> Optional[bool]:
    """Value of an OOXML on/off property element: <w:b/> is on, <w:b w:val="0"/> is off."""
    if el is None:
        return None
    val = el.get(W["val"])
    return val is None or val.lower() not in _FALSE


# ------------------------------------------------------------------ runs → text
def _run_pieces(r, ctx: _Ctx, para_bold: Optional[bool],
                para_font: Optional[str] = None) -> Iterator[tuple[str, Optional[bool]]]:
    """(text, bold) pieces of one w:r; note references give (superscript digits, None). Text in a
    TCVN3 or VNI font (.VnTime, .VnTimeH, VNI-Times) comes out as Unicode (legacy.py)."""
    W = ctx.W
    rpr = r.find(W["rPr"])
    bold: Optional[bool] = None
    font = None
    if rpr is not None:
        bold = _on(rpr.find(W["b"]), W)
        font = _rfonts(rpr, W)
        rs = rpr.find(W["rStyle"])
        if rs is not None:
            if bold is None:
                bold = ctx.style_info(rs.get(W["val"]), "c")[0]
            if font is None:
                font = ctx.style_font(rs.get(W["val"]), "c")
    if bold is None:
        bold = para_bold
    encoding = legacy.font_encoding(font or para_font)
    if encoding is not None:
        ctx.legacy.add(encoding[0])
        for text, b in _run_text(r, ctx, bold):
            # a note reference's superscript digits are ours, not the font's ('¹' is a TCVN3 code)
            yield (text if text.isdigit() else legacy.convert(text, *encoding)), b
        return
    yield from _run_text(r, ctx, bold)


def _run_text(r, ctx: _Ctx, bold: Optional[bool]) -> Iterator[tuple[str, Optional[bool]]]:
    W = ctx.W
    for child in r:
        tag = child.tag
        if tag == W["t"]:
            if child.text:
                yield child.text, bold
        elif tag == W["tab"]:
            yield "\t", bold
        elif tag in (W["br"], W["cr"]):
            yield " ", bold
        elif tag == W["noBreakHyphen"]:
            yield "-", bold
        elif tag == W["softHyphen"]:
            # an optional hyphen (dropped by normalise); in a TCVN3 font the same code is 'ư',
            # which a converter may have turned into this element ('Trung ­¬ng' = 'Trung ương')
            yield "\u00ad", bold
        elif tag in (W["footnoteReference"], W["endnoteReference"]):
            kind = "f" if tag == W["footnoteReference"] else "e"
            n = ctx.note_numbers.get((kind, child.get(W["id"])))
            if n is not None:
                yield str(n).translate(SUPERSCRIPT), None


def _walk_inline(el, ctx: _Ctx, para_bold: Optional[bool],
                 para_font: Optional[str] = None) -> Iterator[tuple[str, Optional[bool]]]:
    """Runs of a paragraph in order, through hyperlinks, insertions, fields and content controls;
    deleted text, text boxes and drawings are left out (they are not the paragraph's text)."""
    W = ctx.W
    skip = {W["del"], W["moveFrom"], W["txbxContent"], W["drawing"], W["pict"], W["object"],
            W["pPr"], W["rPr"], ctx.MC_FALLBACK}
    stack = [iter(el)]
    while stack:
        try:
            child = next(stack[-1])
        except StopIteration:
            stack.pop()
            continue
        if child.tag == W["r"]:
            yield from _run_pieces(child, ctx, para_bold, para_font)
        elif child.tag not in skip and len(child):
            stack.append(iter(child))


def _paragraph(p, ctx: _Ctx) -> tuple[str, bool, Optional[int]]:
    """Text, all-bold, heading level of one w:p."""
    W = ctx.W
    ppr = p.find(W["pPr"])
    style_id = None
    if ppr is not None:
        ps = ppr.find(W["pStyle"])
        if ps is not None:
            style_id = ps.get(W["val"])
    para_bold, level = ctx.style_info(style_id, "p")
    para_font = ctx.style_font(style_id, "p")
    own_level = _outline_level(p, W)
    if own_level is not None:
        level = own_level
    parts: list[str] = []
    bolds: list[bool] = []
    for text, bold in _walk_inline(p, ctx, para_bold, para_font):
        parts.append(text)
        if bold is not None and text.strip():
            bolds.append(bool(bold))
    text = "".join(parts)
    return text, bool(bolds) and all(bolds), level


def _num_pr(el, W):
    ppr = el.find(W["pPr"])
    return ppr.find(W["numPr"]) if ppr is not None else None


def _numbering(p, ctx: _Ctx) -> Optional[tuple[int, int]]:
    """(numId, level) when Word numbers this paragraph itself (the number is not in the text):
    numbering set on the paragraph, or on its style ("List Number")."""
    W = ctx.W
    num = _num_pr(p, W)
    if num is None:
        ppr = p.find(W["pPr"])
        ps = ppr.find(W["pStyle"]) if ppr is not None else None
        style = ctx.paragraph_style(ps.get(W["val"]) if ps is not None else None)
        for _ in range(20):
            if style is None or num is not None:
                break
            num = _num_pr(style.element, W)
            style = style.base_style
    if num is None:
        return None
    num_id = num.find(W["numId"])
    ilvl = num.find(W["ilvl"])
    try:
        nid = int(num_id.get(W["val"])) if num_id is not None else 0
        lvl = int(ilvl.get(W["val"])) if ilvl is not None else 0
    except (TypeError, ValueError):
        return None
    return (nid, lvl) if nid else None  # numId 0 switches numbering off


def _cell_text(tc, ctx: _Ctx) -> tuple[str, list[bool]]:
    """A table cell's paragraphs (and nested tables, flattened) joined by spaces."""
    W = ctx.W
    texts: list[str] = []
    bolds: list[bool] = []
    for el in _body_children(tc, ctx):
        if el.tag == W["p"]:
            text, bold, _ = _paragraph(el, ctx)
            if text.strip():
                texts.append(text.strip())
                bolds.append(bold)
        else:
            for cells, b in _rows(el, ctx):
                text = " ".join(c for c in cells if c)
                if text:
                    texts.append(text)
                    bolds.extend(b)
    return " ".join(texts), bolds


def _rows(tbl, ctx: _Ctx) -> Iterator[tuple[list[str], list[bool]]]:
    """(cell texts, bold flags) per row of a w:tbl, rows inside content controls included."""
    W = ctx.W
    for child in tbl:
        if child.tag == W["tr"]:
            cells: list[str] = []
            bolds: list[bool] = []
            for tc in _cells(child, ctx):
                text, b = _cell_text(tc, ctx)
                cells.append(text)
                bolds.extend(b)
            yield cells, bolds
        elif child.tag == W["sdt"]:
            content = child.find(W["sdtContent"])
            if content is not None:
                yield from _rows(content, ctx)


def _cells(tr, ctx: _Ctx) -> Iterator:
    W = ctx.W
    for child in tr:
        if child.tag == W["tc"]:
            yield child
        elif child.tag == W["sdt"]:
            content = child.find(W["sdtContent"])
            if content is not None:
                yield from _cells(content, ctx)


def _body_children(el, ctx: _Ctx) -> Iterator:
    """Block-level children in order, looking inside content controls and custom XML."""
    W = ctx.W
    for child in el:
        if child.tag in (W["p"], W["tbl"]):
            yield child
        elif child.tag == W["sdt"]:
            content = child.find(W["sdtContent"])
            if content is not None:
                yield from _body_children(content, ctx)
        elif child.tag == W["customXml"]:
            yield from _body_children(child, ctx)


def _notes_part(doc, suffix: str):
    for rel in doc.part.rels.values():
        if not rel.is_external and rel.reltype.endswith(suffix):
            return rel.target_part
    return None


def _notes(doc, ctx: _Ctx, suffix: str, kind: str) -> list[Block]:
    """Footnote (or endnote) texts from their part, numbered as the body references them."""
    from docx.oxml import parse_xml

    part = _notes_part(doc, suffix)
    if part is None:
        return []
    W = ctx.W
    root = parse_xml(part.blob)
    tag = W["footnote"] if kind == "f" else W["endnote"]
    found: list[tuple[int, Block]] = []
    for note in root.iter(tag):
        if note.get(W["type"]) not in (None, "normal"):
            continue  # separators and continuation notices
        n = ctx.note_numbers.get((kind, note.get(W["id"])))
        if n is None:
            continue  # never referenced from the body: Word does not show it either
        texts = []
        for p in note.iter(W["p"]):
            text, _, _ = _paragraph(p, ctx)
            if text.strip():
                texts.append(text.strip())
        body = " ".join(texts)
        if body:
            # the locator counts footnotes and endnotes apart, as Word shows them
            loc = {"footnote": n} if kind == "f" else {"endnote": n - ctx.footnote_count}
            found.append((n, Block(body, kind="footnote", marker=str(n), locator=loc)))
    return [b for _, b in sorted(found, key=lambda x: x[0])]


def _number_notes(body, ctx: _Ctx) -> None:
    """Footnotes are numbered 1, 2, ... in order of first reference; endnotes continue after them
    so that every marker in the text is unique."""
    W = ctx.W
    order = {"f": [], "e": []}
    for el in body.iter(W["footnoteReference"], W["endnoteReference"]):
        kind = "f" if el.tag == W["footnoteReference"] else "e"
        nid = el.get(W["id"])
        if nid not in order[kind]:
            order[kind].append(nid)
    n = 0
    for kind in ("f", "e"):
        for nid in order[kind]:
            n += 1
            ctx.note_numbers[(kind, nid)] = n
    ctx.footnote_count = len(order["f"])


def _open(path: str, data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, OSError):
        raise DocumentError(path, "damaged DOCX (truncated or corrupt zip archive)") from None
    except PackageNotFoundError:
        raise DocumentError(path, "not a DOCX (not a zip archive)") from None
    except XMLSyntaxError as e:
        raise DocumentError(path, f"damaged DOCX: broken XML ({str(e)[:80]})") from None
    except KeyError as e:
        raise DocumentError(path, f"damaged DOCX: missing part {e}") from None
    except ValueError as e:
        # python-docx: "file '…' is not a Word file, content type is '…'" (.docm, .dotx, …)
        raise DocumentError(path, f"not a Word document: {str(e)[:120]}") from None


def _legacy_by_text(blocks: list[Block]) -> Optional[str]:
    """A document in TCVN3/VNI whose fonts do not say so (a font named only by its theme, or
    a file re-saved in another font): decided from the text, every block converted in place."""
    sample = "\n".join(b.text for b in blocks[:400])
    encoding = legacy.detect(sample)
    if encoding is None:
        return None
    for b in blocks:
        b.text = legacy.repair_as(b.text, encoding)
    return encoding


def read_docx(path: str, data: bytes | None = None) -> RawDocument:
    """Paragraphs, table rows and footnotes of a .docx as blocks (locators: paragraph, table/row,
    footnote). Paragraphs that Word numbers itself are listed in meta["numbered"]."""
    path = str(path)
    if data is None:
        with open(path, "rb") as f:
            data = f.read()
    doc = _open(path, data)
    ctx = _Ctx(doc)
    W = ctx.W
    body = doc.element.body
    _number_notes(body, ctx)

    blocks: list[Block] = []
    numbered: list[dict] = []
    para_no = table_no = 0
    for el in _body_children(body, ctx):
        if el.tag == W["p"]:
            para_no += 1
            text, bold, level = _paragraph(el, ctx)
            if not text.strip():
                continue
            num = _numbering(el, ctx)
            if num and not _STARTS_NUMBERED.match(text):
                numbered.append({"paragraph": para_no, "num_id": num[0], "level": num[1]})
            blocks.append(Block(text, kind="heading" if level else "para", bold=bold,
                                heading=level, locator={"paragraph": para_no}))
        else:
            table_no += 1
            for row_no, (cells, bolds) in enumerate(_rows(el, ctx), start=1):
                if any(c.strip() for c in cells):
                    blocks.append(Block("\t".join(cells), kind="table_row",
                                        bold=bool(bolds) and all(bolds),
                                        locator={"table": table_no, "row": row_no}))
    blocks += _notes(doc, ctx, _FOOTNOTES_RT, "f")
    blocks += _notes(doc, ctx, _ENDNOTES_RT, "e")
    if not any(b.text.strip() for b in blocks):
        raise DocumentError(path, "empty document (no text in the DOCX)")
    meta: dict = {"hard_wrapped": False}
    encoding = "+".join(sorted(ctx.legacy)) or _legacy_by_text(blocks)
    if encoding:
        meta["reading"] = {"encoding": encoding}
    if numbered:
        meta["numbered"] = numbered
    return RawDocument(path=path, format="docx", blocks=blocks, meta=meta)
