"""notebooks/lineage.ipynb is executed top to bottom (nbclient, a real IPython kernel), so the
worked example cannot go stale: a cell that raises, or an assertion in it that no longer holds,
fails this test."""
from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat not installed (pip install -e '.[test]')")
nbclient = pytest.importorskip("nbclient", reason="nbclient not installed (pip install -e '.[test]')")
pytest.importorskip("ipykernel", reason="ipykernel not installed (pip install -e '.[test]')")
pytest.importorskip("matplotlib", reason="matplotlib not installed (pip install -e '.[test]')")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "lineage.ipynb"


def test_lineage_notebook_runs(tmp_path, monkeypatch):
    db = tmp_path / "notebook.db"
    # the kernel inherits the environment: the notebook writes here, not into outputs/
    monkeypatch.setenv("DIRECTIVES_NOTEBOOK_DB", str(db))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "224-KH/ThU" in text and "91-KL/TW" in text and "29-NQ/TW" in text
    assert "→ 224-KH/ThU → 91-KL/TW" in text  # a deadline of 004, with its chain
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2  # the lineage graph and the deadline timeline
    assert db.is_file()


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None
