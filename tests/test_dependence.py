"""Dependence on few customers: HHI and top-N shares by hand, the stress test by hand, bad input."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from kamlib import dependence, toy
from kamlib.errors import DataError, KamlibError, ParameterError

# Orders of five accounts in two years; revenue 2023: A 60, B 30, C 10; 2024: A 50, B 50.
ORDERS = pd.DataFrame(
    {
        "account_id": ["A", "A", "B", "C", "A", "B", "B"],
        "order_date": pd.to_datetime(
            [
                "2023-01-05",
                "2023-06-01",
                "2023-03-03",
                "2023-09-09",
                "2024-02-02",
                "2024-05-05",
                "2024-07-07",
            ]
        ),  # fmt: skip
        "net_revenue_cny": [40.0, 20.0, 30.0, 10.0, 50.0, 20.0, 30.0],
    }
)
ACCOUNTS = pd.DataFrame({"account_id": ["A", "B", "C"], "region": ["East", "West", "East"]})


def test_hhi_by_hand():
    # 50^2 + 30^2 + 20^2 = 2500 + 900 + 400.
    assert dependence.hhi(pd.Series([50.0, 30.0, 20.0])) == pytest.approx(3800)
    # Toy orders: 60%, 20%, 15%, 5% -> 3600 + 400 + 225 + 25.
    assert dependence.hhi(toy.orders()) == pytest.approx(4250)
    # n equal customers score 10,000 / n; one customer 10,000.
    assert dependence.hhi(pd.Series([7.0] * 8)) == pytest.approx(1250)
    assert dependence.hhi(pd.Series([3.0])) == pytest.approx(10000)


def test_hhi_bands_at_their_edges():
    assert dependence.hhi_band(1499.9) == "unconcentrated"
    assert dependence.hhi_band(1500) == "moderately concentrated"
    assert dependence.hhi_band(2500) == "highly concentrated"
    with pytest.raises(ParameterError, match="hhi_band"):
        dependence.hhi_band(12000)


def test_top_n_shares_of_revenue_and_of_profit():
    shares = dependence.top_n_shares(toy.orders(), n=(1, 3, 10))
    np.testing.assert_allclose(shares.to_numpy(), [0.6, 0.95, 1.0])
    # Profit with a loss-maker: the top two bring 140 of 150; all but the loss-maker 155/150.
    profit = pd.Series([100.0, 40.0, 10.0, -5.0, 5.0], index=list("ABCDE"))
    out = dependence.top_n_shares(profit, n=(2, 4))
    np.testing.assert_allclose(out.to_numpy(), [140 / 150, 155 / 150])


def test_top_n_shares_refuses_a_non_positive_total():
    with pytest.raises(DataError, match="positive total"):
        dependence.top_n_shares(pd.Series([10.0, -10.0], index=["A", "B"]))


def test_dependence_table_by_year_and_region():
    by_year = dependence.dependence_table(ORDERS, n=(1, 2))
    assert by_year.index.tolist() == [2023, 2024]
    # 2023: 60, 30, 10 of 100 -> 3600 + 900 + 100; 2024: 50, 50 -> 5000.
    np.testing.assert_allclose(by_year["hhi"], [4600, 5000])
    np.testing.assert_allclose(by_year["top_1_share"], [0.6, 0.5])
    np.testing.assert_allclose(by_year["equivalent_accounts"], [10000 / 4600, 2.0])
    assert by_year["accounts"].tolist() == [3, 2]
    by_region = dependence.dependence_table(ORDERS, ACCOUNTS, by="region", period=2023)
    # 2023, East: A 60 and C 10 of 70.
    east = by_region.loc["East"]
    assert east["hhi"] == pytest.approx(10000 * ((60 / 70) ** 2 + (10 / 70) ** 2))
    assert by_region.loc["West", "hhi"] == pytest.approx(10000)


def test_dependence_table_refuses_unknown_groupings():
    with pytest.raises(ParameterError, match="accounts"):
        dependence.dependence_table(ORDERS, by="region")
    with pytest.raises(DataError, match="segment"):
        dependence.dependence_table(ORDERS, ACCOUNTS, by="segment")
    as_numbers = ORDERS.assign(order_date=ORDERS["order_date"].dt.strftime("%Y%m%d").astype(int))
    with pytest.raises(DataError, match="order_date"):
        dependence.dependence_table(as_numbers)


PROFIT = pd.DataFrame(
    {"net_revenue": [500.0, 300, 100, 60, 40], "profit": [100.0, 40, 10, -5, 5]},
    index=pd.Index(list("ABCDE"), name="account_id"),
)


def test_stress_test_by_hand():
    before = PROFIT.copy()
    out = dependence.loss_stress_test(PROFIT, fixed_costs=120, n=(1, 3, 5))
    pd.testing.assert_frame_equal(PROFIT, before)
    # Lose A: revenue 500 of 1000, contribution 50, cover 50/120; lose A, B, C: 100 and 0.
    np.testing.assert_allclose(out["revenue"], [1000, 500, 100, 0])
    np.testing.assert_allclose(out["contribution"], [150, 50, 0, 0])
    np.testing.assert_allclose(out["coverage"], [1.25, 50 / 120, 0, 0])
    np.testing.assert_allclose(out["operating_profit"], [30, -70, -120, -120])
    np.testing.assert_allclose(out["revenue_change"], [0, -0.5, -0.9, -1.0])
    assert out.loc["top 3 lost", "lost_accounts"] == "A, B, C"


def test_stress_test_ranked_by_profit():
    table = PROFIT.assign(profit=[10.0, 40, 100, -5, 5])
    out = dependence.loss_stress_test(table, fixed_costs=100, n=1, rank_by="profit")
    assert out.loc["top 1 lost", "lost_accounts"] == "C"
    assert out.loc["top 1 lost", "contribution"] == pytest.approx(50)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"fixed_costs": 0}, "fixed_costs"),
        ({"fixed_costs": 100, "n": (0,)}, "'n'"),
        ({"fixed_costs": 100, "n": "3"}, "'n'"),
        ({"fixed_costs": 100, "rank_by": "margin"}, "margin"),
    ],
)
def test_stress_test_bad_parameters(kwargs, match):
    with pytest.raises(KamlibError, match=match):
        dependence.loss_stress_test(PROFIT, **kwargs)


def test_stress_test_refuses_repeated_accounts():
    with pytest.raises(DataError, match="repeats"):
        dependence.loss_stress_test(pd.concat([PROFIT, PROFIT.iloc[:1]]), fixed_costs=10)


def test_hhi_refuses_negative_revenue():
    with pytest.raises(DataError, match="negative"):
        dependence.hhi(pd.Series([5.0, -1.0]))


def test_plot_stress_test_draws_labelled_bars():
    ax = dependence.plot_stress_test(dependence.loss_stress_test(PROFIT, fixed_costs=120))
    assert "fixed costs" in ax.get_title()
    assert len(ax.patches) == 4
