"""The project's pages: each view reads request parameters, runs storage.browse and graph
functions (through graphview) on datasette's read-only connection, in its thread pool, and
renders a template (Jinja autoescape on) in the reader's language (i18n)."""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Optional
from urllib.parse import urlencode

from datasette.utils.asgi import Response

from ..domain import relation_rank, strongest
from ..storage import browse
from . import graphview, i18n
from .names import PLUGIN_NAME, STATIC_MOUNT
from .render import annotate, render_text

HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
           "X-Frame-Options": "SAMEORIGIN"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------- helpers

def _database(datasette):
    name = (datasette.plugin_config(PLUGIN_NAME) or {}).get("database")
    if not name or name not in datasette.databases:
        name = next(n for n in datasette.databases if n not in ("_internal", "_memory"))
    return datasette.get_database(name)


async def _run(datasette, fn, *args, **kwargs):
    return await _database(datasette).execute_fn(lambda conn: fn(conn, *args, **kwargs))


def _urls(datasette):
    def url(path: str, **params) -> str:
        params = {k: v for k, v in params.items() if v not in (None, "", False)}
        base = datasette.urls.path(path)
        return base + ("?" + urlencode(params) if params else "")

    def node_url(node_or_desc) -> str:
        """A node's page: the stored document when there is one, else its directive page."""
        d = node_or_desc if isinstance(node_or_desc, dict) else {"id": node_or_desc}
        if d.get("doc_id"):
            return url(f"/document/{int(d['doc_id'])}")
        if not d.get("id"):
            return url("/search", q=d.get("label"))
        if d["id"].startswith("doc:"):
            return url(f"/document/{int(d['id'][4:])}")
        return url("/directive", **_ref_params(d["id"]))

    def directive_url(ref: str) -> str:
        return url("/directive", **_ref_params(ref))

    def lineage_url(ref: str, **kw) -> str:
        return url("/lineage", **_ref_params(ref), **kw)

    def lineage_json_url(ref: str, **kw) -> str:
        return url("/lineage.json", **_ref_params(ref), **kw)

    return {"url": url, "node_url": node_url, "directive_url": directive_url,
            "lineage_url": lineage_url, "lineage_json_url": lineage_json_url}


def _arg_pairs(request) -> list[tuple[str, str]]:
    return [(k, v) for k in request.args.keys() for v in request.args.getlist(k)]


def _lang_url(request, lang: str) -> str:
    """This page in the other language: the same path and parameters, `lang` replaced."""
    params = [(k, v) for k, v in _arg_pairs(request) if k != "lang"] + [("lang", lang)]
    return request.path + "?" + urlencode(params)


async def _page(datasette, request, template: str, ctx: dict, status: int = 200) -> Response:
    db = _database(datasette)
    tr = i18n.Translator(i18n.choose(request))
    context = {"db_name": db.name, "static": lambda f: datasette.urls.path(
        f"/{STATIC_MOUNT}/{f}"), **tr.context(),
        "lang_url": _lang_url(request, "en" if tr.lang == "vi" else "vi"),
        **_urls(datasette), **ctx}
    html = await datasette.render_template([f"directives/{template}"], context,
                                           request=request)
    response = Response.html(html, status=status, headers=dict(HEADERS))
    if request.args.get("lang") in i18n.LANGUAGES:  # remembered for the next pages
        response.set_cookie(i18n.COOKIE, tr.lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def _pager(request, total: int, per_page: int) -> tuple[int, dict]:
    """(offset, pager) for a list of `total` items shown `per_page` at a time (?page=N)."""
    pages = max(1, -(-total // per_page))
    page = _int(request.args.get("page"), 1, 1, pages)

    def at(n: int) -> str:
        params = [(k, v) for k, v in _arg_pairs(request) if k != "page"] + [("page", str(n))]
        return request.path + "?" + urlencode(params)

    return (page - 1) * per_page, {"page": page, "pages": pages, "total": total,
                                   "prev_url": at(page - 1) if page > 1 else None,
                                   "next_url": at(page + 1) if page < pages else None}


async def _not_found(datasette, request, message: str) -> Response:
    return await _page(datasette, request, "notfound.html", {"message": message}, status=404)


async def graph_out_of_date(datasette, request, exception) -> Response:
    """A writer added documents since `directives serve` brought the graph up to date: the
    server never writes, so it says what to do instead of answering from a stale graph."""
    return await _page(datasette, request, "notfound.html", {"message": str(exception)},
                       status=503)


def _int(value, default: int, lo: int, hi: int) -> int:
    try:
        return max(lo, min(hi, int(value)))
    except (TypeError, ValueError):
        return default


_MAX_ID = 2 ** 63 - 1  # SQLite's largest integer: a larger id names nothing (and must not overflow)


def _too_large(value: str) -> bool:
    digits = value.rsplit(":", 1)[-1]
    return digits.isdigit() and int(digits) > _MAX_ID


async def _resolve_node(datasette, request):
    """The ref named by ?key=, ?doc= or ?node= (None when it names nothing known)."""
    args = {k: (request.args.get(k) or "").strip()[:300] for k in ("key", "doc", "node")}
    if not any(args.values()) or _too_large(args["doc"]) or _too_large(args["node"]):
        return None
    return await _run(datasette, lambda c: graphview.resolve(c, **args))


# --------------------------------------------------------------------------- pages

HOME_PAGE = 100       # documents listed per page on the home page
SEARCH_PAGE = 50      # search results per page
DEADLINES_PAGE = 200  # deadlines per page (grouped by agency within the page)


async def home(datasette, request):
    ctx = await _run(datasette, browse.overview)
    offset, ctx["pager"] = _pager(request, len(ctx["documents"]), HOME_PAGE)
    ctx["documents"] = ctx["documents"][offset:offset + HOME_PAGE]
    return await _page(datasette, request, "home.html", ctx)


def _number_ref(conn, q: str) -> Optional[str]:
    """The graph ref of a document number typed in the search box, else None."""
    key = browse.exact_key(conn, q)
    if key is None and "/" in q and re.search(r"\d", q):
        key = q.strip()  # '91/KL-TW': the citation grammar's reading of it (graph.resolve_ref)
    return graphview.resolve(conn, key=key) if key else None


async def search(datasette, request):
    q = request.args.get("q", "")[:500]
    filters = {f: request.args.get(f) for f in browse.FACETS if request.args.get(f)}
    if q and not filters and not request.args.get("page"):
        ref = await _run(datasette, _number_ref, q)
        if ref:  # a document number: straight to its page, one step
            return Response.redirect(_urls(datasette)["directive_url"](ref))
    result = await _run(datasette, browse.search, q, filters, None)
    offset, result["pager"] = _pager(request, result["total"], SEARCH_PAGE)
    result["results"] = result["results"][offset:offset + SEARCH_PAGE]
    urls = _urls(datasette)

    def facet_url(field, value):
        params = {"q": q, **filters}
        if str(filters.get(field)) == str(value):
            params.pop(field, None)
        else:
            params[field] = value
        return urls["url"]("/search", **params)

    return await _page(datasette, request, "search.html", {**result, "facet_url": facet_url})


def _document_bundle(conn, doc_id: int):
    doc = browse.document(conn, doc_id)
    if doc is None:
        return None
    sections = browse.outline(conn, doc_id)
    cits = browse.citations_of(conn, doc_id)
    dls = browse.deadlines_of(conn, doc_id)
    segments = annotate(doc.get("text") or "", cits, dls, sections)
    grouped: dict[str, list] = defaultdict(list)
    for c in cits:
        grouped[c["key"] or ""].append(c)
    cites = []
    for key, ms in grouped.items():
        if not key:
            continue
        first = ms[0]
        cites.append({"key": key, "relation": strongest(m["relation"] for m in ms),
                      "mentions": len(ms), "issuer": first["issuer"], "date": first["date"],
                      "target_doc": first["target_doc"], "first_id": first["id"],
                      "positions": sorted({m["position"] for m in ms if m["position"]})})
    cites.sort(key=lambda c: (relation_rank(c["relation"]), -c["mentions"], c["key"]))
    unresolved = [c for c in cits if not c["key"]]
    ref = graphview.resolve(conn, doc=str(doc_id)) or doc["node"]
    doc["ref"] = ref
    relations = graphview.relations(conn, ref) if ref.startswith("node:") else None
    return {"doc": doc, "sections": sections, "citations": cits, "deadlines": dls,
            "segments": segments, "cites": cites, "unresolved": unresolved,
            "relations": relations}


async def document(datasette, request):
    doc_id = int(request.url_vars["id"])
    if doc_id > _MAX_ID:
        return await _not_found(datasette, request, f"No stored document has id {doc_id}.")
    bundle = await _run(datasette, _document_bundle, doc_id)
    if bundle is None:
        return await _not_found(datasette, request, f"No stored document has id {doc_id}.")
    urls = _urls(datasette)

    def cite_href(c):
        if c.get("target_doc"):
            return urls["url"](f"/document/{int(c['target_doc'])}")
        if c.get("key"):
            return urls["url"]("/directive", key=c["key"])
        return None

    bundle["text_html"] = render_text(bundle.pop("segments"), cite_href,
                                      i18n.Translator(i18n.choose(request)))
    bundle["cite_href"] = cite_href
    return await _page(datasette, request, "document.html", bundle)


def _directive_bundle(conn, ref: str):
    bundle = graphview.directive(conn, ref)
    if bundle is None:
        return None
    key = graphview.ref_key(ref) or bundle["me"].get("key")
    mentions, stated = [], []
    if key:
        mentions = browse.mentions_of(conn, key)
        stated = browse.stated_about(conn, key)
    bundle.update(node=ref, mentions=mentions, stated=stated,
                  implementer_deadlines=_implementer_deadlines(conn, ref, bundle),
                  relations=graphview.relations(conn, ref),
                  ics_params=_ref_params(ref))
    return bundle


def _ref_params(ref: str) -> dict:
    """The request parameters that name `ref` again (?node=, ?doc= or ?key=)."""
    if ref.startswith("node:"):
        return {"node": ref[5:]}
    if ref.startswith("doc:"):
        return {"doc": ref[4:]}
    return {"key": ref}


def _implementer_deadlines(conn, ref: str, bundle: dict, limit: Optional[int] = 300) -> list[dict]:
    """Deadlines set by the stored documents implementing `ref` (through any chain): what staff
    ask after 'who implements it'."""
    if not bundle.get("implementers"):
        return []
    from ..storage.queries import deadlines as query_deadlines

    # the transitive implementers were just found for the page: not searched for again
    rows = query_deadlines(graphview._sdb(conn), implementing=bundle["implementers_answer"])
    for r in rows:
        r["doc_label"] = browse.doc_label({"id": r["document_id"], "key": r["document_key"],
                                         "type": None, "path": r["path"]})
    return rows[:limit]


async def directive(datasette, request):
    node = await _resolve_node(datasette, request)
    if node is None:
        what = request.args.get("key") or request.args.get("doc") or "(nothing)"
        return await _not_found(datasette, request,
                                f"Nothing in the database is or cites {what!s}.")
    same_number = await _run(datasette, graphview.homonyms, node)
    if same_number:
        return await _page(datasette, request, "choose.html",
                           {"number": node, "documents": same_number})
    bundle = await _run(datasette, _directive_bundle, node)
    if bundle is None:
        return await _not_found(datasette, request, f"Nothing in the database is {node!s}.")
    return await _page(datasette, request, "directive.html", bundle)


def _lineage_payload(conn, ref: str, up: int, down: int, mentions: bool, urls,
                     tr: i18n.Translator) -> dict:
    g = graphview.lineage(conn, ref, up=up, down=down, mentions=mentions)
    ids = {}
    nodes = []
    for i, n in enumerate(g["nodes"]):
        ids[n["id"]] = f"n{i}"
        nodes.append({**n, "ref": n["id"], "id": f"n{i}", "url": urls["node_url"](n),
                      "lineage_url": urls["lineage_url"](n["id"])})
    by_ref = {n["ref"]: n for n in nodes}
    edges = [{"id": f"e{i}", "source": ids[e["source"]], "target": ids[e["target"]],
              "relation": e["relation"], "relation_label": tr.relation(e["relation"]),
              "via": e.get("via"), "source_label": by_ref[e["source"]]["label"], "source_url": by_ref[e["source"]]["url"],
              "target_label": by_ref[e["target"]]["label"], "target_url": by_ref[e["target"]]["url"]}
             for i, e in enumerate(g["edges"]) if e["source"] in ids and e["target"] in ids]
    return {"focus": g["focus"], "up": up, "down": down,
            "mentions": mentions, "truncated": g.get("truncated", False), "nodes": nodes,
            "edges": edges}


def _lineage_args(request):
    """up, down, mentions: a checkbox sends 'on', the page's own links Python's 'True'."""
    return (_int(request.args.get("up"), 6, 0, 12), _int(request.args.get("down"), 6, 0, 12),
            (request.args.get("mentions") or "").lower() in ("1", "true", "on", "yes"))


async def lineage(datasette, request):
    node = await _resolve_node(datasette, request)
    if node is None:
        what = request.args.get("key") or request.args.get("doc") or "(nothing)"
        return await _not_found(datasette, request,
                                f"Nothing in the database is or cites {what!s}.")
    up, down, mentions = _lineage_args(request)
    urls = _urls(datasette)
    payload = await _run(datasette, _lineage_payload, node, up, down, mentions, urls,
                         i18n.Translator(i18n.choose(request)))
    return await _page(datasette, request, "lineage.html", {
        "node": node, "graph": payload, "up": up, "down": down, "mentions": mentions,
        "me": next((n for n in payload["nodes"] if n["focus"]),
                   {"label": node, "url": ""})})


async def lineage_json(datasette, request):
    node = await _resolve_node(datasette, request)
    if node is None:
        return Response.json({"error": "unknown document"}, status=404, headers=dict(HEADERS))
    up, down, mentions = _lineage_args(request)
    payload = await _run(datasette, _lineage_payload, node, up, down, mentions,
                         _urls(datasette), i18n.Translator(i18n.choose(request)))
    return Response.json(payload, headers=dict(HEADERS))


def _deadline_args(request):
    start = request.args.get("since") or ""
    if not ISO_DATE.match(start):
        start = date.today().isoformat()
    return {"start": start, "agency": (request.args.get("agency") or "").strip()[:200] or None,
            "include_past": request.args.get("past") == "1",
            "include_undated": request.args.get("undated") == "1"}


async def deadlines(datasette, request):
    args = _deadline_args(request)
    result = await _run(datasette, browse.deadlines_by_agency, **args)
    rows = [(g["agency"], d) for g in result["groups"] for d in g["deadlines"]]
    offset, pager = _pager(request, len(rows), DEADLINES_PAGE)
    groups: dict[str, list] = {}
    for agency, d in rows[offset:offset + DEADLINES_PAGE]:
        groups.setdefault(agency, []).append(d)
    result["groups"] = [{"agency": a, "deadlines": ds, "next": ds[0]["due"]}
                        for a, ds in groups.items()]
    agencies = await _run(datasette, browse.agency_counts)
    return await _page(datasette, request, "deadlines.html",
                       {**result, "args": args, "agencies": agencies, "pager": pager,
                        "today": date.today().isoformat()})


def _calendar_rows(rows: list[dict], link) -> list[dict]:
    """Stored deadline rows as calendar events: named by the document's number (or file name,
    never its path on this machine) and linked back to the deadline on its document's page."""
    out = []
    for r in rows:
        name = r.get("document_key") or browse.file_name(r.get("path"))
        out.append({**r, "document": name, "path": None,
                    "url": link(f"/document/{int(r['document_id'])}#dl-{int(r['id'])}")})
    return out


def _ics_rows(conn, args: dict) -> list[dict]:
    import sqlite_utils

    from ..storage.queries import deadlines as query_deadlines

    shown = browse.deadlines_by_agency(conn, **args)
    ids = {d["id"] for g in shown["groups"] for d in g["deadlines"]}
    all_rows = query_deadlines(sqlite_utils.Database(conn), agency=args.get("agency"))
    return [r for r in all_rows if r["id"] in ids]


def _document_ics_rows(conn, doc_id: int):
    import sqlite_utils

    from ..storage.queries import deadlines as query_deadlines

    doc = browse.document(conn, doc_id)
    if doc is None:
        return None
    return doc, query_deadlines(sqlite_utils.Database(conn), document=str(doc_id))


def _directive_ics_rows(conn, ref: str):
    bundle = graphview.directive(conn, ref)
    if bundle is None:
        return None
    return bundle["me"]["label"], _implementer_deadlines(conn, ref, bundle, limit=None)


def _calendar(datasette, request, rows: list[dict], name: str, filename: str) -> Response:
    from ..ics import to_ics

    def link(path: str) -> str:
        return datasette.absolute_url(request, datasette.urls.path(path))

    body = to_ics(_calendar_rows(rows, link), calname=name)
    return Response(body, content_type="text/calendar; charset=utf-8", headers={
        **HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'})


async def document_ics(datasette, request):
    """The deadlines of one document, as a calendar."""
    doc_id = int(request.url_vars["id"])
    found = None if doc_id > _MAX_ID else await _run(datasette, _document_ics_rows, doc_id)
    if found is None:
        return await _not_found(datasette, request, f"No stored document has id {doc_id}.")
    doc, rows = found
    return _calendar(datasette, request, rows, doc["label"], f"document-{doc_id}.ics")


async def directive_ics(datasette, request):
    """The deadlines set by every document implementing a directive (through any chain)."""
    node = await _resolve_node(datasette, request)
    found = None if node is None else await _run(datasette, _directive_ics_rows, node)
    if found is None:
        what = request.args.get("key") or request.args.get("node") or "(nothing)"
        return await _not_found(datasette, request, f"Nothing in the database is {what!s}.")
    label, rows = found
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-") or "directive"
    return _calendar(datasette, request, rows, label, f"implementing-{safe}.ics")


async def deadlines_ics(datasette, request):
    args = _deadline_args(request)
    rows = await _run(datasette, _ics_rows, args)
    name = "directives deadlines" + (f" — {args['agency']}" if args["agency"] else "")
    return _calendar(datasette, request, rows, name, "deadlines.ics")
