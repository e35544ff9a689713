"""Measuring satisfaction and loyalty, and what drives satisfaction.

Chapter 9's tools on the yearly survey and the contact log: :func:`nps_summary`,
:func:`csat_summary` and :func:`nps_minimum_detectable_change` (how precise the scores are);
:func:`response_bias` (who answers); :func:`driver_analysis` with Shapley/LMG and Johnson
splits of R² (written here by hand: no pinned library has them), :func:`importance_performance`
and :func:`plot_importance_performance`. Complaint handling is in
:mod:`kamlib.service_recovery`.

>>> import pandas as pd
>>> from kamlib.satisfaction import nps_summary
>>> toy = pd.DataFrame({"nps": [10, 9, 8, 7, 6, 0]})
>>> round(float(nps_summary(toy)["nps"].iloc[0]), 1)
0.0
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd

from kamlib.errors import DataError, FitError, ParameterError
from kamlib.validation import (
    as_called_by,
    check_names,
    check_number,
    require_columns,
    require_dates,
    require_frame,
    require_known,
    require_no_missing,
    require_non_negative,
    require_numeric,
    require_optional_dates,
    require_unique,
)

__all__ = [
    "csat_summary",
    "driver_analysis",
    "importance_performance",
    "nps_minimum_detectable_change",
    "nps_summary",
    "plot_importance_performance",
    "response_bias",
]

DRIVERS = ["product_quality", "delivery", "price_value", "responsiveness", "account_manager"]


def _frames(func: str, **frames) -> None:
    for name, frame in frames.items():
        require_frame(frame, func, name=name)


def _z(confidence: float, func: str) -> float:
    from scipy.stats import norm

    confidence = check_number(
        confidence, "confidence", func, low=0, high=1, low_inclusive=False, high_inclusive=False
    )
    return float(norm.ppf(0.5 + confidence / 2))


def _scores(data, column: str, func: str, low: float, high: float) -> pd.Series:
    series = require_numeric(data, column, func).astype(float)
    outside = (series < low) | (series > high)
    if outside.any():
        raise DataError(
            f"{func}: column '{column}' must hold scores from {low:g} to {high:g}, found "
            f"{int(outside.sum())} outside, e.g. {series[outside].head(3).tolist()}. "
            "Check the scale of the survey question."
        )
    return series


def _groups(data: pd.DataFrame, by, func: str):
    """The grouping keys: one group called 'all' when ``by`` is None."""
    if by is None:
        return pd.Series("all", index=data.index, name="group")
    by = check_names(by, "by", func)
    require_columns(data, by, func)
    for column in by:
        require_no_missing(data, column, func, what="group label")
    return [data[c] for c in by]


# --- Measuring: NPS, CSAT and how precise they are ---
def nps_summary(
    surveys: pd.DataFrame, *, score_col: str = "nps", by=None, confidence: float = 0.95
) -> pd.DataFrame:
    """The Net Promoter Score with its standard error and confidence interval.

    Promoters answer 9-10 to "how likely are you to recommend us (0-10)?", detractors 0-6;
    NPS = 100 x (share of promoters - share of detractors). It is a difference of two shares
    of one multinomial sample, so its variance is
    ``(p_promoters + p_detractors - (p_promoters - p_detractors)**2) / n`` (in shares; x 100
    for points), and the interval is the normal one, NPS +- z x SE.

    Parameters
    ----------
    surveys : pandas.DataFrame
        One row per response.
    score_col : str, default "nps"
        The 0-10 recommendation score.
    by : str or list of str, optional
        Columns to summarise by (e.g. a survey-year column); one row called ``all`` without.
    confidence : float, default 0.95
        Level of the interval.

    Returns
    -------
    pandas.DataFrame
        Index = group; ``responses``, ``promoters``, ``passives``, ``detractors`` (shares),
        ``nps``, ``std_error``, ``ci_low``, ``ci_high`` (NPS points, -100 to 100).

    Examples
    --------
    >>> toy = pd.DataFrame({"nps": [10, 9, 9, 7, 3, 0]})
    >>> nps_summary(toy).round(1).loc["all", ["nps", "std_error"]].to_dict()
    {'nps': 16.7, 'std_error': 36.6}
    """
    func = "kamlib.satisfaction.nps_summary"
    require_frame(surveys, func, name="surveys")
    require_columns(surveys, [score_col], func)
    score = _scores(surveys, score_col, func, 0, 10)
    z = _z(confidence, func)
    kind = pd.DataFrame(
        {"promoters": score >= 9, "passives": score.between(7, 8), "detractors": score <= 6}
    )
    grouped = kind.groupby(_groups(surveys, by, func))
    table = grouped.mean().astype(float)
    table.insert(0, "responses", grouped.size())
    p, d, n = table["promoters"], table["detractors"], table["responses"]
    table["nps"] = 100 * (p - d)
    table["std_error"] = 100 * np.sqrt((p + d - (p - d) ** 2) / n)
    table["ci_low"] = table["nps"] - z * table["std_error"]
    table["ci_high"] = table["nps"] + z * table["std_error"]
    return table


def csat_summary(
    surveys: pd.DataFrame,
    *,
    score_col: str = "csat",
    by=None,
    top_box: int = 4,
    scale_max: int = 5,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Mean CSAT and the top-box share (e.g. 4 or 5 of 5) with standard errors and intervals.

    Parameters
    ----------
    surveys, by, confidence :
        As in :func:`nps_summary`.
    score_col : str, default "csat"
        The satisfaction score, from 1 to ``scale_max`` (default 5).
    top_box : int, default 4
        The lowest score counted as satisfied ("top-2-box" on a 5-point scale).

    Returns
    -------
    pandas.DataFrame
        Index = group; ``responses``, ``mean``, ``mean_se``, ``mean_low``, ``mean_high``,
        ``top_box_share``, ``top_box_se``, ``top_box_low``, ``top_box_high``.

    Examples
    --------
    >>> toy = pd.DataFrame({"csat": [5, 4, 4, 3, 2]})
    >>> csat_summary(toy).loc["all", ["mean", "top_box_share"]].round(2).to_dict()
    {'mean': 3.6, 'top_box_share': 0.6}
    """
    func = "kamlib.satisfaction.csat_summary"
    require_frame(surveys, func, name="surveys")
    require_columns(surveys, [score_col], func)
    scale_max = check_number(scale_max, "scale_max", func, low=2, integer=True)
    top_box = check_number(top_box, "top_box", func, low=1, high=scale_max, integer=True)
    score = _scores(surveys, score_col, func, 1, scale_max)
    z = _z(confidence, func)
    frame = pd.DataFrame({"score": score, "top": (score >= top_box).astype(float)})
    grouped = frame.groupby(_groups(surveys, by, func))
    n = grouped.size()
    table = pd.DataFrame({"responses": n, "mean": grouped["score"].mean()})
    table["mean_se"] = grouped["score"].std(ddof=1).fillna(0.0) / np.sqrt(n)
    table["mean_low"] = table["mean"] - z * table["mean_se"]
    table["mean_high"] = table["mean"] + z * table["mean_se"]
    share = grouped["top"].mean()
    table["top_box_share"] = share
    table["top_box_se"] = np.sqrt(share * (1 - share) / n)
    table["top_box_low"] = (share - z * table["top_box_se"]).clip(lower=0)
    table["top_box_high"] = (share + z * table["top_box_se"]).clip(upper=1)
    return table


def nps_minimum_detectable_change(
    n: int,
    *,
    promoters: float,
    detractors: float,
    n_after: int | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
) -> float:
    """The smallest change of the NPS (points) two surveys can tell from sampling noise.

    Two independent surveys of ``n`` and ``n_after`` responses with the promoter and detractor
    shares given: MDC = (z of 1 - alpha/2 + z of power) x sqrt(V/n + V/n_after) x 100, with
    V = p + d - (p - d)^2 the variance of one response's promoter (+1) / detractor (-1) score.

    Parameters
    ----------
    n, n_after : int
        Responses in the first and the second survey (``n_after`` = ``n`` by default).
    promoters, detractors : float
        Expected shares of promoters and of detractors (0-1, summing to at most 1).
    alpha, power : float, default 0.05 and 0.8
        Two-sided significance level; chance of detecting a real change of that size.

    Returns
    -------
    float
        The minimum detectable change in NPS points.

    Examples
    --------
    >>> round(nps_minimum_detectable_change(400, promoters=0.3, detractors=0.3), 1)
    15.3
    """
    from scipy.stats import norm

    func = "kamlib.satisfaction.nps_minimum_detectable_change"
    n = check_number(n, "n", func, low=1, integer=True)
    n_after = n if n_after is None else check_number(n_after, "n_after", func, low=1, integer=True)
    p = check_number(promoters, "promoters", func, low=0, high=1)
    d = check_number(detractors, "detractors", func, low=0, high=1)
    if p + d > 1:
        raise ParameterError(
            f"{func}: 'promoters' + 'detractors' must be at most 1, got {p + d:g}. "
            "Give the two shares of all responses."
        )
    alpha = check_number(
        alpha, "alpha", func, low=0, high=1, low_inclusive=False, high_inclusive=False
    )
    power = check_number(
        power, "power", func, low=0, high=1, low_inclusive=False, high_inclusive=False
    )
    variance = p + d - (p - d) ** 2
    z = norm.ppf(1 - alpha / 2) + norm.ppf(power)
    return float(100 * z * math.sqrt(variance / n + variance / n_after))


# --- Who answers? ---
def response_bias(
    accounts: pd.DataFrame,
    surveys: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    survey_year: int,
    customer_col: str = "account_id",
    survey_date_col: str = "survey_date",
    since_col: str = "customer_since",
    lost_col: str = "lost_date",
    size_col: str = "employees",
    order_date_col: str = "order_date",
    net_col: str = "net_revenue_cny",
) -> pd.DataFrame:
    """Compare the accounts that answered a year's survey with the active ones that did not.

    The survey goes out on 1 November of ``survey_year``; active accounts are customers before
    that day and not lost before it. For each group: headcount, orders and net revenue in the
    12 months before, and the share lost within the 12 months after (empty when the orders do
    not reach that far). ``p_value`` is Welch's t-test of the difference.

    Parameters
    ----------
    accounts, surveys, orders : pandas.DataFrame
        The course tables (or yours with the same columns).
    survey_year : int
        The year of the survey.
    customer_col, survey_date_col, since_col, lost_col, size_col, order_date_col, net_col : str

    Returns
    -------
    pandas.DataFrame
        Index = measure (``employees``, ``orders_12m_before``, ``net_revenue_12m_before``,
        ``lost_within_12m``); columns ``responded``, ``did_not_respond``, ``difference``,
        ``p_value``; ``attrs["counts"]`` holds the number of accounts of each group.

    Examples
    --------
    >>> acc = pd.DataFrame({"account_id": ["A", "B", "C", "D"], "employees": [10, 20, 30, 40],
    ...     "customer_since": pd.to_datetime(["2020-01-01"] * 4),
    ...     "lost_date": pd.to_datetime([None, None, "2024-03-01", None])})
    >>> srv = pd.DataFrame({"account_id": ["A", "B"],
    ...     "survey_date": pd.to_datetime(["2023-11-03", "2023-11-09"])})
    >>> orders = pd.DataFrame({"account_id": ["A", "C", "D"], "net_revenue_cny": [5.0, 6.0, 7.0],
    ...     "order_date": pd.to_datetime(["2023-05-01", "2023-06-01", "2024-12-01"])})
    >>> response_bias(acc, srv, orders, survey_year=2023)["responded"].to_dict()
    {'employees': 15.0, 'orders_12m_before': 0.5, 'net_revenue_12m_before': 2.5, 'lost_within_12m': 0.0}
    """
    from scipy.stats import ttest_ind

    func = "kamlib.satisfaction.response_bias"
    _frames(func, accounts=accounts, surveys=surveys, orders=orders)
    require_columns(accounts, [customer_col, since_col, lost_col, size_col], func)
    require_columns(surveys, [customer_col, survey_date_col], func)
    require_columns(orders, [customer_col, order_date_col, net_col], func)
    year = check_number(survey_year, "survey_year", func, low=1900, high=2200, integer=True)
    require_no_missing(accounts, customer_col, func, what="id")
    require_unique(accounts, customer_col, func)
    since = require_dates(accounts, since_col, func)
    lost = require_optional_dates(accounts, lost_col, func)
    size = require_non_negative(accounts, size_col, func).astype(float)
    survey_dates = require_dates(surveys, survey_date_col, func)
    order_dates = require_dates(orders, order_date_col, func)
    net = require_non_negative(orders, net_col, func).astype(float)
    ids = accounts[customer_col].astype(str)
    for name, frame in (("surveys", surveys), ("orders", orders)):
        require_no_missing(frame, customer_col, func, what="id")
        require_known(frame, customer_col, ids, func, name=name)

    day = pd.Timestamp(f"{year}-11-01")
    active = ((since < day) & ~(lost < day)).to_numpy()
    answered = set(surveys.loc[(survey_dates.dt.year == year).to_numpy(), customer_col].astype(str))
    if not answered:
        raise DataError(f"{func}: no survey response is dated in {year}. Check survey_year.")
    before = ((order_dates >= day - pd.DateOffset(years=1)) & (order_dates < day)).to_numpy()
    buyer = orders[customer_col].astype(str)[before]
    measures = pd.DataFrame(
        {
            "employees": size.to_numpy(),
            "orders_12m_before": buyer.value_counts().reindex(ids, fill_value=0).to_numpy(),
            "net_revenue_12m_before": net[before]
            .groupby(buyer)
            .sum()
            .reindex(ids, fill_value=0.0)
            .to_numpy(),
            "lost_within_12m": (lost < day + pd.DateOffset(years=1)).astype(float).to_numpy(),
        }
    )
    if order_dates.max() < day + pd.DateOffset(years=1) - pd.Timedelta(days=1):
        measures["lost_within_12m"] = np.nan  # the year after is not observed yet
    responded = ids.isin(answered).to_numpy()
    yes, no = measures[active & responded], measures[active & ~responded]
    if len(no) == 0:
        raise DataError(f"{func}: every active account answered in {year}; nothing to compare.")
    table = pd.DataFrame({"responded": yes.mean(), "did_not_respond": no.mean()})
    table["difference"] = table["responded"] - table["did_not_respond"]
    p_values = []
    for column in measures.columns:
        a, b = yes[column].dropna(), no[column].dropna()
        enough = len(a) > 1 and len(b) > 1 and (a.var() > 0 or b.var() > 0)
        with warnings.catch_warnings():  # scipy's precision note on tiny, near-equal groups
            warnings.simplefilter("ignore", RuntimeWarning)
            p = float(ttest_ind(a, b, equal_var=False).pvalue) if enough else np.nan
        p_values.append(p)
    table["p_value"] = p_values
    table.attrs["counts"] = {"responded": len(yes), "did_not_respond": len(no)}
    return table


# --- What drives satisfaction: regression and relative importance ---
def _r2(corr: np.ndarray, subset: tuple[int, ...]) -> float:
    """R² of the outcome (last row/column of ``corr``) on the drivers in ``subset``."""
    if not subset:
        return 0.0
    idx = list(subset)
    rxx, rxy = corr[np.ix_(idx, idx)], corr[idx, -1]
    return float(rxy @ np.linalg.solve(rxx, rxy))


def _shapley_r2(corr: np.ndarray, k: int) -> np.ndarray:
    """LMG / Shapley: each driver's R² gain averaged over every order of entry (by hand)."""
    r2 = {s: _r2(corr, s) for m in range(k + 1) for s in itertools.combinations(range(k), m)}
    share = np.zeros(k)
    for j in range(k):
        others = [i for i in range(k) if i != j]
        for m in range(k):
            weight = math.factorial(m) * math.factorial(k - m - 1) / math.factorial(k)
            for s in itertools.combinations(others, m):
                share[j] += weight * (r2[tuple(sorted((*s, j)))] - r2[s])
    return share


def _johnson_weights(corr: np.ndarray, k: int) -> np.ndarray:
    """Johnson's (2000) relative weights: regress on the orthogonal twins of the drivers."""
    rxx, rxy = corr[:k, :k], corr[:k, -1]
    values, vectors = np.linalg.eigh(rxx)
    lam = vectors @ np.diag(np.sqrt(np.clip(values, 0, None))) @ vectors.T
    beta = np.linalg.solve(lam, rxy)
    return (lam**2) @ (beta**2)


def driver_analysis(
    surveys: pd.DataFrame,
    *,
    outcome_col: str = "csat",
    driver_cols=None,
    group_col: str | None = "account_id",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Which attribute ratings drive overall satisfaction, and how much?

    Least squares of ``outcome_col`` on the ratings, with standard errors clustered by
    ``group_col`` (an account answering in several years is not several independent
    customers). Importance is reported four ways: the coefficient (one rating point more),
    its share of the sum of coefficients (``weight``, with a delta-method interval; it is
    comparable to weights that sum to 1 when the ratings share one scale), the standardised
    coefficient, and two splits of R² among the drivers that do not depend on the order they
    enter the model: the Shapley/LMG share and Johnson's relative weights (both by hand).

    Parameters
    ----------
    surveys : pandas.DataFrame
        One row per response.
    outcome_col : str, default "csat"
        The overall satisfaction (or NPS) score.
    driver_cols : list of str, optional
        The attribute ratings; the course survey's five by default.
    group_col : str or None, default "account_id"
        Cluster the standard errors by this column; None for ordinary ones.
    confidence : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        Index = driver; ``coefficient``, ``ci_low``, ``ci_high``, ``weight``, ``weight_low``,
        ``weight_high``, ``standardised``, ``shapley_r2``, ``relative_weight``,
        ``share_of_r2`` (Shapley share of the model's R²), ``mean_rating``; sorted by
        ``share_of_r2``. ``attrs`` holds ``r2`` and ``n``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = pd.DataFrame(rng.normal(0, 1, (500, 2)), columns=["a", "b"])
    >>> x["y"] = 0.6 * x["a"] + 0.2 * x["b"] + rng.normal(0, 0.5, 500)
    >>> out = driver_analysis(x, outcome_col="y", driver_cols=["a", "b"], group_col=None)
    >>> out["weight"].round(1).to_dict()
    {'a': 0.8, 'b': 0.2}
    """
    import statsmodels.api as sm

    func = "kamlib.satisfaction.driver_analysis"
    require_frame(surveys, func, name="surveys")
    drivers = DRIVERS if driver_cols is None else check_names(driver_cols, "driver_cols", func)
    if outcome_col in drivers or len(set(drivers)) < len(drivers):
        raise ParameterError(
            f"{func}: 'driver_cols' must name different columns, none of them the outcome "
            f"'{outcome_col}'; got {drivers!r}."
        )
    require_columns(surveys, [outcome_col, *drivers], func)
    if group_col is not None:
        require_columns(surveys, [group_col], func)
        require_no_missing(surveys, group_col, func, what="group id")
    data = pd.DataFrame({c: require_numeric(surveys, c, func) for c in [*drivers, outcome_col]})
    data = data.astype(float)
    k = len(drivers)
    if len(data) < k + 3:
        raise FitError(
            f"{func}: {len(data)} responses are too few for {k} drivers; need at least {k + 3}."
        )
    constant = [c for c in data.columns if data[c].std() == 0]
    if constant:
        raise FitError(
            f"{func}: column(s) {constant} do not vary, so their effect cannot be estimated. "
            "Leave them out of driver_cols."
        )
    corr = data.corr().to_numpy()
    if np.linalg.matrix_rank(corr[:k, :k]) < k:
        raise FitError(f"{func}: the drivers are collinear (one is a mix of others); drop one.")
    z = _z(confidence, func)
    x = sm.add_constant(data[drivers], has_constant="add")
    if group_col is None:
        fit = sm.OLS(data[outcome_col], x).fit()
    else:
        groups = pd.factorize(surveys[group_col].astype(str))[0]
        fit = sm.OLS(data[outcome_col], x).fit(cov_type="cluster", cov_kwds={"groups": groups})
    b, cov = fit.params[drivers].to_numpy(), fit.cov_params().loc[drivers, drivers].to_numpy()
    total = b.sum()
    grad = (np.eye(k) * total - b[:, None]) / total**2  # d(b_j / sum b) / d b_i, row j
    weight_se = np.sqrt(np.diag(grad @ cov @ grad.T))
    shapley = _shapley_r2(corr, k)
    table = pd.DataFrame(
        {
            "coefficient": b,
            "ci_low": b - z * np.sqrt(np.diag(cov)),
            "ci_high": b + z * np.sqrt(np.diag(cov)),
            "weight": b / total,
            "weight_low": b / total - z * weight_se,
            "weight_high": b / total + z * weight_se,
            "standardised": b * data[drivers].std().to_numpy() / data[outcome_col].std(),
            "shapley_r2": shapley,
            "relative_weight": _johnson_weights(corr, k),
            "share_of_r2": shapley / shapley.sum(),
            "mean_rating": data[drivers].mean().to_numpy(),
        },
        index=pd.Index(drivers, name="driver"),
    )
    table = table.sort_values("share_of_r2", ascending=False, kind="stable")
    table.attrs.update({"r2": float(fit.rsquared), "n": len(data)})
    return table


def importance_performance(
    surveys: pd.DataFrame,
    *,
    outcome_col: str = "csat",
    driver_cols=None,
    importance: str = "share_of_r2",
) -> pd.DataFrame:
    """The importance-performance table of Martilla and James: where to act first.

    Importance is derived from :func:`driver_analysis` (``importance`` names its column);
    performance is the mean rating. The cross-hairs are the means of the two, which split the
    drivers into four quadrants: *concentrate here* (important, rated low), *keep up the good
    work* (important, rated high), *low priority* (neither) and *possible overkill* (rated
    high, matters little).

    Parameters
    ----------
    surveys, outcome_col, driver_cols :
        As in :func:`driver_analysis`.
    importance : {"share_of_r2", "weight", "standardised", "relative_weight"}
        Which derived importance to use.

    Returns
    -------
    pandas.DataFrame
        Index = driver; ``importance``, ``performance``, ``quadrant``; ``attrs`` holds the
        cross-hairs ``importance_line`` and ``performance_line``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = pd.DataFrame(rng.normal(3, 1, (400, 2)), columns=["a", "b"])
    >>> x["b"] += 1
    >>> x["y"] = 0.6 * x["a"] + 0.2 * x["b"] + rng.normal(0, 0.5, 400)
    >>> importance_performance(x, outcome_col="y", driver_cols=["a", "b"])["quadrant"].to_dict()
    {'a': 'concentrate here', 'b': 'possible overkill'}
    """
    func = "kamlib.satisfaction.importance_performance"
    choices = ("share_of_r2", "weight", "standardised", "relative_weight")
    if importance not in choices:
        raise ParameterError(f"{func}: 'importance' must be one of {choices}, got {importance!r}.")
    group = "account_id" if isinstance(surveys, pd.DataFrame) and "account_id" in surveys else None
    with as_called_by(func):
        drivers = driver_analysis(
            surveys, outcome_col=outcome_col, driver_cols=driver_cols, group_col=group
        )
    table = pd.DataFrame({"importance": drivers[importance], "performance": drivers["mean_rating"]})
    imp_line, perf_line = table["importance"].mean(), table["performance"].mean()
    high_imp, high_perf = table["importance"] >= imp_line, table["performance"] >= perf_line
    table["quadrant"] = np.select(
        [high_imp & ~high_perf, high_imp & high_perf, ~high_imp & ~high_perf],
        ["concentrate here", "keep up the good work", "low priority"],
        "possible overkill",
    )
    table.attrs.update({"importance_line": float(imp_line), "performance_line": float(perf_line)})
    return table


def plot_importance_performance(table: pd.DataFrame, *, ax=None):
    """Draw the importance-performance matrix of :func:`importance_performance`.

    ``table`` is the table of :func:`importance_performance`; returns the Axes.
    """
    from kamlib import plot

    func = "kamlib.satisfaction.plot_importance_performance"
    require_frame(table, func, name="table")
    require_columns(table, ["importance", "performance"], func)
    imp = require_numeric(table, "importance", func)
    perf = require_numeric(table, "performance", func)
    ax = plot.get_ax(ax, figsize=(7, 5))
    ax.scatter(perf, imp, s=80, color="C0", zorder=3)
    for name, x, y in zip(table.index, perf, imp, strict=True):
        ax.annotate(str(name).replace("_", " "), (x, y), textcoords="offset points", xytext=(6, 5))
    ax.axvline(table.attrs.get("performance_line", perf.mean()), color="grey", ls="--")
    ax.axhline(table.attrs.get("importance_line", imp.mean()), color="grey", ls="--")
    for x, y, text in (
        (0.02, 0.95, "Concentrate here"),
        (0.98, 0.95, "Keep up the good work"),
        (0.02, 0.03, "Low priority"),
        (0.98, 0.03, "Possible overkill"),
    ):
        ax.text(
            x,
            y,
            text,
            transform=ax.transAxes,
            ha="left" if x < 0.5 else "right",
            color="grey",
            fontsize=9,
        )
    pad = max(float(perf.max() - perf.min()), 0.1) * 0.25
    ax.set_xlim(float(perf.min()) - pad, float(perf.max()) + pad)
    return plot.label(
        ax,
        "Importance-performance matrix",
        "Performance: mean rating (1-5)",
        "Derived importance (share of explained satisfaction)",
    )
