"""Tests of kamlib.bgnbd: the BG/NBD model of repeat buying and its simulator.

Expected values come from the literature (Fader, Hardie & Lee 2005, CDNOW sample), from hand
calculation (shown in comments), or from simulations with known parameters.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special
from scipy.optimize import approx_fprime

from kamlib import bgnbd
from kamlib.bgnbd import BetaGeoModel, simulate_bgnbd
from kamlib.errors import DataError, FitError, ParameterError

# Published CDNOW estimates: BG/NBD (Fader, Hardie & Lee 2005, Marketing Science 24(2), p. 279)
CDNOW = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
GOOD = {"frequency": [0, 2, 1], "recency": [0.0, 5.0, 3.0], "T": [10.0, 10.0, 4.0]}


@pytest.fixture
def cdnow():
    return BetaGeoModel.from_params(**CDNOW)


# --------------------------------------------------------------------------------------------
# Published reference values
# --------------------------------------------------------------------------------------------
def test_cdnow_conditional_expectation_matches_paper(cdnow):
    # FHL (2005), section 5: a customer with x = 2, t_x = 30.43, T = 38.86 weeks is expected
    # to make 1.226 purchases in the next 39 weeks.
    value = cdnow.conditional_expected_purchases(39, 2, 30.43, 38.86)
    assert value == pytest.approx(1.226, abs=5e-4)


def test_cdnow_unconditional_expectation_at_78_weeks(cdnow):
    # FHL (2005): E[X(78)] for a randomly chosen CDNOW customer is about 1.86 repeat purchases.
    assert cdnow.expected_purchases(78) == pytest.approx(1.86, abs=5e-3)


def test_expected_purchases_small_t_equals_mean_rate(cdnow):
    # Before the first repeat purchase nobody can drop out, so E[X(t)] ~ E[lambda] t =
    # (r / alpha) t for small t: 0.243 / 4.414 = 0.0550521 per week.
    t = 1e-5
    assert cdnow.expected_purchases(t) / t == pytest.approx(0.243 / 4.414, rel=1e-4)


def test_probability_alive_by_hand(cdnow):
    # a/(b+x-1) = 0.793/3.426 = 0.231465; (alpha+T)/(alpha+t_x) = 43.274/34.844 = 1.241936;
    # ln 1.241936 = 0.216672, times r+x = 2.243 -> 0.485995, exp -> 1.625817;
    # 0.231465 * 1.625817 = 0.376320; P(alive) = 1/1.376320 = 0.726575.
    assert cdnow.probability_alive(2, 30.43, 38.86) == pytest.approx(0.726575, abs=2e-5)


def test_conditional_expectation_direct_formula_agrees(cdnow):
    # The module uses Euler's transformation of 2F1; eq. 10 of FHL (2005) evaluated directly:
    r, alpha, a, b = CDNOW.values()
    for x, t_x, t_end, t in [(2, 30.43, 38.86, 39.0), (10, 35.0, 38.0, 52.0), (0, 0.0, 20.0, 10.0)]:
        z = t / (alpha + t_end + t)
        head = (a + b + x - 1) / (a - 1)
        tail = 1 - ((alpha + t_end) / (alpha + t_end + t)) ** (r + x) * special.hyp2f1(
            r + x, b + x, a + b + x - 1, z
        )
        alive = 1 + (x > 0) * a / (b + x - 1) * ((alpha + t_end) / (alpha + t_x)) ** (r + x)
        expected = head * tail / alive
        got = cdnow.conditional_expected_purchases(t, x, t_x, t_end)
        assert got == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    ("r", "alpha", "a", "b", "t"),
    [
        (0.243, 4.414, 0.793, 2.426, 78.0),
        (1.6, 1.0, 1.6, 5.0, 500.0),  # r - a whole: c - a - b of the 2F1 is a whole number
        (0.108908, 1.0, 1.108908, 4.825, 705.0),
        (0.6, 1.0, 1.6, 5.0, 500.0),
    ],
)
def test_expected_purchases_equals_the_mixture_integral(r, alpha, a, b, t):
    # From the model's definition: given lambda and p, E[X(t)] = (1 - exp(-lambda p t)) / p;
    # averaging exp(-lambda p t) over lambda ~ Gamma(r, alpha) gives (alpha/(alpha+p t))^r,
    # so E[X(t)] = integral over p ~ Beta(a, b) of (1 - (alpha/(alpha + p t))^r) / p.
    from scipy import integrate

    def integrand(p):
        mixture = -np.expm1(-r * np.log1p(p * t / alpha)) / p
        return mixture * np.exp((a - 1) * np.log(p) + (b - 1) * np.log1p(-p) - special.betaln(a, b))

    kinks = [alpha / t, 10 * alpha / t]
    expected, _ = integrate.quad(integrand, 0, 1, points=kinks, limit=200, epsrel=1e-11)
    model = BetaGeoModel.from_params(r=r, alpha=alpha, a=a, b=b)
    assert model.expected_purchases(t) == pytest.approx(expected, rel=1e-7)


def test_new_customer_conditional_equals_unconditional(cdnow):
    # With no history (x = 0, T = 0) eq. 10 reduces to eq. 9.
    t = np.array([1.0, 10.0, 52.0])
    got = cdnow.conditional_expected_purchases(t, np.zeros(3), np.zeros(3), np.zeros(3))
    np.testing.assert_allclose(got, cdnow.expected_purchases(t), rtol=1e-10)


# --------------------------------------------------------------------------------------------
# Likelihoods and gradients
# --------------------------------------------------------------------------------------------
def _bgnbd_likelihood_direct(r, alpha, a, b, x, t_x, t_end):
    """FHL (2005) eq. 6 with plain gamma and beta functions (no logs)."""
    beta = math.gamma(a) * math.gamma(b) / math.gamma(a + b)
    b1 = math.gamma(a) * math.gamma(b + x) / math.gamma(a + b + x) / beta
    common = math.gamma(r + x) * alpha**r / math.gamma(r)
    value = b1 * common / (alpha + t_end) ** (r + x)
    if x > 0:
        b2 = math.gamma(a + 1) * math.gamma(b + x - 1) / math.gamma(a + b + x) / beta
        value += b2 * common / (alpha + t_x) ** (r + x)
    return value


def test_bgnbd_log_likelihood_equals_direct_computation():
    params = {"r": 0.7, "alpha": 3.0, "a": 1.3, "b": 2.2}
    model = BetaGeoModel.from_params(**params)
    rows = [(0, 0.0, 5.0), (1, 2.0, 5.0), (3, 4.0, 6.0), (5, 9.5, 10.0)]
    x, t_x, t_end = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
    got = model.log_likelihood(x, t_x, t_end)
    direct = [math.log(_bgnbd_likelihood_direct(*params.values(), *row)) for row in rows]
    np.testing.assert_allclose(got, direct, rtol=1e-10)


def test_bgnbd_analytic_gradient_matches_finite_differences():
    data = simulate_bgnbd(400, r=0.6, alpha=4.0, a=0.9, b=2.0, T=30, seed=3, whole_periods=True)
    packed = bgnbd._BGData(*(data[c].to_numpy(dtype=float) for c in ["frequency", "recency", "T"]))
    assert packed.n_rows < 400  # whole periods give repeated rows, so weights are exercised
    for theta in (np.log([0.6, 4.0, 0.9, 2.0]), np.log([0.2, 10.0, 2.5, 0.8])):
        _, grad = bgnbd._bgnbd_objective(theta, packed)
        numeric = approx_fprime(theta, lambda th: bgnbd._bgnbd_objective(th, packed)[0], 1e-7)
        np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-6)
        # and the value equals the mean of the per-customer log-likelihood, negated
        value, _ = bgnbd._bgnbd_objective(theta, packed)
        per_row = bgnbd._bgnbd_terms(
            np.exp(theta), *(data[c].to_numpy(dtype=float) for c in ["frequency", "recency", "T"])
        )
        assert value == pytest.approx(-per_row.mean(), rel=1e-12)


def test_duplicated_customers_double_the_log_likelihood():
    data = simulate_bgnbd(1500, r=0.5, alpha=5.0, a=0.8, b=2.5, T=40, seed=5)
    once = BetaGeoModel().fit(data)
    twice = BetaGeoModel().fit(pd.concat([data, data], ignore_index=True))
    np.testing.assert_allclose(twice.params_, once.params_, rtol=1e-4)
    assert twice.log_likelihood_ == pytest.approx(2 * once.log_likelihood_, rel=1e-9)
    # twice the information: standard errors shrink by sqrt(2)
    np.testing.assert_allclose(
        once.standard_errors_ / twice.standard_errors_, np.sqrt(2), rtol=0.02
    )
    assert twice.n_customers_ == 3000


# --------------------------------------------------------------------------------------------
# Ground truth by simulation
# --------------------------------------------------------------------------------------------
TRUTH = {"r": 0.55, "alpha": 6.0, "a": 0.75, "b": 3.2}


def test_simulator_matches_closed_forms():
    # Independent of any fitting: P(X(T) = 0) = E[exp(-lambda T)] = (alpha/(alpha+T))^r
    # (nobody drops out before a repeat purchase) and mean X(T) = E[X(T)] (eq. 9).
    n, t_end = 100_000, 52.0
    data = simulate_bgnbd(n, **TRUTH, T=t_end, seed=11)
    p0 = (6.0 / 58.0) ** 0.55  # = 0.287...
    share0 = (data["frequency"] == 0).mean()
    assert abs(share0 - p0) < 4 * math.sqrt(p0 * (1 - p0) / n)
    model = BetaGeoModel.from_params(**TRUTH)
    mean, sd = data["frequency"].mean(), data["frequency"].std()
    assert abs(mean - model.expected_purchases(t_end)) < 4 * sd / math.sqrt(n)
    assert ((data["recency"] <= data["T"]) & (data["recency"] >= 0)).all()


def test_bgnbd_recovers_simulated_parameters_within_3_se():
    # 20,000 customers observed 26 to 104 weeks. With approximately normal estimates, each
    # parameter lies within 3 standard errors of the truth with probability 99.7%.
    rng = np.random.default_rng(7)
    t_end = rng.uniform(26, 104, 20_000)
    data = simulate_bgnbd(20_000, **TRUTH, T=t_end, seed=7)
    model = BetaGeoModel().fit(data)
    assert model.converged_ and model.n_customers_ == 20_000
    for name, true in TRUTH.items():
        assert abs(model.params_[name] - true) < 3 * model.standard_errors_[name], name


def test_bgnbd_standard_errors_match_sampling_spread():
    # The reported SEs should describe how estimates vary across samples: refit 40 samples of
    # 3,000 customers; the mean reported SE should be within 30% of the observed SD (the SD
    # of 40 draws is itself uncertain by about 1/sqrt(2*39) = 11%).
    estimates, ses = [], []
    for seed in range(40):
        data = simulate_bgnbd(3000, **TRUTH, T=78.0, seed=100 + seed)
        model = BetaGeoModel().fit(data)
        estimates.append(model.params_.to_numpy())
        ses.append(model.standard_errors_.to_numpy())
    observed = np.std(estimates, axis=0, ddof=1)
    reported = np.mean(ses, axis=0)
    # b's estimates are skewed; compare on r, alpha and a, and b on a looser 45% band
    np.testing.assert_allclose(reported[:3], observed[:3], rtol=0.30)
    np.testing.assert_allclose(reported[3], observed[3], rtol=0.45)


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------
params_st = st.fixed_dictionaries(
    {
        "r": st.floats(0.05, 5),
        "alpha": st.floats(0.1, 100),
        "a": st.floats(0.05, 5),
        "b": st.floats(0.1, 10),
    }
)


@st.composite
def histories(draw):
    n = draw(st.integers(1, 8))
    t_end = np.array(draw(st.lists(st.floats(0, 200), min_size=n, max_size=n)))
    x = np.array(draw(st.lists(st.integers(0, 60), min_size=n, max_size=n)), dtype=float)
    share = np.array(draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))
    t_x = np.where(x > 0, share * t_end, 0.0)
    return x, t_x, t_end


@settings(max_examples=60, deadline=None)
@given(params=params_st, history=histories())
def test_probability_alive_is_a_probability_and_one_without_repeats(params, history):
    x, t_x, t_end = history
    kept = [v.copy() for v in history]
    alive = BetaGeoModel.from_params(**params).probability_alive(x, t_x, t_end)
    assert np.all((alive >= 0) & (alive <= 1))
    assert np.all(alive[x == 0] == 1.0)
    for before, after in zip(kept, history, strict=True):
        np.testing.assert_array_equal(before, after)


@settings(max_examples=60, deadline=None)
@given(params=params_st, history=histories())
def test_conditional_expected_purchases_grow_with_time(params, history):
    x, t_x, t_end = history
    model = BetaGeoModel.from_params(**params)
    values = [
        model.conditional_expected_purchases(t, x, t_x, t_end) for t in (0.0, 1.0, 10.0, 50.0)
    ]
    assert np.all(np.abs(values[0]) < 1e-9)
    for earlier, later in zip(values, values[1:], strict=False):
        assert np.all(later >= earlier - 1e-9)
    assert np.all(values[-1] >= 0)


@settings(max_examples=60, deadline=None)
@given(params=params_st)
def test_expected_purchases_non_negative_and_increasing(params):
    t = np.array([0.0, 0.5, 5.0, 50.0, 500.0])
    values = BetaGeoModel.from_params(**params).expected_purchases(t)
    assert values[0] == pytest.approx(0.0, abs=1e-12)
    assert np.all(np.diff(values) > 0)


# --------------------------------------------------------------------------------------------
# Bad summaries, fitting failures and the estimator contract
# --------------------------------------------------------------------------------------------
GOOD = {"frequency": [0, 2, 1], "recency": [0.0, 5.0, 3.0], "T": [10.0, 10.0, 4.0]}


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"frequency": [0, -2, 1]}, "frequency", "negative"),
        ({"frequency": [0, 1.5, 1]}, "frequency", "whole numbers"),
        ({"recency": [0.0, 12.0, 3.0]}, "recency", "larger than 'T'"),
        ({"recency": [1.0, 5.0, 3.0]}, "recency", "frequency 0"),
        ({"T": [-1.0, 10.0, 4.0]}, "T", "negative"),
        ({"recency": [0.0, -1.0, 3.0]}, "recency", "negative"),
        ({"T": [10.0, np.nan, 4.0]}, "T", "missing"),
        ({"frequency": ["0", "2", "1"]}, "frequency", "numeric"),
    ],
)
def test_impossible_summaries_are_refused(change, column, words, cdnow):
    bad = pd.DataFrame(GOOD | change)
    kept = bad.copy()
    with pytest.raises(DataError, match=words) as info:
        BetaGeoModel().fit(bad)
    assert f"'{column}'" in str(info.value) and "BetaGeoModel.fit" in str(info.value)
    for method in (cdnow.probability_alive, lambda *a: cdnow.conditional_expected_purchases(1, *a)):
        with pytest.raises(DataError, match=words):
            method(bad["frequency"], bad["recency"], bad["T"])
    pd.testing.assert_frame_equal(bad, kept)


def test_fractional_frequency_is_refused_not_truncated(cdnow):
    # a cast to int would turn 1.5 into 1 silently; the check must come first
    with pytest.raises(DataError, match="whole numbers"):
        cdnow.probability_alive(np.array([1.5]), np.array([1.0]), np.array([2.0]))


def test_failed_optimisation_raises_fit_error():
    data = simulate_bgnbd(2000, **TRUTH, T=52.0, seed=8)
    with pytest.raises(FitError, match="did not converge.*penalizer"):
        BetaGeoModel(max_iter=1).fit(data)
    # Nobody ever buys again: the drop-out process cannot be identified.
    idle = pd.DataFrame({"frequency": [0] * 50, "recency": [0.0] * 50, "T": np.linspace(1, 50, 50)})
    with pytest.raises(FitError, match="repeat purchase"):
        BetaGeoModel().fit(idle)


def test_starting_values_do_not_change_the_estimate():
    # The likelihood has one maximum: starting from the truth (as a dict or a list) or from
    # the default start must end at the same estimate.
    data = simulate_bgnbd(800, **TRUTH, T=52.0, seed=10)
    default = BetaGeoModel().fit(data).params_
    for start in (TRUTH, [2.0, 1.0, 0.5, 5.0]):
        model = BetaGeoModel(initial_params=start).fit(data)
        np.testing.assert_allclose(model.params_, default, rtol=1e-4)


def test_penalizer_shrinks_log_parameters_towards_zero():
    data = simulate_bgnbd(500, r=0.3, alpha=8.0, a=0.5, b=6.0, T=30.0, seed=9)
    plain = BetaGeoModel().fit(data)
    shrunk = BetaGeoModel(penalizer=0.5).fit(data)
    assert np.abs(np.log(shrunk.params_)).sum() < np.abs(np.log(plain.params_)).sum()


def test_estimator_contract():
    from sklearn.base import clone

    model = BetaGeoModel(penalizer=0.01, max_iter=200)
    assert model.get_params() == {"penalizer": 0.01, "initial_params": None, "max_iter": 200}
    copy = clone(model)
    assert copy.get_params() == model.get_params() and copy is not model
    assert model.set_params(penalizer=0.1) is model and model.penalizer == 0.1
    with pytest.raises(ParameterError, match="unknown"):
        model.set_params(speed=3)
    data = simulate_bgnbd(800, **TRUTH, T=52.0, seed=10)
    assert model.fit(data) is model
    assert set(model.params_.index) == {"r", "alpha", "a", "b"}
    table = model.parameter_table()
    assert list(table.columns) == ["estimate", "std_error", "lower_95", "upper_95"]
    assert (table["lower_95"] < table["estimate"]).all()


def test_predict_and_outputs_keep_the_index(cdnow):
    s = pd.DataFrame(GOOD, index=pd.Index(["u", "v", "w"], name="member_id"))
    pred = cdnow.predict(s, 10)
    assert list(pred.index) == ["u", "v", "w"] and pred.name == "expected_purchases"
    alive = cdnow.probability_alive(s["frequency"], s["recency"], s["T"])
    assert list(alive.index) == ["u", "v", "w"]
    np.testing.assert_allclose(
        pred, cdnow.conditional_expected_purchases(10.0, s["frequency"], s["recency"], s["T"])
    )
    # and predict gives the published value for FHL's example customer (see the first test)
    fhl = pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86]}, index=["fhl"])
    assert cdnow.predict(fhl, 39)["fhl"] == pytest.approx(1.226, abs=5e-4)


def test_expected_purchases_takes_a_list(cdnow):
    # Issue 14: a list failed where an array worked; both give the same numbers.
    from_list = cdnow.expected_purchases([1.0, 5.0])
    np.testing.assert_allclose(from_list, cdnow.expected_purchases(np.array([1.0, 5.0])))
    assert isinstance(from_list, np.ndarray) and from_list[1] > from_list[0]


def test_seeds_and_flags_of_the_simulator_are_checked():
    for seed in (-1, "2", True, 2.5):
        with pytest.raises(ParameterError, match="'seed' must be a whole number"):
            simulate_bgnbd(5, r=0.5, alpha=5, a=0.8, b=2.5, T=10.0, seed=seed)
    with pytest.raises(ParameterError, match="'whole_periods' must be True or False"):
        simulate_bgnbd(5, r=0.5, alpha=5, a=0.8, b=2.5, T=10.0, seed=1, whole_periods="no")
    with pytest.raises(ParameterError, match="'initial_params' must be a dict"):
        BetaGeoModel(initial_params=5).fit(pd.DataFrame(GOOD))
