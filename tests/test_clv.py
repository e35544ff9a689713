"""Tests of kamlib.clv: closed-form CLV, the CLV curve and calculator, Markov-chain CLV.

Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib import clv as c
from kamlib.errors import DataError, ParameterError

matplotlib.use("Agg")


# --- closed form -------------------------------------------------------------------------------


def test_clv_infinite_by_hand():
    # end: 100 / (1 + 0.1 - 0.8) = 100 / 0.3 = 333.333...
    assert c.clv(100, 0.8, 0.1) == pytest.approx(333.3333333)
    # start: 100 * 1.1 / 0.3 = 366.666...
    assert c.clv(100, 0.8, 0.1, timing="start") == pytest.approx(366.6666667)
    # no retention: one margin only, 100 / 1.1 at the end of period 1, or 100 now
    assert c.clv(100, 0.0, 0.1) == pytest.approx(90.9090909)
    assert c.clv(100, 0.0, 0.1, timing="start") == pytest.approx(100.0)


def test_clv_finite_by_hand():
    # T = 3, end: 100/1.1 + 100*0.8/1.1^2 + 100*0.64/1.1^3
    #           = 90.9091 + 66.1157 + 48.0841 = 205.1089
    assert c.clv(100, 0.8, 0.1, horizon=3) == pytest.approx(205.1089406)
    # T = 3, start: 100 + 80/1.1 + 64/1.21 = 100 + 72.7273 + 52.8926 = 225.6198
    assert c.clv(100, 0.8, 0.1, horizon=3, timing="start") == pytest.approx(225.6198347)
    # T = 1: a single margin
    assert c.clv(100, 0.8, 0.1, horizon=1) == pytest.approx(100 / 1.1)


def test_clv_finite_matches_explicit_sum():
    m, r, d = 2500.0, 0.85, 0.12
    for horizon in (1, 2, 5, 17):
        end = sum(m * r ** (t - 1) / (1 + d) ** t for t in range(1, horizon + 1))
        start = sum(m * r**t / (1 + d) ** t for t in range(horizon))
        assert c.clv(m, r, d, horizon=horizon) == pytest.approx(end)
        assert c.clv(m, r, d, horizon=horizon, timing="start") == pytest.approx(start)


def test_clv_zero_discount_and_negative_discount_finite():
    # d = 0, r = 0.5, end: 100 + 50 + 25 = 175 for T = 3; 100 / 0.5 = 200 forever
    assert c.clv(100, 0.5, 0.0, horizon=3) == pytest.approx(175.0)
    assert c.clv(100, 0.5, 0.0) == pytest.approx(200.0)
    # d = -0.2, r = 0.8: q = r / (1+d) = 1, every term is 100 / 0.8 = 125; T = 4 -> 500
    assert c.clv(100, 0.8, -0.2, horizon=4) == pytest.approx(500.0)
    with pytest.raises(ParameterError, match="no limit"):
        c.clv(100, 0.8, -0.2)


def test_clv_vectorised():
    margins = pd.Series([100.0, 200.0, -50.0], index=["A", "B", "C"])
    result = c.clv(margins, 0.8, 0.1)
    assert isinstance(result, pd.Series) and list(result.index) == ["A", "B", "C"]
    # 100/0.3, 200/0.3, -50/0.3
    np.testing.assert_allclose(result, [333.33333, 666.66667, -166.66667], rtol=1e-6)
    arrays = c.clv(100.0, np.array([0.0, 0.5]), np.array([0.1, 0.0]), horizon=2)
    # r = 0: 100/1.1 = 90.909; r = 0.5, d = 0: 100 + 50 = 150
    np.testing.assert_allclose(arrays, [90.9090909, 150.0])


def test_per_period_rate():
    # (1.1)^(1/4) - 1 = 0.0241137...
    assert c.per_period_rate(0.10, 4) == pytest.approx(0.0241136890)
    assert (1 + c.per_period_rate(0.08, 12)) ** 12 == pytest.approx(1.08)


def test_clv_curve_by_hand():
    curve = c.clv_curve(100, 0.8, 0.1, horizon=3)
    np.testing.assert_allclose(curve["still_customer"], [1.0, 0.8, 0.64])
    np.testing.assert_allclose(curve["discounted_value"], [90.90909, 66.11570, 48.08415], rtol=1e-6)
    assert curve["cumulative_value"].iloc[-1] == pytest.approx(205.1089406)
    start = c.clv_curve(100, 0.8, 0.1, horizon=3, timing="start")
    np.testing.assert_allclose(start["discount_factor"], [1.0, 1 / 1.1, 1 / 1.21])
    assert list(curve.index) == [1, 2, 3]


def test_plot_and_explorer():
    ax = c.plot_clv_curve(100, 0.8, 0.1, horizon=5)
    assert len(ax.patches) == 5  # one bar per year
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert dashed[0].get_ydata()[0] == pytest.approx(333.333333)
    matplotlib.pyplot.close("all")
    widget = c.clv_explorer(1000.0, 0.7, 0.1, 8)
    sliders = widget.children[0].children
    assert [s.value for s in sliders[:4]] == [1000.0, 0.7, 0.1, 8]
    sliders[1].value = 0.5  # moving a slider redraws without error
    matplotlib.pyplot.close("all")


@settings(max_examples=80, deadline=None)
@given(
    m=st.floats(min_value=0.01, max_value=1e6),
    r1=st.floats(min_value=0.0, max_value=0.98),
    r2=st.floats(min_value=0.0, max_value=0.98),
    d1=st.floats(min_value=0.0, max_value=0.5),
    d2=st.floats(min_value=0.0, max_value=0.5),
    horizon=st.integers(min_value=1, max_value=40),
    timing=st.sampled_from(["end", "start"]),
)
def test_clv_properties(m, r1, r2, d1, d2, horizon, timing):
    lo_r, hi_r = sorted((r1, r2))
    lo_d, hi_d = sorted((d1, d2))
    tol = 1e-9 * m
    # more retention, more value; higher discount rate, less value; more margin, more value
    assert c.clv(m, lo_r, lo_d, timing=timing) <= c.clv(m, hi_r, lo_d, timing=timing) + tol
    assert c.clv(m, lo_r, hi_d, timing=timing) <= c.clv(m, lo_r, lo_d, timing=timing) + tol
    assert c.clv(m, lo_r, lo_d, timing=timing) <= c.clv(2 * m, lo_r, lo_d, timing=timing)
    # a finite horizon never exceeds the infinite one, and grows with the horizon
    finite = c.clv(m, lo_r, lo_d, horizon=horizon, timing=timing)
    assert finite <= c.clv(m, lo_r, lo_d, timing=timing) * (1 + 1e-9)
    assert c.clv(m, lo_r, lo_d, horizon=horizon + 1, timing=timing) >= finite
    # the curve's last cumulative value is the finite-horizon CLV
    curve = c.clv_curve(m, lo_r, lo_d, horizon=horizon, timing=timing)
    assert curve["cumulative_value"].iloc[-1] == pytest.approx(finite)
    # the two conventions differ by exactly one period of discounting
    assert c.clv(m, lo_r, lo_d, timing="start") == pytest.approx(
        (1 + lo_d) * c.clv(m, lo_r, lo_d, timing="end")
    )


def test_clv_does_not_modify_inputs():
    margins = pd.Series([100.0, 200.0])
    kept = margins.copy()
    c.clv(margins, 0.8, 0.1)
    pd.testing.assert_series_equal(margins, kept)


# --- Markov chain ------------------------------------------------------------------------------


def test_markov_two_states_by_hand():
    # customer/lost: V = 100 + (0.8 / 1.1) V  ->  V = 100 / (1 - 0.72727) = 366.67
    P = [[0.8, 0.2], [0.0, 1.0]]
    value = c.markov_clv(P, [100.0, 0.0], 0.1)
    np.testing.assert_allclose(value, [366.666667, 0.0], rtol=1e-7)
    # horizon 3: 100 + 100 * 0.8/1.1 + 100 * (0.8/1.1)^2 = 100 + 72.7273 + 52.8926 = 225.62
    value3 = c.markov_clv(P, [100.0, 0.0], 0.1, horizon=3)
    assert value3.iloc[0] == pytest.approx(225.6198347)
    # it is the closed-form CLV with margins from the start of each period
    assert value.iloc[0] == pytest.approx(c.clv(100, 0.8, 0.1, timing="start"))


def test_markov_three_states_by_hand():
    # States: bought, 1 period ago, lost. d = 0.25 so 1/(1+d) = 0.8.
    P = pd.DataFrame(
        [[0.6, 0.4, 0.0], [0.3, 0.0, 0.7], [0.1, 0.0, 0.9]],
        index=["bought", "1 ago", "lost"],
        columns=["bought", "1 ago", "lost"],
    )
    R = pd.Series({"lost": 0.0, "bought": 50.0, "1 ago": -5.0})  # aligned by state name
    # horizon 2: V = R + 0.8 P R; P R = [0.6*50 - 0.4*5, 0.3*50, 0.1*50] = [28, 15, 5]
    # V = [50 + 22.4, -5 + 12, 0 + 4] = [72.4, 7, 4]
    two = c.markov_clv(P, R, 0.25, horizon=2)
    np.testing.assert_allclose(two, [72.4, 7.0, 4.0])
    assert list(two.index) == ["bought", "1 ago", "lost"]
    # infinite horizon: the value satisfies V = R + P V / (1 + d)
    forever = c.markov_clv(P, R, 0.25).to_numpy()
    reward = np.array([50.0, -5.0, 0.0])
    np.testing.assert_allclose(forever, reward + 0.8 * P.to_numpy() @ forever)
    # a long finite horizon approaches it
    np.testing.assert_allclose(c.markov_clv(P, R, 0.25, horizon=400), forever)


def orders_for_recency() -> pd.DataFrame:
    rows = [
        ("A", "2024-01-15"),
        ("A", "2024-02-01"),  # second order in Q1: still one buying quarter
        ("A", "2024-05-10"),
        ("A", "2024-11-30"),
        ("B", "2024-03-01"),
        ("C", "2024-08-08"),
    ]
    frame = pd.DataFrame(rows, columns=["account_id", "order_date"])
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    return frame


def test_recency_transition_matrix_by_hand():
    orders = orders_for_recency()
    counts = c.recency_transition_matrix(orders, n_states=3, end="2024-12-31", counts=True)
    # States per quarter (0 = bought, 1 = one quarter ago, 2 = two or more):
    # A: Q1 0, Q2 0, Q3 1, Q4 0 -> moves 0->0, 0->1, 1->0
    # B: Q1 0, Q2 1, Q3 2, Q4 2 -> moves 0->1, 1->2, 2->2
    # C: Q3 0, Q4 1             -> move 0->1
    assert counts.to_numpy().tolist() == [[1, 3, 0], [1, 0, 1], [0, 0, 1]]
    P = c.recency_transition_matrix(orders, n_states=3, end="2024-12-31")
    np.testing.assert_allclose(P.to_numpy(), [[0.25, 0.75, 0.0], [0.5, 0.0, 0.5], [0, 0, 1]])
    assert list(P.index) == ["this period", "1 period ago", "2+ periods ago"]
    states = c.recency_states(orders, end="2024-12-31", n_states=3)
    assert states.astype(str).to_dict() == {
        "A": "this period",
        "B": "2+ periods ago",
        "C": "1 period ago",
    }


def test_recency_end_cuts_the_history():
    orders = orders_for_recency()
    counts = c.recency_transition_matrix(orders, n_states=3, end="2024-06-30", counts=True)
    # Up to Q2: A Q1 0 -> Q2 0; B Q1 0 -> Q2 1. C has not bought yet.
    assert counts.to_numpy().tolist() == [[1, 1, 0], [0, 0, 0], [0, 0, 0]]
    states = c.recency_states(orders, end="2024-06-30", n_states=3)
    assert sorted(states.index) == ["A", "B"]
    with pytest.raises(DataError, match="ever observed"):
        c.recency_transition_matrix(orders, n_states=3, end="2024-06-30")


def test_recency_state_labels():
    assert c.recency_state_labels(2) == ["this period", "1+ period ago"]
    assert c.recency_state_labels(5)[-1] == "4+ periods ago"


# --- bad input ---------------------------------------------------------------------------------


def test_bad_inputs_clv():
    with pytest.raises(ParameterError, match="retention"):
        c.clv(100, 1.0, 0.1)
    with pytest.raises(ParameterError, match="retention"):
        c.clv(100, -0.1, 0.1)
    with pytest.raises(ParameterError, match="discount_rate"):
        c.clv(100, 0.8, -1.0)
    with pytest.raises(ParameterError, match="margin"):
        c.clv("100", 0.8, 0.1)
    with pytest.raises(ParameterError, match="margin"):
        c.clv(float("nan"), 0.8, 0.1)
    with pytest.raises(ParameterError, match="margin"):
        c.clv(np.array([1.0, np.nan]), 0.8, 0.1)
    with pytest.raises(ParameterError, match="retention"):
        c.clv(100, np.array([0.5, 1.2]), 0.1)
    with pytest.raises(ParameterError, match="lengths"):
        c.clv(np.array([1.0, 2.0]), np.array([0.5, 0.6, 0.7]), 0.1)
    with pytest.raises(ParameterError, match="horizon"):
        c.clv(100, 0.8, 0.1, horizon=0)
    with pytest.raises(ParameterError, match="horizon"):
        c.clv(100, 0.8, 0.1, horizon=2.5)
    with pytest.raises(ParameterError, match="timing"):
        c.clv(100, 0.8, 0.1, timing="middle")
    with pytest.raises(ParameterError, match="margin"):
        c.clv(pd.Series(["a"]), 0.8, 0.1)
    with pytest.raises(ParameterError, match="annual_rate"):
        c.per_period_rate(-1.0, 4)
    with pytest.raises(ParameterError, match="periods_per_year"):
        c.per_period_rate(0.1, 0)
    with pytest.raises(ParameterError, match="horizon"):
        c.clv_curve(100, 0.8, 0.1, horizon=None)
    with pytest.raises(ParameterError, match="retention"):
        c.clv_curve(100, [0.8], 0.1)
    with pytest.raises(ParameterError, match="discount_rate"):
        c.plot_clv_curve(100, 0.8, -2)
    with pytest.raises(ParameterError, match="retention"):
        c.clv_explorer(100, 1.5, 0.1)


def test_bad_inputs_markov():
    good = [[0.8, 0.2], [0.0, 1.0]]
    with pytest.raises(DataError, match="square"):
        c.markov_clv([[0.5, 0.5]], [1.0], 0.1)
    with pytest.raises(DataError, match=r"sum to 1.*rows \[0\] sum to \[0.9\]"):  # 0.8 + 0.1
        c.markov_clv([[0.8, 0.1], [0.0, 1.0]], [1.0, 0.0], 0.1)
    with pytest.raises(DataError, match="negative"):
        c.markov_clv([[1.2, -0.2], [0.0, 1.0]], [1.0, 0.0], 0.1)
    with pytest.raises(DataError, match="same states"):
        c.markov_clv(pd.DataFrame(good, index=["a", "b"], columns=["b", "a"]), [1.0, 0.0], 0.1)
    with pytest.raises(DataError, match="one number per state"):
        c.markov_clv(good, [1.0, 0.0, 3.0], 0.1)
    with pytest.raises(DataError, match="one value per state"):
        c.markov_clv(pd.DataFrame(good), pd.Series({"x": 1.0, "y": 0.0}), 0.1)
    with pytest.raises(DataError, match="missing or infinite"):
        c.markov_clv(good, [np.nan, 0.0], 0.1)
    with pytest.raises(DataError, match="transition_matrix"):
        c.markov_clv("P", [1.0, 0.0], 0.1)
    with pytest.raises(ParameterError, match="positive"):
        c.markov_clv(good, [1.0, 0.0], 0.0)
    with pytest.raises(ParameterError, match="horizon"):
        c.markov_clv(good, [1.0, 0.0], 0.1, horizon=-3)


def test_bad_inputs_recency():
    orders = orders_for_recency()
    with pytest.raises(ParameterError, match="period"):
        c.recency_transition_matrix(orders, period="W")
    with pytest.raises(ParameterError, match="n_states"):
        c.recency_transition_matrix(orders, n_states=1)
    with pytest.raises(ParameterError, match="counts"):
        c.recency_transition_matrix(orders, counts="yes")
    with pytest.raises(DataError, match="order_date"):
        c.recency_states(orders.drop(columns="order_date"))
    with pytest.raises(DataError, match="no order"):
        c.recency_states(orders, end="2020-01-01")
    with pytest.raises(ParameterError, match="end"):
        c.recency_states(orders, end="someday")
    with pytest.raises(DataError, match="no rows"):
        c.recency_states(orders.iloc[:0])
    with pytest.raises(DataError, match="'account_id' has 6 missing id"):
        c.recency_states(orders.assign(account_id=None))
    with pytest.raises(ParameterError, match="n_states"):
        c.recency_state_labels(1)


def test_recency_absorbing_last_state():
    orders = pd.DataFrame(
        {"account_id": ["A", "A"], "order_date": pd.to_datetime(["2024-01-10", "2024-11-10"])}
    )
    # A: Q1 bought (0), Q2 and Q3 quiet (1+), Q4 bought (0): moves 0->1, 1->1, 1->0
    P = c.recency_transition_matrix(orders, n_states=2, end="2024-12-31")
    np.testing.assert_allclose(P.to_numpy(), [[0.0, 1.0], [0.5, 0.5]])
    lost = c.recency_transition_matrix(orders, n_states=2, end="2024-12-31", absorbing_last=True)
    np.testing.assert_allclose(lost.to_numpy(), [[0.0, 1.0], [0.0, 1.0]])
    with pytest.raises(ParameterError, match="absorbing_last"):
        c.recency_transition_matrix(orders, absorbing_last=1)
