"""Chapter 5 exercises (first workbook, 5.1-5.4): life cycle, cohorts, closed-form and Markov CLV.

Every expected answer is recomputed from the course data with kamlib. The discount rate, the
horizons and the model settings are inputs the workbook gives the student, not answers.
Exercises 5.5 onwards (the probabilistic buying models) are declared in ``ch05b``.
"""

from __future__ import annotations

import functools

from kamlib import clv, datasets, lifecycle
from kamlib.exercises.core import exercise

AS_OF = "2024-12-31"
ANNUAL_DISCOUNT = 0.10
CLV_YEARS = 10
MARKOV_STATES = 5
MARKOV_QUARTERS = 20


@functools.lru_cache(maxsize=1)
def _tables():
    return datasets.load("accounts"), datasets.load("orders")


def _orders_of_year(orders, year):
    return orders[orders["order_date"].dt.year == year]


@exercise(
    "5.1",
    kind="number",
    hint="Place every account in its life-cycle stage on 31 December 2024 with the default "
    "rules and count the accounts labelled 'at risk'.",
)
def _at_risk_accounts():
    accounts, orders = _tables()
    stages = lifecycle.lifecycle_stages(accounts, orders, as_of=AS_OF)
    return int((stages["stage"] == "at risk").sum())


@exercise(
    "5.2",
    kind="number",
    hint="Keep the orders of accounts won on or after 1 January 2022, build quarterly cohorts "
    "and read the 2023Q1 row, 4 quarters after the first order, as a share between 0 and 1.",
)
def _cohort_2023q1_after_4_quarters():
    accounts, orders = _tables()
    won = accounts.loc[accounts["customer_since"] >= "2022-01-01", "account_id"]
    retention = lifecycle.cohort_retention(orders[orders["account_id"].isin(won)], period="Q")
    return float(retention.loc["2023Q1", 4])


@exercise(
    "5.3",
    kind="number",
    hint="Medium accounts only: the margin is the mean 2024 gross margin (net revenue minus "
    "cost of goods) of those that bought in 2024; retention is the share of 2023 buyers who "
    "bought again in 2024; then clv(..., horizon=10) with the margin paid at the end of each year.",
)
def _medium_clv():
    accounts, orders = _tables()
    medium = set(accounts.loc[accounts["size_band"] == "Medium", "account_id"])
    orders = orders[orders["account_id"].isin(medium)]
    in_2024 = _orders_of_year(orders, 2024)
    margin = (in_2024["net_revenue_cny"] - in_2024["cogs_cny"]).groupby(in_2024["account_id"])
    margin = float(margin.sum().mean())
    buyers_2023 = set(_orders_of_year(orders, 2023)["account_id"])
    buyers_2024 = set(in_2024["account_id"])
    retention = len(buyers_2023 & buyers_2024) / len(buyers_2023)
    return clv.clv(margin, retention, ANNUAL_DISCOUNT, horizon=CLV_YEARS)


@exercise(
    "5.4",
    kind="number",
    hint="Quarterly recency states (5, last one absorbing), a value per quarter only in "
    "'this period' (the mean gross margin of an account in a quarter it buys), the quarterly "
    "equivalent of 10% a year, 20 quarters; read the '1 period ago' state.",
)
def _markov_one_quarter_ago():
    _, orders = _tables()
    P = clv.recency_transition_matrix(
        orders, period="Q", n_states=MARKOV_STATES, end=AS_OF, absorbing_last=True
    )
    quarter = orders["order_date"].dt.to_period("Q")
    margin = (orders["net_revenue_cny"] - orders["cogs_cny"]).groupby(
        [orders["account_id"], quarter]
    )
    values = [float(margin.sum().mean())] + [0.0] * (MARKOV_STATES - 1)
    rate = clv.per_period_rate(ANNUAL_DISCOUNT, 4)
    return float(clv.markov_clv(P, values, rate, horizon=MARKOV_QUARTERS).iloc[1])
