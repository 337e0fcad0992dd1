"""One file's job, as a worker does it (a local process or a Dask worker): stat, cap, hash,
compare with what is stored, read and extract, returning the record or the reason it failed,
never raising. Shared by ingest.py and cluster.py."""
from __future__ import annotations

import errno
import hashlib
import os
import stat as statmod
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .model import DocumentError
from .readers import TEXT_EXTENSIONS

TEXT_SUFFIXES = set(TEXT_EXTENSIONS)
MB = 1024 * 1024
DEFAULT_MAX_TEXT_MB = 50      # a plan is a few hundred KB; 50 MB of text is a runaway
DEFAULT_MAX_FILE_MB = 200     # DOCX and PDF (the readers have the same cap)


@dataclass
class Limits:
    max_text_bytes: int = DEFAULT_MAX_TEXT_MB * MB
    max_file_bytes: int = DEFAULT_MAX_FILE_MB * MB
    ocr: str = "auto"  # scanned pages (readers.read)


def file_hash(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def os_reason(e: OSError) -> str:
    if e.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links)"
    if e.errno == errno.ENOENT:
        return "file not found (removed during the run, or a broken symlink)"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if e.errno == errno.ENAMETOOLONG:
        return "file name too long"
    if e.errno == errno.EISDIR:
        return "is a directory, not a file"
    return f"cannot read file: {e.strerror or e}"


def process_file(path: str, prev_sha: Optional[str], limits: Limits, on_page=None):
    """Hash, compare, read and extract one file. Never raises. `on_page`: called after each
    OCR'd page (the worker's sign of life: a long scan is not timed out while pages progress).

    Returns (kind, sha, size, payload): ("ok", sha, size, DocumentRecord),
    ("unchanged", sha, size, None) when the content hash equals `prev_sha`, or
    ("error", sha|None, size|None, reason).
    """
    sha = size = None
    try:
        st = os.stat(path)
        if statmod.S_ISDIR(st.st_mode):
            return ("error", None, None, "is a directory, not a file")
        if not statmod.S_ISREG(st.st_mode):
            return ("error", None, None, "not a regular file (a device, pipe or socket)")
        size = st.st_size
        text = os.path.splitext(path)[1].lower() in TEXT_SUFFIXES
        cap = limits.max_text_bytes if text else limits.max_file_bytes
        if size > cap:
            kind = "text files" if text else "DOCX/PDF files"
            return ("error", None, size,
                    f"file too large: {size / MB:.0f} MB, over the {cap / MB:.0f} MB limit "
                    f"for {kind} (--{'max-text-mb' if text else 'max-file-mb'})")
        with open(path, "rb") as f:
            data = f.read(cap + 1)
        if len(data) > cap:
            return ("error", None, len(data), f"file too large: over the {cap / MB:.0f} MB limit "
                                              "(it grew while being read)")
        sha, size = hashlib.sha256(data).hexdigest(), len(data)
        del data
        if prev_sha is not None and sha == prev_sha:
            return ("unchanged", sha, size, None)
        from .extract import extract_file

        return ("ok", sha, size, extract_file(path, ocr=limits.ocr, on_page=on_page))
    except DocumentError as e:
        return ("error", sha, size, e.reason)
    except OSError as e:
        return ("error", sha, size, os_reason(e))
    except RecursionError:
        return ("error", sha, size, "internal error: nesting too deep (RecursionError)")
    except MemoryError:
        return ("error", sha, size, "out of memory while extracting")
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch
        return ("error", sha, size, f"internal error: {type(e).__name__}: {e}")
