"""The layering the README's "How it is built" describes, checked on the source: no import
cycles, SQL only in the storage and graph packages, no module past ~600 lines without a reason
written at its top. Each check reads the code with `ast`, so a new violation fails here."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"
SQL_PACKAGES = ("pipeline.storage", "pipeline.graph")
SQL_CALLS = {"execute", "executemany", "executescript", "query", "connect"}
LONG = 600
LONG_REASON = "Why this file is long:"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _imports(name: str) -> set[str]:
    """The project modules `name` imports, at module level or inside functions."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    base = name if _is_package(name) else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                pkg = base
                for _ in range(node.level - 1):
                    pkg = pkg.rpartition(".")[0]
                target = f"{pkg}.{node.module}" if node.module else pkg
            else:
                target = node.module or ""
            for a in node.names:
                if f"{target}.{a.name}" in MODULES:  # `from . import graph`: the module itself
                    found.add(f"{target}.{a.name}")
                elif target in MODULES:              # a name defined in `target`
                    found.add(target)
    found.discard(name)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _import_graph() -> dict[str, set[str]]:
    graph = {m: _imports(m) for m in MODULES}
    # a package's own __init__ re-exporting its modules is how a package shows its API; a module
    # importing its parent package back is the cycle to catch, so both edges stay
    return graph


def test_no_import_cycles():
    assert _cycles(_import_graph()) == []


def test_the_cycle_check_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _sql_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in SQL_CALLS:
            owner = ast.unparse(node.func.value)
            if node.func.attr == "connect" and owner != "sqlite3":
                continue
            if node.func.attr == "query" and not (owner.endswith("db") or owner == "conn"):
                continue
            out.append(f"{path.relative_to(ROOT)}:{node.lineno} {owner}.{node.func.attr}")
    return out


def test_only_the_storage_and_graph_packages_run_sql():
    outside = [call for name, path in MODULES.items()
               if not name.startswith(SQL_PACKAGES) for call in _sql_calls(path)]
    assert outside == []


def test_the_sql_check_sees_sql():
    calls = _sql_calls(PACKAGE / "storage" / "documents.py")
    assert any(c.endswith("db.execute") for c in calls)
    assert any("sqlite3.connect" in c for c in calls)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_long_modules_say_why(name):
    path = MODULES[name]
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    if lines <= LONG:
        return
    doc = ast.get_docstring(ast.parse(text)) or ""
    assert LONG_REASON in doc, f"{path.relative_to(ROOT)} has {lines} lines"


def test_an_extraction_stage_loads_without_the_storage_layer():
    import subprocess
    import sys

    code = ("import sys, pipeline.citations, pipeline.deadlines, pipeline.readers; "
            "loaded = [m for m in ('sqlite_utils', 'pipeline.storage', 'pipeline.graph') "
            "if m in sys.modules]; print(loaded)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
