"""Chapter 4 exercises: customer profit, activity-based cost to serve and the whale curve.

Every expected answer is recomputed from the course data for the calendar year 2024 with
kamlib's default activity prices and the acquisition cost charged in the year an account was won.
"""

from __future__ import annotations

import functools

from kamlib import datasets, profitability
from kamlib.exercises.core import exercise

YEAR = 2024
PRICE_FACTOR = 3  # exercise 4.5: every activity price three times as high


@functools.lru_cache(maxsize=1)
def _tables():
    return (
        datasets.load("accounts"),
        datasets.load("orders"),
        datasets.load("service_interactions"),
    )


@functools.lru_cache(maxsize=1)
def _profit():
    accounts, orders, interactions = _tables()
    return profitability.customer_profit(accounts, orders, interactions, period=YEAR)


@exercise(
    "4.1",
    kind="number",
    hint="Price every 2024 contact and delivery with the default activity costs, then add up "
    "the cost to serve of all accounts.",
)
def _total_cost_to_serve():
    _, orders, interactions = _tables()
    cost = profitability.cost_to_serve(interactions, orders, period=YEAR)
    return float(cost["cost_to_serve"].sum())


@exercise(
    "4.2",
    kind="number",
    hint="Count the accounts whose 2024 profit (after cost to serve and acquisition cost) is "
    "below zero.",
)
def _loss_makers():
    return int((_profit()["profit"] < 0).sum())


@exercise(
    "4.3",
    kind="number",
    hint="Rank accounts by 2024 profit; find where cumulative profit is highest and give the "
    "share of accounts up to that point, between 0 and 1.",
)
def _peak_customer_share():
    return float(profitability.whale_summary(_profit())["peak_customer_share"])


@exercise(
    "4.4",
    kind="number",
    hint="Join the 2024 profit table to the accounts' size band, keep the Small accounts and "
    "take the share with a negative profit.",
)
def _small_loss_share():
    accounts, _, _ = _tables()
    band = accounts.set_index("account_id")["size_band"]
    profit = _profit()
    small = profit[band.reindex(profit.index).astype(str) == "Small"]
    return float((small["profit"] < 0).mean())


@exercise(
    "4.5",
    kind="number",
    hint="Multiply every entry of DEFAULT_ACTIVITY_COSTS by the factor, pass the new table as "
    "activity_costs, recompute 2024 profit and count the loss-makers again.",
)
def _loss_makers_dearer_service():
    accounts, orders, interactions = _tables()
    prices = {k: v * PRICE_FACTOR for k, v in profitability.DEFAULT_ACTIVITY_COSTS.items()}
    profit = profitability.customer_profit(
        accounts, orders, interactions, period=YEAR, activity_costs=prices
    )
    return int((profit["profit"] < 0).sum())


exercise(
    "4.6",
    kind="text",
    digest="3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d",
    hint="Ask what drives the account's cost before deciding anything about the relationship.",
)
