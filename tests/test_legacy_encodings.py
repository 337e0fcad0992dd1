"""Legacy Vietnamese font encodings (TCVN3, VNI, Windows-1258) read as Unicode (readers/legacy.py).

The corpus documents are written out as old offices typed them (legacy_fixtures.py) and must give
the same citations and deadlines as the Unicode originals; text that is neither gets a clear error.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

import legacy_fixtures as lf
from pipeline.extract import extract_file, extract_text
from pipeline.model import DocumentError
from pipeline.normalise import normalise
from pipeline.readers import legacy, read
from pipeline.readers.docx import read_docx

CORPUS = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))
FIXTURES = Path(__file__).parent / "fixtures"

VIETNAMESE = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstu"
              "ùúủũụưừứửữựvxyỳýỷỹỵ")


@pytest.mark.parametrize("encoded, encoding, expected", [
    ("Céng hßa x· héi chñ nghÜa ViÖt Nam", "tcvn3", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "tcvn3", "Độc lập - Tự do - Hạnh phúc"),
    ("ng\u00adêi d©n", "tcvn3", "người dân"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "vni", "Độc lập - Tự do - Hạnh phúc"),
    ("ngöôøi daân", "vni", "người dân"),
    ("COÄNG HOØA XAÕ HOÄI", "vni", "CỘNG HÒA XÃ HỘI"),
    ("Nghò ñònh soá 71/2020/NÑ-CP", "vni", "Nghị định số 71/2020/NĐ-CP"),
])
def test_conversion_table(encoded, encoding, expected):
    assert legacy.convert(encoded, encoding) == expected


@pytest.mark.parametrize("encoded, expected", [
    # capitals with tone marks have no TCVN3 code: restored from their word and their line
    ("CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("ñY BAN NH¢N D¢N TØNH LAI CH¢U", "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU"),
    ("KÕ HO¹CH", "KẾ HOẠCH"),
    # a capital then lower-case letters is a capitalised word, and 'Số:' beside a symbol stays
    ("Sè: 12/KH-UBND", "Số: 12/KH-UBND"),
    ("KÕ ho¹ch nµy", "Kế hoạch này"),
    # a sentence's first letter with a tone mark; 'Ủy ban' opens a body's name
    ("Thùc hiÖn.\nñy ban nh©n d©n", "Thực hiện.\nỦy ban nhân dân"),
    ("cña ñy ban nh©n d©n tØnh", "của Ủy ban nhân dân tỉnh"),
])
def test_tcvn3_plain_text_capitals(encoded, expected):
    assert legacy.repair_as(encoded, "tcvn3") == expected


def test_every_vietnamese_letter_round_trips():
    letters = VIETNAMESE + VIETNAMESE.upper()
    assert legacy.vni_to_unicode(legacy.unicode_to_vni(letters)) == letters
    # TCVN3 keeps capitals with tone marks only through an H font
    assert legacy.tcvn3_to_unicode(legacy.unicode_to_tcvn3(VIETNAMESE)) == VIETNAMESE
    assert legacy.tcvn3_to_unicode(legacy.unicode_to_tcvn3(VIETNAMESE.upper()),
                                   capitals=True) == VIETNAMESE.upper()


@pytest.mark.parametrize("font, expected", [
    (".VnTime", ("tcvn3", False)), (".VnTimeH", ("tcvn3", True)), (".VnArial", ("tcvn3", False)),
    (".VnArialH", ("tcvn3", True)), ("VNI-Times", ("vni", False)), ("VNI-Helve", ("vni", False)),
    ("Times New Roman", None), (None, None), ("", None),
])
def test_font_names(font, expected):
    assert legacy.font_encoding(font) == expected


def _cites(rec):
    return sorted(((c.key, c.issuer, c.relation, c.date, c.section) for c in rec.citations),
                  key=repr)


def _deadlines(rec):
    return [(d.kind, d.value, d.agency) for d in rec.deadlines]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:3])
def test_corpus_text_in_legacy_encodings_gives_the_same_extraction(path, tmp_path):
    text = lf.plain(path.read_text(encoding="utf-8"))
    (tmp_path / "u.txt").write_text(text, encoding="utf-8")
    ref = extract_file(tmp_path / "u.txt")
    assert ref.text.meta.get("reading") is None  # Unicode text is never "converted"
    assert ref.citations
    versions = {
        "tcvn3": lf.text_bytes(text, "tcvn3"),
        "vni": lf.text_bytes(text, "vni"),
        # a TCVN3 file once converted to UTF-8 as if it were Latin-1: the mojibake is stored
        "tcvn3-utf8": legacy.unicode_to_tcvn3(text).encode("utf-8"),
        "cp1258": lf.cp1258_bytes(text),
    }
    for name, data in versions.items():
        f = tmp_path / f"{name}.txt"
        f.write_bytes(data)
        rec = extract_file(f)
        assert rec.text.meta["reading"]["encoding"] == name.split("-")[0], name
        assert _cites(rec) == _cites(ref), name
        assert _deadlines(rec) == _deadlines(ref), name
        assert rec.header.key == ref.header.key and rec.header.issuer == ref.header.issuer, name


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:3])
def test_corpus_docx_in_legacy_fonts_gives_the_same_extraction(path):
    unicode_docx = lf.docx_from_text(lf.plain(path.read_text(encoding="utf-8")))
    ref = extract_text(normalise(read_docx("u.docx", unicode_docx)))
    for encoding in ("tcvn3", "vni"):
        raw = read_docx("x.docx", lf.docx_bytes(unicode_docx, encoding))
        assert raw.meta["reading"] == {"encoding": encoding}
        rec = extract_text(normalise(raw))
        assert _cites(rec) == _cites(ref), encoding
        assert _deadlines(rec) == _deadlines(ref), encoding


def test_the_word_fixture_in_legacy_fonts_keeps_every_block():
    """plan.docx: the two-column header table, bold headings, footnotes with references."""
    data = (FIXTURES / "plan.docx").read_bytes()
    ref = read_docx("plan.docx", data)
    for encoding in ("tcvn3", "vni"):
        raw = read_docx("x.docx", lf.docx_bytes(data, encoding))
        assert [b.text for b in raw.blocks] == [b.text for b in ref.blocks]
        assert [b.kind for b in raw.blocks] == [b.kind for b in ref.blocks]


def test_docx_without_font_names_is_decided_from_its_text():
    text = lf.plain(CORPUS[0].read_text(encoding="utf-8"))
    mojibake = lf.docx_from_text(legacy.unicode_to_tcvn3(text))  # Calibri runs, TCVN3 codes
    raw = read_docx("x.docx", mojibake)
    assert raw.meta["reading"] == {"encoding": "tcvn3"}
    ref = extract_text(normalise(read_docx("u.docx", lf.docx_from_text(text))))
    assert _cites(extract_text(normalise(raw))) == _cites(ref)


@pytest.mark.parametrize("data", [
    "Ceci est un texte français écrit en Latin-1, où l'on lit déjà des accents.".encode("latin-1"),
    bytes(range(128, 256)) * 20,
    "Ðây là mµ ?".encode("latin-1") * 3,
])
def test_undecidable_bytes_are_refused_with_a_reason(tmp_path, data):
    f = tmp_path / "x.txt"
    f.write_bytes(data)
    with pytest.raises(DocumentError) as e:
        read(f)
    assert "not valid UTF-8" in e.value.reason and "TCVN3, VNI" in e.value.reason
    assert str(f) in str(e.value)


def test_unicode_pages_full_of_latin1_signs_stay_as_they_are():
    # a list of office holders separated by middle dots, degrees and superscripts: not TCVN3
    text = " · ".join(["Nguyễn Văn Thinh (1946)", "Lê Văn Hoạch (1946-1947)",
                       "Tọa độ: 20°26′16″B", "Vũ Tuân¹ (1981–1986)"] * 10)
    assert legacy.repair(text) == (text, None)


@pytest.mark.parametrize("junk", ["ôù" * 50_000, "aù" * 50_000, "¸" * 100_000,
                                  "CéNG " * 20_000, "\n" * 100_000, "ñ" * 100_000])
def test_conversion_is_linear_on_hostile_input(junk):
    def best(s):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            legacy.repair_as(s, "tcvn3")
            legacy.vni_to_unicode(s)
            legacy.decode_bytes(s.encode("utf-8"))
            times.append(time.perf_counter() - t0)
        return min(times)
    small, large = best(junk[: len(junk) // 4]), best(junk)
    assert large < max(small, 1e-3) * 4 * 3
