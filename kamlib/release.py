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
solutions it removed from each. The source notebooks are never changed.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

from kamlib.errors import DataError, KamlibError, ParameterError

__all__ = ["BEGIN", "END", "PLACEHOLDER", "release_folder", "release_notebook", "strip_solutions"]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
PLACEHOLDER = "# YOUR CODE HERE"


def strip_solutions(source: str, *, where: str = "the cell") -> tuple[str, int]:
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
            kept.append(indent + PLACEHOLDER)
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
    for number, cell in enumerate(student["cells"], start=1):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):  # the on-disk form of a notebook stores lines as a list
            source = "".join(source)
        cell["source"], removed = strip_solutions(source, where=f"{name}, cell {number}")
        total += removed
        cell["outputs"] = []
        cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)  # run timings of the solution run
    return student, total


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


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m kamlib.release SRC_DIR OUT_DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m kamlib.release",
        description="Write student copies of the notebooks in SRC_DIR into OUT_DIR, with the "
        "solution blocks replaced by '# YOUR CODE HERE' and all outputs cleared.",
    )
    parser.add_argument("src_dir", help="folder with the source notebooks, e.g. notebooks")
    parser.add_argument("out_dir", help="folder for the student copies, e.g. release")
    args = parser.parse_args(argv)
    try:
        counts = release_folder(args.src_dir, args.out_dir)
    except KamlibError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for file_name, removed in counts.items():
        print(f"{file_name}: {removed} solution(s) removed")
    print(f"Wrote {len(counts)} student notebook(s) to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
