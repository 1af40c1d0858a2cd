"""The data path at scale: K-region samples, GX over distinct values, region-ordered clean
data and one region's load, stage timings. Speed itself is measured by the benchmark."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines.analysis.participation import participation_by_group, participation_by_locality
from pipelines.cli import main
from pipelines.ingest.mapping import coded, coded_values, parsed_datetime, parsed_datetime_values
from pipelines.ingest.read import ROW
from pipelines.redact import RedactionLog, redact_many
from pipelines.sample import write_sample
from pipelines.store.clean_data import for_area, load_clean
from pipelines.store.layout import REGION_ORDERED
from pipelines.validate.gx_suites import (
    SHARED_BATCH_LIMIT,
    VALUE_SET_LIMIT,
    nullness,
    plan_batches,
    rows_outside_set,
)
from pipelines.validate.redacted import redact_texts

NAME = "k-regions"


@pytest.fixture(scope="module")
def k_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-contained 3-region sample, validated into its own root."""
    from pipelines.prepare import prepare_consultation

    root = tmp_path_factory.mktemp("scale")
    write_sample(root / "data" / "raw" / NAME, responses=900, seed=7, regions=3)
    summary = prepare_consultation(NAME, root=root)
    (root / "stage_seconds.txt").write_text(repr(summary.stage_seconds), encoding="utf-8")
    return root


def test_k_regions_sample_brings_its_own_geography(k_root: Path) -> None:
    folder = k_root / "data" / "raw" / NAME
    regions = pl.read_csv(folder / "regions.csv")
    assert regions["region"].unique(maintain_order=True).to_list() == [
        "Region 001",
        "Region 002",
        "Region 003",
    ]
    assert regions.height == 9 and regions["locality"].null_count() == 0
    population = pl.read_csv(folder / "population.csv", comment_prefix="#")
    whole = population.filter(pl.col("locality").is_null() & (pl.col("dimension") == "sex"))
    parts = population.filter(pl.col("locality").is_not_null() & (pl.col("dimension") == "sex"))
    assert whole["population"].sum() == parts["population"].sum() > 0
    assert not (k_root / "data" / "reference").exists()  # nothing shared was needed


def test_default_sample_has_no_geography_of_its_own(tmp_path: Path) -> None:
    folder = write_sample(tmp_path / "plain", responses=60)
    assert not (folder / "regions.csv").exists()


def test_sample_refuses_no_regions(tmp_path: Path) -> None:
    assert main(["sample", "--out", str(tmp_path / "x"), "--regions", "0"]) == 2
    assert not (tmp_path / "x").exists()


def test_stage_seconds_name_the_four_stages(k_root: Path) -> None:
    seconds = eval((k_root / "stage_seconds.txt").read_text(encoding="utf-8"))
    assert set(seconds) == {"read", "validate", "clean", "aggregate"}
    assert all(value > 0 for value in seconds.values())


def test_clean_tables_are_in_region_order_with_their_slices(k_root: Path) -> None:
    data = load_clean(NAME, root=k_root)
    responses = data.responses.collect()
    physical = responses["region"].to_physical()
    assert physical.is_sorted() and responses.height > 800
    assert set(data.region_rows) == set(REGION_ORDERED)
    for region, (first, rows) in data.region_rows["responses"].items():
        assert responses.slice(first, rows)["region"].cast(pl.String).unique().to_list() == [region]
    answers = data.answers.collect()
    region_of = responses.select("response_id", pl.col("region").cast(pl.String))
    for region, (first, rows) in data.region_rows["answers"].items():
        ids = answers.slice(first, rows).join(region_of, on="response_id", how="left")
        assert ids["region"].unique().to_list() == [region]
    assert sum(rows for _, rows in data.region_rows["answers"].values()) == answers.height


def test_one_region_load_equals_the_filtered_load(k_root: Path) -> None:
    data = load_clean(NAME, root=k_root)
    unsliced = replace(data, region_rows={})
    for region in ("Region 002", "region-003"):
        sliced, filtered = for_area(data, region), for_area(unsliced, region)
        for table in ("responses", "answers", "comments", "themes"):
            assert_frame_equal(getattr(sliced, table).collect(), getattr(filtered, table).collect())
        assert_frame_equal(participation_by_group(sliced), participation_by_group(filtered))
        assert_frame_equal(participation_by_locality(sliced), participation_by_locality(filtered))
    locality = for_area(data, "Region 001", "Locality 001-2").responses.collect()
    assert locality["locality"].cast(pl.String).unique().to_list() == ["Locality 001-2"]


def _rule(kind: str, column: str, rule: str, value_set: str | None = None) -> dict:
    """A suite's expectation as ``expectations/*.json`` writes one."""
    kwargs: dict = {"column": column}
    if value_set is not None:
        kwargs["value_set"] = {"$PARAMETER": value_set}
    meta = {"rule": rule, "field": column, "message": "m"}
    return {"type": f"expect_column_values_to_{kind}", "kwargs": kwargs, "meta": meta}


SUITE = [
    _rule("not_be_null", "key", "required"),
    _rule("be_unique", "key", "key_unique"),
    _rule("be_in_set", "colour", "colour_known", "colours"),
    _rule("be_in_set", "ref", "ref_known", "refs"),
]
FRAME = pl.DataFrame(
    {
        ROW: [2, 3, 4, 5, 6],
        "key": [1, 2, 2, None, 5],
        "colour": ["red", "red", "mauve", None, "mauve"],
        "ref": [0, 1, -7, None, 3],
    }
)


def test_gx_sees_distinct_values_and_every_row_only_for_uniqueness() -> None:
    params = {"colours": ["red", "blue"], "refs": list(range(VALUE_SET_LIMIT + 1))}
    plan = plan_batches(SUITE, FRAME, params)
    by_name = {batch.name: batch for batch in plan.batches}
    assert by_name["rows"].expectations == (0, 1) and by_name["rows"].frame.height == 5
    values = by_name["values"]
    assert values.expectations == (2, 3)
    assert set(values.distinct["colour"].to_list()) == {"mauve", "red", None}
    assert values.parameters["colours"] == ["red"]  # narrowed to the values present
    mauve = values.distinct["colour"].to_list().index("mauve")
    assert values.source_rows(FRAME, "colour", [mauve]) == (4, 6)
    assert values.parameters["refs"] == [0, 1, 3] and plan.in_polars == ()
    many = pl.DataFrame({ROW: range(VALUE_SET_LIMIT + 3), "ref": [*range(VALUE_SET_LIMIT + 2), -7]})
    many = many.with_columns(key=pl.col(ROW), colour=pl.lit("red"))
    big = plan_batches(SUITE, many, params)
    assert big.in_polars == (3,)  # still too many values for GX: the same rule in polars
    assert rows_outside_set(many, SUITE[3], params) == (VALUE_SET_LIMIT + 1, VALUE_SET_LIMIT + 2)


def test_a_key_judged_only_for_being_given_shows_gx_two_values() -> None:
    """coding's response key: ``required`` in GX, ``response_known`` (too many keys for GX)
    in polars. GX sees one given key and a null, not every distinct key, and the null rows
    are still the ones set aside."""
    suite = [
        _rule("not_be_null", "key", "required"),
        _rule("be_in_set", "key", "key_known", "keys"),
        SUITE[2],
    ]
    size = SHARED_BATCH_LIMIT + 10
    frame = pl.DataFrame({ROW: range(size), "key": range(size), "colour": ["red"] * size})
    frame = frame.with_columns(key=pl.when(pl.col(ROW) % 1000 == 7).then(None).otherwise("key"))
    params = {"keys": pl.Series(range(size)), "colours": ["red"]}
    plan = plan_batches(suite, frame, params)
    assert plan.in_polars == (1,)
    [values] = plan.batches
    assert values.name == "values" and values.expectations == (0, 2)
    assert values.distinct["key"].len() == 2 and values.distinct["key"].null_count() == 1
    null = values.distinct["key"].to_list().index(None)
    assert values.source_rows(frame, "key", [null]) == tuple(range(7, size, 1000))
    nulls_only = frame.with_columns(key=pl.lit(None, pl.Int64))
    assert nullness(nulls_only["key"]).to_list() == [None]
    assert nullness(frame["key"].drop_nulls()).to_list() == [0]


def test_coded_values_and_dates_match_the_row_by_row_expressions() -> None:
    answers = pl.Series("a", ["Agree", "  AGREE ", None, "Excellent", "agree", "Excellent"])
    lookup = {"agree": "agree", "disagree": "disagree"}
    expected = answers.to_frame().select(coded(pl.col("a"), lookup))["a"]
    assert coded_values(answers, lookup).to_list() == expected.to_list()
    texts = pl.Series(
        "t", ["2026-03-02T10:00:00Z", "02/03/2026 10:00", "yesterday", None, "31/02/2026", "46000"]
    )
    for excel in (False, True):
        when, fmt = parsed_datetime(pl.col("t"), excel_serials=excel)
        expected_frame = texts.to_frame().select(when.alias("value"), fmt.alias("format"))
        assert_frame_equal(parsed_datetime_values(texts, excel_serials=excel), expected_frame)


def test_each_distinct_comment_is_redacted_once_but_counted_every_time() -> None:
    texts = pl.Series("text", ["Ring 07700 900123", None, "Fine", "Ring 07700 900123"])
    log, one_by_one = RedactionLog(), RedactionLog()
    redacted = redact_texts(texts, log)
    assert redacted.to_list() == redact_many(texts.to_list(), one_by_one)
    assert log.as_dict() == one_by_one.as_dict() and log.counts["phone"] == 2


def test_a_csv_read_in_batches_gives_the_same_clean_data(
    k_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big export is parsed and standardised in row batches: same tables, same ledger."""
    import json
    import shutil

    from pipelines.ingest import read
    from pipelines.validate.run import validate_consultation

    shutil.copytree(k_root / "data" / "raw", tmp_path / "data" / "raw")
    monkeypatch.setattr(read, "STREAM_BYTES", 0)
    monkeypatch.setattr(read, "CHUNK_ROWS", 100)
    summary = validate_consultation(NAME, root=tmp_path)
    whole, batched = k_root / "data" / "clean" / NAME, summary.clean_dir
    for path in sorted(whole.glob("*.parquet")):
        assert_frame_equal(pl.read_parquet(batched / path.name), pl.read_parquet(path))
        assert pl.read_parquet_metadata(batched / path.name) == pl.read_parquet_metadata(path)
    ledgers = [json.loads((d / "validation.json").read_text()) for d in (whole, batched)]
    for ledger in ledgers:
        del ledger["run_id"], ledger["validated_at"]
    assert ledgers[0] == ledgers[1]
