"""Drafting ``incomplete``: the column where a survey tool marks each response finished or
not (SmartSurvey's "Status", Typeform's "Response Type"), found by its header and its
answers, where the export's preset reads no completion column of its own and the tool
exports unfinished responses at all (Qualtrics reads ``Finished``, LimeSurvey its submit
date; Google Forms and Microsoft Forms export submitted responses only, so a "Completed"
column there is a question).

Left unmapped, such a column is tool metadata and partial responses would be counted as
whole ones; mapped, validation sets them aside with the rule ``incomplete``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.draft.columns import ExportColumn
from pipelines.draft.settings import CompletionRules
from pipelines.export_presets import export_presets
from pipelines.fields import normalise

#: A date, with a time or not ("11/03/2026 14:41", "2026-03-01T10:15:02.000Z").
_DATE = re.compile(
    r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?: ?[AaPp][Mm])?Z?)?"
)

#: How many of a column's unknown answers a reason names, and how much of each.
SHOWN = 3
SHOWN_CHARACTERS = 30


@dataclass(frozen=True)
class CompletionDraft:
    """``incomplete`` as drafted (``values``: the unfinished answers, as the export spells
    them), or why a completion column was left unmapped (``column`` and ``unmapped``)."""

    column: str
    values: tuple[str, ...] = ()
    check: str = ""
    unmapped: str = ""


def reads_its_own(export: str) -> bool:
    """Whether ``export``'s preset reads a completion column itself, or says the tool
    exports finished responses only."""
    preset = export_presets().get(export)
    return preset is not None and (bool(preset.incomplete) or preset.finished_only)


def _counted(column: ExportColumn, answers: list[str]) -> str:
    counts = column.answers.value_counts(sort=True)
    found = {text: int(n) for text, n in counts.iter_rows() if text in answers}
    return ", ".join(f"{found[a]} {a!r}" for a in answers)


def _shown(answer: str) -> str:
    if len(answer) <= SHOWN_CHARACTERS:
        return repr(answer)
    return repr(answer[:SHOWN_CHARACTERS].rstrip() + "…")


def _drafted(column: ExportColumn, rules: CompletionRules, yes_no: bool) -> CompletionDraft:
    """``column`` (headed like a completion mark) drafted, or said to be left unmapped.
    ``yes_no``: its header asks whether the response is finished ("Completed"), so yes/no
    answers are read too."""
    finished = {normalise(word) for word in rules.finished}
    unfinished = {normalise(word) for word in rules.unfinished}
    if yes_no:
        finished |= {normalise(word) for word in rules.yes}
        unfinished |= {normalise(word) for word in rules.no}
    known = finished | unfinished
    unknown = [a for a in column.distinct if normalise(a) not in known]
    if unknown:
        shown = ", ".join(_shown(a) for a in unknown[:SHOWN])
        more = f" and {len(unknown) - SHOWN} more" if len(unknown) > SHOWN else ""
        return CompletionDraft(
            column.name,
            unmapped=(
                f"a completion mark with answers the workbook does not know ({shown}{more}): "
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
    words = rules.unfinished + (rules.no if yes_no else ())
    check = (
        "the tool's completion mark: every answer is finished "
        f"({', '.join(_shown(a) for a in column.distinct[:SHOWN])}); the usual unfinished "
        "words are listed"
    )
    return CompletionDraft(column.name, words, check)


def _headed(column: ExportColumn, patterns: tuple[re.Pattern[str], ...]) -> bool:
    """Whether ``column`` has answers and a header one of ``patterns`` finds."""
    key = normalise(column.name)
    return bool(column.distinct) and any(p.search(key) for p in patterns)


def find_completion(
    columns: list[ExportColumn], rules: CompletionRules, export: str
) -> CompletionDraft | None:
    """The column headed like a completion mark, where ``export``'s preset reads none:
    the first that can be drafted (every answer a finished or an unfinished word), else the
    first found, named as left unmapped; None where no header is like one."""
    if reads_its_own(export):
        return None
    first_unmapped: CompletionDraft | None = None
    for column in columns:
        if not _headed(column, rules.headers):
            continue
        draft = _drafted(column, rules, _headed(column, rules.yes_no_headers))
        if not draft.unmapped:
            return draft
        first_unmapped = first_unmapped or draft
    return first_unmapped


def completion_dates(columns: list[ExportColumn], rules: CompletionRules) -> ExportColumn | None:
    """The first column headed like a completion mark whose every answer is a date (Jisc
    Online Surveys' "Completed"): when each response was finished, so its submission
    date, not a mark of unfinished ones; None where there is none."""
    for column in columns:
        if _headed(column, rules.headers) and all(
            _DATE.fullmatch(answer.strip()) for answer in column.distinct
        ):
            return column
    return None
