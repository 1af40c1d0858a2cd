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

# layer -> (rank, its members: modules, or packages with everything under them). Every
# module of pipelines/ must be a member of exactly one layer: a new one is placed on purpose.
LAYERS: dict[str, tuple[int, tuple[str, ...]]] = {
    # names, paths, settings, the contract's vocabulary, text handling
    "foundation": (
        0,
        (
            "pipelines",
            "pipelines.atomic",
            "pipelines.consultation",
            "pipelines.contract",
            "pipelines.errors",
            "pipelines.export_presets",
            "pipelines.fields",
            "pipelines.geography",
            "pipelines.labels",
            "pipelines.paths",
            "pipelines.redact",
            "pipelines.redact_patterns",
            "pipelines.redact_names",
            "pipelines.redact_forenames",
            "pipelines.redact_numbers",
            "pipelines.redact_removal",
            "pipelines.redact_segments",
            "pipelines.redact_signs",
            "pipelines.runlock",
            "pipelines.settings",
            "pipelines.textnorm",
            "pipelines.unused_imports",
            "pipelines.waves",
            "pipelines.yamlfile",
        ),
    ),
    "charts": (1, ("pipelines.charts",)),
    "ingest": (1, ("pipelines.ingest",)),
    "store": (2, ("pipelines.store",)),
    "validate": (3, ("pipelines.validate",)),
    "analysis": (3, ("pipelines.analysis",)),
    # theme suggestions: learnt from the store's coded comments, written beside them
    "suggest": (3, ("pipelines.suggest",)),
    "disclosure": (
        4,
        ("pipelines.disclosure", "pipelines.linked_suppression", "pipelines.linked_span"),
    ),
    "report": (5, ("pipelines.report",)),
    # the command, the analyst's API, the step that runs validate then tally, the
    # benchmark and the demo generator: over everything, and free to use one another
    "entry points": (
        6,
        (
            "pipelines.cli",
            "pipelines.draft",
            "pipelines.explore",
            "pipelines.prepare",
            "pipelines.bench",
            "pipelines.sample",
        ),
    ),
}
TOP = 6
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
#: the only modules that import papermill: the report runner's workers and their kernels
PAPERMILL = {"pipelines.report.workers", "pipelines.report.kernels"}
#: what a section renderer may import besides the foundation: tables and words in, HTML out
SECTION_IMPORTS = (
    "pipelines.report.sections",
    "pipelines.report.html",
    "pipelines.report.wording",
    "pipelines.report.wave_words",
    "pipelines.report.answer_words",
    "pipelines.report.facts",
    "pipelines.report.publish",
    "pipelines.report.provenance",
    "pipelines.charts",
    "pipelines.disclosure",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str | None:
    """The layer ``module`` is a member of (the foundation's members are modules, not
    packages: ``pipelines`` itself is not the package of everything)."""
    for name, (_, members) in LAYERS.items():
        for member in members:
            if module == member or (name != "foundation" and module.startswith(member + ".")):
                return name
    return None


def rank(module: str) -> int:
    return LAYERS[layer(module)][0]


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
        elif isinstance(node, ast.Constant) and node.value in MODULES:
            found.add(node.value)  # importlib.import_module("pipelines..."), warm-up lists
    found.discard(module)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def test_every_module_is_in_one_layer():
    unplaced = [m for m in MODULES if layer(m) is None]
    assert not unplaced, f"place these in a layer of LAYERS (and docs/architecture.md): {unplaced}"
    assert "pipelines.contract" in MODULES, "the contract's vocabulary has one module"
    assert "pipelines.store" in MODULES, "the clean-data store is a layer of its own"


def test_imports_point_down_the_layers():
    wrong = []
    for module, imported in GRAPH.items():
        for other in imported:
            if layer(other) == layer(module) or rank(other) < rank(module):
                continue
            if rank(module) == TOP and rank(other) == TOP:
                continue  # entry points may use one another (no circles: tested below)
            wrong.append(f"{module} ({layer(module)}) imports {other} ({layer(other)})")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(wrong))


def test_validate_and_analysis_never_import_each_other():
    crossing = [
        (m, o)
        for m, imported in GRAPH.items()
        for o in imported
        if {layer(m), layer(o)} == {"validate", "analysis"}
    ]
    assert not crossing


def test_string_imports_are_seen():
    """A module named in a string (``importlib.import_module``, a warm-up list) is an
    import too: the kernel's warm-up list names report modules."""
    assert "pipelines.report.tables" in GRAPH["pipelines.report.kernel_state"]


def test_papermill_only_where_reports_execute():
    importing = {
        module
        for module, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (
            isinstance(node, ast.Import)
            and any(a.name.split(".")[0] == "papermill" for a in node.names)
        )
        or (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "papermill")
    }
    assert importing == PAPERMILL


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
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{module}: functions over {MAX_FUNCTION_LINES} lines: {long}"


SECTIONS = sorted(m for m in MODULES if m.startswith("pipelines.report.sections."))


def test_there_is_one_renderer_per_section():
    names = {m.rsplit(".", 1)[1] for m in SECTIONS}
    expected = {"headline", "participation", "events", "representation", "questions", "actions"}
    assert expected | {"about", "overview"} <= names


@pytest.mark.parametrize("module", SECTIONS)
def test_section_renderers_only_turn_tables_and_words_into_html(module):
    """A renderer imports tables' and words' modules, charts and the foundation, never an
    analysis (not even through another report module), and publishes no table itself."""
    outside = sorted(
        o for o in GRAPH[module] if layer(o) != "foundation" and not o.startswith(SECTION_IMPORTS)
    )
    assert not outside, f"{module} imports {outside}"
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    publishing = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "publish"
    ]
    assert not publishing, f"{module} publishes a table at lines {publishing}"
