"""A drafted consultation.yml as text: the keys of the data contract, in its order, each guess
with a ``# check:`` comment saying what was seen."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from pipelines.draft.completion import CompletionDraft
from pipelines.draft.questions import QuestionDraft
from pipelines.draft.standard import FieldsDraft


@dataclass
class Draft:
    """Everything ``workbook init`` decided about one export."""

    title: str
    source: str
    opened: date
    closed: date
    dates_check: str
    export: str
    export_check: str
    header_rows: int
    header: str
    date_format: list[str] | None
    #: false: the export records no submission dates (``dates_recorded: false``)
    dates_recorded: bool
    missing: list[str]
    #: the tool's completion mark, where no preset reads one (``incomplete``)
    incomplete: CompletionDraft | None
    fields: FieldsDraft
    questions: list[QuestionDraft] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)
    #: the worksheet of a workbook of several (``sheet:``), and why it was chosen
    sheet: str | None = None
    sheet_check: str = ""


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON's escaping is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _flow(mapping: dict[str, str]) -> str:
    return "{" + ", ".join(f"{quoted(k)}: {quoted(v)}" for k, v in mapping.items()) + "}"


def _flow_list(items: list[str]) -> str:
    return "[" + ", ".join(quoted(item) for item in items) + "]"


def _check(text: str) -> str:
    return f"  # check: {' '.join(text.split())}"


def _question_lines(number: int, question: QuestionDraft) -> list[str]:
    lines = [
        f"  - id: q{number}",
        f"    text: {quoted(question.text)}",
        f"    type: {question.type}{_check(question.check)}",
    ]
    if question.column is not None:
        lines.append(f"    column: {quoted(question.column)}")
    for key, mapping in (("columns", question.columns), ("items", question.items)):
        if mapping is not None:
            lines.append(f"    {key}:")
            lines += [f"      {quoted(code)}: {quoted(header)}" for code, header in mapping.items()]
    if question.options is not None:
        lines.append(f"    options: {_flow_list(question.options)}")
    if question.scale is not None:
        lines.append(f"    scale: {_flow_list(question.scale)}")
    if question.labels:
        lines.append("    labels:")
        lines += [f"      {quoted(c)}: {quoted(label)}" for c, label in question.labels.items()]
    if question.delimiter is not None:
        lines.append(f"    delimiter: {quoted(question.delimiter)}")
    if question.other_text is not None:
        lines.append(f'    other_text: {quoted(question.other_text)}  # "please specify" answers')
    return lines


def _field_lines(fields: FieldsDraft) -> list[str]:
    lines = ["columns:  # standard field -> the export's header"]
    if not fields.columns:
        lines = ["columns: {}  # check: no standard field found by its header: map them here"]
    lines += [
        f"  {name}: {quoted(header)}{_check(fields.checks.get(name, ''))}"
        for name, header in fields.columns.items()
    ]
    if fields.constants:
        lines.append("constants:  # one value for every response")
        lines += [
            f"  {name}: {quoted(value)}{_check(fields.checks.get(name, ''))}"
            for name, value in fields.constants.items()
        ]
    if fields.groups:
        lines.append("groups:  # this consultation's groups: code -> label")
        lines += [f"  {quoted(code)}: {quoted(label)}" for code, label in fields.groups.items()]
    if fields.values:
        lines.append("values:  # raw answer -> code")
        lines += [f"  {name}: {_flow(mapping)}" for name, mapping in fields.values.items()]
    if fields.categories:
        lines.append("categories:  # this consultation's own categories: code -> label")
        lines += [f"  {name}: {_flow(mapping)}" for name, mapping in fields.categories.items()]
    return lines


def draft_text(draft: Draft, drafted_on: date) -> str:
    """The consultation.yml ``workbook init`` writes."""
    lines = [
        f"# Drafted by `workbook init` from {draft.source} on {drafted_on.isoformat()}.",
        "# Every guess says what it saw in a `# check:` comment: read each one, correct what",
        "# is wrong, and delete the comment once checked.",
        f"title: {quoted(draft.title)}{_check('the title readers see')}",
        f'owner: ""{_check("the team that runs the consultation")}',
        f"opened: {draft.opened.isoformat()}{_check(draft.dates_check)}",
        f"closed: {draft.closed.isoformat()}",
        f"source: {quoted(draft.source)}",
        *([f"sheet: {quoted(draft.sheet)}{_check(draft.sheet_check)}"] if draft.sheet else []),
        f"export: {draft.export}{_check(draft.export_check)}",
        f"header_rows: {draft.header_rows}",
        f"header: {quoted(draft.header)}",
    ]
    if not draft.dates_recorded:
        lines.append(f"dates_recorded: false{_check('the export records no submission dates')}")
    if draft.date_format:
        check = draft.fields.checks.get("date_format", "")
        lines.append(f"date_format: {_flow_list(draft.date_format)}{_check(check)}")
    if draft.missing:
        check = _check(
            "answers read as not answered, left out of every question's base: "
            "remove any that is a real answer here"
        )
        lines.append(f"missing: {_flow_list(draft.missing)}{check}")
    if draft.incomplete is not None:
        column, values = quoted(draft.incomplete.column), _flow_list(list(draft.incomplete.values))
        lines.append(
            f"incomplete: {{column: {column}, values: {values}}}{_check(draft.incomplete.check)}"
        )
    lines += _field_lines(draft.fields)
    if draft.questions:
        lines.append("questions:")
        for number, question in enumerate(draft.questions, start=1):
            lines += _question_lines(number, question)
    if draft.dropped:
        lines.append("# Not mapped, so never read into clean data:")
        lines += [f"#   {quoted(name)}: {why}" for name, why in draft.dropped]
    return "\n".join(lines) + "\n"
