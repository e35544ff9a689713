"""Profit tree: leaves by hand on a toy, leaves = company total on the course data, lever
values by hand, the bootstrap's spread against the binomial formula (simulated truth)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from kamlib import datasets, profitability
from kamlib import profit_tree as pt
from kamlib.errors import DataError, ParameterError

PRICES = {"visit": 1000, "delivery": 100, "call": 50}


@pytest.fixture(scope="module")
def course():
    return datasets.load("accounts"), datasets.load("orders"), datasets.load("service_activity")


@pytest.fixture(scope="module")
def toy_tree():
    return pt.profit_tree(*pt.toy_tables(), year=2024, activity_costs=PRICES)


# --- the tree by hand ---------------------------------------------------------------------------
def test_toy_leaves_by_hand(toy_tree):
    # A: 2023 margin 4,000 -> 2024 6,000 (+2,000); B: 5,000 -> 3,000 (-2,000); C lost mid-2024
    # after 1,000 of margin; D won in March 2024: 7,000 margin, 500 to win.
    # Cost to serve: visits 2 x 1,000, deliveries 6 x 100, calls 2 x 50.
    expected = {
        "new_margin": 7000.0,
        "acquisition_cost": -500.0,
        "kept_base_margin": 9000.0,
        "lost_margin": 1000.0,
        "lost_earlier_margin": 0.0,
        "expansion": 2000.0,
        "contraction": -2000.0,
        "visit_cost": -2000.0,
        "delivery_cost": -600.0,
        "call_cost": -100.0,
        "ticket_cost": 0.0,
    }
    for node, value in expected.items():
        assert toy_tree.loc[node, "value_cny"] == pytest.approx(value), node
    # 7,000 - 500 + 9,000 + 1,000 + 2,000 - 2,000 - 2,000 - 600 - 100 = 13,800
    assert toy_tree.loc[toy_tree["leaf"], "value_cny"].sum() == pytest.approx(13800.0)
    assert toy_tree.loc["profit", "value_cny"] == pytest.approx(13800.0)
    assert toy_tree.loc["retention", "accounts"] == 3
    assert toy_tree.loc["expansion", "accounts"] == 1


def test_toy_branch_totals_by_hand(toy_tree):
    totals = pt.branch_totals(toy_tree)
    assert totals.to_dict() == pytest.approx(
        {
            "acquisition": 6500.0,
            "retention": 10000.0,
            "account growth": 0.0,
            "cost to serve": -2700.0,
            "profit": 13800.0,
        }
    )


def test_every_node_names_its_source(toy_tree):
    leaves = toy_tree[toy_tree["leaf"]]
    assert leaves["source"].str.startswith("kamlib.profitability.").all()
    assert set(toy_tree["parent"].dropna()) == {
        "profit",
        "acquisition",
        "retention",
        "account_growth",
        "cost_to_serve",
    }


def test_course_leaves_add_up_to_the_company_profit(course):
    accounts, orders, activity = course
    tree = pt.profit_tree(accounts, orders, activity, year=2024)
    company = profitability.customer_profit(accounts, orders, activity, period=2024)
    assert tree.loc[tree["leaf"], "value_cny"].sum() == pytest.approx(
        company["profit"].sum(), rel=1e-12
    )
    # Cost to serve leaves: the activity-based total; acquisition: accounts won in 2024.
    serve = profitability.cost_to_serve(activity, period=2024)["cost_to_serve"].sum()
    assert tree.loc["cost_to_serve", "value_cny"] == pytest.approx(-serve)
    won = accounts["customer_since"].dt.year == 2024
    assert tree.loc["acquisition_cost", "value_cny"] == pytest.approx(
        -accounts.loc[won, "acquisition_cost_cny"].sum()
    )
    # Lost during 2024 counted from the accounts table itself.
    lost = (accounts["lost_date"].dt.year == 2024) & (accounts["customer_since"].dt.year < 2024)
    assert tree.loc["lost_margin", "accounts"] == int(lost.sum())
    # Growth: kept accounts' 2024 margin minus their 2023 margin, from the orders directly.
    kept_ids = accounts.loc[
        (accounts["customer_since"].dt.year < 2024) & accounts["lost_date"].isna(), "account_id"
    ]
    margin = orders.assign(m=orders["net_revenue_cny"] - orders["cogs_cny"])
    margin = margin[margin["account_id"].isin(kept_ids)]
    by_year = margin.groupby(margin["order_date"].dt.year)["m"].sum()
    growth = tree.loc["expansion", "value_cny"] + tree.loc["contraction", "value_cny"]
    assert growth == pytest.approx(by_year[2024] - by_year[2023])


def test_inputs_unchanged(course):
    accounts, orders, activity = (t.copy() for t in pt.toy_tables())
    before = [t.copy() for t in (accounts, orders, activity)]
    pt.profit_tree(accounts, orders, activity, year=2024)
    drivers = pt.account_drivers(accounts, orders, activity, year=2024)
    kept = drivers.copy()
    pt.base_economics(drivers)
    pt.bootstrap_economics(drivers, n_boot=5, seed=1)
    for given, copy in zip((accounts, orders, activity), before, strict=True):
        pd.testing.assert_frame_equal(given, copy)
    pd.testing.assert_frame_equal(drivers, kept)


def test_bad_input():
    accounts, orders, activity = pt.toy_tables()
    with pytest.raises(DataError, match="profit_tree.*lost_date"):
        pt.profit_tree(accounts.drop(columns="lost_date"), orders, activity)
    with pytest.raises(ParameterError, match="profit_tree.*year"):
        pt.profit_tree(accounts, orders, activity, year="2024")
    with pytest.raises(DataError, match="account_drivers"):
        pt.account_drivers(accounts.iloc[:0], orders, activity)
    bad = orders.copy()
    bad.loc[0, "cogs_cny"] = -1.0
    with pytest.raises(DataError, match="profit_tree"):
        pt.profit_tree(accounts, bad, activity)
    with pytest.raises(DataError, match="base_economics.*kept"):
        pt.base_economics(pd.DataFrame({"group": ["new"], "net_revenue": [1.0],
                                        "gross_margin": [1.0], "cost_to_serve": [0.0]}))  # fmt: skip
    drivers = pt.account_drivers(accounts, orders, activity)
    with pytest.raises(ParameterError, match="bootstrap_economics.*seed"):
        pt.bootstrap_economics(drivers, seed=-1)
    with pytest.raises(ParameterError, match="lever_values.*retention"):
        pt.lever_values(pt.base_economics(drivers), retention_points=0.5)
    with pytest.raises(ParameterError, match="lever_values"):
        pt.lever_values({"accounts": 1})


# --- economics and levers -------------------------------------------------------------------
def test_base_economics_by_hand():
    drivers = pt.account_drivers(*pt.toy_tables(), year=2024, activity_costs=PRICES)
    e = pt.base_economics(drivers)
    # Base: A, B kept and C lost -> 2/3. Kept revenue 15,000 + 8,000; margin 6,000 + 3,000;
    # cost to serve A 1,200 (visit + 2 deliveries), B 100.
    assert e["accounts"] == 3
    assert e["retention"] == pytest.approx(2 / 3)
    assert e["revenue_per_account"] == pytest.approx(11500.0)
    assert e["gross_margin_rate"] == pytest.approx(9000 / 23000)
    assert e["cost_to_serve_per_account"] == pytest.approx(650.0)
    assert e["margin_per_account"] == pytest.approx(4500.0 - 650.0)
    assert e["wallet_per_account"] == pytest.approx(35000.0)
    assert e["share_of_wallet"] == pytest.approx(23000 / 70000)


def test_lever_values_by_hand():
    e = pd.Series({"accounts": 200, "retention": 0.9, "margin_per_account": 500.0,
                   "gross_margin_rate": 0.25, "wallet_per_account": 20000.0,
                   "cost_to_serve_per_account": 1000.0})  # fmt: skip
    table = pt.lever_values(e, retention_points=0.02, wallet_points=0.01, cost_cut=0.1,
                            discount_rate=0.08)  # fmt: skip
    base = 200 * 500 / (1.08 - 0.9)
    assert table.loc["retention", "value_cny"] == pytest.approx(200 * 500 / (1.08 - 0.92) - base)
    assert table.loc["share of wallet", "value_cny"] == pytest.approx(200 * 50 / 0.18)
    assert table.loc["cost to serve", "value_cny"] == pytest.approx(200 * 100 / 0.18)
    assert table.loc["retention", "share_of_base"] == pytest.approx(0.18 / 0.16 - 1)


def _simulated_drivers(rng, n, retention):
    kept = rng.random(n) < retention
    revenue = rng.lognormal(10, 0.5, n)
    return pd.DataFrame(
        {
            "group": np.where(kept, "kept", "lost"),
            "net_revenue": revenue,
            "gross_margin": 0.3 * revenue,
            "cost_to_serve": 0.1 * revenue,
            "wallet": 3 * revenue,
        }
    )


def test_bootstrap_spread_matches_the_binomial_formula():
    # Known truth: retention is Bernoulli(0.85) over 2,000 accounts, so the estimate's standard
    # error is sqrt(0.85 x 0.15 / 2000) = 0.00798.
    rng = np.random.default_rng(7)
    drivers = _simulated_drivers(rng, 2000, 0.85)
    draws = pt.bootstrap_economics(drivers, n_boot=2000, seed=3)
    p = pt.base_economics(drivers)["retention"]
    assert draws["retention"].std() == pytest.approx(np.sqrt(p * (1 - p) / 2000), rel=0.08)
    assert draws["accounts"].eq(2000).all()
    # The margin rate is 0.3 for every account: no spread at all.
    assert draws["gross_margin_rate"].std() < 1e-12


def test_bootstrap_interval_covers_the_true_lever_value():
    # 60 simulated bases: the 90% bootstrap interval of a retention point's value should hold
    # the value computed with the true retention and the true mean margin about 90% of the time.
    rng = np.random.default_rng(11)
    true_r, n = 0.85, 800
    mean_revenue = np.exp(10 + 0.5**2 / 2)
    truth_e = pd.Series({"accounts": n, "retention": true_r,
                         "margin_per_account": 0.2 * mean_revenue, "gross_margin_rate": 0.3,
                         "wallet_per_account": 3 * mean_revenue,
                         "cost_to_serve_per_account": 0.1 * mean_revenue})  # fmt: skip
    truth = pt.lever_values(truth_e).loc["retention", "value_cny"]
    hits = 0
    for rep in range(60):
        drivers = _simulated_drivers(rng, n, true_r)
        values = pt.lever_values(pt.bootstrap_economics(drivers, n_boot=300, seed=rep))
        low, high = values["retention"].quantile([0.05, 0.95])
        hits += low <= truth <= high
    assert 45 <= hits <= 60  # 90% of 60 = 54; binomial 99.9% band is about 45-60


def test_bootstrap_is_seeded():
    drivers = pt.account_drivers(*pt.toy_tables(), year=2024)
    a = pt.bootstrap_economics(drivers, n_boot=20, seed=5)
    b = pt.bootstrap_economics(drivers, n_boot=20, seed=5)
    c = pt.bootstrap_economics(drivers, n_boot=20, seed=6)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_plot_profit_tree_ends_at_the_profit(toy_tree):
    ax = pt.plot_profit_tree(toy_tree)
    last = ax.patches[-1]
    assert last.get_width() == pytest.approx(13800.0)
    # Nine non-zero leaves shown (zero ones pooled away), plus the profit bar.
    assert len(ax.patches) == 10
    plt.close("all")
