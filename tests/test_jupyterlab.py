"""JupyterLab with live widgets: each notebook that shows a widget is run in a real JupyterLab in
headless Chromium, a control of the widget is moved, and its output must change.

The notebooks with widgets are found by scanning: a notebook that imports ipywidgets, or calls a
kamlib function that builds one (a function whose source imports ipywidgets), is tested, so a new
chapter's widget is covered without editing this file. JupyterLab runs on 127.0.0.1 with a token,
on a temporary copy of the notebooks, its kernels on ipc sockets (no TCP port to race for), and
only after the book build has finished (``book_build_finished`` in conftest.py).
"""

from __future__ import annotations

import inspect
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from helpers import ERRORS_JS, PANEL_JS, RUN_ALL_JS

import kamlib

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
STARTUP_TIMEOUT = 60  # seconds for JupyterLab to answer
RUN_TIMEOUT = 240_000  # milliseconds for a notebook to run in the browser
pytestmark = pytest.mark.slow


def _widget_functions() -> set[str]:
    """Names of kamlib's public functions that build an ipywidgets widget."""
    import importlib
    import pkgutil

    names = set()
    for module in pkgutil.iter_modules(kamlib.__path__):
        if module.name.startswith("_"):
            continue
        mod = importlib.import_module(f"kamlib.{module.name}")
        for name, obj in vars(mod).items():
            if (
                inspect.isfunction(obj)
                and obj.__module__ == mod.__name__
                and "import ipywidgets" in inspect.getsource(obj)
            ):
                names.add(name)
    return names


def _widget_notebooks() -> list[Path]:
    calls = re.compile(r"\b(?:" + "|".join(sorted(_widget_functions())) + r")\(")
    found = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        if "ipywidgets" in code or calls.search(code):
            found.append(path)
    return found


WIDGET_NOTEBOOKS = _widget_notebooks()


def test_the_known_widget_notebooks_are_found():
    # The scan finds at least today's two widgets (chapter 3's weights, chapter 5's CLV).
    names = {p.name for p in WIDGET_NOTEBOOKS}
    assert {"03_selecting_and_prospecting.ipynb", "05a_clv_basics.ipynb"} <= names
    assert {"weight_explorer", "clv_explorer"} <= _widget_functions()


@pytest.fixture(scope="module")
def lab(book_build_finished, tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 (a free port chosen by the server) over a copy of the
    notebooks; yields ``(base_url, token, folder)``."""
    folder = tmp_path_factory.mktemp("lab") / "notebooks"
    shutil.copytree(NOTEBOOKS, folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    # Unix socket paths must stay short (about 100 characters): a short folder of our own.
    runtime = Path(tempfile.mkdtemp(prefix="kl-"))
    token = secrets.token_hex(16)
    command = [
        str(Path(sys.executable).parent / "jupyter-lab"),
        *("--no-browser", "--allow-root", "--ip=127.0.0.1", "--port=0"),
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={folder}",
        "--KernelManager.transport=ipc",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "JUPYTERLAB_SETTINGS_DIR": str(runtime / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(runtime / "workspaces"),
    }
    # Draw every cell, not only those on screen (JupyterLab's default hides the others).
    settings = runtime / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    # No question about fetching Jupyter news (the browser could not reach it anyway).
    news = runtime / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    log = open(folder.parent / "lab.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        info = None
        while info is None and time.monotonic() < deadline and server.poll() is None:
            files = list(runtime.glob("jpserver-*.json"))
            info = json.loads(files[0].read_text()) if files else None
            time.sleep(0.3)
        if info is None:
            pytest.fail(
                f"JupyterLab did not start within {STARTUP_TIMEOUT} s:\n"
                + (folder.parent / "lab.log").read_text()[-3000:],
                pytrace=False,
            )
        yield f"http://127.0.0.1:{info['port']}", token, folder
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(runtime, ignore_errors=True)


# What the widget shows: its output area's images and text (changes when the output is redrawn).
SHOWN_JS = """(widget) => {
  const out = widget.querySelector('.widget-output, .jupyter-widgets-output-area');
  if (!out) return null;
  const images = Array.from(out.querySelectorAll('img')).map((i) => i.src.slice(-400));
  return JSON.stringify({images, text: out.innerText});
}"""


@pytest.mark.parametrize("path", WIDGET_NOTEBOOKS, ids=lambda p: p.name)
def test_widget_output_changes_when_its_control_moves(path, lab, offline_page, screenshot):
    base, token, _folder = lab
    tab = offline_page(viewport={"width": 1400, "height": 1000})
    page = tab.page
    # A workspace of its own, reset: no tab restored from another test.
    workspace = path.stem.replace("_", "-")
    page.goto(
        f"{base}/lab/workspaces/{workspace}/tree/{path.name}?reset&token={token}",
        wait_until="domcontentloaded",
    )
    try:
        panel = page.wait_for_function(PANEL_JS, arg=path.name, timeout=60_000).json_value()
        ran = page.evaluate(RUN_ALL_JS, RUN_TIMEOUT)
        errors = page.evaluate(ERRORS_JS)
        assert ran is True and not errors, f"the run ended with {ran!r}, errors: {errors[:2]}"
        widget = page.locator(f"[id='{panel}'] .jp-OutputArea-output .widget-vbox").first
        widget.wait_for(state="visible", timeout=30_000)
    except Exception as error:
        pytest.fail(f"{path.name}: {error}\nscreenshot: {screenshot(page, 'run')}", pytrace=False)
    widget.scroll_into_view_if_needed()
    page.wait_for_function(SHOWN_JS, arg=widget.element_handle(), timeout=30_000)
    page.wait_for_function(
        "(w) => w.querySelector('.widget-output img, .jupyter-widgets-output-area img')",
        arg=widget.element_handle(),
        timeout=30_000,
    )
    before = widget.evaluate(SHOWN_JS)

    # Move the first slider to the other end of its range, by typing into its readout.
    handle = widget.locator(".noUi-handle").first
    low, high, now = (
        float(handle.get_attribute(a)) for a in ("aria-valuemin", "aria-valuemax", "aria-valuenow")
    )
    target = low if now - low > high - now else high
    readout = widget.locator(".widget-readout").first
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{target:g}")
    page.keyboard.press("Enter")
    try:
        page.wait_for_function(
            "([w, before]) => { const f = " + SHOWN_JS + "; const now = f(w);"
            " return now !== null && now !== before && /img/.test(w.innerHTML); }",
            arg=[widget.element_handle(), before],
            timeout=30_000,
        )
    except Exception:
        pytest.fail(
            f"{path.name}: the widget's output did not change after moving its first slider "
            f"from {now:g} to {target:g}; screenshot: {screenshot(page, 'moved')}"
        )
    moved = float(handle.get_attribute("aria-valuenow"))
    assert moved == pytest.approx(target), f"the slider shows {moved}, not {target}"
    assert not tab.remote, f"requests to other machines: {tab.remote[:5]}"
