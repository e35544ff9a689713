"""Early warning: signals that a relationship is going wrong, and whether they warn in time.

Each signal compares an account with its own past, so a small account that always orders twice
a year is not flagged for ordering twice a year. As of a date, with a *recent* window (the last
``recent_days``) and a *baseline* window (the ``baseline_days`` before it):

- **orders**: the order rate of the recent window is at most half the baseline rate;
- **value**: the same for revenue;
- **complaints**: more complaints and tickets per day than in the baseline, and at least two;
- **payment**: invoices due in the recent window were paid more than ``late_days`` beyond
  terms on average, or a week slower than before (:func:`kamlib.credit_risk.late_payers`);
- **satisfaction**: the latest survey's CSAT is 2 or below, or a point or more under the one
  before.

Only data dated on or before ``as_of`` are read, so a signal could have been seen on that
day. The count of raised flags is the churn risk (0 low, 1 medium, 2 or more high); the
revenue of the last 365 days is the value at risk. :func:`evaluate_warnings` then checks the
list against the accounts that were in fact lost later.

>>> from kamlib import early_warning, toy
>>> signals = early_warning.warning_signals(toy.accounts(), toy.orders(), as_of="2024-12-31",
...                                         recent_days=120, baseline_days=240, lost_col=None)
>>> signals.loc["T01", ["orders_recent", "orders_baseline"]].astype(int).tolist()
[1, 3]
>>> signals.loc["T01", "churn_risk"]          # 1 order in 120 days against 3 in 240: no flag
'low'
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from kamlib import credit_risk, plot
from kamlib.errors import DataError, KamlibError, ParameterError
from kamlib.validation import (
    as_timestamp,
    check_number,
    require_columns,
    require_frame,
    require_known,
    require_no_missing,
    require_numeric,
    require_optional_dates,
    require_unique,
)

__all__ = [
    "RISK_LEVELS",
    "VALUE_TIERS",
    "evaluate_warnings",
    "plot_risk_matrix",
    "risk_matrix",
    "warning_signals",
]

#: Churn-risk levels from the number of raised flags, highest first.
RISK_LEVELS = ("high", "medium", "low")
#: Value tiers, highest first: the top 10% of value at risk, the next 40%, the rest.
VALUE_TIERS = ("high", "medium", "low")

FLAGS = ("orders", "value", "complaints", "payment", "satisfaction")


# The ledger's readers: one way to check a column name and to read dates in both modules.
_name = credit_risk._name
_dates = credit_risk._dates


def _window_counts(ids, dates, values, starts, func_ids) -> pd.DataFrame:
    """Sums of ``values`` per account in the baseline, recent and last-year windows."""
    base_start, recent_start, stamp, year_start = starts
    frame = pd.DataFrame({"id": ids, "date": dates, "value": values})
    frame = frame[frame["date"] <= stamp]
    out = pd.DataFrame(index=func_ids)
    for name, low, high in (
        ("baseline", base_start, recent_start),
        ("recent", recent_start, stamp),
        ("year", year_start, stamp),
    ):
        part = frame[(frame["date"] > low) & (frame["date"] <= high)]
        out[f"n_{name}"] = part.groupby("id").size().reindex(func_ids, fill_value=0)
        out[f"sum_{name}"] = part.groupby("id")["value"].sum().reindex(func_ids, fill_value=0.0)
    return out


def warning_signals(
    accounts: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    as_of,
    interactions: pd.DataFrame | None = None,
    surveys: pd.DataFrame | None = None,
    invoices: pd.DataFrame | None = None,
    payments: pd.DataFrame | None = None,
    recent_days: int = 180,
    baseline_days: int = 360,
    min_baseline_orders: int = 2,
    late_days: float = 15.0,
    complaint_types=("complaint", "ticket"),
    customer_col: str = "account_id",
    since_col: str = "customer_since",
    lost_col: str | None = "lost_date",
    date_col: str = "order_date",
    value_col: str = "net_revenue_cny",
    interaction_date_col: str = "interaction_date",
    type_col: str = "interaction_type",
    survey_date_col: str = "survey_date",
    score_col: str = "csat",
) -> pd.DataFrame:
    """Warning signals per account on the books at ``as_of``, with churn risk and value at risk.

    Parameters
    ----------
    accounts, orders : pandas.DataFrame
        The course tables (or yours with the same columns). Accounts on the books are those
        won on or before ``as_of`` and not lost on or before it (``lost_col``; ``None`` if you
        have no lost dates).
    as_of : str or Timestamp
        The day the warning list is drawn up. Nothing dated later is read.
    interactions, surveys, invoices, payments : pandas.DataFrame, optional
        ``service_interactions``, ``surveys`` and the ledger. A signal whose table is not given
        is not raised (its flag is False) and its columns are left out.
    recent_days, baseline_days : int, default 180 and 360
        Lengths of the recent window and of the baseline window before it.
    min_baseline_orders : int, default 2
        Fewer baseline orders than this: the account has no baseline and the order and value
        signals are not raised (new accounts are not "falling").
    late_days : float, default 15
        Days beyond terms that make a late payer (see :func:`kamlib.credit_risk.late_payers`).
    complaint_types : sequence of str
        Interaction types counted as complaints.
    customer_col, since_col, lost_col, date_col, value_col : str
        Columns of ``accounts`` and ``orders``.
    interaction_date_col, type_col, survey_date_col, score_col : str
        Columns of ``interactions`` and ``surveys``.

    Returns
    -------
    pandas.DataFrame
        One row per account (index ``customer_col``): ``orders_recent``, ``orders_baseline``,
        ``order_rate_ratio`` and ``revenue_ratio`` (recent per day over baseline per day;
        empty without a baseline), ``complaints_recent``, ``complaints_baseline``,
        ``days_late_recent``, ``days_late_previous``, ``csat_latest``, ``csat_previous``, the
        flags ``flag_orders``, ``flag_value``, ``flag_complaints``, ``flag_payment``,
        ``flag_satisfaction``, then ``n_flags``, ``churn_risk`` (high, medium, low),
        ``value_at_risk`` (revenue of the last 365 days) and ``value_tier``.

    Examples
    --------
    >>> from kamlib import toy
    >>> s = warning_signals(toy.accounts(), toy.orders(), as_of="2024-12-31",
    ...                     interactions=toy.interactions(), recent_days=120,
    ...                     baseline_days=240, lost_col=None)
    >>> int(s.loc["T04", "complaints_recent"])   # the ticket of 15 Sept (the complaint is older)
    1
    >>> bool(s.loc["T04", "flag_complaints"])    # a flag needs at least two
    False
    """
    func = "kamlib.early_warning.warning_signals"
    stamp = as_timestamp(as_of, "as_of", func)
    recent = check_number(recent_days, "recent_days", func, low=1, integer=True)
    baseline = check_number(baseline_days, "baseline_days", func, low=1, integer=True)
    min_orders = check_number(min_baseline_orders, "min_baseline_orders", func, low=1, integer=True)
    late = check_number(late_days, "late_days", func)
    if isinstance(complaint_types, str) or not isinstance(complaint_types, list | tuple | set):
        raise ParameterError(
            f"{func}: 'complaint_types' must be a list of interaction types such as "
            f"('complaint', 'ticket'), got {complaint_types!r}."
        )
    for name, value in (
        ("customer_col", customer_col),
        ("since_col", since_col),
        ("date_col", date_col),
        ("value_col", value_col),
        ("interaction_date_col", interaction_date_col),
        ("type_col", type_col),
        ("survey_date_col", survey_date_col),
        ("score_col", score_col),
    ):
        _name(value, name, func)
    if lost_col is not None:
        _name(lost_col, "lost_col", func)
    require_frame(accounts, func, name="accounts")
    require_frame(orders, func, name="orders")
    require_columns(accounts, [customer_col, since_col] + ([lost_col] if lost_col else []), func)
    require_columns(orders, [customer_col, date_col, value_col], func)
    require_no_missing(accounts, customer_col, func, what="account id")
    require_unique(accounts, customer_col, func)
    require_no_missing(orders, customer_col, func, what="account id")
    ids_all = pd.Index(accounts[customer_col].astype(str), name=customer_col)
    require_known(orders, customer_col, ids_all, func, name="orders")
    since = _dates(accounts, since_col, func)
    on_books = (since <= stamp).to_numpy().copy()
    if lost_col:
        lost = require_optional_dates(accounts, lost_col, func)
        on_books &= (lost.isna() | (lost > stamp)).to_numpy()
    ids = ids_all[on_books]
    if ids.empty:
        raise DataError(
            f"{func}: no account was on the books on {stamp:%Y-%m-%d} (won by then and not "
            "yet lost). Choose another date."
        )
    order_dates = _dates(orders, date_col, func)
    revenue = require_numeric(orders, value_col, func).astype(float)
    recent_start = stamp - pd.Timedelta(days=recent)
    starts = (
        recent_start - pd.Timedelta(days=baseline),
        recent_start,
        stamp,
        stamp - pd.Timedelta(days=365),
    )
    counts = _window_counts(
        orders[customer_col].astype(str).to_numpy(), order_dates.to_numpy(), revenue.to_numpy(),
        starts, ids,
    )  # fmt: skip
    out = pd.DataFrame(index=ids)
    out["orders_recent"] = counts["n_recent"].astype("int64")
    out["orders_baseline"] = counts["n_baseline"].astype("int64")
    has_base = counts["n_baseline"] >= min_orders
    scale = baseline / recent
    out["order_rate_ratio"] = (counts["n_recent"] * scale / counts["n_baseline"]).where(has_base)
    base_sum = counts["sum_baseline"].where(has_base & (counts["sum_baseline"] > 0))
    out["revenue_ratio"] = counts["sum_recent"] * scale / base_sum
    out["flag_orders"] = (out["order_rate_ratio"] <= 0.5).astype(bool)
    out["flag_value"] = (out["revenue_ratio"] <= 0.5).astype(bool)
    out["flag_complaints"] = False
    if interactions is not None:
        require_frame(interactions, func, name="interactions", allow_empty=False)
        require_columns(interactions, [customer_col, interaction_date_col, type_col], func)
        require_no_missing(interactions, customer_col, func, what="account id")
        require_no_missing(interactions, type_col, func, what="interaction type")
        require_known(interactions, customer_col, ids_all, func, name="interactions")
        when = _dates(interactions, interaction_date_col, func)
        is_complaint = interactions[type_col].isin(list(complaint_types)).to_numpy(dtype=float)
        c = _window_counts(
            interactions[customer_col].astype(str).to_numpy(), when.to_numpy(), is_complaint,
            starts, ids,
        )  # fmt: skip
        out["complaints_recent"] = c["sum_recent"].astype("int64")
        out["complaints_baseline"] = c["sum_baseline"].astype("int64")
        out["flag_complaints"] = (out["complaints_recent"] >= 2) & (
            out["complaints_recent"] * scale > out["complaints_baseline"]
        )
    out["flag_payment"] = False
    if (invoices is None) != (payments is None):
        raise ParameterError(
            f"{func}: the payment signal needs both 'invoices' and 'payments'; "
            "pass both or neither."
        )
    if invoices is not None:
        late_table = _late_table(invoices, payments, stamp, recent, late, customer_col, func)
        late_table.index = late_table.index.astype(str)
        out["days_late_recent"] = late_table["days_late_recent"].reindex(ids)
        out["days_late_previous"] = late_table["days_late_previous"].reindex(ids)
        flagged = late_table["late_payer"] | late_table["worsening"]
        out["flag_payment"] = flagged.reindex(ids, fill_value=False).astype(bool)
    out["flag_satisfaction"] = False
    if surveys is not None:
        out = out.join(_survey_signal(surveys, ids_all, ids, stamp, func, customer_col,
                                      survey_date_col, score_col))  # fmt: skip
        drop = out["csat_previous"] - out["csat_latest"]
        out["flag_satisfaction"] = ((out["csat_latest"] <= 2) | (drop >= 1)).astype(bool)
    flag_cols = [f"flag_{f}" for f in FLAGS]
    out = out[[c for c in out.columns if c not in flag_cols] + flag_cols]
    out["n_flags"] = out[flag_cols].sum(axis=1).astype("int64")
    out["churn_risk"] = np.select([out["n_flags"] >= 2, out["n_flags"] == 1], ["high", "medium"],
                                  "low")  # fmt: skip
    out["value_at_risk"] = counts["sum_year"].astype(float)
    rank = out["value_at_risk"].rank(pct=True, method="first", ascending=False)
    out["value_tier"] = np.select([rank <= 0.1, rank <= 0.5], ["high", "medium"], "low")
    return out


def _late_table(invoices, payments, stamp, recent, late, customer_col, func) -> pd.DataFrame:
    """credit_risk.late_payers, with its errors and warnings told in this function's name."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            table = credit_risk.late_payers(
                invoices, payments, as_of=stamp, window_days=recent, late_days=late,
                customer_col=customer_col,
            )  # fmt: skip
        except KamlibError as exc:
            raise type(exc)(f"{func} (payment signal): {exc}") from None
    for item in caught:
        warnings.warn(f"{func} (payment signal): {item.message}", UserWarning, stacklevel=3)
    return table


def _survey_signal(surveys, ids_all, ids, stamp, func, customer_col, date_col, score_col):
    require_frame(surveys, func, name="surveys")
    require_columns(surveys, [customer_col, date_col, score_col], func)
    require_no_missing(surveys, customer_col, func, what="account id")
    require_known(surveys, customer_col, ids_all, func, name="surveys")
    when = _dates(surveys, date_col, func)
    score = require_numeric(surveys, score_col, func).astype(float)
    frame = pd.DataFrame(
        {"id": surveys[customer_col].astype(str).to_numpy(), "date": when.to_numpy(),
         "score": score.to_numpy()}
    )  # fmt: skip
    frame = frame[frame["date"] <= stamp].sort_values(["id", "date"], kind="stable")
    last = frame.groupby("id").tail(1).set_index("id")["score"]
    previous = frame.groupby("id").nth(-2).set_index("id")["score"]
    return pd.DataFrame(
        {"csat_latest": last.reindex(ids), "csat_previous": previous.reindex(ids)}, index=ids
    )


def _signals(signals, func: str, columns) -> pd.DataFrame:
    require_frame(signals, func, name="signals")
    require_columns(signals, columns, func)
    if signals.index.has_duplicates:
        raise DataError(
            f"{func}: the index of 'signals' repeats account(s); pass the table of "
            "warning_signals (one row per account)."
        )
    for column in ("churn_risk", "value_tier"):
        if column in columns:
            require_no_missing(signals, column, func, what="level")
            bad = ~signals[column].isin(RISK_LEVELS)
            if bad.any():
                raise DataError(
                    f"{func}: column '{column}' holds {signals.loc[bad, column].unique()[:3]!r}; "
                    f"expected one of {RISK_LEVELS}."
                )
    return signals


def risk_matrix(signals: pd.DataFrame, *, what: str = "accounts") -> pd.DataFrame:
    """The churn-risk x value-at-risk matrix: accounts (or their value) in each cell.

    Rows are the churn risk (high, medium, low), columns the value tier (high, medium, low).
    The top-left cell holds the accounts to act on first: likely to go and worth most.

    Parameters
    ----------
    signals : pandas.DataFrame
        The table of :func:`warning_signals`.
    what : {"accounts", "value"}
        Count the accounts, or sum their value at risk (CNY).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"churn_risk": ["high", "low", "high"],
    ...                   "value_tier": ["high", "low", "low"],
    ...                   "value_at_risk": [900.0, 50.0, 30.0]})
    >>> risk_matrix(s).loc["high"].tolist()
    [1, 0, 1]
    """
    return _matrix(signals, what, "kamlib.early_warning.risk_matrix")


def _matrix(signals, what, func) -> pd.DataFrame:
    if what not in ("accounts", "value"):
        raise ParameterError(f"{func}: 'what' must be 'accounts' or 'value', got {what!r}.")
    columns = ["churn_risk", "value_tier"] + (["value_at_risk"] if what == "value" else [])
    signals = _signals(signals, func, columns)
    if what == "value":
        require_numeric(signals, "value_at_risk", func)
        table = signals.pivot_table(
            index="churn_risk", columns="value_tier", values="value_at_risk", aggfunc="sum"
        )
    else:
        table = pd.crosstab(signals["churn_risk"], signals["value_tier"])
    table = table.reindex(index=list(RISK_LEVELS), columns=list(VALUE_TIERS)).fillna(0)
    table = table.astype(float if what == "value" else "int64")
    table.index.name, table.columns.name = "churn risk", "value tier"
    return table


def evaluate_warnings(
    signals: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    as_of,
    horizon_days: int = 180,
    level: str = "high",
    customer_col: str = "account_id",
    lost_col: str = "lost_date",
) -> pd.Series:
    """How good was the warning list? Precision, recall and lead time against real losses.

    An account is *warned* when its churn risk is ``level`` (or higher). It was *lost in time*
    when its true lost date falls after ``as_of`` and at most ``horizon_days`` later. The lost
    dates are the check, never an input of the signals.

    Returns
    -------
    pandas.Series
        ``accounts`` (scored), ``warned``, ``lost`` (lost within the horizon, all scored
        accounts), ``warned_and_lost``, ``precision`` (share of warned accounts lost),
        ``base_rate`` (share of all accounts lost), ``lift`` (precision / base rate),
        ``recall`` (share of lost accounts warned), ``median_lead_days`` and
        ``min_lead_days`` (days from ``as_of`` to the loss, for the warned and lost).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"churn_risk": ["high", "high", "low", "low"]},
    ...                  index=pd.Index(["A", "B", "C", "D"], name="account_id"))
    >>> acc = pd.DataFrame({"account_id": ["A", "B", "C", "D"],
    ...     "lost_date": pd.to_datetime(["2024-03-01", None, "2024-02-01", None])})
    >>> r = evaluate_warnings(s, acc, as_of="2024-01-01", horizon_days=90)
    >>> r[["precision", "recall", "lift", "median_lead_days"]].tolist()
    [0.5, 0.5, 1.0, 60.0]
    """
    func = "kamlib.early_warning.evaluate_warnings"
    stamp = as_timestamp(as_of, "as_of", func)
    horizon = check_number(horizon_days, "horizon_days", func, low=1, integer=True)
    if level not in ("high", "medium"):
        raise ParameterError(f"{func}: 'level' must be 'high' or 'medium', got {level!r}.")
    signals = _signals(signals, func, ["churn_risk"])
    _name(customer_col, "customer_col", func)
    _name(lost_col, "lost_col", func)
    require_frame(accounts, func, name="accounts")
    require_columns(accounts, [customer_col, lost_col], func)
    require_no_missing(accounts, customer_col, func, what="account id")
    require_unique(accounts, customer_col, func)
    lost = require_optional_dates(accounts, lost_col, func)
    lost = pd.Series(lost.to_numpy(), index=accounts[customer_col].astype(str))
    ids = signals.index.astype(str)
    unknown = ids.difference(lost.index)
    if len(unknown):
        raise DataError(
            f"{func}: {len(unknown)} account(s) of 'signals' are not in 'accounts' "
            f"(e.g. {list(unknown[:3])}). Pass the accounts the signals were computed for."
        )
    lost = lost.reindex(ids)
    if (lost <= stamp).any():
        raise DataError(
            f"{func}: {int((lost <= stamp).sum())} scored account(s) were already lost on "
            f"{stamp:%Y-%m-%d}; were the signals computed as of this date?"
        )
    lead = (lost - stamp).dt.days
    in_time = (lead <= horizon).to_numpy()
    levels = ("high",) if level == "high" else ("high", "medium")
    warned = signals["churn_risk"].isin(levels).to_numpy()
    hits = warned & in_time
    n, n_warned, n_lost, n_hits = len(ids), int(warned.sum()), int(in_time.sum()), int(hits.sum())
    precision = n_hits / n_warned if n_warned else np.nan
    base = n_lost / n
    return pd.Series(
        {
            "accounts": n,
            "warned": n_warned,
            "lost": n_lost,
            "warned_and_lost": n_hits,
            "precision": precision,
            "base_rate": base,
            "lift": precision / base if base > 0 and n_warned else np.nan,
            "recall": n_hits / n_lost if n_lost else np.nan,
            "median_lead_days": float(np.median(lead[hits])) if n_hits else np.nan,
            "min_lead_days": float(np.min(lead[hits])) if n_hits else np.nan,
        },
        name=f"warnings as of {stamp:%Y-%m-%d}",
        dtype=object,
    )


def plot_risk_matrix(signals: pd.DataFrame, *, ax=None):
    """Heat map of the churn-risk x value matrix: accounts and value at risk in each cell."""
    func = "kamlib.early_warning.plot_risk_matrix"
    counts = _matrix(signals, "accounts", func)
    value = _matrix(signals, "value", func)
    ax = plot.get_ax(ax, figsize=(6.5, 4.5))
    share = value.to_numpy() / max(value.to_numpy().sum(), 1e-12)
    ax.imshow(share, cmap="Oranges", vmin=0, vmax=max(share.max(), 1e-12))
    dark = share > 0.6 * max(share.max(), 1e-12)  # white text on the darkest cells
    for i in range(3):
        for j in range(3):
            ax.text(
                j, i, f"{counts.iat[i, j]} accounts\n{plot._money(value.iat[i, j])}",
                ha="center", va="center", fontsize=9, color="white" if dark[i, j] else "black",
            )  # fmt: skip
    ax.set_xticks(range(3), [f"{t} value" for t in VALUE_TIERS])
    ax.set_yticks(range(3), [f"{r} risk" for r in RISK_LEVELS])
    ax.grid(False)
    return plot.label(
        ax,
        "Churn risk x value at risk",
        "Value at risk (revenue of the last 12 months)",
        "Churn risk (warning flags raised)",
    )
