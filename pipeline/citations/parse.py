"""Find citations in a normalised string and read their fields (type, number, key, date,
issuer, term, title). Context is read with anchored matches at known offsets, so the cost is
one scan of the text plus a few short matches per citation."""
from __future__ import annotations

import bisect
import datetime as dt
from functools import lru_cache
import re
from dataclasses import dataclass, field
from typing import Optional

from ..resources import load
from .grammar import (DATE_NUMERIC, DATE_WORDS, ISSUER_HEAD, NUMBER, QUOTE, ROMAN,
                      TERM, TITLE_ABOUT, TITLE_END, WORD, YEAR_AFTER, BARE_NUMBER, fold,
                      form_code_before, grammar, noun_before)



@dataclass
class Found:
    """A citation as read from the text, before resolution against the document."""

    start: int
    end: int                 # end of the surface (noun … number … date … issuer … term)
    num_start: int
    num_end: int
    key: Optional[str]
    type: Optional[str]
    number: Optional[str]
    year: Optional[int]
    symbol: Optional[str]
    family: str              # party | state | letter | normative | short
    date: Optional[str] = None
    date_text: Optional[str] = None
    issuer: Optional[str] = None
    issuer_raw: Optional[str] = None
    issuer_from_symbol: Optional[str] = None
    term: Optional[str] = None
    title: Optional[str] = None
    noun_type: Optional[str] = None
    extent_end: int = 0      # end including the title (for chain detection)
    short_form: bool = False
    relation: str = "mentions"
    chained: bool = False
    notes: list = field(default_factory=list)


def canonical_number(num: str) -> str:
    """Official numbers below 10 carry a leading zero (NĐ 30/2020); extra zeros are typos.
    A letter suffix (225A) is kept."""
    suffix = num[-1] if num[-1:].isalpha() else ""
    n = int(num[:-1] if suffix else num)
    return f"{n:02d}{suffix}"


def _case_part(part: str) -> str:
    g = grammar()
    return g.symbol_case.get(fold(part), part)


def _type_code(part: str) -> Optional[str]:
    g = grammar()
    return g.type_codes.get(part) or g.type_codes.get(part.upper()) or g.type_codes.get(fold(part))


def _parts(sym: str) -> list[str]:
    return [p.strip() for p in sym.replace("/", "-").split("-") if p.strip()]


def parse_number(m: re.Match) -> dict:
    """Typed fields and canonical key of one NUMBER match."""
    g = grammar()
    num = canonical_number(m.group("num"))
    if m.group("nsym"):
        parts = [_case_part(p) for p in _parts(m.group("nsym"))]
        year = int(m.group("nyear"))
        symbol = "-".join(parts)
        first = parts[0]
        typ = None if re.match(r"^(QH|UBTVQH)\d*$", first) else _type_code(first) or first
        return {"key": f"{num}/{year}/{symbol}", "type": typ, "number": num, "year": year,
                "symbol": symbol, "family": "normative",
                # one issuer code (TT-BGDĐT, QH13); joint documents (TTLT-A-B-C) name several
                "issuer_code": parts[-1] if len(parts) <= 2 else None}
    if m.group("ptype"):
        typ = _type_code(m.group("ptype")) or m.group("ptype")
        issuer = "-".join(_case_part(p) for p in _parts(m.group("pissuer")))
        if fold(issuer) not in g.party_issuers and fold(re.sub(r"\d+$", "", issuer)) in g.state_codes:
            # a state number written in Party layout (68-NQ/CP → 68/NQ-CP)
            return {"key": f"{num}/{typ}-{issuer}", "type": typ, "number": num, "year": None,
                    "symbol": f"{typ}-{issuer}", "family": "state", "issuer_code": issuer}
        return {"key": f"{num}-{typ}/{issuer}", "type": typ, "number": num, "year": None,
                "symbol": f"{typ}/{issuer}", "family": "party", "issuer_code": issuer}
    if m.group("osym"):
        # pre-2000s numbering N-ISSUER (275-CP, 75-HĐBT) or N-TYPE (127-SL): the type comes
        # from the noun before it
        parts = [_case_part(p) for p in _parts(m.group("osym"))]
        typ = _type_code(parts[0])
        if typ and len(parts) == 2:
            # a slash written as a hyphen: 68-NQ-TW is 68-NQ/TW, 15-QĐ-UBND is 15/QĐ-UBND
            if fold(parts[1]) in g.party_issuers:
                return {"key": f"{num}-{typ}/{parts[1]}", "type": typ, "number": num,
                        "year": None, "symbol": f"{typ}/{parts[1]}", "family": "party",
                        "issuer_code": parts[1]}
            return {"key": f"{num}/{typ}-{parts[1]}", "type": typ, "number": num, "year": None,
                    "symbol": f"{typ}-{parts[1]}", "family": "state", "issuer_code": parts[1]}
        symbol = "-".join(parts)
        typ = typ if len(parts) == 1 else None
        return {"key": f"{num}-{symbol}", "type": typ, "number": num, "year": None,
                "symbol": symbol, "family": "old", "issuer_code": parts[-1]}
    parts = [_case_part(p) for p in _parts(m.group("ssym"))]
    typ = _type_code(parts[0])
    if typ and len(parts) == 2 and fold(parts[1]) in g.party_issuers:
        # swapped separators (91/KL-TW) or state layout of a Party number (31/QĐ-TW)
        issuer = parts[1]
        return {"key": f"{num}-{typ}/{issuer}", "type": typ, "number": num, "year": None,
                "symbol": f"{typ}/{issuer}", "family": "party", "issuer_code": issuer}
    symbol = "-".join(parts)
    if typ and len(parts) >= 2:
        # TYPE-ISSUER or TYPE-ISSUER-UNIT (QĐ-BCA-QLXNC: the unit drafts, the ministry issues);
        # joint documents (TTLT-A-B, NQLT-A-B) name several issuers
        joint = typ.endswith("LT") or parts[0].upper().endswith("LT")
        return {"key": f"{num}/{symbol}", "type": typ, "number": num, "year": None,
                "symbol": symbol, "family": "state",
                "issuer_code": parts[1] if len(parts) == 2 or not joint else None}
    # official letter (công văn): N/ISSUER-UNIT, the first group is not a type code
    return {"key": f"{num}/{symbol}", "type": "CV" if len(parts) >= 2 else None, "number": num,
            "year": None, "symbol": symbol, "family": "letter", "issuer_code": parts[0]}


def make_date(d: str, m: str, y: str) -> Optional[str]:
    """ISO date, or None when the written date is impossible (30/5/20219, 23/20/2020)."""
    if len(y) != 4:
        return None
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def spell(s: str) -> str:
    g = grammar()
    return " ".join(g.spelling.get(w, w) for w in s.split())


def expand_issuer(raw: str) -> str:
    """'UBND tỉnh Lai Châu' → 'Ủy ban nhân dân tỉnh Lai Châu'; old tone placement modernised."""
    g = grammar()
    words = []
    for w in raw.split():
        words.append(g.abbreviations.get(w, w))
    out = spell(" ".join(words))
    out = out[:1].upper() + out[1:] if out else out
    return g.canonical.get(out, out)


def read_issuer(text: str, pos: int, after_date: bool = False) -> tuple[Optional[str], int]:
    """An issuer phrase after 'của'/'do' at `pos`: capitalised words and the fixed lowercase
    parts of body names ('Ủy ban nhân dân tỉnh Lai Châu'); stops at verbs and 'về'."""
    g = grammar()
    m = ISSUER_HEAD.match(text, pos)
    if m:
        p = m.end()
    elif after_date:
        p = pos + len(text[pos:pos + 4]) - len(text[pos:pos + 4].lstrip(" ,\t"))
        if not text.startswith(g.heads_without_cua, p):
            return None, pos
    else:
        return None, pos
    cm = _CONFERENCE.match(text, p)
    if cm:
        p = cm.end()  # 'của Hội nghị lần thứ sáu Ban Chấp hành Trung ương': the Committee issues
    words: list[tuple[str, int]] = []
    limit = len(text)
    while len(words) < 14 and p < limit:
        wm = WORD.match(text, p)
        if not wm:
            break
        w = wm.group(0)
        cut = _glued_at(w)
        if cut and words:
            # 'Bộ trưởngBộ Giáo dục': two words a lost space glued; the body is the second
            words = []
            p += cut
            continue
        phrase = _issuer_phrase(text, p, w) if words or w in g.issuer_phrases else None
        if phrase:
            # 'Y tế', 'Bộ trưởng', 'Tòa án nhân dân tối cao': lowercase words inside a body name
            off = p
            for pw in phrase.split(" "):
                words.append((pw, off + len(pw)))
                off += len(pw) + 1
            p += len(phrase)
            if p < limit and text[p] == " ":
                p += 1
                continue
            break
        if (words and w[:1].isupper() and w[1:2].islower()
                and text[p:p + 20].lower().startswith(g.title_starts)):
            break  # 'của Thủ tướng Chính phủ Quy định tiêu chuẩn ...': the title begins
        core = w.rstrip(".⁰¹²³⁴⁵⁶⁷⁸⁹")
        ends_here = core != w and w not in g.abbreviations
        w = core if ends_here else w
        if not w:
            break
        lw = w.lower()
        first = w[:1]
        if first.isdigit() and (not w.isdigit() or len(w) > 3 or text[wm.end() + 1:wm.end() + 2].isdigit()):
            break  # 'Quân khu 4' continues a name; table cells ('Cần Thơ 128 3.000259') do not
        is_cap = first.isupper() or first.isdigit() and bool(words)
        if not words:
            if not (first.isupper() or w in g.abbreviations):
                return None, pos
        elif lw == "và":
            nxt = WORD.match(text, wm.end() + 1) if wm.end() < limit and text[wm.end()] == " " else None
            if not nxt or not nxt.group(0)[:1].isupper() or _is_noun_start(text, nxt.start()):
                break
        elif w == "-":
            pass
        elif lw == "ban" and text.startswith(" hành", wm.end()):
            break  # 'ban hành' (issues), not 'Ủy ban'
        elif not is_cap and (lw in g.stop_words or lw not in g.continuation):
            break
        words.append((w, wm.start() + len(w)))
        if ends_here:
            break
        p = wm.end()
        if p < limit and text[p] == " ":
            p += 1
        elif p < limit and text[p] == "\n" and _continues_below(text, p + 1, words):
            p += 1  # 'của Bộ⏎Chính trị': a name broken over a line
        else:
            break
    while words and (words[-1][0].lower() in ("và", "-", "&") or ROMAN.match(words[-1][0]) and len(words) > 1
                     and words[-2][0].lower() in ("khóa", "khoá")):
        words.pop()
    if not words:
        return None, pos
    raw = " ".join(w for w, _ in words)
    if raw in _not_alone():
        # 'của Bộ', 'của Bộ Chính': a head that cannot stand alone (a name cut by a page break
        # or a bad crawl) is no issuer; unknown stays null, not 'Bộ'
        return None, pos
    return raw, words[-1][1]


_CONFERENCE = re.compile(r"Hội[ \t]nghị(?:[ \t]+(?:lần[ \t]+thứ|Trung[ \t]+ương)[ \t]+[^\s,;]{1,10})*[ \t\n]+"
                         r"(?=Ban[ \t\n]+Chấp[ \t\n]+hành|BCH)")


def _glued_at(w: str) -> int:
    """Where a capitalised word begins inside `w` after three lowercase letters ('trưởngBộ' → 6),
    else 0. Symbols such as 'ThU' or 'TTg' never have three lowercase letters first."""
    for i in range(3, len(w) - 1):
        if w[i].isupper() and w[i + 1].islower() and w[i - 3:i].isalpha() and w[i - 3:i].islower():
            return i
    return 0


@lru_cache(maxsize=1)
def _not_alone() -> frozenset:
    return frozenset(load("issuers")["issuer_line_breaks"]["not_alone"])


@lru_cache(maxsize=1)
def _line_break_cues() -> tuple[frozenset, frozenset]:
    b = load("issuers")["issuer_line_breaks"]
    return frozenset(b["open_heads"]), grammar().continuation


def _continues_below(text: str, pos: int, words: list) -> bool:
    """Whether the issuer name goes on on the next line: it cannot stop where it is ('Bộ',
    'Ủy ban nhân'), or the next line opens with a lowercase word that continues names."""
    if text[pos:pos + 1] in ("", "\n", "-", "+", "*", "•"):
        return False
    heads, continuation = _line_break_cues()
    so_far = " ".join(w for w, _ in words)
    if any(so_far == h or so_far.endswith(" " + h) for h in heads):
        return True
    nxt = WORD.match(text, pos)
    return bool(nxt) and nxt.group(0)[:1].islower() and nxt.group(0).lower() in continuation


def _issuer_phrase(text: str, pos: int, word: str) -> Optional[str]:
    """A multi-word part of a body name starting at `pos` (issuers.json issuer_phrases)."""
    g = grammar()
    cands = g.issuer_phrases.get(word)
    if not cands and word in g.spelling:
        cands = g.issuer_phrases.get(g.spelling[word])
    if not cands:
        return None
    for ph in cands:
        end = pos + len(ph)
        seg = text[pos:end]
        if seg != ph:
            low = seg.lower()
            if low != ph.lower() and not (
                    _OLD_SPELLING.search(low)
                    and spell(low.replace(",", " ,")).replace(" ,", ",") == ph.lower()):
                continue
        if end >= len(text) or not text[end].isalnum():
            return ph
    return None


_OLD_SPELLING = re.compile("|".join(sorted({re.escape(k.lower()) for k in load("issuers")["spelling"]},
                                           key=len, reverse=True)))


def _is_noun_start(text: str, pos: int) -> bool:
    window = text[pos:pos + 40].lower()
    return any(window.startswith(n) for n in grammar().nouns_longest_first)


def read_title(text: str, pos: int) -> tuple[Optional[str], int]:
    m = QUOTE.match(text, pos)
    if m:
        return m.group("q").strip(), m.end()
    m = TITLE_ABOUT.match(text, pos)
    if not m:
        return None, pos
    start = m.end()
    stop = TITLE_END.search(text, start, min(len(text), start + 600))
    end = stop.start() if stop else min(len(text), start + 600)
    title = text[start:end].strip().strip(",").strip()
    return (title or None), end


def symbol_issuer(info: dict) -> Optional[str]:
    """The body a symbol names by itself (QĐ-TTg → Thủ tướng Chính phủ); None when generic."""
    code = info.get("issuer_code") or ""
    code = re.sub(r"\d+$", "", code)
    g = grammar()
    return g.symbol_issuers.get(code) or g.local_symbol_issuers.get(code)


def _bad_left_boundary(text: str, i: int) -> bool:
    """A number glued to a word, another number, '/', '.' or '-' is part of something else
    (a date, an amount, a longer symbol); 'số31-QĐ/TW' is the one glued form that counts."""
    if i == 0:
        return False
    ch = text[i - 1]
    if ch.isalnum() or ch in "/.-_:":
        return not (text[i - 2:i] in ("số", "Số", "SỐ") and not (i > 2 and text[i - 3].isalnum()))
    return False


def find_citations(text: str) -> list[Found]:
    """Full citations (with a number and symbol) in reading order."""
    g = grammar()
    out: list[Found] = []
    for m in NUMBER.finditer(text):
        if _bad_left_boundary(text, m.start()) or form_code_before(text, m.start()):
            continue
        info = parse_number(m)
        start = m.start()
        noun_type = None
        nb = noun_before(text, start)
        if nb:
            start, noun_type = nb
        typ = info["type"]
        if info["family"] == "old":
            if noun_type is None:
                continue
            typ = noun_type
        elif info["family"] == "letter":
            if noun_type is None and "-" not in info["symbol"] \
                    and fold(re.sub(r"\d+$", "", info["symbol"])) not in g.known_codes \
                    and not DATE_NUMERIC.match(text, m.end()) and not DATE_WORDS.match(text, m.end()):
                # a bare N/WORD with no noun and no date: a form, a page ('10/Kan', '01/TTS');
                # '3996/QĐUBND ngày 02/10/2019' stays
                continue
            # 'Văn bản số 9700/STC-ĐTTĐ': the generic noun before a letter's number
            typ = noun_type if noun_type not in (None, "VB") else "CV"
        elif typ is None or (noun_type and info["family"] == "normative"
                             and typ not in g.type_codes):
            typ = noun_type  # '0909/2025/TAEK/CT' after 'công văn': TAEK is no type code
        elif noun_type == "CV" and info["family"] == "state":
            # 'Công văn 4613/CT-CS': a letter's symbol is ISSUER-UNIT, so CT is the issuer
            # (Cục Thuế), not a type code
            typ = "CV"
            info = dict(info, issuer_code=info["symbol"].split("-", 1)[0])
        f = Found(start=start, end=m.end(), num_start=m.start(), num_end=m.end(), key=info["key"],
                  type=typ, number=info["number"], year=info["year"], symbol=info["symbol"],
                  family=info["family"], noun_type=noun_type)
        f.issuer_from_symbol = symbol_issuer(info)
        pos = m.end()
        dm = DATE_NUMERIC.match(text, pos) or DATE_WORDS.match(text, pos)
        if dm:
            f.date_text = dm.group(0).strip(" ,\t")
            f.date = make_date(dm.group("d"), dm.group("m"), dm.group("y"))
            pos = dm.end()
        else:
            ym = YEAR_AFTER.match(text, pos)
            if ym and (f.year is None or f.year == int(ym.group("y"))):
                f.year = int(ym.group("y"))
                pos = ym.end()
        raw, ipos = read_issuer(text, pos, after_date=bool(dm))
        if raw and f.issuer_from_symbol in g.national_bodies:
            # NĐ-CP is the Government's whatever follows: '131/2021/NĐ-CP do Ủy ban nhân dân
            # cấp xã chuyển đến' names who sends it, not who issued it
            low, nat = expand_issuer(raw).lower(), f.issuer_from_symbol.lower()
            if nat not in low and low not in nat:
                raw = None
        if raw:
            f.issuer_raw = raw
            f.issuer = expand_issuer(raw)
            pos = ipos
            if f.date is None and not dm:
                dm = DATE_NUMERIC.match(text, pos) or DATE_WORDS.match(text, pos)
                if dm:
                    f.date_text = dm.group(0).strip(" ,\t")
                    f.date = make_date(dm.group("d"), dm.group("m"), dm.group("y"))
                    pos = dm.end()
        tm = TERM.match(text, pos)
        if tm:
            f.term = tm.group("term").upper()
            pos = tm.end()
        f.end = pos
        title, tpos = read_title(text, pos)
        f.title = title
        f.extent_end = tpos if title else pos
        if f.year is None and f.date:
            f.year = int(f.date[:4])
        out.append(f)
    return out


def find_short_forms(text: str, full: list[Found]) -> list[Found]:
    """'Đề án số 03', 'Nghị quyết 29': a type noun and a bare number, kept only when the number
    belongs to exactly one document of that type cited in full in this text."""
    by_type_num: dict[tuple, set] = {}
    for f in full:
        if f.key and f.type and f.number:
            by_type_num.setdefault((f.type, f.number), set()).add(f.key)
    if not by_type_num:
        return []
    unique = {k: next(iter(keys)) for k, keys in by_type_num.items() if len(keys) == 1}
    if not unique:
        return []
    taken = sorted((f.start, f.end) for f in full)
    starts = [s for s, _ in taken]
    out = []
    numbers = {int(n) for _, n in unique if n.isdigit()}
    for m in BARE_NUMBER.finditer(text):
        if int(m.group(0)) not in numbers:
            continue
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "/.-"):
            continue
        nb = noun_before(text, m.start())
        if not nb:
            continue
        start, typ = nb
        number = canonical_number(m.group(0))
        key = unique.get((typ, number))
        if key is None:
            continue
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and taken[i][0] <= start < taken[i][1]:
            continue
        out.append(Found(start=start, end=m.end(), num_start=m.start(), num_end=m.end(),
                         key=key, type=typ, number=number, year=None, symbol=None,
                         family="short", noun_type=typ, extent_end=m.end(), short_form=True))
    return out
