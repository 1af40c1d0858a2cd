"""What a redaction removes is replaced by a placeholder of its kind and counted, never kept:
the kinds, the count of one run (:class:`RedactionLog`) and one pass's bookkeeping
(:class:`Removal`). Used by :mod:`pipelines.redact` and its number and date passes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

PLACEHOLDERS: dict[str, str] = {
    "email": "[email removed]",
    "url": "[link removed]",
    "phone": "[phone number removed]",
    "postcode": "[postcode removed]",
    "number": "[number removed]",
    "ni_number": "[NI number removed]",
    "date_of_birth": "[date of birth removed]",
    "address": "[address removed]",
    "name": "[name removed]",
    "handle": "[handle removed]",
}


@dataclass
class RedactionLog:
    """How many of each kind of detail were removed (counts only, never values)."""

    counts: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, int]:
        """Every kind of :data:`PLACEHOLDERS`, in that order, with its count (0 if none)."""
        return {kind: self.counts.get(kind, 0) for kind in PLACEHOLDERS}

    def add(self, other: RedactionLog, times: int = 1) -> None:
        """Count ``other``'s removals ``times`` over (one text met ``times`` times)."""
        for kind, count in other.counts.items():
            self.counts[kind] += count * times


class Removal:
    """One pass of the redaction: replaces matches by placeholders and counts them."""

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts

    def placeholder(self, kind: str) -> str:
        self.counts[kind] += 1
        return PLACEHOLDERS[kind]
