"""Loads the data under `models/` (patterns, type abbreviations, issuers, time words).

Data stays outside the code, as eyecite keeps its reporters: adding a document type or an issuer
abbreviation is a data change with a test. Files are read once per process and cached.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

MODELS_DIR = Path(os.environ.get("DIRECTIVES_MODELS", Path(__file__).resolve().parent.parent / "models"))


@lru_cache(maxsize=None)
def load(name: str):
    """`load("doc_types")` → parsed `models/doc_types.json`."""
    path = MODELS_DIR / f"{name}.json"
    with open(path, encoding="utf-8") as f:
        return json.load(f)
