"""directives: Vietnamese plans and directives → citations, deadlines and a citation graph.

The public API (the CLI is a thin layer over these):

    from pipeline import extract_file, extract_string, ingest, open_db
    rec = extract_file("corpus/004_ba6238f9405d9d7b.txt")   # DocumentRecord; rec.to_dict()
    ingest(["corpus"], "outputs/directives.db")               # IngestReport
    db = open_db("outputs/directives.db")                      # sqlite_utils.Database
"""
from .model import DocumentError

__all__ = ["DocumentError", "extract_file", "extract_string", "extract_citations", "ingest",
           "open_db"]


def __getattr__(name):
    # Imported lazily so `import pipeline` stays cheap (no PDF/DOCX/spaCy imports at start-up).
    if name in ("extract_file", "extract_string", "extract_text"):
        from . import extract
        return getattr(extract, name)
    if name == "extract_citations":
        from .citations import extract_citations
        return extract_citations
    if name == "ingest":
        from .ingest import ingest
        return ingest
    if name == "open_db":
        from .store import open_db
        return open_db
    raise AttributeError(name)
