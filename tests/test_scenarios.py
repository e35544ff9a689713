"""Scenarios: NPV and payback against hand calculation, the programme's cash flows by hand,
Monte Carlo against a case whose NPV distribution is known exactly, the tornado by hand."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from kamlib import scenarios as sc
from kamlib.errors import DataError, ParameterError

BASE = dict(
    accounts=100,
    retention=0.8,
    revenue_per_account=1000.0,
    gross_margin_rate=0.3,
    cost_to_serve_per_account=100.0,
    retention_gain=0.1,
    revenue_uplift=0.1,
    cost_to_serve_cut=0.1,
    upfront_cost=1000.0,
    running_cost=100.0,
    cost_per_account=2.0,
    ramp_years=2,
    years=2,
    discount_rate=0.1,
)


def test_npv_by_hand():
    flows = [-1000.0, 300.0, 400.0, 500.0]
    assert sc.npv(flows, 0.10) == pytest.approx(-1000 + 300 / 1.1 + 400 / 1.21 + 500 / 1.331)
    assert sc.npv(flows, 0.0) == pytest.approx(200.0)
    assert sc.npv(pd.Series([50.0]), 0.2) == pytest.approx(50.0)  # year 0 is not discounted


def test_payback_by_hand():
    # Cumulative -700, -300, +200: two years and 300/500 of the third.
    assert sc.payback_period([-1000.0, 300.0, 400.0, 500.0]) == pytest.approx(2.6)
    # Discounted at 10%: 272.73, 330.58, 375.66 -> cumulative -727.27, -396.69, -21.04: never.
    assert sc.payback_period([-1000.0, 300.0, 400.0, 500.0], rate=0.1) == math.inf
    assert sc.payback_period([-100.0, 110.0], rate=0.1) == pytest.approx(1.0)
    assert sc.payback_period([0.0, 10.0]) == 0.0


def test_ramp_up_by_hand():
    assert sc.ramp_up(5, 4).tolist() == [0.25, 0.5, 0.75, 1.0, 1.0]
    assert sc.ramp_up(3, 1.5).tolist() == pytest.approx([2 / 3, 1.0, 1.0])


def test_programme_cash_flows_by_hand():
    flows = sc.programme_cash_flows(BASE)
    # Ramp 0.5 then 1: retention with 0.85 then 0.9 -> kept 85, 76.5; without 80, 64.
    assert flows["accounts_with"].tolist() == pytest.approx([100, 85, 76.5])
    assert flows["accounts_without"].tolist() == pytest.approx([100, 80, 64])
    # Margin per kept account 1000 x 0.3 - 100 = 200.
    assert flows["retention_gain"].tolist() == pytest.approx([0, 5 * 200, 12.5 * 200])
    # Growth 85 x 1000 x 0.1 x 0.5 x 0.3 and 76.5 x 1000 x 0.1 x 1 x 0.3.
    assert flows["growth_gain"].tolist() == pytest.approx([0, 1275, 2295])
    assert flows["service_saving"].tolist() == pytest.approx([0, 425, 765])
    assert flows["programme_cost"].tolist() == pytest.approx([-1000, -270, -253])
    net = [-1000, 1000 + 1275 + 425 - 270, 2500 + 2295 + 765 - 253]
    assert flows["net_cash_flow"].tolist() == pytest.approx(net)
    summary = sc.programme_summary(BASE)
    assert summary["npv"] == pytest.approx(net[0] + net[1] / 1.1 + net[2] / 1.21)
    assert summary["payback_years"] == pytest.approx(1000 / net[1])
    assert summary["costs"] == pytest.approx(1000 + 270 + 253)


def test_simulation_recovers_a_known_distribution():
    # NPV is linear in the revenue uplift: each point of uplift at full effect adds
    # sum_t kept_t x 1000 x 0.01 x ramp_t x 0.3 / 1.1^t; with uplift ~ N(0.1, 0.02) the NPV is
    # normal with that slope x 2 as its standard deviation.
    slope = 85 * 1000 * 0.5 * 0.3 / 1.1 + 76.5 * 1000 * 1.0 * 0.3 / 1.21
    sims = sc.simulate_programme(BASE, {"revenue_uplift": (0.1, 0.02)}, n_sims=20000, seed=4)
    base_npv = sc.programme_summary(BASE)["npv"]
    sd = slope * 0.02
    assert sims["npv"].mean() == pytest.approx(base_npv, abs=4 * sd / np.sqrt(20000))
    assert sims["npv"].std() == pytest.approx(sd, rel=0.03)
    summary = sc.summarise_draws(sims)
    assert summary.loc["npv", "low"] == pytest.approx(base_npv - 1.96 * sd, rel=0.02)


def test_simulation_resamples_given_draws_and_is_seeded():
    pool = np.array([500.0, 1500.0])
    sims = sc.simulate_programme(BASE, {"upfront_cost": pool}, n_sims=400, seed=2)
    assert set(sims["upfront_cost"]) == {500.0, 1500.0}
    base = sc.programme_summary(BASE)["npv"]
    expected = base + 1000.0 - sims["upfront_cost"]
    assert sims["npv"].to_numpy() == pytest.approx(expected.to_numpy())
    again = sc.simulate_programme(BASE, {"upfront_cost": pool}, n_sims=400, seed=2)
    pd.testing.assert_frame_equal(sims, again)


def test_summarise_draws_by_hand():
    draws = pd.DataFrame({"npv": [-2.0, 1.0, 2.0, 3.0], "payback": [1.0, 2.0, 3.0, math.inf]})
    table = sc.summarise_draws(draws, level=0.5)
    assert table.loc["npv", "mean"] == pytest.approx(1.0)
    assert table.loc["npv", "share_negative"] == pytest.approx(0.25)
    assert table.loc["npv", "low"] == -2.0 and table.loc["npv", "high"] == 2.0
    assert table.loc["payback", "mean"] == pytest.approx(2.0)  # "never" left out of the mean


def test_tornado_by_hand():
    flat = {**BASE, "ramp_years": 0, "discount_rate": 0.0, "revenue_uplift": 0.0,
            "cost_to_serve_cut": 0.0, "running_cost": 0.0, "cost_per_account": 0.0}  # fmt: skip
    table = sc.tornado_table(flat, {"upfront_cost": (500.0, 1500.0),
                                    "retention_gain": (0.0, 0.2)})  # fmt: skip
    assert table.index.tolist() == ["retention_gain", "upfront_cost"]
    # retention gain 0: NPV = -1000; 0.2: kept 100, 100 vs 80, 64 -> (20 + 36) x 200 - 1000.
    assert table.loc["retention_gain", "npv_low"] == pytest.approx(-1000.0)
    assert table.loc["retention_gain", "npv_high"] == pytest.approx(56 * 200 - 1000.0)
    assert table.loc["upfront_cost", "swing"] == pytest.approx(1000.0)
    ax = sc.plot_tornado(table)
    assert len(ax.patches) == 4
    plt.close("all")


def test_inputs_unchanged():
    given = dict(BASE)
    ranges = {"upfront_cost": (500.0, 1500.0)}
    sc.programme_cash_flows(given)
    sc.simulate_programme(given, {"retention_gain": (0.1, 0.01)}, n_sims=10)
    sc.tornado_table(given, ranges)
    assert given == BASE and ranges == {"upfront_cost": (500.0, 1500.0)}


def test_bad_input():
    with pytest.raises(ParameterError, match="npv.*cash_flows"):
        sc.npv("100", 0.1)
    with pytest.raises(ParameterError, match="npv.*missing"):
        sc.npv([-1.0, np.nan], 0.1)
    with pytest.raises(ParameterError, match="payback_period"):
        sc.payback_period([])
    with pytest.raises(ParameterError, match="programme_cash_flows.*lacks"):
        sc.programme_cash_flows({"accounts": 10})
    with pytest.raises(ParameterError, match="programme_summary.*retention"):
        sc.programme_summary({**BASE, "retention": 1.5})
    with pytest.raises(ParameterError, match="programme_summary.*upfront_cost"):
        sc.programme_summary({**BASE, "upfront_cost": -5.0})
    with pytest.raises(ParameterError, match="simulate_programme.*seed"):
        sc.simulate_programme(BASE, {"retention_gain": (0.1, 0.01)}, seed=-1)
    with pytest.raises(ParameterError, match="simulate_programme.*colour"):
        sc.simulate_programme(BASE, {"colour": (1, 1)})
    with pytest.raises(ParameterError, match="tornado_table.*low, high"):
        sc.tornado_table(BASE, {"upfront_cost": 5})
    with pytest.raises(DataError, match="summarise_draws"):
        sc.summarise_draws(pd.DataFrame({"a": ["x"]}))
    with pytest.raises(DataError, match="plot_cash_flows"):
        sc.plot_cash_flows(pd.DataFrame({"a": [1]}))


def test_explorer_redraws_when_a_slider_moves(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(
        IPython.display, "display", lambda fig: shown.append(fig.axes[0].get_title())
    )
    box = sc.programme_explorer(BASE)
    first = box.children[0].children[0]
    assert first.description == "Retention gain" and first.value == pytest.approx(0.05)
    first.value = 0.0  # no retention gain: a lower NPV in the title
    assert len(shown) == 2 and shown[0] != shown[1]
    npv_zero = sc.programme_summary({**BASE, "retention_gain": 0.0})["npv"]
    assert f"¥{abs(npv_zero) / 1e6:,.1f}m" in shown[1]
    plt.close("all")


def test_plots_return_axes():
    ax = sc.plot_cash_flows(sc.programme_cash_flows(BASE))
    assert ax.get_title()
    sims = sc.simulate_programme(BASE, {"revenue_uplift": (0.1, 0.05)}, n_sims=200, seed=1)
    ax = sc.plot_npv_distribution(sims)
    assert "lose money" in ax.get_title()
    plt.close("all")
