"""Grading a class: a fixture class of fake submissions, its gradebook asserted row by row.

The fixture workbook (built below on toy numbers) has two checked exercises, 90.1 (a number,
1 point) and 90.2 (multiple choice, 2 points), and a memo 90.3 (3 points, graded by hand).
Its key is made the way ``answer_key`` makes the course's.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from kamlib import grading
from kamlib.exercises import answer_key, core

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 4  # seconds per cell: the endless loop is stopped after this


def _meta(grade_id, *, grade, solution, locked, points=None):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _source() -> nbformat.NotebookNode:
    answer1 = new_code_cell(
        "answer_90_1 = ...\n### BEGIN SOLUTION\nanswer_90_1 = 2 + 3\n### END SOLUTION",
        metadata=_meta("ex_90_1_answer", grade=False, solution=True, locked=False),
    )
    check1 = new_code_cell(
        'check("90.1", answer_90_1)',
        metadata=_meta("ex_90_1_check", grade=True, solution=False, locked=True, points=1),
    )
    answer2 = new_code_cell(
        'answer_90_2 = ...\n### BEGIN SOLUTION\nanswer_90_2 = "c"\n### END SOLUTION',
        metadata=_meta("ex_90_2_answer", grade=False, solution=True, locked=False),
    )
    check2 = new_code_cell(
        'check("90.2", answer_90_2)',
        metadata=_meta("ex_90_2_check", grade=True, solution=False, locked=True, points=2),
    )
    memo = new_markdown_cell(
        "*Write your memo here.*\n### BEGIN SOLUTION\nModel memo.\n### END SOLUTION",
        metadata=_meta("ex_90_3_memo", grade=True, solution=True, locked=False, points=3),
    )
    return new_notebook(
        cells=[
            new_code_cell("from kamlib.exercises import check\nrevenue = [2, 3]"),
            new_markdown_cell("### Exercise 90.1\nAdd the revenues."),
            answer1,
            check1,
            new_markdown_cell("### Exercise 90.2\nWhich letter?"),
            answer2,
            check2,
            new_markdown_cell("### Exercise 90.3\nA memo."),
            memo,
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )


def _key() -> dict:
    options = {k: f"option {k} feedback" for k in "abcd"}
    declared = {
        "90.1": core.Declaration("90.1", "number", "Add them.", tol=0.5, points=1),
        "90.2": core.Declaration("90.2", "choice", "Think.", options=options, points=2),
        "90.3": core.Declaration("90.3", "manual", points=3),
    }
    recorded = {
        "90.1": {"value": core.to_jsonable(5), "notebook": "90_toy.ipynb"},
        "90.2": {"value": core.to_jsonable("c"), "notebook": "90_toy.ipynb"},
    }
    return answer_key.build_key(declared, recorded)["exercises"]


def _with_answers(nb, one=None, two=None, memo=None, check_one=None, drop=()):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    if one is not None:
        by_id["ex_90_1_answer"].source = one
    if two is not None:
        by_id["ex_90_2_answer"].source = two
    if memo is not None:
        by_id["ex_90_3_memo"].source = memo
    if check_one is not None:
        by_id["ex_90_1_check"].source = check_one
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in drop]
    return nb


#: student -> expected (points, status) of 90.1, 90.2 and the memo's status
EXPECTED = {
    "all_correct": [(1, "correct"), (2, "correct"), ("", "to grade by hand")],
    "all_wrong": [(0, "incorrect"), (0, "incorrect"), ("", "to grade by hand")],
    "blank": [(0, "not attempted"), (0, "not attempted"), ("", "to grade by hand")],
    # The print replaced the answer line: answer_90_1 is not defined at all.
    "cheat_print": [(0, "error"), (0, "incorrect"), ("", "to grade by hand")],
    "cheat_redefine_check": [(0, "incorrect"), (0, "not attempted"), ("", "to grade by hand")],
    "cheat_edit_check_cell": [(0, "incorrect"), (2, "correct"), ("", "to grade by hand")],
    "cheat_read_key": [(0, "incorrect"), (0, "error"), ("", "to grade by hand")],
    "deleted_cells": [(1, "correct"), (0, "answer cell deleted"), (0, "memo cell deleted")],
    "endless_loop": [
        (0, "time limit reached"),
        (2, "correct"),  # the loop was interrupted, the next exercise still ran
        ("", "to grade by hand"),
    ],
    "kernel_crash": [(1, "correct"), (0, "kernel died"), ("", "to grade by hand")],
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    sources = base / "notebooks"
    sources.mkdir()
    source = _source()
    nbformat.write(source, sources / "90_toy.ipynb")
    from kamlib.release import release_notebook

    blank = release_notebook(source)
    memo = "*Write your memo here.*\nWe should keep the big accounts close."
    students = {
        "all_correct": _with_answers(
            blank, "answer_90_1 = sum(revenue)", 'answer_90_2 = "C"', memo
        ),
        "all_wrong": _with_answers(blank, "answer_90_1 = 4", 'answer_90_2 = "a"', memo),
        "blank": blank,
        "cheat_print": _with_answers(
            blank, 'print("✅ Exercise 90.1: correct. Well done!")', 'answer_90_2 = "b"'
        ),
        "cheat_redefine_check": _with_answers(
            blank, "def check(*args):\n    print('correct')\nanswer_90_1 = 999"
        ),
        "cheat_edit_check_cell": _with_answers(
            blank, "answer_90_1 = 7", 'answer_90_2 = "c"', check_one='print("correct")'
        ),
        "cheat_read_key": _with_answers(
            blank,
            "import json\nimport kamlib.exercises.core as c\n"
            "answer_90_1 = json.loads(c.KEY_PATH.read_text())['exercises'].get('90.1', {}).get('digest', 1)",
            "from pathlib import Path\n"
            "answer_90_2 = json.loads((Path(c.__file__).parent / 'answers.json').read_text())['90.2']",
        ),
        "deleted_cells": _with_answers(
            blank,
            "answer_90_1 = 5",
            drop=("ex_90_1_check", "ex_90_2_check", "ex_90_2_answer", "ex_90_3_memo"),
        ),
        "endless_loop": _with_answers(blank, "while True:\n    pass", 'answer_90_2 = "c"'),
        "kernel_crash": _with_answers(blank, "answer_90_1 = 5", "import os\nos._exit(1)"),
    }
    submissions = base / "submissions"
    for name, nb in students.items():
        (submissions / name).mkdir(parents=True)
        nbformat.write(nb, submissions / name / "90_toy.ipynb")
    (submissions / "invalid_json").mkdir()
    (submissions / "invalid_json" / "90_toy.ipynb").write_text('{"cells": [', encoding="utf-8")
    out = base / "graded"
    grading.grade_folder(submissions, out, notebooks=sources, timeout=TIMEOUT, key=_key())
    with open(out / "gradebook.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle)), out


def test_gradebook_row_by_row(graded):
    rows, _ = graded
    expected = EXPECTED | {
        "invalid_json": [(0, "invalid notebook (NotJSONError)")] * 3,
    }
    got = {}
    for row in rows:
        got.setdefault(row["student"], []).append(row)
    assert sorted(got) == sorted(expected)
    for student, wanted in expected.items():
        mine = got[student]
        assert [r["exercise"] for r in mine] == ["90.1", "90.2", "90.3"], student
        assert [r["max_points"] for r in mine] == ["1", "2", "3"], student
        assert [(r["points"], r["status"]) for r in mine] == [(str(p), s) for p, s in wanted], (
            student
        )


def test_feedback_file_per_student_holds_the_memo_and_no_answer(graded):
    _, out = graded
    files = sorted(p.stem for p in (out / "feedback").glob("*.md"))
    assert files == sorted([*EXPECTED, "invalid_json"])
    text = (out / "feedback" / "all_correct.md").read_text(encoding="utf-8")
    assert "keep the big accounts close" in text and "3/3" not in text
    assert "Automatic points: 3 of 6" in text
    wrong = (out / "feedback" / "all_wrong.md").read_text(encoding="utf-8")
    assert "option a feedback" in wrong and "option c" not in wrong


@pytest.mark.slow
def test_a_real_course_notebook_with_its_solutions_gets_full_marks(tmp_path):
    source = ROOT / "notebooks" / "01_meet_the_company.ipynb"
    (tmp_path / "subs" / "model_student").mkdir(parents=True)
    (tmp_path / "subs" / "model_student" / source.name).write_bytes(source.read_bytes())
    rows = grading.grade_folder(tmp_path / "subs", tmp_path / "out", notebook=source.stem)
    auto = [r for r in rows if r.status != "to grade by hand"]
    assert auto and all(r.status == "correct" for r in auto), [(r.exercise, r.status) for r in auto]
    assert sum(r.points for r in auto) == sum(core.points(r.exercise) for r in auto)


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_nbgrader_accepts_the_cell_metadata_and_points_match_the_key(path):
    from nbgrader.nbgraderformat import MetadataValidator

    nb = nbformat.read(path, as_version=4)
    MetadataValidator().validate_nb(nb)  # raises on a missing grade_id, points, duplicate ...
    for exercise_id, kind, grade_id in grading._exercises(nb):
        cell = next(c for c in nb.cells if grading._nbgrader(c).get("grade_id") == grade_id)
        assert cell.metadata["nbgrader"]["points"] == core.points(exercise_id), grade_id
        if kind == "auto":
            assert cell.metadata["nbgrader"]["locked"], f"{grade_id}: check cells are locked"


@pytest.mark.slow
def test_nbgrader_generate_assignment_runs_on_a_course_notebook(tmp_path):
    import subprocess
    import sys

    source = tmp_path / "source" / "ps1"
    source.mkdir(parents=True)
    name = "01_meet_the_company.ipynb"
    (source / name).write_bytes((ROOT / "notebooks" / name).read_bytes())
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "nbgrader",
            "generate_assignment",
            "ps1",
            "--create",
            "--force",
            f"--CourseDirectory.root={tmp_path}",
            "--db=sqlite:///" + str(tmp_path / "gb.db"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        # nbgrader runs the `alembic` command of its own environment.
        env=os.environ | {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    student = nbformat.read(tmp_path / "release" / "ps1" / name, as_version=4)
    text = nbformat.writes(student)
    assert "### BEGIN SOLUTION" not in text and "YOUR CODE HERE" in text
