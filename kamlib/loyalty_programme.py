"""Points programme economics: the ledger, breakage, the points liability and whether it pays.

A points ledger has one row per movement of points: ``earn`` (positive points, from a
purchase), ``redeem`` (negative: points exchanged for a reward) and ``expire`` (negative: points
that lapsed unused). Points leave a member's balance oldest first (first in, first out), both
when they are redeemed and when they expire, so every point can be traced back to the year it
was earned: its *earning cohort*.

Breakage (积分沉淀, points never redeemed) is the share of earned points that expire. It can
only be measured on cohorts whose points have all lapsed (closed cohorts); younger cohorts still
have points that may be redeemed. The points liability (积分负债) is what the outstanding points
will cost the company: outstanding points x value of a point x the share of them expected to be
redeemed, estimated from what happened to the points outstanding at the same time of year in
the past.

The value of a point is an assumption the user passes (``value_per_point``); the course's
simulated retailer has no price for a point. Nothing here is causal:
:func:`kamlib.redeemers.redeemer_gap` (re-exported here) shows why comparing redeemers with
other members does not measure what the programme does.

>>> from kamlib import loyalty_programme as lp
>>> ledger = lp.toy_ledger()        # 3 members, 13 entries, 2022-2024
>>> lp.points_by_year(ledger)[["earned", "redeemed", "expired", "outstanding"]].values.tolist()
[[1300, 500, 0, 800], [450, 500, 300, 450], [400, 0, 450, 400]]
>>> round(lp.breakage_rate(ledger), 4)   # 750 of the 1,750 points earned in 2022-23 expired
0.4286
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    as_called_by,
    as_timestamp,
    check_number,
    drop_missing_keys,
    require_columns,
    require_dates,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_numeric,
)

__all__ = [
    "break_even_uplift",
    "breakage_rate",
    "later_redemption_share",
    "plot_points_by_year",
    "points_by_cohort",
    "points_by_year",
    "points_liability",
    "programme_cost",
    "redeemer_gap",
    "redeemer_spend",
    "redemption_probability",
    "toy_ledger",
    "toy_purchases",
]

ENTRY_TYPES = ("earn", "redeem", "expire")
_ORDER = {"earn": 0, "redeem": 1, "expire": 2}  # within a day: earn, then redeem, then expire


# ---------------------------------------------------------------------------------------------
# A tiny ledger for examples (worked by hand in the tests and the workbook)
# ---------------------------------------------------------------------------------------------
def toy_ledger() -> pd.DataFrame:
    """Three members' points, 2022-2024, in the course schema (13 entries).

    Member A earns 300 + 400, redeems 500 and lets 200 expire at the end of 2023; B earns 600,
    later 200, redeems 500 and lets 100 (2022 points) and 200 (2023 points) expire; C earns 250
    in 2023 (expired at the end of 2024) and 300 in 2024 (still outstanding).
    """
    rows = [
        ("A", "2022-03-01", "earn", 300, "T1"),
        ("B", "2022-05-01", "earn", 600, "T2"),
        ("A", "2022-06-01", "earn", 400, "T3"),
        ("A", "2022-06-01", "redeem", -500, None),
        ("B", "2023-01-10", "earn", 200, "T4"),
        ("B", "2023-01-10", "redeem", -500, None),
        ("C", "2023-04-01", "earn", 250, "T5"),
        ("A", "2023-12-31", "expire", -200, None),
        ("B", "2023-12-31", "expire", -100, None),
        ("A", "2024-02-01", "earn", 100, "T6"),
        ("C", "2024-05-01", "earn", 300, "T7"),
        ("B", "2024-12-31", "expire", -200, None),
        ("C", "2024-12-31", "expire", -250, None),
    ]
    ledger = pd.DataFrame(
        rows, columns=["member_id", "entry_date", "entry_type", "points", "transaction_id"]
    )
    ledger.insert(0, "entry_id", [f"E{i:02d}" for i in range(1, len(rows) + 1)])
    ledger["entry_date"] = pd.to_datetime(ledger["entry_date"])
    return ledger


def toy_purchases() -> pd.DataFrame:
    """The purchases behind :func:`toy_ledger`'s earn entries (one point per whole yuan)."""
    earn = toy_ledger().query("entry_type == 'earn'")
    return pd.DataFrame(
        {
            "transaction_id": earn["transaction_id"].to_numpy(),
            "member_id": earn["member_id"].to_numpy(),
            "purchase_date": earn["entry_date"].to_numpy(),
            "amount_cny": earn["points"].to_numpy() + 0.5,
        }
    )


# ---------------------------------------------------------------------------------------------
# Reading and checking a ledger
# ---------------------------------------------------------------------------------------------
def _ledger(ledger, func: str, member_col: str, date_col: str, type_col: str, points_col: str):
    """A checked copy: member, date, type, points; sorted member by member, day by day."""
    name = f"kamlib.loyalty_programme.{func}"
    require_frame(ledger, name, name="ledger")
    require_columns(ledger, [member_col, date_col, type_col, points_col], name)
    frame = drop_missing_keys(ledger, member_col, name, what="member id", value_col=None)
    if frame.empty:
        raise DataError(f"{name}: no ledger entry has a member id. Fill in '{member_col}'.")
    dates = require_dates(frame, date_col, name)
    points = require_numeric(frame, points_col, name)
    types = require_no_missing(frame, type_col, name, what="entry type").astype(str)
    unknown = sorted(set(types) - set(ENTRY_TYPES))
    if unknown:
        raise DataError(
            f"{name}: column '{type_col}' has entry types {unknown}; this function knows "
            f"{list(ENTRY_TYPES)}. Map your ledger's types onto these first."
        )
    wrong = ((types == "earn") & (points < 0)) | ((types != "earn") & (points > 0))
    if wrong.any():
        raise DataError(
            f"{name}: {int(wrong.sum())} entry(ies) in '{points_col}' have the wrong sign. Earned "
            "points are positive; redeemed and expired points are negative (they leave the "
            "balance). Flip the sign of those rows."
        )
    out = pd.DataFrame(
        {
            "member": frame[member_col].astype(str).to_numpy(),
            "date": pd.to_datetime(dates).to_numpy(),
            "type": types.to_numpy(),
            "points": points.to_numpy(dtype=float),
        }
    )
    out["o"] = out["type"].map(_ORDER)
    out = out.sort_values(["member", "date", "o"], kind="stable").reset_index(drop=True)
    balance = out.groupby("member")["points"].cumsum()
    if (balance < -1e-9).any():
        who = out.loc[balance < -1e-9, "member"].unique()[:3].tolist()
        raise DataError(
            f"{name}: the balance of member(s) {who} goes below zero: more points leave than "
            "were earned before. Check the ledger for missing earn entries or wrong dates."
        )
    return out


def _fifo(out: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Earn and outflow entries as intervals on each member's first-in-first-out stream.

    A member's earned points line up one after another ([start, end) in points); points that
    leave (redeemed or expired) take the oldest first, so they also line up from zero.
    """
    earn = out[out["type"] == "earn"].copy()
    earn["end"] = earn.groupby("member")["points"].cumsum()
    earn["start"] = earn["end"] - earn["points"]
    gone = out[out["type"] != "earn"].copy()
    gone["points"] = -gone["points"]
    gone["end"] = gone.groupby("member")["points"].cumsum()
    gone["start"] = gone["end"] - gone["points"]
    return earn, gone


def _overlap(a_start, a_end, b_start, b_end):
    return np.clip(np.minimum(a_end, b_end) - np.maximum(a_start, b_start), 0, None)


def _as_int(values: pd.Series) -> pd.Series:
    rounded = values.round(6)
    return rounded.astype("int64") if (rounded == rounded.round()).all() else rounded


# ---------------------------------------------------------------------------------------------
# The ledger by calendar year and by earning cohort
# ---------------------------------------------------------------------------------------------
def points_by_year(
    ledger,
    *,
    member_col: str = "member_id",
    date_col: str = "entry_date",
    type_col: str = "entry_type",
    points_col: str = "points",
) -> pd.DataFrame:
    """Points earned, redeemed and expired in each calendar year, and the balance at year end.

    Parameters
    ----------
    ledger : pandas.DataFrame
        One row per entry (course schema ``member_points``): earned points positive, redeemed
        and expired points negative.
    member_col, date_col, type_col, points_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``year``: ``earned``, ``redeemed``, ``expired`` (all as positive numbers of
        points) and ``outstanding``, the points still held by members at the end of the year.

    Examples
    --------
    >>> from kamlib import loyalty_programme as lp
    >>> lp.points_by_year(lp.toy_ledger()).loc[2023, "outstanding"]
    np.int64(450)
    """
    out = _ledger(ledger, "points_by_year", member_col, date_col, type_col, points_col)
    out["year"] = pd.DatetimeIndex(out["date"]).year
    table = out.pivot_table(index="year", columns="type", values="points", aggfunc="sum")
    table = table.reindex(columns=list(ENTRY_TYPES), fill_value=0.0).fillna(0.0)
    years = range(int(table.index.min()), int(table.index.max()) + 1)
    table = table.reindex(years, fill_value=0.0)
    result = pd.DataFrame(
        {
            "earned": table["earn"],
            "redeemed": -table["redeem"],
            "expired": -table["expire"],
        }
    )
    result["outstanding"] = (result["earned"] - result["redeemed"] - result["expired"]).cumsum()
    result.index.name = "year"
    return result.apply(_as_int)


def _closing_date(out: pd.DataFrame, at, name: str) -> pd.Timestamp:
    return pd.Timestamp(out["date"].max()) if at is None else as_timestamp(at, "at", name)


def points_by_cohort(
    ledger,
    *,
    at=None,
    expiry_years: int = 1,
    member_col: str = "member_id",
    date_col: str = "entry_date",
    type_col: str = "entry_type",
    points_col: str = "points",
) -> pd.DataFrame:
    """What became of the points earned in each year: redeemed, expired or still outstanding.

    Each redemption and expiry is traced to the points it used up, oldest first. A cohort is
    *closed* when its points have all lapsed: points earned in year Y lapse on 31 December of
    year Y + ``expiry_years`` (the course retailer: the end of the following year).

    Parameters
    ----------
    ledger : pandas.DataFrame
        The points ledger (see :func:`points_by_year`).
    at : date, optional
        The date the ledger is read at; by default its last entry date.
    expiry_years : int, default 1
        Points earned in year Y lapse at the end of year Y + ``expiry_years``.
    member_col, date_col, type_col, points_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``cohort`` (the earning year): ``earned``, ``redeemed``, ``expired``,
        ``outstanding``, ``redeemed_share`` and ``breakage`` (shares of earned), ``lapse_date``
        and ``closed``. Entries after ``at`` are ignored.

    Examples
    --------
    >>> from kamlib import loyalty_programme as lp
    >>> table = lp.points_by_cohort(lp.toy_ledger())
    >>> table.loc[2022, ["earned", "redeemed", "expired"]].astype(int).tolist()
    [1300, 1000, 300]
    """
    name = "kamlib.loyalty_programme.points_by_cohort"
    out = _ledger(ledger, "points_by_cohort", member_col, date_col, type_col, points_col)
    years = check_number(expiry_years, "expiry_years", name, low=0, integer=True)
    at = _closing_date(out, at, name)
    out = out[out["date"] <= at]
    if out.empty:
        raise DataError(f"{name}: the ledger has no entry on or before {at.date()}.")
    earn, gone = _fifo(out)
    earn["cohort"] = pd.DatetimeIndex(earn["date"]).year
    bands = earn.groupby(["member", "cohort"]).agg(start=("start", "min"), end=("end", "max"))
    bands = bands.reset_index()
    pairs = gone.merge(bands, on="member", suffixes=("", "_c"))
    pairs["used"] = _overlap(pairs["start"], pairs["end"], pairs["start_c"], pairs["end_c"])
    used = pairs.pivot_table(index="cohort", columns="type", values="used", aggfunc="sum")
    used = used.reindex(columns=["redeem", "expire"], fill_value=0.0)
    table = pd.DataFrame({"earned": earn.groupby("cohort")["points"].sum()})
    table["redeemed"] = used["redeem"].reindex(table.index).fillna(0.0)
    table["expired"] = used["expire"].reindex(table.index).fillna(0.0)
    table["outstanding"] = table["earned"] - table["redeemed"] - table["expired"]
    table = table.apply(_as_int)
    table["redeemed_share"] = table["redeemed"] / table["earned"]
    table["breakage"] = table["expired"] / table["earned"]
    table["lapse_date"] = pd.to_datetime([f"{y + years}-12-31" for y in table.index])
    table["closed"] = table["lapse_date"] <= at
    table.index.name = "cohort"
    return table


def breakage_rate(
    ledger,
    *,
    at=None,
    expiry_years: int = 1,
    member_col: str = "member_id",
    date_col: str = "entry_date",
    type_col: str = "entry_type",
    points_col: str = "points",
) -> float:
    """Breakage: the share of earned points that expired, over the closed earning cohorts.

    Only closed cohorts count (see :func:`points_by_cohort`): in a younger cohort, points not yet
    redeemed may still be, so its expired share understates breakage.

    Returns
    -------
    float
        Expired points / earned points, summed over the closed cohorts.

    Examples
    --------
    >>> from kamlib import loyalty_programme as lp
    >>> round(lp.breakage_rate(lp.toy_ledger(), at="2023-12-31"), 4)   # 2022 only: 300 / 1,300
    0.2308
    """
    name = "kamlib.loyalty_programme.breakage_rate"
    with as_called_by(name):
        table = points_by_cohort(
            ledger,
            at=at,
            expiry_years=expiry_years,
            member_col=member_col,
            date_col=date_col,
            type_col=type_col,
            points_col=points_col,
        )
    closed = table[table["closed"]]
    if closed.empty:
        raise DataError(
            f"{name}: no earning cohort is closed by {table['lapse_date'].min().date() - pd.Timedelta(days=1)}"
            " (no year's points have all lapsed yet), so breakage cannot be measured. Use a "
            "later 'at' or a longer ledger."
        )
    return float(closed["expired"].sum() / closed["earned"].sum())


def later_redemption_share(
    ledger,
    as_of,
    *,
    member_col: str = "member_id",
    date_col: str = "entry_date",
    type_col: str = "entry_type",
    points_col: str = "points",
) -> float:
    """Of the points members held on ``as_of``, the share that were later redeemed.

    The rest expired. Every point outstanding on ``as_of`` must have been redeemed or have
    expired by the ledger's last entry; otherwise choose an earlier date.

    Examples
    --------
    >>> from kamlib import loyalty_programme as lp
    >>> lp.later_redemption_share(lp.toy_ledger(), "2022-12-31")   # 500 of 800 points
    0.625
    """
    name = "kamlib.loyalty_programme.later_redemption_share"
    out = _ledger(ledger, "later_redemption_share", member_col, date_col, type_col, points_col)
    as_of = as_timestamp(as_of, "as_of", name)
    earn, gone = _fifo(out)
    held_from = gone[gone["date"] <= as_of].groupby("member")["end"].max()
    held_to = earn[earn["date"] <= as_of].groupby("member")["end"].max()
    window = pd.DataFrame({"to": held_to}).join(pd.DataFrame({"from": held_from})).fillna(0.0)
    window = window[window["to"] > window["from"]]
    if window.empty:
        raise DataError(f"{name}: no member held points on {as_of.date()}. Pick a later date.")
    later = gone[gone["date"] > as_of].merge(window, left_on="member", right_index=True)
    later["used"] = _overlap(later["start"], later["end"], later["from"], later["to"])
    held = float((window["to"] - window["from"]).sum())
    redeemed = float(later.loc[later["type"] == "redeem", "used"].sum())
    settled = float(later["used"].sum())
    if held - settled > 1e-6:
        raise DataError(
            f"{name}: {held - settled:,.0f} of the {held:,.0f} points held on {as_of.date()} are "
            "neither redeemed nor expired by the ledger's last entry, so their fate is unknown. "
            "Choose an earlier 'as_of' (at least the expiry period before the ledger's end)."
        )
    return redeemed / held


def points_liability(
    ledger,
    at,
    *,
    value_per_point: float,
    redemption_share: float | None = None,
    expiry_years: int = 1,
    member_col: str = "member_id",
    date_col: str = "entry_date",
    type_col: str = "entry_type",
    points_col: str = "points",
) -> pd.Series:
    """The points liability on date ``at``: what the outstanding points are expected to cost.

    liability = outstanding points x ``value_per_point`` x expected redemption share.

    By default the redemption share is estimated from history: of the points members held on
    the same day ``expiry_years + 1`` years earlier (when all of them have since been redeemed
    or expired), the share that were redeemed (:func:`later_redemption_share`).

    Parameters
    ----------
    ledger : pandas.DataFrame
        The points ledger.
    at : date
        The balance-sheet date.
    value_per_point : float
        What a redeemed point costs the company in yuan (an assumption: a voucher's cost divided
        by the points it takes). Must be > 0.
    redemption_share : float, optional
        The share of outstanding points expected to be redeemed (between 0 and 1); estimated
        from history when not given.
    expiry_years : int, default 1
        Points earned in year Y lapse at the end of year Y + ``expiry_years``.

    Returns
    -------
    pandas.Series
        ``outstanding_points``, ``face_value_cny`` (if every point were redeemed),
        ``redemption_share``, ``breakage`` (1 - share) and ``liability_cny``. When the share is
        estimated, ``.attrs["history_date"]`` holds the date it was measured on.

    Examples
    --------
    >>> from kamlib import loyalty_programme as lp
    >>> liability = lp.points_liability(lp.toy_ledger(), "2024-12-31", value_per_point=0.02)
    >>> float(liability["liability_cny"])   # 400 points x 0.02 yuan x 0.625
    5.0
    """
    name = "kamlib.loyalty_programme.points_liability"
    out = _ledger(ledger, "points_liability", member_col, date_col, type_col, points_col)
    at = as_timestamp(at, "at", name)
    value = check_number(value_per_point, "value_per_point", name, low=0, low_inclusive=False)
    years = check_number(expiry_years, "expiry_years", name, low=0, integer=True)
    outstanding = float(out.loc[out["date"] <= at, "points"].sum())
    result = {"outstanding_points": outstanding, "face_value_cny": outstanding * value}
    if redemption_share is None:
        history = at - pd.DateOffset(years=years + 1)
        result["history_date"] = history
        with as_called_by(name):
            share = later_redemption_share(
                ledger,
                history,
                member_col=member_col,
                date_col=date_col,
                type_col=type_col,
                points_col=points_col,
            )
    else:
        share = check_number(redemption_share, "redemption_share", name, low=0, high=1)
    result.update(
        {
            "redemption_share": share,
            "breakage": 1 - share,
            "liability_cny": outstanding * value * share,
        }
    )
    history = result.pop("history_date", None)
    series = pd.Series(result, name="points_liability", dtype=float)
    if history is not None:
        series.attrs["history_date"] = history  # the date whose points told the share
    return series


def redemption_probability(
    ledger,
    *,
    block: int = 500,
    member_col: str = "member_id",
    date_col: str = "entry_date",
    type_col: str = "entry_type",
    points_col: str = "points",
) -> pd.Series:
    """How often members who could redeem did: redemption days / eligible purchase days.

    A purchase day is eligible when the member's balance after that day's earned points
    reaches ``block`` (the smallest reward). The ledger does not say which purchase a
    redemption went with, so days, not single purchases, are counted.

    Returns
    -------
    pandas.Series
        ``eligible_days``, ``redemption_days`` and ``probability``.

    Examples
    --------
    >>> from kamlib import loyalty_programme as lp
    >>> lp.redemption_probability(lp.toy_ledger())["probability"]   # 2 of 4 eligible days
    np.float64(0.5)
    """
    name = "kamlib.loyalty_programme.redemption_probability"
    out = _ledger(ledger, "redemption_probability", member_col, date_col, type_col, points_col)
    block = check_number(block, "block", name, low=1, integer=True)
    out["earned"] = out["points"].where(out["type"] == "earn", 0.0)
    out["redeems"] = out["type"] == "redeem"
    out["buys"] = out["type"] == "earn"
    days = out.groupby(["member", "date"], sort=True).agg(
        change=("points", "sum"),
        earned=("earned", "sum"),
        bought=("buys", "any"),
        redeemed=("redeems", "any"),
    )
    before = days.groupby(level="member")["change"].cumsum() - days["change"]
    eligible = days["bought"] & (before + days["earned"] >= block)
    n_eligible = int(eligible.sum())
    if n_eligible == 0:
        raise DataError(
            f"{name}: no member ever reached {block} points on a purchase day, so no one could "
            "redeem. Check 'block' or the ledger."
        )
    n_redeemed = int((eligible & days["redeemed"]).sum())
    return pd.Series(
        {
            "eligible_days": n_eligible,
            "redemption_days": n_redeemed,
            "probability": n_redeemed / n_eligible,
        },
        name="redemption_probability",
    )


# ---------------------------------------------------------------------------------------------
# Cost of the programme and whether it pays
# ---------------------------------------------------------------------------------------------
def programme_cost(
    ledger,
    *,
    value_per_point: float,
    breakage: float | None = None,
    running_cost_cny: float = 0.0,
    expiry_years: int = 1,
    member_col: str = "member_id",
    date_col: str = "entry_date",
    type_col: str = "entry_type",
    points_col: str = "points",
) -> pd.DataFrame:
    """What the programme costs per year, counted when points are issued and when redeemed.

    Two views of the same cost: ``redemption_cost_cny`` is the rewards handed out that year
    (redeemed points x value: the cash view); ``points_cost_cny`` is the cost committed that year
    by issuing points (earned points x value x (1 - breakage): the accrual view accountants
    use, since every point issued is a promise). ``total_cost_cny`` adds ``running_cost_cny``
    (a yearly cost of running the programme: system, staff, messages) to the accrual view.

    Parameters
    ----------
    ledger : pandas.DataFrame
        The points ledger.
    value_per_point : float
        Cost of a redeemed point in yuan (an assumption), > 0.
    breakage : float, optional
        Share of issued points never redeemed (0 to 1); by default :func:`breakage_rate`.
    running_cost_cny : float, default 0
        Yearly running cost in yuan (>= 0).

    Returns
    -------
    pandas.DataFrame
        Indexed by year, with the points of :func:`points_by_year` and the costs above.

    Examples
    --------
    >>> from kamlib import loyalty_programme as lp
    >>> cost = lp.programme_cost(lp.toy_ledger(), value_per_point=0.02, breakage=0.5)
    >>> cost.loc[2022, ["redemption_cost_cny", "points_cost_cny"]].tolist()
    [10.0, 13.0]
    """
    name = "kamlib.loyalty_programme.programme_cost"
    value = check_number(value_per_point, "value_per_point", name, low=0, low_inclusive=False)
    running = check_number(running_cost_cny, "running_cost_cny", name, low=0)
    cols = {
        "member_col": member_col,
        "date_col": date_col,
        "type_col": type_col,
        "points_col": points_col,
    }
    with as_called_by(name):
        years = points_by_year(ledger, **cols)
        if breakage is None:
            breakage = breakage_rate(ledger, expiry_years=expiry_years, **cols)
        else:
            breakage = check_number(breakage, "breakage", name, low=0, high=1)
    table = years.copy()
    table["redemption_cost_cny"] = table["redeemed"] * value
    table["points_cost_cny"] = table["earned"] * value * (1 - breakage)
    table["running_cost_cny"] = running
    table["total_cost_cny"] = table["points_cost_cny"] + running
    table.attrs["breakage"] = float(breakage)
    return table


def break_even_uplift(cost_cny: float, revenue_cny: float, *, margin_rate: float) -> pd.Series:
    """How much extra spending the programme must cause to pay for itself.

    The programme pays when the margin on the spending it *causes* covers its cost: it needs
    incremental revenue of ``cost / margin_rate``. Members' revenue with the programme is
    ``revenue_cny``; without it, it would have been ``revenue - incremental``; the break-even
    uplift is incremental / (revenue - incremental), the rise over that baseline.

    Parameters
    ----------
    cost_cny : float
        The programme's cost over the period (>= 0).
    revenue_cny : float
        Members' revenue over the same period (> 0).
    margin_rate : float
        Gross margin on extra sales, between 0 and 1 (an assumption: a contribution margin).

    Returns
    -------
    pandas.Series
        ``cost_cny``, ``margin_rate``, ``incremental_revenue_needed_cny``,
        ``baseline_revenue_cny`` and ``break_even_uplift``.

    Examples
    --------
    >>> from kamlib import loyalty_programme as lp
    >>> lp.break_even_uplift(100.0, 1100.0, margin_rate=0.25)["break_even_uplift"]
    np.float64(0.5714285714285714)
    """
    name = "kamlib.loyalty_programme.break_even_uplift"
    cost = check_number(cost_cny, "cost_cny", name, low=0)
    revenue = check_number(revenue_cny, "revenue_cny", name, low=0, low_inclusive=False)
    margin = check_number(margin_rate, "margin_rate", name, low=0, high=1, low_inclusive=False)
    needed = cost / margin
    if needed >= revenue:
        raise ParameterError(
            f"{name}: at a margin of {margin:.0%} the programme would need {needed:,.0f} yuan of "
            f"extra sales, more than the members' whole revenue ({revenue:,.0f}); it cannot pay. "
            "Check the cost, the revenue and the margin are for the same period."
        )
    return pd.Series(
        {
            "cost_cny": cost,
            "margin_rate": margin,
            "incremental_revenue_needed_cny": needed,
            "baseline_revenue_cny": revenue - needed,
            "break_even_uplift": needed / (revenue - needed),
        },
        name="break_even_uplift",
    )


# ---------------------------------------------------------------------------------------------
# A chart of the ledger
# ---------------------------------------------------------------------------------------------
def plot_points_by_year(table, *, ax=None, title: str | None = None):
    """Bars of points earned, redeemed and expired per year, and the outstanding balance.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`points_by_year`.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    name = "kamlib.loyalty_programme.plot_points_by_year"
    require_frame(table, name, name="table")
    columns = ["earned", "redeemed", "expired", "outstanding"]
    require_columns(table, columns, name)
    for column in columns:
        require_non_negative(table, column, name)
    ax = plot.get_ax(ax)
    x = np.arange(len(table))
    colours = {"earned": plot.MAIN, "redeemed": plot.GOOD, "expired": plot.BAD}
    for i, (column, colour) in enumerate(colours.items()):
        ax.bar(
            x + (i - 1) * 0.27,
            table[column] / 1e6,
            width=0.27,
            color=colour,
            label=column.capitalize(),
        )
    ax.plot(
        x,
        table["outstanding"] / 1e6,
        color=plot.ACCENT,
        marker="o",
        label="Outstanding at year end",
    )
    ax.set_xticks(x, [str(v) for v in table.index])
    ax.legend(loc="upper left")
    return plot.label(
        ax, title or "Points earned, redeemed and expired", "Year", "Points (millions)"
    )


# Redeemers against the other members live in their own module; re-exported for convenience.
from kamlib.redeemers import redeemer_gap, redeemer_spend  # noqa: E402
