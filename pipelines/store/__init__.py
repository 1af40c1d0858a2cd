"""The clean-data store: what ``validate`` writes and the analyses read.

* :mod:`~pipelines.store.layout`: the clean tables' layout on disk (region order, region
  slices in the parquet metadata, row groups).
* :mod:`~pipelines.store.tallies`: the tallies registry, one declaration per tally.
* :mod:`~pipelines.store.aggregates`: the tallies made from an area's rows, written,
  read, narrowed to an area.
* :mod:`~pipelines.store.quotes`: which comments may be quoted, and in what order.

It imports only the foundation modules (never validate, analysis or report).
"""

from __future__ import annotations

from pathlib import Path

from pipelines.paths import clean_dir, raw_dir, reference_dir
from pipelines.settings import Settings
from pipelines.store.aggregates import stored_quote_depth
from pipelines.waves import earlier_waves


def is_stale(
    consultation: str, root: Path | None = None, quotes_per_theme: int | None = None
) -> bool:
    """True where clean data is missing, older than any raw input of the consultation, or
    without tallies of this version's format (written by an earlier version), or, given
    ``quotes_per_theme``, whose tallies keep fewer quote candidates than that needs."""
    folder = clean_dir(consultation, root)
    ledger = folder / "validation.json"
    depth = stored_quote_depth(folder)
    if not ledger.is_file() or depth is None:
        return True
    if quotes_per_theme is not None and quotes_per_theme > depth[0]:
        return True
    built = ledger.stat().st_mtime
    inputs = [p for p in raw_dir(consultation, root).iterdir() if p.is_file()]
    reference = list(reference_dir(root).glob("*.csv"))
    return any(p.stat().st_mtime > built for p in [*inputs, *reference])


def stale_waves(consultation: str, root: Path | None, settings: Settings) -> list[str]:
    """The consultation and every earlier wave of its series (its reports compare with the
    previous one and draw the trend over all of them), those of them whose clean data is
    missing or stale: this wave first, then the earlier ones latest first. Reports quote
    this wave only: the earlier ones need no deeper quote candidates."""
    waves = [consultation, *reversed(earlier_waves(consultation, root))]
    return [
        name
        for name in waves
        if is_stale(name, root, settings.quotes_per_theme if name == consultation else None)
    ]
