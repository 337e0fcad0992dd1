"""The datasette instance: the database opened read-only, this project's templates, static files
and plugin, and table metadata (default facets, labels)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from . import plugin
from .names import PLUGIN_NAME, STATIC, STATIC_MOUNT, TEMPLATES
# First path segments taken by this project's pages: a database whose file is named like one of
# them is served under "<name>-db" instead, so datasette's pages for it stay reachable.
RESERVED = {"search", "document", "directive", "lineage", "lineage.json", "deadlines",
            "deadlines.ics"}


def metadata(db_name: str) -> dict:
    """Datasette's titles and descriptions, in Vietnamese: what of datasette's pages can be
    (its own interface has no translations)."""
    return {
        "title": "directives: kế hoạch, chỉ thị và văn bản được trích dẫn",
        "description": "Kế hoạch, chỉ thị của cơ quan nhà nước và của Đảng: trích dẫn, hạn công "
                       "việc và sơ đồ nguồn gốc (chỉ đọc).",
        "databases": {db_name: {"tables": {
            "documents": {"facets": ["issuer", "type", "year"], "label_column": "title",
                          "title": "Văn bản",
                          "description": "Mỗi tệp đã nạp một dòng: phần đầu văn bản và nội dung."},
            "sections": {"facets": ["kind", "level"], "label_column": "heading",
                         "title": "Mục", "description": "Các mục, điều, khoản của văn bản."},
            "citations": {"facets": ["relation", "type", "position"], "label_column": "key",
                          "title": "Trích dẫn",
                          "description": "Mỗi lần một văn bản nhắc đến văn bản khác."},
            "relations": {"facets": ["relation"], "title": "Chuỗi quan hệ",
                          "description": "Quan hệ giữa hai văn bản khác do một văn bản nêu ra."},
            "deadlines": {"facets": ["kind", "agency"], "label_column": "text",
                          "title": "Hạn công việc",
                          "description": "Hạn, mốc thời gian, nhiệm vụ định kỳ và cơ quan chủ trì."},
            "named_refs": {"facets": ["type"], "title": "Luật được nêu tên",
                           "description": "Luật, bộ luật, pháp lệnh được nêu bằng tên."},
        }}},
        "plugins": {PLUGIN_NAME: {"database": db_name}},
    }


def register_plugin() -> None:
    """Register the plugin module with datasette's plugin manager (once per process)."""
    from datasette.plugins import pm

    if not pm.is_registered(plugin):
        pm.register(plugin, name=PLUGIN_NAME)


def build_datasette(db_path: str | Path, *, settings: Optional[dict] = None):
    """A Datasette on `db_path` (opened with mode=ro: nothing is ever written to it)."""
    from datasette.app import Datasette
    from datasette.database import Database

    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"no database at {db_path} (run `directives demo` or "
                                "`directives ingest` first)")
    register_plugin()
    opts = {"truncate_cells_html": 300, "sql_time_limit_ms": 3000,
            "default_facet_size": 15}
    opts.update(settings or {})
    name = db_path.stem if db_path.stem not in RESERVED else f"{db_path.stem}-db"
    ds = Datasette(
        files=[str(db_path)] if name == db_path.stem else [],
        metadata=metadata(name),
        template_dir=str(TEMPLATES),
        static_mounts=[(STATIC_MOUNT, str(STATIC))],
        settings=opts,
        cors=False,
    )
    if name != db_path.stem:
        ds.add_database(Database(ds, path=str(db_path), is_mutable=True), name=name)
    return ds


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001,
          log_level: str = "warning") -> None:
    """Run the web application until interrupted (uvicorn, as `datasette serve` does). It never
    writes: bring the graph up to date first (`graphview.prepare`, as `directives serve` does)."""
    import asyncio
    import inspect

    import uvicorn

    ds = build_datasette(db_path)
    asyncio.run(ds.invoke_startup())
    kwargs = {}
    if "timeout_graceful_shutdown" in inspect.signature(uvicorn.Config).parameters:
        kwargs["timeout_graceful_shutdown"] = 5  # an idle browser connection never blocks Ctrl-C
    from .guard import allowed_hosts, guard

    uvicorn.run(guard(ds.app(), allowed_hosts(host)), host=host, port=port, log_level=log_level,
                lifespan="on", **kwargs)
