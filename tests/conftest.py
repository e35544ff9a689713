"""Shared fixtures: where the repository, the notebooks and the venv's tools are."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's top folder (where _config.yml and the Makefile are)."""
    return ROOT


@pytest.fixture(scope="session")
def notebooks_dir() -> Path:
    """The folder of the workbook notebooks."""
    return NOTEBOOKS


@pytest.fixture(scope="session")
def venv_bin() -> Path:
    """The folder of the running Python's scripts (jupyter-book, ruff, ...)."""
    return Path(sys.executable).parent


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
