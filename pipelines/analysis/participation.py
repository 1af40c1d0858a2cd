"""Who took part: responses by group, place and channel, change since the last wave, and
responses by group in every wave of a series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from pipelines.analysis.aggregates import tallies
from pipelines.fields import field_specs
from pipelines.store.clean_data import CleanData

#: Places and the stakeholder group are tallied together; other fields one by one.
BY_GROUP: tuple[str, ...] = ("region", "locality", "group")


def share(column: str) -> pl.Expr:
    """``column`` as a percentage (0–100) of its total; null where the total is 0."""
    total = pl.col(column).sum()
    return pl.when(total > 0).then(pl.col(column) / total * 100).otherwise(None)


def total_responses(data: CleanData) -> int:
    """Valid responses in the area."""
    return int(tallies(data)["responses_by_group"]["responses"].sum())


def responses_by(data: CleanData, column: str) -> pl.DataFrame:
    """``<column>, responses``: the area's responses per value of ``column`` (a place, the
    group, the channel or a monitoring field; null where not given), values with none left out."""
    counted = tallies(data)
    if column in BY_GROUP:
        frame = counted["responses_by_group"]
    else:
        frame = (
            counted["responses_by_field"]
            .filter(pl.col("field") == column)
            .rename({"category": column})
        )
    return frame.group_by(column).agg(pl.col("responses").sum())


def _counts(
    data: CleanData, column: str, categories: list[str], value: str = "responses"
) -> pl.DataFrame:
    """Responses per category of ``column``, every category listed (0 where none), largest first."""
    counts = responses_by(data, column).rename({"responses": value})
    frame = pl.DataFrame({column: categories}, schema={column: pl.String}).with_row_index("_order")
    return (
        frame.join(counts, on=column, how="left", nulls_equal=True)
        .with_columns(pl.col(value).fill_null(0))
        .with_columns(share(value).alias("percent"))
        .sort([value, "_order"], descending=[True, False])
        .drop("_order")
    )


def participation_by_group(data: CleanData) -> pl.DataFrame:
    """``group, label, responses, percent``: responses per stakeholder group.

    Base: valid responses in the area. Every group of the consultation is listed, so a group
    nobody answered for shows as 0.
    """
    groups = data.consultation.groups
    frame = _counts(data, "group", list(groups))
    return frame.select(
        "group", pl.col("group").replace_strict(groups).alias("label"), "responses", "percent"
    )


def participation_by_locality(data: CleanData) -> pl.DataFrame:
    """``locality, responses, percent``: responses per locality of the report's region.

    Base: valid responses in the region. Responses that gave no locality are listed as
    "Not given" so the column still adds up to the region's total.
    """
    localities = (
        data.regions.filter(pl.col("region") == data.area.region)["locality"].drop_nulls().to_list()
        if data.area.region
        else data.regions["locality"].drop_nulls().unique(maintain_order=True).to_list()
    )
    frame = _counts(data, "locality", [*localities, None])
    frame = frame.filter(pl.col("locality").is_not_null() | (pl.col("responses") > 0))
    return frame.with_columns(pl.col("locality").fill_null("Not given")).select(
        "locality", "responses", "percent"
    )


def participation_by_region(data: CleanData) -> pl.DataFrame:
    """``region, responses, percent``: responses per region (the overview). Base: all valid responses."""
    regions = data.regions["region"].unique(maintain_order=True).to_list()
    return _counts(data, "region", regions).select("region", "responses", "percent")


def participation_by_channel(data: CleanData) -> pl.DataFrame:
    """``channel, responses, percent``: how responses came in. Unrecorded channels are "not_given"."""
    channels = list(field_specs()["channel"].codes)
    frame = _counts(data, "channel", [*channels, None])
    frame = frame.filter(pl.col("channel").is_not_null() | (pl.col("responses") > 0))
    return frame.with_columns(pl.col("channel").fill_null("not_given")).select(
        "channel", "responses", "percent"
    )


def participation_by_group_and_place(data: CleanData, place: str = "locality") -> pl.DataFrame:
    """``group, label, <place>, responses``: the group × locality (or region) cross-table, long.

    Every combination of the consultation's groups and the area's places is present (0 where
    nobody responded), so the table can be shown as a grid with margins.
    """
    groups = data.consultation.groups
    if place == "locality" and data.area.region:
        places = (
            data.regions.filter(pl.col("region") == data.area.region)["locality"]
            .drop_nulls()
            .to_list()
        )
    else:
        places = data.regions[place].drop_nulls().unique(maintain_order=True).to_list()
    grid = pl.DataFrame({"group": list(groups)}).join(
        pl.DataFrame({place: pl.Series(place, places, dtype=pl.String)}), how="cross"
    )
    counts = (
        tallies(data)["responses_by_group"]
        .filter(pl.col(place).is_not_null())
        .group_by("group", place)
        .agg(pl.col("responses").sum())
    )
    return (
        grid.join(counts, on=["group", place], how="left")
        .with_columns(
            pl.col("responses").fill_null(0), pl.col("group").replace_strict(groups).alias("label")
        )
        .select("group", "label", place, "responses")
    )


def change_since_previous_wave(
    current: pl.DataFrame, previous: pl.DataFrame | None, key: str
) -> pl.DataFrame:
    """``<key>, responses, previous, change, change_percent``: this wave against the last.

    ``current`` and ``previous`` are participation tables (by group, region or locality) of
    two waves of one series. ``change_percent`` is null where the previous count was 0; the
    whole ``previous`` column is null when there is no earlier wave.
    """
    if previous is None:
        return current.select(
            key,
            "responses",
            pl.lit(None, pl.Int64).alias("previous"),
            pl.lit(None, pl.Int64).alias("change"),
            pl.lit(None, pl.Float64).alias("change_percent"),
        )
    joined = current.select(key, "responses").join(
        previous.select(key, pl.col("responses").alias("previous")),
        on=key,
        how="full",
        coalesce=True,
    )
    return joined.with_columns(
        pl.col("responses").fill_null(0), pl.col("previous").fill_null(0)
    ).with_columns(
        (pl.col("responses") - pl.col("previous")).alias("change"),
        pl.when(pl.col("previous") > 0)
        .then((pl.col("responses") - pl.col("previous")) / pl.col("previous") * 100)
        .alias("change_percent"),
    )


#: The fewest waves (this one included) that make a trend; with two, the change is shown.
TREND_WAVES = 3


def responses_by_wave(waves: Sequence[tuple[str, dt.date, CleanData]]) -> pl.DataFrame:
    """``wave, opened, group, label, responses``: responses per stakeholder group in each
    wave of a series, one row per wave and group.

    ``waves``: (consultation, opened, clean data of the same area) of each wave, earliest
    first, this one last. Base: each wave's valid responses in the area. A wave lists every
    group of its own consultation, in that consultation's order (never by count, so a
    hidden count's place tells nothing), 0 where nobody answered for one; a group keeps the
    label of the latest wave that lists it, so it reads the same on every row.
    """
    schema = {
        "wave": pl.String,
        "opened": pl.Date,
        "group": pl.String,
        "label": pl.String,
        "responses": pl.Int64,
    }
    if not waves:
        return pl.DataFrame(schema=schema)
    parts = []
    for name, opened, data in waves:
        order = pl.DataFrame({"group": list(data.consultation.groups)}, schema={"group": pl.String})
        table = order.join(
            participation_by_group(data), on="group", how="left", maintain_order="left"
        )
        parts.append(
            table.select(
                pl.lit(name, pl.String).alias("wave"),
                pl.lit(opened, pl.Date).alias("opened"),
                "group",
                "label",
                pl.col("responses").cast(pl.Int64),
            )
        )
    rows = pl.concat(parts)
    labels = rows.select("group", "label").unique("group", keep="last", maintain_order=True)
    return (
        rows.drop("label")
        .join(labels, on="group", how="left", maintain_order="left")
        .select(list(schema))
    )
