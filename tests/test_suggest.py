"""Theme suggestions (#21): deterministic, measured on the coded comments only, themes too
small left out and said so, no comment's words in the model file, data/raw never written,
and only reviewed suggestions counted."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import papermill
import polars as pl
import pytest
from conftest import write_consultation
from scipy import sparse

from pipelines.bench.benchmark import Scenario, format_table, targets_of
from pipelines.bench.suggest_bench import synthetic_comments
from pipelines.errors import InputError
from pipelines.paths import NOTEBOOKS_DIR, ROOT, clean_dir, raw_dir
from pipelines.prepare import prepare_consultation
from pipelines.store.clean_data import load_clean
from pipelines.suggest import review
from pipelines.suggest.command import suggest_themes, summary_lines
from pipelines.suggest.learner import LogCountRatio, learn
from pipelines.suggest.outputs import MODEL_FILE, SUGGESTIONS_FILE, read_model

PLANTED = "zanzibarquux"
NOTEBOOK = NOTEBOOKS_DIR / "12_theme_review.ipynb"
BIN = Path(sys.executable).parent
STAFF = ["the carers are kind and friendly", "staff were kind and caring", "lovely kind carers"]
COST = ["the charges cost too much money", "cost of care is too high", "fees and charges rise"]
TIME = ["visits are late and rushed", "carers arrive late", "rushed visits and always late"]
HEADER = "Respondent ID,Completed,Region,Area,Which best describes you?,May we quote you?,Q1\n"


def _responses(uncoded: list[str]) -> tuple[str, str]:
    """responses.csv and coding.csv: 36 coded comments (12 kind staff, 12 cost, 9 time, 3
    'rare'), one with a planted word, then the uncoded comments given."""
    rows, coding = [], ["response_id,question_id,theme"]
    texts = [(t, "Staff") for t in STAFF * 4] + [(t, "Cost") for t in COST * 4]
    texts += [(t, "Time") for t in TIME * 3] + [("a comment about parking", "Rare")] * 3
    texts[0] = (f"the carers are kind {PLANTED}", "Staff")
    for i, (text, theme) in enumerate(texts):
        rows.append(f"r{i},02/03/2026,London,Camden,service_user,Yes,{text}")
        coding.append(f"r{i},q1,{theme}")
    for j, text in enumerate(uncoded):
        rows.append(f"u{j},02/03/2026,London,Hackney,service_user,Yes,{text}")
    return HEADER + "\n".join(rows) + "\n", "\n".join(coding) + "\n"


YML = """\
title: "Suggest test"
owner: "Test team"
opened: 2026-03-01
closed: 2026-05-31
columns:
  response_id: "Respondent ID"
  submitted_at: "Completed"
  region: "Region"
  locality: "Area"
  group: "Which best describes you?"
  consent_to_quote: "May we quote you?"
groups:
  service_user: "People who use services"
questions:
  - id: q1
    text: "What matters most?"
    type: free_text
    column: "Q1"
"""
UNCODED = ["kind carers who care", "too much money in charges", "late again", "the weather"]


def _project(root: Path, uncoded: list[str] = UNCODED, **files: str) -> Path:
    responses, coding = _responses(uncoded)
    write_consultation(root, "s", responses=responses, yml=YML, coding_csv=coding, **files)
    prepare_consultation("s", root=root)
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("suggest"))


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_suggestions_are_deterministic_and_raw_data_is_never_written(project: Path) -> None:
    raw_before = _digests(raw_dir("s", project))
    suggest_themes("s", None, project)
    folder = clean_dir("s", project)
    first = [(folder / f).read_bytes() for f in (SUGGESTIONS_FILE, MODEL_FILE)]
    suggest_themes("s", ["q1"], project)
    assert [(folder / f).read_bytes() for f in (SUGGESTIONS_FILE, MODEL_FILE)] == first
    assert _digests(raw_dir("s", project)) == raw_before
    suggestions = pl.read_csv(
        folder / SUGGESTIONS_FILE, schema_overrides={"response_id": pl.String}
    )
    assert suggestions.columns == ["response_id", "question_id", "theme", "confidence"]
    assert suggestions["response_id"].str.starts_with("u").all()  # only uncoded comments
    assert suggestions["confidence"].is_between(0, 1).all()
    assert ("u0", "Staff") in set(
        zip(suggestions["response_id"], suggestions["theme"], strict=True)
    )


def test_too_few_coded_themes_get_no_suggestion_and_the_command_says_so(project: Path) -> None:
    summary = suggest_themes("s", None, project)
    (question,) = summary.questions
    assert [t.theme for t in question.measured.left_out] == ["Rare"]
    assert "Rare" not in question.suggestions["theme"].to_list()
    printed = "\n".join(summary_lines(summary))
    assert "no suggestion for Rare: only 3 coded comment(s); 5 needed" in printed
    assert "micro-averaged F1" in printed and "precision" in printed
    model = read_model(clean_dir("s", project))["questions"]["q1"]
    assert [t["theme"] for t in model["left_out"]] == ["Rare"]
    assert {t["theme"] for t in model["themes"]} == {"Cost", "Staff", "Time"}
    assert {"precision", "recall", "f1", "support", "threshold"} <= set(model["themes"][0])


def test_nothing_of_a_comment_is_in_the_model_file(project: Path) -> None:
    suggest_themes("s", None, project)
    text = (clean_dir("s", project) / MODEL_FILE).read_text(encoding="utf-8")
    assert PLANTED not in text
    assert "kind" not in text and "carers" not in text
    model = read_model(clean_dir("s", project))
    assert "WordLlama" in model["method"]["meanings"]  # the method names its embeddings
    assert {"wordllama", "tokenizers", "scikit-learn"} <= set(model["versions"])


def test_thresholds_come_from_the_coded_comments_only(tmp_path: Path, project: Path) -> None:
    other = _project(tmp_path, uncoded=["something else entirely", "kind", "money money"])
    suggest_themes("s", None, project)
    suggest_themes("s", None, other)
    first = read_model(clean_dir("s", project))["questions"]["q1"]
    second = read_model(clean_dir("s", other))["questions"]["q1"]
    for key in ("coded", "themes", "left_out", "micro_f1", "macro_f1"):
        assert first[key] == second[key]


def test_unknown_question_or_consultation_is_an_input_error(project: Path) -> None:
    with pytest.raises(InputError, match="Free-text questions: q1"):
        suggest_themes("s", ["q9"], project)
    with pytest.raises(InputError, match="Consultations in"):
        suggest_themes("nope", None, project)


def test_reviewed_suggestions_count_and_unreviewed_ones_do_not(tmp_path: Path) -> None:
    reviewed = "response_id,question_id,theme\nu1,q1,Cost\nu2,q1,Not a theme\nr0,q1,Staff\n"
    root = _project(tmp_path, coding_reviewed_csv=reviewed)
    suggest_themes("s", None, root)  # suggestions written beside the clean data...
    prepare_consultation("s", root=root)  # ...are never read back by validation
    folder = clean_dir("s", root)
    themes = pl.read_parquet(folder / "themes.parquet")
    pairs = set(zip(themes["response_id"], themes["theme"], strict=True))
    assert ("u1", "Cost") in pairs  # accepted by the analyst: counted
    assert ("u0", "Staff") not in pairs  # suggested only: not counted
    assert themes.filter(pl.col("response_id") == "r0").height == 1  # identical rows once
    quarantine = pl.read_parquet(folder / "quarantine.parquet").filter(
        pl.col("source_file") == "coding_reviewed.csv"
    )
    assert quarantine["rule"].to_list() == ["theme_in_codebook"]


def test_validation_and_reports_never_read_suggestions() -> None:
    for layer in ("validate", "report", "analysis", "store"):
        for module in (ROOT / "pipelines" / layer).rglob("*.py"):
            text = module.read_text(encoding="utf-8")
            assert "theme_suggestions" not in text and "pipelines.suggest" not in text, module


# --- the review notebook and its tables -------------------------------------------------------


def test_review_tables_show_redacted_comments_and_the_least_sure_first(project: Path) -> None:
    summary = suggest_themes("s", None, project)
    data = load_clean("s", project)
    texts = review.comment_texts(data)
    shown = review.suggested_comments(summary, texts)
    assert set(shown["theme"]) <= {"Cost", "Staff", "Time"}
    assert shown.filter(pl.col("response_id") == "u0")["comment"].to_list() == [
        "kind carers who care"
    ]
    weakest = review.theme_figures(summary)
    assert weakest["f1"].is_sorted()
    nxt = review.code_next(summary, texts, count=10)
    assert set(nxt["response_id"]) <= {f"u{j}" for j in range(len(UNCODED))}  # uncoded only
    margins = (nxt["confidence"] - nxt["threshold"]).abs()
    assert margins.round(1).is_sorted()  # nearest a threshold first (rounded as shown)
    groups, examples = review.no_fit_groups(summary, data)
    unfitted = {r for q in summary.questions for r in review.unfitted(q)}
    assert "u3" in unfitted  # "the weather" fits no theme
    assert groups["comments"].sum() == len(unfitted)
    assert set(examples["response_id"]) <= unfitted
    assert examples.group_by("group").len()["len"].max() <= review.GROUP_EXAMPLES


def test_review_tables_are_redacted_and_shortened(tmp_path: Path) -> None:
    long = "the weather " * 20 + "call me on 07700 900123"
    root = _project(tmp_path, uncoded=[*UNCODED, long])
    summary = suggest_themes("s", None, root)
    data = load_clean("s", root)
    texts = review.comment_texts(data)
    assert texts["comment"].str.len_chars().max() <= review.SHOWN_CHARS
    _, examples = review.no_fit_groups(summary, data)
    everything = " ".join(texts["comment"].to_list() + examples["comment"].to_list())
    assert "07700" not in everything


def test_the_review_draft_is_written_beside_the_clean_data_never_in_raw(project: Path) -> None:
    raw_before = _digests(raw_dir("s", project))
    summary = suggest_themes("s", None, project)
    path = review.write_review_draft(summary, project)
    assert path == clean_dir("s", project) / review.DRAFT_FILE
    draft = pl.read_csv(path, schema_overrides={"response_id": pl.String, "accept": pl.String})
    assert draft.columns == ["response_id", "question_id", "theme", "confidence", "accept"]
    assert draft.height == sum(q.suggestions.height for q in summary.questions)
    assert draft["accept"].is_null().all()  # the analyst decides
    assert _digests(raw_dir("s", project)) == raw_before


@pytest.mark.slow
def test_review_notebook_runs_under_papermill(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    raw_before = _digests(raw_dir("s", root))
    out = tmp_path / "12.ipynb"
    run = subprocess.run(
        [str(BIN / "papermill"), str(NOTEBOOK), str(out), "--no-progress-bar"]
        + ["-p", "consultation", "s"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,  # not the project: notebooks must not depend on the working directory
        env={**os.environ, "WORKBOOK_ROOT": str(root)},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert PLANTED not in run.stderr + run.stdout  # nothing of a comment in the log
    executed = nbformat.read(out, as_version=4)
    html = [
        output["data"]["text/html"]
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "text/html" in output.get("data", {})
    ]
    assert len(html) == 5  # suggested, weakest, code next, groups, examples
    assert "kind carers who care" in "".join(html)
    assert (clean_dir("s", root) / review.DRAFT_FILE).is_file()
    assert _digests(raw_dir("s", root)) == raw_before


# --- the learner: each theme weighs the features its own way (NB-SVM) ------------------------


def test_each_theme_scales_the_features_by_its_own_log_count_ratio() -> None:
    texts = STAFF * 3 + COST * 3 + TIME * 3
    labels = {
        "staff": np.array([1] * 9 + [0] * 18, dtype=np.int8),
        "cost": np.array([0] * 9 + [1] * 9 + [0] * 9, dtype=np.int8),
    }
    model = learn(texts, labels, ["cost", "staff"])
    words = dict(model.features.transformer_list)["words"].vocabulary_
    offset = {word: words[word] for word in ("kind", "cost", "and")}
    scales = {theme: model.models[theme].named_steps["weights"].scale_ for theme in labels}
    # a theme's own cue word weighs more than a word used as often in and out of it
    assert scales["staff"][offset["kind"]] > 2 * scales["staff"][offset["and"]]
    assert scales["cost"][offset["cost"]] > 2 * scales["cost"][offset["and"]]
    assert not np.allclose(scales["staff"], scales["cost"])  # per theme, not one for all
    # the ratio's size is the log of the smoothed shares within and without the theme
    presence = sparse.csr_matrix([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 1.0]])
    ratio = LogCountRatio(alpha=1.0, unweighted=0).fit(presence, np.array([1, 1, 0, 0]))
    within, without = np.array([3, 2]) / 5, np.array([1, 3]) / 4
    assert np.allclose(ratio.ratio_, np.log(within / without))
    scaled = ratio.transform(presence * 2.0).toarray()
    assert np.allclose(scaled, presence.toarray() * 2.0 * np.abs(ratio.ratio_))
    assert presence[1, 0] == 1.0  # the input matrix is left as it was


def test_learning_twice_gives_the_same_confidences() -> None:
    texts = STAFF * 3 + COST * 3 + TIME * 3
    labels = {
        "staff": np.array([1] * 9 + [0] * 18, dtype=np.int8),
        "time": np.array([0] * 18 + [1] * 9, dtype=np.int8),
    }
    new = ["kind carers arrive late", "money and charges", "something else"]
    first = learn(texts, labels, ["staff", "time"]).confidences(new)
    second = learn(texts, labels, ["staff", "time"]).confidences(new)
    assert all(np.array_equal(first[t], second[t]) for t in labels)
    assert first["staff"][0] > first["staff"][1] and first["time"][0] > first["time"][1]


# --- the bench line ---------------------------------------------------------------------------


def test_the_suggestion_bench_scenario_is_parsed_and_has_its_60_second_target() -> None:
    scenario = Scenario.parse("suggest:10000")
    assert scenario.suggest and scenario.responses == 10000
    assert scenario.name == "suggest:10000" and Scenario.parse(scenario.name) == scenario
    assert not Scenario.parse("1000x9").suggest
    with pytest.raises(InputError, match="suggest:<comments>"):
        Scenario.parse("suggest:lots")
    (target,) = [t for t in targets_of({"targets": []}) if t.figure == "suggest_themes_seconds"]
    assert target.applies(scenario) and target.met(59.0) and not target.met(61.0)
    table = format_table({"suggest:10000": {"suggest_themes_seconds": 42.0}}, [target])
    assert "42 ok" in table and "<= 60 at 10,000" in table


def test_synthetic_bench_comments_are_deterministic_and_multi_label() -> None:
    texts, labels = synthetic_comments(300)
    again, same = synthetic_comments(300)
    assert texts == again and all((labels[t] == same[t]).all() for t in labels)
    assert len(labels) == 12 and len(texts) == 300
    carried = sum(labels.values())
    assert carried.min() >= 1 and carried.max() >= 2


def test_review_notebook_takes_the_consultation_as_its_only_parameter() -> None:
    found = papermill.inspect_notebook(str(NOTEBOOK))
    assert {k: v["inferred_type_name"] for k, v in found.items()} == {"consultation": "str"}
    assert found["consultation"]["default"] == '"demo-care-at-home-2026"'
