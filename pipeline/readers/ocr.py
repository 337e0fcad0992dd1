"""OCR of scanned pages (image-only PDF pages, TIFF/PNG/JPEG scans) with Tesseract's Vietnamese model.

Pages are rendered at 300 dpi with pdfium (pypdfium2), straightened (the skew angle that makes
the rows of ink sharpest) and binarised (Otsu's threshold), then read by Tesseract
(`tesseract-ocr-vie`, through pytesseract) word by word with positions and confidences. The
words are laid out as `pdf.py` lays out a text layer's characters: rows by vertical overlap (the
header table's two columns side by side, as on paper), cells where a column gap opens, so an OCR'd
page goes through the same blocks, paragraph repair and extraction as any PDF page.

What OCR typically breaks in this domain is repaired before extraction (`repair_line`): `Ð`
(Icelandic eth) for `Đ`, `O`/`o` for `0` and `l`/`I`/`|` for `1` inside document numbers and dates,
spaces inside symbols ('123 /KH - UBND'). Each page's mean word confidence is kept (the document's
`reading.ocr`), so a poor scan can be found and re-scanned.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
from functools import lru_cache
from statistics import median
from typing import Callable, Optional

from ..model import DocumentError

DPI = 300
LANG = "vie"
PAGE_TIMEOUT = float(os.environ.get("DIRECTIVES_OCR_PAGE_TIMEOUT", "120"))  # seconds, one page
INSTALL_HINT = "install Tesseract and its Vietnamese model (Debian: tesseract-ocr tesseract-ocr-vie)"

PageCallback = Optional[Callable[[int, int], None]]  # (page done, pages in all)


@lru_cache(maxsize=1)
def engine() -> tuple[Optional[str], Optional[str]]:
    """(Tesseract version, None) when OCR can run here, else (None, why not)."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None, f"Tesseract is not installed; {INSTALL_HINT}"
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
        ver = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as e:
        return None, f"Tesseract does not run ({e}); {INSTALL_HINT}"
    if LANG not in out.stdout.split():
        return None, f"Tesseract has no Vietnamese model ('{LANG}'); {INSTALL_HINT}"
    first = (ver.stdout or ver.stderr).splitlines()[:1]
    return (first[0].strip() if first else "tesseract"), None


def require(path: str, what: str) -> str:
    """The engine's version, or a DocumentError saying why `what` cannot be OCR'd here."""
    version, why = engine()
    if version is None:
        raise DocumentError(path, f"{what}: needs OCR, but {why}")
    return version


# ------------------------------------------------------------------ images

def render_pdf_pages(data: bytes, pages: list[int], dpi: int = DPI):
    """(page number, grayscale PIL image) of the given 1-based pages."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for p in pages:
            page = pdf[p - 1]
            try:
                yield p, page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            finally:
                page.close()
    finally:
        pdf.close()


def image_frames(path: str, data: bytes):
    """(frame number, grayscale image, dpi) of an image file (every page of a multi-page TIFF)."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except (UnidentifiedImageError, OSError, ValueError) as e:
        raise DocumentError(path, f"damaged or unknown image ({str(e)[:80]})") from None
    for n, frame in enumerate(ImageSequence.Iterator(img), start=1):
        dpi = frame.info.get("dpi", (0, 0))[0] or 0
        yield n, frame.convert("L"), int(dpi) if dpi else None


def _otsu(gray) -> int:
    import numpy as np

    hist = np.bincount(np.asarray(gray, dtype=np.uint8).ravel(), minlength=256).astype(float)
    total = hist.sum()
    omega = np.cumsum(hist) / total
    mu = np.cumsum(hist * np.arange(256)) / total
    between = (mu[-1] * omega - mu) ** 2 / np.maximum(omega * (1 - omega), 1e-12)
    return int(np.argmax(between))


def _skew(binary) -> float:
    """The angle (degrees) that straightens the rows of text: the rotation under which the
    row sums of ink vary most (text lines sharp, gaps between them empty)."""
    import numpy as np

    small = binary.copy()
    small.thumbnail((900, 900))
    ink = small.point(lambda v: 255 if v < 128 else 0)

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, fillcolor=0), dtype=np.float32).sum(axis=1)
        return float(np.var(np.diff(rows)))

    best = max((a / 2 for a in range(-10, 11)), key=sharpness)            # ±5° by 0.5°
    return max((best + a / 10 for a in range(-4, 5)), key=sharpness)       # then by 0.1°


def prepare(gray):
    """Cleaned, straightened, binarised page for Tesseract, and the angle it was turned by. The
    3×3 median filter removes a scanner's speckle, which Tesseract reads as stray marks (on the
    corpus scanned with speckle: citation F1 0.67-0.75 → 0.89-0.96)."""
    from PIL import ImageFilter

    gray = gray.filter(ImageFilter.MedianFilter(3))
    threshold = _otsu(gray)
    binary = gray.point(lambda v: 255 if v > threshold else 0)
    angle = _skew(binary)
    if abs(angle) >= 0.2:
        binary = binary.rotate(angle, expand=True, fillcolor=255)
    return binary, angle


# ------------------------------------------------------------------ words → lines

_ETH = str.maketrans({"Ð": "Đ", "ð": "đ", "⁄": "/", "∕": "/"})  # and slashes OCR reads as a
# fraction or division slash
_DOUBLED_SLASH = re.compile(r"(?<=\d)//(?=\d)")
# 'số' before a document number, its tone misread ('SÓ 40/2021/AL', 'sô 117/NN'), and a number's
# digits split by a space ('số 1 17/NN-UBTH')
_SO = re.compile(r"\b([sS])([ôóỏòõọoÔÓỎÒÕỌO])(?=:? ?\d{1,5} ?\d{0,4}[/-])")
_SPLIT_NUMBER = re.compile(r"(?<=\bsố )(\d{1,3}) (\d{1,3})(?=/)", re.I)
# a normative number's slash before the type lost ('42/2015TT-BLĐTBXH'), or the hyphen after it
# ('27/2016/TTBLĐTBXH'): put back where a known type code stands between
_YEAR_THEN_TYPE = re.compile(r"(?<=\d/(?:19|20)\d\d)(?=[A-ZĐ]{2,6}-[A-ZĐ])")
_TYPE_GLUED = re.compile(r"(?<=\d/(?:19|20)\d\d/)([A-ZĐ]{2,4})([A-ZĐ]{2,}[a-z]?)\b")
# a document number's digits ('l23/QĐ-UBND', '2O24/NĐ-CP'): letters OCR reads for digits
_NUMBER_BEFORE_SYMBOL = re.compile(r"(?<![\w/])([0-9OolI|]{1,5})(?=\s?/\s?(?:[0-9OolI|]{4}\s?/\s?)?[A-ZĐ])")
_YEAR_IN_NUMBER = re.compile(r"(?<=/)([0-9OolI|]{4})(?=\s?/\s?[A-ZĐ])")
_DATE_PART = re.compile(r"(?<=\bngày )([0-9OolI|]{1,2})(?= tháng )|(?<= tháng )([0-9OolI|]{1,2})"
                        r"(?= năm )|(?<= năm )([0-9OolI|]{4})\b")
_DIGIT_OF = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
# spaces OCR puts inside a symbol: '123 /KH - UBND', '01/2024/ TT-BGDĐT'
_SYMBOL_SPACES = re.compile(r"\d{1,5} ?/ ?(?:\d{4} ?/ ?)?[A-ZĐ]{1,10}(?: ?- ?[A-ZĐ][A-ZĐ0-9]{0,11})?")


# a document number's type code: Party '91-KL/TW' (after the dash), state '12/QĐ-UBND' (after the
# slash, or after the year's slash)
_PARTY_TYPE = re.compile(r"(?<=\d-)([A-ZĐƯIl|01]{1,6})(?=/[A-ZĐ])")
_STATE_TYPE = re.compile(r"(?<=\d/)([A-ZĐƯIl|01]{1,6})(?=-[A-ZĐ])")


@lru_cache(maxsize=1)
def _type_codes() -> tuple[frozenset, dict]:
    from ..resources import load

    types = load("doc_types")
    codes = {k.upper() for k in types["types"]}
    codes |= {k.upper() for k in types["symbol_aliases"] if not k.startswith("_") and "_" not in k}
    return frozenset(codes), load("ocr")["confusions"]


def _type_code(m: re.Match) -> str:
    """'KIL' → 'KL', 'KƯ' → 'KL', 'QĐĐ' → 'QĐ': the one known type one OCR slip away, else as is."""
    code = m.group(0)
    codes, confusions = _type_codes()
    if code.upper() in codes:
        return code
    near = set()
    for i, c in enumerate(code):
        near.add(code[:i] + code[i + 1:])
        for sub in confusions.get(c, ()):
            near.add(code[:i] + sub + code[i + 1:])
    found = {n for n in near if n.upper() in codes}
    return found.pop() if len(found) == 1 else code


def _unglue(m: re.Match) -> str:
    """'TTBLĐTBXH' → 'TT-BLĐTBXH' when the letters open with a known type code and are not
    themselves one (the longest code first: 'TTLT' before 'TT')."""
    whole = m.group(0)
    codes, _ = _type_codes()
    if whole.upper() in codes:
        return whole
    for n in range(min(4, len(whole) - 2), 1, -1):
        if whole[:n].upper() in codes:
            return whole[:n] + "-" + whole[n:]
    return whole


def _digits(m: re.Match) -> str:
    s = m.group(0)
    return s.translate(_DIGIT_OF) if any(c.isdigit() for c in s) else s


def repair_line(text: str) -> str:
    """Undo OCR's usual misreadings inside document numbers and dates (see the module doc)."""
    text = text.translate(_ETH)
    if "/" in text:
        text = _SO.sub(lambda m: m.group(1) + ("Ố" if m.group(2).isupper() else "ố"), text)
        text = _SPLIT_NUMBER.sub(r"\1\2", text)
        text = _DOUBLED_SLASH.sub("/", text)
        text = _YEAR_THEN_TYPE.sub("/", text)
        text = _TYPE_GLUED.sub(_unglue, text)
        text = _NUMBER_BEFORE_SYMBOL.sub(_digits, text)
        text = _YEAR_IN_NUMBER.sub(_digits, text)
        text = _SYMBOL_SPACES.sub(lambda m: m.group(0).replace(" ", ""), text)
        text = _PARTY_TYPE.sub(_type_code, text)
        text = _STATE_TYPE.sub(_type_code, text)
    if "ngày" in text or "tháng" in text:
        text = _DATE_PART.sub(_digits, text)
    return text


def _lines(data: dict, scale: float):
    """Tesseract's words (image_to_data) → pdf.py's lines, in points."""
    from .layout import Line, Word, segments

    groups: dict[tuple, list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word and word.strip() and float(data["conf"][i]) >= 0:
            groups.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]),
                              []).append(i)
    rows: list[list] = []  # [top, bottom, [(x0, x1, text, size, first_of_line)]]
    for idx in groups.values():
        top = min(data["top"][i] for i in idx) * scale
        bottom = max(data["top"][i] + data["height"][i] for i in idx) * scale
        size = median(data["height"][i] for i in idx) * scale * 1.35  # glyph box → type size
        words = [(data["left"][i] * scale, (data["left"][i] + data["width"][i]) * scale,
                  data["text"][i].strip(), size, k == 0) for k, i in enumerate(idx)]
        rows.append([top, bottom, words])
    rows.sort(key=lambda r: (r[0], r[1]))
    merged: list[list] = []
    for r in rows:  # the other column of the same printed row (the header table)
        prev = merged[-1] if merged else None
        if prev is not None:
            overlap = min(prev[1], r[1]) - max(prev[0], r[0])
            if overlap >= 0.5 * min(prev[1] - prev[0], r[1] - r[0]):
                prev[0], prev[1] = min(prev[0], r[0]), max(prev[1], r[1])
                prev[2].extend(r[2])
                continue
        merged.append(r)
    lines = []
    for n, (top, bottom, words) in enumerate(merged, start=1):
        words.sort(key=lambda w: w[0])
        ln = Line(top, bottom, number=n)
        ln.size = median(w[3] for w in words)
        # a gap between two of Tesseract's lines may be a column; inside one, it is a space
        ln.words = [Word(t, x0, x1, size, False, False, spaced_before=not first)
                    for x0, x1, t, size, first in words]
        segments(ln)
        ln.segments = [repair_line(s) for s in ln.segments]
        lines.append(ln)
    return lines


def read_page(image, dpi: int = DPI, timeout: float = PAGE_TIMEOUT) -> tuple[list, dict]:
    """One page image → (pdf.py lines, {"confidence", "angle", "seconds", "words"})."""
    import pytesseract

    t0 = time.perf_counter()
    # Tesseract's OpenMP threads spin against each other and against the other ingest workers:
    # one thread reads a page in 1.6 s here, its default threads took 10 s (user's setting kept)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    prepared, angle = prepare(image)
    try:
        data = pytesseract.image_to_data(prepared, lang=LANG, config="--psm 3",
                                         output_type=pytesseract.Output.DICT, timeout=timeout)
    except RuntimeError as e:  # pytesseract's timeout
        raise TimeoutError(f"OCR of one page took over {timeout:g} s ({e})") from None
    lines = _lines(data, 72 / dpi)
    confs = [(float(c), len(t.strip())) for c, t in zip(data["conf"], data["text"])
             if t and t.strip() and float(c) >= 0]
    chars = sum(n for _, n in confs)
    stats = {"confidence": round(sum(c * n for c, n in confs) / chars, 1) if chars else None,
             "angle": round(angle, 1), "seconds": round(time.perf_counter() - t0, 2),
             "words": len(confs)}
    return lines, stats


def summary(version: str, pages: list[dict]) -> dict:
    """`reading.ocr` of a document: engine, language, resolution, each page's figures and the
    mean confidence (weighted by the pages' words)."""
    words = sum(p["words"] for p in pages)
    conf = (sum((p["confidence"] or 0) * p["words"] for p in pages) / words) if words else None
    return {"engine": version, "lang": LANG, "dpi": DPI,
            "confidence": round(conf, 1) if conf is not None else None, "pages": pages}
