"""Hide nbgrader's solution marker lines in the book.

The workbook notebooks keep each model solution between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` lines, so that ``kamlib.release`` and nbgrader can remove it from student
copies. In the book the solution is shown, folded under sphinx-exercise's "Solution to
Exercise ..." toggle, and the two marker lines would only be noise: this extension drops them
from every cell of a notebook as Sphinx reads it (``source-read``), before myst-nb parses and
executes it. The files on disk are not changed.
"""

from __future__ import annotations

import json

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def strip_markers(text: str) -> str:
    """A notebook's JSON text without the solution marker lines (unchanged if it has none)."""
    if MARKERS[0] not in text:
        return text
    nb = json.loads(text)
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        lines = source.split("\n")
        kept = [line for line in lines if line.strip() not in MARKERS]
        if len(kept) != len(lines):
            cell["source"] = "\n".join(kept)
    return json.dumps(nb, ensure_ascii=False)


def _on_source_read(app, docname: str, source: list[str]) -> None:
    if str(app.env.doc2path(docname)).endswith(".ipynb"):
        source[0] = strip_markers(source[0])


def setup(app):
    app.connect("source-read", _on_source_read)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
