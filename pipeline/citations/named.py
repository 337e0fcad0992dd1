"""Laws, codes, ordinances and the Constitution cited by name, and their resolution to numbers.

Plans and decrees cite laws by name far more often than by number ("Căn cứ Luật Tổ chức chính
quyền địa phương ngày 19 tháng 6 năm 2015", "Luật Giáo dục năm 2019"). A name with its adoption
year identifies one law, which we resolve to its number through, in order:
1. the same document stating that name with a number ("Luật Đất đai số 31/2024/QH15");
2. the gazetteer `models/laws.json` (name and year → number, built from real texts that state
   both, plus hand entries with their sources).
A name without a year takes the year the same document gives that name elsewhere ("Căn cứ Luật
Hải quan ngày 23 tháng 6 năm 2014; … Nghị định này quy định chi tiết Luật Hải quan"), else, in a
dated document, the law of that name in force at its date when the reviewed entries say which
(`_in_force`). The Constitution, a closed series, resolves the same way. Anything else stays a
named reference: never a guessed number.

An amending law named by what it amends ("Luật sửa đổi, bổ sung một số điều của Luật Cán bộ,
công chức và Luật Viên chức ngày 25 tháng 11 năm 2019") is one reference, not two.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Sequence

from ..resources import load
from .grammar import WORD
from .parse import Found

_SP = r"[ \t\xa0]"
_CLAUSE_BREAK = re.compile(r"[;\n]|\.\s")
# what may follow a name: its adoption date, 'năm YYYY', or a bare year
_DATE_AFTER = re.compile(
    _SP + r"{0,3},?" + _SP + r"{0,3}\(?(?:"
    r"(?:được Quốc hội[^.;\n]{0,60}?thông qua" + _SP + r"{1,3})?ngày" + _SP + r"{1,3}"
    r"(?P<d>\d{1,2})" + _SP + r"{1,3}tháng" + _SP + r"{1,3}(?P<m>\d{1,2})" + _SP + r"{1,3}năm"
    + _SP + r"{1,3}(?P<y>(?:19|20)\d\d)"
    r"|ngày" + _SP + r"{1,3}(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>(?:19|20)\d\d)"
    r"|năm" + _SP + r"{1,3}(?P<y3>(?:19|20)\d\d)"
    r"|(?P<y4>(?:19|20)\d\d)(?![\d/]))")
# 'Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam (năm 2013)', 'Hiến pháp năm 2013'
_CONSTITUTION = re.compile(
    r"Hiến pháp(?P<full>(?i:" + _SP + r"{1,3}nước" + _SP + r"{1,3}Cộng" + _SP + r"{1,3}h(?:òa|oà|oa)"
    + _SP + r"{1,3}xã" + _SP + r"{1,3}hội" + _SP + r"{1,3}chủ" + _SP + r"{1,3}nghĩa"
    + _SP + r"{1,3}Việt" + _SP + r"{1,3}Nam))?")
# the number part of a numbered law citation's surface: 'Luật Đất đai số 31/2024/QH15'
_NAME_BEFORE_NUMBER = re.compile(
    r"(?P<kind>Bộ luật|Luật|Pháp lệnh)" + _SP + r"+(?P<name>[^\n;:()]{2,120}?)" + _SP
    + r"*[,(]?" + _SP + r"*(?:số)?" + _SP + r"*$")
_NUMBER_NEXT = re.compile(_SP + r"*[,(]?" + _SP + r"*số" + _SP + r"*:?" + _SP + r"*\d")
_COMPOSITE_END = re.compile(r"[;.\n(]|" + _SP + r"(?:ngày|năm)" + _SP + r"|(?<!một)" + _SP
                            + r"số" + _SP + r"|" + _SP + r"(?:19|20)\d\d\b|,"
                            + _SP + r"(?:trong|theo|đã|được|có|thì|nay|là|với|gồm)\b")
# what an amending law's name goes on with: the laws it amends ('Luật sửa đổi, bổ sung một số
# điều của Luật Đất đai', 'Luật sửa đổi Luật Đấu thầu', '… một số điều của 10 luật')
_AMENDS_A_LAW = re.compile(r"[ \t\xa0,]*(?:bổ" + _SP + r"sung[ \t\xa0,]*)?(?:một" + _SP + r"số"
                           + _SP + r"điều" + _SP + r"(?:và[^;.\n]{0,80}?)?của" + _SP + r")?"
                           + r"(?:các" + _SP + r")?(?:\d{1,2}" + _SP + r"luật|Bộ" + _SP + r"luật|Luật|Pháp"
                           + _SP + r"lệnh)")
# law nouns before a word ('Luật Giáo dục', 'Bộ luật dân sự', 'Pháp lệnh Ưu đãi …'): patterns that
# open with a literal, so the engine's fast substring search finds the few places to look at
_LUAT = re.compile(r"uật[ \t]{1,3}(?=[^\W\d_])")
_PHAP_LENH = re.compile(r"Pháp lệnh[ \t]{1,3}(?=[^\W\d_])")
_AMENDING_TAIL = re.compile(r"sửa" + _SP + r"{1,3}đổi\b")


def _law_nouns(text: str):
    """(start, kind, offset of the name's first word) for each law noun, in order."""
    found = []
    for m in _LUAT.finditer(text, 1):
        i = m.start() - 1
        if text[i] == "L":
            found.append((i, "Luật", m.end()))
        elif text[i] == "l" and text[i - 3:i] == "Bộ ":
            found.append((i - 3, "Bộ luật", m.end()))
    for m in _PHAP_LENH.finditer(text):
        found.append((m.start(), "Pháp lệnh", m.end()))
    found.sort()
    return found
_KIND_TYPE = {"Bộ luật": "Luật", "Luật": "Luật", "Pháp lệnh": "PL", "Hiến pháp": "HP"}


def kind_of(name: str) -> str:
    """'Bộ luật Dân sự' → 'Bộ luật': the noun a name opens with."""
    return next((k for k in ("Bộ luật", "Pháp lệnh", "Hiến pháp") if name.startswith(k)), "Luật")


def name_key(name: str) -> str:
    """The form names are compared in: NFC, lowercase, no commas, single spaces ('Luật Trật tự
    an toàn giao thông đường bộ' is 'Luật Trật tự, an toàn giao thông đường bộ')."""
    return " ".join(unicodedata.normalize("NFC", name).lower().replace(",", " ").split())


@dataclass
class Named:
    """A document cited by name, as read; `key` once resolved."""

    kind: str                  # Luật | Bộ luật | Pháp lệnh | Hiến pháp
    name: str
    year: Optional[int]
    date: Optional[str]
    start: int
    end: int
    key: Optional[str] = None


@dataclass(frozen=True)
class _Gazetteer:
    by_name: dict              # name key → ((year, number, kind), …)
    names: Optional[re.Pattern]  # every known name, longest first, spaces as any white space
    constitutions: tuple       # ((adopted ISO date, year, key), …) in order
    full_laws: dict            # name key → ((adopted, year, number), …): reviewed whole laws


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    data = load("laws")
    by_name: dict = {}
    for e in data["laws"] + data.get("extra", []):
        by_name.setdefault(name_key(e["name"]), set()).add((e["year"], e["number"], e["kind"]))
    names = sorted({name_key(e["name"]) for e in data["laws"] + data.get("extra", [])},
                   key=len, reverse=True)
    sep = r",?" + _SP + r"{1,3}"  # the name key has no commas; the text may ('Phòng, chống')
    alternation = "|".join(sep.join(re.escape(w) for w in n.split()) for n in names)
    pattern = re.compile(r"(?:" + alternation + r")(?![\w])", re.I) if names else None
    cons = tuple(sorted((c["adopted"], c["year"], c["key"]) for c in data["constitutions"]))
    full: dict = {}
    for e in data.get("extra", []):
        if e.get("adopted"):
            full.setdefault(name_key(e["name"]), []).append((e["adopted"], e["year"], e["number"]))
    return _Gazetteer({k: tuple(sorted(v)) for k, v in by_name.items()}, pattern, cons,
                      {k: tuple(sorted(v)) for k, v in full.items()})


def _date_after(text: str, pos: int) -> tuple[Optional[int], Optional[str], int]:
    m = _DATE_AFTER.match(text, pos)
    if not m:
        return None, None, pos
    if m.group("y"):
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    elif m.group("y2"):
        y, mo, d = int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
    else:
        return int(m.group("y3") or m.group("y4")), None, m.end()
    date = f"{y}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None
    return y, date, m.end()


def _scan_name(text: str, pos: int, stop: frozenset) -> tuple[list[str], int]:
    """Words of a name from `pos`: until a predicate word, 'năm'/'ngày'/'số', a digit or
    punctuation; a comma followed by a lowercase word continues a short name ('Luật Phòng,
    chống tham nhũng')."""
    words: list[str] = []
    end = pos
    p = pos
    while len(words) < 12:
        wm = WORD.match(text, p)
        if not wm:
            break
        w = wm.group(0)
        lw = w.lower().rstrip(".?!")
        if lw in ("năm", "ngày") or w[:1].isdigit():
            break
        if lw == "số":
            return [], pos  # 'Luật Đất đai số 31/2024/QH15' is a numbered citation
        if words and lw in stop:
            if not (lw == "và" and _law_year_ahead(text, wm.end())):
                break
        clean = w.rstrip(".?!")
        if not clean:
            break
        words.append(clean)
        end = wm.start() + len(clean)
        nxt = wm.end()
        if clean != w or nxt >= len(text):
            break
        if text[nxt] == "," and len(words) <= 2 and text[nxt + 1:nxt + 2] == " " \
                and text[nxt + 2:nxt + 3].islower():
            words[-1] += ","
            p = nxt + 2
            continue
        if text[nxt] != " ":
            break
        p = nxt + 1
    return words, end


def _law_year_ahead(text: str, pos: int) -> bool:
    """'Luật Giáo dục quốc phòng và an ninh năm 2013': 'và' stays inside a name that ends in a year."""
    window = text[pos:pos + 40]
    stop = re.search(r"[,;.()]", window)
    window = window[:stop.start()] if stop else window
    return bool(re.search(r"\bnăm (?:19|20)\d\d\b", window))


def find_named(text: str) -> list[Named]:
    """Every law, code, ordinance or constitution the text cites by name, in order."""
    words_data = load("doc_types")["named_law_words"]
    stop = frozenset(words_data["stop"])
    not_after = tuple(words_data["not_after"])
    not_names = frozenset(words_data["not_names"])
    gz = gazetteer()
    out: list[Named] = []
    covered = -1  # end of an amending law's name: the laws it lists are part of it
    for start, kind, after in _law_nouns(text):
        if start < covered or (start and text[start - 1].isalnum()):
            continue
        if text.startswith("sửa", after) and _AMENDING_TAIL.match(text, after):
            if not _AMENDS_A_LAW.match(text, _AMENDING_TAIL.match(text, after).end()):
                continue  # 'Luật sửa đổi còn lùi thời gian …': not a name
            stop_at = _COMPOSITE_END.search(text, after, after + 400)
            end = stop_at.start() if stop_at else -1
            if end < 0:
                continue
            covered = end
            if text[end:end + 5].strip().startswith("số"):
                continue  # its number follows: a numbered citation, whose name lists the laws
            name = " ".join(text[start:end].split()).rstrip(" ,")
            year, date, tail = _date_after(text, end)
            out.append(Named(kind, name, year, date, start, tail if year else end))
            continue
        before = text[max(0, start - 24):start].lower().rstrip()
        if before.endswith(not_after):
            continue
        known = gz.names.match(text, start) if gz.names else None
        if text[after].islower():
            if not known:
                continue  # 'Luật này', 'Luật chuyên ngành': a lowercase name only when known
            words, end = [], after
        else:
            words, end = _scan_name(text, after, stop)
        if known and known.end() > end:
            if _NUMBER_NEXT.match(text, known.end()):
                continue  # 'Luật Tổ chức Quốc hội số 57/2014/QH13': a numbered citation
            name = " ".join(text[start:known.end()].split())
            end = known.end()
        else:
            if not words or " ".join(words) in not_names:
                continue
            name = f"{kind} {' '.join(words)}"
        year, date, tail = _date_after(text, end)
        out.append(Named(kind, name, year, date, start, tail if year else end))
    for m in _CONSTITUTION.finditer(text):
        year, date, tail = _date_after(text, m.end())
        lead = text[max(0, m.start() - 12):m.start()].lower()
        if not (m.group("full") or year or lead.rstrip().endswith("căn cứ")):
            continue  # 'phù hợp với Hiến pháp và pháp luật' names no one text
        out.append(Named("Hiến pháp", "Hiến pháp" + (" nước Cộng hòa xã hội chủ nghĩa Việt Nam"
                                                     if m.group("full") else ""),
                         year, date, m.start(), tail if year else m.end()))
    out.sort(key=lambda n: n.start)
    return out


def _bindings(text: str, numbered: Sequence[Found]) -> dict[str, str]:
    """Names the document itself gives a number: 'Luật Đất đai số 31/2024/QH15' → that key."""
    out: dict[str, str] = {}
    for c in numbered:
        if c.type not in ("Luật", "PL") or not c.key or c.num_start <= c.start:
            continue
        m = _NAME_BEFORE_NUMBER.match(text, c.start, c.num_start)
        if m and "sửa đổi" not in m.group("name"):
            out.setdefault(name_key(f"{m.group('kind')} {m.group('name')}"), c.key)
    return out


def resolve_named(text: str, named: list[Named], numbered: Sequence[Found],
                  doc_date: Optional[str]) -> None:
    """Set `key` (and a year read elsewhere in the document) on the names that identify one
    document; leave the others unresolved."""
    gz = gazetteer()
    bound = _bindings(text, numbered)
    years: dict[str, int] = {}
    for n in named:
        if n.year:
            years.setdefault(name_key(n.name), n.year)
    for n in named:
        k = name_key(n.name)
        if n.kind == "Hiến pháp":
            if n.year:
                n.key = next((key for _, y, key in gz.constitutions if y == n.year), None)
            elif doc_date:  # the one adopted before the document (its date, month or year)
                n.key = next((key for adopted, _, key in reversed(gz.constitutions)
                              if adopted[:len(doc_date)] < doc_date), None)
            continue
        if n.year is None and k in years:
            n.year = years[k]
        if k in bound:
            key = bound[k]
            if n.year is None or f"/{n.year}/" in key:
                n.key = key
                n.year = n.year or int(key.split("/")[1])
                continue
        if n.year is not None:
            hits = [num for y, num, _ in gz.by_name.get(k, ()) if y == n.year]
            if len(hits) == 1:
                n.key = hits[0]
        else:
            when = _title_date(text, n, numbered) or doc_date
            if when:
                _in_force(n, k, when, gz)


def _title_date(text: str, n: Named, numbered: Sequence[Found]) -> Optional[str]:
    """The date of the document whose title the name stands in ('Nghị định số 154/2005/NĐ-CP
    ngày 15/12/2005 … quy định chi tiết Luật Hải quan': the law in force in 2005), or None."""
    i = bisect.bisect_right([c.end for c in numbered], n.start) - 1
    if i < 0:
        return None
    c = numbered[i]
    gap = text[c.end:n.start]
    if len(gap) > 300 or _CLAUSE_BREAK.search(gap):
        return None
    return c.date or (str(c.year) if c.year else None)


def _in_force(n: Named, k: str, doc_date: str, gz: _Gazetteer) -> None:
    """A law named without a year in a dated document is the one in force then: the latest
    reviewed whole law of that name adopted before the document — unless any text we know of
    gives that name a later year before the document's (a newer law, or an amending law people
    call by the old name): then it stays unresolved."""
    before = [(adopted, y, num) for adopted, y, num in gz.full_laws.get(k, ())
              if adopted[:len(doc_date)] < doc_date]
    if not before:
        return
    adopted, year, number = before[-1]
    doc_year = int(doc_date[:4])
    if any(year < y <= doc_year and num != number for y, num, _ in gz.by_name.get(k, ())):
        return
    n.key, n.year = number, year

@lru_cache(maxsize=512)
def _parsed_number(kind: str, key: str) -> Optional[Found]:
    from .parse import find_citations

    probe = f"{kind} số {key}"
    got = [c for c in find_citations(probe) if c.key == key]
    return got[0] if got else None


def as_found(text: str, n: Named) -> Found:
    """A named reference in the citation list, so relations are read for it like for any other
    citation; a resolved one carries its document's key and fields."""
    typ = _KIND_TYPE[n.kind]
    f = Found(start=n.start, end=n.end, num_start=n.start, num_end=n.end, key=n.key, type=typ,
              number=None, year=n.year, symbol=None, family="named", date=n.date,
              title=n.name, noun_type=typ, extent_end=n.end)
    if n.key and typ != "HP":
        p = _parsed_number(n.kind, n.key)
        if p is not None:
            f.number, f.symbol, f.type = p.number, p.symbol, p.type
            f.issuer_from_symbol = p.issuer_from_symbol
            f.issuer = p.issuer_from_symbol
    elif n.key:
        f.issuer = "Quốc hội"
    if n.date:
        f.date_text = text[n.start:n.end][len(n.name):].strip(" ,()") or None
    return f
