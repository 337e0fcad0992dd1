"""Shared pytest configuration."""


def pytest_configure(config):
    # tests that ingest the bundled corpus/ end to end (they need the full extraction pipeline)
    config.addinivalue_line("markers", "corpus: ingests the bundled corpus/ end to end")
