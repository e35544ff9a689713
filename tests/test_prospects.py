"""Tests of kamlib.prospects: persona and funnel (the look-alike model is in test_lookalike.py).

Hand-computed expectations are explained in the comments.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from kamlib import prospects
from kamlib.errors import DataError, ParameterError

matplotlib.use("Agg")


# ---------------------------------------------------------------------------------------------
# Persona
# ---------------------------------------------------------------------------------------------
def toy_accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": [f"A{i}" for i in range(1, 9)],
            "industry": pd.Categorical(
                ["Auto", "Auto", "Auto", "Food", "Food", "Food", "Food", "Chem"],
                categories=["Auto", "Chem", "Food", "Unused"],
            ),
            "employees": [10, 20, 30, 40, 50, 60, 70, 80],
            "key": [True, True, False, False, True, False, False, False],
        }
    )


def test_persona_by_hand():
    # Best = A1, A2, A5 (3 of 8). Industry among the best: Auto 2, Food 1 -> shares 2/3, 1/3.
    # Overall: Auto 3/8, Chem 1/8, Food 4/8. Lift Auto = (2/3) / (3/8) = 16/9;
    # Food = (1/3) / (1/2) = 2/3; Chem = 0 / (1/8) = 0. 'Unused' has no account: not shown.
    accounts = toy_accounts()
    before = accounts.copy()
    profile = prospects.persona(accounts, ["A1", "A2", "A5"], features=["industry"])
    assert profile["level"].tolist() == ["Auto", "Chem", "Food"]
    assert profile["n_best"].tolist() == [2, 0, 1]
    assert profile["n_rest"].tolist() == [1, 1, 3]
    assert profile["lift"].tolist() == pytest.approx([16 / 9, 0.0, 2 / 3])
    assert profile["share_rest"].tolist() == pytest.approx([0.2, 0.2, 0.6])
    assert profile["share_best"].sum() == pytest.approx(1.0)
    pd.testing.assert_frame_equal(accounts, before)


def test_persona_numeric_bands_and_mask():
    # employees 10..80 cut into quartiles: 10-27.5, 27.5-45, 45-62.5, 62.5-80, two accounts each.
    # Best (mask 'key') = 10, 20, 50: bands 1, 1, 3 -> shares 2/3, 0, 1/3, 0; lift = share / 0.25.
    accounts = toy_accounts()
    profile = prospects.persona(accounts, accounts["key"], features=["employees"])
    assert profile["n_best"].tolist() == [2, 0, 1, 0]
    assert profile["n_rest"].tolist() == [0, 2, 1, 2]
    assert profile["lift"].tolist() == pytest.approx([8 / 3, 0, 4 / 3, 0])
    assert profile["level"].iloc[0] == "10 to 27.5"
    same = prospects.persona(accounts, accounts["key"].to_numpy(), features=["employees"])
    pd.testing.assert_frame_equal(profile, same)


def test_persona_bad_input():
    accounts = toy_accounts()
    cases = [
        (dict(best=["A1", "Z9"]), DataError, "not in the accounts"),
        (dict(best=accounts["key"] | True), DataError, "both groups"),
        (dict(best=[]), DataError, "both groups"),
        (dict(best=accounts["key"].set_axis(range(10, 18))), DataError, "different index"),
        (dict(best=np.array([True, False])), DataError, "2 entries"),
        (dict(best="A1"), ParameterError, "list of account ids"),
        (dict(features=["size"]), DataError, "not found"),
        (dict(features=[]), ParameterError, "empty"),
        (dict(bins=1), ParameterError, "bins"),
        (dict(accounts=accounts.assign(industry=None)), DataError, "missing"),
        (dict(accounts=accounts.assign(industry=pd.Timestamp("2024-01-01"))), DataError, "dates"),
        (dict(accounts=accounts.iloc[:0]), DataError, "no rows"),
    ]
    for change, error, match in cases:
        args = {"accounts": accounts, "best": ["A1"], "features": ["industry"]} | change
        with pytest.raises(error, match=match):
            prospects.persona(args.pop("accounts"), args.pop("best"), **args)


def test_plot_persona():
    import matplotlib.pyplot as plt

    profile = prospects.persona(toy_accounts(), ["A1", "A2", "A5"], features=["industry"])
    ax = prospects.plot_persona(profile)
    assert len(ax.patches) == 3
    assert ax.get_yticklabels()[0].get_text() == "industry: Auto"
    with pytest.raises(DataError, match="not found"):
        prospects.plot_persona(profile.drop(columns="lift"))
    plt.close("all")


# ---------------------------------------------------------------------------------------------
# Funnel
# ---------------------------------------------------------------------------------------------
def toy_leads() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "stage_reached": ["lead", "lead", "contacted", "qualified", "won", "won", "proposal"],
            "lead_source": ["fair", "web", "web", "fair", "fair", "web", "web"],
        }
    )


def test_funnel_by_hand():
    # Furthest stages: lead 2, contacted 1, qualified 1, proposal 1, won 2 (7 leads).
    # Reached: lead 7, contacted 5, qualified 4, proposal 3, won 2.
    # Step: 5/7, 4/5, 3/4, 2/3; cumulative: 5/7, 4/7, 3/7, 2/7.
    leads = toy_leads()
    before = leads.copy()
    f = prospects.funnel(leads)
    assert f["stage"].tolist() == ["lead", "contacted", "qualified", "proposal", "won"]
    assert f["reached"].tolist() == [7, 5, 4, 3, 2]
    assert f["step_conversion"].tolist() == pytest.approx([1, 5 / 7, 4 / 5, 3 / 4, 2 / 3])
    assert f["cumulative_conversion"].tolist() == pytest.approx([1, 5 / 7, 4 / 7, 3 / 7, 2 / 7])
    pd.testing.assert_frame_equal(leads, before)


def test_funnel_by_source():
    # fair: lead, qualified, won -> reached 3, 2, 2, 1, 1.
    # web: lead, contacted, won, proposal -> reached 4, 3, 2, 2, 1.
    f = prospects.funnel(toy_leads(), by="lead_source")
    assert f.columns[0] == "lead_source"
    assert f[f["lead_source"] == "fair"]["reached"].tolist() == [3, 2, 2, 1, 1]
    assert f[f["lead_source"] == "web"]["reached"].tolist() == [4, 3, 2, 2, 1]


def test_funnel_with_empty_stage_gives_nan_step():
    # Stages a, b, c; nobody reached b, so nobody reached c: step c = 0 / 0 -> NaN.
    f = prospects.funnel(pd.DataFrame({"s": ["a", "a"]}), stage_col="s", stages=["a", "b", "c"])
    assert f["reached"].tolist() == [2, 0, 0]
    assert f["step_conversion"].iloc[1] == 0
    assert np.isnan(f["step_conversion"].iloc[2])


def test_funnel_bad_input():
    leads = toy_leads()
    with pytest.raises(DataError, match="not stages"):
        prospects.funnel(leads.assign(stage_reached="signed"))
    with pytest.raises(DataError, match="missing stage"):
        prospects.funnel(leads.assign(stage_reached=None))
    with pytest.raises(DataError, match="not found"):
        prospects.funnel(leads, stage_col="stage")
    with pytest.raises(DataError, match="not found"):
        prospects.funnel(leads, by="region")
    with pytest.raises(DataError, match="missing value"):
        prospects.funnel(leads.assign(lead_source=None), by="lead_source")
    with pytest.raises(ParameterError, match="string"):
        prospects.funnel(leads, stages="lead")
    with pytest.raises(ParameterError, match="at least two"):
        prospects.funnel(leads, stages=["lead", "lead"])
    with pytest.raises(DataError, match="DataFrame"):
        prospects.funnel(leads["stage_reached"])


def test_plot_funnel():
    import matplotlib.pyplot as plt

    ax = prospects.plot_funnel(prospects.funnel(toy_leads()))
    assert len(ax.patches) == 5
    assert ax.patches[0].get_width() == 7  # the widest bar is the number of leads
    ax = prospects.plot_funnel(prospects.funnel(toy_leads(), by="lead_source"), by="lead_source")
    assert len(ax.get_lines()) == 2
    with pytest.raises(DataError, match="repeats stages"):
        prospects.plot_funnel(prospects.funnel(toy_leads(), by="lead_source"))
    plt.close("all")
