"""Campaign evaluation: estimands by hand, recovery of simulated and of the course's true effects."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kamlib import campaigns as cp
from kamlib import datasets
from kamlib.errors import DataError, ParameterError

ROOT = Path(__file__).resolve().parents[1]
SIX = pd.DataFrame(
    {
        "group": ["treatment"] * 3 + ["control"] * 3,
        "y": [12.0, 14.0, 16.0, 10.0, 11.0, 12.0],
    }
)


# ---------------------------------------------------------------------------------------------
# A small world with known effects: heterogeneous order rates, a constant daily risk of loss
# ---------------------------------------------------------------------------------------------
LIFT = {"Small": 1.05, "Medium": 1.15, "Large": 1.10}
HR = 0.6


def simulate_window(seed: int, n_per_arm: int = 1500, window: int = 180) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for band, mean_rate in zip(LIFT, [0.01, 0.02, 0.04], strict=True):
        n = 2 * n_per_arm
        treated = np.arange(n) < n_per_arm
        rate = rng.gamma(2.0, mean_rate / 2.0, n)  # orders per day, differs by account
        risk = 0.0006 * np.exp(rng.normal(0, 0.3, n))  # daily risk of loss
        t_loss = rng.exponential(1 / np.where(treated, risk * HR, risk))
        lost = t_loss < window
        days = np.where(lost, np.floor(t_loss), window)
        orders_post = rng.poisson(rate * np.where(treated, LIFT[band], 1) * days)
        value = rng.gamma(4.0, 250.0 * mean_rate / 0.01 / 4.0, n)  # yuan per order, by account
        rows.append(
            pd.DataFrame(
                {
                    "size_band": band,
                    "group": np.where(treated, "treatment", "control"),
                    "orders_pre": rng.poisson(rate * window),
                    "orders_post": orders_post,
                    "revenue_post_cny": orders_post * value,
                    "days_active": days.astype(int),
                    "lost_in_window": lost,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


@pytest.fixture(scope="module")
def course():
    acc = datasets.load("accounts")
    window = cp.campaign_window(datasets.load("campaign"), acc, datasets.load("orders"))
    truth = json.loads((ROOT / "datasets" / "true_parameters.json").read_text())["campaign"]
    return window, truth


# ---------------------------------------------------------------------------------------------
# campaign_window
# ---------------------------------------------------------------------------------------------
CAMP = pd.DataFrame(
    {
        "account_id": ["A", "B", "C"],
        "group": ["treatment", "control", "control"],
        "start_date": pd.to_datetime(["2024-05-01"] * 3),
    }
)
ACC = pd.DataFrame(
    {"account_id": ["A", "B", "C"], "lost_date": pd.to_datetime([None, "2024-05-11", "2024-07-01"])}
)
ORD = pd.DataFrame(
    {
        "account_id": ["A", "A", "A", "B", "C", "A"],
        # A: 1 Apr (pre, 30 days before), 30 Apr (pre), 30 May (day 29: in a 30-day window),
        #    31 May (day 30: outside); B: 3 May (post); C: 31 Mar (31 days before: outside pre).
        "order_date": pd.to_datetime(
            ["2024-04-01", "2024-04-30", "2024-05-30", "2024-05-03", "2024-03-31", "2024-05-31"]
        ),
    }
)


def test_campaign_window_by_hand():
    out = cp.campaign_window(CAMP, ACC, ORD, window_days=30)
    assert out["orders_pre"].tolist() == [2, 0, 0]
    assert out["orders_post"].tolist() == [1, 1, 0]
    # B left on day 10 of the window; C left after the 30-day window, so it counts as active.
    assert out["days_active"].tolist() == [30, 10, 30]
    assert out["lost_in_window"].tolist() == [False, True, False]


def test_campaign_window_keeps_inputs():
    before = [CAMP.copy(), ACC.copy(), ORD.copy()]
    cp.campaign_window(CAMP, ACC, ORD, window_days=30)
    for original, copy in zip([CAMP, ACC, ORD], before, strict=True):
        pd.testing.assert_frame_equal(original, copy)


def test_campaign_window_bad_input():
    with pytest.raises(DataError, match="campaign_window.*lost before the campaign"):
        cp.campaign_window(CAMP, ACC.assign(lost_date=pd.to_datetime(["2024-01-01"] * 3)), ORD)
    with pytest.raises(DataError, match="campaign_window.*not in 'accounts'"):
        cp.campaign_window(CAMP, ACC.iloc[:2], ORD)
    with pytest.raises(DataError, match="campaign_window.*'order_date'"):
        cp.campaign_window(CAMP, ACC, ORD.drop(columns="order_date"))
    with pytest.raises(DataError, match="campaign_window.*more than once"):
        cp.campaign_window(pd.concat([CAMP, CAMP.iloc[:1]]), ACC, ORD)
    with pytest.raises(ParameterError, match="window_days"):
        cp.campaign_window(CAMP, ACC, ORD, window_days=-5)
    with pytest.raises(DataError, match="DataFrame"):
        cp.campaign_window([1, 2], ACC, ORD)


# ---------------------------------------------------------------------------------------------
# ab_difference, uplift_by_segment, ab_power
# ---------------------------------------------------------------------------------------------
def test_ab_difference_welch_by_hand():
    res = cp.ab_difference(SIX, outcome_col="y")
    # Treatment 12, 14, 16: mean 14, variance 4; control 10, 11, 12: mean 11, variance 1.
    # Difference 3; standard error sqrt(4/3 + 1/3) = 1.2910; Welch's degrees of freedom
    # (5/3)^2 / ((4/3)^2/2 + (1/3)^2/2) = 2.941.
    se = np.sqrt(5 / 3)
    df = (5 / 3) ** 2 / ((4 / 3) ** 2 / 2 + (1 / 3) ** 2 / 2)
    assert df == pytest.approx(2.941, abs=1e-3)
    half = stats.t.ppf(0.975, df) * se
    assert res["difference"] == pytest.approx(3.0)
    assert res["ci_low"] == pytest.approx(3 - half)
    assert res["ci_high"] == pytest.approx(3 + half)
    assert res["relative_uplift"] == pytest.approx(3 / 11)
    assert res["p_value"] == pytest.approx(2 * stats.t.sf(3 / se, df))


def test_ab_difference_covariate_recovers_known_effect_with_a_narrower_interval():
    rng = np.random.default_rng(3)
    n = 2000
    x = rng.normal(100, 30, n)
    treated = rng.random(n) < 0.5
    data = pd.DataFrame(
        {
            "group": np.where(treated, "treatment", "control"),
            "pre": x,
            "y": 5 + 2 * x + 3 * treated + rng.normal(0, 5, n),
        }
    )
    plain = cp.ab_difference(data, outcome_col="y")
    adjusted = cp.ab_difference(data, outcome_col="y", covariates=["pre"])
    assert adjusted["ci_low"] < 3 < adjusted["ci_high"]
    assert (adjusted["ci_high"] - adjusted["ci_low"]) < (plain["ci_high"] - plain["ci_low"]) / 5


def test_uplift_by_segment_by_hand():
    data = pd.DataFrame(
        {
            "seg": ["a"] * 4 + ["b"] * 4,
            "group": ["treatment", "treatment", "control", "control"] * 2,
            "y": [5.0, 7.0, 4.0, 4.0, 1.0, 3.0, 2.0, 2.0],
        }
    )
    table = cp.uplift_by_segment(data, outcome_col="y", segment_col="seg")
    # a: (5 + 7) / 2 - 4 = 2; b: (1 + 3) / 2 - 2 = 0.
    assert table["seg"].tolist() == ["a", "b"]
    assert table["difference"].tolist() == [2.0, 0.0]
    assert table["n_treatment"].tolist() == [2, 2]


def test_ab_power_against_the_noncentral_t():
    data = pd.DataFrame({"group": ["treatment", "control"] * 50, "y": [1.0, 0.0, 0.0, 1.0] * 25})
    res = cp.ab_power(data, outcome_col="y", effect=0.3)
    # Each arm: 25 ones and 25 zeros, variance 0.25 * 50/49; pooled sd 0.50508.
    sd = np.sqrt(0.25 * 50 / 49)
    d = 0.3 / sd
    assert res["effect_size"] == pytest.approx(d)
    df, ncp = 98, d * np.sqrt(50 * 50 / 100)
    crit = stats.t.ppf(0.975, df)
    power = stats.nct.sf(crit, df, ncp) + stats.nct.cdf(-crit, df, ncp)
    assert res["power"] == pytest.approx(power, abs=1e-6)
    n = int(res["n_per_group_needed"])

    def power_at(m):
        return stats.nct.sf(stats.t.ppf(0.975, 2 * m - 2), 2 * m - 2, d * np.sqrt(m / 2))

    assert power_at(n) >= 0.8 > power_at(n - 1) - 1e-3


def test_ab_bad_input():
    with pytest.raises(DataError, match="ab_difference.*may only hold"):
        cp.ab_difference(SIX.assign(group=["treatment", "x", "control"] * 2), outcome_col="y")
    with pytest.raises(DataError, match="ab_difference.*at least two"):
        cp.ab_difference(SIX.iloc[2:], outcome_col="y")
    with pytest.raises(DataError, match="ab_difference.*missing"):
        cp.ab_difference(SIX.assign(y=[1.0, np.nan, 2, 3, 4, 5]), outcome_col="y")
    with pytest.raises(DataError, match="ab_difference.*'revenue_post_cny'"):
        cp.ab_difference(SIX)
    with pytest.raises(ParameterError, match="ab_difference.*alpha"):
        cp.ab_difference(SIX, outcome_col="y", alpha=1.5)
    with pytest.raises(ParameterError, match="ab_power.*effect"):
        cp.ab_power(SIX, outcome_col="y", effect=0)
    with pytest.raises(DataError, match="ab_power.*numeric"):
        cp.ab_power(SIX.assign(y="a"), outcome_col="y", effect=1.0)
    with pytest.raises(DataError, match="uplift_by_segment.*'seg'"):
        cp.uplift_by_segment(SIX, outcome_col="y", segment_col="seg")
    before = SIX.copy()
    cp.ab_difference(SIX, outcome_col="y")
    cp.ab_power(SIX, outcome_col="y", effect=1.0)
    pd.testing.assert_frame_equal(SIX, before)


# ---------------------------------------------------------------------------------------------
# order_rate_ratio, hazard_ratio, implied_uplift
# ---------------------------------------------------------------------------------------------
def test_order_rate_ratio_unadjusted_is_the_ratio_of_rates():
    w = pd.DataFrame(
        {
            "group": ["treatment"] * 3 + ["control"] * 3,
            "orders_post": [2, 3, 1, 1, 2, 0],
            "days_active": [30, 30, 60, 30, 30, 30],
            "lost_in_window": [False] * 6,
        }
    )
    # Treatment: 6 orders in 120 days = 0.05 a day; control: 3 orders in 90 days = 0.0333.
    # The Poisson fit with only the arm reproduces the ratio 0.05 / 0.0333 = 1.5 exactly.
    row = cp.order_rate_ratio(w, by=None, adjust=False).iloc[0]
    assert row["rate_ratio"] == pytest.approx(1.5)
    assert row["orders_per_30d_treatment"] == pytest.approx(1.5)
    assert row["orders_per_30d_control"] == pytest.approx(1.0)


def test_order_rate_and_hazard_ratios_recover_a_simulated_truth():
    window = simulate_window(seed=11)
    rates = cp.order_rate_ratio(window).set_index("segment")
    for band, lift in LIFT.items():
        assert rates.loc[band, "ci_low"] < lift < rates.loc[band, "ci_high"], band
        assert rates.loc[band, "rate_ratio"] == pytest.approx(lift, abs=0.06)
    hr = cp.hazard_ratio(window, strata="size_band")
    assert hr["ci_low"] < HR < hr["ci_high"]
    assert hr["hazard_ratio"] == pytest.approx(HR, abs=0.12)


def test_revenue_uplift_of_a_simulation_is_explained_by_its_two_effects():
    # Revenue = orders x an account's value per order, which the campaign leaves alone; so the
    # uplift the true lift and hazard ratio imply must lie in the ITT difference's interval.
    window = simulate_window(seed=23, n_per_arm=3000)
    implied = cp.implied_uplift(window, rate_lift=LIFT, hazard_ratio=HR).set_index("segment")
    for band in LIFT:
        itt = cp.ab_difference(window[window["size_band"] == band])
        assert itt["ci_low"] < implied.loc[band, "implied_uplift_per_account"] < itt["ci_high"]
    # The three observed factors multiply to the observed ratio of means in each band.
    row = implied.loc["Medium"]
    means = window[window["size_band"] == "Medium"].groupby("group")["revenue_post_cny"].mean()
    product = (
        row["observed_exposure_ratio"] * row["observed_rate_ratio"] * row["observed_value_ratio"]
    )
    assert product == pytest.approx(means["treatment"] / means["control"])


def test_implied_uplift_by_hand():
    w = pd.DataFrame(
        {
            "seg": ["a"] * 4,
            "group": ["treatment", "treatment", "control", "control"],
            "revenue_post_cny": [120.0, 100.0, 100.0, 80.0],
            "orders_post": [2, 2, 2, 1],
            "days_active": [100, 100, 100, 50],
            "lost_in_window": [False, False, False, True],
        }
    )
    r = cp.implied_uplift(w, rate_lift=1.1, hazard_ratio=0.5, by="seg", window_days=100)
    row = r.iloc[0]
    # Control: 1 loss in 150 active days, lam = 1/150; lam W = 2/3, f = (1 - e^-(2/3)) / (2/3)
    # = 0.7699; treated lam W = 1/3, f = (1 - e^-(1/3)) / (1/3) = 0.8504; ratio 1.1046.
    f_c = (1 - np.exp(-2 / 3)) / (2 / 3)
    f_t = (1 - np.exp(-1 / 3)) / (1 / 3)
    assert row["exposure_ratio"] == pytest.approx(f_t / f_c)
    assert row["implied_uplift_per_account"] == pytest.approx(90 * (1.1 * f_t / f_c - 1))
    assert row["observed_uplift_per_account"] == pytest.approx(110 - 90)
    # Observed ratio 110 / 90 = (100/75 days) x (4/200 over 3/150 a day) x (55 over 60 a order).
    assert row["observed_exposure_ratio"] == pytest.approx(100 / 75)
    assert row["observed_rate_ratio"] == pytest.approx(1.0)
    assert row["observed_value_ratio"] == pytest.approx(55 / 60)
    assert row["observed_exposure_ratio"] * row["observed_value_ratio"] == pytest.approx(110 / 90)
    assert r.iloc[-1]["implied_total"] == pytest.approx(2 * row["implied_uplift_per_account"])


def test_window_functions_bad_input():
    window = simulate_window(seed=1, n_per_arm=20)
    with pytest.raises(DataError, match="order_rate_ratio.*'days_active'"):
        cp.order_rate_ratio(window.drop(columns="days_active"))
    with pytest.raises(DataError, match="order_rate_ratio.*negative"):
        cp.order_rate_ratio(window.assign(orders_post=-1))
    with pytest.raises(ParameterError, match="order_rate_ratio.*adjust"):
        cp.order_rate_ratio(window, adjust="yes")
    with pytest.raises(DataError, match="hazard_ratio.*no account was lost"):
        cp.hazard_ratio(window.assign(lost_in_window=False))
    with pytest.raises(DataError, match="hazard_ratio.*lost_in_window"):
        cp.hazard_ratio(window.assign(lost_in_window="maybe"))
    with pytest.raises(ParameterError, match="implied_uplift.*no lift for"):
        cp.implied_uplift(
            window.assign(revenue_post_cny=1.0), rate_lift={"Small": 1.0}, hazard_ratio=0.6
        )
    with pytest.raises(ParameterError, match="implied_uplift.*hazard_ratio"):
        cp.implied_uplift(window.assign(revenue_post_cny=1.0), rate_lift=1.0, hazard_ratio=-1)
    before = window.copy()
    cp.order_rate_ratio(window)
    cp.hazard_ratio(window)
    pd.testing.assert_frame_equal(window, before)


# ---------------------------------------------------------------------------------------------
# The course data: the campaign's true effects recovered
# ---------------------------------------------------------------------------------------------
def test_course_order_rate_lift_by_size_band_within_its_interval(course):
    window, truth = course
    rates = cp.order_rate_ratio(window).set_index("segment")
    for band, lift in truth["order_rate_lift_by_size_band"].items():
        assert rates.loc[band, "ci_low"] < lift < rates.loc[band, "ci_high"], band


def test_course_hazard_ratio_within_its_interval(course):
    window, truth = course
    hr = cp.hazard_ratio(window, strata="size_band")
    assert hr["ci_low"] < truth["churn_hazard_ratio"] < hr["ci_high"]
    assert hr["hazard_ratio"] < 1 and hr["ci_high"] < 1  # the campaign kept accounts


def test_course_revenue_uplift_split_into_its_three_factors(course):
    window, truth = course
    table = cp.implied_uplift(
        window,
        rate_lift=truth["order_rate_lift_by_size_band"],
        hazard_ratio=truth["churn_hazard_ratio"],
    ).set_index("segment")
    bands = table.drop(index="All")
    means = window.groupby(["size_band", "group"], observed=True)["revenue_post_cny"].mean()
    for band, row in bands.iterrows():
        ratio = means[(band, "treatment")] / means[(band, "control")]
        product = (
            row["observed_exposure_ratio"]
            * row["observed_rate_ratio"]
            * row["observed_value_ratio"]
        )
        assert product == pytest.approx(ratio)
    # The true effects imply a positive uplift in every band (Enterprise only through retention).
    assert (bands["implied_uplift_per_account"] > 0).all()
    assert bands.loc["Enterprise", "implied_ratio"] == pytest.approx(
        bands.loc["Enterprise", "exposure_ratio"]
    )
    itt = cp.ab_difference(window)
    assert itt["ci_low"] > 0  # the revenue difference is clearly positive


def test_course_cost_matches_true_cost_per_band(course):
    window, truth = course
    treated = window[window["group"] == "treatment"]
    costs = treated.groupby("size_band", observed=True)["cost_cny"].first().to_dict()
    assert costs == {k: float(v) for k, v in truth["cost_cny_by_size_band"].items()}


# ---------------------------------------------------------------------------------------------
# campaign_roi
# ---------------------------------------------------------------------------------------------
def test_campaign_roi_by_hand():
    res = cp.campaign_roi(100_000, 20_000, margin_rate=0.3)
    # Margin 100,000 x 0.3 = 30,000; net 30,000 - 20,000 = 10,000; ROI 10,000 / 20,000 = 0.5.
    assert res.to_dict() == {
        "incremental_revenue": 100_000.0,
        "incremental_margin": 30_000.0,
        "cost": 20_000.0,
        "net_gain": 10_000.0,
        "roi": 0.5,
    }
    assert cp.campaign_roi(-10_000, 5_000, margin_rate=0.5)["roi"] == pytest.approx(-2.0)


def test_campaign_roi_bad_input():
    with pytest.raises(ParameterError, match="campaign_roi.*cost"):
        cp.campaign_roi(1000, 0, margin_rate=0.3)
    with pytest.raises(ParameterError, match="campaign_roi.*margin_rate"):
        cp.campaign_roi(1000, 10, margin_rate=30)
    with pytest.raises(ParameterError, match="campaign_roi.*incremental_revenue"):
        cp.campaign_roi("1000", 10, margin_rate=0.3)
    with pytest.raises(ParameterError, match="campaign_roi.*incremental_revenue"):
        cp.campaign_roi(float("nan"), 10, margin_rate=0.3)


def test_segment_and_implied_uplift_keep_inputs():
    window = simulate_window(seed=2, n_per_arm=30)
    before = window.copy()
    cp.uplift_by_segment(window, outcome_col="revenue_post_cny")
    cp.implied_uplift(window, rate_lift=LIFT, hazard_ratio=HR)
    pd.testing.assert_frame_equal(window, before)
