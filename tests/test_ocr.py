"""OCR of scans (readers/ocr.py): scanned renderings of the corpus read as well as their text.

Each corpus document is laid out as a Word file, printed to PDF by LibreOffice, and scanned back
(scan_fixtures.py: 200 dpi, skewed pages, speckle, JPEG) into an image-only PDF. CI installs
Tesseract's Vietnamese model and LibreOffice; elsewhere these tests are skipped without them.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import legacy_fixtures as lf
import scan_fixtures as sf
from pipeline.evaluate import load_gold, score_citations
from pipeline.deadlines.evaluate import score as score_deadlines
from pipeline.extract import extract_file
from pipeline.model import DocumentError
from pipeline.readers import ocr, read

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "corpus").glob("*.txt"))
GOLD = load_gold([ROOT / "tests" / "gold" / "corpus.json"])
CI = bool(os.environ.get("CI"))

pytestmark = pytest.mark.skipif(
    not CI and (ocr.engine()[0] is None or sf.soffice() is None),
    reason="needs Tesseract with its Vietnamese model and LibreOffice (CI installs both)")


@pytest.fixture(scope="session")
def scans(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """corpus file name → (text PDF, scanned PDF)."""
    out = tmp_path_factory.mktemp("scans")
    docx = []
    for f in CORPUS:
        p = out / f"{f.stem}.docx"
        p.write_bytes(lf.docx_from_text(lf.plain(f.read_text(encoding="utf-8"))))
        docx.append(p)
    pdfs = sf.to_pdf(docx, out)
    result = {}
    for f, pdf in zip(CORPUS, pdfs):
        scanned = out / f"{f.stem}.scan.pdf"
        scanned.write_bytes(sf.scan(pdf.read_bytes()))
        result[f.name] = (pdf, scanned)
    return result


def _scores(name: str, rec) -> tuple[float, float]:
    d = rec.to_dict()
    cites = score_citations({name: GOLD[name]}, {name: d})["overall"]["f1"]
    dl = score_deadlines({"files": {name: {"deadlines": GOLD[name]["deadlines"]}}},
                         {name: d["deadlines"]}, texts={name: rec.text})["overall"]["f1"]
    return cites, dl


@pytest.mark.parametrize("name", [f.name for f in CORPUS], ids=lambda n: n[:3])
def test_scanned_corpus_document_reads_as_well_as_its_text(scans, name):
    text_pdf, scanned = scans[name]
    text_rec = extract_file(text_pdf)
    assert text_rec.text.meta.get("reading") is None  # a text layer: no OCR
    scan_rec = extract_file(scanned)
    reading = scan_rec.text.meta["reading"]["ocr"]
    assert reading["engine"].startswith("tesseract") and reading["lang"] == "vie"
    assert [p["page"] for p in reading["pages"]] == list(range(1, len(reading["pages"]) + 1))
    assert all(p["confidence"] > 80 for p in reading["pages"]), reading["pages"]
    assert all(abs(p["angle"]) > 0.3 for p in reading["pages"])  # the scan's skew was found
    text_cites, text_dl = _scores(name, text_rec)
    scan_cites, scan_dl = _scores(name, scan_rec)
    assert scan_cites >= text_cites - 0.05, (scan_cites, text_cites)
    assert scan_dl >= text_dl - 0.10, (scan_dl, text_dl)
    assert scan_rec.header.key == text_rec.header.key


@pytest.mark.parametrize("ocr_text, repaired", [
    ("Số: l23 /KH - UBND", "Số: 123/KH-UBND"),
    ("Nghị định số 26/2O21/NĐ-CP ngày l7 tháng 1O năm 2O21", "Nghị định số 26/2021/NĐ-CP ngày 17 "
                                                          "tháng 10 năm 2021"),
    ("Ðiều 1. Quyết định số 12/QÐ-UBND", "Điều 1. Quyết định số 12/QĐ-UBND"),
    ("Kết luận số 91-KIL/TW", "Kết luận số 91-KL/TW"),   # a stray stroke read as I
    ("Kết luận số 91-KƯ/TW", "Kết luận số 91-KL/TW"),
    ("Quy định số 125-QĐĐ/TW", "Quy định số 125-QĐ/TW"),  # a letter read twice
    # left alone: words, ranges, numbers that are not documents', known and unknown codes
    ("giai đoạn 2020 - 2025", "giai đoạn 2020 - 2025"),
    ("Lớp lO có 30 học sinh", "Lớp lO có 30 học sinh"),
    ("Quyết định số 30/2021/QD-TTg", "Quyết định số 30/2021/QD-TTg"),
    ("Văn bản 12/XY-ABC", "Văn bản 12/XY-ABC"),
])
def test_ocr_repairs_in_document_numbers(ocr_text, repaired):
    assert ocr.repair_line(ocr_text) == repaired


def test_repair_is_linear_on_hostile_input():
    def best(s):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            ocr.repair_line(s)
            times.append(time.perf_counter() - t0)
        return min(times)
    for junk in ("1/" * 50_000, "1-KIL/" * 20_000, "ngày 1 tháng " * 10_000, "l" * 100_000):
        small, large = best(junk[: len(junk) // 4]), best(junk)
        assert large < max(small, 1e-3) * 4 * 3, junk[:12]


def _one_page_png(pdf: Path) -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf.read_bytes())
    img = doc[0].render(scale=300 / 72, grayscale=True).to_pil().rotate(1.0, fillcolor=255)
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(300, 300))
    return buf.getvalue()


def test_a_scanned_page_as_an_image_file(scans, tmp_path):
    text_pdf, _ = scans[CORPUS[4].name]
    png = tmp_path / "page1.png"
    png.write_bytes(_one_page_png(text_pdf))
    raw = read(png)
    assert raw.format == "image" and raw.meta["reading"]["ocr"]["pages"][0]["page"] == 1
    rec = extract_file(png)
    assert rec.header.type == "KH" and rec.citations  # the first page: header and its bases


def test_only_the_scanned_pages_of_a_mixed_pdf_are_ocrd(scans, tmp_path):
    import pypdfium2 as pdfium

    text_pdf, scanned = scans[CORPUS[3].name]
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(text_pdf.read_bytes()), [0, 1])
    mixed.import_pages(pdfium.PdfDocument(scanned.read_bytes()), [2])
    path = tmp_path / "mixed.pdf"
    mixed.save(str(path))
    raw = read(path)
    assert [p["page"] for p in raw.meta["reading"]["ocr"]["pages"]] == [3]
    assert {b.locator["page"] for b in raw.blocks} == {1, 2, 3}
    always = read(path, ocr="always")
    assert [p["page"] for p in always.meta["reading"]["ocr"]["pages"]] == [1, 2, 3]


def test_ocr_never_and_a_missing_engine_give_clear_errors(scans, monkeypatch, tmp_path):
    _, scanned = scans[CORPUS[3].name]
    with pytest.raises(DocumentError) as e:
        read(scanned, ocr="never")
    assert "needs OCR" in e.value.reason and "--ocr never" in e.value.reason
    png = tmp_path / "p.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    with pytest.raises(DocumentError) as e:
        read(png)
    assert "damaged or unknown image" in e.value.reason
    monkeypatch.setattr(ocr, "engine", lambda: (None, "Tesseract is not installed; install it"))
    with pytest.raises(DocumentError) as e:
        read(scanned)
    assert e.value.reason.startswith("no text layer on 7 of 7 pages: needs OCR, but Tesseract "
                                     "is not installed")
    with pytest.raises(ValueError):
        read(scanned, ocr="sometimes")


def test_ingest_stores_how_a_scan_was_read(scans, tmp_path):
    _, scanned = scans[CORPUS[3].name]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(scanned.read_bytes())
    db = tmp_path / "d.db"
    cli = [sys.executable, "-m", "pipeline"]
    run = subprocess.run(cli + ["ingest", str(folder), "--db", str(db), "--workers", "1"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    import sqlite3

    reading = json.loads(sqlite3.connect(db).execute("select reading from documents").fetchone()[0])
    assert len(reading["ocr"]["pages"]) == 7 and reading["ocr"]["confidence"] > 80
    shown = subprocess.run(cli + ["show", "scan.pdf", "--db", str(db)], capture_output=True,
                           text=True, timeout=60)
    assert "read by: OCR (tesseract" in shown.stdout and "7 page(s)" in shown.stdout
    never = subprocess.run(cli + ["ingest", str(folder), "--db", str(db), "--force",
                                  "--ocr", "never"], capture_output=True, text=True, timeout=120)
    assert "needs OCR" in never.stderr and never.returncode == 1


def test_an_image_too_small_to_be_a_page_is_not_read(tmp_path):
    from PIL import Image

    icon = tmp_path / "logo.png"
    Image.new("L", (320, 240), 255).save(icon)
    with pytest.raises(DocumentError) as e:
        read(icon)
    assert e.value.reason == ("an image of 320×240 px is too small to be a scanned page (a logo "
                              "or an icon?)")


def test_engine_without_the_vietnamese_model_is_named(tmp_path, monkeypatch):
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\nif [ \"$1\" = --list-langs ]; then printf 'List of available "
                    "languages (2):\\neng\\nosd\\n'; else echo 'tesseract 5.3.0'; fi\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    version, why = ocr.engine.__wrapped__()
    assert version is None and "no Vietnamese model ('vie')" in why
    assert "tesseract-ocr-vie" in why
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert "Tesseract is not installed" in ocr.engine.__wrapped__()[1]


def test_a_blank_scan_and_a_page_over_its_time_limit_are_clear_errors(scans, tmp_path,
                                                                       monkeypatch):
    from PIL import Image

    blank = tmp_path / "blank.png"
    Image.new("L", (2480, 3508), 255).save(blank, dpi=(300, 300))
    with pytest.raises(DocumentError) as e:
        read(blank)
    assert "OCR found no text in the image" in e.value.reason
    image = Image.new("L", (2480, 3508), 255)
    with pytest.raises(TimeoutError):
        ocr.read_page(image, timeout=0.001)

    def too_slow(image, *a, **kw):
        raise TimeoutError("OCR of one page took over 120 s")
    monkeypatch.setattr(ocr, "read_page", too_slow)
    with pytest.raises(DocumentError) as e:
        read(scans[CORPUS[3].name][1])
    assert e.value.reason == "OCR: OCR of one page took over 120 s"
