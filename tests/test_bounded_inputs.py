"""Bounded inputs (issue #15, Must 4 and the smaller items): every raw file is held to size
caps (``config/workbook.yml``), NUL bytes are refused wherever they are, a broken
consultation.yml elsewhere never stops this one, ``source:`` stays in its folder, and a
suppressing profile refuses a ``min_cell`` that would publish exact small counts.

Each attack is built here, at the size that bites where that matters (a 50 MB cell, an
.xlsx that unzips to 1.5 GB), and checked by the exit code and message a user sees.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import polars as pl
import pytest
import yaml
from conftest import CONSULTATION_YML, RESPONSES, write_consultation

from pipelines.consultation import load_consultation
from pipelines.errors import InputError
from pipelines.ingest import read
from pipelines.ingest.read import check_xlsx_zip, read_table, read_table_chunks
from pipelines.paths import CONFIG_DIR
from pipelines.settings import (
    LIMIT_KEYS,
    MIN_CELL_FLOOR,
    InputLimits,
    Settings,
    check_disclosure,
    load_settings,
)
from pipelines.waves import previous_wave

WORKBOOK = str(Path(sys.executable).with_name("workbook"))
CORPUS_XLSX = Path(__file__).parent / "corpus" / "xlsx_serial_time_exact" / "responses.xlsx"
HEADER = RESPONSES.splitlines()[0]
MB = 1 << 20


def workbook(root: Path, *args: str, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    """The CLI in a scratch project; a run that does not end in ``timeout`` fails the test."""
    env = {**os.environ, "WORKBOOK_ROOT": str(root)}
    return subprocess.run(
        [WORKBOOK, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def rows(n: int, q1: dict[int, str] | None = None) -> str:
    """``n`` valid response rows (spreadsheet rows 2 to n + 1); ``q1`` replaces the comment
    of the rows it names by their spreadsheet row."""
    q1 = q1 or {}
    lines = [
        f"r{i},2026-03-05,10.0.0.1,Online,London,Camden,service_user,,Yes,"
        f"{q1.get(i + 1, f'Comment {i} on care at home')},workforce,Agree,3"
        for i in range(1, n + 1)
    ]
    return HEADER + "\n" + "\n".join(lines) + "\n"


@pytest.fixture
def batched(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every CSV counts as big: read in batches of one row, as a 4 GB export is."""
    monkeypatch.setattr(read, "STREAM_BYTES", 0)
    monkeypatch.setattr(read, "CHUNK_ROWS", 1)


def refusal(path: Path, *, in_batches: bool = False, limits: InputLimits | None = None) -> str:
    given = {"limits": limits} if limits else {}
    with pytest.raises(InputError) as error:
        if in_batches:
            list(read_table_chunks(path, **given).chunks)
        else:
            read_table(path, **given)
    return str(error.value)


# --- cells ------------------------------------------------------------------------------


def test_a_50_mb_cell_ends_at_once_with_exit_2_naming_file_row_and_setting(
    tmp_path: Path,
) -> None:
    """Before: validation never ended (the email pattern backtracked over the 50 MB)."""
    folder = write_consultation(tmp_path)
    cell = "x" * (50 * MB) + " mail big@example.org"
    (folder / "responses.csv").write_text(rows(3, {3: cell}), encoding="utf-8")
    started = time.perf_counter()
    result = workbook(tmp_path, "validate", "tiny")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{folder / 'responses.csv'}, row 3, column 'Q1'" in result.stderr
    assert "max_cell_chars in config/workbook.yml" in result.stderr
    assert not (tmp_path / "data" / "clean" / "tiny").exists()
    assert time.perf_counter() - started < 120  # a guard, not a benchmark


@pytest.mark.parametrize("in_batches", [False, True], ids=["whole", "batched"])
def test_the_cell_cap_counts_characters_and_names_the_first_row_over_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_batches: bool
) -> None:
    if in_batches:
        monkeypatch.setattr(read, "STREAM_BYTES", 0)
        monkeypatch.setattr(read, "CHUNK_ROWS", 1)
    limits = InputLimits(max_cell_chars=40)
    path = write_consultation(tmp_path) / "responses.csv"
    at_cap = "é" * 40  # 80 bytes, 40 characters: allowed
    path.write_text(rows(6, {3: at_cap, 5: "a" * 41, 6: "b" * 99}), encoding="utf-8")
    message = refusal(path, in_batches=in_batches, limits=limits)
    assert message.startswith(f"{path}, row 5, column 'Q1': a cell of 41 characters")
    path.write_text(rows(6, {3: at_cap}), encoding="utf-8")
    frame = read_table(path, limits=limits).frame
    assert frame.filter(frame[read.ROW] == 3)["Q1"].item() == at_cap


def test_the_cell_cap_holds_in_cp1252_exports_and_workbooks(tmp_path: Path) -> None:
    limits = InputLimits(max_cell_chars=30)
    path = write_consultation(tmp_path) / "responses.csv"
    path.write_bytes(rows(2, {2: "£" * 31}).encode("cp1252"))
    assert "row 2, column 'Q1': a cell of 31 characters" in refusal(path, limits=limits)
    message = refusal(CORPUS_XLSX, limits=limits)
    assert message.startswith(f"{CORPUS_XLSX}, row ") and "max_cell_chars" in message


def test_the_default_caps_read_a_real_workbook_and_a_200k_cell(tmp_path: Path) -> None:
    assert read_table(CORPUS_XLSX, 2).frame.height > 0
    path = write_consultation(tmp_path) / "responses.csv"
    path.write_text(rows(2, {2: "Care at home matters. " * 10_000}), encoding="utf-8")
    assert read_table(path).frame["Q1"].str.len_chars().max() == 220_000


# --- files ------------------------------------------------------------------------------


def test_a_file_over_max_file_bytes_stops_validation_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.validate.run import validate_consultation

    monkeypatch.setattr(read, "input_limits", lambda: InputLimits(max_file_bytes=300))
    path = write_consultation(tmp_path) / "responses.csv"
    with pytest.raises(InputError, match="over the cap of 300 bytes") as error:
        validate_consultation("tiny", root=tmp_path)
    assert str(error.value).startswith(f"{path} is {path.stat().st_size:,} bytes")
    assert "max_file_bytes in config/workbook.yml" in str(error.value)
    assert not (tmp_path / "data" / "clean" / "tiny").exists()


def test_the_file_cap_holds_for_batched_reads(tmp_path: Path, batched: None) -> None:
    path = write_consultation(tmp_path) / "responses.csv"
    with pytest.raises(InputError, match="max_file_bytes"):
        read_table_chunks(path, limits=InputLimits(max_file_bytes=10))


# --- workbooks --------------------------------------------------------------------------

XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Responses" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
SHEET = "xl/worksheets/sheet1.xml"


def _inline(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def write_bomb(path: Path, megabytes: int) -> Path:
    """An .xlsx whose worksheet cell B2 holds ``megabytes`` MB of one letter, at about 1000:1.

    Written as a stream in well under a second whatever the size: the megabyte of letters is
    compressed once, ending in a full flush (the compressor forgets everything before it), so
    its compressed form can be written ``megabytes`` times over and still inflate correctly.
    Only the CRC goes over the whole text; nothing larger than a megabyte is ever held.
    """
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1">' + _inline("A1", "Respondent ID") + _inline("B1", "Q1") + b"</row>"
        b'<row r="2">' + _inline("A2", "r1") + b'<c r="B2" t="inlineStr"><is><t>'
    )
    tail = b"</t></is></c></row></sheetData></worksheet>"
    block = b"A" * MB
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    again = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    last = deflate.compress(tail) + deflate.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    sheet = (
        zlib.crc32(tail, crc),
        len(first) + megabytes * len(again) + len(last),
        len(head) + megabytes * MB + len(tail),
        [first, *([again] * megabytes), last],
    )
    directory = []
    with path.open("wb") as out:
        parts = {name: _deflated(text.encode()) for name, text in XLSX_PARTS.items()}
        for name, (crc, zipped, unzipped, chunks) in {**parts, SHEET: sheet}.items():
            directory.append((name.encode(), crc, zipped, unzipped, out.tell()))
            fixed = (0x04034B50, 20, 0, 8, 0, 0x21, crc, zipped, unzipped, len(name), 0)
            out.write(struct.pack("<IHHHHHIIIHH", *fixed) + name.encode())
            for chunk in chunks:
                out.write(chunk)
        start = out.tell()
        for name, crc, zipped, unzipped, offset in directory:
            fixed = (0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, zipped, unzipped, len(name))
            out.write(struct.pack("<IHHHHHHIIIHHHHHII", *fixed, 0, 0, 0, 0, 0, offset) + name)
        count, size = len(directory), out.tell() - start
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, size, start, 0))
    return path


def _deflated(data: bytes) -> tuple[int, int, int, list[bytes]]:
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    zipped = deflate.compress(data) + deflate.flush()
    return zlib.crc32(data), len(zipped), len(data), [zipped]


def understate(path: Path, name: str, size: int) -> None:
    """Rewrite the zip directory's unzipped size of part ``name`` (the data stays)."""
    data = bytearray(path.read_bytes())
    count, _, at = struct.unpack_from("<HII", data, len(data) - 12)
    for _ in range(count):
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, at + 28)
        if data[at + 46 : at + 46 + name_length] == name.encode():
            struct.pack_into("<I", data, at + 24, size)
        at += 46 + name_length + extra_length + comment_length
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1.5 MB that unzips to 1.5 GB (before: fastexcel aborted the process, exit 134)."""
    return write_bomb(tmp_path_factory.mktemp("bomb") / "responses.xlsx", 1536)


def test_the_bomb_is_a_workbook_the_reader_would_unzip_in_full(tmp_path: Path) -> None:
    """The attack is real: with the ratio cap lifted, a small bomb reads as its full cell."""
    path = write_bomb(tmp_path / "responses.xlsx", 2)
    lifted = InputLimits(max_xlsx_ratio=10**6, max_cell_chars=10**8)
    frame = read_table(path, limits=lifted).frame
    assert frame["Q1"].str.len_bytes().to_list() == [2 * MB]


def test_a_zip_bomb_workbook_is_refused_with_exit_2_from_its_directory_alone(
    bomb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bomb.stat().st_size < 2 * MB

    def unzip(*_: object) -> int:
        raise AssertionError("a part was unzipped")

    monkeypatch.setattr(read, "_unzipped_size", unzip)
    with pytest.raises(InputError, match="max_xlsx_unzipped_bytes") as error:
        check_xlsx_zip(bomb)
    assert re.match(
        rf"{re.escape(str(bomb))} unzips to 1,610,6\d\d,\d{{3}} bytes", str(error.value)
    )
    monkeypatch.undo()

    yml = CONSULTATION_YML + "source: responses.xlsx\n"
    folder = write_consultation(tmp_path, yml=yml)
    shutil.copy(bomb, folder / "responses.xlsx")
    result = workbook(tmp_path, "validate", "tiny")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr
    assert "responses.xlsx unzips to" in result.stderr
    assert not (tmp_path / "data" / "clean" / "tiny").exists()


def test_a_workbook_part_unzipping_1000_to_1_is_refused_under_the_total_cap(
    tmp_path: Path,
) -> None:
    path = write_bomb(tmp_path / "responses.xlsx", 50)
    message = refusal(path)
    assert f"its part '{SHEET}' unzips 1," in message and "max_xlsx_ratio" in message


def test_a_workbook_whose_directory_understates_a_part_is_refused(tmp_path: Path) -> None:
    """The workbook reader unzips the data whatever the directory says (checked: a part
    declared as 2,000 bytes came back as 20 MB): the real sizes are counted, as a stream."""
    path = write_bomb(tmp_path / "responses.xlsx", 20)
    understate(path, SHEET, 2_000)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(SHEET).file_size == 2_000
    message = refusal(path)
    assert "unzips to more than the workbook's directory says (2,000 bytes)" in message


def test_a_workbook_of_too_many_parts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "responses.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(12):
            archive.writestr(f"part{n}.xml", "<x/>")
    assert "holds 12 parts" in refusal(path, limits=InputLimits(max_xlsx_parts=10))


# --- NUL bytes --------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
@pytest.mark.parametrize("in_batches", [False, True], ids=["whole", "batched"])
def test_a_nul_byte_after_the_first_4_kb_is_refused_with_its_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str, in_batches: bool
) -> None:
    """Before: only the first 4 KB were looked at; a NUL further on went into clean data."""
    if in_batches:
        monkeypatch.setattr(read, "STREAM_BYTES", 0)
        monkeypatch.setattr(read, "CHUNK_ROWS", 7)
    path = write_consultation(tmp_path) / "responses.csv"
    text = rows(150, {140: "fine £5 until\x00here"})
    assert text.encode(encoding).index(b"\x00") > 4096
    path.write_bytes(text.encode(encoding))
    if in_batches and encoding == "cp1252":  # found not UTF-8 in batches: read whole
        with pytest.raises(read.NotUtf8Error):
            list(read_table_chunks(path).chunks)
        in_batches = False
    message = refusal(path, in_batches=in_batches)
    assert message.startswith(f"{path}, row 140: a cell holds a NUL byte")


def test_a_nul_byte_stops_validation_with_exit_2(tmp_path: Path) -> None:
    folder = write_consultation(tmp_path)
    (folder / "responses.csv").write_text(rows(200, {180: "a\x00b"}), encoding="utf-8")
    result = workbook(tmp_path, "validate", "tiny")
    assert result.returncode == 2, result.stderr
    assert "responses.csv, row 180: a cell holds a NUL byte" in result.stderr
    assert not (tmp_path / "data" / "clean" / "tiny").exists()


def test_a_nul_byte_in_the_first_4_kb_or_a_header_is_refused_with_its_line(
    tmp_path: Path,
) -> None:
    path = write_consultation(tmp_path) / "responses.csv"
    path.write_text(rows(3, {3: "a\x00b"}), encoding="utf-8")
    assert "line 3 holds a NUL byte" in refusal(path)
    frame_with_nul_header = pl.DataFrame({"Q\x001": ["x"]}).with_row_index(read.ROW)
    with pytest.raises(InputError, match=r"row 1 \(the header\)"):
        read.check_cells(frame_with_nul_header, path)


# --- consultation.yml: waves and source ---------------------------------------------------


def test_a_broken_consultation_yml_elsewhere_is_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Before: a non-UTF-8 consultation.yml in any folder crashed every report with a series."""
    write_consultation(tmp_path)  # series: tiny, opened 2026-03-01
    earlier = CONSULTATION_YML.replace("opened: 2026-03-01", "opened: 2025-03-01")
    write_consultation(tmp_path, "tiny-2025", yml=earlier)
    raw = tmp_path / "data" / "raw"
    (raw / "aaa-cp1252").mkdir()
    (raw / "aaa-cp1252" / "consultation.yml").write_bytes(b"title: Caf\xe9 \xa35\nseries: tiny\n")
    (raw / "zzz-not-yaml").mkdir()
    (raw / "zzz-not-yaml" / "consultation.yml").write_text("series: [tiny\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="pipelines.waves"):
        assert previous_wave("tiny", tmp_path) == "tiny-2025"
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "aaa-cp1252" in warned and "zzz-not-yaml" in warned


@pytest.mark.parametrize(
    "source",
    ["../other/responses.csv", "ABSOLUTE", "exports/responses.csv", "exports\\responses.csv", ".."],
)
def test_a_source_that_is_a_path_is_refused(tmp_path: Path, source: str) -> None:
    """Before: ``source:`` was joined to the folder as given, so a file anywhere was read."""
    other = tmp_path / "data" / "raw" / "other"
    other.mkdir(parents=True)
    (other / "responses.csv").write_text(RESPONSES, encoding="utf-8")
    source = str(other / "responses.csv") if source == "ABSOLUTE" else source
    folder = write_consultation(tmp_path, yml=CONSULTATION_YML + f"source: '{source}'\n")
    with pytest.raises(InputError, match="source: .*name of a file in the consultation's folder"):
        load_consultation(folder)


def test_a_source_linked_outside_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(RESPONSES, encoding="utf-8")
    folder = write_consultation(tmp_path, yml=CONSULTATION_YML + "source: linked.csv\n")
    (folder / "linked.csv").symlink_to(outside)
    with pytest.raises(InputError, match="is a link to a file outside the consultation's folder"):
        load_consultation(folder)


def test_validate_exits_2_for_a_source_outside_the_folder(tmp_path: Path) -> None:
    """Before: exit 0, the other folder's export validated as this consultation's."""
    other = write_consultation(tmp_path, "other")
    yml = CONSULTATION_YML + "source: ../other/responses.csv\n"
    folder = write_consultation(tmp_path, yml=yml)
    (folder / "responses.csv").unlink()
    result = workbook(tmp_path, "validate", "tiny")
    assert result.returncode == 2, result.stderr
    assert "source" in result.stderr and "not a path" in result.stderr
    assert not (tmp_path / "data" / "clean" / "tiny").exists()
    assert (other / "responses.csv").read_text(encoding="utf-8") == RESPONSES


def test_the_staleness_check_sees_a_change_to_the_file_read(tmp_path: Path) -> None:
    """The file read is in the folder (a link to a file under it is followed): a change to
    it makes the clean data stale."""
    from pipelines.prepare import prepare_consultation
    from pipelines.store import is_stale

    folder = write_consultation(tmp_path, yml=CONSULTATION_YML + "source: current.csv\n")
    (folder / "exports").mkdir()
    real = folder / "exports" / "2026-06-01.csv"
    (folder / "responses.csv").rename(real)
    (folder / "current.csv").symlink_to(Path("exports") / real.name)
    summary = prepare_consultation("tiny", root=tmp_path)
    assert summary.rows_read == 3
    assert not is_stale("tiny", tmp_path)
    later = (folder.parent.parent / "clean" / "tiny" / "validation.json").stat().st_mtime + 60
    os.utime(real, (later, later))
    assert is_stale("tiny", tmp_path)


# --- settings ---------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["restricted", "public"])
def test_a_suppressing_profile_refuses_a_min_cell_under_the_floor(profile: str) -> None:
    """Before: ``--min-cell 1`` under restricted published exact counts, and the index said
    counts from 1 to 0 were shown as [c]."""
    for min_cell in (-1, 0, 1, MIN_CELL_FLOOR - 1):
        with pytest.raises(InputError, match=f"min_cell {min_cell} is too small"):
            check_disclosure(profile, min_cell)
        with pytest.raises(InputError, match="too small"):
            Settings(disclosure=profile).with_overrides(min_cell=min_cell)
    check_disclosure(profile, MIN_CELL_FLOOR)
    assert Settings().with_overrides(disclosure=profile, min_cell=3).min_cell == 3


def test_the_none_profile_takes_any_min_cell_and_unknown_profiles_are_refused() -> None:
    check_disclosure("none", 1)
    assert Settings().with_overrides(disclosure="none", min_cell=1).min_cell == 1
    with pytest.raises(InputError, match="disclosure must be one of"):
        check_disclosure("secret", 10)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("min_cell: 2\n", "min_cell 2 is too small"),
        ("max_cell_chars: 0\n", "max_cell_chars must be a whole number of 1 or more"),
        ("max_file_bytes: lots\n", "max_file_bytes must be a whole number"),
        ("max_cells: 5\n", "unknown setting"),
    ],
)
def test_a_settings_file_with_a_bad_value_is_refused_naming_it(
    tmp_path: Path, text: str, match: str
) -> None:
    path = tmp_path / "workbook.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=match) as error:
        load_settings(path)
    assert str(error.value).startswith(str(path))


def test_every_input_cap_is_in_the_config_file_at_its_default() -> None:
    config = yaml.safe_load((CONFIG_DIR / "workbook.yml").read_text(encoding="utf-8"))
    defaults = InputLimits()
    assert {key: config[key] for key in LIMIT_KEYS} == {
        key: getattr(defaults, key) for key in LIMIT_KEYS
    }
    assert load_settings().limits == defaults
