"""Headlines that are always true (#19): each rule of the words on a table of three rows,
with the case that must not be said.

"Most" only above half, otherwise "the most common"; ties named; a chart's title in the
unit its bars count; the age comparison only over ``population_ages``; regions compared
per 10,000 people; "p < 0.001"; which groups differ, with the groups too small to test
taken together or left out and said once; quotes at most two a theme, whole or cut at a
sentence end; key messages by one rule under every profile.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import polars as pl
import pytest

from pipelines.analysis import questions, regions, representation
from pipelines.analysis.questions import MERGED, Crosstab
from pipelines.consultation import Question
from pipelines.disclosure import SUPPRESSED, Controlled
from pipelines.report import answer_words, facts
from pipelines.report import wording as words
from pipelines.report.publish import Report
from pipelines.report.tables import SIDE_BY_SIDE_PER_HEAD
from pipelines.store.quotes import ELLIPSIS, excerpt
from tests.test_analysis import CONSULTATION, clean_data


def controlled(
    frame: pl.DataFrame, profile: str = "restricted", **hidden: list[bool]
) -> Controlled:
    mask = pl.DataFrame(hidden) if hidden else pl.DataFrame()
    return Controlled("t", frame, mask, profile, 10)


def answers(labels: list[str], counts: list[int], hidden: list[bool] | None = None) -> pl.DataFrame:
    """A one-answer question's published frame with ``shown`` (hidden rows: null, ``[c]``)."""
    hidden = hidden or [False] * len(counts)
    total = sum(c for c, h in zip(counts, hidden, strict=True) if not h) or 1
    return pl.DataFrame(
        {
            "label": labels,
            "count": [None if h else c for c, h in zip(counts, hidden, strict=True)],
            "percent": [
                None if h else c / total * 100 for c, h in zip(counts, hidden, strict=True)
            ],
            "shown": [SUPPRESSED if h else str(c) for c, h in zip(counts, hidden, strict=True)],
        },
        schema={"label": pl.String, "count": pl.Int64, "percent": pl.Float64, "shown": pl.String},
    )


# ---- 1. "most" only above half; ties named; "yes in some form" only where true ------------


def test_most_only_above_half() -> None:
    assert (
        answer_words.single_title(answers(["A", "B", "C"], [51, 30, 19])) == "Most chose “A” (51%)"
    )
    exactly_half = answer_words.single_title(answers(["A", "B", "C"], [50, 30, 20]))
    assert exactly_half == "The most common answer was “A” (50%)"
    minority = answer_words.single_title(answers(["Yes", "No", "Maybe"], [34, 33, 33]))
    assert minority == "The most common answer was “Yes” (34%)" and "Most" not in minority


def test_a_tie_is_named_with_its_count() -> None:
    title = answer_words.single_title(answers(["Yes, I do", "Not now", "No"], [261, 100, 261]))
    assert title == "“Yes, I do” and “No” were chosen equally often (261 each)"
    three = answer_words.multi_title(answers(["A", "B", "C"], [5, 5, 5]))
    assert three == "“A”, “B” and “C” were chosen most often (5 each)"
    themes = answers(["A", "B", "C"], [9, 9, 1]).rename({"label": "theme"})
    assert answer_words.themes_title(themes) == "A and B were the most common themes"


def test_yes_in_some_form_only_where_the_yes_answers_are_a_majority() -> None:
    frame = answers(["Yes, I do", "Yes, someone I look after does", "No"], [33, 23, 44])
    assert answer_words.single_title(frame) == (
        "The most common answer was “No” (44%); 56% said yes in some form"
    )
    tied = answers(["Yes, I do", "yes, for someone", "No"], [30, 30, 40])
    assert answer_words.single_title(tied).endswith("; 60% said yes in some form")
    not_a_majority = answers(["Yes, I do", "Yes, someone", "No"], [25, 20, 55])
    assert "yes in some form" not in answer_words.single_title(not_a_majority)
    hidden_yes = answers(["Yes, I do", "Yes, someone", "No"], [40, 5, 44], [False, True, False])
    assert "yes in some form" not in answer_words.single_title(hidden_yes)


def test_a_hidden_answer_is_never_the_most_common() -> None:
    frame = answers(["A", "B", "C"], [5, 30, 20], [True, False, False])
    assert answer_words.single_title(frame) == "Most chose “B” (60%)"
    everything_hidden = answers(["A", "B"], [5, 3], [True, True])
    assert answer_words.single_title(everything_hidden) == "Answers"


def test_likert_title_never_calls_a_minority_most() -> None:
    frame = pl.DataFrame(
        {"label": ["Poor", "Fair", "Good"], "percent": [34.0, 36.0, 30.0], "count": [34, 36, 30]}
    )
    title = answer_words.likert_title(controlled(frame))
    assert title == "34% answered Poor; 30% Good" and "most" not in title.lower()


def test_channel_and_group_titles_follow_the_same_rule() -> None:
    frame = pl.DataFrame(
        {"channel_label": ["Online", "On paper", "By phone"], "responses": [40, 35, 25],
         "percent": [40.0, 35.0, 25.0], "shown": ["40%", "35%", "25%"]}
    )  # fmt: skip
    assert words.channel_title(frame) == "The most common way to respond was online (40%)"
    groups = pl.DataFrame(
        {"label": ["Carers", "Staff", "Users"], "responses": [40, 40, 20], "shown": ["x"] * 3}
    )
    assert words.group_title(groups) == "Carers and Staff gave the most responses (40 each)"


def test_key_message_names_every_largest_group_of_a_tie() -> None:
    frame = pl.DataFrame(
        {"group": ["a", "b", "c"], "label": ["Carers", "Staff", "Users"],
         "responses": [40, 40, 20], "percent": [40.0, 40.0, 20.0]}
    )  # fmt: skip
    assert words.largest_group_message(controlled(frame)) == (
        "Carers and Staff were the largest groups: 40% of responses each."
    )


# ---- 2. the unit of the chart --------------------------------------------------------------


def test_ladder_title_counts_the_people_its_bars_count() -> None:
    ladder = pl.DataFrame(
        {"ladder_rung": ["informing", "consulting", "co_designing"], "events": [4, 1, 1],
         "attendees": [20, 30, 64], "shown": ["20", "30", "64"]}
    )  # fmt: skip
    title = words.ladder_title(ladder)
    assert title.startswith("64 of 114 people at events") and "events went" not in title
    assert words.ladder_events_sentence(ladder) == (
        "1 of 6 events went as far as co-designing or co-producing."
    )
    hidden = ladder.with_columns(pl.Series("shown", ["20", SUPPRESSED, "64"]))
    assert words.ladder_title(hidden) == "People at events, by how far each event went"


# ---- 3. the ages the consultation was for ----------------------------------------------------


AGE_RESPONSES = pl.DataFrame(
    {
        "response_id": [f"r{i}" for i in range(6)],
        "region": ["North West"] * 6,
        "locality": ["Cumbria"] * 6,
        "group": ["public"] * 6,
        "age_band": ["under_18", "under_18", "under_18", "18_24", "75_84", None],
    }
)
AGE_POPULATION = pl.DataFrame(
    {
        "region": ["North West"] * 3,
        "locality": [None] * 3,
        "dimension": ["age_band"] * 3,
        "category": ["under_18", "18_24", "75_84"],
        "population": [6000, 2000, 2000],
    },
    schema={"region": pl.String, "locality": pl.String, "dimension": pl.String,
            "category": pl.String, "population": pl.Int64},
)  # fmt: skip


def adult_care(ages: list[str] | None):
    data = clean_data(AGE_RESPONSES)
    consultation = CONSULTATION.model_copy(update={"population_ages": ages})
    return replace(data, consultation=consultation, population=AGE_POPULATION)


def test_ages_outside_population_ages_are_left_out_on_both_sides() -> None:
    every_age = representation.representation(adult_care(None), "age_band")
    under_18 = every_age.filter(pl.col("category") == "under_18").row(0, named=True)
    assert under_18["population_share"] == pytest.approx(0.6)  # the whole population

    adults = representation.representation(adult_care(["18_24", "75_84"]), "age_band")
    assert "under_18" not in adults["category"].to_list()
    compared = adults.filter(pl.col("category").is_in(["18_24", "75_84"]))
    assert compared["respondent_share"].to_list() == [0.5, 0.5]  # of the two adults
    assert compared["population_share"].to_list() == [0.5, 0.5]  # of 4,000 adults
    other = adults.filter(pl.col("category") == representation.OTHER_AGES).row(0, named=True)
    assert other["respondents"] == 3 and other["respondent_share"] is None
    assert adults["category"].to_list()[-3:] == ["other_ages", "prefer_not_to_say", "not_answered"]


def test_no_under_18_sentence_for_an_adult_consultation() -> None:
    table = representation.representation(adult_care(["18_24", "75_84"]), "age_band")
    sentences = words.flagged_sentences("age_band", table.filter(pl.col("flag") != ""))
    assert not any("under 18" in s.lower() for s in sentences)
    assert words.apart_text(
        controlled(table), table.with_columns(pl.col("category").alias("label"))
    ).startswith("other_ages: 3; prefer_not_to_say: 0")
    note = words.ages_note(["18_24", "75_84"], ["18–24", "75–84"])
    assert note is not None and "(18–24 and 75–84)" in note
    assert words.ages_note(None, []) is None


# ---- 4. regions per 10,000 people ------------------------------------------------------------


def test_regions_are_compared_per_10000_people() -> None:
    figures = pl.DataFrame({"region": ["A", "B", "C"], "responses": [100, 300, 50]})
    population = pl.DataFrame(
        {"region": ["A", "B", "C"], "population": [100_000, 1_000_000, 50_000]}
    )
    table = regions.per_head(figures, population)
    assert table["responses_per_10k"].to_list() == pytest.approx([10.0, 3.0, 10.0])
    lead = words.side_by_side_lead(controlled(table))
    # B gave the most responses, but the fewest per head
    assert lead.startswith(
        "Per 10,000 people, A and C gave the most responses (10.0) and B the fewest (3.0). "
    )
    hidden = words.side_by_side_lead(
        controlled(table, responses=[False, False, True], responses_per_10k=[False, False, True])
    )
    assert "Per 10,000" not in hidden and "gave the most" not in hidden


def test_region_population_uses_the_consultations_ages() -> None:
    assert regions.region_population(adult_care(None)).rows() == [("North West", 10_000)]
    assert regions.region_population(adult_care(["18_24", "75_84"])).rows() == [
        ("North West", 4_000)
    ]


def test_per_head_falls_with_its_count_and_is_worked_from_rounded_counts() -> None:
    figures = pl.DataFrame(
        {"region": ["A", "B", "C"], "responses": [103, 4, 52], "groups": [3, 1, 2],
         "attendees": [20, 10, 30], "actions_done": [1, 0, 2]}
    )  # fmt: skip
    population = pl.DataFrame({"region": ["A", "B", "C"], "population": [10_000, 20_000, 40_000]})
    frame = regions.per_head(figures, population)
    report = Report(data=clean_data(AGE_RESPONSES), profile="public", min_cell=10)
    table = report.publish("regions_side_by_side", frame, SIDE_BY_SIDE_PER_HEAD)
    assert table.is_suppressed("responses_per_10k").to_list()[1]
    shown = table.frame.filter(pl.col("region") == "A").row(0, named=True)
    assert shown["responses"] == 105 and shown["responses_per_10k"] == pytest.approx(105.0)
    assert shown["population"] == 10_000


# ---- 5. p-values and which groups differ -----------------------------------------------------


def test_p_values_are_never_zero() -> None:
    assert answer_words.p_text(0.0) == "p < 0.001"
    assert answer_words.p_text(0.0004) == "p < 0.001"
    assert answer_words.p_text(0.0234) == "p = 0.023"


def test_small_groups_are_taken_together_or_left_out() -> None:
    matrix = np.array([[60, 40], [40, 60], [3, 4], [4, 3], [1, 0]])
    kept, names, merged, left_out = questions.testable_groups(matrix, ["a", "b", "c", "d", "e"])
    assert names == ["a", "b", MERGED] and merged == ("c", "d", "e") and left_out == ()
    assert kept[-1].tolist() == [8, 7]
    alone = questions.testable_groups(np.array([[60, 40], [40, 60], [1, 2]]), ["a", "b", "c"])
    assert alone[1] == ["a", "b"] and alone[2] == () and alone[3] == ("c",)
    nothing = questions.testable_groups(np.array([[1, 2], [2, 1]]), ["a", "b"])
    assert nothing[1] == [] and nothing[3] == ("a", "b")


def test_the_test_is_said_once_and_names_the_groups_taken_together() -> None:
    table = pl.DataFrame(
        {"group": ["carers", "carers", MERGED, MERGED], "option": ["yes", "no", "yes", "no"],
         "count": [80, 20, 30, 70], "adjusted_residual": [7.1, -7.1, -7.1, 7.1]}
    )  # fmt: skip
    result = Crosstab(table, 50.0, 1, 1e-12, "", ("staff", "users"), ("other",))
    groups = {"carers": "Carers", "staff": "Staff", "users": "Service users", "other": "Other"}
    text = answer_words.differences_text(result, groups)
    assert "p < 0.001" in text and "p = 0" not in text.replace("p = 0.", "")
    assert (
        "Staff and Service users had too few answers to test on their own and were taken together."
        in text
    )
    assert text.endswith("Other was left out: too few answers to test.")
    assert text.count("Differences between groups") == 1
    question = Question(
        id="q1", type="single", column="c", options=["yes", "no"], labels={"yes": "Yes", "no": "No"}
    )
    frame = answer_words.differences_frame(table, groups, question, 10)
    assert frame.row(0) == ("Carers", "Yes", "chose it more often", 80.0, pytest.approx(55.0))
    assert "Smaller groups taken together" in frame["group_label"].to_list()
    untested = Crosstab(
        table.clear(),
        None,
        None,
        None,
        "Too few answers in each group to compare the groups.",
        (),
        ("a", "b"),
    )
    assert answer_words.differences_text(untested, {}) == (
        "Differences between groups: Too few answers in each group to compare the groups."
    )


def test_a_crosstab_with_small_groups_is_still_tested() -> None:
    ids = [f"r{i}" for i in range(206)]
    groups = ["service_user"] * 100 + ["public"] * 100 + ["unpaid_carer"] * 6
    responses = pl.DataFrame(
        {"response_id": ids, "region": ["London"] * 206, "locality": [None] * 206, "group": groups}
    )
    options = (
        ["agree"] * 80 + ["disagree"] * 20 + ["agree"] * 30 + ["disagree"] * 70 + ["agree"] * 6
    )
    answered = pl.DataFrame({"response_id": ids, "question_id": ["q1"] * 206, "option": options})
    result = questions.crosstab_by_group(
        clean_data(responses, answers=answered), CONSULTATION.question("q1")
    )
    assert result.tested and result.left_out == ("unpaid_carer",) and result.merged == ()
    assert set(result.table["group"]) == {"service_user", "public"}


# ---- 6. quotes -------------------------------------------------------------------------------


def test_a_quote_is_one_comment_whole_or_cut_at_a_sentence_end() -> None:
    short = "Kindness above everything else."
    assert excerpt(short) == short
    long = "Staff are kind. They listen to me! " + "And then " * 40
    assert excerpt(long, 60) == f"Staff are kind. They listen to me! {ELLIPSIS}"
    no_end = "word " * 80
    assert excerpt(no_end, 60) == no_end.strip()  # never cut mid-sentence


def test_at_most_two_quotes_per_theme() -> None:
    ids = [f"r{i}" for i in range(5)]
    responses = pl.DataFrame(
        {
            "response_id": ids,
            "region": ["London"] * 5,
            "locality": [None] * 5,
            "group": ["public"] * 5,
        }
    )
    coding = pl.DataFrame(
        {"response_id": ids, "question_id": ["q4"] * 5, "theme": ["Kindness"] * 5}
    )
    comments = pl.DataFrame(
        {"response_id": ids, "question_id": ["q4"] * 5,
         "text": [f"Comment number {i} says the carers are always kind to me." for i in range(5)],
         "consent_to_quote": [True] * 5, "quotable": [True] * 5}
    )  # fmt: skip
    data = clean_data(responses, themes=coding, comments=comments)
    report = SimpleNamespace(data=data, quotes_per_theme=3)
    chosen = facts.theme_quotes(report, "q4")  # type: ignore[arg-type]
    assert chosen.height == facts.MAX_QUOTES_PER_THEME == 2
    assert set(chosen["text"]) <= set(comments["text"])  # whole comments, never spliced
    assert set(chosen["theme"]) == {"Kindness"}


# ---- 7. key messages by one rule under every profile -----------------------------------------


def test_restricted_and_public_key_messages_follow_one_rule() -> None:
    """Each version leads with the same kinds of message, each from its own published
    figures: the largest group, the most under-represented category shown, the top theme."""
    groups = pl.DataFrame(
        {"group": ["a", "b", "c"], "label": ["Carers", "Staff", "Users"],
         "responses": [50, 30, 20], "percent": [50.0, 30.0, 20.0]}
    )  # fmt: skip
    rep = pl.DataFrame(
        {"category": ["18_24", "25_34", "prefer_not_to_say"], "respondents": [9, 40, 5],
         "respondent_share": [0.05, 0.2, None], "population_share": [0.2, 0.4, None],
         "ratio": [0.25, 0.5, None], "flag": ["under", "under", None]}
    )  # fmt: skip
    themes = pl.DataFrame(
        {
            "theme": ["Kind", "Cost", "Time"],
            "count": [12, 11, 10],
            "pct_respondents": [40.0, 36.6, 33.3],
        }
    )
    hidden = [True, False, False]
    restricted = words.key_messages(
        controlled(groups),
        {
            "age_band": controlled(
                rep.with_columns(
                    pl.when(pl.Series(hidden)).then(None).otherwise(pl.col("flag")).alias("flag")
                ),
                respondents=hidden,
                flag=hidden,
            )
        },
        [("Q", controlled(themes))],
    )
    public = words.key_messages(
        controlled(groups, "public"),
        {"age_band": controlled(rep, "public")},
        [("Q", controlled(themes, "public"))],
    )
    kinds = [["largest group", "represented", "most common theme"]] * 2
    assert [
        [k for k, m in zip(kind, ms, strict=True) if k in m]
        for kind, ms in zip(kinds, [restricted, public], strict=True)
    ] == kinds
    assert "25–34" in restricted[1] and "18–24" in public[1]  # each from its own figures
