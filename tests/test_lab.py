"""JupyterLab for analysts: the server, the project kernel, the exploration notebook's charts.

* A JupyterLab server from the venv (free localhost port, token auth, temporary runtime,
  config and settings folders; always shut down) lists the project kernel that
  ``scripts/register_kernel.sh`` (what ``make lab`` runs) registers.
* Headless Chromium opens ``15_explore.ipynb`` in that JupyterLab, runs all cells and finds
  every chart rendered by the offline widget, while every request
  that is not to localhost is blocked and recorded (there must be none).
* The analysts' notebooks run with the plain ``papermill`` CLI on the demo data in a scratch
  project tree (``WORKBOOK_ROOT``); the report notebooks are run by test_end_to_end.py.
  test_project.py checks that committed notebooks carry no outputs.

Set ``WORKBOOK_SCREENSHOTS=/some/folder`` to keep screenshots of the notebook in JupyterLab.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from browser_support import LAUNCH_ARGS, require_chromium

from pipelines.paths import NOTEBOOKS_DIR

PROJECT = NOTEBOOKS_DIR.parent
BIN = Path(sys.executable).parent
EXPLORE = NOTEBOOKS_DIR / "15_explore.ipynb"
KERNEL = "participation-workbook"
KERNEL_DISPLAY = "Participation Workbook (.venv)"
#: code cells of 15_explore.ipynb that draw a chart (bar, bar, grid, representation,
#: Likert, themes, attendance, actions)
CHARTS = 9
START_TIMEOUT = 60
RUN_TIMEOUT = 60_000  # ms, for Run All Cells in the browser


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    log: Path

    def get(self, path: str) -> dict:
        request = urllib.request.Request(
            f"{self.url}{path}", headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, demo_root: Path) -> Iterator[Lab]:
    """JupyterLab on a free port, serving a copy of the exploration notebook (so a save
    cannot write outputs into the committed one), with the project kernel registered in a
    temporary prefix and pipelines pointed at the validated demo tree."""
    home = tmp_path_factory.mktemp("lab")
    served = home / "notebooks"
    served.mkdir()
    registered = subprocess.run(
        ["bash", str(PROJECT / "scripts" / "register_kernel.sh"), str(home / "prefix")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "VENV_PYTHON": sys.executable},
    )
    assert registered.returncode == 0, registered.stderr
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # every cell in the DOM (no windowing), so each chart can be found and measured
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    news = home / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    token = secrets.token_hex(16)
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_PATH": str(home / "prefix" / "share" / "jupyter"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
        "WORKBOOK_ROOT": str(demo_root),
    }
    log = home / "lab.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [
                str(BIN / "jupyter"),
                "lab",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={served}",
                "--LabApp.news_url=",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--LabApp.extension_manager=readonly",  # no PyPI look-ups from the server
                *(["--allow-root"] if os.geteuid() == 0 else []),  # CI containers run as root
            ],
            stdout=stream,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=home,
        )
    server = Lab(f"http://127.0.0.1:{port}", token, served, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited ({process.returncode}):\n{log.read_text()[-3000:]}")
            try:
                server.get("/api/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"JupyterLab did not answer in {START_TIMEOUT} s:\n{log.read_text()[-3000:]}"
                    )
                time.sleep(0.3)
        yield server
    finally:
        _stop(process)


# --- (a) the server and the project kernel ----------------------------------------------


@pytest.mark.slow
def test_lab_lists_the_project_kernel(lab: Lab) -> None:
    specs = lab.get("/api/kernelspecs")["kernelspecs"]
    assert KERNEL in specs, sorted(specs)
    spec = specs[KERNEL]["spec"]
    assert spec["display_name"] == KERNEL_DISPLAY
    assert Path(spec["argv"][0]) == Path(sys.executable)  # the venv's Python, by absolute path


@pytest.mark.slow
def test_lab_needs_the_token(lab: Lab) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{lab.url}/api/kernelspecs", timeout=10)
    assert refused.value.code == 403


# --- (b) the exploration notebook, run in JupyterLab by headless Chromium ----------------


@dataclass
class Traffic:
    blocked: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        return sorted({u for u in self.blocked + self.websockets if not _is_local(u)})


def _is_local(url: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    return host in ("127.0.0.1", "localhost", "[::1]")


CHARTS_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output .vega-embed')].map(e => {
  const drawn = e.querySelector('canvas, svg.marks');
  const box = drawn ? drawn.getBoundingClientRect() : {width: 0, height: 0};
  return {width: Math.round(box.width), height: Math.round(box.height),
          error: e.closest('.jp-OutputArea-output').innerText.includes('JavaScript Error')};
})"""
PROMPTS_JS = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
  .map(p => p.innerText.trim())"""
ERRORS_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]')]
  .map(e => e.innerText.slice(0, 400))"""


@pytest.fixture(scope="module")
def explored(lab: Lab):
    """Open the notebook in JupyterLab with the project kernel, Run All Cells, wait."""
    from playwright.sync_api import sync_playwright

    chromium = require_chromium()
    notebook = nbformat.read(EXPLORE, as_version=4)
    notebook.metadata["kernelspec"] = {
        "name": KERNEL,
        "display_name": KERNEL_DISPLAY,
        "language": "python",
    }
    nbformat.write(notebook, lab.root / EXPLORE.name)
    shots = os.environ.get("WORKBOOK_SCREENSHOTS")
    traffic = Traffic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=LAUNCH_ARGS, headless=True
        )
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()

            def route(route) -> None:
                url = route.request.url
                if _is_local(url):
                    route.continue_()
                else:
                    traffic.blocked.append(url)
                    route.abort()

            page.route("**/*", route)
            page.on("websocket", lambda ws: traffic.websockets.append(ws.url))
            page.on(
                "console",
                lambda m: (
                    traffic.console_errors.append(m.text[:300]) if m.type == "error" else None
                ),
            )
            page.goto(f"{lab.url}/lab/tree/{EXPLORE.name}?token={lab.token}")
            page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=60_000)
            page.wait_for_selector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
            )
            started = time.monotonic()
            # a Run All sent while the kernel is still connecting can be dropped: retry
            # until a cell is queued or has run
            for _attempt in range(4):
                dialog = page.locator(".jp-Dialog")
                if dialog.count():  # JupyterLab sometimes asks before its kernelspecs load
                    dialog.locator("select").select_option(label=KERNEL_DISPLAY)
                    dialog.get_by_role("button", name="Select").click()
                    page.wait_for_selector(".jp-Dialog", state="detached", timeout=10_000)
                page.locator(".jp-Notebook .jp-Cell").first.click()  # the notebook is active
                page.get_by_role("menuitem", name="Run", exact=True).click()
                page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
                try:
                    page.wait_for_function(
                        f"() => ({PROMPTS_JS})().some(t => /\\[(\\*|\\d+)\\]/.test(t))",
                        timeout=10_000,
                    )
                    break
                except Exception:
                    continue
            try:
                page.wait_for_function(
                    f"""() => {{
                      const p = ({PROMPTS_JS})();
                      return p.length > 0 && p.every(t => /\\[\\d+\\]/.test(t));
                    }}""",
                    timeout=RUN_TIMEOUT,
                )
            except Exception:
                if shots:
                    Path(shots).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(Path(shots) / "lab-timeout.png"))
                pytest.fail(
                    f"Run All Cells did not finish: prompts {page.evaluate(PROMPTS_JS)}, "
                    f"errors {page.evaluate(ERRORS_JS)}, blocked {traffic.blocked[:5]}"
                )
            page.wait_for_function(
                f"() => ({CHARTS_JS})().filter(c => c.width > 0).length >= {CHARTS}",
                timeout=60_000,
            )
            seconds = time.monotonic() - started
            charts = page.evaluate(CHARTS_JS)
            errors = page.evaluate(ERRORS_JS)
            prompts = page.evaluate(PROMPTS_JS)
            first = page.locator(".jp-OutputArea-output .vega-embed").first
            first.scroll_into_view_if_needed()
            if shots:
                folder = Path(shots)
                folder.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(folder / "lab-first-chart.png"))
                likert = page.locator(".jp-OutputArea-output .vega-embed").nth(4)
                likert.scroll_into_view_if_needed()
                page.screenshot(path=str(folder / "lab-likert.png"))
            context.close()
        finally:
            browser.close()
    return {
        "charts": charts,
        "errors": errors,
        "prompts": prompts,
        "seconds": seconds,
        "traffic": traffic,
    }


@pytest.mark.slow
@pytest.mark.browser
def test_every_cell_ran_without_error(explored) -> None:
    assert explored["errors"] == []
    assert all(p.startswith("[") and p[1:-2].isdigit() for p in explored["prompts"])


@pytest.mark.slow
@pytest.mark.browser
def test_every_chart_rendered_interactively(explored) -> None:
    charts = explored["charts"]
    assert len(charts) == CHARTS, charts
    assert all(c["width"] > 200 and c["height"] > 40 and not c["error"] for c in charts), charts


@pytest.mark.slow
@pytest.mark.browser
def test_nothing_left_localhost(explored) -> None:
    assert explored["traffic"].outside() == []


# --- (c) the analysts' notebooks with the plain papermill CLI -------------------------------


def _papermill(notebook: Path, out: Path, root: Path, *parameters: str) -> nbformat.NotebookNode:
    run = subprocess.run(
        [str(BIN / "papermill"), str(notebook), str(out), "--no-progress-bar", *parameters],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=out.parent,  # not the project: notebooks must not depend on the working directory
        env={**os.environ, "WORKBOOK_ROOT": str(root)},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return nbformat.read(out, as_version=4)


def _mimetypes(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        mime
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        for mime in output.get("data", {})
    ]


@pytest.mark.slow
def test_validation_notebook_runs(demo_root: Path, tmp_path: Path) -> None:
    _papermill(NOTEBOOKS_DIR / "10_validation.ipynb", tmp_path / "10.ipynb", demo_root)


@pytest.mark.slow
def test_explore_notebook_runs_with_interactive_charts(demo_root: Path, tmp_path: Path) -> None:
    notebook = _papermill(EXPLORE, tmp_path / "15.ipynb", demo_root)
    mimes = _mimetypes(notebook)
    assert mimes.count("application/vnd.jupyter.widget-view+json") == CHARTS
    assert "image/svg+xml" not in mimes
    exported = demo_root / "data" / "exports" / "demo-care-at-home-2026"  # never under reports/
    csv = exported / "north-west-participation_by_group.csv"
    assert csv.read_bytes().startswith(b"\xef\xbb\xbfgroup,label,responses,percent")


@pytest.mark.slow
def test_explore_notebook_static_switch_and_a_locality(demo_root: Path, tmp_path: Path) -> None:
    notebook = _papermill(
        EXPLORE,
        tmp_path / "15-static.ipynb",
        demo_root,
        *("-p", "charts", "static", "-p", "locality", "Manchester"),
    )
    mimes = _mimetypes(notebook)
    assert mimes.count("image/svg+xml") == CHARTS
    assert "application/vnd.jupyter.widget-view+json" not in mimes
    exported = demo_root / "data" / "exports" / "demo-care-at-home-2026"
    csv = exported / "manchester-participation_by_group.csv"
    assert csv.is_file()
    csv.unlink()
