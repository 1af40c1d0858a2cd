"""Load a consultation's clean data in one line, and narrow it to an area."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.consultation import Consultation, load_consultation
from pipelines.geography import load_population, load_regions, resolve_region
from pipelines.paths import clean_dir, raw_dir
from pipelines.store.aggregates import Aggregates, narrowed, read_aggregates
from pipelines.store.layout import stored_region_rows

OPTIONAL_TABLES: tuple[str, ...] = ("themes", "events", "attendance", "actions")
#: Clean tables holding rows of valid responses only (``validate`` keeps only the rows of
#: clean responses); themes also keep coded rows of responses that were quarantined.
RESPONSES_ONLY: tuple[str, ...] = ("answers", "comments")


@dataclass(frozen=True)
class Area:
    """The area a report covers: the whole consultation, one region, or a locality in it."""

    region: str | None = None
    locality: str | None = None

    @property
    def level(self) -> str:
        if self.locality:
            return "locality"
        return "region" if self.region else "consultation"

    @property
    def name(self) -> str:
        return self.locality or self.region or "All regions"


@dataclass(frozen=True)
class CleanData:
    """A consultation's clean tables as LazyFrames, with its metadata and reference data.

    Optional tables that the consultation did not supply are empty frames with their schema,
    so analyses run unchanged and report "no events" rather than failing.
    """

    consultation: Consultation
    responses: pl.LazyFrame
    answers: pl.LazyFrame
    comments: pl.LazyFrame
    themes: pl.LazyFrame
    events: pl.LazyFrame
    attendance: pl.LazyFrame
    actions: pl.LazyFrame
    regions: pl.DataFrame
    population: pl.DataFrame
    validation: dict[str, Any]
    present: frozenset[str]
    area: Area = Area()
    #: table -> region -> (first row, rows), for tables written in region order: one
    #: region's load then reads only that slice of the file (see :func:`for_area`)
    region_rows: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    #: the area's tallies by place, which every analysis sums
    #: (:mod:`pipelines.store.aggregates`); None: tallied from the rows when asked.
    #: Narrow the data with :func:`for_area` or :func:`subset`, which keep the two in step:
    #: tallies stored with frames filtered by hand would describe other rows.
    aggregates: Aggregates | None = None

    def has(self, table: str) -> bool:
        """Whether the consultation supplied ``table`` (events, attendance, themes, actions)."""
        return table in self.present


EMPTY_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "themes": {"response_id": pl.String(), "question_id": pl.String(), "theme": pl.String()},
    "events": {
        "event_id": pl.String(),
        "title": pl.String(),
        "date": pl.Date(),
        "venue": pl.String(),
        "region": pl.String(),
        "locality": pl.String(),
        "format": pl.String(),
        "ladder_rung": pl.String(),
    },
    "attendance": {"event_id": pl.String(), "group": pl.String(), "attendees": pl.Int64()},
    "actions": {
        "action_id": pl.String(),
        "region": pl.String(),
        "locality": pl.String(),
        "theme": pl.String(),
        "you_said": pl.String(),
        "we_did": pl.String(),
        "owner": pl.String(),
        "status": pl.String(),
        "due": pl.Date(),
        "feedback_given": pl.Date(),
    },
}


def load_clean(
    consultation: str, root: Path | None = None, folder: Path | None = None
) -> CleanData:
    """All of a consultation's clean data, lazily: ``data = load_clean("demo-care-at-home-2026")``.

    ``folder``: read the clean tables from there rather than ``data/clean/<consultation>/``
    (``prepare`` tallies the tables it is about to publish).
    """
    folder = clean_dir(consultation, root) if folder is None else folder
    if not (folder / "responses.parquet").is_file():
        raise FileNotFoundError(
            f"No clean data in {folder}: run `workbook validate {consultation}` first"
        )
    tables: dict[str, pl.LazyFrame] = {}
    present = set()
    region_rows: dict[str, dict[str, tuple[int, int]]] = {}
    for name in ("responses", "answers", "comments", *OPTIONAL_TABLES):
        path = folder / f"{name}.parquet"
        if path.is_file():
            tables[name] = pl.scan_parquet(path)
            present.add(name)
            slices = stored_region_rows(path)
            if slices is not None:
                region_rows[name] = slices
        else:
            tables[name] = pl.LazyFrame(schema=EMPTY_SCHEMAS[name])
    raw = raw_dir(consultation, root)
    return CleanData(
        consultation=load_consultation(raw),
        regions=load_regions(raw, root),
        population=load_population(raw, root),
        validation=json.loads((folder / "validation.json").read_text(encoding="utf-8")),
        present=frozenset(present),
        region_rows=region_rows,
        aggregates=read_aggregates(folder),
        **tables,
    )


def _region_slice(data: CleanData, table: str, area: Area) -> pl.LazyFrame:
    """The table, or only the rows of ``area``'s region where the file says where they are.

    Filters still apply afterwards, so the slice only saves reading other regions' rows.
    """
    frame: pl.LazyFrame = getattr(data, table)
    slices = data.region_rows.get(table)
    if area.region is None or data.area != Area() or slices is None:
        return frame
    first, rows = slices.get(area.region, (0, 0))
    return frame.slice(first, rows)


def _in_area(frame: pl.LazyFrame, area: Area) -> pl.LazyFrame:
    if area.region is not None:
        frame = frame.filter(pl.col("region").cast(pl.String) == area.region)
    if area.locality is not None:
        frame = frame.filter(pl.col("locality").cast(pl.String) == area.locality)
    return frame


def _already_narrowed(data: CleanData, table: str, area: Area) -> bool:
    """Whether ``table`` (answers, comments or themes) needs no join to ``area``'s responses.

    * The whole consultation: answers and comments hold rows of clean responses only; themes
      also keep rows of quarantined responses, so they are still joined.
    * A whole region whose rows the file holds as one slice: ``validate`` writes each of these
      files in region order, and a region's slice holds the rows of that region's clean
      responses and no others (themes of quarantined responses have no region and come after
      every slice).

    The join on response ids was most of a region's load: about 1.2 s of 3.4 for a region of
    1.7 million responses and 10 million answers."""
    if data.area != Area() or area.locality is not None:
        return False
    if area.region is None:
        return table in RESPONSES_ONLY
    return area.region in data.region_rows.get(table, {})


def for_area(data: CleanData, region: str | None = None, locality: str | None = None) -> CleanData:
    """The data narrowed to a region (name or slug) or a locality within it.

    Answers, comments and themes follow their responses; events and actions carry their own
    region and locality.
    """
    area = Area(region=resolve_region(region, data.regions) if region else None, locality=locality)
    responses = _in_area(_region_slice(data, "responses", area), area)
    ids = responses.select("response_id")

    def of_responses(table: str) -> pl.LazyFrame:
        frame = _region_slice(data, table, area)
        if _already_narrowed(data, table, area):
            return frame
        return frame.join(ids, on="response_id", how="semi")

    return replace(
        data,
        area=area,
        responses=responses,
        answers=of_responses("answers"),
        comments=of_responses("comments"),
        themes=of_responses("themes"),
        events=_in_area(data.events, area),
        attendance=data.attendance.join(
            _in_area(data.events, area).select("event_id"), on="event_id", how="semi"
        ),
        actions=_in_area(data.actions, area),
        aggregates=None
        if data.aggregates is None
        else narrowed(data.aggregates, area.region, area.locality),
    )


def subset(data: CleanData, where: pl.Expr) -> CleanData:
    """The data narrowed to the responses ``where`` keeps (``pl.col("channel") == "online"``),
    for an analysis of a subset of one's own.

    Answers, comments and themes follow the responses kept. The stored tallies describe the
    whole area, so they are dropped: the analyses tally the rows kept. So are the region
    slices, which say where rows sit in the files, not in the filtered frames. Events,
    attendance and actions are not responses: they are kept whole, so the analyses of them
    (and ``people_reached_by_group``, which adds attendees to responses) still cover the
    whole area. A place is not a subset: ``where`` naming ``region`` or ``locality`` is a
    ``ValueError`` pointing to :func:`for_area`, which narrows events and actions too.
    """
    places = {"region", "locality"} & set(where.meta.root_names())
    if places:
        raise ValueError(
            f"subset() keeps responses, not places: {', '.join(sorted(places))} in the "
            "condition would leave events, actions and the area's name covering the whole "
            "area. Narrow to a place with for_area(data, region=..., locality=...) "
            "(explore.area), then subset."
        )
    responses = data.responses.filter(where)
    ids = responses.select("response_id")
    return replace(
        data,
        responses=responses,
        answers=data.answers.join(ids, on="response_id", how="semi"),
        comments=data.comments.join(ids, on="response_id", how="semi"),
        themes=data.themes.join(ids, on="response_id", how="semi"),
        region_rows={},
        aggregates=None,
    )
