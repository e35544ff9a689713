"""Tests of kamlib.profitability: activity-based cost to serve, customer profit, whale curve.

Every expected number is worked out by hand in the comments from the toy tables below.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib import profitability as pf
from kamlib.errors import DataError, ParameterError

matplotlib.use("Agg")

# Round prices so the sums below are easy to follow.
PRICES = {
    "visit": 1000.0,
    "call": 50.0,
    "email": 10.0,
    "ticket": 200.0,
    "complaint": 500.0,
    "delivery": 100.0,
    "expedited_delivery": 400.0,
    "return": 300.0,
    "order_change": 50.0,
    "technical_support": 200.0,
}


def toy_accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "D", "E"],
            "customer_since": pd.to_datetime(
                ["2020-01-01", "2024-03-01", "2022-07-01", "2021-01-01", "2025-02-01"]
            ),
            "acquisition_cost_cny": [5000.0, 2000.0, 3000.0, 1000.0, 800.0],
            # D left in mid-2023; E is won after 2024: neither is on the books in 2024.
            "lost_date": pd.to_datetime([None, None, None, "2023-06-30", None]),
        }
    )


def toy_orders() -> pd.DataFrame:
    rows = [
        # account, date, gross, discount, net, cogs, expedited
        ("A", "2023-06-01", 5000.0, 0.0, 5000.0, 3000.0, False),
        ("A", "2024-02-01", 10000.0, 1000.0, 9000.0, 6000.0, False),
        ("A", "2024-05-01", 8000.0, 500.0, 7500.0, 5000.0, True),
        ("A", "2024-09-01", 2000.0, 0.0, 2000.0, 1500.0, False),
        ("B", "2024-03-15", 1000.0, 0.0, 1000.0, 700.0, False),
        ("C", "2024-07-01", 4000.0, 200.0, 3800.0, 2500.0, True),
        ("C", "2024-08-01", 3000.0, 0.0, 3000.0, 2000.0, True),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "account_id",
            "order_date",
            "gross_revenue_cny",
            "discount_cny",
            "net_revenue_cny",
            "cogs_cny",
            "expedited",
        ],
    )
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    return frame


def toy_activity() -> pd.DataFrame:
    rows = [
        # account, month, activity, count
        ("A", "2023-05-01", "visit", 1),  # before 2024: only in the whole-history view
        ("A", "2023-06-01", "delivery", 1),
        ("A", "2024-01-01", "visit", 1),
        ("A", "2024-02-01", "delivery", 1),
        ("A", "2024-05-01", "expedited_delivery", 1),
        ("A", "2024-06-01", "visit", 1),
        ("A", "2024-06-01", "call", 1),
        ("A", "2024-06-01", "complaint", 1),
        ("A", "2024-09-01", "delivery", 2),  # the September order shipped in two parts
        ("A", "2024-09-01", "return", 1),
        ("B", "2024-03-01", "email", 1),
        ("B", "2024-03-01", "delivery", 1),
        ("B", "2024-04-01", "email", 1),
        ("B", "2024-05-01", "email", 1),
        ("B", "2024-05-01", "ticket", 1),
        ("C", "2024-07-01", "expedited_delivery", 1),
        ("C", "2024-07-01", "technical_support", 3),
        ("C", "2024-08-01", "expedited_delivery", 1),
        ("C", "2024-08-01", "order_change", 2),
    ]
    frame = pd.DataFrame(rows, columns=["account_id", "month", "activity", "count"])
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


# --- activity counts and cost to serve ---------------------------------------------------------


def test_activity_counts_by_hand():
    counts = pf.activity_counts(toy_activity(), period=2024)
    # A in 2024: 2 visits, 1 call, 1 complaint; deliveries Feb (1) and Sep (2), one expedited
    # (May), one return.
    assert counts.loc["A"].to_dict() == {
        "visit": 2,
        "call": 1,
        "email": 0,
        "ticket": 0,
        "complaint": 1,
        "delivery": 3,
        "expedited_delivery": 1,
        "return": 1,
        "order_change": 0,
        "technical_support": 0,
    }
    # C has no contact but two expedited deliveries, 3 support requests, 2 order changes.
    assert counts.loc[
        "C", ["expedited_delivery", "technical_support", "order_change"]
    ].tolist() == [
        2,
        3,
        2,
    ]
    assert list(counts.index) == ["A", "B", "C"]


def test_cost_to_serve_by_hand():
    cost = pf.cost_to_serve(toy_activity(), activity_costs=PRICES, period=2024)
    # A: 2 visits x 1000 + 1 call x 50 + 1 complaint x 500 + 3 deliveries x 100 + 1 x 400
    #    + 1 return x 300 = 2000 + 50 + 500 + 300 + 400 + 300 = 3550
    # B: 3 emails x 10 + 1 ticket x 200 + 1 delivery x 100 = 30 + 200 + 100 = 330
    # C: 2 expedited x 400 + 3 support x 200 + 2 changes x 50 = 800 + 600 + 100 = 1500
    assert cost["cost_to_serve"].to_dict() == {"A": 3550.0, "B": 330.0, "C": 1500.0}
    assert cost.loc["A", "visit_cost"] == 2000.0
    assert cost.loc["A", "expedited_delivery_cost"] == 400.0
    assert cost.loc["C", "technical_support_cost"] == 600.0


def test_cost_to_serve_whole_history_adds_2023():
    cost = pf.cost_to_serve(toy_activity(), activity_costs=PRICES)
    # A also has the 2023 visit (1000) and the 2023 delivery (100): 3550 + 1100 = 4650
    assert cost.loc["A", "cost_to_serve"] == 4650.0


def test_cost_to_serve_period_as_tuple_is_inclusive():
    cost = pf.cost_to_serve(
        toy_activity(), activity_costs=PRICES, period=("2024-06-01", "2024-07-01")
    )
    # June and July (the month starting on the end date counts): A's June visit, call and
    # complaint (1000 + 50 + 500 = 1550); C's July expedited delivery and 3 support requests
    # (400 + 600 = 1000).
    assert cost["cost_to_serve"].to_dict() == {"A": 1550.0, "C": 1000.0}


def test_partial_price_table_keeps_other_defaults():
    cost = pf.cost_to_serve(toy_activity(), activity_costs={"visit": 0}, period=2024)
    # B keeps the default prices: 3 emails + 1 ticket + 1 standard delivery
    # (with today's table 3 x 20 + 250 + 300 = 610).
    expected_b = 3 * pf.DEFAULT_ACTIVITY_COSTS["email"] + pf.DEFAULT_ACTIVITY_COSTS["ticket"]
    expected_b += pf.DEFAULT_ACTIVITY_COSTS["delivery"]
    assert expected_b == 610.0
    assert cost.loc["A", "visit_cost"] == 0.0
    assert cost.loc["B", "cost_to_serve"] == pytest.approx(expected_b)


def test_unknown_activity_needs_a_price():
    activity = pd.concat(
        [
            toy_activity(),
            pd.DataFrame(
                {
                    "account_id": ["A"],
                    "month": pd.to_datetime(["2024-03-01"]),
                    "activity": ["webinar"],
                    "count": [1],
                }
            ),
        ],
        ignore_index=True,
    )
    with pytest.raises(DataError, match="webinar"):
        pf.cost_to_serve(activity)
    cost = pf.cost_to_serve(activity, activity_costs={**PRICES, "webinar": 5.0})
    # A whole history: 4650 + one webinar (5) = 4655; the new activity gets its own column.
    assert cost.loc["A", "cost_to_serve"] == 4655.0
    assert cost.loc["A", "webinar_cost"] == 5.0


def test_default_prices_are_the_simulated_true_costs():
    # The course data were simulated with these activity costs (true_parameters.json).
    from kamlib import datasets

    truth = datasets.true_parameters()["service_activity"]["activity_cost_cny"]
    assert truth == pf.DEFAULT_ACTIVITY_COSTS
    assert set(pf.ACTIVITIES) == set(truth)


# --- customer profit -----------------------------------------------------------------------------


def test_customer_profit_by_hand():
    table = pf.customer_profit(
        toy_accounts(), toy_orders(), toy_activity(), period=2024, activity_costs=PRICES
    )
    # D was lost in 2023 and E is won in 2025: only A, B, C are customers in 2024.
    assert list(table.index) == ["A", "B", "C"]
    a, b, c = table.loc["A"], table.loc["B"], table.loc["C"]
    # A: gross 10000 + 8000 + 2000 = 20000, discount 1500, net 18500, cogs 12500, margin 6000,
    #    cost to serve 3550, acquisition 0 (won in 2020) -> profit 2450
    assert (a["gross_revenue"], a["discount"], a["net_revenue"]) == (20000.0, 1500.0, 18500.0)
    assert (a["cogs"], a["gross_margin"], a["profit"]) == (12500.0, 6000.0, 2450.0)
    assert a["n_orders"] == 3
    # B: margin 1000 - 700 = 300, cost to serve 330, won in March 2024: acquisition 2000
    #    -> profit 300 - 330 - 2000 = -2030
    assert b["acquisition_cost"] == 2000.0 and b["profit"] == -2030.0
    # C: net 6800, cogs 4500, margin 2300, cost to serve 1500 -> profit 800
    assert c["profit"] == 800.0


def test_customer_profit_amortised_acquisition():
    table = pf.customer_profit(
        toy_accounts(),
        toy_orders(),
        toy_activity(),
        period=2024,
        activity_costs=PRICES,
        acquisition="amortised",
        amortisation_years=2,
    )
    # Two years = 730.5 days of write-off.
    # B won 2024-03-01: 2024 holds 1 Mar - 31 Dec = 306 days -> 2000 * 306 / 730.5
    assert table.loc["B", "acquisition_cost"] == pytest.approx(2000 * 306 / 730.5)
    # C won 2022-07-01: write-off ends 730.5 days later, 2024-06-30 at noon; 2024 holds
    # Jan 31 + Feb 29 + Mar 31 + Apr 30 + May 31 + Jun 29.5 = 181.5 days -> 3000 * 181.5 / 730.5
    assert table.loc["C", "acquisition_cost"] == pytest.approx(3000 * 181.5 / 730.5)
    # A won 2020: fully written off before 2024.
    assert table.loc["A", "acquisition_cost"] == 0.0


def test_customer_profit_without_acquisition_and_whole_history():
    none = pf.customer_profit(
        toy_accounts(),
        toy_orders(),
        toy_activity(),
        period=2024,
        acquisition="none",
        activity_costs=PRICES,
    )
    assert none.loc["B", "profit"] == -30.0  # 300 - 330
    history = pf.customer_profit(
        toy_accounts(), toy_orders(), toy_activity(), activity_costs=PRICES
    )
    # Whole history: every account, full acquisition cost. D never bought: profit -1000.
    assert list(history.index) == ["A", "B", "C", "D", "E"]
    assert history.loc["D", "profit"] == -1000.0
    # A: margin 6000 + 2023 order (5000 - 3000) = 8000, cost to serve 4650, acquisition 5000
    assert history.loc["A", "profit"] == 8000.0 - 4650.0 - 5000.0


def test_customer_profit_does_not_modify_inputs():
    accounts, orders, activity = toy_accounts(), toy_orders(), toy_activity()
    copies = accounts.copy(), orders.copy(), activity.copy()
    pf.customer_profit(accounts, orders, activity, period=2024)
    for given_, kept in zip((accounts, orders, activity), copies, strict=True):
        pd.testing.assert_frame_equal(given_, kept)


# --- whale curve ------------------------------------------------------------------------------

TOY_PROFIT = pd.Series(
    [100.0, 60.0, -20.0, 30.0, -10.0], index=["P1", "P2", "P3", "P4", "P5"], name="profit"
)


def test_whale_curve_five_customers():
    curve = pf.whale_curve(TOY_PROFIT)
    # Ranked: P1 100, P2 60, P4 30, P5 -10, P3 -20; total 160.
    # Cumulative 100, 160, 190, 180, 160 -> shares 0.625, 1.0, 1.1875, 1.125, 1.0
    assert list(curve.index) == ["P1", "P2", "P4", "P5", "P3"]
    np.testing.assert_allclose(curve["cumulative_share"], [0.625, 1.0, 1.1875, 1.125, 1.0])
    np.testing.assert_allclose(curve["customer_share"], [0.2, 0.4, 0.6, 0.8, 1.0])


def test_whale_summary_five_customers():
    s = pf.whale_summary(TOY_PROFIT)
    # The peak is after the third customer (60% of customers) at 190/160 = 118.75%.
    assert s["peak_rank"] == 3
    assert s["peak_customer_share"] == pytest.approx(0.6)
    assert s["peak_height"] == pytest.approx(1.1875)
    assert s["peak_profit"] == pytest.approx(190.0)
    # Two loss-makers (P3, P5) destroying 20 + 10 = 30.
    assert s["n_loss_makers"] == 2 and s["loss_from_loss_makers"] == pytest.approx(30.0)
    assert s["loss_maker_share"] == pytest.approx(0.4)


def test_whale_curve_accepts_a_profit_table():
    table = TOY_PROFIT.to_frame("margin_after_costs")
    curve = pf.whale_curve(table, profit_col="margin_after_costs")
    assert curve["cumulative_profit"].iloc[2] == 190.0


def test_plot_whale_curve_marks_peak_and_tail():
    ax = pf.plot_whale_curve(TOY_PROFIT)
    peak = ax.collections[0].get_offsets()[0]
    np.testing.assert_allclose(peak, [0.6, 1.1875])
    # The loss-making tail is shaded from 60% to 100% of customers.
    spans = [p for p in ax.patches if p.get_label() == "Loss-making customers"]
    assert len(spans) == 1
    x_left = spans[0].get_x()
    assert x_left == pytest.approx(0.6)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    matplotlib.pyplot.close("all")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=-(10**8), max_value=10**8), min_size=1, max_size=40))
def test_whale_curve_properties(cents):
    # Profits in whole cents, so that whether the total is positive is exact.
    profit = pd.Series([c / 100 for c in cents], index=[f"C{i}" for i in range(len(cents))])
    if sum(cents) <= 0:
        with pytest.raises(DataError, match="not positive"):
            pf.whale_curve(profit)
        return
    kept = profit.copy()
    curve = pf.whale_curve(profit)
    summary = pf.whale_summary(profit)
    assert curve["cumulative_share"].iloc[-1] == pytest.approx(1.0)  # ends at 100%
    assert summary["peak_height"] >= 1.0 - 1e-9  # the peak is never below the end
    assert summary["n_loss_makers"] == (profit < 0).sum()
    assert curve["profit"].is_monotonic_decreasing
    pd.testing.assert_series_equal(profit, kept)  # input unchanged


# --- bad input ---------------------------------------------------------------------------------


def test_bad_inputs_activity_counts_and_cost_to_serve():
    activity = toy_activity()
    with pytest.raises(DataError, match="activity"):
        pf.activity_counts([1, 2])
    with pytest.raises(DataError, match="'count'"):
        pf.activity_counts(activity.drop(columns="count"))
    with pytest.raises(DataError, match="month"):
        pf.activity_counts(activity.assign(month="not a date"))
    with pytest.raises(DataError, match="no rows"):
        pf.activity_counts(activity.iloc[:0])
    with pytest.raises(DataError, match="count"):
        pf.activity_counts(activity.assign(count=-1))
    with pytest.raises(DataError, match="whole numbers"):
        pf.activity_counts(activity.assign(count=0.5))
    with pytest.raises(DataError, match="count"):
        pf.activity_counts(activity.assign(count="many"))
    with pytest.raises(ParameterError, match="period"):
        pf.activity_counts(activity, period="last year")
    with pytest.raises(ParameterError, match="period"):
        pf.activity_counts(activity, period=("2024-12-31", "2024-01-01"))
    with pytest.raises(ParameterError, match="activity_costs"):
        pf.cost_to_serve(activity, activity_costs={"visit": -5})
    with pytest.raises(ParameterError, match="activity_costs"):
        pf.cost_to_serve(activity, activity_costs=[("visit", 5)])
    # Empty cells: one row without an account, rows without an activity.
    no_id = activity.assign(account_id=[None] + activity["account_id"].tolist()[1:])
    with pytest.raises(DataError, match="'account_id' has 1 missing id.*'activity'"):
        pf.activity_counts(no_id)
    with pytest.raises(DataError, match=f"'activity' has {len(activity)} missing"):
        pf.activity_counts(activity.assign(activity=None))


def test_bad_inputs_customer_profit():
    accounts, orders, activity = toy_accounts(), toy_orders(), toy_activity()
    with pytest.raises(DataError, match="acquisition_cost_cny"):
        pf.customer_profit(accounts.drop(columns="acquisition_cost_cny"), orders, activity)
    with pytest.raises(DataError, match="not in 'accounts'"):
        pf.customer_profit(accounts[accounts.account_id != "C"], orders, activity)
    # Without B in accounts and orders, B's 5 activity rows still name it: 1 unknown id.
    with pytest.raises(DataError, match="1 value.*in 'activity' are not in 'accounts'"):
        pf.customer_profit(
            accounts[accounts.account_id != "B"], orders[orders.account_id != "B"], activity
        )
    with pytest.raises(DataError, match="missing id.*'activity'"):
        pf.customer_profit(accounts, orders, activity.assign(account_id=None))
    with pytest.raises(DataError, match="count"):
        pf.customer_profit(accounts, orders, activity.drop(columns="count"))
    with pytest.raises(DataError, match="account_id"):
        pf.customer_profit(pd.concat([accounts, accounts.iloc[:1]]), orders, activity)
    with pytest.raises(DataError, match="cogs_cny"):
        pf.customer_profit(accounts, orders.assign(cogs_cny=-1.0), activity)
    with pytest.raises(DataError, match="net_revenue_cny"):
        pf.customer_profit(accounts, orders.assign(net_revenue_cny="a lot"), activity)
    with pytest.raises(DataError, match="lost_date"):
        pf.customer_profit(accounts.assign(lost_date="soon"), orders, activity)
    with pytest.raises(ParameterError, match="acquisition"):
        pf.customer_profit(accounts, orders, activity, acquisition="spread")
    with pytest.raises(ParameterError, match="amortisation_years"):
        pf.customer_profit(accounts, orders, activity, amortisation_years=0)


def test_bad_inputs_whale_functions():
    for function in (pf.whale_curve, pf.whale_summary, pf.plot_whale_curve):
        with pytest.raises(DataError, match="not positive"):
            function(pd.Series([-5.0, 2.0]))
        with pytest.raises(DataError, match="missing"):
            function(pd.Series([5.0, np.nan]))
        with pytest.raises(DataError, match="numeric"):
            function(pd.Series(["5", "6"]))
        with pytest.raises(DataError, match="profit"):
            function(pd.DataFrame({"margin": [1.0]}))
        with pytest.raises(DataError, match="Series"):
            function([1.0, 2.0])
        with pytest.raises(DataError, match="no rows"):
            function(pd.Series([], dtype=float))


# --- the lesson in the course data ---------------------------------------------------------------


def test_huaxin_2024_shows_a_real_whale_curve():
    # Chapter 4's lesson on the committed data: cost to serve of about 10-15% of net revenue,
    # the most profitable accounts earn at least 150% of total profit and a fifth to two fifths
    # of the accounts on the books lose money. The data card states the same figures.
    from kamlib import datasets
    from kamlib.datasets import cards

    accounts, orders = datasets.load("accounts"), datasets.load("orders")
    profit = pf.customer_profit(accounts, orders, datasets.load("service_activity"), period=2024)
    share = profit["cost_to_serve"].sum() / profit["net_revenue"].sum()
    summary = pf.whale_summary(profit)
    assert 0.10 <= share <= 0.16
    assert summary["peak_height"] >= 1.5
    assert 0.20 <= summary["loss_maker_share"] <= 0.40
    figures = cards.whale_figures()
    assert figures["peak_height"] == pytest.approx(summary["peak_height"])
    assert figures["n_loss_makers"] == summary["n_loss_makers"]
    card = (datasets.data_dir() / "README.md").read_text(encoding="utf-8")
    assert f"peaks at {summary['peak_height']:.0%} of total profit" in card
    assert f"{summary['n_loss_makers']:,} accounts ({summary['loss_maker_share']:.1%})" in card


def test_plot_profit_waterfall_by_hand():
    table = pf.customer_profit(
        toy_accounts(), toy_orders(), toy_activity(), period=2024, activity_costs=PRICES
    )
    ax = pf.plot_profit_waterfall(table, title="Toy accounts")
    # Totals of A, B, C: gross 20000 + 1000 + 7000 = 28000, discounts 1500 + 200 = 1700,
    # cogs 12500 + 700 + 4500 = 17700, cost to serve 3550 + 330 + 1500 = 5380, acquisition
    # 2000 (B): profit 28000 - 1700 - 17700 - 5380 - 2000 = 1220.
    heights = [p.get_height() for p in ax.patches]
    bottoms = [p.get_y() for p in ax.patches]
    assert heights == pytest.approx([28000, 1700, 17700, 5380, 2000, 1220])
    # Each cost hangs from the running total: 28000 -> 26300 -> 8600 -> 3220 -> 1220.
    assert bottoms == pytest.approx([0, 26300, 8600, 3220, 1220, 0])
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["¥28,000", "¥1,700", "¥17,700", "¥5,380", "¥2,000", "¥1,220"]
    assert ax.get_title() == "Toy accounts" and ax.get_ylabel()
    kept = table.copy()
    pf.plot_profit_waterfall(table)
    pd.testing.assert_frame_equal(table, kept)
    with pytest.raises(DataError, match="cost_to_serve"):
        pf.plot_profit_waterfall(table.drop(columns="cost_to_serve"))
    with pytest.raises(DataError, match="discount"):
        pf.plot_profit_waterfall(table.assign(discount=-1.0))
    matplotlib.pyplot.close("all")


def test_plot_profit_waterfall_shows_a_loss_below_zero():
    table = pd.DataFrame(
        {
            "gross_revenue": [100.0],
            "discount": [0.0],
            "cogs": [70.0],
            "cost_to_serve": [50.0],
            "acquisition_cost": [0.0],
        }
    )
    ax = pf.plot_profit_waterfall(table)
    # 100 - 70 - 50 = -20: the profit bar runs from -20 up to 0, in the loss colour.
    last = ax.patches[-1]
    assert (last.get_y(), last.get_height()) == pytest.approx((-20.0, 20.0))
    assert ax.texts[-1].get_text() == "¥-20"
    matplotlib.pyplot.close("all")
