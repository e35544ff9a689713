"""The exercise checker and its answer key: right, wrong, wrong type, not attempted, never raises,
and the committed key agrees with the declarations and the recorded answers."""

import json
from pathlib import Path

import pandas as pd
import pytest

from kamlib import datasets
from kamlib.exercises import answer_key, check, core, registered
from kamlib.exercises.core import MODE_VARIABLE

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = {
    "a": "One account with all the revenue is the most unequal case.",
    "b": "Right: equal revenue for every account.",
    "c": "The 80/20 rule is strong concentration.",
    "d": "A Gini coefficient is never a count.",
}


def _toy_key(**answers):
    """A key for toy exercises 0.1 ... built the way answer_key builds the real one."""
    declared = {
        "0.1": core.Declaration("0.1", "number", "Add the two revenues.", tol=0.005),
        "0.2": core.Declaration("0.2", "number", "Count the accounts.", tol=0.5),
        "0.3": core.Declaration("0.3", "set", "Keep the large accounts."),
        "0.4": core.Declaration("0.4", "sequence", "Largest first."),
        "0.5": core.Declaration("0.5", "choice", "Think of the diagonal.", options=OPTIONS),
        "0.6": core.Declaration("0.6", "text", "One word."),
        "0.7": core.Declaration("0.7", "table", "Group by account.", tol=0.01),
        "0.8": core.Declaration("0.8", "manual", points=4),
    }
    values = {
        "0.1": 0.4152,
        "0.2": 37,
        "0.3": ["A0002", "A0001"],
        "0.4": ["A0002", "A0001", "A0003"],
        "0.5": "b",
        "0.6": "Retention",
        "0.7": pd.DataFrame({"revenue": [1.5, 2.25]}, index=["A0001", "A0002"]),
    } | answers
    recorded = {
        k: {"value": core.to_jsonable(v), "notebook": "toy.ipynb"} for k, v in values.items()
    }
    return answer_key.build_key(declared, recorded)["exercises"]


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.delenv(MODE_VARIABLE, raising=False)
    monkeypatch.setitem(core._KEY_CACHE, "entries", _toy_key())


def test_numbers_within_the_tolerance_are_correct_and_beyond_twice_it_are_not(toy):
    # Expected 0.4152, tol 0.005: a student's 0.42 (rounded to 2 decimals) is 0.0048 away.
    assert check("0.1", 0.42).correct
    assert check("0.1", 0.41).correct  # 0.0052 away: between tol and 2 tol, accepted here
    assert not check("0.1", 0.43).correct  # 0.0148 away, more than 2 tol
    assert not check("0.1", 0.40).correct
    assert check("0.2", 37).correct and check("0.2", 37.0).correct
    assert not check("0.2", 36).correct and not check("0.2", 38).correct


def test_rounding_edge_values_are_accepted_on_both_sides(monkeypatch):
    monkeypatch.delenv(MODE_VARIABLE, raising=False)
    # 0.415 sits exactly on a bin edge of the 0.005 grid: answers just below and above pass.
    monkeypatch.setitem(core._KEY_CACHE, "entries", _toy_key(**{"0.1": 0.415}))
    assert check("0.1", 0.4149999).correct and check("0.1", 0.4150001).correct
    assert check("0.1", 0.411).correct and check("0.1", 0.419).correct


def test_percent_instead_of_share_is_spotted(toy):
    assert "percentage" in check("0.1", 41.52).message


def test_sets_ignore_order_sequences_do_not_and_neither_counts_right_items(toy):
    assert check("0.3", ["A0001", "A0002"]).correct
    assert check("0.3", pd.Index(["A0002", "A0001"])).correct
    partly = check("0.3", ["A0001", "A0009"])
    assert partly.status == "incorrect"
    assert not any(ch.isdigit() for ch in partly.message.replace("0.3", ""))  # no "1 of 2"
    assert check("0.4", ["A0002", "A0001", "A0003"]).correct
    assert "wrong order" in check("0.4", ["A0001", "A0002", "A0003"]).message


def test_choice_feedback_names_the_misconception_of_the_letter_given(toy):
    assert check("0.5", " (B) ").correct
    assert "Right: equal revenue" in check("0.5", "b").message
    wrong = check("0.5", "a")
    assert wrong.status == "incorrect" and "most unequal" in wrong.message
    assert "80/20" in check("0.5", "c").message
    assert "not one of the options" in check("0.5", "z").message


def test_choice_key_holds_no_letter_and_every_option_looks_alike():
    entry = _toy_key()["0.5"]
    assert len(entry["options"]) == 4
    text = json.dumps(entry)
    for words in OPTIONS.values():
        assert words not in text
    assert '"b"' not in text


def test_text_and_table_answers(toy):
    assert check("0.6", "  retention ").correct
    expected = pd.DataFrame({"revenue": [1.5, 2.25]}, index=["A0001", "A0002"])
    assert check("0.7", expected.iloc[::-1]).correct  # row order does not matter
    assert check("0.7", expected + 0.001).correct
    assert "missing" in check("0.7", expected.rename(columns={"revenue": "r"})).message
    assert "differ" in check("0.7", expected * 2).message
    assert "DataFrame" in check("0.7", [1, 2]).message


@pytest.mark.parametrize(
    "answer", [pd.DataFrame({"a": [1, 2]}), "many", {"x": 1}, [1, 2], True, float("nan")]
)
def test_wrong_types_are_explained_not_raised(toy, answer):
    feedback = check("0.2", answer)
    assert feedback.status == "incorrect"
    assert "0.2" in repr(feedback)


@pytest.mark.parametrize("placeholder", [..., None, "", "  ..."])
def test_untouched_placeholder_is_not_attempted(toy, placeholder):
    assert check("0.1", placeholder).status == "not attempted"


def test_unknown_exercise_is_reported_not_raised(toy):
    assert "no exercise" in check("99.1", 3).message
    assert check("banana", 3).status == "incorrect"


def test_salts_differ_so_two_exercises_never_share_a_digest():
    key = _toy_key(**{"0.2": 0.4152})  # same value as 0.1, same kind
    assert key["0.1"]["salt"] != key["0.2"]["salt"]
    assert key["0.1"]["digest"] != key["0.2"]["digest"]


def test_test_modes_turn_checks_into_assertions(toy, monkeypatch):
    monkeypatch.setenv(MODE_VARIABLE, "solutions")
    with pytest.raises(AssertionError, match="not attempted"):
        check("0.1", ...)
    monkeypatch.setenv(MODE_VARIABLE, "release")
    with pytest.raises(AssertionError, match="correct"):
        check("0.2", 37)
    assert check("0.2", ...).status == "not attempted"


def test_record_mode_writes_the_answer_instead_of_checking(toy, monkeypatch, tmp_path):
    monkeypatch.setenv(MODE_VARIABLE, "record")
    monkeypatch.setenv(core.RECORD_VARIABLE, str(tmp_path / "r.jsonl"))
    check("0.3", ["A0002", "A0001"])
    check("0.1", pd.Series([0.4152]))
    lines = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert lines == [
        {"id": "0.3", "value": {"type": "list", "value": ["A0002", "A0001"]}},
        {"id": "0.1", "value": {"type": "number", "value": 0.4152}},
    ]


def test_a_series_of_ids_recorded_for_a_set_exercise_is_read_as_its_values(monkeypatch):
    monkeypatch.delenv(MODE_VARIABLE, raising=False)
    key = _toy_key(**{"0.3": pd.Series(["A0002", "A0001"], index=[5, 9])})
    monkeypatch.setitem(core._KEY_CACHE, "entries", key)
    assert check("0.3", ["A0001", "A0002"]).correct


def test_key_build_refuses_undeclared_unchecked_and_bad_choices():
    declared = {
        "0.5": core.Declaration("0.5", "choice", "h", options=dict(list(OPTIONS.items())[:3]))
    }
    recorded = {
        "0.5": {"value": core.to_jsonable("b"), "notebook": "t.ipynb"},
        "0.9": {"value": core.to_jsonable(1.0), "notebook": "t.ipynb"},
    }
    with pytest.raises(answer_key.AnswerKeyError) as error:
        answer_key.build_key(declared | {"0.1": core.Declaration("0.1", "number", "h")}, recorded)
    message = str(error.value)
    assert "0.1 is declared but no notebook checks it" in message
    assert "0.9 is checked in t.ipynb but not declared" in message
    assert "4 or 5 options, not 3" in message


# --- the real key --------------------------------------------------------------------------


def _real_answers():
    return json.loads(answer_key.ANSWERS_PATH.read_text(encoding="utf-8"))


def test_committed_key_is_what_the_declarations_and_recorded_answers_give():
    """Stale after a hint, option or points edit without `answer_key --no-run`."""
    committed = json.loads(core.KEY_PATH.read_text(encoding="utf-8"))
    rebuilt = answer_key.build_key(
        {k: v for k, v in core.declarations().items() if k in committed["exercises"]},
        {k: v for k, v in _real_answers().items() if k in committed["exercises"]},
        committed["exercises"],
    )
    assert rebuilt == committed


def test_every_recorded_answer_passes_its_check(monkeypatch):
    monkeypatch.delenv(MODE_VARIABLE, raising=False)
    for exercise_id, item in _real_answers().items():
        assert check(exercise_id, core.from_jsonable(item["value"])).correct, exercise_id


def test_an_answer_computed_independently_of_the_notebook_is_correct(monkeypatch):
    # Exercise 1.1 counted with sets: ids in the 2023 orders and not in the 2024 orders.
    monkeypatch.delenv(MODE_VARIABLE, raising=False)
    orders = datasets.load("orders")
    year = orders["order_date"].dt.year
    lapsed = set(orders.loc[year == 2023, "account_id"]) - set(
        orders.loc[year == 2024, "account_id"]
    )
    assert check("1.1", len(lapsed)).correct
    assert not check("1.1", len(lapsed) + 1).correct


def test_every_exercise_in_the_key_is_checked_by_a_notebook():
    notebooks = " ".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "notebooks").glob("*.ipynb")
    )
    ids = registered()
    assert {"1.1", "1.2", "1.3", "1.4", "1.5"} <= set(ids)
    for exercise_id in ids:
        if core._key()[exercise_id]["kind"] != "manual":
            assert f'check(\\"{exercise_id}\\"' in notebooks, exercise_id


@pytest.mark.parametrize(
    "arguments",
    [
        {"exercise_id": 2.3, "kind": "number", "hint": "h"},  # a number, not the text "2.3"
        {"exercise_id": "two", "kind": "number", "hint": "h"},
        {"exercise_id": "99.1", "kind": "essay", "hint": "h"},
        {"exercise_id": "99.1", "kind": "number", "hint": ""},
        {"exercise_id": "99.1", "kind": "choice", "hint": "h", "options": ["a", "b"]},
        {"exercise_id": "99.1", "kind": "manual"},
    ],
)
def test_a_malformed_declaration_gets_a_clear_error(arguments):
    from kamlib.errors import ParameterError

    exercise_id = arguments.pop("exercise_id")
    with pytest.raises(ParameterError, match=r"kamlib\.exercises\.exercise"):
        core.exercise(exercise_id, **arguments)
    assert "99.1" not in core._DECLARED  # nothing half-declared is left behind
