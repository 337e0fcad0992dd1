"""The README's examples are run, so they cannot drift from the code (as sqlite-utils does).

* The Quick start holds exactly two commands in one fenced block.
* Every command of the CLI table is a real subcommand with help text.
* Every ```python block runs, in order, in a scratch folder holding the bundled corpus; a line
  `expression  # literal` must evaluate to that literal.
"""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.M | re.S)
    assert m, f"README has no '## {title}' section"
    return m.group(1)


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", text, re.M | re.S)


def test_quick_start_is_two_commands_in_one_block():
    blocks = re.findall(r"^```\w*\n(.*?)^```", _section("Quick start"), re.M | re.S)
    assert len(blocks) == 1
    commands = [ln for ln in blocks[0].splitlines() if ln.strip()]
    assert len(commands) == 2
    assert commands[0].startswith("pip install -e .") and "directives demo" in commands[0]
    assert commands[1].startswith('pip install -e ".[test]"') and commands[1].endswith("pytest")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r'pip install [^\n]*-e "\.\[test\]"', ci)
    assert re.search(r"^python3 -m pytest\s*$", ci, re.M)


def _table_commands() -> list[str]:
    names = []
    for m in re.finditer(r"^\| `directives ([a-z-]+)", _section("Command line"), re.M):
        names.append(m.group(1))
    # "`directives stats` / `directives ambiguities`": both halves of a row
    names += re.findall(r"^\|[^|\n]*/ `directives ([a-z-]+)`", _section("Command line"), re.M)
    return names


def test_every_command_in_the_table_exists():
    from pipeline.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    listed = _table_commands()
    assert len(listed) >= 15
    missing = [c for c in listed if c not in sub.choices]
    assert not missing, f"README lists commands the CLI lacks: {missing}"
    for name in listed:
        assert sub.choices[name].format_help().strip()


def _split_comment(line: str) -> tuple[str, str | None]:
    """'code   # comment' → (code, comment); a '#' inside a string is not a comment."""
    m = re.match(r"^(.*?\S)\s{2,}#\s?(.*)$", line)
    if not m:
        return line, None
    code = m.group(1)
    try:
        ast.parse(code)
    except SyntaxError:
        return line, None
    return code, m.group(2)


def _literal(comment: str | None):
    if comment is None:
        return None, False
    try:
        return ast.literal_eval(comment.strip()), True
    except (ValueError, SyntaxError):
        return None, False


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    (tmp_path / "corpus").symlink_to(ROOT / "corpus", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_python_examples_run_and_give_what_they_say(scratch):
    blocks = _blocks(README, "python")
    assert len(blocks) >= 3
    ns: dict = {"text": (ROOT / "corpus" / "004_ba6238f9405d9d7b.txt").read_text(encoding="utf-8")}
    checked = 0
    values: dict[str, object] = {}  # the value of each expression line, by its code
    for block in blocks:
        for line in block.splitlines():
            if not line.strip():
                continue
            code, comment = _split_comment(line)
            value, is_literal = _literal(comment)
            tree = ast.parse(code)
            if is_literal and len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr):
                got = eval(compile(ast.Expression(tree.body[0].value), "README", "eval"), ns)
                assert got == value, f"README line {code!r} gives {got!r}, says {value!r}"
                checked += 1
            elif len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr):
                values[code] = eval(compile(ast.Expression(tree.body[0].value), "README", "eval"), ns)
            else:
                exec(compile(tree, "README", "exec"), ns)
    assert checked >= 2
    # what the examples claim in words, checked on what they returned
    assert not ns["report"].failed and ns["report"].ingested == 5
    lineage = {code.split("(")[0]: v for code, v in values.items() if code.startswith("graph.")}
    assert set(lineage) == {"graph.cited_by", "graph.implementers", "graph.trace",
                            "graph.coverage", "graph.validity"}
    assert lineage["graph.validity"]["status"] == "no change known"
    assert all(lineage.values()), "every lineage example returns something on the corpus"
    assert "29-NQ/TW" in repr(lineage["graph.trace"])
    assert (scratch / "outputs" / "directives.db").exists()


def test_documented_console_example_matches_extract(scratch):
    """The `directives extract ... --format json` excerpt shows the first citation of 004."""
    out = subprocess.run([sys.executable, "-m", "pipeline", "extract",
                          "corpus/004_ba6238f9405d9d7b.txt", "--format", "json"],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    import json

    first = json.loads(out.stdout)["citations"][0]
    shown = re.search(r'"citations": \[\{"key": "([^"]+)"', README).group(1)
    assert first["key"] == shown
    for field in ("issuer", "relation", "date", "position"):
        m = re.search(rf'"{field}": "([^"]+)"', README.split('"citations": [', 1)[1])
        assert m and first[field] == m.group(1), field
