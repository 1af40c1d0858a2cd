"""Names an analyst types (a region, a locality, a question, a table, a column), checked
against the choices there are: a wrong one is an :class:`~pipelines.errors.InputError`
that lists them, with the closest (by edit distance, the validation summary's
:func:`~pipelines.validate.summary.closest`) as a suggestion, never a bare ``KeyError`` or
zeros."""

from __future__ import annotations

from collections.abc import Sequence

from pipelines.errors import InputError
from pipelines.validate.summary import closest


def unknown(kind: str, given: str, choices: Sequence[str], where: str = "") -> InputError:
    """The error for a ``kind`` (region, locality, question ...) that is not one of
    ``choices``: the choices listed, the closest offered."""
    suggestion = closest(given, choices)
    hint = f" Did you mean {suggestion[0]!r}?" if suggestion else ""
    listed = ", ".join(repr(c) for c in choices) or "(none)"
    place = f" {where}" if where else ""
    return InputError(f"Unknown {kind} {given!r}{place}.{hint} Choose one of: {listed}.")


def chosen(kind: str, given: str, choices: Sequence[str], where: str = "") -> str:
    """``given`` if it is one of ``choices``, else :func:`unknown`'s error."""
    if given in choices:
        return given
    raise unknown(kind, given, choices, where)
