"""The shared checks: each names the function and the column or parameter, and fails clearly."""

import numpy as np
import pandas as pd
import pytest

from kamlib import validation as v
from kamlib.errors import DataError, KamlibError, ParameterError

FRAME = pd.DataFrame({"id": ["a", "b"], "amount": [1.0, 2.0], "day": ["2024-01-01", "2024-02-29"]})


def test_errors_are_value_errors():
    assert issubclass(DataError, KamlibError) and issubclass(KamlibError, ValueError)


def test_frame_and_columns():
    assert v.require_frame(FRAME, "f") is FRAME
    with pytest.raises(DataError, match="^f: 'data' must be a pandas DataFrame, got list"):
        v.require_frame([1], "f")
    with pytest.raises(DataError, match="no rows"):
        v.require_frame(FRAME.iloc[:0], "f")
    with pytest.raises(DataError, match="'price'.*not found; the table has 'id', 'amount', 'day'"):
        v.require_columns(FRAME, ["id", "price"], "f")


def test_numbers():
    assert v.require_non_negative(FRAME, "amount", "f").tolist() == [1.0, 2.0]
    with pytest.raises(DataError, match="'id' must be numeric, found dtype"):
        v.require_numeric(FRAME, "id", "f")
    with pytest.raises(DataError, match="1 missing"):
        v.require_numeric(FRAME.assign(amount=[1.0, np.nan]), "amount", "f")
    with pytest.raises(DataError, match="infinite"):
        v.require_numeric(FRAME.assign(amount=[1.0, np.inf]), "amount", "f")
    with pytest.raises(DataError, match="must be numeric"):
        v.require_numeric(FRAME.assign(amount=[True, False]), "amount", "f")
    with pytest.raises(DataError, match="1 negative value"):
        v.require_non_negative(FRAME.assign(amount=[1.0, -2.0]), "amount", "f")


def test_dates_and_ids():
    assert v.require_dates(FRAME, "day", "f").iloc[1] == pd.Timestamp("2024-02-29")
    with pytest.raises(DataError, match="not dates, e.g. '2023-02-29'"):
        v.require_dates(FRAME.assign(day=["2024-01-01", "2023-02-29"]), "day", "f")
    with pytest.raises(DataError, match="missing date"):
        v.require_dates(FRAME.assign(day=[None, "2024-01-01"]), "day", "f")
    with pytest.raises(DataError, match="'a' appear more than once"):
        v.require_unique(FRAME.assign(id=["a", "a"]), "id", "f")


def test_parameters():
    assert v.check_number(3, "k", "f", low=1, integer=True) == 3
    assert v.check_number(0.5, "r", "f", low=0, high=1, high_inclusive=False) == 0.5
    with pytest.raises(ParameterError, match=r"'r' must lie in \[0, 1\), got 1"):
        v.check_number(1, "r", "f", low=0, high=1, high_inclusive=False)
    with pytest.raises(ParameterError, match="'k' must be a whole number"):
        v.check_number(2.5, "k", "f", integer=True)
    with pytest.raises(ParameterError, match="must be a number, got True"):
        v.check_number(True, "x", "f")
    with pytest.raises(ParameterError, match="finite"):
        v.check_number(float("nan"), "x", "f")
    with pytest.raises(ParameterError, match="one of 'M', 'Q'"):
        v.check_choice("Y", "period", "f", ["M", "Q"])
    assert v.as_timestamp("2024-12-31", "as_of", "f") == pd.Timestamp("2024-12-31")
    with pytest.raises(ParameterError, match="'as_of' must be a date"):
        v.as_timestamp("soon", "as_of", "f")


def test_inputs_unchanged():
    before = FRAME.copy()
    v.require_dates(FRAME, "day", "f")
    pd.testing.assert_frame_equal(FRAME, before)


def test_require_no_missing():
    ids = FRAME.assign(id=["a", None])
    # One of the two ids is empty: the message counts it, names the column and the kind of entry.
    with pytest.raises(DataError, match=r"^f: column 'id' has 1 missing account id\(s\)\. Fill"):
        v.require_no_missing(ids, "id", "f", what="account id")
    with pytest.raises(DataError, match="2 missing value.*Use 'unknown'"):
        v.require_no_missing(FRAME.assign(day=[None, np.nan]), "day", "f", fix="Use 'unknown'.")
    assert v.require_no_missing(FRAME, "id", "f").tolist() == ["a", "b"]
    pd.testing.assert_frame_equal(ids, FRAME.assign(id=["a", None]))  # input unchanged


def test_optional_dates_and_known_ids():
    # require_optional_dates: an empty cell stays NaT, a filled non-date fails.
    lost = pd.DataFrame({"lost": ["2024-03-31", None]})
    parsed = v.require_optional_dates(lost, "lost", "f")
    assert parsed.iloc[0] == pd.Timestamp("2024-03-31") and pd.isna(parsed.iloc[1])
    with pytest.raises(
        DataError, match="'lost' has 1 value\\(s\\) that are not dates, e.g. 'soon'"
    ):
        v.require_optional_dates(pd.DataFrame({"lost": ["soon", None]}), "lost", "f")
    # require_known: ids compared as text (7 matches "7"); "x" and "y" are unknown.
    orders = pd.DataFrame({"id": [7, "x", "y", "x", None]})
    v.require_known(orders.iloc[[0, 4]], "id", ["7", "8"], "f")
    with pytest.raises(DataError, match="2 value\\(s\\) of 'id' in 'orders' are not in 'accounts'"):
        v.require_known(orders, "id", ["7", "8"], "f", name="orders")


# ---------------------------------------------------------------------------------------------
# The checks added for issue 14 (each reproducer of the issue, then the shared helper)
# ---------------------------------------------------------------------------------------------
def test_a_column_name_given_as_a_list_is_refused():
    from kamlib import rfm, toy

    with pytest.raises(ParameterError, match=r"rfm_table: a column name must be text, got \["):
        rfm.rfm_table(toy.orders(), as_of="2024-12-31", customer_col=["account_id"])
    with pytest.raises(ParameterError, match="Pass one name, e.g. 'id'"):
        v.require_columns(FRAME, [["id"]], "f")
    with pytest.raises(ParameterError, match="got 3 \\(int\\)"):
        v.require_columns(FRAME, [3], "f")


def test_numbers_are_not_dates():
    from kamlib import rfm, toy

    # 20241231 read by pandas would be 20 microseconds after 1970: every account a prospect.
    with pytest.raises(ParameterError, match="'as_of' must be a date .* got the number 20241231"):
        rfm.rfm_table(toy.orders(), as_of=20241231)
    for bad in (20241231, 2024.5, True):
        with pytest.raises(ParameterError, match="number"):
            v.as_timestamp(bad, "as_of", "f")
    as_numbers = FRAME.assign(day=[20240101, 20240229])
    with pytest.raises(DataError, match="'day' holds numbers, not dates .*20240101"):
        v.require_dates(as_numbers, "day", "f")
    with pytest.raises(DataError, match="holds numbers"):
        v.require_optional_dates(FRAME.assign(day=["2024-01-01", 20240229]), "day", "f")
    assert v.require_dates(FRAME, "day", "f").iloc[0] == pd.Timestamp("2024-01-01")


def test_seeds_flags_names_and_dicts():
    assert v.check_seed(0, "f") == 0 and v.check_seed(np.int64(7), "f") == 7
    for bad in (-1, "2", True, 2.5, None):
        with pytest.raises(ParameterError, match="'seed' must be a whole number of 0 or more"):
            v.check_seed(bad, "f")
    assert v.check_flag(np.bool_(False), "log", "f") is False
    with pytest.raises(ParameterError, match="counts as True in Python"):
        v.check_flag("no", "log", "f")
    with pytest.raises(ParameterError, match="'log' must be True or False, got 1"):
        v.check_flag(1, "log", "f")
    # One name is a list of one, never its letters; numbers and dicts are refused.
    assert v.check_names("industry", "features", "f") == ["industry"]
    assert v.check_names(("a", "b"), "features", "f") == ["a", "b"]
    for bad, match in ((5, "list of names"), ({"a": 1}, "list of names"), (["a", 2], "found 2")):
        with pytest.raises(ParameterError, match=match):
            v.check_names(bad, "features", "f")
    with pytest.raises(ParameterError, match="empty"):
        v.check_names([], "features", "f")
    assert v.check_mapping({"a": 1}, "costs", "f") == {"a": 1}
    with pytest.raises(ParameterError, match="'costs' must be a dict such as"):
        v.check_mapping(["a"], "costs", "f")


def test_errors_of_an_inner_call_name_the_function_called():
    import warnings

    from kamlib.errors import NotFittedError

    with pytest.raises(DataError, match="^outer: 'data' must be") as info, v.as_called_by("outer"):
        v.require_frame([1], "kamlib.inner.function")
    assert isinstance(info.value.__cause__, DataError)  # the original is kept as the cause
    with pytest.raises(NotFittedError, match="^outer: this model"), v.as_called_by("outer"):
        raise NotFittedError("Model.predict: this model is not fitted yet.")
    with pytest.warns(UserWarning, match="^outer: 2 rows left out"), v.as_called_by("outer"):
        warnings.warn("kamlib.inner.function: 2 rows left out", UserWarning, stacklevel=1)


def test_rows_without_a_key_are_dropped_with_a_warning():
    from kamlib import concentration, toy

    orders = toy.orders()
    orders.loc[0, "account_id"] = None  # the 450 yuan order of T01 loses its account
    # 450 of 3,000 yuan (15.0%) cannot be given to an account: counted and said, not hidden.
    with pytest.warns(UserWarning, match=r"1 row\(s\) have no account id .*450.00, 15.0% of"):
        totals = concentration.value_by_customer(orders)
    assert totals.sum() == 2550.0
    assert orders["account_id"].isna().sum() == 1  # the input is unchanged
    # A Series with an unlabelled value is refused rather than dropped.
    revenue = pd.Series([5.0, 3.0], index=["A", None])
    with pytest.raises(DataError, match="without a customer label"):
        concentration.top_share(revenue)
