"""Word 97-2003 (.doc) and RTF files → DOCX with LibreOffice, then read by the DOCX reader.

LibreOffice (Debian `libreoffice-writer-nogui`) is the maintained converter that keeps what the
DOCX reader uses: paragraph styles, bold, numbering, tables, footnotes and the fonts that tell a
TCVN3/VNI text (legacy.py). Each conversion runs `soffice --headless --convert-to docx` with a time
limit, in its own process group so a hung converter is killed whole, and with a profile folder
kept per worker process (two converters sharing one profile block each other; a kept profile
saves its set-up on every later file).

Measured here (LibreOffice 7.4, 2 cores): 1.3 s and 213 MB for one file, of which ~1.2 s is the
converter's start-up; reusing one process for many files needs LibreOffice's UNO bridge, whose
Python module is built for the system Python only, so it is not used (see the README).
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..model import DocumentError

OFFICE_EXTENSIONS = (".doc", ".rtf")
TIMEOUT = float(os.environ.get("DIRECTIVES_CONVERT_TIMEOUT", "120"))  # seconds, one file
INSTALL_HINT = "install LibreOffice (Debian: libreoffice-writer-nogui)"


@lru_cache(maxsize=1)
def converter() -> tuple[Optional[str], Optional[str]]:
    """(path of soffice, version) when LibreOffice is installed, else (None, None)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        return None, None
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
        version = " ".join(out.stdout.split()[:2]) or "LibreOffice"
    except (OSError, subprocess.SubprocessError):
        version = "LibreOffice"
    return exe, version


_profiles: dict[int, str] = {}


def _profile() -> str:
    """This process's LibreOffice profile folder (forked workers each get their own)."""
    pid = os.getpid()
    if pid not in _profiles:
        _profiles[pid] = tempfile.mkdtemp(prefix="directives-soffice-")
        atexit.register(shutil.rmtree, _profiles[pid], True)
    return _profiles[pid]


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_kind(path: str, data: bytes) -> None:
    """Refuse what is not a Word 97-2003 or RTF document before LibreOffice, which imports any
    bytes as plain text: .doc is OLE, RTF, or a web page Word saved as .doc; .rtf is RTF."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data.startswith(OLE_MAGIC) or head.startswith(b"{\\rtf"):
        return
    if path.lower().endswith(".doc") and (head[:1] == b"<" or head.startswith(b"MIME-Version")):
        return
    kind = "an RTF" if path.lower().endswith(".rtf") else "a Word 97-2003"
    raise DocumentError(path, f"not {kind} document (no OLE or RTF header): damaged or a wrong "
                              "extension")


def to_docx(path: str, data: bytes, timeout: float = TIMEOUT) -> tuple[bytes, str]:
    """(DOCX bytes, converter version) of a .doc or .rtf file's bytes; DocumentError on failure."""
    exe, version = converter()
    kind = Path(path).suffix.lower().lstrip(".")
    if exe is None:
        raise DocumentError(path, f"a .{kind} file needs converting, but LibreOffice is not "
                                  f"installed; {INSTALL_HINT}, or save it as .docx")
    with tempfile.TemporaryDirectory(prefix="directives-convert-") as tmp:
        src = Path(tmp) / f"in.{kind}"
        src.write_bytes(data)
        cmd = [exe, f"-env:UserInstallation=file://{_profile()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(src)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise DocumentError(path, f"converting the .{kind} file took over {timeout:g} s "
                                      "(LibreOffice stopped)") from None
        result = Path(tmp) / "in.docx"
        if proc.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            said = (err or out).decode("utf-8", "replace").strip().splitlines()
            why = f": {said[-1][:160]}" if said else ""
            raise DocumentError(path, f"LibreOffice could not convert the .{kind} file (damaged, "
                                      f"password-protected or not a document){why}")
        return result.read_bytes(), version
