"""`directives serve`: the read-only web browser (datasette + this project's pages)."""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path


def cmd_serve(args) -> int:
    from ..storage import is_directives_db

    if not Path(args.db).is_file():
        print(f"error: no database at {args.db} (run `directives demo` or "
              "`directives ingest PATH...` first)", file=sys.stderr)
        return 2
    if not is_directives_db(args.db):
        print(f"error: {args.db} is not a directives database (no documents table)",
              file=sys.stderr)
        return 2
    try:
        from ..web import serve
        from ..web.graphview import prepare
    except ImportError as e:
        print(f"error: the web application's dependencies are missing ({e}); "
              "run: pip install -e .", file=sys.stderr)
        return 2
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {args.host}: other machines can read this database",
              file=sys.stderr)
    try:  # the server never writes: the graph is brought up to date here, once
        synced = prepare(args.db)
    except sqlite3.OperationalError as e:  # a read-only file or folder
        print(f"warning: could not bring the citation graph up to date ({e}); pages that "
              "need it will say so", file=sys.stderr)
    else:
        if synced:
            print(f"citation graph: {synced} document(s) brought in", flush=True)
    print(f"Serving {args.db} read-only at http://{args.host}:{args.port}/ (Ctrl-C stops)",
          flush=True)
    serve(args.db, host=args.host, port=args.port)
    return 0


def register(sub, add) -> None:
    sp = add("serve", cmd_serve, "browse the database in a local, read-only web application "
                                 "(search, documents, lineage graph, deadlines)")
    sp.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    sp.add_argument("--host", default="127.0.0.1",
                    help="address to bind (default 127.0.0.1: this machine only)")
