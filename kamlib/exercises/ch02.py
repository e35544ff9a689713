"""Chapter 2 exercises: identifying key accounts with experience, RFM and customer value.

Every expected answer is recomputed from the course data (as of 31 December 2024) with kamlib.
"""

from __future__ import annotations

import functools

from kamlib import datasets, identification, rfm
from kamlib.exercises.core import exercise

AS_OF = "2024-12-31"


@functools.lru_cache(maxsize=1)
def _tables():
    orders = datasets.load("orders")
    accounts = datasets.load("accounts")
    return orders, accounts


def _revenue_2024():
    orders, _ = _tables()
    in_2024 = orders[orders["order_date"].dt.year == 2024]
    return in_2024.groupby("account_id")["net_revenue_cny"].sum()


@functools.lru_cache(maxsize=1)
def _segments():
    orders, _ = _tables()
    return rfm.rfm_segments(rfm.rfm_scores(rfm.rfm_table(orders, as_of=AS_OF)))


def _matrix():
    _, accounts = _tables()
    return identification.value_matrix(accounts, _revenue_2024())


def _three_lists() -> dict[str, set]:
    _, accounts = _tables()
    experience = identification.rule_based_key_accounts(accounts)
    size = len(experience)
    ranked = _segments().sort_values(["rfm_score", "monetary"], ascending=False)
    value = identification.value_score(_matrix(), potential_weight=0.5)
    return {
        "experience": experience,
        "rfm": set(ranked.index[:size]),
        "value": set(value.nlargest(size).index),
    }


@exercise(
    "2.1",
    kind="number",
    hint="Recency counts the whole days from the account's last order up to the as-of date.",
)
def _recency_a0042():
    orders, _ = _tables()
    return rfm.rfm_table(orders, as_of=AS_OF).loc["A0042", "recency_days"]


@exercise(
    "2.2",
    kind="number",
    hint="Sum each account's 2024 net revenue, then classify with cut-offs of 80% and 95%.",
)
def _class_a_count():
    abc = identification.abc_classes(_revenue_2024(), cutoffs=(0.8, 0.95))
    return int((abc["abc_class"] == "A").sum())


@exercise(
    "2.3",
    kind="set",
    hint="Score RFM as of 2024-12-31 with 5 levels, name the segments, keep one of them.",
)
def _cant_lose():
    segments = _segments()
    return list(segments.index[segments["segment"] == "Can't lose"])


@exercise(
    "2.4",
    kind="number",
    hint="Compare 2024 revenue with est_annual_spend_cny; split both axes at their medians.",
)
def _grow_count():
    return int((_matrix()["quadrant"] == "Grow").sum())


@exercise(
    "2.5",
    kind="number",
    hint="Jaccard = accounts on both lists / accounts on either list; both lists have 300 ids.",
)
def _jaccard_experience_rfm():
    table = identification.list_agreement(_three_lists())
    row = table[(table["list_a"] == "experience") & (table["list_b"] == "rfm")]
    return float(row["jaccard"].iloc[0])


@exercise(
    "2.6",
    kind="number",
    hint="Intersect the three lists of 300 accounts (experience, RFM, customer value).",
)
def _agreed_by_all():
    return len(identification.agreed_by_all(_three_lists()))


exercise(
    "2.7",
    kind="text",
    digest="2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6",
    hint="Quantile scores depend only on how customers rank against each other.",
)
