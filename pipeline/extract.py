"""The single place that orders the stages over one document.

read → normalise → header → sections → citations → (site chrome left out) → deadlines →
DocumentRecord.
The CLI, ingest, the evaluation and the spaCy component all call these functions, so there is
no second path that drifts.
"""
from __future__ import annotations

from pathlib import Path

from .chrome import chrome_spans, inside
from .citations import extract_citations
from .deadlines import effective_date, extract_deadlines
from .header import document_start, fill_from_portal, parse_header
from .model import DocumentRecord, Text
from .normalise import normalise, normalise_string
from .portal import disagreements, metadata_box_at
from .readers import read
from .sections import parse_sections


_MAX_LEAD_IN = 6000  # a portal's banner, notices and box; further in, a page quotes a document


def _portal(text: Text) -> tuple[dict, list[tuple[int, int]]]:
    """The portal's metadata box (from the HTML reader, or read off a page's first lines) and the
    lead-in before the document's header when the page is a portal's: chrome, kept but unread."""
    box = text.meta.get("portal") or {}
    box_end = -1
    if not box and text.format in ("markdown", "text"):
        box, last = metadata_box_at(text.line_text(ln) for ln in text.lines)
        box_end = text.lines[last].end if last >= 0 else -1
    start = document_start(text)
    lead = []
    if 0 < start <= _MAX_LEAD_IN and (text.format == "html" or 0 <= box_end <= start):
        lead = [(0, start)]
    return dict(box), lead


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _own_date(text: Text, header) -> list[tuple[int, int]]:
    """The document's own place-date line ('Lai Châu, ngày 14 tháng 01 năm 2025'), which is its
    date, not a deadline, wherever the header's layout put it (a table cell of a web page)."""
    if not header.date_text:
        return []
    at = text.text.find(header.date_text, 0, 6000)
    return [(at, at + len(header.date_text))] if at >= 0 else []


def extract_text(text: Text) -> DocumentRecord:
    sections = parse_sections(text)  # once: the header reads them too
    header = parse_header(text, sections)
    portal, lead_in = _portal(text)
    filled = fill_from_portal(header, portal) if portal else []
    header.effective = effective_date(text, header.best_date())
    if portal:
        portal["disagrees"] = disagreements(portal, header)
        if filled:
            portal["filled"] = filled  # header fields the document lost, taken from the box
    citations, relations, named_refs = extract_citations(text, header=header, sections=sections)
    chrome = _merged(chrome_spans(text) + lead_in)
    if chrome:  # a portal's own notices cite nothing of the document's
        citations = [c for c in citations if not inside(chrome, c.start)]
        named_refs = [n for n in named_refs if not inside(chrome, n.start)]
    deadlines = extract_deadlines(
        text,
        doc_date=header.best_date(),
        sections=sections,
        masks=[(c.start, c.end) for c in citations] + chrome + _own_date(text, header),
        effective=header.effective,
    )
    return DocumentRecord(text, header, sections, citations, relations, named_refs, deadlines,
                          portal=portal)


def extract_file(path: str | Path, *, ocr: str = "auto", on_page=None) -> DocumentRecord:
    """Read, normalise and extract one file. Raises DocumentError when it cannot be read.
    `ocr` and `on_page`: see `readers.read` (scanned pages)."""
    return extract_text(normalise(read(str(path), ocr=ocr, on_page=on_page)))


def extract_string(content: str, path: str | None = None) -> DocumentRecord:
    """The fast path on a plain string (as the content of a text file)."""
    return extract_text(normalise_string(content, path))
