"""The naive loop the report runner is measured against (issue #8).

What a user would do without the workbook: for each region, the ``papermill`` CLI (a new
kernel every time) on the region notebook, then the ``jupyter nbconvert`` CLI on the executed
notebook. No warm kernels, no in-process export, no parallelism.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from pipelines.geography import region_slug
from pipelines.paths import NOTEBOOKS_DIR, ROOT

REGION_NOTEBOOK = NOTEBOOKS_DIR / "20_region_report.ipynb"


def _tool(name: str) -> str:
    """A command of this environment (beside its python), so the venv need not be on PATH."""
    return str(Path(sys.executable).with_name(name))


def _one_region(consultation: str, region: str, out_dir: Path, env: dict[str, str]) -> None:
    slug = region_slug(region)
    executed = out_dir / f"{slug}.ipynb"
    subprocess.run(
        [_tool("papermill"), str(REGION_NOTEBOOK), str(executed),
         "-p", "consultation", consultation, "-p", "region", region,
         "-p", "tables_dir", str(out_dir / slug / "tables"), "--no-progress-bar"],
        check=True, env=env, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [_tool("jupyter"), "nbconvert", "--to", "html", "--no-input",
         "--output-dir", str(out_dir), str(executed)],
        check=True, env=env, capture_output=True,
    )  # fmt: skip


def naive_reports(
    consultation: str, regions: list[str], out_dir: Path, root: Path | None = None
) -> float:
    """Run the naive loop for ``regions`` into ``out_dir``; the elapsed seconds.

    ``root``: the project tree holding the (already validated) data, as ``WORKBOOK_ROOT``.
    Raises ``subprocess.CalledProcessError`` if a region fails.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "WORKBOOK_ROOT": str((root or ROOT).resolve())}
    started = time.perf_counter()
    for region in regions:
        _one_region(consultation, region, out_dir, env)
    return time.perf_counter() - started
