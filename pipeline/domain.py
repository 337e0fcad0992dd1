"""Vietnamese domain facts the stages share, written once and read from `models/`:
administrative units and their Party committees, the two foldings (of a symbol part, of words
people search), the comparison form of an issuing body, a document's best date, and the
strength order of relations.

Extraction, storage, the graph and the web pages import these instead of keeping their own
copies (which had drifted apart: lists of units with and without `xã`, three fold functions).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Optional

from .resources import load

_ISSUERS = load("issuers")

# Relations from strongest to weakest (models/relations.json): the relation a citing document
# has to what it cites several times is the strongest of its mentions.
RELATION_STRENGTH: tuple[str, ...] = tuple(load("relations")["strength"])
_RANK = {r: i for i, r in enumerate(RELATION_STRENGTH)}


def relation_rank(relation: Optional[str]) -> int:
    """0 for the strongest relation; unknown relations after every known one."""
    return _RANK.get(relation, len(_RANK))


def strongest(relations) -> str:
    """The strongest of `relations` ('mentions' when there is none)."""
    rels = [r for r in relations if r]
    return min(rels, key=relation_rank) if rels else "mentions"

# The eight levels of local government, in the order models/issuers.json gives them.
UNITS: tuple[str, ...] = tuple(_ISSUERS["units"])
# The levels that have a Party committee of their own name, and that committee ('tỉnh' → 'tỉnh ủy').
COMMITTEE_OF_UNIT: dict[str, str] = {unit: committee.casefold() for committee, unit
                                     in _ISSUERS["header"]["committees"].items()}
# The same pairs as written in running text ('Tỉnh ủy' → 'tỉnh').
UNIT_OF_COMMITTEE: dict[str, str] = {committee.capitalize(): unit for committee, unit
                                     in _ISSUERS["header"]["committees"].items()}
# A body named by its level only ('tỉnh ủy', 'ủy ban nhân dân huyện') ends with one of these.
BARE_LEVELS: tuple[str, ...] = UNITS + tuple(COMMITTEE_OF_UNIT.values()) + ("đảng ủy",)


def fold(s: str) -> str:
    """Case- and Đ-insensitive comparison form of a symbol part: 'ThU' → 'THU', 'QĐ' → 'QD',
    'TƯ' → 'TW'."""
    return s.upper().replace("Đ", "D").replace("Ð", "D").replace("Ư", "W")


def fold_text(s: str) -> str:
    """How people type Vietnamese on a phone: no tone or vowel marks, 'd' for 'đ', lower case
    ('Giáo dục' and 'giao duc' and 'GIÁO DỤC' fold alike; '13/2023/NĐ-CP' → '13/2023/nd-cp').
    For words people search; `fold` is for symbol parts. (The section index's tokenizer,
    storage.schema.FTS_TOKENIZE, drops marks but keeps 'đ': its queries try 'd' as 'đ'.)"""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D").replace("Ð", "D"))
    return "".join(ch for ch in s if not unicodedata.combining(ch)).lower()


def best_date(date: Optional[str], date_text: Optional[str], year: Optional[int]) -> Optional[str]:
    """The most precise date known: ISO day, else 'YYYY-MM' from a draft's blank-day date line
    ('ngày tháng 9 năm 2024'), else the year; None when nothing is known."""
    if date:
        return date
    m = re.search(r"tháng\s+(\d{1,2})\s+năm\s+(\d{4})", date_text or "")
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    return str(year) if year else None


# --------------------------------------------------------------------------- issuing bodies

_ROLE_PREFIXES = ("ban thường vụ ", "thường trực ", "tm. ", "t/m ", "tm ")
_PARTY_BODY = re.compile(r"^(?:ban chấp hành )?đảng bộ (" + "|".join(COMMITTEE_OF_UNIT)
                         + r") (.+)$")


@lru_cache(maxsize=1)
def _issuer_forms():
    abbrev = sorted(_ISSUERS["abbreviations"].items(), key=lambda kv: len(kv[0]), reverse=True)
    alternatives = "|".join(re.escape(k) for k, _ in abbrev)
    return {"abbrev": dict(abbrev),
            "abbrev_re": re.compile(r"(?<![\w&])(" + alternatives + r")(?![\w&])"),
            "spelling": dict(_ISSUERS["spelling"]),
            "canonical": {k.casefold(): v.casefold() for k, v in _ISSUERS["canonical"].items()
                          if not k.startswith("_")}}


def norm_issuer(s: Optional[str]) -> Optional[str]:
    """Comparison form of an issuing body: abbreviations expanded, old tone marks modernised,
    case folded, standing-committee and chairman prefixes dropped ('Ban Thường vụ Tỉnh ủy Lai
    Châu' and 'Tỉnh ủy Lai Châu' number their documents in one series)."""
    if not s:
        return None
    d = _issuer_forms()
    s = unicodedata.normalize("NFC", s)
    s = re.sub(r"\w+", lambda m: d["spelling"].get(m.group(0), m.group(0)), s)
    s = d["abbrev_re"].sub(lambda m: d["abbrev"][m.group(1)], s)
    s = re.sub(r"\s+", " ", s.casefold()).strip(" .,;:-–")
    changed = True
    while changed:
        changed = False
        for p in _ROLE_PREFIXES:
            if s.startswith(p):
                s, changed = s[len(p):].lstrip(), True
    if s.startswith("chủ tịch ủy ban nhân dân"):
        s = s[len("chủ tịch "):]
    m = _PARTY_BODY.match(s)
    if m:
        s = f"{COMMITTEE_OF_UNIT[m.group(1)]} {m.group(2)}"
    s = d["canonical"].get(s, s)
    return s or None


def is_bare(issuer: Optional[str]) -> bool:
    """A body named by its level only ('tỉnh ủy', 'ủy ban nhân dân huyện'), in comparison form."""
    if not issuer:
        return False
    return any(issuer == u or issuer.endswith(" " + u) for u in BARE_LEVELS)
