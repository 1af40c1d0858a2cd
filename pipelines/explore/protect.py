"""Disclosure control of an analyst's tables, by the reports' own code path, and the
protected tables typed for analysis or written to ``data/exports/<consultation>/``.

:func:`protect` records the tables it is given as the run's plan records a report's
(:class:`~pipelines.report.protect.Recorded`), starts from the rows the report of the same
area hides (its own ``hidden_elsewhere`` and the run's plan,
:func:`pipelines.report.plan.make_plan`), and carries suppression across the tables with
:func:`pipelines.report.protect.protect_run`: no second suppression is written here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

import polars as pl

from pipelines.atomic import write_bytes_atomic
from pipelines.disclosure import Controlled, TableSpec, control, in_fixed_order
from pipelines.errors import InputError
from pipelines.explore.choices import unknown
from pipelines.explore.data import Source, check_tallies, source
from pipelines.geography import slugify
from pipelines.paths import consultation_name, data_dir
from pipelines.report.protect import Recorded, RunPlan, protect_run
from pipelines.store.clean_data import Area, CleanData

#: A table given to :func:`protect`: a report's table by its id (the frame alone), or a
#: table of one's own with its disclosure spec (``(frame, specs.PARTICIPATION)``).
Given = pl.DataFrame | tuple[pl.DataFrame, TableSpec]
#: The column of :meth:`Protected.published` that marks a row shown as ``[c]`` in reports.
FLAG = "suppressed"


@dataclass(frozen=True)
class Protected(Controlled):
    """A table after the reports' disclosure control, for analysts: :meth:`published` is
    typed (numbers as numbers, ``[c]`` as null and a ``suppressed`` flag); the CSV that
    :func:`export` writes is the reports' own, text with ``[c]``."""

    source: Source | None = None
    area_name: str = "All regions"

    def published(self) -> pl.DataFrame:
        """The table as published, typed: each column keeps its type, a suppressed value is
        null, and ``suppressed`` (Boolean) says which rows show ``[c]`` in the report."""
        flags = [self.suppressed[c] for c in self.suppressed.columns]
        hidden = pl.Series(FLAG, [any(row) for row in zip(*flags, strict=True)], pl.Boolean)
        if not flags:
            hidden = pl.Series(FLAG, [False] * self.frame.height, pl.Boolean)
        return self.frame.with_columns(hidden)

    def published_text(self) -> pl.DataFrame:
        """The table as the CSV writes it: every value as text, ``[c]`` where suppressed."""
        return self.controlled().published()

    def controlled(self) -> Controlled:
        """The plain controlled table, as the reports' writers take it."""
        return Controlled(**{f.name: getattr(self, f.name) for f in fields(Controlled)})


@dataclass(frozen=True)
class ReportTables:
    """The tables the report of an area publishes, exact, and the run's plan for them."""

    area: str  # the report's area as the plan names it ("" for the whole consultation)
    name: str
    recorded: Mapping[str, Recorded]
    plan: RunPlan | None


def report_tables(data: CleanData, profile: str, min_cell: int) -> ReportTables:
    """What the report of ``data``'s area publishes (recorded as the plan records it, nothing
    written), with the plan the report reads (none for a locality's report or under ``none``)."""
    from pipelines.report.plan import open_report
    from pipelines.report.tables import publish_tables

    where = source(data)
    report = open_report(
        where.consultation,
        data.area.region or "",
        profile,
        min_cell,
        root=where.root,
        locality=data.area.locality or "",
    )
    recorded: list[Recorded] = []
    report.tables_dir, report.recorded = None, recorded
    publish_tables(report)
    return ReportTables(report.area, data.area.name, {r.table_id: r for r in recorded}, report.plan)


def _settings(profile: str | None, min_cell: int | None) -> tuple[str, int]:
    from pipelines.settings import load_settings

    settings = load_settings().with_overrides(disclosure=profile, min_cell=min_cell)
    return settings.disclosure, settings.min_cell


def _record(report: ReportTables, table_id: str, given: Given) -> Recorded:
    """One given table as the plan records it, starting from the rows its report hides."""
    frame, spec = given if isinstance(given, tuple) else (given, None)
    mine = report.recorded.get(table_id)
    if mine is None:
        if spec is None:
            error = unknown("table", table_id, list(report.recorded), f"in {report.name}'s report")
            raise InputError(
                f"{error} For a table of your own, give its spec: "
                f"protect(data, {{{table_id!r}: (frame, specs.PARTICIPATION)}})."
            )
        return Recorded(report.area, table_id, frame, spec, (False,) * frame.height)
    if not frame.equals(mine.frame, null_equal=True):
        raise InputError(
            f"{table_id!r} is the name of {report.name}'s report table, but this frame holds "
            "other rows or numbers (a subset, or a table of your own): give it a name of your "
            f"own and its spec, e.g. protect(data, {{'my_{table_id}': (frame, spec)}})."
        )
    planned = report.plan.forced(report.area, table_id, frame) if report.plan else None
    hidden = tuple(
        a or b for a, b in zip(mine.elsewhere, planned or [False] * frame.height, strict=True)
    )
    return Recorded(report.area, table_id, frame, mine.spec, hidden)


def protect(
    data: CleanData,
    tables: Mapping[str, Given],
    *,
    profile: str | None = None,
    min_cell: int | None = None,
) -> dict[str, Protected]:
    """Disclosure control of ``tables`` (table id → frame), exactly as the reports apply it,
    before a number is shared: ``protect(place, {"participation_by_group": frame})``.

    A report's table (its id and the frame the analysis gives for ``data``'s area) hides at
    least what the report hides, the run's cross-table plan included; a table of your own is
    given with its spec (from :mod:`pipelines.report.specs`). Report tables alone come out
    exactly as the report publishes them (the run's plan already protects them against every
    table of the run); with tables of your own, the tables given are protected together
    (:func:`~pipelines.report.protect.protect_run`), so no ``[c]`` can be worked back. ``profile``
    and ``min_cell`` default to ``config/workbook.yml`` (``restricted``, 10).
    """
    check_tallies(data)
    profile, min_cell = _settings(profile, min_cell)
    report = report_tables(data, profile, min_cell)
    records = [_record(report, table_id, given) for table_id, given in tables.items()]
    own = [r.table_id not in report.recorded for r in records]
    if profile == "none":
        masks = {i: [False] * r.frame.height for i, r in enumerate(records)}
    elif any(own):
        masks = protect_run(records, profile, min_cell)
    else:  # the report's tables: the run's plan already protects them across every table
        masks = {i: list(r.elsewhere) for i, r in enumerate(records)}
    where = source(data)
    return {
        r.table_id: _protected(r, masks[i], profile, min_cell, where, data.area)
        for i, r in enumerate(records)
    }


def _protected(
    record: Recorded, hidden: list[bool], profile: str, min_cell: int, where: Source, area: Area
) -> Protected:
    controlled = in_fixed_order(
        control(record.table_id, record.frame, record.spec, profile, min_cell, hidden),
        record.spec,
    )
    plain = {f.name: getattr(controlled, f.name) for f in fields(Controlled)}
    return Protected(**plain, source=where, area_name=area.name)


# --- export ----------------------------------------------------------------------------


def exports_dir(consultation: str, root: Path | None = None) -> Path:
    """Where analysts' CSVs go: ``data/exports/<consultation>/`` (git-ignored; never under
    ``reports/``, the folder that is published)."""
    return data_dir(root) / "exports" / consultation_name(consultation, root, must_exist=False)


def export(table: Protected, name: str | None = None) -> Path:
    """Write a protected table as the reports' CSV (UTF-8 with BOM, ``[c]`` for suppressed
    cells, spreadsheet formulas neutralised), atomically, into
    ``data/exports/<consultation>/``; returns the file written.

    ``name``: the file's name in that folder (default ``<area>-<table id>.csv``). Only a
    table from :func:`protect` can be exported, and only into that folder.
    """
    from pipelines.report.publish import table_csv

    if not isinstance(table, Protected) or table.source is None:
        raise InputError("export() takes a table from protect(data, {...}): protect it first")
    folder = exports_dir(table.source.consultation, table.source.root).resolve()
    name = name or f"{slugify(table.area_name)}-{table.table_id}.csv"
    target = (folder / name).resolve()
    if not target.is_relative_to(folder) or target == folder or Path(name).is_absolute():
        raise InputError(
            f"export() writes inside {folder} only: give a file name such as "
            f"'{table.table_id}.csv', not {name!r}"
        )
    if target.suffix != ".csv":
        raise InputError(f"export() writes CSV: end the name with .csv, not {name!r}")
    write_bytes_atomic(target, table_csv(table.controlled()))
    return target
