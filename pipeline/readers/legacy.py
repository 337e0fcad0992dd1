"""Legacy Vietnamese font encodings (TCVN3 'ABC', VNI Windows, Windows-1258) read back as Unicode.

Before Unicode, Vietnamese text was typed in 8-bit fonts: the file holds Latin-1 bytes that a
`.VnTime` (TCVN3) or `VNI-Times` (VNI) font draws as Vietnamese letters. Read as Unicode such text
is mojibake ("Céng hßa x· héi", "Coäng hoøa xaõ hoäi") in which no citation or date can be found.
The tables are data (`models/legacy_encodings.json`); this module decides which encoding a text is
in and converts it.

Deciding: the font name when the file has one (DOCX runs); otherwise the text itself: each
candidate conversion is scored by the share of its words that are among the commonest syllables of
administrative Vietnamese, and a candidate wins only when it is clearly better than the text as it
stands. A text that is neither valid UTF-8 nor clearly one of the encodings is refused with a
reason (`undecided`), never passed on as mojibake.

TCVN3 has no codes for capitals with tone marks: documents draw them with an '…H' font over the
lower-case codes. In a DOCX the font says so; in a plain text file the capitals are restored from
their word (a word whose other letters are capitals) and from their line (a heading in capitals).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Optional

from ..resources import load

TCVN3, VNI, CP1258 = "tcvn3", "vni", "cp1258"

# Latin-1 characters that are not Vietnamese letters: plentiful in TCVN3/VNI text read as Unicode,
# rare in real Vietnamese. Only a text with many of them is examined further (cheap on the hot path).
_TELLTALE = re.compile(
    "[\u00a1-\u00bf\u00c4-\u00c8\u00cb\u00ce-\u00d1\u00d6-\u00d8\u00db\u00dc\u00de-\u00df"
    "\u00e4-\u00e8\u00eb\u00ee-\u00f1\u00f6-\u00f8\u00fb\u00fc\u00fe]")
_WORD = re.compile(r"[^\W\d_]+")
_MIN_TELLTALES = 8
_SAMPLE = 20_000          # characters scored per candidate
_MIN_SCORE = 0.12         # a real Vietnamese text has 25-45% of its words among the common syllables
_MARGIN = 0.08            # and the winner must beat the text as it stands by this much


@lru_cache(maxsize=1)
def _tables() -> dict:
    data = load("legacy_encodings")
    tcvn = {int(k, 16): v for k, v in data["tcvn3"].items() if not k.startswith("_")}
    vni = data["vni"]
    pairs: dict[str, str] = {}
    for group, bases in (("tone", "aeiouyAEIOUYôöÔÖ"), ("circumflex", "aeoAEO"), ("breve", "aA")):
        for mark, combining in vni[group].items():
            if mark.startswith("_"):
                continue
            add = {"circumflex": "\u0302", "breve": "\u0306"}.get(group, "")
            for base in bases:
                letter = vni["singles"].get(base.lower(), base.lower())
                if letter in "ơư" and group != "tone":
                    continue
                composed = unicodedata.normalize("NFC", letter + add + combining)
                composed = composed.upper() if base.isupper() else composed
                for m in {mark, mark.upper()}:
                    pairs[base + m] = composed
    singles = {k: v for k, v in vni["singles"].items()}
    singles.update({k.upper(): v.upper() for k, v in vni["singles"].items()})
    # longest first: "ôù" (ớ) before "ô" (ơ)
    alternation = sorted(pairs, key=len, reverse=True) + sorted(singles)
    vni_re = re.compile("|".join(re.escape(a) for a in alternation))
    vni_map = {**singles, **pairs}
    fonts = {k: tuple(v) for k, v in data["fonts"].items() if not k.startswith("_")}
    # codes of letters whose capital has no code of its own (vowels with a tone mark)
    toned = frozenset(chr(c) for c, letter in tcvn.items()
                      if letter.islower() and letter.upper() not in tcvn.values())
    names = data["tcvn3_proper_names"]
    proper = re.compile(r"\b(?:" + "|".join(
        [re.escape(n) + r"\b" for n in names["names"]]
        + [re.escape(n) + r"(?= [A-ZĐÂĂÊÔƠƯ])" for n in names["before_capital"]]) + ")")
    return {"tcvn3": tcvn, "toned_codes": toned, "proper_names": proper,
            "vni_re": vni_re, "vni_map": vni_map, "fonts": fonts,
            "common": frozenset(data["common_syllables"])}


# ------------------------------------------------------------------ conversion

def tcvn3_to_unicode(text: str, capitals: bool = False) -> str:
    """TCVN3 codes → letters. `capitals`: the text was drawn in an '…H' font (all capitals)."""
    out = text.translate(_tables()["tcvn3"])
    return out.upper() if capitals else out


def vni_to_unicode(text: str) -> str:
    t = _tables()
    return t["vni_re"].sub(lambda m: t["vni_map"][m.group(0)], text)


def convert(text: str, encoding: str, capitals: bool = False) -> str:
    if encoding == TCVN3:
        return tcvn3_to_unicode(text, capitals)
    if encoding == VNI:
        return vni_to_unicode(text)
    raise ValueError(f"unknown legacy encoding {encoding!r}")


def font_encoding(font: Optional[str]) -> Optional[tuple[str, bool]]:
    """(encoding, capitals) a DOCX font name implies: '.VnTime' → ('tcvn3', False),
    '.VnTimeH' → ('tcvn3', True), 'VNI-Times' → ('vni', False); None for a Unicode font."""
    if not font:
        return None
    name = font.strip().lower()
    for enc, prefixes in _tables()["fonts"].items():
        if name.startswith(prefixes):
            return enc, enc == TCVN3 and name.endswith("h")
    return None


# ------------------------------------------------------------------ capitals of TCVN3 plain text

_SENTENCE_END = re.compile(r"[.!?:]\s*$")
_CELLS = re.compile(r"[^|\t]+")  # a table row's cells are read apart ('Số: 12/KH | CỘNG HÒA ...')


def _restore_capitals(converted: str, original: str) -> str:
    """Capitals lost by TCVN3 plain text: a converted letter inside a word in capitals
    ('CéNG' → 'CỘNG', 'ñY' → 'ỦY'), the words of a line or table cell written in capitals, and a
    sentence's first letter when it is a vowel with a tone mark, which has no capital code
    ('ñy ban' at a sentence start → 'Ủy ban')."""
    toned = _tables()["toned_codes"]
    out_lines = []
    prev_ended = True
    for line, orig in zip(converted.split("\n"), original.split("\n")):
        pieces, last = [], 0
        for cell in _CELLS.finditer(line):
            words = list(_WORD.finditer(line, cell.start(), cell.end()))
            kinds = [_ascii_caps(w.group(0)) for w in words]
            # evidence of a line in capitals: a word in capitals that is Vietnamese, not a
            # symbol's letters ('CỘNG', 'NHÂN'; not 'KH' or 'UBND')
            caps_cell = (False not in kinds and any(
                k and not w.group(0).isascii() for k, w in zip(kinds, words)))
            for i, (w, kind) in enumerate(zip(words, kinds)):
                word = w.group(0)
                if kind is True or (kind is None and caps_cell):
                    word = word.upper()
                elif (orig[w.start():w.start() + 1] in toned and word[:1].islower()
                      and (prev_ended if w.start() == len(line) - len(line.lstrip())
                           else bool(_SENTENCE_END.search(line[:w.start()])))):
                    word = word[:1].upper() + word[1:]
                pieces.append(line[last:w.start()])
                pieces.append(word)
                last = w.end()
        pieces.append(line[last:])
        out_lines.append("".join(pieces))
        if line.strip():
            prev_ended = bool(_SENTENCE_END.search(line))
    proper = _tables()["proper_names"]
    return proper.sub(lambda m: m.group(0)[:1].upper() + m.group(0)[1:], "\n".join(out_lines))


def _ascii_caps(word: str) -> Optional[bool]:
    """True: the word is in capitals ('CéNG', 'ñY': two ASCII capitals, or a capital after another
    letter, and no lower-case ASCII letter); False: it has a lower-case ASCII letter; None: it
    cannot tell ('Kế' and 'KẾ' are written alike; 'ë' has no ASCII letter)."""
    if any(c.isascii() and c.islower() for c in word):
        return False
    caps = [i for i, c in enumerate(word) if c.isascii() and c.isupper()]
    if len(caps) >= 2 or (caps and caps[-1] > 0):
        return True
    return None


# ------------------------------------------------------------------ deciding

def _score(text: str) -> float:
    common = _tables()["common"]
    words = _WORD.findall(text[:_SAMPLE].lower())
    if not words:
        return 0.0
    return sum(1 for w in words if w in common) / len(words)


def _candidates(text: str) -> dict[str, str]:
    sample = text[:_SAMPLE]
    return {TCVN3: _restore_capitals(tcvn3_to_unicode(sample), sample),
            VNI: vni_to_unicode(sample)}


def looks_legacy(text: str) -> bool:
    """Cheap first test: enough Latin-1 non-letters to be TCVN3/VNI text read as Unicode."""
    sample = text[:_SAMPLE]
    n = len(_TELLTALE.findall(sample))
    return n >= _MIN_TELLTALES and n >= 0.01 * len(sample)


def detect(text: str) -> Optional[str]:
    """'tcvn3' or 'vni' when `text` (already a str) is clearly that encoding read as Latin-1."""
    if not looks_legacy(text):
        return None
    here = _score(text)
    scored = {enc: _score(conv) for enc, conv in _candidates(text).items()}
    enc, best = max(scored.items(), key=lambda kv: kv[1])
    if best >= _MIN_SCORE and best >= here + _MARGIN:
        return enc
    return None


def repair(text: str) -> tuple[str, Optional[str]]:
    """(Unicode text, encoding found or None): a TCVN3/VNI text read as Unicode, converted."""
    enc = detect(text)
    return (text, None) if enc is None else (repair_as(text, enc), enc)


def repair_as(text: str, encoding: str) -> str:
    """A text known to be in `encoding` (read as Latin-1) as Unicode; TCVN3 capitals restored
    from their words and lines, as no font tells them."""
    if encoding == TCVN3:
        return _restore_capitals(tcvn3_to_unicode(text), text)
    return convert(text, encoding)


def decode_bytes(data: bytes) -> tuple[Optional[str], Optional[str]]:
    """Bytes that are not UTF-8: (text, encoding) for TCVN3, VNI or Windows-1258 when one is
    clearly right, else (None, None)."""
    latin = _windows(data)
    scored: dict[str, tuple[float, str]] = {}
    for enc, conv in _candidates(latin).items():
        scored[enc] = (_score(conv), enc)
    try:
        cp = unicodedata.normalize("NFC", data[:_SAMPLE * 2].decode("cp1258"))
        scored[CP1258] = (_score(cp), CP1258)
    except UnicodeDecodeError:
        pass
    best, enc = max(scored.values())
    second = max((s for s, e in scored.values() if e != enc), default=0.0)
    if best < _MIN_SCORE or best < second + _MARGIN:
        return None, None
    if enc == CP1258:
        return unicodedata.normalize("NFC", data.decode("cp1258")), enc
    return repair_as(latin, enc), enc


def _windows(data: bytes) -> str:
    """Windows-1252 (what Windows editors wrote such files in: “quotes” at 0x93), Latin-1 when a
    byte has no Windows-1252 meaning; the legacy tables sit in 0xA0-0xFF, the same in both."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# ------------------------------------------------------------------ writing (test fixtures)

def unicode_to_tcvn3(text: str) -> str:
    """Unicode → TCVN3 codes as a '.VnTime' text holds them (capitals with tone marks written with
    the lower-case codes, as an '…H' font would draw them). For test fixtures."""
    inv = {v: chr(k) for k, v in _tables()["tcvn3"].items()}
    text = unicodedata.normalize("NFC", text)
    return "".join(inv.get(c) or inv.get(c.lower(), c) for c in text)


def unicode_to_vni(text: str) -> str:
    """Unicode → VNI Windows bytes-as-characters. For test fixtures."""
    t = _tables()
    inv: dict[str, str] = {}
    for seq, letter in t["vni_map"].items():
        # a pair whose mark case matches its base's case is the form VNI keyboards type
        if len(seq) == 2 and seq[0].isupper() != seq[1].isupper():
            continue
        if letter not in inv or len(seq) < len(inv[letter]):
            inv[letter] = seq
    text = unicodedata.normalize("NFC", text)
    return "".join(inv.get(c, c) for c in text)
