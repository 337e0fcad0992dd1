"""Scanned renderings of documents for the OCR tests: a text PDF printed to pixels as an office
scanner would give it back (200 dpi, a page a little skewed, speckle, JPEG), with no text layer."""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx_files: list[Path], outdir: Path) -> list[Path]:
    """DOCX → PDF with LibreOffice (one process for all the files)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(outdir)]
                       + [str(f) for f in docx_files],
                       check=True, capture_output=True, timeout=300)
    return [outdir / (f.stem + ".pdf") for f in docx_files]


def scan(pdf: bytes, dpi: int = 200, angles=(1.2, -0.8, 0.5), speckle: float = 0.004,
         seed: int = 7, quality: int = 70) -> bytes:
    """An image-only PDF of `pdf`'s pages: rendered in gray at `dpi`, each page turned by the
    next of `angles` degrees, salt-and-pepper `speckle` (share of pixels), JPEG at `quality`."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    rng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(pdf)
    pages = []
    for i in range(len(doc)):
        img = doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        img = img.rotate(angles[i % len(angles)], resample=Image.BILINEAR, fillcolor=255)
        a = np.asarray(img).copy()
        mask = rng.random(a.shape)
        a[mask < speckle / 2] = 0
        a[mask > 1 - speckle / 2] = 255
        buf = io.BytesIO()
        Image.fromarray(a).save(buf, format="JPEG", quality=quality)
        pages.append(Image.open(io.BytesIO(buf.getvalue())))
    doc.close()
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return out.getvalue()
