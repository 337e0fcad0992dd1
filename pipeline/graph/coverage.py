"""Coverage of a directive: its recipients, and which of them issued an implementing document."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Optional, Sequence

from ..domain import COMMITTEE_OF_UNIT, UNITS, norm_issuer
from ..resources import load
from .queries import LINEAGE, _ready, implementers, nodes_by_id, resolve_ref


# --------------------------------------------------------------------------- coverage

_RECIPIENT_ABBREV = {"TT": "Thường trực", "VP": "Văn phòng", "MN": "mầm non",
                     "PT": "phổ thông", "TTĐT": "thông tin điện tử", "PCT": "Phó Chủ tịch",
                     "CT": "Chủ tịch"}
_NOT_BODIES = re.compile(r"^(?:lưu|trang (?:thông tin|ttđt)|cổng thông tin|website|như trên)",
                         re.I)
_FOR_REPORT = re.compile(r"\((?:b/c|để b/c|báo cáo|để biết|biết|đ/b)\)|\bb/c\b|\bđể biết\b", re.I)
# "TT: Thành ủy, HĐND …", "Thường trực Tỉnh ủy": the standing bodies a plan keeps informed
_STANDING = re.compile(r"^\s*(?:-\s*)?(?:TT\b|Thường trực\b)", re.I)
# "VP UBND tỉnh: V, C, CB": after the office, the initials of its divisions or officers, who
# are not bodies of their own
_STAFF_CODES = re.compile(r"^(?P<body>[^:]{3,}):\s*(?P<codes>(?:[A-ZĐ][A-Za-zĐđ]?\.?\s*(?:[,;]\s*|$))+)$")
# "Như Điều 3": the bodies the decision's article N charges with carrying it out
_AS_ARTICLE = re.compile(r"^\s*(?:-\s*)?như\s+điều\s+(\d+)\b", re.I)
_TITLES = r"(?:Chánh Văn phòng|Giám đốc|Thủ trưởng|Chủ tịch|Trưởng|Hiệu trưởng|Bí thư)"
# an article lists its bodies by their heads' titles: each item runs to the next title
_TITLE_SPLIT = re.compile(r"(?:,|;|\bvà\b)\s*(?=" + _TITLES + r"\b)")
_TITLE_HEAD = re.compile(r"^\s*(?:Điều\s+\d+\s*[.:]\s*)?(" + _TITLES + r")\s+", re.I)


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset:
    """Abbreviations of bodies (HĐND, UBND, MTTQ …): a list of these after a colon names
    bodies, not an office's staff."""
    return frozenset(load("issuers")["abbreviations"]) | frozenset(_RECIPIENT_ABBREV)


def _places(issuer_norm: Optional[str]) -> dict[str, str]:
    """unit → place name as the issuer states it ('… thành phố lai châu' → thành phố: lai châu)."""
    out = {}
    if not issuer_norm:
        return out
    for unit in sorted(UNITS, key=len, reverse=True):
        # 'huyện ủy tam đường' names the district's Party committee, not a district 'ủy tam đường'
        m = re.search(rf"(?:^| ){unit} (?!ủy\b)(\S+(?: \S+){{0,2}})$", issuer_norm)
        if m and unit not in out:
            out[unit] = m.group(1)
    return out


def recipient_bodies(recipient: str, places: dict[str, str]) -> list[str]:
    """Normalised body patterns a recipient line names. 'TT: Thành ủy, HĐND, UBND thành phố' →
    thành ủy / hội đồng nhân dân thành phố / ủy ban nhân dân thành phố (place completed from the
    directive's own issuer); 'UBND các xã, phường' → ủy ban nhân dân xã / … phường (any)."""
    r = re.sub(r"\([^()]*\)", " ", recipient)
    r = re.sub(r"\bđể biết\b", " ", r, flags=re.I)
    r = re.sub(r"^\s*(?:TT|Thường trực)\s*[:.]\s*", "", r)
    m = _STAFF_CODES.match(r.strip())
    if m and not any(c.strip(" .") in _abbreviations()
                     for c in re.split(r"[,;]", m.group("codes")) if c.strip()):
        r = m.group("body")
    for k, v in _RECIPIENT_ABBREV.items():
        r = re.sub(rf"(?<![\w&]){re.escape(k)}(?![\w&])", v, r)
    m = re.match(r"^(.*?)\bcác\s+(.+)$", r, re.S)
    items: list[str]
    if m and m.group(1).strip():
        head = m.group(1).strip()
        items = [f"{head} {x.strip()}" for x in re.split(r",", m.group(2)) if x.strip()]
    else:
        items = [x.strip() for x in re.split(r"[,;]", r) if x.strip()]
        if items and m is None:
            tail = next((u for u in sorted(UNITS, key=len, reverse=True)
                         if re.search(rf"\b{u}$", items[-1].casefold())), None)
            if tail:
                items = [x if any(re.search(rf"\b{u}\b", x.casefold()) for u in UNITS)
                         or x.casefold().endswith(" ủy") or x.casefold().endswith("ủy")
                         else f"{x} {tail}" for x in items]
    out = []
    for it in items:
        n = norm_issuer(re.sub(r"^các\s+", "", it.strip(), flags=re.I))
        if not n:
            continue
        out.append(_complete_place(n, places))
    return list(dict.fromkeys(out))


def article_bodies(article_text: str) -> list[str]:
    """The bodies an article charges with carrying the decision out ('Chánh Văn phòng UBND
    tỉnh, Giám đốc Sở Giáo dục và Đào tạo, Chủ tịch UBND các huyện … chịu trách nhiệm thi hành
    Quyết định này' → 'Văn phòng UBND tỉnh', 'Sở Giáo dục và Đào tạo', 'UBND các huyện')."""
    text = re.split(r"\bchịu trách nhiệm\b|\bcăn cứ quyết định\b", article_text, maxsplit=1,
                    flags=re.I)[0]
    out = []
    for piece in _TITLE_SPLIT.split(text):
        m = _TITLE_HEAD.match(piece)
        if not m:
            continue
        body = piece[m.end():].strip(" ,;.")
        if m.group(1).lower() == "chánh văn phòng":
            body = "Văn phòng " + body
        if body:
            out.append(body)
    return list(dict.fromkeys(out))


def _expand_articles(conn, document_id: int, recipients: list[str]) -> list[str]:
    """'Như Điều 3' replaced by the bodies that article of the stored document names."""
    out = []
    for rec in recipients:
        m = _AS_ARTICLE.match(rec)
        if not m:
            out.append(rec)
            continue
        row = conn.execute("select text from sections where document_id = ? and sid = ?",
                           [document_id, f"D{int(m.group(1))}"]).fetchone()
        bodies = article_bodies(row[0]) if row else []
        out.extend(bodies or [rec])
    return out


def _complete_place(n: str, places: dict[str, str]) -> str:
    """'ủy ban nhân dân thành phố' / 'thành ủy' inside a city's directive → that city's."""
    for unit, name in places.items():
        committee = COMMITTEE_OF_UNIT.get(unit)
        for level in (unit, committee):
            if level and (n == level or n.endswith(" " + level)):
                return f"{n} {name}"
    return n


def _body_matches(pattern: str, issuer: Optional[str]) -> bool:
    if not issuer:
        return False
    return issuer == pattern or issuer.startswith(pattern + " ")


def _implementing_documents(db, conn, root: int, relations: Sequence[str]) -> list[dict]:
    """The stored documents implementing node `root` (through any chain), with their issuer in
    comparison form."""
    out = []
    for it in implementers(db, f"node:{root}", transitive=True, relations=relations)["implementers"]:
        n = it["node"]
        if n["document_id"]:
            iss = conn.execute("select issuer from documents where id = ?",
                               [n["document_id"]]).fetchone()[0]
            out.append({"label": n["label"], "issuer": iss, "norm": norm_issuer(iss),
                        "path": n["path"], "document_id": n["document_id"],
                        "node_id": n["id"], "chain": it["path"], "depth": it["depth"]})
    return out


def _expected_by_plans(db, conn, roots: Sequence[int], relations: Sequence[str]) -> list[dict]:
    """For a directive that is not stored (so its own recipients are unknown): the bodies its
    stored implementing plans send themselves to, to carry out ('Nơi nhận' of each plan), and
    which of those bodies have an implementing document of the directive too."""
    impl = [x for r in roots for x in _implementing_documents(db, conn, r, relations)]
    out = []
    for plan in impl:
        row = conn.execute("select recipients from documents where id = ?",
                           [plan["document_id"]]).fetchone()
        places = _places(plan["norm"])
        for rec in json.loads(row[0] or "[]") if row else []:
            if (_NOT_BODIES.match(rec.strip()) or _FOR_REPORT.search(rec)
                    or _STANDING.match(rec)):
                continue
            for body in recipient_bodies(rec, places):
                if body == plan["norm"]:  # the plan's own issuer, keeping a copy
                    continue
                hits = [x["label"] for x in impl if _body_matches(body, x["norm"])]
                out.append({"plan": plan["label"], "plan_document_id": plan["document_id"],
                            "recipient": rec, "body": body, "implemented_by": hits})
    return out


def coverage(db, ref: str, *, relations: Sequence[str] = LINEAGE) -> dict:
    """For a directive: its recipients ('Nơi nhận') and, for each body among them, the
    implementing documents (direct or through a chain) that body issued; bodies with none are
    listed as missing. Archive and web-page lines are not bodies; '(b/c)' lines are sent for
    information and are not expected to implement. A directive that is not stored has no list
    of its own: `expected` then gives the bodies its stored implementing plans send themselves
    to, with the implementing documents those bodies issued. Each implementing document is given as
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
        if roots:
            result["expected"] = _expected_by_plans(db, conn, roots, relations)
        return result
    d = docs[0]
    row = conn.execute("select recipients, issuer from documents where id = ?",
                       [d["document_id"]]).fetchone()
    recipients = _expand_articles(conn, d["document_id"], json.loads(row[0] or "[]"))
    places = _places(norm_issuer(row[1]))
    impl_docs = _implementing_documents(db, conn, d["id"], relations)
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
