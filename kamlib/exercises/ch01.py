"""Chapter 1 exercises: meet the company and measure how concentrated its revenue is."""

from kamlib import concentration, datasets
from kamlib.exercises.core import exercise


def _revenue_2024():
    orders = datasets.load("orders")
    return orders[orders["order_date"].dt.year == 2024]


@exercise("1.1", kind="number", hint="Count distinct account_id values among the 2024 orders.")
def _active_accounts_2024():
    return _revenue_2024()["account_id"].nunique()


@exercise(
    "1.2",
    kind="number",
    hint="Sum 2024 net revenue per account, rank the accounts, and take the top 20% of them.",
)
def _top20_share_2024():
    return concentration.top_share(_revenue_2024(), fraction=0.2)


@exercise(
    "1.3", kind="number", hint="Use 2024 net revenue per account (only accounts that bought)."
)
def _gini_2024():
    return concentration.gini(_revenue_2024())


@exercise(
    "1.4", kind="set", hint="Rank accounts by their 2024 net revenue and keep the first ten ids."
)
def _ten_largest_2024():
    return list(concentration.value_by_customer(_revenue_2024()).index[:10])


exercise(
    "1.5",
    kind="text",
    digest="3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d",
    hint="Think of the Lorenz curve that lies on the diagonal.",
)
