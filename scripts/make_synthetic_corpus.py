"""Build a synthetic corpus of plans and decisions for ingest benchmarks.

Each document is laid out as real ones are (issuer and national motto, number and symbol, place
and date, type line, title, "Căn cứ" preamble, numbered sections or articles, tasks with agencies
and deadlines, "Nơi nhận", signer), with body paragraphs taken from real documents and with the
numbers, dates, issuers and places varied. Lengths follow a log-normal fitted to real plans
(median ~12 KB). Most files are text (.txt and Markdown .md); some are DOCX (python-docx) and
some PDF (reportlab, DejaVu Serif), so ingest can be measured per format. Needs the bench
extra: `pip install -e ".[bench]"`.

    python3 scripts/make_synthetic_corpus.py OUT --n 10000 [--docx 0.1 --pdf 0.1]
            [--source /tmp/scale/all] [--jobs 2] [--seed 1]

Layout: OUT/text/NNN/*.txt|*.md, OUT/docx/NNN/*.docx, OUT/pdf/NNN/*.pdf (1 000 files a folder)
and OUT/manifest.json (counts and bytes per format). Deterministic for a given seed and source.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/tmp/scale/all")
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF"),
             Path("/usr/share/fonts/dejavu")]
PER_FOLDER = 1000

PROVINCES = ["An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Điện Biên", "Đồng Nai",
             "Đồng Tháp", "Gia Lai", "Hà Tĩnh", "Hưng Yên", "Khánh Hòa", "Lai Châu", "Lâm Đồng",
             "Lạng Sơn", "Lào Cai", "Nghệ An", "Ninh Bình", "Phú Thọ", "Quảng Ngãi",
             "Quảng Ninh", "Quảng Trị", "Sơn La", "Tây Ninh", "Thái Nguyên", "Thanh Hóa",
             "Tuyên Quang", "Vĩnh Long"]
CITIES = ["Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"]
MINISTRIES = [("BỘ TÀI CHÍNH", "BTC"), ("BỘ NỘI VỤ", "BNV"), ("BỘ Y TẾ", "BYT"),
              ("BỘ GIÁO DỤC VÀ ĐÀO TẠO", "BGDĐT"), ("BỘ XÂY DỰNG", "BXD"),
              ("BỘ CÔNG THƯƠNG", "BCT"), ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "BNNMT"),
              ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "BKHCN"), ("BỘ TƯ PHÁP", "BTP")]
TYPES = [("KẾ HOẠCH", "KH", "plan"), ("QUYẾT ĐỊNH", "QĐ", "decision"),
         ("CHỈ THỊ", "CT", "plan"), ("KẾ HOẠCH", "KH", "plan"), ("CÔNG VĂN", "", "letter")]
CITED = [("Luật", "Tổ chức chính quyền địa phương", "số 72/2025/QH15"),
         ("Luật", "Ban hành văn bản quy phạm pháp luật", "số 64/2025/QH15"),
         ("Luật", "Ngân sách nhà nước", "số 83/2015/QH13"),
         ("Luật", "Đầu tư công", "số 58/2024/QH15"),
         ("Nghị định", "", "số {n}/{y}/NĐ-CP"), ("Nghị quyết", "", "số {n}/NQ-CP"),
         ("Quyết định", "", "số {n}/QĐ-TTg"), ("Thông tư", "", "số {n}/{y}/TT-{m}"),
         ("Chỉ thị", "", "số {n}/CT-TTg"), ("Kết luận", "", "số {n}-KL/TW"),
         ("Nghị quyết", "", "số {n}-NQ/TW")]
AGENCIES = ["Sở Tài chính", "Sở Nội vụ", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Xây dựng",
            "Sở Công Thương", "Sở Nông nghiệp và Môi trường", "Sở Khoa học và Công nghệ",
            "Sở Tư pháp", "Sở Văn hóa, Thể thao và Du lịch", "Công an tỉnh",
            "Bộ Chỉ huy Quân sự tỉnh", "Văn phòng Ủy ban nhân dân tỉnh",
            "Ủy ban nhân dân các xã, phường", "Thanh tra tỉnh", "Kho bạc Nhà nước khu vực"]
TOPICS = ["chuyển đổi số", "cải cách hành chính", "phòng, chống thiên tai",
          "phát triển kinh tế tư nhân", "giảm nghèo bền vững", "xây dựng nông thôn mới",
          "bảo vệ môi trường", "phòng, chống tham nhũng, lãng phí", "đổi mới giáo dục và đào tạo",
          "chăm sóc sức khỏe Nhân dân", "an toàn giao thông", "thu hút đầu tư",
          "sắp xếp tổ chức bộ máy", "phát triển khoa học, công nghệ và đổi mới sáng tạo"]
DEADLINE_FORMS = ["hoàn thành trước ngày {d}/{m}/{y}", "xong trước ngày {d} tháng {m} năm {y}",
                  "trong quý {q} năm {y}", "định kỳ hằng năm báo cáo trước ngày {d}/{m}",
                  "chậm nhất ngày {d}/{m}/{y}", "trước ngày {d}/{m}/{y}",
                  "hằng tháng, trước ngày {d}", "6 tháng đầu năm {y}"]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Minh Đức", "Hoàng Thị Hoa",
         "Vũ Đình Khang", "Đặng Quốc Long", "Bùi Thị Mai", "Đỗ Văn Nam", "Ngô Thanh Phong"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]

_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\b")
_NUM = re.compile(r"\b(số\s+)(\d{1,4})\b")
_YEAR = re.compile(r"\b(năm\s+)((?:19|20)\d{2})\b")


# --------------------------------------------------------------------------- paragraph pool

def load_pool(source: Path, max_files: int = 400) -> list[str]:
    """Body paragraphs from real official documents (files with a 'Số:' line) under `source`,
    or from the bundled corpus when `source` is missing."""
    files = sorted(source.glob("*.md")) if source.is_dir() else []
    picked = []
    for p in files:
        try:
            head = p.read_text(encoding="utf-8", errors="replace")[:3000]
        except OSError:
            continue
        if "Số:" in head:
            picked.append(p)
            if len(picked) >= max_files:
                break
    if not picked:
        picked = sorted((ROOT / "corpus").glob("*.txt"))
    pool = []
    for p in picked:
        for line in p.read_text(encoding="utf-8", errors="replace").splitlines():
            s = re.sub(r"[*#_`]+", "", line).strip()
            if (120 <= len(s) <= 1500 and s[0].isupper() and "|" not in s and "http" not in s
                    and "[" not in s and "PHÁP LUẬT" not in s
                    and not s.startswith(("-", "+", ">"))):
                pool.append(s)
    if not pool:
        raise SystemExit(f"no paragraphs found under {source} or corpus/")
    return pool


def vary(par: str, rng: random.Random) -> str:
    """Same sentence, other numbers and dates."""
    par = _DATE.sub(lambda m: f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/"
                              f"{rng.randint(2015, 2026)}", par)
    par = _NUM.sub(lambda m: m.group(1) + str(rng.randint(1, 2999)), par)
    return _YEAR.sub(lambda m: m.group(1) + str(rng.randint(2015, 2026)), par)


# --------------------------------------------------------------------------- one document

def compose(i: int, seed: int, pool: list[str]) -> dict:
    """The content of document i: a dict of header fields and a list of (kind, text) blocks."""
    rng = random.Random(seed * 1_000_003 + i)
    y = rng.randint(2018, 2026)
    d, m = rng.randint(1, 28), rng.randint(1, 12)
    tname, tcode, shape = rng.choice(TYPES)
    if rng.random() < 0.2:
        parent, (issuer, icode) = "", rng.choice(MINISTRIES)
        place = "Hà Nội"
    else:
        prov = rng.choice(PROVINCES + CITIES)
        kind = "THÀNH PHỐ" if prov in CITIES else "TỈNH"
        parent = ""
        issuer, icode = f"ỦY BAN NHÂN DÂN\n{kind} {prov.upper()}", "UBND"
        place = prov
    num = rng.randint(1, 4999)
    symbol = (f"{num}/{y}/{tcode}-{icode}" if shape == "decision" and rng.random() < 0.5
              else f"{num}/{tcode}-{icode}" if tcode else f"{num}/{icode}-VP")
    topic = rng.choice(TOPICS)
    title = {"plan": f"Triển khai thực hiện công tác {topic} năm {y}",
             "decision": f"Ban hành Quy chế phối hợp về {topic} trên địa bàn",
             "letter": f"V/v triển khai công tác {topic}"}[shape]
    target = int(min(120_000, max(2500, rng.lognormvariate(9.4, 0.7))))  # median ≈ 12 KB

    def cite() -> str:
        kind, name, num_t = rng.choice(CITED)
        n = num_t.format(n=rng.randint(1, 399), y=rng.randint(2015, y),
                         m=rng.choice(MINISTRIES)[1])
        dd = f"ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(2013, y)}"
        return f"{kind} {name + ' ' if name else ''}{n} {dd}".replace("  ", " ")

    def deadline() -> str:
        return rng.choice(DEADLINE_FORMS).format(d=rng.randint(1, 28), m=rng.randint(1, 12),
                                                 y=rng.randint(y, y + 2), q=rng.choice(ROMAN[:4]))

    blocks: list[tuple[str, str]] = []
    size = 0

    def add(kind: str, text: str) -> None:
        nonlocal size
        blocks.append((kind, text))
        size += len(text.encode()) + 2

    for _ in range(rng.randint(1, 4)):
        add("para", f"Căn cứ {cite()};")
    if shape == "decision":
        add("type", "QUYẾT ĐỊNH:")
        art = 1
        while size < target:
            add("heading", f"Điều {art}. {rng.choice(['Phạm vi điều chỉnh', 'Đối tượng áp dụng', 'Nguyên tắc phối hợp', 'Trách nhiệm thi hành', 'Hiệu lực thi hành', 'Nội dung phối hợp'])}")
            for k in range(1, rng.randint(2, 5)):
                add("para", f"{k}. {vary(rng.choice(pool), rng)}")
            art += 1
        add("para", f"Điều {art}. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, "
                    f"Giám đốc {rng.choice(AGENCIES)} và các cơ quan liên quan chịu trách nhiệm "
                    "thi hành Quyết định này./.")
    else:
        add("para", f"{rng.choice(['Ủy ban nhân dân', 'Bộ', 'Cơ quan'])} ban hành Kế hoạch "
                    "triển khai thực hiện như sau:")
        sec = 0
        heads = ["MỤC ĐÍCH, YÊU CẦU", "NHIỆM VỤ, GIẢI PHÁP", "NỘI DUNG THỰC HIỆN",
                 "KINH PHÍ THỰC HIỆN", "TỔ CHỨC THỰC HIỆN"]
        while size < target or sec < 2:
            add("heading", f"{ROMAN[sec % 10]}. {heads[min(sec, len(heads) - 2)]}")
            for k in range(1, rng.randint(2, 5)):
                add("subheading", f"{k}. {vary(rng.choice(pool), rng)[:90].rstrip(',; ')}")
                for _ in range(rng.randint(1, 3)):
                    add("para", vary(rng.choice(pool), rng))
                if rng.random() < 0.6:
                    a, b = rng.sample(AGENCIES, 2)
                    add("para", f"- {a} chủ trì, phối hợp với {b} {vary(rng.choice(pool), rng)[:160].rstrip('.,; ')}; {deadline()}.")
                if size >= target:
                    break
            sec += 1
        add("heading", f"{ROMAN[min(sec, 9)]}. TỔ CHỨC THỰC HIỆN")
        for a in rng.sample(AGENCIES, 3):
            add("para", f"- {a}: tổng hợp, báo cáo kết quả thực hiện {deadline()}.")
    return {
        "issuer": issuer, "parent": parent, "symbol": symbol, "place": place,
        "date": f"{place}, ngày {d:02d} tháng {m:02d} năm {y}", "type": tname if shape != "letter"
        else "", "title": title, "blocks": blocks,
        "recipients": ["Như Điều " + str(rng.randint(2, 4)) + ";",
                       f"{rng.choice(AGENCIES)};", "Lưu: VT."],
        "signer_role": rng.choice(["TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
                                   "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG"]),
        "signer": rng.choice(NAMES),
    }


def render_text(doc: dict, markdown: bool) -> str:
    out = []
    out += doc["issuer"].split("\n")
    out += [f"Số: {doc['symbol']}", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc", "", doc["date"], ""]
    if doc["type"]:
        out += [f"## {doc['type']}" if markdown else doc["type"], ""]
    out += [f"**{doc['title']}**" if markdown else doc["title"], ""]
    for kind, text in doc["blocks"]:
        if markdown and kind == "heading":
            text = f"### {text}"
        elif markdown and kind == "subheading":
            text = f"**{text}**"
        out += [text, ""]
    out += ["Nơi nhận:"] + [f"- {r}" for r in doc["recipients"]] + [""]
    out += doc["signer_role"].split("\n") + ["", doc["signer"], ""]
    return "\n".join(out)


def render_docx(doc: dict, path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    table = d.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = doc["issuer"] + f"\nSố: {doc['symbol']}"
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n" + doc["date"]
    if doc["type"]:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(doc["type"]).bold = True
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(doc["title"]).bold = True
    for kind, text in doc["blocks"]:
        p = d.add_paragraph()
        run = p.add_run(text)
        run.bold = kind in ("heading", "subheading", "type")
    d.add_paragraph().add_run("Nơi nhận:").bold = True
    for r in doc["recipients"]:
        d.add_paragraph(f"- {r}")
    for line in doc["signer_role"].split("\n") + [doc["signer"]]:
        d.add_paragraph().add_run(line).bold = True
    d.save(str(path))


_FONTS: dict = {}


def _fonts() -> tuple[str, str]:
    if not _FONTS:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for folder in FONT_DIRS:
            reg, bold = folder / "DejaVuSerif.ttf", folder / "DejaVuSerif-Bold.ttf"
            if reg.exists() and bold.exists():
                pdfmetrics.registerFont(TTFont("DVS", str(reg)))
                pdfmetrics.registerFont(TTFont("DVS-B", str(bold)))
                _FONTS["r"], _FONTS["b"] = "DVS", "DVS-B"
                break
        else:
            raise SystemExit("PDF output needs the DejaVu Serif TTF fonts (fonts-dejavu-core)")
    return _FONTS["r"], _FONTS["b"]


def render_pdf(doc: dict, path: Path) -> None:
    from xml.sax.saxutils import escape

    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    reg, bold = _fonts()
    body = ParagraphStyle("b", fontName=reg, fontSize=12, leading=16, alignment=TA_JUSTIFY,
                          firstLineIndent=1 * cm, spaceAfter=4)
    strong = ParagraphStyle("s", parent=body, fontName=bold, firstLineIndent=0)
    center = ParagraphStyle("c", parent=strong, alignment=TA_CENTER)
    small = ParagraphStyle("h", fontName=reg, fontSize=11, leading=14, alignment=TA_CENTER)
    esc = lambda s: escape(s).replace("\n", "<br/>")  # noqa: E731
    story = [Table([[Paragraph(esc(doc["issuer"] + f"\nSố: {doc['symbol']}"), small),
                     Paragraph(esc("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - "
                                   "Hạnh phúc\n" + doc["date"]), small)]],
                   colWidths=[7 * cm, 9.5 * cm]), Spacer(1, 10)]
    if doc["type"]:
        story.append(Paragraph(esc(doc["type"]), center))
    story.append(Paragraph(esc(doc["title"]), center))
    for kind, text in doc["blocks"]:
        story.append(Paragraph(esc(text), strong if kind != "para" else body))
    story.append(Paragraph("Nơi nhận:", strong))
    for r in doc["recipients"]:
        story.append(Paragraph(esc(f"- {r}"), ParagraphStyle("r", parent=body,
                                                              firstLineIndent=0)))
    story.append(Paragraph(esc(doc["signer_role"] + "\n\n" + doc["signer"]), center))
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2.5 * cm, rightMargin=2 * cm,
                      topMargin=2 * cm, bottomMargin=2 * cm, invariant=1).build(story)


# --------------------------------------------------------------------------- the corpus

_POOL: list[str] = []


def _init(source: str) -> None:
    _POOL[:] = load_pool(Path(source))


def _make(job: tuple) -> tuple[str, int]:
    i, fmt, out, seed = job
    doc = compose(i, seed, _POOL)
    sub = Path(out) / fmt / f"{i // PER_FOLDER:03d}"
    sub.mkdir(parents=True, exist_ok=True)
    if fmt == "text":
        md = i % 2 == 1
        path = sub / f"doc{i:06d}{'.md' if md else '.txt'}"
        path.write_text(render_text(doc, md), encoding="utf-8")
    elif fmt == "docx":
        path = sub / f"doc{i:06d}.docx"
        render_docx(doc, path)
    else:
        path = sub / f"doc{i:06d}.pdf"
        render_pdf(doc, path)
    return fmt, path.stat().st_size


def formats(n: int, docx: float, pdf: float, seed: int = 1) -> list[str]:
    """The format of each document: DOCX and PDF at the given fractions, spread at random."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        r = rng.random()
        out.append("docx" if r < docx else "pdf" if r < docx + pdf else "text")
    return out


def build(out: Path, n: int, *, docx: float = 0.1, pdf: float = 0.1, source: Path = DEFAULT_SOURCE,
          jobs: int | None = None, seed: int = 1, quiet: bool = False) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    fmts = formats(n, docx, pdf, seed)
    jobs_list = [(i, fmts[i], str(out), seed) for i in range(n)]
    stats = {"text": [0, 0], "docx": [0, 0], "pdf": [0, 0]}
    t0 = time.time()
    jobs = jobs or os.cpu_count() or 1
    with ProcessPoolExecutor(jobs, initializer=_init, initargs=(str(source),)) as ex:
        for k, (fmt, size) in enumerate(ex.map(_make, jobs_list, chunksize=16), 1):
            stats[fmt][0] += 1
            stats[fmt][1] += size
            if not quiet and k % 1000 == 0:
                print(f"  {k}/{n} documents ({time.time() - t0:.0f} s)", file=sys.stderr)
    manifest = {"n": n, "seed": seed, "source": str(source),
                "formats": {f: {"files": c, "bytes": b} for f, (c, b) in stats.items()}}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--docx", type=float, default=0.1, help="fraction of DOCX files")
    ap.add_argument("--pdf", type=float, default=0.1, help="fraction of PDF files")
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                    help="folder of real Markdown documents for the paragraphs")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    t0 = time.time()
    m = build(args.out, args.n, docx=args.docx, pdf=args.pdf, source=args.source,
              jobs=args.jobs, seed=args.seed)
    for f, s in m["formats"].items():
        print(f"{f:>5}: {s['files']:>6} files, {s['bytes'] / 1e6:8.1f} MB")
    print(f"built {args.n} documents in {time.time() - t0:.0f} s → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
