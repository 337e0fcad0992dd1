"""Datasette plugin hooks: this project's pages as routes, and links to them in datasette's menu."""
from __future__ import annotations

from datasette import hookimpl

from .. import graph
from . import views
from .names import STATIC_MOUNT


@hookimpl
def register_routes():
    return [
        (r"^/$", views.home),
        (r"^/search$", views.search),
        (r"^/document/(?P<id>[0-9]+)$", views.document),
        (r"^/document/(?P<id>[0-9]+)\.ics$", views.document_ics),
        (r"^/directive$", views.directive),
        (r"^/directive\.ics$", views.directive_ics),
        (r"^/lineage$", views.lineage),
        (r"^/lineage\.json$", views.lineage_json),
        (r"^/deadlines$", views.deadlines),
        (r"^/deadlines\.ics$", views.deadlines_ics),
    ]


@hookimpl
def extra_css_urls(datasette):
    """On datasette's own pages: facet lists break lines between words, not inside a Vietnamese
    syllable (datasette's app.css sets `word-break: break-all` on them)."""
    return [datasette.urls.path(f"/{STATIC_MOUNT}/datasette-vi.css")]


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path("/"), "label": "Tổng quan"},
        {"href": datasette.urls.path("/search"), "label": "Tìm văn bản"},
        {"href": datasette.urls.path("/deadlines"), "label": "Hạn công việc"},
    ]


@hookimpl
def handle_exception(datasette, request, exception):
    if isinstance(exception, graph.GraphOutOfDate):
        async def inner():
            return await views.graph_out_of_date(datasette, request, exception)
        return inner
    return None
