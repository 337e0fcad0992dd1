"""directives: Vietnamese plans and directives → citations, deadlines and a citation graph.

The public API (the CLI is a thin layer over these):

    from pipeline import extract_file, extract_string, ingest, open_db
    rec = extract_file("corpus/004_ba6238f9405d9d7b.txt")   # DocumentRecord; rec.to_dict()
    ingest(["corpus"], "outputs/directives.db")               # IngestReport
    db = open_db("outputs/directives.db")                      # sqlite_utils.Database

Importing one extraction stage (`pipeline.citations`, `pipeline.readers`) does not load the
storage layer or the graph: `open_db` is imported when first asked for, and the ingest module
loads them when it runs.
"""
from __future__ import annotations

from .citations import extract_citations
from .extract import extract_file, extract_string, extract_text
from .ingest import ingest
from .model import DocumentError

__all__ = ["DocumentError", "extract_citations", "extract_file", "extract_string",
           "extract_text", "ingest", "open_db"]


def __getattr__(name: str):
    if name == "open_db":
        from .storage import open_db

        return open_db
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
