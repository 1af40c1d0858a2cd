"""The region page as a publication (#19): reader-first order, the publication date as GOV.UK
writes it, "Not for publication" under the restricted profile only, each chart's data one
click away, one source note per section, link names that say what they open, ``[c]`` read
as "suppressed", and no provenance (hashes) on the page.

The page tests build the demo's North West page twice (restricted, then public) through the
runner, in a copy of the session's validated demo; the part tests render fragments directly.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from bs4 import BeautifulSoup, Tag

from pipelines.disclosure import Controlled
from pipelines.report import html
from pipelines.report.sections import title
from pipelines.report.sections.headline import we_did, you_said

CONSULTATION = "demo-care-at-home-2026"
GOVUK_DATE = re.compile(
    r"^([1-9]|[12]\d|3[01]) (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$"
)


# --- the page, built by the runner --------------------------------------------------------


def _north_west(root: Path, disclosure: str) -> Path:
    """The North West page made under ``disclosure``, kept as ``north-west-<profile>.html``
    beside the page (the tables folder and links stay valid)."""
    from pipelines.report.runner import run_reports

    result = run_reports(
        CONSULTATION, regions=["North West"], disclosure=disclosure, jobs=1, root=root,
        progress=False,
    )  # fmt: skip
    assert not result.failed, [o.error for o in result.failed]
    page = root / "reports" / CONSULTATION / "north-west.html"
    return Path(shutil.copy(page, page.with_name(f"north-west-{disclosure}.html")))


@pytest.fixture(scope="module")
def page_files(demo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The North West page under each profile, from a copy of the validated demo."""
    root = tmp_path_factory.mktemp("publication")
    shutil.copytree(demo_root / "data", root / "data")
    return {profile: _north_west(root, profile) for profile in ("restricted", "public")}


@pytest.fixture(scope="module")
def pages(page_files: dict[str, Path]) -> dict[str, BeautifulSoup]:
    return {
        profile: BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for profile, path in page_files.items()
    }


@pytest.fixture(scope="module")
def page(pages: dict[str, BeautifulSoup]) -> BeautifulSoup:
    return pages["restricted"]


def _main(page: BeautifulSoup) -> Tag:
    main = page.find("main")
    assert isinstance(main, Tag)
    return main


def test_the_first_parts_come_in_the_readers_order(page: BeautifulSoup) -> None:
    """Title, date, headline figures, key messages, "we asked, you said, we did", contents,
    then the sections."""
    text = _main(page).get_text(" ", strip=True)
    order = [
        "Care at home: what matters to you: North West",
        "Published ",
        "responses",
        "Key messages",
        "We asked, you said, we did",
        "Contents",
        "Who took part",
    ]
    positions = [text.find(words) for words in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions), dict(zip(order, positions, strict=True))
    headings = [h.get_text(strip=True) for h in _main(page).find_all("h2")]
    assert headings[:3] == ["Summary", "Contents", "Who took part"]


def test_the_browser_title_and_the_h1_name_the_report(page: BeautifulSoup) -> None:
    assert page.find("h1").get_text(strip=True) == "Care at home: what matters to you: North West"


def test_the_publication_date_is_written_as_govuk_writes_it(page: BeautifulSoup) -> None:
    """The demo's ``published`` (1 July 2026) with no leading zero, then its contact."""
    meta = _main(page).find("p", class_="meta").get_text(strip=True)
    written = meta.removeprefix("Published ").split(" · ")[0]
    assert GOVUK_DATE.match(written), meta
    assert written == html.govuk_date(dt.date(2026, 7, 1)) == "1 July 2026"
    assert "Contact" in meta


def test_not_for_publication_under_restricted_only(pages: dict[str, BeautifulSoup]) -> None:
    restricted = pages["restricted"].find("div", class_="banner")
    assert restricted is not None and "Not for publication" in restricted.get_text()
    assert "Not for publication" not in pages["public"].get_text()


def test_the_contents_links_to_every_section(page: BeautifulSoup) -> None:
    contents = page.find(class_="contents")
    targets = [a["href"] for a in contents.find_all("a")]
    ids = {tag["id"] for tag in page.find_all(id=True)}
    assert len(targets) == len(title.REGION_SECTIONS)
    assert [t for t in targets if t.removeprefix("#") not in ids] == []


def test_every_chart_has_its_data_one_click_away(page: BeautifulSoup) -> None:
    """Each chart's table sits in a closed details widget whose summary says what it holds;
    a chart without one links to its data by name."""
    charts = _main(page).find_all("figure", class_="chart")
    assert charts
    for figure in charts:
        widget = figure.find("details")
        link = figure.find("a", href=re.compile(r"\.csv$"))
        assert widget is not None or link is not None, figure.get_text()[:200]
    widgets = _main(page).find_all("details")
    assert widgets and not [w for w in widgets if w.has_attr("open")]
    for widget in widgets:
        assert widget.find("summary").get_text(strip=True).startswith("Table: ")
        assert widget.find("table") is not None


def test_link_names_are_unique_and_say_what_they_download(page: BeautifulSoup) -> None:
    links = _main(page).find_all("a", href=True)
    names = Counter(a.get_text(" ", strip=True) for a in links)
    assert [name for name, n in names.items() if n > 1] == []
    for a in links:
        if a["href"].endswith(".csv"):
            assert re.fullmatch(r"Download ‘.+’ \(CSV\)", a.get_text(" ", strip=True)), a


def test_suppressed_values_are_abbreviations_a_reader_can_expand(page: BeautifulSoup) -> None:
    cells = [c for c in _main(page).find_all(["td", "th"]) if c.get_text(strip=True) == "[c]"]
    assert cells, "the demo's North West page has [c] cells"
    for cell in cells:
        abbr = cell.find("abbr")
        assert abbr is not None and abbr["title"].startswith("suppressed: fewer than 10 people")


def test_one_source_note_per_section(page: BeautifulSoup) -> None:
    """Every section that draws charts says its source once, not under every chart."""
    notes: Counter[str] = Counter()
    section = ""
    for tag in _main(page).find_all(["h2", "p", "figcaption"]):
        if tag.name == "h2":
            section = tag.get_text(strip=True)
        elif tag.get_text(strip=True).startswith("Source:"):
            notes[section] += 1
    assert set(notes) >= {"Who took part", "Events and the ladder of participation", "What we did"}
    assert {s: n for s, n in notes.items() if n > 1} == {}


def test_provenance_is_on_the_about_page_not_the_region_page(page: BeautifulSoup) -> None:
    text = page.get_text()
    assert "sha256" not in text
    about = [a for a in page.find_all("a") if a["href"] == "about.html"]
    assert [a.get_text(strip=True) for a in about] == [
        "About these statistics: how the figures were made and checked"
    ]


def test_each_charts_finding_is_its_heading_and_is_not_read_twice(page: BeautifulSoup) -> None:
    section = _main(page).find("h2", string="Who took part")
    finding = section.find_next("h3")
    assert finding.get_text(strip=True) != "By stakeholder group"
    image = finding.find_next("figure").find("img")
    assert finding.get_text(strip=True) not in image["alt"]
    assert "People who use services" in image["alt"]  # the values are in the alt text


def test_themes_are_one_list_with_their_share_and_at_most_two_quotes(page: BeautifulSoup) -> None:
    """Each free-text question's themes are one list, largest first, each theme with its
    share as shown and at most two quotes under it; how quotes were chosen is said once."""
    lists = _main(page).find_all("ul", class_="themes")
    assert len(lists) == 2  # the demo's two coded free-text questions
    for themes in lists:
        items = themes.find_all("li", recursive=False)
        assert len(items) >= 5
        counts = []
        for item in items:
            share = item.find(class_="theme-share").get_text(strip=True)
            assert re.fullmatch(r"\d+% \(\d+\)|\[c\]", share), share
            assert len(item.find_all("blockquote")) <= 2
            if share != "[c]":
                counts.append(int(share.split("(")[1].rstrip(")")))
        assert counts == sorted(counts, reverse=True)
        assert sum(len(i.find_all("blockquote")) for i in items) > 0
    notes = [p for p in _main(page).find_all("p") if "agreed to be quoted" in p.get_text()]
    assert len(notes) == 1


def test_the_counts_kept_out_of_the_shares_are_said_once(page: BeautifulSoup) -> None:
    notes = [p for p in _main(page).find_all("p") if p.get_text().startswith("Counted apart")]
    assert len(notes) == 1 and "age (Other ages:" in notes[0].get_text()  # population_ages


# --- paper ---------------------------------------------------------------------------------


def _print_rules() -> str:
    """The stylesheet's ``@page`` rule and its ``@media print`` block, comments removed."""
    from pipelines.report.export import report_css

    css = re.sub(r"/\*.*?\*/", "", report_css(), flags=re.S)
    return css[css.index("@page") :]


def test_paper_is_a4_with_the_title_and_page_numbers_in_the_margins() -> None:
    rules = _print_rules()
    page = rules[: rules.index("@media print")]
    assert re.search(r"size:\s*A4", page)
    assert "string(doctitle)" in page and 'counter(page) " of " counter(pages)' in page


def test_charts_and_rows_are_never_split_but_a_chart_is_not_held_with_its_table() -> None:
    """A chart's image, a table row, a quote and a headline figure are kept whole; the
    figure (chart and table together) may break, so a long table never leaves half a page
    empty, and its header row is printed again on the next page."""
    rules = _print_rules()
    whole = re.search(r"([^{}]+)\{\s*break-inside:\s*avoid;?\s*\}", rules)
    assert whole is not None
    kept = {s.strip() for s in whole.group(1).split(",")}
    assert {"figure.chart img", "tr", "blockquote", ".stat"} <= kept
    assert "figure" not in kept and "figure.chart" not in kept
    assert re.search(r"figure\.chart\s*\{\s*break-inside:\s*auto", rules)
    assert re.search(r"thead\s*\{\s*display:\s*table-header-group", rules)


def test_paper_prints_no_link_urls_and_the_tables_open() -> None:
    rules = _print_rules()
    assert "attr(href)" not in rules
    assert re.search(r"a::after\s*\{\s*content:\s*none", rules)
    assert re.search(
        r"details > summary\s*\{[^}]*display:\s*none",
        rules.replace(".skip-link, .download, details > summary", "details > summary"),
    )
    assert "details::details-content" in rules and "content-visibility: visible" in rules


def _text_heights(page: object) -> list[float]:
    """The height on the page (points from the bottom) of every piece of text drawn on it."""
    heights: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            heights.append(cm[5] + tm[5] * cm[3])

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return heights


def _fill(pdf: Path) -> tuple[list[float], float]:
    """For each page of ``pdf``: how far down its last line of text comes, as a share of the
    area between the top and bottom margins (the running header and page number are in the
    margins; 1 = full); and the pages' height in points."""
    from pypdf import PdfReader

    pages = PdfReader(pdf).pages
    height = float(pages[0].mediabox.height)
    top, bottom = height - 20 / 25.4 * 72, 18 / 25.4 * 72  # report.css: 20 mm and 18 mm
    fills = []
    for page in pages:
        inside = [y for y in _text_heights(page) if bottom < y < top]
        fills.append((top - min(inside)) / (top - bottom) if inside else 0.0)
    return fills, height


def test_the_pdf_has_no_part_empty_pages(page_files: dict[str, Path]) -> None:
    """WeasyPrint lays out the North West page on A4 (``--pdf``): 16 pages, not the 26 it
    took when a chart and its whole table were kept on one page; every page but the last
    is filled at least two thirds of the way down."""
    from pipelines.report.pdf import write_pdf

    pdf = write_pdf(page_files["restricted"])
    fills, height = _fill(pdf)
    assert round(height) == 842  # A4 in points
    assert len(fills) <= 18, len(fills)
    assert [round(f, 2) for f in fills[:-1] if f < 0.67] == [], [round(f, 2) for f in fills]


# --- the parts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "written"),
    [(dt.date(2026, 7, 1), "1 July 2026"), (dt.date(2026, 12, 25), "25 December 2026")],
)
def test_govuk_dates(day: dt.date, written: str) -> None:
    assert html.govuk_date(day) == written
    assert html.format_number(day) == written


def _controlled(frame: pl.DataFrame, hidden: dict[str, list[bool]]) -> Controlled:
    mask = pl.DataFrame({c: hidden.get(c, [False] * frame.height) for c in frame.columns})
    return Controlled("t", frame, mask, "restricted", 10)


def test_a_table_folds_into_details_with_abbr_for_suppressed_values() -> None:
    table = _controlled(
        pl.DataFrame({"label": ["A", "B"], "count": [12, None]}), {"count": [False, True]}
    )
    columns = {"label": ("Group", "text"), "count": ("People", "count")}
    folded = html.data_table(table, columns, "People by group", "t.csv")
    assert folded.startswith("<details><summary>Table: People by group</summary>")
    assert '<abbr title="suppressed: fewer than 10 people' in folded
    assert "Download ‘People by group’ (CSV)" in folded
    shown = html.data_table(table, columns, "People by group", folded=False)
    assert "<details>" not in shown and "Download" not in shown


def test_you_said_names_tied_themes_and_skips_suppressed_ones() -> None:
    themes = pl.DataFrame(
        {
            "theme": ["Time", "Kindness", "Cost"],
            "count": [20, 20, 3],
            "pct_respondents": [40.0, 40.0, 6.0],
        }
    )
    said = you_said([("Q?", _controlled(themes, {"count": [False, False, True]}))])
    assert "“Time” and “Kindness”" in said and "40% each" in said and "Cost" not in said
    assert you_said([]) == ""


def test_we_did_lists_done_actions_and_counts_those_under_way() -> None:
    log = pl.DataFrame(
        {
            "status": ["Done", "In progress", "Not taken forward"],
            "we_did": ["Big print.", "Rotas", "No"],
        }
    )
    assert we_did(_controlled(log, {})) == "Big print. 1 action is in progress."
    assert we_did(None) == ""


def test_the_banner_follows_the_profile() -> None:
    assert title.publication_banner("restricted") == title.NOT_FOR_PUBLICATION
    assert title.publication_banner("public") == ""


def test_the_chart_title_leaves_the_image() -> None:
    from pipelines.charts.render import narrow, without_title

    spec = {
        "title": {"text": "A"},
        "width": 520,
        "layer": [{"title": {"text": "A"}, "mark": "bar"}],
    }
    found, untitled = without_title(spec)
    assert found == "A" and "title" not in untitled and "title" not in untitled["layer"][0]
    assert narrow(untitled)["width"] < 520 and spec["width"] == 520
