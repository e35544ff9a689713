"""The student release: solution blocks replaced, outputs cleared, sources never touched."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kamlib.errors import DataError, ParameterError
from kamlib.release import main, release_folder, release_notebook, strip_solutions

SOLVED = "# Your answer: total revenue\nanswer_1_1 = ...\n### BEGIN SOLUTION\nanswer_1_1 = 42\n### END SOLUTION"


def _notebook(*sources: str, executed: bool = True) -> nbformat.NotebookNode:
    """A small notebook: a markdown prompt, then one code cell per source (run, with output)."""
    cells = [new_markdown_cell("### Exercise 1.1: total revenue")]
    for count, source in enumerate(sources, start=1):
        cell = new_code_cell(source)
        if executed:
            cell.execution_count = count
            cell.outputs = [new_output("stream", name="stdout", text="42\n")]
            cell.metadata["tags"] = ["hide-input"]
        cells.append(cell)
    return new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )


def test_solution_block_becomes_one_placeholder_line():
    student = release_notebook(_notebook(SOLVED))
    # The 5 source lines: comment, `answer = ...`, then 3 lines of block -> 1 placeholder.
    assert (
        student.cells[1].source
        == "# Your answer: total revenue\nanswer_1_1 = ...\n# YOUR CODE HERE"
    )


def test_placeholder_keeps_the_indentation_of_the_begin_line():
    source = "def f():\n    x = ...\n    ### BEGIN SOLUTION\n    x = 1\n    y = 2\n    ### END SOLUTION\n    return x"
    new, removed = strip_solutions(source)
    assert new == "def f():\n    x = ...\n    # YOUR CODE HERE\n    return x"
    assert removed == 1


def test_two_blocks_in_one_cell_are_both_removed_and_counted():
    source = "a = ...\n### BEGIN SOLUTION\na = 1\n### END SOLUTION\nb = ...\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION"
    new, removed = strip_solutions(source)
    assert new == "a = ...\n# YOUR CODE HERE\nb = ...\n# YOUR CODE HERE"
    assert removed == 2


def test_outputs_and_execution_counts_are_cleared_and_tags_kept():
    student = release_notebook(_notebook(SOLVED, "print(1)"))
    for cell in student.cells[1:]:
        assert cell.outputs == []
        assert cell.execution_count is None
        assert cell.metadata["tags"] == ["hide-input"]
    assert student.cells[0].source == "### Exercise 1.1: total revenue"
    assert student.metadata["kernelspec"]["name"] == "python3"


def test_cell_without_markers_is_unchanged_apart_from_outputs():
    student = release_notebook(_notebook("x = 1\nprint(x)"))
    assert student.cells[1].source == "x = 1\nprint(x)"


def test_markers_in_markdown_cells_are_left_alone():
    nb = new_notebook(cells=[new_markdown_cell(f"Write your code where it says\n{SOLVED}")])
    assert release_notebook(nb).cells[0].source == f"Write your code where it says\n{SOLVED}"


def test_the_input_notebook_is_not_modified():
    nb = _notebook(SOLVED)
    before = copy.deepcopy(nb)
    release_notebook(nb)
    assert nb == before


def test_begin_without_end_names_notebook_and_cell():
    nb = _notebook("x = 1", "answer = ...\n### BEGIN SOLUTION\nanswer = 42")
    # Cell 1 is the markdown prompt, cell 2 is `x = 1`, so the broken block is in cell 3.
    with pytest.raises(DataError, match=r"02_demo\.ipynb, cell 3 .*no matching '### END SOLUTION'"):
        release_notebook(nb, name="02_demo.ipynb")


def test_end_without_begin_is_an_error():
    with pytest.raises(DataError, match="no '### BEGIN SOLUTION' before it"):
        strip_solutions("x = 1\n### END SOLUTION")


def test_nested_begin_is_an_error():
    with pytest.raises(DataError, match="second '### BEGIN SOLUTION'"):
        strip_solutions("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION")


def test_something_that_is_not_a_notebook_is_refused():
    with pytest.raises(ParameterError, match="is not a notebook"):
        release_notebook("answer = 1")


def test_on_disk_list_form_of_source_is_handled():
    nb = _notebook("", executed=False)
    nb.cells[1]["source"] = ["a = ...\n", "### BEGIN SOLUTION\n", "a = 1\n", "### END SOLUTION"]
    assert release_notebook(nb).cells[1].source == "a = ...\n# YOUR CODE HERE"


def _write(folder, name, nb):
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)
    return (folder / name).read_bytes()


def test_release_folder_writes_copies_counts_solutions_and_leaves_sources(tmp_path):
    src, out = tmp_path / "notebooks", tmp_path / "release"
    two_blocks = SOLVED + "\nb = ...\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION"
    bytes_a = _write(src, "01_a.ipynb", _notebook(SOLVED, two_blocks))  # 1 + 2 = 3 blocks
    bytes_b = _write(src, "02_b.ipynb", _notebook("x = 1"))  # no block
    (src / "notes.txt").write_text("not a notebook")

    counts = release_folder(src, out)

    assert counts == {"01_a.ipynb": 3, "02_b.ipynb": 0}
    assert sorted(p.name for p in out.iterdir()) == ["01_a.ipynb", "02_b.ipynb"]
    student = nbformat.read(out / "01_a.ipynb", as_version=4)
    assert "### BEGIN SOLUTION" not in nbformat.writes(student)
    assert "answer_1_1 = 42" not in nbformat.writes(student)
    assert [c.source.count("# YOUR CODE HERE") for c in student.cells[1:]] == [1, 2]
    # The sources are byte for byte what they were.
    assert (src / "01_a.ipynb").read_bytes() == bytes_a
    assert (src / "02_b.ipynb").read_bytes() == bytes_b


def test_release_folder_writes_nothing_when_one_notebook_is_broken(tmp_path):
    src, out = tmp_path / "notebooks", tmp_path / "release"
    _write(src, "01_good.ipynb", _notebook(SOLVED))
    _write(src, "02_bad.ipynb", _notebook("### BEGIN SOLUTION\nx = 1"))
    with pytest.raises(DataError, match=r"02_bad\.ipynb, cell 2"):
        release_folder(src, out)
    assert not out.exists()


def test_release_folder_refuses_to_overwrite_the_sources(tmp_path):
    _write(tmp_path, "01_a.ipynb", _notebook(SOLVED))
    with pytest.raises(ParameterError, match="same folder as src"):
        release_folder(tmp_path, tmp_path / ".")


def test_release_folder_needs_an_existing_folder_with_notebooks(tmp_path):
    with pytest.raises(ParameterError, match="not found"):
        release_folder(tmp_path / "missing", tmp_path / "out")
    with pytest.raises(ParameterError, match=r"no \.ipynb file"):
        release_folder(tmp_path, tmp_path / "out")


def test_command_line_reports_counts_and_fails_cleanly(tmp_path, capsys):
    src = tmp_path / "notebooks"
    _write(src, "01_a.ipynb", _notebook(SOLVED))
    assert main([str(src), str(tmp_path / "release")]) == 0
    printed = capsys.readouterr().out
    assert "01_a.ipynb: 1 solution(s) removed" in printed
    assert "Wrote 1 student notebook(s)" in printed

    _write(src, "02_bad.ipynb", _notebook("### BEGIN SOLUTION"))
    assert main([str(src), str(tmp_path / "release2")]) == 1
    assert "02_bad.ipynb, cell 2" in capsys.readouterr().err


# --- the student release's extra steps: solution gates, exercise fences, memos ---------------


def test_solution_gates_are_dropped_and_exercise_fences_unwrapped():
    prompt = (
        "### Exercise 1.2: top 10%\n\n:::{exercise}\n:label: ex-1-2\n:nonumber:\n\nWhat share?\n:::"
    )
    nb = new_notebook(
        cells=[
            new_markdown_cell(prompt),
            new_markdown_cell(":::{solution-start} ex-1-2\n:class: dropdown\n:::"),
            new_code_cell(SOLVED),
            new_markdown_cell(":::{solution-end}\n:::"),
            new_code_cell('check("1.2", answer_1_1)'),
        ]
    )
    student = release_notebook(nb)
    assert [c.cell_type for c in student.cells] == ["markdown", "code", "code"]
    assert student.cells[0].source == "### Exercise 1.2: top 10%\n\nWhat share?"
    assert student.cells[2].source == 'check("1.2", answer_1_1)'


def test_memo_cell_keeps_its_prompt_and_loses_the_model_memo():
    memo = new_markdown_cell(
        "*Write your memo here.*\n### BEGIN SOLUTION\n**Model memo.** Cut the risk.\n### END SOLUTION"
    )
    memo.metadata["nbgrader"] = {"grade": True, "solution": True, "grade_id": "ex_1_9_memo"}
    student = release_notebook(new_notebook(cells=[memo]))
    assert student.cells[0].source == "*Write your memo here.*"
    assert student.cells[0].metadata["nbgrader"]["grade_id"] == "ex_1_9_memo"


# --- the whole release, installed in a fresh virtual environment: no answer in it -------------

ROOT = Path(__file__).resolve().parents[1]
MIN_DIGITS = 3  # a rendering with fewer significant digits ("36", "0.5") is matched in context
# The instructor's declaration modules (chNN.py), none of which the release may import.
DECLARATIONS = sorted(
    f"kamlib.exercises.{p.stem}" for p in (ROOT / "kamlib" / "exercises").glob("ch*.py")
)

PROBE = r"""
import contextlib, io, json, sys, types
import kamlib, kamlib.exercises as ex, kamlib.exercises.core as core
ids = json.loads(sys.argv[1])
out = {"kamlib": kamlib.__file__, "missing": [], "calls": [], "state": []}
for name in ["kamlib.exercises.answer_key", "kamlib.grading"] + json.loads(sys.argv[2]):
    try:
        __import__(name)
    except ImportError:
        out["missing"].append(name)
out["check"] = {i: [repr(ex.check(i, ...)), repr(ex.check(i, -987.25))] for i in ids}
for module in (ex, core):
    for name in dir(module):
        obj = getattr(module, name)
        if callable(obj) and not name.startswith("_") and not isinstance(obj, type):
            for exercise_id in ids:
                for args in ((exercise_id,), (exercise_id, ...), (exercise_id, None), ()):
                    buffer = io.StringIO()
                    with contextlib.redirect_stdout(buffer):
                        try:
                            result = repr(obj(*args))
                        except Exception as exc:
                            result = f"raised {type(exc).__name__}: {exc}"
                    out["calls"].append(f"{name}{args!r} -> {result} {buffer.getvalue()}")
        elif not callable(obj) and not isinstance(obj, types.ModuleType):
            out["state"].append(f"{name} = {obj!r}")
print(json.dumps(out))
"""


def _renderings(value: float, step: float) -> tuple[set[str], set[str]]:
    """(specific, loose) texts of a number a student might search for: rounded to 0 to 6
    decimals, with and without thousands separators, as a percentage, and its repr; only those
    the check would accept (within twice the tolerance step) give the answer away."""
    specific, loose = set(), set()
    # As a percentage only when the answer is a share or a ratio (a lift of 1.25 reads 125%);
    # 5 NPS points or 25,000 yuan are never written as 500% or 2,500,000%.
    scales = ((1, ("",)), (100, ("%", " %", ""))) if abs(value) <= 2 else ((1, ("",)),)
    for scale, suffixes in scales:
        x = value * scale
        texts = {f"{{:{sep}.{d}f}}".format(x) for d in range(7) for sep in ("", ",")}
        for text in texts | ({repr(value)} if scale == 1 else set()):
            if abs(float(text.replace(",", "")) / scale - value) > 2 * step:
                continue  # a rounding the check rejects is not the answer
            # Zeros after the last decimal digit add no information: 18.0 is as common as 18.
            plain = text.replace(",", "")
            plain = plain.rstrip("0").rstrip(".") if "." in plain else plain
            digits = plain.replace(".", "").replace("-", "").lstrip("0")
            for suffix in suffixes:
                (specific if len(digits) >= MIN_DIGITS else loose).add(text + suffix)
    return specific, loose


def _key_entry(exercise_id: str) -> dict:
    from kamlib.exercises import core

    return core._key()[exercise_id]


def _variants(item: dict, exercise_id: str) -> list[tuple[str, re.Pattern]]:
    """(literal, regular expression) pairs that find one exercise's answer in a file; the
    literal is a quick pre-filter (lower case), the expression the real test."""
    data = item["value"]
    context = r"(?:answer\w*\s*[:=]|check\(\s*['\"][\d.]+['\"]\s*,)\s*"
    found = []
    if data["type"] == "number":
        specific, loose = _renderings(data["value"], _key_entry(exercise_id)["step"])
        for text in specific:
            found.append((text, re.compile(rf"(?<![\w.]){re.escape(text)}(?![\w]|\.\d)")))
        for text in loose | specific:
            found.append((text, re.compile(rf"{context}{re.escape(text)}(?![\w]|\.\d)", re.I)))
    elif data["type"] == "text":
        word = data["value"].strip()
        # A single letter must be quoted or bracketed: "Your answer: a share ..." is no leak.
        optional = "" if len(word) < 3 else "?"
        quoted = rf"[\"'(]{optional}{re.escape(word)}[\"')]{optional}(?!\w)"
        quoted += r"(?!\s*(?:,|or)\s*[\"'(]\w[\"')])"  # not a list of the options: "a", "b" or "c"
        pattern = re.compile(context + quoted, re.I)
        found.append((word.lower(), pattern))
    elif data["type"] in ("list", "table"):
        values = data["value"] if data["type"] == "list" else [r[0] for r in data["data"]]
        texts = [str(v) for v in values]
        for order in (texts, sorted(texts)):
            joined = [sep.join(order) for sep in (", ", ",", "\n", " ", "\t")]
            for text in [*joined, json.dumps(order), repr(order)]:
                found.append((text.lower(), re.compile(re.escape(text))))
    return found


def _without_exercise_ids(text: str, ids) -> str:
    """The text with exercise numbers taken out where they label an exercise: exercise 12.5 is
    no leak of an answer of 12.5%. Labels are quoted ids (``check("12.5", ...)``, the key's
    ``"12.5": {...}``) and ids after the word exercise(s), lists included ("exercises 7.4 and
    7.5")."""
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    one = rf"(?<![\w.])(?:{alternatives})(?![\w]|\.\d)"
    text = re.sub(rf"([\"'])(?:{alternatives})(?=[\"'])", r"\1<id>", text)
    listed = re.compile(rf"(?i)\bexercises?\s+{one}(?:\s*(?:,|and|or|to|-|–)\s*{one})*")
    return listed.sub(lambda m: re.sub(one, "<id>", m.group(0)), text)


def _release_texts(release: Path) -> dict[str, str]:
    ids, texts = _answers(), {}
    for path in sorted(release.rglob("*")):
        if not path.is_file() or path.suffix == ".csv":  # the raw data are the exercise's input
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if path.suffix == ".ipynb":
            nb = nbformat.reads(text, as_version=4)
            text = "\n".join(cell.source for cell in nb.cells)
        texts[str(path.relative_to(release))] = _without_exercise_ids(text, ids)
    return texts


@pytest.fixture(scope="module")
def installed_release(tmp_path_factory):
    """The release built by `make release`'s code, installed in a new venv (no network)."""
    from kamlib.release import build_release

    base = tmp_path_factory.mktemp("student")
    release = base / "release"
    build_release(release)
    source = base / "to-install"  # pip builds in the tree: keep the release itself clean
    shutil.copytree(release, source)
    venv = base / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
        check=True,
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            # Without this, pip (running in the project's venv) uninstalls the project's own
            # editable kamlib before installing the release's copy into the prefix.
            "--ignore-installed",
            "--prefix",
            str(venv),
            str(source),
        ],
        check=True,
        cwd=base,
        capture_output=True,
    )
    return release, venv / "bin" / "python"


def _answers() -> dict:
    """The plain answers of every exercise in the key (the registry of checked exercises)."""
    from kamlib.exercises import answer_key, core

    answers = json.loads(answer_key.ANSWERS_PATH.read_text(encoding="utf-8"))
    return {i: answers[i] for i in core.registered() if i in answers}


def test_release_holds_what_a_student_gets_and_no_instructor_file(installed_release):
    release, _ = installed_release
    names = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()}
    assert {
        "pyproject.toml",
        "README.md",
        "kamlib/exercises/key.json",
        "datasets/orders.csv",
    } <= names
    assert {p.name for p in (ROOT / "notebooks").glob("*.ipynb")} == {
        Path(n).name for n in names if n.startswith("notebooks/")
    }
    leaked = [n for n in names if re.search(r"exercises/(ch\d|answer)|grading\.py|__pycache__", n)]
    assert not leaked


def test_no_expected_answer_appears_in_any_file_of_the_release(installed_release):
    release, _ = installed_release
    texts = _release_texts(release)
    answers = _answers()
    assert len(answers) >= 20
    everything = "\n\x00\n".join(texts.values())  # one search per pattern, then find the file
    lowered = everything.lower()
    checked, hits = 0, []
    for exercise_id, item in answers.items():
        for literal, pattern in _variants(item, exercise_id):
            checked += 1
            if literal in lowered and pattern.search(everything):
                hits += [
                    f"{exercise_id}: {pattern.pattern!r} in {name}"
                    for name, text in texts.items()
                    if pattern.search(text)
                ]
    assert not hits, "\n".join(hits[:20])
    print(f"{len(answers)} exercises, {checked} variants, {len(texts)} files")


def test_nothing_the_release_installs_returns_or_prints_an_answer(installed_release, tmp_path):
    release, python = installed_release
    answers = _answers()
    done = subprocess.run(
        [str(python), "-c", PROBE, json.dumps(sorted(answers)), json.dumps(DECLARATIONS)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "KAMLIB_DATA": str(release / "datasets")},
    )
    probe = json.loads(done.stdout)
    # The venv imports the release's copy of kamlib, which lacks every instructor module.
    assert Path(probe["kamlib"]).is_relative_to(python.parent.parent)
    assert (
        "kamlib.exercises.answer_key" in probe["missing"] and "kamlib.grading" in probe["missing"]
    )
    assert set(DECLARATIONS) <= set(probe["missing"])
    for exercise_id, (blank, wrong) in probe["check"].items():
        assert "not attempted" in blank or "graded by your instructor" in blank, exercise_id
        assert "not yet" in wrong or "graded by your instructor" in wrong, exercise_id
    blob = "\n".join(probe["calls"] + probe["state"] + [str(probe["check"])])
    blob = _without_exercise_ids(blob, answers)
    hits = []
    for exercise_id, item in answers.items():
        if item["value"]["type"] == "number":
            specific, _ = _renderings(item["value"]["value"], _key_entry(exercise_id)["step"])
            hits += [
                f"{exercise_id}: {t}"
                for t in specific
                if re.search(rf"(?<![\w.]){re.escape(t)}(?![\w]|\.\d)", blob)
            ]
        else:
            hits += [
                f"{exercise_id}: {p.pattern}"
                for _, p in _variants(item, exercise_id)
                if p.search(blob)
            ]
    assert not hits, "\n".join(hits[:20])
    assert len(probe["calls"]) > 4 * len(answers)


@pytest.mark.parametrize("source", [5, None, ["x = 1\n"], {"source": "x"}])
def test_strip_solutions_refuses_what_is_not_a_cells_text(source):
    from kamlib.release import strip_solutions

    with pytest.raises(ParameterError, match=r"strip_solutions: source must be"):
        strip_solutions(source)


def test_release_folder_refuses_a_path_that_is_not_text(tmp_path):
    from kamlib.release import release_folder

    with pytest.raises(ParameterError, match=r"release_folder: src must be a folder path"):
        release_folder(123, tmp_path / "out")
    with pytest.raises(ParameterError, match=r"release_folder: out must be a folder path"):
        release_folder(tmp_path, 4.5)
