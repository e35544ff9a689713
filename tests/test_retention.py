"""kamlib.retention: expected value saved, budgeted targeting and the comparison of rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kamlib import retention
from kamlib.errors import DataError, ParameterError


def accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "p_churn": [0.5, 0.05, 0.3, 0.8, 0.2],
            "value_at_risk": [10000.0, 200000.0, 40000.0, 2000.0, 60000.0],
            "cost": [1000.0, 4000.0, 1200.0, 600.0, 2500.0],
            "churned": [True, False, True, True, False],
        },
        index=pd.Index(["A", "B", "C", "D", "E"], name="account_id"),
    )


# Expected value saved with P(offer works) = 0.5, by hand:
#   A 0.5 x 10,000 x 0.5 - 1,000 = 1,500       B 0.05 x 200,000 x 0.5 - 4,000 = 1,000
#   C 0.3 x 40,000 x 0.5 - 1,200 = 4,800       D 0.8 x 2,000 x 0.5 - 600 = 200
#   E 0.2 x 60,000 x 0.5 - 2,500 = 3,500
EVS = {"A": 1500.0, "B": 1000.0, "C": 4800.0, "D": 200.0, "E": 3500.0}


def test_expected_value_saved_by_hand():
    out = retention.expected_value_saved(accounts(), p_offer_works=0.5, cost_col="cost")
    assert out["expected_value_saved"].to_dict() == pytest.approx(EVS)
    one = retention.expected_value_saved(accounts(), p_offer_works=0.5, offer_cost=1000.0)
    assert one.loc["C", "expected_value_saved"] == pytest.approx(0.3 * 40000 * 0.5 - 1000)
    assert (one["offer_cost"] == 1000.0).all()


def test_targeting_by_hand():
    d = accounts()
    # By expected value: C (1,200), E (2,500): 3,700 spent; A (1,000) would make 4,700.
    t = retention.target_accounts(d, budget=4000, p_offer_works=0.5, cost_col="cost")
    assert t.index.tolist() == ["C", "E"]
    assert t["cumulative_cost"].tolist() == [1200.0, 3700.0]
    # By churn probability: D (600), A (1,000), C (1,200) = 2,800; E would make 5,300.
    t = retention.target_accounts(d, budget=4000, p_offer_works=0.5, cost_col="cost",
                                  rule="churn")  # fmt: skip
    assert t.index.tolist() == ["D", "A", "C"]
    # By value: B (4,000) alone fits.
    t = retention.target_accounts(d, budget=4000, p_offer_works=0.5, cost_col="cost",
                                  rule="value")  # fmt: skip
    assert t.index.tolist() == ["B"]


def test_no_offer_that_is_expected_to_lose_money():
    d = accounts()
    t = retention.target_accounts(d, budget=1e9, p_offer_works=0.1, cost_col="cost")
    # With 10% success only C (0.3 x 40,000 x 0.1 = 1,200 - 1,200 = 0) breaks even and none
    # gains: E 1,200 - 2,500 < 0, A 500 - 1,000 < 0 ...
    assert t.empty
    assert retention.target_accounts(d, budget=0, p_offer_works=0.5, cost_col="cost").empty


def test_compare_rules_by_hand():
    t = retention.compare_rules(accounts(), budget=4000, p_offer_works=0.5, cost_col="cost")
    # expected value: C, E targeted; C churned (40,000): 0.5 x 40,000 - 3,700 = 16,300.
    # churn: D, A, C all churned: 0.5 x (2,000 + 10,000 + 40,000) - 2,800 = 23,200.
    # value: B did not churn: 0 - 4,000.
    assert t["value_saved"].to_dict() == pytest.approx(
        {"expected_value": 16300.0, "churn": 23200.0, "value": -4000.0}
    )
    assert t.loc["churn", "churners_reached"] == 3
    assert t.loc["expected_value", "planned_value_saved"] == pytest.approx(4800 + 3500)


def test_expected_value_rule_saves_most_when_probabilities_are_right():
    # Simulated truth: accounts churn with the probabilities the rules read.
    rng = np.random.default_rng(2)
    n = 20000
    p = rng.beta(1, 8, n)
    value = np.exp(rng.normal(10, 1.2, n))
    cost = rng.choice([600.0, 1200.0, 2500.0, 4000.0], n)
    saved = {r: [] for r in retention.RULES}
    for _k in range(20):
        d = pd.DataFrame({"p_churn": p, "value_at_risk": value, "cost": cost,
                          "churned": rng.random(n) < p})  # fmt: skip
        t = retention.compare_rules(d, budget=300_000, p_offer_works=0.4, cost_col="cost")
        for rule in retention.RULES:
            saved[rule].append(t.loc[rule, "value_saved"])
    means = {rule: np.mean(v) for rule, v in saved.items()}
    assert means["expected_value"] > means["churn"] and means["expected_value"] > means["value"]


def test_inputs_are_not_changed():
    d = accounts()
    before = d.copy()
    retention.expected_value_saved(d, p_offer_works=0.5, cost_col="cost")
    retention.target_accounts(d, budget=4000, p_offer_works=0.5, cost_col="cost")
    retention.compare_rules(d, budget=4000, p_offer_works=0.5, cost_col="cost")
    pd.testing.assert_frame_equal(d, before)


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda d: d.drop(columns="p_churn"), "p_churn"),
        (lambda d: d.assign(p_churn=[1.5, 0, 0, 0, 0]), "between 0 and 1"),
        (lambda d: d.assign(p_churn=[np.nan, 0, 0, 0, 0]), "p_churn"),
        (lambda d: d.assign(value_at_risk=[-1.0, 0, 0, 0, 0]), "0 or more"),
        (lambda d: d.assign(cost=[-1.0, 0, 0, 0, 0]), "0 or more"),
        (lambda d: d.assign(value_at_risk=["x", 0, 0, 0, 0]), "value_at_risk"),
    ],
)
def test_bad_data(change, match):
    with pytest.raises(DataError, match=match):
        retention.expected_value_saved(change(accounts()), p_offer_works=0.5, cost_col="cost")


def test_bad_parameters():
    d = accounts()
    with pytest.raises(ParameterError, match="p_offer_works"):
        retention.expected_value_saved(d, p_offer_works=1.5, cost_col="cost")
    with pytest.raises(ParameterError, match="not both"):
        retention.expected_value_saved(d, p_offer_works=0.5, cost_col="cost", offer_cost=5.0)
    with pytest.raises(ParameterError, match="not both and not neither"):
        retention.expected_value_saved(d, p_offer_works=0.5)
    with pytest.raises(ParameterError, match="target_accounts.*rule"):
        retention.target_accounts(d, budget=5, p_offer_works=0.5, cost_col="cost", rule="x")
    with pytest.raises(ParameterError, match="budget"):
        retention.target_accounts(d, budget=-5, p_offer_works=0.5, cost_col="cost")
    with pytest.raises(ParameterError, match="compare_rules.*rules"):
        retention.compare_rules(d, budget=5, p_offer_works=0.5, cost_col="cost", rules=["best"])
    with pytest.raises(DataError, match="compare_rules.*churned"):
        retention.compare_rules(d.assign(churned=[1, 2, 0, 0, 1]), budget=5, p_offer_works=0.5,
                                cost_col="cost")  # fmt: skip
