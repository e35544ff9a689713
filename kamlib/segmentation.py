"""Customer segmentation (客户细分): groups of accounts that behave alike, found with k-means.

The steps of the method are the functions of this module:

1. :func:`segment_features` builds one row per active account as of a date: recency,
   frequency and revenue of the last twelve months (RFM, :mod:`kamlib.rfm`), gross margin rate
   and cost to serve per yuan of revenue (:mod:`kamlib.profitability`), growth against the
   twelve months before, and the firmographics (size, tenure, industry, region).
2. :func:`choose_k` compares numbers of segments ``k`` from three views: the **elbow** of the
   within-segment sum of squares (kneed), the **silhouette** (how clearly each account sits in
   its own segment) and the **stability** of the segments when the accounts are resampled
   (adjusted Rand index of bootstrap refits);
   :func:`~kamlib.segment_charts.plot_k_choice` draws them.
3. :func:`fit_segments` scales the chosen features (log of the skewed ones, then z-scores) and
   runs k-means; segments are numbered 1..k from the largest revenue per account down, so the
   numbers do not depend on the random start. :func:`assign_segments` puts new accounts (or
   another year's) into the segments found.
4. :func:`segment_profiles` describes each segment in numbers a manager reads (medians, shares
   of accounts, revenue and profit); :func:`segment_traits` turns a segment's centre into words
   ("large spend, costly to serve") as a starting point for naming it;
   :func:`~kamlib.segment_charts.plot_segment_profiles` shows the centres as a heat map,
   :func:`~kamlib.segment_charts.plot_segment_map` the accounts on two features (the charts
   live in :mod:`kamlib.segment_charts` and are re-exported here).
5. :func:`segment_separation` says how much of any other variable (a survey score, or in the
   simulated course world a hidden trait) the segments explain.

scikit-learn does the scaling, k-means, silhouette and adjusted Rand index; kneed finds the
elbow. Written here: the feature table, the bootstrap stability, the numbering of segments and
the words.

>>> import pandas as pd
>>> features = pd.DataFrame(
...     {"revenue": [100.0, 120.0, 110.0, 5000.0, 5200.0, 4800.0],
...      "growth": [0.5, 0.4, 0.6, -0.1, 0.0, -0.2]},
...     index=pd.Index(["A", "B", "C", "D", "E", "F"], name="account_id"))
>>> fit_segments(features, k=2, columns=["revenue", "growth"], seed=1)["segment"].tolist()
[2, 2, 2, 1, 1, 1]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.errors import DataError, ParameterError

# The charts live in kamlib.segment_charts (keeps this module short); re-exported here so that
# one import serves the chapter.
from kamlib.segment_charts import (
    plot_k_choice,
    plot_segment_map,
    plot_segment_profiles,
)
from kamlib.validation import (
    as_called_by,
    as_timestamp,
    check_names,
    check_number,
    check_seed,
    require_columns,
    require_frame,
    require_numeric,
    require_unique,
)

__all__ = [
    "DEFAULT_FEATURES",
    "LOG_FEATURES",
    "TRAIT_WORDS",
    "assign_segments",
    "choose_k",
    "fit_segments",
    "plot_k_choice",
    "plot_segment_map",
    "plot_segment_profiles",
    "segment_features",
    "segment_profiles",
    "segment_separation",
    "segment_traits",
]

#: The behaviour the course segments on by default: what the account buys (RFM), what it earns
#: and costs (margin, cost to serve) and where it is heading (growth).
DEFAULT_FEATURES = (
    "recency_days",
    "frequency",
    "revenue",
    "margin_rate",
    "cost_to_serve_rate",
    "growth",
)

#: Features that are skewed (a few accounts are many times the others): they enter k-means as
#: logarithms, log(1 + x), so that the largest accounts do not make up a segment on their own.
LOG_FEATURES = ("recency_days", "frequency", "revenue", "cost_to_serve_rate", "employees")

#: Words for a segment whose centre lies low or high on a feature (used by segment_traits).
TRAIT_WORDS: dict[str, tuple[str, str]] = {
    "recency_days": ("bought recently", "gone quiet"),
    "frequency": ("few orders", "frequent orders"),
    "revenue": ("small spend", "large spend"),
    "margin_rate": ("low margin", "high margin"),
    "cost_to_serve_rate": ("cheap to serve", "costly to serve"),
    "growth": ("shrinking", "growing"),
    "profit": ("loss-making", "very profitable"),
    "employees": ("small firm", "large firm"),
    "tenure_years": ("new customer", "long-standing"),
    "strategic_fit": ("poor fit", "strong fit"),
}

_SEGMENT = "segment"


# --- 1. the feature table ---------------------------------------------------------------------


def segment_features(
    accounts: pd.DataFrame,
    orders: pd.DataFrame,
    activity: pd.DataFrame,
    *,
    as_of,
    months: int = 12,
    customer_col: str = "account_id",
    activity_costs: dict[str, float] | None = None,
) -> pd.DataFrame:
    """One row per account that bought in the ``months`` before ``as_of``: behaviour and firmographics.

    Definitions (the window is the ``months`` months ending on ``as_of``; money in CNY):

    - ``recency_days``: days from the last order to ``as_of`` (:func:`kamlib.rfm.rfm_table`);
    - ``frequency``: orders in the window; ``revenue``: net revenue in the window;
    - ``margin_rate``: gross margin / net revenue in the window;
    - ``cost_to_serve_rate``: activity-based cost to serve / net revenue (yuan of service per
      yuan bought), from :func:`kamlib.profitability.customer_profit`;
    - ``profit``: gross margin - cost to serve in the window (before acquisition cost, which
      says how the account was won, not how it behaves);
    - ``growth``: revenue change against the window before, as
      ``(now - before) / ((now + before) / 2)``: between -2 and 2, 2 for an account with no
      revenue before, so new accounts need no special case;
    - firmographics from ``accounts``: ``employees``, ``tenure_years`` (years since
      ``customer_since``), ``strategic_fit``, ``industry``, ``region``, ``size_band`` (those
      present in the table).

    Accounts with no order in the window are not in the table: they have no margin rate or cost
    per yuan, and lapsed accounts are a retention question (chapters 5 and 9), not a segment.
    Orders after ``as_of`` are ignored: the table is what was known on that day.

    Parameters
    ----------
    accounts, orders, activity : pandas.DataFrame
        The course tables ``accounts``, ``orders`` and ``service_activity`` (or yours with the
        same columns, see :func:`kamlib.profitability.customer_profit`).
    as_of : str or Timestamp
        The day of the analysis, e.g. ``"2024-12-31"``.
    months : int, default 12
        Length of the window (and of the window before it, for growth).
    customer_col : str
        Account id column of the three tables.
    activity_costs : dict, optional
        Prices per activity; by default those of :mod:`kamlib.profitability`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_col``; columns ``recency_days, frequency, revenue, margin_rate,
        cost_to_serve_rate, profit, growth`` and the firmographic columns listed above.

    Examples
    --------
    >>> import pandas as pd
    >>> from kamlib import toy
    >>> activity = pd.DataFrame({"account_id": ["T01", "T02"], "activity": ["visit", "call"],
    ...     "month": pd.to_datetime(["2024-11-01", "2024-12-01"]), "count": [1, 2]})
    >>> f = segment_features(toy.accounts(), toy.orders(), activity, as_of="2024-12-31", months=6)
    >>> f[["frequency", "revenue", "growth"]].round(3)  # doctest: +NORMALIZE_WHITESPACE
                frequency  revenue  growth
    account_id
    T01               1.0    500.0  -0.889
    T02               2.0    400.0   0.667
    T03               1.0    225.0   0.000
    T04               1.0    150.0   2.000
    """
    func = "kamlib.segmentation.segment_features"
    end = as_timestamp(as_of, "as_of", func)
    n_months = int(check_number(months, "months", func, low=1, high=120, integer=True))
    for name, table in (("accounts", accounts), ("orders", orders), ("activity", activity)):
        require_frame(table, func, name=name)
    require_columns(accounts, [customer_col], func)
    start = end - pd.DateOffset(months=n_months) + pd.Timedelta(days=1)
    before = (start - pd.DateOffset(months=n_months), start - pd.Timedelta(days=1))
    with as_called_by(func):
        now = _profit_of(accounts, orders, activity, (start, end), customer_col, activity_costs)
        then = _profit_of(accounts, orders, activity, before, customer_col, activity_costs)
        recency = _rfm_recency(orders, end, customer_col)
    active = now.index[now["net_revenue"] > 0]
    now = now.loc[active]
    out = pd.DataFrame(index=pd.Index(active, name=customer_col))
    out["recency_days"] = recency.reindex(active).astype(float)
    out["frequency"] = now["n_orders"].astype(float)
    out["revenue"] = now["net_revenue"].astype(float)
    out["margin_rate"] = now["gross_margin"] / now["net_revenue"]
    out["cost_to_serve_rate"] = now["cost_to_serve"] / now["net_revenue"]
    out["profit"] = now["gross_margin"] - now["cost_to_serve"]
    previous = then["net_revenue"].reindex(active, fill_value=0.0).astype(float)
    out["growth"] = (out["revenue"] - previous) / ((out["revenue"] + previous) / 2)
    return out.join(_firmographics(accounts, active, end, customer_col, func))


def _profit_of(accounts, orders, activity, period, customer_col, activity_costs):
    """customer_profit over ``period`` without acquisition cost (inner step, not public API)."""
    from kamlib.profitability import customer_profit

    return customer_profit(
        accounts,
        orders,
        activity,
        period=period,
        activity_costs=activity_costs,
        acquisition="none",
        customer_col=customer_col,
        lost_col="lost_date" if "lost_date" in accounts.columns else None,
    )


def _rfm_recency(orders, end, customer_col) -> pd.Series:
    from kamlib.rfm import rfm_table

    # An analysis as of a past day reads the orders known on that day (customer_profit has
    # checked the dates); later orders are not an error here, so rfm_table need not warn.
    dates = pd.to_datetime(orders["order_date"], format="mixed")
    table = rfm_table(orders.loc[dates <= end], as_of=end, customer_col=customer_col)
    return table["recency_days"].rename(index=str)


def _firmographics(accounts, ids, end, customer_col, func) -> pd.DataFrame:
    """The account-table columns a segment profile reads, for the accounts ``ids``."""
    table = accounts.copy()
    table.index = pd.Index(table[customer_col].astype(str), name=customer_col)
    out = pd.DataFrame(index=ids)
    if "employees" in table.columns:
        out["employees"] = require_numeric(table, "employees", func).reindex(ids).astype(float)
    if "customer_since" in table.columns:
        since = pd.to_datetime(table["customer_since"], errors="coerce").reindex(ids)
        out["tenure_years"] = ((end - since).dt.days / 365.25).clip(lower=0)
    if "strategic_fit" in table.columns:
        fit = require_numeric(table, "strategic_fit", func)
        out["strategic_fit"] = fit.reindex(ids).astype(float)
    for column in ("industry", "region", "size_band"):
        if column in table.columns:
            out[column] = table[column].reindex(ids)
    return out


# --- 2. scaling and the choice of k -----------------------------------------------------------


def _logged(features, columns, log_columns, func, name="features") -> tuple[np.ndarray, list]:
    """The chosen features, checked, with log(1 + x) of the skewed ones (not yet scaled)."""
    require_frame(features, func, name=name)
    names = check_names(list(DEFAULT_FEATURES) if columns is None else columns, "columns", func)
    require_columns(features, names, func)
    logs = set(
        check_names(
            LOG_FEATURES if log_columns is None else log_columns,
            "log_columns",
            func,
            allow_empty=True,
        )
    )
    blocks = []
    for column in names:
        values = require_numeric(features, column, func).astype(float)
        if column in logs:
            if (values < 0).any():
                raise DataError(
                    f"{func}: column '{column}' has negative values but is taken as a logarithm. "
                    f"Remove it from log_columns or correct the values."
                )
            values = np.log1p(values)
        blocks.append(values.to_numpy())
    return np.column_stack(blocks), names


def _scale(x, names, func) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of each column, refusing a constant one."""
    spread = x.std(axis=0)
    # A constant column has a spread of zero up to rounding (0.3 is not exact in binary).
    tiny = 1e-9 * np.maximum(1.0, np.abs(x).max(axis=0))
    flat = [c for c, s, t in zip(names, spread, tiny, strict=True) if not s > t]
    if flat:
        raise DataError(
            f"{func}: column(s) {flat} take the same value for every account, so they cannot "
            "separate segments. Leave them out of 'columns'."
        )
    return x.mean(axis=0), spread


def _matrix(features, columns, log_columns, func) -> tuple[np.ndarray, list[str]]:
    """The features as z-scores (after log(1 + x) of the skewed ones), checked."""
    x, names = _logged(features, columns, log_columns, func)
    mean, spread = _scale(x, names, func)
    return (x - mean) / spread, names


def _kmeans_labels(x, k, seed, n_init):
    import warnings

    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    # One thread: the course data are small, and on a shared classroom server k-means' parallel
    # threads fight the other users' work and run many times slower than one thread.
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        # A bootstrap resample repeats accounts, so it may hold fewer distinct points than k;
        # the full data are checked for that before (_check_k).
        warnings.simplefilter("ignore", ConvergenceWarning)
        return KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(x)


def _check_k(k, x, func, name="k"):
    k = int(check_number(k, name, func, low=2, integer=True))
    distinct = len(np.unique(x, axis=0))
    if k >= distinct:
        raise DataError(
            f"{func}: {distinct} distinct account(s) cannot form {k} segments; k must be below "
            "the number of accounts with different features. Pass more accounts or a smaller k."
        )
    return k


def choose_k(
    features: pd.DataFrame,
    *,
    columns=None,
    log_columns=None,
    k_values=(2, 3, 4, 5, 6, 7, 8),
    n_boot: int = 20,
    seed: int = 0,
    n_init: int = 10,
) -> pd.DataFrame:
    """Evidence for the number of segments: inertia and its elbow, silhouette and stability.

    For each ``k`` k-means is fitted on the scaled features (as in :func:`fit_segments`):

    - ``inertia``: the within-segment sum of squared distances (in z-score units);
      ``inertia_share`` is it as a share of the inertia of the smallest ``k``. The elbow
      (``elbow`` is True on that row) is where the curve bends, found by kneed's ``KneeLocator``
      (convex, decreasing);
    - ``silhouette``: mean silhouette width, from -1 to 1; higher means accounts sit clearly
      inside their own segment (Rousseeuw, 1987);
    - ``stability``: mean adjusted Rand index (ARI) between the segments of all accounts and
      those given by k-means refitted on ``n_boot`` bootstrap resamples of the accounts (each
      refit assigns every account to its nearest centre). 1 means the resamples always find the
      same segments; near 0, no better than chance.

    Parameters
    ----------
    features : pandas.DataFrame
        One row per account, e.g. from :func:`segment_features`.
    columns : list of str, optional
        Features to segment on; default :data:`DEFAULT_FEATURES`.
    log_columns : list of str, optional
        Features taken as log(1 + x) before scaling; default :data:`LOG_FEATURES`.
    k_values : sequence of int
        Numbers of segments to compare, each at least 2 and below the number of accounts;
        at least three of them, so that there is a curve to find an elbow on.
    n_boot : int, default 20
        Bootstrap refits per ``k`` for the stability (0 leaves the column out).
    seed : int
        Seed of k-means and of the resampling.
    n_init : int, default 10
        Random starts of each k-means fit.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``k``; columns ``inertia, inertia_share, elbow, silhouette, stability``.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [0.0, 0.1, 0.2, 5.0, 5.1, 5.2, 10.0, 10.1, 10.2],
    ...                   "b": [0.0, 0.2, 0.1, 5.0, 5.2, 5.1, 0.0, 0.2, 0.1]})
    >>> table = choose_k(x, columns=["a", "b"], log_columns=[], k_values=[2, 3, 4, 5], n_boot=5)
    >>> int(table["silhouette"].idxmax()), int(table.index[table["elbow"]][0])
    (3, 3)
    """
    func = "kamlib.segmentation.choose_k"
    x, _ = _matrix(features, columns, log_columns, func)
    seed = check_seed(seed, func)
    n_boot = int(check_number(n_boot, "n_boot", func, low=0, high=1000, integer=True))
    n_init = int(check_number(n_init, "n_init", func, low=1, high=100, integer=True))
    if isinstance(k_values, str | dict) or not hasattr(k_values, "__iter__"):
        raise ParameterError(
            f"{func}: 'k_values' must be a list of whole numbers such as [2, 3, 4, 5], "
            f"got {k_values!r}."
        )
    ks = sorted({_check_k(k, x, func, name="k_values") for k in k_values})
    if len(ks) < 3:
        raise ParameterError(
            f"{func}: 'k_values' needs at least three different numbers of segments to compare "
            f"(an elbow needs a curve), got {list(k_values)!r}."
        )
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(seed)
    rows = []
    with threadpool_limits(limits=1):  # see _kmeans_labels
        rows = _k_rows(x, ks, n_boot, n_init, seed, rng)
    table = pd.DataFrame(rows).set_index("k")
    table.insert(1, "inertia_share", table["inertia"] / table["inertia"].iloc[0])
    table.insert(2, "elbow", _elbow(table.index.to_numpy(), table["inertia"].to_numpy()))
    return table


def _k_rows(x, ks, n_boot, n_init, seed, rng) -> list[dict]:
    """One row of choose_k per k: inertia, silhouette and bootstrap stability."""
    from sklearn.metrics import adjusted_rand_score, silhouette_score

    rows = []
    for k in ks:
        model = _kmeans_labels(x, k, seed, n_init)
        row = {
            "k": k,
            "inertia": float(model.inertia_),
            "silhouette": float(silhouette_score(x, model.labels_)),
        }
        if n_boot:
            scores = []
            for _ in range(n_boot):
                sample = x[rng.integers(0, len(x), len(x))]
                refit = _kmeans_labels(sample, k, int(rng.integers(2**31 - 1)), n_init)
                scores.append(adjusted_rand_score(model.labels_, refit.predict(x)))
            row["stability"] = float(np.mean(scores))
        rows.append(row)
    return rows


def _elbow(ks: np.ndarray, inertia: np.ndarray) -> np.ndarray:
    """Boolean flags, True at kneed's elbow of a decreasing, convex inertia curve."""
    import warnings

    from kneed import KneeLocator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # kneed warns when there is no knee: we say so below
        knee = KneeLocator(ks, inertia, curve="convex", direction="decreasing").knee
    return ks == knee if knee is not None else np.zeros(len(ks), dtype=bool)


# --- 3. fitting the segments ------------------------------------------------------------------


def fit_segments(
    features: pd.DataFrame,
    *,
    k: int,
    columns=None,
    log_columns=None,
    seed: int = 0,
    n_init: int = 10,
) -> pd.DataFrame:
    """k-means segments of the accounts, numbered 1..k from the largest revenue per account down.

    The chosen ``columns`` are taken as log(1 + x) where listed in ``log_columns``, then scaled
    to z-scores (mean 0, standard deviation 1), so that no feature weighs more only because of
    its unit; k-means then groups accounts around ``k`` centres.

    Parameters
    ----------
    features : pandas.DataFrame
        One row per account, e.g. from :func:`segment_features`.
    k : int
        Number of segments (at least 2, below the number of accounts).
    columns, log_columns : list of str, optional
        As in :func:`choose_k`.
    seed : int
        Seed of k-means' random starts.
    n_init : int, default 10
        Random starts; the best fit is kept.

    Returns
    -------
    pandas.DataFrame
        A copy of ``features`` with the column ``segment`` (1..k). Segments are ordered by mean
        ``revenue`` (or, without a revenue column, by the mean of the first feature), largest
        first.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"revenue": [1.0, 2.0, 50.0, 60.0], "growth": [0.1, 0.0, 0.2, 0.1]})
    >>> fit_segments(x, k=2, columns=["revenue", "growth"], log_columns=[])["segment"].tolist()
    [2, 2, 1, 1]
    """
    func = "kamlib.segmentation.fit_segments"
    x, names = _matrix(features, columns, log_columns, func)
    k = _check_k(k, x, func)
    seed = check_seed(seed, func)
    n_init = int(check_number(n_init, "n_init", func, low=1, high=100, integer=True))
    labels = _kmeans_labels(x, k, seed, n_init).labels_
    order_by = features["revenue"] if "revenue" in features.columns else features[names[0]]
    order_by = pd.to_numeric(order_by, errors="coerce").to_numpy(dtype=float)
    means = pd.Series(order_by).groupby(labels).mean().fillna(-np.inf)
    number = {old: new for new, old in enumerate(means.sort_values(ascending=False).index, 1)}
    out = features.copy()
    out[_SEGMENT] = np.array([number[label] for label in labels], dtype="int64")
    return out


def assign_segments(
    features: pd.DataFrame,
    segmented: pd.DataFrame,
    *,
    columns=None,
    log_columns=None,
    segment_col: str = "segment",
) -> pd.DataFrame:
    """Put accounts (new ones, or the same ones another year) into existing segments.

    Each account of ``features`` joins the segment whose centre is nearest, where the centres
    and the scaling (log where listed, then the means and standard deviations) are those of
    ``segmented``, the accounts the segments were found on. This is k-means' assignment step
    with the segments held fixed, so segments keep their meaning from one year to the next.

    Parameters
    ----------
    features : pandas.DataFrame
        The accounts to assign, with the same feature columns (e.g. :func:`segment_features`
        as of another date).
    segmented : pandas.DataFrame
        The accounts the segments were found on, with their segment column (from
        :func:`fit_segments`).
    columns, log_columns : list of str, optional
        The features the segments were fitted on (as passed to :func:`fit_segments`).
    segment_col : str, default "segment"

    Returns
    -------
    pandas.DataFrame
        A copy of ``features`` with the column ``segment_col``.

    Examples
    --------
    >>> import pandas as pd
    >>> old = pd.DataFrame({"revenue": [1.0, 2.0, 50.0, 60.0], "segment": [2, 2, 1, 1]})
    >>> new = pd.DataFrame({"revenue": [55.0, 3.0]}, index=["N1", "N2"])
    >>> assign_segments(new, old, columns=["revenue"], log_columns=[])["segment"].tolist()
    [1, 2]
    """
    func = "kamlib.segmentation.assign_segments"
    labels = _segments(segmented, segment_col, func)
    reference, names = _logged(segmented, columns, log_columns, func, name="segmented")
    mean, spread = _scale(reference, names, func)
    x, _ = _logged(features, names, log_columns, func)
    z_ref = (reference - mean) / spread
    centres = pd.DataFrame(z_ref).groupby(labels.to_numpy()).mean()
    z = (x - mean) / spread
    distance = ((z[:, None, :] - centres.to_numpy()[None, :, :]) ** 2).sum(axis=2)
    out = features.copy()
    out[segment_col] = centres.index.to_numpy()[distance.argmin(axis=1)]
    return out


# --- 4. describing and naming the segments ----------------------------------------------------


def _segments(segmented, segment_col, func) -> pd.Series:
    """The segment labels, checked: none missing, numbers or text but not a mix of both."""
    require_frame(segmented, func, name="segmented")
    require_columns(segmented, [segment_col], func)
    labels = segmented[segment_col]
    if labels.isna().any():
        raise DataError(
            f"{func}: column '{segment_col}' has {int(labels.isna().sum())} account(s) without a "
            "segment. Assign every account (fit_segments) or drop those rows first."
        )
    if pd.api.types.is_numeric_dtype(labels) and not pd.api.types.is_bool_dtype(labels):
        if np.isinf(labels.to_numpy(dtype=float)).any():
            raise DataError(f"{func}: column '{segment_col}' has infinite segment numbers.")
    else:
        kinds = {isinstance(v, str) for v in labels}
        if len(kinds) > 1:
            raise DataError(
                f"{func}: column '{segment_col}' mixes numbers and text (e.g. "
                f"{labels[labels.map(lambda v: isinstance(v, str))].iloc[0]!r}). Label the "
                "segments all with numbers or all with names."
            )
    return labels


def _numeric_columns(segmented, columns, segment_col, func) -> list[str]:
    if columns is None:
        return [
            c
            for c in segmented.columns
            if c != segment_col
            and pd.api.types.is_numeric_dtype(segmented[c])
            and not pd.api.types.is_bool_dtype(segmented[c])
        ]
    names = check_names(columns, "columns", func)
    require_columns(segmented, names, func)
    return names


def segment_profiles(
    segmented: pd.DataFrame,
    *,
    segment_col: str = "segment",
    columns=None,
    statistic: str = "median",
) -> pd.DataFrame:
    """A profile per segment: its size, its share of revenue and profit, and its typical account.

    Parameters
    ----------
    segmented : pandas.DataFrame
        One row per account with a segment column, e.g. from :func:`fit_segments`.
    segment_col : str, default "segment"
    columns : list of str, optional
        Numeric columns to describe; default every numeric column.
    statistic : {"median", "mean"}
        The typical account: the median (robust to the few very large accounts) or the mean.

    Returns
    -------
    pandas.DataFrame
        One row per segment, columns ``n_accounts, share_of_accounts``, then
        ``share_of_revenue`` and ``share_of_profit`` when ``revenue`` and ``profit`` are
        columns (shares of the totals over all segments), then the statistic of each column.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"segment": [1, 1, 2, 2, 2], "revenue": [80.0, 60.0, 30.0, 20.0, 10.0]})
    >>> segment_profiles(seg)[["n_accounts", "share_of_revenue", "revenue"]]  # doctest: +NORMALIZE_WHITESPACE
             n_accounts  share_of_revenue  revenue
    segment
    1                 2               0.7     70.0
    2                 3               0.3     20.0
    """
    func = "kamlib.segmentation.segment_profiles"
    labels = _segments(segmented, segment_col, func)
    names = _numeric_columns(segmented, columns, segment_col, func)
    if statistic not in ("median", "mean"):
        raise ParameterError(f"{func}: 'statistic' must be 'median' or 'mean', got {statistic!r}.")
    for column in names:
        require_numeric(segmented, column, func)
    groups = segmented[names].groupby(labels.to_numpy())
    out = pd.DataFrame({"n_accounts": labels.value_counts().sort_index()})
    out["share_of_accounts"] = out["n_accounts"] / out["n_accounts"].sum()
    for column in ("revenue", "profit"):
        if column in segmented.columns and column in names:
            total = segmented[column].sum()
            out[f"share_of_{column}"] = segmented.groupby(labels.to_numpy())[column].sum() / total
    typical = groups.median() if statistic == "median" else groups.mean()
    out = out.join(typical)
    out.index.name = segment_col
    return out


def segment_traits(
    segmented: pd.DataFrame,
    *,
    segment_col: str = "segment",
    columns=None,
    log_columns=None,
    n_traits: int = 2,
    threshold: float = 0.5,
) -> pd.DataFrame:
    """Words for each segment: the features on which its centre stands out most.

    Each feature is scaled as in :func:`fit_segments` (log where listed, then z-scores over all
    accounts); a segment's centre is the mean z-score of its accounts. The ``n_traits`` features
    whose centre is furthest from 0 (at least ``threshold`` standard deviations) give the words
    of :data:`TRAIT_WORDS` (the low or the high word); a segment near the average on every
    feature is "average on every feature". The words are a start for a name a manager would
    use, not the name itself.

    Parameters
    ----------
    segmented : pandas.DataFrame
        Accounts with a segment column, e.g. from :func:`fit_segments`.
    segment_col : str, default "segment"
    columns : list of str, optional
        Features to describe; default those of :data:`DEFAULT_FEATURES` in the table.
    log_columns : list of str, optional
        Default :data:`LOG_FEATURES`.
    n_traits : int, default 2
    threshold : float, default 0.5
        Smallest distance from the average, in standard deviations, that counts as a trait.

    Returns
    -------
    pandas.DataFrame
        One row per segment: ``traits`` (the words, joined by ", ") and the centre's z-score on
        each feature.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"segment": [1, 1, 2, 2], "revenue": [900.0, 1000.0, 10.0, 12.0],
    ...                     "growth": [0.0, 0.1, 0.0, 0.1]})
    >>> segment_traits(seg, columns=["revenue", "growth"], n_traits=1)["traits"].tolist()
    ['large spend', 'small spend']
    """
    func = "kamlib.segmentation.segment_traits"
    labels = _segments(segmented, segment_col, func)
    if columns is None:
        columns = [c for c in DEFAULT_FEATURES if c in segmented.columns] or None
    n_traits = int(check_number(n_traits, "n_traits", func, low=1, high=10, integer=True))
    threshold = check_number(threshold, "threshold", func, low=0)
    x, names = _matrix(segmented, columns, log_columns, func)
    centres = pd.DataFrame(x, columns=names).groupby(labels.to_numpy()).mean()
    words = []
    for _, centre in centres.iterrows():
        strongest = centre.abs().sort_values(ascending=False, kind="stable")
        chosen = [c for c in strongest.index[:n_traits] if abs(centre[c]) >= threshold]
        words.append(
            ", ".join(
                TRAIT_WORDS.get(c, (f"low {c}", f"high {c}"))[int(centre[c] > 0)] for c in chosen
            )
            or "average on every feature"
        )
    out = centres.add_prefix("z_")
    out.insert(0, "traits", words)
    out.index.name = segment_col
    return out


def segment_separation(
    segmented: pd.DataFrame,
    values: pd.DataFrame,
    *,
    segment_col: str = "segment",
) -> pd.DataFrame:
    """How much of each variable the segments explain: segment means and eta squared.

    Eta squared is the share of a variable's variance that lies between the segments' means
    (between-segment sum of squares / total sum of squares): 1 when the segments fully
    determine it, 0 when every segment has the same mean. It reads like an R-squared.

    Parameters
    ----------
    segmented : pandas.DataFrame
        Accounts with a segment column, indexed by account.
    values : pandas.DataFrame
        Numeric columns indexed by account (e.g. survey scores, or the hidden traits of the
        simulated course world); accounts are matched on the index.
    segment_col : str, default "segment"

    Returns
    -------
    pandas.DataFrame
        One row per column of ``values``: ``eta_squared``, then the mean in each segment
        (columns ``mean_1, mean_2, ...``); empty when ``values`` has no columns.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"segment": [1, 1, 2, 2]}, index=["A", "B", "C", "D"])
    >>> values = pd.DataFrame({"x": [1.0, 3.0, 5.0, 7.0]}, index=["A", "B", "C", "D"])
    >>> segment_separation(seg, values).round(2)
       eta_squared  mean_1  mean_2
    x          0.8     2.0     6.0
    """
    func = "kamlib.segmentation.segment_separation"
    labels = _segments(segmented, segment_col, func)
    require_frame(values, func, name="values", allow_empty=True)
    if len(values) == 0:
        raise DataError(f"{func}: 'values' has no rows. Pass one row per account.")
    if not segmented.index.is_unique:
        require_unique(segmented.reset_index(), segmented.index.name or "index", func)
    common = segmented.index.intersection(values.index)
    if len(common) < 2:
        raise DataError(
            f"{func}: 'segmented' and 'values' share {len(common)} account(s) in their index. "
            "Index both tables by the account id."
        )
    rows = {}  # 'values' without columns gives an empty table: nothing to explain
    for column in values.columns:
        series = require_numeric(values, column, func).astype(float)
        if not series.index.is_unique:
            raise DataError(f"{func}: 'values' lists an account more than once; index it uniquely.")
        y = series.reindex(common)
        g = labels.reindex(common).to_numpy()
        means = y.groupby(g).mean()
        total = float(((y - y.mean()) ** 2).sum())
        between = float((y.groupby(g).transform("mean") - y.mean()).pow(2).sum())
        rows[column] = {
            "eta_squared": between / total if total > 0 else np.nan,
            **{f"mean_{s}": m for s, m in means.items()},
        }
    return pd.DataFrame(rows).T if rows else pd.DataFrame(columns=["eta_squared"])
