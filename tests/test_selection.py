"""Tests of kamlib.selection: the scorecard, the criteria and the sensitivity analysis.

The AHP weights are tested in test_ahp.py.

Expected values are worked out by hand in the comments, or taken from Saaty's published tables
and the standard 3 x 3 AHP example.
"""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib import selection
from kamlib.errors import DataError, ParameterError

matplotlib.use("Agg")

REFERENCE = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]


# ---------------------------------------------------------------------------------------------
# Scorecard
# ---------------------------------------------------------------------------------------------
def toy_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "D"],
            "fit": [5, 3, 1, 3],
            "profit": [10.0, 40.0, 20.0, 40.0],
        }
    )


def test_scorecard_by_hand():
    # fit on the fixed 1-5 scale: A (5-1)/4 = 1, B 0.5, C 0, D 0.5.
    # profit min-max over 10..40: A 0, B 1, C 1/3, D 1.
    # weights 0.4 / 0.6: A 40 + 0 = 40; B 20 + 60 = 80; C 0 + 20 = 20; D 20 + 60 = 80.
    card = selection.scorecard(
        toy_table(), weights={"fit": 0.4, "profit": 0.6}, scales={"fit": (1, 5)}
    )
    assert card.index.tolist() == ["B", "D", "A", "C"]  # B and D tie: broken by id
    assert card["score"].tolist() == pytest.approx([80, 80, 40, 20])
    assert card["rank"].tolist() == [1, 1, 3, 4]  # ties share the best rank
    assert card.loc["A", "fit"] == pytest.approx(40)
    assert card.loc["C", "profit"] == pytest.approx(20)
    assert card.index.name == "account_id"


def test_scorecard_weights_are_normalised():
    a = selection.scorecard(toy_table(), weights={"fit": 2, "profit": 3})
    b = selection.scorecard(toy_table(), weights={"fit": 0.4, "profit": 0.6})
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["weights"] == pytest.approx({"fit": 0.4, "profit": 0.6})


def test_scorecard_rank_scale_and_lower_is_better():
    # profit 10, 40, 20, 40 -> average ranks 1, 3.5, 2, 3.5 -> (r - 1) / 3 = 0, 5/6, 1/3, 5/6.
    card = selection.scorecard(toy_table(), weights={"profit": 1}, scales="rank")
    assert card["score"].sort_index().tolist() == pytest.approx([0, 250 / 3, 100 / 3, 250 / 3])
    # lower is better on fit (min-max 1..5): A 1 - 1 = 0, B 0.5, C 1, D 0.5.
    card = selection.scorecard(toy_table(), weights={"fit": 1}, lower_is_better=["fit"])
    assert card["score"].sort_index().tolist() == pytest.approx([0, 50, 100, 50])


def test_scorecard_constant_column_warns_and_gives_half():
    table = toy_table().assign(same=7)
    with pytest.warns(UserWarning, match="same value"):
        card = selection.scorecard(table, weights={"same": 1})
    assert (card["score"] == 50).all()


def test_scorecard_uses_index_without_id_column():
    table = toy_table().set_index("account_id")
    card = selection.scorecard(table, weights={"fit": 1})
    assert card.index[0] == "A"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"scales": {"fit": (1, 4)}}, DataError, "outside its fixed scale"),
        ({"scales": {"fit": (5, 1)}}, ParameterError, "low < high"),
        ({"scales": {"fit": "zscore"}}, ParameterError, "'minmax', 'rank'"),
        ({"scales": {"other": "minmax"}}, ParameterError, "not weighted criteria"),
        ({"scales": 3}, ParameterError, "'scales'"),
        ({"lower_is_better": ["other"]}, ParameterError, "not weighted criteria"),
        ({"weights": {"fit": -1, "profit": 1}}, ParameterError, "must lie in"),
        ({"weights": {"missing": 1}}, DataError, "not found"),
    ],
)
def test_scorecard_bad_parameters(kwargs, error, match):
    options = {"weights": {"fit": 0.5, "profit": 0.5}} | kwargs
    with pytest.raises(error, match=match):
        selection.scorecard(toy_table(), **options)


def test_scorecard_bad_tables():
    w = {"fit": 1}
    with pytest.raises(DataError, match="DataFrame"):
        selection.scorecard([1, 2], weights=w)
    with pytest.raises(DataError, match="no rows"):
        selection.scorecard(toy_table().iloc[:0], weights=w)
    with pytest.raises(DataError, match="missing"):
        selection.scorecard(toy_table().assign(fit=[1, None, 3, 4]), weights=w)
    with pytest.raises(DataError, match="numeric"):
        selection.scorecard(toy_table().assign(fit=list("abcd")), weights=w)
    with pytest.raises(DataError, match="more than once"):
        selection.scorecard(toy_table().assign(account_id=list("AABC")), weights=w)
    with pytest.raises(DataError, match="repeats ids"):
        selection.scorecard(toy_table().set_index(pd.Index(list("AABC"))), weights=w, id_col=None)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 1e6), st.floats(-50, 50), st.integers(1, 5)), min_size=1, max_size=30
    ),
    st.tuples(st.floats(0, 10), st.floats(0, 10), st.floats(0.01, 10)),
)
def test_scorecard_scores_in_range_and_input_unchanged(rows, raw_weights):
    table = pd.DataFrame(rows, columns=["profit", "margin", "fit"])
    table.insert(0, "account_id", [f"A{i}" for i in range(len(table))])
    before = table.copy()
    weights = dict(zip(["profit", "margin", "fit"], raw_weights, strict=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # constant columns are fine here
        card = selection.scorecard(table, weights=weights, scales={"fit": (1, 5), "profit": "rank"})
    assert card["score"].between(0, 100).all()
    np.testing.assert_allclose(card[["profit", "margin", "fit"]].sum(axis=1), card["score"])
    assert card["score"].is_monotonic_decreasing
    assert sorted(card.index) == sorted(table["account_id"])
    pd.testing.assert_frame_equal(table, before)


def test_top_accounts():
    assert selection.top_accounts(toy_table(), weights={"profit": 1}, top_n=3) == ["B", "D", "C"]
    with pytest.raises(ParameterError, match="top_n"):
        selection.top_accounts(toy_table(), weights={"profit": 1}, top_n=0)


# ---------------------------------------------------------------------------------------------
# account_criteria
# ---------------------------------------------------------------------------------------------
def toy_accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "D", "E"],
            "strategic_fit": [4, 2, 3, 5, 1],
            "est_annual_spend_cny": [1000.0, 500.0, 0.0, 100.0, 800.0],
            "customer_since": pd.to_datetime(
                ["2020-01-01", "2024-07-01", "2023-06-15", "2022-12-31", "2021-01-01"]
            ),
            "lost_date": pd.to_datetime([None, None, None, None, "2024-06-30"]),
        }
    )


def toy_orders() -> pd.DataFrame:
    rows = [
        ("A", "2024-02-10", 300.0, 200.0),
        ("A", "2024-11-05", 100.0, 60.0),
        ("A", "2024-11-20", 100.0, 40.0),  # same month as the order before: one month
        ("A", "2023-12-31", 999.0, 0.0),  # before the window
        ("A", "2025-01-02", 999.0, 0.0),  # after as_of
        ("B", "2024-08-01", 200.0, 150.0),
        ("D", "2024-01-01", 300.0, 100.0),  # first day of the window
        ("E", "2024-03-01", 50.0, 10.0),  # account lost before as_of: left out
    ]
    frame = pd.DataFrame(rows, columns=["account_id", "order_date", "net_revenue_cny", "cogs_cny"])
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    return frame


def test_account_criteria_by_hand():
    accounts, orders = toy_accounts(), toy_orders()
    before = (accounts.copy(), orders.copy())
    with pytest.warns(UserWarning, match="1 account"):
        c = selection.account_criteria(accounts, orders, as_of="2024-12-31")
    assert c.index.tolist() == ["A", "B", "C", "D"]
    # A: revenue 300 + 100 + 100 = 500; profit 100 + 40 + 60 = 200; margin 0.4;
    #    share 500 / 1000 = 0.5; months with orders Feb, Nov = 2 of 12.
    # B: customer since Jul 2024: 6 eligible months, 1 with an order; share 200 / 500 = 0.4.
    # C: no orders: revenue 0, margin 0 (by definition), share 0 (wallet 0, nothing bought);
    #    eligible months: all 12 (customer since 2023).
    # D: revenue 300 > wallet 100: share capped at 1; margin 200 / 300.
    assert c["net_revenue_cny"].tolist() == [500, 200, 0, 300]
    assert c["gross_profit_cny"].tolist() == [200, 50, 0, 200]
    assert c["gross_margin"].tolist() == pytest.approx([0.4, 0.25, 0.0, 2 / 3])
    assert c["share_of_wallet"].tolist() == pytest.approx([0.5, 0.4, 0.0, 1.0])
    assert c["order_regularity"].tolist() == pytest.approx([2 / 12, 1 / 6, 0.0, 1 / 12])
    assert c["n_orders"].tolist() == [3, 1, 0, 1]
    assert c["strategic_fit"].tolist() == [4, 2, 3, 5]
    # A: 2020-01-01 -> 2024-12-31 = 1826 days (two leap years) / 365.25.
    assert c.loc["A", "tenure_years"] == pytest.approx(1826 / 365.25)
    pd.testing.assert_frame_equal(accounts, before[0])
    pd.testing.assert_frame_equal(orders, before[1])


def test_account_criteria_six_month_window_annualises_share():
    # Window Jul-Dec 2024: A has 100 + 100 = 200 in 6 months -> 400 a year / 1000 = 0.4.
    with pytest.warns(UserWarning):
        c = selection.account_criteria(toy_accounts(), toy_orders(), as_of="2024-12-31", months=6)
    assert c.loc["A", "share_of_wallet"] == pytest.approx(0.4)
    assert c.loc["A", "order_regularity"] == pytest.approx(1 / 6)


def test_account_criteria_warns_about_unknown_accounts():
    orders = pd.concat(
        [
            toy_orders(),
            pd.DataFrame(
                {
                    "account_id": ["Z"],
                    "order_date": pd.to_datetime(["2024-05-01"]),
                    "net_revenue_cny": [1.0],
                    "cogs_cny": [0.5],
                }
            ),
        ],
        ignore_index=True,
    )
    with pytest.warns(UserWarning, match="missing from 'accounts'"):
        selection.account_criteria(toy_accounts().iloc[:4], orders, as_of="2024-12-31")


def test_account_criteria_bad_input():
    accounts, orders = toy_accounts(), toy_orders()
    cases = [
        (dict(accounts=accounts.drop(columns="strategic_fit")), DataError, "strategic_fit"),
        (dict(orders=orders.drop(columns="cogs_cny")), DataError, "cogs_cny"),
        (dict(orders=orders.assign(net_revenue_cny=-1.0)), DataError, "negative"),
        (dict(accounts=accounts.assign(account_id=list("AABCD"))), DataError, "more than once"),
        (dict(accounts=accounts.assign(customer_since="not a date")), DataError, "not dates"),
        (dict(accounts=accounts.assign(lost_date=["soon", *[None] * 4])), DataError, "lost_date"),
        (dict(as_of="someday"), ParameterError, "as_of"),
        (dict(months=0), ParameterError, "months"),
        (dict(accounts=accounts.iloc[:0]), DataError, "no rows"),
        (dict(orders="orders.csv"), DataError, "DataFrame"),
    ]
    for change, error, match in cases:
        args = {"accounts": accounts, "orders": orders, "as_of": "2024-12-31"} | change
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            with pytest.raises(error, match=match):
                selection.account_criteria(args.pop("accounts"), args.pop("orders"), **args)


# ---------------------------------------------------------------------------------------------
# Sensitivity
# ---------------------------------------------------------------------------------------------
def sens_table() -> pd.DataFrame:
    return pd.DataFrame({"account_id": list("ABCD"), "x": [4, 3, 2, 1], "y": [1, 4, 2, 3]})


def test_ranking_sensitivity_by_hand():
    # x scaled (1, 2/3, 1/3, 0), y scaled (0, 1, 1/3, 2/3).
    # Base 0.6 x + 0.4 y: A 0.6, B 0.8, C 0.333, D 0.267 -> top-2 {B, A}.
    # x weight 0 (all on y): top-2 {B, D}: 1 of 2 kept, Jaccard 1/3, 1 new.
    #   ranks go from A2 B1 C3 D4 to A4 B1 C3 D2: mean |change| = (2 + 0 + 0 + 2) / 4 = 1.
    # x weight 1: top-2 {A, B}: all kept.
    s = selection.ranking_sensitivity(sens_table(), {"x": 0.6, "y": 0.4}, top_n=2, grid=[0, 1])
    row = s[(s["criterion"] == "x") & (s["weight"] == 0)].iloc[0]
    assert row["share_kept"] == 0.5
    assert row["jaccard"] == pytest.approx(1 / 3)
    assert row["entered"] == 1
    assert row["mean_abs_rank_change"] == pytest.approx(1.0)
    base = s[s["is_base"]]
    assert len(base) == 2 and (base["share_kept"] == 1).all()
    assert (base["mean_abs_rank_change"] == 0).all()
    assert s.attrs["base_top"] == ["B", "A"]
    assert s[s["criterion"] == "y"]["weight"].tolist() == [0.0, 0.4, 1.0]


def test_shift_weight_keeps_proportions():
    # Setting a to 0.5 leaves 0.5 for b and c in their ratio 3 : 1 -> 0.375 and 0.125.
    w = pd.Series({"a": 0.2, "b": 0.6, "c": 0.2})
    assert selection._shift_weight(w, "a", 0.5).tolist() == pytest.approx([0.5, 0.375, 0.125])
    # If the others were all zero, what is left is shared equally.
    w = pd.Series({"a": 1.0, "b": 0.0, "c": 0.0})
    assert selection._shift_weight(w, "a", 0.4).tolist() == pytest.approx([0.4, 0.3, 0.3])


def test_ranking_sensitivity_with_one_criterion():
    # With x alone, any positive weight ranks A, B, C, D: nothing moves. Weight 0 leaves nothing
    # to rank on and is skipped, so the grid 0, 0.5, 1 gives the rows 0.5 and 1 (the base).
    s = selection.ranking_sensitivity(sens_table(), {"x": 1}, top_n=2, grid=[0, 0.5, 1])
    assert s["weight"].tolist() == [0.5, 1.0]
    assert s["share_kept"].tolist() == [1.0, 1.0]
    assert s["is_base"].tolist() == [False, True]
    assert s.attrs["base_top"] == ["A", "B"]


def test_ranking_sensitivity_bad_input():
    w = {"x": 0.5, "y": 0.5}
    with pytest.raises(ParameterError, match="only 4 accounts"):
        selection.ranking_sensitivity(sens_table(), w, top_n=5)
    with pytest.raises(ParameterError, match="grid"):
        selection.ranking_sensitivity(sens_table(), w, top_n=2, grid=[0, 1.5])
    with pytest.raises(ParameterError, match="empty"):
        selection.ranking_sensitivity(sens_table(), w, top_n=2, grid=[])
    with pytest.raises(DataError, match="not found"):
        selection.ranking_sensitivity(sens_table(), {"z": 1}, top_n=2)
    with pytest.raises(DataError, match="DataFrame"):
        selection.ranking_sensitivity(None, w)


def test_plots_return_axes():
    import matplotlib.pyplot as plt

    s = selection.ranking_sensitivity(sens_table(), {"x": 0.6, "y": 0.4}, top_n=2, grid=[0, 1])
    ax = selection.plot_ranking_sensitivity(s)
    assert len(ax.get_lines()) == 2
    assert "top-2" in ax.get_title()
    card = selection.scorecard(sens_table(), weights={"x": 0.6, "y": 0.4})
    ax = selection.plot_scorecard(card, top_n=3, highlight={"B"})
    assert len(ax.patches) == 3 * 2  # three accounts, two criteria each
    assert "B *" in [t.get_text() for t in ax.get_yticklabels()]
    with pytest.raises(DataError, match="not found"):
        selection.plot_scorecard(card.drop(columns="rank"))
    with pytest.raises(DataError, match="not found"):
        selection.plot_ranking_sensitivity(s.drop(columns="is_base"))
    plt.close("all")


def test_weight_explorer_builds_sliders():
    import matplotlib.pyplot as plt

    box = selection.weight_explorer(sens_table(), {"x": 0.6, "y": 0.4}, top_n=2)
    sliders = [w for row in box.children[:2] for w in row.children]
    assert [s.description for s in sliders] == ["x", "y"]
    assert [s.value for s in sliders] == [0.6, 0.4]
    sliders[0].value = 0.0  # redraws with all the weight on y; must not raise
    sliders[1].value = 0.0  # all zero: shows a message instead of a chart
    with pytest.raises(DataError, match="DataFrame"):
        selection.weight_explorer("table")
    plt.close("all")
