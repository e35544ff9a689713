"""Dependence on few customers: the HHI, top-N shares and a stress test of losing the largest.

Chapter 1 asked how concentrated revenue is (Pareto table, Lorenz curve, Gini). This module asks
the risk question: how much of the business hangs on a handful of accounts, and what is left
if they go?

- :func:`hhi` is the Herfindahl-Hirschman index of customer shares, in the points competition
  authorities use (shares in percent, squared and summed: 0 to 10,000).
- :func:`top_n_shares` gives the share of revenue, or of profit, from the largest 1, 3, 5 ...
  accounts. Profit shares can pass 100% when other accounts lose money.
- :func:`dependence_table` follows both over the years, quarters or regions.
- :func:`loss_stress_test` removes the largest accounts and reports revenue, profit
  contribution and fixed-cost coverage after the loss.

>>> from kamlib import dependence, toy
>>> dependence.hhi(toy.orders())      # shares 60%, 20%, 15%, 5%
4250.0
>>> dependence.top_n_shares(toy.orders(), n=(1, 2)).round(2).to_dict()
{'top_1': 0.6, 'top_2': 0.8}
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.concentration import value_by_customer
from kamlib.errors import DataError, ParameterError
from kamlib.profitability import _in_period, _period_bounds
from kamlib.validation import (
    check_number,
    require_columns,
    require_dates,
    require_frame,
    require_known,
    require_no_missing,
    require_numeric,
    require_unique,
)

__all__ = [
    "HHI_BANDS",
    "dependence_table",
    "hhi",
    "hhi_band",
    "loss_stress_test",
    "plot_stress_test",
    "top_n_shares",
]

#: Bands of the HHI (in points) used by the US Horizontal Merger Guidelines of 2010: below
#: 1,500 a market is "unconcentrated", from 1,500 to 2,500 "moderately concentrated", above
#: 2,500 "highly concentrated". Borrowed here for a supplier's customer base.
HHI_BANDS = ((1500.0, "unconcentrated"), (2500.0, "moderately concentrated"))


def _check_top(top, func: str) -> tuple[int, ...]:
    if isinstance(top, numbers.Integral) and not isinstance(top, bool):
        top = (top,)
    if isinstance(top, str) or not isinstance(top, list | tuple):
        raise ParameterError(
            f"{func}: 'n' must be a whole number or a list of them such as (1, 3, 5), got {top!r}."
        )
    if not top:
        raise ParameterError(f"{func}: 'n' is empty. Give at least one number of accounts.")
    return tuple(check_number(k, "n", func, low=1, integer=True) for k in top)


def _column_name(value, name: str, func: str) -> str:
    if not isinstance(value, str):
        raise ParameterError(
            f"{func}: '{name}' must be a column name (text), got {value!r} "
            f"({type(value).__name__})."
        )
    return value


def hhi(data, *, customer_col: str = "account_id", value_col: str = "net_revenue_cny") -> float:
    """Herfindahl-Hirschman index of the customers' shares, in points (0 to 10,000).

    HHI = sum over customers of (100 x share)^2. One customer with everything scores 10,000;
    n equal customers score 10,000 / n, so ``10000 / hhi`` is the "equivalent number" of
    equal-sized customers. The bands of :data:`HHI_BANDS` read it (:func:`hhi_band`).

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        Values per customer (a Series indexed by customer), or a table of transactions that is
        summed per ``customer_col``. Values must be non-negative (revenue, not profit).
    customer_col, value_col : str
        Columns of a transactions table.

    Returns
    -------
    float
        The index in points.

    Examples
    --------
    >>> import pandas as pd
    >>> hhi(pd.Series([50.0, 30.0, 20.0]))     # 50^2 + 30^2 + 20^2
    3800.0
    """
    totals = value_by_customer(
        data, customer_col=customer_col, value_col=value_col, func="kamlib.dependence.hhi"
    )
    totals = totals.rename(None)
    shares = totals.to_numpy(dtype=float) / totals.sum()
    return float(round(np.sum((100 * shares) ** 2), 9))


def hhi_band(points) -> str:
    """The band of an HHI in points: unconcentrated, moderately or highly concentrated.

    Examples
    --------
    >>> hhi_band(1200), hhi_band(3800)
    ('unconcentrated', 'highly concentrated')
    """
    points = check_number(points, "points", "kamlib.dependence.hhi_band", low=0, high=10000)
    for limit, name in HHI_BANDS:
        if points < limit:
            return name
    return "highly concentrated"


def _values(data, customer_col: str, value_col: str, func: str) -> pd.Series:
    """Values per customer (may be negative), largest first."""
    name = f"kamlib.dependence.{func}"
    if isinstance(data, pd.Series):
        if data.index.has_duplicates:
            raise DataError(
                f"{name}: the Series repeats customer(s) "
                f"{list(data.index[data.index.duplicated()].unique()[:5])}; give one value per "
                "customer, or pass the transactions table."
            )
        data = data.rename("value").rename_axis(customer_col).reset_index()
        value_col = "value"
    frame = require_frame(data, name)
    _column_name(customer_col, "customer_col", name)
    _column_name(value_col, "value_col", name)
    require_columns(frame, [customer_col, value_col], name)
    require_no_missing(frame, customer_col, name, what="customer id")
    require_numeric(frame, value_col, name)
    totals = frame.groupby(customer_col, sort=False)[value_col].sum().astype(float)
    if totals.sum() <= 0:
        raise DataError(
            f"{name}: the values in '{value_col}' add up to {totals.sum():,.2f}; shares need a "
            "positive total. Pass a period or group whose total is positive."
        )
    return totals.sort_values(ascending=False, kind="stable")


def top_n_shares(
    data,
    *,
    n=(1, 3, 5, 10),
    customer_col: str = "account_id",
    value_col: str = "net_revenue_cny",
) -> pd.Series:
    """Share of the total from the ``n`` largest customers, for each ``n``.

    Customers are ranked by the value itself. With profit, some values are negative: the share
    of the top accounts can then exceed 1 (they earn more than the whole company, the others
    lose the difference), as on the whale curve of chapter 4. The total must be positive. When
    ``n`` is larger than the number of customers, the share is that of all of them (1).

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        Values per customer, or transactions summed per ``customer_col``.
    n : int or sequence of int, default (1, 3, 5, 10)
        Sizes of the top groups.
    customer_col, value_col : str
        Columns of a transactions table.

    Returns
    -------
    pandas.Series
        Index ``top_1``, ``top_3``, ...; values are shares of the total.

    Examples
    --------
    >>> import pandas as pd
    >>> profit = pd.Series([100.0, 40.0, 10.0, -5.0, 5.0], index=list("ABCDE"))
    >>> top_n_shares(profit, n=(1, 2)).round(3).tolist()   # 100/150 and 140/150
    [0.667, 0.933]
    """
    func = "kamlib.dependence.top_n_shares"
    sizes = _check_top(n, func)
    totals = _values(data, customer_col, value_col, "top_n_shares")
    cumulative = totals.cumsum().to_numpy() / totals.sum()
    return pd.Series(
        [float(cumulative[min(k, len(totals)) - 1]) for k in sizes],
        index=[f"top_{k}" for k in sizes],
        name="share",
    )


def dependence_table(
    orders: pd.DataFrame,
    accounts: pd.DataFrame | None = None,
    *,
    by: str = "year",
    n=(1, 3, 5),
    period=None,
    customer_col: str = "account_id",
    date_col: str = "order_date",
    value_col: str = "net_revenue_cny",
) -> pd.DataFrame:
    """HHI and top-N shares of revenue per year, quarter or group of accounts.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order with ``customer_col``, ``date_col`` and ``value_col``.
    accounts : pandas.DataFrame, optional
        Needed when ``by`` names a column of the accounts table (e.g. ``"region"``).
    by : str, default "year"
        ``"year"``, ``"quarter"``, or a column of ``accounts``.
    n : int or sequence of int, default (1, 3, 5)
        Top groups to report.
    period : int, str or (start, end), optional
        Only orders in this period (e.g. ``2024``), as in
        :func:`kamlib.profitability.customer_profit`. By default every order.
    customer_col, date_col, value_col : str
        Columns of ``orders``.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``accounts`` (with revenue), ``revenue``, ``hhi`` (points),
        ``equivalent_accounts`` (10,000 / HHI), ``band`` and ``top_<k>_share``.

    Examples
    --------
    >>> from kamlib import toy
    >>> table = dependence_table(toy.orders(), toy.accounts(), by="region", n=(1,))
    >>> table[["accounts", "revenue", "hhi", "top_1_share"]].round(3)  # doctest: +NORMALIZE_WHITESPACE
            accounts  revenue     hhi  top_1_share
    region
    East           2   2250.0  6800.0          0.8
    North          1    600.0 10000.0          1.0
    West           1    150.0 10000.0          1.0
    """
    func = "kamlib.dependence.dependence_table"
    sizes = _check_top(n, func)
    start, end = _period_bounds(period, func)
    require_frame(orders, func, name="orders")
    for name, value in (("customer_col", customer_col), ("date_col", date_col)):
        _column_name(value, name, func)
    _column_name(value_col, "value_col", func)
    _column_name(by, "by", func)
    require_columns(orders, [customer_col, date_col, value_col], func)
    require_no_missing(orders, customer_col, func, what="account id")
    dates = _dates(orders, date_col, func)
    values = require_numeric(orders, value_col, func)
    if (values < 0).any():
        raise DataError(
            f"{func}: column '{value_col}' has {int((values < 0).sum())} negative value(s). "
            "Revenue shares need non-negative amounts; correct or remove those rows."
        )
    frame = pd.DataFrame(
        {"customer": orders[customer_col].astype(str).to_numpy(), "value": values.to_numpy()}
    )
    if by in ("year", "quarter"):
        frame["group"] = dates.dt.year.to_numpy() if by == "year" else dates.dt.to_period("Q")
        frame["group"] = frame["group"].astype(str) if by == "quarter" else frame["group"]
    else:
        if accounts is None:
            raise ParameterError(
                f"{func}: by={by!r} is not 'year' or 'quarter', so it must be a column of "
                "'accounts'; pass the accounts table."
            )
        require_frame(accounts, func, name="accounts")
        require_columns(accounts, [customer_col, by], func)
        require_unique(accounts, customer_col, func)
        require_no_missing(accounts, by, func, what=f"'{by}' value")
        require_known(orders, customer_col, accounts[customer_col].astype(str), func, name="orders")
        lookup = pd.Series(accounts[by].to_numpy(), index=accounts[customer_col].astype(str))
        frame["group"] = frame["customer"].map(lookup).to_numpy()
    frame = frame.loc[_in_period(dates, start, end).to_numpy()]
    rows = {}
    for group, part in frame.groupby("group", sort=True, observed=True):
        totals = part.groupby("customer")["value"].sum()
        totals = totals[totals > 0].sort_values(ascending=False)
        if totals.empty:
            continue
        shares = totals.to_numpy() / totals.sum()
        points = float(np.sum((100 * shares) ** 2))
        row = {
            "accounts": len(totals),
            "revenue": float(totals.sum()),
            "hhi": round(points, 6),
            "equivalent_accounts": 10000 / points,
            "band": hhi_band(min(points, 10000.0)),
        }
        cumulative = np.cumsum(shares)
        for k in sizes:
            row[f"top_{k}_share"] = float(cumulative[min(k, len(shares)) - 1])
        rows[group] = row
    if not rows:
        raise DataError(
            f"{func}: no order with positive '{value_col}' in the period {period!r}. "
            "Choose a period the orders cover."
        )
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = by
    return table


def _dates(frame: pd.DataFrame, column: str, func: str) -> pd.Series:
    """Dates of ``column``; numbers are refused (20240131 is not read as a date)."""
    series = frame[column]
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        raise DataError(
            f"{func}: column '{column}' holds numbers ({series.dtype}), not dates. "
            "Convert it with pd.to_datetime(..., format='%Y%m%d') or use ISO dates."
        )
    return require_dates(frame, column, func)


def loss_stress_test(
    profit: pd.DataFrame,
    *,
    fixed_costs: float,
    n=(1, 3, 5),
    rank_by: str = "net_revenue",
    revenue_col: str = "net_revenue",
    contribution_col: str = "profit",
) -> pd.DataFrame:
    """What is left if the largest accounts leave: revenue, contribution and fixed-cost cover.

    Each scenario removes the ``k`` accounts ranked highest by ``rank_by`` (revenue by default)
    together with everything they bring and cost: their revenue, and their profit contribution
    (gross margin minus cost to serve and acquisition cost, the ``profit`` column of
    :func:`kamlib.profitability.customer_profit`). The company's fixed costs (premises, head
    office, systems: costs not traced to any account) stay. Assumptions: the lost accounts'
    cost to serve disappears with them and nobody replaces them within the period.

    - ``coverage = contribution / fixed_costs`` (the fixed-cost coverage: above 1 the accounts
      left still pay for the fixed costs);
    - ``operating_profit = contribution - fixed_costs``.

    Parameters
    ----------
    profit : pandas.DataFrame
        One row per account (index = account id) with ``revenue_col`` and ``contribution_col``.
    fixed_costs : float
        The period's fixed costs in CNY (positive). The course data hold none: state the
        figure you assume.
    n : int or sequence of int, default (1, 3, 5)
        How many of the largest accounts each scenario loses.
    rank_by : str, default "net_revenue"
        Column that ranks the accounts ("largest" = highest value), e.g. ``"profit"``.
    revenue_col, contribution_col : str
        Columns of ``profit``.

    Returns
    -------
    pandas.DataFrame
        One row per scenario (``none lost``, ``top 1 lost``, ...) with ``accounts_lost``,
        ``lost_accounts`` (their ids), ``revenue``, ``revenue_change`` (share of today's),
        ``contribution``, ``contribution_change``, ``fixed_costs``, ``operating_profit`` and
        ``coverage``.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"net_revenue": [500.0, 300, 100, 60, 40],
    ...                       "profit": [100.0, 40, 10, -5, 5]}, index=list("ABCDE"))
    >>> out = loss_stress_test(table, fixed_costs=120, n=(1, 3))
    >>> out[["revenue", "contribution", "operating_profit", "coverage"]].round(3)  # doctest: +NORMALIZE_WHITESPACE
                revenue  contribution  operating_profit  coverage
    scenario
    none lost    1000.0         150.0              30.0     1.250
    top 1 lost    500.0          50.0             -70.0     0.417
    top 3 lost    100.0           0.0            -120.0     0.000
    """
    func = "kamlib.dependence.loss_stress_test"
    sizes = _check_top(n, func)
    fixed = check_number(fixed_costs, "fixed_costs", func, low=0, low_inclusive=False)
    require_frame(profit, func, name="profit")
    for name, value in (
        ("rank_by", rank_by),
        ("revenue_col", revenue_col),
        ("contribution_col", contribution_col),
    ):
        _column_name(value, name, func)
    require_columns(profit, list(dict.fromkeys([revenue_col, contribution_col, rank_by])), func)
    if profit.index.has_duplicates:
        raise DataError(
            f"{func}: the index of 'profit' repeats account(s) "
            f"{list(profit.index[profit.index.duplicated()].unique()[:5])}; give one row per "
            "account (the table of kamlib.profitability.customer_profit)."
        )
    for column in dict.fromkeys([revenue_col, contribution_col, rank_by]):
        require_numeric(profit, column, func)
    if (profit[revenue_col] < 0).any():
        raise DataError(
            f"{func}: column '{revenue_col}' has negative revenue; correct those rows first."
        )
    order = np.argsort(-profit[rank_by].to_numpy(dtype=float), kind="stable")
    ranked = profit.iloc[order]
    revenue0 = float(profit[revenue_col].sum())
    contribution0 = float(profit[contribution_col].sum())
    rows = {}
    for k in (0, *sizes):
        kept = ranked.iloc[k:]
        revenue = float(kept[revenue_col].sum())
        contribution = float(kept[contribution_col].sum())
        rows["none lost" if k == 0 else f"top {k} lost"] = {
            "accounts_lost": min(k, len(ranked)),
            "lost_accounts": ", ".join(map(str, ranked.index[:k])),
            "revenue": revenue,
            "revenue_change": revenue / revenue0 - 1 if revenue0 else np.nan,
            "contribution": contribution,
            "contribution_change": (
                contribution / contribution0 - 1 if contribution0 > 0 else np.nan
            ),
            "fixed_costs": fixed,
            "operating_profit": contribution - fixed,
            "coverage": contribution / fixed,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "scenario"
    return table


def plot_stress_test(stress: pd.DataFrame, *, ax=None):
    """Bars of the profit contribution left in each scenario against the fixed costs.

    Takes the table of :func:`loss_stress_test`; the dashed line is the fixed costs, so a bar
    below it means the remaining accounts no longer pay for them.
    """
    func = "kamlib.dependence.plot_stress_test"
    require_frame(stress, func, name="stress")
    require_columns(stress, ["contribution", "fixed_costs", "coverage"], func)
    for column in ("contribution", "fixed_costs", "coverage"):
        require_numeric(stress, column, func)
    ax = plot.get_ax(ax)
    labels = [str(s).replace(" lost", "\nlost") for s in stress.index]
    colours = [plot.MAIN if c >= 1 else plot.BAD for c in stress["coverage"]]
    ax.bar(labels, stress["contribution"], color=colours)
    fixed = float(stress["fixed_costs"].iloc[0])
    ax.axhline(fixed, color=plot.ACCENT, linestyle="--", label="Fixed costs")
    for i, (value, cover) in enumerate(
        zip(stress["contribution"], stress["coverage"], strict=True)
    ):
        ax.annotate(
            f"covers {cover:.0%}",
            (i, value),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
        )
    top = max(float(stress["contribution"].max()), fixed)
    ax.set_ylim(0, top * 1.2 if top > 0 else 1.0)  # room for the labels and the legend
    plot.money_axis(ax)
    ax.legend(loc="upper right", ncol=1)
    return plot.label(
        ax,
        "Losing the largest accounts: what still pays the fixed costs?",
        "Scenario (largest accounts by revenue lost)",
        "Profit contribution left (CNY)",
    )
