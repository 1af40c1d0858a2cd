"""Charts: one function per chart over tidy, disclosure-controlled frames, one house theme."""

from pipelines.charts.theme import enable_theme

enable_theme()
