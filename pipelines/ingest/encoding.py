"""How a CSV export is decoded: one way for the whole file, and recorded as used.

UTF-8 (with or without its BOM) where every byte decodes so, else Windows-1252 (cp1252),
which Excel's plain "CSV" and older survey tools write. A file is never decoded partly one
way and partly another: its header rows are decoded by the same encoding as its cells.

Excel for Mac's plain "CSV" is Mac Roman, which Windows-1252 decodes without an error but
wrongly ("don’t" as "donÕt", "café" as "cafŽ"): such a file is stopped, with what to do,
rather than read so (:data:`MAC_ROMAN_SIGNS`).
"""

from __future__ import annotations

import codecs
import re
from itertools import chain
from pathlib import Path

from pipelines.errors import InputError
from pipelines.ingest.headers import csv_header_rows
from pipelines.settings import InputLimits

ENCODINGS: tuple[str, ...] = ("utf-8", "cp1252")
BOM = b"\xef\xbb\xbf"
BLOCK = 1 << 24
#: Bytes of a Mac Roman file that Windows-1252 reads as characters no word has there: 0xD5
#: (Mac Roman's ’: "don’t" read as "donÕt") after a lower-case letter, or between a capital
#: and a lower-case one ("I’m", "O’Brien"); 0xD3 (”) after a lower-case letter; 0xD0 (–)
#: between spaces; 0x8A, 0x8E, 0x9F (ä, é, ü; Windows-1252's capitals Š, Ž, Ÿ) after a
#: lower-case letter; 0x87, 0x88 (á, à; Windows-1252's ‡ and ˆ, which a footnote or a power
#: may follow a word with) inside a lower-case word.
MAC_ROMAN_SIGNS = re.compile(
    rb"[a-z][\xd5\xd3\x8a\x8e\x9f]|[A-Z]\xd5[a-z]| \xd0 |[a-z][\x87\x88][a-z]"
)
#: What Windows-1252 and Mac Roman read each sign's byte as, for the message.
_SIGN_READINGS = {
    0xD5: ("Õ", "’"),
    0xD3: ("Ó", "”"),
    0xD0: ("Ð", "–"),
    0x87: ("‡", "á"),
    0x88: ("ˆ", "à"),
    0x8A: ("Š", "ä"),
    0x8E: ("Ž", "é"),
    0x9F: ("Ÿ", "ü"),
}


def detect_encoding(path: Path) -> str:
    """``utf-8-sig``, ``utf-8`` or ``cp1252``: the first that decodes the file without loss.

    The file is checked a block at a time, so a 4 GB export is never held as text. One that
    none decodes is refused naming where each reading failed (:func:`first_undecodable`).
    """
    with path.open("rb") as handle:
        bom = handle.read(len(BOM)) == BOM
    failed: dict[str, tuple[int, int]] = {}
    for encoding in ("utf-8",) if bom else ENCODINGS:  # a BOM decodes as UTF-8 too
        signs = _SignSearch() if encoding == "cp1252" else None
        failure = first_undecodable(path, encoding, signs)
        if failure is None:
            if signs is not None:  # searched in the same pass as the decoding
                _refuse_mac_roman(path, signs.found)
            return "utf-8-sig" if bom else encoding
        failed[encoding] = failure
    raise InputError(
        f"{path} is not text in UTF-8 or Windows-1252 (cp1252){_where_undecodable(failed, bom)}"
    )


def _where_undecodable(failed: dict[str, tuple[int, int]], bom: bool) -> str:
    """Where the file stops being UTF-8 (and, without UTF-8's mark, Windows-1252), and what
    to do, for the message: ``failed``, each reading's first undecodable line and byte."""
    line, byte = failed["utf-8"]
    where = f": line {line:,} has the byte 0x{byte:02X}, which is not UTF-8"
    if bom:
        reading = bytes([byte]).decode("cp1252", errors="replace")
        return (
            f"{where} (Windows-1252's '{reading}'), though the file starts with UTF-8's mark: "
            "correct that line, or re-save the file from the survey tool or Excel as 'CSV UTF-8'"
        )
    line, byte = failed["cp1252"]
    where += f", and line {line:,} the byte 0x{byte:02X}, which Windows-1252 lacks"
    return f"{where}: re-save it from the survey tool or Excel as 'CSV UTF-8'"


def first_undecodable(
    path: Path, encoding: str, signs: _SignSearch | None = None
) -> tuple[int, int] | None:
    """The line (1-based, counted by LF) and value of the file's first byte that does not
    decode as ``encoding``, or None if every byte does; read a block at a time, each block
    also given to ``signs``, where asked, in the same pass."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1  # of the block's first byte
    with path.open("rb") as handle:
        for block in chain(iter(lambda: handle.read(BLOCK), b""), [b""]):  # b"": the end
            pending = decoder.getstate()[0]  # the last block's bytes not decoded yet
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as error:
                data = pending + block  # what the error's offset counts in
                return line + data.count(b"\n", 0, error.start), data[error.start]
            if signs is not None and block:
                signs.feed(block)
            line += block.count(b"\n")
    return None


class _SignSearch:
    """The line (1-based) and byte of the first :data:`MAC_ROMAN_SIGNS` in blocks given in
    order (``found``; None while there is none). A sign split between two blocks is found in
    the second. Lines end with LF, or with CR where the first block with either has no LF
    (a classic Mac's)."""

    def __init__(self) -> None:
        self.found: tuple[int, int] | None = None
        self._line, self._tail, self._newline = 1, b"", b""

    def feed(self, block: bytes) -> None:
        if self.found is not None:
            return
        if not self._newline and (b"\n" in block or b"\r" in block):
            self._newline = b"\n" if b"\n" in block else b"\r"
        newline = self._newline or b"\n"
        data = self._tail + block
        sign = MAC_ROMAN_SIGNS.search(data)
        if sign is not None:
            byte = data[sign.start() + 1]  # each sign is one byte after another
            self.found = self._line + data.count(newline, 0, sign.start()), byte
            return
        self._line += data.count(newline, 0, len(data) - 2)
        self._tail = data[-2:]


def mac_roman_sign(path: Path) -> tuple[int, int] | None:
    """The line (1-based) and byte of the first :data:`MAC_ROMAN_SIGNS` in the file, or None,
    read a block at a time (:class:`_SignSearch`)."""
    signs = _SignSearch()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            signs.feed(block)
            if signs.found is not None:
                break
    return signs.found


def _refuse_mac_roman(path: Path, sign: tuple[int, int] | None) -> None:
    """Stop on a file read as Windows-1252 that shows :data:`MAC_ROMAN_SIGNS` (``sign``: the
    first one's line and byte, or None)."""
    if sign is None:
        return
    line, byte = sign
    cp1252, mac = _SIGN_READINGS[byte]
    raise InputError(
        f"{path} looks like Mac Roman (Excel for Mac's plain 'CSV'), not Windows-1252: line "
        f"{line:,} has the byte 0x{byte:02X}, which Windows-1252 reads as '{cp1252}', where no "
        f"word has it, and Mac Roman as '{mac}'. Which it is cannot be known for sure, so it is "
        "not read: re-save it from Excel as 'CSV UTF-8 (Comma delimited)' and run again"
    )


def has_bom(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(BOM)) == BOM


def decoded_header(
    path: Path, header_rows: int, limits: InputLimits
) -> tuple[str, list[list[str]]]:
    """The file's encoding as its header rows show it, and those rows decoded: UTF-8 (with
    its BOM, if it has one) if they decode so, else what :func:`detect_encoding` finds."""
    encoding = "utf-8-sig" if has_bom(path) else "utf-8"
    try:
        return encoding, csv_header_rows(path, header_rows, encoding, limits.max_cell_chars)
    except UnicodeDecodeError:
        encoding = detect_encoding(path)
    return encoding, header_cells(path, header_rows, encoding, limits)


def header_cells(
    path: Path, header_rows: int, encoding: str, limits: InputLimits
) -> list[list[str]]:
    """The header rows of a file decoded as ``encoding``; in a cp1252 file, a header whose
    bytes are all valid UTF-8 is read as UTF-8 (:func:`utf8_header`)."""
    cells = csv_header_rows(path, header_rows, encoding, limits.max_cell_chars)
    return utf8_header(cells) if encoding == "cp1252" else cells


def utf8_header(cells: list[list[str]]) -> list[list[str]]:
    """Header rows read as cp1252, read again as UTF-8 where every cell's bytes are valid
    UTF-8: a survey tool's UTF-8 header over rows saved later in Windows-1252 (Excel's
    "CSV"). Such a header would otherwise read as mojibake ("£" as "Â£", "é" as "Ã©") and
    match nothing in consultation.yml; real cp1252 text is almost never valid UTF-8."""
    try:
        return [[cell.encode("cp1252").decode("utf-8") for cell in row] for row in cells]
    except UnicodeError:
        return cells
