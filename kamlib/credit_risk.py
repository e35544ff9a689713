"""Credit risk from the ledger: open items, ageing, days sales outstanding, late payers, loss.

Every function reads two tables as the course data hold them, ``invoices`` (one row per
invoice: ``invoice_id, account_id, invoice_date, due_date, amount_cny``) and ``payments`` (one
row per payment received: ``invoice_id, payment_date, amount_cny``), and looks at them *as of*
a date: invoices issued after it do not exist yet and payments received after it have not
arrived.

How the ledger is read (and what is refused):

- **Partial payments** are summed per invoice; what is not yet paid stays open.
- **Overpayments** (an invoice paid more than its amount) leave the invoice at zero and the
  excess as a ``credit_balance`` owed back to the customer; a warning says how many and how
  much. Nothing is dropped.
- **Credit notes** are not negative invoices here: a negative invoice amount is refused. Book a
  credit note as a row of ``payments`` against the invoice it corrects (it settles that
  amount without cash).
- A payment of a negative amount (a refund), a payment against an invoice id that is not in
  ``invoices``, and a payment dated before its invoice are refused with a clear error.

>>> from kamlib import credit_risk, toy
>>> credit_risk.ageing(toy.invoices(), toy.payments(), as_of="2024-12-31")["amount"].to_dict()
{'not due': 200.0, '1-30': 300.0, '31-60': 225.0, '61-90': 0.0, 'over 90': 150.0}
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    as_timestamp,
    check_choice,
    check_number,
    require_columns,
    require_dates,
    require_frame,
    require_no_missing,
    require_numeric,
    require_unique,
)

__all__ = [
    "BASEL_FOUNDATION_LGD",
    "DEFAULT_BOUNDS",
    "DEFAULT_PD",
    "ageing",
    "credit_exposure",
    "dso",
    "expected_loss",
    "late_payers",
    "observed_default_rates",
    "open_items",
    "plot_ageing",
]

#: Upper ends (days past due) of the ageing buckets: not due, 1-30, 31-60, 61-90, over 90.
DEFAULT_BOUNDS = (30, 60, 90)

#: Teaching assumption for the probability that an open amount is never paid, by ageing
#: bucket. Replace it with rates observed in your own ledger (:func:`observed_default_rates`).
DEFAULT_PD = {"not due": 0.01, "1-30": 0.03, "31-60": 0.10, "61-90": 0.25, "over 90": 0.50}

#: Loss given default of a senior claim on a company without collateral in the Basel II
#: foundation approach: 45% of the exposure is lost when the debtor defaults.
BASEL_FOUNDATION_LGD = 0.45

_TOL = 0.005  # half a fen: amounts within it are equal


# --- reading the ledger -----------------------------------------------------------------------


def _name(value, name: str, func: str) -> str:
    if not isinstance(value, str):
        raise ParameterError(
            f"{func}: '{name}' must be a column name (text), got {value!r} "
            f"({type(value).__name__})."
        )
    return value


def _dates(frame: pd.DataFrame, column: str, func: str) -> pd.Series:
    # require_dates refuses numbers read as dates; one resolution keeps comparisons simple.
    return require_dates(frame, column, func).astype("datetime64[ns]")


def _bucket_labels(bounds: tuple[int, ...]) -> list[str]:
    labels, low = ["not due"], 1
    for high in bounds:
        labels.append(f"{low}-{high}")
        low = high + 1
    labels.append(f"over {bounds[-1]}")
    return labels


def _check_bounds(bounds, func: str) -> tuple[int, ...]:
    if isinstance(bounds, str) or not isinstance(bounds, list | tuple) or not bounds:
        raise ParameterError(
            f"{func}: 'bounds' must be a list of increasing whole numbers of days such as "
            f"(30, 60, 90), got {bounds!r}."
        )
    out = tuple(check_number(b, "bounds", func, low=1, integer=True) for b in bounds)
    if any(b >= c for b, c in zip(out, out[1:], strict=False)):
        raise ParameterError(f"{func}: 'bounds' must increase, got {bounds!r}.")
    return out


def _ledger(invoices, payments, as_of, func, cols):
    """Validated invoices (issued by ``as_of``) and payments (received by it)."""
    inv_id, acc, inv_date, due, amount, pay_date, pay_amount = cols
    for name, value in zip(
        ("invoice_col", "customer_col", "invoice_date_col", "due_col", "amount_col",
         "payment_date_col", "payment_amount_col"),
        cols,
        strict=True,
    ):  # fmt: skip
        _name(value, name, func)
    stamp = as_timestamp(as_of, "as_of", func) if as_of is not None else None
    require_frame(invoices, func, name="invoices")
    require_frame(payments, func, name="payments", allow_empty=True)
    require_columns(invoices, [inv_id, acc, inv_date, due, amount], func)
    require_columns(payments, [inv_id, pay_date, pay_amount], func)
    require_no_missing(invoices, inv_id, func, what="invoice id")
    require_no_missing(invoices, acc, func, what="account id")
    require_unique(invoices, inv_id, func)
    issued = _dates(invoices, inv_date, func)
    due_dates = _dates(invoices, due, func)
    amounts = require_numeric(invoices, amount, func).astype(float)
    if (amounts < 0).any():
        raise DataError(
            f"{func}: column '{amount}' of 'invoices' has {int((amounts < 0).sum())} negative "
            "amount(s). A credit note is not a negative invoice here: book it as a row of "
            "'payments' against the invoice it corrects (it settles that amount without cash)."
        )
    early_due = due_dates < issued
    if early_due.any():
        raise DataError(
            f"{func}: {int(early_due.sum())} invoice(s) fall due before they are issued "
            f"(e.g. {invoices.loc[early_due, inv_id].head(3).tolist()}). Check '{due}'."
        )
    inv = pd.DataFrame(
        {
            "invoice_id": invoices[inv_id].astype(str).to_numpy(),
            "account_id": invoices[acc].astype(str).to_numpy(),
            "invoice_date": issued.to_numpy(),
            "due_date": due_dates.to_numpy(),
            "amount": amounts.to_numpy(),
        }
    )
    if payments.empty:
        warnings.warn(
            f"{func}: 'payments' has no rows, so every invoice is read as unpaid.",
            UserWarning,
            stacklevel=3,
        )
        pay = pd.DataFrame(
            {"invoice_id": pd.Series([], dtype=str), "payment_date": pd.Series([], dtype="M8[ns]"),
             "amount": pd.Series([], dtype=float)}
        )  # fmt: skip
    else:
        require_no_missing(payments, inv_id, func, what="invoice id")
        paid_on = _dates(payments, pay_date, func)
        paid = require_numeric(payments, pay_amount, func).astype(float)
        if (paid < 0).any():
            raise DataError(
                f"{func}: column '{pay_amount}' of 'payments' has {int((paid < 0).sum())} "
                "negative amount(s). Refunds are not payments: subtract a refund from the "
                "payment it returns, or book it as an invoice to the customer."
            )
        pay = pd.DataFrame(
            {
                "invoice_id": payments[inv_id].astype(str).to_numpy(),
                "payment_date": paid_on.to_numpy(),
                "amount": paid.to_numpy(),
            }
        )
        unknown = pd.Index(pay["invoice_id"].unique()).difference(pd.Index(inv["invoice_id"]))
        if len(unknown):
            raise DataError(
                f"{func}: {len(unknown)} invoice id(s) in 'payments' are not in 'invoices' "
                f"(e.g. {list(unknown[:3])}). Pass the invoices these payments settle, or "
                "correct the ids."
            )
        issued_on = pay["invoice_id"].map(inv.set_index("invoice_id")["invoice_date"])
        before = pay["payment_date"] < issued_on
        if before.any():
            raise DataError(
                f"{func}: {int(before.sum())} payment(s) are dated before their invoice "
                f"(e.g. invoice {pay.loc[before, 'invoice_id'].head(3).tolist()}). A prepayment "
                "must be matched to its invoice with the invoice's date; otherwise fix the date."
            )
    if stamp is not None:
        inv = inv[inv["invoice_date"] <= stamp]
        pay = pay[pay["payment_date"] <= stamp]
        if inv.empty:
            raise DataError(
                f"{func}: no invoice was issued on or before as_of={stamp:%Y-%m-%d}. "
                "Choose a later date."
            )
    return inv.reset_index(drop=True), pay.reset_index(drop=True), stamp


def _settle(inv: pd.DataFrame, pay: pd.DataFrame, func: str, *, warn: bool = True):
    """Paid, open and credit balance per invoice, and the date it was settled in full."""
    paid = pay.groupby("invoice_id")["amount"].sum()
    out = inv.copy()
    out["paid"] = out["invoice_id"].map(paid).fillna(0.0).astype(float)
    excess = out["paid"] - out["amount"]
    over = excess > _TOL
    if warn and over.any():
        warnings.warn(
            f"{func}: {int(over.sum())} invoice(s) were paid more than their amount "
            f"({excess[over].sum():,.2f} CNY in all); they count as settled and the excess as "
            "a credit balance owed to the customer (column 'credit_balance').",
            UserWarning,
            stacklevel=3,
        )
    out["open_amount"] = (-excess).clip(lower=0.0).where(lambda s: s > _TOL, 0.0)
    out["credit_balance"] = excess.where(over, 0.0)
    if pay.empty:
        out["settled_date"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
        return out
    ordered = pay.sort_values("payment_date", kind="stable")
    ordered = ordered.assign(cum=ordered.groupby("invoice_id")["amount"].cumsum())
    ordered["target"] = ordered["invoice_id"].map(inv.set_index("invoice_id")["amount"])
    done = ordered[ordered["cum"] >= ordered["target"] - _TOL]
    out["settled_date"] = out["invoice_id"].map(done.groupby("invoice_id")["payment_date"].min())
    return out


def open_items(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of,
    bounds=DEFAULT_BOUNDS,
    invoice_col: str = "invoice_id",
    customer_col: str = "account_id",
    invoice_date_col: str = "invoice_date",
    due_col: str = "due_date",
    amount_col: str = "amount_cny",
    payment_date_col: str = "payment_date",
    payment_amount_col: str = "amount_cny",
) -> pd.DataFrame:
    """Each invoice issued by ``as_of``: what was paid by then, what is open, how overdue.

    Parameters
    ----------
    invoices, payments : pandas.DataFrame
        The ledger (see the module notes for partial payments, overpayments, credit notes).
    as_of : str or Timestamp
        The date of the snapshot.
    bounds : sequence of int, default (30, 60, 90)
        Upper ends of the overdue buckets in days past due.
    invoice_col, customer_col, invoice_date_col, due_col, amount_col : str
        Columns of ``invoices``; ``invoice_col``, ``payment_date_col`` and
        ``payment_amount_col`` are read from ``payments``.

    Returns
    -------
    pandas.DataFrame
        One row per invoice: ``invoice_id, account_id, invoice_date, due_date, amount, paid,
        open_amount, credit_balance, settled_date`` (when it was paid in full, empty if not by
        ``as_of``), ``days_past_due`` (``as_of`` minus the due date, for every invoice) and
        ``bucket`` (``"paid"`` for a settled invoice, else ``"not due"``, ``"1-30"``, ...).

    Examples
    --------
    >>> from kamlib import toy
    >>> items = open_items(toy.invoices(), toy.payments(), as_of="2024-12-31")
    >>> items.loc[items["open_amount"] > 0, ["invoice_id", "open_amount", "days_past_due",
    ...                                      "bucket"]].to_string(index=False)
    'invoice_id  open_amount  days_past_due  bucket\\n       I07        150.0             93 over 90\\n       I08        225.0             50   31-60\\n       I09        300.0              6    1-30\\n       I10        200.0              0 not due'
    """
    func = "kamlib.credit_risk.open_items"
    columns = {
        "invoice_col": invoice_col, "customer_col": customer_col,
        "invoice_date_col": invoice_date_col, "due_col": due_col, "amount_col": amount_col,
        "payment_date_col": payment_date_col, "payment_amount_col": payment_amount_col,
    }  # fmt: skip
    out = _items(invoices, payments, as_of, _check_bounds(bounds, func), func, columns)
    out.attrs = {}
    return out


def ageing(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of,
    bounds=DEFAULT_BOUNDS,
    by_account: bool = False,
    **columns,
) -> pd.DataFrame:
    """Receivables ageing: the open amount as of a date, by days past due.

    Parameters
    ----------
    invoices, payments : pandas.DataFrame
        The ledger.
    as_of : str or Timestamp
        The snapshot date.
    bounds : sequence of int, default (30, 60, 90)
        Bucket ends in days past due: buckets ``not due``, ``1-30``, ``31-60``, ``61-90``,
        ``over 90``.
    by_account : bool, default False
        One row per account with open items (columns = buckets, plus ``total``) instead of one
        row per bucket.
    **columns
        Column names, as in :func:`open_items`.

    Returns
    -------
    pandas.DataFrame
        By bucket: ``invoices`` (open invoices), ``amount`` and ``share`` of all receivables.

    Examples
    --------
    >>> from kamlib import toy
    >>> table = ageing(toy.invoices(), toy.payments(), as_of="2024-12-31", by_account=True)
    >>> table["total"].to_dict()
    {'T01': 300.0, 'T03': 225.0, 'T02': 200.0, 'T04': 150.0}
    """
    func = "kamlib.credit_risk.ageing"
    if not isinstance(by_account, bool | np.bool_):
        raise ParameterError(f"{func}: 'by_account' must be True or False, got {by_account!r}.")
    edges = _check_bounds(bounds, func)
    items = _items(invoices, payments, as_of, edges, func, columns)
    labels = _bucket_labels(edges)
    open_ = items[items["open_amount"] > 0]
    if by_account:
        table = open_.pivot_table(
            index="account_id", columns="bucket", values="open_amount", aggfunc="sum"
        )
        table = table.reindex(columns=labels).fillna(0.0)
        table.columns.name = None
        table["total"] = table.sum(axis=1)
        return table.sort_values("total", ascending=False, kind="stable")
    grouped = open_.groupby("bucket")["open_amount"]
    table = pd.DataFrame({"invoices": grouped.size(), "amount": grouped.sum()}).reindex(
        labels, fill_value=0
    )
    table["invoices"] = table["invoices"].astype("int64")
    table["amount"] = table["amount"].astype(float)
    total = table["amount"].sum()
    table["share"] = table["amount"] / total if total > 0 else 0.0
    table.index.name = "bucket"
    return table


def _items(invoices, payments, as_of, edges, func, columns) -> pd.DataFrame:
    """open_items with the calling function's name in every message."""
    allowed = {
        "invoice_col", "customer_col", "invoice_date_col", "due_col", "amount_col",
        "payment_date_col", "payment_amount_col",
    }  # fmt: skip
    extra = set(columns) - allowed
    if extra:
        raise ParameterError(f"{func}: unknown keyword argument(s) {sorted(extra)}.")
    defaults = {
        "invoice_col": "invoice_id", "customer_col": "account_id",
        "invoice_date_col": "invoice_date", "due_col": "due_date", "amount_col": "amount_cny",
        "payment_date_col": "payment_date", "payment_amount_col": "amount_cny",
    }  # fmt: skip
    defaults.update(columns)
    cols = tuple(defaults[k] for k in (
        "invoice_col", "customer_col", "invoice_date_col", "due_col", "amount_col",
        "payment_date_col", "payment_amount_col"))  # fmt: skip
    inv, pay, stamp = _ledger(invoices, payments, as_of, func, cols)
    out = _settle(inv, pay, func)
    out["days_past_due"] = (stamp - out["due_date"]).dt.days.astype("int64")
    labels = np.array(_bucket_labels(edges))
    cuts = np.searchsorted(np.array(edges), out["days_past_due"].to_numpy(), side="left") + 1
    cuts = np.where(out["days_past_due"].to_numpy() <= 0, 0, cuts)
    out["bucket"] = np.where(out["open_amount"] > 0, labels[cuts], "paid")
    out.attrs["as_of"] = stamp
    out.attrs["payments"] = pay
    return out


def dso(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of,
    method: str = "countback",
    days: int = 90,
    **columns,
) -> float:
    """Days sales outstanding: how many days of sales are still unpaid on ``as_of``.

    Two definitions are in use, and they differ when sales are uneven:

    - ``method="average"``: DSO = receivables / sales of the last ``days`` days x ``days``
      (the period-average formula of most textbooks, with receivables at the end).
    - ``method="countback"``: start from the receivables and walk back through the calendar
      months (the month of ``as_of`` up to ``as_of``, then whole months), taking away each
      month's sales while they fit; DSO is the days of the months used up, plus the part of
      the last month that the remainder covers. It ties receivables to the most recent sales,
      so a strong last month does not flatter it.

    Receivables are the open amounts of :func:`open_items` (credit balances not netted).

    Examples
    --------
    >>> from kamlib import toy
    >>> inv, pay = toy.invoices(), toy.payments()
    >>> round(dso(inv, pay, as_of="2024-12-31", method="average", days=90), 2)   # 875/925 x 90
    85.14
    >>> round(dso(inv, pay, as_of="2024-12-31"), 2)          # 31 + 30 + 175/225 x 31
    85.11
    """
    func = "kamlib.credit_risk.dso"
    check_choice(method, "method", func, ("countback", "average"))
    days = check_number(days, "days", func, low=1, integer=True)
    items = _items(invoices, payments, as_of, DEFAULT_BOUNDS, func, columns)
    stamp = items.attrs["as_of"]
    receivables = float(items["open_amount"].sum())
    if method == "average":
        recent = items["invoice_date"] > stamp - pd.Timedelta(days=days)
        sales = float(items.loc[recent, "amount"].sum())
        if sales <= 0:
            raise DataError(
                f"{func}: no sales in the {days} days up to {stamp:%Y-%m-%d}, so the average "
                "DSO is undefined. Use a longer window or method='countback'."
            )
        return receivables / sales * days
    month = items["invoice_date"].dt.to_period("M")
    sales = items.groupby(month)["amount"].sum()
    period = stamp.to_period("M")
    left, counted, first = receivables, 0.0, sales.index.min()
    while left > _TOL and period >= first:
        length = stamp.day if period == stamp.to_period("M") else period.days_in_month
        month_sales = float(sales.get(period, 0.0))
        if month_sales >= left:
            return counted + left / month_sales * length
        left -= month_sales
        counted += length
        period -= 1
    if left > _TOL:
        warnings.warn(
            f"{func}: receivables exceed every sale in the ledger; the DSO returned "
            f"({counted:.0f} days) counts the whole history and is a lower bound.",
            UserWarning,
            stacklevel=2,
        )
    return counted


def late_payers(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of,
    window_days: int = 180,
    late_days: float = 15.0,
    worse_days: float = 7.0,
    **columns,
) -> pd.DataFrame:
    """Who pays late, and is it getting worse? Days beyond terms, now against before.

    For each invoice that fell due in a window, *days beyond terms* = the date it was paid in
    full minus its due date; an invoice still open on ``as_of`` counts ``as_of`` minus the due
    date (it is at least that late). Early payment gives negative days. Per account and window
    the figure is averaged with the invoice amounts as weights. The *recent* window is the
    ``window_days`` up to ``as_of``; the *previous* window is the same length just before it.

    Returns
    -------
    pandas.DataFrame
        One row per account with an invoice due in either window: ``invoices_recent``,
        ``days_late_recent``, ``days_late_previous`` (empty if nothing fell due then),
        ``change``, ``open_overdue`` (CNY overdue on ``as_of``), ``late_payer`` (recent days
        beyond terms above ``late_days``) and ``worsening`` (change above ``worse_days``),
        sorted by recent days late.

    Examples
    --------
    >>> from kamlib import toy
    >>> table = late_payers(toy.invoices(), toy.payments(), as_of="2024-12-31")
    >>> table[["days_late_recent", "late_payer"]].round(1).to_dict("index")["T04"]
    {'days_late_recent': 93.0, 'late_payer': True}
    """
    func = "kamlib.credit_risk.late_payers"
    window = check_number(window_days, "window_days", func, low=1, integer=True)
    late = check_number(late_days, "late_days", func)
    worse = check_number(worse_days, "worse_days", func)
    items = _items(invoices, payments, as_of, DEFAULT_BOUNDS, func, columns)
    stamp = items.attrs["as_of"]
    end_date = items["settled_date"].fillna(stamp)
    items["beyond"] = (end_date - items["due_date"]).dt.days.astype(float)
    recent_start = stamp - pd.Timedelta(days=window)
    previous_start = recent_start - pd.Timedelta(days=window)
    due = items["due_date"]
    items["window"] = np.where(
        (due > recent_start) & (due <= stamp),
        "recent",
        np.where((due > previous_start) & (due <= recent_start), "previous", ""),
    )
    items["weighted"] = items["beyond"] * items["amount"]
    used = items[items["window"] != ""]
    if used.empty:
        raise DataError(
            f"{func}: no invoice fell due in the {2 * window} days up to {stamp:%Y-%m-%d}. "
            "Choose another date or longer windows."
        )
    sums = used.groupby(["account_id", "window"])[["weighted", "amount"]].sum()
    mean = (sums["weighted"] / sums["amount"].where(sums["amount"] > 0)).unstack("window")
    count = used.groupby(["account_id", "window"]).size().unstack("window")
    table = pd.DataFrame(index=mean.index)
    recent_count = count["recent"] if "recent" in count else pd.Series(0, index=count.index)
    table["invoices_recent"] = recent_count.reindex(table.index).fillna(0).astype("int64")
    for window_name in ("recent", "previous"):
        values = mean.get(window_name, np.nan)
        table[f"days_late_{window_name}"] = values
    table["change"] = table["days_late_recent"] - table["days_late_previous"]
    overdue = items[(items["open_amount"] > 0) & (items["days_past_due"] > 0)]
    table["open_overdue"] = overdue.groupby("account_id")["open_amount"].sum()
    table["open_overdue"] = table["open_overdue"].reindex(table.index).fillna(0.0)
    table["late_payer"] = (table["days_late_recent"] > late).astype(bool)
    table["worsening"] = (table["change"] > worse).astype(bool)
    return table.sort_values("days_late_recent", ascending=False, na_position="last")


def credit_exposure(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    as_of,
    limit_col: str = "credit_limit_cny",
    **columns,
) -> pd.DataFrame:
    """Open receivables per account against its credit limit.

    Returns
    -------
    pandas.DataFrame
        One row per account of ``accounts`` with open items on ``as_of`` (index account id):
        ``credit_limit``, ``exposure`` (all open amounts), ``overdue`` (past due),
        ``over_90`` (more than 90 days past due), ``utilisation`` (exposure / limit; empty
        when the limit is 0) and ``over_limit`` (exposure above the limit), largest exposure
        first. Accounts with open items that are missing from ``accounts`` are an error.

    Examples
    --------
    >>> from kamlib import toy
    >>> accounts = toy.accounts().assign(credit_limit_cny=[1000.0, 500.0, 500.0, 100.0])
    >>> table = credit_exposure(toy.invoices(), toy.payments(), accounts, as_of="2024-12-31")
    >>> table.loc["T04", ["exposure", "utilisation"]].astype(float).tolist()
    [150.0, 1.5]
    """
    func = "kamlib.credit_risk.credit_exposure"
    customer_col = columns.get("customer_col", "account_id")
    _name(limit_col, "limit_col", func)
    _name(customer_col, "customer_col", func)
    require_frame(accounts, func, name="accounts")
    require_columns(accounts, [customer_col, limit_col], func)
    require_no_missing(accounts, customer_col, func, what="account id")
    require_unique(accounts, customer_col, func)
    limits = require_numeric(accounts, limit_col, func).astype(float)
    if (limits < 0).any():
        raise DataError(
            f"{func}: column '{limit_col}' has {int((limits < 0).sum())} negative credit "
            "limit(s); a limit is 0 or more."
        )
    items = _items(invoices, payments, as_of, DEFAULT_BOUNDS, func, columns)
    open_ = items[items["open_amount"] > 0]
    known = pd.Index(accounts[customer_col].astype(str))
    unknown = pd.Index(open_["account_id"].unique()).difference(known)
    if len(unknown):
        raise DataError(
            f"{func}: {len(unknown)} account(s) with open invoices are not in 'accounts' "
            f"(e.g. {list(unknown[:3])}). Pass the accounts table that matches the ledger."
        )
    grouped = open_.groupby("account_id")
    table = pd.DataFrame({"exposure": grouped["open_amount"].sum()})
    table["credit_limit"] = pd.Series(limits.to_numpy(), index=known).reindex(table.index)
    overdue = open_[open_["days_past_due"] > 0].groupby("account_id")["open_amount"].sum()
    over_90 = open_[open_["days_past_due"] > 90].groupby("account_id")["open_amount"].sum()
    table["overdue"] = overdue.reindex(table.index).fillna(0.0)
    table["over_90"] = over_90.reindex(table.index).fillna(0.0)
    positive = table["credit_limit"].where(table["credit_limit"] > 0)
    table["utilisation"] = table["exposure"] / positive
    table["over_limit"] = table["exposure"] > table["credit_limit"] + _TOL
    table = table[["credit_limit", "exposure", "overdue", "over_90", "utilisation", "over_limit"]]
    table.index.name = customer_col
    return table.sort_values("exposure", ascending=False, kind="stable")


def _check_rates(rates, labels, func) -> dict[str, float]:
    if not isinstance(rates, dict):
        raise ParameterError(
            f"{func}: 'default_rates' must be a dict of bucket -> probability such as "
            f"{DEFAULT_PD}, got {type(rates).__name__}."
        )
    missing = [b for b in labels if b not in rates]
    if missing:
        raise ParameterError(
            f"{func}: 'default_rates' has no rate for bucket(s) {missing}; give one for each "
            f"of {labels}."
        )
    return {b: check_number(rates[b], f"default_rates[{b!r}]", func, low=0, high=1) for b in labels}


def expected_loss(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of,
    default_rates: dict | None = None,
    lgd: float = BASEL_FOUNDATION_LGD,
    bounds=DEFAULT_BOUNDS,
    **columns,
) -> pd.DataFrame:
    """Expected credit loss per account: EL = PD x LGD x EAD, summed over open invoices.

    - EAD (exposure at default) is an invoice's open amount on ``as_of``.
    - PD (probability of default) is the rate of its ageing bucket in ``default_rates``
      (default :data:`DEFAULT_PD`, a stated teaching assumption; estimate your own with
      :func:`observed_default_rates`).
    - LGD (loss given default) is the share lost when it is not paid, by default the Basel II
      foundation value for unsecured corporate claims, 0.45 (:data:`BASEL_FOUNDATION_LGD`).

    Returns
    -------
    pandas.DataFrame
        One row per account with open items: ``ead``, ``pd`` (EAD-weighted), ``lgd`` and
        ``expected_loss``, largest loss first.

    Examples
    --------
    >>> from kamlib import toy
    >>> el = expected_loss(toy.invoices(), toy.payments(), as_of="2024-12-31")
    >>> float(el["expected_loss"].sum().round(3))  # 0.45 x (2 + 9 + 22.5 + 75)
    48.825
    """
    func = "kamlib.credit_risk.expected_loss"
    edges = _check_bounds(bounds, func)
    labels = _bucket_labels(edges)
    rates = _check_rates(DEFAULT_PD if default_rates is None else default_rates, labels, func)
    lgd = check_number(lgd, "lgd", func, low=0, high=1)
    items = _items(invoices, payments, as_of, edges, func, columns)
    open_ = items[items["open_amount"] > 0].copy()
    if open_.empty:
        raise DataError(f"{func}: nothing is open on as_of, so there is no exposure to lose.")
    open_["pd"] = open_["bucket"].map(rates)
    open_["weighted"] = open_["pd"] * open_["open_amount"]
    grouped = open_.groupby("account_id")
    table = pd.DataFrame({"ead": grouped["open_amount"].sum()})
    table["pd"] = grouped["weighted"].sum() / table["ead"]
    table["lgd"] = lgd
    table["expected_loss"] = table["pd"] * lgd * table["ead"]
    return table.sort_values("expected_loss", ascending=False, kind="stable")


def observed_default_rates(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of,
    observed_until,
    bounds=DEFAULT_BOUNDS,
    **columns,
) -> pd.DataFrame:
    """Share of each bucket's open amount on ``as_of`` still unpaid on ``observed_until``.

    The historical loss rates of a provision matrix: take a past snapshot, follow its open
    amounts, and see how much was never collected. Unpaid after the follow-up is a proxy for
    default; a longer follow-up gives a truer rate (some late money still arrives).

    Returns
    -------
    pandas.DataFrame
        By bucket of the snapshot: ``open_amount``, ``still_unpaid`` and ``rate``.

    Examples
    --------
    >>> from kamlib import toy
    >>> rates = observed_default_rates(toy.invoices(), toy.payments(), as_of="2024-08-31",
    ...                                observed_until="2024-12-31")
    >>> rates.loc["1-30"].tolist()          # I06 (200) was 25 days late and was paid
    [200.0, 0.0, 0.0]
    """
    func = "kamlib.credit_risk.observed_default_rates"
    edges = _check_bounds(bounds, func)
    start = as_timestamp(as_of, "as_of", func)
    until = as_timestamp(observed_until, "observed_until", func)
    if until <= start:
        raise ParameterError(
            f"{func}: 'observed_until' ({until:%Y-%m-%d}) must come after 'as_of' "
            f"({start:%Y-%m-%d})."
        )
    then = _items(invoices, payments, start, edges, func, columns)
    later = _items(invoices, payments, until, edges, func, columns)
    still = then["invoice_id"].map(later.set_index("invoice_id")["open_amount"])
    then["still_unpaid"] = np.minimum(still.to_numpy(), then["open_amount"].to_numpy())
    open_ = then[then["open_amount"] > 0]
    table = open_.groupby("bucket")[["open_amount", "still_unpaid"]].sum()
    table = table.reindex(_bucket_labels(edges), fill_value=0.0).astype(float)
    table["rate"] = table["still_unpaid"] / table["open_amount"].where(table["open_amount"] > 0)
    table["rate"] = table["rate"].fillna(0.0)
    table.index.name = "bucket"
    return table


def plot_ageing(table: pd.DataFrame, *, ax=None):
    """Bars of the receivables in each ageing bucket (the table of :func:`ageing`)."""
    func = "kamlib.credit_risk.plot_ageing"
    require_frame(table, func, name="table")
    require_columns(table, ["amount", "share"], func)
    require_numeric(table, "amount", func)
    require_numeric(table, "share", func)
    ax = plot.get_ax(ax)
    colours = [plot.GOOD] + [plot.MAIN] * (len(table) - 2) + [plot.BAD]
    ax.bar([str(b) for b in table.index], table["amount"], color=colours[: len(table)])
    for i, (value, share) in enumerate(zip(table["amount"], table["share"], strict=True)):
        ax.annotate(f"{share:.0%}", (i, value), xytext=(0, 3), textcoords="offset points",
                    ha="center")  # fmt: skip
    plot.money_axis(ax)
    return plot.label(ax, "Receivables by age", "Days past the due date", "Open amount (CNY)")
