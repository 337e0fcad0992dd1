"""Typed values that flow between the stages (read → normalise → sections → extract → store).

Every stage takes and returns these plain dataclasses, so each is testable on a string.
`to_dict()` gives the JSON shape of the output contract (unknown values are None → null).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from .domain import best_date


class DocumentError(Exception):
    """A file that cannot be read: carries the path and a reason a person can act on."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


# --------------------------------------------------------------------------- reading

@dataclass
class Block:
    """One paragraph-like unit as a reader found it, before normalisation.

    kind: "para" | "heading" | "table_row" | "footnote"
    heading: Markdown '#' depth or DOCX heading level, when the source says so.
    marker: footnote marker ("1") for kind == "footnote".
    locator: where it came from: {"line": 12} for text, {"paragraph": 7} for DOCX,
             {"page": 2, "line": 14} for PDF.
    """

    text: str
    kind: str = "para"
    bold: bool = False
    heading: Optional[int] = None
    marker: Optional[str] = None
    locator: dict = field(default_factory=dict)
    indent: bool = False  # the source line opened with white space (a first-line indent in PDF)


@dataclass
class RawDocument:
    path: str
    format: str  # "text" | "markdown" | "docx" | "pdf"
    blocks: list[Block]
    meta: dict = field(default_factory=dict)


@dataclass
class Line:
    """A block after normalisation: its span in the one normalised text, plus style hints."""

    start: int
    end: int
    kind: str = "para"
    bold: bool = False
    heading: Optional[int] = None
    marker: Optional[str] = None
    locator: dict = field(default_factory=dict)


@dataclass
class Text:
    """The single normalised text every later stage works on, with its lines and source map."""

    text: str
    lines: list[Line]
    path: Optional[str] = None
    format: Optional[str] = None
    meta: dict = field(default_factory=dict)  # what the reader learnt beside the text (portal box)

    def line_text(self, line: Line) -> str:
        return self.text[line.start:line.end]

    def locate(self, offset: int) -> dict:
        """Source locator (page/line, paragraph) of a character offset in the normalised text."""
        lo, hi = 0, len(self.lines)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.lines[mid].start <= offset:
                lo = mid + 1
            else:
                hi = mid
        return dict(self.lines[lo - 1].locator) if lo else {}


# --------------------------------------------------------------------------- structure

@dataclass
class Header:
    """The document's own identity and paratext, as printed in its header and footer."""

    key: Optional[str] = None
    type: Optional[str] = None          # abbreviation: KH, CT, NQ, ...
    type_name: Optional[str] = None     # as printed: KẾ HOẠCH
    number: Optional[str] = None
    year: Optional[int] = None
    symbol: Optional[str] = None        # KH-UBND
    issuer: Optional[str] = None
    parent_issuer: Optional[str] = None
    place: Optional[str] = None
    date: Optional[str] = None          # ISO, or None when day is blank / impossible
    date_text: Optional[str] = None
    title: Optional[str] = None
    signer: Optional[str] = None
    signer_role: Optional[str] = None
    recipients: list[str] = field(default_factory=list)
    issuer_inferred: bool = False       # issuer read from the text, not from the header's column
    effective: Optional[str] = None     # own entry into force ("có hiệu lực kể từ ngày ..."), ISO

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def best_date(self) -> Optional[str]:
        """The most precise date known: ISO day, else 'YYYY-MM' from a draft's blank-day date
        line ('ngày tháng 9 năm 2024'), else the year; None when nothing is known."""
        return best_date(self.date, self.date_text, self.year)


@dataclass
class Section:
    id: str
    heading: str
    level: int
    start: int
    end: int
    parent: Optional[str] = None
    kind: str = "section"  # section | appendix | footnote

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "heading": self.heading, "level": self.level,
                "span": [self.start, self.end], "parent": self.parent, "kind": self.kind}


# --------------------------------------------------------------------------- extraction

@dataclass
class Citation:
    """One mention of another document (one entry per occurrence)."""

    key: Optional[str]
    type: Optional[str]
    number: Optional[str]
    year: Optional[int]
    symbol: Optional[str]
    date: Optional[str]
    issuer: Optional[str]
    relation: str
    text: str
    start: int
    end: int
    section: Optional[str] = None
    position: Optional[str] = None   # title | preamble | body | footnote
    term: Optional[str] = None       # khóa XI
    title: Optional[str] = None
    date_text: Optional[str] = None
    short_form: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = [d.pop("start"), d.pop("end")]
        return d


@dataclass
class Relation:
    source: str
    relation: str
    target: str
    evidence: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class NamedRef:
    """A law, code or ordinance cited by a name that identifies no one document (no year, or a
    name no source gives a number); a name that does is a Citation."""

    type: str
    name: str
    year: Optional[int]
    start: int
    end: int
    relation: str = "mentions"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "name": self.name, "year": self.year,
                "relation": self.relation, "span": [self.start, self.end]}


@dataclass
class Deadline:
    """One time expression that bounds or schedules an action (../shared/docs/deadlines.md).

    `value` is the contract string (ISO date/month/quarter/year, interval, RRULE or ISO
    duration); the typed fields say the same without re-parsing: `due_start`/`due_end` the first
    and last day it covers, `rrule`, `duration` (and the `anchor` it counts from), `precision`.
    """

    text: str
    start: int
    end: int
    kind: str                       # deadline | event | start | target | recurring | time_limit
    value: Optional[str]
    modifier: Optional[str] = None  # before | no_later_than | end | start | mid | after
    label: Optional[str] = None
    rule: Optional[str] = None
    section: Optional[str] = None
    task: Optional[str] = None
    agency: Optional[str] = None
    partners: list[str] = field(default_factory=list)
    due_start: Optional[str] = None
    due_end: Optional[str] = None
    rrule: Optional[str] = None
    duration: Optional[str] = None
    anchor: Optional[str] = None
    precision: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = [d.pop("start"), d.pop("end")]
        return d


@dataclass
class DocumentRecord:
    """Everything extracted from one document: the unit that storage writes."""

    text: Text
    header: Header
    sections: list[Section]
    citations: list[Citation] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    named_refs: list[NamedRef] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    portal: dict = field(default_factory=dict)  # a portal's metadata box, with `disagrees`

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.header.to_dict(),
            "reading": self.text.meta.get("reading"),
            "portal": self.portal or None,
            "sections": [s.to_dict() for s in self.sections],
            "citations": [c.to_dict() for c in self.citations],
            "relations": [r.to_dict() for r in self.relations],
            "named_refs": [n.to_dict() for n in self.named_refs],
            "deadlines": [d.to_dict() for d in self.deadlines],
        }
