"""Walk files and folders, skip what is unchanged, extract the rest, store each in its own
transaction, and report failures per file without stopping the batch."""
from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from .extract import extract_file
from .model import DocumentError
from .store import open_db, save_document, save_error, stored_hash

SUPPORTED = {".txt", ".md", ".docx", ".pdf"}


@dataclass
class IngestReport:
    seen: int = 0
    ingested: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"seen": self.seen, "ingested": self.ingested, "unchanged": self.unchanged,
                "failed": [{"path": p, "error": e} for p, e in self.failed]}


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under `paths` with a supported extension, sorted, hidden files skipped.

    Symlinked folders are not followed (no loops); a named file is taken as it is, whatever its
    extension, so that a bad one gets its own clear error.
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or Path(name).suffix.lower() not in SUPPORTED:
                        continue
                    yield Path(root) / name
        else:
            yield p


def file_hash(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def ingest(paths: Iterable[str | Path], db_path: str | Path = "outputs/directives.db", *,
           force: bool = False,
           on_file: Optional[Callable[[str, str, Optional[str]], None]] = None) -> IngestReport:
    """Ingest files/folders into the database at `db_path`.

    Unchanged files (same content hash, stored without error) are skipped unless `force`.
    `on_file(path, status, error)` is called after each file (status: ok, unchanged, error).
    """
    db = open_db(db_path)
    report = IngestReport()
    try:
        for path in iter_files(paths):
            report.seen += 1
            key = str(path)
            status, error = "ok", None
            sha = size = None
            try:
                sha, size = file_hash(path)
                prev = stored_hash(db, key)
                if not force and prev == (sha, "ok"):
                    status = "unchanged"
                else:
                    record = extract_file(path)
                    save_document(db, key, sha, size, record)
            except DocumentError as e:
                status, error = "error", e.reason
            except (OSError, RecursionError, MemoryError) as e:
                status, error = "error", f"{type(e).__name__}: {e}"
            except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch
                status, error = "error", f"internal error: {type(e).__name__}: {e}"
            if status == "error":
                save_error(db, key, sha, size, error)
                report.failed.append((key, error))
            elif status == "unchanged":
                report.unchanged += 1
            else:
                report.ingested += 1
            if on_file:
                on_file(key, status, error)
    finally:
        db.close()
    return report


def _print_line(path: str, status: str, error: Optional[str]) -> None:
    if status == "error":
        print(f"error: {path}: {error}", file=sys.stderr)
