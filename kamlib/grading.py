"""Grade a class's notebooks in one command (instructor tool, not shipped to students).

``python -m kamlib.grading SUBMISSIONS`` (``make grade SUBMISSIONS=folder``) takes one
sub-folder per student (holding that student's notebooks, named as the course's) or one
``.ipynb`` file per student (then ``--notebook NAME`` says which workbook it is). For each
submission it

1. rebuilds the notebook from the student copy of the course notebook (``kamlib.release``),
   taking from the submission only its answer cells, matched by their nbgrader ``grade_id``: every
   other cell, check cells included, is the original, so an edited or deleted check cell is
   restored and a cell that prints "correct" is not even run;
2. adds after each check cell a capture cell that writes the answer out as plain data;
3. runs it in a temporary folder, in a fresh kernel (ipc transport) with a time limit per cell,
   on the student release's copy of kamlib (which has no plain answers to read);
4. compares each captured answer with the answer key *in this process*, so redefining ``check``
   or patching kamlib inside the kernel changes nothing.

It writes ``gradebook.csv`` (student, notebook, exercise, points, max_points, status) and one
``feedback/<student>.md`` per student into the output folder. A broken submission (invalid
JSON, a crashed kernel, an endless loop) is recorded as such, and the batch goes on. Memos
(manually graded cells) get the status "to grade by hand" and their text in the feedback file.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kamlib.exercises import core

ROOT = Path(__file__).resolve().parents[1]
CHECK_CALL = re.compile(r"""^\s*check\(\s*["']([\w.]+)["']\s*,\s*(.+?)\s*\)\s*$""", re.S)
FIELDS = ["student", "notebook", "exercise", "points", "max_points", "status"]


@dataclass
class Row:
    student: str
    notebook: str
    exercise: str
    points: float | str
    max_points: float
    status: str
    message: str = ""


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _exercises(source_nb) -> list[tuple[str, str, str]]:
    """(exercise id, kind 'auto'|'manual', grade_id) of a source notebook, in order."""
    found = []
    for cell in source_nb.cells:
        meta = _nbgrader(cell)
        if not meta.get("grade"):
            continue
        match = CHECK_CALL.match(cell.source) if cell.cell_type == "code" else None
        if match:
            found.append((match.group(1), "auto", meta["grade_id"]))
        elif cell.cell_type == "markdown" and meta.get("solution"):
            eid = meta["grade_id"].removeprefix("ex_").removesuffix("_memo").replace("_", ".")
            found.append((eid, "manual", meta["grade_id"]))
    return found


_CAPTURE = """\
import json as _kamlib_json
from kamlib.exercises.core import to_jsonable as _kamlib_to_jsonable
try:
    _kamlib_value = _kamlib_to_jsonable({expr})
except NameError as _kamlib_error:
    _kamlib_value = {{"type": "error", "value": str(_kamlib_error)}}
print("{nonce}" + _kamlib_json.dumps(_kamlib_value))
"""


def _assemble(source_nb, submission_nb, nonce: str):
    """The notebook that is run: the original cells, the student's answers, capture cells."""
    import nbformat
    from nbformat.v4 import new_code_cell

    from kamlib.release import release_notebook

    student_cells = {}
    for cell in submission_nb.cells if submission_nb is not None else []:
        meta = _nbgrader(cell)
        if meta.get("solution") and meta.get("grade_id"):
            student_cells.setdefault(meta["grade_id"], cell)
    skeleton = release_notebook(source_nb)
    cells, captures, missing = [], {}, set()
    for cell in skeleton.cells:
        meta = _nbgrader(cell)
        if meta.get("solution"):
            given = student_cells.get(meta.get("grade_id"))
            if given is None:
                missing.add(meta.get("grade_id"))
            else:
                cell = nbformat.from_dict(dict(given))
                cell.metadata["nbgrader"] = dict(meta)
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
        cells.append(cell)
        match = CHECK_CALL.match(cell.source) if cell.cell_type == "code" else None
        if match and meta.get("grade"):
            capture = new_code_cell(_CAPTURE.format(expr=match.group(2), nonce=nonce))
            captures[match.group(1)] = capture
            cells.append(capture)
    skeleton.cells = cells
    return skeleton, captures, missing, student_cells


def _captured(cell, nonce: str) -> dict | None:
    for output in cell.get("outputs", []):
        text = output.get("text", "") if output.get("output_type") == "stream" else ""
        for line in text.splitlines():
            if line.startswith(nonce):
                return json.loads(line[len(nonce) :])
    return None


def _release_package(workdir: Path) -> Path:
    """The student release's copy of kamlib (no plain answers), for the grading kernels."""
    from kamlib.release import INSTRUCTOR_FILES

    target = workdir / "kamlib-release"
    if not target.exists():
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(ROOT / "kamlib", target / "kamlib", ignore=ignore)
        for pattern in INSTRUCTOR_FILES:
            for path in (target / "kamlib").glob(pattern):
                path.unlink()
    return target


def grade_submission(
    student: str,
    submission: Path,
    source: Path,
    *,
    timeout: float = 120,
    key: dict | None = None,
    workdir: Path | None = None,
) -> tuple[list[Row], str]:
    """Grade one student's copy of one notebook; return its rows and its feedback text."""
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    source_nb = nbformat.read(source, as_version=4)
    exercises = _exercises(source_nb)
    entries = core._key() if key is None else key

    def rows(status_of):
        out = []
        for eid, kind, _ in exercises:
            most = entries.get(eid, {}).get("points", 0)
            points, status, message = status_of(eid, kind)
            out.append(Row(student, source.name, eid, points, most, status, message))
        return out

    try:
        submission_nb = nbformat.read(submission, as_version=4)
    except Exception as exc:  # invalid JSON, not a notebook, unreadable file
        why = f"invalid notebook ({type(exc).__name__})"
        return rows(lambda e, k: (0, why, "the file could not be read as a notebook")), why

    nonce = f"KAMLIB-ANSWER-{secrets.token_hex(8)}:"
    nb, captures, missing, given = _assemble(source_nb, submission_nb, nonce)
    problem = ""
    with tempfile.TemporaryDirectory(prefix="kamlib-grade-") as tmp:
        run_dir = Path(tmp) / "work"
        if submission.parent.is_dir() and submission.parent.name == student:
            shutil.copytree(submission.parent, run_dir)  # the student's other files, e.g. CSVs
        else:
            run_dir.mkdir()
        package = _release_package(workdir or Path(tmp))
        env = {k: v for k, v in os.environ.items() if not k.startswith("KAMLIB_CHECK")}
        env.setdefault("KAMLIB_DATA", str(ROOT / "datasets"))  # the release copy has no data
        env["PYTHONPATH"] = os.pathsep.join([str(package), env.get("PYTHONPATH", "")]).strip(
            os.pathsep
        )
        # The async manager matters: with a blocking one nbclient waits for a busy kernel's
        # messages without ever reaching its time limit.
        manager = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=f"{tmp}/kernel")
        client = NotebookClient(
            nb,
            km=manager,
            timeout=timeout,
            allow_errors=True,
            interrupt_on_timeout=True,  # a cell over its limit is interrupted, the rest runs
            resources={"metadata": {"path": str(run_dir)}},
        )
        # A loop that ignores the interrupt is stopped by killing its kernel.
        killed = threading.Event()

        def _kill():
            killed.set()
            pid = getattr(getattr(manager, "provisioner", None), "pid", None)
            if pid:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)

        killer = threading.Timer(timeout * 3 + 30, _kill)
        killer.start()
        try:
            client.execute(env=env)
        except CellTimeoutError:
            problem = "time limit reached"
        except DeadKernelError:
            problem = "time limit reached" if killed.is_set() else "kernel died"
        except Exception as exc:  # a kernel that cannot start, a broken cell ...
            problem = f"run failed ({type(exc).__name__})"
        finally:
            killer.cancel()
            if manager.has_kernel:
                run_sync(manager.shutdown_kernel)(now=True)

    timed_out = {
        i
        for i, cell in enumerate(nb.cells)
        if any(o.get("ename") == "KeyboardInterrupt" for o in cell.get("outputs", []))
    }
    first_timeout = min(timed_out) if timed_out else None

    def status_of(eid, kind):
        if kind == "manual":
            grade_id = next(g for e, k, g in exercises if e == eid)
            if grade_id in missing:
                return 0, "memo cell deleted", ""
            return "", "to grade by hand", given[grade_id].source
        capture = captures.get(eid)
        answer_id = f"ex_{eid.replace('.', '_')}_answer"
        if answer_id in missing:
            return 0, "answer cell deleted", ""
        data = _captured(capture, nonce) if capture is not None else None
        if data is None:
            position = nb.cells.index(capture) if capture is not None else -1
            if first_timeout is not None and position > first_timeout:
                return 0, "time limit reached", ""
            return 0, problem or "no answer captured", ""
        if data.get("type") == "error":
            if first_timeout is not None and nb.cells.index(capture) > first_timeout:
                return 0, "time limit reached", data["value"]
            return 0, "error", data["value"]
        feedback = core.check_data(eid, data, entries)
        if feedback.correct:
            return entries[eid]["points"], "correct", feedback.message
        return 0, feedback.status, feedback.message

    graded = rows(status_of)
    return graded, _feedback_text(student, source.name, graded, problem)


def _feedback_text(student: str, notebook: str, rows: list[Row], problem: str) -> str:
    auto = [r for r in rows if isinstance(r.points, int | float)]
    total = sum(r.points for r in auto)
    most = sum(r.max_points for r in rows)
    lines = [f"## {notebook}", "", f"Automatic points: {total:g} of {most:g}."]
    if problem:
        lines.append(f"Note: {problem}.")
    for r in rows:
        if r.status == "to grade by hand":
            lines += [
                "",
                f"- Exercise {r.exercise} (memo, {r.max_points:g} points): graded by hand.",
            ]
            lines += ["", "  " + r.message.replace("\n", "\n  ")]
        else:
            detail = f": {r.message}" if r.message else ""
            lines.append(
                f"- Exercise {r.exercise}: {r.points:g}/{r.max_points:g}, {r.status}{detail}"
            )
    return "\n".join(lines) + "\n"


def find_submissions(
    folder: Path, notebooks: Path, notebook: str | None = None
) -> list[tuple[str, Path, Path]]:
    """(student, submission file, source notebook) for every submission in ``folder``."""
    sources = {p.name: p for p in sorted(notebooks.glob("*.ipynb"))}
    if notebook is not None and not notebook.endswith(".ipynb"):
        notebook += ".ipynb"
    if notebook is not None and notebook not in sources:
        raise SystemExit(f"error: --notebook {notebook} is not one of {sorted(sources)}")
    jobs = []
    for entry in sorted(folder.iterdir()):
        if entry.is_dir():
            for path in sorted(entry.glob("*.ipynb")):
                if path.name in sources and (notebook is None or path.name == notebook):
                    jobs.append((entry.name, path, sources[path.name]))
        elif entry.suffix == ".ipynb":
            name = notebook or (entry.name if entry.name in sources else None)
            if name is None:
                raise SystemExit(
                    f"error: {entry.name} is a bare notebook; say which workbook it is with "
                    f"--notebook (e.g. --notebook 01_meet_the_company)"
                )
            jobs.append((entry.stem, entry, sources[name]))
    return jobs


def _grade_job(job):
    student, submission, source, timeout, key, workdir = job
    start = time.perf_counter()
    rows, text = grade_submission(
        student, submission, source, timeout=timeout, key=key, workdir=workdir
    )
    return student, rows, text, time.perf_counter() - start


def grade_folder(
    folder: str | Path,
    out: str | Path | None = None,
    *,
    notebooks: str | Path = ROOT / "notebooks",
    notebook: str | None = None,
    timeout: float = 120,
    jobs: int = 1,
    key: dict | None = None,
) -> list[Row]:
    """Grade every submission in ``folder``; write the gradebook and feedback into ``out``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SystemExit(f"error: submissions folder {folder} not found")
    out = Path(out) if out is not None else folder.with_name(folder.name + "-graded")
    found = find_submissions(folder, Path(notebooks), notebook)
    all_rows: list[Row] = []
    feedback: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="kamlib-grading-") as shared:
        _release_package(Path(shared))
        work = [(s, p, src, timeout, key, Path(shared)) for s, p, src in found]
        if jobs > 1:
            with ProcessPoolExecutor(jobs) as pool:
                results = pool.map(_grade_job, work)
                results = list(_progress(results, len(work)))
        else:
            results = list(_progress(map(_grade_job, work), len(work)))
    for student, rows, text, _ in results:
        all_rows += rows
        feedback.setdefault(student, []).append(text)
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    with open(out / "gradebook.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for r in all_rows:
            writer.writerow([r.student, r.notebook, r.exercise, r.points, r.max_points, r.status])
    for student, texts in feedback.items():
        body = f"# Feedback for {student}\n\n" + "\n".join(texts)
        (out / "feedback" / f"{student}.md").write_text(body, encoding="utf-8")
    print(
        f"Wrote {out / 'gradebook.csv'} ({len(all_rows)} rows) and {len(feedback)} feedback file(s)"
    )
    return all_rows


def _progress(results, total: int):
    for number, result in enumerate(results, start=1):
        student, rows, _, seconds = result
        auto = sum(r.points for r in rows if isinstance(r.points, int | float))
        most = sum(r.max_points for r in rows)
        notebook = rows[0].notebook if rows else "?"
        print(
            f"[{number}/{total}] {student} {notebook}: {auto:g}/{most:g} points ({seconds:.0f} s)"
        )
        sys.stdout.flush()
        yield result


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m kamlib.grading SUBMISSIONS [--out DIR] [--notebook NAME]``."""
    parser = argparse.ArgumentParser(
        prog="python -m kamlib.grading", description=__doc__.split("\n")[0]
    )
    parser.add_argument("submissions", help="one sub-folder or .ipynb file per student")
    parser.add_argument("--out", help="output folder (default: SUBMISSIONS-graded)")
    parser.add_argument("--notebook", help="the workbook that bare .ipynb files are copies of")
    parser.add_argument("--notebooks", default=str(ROOT / "notebooks"), help="source notebooks")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per cell")
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded at once")
    args = parser.parse_args(argv)
    grade_folder(
        args.submissions,
        args.out,
        notebooks=args.notebooks,
        notebook=args.notebook,
        timeout=args.timeout,
        jobs=args.jobs,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
