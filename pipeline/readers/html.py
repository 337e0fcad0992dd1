"""Saved web pages (.html, .htm): the document inside the page, and the portal's metadata box.

A portal page is mostly the site: scripts, menus, breadcrumbs, related documents, footers. The
document is found with trafilatura's main-content extraction (a maintained library that scores the
DOM; chosen over a hand-written walk, and over readability-lxml, because it keeps tables, headings
and emphasis and returns Markdown), then read as Markdown by the text reader, so headings, bold,
tables (one row a block) and footnotes arrive as blocks like any other format's. Locators are the
line numbers of that Markdown rendering, not of the HTML source.

The metadata box ("Số hiệu", "Ngày ban hành", "Tình trạng", …) sits outside the main content: it is
read from the page's visible text nodes (selectolax) by pipeline/portal.py and kept in
`meta["portal"]`. A page whose text is not Vietnamese (a portal's English translation) is refused
with a clear error: it would yield no Vietnamese citations or deadlines that could be trusted.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..model import DocumentError, RawDocument
from ..portal import metadata_box
from .text import parse_lines

_MIN_WORDS = 12  # fewer words than the national motto and a number line: no document
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_-]{2,30})""", re.I)
# letters only Vietnamese uses (tone and vowel marks beyond Latin-1, and đ)
_VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


def _decode(data: bytes, path: str) -> str:
    m = _CHARSET.search(data[:4096])
    enc = m.group(1).decode("ascii", "replace").lower() if m else "utf-8"
    try:
        return data.decode(enc)
    except (LookupError, UnicodeDecodeError):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise DocumentError(path, f"cannot decode the page (declared charset {enc!r} does not "
                                      "fit its bytes)") from None


def _visible_lines(html: str) -> list[str]:
    """The page's visible text, one text node a line (scripts, styles and SVG dropped)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    tree.strip_tags(["script", "style", "noscript", "svg", "template", "head"])
    root = tree.body or tree.root
    if root is None:
        return []
    return [ln for ln in root.text(separator="\n").splitlines() if ln.strip()]


def read_html(path: str | Path, data: bytes | None = None) -> RawDocument:
    import trafilatura

    path = str(path)
    if data is None:
        data = Path(path).read_bytes()
    html = _decode(data, path)
    if "<" not in html[:4096]:
        raise DocumentError(path, "not an HTML page (no markup)")
    markdown = trafilatura.extract(html, output_format="markdown", include_tables=True,
                                   include_formatting=True, include_comments=False,
                                   include_images=False, include_links=False, favor_recall=True)
    if not markdown or len(markdown.split()) < _MIN_WORDS:
        raise DocumentError(path, "no document text found in the page (its main content is empty "
                                  "or a few words of the site)")
    letters = sum(ch.isalpha() for ch in markdown[:20_000])
    vietnamese = len(_VIETNAMESE.findall(markdown[:20_000]))
    if letters > 80 and vietnamese < letters * 0.01:
        raise DocumentError(path, "not a Vietnamese document (an English or other translation?): "
                                  "nothing extracted")
    blocks = parse_lines(markdown, markdown=True, wrapped=False)
    meta = {"hard_wrapped": False}
    box = metadata_box(_visible_lines(html))
    if box:
        meta["portal"] = box
    return RawDocument(path=path, format="html", blocks=blocks, meta=meta)
