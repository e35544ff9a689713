"""The student release: solution blocks replaced, outputs cleared, sources never touched."""

from __future__ import annotations

import copy

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
