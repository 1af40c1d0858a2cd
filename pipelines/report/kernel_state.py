"""Kernel side of a warm report kernel: import once, snapshot a baseline, restore it between runs.

A warm kernel (:mod:`pipelines.report.kernels`) runs one region's notebook after another. So
that nothing from one region can reach the next, the runner calls :func:`warm_up` once, after
the kernel starts, and :func:`restore` before every notebook. ``restore`` puts back:

* the IPython namespace (variables, ``Out``, input history, the execution counter);
* every ``pipelines`` module's globals, in place for dicts, lists and sets, and empties each
  ``functools.cache`` (but the caches in :data:`KEPT_CACHES`; modules a notebook imported
  after the baseline are dropped);
* the state of every Altair plugin registry (renderer, theme, data transformer) and polars'
  ``Config``;
* the working directory, ``os.environ``, ``sys.path``, warnings filters, ``random``'s state and
  the builtins.

What it cannot put back it reports (a thread a notebook left running, a changed module of
another package is not checked): the runner then restarts the kernel. This module runs in
the kernel only; it imports nothing from Jupyter.
"""

from __future__ import annotations

import builtins
import copy
import gc
import importlib
import os
import pkgutil
import random
import sys
import threading
import warnings
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from pipelines.unused_imports import skip_unused_imports

#: What a report notebook imports; importing it here takes it off the per-region path.
WARM_MODULES: tuple[str, ...] = (
    "polars",
    "altair",
    "vl_convert",
    "scipy.special",
    "scipy.optimize",  # the bounds of a suppressed cell (disclosure), about 0.5 s to import
    "pipelines.report.plan",
    "pipelines.report.tables",
    "pipelines.report.facts",
    "pipelines.report.wording",
    "pipelines.report.sections",  # and every renderer in it (warm_up)
    "pipelines.store.clean_data",
    "pipelines.charts.vegalite",
    "pipelines.charts.render",
)
#: Module caches kept from one report to the next, not emptied: each holds no area's rows,
#: what it gives depends only on its key (an area's page is the same whichever area the
#: kernel drew before: tested), and nothing that reads it changes it. Chart shapes compiled
#: to Vega (:func:`pipelines.charts.render.vega_spec`); the patterns of the characters text
#: normalisation changes; the hash of the code (all three rebuilt otherwise, every report).
KEPT_CACHES: frozenset[tuple[str, str]] = frozenset(
    {
        ("pipelines.charts.render", "_COMPILED"),
        ("pipelines.textnorm", "_runs"),
        ("pipelines.report.plan", "_code_digest"),
    }
)
#: IPython's per-cell history names (``_i3``, ``_5``): never part of the baseline.
_HISTORY_PREFIXES = ("_i", "_")
OWN = __name__
#: Threads the kernel's own machinery starts when it needs them (zmq's garbage collector).
KERNEL_THREADS = ("zmq.", "ipykernel.", "IPython.")


@dataclass
class Baseline:
    user_ns: dict[str, Any]
    modules: set[str]
    module_globals: dict[str, dict[str, Any]]
    containers: dict[tuple[str, str], Any]
    registries: list[tuple[Any, dict[str, Any]]]
    polars_config: str
    cwd: str
    environ: dict[str, str]
    sys_path: list[str]
    warning_filters: list[Any]
    random_state: Any
    builtins: dict[str, Any]
    threads: set[int]


_baseline: Baseline | None = None


def _shell() -> Any:
    from IPython import get_ipython

    return get_ipython()


def _own_modules() -> dict[str, ModuleType]:
    """The project's modules loaded now (this one excepted: it holds the baseline)."""
    return {
        name: module
        for name, module in list(sys.modules.items())
        if (name == "pipelines" or name.startswith("pipelines.")) and name != OWN and module
    }


def _is_history_name(name: str) -> bool:
    stem = name.lstrip("_")
    return name.startswith(_HISTORY_PREFIXES) and (stem.isdigit() or stem[1:].isdigit())


def _altair_registries() -> list[Any]:
    from altair.utils.plugin_registry import PluginRegistry

    found: dict[int, Any] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("altair") or module is None:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, PluginRegistry):
                found[id(value)] = value
    return list(found.values())


def _render_once() -> None:
    """One tiny chart, built as the reports build theirs, through vl-convert, and one polars
    query: their first-use costs, paid here."""
    import polars as pl

    from pipelines.charts import vegalite
    from pipelines.charts.render import chart_svg

    frame = pl.LazyFrame({"a": ["x", "y"], "n": [1, 2]}).group_by("a").agg(pl.col("n").sum())
    shown = frame.collect().with_columns(pl.col("n").cast(pl.String).alias("shown"))
    chart_svg(vegalite.bar_chart(shown, "a", "n", "shown", "Warm-up", "n"))


def warm_up() -> None:
    """Import what reports use, pay first-use costs, then record the baseline to restore."""
    global _baseline
    skip_unused_imports()
    for name in WARM_MODULES:
        importlib.import_module(name)
    sections = sys.modules["pipelines.report.sections"]
    for renderer in pkgutil.iter_modules(sections.__path__, f"{sections.__name__}."):
        importlib.import_module(renderer.name)
    _render_once()
    _baseline = _snapshot()
    # what the baseline holds lives as long as the kernel: out of the collector's way, so the
    # collection after each report only walks that report's objects
    gc.collect()
    gc.freeze()


def _snapshot() -> Baseline:
    import polars as pl

    shell = _shell()
    modules = _own_modules()
    containers = {
        (name, key): saved
        for name, module in modules.items()
        for key, value in vars(module).items()
        if type(value) in (dict, list, set)
        and (name, key) not in KEPT_CACHES
        and key != "__builtins__"  # the builtins' own dict: put back once, not per module
        and (saved := _deepcopy(value)) is not _MISSING
    }
    return Baseline(
        user_ns={k: v for k, v in shell.user_ns.items() if not _is_history_name(k)},
        modules=set(sys.modules),
        module_globals={name: dict(vars(module)) for name, module in modules.items()},
        containers=containers,
        registries=[(r, r._get_state()) for r in _altair_registries()],
        polars_config=pl.Config.save(),
        cwd=os.getcwd(),
        environ=dict(os.environ),
        sys_path=list(sys.path),
        warning_filters=list(warnings.filters),
        random_state=random.getstate(),
        builtins=dict(vars(builtins)),
        threads={t.ident or 0 for t in threading.enumerate()},
    )


def _restore_namespace(shell: Any, base: Baseline) -> None:
    ns = shell.user_ns
    for key in [k for k in ns if k not in base.user_ns]:
        del ns[key]
    for key, value in base.user_ns.items():
        if ns.get(key, _MISSING) is not value:
            ns[key] = value
    for name in ("_", "__", "___", "_i", "_ii", "_iii"):
        ns[name] = ""
    ns["_dh"][:] = [base.cwd]
    history = shell.history_manager
    history.input_hist_parsed[:] = [""]
    history.input_hist_raw[:] = [""]
    history.output_hist.clear()
    history.output_hist_reprs.clear()
    history._i00 = history._i = history._ii = history._iii = ""
    ns["Out"].clear()
    # IPython has already counted the cell that runs this: the next notebook's cells start at 1
    shell.execution_count = 1


def _restore_modules(base: Baseline) -> None:
    for name in [n for n in sys.modules if n not in base.modules]:
        if name.startswith("pipelines.") and name != OWN:
            del sys.modules[name]
    for name, module in _own_modules().items():
        saved = base.module_globals.get(name)
        if saved is None:
            continue
        current = vars(module)
        for key in [k for k in current if k not in saved]:
            del current[key]
        for key, value in saved.items():
            if current.get(key, _MISSING) is not value:
                current[key] = value
            if callable(getattr(value, "cache_clear", None)) and (name, key) not in KEPT_CACHES:
                value.cache_clear()
    for (name, key), saved_value in base.containers.items():
        value = base.module_globals[name][key]
        if not _equal(value, saved_value):
            _refill(value, saved_value)


def _deepcopy(value: Any) -> Any:
    try:
        return copy.deepcopy(value)
    except Exception:  # a container of things that cannot be copied: left as it is
        return _MISSING


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # e.g. frames, whose == is element-wise: refill to be safe
        return False


def _refill(target: Any, saved: Any) -> None:
    """Put a dict, list or set back to its saved contents, keeping its identity."""
    fresh = copy.deepcopy(saved)
    if isinstance(target, dict):
        target.clear()
        target.update(fresh)
    elif isinstance(target, list):
        target[:] = fresh
    else:
        target.clear()
        target.update(fresh)


def _restore_process(base: Baseline) -> None:
    import polars as pl

    for registry, state in base.registries:
        registry._set_state({k: copy.copy(v) for k, v in state.items()})
    pl.Config.restore_defaults()
    pl.Config.load(base.polars_config)
    os.chdir(base.cwd)
    for key in [k for k in os.environ if k not in base.environ]:
        del os.environ[key]
    for key, value in base.environ.items():
        if os.environ.get(key) != value:
            os.environ[key] = value
    sys.path[:] = base.sys_path
    warnings.filters[:] = base.warning_filters
    warnings._filters_mutated()  # type: ignore[attr-defined]
    random.setstate(base.random_state)
    space = vars(builtins)
    for key in [k for k in space if k not in base.builtins]:
        del space[key]
    space.update(base.builtins)


def restore() -> str:
    """Put the kernel back to the baseline; ``"clean"``, or why the kernel must restart."""
    base = _baseline
    if base is None:
        return "no baseline: warm_up() never ran"
    _restore_namespace(_shell(), base)
    _restore_modules(base)
    _restore_process(base)
    gc.collect()
    left = [
        t.name
        for t in threading.enumerate()
        if (t.ident or 0) not in base.threads and not type(t).__module__.startswith(KERNEL_THREADS)
    ]
    if left:
        return f"thread(s) left running: {', '.join(left)}"
    return "clean"


class _Missing:
    pass


_MISSING = _Missing()
