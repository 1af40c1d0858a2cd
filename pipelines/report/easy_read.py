"""Easy Read summaries: what people said, in short sentences and numbers in words.

An Easy Read page is written from a report's **published** tables (the CSV files beside its
page, after disclosure control), so it can never say more than the report: a ``[c]`` cell
is never read as a number, and where hidden rows could hold a larger answer than the
largest one shown, no "most" or "most common" is claimed. Every sentence is one idea on its
own line. The words are pure functions of those tables and plain values (tested on
three-row tables in ``tests/test_pages.py``); :func:`write_easy_read` only reads the CSVs and
writes the page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.consultation import Consultation
from pipelines.disclosure import SUPPRESSED
from pipelines.report import html
from pipelines.report.html import Fragment
from pipelines.report.publish import restore_formulas

ONES = (
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
#: The fractions a share is said as, simplest first (a tie goes to the simpler one).
FRACTIONS = (
    (1, 2), (1, 3), (2, 3), (1, 4), (3, 4), (1, 5), (2, 5), (3, 5), (4, 5),
    (1, 10), (3, 10), (7, 10), (9, 10), (1, 20),
)  # fmt: skip


# ---- numbers in words ------------------------------------------------------------------


def _below_thousand(n: int) -> str:
    """0 to 999 in words, British style: "three hundred and forty"."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    rest = n % 100
    return ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + _below_thousand(rest))


def _spelled(n: int) -> str:
    """0 to 999,999 in words."""
    if n < 1000:
        return _below_thousand(n)
    thousands, rest = divmod(n, 1000)
    tail = "" if rest == 0 else (" and " if rest < 100 else " ") + _below_thousand(rest)
    return _below_thousand(thousands) + " thousand" + tail


def rounded(n: int) -> int:
    """A count rounded as people say it: exact below 20, to the nearest ten below 200, the
    nearest hundred below 10,000, the nearest thousand above."""
    if n < 20:
        return n
    step = 10 if n < 200 else 100 if n < 10_000 else 1000
    return int((n + step // 2) // step * step)


def number_in_words(n: int, estimate: bool = False) -> str:
    """A count in words, rounded as people say it: 794 -> "about eight hundred", 12 ->
    "twelve", 40 -> "forty" ("about forty" where ``estimate``). One million and more keep
    their digits."""
    if n < 0:
        raise ValueError(f"a count cannot be negative: {n}")
    near = rounded(n)
    words = _spelled(near) if near < 1_000_000 else f"{near:,}"
    return words if near == n and not estimate else f"about {words}"


def share_in_words(percent: float) -> str:
    """A share as a plain fraction: 25 -> "about 1 in 4", 50 -> "about half", 98 ->
    "almost everyone", 0 -> "nobody"."""
    if percent <= 0:
        return "nobody"
    if percent >= 100:
        return "everyone"
    if percent >= 97.5:
        return "almost everyone"
    if percent < 2.5:
        return "fewer than 1 in 20"
    share = percent / 100
    top, bottom = min(FRACTIONS, key=lambda f: round(abs(share - f[0] / f[1]), 3))
    if (top, bottom) == (1, 2):
        return "about half"
    return f"about {top} in {bottom}"


def of_people(share: str) -> str:
    """A share from :func:`share_in_words` with "people": "about 1 in 4 people", "about
    half of the people", "almost everyone"."""
    if share in ("nobody", "everyone", "almost everyone"):
        return share
    if share == "about half":
        return "about half of the people"
    return f"{share} people"


# ---- published tables --------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of a published table: its label, and its count and share where shown (None
    where the cell is ``[c]``)."""

    label: str
    count: float | None
    percent: float | None

    @property
    def shown(self) -> bool:
        return self.count is not None and self.percent is not None


def _value(cell: object) -> float | None:
    """A published cell as a number, or None for ``[c]`` or an empty cell."""
    if cell is None or str(cell).strip() in ("", SUPPRESSED):
        return None
    return float(str(cell))


def table_rows(table: pl.DataFrame, label: str, count: str, percent: str) -> list[Row]:
    """The rows of a published table (read as text, as the CSV holds them)."""
    return [
        Row(str(r[label]), _value(r[count]), _value(r[percent]))
        for r in table.select(label, count, percent).iter_rows(named=True)
    ]


def leader(rows: Sequence[Row], shares_add_up: bool) -> list[Row]:
    """The largest shown row, or the rows tied for it; empty when nothing is shown or when
    hidden rows could hold as large a share.

    Where the shares add up to 100 (one answer each), the hidden rows' shares together are
    100 minus the shown ones (as a reader can work out from the table too), so a leader is
    named only when that remainder is smaller than its share. Where they do not add up (tick
    all that apply), any hidden row leaves the leader unknown.
    """
    shown = [r for r in rows if r.shown]
    if not shown:
        return []
    top = max(r.count or 0 for r in shown)
    first = [r for r in shown if r.count == top]
    hidden = len(shown) < len(rows)
    if hidden:
        remainder = 100 - sum(r.percent or 0 for r in shown)
        if not shares_add_up or remainder >= (first[0].percent or 0):
            return []
    return first


def _quoted(labels: Sequence[str]) -> str:
    named = [f"“{label}”" for label in labels]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def answer_lines(rows: Sequence[Row], shares_add_up: bool = True) -> list[str]:
    """What people answered most, one idea a line: "Most people chose “Yes”." only above
    half; otherwise "The most common answer was ...". Ties are named; nothing is said
    where the leader is not known (:func:`leader`)."""
    first = leader(rows, shares_add_up)
    if not first:
        return []
    people = of_people(share_in_words(first[0].percent or 0))
    if len(first) > 1:
        return [
            f"The same number of people chose {_quoted([r.label for r in first])}.",
            f"That is {people} for each answer.",
        ]
    label = _quoted([first[0].label])
    if (first[0].percent or 0) > 50:
        return [f"Most people chose {label}.", f"That is {people}."]
    return [f"The answer chosen most was {label}.", f"{people.capitalize()} chose it."]


def total_from(rows: Sequence[Row]) -> int | None:
    """The people a published table is a share of: the sum of its counts where none is
    hidden, else the largest shown count over its share (what the table says of itself)."""
    if rows and all(r.shown for r in rows):
        return int(round(sum(r.count or 0 for r in rows)))
    shown = [r for r in rows if r.shown and (r.percent or 0) > 0]
    if not shown:
        return None
    big = max(shown, key=lambda r: r.count or 0)
    return int(round((big.count or 0) * 100 / (big.percent or 1)))


def took_part_lines(groups: Sequence[Row]) -> list[str]:
    """How many answered, in words, and the biggest group (from participation_by_group)."""
    total = total_from(groups)
    if not total:
        return ["Nobody answered the survey here."] if total == 0 else []
    estimate = not all(r.shown for r in groups)  # worked out from a share: never exact
    lines = [f"{number_in_words(total, estimate).capitalize()} people answered the survey."]
    first = leader(groups, shares_add_up=True)
    if len(first) == 1:
        lines += [
            f"The biggest group was {first[0].label.lower()}.",
            f"That is {of_people(share_in_words(first[0].percent or 0))}.",
        ]
    return lines


def theme_lines(themes: Sequence[Row], most: int = 3) -> list[str]:
    """The themes written about most often, largest first (shown counts only)."""
    shown = sorted(
        (r for r in themes if r.shown and (r.count or 0) > 0), key=lambda r: -(r.count or 0)
    )
    return [r.label for r in shown[:most]]


def actions_lines(actions: pl.DataFrame) -> list[str]:
    """What was done about what people said, from actions_by_status (status, actions)."""
    counts = {str(r["status"]): _value(r["actions"]) for r in actions.iter_rows(named=True)}
    done, going = counts.get("done"), counts.get("in_progress")
    lines = []
    if done:
        lines.append(
            f"We have done {number_in_words(int(done))} thing{'s' if done != 1 else ''} you asked for."
        )
    if going:
        lines.append(f"We are working on {number_in_words(int(going))} more.")
    return lines


def sentences(text: str) -> list[str]:
    """A paragraph as one sentence a line."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]


# ---- the page ----------------------------------------------------------------------------

PAGE_TEMPLATE = "easy_read.html.j2"


def _lines(items: Sequence[str]) -> list[Fragment]:
    return [html.paragraph(line) for line in items]


def question_blocks(
    consultation: Consultation, tables: Mapping[str, pl.DataFrame]
) -> list[Fragment]:
    """One block per question that has something to say: the question, then what people
    answered most (choice questions) or wrote about most often (free text with themes)."""
    blocks: list[Fragment] = []
    for question in consultation.questions:
        lines: list[Fragment] = []
        table = tables.get(f"question_{question.id}")
        if question.type in ("single", "likert") and table is not None:
            lines = _lines(answer_lines(table_rows(table, "label", "count", "percent")))
        elif question.type == "multi" and table is not None:
            rows = table_rows(table, "label", "count", "pct_respondents")
            lines = _lines(answer_lines(rows, shares_add_up=False))
        elif question.type == "free_text" and f"themes_{question.id}" in tables:
            themes = theme_lines(
                table_rows(tables[f"themes_{question.id}"], "theme", "count", "pct_respondents")
            )
            if themes:
                lines = [html.paragraph("People often wrote about:"), html.bullet_list(themes)]
        if lines:
            blocks.append(html.join([html.heading(3, question.text or question.id), *lines]))
    return blocks


def easy_read_body(
    consultation: Consultation,
    area: str,
    tables: Mapping[str, pl.DataFrame],
    published: str,
    report_href: str,
) -> Fragment:
    """The Easy Read summary of one area (a region's name, or "" for every region) from its
    published tables: why we asked, who took part, what people said most, what happens
    next, who to contact, and links to the full report and every report."""
    where = f"in {area}" if area else "across all regions"
    parts = [
        html.paragraph("Easy Read", css="kicker"),
        html.heading(1, consultation.title),
        html.paragraph(f"What people {where} told us."),
        html.paragraph(f"Published {published}."),
    ]
    if consultation.purpose:
        parts += [html.heading(2, "Why we asked"), *_lines(sentences(consultation.purpose))]
    if "participation_by_group" in tables:
        rows = table_rows(tables["participation_by_group"], "label", "responses", "percent")
        parts += [html.heading(2, "Who took part"), *_lines(took_part_lines(rows))]
    blocks = question_blocks(consultation, tables)
    if blocks:
        parts += [html.heading(2, "What people told us"), *blocks]
    after = sentences(consultation.next_steps)
    if "actions_by_status" in tables:
        after += actions_lines(tables["actions_by_status"])
    if after:
        parts += [html.heading(2, "What happens next"), *_lines(after)]
    if consultation.contact:
        parts += [html.heading(2, "Contact us"), html.paragraph("If you have questions, contact:"),
                  html.paragraph(consultation.contact)]  # fmt: skip
    name = area or "all regions"
    parts.append(
        Fragment(
            f'<p class="links"><a href="{html.text(report_href)}">Read the full report for '
            f'{html.text(name)}</a><br><a href="index.html">See every report</a></p>'
        )
    )
    return html.join(parts)


def read_published(tables_dir: Path) -> dict[str, pl.DataFrame]:
    """A report's published tables, read as text as the CSV files hold them, less the ``'``
    that guards a cell from running as a spreadsheet formula (not part of the words)."""
    return {
        path.stem: restore_formulas(pl.read_csv(path, infer_schema=False, encoding="utf8"))
        for path in sorted(tables_dir.glob("*.csv"))
    }


def write_easy_read(
    target: Path,
    slug: str,
    area: str,
    consultation: Consultation,
    published: str,
    banner: str = "",
) -> Path:
    """``<slug>-easy-read.html`` beside the report, from the tables published beside it."""
    from pipelines.atomic import write_text_atomic
    from pipelines.report.export import sanitise

    tables = read_published(target / slug / "tables")
    body = easy_read_body(consultation, area, tables, published, f"{slug}.html")
    title = f"Easy Read: {consultation.title} – {area or 'all regions'}"
    page = _template().render(title=title, body=_Safe(sanitise(body)), banner=banner)
    path = target / f"{slug}-easy-read.html"
    write_text_atomic(path, page)
    return path


def _template():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from pipelines.report.export import TEMPLATES

    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    return env.get_template(PAGE_TEMPLATE)


class _Safe(str):
    """Sanitised HTML for the page template."""

    def __html__(self) -> str:
        return str(self)
