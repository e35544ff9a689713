"""Selecting key accounts: criteria, a weighted scorecard and how stable its ranking is.

A supplier cannot give every account a dedicated team, so it selects its key accounts (大客户)
with a few criteria: strategic fit (战略匹配度), business contribution (业务贡献度: profit,
margin, share of wallet) and stability of cooperation (合作稳定性: tenure, regular ordering).
This module

* builds those criteria per account from the course tables (:func:`account_criteria`);
* scores and ranks accounts on a 0-100 scorecard (:func:`scorecard`);
* shows how the top-N list moves when the weights move (:func:`ranking_sensitivity`,
  :func:`weight_explorer`).

The weights themselves often come from pairwise judgements with the Analytic Hierarchy Process
(层次分析法), in :mod:`kamlib.ahp`; its names are re-exported here, so
``from kamlib.selection import ahp_weights`` works as before.

>>> from kamlib import selection
>>> table = pd.DataFrame({"account_id": ["A", "B", "C"], "fit": [1, 5, 3]})
>>> selection.top_accounts(table, weights={"fit": 1}, top_n=2)
['B', 'C']
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.ahp import (
    CR_THRESHOLD,
    RANDOM_INDEX,
    AHPResult,
    ahp_weights,
    hierarchy_weights,
    normalise_weights,
    pairwise_matrix,
)
from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    as_binary,
    as_called_by,
    as_timestamp,
    check_choice,
    check_names,
    check_number,
    require_columns,
    require_dates,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_numeric,
    require_optional_dates,
    require_unique,
)

__all__ = [
    "CR_THRESHOLD",
    "RANDOM_INDEX",
    "AHPResult",
    "account_criteria",
    "ahp_weights",
    "hierarchy_weights",
    "normalise_weights",
    "pairwise_matrix",
    "plot_ranking_sensitivity",
    "plot_scorecard",
    "ranking_sensitivity",
    "scorecard",
    "top_accounts",
    "weight_explorer",
]


# ---------------------------------------------------------------------------------------------
# Scorecard
# ---------------------------------------------------------------------------------------------
def _normalise(
    table: pd.DataFrame, criteria: list[str], scales, lower_is_better, func: str
) -> pd.DataFrame:
    """Each criterion on a 0-1 scale (1 = best), as :func:`scorecard` documents."""
    scales = {} if scales is None else scales
    if isinstance(scales, str):
        scales = dict.fromkeys(criteria, scales)
    if not isinstance(scales, Mapping):
        raise ParameterError(
            f"{func}: 'scales' must be 'minmax', 'rank' or a dict {{criterion: scale}}, "
            f"got {type(scales).__name__}."
        )
    unknown = [c for c in list(scales) + list(lower_is_better) if c not in criteria]
    if unknown:
        raise ParameterError(
            f"{func}: {unknown!r} in 'scales' or 'lower_is_better' are not weighted criteria "
            f"{criteria!r}."
        )
    out = {}
    for column in criteria:
        values = require_numeric(table, column, func).astype(float)
        scale = scales.get(column, "minmax")
        if isinstance(scale, str) and scale == "rank":
            # Percentile rank: robust to a few huge accounts; ties share their mean rank.
            ranks = values.rank(method="average")
            scaled = (ranks - 1) / (len(values) - 1) if len(values) > 1 else ranks * 0 + 0.5
            out[column] = 1 - scaled if column in lower_is_better else scaled
            continue
        if isinstance(scale, str) and scale == "minmax":
            low, high = values.min(), values.max()
            if high == low:
                warnings.warn(
                    f"{func}: criterion '{column}' has the same value for every row; it gets "
                    "0.5 for all, so it moves no account up or down.",
                    UserWarning,
                    stacklevel=3,
                )
                out[column] = pd.Series(0.5, index=table.index)
                continue
        elif isinstance(scale, tuple | list) and len(scale) == 2:
            low = check_number(scale[0], f"scales[{column!r}][0]", func)
            high = check_number(scale[1], f"scales[{column!r}][1]", func)
            if high <= low:
                raise ParameterError(
                    f"{func}: scales[{column!r}] = {tuple(scale)!r} must be (low, high) with "
                    "low < high."
                )
            outside = (values < low) | (values > high)
            if outside.any():
                raise DataError(
                    f"{func}: column '{column}' has {int(outside.sum())} value(s) outside its "
                    f"fixed scale {low:g}-{high:g}, e.g. {values[outside].head(3).tolist()}. "
                    "Widen the scale or use 'minmax'."
                )
        else:
            raise ParameterError(
                f"{func}: scales[{column!r}] must be 'minmax', 'rank' or a (low, high) pair, got "
                f"{scale!r}."
            )
        scaled = (values - low) / (high - low)
        out[column] = 1 - scaled if column in lower_is_better else scaled
    return pd.DataFrame(out, index=table.index)


def _prepare(table, weights, id_col, func) -> tuple[pd.DataFrame, pd.Series]:
    """Validate the criteria table and weights; return the table indexed by id."""
    require_frame(table, func, name="table")
    weights = normalise_weights(weights, func=func)
    if id_col is not None and not isinstance(id_col, str):
        require_columns(table, [id_col], func)  # refuses a name that is not text
    if id_col is not None and id_col in table.columns:
        require_no_missing(
            table, id_col, func, what="account id", fix="Every row needs its account's id."
        )
        require_unique(table, id_col, func)
        table = table.set_index(id_col)
    elif table.index.hasnans:
        raise DataError(
            f"{func}: the table index has {int(table.index.isna().sum())} missing id(s). "
            "Every row needs its account's id."
        )
    elif table.index.has_duplicates:
        raise DataError(
            f"{func}: the table index repeats ids {table.index[table.index.duplicated()][:3].tolist()}. "
            "Give one row per account."
        )
    require_columns(table, list(weights.index), func)
    return table, weights


def _rank(scores: pd.Series) -> pd.Series:
    """Rank 1 = highest score; ties share the best rank."""
    return scores.rank(ascending=False, method="min").astype(int)


def _top_ids(scores: pd.Series, top_n: int) -> list:
    """The ``top_n`` ids by score; ties broken by id so the list is reproducible."""
    frame = pd.DataFrame({"score": scores.to_numpy(), "id": scores.index})
    frame = frame.sort_values(["score", "id"], ascending=[False, True], kind="mergesort")
    return frame["id"].head(top_n).tolist()


def scorecard(
    table: pd.DataFrame,
    *,
    weights,
    scales=None,
    lower_is_better: Iterable[str] = (),
    id_col: str | None = "account_id",
) -> pd.DataFrame:
    """Score and rank accounts on a weighted multi-criteria scorecard (0-100).

    Each criterion is first put on a 0-1 scale where 1 is best:

    * ``"minmax"`` (default): ``(x - min) / (max - min)`` over the rows given, so the best
      account on that criterion gets 1 and the worst 0. A constant column gets 0.5 for every
      row (with a warning): it cannot separate accounts.
    * ``"rank"``: the percentile rank ``(rank - 1) / (n - 1)`` (ties share their mean rank),
      so the worst account gets 0, the best 1 and the median 0.5. Use it for skewed amounts
      such as profit, where a few very large accounts would push everyone else near 0 on a
      min-max scale.
    * ``(low, high)``: a fixed range such as ``(1, 5)`` for a 1-5 rating, ``(x - low) /
      (high - low)``; values outside the range are an error. Fixed ranges keep an account's
      score unchanged when other accounts join or leave the list.

    Criteria in ``lower_is_better`` are flipped (``1 - scaled``). The score is
    ``100 * sum_k w_k * scaled_k`` with weights ``w`` scaled to sum to 1, so it lies in 0-100.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per account with a numeric column per criterion (e.g. from
        :func:`account_criteria`). Ids come from ``id_col`` if present, else from the index.
    weights : mapping, pandas.Series or AHPResult
        ``{criterion: weight}``, non-negative. Weights that do not sum to 1 are divided by
        their sum (the normalised weights are kept in ``result.attrs["weights"]``).
    scales : "minmax", "rank" or dict, optional
        Scale for every criterion, or ``{criterion: "minmax" | "rank" | (low, high)}``;
        criteria not listed use ``"minmax"``.
    lower_is_better : iterable of str
        Criteria where a smaller value is better (e.g. days to pay).
    id_col : str or None
        Column holding the account id (default ``"account_id"``).

    Returns
    -------
    pandas.DataFrame
        Indexed by account id, sorted best first, with one column per criterion holding its
        points (``100 * w_k * scaled_k``; the points of a row add up to its score), then
        ``score`` (0-100) and ``rank`` (1 = best, ties share the best rank).

    Examples
    --------
    >>> table = pd.DataFrame({"account_id": ["A", "B", "C"], "fit": [5, 3, 1],
    ...                       "profit": [10.0, 40.0, 20.0]})
    >>> card = scorecard(table, weights={"fit": 0.5, "profit": 0.5}, scales={"fit": (1, 5)})
    >>> card.round(1)  # doctest: +NORMALIZE_WHITESPACE
                 fit  profit  score  rank
    account_id
    B           25.0    50.0   75.0     1
    A           50.0     0.0   50.0     2
    C            0.0    16.7   16.7     3
    """
    func = "kamlib.selection.scorecard"
    table, weights = _prepare(table, weights, id_col, func)
    criteria = list(weights.index)
    lower_is_better = check_names(lower_is_better, "lower_is_better", func, allow_empty=True)
    scaled = _normalise(table, criteria, scales, lower_is_better, func)
    points = scaled * (100 * weights)
    result = points.copy()
    result["score"] = points.sum(axis=1).clip(0, 100)  # clip only removes round-off
    result["rank"] = _rank(result["score"])
    order = _top_ids(result["score"], len(result))
    result = result.loc[order]
    result.index.name = id_col or table.index.name
    result.attrs["weights"] = weights.to_dict()
    return result


def top_accounts(table: pd.DataFrame, *, weights, top_n: int = 20, **kwargs) -> list:
    """Ids of the ``top_n`` accounts of :func:`scorecard` (ties broken by id).

    Examples
    --------
    >>> table = pd.DataFrame({"account_id": ["A", "B", "C"], "fit": [1, 5, 3]})
    >>> top_accounts(table, weights={"fit": 1}, top_n=2)
    ['B', 'C']
    """
    func = "kamlib.selection.top_accounts"
    top_n = check_number(top_n, "top_n", func, low=1, integer=True)
    with as_called_by(func):
        return scorecard(table, weights=weights, **kwargs).index[:top_n].tolist()


# ---------------------------------------------------------------------------------------------
# Building the criteria from the course data
# ---------------------------------------------------------------------------------------------
def account_criteria(
    accounts: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    as_of,
    months: int = 12,
    customer_col: str = "account_id",
    date_col: str = "order_date",
    revenue_col: str = "net_revenue_cny",
    cost_col: str = "cogs_cny",
    fit_col: str = "strategic_fit",
    wallet_col: str = "est_annual_spend_cny",
    since_col: str = "customer_since",
    lost_col: str | None = "lost_date",
) -> pd.DataFrame:
    """The selection criteria of every active account, measured over the last ``months`` months.

    The window is the ``months`` calendar months ending with the month of ``as_of`` (orders
    after ``as_of`` are not counted). Accounts that were not yet customers at ``as_of``, or were
    already lost by then (``lost_col`` on or before ``as_of``; empty for accounts never lost),
    are left out with a warning that gives their number.

    Parameters
    ----------
    accounts, orders : pandas.DataFrame
        The course ``accounts`` and ``orders`` tables (or tables with the named columns).
        ``orders`` may be empty: every account then has no orders in the window (revenue,
        profit and regularity 0).
    as_of : date-like
        The day the selection is made.
    months : int
        Length of the window in months (default 12).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``account_id``, one row per active account, columns:

        ``strategic_fit``
            Management's 1-5 rating, copied (a value outside 1-5 is refused).
        ``net_revenue_cny``, ``gross_profit_cny``
            Net revenue and gross profit (revenue minus cost of goods) in the window.
        ``gross_margin``
            Gross profit / net revenue (0 when there was no revenue).
        ``share_of_wallet``
            Net revenue in the window, annualised, over the estimated annual spend; capped at 1
            (the estimate can be below what the account already buys) and 0 when the estimate
            is 0 and nothing was bought.
        ``tenure_years``
            Years from ``customer_since`` to ``as_of``.
        ``order_regularity``
            Share of the window's months (counting only months since the account became a
            customer) with at least one order.
        ``n_orders``
            Orders in the window.

    Examples
    --------
    >>> accounts = pd.DataFrame({"account_id": ["A", "B"], "strategic_fit": [4, 2],
    ...     "est_annual_spend_cny": [1000.0, 500.0],
    ...     "customer_since": pd.to_datetime(["2020-01-01", "2024-07-01"]),
    ...     "lost_date": pd.to_datetime([None, None])})
    >>> orders = pd.DataFrame({"account_id": ["A", "A", "B"],
    ...     "order_date": pd.to_datetime(["2024-02-10", "2024-11-05", "2024-08-01"]),
    ...     "net_revenue_cny": [300.0, 100.0, 200.0], "cogs_cny": [200.0, 60.0, 150.0]})
    >>> c = account_criteria(accounts, orders, as_of="2024-12-31")
    >>> c[["gross_profit_cny", "share_of_wallet", "order_regularity"]].round(3)
    ... # doctest: +NORMALIZE_WHITESPACE
                gross_profit_cny  share_of_wallet  order_regularity
    account_id
    A                      140.0              0.4             0.167
    B                       50.0              0.4             0.167
    """
    func = "kamlib.selection.account_criteria"
    require_frame(accounts, func, name="accounts")
    require_frame(orders, func, name="orders", allow_empty=True)
    account_cols = [customer_col, fit_col, wallet_col, since_col] + (
        [lost_col] if lost_col is not None else []
    )
    require_columns(accounts, account_cols, func)
    require_columns(orders, [customer_col, date_col, revenue_col, cost_col], func)
    require_unique(accounts, customer_col, func)
    fit = require_numeric(accounts, fit_col, func)
    outside = (fit < 1) | (fit > 5)
    if outside.any():
        raise DataError(
            f"{func}: column '{fit_col}' is management's 1-5 rating, but {int(outside.sum())} "
            f"value(s) lie outside 1-5, e.g. {fit[outside].head(3).tolist()}. Correct them or "
            "rescale the rating to 1-5."
        )
    require_non_negative(accounts, wallet_col, func)
    since = require_dates(accounts, since_col, func)
    if not orders.empty:
        require_non_negative(orders, revenue_col, func)
        require_non_negative(orders, cost_col, func)
    order_dates = require_dates(orders, date_col, func) if not orders.empty else orders[date_col]
    as_of = as_timestamp(as_of, "as_of", func)
    months = check_number(months, "months", func, low=1, high=120, integer=True)

    lost = pd.Series(False, index=accounts.index)
    if lost_col is not None:  # an empty lost date means "still a customer"
        lost_dates = require_optional_dates(accounts, lost_col, func)
        lost = lost_dates.notna() & (lost_dates <= as_of)
    not_yet = since > as_of
    excluded = lost | not_yet
    if excluded.any():
        warnings.warn(
            f"{func}: {int(excluded.sum())} account(s) left out: {int(not_yet.sum())} not yet "
            f"customers and {int((lost & ~not_yet).sum())} already lost at {as_of.date()}.",
            UserWarning,
            stacklevel=2,
        )
    active = accounts.loc[~excluded]
    ids = pd.Index(active[customer_col], name="account_id")
    strangers = ~orders[customer_col].isin(accounts[customer_col])
    if strangers.any():
        warnings.warn(
            f"{func}: {int(strangers.sum())} order(s) belong to accounts missing from 'accounts' "
            f"(e.g. {orders.loc[strangers, customer_col].head(3).tolist()}); they are not counted.",
            UserWarning,
            stacklevel=2,
        )

    end_month = as_of.to_period("M")
    start_month = end_month - (months - 1)
    window_start = start_month.to_timestamp()
    in_window = (order_dates >= window_start) & (order_dates <= as_of)
    window = orders.loc[in_window, [customer_col, revenue_col, cost_col]].copy()
    window["month"] = order_dates[in_window].dt.to_period("M")
    window["profit"] = window[revenue_col] - window[cost_col]
    grouped = window.groupby(customer_col, observed=True)
    revenue = grouped[revenue_col].sum().reindex(ids, fill_value=0.0)
    profit = grouped["profit"].sum().reindex(ids, fill_value=0.0)
    n_orders = grouped.size().reindex(ids, fill_value=0)
    months_ordered = grouped["month"].nunique().reindex(ids, fill_value=0)

    # Months in the window during which the account was already a customer (at least one).
    first_month = since.loc[active.index].dt.to_period("M")
    first_month = first_month.where(first_month > start_month, start_month)
    eligible = np.array([(end_month - m).n + 1 for m in first_month], dtype=float)

    wallet = active[wallet_col].to_numpy(dtype=float)
    annual_revenue = revenue.to_numpy() * 12.0 / months
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(
            wallet > 0, annual_revenue / wallet, np.where(annual_revenue > 0, 1.0, 0.0)
        )
        margin = np.where(revenue.to_numpy() > 0, profit.to_numpy() / revenue.to_numpy(), 0.0)
    tenure = (as_of - since.loc[active.index]).dt.days.to_numpy() / 365.25

    return pd.DataFrame(
        {
            "strategic_fit": active[fit_col].to_numpy(),
            "net_revenue_cny": revenue.to_numpy(dtype=float),
            "gross_profit_cny": profit.to_numpy(dtype=float),
            "gross_margin": margin,
            "share_of_wallet": np.minimum(share, 1.0),
            "tenure_years": tenure,
            "order_regularity": months_ordered.to_numpy() / eligible,
            "n_orders": n_orders.to_numpy(dtype=int),
        },
        index=ids,
    )


# ---------------------------------------------------------------------------------------------
# Sensitivity of the ranking to the weights
# ---------------------------------------------------------------------------------------------
def _shift_weight(weights: pd.Series, criterion: str, value: float) -> pd.Series:
    """Set one weight to ``value``; rescale the others in proportion so all sum to 1."""
    shifted = weights.astype(float)
    others = shifted.index != criterion
    total = shifted[others].sum()
    if total > 0:
        shifted[others] = shifted[others] / total * (1 - value)
    elif others.any():  # the others were all zero: share what is left equally
        shifted[others] = (1 - value) / others.sum()
    shifted[criterion] = value
    return shifted


def ranking_sensitivity(
    table: pd.DataFrame,
    weights,
    *,
    top_n: int = 20,
    grid: Iterable[float] | None = None,
    scales=None,
    lower_is_better: Iterable[str] = (),
    id_col: str | None = "account_id",
) -> pd.DataFrame:
    """How the top-N list changes as each weight moves while the others keep their proportions.

    For each criterion ``k`` and each value ``v`` of ``grid``, the weight of ``k`` is set to
    ``v`` and the other weights are rescaled proportionally to sum to ``1 - v``. The accounts
    are re-scored (:func:`scorecard`, same scales) and the new top-N list is compared with the
    top-N under the base weights.

    Parameters
    ----------
    table : pandas.DataFrame
        Criteria table as for :func:`scorecard`.
    weights : mapping, pandas.Series or AHPResult
        The base weights.
    top_n : int
        Size of the key-account list (default 20).
    grid : iterable of float, optional
        Weights to try for each criterion, within 0-1 (default 0, 0.05, ..., 1).
    scales, lower_is_better, id_col
        As for :func:`scorecard`.

    Returns
    -------
    pandas.DataFrame
        One row per (criterion, weight) with ``share_kept`` (share of the base top-N still in
        the top-N), ``jaccard`` (overlap / union of the two lists), ``entered`` (accounts new to
        the list), ``mean_abs_rank_change`` (mean absolute change in rank over all accounts) and
        ``is_base`` (True at the base weight, where nothing changes). The base top-N is in
        ``result.attrs["base_top"]``.

    Examples
    --------
    >>> table = pd.DataFrame({"account_id": list("ABCD"), "x": [4, 3, 2, 1], "y": [1, 4, 2, 3]})
    >>> s = ranking_sensitivity(table, {"x": 0.6, "y": 0.4}, top_n=2, grid=[0, 1])
    >>> s[["criterion", "weight", "share_kept"]]
      criterion  weight  share_kept
    0         x     0.0         0.5
    1         x     0.6         1.0
    2         x     1.0         1.0
    3         y     0.0         1.0
    4         y     0.4         1.0
    5         y     1.0         0.5
    """
    func = "kamlib.selection.ranking_sensitivity"
    top_n = check_number(top_n, "top_n", func, low=1, integer=True)
    table, weights = _prepare(table, weights, id_col, func)
    if top_n > len(table):
        raise ParameterError(
            f"{func}: 'top_n' is {top_n} but the table has only {len(table)} accounts."
        )
    if grid is not None and (isinstance(grid, str | Mapping) or not isinstance(grid, Iterable)):
        raise ParameterError(
            f"{func}: 'grid' must be a list of weights between 0 and 1, got {grid!r}. Pass e.g. "
            "grid=[0, 0.25, 0.5, 0.75, 1]."
        )
    grid = np.round(np.linspace(0, 1, 21), 10) if grid is None else list(grid)
    if len(grid) == 0:
        raise ParameterError(f"{func}: 'grid' is empty. Give weights between 0 and 1 to try.")
    grid = [check_number(v, "grid value", func, low=0, high=1) for v in grid]
    criteria = list(weights.index)
    lower_is_better = check_names(lower_is_better, "lower_is_better", func, allow_empty=True)
    scaled = _normalise(table, criteria, scales, lower_is_better, func)

    def ranked(w: pd.Series) -> tuple[pd.Series, list]:
        scores = pd.Series(scaled.to_numpy() @ w.to_numpy(), index=scaled.index)
        return _rank(scores), _top_ids(scores, top_n)

    base_rank, base_list = ranked(weights)
    base_top = set(base_list)
    rows = []
    for criterion in criteria:
        values = sorted(set(grid) | {float(weights[criterion])})
        for value in values:
            if len(criteria) == 1 and value == 0:
                continue  # a single criterion with weight 0 leaves nothing to rank on
            rank, top_list = ranked(_shift_weight(weights, criterion, value))
            top = set(top_list)
            rows.append(
                {
                    "criterion": criterion,
                    "weight": value,
                    "share_kept": len(top & base_top) / top_n,
                    "jaccard": len(top & base_top) / len(top | base_top),
                    "entered": len(top - base_top),
                    "mean_abs_rank_change": float((rank - base_rank).abs().mean()),
                    "is_base": bool(np.isclose(value, weights[criterion])),
                }
            )
    result = pd.DataFrame(rows)
    result.attrs["base_top"] = base_list
    result.attrs["base_weights"] = weights.to_dict()
    result.attrs["top_n"] = top_n
    return result


def plot_ranking_sensitivity(sensitivity: pd.DataFrame, *, ax=None, measure: str = "share_kept"):
    """Line chart: share of the base top-N kept as each criterion's weight moves.

    Parameters
    ----------
    sensitivity : pandas.DataFrame
        Output of :func:`ranking_sensitivity`.
    measure : {"share_kept", "jaccard"}
        What to draw on the vertical axis.

    Returns
    -------
    matplotlib.axes.Axes
    """
    func = "kamlib.selection.plot_ranking_sensitivity"
    require_frame(sensitivity, func, name="sensitivity")
    check_choice(measure, "measure", func, ["share_kept", "jaccard"])
    require_columns(sensitivity, ["criterion", "weight", measure, "is_base"], func)
    require_no_missing(sensitivity, "criterion", func, what="criterion name")
    for column in ("weight", measure):
        require_numeric(sensitivity, column, func)
    as_binary(sensitivity["is_base"], "is_base", func)
    ax = plot.get_ax(ax)
    for i, (criterion, part) in enumerate(sensitivity.groupby("criterion", sort=False)):
        color = plot.PALETTE[i % len(plot.PALETTE)]
        ax.plot(part["weight"], part[measure], marker=".", color=color, label=criterion)
        base = part[part["is_base"]]
        ax.scatter(base["weight"], base[measure], s=70, color=color, edgecolor="black", zorder=3)
    top_n = sensitivity.attrs.get("top_n", "N")
    what = "Share of today's list kept" if measure == "share_kept" else "Overlap (Jaccard)"
    plot.label(ax, f"How stable is the top-{top_n} list?", "Weight given to the criterion", what)
    plot.share_axis(ax)
    ax.set_ylim(0, 1.05)
    ax.legend(
        title="Criterion\n(dot = chosen weight)", loc="center left", bbox_to_anchor=(1.01, 0.5)
    )
    return ax


def plot_scorecard(card: pd.DataFrame, *, top_n: int = 20, highlight=None, ax=None):
    """Stacked horizontal bars: each top account's score split into its criteria's points.

    Parameters
    ----------
    card : pandas.DataFrame
        Output of :func:`scorecard`.
    top_n : int
        Number of accounts to show.
    highlight : iterable, optional
        Ids to mark with a star in the labels (e.g. accounts that are new to the list).

    Returns
    -------
    matplotlib.axes.Axes
    """
    func = "kamlib.selection.plot_scorecard"
    require_frame(card, func, name="card")
    require_columns(card, ["score", "rank"], func)
    for column in card.columns:  # the criteria's points, the score and the rank
        require_numeric(card, column, func)
    top_n = check_number(top_n, "top_n", func, low=1, integer=True)
    top = card.head(top_n).iloc[::-1]
    criteria = [c for c in card.columns if c not in ("score", "rank")]
    ax = plot.get_ax(ax, figsize=(7.5, max(3.0, 0.28 * len(top) + 1.2)))
    left = np.zeros(len(top))
    for i, criterion in enumerate(criteria):
        values = top[criterion].to_numpy(dtype=float)
        ax.barh(
            range(len(top)),
            values,
            left=left,
            color=plot.PALETTE[i % len(plot.PALETTE)],
            label=criterion,
        )
        left += values
    marked = set(highlight or ())
    ax.set_yticks(range(len(top)))
    ax.set_yticklabels([f"{i} *" if i in marked else str(i) for i in top.index])
    ax.set_xlim(0, 100)
    ax.grid(axis="y", visible=False)
    plot.label(ax, f"Top {len(top)} accounts on the scorecard", "Score (0-100)", "")
    ax.legend(title="Points from", loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    return ax


def weight_explorer(
    table: pd.DataFrame,
    weights=None,
    *,
    top_n: int = 20,
    scales=None,
    lower_is_better: Iterable[str] = (),
    id_col: str | None = "account_id",
):
    """Interactive sliders (one per criterion weight) that redraw the top-N scorecard chart.

    Needs ``ipywidgets`` (imported here, not when kamlib loads). The sliders hold raw weights
    from 0 to 1; they are divided by their sum (:func:`~kamlib.ahp.normalise_weights`) before scoring with
    :func:`scorecard`, and the chart (:func:`plot_scorecard`) stars accounts that are not in
    the top-N of the starting weights.

    Parameters
    ----------
    table : pandas.DataFrame
        Criteria table as for :func:`scorecard`.
    weights : mapping, pandas.Series or AHPResult, optional
        Starting weights (default: equal weights over the table's numeric columns).

    Returns
    -------
    ipywidgets.VBox
        Display it as the last expression of a notebook cell.
    """
    func = "kamlib.selection.weight_explorer"
    require_frame(table, func, name="table")
    if weights is None:
        numeric = [
            c
            for c in table.columns
            if c != id_col
            and pd.api.types.is_numeric_dtype(table[c])
            and not pd.api.types.is_bool_dtype(table[c])
        ]
        weights = dict.fromkeys(numeric, 1.0)
    options = {"scales": scales, "lower_is_better": lower_is_better, "id_col": id_col}
    start = normalise_weights(weights, func=func)
    with as_called_by(func):
        base_top = set(top_accounts(table, weights=start, top_n=top_n, **options))

    import ipywidgets as widgets  # optional dependency, loaded only for the explorer
    import matplotlib.pyplot as plt

    sliders = {
        name: widgets.FloatSlider(
            value=round(float(w), 2),
            min=0.0,
            max=1.0,
            step=0.05,
            description=name,
            style={"description_width": "initial"},
            continuous_update=False,
        )
        for name, w in start.items()
    }
    output = widgets.Output()

    def redraw(_change=None):
        output.clear_output(wait=True)
        with output:
            raw = {name: s.value for name, s in sliders.items()}
            if sum(raw.values()) == 0:
                print("Give at least one criterion a positive weight.")
                return
            card = scorecard(table, weights=raw, **options)
            top = set(card.index[:top_n])
            ax = plot_scorecard(card, top_n=top_n, highlight=top - base_top)
            ax.set_title(f"Top {top_n}: {len(top & base_top)} of the starting list kept (* = new)")
            plt.show()

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox(
        [widgets.HBox(list(sliders.values())[:3]), widgets.HBox(list(sliders.values())[3:]), output]
    )
