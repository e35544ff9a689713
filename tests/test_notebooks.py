"""Every workbook notebook: clean on disk, runs with its solutions, and its student copy runs.

The notebooks are found when the tests are collected, so a new notebook in ``notebooks/`` is
tested without editing this file. Each is executed with nbclient in the ``notebooks/`` folder
(as JupyterLab and the book build do) on the ``python3`` kernel of the Python running pytest.
``KAMLIB_CHECK_MODE`` makes every check cell strict (see ``kamlib.exercises.core.check``):
with ``solutions`` a check that is not correct raises, with ``release`` a check that is not
"not attempted" raises.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError
from nbformat.v4 import new_code_cell, new_notebook

from kamlib.release import release_notebook

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
CHECK_CALL = re.compile(r"""\bcheck\(\s*["']\d+\.\d+["']""")
# Per-cell guard against a hung kernel only. Speed is reported (summary table), not asserted:
# a cold first run on a busy 2-core machine once took 66 s for a notebook that usually takes 8 s.
CELL_TIMEOUT = 300


def _run(nb, folder, monkeypatch, mode: str, timeout: int = CELL_TIMEOUT) -> float:
    """Execute ``nb`` top to bottom in ``folder`` with the given check mode; return seconds."""
    monkeypatch.setenv("KAMLIB_CHECK_MODE", mode)
    # Kernels talk over local sockets (ipc), not TCP: kernels started at the same moment by the
    # two test workers and the book build could otherwise pick the same free port (a known
    # jupyter_client race) and stall a run for minutes. The async manager, because with the
    # blocking one nbclient never enforces the cell timeout (a hung cell would hang the suite).
    with tempfile.TemporaryDirectory(prefix="kamlib-kernel-") as sockets:
        client = NotebookClient(
            nb,
            km=AsyncKernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets}/kernel"),
            timeout=timeout,
            resources={"metadata": {"path": str(folder)}},
        )
        start = time.perf_counter()
        client.execute()
        return time.perf_counter() - start


def test_there_are_notebooks_to_test():
    assert PATHS, f"no notebook found in {NOTEBOOKS}"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        number
        for number, cell in enumerate(nb.cells, start=1)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: clear the outputs of cell(s) {dirty} before committing"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_has_exercise_checks_and_solutions(path):
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    assert CHECK_CALL.search(code), f"{path.name}: no check('N.k', ...) cell"
    assert "### BEGIN SOLUTION" in code, f"{path.name}: no solution block to release"


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_runs_with_every_check_correct(path, monkeypatch, record_property):
    nb = nbformat.read(path, as_version=4)
    seconds = _run(nb, path.parent, monkeypatch, "solutions")
    record_property("notebook_seconds", round(seconds, 1))


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_student_release_runs_with_every_check_not_attempted(path, monkeypatch, record_property):
    source = path.read_bytes()
    student = release_notebook(nbformat.read(path, as_version=4), name=path.name)
    seconds = _run(student, path.parent, monkeypatch, "release")
    record_property("release_seconds", round(seconds, 1))
    assert path.read_bytes() == source  # releasing and running never touch the source


@pytest.mark.slow
def test_a_hung_cell_is_stopped_by_the_cell_timeout(tmp_path, monkeypatch):
    nb = new_notebook(cells=[new_code_cell("import time\ntime.sleep(120)")])
    start = time.perf_counter()
    with pytest.raises(CellTimeoutError):
        _run(nb, tmp_path, monkeypatch, "solutions", timeout=3)
    assert time.perf_counter() - start < 60


@pytest.mark.slow
def test_kernel_is_the_python_running_the_tests(tmp_path, monkeypatch):
    # nbclient's "python3" kernel must be this environment's Python (the one with kamlib),
    # not whatever "python" comes first on the PATH.
    nb = new_notebook(
        cells=[new_code_cell("import os, sys\nprint(sys.prefix)\nprint(os.getcwd())")]
    )
    _run(nb, tmp_path, monkeypatch, "solutions")
    prefix, cwd = nb.cells[0].outputs[0]["text"].split()
    assert prefix == sys.prefix
    assert cwd == str(tmp_path)
