"""kamlib.churn: as-of features without leakage, labels, the pipeline and its evaluation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kamlib import churn, datasets, toy
from kamlib.errors import DataError, KamlibError, NotFittedError, ParameterError

AS_OF = "2023-06-30"


@pytest.fixture(scope="module")
def course():
    names = ["accounts", "orders", "service_interactions", "surveys", "invoices", "payments",
             "service_activity"]  # fmt: skip
    return {name: datasets.load(name) for name in names}


def _tables(course):
    return {
        "interactions": course["service_interactions"],
        "surveys": course["surveys"],
        "invoices": course["invoices"],
        "payments": course["payments"],
        "activity": course["service_activity"],
    }


# ---------------------------------------------------------------------------------------------
# Leakage: cutting the data at the scoring date changes nothing
# ---------------------------------------------------------------------------------------------
def test_features_unchanged_when_later_data_are_cut_off(course):
    stamp = pd.Timestamp(AS_OF)
    full = churn.churn_features(course["accounts"], course["orders"], as_of=AS_OF,
                                **_tables(course))  # fmt: skip
    acc = course["accounts"]
    past = {
        "interactions": course["service_interactions"].query("interaction_date <= @stamp"),
        "surveys": course["surveys"].query("survey_date <= @stamp"),
        "invoices": course["invoices"].query("invoice_date <= @stamp"),
        "payments": course["payments"].query("payment_date <= @stamp"),
        # A month is known once it is over: June 2023 is, July 2023 is not.
        "activity": course["service_activity"].query("month <= @stamp"),
    }
    cut = churn.churn_features(
        acc.assign(lost_date=acc["lost_date"].where(acc["lost_date"] <= stamp)),
        course["orders"].query("order_date <= @stamp"), as_of=AS_OF, **past,
    )  # fmt: skip
    pd.testing.assert_frame_equal(cut, full)
    # And the later data do matter for a later date (the test could fail).
    later = churn.churn_features(acc, course["orders"], as_of="2023-12-31", **_tables(course))
    assert not later["orders_year"].reindex(full.index).equals(full["orders_year"])


def test_a_month_of_activity_counts_only_once_it_is_over():
    acc = toy.accounts()
    activity = pd.DataFrame(
        {
            "account_id": ["T01", "T01", "T01", "T02"],
            "month": pd.to_datetime(["2023-06-01", "2024-05-01", "2024-06-01", "2024-06-01"]),
            "activity": ["return", "return", "return", "technical_support"],
            "count": [5, 2, 3, 4],
        }
    )
    f = churn.churn_features(acc, toy.orders(), as_of="2024-06-15", activity=activity,
                             lost_col=None)  # fmt: skip
    # June 2024 is not over on 15 June; June 2023 is not wholly in the last 12 months: only
    # May's 2 returns count.
    assert f.loc["T01", "return_year"] == 2
    assert f.loc["T02", "technical_support_year"] == 0
    f = churn.churn_features(acc, toy.orders(), as_of="2024-06-30", activity=activity,
                             lost_col=None)  # fmt: skip
    assert f.loc["T01", "return_year"] == 5 and f.loc["T02", "technical_support_year"] == 4


# ---------------------------------------------------------------------------------------------
# Hand-computed features on the toy world
# ---------------------------------------------------------------------------------------------
def test_order_history_by_hand():
    f = churn.churn_features(toy.accounts(), toy.orders(), as_of="2024-06-30", lost_col=None)
    # T01 ordered on 10 Jan, 15 Mar and 20 Jun: 3 orders, revenue 450+400+450, margin
    # (450-300)+(400-280)+(450-310) = 410; last order 20 June -> 10 days.
    assert f.loc["T01", "orders_year"] == 3
    assert f.loc["T01", "revenue_year"] == pytest.approx(1300.0)
    assert f.loc["T01", "margin_year"] == pytest.approx(410.0)
    assert f.loc["T01", "days_since_order"] == 10
    # T04 (won 10 Sept 2022) first ordered on 30 Aug 2024: nothing yet, no last order.
    assert f.loc["T04", "orders_year"] == 0 and np.isnan(f.loc["T04", "days_since_order"])
    # T03 was won on 1 Feb 2024: 150 days of tenure; log of 250 employees; key tier only T01.
    assert f.loc["T03", "tenure_years"] == pytest.approx(150 / 365.25)
    assert f.loc["T03", "log_employees"] == pytest.approx(np.log(250))
    assert f["key_account"].to_dict() == {"T01": 1, "T02": 0, "T03": 0, "T04": 0}


def test_survey_scores_by_hand():
    surveys = pd.DataFrame(
        {
            "account_id": ["T01", "T01", "T01", "T02"],
            "survey_date": pd.to_datetime(["2022-11-05", "2023-11-05", "2024-11-05", "2024-11-03"]),
            "csat": [2, 4, 1, 5],
            "nps": [6, 9, 0, 10],
        }
    )
    f = churn.churn_features(toy.accounts(), toy.orders(), as_of="2024-06-30", surveys=surveys,
                             lost_col=None)  # fmt: skip
    # Only the 2022 and 2023 surveys are known on 30 June 2024: mean CSAT 3, latest NPS 9.
    assert f.loc["T01", "csat_mean"] == 3.0 and f.loc["T01", "nps_latest"] == 9.0
    assert np.isnan(f.loc["T02", "csat_mean"])


def test_only_accounts_on_the_books_are_scored():
    acc = toy.accounts().assign(lost_date=pd.to_datetime([None, "2024-03-01", None, None]))
    f = churn.churn_features(acc, toy.orders(), as_of="2024-06-30")
    assert list(f.index) == ["T01", "T03", "T04"]  # T02 left in March


# ---------------------------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------------------------
def test_labels_by_hand():
    acc = pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "D", "E"],
            "customer_since": pd.to_datetime(["2020-01-01"] * 4 + ["2024-01-05"]),
            "lost_date": pd.to_datetime(["2023-12-31", "2024-12-30", "2025-01-05", None, None]),
        }
    )
    y = churn.churn_labels(acc, as_of="2023-12-31", observed_until="2025-06-30")
    # A left on the scoring day (not on the books); B within 365 days; C 371 days later; E won
    # after the scoring day.
    assert y.to_dict() == {"B": True, "C": False, "D": False}


def test_label_window_must_end_inside_the_data():
    acc = toy.accounts().assign(lost_date=pd.NaT)
    with pytest.raises(ParameterError, match="churn_labels.*after the data end"):
        churn.churn_labels(acc, as_of="2024-06-30", observed_until="2024-12-31")
    y = churn.churn_labels(acc, as_of="2024-06-30", observed_until="2024-12-31", horizon_days=180)
    assert len(y) == 4


# ---------------------------------------------------------------------------------------------
# The pipeline recovers simulated coefficients; the evaluation by hand
# ---------------------------------------------------------------------------------------------
def test_pipeline_recovers_coefficients_per_sd():
    rng = np.random.default_rng(7)
    n = 20000
    x1, x2, noise = rng.normal(0, 1, n), rng.normal(0, 2, n), rng.normal(0, 1, n)
    # log odds -1.5 + 0.8 x1 - 0.3 x2: per SD of x2 (SD 2) that is -0.6.
    p = 1 / (1 + np.exp(-(-1.5 + 0.8 * x1 - 0.3 * x2)))
    X = pd.DataFrame({"x1": x1, "x2": x2, "noise": noise})
    X.loc[X.index[:500], "x1"] = np.nan  # gaps are filled, with a was-missing column
    model = churn.ChurnModel(["x1", "x2", "noise"], C=100.0).fit(X, rng.random(n) < p)
    d = model.drivers().set_index("feature")["coefficient"]
    assert d["x1"] == pytest.approx(0.8, abs=0.07)
    assert d["x2"] == pytest.approx(-0.6, abs=0.07)
    assert abs(d["noise"]) < 0.07
    assert "missingindicator_x1" in d.index


def test_evaluation_by_hand():
    y = [1, 0, 1, 0, 0, 0]
    p = [0.8, 0.7, 0.4, 0.3, 0.2, 0.1]
    r = churn.evaluate_churn(y, p, n_bins=3)
    # Pairs churner > stayer: 0.8 beats all 4 stayers, 0.4 beats 3 of 4 -> AUC 7/8.
    assert r["auc"] == pytest.approx(7 / 8)
    # Brier: (.2^2 + .7^2 + .6^2 + .3^2 + .2^2 + .1^2) / 6 = 1.03 / 6.
    assert r["brier"] == pytest.approx(1.03 / 6)
    # Top band (0.8, 0.7) holds 1 of 2 churners: rate 1/2 over 1/3 -> lift 1.5.
    assert r["top_band_lift"] == pytest.approx(1.5)
    assert r["top_band_share"] == pytest.approx(0.5)
    assert r["brier_base"] == pytest.approx(1 / 3 * 2 / 3)


def test_calibration_table_by_hand_and_on_calibrated_scores():
    t = churn.calibration_table([0, 1, 0, 1], [0.9, 0.2, 0.1, 0.6], n_bins=2)
    # Lowest two scores 0.1 (stayed), 0.2 (left); highest 0.6 (left), 0.9 (stayed).
    assert t["mean_predicted"].round(3).tolist() == [0.15, 0.75]
    assert t["observed_rate"].tolist() == [0.5, 0.5]
    rng = np.random.default_rng(3)
    p = rng.uniform(0, 0.6, 30000)
    t = churn.calibration_table(rng.random(30000) < p, p)
    assert np.allclose(t["observed_rate"], t["mean_predicted"], atol=0.03)


def test_course_model_ranks_better_than_chance(course):
    feats = {}
    for as_of in ("2022-12-31", "2023-12-31"):
        X = churn.churn_features(course["accounts"], course["orders"], as_of=as_of,
                                 **_tables(course))  # fmt: skip
        y = churn.churn_labels(course["accounts"], as_of=as_of, observed_until="2024-12-31")
        feats[as_of] = (X, y.reindex(X.index))
    model = churn.ChurnModel().fit(*feats["2022-12-31"])
    X, y = feats["2023-12-31"]
    p = model.predict_churn(X)
    assert p.index.equals(X.index)
    r = churn.evaluate_churn(y, p)
    # The world's drivers are mostly hidden (satisfaction, fit): a modest but real ranking.
    assert 0.55 < r["auc"] < 0.75 and r["top_band_lift"] > 1.4
    drivers = model.drivers().set_index("feature")["coefficient"]
    assert drivers["strategic_fit"] < 0 and drivers["nps_latest"] < 0 and drivers["csat_mean"] < 0


# ---------------------------------------------------------------------------------------------
# Bad input and unchanged input
# ---------------------------------------------------------------------------------------------
def test_inputs_are_not_changed():
    acc, orders = toy.accounts(), toy.orders()
    before = (acc.copy(), orders.copy())
    churn.churn_features(acc, orders, as_of="2024-06-30", lost_col=None)
    pd.testing.assert_frame_equal(acc, before[0])
    pd.testing.assert_frame_equal(orders, before[1])
    y, p = pd.Series([1, 0, 1, 0]), pd.Series([0.9, 0.2, 0.6, 0.4])
    churn.evaluate_churn(y, p, n_bins=2)
    churn.calibration_table(y, p, n_bins=2)
    assert y.tolist() == [1, 0, 1, 0] and p.tolist() == [0.9, 0.2, 0.6, 0.4]


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda a, o: (a.drop(columns="employees"), o), "employees"),
        (lambda a, o: (a.assign(employees=[900, 0, 250, 40]), o), "employees"),
        (lambda a, o: (a, o.drop(columns="cogs_cny")), "cogs_cny"),
        (lambda a, o: (a.iloc[:0], o), "no rows|no account"),
        (lambda a, o: ("accounts.csv", o), "DataFrame|table"),
        (lambda a, o: (a.assign(strategic_fit=["x", 3, 4, 2]), o), "strategic_fit"),
    ],
)
def test_bad_feature_input(change, match):
    acc, orders = change(toy.accounts(), toy.orders())
    with pytest.raises(KamlibError, match=match):
        churn.churn_features(acc, orders, as_of="2024-06-30", lost_col=None)


def test_bad_parameters():
    with pytest.raises(ParameterError, match="churn_features.*as_of"):
        churn.churn_features(toy.accounts(), toy.orders(), as_of=20240630, lost_col=None)
    with pytest.raises(ParameterError, match="activity_types"):
        churn.churn_features(toy.accounts(), toy.orders(), as_of="2024-06-30", lost_col=None,
                             activity_types=5)  # fmt: skip
    X = pd.DataFrame({"a": [1.0, 2, 3], "b": ["x", "y", "z"]})
    with pytest.raises(ParameterError, match="ChurnModel.fit.*features"):
        churn.ChurnModel(5).fit(X, [1, 0, 1])
    with pytest.raises(ParameterError, match="'C'"):
        churn.ChurnModel(["a"], C=-1.0).fit(X, [1, 0, 1])
    with pytest.raises(DataError, match="ChurnModel.fit.*'b'"):
        churn.ChurnModel(["a", "b"]).fit(X, [1, 0, 1])
    with pytest.raises(DataError, match="ChurnModel.fit.*'y'"):
        churn.ChurnModel(["a"]).fit(X, [1, 0])
    with pytest.raises(DataError, match="ChurnModel.fit.*both"):
        churn.ChurnModel(["a"]).fit(X, [1, 1, 1])
    with pytest.raises(ParameterError, match="horizon_days"):
        churn.churn_labels(toy.accounts().assign(lost_date=pd.NaT), as_of="2023-01-01",
                           observed_until="2024-12-31", horizon_days=-5)  # fmt: skip


def test_bad_scores():
    with pytest.raises(DataError, match="evaluate_churn.*between 0 and 1"):
        churn.evaluate_churn([1, 0], [1.2, 0.1], n_bins=2)
    with pytest.raises(DataError, match="calibration_table.*missing"):
        churn.calibration_table([1, None, 0], [0.5, 0.2, 0.1], n_bins=2)
    with pytest.raises(DataError, match="both churned and kept"):
        churn.evaluate_churn([0, 0, 0], [0.5, 0.2, 0.1], n_bins=2)
    with pytest.raises(DataError, match="values for"):
        churn.evaluate_churn([0, 1, 0], [0.5, 0.2], n_bins=2)
    with pytest.raises(DataError, match="p_churn"):
        churn.evaluate_churn([0, 1, 0], [0.5, np.nan, 0.3], n_bins=2)


def test_an_unfitted_model_says_so():
    model = churn.ChurnModel(["a"])
    for method in (model.drivers, lambda: model.predict_churn(pd.DataFrame({"a": [1.0]}))):
        with pytest.raises(NotFittedError, match="ChurnModel.*not fitted"):
            method()
    assert model.get_params() == {"features": ["a"], "C": 1.0, "max_iter": 2000}


def test_plot_calibration_refuses_other_tables():
    with pytest.raises(DataError, match="plot_calibration.*observed_rate"):
        churn.plot_calibration(pd.DataFrame({"mean_predicted": [0.1]}))
