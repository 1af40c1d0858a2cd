"""Publishing one table: disclosure control (with the run's plan), then the CSV to download.

:func:`pipelines.report.tables.publish_tables` publishes every table of a report through
:meth:`Report.publish`, in one fixed order; this module knows one table at a time.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from pipelines.atomic import write_bytes_atomic, write_text_atomic
from pipelines.disclosure import Controlled, TableSpec, control, in_fixed_order
from pipelines.report.protect import Recorded, RunPlan
from pipelines.store.clean_data import CleanData
from pipelines.textnorm import strip_invisible

#: Characters that make a spreadsheet run a cell as a formula, with their full-width forms
#: (which spreadsheets read as the same characters).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Any one of them, as a regular-expression class.
_FORMULA_CHARACTER = "[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_PREFIXES) + "]"
BOM = "\ufeff"
#: The file beside a report's CSVs that names the disclosure profile they were made under.
DISCLOSURE_NOTE = "DISCLOSURE.txt"


def neutralise_formulas(frame: pl.DataFrame, text_columns: list[str]) -> pl.DataFrame:
    """Prefix ``'`` to text cells that a spreadsheet would run as a formula (OWASP), the
    full-width ``＝ ＋ － ＠`` included."""
    return frame.with_columns(
        pl.when(pl.col(c).str.contains("^" + _FORMULA_CHARACTER))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text_columns
    )


def restore_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """A published CSV's text as written before :func:`neutralise_formulas` guarded it, for a
    page that shows it (an Easy Read list of themes): the ``'`` before a formula character
    taken off. (A cell that itself began ``'=`` reads as ``=``: the guard cannot tell.)"""
    return frame.with_columns(
        pl.when(pl.col(c).str.contains("^'" + _FORMULA_CHARACTER))
        .then(pl.col(c).str.slice(1))
        .otherwise(pl.col(c))
        for c, dtype in frame.schema.items()
        if dtype == pl.String
    )


def table_csv(controlled: Controlled) -> bytes:
    """The published table as UTF-8 CSV with a BOM (so Excel reads accents and £)."""
    published = controlled.published()
    text_columns = [
        c
        for c, dtype in controlled.frame.schema.items()
        if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum)
    ]
    visible = published.with_columns(  # no bidirectional override or zero-width character
        pl.col(c).map_elements(strip_invisible, return_dtype=pl.String) for c in text_columns
    )
    buffer = io.StringIO()
    buffer.write(BOM)
    buffer.write(neutralise_formulas(visible, text_columns).write_csv())
    return buffer.getvalue().encode("utf-8")


@dataclass(frozen=True)
class Wave:
    """An earlier wave of the consultation's series as one report reads it: its clean data
    narrowed to the report's area, and that wave's own disclosure plan (None under
    ``none``, for a locality's report, or until :func:`pipelines.report.plan.open_report`
    adds it)."""

    name: str
    opened: dt.date
    data: CleanData
    plan: RunPlan | None = None


@dataclass
class Report:
    """One report being built: its area's data, its disclosure profile and its tables."""

    data: CleanData
    profile: str
    min_cell: int
    previous: CleanData | None = None
    #: Every earlier wave of the series, earliest first (the last is ``previous``).
    earlier: tuple[Wave, ...] = ()
    tables_dir: Path | None = None
    csv_prefix: str = ""
    quotes_per_theme: int = 3
    tables: dict[str, Controlled] = field(default_factory=dict)
    area: str = ""
    plan: RunPlan | None = None
    #: Set while a run's reports are read for their tables only (the disclosure plan): each
    #: table is recorded exact here, and nothing is written.
    recorded: list[Recorded] | None = None

    def publish(
        self,
        table_id: str,
        frame: pl.DataFrame,
        spec: TableSpec,
        hidden_elsewhere: list[bool] | None = None,
        repeats: bool = False,
    ) -> Controlled:
        """Pass ``frame`` through disclosure control, keep it, and write its CSV.

        ``hidden_elsewhere``: rows already suppressed in another table of this report; the
        run's plan adds the rows other reports' tables need hidden. Rows come out in a
        fixed order that a ``[c]`` value cannot change (:func:`in_fixed_order`).

        ``repeats``: every count of the table is a count another published table shows, and
        ``hidden_elsewhere`` hides each row its source hid (the trend over the waves): the
        plan records it in its place with nothing to link, so it adds no suppression
        elsewhere (the plan names rows by category and place, not by wave).
        """
        controlled = self.controlled(table_id, frame, spec, hidden_elsewhere, repeats)
        first = not self.tables
        self.tables[table_id] = controlled
        if self.tables_dir is not None:
            if first:
                self._mark_profile()
            write_bytes_atomic(self.tables_dir / f"{table_id}.csv", table_csv(controlled))
        return controlled

    def controlled(
        self,
        table_id: str,
        frame: pl.DataFrame,
        spec: TableSpec,
        hidden_elsewhere: list[bool] | None = None,
        repeats: bool = False,
    ) -> Controlled:
        """``frame`` through disclosure control and the run's plan, neither kept nor
        written (:meth:`publish` keeps and writes it; a headline count is only shown);
        while the plan is being made, recorded exact for it."""
        if self.recorded is not None:
            elsewhere = tuple(bool(h) for h in hidden_elsewhere or [False] * frame.height)
            kept = replace(spec, counts_people=False) if repeats else spec
            self.recorded.append(Recorded(self.area, table_id, frame, kept, elsewhere))
        forced = self.plan.forced(self.area, table_id, frame) if self.plan else None
        if forced is not None:
            hidden_elsewhere = [
                bool(a) or b
                for a, b in zip(hidden_elsewhere or [False] * frame.height, forced, strict=True)
            ]
        return in_fixed_order(
            control(table_id, frame, spec, self.profile, self.min_cell, hidden_elsewhere), spec
        )

    def _mark_profile(self) -> None:
        """``DISCLOSURE.txt`` beside the CSVs: the profile they were made under (the CSVs
        keep the contract's columns exactly, so the mark is a file of its own)."""
        from pipelines.report.export import disclosure_summary

        assert self.tables_dir is not None
        write_text_atomic(
            self.tables_dir / DISCLOSURE_NOTE,
            "Disclosure control of every table in this folder: "
            f"{disclosure_summary(self.profile, self.min_cell)}.\n",
        )

    def href(self, table_id: str) -> str:
        """Where the page links to ``table_id``'s CSV."""
        return f"{self.csv_prefix}{table_id}.csv"


def area_report(
    consultation: str,
    region: str = "",
    disclosure: str = "restricted",
    min_cell: int = 10,
    tables_dir: str = "",
    csv_prefix: str | None = None,
    root: Path | None = None,
    locality: str = "",
    load: Callable[[str], CleanData] | None = None,
) -> Report:
    """A report of one area with no disclosure plan yet: the area's clean data, the previous
    wave, where tables go. ``region`` empty means the whole consultation (the overview);
    ``locality`` narrows a region's report to one of its localities. ``load``: how a wave's
    clean data is read, by name (default :func:`~pipelines.store.clean_data.load_clean`
    under ``root``; the plan reads each wave once for every report of a run).

    With no ``tables_dir`` the tables go where ``workbook report`` puts them:
    ``reports/<consultation>/<region-slug or overview>/tables/``.
    :func:`pipelines.report.plan.open_report` adds the run's plan.
    """
    from pipelines.analysis.in_memory import for_report
    from pipelines.geography import region_slug, slugify
    from pipelines.paths import consultation_name, reports_dir
    from pipelines.settings import check_disclosure, load_settings
    from pipelines.store.clean_data import for_area, load_clean
    from pipelines.waves import earlier_waves

    consultation = consultation_name(consultation, root)
    check_disclosure(disclosure, min_cell)  # the command's rules hold for papermill runs too
    if load is None:

        def load(name: str) -> CleanData:
            return load_clean(name, root)

    data = load(consultation)
    area = for_report(for_area(data, region=region or None, locality=locality or None))
    names = earlier_waves(consultation, root)
    earlier = []
    for wave in names:
        try:
            whole = load(wave)
        except FileNotFoundError:  # not validated: neither compared with nor drawn
            continue
        narrowed = for_area(whole, region=area.area.region, locality=area.area.locality)
        earlier.append(Wave(wave, whole.consultation.opened, for_report(narrowed)))
    previous = earlier[-1].data if earlier and earlier[-1].name == names[-1] else None
    if area.area.locality:  # inside its region's folder: never another report's name
        name = f"{region_slug(area.area.region or '')}/{slugify(area.area.locality)}"
    else:
        name = region_slug(area.area.region) if area.area.region else "overview"
    folder = Path(tables_dir) if tables_dir else reports_dir(consultation, root) / name / "tables"
    return Report(
        data=area,
        profile=disclosure,
        min_cell=min_cell,
        previous=previous,
        earlier=tuple(earlier),
        tables_dir=folder,
        csv_prefix=f"{name}/tables/" if csv_prefix is None else csv_prefix,
        quotes_per_theme=load_settings().quotes_per_theme,
        area=area.area.region or "",
    )
