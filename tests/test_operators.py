"""The command as an operator meets it (#20): a log file with one line per report, Ctrl-C,
``--jobs 0``, ``--version``, flags after the subcommand, names listed on a miss, a path as
the name, a failed region's old page marked out of date, log lines in the user's words."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import two_region_project

from pipelines import cli, paths
from pipelines.errors import InputError
from pipelines.report import index, outcomes, promote, runner
from pipelines.report.outcomes import ReportDone, ReportOutcome, RunInterrupted

WORKBOOK = str(Path(sys.executable).with_name("workbook"))
#: `workbook` with London's report failing on purpose (the broken copy of conftest.py).
FAILING_WORKBOOK = """
import sys, tempfile
from pathlib import Path
sys.path.insert(0, {tests!r})
from conftest import region_notebook_failing_for
from pipelines import cli
from pipelines.report import workers
workers.REGION_NOTEBOOK = region_notebook_failing_for("London", Path(tempfile.mkdtemp()))
raise SystemExit(cli.main(sys.argv[1:]))
"""
#: `workbook` with every report notebook made slow (8 s more each), so a signal sent once the
#: first report has finished always finds the next one running, however loaded the machine.
SLOW_WORKBOOK = """
import sys, tempfile
from pathlib import Path
import nbformat
from pipelines import cli
from pipelines.report import workers
folder = Path(tempfile.mkdtemp())
for name in ("REGION_NOTEBOOK", "OVERVIEW_NOTEBOOK"):
    book = nbformat.read(getattr(workers, name), as_version=4)
    book.cells.append(nbformat.v4.new_code_cell("import time; time.sleep(8)"))
    nbformat.write(book, folder / f"{name}.ipynb")
    setattr(workers, name, folder / f"{name}.ipynb")
raise SystemExit(cli.main(sys.argv[1:]))
"""
#: What a log line must never show: a module's name, a logging level in capitals, a frame.
MODULE_NAMES = re.compile(r"pipelines\.|workbook\.[a-z]|\bINFO\b|\bWARNING\b|\r")
LINE = re.compile(r"^\[(\d+)/(\d+)\] (.+?) (ok [\d.]+ s|FAILED after [\d.]+ s: .+; see (\S+))$")


def _ctrl_c_as_at_a_terminal() -> None:
    """In the child: Ctrl-C handled as at a terminal, even where the tests themselves were
    started in the background by a script (a shell then starts them ignoring SIGINT, and a
    child keeps that, so Python would never see the Ctrl-C)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _env(root: Path) -> dict[str, str]:
    return {**os.environ, "WORKBOOK_ROOT": str(root)}


# --- a multi-region run with one failing region, as a log file ------------------------------


@pytest.fixture(scope="module")
def failed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    """A two-region consultation reported once cleanly, then again with London failing,
    output to a log file as cron would: (root, the log, the exit code)."""
    root = two_region_project(tmp_path_factory.mktemp("ops"), "k", seed=7)
    first = subprocess.run(
        [WORKBOOK, "report", "k", "--jobs", "2"], env=_env(root), capture_output=True, timeout=900
    )
    assert first.returncode == 0, first.stderr[-2000:]
    log = root / "cron.log"
    script = FAILING_WORKBOOK.format(tests=str(Path(__file__).parent))
    with log.open("w") as out:
        code = subprocess.run(
            [sys.executable, "-c", script, "report", "k", "--jobs", "2"],
            env=_env(root),
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=900,
        ).returncode
    return root, log.read_text(encoding="utf-8"), code


@pytest.mark.slow
def test_a_log_file_gets_one_line_per_report_and_no_progress_frames(failed_run) -> None:
    root, log, code = failed_run
    assert code == 1
    assert "\r" not in log and "reports:" not in log  # no tqdm frame
    lines = [m for m in map(LINE.match, log.splitlines()) if m]
    assert sorted(int(m[1]) for m in lines) == [1, 2, 3] and {m[2] for m in lines} == {"3"}
    outcome = {m[3]: m for m in lines}
    assert outcome["North West"][4].startswith("ok ")
    assert outcome["Overview: all regions"][4].startswith("ok ")
    failed = outcome["London"]
    assert failed[4].startswith("FAILED") and "planned failure for the test" in failed[4]
    executed = Path(failed[5])
    assert executed == root / "reports" / "k" / "executed" / "london.ipynb"
    assert "planned failure" in executed.read_text(encoding="utf-8")  # the error is in it
    assert log.rstrip().endswith(f"index: {root / 'reports' / 'k' / 'index.html'}")


@pytest.mark.slow
def test_no_log_line_names_a_module(failed_run) -> None:
    _, log, _ = failed_run
    assert not MODULE_NAMES.search(log), MODULE_NAMES.search(log)
    logged = [line for line in log.splitlines() if re.match(r"^\d\d:\d\d:\d\d ", line)]
    assert logged and all(line[9:].startswith("workbook: ") for line in logged)


@pytest.mark.slow
def test_a_failed_region_s_old_page_is_marked_out_of_date(failed_run) -> None:
    root, _, _ = failed_run
    out = root / "reports" / "k"
    for page in ("london.html", "london-easy-read.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert html.count(f'id="{promote.STALE_ID}"') == 1, page
        assert "Out of date: this report could not be made again" in html
    assert promote.STALE_ID not in (out / "north-west.html").read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    reports = {r["file"]: r for r in manifest["reports"]}
    assert reports["london.html"]["status"] == "failed" and reports["london.html"]["stale"]
    assert not reports["north-west.html"]["stale"] and manifest["interrupted"] is False
    listed = index.reader_entries(out, index.earlier_reports(out), mixed=False)
    london = next(e for e in listed if e["name"] == "London")
    assert london["href"] == "" and london["stale"] == index.STALE_ENTRY


# --- Ctrl-C ----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "sigterm"]
)
def test_ctrl_c_stops_publishes_what_finished_and_exits_130(failed_run, signum, code) -> None:
    """Ctrl-C, or a scheduler's SIGTERM (exit 143), stops the run the same clean way."""
    import psutil

    root, _, _ = failed_run
    out = root / "reports" / "k"
    before = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["run_id"]
    run = subprocess.Popen(
        [sys.executable, "-c", SLOW_WORKBOOK, "report", "k", "--jobs", "1"],
        env=_env(root),
        preexec_fn=_ctrl_c_as_at_a_terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    first = ""
    try:
        assert run.stdout is not None
        for line in run.stdout:
            if line.startswith("[1/3]"):
                first = line
                break
        assert first, "no report finished"
        family = psutil.Process(run.pid).children(recursive=True)
        os.kill(run.pid, signum)  # as Ctrl-C (or a scheduler's stop) would, to the runner
        rest, _ = run.communicate(timeout=60)  # generous: it is not a test of speed
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    assert run.returncode == code
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest
    said = [line for line in rest.splitlines() if line.startswith("workbook: interrupted")]
    assert len(said) == 1 and "published 1 of 3 reports" in said[0]
    assert "not published:" in said[0]
    _, alive = psutil.wait_procs(family, timeout=10)
    assert not alive, "workers or kernels outlived the run"
    assert not list(out.glob(".staging-*"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["interrupted"] is True and manifest["run_id"] != before
    made_now = [r for r in manifest["reports"] if r["made_in"] == manifest["run_id"]]
    finished = first.split("] ", 1)[1].rsplit(" ok ", 1)[0]
    assert [r["region"] or "Overview: all regions" for r in made_now] == [finished]
    assert len(manifest["reports"]) == 3  # the others: their pages from the last run
    assert all((out / r["file"]).is_file() for r in manifest["reports"])


def test_finished_reports_are_held_back_beside_pages_of_other_clean_data(
    tmp_path: Path,
) -> None:
    out = tmp_path / "reports" / "k"
    clean = tmp_path / "data" / "clean" / "k"
    out.mkdir(parents=True)
    clean.mkdir(parents=True)
    (out / "london.html").write_text("<p>old</p>")
    (out / "manifest.json").write_text(json.dumps({"validation": {"run_id": "V1"}}))
    (clean / "validation.json").write_text(json.dumps({"run_id": "V2"}))
    earlier = [ReportOutcome("london", "London", "ok", 1.0, "", "restricted", 10, "R0")]
    settings = runner.run_settings(None, None, None, None, None)
    why = runner.keep_finished("k", tmp_path, settings, earlier, {"north-west"})
    assert "other clean data" in why
    (clean / "validation.json").write_text(json.dumps({"run_id": "V1"}))
    assert runner.keep_finished("k", tmp_path, settings, earlier, {"north-west"}) == ""
    public = [ReportOutcome("london", "London", "ok", 1.0, "", "public", 10, "R0")]
    assert "disclosure control" in runner.keep_finished(
        "k", tmp_path, settings, public, {"north-west"}
    )
    # nothing stays beside them (the first run, or every page made again): keep them
    assert runner.keep_finished("k", tmp_path, settings, earlier, {"london"}) == ""


def test_the_interrupted_line_says_what_was_and_was_not_published() -> None:
    kept = RunInterrupted("k", ["London"], ["North West", "Overview: all regions"], "")
    assert kept.line().startswith("interrupted: published 1 of 3 reports (London)")
    assert "not published: North West, Overview: all regions" in kept.line()
    held = RunInterrupted("k", [], ["London", "North West"], "made from other clean data")
    assert "nothing published (made from other clean data)" in held.line()
    assert "workbook report k" in held.line()
    none = RunInterrupted("k", [], ["London"], "")
    assert "before any of the 1 reports finished" in none.line()
    assert isinstance(kept, KeyboardInterrupt)


def test_ctrl_c_before_the_reports_start_exits_130_with_one_line(
    tiny: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(paths, "ROOT", tiny)

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_reports", interrupted)
    assert cli.main(["report", "tiny"]) == 130
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "workbook: interrupted before anything was written: the outputs already there "
        "are as they were."
    ]


def test_ctrl_c_after_validation_names_the_clean_data_written_in_full(
    tiny: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    # the run validated (the clean data swapped in whole), then was stopped before any
    # report: the line must not say that every output is as it was
    monkeypatch.setattr(paths, "ROOT", tiny)

    def validated_then_interrupted(name: str, **kwargs):
        kwargs["prepare"](name, tiny, runner.run_settings(None, None, None, None, None))
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_reports", validated_then_interrupted)
    assert cli.main(["report", "tiny"]) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "workbook: interrupted after writing data/clean/tiny in full; nothing else was "
        "changed: the other outputs already there are as they were."
    )
    assert (tiny / "data" / "clean" / "tiny" / "responses.parquet").is_file()


# --- the report line -------------------------------------------------------------------------


def test_a_report_line_is_one_line_whatever_the_error() -> None:
    ok = ReportOutcome("london", "London", "ok", 1.23)
    where = Path("/srv/reports/k/executed/london.ipynb")
    assert ReportDone(3, 10, "London", ok, where).line() == "[3/10] London ok 1.2 s"
    died = ReportOutcome(
        "london", "London", "failed", 0.0,
        "Traceback (most recent call last):\n  File x\nBrokenProcessPool: a worker died",
    )  # fmt: skip
    line = ReportDone(4, 10, "London", died, where).line()
    assert "\n" not in line
    assert line == (
        "[4/10] London FAILED after 0.0 s: BrokenProcessPool: a worker died; see "
        "/srv/reports/k/executed/london.ipynb"
    )
    long = ReportOutcome("london", "London", "failed", 2.0, "ValueError: " + "x" * 900)
    assert len(ReportDone(1, 1, "London", long, where).line()) < 300


# --- flags, names, paths ---------------------------------------------------------------------


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert re.fullmatch(r"workbook \d+\.\d+\.\d+\S*\n", capsys.readouterr().out)


@pytest.mark.parametrize(
    "argv",
    [
        ["-q", "--no-progress", "report", "x"],
        ["report", "x", "-q", "--no-progress"],
        ["-q", "report", "x", "--no-progress"],
        ["report", "-q", "x", "--jobs", "2", "--no-progress"],
    ],
)
def test_global_flags_go_before_or_after_the_subcommand(argv: list[str]) -> None:
    args = cli.build_parser().parse_args(argv)
    assert args.quiet and args.no_progress and args.consultation == "x"


def test_global_flags_default_to_off_in_either_place() -> None:
    args = cli.build_parser().parse_args(["validate", "x"])
    assert not args.quiet and not args.no_progress
    assert cli.build_parser().parse_args(["-q", "validate", "x"]).quiet


def test_jobs_0_means_one_per_core(tiny: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(paths, "ROOT", tiny)
    asked: dict[str, object] = {}

    def record(name: str, **kwargs):
        asked.update(kwargs, name=name)
        return outcomes.RunResult(index=tiny / "index.html", outcomes=[])

    monkeypatch.setattr(runner, "run_reports", record)
    assert cli.main(["report", "tiny", "--jobs", "0"]) == 0
    assert asked["jobs"] == 0 and asked["name"] == "tiny"
    assert runner.workers_for(0, 1000) == (os.cpu_count() or 1)
    assert runner.workers_for(0, 1) == 1 and runner.workers_for(3, 10) == 3
    assert cli.main(["report", "tiny", "--jobs", "-1"]) == 2
    assert "--jobs must be 0 (one per CPU core) or more" in capsys.readouterr().err


def test_a_consultation_not_there_lists_the_ones_there_are(
    tiny: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(paths, "ROOT", tiny)
    for argv in (["validate", "tny"], ["report", "data/raw/tny"]):
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert "Consultations in" in err and err.rstrip().endswith(": tiny")
        assert "data/raw/data/raw" not in err


def test_a_path_is_taken_as_the_name_and_never_doubles_data_raw(
    tiny: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(elsewhere)  # a relative path is read from the project root too
    for text in (
        "data/raw/tiny",
        "./data/raw/tiny/",
        str(tiny / "data" / "raw" / "tiny"),
        str(tiny / "data" / "raw" / ".." / "raw" / "tiny"),
    ):
        assert paths.consultation_name(text, tiny) == "tiny", text
    monkeypatch.chdir(tiny)
    assert paths.consultation_name("data/raw/tiny", tiny) == "tiny"
    for outside in ("data/raw", "data/raw/tiny/..", "../tiny", "/etc", "data/clean/tiny"):
        with pytest.raises(InputError) as refused:
            paths.consultation_name(outside, tiny)
        assert "data/raw/data/raw" not in str(refused.value)


def test_validate_and_report_take_a_path(
    tiny: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(paths, "ROOT", tiny)
    assert cli.main(["-q", "validate", str(tiny / "data" / "raw" / "tiny")]) == 0
    assert capsys.readouterr().out.startswith("tiny: ")
    assert (tiny / "data" / "clean" / "tiny").is_dir()
    assert not (tiny / "data" / "clean" / "data").exists()


# --- log lines and the stale mark ------------------------------------------------------------


@pytest.mark.parametrize(
    "logger", ["workbook.disclosure", "pipelines.report.runner", "py.warnings"]
)
def test_log_lines_are_in_the_user_s_words(logger: str) -> None:
    formatter = cli._UserWords()
    info = logging.LogRecord(logger, logging.INFO, __file__, 1, "settings: %s", ("{}",), None)
    warn = logging.LogRecord(logger, logging.WARNING, __file__, 1, "a cell %s", ("left",), None)
    assert re.fullmatch(r"\d\d:\d\d:\d\d workbook: settings: \{\}", formatter.format(info))
    assert re.fullmatch(r"\d\d:\d\d:\d\d workbook: warning: a cell left", formatter.format(warn))
    assert logger not in formatter.format(warn)


def test_the_out_of_date_mark_is_put_once_and_escaped(tmp_path: Path) -> None:
    page = tmp_path / "london.html"
    original = '<body>\n<main id="main">\n<h1>London</h1>\n</main>\n</body>\n'
    page.write_text(original)
    assert promote.mark_stale(page, "Out of date <b>since</b> a run")
    once = page.read_text()
    assert promote.mark_stale(page, "Out of date <b>since</b> a run")
    assert page.read_text() == once and once.count(promote.STALE_ID) == 1
    assert "&lt;b&gt;since&lt;/b&gt;" in once and "<b>" not in once
    assert promote.unmarked(once) == original  # nothing else moved
    other = tmp_path / "other.html"
    other.write_text("<p>not a workbook page</p>")
    assert not promote.mark_stale(other, "x") and other.read_text() == "<p>not a workbook page</p>"


def test_the_stale_note_dates_the_page_from_the_run_that_made_it() -> None:
    failed = ReportOutcome(
        "london", "London", "failed", 1.0, "x", "restricted", 10, "20260701T081500Z"
    )
    note = runner.stale_note(failed, datetime(2026, 12, 5, 6, 15, tzinfo=UTC))
    assert "updated on 5 December 2026" in note and "as they were on 1 July 2026" in note
    unknown = ReportOutcome("london", "London", "failed", 1.0, "x")
    assert "as they were on" not in runner.stale_note(unknown, datetime(2026, 12, 5, tzinfo=UTC))


def test_a_report_that_failed_without_an_earlier_page_is_not_stale(tmp_path: Path) -> None:
    failed = ReportOutcome("london", "London", "failed", 1.0, "x")
    assert not index.is_stale(tmp_path, failed)
    (tmp_path / "london.html").write_text("<p>old</p>")
    assert index.is_stale(tmp_path, failed)
    assert not index.is_stale(tmp_path, ReportOutcome("london", "London", "ok", 1.0))


def test_workers_ignore_ctrl_c_and_stop_on_their_own_signal() -> None:
    """Ctrl-C reaches only the runner (workers leave its process group), which ends them
    with STOP_WORKER: a signal the notebook client never takes over (SIGINT, SIGTERM)."""
    from pipelines.report import workers

    assert workers.STOP_WORKER not in (signal.SIGINT, signal.SIGTERM)
    script = (
        "import os, signal, time\n"
        "from pipelines.report import workers\n"
        "workers.start_worker(False, '.', os.getppid())\n"
        "print(os.getpgid(0) == os.getpid(), signal.getsignal(signal.SIGINT) == signal.SIG_IGN,"
        " signal.getsignal(workers.STOP_WORKER) is workers._end_worker, flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().split() == ["True", "True", "True"]
        os.kill(child.pid, workers.STOP_WORKER)
        assert child.wait(timeout=30) == 128 + workers.STOP_WORKER
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_what_an_interrupted_command_put_in_place_is_named_once_and_briefly(
    tmp_path: Path,
) -> None:
    from pipelines.atomic import listed

    clean = tmp_path / "data" / "clean" / "k"
    clean.mkdir(parents=True)
    inside = clean / "validation.json"  # written in the staging folder, swapped in with it
    inside.write_text("{}")
    files = [tmp_path / f"f{i}.csv" for i in range(5)]
    for path in files:
        path.write_text("x")
    gone = tmp_path / ".k.tmp-1" / "x.json"  # a staging path that no longer exists
    assert listed([gone, inside, clean, clean], tmp_path) == "data/clean/k"
    assert listed([gone], tmp_path) == ""
    assert listed([clean, *files], tmp_path) == "data/clean/k, f0.csv, f1.csv, f2.csv and 2 more"


def test_outputs_put_in_place_are_told_from_a_mark_and_kept_bounded(tmp_path: Path) -> None:
    from pipelines import atomic

    mark = atomic.put_in_place_mark()
    atomic.write_text_atomic(tmp_path / "a.txt", "a")
    with atomic.atomic_directory(tmp_path / "folder") as staging:
        atomic.write_text_atomic(staging / "b.txt", "b")
    assert atomic.put_in_place_since(mark)[0] == tmp_path / "a.txt"
    assert atomic.put_in_place_since(mark)[-1] == tmp_path / "folder"
    assert atomic.listed(atomic.put_in_place_since(mark), tmp_path) == "a.txt, folder"
    assert atomic.all_kept_since(mark)
    limit = atomic._PUT_IN_PLACE.maxlen
    for i in range(limit + 10):
        atomic._put_in_place(tmp_path / f"{i}")
    since = atomic.put_in_place_since(mark)
    assert since == [tmp_path / f"{i}" for i in range(10, limit + 10)]  # the newest kept
    assert not atomic.all_kept_since(mark)  # and the line can say there were more


def test_an_interrupted_report_run_also_names_the_clean_data_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from pipelines import atomic

    monkeypatch.setattr(paths, "ROOT", tmp_path)
    mark = atomic.put_in_place_mark()
    with atomic.atomic_directory(tmp_path / "data" / "clean" / "k"):
        pass
    atomic.write_text_atomic(tmp_path / "reports" / "k" / "index.html", "<p>")
    stop = RunInterrupted("k", [], ["London"], "")
    assert cli._interrupted(stop, "report", mark) == 130
    assert capsys.readouterr().err.strip() == (
        f"workbook: {stop.line()} Written in full before the stop: data/clean/k."
    )
    atomic.write_text_atomic(tmp_path / "data" / "raw" / "k" / "responses.csv", "id\n")
    assert cli._interrupted(KeyboardInterrupt(), "bench", mark) == 130
    assert capsys.readouterr().err.strip() == (
        "workbook: interrupted: what it had written before the stop is left as it is."
    )


def test_a_stop_during_a_folder_swap_comes_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C between the two renames would leave neither the old folder nor the new one
    import os
    import signal

    from pipelines import atomic

    target = tmp_path / "clean"
    target.mkdir()
    (target / "old.txt").write_text("old")
    replace = os.replace
    calls = []

    def interrupted_replace(source, destination) -> None:
        if not calls:
            os.kill(os.getpid(), signal.SIGINT)  # arrives as the swap starts
        calls.append(destination)
        replace(source, destination)

    monkeypatch.setattr(atomic.os, "replace", interrupted_replace)
    # as in a terminal: a shell's background job (`make test &`) starts with SIGINT ignored
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt), atomic.atomic_directory(target) as staging:
            (staging / "new.txt").write_text("new")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert len(calls) == 2  # both renames made before the stop
    assert [p.name for p in tmp_path.iterdir()] == ["clean"]  # no old- or tmp- folder left
    assert [p.name for p in target.iterdir()] == ["new.txt"]
    assert atomic.put_in_place_since(atomic.put_in_place_mark() - 1) == [target]
