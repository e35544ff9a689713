"""The exercise checker: right, wrong, wrong type, not attempted, and it never raises."""

from pathlib import Path

import pandas as pd
import pytest

from kamlib import concentration, datasets
from kamlib.exercises import answer_hash, check, core, registered
from kamlib.exercises.core import MODE_VARIABLE, exercise

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _student_mode(monkeypatch):
    monkeypatch.delenv(MODE_VARIABLE, raising=False)
    registered()  # import every chapter's exercises first
    monkeypatch.setattr(core, "_REGISTRY", dict(core._REGISTRY))  # test exercises stay local


def _orders(year):
    orders = datasets.load("orders")
    return orders[orders["order_date"].dt.year == year]


def _top10_2022():
    revenue = _orders(2022).groupby("account_id")["net_revenue_cny"].sum()
    return revenue.nlargest(10).index.tolist()


def test_right_answers_are_correct():
    # 1.1 counted independently of kamlib: ids in the 2023 orders and not in the 2024 orders.
    lapsed = set(_orders(2023)["account_id"]).difference(_orders(2024)["account_id"])
    assert check("1.1", len(lapsed)).correct
    assert check("1.2", concentration.top_share(_orders(2023), fraction=0.1)).correct
    assert check("1.4", list(reversed(_top10_2022()))).correct  # order does not matter for a set
    assert check("1.5", " B ").correct  # trimmed and case-folded


def test_wrong_answers_get_a_hint_without_the_answer():
    # The company-wide 2024 Gini is not the East region's (exercise 1.3).
    feedback = check("1.3", concentration.gini(_orders(2024)))
    assert feedback.status == "incorrect" and "East region" in feedback.message
    assert "0." not in feedback.message  # no number leaks into the hint
    assert check("1.5", "a").status == "incorrect"


def test_percent_instead_of_share_is_spotted():
    share = concentration.top_share(_orders(2023), fraction=0.1)
    assert "percentage" in check("1.2", 100 * share).message


@pytest.mark.parametrize(
    "answer", [pd.DataFrame({"a": [1, 2]}), "many", {"x": 1}, [1, 2], True, float("nan")]
)
def test_wrong_types_are_explained_not_raised(answer):
    feedback = check("1.1", answer)
    assert feedback.status == "incorrect"
    assert "1.1" in repr(feedback)


def test_set_answers_report_how_many_are_right():
    feedback = check("1.4", _top10_2022()[:7] + ["A9998", "A9999"])
    assert feedback.status == "incorrect" and "7 of your 9" in feedback.message
    assert check("1.4", 42).status == "incorrect"


@pytest.mark.parametrize("placeholder", [..., None, "", "  ..."])
def test_untouched_placeholder_is_not_attempted(placeholder):
    assert check("1.2", placeholder).status == "not attempted"


def test_unknown_exercise_is_reported_not_raised():
    assert "no exercise" in check("99.1", 3).message
    assert check("banana", 3).status == "incorrect"


def test_a_crashing_expected_value_never_reaches_the_student():
    @exercise("0.1", kind="number", hint="Try again.")
    def _broken():
        raise RuntimeError("data missing")

    feedback = check("0.1", 1.0)
    assert feedback.status == "incorrect" and "could not be compared" in feedback.message


def test_table_answers_are_compared_column_by_column():
    expected = pd.DataFrame({"value": [1.0, 2.0]}, index=["a", "b"])
    exercise("0.2", kind="table", hint="Group by account.")(lambda: expected)
    assert check("0.2", expected.iloc[::-1]).correct  # row order does not matter
    assert "missing" in check("0.2", expected.rename(columns={"value": "v"})).message
    assert "differ" in check("0.2", expected * 2).message
    assert "DataFrame" in check("0.2", [1, 2]).message


def test_test_modes_turn_checks_into_assertions(monkeypatch):
    monkeypatch.setenv(MODE_VARIABLE, "solutions")
    with pytest.raises(AssertionError, match="not attempted"):
        check("1.1", ...)
    monkeypatch.setenv(MODE_VARIABLE, "release")
    with pytest.raises(AssertionError, match="correct"):
        check("1.5", "b")
    assert check("1.5", ...).status == "not attempted"


def test_no_expected_answer_is_stored_as_plain_text():
    """Exercise modules recompute answers or hold hashes; never the literal answer."""
    for path in (ROOT / "kamlib" / "exercises").glob("ch*.py"):
        text = path.read_text(encoding="utf-8")
        assert 'return "' not in text and "answer =" not in text, path.name


def test_every_exercise_is_used_by_a_notebook():
    notebooks = " ".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "notebooks").glob("*.ipynb")
    )
    ids = registered()
    assert {"1.1", "1.2", "1.3", "1.4", "1.5"} <= set(ids)
    for exercise_id in ids:
        assert f'check(\\"{exercise_id}\\"' in notebooks, exercise_id


def test_answer_hash_normalises_text():
    assert answer_hash("  Key   Account ") == answer_hash("key account")
    assert answer_hash("a") != answer_hash("b")
