"""Plain helpers shared by several test files (fixtures live in conftest.py).

- :func:`toc_files`: every page named in ``_toc.yml`` (the book tests and the browser tests walk
  the same list);
- the JavaScript that the JupyterLab and JupyterHub tests run in the page through playwright
  to find the open notebook, run all its cells and read its errors from the notebook model.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def toc_files() -> list[str]:
    """Every file named in _toc.yml (root, chapters, sections), without extension."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


# The notebook panel of the open notebook (path given), once its kernel is ready.
PANEL_JS = """(name) => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.context || panel.context.path !== name || !panel.sessionContext) return null;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return kernel && kernel.status === 'idle' ? panel.id : null;
}"""
# Run every cell; resolves when the run has finished (true) or stopped at an error (false).
RUN_ALL_JS = """(ms) => Promise.race([
  window.jupyterapp.commands.execute('notebook:run-all-cells'),
  new Promise((resolve) => setTimeout(() => resolve('timeout'), ms)),
])"""
# The errors of the run, read from the notebook's model (ename: evalue of each error output).
ERRORS_JS = """() => {
  const errors = [];
  for (const cell of window.jupyterapp.shell.currentWidget.content.widgets) {
    if (cell.model.type !== 'code') continue;
    const outputs = cell.model.outputs;
    for (let i = 0; i < outputs.length; i++) {
      const output = outputs.get(i).toJSON();
      if (output.output_type === 'error') errors.push(`${output.ename}: ${output.evalue}`);
    }
  }
  return errors;
}"""
