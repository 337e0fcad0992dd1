"""Citation patterns, compiled once from the data in `models/`.

Every pattern is linear: quantifiers are bounded and never nested over the same characters
(a symbol is PART(-PART){0,6} where PART cannot contain '-' or white space).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..domain import fold
from ..resources import load

UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
# Ư: 'TƯ' written for TW (Trung ương); Ð (U+00D0, Icelandic eth) is a look-alike typed for Đ
PART = r"[A-ZĐÐ][A-Za-zĐđÐƯ0-9&]{0,14}"
SEP = r"[ \t]{0,2}-\s{0,3}"
SLASH = r"\s{0,2}/\s{0,2}"

# A document number in any family. Party: 29-NQ/TW; normative: 09/2024/TT-BGDĐT, 88/2014/QH13,
# also 82/2005-QĐ-UBND; state and letters: 3707/KH-UBND, 3129/UBND-VP, 91/KL-TW (swapped).
# The pattern opens with a digit class so the regex engine can skip to digits in C; the left
# boundary (not inside a longer number or word, except right after 'số') is checked in parse.py.
NUMBER = re.compile(
    r"(?P<num>\d\d{0,4}[A-Za-z]?)"  # 225A, 163a
    r"(?:"
    rf"{SLASH}(?P<nyear>(?:19|20)\d\d)[ \t]{{0,2}}[/\-][ \t]{{0,2}}(?P<nsym>{PART}(?:(?:{SEP}|/){PART}){{0,6}})"
    rf"|{SLASH}(?P<ssym>{PART}(?:(?:{SEP}|/){PART}){{0,6}})"  # also 254/NQ/TW, 514/QĐ/VPQH
    rf"|[ \t]{{0,2}}-[ \t]{{0,2}}(?P<ptype>{PART}){SLASH}(?P<pissuer>{PART}(?:{SEP}{PART}){{0,3}})"
    # pre-2000s state numbers N-ISSUER (275-CP, 75-HĐBT, 127-SL); parse.py keeps them only
    # after a type noun ('Quyết định số 275-CP')
    rf"|-(?P<osym>{PART}(?:-{PART}){{0,2}})"
    r")"
    r"(?![\w/])"
)

DATE_NUMERIC = re.compile(
    r"[ \t]{0,3},?[ \t]{0,3}(?:ban hành[ \t]+)?ngày\s{1,3}"
    r"(?P<d>\d{1,2})[ \t]{0,2}[/.\-][ \t]{0,2}(?P<m>\d{1,2})[ \t]{0,2}[/.\-][ \t]{0,2}(?P<y>\d{2,5})(?!\d)",
    re.I,
)
DATE_WORDS = re.compile(
    r"[ \t]{0,3},?[ \t]{0,3}(?:ban hành[ \t]+)?ngày\s{1,3}(?P<d>\d{1,2})\s{1,3}tháng\s{1,3}(?P<m>\d{1,2})"
    r"\s{1,3}năm\s{1,3}(?P<y>\d{4})(?!\d)",
    re.I,
)
# 'của' may end a line (PDF or web text wrapped inside a sentence): 'ngày 10/5/2017 của⏎Bộ Y tế'
ISSUER_HEAD = re.compile(r"[ \t]{0,3},?[ \t]{0,3}(?:của|do)(?:[ \t]{1,3}|[ \t]{0,2}\n[ \t]{0,2})")
WORD = re.compile(r"[^\s,;:()\"“”'‘’]{1,40}")
TERM = re.compile(r"[ \t]{0,3}[(,]?[ \t]{0,3}(?:khóa|khoá|lần thứ)[ \t]{1,3}(?P<term>[IVXLC]{1,7})\b[ \t]{0,2}\)?", re.I)
TITLE_ABOUT = re.compile(r"[ \t]{0,3},?[ \t]{0,3}(?:về việc|về|v/v|V/v|V/V)[ \t]{1,3}")
QUOTE = re.compile(r"[ \t]{0,3},?[ \t]{0,3}[\"“](?P<q>[^\"”\n]{1,500})[\"”]")
TITLE_END = re.compile(r";|\.(?=\s|$)|\n")
# the year written after a number without a date ('Nghị quyết 57-NQ/TW năm 2024',
# 'Quyết định 2986/QĐ-UBND 2025'); not a range ('2021 - 2025') nor part of a date or number
YEAR_AFTER = re.compile(
    r"[ \t]{1,3}(?:năm[ \t]{1,3})?(?P<y>(?:19|20)\d\d)(?!\d|[/.,:]\d|[ \t]{0,2}[\-–][ \t]{0,2}\d)")
ROMAN = re.compile(r"^[IVXLC]{1,7}$")


@dataclass(frozen=True)
class Grammar:
    noun_to_type: dict            # lower-case noun → type code
    type_codes: dict              # exact code → code, then fold(code) → code
    party_issuers: frozenset      # fold(code)
    symbol_case: dict             # fold(part) → canonical part
    symbol_issuers: dict          # code (digits stripped) → body name
    national_bodies: frozenset    # the names symbol_issuers gives
    local_symbol_issuers: dict    # provincial department codes → name ending in 'tỉnh'
    state_codes: frozenset        # fold(code) of state issuer codes
    known_codes: frozenset        # fold(code) of every type and issuer code the data knows
    heads_without_cua: tuple
    abbreviations: dict
    canonical: dict
    spelling: dict
    continuation: frozenset
    stop_words: frozenset
    issuer_phrases: dict          # first word → multi-word parts of body names, longest first
    title_starts: tuple           # lower-case phrases that open a title, not a body name
    units: dict
    nouns_longest_first: tuple
    nouns_by_last_word: dict      # last word → nouns ending in it, longest first
    not_before: tuple             # lower-case words after which a number is a form code
    law_before: re.Pattern        # 'Luật <Name> số' ending right before a number
    law_types: dict
    head_cues: list               # [(relation, cue)] longest first
    head_positions: dict
    chain_fillers: list
    cue_adverbs: tuple


def _index_by_last_word(nouns: list) -> dict:
    index: dict = {}
    for n in nouns:  # already longest first
        index.setdefault(n.rsplit(None, 1)[-1], []).append(n)
    return {k: tuple(v) for k, v in index.items()}


def _index_by_first_word(phrases: list) -> dict:
    index: dict = {}
    for p in sorted((unicodedata.normalize("NFC", p) for p in phrases), key=len, reverse=True):
        index.setdefault(p.split(None, 1)[0], []).append(p)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    types = load("doc_types")
    iss = load("issuers")
    rel = load("relations")
    noun_to_type: dict[str, str] = {}
    for code, info in types["types"].items():
        for name in info["names"]:
            noun_to_type[unicodedata.normalize("NFC", name).lower()] = code
    type_codes: dict[str, str] = {}
    for code in types["types"]:
        type_codes[code] = code
    for code in types["types"]:
        type_codes.setdefault(code.upper(), code)
    for code in types["types"]:
        type_codes.setdefault(fold(code), code)
    for alias, code in types["symbol_aliases"].items():
        if not alias.startswith("_") and "_" not in alias:
            type_codes.setdefault(alias, code)
    nouns = sorted(noun_to_type, key=len, reverse=True)
    cues = []
    for relation, phrases in rel["head_cues"].items():
        for p in phrases:
            cues.append((relation, p))
    cues.sort(key=lambda rc: len(rc[1]), reverse=True)
    case_parts = iss["symbol_case"]["parts"] + iss["party_issuer_codes"]
    return Grammar(
        noun_to_type=noun_to_type,
        type_codes=type_codes,
        party_issuers=frozenset(fold(c) for c in iss["party_issuer_codes"]),
        symbol_case={fold(p): p for p in case_parts},
        symbol_issuers=dict(iss["symbol_issuers"]),
        national_bodies=frozenset(iss["symbol_issuers"].values()),
        local_symbol_issuers={k: v for k, v in iss["local_symbol_issuers"].items()
                              if not k.startswith("_")},
        state_codes=frozenset(fold(c) for c in iss["state_issuer_prefixes"]["codes"]),
        known_codes=frozenset(fold(c) for c in (
            list(type_codes) + iss["party_issuer_codes"] + iss["state_issuer_prefixes"]["codes"]
            + list(iss["symbol_issuers"]) + list(iss["local_symbol_issuers"]))),
        heads_without_cua=tuple(iss["issuer_heads_without_cua"]["heads"]),
        abbreviations=dict(iss["abbreviations"]),
        canonical={k: v for k, v in iss["canonical"].items() if not k.startswith("_")},
        spelling=dict(iss["spelling"]),
        continuation=frozenset(iss["continuation_words"]),
        stop_words=frozenset(iss["stop_words"]),
        # full names of national bodies (symbol_issuers) hold lowercase words too: 'Bộ Tư pháp'
        issuer_phrases=_index_by_first_word(
            iss["issuer_phrases"]["phrases"] + [v for v in iss["symbol_issuers"].values() if " " in v]),
        title_starts=tuple(w.lower() for w in iss["issuer_phrases"]["title_starts"]),
        units=dict(iss["units"]),
        nouns_longest_first=tuple(nouns),
        nouns_by_last_word=_index_by_last_word(nouns),
        not_before=tuple(sorted((w.lower() for w in types["not_citations_before"]["words"]),
                                key=len, reverse=True)),
        law_before=re.compile(
            r"(?P<noun>" + "|".join(sorted(types["named_law_nouns"]["nouns"], key=len, reverse=True))
            + r")[ \t]{1,3}[" + UPPER + r"][^\n;:.,()]{0,80}?[ \t]số[ \t]{0,3}$"),
        law_types=dict(types["named_law_nouns"]["nouns"]),
        head_cues=cues,
        head_positions={k: set(v) for k, v in rel["head_positions"].items() if not k.startswith("_")},
        chain_fillers=sorted(rel["chain_fillers"], key=len, reverse=True),
        cue_adverbs=tuple(sorted(rel["cue_adverbs"]["words"], key=len, reverse=True)),
    )


# A bare number as it may stand in a short form ('Đề án số 03', 'Nghị quyết 29'): opens with a
# digit class (fast C scan); the caller keeps only numbers the document cites in full.
BARE_NUMBER = re.compile(
    r"\d\d{0,3}(?![\w/\-]|[.,]\d|[ \t]{1,3}(?:năm|tháng|ngày|tuổi|lần|giờ|%))"
)


def noun_before(text: str, pos: int):
    """The document-type noun (optionally with 'số', 'liên tịch', ':') ending right at `pos`:
    (start offset, type code) or None. Plain string tests: no regex search over a window."""
    g = grammar()
    lo = max(0, pos - 48)
    window = text[lo:pos]
    w = window.rstrip(" \t:")
    low = w.lower()
    if low.endswith("số"):
        w = w[:-2].rstrip(" \t")
        low = low[:-2].rstrip(" \t")
    if low.endswith("liên tịch") and not low.endswith("thông tư liên tịch"):
        w = w[:-9].rstrip(" \t")
        low = low[:-9].rstrip(" \t")
    last = low.rsplit(None, 1)[-1] if low else ""
    for noun in g.nouns_by_last_word.get(last, ()):
        if low.endswith(noun):
            i = len(low) - len(noun)
            if i and low[i - 1].isalnum():
                continue
            return lo + i, g.noun_to_type[noun]
    if window.rstrip(" \t").endswith("số"):
        lo = max(0, pos - 100)
        m = g.law_before.search(text, lo, pos)
        if m and (m.start() == 0 or not text[m.start() - 1].isalnum()):
            return m.start(), g.law_types[m.group("noun")]
    return None


def form_code_before(text: str, pos: int) -> bool:
    """'Mẫu số 04/SS': the number is a form or appendix code, not a document."""
    low = text[max(0, pos - 24):pos].rstrip(" \t:").lower()
    for w in grammar().not_before:
        if low.endswith(w) and (len(low) == len(w) or not low[-len(w) - 1].isalnum()):
            return True
    return False
