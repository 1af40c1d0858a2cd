"""Errors the workbook reports to people, with the exit codes of the data contract."""

from __future__ import annotations

EXIT_OK = 0
EXIT_SOME_REPORTS_FAILED = 1
EXIT_UNUSABLE_INPUT = 2


class InputError(Exception):
    """Unusable input or arguments: the message names the file, column or value to fix.

    Raised before anything is written; the command exits with code 2.
    """
