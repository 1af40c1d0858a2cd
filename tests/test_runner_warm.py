"""Warm kernels: one kernel runs region after region, and nothing from one reaches the next."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest
from conftest import two_region_project

from pipelines import paths
from pipelines.prepare import prepare_consultation
from pipelines.report import kernels, workers
from pipelines.report.export import notebook_to_html
from pipelines.report.outcomes import ReportTask
from pipelines.settings import load_settings

pytestmark = pytest.mark.slow

#: Region A's notebook plants these; region B must see none of them.
POLLUTE = """\
import builtins, os, random, sys
import altair as alt
import polars as pl
import pipelines.report.html as report_html
from pipelines import labels
from pipelines.report import specs
canary = "planted by region A"
report_html.CANARY = "planted by region A"
report_html.format_number = lambda *a, **k: "POISONED"
specs.SHARE_OF_TOTAL["canary"] = "planted"
labels._labels()["dimensions"]["age_band"] = "POISONED"  # inside a functools.cache
builtins.canary = 1
os.environ["WORKBOOK_CANARY"] = "1"
sys.path.append("/canary")
alt.renderers.enable("html")
alt.theme.enable("dark")
pl.Config.set_tbl_rows(2)
random.seed(1)
os.chdir("/")
import pipelines.explore  # a project module the baseline did not import
"""
#: Region B's first cell: what it can see of region A (printed into the report).
PROBE = """\
import builtins, os, random, sys
import altair as alt
import polars as pl
import pipelines.report.html as report_html
from pipelines import labels
from pipelines.report import specs
from pipelines.charts import render
print(json.dumps({
    "compiled": len(render._COMPILED),
    "cached": labels.dimension_label("age_band"),
    "canary": "canary" in globals(),
    "module": hasattr(report_html, "CANARY"),
    "rebound": report_html.format_number(1234),
    "container": "canary" in specs.SHARE_OF_TOTAL,
    "builtins": hasattr(builtins, "canary"),
    "environ": "WORKBOOK_CANARY" in os.environ,
    "sys_path": "/canary" in sys.path,
    "renderer": alt.renderers.active,
    "theme": alt.theme.active,
    "tbl_rows": pl.Config.state().get("POLARS_FMT_MAX_ROWS"),
    "cwd": os.getcwd(),
    "explore_loaded": "pipelines.explore" in sys.modules,
    "count": get_ipython().execution_count,
}))
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = two_region_project(tmp_path_factory.mktemp("warm"), "w", seed=7)
    prepare_consultation("w", root, load_settings())
    return root


def _notebook(tmp: Path, name: str, first_cell: str) -> Path:
    nb = nbformat.read(workers.REGION_NOTEBOOK, as_version=4)
    # after the report's imports: from there on, a warm kernel must be a new kernel's twin
    nb.cells.insert(3, nbformat.v4.new_code_cell("import json\n" + first_cell))
    path = tmp / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture
def region_notebook_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], Path]]:
    """Makes the runner's region report run ``cell`` before its data is loaded; gives the
    staging folder. This thread's warm kernels are shut down afterwards."""

    def use(cell: str) -> Path:
        nb = nbformat.read(workers.REGION_NOTEBOOK, as_version=4)
        nb.cells.insert(2, nbformat.v4.new_code_cell(cell))
        path = tmp_path / "with-cell.ipynb"
        nbformat.write(nb, path)
        monkeypatch.setattr(workers, "REGION_NOTEBOOK", path)
        return tmp_path / "staging"

    yield use
    kernels.shutdown_all()


def _task(project: Path, staging: Path, region: str) -> ReportTask:
    slug = region.lower().replace(" ", "-")
    return ReportTask("w", region, slug, "restricted", 10, "r", str(staging), str(project))


def _page(nb: nbformat.NotebookNode) -> str:
    """The exported report, its one run time ("2 Mar 2026 14:05 UTC") blanked."""
    page = notebook_to_html(nb, title="t", footer="f")
    return re.sub(r"\d{4} \d{2}:\d{2} UTC", "YYYY HH:MM UTC", page)


def _parameters(region: str, tables: Path) -> dict[str, object]:
    return {"consultation": "w", "region": region, "tables_dir": str(tables), "run_id": "r"}


def _probe(nb: nbformat.NotebookNode) -> dict[str, object]:
    """What the probe cell printed."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("name") == "stdout" and '"canary"' in output.get("text", ""):
                return json.loads(output["text"])
    raise AssertionError("the probe's output is missing")


def _fresh(notebook: Path, output: Path, parameters: dict[str, object]) -> nbformat.NotebookNode:
    """What the plain papermill CLI does: a new kernel for this notebook alone."""
    import papermill

    return papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(paths.ROOT),
    )


def test_nothing_from_region_a_reaches_region_b(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    polluted = _notebook(tmp_path, "a", POLLUTE)
    probed = _notebook(tmp_path, "b", PROBE)
    warm = kernels.WarmKernel(str(project), str(paths.ROOT))
    try:
        warm.execute(polluted, tmp_path / "a-out.ipynb", _parameters("North West", tmp_path / "a"))
        warm_b = warm.execute(
            probed, tmp_path / "b-warm.ipynb", _parameters("London", tmp_path / "bw")
        )
    finally:
        warm.shutdown()
    monkeypatch.setenv("WORKBOOK_ROOT", str(project))
    fresh_b = _fresh(probed, tmp_path / "b-fresh.ipynb", _parameters("London", tmp_path / "bf"))

    seen, fresh = _probe(warm_b), _probe(fresh_b)
    # the one cache kept between reports (chart shapes compiled to Vega, without rows)
    assert seen.pop("compiled") > fresh.pop("compiled") == 0
    assert seen == fresh
    assert not any(seen[k] for k in ("canary", "module", "container", "builtins", "environ"))
    assert not seen["sys_path"] and not seen["explore_loaded"]
    assert seen["rebound"] == "1,234" and seen["cached"] != "POISONED"
    assert (seen["renderer"], seen["theme"]) != ("html", "dark")
    assert seen["tbl_rows"] is None and seen["cwd"] == str(paths.ROOT)
    # the whole report, tables included, is what a new kernel makes of region B
    assert _page(warm_b) == _page(fresh_b)
    for csv in (tmp_path / "bf").glob("*.csv"):
        assert (tmp_path / "bw" / csv.name).read_bytes() == csv.read_bytes(), csv.name
    assert [c.get("execution_count") for c in warm_b.cells] == [
        c.get("execution_count") for c in fresh_b.cells
    ]


def test_a_dead_kernel_or_failed_report_does_not_reach_the_next_region(
    project: Path, monkeypatch: pytest.MonkeyPatch, region_notebook_with
) -> None:
    staging = region_notebook_with(
        'leftover = "from the failed run"\n'
        'if region == "London":\n    import os; os._exit(1)  # the kernel dies\n'
        'assert region != "North West", "planned failure"'
    )
    died = workers.run_task(_task(project, staging, "London"))
    failed = workers.run_task(_task(project, staging, "North West"))
    kernel = kernels.warm_kernel(str(project), str(paths.ROOT))
    monkeypatch.setattr(workers, "REGION_NOTEBOOK", paths.NOTEBOOKS_DIR / "20_region_report.ipynb")
    after = workers.run_task(_task(project, staging, "London"))
    leftover = kernel._run_code("print('leftover' in globals())")
    assert died.status == "failed" and failed.status == "failed"
    assert "planned failure" in failed.error
    assert (staging / "executed" / "london.ipynb").is_file()  # kept for audit
    assert after.status == "ok", after.error
    assert (staging / "london.html").is_file()
    # the kernel that ran the failed report was replaced, so nothing of it is left
    assert kernel.runs == 1 and leftover.strip() == "False"


def test_a_kernel_that_cannot_be_reset_is_replaced_and_the_region_still_runs(
    project: Path, region_notebook_with
) -> None:
    staging = region_notebook_with(
        "import threading, time\n"
        'threading.Thread(target=time.sleep, args=(600,), name="lingering", daemon=True).start()'
    )
    first = workers.run_task(_task(project, staging, "North West"))
    kernel = kernels._kernels[threading.get_ident()]  # as it was left, not yet reset
    with pytest.raises(kernels.KernelNotClean, match="lingering"):
        kernel.reset()  # what the next report meets first
    second = workers.run_task(_task(project, staging, "London"))
    after = kernels._kernels[threading.get_ident()]  # the kernel London ran on
    assert first.status == "ok", first.error
    assert second.status == "ok", second.error  # not failed: run on a new kernel instead
    assert (staging / "london.html").is_file()
    assert after is not kernel and after.runs == 1
    history = json.dumps(nbformat.read(staging / "executed" / "london.ipynb", as_version=4))
    assert "History logging" not in history and "not unique in database" not in history


def test_a_kernel_that_does_not_start_is_started_again_once(monkeypatch) -> None:
    started = []

    class Flaky:
        def __init__(self, root: str, cwd: str) -> None:
            started.append(root)
            if len(started) == 1:
                raise RuntimeError("Kernel didn't respond in 120 seconds")

    monkeypatch.setattr(kernels, "WarmKernel", Flaky)
    assert isinstance(kernels._started("r", "c"), Flaky) and started == ["r", "r"]

    class Dead:
        def __init__(self, root: str, cwd: str) -> None:
            raise RuntimeError("Kernel didn't respond in 120 seconds")

    monkeypatch.setattr(kernels, "WarmKernel", Dead)
    with pytest.raises(RuntimeError):
        kernels._started("r", "c")


#: Run in a process of its own: warm_up freezes the collector and marks imports absent.
KEPT = """\
import json
from IPython.core.interactiveshell import InteractiveShell
from pipelines import labels, textnorm
from pipelines.charts import render, vegalite
from pipelines.report import kernel_state, plan, specs
import polars as pl

InteractiveShell.instance()
kernel_state.warm_up()
shapes = len(render._COMPILED)
textnorm.normalise("Caf\\u00e9 \\u2013 ok")
labels._labels()["dimensions"]["age_band"] = "POISONED"
specs.SHARE_OF_TOTAL["canary"] = "planted"
frame = pl.DataFrame({"a": ["x"], "n": [1], "shown": ["1"]})
render.chart_svg(vegalite.bar_chart(frame, "a", "n", "shown", "Other", "n"))
plan._code_digest()
print(json.dumps({"restore": kernel_state.restore(), "shapes_before": shapes,
                  "shapes": len(render._COMPILED), "runs": textnorm._runs.cache_info().currsize,
                  "digest": plan._code_digest.cache_info().currsize,
                  "labels": labels._labels.cache_info().currsize,
                  "label": labels._labels()["dimensions"]["age_band"],
                  "container": "canary" in specs.SHARE_OF_TOTAL}))
"""


def test_restore_keeps_only_the_caches_that_hold_no_area_data() -> None:
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", KEPT], capture_output=True, text=True, check=True, timeout=300
    )
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["restore"] == "clean"
    # kept: compiled chart shapes (the warm-up's and the new one), normalisation's patterns,
    # the code's hash
    assert seen["shapes"] == seen["shapes_before"] + 1 >= 2
    assert seen["runs"] >= 1 and seen["digest"] == 1
    # put back: a cache a notebook could change in place, and a module's dict
    assert seen["labels"] == 0 and seen["label"] != "POISONED" and not seen["container"]
