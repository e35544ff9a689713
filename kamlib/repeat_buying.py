"""Repeat buying of customers without a contract: the BG/NBD model and its checks.

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

This module builds the summary from a purchase log (:func:`rfm_summary`), fits the model
(:class:`BetaGeoModel`), simulates data with known truth (:func:`simulate_bgnbd`) and checks a
fit on a holdout period (:func:`tracking_table`, :func:`holdout_comparison`). Spend per
purchase (the Gamma-Gamma model) and customer lifetime value live in :mod:`kamlib.spend_model`
and are also reachable from here (``kamlib.repeat_buying.GammaGammaModel``).

>>> model = BetaGeoModel.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
>>> round(float(model.conditional_expected_purchases(39, 2, 30.43, 38.86)), 3)
1.226
"""

from __future__ import annotations

import warnings

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from scipy import special

from kamlib import plot
from kamlib._models import (
    ProbabilityModel,
    all_scalar,
    as_column,
    check_counts,
    dot,
    example_rows,
    shaped_output,
)
from kamlib.errors import DataError, FitError, ParameterError
from kamlib.validation import (
    _show,
    as_timestamp,
    check_choice,
    check_number,
    require_columns,
    require_dates,
    require_frame,
    require_no_missing,
    require_non_negative,
)

__all__ = [
    "BetaGeoModel",
    "GammaGammaModel",  # noqa: F822 (provided by __getattr__)
    "customer_lifetime_value",  # noqa: F822 (provided by __getattr__)
    "holdout_comparison",
    "plot_holdout_comparison",
    "plot_tracking",
    "rfm_summary",
    "simulate_bgnbd",
    "simulate_gamma_gamma",  # noqa: F822 (provided by __getattr__)
    "spend_frequency_correlation",  # noqa: F822 (provided by __getattr__)
    "tracking_table",
]

_HERE = "kamlib.repeat_buying"
#: Length of one time unit in days ("M" is an average calendar month).
UNIT_DAYS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12}
_SPEND_NAMES = (
    "GammaGammaModel",
    "customer_lifetime_value",
    "simulate_gamma_gamma",
    "spend_frequency_correlation",
)


def __getattr__(name: str):
    # The spend model lives in its own module (it imports BetaGeoModel from here); re-export
    # its public names lazily to avoid a circular import.
    if name in _SPEND_NAMES:
        from kamlib import spend_model

        return getattr(spend_model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------------------------
# The customer summary
# --------------------------------------------------------------------------------------------
def rfm_summary(
    transactions: pd.DataFrame,
    *,
    customer_col: str = "member_id",
    date_col: str = "purchase_date",
    value_col: str = "amount_cny",
    calibration_end,
    observation_end=None,
    freq: str = "W",
) -> pd.DataFrame:
    """Summarise a purchase log into the per-customer numbers the buying models need.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase: customer id, purchase date and basket value.
    customer_col, date_col, value_col : str
        Column names (defaults: the course's ``member_purchases`` table).
    calibration_end : date
        Last day of the calibration period (inclusive). Models are fitted on purchases up to
        this day.
    observation_end : date, optional
        Last day of a holdout period (inclusive); adds the holdout columns.
    freq : {"D", "W", "M"}
        Time unit of ``recency``, ``T`` and ``duration_holdout``: days, weeks (7 days) or
        average months (365.25/12 days).

    Returns
    -------
    DataFrame
        Indexed by customer (sorted), with columns

        * ``frequency``: repeat purchases in the calibration period, i.e. the number of
          distinct purchase **days** minus one (several purchases on the same day count as one
          purchase, their values summed: the *same-day rule*);
        * ``recency``: time from the first to the last purchase day, in ``freq`` units;
        * ``T``: time from the first purchase day to ``calibration_end``;
        * ``monetary_value``: mean value of the repeat purchase days (the first purchase is
          left out, as the Gamma-Gamma model expects); NaN when ``frequency`` is 0;
        * with ``observation_end``: ``frequency_holdout`` (purchase days in
          (calibration_end, observation_end]) and ``duration_holdout`` (its length).

        Customers whose first purchase comes after ``calibration_end`` cannot be summarised;
        they are left out with a ``UserWarning`` and counted in
        ``summary.attrs["excluded_customers"]``. Purchases after ``observation_end`` (or
        after ``calibration_end`` when there is no holdout) are ignored.
        ``summary.attrs["time_unit"]`` records ``freq``.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "member_id": ["A", "A", "A", "A", "B"],
    ...     "purchase_date": pd.to_datetime(
    ...         ["2024-01-01", "2024-01-01", "2024-01-15", "2024-02-12", "2024-01-29"]),
    ...     "amount_cny": [10.0, 5.0, 30.0, 50.0, 20.0],
    ... })
    >>> rfm_summary(log, calibration_end="2024-02-26")  # doctest: +NORMALIZE_WHITESPACE
               frequency  recency    T  monetary_value
    member_id
    A                  2      6.0  8.0            40.0
    B                  0      0.0  4.0             NaN
    """
    func = f"{_HERE}.rfm_summary"
    log = _purchase_log(transactions, customer_col, date_col, func, value_col=value_col)
    check_choice(freq, "freq", func, UNIT_DAYS)
    cal_end, obs_end = _period_ends(calibration_end, observation_end, func)
    unit = UNIT_DAYS[freq]
    log = log[log["day"] <= obs_end]
    # Same-day rule: all purchases of a customer on one day form one purchase.
    daily = log.groupby(["customer", "day"], sort=True, observed=True)["value"].sum().reset_index()
    first = daily.groupby("customer", sort=True)["day"].min()
    late = first > cal_end
    n_late = int(late.sum())
    if n_late:
        warnings.warn(
            f"{func}: {n_late} customer(s) made their first purchase after calibration_end "
            f"({cal_end.date()}) and are left out of the summary, e.g. "
            f"{_show(first.index[late][:3])}. They are counted in "
            "summary.attrs['excluded_customers'].",
            UserWarning,
            stacklevel=2,
        )
    first = first[~late]
    calib = daily[daily["day"] <= cal_end]
    grouped = calib.groupby("customer", sort=True)
    n_days = grouped["day"].count()
    last = grouped["day"].max()
    total = grouped["value"].sum()
    first_value = grouped["value"].first()  # days are sorted, so this is the first purchase
    frequency = (n_days - 1).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = ((total - first_value) / frequency).where(frequency > 0)
    summary = pd.DataFrame(
        {
            "frequency": frequency,
            "recency": (last - first).dt.days / unit,
            "T": (cal_end - first).dt.days / unit,
            "monetary_value": monetary.astype(float),
        }
    )
    if observation_end is not None:
        hold = daily[(daily["day"] > cal_end) & daily["customer"].isin(summary.index)]
        counts = hold.groupby("customer")["day"].count()
        summary["frequency_holdout"] = counts.reindex(summary.index, fill_value=0).astype(np.int64)
        summary["duration_holdout"] = (obs_end - cal_end).days / unit
    summary.index.name = customer_col
    summary.attrs.update(
        {
            "time_unit": freq,
            "calibration_end": str(cal_end.date()),
            "excluded_customers": n_late,
        }
    )
    return summary


def _purchase_log(transactions, customer_col, date_col, func, *, value_col=None) -> pd.DataFrame:
    """The checked purchase log as columns ``customer``, ``day`` (date at midnight) and, with
    ``value_col``, ``value``."""
    require_frame(transactions, func, name="transactions")
    require_columns(
        transactions, [customer_col, date_col, *([value_col] if value_col else [])], func
    )
    log = {"customer": require_no_missing(transactions, customer_col, func, what="customer id")}
    if value_col:
        log["value"] = require_non_negative(transactions, value_col, func).astype(float)
    log["day"] = require_dates(transactions, date_col, func).dt.normalize()
    return pd.DataFrame({k: v.to_numpy() for k, v in log.items()})


def _period_ends(calibration_end, observation_end, func, *, need_holdout=False):
    """End of the calibration and of the holdout period (the same day without a holdout)."""
    cal_end = as_timestamp(calibration_end, "calibration_end", func).normalize()
    if observation_end is None and not need_holdout:
        return cal_end, cal_end
    obs_end = as_timestamp(observation_end, "observation_end", func).normalize()
    if obs_end <= cal_end:
        raise ParameterError(
            f"{func}: 'observation_end' ({obs_end.date()}) must come after "
            f"'calibration_end' ({cal_end.date()}). Pass a later end of the holdout period."
        )
    return cal_end, obs_end


# --------------------------------------------------------------------------------------------
# Checking summaries (shared with kamlib.spend_model)
# --------------------------------------------------------------------------------------------
def check_summary(frequency, recency, T, func: str):
    """Validate (frequency, recency, T) and return them as float arrays plus an index.

    Raises :class:`~kamlib.errors.DataError` naming the column for NaN or non-numeric values,
    negative or fractional frequencies, negative recency or T, recency above T, and a positive
    recency with zero repeat purchases. Returns ``(x, t_x, T, index)`` where ``index`` is the
    index of the first pandas input (or None).
    """
    cols = {
        "frequency": as_column(frequency, "frequency", func),
        "recency": as_column(recency, "recency", func),
        "T": as_column(T, "T", func),
    }
    sizes = {len(s) for s in cols.values()}
    if len(sizes) > 1:
        raise DataError(
            f"{func}: 'frequency', 'recency' and 'T' have different lengths "
            f"({', '.join(f'{k}: {len(v)}' for k, v in cols.items())}). Pass one value per "
            "customer for each."
        )
    hint = "Build the summary with kamlib.repeat_buying.rfm_summary(...)."
    x = check_counts(cols["frequency"].to_numpy(), func, hint=hint)
    t_x, t_end = (cols[k].to_numpy(dtype=float) for k in ("recency", "T"))
    for name, values in (("recency", t_x), ("T", t_end)):
        if (values < 0).any():
            raise DataError(
                f"{func}: column '{name}' has negative values in "
                f"{example_rows(values < 0, **{name: values})}. Times are measured forward from "
                f"each customer's first purchase; check the dates. {hint}"
            )
    too_late = t_x > t_end * (1 + 1e-12) + 1e-12
    if too_late.any():
        raise DataError(
            f"{func}: column 'recency' is larger than 'T' in "
            f"{example_rows(too_late, recency=t_x, T=t_end)}. The last purchase cannot come "
            f"after the end of the calibration period; check both use the same time unit. {hint}"
        )
    orphan = (x == 0) & (t_x > 0)
    if orphan.any():
        raise DataError(
            f"{func}: column 'recency' is positive for customers with frequency 0 in "
            f"{example_rows(orphan, frequency=x, recency=t_x)}. Without a repeat purchase the "
            f"last purchase is the first, so recency must be 0. {hint}"
        )
    index = next((s.index for s in (frequency, recency, T) if isinstance(s, pd.Series)), None)
    return x, t_x, t_end, index


def _check_time(t, name: str, func: str) -> np.ndarray:
    """A length of time (one number or one per customer) as a float array; refuses negatives."""
    values = as_column(t, name, func).to_numpy(dtype=float)
    if (values < 0).any():
        raise ParameterError(
            f"{func}: '{name}' must be zero or positive (a length of time), got "
            f"{_show(values[values < 0][:3])}."
        )
    return values


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
            :func:`rfm_summary`), or the repeat-purchase counts.
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
        (Fader, Hardie & Lee 2005, eq. 9).
        """
        r, alpha, a, b = self._fitted("expected_purchases")
        times = _check_time(t, "t", f"{type(self).__name__}.expected_purchases")
        z = times / (alpha + times)
        result = _expected_head(a, b, r, 0.0, z)
        return shaped_output(
            result, getattr(t, "index", None), np.ndim(t) == 0, "expected_purchases"
        )

    def conditional_expected_purchases(self, t, frequency, recency, T):
        """Expected repeat purchases in the next ``t`` time units, given a customer's history.

        Fader, Hardie & Lee (2005), eq. 10::

            E[Y(t) | x, t_x, T] = (a+b+x-1)/(a-1)
                * [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))]
                / [1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)]

        ``t`` may be one number or one per customer (e.g. ``summary["duration_holdout"]``).
        """
        func = f"{type(self).__name__}.conditional_expected_purchases"
        params = self._fitted("conditional_expected_purchases")
        times = _check_time(t, "t", func)
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
        return self.conditional_expected_purchases(
            t, summary["frequency"], summary["recency"], summary["T"]
        )


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
    t_end = _check_time(T, "T", func)
    if t_end.size not in (1, n):
        raise ParameterError(f"{func}: 'T' must be one number or {n} values, got {t_end.size}.")
    t_end = np.broadcast_to(t_end, (n,)).astype(float)
    rng = np.random.default_rng(seed)
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


# --------------------------------------------------------------------------------------------
# Checking a fit on a holdout period
# --------------------------------------------------------------------------------------------
def _require_fitted_bgnbd(model, func: str) -> None:
    if not isinstance(model, BetaGeoModel):
        raise ParameterError(f"{func}: 'model' must be a fitted BetaGeoModel, got {model!r}.")
    model._fitted(func.rsplit(".", 1)[-1])  # raises NotFittedError


def tracking_table(
    model: BetaGeoModel,
    transactions: pd.DataFrame,
    *,
    calibration_end,
    observation_end,
    customer_col: str = "member_id",
    date_col: str = "purchase_date",
    freq: str = "W",
) -> pd.DataFrame:
    """Actual versus expected cumulative repeat purchases, period by period.

    The customers are those of :func:`rfm_summary` with the same ``calibration_end`` (first
    purchase on or before it), with the same-day rule. For each period end g (every ``freq``
    back from ``observation_end``), the expected count is the sum over customers of
    E[X(g - first purchase)], the model's unconditional expectation; up to ``calibration_end``
    this shows the in-sample fit, after it a forecast.

    Parameters
    ----------
    model : BetaGeoModel
        Fitted on the calibration summary, with time in ``freq`` units.
    transactions : DataFrame
        The purchase log.
    calibration_end, observation_end : date
        End of the calibration period and of the holdout period (both inclusive).
    customer_col, date_col : str
        Column names.
    freq : {"D", "W", "M"}
        Length of one period; must be the time unit the model was fitted in.

    Returns
    -------
    DataFrame
        Indexed by ``period_end`` (a date), with ``actual`` and ``expected`` cumulative repeat
        purchases, ``actual_in_period``, ``expected_in_period`` and ``holdout`` (True after
        ``calibration_end``).
    """
    func = f"{_HERE}.tracking_table"
    _require_fitted_bgnbd(model, func)
    # One row per customer and purchase day (the same-day rule), up to the holdout's end.
    days = _purchase_log(transactions, customer_col, date_col, func).drop_duplicates()
    check_choice(freq, "freq", func, UNIT_DAYS)
    cal_end, obs_end = _period_ends(calibration_end, observation_end, func, need_holdout=True)
    days = days[days["day"] <= obs_end]
    first = days.groupby("customer")["day"].transform("min")
    days, first = days[first <= cal_end], first[first <= cal_end]
    if days.empty:
        raise DataError(
            f"{func}: no customer made a first purchase on or before {cal_end.date()}. "
            "Choose a later calibration_end."
        )
    origin = first.min()
    first_day = (days.groupby("customer")["day"].min() - origin).dt.days.to_numpy()
    repeat_day = np.sort((days["day"] - origin).dt.days[days["day"] > first].to_numpy())
    unit = UNIT_DAYS[freq]
    last = (obs_end - origin).days
    steps = np.arange(int(np.floor(last / unit)), -1, -1)
    grid = np.floor(last - steps * unit).astype(int)
    grid = grid[grid > 0]
    actual = np.searchsorted(repeat_day, grid, side="right")
    # E[X(t)] on every whole day offset, summed over the customers' first-purchase days: the
    # expected count on day g is sum_k cohort[k] * curve[g - k], a convolution.
    curve = np.asarray(model.expected_purchases(np.arange(last + 1) / unit))
    cohort = np.bincount(first_day, minlength=last + 1).astype(float)
    expected = np.convolve(cohort, curve)[grid]
    period_end = origin + pd.to_timedelta(grid, unit="D")
    return pd.DataFrame(
        {
            "actual": actual.astype(np.int64),
            "expected": expected,
            "actual_in_period": np.diff(actual, prepend=0).astype(np.int64),
            "expected_in_period": np.diff(expected, prepend=0.0),
            "holdout": period_end > cal_end,
        },
        index=pd.DatetimeIndex(period_end, name="period_end"),
    )


def plot_tracking(table: pd.DataFrame, *, cumulative: bool = True, ax=None):
    """Chart actual against expected repeat purchases from :func:`tracking_table`."""
    func = f"{_HERE}.plot_tracking"
    require_frame(table, func, name="table")
    require_columns(table, ["actual", "expected", "holdout"], func)
    ax = plot.get_ax(ax)
    if cumulative:
        actual, expected = table["actual"], table["expected"]
        ylabel = "Repeat purchases so far"
    else:
        require_columns(table, ["actual_in_period", "expected_in_period"], func)
        actual, expected = table["actual_in_period"], table["expected_in_period"]
        ylabel = "Repeat purchases in the period"
    ax.plot(table.index, actual, color=plot.MAIN, lw=2, label="Actual")
    ax.plot(table.index, expected, color=plot.ACCENT, lw=2, ls="--", label="BG/NBD expected")
    calib = table.index[~table["holdout"].to_numpy()]
    if len(calib) and table["holdout"].any():
        ax.axvline(calib[-1], color=plot.MUTED, ls=":", lw=1.5)
        ax.text(
            calib[-1],
            0.02,
            "end of calibration ",
            transform=ax.get_xaxis_transform(),  # x in dates, y as a share of the height
            ha="right",
            va="bottom",
            color=plot.MUTED,
            fontsize=9,
        )
    if isinstance(table.index, pd.DatetimeIndex):
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.legend(loc="upper left")
    return plot.label(ax, "Repeat purchases: actual vs model", "Period ending", ylabel)


def holdout_comparison(
    model: BetaGeoModel, summary: pd.DataFrame, *, max_frequency: int = 7
) -> pd.DataFrame:
    """Actual versus predicted holdout purchases, grouped by calibration frequency.

    For each customer the model predicts E[Y(t) | x, t_x, T] for the holdout length t
    (``duration_holdout``); customers are grouped by calibration frequency, with every
    frequency of ``max_frequency`` or more in the last group.

    Parameters
    ----------
    model : BetaGeoModel
        Fitted on the calibration columns of ``summary``.
    summary : DataFrame
        From :func:`rfm_summary` with ``observation_end`` (needs ``frequency_holdout`` and
        ``duration_holdout``).
    max_frequency : int, default 7
        Frequencies at or above it are pooled (the row labelled ``max_frequency`` means
        "that many or more").

    Returns
    -------
    DataFrame
        Indexed by ``frequency`` (calibration repeat purchases), with ``customers``,
        ``actual`` and ``predicted`` mean holdout purchases per customer.
    """
    func = f"{_HERE}.holdout_comparison"
    _require_fitted_bgnbd(model, func)
    require_frame(summary, func, name="summary")
    require_columns(
        summary, ["frequency", "recency", "T", "frequency_holdout", "duration_holdout"], func
    )
    max_frequency = check_number(max_frequency, "max_frequency", func, low=1, integer=True)
    require_non_negative(summary, "frequency_holdout", func)
    predicted = model.conditional_expected_purchases(
        summary["duration_holdout"], summary["frequency"], summary["recency"], summary["T"]
    )
    group = np.minimum(summary["frequency"].to_numpy(), max_frequency).astype(np.int64)
    frame = pd.DataFrame(
        {
            "frequency": group,
            "actual": summary["frequency_holdout"].to_numpy(dtype=float),
            "predicted": np.asarray(predicted),
        }
    )
    table = frame.groupby("frequency").agg(
        customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean")
    )
    table.attrs["max_frequency"] = max_frequency
    return table


def plot_holdout_comparison(table: pd.DataFrame, *, ax=None):
    """Chart :func:`holdout_comparison`: actual and predicted holdout purchases by frequency."""
    func = f"{_HERE}.plot_holdout_comparison"
    require_frame(table, func, name="table")
    require_columns(table, ["actual", "predicted"], func)
    ax = plot.get_ax(ax)
    labels = [str(v) for v in table.index]
    if table.attrs.get("max_frequency") == table.index[-1]:
        labels[-1] += "+"
    pos = np.arange(len(table))
    ax.plot(pos, table["actual"], marker="o", color=plot.MAIN, lw=2, label="Actual")
    ax.plot(pos, table["predicted"], marker="s", color=plot.ACCENT, lw=2, ls="--", label="BG/NBD")
    ax.set_xticks(pos, labels)
    ax.legend(loc="upper left")
    return plot.label(
        ax,
        "Holdout purchases by past buying",
        "Repeat purchases in the calibration period",
        "Mean purchases per customer in the holdout",
    )
