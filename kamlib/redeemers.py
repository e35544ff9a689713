"""Do members who redeem points buy more? Comparisons that are not an effect.

Members who redeem loyalty points spend more than the others, before as well as after they
redeem: heavy buyers collect points faster, so they select themselves into the redeemers
(self-selection, 自选择). :func:`redeemer_spend` builds each member's spend before, during and
after a period; :func:`redeemer_gap` compares redeemers with the others in four ways, none of
which is causal. Only a randomised design (an offer to a random half, a holdout group kept out
of the programme) measures what the programme causes. Both functions are also available as
``kamlib.loyalty_programme.redeemer_spend`` and ``kamlib.loyalty_programme.redeemer_gap``.

>>> from kamlib import loyalty_programme as lp, redeemers
>>> spend = redeemers.redeemer_spend(lp.toy_purchases(), lp.toy_ledger(),
...                                  start="2023-01-01", end="2023-07-01")
>>> spend["redeemer"].tolist()
[False, True]
"""

from __future__ import annotations

import warnings

import pandas as pd

from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    as_called_by,
    as_timestamp,
    check_number,
    drop_missing_keys,
    require_columns,
    require_dates,
    require_frame,
    require_non_negative,
)

__all__ = ["redeemer_gap", "redeemer_spend"]


def redeemer_spend(
    purchases,
    ledger,
    *,
    start,
    end,
    member_col: str = "member_id",
    purchase_date_col: str = "purchase_date",
    amount_col: str = "amount_cny",
    date_col: str = "entry_date",
    type_col: str = "entry_type",
    points_col: str = "points",
) -> pd.DataFrame:
    """Each member's spend before, during and after a period, and whether they redeemed in it.

    The period is [``start``, ``end``); "before" is the same length just before it and "after"
    the same length just after. Only members whose first purchase came before the "before"
    window starts are kept, so everyone is observed for all three windows.

    Returns
    -------
    pandas.DataFrame
        One row per member: ``member_id`` (named as ``member_col``), ``redeemer`` (True if they
        redeemed points in the period), ``spend_before``, ``spend_during``, ``spend_after``.

    Examples
    --------
    >>> from kamlib import loyalty_programme as lp, redeemers
    >>> table = redeemers.redeemer_spend(lp.toy_purchases(), lp.toy_ledger(),
    ...                           start="2023-01-01", end="2023-07-01")
    >>> table[["member_id", "redeemer", "spend_during"]].values.tolist()   # C joined too late
    [['A', False, 0.0], ['B', True, 200.5]]
    """
    name = "kamlib.redeemers.redeemer_spend"
    require_frame(purchases, name, name="purchases")
    require_columns(purchases, [member_col, purchase_date_col, amount_col], name)
    buys = drop_missing_keys(purchases, member_col, name, what="member id", value_col=amount_col)
    if buys.empty:
        raise DataError(f"{name}: no purchase has a member id. Fill in '{member_col}'.")
    when = pd.to_datetime(require_dates(buys, purchase_date_col, name))
    amount = require_non_negative(buys, amount_col, name)
    from kamlib.loyalty_programme import _ledger  # here, as loyalty_programme re-exports us

    with as_called_by(name):
        entries = _ledger(ledger, "redeemer_spend", member_col, date_col, type_col, points_col)
    start = as_timestamp(start, "start", name)
    end = as_timestamp(end, "end", name)
    if end <= start:
        raise ParameterError(f"{name}: 'end' ({end.date()}) must come after 'start'.")
    length = end - start
    before, after = start - length, end + length
    last = max(when.max(), pd.Timestamp(entries["date"].max()))
    if after - pd.Timedelta(days=1) > last:
        raise ParameterError(
            f"{name}: the 'after' window runs to {(after - pd.Timedelta(days=1)).date()}, past the "
            f"data's last date {last.date()}. Choose an earlier or shorter period."
        )
    frame = pd.DataFrame(
        {
            "member": buys[member_col].astype(str).to_numpy(),
            "when": when.to_numpy(),
            "amount": amount.to_numpy(dtype=float),
        }
    )
    first = frame.groupby("member")["when"].min()
    kept = first.index[first < before]
    if len(kept) == 0:
        raise DataError(
            f"{name}: no member bought before {before.date()}, when the 'before' window starts. "
            "Choose a later period."
        )
    frame = frame[frame["member"].isin(kept)]
    windows = {
        "spend_before": (before, start),
        "spend_during": (start, end),
        "spend_after": (end, after),
    }
    table = pd.DataFrame(index=pd.Index(sorted(kept), name=member_col))
    for column, (lo, hi) in windows.items():
        inside = frame[(frame["when"] >= lo) & (frame["when"] < hi)]
        table[column] = inside.groupby("member")["amount"].sum().reindex(table.index).fillna(0.0)
    redeem = entries[
        (entries["type"] == "redeem") & (entries["date"] >= start) & (entries["date"] < end)
    ]
    table.insert(0, "redeemer", table.index.isin(redeem["member"].unique()))
    return table.round(2).reset_index()


def redeemer_gap(spend, *, n_bins: int = 5) -> pd.Series:
    """Three ways to compare redeemers with other members, none of them a causal effect.

    ``naive_gap_after``: redeemers' mean spend after the period minus the others'.
    ``gap_before``: the same gap *before* the period, when nobody had redeemed yet: a gap here
    is selection (heavier buyers earn more points and so reach a reward sooner).
    ``difference_in_differences``: the change in spend of redeemers minus the change of the
    others. ``matched_gap_after``: the gap after, within groups of members with similar spend
    before (``n_bins`` quantile bins), weighted by the redeemers in each group.

    Each removes some of the selection; none removes it all, because redeeming also requires
    buying *during* the period, which signals a member who is still active. Only a randomised
    design (an offer given to a random half, or a random holdout group kept out of the
    programme) measures what the programme causes.

    Parameters
    ----------
    spend : pandas.DataFrame
        The output of :func:`redeemer_spend` (columns ``redeemer``, ``spend_before``,
        ``spend_after``).
    n_bins : int, default 5
        Number of groups of similar spend before (2 to 20).

    Returns
    -------
    pandas.Series
        The four comparisons in yuan per member, and ``redeemers`` and ``others`` (counts).

    Examples
    --------
    >>> import pandas as pd
    >>> from kamlib import redeemers
    >>> spend = pd.DataFrame({"redeemer": [True, True, False, False],
    ...                       "spend_before": [100.0, 300.0, 100.0, 300.0],
    ...                       "spend_after": [120.0, 330.0, 90.0, 280.0]})
    >>> redeemers.redeemer_gap(spend, n_bins=2)[["naive_gap_after", "matched_gap_after"]].tolist()
    [40.0, 40.0]
    """
    name = "kamlib.redeemers.redeemer_gap"
    require_frame(spend, name, name="spend")
    require_columns(spend, ["redeemer", "spend_before", "spend_after"], name)
    for column in ("spend_before", "spend_after"):
        require_non_negative(spend, column, name)
    flag = spend["redeemer"]
    if not pd.api.types.is_bool_dtype(flag):
        raise DataError(
            f"{name}: column 'redeemer' must be True/False, found dtype {flag.dtype}. Use the "
            "table from redeemer_spend."
        )
    bins = check_number(n_bins, "n_bins", name, low=2, high=20, integer=True)
    flag = flag.to_numpy(dtype=bool)
    if flag.all() or not flag.any():
        raise DataError(
            f"{name}: the table needs both redeemers and other members; it has "
            f"{int(flag.sum())} redeemer(s) of {len(flag)}. Choose another period."
        )
    before = spend["spend_before"].to_numpy(dtype=float)
    after = spend["spend_after"].to_numpy(dtype=float)

    def gap(values):
        return float(values[flag].mean() - values[~flag].mean())

    ranks = pd.Series(before).rank(method="first")
    group = pd.qcut(ranks, bins, labels=False).to_numpy()
    frame = pd.DataFrame({"g": group, "r": flag, "after": after})
    means = frame.groupby(["g", "r"])["after"].mean().unstack()
    weights = frame[frame["r"]].groupby("g").size()
    both = means.dropna().index.intersection(weights.index)
    if len(both):
        diff = (means.loc[both, True] - means.loc[both, False]) * weights[both]
        matched = float(diff.sum() / weights[both].sum())
    else:
        matched = float("nan")
        warnings.warn(
            f"{name}: no group of similar spend before holds both redeemers and other members, "
            "so the matched gap is undefined (NaN). Use fewer bins or a larger table.",
            UserWarning,
            stacklevel=2,
        )
    return pd.Series(
        {
            "naive_gap_after": gap(after),
            "gap_before": gap(before),
            "difference_in_differences": gap(after - before),
            "matched_gap_after": matched,
            "redeemers": int(flag.sum()),
            "others": int((~flag).sum()),
        },
        name="redeemer_gap",
    )
