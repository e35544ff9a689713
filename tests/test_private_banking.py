"""The bank case's table: share of wallet, cost to serve and tiers, worked by hand."""

import numpy as np
import pandas as pd
import pytest

from kamlib import private_banking as pb
from kamlib.errors import DataError, ParameterError


@pytest.fixture
def clients():
    return pb.hnw_clients()


def test_the_table_is_as_documented(clients):
    assert len(clients) == 16 and clients["client_id"].is_unique
    assert clients["tier"].value_counts().to_dict() == {"wealth": 7, "private": 5, "priority": 4}
    # The tiers follow the bank's rule on assets with it: private from 6m, wealth from 1.5m.
    rule = np.select(
        [clients["aum_cny"] >= 6e6, clients["aum_cny"] >= 1.5e6], ["private", "wealth"], "priority"
    )
    assert (clients["tier"] == rule).all()
    assert (clients["investable_assets_cny"] >= clients["aum_cny"]).all()


def test_client_economics_by_hand(clients):
    out = pb.client_economics(clients).set_index("client_id")
    # C04: 70 h x 800 + 8 events x 5,000 + 30,000 perks = 126,000 against 30,000 revenue.
    assert out.loc["C04", "cost_to_serve_cny"] == 126_000
    assert out.loc["C04", "profit_cny"] == -96_000
    # C09: 2.6m of 40m with the bank: 6.5% of wallet, 37.4m headroom.
    assert out.loc["C09", "share_of_wallet"] == pytest.approx(0.065)
    assert out.loc["C09", "headroom_cny"] == 37_400_000
    # C01: 290,000 / 28m = 1.036% of assets.
    assert out.loc["C01", "revenue_margin"] == pytest.approx(290_000 / 28e6)
    cheaper = pb.client_economics(clients, rm_hour_cost_cny=0, event_cost_cny=0)
    assert cheaper.loc[3, "cost_to_serve_cny"] == 30_000


def test_tier_summary_by_hand(clients):
    table = pb.tier_summary(pb.client_economics(clients))
    assert table.index.tolist() == ["private", "wealth", "priority"]
    # Private: 66.2m of 102.5m; profits 182,000 + 38,000 + 4,000 - 96,000 - 3,000 = 125,000.
    assert table.loc["private", "aum_cny"] == 66_200_000
    assert table.loc["private", "share_of_wallet"] == pytest.approx(66.2 / 102.5)
    assert table.loc["private", "profit_cny"] == 125_000
    assert table.loc["private", "loss_making"] == 2
    # Managers: RM1 serves 3 private clients, RM2 2: 2.5 each; wealth: RM3 serves 4 of 7.
    assert table.loc["private", "clients_per_rm"] == 2.5
    assert table.loc["wealth", "rm_coverage"] == pytest.approx(4 / 7)
    assert table.loc["priority", "rm_coverage"] == 0
    assert table.loc["priority", "clients_per_rm"] == 0


def test_bad_input(clients):
    with pytest.raises(DataError, match="client_economics.*DataFrame"):
        pb.client_economics(clients.to_dict("list"))
    with pytest.raises(DataError, match="'aum_cny' not found"):
        pb.client_economics(clients.drop(columns="aum_cny"))
    with pytest.raises(DataError, match="has no rows"):
        pb.client_economics(clients.iloc[:0])
    negative = clients.copy()
    negative.loc[0, "rm_hours"] = -1
    with pytest.raises(DataError, match="negative"):
        pb.client_economics(negative)
    nan = clients.astype({"revenue_cny": float})
    nan.loc[0, "revenue_cny"] = np.nan
    with pytest.raises(DataError, match="missing value"):
        pb.client_economics(nan)
    twice = pd.concat([clients, clients.iloc[:1]])
    with pytest.raises(DataError, match="more than once"):
        pb.client_economics(twice)
    richer = clients.copy()
    richer.loc[0, "investable_assets_cny"] = 1_000_000
    with pytest.raises(DataError, match="more with the bank than their investable"):
        pb.client_economics(richer)
    with pytest.raises(ParameterError, match="rm_hour_cost_cny"):
        pb.client_economics(clients, rm_hour_cost_cny="800")
    with pytest.raises(DataError, match="tier_summary.*'profit_cny' not found"):
        pb.tier_summary(clients)


def test_inputs_are_unchanged(clients):
    before = clients.copy(deep=True)
    economics = pb.client_economics(clients)
    pd.testing.assert_frame_equal(clients, before)
    kept = economics.copy(deep=True)
    pb.tier_summary(economics)
    pd.testing.assert_frame_equal(economics, kept)
