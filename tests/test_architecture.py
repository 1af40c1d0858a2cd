"""The code's shape, checked from the source (ast) so it stays true (docs/architecture.md).

Data flows ``ingest -> validate -> store -> analysis -> disclosure -> report``. Imports point
down the layers below only: a module imports its own package or a lower layer, never a
higher one, never a sibling layer of the same rank (validate and analysis never import each
other), and nothing in ``pipelines/`` imports in a circle, type-only and function-local
imports included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pipelines"

# layer -> rank; a module is in the layer of its longest matching prefix
LAYERS: dict[str, int] = {
    # the foundation: names, paths, settings, the contract's vocabulary, text handling
    "pipelines": 0,
    "pipelines.charts": 1,
    "pipelines.ingest": 1,
    "pipelines.store": 2,
    "pipelines.validate": 3,
    "pipelines.analysis": 3,
    "pipelines.disclosure": 4,
    "pipelines.linked_suppression": 4,
    "pipelines.report": 5,
    # entry points and tools over everything: the command, the analyst's API, the demo
    # generator, the benchmark, and the step that runs validate then tally
    "pipelines.cli": 6,
    "pipelines.explore": 6,
    "pipelines.prepare": 6,
    "pipelines.bench": 6,
    "pipelines.sample": 6,
}
TOP = 6
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
LONG_FUNCTIONS_ALLOWED = ("pipelines.sample",)  # the demo generator writes whole files


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str:
    candidates = [name for name in LAYERS if module == name or module.startswith(name + ".")]
    return max(candidates, key=len)


def _owner(name: str) -> str:
    """The module a dotted import name lands in (a module, or the module defining a name)."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imports_of(module: str) -> set[str]:
    """Every pipelines module ``module`` imports, anywhere in its source."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {_owner(a.name) for a in node.names if a.name.startswith("pipelines")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("pipelines"):
                found |= {_owner(f"{target}.{a.name}") for a in node.names}
    found.discard(module)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def test_the_layers_cover_every_module():
    assert all(layer(m) for m in MODULES)
    assert "pipelines.contract" in MODULES, "the contract's vocabulary has one module"
    assert "pipelines.store" in MODULES, "the clean-data store is a layer of its own"


def test_imports_point_down_the_layers():
    wrong = []
    for module, imported in GRAPH.items():
        mine = layer(module)
        for other in imported:
            theirs = layer(other)
            if theirs == mine or LAYERS[theirs] < LAYERS[mine]:
                continue
            if LAYERS[mine] == TOP and LAYERS[theirs] == TOP:
                continue  # entry points may use one another (no circles: tested below)
            wrong.append(f"{module} ({mine}) imports {other} ({theirs})")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(wrong))


def test_validate_and_analysis_never_import_each_other():
    crossing = [
        (m, o)
        for m, imported in GRAPH.items()
        for o in imported
        if {layer(m), layer(o)} == {"pipelines.validate", "pipelines.analysis"}
    ]
    assert not crossing


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles():
    assert _circles(GRAPH) == []


def test_the_circle_finder_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_and_functions_stay_small(module):
    source = MODULES[module].read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_MODULE_LINES, f"{module} is over {MAX_MODULE_LINES} lines"
    if module.startswith(LONG_FUNCTIONS_ALLOWED):
        return
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{module}: functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_report_sections_render_without_analysis():
    """The section renderers turn tables and words into HTML: they call no analysis."""
    sections = [m for m in MODULES if m.startswith("pipelines.report.sections.")]
    assert sections, "one renderer module per section under pipelines/report/sections/"
    calling = {m: sorted(o for o in GRAPH[m] if layer(o) == "pipelines.analysis") for m in sections}
    assert not any(calling.values()), calling
