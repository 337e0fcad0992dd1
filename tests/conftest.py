"""Shared pytest configuration, and the bundled corpus ingested once per test session."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    # tests that ingest the bundled corpus/ end to end (they need the full extraction pipeline)
    config.addinivalue_line("markers", "corpus: ingests the bundled corpus/ end to end")


@pytest.fixture(scope="session")
def corpus_db_path(tmp_path_factory) -> Path:
    """corpus/ ingested once for the whole session (read it; copy it to change it)."""
    from pipeline.ingest import ingest

    path = tmp_path_factory.mktemp("corpus-db") / "corpus.db"
    report = ingest([ROOT / "corpus"], path, workers=0)
    assert not report.failed and report.ingested == 5, report
    return path


def copy_db(src: Path, dst: Path) -> Path:
    """A consistent copy of a database (SQLite's backup: whatever sits in its WAL comes along)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


@pytest.fixture
def corpus_db_copy(corpus_db_path, tmp_path) -> Path:
    """A copy of the ingested corpus that a test may change."""
    return copy_db(corpus_db_path, tmp_path / "corpus-copy.db")
