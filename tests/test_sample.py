"""The demo-consultation generator (pipelines.sample) and the committed demo data."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest
import yaml

from pipelines.errors import InputError
from pipelines.paths import raw_dir, reference_dir
from pipelines.sample import (
    DEMO_WAVES,
    regions_frame,
    write_reference,
    write_sample,
)

DEMO = raw_dir("demo-care-at-home-2026")
REQUIRED_FILES = ["consultation.yml", "responses.csv"]
CONTRACT_HEADERS = {
    "events.csv": "event_id,title,date,venue,region,locality,format,ladder_rung",
    "attendance.csv": "event_id,group,attendees",
    "coding.csv": "response_id,question_id,theme",
    "actions.csv": (
        "action_id,region,locality,theme,you_said,we_did,owner,status,due,feedback_given"
    ),
}
RULES = {
    "required",
    "response_id_unique",
    "region_known",
    "locality_in_region",
    "group_known",
    "channel_known",
    "code_known",
    "submitted_at_parseable",
    "submitted_at_in_window",
    "answer_known",
    "event_known",
    "count_whole_nonnegative",
    "response_known",
}
MONITORING = ["age_band", "sex", "ethnic_group", "disability", "imd_quintile"]
GRACE = dt.timedelta(days=7)


def norm(value: str) -> str:
    """Case- and space-insensitive form of a label, as the contract matches them."""
    return " ".join(value.split()).casefold()


def read_text_csv(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False, comment_prefix=None)


def parse_uk(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, "%d/%m/%Y %H:%M:%S")
    except ValueError:
        return None


class Folder:
    """A generated consultation folder, read once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.config = yaml.safe_load((path / "consultation.yml").read_text(encoding="utf-8"))
        self.responses = read_text_csv(path / "responses.csv")
        self.planted = read_text_csv(path / "planted_errors.csv")
        self.events = read_text_csv(path / "events.csv")
        self.attendance = read_text_csv(path / "attendance.csv")
        self.coding = read_text_csv(path / "coding.csv")
        self.actions = read_text_csv(path / "actions.csv")
        self.regions = read_text_csv(reference_dir() / "regions.csv")

    def column(self, field: str) -> str:
        """The raw header of a standard field or a single-column question."""
        if field in self.config["columns"]:
            return self.config["columns"][field]
        return self.question(field)["column"]

    def question(self, question_id: str) -> dict:
        return next(q for q in self.config["questions"] if q["id"] == question_id)

    def planted_rows(self, source_file: str = "responses.csv") -> set[int]:
        rows = self.planted.filter(pl.col("source_file") == source_file)["row_number"]
        return {int(r) for r in rows}

    def valid_responses(self) -> pl.DataFrame:
        planted = {r - 2 for r in self.planted_rows()}
        return self.responses.with_row_index("i").filter(~pl.col("i").is_in(list(planted)))

    def mapped(self, field: str) -> set[str]:
        return {norm(label) for label in self.config["values"][field]}

    def answers(self, question_id: str) -> set[str]:
        q = self.question(question_id)
        labels = set(q.get("options", [])) | set(q.get("labels", {}).values())
        return {norm(x) for x in labels | set(q.get("scale", []))}

    def window(self) -> tuple[dt.datetime, dt.datetime]:
        opened = dt.datetime.combine(self.config["opened"], dt.time())
        closed = dt.datetime.combine(self.config["closed"], dt.time(23, 59, 59))
        return opened, closed


@pytest.fixture(scope="module")
def demo() -> Folder:
    return Folder(DEMO)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(tmp_path_factory.mktemp("a") / "small", responses=300, seed=7)


# --- determinism ----------------------------------------------------------------------


def folder_bytes(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_same_arguments_give_identical_files(small: Path, tmp_path: Path) -> None:
    again = write_sample(tmp_path / "small", responses=300, seed=7)
    assert folder_bytes(again) == folder_bytes(small)


def test_another_seed_gives_other_responses(small: Path, tmp_path: Path) -> None:
    other = write_sample(tmp_path / "small", responses=300, seed=8)
    assert (other / "responses.csv").read_bytes() != (small / "responses.csv").read_bytes()


@pytest.mark.parametrize("wave", DEMO_WAVES, ids=lambda w: w.name)
def test_committed_demo_is_what_the_code_writes(wave, tmp_path: Path) -> None:
    fresh = write_sample(
        tmp_path / wave.name,
        responses=wave.responses,
        seed=wave.seed,
        year=wave.year,
        regions=regions_frame(),
        population_ages=wave.population_ages,
    )
    committed = raw_dir(wave.name)
    assert sorted(p.name for p in committed.iterdir()) == sorted(p.name for p in fresh.iterdir())
    for name, content in folder_bytes(fresh).items():
        assert (committed / name).read_bytes() == content, f"{wave.name}/{name} has drifted"


def test_committed_reference_is_what_the_code_writes(tmp_path: Path) -> None:
    fresh = write_reference(tmp_path / "reference")
    for name, content in folder_bytes(fresh).items():
        assert (reference_dir() / name).read_bytes() == content, f"reference/{name} has drifted"


# --- the folder follows the contract --------------------------------------------------


def test_folder_has_contract_files_and_headers(demo: Folder) -> None:
    for name in [*REQUIRED_FILES, *CONTRACT_HEADERS, "README.md", "planted_errors.csv"]:
        assert (demo.path / name).is_file(), name
    for name, header in CONTRACT_HEADERS.items():
        first = (demo.path / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == header, name
    planted_header = (demo.path / "planted_errors.csv").read_text().splitlines()[0]
    assert planted_header == "source_file,row_number,response_id,field,rule"


def test_consultation_yml_describes_the_export(demo: Folder) -> None:
    config = demo.config
    assert {"title", "owner", "opened", "closed", "source", "columns", "groups", "values"} <= set(
        config
    )
    assert config["series"] == "care-at-home"
    assert config["source"] == "responses.csv"
    assert isinstance(config["opened"], dt.date) and config["opened"] < config["closed"]
    headers = set(demo.responses.columns)
    assert set(config["columns"].values()) <= headers
    for field in ["response_id", "submitted_at", "region", "group", *MONITORING]:
        assert field in config["columns"], field
    assert "IP Address" in headers and "IP Address" not in config["columns"].values()
    types = [q["type"] for q in config["questions"]]
    assert types.count("free_text") >= 2 and types.count("likert") >= 2
    assert {"single", "multi", "number"} <= set(types)
    for q in config["questions"]:
        if q["type"] == "likert":
            assert len(q["scale"]) == 5
        if q["type"] == "single":
            assert q["options"] and set(q["labels"]) <= set(q["options"])
        for header in q.get("columns", {}).values() or [q["column"]]:
            assert header in headers, header
    multis = [q for q in config["questions"] if q["type"] == "multi"]
    assert any(q.get("delimiter") == ";" and "column" in q for q in multis)
    assert any("columns" in q for q in multis)


def test_responses_are_a_bom_csv_with_uk_dates(demo: Folder) -> None:
    assert (demo.path / "responses.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    opened, closed = demo.window()
    for header in ("Start Date", demo.column("submitted_at")):
        dates = demo.valid_responses()[header].to_list()
        parsed = [parse_uk(d) for d in dates]
        assert all(p is not None for p in parsed), header
        assert all(opened <= p <= closed for p in parsed), header


def test_valid_rows_use_only_mapped_labels(demo: Folder) -> None:
    valid = demo.valid_responses()
    regions = demo.regions
    assert valid[demo.column("region")].is_in(regions["region"].implode()).all()
    pairs = set(regions.select("region", "locality").iter_rows())
    for region, locality in valid.select(demo.column("region"), demo.column("locality")).rows():
        assert locality is None or (region, locality) in pairs
    for field in ["group", "channel", *MONITORING, "consent_to_quote", "volunteer"]:
        values = valid[demo.column(field)].drop_nulls().unique().to_list()
        unmapped = {v for v in values if norm(v) not in demo.mapped(field)}
        assert not unmapped, (field, unmapped)
    assert valid[demo.column("group")].null_count() == 0
    assert valid[demo.column("response_id")].is_unique().all()
    for q in demo.config["questions"]:
        if q["type"] in ("single", "likert"):
            answers = valid[q["column"]].drop_nulls().unique().to_list()
            assert {norm(a) for a in answers} <= demo.answers(q["id"]), q["id"]
        if q["type"] == "multi" and "column" in q:
            ticked = valid[q["column"]].drop_nulls().str.split(q["delimiter"]).explode()
            assert {norm(a) for a in ticked.unique().to_list()} <= demo.answers(q["id"])
        if q["type"] == "number":
            assert valid[q["column"]].drop_nulls().str.contains(r"^\d+$").all()


def test_export_has_odd_case_and_prefer_not_to_say(demo: Folder) -> None:
    groups = demo.responses[demo.column("group")].drop_nulls()
    assert (groups != groups.str.strip_chars()).any()
    assert (groups == groups.str.to_uppercase()).any()
    for field in ["age_band", "ethnic_group", "disability"]:
        cells = demo.responses[demo.column(field)]
        assert (cells == "Prefer not to say").any() and cells.null_count() > 0, field


def test_participation_is_uneven(demo: Folder) -> None:
    valid = demo.valid_responses()
    by_locality = valid[demo.column("locality")].value_counts()
    assert by_locality["count"].min() < 10
    codes = {norm(k): v for k, v in demo.config["values"]["group"].items()}
    groups = valid[demo.column("group")].map_elements(lambda v: codes[norm(v)], pl.String)
    counts = dict(groups.value_counts().iter_rows())
    assert counts["service_user"] > 10 * counts["commissioner"]
    channels = dict(valid[demo.column("channel")].value_counts().iter_rows())
    assert channels["Online"] > channels["Paper questionnaire"] > channels["By telephone"]


# --- planted errors -------------------------------------------------------------------


def test_planted_errors_cover_every_rule(demo: Folder) -> None:
    assert set(demo.planted["rule"].unique().to_list()) == RULES
    counts = dict(demo.planted["rule"].value_counts().iter_rows())
    assert all(n >= 2 for n in counts.values() if n), counts
    assert 20 <= demo.planted.filter(pl.col("source_file") == "responses.csv").height <= 35
    assert demo.planted.select("source_file", "row_number").is_unique().all()


def test_each_planted_row_is_bad_in_the_way_described(demo: Folder) -> None:
    regions = demo.regions
    opened, closed = demo.window()
    ids = demo.responses[demo.column("response_id")].to_list()
    for source, row_number, response_id, field, rule in demo.planted.iter_rows():
        index = int(row_number) - 2
        if source != "responses.csv":
            check_planted_optional(demo, source, index, field, rule)
            continue
        row = demo.responses.row(index, named=True)
        assert row[demo.column("response_id")] == response_id
        value = row[demo.column("response_id" if field == "response_id" else field)]
        if rule == "response_id_unique":
            first = ids.index(response_id)
            assert first < index and demo.responses.row(first) == demo.responses.row(index)
        elif rule == "required":
            assert value is None
        elif rule == "region_known":
            assert value not in regions["region"].to_list()
        elif rule == "locality_in_region":
            region = row[demo.column("region")]
            here = regions.filter(pl.col("region") == region)["locality"].to_list()
            assert value not in here and value in regions["locality"].to_list()
        elif rule in ("group_known", "channel_known", "code_known"):
            assert norm(value) not in demo.mapped(field)
        elif rule == "submitted_at_parseable":
            assert parse_uk(value) is None
        elif rule == "submitted_at_in_window":
            moment = parse_uk(value)
            assert moment < opened - GRACE or moment > closed + GRACE
        elif rule == "answer_known":
            assert norm(value) not in demo.answers(field)
        else:
            pytest.fail(f"unexpected rule {rule}")


def check_planted_optional(demo: Folder, source: str, index: int, field: str, rule: str) -> None:
    if source == "attendance.csv":
        row = demo.attendance.row(index, named=True)
        if rule == "event_known":
            assert row["event_id"] not in demo.events["event_id"].to_list()
        else:
            assert rule == "count_whole_nonnegative"
            assert not re.fullmatch(r"\d+", row[field])
    else:
        assert (source, rule) == ("coding.csv", "response_known")
        row = demo.coding.row(index, named=True)
        assert row["response_id"] not in demo.responses[demo.column("response_id")].to_list()


def test_unplanted_optional_rows_are_valid(demo: Folder) -> None:
    planted = {i - 2 for i in demo.planted_rows("attendance.csv")}
    attendance = demo.attendance.with_row_index("i").filter(~pl.col("i").is_in(list(planted)))
    assert attendance["event_id"].is_in(demo.events["event_id"].implode()).all()
    assert attendance["attendees"].str.contains(r"^\d+$").all()
    assert set(attendance["group"].to_list()) <= set(demo.config["groups"])
    planted = {i - 2 for i in demo.planted_rows("coding.csv")}
    coding = demo.coding.with_row_index("i").filter(~pl.col("i").is_in(list(planted)))
    valid_ids = demo.valid_responses()[demo.column("response_id")]
    assert coding["response_id"].is_in(valid_ids.implode()).all()


# --- events, coding, actions ------------------------------------------------------------


def test_events_are_in_the_window_and_on_the_ladder(demo: Folder) -> None:
    events = demo.events
    assert events.height >= 40 and events["event_id"].is_unique().all()
    opened, closed = demo.config["opened"], demo.config["closed"]
    for date in events["date"]:
        assert opened <= dt.datetime.strptime(date, "%d/%m/%Y").date() <= closed
    rungs = {"informing", "consulting", "engaging", "co_designing", "co_producing"}
    assert set(events["ladder_rung"].to_list()) <= rungs
    assert set(events["region"].to_list()) == set(demo.regions["region"].to_list())


def test_coding_follows_the_comments(demo: Folder) -> None:
    coding = demo.coding
    free_text = {q["id"] for q in demo.config["questions"] if q["type"] == "free_text"}
    assert set(coding["question_id"].to_list()) == free_text
    per_comment = coding.group_by("response_id", "question_id").len()["len"]
    assert per_comment.min() >= 1 and per_comment.max() <= 3
    q3 = demo.responses.select(demo.column("response_id"), demo.question("q3")["column"])
    punctual = q3.filter(pl.col(q3.columns[1]).str.contains("On time!"))[q3.columns[0]]
    themes = coding.filter(pl.col("response_id").is_in(punctual.implode()))["theme"]
    assert "Time and punctuality" in themes.to_list()
    commented = demo.valid_responses()[demo.question("q9")["column"]].drop_nulls().len()
    coded = coding.filter(pl.col("question_id") == "q9")["response_id"].n_unique()
    assert coded > 0.8 * commented


def test_actions_log(demo: Folder) -> None:
    actions = demo.actions
    assert actions.height >= 60 and actions["action_id"].is_unique().all()
    assert set(actions["status"].to_list()) == {"planned", "in_progress", "done", "not_taken"}
    for due in actions["due"]:
        dt.datetime.strptime(due, "%d/%m/%Y")
    assert actions.filter(pl.col("status") == "planned")["feedback_given"].null_count() == (
        actions.filter(pl.col("status") == "planned").height
    )
    assert actions["feedback_given"].drop_nulls().len() > 0
    unanswered = set(demo.coding["theme"].to_list()) - set(actions["theme"].to_list())
    assert unanswered, "at least one theme raised should have no action"


# --- no real contact details ------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
PHONE = re.compile(r"\b0\d{2,4}[ -]?\d{3}[ -]?\d{3,4}\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
IP = re.compile(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")


@pytest.mark.parametrize("wave", DEMO_WAVES, ids=lambda w: w.name)
def test_only_fake_contact_details(wave) -> None:
    text = "\n".join(
        p.read_text(encoding="utf-8-sig") for p in sorted(raw_dir(wave.name).iterdir())
    )
    emails = EMAIL.findall(text)
    assert emails and set(emails) <= {"example.org", "example.com"}
    phones = [re.sub(r"[ -]", "", p) for p in PHONE.findall(text)]
    assert phones and all(p.startswith(("07700900", "01632960")) for p in phones), phones
    assert set(POSTCODE.findall(text)) == {"ZZ99 3VZ"}
    ips = IP.findall(text)
    assert ips and all(ip.startswith(("192.0.2.", "198.51.100.", "203.0.113.")) for ip in ips)


# --- reference geography ----------------------------------------------------------------


def test_regions_are_the_nine_english_regions() -> None:
    regions = read_text_csv(reference_dir() / "regions.csv")
    assert regions.columns == ["region", "locality"]
    counts = regions.group_by("region").len()
    assert counts.height == 9
    assert counts["len"].min() >= 3 and counts["len"].max() <= 6
    assert regions["locality"].is_unique().all()


def test_population_covers_each_region() -> None:
    path = reference_dir() / "population.csv"
    assert path.read_text(encoding="utf-8").startswith("# ILLUSTRATIVE")
    population = pl.read_csv(path, comment_prefix="#", schema_overrides={"category": pl.String})
    assert population.columns == ["region", "locality", "dimension", "category", "population"]
    regions = read_text_csv(reference_dir() / "regions.csv")
    whole = population.filter(pl.col("locality").is_null())
    local = population.filter(pl.col("locality").is_not_null())
    for region in regions["region"].unique():
        dims = set(whole.filter(pl.col("region") == region)["dimension"].to_list())
        assert dims == set(MONITORING), region
    assert set(local["dimension"].to_list()) == {"age_band", "sex", "ethnic_group", "disability"}
    assert set(local.select("region", "locality").unique().iter_rows()) == set(regions.iter_rows())
    assert set(whole.filter(pl.col("dimension") == "imd_quintile")["category"]) == set("12345")
    assert set(whole.filter(pl.col("dimension") == "age_band")["category"]) == {
        "under_18", "18_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_84", "85_plus",
    }  # fmt: skip
    sums = local.group_by("region", "dimension", "category").agg(pl.col("population").sum())
    joined = whole.join(sums, on=["region", "dimension", "category"])
    assert (joined["population"] == joined["population_right"]).all()
    assert (population["population"] > 0).all()


# --- other arguments ---------------------------------------------------------------------


def test_tiny_sample_and_custom_geography(tmp_path: Path) -> None:
    regions = pl.DataFrame(
        {
            "region": ["North East", "North East", "Island"],
            "locality": ["Gateshead", "Sunderland", None],
        }
    )
    out = write_sample(tmp_path / "tiny", responses=20, seed=1, regions=regions)
    folder = Folder(out)
    assert folder.responses.height == 20
    assert folder.planted.filter(pl.col("source_file") == "responses.csv").height == 0
    assert set(folder.responses["Region"].to_list()) <= {"North East", "Island"}
    island = folder.responses.filter(pl.col("Region") == "Island")
    assert island[folder.column("locality")].null_count() == island.height


def test_rejects_no_responses(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        write_sample(tmp_path / "none", responses=0)


# --- a sample never replaces raw data, and is written whole -------------------------------


def test_a_sample_never_replaces_a_consultations_raw_data(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "responses.csv").write_text("id,text\n1,real resident words\n", encoding="utf-8")
    with pytest.raises(InputError, match="no consultation.yml marked SYNTHETIC"):
        write_sample(real, responses=10)
    assert sorted(p.name for p in real.iterdir()) == ["responses.csv"]
    assert (real / "responses.csv").read_text(encoding="utf-8").endswith("real resident words\n")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is a file"):
        write_sample(tmp_path / "a-file", responses=10)


def test_a_sample_is_replaced_only_as_it_was_written(small: Path, tmp_path: Path) -> None:
    folder = write_sample(tmp_path / "s", responses=30, seed=3)
    again = write_sample(folder, responses=40, seed=3)  # a sample as written: replaced whole
    assert Folder(again).responses.height == 40
    (folder / "coding_reviewed.csv").write_text("response_id,question_id,theme\n", "utf-8")
    with pytest.raises(InputError, match="coding_reviewed.csv, which `workbook sample`"):
        write_sample(folder, responses=50, seed=3)
    assert Folder(folder).responses.height == 40  # the analyst's file and the rest kept
    assert (folder / "coding_reviewed.csv").is_file()
    assert write_sample(tmp_path / "empty", responses=5).is_dir()  # new or empty: fine
    (folder / "coding_reviewed.csv").unlink()
    (folder / ".DS_Store").write_bytes(b"\0")  # the machine's, not the consultation's
    assert Folder(write_sample(folder, responses=50, seed=3)).responses.height == 50


def test_an_interrupted_sample_leaves_no_half_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.sample import generator

    def stop(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(generator, "events_frame", stop)  # after responses.csv is written
    with pytest.raises(KeyboardInterrupt):
        write_sample(tmp_path / "s", responses=30)
    assert list(tmp_path.iterdir()) == []
