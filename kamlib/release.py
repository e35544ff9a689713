"""Student copies of the workbook notebooks: solutions removed, outputs cleared.

Solutions in the source notebooks sit between two marker lines (the nbgrader convention)::

    answer_2_1 = ...
    ### BEGIN SOLUTION
    answer_2_1 = orders["revenue"].sum()
    ### END SOLUTION

The student copy keeps the first line and replaces the marked block, markers included, by one
line ``# YOUR CODE HERE`` at the same indentation. From the command line::

    python -m kamlib.release notebooks release

writes one student copy of every ``notebooks/*.ipynb`` into ``release/`` and says how many
solutions it removed from each. ``python -m kamlib.release release`` (what ``make release``
runs) writes the whole student release: ``notebooks/``, ``datasets/`` and the ``kamlib``
package to install, without the instructor's files (the exercise declarations, the plain
answers, the answer-key and grading tools). The student copy of a notebook also drops the
sphinx-exercise solution fences (``{solution-start}``/``{solution-end}`` cells), the
``{exercise}`` fence lines around a prompt, and the model answer of a memo cell. The sources are
never changed.
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import sys
from pathlib import Path

from kamlib.errors import DataError, KamlibError, ParameterError

__all__ = [
    "BEGIN",
    "END",
    "INSTRUCTOR_FILES",
    "PLACEHOLDER",
    "build_release",
    "release_folder",
    "release_notebook",
    "strip_solutions",
]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
PLACEHOLDER = "# YOUR CODE HERE"
#: Files of the kamlib package that never reach students (paths inside ``kamlib/``).
INSTRUCTOR_FILES = (
    "exercises/ch*.py",
    "exercises/answer_key.py",
    "exercises/answers.json",
    "grading.py",
)
_GATE = re.compile(r"^\s*(:::+|```+)\s*\{solution-(start|end)\}")
_EXERCISE_OPEN = re.compile(r"^\s*(:::+|```+)\s*\{exercise\}")
_OPTION = re.compile(r"^\s*:[\w-]+:")


def strip_solutions(
    source: str, *, where: str = "the cell", placeholder: str | None = PLACEHOLDER
) -> tuple[str, int]:
    """Replace each solution block of one cell's source by a placeholder line.

    Parameters
    ----------
    source : str
        The source code of one cell.
    where : str
        How to name the cell in an error message, e.g. ``"01_meet.ipynb, cell 7"``.

    Returns
    -------
    tuple of (str, int)
        The new source and the number of solution blocks removed.

    Raises
    ------
    DataError
        If a ``### BEGIN SOLUTION`` line has no matching ``### END SOLUTION`` line, or the other
        way round, or if two blocks are nested.

    Examples
    --------
    >>> code = "x = ...\\nif True:\\n    ### BEGIN SOLUTION\\n    x = 42\\n    ### END SOLUTION"
    >>> new, removed = strip_solutions(code)
    >>> print(new)
    x = ...
    if True:
        # YOUR CODE HERE
    >>> removed
    1
    """
    if not isinstance(source, str):
        raise ParameterError(
            f"kamlib.release.strip_solutions: source must be a cell's text (str), got "
            f"{type(source).__name__}. Pass cell.source, joined into one string if it is a list."
        )
    kept: list[str] = []
    removed = 0
    inside = False
    for line in source.split("\n"):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise DataError(
                    f"kamlib.release.strip_solutions: {where} has a second '{BEGIN}' before the "
                    f"'{END}' of the first. Close each solution block before opening the next."
                )
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            if placeholder is not None:
                kept.append(indent + placeholder)
        elif marker == END:
            if not inside:
                raise DataError(
                    f"kamlib.release.strip_solutions: {where} has an '{END}' line with no "
                    f"'{BEGIN}' before it. Add the missing '{BEGIN}' line or remove this one."
                )
            inside = False
            removed += 1
        elif not inside:
            kept.append(line)
    if inside:
        raise DataError(
            f"kamlib.release.strip_solutions: {where} has a '{BEGIN}' line with no matching "
            f"'{END}' line. Add '{END}' after the last line of the solution."
        )
    return "\n".join(kept), removed


def _release(nb, name: str):
    """Return (student copy of ``nb``, number of solutions removed)."""
    if not hasattr(nb, "get") or not isinstance(nb.get("cells"), list):
        raise ParameterError(
            f"kamlib.release.release_notebook: {name} is not a notebook (found "
            f"{type(nb).__name__} without a 'cells' list). Read it with nbformat.read first."
        )
    student = copy.deepcopy(nb)
    total = 0
    kept = []
    for number, cell in enumerate(student["cells"], start=1):
        source = cell.get("source", "")
        if isinstance(source, list):  # the on-disk form of a notebook stores lines as a list
            source = "".join(source)
        where = f"{name}, cell {number}"
        if cell.get("cell_type") == "markdown":
            if _GATE.match(source):
                continue  # the book's solution toggle: nothing for a student
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                source, removed = strip_solutions(source, where=where, placeholder=None)
                total += removed
            cell["source"] = _unfence_exercise(source)
        elif cell.get("cell_type") == "code":
            cell["source"], removed = strip_solutions(source, where=where)
            total += removed
            cell["outputs"] = []
            cell["execution_count"] = None
            cell.get("metadata", {}).pop("execution", None)  # run timings of the solution run
        kept.append(cell)
    student["cells"] = kept
    return student, total


def _unfence_exercise(source: str) -> str:
    """Drop the ``{exercise}`` fence and option lines of a prompt (JupyterLab shows them raw)."""
    lines = source.split("\n")
    opened = next((i for i, line in enumerate(lines) if _EXERCISE_OPEN.match(line)), None)
    if opened is None:
        return source
    fence = _EXERCISE_OPEN.match(lines[opened]).group(1)
    end = opened + 1
    while end < len(lines) and _OPTION.match(lines[end]):
        end += 1
    closing = next(
        (i for i in range(len(lines) - 1, end - 1, -1) if lines[i].strip() == fence), None
    )
    body = lines[end:closing] if closing is not None else lines[end:]
    while body and not body[0].strip():
        body = body[1:]
    after = lines[closing + 1 :] if closing is not None else []
    return "\n".join(lines[:opened] + body + after)


def release_notebook(nb, *, name: str = "the notebook"):
    """The student copy of a notebook: solution blocks replaced, outputs and counts cleared.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook as read by ``nbformat.read``. It is not modified.
    name : str
        How to name the notebook in error messages (e.g. its file name).

    Returns
    -------
    nbformat.NotebookNode
        A new notebook. Markdown cells, cell tags and notebook metadata are kept as they are.

    Raises
    ------
    DataError
        If a solution block is not closed (the message names the notebook and the cell).
    ParameterError
        If ``nb`` is not a notebook (no ``cells`` list).

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> cell = new_code_cell("answer = ...\\n### BEGIN SOLUTION\\nanswer = 42\\n### END SOLUTION")
    >>> student = release_notebook(new_notebook(cells=[cell]))
    >>> print(student.cells[0].source)
    answer = ...
    # YOUR CODE HERE
    """
    return _release(nb, name)[0]


def release_folder(src: str | Path, out: str | Path) -> dict[str, int]:
    """Write the student copy of every ``.ipynb`` notebook in ``src`` into ``out``.

    Parameters
    ----------
    src : path-like
        Folder with the source notebooks (with solutions). Not searched recursively.
    out : path-like
        Folder for the student copies; created if missing. Files of the same name are replaced.

    Returns
    -------
    dict
        Number of solutions removed, by notebook file name.

    Raises
    ------
    ParameterError
        If ``src`` is not a folder, holds no notebook, or is the same folder as ``out``.
    DataError
        If a notebook has an unclosed solution block; nothing is written in that case.
    """
    import nbformat  # only needed here; keeps `import kamlib.release` light

    for name, value in (("src", src), ("out", out)):
        if not isinstance(value, str | Path):
            raise ParameterError(
                f"kamlib.release.release_folder: {name} must be a folder path (str or Path), "
                f"got {type(value).__name__} {value!r}."
            )
    src, out = Path(src), Path(out)
    if not src.is_dir():
        raise ParameterError(
            f"kamlib.release.release_folder: src folder {src} not found. Give the folder that "
            f"holds the source notebooks, e.g. notebooks."
        )
    if out.resolve() == src.resolve():
        raise ParameterError(
            f"kamlib.release.release_folder: out is the same folder as src ({src}). Choose another "
            f"out folder (e.g. release) so that the source notebooks keep their solutions."
        )
    paths = sorted(src.glob("*.ipynb"))
    if not paths:
        raise ParameterError(
            f"kamlib.release.release_folder: no .ipynb file in {src}. Check the src folder."
        )
    # Release everything in memory first, so an error leaves no half-written release behind.
    released = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        released[path.name] = _release(nb, path.name)
    out.mkdir(parents=True, exist_ok=True)
    for file_name, (student, _) in released.items():
        nbformat.write(student, out / file_name)
    return {file_name: removed for file_name, (_, removed) in released.items()}


ROOT = Path(__file__).resolve().parents[1]

_README = """# Student copy of the course workbooks

Set up once, in this folder (Python 3.11 or newer):

    python3 -m venv .venv
    .venv/bin/pip install -e .
    .venv/bin/pip install jupyterlab

then open the workbooks with `.venv/bin/jupyter lab notebooks`. Each exercise ends with a
check cell: run it after you have written your answer to see whether you are right.
"""


def _pyproject(root: Path) -> str:
    import tomllib

    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = "".join(f'    "{d}",\n' for d in project.get("dependencies", []))
    return (
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "kamlib"\nversion = "{project["version"]}"\n'
        f'description = "{project.get("description", "")}"\n'
        f'requires-python = "{project.get("requires-python", ">=3.11")}"\n'
        f"dependencies = [\n{deps}]\n\n"
        '[tool.setuptools.packages.find]\ninclude = ["kamlib*"]\n\n'
        '[tool.setuptools.package-data]\n"*" = ["*.json"]\n'
    )


def _instructor_only(relative: Path) -> bool:
    return any(relative.match(pattern) for pattern in INSTRUCTOR_FILES)


def build_release(out: str | Path, *, root: str | Path = ROOT) -> dict[str, int]:
    """Write the whole student release into ``out``: notebooks, datasets and kamlib.

    Parameters
    ----------
    out : path-like
        The release folder; replaced if it exists (it must not be the repository itself).
    root : path-like
        The course repository (default: the one this kamlib belongs to).

    Returns
    -------
    dict
        Number of solutions removed, by notebook file name.

    Raises
    ------
    ParameterError
        If ``out`` is the repository or one of its source folders.
    """
    root, out = Path(root).resolve(), Path(out).resolve()
    if out == root or out in [root / n for n in ("notebooks", "kamlib", "datasets", "book")]:
        raise ParameterError(
            f"kamlib.release.build_release: out ({out}) would overwrite the course's sources. "
            f"Give a new folder, e.g. release."
        )
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    counts = release_folder(root / "notebooks", staging / "notebooks")
    shutil.copytree(root / "datasets", staging / "datasets")
    package = root / "kamlib"
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if path.is_dir() or "__pycache__" in relative.parts or path.suffix == ".pyc":
            continue
        if _instructor_only(relative):
            continue
        target = staging / "kamlib" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    (staging / "pyproject.toml").write_text(_pyproject(root), encoding="utf-8")
    (staging / "README.md").write_text(_README, encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m kamlib.release OUT_DIR`` or ``... SRC_DIR OUT_DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m kamlib.release",
        description="With one folder: write the whole student release there (notebooks, "
        "datasets, kamlib without the instructor's files). With two: write student copies of "
        "the notebooks in SRC_DIR into OUT_DIR, with the solution blocks replaced by "
        "'# YOUR CODE HERE' and all outputs cleared.",
    )
    parser.add_argument("folders", nargs="+", metavar="[SRC_DIR] OUT_DIR")
    args = parser.parse_args(argv)
    if len(args.folders) > 2:
        parser.error("give OUT_DIR, or SRC_DIR and OUT_DIR")
    args.out_dir = args.folders[-1]
    try:
        if len(args.folders) == 1:
            counts = build_release(args.out_dir)
        else:
            counts = release_folder(args.folders[0], args.out_dir)
    except KamlibError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for file_name, removed in counts.items():
        print(f"{file_name}: {removed} solution(s) removed")
    print(f"Wrote {len(counts)} student notebook(s) to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
