"""Floors: what each stage's figure is compared with, and the ratio printed beside it (#22).

A floor is the cost of the least that a stage must do, measured in the same run on the same
machine: a bare read of the export (``polars.read_csv``, every column as text) for
validation, one chart drawn and one kernel started for a report. A ratio near 1 means the
stage is near its floor; the targets of #22 are ratios (validation within 4x a bare read).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Bytes in a GiB (peak memory) and in a MB (the export's size on disk).
GIB_BYTES = 1024.0**3
MB_BYTES = 1_000_000.0


@dataclass(frozen=True)
class Floor:
    """A stage's ``figure`` over its ``floor``, kept as the figure named ``ratio``.

    ``scale`` puts the two in the same unit (GiB over MB for peak memory over the export's
    size); ``unit`` is the figure's, ``floor_unit`` the floor's, as printed."""

    stage: str
    figure: str
    floor: str
    ratio: str
    unit: str = "s"
    floor_unit: str = "s"
    scale: float = 1.0

    def of(self, figures: dict[str, float]) -> float | None:
        """The ratio from ``figures``, or None where either is missing or the floor is 0."""
        value, floor = figures.get(self.figure), figures.get(self.floor)
        if value is None or not floor:
            return None
        return value * self.scale / floor


FLOORS: tuple[Floor, ...] = (
    Floor("validate", "validate_seconds", "bare_read_seconds", "validate_over_bare_read"),
    Floor(
        "validate: read and standardise",
        "validate_read_seconds",
        "bare_read_seconds",
        "validate_read_over_bare_read",
    ),
    Floor(
        "validate: peak memory",
        "validate_peak_rss_gib",
        "bare_read_peak_rss_gib",
        "validate_peak_over_bare_read_peak",
        unit="GiB",
        floor_unit="GiB",
    ),
    Floor(
        "validate: peak memory",
        "validate_peak_rss_gib",
        "export_mb",
        "validate_peak_over_export",
        unit="GiB",
        floor_unit="MB",
        scale=GIB_BYTES / MB_BYTES,
    ),
    Floor(
        "report (marginal)", "marginal_seconds_per_report", "chart_seconds", "marginal_over_chart"
    ),
    Floor(
        "report (marginal)",
        "marginal_seconds_per_report",
        "kernel_start_seconds",
        "marginal_over_kernel_start",
    ),
)

#: The names of every ratio: figures of their own, printed in the floors' table only.
RATIOS = frozenset(floor.ratio for floor in FLOORS)


def figure_text(value: float) -> str:
    """A figure as printed: three significant figures, thousands written out (``1,340``,
    not ``1.34e+03``)."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.3g}"


def add_ratios(figures: dict[str, float]) -> None:
    """Add to ``figures`` every ratio whose figure and floor it holds."""
    for floor in FLOORS:
        ratio = floor.of(figures)
        if ratio is not None:
            figures[floor.ratio] = ratio


def floor_cell(floor: Floor, figures: dict[str, float]) -> str:
    """``figure unit / floor unit = ratio x`` for one scenario, or ``-`` where it has none."""
    ratio = floor.of(figures)
    if ratio is None:
        return "-"
    value, under = figures[floor.figure], figures[floor.floor]
    return (
        f"{figure_text(value)} {floor.unit} / {figure_text(under)} {floor.floor_unit} "
        f"= {figure_text(ratio)}x"
    )


def floors_table_rows(results: dict[str, dict[str, float]]) -> list[tuple[Floor, list[str]]]:
    """Each floor that some scenario has, with its cell for every scenario (in order)."""
    rows = []
    for floor in FLOORS:
        cells = [floor_cell(floor, figures) for figures in results.values()]
        if any(cell != "-" for cell in cells):
            rows.append((floor, cells))
    return rows


def floors_description() -> list[dict[str, str]]:
    """The floors as the JSON records them: which figure over which floor makes which ratio."""
    return [
        {"stage": f.stage, "figure": f.figure, "floor": f.floor, "ratio": f.ratio} for f in FLOORS
    ]
