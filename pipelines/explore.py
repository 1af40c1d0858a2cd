"""The analyst's front door: the functions that build the reports, gathered in one import.

A number found here is the number a commissioner reads, because nothing here computes on its
own: loading is :func:`pipelines.store.clean_data.load_clean`, the analyses are the modules of
:mod:`pipelines.analysis`, disclosure control is :func:`pipelines.disclosure.control` with the
reports' table specs, charts are :mod:`pipelines.charts.figures`, and a CSV is written by the
reports' own safe writer (:func:`pipelines.report.publish.table_csv`). See ``docs/analysts.md``.

    from pipelines.explore import load, area, protect, export, bar_chart, use_interactive_charts
    from pipelines.explore import participation, specs

    use_interactive_charts()
    data = load("demo-care-at-home-2026")            # validated if needed; LazyFrames
    north_west = area(data, region="north-west")
    online = subset(north_west, pl.col("channel") == "online")  # re-tallied from its rows
    groups = protect("participation_by_group",
                     participation.participation_by_group(north_west), specs.PARTICIPATION)
    bar_chart(groups, "label", title="Responses by stakeholder group")
    export(groups, "participation_by_group.csv")
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import polars as pl

from pipelines.analysis import actions, events, participation, questions, representation, themes
from pipelines.atomic import write_bytes_atomic
from pipelines.charts import figures
from pipelines.charts.interactive import (
    chart_mode,
    current_mode,
    explorable,
    show,
    use_charts,
    use_interactive_charts,
    use_static_charts,
)
from pipelines.disclosure import Controlled, TableSpec, control
from pipelines.paths import ROOT, consultation_name, reports_dir
from pipelines.report import specs
from pipelines.report.publish import table_csv
from pipelines.store.clean_data import Area, CleanData, for_area, load_clean, subset

__all__ = [
    "Area",
    "CleanData",
    "Controlled",
    "TableSpec",
    "actions",
    "area",
    "bar_chart",
    "chart_mode",
    "current_mode",
    "events",
    "explorable",
    "export",
    "exports_dir",
    "figures",
    "heatmap_chart",
    "likert_chart",
    "load",
    "localities",
    "participation",
    "protect",
    "questions",
    "regions",
    "representation",
    "representation_chart",
    "show",
    "specs",
    "subset",
    "themes",
    "use_charts",
    "use_interactive_charts",
    "use_static_charts",
]


# --- load ------------------------------------------------------------------------------


def load(consultation: str, root: Path | None = None, validate: bool = True) -> CleanData:
    """A consultation's clean data as LazyFrames, in one line: ``data = load("demo-care-at-home-2026")``.

    With ``validate`` (the default) the consultation and its previous wave are first validated
    where their clean data is missing or older than the raw files — the same check
    ``workbook report`` makes — so a fresh checkout needs no other step. Validation takes
    some seconds (Great Expectations); loading itself is lazy and instant.
    """
    consultation = consultation_name(consultation, root, must_exist=validate)
    if validate:
        from pipelines.prepare import ensure_prepared
        from pipelines.settings import load_settings

        ensure_prepared(consultation, root, load_settings())
    return load_clean(consultation, root)


def area(data: CleanData, region: str | None = None, locality: str | None = None) -> CleanData:
    """The data narrowed to a region (name or slug) or one of its localities; ``area(data)``
    is the whole consultation. Every analysis then covers that area only."""
    return for_area(data, region=region or None, locality=locality or None)


def regions(data: CleanData) -> list[str]:
    """The consultation's region names, in the geography's order."""
    return data.regions["region"].unique(maintain_order=True).to_list()


def localities(data: CleanData, region: str) -> list[str]:
    """The localities of ``region`` (name or slug), in the geography's order."""
    name = for_area(data, region=region).area.region
    rows = data.regions.filter(pl.col("region") == name)
    return rows["locality"].drop_nulls().to_list()


# --- disclosure and export -------------------------------------------------------------


def protect(
    table_id: str,
    frame: pl.DataFrame,
    spec: TableSpec,
    profile: str | None = None,
    min_cell: int | None = None,
) -> Controlled:
    """Disclosure control, exactly as the reports apply it, before a number is shared.

    ``spec`` says which columns count people (take it from :mod:`pipelines.report.specs`,
    e.g. ``specs.PARTICIPATION`` or ``specs.QUESTION``). ``profile`` and ``min_cell``
    default to ``config/workbook.yml`` (``restricted``, 10). The result's ``.published()``
    is the table as text with ``[c]`` where suppressed; charts and exports take it whole.
    """
    from pipelines.settings import load_settings

    settings = load_settings().with_overrides(disclosure=profile, min_cell=min_cell)
    return control(table_id, frame, spec, settings.disclosure, settings.min_cell)


def exports_dir(consultation: str, root: Path | None = None) -> Path:
    """Where analysts' CSVs go by default: ``reports/<consultation>/exports/`` (not in git)."""
    return reports_dir(consultation_name(consultation, root, must_exist=False), root) / "exports"


def export(table: Controlled, path: str | Path) -> Path:
    """Write a protected table as the reports' CSV (UTF-8 with BOM, ``[c]`` for suppressed
    cells, spreadsheet formulas neutralised), atomically; returns the file written.

    Only a :class:`~pipelines.disclosure.Controlled` table can be exported: run
    :func:`protect` first. A relative ``path`` is taken from the project root, never the
    working directory.
    """
    if not isinstance(table, Controlled):
        raise TypeError("export() takes a protected table: call protect(...) first")
    target = Path(path)
    if not target.is_absolute():
        target = ROOT / target
    write_bytes_atomic(target, table_csv(table))
    return target


# --- charts ----------------------------------------------------------------------------


def _shown(table: Controlled, value: str, kind: str, count: str | None) -> pl.DataFrame:
    from pipelines.report.wording import shown_column

    return shown_column(table, value, kind, count)


def bar_chart(
    table: Controlled,
    category: str,
    value: str = "percent",
    count: str | None = "responses",
    *,
    title: str,
    axis_title: str = "% of responses",
    kind: str = "percent",
    sort: list[str] | None = None,
) -> alt.LayerChart:
    """The reports' bar chart of a protected table: one bar per ``category``, each labelled
    (``"41% (1,234)"``, or ``[c]`` where suppressed), largest first unless ``sort`` is given.

    ``count``: the count shown in brackets beside a percentage (None for none); ``kind``:
    how ``value`` is written (``"percent"``, ``"count"``).
    """
    frame = _shown(table, value, kind, count)
    return explorable(
        figures.bar_chart(frame, category, value, "shown", title, axis_title, sort=sort)
    )


def likert_chart(table: Controlled, title: str) -> alt.LayerChart:
    """The reports' diverging bar of a protected Likert question table
    (``questions.single_choice`` of a ``likert`` question, with ``specs.QUESTION``)."""
    return explorable(figures.diverging_likert(_shown(table, "percent", "percent", "count"), title))


def heatmap_chart(
    table: Controlled, column: str = "locality", row: str = "label", *, title: str
) -> alt.LayerChart:
    """The reports' grid of a protected group × place table
    (``participation.participation_by_group_and_place`` with ``specs.GROUP_BY_PLACE``)."""
    frame = _shown(table, "responses", "count", None).with_columns(
        pl.col("responses").fill_null(0).alias("_value")
    )
    return explorable(figures.heatmap(frame, row, column, "shown", "_value", title))


def representation_chart(table: Controlled, title: str) -> alt.LayerChart:
    """The reports' "who is missing" chart of a protected representation table
    (``representation.representation`` with ``specs.REPRESENTATION``): each stated
    category's share of respondents against its share of the population, with the 95%
    interval and the finding beside it."""
    from pipelines.report.wording import representation_chart_frame

    frame = representation_chart_frame(table, table.table_id.removeprefix("representation_"))
    return explorable(figures.representation_chart(frame, title))
