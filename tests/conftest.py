"""Shared pytest fixtures and hooks.

- ``book_html``: the book, built once per test run whatever the scheduling (see below).
- ``browser``, ``offline_page``, ``book_url``, ``screenshot``: headless Chromium (Debian's
  ``chromium``, installed by ``make test``) for the browser, JupyterLab and JupyterHub tests, with
  every request routed and any host but 127.0.0.1 refused.
- A summary of how long each notebook took to run.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
BUILD_TIMEOUT = 1200  # seconds; the design budget for a fresh build is 10 minutes
LOG_TAIL = 30  # lines of the build log shown when it fails
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colour codes in the log
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; playwright never downloads a browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = ROOT / "_build" / "test-artifacts"  # screenshots of pages where a check failed


def _run_directory(tmp_path_factory, worker_id: str) -> Path:
    """A folder shared by every worker of this test run (xdist gives each worker its own)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


def _build_failure(log: str, out: Path) -> str:
    """The real cause of a failed build: its warnings and errors, each failing notebook's
    traceback (jupyter-book saves them under ``reports/``) and the end of the log."""
    lines = ANSI.sub("", log).splitlines()
    problems = [line for line in lines if "WARNING" in line or "ERROR" in line]
    problems = [line for line in problems if "running over TCP without encryption" not in line]
    message = ["jupyter-book build failed.", "Warnings and errors:", *problems]
    for report in sorted(out.rglob("reports/**/*.err.log")):
        message += [
            f"--- traceback saved in {report.relative_to(out)} ---",
            ANSI.sub("", report.read_text()),
        ]
    return "\n".join([*message, f"--- last {LOG_TAIL} lines of the log ---", *lines[-LOG_TAIL:]])


def _build_book(out: Path) -> dict:
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        *("build", ".", "-W", "-n", "--keep-going", "--path-output", str(out)),
    ]
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as error:
        log = (error.stdout or b"").decode() if isinstance(error.stdout, bytes) else error.stdout
        return {"ok": False, "error": f"timed out after {BUILD_TIMEOUT} s\n" + (log or "")}
    if done.returncode != 0:
        return {"ok": False, "error": _build_failure(done.stdout + done.stderr, out)}
    return {"ok": True, "html": str(out / "_build" / "html")}


def _book_outcome(tmp_path_factory, worker_id: str) -> dict:
    """Build the book once per run (the first worker to arrive) and return the outcome."""
    shared = _run_directory(tmp_path_factory, worker_id)
    record = shared / "book-build.json"
    with FileLock(str(shared / "book-build.lock")):
        if not record.exists():
            record.write_text(json.dumps(_build_book(shared / "book")), encoding="utf-8")
    return json.loads(record.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def book_html(tmp_path_factory, worker_id) -> Path:
    """The HTML book built into a fresh folder with warnings as errors, once per test run.

    Two xdist workers that both ran the build would execute the same notebooks into the one
    jupyter-cache in ``_build/`` at once, and one of them dies (``FileExistsError``). So the
    first worker to arrive builds under a lock and records the outcome; the others wait for the
    lock and reuse it, a failure included (with the same message, without building again).
    """
    outcome = _book_outcome(tmp_path_factory, worker_id)
    if not outcome["ok"]:
        pytest.fail(outcome["error"], pytrace=False)
    return Path(outcome["html"])


@pytest.fixture(scope="session")
def book_build_finished(tmp_path_factory, worker_id) -> None:
    """Wait until the book build of this run is over (building it if no worker has yet).

    The free-port race: the build's kernels are started by myst-nb, jupyter-cache and nbclient,
    which give their KernelManager no configuration, so they use TCP on ports that
    jupyter_client picks as free a moment before the kernel binds them; any process binding a
    port in between can take one, and the kernel stalls. Every other kernel of the suite uses ipc
    sockets (notebook tests, JupyterLab and the hub's single-user servers), so it needs no port;
    and everything of ours that binds ports (web servers, Chromium, JupyterLab, JupyterHub and
    its proxy) starts only after this fixture, when no build kernel is left.
    """
    _book_outcome(tmp_path_factory, worker_id)


@pytest.fixture(scope="session")
def browser(book_build_finished):
    """Headless Chromium through playwright, closed at the end of the run (started after the
    book build: see ``book_build_finished``)."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class OfflinePage:
    """A fresh browser page whose requests are all routed: a request to any host but 127.0.0.1
    is refused and recorded in ``remote``; console errors and uncaught exceptions are recorded
    in ``errors``."""

    def __init__(self, browser, **context_options):
        self.context = browser.new_context(**context_options)
        self.remote: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _route(self, route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.remote.append(url)
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def close(self):
        self.context.close()


@pytest.fixture
def offline_page(browser):
    """A factory of :class:`OfflinePage` objects, all closed after the test."""
    made = []

    def make(**context_options) -> OfflinePage:
        made.append(OfflinePage(browser, **context_options))
        return made[-1]

    yield make
    for page in made:
        page.close()


@pytest.fixture
def screenshot(request):
    """``screenshot(page, label)`` saves a full-page PNG under _build/test-artifacts and returns
    its path, for the failure message."""

    def take(page, label: str) -> str:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", f"{request.node.name}-{label}")[:150]
        path = ARTIFACTS / f"{name}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception as error:  # a crashed page still gets its failure reported
            return f"(no screenshot: {error})"
        return str(path)

    return take


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def book_url(book_html):
    """The built book served over HTTP on 127.0.0.1 (a free port) by a thread of this run."""
    handler = functools.partial(_QuietHandler, directory=str(book_html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def pytest_terminal_summary(terminalreporter):
    """List how long each notebook took to run (recorded by tests/test_notebooks.py)."""
    rows = []
    for report in terminalreporter.stats.get("passed", []):
        for name, value in getattr(report, "user_properties", []):
            if name in ("notebook_seconds", "release_seconds"):
                rows.append((report.nodeid.split("[")[-1].rstrip("]"), name, value))
    if rows:
        terminalreporter.section("notebook run times (seconds)")
        for notebook, name, value in sorted(rows):
            kind = "solutions" if name == "notebook_seconds" else "student release"
            terminalreporter.write_line(f"{notebook:45s} {kind:16s} {value:6.1f}")
