"""A very long text redacted in segments, so that each pass runs only where its signs are.

:func:`pipelines.redact.redact` runs a pass only over a text that shows that pass's sign (a
digit, an ``@``, a title, a role). A comment shows a few; a pasted document of a megabyte
shows every sign somewhere, so every pass would run over all of it. Such a text is cut into
segments of about :data:`SEGMENT_CHARS`, each redacted on its own signs, and only where a
cut changes nothing: at the start of a word where the :data:`SEAM_CHARS` either side,
redacted as one, come out exactly as the two sides redacted apart. No detail is as long as
that (the longest e-mail address is 320 characters; a date of birth is looked for a few
words after its cue), so a detail, or a word it depends on, is never parted by a cut. Where
no word start near the place for a cut passes, the segment goes on. The caller decides what
each segment takes from the whole text instead (:func:`pipelines.redact._redacted_long`:
the signs a detail need not show itself, and the first names' pass, run over the whole).
Texts of up to :data:`SEGMENT_CHARS` (every real comment) are redacted whole, as before.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from itertools import islice

#: Texts longer than this are redacted in segments of about this many characters.
SEGMENT_CHARS = 1 << 16
#: Characters either side of a cut that must redact the same together and apart.
SEAM_CHARS = 2_000
#: Word starts tried for each cut before looking again :data:`SEGMENT_CHARS` further on.
TRIES = 8
_WORD_START = re.compile(r"(?<=\s)\S")

#: A redaction of part of a text, counting what it removes in the counter it is given.
Redactor = Callable[[str, Counter[str]], str]


def redact_in_segments(normal: str, redact_part: Redactor, counts: Counter[str]) -> str:
    """``normal`` (normalised text) redacted by ``redact_part`` one segment at a time
    (:func:`segments`), what is removed counted in ``counts``."""
    return "".join(redact_part(part, counts) for part in segments(normal, redact_part))


def segments(text: str, redact_part: Redactor) -> list[str]:
    """``text`` cut about every :data:`SEGMENT_CHARS` characters, only where a cut changes
    nothing (:func:`safe_cut`)."""
    cuts = [0]
    position = SEGMENT_CHARS
    while len(text) - cuts[-1] > SEGMENT_CHARS and position < len(text):
        cut = safe_cut(text, position, redact_part)
        if cut is None:
            position += SEGMENT_CHARS
            continue
        cuts.append(cut)
        position = cut + SEGMENT_CHARS
    cuts.append(len(text))
    return [text[start:end] for start, end in zip(cuts, cuts[1:], strict=False)]


def safe_cut(text: str, position: int, redact_part: Redactor) -> int | None:
    """The first of the :data:`TRIES` word starts at or after ``position`` (a character after
    a space) where the text may be cut: the :data:`SEAM_CHARS` either side redact, as one,
    to exactly what they redact to apart. None where none of them passes."""
    for found in islice(_WORD_START.finditer(text, max(position, 1)), TRIES):
        cut = found.start()
        left, right = text[max(0, cut - SEAM_CHARS) : cut], text[cut : cut + SEAM_CHARS]
        scratch: Counter[str] = Counter()  # a trial: nothing it removes is counted
        if redact_part(left + right, scratch) == redact_part(left, scratch) + redact_part(
            right, scratch
        ):
            return cut
    return None
