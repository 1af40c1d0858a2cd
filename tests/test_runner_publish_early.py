"""Each report is published as it finishes, where the pages already there may stand beside
it; else the run's reports wait in staging until the end (as an interrupted run's would)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.report import runner
from pipelines.report.outcomes import ReportDone, ReportOutcome, ReportTask


def _tasks(slugs: list[str]) -> list[ReportTask]:
    return [
        ReportTask("k", slug.title(), slug, "restricted", 10, "20261205T000000Z", "", "/tmp")
        for slug in slugs
    ]


def _staged(tasks: list[ReportTask], *_args: object) -> Iterator[tuple[ReportTask, ReportOutcome]]:
    """Stand-in workers: each report's page, tables and notebook written to staging."""
    for task in tasks:
        staging = Path(task.staging)
        (staging / task.slug / "tables").mkdir(parents=True)
        (staging / task.slug / "tables" / "t.csv").write_text("a\n1\n", encoding="utf-8")
        (staging / "executed").mkdir(exist_ok=True)
        (staging / "executed" / f"{task.slug}.ipynb").write_text("{}", encoding="utf-8")
        (staging / f"{task.slug}.html").write_text(f"<p>{task.slug}</p>", encoding="utf-8")
        yield task, ReportOutcome(task.slug, task.region, "ok", 0.1, "", "restricted", 10)


def _run(root: Path, earlier: list[ReportOutcome]) -> dict[str, bool]:
    """Run two stand-in reports; whether each one's page was published when it was told."""
    on_disk: dict[str, bool] = {}

    def told(done: ReportDone) -> None:
        slug = done.outcome.slug
        page = root / "reports" / "k" / f"{slug}.html"
        on_disk[slug] = page.is_file() and page.read_text(encoding="utf-8") == f"<p>{slug}</p>"

    settings = runner.run_settings(None, None, 1, None, None)
    finished, stopped = runner._run_all(
        "k", _tasks(["london", "north-west"]), settings, root, False, None, told, earlier
    )
    assert stopped is None and [o.slug for o in finished] == ["london", "north-west"]
    out = root / "reports" / "k"
    for slug in ("london", "north-west"):  # every page in place at the end, either way
        assert (out / f"{slug}.html").read_text(encoding="utf-8") == f"<p>{slug}</p>"
        assert (out / slug / "tables" / "t.csv").is_file()
        assert (out / "executed" / f"{slug}.ipynb").is_file()
    assert not list(out.glob(".staging-*"))
    return on_disk


@pytest.fixture
def staged_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "local_outcomes", _staged)


def test_the_first_run_publishes_each_report_as_it_finishes(
    tmp_path: Path, staged_workers: None
) -> None:
    assert _run(tmp_path, []) == {"london": True, "north-west": True}


def test_pages_of_the_same_clean_data_let_each_report_be_published_at_once(
    tmp_path: Path, staged_workers: None
) -> None:
    out, clean = tmp_path / "reports" / "k", tmp_path / "data" / "clean" / "k"
    out.mkdir(parents=True)
    clean.mkdir(parents=True)
    (out / "london.html").write_text("<p>old</p>", encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps({"validation": {"run_id": "V1"}}))
    (clean / "validation.json").write_text(json.dumps({"run_id": "V1"}))
    earlier = [ReportOutcome("london", "London", "ok", 1.0, "", "restricted", 10, "R0")]
    assert _run(tmp_path, earlier) == {"london": True, "north-west": True}


@pytest.mark.parametrize("change", ["clean data", "disclosure control"])
def test_beside_pages_that_would_not_add_up_the_reports_wait_for_the_end(
    tmp_path: Path, staged_workers: None, change: str
) -> None:
    out, clean = tmp_path / "reports" / "k", tmp_path / "data" / "clean" / "k"
    out.mkdir(parents=True)
    clean.mkdir(parents=True)
    (out / "london.html").write_text("<p>old</p>", encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps({"validation": {"run_id": "V1"}}))
    validation = "V2" if change == "clean data" else "V1"
    (clean / "validation.json").write_text(json.dumps({"run_id": validation}))
    profile = "public" if change == "disclosure control" else "restricted"
    earlier = [ReportOutcome("london", "London", "ok", 1.0, "", profile, 10, "R0")]
    assert _run(tmp_path, earlier) == {"london": False, "north-west": False}


def test_a_ctrl_c_while_a_page_is_published_stops_the_run_just_after_it(
    tmp_path: Path, staged_workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    put_in_place = runner.promote

    def promote_and_press_ctrl_c(outcome: ReportOutcome, staging: Path, target: Path) -> None:
        signal.raise_signal(signal.SIGINT)  # pressed as the first page goes into place
        put_in_place(outcome, staging, target)

    monkeypatch.setattr(runner, "promote", promote_and_press_ctrl_c)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        settings = runner.run_settings(None, None, 1, None, None)
        finished, stopped = runner._run_all(
            "k", _tasks(["london", "north-west"]), settings, tmp_path, False, None, None, []
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    out = tmp_path / "reports" / "k"
    # not dropped: the run stopped after the first page, which is whole and in place
    assert stopped is not None and [o.slug for o in finished] == ["london"]
    assert (out / "london.html").read_text(encoding="utf-8") == "<p>london</p>"
    assert (out / "london" / "tables" / "t.csv").is_file()
    assert not (out / "north-west.html").exists()
