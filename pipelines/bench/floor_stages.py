"""The floors' stages (#22), each run in a process of its own like every stage of the bench:
a bare read of the export, one chart drawn warm, one kernel started and ready.

Each returns the floor's ``seconds`` (and whatever else it measured) for
:mod:`pipelines.bench.stages` to print with the process's peak memory.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.paths import ROOT, raw_dir

#: The export a bare read reads: the survey tool's responses, as ``workbook sample`` writes it.
EXPORT = "responses.csv"


def export_path(consultation: str, root: Path | None = None) -> Path:
    """The consultation's raw responses export."""
    return raw_dir(consultation, root) / EXPORT


def bare_read(path: Path) -> dict[str, Any]:
    """``polars.read_csv(path, infer_schema=False)``, every column as text: the least any
    validation of the file must do. Its seconds, the rows and columns read, and the file's
    size on disk (MB, 10^6 bytes)."""
    started = time.perf_counter()
    frame = pl.read_csv(path, infer_schema=False)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows": frame.height,
        "columns": frame.width,
        "export_mb": path.stat().st_size / 1_000_000,
    }


def typical_chart(consultation: str, region: str, root: Path | None = None) -> dict[str, Any]:
    """A typical chart of a region report, as the report makes it: who took part, by group
    (bars with a label at each end), from the region's own tallies, its title taken out as
    the report takes it out (the page shows it as text)."""
    from pipelines.analysis.in_memory import for_report
    from pipelines.analysis.participation import participation_by_group
    from pipelines.charts import vegalite
    from pipelines.charts.render import without_title
    from pipelines.store.clean_data import for_area, load_clean

    data = for_report(for_area(load_clean(consultation, root), region=region))
    frame = participation_by_group(data).with_columns(
        pl.col("responses").cast(pl.String).alias("shown")
    )
    spec = vegalite.bar_chart(frame, "label", "responses", "shown", "Who took part", "Responses")
    return without_title(spec)[1]


def chart_drawn(spec: dict[str, Any], draws: int) -> dict[str, Any]:
    """One chart drawn as the reports draw theirs (:func:`pipelines.charts.render.chart_svg`,
    vl-convert), warm: drawn once untimed (vl-convert's engine and fonts), then ``draws``
    times; the median draw is ``seconds``."""
    from pipelines.charts.render import chart_svg

    started = time.perf_counter()
    chart_svg(spec)
    first = time.perf_counter() - started
    times = []
    for _ in range(max(1, draws)):
        started = time.perf_counter()
        chart_svg(spec)
        times.append(time.perf_counter() - started)
    return {"seconds": statistics.median(times), "first_seconds": first, "draws": len(times)}


def kernel_started(root: Path | None = None) -> float:
    """Seconds to start one Jupyter kernel as the report workers start theirs
    (:class:`pipelines.report.kernels.WarmKernel`: the same kernel, arguments and environment)
    until a client finds it ready (``wait_for_ready``); the kernel is then shut down."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    from pipelines.report.kernels import KERNEL_ARGUMENTS, KERNEL_NAME, STARTUP_TIMEOUT

    project = str((root or ROOT).resolve())
    manager = AsyncKernelManager(kernel_name=KERNEL_NAME)
    env = {**os.environ, "WORKBOOK_ROOT": project}
    started = time.perf_counter()
    run_sync(manager.start_kernel)(extra_arguments=KERNEL_ARGUMENTS, cwd=project, env=env)
    client = manager.client()
    try:
        client.start_channels()
        run_sync(client.wait_for_ready)(timeout=STARTUP_TIMEOUT)
        return time.perf_counter() - started
    finally:
        client.stop_channels()
        run_sync(manager.shutdown_kernel)(now=True)


def kernels_started(starts: int, root: Path | None = None) -> dict[str, Any]:
    """``starts`` kernels started one after another; the median is ``seconds``."""
    times = [kernel_started(root) for _ in range(max(1, starts))]
    return {"seconds": statistics.median(times), "starts": [round(t, 3) for t in times]}
