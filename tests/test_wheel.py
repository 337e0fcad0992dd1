"""A wheel built from the checkout installs and works outside it: extraction (which needs the
data under models/), ingest, a lineage query and the CLI, from a folder that is not the checkout.

The fresh venv sees the test environment's packages (--system-site-packages) so that nothing is
downloaded; the wheel itself is installed into the venv and must be what Python imports.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import sys
from pathlib import Path
import pipeline, pipeline.resources
venv = Path(sys.argv[1]).resolve()
assert Path(pipeline.__file__).resolve().is_relative_to(venv), pipeline.__file__
assert Path(pipeline.resources.MODELS_DIR).resolve().is_relative_to(venv), pipeline.resources.MODELS_DIR
from pipeline import extract_file, graph, ingest, open_db
corpus = Path(sys.argv[2])
rec = extract_file(corpus / "004_ba6238f9405d9d7b.txt")
assert rec.to_dict()["citations"][0]["key"] == "224-KH/ThU"
assert rec.deadlines
report = ingest([str(corpus)], "out.db")
assert report.ingested == 5 and not report.failed, report
found = graph.implementers(open_db("out.db"), "91-KL/TW", transitive=True)["implementers"]
assert {i["node"].get("key") for i in found} >= {"224-KH/ThU"}, found
print("ok")
"""


def test_the_wheel_installs_and_runs_outside_the_checkout(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheels.glob("directives-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True,
                   capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DIRECTIVES_MODELS")}
    out = subprocess.run([str(py), "-c", SCRIPT, str(venv), str(ROOT / "corpus")], cwd=work,
                         env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
    cli = subprocess.run([str(venv / "bin" / "directives"), "deadlines", "--db", "out.db"],
                         cwd=work, env=env, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    assert "deadline" in cli.stdout
