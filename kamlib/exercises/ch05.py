"""Chapter 5 exercises (first workbook, 5.1-5.4): life cycle, cohorts, closed-form and Markov CLV.

Every expected answer is recomputed from the course data with kamlib. The discount rate, the
horizons and the model settings are inputs the workbook gives the student, not answers. The
worked examples show the stages on 31 December 2024, quarterly cohorts and the migration model's
20-quarter values, so the exercises ask for another date, yearly cohorts, a band valued on its
gross margin and a shorter horizon.
Exercises 5.5 onwards (the probabilistic buying models) are declared in ``ch05b``.
"""

from __future__ import annotations

import functools

from kamlib import clv, datasets, lifecycle
from kamlib.exercises.core import exercise

AS_OF = "2024-12-31"
STAGE_DATE = "2024-09-30"  # exercise 5.1: stages at the end of the third quarter
ANNUAL_DISCOUNT = 0.10
CLV_YEARS = 10
MARKOV_STATES = 5
MARKOV_QUARTERS = 12  # exercise 5.4: a three-year horizon


@functools.lru_cache(maxsize=1)
def _tables():
    return datasets.load("accounts"), datasets.load("orders")


def _orders_of_year(orders, year):
    return orders[orders["order_date"].dt.year == year]


@exercise(
    "5.1",
    kind="number",
    hint="Place every account in its life-cycle stage on 30 September 2024 (as_of) with the "
    "default rules and count the accounts labelled 'at risk'.",
)
def _at_risk_accounts_q3():
    accounts, orders = _tables()
    stages = lifecycle.lifecycle_stages(accounts, orders, as_of=STAGE_DATE)
    return int((stages["stage"] == "at risk").sum())


@exercise(
    "5.2",
    kind="number",
    hint="Keep the orders of accounts won on or after 1 January 2022, build yearly cohorts "
    "(period='Y') and read the 2022 row, 2 years after the first order, as a share between 0 and 1.",
)
def _cohort_2022_after_2_years():
    accounts, orders = _tables()
    won = accounts.loc[accounts["customer_since"] >= "2022-01-01", "account_id"]
    retention = lifecycle.cohort_retention(orders[orders["account_id"].isin(won)], period="Y")
    return float(retention.loc["2022", 2])


@exercise(
    "5.3",
    kind="number",
    hint="Large accounts only: the margin is the mean 2024 gross margin (net revenue minus "
    "cost of goods) of those that bought in 2024; retention is the share of 2023 buyers who "
    "bought again in 2024; then clv(..., horizon=10) with the margin paid at the end of each year.",
)
def _large_clv():
    # Not Medium: the Medium answer falls within 0.1% of the Medium CLV with no end that the
    # workbook's size-band table shows, so copying that (different) number would pass.
    accounts, orders = _tables()
    large = set(accounts.loc[accounts["size_band"] == "Large", "account_id"])
    orders = orders[orders["account_id"].isin(large)]
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
    "equivalent of 10% a year, horizon=12 quarters; read the '1 period ago' state.",
)
def _markov_one_quarter_ago_3_years():
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
