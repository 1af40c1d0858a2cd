"""The tallies by place that every analysis sums: what validate stores is what the rows say."""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from test_analysis import CONSULTATION, clean_data

from pipelines.analysis import participation, questions, themes
from pipelines.analysis.in_memory import in_memory
from pipelines.paths import clean_dir
from pipelines.prepare import of_regions, quote_places, region_parts, region_runs
from pipelines.store import is_stale
from pipelines.store.aggregates import NAMES, summarise
from pipelines.store.clean_data import CleanData, for_area, load_clean, subset
from pipelines.store.quotes import MIN_QUOTE_LENGTH
from pipelines.store.tallies import TALLIES, QuoteDepth

DEMO = "demo-care-at-home-2026"


@pytest.fixture(scope="module")
def demo(demo_root: Path) -> CleanData:
    return load_clean(DEMO, demo_root)


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def test_validate_stores_the_tallies_of_the_whole_consultation(demo: CleanData) -> None:
    """Tallied in runs of regions and stored, they equal the whole consultation tallied at
    once (each response is in one region), quote candidates included."""
    stored = demo.aggregates
    assert stored is not None
    assert stored.quotes == QuoteDepth(3, MIN_QUOTE_LENGTH)  # config/workbook.yml
    whole = summarise(in_memory(for_area(demo)), stored.quotes, quote_places(demo, 3))
    for table in NAMES:
        assert_frame_equal(_sorted(stored[table]), _sorted(whole[table]), check_exact=True)
    responses = demo.responses.select(pl.len()).collect().item()
    assert stored["responses_by_group"]["responses"].sum() == responses
    assert stored["quote_candidates"].height > 0


def test_tallies_in_one_run_or_a_run_per_region_in_parts_are_the_same(
    demo: CleanData, demo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Prepare tallies neighbouring regions together up to a bound, a bigger region in parts
    of its responses (their counts summed, their quote candidates ranked together again);
    with a bound under two regions' responses every region is a run of its own (a slice of
    each file), and the stored tallies are the same as in one run."""
    from pipelines import prepare

    shutil.copytree(demo_root / "data" / "reference", tmp_path / "data" / "reference")
    shutil.copytree(demo_root / "data" / "raw" / DEMO, tmp_path / "data" / "raw" / DEMO)
    runs: list[list[str]] = []
    parts: list[int] = []
    monkeypatch.setattr(prepare, "MAX_RESPONSES", 1)  # no rows held: read back
    # 246 to 1,035 responses a region: each a run alone, all but London in parts
    monkeypatch.setattr(prepare, "TALLY_RESPONSES", 300)
    monkeypatch.setattr(prepare, "region_runs", lambda *a: runs.extend(region_runs(*a)) or runs)
    split = prepare.region_parts
    monkeypatch.setattr(
        prepare, "region_parts", lambda *a: parts.append(len(split(*a))) or split(*a)
    )
    prepare.prepare_consultation(DEMO, root=tmp_path)
    assert runs == [[region] for region in demo.region_rows["responses"]] and len(runs) == 9
    assert len(parts) == 8 and sum(parts) == 23
    apart = load_clean(DEMO, tmp_path).aggregates
    assert apart is not None and demo.aggregates is not None
    for table in NAMES:
        assert_frame_equal(_sorted(apart[table]), _sorted(demo.aggregates[table]), check_exact=True)


def test_the_rows_are_respondents(demo: CleanData) -> None:
    """The tallies count answers, coded themes and comments as rows: validate keeps each
    (response, question, option), (response, question, theme) and (response, question) once."""
    for table, key in (
        ("answers", ["response_id", "question_id", "option"]),
        ("themes", ["response_id", "question_id", "theme"]),
        ("comments", ["response_id", "question_id"]),
    ):
        frame = getattr(demo, table).select(key).collect()
        assert frame.height > 0 and frame.is_duplicated().sum() == 0, table


def test_an_area_sums_its_places(demo: CleanData) -> None:
    """A locality's tallies are its own rows'; the region's are its localities' and the rows
    with no locality."""
    region = for_area(demo, region="North West")
    locality = region.regions.filter(pl.col("region") == "North West")["locality"][0]
    place = for_area(demo, region="North West", locality=locality)
    assert place.aggregates is not None and region.aggregates is not None
    assert set(place.aggregates["responses_by_group"]["locality"]) == {locality}
    own = place.responses.select(pl.len()).collect().item()
    assert place.aggregates["responses_by_group"]["responses"].sum() == own > 0
    assert set(region.aggregates["answers_by_option"]["region"]) == {"North West"}


def _numbers(values: list[float | None]) -> CleanData:
    """Responses in two localities answering the number question q3 with ``values``."""
    return clean_data(
        pl.DataFrame(
            {
                "response_id": [f"r{i}" for i in range(len(values))],
                "region": ["North West"] * len(values),
                "locality": [("Cumbria", "Lancashire")[i % 2] for i in range(len(values))],
                "group": ["public"] * len(values),
                "q3": values,
            },
            schema={
                "response_id": pl.String,
                "region": pl.String,
                "locality": pl.String,
                "group": pl.String,
                "q3": pl.Float64,
            },
        )
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.integers(-50, 400).map(float), st.floats(0, 1e6, width=32)),
        max_size=40,
    )
)
def test_number_summary_from_tallies_is_polars_over_the_answers(values: list) -> None:
    """Quartiles and the median from the tallied values are polars' own over the answers, to
    the last bit; the mean is the exact mean, correctly rounded (polars' may differ in the
    last bit)."""
    summary = questions.number_summary(_numbers(values), CONSULTATION.question("q3"))
    answers = pl.Series(values, dtype=pl.Float64).drop_nulls()
    row = summary.row(0, named=True)
    assert row["answered"] == answers.len()
    if not answers.len():
        assert all(row[name] is None for name in row if name != "answered")
        return
    assert row["median"] == answers.median()
    assert row["lower_quartile"] == answers.quantile(0.25, "linear")
    assert row["upper_quartile"] == answers.quantile(0.75, "linear")
    assert (row["minimum"], row["maximum"]) == (answers.min(), answers.max())
    assert row["mean"] == float(sum(map(Fraction, answers)) / answers.len())
    assert math.isclose(row["mean"], answers.mean(), rel_tol=1e-12)


def test_a_subset_of_ones_own_is_tallied_from_its_rows(demo: CleanData) -> None:
    """docs/analysts.md: filter the rows and drop the tallies, and the analyses count the
    rows kept (answers follow their responses)."""
    area = for_area(demo, region="North West")
    online = replace(
        area, responses=area.responses.filter(pl.col("channel") == "online"), aggregates=None
    )
    kept = online.responses.collect()
    by_group = participation.participation_by_group(online)
    expected = kept.group_by(pl.col("group").cast(pl.String)).len()
    assert dict(by_group.select("group", "responses").iter_rows()) == {
        **dict.fromkeys(demo.consultation.groups, 0),
        **dict(expected.iter_rows()),
    }
    question = next(q for q in demo.consultation.questions if q.type in ("single", "likert"))
    chosen = questions.single_choice(online, question)["count"].sum()
    answered = (
        area.answers.filter(pl.col("question_id") == question.id)
        .join(kept.lazy().select("response_id"), on="response_id")
        .select(pl.len())
        .collect()
        .item()
    )
    assert chosen == answered < questions.single_choice(area, question)["count"].sum()


def test_a_subset_drops_the_area_s_tallies_and_counts_its_own_rows(demo: CleanData) -> None:
    """``subset``: the North West's online responses are counted as the channel's (511), not
    the region's (794), and their answers, comments and themes follow them."""
    area = for_area(demo, region="North West")
    online = subset(area, pl.col("channel") == "online")
    assert online.aggregates is None and online.region_rows == {}
    assert participation.total_responses(area) == 794
    assert participation.total_responses(online) == 511
    by_channel = participation.participation_by_channel(online)
    assert dict(by_channel.select("channel", "responses").iter_rows())["online"] == 511
    assert by_channel["responses"].sum() == 511
    ids = online.responses.select("response_id").collect()["response_id"]
    for table in ("answers", "comments", "themes"):
        rows = getattr(online, table).collect()
        expected = getattr(area, table).filter(pl.col("response_id").is_in(ids.implode()))
        assert_frame_equal(rows, expected.collect())
        assert 0 < rows.height < getattr(area, table).select(pl.len()).collect().item()
    whole = subset(demo, pl.col("channel") == "online")
    assert participation.total_responses(for_area(whole, region="North West")) == 511


@pytest.mark.parametrize("column", ["region", "locality"])
def test_a_place_is_not_a_subset(demo: CleanData, column: str) -> None:
    """A condition on the place would leave events, actions and the area's name covering
    the whole area: ``subset`` refuses it and points to ``for_area``."""
    with pytest.raises(ValueError, match="for_area"):
        subset(demo, (pl.col(column) == "North West") & (pl.col("channel") == "online"))


def test_quotes_past_the_stored_depth_come_from_the_rows(demo: CleanData) -> None:
    """Three quotes a theme (validate's depth) come from the stored candidates, without the
    comments; more than that, or another minimum length, from the area's rows."""
    area = for_area(demo, region="London")
    question = next(q.id for q in demo.consultation.questions if q.type == "free_text")
    no_comments = replace(area, comments=area.comments.head(0))
    from_rows = replace(area, aggregates=None)
    stored = themes.quotes(no_comments, question, 3)
    assert stored.height > 0
    assert_frame_equal(stored, themes.quotes(from_rows, question, 3))
    for per_theme, min_length in ((5, MIN_QUOTE_LENGTH), (3, 80)):
        assert themes.quotes(no_comments, question, per_theme, min_length).height == 0
        assert_frame_equal(
            themes.quotes(area, question, per_theme, min_length),
            themes.quotes(from_rows, question, per_theme, min_length),
        )


def test_clean_data_without_usable_tallies_is_validated_again(
    demo_root: Path, tmp_path: Path
) -> None:
    """Clean data without tallies of this format (an earlier version's), with a tally file
    missing or unreadable, or with fewer quote candidates than the settings ask for, is
    stale: the runner validates again rather than reading every row for every report."""
    root = tmp_path / "project"
    shutil.copytree(demo_root, root)
    folder = clean_dir(DEMO, root) / "aggregates"
    about = folder / "aggregates.json"
    written = about.read_text()
    assert not is_stale(DEMO, root) and not is_stale(DEMO, root, 3)
    assert is_stale(DEMO, root, 4)
    for broken in (json.dumps({**json.loads(written), "format": 0}), "{not json"):
        about.write_text(broken)
        assert is_stale(DEMO, root)
        assert load_clean(DEMO, root).aggregates is None
    about.write_text(written)
    (folder / "respondents.parquet").unlink()
    assert is_stale(DEMO, root)
    shutil.rmtree(folder)
    assert is_stale(DEMO, root)


def test_the_stored_files_are_the_registry_s_tallies(demo: CleanData) -> None:
    """One declaration per tally: its name is its file, and what is made and read has its
    declared columns and types."""
    assert tuple(tally.name for tally in TALLIES) == NAMES
    assert len(set(NAMES)) == len(NAMES)
    assert demo.aggregates is not None
    made = summarise(demo)
    for tally in TALLIES:
        assert dict(demo.aggregates[tally.name].schema) == tally.schema, tally.name
        assert dict(made[tally.name].schema) == tally.schema, tally.name


def test_regions_are_tallied_in_runs_of_neighbours() -> None:
    slices = {"A": (0, 5), "B": (5, 4), "C": (9, 12), "D": (21, 1), "E": (22, 3)}
    assert region_runs(slices, 10) == [["A", "B"], ["C"], ["D", "E"]]
    assert region_runs(slices, 100) == [["A", "B", "C", "D", "E"]]
    assert region_runs({}, 10) == []


def test_a_region_in_parts_holds_each_of_its_rows_in_one_part(demo: CleanData) -> None:
    """A region's parts: its responses in slices of at most the bound, in file order, and
    each answer, comment and theme of the region in the part of its response only."""
    region = "East of England"  # 1,035 responses
    parts = region_parts(demo, region, 400)
    assert [p.responses.select(pl.len()).collect().item() for p in parts] == [400, 400, 235]
    whole = of_regions(demo, [region])
    for table in ("responses", "answers", "comments", "themes"):
        pieces = [getattr(part, table).collect() for part in parts]
        for part, rows in zip(parts, pieces, strict=True):
            ids = part.responses.select("response_id").collect()["response_id"]
            assert rows["response_id"].is_in(ids.implode()).all() and rows.height > 0
        assert_frame_equal(pl.concat(pieces), getattr(whole, table).collect())


def test_a_run_of_regions_is_one_slice_of_each_file(demo: CleanData) -> None:
    """The rows of neighbouring regions, read as one slice, are those regions' rows."""
    regions = list(demo.region_rows["responses"])[2:5]
    run = of_regions(demo, regions)
    for table in ("responses", "answers", "comments", "themes"):
        ids = run.responses.select("response_id").collect()["response_id"]
        rows = getattr(run, table).collect()
        expected = getattr(demo, table).collect()
        if table == "responses":
            expected = expected.filter(pl.col("region").cast(pl.String).is_in(regions))
        else:
            expected = expected.filter(pl.col("response_id").is_in(ids.implode()))
        assert_frame_equal(rows, expected)
        assert rows.height > 0
