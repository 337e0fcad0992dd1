"""directives: Vietnamese plans and directives → citations, deadlines and a citation graph.

The public API (the CLI is a thin layer over these):

    from pipeline import extract_file, extract_string, ingest, open_db
    rec = extract_file("corpus/004_ba6238f9405d9d7b.txt")   # DocumentRecord; rec.to_dict()
    ingest(["corpus"], "outputs/directives.db")               # IngestReport
    db = open_db("outputs/directives.db")                      # sqlite_utils.Database
"""
from .citations import extract_citations
from .extract import extract_file, extract_string, extract_text
from .ingest import ingest
from .model import DocumentError
from .storage import open_db

__all__ = ["DocumentError", "extract_file", "extract_string", "extract_text",
           "extract_citations", "ingest", "open_db"]
