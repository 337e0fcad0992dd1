"""The extractor holds its quality line on the hand-annotated corpus gold (tests/gold/)."""
from pathlib import Path

import pytest

from pipeline.evaluate import evaluate, load_gold

ROOT = Path(__file__).resolve().parent.parent
GOLD = sorted(str(p) for p in (ROOT / "tests" / "gold").glob("*.json"))


@pytest.fixture(scope="module")
def result():
    return evaluate(GOLD, ROOT / "corpus")


def test_gold_covers_the_five_corpus_documents():
    assert sorted(load_gold(GOLD)) == sorted(p.name for p in (ROOT / "corpus").glob("*.txt"))


def test_citation_f1_holds_the_line(result):
    o = result["citations"]["overall"]
    assert o["f1"] >= 0.97, result["citations"]["files"]
    assert o["date_accuracy"] >= 0.95 and o["issuer_accuracy"] >= 0.9
    assert o["relation_accuracy"] >= 0.9


def test_chain_edges_f1(result):
    assert result["citations"]["overall"]["edges"]["f1"] >= 0.9


def test_every_file_is_scored(result):
    for name, r in result["citations"]["files"].items():
        assert r["f1"] >= 0.9, (name, r["missing"], r["spurious"])
