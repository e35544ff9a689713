"""Spend per purchase (the Gamma-Gamma model) and customer lifetime value from buying models.

The Gamma-Gamma model (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie 2013, "The
Gamma-Gamma model of monetary value") describes how much a customer spends per purchase:

* each purchase value z of a customer is gamma distributed with shape ``p`` and rate nu, so the
  customer's own mean spend is zeta = p / nu;
* nu varies across customers as a gamma distribution with shape ``q`` and rate ``gamma``.

It is fitted on the customers with at least one repeat purchase, from their number of repeat
purchases x and the mean m of those purchases' values. Its key **assumption** is that how much
a customer spends does not depend on how often they buy; check it with
:func:`spend_frequency_correlation` before trusting the model.

Combined with a BG/NBD model (:class:`kamlib.bgnbd.BetaGeoModel`),
:func:`customer_lifetime_value` gives each customer's expected discounted margin.

>>> model = GammaGammaModel.from_params(p=6.25, q=3.74, gamma=15.44)
>>> round(float(model.conditional_expected_spend(2, 50.0)), 2)
47.34
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import special

from kamlib._models import (
    UNIT_DAYS,
    ProbabilityModel,
    all_scalar,
    as_column,
    check_counts,
    check_summary,
    dot,
    example_rows,
    shaped_output,
)
from kamlib.bgnbd import BetaGeoModel
from kamlib.errors import DataError, FitError, ParameterError
from kamlib.validation import (
    as_called_by,
    check_choice,
    check_number,
    check_seed,
    require_columns,
    require_frame,
)

__all__ = [
    "GammaGammaModel",
    "customer_lifetime_value",
    "simulate_gamma_gamma",
    "spend_frequency_correlation",
]

_HERE = "kamlib.spend_model"


def _check_spend(frequency, monetary_value, func: str, *, fitting: bool):
    """Validate repeat-purchase counts and mean spends; NaN spend is allowed only when x = 0."""
    x_col = as_column(frequency, "frequency", func)
    m_raw = (
        monetary_value
        if isinstance(monetary_value, pd.Series)
        else pd.Series(np.atleast_1d(monetary_value))
    )
    if len(m_raw) != len(x_col):
        raise DataError(
            f"{func}: 'frequency' has {len(x_col)} values but 'monetary_value' has "
            f"{len(m_raw)}. Pass one of each per customer."
        )
    x = check_counts(x_col.to_numpy(), func)
    buyers = x > 0
    m_values = np.array([])
    if buyers.any():  # only repeat buyers' spends are used, so only theirs are checked
        m_values = as_column(m_raw[buyers], "monetary_value", func).to_numpy(dtype=float)
    if (m_values <= 0).any():
        bad = m_values <= 0
        raise DataError(
            f"{func}: column 'monetary_value' must be positive for customers with repeat "
            f"purchases; found {example_rows(bad, monetary_value=m_values)} (counted among "
            "those customers). The Gamma-Gamma model needs positive spend; drop zero-value "
            "purchases or customers before fitting."
        )
    if fitting and buyers.sum() < 2:
        raise DataError(
            f"{func}: only {int(buyers.sum())} customer(s) have a repeat purchase; the "
            "Gamma-Gamma model is fitted on those and needs many more. Use a longer "
            "calibration period."
        )
    m = np.zeros(len(x))
    m[buyers] = m_values
    index = next((s.index for s in (frequency, monetary_value) if isinstance(s, pd.Series)), None)
    return x, m, index


def _unpack_spend(frequency, monetary_value, func, *, fitting=False):
    if isinstance(frequency, pd.DataFrame):
        if monetary_value is not None:
            raise ParameterError(
                f"{func}: pass either a summary DataFrame or frequency and monetary_value."
            )
        require_frame(frequency, func, name="summary")
        require_columns(frequency, ["frequency", "monetary_value"], func)
        return _check_spend(
            frequency["frequency"], frequency["monetary_value"], func, fitting=fitting
        )
    if monetary_value is None:
        raise ParameterError(
            f"{func}: pass a summary DataFrame (columns frequency, monetary_value) or both "
            "frequency and monetary_value."
        )
    return _check_spend(frequency, monetary_value, func, fitting=fitting)


class _GGData:
    """Sufficient pieces of the Gamma-Gamma likelihood, so each evaluation is cheap.

    ln f(m | x) = ln G(px+q) - ln G(px) - ln G(q) + q ln(gamma) + (px-1) ln m + px ln x
                  - (px+q) ln(gamma + m x)
    The gamma-function terms depend on x alone (few distinct values); only the last term needs
    every customer, through the total spend s = m x.
    """

    def __init__(self, x, m):
        self.ux, counts = np.unique(x, return_counts=True)
        self.counts = counts.astype(float)
        self.n = float(len(x))
        self.x = x
        self.spend = m * x
        self.sum_x_log_m = dot(x, np.log(m))
        self.sum_log_m = float(np.log(m).sum())
        self.sum_x_log_x = dot(x, np.log(x))


def _gg_objective(theta, data: _GGData):
    p, q, gamma = np.exp(theta)
    g, psi = special.gammaln, special.digamma
    pu = p * data.ux
    n, c = data.n, data.counts
    log_total = np.log(gamma + data.spend)
    sum_x_log_total = dot(data.x, log_total)
    sum_log_total = log_total.sum()
    ll = (
        dot(c, g(pu + q) - g(pu))
        - n * g(q)
        + n * q * np.log(gamma)
        + p * data.sum_x_log_m
        - data.sum_log_m
        + p * data.sum_x_log_x
        - p * sum_x_log_total
        - q * sum_log_total
    )
    d_p = (
        dot(c, data.ux * (psi(pu + q) - psi(pu)))
        + data.sum_x_log_m
        + data.sum_x_log_x
        - sum_x_log_total
    )
    d_q = dot(c, psi(pu + q)) - n * psi(q) + n * np.log(gamma) - sum_log_total
    d_gamma = n * q / gamma - dot(p * data.x + q, 1.0 / (gamma + data.spend))
    grad = np.array([d_p * p, d_q * q, d_gamma * gamma])
    return -ll / n, -grad / n


def _gg_terms(params, x, m):
    p, q, gamma = params
    return (
        special.gammaln(p * x + q)
        - special.gammaln(p * x)
        - special.gammaln(q)
        + q * np.log(gamma)
        + (p * x - 1) * np.log(m)
        + p * x * np.log(x)
        - (p * x + q) * np.log(gamma + m * x)
    )


class GammaGammaModel(ProbabilityModel):
    """The Gamma-Gamma model of spend per purchase.

    Parameters
    ----------
    penalizer : float, default 0
        L2 penalty on the log-parameters (see :class:`~kamlib.bgnbd.BetaGeoModel`).
    initial_params : dict or sequence, optional
        Starting values for (p, q, gamma).
    max_iter : int, default 500
        Iteration limit of L-BFGS-B.

    Attributes
    ----------
    params_ : Series
        p, q, gamma. The average customer's mean spend is p * gamma / (q - 1) (for q > 1).
    standard_errors_, log_likelihood_, n_customers_, converged_, n_iter_
        As for BetaGeoModel; ``n_customers_`` counts the customers with x >= 1 used.
    n_excluded_ : int
        Customers without a repeat purchase, which carry no spend information and are left
        out of the fit.

    Examples
    --------
    >>> x = np.repeat([1, 2, 4, 8], 500)
    >>> m = simulate_gamma_gamma(x, p=6.0, q=4.0, gamma=15.0, seed=2)
    >>> model = GammaGammaModel().fit(x, m)
    >>> round(model.mean_spend(), -1)  # truth 6 * 15 / (4 - 1) = 30
    30.0
    """

    _names = ("p", "q", "gamma")

    def fit(self, frequency, monetary_value=None):
        """Fit by maximum likelihood on the customers with at least one repeat purchase.

        Parameters
        ----------
        frequency : DataFrame or array-like
            A summary with ``frequency`` and ``monetary_value`` columns (see
            :func:`kamlib.repeat_buying.rfm_summary`), or the repeat-purchase counts.
        monetary_value : array-like, optional
            Mean value of the repeat purchases, when ``frequency`` is not a DataFrame.
            Ignored (may be NaN) where frequency is 0.

        Returns
        -------
        GammaGammaModel
            self, fitted.
        """
        func = f"{type(self).__name__}.fit"
        x, m, _ = _unpack_spend(frequency, monetary_value, func, fitting=True)
        penalizer, start, max_iter = self._check_hyper(func)
        buyers = x > 0
        x, m = x[buyers], m[buyers]
        data = _GGData(x, m)
        if start is None:
            start = np.log([1.0, 2.0, float(np.mean(m))])
        theta = self._optimise(
            lambda th: _gg_objective(th, data), start, penalizer, max_iter, data.n
        )
        self.log_likelihood_ = float(_gg_terms(np.exp(theta), x, m).sum())
        self.n_customers_ = int(buyers.sum())
        self.n_excluded_ = int((~buyers).sum())
        return self

    def mean_spend(self) -> float:
        """The population's average mean spend per purchase, p * gamma / (q - 1)."""
        p, q, gamma = self._fitted("mean_spend")
        if q <= 1:
            raise FitError(
                f"GammaGammaModel.mean_spend: q = {q:.3g} <= 1, so the model's average spend "
                "is infinite. The spend data have a very heavy tail; cap extreme baskets."
            )
        return float(p * gamma / (q - 1))

    def conditional_expected_spend(self, frequency, monetary_value):
        """Expected spend per purchase of each customer given their history.

        E[M | x, m] = p (gamma + m x) / (p x + q - 1), a weighted average of the population
        mean p gamma / (q - 1) and the customer's own mean m, with weight p x / (p x + q - 1)
        on m. Customers with x = 0 get the population mean (their ``monetary_value`` is
        ignored and may be NaN).
        """
        func = f"{type(self).__name__}.conditional_expected_spend"
        p, q, gamma = self._fitted("conditional_expected_spend")
        self.mean_spend()  # raises when q <= 1
        x, m, index = _check_spend(frequency, monetary_value, func, fitting=False)
        result = p * (gamma + m * x) / (p * x + q - 1)
        scalar = all_scalar(frequency, monetary_value)
        return shaped_output(result, index, scalar, "expected_spend")

    def log_likelihood(self, frequency, monetary_value=None) -> np.ndarray:
        """Per-customer log-likelihood (customers with x >= 1 only, in order)."""
        params = self._fitted("log_likelihood")
        x, m, _ = _unpack_spend(frequency, monetary_value, "GammaGammaModel.log_likelihood")
        return _gg_terms(params, x[x > 0], m[x > 0])


def simulate_gamma_gamma(frequency, *, p: float, q: float, gamma: float, seed: int) -> np.ndarray:
    """Simulate each customer's mean spend over ``frequency`` purchases under Gamma-Gamma.

    Each customer draws nu ~ Gamma(shape q, rate gamma); the mean of x purchase values, each
    Gamma(shape p, rate nu), is Gamma(shape p x, rate x nu). Customers with x = 0 get NaN.
    ``frequency`` is one count or one per customer (a list, array or Series); ``seed`` a whole
    number of at least 0.

    Examples
    --------
    >>> simulate_gamma_gamma([0, 3], p=6, q=4, gamma=15, seed=0).round(2)
    array([ nan, 15.4])
    """
    func = f"{_HERE}.simulate_gamma_gamma"
    for name, value in (("p", p), ("q", q), ("gamma", gamma)):
        check_number(value, name, func, low=0, low_inclusive=False)
    x = check_counts(as_column(frequency, "frequency", func).to_numpy(), func)
    rng = np.random.default_rng(check_seed(seed, func))
    nu = rng.gamma(q, 1.0 / gamma, len(x))
    buyers = x > 0
    m = np.full(len(x), np.nan)
    m[buyers] = rng.gamma(p * x[buyers], 1.0 / (x[buyers] * nu[buyers]))
    return m


def spend_frequency_correlation(summary: pd.DataFrame, *, threshold: float = 0.3) -> float:
    """Check the Gamma-Gamma assumption that spend does not depend on buying frequency.

    Returns the Pearson correlation between ``frequency`` and ``monetary_value`` over the
    customers with at least one repeat purchase. A value near 0 supports the model; when
    ``|correlation| >= threshold`` a ``UserWarning`` explains the risk (frequent buyers
    spending systematically more, or less, per purchase would bias the CLV).

    Examples
    --------
    >>> s = pd.DataFrame({"frequency": [1, 2, 3, 4], "monetary_value": [20.0, 40.0, 10.0, 30.0]})
    >>> round(spend_frequency_correlation(s), 2)
    0.0
    """
    func = f"{_HERE}.spend_frequency_correlation"
    require_frame(summary, func, name="summary")
    require_columns(summary, ["frequency", "monetary_value"], func)
    threshold = check_number(threshold, "threshold", func, low=0, high=1)
    x, m, _ = _check_spend(summary["frequency"], summary["monetary_value"], func, fitting=True)
    buyers = x > 0
    if np.ptp(x[buyers]) == 0 or np.ptp(m[buyers]) == 0:
        raise DataError(
            f"{func}: frequency or monetary_value does not vary among the repeat buyers, so no "
            "correlation can be computed."
        )
    corr = float(np.corrcoef(x[buyers], m[buyers])[0, 1])
    if abs(corr) >= threshold:
        warnings.warn(
            f"{func}: frequency and mean spend are correlated (r = {corr:.2f}) across "
            f"{int(buyers.sum())} repeat buyers. The Gamma-Gamma model assumes they are "
            "independent; its spend forecasts, and the CLV built on them, may be biased.",
            UserWarning,
            stacklevel=2,
        )
    return corr


def customer_lifetime_value(
    bgnbd: BetaGeoModel,
    gg: GammaGammaModel,
    summary: pd.DataFrame,
    *,
    horizon: int = 12,
    discount_rate: float = 0.01,
    freq: str = "M",
    margin: float = 1.0,
    time_unit: str | None = None,
) -> pd.DataFrame:
    """Expected discounted value of each customer's future purchases.

    CLV = margin * E[spend] * sum_{k=1..horizon} (E[Y(k d)] - E[Y((k-1) d)]) / (1 + i)^k

    where E[Y(t)] is the BG/NBD conditional expected number of purchases in the next t time
    units, d the length of one step (``freq``) in the model's time unit, i the discount rate
    per step, and E[spend] the Gamma-Gamma conditional expected spend. Purchases of step k are
    discounted as if made at its end.

    Parameters
    ----------
    bgnbd, gg : BetaGeoModel, GammaGammaModel
        Fitted models.
    summary : DataFrame
        Columns ``frequency``, ``recency``, ``T``, ``monetary_value``.
    horizon : int, default 12
        Number of steps to look ahead.
    discount_rate : float, default 0.01
        Discount rate per step (e.g. 0.01 a month, about 12.7% a year).
    freq : {"D", "W", "M"}, default "M"
        Length of one step.
    margin : float, default 1.0
        Share of spend kept as profit (1.0 gives expected revenue).
    time_unit : {"D", "W", "M"}, optional
        Unit of recency and T; by default ``summary.attrs["time_unit"]`` set by
        :func:`~kamlib.repeat_buying.rfm_summary`.

    Returns
    -------
    DataFrame
        Per customer: ``expected_purchases`` (undiscounted, over the horizon),
        ``expected_spend`` (per purchase) and ``clv``.
    """
    func = f"{_HERE}.customer_lifetime_value"
    if not isinstance(bgnbd, BetaGeoModel) or not isinstance(gg, GammaGammaModel):
        raise ParameterError(
            f"{func}: pass a fitted BetaGeoModel and a fitted GammaGammaModel, got "
            f"{type(bgnbd).__name__} and {type(gg).__name__}."
        )
    require_frame(summary, func, name="summary")
    require_columns(summary, ["frequency", "recency", "T", "monetary_value"], func)
    horizon = check_number(horizon, "horizon", func, low=1, integer=True)
    rate = check_number(discount_rate, "discount_rate", func, low=0)
    margin = check_number(margin, "margin", func, low=0)
    check_choice(freq, "freq", func, UNIT_DAYS)
    if time_unit is None:
        time_unit = summary.attrs.get("time_unit")
        if time_unit is None:
            raise ParameterError(
                f"{func}: the summary does not record its time unit. Pass time_unit='W' (or "
                "'D', 'M'): the unit of recency and T."
            )
    check_choice(time_unit, "time_unit", func, UNIT_DAYS)
    x, t_x, t_end, _ = check_summary(summary["frequency"], summary["recency"], summary["T"], func)
    with as_called_by(func):
        spend = np.asarray(
            gg.conditional_expected_spend(summary["frequency"], summary["monetary_value"])
        )
    step = UNIT_DAYS[freq] / UNIT_DAYS[time_unit]
    cumulative = np.zeros(len(x))
    value = np.zeros(len(x))
    for k in range(1, horizon + 1):
        now = bgnbd._conditional(k * step, x, t_x, t_end, func)
        value += (now - cumulative) / (1 + rate) ** k
        cumulative = now
    return pd.DataFrame(
        {
            "expected_purchases": cumulative,
            "expected_spend": spend,
            "clv": margin * spend * value,
        },
        index=summary.index,
    )
