"""Loads the data under `models/` (patterns, type abbreviations, issuers, time words).

Data stays outside the code, as eyecite keeps its reporters: adding a document type or an issuer
abbreviation is a data change with a test. Files are read once per process and cached.
"""
from __future__ import annotations

import json
import os
from importlib import resources
from functools import lru_cache
from pathlib import Path

def _models_dir() -> Path:
    """Where the data is: $DIRECTIVES_MODELS; else the package data `pipeline.models` (an
    installed wheel: pyproject maps the top-level `models/` there), found with importlib.resources;
    else `models/` beside the package (a checkout used without installing it)."""
    if os.environ.get("DIRECTIVES_MODELS"):
        return Path(os.environ["DIRECTIVES_MODELS"])
    try:
        probe = resources.files("pipeline.models").joinpath("doc_types.json")
    except ModuleNotFoundError:  # not installed: a checkout on sys.path
        probe = None
    if probe is not None and probe.is_file():
        return Path(str(probe)).parent  # a data folder (no __init__.py): a real directory
    return Path(__file__).resolve().parent.parent / "models"


MODELS_DIR = _models_dir()


@lru_cache(maxsize=None)
def load(name: str):
    """`load("doc_types")` → parsed `models/doc_types.json`."""
    path = MODELS_DIR / f"{name}.json"
    with open(path, encoding="utf-8") as f:
        return json.load(f)
