"""How concentrated is revenue? Pareto tables, the Lorenz curve, the Gini coefficient.

Every function takes either a Series of values indexed by customer, or a transactions table
(one row per order) that it first sums per customer with ``customer_col`` and ``value_col``.

>>> import pandas as pd
>>> from kamlib import concentration
>>> revenue = pd.Series([50, 20, 10, 10, 5, 5], index=list("abcdef"))
>>> concentration.top_share(revenue, fraction=0.2)   # the 2 largest of 6 customers
0.7
>>> round(concentration.gini(pd.Series([1, 2, 3, 4])), 4)
0.25
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.errors import DataError
from kamlib.validation import (
    check_number,
    drop_missing_keys,
    require_columns,
    require_frame,
    require_non_negative,
)

__all__ = [
    "decile_table",
    "gini",
    "lorenz_curve",
    "pareto_table",
    "plot_lorenz",
    "plot_pareto",
    "top_share",
    "value_by_customer",
]


def value_by_customer(
    data,
    *,
    customer_col: str = "account_id",
    value_col: str = "net_revenue_cny",
    func: str = "value_by_customer",
) -> pd.Series:
    """Total value per customer, largest first, from a Series or a transactions table.

    Values must be non-negative (use revenue, not profit: concentration measures need shares
    of a positive total). Raises DataError on an empty table, a missing column, non-numeric,
    missing or negative values, or a zero total. Rows of a table without a customer id are
    left out with a warning that gives their number and the value they carry.
    """
    name = func if func.startswith("kamlib.") else f"kamlib.concentration.{func}"
    if isinstance(data, pd.Series):
        label = data.name if isinstance(data.name, str) and data.name else "values"
        if data.index.hasnans:
            raise DataError(
                f"{name}: the Series has {int(data.index.isna().sum())} value(s) without a "
                "customer label in its index. Label every value with its customer."
            )
        frame = pd.DataFrame({customer_col: data.index, label: data.to_numpy()})
        require_non_negative(frame, label, name)
        value_col = label
    else:
        frame = require_frame(data, name)
        require_columns(frame, [customer_col, value_col], name)
        require_non_negative(frame, value_col, name)
        frame = drop_missing_keys(frame, customer_col, name, value_col=value_col)
    totals = frame.groupby(customer_col, observed=True, sort=False)[value_col].sum()
    if totals.sum() <= 0:
        raise DataError(
            f"{name}: the values in '{value_col}' add up to zero, so shares are undefined. "
            "Pass a period or group with some revenue."
        )
    totals = totals.sort_values(ascending=False, kind="stable")
    return totals.rename("value")


def pareto_table(
    data, *, customer_col: str = "account_id", value_col: str = "net_revenue_cny"
) -> pd.DataFrame:
    """Customers ranked by value with their share and cumulative share.

    Returns
    -------
    DataFrame
        One row per customer, largest first: ``rank`` (1 = largest), the customer id column,
        ``value``, ``share`` (of the total), ``cumulative_share`` and ``customer_share``
        (rank / number of customers), so a row reads "the top x% of customers bring y%".
    """
    return _pareto_table(data, customer_col, value_col, "kamlib.concentration.pareto_table")


def _pareto_table(data, customer_col, value_col, func: str) -> pd.DataFrame:
    totals = value_by_customer(data, customer_col=customer_col, value_col=value_col, func=func)
    table = totals.rename_axis(customer_col).reset_index()
    n = len(table)
    table.insert(0, "rank", np.arange(1, n + 1))
    table["share"] = table["value"] / table["value"].sum()
    table["cumulative_share"] = table["share"].cumsum().clip(upper=1.0)
    table["customer_share"] = table["rank"] / n
    return table


def top_share(
    data,
    *,
    fraction: float = 0.2,
    customer_col: str = "account_id",
    value_col: str = "net_revenue_cny",
) -> float:
    """Share of total value from the largest ``fraction`` of customers.

    The top group is the ceil(fraction x n) largest customers, so with 6 customers the "top
    20%" is 2 customers (1.2 rounded up): a group never rounds down to nobody.
    """
    fraction = check_number(
        fraction, "fraction", "kamlib.concentration.top_share", low=0, high=1, low_inclusive=False
    )
    totals = value_by_customer(
        data, customer_col=customer_col, value_col=value_col, func="top_share"
    )
    k = math.ceil(round(fraction * len(totals), 9))
    return float(totals.iloc[:k].sum() / totals.sum())


def decile_table(
    data, *, groups: int = 10, customer_col: str = "account_id", value_col: str = "net_revenue_cny"
) -> pd.DataFrame:
    """Value by equal-sized groups of customers (deciles by default), largest first.

    Group g holds the customers ranked between (g-1)/groups and g/groups of the way down the
    list; with n not divisible by ``groups`` the groups differ in size by at most one.
    """
    return _decile_table(data, groups, customer_col, value_col, "kamlib.concentration.decile_table")


def _decile_table(data, groups, customer_col, value_col, func: str) -> pd.DataFrame:
    groups = check_number(groups, "groups", func, low=2, integer=True)
    table = _pareto_table(data, customer_col, value_col, func)
    if len(table) < groups:
        raise DataError(
            f"{func}: {len(table)} customers cannot fill {groups} groups. "
            "Use fewer groups or more customers."
        )
    table["group"] = np.ceil(table["customer_share"] * groups - 1e-9).astype(int)
    out = table.groupby("group").agg(customers=("rank", "size"), value=("value", "sum"))
    out["share"] = out["value"] / out["value"].sum()
    out["cumulative_share"] = out["share"].cumsum().clip(upper=1.0)
    return out.reset_index()


def lorenz_curve(
    data, *, customer_col: str = "account_id", value_col: str = "net_revenue_cny"
) -> pd.DataFrame:
    """Points of the Lorenz curve: customers from smallest to largest, starting at (0, 0).

    Columns ``customer_share`` (cumulative share of customers) and ``value_share`` (cumulative
    share of value). A straight diagonal means every customer is worth the same.
    """
    totals = value_by_customer(
        data, customer_col=customer_col, value_col=value_col, func="lorenz_curve"
    )
    return _lorenz(totals)


def _lorenz(totals: pd.Series) -> pd.DataFrame:
    ascending = np.sort(totals.to_numpy())
    n = len(ascending)
    return pd.DataFrame(
        {
            "customer_share": np.arange(n + 1) / n,
            "value_share": np.concatenate([[0.0], np.cumsum(ascending) / ascending.sum()]),
        }
    )


def gini(data, *, customer_col: str = "account_id", value_col: str = "net_revenue_cny") -> float:
    """Gini coefficient of value across customers: 0 = all equal, (n-1)/n = one has everything.

    Computed as G = 2 * sum_i(i * x_(i)) / (n * sum x) - (n + 1) / n with values sorted
    ascending (i = 1..n), which equals one minus twice the area under the Lorenz curve.
    """
    totals = value_by_customer(data, customer_col=customer_col, value_col=value_col, func="gini")
    return _gini(totals)


def _gini(totals: pd.Series) -> float:
    x = np.sort(totals.to_numpy(dtype=float))
    n = len(x)
    return float(2 * np.dot(np.arange(1, n + 1), x) / (n * x.sum()) - (n + 1) / n)


def plot_pareto(
    data,
    *,
    groups: int = 10,
    ax=None,
    customer_col: str = "account_id",
    value_col: str = "net_revenue_cny",
):
    """Bars: share of value from each tenth of customers; line: the cumulative share."""
    func = "kamlib.concentration.plot_pareto"
    table = _decile_table(data, groups, customer_col, value_col, func)
    ax = plot.get_ax(ax)
    labels = [
        f"Top {100 * g // groups}%" if g == 1 else f"{100 * g // groups}%" for g in table["group"]
    ]
    ax.bar(labels, table["share"], color=plot.MAIN, label="Share of revenue")
    ax.plot(
        labels, table["cumulative_share"], color=plot.ACCENT, marker="o", label="Cumulative share"
    )
    fifth = max(1, groups // 5)  # the group that ends at the top 20%
    top = table["cumulative_share"].iloc[fifth - 1]
    ax.annotate(
        f"Top {100 * fifth // groups}% of accounts: {top:.0%} of revenue",
        (fifth - 1, top),
        xytext=(12, -4),
        textcoords="offset points",
        color=plot.ACCENT,
        fontweight="bold",
    )
    ax.set_ylim(0, 1.05)
    plot.share_axis(ax)
    ax.legend(loc="center right")
    return plot.label(
        ax,
        "Revenue concentration (Pareto chart)",
        "Accounts ranked by revenue, in equal groups (cumulative share of accounts)",
        "Share of revenue",
    )


def plot_lorenz(
    data,
    *,
    ax=None,
    label: str = "Accounts",
    customer_col: str = "account_id",
    value_col: str = "net_revenue_cny",
):
    """The Lorenz curve against the line of equality, with the Gini coefficient in the legend."""
    totals = value_by_customer(
        data, customer_col=customer_col, value_col=value_col, func="plot_lorenz"
    )
    curve, g = _lorenz(totals), _gini(totals)
    ax = plot.get_ax(ax)
    ax.plot([0, 1], [0, 1], color=plot.MUTED, linestyle="--", label="Perfect equality")
    ax.plot(
        curve["customer_share"],
        curve["value_share"],
        color=plot.MAIN,
        label=f"{label} (Gini {g:.2f})",
    )
    ax.fill_between(
        curve["customer_share"],
        curve["value_share"],
        curve["customer_share"],
        color=plot.MAIN,
        alpha=0.12,
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    plot.share_axis(ax, "x")
    plot.share_axis(ax, "y")
    ax.legend(loc="upper left")
    return plot.label(
        ax, "Lorenz curve of revenue", "Share of accounts (smallest to largest)", "Share of revenue"
    )
