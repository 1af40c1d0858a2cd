"""The joint attacker against every table of a whole run, and the row-order leak.

A run publishes the overview and one report per region; they share cells (the overview is the
sum of the regions; its group x region grid repeats each region's group table; the wave
comparison repeats the group table). ``run_tables.record_run`` builds every report of a run in
process and records what each table publishes; ``run_tables.attack_run`` puts every
people-count cell of every report into one linear system (``lp_attack.Joint``) and minimises
and maximises each ``[c]``. What the reader is assumed to know is in ``run_tables.cell_bounds``
and ``total_bounds``; the equations are listed in ``run_tables.joint_system``.

The guarantee tested: no ``[c]`` standing for a count the profile promises to hide (1 to
``min_cell`` - 1 under ``restricted``, 1 to 7 under ``public``) is pinned to one whole number
by any combination of the run's tables. A ``[c]`` that is a complement (a count of
``min_cell`` or more, or a 0) may be pinned; how many are is printed, not asserted.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import write_consultation
from run_tables import MIN_CELL, PUBLIC_TOP, Attack, Run, attack_run, record_run
from test_disclosure_lp import CORPUS_CASES, corpus_root  # noqa: F401  (a fixture)

from pipelines.disclosure import SUPPRESSED
from pipelines.report.plan import open_report
from pipelines.report.tables import publish_tables
from pipelines.validate.run import validate_consultation

PROFILES = ("restricted", "public")
DEMO = "demo-care-at-home-2026"
DEMO_BEFORE = "demo-care-at-home-2025"  # the previous wave, whose own reports are published too


def protected(value: int, profile: str) -> bool:
    """A count the profile promises never to publish."""
    return 1 <= value <= (PUBLIC_TOP if profile == "public" else MIN_CELL - 1)


def small_pinned(attack: Attack, profile: str) -> list[tuple[str, int, float, float]]:
    return [p for p in attack.pinned if protected(p[1], profile)]


def describe(attack: Attack, profile: str) -> str:
    small = small_pinned(attack, profile)
    lines = [f"{name} = {truth}" for name, truth, _, _ in small]
    return f"{len(small)} small counts pinned ({attack.summary(profile)}):\n  " + "\n  ".join(lines)


@pytest.fixture(scope="module")
def demo_runs(
    demo_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], Run]:
    """The demo's full run (overview and nine regions) and the previous wave's, under each
    profile, recorded once."""
    return {
        (wave, profile): record_run(demo_root, tmp_path_factory.mktemp(profile), wave, profile)
        for profile in PROFILES
        for wave in (DEMO, DEMO_BEFORE)
    }


@pytest.mark.parametrize("profile", PROFILES)
def test_demo_run_pins_nothing(profile: str, demo_runs: dict[tuple[str, str], Run]) -> None:
    run = demo_runs[DEMO, profile]
    started = time.perf_counter()
    attack = attack_run(run, profile, previous=demo_runs[DEMO_BEFORE, profile])
    summary = attack.summary(profile)
    small = len(small_pinned(attack, profile))
    print(f"\njoint LP attack on the demo run: {summary}; {small} of them small counts "
          f"({time.perf_counter() - started:.1f} s)")  # fmt: skip
    assert len(run) == 10, "the overview and nine regions"
    assert attack.attacked > 0, "no [c] at all: the attack proved nothing"
    assert attack.kinds.get("across reports", 0) > 0
    assert attack.kinds.get("grid = region's group table", 0) > 0
    assert attack.kinds.get("same count in two tables", 0) > 0
    assert attack.kinds.get("wave comparison = previous wave's table", 0) > 0
    assert small == 0, describe(attack, profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_overview_minus_the_other_regions_gives_no_hidden_group(
    profile: str, demo_runs: dict[tuple[str, str], Run]
) -> None:
    """The plain differencing attack, no LP: a region's hidden group count is the overview's
    count minus the other regions' counts, when those are shown (within 2 each if rounded)."""
    run = demo_runs[DEMO, profile]
    overview = run[""]["participation_by_group"]
    regions = [area for area in run if area]
    found = []
    for region in regions:
        table = run[region]["participation_by_group"]
        for key, row in table.shown.items():
            truth = table.exact[key]["responses"]
            if row["responses"] is not None or not protected(truth, profile):
                continue
            others = [
                run[r]["participation_by_group"].shown.get(key, {"responses": 0})
                for r in regions
                if r != region
            ]
            total = overview.shown[key]["responses"]
            if total is None or any(o["responses"] is None for o in others):
                continue
            slack = 0 if profile == "restricted" else 2 * (1 + len(others))
            rest = total - sum(o["responses"] for o in others)
            low, high = (
                max(rest - slack, 1),
                min(rest + slack, PUBLIC_TOP if profile == "public" else MIN_CELL - 1),
            )
            if low == high:
                found.append(f"{region}: {key[0]} = {low} (true {truth})")
    assert found == [], "overview minus the other regions gives:\n  " + "\n  ".join(found)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("case", CORPUS_CASES)
def test_corpus_run_pins_nothing(
    case: str,
    profile: str,
    corpus_root: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    run = record_run(corpus_root, tmp_path, case, profile)
    attack = attack_run(run, profile)
    print(f"\n{case}: {attack.summary(profile)}")
    assert small_pinned(attack, profile) == [], f"{case}: " + describe(attack, profile)


# ------------------------------------------------------------------ row order

ROW_ORDER_YML = """\
title: "Row order"
owner: "Test team"
opened: 2026-03-01
closed: 2026-05-31
series: row-order
columns:
  response_id: "Respondent ID"
  submitted_at: "Completed"
  channel: "How did you respond?"
  region: "Region"
  locality: "Area"
  group: "Which best describes you?"
groups:
  big: "Big group"
  middle: "Middle group"
  larger: "Larger group"
  small_a: "Small group A"
  small_b: "Small group B"
  small_c: "Small group C"
questions:
  - id: q1
    text: "What matters most?"
    type: free_text
    column: "Q1"
"""


def row_order_responses(counts: dict[str, int]) -> str:
    lines = [
        "Respondent ID,Completed,How did you respond?,Region,Area,Which best describes you?,Q1"
    ]
    n = 0
    for group, count in counts.items():
        for _ in range(count):
            n += 1
            lines.append(f"r{n},2026-03-05,Online,North West,Cumbria,{group},")
    return "\n".join(lines) + "\n"


def published_groups(root: Path, tmp: Path, profile: str) -> list[tuple[str, str]]:
    validate_consultation("row-order", root=root)
    report = open_report("row-order", "", profile, MIN_CELL, str(tmp), root=root)
    table = publish_tables(report)["participation_by_group"].published()
    return list(zip(table["group"].to_list(), table["responses"].to_list(), strict=True))


@pytest.mark.parametrize("profile", PROFILES)
def test_suppressed_rows_come_in_an_order_their_values_cannot_change(
    profile: str, tmp_path: Path
) -> None:
    """Two consultations that differ only in which small group holds which hidden count
    publish their group table in the same row order (a table sorted by the true count would
    list the [c] rows largest first, and with the total pin them)."""
    shown = {"big": 60, "larger": 45, "middle": 30}
    orders = []
    for n, small in enumerate(({"small_a": 2, "small_b": 3, "small_c": 5},
                               {"small_a": 5, "small_b": 2, "small_c": 3})):  # fmt: skip
        root = tmp_path / f"case{n}"
        write_consultation(root, "row-order", row_order_responses(shown | small), ROW_ORDER_YML)
        orders.append(published_groups(root, tmp_path / f"out{n}", profile))
    hidden = [[g for g, v in order if v == SUPPRESSED] for order in orders]
    assert len(hidden[0]) >= 3, f"expected the three small groups hidden: {orders[0]}"
    assert hidden[0] == hidden[1], f"[c] rows in the order of their values: {hidden}"
    assert [g for g, _ in orders[0]] == [g for g, _ in orders[1]], orders


def test_the_order_of_hidden_rows_can_pin_them() -> None:
    """Why the order matters (a check of the attacker, not of the reports): two [c] of 1 to 7
    adding up to 3 are 1 and 2 or 2 and 1; listed largest first, they are pinned."""
    from lp_attack import Joint, is_pinned

    system = Joint()
    first, second = (
        system.var(f"c{i}", 1, PUBLIC_TOP, v, attacked=True) for i, v in enumerate((2, 1))
    )
    system.eq("line", {first: 1.0, second: 1.0}, 3)
    assert not any(is_pinned(*interval) for interval in system.intervals().values())
    system.le("largest first", {second: 1.0, first: -1.0})
    system.check_truth()
    assert all(is_pinned(*interval) for interval in system.intervals().values())
