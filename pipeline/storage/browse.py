"""Read-side queries behind the web pages (and the notebook): documents, their rows, search with
facets, deadlines by agency. Plain functions over a read-only SQLite connection that return
plain dicts, so each one can be tested without a server. Every query is parameterised. The
citation-graph questions (cited by, implementers, lineage, coverage) are pipeline.graph's.
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from datetime import date
from typing import Any, Iterable, Optional

from ..domain import fold_text
from ..resources import load
from .queries import agency_matches, fts_match



# --------------------------------------------------------------------------- plumbing

def _conn(db) -> sqlite3.Connection:
    """A sqlite3 connection from a connection or a sqlite_utils.Database."""
    return getattr(db, "conn", db)


def rows(db, sql: str, params: Iterable[Any] = ()) -> list[dict]:
    cur = _conn(db).execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def one(db, sql: str, params: Iterable[Any] = ()) -> Optional[dict]:
    r = rows(db, sql, params)
    return r[0] if r else None


def node_of(doc: dict) -> str:
    """Graph node id of a stored document row."""
    return doc["key"] if doc.get("key") else f"doc:{doc['id']}"


def file_name(path: str | None) -> str:
    return re.split(r"[\\/]", path or "")[-1]


def type_name(abbrev: Optional[str]) -> Optional[str]:
    """'KL' → 'Kết luận' (from models/doc_types.json), or None."""
    if not abbrev:
        return None
    names = load("doc_types")["types"].get(abbrev, {}).get("names") or []
    return names[0] if names else None


def doc_label(doc: dict) -> str:
    if doc.get("key"):
        return doc["key"]
    kind = doc.get("type") or "doc"
    return f"{kind} · {file_name(doc.get('path'))[:24]}"


# --------------------------------------------------------------------------- documents

def document(db, doc_id: int) -> Optional[dict]:
    doc = one(db, "select * from documents where id = ?", [doc_id])
    if doc is None:
        return None
    try:
        doc["recipients"] = json.loads(doc.get("recipients") or "[]")
    except ValueError:
        doc["recipients"] = []
    doc["node"] = node_of(doc)
    doc["label"] = doc_label(doc)
    doc["file_name"] = file_name(doc.get("path"))
    return doc


def outline(db, doc_id: int) -> list[dict]:
    return rows(db, "select sid, parent, level, kind, heading, start, end from sections "
                    "where document_id = ? order by start, level", [doc_id])


def citations_of(db, doc_id: int) -> list[dict]:
    out = rows(db, "select id, key, type, number, year, date, date_text, issuer, term, title, "
                   "relation, position, section, text, start, end, short_form "
                   "from citations where document_id = ? order by start", [doc_id])
    stored = stored_keys(db, [c["key"] for c in out if c["key"]])
    for c in out:
        c["target_doc"] = stored.get(c["key"]) if c["key"] else None
    return out


def deadlines_of(db, doc_id: int) -> list[dict]:
    out = rows(db, "select id, text, start, end, kind, value, modifier, label, section, task, "
                   "agency, partners, due_start, due_end, rrule from deadlines "
                   "where document_id = ? order by start", [doc_id])
    for d in out:
        d["partners"] = _json_list(d.get("partners"))
    return out


def document_ids_by_path(db, paths: Iterable[str]) -> dict[str, int]:
    paths = sorted({p for p in paths if p})
    out = {}
    for i in range(0, len(paths), 500):
        chunk = paths[i:i + 500]
        for r in rows(db, f"select path, id from documents where path in "
                          f"({','.join('?' * len(chunk))})", chunk):
            out[r["path"]] = r["id"]
    return out


def mention_count(db, key: str) -> tuple[int, Optional[str]]:
    """How many mentions cite `key`, and the latest Party term they give."""
    r = one(db, "select count(*) as n, max(term) as term from citations where key = ?", [key])
    return r["n"], r["term"]


def stored_keys(db, keys: Iterable[str]) -> dict[str, int]:
    """key → id of the (first) stored document with that own key."""
    keys = sorted(set(k for k in keys if k))
    out: dict[str, int] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for r in rows(db, f"select key, min(id) as id from documents where status = 'ok' and "
                          f"key in ({marks}) group by key", chunk):
            out[r["key"]] = r["id"]
    return out


def _json_list(value) -> list:
    try:
        v = json.loads(value or "[]")
    except (TypeError, ValueError):
        return []
    return v if isinstance(v, list) else []


def overview(conn) -> dict:
    """The home page: every document with its counts, the most cited keys, totals."""
    count = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    docs = rows(conn, "select d.id, d.path, d.key, d.type, d.type_name, d.title, d.issuer, "
                           "d.date, d.status, d.error, "
                           "(select count(*) from citations c where c.document_id = d.id) as cits, "
                           "(select count(*) from deadlines x where x.document_id = d.id) as dls "
                           "from documents d order by d.status != 'ok', d.date desc, d.id")
    for d in docs:
        d["label"] = doc_label(d)
    top = rows(conn, "select key, count(*) as mentions, count(distinct document_id) as docs "
                          "from citations where key is not null group by key "
                          "order by docs desc, mentions desc, key limit 15")
    return {
        "counts": {
            "documents": count("select count(*) from documents where status = 'ok'"),
            "failed": count("select count(*) from documents where status != 'ok'"),
            "sections": count("select count(*) from sections"),
            "citations": count("select count(*) from citations"),
            "cited": count("select count(distinct key) from citations where key is not null"),
            "deadlines": count("select count(*) from deadlines"),
        },
        "documents": docs, "top_cited": top,
    }


def mentions_of(db, key: str, limit: int = 200) -> list[dict]:
    """The mentions of `key`, each with its citing document's label."""
    out = rows(db, "select c.id, c.document_id, c.text, c.relation, c.position, "
                   "c.section, d.path, d.key as doc_key, d.type "
                   "from citations c join documents d on d.id = c.document_id "
                   "where c.key = ? order by d.id, c.start limit ?", [key, limit])
    return _label_citing(out)


def _label_citing(out: list[dict]) -> list[dict]:
    """Each row (document_id, doc_key, type, path of its citing document) gets `doc_label`."""
    for r in out:
        r["doc_label"] = doc_label({"id": r["document_id"], "key": r["doc_key"],
                                    "type": r["type"], "path": r["path"]})
    return out


def stated_about(db, key: str) -> list[dict]:
    """Chains stated in stored texts with `key` at either end."""
    out = rows(db, "select r.source, r.relation, r.target, r.document_id, d.path, "
                   "d.key as doc_key, d.type from relations r join documents d on "
                   "d.id = r.document_id where r.source = ? or r.target = ? "
                   "order by r.document_id", [key, key])
    return _label_citing(out)


def agency_counts(db, limit: int = 200) -> list[dict]:
    return rows(db, "select agency, count(*) as n from deadlines where agency is not null "
                    "and agency != '' group by agency order by n desc, agency limit ?", [limit])


# --------------------------------------------------------------------------- search

def fts_query(q: str) -> str:
    """Each word quoted, so user input is never FTS syntax; 'd' tried as 'đ' (queries.fts_match)."""
    return fts_match(q)


HIT_OPEN, HIT_CLOSE = "\x02", "\x03"


def split_snippet(snippet: str) -> list[tuple[str, bool]]:
    """Snippet text with hit markers → [(text, is_hit)] (rendered escaped by the template)."""
    out, pos = [], 0
    for m in re.finditer(f"{HIT_OPEN}(.*?){HIT_CLOSE}", snippet or "", re.S):
        if m.start() > pos:
            out.append((snippet[pos:m.start()], False))
        out.append((m.group(1), True))
        pos = m.end()
    if pos < len(snippet or ""):
        out.append((snippet[pos:].replace(HIT_OPEN, "").replace(HIT_CLOSE, ""), False))
    return out


FACETS = ("issuer", "type", "year")
NONE = "__none__"  # the facet value of a missing field


def facet_value(v) -> str:
    return NONE if v is None or v == "" else str(v)


def search(db, q: str = "", filters: Optional[dict] = None, limit: Optional[int] = 50) -> dict:
    """Documents matching `q` (full text over sections, and title/key/issuer), narrowed by
    facet `filters` ({issuer, type, year}); facet counts are over the matches before the facet's
    own filter is applied (as datasette does). Without `q`, every stored document matches."""
    filters = {k: v for k, v in (filters or {}).items() if k in FACETS and v not in (None, "")}
    q = (q or "").strip()
    match_ids: Optional[set[int]] = None
    hits: dict[int, list[dict]] = defaultdict(list)
    if q:
        fq = fts_query(q)
        match_ids = set()
        if fq:
            try:
                found = rows(db,
                             "select s.document_id, s.sid, s.heading, s.start, "
                             "snippet(sections_fts, 1, ?, ?, '…', 16) as snippet "
                             "from sections_fts join sections s on s.rowid = sections_fts.rowid "
                             "where sections_fts match ? order by rank limit 2000",
                             [HIT_OPEN, HIT_CLOSE, fq])
            except sqlite3.OperationalError:
                found = []
            for h in found:
                match_ids.add(h["document_id"])
                if len(hits[h["document_id"]]) < 5:
                    h["parts"] = split_snippet(h.pop("snippet"))
                    hits[h["document_id"]].append(h)
    docs = rows(db, "select id, path, key, type, type_name, number, year, issuer, date, "
                    "title from documents where status = 'ok' order by date desc, id")
    if match_ids is not None:
        # title, number, issuer and file name, compared as people type: without marks, d for đ
        # (a plain substring test in Python: the user's '%' and '_' are characters, not wildcards)
        fq_words = fold_text(q).split()
        for d in docs:
            hay = fold_text(" ".join(str(d.get(k) or "") for k in ("title", "key", "issuer", "path")))
            if fq_words and all(w in hay for w in fq_words):
                match_ids.add(d["id"])
        docs = [d for d in docs if d["id"] in match_ids]

    def keep(d, skip=None):
        return all(facet_value(d.get(k)) == str(v) for k, v in filters.items() if k != skip)

    facets = {}
    for f in FACETS:
        counts = Counter(facet_value(d.get(f)) for d in docs if keep(d, skip=f))
        facets[f] = [{"value": v, "label": "(none)" if v == NONE else v, "count": c,
                      "selected": str(filters.get(f)) == v}
                     for v, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    results = [d for d in docs if keep(d)]
    for d in results:
        d["label"] = doc_label(d)
        d["file_name"] = file_name(d["path"])
        d["hits"] = hits.get(d["id"], [])
    cited = []
    if q:
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", q) + "%"  # the user's % and _ are characters
        cited = rows(db, "select key, count(*) as mentions, count(distinct document_id) as docs "
                         "from citations where key = ? or key like ? escape '\\' group by key "
                         "order by docs desc, key limit 10", [q, pattern])
        if not cited:  # '13/2023/ND-CP', typed without Đ: the folded number
            want = fold_text(q).replace(" ", "")
            keys = [r["key"] for r in rows(db, "select distinct key from citations "
                                               "where key is not null")]
            hits = [k for k in keys if want and want in fold_text(k)][:10]
            if hits:
                marks = ", ".join("?" for _ in hits)
                cited = rows(db, "select key, count(*) as mentions, count(distinct document_id) "
                                 f"as docs from citations where key in ({marks}) group by key "
                                 "order by docs desc, key", hits)
    return {"q": q, "filters": filters, "facets": facets, "total": len(results),
            "results": results[:limit], "cited": cited}


_NUMBER_LIKE = re.compile(r"^\s*\d+[A-Za-z]?\s*[-/]\s*\S+\s*$")


def exact_key(db, q: str) -> Optional[str]:
    """The one document number `q` names, typed as people type it (no marks, D for Đ, spaces
    around the separators): '13/2023/ND-CP' → '13/2023/NĐ-CP'. None when `q` is not a number or
    names no key, or several."""
    if not _NUMBER_LIKE.match(q or ""):
        return None
    want = fold_text(re.sub(r"\s+", "", q))
    keys = {r["key"] for r in rows(db, "select key from citations where key is not null "
                                       "union select key from documents where key is not null")}
    hits = [k for k in keys if fold_text(k) == want]
    return hits[0] if len(hits) == 1 else None


# --------------------------------------------------------------------------- deadlines

def due_date(row: dict) -> Optional[str]:
    """The day a stored deadline falls due, as ISO, from its typed value: the first day of a
    `start`, the last day it allows otherwise. None when it has no date (a recurrence, a
    relative limit whose anchor's day is unknown)."""
    return row.get("due_start") if row.get("kind") == "start" else row.get("due_end")


def deadlines_by_agency(db, *, start: Optional[str] = None, agency: Optional[str] = None,
                        include_past: bool = False, include_undated: bool = False) -> dict:
    """Deadlines grouped by lead agency, soonest first. `start` (ISO, default today) hides
    those already due before it unless `include_past`; undated ones (recurring tasks, no
    value) only with `include_undated`."""
    start = start or date.today().isoformat()
    where, args = ["d.status = 'ok'"], []
    all_rows = rows(db, "select dl.id, dl.document_id, dl.text, dl.kind, dl.value, dl.modifier, "
                        "dl.label, dl.section, dl.task, dl.agency, dl.partners, dl.due_start, dl.due_end, "
                        "dl.rrule, dl.duration, d.key as doc_key, "
                        "d.path, d.type, d.title as doc_title from deadlines dl join documents d "
                        f"on d.id = dl.document_id where {' and '.join(where)}", args)
    if agency:
        all_rows = [r for r in all_rows if agency_matches(agency, r["agency"], r["partners"])]
    groups: dict[str, list] = defaultdict(list)
    counts = {"shown": 0, "past": 0, "undated": 0, "total": len(all_rows)}
    for r in all_rows:
        r["partners"] = _json_list(r["partners"])
        r["due"] = due_date(r)
        r["doc_label"] = doc_label({"id": r["document_id"], "key": r["doc_key"],
                                    "type": r["type"], "path": r["path"]})
        if r["due"] is None:
            counts["undated"] += 1
            if not include_undated:
                continue
        elif r["due"] < start:
            counts["past"] += 1
            if not include_past:
                continue
        counts["shown"] += 1
        groups[r["agency"] or ""].append(r)
    out = []
    for ag, items in groups.items():
        items.sort(key=lambda r: (r["due"] is None, r["due"] or "", r["document_id"], r["id"]))
        out.append({"agency": ag, "deadlines": items, "next": items[0]["due"]})
    out.sort(key=lambda g: (g["agency"] == "", g["next"] is None, g["next"] or "",
                            g["agency"].casefold()))
    return {"start": start, "groups": out, "counts": counts}
