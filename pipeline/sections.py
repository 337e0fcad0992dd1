"""The section tree of a normalised document: `parse_sections(text) -> list[Section]`.

Heading forms (NĐ 30/2020 Phụ lục I; plans and directives; Party documents, HD 36):
  Phần / Chương / Mục / Điều N.  →  ids "P1", "C2", "M1", "D5" (Điều numbers run through the
                                     whole document; the others restart under their parent)
  A. B. (upper-case letters)     →  "A"
  I. II- III.  (Roman)           →  "I"
  1.  1.1.  1.1  2.2.1.  1)      →  "I.1", "II.1.1", "II.2.2.1"; "1", "1.1" with no Roman level
  a) b) đ) (Vietnamese alphabet) →  parent id + ".a"
  Phụ lục / PHỤ LỤC I            →  top-level "PL" / "PL.I", kind "appendix" (its own part)
  footnotes (end of the text)    →  top-level "FN", kind "footnote", children "FN.1", "FN.2" ...
  attached document              →  top-level "VB" ("VB.2" ...), kind "attachment": a regulation
                                     issued with a decision ("QUY CHẾ" / "(Ban hành kèm theo ...)")
                                     whose "Chương I" / "Điều 1" restarts the numbering; its
                                     divisions number inside it ("VB.C1.D1"), as in an appendix
  "Phụ lục I" again inside "PHỤ LỤC III" (the appendices of a form printed in it) → "PL.III.PL.I"
Markdown bold and `#` depth are ignored for ids and levels: the numbering decides them (corpus
Markdown uses inconsistent `#` depths for one level).

Which numbered lines are headings: a sequence check. A candidate is accepted only when it
continues the numbering of an open section (its next sibling: previous + 1) or opens the first
child of one (1, a, I, A; "2.2.1" only under "2.2"). Walking from the innermost open section
outwards, the first section that accepts it wins, so "III." closes everything under "II".
A node takes a first child of a new style only when its existing children are of a lower style
(a numbered list in the preamble may be followed by "I.", never the reverse). One or two skipped
numbers ("2.2.3." → "2.4.") are accepted only when the line looks like a heading: bold or a
Markdown heading, or a short line (≤ 160 characters) whose text opens with a capital or digit.
Arabic and Roman headings must not continue in lower case (a wrapped sentence line like
"2021 - 2030; Chương trình ..." or "3. năm ..." is body text). "Điều 5" needs its '.' or ':'
unless the line is bold or a Markdown heading ("Điều 5 Luật này quy định ..." is running text).
Unnumbered bold lines are not sections: the numbering decides. A division name printed on the
line after its number ("Chương I" / "QUY ĐỊNH CHUNG") is taken when that line is upper case or bold
(or, for Phần/Chương/Mục/Điều, which always have a name, opens with a capital); an upper-case name
wrapped over up to three lines is joined. Bold headings hard-wrapped inside their first words
("Điều" / "1. Phạm vi ...", "Chương" / "II", "PHỤ" / "LỤC III") are read as one line. A point
"a)" does not open under a section when a heading-like numbered line that fitted nowhere came
after that section's heading (the points belong to that line, e.g. a quoted article).

Preamble: text before the first heading belongs to no section (no preamble section: the first
section's start is where the preamble ends). The footer — the "Nơi nhận" list and the signature
block ("TM." "KT." ...) — belongs to no section and closes the last one; an appendix after the
footer opens again. Spans are [start, end) offsets into `text.text`: from the heading line's
start to the end of the last line before the next heading of the same or a higher level (or the
footer, an appendix, the footnotes); a parent's span contains its children's.

Heading text: the line without its number; a numbered paragraph that runs on into body text
("2. Các phòng ban chuyên môn của thành phố: Căn cứ ...") is cut at the first ':' or sentence
end, and capped at about 250 characters on a word boundary.

Why this file is long: whether a numbered line is a heading or a list item is decided over the
whole sequence of numbering forms (what came before, what nests under what), so the forms, their
nesting and the checks stay together.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .model import Line, Section, Text
from .resources import load

HEADING_CAP = 250
_SHORT_LINE = 160
_MAX_SKIP = 2  # numbers that may be missing before a heading-like line

_ROMAN_RE = re.compile(r"^([IVXLC]{1,7})\s{0,3}[.\-):]\s{0,3}(?=\S)")
_UPPER_RE = re.compile(r"^([A-ZĐ])\s{0,2}[.)]\s{1,3}(?=\S)")
_ARABIC_RE = re.compile(r"^([1-9]\d{0,2}(?:\.[1-9]\d{0,2}){0,5})(\.\)|\.|\))?(?:\s{1,3}|$)")
_LETTER_RE = re.compile(r"^([a-zđ])\s{0,2}(\)|\.\s)\s{0,3}(?=\S)")
_SENT_END = re.compile(r"\./\.|[.!?](?:\s+[\"“'(]?(\S)|\s*$)")
_COLON = re.compile(r"(?<!\d):(?!\d)")
# the subtitle of a document attached to a decision: "(Ban hành kèm theo Quyết định số ...)"
_ATTACHED_RE = re.compile(r"^[(\[]?\s{0,2}(?:[Bb]an hành\s{1,3})?[Kk]èm theo\s")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _data() -> dict:
    return load("sections")


def roman_value(s: str) -> Optional[int]:
    """Value of a well-formed Roman numeral (I..CCCXC), else None."""
    total, prev = 0, 0
    for ch in reversed(s):
        v = _ROMAN_VALUES.get(ch)
        if v is None:
            return None
        if v < prev:
            total -= v
        else:
            total += v
            prev = v
    return total if total and to_roman(total) == s else None


def to_roman(n: int) -> str:
    out = []
    for v, sym in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                   (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(sym)
            n -= v
    return "".join(out)


# --------------------------------------------------------------------------- candidates

@dataclass
class Candidate:
    style: str            # part chapter subsection article upper roman ar1 ar2 ... letter appendix
    value: tuple          # (n,) or the arabic components
    label: str            # as used in the id: "I", "1.1", "a", "5"
    rest: str             # the line after the number
    styled_only: bool = False  # a heading only when the line is bold or a Markdown heading


def _is_arabic(style: str) -> bool:
    return style[:2] == "ar" and style[2:].isdigit()


def _rank(style: str) -> int:
    if style[:2] == "ar" and style[2:].isdigit():
        return 5 + int(style[2:])
    return {"root": -1, "appendix": -1, "part": 0, "chapter": 1, "subsection": 2, "article": 3, "upper": 4,
            "roman": 5, "letter": 30}[style]


def _named_re() -> re.Pattern:
    d = _data()
    words = sorted((w for lv in d["named_levels"] for w in lv["words"]), key=len, reverse=True)
    return re.compile(r"^(" + "|".join(map(re.escape, words)) + r")\s{1,3}"
                      r"((?:thứ|THỨ)\s{1,3}[^\s.:]{1,6}|[IVXLC]{1,7}|\d{1,3})(?![\w/-])\s{0,3}([.:\-]?)\s*")


_NAMED: Optional[re.Pattern] = None
_APPENDIX: Optional[re.Pattern] = None


def _appendix_re() -> re.Pattern:
    global _APPENDIX
    if _APPENDIX is None:
        words = _data()["appendix_words"]
        _APPENDIX = re.compile(r"^(" + "|".join(map(re.escape, words)) + r")(?![\w])"
                               r"(?:\s{0,3}(?:số\s{0,2})?([IVXLC]{1,7}|\d{1,3}|[A-Z])(?![\w]))?"
                               r"\s{0,3}[.:\-]?\s*")
    return _APPENDIX


def _named_level(word: str) -> dict:
    for lv in _data()["named_levels"]:
        if word in lv["words"]:
            return lv
    raise KeyError(word)


def _number_word(tok: str) -> Optional[int]:
    if tok.isdigit():
        return int(tok)
    r = roman_value(tok)
    if r:
        return r
    m = re.match(r"(?:thứ|THỨ)\s+(\S+)$", tok)
    if m:
        return _data()["ordinals"].get(m.group(1).lower())
    return None


def is_appendix_line(s: str, line: Optional[Line] = None) -> Optional[tuple[str, str]]:
    """("I" or "", rest) when the line opens an appendix (Phụ lục), else None."""
    m = _appendix_re().match(s)
    if not m or len(s) > 300:
        return None
    num = m.group(2) or ""
    rest = s[m.end():]
    upper = m.group(1).isupper()
    styled = line is not None and (line.bold or line.heading)
    if upper or styled or num and (not rest or rest[:1].isupper() or rest[:1] in "(“\"") or not rest:
        return num, rest
    return None


def candidates(s: str) -> list[Candidate]:
    """Every numbering reading of a line's start (a line like "I." is both Roman and a letter)."""
    global _NAMED
    out: list[Candidate] = []
    if not s:
        return out
    c0 = s[0]
    if c0.isalpha() and c0.isupper():
        if _NAMED is None:
            _NAMED = _named_re()
        m = _NAMED.match(s)
        if m:
            n = _number_word(m.group(2))
            if n:
                lv = _named_level(m.group(1))
                rest = s[m.end():]
                # "Điều 5." — without its dot, "Điều 5 Luật ..." may be running text
                if lv["kind"] != "article" or m.group(3) or not rest:
                    out.append(Candidate(lv["kind"], (n,), str(n), rest))
                else:
                    out.append(Candidate(lv["kind"], (n,), str(n), rest, styled_only=True))
        m = _ROMAN_RE.match(s)
        if m:
            v = roman_value(m.group(1))
            if v:
                out.append(Candidate("roman", (v,), m.group(1), s[m.end():]))
        m = _UPPER_RE.match(s)
        if m and m.group(1).lower() in _data()["letters"]:
            idx = _data()["letters"].index(m.group(1).lower())
            out.append(Candidate("upper", (idx + 1,), m.group(1), s[m.end():]))
    elif c0.isdigit():
        m = _ARABIC_RE.match(s)
        if m:
            comps = tuple(int(x) for x in m.group(1).split("."))
            if len(comps) > 1 or m.group(2):
                out.append(Candidate(f"ar{len(comps)}", comps, m.group(1), s[m.end():]))
    elif c0.isalpha():
        m = _LETTER_RE.match(s)
        if m and m.group(1) in _data()["letters"]:
            idx = _data()["letters"].index(m.group(1))
            out.append(Candidate("letter", (idx + 1,), m.group(1), s[m.end():]))
    return out


def heading_text(rest: str) -> str:
    """The heading part of a numbered line: up to the first ':' or sentence end, ≤ ~250 chars."""
    s = rest[:HEADING_CAP + 80].strip()
    cut = len(s)
    m = _COLON.search(s)
    if m:
        cut = min(cut, m.start())
    # a title run on into its first numbered item ("Nguyên tắc hoạt động 1. Quỹ ...")
    j = s.find(" 1", 1, cut)
    while j != -1:
        if s[j + 2:j + 4] in (". ", ") ") and s[j - 1].isalpha() and s[j + 4:j + 5].isupper():
            cut = j
            break
        j = s.find(" 1", j + 2, cut)
    for m in _SENT_END.finditer(s, 0, cut):
        nxt = m.group(1)
        if nxt is None or nxt.isupper() or nxt.isdigit():
            cut = min(cut, m.start())
            break
    s = s[:cut]
    if len(s) > HEADING_CAP:
        s = s[:HEADING_CAP]
        sp = s.rfind(" ")
        if sp > HEADING_CAP // 2:
            s = s[:sp]
    return s.strip(" \t:;,.-*").strip()


def _upper_line(s: str) -> bool:
    if s.upper() != s:  # a lower-case letter
        return False
    n = 0
    for c in s:
        if c.isalpha():
            n += 1
            if n == 2:
                return True
    return False


def _headingish(line: Line, rest: str) -> bool:
    if line.bold or line.heading:
        return True
    r = rest.lstrip("\"“'(")
    return len(rest) <= _SHORT_LINE and bool(r) and (r[0].isupper() or r[0].isdigit())


# --------------------------------------------------------------------------- the tree

@dataclass
class _Node:
    style: str
    value: tuple
    id: str
    level: int
    line: int
    kind: str = "section"
    heading: str = ""
    parent: Optional["_Node"] = None
    child_ranks: list = field(default_factory=list)  # ranks of the styles of its children


def _prefix_id(node: _Node) -> str:
    """Id prefix for children of `node`: arabic numbers are written in full ("1.1"), so an
    arabic child takes the id of the nearest non-arabic ancestor."""
    return "" if node.style == "root" else node.id


def _non_arabic_ancestor(node: _Node) -> _Node:
    while _is_arabic(node.style) and node.parent is not None:
        node = node.parent
    return node


def _next_ok(prev: int, cur: int, heady: bool) -> bool:
    if cur == prev + 1:
        return True
    return heady and prev + 1 < cur <= prev + 1 + _MAX_SKIP


class _Builder:
    def __init__(self, text: Text):
        self.text = text
        self.root = _Node("root", (), "", 0, -1)
        self.base = self.root   # the root, or the appendix everything now belongs to
        self.stack: list[_Node] = []  # open sections below `base` (an appendix is stack[0])
        self.nodes: list[_Node] = []
        self.ids: set[str] = set()
        self.last_article = 0
        self.appendix_count = 0
        self.attachment_count = 0
        self.rejected = -1  # last heading-like numbered line that fitted no open section
        self.deepest_named = -1  # rank of the deepest Phần/Chương/Mục/Điều taken so far

    def _unique(self, base: str) -> str:
        if base not in self.ids:
            self.ids.add(base)
            return base
        k = 2
        while f"{base}_{k}" in self.ids:
            k += 1
        self.ids.add(f"{base}_{k}")
        return f"{base}_{k}"

    def _is_first(self, node: _Node, c: Candidate, heady: bool) -> bool:
        rank = _rank(c.style)
        if rank <= _rank(node.style):
            return False
        if c.style == "letter" and node.line < self.rejected:
            return False  # "a)" after a numbered line that was not taken belongs to that line
        if any(r <= rank for r in node.child_ranks):
            return False
        if c.style == "article":
            return _next_ok(self.last_article, c.value[0], heady)
        if _is_arabic(c.style) and len(c.value) > 1:
            if node.style == f"ar{len(c.value) - 1}":
                if c.value[:-1] != node.value:
                    return False
            elif any(v != 1 for v in c.value[:-1]):
                return False
        return _next_ok(0, c.value[-1], heady)

    def _is_sibling(self, node: _Node, c: Candidate, heady: bool) -> bool:
        if node.style != c.style:
            return False
        if c.style == "article":
            return _next_ok(self.last_article, c.value[0], heady)
        if c.value[:-1] != node.value[:-1]:
            return False
        return _next_ok(node.value[-1], c.value[-1], heady)

    def offer(self, idx: int, line: Line, cands: list[Candidate]) -> bool:
        """Try the readings of line `idx` against the open sections; True if one is accepted."""
        for c in cands:
            if c.styled_only and not (line.bold or line.heading):
                continue
            if c.style in ("roman", "upper") or _is_arabic(c.style):
                r = c.rest.lstrip("\"“'(")
                if r[:1].islower():
                    continue
            heady = _headingish(line, c.rest)
            path = self.stack[::-1]
            if self.base is self.root:
                path.append(self.root)
            for depth, node in enumerate(path):
                if node is not self.base and self._is_sibling(node, c, heady):
                    parent = node.parent
                    del self.stack[len(self.stack) - depth - 1:]
                    self._push(parent, c, idx, line)
                    return True
                if self._is_first(node, c, heady):
                    del self.stack[len(self.stack) - depth:]
                    self._push(node, c, idx, line)
                    return True
            if heady and c.style != "letter":
                self.rejected = idx
        return False

    def restarts(self, cands: list[Candidate]) -> bool:
        """A "Điều 1" / "Chương I" / "Phần I" that fitted nowhere in a body already divided that
        way: the numbering of an attached document (a regulation issued with a decision)."""
        if self.base is not self.root:
            return False
        for c in cands:
            if c.style in ("part", "chapter", "article") and c.value == (1,) and not c.styled_only:
                return self.deepest_named >= _rank(c.style)
        return False

    def attachment(self, idx: int, heading: str) -> None:
        self.attachment_count += 1
        self.stack.clear()
        self.last_article = 0
        base = "VB" if self.attachment_count == 1 else f"VB.{self.attachment_count}"
        node = _Node("appendix", (), self._unique(base), 1, idx, kind="attachment",
                     heading=heading_text(heading) if heading else "", parent=self.root)
        self.nodes.append(node)
        self.stack.append(node)
        self.base = node

    def _push(self, parent: _Node, c: Candidate, idx: int, line: Line) -> None:
        if _is_arabic(c.style):
            base = _prefix_id(_non_arabic_ancestor(parent))
            own = c.label
        elif c.style in ("part", "chapter", "subsection", "article"):
            base = _prefix_id(parent)
            own = next(lv["id"] for lv in _data()["named_levels"] if lv["kind"] == c.style) + c.label
        else:
            base = _prefix_id(parent)
            own = c.label
        nid = self._unique(f"{base}.{own}" if base else own)
        node = _Node(c.style, c.value, nid, len(self.stack) + 1, idx,
                     heading=heading_text(c.rest), parent=parent)
        parent.child_ranks.append(_rank(c.style))
        if c.style == "article":
            self.last_article = c.value[0]
        if c.style in _NAMED_KINDS:
            self.deepest_named = max(self.deepest_named, _rank(c.style))
        self.stack.append(node)
        self.nodes.append(node)

    def appendix(self, idx: int, num: str, rest: str, next_line: Optional[str],
                 next_bold: bool = False) -> None:
        self.last_article = 0  # numbering restarts inside an appendix
        heading = heading_text(rest) if rest.strip() else ""
        if (not heading and next_line and len(next_line) <= HEADING_CAP and not candidates(next_line)
                and (_upper_line(next_line) or next_bold)):
            heading = heading_text(next_line)
        top = self.stack[0] if self.stack and self.stack[0].kind == "appendix" else None
        inner = self.base if self.base is not top and self.base.kind == "appendix" else None
        value = _number_word(num) if num else None
        if value and top is not None and (top.value and value <= top.value[0]
                                          or inner is not None and inner.value == (value - 1,)):
            # "Phụ lục I" again inside "PHỤ LỤC III": an appendix of the form printed in it
            del self.stack[1:]
            node = _Node("appendix", (value,), self._unique(f"{top.id}.PL.{num}"), 2, idx, kind="appendix",
                         heading=heading, parent=top)
        else:
            self.appendix_count += 1
            self.stack.clear()
            base = f"PL.{num}" if num else ("PL" if self.appendix_count == 1 else f"PL.{self.appendix_count}")
            node = _Node("appendix", (value,) if value else (), self._unique(base), 1, idx,
                         kind="appendix", heading=heading, parent=self.root)
        self.nodes.append(node)
        self.stack.append(node)
        self.base = node  # its children number as at the top of a document


# --------------------------------------------------------------------------- footer

def _cell0(s: str) -> str:
    return s.split("\t", 1)[0].strip()


def _footer_open_re() -> re.Pattern:
    f = _data()["footer"]
    rec = "|".join(map(re.escape, f["recipients"]))
    marks = "|".join(map(re.escape, sorted(f["signer_markers"], key=len, reverse=True)))
    return re.compile(r"^(?:(?:" + rec + r")\b|(?:" + marks + r")\s{0,3}(?=[^\W\d_]))")


_FOOTER_OPEN: Optional[re.Pattern] = None


def find_footer(text: Text) -> Optional[tuple[int, int]]:
    """Line indices [a, b) of the closing block ("Nơi nhận" list and signature), or None.

    It opens at a line (or a table row's cell) starting with "Nơi nhận" or a signature marker
    (TM. KT. TL. TUQ. Q. T/M) after which every line up to the next appendix, the footnotes or
    the end is short (≤ 200 characters; table rows of any length): a footer holds no body
    paragraph. Without such a line, a last upper-case office title followed by a name counts.
    """
    global _FOOTER_OPEN
    if _FOOTER_OPEN is None:
        _FOOTER_OPEN = _footer_open_re()
    lines = text.lines
    n = len(lines)
    stops = [i for i, ln in enumerate(lines) if ln.kind == "footnote"]
    end_all = stops[0] if stops else n
    app_after: list[int] = []
    for i in range(end_all):
        s = text.line_text(lines[i])
        c0 = s[:1]
        if c0 == "P":
            if is_appendix_line(s, lines[i]):
                app_after.append(i)
        elif c0 in "([BK" and c0 and i > 0 and _ATTACHED_RE.match(s):
            # the title of an attached regulation ("(Ban hành kèm theo ...)") ends the footer
            start = _attachment_title(text, i + 1, app_after[-1] if app_after else -1)[0]
            if start is not None and start < i:
                app_after.append(start)

    def stop_after(i: int) -> int:
        for a in app_after:
            if a > i:
                return a
        return end_all

    # short_to[i]: every line from i up to the next stop is short (one backward pass)
    short_to = [False] * (end_all + 1)
    short_to[end_all] = True
    stop_set = set(app_after)
    for i in range(end_all - 1, -1, -1):
        ln = lines[i]
        short = ln.kind == "table_row" or ln.end - ln.start <= 200
        short_to[i] = short and (True if i + 1 in stop_set else short_to[i + 1])
    for i in range(end_all):
        if not short_to[i]:
            continue
        ln = lines[i]
        s = text.line_text(ln)[:400]
        cells = s.split("\t") if ln.kind == "table_row" else [s]
        if not any(_FOOTER_OPEN.match(c.strip()) for c in cells):
            continue
        return i, stop_after(i)
    # fallback: "CHỦ TỊCH" / "Nguyễn Văn A" as the last lines of the body
    titles = set(_data()["signer_titles"])
    b = app_after[0] if app_after else end_all
    if b >= 2:
        t = text.line_text(lines[b - 2]).strip()
        name = text.line_text(lines[b - 1]).strip()
        if t in titles and looks_like_name(name):
            return b - 2, b
    return None


def looks_like_name(s: str) -> bool:
    """A Vietnamese personal name as printed under a signature: 2-6 capitalised words."""
    words = s.split()
    return 2 <= len(words) <= 6 and all(
        len(w) <= 8 and w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower())
        for w in words)


# --------------------------------------------------------------------------- entry point

def parse_sections(text: Text) -> list[Section]:
    lines = text.lines
    n = len(lines)
    fn_lines = [i for i, ln in enumerate(lines) if ln.kind == "footnote"]
    body_end = fn_lines[0] if fn_lines else n
    footer = find_footer(text)
    b = _Builder(text)
    closers: list[int] = []  # line indices that close every open section
    if footer:
        closers.append(footer[0])
    i = 0
    while i < body_end:
        if footer and footer[0] <= i < footer[1]:
            i = footer[1]
            continue
        ln = lines[i]
        if ln.kind == "footnote":
            i += 1
            continue
        s = text.line_text(ln).strip()
        if ln.kind == "table_row":
            i += 1
            continue
        last = i  # the heading's last line
        if s[:1] == "P":
            app = is_appendix_line(s, ln)
            if app is None and (s == "PHỤ" or s == "Phụ") and i + 1 < body_end:
                # "PHỤ" / "LỤC III ...": a bold heading wrapped inside its word
                nl = lines[i + 1]
                app = is_appendix_line(s + " " + text.line_text(nl).strip(),
                                       Line(ln.start, nl.end, ln.kind, ln.bold or nl.bold, ln.heading))
                last = i + 1
            if app is not None:
                nxt = text.line_text(lines[last + 1]).strip() if last + 1 < body_end else None
                b.appendix(i, app[0], app[1], nxt, last + 1 < body_end and lines[last + 1].bold)
                if not app[1].strip() and b.nodes[-1].heading and last + 1 < body_end:
                    b.nodes[-1].heading = (_name_below(text, last + 1, body_end, False)
                                           or b.nodes[-1].heading)
                closers.append(i)
                i = last + 1
                continue
        cands = candidates(s)
        if not cands:
            if len(s) > 8 or i + 1 >= body_end or s.rstrip(" .:") not in _named_words():
                i += 1
                continue
            # "Điều" / "1. Phạm vi điều chỉnh": a bold heading wrapped after its word
            nl = lines[i + 1]
            cands = [c for c in candidates(s.rstrip(" .:") + " " + text.line_text(nl).strip())
                     if c.style in _NAMED_KINDS]
            if not cands or nl.kind not in ("para", "heading"):
                i += 1
                continue
            last = i + 1
            ln = Line(ln.start, nl.end, ln.kind, ln.bold or nl.bold, ln.heading or nl.heading)
        if cands[0].value == (1,) and b.deepest_named >= 0 and b.restarts(cands):
            # "Chương I" / "Điều 1" again: a document attached after the body, when a title
            # with "(Ban hành kèm theo ...)" precedes it, or when the numbering fits nowhere
            start, title, attached = _attachment_title(text, i, b.nodes[-1].line)
            if start is not None and (attached or not b.offer(i, ln, cands)):
                b.attachment(start, title)
                closers.append(start)
                taken = b.offer(i, ln, cands)
            else:
                taken = bool(b.nodes) and b.nodes[-1].line == i
        else:
            taken = b.offer(i, ln, cands)
        node = b.nodes[-1] if taken else None
        if node is not None and last + 1 < body_end:
            if not node.heading:
                # "Chương I" / "QUY ĐỊNH CHUNG": the name is printed on the next line(s)
                node.heading = _name_below(text, last + 1, body_end, node.style in _NAMED_KINDS)
            elif (len(node.heading) < 80 and _upper_line(node.heading)
                  and text.line_text(lines[last]).rstrip().endswith(node.heading)):
                # "I. VỊ TRÍ LẮP ĐẶT VÀ" / "HỆ THỐNG ĐO ĐẾM": an upper-case heading wrapped
                more = _name_below(text, last + 1, body_end, False)
                if more and _upper_line(more) and len(node.heading) + len(more) < HEADING_CAP:
                    node.heading = node.heading + " " + more
        i = last + 1
    if fn_lines:
        closers.append(fn_lines[0])
    closers.append(n)
    closers.sort()

    # spans: until the next heading of the same or a higher level, or a closer
    nodes = b.nodes
    out: list[Section] = []
    for k, node in enumerate(nodes):
        stop = next(c for c in closers if c > node.line)
        for other in nodes[k + 1:]:
            if other.line >= stop:
                break
            if other.level <= node.level:
                stop = other.line
                break
        last = max(stop - 1, node.line)
        parent = node.parent
        pid = parent.id if parent is not None and parent is not b.root and parent.id else None
        out.append(Section(id=node.id, heading=node.heading, level=node.level,
                           start=lines[node.line].start, end=lines[last].end, parent=pid,
                           kind=node.kind))

    if fn_lines:
        out.append(Section(id="FN", heading=_data()["footnotes_heading"], level=1,
                           start=lines[fn_lines[0]].start, end=lines[fn_lines[-1]].end,
                           parent=None, kind="footnote"))
        seen: set[str] = set()
        for j, i in enumerate(fn_lines):
            ln = lines[i]
            marker = ln.marker or str(j + 1)
            fid = f"FN.{marker}"
            k = 2
            while fid in seen:
                fid = f"FN.{marker}_{k}"
                k += 1
            seen.add(fid)
            body = text.line_text(ln)
            body = re.sub(r"^[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}\s*", "", body)
            out.append(Section(id=fid, heading=_cap(body), level=2, start=ln.start, end=ln.end,
                               parent="FN", kind="footnote"))
    return out


_NAMED_KINDS = ("part", "chapter", "subsection", "article")
_NAMED_WORDS: Optional[frozenset] = None


def _named_words() -> frozenset:
    global _NAMED_WORDS
    if _NAMED_WORDS is None:
        _NAMED_WORDS = frozenset(w for lv in _data()["named_levels"] for w in lv["words"])
    return _NAMED_WORDS


def _plain_line(text: Text, j: int, cap: int = HEADING_CAP) -> Optional[str]:
    """Line j's text when it is a paragraph or heading that opens no numbered division."""
    ln = text.lines[j]
    if ln.kind not in ("para", "heading") or ln.end - ln.start > cap:
        return None
    s = text.line_text(ln).strip()
    if not s or candidates(s):
        return None
    return s


def _name_below(text: Text, j: int, end: int, named: bool) -> str:
    """The name of a division printed under its number: an upper-case line (with up to two more
    upper-case lines it wraps onto), a bold line, or — for Phần/Chương/Mục/Điều, which always
    have a name — a line opening with a capital."""
    s = _plain_line(text, j, 4000 if named else HEADING_CAP)
    if s is None or (s[:1] == "P" and is_appendix_line(s, text.lines[j])):
        return ""
    if len(s) <= HEADING_CAP and _upper_line(s):
        parts, total, k = [s], len(s), j + 1
        while k < end and len(parts) < 3:
            t = _plain_line(text, k)
            if (t is None or not _upper_line(t) or total + len(t) >= HEADING_CAP
                    or t[:1] == "P" and is_appendix_line(t, text.lines[k])
                    or _FOOTER_OPEN is not None and _FOOTER_OPEN.match(t)):
                break
            parts.append(t)
            total += len(t) + 1
            k += 1
        return heading_text(" ".join(parts))
    if text.lines[j].bold or (named and s[:1].isupper()):
        return heading_text(s)
    return ""


def _attachment_title(text: Text, i: int, lo: int) -> tuple[Optional[int], str, bool]:
    """Where a document attached after the body begins, looking back from its first division
    (line i) over its title: upper-case lines and a "(Ban hành kèm theo ...)" line, stopping at
    the signature above them (line lo is the last heading of the body); whether the title says
    "kèm theo". (None, "", False) if untitled."""
    global _FOOTER_OPEN
    if _FOOTER_OPEN is None:
        _FOOTER_OPEN = _footer_open_re()
    titles = _data()["signer_titles"]
    start, parts, attached = None, [], False
    j = i - 1
    while j > lo and i - j <= 6:
        ln = text.lines[j]
        s = text.line_text(ln).strip()
        if ln.kind not in ("para", "heading") or not s or len(s) > 300:
            break
        if _ATTACHED_RE.match(s):
            start, attached = j, True
        elif _upper_line(s) and s not in titles and not _FOOTER_OPEN.match(s) and not candidates(s):
            parts.append(s)
            start = j
        else:
            break
        j -= 1
    return start, " ".join(reversed(parts)), attached


def _cap(s: str) -> str:
    s = s.strip()
    if len(s) <= HEADING_CAP:
        return s
    cut = s[:HEADING_CAP]
    sp = cut.rfind(" ")
    return cut[:sp] if sp > HEADING_CAP // 2 else cut
