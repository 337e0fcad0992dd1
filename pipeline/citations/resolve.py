"""Resolve what a citation leaves implicit, using the rest of the same document:
coordinated lists share a trailing issuer, later short mentions take the fields of the full
one, relative issuers ('UBND thành phố', 'Tỉnh ủy') take the place name the document states,
and symbols that name one national body (NĐ-CP, QĐ-TTg) give the issuer when the text does not.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Optional

from ..domain import UNIT_OF_COMMITTEE
from ..resources import load
from .grammar import UPPER
from .parse import Found, expand_issuer, read_issuer

# 'thành phố Hà⏎Nội' is one name: a line break may fall after the first syllable only
NAME = rf"[{UPPER}][\w]*(?:[ \n][{UPPER}][\w]*)?(?: [{UPPER}][\w]*){{0,2}}"
# no leading \b: patterns that open with literals let the engine skip ahead in C
_PLACE = re.compile(rf"(tỉnh|thành phố|huyện|quận|thị xã|thị trấn|phường) ({NAME})")
_COMMITTEE_NAME = re.compile(rf"(Tỉnh [uủ]ỷ?|Thành [uủ]ỷ?|Huyện [uủ]ỷ?|Quận [uủ]ỷ?|Thị [uủ]ỷ?) ({NAME})")
# 'Thành phố' capitalised is how Hà Nội's and Hồ Chí Minh City's own documents name the city
_BARE_UNIT = re.compile(r"(?:^|\s)([tT]ỉnh|[tT]hành phố|huyện|quận|thị xã|thị trấn|phường)$")
_BARE_COMMITTEE = re.compile(r"(?:^|\s)(Tỉnh ủy|Thành ủy|Huyện ủy|Quận ủy|Thị ủy)$")
_COORD_GAP = re.compile(r"^\s*(?:,|và|,\s*và|;)?\s*$")
# words that start a place-looking phrase but are not names ("tỉnh Về", sentence starts)
_NOT_NAMES = {"Về", "Và", "Của", "Theo", "Trong", "Tại"}


def place_names(text: str, own_issuer: Optional[str], own_place: Optional[str]) -> dict[str, str]:
    """unit → the one place name the document gives it ('thành phố' → 'Lai Châu').

    A unit is resolved only when one name makes up at least 80% of the places the document
    names with it; two provinces named equally often stay ambiguous (left out).
    """
    names: dict[str, Counter] = defaultdict(Counter)
    sources = [text]
    if own_issuer:
        sources.append(own_issuer)
    for src in sources:
        for m in _PLACE.finditer(src):
            if m.start() and src[m.start() - 1].isalnum():
                continue
            name = _trim_name(m.group(2))
            if name:
                names[m.group(1)][name] += 1
        for m in _COMMITTEE_NAME.finditer(src):
            unit = UNIT_OF_COMMITTEE.get(_modern(m.group(1)))
            name = _trim_name(m.group(2))
            if unit and name:
                names[unit][name] += 1
    out = {}
    for unit, counter in names.items():
        name, n = counter.most_common(1)[0]
        if n >= 0.8 * sum(counter.values()):
            out[unit] = name
    return out


def _modern(s: str) -> str:
    return s.replace("uỷ", "ủy").replace("Uỷ", "Ủy").replace(" uy", " ủy")


def _trim_name(name: str) -> Optional[str]:
    words = name.split()
    while words and words[0] in _NOT_NAMES:
        words.pop(0)
    # a place name is at most three syllables in practice; stop at a body word
    out = []
    for w in words[:3]:
        if w in ("Ủy", "Uỷ", "Hội", "Ban", "Sở", "Phòng", "Đảng", "Nghị", "Kế", "Quyết", "Chỉ",
                 "Thông", "Công", "Kết", "Đề"):
            break
        out.append(w)
    return " ".join(out) or None


def complete_relative(issuer: str, places: dict[str, str]) -> str:
    """'Ủy ban nhân dân thành phố' + {thành phố: Lai Châu} → '… thành phố Lai Châu'."""
    m = _BARE_UNIT.search(issuer)
    if m and m.group(1).lower() in places:
        unit = m.group(1).lower()
        return f"{issuer[:m.start(1)]}{unit} {places[unit]}"
    m = _BARE_COMMITTEE.search(issuer)
    if m and UNIT_OF_COMMITTEE[m.group(1)] in places:
        return f"{issuer} {places[UNIT_OF_COMMITTEE[m.group(1)]]}"
    return issuer


def share_coordinated(text: str, cits: list[Found]) -> None:
    """'NQ 88/2014/QH13 và NQ 51/2017/QH14 của Quốc hội': earlier members take the issuer
    (and term) stated once after the last member of the list."""
    for i in range(len(cits) - 2, -1, -1):
        a, b = cits[i], cits[i + 1]
        if a.issuer or a.short_form or b.short_form or not b.issuer or a.type != b.type:
            continue
        if (a.date_text is None and b.date_text is None
                and _COORD_GAP.match(text[a.end:b.start])):
            a.issuer, a.issuer_raw = b.issuer, b.issuer_raw
            a.term = a.term or b.term
            a.notes.append("issuer shared from coordinated list")


def fill_from_full_mentions(cits: list[Found]) -> None:
    """Later short mentions ('Kết luận số 91-KL/TW') take date/issuer/year from the full one.
    Fields are copied only when all full mentions of that key agree."""
    by_key: dict[str, list[Found]] = defaultdict(list)
    for c in cits:
        if c.key:
            by_key[c.key].append(c)
    for key, group in by_key.items():
        for fld in ("date", "issuer", "year", "term", "title", "type"):
            values = {getattr(c, fld) for c in group if getattr(c, fld) is not None}
            if len(values) == 1:
                v = next(iter(values))
                for c in group:
                    if getattr(c, fld) is None:
                        setattr(c, fld, v)


def issuer_before(text: str, cits: list[Found]) -> None:
    """'Theo đề nghị của Giám đốc Sở Tài chính tại Tờ trình số 252/TTr-STC': a citation with no
    issuer after it takes the one named right before it (models/issuers.json `issuer_before`)."""
    rule = load("issuers")["issuer_before"]
    between = tuple(rule["between"])
    span = int(rule["max_chars"])
    for c in cits:
        if c.issuer or c.short_form:
            continue
        lo = max(0, c.start - span)
        at = text.rfind(" của", lo, c.start)
        if at < 0:
            continue
        raw, end = read_issuer(text, at)
        if raw and text[end:c.start].strip(" \n\t,") in between:
            c.issuer_raw, c.issuer = raw, expand_issuer(raw)
            c.notes.append("issuer named before the citation")


def complete_department(issuer: str, places: dict[str, str]) -> str:
    """'Sở Tài chính' + {tỉnh: Đắk Lắk} → 'Sở Tài chính tỉnh Đắk Lắk': a department belongs to
    its province (or centrally-run city); completed only when the document names one."""
    d = load("issuers")["departments"]
    if not issuer.startswith(tuple(d["heads"])) or _PLACE.search(issuer) or _BARE_UNIT.search(issuer):
        return issuer
    if "tỉnh" in places:
        return f"{issuer} tỉnh {places['tỉnh']}"
    city = places.get("thành phố")
    if city in d["central_cities"]:
        return f"{issuer} thành phố {city}"
    return issuer


def resolve(text: str, cits: list[Found], own_issuer: Optional[str],
            own_place: Optional[str]) -> None:
    issuer_before(text, cits)
    share_coordinated(text, cits)
    places = None  # scanning the document for its places costs a pass: only when needed
    heads = tuple(load("issuers")["departments"]["heads"])
    relative = [c for c in cits if c.issuer and (_BARE_UNIT.search(c.issuer)
                                                 or _BARE_COMMITTEE.search(c.issuer)
                                                 or c.issuer.startswith(heads))]
    if relative:
        places = place_names(text, own_issuer, own_place)
        for c in relative:
            c.issuer = complete_department(complete_relative(c.issuer, places), places)
    fill_from_full_mentions(cits)
    symbol_only = [c for c in cits if c.issuer is None and c.issuer_from_symbol]
    for c in symbol_only:
        c.issuer = c.issuer_from_symbol
    if symbol_only and any(c.short_form and c.issuer is None for c in cits):
        fill_from_full_mentions(cits)  # 'Quyết định 2919' takes the issuer its symbol gave
    if any(_BARE_UNIT.search(c.issuer) for c in symbol_only):
        if places is None:
            places = place_names(text, own_issuer, own_place)
        for c in symbol_only:
            c.issuer = complete_relative(c.issuer, places)
