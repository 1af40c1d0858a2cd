"""The report runner on a Dask distributed cluster (a LocalCluster of 2 worker processes)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from conftest import region_notebook_failing_for, two_region_project

from pipelines.errors import InputError
from pipelines.prepare import ensure_prepared
from pipelines.report import promote, runner, workers
from pipelines.settings import load_settings

pytestmark = pytest.mark.slow
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = two_region_project(tmp_path_factory.mktemp("dask"), "d", seed=3)
    ensure_prepared("d", root, load_settings())  # the runner reads clean data, never makes it
    return root


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


def _break_london(path: str) -> None:
    """On a worker: the region notebook is replaced by one that fails for London."""
    from pathlib import Path

    from pipelines.report import workers

    workers.REGION_NOTEBOOK = Path(path)


def test_reports_run_on_the_cluster(project: Path, cluster) -> None:
    result = runner.run_reports(
        "d", root=project, progress=False, scheduler=cluster.scheduler_address
    )
    assert [(o.slug, o.status) for o in result.outcomes] == [
        ("north-west", "ok"),
        ("london", "ok"),
        ("overview", "ok"),
    ], [o.error for o in result.outcomes]
    out = project / "reports" / "d"
    reports = {"overview", "north-west", "london"}
    readers = {f"{slug}-easy-read" for slug in reports} | {"index", "about"}
    assert {p.stem for p in out.glob("*.html")} == reports | readers
    assert (out / "london" / "tables" / "participation_by_group.csv").is_file()
    assert {p.stem for p in (out / "executed").glob("*.ipynb")} == {
        "north-west",
        "london",
        "overview",
    }
    index = (out / "index.html").read_text()
    assert all(f'href="{s}.html"' in index for s in ("north-west", "london", "overview"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert [(r["file"], r["status"]) for r in manifest["reports"]] == [
        ("north-west.html", "ok"),
        ("london.html", "ok"),
        ("overview.html", "ok"),
    ]
    assert not list(out.glob(".staging-*"))


def test_a_failing_region_is_isolated_on_the_cluster(
    project: Path, cluster, tmp_path: Path
) -> None:
    out = project / "reports" / "d"
    if not (out / "london.html").is_file():
        runner.run_reports("d", root=project, progress=False, scheduler=cluster.scheduler_address)
    good_london = (out / "london.html").read_bytes()
    path = region_notebook_failing_for("London", tmp_path)
    with distributed.Client(cluster) as client:
        client.run(_break_london, str(path))
        try:
            result = runner.run_reports(
                "d",
                regions=["London", "North West"],
                root=project,
                progress=False,
                scheduler=cluster.scheduler_address,
            )
        finally:
            client.run(_break_london, str(workers.REGION_NOTEBOOK))
    assert [(o.slug, o.status) for o in result.outcomes] == [
        ("london", "failed"),
        ("north-west", "ok"),
    ]
    assert "planned failure" in result.failed[0].error
    # the earlier page stays, marked out of date (the mark aside, unchanged)
    assert (
        promote.unmarked((out / "london.html").read_text(encoding="utf-8")).encode() == good_london
    )
    executed = nbformat.read(out / "executed" / "london.ipynb", as_version=4)
    assert any(
        o.get("output_type") == "error" for c in executed.cells for o in c.get("outputs", [])
    )
    index = (out / "index.html").read_text()
    assert "London: not available" in index and 'href="london.html"' not in index


def test_an_unreachable_scheduler_is_an_input_error(project: Path) -> None:
    with pytest.raises(InputError, match="Dask scheduler"):
        workers.connect("tcp://127.0.0.1:1")
