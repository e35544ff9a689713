"""Basket rules by hand on six baskets; next best offers judged on a later period."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib import market_basket as mb
from kamlib.errors import DataError, ParameterError

# Six baskets:  1 {bread, milk}  2 {bread, butter, milk}  3 {bread, butter}
#               4 {milk}         5 {bread, butter, milk}  6 {butter, jam}
LINES = pd.DataFrame(
    {
        "order_id": [1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 5, 6, 6],
        "product_category": [
            "bread", "milk", "bread", "butter", "milk", "bread", "butter", "milk",
            "bread", "butter", "milk", "butter", "jam",
        ],
    }
)  # fmt: skip


def test_basket_matrix_by_hand():
    m = mb.basket_matrix(LINES)
    assert m.columns.tolist() == ["bread", "butter", "jam", "milk"]
    assert m.sum().to_dict() == {"bread": 4, "butter": 4, "jam": 1, "milk": 4}
    assert m.loc[6].tolist() == [False, True, True, False]


def test_rules_on_six_baskets_by_hand():
    rules = mb.basket_rules(mb.basket_matrix(LINES), min_support=0.3).set_index(
        ["antecedent", "consequent"]
    )
    # support(bread) = 4/6, support(butter) = 4/6, support(milk) = 4/6.
    # bread + butter in baskets 2, 3, 5: support 3/6 = 0.5.
    # bread -> butter: confidence 3/4 = 0.75; lift 0.75 / (4/6) = 1.125.
    r = rules.loc[("bread", "butter")]
    assert r["support"] == pytest.approx(0.5)
    assert r["confidence"] == pytest.approx(0.75)
    assert r["lift"] == pytest.approx(1.125)
    # bread + milk in 1, 2, 5: bread -> milk, confidence 3/4, lift 1.125 as well.
    assert rules.loc[("bread", "milk"), "lift"] == pytest.approx(1.125)
    # butter + milk in 2, 5 only: support 2/6 = 0.333; butter -> milk confidence 2/4 = 0.5,
    # lift 0.5 / (4/6) = 0.75 (below 1: butter makes milk less likely).
    r = rules.loc[("butter", "milk")]
    assert r["support"] == pytest.approx(1 / 3)
    assert r["confidence"] == pytest.approx(0.5)
    assert r["lift"] == pytest.approx(0.75)
    # bread + butter -> milk: both 2, 5 of 2, 3, 5: confidence 2/3, support 2/6 = 0.333,
    # lift (2/3) / (4/6) = 1.0.
    r = rules.loc[("bread + butter", "milk")]
    assert r["confidence"] == pytest.approx(2 / 3)
    assert r["lift"] == pytest.approx(1.0)
    # jam is in 1 basket of 6 (support 0.167 < 0.3): no rule with jam.
    assert not any("jam" in a or "jam" in c for a, c in rules.index)
    # Sorted by lift, highest first.
    assert mb.basket_rules(mb.basket_matrix(LINES), min_support=0.3)["lift"].is_monotonic_decreasing


def test_rules_with_min_confidence_and_no_pairs():
    rules = mb.basket_rules(mb.basket_matrix(LINES), min_support=0.3, min_confidence=0.7)
    # Pairs at 3/4; and butter + milk (baskets 2, 5, support 2/6 >= 0.3) -> bread: both hold
    # bread, confidence 2/2 = 1, lift 1 / (4/6) = 1.5. Other triples stay at 2/3 < 0.7.
    assert set(zip(rules["antecedent"], rules["consequent"], strict=True)) == {
        ("bread", "butter"), ("butter", "bread"), ("bread", "milk"), ("milk", "bread"),
        ("butter + milk", "bread"),
    }  # fmt: skip
    top = rules.iloc[0]
    assert (top["antecedent"], top["confidence"], top["lift"]) == ("butter + milk", 1.0, 1.5)
    empty = mb.basket_rules(mb.basket_matrix(LINES), min_support=0.9)
    assert empty.empty and "lift" in empty.columns


HISTORY = pd.DataFrame(
    {
        "account_id": ["A", "A", "B", "B", "C", "D"],
        "product_category": ["bread", "milk", "bread", "butter", "jam", "bread"],
    }
)


def test_next_best_offers_by_hand():
    rules = mb.basket_rules(mb.basket_matrix(LINES), min_support=0.3)
    offers = mb.next_best_offers(HISTORY, rules, n_offers=2).set_index(["account_id", "rank"])
    # A has bread and milk: rules to butter: bread -> butter (0.75), milk -> butter (0.5),
    # bread + milk -> butter (2/3): best 0.75. Jam has no rule: popularity (1 account).
    assert offers.loc[("A", 1), "offer"] == "butter"
    assert offers.loc[("A", 1), "score"] == pytest.approx(0.75)
    assert offers.loc[("A", 2), "offer"] == "jam"
    assert offers.loc[("A", 2), "source"] == "popularity"
    # D has bread: bread -> butter 0.75 and bread -> milk 0.75 tie: alphabetical.
    assert offers.loc[("D", 1), "offer"] == "butter"
    assert offers.loc[("D", 2), "offer"] == "milk"
    # Popularity in HISTORY: bread 3 accounts, then butter, jam, milk 1 each (alphabetical).
    base = mb.next_best_offers(HISTORY).set_index("account_id")["offer"].to_dict()
    assert base == {"A": "butter", "B": "jam", "C": "bread", "D": "butter"}


def test_first_new_items_and_hit_rate_by_hand():
    later = pd.DataFrame(
        {
            "account_id": ["A", "A", "B", "C", "E"],
            "product_category": ["milk", "jam", "butter", "bread", "milk"],
            "order_date": pd.to_datetime(
                ["2024-01-02", "2024-01-03", "2024-01-05", "2024-02-01", "2024-03-01"]
            ),
        }
    )
    first = mb.first_new_items(HISTORY, later).set_index("account_id")["first_new_item"]
    # A already had milk: its first new item is jam; B bought nothing new; E is new: milk.
    assert first.to_dict() == {"A": "jam", "C": "bread", "E": "milk"}
    base = mb.next_best_offers(HISTORY)
    res = mb.offer_hit_rate(base, first.reset_index())
    # Judged: A (offer butter, bought jam: miss) and C (offer bread: hit); E has no offer.
    assert res["accounts"] == 2 and res["hits"] == 1 and res["hit_rate"] == 0.5
    # Wilson interval for 1 of 2 at 95%: centre (1 + z^2/2) / (2 + z^2), z = 1.96.
    z = 1.959964
    centre = (1 + z**2 / 2) / (2 + z**2)
    half = z * np.sqrt(0.25 / 2 + z**2 / 16) / (1 + z**2 / 2)
    assert res["ci_low"] == pytest.approx(centre - half, abs=1e-6)
    assert res["ci_high"] == pytest.approx(centre + half, abs=1e-6)


def simulate_affinity(seed: int, n_accounts: int = 600):
    """Accounts that buy 'a' later buy 'b' (a planted affinity); other items are popular."""
    rng = np.random.default_rng(seed)
    items = ["a", "b", "c", "d", "e"]
    pop = np.array([0.15, 0.10, 0.35, 0.25, 0.15])
    hist, later = [], []
    for k in range(n_accounts):
        acc = f"K{k:04d}"
        first = rng.choice(items, size=2, replace=False, p=pop)
        hist += [(acc, i) for i in first]
        if "a" in first and "b" not in first:
            new = "b" if rng.random() < 0.8 else rng.choice([i for i in items if i not in first])
        else:
            new = rng.choice([i for i in items if i not in first])
        later.append((acc, new, pd.Timestamp("2024-01-01")))
    history = pd.DataFrame(hist, columns=["account_id", "product_category"])
    hist_b = history.assign(order_id=history["account_id"])
    # In the history, 'a' and 'b' go together: accounts that bought a before also bought b.
    extra = [(f"H{k:04d}", i) for k in range(300) for i in ("a", "b")]
    hist_b = pd.concat(
        [hist_b, pd.DataFrame(extra, columns=["order_id", "product_category"])], ignore_index=True
    )
    later = pd.DataFrame(later, columns=["account_id", "product_category", "order_date"])
    return history, hist_b, later


def test_rules_beat_popularity_when_an_affinity_is_planted():
    history, baskets, later = simulate_affinity(seed=7)
    rules = mb.basket_rules(mb.basket_matrix(baskets), min_support=0.02)
    ab = rules.set_index(["antecedent", "consequent"]).loc[("a", "b")]
    assert ab["lift"] > 1.2
    outcome = mb.first_new_items(history, later)
    with_rules = mb.offer_hit_rate(mb.next_best_offers(history, rules), outcome)
    baseline = mb.offer_hit_rate(mb.next_best_offers(history), outcome)
    assert with_rules["ci_low"] > baseline["ci_high"]


def test_market_basket_bad_input():
    with pytest.raises(DataError, match="basket_matrix.*'order_id'"):
        mb.basket_matrix(LINES.drop(columns="order_id"))
    with pytest.raises(DataError, match="basket_matrix.*missing item"):
        mb.basket_matrix(LINES.assign(product_category=[None] + ["x"] * 12))
    with pytest.raises(DataError, match="basket_rules.*True/False"):
        mb.basket_rules(mb.basket_matrix(LINES).astype(int))
    with pytest.raises(ParameterError, match="basket_rules.*min_support"):
        mb.basket_rules(mb.basket_matrix(LINES), min_support=0)
    with pytest.raises(ParameterError, match="next_best_offers.*n_offers"):
        mb.next_best_offers(HISTORY, n_offers=0)
    with pytest.raises(DataError, match="next_best_offers.*'confidence'"):
        mb.next_best_offers(HISTORY, pd.DataFrame({"antecedent_items": [], "consequent": []}))
    with pytest.raises(DataError, match="first_new_items.*'order_date'"):
        mb.first_new_items(HISTORY, HISTORY)
    with pytest.raises(DataError, match="offer_hit_rate.*no account is in both"):
        mb.offer_hit_rate(
            pd.DataFrame({"account_id": ["Z"], "offer": ["x"]}),
            pd.DataFrame({"account_id": ["Y"], "first_new_item": ["x"]}),
        )
    before = [LINES.copy(), HISTORY.copy()]
    mb.basket_rules(mb.basket_matrix(LINES))
    mb.next_best_offers(HISTORY, mb.basket_rules(mb.basket_matrix(LINES)))
    pd.testing.assert_frame_equal(LINES, before[0])
    pd.testing.assert_frame_equal(HISTORY, before[1])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.booleans(), min_size=4, max_size=4), min_size=5, max_size=30))
def test_rule_numbers_match_their_definitions(rows):
    baskets = pd.DataFrame(rows, columns=["a", "b", "c", "d"]).astype(bool)
    rules = mb.basket_rules(baskets, min_support=0.1)
    for _, r in rules.iterrows():
        items = sorted(r["antecedent_items"])
        has_a = baskets[items].all(axis=1)
        both = has_a & baskets[r["consequent"]]
        assert r["support"] == pytest.approx(both.mean())
        assert r["confidence"] == pytest.approx(both.sum() / has_a.sum())
        assert r["lift"] == pytest.approx(r["confidence"] / baskets[r["consequent"]].mean())


def test_offer_evaluation_keeps_inputs():
    later = pd.DataFrame(
        {
            "account_id": ["A", "C"],
            "product_category": ["jam", "bread"],
            "order_date": pd.to_datetime(["2024-01-03", "2024-02-01"]),
        }
    )
    offers = mb.next_best_offers(HISTORY)
    before = [later.copy(), offers.copy(), HISTORY.copy()]
    outcome = mb.first_new_items(HISTORY, later)
    outcome_before = outcome.copy()
    mb.offer_hit_rate(offers, outcome)
    for frame, copy in zip([later, offers, HISTORY, outcome], [*before, outcome_before],
                           strict=True):  # fmt: skip
        pd.testing.assert_frame_equal(frame, copy)
