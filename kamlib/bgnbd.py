"""The BG/NBD model of repeat buying by customers without a contract.

When customers buy "whenever they like" (an online shop, a membership programme) nobody tells
the firm that they have left. The BG/NBD model (beta-geometric / negative binomial
distribution, Fader, Hardie & Lee 2005) reads each customer's history as three numbers and
infers how often they buy and how likely they are still active:

* ``frequency`` *x*: the number of **repeat** purchases (purchase days minus one),
* ``recency`` *t_x*: the time from the first to the last purchase,
* ``T``: the time from the first purchase to the end of the calibration period.

Its story: while active, a customer buys at their own Poisson rate lambda (rates vary across
customers as a gamma distribution with shape ``r`` and rate ``alpha``); after each repeat
purchase the customer drops out for good with their own probability p (p varies as a beta
distribution with parameters ``a`` and ``b``).

This module fits the model (:class:`BetaGeoModel`) and simulates data with known truth
(:func:`simulate_bgnbd`). Building the summary from a purchase log and checking a fit on a
holdout period are in :mod:`kamlib.repeat_buying` (which re-exports these names); spend per
purchase and customer lifetime value in :mod:`kamlib.spend_model`.

>>> model = BetaGeoModel.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
>>> round(float(model.conditional_expected_purchases(39, 2, 30.43, 38.86)), 3)
1.226
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from kamlib._models import (
    ProbabilityModel,
    all_scalar,
    check_summary,
    check_time,
    dot,
    shaped_output,
)
from kamlib.errors import DataError, FitError, ParameterError
from kamlib.validation import (
    check_flag,
    check_number,
    check_seed,
    require_columns,
    require_frame,
)

__all__ = ["BetaGeoModel", "simulate_bgnbd"]

_HERE = "kamlib.bgnbd"


# --------------------------------------------------------------------------------------------
# BG/NBD
# --------------------------------------------------------------------------------------------
def _compress(*columns: np.ndarray):
    """Unique rows of the given columns and how often each occurs.

    Hashing each column (``pd.factorize``) and combining the codes is much faster than
    ``np.unique(axis=0)`` on a million customers.
    """
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for col in columns:
        codes, uniques = pd.factorize(col)
        key = key * len(uniques) + codes
    inverse, keys = pd.factorize(key)
    first = np.empty(len(keys), dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]
    counts = np.bincount(inverse, minlength=len(keys)).astype(float)
    return [c[first] for c in columns], counts


class _BGData:
    """Unique (x, t_x, T) rows with weights, plus sums that let the likelihood skip work.

    Every term of the log-likelihood except the drop-out term depends on x alone or on T
    alone, so it is summed over the few distinct x and T values with weights; only customers
    with x > 0 need a row-by-row computation.
    """

    def __init__(self, x, t_x, t_end):
        (x, t_x, t_end), w = _compress(x, t_x, t_end)
        self.n = float(w.sum())
        self.ux, ix = np.unique(x, return_inverse=True)
        self.uT, iT = np.unique(t_end, return_inverse=True)
        self.w_by_x = np.bincount(ix, weights=w, minlength=len(self.ux))
        self.w_by_T = np.bincount(iT, weights=w, minlength=len(self.uT))
        self.wx_by_T = np.bincount(iT, weights=w * x, minlength=len(self.uT))
        pos = x > 0
        self.xp, self.txp, self.Tp, self.wp = x[pos], t_x[pos], t_end[pos], w[pos]
        self.n_rows = len(x)


def _bgnbd_terms(params, x, t_x, t_end):
    """Per-customer log-likelihood of BG/NBD (Fader, Hardie & Lee 2005, eq. 6) in log space.

    ln L = ln G(r+x) - ln G(r) + r ln(alpha) + ln B(a, b+x) - ln B(a, b) - (r+x) ln(alpha+T)
           + ln(1 + [x>0] * a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x))
    """
    r, alpha, a, b = params
    pos = x > 0
    log_d = _log_dropout_odds(params, x, t_x, t_end)
    return (
        special.gammaln(r + x)
        - special.gammaln(r)
        + r * np.log(alpha)
        + special.betaln(a, b + x)
        - special.betaln(a, b)
        - (r + x) * np.log(alpha + t_end)
        + np.where(pos, np.logaddexp(0.0, log_d), 0.0)
    )


def _log_dropout_odds(params, x, t_x, t_end):
    """ln[a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x)]: log odds that a customer has left
    (only meaningful for x > 0; rows with x = 0 get a harmless placeholder)."""
    r, alpha, a, b = params
    pos = x > 0
    safe = np.where(pos, b + x - 1, 1.0)
    return np.where(
        pos,
        np.log(a) - np.log(safe) + (r + x) * (np.log(alpha + t_end) - np.log(alpha + t_x)),
        -np.inf,
    )


def _bgnbd_objective(theta, data: _BGData):
    """Mean negative log-likelihood and its analytic gradient in log-parameters."""
    r, alpha, a, b = np.exp(theta)
    g, psi = special.gammaln, special.digamma
    ux, uT, n = data.ux, data.uT, data.n
    w_x, w_T, wx_T = data.w_by_x, data.w_by_T, data.wx_by_T
    log_aT = np.log(alpha + uT)
    # Drop-out term for repeat buyers: log(1 + e^d), d = log odds of having left.
    xp, wp = data.xp, data.wp
    rxp = r + xp
    la, lx = np.log(alpha + data.Tp), np.log(alpha + data.txp)
    d = np.log(a) - np.log(b + xp - 1) + rxp * (la - lx)
    total = (
        dot(w_x, g(r + ux) + g(b + ux) - g(a + b + ux))
        - dot(r * w_T + wx_T, log_aT)
        + dot(wp, np.logaddexp(0.0, d))
        + n * (-g(r) + r * np.log(alpha) + g(a + b) - g(b))
    )
    # s = posterior probability that a repeat buyer has dropped out.
    ws = wp * special.expit(d)
    d_r = dot(w_x, psi(r + ux)) - dot(w_T, log_aT) + dot(ws, la - lx) + n * (np.log(alpha) - psi(r))
    d_alpha = (
        n * r / alpha
        - dot(r * w_T + wx_T, 1.0 / (alpha + uT))
        + dot(ws, rxp * (np.exp(-la) - np.exp(-lx)))
    )
    d_a = n * psi(a + b) - dot(w_x, psi(a + b + ux)) + ws.sum() / a
    d_b = (
        n * (psi(a + b) - psi(b))
        + dot(w_x, psi(b + ux) - psi(a + b + ux))
        - dot(ws, 1.0 / (b + xp - 1))
    )
    grad = np.array([d_r * r, d_alpha * alpha, d_a * a, d_b * b])
    return -total / n, -grad / n


def _expected_head(a, b, r, x, z):
    """(a+b+x-1)/(a-1) * [1 - (1-z)^(r+x) 2F1(r+x, b+x; a+b+x-1; z)].

    Computed through Euler's transformation, (1-z)^(r+x) 2F1(r+x, b+x; a+b+x-1; z) =
    (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), whose parameters stay small for large x.
    Two numerical corners are handled:

    * at a = 1, and at a + b = 1 for x = 0, the formula has removable singularities (0/0 or
      0 * infinity); there a or b is moved by 1e-7 (about 1e-7 relative change);
    * when r - a is a whole number, c - a - b of the 2F1 is a whole number and
      ``scipy.special.hyp2f1`` can be wrong for z near 1; there the result is the mean of the
      values at r - 1e-5 and r + 1e-5 (a central average, off by about 1e-10 relative).
    """
    a = a if abs(a - 1) > 1e-7 else 1 + 1e-7
    b = b if abs(a + b - 1) > 1e-7 else 1 - a + 1e-7
    if abs((r - a) - round(r - a)) < 1e-6:
        step = 1e-5
        return (_euler_head(a, b, r - step, x, z) + _euler_head(a, b, r + step, x, z)) / 2
    return _euler_head(a, b, r, x, z)


def _euler_head(a, b, r, x, z):
    tail = 1.0 - (1.0 - z) ** (a - 1) * special.hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
    return (a + b + x - 1) / (a - 1) * tail


class BetaGeoModel(ProbabilityModel):
    """The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005).

    Parameters
    ----------
    penalizer : float, default 0
        Strength of an L2 penalty on the log-parameters, added to the mean negative
        log-likelihood; a small value (0.001-0.01) steadies fits on thin data.
    initial_params : dict or sequence, optional
        Starting values for (r, alpha, a, b); by default derived from the data.
    max_iter : int, default 500
        Iteration limit of the optimiser (L-BFGS-B on the log-parameters).

    Attributes
    ----------
    params_ : Series
        r, alpha (purchase rates ~ gamma with shape r and rate alpha, so the mean rate is
        r/alpha purchases per time unit), a, b (drop-out probability after each purchase ~
        beta(a, b), mean a/(a+b)).
    standard_errors_ : Series
        From the inverse Hessian of the negative log-likelihood at the optimum (numerical
        derivative of the analytic gradient in log-parameters, then the delta method).
    log_likelihood_ : float
        Total log-likelihood at the estimate (without the penalty).
    n_customers_ : int
        Customers fitted.
    converged_ : bool
        True (a fit that does not converge raises :class:`~kamlib.errors.FitError`).
    n_iter_ : int
        Iterations the optimiser took (set by ``fit``).

    Notes
    -----
    Identical (frequency, recency, T) rows are merged and weighted before fitting; with
    purchase dates in whole days there are far fewer distinct rows than customers.

    Examples
    --------
    >>> data = simulate_bgnbd(2000, r=0.5, alpha=5.0, a=0.8, b=2.5, T=52, seed=1)
    >>> model = BetaGeoModel().fit(data)
    >>> model.n_customers_
    2000
    >>> round(float(model.params_["r"] / model.params_["alpha"]), 1)  # mean rate, truth 0.1
    0.1
    """

    _names = ("r", "alpha", "a", "b")

    def fit(self, frequency, recency=None, T=None):
        """Fit by maximum likelihood.

        Parameters
        ----------
        frequency : DataFrame or array-like
            A summary with columns ``frequency``, ``recency`` and ``T`` (see
            :func:`~kamlib.repeat_buying.rfm_summary`), or the repeat-purchase counts.
        recency, T : array-like, optional
            Needed when ``frequency`` is not a DataFrame.

        Returns
        -------
        BetaGeoModel
            self, fitted.
        """
        func = f"{type(self).__name__}.fit"
        x, t_x, t_end = _unpack_summary(frequency, recency, T, func)[:3]
        penalizer, start, max_iter = self._check_hyper(func)
        if not (x > 0).any():
            raise FitError(
                f"{func}: none of the {len(x)} customers made a repeat purchase, so how often "
                "people buy and when they leave cannot be estimated. Use a longer calibration "
                "period or more customers."
            )
        data = _BGData(x, t_x, t_end)
        if start is None:
            # Mean purchase rate r/alpha close to the observed one; a neutral beta(1, 3).
            mean_t = max(float(np.mean(t_end)), 1e-6)
            rate = max(float(np.mean(x)) / mean_t, 1e-3 / mean_t)
            start = np.log([1.0, 1.0 / rate, 1.0, 3.0])
        theta = self._optimise(
            lambda th: _bgnbd_objective(th, data), start, penalizer, max_iter, data.n
        )
        self.log_likelihood_ = float(np.sum(_bgnbd_terms(np.exp(theta), x, t_x, t_end)))
        self.n_customers_ = int(len(x))
        return self

    def log_likelihood(self, frequency, recency=None, T=None) -> np.ndarray:
        """Per-customer log-likelihood at the fitted parameters."""
        params = self._fitted("log_likelihood")
        x, t_x, t_end, _ = _unpack_summary(frequency, recency, T, "BetaGeoModel.log_likelihood")
        return _bgnbd_terms(params, x, t_x, t_end)

    def expected_purchases(self, t):
        """Expected repeat purchases E[X(t)] of a new customer in their first ``t`` time units.

        E[X(t)] = (a+b-1)/(a-1) * [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))]
        (Fader, Hardie & Lee 2005, eq. 9). ``t`` is one length of time (the result is a
        number) or several (a list, array or Series; the result is an array or a Series).
        """
        r, alpha, a, b = self._fitted("expected_purchases")
        times = check_time(t, "t", f"{type(self).__name__}.expected_purchases")
        z = times / (alpha + times)
        result = _expected_head(a, b, r, 0.0, z)
        index = t.index if isinstance(t, pd.Series) else None
        return shaped_output(result, index, np.ndim(t) == 0, "expected_purchases")

    def conditional_expected_purchases(self, t, frequency, recency, T):
        """Expected repeat purchases in the next ``t`` time units, given a customer's history.

        Fader, Hardie & Lee (2005), eq. 10::

            E[Y(t) | x, t_x, T] = (a+b+x-1)/(a-1)
                * [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))]
                / [1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)]

        ``t`` may be one number or one per customer (e.g. ``summary["duration_holdout"]``).
        """
        return self._conditional(
            t, frequency, recency, T, f"{type(self).__name__}.conditional_expected_purchases"
        )

    def _conditional(self, t, frequency, recency, T, func: str):
        """:meth:`conditional_expected_purchases` with messages naming ``func``."""
        params = self._fitted(func)
        times = check_time(t, "t", func)
        x, t_x, t_end, index = check_summary(frequency, recency, T, func)
        try:
            times, x, t_x, t_end = np.broadcast_arrays(times, x, t_x, t_end)
        except ValueError as exc:
            raise DataError(
                f"{func}: 't' has {len(times)} values for {len(x)} customers. Pass one "
                "number or one per customer."
            ) from exc
        r, alpha, a, b = params
        z = times / (alpha + t_end + times)
        head = _expected_head(a, b, r, x, z)
        alive = special.expit(-_log_dropout_odds(params, x, t_x, t_end))
        scalar = all_scalar(t, frequency, recency, T)
        return shaped_output(head * alive, index, scalar, "expected_purchases")

    def probability_alive(self, frequency, recency, T):
        """Probability that each customer is still active at the end of the calibration period.

        P(alive | x, t_x, T) = 1 / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)); it is 1
        for customers without a repeat purchase (in BG/NBD one can only drop out right after a
        repeat purchase).
        """
        func = f"{type(self).__name__}.probability_alive"
        params = self._fitted("probability_alive")
        x, t_x, t_end, index = check_summary(frequency, recency, T, func)
        alive = special.expit(-_log_dropout_odds(params, x, t_x, t_end))
        scalar = all_scalar(frequency, recency, T)
        return shaped_output(alive, index, scalar, "probability_alive")

    def predict(self, summary: pd.DataFrame, t) -> pd.Series:
        """Expected repeat purchases of each customer of ``summary`` in the next ``t`` units."""
        func = f"{type(self).__name__}.predict"
        require_frame(summary, func, name="summary")
        require_columns(summary, ["frequency", "recency", "T"], func)
        # The summary's columns are Series, so the result is a Series on the summary's index.
        return self._conditional(t, summary["frequency"], summary["recency"], summary["T"], func)


def _unpack_summary(frequency, recency, T, func):
    """Accept a summary frame or three columns; return checked arrays and the index."""
    if isinstance(frequency, pd.DataFrame):
        if recency is not None or T is not None:
            raise ParameterError(
                f"{func}: pass either a summary DataFrame or frequency, recency and T, not both."
            )
        require_frame(frequency, func, name="summary")
        require_columns(frequency, ["frequency", "recency", "T"], func)
        return check_summary(frequency["frequency"], frequency["recency"], frequency["T"], func)
    if recency is None or T is None:
        raise ParameterError(
            f"{func}: pass a summary DataFrame (columns frequency, recency, T) or all three of "
            "frequency, recency and T."
        )
    return check_summary(frequency, recency, T, func)


# --------------------------------------------------------------------------------------------
# Simulation with known truth
# --------------------------------------------------------------------------------------------
def simulate_bgnbd(
    n_customers: int,
    *,
    r: float,
    alpha: float,
    a: float,
    b: float,
    T,
    seed: int,
    whole_periods: bool = False,
) -> pd.DataFrame:
    """Simulate BG/NBD customer summaries with known parameters.

    Each customer draws a purchase rate lambda ~ Gamma(shape r, rate alpha) and a drop-out
    probability p ~ Beta(a, b). Repeat purchases arrive as a Poisson process of rate lambda
    from the first purchase (time 0); the customer leaves right after the J-th repeat purchase,
    where J ~ Geometric(p) on 1, 2, ... Observed up to ``T``, frequency is the smaller of J and
    the Poisson count N(T), and, given N(T) = n, the x-th purchase time is T times a
    Beta(x, n - x + 1) variable (order statistics of uniform arrival times), so no individual
    purchase has to be drawn.

    Parameters
    ----------
    n_customers : int
        Number of customers.
    r, alpha, a, b : float
        True BG/NBD parameters (time in the unit of ``T``).
    T : float or array-like
        Observation length per customer (one number for all, or one per customer).
    seed : int
        Random seed.
    whole_periods : bool, default False
        Round recency down to whole time units (as for data recorded per week). The model
        is then only approximately right; use it for speed tests, not for recovery tests.

    Returns
    -------
    DataFrame
        Columns ``frequency``, ``recency``, ``T``, one row per customer.

    Examples
    --------
    >>> simulate_bgnbd(3, r=0.5, alpha=5, a=0.8, b=2.5, T=52, seed=0).columns.tolist()
    ['frequency', 'recency', 'T']
    """
    func = f"{_HERE}.simulate_bgnbd"
    n = check_number(n_customers, "n_customers", func, low=1, integer=True)
    for name, value in (("r", r), ("alpha", alpha), ("a", a), ("b", b)):
        check_number(value, name, func, low=0, low_inclusive=False)
    t_end = check_time(T, "T", func)
    if t_end.size not in (1, n):
        raise ParameterError(f"{func}: 'T' must be one number or {n} values, got {t_end.size}.")
    t_end = np.broadcast_to(t_end, (n,)).astype(float)
    whole_periods = check_flag(whole_periods, "whole_periods", func)
    rng = np.random.default_rng(check_seed(seed, func))
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    count = rng.poisson(lam * t_end)
    life = rng.geometric(np.clip(p, 1e-12, 1.0))
    x = np.minimum(count, life)
    pos = x > 0
    recency = np.zeros(n)
    recency[pos] = t_end[pos] * rng.beta(x[pos], count[pos] - x[pos] + 1)
    if whole_periods:
        recency = np.floor(recency)
    return pd.DataFrame({"frequency": x.astype(np.int64), "recency": recency, "T": t_end})
