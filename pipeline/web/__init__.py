"""Read-only web browser over a directives database: datasette (tables, facets, full-text
search, SQL, JSON API) with this project's pages added as a plugin.

    from pipeline.web import build_datasette, serve
    serve("outputs/directives.db", host="127.0.0.1", port=8001)   # what `directives serve` runs

Pages (all GET, all read-only): `/` overview, `/search`, `/document/<id>`, `/directive?key=`,
`/lineage?key=` (+ `/lineage.json`), `/deadlines` (+ `/deadlines.ics`); datasette's own pages
stay under `/<database>`. The graph drawing library (cytoscape.js) is vendored in `static/`.
"""
from .app import build_datasette, serve

__all__ = ["build_datasette", "serve"]
