"""Response ids as the export wrote them: refused where Excel has rounded them."""

from __future__ import annotations

import polars as pl

from pipelines.consultation import Consultation
from pipelines.errors import InputError

#: A number in scientific notation (``1.18201E+11``): Excel writes a long number so when a
#: CSV opened in it is saved again, keeping six significant digits of a 12-digit id.
ROUNDED_ID = r"^\s*\d(?:\.\d+)?[Ee]\+\d+\s*$"


def check_ids_not_rounded(values: pl.LazyFrame, consultation: Consultation, source: str) -> None:
    """Stop (InputError, exit 2) where a response id (``response_id`` in ``values``, every
    batch: one streaming pass) is a number in scientific notation: ids that differed may now
    be the same, and which responses are duplicates can no longer be told."""
    found = (
        values.select(pl.col("response_id").cast(pl.String))
        .filter(pl.col("response_id").str.contains(ROUNDED_ID))
        .select(pl.len().alias("ids"), pl.col("response_id").first().alias("example"))
        .collect(engine="streaming")
    )
    ids, example = found.row(0)
    if not ids:
        return
    column = consultation.columns.get("response_id", "response_id")
    raise InputError(
        f"{source}: column {column!r} (response_id) holds {ids:,} ids in scientific notation, "
        f"such as {example!r}: a spreadsheet has rounded them, so different responses may now "
        "share an id. Export the file again from the survey tool (do not save it from Excel), "
        "or open it in Excel importing that column as Text."
    )
