"""Publishing tables: disclosure control, then the CSV a reader can download."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.analysis.load import CleanData
from pipelines.atomic import write_bytes_atomic
from pipelines.disclosure import Controlled, TableSpec, control

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise_formulas(frame: pl.DataFrame, text_columns: list[str]) -> pl.DataFrame:
    """Prefix ``'`` to text cells that a spreadsheet would run as a formula (OWASP)."""
    pattern = "^[" + "".join("\\" + c if c in "-+" else c for c in "=+-@") + "\t\r]"
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
    buffer = io.StringIO()
    buffer.write(BOM)
    buffer.write(neutralise_formulas(published, text_columns).write_csv())
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

    def publish(
        self,
        table_id: str,
        frame: pl.DataFrame,
        spec: TableSpec,
        hidden_elsewhere: list[bool] | None = None,
    ) -> Controlled:
        """Pass ``frame`` through disclosure control, keep it, and write its CSV.

        ``hidden_elsewhere``: rows already suppressed in another table of this report.
        """
        controlled = control(table_id, frame, spec, self.profile, self.min_cell, hidden_elsewhere)
        self.tables[table_id] = controlled
        if self.tables_dir is not None:
            write_bytes_atomic(self.tables_dir / f"{table_id}.csv", table_csv(controlled))
        return controlled

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
    from pipelines.geography import slugify
    from pipelines.paths import reports_dir
    from pipelines.settings import DISCLOSURE_PROFILES, load_settings
    from pipelines.waves import previous_wave

    if disclosure not in DISCLOSURE_PROFILES:
        raise ValueError(
            f"disclosure must be one of {', '.join(DISCLOSURE_PROFILES)}, not {disclosure!r}"
        )
    if min_cell < 1:
        raise ValueError("min_cell must be 1 or more")
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
    name = slugify(area.area.locality or area.area.region or "overview")
    folder = Path(tables_dir) if tables_dir else reports_dir(consultation, root) / name / "tables"
    return Report(
        data=area,
        profile=disclosure,
        min_cell=min_cell,
        previous=previous,
        tables_dir=folder,
        csv_prefix=f"{name}/tables/" if csv_prefix is None else csv_prefix,
        quotes_per_theme=load_settings().quotes_per_theme,
    )
