"""Names are names: a consultation's name never reaches outside its folders, a region's file
name never takes another file's place (issue 15, Must 1).

The attacks go through the real ``workbook`` entry point (in-process ``cli.main``) in a
scratch project, and every test compares the SHA-256 of every raw file, and every path of
the tree, before and after.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import polars as pl
import pytest

from pipelines import cli, paths
from tests.conftest import write_consultation


def _tree(root: Path) -> dict[str, str]:
    """Every path under ``root``: a file's SHA-256, ``"dir"`` for a folder."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "dir"
        for p in root.rglob("*")
    }


def _raw(tree: dict[str, str]) -> dict[str, str]:
    return {path: digest for path, digest in tree.items() if path.startswith("data/raw")}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with consultations ``tiny`` and ``other``, a hidden folder that would
    validate if it were taken for a name, and the working directory at its root."""
    root = tmp_path / "project"
    write_consultation(root, "tiny")
    write_consultation(root, "other")
    write_consultation(root, ".hidden")
    (root / "data" / "raw" / "tmp").mkdir()  # `tmp/x` made data/clean/tmp/... folders
    monkeypatch.setattr(paths, "ROOT", root)
    monkeypatch.chdir(root)
    return root


def _allowed(path: str, name: str) -> bool:
    """Where a run on ``name`` may write: its clean folder (and the lock beside it), its
    reports folder."""
    return (
        path in ("data/clean", f"data/clean/.{name}.lock", "reports", f"reports/{name}")
        or path.startswith((f"data/clean/{name}/", f"reports/{name}/"))
        or path == f"data/clean/{name}"
    )


REFUSED = [
    "../raw/tiny",
    "../../data/raw/tiny",
    "tiny/../tiny",
    "data/raw/tiny/../../clean/tiny",
    "data/raw/tiny/responses.csv",
    "data/raw",
    "..",
    ".",
    "",
    "a/b",
    "tmp/x",
    ".hidden",
    "data/raw/.hidden",
    "ti\0ny",
    "tiny\n",
    "tiny ",
    "\u202etiny",
    "ti\u200bny",
    "t" * 300,
    "missing",
    "/",
    "/etc",
    "~",
]


@pytest.mark.parametrize("command", ["validate", "report"])
@pytest.mark.parametrize("attack", REFUSED, ids=repr)
def test_a_name_that_is_not_a_consultation_exits_2_and_touches_nothing(
    project: Path, attack: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _tree(project)
    assert (
        cli.main(["-q", command, attack, *(["--no-progress"] if command == "report" else [])]) == 2
    )
    after = _tree(project)
    assert _raw(after) == _raw(before), "raw evidence changed"
    assert after == before, f"written: {sorted(set(after) - set(before))}"
    err = capsys.readouterr().err
    assert "folder under data/raw" in err and "tiny" in err and "other" in err


def test_an_absolute_path_outside_the_project_is_refused(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copy of a consultation elsewhere is not a consultation of this project."""
    elsewhere = tmp_path / "elsewhere" / "data" / "raw" / "tiny"
    shutil.copytree(project / "data" / "raw" / "tiny", elsewhere)
    before, outside = _tree(project), _tree(tmp_path / "elsewhere")
    assert cli.main(["-q", "validate", str(elsewhere)]) == 2
    assert _tree(project) == before and _tree(tmp_path / "elsewhere") == outside


@pytest.mark.parametrize(
    "spelling",
    [
        "data/raw/tiny",
        "./data/raw/tiny/",
        "{root}/data/raw/tiny",
        "{root}/data/raw/../raw/tiny",
        "{root}/data/clean/../raw/tiny",
    ],
)
def test_a_path_to_a_consultation_folder_is_reduced_to_its_name(
    project: Path, spelling: str
) -> None:
    from pipelines.paths import consultation_name

    assert consultation_name(spelling.format(root=project)) == "tiny"
    assert consultation_name(spelling.format(root=project), project) == "tiny"


def test_the_critical_attacks_run_through_validate_leave_the_raw_evidence_whole(
    project: Path,
) -> None:
    """The data-loss bug: `validate ../raw/tiny` and the absolute path made the clean folder
    the raw one, and the swap replaced the raw evidence (exit 0). Now the first is refused
    and the second validates ``tiny`` into data/clean/tiny only."""
    before = _tree(project)
    assert cli.main(["-q", "validate", "../raw/tiny"]) == 2
    assert cli.main(["-q", "validate", str(project / "data" / "raw" / "tiny")]) == 0
    after = _tree(project)
    assert _raw(after) == _raw(before), "raw evidence changed"
    written = sorted(set(after) - set(before))
    assert written and all(_allowed(p, "tiny") for p in written), written
    assert (project / "data" / "clean" / "tiny" / "validation.json").is_file()


def test_the_path_helpers_refuse_anything_but_a_plain_name(tmp_path: Path) -> None:
    from pipelines.errors import InputError
    from pipelines.runlock import consultation_lock, lock_path

    for bad in ["../raw/x", "/abs", "a/b", "..", ".", "", ".x", "a\0b", "a\\b", "x" * 200]:
        for helper in (paths.raw_dir, paths.clean_dir, paths.reports_dir, lock_path):
            with pytest.raises(InputError, match="consultation"):
                helper(bad, tmp_path)
        with pytest.raises(InputError), consultation_lock(bad, tmp_path):
            pass
    assert list(tmp_path.iterdir()) == []
    assert paths.clean_dir("demo-x", tmp_path) == tmp_path / "data" / "clean" / "demo-x"


def test_validate_consultation_itself_refuses_a_path_outside_data_raw(project: Path) -> None:
    from pipelines.errors import InputError
    from pipelines.validate.run import validate_consultation

    before = _tree(project)
    with pytest.raises(InputError, match="folder under data/raw"):
        validate_consultation("../raw/tiny", project)
    assert _tree(project) == before


def test_explore_refuses_a_path_outside_data_raw(project: Path) -> None:
    from pipelines import explore
    from pipelines.errors import InputError

    with pytest.raises(InputError):
        explore.load("../raw/tiny", project)
    with pytest.raises(InputError):
        explore.exports_dir("../../x", project)


def test_the_message_says_what_a_name_is_and_lists_the_consultations(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["-q", "validate", "nope"]) == 2
    err = capsys.readouterr().err
    assert "a consultation is named by its folder under data/raw" in err.lower()
    assert "other, tiny" in err and ".hidden" not in err.split("Consultations in")[1]


def test_stale_staging_of_one_consultation_is_not_another_s(tmp_path: Path) -> None:
    """Removing a killed run's staging folders matches whole names: ``a``'s run never
    removes ``a.tmp-b``'s or ``ab``'s, and a name with glob characters matches itself."""
    from pipelines.runlock import remove_stale_staging

    clean = tmp_path / "data" / "clean"
    keep = [
        clean / ".ab.tmp-abc123",
        clean / ".a.tmp-b.tmp-x1y2z3",
        clean / ".b.old-12",
        clean / ".ab.scratch-q1w2e3r4",
    ]
    stale = [clean / ".a.tmp-k2j3h4g5", clean / ".a.old-4242", clean / ".a.scratch-_9ab8cd7"]
    for folder in keep + stale:
        folder.mkdir(parents=True)
    assert sorted(remove_stale_staging("a", tmp_path)) == sorted(stale)
    assert all(p.exists() for p in keep) and not any(p.exists() for p in stale)
    (clean / ".b.old-12").rename(clean / ".x.old-1")
    assert remove_stale_staging("[ab]*", tmp_path) == []


# --- region file names ------------------------------------------------------------------


def test_slugs_of_any_script_are_ascii_non_empty_visible_and_stable() -> None:
    from pipelines.geography import region_slug, slugify

    expected = {
        "Yorkshire and The Humber": "yorkshire-and-the-humber",
        "Île-de-France": "ile-de-france",
        "Łódź": "lodz",
        "Straße": "strasse",
        "東京": "area-130016b2",
        "Ῥόδος": "area-dff5373e",
        "Greater 東京": "greater-13efcda8",
        "...": "area-ab5df625",
    }
    for name, slug in expected.items():
        assert slugify(name) == slug, name
        assert region_slug(name) == slug
    for name in [*expected, "", " ", "\u200b", ".", "..", ".hidden", "x" * 500, "🙂", "ـــ"]:
        slug = region_slug(name)
        assert slug and slug.isascii() and not slug.startswith((".", "-")), (name, slug)
        assert len(slug) <= 70 and "/" not in slug
    assert len({slugify("東京"), slugify("大阪"), slugify("Ῥόδος"), slugify("Ρόδος")}) == 4


def test_invisible_characters_do_not_change_a_slug() -> None:
    from pipelines.geography import slugify

    assert slugify("North\u200b West\u202e") == slugify("North West") == "north-west"


def test_a_region_never_takes_a_reserved_file_name() -> None:
    from pipelines.geography import RESERVED_SLUGS, region_slug

    assert {"index", "overview", "manifest", "executed", "tables", "exports"} <= RESERVED_SLUGS
    assert region_slug("Index") == "region-index"
    assert region_slug("OVERVIEW!") == "region-overview"
    assert all(region_slug(name) not in RESERVED_SLUGS for name in RESERVED_SLUGS)
    # the pages the run writes beside the reports: about.html and each <slug>-easy-read.html
    assert region_slug("About") == "region-about"
    assert region_slug("North West Easy Read") == "north-west-easy-read-area"
    assert not region_slug("London Easy-Read").endswith("-easy-read")


def _regions_file(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "c"
    folder.mkdir(parents=True)
    pl.DataFrame(
        {"region": list(names), "locality": [f"L{i}" for i in range(len(names))]}
    ).write_csv(folder / "regions.csv")
    return folder


def test_regions_whose_file_names_collide_are_refused_naming_both(tmp_path: Path) -> None:
    from pipelines.errors import InputError
    from pipelines.geography import load_regions

    folder = _regions_file(tmp_path, "Alpha", "Beta", "BETA!")
    with pytest.raises(InputError, match=r"'Beta' and 'BETA!'.*beta\.html"):
        load_regions(folder, tmp_path)
    folder = _regions_file(tmp_path / "2", "Index", "Region Index")
    with pytest.raises(InputError, match="region-index.html"):
        load_regions(folder, tmp_path)


def test_region_names_are_shown_without_invisible_characters(tmp_path: Path) -> None:
    from pipelines.geography import load_regions, resolve_region

    folder = _regions_file(tmp_path, "\u202eNorth\u200b West", "Index", "東京")
    regions = load_regions(folder, tmp_path)
    assert regions["region"].to_list() == ["North West", "Index", "東京"]
    assert regions["region_slug"].to_list() == ["north-west", "region-index", "area-130016b2"]
    assert resolve_region("index", regions) == "Index"
    assert resolve_region("region-index", regions) == "Index"
    assert resolve_region("東京", regions) == "東京"
