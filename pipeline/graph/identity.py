"""Document identity: canonical keys, key families, issuer normalisation, identity tuples
(key, period, issuer) and the resolution of a key's tuples into nodes (an order-free function of
the set of tuples)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional, Sequence

from ..domain import best_date as document_date, fold, is_bare, norm_issuer
from ..resources import load

CANDIDATE_CAP = 200          # ambiguous nodes record at most this many candidates


# --------------------------------------------------------------------------- identity

_PARTY = re.compile(r"^\d+[A-Za-z]?-(?P<type>[^/\s]+)/(?P<issuer>\S+)$")
_NORMATIVE = re.compile(r"^\d+[A-Za-z]?/(?P<year>(?:19|20)\d\d)/(?P<symbol>\S+)$")
_STATE = re.compile(r"^\d+[A-Za-z]?/(?P<symbol>\S+)$")
_NATIONAL_CONGRESS = (1976, 1982, 1986, 1991, 1996, 2001, 2006, 2011, 2016, 2021, 2026)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
@lru_cache(maxsize=1)
def _issuer_data():
    iss = load("issuers")
    types = load("doc_types")
    national = {fold(k) for k in iss["symbol_issuers"]}
    type_codes = {fold(k) for k in types["types"]}
    return dict(national=national, type_codes=type_codes)


def normalise_key(key: Optional[str]) -> Optional[str]:
    """The canonical key as matched: NFC, no white space."""
    if not key:
        return None
    key = re.sub(r"\s+", "", unicodedata.normalize("NFC", key))
    return key or None


def family(key: str) -> str:
    """party (N-TYPE/ISSUER) | normative (N/YYYY/...) | state (N/TYPE-ISSUER, letters) | other."""
    if _PARTY.match(key):
        return "party"
    if _NORMATIVE.match(key):
        return "normative"
    if _STATE.match(key):
        return "state"
    return "other"


def _symbol_issuer_parts(symbol: str) -> list[str]:
    parts = [p for p in symbol.split("-") if p]
    if len(parts) > 1 and fold(parts[0]) in _issuer_data()["type_codes"]:
        return parts[1:]
    return parts[:1] if len(parts) > 1 else parts


def issuer_needed(key: str, fam: Optional[str] = None) -> bool:
    """Does the number need the issuer to be unique? Not when its symbol names one body
    (central Party codes ending in TW, national state bodies such as CP, TTg, BGDĐT, QH15)."""
    fam = fam or family(key)
    if fam == "party":
        return not fold(_PARTY.match(key).group("issuer")).endswith("TW")
    m = _NORMATIVE.match(key) or _STATE.match(key)
    if not m:
        return True
    national = _issuer_data()["national"]
    parts = _symbol_issuer_parts(m.group("symbol"))
    return not parts or not all(re.sub(r"\d+$", "", fold(p)) in national for p in parts)


def _roman(s: Optional[str]) -> Optional[int]:
    if not s:
        return None
    s = s.strip().upper()
    if not s or any(ch not in _ROMAN for ch in s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN[ch]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total


def _congress(n: int) -> int:
    """Year of the n-th national Party congress (IV = 1976 … XIV = 2026, then every 5 years)."""
    if n - 4 < len(_NATIONAL_CONGRESS):
        return _NATIONAL_CONGRESS[n - 4]
    return _NATIONAL_CONGRESS[-1] + 5 * (n - 4 - len(_NATIONAL_CONGRESS) + 1)


def party_terms(year: int, central: bool) -> Optional[tuple[int, int]]:
    """Possible term numbers for a Party document of `year`. Central committees change at the
    national congress (early in 2011, 2016, 2021 …); local ones a few months before (2010, 2015,
    2020 …). A congress year is compatible with both terms."""
    if year < 1976:
        return None
    shift = 0 if central else 1
    n = 4
    while _congress(n + 1) - shift <= year:
        n += 1
    if _congress(n) - shift == year:
        return (n - 1, n) if n > 4 else (n, n)
    return (n, n)


@dataclass(frozen=True)
class Tup:
    """An identity tuple; `ident` is its string form, unique across the database."""
    ident: str
    grp: str
    key: Optional[str]
    family: str
    lo: Optional[int]
    hi: Optional[int]
    issuer: Optional[str]
    bare: bool
    full: bool


def _period_str(fam: str, lo, hi) -> str:
    if lo is None:
        return ""
    if fam == "party":
        return f"t{lo}" if lo == hi else f"t{lo}-{hi}"
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _make_tup(grp: str, key: Optional[str], fam: str, lo, hi, issuer) -> Tup:
    bare = is_bare(issuer)
    full = lo is not None and lo == hi and issuer is not None and not bare
    return Tup(f"{grp}|{_period_str(fam, lo, hi)}|{issuer or ''}", grp, key, fam, lo, hi,
               issuer, bare, full)


def _year_of(year, date) -> Optional[int]:
    if year:
        try:
            return int(year)
        except (TypeError, ValueError):
            pass
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


def numbered_tuple(key: str, year=None, date=None, issuer=None, term=None) -> Optional[Tup]:
    """The identity tuple of a numbered document as a mention or a header describes it."""
    key = normalise_key(key)
    if not key:
        return None
    fam = family(key)
    y = _year_of(year, date)
    lo = hi = None
    if fam == "normative":
        lo = hi = int(_NORMATIVE.match(key).group("year"))
    elif fam == "party":
        central = not issuer_needed(key, fam)
        t = _roman(term) if central else None
        if t:
            lo = hi = t
        elif y:
            r = party_terms(y, central)
            if r:
                lo, hi = r
    elif y:
        lo = hi = y
    iss = norm_issuer(issuer) if issuer_needed(key, fam) else ""
    return _make_tup(key, key, fam, lo, hi, iss)


def draft_tuple(type_: Optional[str], issuer: Optional[str], date: Optional[str],
                title: Optional[str], path: Optional[str]) -> Tup:
    """Identity of a document without its own number: issuer, type, date and title (the file
    path only when none of these is known)."""
    iss = norm_issuer(issuer) or ""
    t = re.sub(r"\s+", " ", unicodedata.normalize("NFC", title or "")).strip().casefold()
    if not (iss or date or t):
        grp = f"draft|{type_ or ''}|path:{path}"
    else:
        th = hashlib.sha1(t.encode("utf-8")).hexdigest()[:12] if t else ""
        grp = f"draft|{type_ or ''}|{iss}|{date or ''}|{th}"
    return Tup(grp, grp, None, "draft", None, None, iss, False, True)


def document_tuple(doc: dict) -> Optional[Tup]:
    """A stored document's own identity, or None for a failed file that never had one."""
    key = normalise_key(doc.get("key"))
    if key:
        return numbered_tuple(key, doc.get("year"), doc.get("date"), doc.get("issuer"))
    if doc.get("status") != "ok" and not (doc.get("title") or doc.get("issuer")):
        return None
    return draft_tuple(doc.get("type"), doc.get("issuer"),
                       document_date(doc.get("date"), doc.get("date_text"), doc.get("year")),
                       doc.get("title"), doc.get("path"))


# --------------------------------------------------------------------------- group resolution

def _period_compat(a: Tup, b: Tup) -> bool:
    return a.lo is None or b.lo is None or (a.lo <= b.hi and b.lo <= a.hi)


def _issuer_compat(a: Tup, b: Tup) -> bool:
    x, y = a.issuer, b.issuer
    if x is None or y is None or x == y:
        return True
    return (a.bare and y.startswith(x + " ")) or (b.bare and x.startswith(y + " "))


def compatible(a: Tup, b: Tup) -> bool:
    """Could a and b be the same document (no field disagrees)?"""
    return _period_compat(a, b) and _issuer_compat(a, b)


def below(a: Tup, b: Tup) -> bool:
    """b says at least everything a says (b refines a)."""
    if a.lo is not None and (b.lo is None or b.lo < a.lo or b.hi > a.hi):
        return False
    if a.issuer is None or a.issuer == b.issuer:
        return True
    return a.bare and b.issuer is not None and b.issuer.startswith(a.issuer + " ")


def _join(ts: Sequence[Tup]) -> Tup:
    los = [t.lo for t in ts if t.lo is not None]
    his = [t.hi for t in ts if t.hi is not None]
    issuers = [t.issuer for t in ts if t.issuer is not None]
    t0 = ts[0]
    return _make_tup(t0.grp, t0.key, t0.family, max(los) if los else None,
                     min(his) if his else None, max(issuers, key=len) if issuers else None)


def resolve_group(tuples: Iterable[Tup]) -> tuple[dict[str, str], dict[str, dict]]:
    """Map each tuple of one group to its node. Returns (tuple ident → node ident,
    node ident → {tup, ambiguous, candidates}). A pure function of the set of tuples: this is
    what makes the graph independent of ingest order.

    Full tuples are their own nodes. A partial tuple compatible with fulls is 'below' them: it
    joins the one it fits, or is ambiguous. Maximal partials (nothing refines them) that are all
    pairwise compatible merge into one node; otherwise each stays apart and one that fits several
    is ambiguous."""
    tuples = sorted(set(tuples), key=lambda t: t.ident)
    nodes: dict[str, dict] = {}
    assign: dict[str, str] = {}
    fulls = [t for t in tuples if t.full]
    partials = [t for t in tuples if not t.full]
    for f in fulls:
        nodes[f.ident] = {"tup": f, "ambiguous": False, "candidates": []}
        assign[f.ident] = f.ident
    if not partials:
        return assign, nodes
    by_year: dict[int, list[Tup]] = defaultdict(list)
    by_issuer: dict[str, list[Tup]] = defaultdict(list)
    for f in fulls:
        by_year[f.lo].append(f)
        by_issuer[f.issuer].append(f)

    def full_candidates(p: Tup) -> list[Tup]:
        if p.lo is not None:
            pool = [f for y in range(p.lo, p.hi + 1) for f in by_year.get(y, ())]
        elif p.issuer is not None and not p.bare:
            pool = by_issuer.get(p.issuer, [])
        else:
            pool = fulls
        return sorted((f for f in pool if _issuer_compat(p, f)),
                      key=lambda t: t.ident)[:CANDIDATE_CAP]

    fc = {p.ident: full_candidates(p) for p in partials}
    maximal = [p for p in partials
               if not fc[p.ident] and not any(q is not p and below(p, q) and q.ident != p.ident
                                              for q in partials)]
    # components of maximal partials under compatibility
    seen: set[str] = set()
    member_node: dict[str, str] = {}
    for p in maximal:
        if p.ident in seen:
            continue
        comp, stack = [], [p]
        seen.add(p.ident)
        while stack:
            x = stack.pop()
            comp.append(x)
            for y in maximal:
                if y.ident not in seen and compatible(x, y):
                    seen.add(y.ident)
                    stack.append(y)
        clique = all(compatible(a, b) for i, a in enumerate(comp) for b in comp[i + 1:])
        if clique:
            j = _join(comp)
            nodes[j.ident] = {"tup": j, "ambiguous": False, "candidates": []}
            for x in comp:
                member_node[x.ident] = j.ident
        else:
            for x in comp:
                nbrs = sorted(y.ident for y in comp if y is not x and compatible(x, y))
                nodes[x.ident] = {"tup": x, "ambiguous": len(nbrs) >= 2, "candidates": nbrs}
                member_node[x.ident] = x.ident
    partial_nodes = sorted(set(member_node.values()))
    for p in partials:
        if p.ident in member_node:
            assign[p.ident] = member_node[p.ident]
            continue
        cands = [f.ident for f in fc[p.ident]]
        cands += [n for n in partial_nodes if compatible(p, nodes[n]["tup"])]
        cands = sorted(set(cands))
        if len(cands) == 1:
            assign[p.ident] = cands[0]
        else:
            nodes[p.ident] = {"tup": p, "ambiguous": True, "candidates": cands[:CANDIDATE_CAP]}
            assign[p.ident] = p.ident
    return assign, nodes
