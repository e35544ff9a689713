"""Chapter 1 exercises: meet the company and measure how concentrated its revenue is.

The worked examples use 2024 as a whole; the exercises ask about other years, regions and
cut-offs, so their answers are never printed above them.
"""

from kamlib import concentration, datasets
from kamlib.exercises.core import exercise


def _orders_in(year: int):
    orders = datasets.load("orders")
    return orders[orders["order_date"].dt.year == year]


@exercise(
    "1.1",
    kind="number",
    hint="Take the set of accounts that ordered in 2023 and remove those that ordered in 2024.",
)
def _lapsed_after_2023():
    return len(set(_orders_in(2023)["account_id"]) - set(_orders_in(2024)["account_id"]))


@exercise(
    "1.2",
    kind="number",
    hint="Sum 2023 net revenue per account, rank the accounts, and take the top 10% of them "
    "(round the number of accounts up).",
)
def _top10_share_2023():
    return concentration.top_share(_orders_in(2023), fraction=0.1)


@exercise(
    "1.3",
    kind="number",
    hint="Keep 2024 orders of accounts in the East region (join the accounts table), then "
    "compute the Gini of net revenue per account.",
)
def _gini_east_2024():
    accounts = datasets.load("accounts")
    east = set(accounts.loc[accounts["region"] == "East", "account_id"])
    orders = _orders_in(2024)
    return concentration.gini(orders[orders["account_id"].isin(east)])


@exercise(
    "1.4", kind="set", hint="Rank accounts by their 2022 net revenue and keep the first ten ids."
)
def _ten_largest_2022():
    return list(concentration.value_by_customer(_orders_in(2022)).index[:10])


exercise(
    "1.5",
    kind="text",
    digest="3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d",
    hint="Think of the Lorenz curve that lies on the diagonal.",
)
