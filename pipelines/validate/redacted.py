"""Free text redacted on its way into the clean tables: each distinct text once, every
removal counted (:class:`~pipelines.redact.RedactionLog`); used by
:mod:`pipelines.validate.clean_tables`."""

from __future__ import annotations

import polars as pl

from pipelines.redact import RedactionLog, redact, redact_many

#: The free-text columns of each optional clean table: redacted (with invisible characters
#: stripped) before they are written, every removal counted. Theme names are redacted in
#: :func:`redact_theme_names`.
FREE_TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("title", "venue"),
    "actions": ("theme", "you_said", "we_did", "owner"),
}


def redactions(counts: pl.DataFrame, log: RedactionLog) -> pl.DataFrame:
    """``_text, _redacted`` for each distinct text of ``counts`` (``text, occurrences``),
    redacted once; ``log`` counts every occurrence."""
    redacted: list[str | None] = []
    for text, occurrences in counts.select("text", "occurrences").iter_rows():
        own = RedactionLog()
        redacted.append(None if text is None else redact(text, own))
        log.add(own, occurrences)
    return counts.select(
        pl.col("text").alias("_text"), pl.Series("_redacted", redacted, dtype=pl.String)
    )


def redact_columns(
    frame: pl.DataFrame, columns: tuple[str, ...], log: RedactionLog
) -> pl.DataFrame:
    """``frame`` with its text ``columns`` redacted (each distinct text once, every
    occurrence counted in ``log``)."""
    return frame.with_columns(
        redact_texts(frame[name].cast(pl.String), log) for name in columns if name in frame.columns
    )


def redact_theme_names(themes: pl.DataFrame, log: RedactionLog) -> pl.DataFrame:
    """``themes`` (``theme`` Categorical) with each theme name redacted; ``log`` counts each
    distinct name's removals once (a name is written once, in the coding's code list, however
    many comments carry it)."""
    names = themes["theme"].cast(pl.String).unique().drop_nulls()
    redacted = redact_many(names.to_list(), log)
    changed = [(a, b) for a, b in zip(names.to_list(), redacted, strict=True) if a != b]
    if not changed:
        return themes
    old, new = (list(side) for side in zip(*changed, strict=True))
    return themes.with_columns(
        pl.col("theme").cast(pl.String).replace(old, new).cast(pl.Categorical)
    )


def redact_quarantine(quarantine: pl.DataFrame, log: RedactionLog) -> pl.DataFrame:
    """``quarantine`` with each rejected ``value`` redacted (every removal counted in
    ``log``) and quoted so in its ``message``; messages are redacted again, uncounted, in case
    a value was quoted in another form (each distinct message once)."""
    if quarantine.is_empty():
        return quarantine
    value = redact_texts(quarantine["value"], log)
    messages = quarantine["message"].to_list()
    changed = quarantine["value"].ne_missing(value).fill_null(False)
    for row in changed.arg_true().to_list():
        before, after = quarantine["value"][row], value[row]
        if messages[row] is not None and before is not None and after is not None:
            messages[row] = messages[row].replace(repr(before.strip()), repr(after.strip()))
    message = pl.Series("message", messages, dtype=pl.String)
    return quarantine.with_columns(value, redact_texts(message, RedactionLog()))


def redact_texts(texts: pl.Series, log: RedactionLog) -> pl.Series:
    """``texts`` redacted, each distinct text once; ``log`` counts every occurrence."""
    counts = texts.drop_nulls().rename("text").value_counts(name="occurrences")
    mapping = redactions(counts, log)
    frame = texts.to_frame("_text").join(mapping, on="_text", how="left", maintain_order="left")
    return frame["_redacted"].alias(texts.name)
