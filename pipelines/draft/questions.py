"""Guess a question's type, options and scale from its answers, saying what was seen."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from pipelines.draft.columns import ColumnGroup, ExportColumn
from pipelines.draft.settings import DraftSettings
from pipelines.fields import normalise
from pipelines.redact import RedactionLog, redact

#: Cells that mean "chosen" in a per-option column (besides the option's own label).
CHOSEN_MARKS = frozenset(
    normalise(t) for t in ("1", "Yes", "Y", "X", "True", "Checked", "Selected")
)
#: ... and "not chosen" (as validate reads them: pipelines.ingest.answers.NOT_CHOSEN).
NOT_CHOSEN_MARKS = frozenset(
    normalise(t) for t in ("No", "N", "0", "False", "Not selected", "Unchecked")
)
#: With this many answers, an option chosen by one person only is taken for "Other" text.
MANY_ANSWERS = 20
WHOLE_NUMBER = re.compile(r"^\d+$")
NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")  # as validate reads one


@dataclass
class QuestionDraft:
    """One drafted question: consultation.yml's keys, and the ``# check:`` comment."""

    type: str
    text: str
    check: str
    column: str | None = None
    columns: dict[str, str] | None = None
    items: dict[str, str] | None = None
    options: list[str] | None = None
    labels: dict[str, str] = field(default_factory=dict)
    scale: list[str] | None = None
    delimiter: str | None = None
    other_text: str | None = None


def code_of(label: str, taken: set[str]) -> str:
    """A short stable code for ``label`` ("Very good!" -> ``very_good``), unique in ``taken``."""
    text = normalise(label).replace("+", " plus")
    base = re.sub(r"[^0-9a-z]+", "_", text).strip("_")[:40].strip("_") or "option"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    taken.add(code)
    return code


def _coded(labels: list[str]) -> tuple[list[str], dict[str, str]]:
    taken: set[str] = set()
    codes = [code_of(label, taken) for label in labels]
    return codes, dict(zip(codes, labels, strict=True))


def familiar_scale(answers: list[str], settings: DraftSettings) -> list[str] | None:
    """The first familiar scale (config/draft.yml) holding every answer, or None."""
    keys = {normalise(a) for a in answers}
    if len(keys) < 2:
        return None
    for scale in settings.scales:
        if keys <= {normalise(label) for label in scale}:
            return list(scale)
    return None


def _blank(column: ExportColumn) -> str:
    return f"{column.blank_share:.0%} blank"


def _delimited(column: ExportColumn, settings: DraftSettings) -> tuple[str, list[str]] | None:
    """(delimiter, options in order) when the cells read as a one-cell multi-select: some
    cells hold the delimiter, and most of the parts recur in other cells (free text's
    clauses do not)."""
    rules = settings.questions
    for delimiter in rules.delimiters:
        holding = column.answers.str.contains(delimiter, literal=True).mean() or 0.0
        if holding < rules.min_delimited_share:
            continue
        if delimiter.strip() and delimiter != delimiter.strip() and _glued(column, delimiter):
            continue  # "Home care,Transport" after ", ": the cells are joined by "," alone
        if delimiter.strip() == "," and not _combines(column.answers.to_list(), delimiter):
            continue  # "Yes, I do" / "No": options that hold a comma, never ticked together
        parts = _option_parts(column.answers.to_list(), delimiter)
        repeated = sum(1 for count in parts.values() if count >= 2)
        if len(parts) <= rules.max_single_options * 2 and repeated * 2 >= len(parts):
            return delimiter, list(parts)
    return None


def _pieces(cell: str, delimiter: str) -> list[str]:
    """``cell`` split at every ``delimiter`` (a trailing one ignored), each piece as written
    (its spaces kept, so pieces joined again read as the cell did); blank pieces left out."""
    return [p for p in cell.strip().rstrip(delimiter.strip()).split(delimiter) if p.strip()]


def split_parts(cell: str, delimiter: str, merge: bool = True) -> list[str]:
    """A one-cell multi-select's parts; after a comma (``merge``), a part that starts in
    lower case goes on the one before, as written ("Meals, snacks and drinks" is one option
    holding the delimiter)."""
    pieces: list[str] = []
    for piece in _pieces(cell, delimiter):
        text = piece.strip()
        if merge and pieces and delimiter.strip() == "," and text[0].islower():
            pieces[-1] = f"{pieces[-1]}{delimiter}{piece}".strip()
        else:
            pieces.append(text)
    return pieces


def _option_parts(cells: list[str], delimiter: str) -> Counter[str]:
    """How often each option appears in one-cell multi-select ``cells``. A label holding the
    delimiter ("Meals, snacks and drinks") recurs; a merged part seen once is split again
    (text typed into "Other" after the ticks), and a part seen once that holds contact
    details is never an option: a draft never copies a respondent's details into labels."""
    merged = join_inseparable([_pieces(cell, delimiter) for cell in cells], delimiter)
    seen = Counter(part for parts in merged for part in parts)
    counts: Counter[str] = Counter()
    for parts in merged:
        for part in parts:
            if delimiter in part and seen[part] < 2:
                counts.update(split_parts(part, delimiter, merge=False))
            else:
                counts[part] += 1
    # among many answers, a part seen once is someone's own words, not an option
    once_ok = len(cells) < MANY_ANSWERS
    return Counter({p: n for p, n in counts.items() if n >= 2 or (once_ok and redact(p) == p)})


#: Two parts always side by side are one option only where seen together this often.
MIN_TOGETHER = 3


def join_inseparable(lists: list[list[str]], delimiter: str) -> list[list[str]]:
    """Each cell's parts (``lists``, split at every delimiter) with the parts that never
    appear apart joined into the one option holding the delimiter they are:

    * a part with a bracket left open and the parts up to the one closing it ("Mental health
      support (e.g. CAMHS" and "Talking Therapies)");
    * after a comma, a part starting in lower case that always follows the same part
      ("Meals" and "snacks and drinks"); one that follows several ("Home care, my neighbour
      helps" and "Day centres, my neighbour helps": text typed into "Other") stays apart;
    * a part always followed by one other that is always preceded by it, the two seen
      together :data:`MIN_TOGETHER` times or more ("Advice from Age UK" and "Citizens Advice
      or similar": a tool lists ticks in the form's order, so a label's pieces are always
      adjacent; two options always ticked together, side by side, would be joined too, and
      the draft's check says to look)."""
    lists = [_close_brackets(parts, delimiter) for parts in lists]
    while True:
        pairs = _always_adjacent(lists, lower=delimiter.strip() == ",")
        if not pairs:
            return [[part.strip() for part in parts] for parts in lists]
        joined = []
        for parts in lists:
            out: list[str] = []
            for part in parts:
                if out and pairs.get(out[-1].strip()) == part.strip():
                    out[-1] = f"{out[-1]}{delimiter}{part}"
                else:
                    out.append(part)
            joined.append(out)
        lists = joined


def _close_brackets(parts: list[str], delimiter: str) -> list[str]:
    """``parts`` with a part whose bracket is left open joined to those after it, up to the
    one that closes it (or the last)."""
    out: list[str] = []
    for part in parts:
        if out and out[-1].count("(") > out[-1].count(")"):
            out[-1] = f"{out[-1]}{delimiter}{part}"
        else:
            out.append(part)
    return out


def _always_adjacent(lists: list[list[str]], lower: bool) -> dict[str, str]:
    """Part -> the part to join after it (:func:`join_inseparable`): one always right after
    it and always preceded by it, seen :data:`MIN_TOGETHER` times; or (``lower``: a comma
    delimiter) one starting in lower case always preceded by it."""
    after: dict[str, set[str | None]] = {}
    before: dict[str, set[str | None]] = {}
    seen: Counter[str] = Counter()
    for pieces in lists:
        parts = [piece.strip() for piece in pieces]
        for index, part in enumerate(parts):
            seen[part] += 1
            after.setdefault(part, set()).add(parts[index + 1] if index + 1 < len(parts) else None)
            before.setdefault(part, set()).add(parts[index - 1] if index else None)
    pairs = {}
    for part, previous in before.items():
        (lead,) = previous if len(previous) == 1 else (None,)
        if lead is None or lead == part:
            continue
        if (lower and part[0].islower()) or (after[lead] == {part} and seen[lead] >= MIN_TOGETHER):
            pairs[lead] = part
    return pairs


def _combines(cells: list[str], delimiter: str) -> bool:
    """Whether the cells combine their parts as ticked boxes do: a part ticked alone in one
    cell is ticked beside others in another ("Home care" and "Transport, Home care"), or
    some cell has two or more parts each found in another cell too ("Meals, Transport"
    beside "Meals, Home care" and "Transport, Home care"). Single-choice labels holding a
    comma ("Yes, I do" / "Yes, I did" / "No"; "Leeds, West Yorkshire" / "Bradford, West
    Yorkshire") never stand alone and share at most one part."""
    shapes = {tuple(split_parts(cell, delimiter)) for cell in set(cells)}
    alone = {parts[0] for parts in shapes if len(parts) == 1}
    holders: dict[str, int] = {}
    for parts in shapes:
        for part in set(parts):
            holders[part] = holders.get(part, 0) + 1
    return any(
        len(parts) >= 2
        and (
            any(part in alone for part in parts)
            or sum(1 for part in set(parts) if holders[part] >= 2) >= 2
        )
        for parts in shapes
    )


def _glued(column: ExportColumn, delimiter: str) -> bool:
    """Whether cells split at ``delimiter`` (", ") still hold its bare form (",") between
    two words with no space: the tool joined them by the bare form."""
    bare = re.escape(delimiter.strip())
    return bool(column.answers.str.contains(rf"\S{bare}\S").any())


def _is_free_text(column: ExportColumn, settings: DraftSettings) -> bool:
    """A header asking for words; many different answers; or long, mostly different ones."""
    rules = settings.questions
    header = normalise(column.header_text)
    if any(pattern.search(header) for pattern in rules.free_text_headers):
        return True
    mean = column.answers.str.len_chars().mean() or 0.0
    distinct_share = len(column.distinct) / max(column.answers.len(), 1)
    return len(column.distinct) > rules.max_single_options or (
        mean >= rules.min_free_text_length / 2
        and distinct_share >= rules.min_free_text_distinct_share
    )


def is_other_text(column: ExportColumn, settings: DraftSettings) -> bool:
    """A column of "please specify" answers to the question before it."""
    keys = (normalise(column.header_text), normalise(column.name), column.name.lower())
    return any(p.search(key) for p in settings.questions.other_text_headers for key in keys)


def one_cell_ranking(column: ExportColumn, delimiter: str) -> bool:
    """Every answer lists the same options, in different orders (Microsoft Forms writes a
    ranking so): a ranking in one cell, which validate cannot read as a multi-select."""
    lists = [tuple(split_parts(cell, delimiter)) for cell in column.answers.to_list()]
    options = {frozenset(parts) for parts in lists}
    return len(options) == 1 and len(lists[0]) >= 2 and len(set(lists)) >= 2


def _long(column: ExportColumn) -> bool:
    return (column.answers.str.len_chars().mean() or 0.0) >= 60


def _holds_contact_details(answers: list[str]) -> bool:
    """Whether any answer holds a detail redaction removes other than a name (an e-mail
    address, a phone number, a postcode...)."""
    log = RedactionLog()
    for answer in answers:
        redact(answer, log)
    return any(n for kind, n in log.as_dict().items() if kind != "name")


def guess_column(column: ExportColumn, settings: DraftSettings) -> QuestionDraft | None:
    """One column's question: number, likert, multi (one cell), single or free text."""
    answers = column.distinct
    if not answers:
        return None
    text = column.header_text
    if all(NUMBER.match(a) for a in answers):
        values = column.answers.str.replace_all(",", "").cast(pl.Float64)
        return QuestionDraft(
            "number",
            text,
            f"numbers from {values.min():g} to {values.max():g}; {_blank(column)}",
            column=column.name,
        )
    scale = familiar_scale(answers, settings)
    if scale is not None:
        return QuestionDraft(
            "likert",
            text,
            f"answers on a familiar scale; {_blank(column)}",
            column=column.name,
            scale=scale,
        )
    asks_words = _is_free_text(column, settings)
    delimited = None if asks_words and _long(column) else _delimited(column, settings)
    if delimited is not None:
        delimiter, parts = delimited
        codes, labels = _coded(parts)
        holding = [part for part in parts if delimiter.strip() and delimiter.strip() in part]
        whole = (
            f"; read as one option each, holding {delimiter.strip()!r} (check they are not "
            "options always ticked together): " + ", ".join(repr(part) for part in holding[:3])
            if holding
            else ""
        )
        return QuestionDraft(
            "multi",
            text,
            f"{len(parts)} options in cells separated by {delimiter!r}{whole}; {_blank(column)}",
            column=column.name,
            options=codes,
            labels=labels,
            delimiter=delimiter,
        )
    # an answer holding contact details is typed, never an option to publish (a name alone
    # may be an option's: "Dr Patel's Practice")
    typed = not asks_words and _holds_contact_details(answers)
    if not asks_words and not typed:
        codes, labels = _coded(answers)
        return QuestionDraft(
            "single",
            text,
            f"{len(answers)} distinct answers; {_blank(column)}",
            column=column.name,
            options=codes,
            labels=labels,
        )
    mean = column.answers.str.len_chars().mean() or 0
    why = "; read as comments (redacted): an answer holds contact details" if typed else ""
    return QuestionDraft(
        "free_text",
        text,
        f"{len(answers)} distinct answers, {mean:.0f} characters on average{why}; {_blank(column)}",
        column=column.name,
    )


#: A grid's scale guessed from its answers has at most this many points.
MAX_GUESSED_SCALE = 7


def natural_key(text: str) -> tuple:
    """Sort key that puts "A2" before "A10"."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", normalise(text)))


def _shared_scale(group: ColumnGroup) -> list[str] | None:
    """The answers every item of a grid shares, when there are few of them (a scale no
    familiar list holds, such as LimeSurvey's codes A1..A5), in natural order."""
    distinct = {a for column in group.columns for a in column.distinct}
    if not 2 <= len(distinct) <= MAX_GUESSED_SCALE or any(", " in a for a in distinct):
        return None  # ("Monday, Friday": a checkbox grid's combinations are no scale)
    if any(len(column.distinct) < 2 for column in group.columns):
        return None
    return sorted(distinct, key=natural_key)


def _is_ranking(group: ColumnGroup, values: list[str], settings: DraftSettings) -> bool:
    """Whole numbers 1..n across n columns, and nobody giving two options the same one:
    a rating grid of n items on a 1..n scale has ties (4, 5, 4, 5, 3); a ranking has none."""
    size = len(group.columns)
    return (
        size <= settings.questions.max_ranking_options
        and all(WHOLE_NUMBER.match(v) for v in values)
        and len({int(v) for v in values}) > 1  # a lone "1" is a tick, not a rank
        and {int(v) for v in values} <= set(range(1, size + 1))
        and not _tied(group)
    )


def rank_positions(group: ColumnGroup) -> bool:
    """Columns named by rank positions 1..n (LimeSurvey's ``rank[1]``, ``rank[2]``) whose
    answers are never repeated in a row: each names the option placed at that position,
    which is not a grid (a scale point per item) nor a ranking (a rank per option)."""
    positions = [str(n) for n in range(1, len(group.items) + 1)]
    if len(group.items) < 2 or [item.strip() for item in group.items] != positions:
        return False
    if any(WHOLE_NUMBER.match(answer) for column in group.columns for answer in column.distinct):
        return False  # ranks or scores, not option codes
    return not _tied(group, numbers=False)


def _tied(group: ColumnGroup, numbers: bool = True) -> bool:
    """Some row gives the same answer in two of the group's columns: the same whole number
    (``numbers``), else the same text; blank cells aside."""
    texts = [column.values.cast(pl.String).str.strip_chars() for column in group.columns]
    cells = pl.DataFrame(
        [
            (text.cast(pl.Int64, strict=False) if numbers else text.replace("", None)).alias(
                str(index)
            )
            for index, text in enumerate(texts)
        ]
    )
    rows = cells.select(pl.concat_list(pl.all()).list.drop_nulls().alias("row"))["row"]
    return bool((rows.list.len() != rows.list.n_unique()).any())


def _marks_only(group: ColumnGroup) -> bool:
    """Every option column holds its own label or a chosen / not-chosen mark only."""
    return all(
        {normalise(v) for v in column.distinct}
        <= {normalise(item), *CHOSEN_MARKS, *NOT_CHOSEN_MARKS}
        for column, item in zip(group.columns, group.items, strict=True)
    )


def guess_group(group: ColumnGroup, settings: DraftSettings) -> QuestionDraft | None:
    """A group of columns: a ranking, a grid, or a multi-select with one column per option
    (a "please specify" column among them is its ``other_text``); None when they are
    unrelated columns after all."""
    other = [c for c in group.columns if is_other_text(c, settings)]
    if other and len(group.columns) - len(other) >= 2:
        keep = [i for i, c in enumerate(group.columns) if c not in other]
        group = ColumnGroup(
            group.stem,
            tuple(group.items[i] for i in keep),
            tuple(group.columns[i] for i in keep),
        )
    values = [a for column in group.columns for a in column.distinct]
    if not values:
        return None
    size = len(group.columns)
    codes, labels = _coded(list(group.items))
    named = {code: column.name for code, column in zip(codes, group.columns, strict=True)}
    specify = other[0].name if other else None
    if _is_ranking(group, values, settings):
        answered = max(column.answers.len() for column in group.columns)
        check = f"{size} options ranked 1 to {size}; {answered} people ranked"
        return QuestionDraft("ranking", group.stem, check, columns=named, labels=labels)
    if _marks_only(group):
        check = f"{size} options, one column each (a mark means chosen)"
        return QuestionDraft(
            "multi", group.stem, check, columns=named, labels=labels, other_text=specify
        )
    scale = familiar_scale(values, settings)
    check = f"{size} items on a familiar scale"
    if scale is None:
        scale = _shared_scale(group)
        check = f"{size} items sharing {len(scale or [])} answers: put the scale in order"
    if scale is not None:
        return QuestionDraft("grid", group.stem, check, items=named, labels=labels, scale=scale)
    return None
