"""Tests of kamlib.crm_impact and kamlib.crm_adoption.

Ground truth: the course simulation's CRM effect (true_parameters.json, key ``crm_rollout``:
-0.30 on log resolution hours, the same in every region), and rollouts simulated here with a
known effect that grows with time since go-live, where TWFE is known to be biased
(Goodman-Bacon 2021) and the two-stage estimator is not (Gardner 2022).
"""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

from kamlib import crm_adoption, datasets
from kamlib import crm_impact as ci
from kamlib.errors import DataError, ParameterError

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def truth():
    return datasets.true_parameters()["crm_rollout"]


@pytest.fixture(scope="module")
def kpis():
    return datasets.load("crm_kpis")


@pytest.fixture(scope="module")
def tickets(truth):
    return ci.ticket_panel(
        datasets.load("service_interactions"), datasets.load("accounts"), truth["go_live"]
    )


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# By hand
# ---------------------------------------------------------------------------------------------
def toy_panel() -> pd.DataFrame:
    # E goes live in month 3; W never within the window. W is flat at 4, E drops from 3 to 2.5.
    time = pd.date_range("2023-01-01", periods=4, freq="MS")
    return pd.DataFrame(
        {
            "unit": ["E"] * 4 + ["W"] * 4,
            "time": list(time) * 2,
            "go_live": [time[2]] * 4 + [pd.Timestamp("2024-01-01")] * 4,
            "treated": [0, 0, 1, 1, 0, 0, 0, 0],
            "event_time": [-2, -1, 0, 1, -12, -11, -10, -9],
            "y": [3.0, 3.0, 2.5, 2.5, 4.0, 4.0, 4.0, 4.0],
        }
    )


def test_before_after_and_naive_by_hand():
    panel = toy_panel()
    ba = ci.before_after(panel)
    assert ba.loc["E", "change"] == pytest.approx(-0.5)
    assert np.isnan(ba.loc["W", "after"])
    # naive: mean of live rows 2.5 minus mean of the six others (3+3+4*4)/6 = 22/6
    assert ci.naive_estimate(panel).estimate == pytest.approx(2.5 - 22 / 6)


def test_twfe_exact_on_a_noiseless_panel():
    # With two units and a common shock the DiD is (2.5 - 3) - (4 - 4) = -0.5 exactly.
    panel = toy_panel()
    assert ci.did_twfe(panel).estimate == pytest.approx(-0.5, abs=1e-9)


def test_kpi_panel_event_time_and_bad_inputs(kpis):
    panel = ci.kpi_panel(kpis)
    east = panel[panel["unit"] == "East"].set_index("time")
    assert east.loc[pd.Timestamp("2023-04-01"), "event_time"] == 0
    assert east.loc[pd.Timestamp("2023-01-01"), "event_time"] == -3
    assert panel["treated"].sum() == kpis["crm_live"].sum()
    with pytest.raises(DataError, match=r"kpi_panel: column\(s\) 'go_live_month' not found"):
        ci.kpi_panel(kpis.drop(columns="go_live_month"))
    with pytest.raises(DataError, match="have no logarithm"):
        ci.kpi_panel(kpis.assign(avg_resolution_hours=0.0))
    with pytest.raises(DataError, match="not dates"):
        ci.kpi_panel(kpis.assign(month="soon"))
    with pytest.raises(DataError, match="has no rows"):
        ci.kpi_panel(kpis.iloc[:0])


def test_estimators_need_rows_before_and_after():
    panel = toy_panel().assign(treated=0)
    with pytest.raises(DataError, match="did_twfe: every row has treated = 0"):
        ci.did_twfe(panel)
    with pytest.raises(ParameterError, match="'estimator' must be 'did2s' or 'twfe'"):
        ci.event_study(toy_panel(), estimator="ols")
    with pytest.raises(ParameterError, match="'window'"):
        ci.event_study(toy_panel(), window=(0, 3))


# ---------------------------------------------------------------------------------------------
# Huaxin's rollout: the truth is -0.30 on log hours
# ---------------------------------------------------------------------------------------------
def test_twfe_recovers_the_course_effect(kpis, truth):
    est = ci.did_twfe(ci.kpi_panel(kpis))
    assert abs(est.estimate - truth["effect_log_resolution_hours"]) < 0.05
    assert est.ci_low < truth["effect_log_resolution_hours"] < est.ci_high


def test_two_stage_recovers_the_course_effect_on_tickets(tickets, truth):
    est = quiet(ci.did_imputation, tickets)
    assert abs(est.estimate - truth["effect_log_resolution_hours"]) < 0.05
    assert est.ci_low < truth["effect_log_resolution_hours"] < est.ci_high
    assert est.pct == pytest.approx(truth["effect_pct_resolution_hours"] / 100, abs=0.05)


def test_naive_before_after_is_biased_on_the_course_data(kpis, truth):
    # the regions' slow downward trend adds to the effect: the naive comparison overstates it
    est = ci.naive_estimate(ci.kpi_panel(kpis))
    assert est.estimate < truth["effect_log_resolution_hours"] - 0.1


def test_two_stage_warns_about_unidentified_months(kpis):
    with pytest.warns(UserWarning, match=r"did_imputation: \d+ row\(s\) from \d+ period"):
        ci.did_imputation(ci.kpi_panel(kpis))


def test_no_effect_on_revenue_where_none_was_simulated(kpis):
    est = ci.did_twfe(ci.kpi_panel(kpis, outcome="net_revenue_cny"))
    assert est.ci_low < 0 < est.ci_high


def test_survey_responsiveness_shift(truth):
    panel = ci.survey_panel(
        datasets.load("surveys"),
        datasets.load("accounts"),
        truth["go_live"],
        outcome="responsiveness",
    )
    # the rating is round(3.5 + 0.9 * performance + noise): a latent shift of 0.5 moves it 0.45
    expected = 0.9 * truth["responsiveness_rating_shift_latent"]
    est = ci.did_twfe(panel)
    assert est.ci_low < expected < est.ci_high


# ---------------------------------------------------------------------------------------------
# Simulated rollouts with a known effect
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_growing_effect_biases_twfe_not_two_stage(seed):
    panel = ci.simulate_staggered(seed=seed, units_per_cohort=10, effect=-0.1, dynamic=-0.03)
    table = quiet(ci.compare_estimators, panel)
    by = table.set_index("estimator")
    assert abs(by.loc["two-stage DiD (did2s)", "error"]) < 0.03
    assert by.loc["TWFE difference-in-differences", "error"] > 0.1  # biased towards zero


def test_constant_effect_every_estimator_but_naive_recovers():
    panel = ci.simulate_staggered(seed=7, effect=-0.3, dynamic=0.0, noise=0.05)
    table = quiet(ci.compare_estimators, panel).set_index("estimator")
    assert abs(table.loc["TWFE difference-in-differences", "error"]) < 0.02
    assert abs(table.loc["two-stage DiD (did2s)", "error"]) < 0.02
    assert abs(table.loc["naive before/after", "error"]) > 0.02  # the trend leaks in


def test_event_study_follows_the_true_path():
    panel = ci.simulate_staggered(
        seed=11, units_per_cohort=20, effect=-0.1, dynamic=-0.03, noise=0.05
    )
    es = quiet(ci.event_study, panel, estimator="did2s", window=(-6, 6)).set_index("event_time")
    for e in range(0, 6):
        assert es.loc[e, "estimate"] == pytest.approx(-0.1 - 0.03 * e, abs=0.03)
    assert es.loc[-6:-2, "estimate"].abs().max() < 0.03  # no effect before go-live
    assert es.loc[-1, "estimate"] == 0.0


def test_simulate_staggered_truth_and_seed():
    a = ci.simulate_staggered(seed=3, units_per_cohort=2)
    b = ci.simulate_staggered(seed=3, units_per_cohort=2)
    pd.testing.assert_frame_equal(a, b)
    live = a[a["treated"] == 1]
    assert np.allclose(live["true_effect"], -0.1 - 0.03 * live["event_time"])
    assert (a.loc[a["treated"] == 0, "true_effect"] == 0).all()
    with pytest.raises(ParameterError, match="'seed'"):
        ci.simulate_staggered(seed=-1)


def test_plots_have_words():
    panel = ci.simulate_staggered(seed=1, units_per_cohort=1)
    es = quiet(ci.event_study, panel, estimator="twfe", window=(-3, 3))
    ax = ci.plot_event_study(es, truth=-0.1)
    assert ax.get_title() == "Effect of the CRM system by month around go-live"
    assert ci.plot_kpi_trends(panel).get_xlabel() == "Month"


# ---------------------------------------------------------------------------------------------
# Adoption
# ---------------------------------------------------------------------------------------------
def test_adoption_table_shape_bounds_and_seed():
    t = crm_adoption.adoption_table(months=6)
    assert len(t) == 5 * 6
    assert (t["active_users"] <= t["staff"]).all() and (t["share_active"].between(0, 1)).all()
    pd.testing.assert_frame_equal(t, crm_adoption.adoption_table(months=6))
    # staff counts come from the stated table
    assert t.groupby("region")["staff"].first().to_dict() == {
        r: p["staff"] for r, p in crm_adoption.ADOPTION.items()
    }
    with pytest.raises(ParameterError, match="'months'"):
        crm_adoption.adoption_table(months=0)
    ax = crm_adoption.plot_adoption(t)
    assert ax.get_ylabel() == "Share of staff active"
