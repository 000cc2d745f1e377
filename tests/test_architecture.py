"""The import direction of STYLE.md: each module imports only from earlier layers.

Parses every module under src/govgraph with ast; no module is imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "govgraph"

LAYERS = {
    "errors": 0,
    "config": 1,
    "model": 2,
    "ingest": 3,
    "extract": 3,
    "validate": 3,
    "store": 3,
    "queries": 3,
    "export": 3,
    "synth": 3,
    "reference": 3,
    "endpoint": 4,
    "cli": 5,
}
# Third-party packages that only one part of govgraph may import.
OWNERS = {
    "flask": {"endpoint"},
    "werkzeug": {"endpoint"},
    "gunicorn": {"endpoint.server"},
    "pyshacl": {"validate"},
    "networkx": {"export"},
    "SPARQLWrapper": {"store.remote"},
    "pyoxigraph": {"store"},
    "click": {"cli"},
    "pycountry": {"reference"},
}
NO_RDFLIB = {"ingest", "extract"}


def unit_of(path: Path) -> str:
    """Return the dotted name of a module relative to the package, without __init__."""
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__") or "__init__"


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Return (imported module, line) for every import in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
    return found


def forbidden_edges(unit: str, imported: str) -> list[str]:
    """Return why ``unit`` may not import ``imported`` (empty when the edge is allowed)."""
    problems = []
    top = unit.split(".")[0]
    if imported.startswith("govgraph."):
        target = imported.split(".")[1]
        if target == top or top == "__init__":
            return []
        if target not in LAYERS or top not in LAYERS:
            return [f"{unit} imports {imported}, which is in no layer of STYLE.md"]
        if LAYERS[target] >= LAYERS[top]:
            problems.append(
                f"{unit} (layer {LAYERS[top]}) imports {imported} (layer {LAYERS[target]})"
            )
        return problems
    package = imported.split(".")[0]
    owners = OWNERS.get(package)
    if owners and not any(unit == o or unit.startswith(o + ".") for o in owners):
        problems.append(f"{unit} imports {package}, which only {sorted(owners)} may import")
    if package == "rdflib" and top in NO_RDFLIB:
        problems.append(f"{unit} imports rdflib; ingest and extract produce records only")
    return problems


MODULES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: unit_of(p))
def test_module_imports_follow_the_layers(path: Path) -> None:
    unit = unit_of(path)
    problems = [
        f"line {line}: {problem}"
        for imported, line in imports_of(path)
        for problem in forbidden_edges(unit, imported)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("unit", "imported"),
    [
        ("model.ids", "govgraph.store"),
        ("store.embedded", "govgraph.validate"),
        ("validate", "govgraph.cli"),
        ("store.embedded", "pyshacl"),
        ("validate", "pyoxigraph"),
        ("synth", "click"),
    ],
)
def test_a_forbidden_edge_is_caught(unit: str, imported: str) -> None:
    assert forbidden_edges(unit, imported)


def test_every_module_is_in_a_layer() -> None:
    assert MODULES
    tops = {unit_of(p).split(".")[0] for p in MODULES} - {"__init__"}
    assert tops <= set(LAYERS), tops - set(LAYERS)


def test_no_module_reads_the_environment_at_import_time() -> None:
    offenders = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.Expr):
                text = ast.unparse(node)
                if "os.environ" in text or "open(" in text or "read_text(" in text:
                    offenders.append(f"{unit_of(path)}: {text[:80]}")
    assert not offenders, offenders
