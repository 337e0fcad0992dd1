"""Word 97-2003 (.doc) and RTF files, converted by LibreOffice and read as DOCX (readers/office.py).

The .doc and .rtf versions are made from the DOCX fixtures by LibreOffice itself (as Word's "Save
as" would) and must give the same blocks' text and the same extraction as the DOCX.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import legacy_fixtures as lf
from pipeline.extract import extract_file
from pipeline.model import DocumentError
from pipeline.readers import office, read

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "corpus").glob("*.txt"))
FIX = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.skipif(office.converter()[0] is None and not os.environ.get("CI"),
                                reason="needs LibreOffice (CI installs it)")


@pytest.fixture(scope="session")
def versions(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """document → {"docx": …, "doc": …, "rtf": …}: plan.docx and the corpus as Word files."""
    out = tmp_path_factory.mktemp("office")
    docx = [out / "plan.docx"]
    shutil.copy(FIX / "plan.docx", docx[0])
    for f in CORPUS:
        p = out / f"{f.stem[:3]}.docx"
        p.write_bytes(lf.docx_from_text(lf.plain(f.read_text(encoding="utf-8"))))
        docx.append(p)
    exe = office.converter()[0]
    with tempfile.TemporaryDirectory() as profile:
        for fmt in ("doc", "rtf"):
            subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless",
                            "--convert-to", fmt, "--outdir", str(out)] + [str(p) for p in docx],
                           check=True, capture_output=True, timeout=600)
    return {p.stem: {fmt: out / f"{p.stem}.{fmt}" for fmt in ("docx", "doc", "rtf")}
            for p in docx}


def _cites(rec):
    return sorted(((c.key, c.issuer, c.relation, c.date, c.section) for c in rec.citations),
                  key=repr)


@pytest.mark.parametrize("doc", ["plan"] + [f.stem[:3] for f in CORPUS])
def test_doc_and_rtf_give_what_the_docx_gives(versions, doc):
    files = versions[doc]
    ref = extract_file(files["docx"])
    assert ref.citations
    for fmt in ("doc", "rtf"):
        raw = read(files[fmt])
        assert raw.format == fmt
        assert raw.meta["reading"]["converted_from"] == fmt
        assert raw.meta["reading"]["converter"].startswith("LibreOffice")
        rec = extract_file(files[fmt])
        assert _cites(rec) == _cites(ref), fmt
        assert [(d.kind, d.value) for d in rec.deadlines] == \
            [(d.kind, d.value) for d in ref.deadlines], fmt
        assert rec.header.key == ref.header.key and rec.header.issuer == ref.header.issuer
        assert [s.id for s in rec.sections] == [s.id for s in ref.sections], fmt


def test_the_word_fixture_keeps_its_table_bold_and_footnotes_through_doc(versions):
    ref = read(versions["plan"]["docx"])
    raw = read(versions["plan"]["doc"])
    assert [(b.kind, b.bold) for b in raw.blocks] == [(b.kind, b.bold) for b in ref.blocks]
    assert [b.text for b in raw.blocks] == [b.text for b in ref.blocks]


def test_a_doc_in_tcvn3_fonts_is_converted_to_unicode(versions, tmp_path):
    legacy_docx = tmp_path / "legacy.docx"
    legacy_docx.write_bytes(lf.docx_bytes(versions["003"]["docx"].read_bytes(), "tcvn3"))
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([office.converter()[0], f"-env:UserInstallation=file://{profile}",
                        "--headless", "--convert-to", "doc", "--outdir", str(tmp_path),
                        str(legacy_docx)], check=True, capture_output=True, timeout=300)
    rec = extract_file(tmp_path / "legacy.doc")
    assert rec.text.meta["reading"]["encoding"] == "tcvn3"
    assert _cites(rec) == _cites(extract_file(versions["003"]["docx"]))


@pytest.mark.parametrize("name, data, reason", [
    ("garbage.doc", os.urandom(2000).replace(b"\xd0\xcf", b"xx"), "not a Word 97-2003 document"),
    ("text.rtf", "Kế hoạch số 12/KH-UBND".encode(), "not an RTF document"),
    ("empty-ole.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "could not convert"),
    ("broken.rtf", b"{\\rtf1\\ansi " + b"{" * 50, "could not convert"),
], ids=["garbage.doc", "text.rtf", "empty-ole.doc", "broken.rtf"])
def test_unreadable_doc_and_rtf_get_a_clear_error(tmp_path, name, data, reason):
    f = tmp_path / name
    f.write_bytes(data)
    with pytest.raises(DocumentError) as e:
        read(f)
    assert str(f) in str(e.value)
    assert reason in e.value.reason


def test_a_hung_converter_is_stopped_and_a_missing_one_named(versions, monkeypatch):
    data = versions["plan"]["doc"].read_bytes()
    with pytest.raises(DocumentError) as e:
        office.to_docx("slow.doc", data, timeout=0.05)
    assert "took over 0.05 s" in e.value.reason
    monkeypatch.setattr(office, "converter", lambda: (None, None))
    with pytest.raises(DocumentError) as e:
        read(versions["plan"]["doc"])
    assert "LibreOffice is not installed" in e.value.reason
