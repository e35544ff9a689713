"""Chapter 4 exercises: customer profit, activity-based cost to serve and the whale curve.

Every expected answer is recomputed from the course data with kamlib's default activity prices
and the acquisition cost charged in the year an account was won. The worked examples of the
workbook show 2024 for the whole company, so the exercises ask for another year (2023), one
region's Small accounts and a price factor the workbook does not plot: the student applies the
method instead of copying a printed number.
"""

from __future__ import annotations

import functools

from kamlib import datasets, profitability
from kamlib.exercises.core import exercise

YEAR = 2024  # the year of the workbook's worked examples
OTHER_YEAR = 2023  # exercises 4.1 to 4.3 redo the analysis for the year before
REGION = "East"  # exercise 4.4: Small accounts of this region
PRICE_FACTOR = 1.5  # exercise 4.5: every activity price 50% higher


@functools.lru_cache(maxsize=1)
def _tables():
    return (
        datasets.load("accounts"),
        datasets.load("orders"),
        datasets.load("service_activity"),
    )


@functools.lru_cache(maxsize=2)
def _profit(year):
    accounts, orders, activity = _tables()
    return profitability.customer_profit(accounts, orders, activity, period=year)


@exercise(
    "4.1",
    kind="number",
    hint="Pass period=2023 to cost_to_serve with the default activity prices, then add up the "
    "cost to serve of all accounts.",
)
def _total_cost_to_serve_2023():
    _, _, activity = _tables()
    cost = profitability.cost_to_serve(activity, period=OTHER_YEAR)
    return float(cost["cost_to_serve"].sum())


@exercise(
    "4.2",
    kind="number",
    hint="Build the profit table for period=2023 with customer_profit and count the accounts "
    "whose profit (after cost to serve and acquisition cost) is below zero.",
)
def _loss_makers_2023():
    return int((_profit(OTHER_YEAR)["profit"] < 0).sum())


@exercise(
    "4.3",
    kind="number",
    hint="Rank accounts by their 2023 profit; find where cumulative profit is highest "
    "(whale_summary does this) and give the share of accounts up to that point, between 0 and 1.",
)
def _peak_customer_share_2023():
    return float(profitability.whale_summary(_profit(OTHER_YEAR))["peak_customer_share"])


@exercise(
    "4.4",
    kind="number",
    hint="Join the 2024 profit table to the accounts' region and size band, keep the Small "
    "accounts of the East region and take the share with a negative profit.",
)
def _small_east_loss_share():
    accounts, _, _ = _tables()
    info = accounts.set_index("account_id")[["region", "size_band"]].astype(str)
    profit = _profit(YEAR)
    info = info.reindex(profit.index)
    keep = (info["region"] == REGION) & (info["size_band"] == "Small")
    return float((profit.loc[keep, "profit"] < 0).mean())


@exercise(
    "4.5",
    kind="number",
    hint="Multiply every entry of DEFAULT_ACTIVITY_COSTS by the factor, pass the new table as "
    "activity_costs, recompute 2024 profit and count the loss-makers again.",
)
def _loss_makers_dearer_service():
    accounts, orders, activity = _tables()
    prices = {k: v * PRICE_FACTOR for k, v in profitability.DEFAULT_ACTIVITY_COSTS.items()}
    profit = profitability.customer_profit(
        accounts, orders, activity, period=YEAR, activity_costs=prices
    )
    return int((profit["profit"] < 0).sum())


exercise(
    "4.6",
    kind="text",
    digest="3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d",
    hint="Ask what drives the account's cost before deciding anything about the relationship.",
)
