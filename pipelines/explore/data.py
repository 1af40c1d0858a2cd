"""Load a consultation, narrow it to a place or a subset of responses, and check that the
data an analysis is given still agrees with the tallies it sums."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import polars as pl

from pipelines.consultation import Consultation, Question
from pipelines.errors import InputError
from pipelines.explore.choices import chosen, unknown
from pipelines.geography import resolve_region
from pipelines.paths import consultation_name
from pipelines.store import clean_data
from pipelines.store.clean_data import CleanData, for_area, load_clean


@dataclass(frozen=True)
class Source:
    """Where a loaded consultation came from: its folder name and the project root."""

    consultation: str
    root: Path | None


#: Each loaded consultation's source, by its questionnaire object (shared by every area and
#: subset of the data; kept here so the object, and so its id, stays alive).
_SOURCES: dict[int, tuple[Consultation, Source]] = {}


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
    data = load_clean(consultation, root)
    _SOURCES[id(data.consultation)] = (data.consultation, Source(consultation, root))
    return data


def source(data: CleanData) -> Source:
    """The consultation folder and project root ``data`` was loaded from."""
    known = _SOURCES.get(id(data.consultation))
    if known is None or known[0] is not data.consultation:
        raise InputError("This data was not loaded with explore.load(...): load it with load()")
    return known[1]


def regions(data: CleanData) -> list[str]:
    """The consultation's region names, in the geography's order."""
    return data.regions["region"].unique(maintain_order=True).to_list()


def _region_name(data: CleanData, region: str | None) -> str | None:
    """A region's display name from its name or slug (as :func:`for_area` resolves it,
    without narrowing the data), or an InputError listing the choices."""
    return resolve_region(region, data.regions) if region else None


def localities(data: CleanData, region: str) -> list[str]:
    """The localities of ``region`` (name or slug), in the geography's order."""
    name = _region_name(data, region)
    rows = data.regions.filter(pl.col("region") == name)
    return rows["locality"].drop_nulls().to_list()


def area(data: CleanData, region: str | None = None, locality: str | None = None) -> CleanData:
    """The data narrowed to a region (name or slug) or one of its localities; ``area(data)``
    is the whole consultation. Every analysis then covers that area only.

    An unknown region or locality is an ``InputError`` listing the choices (never zeros). A
    locality alone finds its region."""
    check_tallies(data)
    if locality and not region:
        matches = data.regions.filter(pl.col("locality") == locality)["region"].to_list()
        if not matches:
            every = data.regions["locality"].drop_nulls().to_list()
            raise unknown("locality", locality, every)
        region = matches[0]
    if locality:
        name = _region_name(data, region)
        chosen("locality", locality, localities(data, region or ""), f"in {name}")
    return for_area(data, region=region or None, locality=locality or None)


def question(data: CleanData, question_id: str) -> Question:
    """A question of the consultation by its id (``"q4"``); an unknown id is an
    ``InputError`` listing every question with its title."""
    ids = [q.id for q in data.consultation.questions]
    if question_id not in ids:
        titles = [f"{q.id} ({q.title})" for q in data.consultation.questions]
        error = unknown("question", question_id, ids)
        raise InputError(f"{error} The questions: {'; '.join(titles)}.")
    return data.consultation.question(question_id)


def subset(data: CleanData, where: pl.Expr) -> CleanData:
    """The responses ``where`` keeps (``pl.col("group") == "unpaid_carer"``), with their
    answers, comments and themes; the stored tallies are dropped so the analyses tally the
    rows kept (:func:`pipelines.store.clean_data.subset`). A column the responses do not
    have is an ``InputError`` listing the ones they do."""
    check_tallies(data)
    columns = data.responses.collect_schema().names()
    for name in where.meta.root_names():
        chosen("column", name, columns, "in the responses")
    return clean_data.subset(data, where)


# --- the tallies and the rows must agree -----------------------------------------------


def _rows_by_place(data: CleanData) -> pl.DataFrame:
    return (
        data.responses.group_by(
            pl.col("region").cast(pl.String), pl.col("locality").cast(pl.String), "group"
        )
        .agg(pl.len().cast(pl.Int64).alias("rows"))
        .with_columns(pl.col("group").cast(pl.String))
        .collect()
    )


def check_tallies(data: CleanData) -> None:
    """Refuse data whose stored tallies describe other rows than its responses.

    The analyses sum the tallies ``validate`` stored by place, not the rows: responses
    filtered by hand (``replace(data, responses=data.responses.filter(...))``) keep the tallies
    of the whole area, and every analysis would quietly count the whole area again. Counts
    of responses by place and group are compared; a difference is an ``InputError`` saying
    what to do instead."""
    if data.aggregates is None:
        return
    tallied = (
        data.aggregates["responses_by_group"]
        .group_by("region", "locality", "group")
        .agg(pl.col("responses").sum().cast(pl.Int64).alias("tallied"))
    )
    both = tallied.join(
        _rows_by_place(data), on=["region", "locality", "group"], how="full", coalesce=True
    ).fill_null(0)
    if both.filter(pl.col("tallied") != pl.col("rows")).is_empty():
        return
    rows, tallies = int(both["rows"].sum()), int(both["tallied"].sum())
    raise InputError(
        f"These responses ({rows:,}) are not the ones the stored tallies count ({tallies:,}): "
        "the responses were filtered by hand and the tallies were kept, so every analysis "
        "would report the whole area. Use explore.subset(data, condition) for a subset of "
        "responses (it tallies the rows kept), or explore.area(data, region=..., "
        "locality=...) for a place."
    )


class Checked:
    """A module of :mod:`pipelines.analysis` whose functions check the data they are given
    (:func:`check_tallies`) before they run; everything else is the module's own."""

    def __init__(self, module: ModuleType) -> None:
        self._module = module
        self.__doc__ = module.__doc__

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._module, name)
        if not callable(value) or isinstance(value, type):
            return value
        return _checking(value)

    def __dir__(self) -> list[str]:
        return dir(self._module)

    def __repr__(self) -> str:
        return f"<checked {self._module.__name__}>"


def _checking(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        for value in (*args, *kwargs.values()):
            if isinstance(value, CleanData):
                check_tallies(value)
        return function(*args, **kwargs)

    return checked
