"""Recency, frequency and monetary value (RFM): reading purchase records to find key accounts.

RFM describes each customer by three numbers taken from its orders up to an *as-of* date:

* **recency** (最近一次消费): days since the last order, small is good;
* **frequency** (消费频率): how many orders it placed;
* **monetary value** (消费金额): how much it spent.

The three steps of the method are three functions:

1. :func:`rfm_table` turns an order table into one row per customer;
2. :func:`rfm_scores` turns each measure into a score from 1 (worst) to ``bins`` (best) by
   quantiles, and adds the three-digit ``rfm_code`` (e.g. ``"545"``) and the total ``rfm_score``;
3. :func:`rfm_segments` names a segment for every customer (Champions, At risk, Lost, ...).

:func:`segment_summary` and :func:`plot_segments` describe the segments.

>>> import pandas as pd
>>> orders = pd.DataFrame({
...     "order_id": ["O1", "O2", "O3", "O4"],
...     "account_id": ["A1", "A1", "A2", "A3"],
...     "order_date": pd.to_datetime(["2024-01-10", "2024-03-01", "2024-02-01", "2023-06-30"]),
...     "net_revenue_cny": [100.0, 300.0, 50.0, 80.0],
... })
>>> rfm_table(orders, as_of="2024-03-31")[["recency_days", "frequency", "monetary"]].reset_index()
  account_id  recency_days  frequency  monetary
0         A1            30          2     400.0
1         A2            59          1      50.0
2         A3           275          1      80.0
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from kamlib import plot as kplot
from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    as_called_by,
    as_timestamp,
    check_number,
    require_columns,
    require_dates,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_numeric,
)

__all__ = [
    "SEGMENTS",
    "plot_segments",
    "rfm_scores",
    "rfm_segments",
    "rfm_table",
    "segment_summary",
]

#: The segments of :func:`rfm_segments`, best first, each with the rule that defines it
#: (recency level, frequency-and-monetary level) and what the account team should do.
SEGMENTS: dict[str, dict[str, str]] = {
    "Champions": {
        "rule": "recency high, frequency/monetary high",
        "action": "Reward and involve them; treat as key accounts.",
    },
    "Loyal": {
        "rule": "recency middle, frequency/monetary high",
        "action": "Keep close; offer account plans and regular reviews.",
    },
    "Potential loyalists": {
        "rule": "recency high, frequency/monetary middle",
        "action": "Develop: cross-sell and up-sell to grow them.",
    },
    "Promising": {
        "rule": "recency high, frequency/monetary low",
        "action": "New or small but active: on-board well, learn their needs.",
    },
    "Need attention": {
        "rule": "recency middle, frequency/monetary middle",
        "action": "Find out why buying slowed before it stops.",
    },
    "Can't lose": {
        "rule": "recency low, frequency/monetary high",
        "action": "Big buyers gone quiet: senior contact now, win them back.",
    },
    "At risk": {
        "rule": "recency low, frequency/monetary middle",
        "action": "Reactivate with a personal call or offer.",
    },
    "Hibernating": {
        "rule": "recency middle, frequency/monetary low",
        "action": "Low-cost contact only (e-mail, online channel).",
    },
    "Lost": {
        "rule": "recency low, frequency/monetary low",
        "action": "Spend little; try one win-back offer at most.",
    },
}

# (recency level, frequency/monetary level) -> segment; the 3 x 3 grid covers every case once.
_GRID = {
    ("high", "high"): "Champions",
    ("middle", "high"): "Loyal",
    ("high", "middle"): "Potential loyalists",
    ("high", "low"): "Promising",
    ("middle", "middle"): "Need attention",
    ("low", "high"): "Can't lose",
    ("low", "middle"): "At risk",
    ("middle", "low"): "Hibernating",
    ("low", "low"): "Lost",
}

_SCORE_COLUMNS = ("r_score", "f_score", "m_score")


def rfm_table(
    orders: pd.DataFrame,
    *,
    as_of,
    customer_col: str = "account_id",
    date_col: str = "order_date",
    value_col: str = "net_revenue_cny",
    order_col: str = "order_id",
) -> pd.DataFrame:
    """Recency, frequency and monetary value of every customer, as of a given date.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order (or per order line: rows of the same order count once in the
        frequency, and all their values are added up).
    as_of : str, date or Timestamp
        The day the analysis is made. Orders placed **after** this day are left out, with a
        ``UserWarning`` saying how many; orders placed on the day itself count (recency 0).
        Dates are compared by calendar day.
    customer_col, date_col, value_col, order_col : str
        Names of the customer, order date, order value and order identifier columns.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer (sorted), with columns

        * ``last_order_date``: date of the customer's last order up to ``as_of``;
        * ``recency_days``: whole days from that order to ``as_of``;
        * ``frequency``: number of **distinct orders** (not distinct days: two orders on one
          day count as two, because each is a separate purchase decision);
        * ``monetary``: total value of those orders.

        Customers with no order up to ``as_of`` do not appear.

    Raises
    ------
    ~kamlib.errors.DataError
        If a column is missing, dates or values are malformed, a value is negative or missing,
        or no order is left on or before ``as_of``.
    ~kamlib.errors.ParameterError
        If ``as_of`` is not a date.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "order_id": ["O1", "O2", "O3"],
    ...     "account_id": ["A1", "A1", "A2"],
    ...     "order_date": ["2024-12-01", "2024-12-21", "2024-06-30"],
    ...     "net_revenue_cny": [1000.0, 500.0, 2000.0],
    ... })
    >>> rfm_table(orders, as_of="2024-12-31").reset_index()
      account_id last_order_date  recency_days  frequency  monetary
    0         A1      2024-12-21            10          2    1500.0
    1         A2      2024-06-30           184          1    2000.0
    """
    func = "kamlib.rfm.rfm_table"
    require_frame(orders, func, name="orders")
    require_columns(orders, [customer_col, date_col, value_col, order_col], func)
    stamp = as_timestamp(as_of, "as_of", func)
    # Rows without an identifier would belong to no customer or to no order.
    require_no_missing(orders, customer_col, func, what="identifier")
    require_no_missing(orders, order_col, func, what="identifier")
    dates = require_dates(orders, date_col, func)
    require_non_negative(orders, value_col, func)
    if (dates.dt.tz is None) != (stamp.tz is None):
        raise ParameterError(
            f"{func}: 'as_of' ({stamp}) and column '{date_col}' must both have a time zone or "
            "both have none. Pass a plain date such as '2024-12-31'."
        )

    day = dates.dt.normalize()
    as_of_day = stamp.normalize()
    keep = (day <= as_of_day).to_numpy()
    if not keep.any():
        raise DataError(
            f"{func}: no order on or before as_of={as_of_day.date()} (the first order is on "
            f"{day.min().date()}). Choose a later 'as_of' date."
        )
    if not keep.all():
        warnings.warn(
            f"{func}: {int((~keep).sum())} order row(s) after as_of={as_of_day.date()} were "
            "left out of the RFM table.",
            UserWarning,
            stacklevel=2,
        )

    kept = pd.DataFrame(
        {
            "customer": orders[customer_col].to_numpy()[keep],
            "day": day.to_numpy()[keep],
            "order": orders[order_col].to_numpy()[keep],
            "value": orders[value_col].to_numpy(dtype=float)[keep],
        }
    )
    grouped = kept.groupby("customer", sort=True)
    table = pd.DataFrame(
        {
            "last_order_date": grouped["day"].max(),
            "frequency": grouped["order"].nunique().astype(np.int64),
            "monetary": grouped["value"].sum().astype(float),
        }
    )
    table.insert(1, "recency_days", (as_of_day - table["last_order_date"]).dt.days.astype(np.int64))
    table.index.name = customer_col
    return table


def _quantile_score(values: pd.Series, bins: int, *, higher_is_better: bool) -> pd.Series:
    """Score 1..bins from the mid-point of each value's rank interval (see rfm_scores)."""
    n = len(values)
    # Average rank doubled is an integer, so the floor below is exact integer arithmetic.
    twice_rank = (2 * values.rank(method="average", ascending=higher_is_better)).round()
    twice_rank = twice_rank.astype(np.int64)
    score = (bins * (twice_rank - 1)) // (2 * n) + 1
    return score.clip(upper=bins).astype(np.int64)


def rfm_scores(
    rfm: pd.DataFrame,
    *,
    bins: int = 5,
    recency_col: str = "recency_days",
    frequency_col: str = "frequency",
    monetary_col: str = "monetary",
) -> pd.DataFrame:
    """Quantile scores from 1 (worst) to ``bins`` (best) for recency, frequency and monetary value.

    The scoring rule, the same for each measure: rank the ``n`` customers from worst to best
    (for recency, the *longest* gap is worst, so a recent buyer scores high); a customer of
    rank ``r`` covers the share ``(r - 1)/n`` to ``r/n`` of the customers, whose mid-point
    ``p = (r - 0.5)/n`` decides the score::

        score = floor(bins * p) + 1        (a mid-point exactly on a boundary goes up)

    With distinct values and ``n`` a multiple of ``bins`` this gives equal groups (the usual
    quintiles for ``bins=5``).

    * **Ties**: equal values share one rank, the average of the ranks they cover, and so get
      the same score. A big tie (say, most accounts placed exactly one order) lands in the
      score of its mid-point, so some scores may not occur at all; that is honest, since
      those customers cannot be told apart.
    * **Small groups**: the rule needs no minimum size. With fewer customers than ``bins`` the
      scores spread over the range (three customers get 1, 3 and 5 with ``bins=5``); a single
      customer, or customers who all have the same value, get the middle score
      ``floor(bins/2) + 1``.

    Parameters
    ----------
    rfm : pandas.DataFrame
        One row per customer, e.g. from :func:`rfm_table`.
    bins : int, default 5
        Number of score levels, 2 to 9 (one digit each in ``rfm_code``).
    recency_col, frequency_col, monetary_col : str
        Names of the three measures.

    Returns
    -------
    pandas.DataFrame
        A copy of ``rfm`` with ``r_score``, ``f_score``, ``m_score`` (integers 1..bins),
        ``rfm_code`` (text such as ``"545"``: R, F, M digits) and ``rfm_score`` (the **sum** of
        the three scores, from 3 to ``3 * bins``).

    Examples
    --------
    >>> import pandas as pd
    >>> rfm = pd.DataFrame(
    ...     {"recency_days": [5, 40, 300], "frequency": [12, 3, 3], "monetary": [9e5, 2e5, 1e4]},
    ...     index=pd.Index(["A1", "A2", "A3"], name="account_id"),
    ... )
    >>> scores = rfm_scores(rfm, bins=3)
    >>> scores[["r_score", "f_score", "m_score", "rfm_code", "rfm_score"]].reset_index()
      account_id  r_score  f_score  m_score rfm_code  rfm_score
    0         A1        3        3        3      333          9
    1         A2        2        2        2      222          6
    2         A3        1        2        1      121          4

    A2 and A3 placed the same number of orders, so they share a frequency score: their tie
    covers ranks 1-2 of 3, whose mid-point 1/3 sits on the boundary between scores 1 and 2.
    """
    func = "kamlib.rfm.rfm_scores"
    require_frame(rfm, func, name="rfm")
    require_columns(rfm, [recency_col, frequency_col, monetary_col], func)
    bins = check_number(bins, "bins", func, low=2, high=9, integer=True)
    for column in (recency_col, frequency_col, monetary_col):
        require_non_negative(rfm, column, func)

    out = rfm.copy()
    out["r_score"] = _quantile_score(rfm[recency_col], bins, higher_is_better=False)
    out["f_score"] = _quantile_score(rfm[frequency_col], bins, higher_is_better=True)
    out["m_score"] = _quantile_score(rfm[monetary_col], bins, higher_is_better=True)
    digits = [out[c].astype(str) for c in _SCORE_COLUMNS]
    out["rfm_code"] = (digits[0] + digits[1] + digits[2]).astype("str")
    out["rfm_score"] = (out["r_score"] + out["f_score"] + out["m_score"]).astype(np.int64)
    return out


def _levels(twice_position: pd.Series, bins: int) -> pd.Series:
    """'low', 'middle' or 'high' third of the 1..bins scale, from twice a (mean) score."""
    # Position on a 0-1 scale is (s - 1)/(bins - 1); compare 3 * 2 * (s - 1) with 2 and 4
    # times (bins - 1) so the thirds are decided in exact integer arithmetic.
    scaled = 3 * (twice_position - 2)
    span = bins - 1
    return pd.Series(
        np.select([scaled <= 2 * span, scaled >= 4 * span], ["low", "high"], default="middle"),
        index=twice_position.index,
    )


def rfm_segments(scores: pd.DataFrame, *, bins: int = 5) -> pd.DataFrame:
    """Name a segment for every customer from its RFM scores.

    Two numbers decide the segment: the recency score R, and the frequency-and-monetary score
    FM = (F + M) / 2. Each is put in the low, middle or high third of the 1..``bins`` scale,
    using its position ``(s - 1) / (bins - 1)``: low up to 1/3, high from 2/3, middle in
    between. For ``bins=5``: R of 1-2 is low, 3 middle, 4-5 high; FM of 1-2 low, 2.5-3.5
    middle, 4-5 high. The 3 x 3 grid of levels names the segment (see :data:`SEGMENTS`):

    ==========  ============  ===================  ==========
    R level     FM low        FM middle            FM high
    ==========  ============  ===================  ==========
    high        Promising     Potential loyalists  Champions
    middle      Hibernating   Need attention       Loyal
    low         Lost          At risk              Can't lose
    ==========  ============  ===================  ==========

    Every customer falls in exactly one cell, so in exactly one segment.

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`rfm_scores` (needs ``r_score``, ``f_score``, ``m_score``).
    bins : int, default 5
        The ``bins`` used for the scores.

    Returns
    -------
    pandas.DataFrame
        A copy of ``scores`` with ``fm_score`` (float) and ``segment`` (a categorical whose
        categories are the keys of :data:`SEGMENTS`, in that order, best first).

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"r_score": [5, 1, 3], "f_score": [5, 5, 1], "m_score": [4, 4, 2]},
    ...                       index=["A1", "A2", "A3"])
    >>> rfm_segments(scores)["segment"].tolist()
    ['Champions', "Can't lose", 'Hibernating']
    """
    func = "kamlib.rfm.rfm_segments"
    require_frame(scores, func, name="scores")
    require_columns(scores, _SCORE_COLUMNS, func)
    bins = check_number(bins, "bins", func, low=2, high=9, integer=True)
    for column in _SCORE_COLUMNS:
        values = require_numeric(scores, column, func)
        bad = ~values.isin(range(1, bins + 1))
        if bad.any():
            raise DataError(
                f"{func}: column '{column}' must hold whole scores from 1 to bins={bins}, found "
                f"{sorted(set(values[bad].tolist()))[:5]}. Pass the same 'bins' as to rfm_scores."
            )

    r_level = _levels(2 * scores["r_score"].astype(np.int64), bins)
    fm_level = _levels(
        scores["f_score"].astype(np.int64) + scores["m_score"].astype(np.int64), bins
    )
    names = [_GRID[pair] for pair in zip(r_level, fm_level, strict=True)]
    out = scores.copy()
    out["fm_score"] = (scores["f_score"] + scores["m_score"]) / 2
    out["segment"] = pd.Categorical(names, categories=list(SEGMENTS), ordered=False)
    return out


def segment_summary(
    segments: pd.DataFrame,
    *,
    segment_col: str = "segment",
    value_col: str = "monetary",
) -> pd.DataFrame:
    """Customers and value per segment, with each segment's share of both.

    Parameters
    ----------
    segments : pandas.DataFrame
        One row per customer with a segment and a value, e.g. from :func:`rfm_segments`.
    segment_col, value_col : str
        Names of the segment and value columns.

    Returns
    -------
    pandas.DataFrame
        Indexed by segment (every category, in order, empty ones with zeros), with
        ``customers``, ``customer_share``, ``value`` and ``value_share``.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"segment": ["Champions", "Lost", "Champions"],
    ...                      "monetary": [600.0, 100.0, 300.0]})
    >>> segment_summary(data).reset_index()
         segment  customers  customer_share  value  value_share
    0  Champions          2        0.666667  900.0          0.9
    1       Lost          1        0.333333  100.0          0.1
    """
    func = "kamlib.rfm.segment_summary"
    require_frame(segments, func, name="segments")
    require_columns(segments, [segment_col, value_col], func)
    require_non_negative(segments, value_col, func)
    require_no_missing(segments, segment_col, func, what="segment")
    total = float(segments[value_col].sum())
    if total <= 0:
        raise DataError(
            f"{func}: column '{value_col}' adds up to 0, so value shares are undefined. "
            "Pass customers with some value."
        )
    groups = segments.groupby(segment_col, observed=False, sort=True)
    summary = pd.DataFrame(
        {
            "customers": groups.size().astype(np.int64),
            "value": groups[value_col].sum().astype(float),
        }
    )
    summary.insert(1, "customer_share", summary["customers"] / len(segments))
    summary["value_share"] = summary["value"] / total
    summary.index.name = segment_col
    return summary


def plot_segments(
    segments: pd.DataFrame,
    *,
    segment_col: str = "segment",
    value_col: str = "monetary",
    ax=None,
):
    """Bar chart: each segment's share of customers next to its share of revenue.

    Parameters
    ----------
    segments : pandas.DataFrame
        One row per customer, e.g. from :func:`rfm_segments`.
    segment_col, value_col : str
        Names of the segment and value columns.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"segment": ["Champions", "Lost"], "monetary": [900.0, 100.0]})
    >>> ax = plot_segments(data)
    >>> ax.get_title()
    'Customers and revenue by RFM segment'
    """
    with as_called_by("kamlib.rfm.plot_segments"):
        summary = segment_summary(segments, segment_col=segment_col, value_col=value_col)
    ax = kplot.get_ax(ax, figsize=(8, 0.45 * len(summary) + 1.5))
    y = np.arange(len(summary))
    height = 0.4
    ax.barh(y - height / 2, summary["customer_share"], height, color=kplot.MUTED, label="Customers")
    ax.barh(y + height / 2, summary["value_share"], height, color=kplot.MAIN, label="Revenue")
    for i, (count, share) in enumerate(
        zip(summary["customers"], summary["value_share"], strict=True)
    ):
        ax.annotate(
            f"{count} customers, {share:.0%} of revenue",
            (max(share, summary["customer_share"].iloc[i]), i),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8.5,
        )
    ax.set_yticks(y, [str(s) for s in summary.index])
    ax.invert_yaxis()
    ax.set_xlim(0, min(1.0, 1.35 * float(summary[["customer_share", "value_share"]].max().max())))
    kplot.share_axis(ax, "x")
    kplot.label(ax, "Customers and revenue by RFM segment", "Share of all customers / revenue", "")
    ax.legend(loc="lower right")
    return ax
