"""Fill a consultation's mapping from its survey tool's preset (``export:``), in one place.

A preset (``config/presets.yml``) names the tool's usual id, date and completion columns:
each is used only where consultation.yml maps none and the export really has that column
(named as ``header`` names columns). A question without ``text`` takes its column's text
from the preset's question-text header row (Qualtrics' row 2). Anything consultation.yml
gives explicitly wins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os.path import commonprefix

from pipelines.consultation import Consultation, Question
from pipelines.errors import InputError
from pipelines.fields import normalise
from pipelines.ingest.headers import JOIN

#: Row-2 endings Qualtrics adds to a question's text that are not part of it.
QUESTION_TEXT_ENDINGS: tuple[str, ...] = (" - Selected Choice",)

Headers = Mapping[str, Sequence[str]]
#: How each cell of Qualtrics' third header row begins: ``{"ImportId":"QID2_1"}``.
IMPORT_ID = '{"ImportId"'


def is_import_id_row(cells: Sequence[str | None]) -> bool:
    """Whether a header row is Qualtrics' import-id row (a cell of it starts ``{"ImportId"``)."""
    return any((cell or "").strip().startswith(IMPORT_ID) for cell in cells)


def check_import_id_row(consultation: Consultation, headers: Headers) -> None:
    """Stop (InputError, exit 2) where a Qualtrics export is read with three header rows and
    its third is not the import-id row: an export with two header rows (older Qualtrics
    exports, or the row deleted by hand) would lose its first response as a header."""
    if consultation.export != "qualtrics" or consultation.header_rows != 3 or not headers:
        return
    third = [cells[2] if len(cells) > 2 else "" for cells in headers.values()]
    if is_import_id_row(third):
        return
    example = next((cell for cell in third if cell), "")
    raise InputError(
        f"{consultation.source}: row 3 is not Qualtrics' import-id row "
        '({"ImportId":"QID1"} in each column) but reads like a response'
        + (f" (such as {example[:40]!r})" if example else "")
        + ": the export has two header rows, and read with three its first response would "
        "be lost. Set header_rows: 2 in consultation.yml."
    )


def with_export_defaults(consultation: Consultation, headers: Headers) -> Consultation:
    """``consultation`` with its preset's usual columns and question texts filled in from
    the export's ``headers`` (column name -> its header cells), where it gives none."""
    check_import_id_row(consultation, headers)
    preset = consultation.preset
    found = {normalise(name): name for name in headers}
    used = {normalise(header) for header in consultation.columns.values()}
    columns = dict(consultation.columns)
    for field, usual in (
        ("response_id", preset.response_id),
        ("submitted_at", preset.submitted_at),
    ):
        if field in columns or (field == "submitted_at" and not consultation.dates_recorded):
            continue
        header = _first_present(usual, found, used)
        if header is not None:
            columns[field] = header
            used.add(normalise(header))
    incomplete = consultation.incomplete
    if incomplete is None:
        incomplete = next(
            (
                usual.model_copy(update={"column": found[normalise(usual.column)]})
                for usual in preset.incomplete
                if normalise(usual.column) in found
            ),
            None,
        )
    questions = consultation.questions
    if preset.question_text_row is not None:
        row = preset.question_text_row - 1
        questions = [_titled(q, headers, found, row) for q in consultation.questions]
    return consultation.model_copy(
        update={"columns": columns, "incomplete": incomplete, "questions": questions}
    )


def _first_present(usual: Sequence[str], found: dict[str, str], used: set[str]) -> str | None:
    """The first of ``usual`` the export has and consultation.yml does not already map."""
    for header in usual:
        key = normalise(header)
        if key in found and key not in used:
            return found[key]
    return None


def question_columns(question: Question) -> list[str]:
    """The export headers a question reads, in order."""
    columns = [question.column] if question.column is not None else []
    return columns + list((question.columns or {}).values()) + list((question.items or {}).values())


def _titled(question: Question, headers: Headers, found: dict[str, str], row: int) -> Question:
    """``question`` with its ``text`` from its columns' cells of header row ``row``
    (0-based), where it has none."""
    if question.text:
        return question
    texts = []
    for header in question_columns(question):
        name = found.get(normalise(header))
        cells = headers.get(name, ()) if name is not None else ()
        if len(cells) > row and cells[row].strip():
            texts.append(" ".join(cells[row].split()))
    title = question_title(texts, per_column=question.column is None)
    return question.model_copy(update={"text": title}) if title else question


def question_title(texts: Sequence[str], *, per_column: bool) -> str:
    """A question's text from its columns' question-text cells: a one-column question's
    cell as it is (less Qualtrics' " - Selected Choice"); the cells of a question with a
    column per item or option ("Question - Item", "Question - Other item") up to the last
    " - " they share."""
    if not texts:
        return ""
    if not per_column:
        text = texts[0]
        for ending in QUESTION_TEXT_ENDINGS:
            text = text.removesuffix(ending)
        return text
    shared = commonprefix(list(texts)) if len(texts) > 1 else texts[0]
    if JOIN in shared:
        return shared[: shared.rindex(JOIN)].strip()
    first = texts[0]
    return first[: first.rindex(JOIN)].strip() if JOIN in first else first
