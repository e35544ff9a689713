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
