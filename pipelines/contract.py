"""The data contract's vocabulary: the optional tables' columns, event ladder rungs and
action statuses, which validate checks, the store keeps and the analyses list.

The standard response fields and their codes are read from ``config/fields.yml`` by
:mod:`pipelines.fields`; question types are declared by :mod:`pipelines.consultation`.
This module imports nothing: every layer may import it.
"""

from __future__ import annotations

#: Each optional table's columns, in the data contract's order.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("event_id", "title", "date", "venue", "region", "locality", "format", "ladder_rung"),
    "attendance": ("event_id", "group", "attendees"),
    "coding": ("response_id", "question_id", "theme"),
    "actions": (
        "action_id",
        "region",
        "locality",
        "theme",
        "you_said",
        "we_did",
        "owner",
        "status",
        "due",
        "feedback_given",
    ),
}
#: How deep an event's involvement went, shallowest first.
LADDER_RUNGS: tuple[str, ...] = (
    "informing",
    "consulting",
    "engaging",
    "co_designing",
    "co_producing",
)
#: Where an action stands, in the order reports list them.
ACTION_STATUSES: tuple[str, ...] = ("planned", "in_progress", "done", "not_taken")
