"""Tests of kamlib.satisfaction and kamlib.service_recovery (NPS/CSAT, drivers, complaints)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib import datasets
from kamlib import satisfaction as sa
from kamlib import service_recovery as sr
from kamlib.errors import DataError, FitError, KamlibError, ParameterError

DRIVERS = sa.DRIVERS
TRUE_WEIGHTS = {
    "product_quality": 0.35,
    "delivery": 0.25,
    "responsiveness": 0.20,
    "price_value": 0.10,
    "account_manager": 0.10,
}


# ---------------------------------------------------------------------------------------------
# NPS and CSAT by hand
# ---------------------------------------------------------------------------------------------
def six_customers() -> pd.DataFrame:
    # Scores 10, 9 (promoters), 8 (passive), 6, 3, 0 (detractors).
    return pd.DataFrame({"nps": [10, 9, 8, 6, 3, 0], "csat": [5, 5, 4, 3, 2, 1]})


def test_nps_six_customers_by_hand():
    row = sa.nps_summary(six_customers()).loc["all"]
    # p = 2/6 = 0.3333, d = 3/6 = 0.5, NPS = 100 (0.3333 - 0.5) = -16.67 points.
    # Var (one response) = p + d - (p - d)^2 = 0.8333 - 0.02778 = 0.80556;
    # SE = 100 sqrt(0.80556 / 6) = 100 sqrt(0.134259) = 36.64 points.
    # 95% CI = -16.67 +- 1.95996 x 36.64 = (-88.48, 55.15).
    assert row["responses"] == 6
    assert row["promoters"] == pytest.approx(1 / 3)
    assert row["passives"] == pytest.approx(1 / 6)
    assert row["nps"] == pytest.approx(-16.667, abs=1e-3)
    assert row["std_error"] == pytest.approx(36.64, abs=0.01)
    assert row["ci_low"] == pytest.approx(-88.48, abs=0.01)
    assert row["ci_high"] == pytest.approx(55.15, abs=0.01)


def test_nps_standard_error_matches_simulation():
    # Simulated truth: the SE formula equals the spread of NPS over many surveys of n = 300.
    rng = np.random.default_rng(7)
    probs = [0.25, 0.35, 0.40]  # detractor, passive, promoter
    draws = rng.choice([3, 8, 10], p=probs, size=(4000, 300))
    spread = (100 * ((draws == 10).mean(1) - (draws == 3).mean(1))).std()
    formula = 100 * math.sqrt((0.40 + 0.25 - 0.15**2) / 300)
    assert spread == pytest.approx(formula, rel=0.05)
    one = sa.nps_summary(pd.DataFrame({"nps": draws[0]}))
    assert one["std_error"].iloc[0] == pytest.approx(formula, rel=0.1)


def test_nps_by_group_and_confidence():
    data = pd.DataFrame({"nps": [10, 0, 10, 10], "year": [1, 1, 2, 2]})
    table = sa.nps_summary(data, by="year", confidence=0.9)
    assert table.loc[1, "nps"] == 0 and table.loc[2, "nps"] == 100
    # Year 1: p = d = 0.5, Var = 1, SE = 100 sqrt(1/2) = 70.71; 90% z = 1.6449.
    assert table.loc[1, "ci_high"] == pytest.approx(1.6449 * 70.71, abs=0.05)
    assert table.loc[2, "std_error"] == 0


def test_csat_by_hand():
    row = sa.csat_summary(six_customers()).loc["all"]
    # Scores 5, 5, 4, 3, 2, 1: mean 20/6 = 3.333; sample sd = sqrt(13.333/5) = 1.633;
    # SE = 1.633 / sqrt(6) = 0.6667. Top-2-box: 3 of 6 = 0.5, SE = sqrt(0.25/6) = 0.2041.
    assert row["mean"] == pytest.approx(3.3333, abs=1e-4)
    assert row["mean_se"] == pytest.approx(0.6667, abs=1e-4)
    assert row["top_box_share"] == pytest.approx(0.5)
    assert row["top_box_se"] == pytest.approx(0.2041, abs=1e-4)
    top5 = sa.csat_summary(six_customers(), top_box=5).loc["all", "top_box_share"]
    assert top5 == pytest.approx(2 / 6)


def test_minimum_detectable_change_by_hand():
    # n = 500 per survey, p = 0.35, d = 0.30: V = 0.65 - 0.0025 = 0.6475;
    # SE of the change = sqrt(2 x 0.6475 / 500) = 0.050892; z = 1.95996 + 0.84162 = 2.80158.
    mdc = sa.nps_minimum_detectable_change(500, promoters=0.35, detractors=0.30)
    assert mdc == pytest.approx(100 * 2.80158 * 0.050892, abs=0.01)
    # Four times the responses halve it.
    quad = sa.nps_minimum_detectable_change(2000, promoters=0.35, detractors=0.30)
    assert quad == pytest.approx(mdc / 2, rel=1e-9)
    uneven = sa.nps_minimum_detectable_change(500, promoters=0.35, detractors=0.30, n_after=250)
    assert uneven > mdc


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n": 0, "promoters": 0.3, "detractors": 0.3},
        {"n": 10.5, "promoters": 0.3, "detractors": 0.3},
        {"n": 100, "promoters": 0.7, "detractors": 0.4},
        {"n": 100, "promoters": -0.1, "detractors": 0.3},
        {"n": 100, "promoters": 0.3, "detractors": 0.3, "power": 1.0},
        {"n": 100, "promoters": 0.3, "detractors": 0.3, "alpha": "0.05"},
    ],
)
def test_minimum_detectable_change_bad_input(kwargs):
    n = kwargs.pop("n")
    with pytest.raises(ParameterError, match="nps_minimum_detectable_change"):
        sa.nps_minimum_detectable_change(n, **kwargs)


@pytest.mark.parametrize("func", [sa.nps_summary, sa.csat_summary])
def test_summaries_bad_input(func):
    with pytest.raises(DataError, match="not found"):
        func(pd.DataFrame({"x": [1]}))
    with pytest.raises(DataError, match="no rows"):
        func(six_customers().iloc[:0])
    with pytest.raises(DataError, match="missing"):
        func(pd.DataFrame({"nps": [9, None], "csat": [4, None]}))
    with pytest.raises(DataError, match="outside"):
        func(pd.DataFrame({"nps": [11, -1], "csat": [6, 0]}))
    with pytest.raises(DataError, match="numeric"):
        func(pd.DataFrame({"nps": ["9"], "csat": ["4"]}))
    with pytest.raises(ParameterError, match="confidence"):
        func(six_customers(), confidence=95)
    data = six_customers()
    before = data.copy()
    func(data)
    pd.testing.assert_frame_equal(data, before)


# ---------------------------------------------------------------------------------------------
# Response bias
# ---------------------------------------------------------------------------------------------
def bias_tables():
    accounts = pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "D", "E"],
            "employees": [100, 300, 50, 10, 999],
            "customer_since": pd.to_datetime(["2020-01-01"] * 4 + ["2024-01-01"]),
            "lost_date": pd.to_datetime([None, "2024-05-01", None, "2024-02-01", None]),
        }
    )
    surveys = pd.DataFrame(
        {"account_id": ["A", "B"], "survey_date": pd.to_datetime(["2023-11-02", "2023-11-20"])}
    )
    orders = pd.DataFrame(
        {
            "account_id": ["A", "A", "B", "C", "D", "C"],
            "net_revenue_cny": [100.0, 50.0, 30.0, 20.0, 10.0, 999.0],
            "order_date": pd.to_datetime(
                ["2023-01-05", "2023-10-30", "2023-06-01", "2022-12-01", "2023-02-01", "2024-11-30"]
            ),
        }
    )
    return accounts, surveys, orders


def test_response_bias_by_hand():
    accounts, surveys, orders = bias_tables()
    table = sa.response_bias(accounts, surveys, orders, survey_year=2023)
    # Active on 2023-11-01: A, B, C, D (E joins in 2024). Responded: A, B.
    # Employees: (100 + 300)/2 = 200 vs (50 + 10)/2 = 30. Orders Nov 2022-Oct 2023:
    # A 2 (150), B 1 (30), C 1 (20; 2022-12-01), D 1 (10). Lost by 2024-11-01: B and D.
    assert table.attrs["counts"] == {"responded": 2, "did_not_respond": 2}
    assert table.loc["employees", "responded"] == 200
    assert table.loc["employees", "difference"] == 170
    assert table.loc["orders_12m_before", "did_not_respond"] == 1
    assert table.loc["net_revenue_12m_before", "responded"] == 90
    assert table.loc["lost_within_12m", "responded"] == 0.5
    assert table.loc["lost_within_12m", "did_not_respond"] == 0.5


def test_response_bias_bad_input():
    accounts, surveys, orders = bias_tables()
    with pytest.raises(DataError, match="no survey response is dated in 2021"):
        sa.response_bias(accounts, surveys, orders, survey_year=2021)
    with pytest.raises(ParameterError, match="survey_year"):
        sa.response_bias(accounts, surveys, orders, survey_year="2023")
    with pytest.raises(DataError, match="not in 'accounts'"):
        sa.response_bias(accounts, surveys.assign(account_id=["A", "Z"]), orders, survey_year=2023)
    with pytest.raises(DataError, match="negative"):
        sa.response_bias(accounts.assign(employees=-1), surveys, orders, survey_year=2023)
    before = [t.copy() for t in (accounts, surveys, orders)]
    sa.response_bias(accounts, surveys, orders, survey_year=2023)
    for t, b in zip((accounts, surveys, orders), before, strict=True):
        pd.testing.assert_frame_equal(t, b)


# ---------------------------------------------------------------------------------------------
# Driver analysis: simulated truth, hand checks of the R² splits
# ---------------------------------------------------------------------------------------------
def simulated_survey(n=3000, seed=11) -> pd.DataFrame:
    """The generator's recipe with known weights: ratings and CSAT from latent performance."""
    rng = np.random.default_rng(seed)
    perf = {k: rng.normal(0, 1, n) for k in DRIVERS}
    w = np.array([TRUE_WEIGHTS[k] for k in DRIVERS])
    sat = sum(TRUE_WEIGHTS[k] * perf[k] for k in DRIVERS) + rng.normal(0, 0.25, n)
    sat = sat / np.sqrt((w**2).sum() + 0.25**2)
    frame = {
        k: np.clip(np.round(3.5 + 0.9 * perf[k] + rng.normal(0, 0.6, n)), 1, 5) for k in DRIVERS
    }
    frame["csat"] = np.clip(np.round(3.6 + 0.9 * sat + rng.normal(0, 0.5, n)), 1, 5)
    frame["account_id"] = [f"A{i % 1500}" for i in range(n)]  # two answers per account
    return pd.DataFrame(frame)


def test_driver_weights_recovered_from_simulated_truth():
    table = sa.driver_analysis(simulated_survey())
    # Ratings share one scale and equal noise, so coefficients are proportional to the weights.
    for k, w in TRUE_WEIGHTS.items():
        assert table.loc[k, "weight_low"] < w < table.loc[k, "weight_high"], k
        assert table.loc[k, "weight"] == pytest.approx(w, abs=0.04)
    assert table.index[:3].tolist() == ["product_quality", "delivery", "responsiveness"]
    # Independent drivers: R² shares go with the squared weights (0.35² / sum of squares = 0.50).
    squares = {k: w**2 for k, w in TRUE_WEIGHTS.items()}
    total = sum(squares.values())
    assert table.loc["product_quality", "share_of_r2"] == pytest.approx(
        squares["product_quality"] / total, abs=0.05
    )
    assert table["share_of_r2"].sum() == pytest.approx(1.0)
    assert table["shapley_r2"].sum() == pytest.approx(table.attrs["r2"], rel=1e-9)
    assert table["relative_weight"].sum() == pytest.approx(table.attrs["r2"], rel=1e-9)


def test_driver_splits_by_hand_two_correlated_drivers():
    # Correlations r(x1,x2) = 0.5, r(y,x1) = 0.6, r(y,x2) = 0.5 built exactly.
    # R²(x1) = 0.36, R²(x2) = 0.25, R²(both) = (0.36 + 0.25 - 2 x 0.6 x 0.5 x 0.5)/(1 - 0.25)
    # = 0.31/0.75 = 0.41333. Shapley: x1 = (0.36 + (0.41333 - 0.25))/2 = 0.26167,
    # x2 = (0.25 + (0.41333 - 0.36))/2 = 0.15167.
    corr = np.array([[1, 0.5, 0.6], [0.5, 1, 0.5], [0.6, 0.5, 1]])
    shap = sa._shapley_r2(corr, 2)
    assert shap == pytest.approx([0.26167, 0.15167], abs=1e-5)
    johnson = sa._johnson_weights(corr, 2)
    assert johnson.sum() == pytest.approx(0.41333, abs=1e-5)
    # Johnson by hand: Lambda = R^(1/2) of [[1, .5], [.5, 1]] = [[a, b], [b, a]] with
    # a = (sqrt 1.5 + sqrt 0.5)/2 = 0.9659, b = (sqrt 1.5 - sqrt 0.5)/2 = 0.2588;
    # beta = Lambda^-1 r_xy = ((0.9659 x 0.6 - 0.2588 x 0.5), (0.9659 x 0.5 - 0.2588 x 0.6))
    # / 0.8660 = (0.5198, 0.3784); eps_1 = a² 0.5198² + b² 0.3784² = 0.9330 x 0.2702 + 0.0670
    # x 0.1432 = 0.2617, eps_2 = 0.0670 x 0.2702 + 0.9330 x 0.1432 = 0.1517 (with two
    # drivers Johnson's weights come out close to the Shapley shares).
    assert johnson == pytest.approx([0.2617, 0.1517], abs=2e-4)


def test_driver_analysis_bad_input():
    data = simulated_survey(200)
    with pytest.raises(DataError, match="not found"):
        sa.driver_analysis(data.drop(columns="delivery"))
    with pytest.raises(FitError, match="do not vary"):
        sa.driver_analysis(data.assign(delivery=3))
    with pytest.raises(FitError, match="collinear"):
        sa.driver_analysis(data.assign(delivery=data["product_quality"] * 2))
    with pytest.raises(FitError, match="too few"):
        sa.driver_analysis(data.head(5))
    with pytest.raises(ParameterError, match="driver_cols"):
        sa.driver_analysis(data, driver_cols=["csat", "delivery"])
    with pytest.raises(DataError, match="missing"):
        sa.driver_analysis(data.assign(delivery=np.nan))
    with pytest.raises(ParameterError, match="importance"):
        sa.importance_performance(data, importance="size")
    before = data.copy()
    sa.driver_analysis(data)
    pd.testing.assert_frame_equal(data, before)


def test_importance_performance_quadrants_and_plot():
    data = simulated_survey(2000)
    data["price_value"] = (data["price_value"] + 1).clip(upper=5)  # rated high, matters little
    data["delivery"] = (data["delivery"] - 1).clip(lower=1)  # important, rated low
    table = sa.importance_performance(data)
    assert table.loc["delivery", "quadrant"] == "concentrate here"
    assert table.loc["price_value", "quadrant"] == "possible overkill"
    assert table.loc["product_quality", "quadrant"] in ("keep up the good work", "concentrate here")
    ax = sa.plot_importance_performance(table)
    assert "Importance" in ax.get_title()
    with pytest.raises(KamlibError, match="plot_importance_performance"):
        sa.plot_importance_performance(table.drop(columns="importance"))


# ---------------------------------------------------------------------------------------------
# Complaints and service recovery
# ---------------------------------------------------------------------------------------------
def complaint_tables():
    contacts = pd.DataFrame(
        {
            "account_id": ["A", "A", "B", "B", "C"],
            "interaction_date": pd.to_datetime(
                ["2022-12-01", "2023-06-01", "2023-07-01", "2021-05-01", "2023-12-20"]
            ),
            "interaction_type": ["complaint", "complaint", "complaint", "complaint", "call"],
            "resolution_hours": [10.0, 30.0, 80.0, 5.0, np.nan],
        }
    )
    surveys = pd.DataFrame(
        {
            "account_id": ["A", "B", "C"],
            "survey_date": pd.to_datetime(["2023-11-05", "2023-11-06", "2022-11-07"]),
            "csat": [4, 2, 5],
        }
    )
    accounts = pd.DataFrame(
        {
            "account_id": ["A", "B", "C"],
            "region": ["East", "West", "East"],
            "lost_date": pd.to_datetime([None, "2024-03-01", None]),
        }
    )
    return contacts, surveys, accounts


def test_complaint_outcomes_and_table_by_hand():
    contacts, surveys, accounts = complaint_tables()
    out = sr.complaint_outcomes(contacts, surveys, accounts).set_index("account_id")
    # A: two complaints within the year before 2023-11-05, mean (10 + 30)/2 = 20 hours.
    # B: the 2021 complaint is too old; one of 80 hours. C: a call is not a complaint.
    assert out.loc["A", "complaints"] == 2 and out.loc["A", "mean_resolution_hours"] == 20
    assert out.loc["B", "mean_resolution_hours"] == 80
    assert out.loc["C", "complaints"] == 0
    # The log ends 2023-12-20: only C's 2022 survey has a full year after it; B left in 2024.
    assert out.loc["C", "stayed_12m"] == 1.0
    assert np.isnan(out.loc["A", "stayed_12m"])
    table = sr.service_recovery_table(out.reset_index(), fast_hours=24)
    assert table["mean_score"].to_dict() == {
        "no complaint": 5.0,
        "resolved fast": 4.0,
        "resolved slowly": 2.0,
    }


def test_recovery_effect_finds_simulated_effect_and_confounding():
    # Truth: a doubling of resolution time costs 0.2 CSAT points; the West both resolves
    # slowly and is less satisfied for other reasons, so the naive slope is too steep.
    rng = np.random.default_rng(5)
    n = 1500
    west = rng.random(n) < 0.5
    hours = np.exp(np.log(20) + 0.8 * west + rng.normal(0, 0.6, n))
    score = 4 - 0.2 * np.log2(hours) - 0.6 * west + rng.normal(0, 0.5, n)
    out = pd.DataFrame(
        {
            "score": score,
            "complaints": 1.0,
            "mean_resolution_hours": hours,
            "stayed_12m": 1.0,
            "region": np.where(west, "West", "East"),
        }
    )
    effect = sr.recovery_effect(out, adjust_for=["region"])
    adj = effect.loc["adjusted"]
    assert adj["ci_low"] < -0.2 < adj["ci_high"]
    # Naive bias = -0.6 cov(west, log2 h) / var(log2 h) = -0.6 x 0.289 / 1.082 = -0.16.
    assert effect.loc["naive", "slope_per_doubling"] < -0.28


def test_service_recovery_bad_input():
    contacts, surveys, accounts = complaint_tables()
    with pytest.raises(DataError, match="negative"):
        sr.complaint_outcomes(contacts.assign(resolution_hours=-1.0), surveys, accounts)
    with pytest.raises(DataError, match="missing"):
        sr.complaint_outcomes(contacts.assign(resolution_hours=np.nan), surveys, accounts)
    with pytest.raises(DataError, match="not in 'accounts'"):
        sr.complaint_outcomes(contacts, surveys.assign(account_id="Z"), accounts)
    out = sr.complaint_outcomes(contacts, surveys, accounts)
    with pytest.raises(DataError, match="mean_resolution_hours"):
        sr.service_recovery_table(out.assign(mean_resolution_hours=np.nan, complaints=1.0))
    with pytest.raises(ParameterError, match="fast_hours"):
        sr.service_recovery_table(out, fast_hours=0)
    with pytest.raises(ParameterError, match="outcome"):
        sr.recovery_effect(out, outcome="profit")
    with pytest.raises(FitError, match="too few"):
        sr.recovery_effect(out)
    before = [t.copy() for t in (contacts, surveys, accounts)]
    sr.complaint_outcomes(contacts, surveys, accounts)
    for t, b in zip((contacts, surveys, accounts), before, strict=True):
        pd.testing.assert_frame_equal(t, b)


# ---------------------------------------------------------------------------------------------
# The course data (loaded once)
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def course():
    return {n: datasets.load(n) for n in ("surveys", "accounts", "orders", "service_interactions")}


def test_course_survey_recovers_true_driver_weights(course):
    table = sa.driver_analysis(course["surveys"])
    truth = datasets.true_parameters()["accounts"]["satisfaction_drivers"]
    for k, w in truth.items():
        assert table.loc[k, "weight_low"] < w < table.loc[k, "weight_high"], k
    ranked = table.sort_values("weight", ascending=False).index[:3].tolist()
    assert ranked == ["product_quality", "delivery", "responsiveness"]


def test_course_response_is_random(course):
    # The generator samples 45% of active accounts at random: no visible bias (p > 0.01).
    table = sa.response_bias(
        course["accounts"], course["surveys"], course["orders"], survey_year=2023
    )
    assert (table["p_value"] > 0.01).all()
    n = table.attrs["counts"]
    assert 0.40 < n["responded"] / (n["responded"] + n["did_not_respond"]) < 0.50


# ---------------------------------------------------------------------------------------------
# Invariants on any answers
# ---------------------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=60))
def test_nps_invariants(scores):
    row = sa.nps_summary(pd.DataFrame({"nps": scores})).loc["all"]
    assert row[["promoters", "passives", "detractors"]].sum() == pytest.approx(1.0)
    assert -100 <= row["nps"] <= 100
    assert row["std_error"] >= 0
    assert row["ci_low"] <= row["nps"] <= row["ci_high"]
    # The multinomial variance never exceeds the bound of 1 per answer (all +1 or -1).
    assert row["std_error"] <= 100 / math.sqrt(len(scores)) + 1e-9
