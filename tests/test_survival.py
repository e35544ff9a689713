"""kamlib.survival: Kaplan-Meier by hand, the Cox model against the simulation's true hazards."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kamlib import datasets, survival
from kamlib.datasets.hidden import hidden_account_traits
from kamlib.errors import DataError, KamlibError, ParameterError

# A six-customer toy, months until each left or was last seen (+ = censored):
#   2, 3+, 3, 5, 7+, 8
TOY = pd.DataFrame({"t": [2.0, 3, 3, 5, 7, 8], "lost": [True, False, True, True, False, True]})
# By hand, stepping down at each month with a loss by (1 - losses / at risk):
#   t=2: 6 at risk (everyone), 1 lost            S = 5/6              = 0.8333
#   t=3: 5 at risk (the censored 3+ still counts at 3), 1 lost
#                                                S = 5/6 * 4/5 = 4/6  = 0.6667
#   t=5: 3 at risk (5, 7+, 8), 1 lost            S = 4/6 * 2/3 = 4/9  = 0.4444
#   t=7: censored, no step
#   t=8: 1 at risk, 1 lost                       S = 0
HAND = {"time": [2.0, 3.0, 5.0, 8.0], "at_risk": [6, 5, 3, 1], "survival": [5 / 6, 4 / 6, 4 / 9, 0]}


def test_kaplan_meier_by_hand():
    km = survival.km_table(TOY, duration_col="t", entry_col=None)
    assert km["time"].tolist() == HAND["time"]
    assert km["at_risk"].tolist() == HAND["at_risk"]
    assert km["events"].tolist() == [1, 1, 1, 1]
    assert np.allclose(km["survival"], HAND["survival"])


def test_kaplan_meier_by_hand_matches_statsmodels_directly():
    from statsmodels.duration.survfunc import SurvfuncRight

    fit = SurvfuncRight(TOY["t"].to_numpy(), TOY["lost"].to_numpy(dtype=float))
    assert np.allclose(fit.surv_prob, HAND["survival"])
    assert fit.n_risk.tolist() == HAND["at_risk"]


def test_log_log_band_by_hand():
    km = survival.km_table(TOY, duration_col="t", entry_col=None)
    # Greenwood at t=2: var S = S^2 * d / (n (n - d)) = (5/6)^2 / 30; the log-log band is
    # S^exp(+-1.96 se / (S |ln S|)).
    s = 5 / 6
    se = s * np.sqrt(1 / 30)
    w = 1.959964 * se / (s * abs(np.log(s)))
    assert km.loc[0, "lower"] == pytest.approx(s ** np.exp(w), rel=1e-5)
    assert km.loc[0, "upper"] == pytest.approx(s ** np.exp(-w), rel=1e-5)
    assert (km["lower"] <= km["survival"]).all() and (km["survival"] <= km["upper"]).all()


def test_delayed_entry_by_hand():
    # Two accounts enter late (seen from month 4): they are not at risk before then.
    d = TOY.assign(entry=[0.0, 0, 0, 4, 4, 0])
    km = survival.km_table(d, duration_col="t", entry_col="entry")
    # t=2: at risk 2, 3+, 3, 8 (the two late ones not yet watched): 4, 1 lost -> 3/4
    # t=3: at risk 3+, 3, 8 -> 3, 1 lost -> 3/4 * 2/3 = 1/2
    # t=5: at risk 5, 7+, 8 -> 3, 1 lost -> 1/2 * 2/3 = 1/3
    # t=8: 1 at risk, lost -> 0
    assert km["at_risk"].tolist() == [4, 3, 3, 1]
    assert np.allclose(km["survival"], [3 / 4, 1 / 2, 1 / 3, 0])


def test_groups_get_their_own_curves():
    d = pd.concat([TOY.assign(g="a"), TOY.assign(g="b", t=TOY["t"] * 2)], ignore_index=True)
    km = survival.km_table(d, by="g", duration_col="t", entry_col=None)
    assert km.loc[km["group"] == "b", "time"].tolist() == [4.0, 6.0, 10.0, 16.0]
    assert np.allclose(km.loc[km["group"] == "b", "survival"], HAND["survival"])


def test_survival_data_by_hand():
    acc = pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "D"],
            "customer_since": pd.to_datetime(["2020-01-01", "2022-07-01", "2019-01-01",
                                              "2025-02-01"]),
            "lost_date": pd.to_datetime(["2023-01-01", None, "2021-05-01", None]),
        }
    )  # fmt: skip
    with pytest.warns(UserWarning, match="survival_data: 2 account"):
        s = survival.survival_data(acc, start="2022-01-01", end="2024-12-31")
    assert list(s.index) == ["A", "B"]  # C left before the study, D was won after it
    m = 365.25 / 12
    assert s.loc["A", "entry_months"] == pytest.approx(731 / m)  # 2020-01-01 to 2022-01-01
    assert s.loc["A", "duration_months"] == pytest.approx(1096 / m)
    assert s.loc["B", "entry_months"] == 0 and not s.loc["B", "lost"]
    assert s.loc["B", "duration_months"] == pytest.approx(914 / m)  # to 2024-12-31


# ---------------------------------------------------------------------------------------------
# The Cox model against the truth of the simulation
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def world():
    # The course accounts and their hidden traits, row-aligned (hidden_account_traits is tested
    # equal to simulate_b2b's traits, and draws them in a fraction of the time).
    return datasets.load("accounts"), hidden_account_traits().reset_index(drop=True)


def test_cox_on_the_true_traits_recovers_the_true_hazards(world):
    acc, hidden = world
    truth = datasets.true_parameters()["accounts"]["churn"]
    # End before the 2024 campaign, whose treated accounts had a lower hazard for six months.
    with pytest.warns(UserWarning, match="left out"):
        s = survival.survival_data(acc, end="2024-04-30")
    traits = hidden.set_index(acc["account_id"]).loc[s.index]
    employees = acc.set_index("account_id").loc[s.index, "employees"]
    d = s.assign(
        satisfaction=traits["satisfaction"].to_numpy(),
        fit=traits["fit"].to_numpy(),
        log_size=(np.log(employees / 150) / 1.2).to_numpy(),  # the simulator's size scale
    )
    cox = survival.fit_cox(d, ["satisfaction", "fit", "log_size"])
    for name, key in (("satisfaction", "satisfaction"), ("fit", "strategic_fit"),
                      ("log_size", "log_size")):  # fmt: skip
        assert cox.loc[name, "lower"] < truth[key] < cox.loc[name, "upper"], name
    assert cox.attrs["events"] > 500
    # Without the delayed entry the survivors of the years before 2022 look like everyone:
    # long-tenured accounts are the satisfied ones, and the effect is underestimated.
    naive = survival.fit_cox(d, ["satisfaction", "fit", "log_size"], entry_col=None)
    assert abs(naive.loc["satisfaction", "coef"]) < abs(cox.loc["satisfaction", "coef"])


@pytest.fixture(scope="module")
def proxy_data():
    acc, surveys = datasets.load("accounts"), datasets.load("surveys")
    first = surveys[surveys["survey_date"] < "2022-12-01"].set_index("account_id")
    still = acc[~(acc["lost_date"] < "2022-12-01")]
    d = survival.survival_data(still, start="2022-12-01").join(first[["csat"]], how="inner")
    info = acc.set_index("account_id")
    d["strategic_fit"] = info.loc[d.index, "strategic_fit"]
    d["log_size"] = np.log(info.loc[d.index, "employees"])
    for c in ("csat", "strategic_fit", "log_size"):
        d[c] = (d[c] - d[c].mean()) / d[c].std()
    return d


def test_cox_on_observable_proxies_has_the_true_signs_and_order(proxy_data):
    cox = survival.fit_cox(proxy_data, ["csat", "strategic_fit", "log_size"])
    coef = cox["coef"]
    # Truth: -0.55 satisfaction, -0.25 fit, -0.2 size; proxies keep sign and order, shrunk.
    assert coef["csat"] < coef["strategic_fit"] < coef["log_size"] < 0
    assert coef["csat"] > -0.55  # attenuated: CSAT is a noisy reading of satisfaction


def test_ph_check_on_the_course_data(proxy_data):
    check = survival.ph_check(proxy_data, ["csat", "strategic_fit", "log_size"])
    assert (check["p_value"] > 0.05).all()  # the simulated hazards are proportional


def test_ph_check_flags_an_effect_that_reverses():
    rng = np.random.default_rng(5)
    n = 3000
    x = rng.normal(size=n)
    # Hazard exp(+x) before t=1 and exp(-x) after: piecewise exponential times.
    t1 = rng.exponential(1 / np.exp(x))
    t2 = 1 + rng.exponential(1 / np.exp(-x))
    t = np.where(t1 < 1, t1, t2)
    d = pd.DataFrame({"t": t, "lost": True, "x": x})
    check = survival.ph_check(d, ["x"], duration_col="t", entry_col=None)
    assert check.loc["x", "p_value"] < 0.001 and check.loc["x", "correlation"] < 0
    assert check.loc["x", "verdict"] == "effect changes over time"


def test_fit_cox_recovers_a_simulated_hazard_ratio():
    rng = np.random.default_rng(11)
    n = 4000
    x = rng.normal(size=n)
    t = rng.exponential(1 / (0.1 * np.exp(-0.4 * x)))
    d = pd.DataFrame({"t": np.minimum(t, 10.0), "lost": t < 10.0, "x": x})
    cox = survival.fit_cox(d, ["x"], duration_col="t", entry_col=None)
    assert cox.loc["x", "lower"] < -0.4 < cox.loc["x", "upper"]
    assert cox.loc["x", "hazard_ratio"] == pytest.approx(np.exp(cox.loc["x", "coef"]))


# ---------------------------------------------------------------------------------------------
# Bad input and unchanged input
# ---------------------------------------------------------------------------------------------
def test_inputs_are_not_changed():
    d = TOY.assign(x=[0.1, 0.5, -0.2, 1.0, 0.3, -1.0])
    before = d.copy()
    survival.km_table(d, duration_col="t", entry_col=None)
    survival.fit_cox(d, ["x"], duration_col="t", entry_col=None)
    survival.ph_check(d, ["x"], duration_col="t", entry_col=None)
    pd.testing.assert_frame_equal(d, before)


@pytest.mark.parametrize(
    "data, match",
    [
        (TOY.drop(columns="lost"), "lost"),
        (TOY.assign(t=[2.0, -3, 3, 5, 7, 8]), "above 0"),
        (TOY.assign(t=[2.0, np.nan, 3, 5, 7, 8]), "missing"),
        (TOY.assign(lost=[1, 2, 0, 1, 0, 1]), "True/False"),
        (TOY.iloc[:0], "no rows"),
        (TOY.assign(lost=False), "no account"),
    ],
)
def test_bad_km_input(data, match):
    with pytest.raises(DataError, match=match):
        survival.km_table(data, duration_col="t", entry_col=None)


def test_bad_cox_input():
    d = TOY.assign(x=[0.1, np.nan, -0.2, 1.0, 0.3, -1.0])
    with pytest.raises(DataError, match="fit_cox.*'x'.*missing"):
        survival.fit_cox(d, ["x"], duration_col="t", entry_col=None)
    with pytest.raises(KamlibError, match="fit_cox"):
        survival.fit_cox(TOY, ["nope"], duration_col="t", entry_col=None)
    with pytest.raises(ParameterError, match="covariates"):
        survival.fit_cox(TOY, 5, duration_col="t", entry_col=None)
    with pytest.raises(DataError, match="entry"):
        survival.fit_cox(TOY.assign(e=9.0, x=1.0), ["x"], duration_col="t", entry_col="e")


def test_bad_dates():
    acc = pd.DataFrame({"account_id": ["A"], "customer_since": ["2022-01-01"],
                        "lost_date": ["2021-01-01"]})  # fmt: skip
    with pytest.raises(DataError, match="lost before they were won"):
        survival.survival_data(acc)
    with pytest.raises(ParameterError, match="'end'"):
        survival.survival_data(acc, start="2024-01-01", end="2023-01-01")
    with pytest.raises(ParameterError, match="start"):
        survival.survival_data(acc, start=20220101)


def test_plot_km_draws_each_group():
    d = pd.concat([TOY.assign(g="a"), TOY.assign(g="b")], ignore_index=True)
    ax = survival.plot_km(survival.km_table(d, by="g", duration_col="t", entry_col=None))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    with pytest.raises(DataError, match="plot_km"):
        survival.plot_km(pd.DataFrame({"group": ["a"], "time": [1.0]}))
