"""The customer life cycle: stages on a date, moves between stages, and cohort retention.

Stages (:data:`STAGES`) follow one account from first contact to loss: *prospect* (no order
yet), *new* (first order recently), *active* (buying as usual), *at risk* (quiet for longer than
usual) and *lost* (quiet for very long, or recorded as lost). Cohort tables follow the accounts
that first bought in the same month or quarter and show what share of them still buys later.

>>> import pandas as pd
>>> from kamlib.lifecycle import lifecycle_stages
>>> accounts = pd.DataFrame({"account_id": ["A", "B", "C"]})
>>> orders = pd.DataFrame({"account_id": ["A", "A", "B"],
...     "order_date": pd.to_datetime(["2024-01-10", "2024-11-20", "2023-06-01"])})
>>> stages = lifecycle_stages(accounts, orders, as_of="2024-12-31", since_col=None, lost_col=None)
>>> stages["stage"].tolist()
['active', 'lost', 'prospect']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    as_called_by,
    as_timestamp,
    check_choice,
    check_flag,
    check_number,
    require_columns,
    require_dates,
    require_frame,
    require_known,
    require_no_missing,
    require_optional_dates,
    require_unique,
)

__all__ = [
    "STAGES",
    "cohort_counts",
    "cohort_retention",
    "lifecycle_stages",
    "plot_cohort_heatmap",
    "stage_transitions",
]

#: The life-cycle stages, in order.
STAGES = ("prospect", "new", "active", "at risk", "lost")

PERIODS = ("M", "Q", "Y")


def _order_dates(orders, customer_col, date_col, func) -> pd.DataFrame:
    require_frame(orders, func, name="orders")
    require_columns(orders, [customer_col, date_col], func)
    require_no_missing(orders, customer_col, func, what="id", fix="Every order needs its account.")
    dates = require_dates(orders, date_col, func)
    return pd.DataFrame(
        {"customer": orders[customer_col].astype(str).to_numpy(), "date": dates.to_numpy()}
    )


def _optional_dates(accounts, column, ids, func) -> pd.Series:
    """A date column of ``accounts`` that may have empty cells, indexed by account."""
    if column is None:
        return pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    parsed = require_optional_dates(accounts, column, func)
    return pd.Series(parsed.to_numpy(), index=ids).astype("datetime64[ns]")


def lifecycle_stages(
    accounts: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    as_of,
    new_days: int = 90,
    active_days: int = 120,
    lost_days: int = 365,
    gap_multiple: float | None = None,
    customer_col: str = "account_id",
    date_col: str = "order_date",
    since_col: str | None = "customer_since",
    lost_col: str | None = "lost_date",
) -> pd.DataFrame:
    """Place every account in a life-cycle stage on the date ``as_of``.

    Only orders on or before ``as_of`` count (later ones have not happened yet on that date).
    An account's clock starts at its first order or its contract date (``since_col``),
    whichever is earlier, and its last sign of life is its last order or, if it has not ordered
    since, its contract date. The rules are applied in this order; the first that fits wins:

    1. **lost**: a lost date is recorded on or before ``as_of`` (when ``lost_col`` is given);
    2. **prospect**: no order and no contract yet;
    3. **lost**: no sign of life for more than ``lost_days`` days;
    4. **new**: the clock started at most ``new_days`` days ago;
    5. **at risk**: quiet for longer than usual: more than ``active_days`` days, or, with
       ``gap_multiple``, more than ``gap_multiple`` times the account's own median gap between
       orders (accounts with fewer than two orders use ``active_days``);
    6. **active**: everything else.

    The contract date matters when the order history starts after some accounts were won
    (their first order in the data is not their first order ever): without it such accounts
    would look new.

    Parameters
    ----------
    accounts : pandas.DataFrame
        One row per account (only ``customer_col``, ``since_col`` and ``lost_col`` are used).
        Every account in ``orders`` must be listed.
    orders : pandas.DataFrame
        One row per order with ``customer_col`` and ``date_col``.
    as_of : str or date
        The date the stages describe, e.g. ``"2024-12-31"``.
    new_days, active_days, lost_days : int
        Thresholds in days (90, 120 and 365 by default); ``active_days < lost_days``.
    gap_multiple : float, optional
        Use each account's own buying rhythm for the at-risk rule (e.g. 2.0).
    customer_col, date_col : str
        Column names.
    since_col, lost_col : str or None
        Contract date and recorded lost date in ``accounts`` (empty cells allowed); None
        ignores them.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_col`` (accounts in input order); columns ``first_order``,
        ``last_order`` (NaT without orders), ``n_orders``, ``days_since_first`` (days since
        the clock started), ``days_since_last`` (days since the last sign of life; both missing
        for prospects) and ``stage`` (ordered categorical with the levels of :data:`STAGES`).

    Examples
    --------
    >>> import pandas as pd
    >>> accounts = pd.DataFrame({"account_id": ["N", "R"]})
    >>> orders = pd.DataFrame({"account_id": ["N", "R", "R"],
    ...     "order_date": pd.to_datetime(["2024-12-01", "2024-01-01", "2024-06-01"])})
    >>> lifecycle_stages(accounts, orders, as_of="2024-12-31", since_col=None,
    ...                  lost_col=None)["stage"].tolist()
    ['new', 'at risk']
    """
    func = "kamlib.lifecycle.lifecycle_stages"
    as_of = as_timestamp(as_of, "as_of", func)
    new_days = check_number(new_days, "new_days", func, low=0, integer=True)
    active_days = check_number(active_days, "active_days", func, low=1, integer=True)
    lost_days = check_number(lost_days, "lost_days", func, low=1, integer=True)
    if active_days >= lost_days:
        raise ParameterError(
            f"{func}: 'active_days' ({active_days}) must be smaller than 'lost_days' "
            f"({lost_days}); otherwise no account could be at risk."
        )
    if gap_multiple is not None:
        gap_multiple = check_number(gap_multiple, "gap_multiple", func, low=0, low_inclusive=False)
    require_frame(accounts, func, name="accounts")
    require_columns(
        accounts, [customer_col] + [c for c in (since_col, lost_col) if c is not None], func
    )
    require_unique(accounts, customer_col, func)
    found = _order_dates(orders, customer_col, date_col, func)
    ids = pd.Index(accounts[customer_col].astype(str), name=customer_col)
    require_known(orders, customer_col, ids, func, name="orders")
    lost_date = _optional_dates(accounts, lost_col, ids, func)
    won = _optional_dates(accounts, since_col, ids, func)
    won = won.where(won <= as_of)  # a contract signed after as_of does not exist yet

    past = found[found["date"] <= as_of]
    summary = past.groupby("customer")["date"].agg(["min", "max", "size"]).reindex(ids)
    first_order = summary["min"].astype("datetime64[ns]")
    last_order = summary["max"].astype("datetime64[ns]")
    clock_start = pd.concat([first_order, won], axis=1).min(axis=1)
    last_sign = pd.concat([last_order, won], axis=1).max(axis=1)
    days_first = (as_of - clock_start).dt.days
    days_last = (as_of - last_sign).dt.days
    threshold = pd.Series(float(active_days), index=ids)
    if gap_multiple is not None:
        gaps = past.sort_values(["customer", "date"]).assign(
            gap=lambda t: t.groupby("customer")["date"].diff().dt.days
        )
        usual = gaps.groupby("customer")["gap"].median().reindex(ids)
        threshold = (gap_multiple * usual).fillna(float(active_days))

    rules = [
        lost_date.notna() & (lost_date <= as_of),
        clock_start.isna(),
        days_last > lost_days,
        days_first <= new_days,
        days_last > threshold,
    ]
    conditions = [rule.fillna(False).to_numpy(dtype=bool) for rule in rules]
    stage = np.select(conditions, ["lost", "prospect", "lost", "new", "at risk"], default="active")
    return pd.DataFrame(
        {
            "first_order": first_order,
            "last_order": last_order,
            "n_orders": summary["size"].fillna(0).astype("int64"),
            "days_since_first": days_first.astype("Int64"),
            "days_since_last": days_last.astype("Int64"),
            "stage": pd.Categorical(stage, categories=list(STAGES), ordered=True),
        },
        index=ids,
    )


def stage_transitions(
    accounts: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    start,
    end,
    shares: bool = False,
    new_days: int = 90,
    active_days: int = 120,
    lost_days: int = 365,
    gap_multiple: float | None = None,
    customer_col: str = "account_id",
    date_col: str = "order_date",
    since_col: str | None = "customer_since",
    lost_col: str | None = "lost_date",
) -> pd.DataFrame:
    """Cross-tabulate each account's stage on ``start`` against its stage on ``end``.

    Parameters
    ----------
    accounts, orders : pandas.DataFrame
        As for :func:`lifecycle_stages`.
    start, end : str or date
        The two dates compared (``start`` before ``end``).
    shares : bool, default False
        False: numbers of accounts. True: each row divided by its total, i.e. the share of the
        accounts in a stage on ``start`` that are in each stage on ``end`` (rows with no
        account are left empty).
    new_days, active_days, lost_days, gap_multiple, customer_col, date_col, since_col, lost_col
        Passed to :func:`lifecycle_stages`.

    Returns
    -------
    pandas.DataFrame
        Rows ``from_stage`` (stage on ``start``) and columns ``to_stage`` (stage on ``end``),
        both in the order of :data:`STAGES`, every stage present.

    Examples
    --------
    >>> import pandas as pd
    >>> accounts = pd.DataFrame({"account_id": ["A", "B"]})
    >>> orders = pd.DataFrame({"account_id": ["A", "B"],
    ...     "order_date": pd.to_datetime(["2023-12-01", "2024-12-01"])})
    >>> t = stage_transitions(accounts, orders, start="2023-12-31", end="2024-12-31",
    ...                       since_col=None, lost_col=None)
    >>> int(t.loc["new", "lost"]), int(t.loc["prospect", "new"])
    (1, 1)
    """
    func = "kamlib.lifecycle.stage_transitions"
    t0 = as_timestamp(start, "start", func)
    t1 = as_timestamp(end, "end", func)
    if t1 <= t0:
        raise ParameterError(
            f"{func}: 'end' ({t1:%Y-%m-%d}) must be after 'start' ({t0:%Y-%m-%d})."
        )
    if not isinstance(shares, bool):
        raise ParameterError(f"{func}: 'shares' must be True or False, got {shares!r}.")
    rules = {
        "new_days": new_days,
        "active_days": active_days,
        "lost_days": lost_days,
        "gap_multiple": gap_multiple,
        "customer_col": customer_col,
        "date_col": date_col,
        "since_col": since_col,
        "lost_col": lost_col,
    }
    with as_called_by(func):
        before = lifecycle_stages(accounts, orders, as_of=t0, **rules)["stage"]
        after = lifecycle_stages(accounts, orders, as_of=t1, **rules)["stage"]
    table = pd.crosstab(
        pd.Categorical(before, categories=list(STAGES)),
        pd.Categorical(after, categories=list(STAGES)),
        dropna=False,
    ).reindex(index=list(STAGES), columns=list(STAGES), fill_value=0)
    table.index.name, table.columns.name = "from_stage", "to_stage"
    table = table.astype("int64")
    if shares:
        totals = table.sum(axis=1)
        table = table.div(totals.where(totals > 0), axis=0)
    return table


def cohort_counts(
    orders: pd.DataFrame,
    *,
    period: str = "M",
    end=None,
    customer_col: str = "account_id",
    date_col: str = "order_date",
) -> pd.DataFrame:
    """Number of customers of each cohort buying in each later period.

    A customer's cohort is the period (month, quarter or year) of their first order in
    ``orders``. Column ``k`` counts the cohort's customers with at least one order ``k`` periods
    after the cohort period, so column 0 is the cohort size. Cells after ``end`` cannot be
    observed yet and are missing (not zero).

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order with ``customer_col`` and ``date_col``.
    period : {"M", "Q", "Y"}, default "M"
        Length of a period: month, quarter or year.
    end : str or date, optional
        Last date observed; orders after it are not counted. By default the last order date
        (note that the last period may then be incomplete).
    customer_col, date_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort`` (pandas Periods), columns ``0, 1, 2, ...`` (``periods_since_first``),
        nullable integer counts.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"account_id": ["A", "A", "B", "C"],
    ...     "order_date": pd.to_datetime(["2024-01-05", "2024-02-07", "2024-01-20", "2024-02-03"])})
    >>> cohort_counts(orders).astype("float").fillna(-1).to_dict("list")
    {0: [2.0, 1.0], 1: [1.0, -1.0]}
    """
    func = "kamlib.lifecycle.cohort_counts"
    check_choice(period, "period", func, PERIODS)
    found = _order_dates(orders, customer_col, date_col, func)
    if end is not None:
        end = as_timestamp(end, "end", func)
        found = found[found["date"] <= end]
        if found.empty:
            raise DataError(f"{func}: no order on or before 'end' ({end:%Y-%m-%d}).")
    last = (end if end is not None else found["date"].max()).to_period(period).ordinal
    found["p"] = found["date"].dt.to_period(period).array.asi8
    first = found.groupby("customer")["p"].transform("min")
    found["k"] = found["p"] - first
    found["cohort"] = first
    counts = (
        found.drop_duplicates(["customer", "p"])
        .groupby(["cohort", "k"])
        .size()
        .unstack("k", fill_value=0)
    )
    width = int(last - counts.index.min()) + 1
    counts = counts.reindex(columns=range(width), fill_value=0).astype("Int64")
    observable = (counts.index.to_numpy()[:, None] + np.arange(width)[None, :]) <= last
    counts = counts.where(observable, pd.NA)
    counts.index = pd.PeriodIndex.from_ordinals(counts.index.to_numpy(), freq=period)
    counts.index.name = "cohort"
    counts.columns.name = "periods_since_first"
    return counts


def cohort_retention(
    orders: pd.DataFrame,
    *,
    period: str = "M",
    end=None,
    customer_col: str = "account_id",
    date_col: str = "order_date",
) -> pd.DataFrame:
    """Share of each cohort buying in each period after its first.

    Same arguments as :func:`cohort_counts`, whose table this divides by its column 0 (the
    cohort sizes, which :func:`cohort_counts` returns). Column 0 is therefore always 1.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort``, columns ``0, 1, 2, ...``; float shares, missing where not yet observed.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"account_id": ["A", "A", "B", "C"],
    ...     "order_date": pd.to_datetime(["2024-01-05", "2024-02-07", "2024-01-20", "2024-02-03"])})
    >>> cohort_retention(orders).loc["2024-01"].tolist()
    [1.0, 0.5]
    """
    with as_called_by("kamlib.lifecycle.cohort_retention"):
        counts = cohort_counts(
            orders, period=period, end=end, customer_col=customer_col, date_col=date_col
        )
    counts = counts.astype("float64")
    return counts.div(counts[0], axis=0)


def plot_cohort_heatmap(
    retention: pd.DataFrame,
    *,
    sizes: pd.Series | None = None,
    max_periods: int | None = None,
    annotate: bool = True,
    ax=None,
    title: str | None = None,
):
    """Heat map of a cohort retention table (rows: cohorts, columns: periods since first order).

    Parameters
    ----------
    retention : pandas.DataFrame
        Output of :func:`cohort_retention` (shares between 0 and 1, missing = not observed).
    sizes : pandas.Series, optional
        Cohort sizes (column 0 of :func:`cohort_counts`), shown beside the cohort labels.
    max_periods : int, optional
        Show only the first ``max_periods`` columns.
    annotate : bool, default True
        Write the percentage in each cell (skipped automatically for very large tables).
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    func = "kamlib.lifecycle.plot_cohort_heatmap"
    require_frame(retention, func, name="retention")
    values = retention.apply(pd.to_numeric, errors="coerce").astype(float)
    if (retention.notna() & values.isna()).any().any():
        raise DataError(f"{func}: 'retention' must hold numbers (shares between 0 and 1).")
    if ((values < 0) | (values > 1)).any().any():
        raise DataError(
            f"{func}: 'retention' has values outside 0-1. Pass shares, e.g. from "
            "cohort_retention(...), not counts or percentages."
        )
    annotate = check_flag(annotate, "annotate", func)
    if max_periods is not None:
        max_periods = check_number(max_periods, "max_periods", func, low=1, integer=True)
        values = values.iloc[:, :max_periods]
    ax = plot.get_ax(ax, figsize=(min(2 + 0.45 * values.shape[1], 12), 1.2 + 0.32 * len(values)))
    image = ax.imshow(
        np.ma.masked_invalid(values.to_numpy()), cmap="Blues", vmin=0, vmax=1, aspect="auto"
    )
    colorbar = ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    colorbar.set_label("Share of cohort buying")
    plot.share_axis(colorbar.ax, "y")
    labels = [str(c) for c in values.index]
    if sizes is not None:
        sizes = pd.Series(sizes).reindex(values.index)
        labels = [
            f"{c} (n={'?' if pd.isna(s) else int(s)})" for c, s in zip(labels, sizes, strict=True)
        ]
    ax.set_yticks(range(len(values)), labels)
    step = max(1, values.shape[1] // 24)
    ax.set_xticks(range(0, values.shape[1], step), [str(c) for c in values.columns[::step]])
    ax.grid(False)
    if annotate and values.size <= 600:
        for (i, j), share in np.ndenumerate(values.to_numpy()):
            if not np.isnan(share):
                ax.text(
                    j,
                    i,
                    f"{share:.0%}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if share > 0.6 else "black",
                )
    plot.label(
        ax,
        title or "Cohort retention: share of each cohort still buying",
        "Periods since first order",
        "Cohort (period of first order)",
    )
    return ax
