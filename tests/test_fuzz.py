"""Hostile text cannot make extraction slow or crash it.

Hypothesis throws random strings, strings built from the tokens the grammars look for (numbers,
dates, document types, section markers, Markdown, combining marks, zero-width characters) and
long repetitions of each at every extractor. Each call must return (never raise) within a time
budget that grows linearly with the input: a super-linear pattern shows up as a blown budget.

More examples: DIRECTIVES_FUZZ_EXAMPLES=2000 python3 -m pytest tests/test_fuzz.py
"""
from __future__ import annotations

import os
import gc
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.citations import extract_citations
from pipeline.deadlines import extract_deadlines
from pipeline.extract import extract_string, extract_text
from pipeline.header import parse_header
from pipeline.model import DocumentError
from pipeline.normalise import normalise, normalise_string
from pipeline.readers import read
from pipeline.readers.text import read_text
from pipeline.sections import parse_sections

N = int(os.environ.get("DIRECTIVES_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=N, deadline=None, derandomize=not os.environ.get(
    "DIRECTIVES_FUZZ_RANDOM"), database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example])

# Budget: 1 s plus 100 µs a character (10 K chars/s; the pipeline does ~1 M chars/s on real text,
# and its worst linear case found so far, a text made only of "định kỳ", ~20 K chars/s). A
# quadratic pattern blows it by orders of magnitude on the long examples.
BASE_S, PER_CHAR_S = 1.0, 100e-6

TOKENS = [
    "Số", "số:", "Số: 12/2024/QĐ-UBND", "12/QĐ-UBND", "123/KH-UBND", "01/2021/NĐ-CP", "29-NQ/TW",
    "NQ-CP", "/", "-", "–", "ngày", "tháng", "năm", "ngày 31 tháng 12 năm 2024", "31/12/2024",
    "32/13/2024", "0/0/0", "2024", "99999999999999999999", "Điều 1.", "Điều", "Khoản 2",
    "Chương I", "Mục 1", "Phần II", "Phụ lục", "I.", "II.", "1.", "1.1.", "a)", "-", "+", "*",
    "**", "***", "#", "######", "|", "| a | b |", "|---|---|", "\n", "\n\n", " ", "\t", "\r",
    "\u0301", "\u0323", "\u200b", "\ufeff", "\u00a0", "<sup>1</sup>", "¹", "Luật", "Bộ luật",
    "Nghị định", "Nghị quyết", "Thông tư", "Quyết định", "Kế hoạch", "Chỉ thị", "Công văn",
    "của", "Bộ", "Bộ Tài chính", "UBND", "ỦY BAN NHÂN DÂN", "TỈNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA",
    "Căn cứ", "sửa đổi, bổ sung", "thay thế", "bãi bỏ", "hướng dẫn", "(", ")", "[", "]", "“", "”",
    "\"", "'", "…", ".", ",", ";", ":", "trước ngày", "chậm nhất", "hoàn thành", "trong quý",
    "quý IV", "6 tháng đầu năm", "Hằng năm,", "hàng tháng", "định kỳ", "từ ngày", "đến ngày",
    "giai đoạn 2021-2025", "chủ trì", "phối hợp", "Sở Tài chính", "Nơi nhận:", "KT. CHỦ TỊCH",
    "TM.", "Nguyễn Văn A", "<br>", "&nbsp;", "\\", "\x00", "\x1b[31m", "𝐃𝐢𝐞̂̀𝐮", "ｓố", "DIEU",
]

token_text = st.lists(st.sampled_from(TOKENS) | st.text(max_size=8), max_size=400).map(
    lambda parts: " ".join(parts))
random_text = st.text(max_size=3000)
repeated = st.builds(lambda toks, n, sep: sep.join(toks) * n,
                     st.lists(st.sampled_from(TOKENS), min_size=1, max_size=4),
                     st.integers(1, 4000), st.sampled_from(["", " ", "\n", ", "]))
one_long_line = st.builds(lambda t, n: (t + " ") * n, st.sampled_from(TOKENS),
                          st.integers(1000, 20000))
hostile = st.one_of(token_text, random_text, repeated, one_long_line)


def within_budget(fn, text: str):
    t0 = time.perf_counter()
    out = fn()
    elapsed = time.perf_counter() - t0
    budget = BASE_S + PER_CHAR_S * len(text)
    assert elapsed <= budget, f"{elapsed:.2f} s on {len(text)} chars (budget {budget:.2f} s)"
    return out


@FUZZ
@given(hostile)
def test_whole_pipeline_on_a_string(s):
    rec = within_budget(lambda: extract_string(s, "fuzz.txt"), s)
    assert rec.to_dict()["document"] is not None  # and the output serialises


@FUZZ
@given(hostile)
def test_each_stage(s):
    text = within_budget(lambda: normalise_string(s, "fuzz.md"), s)
    header = within_budget(lambda: parse_header(text), s)
    sections = within_budget(lambda: parse_sections(text), s)
    for sec in sections:
        assert 0 <= sec.start <= sec.end <= len(text.text)
    cits, rels, named = within_budget(
        lambda: extract_citations(text, header=header, sections=sections), s)
    for c in cits:
        assert 0 <= c.start <= c.end <= len(text.text)
    within_budget(lambda: extract_citations(s), s)  # the bare-string entry point
    dls = within_budget(lambda: extract_deadlines(
        text, doc_date=header.best_date(), sections=sections,
        masks=[(c.start, c.end) for c in cits]), s)
    for d in dls:
        assert 0 <= d.start <= d.end <= len(text.text)
    within_budget(lambda: extract_deadlines(text), s)


@FUZZ
@given(hostile, st.sampled_from(["fuzz.txt", "fuzz.md"]))
def test_text_reader_on_encoded_text(s, name):
    data = s.encode("utf-8", "surrogatepass")
    try:
        raw = within_budget(lambda: read_text(name, data), s)
    except DocumentError:
        return  # e.g. NUL bytes or lone surrogates: a clear refusal is the right answer
    within_budget(lambda: extract_text(normalise(raw)),
                  s)


@FUZZ
@given(st.binary(max_size=4000),
       st.sampled_from(["x.txt", "x.md", "x.docx", "x.pdf"]),
       st.sampled_from([b"", b"PK\x03\x04", b"%PDF-1.4\n", b"\xef\xbb\xbf", b"\xff\xfe",
                        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]))
def test_readers_on_random_bytes_raise_only_document_errors(tmp_path_factory, data, name, magic):
    path = tmp_path_factory.mktemp("fz") / name
    path.write_bytes(magic + data)
    try:
        raw = within_budget(lambda: read(path), data)
    except DocumentError as e:
        assert e.reason and "\n" not in e.reason
        return
    within_budget(lambda: extract_text(normalise(raw)),
                  data)


@pytest.mark.parametrize("token", ["31/12/2024 ", "Hằng năm, ", "12/QĐ-UBND ", "Điều 1. ",
                                   "(", "“", "1/", "| a |\n", "Căn cứ Luật ", "ngày ", "\u0301",
                                   "**", "# ", "định kỳ "])
def test_long_repetitions_stay_linear(token):
    """The same token 2 000 and 8 000 times: 4x the input may cost at most ~6x the time (a
    quadratic step would cost 16x). Each the best of five runs with the garbage collector off
    while timing, as timeit does, so a busy machine or a collection does not decide."""
    def cost(n: int) -> float:
        s = token * n
        best = float("inf")
        for _ in range(5):
            gc.collect()
            gc.disable()
            try:
                t0 = time.perf_counter()
                extract_string(s, "rep.txt")
                best = min(best, time.perf_counter() - t0)
            finally:
                gc.enable()
        return best

    cost(200)  # warm the caches
    small, big = cost(2000), cost(8000)
    assert big <= max(6 * small, 0.5), f"{token!r}: {small:.3f} s → {big:.3f} s"


def test_the_growth_check_catches_quadratic_work():
    """tests/linearity.py fails a step whose cost grows with the square of the input."""
    from linearity import assert_linear

    def quadratic(s: str) -> int:
        return sum(s.count(ch, i) for i, ch in enumerate(s))

    assert_linear(len, lambda n: "a" * n, 10_000)  # linear passes
    with pytest.raises(AssertionError, match="for 4x the input"):
        assert_linear(quadratic, lambda n: "ab" * n, 2_000)
