"""Customer profitability: what each account earns after the cost of winning and serving it.

The chain is revenue -> discount -> net revenue -> cost of goods -> gross margin -> cost to
serve -> acquisition cost -> profit. Cost to serve is priced by activity (activity-based
costing): every visit, call, email, ticket, complaint and delivery is counted and multiplied by
a price per activity. The whale curve then shows how profit is spread over the customers.

>>> import pandas as pd
>>> from kamlib.profitability import whale_curve
>>> profit = pd.Series([50.0, 30.0, 20.0, -10.0], index=["A", "B", "C", "D"], name="profit")
>>> whale_curve(profit)["cumulative_share"].round(2).tolist()
[0.56, 0.89, 1.11, 1.0]
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    as_called_by,
    as_timestamp,
    check_choice,
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
    "ACTIVITIES",
    "DEFAULT_ACTIVITY_COSTS",
    "activity_counts",
    "cost_to_serve",
    "customer_profit",
    "plot_profit_waterfall",
    "plot_whale_curve",
    "whale_curve",
    "whale_summary",
]

#: Activities priced by :func:`cost_to_serve`, as counted in the course table
#: ``service_activity``: the five kinds of service contact (the same contacts as in
#: ``service_interactions``), then the operations work: standard and expedited deliveries
#: (an order shipped in parts makes several), returns, order changes and technical-support
#: requests to the application engineers.
ACTIVITIES = (
    "visit",
    "call",
    "email",
    "ticket",
    "complaint",
    "delivery",
    "expedited_delivery",
    "return",
    "order_change",
    "technical_support",
)

#: Default price of one activity in CNY. It is the full cost of the activity (staff time, travel,
#: freight and a share of the overheads of the departments that do it), as an activity-based
#: costing study would find it. They are teaching values for the course company (Huaxin);
#: replace them with the results of your own study.
DEFAULT_ACTIVITY_COSTS = {
    "visit": 1200.0,  # half a day of a sales engineer, travel, sales-office overhead
    "call": 50.0,  # about 15 minutes of an inside-sales or service agent plus systems
    "email": 20.0,  # a few minutes of an agent
    "ticket": 250.0,  # a support case worked by a technician
    "complaint": 800.0,  # investigation, quality department, credit note, management time
    "delivery": 300.0,  # order entry and invoicing, picking and packing, standard freight
    "expedited_delivery": 1000.0,  # the same with rush picking, a split load and a courier
    "return": 600.0,  # collection, inspection, restocking or scrapping, and a credit note
    "order_change": 150.0,  # re-planning, re-picking and re-invoicing an order already entered
    "technical_support": 450.0,  # a request worked by an application engineer (about 2 hours)
}

ACQUISITION_METHODS = ("won_period", "amortised", "none")


# --- small shared helpers ---------------------------------------------------------------------


def _period_bounds(period, func: str) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Turn ``period`` into inclusive (start, end) timestamps; (None, None) means no filter."""
    if period is None:
        return None, None
    if isinstance(period, tuple):
        if len(period) != 2:
            raise ParameterError(
                f"{func}: 'period' as a tuple must be (start, end), got {len(period)} item(s)."
            )
        start = as_timestamp(period[0], "period start", func)
        end = as_timestamp(period[1], "period end", func)
        if end < start:
            raise ParameterError(
                f"{func}: 'period' ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d}). "
                "Give (start, end) in that order."
            )
        return start.normalize(), end.normalize() + pd.Timedelta(days=1) - pd.Timedelta(1)
    if isinstance(period, bool) or not isinstance(period, str | numbers.Integral | pd.Period):
        raise ParameterError(
            f"{func}: 'period' must be a year such as 2024, a label such as '2024Q1' or "
            f"'2024-03', or a (start, end) tuple of dates; got {period!r}."
        )
    try:
        span = period if isinstance(period, pd.Period) else pd.Period(str(period))
    except (TypeError, ValueError):
        raise ParameterError(
            f"{func}: 'period' {period!r} is not a period pandas understands. "
            "Use a year such as 2024, '2024Q1', '2024-03' or a (start, end) tuple."
        ) from None
    return span.start_time, span.end_time


def _in_period(dates: pd.Series, start, end) -> pd.Series:
    if start is None:
        return pd.Series(True, index=dates.index)
    return (dates >= start) & (dates <= end)


def _require_account_ids(frame: pd.DataFrame, table: str, customer_col: str, func: str) -> None:
    require_no_missing(
        frame, customer_col, func, what="id", fix=f"Every row of '{table}' must name its account."
    )


def _price_table(activity_costs, func: str) -> dict[str, float]:
    prices = dict(DEFAULT_ACTIVITY_COSTS)
    if activity_costs is None:
        return prices
    if not isinstance(activity_costs, dict):
        raise ParameterError(
            f"{func}: 'activity_costs' must be a dict such as {{'visit': 1500}}, "
            f"got {type(activity_costs).__name__}."
        )
    for name, price in activity_costs.items():
        prices[name] = check_number(price, f"activity_costs[{name!r}]", func, low=0)
    return prices


# --- cost to serve ----------------------------------------------------------------------------


def activity_counts(
    activity: pd.DataFrame,
    *,
    period=None,
    customer_col: str = "account_id",
    activity_col: str = "activity",
    month_col: str = "month",
    count_col: str = "count",
) -> pd.DataFrame:
    """Count the service activities each account used over a period.

    Parameters
    ----------
    activity : pandas.DataFrame
        One row per account, month and activity with the number of times the activity was
        performed (the course table ``service_activity``).
    period : int, str, pandas.Period or (start, end), optional
        Only months that start inside the period count (e.g. ``2024`` or ``"2024Q1"``; a tuple
        of dates is inclusive). By default every row counts.
    customer_col, activity_col, month_col, count_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per account with any activity in the period (index ``customer_col``), one
        integer column per activity: those of :data:`ACTIVITIES` in that order, then any other
        activity found in the data, alphabetically.

    Examples
    --------
    >>> import pandas as pd
    >>> activity = pd.DataFrame({"account_id": ["A", "A", "B", "B"],
    ...     "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01", "2024-03-01"]),
    ...     "activity": ["visit", "delivery", "delivery", "delivery"], "count": [1, 3, 2, 1]})
    >>> counts = activity_counts(activity)
    >>> counts[["visit", "delivery", "return"]].to_dict("index")
    {'A': {'visit': 1, 'delivery': 3, 'return': 0}, 'B': {'visit': 0, 'delivery': 3, 'return': 0}}
    """
    func = "kamlib.profitability.activity_counts"
    require_frame(activity, func, name="activity")
    require_columns(activity, [customer_col, activity_col, month_col, count_col], func)
    start, end = _period_bounds(period, func)
    months = require_dates(activity, month_col, func)
    _require_account_ids(activity, "activity", customer_col, func)
    require_no_missing(
        activity,
        activity_col,
        func,
        fix="Name the activity of every row, e.g. 'visit' or 'delivery'.",
    )
    count = require_non_negative(activity, count_col, func)
    if not np.allclose(count, np.round(count)):
        raise DataError(
            f"{func}: column '{count_col}' must hold whole numbers of activities, found e.g. "
            f"{count[count != np.round(count)].iloc[0]}. Count each activity, do not weight it."
        )
    keep = _in_period(months, start, end).to_numpy()
    rows = pd.DataFrame(
        {
            "account": activity.loc[keep, customer_col].astype(str).to_numpy(),
            "activity": activity.loc[keep, activity_col].astype(str).to_numpy(),
            "count": count[keep].astype("int64").to_numpy(),
        }
    )
    extra = sorted(set(rows["activity"]) - set(ACTIVITIES))
    counts = rows.pivot_table(
        index="account", columns="activity", values="count", aggfunc="sum", fill_value=0
    ).reindex(columns=[*ACTIVITIES, *extra], fill_value=0)
    counts = counts.astype("int64")
    counts.index.name = customer_col
    counts.columns.name = None
    return counts


def cost_to_serve(
    activity: pd.DataFrame,
    *,
    activity_costs: dict[str, float] | None = None,
    period=None,
    customer_col: str = "account_id",
    activity_col: str = "activity",
    month_col: str = "month",
    count_col: str = "count",
) -> pd.DataFrame:
    """Activity-based cost to serve each account: activity counts times a price per activity.

    Parameters
    ----------
    activity : pandas.DataFrame
        Activity counts per account and month, as in :func:`activity_counts`.
    activity_costs : dict, optional
        Price in CNY of one unit of each activity. Entries you give replace those of
        :data:`DEFAULT_ACTIVITY_COSTS` (a partial dict is fine). Every activity found in the
        data needs a price.
    period : int, str, pandas.Period or (start, end), optional
        Only activities inside the period count (see :func:`activity_counts`).
    customer_col, activity_col, month_col, count_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per account with any activity (index ``customer_col``); columns
        ``<activity>_cost`` for each activity of :func:`activity_counts` and ``cost_to_serve``
        (their sum), all in CNY.

    Examples
    --------
    >>> import pandas as pd
    >>> activity = pd.DataFrame({"account_id": ["A", "A", "A"],
    ...     "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-02-01"]),
    ...     "activity": ["visit", "call", "delivery"], "count": [1, 2, 3]})
    >>> prices = {"visit": 1000, "call": 50, "delivery": 100}
    >>> float(cost_to_serve(activity, activity_costs=prices).loc["A", "cost_to_serve"])
    1400.0
    """
    func = "kamlib.profitability.cost_to_serve"
    prices = _price_table(activity_costs, func)
    with as_called_by(func):
        counts = activity_counts(
            activity,
            period=period,
            customer_col=customer_col,
            activity_col=activity_col,
            month_col=month_col,
            count_col=count_col,
        )
    unpriced = [a for a in counts.columns if a not in prices]
    if unpriced:
        raise DataError(
            f"{func}: no price for the activity type(s) {unpriced} found in '{activity_col}'. "
            "Add them to activity_costs, e.g. activity_costs={'" + unpriced[0] + "': 100}."
        )
    costs = counts.astype(float).mul(pd.Series(prices), axis=1).reindex(columns=counts.columns)
    costs.columns = [f"{c}_cost" for c in costs.columns]
    costs["cost_to_serve"] = costs.sum(axis=1)
    costs.index.name = customer_col
    return costs


# --- customer profit --------------------------------------------------------------------------


def customer_profit(
    accounts: pd.DataFrame,
    orders: pd.DataFrame,
    activity: pd.DataFrame,
    *,
    period=None,
    activity_costs: dict[str, float] | None = None,
    acquisition: str = "won_period",
    amortisation_years: float = 3.0,
    customer_col: str = "account_id",
    order_date_col: str = "order_date",
    activity_col: str = "activity",
    month_col: str = "month",
    count_col: str = "count",
    gross_col: str = "gross_revenue_cny",
    discount_col: str = "discount_cny",
    net_col: str = "net_revenue_cny",
    cogs_col: str = "cogs_cny",
    since_col: str = "customer_since",
    lost_col: str | None = "lost_date",
    acquisition_col: str = "acquisition_cost_cny",
) -> pd.DataFrame:
    """Profit contribution of each account over a period, from revenue down to profit.

    Definitions (all in CNY, for the period):

    - ``gross_revenue``: orders valued at list price; ``discount``: discounts granted;
      ``net_revenue``: what the account was invoiced (the orders' net revenue column).
    - ``cogs``: cost of the goods sold; ``gross_margin = net_revenue - cogs``.
    - ``cost_to_serve``: activity-based cost of the contacts, deliveries, returns, order
      changes and technical support the account used (:func:`cost_to_serve`).
    - ``acquisition_cost``: the cost of winning the account. With ``acquisition="won_period"``
      it is charged in full to the period containing ``customer_since`` (zero in other
      periods); with ``"amortised"`` it is spread evenly (by day) over ``amortisation_years``
      from ``customer_since`` and the period bears the overlapping share; ``"none"`` leaves it
      out. Without a ``period`` (the whole history) the full cost is charged unless ``"none"``.
    - ``profit = gross_margin - cost_to_serve - acquisition_cost``.

    Parameters
    ----------
    accounts, orders, activity : pandas.DataFrame
        The course tables ``accounts``, ``orders`` and ``service_activity`` (or yours with
        the same columns). Every account in orders and activity must be in ``accounts``.
    period : int, str, pandas.Period or (start, end), optional
        The period to measure, e.g. ``2024``. By default the whole history.
    activity_costs : dict, optional
        Prices per activity, see :func:`cost_to_serve`.
    acquisition : {"won_period", "amortised", "none"}
        How acquisition cost enters the period's profit (see above).
    amortisation_years : float, default 3
        Length of the straight-line write-off for ``acquisition="amortised"``.
    customer_col, order_date_col, activity_col, month_col, count_col : str
        Column names of the three tables.
    gross_col, discount_col, net_col, cogs_col : str
        Money columns of ``orders``.
    since_col, lost_col, acquisition_col : str
        Columns of ``accounts``; set ``lost_col=None`` if there is no lost date.

    Returns
    -------
    pandas.DataFrame
        One row per account that was a customer during the period (won on or before its end and
        not lost before its start) or had any activity in it; index ``customer_col``; columns
        ``n_orders, gross_revenue, discount, net_revenue, cogs, gross_margin, cost_to_serve,
        acquisition_cost, profit``.

    Examples
    --------
    >>> import pandas as pd
    >>> accounts = pd.DataFrame({"account_id": ["A", "B"],
    ...     "customer_since": pd.to_datetime(["2020-01-01", "2024-06-01"]),
    ...     "acquisition_cost_cny": [5000.0, 3000.0]})
    >>> orders = pd.DataFrame({"account_id": ["A", "B"],
    ...     "order_date": pd.to_datetime(["2024-03-01", "2024-07-01"]),
    ...     "gross_revenue_cny": [10000.0, 5000.0], "discount_cny": [1000.0, 0.0],
    ...     "net_revenue_cny": [9000.0, 5000.0], "cogs_cny": [6000.0, 3000.0]})
    >>> activity = pd.DataFrame({"account_id": ["A", "A", "B"],
    ...     "month": pd.to_datetime(["2024-03-01", "2024-03-01", "2024-07-01"]),
    ...     "activity": ["visit", "delivery", "delivery"], "count": [1, 1, 1]})
    >>> prices = {"visit": 1000, "delivery": 100}
    >>> customer_profit(accounts, orders, activity, period=2024, lost_col=None,
    ...                 activity_costs=prices)["profit"].tolist()
    [1900.0, -1100.0]
    """
    func = "kamlib.profitability.customer_profit"
    check_choice(acquisition, "acquisition", func, ACQUISITION_METHODS)
    years = check_number(amortisation_years, "amortisation_years", func, low=0, low_inclusive=False)
    start, end = _period_bounds(period, func)
    require_frame(accounts, func, name="accounts")
    require_frame(orders, func, name="orders")
    require_frame(activity, func, name="activity")
    account_cols = [customer_col, since_col, acquisition_col] + ([lost_col] if lost_col else [])
    require_columns(accounts, account_cols, func)
    require_columns(
        orders, [customer_col, order_date_col, gross_col, discount_col, net_col, cogs_col], func
    )
    require_columns(activity, [customer_col, activity_col, month_col, count_col], func)
    require_unique(accounts, customer_col, func)
    since = require_dates(accounts, since_col, func)
    acq_cost = require_non_negative(accounts, acquisition_col, func)
    for column in (gross_col, discount_col, net_col, cogs_col):
        require_non_negative(orders, column, func)
    order_dates = require_dates(orders, order_date_col, func)
    lost = require_optional_dates(accounts, lost_col, func) if lost_col else None

    ids = pd.Index(accounts[customer_col].astype(str), name=customer_col)
    for table, frame in (("orders", orders), ("activity", activity)):
        _require_account_ids(frame, table, customer_col, func)
        require_known(frame, customer_col, ids, func, name=table)

    # Revenue lines of the period, summed per account.
    inside = orders.loc[_in_period(order_dates, start, end)]
    money = pd.DataFrame(
        {
            "n_orders": 1,
            "gross_revenue": inside[gross_col].astype(float).to_numpy(),
            "discount": inside[discount_col].astype(float).to_numpy(),
            "net_revenue": inside[net_col].astype(float).to_numpy(),
            "cogs": inside[cogs_col].astype(float).to_numpy(),
        },
        index=pd.Index(inside[customer_col].astype(str), name=customer_col),
    )
    money = money.groupby(level=0).sum()
    with as_called_by(func):
        serve = cost_to_serve(
            activity,
            activity_costs=activity_costs,
            period=period,
            customer_col=customer_col,
            activity_col=activity_col,
            month_col=month_col,
            count_col=count_col,
        )["cost_to_serve"]
    serve.index = serve.index.astype(str)

    # Which accounts belong in the table: on the books during the period, or active in it.
    since_v = pd.Series(since.to_numpy(), index=ids)
    on_books = pd.Series(True, index=ids)
    if start is not None:
        on_books &= since_v <= end
        if lost is not None:
            lost_v = pd.Series(lost.to_numpy(), index=ids)
            on_books &= lost_v.isna() | (lost_v >= start)
    active = ids.isin(money.index) | ids.isin(serve.index)
    rows = ids[on_books.to_numpy() | active]

    table = money.reindex(rows, fill_value=0)
    table["n_orders"] = table["n_orders"].astype("int64")
    table["gross_margin"] = table["net_revenue"] - table["cogs"]
    table["cost_to_serve"] = serve.reindex(rows, fill_value=0.0).astype(float)
    acq = pd.Series(acq_cost.astype(float).to_numpy(), index=ids).reindex(rows)
    won = since_v.reindex(rows)
    if acquisition == "none":
        charged = acq * 0.0
    elif start is None:
        charged = acq
    elif acquisition == "won_period":
        charged = acq.where((won >= start) & (won <= end), 0.0)
    else:
        write_off_end = won + pd.to_timedelta(years * 365.25, unit="D")
        period_end = end + pd.Timedelta(1)  # exclusive end, so a full year counts 365/366 days
        overlap = (write_off_end.clip(upper=period_end) - won.clip(lower=start)).dt.total_seconds()
        length = (write_off_end - won).dt.total_seconds()
        charged = acq * (overlap.clip(lower=0) / length)
    table["acquisition_cost"] = charged.astype(float)
    table["profit"] = table["gross_margin"] - table["cost_to_serve"] - table["acquisition_cost"]
    table.index.name = customer_col
    return table


# --- the chain from list price to profit, drawn ----------------------------------------------

WATERFALL_STEPS = (
    ("gross_revenue", "Gross\nrevenue"),
    ("discount", "Discounts"),
    ("cogs", "Cost of\ngoods"),
    ("cost_to_serve", "Cost to\nserve"),
    ("acquisition_cost", "Acquisition"),
)


def _yuan(value: float) -> str:
    """A bar label in yuan: millions with one decimal, else thousands separators."""
    return f"¥{value / 1e6:,.1f}m" if abs(value) >= 1e6 else f"¥{value:,.0f}"


def plot_profit_waterfall(profit: pd.DataFrame, *, ax=None, title: str | None = None):
    """Draw the chain from gross revenue to profit for a group of accounts as a waterfall.

    The first bar is the gross revenue at list price; each following bar hangs from the
    running total and takes away one cost line (discounts, cost of goods, cost to serve,
    acquisition cost); the last bar is the profit that is left. Each bar is labelled in yuan.

    Parameters
    ----------
    profit : pandas.DataFrame
        A profit table such as the output of :func:`customer_profit` (columns
        ``gross_revenue, discount, cogs, cost_to_serve, acquisition_cost``); its rows are
        summed.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    title : str, optional
        Chart title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"gross_revenue": [100.0, 50.0], "discount": [10.0, 0.0],
    ...     "cogs": [60.0, 30.0], "cost_to_serve": [5.0, 15.0], "acquisition_cost": [0.0, 5.0]})
    >>> ax = plot_profit_waterfall(table)
    >>> [float(p.get_height()) for p in ax.patches]
    [150.0, 10.0, 90.0, 20.0, 5.0, 25.0]
    """
    func = "kamlib.profitability.plot_profit_waterfall"
    require_frame(profit, func, name="profit")
    columns = [c for c, _ in WATERFALL_STEPS]
    require_columns(profit, columns, func)
    totals = {c: float(require_non_negative(profit, c, func).sum()) for c in columns}
    ax = plot.get_ax(ax)
    level = 0.0  # where the running total stands before each step
    for column, name in WATERFALL_STEPS:
        amount = totals[column] if column == "gross_revenue" else -totals[column]
        bottom, top = sorted([level, level + amount])
        ax.bar(name, top - bottom, bottom=bottom, color=plot.MAIN if amount > 0 else plot.BAD)
        ax.text(name, top, _yuan(abs(amount)), ha="center", va="bottom", fontsize=9)
        level += amount
    colour = plot.GOOD if level >= 0 else plot.BAD
    ax.bar("Profit", abs(level), bottom=min(level, 0.0), color=colour)
    ax.text("Profit", max(level, 0.0), _yuan(level), ha="center", va="bottom")
    plot.money_axis(ax)
    plot.label(ax, title or "From list price to profit", "", "CNY")
    return ax


# --- the whale curve --------------------------------------------------------------------------


def _profit_series(profit, profit_col: str, func: str) -> pd.Series:
    if isinstance(profit, pd.Series):
        profit, profit_col = profit.to_frame("profit"), "profit"
    elif not isinstance(profit, pd.DataFrame):
        raise DataError(
            f"{func}: 'profit' must be a pandas Series (one profit per customer) or a DataFrame "
            f"with a '{profit_col}' column, got {type(profit).__name__}."
        )
    require_frame(profit, func, name="profit")
    require_columns(profit, [profit_col], func)
    series = require_numeric(profit, profit_col, func).astype(float)
    if series.sum() <= 0:
        raise DataError(
            f"{func}: total profit is {series.sum():,.0f}, not positive, so cumulative profit "
            "cannot be shown as a share of it. A whale curve needs a positive total profit."
        )
    return series


def whale_curve(profit, *, profit_col: str = "profit") -> pd.DataFrame:
    """Rank customers by profit (most profitable first) and accumulate profit along the ranks.

    Parameters
    ----------
    profit : pandas.Series or pandas.DataFrame
        One profit per customer (index = customer ids), e.g. the output of
        :func:`customer_profit`. Total profit must be positive.
    profit_col : str, default "profit"
        Column to use when ``profit`` is a DataFrame.

    Returns
    -------
    pandas.DataFrame
        Index = customer ids in rank order; columns ``rank`` (1 = most profitable), ``profit``,
        ``cumulative_profit``, ``cumulative_share`` (cumulative profit / total profit; it rises
        above 1 while profitable customers are added, peaks, and falls back to exactly 1 as the
        loss-makers are added) and ``customer_share`` (rank / number of customers).

    Examples
    --------
    >>> import pandas as pd
    >>> curve = whale_curve(pd.Series([-10.0, 60.0, 50.0], index=["X", "Y", "Z"]))
    >>> curve.index.tolist(), curve["cumulative_share"].tolist()
    (['Y', 'Z', 'X'], [0.6, 1.1, 1.0])
    """
    func = "kamlib.profitability.whale_curve"
    series = _profit_series(profit, profit_col, func)
    ranked = series.sort_values(ascending=False, kind="mergesort")
    total = ranked.sum()
    cumulative = ranked.cumsum()
    n = len(ranked)
    return pd.DataFrame(
        {
            "rank": np.arange(1, n + 1),
            "profit": ranked.to_numpy(),
            "cumulative_profit": cumulative.to_numpy(),
            "cumulative_share": (cumulative / total).to_numpy(),
            "customer_share": np.arange(1, n + 1) / n,
        },
        index=ranked.index,
    )


def whale_summary(profit, *, profit_col: str = "profit") -> pd.Series:
    """The numbers a whale curve is read by: its peak and its loss-making tail.

    Returns
    -------
    pandas.Series
        ``n_customers``, ``total_profit``, ``peak_rank`` (how many top customers it takes to
        reach the peak), ``peak_customer_share`` (the same as a share of customers),
        ``peak_profit`` (their cumulative profit), ``peak_height`` (peak profit / total profit,
        e.g. 1.5 = 150%), ``n_loss_makers`` (customers with profit < 0),
        ``loss_maker_share`` (as a share of customers) and ``loss_from_loss_makers`` (profit
        they destroy, a positive number).

    Examples
    --------
    >>> import pandas as pd
    >>> s = whale_summary(pd.Series([-10.0, 60.0, 50.0], index=["X", "Y", "Z"]))
    >>> int(s["peak_rank"]), round(float(s["peak_height"]), 2), int(s["n_loss_makers"])
    (2, 1.1, 1)
    """
    func = "kamlib.profitability.whale_summary"
    curve = whale_curve(_profit_series(profit, profit_col, func))
    peak = int(np.argmax(curve["cumulative_profit"].to_numpy()))  # first maximum
    losses = curve["profit"] < 0
    return pd.Series(
        {
            "n_customers": len(curve),
            "total_profit": float(curve["profit"].sum()),
            "peak_rank": peak + 1,
            "peak_customer_share": float(curve["customer_share"].iloc[peak]),
            "peak_profit": float(curve["cumulative_profit"].iloc[peak]),
            "peak_height": float(curve["cumulative_share"].iloc[peak]),
            "n_loss_makers": int(losses.sum()),
            "loss_maker_share": float(losses.mean()),
            "loss_from_loss_makers": float(-curve.loc[losses, "profit"].sum()),
        },
        dtype=object,
    )


def plot_whale_curve(profit, *, profit_col: str = "profit", ax=None, title: str | None = None):
    """Draw the whale curve with its peak and the loss-making tail marked.

    Parameters
    ----------
    profit : pandas.Series or pandas.DataFrame
        One profit per customer, as for :func:`whale_curve`.
    profit_col : str, default "profit"
        Column to use when ``profit`` is a DataFrame.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    title : str, optional
        Chart title.

    Returns
    -------
    matplotlib.axes.Axes
    """
    func = "kamlib.profitability.plot_whale_curve"
    series = _profit_series(profit, profit_col, func)
    curve = whale_curve(series)
    summary = whale_summary(series)
    ax = plot.get_ax(ax)
    x = np.concatenate([[0.0], curve["customer_share"].to_numpy()])
    y = np.concatenate([[0.0], curve["cumulative_share"].to_numpy()])
    ax.plot(x, y, color=plot.MAIN, linewidth=2, label="Cumulative profit")
    ax.axhline(1.0, color=plot.MUTED, linestyle="--", linewidth=1, label="Total profit (100%)")
    px, py = summary["peak_customer_share"], summary["peak_height"]
    ax.scatter([px], [py], color=plot.ACCENT, zorder=3, s=40)
    ax.annotate(
        f"Peak: the top {px:.0%} of customers\nearn {py:.1%} of total profit",
        xy=(px, py),
        xytext=(min(max(px - 0.3, 0.05), 0.55), py * 0.55),
        arrowprops={"arrowstyle": "->", "color": plot.ACCENT},
        color=plot.ACCENT,
        fontsize=9,
        ha="left",
    )
    n_loss = summary["n_loss_makers"]
    if n_loss:
        first_loss = 1 - n_loss / summary["n_customers"]
        given_back = summary["loss_from_loss_makers"] / summary["total_profit"]
        ax.axvspan(first_loss, 1.0, color=plot.BAD, alpha=0.12, label="Loss-making customers")
        ax.text(
            first_loss + (1 - first_loss) / 2,
            0.05,
            f"{n_loss} loss-makers\ngive back {given_back:.1%}\nof total profit",
            color=plot.BAD,
            ha="center",
            va="bottom",
            fontsize=9,
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, max(py * 1.12, 1.1))
    plot.share_axis(ax, "x")
    plot.share_axis(ax, "y")
    ax.legend(loc="lower center")
    plot.label(
        ax,
        title or "Whale curve: cumulative profit by customer rank",
        "Share of customers, most profitable first",
        "Cumulative profit (% of total)",
    )
    return ax
