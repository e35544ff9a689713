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


def _revenue(year: int):
    orders, _ = _tables()
    in_year = orders[orders["order_date"].dt.year == year]
    return in_year.groupby("account_id")["net_revenue_cny"].sum()


def _revenue_2024():
    return _revenue(2024)


@functools.lru_cache(maxsize=1)
def _segments():
    orders, _ = _tables()
    return rfm.rfm_segments(rfm.rfm_scores(rfm.rfm_table(orders, as_of=AS_OF)))


def _matrix(**splits):
    _, accounts = _tables()
    return identification.value_matrix(accounts, _revenue_2024(), **splits)


def _rfm_list(size: int) -> set:
    ranked = _segments().sort_values(["rfm_score", "monetary"], ascending=False)
    return set(ranked.index[:size])


def _value_list(size: int, potential_weight: float) -> set:
    value = identification.value_score(_matrix(), potential_weight=potential_weight)
    return set(value.nlargest(size).index)


def _three_lists(potential_weight: float = 0.5) -> dict[str, set]:
    _, accounts = _tables()
    experience = identification.rule_based_key_accounts(accounts)
    size = len(experience)
    return {
        "experience": experience,
        "rfm": _rfm_list(size),
        "value": _value_list(size, potential_weight),
    }


@exercise(
    "2.1",
    kind="number",
    hint="Recency counts the whole days from the account's last order up to the as-of date.",
)
def _recency_a0042():
    orders, _ = _tables()
    return rfm.rfm_table(orders, as_of=AS_OF).loc["A0042", "recency_days"]


# Exercise 2.2: the worked example classifies 2024 revenue; the exercise asks for 2023.
@exercise(
    "2.2",
    kind="number",
    hint="Keep only the orders placed in 2023, sum each account's net revenue, then classify "
    "with cut-offs of 80% and 95%.",
)
def _class_a_count_2023():
    abc = identification.abc_classes(_revenue(2023), cutoffs=(0.8, 0.95))
    return int((abc["abc_class"] == "A").sum())


@exercise(
    "2.3",
    kind="set",
    hint="Score RFM as of 2024-12-31 with 5 levels, name the segments, keep one of them.",
)
def _cant_lose():
    segments = _segments()
    return list(segments.index[segments["segment"] == "Can't lose"])


#: Exercise 2.4: the sales director's fixed thresholds (CNY) instead of the medians.
SPLIT_CNY = 100_000


@exercise(
    "2.4",
    kind="number",
    hint="Pass current_split and potential_split to identification.value_matrix; Grow means "
    "low current value and high potential value.",
)
def _grow_count_fixed_splits():
    matrix = _matrix(current_split=SPLIT_CNY, potential_split=SPLIT_CNY)
    return int((matrix["quadrant"] == "Grow").sum())


#: Exercise 2.5: each data-based method names only this many accounts.
SHORT_LIST = 150


@exercise(
    "2.5",
    kind="number",
    hint="Take the first 150 of each ranking (RFM score with ties broken by revenue; value "
    "score); Jaccard = accounts on both lists / accounts on either list.",
)
def _jaccard_rfm_value_150():
    table = identification.list_agreement(
        {"rfm": _rfm_list(SHORT_LIST), "value": _value_list(SHORT_LIST, 0.5)}
    )
    return float(table["jaccard"].iloc[0])


@exercise(
    "2.6",
    kind="number",
    hint="Only the value list changes: rescore with potential_weight=1, keep its 300 best, then "
    "intersect it with the experience and RFM lists.",
)
def _agreed_by_all_full_potential():
    return len(identification.agreed_by_all(_three_lists(potential_weight=1.0)))


exercise(
    "2.7",
    kind="text",
    digest="2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6",
    hint="Quantile scores depend only on how customers rank against each other.",
)
