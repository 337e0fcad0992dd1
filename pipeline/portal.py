"""The metadata box a legal portal prints beside a document ("Số hiệu", "Loại văn bản", "Nơi ban
hành", "Người ký", "Ngày ban hành", "Ngày hiệu lực", "Tình trạng"): read as the portal's metadata,
never as the document's own header, and checked against that header.

Labels and validity phrases are data (models/chrome.json `metadata_box`). Works on lines: the text
of a saved HTML page's visible nodes, or the lines of a Markdown page made from one.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Optional

from .model import Header
from .resources import load

_PUNCT = " \t*_|:#>-–"
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d\d)$")


@lru_cache(maxsize=1)
def _box() -> tuple[dict, tuple, int, int, frozenset]:
    b = load("chrome")["metadata_box"]
    labels = {k.lower(): v for k, v in b["labels"].items()}
    return (labels, tuple(b["statuses"]), int(b["min_fields"]), int(b["max_lines"]),
            frozenset(b["hidden"]))


def _iso(value: str) -> Optional[str]:
    m = _DATE.match(value.strip())
    if not m:
        return None
    d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
    return f"{y}-{mo:02d}-{d:02d}" if 1 <= d <= 31 and 1 <= mo <= 12 else None


def metadata_box(lines: Iterable[str]) -> dict:
    """Labelled fields of the box ({'number': '11/2026/TT-BTC', 'date': '2026-02-10', …}; dates as
    ISO, the printed form kept in `<field>_text`), or {} when fewer than `min_fields` are found."""
    return metadata_box_at(lines)[0]


def metadata_box_at(lines: Iterable[str]) -> tuple[dict, int]:
    """The box and the index of its last line (-1 when there is no box)."""
    labels, statuses, min_fields, max_lines, hidden = _box()
    out: dict = {}
    want: Optional[str] = None
    last = -1
    for i, line in enumerate(lines):
        if i >= max_lines:
            break
        s = line.strip(_PUNCT)
        if not s:
            continue
        if want is not None:
            if s.lower() not in labels:
                if s not in hidden:
                    out.setdefault(want, s)
                want, last = None, i
                continue
            want = None
        label, _, rest = s.partition(":")
        field = labels.get(label.strip(_PUNCT).lower())
        if field is not None:
            last = i
            rest = rest.strip(_PUNCT)
            if rest and rest not in hidden:
                out.setdefault(field, rest)
            elif not rest:
                want = field
        elif s in statuses and "status" not in out:
            out["status"], last = s, i
    if len(out) < min_fields:
        return {}, -1
    for f in ("date", "effective", "expired", "gazette_date"):
        if f in out:
            iso = _iso(out[f])
            if iso:
                out[f + "_text"], out[f] = out[f], iso
    return out, last


def disagreements(box: dict, header: Header) -> list[str]:
    """Fields where the box and the document's own header both speak and differ: 'number',
    'date', 'effective' (a portal's typo or a page of another document)."""
    out = []
    num = (box.get("number") or "").replace(" ", "").replace("Ð", "Đ").upper()
    if num and header.key and num != header.key.replace("Ð", "Đ").upper():
        out.append("number")
    if box.get("date") and header.date and box["date"] != header.date:
        out.append("date")
    if box.get("effective") and header.effective and box["effective"] != header.effective:
        out.append("effective")
    return out
