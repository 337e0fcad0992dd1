"""normalise: one clean text with a source map; hard-wrapped PDF text joined back into paragraphs.

Corpus 001 is text taken from a PDF (a line break every line, numbers broken across lines,
stray leading spaces); its repaired lines are checked against the document's visible structure.
"""
from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from pipeline.model import Block, RawDocument
from pipeline.normalise import (_join, clean_chars, latin_lookalikes, normalise, normalise_string,
                                repair_wrapped)
from pipeline.readers.text import read_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _corpus(prefix: str) -> Path:
    return next(CORPUS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="module")
def doc001():
    path = _corpus("001")
    return normalise(read_text(path)), path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def lines001(doc001):
    t, _ = doc001
    return [t.line_text(ln) for ln in t.lines]


# =========================================================================== characters

@pytest.mark.parametrize("raw, clean", [
    (unicodedata.normalize("NFD", "Kế hoạch số 12/KH-UBND"), "Kế hoạch số 12/KH-UBND"),
    ("2020\u20132025", "2020-2025"),                       # en dash
    ("Văn minh \u2014 Hội nhập", "Văn minh - Hội nhập"),   # em dash
    ("91\u2212KL/TW", "91-KL/TW"),                         # minus sign
    ("Số:\u00a012/KH-UBND", "Số: 12/KH-UBND"),             # no-break space
    ("Quyết\u200bđịnh", "Quyếtđịnh"),                      # zero-width space
    ("ô\tô", "ô\tô"),                                      # cell separator kept
])
def test_clean_chars(raw, clean):
    assert clean_chars(raw) == clean


def test_decomposed_input_composes():
    nfd = unicodedata.normalize("NFD", "Chỉ thị số 06/CT-UBND ngày 31/8/2024 của Chủ tịch UBND tỉnh")
    assert nfd != unicodedata.normalize("NFC", nfd)
    t = normalise_string(nfd)
    assert t.text == unicodedata.normalize("NFC", nfd)


def test_dashes_and_spaces_in_the_text():
    t = normalise_string("Kết luận số 91\u2013KL/TW\u00a0ngày 12/8/2024 giai đoạn 2021\u22122025")
    assert t.text == "Kết luận số 91-KL/TW ngày 12/8/2024 giai đoạn 2021-2025"


# =========================================================================== corpus 001

@pytest.mark.parametrize("line", [
    "CHỈ THỊ",
    "Về thực hiện nhiệm vụ trọng tâm năm học 2024-2025",
    "I. CÁC NHIỆM VỤ, GIẢI PHÁP",
    # a numbered heading whose second line opens in lower case
    "1. Tăng cường công tác giáo dục chính trị, tư tưởng; xây dựng đội ngũ nhà giáo và cán bộ "
    "quản lý giáo dục",
    "4.1 Giáo dục mầm non",           # no trailing dot, body follows on the next line
    "4.2 Giáo dục phổ thông",
    "II. TỔ CHỨC THỰC HIỆN",
    "1. Phòng Giáo dục và Đào tạo",
    "4. Đề nghị MTTQ Việt Nam và các Ban Đảng, đoàn thể thành phố",  # then an indented body
    "5. UBND các xã, phường",
    "Nơi nhận:",
])
def test_001_line_stands_alone(lines001, line):
    assert line in lines001


def test_001_title_is_first(lines001):
    assert lines001[:2] == ["CHỈ THỊ", "Về thực hiện nhiệm vụ trọng tâm năm học 2024-2025"]
    assert lines001[2].startswith("Năm học 2023-2024 dưới sự lãnh đạo")
    assert lines001[2].endswith("xây dựng môi trường giáo dục an toàn, hạnh phúc.")


@pytest.mark.parametrize("heading, body_start", [
    ("4.1 Giáo dục mầm non", "Tiếp tục đẩy mạnh công tác tuyên truyền"),
    ("5. UBND các xã, phường", "Căn cứ Chỉ thị của Chủ tịch UBND thành phố"),
    ("4. Đề nghị MTTQ Việt Nam và các Ban Đảng, đoàn thể thành phố",
     "Tăng cường phối hợp với ngành Giáo dục"),
])
def test_001_body_after_heading(lines001, heading, body_start):
    i = lines001.index(heading)
    assert lines001[i + 1].startswith(body_start)


def test_001_signer_block_each_on_its_own_line(lines001):
    assert lines001[-4:] == ["TM. UỶ BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Ngô Vũ Quốc"]


def test_001_recipients_one_per_line(lines001):
    i = lines001.index("Nơi nhận:")
    items = lines001[i + 1:i + 8]
    assert all(it.startswith("- ") for it in items)
    assert items[0] == "- Thành ủy, HĐND, UBND TP;" and items[-1] == "- Lưu: VT, GD&ĐT (2b)."


def test_001_numbers_broken_across_lines(doc001):
    t, raw = doc001
    assert any(ln.rstrip().endswith("2236/QĐ-") for ln in raw)  # the break is in the source
    assert t.text.count("Quyết định số 2236/QĐ-BGDĐT ngày 23/8/2024") == 2
    assert "2236/QĐ- BGDĐT" not in t.text


@pytest.mark.parametrize("joined", [
    "Chương trình GDPT 2018.",                # an upper-case word wrapped onto its own line
    '"Văn minh - Hội nhập". 100% học sinh',   # a spaced dash opening a line is not a list item
    "thuộc và vận dụng 5 điều Bác Hồ",        # a number opening a line is not a heading
    "mục tiêu đề án 03. Chỉ đạo",
    "công chúa Thái Lan, Dự án phát triển",   # a stray leading space is not an indent
    "số 355-CTr/TU, ngày 28/5/2024 của Tỉnh ủy",
])
def test_001_wrapped_pieces_rejoined(doc001, lines001, joined):
    t, _ = doc001
    assert joined in t.text
    assert not any(ln == joined.split(". ")[-1] for ln in lines001)


def test_001_every_line_is_a_paragraph_not_a_fragment(lines001):
    """A wrongly split paragraph leaves a piece that opens in lower case."""
    assert [ln for ln in lines001 if ln[:1].islower()] == []


def test_locate_returns_the_source_line(doc001):
    t, raw = doc001

    def source_line(text):
        return next(i for i, ln in enumerate(raw, start=1) if ln.strip() == text)

    for text in ("4.1 Giáo dục mầm non", "PHÓ CHỦ TỊCH", "- Sở GD&ĐT tỉnh Lào Cai;"):
        offset = t.text.index(text)
        assert t.locate(offset) == {"line": source_line(text)}
        assert t.locate(offset + len(text) - 1) == {"line": source_line(text)}
    assert t.locate(0) == {"line": 1}


def test_locate_footnote_moved_to_the_end():
    path = _corpus("000")
    t = normalise(read_text(path))
    raw = path.read_text(encoding="utf-8").splitlines()
    offset = t.text.index("¹ Kế hoạch số 2943/KH-UBND")
    assert offset > t.text.index("Trần Đình Tiến")  # after the body
    line = t.locate(offset)["line"]
    assert raw[line - 1].startswith("<sup>1</sup> Kế hoạch số 2943/KH-UBND")


# =========================================================================== repair_wrapped

FULL = ("Tiếp tục triển khai thực hiện có hiệu quả các nhiệm vụ trọng tâm của ngành giáo dục "
        "thành phố")  # about a full line


def _repair(*blocks):
    return [(b.kind, b.text) for b in repair_wrapped([_b(x) for x in blocks])]


def _b(x):
    return x if isinstance(x, Block) else Block(x)


@pytest.mark.parametrize("prev, cur, joined", [
    ("Quyết định số 2236/QĐ-", "BGDĐT ngày 23/8/2024", "Quyết định số 2236/QĐ-BGDĐT ngày 23/8/2024"),
    ("ngày 04/11/", "2013 của Ban Chấp hành", "ngày 04/11/2013 của Ban Chấp hành"),
    ("Kết luận số 91-", "KL/TW của Bộ Chính trị", "Kết luận số 91-KL/TW của Bộ Chính trị"),
    ("Quyết định số 2236/QĐ", "-BGDĐT ngày 23/8/2024", "Quyết định số 2236/QĐ-BGDĐT ngày 23/8/2024"),
    ("UBND các xã/", "phường thực hiện", "UBND các xã/phường thực hiện"),
    ("tăng cường công tác", "phối hợp", "tăng cường công tác phối hợp"),
    ('"Văn minh', '- Hội nhập"', '"Văn minh - Hội nhập"'),
    ("giai đoạn 2020 -", "2025", "giai đoạn 2020 - 2025"),
])
def test_join(prev, cur, joined):
    assert _join(prev, cur) == joined


def test_bold_change_starts_a_paragraph():
    got = _repair(Block("1.1. Tăng cường sự lãnh đạo, chỉ đạo của các cấp ủy đảng", bold=True),
                  Block("sự quản lý của chính quyền các cấp trong việc triển khai", bold=True),
                  Block("Tổ chức nghiên cứu, học tập, quán triệt Kết luận số 91-KL/TW"),
                  Block("của Bộ Chính trị."))
    assert got == [("para", "1.1. Tăng cường sự lãnh đạo, chỉ đạo của các cấp ủy đảng sự quản lý "
                            "của chính quyền các cấp trong việc triển khai"),
                   ("para", "Tổ chức nghiên cứu, học tập, quán triệt Kết luận số 91-KL/TW của Bộ "
                            "Chính trị.")]


def test_footnote_lines_and_page_break():
    """A paragraph cut by a page break continues after that page's footnotes; an unmarked
    footnote line continues the footnote."""
    got = _repair(FULL,
                  "đáp ứng yêu cầu công nghiệp hóa, hiện đại hóa trong điều kiện kinh tế",
                  Block("Kế hoạch số 2943/KH-UBND ngày 19/8/2024 của UBND thành phố",
                        kind="footnote", marker="1"),
                  Block("thực hiện Nghị quyết số 32/NQ-", kind="footnote"),
                  Block("CP ngày 20/3/2024.", kind="footnote"),
                  "thị trường định hướng xã hội chủ nghĩa.")
    assert got == [
        ("para", FULL + " đáp ứng yêu cầu công nghiệp hóa, hiện đại hóa trong điều kiện kinh tế "
                        "thị trường định hướng xã hội chủ nghĩa."),
        ("footnote", "Kế hoạch số 2943/KH-UBND ngày 19/8/2024 của UBND thành phố thực hiện Nghị "
                     "quyết số 32/NQ-CP ngày 20/3/2024."),
    ]


def test_table_row_closes_a_paragraph():
    got = _repair("Nơi nhận:", Block("- Sở GD&ĐT;\tKT. CHỦ TỊCH", kind="table_row"),
                  "- UBND các xã, phường;")
    assert [k for k, _ in got] == ["para", "table_row", "para"]


@pytest.mark.parametrize("lines, expected", [
    (["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Đình Tiến"],
     ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Đình Tiến"]),
    (["II. MỘT SỐ CHỈ TIÊU VỀ GIÁO DỤC VÀ ĐÀO TẠO PHẤN ĐẤU", "ĐẠT ĐƯỢC TRONG NĂM HỌC 2024 - 2025"],
     ["II. MỘT SỐ CHỈ TIÊU VỀ GIÁO DỤC VÀ ĐÀO TẠO PHẤN ĐẤU ĐẠT ĐƯỢC TRONG NĂM HỌC 2024 - 2025"]),
    (["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
     ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    ([FULL + " các", "trường học:", "a) Rà soát mạng lưới;", "b) Bổ sung giáo viên."],
     [FULL + " các trường học:", "a) Rà soát mạng lưới;", "b) Bổ sung giáo viên."]),
])
def test_heading_signer_and_list_lines(lines, expected):
    assert [t for _, t in _repair(*lines)] == expected


def test_indent_starts_a_paragraph_after_an_ended_line():
    got = _repair(FULL, "tập trung cho cơ sở.", Block(" Thực hiện nghiêm túc", indent=True),
                  Block("kỷ cương, nền nếp.", indent=False))
    assert [t for _, t in got] == [FULL + " tập trung cho cơ sở.",
                                  "Thực hiện nghiêm túc kỷ cương, nền nếp."]


# =========================================================================== robustness

def test_adversarial_dashes_slashes_digits_finish():
    """100 KB of '-', '/', digits and line breaks: every line looks like a broken number."""
    rng = random.Random(7)
    chunks = []
    while sum(map(len, chunks)) < 100_000:
        chunks.append("".join(rng.choice("-/0123456789") for _ in range(rng.randint(1, 60))))
        chunks.append(rng.choice(["\n", "\n", " \n", "-\n", "/\n"]))
    text = "".join(chunks)
    t = normalise_string(text)
    assert t.lines and len(t.text) > 50_000
    raw = RawDocument("<adversarial>", "text", [Block(ln) for ln in text.splitlines()],
                      {"hard_wrapped": True})
    assert normalise(raw).text.count("\n") < len(text.splitlines())
    one_line = "-/" * 50_000 + "1"
    assert normalise_string(one_line).text == one_line


@pytest.mark.parametrize("raw, clean", [
    # Cyrillic Т, С inside document numbers become Latin
    ("Công văn số 16495/BТС-PTHT ngày 10/11/2025", "Công văn số 16495/BTC-PTHT ngày 10/11/2025"),
    ("Thông tư số 60/2025/TT-BCТ:", "Thông tư số 60/2025/TT-BCT:"),
    ("Tờ trình 552/TTr-BТС,", "Tờ trình 552/TTr-BTC,"),
    ("Nghị quyết 66/NQ-СP", "Nghị quyết 66/NQ-CP"),
    ("ô đất СТ-05, СT-06", "ô đất СТ-05, CT-06"),  # only the token with a Latin letter
    # running Cyrillic or Greek text, and tokens with no Latin letter, stay
    ("Москва: МИК, 1998. — 141 с.", "Москва: МИК, 1998. — 141 с."),
    ("Orsis Т-5000", "Orsis Т-5000"),
    ("в 70-х годах", "в 70-х годах"),
    ("ISBN 5-7133-0356-Х.", "ISBN 5-7133-0356-Х."),
    ("dưới 40 μg/m3", "dưới 40 μg/m3"),  # μ has no Latin twin
    ("Nghị định 120/2020/NĐ-CP", "Nghị định 120/2020/NĐ-CP"),
])
def test_latin_lookalikes(raw, clean):
    assert latin_lookalikes(raw) == clean


def test_lookalike_number_reaches_the_text():
    assert "16495/BTC-PTHT" in normalise_string("Thực hiện Công văn số 16495/BТС-PTHT.").text


def test_lookalikes_linear_on_long_tokens():
    import time
    s = ("Т" + "1a" * 50_000 + " ") * 4
    t0 = time.perf_counter()
    latin_lookalikes(s)
    assert time.perf_counter() - t0 < 1.0
