"""The analyst's front door: the functions that build the reports, gathered in one import.

A number found here is the number a commissioner reads, because nothing here computes on its
own: loading is :func:`pipelines.store.clean_data.load_clean`, the analyses are the modules of
:mod:`pipelines.analysis` (each call first checks that the data still agrees with the tallies
it sums), disclosure control is the reports' run plan and
:func:`pipelines.report.protect.protect_run` over the tables given together, charts are
:mod:`pipelines.charts.figures`, and a CSV is written by the reports' own safe writer
(:func:`pipelines.report.publish.table_csv`) into ``data/exports/``. See ``docs/analysts.md``.

    from pipelines.explore import load, area, subset, question, protect, export, bar_chart
    from pipelines.explore import participation, specs

    data = load("demo-care-at-home-2026")            # validated if needed; LazyFrames
    north_west = area(data, region="north-west")
    carers = subset(north_west, pl.col("group") == "unpaid_carer")  # re-tallied from its rows
    tables = protect(north_west, {
        "participation_by_group": participation.participation_by_group(north_west),
    })
    tables["participation_by_group"].published()     # typed; [c] is null, flagged
    bar_chart(tables["participation_by_group"], "label", title="Responses by group")
    export(tables["participation_by_group"])         # data/exports/<consultation>/...
"""

from __future__ import annotations

from pipelines.analysis import actions as _actions
from pipelines.analysis import events as _events
from pipelines.analysis import participation as _participation
from pipelines.analysis import questions as _questions
from pipelines.analysis import representation as _representation
from pipelines.analysis import themes as _themes
from pipelines.charts import figures
from pipelines.charts.interactive import (
    chart_mode,
    current_mode,
    explorable,
    show,
    use_charts,
    use_interactive_charts,
    use_static_charts,
)
from pipelines.disclosure import Controlled, TableSpec
from pipelines.explore.charts import (
    bar_chart,
    heatmap_chart,
    likert_chart,
    representation_chart,
    value_axis_title,
)
from pipelines.explore.data import (
    Checked,
    area,
    check_tallies,
    load,
    localities,
    question,
    regions,
    subset,
)
from pipelines.explore.protect import FLAG, Protected, export, exports_dir, protect
from pipelines.report import specs
from pipelines.store.clean_data import Area, CleanData

#: The analyses, each function checking its data first (:func:`check_tallies`).
participation = Checked(_participation)
questions = Checked(_questions)
representation = Checked(_representation)
events = Checked(_events)
actions = Checked(_actions)
themes = Checked(_themes)

__all__ = [
    "FLAG",
    "Area",
    "CleanData",
    "Controlled",
    "Protected",
    "TableSpec",
    "actions",
    "area",
    "bar_chart",
    "chart_mode",
    "check_tallies",
    "current_mode",
    "events",
    "explorable",
    "export",
    "exports_dir",
    "figures",
    "heatmap_chart",
    "likert_chart",
    "load",
    "localities",
    "participation",
    "protect",
    "question",
    "questions",
    "regions",
    "representation",
    "representation_chart",
    "show",
    "specs",
    "subset",
    "themes",
    "use_charts",
    "use_interactive_charts",
    "use_static_charts",
    "value_axis_title",
]
