"""Scanned page images (TIFF, also multi-page; PNG; JPEG) → blocks, through OCR (ocr.py).

Each page is OCR'd and laid out as a PDF page's text layer would be, then goes through the PDF
reader's blocks (rows, table cells, page furniture), so a scan sent as pictures reads as the same
scan sent as a PDF.
"""
from __future__ import annotations

from ..model import DocumentError, RawDocument
from . import ocr as ocr_engine
from .pdf import _blocks

# the longer side of the smallest scanned page taken: an A4 page scanned at 100 dpi is 1169 px;
# a saved web page's logos, icons and photos are smaller and are not documents
MIN_PAGE_PX = 1000


def read_image(path: str, data: bytes, ocr: str = "auto", on_page=None) -> RawDocument:
    if ocr == "never":
        raise DocumentError(path, "an image (a scan): needs OCR, and OCR is off (--ocr never)")
    version = ocr_engine.require(path, "an image (a scan)")
    page_lines, stats = [], []
    try:
        for n, image, dpi in ocr_engine.image_frames(path, data):
            if max(image.size) < MIN_PAGE_PX:
                raise DocumentError(path, f"an image of {image.width}×{image.height} px is too "
                                          "small to be a scanned page (a logo or an icon?)")
            if dpi and dpi < 250:  # Tesseract reads small type best near 300 dpi
                factor = ocr_engine.DPI / dpi
                image = image.resize((round(image.width * factor), round(image.height * factor)))
                dpi = ocr_engine.DPI
            lines, page_stats = ocr_engine.read_page(image, dpi=dpi or ocr_engine.DPI)
            page_lines.append(lines)
            stats.append({"page": n, **page_stats})
            if on_page is not None:
                on_page(n, 0)
    except TimeoutError as e:
        raise DocumentError(path, f"OCR: {e}") from None
    if not any(page_lines):
        raise DocumentError(path, "OCR found no text in the image (a blank or unreadable scan)")
    blocks = _blocks([[] for _ in page_lines], page_lines)
    meta = {"hard_wrapped": True, "pages": len(page_lines),
            "reading": {"ocr": ocr_engine.summary(version, stats)}}
    return RawDocument(path=path, format="image", blocks=blocks, meta=meta)
