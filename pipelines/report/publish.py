"""Publishing tables: disclosure control (with the run's plan), then the CSV to download."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from pipelines.analysis.load import CleanData
from pipelines.atomic import write_bytes_atomic, write_text_atomic
from pipelines.disclosure import Controlled, TableSpec, control, in_fixed_order
from pipelines.textnorm import strip_invisible

if TYPE_CHECKING:
    from pipelines.report.plan import Recorded, RunPlan

#: Characters that make a spreadsheet run a cell as a formula, with their full-width forms
#: (which spreadsheets read as the same characters).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
BOM = "\ufeff"
#: The file beside a report's CSVs that names the disclosure profile they were made under.
DISCLOSURE_NOTE = "DISCLOSURE.txt"


@dataclass
class _Recorder:
    area: str
    root: Path | None
    tables: list[Recorded] = field(default_factory=list)


#: Set while a run's reports are read for their tables only (the disclosure plan).
_RECORDER: ContextVar[_Recorder | None] = ContextVar("recorder", default=None)


@contextmanager
def recording(area: str, root: Path | None = None) -> Iterator[list[Recorded]]:
    """Within this block, reports record each table exact, write nothing, draw no chart
    and apply no plan; ``open_report`` reads ``root``'s data."""
    from pipelines.report.plan import drawing_off

    recorder = _Recorder(area, root)
    token = _RECORDER.set(recorder)
    try:
        with drawing_off():
            yield recorder.tables
    finally:
        _RECORDER.reset(token)


def neutralise_formulas(frame: pl.DataFrame, text_columns: list[str]) -> pl.DataFrame:
    """Prefix ``'`` to text cells that a spreadsheet would run as a formula (OWASP), the
    full-width ``＝ ＋ － ＠`` included."""
    pattern = "^[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_PREFIXES) + "]"
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(pattern))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text_columns
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


@dataclass
class Report:
    """One report being built: its area's data, its disclosure profile and its tables."""

    data: CleanData
    profile: str
    min_cell: int
    previous: CleanData | None = None
    tables_dir: Path | None = None
    csv_prefix: str = ""
    quotes_per_theme: int = 3
    tables: dict[str, Controlled] = field(default_factory=dict)
    area: str = ""
    plan: RunPlan | None = None

    def publish(
        self,
        table_id: str,
        frame: pl.DataFrame,
        spec: TableSpec,
        hidden_elsewhere: list[bool] | None = None,
    ) -> Controlled:
        """Pass ``frame`` through disclosure control, keep it, and write its CSV.

        ``hidden_elsewhere``: rows already suppressed in another table of this report; the
        run's plan adds the rows other reports' tables need hidden. Rows come out in a
        fixed order that a ``[c]`` value cannot change (:func:`in_fixed_order`).
        """
        recorder = _RECORDER.get()
        if recorder is not None:
            from pipelines.report.plan import Recorded

            elsewhere = tuple(bool(h) for h in hidden_elsewhere or [False] * frame.height)
            recorder.tables.append(Recorded(self.area, table_id, frame, spec, elsewhere))
        forced = self.plan.forced(self.area, table_id, frame) if self.plan else None
        if forced is not None:
            hidden_elsewhere = [
                bool(a) or b
                for a, b in zip(hidden_elsewhere or [False] * frame.height, forced, strict=True)
            ]
        controlled = in_fixed_order(
            control(table_id, frame, spec, self.profile, self.min_cell, hidden_elsewhere), spec
        )
        first = not self.tables
        self.tables[table_id] = controlled
        if self.tables_dir is not None:
            if first:
                self._mark_profile()
            write_bytes_atomic(self.tables_dir / f"{table_id}.csv", table_csv(controlled))
        return controlled

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

    def hidden_groups(self, table_id: str, key: str = "group") -> set[str]:
        """The keys of rows whose count ``table_id`` suppressed (empty if not published)."""
        table = self.tables.get(table_id)
        if table is None or table.suppressed.width == 0:
            return set()
        mask = table.suppressed[table.suppressed.columns[0]].to_list()
        return {k for k, h in zip(table.frame[key].to_list(), mask, strict=True) if h}

    def href(self, table_id: str) -> str:
        return f"{self.csv_prefix}{table_id}.csv"


def open_report(
    consultation: str,
    region: str = "",
    disclosure: str = "restricted",
    min_cell: int = 10,
    tables_dir: str = "",
    csv_prefix: str | None = None,
    root: Path | None = None,
    locality: str = "",
) -> Report:
    """Everything a report notebook needs: the area's clean data, the previous wave, where
    tables go. ``region`` empty means the whole consultation (the overview); ``locality``
    narrows a region's report to one of its localities.

    With no ``tables_dir`` the tables go where ``workbook report`` puts them:
    ``reports/<consultation>/<region-slug or overview>/tables/``.
    """
    from pipelines.analysis.in_memory import for_report
    from pipelines.analysis.load import for_area, load_clean
    from pipelines.geography import region_slug, slugify
    from pipelines.paths import consultation_name, reports_dir
    from pipelines.settings import check_disclosure, load_settings
    from pipelines.waves import previous_wave

    recorder = _RECORDER.get()
    if recorder is not None:
        root = root or recorder.root
    consultation = consultation_name(consultation, root)
    check_disclosure(disclosure, min_cell)  # the command's rules hold for papermill runs too
    data = load_clean(consultation, root)
    area = for_report(for_area(data, region=region or None, locality=locality or None))
    earlier = previous_wave(consultation, root)
    previous = None
    if earlier is not None:
        try:
            previous = for_report(
                for_area(
                    load_clean(earlier, root), region=area.area.region, locality=area.area.locality
                )
            )
        except FileNotFoundError:
            previous = None
    if area.area.locality:  # inside its region's folder: never another report's name
        name = f"{region_slug(area.area.region or '')}/{slugify(area.area.locality)}"
    else:
        name = region_slug(area.area.region) if area.area.region else "overview"
    folder = Path(tables_dir) if tables_dir else reports_dir(consultation, root) / name / "tables"
    plan = None
    if recorder is None and disclosure != "none" and not locality:
        from pipelines.report.plan import make_plan

        plan = make_plan(consultation, disclosure, min_cell, root)
    return Report(
        data=area,
        profile=disclosure,
        min_cell=min_cell,
        previous=previous,
        tables_dir=None if recorder is not None else folder,
        csv_prefix=f"{name}/tables/" if csv_prefix is None else csv_prefix,
        quotes_per_theme=load_settings().quotes_per_theme,
        area=area.area.region or "",
        plan=plan,
    )
