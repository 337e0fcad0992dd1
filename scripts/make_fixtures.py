"""Build the reader test fixtures under tests/fixtures/ from the sample corpus (004 and 000).

The fixtures are committed, so tests need only the pipeline's own dependencies. Re-run this
script when the fixtures must change:

    pip install -e ".[bench]"      # generator-only dependencies (reportlab, pypdf)
    python3 scripts/make_fixtures.py

It writes:
  plan.docx           a Word plan laid out as real ones are: the two-column header table, bold type
                      line and title, heading-styled and bold sections, two real footnotes, the
                      "Nơi nhận" / signer table
  plan.pdf            the same content typeset with a Vietnamese TTF font (DejaVu Serif): header
                      in two columns, justified hard-wrapped lines with first-line indents, bold
                      headings, footnotes at the page bottom, page numbers at the top of pages 2+,
                      a document number broken across two lines after its '-' or '/'
  encrypted.pdf       a one-page PDF that needs a password
  image_only.pdf      a page with only drawings and an image: no text layer
  stamped_scan.pdf    three scanned pages whose only text is a Gazette running head
  no_pages.pdf        a syntactically valid PDF with zero pages
  truncated.pdf       the first 12 000 bytes of plan.pdf
  truncated.docx      the first half of plan.docx's bytes
  garbage.pdf         an HTML error page saved under a .pdf name
  empty.txt           zero bytes
"""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
OUT = ROOT / "tests" / "fixtures"
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF"),
             Path("/usr/share/fonts/dejavu")]

# --------------------------------------------------------------------------- content


def _corpus(prefix: str) -> list[str]:
    path = next(CORPUS.glob(f"{prefix}_*.txt"))
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def _find(lines: list[str], start: str) -> str:
    """The one corpus paragraph that begins with `start` (fails loudly if the corpus changed)."""
    hits = [ln for ln in lines if ln.startswith(start)]
    if len(hits) != 1:
        raise SystemExit(f"corpus changed: {len(hits)} paragraphs start with {start!r}")
    return hits[0]


def _sentences(text: str, n: int) -> str:
    """The first n sentences (a sentence ends at '. ' before a capital letter)."""
    parts = re.split(r"(?<=\.)\s+(?=[A-ZÀ-ỸĐ])", text)
    return " ".join(parts[:n])


def _unmark(text: str) -> str:
    """Markdown emphasis out of a 000 paragraph (it was exported from Word)."""
    return re.sub(r"\*{1,3}", "", text)


def build_content() -> dict:
    """The document as data: header cells, paragraphs (runs with styles), footnotes, signer."""
    k4 = _corpus("004")
    k0 = _corpus("000")
    fn1 = re.sub(r"^<sup>1</sup>\s*", "", _find(k0, "<sup>1</sup>"))
    fn2 = re.sub(r"^<sup>2</sup>\s*", "", _find(k0, "<sup>2</sup>"))

    ref_para = _sentences(_find(k4, "Tiếp tục triển khai thực hiện có hiệu quả Chương trình giáo "
                                    "dục phổ thông 2018 gắn"), 2)
    anchor = "Chương trình giáo dục phổ thông 2018"
    head, tail = ref_para.split(anchor, 1)
    p000 = _unmark(_find(k0, "Tiếp tục ưu tiên ngân sách địa phương"))
    before2, after2 = p000.split("<sup>2</sup>", 1)

    def para(text, style=""):
        return {"runs": [(text, style)], "kind": "body"}

    paras = [
        {"runs": [("KẾ HOẠCH", "b")], "kind": "type"},
        {"runs": [(_find(k4, "Triển khai, thực hiện Kế hoạch số 224"), "b")], "kind": "title"},
        para(_find(k4, "Căn cứ Kế hoạch số 224-KH/ThU")),
        para(_find(k4, "Căn cứ Kế hoạch số 740/KH-BCSD")),
        para(_find(k4, "Ủy ban nhân dân thành phố ban hành kế hoạch")),
        {"runs": [(_find(k4, "I. MỤC ĐÍCH, YÊU CẦU"), "b")], "kind": "heading", "level": 1},
        para(_find(k4, "1. Quán triệt, tuyên truyền")),
        para(_find(k4, "2. Các cơ quan, đơn vị, nhất là")),
        {"runs": [(_find(k4, "II- NHIỆM VỤ, GIẢI PHÁP"), "b")], "kind": "heading", "level": 1},
        {"runs": [(_find(k4, "1. Nhiệm vụ, giải pháp chung"), "b")], "kind": "bold"},
        {"runs": [(_find(k4, "1.1. Tăng cường sự lãnh đạo"), "b")], "kind": "bold"},
        para(_sentences(_find(k4, "Tổ chức nghiên cứu, học tập, quán triệt"), 3)),
        {"runs": [(_find(k4, "1.4. Đổi mới, nâng cao chất lượng"), "b")], "kind": "bold"},
        {"runs": [(head + anchor, ""), ("1", "fn"), (tail, "")], "kind": "body"},
        {"runs": [(before2, ""), ("2", "fn"), (after2, "")], "kind": "body"},
        {"runs": [(_find(k4, "III- TỔ CHỨC THỰC HIỆN"), "b")], "kind": "heading", "level": 1},
        para(_find(k4, "1. Ủy ban nhân dân thành phố chỉ đạo")),
        para(_find(k4, "2. Giao phòng Giáo dục và Đào tạo chủ trì")),
        para(_find(k4, "Ủy ban nhân dân thành phố yêu cầu Thủ trưởng")),
    ]
    start = k4.index("Nơi nhận:")
    recipients = [ln for ln in k4[start + 1:] if ln.startswith("- ")]
    signer = [ln for ln in k4[start + 1:] if not ln.startswith("- ")]
    return {
        "header_left": [("ỦY BAN NHÂN DÂN", ""), ("THÀNH PHỐ LAI CHÂU", "b")],
        "header_right": [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b"),
                         ("Độc lập - Tự do - Hạnh phúc", "b")],
        "number": "Số:      /KH-UBND",
        "place_date": "Thành phố Lai Châu, ngày 10 tháng 01 năm 2025",
        "paras": paras,
        "footnotes": {"1": fn1, "2": fn2},
        "recipients": recipients,
        "signer_roles": signer[:-1],
        "signer_name": signer[-1],
    }


# --------------------------------------------------------------------------- DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _footnotes_xml(notes: dict[str, str]) -> bytes:
    """word/footnotes.xml by hand: python-docx has no footnote API."""
    items = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        '</w:r></w:p></w:footnote>',
    ]
    for nid, text in notes.items():
        items.append(
            f'<w:footnote w:id="{nid}"><w:p><w:pPr><w:jc w:val="both"/></w:pPr>'
            '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:t xml:space="preserve"> {_xml_escape(text)}'
            '</w:t></w:r></w:p></w:footnote>')
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<w:footnotes xmlns:w="{W_NS}">{"".join(items)}</w:footnotes>')
    return xml.encode("utf-8")


def make_docx(content: dict) -> bytes:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.shared import Cm, Pt, RGBColor

    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    h1 = doc.styles["Heading 1"]
    h1.font.name = "Times New Roman"
    h1.font.size = Pt(13)
    h1.font.color.rgb = RGBColor(0, 0, 0)
    sec = doc.sections[0]
    sec.left_margin, sec.right_margin = Cm(3), Cm(2)
    sec.top_margin, sec.bottom_margin = Cm(2), Cm(2)

    def cell_para(cell, text, style, first=False, italic=False):
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(text)
        r.bold = "b" in style
        r.italic = italic
        return p

    header = doc.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, (text, style) in enumerate(content["header_left"]):
        cell_para(header.cell(0, 0), text, style, first=i == 0)
    for i, (text, style) in enumerate(content["header_right"]):
        cell_para(header.cell(0, 1), text, style, first=i == 0)
    cell_para(header.cell(1, 0), content["number"], "", first=True)
    cell_para(header.cell(1, 1), content["place_date"], "", first=True, italic=True)

    for item in content["paras"]:
        if item["kind"] == "heading":
            p = doc.add_paragraph(style="Heading 1")
        else:
            p = doc.add_paragraph()
        if item["kind"] in ("type", "title"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Cm(1)
        for text, style in item["runs"]:
            if style == "fn":
                r = parse_xml(
                    f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                    f'<w:footnoteReference w:id="{text}"/></w:r>')
                p._p.append(r)
            else:
                run = p.add_run(text)
                if "b" in style:
                    run.bold = True

    sign = doc.add_table(rows=1, cols=2)
    left, right = sign.cell(0, 0), sign.cell(0, 1)
    p = left.paragraphs[0]
    r = p.add_run("Nơi nhận:")
    r.bold, r.italic = True, True
    for rec in content["recipients"]:
        q = left.add_paragraph()
        rr = q.add_run(rec)
        rr.font.size = Pt(11)
    for i, role in enumerate(content["signer_roles"]):
        cell_para(right, role, "b", first=i == 0)
    for _ in range(3):
        right.add_paragraph()
    cell_para(right, content["signer_name"], "b")

    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
                _footnotes_xml(content["footnotes"]), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    buf = io.BytesIO()
    doc.save(buf)
    return _stable_zip(buf.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same zip with fixed timestamps, so re-running the script changes nothing."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 10, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- PDF

PAGE_W, PAGE_H = 595.28, 841.89          # A4 in points
LEFT, RIGHT, TOP, BOTTOM = 85.0, 57.0, 57.0, 57.0
TEXT_W = PAGE_W - LEFT - RIGHT
BODY, LEAD = 12.5, 17.0
FN_SIZE, FN_LEAD = 9.5, 12.0
SUP_SIZE, SUP_RISE = 7.0, 4.5
INDENT = 28.35                           # 1 cm first-line indent


def _fonts() -> dict[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = {"": "DejaVuSerif", "b": "DejaVuSerif-Bold"}  # two faces keep the fixture small
    for name in names.values():
        path = next((d / f"{name}.ttf" for d in FONT_DIRS if (d / f"{name}.ttf").exists()), None)
        if path is None:
            raise SystemExit(f"{name}.ttf not found: apt-get install fonts-dejavu-core "
                             "(or fonts-dejavu-extra for the Serif faces)")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return names


def _words(runs, fonts, size):
    """Runs → words; a word is a list of (text, font, size, rise) pieces. A footnote reference
    sticks to the word before it, as in Word."""
    words: list[list[tuple]] = []
    glue = False
    for text, style in runs:
        if style == "fn":
            piece = (text, fonts[""], SUP_SIZE, SUP_RISE)
            if words:
                words[-1].append(piece)
            else:
                words.append([piece])
            glue = True
            continue
        font = fonts[style]
        parts = text.split(" ")
        for i, part in enumerate(parts):
            if not part:
                glue = False
                continue
            if i == 0 and glue and words and not text.startswith(" "):
                words[-1].append((part, font, size, 0.0))
            else:
                words.append([(part, font, size, 0.0)])
            glue = False
    return words


def _width(word) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    return sum(stringWidth(t, f, s) for t, f, s, _ in word)


def _split_word(word, room: float):
    """Break a document number after a '-' or '/' (as Word and LibreOffice do) so that its head
    fits in `room`: "2236/QĐ-" | "BGDĐT". Only single-piece words that contain a digit."""
    if len(word) != 1 or not re.search(r"\d", word[0][0]):
        return None
    text, font, size, rise = word[0]
    cuts = [m.end() for m in re.finditer(r"[-/](?=\w)", text)]
    for cut in reversed(cuts):
        head = [(text[:cut], font, size, rise)]
        if _width(head) <= room:
            return head, [(text[cut:], font, size, rise)]
    return None


def _wrap(words, width: float, first_indent: float, space: float):
    """Greedy line breaking; returns lines as (indent, [words], is_last)."""
    lines = []
    cur: list = []
    used = 0.0
    indent = first_indent
    queue = list(words)
    while queue:
        w = queue.pop(0)
        ww = _width(w)
        need = ww if not cur else used + space + ww
        if need <= width - indent:
            cur.append(w)
            used = need
            continue
        room = width - indent - (used + space if cur else 0)
        split = _split_word(w, room)
        if split:
            cur.append(split[0])
            queue.insert(0, split[1])
        else:
            queue.insert(0, w)
        lines.append((indent, cur))
        cur, used, indent = [], 0.0, 0.0
    if cur:
        lines.append((indent, cur))
    return [(ind, ws, i == len(lines) - 1) for i, (ind, ws) in enumerate(lines)]


class _Typesetter:
    """Just enough of a page layout: body lines, footnotes kept on the page that cites them."""

    def __init__(self, canvas, fonts):
        self.c = canvas
        self.fonts = fonts
        self.page = 1
        self.y = PAGE_H - TOP
        self.notes_here: list[str] = []
        self.footnotes: dict[str, str] = {}

    def _notes_height(self, notes) -> float:
        if not notes:
            return 0.0
        h = 8.0
        for n in notes:
            lines = _wrap(_words([(self.footnotes[n], "")], self.fonts, FN_SIZE), TEXT_W,
                          INDENT * 0.6, 2.6)
            h += len(lines) * FN_LEAD
        return h

    def _draw_words(self, x, y, words, gap):
        """Words at their positions, each followed by a real space glyph (as word processors
        write them), the rest of a justified gap being plain positioning."""
        for i, w in enumerate(words):
            for text, font, size, rise in w:
                self.c.setFont(font, size)
                self.c.drawString(x, y + rise, text)
                x += _width([(text, font, size, rise)])
            if i < len(words) - 1:
                _, font, size, _ = w[-1]
                self.c.setFont(font, size)
                self.c.drawString(x, y, " ")
            x += gap

    def _draw_notes(self):
        """The page's footnotes under a short rule at the bottom of the text area."""
        if not self.notes_here:
            return
        y = BOTTOM + self._notes_height(self.notes_here) - 4.0
        self.c.setLineWidth(0.5)
        self.c.line(LEFT, y, LEFT + TEXT_W / 3, y)
        y -= FN_LEAD
        for n in self.notes_here:
            words = _words([(n, "fn"), (self.footnotes[n], "")], self.fonts, FN_SIZE)
            for ind, ws, last in _wrap(words, TEXT_W, INDENT * 0.6, 2.6):
                self._line(ws, LEFT + ind, y, TEXT_W - ind, last, 2.6)
                y -= FN_LEAD

    def _finish_page(self):
        self._draw_notes()
        self.c.showPage()
        self.page += 1
        self.y = PAGE_H - TOP
        self.notes_here = []
        # page number at the top centre of pages after the first, as Vietnamese documents do
        self.c.setFont(self.fonts[""], BODY)
        self.c.drawCentredString(PAGE_W / 2, PAGE_H - TOP + 14, str(self.page))
        self.y -= 14

    def _line(self, words, x, y, width, last, space, align="justify"):
        natural = sum(_width(w) for w in words) + space * (len(words) - 1)
        if align == "center":
            self._draw_words(x + (width - natural) / 2, y, words, space)
        elif last or len(words) < 2:
            self._draw_words(x, y, words, space)
        else:
            gap = space + (width - natural) / (len(words) - 1)
            self._draw_words(x, y, words, gap)

    def paragraph(self, runs, bold=False, align="justify", before=6.0, indent=INDENT):
        words = _words(runs, self.fonts, BODY)
        space = _width([(" ", self.fonts["b" if bold else ""], BODY, 0)])
        self.y -= before
        for ind, ws, last in _wrap(words, TEXT_W, indent if align != "center" else 0, space):
            refs = [t for w in ws for t, _, _, rise in w if rise > 0]
            new = [n for n in refs if n not in self.notes_here]
            if self.y - LEAD < BOTTOM + self._notes_height(self.notes_here + new):
                self._finish_page()
            self.notes_here += [n for n in refs if n not in self.notes_here]
            self.y -= LEAD
            self._line(ws, LEFT + ind, self.y, TEXT_W - ind, last, space, align)

    def columns(self, left_lines, right_lines, split=0.38, size=BODY, lead=LEAD):
        """Two centred columns on shared baselines: the official header and the signer block."""
        lw = TEXT_W * split
        rw = TEXT_W - lw
        for i in range(max(len(left_lines), len(right_lines))):
            self.y -= lead
            for lines, x0, w in ((left_lines, LEFT - 20, lw), (right_lines, LEFT + lw, rw)):
                if i < len(lines) and lines[i]:
                    text, style, sz, center = lines[i]
                    font = self.fonts[style]
                    self.c.setFont(font, sz)
                    if center:
                        self.c.drawCentredString(x0 + w / 2, self.y, text)
                    else:
                        self.c.drawString(x0 + 20, self.y, text)

    def close(self):
        self._draw_notes()
        self.c.showPage()
        self.c.save()


def make_pdf(content: dict) -> bytes:
    from reportlab import rl_config
    from reportlab.pdfgen.canvas import Canvas

    rl_config.useA85 = 0  # binary streams: a smaller fixture

    fonts = _fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle("Kế hoạch (fixture)")
    t = _Typesetter(c, fonts)
    t.footnotes = content["footnotes"]
    left = [(text, style, BODY, True) for text, style in content["header_left"]]
    right = [(text, style, BODY, True) for text, style in content["header_right"]]
    left.append((content["number"], "", BODY, True))
    right.append((content["place_date"], "", BODY, True))
    t.columns(left, right)
    t.y -= 12
    for item in content["paras"]:
        bold = any("b" in s for _, s in item["runs"])
        if item["kind"] in ("type", "title"):
            t.paragraph(item["runs"], bold=bold, align="center", before=8)
        else:
            t.paragraph(item["runs"], bold=bold)
    t.y -= 10
    rec = [("Nơi nhận:", "b", 11.5, False)] + [(r, "", 10.5, False) for r in content["recipients"]]
    sig = [(s, "b", BODY, True) for s in content["signer_roles"]]
    sig += [None] * (len(rec) - len(sig) + 2)
    sig.append((content["signer_name"], "b", BODY, True))
    if t.y - LEAD * len(sig) < BOTTOM:
        t._finish_page()
    t.columns(rec, sig, split=0.5, lead=15.0)
    t.close()
    return buf.getvalue()


def make_small_pdf(text: str, encrypt_with: str | None = None) -> bytes:
    """A one-page PDF with a standard font (no embedding keeps it tiny)."""
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
    c.setFont("Helvetica", 12)
    c.drawString(LEFT, PAGE_H - TOP - 20, text)
    c.showPage()
    c.save()
    data = buf.getvalue()
    if encrypt_with is None:
        return data
    import hashlib

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    # pypdf draws a random file ID (the RC4 key depends on it); a fixed one keeps re-runs identical
    fid = ByteStringObject(hashlib.md5(data).digest())
    writer._ID = ArrayObject((fid, fid))
    writer.generate_file_identifiers = lambda: None
    # RC4-128: pdfminer opens it without optional crypto libraries, so the reader can tell
    # "needs a password" from "damaged"
    writer.encrypt(user_password=encrypt_with, owner_password=encrypt_with + "-owner",
                   algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_image_only_pdf() -> bytes:
    """What a scanner gives: a page of shapes and no text objects."""
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
    c.setFillGray(0.85)
    c.rect(LEFT, 400, TEXT_W, 300, fill=1, stroke=0)
    c.setFillGray(0.2)
    for i in range(12):  # grey bars where a scan would show lines of print
        c.rect(LEFT + 20, 680 - i * 22, TEXT_W - 40 - (i % 3) * 60, 9, fill=1, stroke=0)
    c.showPage()
    c.save()
    return buf.getvalue()


def make_stamped_scan_pdf() -> bytes:
    """A Gazette scan: pages of shapes, each with only the Gazette's running head as text (the
    signature stamp a portal adds): a text layer of a few words per page that is no document."""
    from reportlab.pdfgen.canvas import Canvas

    fonts = _fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
    for page in range(3):
        c.setFont(fonts[""], 9)
        c.drawString(LEFT, PAGE_H - 40, f"CÔNG BÁO/Số 244/Ngày 23-04-2026 {106 + page}")
        c.setFillGray(0.2)
        for i in range(20):
            c.rect(LEFT + 20, 700 - i * 22, TEXT_W - 40 - (i % 3) * 60, 9, fill=1, stroke=0)
        c.setFillGray(0)
        c.showPage()
    c.save()
    return buf.getvalue()


def make_no_pages_pdf() -> bytes:
    from pypdf import PdfWriter

    out = io.BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


def main() -> int:
    content = build_content()
    OUT.mkdir(parents=True, exist_ok=True)
    docx_bytes = make_docx(content)
    pdf_bytes = make_pdf(content)
    files = {
        "plan.docx": docx_bytes,
        "plan.pdf": pdf_bytes,
        "encrypted.pdf": make_small_pdf("Confidential plan: password protected",
                                        encrypt_with="secret"),
        "image_only.pdf": make_image_only_pdf(),
        "stamped_scan.pdf": make_stamped_scan_pdf(),
        "no_pages.pdf": make_no_pages_pdf(),
        "truncated.pdf": pdf_bytes[:12_000],  # cut off inside the embedded font
        "truncated.docx": docx_bytes[: len(docx_bytes) // 2],
        "garbage.pdf": b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
                       b"<body><h1>Not Found</h1></body></html>\n",
        "empty.txt": b"",
    }
    total = 0
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        total += len(data)
        print(f"{name:16} {len(data):7d} bytes")
    print(f"{'total':16} {total:7d} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
