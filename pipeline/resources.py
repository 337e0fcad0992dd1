"""Loads the data under `models/` (patterns, type abbreviations, issuers, time words).

Data stays outside the code, as eyecite keeps its reporters: adding a document type or an issuer
abbreviation is a data change with a test. Files are read once per process and cached.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

def _models_dir() -> Path:
    """Where the data is: $DIRECTIVES_MODELS; else `pipeline/models/` inside an installed wheel
    (pyproject maps the top-level `models/` there); else `models/` beside the package in a
    checkout (an editable install)."""
    if os.environ.get("DIRECTIVES_MODELS"):
        return Path(os.environ["DIRECTIVES_MODELS"])
    here = Path(__file__).resolve().parent
    shipped = here / "models"
    if (shipped / "doc_types.json").is_file():
        return shipped
    return here.parent / "models"


MODELS_DIR = _models_dir()


@lru_cache(maxsize=None)
def load(name: str):
    """`load("doc_types")` → parsed `models/doc_types.json`."""
    path = MODELS_DIR / f"{name}.json"
    with open(path, encoding="utf-8") as f:
        return json.load(f)
