"""Shared pytest fixtures and hooks.

- ``book_html``: the book, built once per test run whatever the scheduling (see below).
- A summary of how long each notebook took to run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
BUILD_TIMEOUT = 1200  # seconds; the design budget for a fresh build is 10 minutes
LOG_TAIL = 30  # lines of the build log shown when it fails
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colour codes in the log


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


@pytest.fixture(scope="session")
def book_html(tmp_path_factory, worker_id) -> Path:
    """The HTML book built into a fresh folder with warnings as errors, once per test run.

    Two xdist workers that both ran the build would execute the same notebooks into the one
    jupyter-cache in ``_build/`` at once, and one of them dies (``FileExistsError``). So the
    first worker to arrive builds under a lock and records the outcome; the others wait for the
    lock and reuse it, a failure included (with the same message, without building again).
    """
    shared = _run_directory(tmp_path_factory, worker_id)
    record = shared / "book-build.json"
    with FileLock(str(shared / "book-build.lock")):
        if not record.exists():
            record.write_text(json.dumps(_build_book(shared / "book")), encoding="utf-8")
    outcome = json.loads(record.read_text(encoding="utf-8"))
    if not outcome["ok"]:
        pytest.fail(outcome["error"], pytrace=False)
    return Path(outcome["html"])


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
