"""One entry point for every input file: `read(path)` → `RawDocument`.

The extension chooses the reader, then the first bytes are checked so that a damaged file or a
wrong extension gives a `DocumentError` with a reason a person can act on, never a traceback
from deep inside a parser. Size limits guard against huge files and DOCX zip bombs.
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

from ..model import DocumentError, RawDocument

MB = 1024 * 1024


def _env_mb(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default)) * MB
    except ValueError:
        return default * MB


# A plan or directive is rarely above a few MB; the caps are far above that and only stop runaways.
MAX_FILE_BYTES = _env_mb("DIRECTIVES_MAX_FILE_MB", 200)
MAX_UNZIPPED_BYTES = _env_mb("DIRECTIVES_MAX_UNZIPPED_MB", 200)
MAX_ZIP_ENTRIES = 10_000
OCR_MODES = ("auto", "always", "never")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 files and encrypted Office files

TEXT_EXTENSIONS = (".txt", ".md", ".markdown")
HTML_EXTENSIONS = (".html", ".htm")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")  # scans: read by OCR
OFFICE_EXTENSIONS = (".doc", ".rtf")  # converted to DOCX by LibreOffice (office.py)
SUPPORTED = (TEXT_EXTENSIONS + HTML_EXTENSIONS + (".docx", ".pdf") + OFFICE_EXTENSIONS
             + IMAGE_EXTENSIONS)


def _size_mb(n: int) -> str:
    return f"{n / MB:.0f} MB"


def _check_docx_zip(path: str, data: bytes, max_unzipped: int) -> None:
    """A DOCX is a zip: refuse non-zips, damaged zips and archives that would unpack too large."""
    import io

    if data.startswith(OLE_MAGIC):
        raise DocumentError(path, "not a DOCX: an OLE file (a legacy .doc, or a password-protected "
                                  "DOCX); save it as .docx without a password")
    if not data.startswith(b"PK"):
        raise DocumentError(path, "not a DOCX (not a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise DocumentError(path, "damaged DOCX (truncated or corrupt zip archive)") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise DocumentError(path, f"refused DOCX: {len(infos)} entries in the zip (zip bomb?)")
    total = sum(i.file_size for i in infos)
    if total > max_unzipped:
        raise DocumentError(
            path, f"refused DOCX: unpacks to {_size_mb(total)}, over the {_size_mb(max_unzipped)} "
                  "limit (zip bomb?)")
    if not any(i.filename == "word/document.xml" for i in infos):
        raise DocumentError(path, "not a Word document (zip archive without word/document.xml)")


def _is_pdf(data: bytes) -> bool:
    """PDF readers accept the header anywhere in the first 1024 bytes; so do we."""
    return b"%PDF-" in data[:1024]


def read(path: str | Path, max_bytes: int | None = None,
         max_unzipped: int | None = None, *, ocr: str = "auto", on_page=None) -> RawDocument:
    """Read a .txt/.md, .html, .docx, .doc, .rtf, .pdf or scanned image file; every failure is a
    DocumentError(path, reason). `ocr`: "auto" (pages without a usable text layer, and images),
    "always" (every PDF page), "never". `on_page(done, total)`: after each OCR'd page."""
    path = str(path)
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {ocr!r}")
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    max_unzipped = MAX_UNZIPPED_BYTES if max_unzipped is None else max_unzipped
    ext = Path(path).suffix.lower()
    if ext not in SUPPORTED:
        shown = ext or "(none)"
        raise DocumentError(path, f"unsupported file type '{shown}' "
                                  f"(expected one of {', '.join(SUPPORTED)})")
    try:
        size = os.path.getsize(path)
        if Path(path).is_dir():
            raise DocumentError(path, "is a directory, not a file")
        if size > max_bytes:
            raise DocumentError(path, f"file too large: {_size_mb(size)}, over the "
                                      f"{_size_mb(max_bytes)} limit")
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise DocumentError(path, "file not found") from None
    except PermissionError:
        raise DocumentError(path, "permission denied") from None
    except IsADirectoryError:
        raise DocumentError(path, "is a directory, not a file") from None
    except OSError as e:
        raise DocumentError(path, f"cannot read file: {e.strerror or e}") from None
    if not data:
        raise DocumentError(path, "empty file (0 bytes)")

    if ext in TEXT_EXTENSIONS:
        from .text import read_text
        return read_text(path, data)
    if ext in HTML_EXTENSIONS:
        from .html import read_html
        return read_html(path, data)
    if ext == ".docx":
        _check_docx_zip(path, data, max_unzipped)
        from .docx import read_docx
        return read_docx(path, data)
    if ext in OFFICE_EXTENSIONS:
        from .office import check_kind, to_docx
        if data.startswith(b"PK") and ext == ".doc":  # a DOCX saved under the old name
            _check_docx_zip(path, data, max_unzipped)
            from .docx import read_docx
            return read_docx(path, data)
        check_kind(path, data)
        converted, version = to_docx(path, data)
        _check_docx_zip(path, converted, max_unzipped)
        from .docx import read_docx
        raw = read_docx(path, converted)
        raw.format = ext.lstrip(".")
        raw.meta.setdefault("reading", {}).update(converted_from=raw.format, converter=version)
        return raw
    if ext in IMAGE_EXTENSIONS:
        from .image import read_image
        return read_image(path, data, ocr=ocr, on_page=on_page)
    if not _is_pdf(data):
        raise DocumentError(path, "not a PDF (damaged or wrong extension)")
    from .pdf import read_pdf
    return read_pdf(path, data, ocr=ocr, on_page=on_page)


__all__ = ["read", "MAX_FILE_BYTES", "MAX_UNZIPPED_BYTES", "SUPPORTED", "OCR_MODES"]
