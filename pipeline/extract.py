"""The single place that orders the stages over one document.

read → normalise → header → sections → citations → deadlines → DocumentRecord.
The CLI, ingest, the evaluation and the spaCy component all call these functions, so there is
no second path that drifts.
"""
from __future__ import annotations

from pathlib import Path

from .citations import extract_citations
from .deadlines import extract_deadlines
from .header import parse_header
from .model import DocumentRecord, Text
from .normalise import normalise, normalise_string
from .readers import read
from .sections import parse_sections


def _doc_date(header) -> str | None:
    """The best-known date of the document (day may be blank in drafts): ISO, YYYY-MM or YYYY."""
    if header.date:
        return header.date
    text = header.date_text or ""
    import re

    m = re.search(r"tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    return str(header.year) if header.year else None


def extract_text(text: Text) -> DocumentRecord:
    header = parse_header(text)
    sections = parse_sections(text)
    citations, relations, named_refs = extract_citations(text, header=header, sections=sections)
    deadlines = extract_deadlines(
        text,
        doc_date=_doc_date(header),
        sections=sections,
        masks=[(c.start, c.end) for c in citations],
    )
    return DocumentRecord(text, header, sections, citations, relations, named_refs, deadlines)


def extract_file(path: str | Path) -> DocumentRecord:
    """Read, normalise and extract one file. Raises DocumentError when it cannot be read."""
    return extract_text(normalise(read(str(path))))


def extract_string(content: str, path: str | None = None) -> DocumentRecord:
    """The fast path on a plain string (as the content of a text file)."""
    return extract_text(normalise_string(content, path))
