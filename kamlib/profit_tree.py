"""The profit tree: where a year's profit comes from, and what moving one lever is worth.

A profit tree splits the company's profit for a year into the four things customer
management can move (Gupta, Lehmann & Stuart 2004; Rust, Lemon & Zeithaml 2004):

- **acquisition**: the gross margin of the accounts won during the year, less what winning
  them cost (``accounts.acquisition_cost_cny``);
- **retention**: the margin the accounts already on the books would have brought at last
  year's level (those kept), and the margin of those lost during the year (``lost_date``);
- **account growth**: how much more (expansion) or less (contraction) the kept accounts
  bought than the year before (from the orders);
- **cost to serve**: the activity-based cost of every visit, call, delivery, return, ...
  (:func:`kamlib.profitability.cost_to_serve`).

Its leaves add up to the year's profit as :func:`kamlib.profitability.customer_profit`
measures it. Each row of :func:`profit_tree` names the kamlib function (and column) that
computes it, so the tree can be traced back to the earlier chapters.

The second half values the levers on the customer base with the retention model of
:func:`kamlib.clv.clv`: one more point of retention, one more point of share of wallet, a cut
in cost to serve; :func:`bootstrap_economics` carries the uncertainty of the estimated rates
through by resampling accounts.

>>> from kamlib.profit_tree import toy_tables, profit_tree
>>> tree = profit_tree(*toy_tables(), year=2024, activity_costs={"visit": 1000, "delivery": 100,
...                    "call": 50})
>>> float(tree.loc[tree["leaf"], "value_cny"].sum())
13800.0
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    as_called_by,
    check_number,
    check_seed,
    require_columns,
    require_frame,
    require_no_missing,
    require_numeric,
)

__all__ = [
    "BRANCHES",
    "account_drivers",
    "base_economics",
    "bootstrap_economics",
    "branch_totals",
    "lever_values",
    "plot_profit_tree",
    "profit_tree",
    "toy_tables",
]

#: The branches of the tree, in the order they are drawn.
BRANCHES = ("acquisition", "retention", "account growth", "cost to serve")

GROUPS = ("new", "kept", "lost", "lost earlier")

#: Columns of :func:`account_drivers`, in order.
DRIVER_COLUMNS = (
    "group",
    "net_revenue",
    "gross_margin",
    "margin_last_year",
    "cost_to_serve",
    "acquisition_cost",
    "profit",
    "wallet",
)


def toy_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Four accounts over 2023-2024 for worked examples and tests: (accounts, orders, activity).

    A and B are kept (A grows, B shrinks), C is lost in mid-2024 and D is won in March 2024.
    With prices visit 1,000, delivery 100 and call 50 yuan, 2024's profit is 13,800 yuan.
    """
    accounts = pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "D"],
            "customer_since": pd.to_datetime(["2020-01-01", "2021-05-01", "2019-03-01", "2024-03-01"]),
            "acquisition_cost_cny": [800.0, 600.0, 700.0, 500.0],
            "lost_date": pd.to_datetime([None, None, "2024-06-30", None]),
            "est_annual_spend_cny": [40000.0, 30000.0, 20000.0, 25000.0],
        }
    )  # fmt: skip
    orders = pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "A", "B", "C", "D"],
            "order_date": pd.to_datetime(
                ["2023-03-01", "2023-04-01", "2023-05-01", "2024-03-01", "2024-04-01",
                 "2024-05-01", "2024-06-01"]
            ),
            "net_revenue_cny": [10000.0, 10000.0, 6000.0, 15000.0, 8000.0, 2000.0, 10000.0],
            "cogs_cny": [6000.0, 5000.0, 3000.0, 9000.0, 5000.0, 1000.0, 3000.0],
        }
    )  # fmt: skip
    orders["gross_revenue_cny"] = orders["net_revenue_cny"]
    orders["discount_cny"] = 0.0
    activity = pd.DataFrame(
        {
            "account_id": ["A", "A", "B", "C", "D", "D"],
            "month": pd.to_datetime(["2024-03-01"] * 2 + ["2024-04-01", "2024-05-01"]
                                    + ["2024-06-01"] * 2),
            "activity": ["visit", "delivery", "delivery", "call", "delivery", "visit"],
            "count": [1, 2, 1, 2, 3, 1],
        }
    )  # fmt: skip
    return accounts, orders, activity


# --- per-account drivers ------------------------------------------------------------------------


def _year(year, func: str) -> int:
    if isinstance(year, bool) or not isinstance(year, numbers.Integral):
        raise ParameterError(f"{func}: 'year' must be a whole year such as 2024, got {year!r}.")
    return int(year)


def account_drivers(
    accounts: pd.DataFrame,
    orders: pd.DataFrame,
    activity: pd.DataFrame,
    *,
    year: int = 2024,
    activity_costs: dict[str, float] | None = None,
    customer_col: str = "account_id",
    since_col: str = "customer_since",
    lost_col: str = "lost_date",
    wallet_col: str | None = "est_annual_spend_cny",
) -> pd.DataFrame:
    """One row per account with the year's money and its place in the customer flow.

    ``group`` is ``"new"`` (won during ``year``), ``"kept"`` (a customer at the start of the
    year and not lost by its end), ``"lost"`` (a customer at the start, lost during the year)
    or ``"lost earlier"`` (lost before the year but with activity in it). Money columns come
    from :func:`kamlib.profitability.customer_profit` for ``year`` (acquisition charged in the
    year won) and, for ``margin_last_year``, for ``year - 1``.

    Parameters
    ----------
    accounts, orders, activity : pandas.DataFrame
        The course tables ``accounts``, ``orders`` and ``service_activity``.
    year : int
        The year to explain.
    activity_costs : dict, optional
        Prices per activity (see :func:`kamlib.profitability.cost_to_serve`).
    customer_col, since_col, lost_col : str
        Columns of ``accounts``.
    wallet_col : str or None
        The account's estimated yearly spend on the category (its wallet); None if unknown.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_col``; columns ``group, net_revenue, gross_margin, margin_last_year,
        cost_to_serve, acquisition_cost, profit, wallet`` (CNY; ``wallet`` NaN without
        ``wallet_col``).

    Examples
    --------
    >>> accounts, orders, activity = toy_tables()
    >>> account_drivers(accounts, orders, activity, year=2024)["group"].tolist()
    ['kept', 'kept', 'lost', 'new']
    """
    from kamlib.profitability import customer_profit

    func = "kamlib.profit_tree.account_drivers"
    year = _year(year, func)
    require_frame(accounts, func, name="accounts")
    require_columns(accounts, [customer_col, since_col, lost_col], func)
    if wallet_col is not None:
        require_columns(accounts, [wallet_col], func)
        require_numeric(accounts, wallet_col, func, allow_missing=True)
    options = {
        "activity_costs": activity_costs,
        "customer_col": customer_col,
        "since_col": since_col,
        "lost_col": lost_col,
    }
    with as_called_by(func):
        now = customer_profit(accounts, orders, activity, period=year, **options)
        before = customer_profit(
            accounts, orders, activity, period=year - 1, acquisition="none", **options
        )
    start = pd.Timestamp(year=year, month=1, day=1)
    end = pd.Timestamp(year=year + 1, month=1, day=1)
    ids = accounts[customer_col].astype(str)
    since = pd.Series(pd.to_datetime(accounts[since_col]).to_numpy(), index=ids).reindex(now.index)
    lost = pd.Series(pd.to_datetime(accounts[lost_col]).to_numpy(), index=ids).reindex(now.index)
    group = np.select(
        [since >= start, lost.notna() & (lost < start), lost.notna() & (lost < end)],
        ["new", "lost earlier", "lost"],
        default="kept",
    )
    out = pd.DataFrame(index=now.index)
    out["group"] = group
    for column in ("net_revenue", "gross_margin"):
        out[column] = now[column]
    out["margin_last_year"] = before["gross_margin"].reindex(now.index, fill_value=0.0)
    for column in ("cost_to_serve", "acquisition_cost", "profit"):
        out[column] = now[column]
    if wallet_col is None:
        out["wallet"] = np.nan
    else:
        out["wallet"] = pd.Series(accounts[wallet_col].astype(float).to_numpy(), index=ids).reindex(
            now.index
        )
    return out


# --- the tree ---------------------------------------------------------------------------------

_SOURCE_PROFIT = "kamlib.profitability.customer_profit"
_SOURCE_SERVE = "kamlib.profitability.cost_to_serve"
_ACTIVITY_LABELS = {
    "visit": "Visits",
    "call": "Calls",
    "email": "Emails",
    "ticket": "Support tickets",
    "complaint": "Complaints",
    "delivery": "Deliveries",
    "expedited_delivery": "Expedited deliveries",
    "return": "Returns",
    "order_change": "Order changes",
    "technical_support": "Technical support",
}


def profit_tree(
    accounts: pd.DataFrame,
    orders: pd.DataFrame,
    activity: pd.DataFrame,
    *,
    year: int = 2024,
    activity_costs: dict[str, float] | None = None,
    customer_col: str = "account_id",
    since_col: str = "customer_since",
    lost_col: str = "lost_date",
) -> pd.DataFrame:
    """The year's profit as a tree of acquisition, retention, account growth and cost to serve.

    Leaves (all in CNY; costs negative):

    - acquisition: ``new_margin`` (gross margin of accounts won in the year),
      ``acquisition_cost`` (their cost of winning);
    - retention: ``kept_base_margin`` (kept accounts' gross margin of last year),
      ``lost_margin`` (what the accounts lost during the year earned before they left),
      ``lost_earlier_margin`` (accounts lost before the year; usually zero);
    - account growth: ``expansion`` and ``contraction`` (kept accounts' change in gross margin
      on last year, the rises and the falls summed apart);
    - cost to serve: one leaf per activity, ``<activity>_cost``.

    The leaves add up to ``customer_profit(...)["profit"].sum()`` for the year.

    Parameters
    ----------
    accounts, orders, activity : pandas.DataFrame
        The course tables ``accounts``, ``orders`` and ``service_activity``.
    year : int
        The year to explain.
    activity_costs : dict, optional
        Prices per activity (see :func:`kamlib.profitability.cost_to_serve`).
    customer_col, since_col, lost_col : str
        Columns of ``accounts``.

    Returns
    -------
    pandas.DataFrame
        One row per node (index ``node``): ``parent`` (None for the root ``profit``),
        ``branch``, ``label`` (in words), ``value_cny``, ``accounts`` (how many accounts the node
        covers), ``leaf`` (bool) and ``source`` (the kamlib function and column behind it).

    Examples
    --------
    >>> tree = profit_tree(*toy_tables(), year=2024,
    ...                    activity_costs={"visit": 1000, "delivery": 100, "call": 50})
    >>> tree.loc[["new_margin", "kept_base_margin", "expansion", "contraction"], "value_cny"].tolist()
    [7000.0, 9000.0, 2000.0, -2000.0]
    """
    from kamlib.profitability import cost_to_serve

    func = "kamlib.profit_tree.profit_tree"
    with as_called_by(func):
        drivers = account_drivers(
            accounts,
            orders,
            activity,
            year=year,
            activity_costs=activity_costs,
            customer_col=customer_col,
            since_col=since_col,
            lost_col=lost_col,
            wallet_col=None,
        )
        serve = cost_to_serve(
            activity, activity_costs=activity_costs, period=int(year), customer_col=customer_col
        )
    serve.index = serve.index.astype(str)
    serve = serve.reindex(drivers.index, fill_value=0.0)
    by = drivers.groupby("group")
    margin = by["gross_margin"].sum().reindex(GROUPS, fill_value=0.0)
    count = by.size().reindex(GROUPS, fill_value=0)
    kept = drivers[drivers["group"] == "kept"]
    change = kept["gross_margin"] - kept["margin_last_year"]
    rows = [
        ("profit", None, "", "Profit of the year", float(drivers["profit"].sum()), len(drivers),
         f"{_SOURCE_PROFIT} ['profit']"),
        ("acquisition", "profit", "acquisition", "Acquisition", np.nan, int(count["new"]), ""),
        ("new_margin", "acquisition", "acquisition", "Gross margin of accounts won",
         float(margin["new"]), int(count["new"]), f"{_SOURCE_PROFIT} ['gross_margin'], new"),
        ("acquisition_cost", "acquisition", "acquisition", "Cost of winning them",
         -float(drivers["acquisition_cost"].sum()), int(count["new"]),
         f"{_SOURCE_PROFIT} ['acquisition_cost'] (accounts.acquisition_cost_cny)"),
        ("retention", "profit", "retention", "Retention", np.nan,
         int(count["kept"] + count["lost"]), ""),
        ("kept_base_margin", "retention", "retention", "Kept accounts at last year's margin",
         float(kept["margin_last_year"].sum()), len(kept),
         f"{_SOURCE_PROFIT} ['gross_margin'] of last year, kept"),
        ("lost_margin", "retention", "retention", "Accounts lost this year (before leaving)",
         float(margin["lost"]), int(count["lost"]),
         f"{_SOURCE_PROFIT} ['gross_margin'], lost (accounts.lost_date)"),
        ("lost_earlier_margin", "retention", "retention", "Accounts lost in earlier years",
         float(margin["lost earlier"]), int(count["lost earlier"]),
         f"{_SOURCE_PROFIT} ['gross_margin'], lost earlier"),
        ("account_growth", "profit", "account growth", "Account growth", np.nan, len(kept), ""),
        ("expansion", "account_growth", "account growth", "Kept accounts buying more",
         float(change[change > 0].sum()), int((change > 0).sum()),
         f"{_SOURCE_PROFIT} ['gross_margin'] this year minus last year, rises"),
        ("contraction", "account_growth", "account growth", "Kept accounts buying less",
         float(change[change < 0].sum()), int((change < 0).sum()),
         f"{_SOURCE_PROFIT} ['gross_margin'] this year minus last year, falls"),
        ("cost_to_serve", "profit", "cost to serve", "Cost to serve", np.nan,
         int((serve["cost_to_serve"] > 0).sum()), ""),
    ]  # fmt: skip
    for column in serve.columns:
        if column == "cost_to_serve":
            continue
        name = column.removesuffix("_cost")
        label = _ACTIVITY_LABELS.get(name, name.replace("_", " ").capitalize())
        rows.append(
            (column, "cost_to_serve", "cost to serve", label,
             -float(serve[column].sum()), int((serve[column] > 0).sum()),
             f"{_SOURCE_SERVE} ['{column}']")
        )  # fmt: skip
    tree = pd.DataFrame(
        rows, columns=["node", "parent", "branch", "label", "value_cny", "accounts", "source"]
    ).set_index("node")
    tree["leaf"] = ~tree.index.isin(tree["parent"].dropna())
    branches = tree[tree["leaf"]].groupby("parent")["value_cny"].sum()
    inner = tree.index.isin(branches.index)
    tree.loc[inner, "value_cny"] = branches.reindex(tree.index[inner]).to_numpy()
    tree.loc[inner, "source"] = "sum of its leaves"
    return tree[["parent", "branch", "label", "value_cny", "accounts", "leaf", "source"]]


def _tree(tree, func: str) -> pd.DataFrame:
    require_frame(tree, func, name="tree")
    require_columns(tree, ["branch", "value_cny", "leaf"], func)
    leaf = tree["leaf"]
    if leaf.dtype != bool:
        raise DataError(f"{func}: column 'leaf' must be True/False, found dtype {leaf.dtype}.")
    require_no_missing(tree, "branch", func, what="branch", fix="Use profit_tree's output.")
    require_numeric(tree, "value_cny", func)
    return tree


def branch_totals(tree: pd.DataFrame) -> pd.Series:
    """The four branches' totals and the profit they add up to (the sum of the leaves).

    Parameters
    ----------
    tree : pandas.DataFrame
        The output of :func:`profit_tree`.

    Returns
    -------
    pandas.Series
        One value per branch of :data:`BRANCHES` present, then ``"profit"`` (CNY).

    Examples
    --------
    >>> tree = profit_tree(*toy_tables(), year=2024,
    ...                    activity_costs={"visit": 1000, "delivery": 100, "call": 50})
    >>> branch_totals(tree).tolist()
    [6500.0, 10000.0, 0.0, -2700.0, 13800.0]
    """
    func = "kamlib.profit_tree.branch_totals"
    tree = _tree(tree, func)
    leaves = tree[tree["leaf"]]
    order = [b for b in BRANCHES if b in set(leaves["branch"])]
    order += sorted(set(leaves["branch"]) - set(order))
    totals = leaves.groupby("branch")["value_cny"].sum().reindex(order).astype(float)
    totals["profit"] = float(leaves["value_cny"].sum())
    totals.name = "value_cny"
    return totals


def plot_profit_tree(tree: pd.DataFrame, *, ax=None, min_share: float = 0.01, title=None):
    """Draw the tree as a waterfall of its leaves, coloured by branch, ending at the profit.

    Leaves smaller than ``min_share`` of the largest leaf are pooled into "other" of their
    branch so the chart stays readable.

    Parameters
    ----------
    tree : pandas.DataFrame
        The output of :func:`profit_tree`.
    ax : matplotlib Axes, optional
    min_share : float, default 0.01
        Leaves below this share of the largest leaf (in size) are pooled per branch.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    func = "kamlib.profit_tree.plot_profit_tree"
    tree = _tree(tree, func)
    min_share = check_number(min_share, "min_share", func, low=0, high=1)
    leaves = tree[tree["leaf"]].copy()
    if "label" not in leaves.columns:
        leaves["label"] = leaves.index.astype(str)
    biggest = float(leaves["value_cny"].abs().max()) or 1.0
    small = leaves["value_cny"].abs() < min_share * biggest
    shown = leaves[~small][["branch", "label", "value_cny"]]
    pooled = leaves[small].groupby("branch")["value_cny"].sum()
    extra = pd.DataFrame(
        {"branch": pooled.index, "label": [f"Other ({b})" for b in pooled.index],
         "value_cny": pooled.to_numpy()}
    )  # fmt: skip
    steps = pd.concat([shown, extra[extra["value_cny"] != 0]], ignore_index=True)
    rank = {b: i for i, b in enumerate(BRANCHES)}
    steps = steps.sort_values("branch", key=lambda s: s.map(rank).fillna(len(rank)), kind="stable")
    colours = dict(zip(BRANCHES, [plot.MAIN, plot.GOOD, plot.ACCENT, plot.BAD], strict=True))
    ax = plot.get_ax(ax, figsize=(9, 0.38 * len(steps) + 1.8))
    level = 0.0
    labels = []
    for i, row in enumerate(steps.itertuples(index=False)):
        left, right = sorted([level, level + row.value_cny])
        ax.barh(i, right - left, left=left, color=colours.get(row.branch, plot.MUTED))
        level += row.value_cny
        labels.append(row.label)
    total = len(steps)
    ax.barh(total, abs(level), left=min(level, 0.0), color="#333333")
    labels.append("Profit of the year")
    ax.set_yticks(range(total + 1), labels)
    ax.invert_yaxis()
    from matplotlib.patches import Patch

    handles = [
        Patch(color=colours[b], label=b.capitalize()) for b in BRANCHES if b in set(steps["branch"])
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    plot.money_axis(ax, "x")
    ax.grid(axis="y", visible=False)
    plot.label(ax, title or "Where the year's profit comes from", "CNY", "")
    return ax


# --- what the levers are worth ------------------------------------------------------------------


def _base(drivers, func: str) -> pd.DataFrame:
    require_frame(drivers, func, name="drivers")
    require_columns(drivers, ["group", "net_revenue", "gross_margin", "cost_to_serve"], func)
    require_no_missing(drivers, "group", func, what="group", fix="Use account_drivers' output.")
    for column in ("net_revenue", "gross_margin", "cost_to_serve"):
        require_numeric(drivers, column, func)
    base = drivers[drivers["group"].isin(["kept", "lost"])]
    kept = base["group"] == "kept"
    if not kept.any():
        raise DataError(
            f"{func}: no account has group 'kept' in 'drivers', so there is no retention rate "
            "and no full-year margin. Pass the output of account_drivers for a year with "
            "customers on the books at its start."
        )
    if base.loc[kept, "net_revenue"].sum() <= 0:
        raise DataError(f"{func}: the kept accounts have no net revenue; no margin rate exists.")
    return base


def _economics(retained, revenue, margin, serve, wallet) -> dict:
    """Vectorised over rows: arrays (draws x accounts); retained is 0/1."""
    kept = retained.sum(axis=-1)
    rev = (revenue * retained).sum(axis=-1)
    out = {
        "accounts": np.full(np.shape(kept), retained.shape[-1], dtype=float),
        "retention": kept / retained.shape[-1],
        "revenue_per_account": rev / kept,
        "gross_margin_rate": (margin * retained).sum(axis=-1) / rev,
        "cost_to_serve_per_account": (serve * retained).sum(axis=-1) / kept,
    }
    out["margin_per_account"] = (
        out["revenue_per_account"] * out["gross_margin_rate"] - out["cost_to_serve_per_account"]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        known = np.isfinite(wallet)
        spend = np.where(known, wallet, 0.0)
        out["wallet_per_account"] = (spend * retained).sum(axis=-1) / (known * retained).sum(-1)
        out["share_of_wallet"] = (np.where(known, revenue, 0.0) * retained).sum(axis=-1) / (
            spend * retained
        ).sum(axis=-1)
    return out


def _arrays(base):
    wallet = (
        base["wallet"].astype(float).to_numpy() if "wallet" in base else np.full(len(base), np.nan)
    )
    return (
        (base["group"] == "kept").to_numpy(dtype=float),
        base["net_revenue"].astype(float).to_numpy(),
        base["gross_margin"].astype(float).to_numpy(),
        base["cost_to_serve"].astype(float).to_numpy(),
        wallet,
    )


def base_economics(drivers: pd.DataFrame) -> pd.Series:
    """The customer base's yearly economics: the inputs of the lever values and scenarios.

    The base is the accounts on the books at the start of the year (groups ``kept`` and
    ``lost`` of :func:`account_drivers`). Per-account figures are those of the kept accounts,
    who were customers the whole year.

    Returns
    -------
    pandas.Series
        ``accounts`` (size of the base), ``retention`` (share kept), ``revenue_per_account``,
        ``gross_margin_rate`` (gross margin / net revenue), ``cost_to_serve_per_account``,
        ``margin_per_account`` (revenue x margin rate - cost to serve), ``wallet_per_account``
        and ``share_of_wallet`` (net revenue / wallet; NaN without wallets).

    Examples
    --------
    >>> drivers = account_drivers(*toy_tables(), year=2024,
    ...     activity_costs={"visit": 1000, "delivery": 100, "call": 50})
    >>> e = base_economics(drivers)
    >>> round(float(e["retention"]), 3), float(e["revenue_per_account"])
    (0.667, 11500.0)
    """
    func = "kamlib.profit_tree.base_economics"
    base = _base(drivers, func)
    values = _economics(*_arrays(base))
    return pd.Series({k: float(v) for k, v in values.items()}, name="value")


def bootstrap_economics(
    drivers: pd.DataFrame, *, n_boot: int = 1000, seed: int = 0
) -> pd.DataFrame:
    """Resample the base's accounts with replacement and recompute :func:`base_economics`.

    Each draw is the base as it might have turned out: the spread of the draws is the sampling
    uncertainty of the retention rate, the margin and the other rates (the bootstrap, Efron &
    Tibshirani 1993). The size of the base stays fixed.

    Parameters
    ----------
    drivers : pandas.DataFrame
        The output of :func:`account_drivers`.
    n_boot : int, default 1000
        Number of resamples.
    seed : int, default 0
        Seed of the random resampling.

    Returns
    -------
    pandas.DataFrame
        One row per draw, the columns of :func:`base_economics`.

    Examples
    --------
    >>> drivers = account_drivers(*toy_tables(), year=2024)
    >>> draws = bootstrap_economics(drivers, n_boot=50, seed=1)
    >>> draws.shape
    (50, 8)
    """
    func = "kamlib.profit_tree.bootstrap_economics"
    n_boot = int(check_number(n_boot, "n_boot", func, low=1, integer=True))
    rng = np.random.default_rng(check_seed(seed, func))
    base = _base(drivers, func)
    arrays = _arrays(base)
    n = len(base)
    parts = []
    chunk = max(1, 2_000_000 // max(n, 1))  # bound the memory of one block of draws
    for first in range(0, n_boot, chunk):
        idx = rng.integers(0, n, size=(min(chunk, n_boot - first), n))
        taken = [a[idx] for a in arrays]
        with np.errstate(invalid="ignore", divide="ignore"):
            parts.append(pd.DataFrame(_economics(*taken)))
    draws = pd.concat(parts, ignore_index=True)
    draws.index.name = "draw"
    return draws


LEVERS = ("retention", "share of wallet", "cost to serve")


def lever_values(
    economics,
    *,
    retention_points: float = 0.01,
    wallet_points: float = 0.01,
    cost_cut: float = 0.05,
    discount_rate: float = 0.10,
) -> pd.DataFrame:
    """What one move of each lever adds to the value of today's customer base.

    The base is worth ``accounts x clv(m, r, d)`` (:func:`kamlib.clv.clv`, margins at the end
    of each year, no end): ``m`` the yearly margin per account after cost to serve, ``r`` the
    retention rate, ``d`` the discount rate. Each lever changes one input:

    - retention ``+ retention_points`` (0.01 is one point): ``r -> r + points``;
    - share of wallet ``+ wallet_points`` of each account's wallet bought at the same gross
      margin rate, with no extra cost to serve: ``m -> m + points x wallet x margin rate``;
    - cost to serve ``- cost_cut`` (a share): ``m -> m + cut x cost to serve``.

    Parameters
    ----------
    economics : pandas.Series or pandas.DataFrame
        One set of :func:`base_economics`, or many (the draws of :func:`bootstrap_economics`).
    retention_points, wallet_points, cost_cut : float
        Size of each move.
    discount_rate : float, default 0.10
        Yearly discount rate.

    Returns
    -------
    pandas.DataFrame
        For a Series: one row per lever (index ``lever``) with ``change``, ``value_cny``
        (added value of the base) and ``share_of_base`` (as a share of the base's value).
        For a DataFrame of draws: one row per draw, columns ``base_value`` and one per lever.

    Examples
    --------
    >>> e = pd.Series({"accounts": 100, "retention": 0.8, "margin_per_account": 1000.0,
    ...     "gross_margin_rate": 0.3, "wallet_per_account": 10000.0,
    ...     "cost_to_serve_per_account": 500.0})
    >>> lever_values(e, discount_rate=0.1)["value_cny"].round(0).tolist()  # 100 x (1000/0.29 - 1000/0.3)
    [11494.0, 10000.0, 8333.0]
    """
    from kamlib.clv import clv

    func = "kamlib.profit_tree.lever_values"
    points = check_number(retention_points, "retention_points", func, low=-1, high=1)
    wallet = check_number(wallet_points, "wallet_points", func, low=-1, high=1)
    cut = check_number(cost_cut, "cost_cut", func, low=-1, high=1)
    d = check_number(discount_rate, "discount_rate", func, low=0)
    single = isinstance(economics, pd.Series)
    if not single and not isinstance(economics, pd.DataFrame):
        raise ParameterError(
            f"{func}: 'economics' must be the Series of base_economics or the DataFrame of "
            f"bootstrap_economics, got {type(economics).__name__}."
        )
    if single and economics.index.duplicated().any():
        raise ParameterError(
            f"{func}: 'economics' names an input twice "
            f"({list(economics.index[economics.index.duplicated()])}); pass base_economics' output."
        )
    table = economics.to_frame().T if single else economics
    need = ["accounts", "retention", "margin_per_account", "gross_margin_rate",
            "wallet_per_account", "cost_to_serve_per_account"]  # fmt: skip
    require_columns(table, need, func)
    for column in need:
        require_numeric(table, column, func, allow_missing=column == "wallet_per_account")
    x = {c: table[c].astype(float).to_numpy() for c in need}
    r = x["retention"]
    if ((r < 0) | (r + points >= 1) | (r + points < 0)).any():
        raise ParameterError(
            f"{func}: retention plus 'retention_points' must stay in [0, 1); found retention "
            f"from {r.min():.3f} to {r.max():.3f} with retention_points={points}."
        )
    m = x["margin_per_account"]
    with as_called_by(func):
        base = x["accounts"] * clv(m, r, d)
        values = {
            "retention": x["accounts"] * clv(m, r + points, d) - base,
            "share of wallet": x["accounts"]
            * clv(wallet * x["wallet_per_account"] * x["gross_margin_rate"], r, d),
            "cost to serve": x["accounts"] * clv(cut * x["cost_to_serve_per_account"], r, d),
        }
    if not single:
        out = pd.DataFrame({"base_value": base, **values}, index=table.index)
        return out
    return pd.DataFrame(
        {
            "change": [points, wallet, cut],
            "value_cny": [float(values[k][0]) for k in LEVERS],
            "share_of_base": [float(values[k][0] / base[0]) for k in LEVERS],
        },
        index=pd.Index(list(LEVERS), name="lever"),
    )
