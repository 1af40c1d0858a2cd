"""Each analysis on a few hand-computed rows, including empty and single-group cases."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from scipy.stats import binomtest

from pipelines.analysis import actions, events, participation, questions, representation, themes
from pipelines.analysis.in_memory import in_memory
from pipelines.consultation import Consultation
from pipelines.store.clean_data import EMPTY_SCHEMAS, CleanData, for_area
from pipelines.store.quotes import stable_rank

REGIONS = pl.DataFrame(
    {
        "region": ["North West", "North West", "London"],
        "locality": ["Cumbria", "Lancashire", "Camden"],
    }
).with_columns(pl.col("region").str.to_lowercase().str.replace(" ", "-").alias("region_slug"))

CONSULTATION = Consultation.model_validate(
    {
        "title": "T",
        "opened": "2026-03-01",
        "closed": "2026-05-31",
        "columns": {"response_id": "a", "submitted_at": "b", "region": "c", "group": "d"},
        "groups": {
            "service_user": "People who use services",
            "unpaid_carer": "Carers",
            "public": "Public",
        },
        "questions": [
            {
                "id": "q1",
                "type": "likert",
                "column": "x",
                "scale": ["Disagree", "Neither", "Agree"],
            },
            {"id": "q2", "type": "multi", "column": "y", "options": ["a", "b", "c"]},
            {"id": "q3", "type": "number", "column": "z"},
            {"id": "q4", "type": "free_text", "column": "w"},
        ],
    }
)


def clean_data(responses: pl.DataFrame, **tables: pl.DataFrame) -> CleanData:
    lazy = {name: pl.LazyFrame(schema=schema) for name, schema in EMPTY_SCHEMAS.items()}
    lazy.update({name: frame.lazy() for name, frame in tables.items()})
    return CleanData(
        consultation=CONSULTATION,
        responses=responses.lazy(),
        answers=lazy.pop(
            "answers",
            pl.LazyFrame(
                schema={"response_id": pl.String, "question_id": pl.String, "option": pl.String}
            ),
        ),
        comments=lazy.pop(
            "comments",
            pl.LazyFrame(
                schema={
                    "response_id": pl.String,
                    "question_id": pl.String,
                    "text": pl.String,
                    "consent_to_quote": pl.Boolean,
                    "quotable": pl.Boolean,
                }
            ),
        ),
        regions=REGIONS,
        population=pl.DataFrame(
            {
                "region": ["North West"] * 2 + ["London"] * 2,
                "locality": [None] * 4,
                "dimension": ["sex"] * 4,
                "category": ["female", "male"] * 2,
                "population": [500, 500, 300, 700],
            },
            schema={
                "region": pl.String,
                "locality": pl.String,
                "dimension": pl.String,
                "category": pl.String,
                "population": pl.Int64,
            },
        ),
        validation={},
        present=frozenset(tables),
        **lazy,
    )


RESPONSES = pl.DataFrame(
    {
        "response_id": ["r1", "r2", "r3", "r4", "r5"],
        "region": ["North West", "North West", "North West", "London", "London"],
        "locality": ["Cumbria", "Cumbria", "Lancashire", "Camden", None],
        "group": ["service_user", "service_user", "unpaid_carer", "service_user", "public"],
        "channel": ["online", "paper", "online", None, "online"],
        "sex": ["female", "female", "male", "prefer_not_to_say", None],
        "age_band": ["75_84", None, "18_24", "75_84", "85_plus"],
        "q3": [2.0, 4.0, None, 10.0, 6.0],
    }
)


@pytest.fixture
def data() -> CleanData:
    answers = pl.DataFrame(
        {
            "response_id": ["r1", "r2", "r3", "r4", "r1", "r1", "r2"],
            "question_id": ["q1", "q1", "q1", "q1", "q2", "q2", "q2"],
            "option": ["agree", "agree", "disagree", "neither", "a", "b", "a"],
        }
    )
    return clean_data(RESPONSES, answers=answers)


def test_participation_by_group_lists_every_group(data: CleanData) -> None:
    expected = pl.DataFrame(
        {
            "group": ["service_user", "unpaid_carer", "public"],
            "label": ["People who use services", "Carers", "Public"],
            "responses": [3, 1, 1],
            "percent": [60.0, 20.0, 20.0],
        }
    )
    assert_frame_equal(participation.participation_by_group(data), expected)


def test_region_narrows_everything(data: CleanData) -> None:
    north_west = for_area(data, region="north-west")
    assert participation.participation_by_group(north_west)["responses"].to_list() == [2, 1, 0]
    by_locality = participation.participation_by_locality(north_west)
    assert by_locality.rows() == [
        ("Cumbria", 2, pytest.approx(200 / 3)),
        ("Lancashire", 1, pytest.approx(100 / 3)),
    ]


def test_locality_not_given_is_shown_apart(data: CleanData) -> None:
    london = for_area(data, region="London")
    assert participation.participation_by_locality(london).rows() == [
        ("Camden", 1, 50.0),
        ("Not given", 1, 50.0),
    ]


def test_empty_area_gives_zeros_not_errors() -> None:
    empty = clean_data(RESPONSES.head(0))
    frame = participation.participation_by_group(empty)
    assert frame["responses"].to_list() == [0, 0, 0] and frame["percent"].null_count() == 3
    assert participation.participation_by_channel(empty).height == 6


def test_channel_and_group_by_place(data: CleanData) -> None:
    channels = participation.participation_by_channel(data)
    assert channels.filter(pl.col("responses") > 0).rows() == [
        ("online", 3, pytest.approx(60.0)),
        ("paper", 1, 20.0),
        ("not_given", 1, 20.0),
    ]
    grid = participation.participation_by_group_and_place(for_area(data, region="North West"))
    assert grid.height == 3 * 2 and grid["responses"].sum() == 3


def test_change_since_previous_wave(data: CleanData) -> None:
    now = participation.participation_by_group(data)
    before = now.with_columns(pl.Series("responses", [2, 1, 0]))
    change = participation.change_since_previous_wave(now, before, "group").sort("group")
    assert change.select("group", "previous", "change", "change_percent").rows() == [
        ("public", 0, 1, None),
        ("service_user", 2, 1, 50.0),
        ("unpaid_carer", 1, 0, 0.0),
    ]
    assert (
        participation.change_since_previous_wave(now, None, "group")["previous"].null_count() == 3
    )


def test_representation_by_the_contract(data: CleanData) -> None:
    frame = representation.representation(data, "sex")
    female = frame.row(0, named=True)
    # 2 female of 3 who stated (prefer-not-to-say and blank left out); population 800 of 2000
    assert female["respondents"] == 2 and female["respondent_share"] == pytest.approx(2 / 3)
    assert female["population_share"] == pytest.approx(0.4)
    assert female["ratio"] == pytest.approx((2 / 3) / 0.4)
    low, high = binomtest(2, 3).proportion_ci(confidence_level=0.95, method="wilson")
    assert female["ci_low"] == pytest.approx(low / 0.4, rel=1e-5)
    assert female["ci_high"] == pytest.approx(high / 0.4, rel=1e-5)
    apart = frame.filter(pl.col("category").is_in(["prefer_not_to_say", "not_answered"]))
    assert apart.select("category", "respondents").rows() == [
        ("prefer_not_to_say", 1),
        ("not_answered", 1),
    ]
    assert apart["respondent_share"].null_count() == 2


@pytest.mark.parametrize(("x", "n"), [(0, 10), (1, 10), (37, 120), (999, 1000), (5, 5)])
def test_wilson_interval_matches_scipy(x: int, n: int) -> None:
    low, high = representation.wilson_interval(pl.lit(x, pl.Float64), pl.lit(n, pl.Float64))
    ours = pl.select(low.alias("l"), high.alias("h")).row(0)
    theirs = binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert ours == (pytest.approx(theirs.low, abs=1e-6), pytest.approx(theirs.high, abs=1e-6))


def test_flags_need_the_interval_to_clear_one() -> None:
    rows = pl.DataFrame(
        {
            "ratio": [0.5, 0.5, 1.5, 1.5, 1.0],
            "ci_low": [0.3, 0.3, 1.1, 0.9, 0.8],
            "ci_high": [0.9, 1.2, 2.0, 2.0, 1.2],
        }
    )
    assert rows.select(representation.flag_expr())["flag"].to_list() == [
        "under",
        "",
        "over",
        "",
        "",
    ]


def test_no_population_means_profile_only() -> None:
    frame = representation.representation(clean_data(RESPONSES), "age_band")
    assert (
        frame["population_share"].null_count() == frame.height
        and frame["flag"].to_list() == [""] * frame.height
    )


def test_likert_counts_and_mean(data: CleanData) -> None:
    q1 = CONSULTATION.question("q1")
    assert questions.single_choice(data, q1).rows() == [
        ("disagree", "Disagree", 1, 25.0),
        ("neither", "Neither", 1, 25.0),
        ("agree", "Agree", 2, 50.0),
    ]
    assert questions.likert_mean_score(data, q1, min_cell=4) == pytest.approx((1 + 2 + 3 + 3) / 4)
    assert questions.likert_mean_score(data, q1, min_cell=5) is None


def test_multi_has_both_bases(data: CleanData) -> None:
    frame = questions.multi_choice(data, CONSULTATION.question("q2"))
    assert frame.rows() == [
        ("a", "A", 2, 100.0, pytest.approx(200 / 3)),
        ("b", "B", 1, 50.0, pytest.approx(100 / 3)),
        ("c", "C", 0, 0.0, 0.0),
    ]


def test_number_summary(data: CleanData) -> None:
    summary = questions.number_summary(data, CONSULTATION.question("q3")).row(0, named=True)
    assert summary["answered"] == 4 and summary["median"] == 5.0 and summary["mean"] == 5.5
    assert summary["minimum"] == 2.0 and summary["maximum"] == 10.0


def test_crosstab_declines_when_expected_counts_are_small(data: CleanData) -> None:
    result = questions.crosstab_by_group(data, CONSULTATION.question("q1"))
    assert not result.tested and "Too few" in result.note


def test_crosstab_tests_a_real_difference() -> None:
    ids = [f"r{i}" for i in range(200)]
    responses = pl.DataFrame(
        {
            "response_id": ids,
            "region": ["London"] * 200,
            "locality": [None] * 200,
            "group": ["service_user"] * 100 + ["public"] * 100,
        }
    )
    options = ["agree"] * 80 + ["disagree"] * 20 + ["agree"] * 30 + ["disagree"] * 70
    answers = pl.DataFrame({"response_id": ids, "question_id": ["q1"] * 200, "option": options})
    result = questions.crosstab_by_group(
        clean_data(responses, answers=answers), CONSULTATION.question("q1")
    )
    assert result.tested and result.p_value < 0.001 and result.dof == 1
    cell = result.table.filter((pl.col("group") == "public") & (pl.col("option") == "agree")).row(
        0, named=True
    )
    assert cell["adjusted_residual"] < -1.96


def _themes_data() -> CleanData:
    coding = pl.DataFrame(
        {
            "response_id": ["r1", "r1", "r2", "r3"],
            "question_id": ["q4"] * 4,
            "theme": ["Kindness", "Time", "Kindness", "Cost"],
        }
    )
    comments = pl.DataFrame(
        {
            "response_id": ["r1", "r2", "r3"],
            "question_id": ["q4"] * 3,
            "text": [
                "Kind carers who give me time, call 07700 900123 if needed please",
                "Kindness matters more than anything else to me",
                "Too dear",
            ],
            "consent_to_quote": [True, False, True],
            "quotable": [True, False, True],
        }
    )
    return clean_data(RESPONSES, themes=coding, comments=comments)


def test_themes_have_both_bases() -> None:
    frame = themes.themes(_themes_data(), "q4")
    assert frame.rows() == [
        ("Kindness", 2, pytest.approx(200 / 3), 50.0),
        ("Cost", 1, pytest.approx(100 / 3), 25.0),
        ("Time", 1, pytest.approx(100 / 3), 25.0),
    ]


def test_quotes_need_consent_and_lose_contact_details() -> None:
    quotes = themes.quotes(_themes_data(), "q4", per_theme=3, min_length=20)
    # r1 was coded Kindness and Time: quoted once, under the larger theme; r2 did not consent
    assert quotes["theme"].to_list() == ["Kindness"]
    assert quotes["text"].n_unique() == quotes.height
    assert all("07700" not in t for t in quotes["text"]) and all(
        "Kindness matters" not in t for t in quotes["text"]
    )
    assert themes.quotes(_themes_data(), "q4", 3, 20).equals(quotes)  # deterministic


def _actions_data() -> CleanData:
    log = pl.DataFrame(
        {
            "action_id": ["A1", "A2", "A3"],
            "region": ["North West", "North West", "London"],
            "locality": [None, None, None],
            "theme": ["Kindness", "Time", "Kindness"],
            "you_said": ["x", "y", "z"],
            "we_did": ["p", "q", "r"],
            "owner": ["o", "o", "o"],
            "status": ["done", "planned", "done"],
            "due": [dt.date(2026, 6, 1), dt.date(2026, 7, 1), dt.date(2026, 6, 1)],
            "feedback_given": [dt.date(2026, 6, 11), None, dt.date(2026, 8, 10)],
        }
    )
    coding = pl.DataFrame(
        {"response_id": ["r1", "r2"], "question_id": ["q4", "q4"], "theme": ["Kindness", "Cost"]}
    )
    return clean_data(RESPONSES, actions=log, themes=coding)


def test_actions_status_lag_and_gaps() -> None:
    data = _actions_data()
    assert actions.actions_by_status(data).rows() == [
        ("planned", 1, pytest.approx(100 / 3)),
        ("in_progress", 0, 0.0),
        ("done", 2, pytest.approx(200 / 3)),
        ("not_taken", 0, 0.0),
    ]
    lag = actions.feedback_lag(data).row(0, named=True)
    assert lag == {"told": 2, "not_yet_told": 1, "median_days": 40.0, "within_30_days": 1}
    assert actions.themes_without_action(data).rows() == [("Cost", 1)]


def test_events_attendance_ladder_and_reach() -> None:
    ev = pl.DataFrame(
        {
            "event_id": ["E1", "E2"],
            "title": ["a", "b"],
            "date": [dt.date(2026, 3, 2), dt.date(2026, 3, 1)],
            "venue": ["v", "v"],
            "region": ["North West", "London"],
            "locality": ["Cumbria", None],
            "format": ["f", "f"],
            "ladder_rung": ["consulting", "co_producing"],
        }
    )
    attendance = pl.DataFrame(
        {
            "event_id": ["E1", "E1", "E2"],
            "group": ["service_user", "public", "service_user"],
            "attendees": [10, 5, 7],
        }
    )
    data = clean_data(RESPONSES, events=ev, attendance=attendance)
    assert events.attendance_by_group(data).select("group", "attendees").rows() == [
        ("service_user", 17),
        ("public", 5),
        ("unpaid_carer", 0),
    ]
    assert events.attendance_by_event(data).select("event_id", "attendees").rows() == [
        ("E2", 7),
        ("E1", 15),
    ]
    ladder = events.ladder_profile(for_area(data, region="London"))
    assert ladder.filter(pl.col("events") > 0).rows() == [("co_producing", 1, 7)]
    reach = events.people_reached_by_group(data).row(0, named=True)
    assert (reach["group"], reach["responses"], reach["attendees"], reach["reached"]) == (
        "service_user",
        3,
        17,
        20,
    )
    assert math.isclose(events.people_reached_by_group(data)["percent"].sum(), 100.0)


def _overlapping_themes_data(responses: int = 120) -> CleanData:
    """Comments coded with one to three of six themes each, all quotable."""
    names = ["Cost", "Kindness", "Time", "Travel", "Staff", "Food"]
    ids = [f"r{i}" for i in range(responses)]
    coded = [(r, names[(i * k) % 6]) for i, r in enumerate(ids) for k in range(1, 2 + i % 3)]
    coding = pl.DataFrame(
        {"response_id": [r for r, _ in coded], "question_id": "q4", "theme": [t for _, t in coded]}
    ).unique(maintain_order=True)
    comments = pl.DataFrame(
        {
            "response_id": ids,
            "question_id": "q4",
            "text": [f"Comment number {i} says something long enough to quote" for i in range(120)],
            "consent_to_quote": True,
            "quotable": True,
        }
    )
    people = pl.DataFrame(
        {"response_id": ids, "region": "North West", "locality": "Cumbria", "group": "public"}
    )
    return clean_data(people, themes=coding, comments=comments)


def _quotes_by_full_search(data: CleanData, per_theme: int) -> list[tuple[str, str]]:
    """Every candidate ranked, then served theme by theme: what the shortlist must match."""
    coded = data.themes.collect()
    sizes = coded.group_by("theme").len()
    candidates = (
        coded.join(data.comments.collect().select("response_id", "text"), on="response_id")
        .join(sizes, on="theme")
        .with_columns(pl.col("response_id").map_elements(stable_rank, pl.Binary).alias("r"))
        .sort(["len", "theme", "r"], descending=[True, False, False])
    )
    used: set[str] = set()
    taken: dict[str, int] = {}
    chosen = []
    for theme, response_id, text in candidates.select("theme", "response_id", "text").iter_rows():
        if response_id not in used and taken.get(theme, 0) < per_theme:
            used.add(response_id)
            taken[theme] = taken.get(theme, 0) + 1
            chosen.append((theme, text))
    return chosen


@pytest.mark.parametrize("per_theme", [1, 3, 8, 40])
def test_quotes_from_the_shortlist_are_the_full_searchs(per_theme: int) -> None:
    data = _overlapping_themes_data()
    quotes = themes.quotes(data, "q4", per_theme, min_length=20)
    assert quotes.rows() == _quotes_by_full_search(data, per_theme)
    assert quotes["text"].n_unique() == quotes.height
    # response ids held as a categorical (a report's in-memory data): the same quotes
    assert_frame_equal(themes.quotes(in_memory(data), "q4", per_theme, min_length=20), quotes)


def test_in_memory_holds_the_areas_tables(demo_root) -> None:
    from pipelines.analysis.in_memory import BY_RESPONSE, TABLES
    from pipelines.store.clean_data import load_clean

    whole = load_clean("demo-care-at-home-2026", demo_root)
    for region in (None, "london"):
        area = for_area(whole, region=region)
        held = in_memory(area)
        assert held.region_rows == {} and held.area == area.area
        for table in TABLES:
            frame = getattr(held, table).collect()
            if table in BY_RESPONSE:
                assert isinstance(frame.schema["response_id"], pl.Categorical)
                frame = frame.with_columns(pl.col("response_id").cast(pl.String))
            assert_frame_equal(frame, getattr(area, table).collect())


def test_representation_by_region_is_each_regions_representation(demo_root) -> None:
    from pipelines.fields import MONITORING_FIELDS
    from pipelines.store.clean_data import load_clean

    whole = for_area(load_clean("demo-care-at-home-2026", demo_root))
    regions = whole.regions["region"].unique(maintain_order=True).to_list()
    for dimension in MONITORING_FIELDS:
        by_region = representation.representation_by_region(whole, dimension)
        assert by_region["region"].unique(maintain_order=True).to_list() == regions
        for region in regions:
            assert_frame_equal(
                by_region.filter(pl.col("region") == region).drop("region"),
                representation.representation(for_area(whole, region=region), dimension),
                check_exact=True,
            )


@pytest.mark.parametrize("seed", range(25))
def test_chi_square_is_scipys_to_the_last_bit(seed: int) -> None:
    import numpy as np
    from scipy.stats import chi2_contingency

    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(2, 11)), int(rng.integers(2, 7)))
    observed = rng.integers(0, [3, 40, 5000][seed % 3], size=shape)
    observed[0, :] += 1
    observed[:, 0] += 1  # no empty row or column
    statistic, p_value, dof, expected = questions.chi_square(observed)
    reference = chi2_contingency(observed, correction=False)
    assert (statistic, p_value, dof) == (reference.statistic, reference.pvalue, reference.dof)
    assert np.array_equal(expected, reference.expected_freq)


def test_chi_square_refuses_an_empty_row() -> None:
    import numpy as np

    with pytest.raises(ValueError, match="zero"):
        questions.chi_square(np.array([[1, 2], [0, 0]]))


def test_whole_consultation_keeps_every_answer_and_comment_of_its_responses(demo_root) -> None:
    from pipelines.store.clean_data import RESPONSES_ONLY, load_clean

    data = load_clean("demo-care-at-home-2026", demo_root)
    whole = for_area(data)
    ids = data.responses.select("response_id")
    for table in RESPONSES_ONLY:  # not narrowed: validate keeps only clean responses' rows
        kept = getattr(whole, table).collect()
        assert kept.height == getattr(data, table).select(pl.len()).collect().item()
        assert_frame_equal(
            kept, getattr(data, table).join(ids, on="response_id", how="semi").collect()
        )
    assert_frame_equal(  # themes also keep codes of quarantined responses: narrowed
        whole.themes.collect(), data.themes.join(ids, on="response_id", how="semi").collect()
    )
