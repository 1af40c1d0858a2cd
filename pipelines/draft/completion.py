"""Drafting ``incomplete``: the column where a survey tool marks each response finished or
not (SmartSurvey's "Status", Typeform's "Response Type"), found by its header and its
answers, where the export's preset reads no completion column of its own (Qualtrics'
``Finished``, LimeSurvey's submit date: their other columns, Qualtrics' ``Status`` among
them, mean something else).

Left unmapped, such a column is tool metadata and partial responses would be counted as
whole ones; mapped, validation sets them aside with the rule ``incomplete``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.draft.columns import ExportColumn
from pipelines.draft.settings import CompletionRules
from pipelines.export_presets import export_presets
from pipelines.fields import normalise

#: How many of a column's unknown answers a reason names.
SHOWN = 3


@dataclass(frozen=True)
class CompletionDraft:
    """``incomplete`` as drafted (``values``: the unfinished answers, as the export spells
    them), or why a completion column was left unmapped (``column`` and ``unmapped``)."""

    column: str
    values: tuple[str, ...] = ()
    check: str = ""
    unmapped: str = ""


def preset_columns(export: str) -> frozenset[str]:
    """The completion columns ``export``'s preset reads itself (normalised headers)."""
    preset = export_presets().get(export)
    return frozenset(normalise(usual.column) for usual in (preset.incomplete if preset else ()))


def _counted(column: ExportColumn, answers: list[str]) -> str:
    counts = column.answers.value_counts(sort=True)
    found = {text: int(n) for text, n in counts.iter_rows() if text in answers}
    return ", ".join(f"{found[a]} {a!r}" for a in answers)


def find_completion(
    columns: list[ExportColumn], rules: CompletionRules, export: str
) -> CompletionDraft | None:
    """The first column headed like a completion mark, where ``export``'s preset reads none:
    drafted where every answer is a finished or an unfinished word, else named as left
    unmapped."""
    if preset_columns(export):
        return None
    finished = {normalise(word) for word in rules.finished}
    unfinished = {normalise(word) for word in rules.unfinished}
    for column in columns:
        key = normalise(column.name)
        if not any(p.search(key) for p in rules.headers) or not column.distinct:
            continue
        unknown = [a for a in column.distinct if normalise(a) not in finished | unfinished]
        if unknown:
            shown = ", ".join(repr(a) for a in unknown[:SHOWN])
            return CompletionDraft(
                column.name,
                unmapped=(
                    f"a completion mark with answers the workbook does not know ({shown}): "
                    "give `incomplete` the values that mean unfinished, or partial responses "
                    "count as whole ones"
                ),
            )
        marked = [a for a in column.distinct if normalise(a) in unfinished]
        if marked:
            check = (
                f"the tool's completion mark: {_counted(column, marked)} set aside as "
                f"unfinished, of {column.answers.len()} answers"
            )
            return CompletionDraft(column.name, tuple(marked), check)
        check = (
            f"the tool's completion mark: every answer is finished "
            f"({', '.join(repr(a) for a in column.distinct)}); the usual unfinished words are listed"
        )
        return CompletionDraft(column.name, rules.unfinished, check)
    return None
