"""The document's own header and footer: `parse_header(text) -> Header`.

Layout (NĐ 30/2020 Phụ lục I for state bodies; HD 36-HD/VPTW for Party bodies):
  left column    issuing body, the body above it on the line(s) before  → issuer, parent_issuer
                 "Số: 3707/KH-UBND" (state) · "Số 127-KH/HU" (Party)       → number, symbol, key, type
                 "V/v ..." (official letters)                              → title
  right column   national motto or "ĐẢNG CỘNG SẢN VIỆT NAM" (ignored)
                 "Lai Châu, ngày 17 tháng 9 năm 2024"                      → place, date, date_text, year
  centre         "KẾ HOẠCH" / "CHỈ THỊ" ... (doc_types.json)              → type_name, type
                 the lines under it until the first body paragraph         → title (joined by a space)
  footer         "Nơi nhận:" and its "- ..." items                         → recipients
                 "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"    → signer_role (as printed,
                 and the signer's name                                        joined by " / "), signer
The header may arrive as separate lines, as one flattened line ("Số: /KH-UBND Thành phố Lai Châu,
ngày tháng 9 năm 2024"), or as DOCX table rows whose cells are separated by "\t". A blank draft
number ("Số: /KH-UBND") gives number and key None; a blank day gives date None with date_text
and year kept — a day is never invented. Unknown values are None.

Issuer when the header has no left column (drafts often drop it) — inferred only from what the
document says, and `issuer_inferred` is then True. The sources, in order:
  1. the enacting sentence of the preamble: "<issuer> ban hành <this document's type>"
     ("Ủy ban nhân dân thành phố Lai Châu ban hành Kế hoạch ...", "...; Ban Thường vụ Huyện ủy
     ban hành Kế hoạch ..."): the clause before the verb, which must open with an issuing-body
     word (Ủy ban, UBND, Ban, Chủ tịch, Huyện ủy ...);
  2. the directive voice "<issuer> yêu cầu / chỉ thị" in the preamble or the closing paragraph
     ("Chủ tịch UBND thành phố yêu cầu ...");
  3. the signature block "TM. <BODY>" completed with the place line.
Abbreviations are expanded (UBND → Ủy ban nhân dân). An issuer that names its level but not its
locality ("Ủy ban nhân dân thành phố", "Ban Thường vụ Huyện ủy") is completed with the place line
when that names a unit of the same level ("Thành phố Lai Châu") or a bare name ("Mường Tè"), else
with the one name the text gives that level ("thành phố Lào Cai", "Huyện ủy Tam Đường": all
mentions of that level must name the same place); otherwise it is kept as stated. With no such
sentence and no signature body, the issuer stays None.

Why this file is long: the header block and the footer are read as one pass over the same first
and last lines, and their fields decide one another (the issuer from the left column, the
signature block and the text's own words about itself; the type from the centre line or the
symbol; a letter's title from "V/v"). Split by field, each part would walk those lines again.
"""
from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from typing import Optional

from .domain import UNITS
from .model import Header, Line, Text
from .resources import load
from .sections import candidates, find_footer, looks_like_name, parse_sections

_MAX_HEADER_LINES = 25
_LINE_CAP = 2000  # header parsing never reads more of one line than this

_NUMBER = re.compile(
    r"(?:^|(?<=\s))(?:(?:Luật|LUẬT)\s{1,3})?(?:Số|SỐ|số)\s{0,3}[:.]?\s{0,3}(?P<num>\d{1,6}[A-Za-z]?)?[ \t.…_]{0,20}"
    r"(?P<sep>[/-])\s{0,2}(?P<sym>[A-Za-zĐđ0-9&]{1,20}(?:(?:[-/]|\.(?=[A-Za-zĐđ0-9]))"
    r"[A-Za-zĐđ0-9&]{1,20}){0,5})")
_DATE = re.compile(
    r"(?:ngày|Ngày|NGÀY)[\s.…_]{0,20}(?P<d>\d{1,2})?[\s.…_]{0,20}(?:tháng|THÁNG)[\s.…_]{0,20}"
    r"(?P<m>\d{1,2})?[\s.…_]{0,20}(?:năm|NĂM)[\s.…_]{0,6}(?P<y>\d{4})")
_DATE_NUM = re.compile(r"(?:ngày|Ngày)\s{0,3}(?P<d>\d{1,2})\s{0,2}/\s{0,2}(?P<m>\d{1,2})\s{0,2}/"
                       r"\s{0,2}(?P<y>\d{4})")
_BODY_OPENER = re.compile(r"^(?:Kính gửi|Căn cứ|Thực hiện|KÍNH GỬI|CĂN CỨ)(?!\w)")
_DATE_REST = re.compile(r"^\d{1,2}\s{0,3}(?:tháng|THÁNG)\s")  # "Hà Nội, ngày" ⏎ "24 tháng 11 năm 2025"
_DATE_PART = re.compile(r"^(?:ngày|tháng|năm)(?!\w)", re.I)
_PLACE = re.compile(r"(?P<place>[^\t\n,;:()]{2,60}?)\s{0,3},\s{0,3}$")
_VV = re.compile(r"(?:^|(?<=\s))V/[vV]\s{0,3}[:.]?\s{0,3}(?P<t>[^\t]+)")
# the place-date line flattened onto the end of a letter's 'V/v …' line
_VV_PLACE_DATE = re.compile(r"\s((?:[A-ZĐ][^\s,]*\s+){0,4}[A-ZĐ][^\s,]*,?\s+(?:ngày|Ngày)\s+\d{1,2}"
                            r"\s+tháng\s+\d{1,2}\s+năm\s+\d{4}.*)$")
_SEPARATOR = re.compile(r"^[\s\-_=*~.•]{3,}$")
_SEP_RUN = re.compile(r"[-_=*~]{3,}|(?:^|\s)\*(?=\s|$)")
_CLAUSE_END = re.compile(r"[,;:.!?“”\"()\n]")
# pieces of the motto when a narrow column wraps it ("CỘNG HÒA XÃ" ⏎ "HỘI CHỦ NGHĨA VIỆT NAM"): a
# line (or cell) ending with the motto's first words or opening with its last words (two or more)
def _motto_parts() -> re.Pattern:
    heads, tails = [], []
    for m in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
              "ĐẢNG CỘNG SẢN VIỆT NAM", "ĐỘC LẬP - TỰ DO - HẠNH PHÚC"):
        w = [r"\s*-\s*" if x == "-" else re.escape(x) for x in m.split()]
        joined = lambda ws: "".join(x if x.startswith(r"\s*-") or (i and ws[i - 1].startswith(r"\s*-"))  # noqa: E731
                                    else (r"\s+" if i else "") + x for i, x in enumerate(ws))
        heads += [joined(w[:k]) for k in range(1 if m[0] == "C" else 2, len(w))]
        tails += [joined(w[k:]) for k in range(1, len(w) - 1)]
    return re.compile(r"(?:^|(?<=\s))(?:" + "|".join(sorted(set(heads), key=len, reverse=True)) +
                      r")\s*$|^\s*(?:" + "|".join(sorted(set(tails), key=len, reverse=True)) + r")(?!\w)")


_MOTTO_PART = _motto_parts()
_BROKEN_NUMBER = re.compile(r"(?:^|(?<=\s))(?:(?:Luật|LUẬT)\s{1,3})?(?:Số|SỐ)\s{0,3}:?\s{0,3}\d{1,6}"
                            r"\s{0,2}[/-][A-Za-zĐđ0-9&/-]{0,30}[-/]\s*$")
_LONE_NUMBER = re.compile(r"^(?:(?:Luật|LUẬT)\s{1,3})?(?:Số|SỐ|số)\s{0,3}:?\s*$")
# a law's number line after the motto on one flattened line ('… Hạnh phúc ------- Luật số:')
_TRAILING_NUMBER = re.compile(r"(?:^|\s)(?:Luật|LUẬT)\s{1,3}(?:Số|SỐ|số)\s{0,3}:\s*$")
# a line that opens the header block: the motto (or a wrapped piece of it) or the number line
_ANCHOR = re.compile(r"CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|"
                     r"^\s*Độc\s+lập\s*-\s*Tự\s+do|^(?:(?:Luật|LUẬT)\s{1,3})?(?:Số|SỐ|số)\s{0,3}:?\s{0,3}\d{0,6}[ .…_]{0,20}[/-]\s{0,2}"
                     r"(?:(?:19|20)\d\d/)?[A-ZĐ]")
# a rank or academic title printed before the signer's name
_RANK = re.compile(r"^(?:(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy)|(?:Phó\s+|Chuẩn\s+)?Đô\s+đốc|"
                   r"(?:GS|PGS|TS|ThS|BS|CKII|CKI|KS|LS|NGND|NGƯT)(?:\.\s?(?:TS|ThS|BS|CKII|CKI|KTS)?)*\.)\s+")
_ANCHOR_SCAN = 150  # lines searched for the header block when something precedes it
_VOWELS = set("aeiouyăâêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def _hdr() -> dict:
    return load("issuers")["header"]


def _issuers() -> dict:
    return load("issuers")


# --------------------------------------------------------------------------- small helpers

def _lt(text: Text, ln: Line) -> str:
    return text.text[ln.start:min(ln.end, ln.start + _LINE_CAP)]


def _is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _upper_word(w: str) -> bool:
    """A word of an upper-case line: "TM.", "T/M", "Q.", "ỦY"; punctuation alone counts too."""
    return all(c.isupper() for c in w if c.isalpha())


_SPELLING_RULES: list = [None, []]  # [the spelling table they were built from, rules]


def _spelling(s: str) -> str:
    table = _issuers().get("spelling", {})
    if _SPELLING_RULES[0] is not table:
        _SPELLING_RULES[:] = [table, [
            (a, b, re.compile(rf"(?<!\w){re.escape(a)}(?!\w)") if len(a) > 3 else None)
            for a, b in table.items()]]
    for a, b, rx in _SPELLING_RULES[1]:
        if a in s:  # both forms only ever change text containing `a` (case-sensitive)
            s = rx.sub(b, s) if rx is not None else s.replace(a, b)
    return s


def _flex(phrase: str) -> str:
    """Regex for a phrase as printed with any spacing and dash spacing."""
    out = []
    for tok in phrase.split():
        out.append(r" *- *" if tok == "-" else re.escape(tok))
    return r" +".join(out).replace(r" + *- * +", r" *- *")


_MOTTO_RE: Optional[re.Pattern] = None


def _strip_mottos(s: str) -> str:
    global _MOTTO_RE
    if _MOTTO_RE is None:
        pats = sorted(_hdr()["mottos"], key=len, reverse=True)
        _MOTTO_RE = re.compile("|".join(_flex(p) for p in pats), re.I)
    s = _MOTTO_RE.sub(" ", s)
    if "CỘNG" in s or "NAM" in s or "PHÚC" in s or "ĐỘC" in s:
        s = _MOTTO_PART.sub(" ", s.strip())
    s = _SEP_RUN.sub(" ", s)
    return re.sub(r" {2,}", " ", s).strip()


def _title_case(tok: str) -> str:
    return tok[:1].upper() + tok[1:].lower()


def _is_acronym(tok: str) -> bool:
    letters = [c for c in tok.lower() if c.isalpha()]
    return len(letters) >= 2 and not any(c in _VOWELS for c in letters)


# --------------------------------------------------------------------------- issuer names

def _expand_upper_abbrev(s: str) -> str:
    for k, v in _issuers().get("abbreviations", {}).items():
        if k.isupper() and len(k) >= 2:
            s = re.sub(rf"(?<![\w&]){re.escape(k)}(?![\w&])", v.upper(), s)
    return s


def case_body_name(upper: str) -> str:
    """An upper-case body name as printed in a header → its name in running text:
    "ỦY BAN NHÂN DÂN THÀNH PHỐ LAI CHÂU" → "Ủy ban nhân dân thành phố Lai Châu",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO" → "Sở Giáo dục và Đào tạo", "HUYỆN ỦY TAM ĐƯỜNG" → "Huyện ủy Tam Đường".
    Fixed parts take their case from issuers.json; a locality word is lower case and the name
    after it is capitalised; in other words the first word of each coordinated part (after the
    start, "và", "," or "-") is capitalised, acronyms are kept."""
    h = _hdr()
    raw = _expand_upper_abbrev(upper.strip())
    toks = raw.split()
    low = [_spelling(t.lower()) for t in toks]
    cased = {_spelling(k.lower()): v for k, v in h["cased"].items()}
    localities = {_spelling(x.lower()) for x in h["localities"]}
    committees = {_spelling(x.lower()) for x in h["committees"]}
    starts = {_spelling(x.lower()) for x in h["body_starts"]}
    phrases = sorted(set(cased) | localities | committees | starts, key=lambda p: -len(p.split()))
    out: list[str] = []
    i = 0
    name_mode = False
    cap_next = True
    while i < len(low):
        hit = None
        for p in phrases:
            if i > 0 and p in starts and p not in cased and p not in localities | committees:
                continue  # "SỞ", "BỘ" open a name; inside one ("CÁN BỘ") they are plain words
            n = len(p.split())
            if " ".join(low[i:i + n]) == p:
                hit = (p, n)
                break
        if hit:
            p, n = hit
            if p in localities:
                out.append(p)
                name_mode, cap_next = True, False
            elif p in cased:
                out.append(cased[p])
                name_mode, cap_next = p in committees, p not in committees
            else:
                seg = _segment_cased(p, cased)  # "thủ tướng chính phủ" = "Thủ tướng" + "Chính phủ"
                out.append(seg if seg else _title_case(p) if p.split()[0] == p else
                           _title_case(p.split()[0]) + " " + " ".join(p.split()[1:]))
                name_mode, cap_next = p in committees, p not in committees
            i += n
            continue
        tok, lt = toks[i], low[i]
        if _is_acronym(tok) or any(c.isdigit() for c in tok):
            out.append(tok)
            cap_next = False
        elif name_mode:
            out.append(_title_case(lt))
        elif lt in ("và", "-", "&"):
            out.append(lt)
            cap_next = True
        elif cap_next:
            out.append(_title_case(lt))
            cap_next = lt.endswith(",")
        else:
            out.append(lt)
            cap_next = lt.endswith(",")
        i += 1
    return " ".join(out)


def _segment_cased(p: str, cased: dict) -> Optional[str]:
    """`p` written wholly as fixed cased parts (longest first), or None."""
    words, out, i = p.split(), [], 0
    while i < len(words):
        for n in range(len(words) - i, 0, -1):
            part = " ".join(words[i:i + n])
            if part in cased:
                out.append(cased[part])
                i += n
                break
        else:
            return None
    return " ".join(out) if len(out) > 1 else None


def _starts_body(low: str) -> int:
    """Number of words of the body-start phrase opening `low` (lower case), or 0."""
    words = low.split()
    best = 0
    for p in _hdr()["body_starts"]:
        pw = _spelling(p.lower()).split()
        if words[:len(pw)] == pw:
            best = max(best, len(pw))
    return best


def _has_locality(low: str) -> bool:
    h = _hdr()
    words = f" {low} "
    return any(f" {_spelling(x.lower())} " in words for x in list(h["localities"]) + list(h["committees"]))


def _national_bodies() -> set[str]:
    """Names of national bodies (issuers.json symbol_issuers), lower case: complete names."""
    return {_spelling(v.lower()) for v in _issuers().get("symbol_issuers", {}).values()}


def _incomplete(low: str) -> bool:
    return low.strip() in {_spelling(x.lower()) for x in _hdr()["incomplete"]}


def split_bodies(pieces: list[str]) -> list[str]:
    """Upper-case left-column lines → body names, top (superior body) first.

    A line opening with a body word (ỦY BAN, SỞ, HUYỆN ỦY ...) starts a new body unless the body
    before it is incomplete ("ỦY BAN NHÂN DÂN", "BAN THƯỜNG VỤ"); any other line continues it
    ("THÀNH PHỐ LAI CHÂU", a wrapped name). Inside one line (a DOCX cell joins its paragraphs),
    a body word starts a new body only after a body that already names its locality."""
    bodies: list[str] = []
    for piece in pieces:
        words = _expand_upper_abbrev(piece).split()
        low_words = [_spelling(w.lower()) for w in words]
        cur: list[str] = []
        i = 0
        if bodies and words and not _starts_body(_spelling(bodies[-1].lower())) and len(
                bodies[-1].split()) <= 2 and _starts_body(_spelling(f"{bodies[-1]} {piece}".lower())):
            cur = bodies.pop().split()  # "ỦY" ⏎ "BAN NHÂN DÂN": a body word wrapped in two
            cur.extend(words[:1])
            i = 1
        while i < len(words):
            n = _starts_body(" ".join(low_words[i:i + 6]))
            if n:
                if cur:
                    done = " ".join(cur)
                    low = _spelling(done.lower())
                    if (_has_locality(low) or low in _national_bodies()) and not _incomplete(low):
                        bodies.append(done)
                        cur = []
                elif bodies and i == 0 and not _incomplete(_spelling(bodies[-1].lower())):
                    pass  # a new line opening a new body
                elif bodies and i == 0:
                    cur = bodies.pop().split()
                cur.extend(words[i:i + n])
                i += n
                continue
            if not cur and bodies and i == 0:
                cur = bodies.pop().split()  # a continuation line
            cur.append(words[i])
            i += 1
        if cur:
            bodies.append(" ".join(cur))
    return bodies


def _normalise_phrase(s: str) -> str:
    """An issuer phrase from running text: abbreviations expanded, modern spelling."""
    for k, v in _issuers().get("abbreviations", {}).items():
        if k in ("TW", "TƯ") or not k[:1].isupper():
            continue
        s = re.sub(rf"(?<![\w&]){re.escape(k)}(?![\w&])", v, s)
    s = _spelling(s)
    return re.sub(r"\s+", " ", s).strip()


def _levels() -> list[tuple[str, str]]:
    """(word as it appears lower-cased, level) — localities and the committees named after them."""
    h = _hdr()
    out = [(_spelling(x.lower()), _spelling(x.lower())) for x in h["localities"]]
    out += [(_spelling(k.lower()), v) for k, v in h["committees"].items()]
    return sorted(out, key=lambda p: -len(p[0]))


def _proper_name(words: list[str]) -> Optional[str]:
    """The capitalised words opening `words` (a place name), at most four."""
    out = []
    for w in words[:4]:
        w2 = w.rstrip(".,;:)”\"")
        if w2 and w2[0].isupper() and (len(w2) == 1 or w2[1:].islower()) and w2.isalpha():
            out.append(w2)
            if w2 != w:
                break
        else:
            break
    return " ".join(out) if out else None


def _level_of(phrase: str) -> Optional[tuple[int, str, Optional[str]]]:
    """(end offset of the last level word, level, name after it) of an issuer phrase."""
    low = _spelling(phrase.lower())
    best = None
    for word, level in _levels():
        for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", low):
            if best is None or m.start() > best[0] or (m.start() == best[0] and m.end() > best[1]):
                best = (m.start(), m.end(), level)
    if best is None:
        return None
    name = _proper_name(phrase[best[1]:].split())
    return best[1], best[2], name


def _names_in_text(s: str, level: str) -> set[str]:
    """Every place name the text attaches to a level ("thành phố Lào Cai", "Thành ủy Lào Cai")."""
    words = [w for w, lv in _levels() if lv == level]
    names: set[str] = set()
    pat = re.compile(r"(?<!\w)(?:" + "|".join(_flex(w) for w in words) + r") +(?=\w)", re.I)
    for m in pat.finditer(_spelling(s)):
        nm = _proper_name(s[m.end():m.end() + 80].split("\n", 1)[0].split())
        if nm:
            names.add(nm)
    return names


def _place_name(place: Optional[str], level: str) -> Optional[str]:
    """The name in the place line when it is of `level` ("Thành phố Lai Châu") or bare ("Mường Tè")."""
    if not place:
        return None
    low = _spelling(place.lower())
    for word, lv in _levels():
        if low.startswith(word + " "):
            return place[len(word) + 1:].strip() if lv == level else None
    return place.strip()


def _complete(phrase: str, place: Optional[str], whole: str) -> str:
    lv = _level_of(phrase)
    if lv is None:
        return phrase
    end, level, name = lv
    if name:
        return phrase
    name = _place_name(place, level)
    if not name:
        found = _names_in_text(whole, level)
        name = next(iter(found)) if len(found) == 1 else None
    return f"{phrase[:end]} {name}{phrase[end:]}" if name else phrase


def _subject_before(s: str, at: int) -> Optional[str]:
    """The clause that ends at `at` when it opens with an issuing-body word."""
    start = 0
    for m in _CLAUSE_END.finditer(s, max(0, at - 160), at):
        start = m.end()
    subj = s[start:at].strip()
    if not subj or not subj[0].isupper() or len(subj.split()) > 12:
        return None
    heads = sorted(_hdr()["heads"], key=len, reverse=True)
    norm = _spelling(subj)
    if not any(norm.startswith(_spelling(h)) and (len(norm) == len(h) or not norm[len(h)].isalnum())
               for h in heads):
        return None
    return subj


@lru_cache(maxsize=1)
def _verb_patterns() -> tuple[re.Pattern, dict, re.Pattern, dict]:
    """One compiled alternation per verb list (one scan of the text instead of one per verb),
    and each verb's rank in its list, so the first verb of the list still wins."""
    h = _hdr()
    enacting, voice = h["enacting"], h["voice"]
    alt = lambda vs: "|".join(re.escape(v) for v in sorted(vs, key=len, reverse=True))  # noqa: E731
    return (re.compile(rf"(?<!\w)(?:{alt(enacting)})\s+", re.I),
            {v.lower(): i for i, v in enumerate(enacting)},
            re.compile(rf"(?<!\w)(?:{alt(voice)})(?!\w)"),
            {v: i for i, v in enumerate(voice)})


def _by_verb(pattern: re.Pattern, rank: dict, chunk: str, key) -> list[re.Match]:
    """Matches ordered as the per-verb loops took them: by the verb's rank, then in the text.
    A case-insensitive pattern is tried only where a lowercase copy holds one of its verbs
    (str.find, fast): a regex scan of a long page for an alternation is slow."""
    hay = chunk.lower() if pattern.flags & re.I else chunk
    if len(hay) != len(chunk):
        ms = pattern.finditer(chunk)  # lowercasing moved offsets: scan it all
    else:
        starts = sorted({i for v in rank for i in _find_all(hay, v)})
        ms = filter(None, (pattern.match(chunk, i) for i in starts))
    found = [(rank.get(key(m.group(0).rstrip()), len(rank)), m.start(), m) for m in ms]
    return [m for _, _, m in sorted(found, key=lambda x: (x[0], x[1]))]


def _find_all(s: str, sub: str):
    i = s.find(sub)
    while i >= 0:
        yield i
        i = s.find(sub, i + 1)


def _infer_issuer(text: Text, pre: str, closing: str, type_names: list[str],
                  signer_role: Optional[str], place: Optional[str]) -> Optional[str]:
    whole = text.text
    enacting, enacting_rank, voice, voice_rank = _verb_patterns()
    for m in _by_verb(enacting, enacting_rank, pre, str.lower):
        after = pre[m.end():m.end() + 40].lower()
        if not any(after.startswith(t.lower()) for t in type_names):
            continue
        subj = _subject_before(pre, m.start())
        if subj:
            return _complete(_normalise_phrase(subj), place, whole)
    for chunk in (pre, closing):
        for m in _by_verb(voice, voice_rank, chunk, lambda v: v):
            subj = _subject_before(chunk, m.start())
            if subj:
                return _complete(_normalise_phrase(subj), place, whole)
    if signer_role:
        m = re.match(r"^(?:TM\.|T/M|T\.M\.?)\s*(?P<body>[^/]+)", signer_role)
        if m:
            body = case_body_name(m.group("body").strip())
            if _level_of(body) is None and place:
                low = _spelling(place.lower())
                for word, lv in _levels():
                    if low.startswith(word + " ") and word == lv:
                        return f"{body} {word} {place[len(word) + 1:].strip()}"
                found = [lv for word, lv in _levels() if word == lv
                         and place in _names_in_text(whole, lv)]
                if len(found) == 1:
                    return f"{body} {found[0]} {place.strip()}"
                return None
            if _level_of(body) is not None:
                return _complete(body, place, whole)
    return None


# --------------------------------------------------------------------------- header parts

_TYPE_NAMES: list = [None, []]  # [the doc_types table they were built from, (name, code) pairs]


def _type_names() -> list[tuple[str, str]]:
    types = load("doc_types")["types"]
    if _TYPE_NAMES[0] is not types:
        pairs = [(name, code) for code, v in types.items() for name in v["names"]]
        _TYPE_NAMES[:] = [types, sorted(pairs, key=lambda p: -len(p[0]))]
    return _TYPE_NAMES[1]


def _type_code(part: str) -> Optional[str]:
    types = load("doc_types")["types"]
    aliases = load("doc_types").get("symbol_aliases", {})
    if part in types:
        return part
    if part in aliases and not part.startswith("_"):
        return aliases[part]
    for code in types:
        if code.lower() == part.lower():
            return code
    return None


@lru_cache(maxsize=1)
def _type_names_by_first_word() -> dict[str, tuple[tuple[str, str], ...]]:
    """Upper-case type names (longest first) by their first word: a line is compared only with
    the names that open with its own first word."""
    out: dict[str, list] = {}
    for name, code in _type_names():
        u = name.upper()
        out.setdefault(u.split(" ", 1)[0], []).append((u, code))
    return {k: tuple(v) for k, v in out.items()}


def _find_type_line(text: Text, idxs: list[int]) -> Optional[tuple[int, str, str, str]]:
    """(line index, type name as printed, code, rest of the line) of the "KẾ HOẠCH" line."""
    by_first = _type_names_by_first_word()
    for i in idxs:
        ln = text.lines[i]
        if ln.kind == "table_row":
            continue
        s = _lt(text, ln).strip().rstrip(":").strip()
        if not s[:1].isupper():
            continue  # a type line is printed in capitals
        first = s.split(None, 1)[0].upper() if s else ""
        for u, code in by_first.get(first, ()):
            head = s[:len(u)]
            if head.upper() != u or not _is_upper(head):
                continue
            rest = s[len(u):]
            if rest and not rest[0].isspace():
                continue
            rest = rest.strip(" :-")
            if rest and _is_upper(rest):
                continue
            return i, head, code, rest
    return None


def _ends_sentence(s: str) -> bool:
    return bool(re.search(r"[.;:!?…]\s*[\"”’')\]]?\s*$", s))


def _find_title(text: Text, idxs: list[int], pos: int, first: str) -> Optional[str]:
    """Lines right under the type line until the first body paragraph, joined by a space."""
    parts = [first] if first else []
    bold = None
    prev = first
    for i in idxs[pos:]:
        ln = text.lines[i]
        s = _lt(text, ln).strip()
        if ln.kind in ("footnote", "table_row"):
            break
        if _SEPARATOR.match(s):
            if parts:
                break
            continue
        if re.match(r"^(?:Căn cứ|Kính gửi|CĂN CỨ|KÍNH GỬI)\b", s) or candidates(s):
            break
        if not parts:
            if _ends_sentence(s) or len(s) > 600:
                break
            parts.append(s)
            bold, prev = ln.bold, s
            continue
        if _is_upper(s) and not _is_upper(prev):
            break  # the enacting authority under a title in running case ("ỦY BAN THƯỜNG VỤ QUỐC HỘI")
        if _is_upper(s) and _is_upper(prev) and (ln.bold == bold or not s.strip("* ")):
            if _authority_line(s) or _ends_sentence(prev):
                break
            parts.append(s)  # an upper-case title wrapped over lines
        elif bold and ln.bold and not _ends_sentence(prev):
            parts.append(s)
        elif not bold and s[:1].islower() and not _ends_sentence(prev):
            parts.append(s)
        else:
            break
        prev = s
    title = " ".join(parts).strip()
    return title or None


def _parse_number(h: Header, m: re.Match) -> None:
    num, sep, sym = m.group("num"), m.group("sep"), m.group("sym")
    year = None
    ym = re.match(r"^((?:19|20)\d\d)/(.+)$", sym)
    if ym and sep == "/":
        year, sym = int(ym.group(1)), ym.group(2)
    h.symbol = sym
    h.number = num
    if sep == "-":  # Party: N-TYPE/ISSUER
        code = _type_code(sym.split("/")[0])
        h.key = f"{num}-{sym}" if num else None
    else:
        code = _type_code(sym.split("-")[0]) if "-" in sym else None
        if year is not None:
            h.key = f"{num}/{year}/{sym}" if num else None
        else:
            h.key = f"{num}/{sym}" if num else None
    if year is not None:
        h.year = year
    if code and not h.type:
        h.type = code
    if not h.type and m.group(0)[:1] in "LỊ" and m.group(0).lower().startswith("luật"):
        h.type = "Luật"  # 'Luật số: 31/2024/QH15': a law (a resolution of the Quốc hội has 'Số:')


_PLACE_LOWER = {word for unit in UNITS for word in unit.split()}  # the syllables of the units


_NOT_PLACES = frozenset(("từ", "trước", "đến", "sau", "vào", "trong", "kể", "tính", "cho", "tới"))
# 'Hà Nội ngày 01 tháng 12 năm 2025': a place opening its line, without the comma
_PLACE_NO_COMMA = re.compile(r"(?:^|\n)(?P<place>[A-ZĐ][^\t\n,;:()\d]{1,40}?)[ \t]{1,3}$")


def _place_tail(s: str) -> Optional[str]:
    """The capitalised words ending `s` (a place name after the text the line held before it)."""
    words = s.split()
    k = len(words)
    while k > 0 and len(words) - k < 5 and (words[k - 1][:1].isupper() or words[k - 1] in _PLACE_LOWER):
        k -= 1
    tail = words[k:]
    while tail and tail[0] in _PLACE_LOWER and len(tail) > 1 and not tail[0][:1].isupper():
        tail = tail[1:]
    return " ".join(tail) if tail and tail[0][:1].isupper() else None


def _wrapped_place(before: str, place: str) -> str:
    """"Thành phố Hồ Chí" ⏎ "Minh, ngày ...": the place's first words on the line above."""
    prev = before.rstrip("\n").rsplit("\n", 1)[-1].strip()
    words = prev.split()
    if (not 1 <= len(words) <= 4 or _is_upper(prev) or len(words) + len(place.split()) > 6
            or not all(w.isalpha() and (w[0].isupper() or w in _PLACE_LOWER) for w in words)
            or not words[0][0].isupper()):
        return place
    return f"{prev} {place}"


def _parse_date(h: Header, blob: str) -> None:
    best = None
    for m in list(_DATE.finditer(blob)) + list(_DATE_NUM.finditer(blob)):
        before = blob[max(0, m.start() - 80):m.start()]
        pm = _PLACE.search(before)
        if pm is None:
            # 'Hà Nội ngày 01 tháng 12 năm 2025' on a line of its own; not 'Từ ngày 01/11/2025, …'
            pm = _PLACE_NO_COMMA.search(before)
            if pm and (blob[m.end():m.end() + 200].split("\n", 1)[0].strip(" *._)\t")
                       or pm.group("place").split()[0].lower() in _NOT_PLACES):
                pm = None
        place = pm.group("place").strip() if pm else None
        if place and len(place.split()) > 6:
            place = _place_tail(place)  # 'V/v thành lập … môi trường Hà Nội, ngày …' (one line)
        if place and not (place[0].isupper() and len(place.split()) <= 6):
            place = None
        if place and before[:pm.start()].endswith("\n"):
            place = _wrapped_place(before[:pm.start()], place)
        if not place and before.rstrip(" ")[-1:] not in ("", "\n", "\t"):
            continue  # a date inside a sentence is not the document's date
        if not place and blob[m.end():m.end() + 200].split("\n", 1)[0].strip(" *._)\t"):
            continue  # nor one opening a sentence ("Ngày 12/3/2025, Ủy ban nhân dân tỉnh ...")
        if best is None or (place and not best[1]):
            best = (m, place)
        if place:
            break
    if best is None:
        return
    m, place = best
    h.place = place
    h.date_text = re.sub(r"\s+", " ", m.group(0)).strip()
    y = int(m.group("y"))
    h.year = y
    d, mo = m.group("d"), m.group("m")
    if d and mo:
        try:
            h.date = _dt.date(y, int(mo), int(d)).isoformat()
        except ValueError:
            h.date = None


# --------------------------------------------------------------------------- footer

def _role_split(s: str) -> list[str]:
    """"KT. CHỦ TỊCH PHÓ CHỦ TỊCH" → ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]."""
    data = load("sections")
    marks = sorted(data["footer"]["signer_markers"], key=len, reverse=True)
    mark_re = re.compile(r"(?:^|(?<=\s))(?:" + "|".join(map(re.escape, marks)) + r")(?=\s|[^\W\d_])")
    cuts = [m.start() for m in mark_re.finditer(s)]
    if not cuts or cuts[0] != 0:
        cuts = [0] + cuts
    segs = [s[a:b].strip() for a, b in zip(cuts, cuts[1:] + [len(s)]) if s[a:b].strip()]
    titles = sorted(data["signer_titles"], key=len, reverse=True)
    out: list[str] = []
    for seg in segs:
        mm = mark_re.match(seg)
        body = seg[mm.end():].strip() if mm else seg
        split = None
        for t in titles:
            if body == t:
                break
            if body.endswith(" " + t) and body[:-len(t)].strip():
                split = t
                break
        if split:
            out.append(seg[:len(seg) - len(split)].strip())
            out.append(split)
        else:
            out.append(seg)
    return out


def _parse_footer(h: Header, text: Text, a: int, b: int) -> None:
    data = load("sections")
    rec_words = data["footer"]["recipients"]
    rec_re = re.compile(r"^(?:" + "|".join(map(re.escape, rec_words)) + r")\s*:?\s*")
    marks = sorted(data["footer"]["signer_markers"], key=len, reverse=True)
    mark_mid = re.compile(r"\s(?=(?:" + "|".join(map(re.escape, marks)) + r")\s{0,3}[^\W\d_]{2})")
    rec_parts: list[str] = []
    sig_parts: list[str] = []
    in_rec = False
    for i in range(a, b):
        ln = text.lines[i]
        s = _lt(text, ln).strip()
        cells = [c.strip() for c in s.split("\t")] if ln.kind == "table_row" else [s]
        for c in cells:
            if not c:
                continue
            m = rec_re.match(c)
            if m:
                in_rec = True
                c = c[m.end():]
                if not c:
                    continue
            if in_rec and (c[:1] in "-+•" or c[:1].islower() or not rec_parts and not _is_upper(c)):
                mm = mark_mid.search(c)
                if mm:  # a flattened two-column footer: "- Lưu: VT. TM. ỦY BAN ..."
                    rec_parts.append(c[:mm.start()])
                    sig_parts.append(c[mm.end():])
                    in_rec = False
                else:
                    rec_parts.append(c)
                continue
            in_rec = False if ln.kind != "table_row" else in_rec
            sig_parts.append(c)
    # recipients
    blob = "\n".join(rec_parts)
    items = re.split(r"(?:^|\n|(?<=[;,.:)])\s)\s*[-+•]\s*(?=\S)", blob)
    for it in items:
        it = re.sub(r"\s+", " ", it).strip().rstrip(";,.").strip()
        if it:
            h.recipients.append(it)
    # signer
    signed = sorted(data["signed_marks"], key=len, reverse=True)
    roles: list[str] = []
    name = None
    for p in sig_parts:
        for sm in signed:
            p = p.replace(sm, " ")
        p = re.sub(r"\s+", " ", p).strip()
        if not p:
            continue
        words = p.split()
        k = 0
        while k < len(words) and _upper_word(words[k]):
            k += 1
        upper, tail = " ".join(words[:k]), " ".join(words[k:])
        if upper:
            roles.extend(_role_split(upper))
        if tail:
            tail = _RANK.sub("", tail)
        if tail and looks_like_name(tail):
            name = tail
    if roles and name is None:
        # an upper-case name: the last role line that is neither a marker line nor a title
        last = roles[-1]
        titles = set(data["signer_titles"])
        if (len(roles) > 1 and last not in titles and not re.match(r"^[A-Z/.]{2,5}\s", last)
                and 2 <= len(last.split()) <= 5):
            name = last
            roles = roles[:-1]
    if name is not None:  # every upper-case line is a role: join a role wrapped over lines
        titles = set(data["signer_titles"])
        mark_re = re.compile(r"^(?:" + "|".join(map(re.escape, marks)) + r")")
        merged: list[str] = []
        for r in roles:
            if (merged and not mark_re.match(r) and not any(r == t or r.startswith(t + " ") for t in titles)
                    and mark_re.sub("", merged[-1]).strip() not in titles):
                merged[-1] += " " + r  # "TM. ỦY BAN" ⏎ "NHÂN DÂN"
            else:
                merged.append(r)
        roles = merged
    h.signer = name
    h.signer_role = " / ".join(roles) if roles else None


def _footer_by_recipients(text: Text, start: int) -> Optional[tuple[int, int]]:
    """The closing block when `find_footer` finds none because long lines follow it (an attached
    plan or rules after a decision, a web page's trailer): from the first "Nơi nhận" line — or,
    with none, the first upper-case signature line ("KT. CHỦ TỊCH") — to the signer's name, at
    most 40 short lines."""
    lines = text.lines
    foot = load("sections")["footer"]
    words, marks = tuple(foot["recipients"]), tuple(foot["signer_markers"])
    rec_re = re.compile(r"^(?:" + "|".join(map(re.escape, words)) + r")\s*:?(?!\w)")
    titles = set(load("sections")["signer_titles"])
    found = None
    for a in range(start, len(lines)):
        ln = lines[a]
        if ln.kind == "footnote" or ln.end - ln.start > 300:
            continue
        s = _lt(text, ln)
        if s.startswith(words) and rec_re.match(s):
            found = a
            break
        if found is None and s.startswith(marks) and len(s) <= 80 and _is_upper(s):
            found = -a - 1  # a signature line: kept unless a "Nơi nhận" line follows
    if found is None:
        return None
    a = found if found >= 0 else -found - 1
    b, role = a + 1, found < 0
    while b < len(lines) and b - a < 40:
        s = _lt(text, lines[b]).strip()
        if lines[b].kind == "footnote" or (len(s) > 200 and lines[b].kind != "table_row"
                                           and (role or s[:1] not in "-+•")):
            break
        b += 1
        if s.startswith(marks) or s in titles:
            role = True
        elif role and looks_like_name(_RANK.sub("", s.strip("*").split("(")[0].strip())):
            break
    return a, b


# --------------------------------------------------------------------------- entry point

def _header_start(text: Text, body: list[int]) -> int:
    """Index of the line where the header block begins: 0, unless something that is not a header
    (a web page's banner, a table of metadata) comes before the motto or the number line; then
    the anchor line with the short upper-case lines right above it (the left column)."""
    lines = text.lines
    for k in body[:_ANCHOR_SCAN]:
        s = _lt(text, lines[k])
        if len(s) > 300 or not _ANCHOR.search(s):
            continue
        start = k
        j = body.index(k)
        while j > 0 and body[j] - body[j - 1] <= 2 and k - body[j - 1] <= 6:
            prev = _lt(text, lines[body[j - 1]]).strip()
            if not prev or len(prev) > 120 or not (_is_upper(prev) or _SEPARATOR.match(prev)
                                                   or lines[body[j - 1]].kind == "table_row"):
                break
            j -= 1
            start = body[j]
        return start
    return 0


def _authority_line(s: str) -> bool:
    """"THỦ TƯỚNG CHÍNH PHỦ", "ỦY BAN THƯỜNG VỤ QUỐC HỘI", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ..." —
    the enacting authority printed under a decision's title (upper case, a body or office)."""
    s = s.strip().rstrip(":")
    if not _is_upper(s) or len(s.split()) > 14 or re.search(r"[,;.()\d]", s):
        return False
    low = _spelling(_expand_upper_abbrev(s).lower())
    n = _starts_body(low)
    if n:
        return n >= 2 or _has_locality(low) or low in _national_bodies()
    for t in sorted(load("sections")["signer_titles"], key=len, reverse=True):
        tl = _spelling(t.lower())
        if low.startswith(tl + " "):
            return _starts_body(low[len(tl) + 1:]) > 0
    return False


# a consolidated text's own number stands in its authentication block, after the text
_VBHN_BLOCK = re.compile(r"XÁC\s+THỰC\s+VĂN\s+BẢN\s+HỢP\s+NHẤT")
# a court precedent's number follows its name: 'ÁN LỆ SỐ 40/2021/AL'
_PRECEDENT = re.compile(r"^\s*(?:ÁN\s+LỆ|Án\s+lệ)\s+(?:SỐ|số|Số)\s{0,3}(?P<num>\d{1,3})/(?P<y>(?:19|20)\d\d)/AL(?![A-Za-z])")


def _legal_identity(text: Text, h: Header) -> None:
    """Identities that do not stand in the header block: a consolidated text's 'Số: N/VBHN-…'
    in its authentication block, a court precedent's 'ÁN LỆ SỐ 40/2021/AL'."""
    m = _PRECEDENT.search(text.text[:2000])
    if m:
        h.number, h.year, h.symbol = m.group("num"), int(m.group("y")), "AL"
        h.key, h.type = f"{m.group('num')}/{m.group('y')}/AL", "AL"
        return
    b = _VBHN_BLOCK.search(text.text)
    if b:
        n = _NUMBER.search(text.text, b.end(), b.end() + 200)
        if n and "VBHN" in n.group("sym"):
            h.key = h.number = h.symbol = None
            _parse_number(h, n)
            h.type = "VBHN"
            d = _DATE.search(text.text, n.end(), n.end() + 120)
            if d and d.group("d") and d.group("m"):
                try:
                    h.date = _dt.date(int(d.group("y")), int(d.group("m")), int(d.group("d"))).isoformat()
                    h.year, h.date_text = int(d.group("y")), re.sub(r"\s+", " ", d.group(0))
                except ValueError:
                    pass


def fill_from_portal(h: Header, box: dict) -> list[str]:
    """Fields the document's own header lost (a letter saved without its header block) taken from
    the portal's metadata box; returns their names, so the provenance is kept with the box."""
    filled = []
    if h.key is None and box.get("number"):
        m = _NUMBER.search("Số: " + box["number"].replace(" ", ""))
        if m:
            _parse_number(h, m)
            if h.key:
                filled.append("key")
    if h.date is None and box.get("date"):
        h.date = box["date"]
        h.year = h.year or int(box["date"][:4])
        filled.append("date")
    if h.type is None and box.get("type"):
        from .citations.grammar import grammar

        code = grammar().noun_to_type.get(box["type"].strip().lower())
        if code:
            h.type = code
            filled.append("type")
    return filled


def document_start(text: Text) -> int:
    """Offset where the document's header block begins (its left column, motto or number line),
    0 when it opens the text or none is found: what comes before is the page around it."""
    body = [i for i, ln in enumerate(text.lines) if ln.kind != "footnote"]
    start = _header_start(text, body)
    return text.lines[start].start if start else 0


def parse_header(text: Text, sections: Optional[list] = None) -> Header:
    """The document's own identity; `sections` when the caller has parsed them already."""
    h = Header()
    lines = text.lines
    body = [i for i, ln in enumerate(lines) if ln.kind != "footnote"]
    start = _header_start(text, body)
    if sections is None:
        sections = parse_sections(text)
    start_pos = lines[start].start if start else 0
    first_sec = min((s.start for s in sections if s.kind != "footnote" and s.start >= start_pos),
                    default=None)
    footer = find_footer(text)
    if footer and footer[0] < start:
        footer = None
    if footer is None:
        footer = _footer_by_recipients(text, start)
    limit = len(lines)
    if first_sec is not None:
        limit = next(i for i, ln in enumerate(lines) if ln.start >= first_sec)
    if footer and footer[0] < limit:
        limit = footer[0]
    head = [i for i in body if start <= i < limit][:_MAX_HEADER_LINES]

    found = _find_type_line(text, head)
    if found:
        t_idx, type_name, code, rest = found
        h.type_name, h.type = type_name, code
        region = [i for i in head if i < t_idx]
    else:
        t_idx, rest = None, ""
        region = []
        for i in head[:12]:
            s = _lt(text, lines[i]).strip()
            if lines[i].kind != "table_row" and (len(s) > 200 or _BODY_OPENER.match(s)):
                break
            region.append(i)

    # left column, number, V/v, place and date
    left: list[str] = []
    cleaned_lines: list[str] = []
    vv: list[str] = []
    carry = ""
    for i in region:
        ln = lines[i]
        s = _lt(text, ln)
        if ln.kind != "table_row" and _LONE_NUMBER.match(s):
            carry = s.strip() + " "  # "Số:" ⏎ "5680/CT-CS": the number is on the next line
            continue
        tn = _TRAILING_NUMBER.search(s) if ln.kind != "table_row" else None
        bn = _BROKEN_NUMBER.search(s) if ln.kind != "table_row" and not tn else None
        pending = ""
        if tn and h.number is None:
            pending = "Luật số: "  # the number is on the next line
            s = s[:tn.start()]
        elif bn and h.number is None:
            pending = bn.group(0).strip()  # "Số: 3783/QĐ-" ⏎ "UBND": the symbol goes on below
            s = s[:bn.start()]
        s, carry = carry + s, pending
        cells = s.split("\t") if ln.kind == "table_row" else [s]
        out_cells = []
        for ci, c in enumerate(cells):
            c = _strip_mottos(c)
            m = _NUMBER.search(c)
            if m and c[:m.start()].strip(" *") and not re.match(r"(?:Luật\s{1,3})?\S+\s{0,3}[:.]",
                                                                m.group(0), re.I):
                m = None  # "theo Quyết định số 12/QĐ-UBND": a citation in a sentence, not the number line
            if m and h.symbol is None and h.number is None:
                _parse_number(h, m)
            if m:
                c = (c[:m.start()] + " " + c[m.end():]).strip()
            mv = _VV.search(c)
            if mv:
                t = mv.group("t")
                pd = _VV_PLACE_DATE.search(t)  # '… môi trường Hà Nội, ngày 18 tháng 11 năm 2025'
                vv.append((t[:pd.start()] if pd else t).strip())
                c = (c[:mv.start()] + (" " + pd.group(1) if pd else "")).strip()
            elif (vv and ci == 0 and (c[:1].islower() or c[:1].isdigit())
                  and not _DATE_PART.match(c) and ", ngày" not in c and not _DATE_REST.match(c)):
                vv.append(c.strip())
                c = ""
            piece = c
            if m:  # the left column ends at the number
                piece = c[:0]
            if piece and (ln.kind != "table_row" or ci == 0) and _is_upper(piece):
                marks = {x.upper() for x in _hdr()["marks"]}
                if piece.strip().upper() not in marks:
                    left.append(piece.strip())
            out_cells.append(c)
        cleaned_lines.append("\t".join(out_cells))
    _parse_date(h, "\n".join(cleaned_lines))

    bodies = split_bodies(left)
    if bodies:
        h.issuer = case_body_name(bodies[-1])
        if len(bodies) > 1:
            h.parent_issuer = case_body_name(bodies[-2])

    # title
    if vv:
        h.title = re.sub(r"\s+", " ", " ".join(vv)).strip(" .;:")
        if not h.type_name:
            h.type = "CV"  # "V/v" is the subject line of an official letter: "5680/CT-CS" is Cục Thuế's
    elif t_idx is not None:
        pos = head.index(t_idx) + 1
        h.title = _find_title(text, head, pos, rest)
        if h.title:
            mv = re.match(r"^V/[vV]\s{0,3}[:.]?\s*(?=\w)", h.title)
            h.title = h.title[mv.end():] if mv else h.title

    # footer
    if footer:
        _parse_footer(h, text, footer[0], footer[1])

    # the year when the date gave none
    if h.year is None and h.date_text:
        ym = re.search(r"(?:19|20)\d\d", h.date_text)
        h.year = int(ym.group(0)) if ym else None

    # issuer from the enacting authority printed under the title ("ỦY BAN THƯỜNG VỤ QUỐC HỘI")
    if h.issuer is None and t_idx is not None:
        pos = head.index(t_idx)
        for i in head[pos + 1:pos + 8]:
            s = _lt(text, lines[i]).strip()
            if _authority_line(s):
                h.issuer, h.issuer_inferred = case_body_name(s.rstrip(":").strip()), True
                break
            if len(s) > 300 or _BODY_OPENER.match(s):
                break
    # issuer inferred from the document itself
    if h.issuer is None:
        pre_start = lines[t_idx].end if t_idx is not None else 0
        pre_end = first_sec if first_sec is not None else (
            lines[footer[0]].start if footer else len(text.text))
        pre = text.text[pre_start:pre_end]
        if h.title:
            at = pre.find(h.title[:60])
            if 0 <= at < 400:
                pre = pre[at + len(h.title):]
        closing = ""
        if footer and footer[0] > 0:
            closing = _lt(text, lines[footer[0] - 1])
        tnames = [n for n, c in _type_names() if h.type is None or c == h.type]
        h.issuer = _infer_issuer(text, pre, closing, tnames, h.signer_role, h.place)
        h.issuer_inferred = h.issuer is not None
    if "VBHN" not in (h.key or ""):
        _legal_identity(text, h)
    return h
