"""Section trees: the five corpus outlines, every heading form, the sequence check, spans."""
from __future__ import annotations

import glob
import os
import random
import time

import pytest

from pipeline.model import Line, Text
from pipeline.normalise import normalise, normalise_string
from pipeline.readers.text import read_text
from pipeline.sections import candidates, find_footer, heading_text, parse_sections, roman_value

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def corpus(prefix: str) -> Text:
    (path,) = glob.glob(os.path.join(ROOT, "corpus", f"{prefix}_*.txt"))
    return normalise(read_text(path))


def make_text(rows) -> Text:
    """Lines as a reader would give them: str, or (kind, text), or (kind, text, bold, heading)."""
    parts, lines, pos = [], [], 0
    for r in rows:
        if isinstance(r, str):
            r = ("para", r)
        kind, s = r[0], r[1]
        bold = r[2] if len(r) > 2 else False
        head = r[3] if len(r) > 3 else None
        marker = None
        if kind == "footnote":
            marker = "¹²³⁴⁵⁶⁷⁸⁹".index(s[0]) + 1
            marker = str(marker)
        parts.append(s)
        lines.append(Line(pos, pos + len(s), kind, bold, head, marker))
        pos += len(s) + 1
    return Text("\n".join(parts), lines)


def ids(secs):
    return [s.id for s in secs]


# --------------------------------------------------------------------------- corpus outlines

OUTLINES = {
    "000": ("I I.1 I.2 I.3 II III III.1 III.2 III.3 III.4 III.5 III.6 III.7 III.8 III.9 III.10 "
            "III.11 IV IV.1 IV.2 IV.3 IV.4 IV.5 IV.6 FN FN.1 FN.2 FN.3"),
    "001": ("I I.1 I.2 I.3 I.4 I.4.1 I.4.2 I.5 I.6 I.7 I.8 I.9 II II.1 II.2 II.3 II.4 II.5"),
    "002": ("I I.1 I.2 II II.1 II.2 II.2.1 II.2.1.a II.2.1.b II.2.2 II.2.2.1 II.2.2.1.a "
            "II.2.2.1.b II.2.2.2 II.2.2.2.a II.2.2.2.b II.2.2.3 II.2.2.3.a II.2.2.3.b II.2.4 "
            "III III.1 III.2 III.3 III.4 III.5 III.6 III.7 III.8 III.9 III.10 III.11 IV IV.1 IV.2 "
            "FN FN.1 FN.2 FN.3 FN.4 FN.5 FN.6 FN.7 FN.8 FN.9"),
    "003": ("I I.1 I.2 II II.1 II.1.1 II.1.2 II.1.3 II.1.4 II.1.5 II.1.6 II.1.7 II.1.8 II.2 "
            "III III.1 III.2 III.3 III.4"),
    "004": ("I I.1 I.2 I.3 II II.1 II.1.1 II.1.2 II.1.3 II.1.4 II.1.5 II.1.6 II.1.7 II.1.8 II.2 "
            "III III.1 III.2 III.3"),
}

# (id, heading prefix) of the top two levels, read off the documents
HEADINGS = {
    "000": [
        ("I", "MỤC ĐÍCH, YÊU CẦU"), ("I.1", "Quán triệt và chỉ đạo toàn ngành"),
        ("I.2", "Làm căn cứ để cơ quan quản lý"), ("I.3", "Chủ đề năm học 2024 - 2025"),
        ("II", "MỘT SỐ CHỈ TIÊU VỀ GIÁO DỤC VÀ ĐÀO TẠO PHÂN ĐẦU ĐẠT ĐƯỢC TRONG NĂM HỌC 2024 - 2025"),
        ("III", "CÁC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM"),
        ("III.1", "Tiếp tục nâng cao hiệu lực, hiệu quả công tác quản lý nhà nước"),
        ("III.2", "Đảm bảo công bằng trong tiếp cận giáo dục"),
        ("III.3", "Nâng cao chất lượng giáo dục mầm non, giáo dục phổ thông"),
        ("III.4", "Xây dựng bồi dưỡng, phát triển"), ("III.5", "Sử dụng hiệu quả ngân sách nhà nước"),
        ("III.6", "Tăng cường công tác giáo dục chính trị"),
        ("III.7", "Tăng cường hội nhập quốc tế trong giáo dục"),
        ("III.8", "Đẩy mạnh chuyển đổi số, cải cách hành chính"),
        ("III.9", "Tăng cường công tác thanh tra, kiểm tra"),
        ("III.10", "Tăng cường công tác truyền thông giáo dục"),
        ("III.11", "Thực hiện hiệu quả các phong trào thi đua"),
        ("IV", "TỔ CHỨC THỰC HIỆN"), ("IV.1", "Phòng Giáo dục và Đào tạo thành phố"),
        ("IV.2", "Phòng Tài chính - Kế hoạch thành phố"), ("IV.3", "Phòng Văn hóa và Thông tin"),
        ("IV.4", "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thành phố"),
        ("IV.5", "Các phòng, ban, ngành"), ("IV.6", "Ủy ban nhân dân các xã, phường"),
    ],
    "001": [
        ("I", "CÁC NHIỆM VỤ, GIẢI PHÁP"), ("I.1", "Tăng cường công tác giáo dục chính trị, tư tưởng"),
        ("I.2", "Thực hiện hiệu quả phân cấp, phân quyền"), ("I.3", "Tiếp tục rà soát, sắp xếp mạng lưới"),
        ("I.4", "Đổi mới chương trình giáo dục mầm non"), ("I.5", "Thu hút và sử dụng hiệu quả"),
        ("I.6", "Công tác giáo dục thể chất"), ("I.7", "Đẩy mạnh chuyển đổi số"),
        ("I.8", "Nâng cao hiệu quả công tác thanh tra"), ("I.9", "Thực hiện hiệu quả các cuộc vận động"),
        ("II", "TỔ CHỨC THỰC HIỆN"), ("II.1", "Phòng Giáo dục và Đào tạo"),
        ("II.2", "Các phòng ban chuyên môn của thành phố"),
        ("II.3", "Trung tâm Văn hóa - Thể thao - Truyền thông thành phố"),
        ("II.4", "Đề nghị MTTQ Việt Nam và các Ban Đảng, đoàn thể thành phố"),
        ("II.5", "UBND các xã, phường"),
    ],
    "002": [
        ("I", "MỤC ĐÍCH, YÊU CẦU"), ("I.1", "Mục đích"), ("I.2", "Yêu cầu"), ("II", "MỤC TIÊU"),
        ("II.1", "Mục tiêu chung"), ("II.2", "Mục tiêu cụ thể"), ("III", "NHIỆM VỤ VÀ GIẢI PHÁP"),
        ("III.1", "Nâng cao hiệu lực, hiệu quả trong quản lý nhà nước"),
        ("III.2", "Chủ động phòng, chống và ứng phó"), ("III.3", "Tăng cường công tác tư tưởng, chính trị"),
        ("III.4", "Phát triển đội ngũ nhà giáo"), ("III.5", "Thu hút và sử dụng hiệu quả"),
        ("III.6", "Thực hiện hiệu quả chương trình giáo dục mầm non"),
        ("III.7", "Đẩy mạnh chuyển đổi số, cải cách hành chính"),
        ("III.8", "Tăng cường hội nhập quốc tế trong giáo dục"),
        ("III.9", "Tăng cường công tác thanh tra, kiểm tra và xử lý vi phạm"),
        ("III.10", "Đẩy mạnh thực hiện các phong trào thi đua"),
        ("III.11", "Tăng cường công tác truyền thông giáo dục"),
        ("IV", "TỔ CHỨC THỰC HIỆN"), ("IV.1", "Giao Phòng Giáo dục và Đào tạo huyện"),
        ("IV.2", "Các cơ quan, ban, ngành, đoàn thể huyện"),
    ],
    "003": [
        ("I", "MỤC ĐÍCH, YÊU CẦU"), ("I.1", "Mục đích"), ("I.2", "Yêu cầu"),
        ("II", "NHIỆM VỤ, GIẢI PHÁP"), ("II.1", "Nhiệm vụ, giải pháp chung"), ("II.2", "Nhiệm vụ cụ thể"),
        ("III", "TỔ CHỨC THỰC HIỆN"), ("III.1", "Các chi, đảng bộ cơ sở"),
        ("III.2", "Thường trực HĐND huyện"), ("III.3", "Ủy ban Nhân dân huyện xây dựng kế hoạch"),
        ("III.4", "Ban Tuyên giáo Huyện ủy chủ trì"),
    ],
    "004": [
        ("I", "MỤC ĐÍCH, YÊU CẦU"), ("I.1", "Quán triệt, tuyên truyền nâng cao nhận thức"),
        ("I.2", "Các cơ quan, đơn vị, nhất là người đứng đầu"), ("I.3", "Kế thừa kết quả, kinh nghiệm"),
        ("II", "NHIỆM VỤ, GIẢI PHÁP"), ("II.1", "Nhiệm vụ, giải pháp chung"), ("II.2", "Nhiệm vụ cụ thể"),
        ("III", "TỔ CHỨC THỰC HIỆN"),
        ("III.1", "Ủy ban nhân dân thành phố chỉ đạo các phòng, ban"),
        ("III.2", "Giao phòng Giáo dục và Đào tạo chủ trì"),
        ("III.3", "Các phòng, ban, cơ quan, đơn vị, đoàn thể thành phố"),
    ],
}

DEEPER = {
    "001": [("I.4.1", "Giáo dục mầm non"), ("I.4.2", "Giáo dục phổ thông")],
    "002": [("II.2.1", "Giáo dục Mầm non"), ("II.2.1.a", "Về số lượng"),
            ("II.2.1.b", "Về chất lượng giáo dục"), ("II.2.2", "Giáo dục phổ thông"),
            ("II.2.2.1", "Giáo dục Tiểu học"), ("II.2.2.2", "Giáo dục Trung học cơ sở"),
            ("II.2.2.3", "Giáo dục Trung học phổ thông và Giáo dục thường xuyên"),
            ("II.2.4", "Về học sinh giỏi các cấp, nghiên cứu khoa học kỹ thuật")],
    "003": [("II.1.1", "Tăng cường sự lãnh đạo, chỉ đạo"), ("II.1.8", "Đẩy mạnh hội nhập quốc tế")],
    "004": [("II.1.3", "Phát triển mạng lưới cơ sở giáo dục"), ("II.1.8", "Đẩy mạnh hội nhập quốc tế")],
}


@pytest.mark.parametrize("doc", sorted(OUTLINES))
def test_corpus_outline_ids(doc):
    assert ids(parse_sections(corpus(doc))) == OUTLINES[doc].split()


@pytest.mark.parametrize("doc", sorted(HEADINGS))
def test_corpus_top_two_levels(doc):
    secs = [s for s in parse_sections(corpus(doc)) if s.kind == "section" and s.level <= 2]
    assert [s.id for s in secs] == [i for i, _ in HEADINGS[doc]]
    for s, (sid, prefix) in zip(secs, HEADINGS[doc]):
        assert s.heading.startswith(prefix), (sid, s.heading)


@pytest.mark.parametrize("doc", sorted(DEEPER))
def test_corpus_deeper_headings(doc):
    by_id = {s.id: s for s in parse_sections(corpus(doc))}
    for sid, heading in DEEPER[doc]:
        assert by_id[sid].heading.startswith(heading), (sid, by_id[sid].heading)


def test_002_headings_are_whole_and_cut():
    by_id = {s.id: s for s in parse_sections(corpus("002"))}
    # the skipped 2.3 does not stop "2.4." from being a sibling of 2.2
    assert by_id["II.2.4"].parent == "II.2" and by_id["II.2.4"].level == 3
    assert by_id["II.2.2.1.a"].parent == "II.2.2.1" and by_id["II.2.2.1.a"].level == 5


def test_001_run_on_heading_is_cut_at_colon():
    by_id = {s.id: s for s in parse_sections(corpus("001"))}
    assert by_id["II.2"].heading == "Các phòng ban chuyên môn của thành phố"
    assert by_id["II.3"].heading == "Trung tâm Văn hóa - Thể thao - Truyền thông thành phố"


@pytest.mark.parametrize("doc", sorted(OUTLINES))
def test_corpus_spans(doc):
    t = corpus(doc)
    secs = parse_sections(t)
    by_id = {s.id: s for s in secs}
    body = [s for s in secs if s.kind != "footnote"]
    starts = [s.start for s in body]
    assert starts == sorted(starts)
    for s in secs:
        assert 0 <= s.start < s.end <= len(t.text)
        if s.parent:
            p = by_id[s.parent]
            assert p.start <= s.start and s.end <= p.end, (s.id, p.id)
            assert s.level == p.level + 1
        else:
            assert s.level == 1
    # a section's span starts at its own numbered heading line
    for s in body:
        line = t.text[s.start:t.text.find("\n", s.start)]
        assert any(s.id.endswith(c.label) for c in candidates(line)), (s.id, line[:20])
    # siblings do not overlap
    for a, b in zip(body, body[1:]):
        if a.level >= b.level:
            assert a.end <= b.start, (a.id, b.id)
    # the footer closes the last section: its end stops before "Nơi nhận:"
    nn = t.text.find("Nơi nhận")
    assert nn > 0
    assert max(s.end for s in body) <= nn
    # preamble: text before the first heading is in no section
    assert body[0].start > 0 and t.text[body[0].start:].startswith("I")


def test_footnotes_part():
    t = corpus("002")
    fn = [s for s in parse_sections(t) if s.kind == "footnote"]
    assert fn[0].id == "FN" and fn[0].parent is None and fn[0].level == 1
    assert [s.id for s in fn[1:]] == [f"FN.{i}" for i in range(1, 10)]
    assert all(s.parent == "FN" and s.level == 2 for s in fn[1:])
    assert fn[1].heading.startswith("Nghị quyết số 05-NQ/ĐH")
    assert t.text[fn[1].start:fn[1].end].startswith("¹ ")
    assert fn[0].start == fn[1].start and fn[0].end == fn[-1].end


# --------------------------------------------------------------------------- heading forms

def test_roman_dash_arabic_levels_and_letters():
    t = make_text([
        "KẾ HOẠCH", "Về việc thử",
        "Căn cứ Luật Giáo dục năm 2019;",
        "I- MỤC ĐÍCH", "1.1. Mục đích chung", "Nội dung.", "1.2. Mục đích riêng",
        "a) Điểm một;", "b) Điểm hai;", "c) Điểm ba;", "d) Điểm bốn;", "đ) Điểm năm;", "e) Điểm sáu.",
        "II- NỘI DUNG", "1. Nhiệm vụ", "2. Giải pháp", "2.1. Giải pháp một", "2.2. Giải pháp hai",
        "2.2.1. Chi tiết", "2.2.2. Chi tiết hai", "3. Kinh phí",
    ])
    got = [(s.id, s.level, s.parent) for s in parse_sections(t)]
    assert got == [
        ("I", 1, None), ("I.1.1", 2, "I"), ("I.1.2", 2, "I"),
        ("I.1.2.a", 3, "I.1.2"), ("I.1.2.b", 3, "I.1.2"), ("I.1.2.c", 3, "I.1.2"),
        ("I.1.2.d", 3, "I.1.2"), ("I.1.2.đ", 3, "I.1.2"), ("I.1.2.e", 3, "I.1.2"),
        ("II", 1, None), ("II.1", 2, "II"), ("II.2", 2, "II"), ("II.2.1", 3, "II.2"),
        ("II.2.2", 3, "II.2"), ("II.2.2.1", 4, "II.2.2"), ("II.2.2.2", 4, "II.2.2"), ("II.3", 2, "II"),
    ]


def test_letters_follow_the_vietnamese_alphabet():
    # after "e)" comes "g)" (no f); "f)" is not a heading
    t = make_text(["1. Một", "a) A", "b) B", "c) C", "d) D", "đ) Đ", "e) E", "f) F", "g) G"])
    assert ids(parse_sections(t)) == ["1", "1.a", "1.b", "1.c", "1.d", "1.đ", "1.e", "1.g"]


def test_no_roman_level_arabic_is_top():
    t = make_text(["1. Một", "1.1 Một một", "1.2 Một hai", "2. Hai", "a) Điểm a"])
    secs = parse_sections(t)
    assert [(s.id, s.level) for s in secs] == [("1", 1), ("1.1", 2), ("1.2", 2), ("2", 1), ("2.a", 2)]
    assert secs[1].heading == "Một một"


def test_named_levels_part_chapter_article():
    t = make_text([
        "PHẦN THỨ NHẤT", "TÌNH HÌNH CHUNG", "I. KẾT QUẢ", "1. Giáo dục",
        "PHẦN THỨ HAI", "NHIỆM VỤ", "Chương I", "QUY ĐỊNH CHUNG",
        "Điều 1. Phạm vi điều chỉnh", "1. Quy định này áp dụng.", "a) Trường học;", "b) Cơ sở khác.",
        "Điều 2. Đối tượng áp dụng", "Chương II", "NỘI DUNG", "Điều 3. Nội dung chính",
        "Điều 5 Luật này quy định", "Điều 4: Hiệu lực",
    ])
    got = [(s.id, s.heading, s.parent) for s in parse_sections(t)]
    assert got == [
        ("P1", "TÌNH HÌNH CHUNG", None), ("P1.I", "KẾT QUẢ", "P1"), ("P1.I.1", "Giáo dục", "P1.I"),
        ("P2", "NHIỆM VỤ", None), ("P2.C1", "QUY ĐỊNH CHUNG", "P2"),
        ("P2.C1.D1", "Phạm vi điều chỉnh", "P2.C1"), ("P2.C1.D1.1", "Quy định này áp dụng", "P2.C1.D1"),
        ("P2.C1.D1.1.a", "Trường học", "P2.C1.D1.1"), ("P2.C1.D1.1.b", "Cơ sở khác", "P2.C1.D1.1"),
        ("P2.C1.D2", "Đối tượng áp dụng", "P2.C1"), ("P2.C2", "NỘI DUNG", "P2"),
        # Điều numbers run on across chapters; "Điều 5 Luật ..." skips 4 in running text
        ("P2.C2.D3", "Nội dung chính", "P2.C2"), ("P2.C2.D4", "Hiệu lực", "P2.C2"),
    ]


def test_bold_wrapped_markdown_and_inconsistent_hash_depths():
    md = ("**KẾ HOẠCH**\n\n**Về việc thử nghiệm**\n\nCăn cứ Luật Giáo dục năm 2019.\n\n"
          "## **I. MỤC ĐÍCH**\n\n#### **1. Mục đích chung**\n\nNội dung.\n\n"
          "### **2. Yêu cầu**\n\nNội dung.\n\n**II. NỘI DUNG**\n\n"
          "#### ***1.1. Việc thứ nhất***\n\nNội dung.\n\n### ***1.2. Việc thứ hai***\n\nNội dung.\n")
    secs = parse_sections(normalise_string(md))
    assert [(s.id, s.level, s.heading) for s in secs] == [
        ("I", 1, "MỤC ĐÍCH"), ("I.1", 2, "Mục đích chung"), ("I.2", 2, "Yêu cầu"),
        ("II", 1, "NỘI DUNG"), ("II.1.1", 2, "Việc thứ nhất"), ("II.1.2", 2, "Việc thứ hai"),
    ]


def test_appendix_is_its_own_top_level_part():
    t = make_text([
        "I. NHIỆM VỤ", "1. Một", "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "CHỦ TỊCH", "Nguyễn Văn An",
        ("para", "PHỤ LỤC I", True), ("para", "CHỈ TIÊU NĂM HỌC 2024 - 2025", True),
        "I. MẦM NON", "1. Huy động trẻ", "PHỤ LỤC II", "BIỂU TỔNG HỢP", "1. Biểu một",
        ("para", "Phụ lục", True), "Danh sách kèm theo",
    ])
    secs = parse_sections(t)
    got = [(s.id, s.kind, s.level, s.parent, s.heading) for s in secs]
    assert got == [
        ("I", "section", 1, None, "NHIỆM VỤ"), ("I.1", "section", 2, "I", "Một"),
        ("PL.I", "appendix", 1, None, "CHỈ TIÊU NĂM HỌC 2024 - 2025"),
        ("PL.I.I", "section", 2, "PL.I", "MẦM NON"), ("PL.I.I.1", "section", 3, "PL.I.I", "Huy động trẻ"),
        ("PL.II", "appendix", 1, None, "BIỂU TỔNG HỢP"), ("PL.II.1", "section", 2, "PL.II", "Biểu một"),
        ("PL.3", "appendix", 1, None, ""),
    ]
    i1 = secs[1]
    assert t.text[i1.start:i1.end] == "1. Một"  # the footer closes it
    assert t.text[secs[2].start:].startswith("PHỤ LỤC I")


def test_appendix_word_in_running_text_is_not_a_heading():
    t = make_text(["I. CHỈ TIÊU", "(Có Phụ lục chi tiết kèm theo)", "Phụ lục kèm theo gồm các biểu sau.",
                   "II. TỔ CHỨC"])
    assert ids(parse_sections(t)) == ["I", "II"]


def test_footnotes_from_markdown_superscripts():
    md = ("**I. MỤC ĐÍCH**\n\nThực hiện Kế hoạch<sup>1</sup> số 1.\n\n<sup>1</sup> Kế hoạch số 1/KH-UBND.\n\n"
          "Tiếp tục nội dung<sup>2</sup>.\n\n**II. NỘI DUNG**\n\nNội dung.\n\n<sup>2</sup> Công văn số 2/UBND-VP.\n")
    t = normalise_string(md)
    secs = parse_sections(t)
    assert [(s.id, s.kind, s.parent) for s in secs] == [
        ("I", "section", None), ("II", "section", None), ("FN", "footnote", None),
        ("FN.1", "footnote", "FN"), ("FN.2", "footnote", "FN")]
    assert secs[3].heading == "Kế hoạch số 1/KH-UBND."
    assert secs[1].end <= secs[2].start  # body sections end before the footnotes


# --------------------------------------------------------------------------- the sequence check

def test_stray_number_lines_are_body_text():
    t = make_text([
        "I. NHIỆM VỤ", "1. Nâng cao chất lượng", "Đầu tư cho giai đoạn",
        "2021 - 2030; Chương trình mục tiêu quốc gia giai đoạn 2021 - 2025.",
        "5. Năm nội dung này không liền số nên không phải đề mục mà là một câu văn dài trong đoạn văn "
        "bản thường, kéo dài qua nhiều dòng và kết thúc bằng dấu chấm, không in đậm, không ngắn.",
        "3. năm học mới bắt đầu (viết thường: không phải đề mục)",
        "2. Đổi mới quản lý", "1. Không khởi động lại", "II. TỔ CHỨC THỰC HIỆN",
    ])
    assert ids(parse_sections(t)) == ["I", "I.1", "I.2", "II"]


def test_skipped_number_needs_a_heading_like_line():
    base = ["II. MỤC TIÊU", "2. Mục tiêu cụ thể", "2.1. Mầm non", "2.2. Phổ thông", "2.2.1. Tiểu học",
            "2.2.2. Trung học cơ sở", "2.2.3. Trung học phổ thông"]
    ok = make_text(base + ["2.4. Về học sinh giỏi các cấp"])
    assert ids(parse_sections(ok))[-1] == "II.2.4"
    bold = make_text(base + [("para", "2.4. " + "Về học sinh giỏi các cấp, " * 12, True)])
    assert ids(parse_sections(bold))[-1] == "II.2.4"
    long_body = make_text(base + ["2.4. " + "học sinh giỏi các cấp, " * 12])
    assert ids(parse_sections(long_body))[-1] == "II.2.2.3"
    too_far = make_text(base + ["2.9. Về học sinh giỏi"])
    assert ids(parse_sections(too_far))[-1] == "II.2.2.3"


def test_first_child_must_start_at_one():
    t = make_text(["I. MỤC ĐÍCH", "2. Không phải đề mục vì chưa có mục 1 ở trước nó trong phần này "
                   "và dòng này lại rất dài, kéo dài như một đoạn văn bình thường của văn bản hành chính, "
                   "có cả dấu phẩy và kết thúc bằng dấu chấm.",
                   "b) cũng không phải"])
    assert ids(parse_sections(t)) == ["I"]


def test_roman_and_letter_readings():
    assert roman_value("IV") == 4 and roman_value("XIV") == 14
    assert roman_value("IIII") is None and roman_value("VX") is None
    styles = {c.style for c in candidates("I. MỤC ĐÍCH")}
    assert styles == {"roman", "upper"}
    assert [c.style for c in candidates("II- NỘI DUNG")] == ["roman"]
    assert [c.label for c in candidates("2.2.1. Tiểu học")] == ["2.2.1"]
    assert [c.label for c in candidates("1.1 Tiểu học")] == ["1.1"]
    assert candidates("2021 - 2030; Chương trình") == []
    assert candidates("1.000 học sinh") == []
    assert [c.label for c in candidates("đ) Điểm")] == ["đ"]
    assert candidates("f) không") == []
    assert candidates("Mục tiêu chung") == []
    assert candidates("V/v triển khai") == []


def test_heading_text_cut():
    assert heading_text("Các phòng ban chuyên môn của thành phố: Căn cứ chức năng nhiệm vụ") == \
        "Các phòng ban chuyên môn của thành phố"
    assert heading_text("Nhiệm vụ cụ thể: (Có biểu kèm theo).") == "Nhiệm vụ cụ thể"
    assert heading_text("MỘT SỐ CHỈ TIÊU NĂM HỌC 2024 - 2025:") == "MỘT SỐ CHỈ TIÊU NĂM HỌC 2024 - 2025"
    assert heading_text("Phòng Giáo dục. Chủ trì thực hiện") == "Phòng Giáo dục"
    assert heading_text("Tăng cường công tác; xây dựng đội ngũ") == "Tăng cường công tác; xây dựng đội ngũ"
    assert heading_text("Họp lúc 7:30 sáng") == "Họp lúc 7:30 sáng"
    long = heading_text("từ " * 200)
    assert 100 < len(long) <= 250 and not long.endswith(" ")


def test_footer_detection():
    t = make_text(["I. NHIỆM VỤ", "Nội dung dài " * 30, "Nơi nhận:", "- Như trên;", "TM. ỦY BAN NHÂN DÂN",
                   "CHỦ TỊCH", "Nguyễn Văn An"])
    assert find_footer(t) == (2, 7)
    # a body paragraph after a "KT." line means it was not the footer
    t2 = make_text(["I. NHIỆM VỤ", "KT. Kiểm tra định kỳ", "Nội dung dài " * 30])
    assert find_footer(t2) is None


def test_empty_and_headingless_text():
    assert parse_sections(make_text(["Chỉ có một đoạn văn."])) == []
    assert parse_sections(Text("", [])) == []


# --------------------------------------------------------------------------- adversarial

@pytest.mark.parametrize("line", [
    "1." * 50000,
    "1.1)" * 25000,
    "".join(random.Random(7).choice("0123456789.)") for _ in range(100_000)),
    "I." + "1" * 100_000,
    "a)" + ")" * 100_000,
])
def test_long_line_of_digits_dots_parens_is_fast(line):
    t = normalise_string(line)
    t0 = time.perf_counter()
    parse_sections(t)
    assert time.perf_counter() - t0 < 1.0


def test_many_lines_are_linear():
    rows = ["I. NHIỆM VỤ"] + [f"{i}. Việc số {i}" for i in range(1, 1000)]
    rows += [f"{k}. dòng văn bản thường số {k}" for k in range(3000)]
    t = make_text(rows)
    t0 = time.perf_counter()
    secs = parse_sections(t)
    assert time.perf_counter() - t0 < 2.0
    assert len(secs) == 1000 and secs[-1].id == "I.999"


# --------------------------------------------------------------------------- legal-site layouts
# Table: rows as make_text takes them → (id, heading) of every section, in order.

B = True  # bold
LAYOUTS = {
    "regulation attached after the decision's signature restarts its numbering": (
        ["QUYẾT ĐỊNH:", ("para", "Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.", B),
         ("para", "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", B),
         ("para", "Điều 3. Chánh Văn phòng và các đơn vị liên quan chịu trách nhiệm thi hành.", B),
         "Nơi nhận:", "- Như Điều 3;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An",
         ("para", "QUY CHẾ", B), "LÀM VIỆC CỦA ỦY BAN NHÂN DÂN XÃ",
         "(Ban hành kèm theo Quyết định số 12/2025/QĐ-UBND ngày 05 tháng 3 năm 2025)",
         ("para", "Chương I", B), ("para", "QUY ĐỊNH CHUNG", B),
         ("para", "Điều 1. Phạm vi điều chỉnh", B), "1. Quy chế này quy định về chế độ làm việc.",
         ("para", "Điều 2. Đối tượng áp dụng", B), ("para", "Chương II", B), ("para", "NỘI DUNG", B),
         ("para", "Điều 3. Nguyên tắc làm việc", B)],
        [("D1", "Ban hành kèm theo Quyết định này Quy chế làm việc"),
         ("D2", "Quyết định này có hiệu lực kể từ ngày ký"),
         ("D3", "Chánh Văn phòng và các đơn vị liên quan chịu trách nhiệm thi hành"),
         ("VB", "QUY CHẾ LÀM VIỆC CỦA ỦY BAN NHÂN DÂN XÃ"), ("VB.C1", "QUY ĐỊNH CHUNG"),
         ("VB.C1.D1", "Phạm vi điều chỉnh"), ("VB.C1.D1.1", "Quy chế này quy định về chế độ làm việc"),
         ("VB.C1.D2", "Đối tượng áp dụng"), ("VB.C2", "NỘI DUNG"), ("VB.C2.D3", "Nguyên tắc làm việc")]),
    "a chapter numbered on in the same law is no restart": (
        ["Chương I", "QUY ĐỊNH CHUNG", "Điều 1. Phạm vi", "Chương II", "QUY CHẾ MẪU",
         "(Kèm theo Phụ lục số 2)", "Điều 2. Nội dung"],
        [("C1", "QUY ĐỊNH CHUNG"), ("C1.D1", "Phạm vi"), ("C2", "QUY CHẾ MẪU"), ("C2.D2", "Nội dung")]),
    "division word wrapped away from its number; name on the next lines": (
        [("para", "Chương", B), "I", ("para", "QUY", B), "ĐỊNH CHUNG", ("para", "Điều", B),
         "1. Phạm vi điều chỉnh", "Quy định này áp dụng trong tỉnh.", ("para", "Điều 2.", B),
         "Đối tượng áp dụng", "1. Cơ quan nhà nước.", ("para", "Điều 3.", B),
         "Nguyên tắc hoạt động 1. Quỹ hoạt động không vì mục đích lợi nhuận."],
        [("C1", "QUY ĐỊNH CHUNG"), ("C1.D1", "Phạm vi điều chỉnh"), ("C1.D2", "Đối tượng áp dụng"),
         ("C1.D2.1", "Cơ quan nhà nước"), ("C1.D3", "Nguyên tắc hoạt động")]),
    "points after a quoted numbered item that fits nowhere stay body text": (
        ["I. NHIỆM VỤ", "1. Nghỉ lễ của người lao động", "Theo Điều 112 Bộ luật Lao động:",
         "1. Người lao động được nghỉ làm việc trong những ngày lễ sau đây:",
         "a) Tết Dương lịch: 01 ngày;", "b) Tết Âm lịch: 05 ngày.", "2. Tổ chức thực hiện"],
        [("I", "NHIỆM VỤ"), ("I.1", "Nghỉ lễ của người lao động"), ("I.2", "Tổ chức thực hiện")]),
    "appendices of a form printed inside an appendix nest under it": (
        [("para", "PHỤ", B), ("para", "LỤC III MẪU HỢP ĐỒNG MUA BÁN ĐIỆN", False),
         ("para", "Điều 1. Định nghĩa", B), ("para", "Điều 2. Hiệu lực", B),
         ("para", "Phụ lục I", B), ("para", "CÁC THÔNG", B), "SỐ CỦA NHÀ MÁY",
         ("para", "Phụ lục II", B), ("para", "I. VỊ TRÍ LẮP ĐẶT VÀ", B), "TÍNH NĂNG CỦA HỆ THỐNG ĐO",
         ("para", "PHỤ LỤC IV", B), "BIỂU MẪU"],
        [("PL.III", "MẪU HỢP ĐỒNG MUA BÁN ĐIỆN"), ("PL.III.D1", "Định nghĩa"), ("PL.III.D2", "Hiệu lực"),
         ("PL.III.PL.I", "CÁC THÔNG SỐ CỦA NHÀ MÁY"), ("PL.III.PL.II", ""),
         ("PL.III.PL.II.I", "VỊ TRÍ LẮP ĐẶT VÀ TÍNH NĂNG CỦA HỆ THỐNG ĐO"), ("PL.IV", "BIỂU MẪU")]),
}


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_legal_site_layouts(name):
    rows, want = LAYOUTS[name]
    assert [(s.id, s.heading) for s in parse_sections(make_text(rows))] == want


def test_attached_regulation_is_its_own_part():
    rows = LAYOUTS["regulation attached after the decision's signature restarts its numbering"][0]
    t = make_text(rows)
    secs = {s.id: s for s in parse_sections(t)}
    vb = secs["VB"]
    assert vb.kind == "attachment" and vb.level == 1 and vb.parent is None
    assert t.text[vb.start:].startswith("QUY CHẾ") and vb.end == len(t.text)
    assert secs["VB.C1"].parent == "VB" and secs["VB.C1"].level == 2
    assert secs["D3"].end <= t.text.find("Nơi nhận")
    assert find_footer(t) == (4, 10)  # the footer stops at the attached title
