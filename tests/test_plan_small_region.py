"""A run whose plan once never finished: one region under ``min_cell`` responses and one
stakeholder group (found by a red-team run). The linked step asked, again and again, for a
0 that each table's own control shows (its line fixes it), so the loop never ended."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from pipelines.paths import ROOT

REGIONS = ["North West"] * 11 + ["South East"] * 7 + ["London"] * 12


def test_the_plan_ends_with_a_region_under_min_cell_and_one_group(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(ROOT / "data" / "reference", tmp_path / "data" / "reference")
    folder = tmp_path / "data" / "raw" / "small"
    folder.mkdir(parents=True)
    (folder / "responses.csv").write_text("Region\n" + "\n".join(REGIONS) + "\n")
    (folder / "consultation.yml").write_text(
        textwrap.dedent(
            """\
            title: Small
            opened: 2026-03-03
            closed: 2026-04-09
            columns: {region: Region}
            constants: {group: public}
            """
        )
    )
    script = textwrap.dedent(
        f"""\
        from pathlib import Path
        from pipelines.prepare import prepare_consultation
        from pipelines.report.plan import make_plan
        root = Path({str(tmp_path)!r})
        prepare_consultation("small", root=root)
        plan = make_plan("small", "restricted", 10, root=root)
        print("planned")
        """
    )
    env = {**os.environ, "WORKBOOK_ROOT": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "planned" in done.stdout
