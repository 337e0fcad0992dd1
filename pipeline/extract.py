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
from .header import parse_header
from .model import DocumentRecord, Text
from .normalise import normalise, normalise_string
from .readers import read
from .sections import parse_sections


def extract_text(text: Text) -> DocumentRecord:
    header = parse_header(text)
    header.effective = effective_date(text, header.best_date())
    sections = parse_sections(text)
    citations, relations, named_refs = extract_citations(text, header=header, sections=sections)
    chrome = chrome_spans(text)
    if chrome:  # a portal's own notices cite nothing of the document's
        citations = [c for c in citations if not inside(chrome, c.start)]
        named_refs = [n for n in named_refs if not inside(chrome, n.start)]
    deadlines = extract_deadlines(
        text,
        doc_date=header.best_date(),
        sections=sections,
        masks=[(c.start, c.end) for c in citations] + chrome,
        effective=header.effective,
    )
    return DocumentRecord(text, header, sections, citations, relations, named_refs, deadlines)


def extract_file(path: str | Path) -> DocumentRecord:
    """Read, normalise and extract one file. Raises DocumentError when it cannot be read."""
    return extract_text(normalise(read(str(path))))


def extract_string(content: str, path: str | None = None) -> DocumentRecord:
    """The fast path on a plain string (as the content of a text file)."""
    return extract_text(normalise_string(content, path))
