"""A bank's high-net-worth clients: service tiers, coverage, share of wallet and cost to serve.

The course's second relationship-marketing case (chapter 7) is a bank that wins and keeps
high-net-worth clients (高净值客户) with tailored products, a personal relationship manager
(客户经理) and client events. Its data are the small made-up table :func:`hnw_clients`: sixteen
clients of one branch, invented for the case (not simulated, no hidden truth), with round
numbers a student can check by hand.

>>> from kamlib import private_banking as pb
>>> clients = pb.hnw_clients()
>>> len(clients), clients["tier"].unique().tolist()
(16, ['private', 'wealth', 'priority'])
>>> economics = pb.client_economics(clients)
>>> round(float(economics.loc[0, "share_of_wallet"]), 2)   # C01: 28m of 35m
0.8
"""

from __future__ import annotations

import pandas as pd

from kamlib.errors import DataError
from kamlib.validation import (
    check_number,
    require_columns,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_numeric,
    require_unique,
)

__all__ = ["client_economics", "hnw_clients", "tier_summary"]

TIERS = ("private", "wealth", "priority")
NO_RM = "team"  # clients served by the branch's shared desk, without a named manager

# client, tier, manager, assets with us, investable assets (all banks), yearly revenue,
# manager hours per year, events attended per year, perks cost per year (lounge, concierge).
_ROWS = [
    ("C01", "private", "RM1", 28_000_000, 35_000_000, 290_000, 60, 6, 30_000),
    ("C02", "private", "RM1", 15_500_000, 18_000_000, 120_000, 40, 4, 30_000),
    ("C03", "private", "RM2", 9_200_000, 30_000_000, 95_000, 45, 5, 30_000),
    ("C04", "private", "RM2", 7_100_000, 7_500_000, 30_000, 70, 8, 30_000),
    ("C05", "private", "RM1", 6_400_000, 12_000_000, 70_000, 35, 3, 30_000),
    ("C06", "wealth", "RM3", 4_800_000, 5_500_000, 45_000, 20, 2, 8_000),
    ("C07", "wealth", "RM3", 3_900_000, 26_000_000, 36_000, 12, 1, 8_000),
    ("C08", "wealth", "RM3", 3_100_000, 4_000_000, 28_000, 18, 2, 8_000),
    ("C09", "wealth", NO_RM, 2_600_000, 40_000_000, 20_000, 4, 0, 8_000),
    ("C10", "wealth", NO_RM, 2_200_000, 2_600_000, 19_000, 6, 1, 8_000),
    ("C11", "wealth", "RM3", 1_900_000, 2_400_000, 17_000, 25, 3, 8_000),
    ("C12", "wealth", NO_RM, 1_500_000, 9_000_000, 14_000, 3, 0, 8_000),
    ("C13", "priority", NO_RM, 900_000, 1_200_000, 7_000, 2, 0, 1_500),
    ("C14", "priority", NO_RM, 800_000, 15_000_000, 6_500, 1, 0, 1_500),
    ("C15", "priority", NO_RM, 700_000, 900_000, 5_000, 2, 1, 1_500),
    ("C16", "priority", NO_RM, 600_000, 800_000, 4_500, 1, 0, 1_500),
]
_COLUMNS = [
    "client_id",
    "tier",
    "relationship_manager",
    "aum_cny",
    "investable_assets_cny",
    "revenue_cny",
    "rm_hours",
    "events",
    "perks_cost_cny",
]
_NUMBERS = _COLUMNS[3:]


def hnw_clients() -> pd.DataFrame:
    """Sixteen high-net-worth clients of one bank branch (a made-up table for the case).

    Columns: ``client_id``; ``tier``, the service tier the bank gives today by assets held
    with it (private banking from 6 million yuan, wealth from 1.5 million, priority below);
    ``relationship_manager`` (``"RM1"``-``"RM3"``, or ``"team"`` for the shared desk);
    ``aum_cny``, assets under management with the bank; ``investable_assets_cny``, the
    manager's estimate of the client's investable assets at all banks; ``revenue_cny``, the
    bank's yearly revenue from the client (fees, commissions, interest margin); ``rm_hours``,
    manager hours spent on the client in a year; ``events``, client events attended in a year;
    ``perks_cost_cny``, the yearly cost of the tier's perks (lounge, concierge, statements).

    Returns
    -------
    pandas.DataFrame
        A new copy on each call.
    """
    return pd.DataFrame(_ROWS, columns=_COLUMNS)


def client_economics(
    clients,
    *,
    rm_hour_cost_cny: float = 800.0,
    event_cost_cny: float = 5000.0,
) -> pd.DataFrame:
    """Share of wallet, cost to serve and profit of each client.

    ``share_of_wallet`` (钱包份额) = assets with the bank / investable assets at all banks;
    ``headroom_cny`` = investable assets not yet with the bank; ``cost_to_serve_cny`` = manager
    hours x ``rm_hour_cost_cny`` + events x ``event_cost_cny`` + perks; ``profit_cny`` =
    revenue - cost to serve; ``revenue_margin`` = revenue / assets with the bank.

    Parameters
    ----------
    clients : pandas.DataFrame
        Columns as in :func:`hnw_clients`.
    rm_hour_cost_cny : float, default 800
        Cost of one manager hour (salary and overhead; an assumption), >= 0.
    event_cost_cny : float, default 5000
        Cost of one client's place at an event (an assumption), >= 0.

    Returns
    -------
    pandas.DataFrame
        A copy of ``clients`` with the five columns above.

    Examples
    --------
    >>> from kamlib import private_banking as pb
    >>> economics = pb.client_economics(pb.hnw_clients())
    >>> economics.loc[3, "client_id"]   # 70 hours x 800 + 8 events x 5,000 + 30,000 perks
    'C04'
    >>> economics.loc[3, ["cost_to_serve_cny", "profit_cny"]].astype(float).tolist()
    [126000.0, -96000.0]
    """
    name = "kamlib.private_banking.client_economics"
    require_frame(clients, name, name="clients")
    require_columns(clients, _COLUMNS, name)
    require_no_missing(clients, "client_id", name, what="client id")
    require_unique(clients, "client_id", name)
    require_no_missing(clients, "tier", name, what="tier")
    require_no_missing(clients, "relationship_manager", name, what="manager (use 'team')")
    for column in _NUMBERS:
        require_non_negative(clients, column, name)
    hour = check_number(rm_hour_cost_cny, "rm_hour_cost_cny", name, low=0)
    event = check_number(event_cost_cny, "event_cost_cny", name, low=0)
    if (clients["investable_assets_cny"] < clients["aum_cny"]).any():
        bad = clients.loc[clients["investable_assets_cny"] < clients["aum_cny"], "client_id"]
        raise DataError(
            f"{name}: client(s) {bad.head(3).tolist()} hold more with the bank than their "
            "investable assets at all banks. Raise the estimate of investable assets."
        )
    out = clients.copy()
    invested = out["investable_assets_cny"].astype(float)
    out["share_of_wallet"] = (out["aum_cny"] / invested.where(invested > 0)).fillna(0.0)
    out["headroom_cny"] = out["investable_assets_cny"] - out["aum_cny"]
    out["cost_to_serve_cny"] = (
        out["rm_hours"] * hour + out["events"] * event + out["perks_cost_cny"]
    ).astype(float)
    out["profit_cny"] = out["revenue_cny"] - out["cost_to_serve_cny"]
    aum = out["aum_cny"].astype(float)
    out["revenue_margin"] = (out["revenue_cny"] / aum.where(aum > 0)).fillna(0.0)
    return out


def tier_summary(economics) -> pd.DataFrame:
    """Each service tier's clients, assets, share of wallet, profit and manager coverage.

    Parameters
    ----------
    economics : pandas.DataFrame
        The output of :func:`client_economics`.

    Returns
    -------
    pandas.DataFrame
        Indexed by tier: ``clients``, ``aum_cny``, ``investable_assets_cny``,
        ``share_of_wallet`` (the tier's assets with the bank / its investable assets),
        ``revenue_cny``, ``cost_to_serve_cny``, ``profit_cny``, ``loss_making`` (clients),
        ``rm_coverage`` (share of clients with a named manager) and ``clients_per_rm``
        (clients with a named manager / managers serving the tier; 0 when none).

    Examples
    --------
    >>> from kamlib import private_banking as pb
    >>> table = pb.tier_summary(pb.client_economics(pb.hnw_clients()))
    >>> table.loc["wealth", ["clients", "rm_coverage"]].tolist()
    [7.0, 0.5714285714285714]
    """
    name = "kamlib.private_banking.tier_summary"
    require_frame(economics, name, name="economics")
    money = ["aum_cny", "investable_assets_cny", "revenue_cny", "cost_to_serve_cny"]
    require_columns(
        economics, ["client_id", "tier", "relationship_manager", *money, "profit_cny"], name
    )
    require_no_missing(economics, "client_id", name, what="client id")
    require_no_missing(economics, "tier", name, what="tier")
    require_no_missing(economics, "relationship_manager", name, what="manager (use 'team')")
    for column in money:
        require_non_negative(economics, column, name)
    require_numeric(economics, "profit_cny", name)
    frame = economics.assign(
        named=economics["relationship_manager"].astype(str) != NO_RM,
        loss=economics["profit_cny"] < 0,
    )
    groups = frame.groupby("tier", sort=False)
    table = groups.agg(
        clients=("client_id", "size"),
        aum_cny=("aum_cny", "sum"),
        investable_assets_cny=("investable_assets_cny", "sum"),
        revenue_cny=("revenue_cny", "sum"),
        cost_to_serve_cny=("cost_to_serve_cny", "sum"),
        profit_cny=("profit_cny", "sum"),
        loss_making=("loss", "sum"),
        rm_coverage=("named", "mean"),
    ).astype(float)
    invested = table["investable_assets_cny"]
    table.insert(3, "share_of_wallet", (table["aum_cny"] / invested.where(invested > 0)).fillna(0))
    named = frame[frame["named"]]
    managers = named.groupby("tier")["relationship_manager"].nunique()
    covered = named.groupby("tier").size()
    per_rm = (covered / managers).reindex(table.index).fillna(0.0)
    table["clients_per_rm"] = per_rm.astype(float)
    order = [t for t in TIERS if t in table.index] + [t for t in table.index if t not in TIERS]
    return table.loc[order]
