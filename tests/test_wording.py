"""The report's words (pipelines.report.wording), on tables of three rows: what each sentence
says, and what it must not say (a ``[c]`` row named as the largest, ties, empty tables)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pipelines.consultation import Question
from pipelines.disclosure import PUBLIC_MAX_SUPPRESSED, PUBLIC_ROUNDING, SUPPRESSED, Controlled
from pipelines.report import answer_words
from pipelines.report import wording as words


def controlled(frame: pl.DataFrame, **hidden: list[bool]) -> Controlled:
    """A published table: ``hidden`` names each suppressed column's mask (values kept, as the
    words must never read a hidden value)."""
    mask = pl.DataFrame(hidden) if hidden else pl.DataFrame()
    return Controlled("t", frame, mask, "restricted", 10)


GROUPS = pl.DataFrame(
    {
        "group": ["carers", "staff", "users"],
        "label": ["Carers", "Staff", "Service users"],
        "responses": [50, 30, 20],
        "percent": [50.0, 30.0, 20.0],
    }
)


def test_shown_labels_carry_the_value_and_count_or_c() -> None:
    table = controlled(GROUPS, responses=[False, True, False], percent=[False, True, False])
    shown = words.shown_column(table, "percent", "percent", "responses")["shown"].to_list()
    assert shown == ["50% (50)", SUPPRESSED, "20% (20)"]
    alt = words.bars_alt("T", words.shown_column(table, "percent", "percent"), "label")
    assert alt == "Bar chart. T. Carers: 50%; Staff: [c]; Service users: 20%."


def test_counts_as_the_profile_shows_them() -> None:
    assert words.count_text(3, "restricted", 10) == SUPPRESSED
    assert words.count_text(0, "restricted", 10) == "0"
    assert words.count_text(1234, "public", 10) == "1,235"
    assert words.count_text(1234, "none", 10) == "1,234"


def test_the_public_rule_comes_from_disclosure() -> None:
    hidden, rounding = words.public_rule()
    assert (
        hidden == f"1 to {PUBLIC_MAX_SUPPRESSED}" and rounding == f"the nearest {PUBLIC_ROUNDING}"
    )
    public = words.source_note("Care", "London", "public", 10)
    assert (
        public
        == f"Source: Care, valid responses, London. Counts rounded to {rounding}; [c]: {hidden} people."
    )
    restricted = words.source_note("Care", "London", "restricted", 7)
    assert "fewer than 7 people" in restricted
    assert words.source_note("Care", "London", "public", 10, "the log", people=False) == (
        "Source: Care, the log, London."
    )
    assert words.small_numbers("restricted", 10).startswith("Counts from 1 to 9 are shown as [c]")
    assert f"Counts from {hidden} are shown" in words.small_numbers("public", 10)
    assert words.small_numbers("none", 10) is None


def test_change_since_the_previous_wave() -> None:
    assert words.change_stat(100, None, compared=False) == (
        "–",
        "no earlier wave to compare with",
    )
    assert words.change_stat(150, 100, compared=True) == (
        "+50%",
        "responses since the previous wave (100)",
    )
    # a hidden count on either side: no percentage that would give it away
    for now, before in ((150, None), (None, 100), (None, None)):
        assert words.change_stat(now, before, compared=True) == (
            SUPPRESSED,
            "change since the previous wave",
        )


def test_key_messages_name_the_largest_group_and_the_top_theme() -> None:
    themes = pl.DataFrame(
        {
            "theme": ["Staff", "Cost", "Time"],
            "count": [12, 11, 10],
            "pct_respondents": [40.0, 36.6, 33.3],
        }
    )
    messages = words.key_messages(controlled(GROUPS), {}, [("Anything else?", controlled(themes))])
    assert messages == [
        "Carers were the largest group: 50% of responses.",
        "The most common theme in answers to “Anything else?” was Staff, raised by 40% of those whose comments were coded.",
    ]


def test_key_messages_never_name_a_hidden_largest_group_or_theme() -> None:
    themes = pl.DataFrame(
        {"theme": ["Staff", "Cost", "Time"], "count": [3, 2, 1], "pct_respondents": [3.0, 2.0, 1.0]}
    )
    hidden = controlled(themes, count=[True, True, True])
    by_group = controlled(GROUPS, responses=[True, False, False])
    assert words.key_messages(by_group, {}, [("Q", hidden)]) == []
    empty = controlled(GROUPS.clear())
    assert words.key_messages(empty, {}, []) == []


def representation(ratios: list[float | None], flags: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "category": ["red", "blue", "prefer_not_to_say"],
            "respondents": [10, 40, 5],
            "respondent_share": [0.2, 0.8, None],
            "population_share": [0.5, 0.5, None],
            "ratio": ratios,
            "flag": flags,
        }
    )


def test_the_most_under_represented_is_the_lowest_ratio_first_on_ties() -> None:
    first = controlled(representation([0.4, 1.6, None], ["under", "over", None]))
    second = controlled(representation([0.4, 1.0, None], ["under", None, None]))
    messages = words.key_messages(
        controlled(GROUPS.clear()), {"colour": first, "shade": second}, []
    )
    assert messages == [
        "People in the category Red are under-represented: 20% of respondents, 50% of the population."
    ]


def test_flagged_sentences_under_first_then_over_and_none_when_in_line() -> None:
    frame = representation([1.6, 0.4, None], ["over", "under", None])
    sentences = words.flagged_sentences("colour", frame.head(2))
    assert [s.split(" are ")[1].split(":")[0] for s in sentences] == [
        "under-represented",
        "over-represented",
    ]
    assert "Blue" in sentences[0]
    assert (
        words.flagged_sentences("colour", representation([1.0, 1.0, None], [None, None, None]))
        == []
    )


def test_counted_apart_and_the_chart_verdicts() -> None:
    frame = representation([0.4, None, None], ["under", None, None]).with_columns(
        pl.Series("category", ["red", "prefer_not_to_say", "not_answered"])
    )
    table = controlled(frame, respondents=[False, False, True])
    labelled = frame.with_columns(pl.Series("label", ["Red", "Prefer not to say", "Not answered"]))
    assert words.apart_text(table, labelled) == f"Prefer not to say: 40; Not answered: {SUPPRESSED}"
    hidden = controlled(frame.head(1), respondents=[True])
    assert words.representation_chart_frame(hidden, "colour")["verdict"].to_list() == [
        f"{SUPPRESSED} too few to show"
    ]
    verdicts = words.representation_chart_frame(table, "colour")["verdict"].to_list()
    assert verdicts == ["under-represented"]  # the rows counted apart are not charted


def test_titles_fall_back_when_the_top_row_is_hidden_or_there_are_none() -> None:
    shown = words.shown_column(controlled(GROUPS), "percent", "percent", "responses")
    assert words.group_title(shown) == "Carers gave the most responses"
    hidden = words.shown_column(
        controlled(GROUPS, percent=[True, False, False]), "percent", "percent", "responses"
    )
    assert words.group_title(hidden) == "Responses by stakeholder group"
    assert words.group_title(shown.clear()) == "Responses by stakeholder group"


def test_place_title_names_up_to_three_quiet_places() -> None:
    frame = pl.DataFrame(
        {"locality": ["A", "B", "C"], "responses": [0, 5, 20], "shown": ["0%", SUPPRESSED, "80%"]}
    )
    assert words.place_title(frame, "locality") == "Responses by locality: few or none from A, B"
    more = pl.concat([frame, frame.with_columns(pl.lit(0, dtype=pl.Int64).alias("responses"))])
    assert words.place_title(more, "locality").endswith(" and others")
    assert words.place_title(frame.tail(1), "locality") == "Responses by locality"


def test_channel_title_says_most_only_above_half() -> None:
    frame = pl.DataFrame(
        {"channel": ["online", "paper", "event"], "channel_label": ["Online", "On paper", "At an event"],
         "responses": [60, 30, 9], "percent": [60.0, 30.0, 9.0], "shown": ["60%", "30%", SUPPRESSED]}
    )  # fmt: skip
    assert words.channel_title(frame) == "Most people responded online (60%)"
    minority = frame.with_columns(pl.Series("percent", [40.0, 30.0, 30.0]))
    assert words.channel_title(minority) == "The most common way to respond was online (40%)"
    tie = frame.with_columns(
        pl.Series("responses", [30, 30, 9]), pl.Series("percent", [45.0, 45.0, 10.0])
    )
    assert words.channel_title(tie) == "As many people responded online and on paper (45% each)"
    assert words.channel_title(frame.clear()) == "Responses by channel"


def test_likert_title_splits_the_scale_and_gives_up_on_any_c() -> None:
    frame = pl.DataFrame(
        {"label": ["Poor", "Fair", "Good"], "percent": [20.0, 30.0, 50.0], "count": [20, 30, 50]}
    )
    assert answer_words.likert_title(controlled(frame)) == "50% answered Good; 20% Poor"
    tie = frame.with_columns(pl.Series("percent", [40.0, 20.0, 40.0]))
    assert (
        answer_words.likert_title(controlled(tie)) == "40% answered Good; 40% Poor"
    )  # the top half first
    assert (
        answer_words.likert_title(controlled(frame, count=[True, False, False]))
        == "How people answered"
    )
    assert answer_words.likert_title(controlled(frame.head(1))) == "How people answered"


def test_mean_score_only_when_nothing_is_hidden_or_rounded() -> None:
    frame = pl.DataFrame({"label": ["Poor", "Fair", "Good"], "count": [20, 30, 50]})
    assert answer_words.mean_score_text(controlled(frame), 2.3, "restricted") == (
        "Mean score 2.3 on a scale of 1 (Poor) to 3 (Good)."
    )
    refused = "No mean score is shown: too few answers, or some are suppressed."
    assert answer_words.mean_score_text(controlled(frame), 2.3, "public") == refused
    assert answer_words.mean_score_text(controlled(frame), None, "restricted") == refused
    assert (
        answer_words.mean_score_text(controlled(frame, count=[False, True, False]), 2.3, "none")
        == refused
    )


def test_choice_and_theme_titles() -> None:
    frame = pl.DataFrame(
        {
            "label": ["A", "B", "C"],
            "theme": ["A", "B", "C"],
            "count": [5, 30, 0],
            "percent": [14.3, 85.7, 0.0],
            "shown": ["5%", "30%", "0%"],
        }
    )
    assert answer_words.single_title(frame) == "Most chose “B” (86%)"
    assert answer_words.single_title(frame.clear()) == "Answers"
    assert answer_words.multi_title(frame) == "“B” was chosen most often"
    hidden = frame.with_columns(pl.lit(SUPPRESSED).alias("shown"))
    assert answer_words.multi_title(hidden) == "Options chosen"
    assert answer_words.themes_title(frame) == "B was the most common theme"
    assert answer_words.themes_title(hidden) == "Themes in the comments"


def test_difference_notes_only_for_cells_and_groups_of_min_cell() -> None:
    question = Question(
        id="q1", type="single", column="c", options=["yes", "no"], labels={"yes": "Yes"}
    )
    table = pl.DataFrame(
        {"group": ["carers", "staff", "staff"], "option": ["yes", "no", "yes"],
         "count": [40, 12, 3], "adjusted_residual": [2.5, -3.0, 2.0]}
    )  # fmt: skip
    notes = answer_words.difference_notes(table, {"carers": "Carers"}, question, 10)
    assert notes == [
        "staff chose “No” less often than other groups.",
        "Carers chose “Yes” more often than other groups.",
    ]
    assert answer_words.difference_notes(table, {}, question, 50) == []


def test_feedback_and_themes_without_action() -> None:
    assert (
        words.feedback_sentence(0, 3, None, 0)
        == "Nobody has yet been told the outcome of these 3 actions."
    )
    early = words.feedback_sentence(4, 1, -6.0, 4)
    assert "heard back 6 days before the due date; 4 of 4 within 30 days" in early
    assert words.unaddressed_sentence([]) is None
    assert words.unaddressed_sentence(["Cost", "Time"]) == (
        "Themes people raised that no action addresses yet: Cost, Time."
    )


def test_events_and_actions_titles_count_every_row() -> None:
    ladder = pl.DataFrame(
        {"ladder_rung": ["informing", "co_designing", "co_producing"], "events": [4, 2, 1],
         "attendees": [40, 15, 12], "shown": ["40", "15", "12"]}
    )  # fmt: skip
    assert words.ladder_title(ladder) == (
        "27 of 67 people at events were at ones that went as far as co-designing or co-producing"
    )
    assert words.ladder_events_sentence(ladder) == (
        "3 of 7 events went as far as co-designing or co-producing."
    )
    status = pl.DataFrame({"status": ["done", "planned", "done"], "actions": [2, 5, 0]})
    assert words.actions_title(status) == "2 of 7 actions are done"
    assert words.actions_title(status.clear()) == "0 of 0 actions are done"


def test_side_by_side_names_the_largest_region_only_when_none_is_hidden() -> None:
    frame = pl.DataFrame({"region": ["London", "North", "South"], "responses": [10, 90, 90]})
    lead = words.side_by_side_lead(controlled(frame))
    assert lead.startswith("North and South each gave the most responses. ")  # a tie: named
    hidden = words.side_by_side_lead(controlled(frame, responses=[True, False, False]))
    assert hidden == "Each region's own report has the detail: follow its name in the table."


def test_data_quality_and_provenance_lines() -> None:
    ledger = {"rows_read": 1200, "valid": 1150, "quarantined": 50}
    assert words.data_quality(ledger).startswith(
        "Across the whole consultation, 1,200 responses were read; 1,150 passed validation and 50 were set aside"
    )
    when = dt.datetime(2026, 3, 1, 9, 5, tzinfo=dt.UTC)
    line = words.provenance_line("", when, "0.1.0", {"polars": "2.1"})
    assert (
        line
        == "Report run interactive, produced 01 March 2026 09:05 UTC with participation-workbook 0.1.0; polars 2.1."
    )


@pytest.mark.parametrize("profile", ["restricted", "public", "none"])
def test_every_sentence_escapes_nothing_itself(profile: str) -> None:
    """Words are text: the HTML layer escapes them, so a hostile label passes through as is."""
    frame = GROUPS.with_columns(pl.Series("label", ["<b>x</b>", "Staff", "Users"]))
    assert words.key_messages(controlled(frame), {}, [])[0].startswith("<b>x</b> were")
    assert words.source_note("<i>", "A", profile, 10).startswith("Source: <i>, ")


def test_the_lede_names_the_owner_only_where_there_is_one() -> None:
    opened, closed = dt.date(2026, 3, 1), dt.date(2026, 5, 31)
    assert (
        words.lede("Joint team", opened, closed) == "Joint team · open 1 March 2026 to 31 May 2026"
    )
    assert words.lede("  ", opened, closed) == "Open 1 March 2026 to 31 May 2026"
