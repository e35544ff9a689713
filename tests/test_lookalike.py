"""Tests of kamlib.lookalike: the look-alike model, its evaluation and the prospect gains table.

Hand-computed expectations are explained in the comments. The look-alike model is checked on
simulations with known coefficients: our own (5,000 prospects, seed fixed) and the course file,
whose true coefficients are in datasets/true_parameters.json.
"""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

from kamlib import datasets, lookalike, prospects
from kamlib.errors import DataError, NotFittedError, ParameterError

matplotlib.use("Agg")


def test_prospects_keeps_the_lookalike_names():
    # Notebooks and exercises call prospects.LookalikeModel, prospects.evaluate...: same objects.
    for name in ("LookalikeModel", "LookalikeEvaluation", "evaluate", "gains_table"):
        assert getattr(prospects, name) is getattr(lookalike, name), name
    for name in ("plot_gains", "plot_lift"):
        assert getattr(prospects, name) is getattr(lookalike, name), name


# ---------------------------------------------------------------------------------------------
# Gains table and evaluation
# ---------------------------------------------------------------------------------------------
def test_gains_table_by_hand():
    # Scores sorted high to low; 10 prospects in 5 bands of 2. Conversions at ranks 1, 2, 4:
    # band 1 = 2 of 2, band 2 = 1 of 2, bands 3-5 = 0. Base rate 3/10.
    # Lift band 1 = 1.0 / 0.3 = 3.33; band 2 = 0.5 / 0.3 = 1.67.
    # Cumulative capture: 2/3, 1, 1, 1, 1; cumulative lift band 1 = (2/3) / 0.2 = 3.33,
    # band 2 = 1 / 0.4 = 2.5.
    y = [0, 1, 0, 0, 1, 0, 1, 0, 0, 0]
    s = [0.5, 0.9, 0.1, 0.3, 0.8, 0.2, 0.6, 0.4, 0.0, 0.7]  # order: .9 .8 .7 .6 .5 ...
    g = lookalike.gains_table(y, s, n_bins=5)
    assert g["band"].tolist() == [1, 2, 3, 4, 5]
    assert g["prospects"].tolist() == [2] * 5
    assert g["conversions"].tolist() == [2, 1, 0, 0, 0]
    assert g["lift"].tolist() == pytest.approx([10 / 3, 5 / 3, 0, 0, 0])
    assert g["cum_share_conversions"].tolist() == pytest.approx([2 / 3, 1, 1, 1, 1])
    assert g["cum_lift"].tolist() == pytest.approx([10 / 3, 2.5, 5 / 3, 1.25, 1.0])


def test_gains_table_uneven_bands():
    # 7 prospects in 3 bands: band = floor(i * 3 / 7) + 1 for i = 0..6 -> 1,1,1,2,2,3,3.
    g = lookalike.gains_table([1, 0, 0, 0, 0, 0, 1], np.arange(7, 0, -1), n_bins=3)
    assert g["prospects"].tolist() == [3, 2, 2]
    assert g["conversions"].tolist() == [1, 0, 1]


def test_gains_table_bad_input():
    with pytest.raises(DataError, match="values for"):
        lookalike.gains_table([0, 1, 1], [0.1, 0.2])
    with pytest.raises(DataError, match="True/False or 0/1"):
        lookalike.gains_table([0, 2, 1], [0.1, 0.2, 0.3], n_bins=2)
    with pytest.raises(DataError, match="no case in .y_true. is 1"):
        lookalike.gains_table([0, 0, 0], [0.1, 0.2, 0.3], n_bins=2)
    with pytest.raises(DataError, match="cannot fill"):
        lookalike.gains_table([0, 1, 1], [0.1, 0.2, 0.3], n_bins=5)
    with pytest.raises(DataError, match="'scores' has 1 missing"):
        lookalike.gains_table([0, 1, 1], [0.1, np.nan, 0.3], n_bins=2)
    with pytest.raises(DataError, match="'scores' has infinite"):
        lookalike.gains_table([0, 1, 1], [0.1, np.inf, 0.3], n_bins=2)
    with pytest.raises(DataError, match="'scores' must be numeric"):
        lookalike.gains_table([0, 1, 1], ["a", "b", "c"], n_bins=2)
    with pytest.raises(DataError, match="'scores' must be numeric"):
        lookalike.gains_table([0, 1, 1], [True, False, True], n_bins=2)
    with pytest.raises(ParameterError, match="n_bins"):
        lookalike.gains_table([0, 1, 1], [0.1, 0.2, 0.3], n_bins=1)


class FixedScores:
    """A stand-in model whose scores are given in a column, to test evaluate() by hand."""

    def predict_proba(self, frame):
        p = frame["score"].to_numpy()
        return np.column_stack([1 - p, p])


def test_evaluate_auc_by_hand():
    # Converters score 0.9 and 0.7, non-converters 0.8 and 0.6. Of the 4 (converter,
    # non-converter) pairs, 3 are ordered correctly (0.9>0.8, 0.9>0.6, 0.7>0.6): AUC = 0.75.
    frame = pd.DataFrame({"score": [0.9, 0.8, 0.7, 0.6], "converted": [True, False, True, False]})
    result = lookalike.evaluate(FixedScores(), frame, n_bins=2)
    assert result.auc == pytest.approx(0.75)
    assert result.base_rate == 0.5 and result.n == 4
    assert result.gains["conversions"].tolist() == [1, 1]


def test_evaluate_bad_input():
    frame = pd.DataFrame({"score": [0.9, 0.8], "converted": [True, True]})
    with pytest.raises(DataError, match="same outcome"):
        lookalike.evaluate(FixedScores(), frame, n_bins=2)
    with pytest.raises(DataError, match="not found"):
        lookalike.evaluate(FixedScores(), frame.drop(columns="converted"))
    with pytest.raises(ParameterError, match="fitted LookalikeModel"):
        lookalike.evaluate("model", frame)


def test_gain_and_lift_plots():
    import matplotlib.pyplot as plt

    g = lookalike.gains_table([0, 1, 0, 0, 1, 0, 1, 0, 0, 0], np.arange(10), n_bins=5)
    ax = lookalike.plot_gains(g)
    assert len(ax.get_lines()) == 2
    assert ax.get_lines()[0].get_xydata()[0].tolist() == [0, 0]  # curve starts at the origin
    ax = lookalike.plot_lift(g)
    assert len(ax.patches) == 5
    with pytest.raises(DataError, match="not found"):
        lookalike.plot_gains(g.drop(columns="cum_share_conversions"))
    with pytest.raises(DataError, match="not found"):
        lookalike.plot_lift(g.drop(columns="lift"))
    plt.close("all")


# ---------------------------------------------------------------------------------------------
# Look-alike model: contract, bad input
# ---------------------------------------------------------------------------------------------
TRUE = {
    "intercept": -3.5,
    "source[web]": 0.8,
    "source[call]": -0.5,
    "log(employees)": 0.5,
    "visits": 0.2,
    "noise": 0.0,
    "event": 0.7,
}


def simulate(n: int, seed: int) -> pd.DataFrame:
    """Prospects drawn from a logistic model with the coefficients in TRUE."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "source": rng.choice(["fair", "web", "call"], n),
            "employees": np.exp(rng.normal(4.5, 1.2, n)).round() + 1,
            "visits": rng.poisson(2.0, n),
            "noise": rng.integers(1, 41, n),
            "event": rng.random(n) < 0.3,
        }
    )
    logit = (
        TRUE["intercept"]
        + TRUE["source[web]"] * (frame["source"] == "web")
        + TRUE["source[call]"] * (frame["source"] == "call")
        + TRUE["log(employees)"] * np.log(frame["employees"])
        + TRUE["visits"] * frame["visits"]
        + TRUE["event"] * frame["event"]
    )
    frame["converted"] = rng.random(n) < 1 / (1 + np.exp(-logit))
    return frame


def toy_model(**kw) -> lookalike.LookalikeModel:
    options = (
        dict(
            categorical=("source",),
            log_numeric=("employees",),
            numeric=("visits", "noise"),
            boolean=("event",),
            reference_levels={"source": "fair"},
            C=1e6,
        )
        | kw
    )
    return lookalike.LookalikeModel(**options)


def test_lookalike_recovers_known_coefficients():
    # 5,000 prospects from known coefficients. At this size the Wald standard errors are about
    # 0.03-0.12 (shown by the fit), so each estimate should lie within 3.5 standard errors of the
    # truth (a band that a correct estimator misses with probability 0.05% per coefficient); the
    # true drivers are 5+ standard errors from zero, so they must come out significant
    # (p < 0.001) with the right sign, and the irrelevant 'noise' trait must not (|z| < 3.5).
    frame = simulate(5000, seed=11)
    before = frame.copy()
    model = toy_model().fit(frame)
    table = model.coefficients()
    for term, truth in TRUE.items():
        estimate, se, p = table.loc[term, ["coefficient", "std_error", "p_value"]]
        assert abs(estimate - truth) < 3.5 * se, (term, estimate, truth, se)
        if truth != 0:
            assert np.sign(estimate) == np.sign(truth) and p < 1e-3, term
    assert abs(table.loc["noise", "z"]) < 3.5
    assert table.loc["log(employees)", "std_error"] < 0.1  # precise enough to be informative
    pd.testing.assert_frame_equal(frame, before)


def test_lookalike_standard_errors_match_the_spread_of_estimates():
    # The recovery test relies on the standard errors, so check them: over 30 simulated samples
    # the spread (SD) of the estimates should match the average reported standard error. With
    # 30 samples the SD itself is uncertain by about 1/sqrt(2 * 29) = 13%, so we accept a ratio
    # between 0.7 and 1.4 (about 2.5 of those uncertainties either side).
    estimates, errors = [], []
    for seed in range(30):
        model = toy_model().fit(simulate(1500, seed=100 + seed))
        table = model.coefficients()
        estimates.append(table.loc[["log(employees)", "event"], "coefficient"].to_numpy())
        errors.append(table.loc[["log(employees)", "event"], "std_error"].to_numpy())
    ratio = np.std(estimates, axis=0, ddof=1) / np.mean(errors, axis=0)
    assert ((ratio > 0.7) & (ratio < 1.4)).all(), ratio


def test_lookalike_contract():
    from sklearn.base import clone

    model = toy_model(C=2.0)
    assert model.get_params()["C"] == 2.0
    assert model.set_params(C=3.0) is model and model.C == 3.0
    copy = clone(model)
    assert copy.get_params() == model.get_params() and copy is not model
    with pytest.raises(NotFittedError, match="not fitted"):
        model.predict_proba(simulate(10, seed=1))
    with pytest.raises(NotFittedError):
        model.coefficients()
    with pytest.raises(ParameterError, match="unknown parameter"):
        model.set_params(alpha=1)
    frame = simulate(500, seed=3)
    assert model.fit(frame) is model
    proba = model.predict_proba(frame)
    assert proba.shape == (500, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert ((proba > 0) & (proba < 1)).all()
    assert model.predict(frame).dtype == bool
    scores = model.score_prospects(frame.iloc[:5])
    assert scores.index.equals(frame.index[:5]) and scores.name == "p_convert"
    assert model.levels_["source"][0] == "fair"
    assert model.n_train_ == 500
    assert model.coef_.index.tolist() == [  # levels after the reference in sorted order
        "source[call]",
        "source[web]",
        "log(employees)",
        "visits",
        "noise",
        "event",
    ]
    # Raw-scale coefficients reproduce the pipeline's probabilities.
    design = (
        model.intercept_
        + model.coef_["source[web]"] * (frame["source"] == "web")
        + model.coef_["source[call]"] * (frame["source"] == "call")
        + model.coef_["log(employees)"] * np.log(frame["employees"])
        + model.coef_["visits"] * frame["visits"]
        + model.coef_["noise"] * frame["noise"]
        + model.coef_["event"] * frame["event"]
    )
    np.testing.assert_allclose(1 / (1 + np.exp(-design)), proba[:, 1], rtol=1e-8)


def test_lookalike_unknown_category_counts_as_reference():
    model = toy_model().fit(simulate(500, seed=4))
    new = simulate(3, seed=5).assign(source=["fair", "fair", "fair"])
    odd = new.assign(source="partner")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # sklearn warns about the unknown level
        np.testing.assert_allclose(model.predict_proba(odd), model.predict_proba(new))


def test_lookalike_bad_input():
    frame = simulate(300, seed=6)
    cases = [
        (toy_model(), frame.drop(columns="visits"), DataError, "not found"),
        (toy_model(), frame.assign(source=None), DataError, "missing"),
        (toy_model(), frame.assign(employees=0), DataError, "positive"),
        (toy_model(), frame.assign(visits="many"), DataError, "numeric"),
        (toy_model(), frame.assign(event="yes"), DataError, "True/False"),
        (toy_model(), frame.assign(converted=False), DataError, "same outcome"),
        (toy_model(), frame.assign(converted=2), DataError, "True/False"),
        (toy_model(), frame.drop(columns="converted"), DataError, "converted"),
        (toy_model(C=0), frame, ParameterError, "'C'"),
        (toy_model(reference_levels={"source": "mail"}), frame, ParameterError, "reference"),
        (toy_model(reference_levels={"visits": 1}), frame, ParameterError, "not categorical"),
        (toy_model(), "lookalike.csv", DataError, "DataFrame"),
        (
            toy_model(categorical=(), log_numeric=(), numeric=(), boolean=()),
            frame,
            ParameterError,
            "no features",
        ),
    ]
    for model, data, error, match in cases:
        with pytest.raises(error, match=match):
            model.fit(data)
    with pytest.raises(DataError, match="values for"):
        toy_model().fit(frame, frame["converted"].iloc[:10])


# ---------------------------------------------------------------------------------------------
# Ground truth on the course data
# ---------------------------------------------------------------------------------------------
def test_lookalike_recovers_the_course_simulation():
    """The course prospects follow a logistic model whose coefficients are in the truth file.

    The generator closes won deals 20-90 days after first contact and censors those closing in
    the last 10 days of 2024, so we fit on prospects first contacted before 2024-09-01, whose
    outcome is fully observed. Industries enter the truth through one 'target industry' effect,
    so each industry's coefficient (against Food & beverage, a non-target industry) is that
    effect or 0; lead sources are compared with market research (true effect 0). With about
    2,000 prospects the standard errors are 0.04-0.4, so we ask every estimate to lie within
    3.5 standard errors of the truth, every true driver whose effect is over 3 standard errors to
    be significant (p < 0.01) with the right sign, and the traits with no effect (region, years in
    business) to have |z| < 3.5.
    """
    from kamlib.datasets import generate

    truth = datasets.true_parameters()["prospects"]
    coef = truth["logit_coefficients"]
    targets = truth.get("target_industries", generate.TARGET_INDUSTRIES)
    leads = datasets.load("prospects")
    train = leads[leads["first_contact_date"] < "2024-09-01"]
    model = lookalike.LookalikeModel(
        reference_levels={"industry": "Food & beverage", "lead_source": "market_research"},
        C=1e6,
    ).fit(train)
    table = model.coefficients()

    expected = {"intercept": coef["intercept"], "log(employees)": coef["log_employees"]}
    expected |= {
        "website_visits": coef["website_visits"],
        "attended_event": coef["attended_event"],
        "years_in_business": coef["years_in_business"],
    }
    for industry in model.levels_["industry"][1:]:
        expected[f"industry[{industry}]"] = coef["target_industry"] * (industry in targets)
    for region in model.levels_["region"][1:]:
        expected[f"region[{region}]"] = coef["region"]
    for source in model.levels_["lead_source"][1:]:
        expected[f"lead_source[{source}]"] = (
            coef[f"lead_source[{source}]"] - coef["lead_source[market_research]"]
        )
    assert set(expected) == set(table.index)
    for term, value in expected.items():
        estimate, se, p = table.loc[term, ["coefficient", "std_error", "p_value"]]
        assert abs(estimate - value) < 3.5 * se, (term, estimate, value, se)
        if abs(value) > 3 * se:
            assert np.sign(estimate) == np.sign(value) and p < 0.01, term
        if value == 0:
            assert abs(table.loc[term, "z"]) < 3.5, term


def test_lookalike_containers_and_signs_are_checked():
    frame = simulate(300, seed=6)
    with pytest.raises(ParameterError, match="'reference_levels' must be a dict"):
        toy_model(reference_levels=["source"]).fit(frame)
    with pytest.raises(ParameterError, match="'numeric' must be a list of names"):
        toy_model(numeric=5).fit(frame)
    # One name is a list of one (not its letters): "visits" is the column visits.
    model = toy_model(numeric="visits").fit(frame)
    assert "visits" in model.coef_.index
    # Visits were never negative in training: a negative count is refused when scoring.
    with pytest.raises(DataError, match="'visits' has 1 negative value.*never negative"):
        model.score_prospects(frame.assign(visits=np.r_[-1, frame["visits"].iloc[1:]]))
    # The target column is named as the user named it, not as 'y'.
    with pytest.raises(DataError, match="'converted' must be True/False or 0/1"):
        toy_model().fit(frame.assign(converted=["yes"] * len(frame)))
