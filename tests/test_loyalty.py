"""Tests of kamlib.loyalty: satisfaction paired with next year's retention, share and profit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kamlib import datasets, loyalty
from kamlib.errors import DataError, FitError, ParameterError


def toy_tables():
    surveys = pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "A", "C"],
            "survey_date": pd.to_datetime(
                ["2023-11-03", "2023-11-10", "2023-11-20", "2022-11-15", "2023-11-21"]
            ),
            "csat": [5, 2, 4, 3, 2],
        }
    )
    accounts = pd.DataFrame(
        {
            "account_id": ["A", "B", "C"],
            "customer_since": pd.to_datetime(["2019-01-01", "2020-01-01", "2021-01-01"]),
            "acquisition_cost_cny": [100.0, 100.0, 100.0],
            "est_annual_spend_cny": [1000.0, 400.0, 2000.0],
            # B leaves in mid-2024; C leaves in 2025, after the year that is measured.
            "lost_date": pd.to_datetime([None, "2024-06-30", "2025-03-01"]),
        }
    )
    orders = pd.DataFrame(
        {
            "account_id": ["A", "A", "B", "C", "A"],
            "order_date": pd.to_datetime(
                ["2024-02-01", "2024-09-01", "2024-03-01", "2024-05-01", "2023-05-01"]
            ),
            "gross_revenue_cny": [300.0, 200.0, 50.0, 500.0, 100.0],
            "discount_cny": [0.0, 0.0, 0.0, 0.0, 0.0],
            "net_revenue_cny": [300.0, 200.0, 50.0, 500.0, 100.0],
            "cogs_cny": [200.0, 100.0, 40.0, 300.0, 60.0],
        }
    )
    activity = pd.DataFrame(
        {
            "account_id": ["A", "C"],
            "month": pd.to_datetime(["2024-02-01", "2024-05-01"]),
            "activity": ["delivery", "technical_support"],
            "count": [2, 1],
        }
    )
    return surveys, accounts, orders, activity


def test_outcomes_by_hand():
    surveys, accounts, orders, activity = toy_tables()
    out = loyalty.satisfaction_outcomes(surveys, accounts, orders, activity, survey_years=2023)
    out = out.set_index("account_id")
    # C answered twice in 2023 (4 and 2): mean 3.
    assert out["score"].to_dict() == {"A": 5.0, "B": 2.0, "C": 3.0}
    # B left in 2024; C leaves only in 2025, so it stayed through 2024.
    assert out["stayed"].to_dict() == {"A": True, "B": False, "C": True}
    # 2024 revenue over the wallet: A 500 / 1000, C 500 / 2000; B left, so no share.
    assert out.loc["A", "share_of_wallet_next"] == 0.5
    assert out.loc["C", "share_of_wallet_next"] == 0.25
    assert np.isnan(out.loc["B", "share_of_wallet_next"])
    assert out["net_revenue_next"].to_dict() == {"A": 500.0, "B": 50.0, "C": 500.0}
    # Profit 2024 with default prices: A 500 - 300 - 2 deliveries x 300 = -400;
    # B 50 - 40 = 10; C 500 - 300 - 1 support request x 450 = -250.
    assert out["profit_next"].to_dict() == {"A": -400.0, "B": 10.0, "C": -250.0}


def test_outcomes_default_years_and_inputs_unchanged():
    surveys, accounts, orders, _ = toy_tables()
    copies = [t.copy() for t in (surveys, accounts, orders)]
    out = loyalty.satisfaction_outcomes(surveys, accounts, orders)
    # Orders end in 2024, so the 2022 and 2023 surveys are used; A's 2022 answer sees 2023.
    assert sorted(out["survey_year"].unique()) == [2022, 2023]
    a_2022 = out[(out["survey_year"] == 2022)].set_index("account_id").loc["A"]
    assert a_2022["net_revenue_next"] == 100.0 and a_2022["share_of_wallet_next"] == 0.1
    assert "profit_next" not in out.columns
    for given, kept in zip((surveys, accounts, orders), copies, strict=True):
        pd.testing.assert_frame_equal(given, kept)


def test_loyalty_by_score_by_hand():
    outcomes = pd.DataFrame(
        {
            "score": [1, 1, 1, 5, 5],
            "stayed": [False, True, True, True, True],
            "share_of_wallet_next": [np.nan, 0.1, 0.3, 0.6, 0.4],
            "profit_next": [0.0, 10.0, 20.0, 100.0, 50.0],
        }
    )
    table = loyalty.loyalty_by_score(outcomes)
    # Score 1: 3 answers, 2 stayed; shares 0.1 and 0.3 -> 0.2; profit mean 10, median 10.
    assert table.loc[1].to_dict() == pytest.approx(
        {
            "responses": 3,
            "retention": 2 / 3,
            "mean_share_of_wallet": 0.2,
            "mean_profit": 10.0,
            "median_profit": 10.0,
        }
    )
    assert table.loc[5, "mean_profit"] == 75.0 and table.loc[5, "retention"] == 1.0


def test_links_recover_a_simulated_truth():
    # Accounts whose monthly hazard of leaving is multiplied by exp(-0.55) per sd of
    # satisfaction over a 13-month window, and whose share of wallet has log-odds
    # 0.4 per sd (the Huaxin truth), with no measurement noise.
    rng = np.random.default_rng(7)
    n = 30000
    s = rng.normal(0, 1, n)
    left = rng.random(n) < 1 - np.exp(-13 * 0.011 * np.exp(-0.55 * s))
    share = 1 / (1 + np.exp(-(np.log(0.35 / 0.65) + 0.4 * s + rng.normal(0, 0.6, n))))
    profit = 1000 * share + rng.normal(0, 50, n)  # 1,000 CNY per unit of share
    outcomes = pd.DataFrame(
        {
            "score": s,
            "stayed": ~left,
            "share_of_wallet_next": np.where(left, np.nan, share),
            "profit_next": np.where(left, 0.0, profit),
        }
    )
    links = loyalty.satisfaction_links(outcomes)
    assert links.loc["retention", "estimate"] == pytest.approx(-0.55, abs=0.05)
    assert links.loc["share_of_wallet", "estimate"] == pytest.approx(0.4, abs=0.02)
    assert links.loc["profit", "estimate"] > 0
    assert (links["ci_low"] < links["estimate"]).all()
    assert links.loc["retention", "n"] == n


def test_huaxin_links_agree_with_the_true_ones():
    # The course data: with the hidden satisfaction itself as the score, the retention link
    # is the simulated churn effect; with CSAT, a noisy measure, each link is the true effect
    # times (loading / variance of CSAT), the slope of satisfaction on CSAT.
    from kamlib.datasets import generate

    tables, hidden = generate.simulate_b2b()
    truth = datasets.true_parameters()["accounts"]
    true_links = truth["satisfaction_links"]
    accounts = tables["accounts"]
    latent = pd.Series(hidden["satisfaction"].to_numpy(), index=accounts["account_id"])
    surveys = tables["surveys"].assign(latent=lambda t: t["account_id"].map(latent))
    log_size = np.log(accounts.set_index("account_id")["employees"])

    def links(score_col):
        out = loyalty.satisfaction_outcomes(
            surveys, accounts, tables["orders"], score_col=score_col
        )
        out["log_employees"] = out["account_id"].map(log_size)
        return loyalty.satisfaction_links(out, covariates=["log_employees"]), out

    latent_links, _ = links("latent")
    assert latent_links.loc["retention", "estimate"] == pytest.approx(
        true_links["churn_log_hazard_ratio"], abs=0.12
    )
    csat_links, out = links("csat")
    attenuation = truth["survey_scores"]["csat_loading"] / out["score"].var()
    for row, key in (
        ("retention", "churn_log_hazard_ratio"),
        ("share_of_wallet", "share_of_wallet_log_odds"),
    ):
        implied = true_links[key] * attenuation
        est, se = csat_links.loc[row, ["estimate", "std_error"]]
        assert abs(est - implied) < 2.5 * se, (row, est, implied)


def test_bad_inputs():
    surveys, accounts, orders, activity = toy_tables()
    with pytest.raises(DataError, match="surveys"):
        loyalty.satisfaction_outcomes([1], accounts, orders)
    with pytest.raises(DataError, match="csat"):
        loyalty.satisfaction_outcomes(surveys.drop(columns="csat"), accounts, orders)
    with pytest.raises(DataError, match="numeric"):
        loyalty.satisfaction_outcomes(surveys.assign(csat="good"), accounts, orders)
    with pytest.raises(DataError, match="not in 'accounts'"):
        loyalty.satisfaction_outcomes(surveys, accounts[accounts.account_id != "B"], orders)
    with pytest.raises(ParameterError, match="no following year"):
        loyalty.satisfaction_outcomes(surveys, accounts, orders, survey_years=2024)
    with pytest.raises(ParameterError, match="survey_years"):
        loyalty.satisfaction_outcomes(surveys, accounts, orders, survey_years="recent")
    with pytest.raises(DataError, match="no survey response is dated in 2021"):
        loyalty.satisfaction_outcomes(surveys, accounts, orders, survey_years=[2021])
    with pytest.raises(DataError, match="est_annual_spend_cny"):
        loyalty.satisfaction_outcomes(surveys, accounts.assign(est_annual_spend_cny=-1.0), orders)
    outcomes = loyalty.satisfaction_outcomes(surveys, accounts, orders, survey_years=2023)
    with pytest.raises(DataError, match="stayed"):
        loyalty.loyalty_by_score(outcomes.drop(columns="stayed"))
    with pytest.raises(DataError, match="True/False"):
        loyalty.loyalty_by_score(outcomes.assign(stayed=1.5))
    with pytest.raises(FitError, match="every account stayed"):
        loyalty.satisfaction_links(outcomes.assign(stayed=True))
    with pytest.raises(DataError, match="size"):
        loyalty.satisfaction_links(outcomes, covariates=["size"])


def test_data_card_states_the_links_and_they_agree_with_the_truth():
    # On the committed files: each link measured on CSAT lies within 2.5 standard errors of
    # the link the truth implies, and the surveys card states the measured figures.
    from kamlib.datasets import cards

    f = cards.satisfaction_figures()
    assert abs(f["retention"] - f["retention_true"]) < 2.5 * f["retention_se"]
    assert abs(f["share"] - f["share_true"]) < 2.5 * f["share_se"]
    assert f["retention"] < 0 < f["share"]
    card = (datasets.data_dir() / "README.md").read_text(encoding="utf-8")
    assert f"log hazard ratio of leaving is {f['retention']:.2f}" in card
    assert f"the truth implies {f['share_true']:.2f}" in card
