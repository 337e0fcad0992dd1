"""The shared Vietnamese domain facts (pipeline/domain.py), table-driven on real strings."""
from __future__ import annotations

import pytest

from pipeline import domain


def test_units_and_their_committees_come_from_the_data():
    assert domain.UNITS == ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường",
                            "thị trấn")
    assert domain.COMMITTEE_OF_UNIT == {"tỉnh": "tỉnh ủy", "thành phố": "thành ủy",
                                        "huyện": "huyện ủy", "quận": "quận ủy",
                                        "thị xã": "thị ủy"}
    assert domain.UNIT_OF_COMMITTEE["Thành ủy"] == "thành phố"
    assert set(domain.UNIT_OF_COMMITTEE.values()) == set(domain.COMMITTEE_OF_UNIT)


@pytest.mark.parametrize("text, folded", [
    ("ThU", "THU"), ("QĐ", "QD"), ("NÐ", "ND"), ("TƯ", "TW"), ("BGDĐT", "BGDDT"),
])
def test_fold_a_symbol_part(text, folded):
    assert domain.fold(text) == folded


@pytest.mark.parametrize("text, folded", [
    ("Giáo dục", "giao duc"), ("GIÁO DỤC", "giao duc"), ("Đào tạo", "dao tao"),
    ("13/2023/NĐ-CP", "13/2023/nd-cp"), ("Ủy ban nhân dân", "uy ban nhan dan"),
])
def test_fold_words_as_people_type_them(text, folded):
    assert domain.fold_text(text) == folded


@pytest.mark.parametrize("name, key", [
    ("Ban Thường vụ Tỉnh uỷ Lai Châu", "tỉnh ủy lai châu"),
    ("Tỉnh ủy Lai Châu", "tỉnh ủy lai châu"),
    ("Chủ tịch UBND tỉnh Lai Châu", "ủy ban nhân dân tỉnh lai châu"),
    ("UBND  TP. Lai Châu", "ủy ban nhân dân thành phố lai châu"),
    ("Đảng bộ huyện Mường Tè", "huyện ủy mường tè"),
    ("Thủ tướng", "thủ tướng chính phủ"),
    ("", None), (None, None),
])
def test_issuer_comparison_form(name, key):
    assert domain.norm_issuer(name) == key


@pytest.mark.parametrize("issuer, bare", [
    ("tỉnh ủy", True), ("ủy ban nhân dân huyện", True), ("đảng ủy", True),
    ("tỉnh ủy lai châu", False), ("bộ giáo dục và đào tạo", False), (None, False),
])
def test_a_body_named_by_its_level_only(issuer, bare):
    assert domain.is_bare(issuer) is bare


@pytest.mark.parametrize("date, date_text, year, best", [
    ("2024-09-17", "ngày 17 tháng 9 năm 2024", 2024, "2024-09-17"),
    (None, "ngày    tháng 9 năm 2024", 2024, "2024-09"),   # a draft's blank day
    (None, "tháng 13 năm 2024", 2024, "2024"),              # no such month
    (None, None, 2023, "2023"),
    (None, None, None, None),
])
def test_best_date(date, date_text, year, best):
    assert domain.best_date(date, date_text, year) == best


@pytest.mark.parametrize("relations, strongest", [
    (["mentions", "implements", "based_on"], "implements"),
    (["mentions", "amends"], "amends"),
    (["guides", "replaces"], "replaces"),
    ([None, "mentions"], "mentions"),
    ([], "mentions"),
])
def test_strongest_relation(relations, strongest):
    assert domain.strongest(relations) == strongest
    assert domain.relation_rank("implements") == 0
    assert domain.relation_rank("no such relation") == len(domain.RELATION_STRENGTH)
