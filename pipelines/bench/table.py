"""The tables ``workbook bench`` prints: every figure beside its target, then each stage's
figure over its floor and the ratio (#22), each ratio beside its target."""

from __future__ import annotations

from pipelines.bench.floors import RATIOS, figure_text, floors_table_rows
from pipelines.bench.scenarios import Scenario, Target, judged


def _aligned(rows: list[list[str]]) -> list[str]:
    """Rows as lines of left-aligned columns, a rule under the first."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def format_table(
    results: dict[str, dict[str, float]],
    targets: list[Target],
    errors: dict[str, str] | None = None,
) -> str:
    """Figures down, scenarios across, each beside the target that applies (ok / MISS); then
    each stage's figure over its floor (:func:`format_floors`); a scenario that failed is
    named under the tables with its error."""
    names = list(results)
    figures = [f for f in dict.fromkeys(f for r in results.values() for f in r) if f not in RATIOS]
    rows = [["figure", *names, "target"]]
    for figure in figures:
        row, wanted = [figure], {}
        for scenario_name in names:
            value = results[scenario_name].get(figure)
            if value is None:
                row.append("-")
                continue
            text = f"{value:,.0f}" if figure == "reports" else figure_text(value)
            mark, applying = judged(figure, value, Scenario.parse(scenario_name), targets)
            wanted.update(dict.fromkeys(t.where() for t in applying))
            row.append(text + mark)
        rows.append([*row, "; ".join(wanted)])
    lines = _aligned(rows)
    floors = format_floors(results, targets)
    if floors:
        lines += ["", *floors]
    lines += [f"{name}: FAILED, {error}" for name, error in (errors or {}).items()]
    return "\n".join(lines)


def format_floors(results: dict[str, dict[str, float]], targets: list[Target]) -> list[str]:
    """Each stage's figure, the floor it is compared with and their ratio, side by side for
    every scenario (``figure / floor = ratio``), the ratio beside its target (ok / MISS);
    no lines where no scenario has a floor."""
    names = list(results)
    rows = [["stage", "figure", "floor", *names, "target (ratio)"]]
    for floor, cells in floors_table_rows(results):
        wanted: dict[str, None] = {}
        for i, scenario_name in enumerate(names):
            ratio = floor.of(results[scenario_name])
            if ratio is None:
                continue
            mark, applying = judged(floor.ratio, ratio, Scenario.parse(scenario_name), targets)
            wanted.update(dict.fromkeys(t.where() for t in applying))
            cells[i] += mark
        rows.append([floor.stage, floor.figure, floor.floor, *cells, "; ".join(wanted)])
    if len(rows) == 1:
        return []
    return ["each stage against its floor (figure / floor = ratio):", *_aligned(rows)]
