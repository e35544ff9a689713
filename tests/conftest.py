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
