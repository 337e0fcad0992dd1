"""The citation graph: document identities, graph tables kept in step with every saved document,
lineage queries in recursive SQL, networkx export and statistics.

Identity. Every document, ingested or only cited, is a node. A mention carries a canonical key
(`91-KL/TW`, `3707/KH-UBND`) and what the text says of it; the key alone is not unique (state
numbers restart each year per issuer, Party numbers each term per committee), so a mention's
identity is the tuple (key, period, issuer):
  * period: the year for state documents, the Party term for Party documents (from the year, or
    the stated "khóa XI" for central ones), the year in the number for normative documents;
    an interval when only a range is possible (a congress year), unknown when nothing says;
  * issuer: the normalised issuing body, used only when the symbol does not already name one body
    (`KH-UBND` needs it, `NQ-CP` and `KL/TW` do not); a body named without its place
    ("Tỉnh ủy") is "bare" and can be refined by any place.
Tuples with the same key form a group. Two tuples are the same document only when their fields
agree or cannot disagree. A fully specified tuple is always its own node; a partial one joins the
one node it is compatible with, and when it is compatible with several it becomes an *ambiguous*
node of its own whose candidates are recorded (node_candidates) — nothing is merged silently.
The resolution of a group is a function of the set of its tuples only, so the final graph does not
depend on the order documents were ingested. An ingested document's own header gives a tuple too:
when it matches the placeholder its citers created, that node becomes the document (same node,
same edges). A draft with a blank number gets an identity from issuer, type, date and title.

Tables (besides store.py's; `citations` is the mentions table):
  identities      distinct identity tuples, each mapped to its node (identity → node_id)
  nodes           one per document identity: status document | cited | ambiguous
  node_candidates ambiguous node → the nodes it may be
  mention_links   citation (mention) → identity, hence node; view `mentions` joins them
  document_nodes  ingested document → its own identity
  edge_sources    one row per document that gives evidence of an edge (the citing document
                  itself, origin 'cited', or a chain stated in its text, origin 'stated')
  edges           node → node per relation and origin, with mention and source counts and the
                  first evidence (earliest citing document)
  graph_dirty     documents written while no hook was registered (filled by triggers)
Maintenance is per document (`sync_document`, the store's after-save hook, inside the same
transaction); `rebuild` recomputes everything in bulk. Transitive queries are recursive CTEs that
visit each node once (UNION on the node id), so cycles and self-citations terminate.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from . import store
from .resources import load

LINEAGE = ("implements", "based_on")
CANDIDATE_CAP = 200          # ambiguous nodes record at most this many candidates
_DIRTY_REBUILD = 5000        # more dirty documents than this (and a fifth of all): bulk rebuild
_POSITIONS = ("title", "preamble", "body", "footnote")

# --------------------------------------------------------------------------- schema

_TABLES = """
CREATE TABLE IF NOT EXISTS identities (
    id INTEGER PRIMARY KEY,
    ident TEXT NOT NULL UNIQUE,      -- grp|period|issuer
    grp TEXT NOT NULL,               -- canonical key, or the draft identity
    key TEXT, family TEXT,
    lo INTEGER, hi INTEGER,          -- period interval (year or Party term); NULL unknown
    issuer TEXT,                     -- normalised; '' when the symbol names the body; NULL unknown
    bare INTEGER NOT NULL DEFAULT 0, -- issuer names a level without its place
    full INTEGER NOT NULL DEFAULT 0, -- every disambiguator known
    node_id INTEGER,
    type TEXT, number TEXT, year INTEGER, term TEXT, issuer_display TEXT, date TEXT, title TEXT
);
CREATE TABLE IF NOT EXISTS nodes (
    id INTEGER PRIMARY KEY,
    ident TEXT NOT NULL UNIQUE,
    grp TEXT NOT NULL,
    key TEXT, type TEXT, number TEXT, year INTEGER, term TEXT, issuer TEXT, date TEXT, title TEXT,
    status TEXT NOT NULL DEFAULT 'cited',   -- document | cited | ambiguous
    ambiguous INTEGER NOT NULL DEFAULT 0,
    candidates INTEGER NOT NULL DEFAULT 0,
    document_id INTEGER,                     -- the ingested document (first by path)
    documents INTEGER NOT NULL DEFAULT 0     -- ingested files with this identity
);
CREATE TABLE IF NOT EXISTS node_candidates (
    node_id INTEGER NOT NULL, candidate_id INTEGER NOT NULL,
    PRIMARY KEY (node_id, candidate_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mention_links (
    citation_id INTEGER PRIMARY KEY REFERENCES citations(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL,
    identity_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS document_nodes (
    document_id INTEGER PRIMARY KEY,
    identity_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS edge_sources (
    id INTEGER PRIMARY KEY,
    edge_id INTEGER,                 -- NULL when both ends are one node (self-citation)
    document_id INTEGER NOT NULL,
    src_identity INTEGER NOT NULL, dst_identity INTEGER NOT NULL,
    relation TEXT NOT NULL, origin TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    sort_key TEXT NOT NULL,          -- citing document date|path|offset: 'first' is order-free
    date TEXT, evidence TEXT, positions TEXT, sections TEXT
);
CREATE TABLE IF NOT EXISTS edges (
    id INTEGER PRIMARY KEY,
    source INTEGER NOT NULL, target INTEGER NOT NULL,
    relation TEXT NOT NULL, origin TEXT NOT NULL,   -- origin: cited | stated
    mentions INTEGER NOT NULL, sources INTEGER NOT NULL,
    first_key TEXT, first_date TEXT, first_document INTEGER, first_evidence TEXT
);
CREATE TABLE IF NOT EXISTS graph_dirty (document_id INTEGER PRIMARY KEY);
"""

_INDEXES = """
CREATE INDEX IF NOT EXISTS identities_grp_lo ON identities(grp, full, lo);
CREATE INDEX IF NOT EXISTS identities_grp_issuer ON identities(grp, full, issuer);
CREATE INDEX IF NOT EXISTS identities_node ON identities(node_id);
CREATE INDEX IF NOT EXISTS nodes_key ON nodes(key);
CREATE INDEX IF NOT EXISTS nodes_grp ON nodes(grp);
CREATE INDEX IF NOT EXISTS nodes_document ON nodes(document_id);
CREATE INDEX IF NOT EXISTS node_candidates_candidate ON node_candidates(candidate_id);
CREATE INDEX IF NOT EXISTS mention_links_identity ON mention_links(identity_id);
CREATE INDEX IF NOT EXISTS mention_links_document ON mention_links(document_id);
CREATE INDEX IF NOT EXISTS document_nodes_identity ON document_nodes(identity_id);
CREATE INDEX IF NOT EXISTS edge_sources_document ON edge_sources(document_id);
CREATE INDEX IF NOT EXISTS edge_sources_edge ON edge_sources(edge_id, sort_key);
CREATE INDEX IF NOT EXISTS edge_sources_src ON edge_sources(src_identity);
CREATE INDEX IF NOT EXISTS edge_sources_dst ON edge_sources(dst_identity);
CREATE UNIQUE INDEX IF NOT EXISTS edges_pair ON edges(source, target, relation, origin);
CREATE INDEX IF NOT EXISTS edges_down ON edges(target, relation, source, origin);
"""

_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS graph_dirty_ins AFTER INSERT ON documents
BEGIN INSERT OR IGNORE INTO graph_dirty(document_id) VALUES (new.id); END;
CREATE TRIGGER IF NOT EXISTS graph_dirty_upd
AFTER UPDATE OF path, status, sha256, key, type, number, year, issuer, date, date_text, title
ON documents BEGIN INSERT OR IGNORE INTO graph_dirty(document_id) VALUES (new.id); END;
CREATE TRIGGER IF NOT EXISTS graph_dirty_del AFTER DELETE ON documents
BEGIN INSERT OR IGNORE INTO graph_dirty(document_id) VALUES (old.id); END;
CREATE VIEW IF NOT EXISTS mentions AS
SELECT c.*, l.identity_id, i.node_id FROM citations c
JOIN mention_links l ON l.citation_id = c.id JOIN identities i ON i.id = l.identity_id;
"""

GRAPH_TABLES = ("identities", "nodes", "node_candidates", "mention_links", "document_nodes",
                "edge_sources", "edges", "graph_dirty")


def _has_graph(conn: sqlite3.Connection) -> bool:
    return conn.execute("select 1 from sqlite_master where type = 'table' and name = 'edges'"
                        ).fetchone() is not None


def _trigger_current(conn) -> bool:
    row = conn.execute("select sql from sqlite_master where type = 'trigger' "
                       "and name = 'graph_dirty_upd'").fetchone()
    return bool(row) and "UPDATE OF" in row[0]


def ensure_graph(db) -> bool:
    """Create the graph tables, indexes and triggers when missing. Returns True when it created
    them; documents stored before then are marked dirty, so the next query brings them in.
    Updates of documents that leave what the graph reads alone (a file's mtime) mark nothing."""
    conn = db.conn
    if _has_graph(conn):
        if not _trigger_current(conn):
            with store.write_transaction(db):
                conn.execute("drop trigger if exists graph_dirty_upd")
                for stmt in _statements(_TRIGGERS):
                    conn.execute(stmt)
        return False
    with store.write_transaction(db):
        if _has_graph(conn):
            return False
        for stmt in _statements(_TABLES + _INDEXES + _TRIGGERS):
            conn.execute(stmt)
        conn.execute("INSERT OR IGNORE INTO graph_dirty(document_id) SELECT id FROM documents")
    return True


def _statements(script: str) -> list[str]:
    out, buf = [], []
    for line in script.splitlines():
        line = line.split("--", 1)[0].rstrip()
        if not line:
            continue
        buf.append(line)
        joined = "\n".join(buf)
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    return out


# --------------------------------------------------------------------------- identity

_PARTY = re.compile(r"^\d+[A-Za-z]?-(?P<type>[^/\s]+)/(?P<issuer>\S+)$")
_NORMATIVE = re.compile(r"^\d+[A-Za-z]?/(?P<year>(?:19|20)\d\d)/(?P<symbol>\S+)$")
_STATE = re.compile(r"^\d+[A-Za-z]?/(?P<symbol>\S+)$")
_NATIONAL_CONGRESS = (1976, 1982, 1986, 1991, 1996, 2001, 2006, 2011, 2016, 2021, 2026)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_BARE_UNITS = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn",
               "tỉnh ủy", "thành ủy", "huyện ủy", "quận ủy", "thị ủy", "đảng ủy")
_ROLE_PREFIXES = ("ban thường vụ ", "thường trực ", "tm. ", "t/m ", "tm ")
_COMMITTEE_OF_UNIT = {"tỉnh": "tỉnh ủy", "thành phố": "thành ủy", "huyện": "huyện ủy",
                      "quận": "quận ủy", "thị xã": "thị ủy"}
_PARTY_BODY = re.compile(r"^(?:ban chấp hành )?đảng bộ (tỉnh|thành phố|huyện|quận|thị xã) (.+)$")


def _fold(s: str) -> str:
    return s.upper().replace("Đ", "D")


@lru_cache(maxsize=1)
def _issuer_data():
    iss = load("issuers")
    types = load("doc_types")
    abbrev = sorted(iss["abbreviations"].items(), key=lambda kv: len(kv[0]), reverse=True)
    alternatives = "|".join(re.escape(k) for k, _ in abbrev)
    abbrev_re = re.compile(r"(?<![\w&])(" + alternatives + r")(?![\w&])")
    spelling = {k: v for k, v in iss["spelling"].items()}
    spelling_re = re.compile(r"\w+")
    canonical = {k.casefold(): v.casefold() for k, v in iss["canonical"].items()
                 if not k.startswith("_")}
    national = {_fold(k) for k in iss["symbol_issuers"]}
    type_codes = {_fold(k) for k in types["types"]}
    return dict(abbrev=dict(abbrev), abbrev_re=abbrev_re, spelling=spelling,
                spelling_re=spelling_re, canonical=canonical, national=national,
                type_codes=type_codes)


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
    if len(parts) > 1 and _fold(parts[0]) in _issuer_data()["type_codes"]:
        return parts[1:]
    return parts[:1] if len(parts) > 1 else parts


def issuer_needed(key: str, fam: Optional[str] = None) -> bool:
    """Does the number need the issuer to be unique? Not when its symbol names one body
    (central Party codes ending in TW, national state bodies such as CP, TTg, BGDĐT, QH15)."""
    fam = fam or family(key)
    if fam == "party":
        return not _fold(_PARTY.match(key).group("issuer")).endswith("TW")
    m = _NORMATIVE.match(key) or _STATE.match(key)
    if not m:
        return True
    national = _issuer_data()["national"]
    parts = _symbol_issuer_parts(m.group("symbol"))
    return not parts or not all(re.sub(r"\d+$", "", _fold(p)) in national for p in parts)


def norm_issuer(s: Optional[str]) -> Optional[str]:
    """Comparison form of an issuing body: abbreviations expanded, old tone marks modernised,
    case folded, standing-committee and chairman prefixes dropped ('Ban Thường vụ Tỉnh ủy Lai
    Châu' and 'Tỉnh ủy Lai Châu' number their documents in one series)."""
    if not s:
        return None
    d = _issuer_data()
    s = unicodedata.normalize("NFC", s)
    s = d["spelling_re"].sub(lambda m: d["spelling"].get(m.group(0), m.group(0)), s)
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
        s = f"{_COMMITTEE_OF_UNIT[m.group(1)]} {m.group(2)}"
    s = d["canonical"].get(s, s)
    return s or None


def is_bare(issuer: Optional[str]) -> bool:
    """A body named by its level only ('tỉnh ủy', 'ủy ban nhân dân huyện')."""
    if not issuer:
        return False
    return any(issuer == u or issuer.endswith(" " + u) for u in _BARE_UNITS)


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


def document_date(date: Optional[str], date_text: Optional[str], year) -> Optional[str]:
    """ISO date, or YYYY-MM / YYYY when the day (or month) is left blank, as in drafts."""
    if date:
        return date
    m = re.search(r"tháng\s+(\d{1,2})\s+năm\s+(\d{4})", date_text or "")
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    return str(year) if year else None


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


# --------------------------------------------------------------------------- per-document parts

@dataclass
class _Contribution:
    src: Tup
    dst: Tup
    relation: str
    origin: str
    mentions: int
    sort_key: str
    evidence: Optional[str]
    positions: Optional[str]
    sections: Optional[str]


_CIT_COLS = ("id", "key", "type", "number", "year", "date", "issuer", "term", "title",
             "relation", "position", "section", "text", "start")
_DOC_COLS = ("id", "path", "status", "key", "type", "number", "year", "issuer", "date",
             "date_text", "title")


def _document_parts(doc: dict, cits: Sequence[tuple], rels: Sequence[tuple],
                    cache: Optional[dict] = None):
    """What one document contributes: its own tuple, (citation id, tuple, citation row) per
    mention, and its edge contributions (one per cited target and relation, one per stated
    chain). `cits` rows follow _CIT_COLS; `rels` rows are (source, relation, target, evidence)."""
    own = document_tuple(doc)
    cache = {} if cache is None else cache
    links = []
    for c in cits:
        key = c[1]
        if not key:
            continue
        sig = (key, c[4], c[5][:4] if c[5] else None, c[6], c[7])
        t = cache.get(sig)
        if t is None:
            t = numbered_tuple(key, c[4], c[5], c[6], c[7])
            if len(cache) < 2_000_000:
                cache[sig] = t
        if t is not None:
            links.append((c[0], t, c))
    contribs: list[_Contribution] = []
    if own is None:
        return own, links, contribs
    ddate = document_date(doc.get("date"), doc.get("date_text"), doc.get("year"))
    prefix = f"{ddate or '9999'}|{doc.get('path') or ''}|"
    groups: dict[tuple, list] = {}
    first_by_key: dict[str, Tup] = {}
    for cid, t, c in sorted(links, key=lambda x: (x[2][13] or 0, x[0])):
        first_by_key.setdefault(t.key, t)
        rel = c[9] or "mentions"
        g = groups.get((t.ident, rel))
        if g is None:
            groups[(t.ident, rel)] = [t, 1, c[13] or 0, c[12], [c[10]], [c[11]]]
        else:
            g[1] += 1
            g[4].append(c[10])
            g[5].append(c[11])
    for (_, rel), (t, n, start, text, positions, sections) in groups.items():
        pos = [p for p in _POSITIONS if p in positions] + sorted(
            {p for p in positions if p and p not in _POSITIONS})
        secs = list(dict.fromkeys(s for s in sections if s))[:20]
        contribs.append(_Contribution(own, t, rel, "cited", n, f"{prefix}{start:09d}", text,
                                      ",".join(pos) or None, ",".join(secs) or None))
    stated: dict[tuple, list] = {}
    for i, (src, rel, dst, evidence) in enumerate(rels):
        src, dst = normalise_key(src), normalise_key(dst)
        if not src or not dst or not rel:
            continue
        st = first_by_key.get(src) or numbered_tuple(src)
        dt = first_by_key.get(dst) or numbered_tuple(dst)
        if st is None or dt is None:
            continue
        k = (st.ident, rel, dt.ident)
        if k in stated:
            stated[k][2] += 1
        else:
            stated[k] = [st, dt, 1, i, evidence]
    for (_, rel, _), (st, dt, n, i, evidence) in stated.items():
        contribs.append(_Contribution(st, dt, rel, "stated", n, f"{prefix}s{i:08d}", evidence,
                                      None, None))
    return own, links, contribs


# --------------------------------------------------------------------------- incremental sync

def _doc_row(conn, doc_id: int) -> Optional[dict]:
    row = conn.execute(f"select {', '.join(_DOC_COLS)} from documents where id = ?",
                       [doc_id]).fetchone()
    return dict(zip(_DOC_COLS, row)) if row else None


def _identity_id(conn, t: Tup, disp: dict, created: list) -> int:
    """Get or create the identity row of `t`, folding display values in with min() (so the
    values shown do not depend on the order documents came in)."""
    row = conn.execute("select id from identities where ident = ?", [t.ident]).fetchone()
    if row is None:
        cur = conn.execute(
            "insert into identities(ident, grp, key, family, lo, hi, issuer, bare, full, type, "
            "number, year, term, issuer_display, date, title) "
            "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [t.ident, t.grp, t.key, t.family, t.lo, t.hi, t.issuer, int(t.bare), int(t.full),
             disp.get("type"), disp.get("number"), disp.get("year"), disp.get("term"),
             disp.get("issuer"), disp.get("date"), disp.get("title")])
        created.append((cur.lastrowid, t))
        return cur.lastrowid
    iid = row[0]
    sets, args = [], []
    for col, fld in (("type", "type"), ("number", "number"), ("year", "year"), ("term", "term"),
                     ("issuer_display", "issuer"), ("date", "date"), ("title", "title")):
        v = disp.get(fld)
        if v is not None:
            sets.append(f"{col} = coalesce(min({col}, ?), ?)")
            args += [v, v]
    if sets:
        conn.execute(f"update identities set {', '.join(sets)} where id = ?", args + [iid])
    return iid


def _merge_disp(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        if v is not None and (out.get(k) is None or v < out[k]):
            out[k] = v
    return out


def _disp_of_citation(c: tuple) -> dict:
    return {"type": c[2], "number": c[3], "year": _year_of(c[4], c[5]), "term": c[7],
            "issuer": c[6], "date": c[5], "title": c[8]}


DISPLAY_EXACT_LIMIT = 5000


def _recompute_display(conn, identity_ids: Iterable[int]) -> None:
    """After a document is replaced or removed, the values its mentions folded into an
    identity's display fields may be gone: recompute them from the mentions left. Identities
    cited more than DISPLAY_EXACT_LIMIT times keep their folded values (a value only the removed
    document gave can linger there until `rebuild`; identity and edges are exact regardless)."""
    for iid in identity_ids:
        n = conn.execute("select count(*) from (select 1 from mention_links where identity_id = ? "
                         "limit ?)", [iid, DISPLAY_EXACT_LIMIT + 1]).fetchone()[0]
        if n > DISPLAY_EXACT_LIMIT:
            continue
        agg = conn.execute(
            "select min(c.type), min(c.number), min(coalesce(c.year, cast(substr(c.date, 1, 4) "
            "as integer))), min(c.term), min(c.issuer), min(c.date), min(c.title) "
            "from mention_links l join citations c on c.id = l.citation_id "
            "where l.identity_id = ?", [iid]).fetchone()
        conn.execute("update identities set type = ?, number = ?, year = ?, term = ?, "
                     "issuer_display = ?, date = ?, title = ? where id = ?", [*agg, iid])


def _node_for_ident(conn, ident: str, grp: str) -> int:
    row = conn.execute("select id from nodes where ident = ?", [ident]).fetchone()
    if row:
        return row[0]
    return conn.execute("insert into nodes(ident, grp) values (?, ?)", [ident, grp]).lastrowid


def _edge_add(conn, src_node, dst_node, c_rel, origin, mentions, sort_key, date, doc_id,
              evidence) -> Optional[int]:
    if src_node == dst_node:
        return None
    return conn.execute(
        "insert into edges(source, target, relation, origin, mentions, sources, first_key, "
        "first_date, first_document, first_evidence) values (?,?,?,?,?,1,?,?,?,?) "
        "on conflict(source, target, relation, origin) do update set "
        "mentions = mentions + excluded.mentions, sources = sources + 1, "
        "first_date = case when excluded.first_key < first_key then excluded.first_date "
        "  else first_date end, "
        "first_document = case when excluded.first_key < first_key then excluded.first_document "
        "  else first_document end, "
        "first_evidence = case when excluded.first_key < first_key then excluded.first_evidence "
        "  else first_evidence end, "
        "first_key = min(first_key, excluded.first_key) returning id",
        [src_node, dst_node, c_rel, origin, mentions, sort_key, date, doc_id, evidence]
    ).fetchone()[0]


def _edge_remove(conn, edge_id, mentions, sort_key, refirst: set) -> None:
    if edge_id is None:
        return
    conn.execute("update edges set mentions = mentions - ?, sources = sources - 1 where id = ?",
                 [mentions, edge_id])
    refirst.add(edge_id)


def _finish_edges(conn, edge_ids: set) -> None:
    """Drop edges left without sources; recompute 'first' where a source went away."""
    for eid in edge_ids:
        row = conn.execute("select sources from edges where id = ?", [eid]).fetchone()
        if row is None:
            continue
        if row[0] <= 0:
            conn.execute("delete from edges where id = ?", [eid])
            continue
        first = conn.execute(
            "select sort_key, date, document_id, evidence from edge_sources where edge_id = ? "
            "order by sort_key limit 1", [eid]).fetchone()
        if first:
            conn.execute("update edges set first_key = ?, first_date = ?, first_document = ?, "
                         "first_evidence = ? where id = ?", [*first, eid])


def _node_of_identity(conn, iid: int) -> Optional[int]:
    row = conn.execute("select node_id from identities where id = ?", [iid]).fetchone()
    return row[0] if row else None


def _resolve_groups(conn, grps: Iterable[str]) -> tuple[list[tuple[int, int, int]], set[int]]:
    """Re-resolve groups whose set of tuples changed. Only partial tuples can move between
    nodes (a full tuple is always its own node), so each group loads its partials and the fulls
    compatible with them. Returns [(identity id, old node, new node)] and the nodes touched."""
    moved: list[tuple[int, int, int]] = []
    touched: set[int] = set()
    cols = "id, ident, grp, key, family, lo, hi, issuer, bare, full, node_id"
    for grp in sorted(set(grps)):
        rows = conn.execute(f"select {cols} from identities where grp = ? and full = 0",
                            [grp]).fetchall()
        partial_nodes = {r[10] for r in rows}
        # nodes previously made for partials of this group: their flags are recomputed
        prev = conn.execute("select id from nodes where grp = ? and (ambiguous = 1 or id in "
                            "(select node_id from identities where grp = ? and full = 0))",
                            [grp, grp]).fetchall()
        touched.update(r[0] for r in prev)
        touched.update(n for n in partial_nodes if n is not None)
        if not rows:
            for (nid,) in prev:
                conn.execute("update nodes set ambiguous = 0, candidates = 0 where id = ?", [nid])
                conn.execute("delete from node_candidates where node_id = ?", [nid])
            continue
        loaded = {r[1]: r for r in rows}
        for r in rows:
            lo, hi, issuer, bare = r[5], r[6], r[7], r[8]
            where, args = ["grp = ?", "full = 1"], [grp]
            if lo is not None:
                where.append("lo between ? and ?")
                args += [lo, hi]
            if issuer is not None and bare:
                where.append("substr(issuer, 1, ?) = ?")
                args += [len(issuer) + 1, issuer + " "]
            elif issuer is not None:
                where.append("issuer = ?")
                args.append(issuer)
            for f in conn.execute(f"select {cols} from identities where {' and '.join(where)} "
                                  f"order by ident limit ?", args + [CANDIDATE_CAP]):
                loaded.setdefault(f[1], f)
        tups = {ident: Tup(r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]), bool(r[9]))
                for ident, r in loaded.items()}
        assign, nodes = resolve_group(tups.values())
        node_ids = {ni: _node_for_ident(conn, ni, grp) for ni in nodes}
        for ni, info in nodes.items():
            nid = node_ids[ni]
            touched.add(nid)
            conn.execute("delete from node_candidates where node_id = ?", [nid])
            cands = [node_ids.get(c) or _node_for_ident(conn, c, grp) for c in info["candidates"]]
            conn.executemany("insert or ignore into node_candidates values (?, ?)",
                             [(nid, c) for c in cands])
            conn.execute("update nodes set ambiguous = ?, candidates = ? where id = ?",
                         [int(info["ambiguous"]), len(cands), nid])
        for ident, r in loaded.items():
            new = node_ids[assign[ident]]
            if r[10] != new:
                conn.execute("update identities set node_id = ? where id = ?", [new, r[0]])
                if r[10] is not None:
                    moved.append((r[0], r[10], new))
                touched.update(x for x in (r[10], new) if x is not None)
        for nid in touched:
            if not conn.execute("select 1 from nodes where id = ? and grp = ?",
                                [nid, grp]).fetchone():
                continue
            if nid not in node_ids.values():
                conn.execute("update nodes set ambiguous = 0, candidates = 0 where id = ?", [nid])
                conn.execute("delete from node_candidates where node_id = ?", [nid])
    return moved, touched


def _move_sources(conn, moved: list[tuple[int, int, int]], refirst: set) -> None:
    """Edges follow identities that changed node: each source row is re-filed under the edge
    between its ends' current nodes."""
    ids = sorted({m[0] for m in moved})
    seen: set[int] = set()
    for iid in ids:
        rows = conn.execute(
            "select id, edge_id, document_id, src_identity, dst_identity, relation, origin, "
            "mentions, sort_key, date, evidence from edge_sources "
            "where src_identity = ? or dst_identity = ?", [iid, iid]).fetchall()
        for (sid, eid, doc_id, si, di, rel, origin, n, sk, date, ev) in rows:
            if sid in seen:
                continue
            seen.add(sid)
            _edge_remove(conn, eid, n, sk, refirst)
            new = _edge_add(conn, _node_of_identity(conn, si), _node_of_identity(conn, di), rel,
                            origin, n, sk, date, doc_id, ev)
            conn.execute("update edge_sources set edge_id = ? where id = ?", [new, sid])
            if new is not None:
                refirst.add(new)


def _refresh_nodes(conn, node_ids: Iterable[int]) -> None:
    """Status, document link and display fields of nodes; nodes no identity maps to are
    removed (with their candidate rows)."""
    for nid in sorted(set(n for n in node_ids if n is not None)):
        if not conn.execute("select 1 from identities where node_id = ? limit 1",
                            [nid]).fetchone():
            conn.execute("delete from nodes where id = ?", [nid])
            conn.execute("delete from node_candidates where node_id = ? or candidate_id = ?",
                         [nid, nid])
            continue
        docs = conn.execute(
            "select d.id, d.key, d.type, d.number, d.year, d.issuer, d.date, d.date_text, d.title "
            "from document_nodes dn join identities i on i.id = dn.identity_id "
            "join documents d on d.id = dn.document_id where i.node_id = ? order by d.path",
            [nid]).fetchall()
        agg = conn.execute(
            "select min(key), min(type), min(number), min(year), min(term), min(issuer_display), "
            "min(date), min(title) from identities where node_id = ?", [nid]).fetchone()
        amb = conn.execute("select ambiguous from nodes where id = ?", [nid]).fetchone()[0]
        if docs:
            d = docs[0]
            vals = [normalise_key(d[1]) or agg[0], d[2], d[3], d[4] or agg[3], agg[4],
                    d[5], document_date(d[6], d[7], d[4]), d[8], "document", d[0], len(docs)]
        else:
            vals = [agg[0], agg[1], agg[2], agg[3], agg[4], agg[5], agg[6], agg[7],
                    "ambiguous" if amb else "cited", None, 0]
        conn.execute("update nodes set key = ?, type = ?, number = ?, year = ?, term = ?, "
                     "issuer = ?, date = ?, title = ?, status = ?, document_id = ?, documents = ? "
                     "where id = ?", vals + [nid])


def sync_document(db, doc_id: int) -> None:
    """Bring the graph in step with one document (saved, replaced or removed). Registered as
    the store's after-save hook, so it runs inside the write's own transaction."""
    conn = db.conn
    if not _has_graph(conn):
        ensure_graph(db)
    refirst: set[int] = set()
    touched_nodes: set[int] = set()
    changed_groups: set[str] = set()
    # 1. take back what the previous version contributed
    old_identities = {r[0] for r in conn.execute(
        "select identity_id from mention_links where document_id = ? union "
        "select identity_id from document_nodes where document_id = ? union "
        "select src_identity from edge_sources where document_id = ? union "
        "select dst_identity from edge_sources where document_id = ?", [doc_id] * 4)}
    for eid, n, sk in conn.execute("select edge_id, mentions, sort_key from edge_sources "
                                   "where document_id = ?", [doc_id]).fetchall():
        _edge_remove(conn, eid, n, sk, refirst)
    conn.execute("delete from edge_sources where document_id = ?", [doc_id])
    conn.execute("delete from mention_links where document_id = ?", [doc_id])
    conn.execute("delete from document_nodes where document_id = ?", [doc_id])
    for iid in old_identities:
        nid = _node_of_identity(conn, iid)
        if nid is not None:
            touched_nodes.add(nid)
    # 2. what the current version says
    doc = _doc_row(conn, doc_id)
    created: list[tuple[int, Tup]] = []
    contribs: list[_Contribution] = []
    ident_ids: dict[str, int] = {}
    if doc is not None:
        cits = conn.execute(f"select {', '.join(_CIT_COLS)} from citations "
                            f"where document_id = ? order by start, id", [doc_id]).fetchall()
        rels = conn.execute("select source, relation, target, evidence from relations "
                            "where document_id = ? order by id", [doc_id]).fetchall()
        own, links, contribs = _document_parts(doc, cits, rels)
        disp: dict[str, dict] = {}
        tups: dict[str, Tup] = {}
        for _, t, c in links:
            tups[t.ident] = t
            disp[t.ident] = _merge_disp(disp.get(t.ident, {}), _disp_of_citation(c))
        for cb in contribs:
            for t in (cb.src, cb.dst):
                tups.setdefault(t.ident, t)
        if own is not None:  # a document's own fields are shown from its row, not folded in
            tups[own.ident] = own
        for ident, t in sorted(tups.items()):
            ident_ids[ident] = _identity_id(conn, t, disp.get(ident, {}), created)
        conn.executemany("insert into mention_links(citation_id, document_id, identity_id) "
                         "values (?, ?, ?)", [(cid, doc_id, ident_ids[t.ident])
                                              for cid, t, _ in links])
        if own is not None:
            conn.execute("insert into document_nodes(document_id, identity_id) values (?, ?)",
                         [doc_id, ident_ids[own.ident]])
    # 3. new full tuples are their own nodes; new partials and vanished tuples re-resolve a group
    for iid, t in created:
        if t.full:
            nid = _node_for_ident(conn, t.ident, t.grp)
            conn.execute("update identities set node_id = ? where id = ?", [nid, iid])
            touched_nodes.add(nid)
            if conn.execute("select 1 from identities where grp = ? and full = 0 limit 1",
                            [t.grp]).fetchone():
                changed_groups.add(t.grp)
        else:
            changed_groups.add(t.grp)
    current = set(ident_ids.values())
    for iid in old_identities - current:
        if conn.execute(
                "select exists(select 1 from mention_links where identity_id = ?) or "
                "exists(select 1 from document_nodes where identity_id = ?) or "
                "exists(select 1 from edge_sources where src_identity = ?) or "
                "exists(select 1 from edge_sources where dst_identity = ?)", [iid] * 4
        ).fetchone()[0]:
            continue
        row = conn.execute("select grp, node_id from identities where id = ?", [iid]).fetchone()
        conn.execute("delete from identities where id = ?", [iid])
        if row:
            changed_groups.add(row[0])
            touched_nodes.add(row[1])
    _recompute_display(conn, old_identities)
    moved, touched = _resolve_groups(conn, changed_groups)
    touched_nodes |= touched
    _move_sources(conn, moved, refirst)
    # 4. this version's edges, under the nodes as now resolved
    if contribs:
        ddate = document_date(doc.get("date"), doc.get("date_text"), doc.get("year"))
        node_cache: dict[int, int] = {}
        for cb in contribs:
            si, di = ident_ids[cb.src.ident], ident_ids[cb.dst.ident]
            for iid in (si, di):
                if iid not in node_cache:
                    node_cache[iid] = _node_of_identity(conn, iid)
            eid = _edge_add(conn, node_cache[si], node_cache[di], cb.relation, cb.origin,
                            cb.mentions, cb.sort_key, ddate, doc_id, cb.evidence)
            conn.execute(
                "insert into edge_sources(edge_id, document_id, src_identity, dst_identity, "
                "relation, origin, mentions, sort_key, date, evidence, positions, sections) "
                "values (?,?,?,?,?,?,?,?,?,?,?,?)",
                [eid, doc_id, si, di, cb.relation, cb.origin, cb.mentions, cb.sort_key, ddate,
                 cb.evidence, cb.positions, cb.sections])
        touched_nodes.update(node_cache.values())
    _finish_edges(conn, refirst)
    for iid in current:
        touched_nodes.add(_node_of_identity(conn, iid))
    _refresh_nodes(conn, touched_nodes)
    conn.execute("delete from graph_dirty where document_id = ?", [doc_id])


def _after_save(db, doc_id: int) -> None:
    sync_document(db, doc_id)


store.register_after_save(_after_save)


def sync(db) -> int:
    """Bring in documents written while the hook was not registered (the triggers list them).
    Returns how many were processed."""
    ensure_graph(db)
    conn = db.conn
    if conn.execute("select 1 from graph_dirty limit 1").fetchone() is None:
        return 0
    with store.write_transaction(db):
        ids = [r[0] for r in conn.execute("select document_id from graph_dirty order by 1")]
        total = conn.execute("select count(*) from documents").fetchone()[0]
        if len(ids) > max(_DIRTY_REBUILD, total // 5):
            return rebuild(db)["documents"]
        for doc_id in ids:
            sync_document(db, doc_id)
    return len(ids)


# --------------------------------------------------------------------------- bulk rebuild

def rebuild(db, *, progress=None) -> dict:
    """Recompute every graph table from documents, citations and relations in bulk (streamed,
    indexes built after loading). Same result as syncing documents one by one."""
    conn = db.conn
    say = progress or (lambda msg: None)
    ensure_graph(db)
    with store.write_transaction(db):
        for stmt in _statements(_INDEXES):
            name = re.search(r"EXISTS (\w+)", stmt).group(1)
            conn.execute(f"drop index if exists {name}")
        for t in GRAPH_TABLES:
            conn.execute(f"delete from {t}")
        conn.execute("create temp table if not exists _sources (document_id integer, "
                     "src_identity integer, dst_identity integer, relation text, origin text, "
                     "mentions integer, sort_key text, date text, evidence text, positions text, "
                     "sections text)")
        conn.execute("delete from temp._sources")
        ident_ids: dict[str, int] = {}
        tups: list[Tup] = []
        disp: list[dict] = []

        def iid_of(t: Tup, d: Optional[dict]) -> int:
            i = ident_ids.get(t.ident)
            if i is None:
                i = len(tups) + 1
                ident_ids[t.ident] = i
                tups.append(t)
                disp.append(dict(d) if d else {})
            elif d:
                cur = disp[i - 1]
                for k, v in d.items():
                    if v is not None and (cur.get(k) is None or v < cur[k]):
                        cur[k] = v
            return i

        doc_own: list[tuple[int, int, str]] = []
        links_batch: list[tuple] = []
        src_batch: list[tuple] = []
        cache: dict = {}
        n_docs = n_cits = 0
        docs = conn.cursor().execute(f"select {', '.join(_DOC_COLS)} from documents order by id")
        cit_cur = conn.cursor().execute(
            f"select document_id, {', '.join(_CIT_COLS)} from citations order by document_id, "
            f"start, id")
        rel_cur = conn.cursor().execute("select document_id, source, relation, target, evidence "
                                        "from relations order by document_id, id")
        cit_next = cit_cur.fetchone()
        rel_next = rel_cur.fetchone()
        for drow in docs:
            doc = dict(zip(_DOC_COLS, drow))
            did = doc["id"]
            cits, rels = [], []
            while cit_next is not None and cit_next[0] < did:
                cit_next = cit_cur.fetchone()
            while cit_next is not None and cit_next[0] == did:
                cits.append(cit_next[1:])
                cit_next = cit_cur.fetchone()
            while rel_next is not None and rel_next[0] < did:
                rel_next = rel_cur.fetchone()
            while rel_next is not None and rel_next[0] == did:
                rels.append(rel_next[1:])
                rel_next = rel_cur.fetchone()
            own, links, contribs = _document_parts(doc, cits, rels, cache)
            n_docs += 1
            n_cits += len(cits)
            for cid, t, c in links:
                links_batch.append((cid, did, iid_of(t, _disp_of_citation(c))))
            if own is not None:
                oid = iid_of(own, None)
                doc_own.append((did, oid, doc.get("path") or ""))
                ddate = document_date(doc.get("date"), doc.get("date_text"), doc.get("year"))
                for cb in contribs:
                    src_batch.append((did, iid_of(cb.src, None), iid_of(cb.dst, None),
                                      cb.relation, cb.origin, cb.mentions, cb.sort_key, ddate,
                                      cb.evidence, cb.positions, cb.sections))
            if len(links_batch) >= 200_000:
                conn.executemany("insert into mention_links values (?, ?, ?)", links_batch)
                links_batch.clear()
            if len(src_batch) >= 200_000:
                conn.executemany("insert into temp._sources values (?,?,?,?,?,?,?,?,?,?,?)",
                                 src_batch)
                src_batch.clear()
            if n_docs % 100_000 == 0:
                say(f"read {n_docs} documents, {n_cits} mentions")
        conn.executemany("insert into mention_links values (?, ?, ?)", links_batch)
        conn.executemany("insert into temp._sources values (?,?,?,?,?,?,?,?,?,?,?)", src_batch)
        links_batch.clear()
        src_batch.clear()
        cache.clear()
        say(f"read {n_docs} documents, {n_cits} mentions, {len(tups)} identities; resolving")
        # resolve every group
        by_grp: dict[str, list[Tup]] = defaultdict(list)
        for t in tups:
            by_grp[t.grp].append(t)
        node_ids: dict[str, int] = {}
        node_rows: list[tuple] = []
        node_of_identity: list[int] = [0] * (len(tups) + 1)
        cand_rows: list[tuple[int, int]] = []
        for grp in sorted(by_grp):
            members = by_grp[grp]
            if len(members) == 1 and members[0].full:
                assign, nodes = {members[0].ident: members[0].ident}, {
                    members[0].ident: {"tup": members[0], "ambiguous": False, "candidates": []}}
            else:
                assign, nodes = resolve_group(members)
            for ni in sorted(nodes):
                node_ids[ni] = len(node_rows) + 1
                node_rows.append((ni, grp, nodes[ni]))
            for ni, info in nodes.items():
                for c in info["candidates"]:
                    cand_rows.append((node_ids[ni], node_ids[c]))
            for t in members:
                node_of_identity[ident_ids[t.ident]] = node_ids[assign[t.ident]]
        by_grp.clear()
        say(f"{len(node_rows)} nodes; writing identities and nodes")
        conn.executemany(
            "insert into identities(id, ident, grp, key, family, lo, hi, issuer, bare, full, "
            "node_id, type, number, year, term, issuer_display, date, title) "
            "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ((i + 1, t.ident, t.grp, t.key, t.family, t.lo, t.hi, t.issuer, int(t.bare),
              int(t.full), node_of_identity[i + 1], d.get("type"), d.get("number"),
              d.get("year"), d.get("term"), d.get("issuer"), d.get("date"), d.get("title"))
             for i, (t, d) in enumerate(zip(tups, disp))))
        conn.executemany("insert into document_nodes values (?, ?)",
                         ((d, i) for d, i, _ in doc_own))
        # display: the node's first document by path, else the min of its identities' values
        node_doc: dict[int, list] = {}
        for did, iid, path in doc_own:
            nid = node_of_identity[iid]
            cur = node_doc.get(nid)
            if cur is None:
                node_doc[nid] = [path, did, 1]
            else:
                cur[2] += 1
                if path < cur[0]:
                    cur[0], cur[1] = path, did
        agg: dict[int, dict] = {}
        for i, d in enumerate(disp):
            nid = node_of_identity[i + 1]
            a = agg.get(nid)
            if a is None:
                agg[nid] = dict(d, key=tups[i].key)
            else:
                for k, v in list(d.items()) + [("key", tups[i].key)]:
                    if v is not None and (a.get(k) is None or v < a[k]):
                        a[k] = v
        tups.clear()
        disp.clear()
        ident_ids.clear()
        node_of_identity.clear()
        doc_fields = {}
        wanted = [v[1] for v in node_doc.values()]
        for i in range(0, len(wanted), 50_000):
            chunk = wanted[i:i + 50_000]
            for r in conn.execute(
                    "select id, key, type, number, year, issuer, date, date_text, title "
                    "from documents where id in (select value from json_each(?))",
                    [json.dumps(chunk)]):
                doc_fields[r[0]] = r

        def node_values():
            for nid, (ni, grp, info) in enumerate(node_rows, start=1):
                a = agg.get(nid, {})
                nd = node_doc.get(nid)
                if nd:
                    d = doc_fields[nd[1]]
                    yield (nid, ni, grp, normalise_key(d[1]) or a.get("key"), d[2], d[3],
                           d[4] or a.get("year"), a.get("term"), d[5],
                           document_date(d[6], d[7], d[4]), d[8], "document",
                           int(info["ambiguous"]), len(info["candidates"]), nd[1], nd[2])
                else:
                    yield (nid, ni, grp, a.get("key"), a.get("type"), a.get("number"),
                           a.get("year"), a.get("term"), a.get("issuer"), a.get("date"),
                           a.get("title"), "ambiguous" if info["ambiguous"] else "cited",
                           int(info["ambiguous"]), len(info["candidates"]), None, 0)
        conn.executemany(
            "insert into nodes(id, ident, grp, key, type, number, year, term, issuer, date, "
            "title, status, ambiguous, candidates, document_id, documents) "
            "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", node_values())
        conn.executemany("insert or ignore into node_candidates values (?, ?)", cand_rows)
        n_nodes = len(node_rows)
        for big in (node_rows, agg, node_doc, doc_fields, cand_rows):
            big.clear()
        say("aggregating edges")
        conn.execute(
            "insert into edges(source, target, relation, origin, mentions, sources, first_key, "
            "first_date, first_document, first_evidence) "
            "select s.node_id, d.node_id, x.relation, x.origin, sum(x.mentions), count(*), "
            "min(x.sort_key), x.date, x.document_id, x.evidence "
            "from temp._sources x join identities s on s.id = x.src_identity "
            "join identities d on d.id = x.dst_identity where s.node_id != d.node_id "
            "group by s.node_id, d.node_id, x.relation, x.origin")
        say("indexing edges")
        conn.execute("create unique index edges_pair on edges(source, target, relation, origin)")
        say("writing edge sources")
        conn.execute(
            "insert into edge_sources(edge_id, document_id, src_identity, dst_identity, relation, "
            "origin, mentions, sort_key, date, evidence, positions, sections) "
            "select e.id, x.document_id, x.src_identity, x.dst_identity, x.relation, x.origin, "
            "x.mentions, x.sort_key, x.date, x.evidence, x.positions, x.sections "
            "from temp._sources x join identities s on s.id = x.src_identity "
            "join identities d on d.id = x.dst_identity "
            "left join edges e on e.source = s.node_id and e.target = d.node_id "
            "and e.relation = x.relation and e.origin = x.origin")
        conn.execute("drop table temp._sources")
        say("indexing")
        for stmt in _statements(_INDEXES):
            conn.execute(stmt)
        conn.execute("delete from graph_dirty")
        n_edges = conn.execute("select count(*) from edges").fetchone()[0]
    conn.execute("analyze")
    return {"documents": n_docs, "mentions": n_cits, "nodes": n_nodes, "edges": n_edges}


# --------------------------------------------------------------------------- reading

_NODE_COLS = ("id", "ident", "key", "type", "number", "year", "term", "issuer", "date", "title",
              "status", "ambiguous", "candidates", "document_id", "documents")


def _ready(db) -> sqlite3.Connection:
    ensure_graph(db)
    sync(db)
    return db.conn


def _label(n: dict) -> str:
    if n.get("key"):
        return n["key"]
    if n.get("path"):
        return Path(n["path"]).stem
    return n.get("ident") or f"node:{n.get('id')}"


def nodes_by_id(db, ids: Iterable[int]) -> dict[int, dict]:
    """Display dicts of nodes (with the stored document's path), by node id."""
    conn = db.conn if hasattr(db, "conn") else db
    ids = sorted({int(i) for i in ids if i is not None})
    out: dict[int, dict] = {}
    cols = ", ".join(f"n.{c}" for c in _NODE_COLS)
    for i in range(0, len(ids), 50_000):
        chunk = ids[i:i + 50_000]
        for r in conn.execute(f"select {cols}, d.path from nodes n left join documents d "
                              f"on d.id = n.document_id where n.id in "
                              f"(select value from json_each(?))", [json.dumps(chunk)]):
            n = dict(zip(_NODE_COLS + ("path",), r))
            n["ambiguous"] = bool(n["ambiguous"])
            n["label"] = _label(n)
            out[n["id"]] = n
    return out


def _canonical_key(ref: str) -> Optional[str]:
    """The key the citation grammar makes of `ref` ('91/KL-TW' → '91-KL/TW'), if any."""
    try:
        from .citations.parse import find_citations
        found = find_citations(ref)
    except Exception:  # noqa: BLE001 - the grammar is optional here: exact keys still work
        return None
    return found[0].key if found else None


def resolve_ref(db, ref: str, *, year: Optional[int] = None,
                issuer: Optional[str] = None) -> list[int]:
    """Node ids named by `ref`: 'node:ID', a key (all its nodes, narrowed by year and issuer
    when given), or anything query.find_document accepts (id, path, file name)."""
    conn = _ready(db)
    ref = (ref or "").strip()
    if not ref:
        return []
    if ref.startswith("node:") and ref[5:].isdigit():
        return [r[0] for r in conn.execute("select id from nodes where id = ?", [int(ref[5:])])]
    ids: list[int] = []
    for k in dict.fromkeys(filter(None, [normalise_key(ref), _canonical_key(ref)])):
        ids = [r[0] for r in conn.execute("select id from nodes where key = ? order by ident", [k])]
        if ids:
            break
    if ids:
        if year is not None or issuer:
            want = norm_issuer(issuer) if issuer else None
            keep = []
            for nid, n in nodes_by_id(db, ids).items():
                if year is not None and (n["year"] is None or int(n["year"]) != int(year)):
                    continue
                if want and want not in (norm_issuer(n["issuer"]) or ""):
                    continue
                keep.append(nid)
            ids = keep
        return ids
    from .query import find_document

    doc = find_document(db, ref)
    if doc:
        row = conn.execute("select i.node_id from document_nodes dn join identities i "
                           "on i.id = dn.identity_id where dn.document_id = ?",
                           [doc["id"]]).fetchone()
        if row:
            return [row[0]]
    return []


@lru_cache(maxsize=1)
def _strength_order() -> dict[str, int]:
    return {r: i for i, r in enumerate(load("relations")["strength"])}


def _strength(rel: str) -> int:
    """Rank of a relation, strongest first (models/relations.json: implements, based_on, …)."""
    order = _strength_order()
    return order.get(rel, len(order))


def _in_list(values: Sequence[str]) -> str:
    return ", ".join("?" for _ in values)


def cited_by(db, ref: str, *, year=None, issuer=None, limit: Optional[int] = None) -> dict:
    """Documents citing `ref`: per citing node the relations (strongest first), mention count,
    positions and sections, first evidence; `since` is the earliest citing document date.
    Citers come earliest first; with `limit` only those are detailed (the count and `since`
    still cover all)."""
    conn = _ready(db)
    targets = resolve_ref(db, ref, year=year, issuer=issuer)
    if not targets:
        return {"query": ref, "targets": [], "citing": [], "documents": 0, "since": None,
                "truncated": False}
    rows = conn.execute(
        "select e.id, e.source, e.target, e.relation, e.mentions, e.first_date, e.first_key, "
        "e.first_evidence from edges e where e.origin = 'cited' and e.target in "
        "(select value from json_each(?))", [json.dumps(targets)]).fetchall()
    by_source: dict[int, dict] = {}
    for eid, src, tgt, rel, n, first_date, first_key, ev in rows:
        s = by_source.get(src)
        if s is None:
            s = by_source[src] = {"relations": {}, "mentions": 0, "first_date": first_date,
                                  "first_key": first_key or "", "evidence": ev,
                                  "ev_rel": rel, "edges": [], "targets": set()}
        s["relations"][rel] = s["relations"].get(rel, 0) + n
        s["mentions"] += n
        s["targets"].add(tgt)
        s["edges"].append(eid)
        if first_date and (s["first_date"] is None or first_date < s["first_date"]):
            s["first_date"] = first_date
        s["first_key"] = min(s["first_key"], first_key or "")
        if _strength(rel) < _strength(s["ev_rel"]):
            s["evidence"], s["ev_rel"] = ev, rel
    order = sorted(by_source, key=lambda k: (by_source[k]["first_date"] or "9999",
                                             by_source[k]["first_key"]))
    total = len(order)
    since = min((s["first_date"] for s in by_source.values() if s["first_date"]), default=None)
    if limit is not None:
        order = order[:limit]
    where: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    edge_ids = [e for src in order for e in by_source[src]["edges"]]
    for i in range(0, len(edge_ids), 50_000):
        for eid, pos, secs in conn.execute(
                "select edge_id, positions, sections from edge_sources where edge_id in "
                "(select value from json_each(?))", [json.dumps(edge_ids[i:i + 50_000])]):
            w = where[eid]
            w[0].extend(pos.split(",") if pos else [])
            w[1].extend(secs.split(",") if secs else [])
    nodes = nodes_by_id(db, order + targets)
    citing = []
    for src in order:
        s, n = by_source[src], nodes[src]
        positions = [p for e in s["edges"] for p in where[e][0]]
        sections = [x for e in s["edges"] for x in where[e][1]]
        citing.append({
            "node": n, "label": n["label"], "relation": min(s["relations"], key=_strength),
            "relations": s["relations"], "mentions": s["mentions"],
            "date": s["first_date"] or n["date"], "evidence": s["evidence"],
            "positions": [p for p in _POSITIONS if p in positions],
            "sections": list(dict.fromkeys(x for x in sections if x)),
            "targets": sorted(nodes[t]["label"] for t in s["targets"]),
        })
    return {"query": ref, "targets": [nodes[t] for t in targets], "citing": citing,
            "documents": total, "since": since, "truncated": len(citing) < total}


def cites(db, ref: str) -> dict:
    """What a document cites (one row per cited node, relations strongest first) and the chains
    its text states between other documents."""
    conn = _ready(db)
    srcs = resolve_ref(db, ref)
    if not srcs:
        return {"query": ref, "sources": [], "cites": [], "stated": []}
    rows = conn.execute(
        "select e.target, e.relation, e.mentions, e.first_evidence, es.positions, es.sections "
        "from edges e left join edge_sources es on es.edge_id = e.id "
        "and es.document_id = e.first_document "
        "where e.origin = 'cited' and e.source in (select value from json_each(?))",
        [json.dumps(srcs)]).fetchall()
    docs = [r[0] for r in conn.execute(
        "select document_id from nodes where id in (select value from json_each(?)) "
        "and document_id is not null", [json.dumps(srcs)])]
    stated_rows = conn.execute(
        "select s.node_id, es.relation, d.node_id, es.mentions, es.evidence from edge_sources es "
        "join identities s on s.id = es.src_identity join identities d on d.id = es.dst_identity "
        "where es.origin = 'stated' and es.document_id in (select value from json_each(?)) "
        "order by es.sort_key", [json.dumps(docs)]).fetchall()
    nodes = nodes_by_id(db, [r[0] for r in rows] + [r[0] for r in stated_rows]
                        + [r[2] for r in stated_rows] + srcs)
    per: dict[int, dict] = {}
    for tgt, rel, n, ev, pos, secs in rows:
        p = per.setdefault(tgt, {"node": nodes[tgt], "label": nodes[tgt]["label"],
                                 "relations": {}, "mentions": 0, "positions": [],
                                 "sections": [], "evidence": None})
        p["relations"][rel] = p["relations"].get(rel, 0) + n
        p["mentions"] += n
        p["positions"] += (pos or "").split(",") if pos else []
        p["sections"] += (secs or "").split(",") if secs else []
        if p["evidence"] is None:
            p["evidence"] = ev
    out = []
    for p in per.values():
        p["relation"] = sorted(p["relations"], key=_strength)[0]
        p["positions"] = [x for x in _POSITIONS if x in p["positions"]]
        p["sections"] = list(dict.fromkeys(x for x in p["sections"] if x))
        out.append(p)
    out.sort(key=lambda p: (_strength(p["relation"]), p["label"]))
    stated = [{"source": nodes[s]["label"], "relation": rel, "target": nodes[t]["label"],
               "source_node": s, "target_node": t, "mentions": n, "evidence": ev}
              for s, rel, t, n, ev in stated_rows]
    return {"query": ref, "sources": [nodes[s] for s in srcs], "cites": out, "stated": stated}


# a document's validity as the graph shows it: the acts of later documents on it, strongest first
# relation of a later document → (field of the answer, the status it gives), strongest first
_VALIDITY = {"replaces": ("replaced_by", "replaced"), "repeals": ("repealed_by", "repealed"),
             "amends": ("amended_by", "amended"), "guides": ("guided_by", None)}


def validity(db, ref: str, *, year=None, issuer=None) -> dict:
    """What later documents did to `ref`: replaced, repealed, amended (by whom, dated by the acting
    document, with its effective date when stored) and which documents guide it. Derived from the
    incoming edges, cited or stated ('Nghị định 167/2025/NĐ-CP sửa đổi Nghị định 08/2015/NĐ-CP');
    `status` is the strongest act known, or 'no change known' (we know only what was ingested)."""
    conn = _ready(db)
    targets = resolve_ref(db, ref, year=year, issuer=issuer)
    out = {"query": ref, "targets": [], "status": None, "replaced_by": [], "repealed_by": [],
           "amended_by": [], "guided_by": []}
    if not targets:
        return out
    rows = conn.execute(
        "select e.source, e.relation, e.first_date, e.first_evidence, d.effective "
        "from edges e join nodes n on n.id = e.source left join documents d on d.id = n.document_id "
        "where e.relation in ('replaces', 'repeals', 'amends', 'guides') "
        "and e.source != e.target and e.target in (select value from json_each(?)) "
        "order by e.first_date, e.source", [json.dumps(targets)]).fetchall()
    nodes = nodes_by_id(db, targets + [r[0] for r in rows])
    out["targets"] = [nodes[t] for t in targets]
    seen = set()
    for src, rel, date, evidence, effective in rows:
        field = _VALIDITY[rel][0]
        if (field, src) in seen:
            continue
        seen.add((field, src))
        n = nodes[src]
        out[field].append({"node": n, "label": n["label"], "date": date or n["date"],
                           "effective": effective, "evidence": evidence})
    out["status"] = next((state for field, state in _VALIDITY.values() if state and out[field]),
                         "no change known")
    return out


def _subgraph(conn, roots: Sequence[int], relations: Sequence[str], down: bool,
              limit: Optional[int]) -> tuple[set[int], list[tuple[int, int, str, str]], bool]:
    """Nodes reachable from `roots` along lineage edges (down: towards implementers, else up
    towards what they implement) and the lineage edges among them.

    A recursive CTE with UNION on the node id: every node is expanded once, so cycles end and
    the work is linear in the answer. Each step reads a node's edges in a correlated subquery
    (an index search) rather than a join: with ANALYZE statistics SQLite would put a Bloom filter
    on a join, which is built by scanning the whole edges index on every call."""
    rel_in = _in_list(relations)
    near, far = ("target", "source") if down else ("source", "target")
    cap = (limit + 1) if limit else -1
    sql = (
        f"with recursive walk(n) as ("
        f" select value from json_each(?)"
        f" union"
        f" select j.value from walk, json_each((select json_group_array(e.{far}) from edges e"
        f"   where e.{near} = walk.n and e.relation in ({rel_in}))) j"
        f" limit ?)"
        f" select n, null, null, null from walk"
        f" union all"
        f" select e.source, e.target, e.relation, e.origin from edges e"
        f" where e.{near} in (select n from walk) and e.relation in ({rel_in})")
    visited: set[int] = set()
    edges = []
    for a, t, rel, origin in conn.execute(sql, [json.dumps(list(roots)), *relations, cap,
                                               *relations]):
        if t is None:
            visited.add(a)
        else:
            edges.append((a, t, rel, origin))
    truncated = bool(limit) and len(visited) > limit
    ends = (lambda e: e[0]) if down else (lambda e: e[1])
    edges = [e for e in edges if ends(e) in visited]
    return visited, edges, truncated


def implementers(db, ref: str, *, transitive: bool = False,
                 relations: Sequence[str] = LINEAGE, limit: Optional[int] = None,
                 year=None, issuer=None) -> dict:
    """Nodes implementing `ref` directly or (transitive) through intermediate plans, each with
    the shortest path linking it to `ref` ([itself, …, ref]) and the relation of each hop."""
    conn = _ready(db)
    roots = resolve_ref(db, ref, year=year, issuer=issuer)
    if not roots:
        return {"query": ref, "targets": [], "implementers": [], "truncated": False}
    if transitive:
        visited, edges, truncated = _subgraph(conn, roots, relations, True, limit)
    else:
        edges = [tuple(r) for r in conn.execute(
            f"select source, target, relation, origin from edges where target in "
            f"(select value from json_each(?)) and relation in ({_in_list(relations)})",
            [json.dumps(roots), *relations])]
        visited = set(roots) | {e[0] for e in edges}
        truncated = False
    nodes = nodes_by_id(db, visited)
    parents = _bfs_tree(roots, edges, nodes, down=True)
    out = []
    for nid, (depth, hops) in parents.items():
        if nid in roots:
            continue
        path = [nid] + [h[1] for h in hops]
        n = nodes[nid]
        out.append({"node": n, "label": n["label"], "depth": depth,
                    "relation": hops[0][2], "path": [nodes[p]["label"] for p in path],
                    "hops": [{"from": nodes[a]["label"], "relation": r, "to": nodes[b]["label"],
                              "origin": o} for a, b, r, o in hops]})
    out.sort(key=lambda x: (x["depth"], x["label"]))
    if limit is not None and len(out) > limit:
        out, truncated = out[:limit], True
    return {"query": ref, "targets": [nodes[r] for r in roots], "implementers": out,
            "transitive": transitive, "truncated": truncated}


def _bfs_tree(roots, edges, nodes, *, down: bool) -> dict[int, tuple[int, list]]:
    """Shortest path from every node to the roots over `edges` (source, target, rel, origin):
    node → (depth, [(from, to, relation, origin), …]). Ties go to the strongest relation, then
    the label, so the answer does not depend on node ids."""
    adj: dict[int, list] = defaultdict(list)
    for s, t, rel, origin in edges:
        if down:
            adj[t].append((s, (s, t, rel, origin)))
        else:
            adj[s].append((t, (s, t, rel, origin)))
    for k in adj:
        adj[k].sort(key=lambda x: (_strength(x[1][2]), nodes[x[0]]["ident"] if x[0] in nodes
                                   else "", x[1][3]))
    best: dict[int, tuple[int, list]] = {r: (0, []) for r in roots}
    frontier = sorted(roots, key=lambda r: nodes[r]["ident"] if r in nodes else "")
    while frontier:
        nxt = []
        for u in frontier:
            d, hops = best[u]
            for v, edge in adj.get(u, ()):
                if v not in best:
                    best[v] = (d + 1, [edge] + hops)
                    nxt.append(v)
        frontier = nxt
    return best


def trace(db, ref: str, *, relations: Sequence[str] = LINEAGE,
          limit: Optional[int] = None) -> dict:
    """The lineage upward from a document or key: everything it implements or is based on,
    transitively, as a tree per root (a node met again is shown once more as a repeat, without
    its subtree), plus the flat node and edge lists."""
    conn = _ready(db)
    roots = resolve_ref(db, ref)
    if not roots:
        return {"query": ref, "roots": [], "trees": [], "nodes": [], "edges": []}
    visited, edges, truncated = _subgraph(conn, roots, relations, False, limit)
    nodes = nodes_by_id(db, visited)
    out_edges: dict[int, dict[int, list]] = defaultdict(dict)
    for s, t, rel, origin in edges:
        out_edges[s].setdefault(t, []).append((rel, origin))

    def children(nid):
        kids = []
        for t, rels in out_edges.get(nid, {}).items():
            r, o = sorted(rels, key=lambda x: (_strength(x[0]), x[1]))[0]
            kids.append((_strength(r), nodes[t]["label"], t, r, o))
        return [(t, r, o) for _, _, t, r, o in sorted(kids)]

    def build(root):
        """Depth-first, iteratively (a long chain must not hit Python's recursion limit)."""
        shown: set[int] = set()
        top = {"node": nodes[root], "label": nodes[root]["label"], "relation": None,
               "origin": None, "children": []}
        shown.add(root)
        stack = [(top, iter(children(root)))]
        while stack:
            item, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                continue
            t, r, o = nxt
            child = {"node": nodes[t], "label": nodes[t]["label"], "relation": r, "origin": o,
                     "children": []}
            item["children"].append(child)
            if t in shown:
                child["repeat"] = True
                continue
            shown.add(t)
            stack.append((child, iter(children(t))))
        return top

    trees = [build(r) for r in roots]
    return {"query": ref, "roots": [nodes[r] for r in roots], "trees": trees,
            "nodes": sorted(nodes.values(), key=lambda n: n["label"]),
            "edges": [{"source": nodes[s]["label"], "relation": r, "target": nodes[t]["label"],
                       "origin": o} for s, t, r, o in sorted(
                           edges, key=lambda e: (nodes[e[0]]["label"], nodes[e[1]]["label"],
                                                 e[2], e[3]))],
            "truncated": truncated}


def tree_labels(tree: dict) -> set[str]:
    """Every label in a trace tree (handy for checks)."""
    out = {tree["label"]}
    for c in tree["children"]:
        out |= tree_labels(c)
    return out


# --------------------------------------------------------------------------- coverage

_RECIPIENT_ABBREV = {"TT": "Thường trực", "TT.": "Thường trực", "MN": "mầm non",
                     "PT": "phổ thông", "TTĐT": "thông tin điện tử", "PCT": "Phó Chủ tịch",
                     "CT": "Chủ tịch"}
_NOT_BODIES = re.compile(r"^(?:lưu|trang (?:thông tin|ttđt)|cổng thông tin|website|như trên)",
                         re.I)
_FOR_REPORT = re.compile(r"\((?:b/c|để b/c|báo cáo)\)|\bb/c\b", re.I)
_UNIT_NAMES = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn")


def _places(issuer_norm: Optional[str]) -> dict[str, str]:
    """unit → place name as the issuer states it ('… thành phố lai châu' → thành phố: lai châu)."""
    out = {}
    if not issuer_norm:
        return out
    for unit in sorted(_UNIT_NAMES, key=len, reverse=True):
        m = re.search(rf"(?:^| ){unit} (\S+(?: \S+){{0,2}})$", issuer_norm)
        if m and unit not in out:
            out[unit] = m.group(1)
    return out


def recipient_bodies(recipient: str, places: dict[str, str]) -> list[str]:
    """Normalised body patterns a recipient line names. 'TT: Thành ủy, HĐND, UBND thành phố' →
    thành ủy / hội đồng nhân dân thành phố / ủy ban nhân dân thành phố (place completed from the
    directive's own issuer); 'UBND các xã, phường' → ủy ban nhân dân xã / … phường (any)."""
    r = re.sub(r"\([^)]*\)", " ", recipient)
    r = re.sub(r"^\s*(?:TT|Thường trực)\s*[:.]\s*", "", r)
    for k, v in _RECIPIENT_ABBREV.items():
        r = re.sub(rf"(?<![\w&]){re.escape(k)}(?![\w&])", v, r)
    m = re.match(r"^(.*?)\bcác\s+(.+)$", r)
    items: list[str]
    if m and m.group(1).strip():
        head = m.group(1).strip()
        items = [f"{head} {x.strip()}" for x in re.split(r",", m.group(2)) if x.strip()]
    else:
        items = [x.strip() for x in re.split(r"[,;]", r) if x.strip()]
        if items and m is None:
            tail = next((u for u in sorted(_UNIT_NAMES, key=len, reverse=True)
                         if re.search(rf"\b{u}$", items[-1].casefold())), None)
            if tail:
                items = [x if any(re.search(rf"\b{u}\b", x.casefold()) for u in _UNIT_NAMES)
                         or x.casefold().endswith(" ủy") or x.casefold().endswith("ủy")
                         else f"{x} {tail}" for x in items]
    out = []
    for it in items:
        n = norm_issuer(re.sub(r"^các\s+", "", it.strip(), flags=re.I))
        if not n:
            continue
        out.append(_complete_place(n, places))
    return list(dict.fromkeys(out))


def _complete_place(n: str, places: dict[str, str]) -> str:
    """'ủy ban nhân dân thành phố' / 'thành ủy' inside a city's directive → that city's."""
    for unit, name in places.items():
        committee = _COMMITTEE_OF_UNIT.get(unit)
        for level in (unit, committee):
            if level and (n == level or n.endswith(" " + level)):
                return f"{n} {name}"
    return n


def _body_matches(pattern: str, issuer: Optional[str]) -> bool:
    if not issuer:
        return False
    return issuer == pattern or issuer.startswith(pattern + " ")


def coverage(db, ref: str, *, relations: Sequence[str] = LINEAGE) -> dict:
    """For a directive: its recipients ('Nơi nhận') and, for each body among them, the
    implementing documents (direct or through a chain) that body issued; bodies with none are
    listed as missing. Archive and web-page lines are not bodies; '(b/c)' lines are sent for
    information and are not expected to implement. Each implementing document is given as
    {label, issuer, path (its file), document_id, node_id, chain (labels up to the directive),
    depth}."""
    conn = _ready(db)
    roots = resolve_ref(db, ref)
    nodes = nodes_by_id(db, roots)
    docs = [n for n in nodes.values() if n["document_id"]]
    result = {"query": ref, "directive": docs[0] if docs else (nodes[roots[0]] if roots else None),
              "recipients": [], "covered": [], "missing": [], "implementers": []}
    if not docs:
        result["note"] = "not ingested: its recipients are unknown"
        return result
    d = docs[0]
    row = conn.execute("select recipients, issuer from documents where id = ?",
                       [d["document_id"]]).fetchone()
    recipients = json.loads(row[0] or "[]")
    places = _places(norm_issuer(row[1]))
    imp = implementers(db, f"node:{d['id']}", transitive=True, relations=relations)
    impl_docs = []
    for it in imp["implementers"]:
        n = it["node"]
        if n["document_id"]:
            iss = conn.execute("select issuer from documents where id = ?",
                               [n["document_id"]]).fetchone()[0]
            impl_docs.append({"label": n["label"], "issuer": iss, "norm": norm_issuer(iss),
                              "path": n["path"], "document_id": n["document_id"],
                              "node_id": n["id"], "chain": it["path"], "depth": it["depth"]})
    used = set()
    for rec in recipients:
        if _NOT_BODIES.match(rec.strip()):
            continue
        bodies = recipient_bodies(rec, places)
        if not bodies:
            continue
        for_report = bool(_FOR_REPORT.search(rec))
        matched = []
        for b in bodies:
            hits = [x for x in impl_docs if _body_matches(b, x["norm"])]
            matched.append({"body": b, "implemented_by": [
                {k: x[k] for k in ("label", "issuer", "path", "document_id", "node_id", "chain",
                                   "depth")} for x in hits]})
            used.update(x["label"] for x in hits)
        entry = {"recipient": rec, "for_report": for_report, "bodies": matched,
                 "collective": bool(re.search(r"\bcác\b", rec, re.I))}
        result["recipients"].append(entry)
        for m in matched:
            row_ = {"recipient": rec, "body": m["body"],
                    "implemented_by": [x["label"] for x in m["implemented_by"]]}
            if m["implemented_by"]:
                result["covered"].append(row_)
            elif not for_report:
                result["missing"].append(row_)
    result["implementers"] = [
        {**{k: x[k] for k in ("label", "issuer", "path", "document_id", "node_id", "chain",
                              "depth")}, "recipient": x["label"] in used} for x in impl_docs]
    return result


# --------------------------------------------------------------------------- networkx

def to_networkx(db, *, relations: Optional[Sequence[str]] = None, origins=("cited", "stated")):
    """The graph as a networkx MultiDiGraph keyed by node identity (stable across databases):
    one edge per (relation, origin) with its mention count and first evidence."""
    import networkx as nx

    conn = _ready(db)
    g = nx.MultiDiGraph()
    cols = ", ".join(f"n.{c}" for c in _NODE_COLS)
    idents: dict[int, str] = {}
    for r in conn.execute(f"select {cols}, d.path from nodes n left join documents d "
                          f"on d.id = n.document_id"):
        n = dict(zip(_NODE_COLS + ("path",), r))
        n["label"] = _label(n)
        idents[n["id"]] = n["ident"]
        attrs = {k: v for k, v in n.items() if v is not None and k not in ("ident",)}
        attrs["node_id"] = attrs.pop("id")
        g.add_node(n["ident"], **attrs)
    where, args = ["origin in (" + _in_list(origins) + ")"], list(origins)
    if relations:
        where.append("relation in (" + _in_list(relations) + ")")
        args += list(relations)
    for s, t, rel, origin, n, first_date, ev in conn.execute(
            "select source, target, relation, origin, mentions, first_date, first_evidence "
            f"from edges where {' and '.join(where)}", args):
        attrs = {"relation": rel, "origin": origin, "mentions": n}
        if first_date:
            attrs["first_date"] = first_date
        if ev:
            attrs["evidence"] = ev
        g.add_edge(idents[s], idents[t], key=f"{rel}:{origin}", **attrs)
    return g


def _dot_quote(s: Any) -> str:
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(g) -> str:
    """Graphviz DOT text (no pydot needed): documents as boxes, cited-only as ellipses,
    ambiguous dashed; lineage edges bold."""
    lines = ["digraph directives {", "  rankdir=BT;", "  node [fontname=\"Helvetica\"];"]
    for n, a in sorted(g.nodes(data=True)):
        shape = "box" if a.get("status") == "document" else "ellipse"
        style = ', style="dashed"' if a.get("status") == "ambiguous" else ""
        tip = a.get("title") or ""
        lines.append(f"  {_dot_quote(n)} [label={_dot_quote(a.get('label', n))}, shape={shape}"
                     f"{style}, tooltip={_dot_quote(tip[:200])}];")
    for s, t, k, a in sorted(g.edges(keys=True, data=True)):
        bold = ", style=bold" if a.get("relation") in LINEAGE else ""
        dashed = ", style=dashed" if a.get("origin") == "stated" else ""
        lines.append(f"  {_dot_quote(s)} -> {_dot_quote(t)} [label="
                     f"{_dot_quote(a.get('relation'))}{bold or dashed}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


EXPORT_FORMATS = ("graphml", "gexf", "json", "dot")


def export(db, fmt: str, path: Optional[str] = None, *,
           relations: Optional[Sequence[str]] = None) -> str:
    """Write the graph as GraphML or GEXF (Gephi), node-link JSON, or DOT (Graphviz) to `path`,
    or return it as text when no path is given."""
    import io

    import networkx as nx

    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(EXPORT_FORMATS)}")
    g = to_networkx(db, relations=relations)
    if fmt == "json":
        text = json.dumps(nx.node_link_data(g, edges="links"), ensure_ascii=False, indent=1)
    elif fmt == "dot":
        text = to_dot(g)
    else:
        buf = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(g, buf)
        text = buf.getvalue().decode("utf-8")
    if path:
        Path(path).write_text(text, encoding="utf-8")
    return text


def stats(db, *, top: int = 10, pagerank: bool = True) -> dict:
    """Counts, most cited nodes (distinct citing nodes), most implemented (direct implementers),
    and PageRank over the citation graph (networkx)."""
    conn = _ready(db)
    count = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    out: dict[str, Any] = {
        "nodes": count("select count(*) from nodes"),
        "documents": count("select count(*) from nodes where status = 'document'"),
        "cited_only": count("select count(*) from nodes where status = 'cited'"),
        "ambiguous": count("select count(*) from nodes where ambiguous = 1"),
        "edges": count("select count(*) from edges"),
        "stated_edges": count("select count(*) from edges where origin = 'stated'"),
        "mentions": count("select count(*) from mention_links"),
    }

    def ranked(sql, args):
        rows = conn.execute(sql, args).fetchall()
        nodes = nodes_by_id(db, [r[0] for r in rows])
        return [{"label": nodes[r[0]]["label"], "node": r[0], "status": nodes[r[0]]["status"],
                 "citing": r[1], "mentions": r[2]} for r in rows]

    out["most_cited"] = ranked(
        "select target, count(distinct source), sum(mentions) from edges where origin = 'cited' "
        "group by target order by 2 desc, 3 desc, target limit ?", [top])
    out["most_implemented"] = ranked(
        "select target, count(distinct source), sum(mentions) from edges "
        "where relation = 'implements' group by target order by 2 desc, 3 desc, target limit ?",
        [top])
    if pagerank:
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(r[0] for r in conn.execute("select id from nodes"))
        g.add_edges_from(conn.execute("select distinct source, target from edges"))
        pr = nx.pagerank(g) if g.number_of_edges() else {}
        best = sorted(pr.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        nodes = nodes_by_id(db, [k for k, _ in best])
        out["pagerank"] = [{"label": nodes[k]["label"], "node": k, "score": round(v, 6)}
                           for k, v in best]
    return out


def ambiguities(db, *, limit: int = 100) -> list[dict]:
    """Ambiguous nodes with their candidates: the matches the graph refused to guess."""
    conn = _ready(db)
    rows = conn.execute("select id from nodes where ambiguous = 1 order by ident limit ?",
                        [limit]).fetchall()
    ids = [r[0] for r in rows]
    cands: dict[int, list[int]] = defaultdict(list)
    for a, b in conn.execute("select node_id, candidate_id from node_candidates where node_id in "
                             "(select value from json_each(?))", [json.dumps(ids)]):
        cands[a].append(b)
    nodes = nodes_by_id(db, ids + [c for v in cands.values() for c in v])
    return [{"node": nodes[i], "candidates": sorted((nodes[c] for c in cands[i]),
                                                    key=lambda n: n["ident"])} for i in ids]


def snapshot(db) -> dict:
    """An id-free picture of the graph (nodes by identity, edges between identities, each
    mention's node), for comparing databases built in different orders or ways."""
    conn = _ready(db)
    nodes = {}
    for ident, status, key, amb, path, date, title in conn.execute(
            "select n.ident, n.status, n.key, n.ambiguous, d.path, n.date, n.title "
            "from nodes n left join documents d on d.id = n.document_id"):
        nodes[ident] = (status, key, amb, path, date, title)
    cands = {(a, b) for a, b in conn.execute(
        "select n.ident, c.ident from node_candidates x join nodes n on n.id = x.node_id "
        "join nodes c on c.id = x.candidate_id")}
    rows = conn.execute(
        "select s.ident, t.ident, e.relation, e.origin, e.mentions, e.sources, e.first_date, "
        "e.first_evidence from edges e join nodes s on s.id = e.source "
        "join nodes t on t.id = e.target")
    edges = {(s, t, rel, origin): (n, k, fd, ev) for s, t, rel, origin, n, k, fd, ev in rows}
    mentions = {(p, st, k): n for p, st, k, n in conn.execute(
        "select d.path, c.start, c.key, n.ident from mention_links l "
        "join citations c on c.id = l.citation_id join documents d on d.id = l.document_id "
        "join identities i on i.id = l.identity_id join nodes n on n.id = i.node_id")}
    return {"nodes": nodes, "candidates": cands, "edges": edges, "mentions": mentions}
