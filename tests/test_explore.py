"""The analyst's API fails loudly, never quietly wrong (#20): each mistake an analyst made
in JupyterLab meets a message saying what to do, and ``protect`` hides what the report
hides, by the report's own code path."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl
import pytest

from pipelines import explore
from pipelines.errors import InputError
from pipelines.report.plan import open_report
from pipelines.report.publish import table_csv
from pipelines.report.tables import publish_tables

CONSULTATION = "demo-care-at-home-2026"


@pytest.fixture(scope="module")
def data(demo_root: Path) -> explore.CleanData:
    return explore.load(CONSULTATION, demo_root, validate=False)


@pytest.fixture(scope="module")
def north_west(data: explore.CleanData) -> explore.CleanData:
    return explore.area(data, region="north-west")


def test_hand_filtered_responses_with_stale_tallies_are_refused(north_west) -> None:
    """The 793-not-510 mistake: responses filtered by hand, the whole area's tallies kept."""
    online = pl.col("channel") == "online"
    hand = dataclasses.replace(north_west, responses=north_west.responses.filter(online))
    with pytest.raises(InputError, match=r"explore\.subset\(data, condition\)") as refused:
        explore.participation.participation_by_group(hand)
    kept = hand.responses.select(pl.len()).collect().item()
    whole = north_west.responses.select(pl.len()).collect().item()
    assert f"({kept:,})" in str(refused.value) and f"({whole:,})" in str(refused.value)
    with pytest.raises(InputError):
        explore.protect(hand, {"participation_by_group": pl.DataFrame()})


def test_subset_tallies_the_rows_it_keeps(north_west) -> None:
    subset = explore.subset(north_west, pl.col("channel") == "online")
    kept = subset.responses.select(pl.len()).collect().item()
    assert explore.participation.participation_by_group(subset)["responses"].sum() == kept
    assert 0 < kept < north_west.responses.select(pl.len()).collect().item()


def test_subset_names_the_columns_there_are(north_west) -> None:
    with pytest.raises(InputError, match=r"Unknown column 'chanel'.*Did you mean 'channel'"):
        explore.subset(north_west, pl.col("chanel") == "online")


def test_an_unknown_locality_lists_the_regions_localities(data) -> None:
    with pytest.raises(InputError) as refused:
        explore.area(data, region="north-west", locality="Lancs")
    message = str(refused.value)
    assert "Did you mean 'Lancashire'?" in message
    for locality in explore.localities(data, "north-west"):
        assert repr(locality) in message


def test_a_locality_alone_finds_its_region(data) -> None:
    assert explore.area(data, locality="Manchester").area == explore.Area(
        "North West", "Manchester"
    )


def test_an_unknown_question_lists_the_questions(data) -> None:
    with pytest.raises(InputError) as refused:
        explore.question(data, "Q4")
    message = str(refused.value)
    assert "Did you mean 'q4'?" in message
    assert all(repr(q.id) in message for q in data.consultation.questions)
    assert not isinstance(refused.value, KeyError)
    assert explore.question(data, "q4").id == "q4"


def test_an_unknown_table_lists_the_reports_tables(north_west) -> None:
    frame = explore.participation.participation_by_group(north_west)
    with pytest.raises(InputError) as refused:
        explore.protect(north_west, {"participation_by_grup": frame})
    message = str(refused.value)
    assert "Did you mean 'participation_by_group'?" in message
    assert "'participation_by_group_and_locality'" in message


def test_a_report_table_name_on_other_numbers_is_refused(north_west) -> None:
    carers = explore.subset(north_west, pl.col("group") == "unpaid_carer")
    frame = explore.participation.participation_by_channel(carers)
    with pytest.raises(InputError, match="name of your own"):
        explore.protect(carers, {"participation_by_channel": frame})
    own = explore.protect(carers, {"carers_by_channel": (frame, explore.specs.PARTICIPATION)})
    assert own["carers_by_channel"].published()["responses"].sum() <= frame["responses"].sum()


def _report_tables(demo_root: Path, region: str) -> dict:
    report = open_report(CONSULTATION, region, "restricted", 10, root=demo_root)
    report.tables_dir = None
    return dict(publish_tables(report))


def _hidden(table: explore.Controlled) -> list[tuple]:
    published = table.published() if isinstance(table, explore.Protected) else None
    frame = table.frame.with_columns(table.is_suppressed("responses").alias("_hidden"))
    assert published is None or published["suppressed"].to_list() == frame["_hidden"].to_list()
    return sorted(
        (r["group"], r["locality"]) for r in frame.filter("_hidden").iter_rows(named=True)
    )


def test_protect_hides_in_the_heatmap_what_the_report_hides(demo_root, north_west) -> None:
    """The grid alone, and with the tables it repeats: every cell the report's plan hides is
    hidden, and no other (one code path: the plan and protect_run)."""
    report = _report_tables(demo_root, "north-west")["participation_by_group_and_locality"]
    assert _hidden(report), "the demo's North West grid has [c] cells to compare"
    grid = explore.participation.participation_by_group_and_place(north_west, "locality")
    alone = explore.protect(north_west, {"participation_by_group_and_locality": grid})
    together = explore.protect(
        north_west,
        {
            "participation_by_group": explore.participation.participation_by_group(north_west),
            "participation_by_locality": explore.participation.participation_by_locality(
                north_west
            ),
            "participation_by_group_and_locality": grid,
        },
    )
    for protected in (alone, together):
        mine = protected["participation_by_group_and_locality"]
        assert _hidden(mine) == _hidden(report)
        assert table_csv(mine.controlled()) == table_csv(report)  # the commissioner's numbers


def test_published_is_typed_and_the_csv_unchanged(north_west) -> None:
    table = explore.protect(
        north_west,
        {"participation_by_group": explore.participation.participation_by_group(north_west)},
    )["participation_by_group"]
    published = table.published()
    assert published.schema["responses"] == pl.Int64
    assert published.schema["percent"] == pl.Float64
    assert published.schema[explore.FLAG] == pl.Boolean
    hidden = published.filter(explore.FLAG)
    assert hidden.height > 0 and hidden["responses"].null_count() == hidden.height
    csv = table_csv(table.controlled()).decode("utf-8-sig").splitlines()
    assert csv[0] == "group,label,responses,percent"
    assert sum("[c]" in line for line in csv) == hidden.height
    assert table.published_text().schema["responses"] == pl.String


def test_export_goes_to_data_exports_never_reports(demo_root, north_west) -> None:
    table = explore.protect(
        north_west,
        {"participation_by_group": explore.participation.participation_by_group(north_west)},
    )["participation_by_group"]
    written = export_path = explore.export(table)
    assert export_path == demo_root / "data" / "exports" / CONSULTATION / (
        "north-west-participation_by_group.csv"
    )
    assert written.read_bytes().startswith(b"\xef\xbb\xbfgroup,label,responses,percent")
    assert "reports" not in written.relative_to(demo_root).parts
    for outside in ("../../../reports/x.csv", "/tmp/x.csv", "x.txt"):
        with pytest.raises(InputError):
            explore.export(table, outside)
    with pytest.raises(InputError, match="protect"):
        explore.export(table.controlled())


def test_charts_show_labels_and_the_right_base(north_west) -> None:
    done = explore.protect(
        north_west,
        {
            "actions_by_status": explore.actions.actions_by_status(north_west),
            "attendance_by_group": explore.events.attendance_by_group(north_west),
        },
    )
    actions = explore.bar_chart(done["actions_by_status"], "status", title="Actions").to_dict()
    text = str(actions)
    assert "in_progress" not in text.replace("'status': 'in_progress'", "")
    assert "In progress" in text and "% of actions" in text
    attendance = explore.bar_chart(done["attendance_by_group"], "label", title="At events")
    text = str(attendance.to_dict())
    assert "% of attendees" in text and "% of responses" not in text


def test_every_analysis_checks_its_data(north_west) -> None:
    """The re-exported analysis modules are the real ones, each function checking first."""
    from pipelines.analysis import participation

    checked = explore.participation.participation_by_group(north_west)
    assert checked.equals(participation.participation_by_group(north_west))
    assert "participation_by_group" in dir(explore.participation)


@pytest.mark.slow
def test_the_notebook_runs_with_plain_papermill(demo_root, tmp_path) -> None:
    """15_explore with the plain papermill CLI: the own-question section agrees with the
    analysis of the subset, and the export lands in data/exports, never reports/."""
    import os
    import subprocess

    import nbformat

    from pipelines.paths import ROOT

    out = tmp_path / "15.ipynb"
    run = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "papermill"), str(ROOT / "notebooks" / "15_explore.ipynb"),
         str(out), "--no-progress-bar", "-p", "charts", "static"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={**os.environ, "WORKBOOK_ROOT": str(demo_root)},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    cells = nbformat.read(out, as_version=4).cells
    printed = " ".join(o.get("text", "") for c in cells for o in c.get("outputs", []))
    assert "Same as the analysis of the subset: True" in printed
    exported = (
        demo_root / "data" / "exports" / CONSULTATION / "north-west-participation_by_group.csv"
    )
    assert str(exported) in printed and exported.is_file()
    assert not (demo_root / "reports" / CONSULTATION / "exports").exists()
