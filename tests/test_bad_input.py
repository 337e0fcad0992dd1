"""Bad input never stops the batch.

One folder holds every kind of bad file next to good ones; one real `directives ingest` runs over
it. Each bad file gets one clear line (file, reason) on stderr and a row with status 'error' and
the reason; the good files are all stored; the exit code is the number of failures; `directives
status` lists them.
"""
from __future__ import annotations

import importlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipeline.ingest import path_key
from pipeline.progress import printable

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
GOOD = (ROOT / "corpus" / "004_ba6238f9405d9d7b.txt").read_text(encoding="utf-8")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
MB = 1024 * 1024

# name → expected reason (substring); None = must be stored fine
EXPECTED: dict[str, str | None] = {}


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def build(folder: Path) -> dict[str, str | None]:
    exp: dict[str, str | None] = {}

    def put(name: str, data: bytes, reason: str | None) -> None:
        (folder / name).write_bytes(data)
        exp[name] = reason

    folder.mkdir(parents=True)
    put("good.txt", GOOD.encode(), None)
    put("good.md", ("# KẾ HOẠCH\n\n" + GOOD).encode(), None)
    shutil.copy(FIX / "plan.docx", folder / "plan.docx")
    exp["plan.docx"] = None
    shutil.copy(FIX / "plan.pdf", folder / "plan.pdf")
    exp["plan.pdf"] = None

    # empty and binary
    put("empty.txt", b"", "empty file")
    put("empty.docx", b"", "empty file")
    put("empty.pdf", b"", "empty file")
    put("nul.txt", b"\x00\x01\x02garbage\x00" * 100, "binary content")
    put("garbage.pdf", os.urandom(3000).replace(b"%PDF", b"xxxx"), "not a PDF")
    put("garbage.docx", os.urandom(3000).replace(b"PK", b"xx"), "not a DOCX")
    put("latin1.txt", "Quyết định số 12/QĐ-UBND".encode("cp1258", "replace") + b"\x80\x81", "UTF-8")

    # damaged / protected documents (the readers' fixtures)
    for name, reason in (("encrypted.pdf", "encrypted PDF"), ("truncated.pdf", "damaged PDF"),
                         ("image_only.pdf", "no text"), ("no_pages.pdf", "empty PDF"),
                         ("truncated.docx", "damaged DOCX")):
        shutil.copy(FIX / name, folder / name)
        exp[name] = reason
    put("legacy.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "OLE file")
    _zip(folder / "notword.docx", {"hello.txt": b"not a word document"})
    exp["notword.docx"] = "not a Word document"

    # a zip bomb: 210 MB of zeros, a few hundred KB packed
    with zipfile.ZipFile(folder / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"\x00" * MB
            for _ in range(210):
                f.write(chunk)
    exp["bomb.docx"] = "zip bomb"

    # too large, and one very long line (must be stored, in time)
    with open(folder / "huge.txt", "wb") as f:
        f.truncate(200 * MB)  # sparse: costs no disk, refused by its size before reading
    exp["huge.txt"] = "file too large"
    words = GOOD.split()
    line = " ".join(words[i % len(words)] for i in range(2_000_000))[:10 * MB]
    put("one_line.txt", line.encode(), None)

    # links, special files
    os.symlink("loop.md", folder / "loop.md")
    exp["loop.md"] = "symlink loop"
    os.symlink("nowhere.txt", folder / "dangling.txt")
    exp["dangling.txt"] = "file not found"
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "up")  # a folder loop: not followed, no row
    (folder / "sub" / "inside.txt").write_text(GOOD, encoding="utf-8")
    exp["sub/inside.txt"] = None
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.txt")  # reading it would block forever
        exp["fifo.txt"] = "not a regular file"
    (folder / "folder.pdf").mkdir()  # a folder with a document extension is walked, not read
    (folder / "folder.pdf" / "in_folder.txt").write_text(GOOD, encoding="utf-8")
    exp["folder.pdf/in_folder.txt"] = None
    if not IS_ROOT:
        put("locked.txt", GOOD.encode(), "permission denied")
        os.chmod(folder / "locked.txt", 0)

    # odd names, good content
    for name in ("tên có dấu (1) & 'x' \"y\".txt", "new\nline.md", "-dash.txt",
                 "  spaces  .txt", "tab\there.md", "%s%n{}.txt", "emoji 📄.md"):
        put(name, GOOD.encode(), None)
    bad_name = os.fsdecode(b"latin1-\xe9\xff.txt")  # not UTF-8: stored with \x escapes
    (folder / bad_name).write_bytes(GOOD.encode())
    exp[bad_name] = None
    return exp


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    folder = base / "in"
    exp = build(folder)
    db = base / "bad.db"
    r = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(folder), "--db", str(db),
                        "--workers", "2", "--timeout", "90"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    conn = sqlite3.connect(db)
    rows = {p: (s, e) for p, s, e in conn.execute("select path, status, error from documents")}
    counts = dict(conn.execute("select d.path, count(s.id) from documents d left join sections s "
                               "on s.document_id = d.id group by d.id").fetchall())
    check = conn.execute("pragma integrity_check").fetchone()[0]
    conn.close()
    return {"folder": folder, "exp": exp, "db": db, "proc": r, "rows": rows, "counts": counts,
            "integrity": check}


def _key(run, name: str) -> str:
    return path_key(run["folder"] / name)


def test_every_bad_file_has_a_row_with_its_reason(run):
    problems = []
    for name, reason in run["exp"].items():
        key = _key(run, name)
        got = run["rows"].get(key)
        if got is None:
            problems.append(f"{name!r}: no row")
        elif reason is None and got != ("ok", None):
            problems.append(f"{name!r}: expected ok, got {got}")
        elif reason is not None and (got[0] != "error" or reason.lower() not in got[1].lower()):
            problems.append(f"{name!r}: expected error with {reason!r}, got {got}")
    assert not problems, "\n".join(problems)
    assert len(run["rows"]) == len(run["exp"])  # nothing else (no row for the folder loop)
    assert run["integrity"] == "ok"


def test_good_files_are_stored_completely(run):
    for name, reason in run["exp"].items():
        if reason is None and name != "one_line.txt":
            assert run["counts"][_key(run, name)] > 0, name


def test_one_clear_line_per_failure_and_exit_code_counts_them(run):
    failed = [n for n, r in run["exp"].items() if r is not None]
    r = run["proc"]
    assert r.returncode == len(failed), r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("error: ")]
    assert len(lines) == len(failed), r.stderr
    for name in failed:
        shown = printable(_key(run, name))
        assert sum(ln.startswith(f"error: {shown}: ") for ln in lines) == 1, name
    assert f"{len(failed)} failed ({len(run['exp'])} files)" in r.stdout


def test_status_lists_the_failures(run):
    r = subprocess.run([sys.executable, "-m", "pipeline", "status", "--db", str(run["db"])],
                       cwd=ROOT, capture_output=True, text=True)
    failed = [n for n, why in run["exp"].items() if why is not None]
    good = len(run["exp"]) - len(failed)
    assert f"{good} ok, {len(failed)} failed, 0 missing" in r.stdout
    for name in failed:
        assert f"error: {printable(_key(run, name))}: " in r.stdout
    assert r.returncode == 1
    js = subprocess.run([sys.executable, "-m", "pipeline", "status", "--db", str(run["db"]),
                         "--format", "json"], cwd=ROOT, capture_output=True, text=True)
    rows = json.loads(js.stdout)
    assert sum(row["status"] == "error" for row in rows) == len(failed)


def test_rerun_retries_only_the_failures(run):
    r = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(run["folder"]), "--db",
                        str(run["db"]), "--workers", "2", "--quiet"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    failed = [n for n, why in run["exp"].items() if why is not None]
    good = len(run["exp"]) - len(failed)
    assert r.returncode == len(failed)
    assert f"0 ingested, {good} unchanged, {len(failed)} failed" in r.stdout


def test_unreadable_file(tmp_path):
    if IS_ROOT:
        pytest.skip("running as root: chmod 000 does not stop root from reading; the "
                    "non-root run of this suite checks 'permission denied'")
    from pipeline.ingest import ingest

    p = tmp_path / "in" / "locked.txt"
    p.parent.mkdir()
    p.write_text(GOOD, encoding="utf-8")
    os.chmod(p, 0)
    report = ingest([p.parent], tmp_path / "x.db", workers=0)
    assert report.failed == [(str(p), "permission denied")]


def test_permission_error_is_reported_as_such(tmp_path, monkeypatch):
    """Simulated (works as root too): an open() that fails with EACCES."""
    import builtins
    import errno

    ingest_mod = importlib.import_module("pipeline.ingest")

    p = tmp_path / "in" / "locked.txt"
    p.parent.mkdir()
    p.write_text(GOOD, encoding="utf-8")
    real_open = builtins.open

    def fake_open(file, *a, **kw):
        if str(file).endswith("locked.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *a, **kw)

    monkeypatch.setattr(builtins, "open", fake_open)
    report = ingest_mod.ingest([p.parent], tmp_path / "x.db", workers=0)
    assert report.failed == [(str(p), "permission denied")]


def test_a_named_file_of_any_type_gets_its_own_error(tmp_path):
    from pipeline.ingest import ingest

    p = tmp_path / "notes.xls"
    p.write_text("Kế hoạch\tsố\n")
    missing = tmp_path / "absent.txt"
    report = ingest([p, missing], tmp_path / "x.db", workers=0)
    reasons = dict(report.failed)
    assert "unsupported file type '.xls'" in reasons[str(p)]
    assert "file not found" in reasons[str(missing)]
