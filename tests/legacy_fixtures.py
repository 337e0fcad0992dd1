"""Test fixtures in legacy Vietnamese encodings, made from the corpus as old offices typed them.

TCVN3 DOCX: every run in `.VnTime`; a capital with a tone mark (no TCVN3 code) in a run of its
own in `.VnTimeH` over the lower-case code, as typists switched fonts; a run all in capitals in
`.VnTimeH`. VNI DOCX: every run in `VNI-Times`. Plain text: the bytes Windows editors saved.
"""
from __future__ import annotations

import copy
import io
import re

from pipeline.readers import legacy

_SUPERSCRIPT = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def plain(text: str) -> str:
    """A corpus text as a legacy editor could hold it: superscript note marks written as <sup>."""
    return _SUPERSCRIPT.sub(lambda m: "<sup>" + m.group(0).translate(
        str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")) + "</sup>", text)


def text_bytes(text: str, encoding: str) -> bytes:
    encoded = legacy.unicode_to_tcvn3(text) if encoding == "tcvn3" else legacy.unicode_to_vni(text)
    return encoded.encode("cp1252", errors="replace")


def _no_code(c: str) -> bool:
    """A capital TCVN3 cannot write (it has a tone mark): drawn by an H font."""
    return c.isupper() and legacy.unicode_to_tcvn3(c) == legacy.unicode_to_tcvn3(c.lower()) \
        and not c.isascii()


def _pieces(text: str) -> list[tuple[str, bool]]:
    """(text, in an H font) pieces of one run's text."""
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return [(text, True)]
    out: list[tuple[str, bool]] = []
    for c in text:
        h = _no_code(c)
        if out and out[-1][1] == h:
            out[-1] = (out[-1][0] + c, h)
        else:
            out.append((c, h))
    return out


def docx_bytes(data: bytes, encoding: str) -> bytes:
    """A Unicode DOCX rewritten in TCVN3 (.VnTime/.VnTimeH runs) or VNI (VNI-Times runs)."""
    import docx

    from docx.oxml import parse_xml
    from lxml import etree

    doc = docx.Document(io.BytesIO(data))
    roots = [(doc.element.body, None)]
    for rel in doc.part.rels.values():
        if rel.reltype.endswith(("/footnotes", "/endnotes")):
            part = rel.target_part
            roots.append((parse_xml(part.blob), part))  # a plain Part: its XML is a blob
    for root, part in roots:
        _rewrite(root, encoding)
        if part is not None:
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                        standalone=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _rewrite(root, encoding: str) -> None:
    from docx.oxml.ns import qn

    for r in list(root.iter(qn("w:r"))):
        ts = r.findall(qn("w:t"))
        if len(ts) != 1 or not ts[0].text:
            _set_font(r, "VNI-Times" if encoding == "vni" else ".VnTime")
            continue
        text = ts[0].text
        if encoding == "vni":
            ts[0].text = legacy.unicode_to_vni(text)
            _set_font(r, "VNI-Times")
            continue
        pieces = _pieces(text)
        runs = [r] + [copy.deepcopy(r) for _ in pieces[1:]]
        for run, (piece, h) in zip(runs, pieces):
            t = run.find(qn("w:t"))
            t.text = legacy.unicode_to_tcvn3(piece.lower() if h else piece)
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            _set_font(run, ".VnTimeH" if h else ".VnTime")
        for prev, run in zip(runs, runs[1:]):
            prev.addnext(run)


def _set_font(r, name: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = r.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        r.insert(0, rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)


def docx_from_text(text: str) -> bytes:
    """A plain DOCX of a corpus text: a paragraph per line, bold kept where Markdown marked it."""
    import docx

    doc = docx.Document()
    for line in text.splitlines():
        if not line.strip():
            continue
        p = doc.add_paragraph()
        for i, piece in enumerate(re.split(r"\*\*", line)):
            if piece:
                p.add_run(piece).bold = bool(i % 2)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 as Windows wrote it: a letter with its vowel mark precomposed where the code
    page has it (â, ơ, ư, ...), then the tone as a combining mark."""
    import unicodedata

    out = []
    for c in unicodedata.normalize("NFC", text):
        try:
            out.append(c.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", c)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
        tones = "".join(p for p in parts if p in _TONES)
        out.append((base + tones).encode("cp1258", errors="replace"))
    return b"".join(out)
