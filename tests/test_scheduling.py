"""Scheduled jobs (#20): the cron line, the GitHub Actions workflow and the Airflow DAG of
docs/scheduling.md, each exercised as far as this machine allows, and the plain-papermill
recipe's `workbook export` giving the page `workbook report` gives."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import types
from datetime import datetime
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml
from conftest import region_notebook_failing_for, two_region_project

import pipelines

CHECKOUT = Path(pipelines.__file__).resolve().parents[1]
DOCS = CHECKOUT / "docs"
WORKFLOW = DOCS / "examples" / "github-actions-reports.yml"
DAG_FILE = DOCS / "examples" / "airflow_dag.py"
WORKBOOK = str(Path(sys.executable).with_name("workbook"))
PAPERMILL = str(Path(sys.executable).with_name("papermill"))
#: The names the recipes use for the checkout, the data tree, the log folder, the consultation.
HOME, DATA, LOGS, CONSULTATION = (
    "/srv/participation-workbook",
    "/srv/workbook-data",
    "/var/log/workbook",
    "care-at-home-2026",
)
CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\d+(-\d+)?))*$")
REPORT_LINE = re.compile(r"^\[\d+/\d+\] .+ (ok [\d.]+ s|FAILED after [\d.]+ s: .+; see \S+)$")

#: Airflow's documented API (airflow.apache.org): DAG and BashOperator, where each lives in
#: Airflow 2 (2.4+: `schedule`) and Airflow 3 (`airflow.sdk`, the standard provider), and the
#: keyword arguments each documents that the DAG file may use.
AIRFLOW_IMPORTS = {
    3: {("airflow.sdk", "DAG"), ("airflow.providers.standard.operators.bash", "BashOperator")},
    2: {("airflow", "DAG"), ("airflow.operators.bash", "BashOperator")},
}
DAG_ARGUMENTS = {
    "dag_id", "schedule", "start_date", "end_date", "catchup", "max_active_runs",
    "dagrun_timeout", "tags", "default_args", "description", "params",
}  # fmt: skip
BASH_OPERATOR_ARGUMENTS = {
    "task_id", "bash_command", "env", "append_env", "cwd", "output_encoding",
    "skip_on_exit_code", "retries", "retry_delay", "execution_timeout", "pool",
}  # fmt: skip
#: Removed in Airflow 3 (or never there): a DAG using them would not load there.
REMOVED_IN_AIRFLOW_3 = {"schedule_interval", "timetable", "concurrency", "sla"}


def cron_line() -> str:
    """The crontab line of docs/scheduling.md."""
    text = (DOCS / "scheduling.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if re.match(r"^(\S+\s+){5}cd ", line)]
    assert len(lines) == 1, lines
    return lines[0]


def readme_commands() -> set[str]:
    """The commands the README shows (its indented lines), comments left off."""
    readme = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    return {
        line.split("  #")[0].strip()
        for line in readme.splitlines()
        if line.startswith("    ") and line.strip()
    }


# --- cron ------------------------------------------------------------------------------------


def test_the_cron_line_is_a_crontab_entry() -> None:
    fields = cron_line().split()
    assert all(CRON_FIELD.match(f) for f in fields[:5]), fields[:5]
    assert "%" not in cron_line()  # cron reads % as a newline
    command = cron_line().split(None, 5)[5]
    assert f".venv/bin/workbook report {CONSULTATION}" in command
    assert command.endswith(f">> {LOGS}/{CONSULTATION}.log 2>&1")


@pytest.fixture(scope="module")
def cron_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    """The cron line's command run as cron would (sh, another working folder, no
    terminal), on a scratch tree: (the data tree, the log, the exit code)."""
    data = two_region_project(tmp_path_factory.mktemp("data"), CONSULTATION, seed=9)
    logs = tmp_path_factory.mktemp("logs")
    command = (
        cron_line()
        .split(None, 5)[5]
        .replace(HOME, str(CHECKOUT))
        .replace(DATA, str(data))
        .replace(LOGS, str(logs))
    )
    env = {k: v for k, v in os.environ.items() if k != "WORKBOOK_ROOT"}
    code = subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=tmp_path_factory.mktemp("home"),
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=900,
    ).returncode
    return data, (logs / f"{CONSULTATION}.log").read_text(encoding="utf-8"), code


@pytest.mark.slow
def test_the_cron_line_runs_and_logs_one_line_per_report(cron_run) -> None:
    data, log, code = cron_run
    assert code == 0, log[-3000:]
    assert "\r" not in log
    reports = [line for line in log.splitlines() if REPORT_LINE.match(line)]
    assert len(reports) == 3 and all(" ok " in line for line in reports)  # 2 regions, overview
    assert "3 of 3 reports written" in log
    assert (data / "reports" / CONSULTATION / "index.html").is_file()
    logged = [line for line in log.splitlines() if re.match(r"^\d\d:\d\d:\d\d ", line)]
    assert logged and all(line[9:].startswith("workbook: ") for line in logged)


# --- GitHub Actions --------------------------------------------------------------------------


def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_the_workflow_parses_and_runs_on_the_cron_line_s_schedule() -> None:
    flow = workflow()
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert [s["cron"] for s in triggers["schedule"]] == [" ".join(cron_line().split()[:5])]
    assert "workflow_dispatch" in triggers
    assert not (CHECKOUT / ".github" / "workflows" / WORKFLOW.name).exists()  # never runs here


def test_the_workflow_s_steps_are_the_readme_s_commands() -> None:
    job = workflow()["jobs"]["reports"]
    consultation = job["env"]["CONSULTATION"]
    assert consultation == CONSULTATION
    runs = [step["run"].strip() for step in job["steps"] if "run" in step]
    assert runs == ["make setup", '.venv/bin/workbook report "$CONSULTATION"']
    shown = readme_commands()
    for run in runs:
        assert run.replace('"$CONSULTATION"', "<consultation>") in shown, run
    makefile = (CHECKOUT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^setup:", makefile, re.MULTILINE)
    upload = next(s for s in job["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["if"] == "always()"  # a failed region (exit 1) still keeps the others


# --- Airflow ---------------------------------------------------------------------------------


def dag_tree() -> ast.Module:
    return ast.parse(DAG_FILE.read_text(encoding="utf-8"), filename=str(DAG_FILE))


def _calls(tree: ast.Module, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


def test_the_dag_imports_what_airflow_2_and_3_document() -> None:
    imported = {
        (node.module, alias.name)
        for node in ast.walk(dag_tree())
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("airflow")
        for alias in node.names
    }
    assert imported == AIRFLOW_IMPORTS[2] | AIRFLOW_IMPORTS[3]
    guarded = [n for n in ast.walk(dag_tree()) if isinstance(n, ast.Try)]
    assert guarded and guarded[0].handlers[0].type.id == "ImportError"  # 3 first, then 2


def test_the_dag_uses_only_documented_arguments() -> None:
    tree = dag_tree()
    (dag,) = _calls(tree, "DAG")
    dag_arguments = {k.arg for k in dag.keywords}
    assert dag_arguments <= DAG_ARGUMENTS and not dag_arguments & REMOVED_IN_AIRFLOW_3
    assert {"dag_id", "schedule", "start_date", "catchup"} <= dag_arguments
    (operator,) = _calls(tree, "BashOperator")
    operator_arguments = {k.arg for k in operator.keywords}
    assert operator_arguments <= BASH_OPERATOR_ARGUMENTS
    assert {"task_id", "bash_command", "cwd", "env", "append_env"} <= operator_arguments


class _Recorded:
    """Stands in for an Airflow class: records the keyword arguments it was given."""

    made: list[tuple[str, dict[str, Any]]] = []

    def __init__(self, **kwargs: Any) -> None:
        _Recorded.made.append((type(self).__name__, kwargs))

    def __enter__(self) -> _Recorded:
        return self

    def __exit__(self, *_: object) -> None:
        return None


def test_the_dag_runs_the_cron_line_s_command_per_consultation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The DAG file run against stand-ins for Airflow 3's modules and pendulum (Airflow is
    not a dependency): one BashOperator per consultation, each running the cron line's command."""
    dag_class = type("DAG", (_Recorded,), {})
    operator_class = type("BashOperator", (_Recorded,), {})
    stubs = {
        "airflow": types.ModuleType("airflow"),
        "airflow.sdk": types.ModuleType("airflow.sdk"),
        "airflow.providers.standard.operators.bash": types.ModuleType("bash"),
    }
    stubs["airflow.sdk"].DAG = dag_class
    stubs["pendulum"] = types.ModuleType("pendulum")  # Airflow's own dependency
    stubs["pendulum"].datetime = lambda *args, tz: datetime(*args)
    stubs["airflow.providers.standard.operators.bash"].BashOperator = operator_class
    for name, module in stubs.items():
        monkeypatch.setitem(sys.modules, name, module)
    _Recorded.made.clear()
    namespace: dict[str, Any] = {"__name__": "airflow_dag"}
    exec(compile(dag_tree(), str(DAG_FILE), "exec"), namespace)  # noqa: S102
    made = _Recorded.made
    assert [kind for kind, _ in made] == ["DAG"] + ["BashOperator"] * len(
        namespace["CONSULTATIONS"]
    )
    schedule = made[0][1]["schedule"]
    assert schedule == " ".join(cron_line().split()[:5]) and made[0][1]["catchup"] is False
    for (_, task), consultation in zip(made[1:], namespace["CONSULTATIONS"], strict=True):
        assert task["bash_command"] == f".venv/bin/workbook report {consultation}"
        assert f"cd {task['cwd']} && WORKBOOK_ROOT={task['env']['WORKBOOK_ROOT']} " + task[
            "bash_command"
        ] in cron_line().replace(CONSULTATION, consultation)
        assert task["append_env"] is True


def test_the_dag_loads_in_airflow_where_it_is_installed() -> None:
    pytest.importorskip("airflow", reason="Airflow is not a dependency of the workbook")
    from airflow.models.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAG_FILE), include_examples=False, read_dags_from_db=False)
    assert bag.import_errors == {}
    assert [t.task_id for t in bag.dags["participation_reports"].tasks] == [
        f"report_{CONSULTATION.replace('-', '_')}"
    ]


# --- plain papermill, then workbook export ---------------------------------------------------


@pytest.mark.slow
def test_workbook_export_gives_the_page_workbook_report_gave(cron_run, tmp_path: Path) -> None:
    data, _, _ = cron_run
    out = data / "reports" / CONSULTATION
    env = {**os.environ, "WORKBOOK_ROOT": str(data)}
    # the runner's own executed notebook, exported again: the same page, byte for byte
    again = subprocess.run(
        [WORKBOOK, "export", str(out / "executed" / "london.ipynb"), "--out", str(tmp_path / "a.html")],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "a.html").read_bytes() == (out / "london.html").read_bytes()
    # the README's recipe: plain papermill (with the run's id), then workbook export
    run_id = next(
        r["made_in"]
        for r in json.loads((out / "manifest.json").read_text())["reports"]
        if r["file"] == "london.html"
    )
    executed = tmp_path / "executed" / "london.ipynb"
    executed.parent.mkdir()
    papermill = subprocess.run(
        [PAPERMILL, str(CHECKOUT / "notebooks" / "20_region_report.ipynb"), str(executed),
         "-p", "consultation", CONSULTATION, "-p", "region", "london", "-p", "run_id", run_id,
         "-p", "tables_dir", str(tmp_path / "london" / "tables")],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert papermill.returncode == 0, papermill.stderr[-2000:]
    export = subprocess.run(
        [WORKBOOK, "export", str(executed)], env=env, capture_output=True, text=True, timeout=300
    )
    assert export.returncode == 0, export.stderr
    page = tmp_path / "london.html"  # beside executed/, as reports/<c>/<slug>.html
    assert export.stdout.strip() == f"report page: {page}"
    assert page.read_bytes() == (out / "london.html").read_bytes()


def test_workbook_export_refuses_a_notebook_that_stopped_with_an_error(
    tmp_path: Path,
) -> None:
    broken = nbformat.read(region_notebook_failing_for("London", tmp_path), as_version=4)
    broken.cells[2].outputs = [
        nbformat.v4.new_output("error", ename="AssertionError", evalue="planned", traceback=[])
    ]
    path = tmp_path / "executed" / "london.ipynb"
    path.parent.mkdir()
    nbformat.write(broken, path)
    result = subprocess.run([WORKBOOK, "export", str(path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "stopped with an error (AssertionError: planned)" in result.stderr
    assert not (tmp_path / "london.html").exists()
    missing = subprocess.run([WORKBOOK, "export", str(tmp_path / "no.ipynb")], capture_output=True)
    assert missing.returncode == 2
