"""Revenue concentration: hand-computed values, invariants and bad input."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib import concentration
from kamlib.errors import DataError, ParameterError

# Six customers worth 100 in all: a=50, b=20, c=10, d=10, e=5, f=5.
ORDERS = pd.DataFrame(
    {
        "account_id": ["a", "b", "a", "c", "d", "e", "f", "b"],
        "net_revenue_cny": [30.0, 15.0, 20.0, 10.0, 10.0, 5.0, 5.0, 5.0],
    }
)


def test_pareto_table_by_hand():
    table = concentration.pareto_table(ORDERS)
    assert table["account_id"].tolist()[:2] == ["a", "b"]
    np.testing.assert_allclose(table["share"], [0.5, 0.2, 0.1, 0.1, 0.05, 0.05])
    np.testing.assert_allclose(table["cumulative_share"], [0.5, 0.7, 0.8, 0.9, 0.95, 1.0])
    np.testing.assert_allclose(table["customer_share"], np.arange(1, 7) / 6)


def test_top_share_rounds_the_group_up():
    # Top 20% of 6 customers = ceil(1.2) = 2 customers: (50 + 20) / 100.
    assert concentration.top_share(ORDERS, fraction=0.2) == pytest.approx(0.7)
    # Top 50% = 3 customers: (50 + 20 + 10) / 100; everybody: 1.
    assert concentration.top_share(ORDERS, fraction=0.5) == pytest.approx(0.8)
    assert concentration.top_share(ORDERS, fraction=1.0) == pytest.approx(1.0)


def test_gini_by_hand():
    # Ascending 1,2,3,4: 2*(1+4+9+16)/(4*10) - 5/4 = 1.5 - 1.25 = 0.25.
    assert concentration.gini(pd.Series([4.0, 1.0, 3.0, 2.0])) == pytest.approx(0.25)
    # One customer has everything: (n - 1) / n.
    assert concentration.gini(pd.Series([0.0, 0.0, 0.0, 8.0])) == pytest.approx(0.75)
    assert concentration.gini(pd.Series([7.0, 7.0, 7.0])) == pytest.approx(0.0)


def test_lorenz_curve_by_hand():
    curve = concentration.lorenz_curve(pd.Series([1.0, 3.0]))
    np.testing.assert_allclose(curve["customer_share"], [0, 0.5, 1])
    np.testing.assert_allclose(curve["value_share"], [0, 0.25, 1])


def test_decile_table_groups():
    values = pd.Series(np.arange(1.0, 21.0), index=[f"c{i}" for i in range(20)])
    table = concentration.decile_table(values)
    assert table["customers"].tolist() == [2] * 10
    # Largest two: 20 + 19 = 39 of 210.
    assert table["share"].iloc[0] == pytest.approx(39 / 210)
    assert table["cumulative_share"].iloc[-1] == pytest.approx(1.0)


values_strategy = st.lists(st.floats(0, 1e6, allow_nan=False), min_size=2, max_size=60).filter(
    lambda v: sum(v) > 1e-3
)


@settings(max_examples=60, deadline=None)
@given(values_strategy)
def test_invariants(values):
    series = pd.Series(values, index=[f"c{i}" for i in range(len(values))])
    before = series.copy()
    g = concentration.gini(series)
    assert -1e-9 <= g <= (len(values) - 1) / len(values) + 1e-9
    curve = concentration.lorenz_curve(series)
    assert (np.diff(curve["value_share"]) >= -1e-12).all() and curve["value_share"].iloc[
        -1
    ] == pytest.approx(1.0)
    assert (curve["value_share"] <= curve["customer_share"] + 1e-9).all()  # below the diagonal
    # Gini equals one minus twice the area under the Lorenz curve (trapezoids).
    area = np.trapezoid(curve["value_share"], curve["customer_share"])
    assert g == pytest.approx(1 - 2 * area, abs=1e-9)
    assert (
        concentration.top_share(series, fraction=0.2) >= 0.2 - 1e-9
    )  # the top never holds less than its size
    pd.testing.assert_series_equal(series, before)


def test_inputs_are_not_modified():
    before = ORDERS.copy()
    concentration.pareto_table(ORDERS)
    concentration.plot_pareto(ORDERS.assign(account_id=list("abcdefgh")), groups=4)
    pd.testing.assert_frame_equal(ORDERS, before)


def test_plots_return_labelled_axes():
    ax = concentration.plot_lorenz(ORDERS)
    # By hand: 2 * (1*5 + 2*5 + 3*10 + 4*10 + 5*20 + 6*50) / (6 * 100) - 7/6 = 1.6167 - 1.1667 = 0.45
    assert "Gini 0.45" in ax.get_legend_handles_labels()[1][1]
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


@pytest.mark.parametrize(
    "func",
    [
        concentration.pareto_table,
        concentration.top_share,
        concentration.gini,
        concentration.lorenz_curve,
        concentration.decile_table,
    ],
)
def test_bad_input(func):
    with pytest.raises(DataError, match="not found"):
        func(ORDERS.rename(columns={"net_revenue_cny": "revenue"}))
    with pytest.raises(DataError, match="negative"):
        func(ORDERS.assign(net_revenue_cny=-ORDERS["net_revenue_cny"]))
    with pytest.raises(DataError, match="missing"):
        func(ORDERS.assign(net_revenue_cny=np.nan))
    with pytest.raises(DataError, match="numeric"):
        func(ORDERS.assign(net_revenue_cny="lots"))
    with pytest.raises(DataError, match="no rows"):
        func(ORDERS.iloc[:0])
    with pytest.raises(DataError, match="add up to zero"):
        func(ORDERS.assign(net_revenue_cny=0.0))
    with pytest.raises(DataError, match="DataFrame"):
        func([1, 2, 3])


def test_bad_parameters():
    with pytest.raises(ParameterError, match="'fraction'"):
        concentration.top_share(ORDERS, fraction=0)
    with pytest.raises(ParameterError, match="'fraction'"):
        concentration.top_share(ORDERS, fraction="20%")
    with pytest.raises(DataError, match="cannot fill 10 groups"):
        concentration.decile_table(ORDERS)
    with pytest.raises(ParameterError, match="'groups'"):
        concentration.decile_table(ORDERS, groups=1.5)
