"""Tests of kamlib.lifecycle: stages on a date, stage transitions and cohort retention.

Day counts are worked out by hand in the comments (2024 is a leap year).
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib import lifecycle as lc
from kamlib.errors import DataError, ParameterError

matplotlib.use("Agg")

AS_OF = "2024-12-31"


def toy_accounts() -> pd.DataFrame:
    rows = [
        # id, customer_since, lost_date
        ("P", "2025-01-15", None),  # contract only after as_of: still a prospect
        ("N", "2024-11-15", None),
        ("A", "2024-03-01", None),
        ("R", "2023-06-01", None),
        ("L1", "2023-10-01", None),
        ("L2", "2024-01-01", "2024-12-15"),  # recorded as lost on 15 Dec
        ("F", "2025-02-01", None),  # orders only after as_of
        ("S", "2024-12-20", None),  # signed on 20 Dec, no order yet
        ("O", "2019-01-01", None),  # old customer whose first order in the data is recent
        ("B", "2024-01-05", None),
    ]
    frame = pd.DataFrame(rows, columns=["account_id", "customer_since", "lost_date"])
    frame["customer_since"] = pd.to_datetime(frame["customer_since"])
    frame["lost_date"] = pd.to_datetime(frame["lost_date"])
    return frame


def toy_orders() -> pd.DataFrame:
    rows = [
        ("N", "2024-11-15"),
        ("A", "2024-03-01"),
        ("A", "2024-10-01"),
        ("R", "2023-06-01"),
        ("R", "2024-07-01"),
        ("L1", "2023-10-01"),
        ("L2", "2024-01-01"),
        ("L2", "2024-12-01"),
        ("F", "2025-02-01"),
        ("O", "2024-11-01"),
        ("B", "2024-01-05"),
        ("B", "2024-09-02"),
    ]
    frame = pd.DataFrame(rows, columns=["account_id", "order_date"])
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    return frame


def test_stages_by_hand():
    stages = lc.lifecycle_stages(toy_accounts(), toy_orders(), as_of=AS_OF)
    # N: first order 15 Nov -> 15 + 31 = 46 days <= 90: new.
    # A: last order 1 Oct -> 30 + 30 + 31 = 91 days <= 120, first 305 days ago: active.
    # R: last order 1 Jul -> 30 + 31 + 30 + 31 + 30 + 31 = 183 days > 120: at risk.
    # L1: last order 1 Oct 2023 -> 92 + 366 - 1 = 457 days > 365: lost.
    # L2: lost date 15 Dec recorded: lost even though it ordered on 1 Dec.
    # F and P: no order and no contract by as_of: prospects.
    # S: signed 11 days ago, no order yet: new.
    # O: customer since 2019, so not new; last order 1 Nov = 60 days ago: active.
    # B: last order 2 Sep -> 28 + 31 + 30 + 31 = 120 days, not more than 120: active.
    expected = {
        "P": "prospect",
        "N": "new",
        "A": "active",
        "R": "at risk",
        "L1": "lost",
        "L2": "lost",
        "F": "prospect",
        "S": "new",
        "O": "active",
        "B": "active",
    }
    assert stages["stage"].astype(str).to_dict() == expected
    assert stages.loc["B", "days_since_last"] == 120
    assert stages.loc["R", "days_since_last"] == 183
    assert stages.loc["L1", "days_since_last"] == 457
    assert stages.loc["O", "n_orders"] == 1
    assert stages.loc["F", "n_orders"] == 0  # its 2025 order has not happened on as_of
    assert list(stages["stage"].cat.categories) == list(lc.STAGES)


def test_stages_without_contract_and_lost_dates():
    stages = lc.lifecycle_stages(
        toy_accounts(), toy_orders(), as_of=AS_OF, since_col=None, lost_col=None
    )
    # O now looks new (first order 60 days ago); S has no order: prospect; L2 ordered 30 days
    # ago and its first order is 365 days old: active.
    assert stages.loc["O", "stage"] == "new"
    assert stages.loc["S", "stage"] == "prospect"
    assert stages.loc["L2", "stage"] == "active"


def test_thresholds_move_the_boundaries():
    stages = lc.lifecycle_stages(
        toy_accounts(), toy_orders(), as_of=AS_OF, active_days=119, lost_days=182
    )
    # B's 120 days now exceed 119: at risk; R's 183 days exceed 182: lost.
    assert stages.loc["B", "stage"] == "at risk"
    assert stages.loc["R", "stage"] == "lost"


def test_gap_multiple_uses_each_accounts_rhythm():
    accounts = pd.DataFrame({"account_id": ["G", "H"]})
    orders = pd.DataFrame(
        {
            "account_id": ["G"] * 4 + ["H"] * 4,
            "order_date": pd.to_datetime(
                ["2024-06-01", "2024-07-01", "2024-07-31", "2024-08-30"]  # gaps 30, 30, 30
                + ["2024-08-01", "2024-08-11", "2024-08-21", "2024-12-01"]  # gaps 10, 10, 102
            ),
        }
    )
    fixed = lc.lifecycle_stages(accounts, orders, as_of=AS_OF, since_col=None, lost_col=None)
    # G: last order 30 Aug -> 1 + 30 + 31 + 30 + 31 = 123 days > 120: at risk; H: 30 days: active.
    assert fixed["stage"].astype(str).tolist() == ["at risk", "active"]
    own = lc.lifecycle_stages(
        accounts, orders, as_of=AS_OF, since_col=None, lost_col=None, gap_multiple=5
    )
    # G: usual gap 30, threshold 150 > 123: active. H: median gap 10, threshold 50 > 30: active.
    assert own["stage"].astype(str).tolist() == ["active", "active"]
    own2 = lc.lifecycle_stages(
        accounts, orders, as_of=AS_OF, since_col=None, lost_col=None, gap_multiple=2
    )
    # H: threshold 2 x 10 = 20 < 30 days: at risk; G: threshold 60 < 123: at risk.
    assert own2["stage"].astype(str).tolist() == ["at risk", "at risk"]


def test_stage_transitions_by_hand():
    table = lc.stage_transitions(toy_accounts(), toy_orders(), start="2024-06-30", end=AS_OF)
    # On 30 Jun 2024: P, N, F, S have no order and no contract yet: prospects.
    # A: first and last order 1 Mar -> 30 + 30 + 31 + 30 = 121 days: not new (> 90), at risk.
    # R: last order 1 Jun 2023 -> 366 + 29 = 395 days > 365: lost.
    # L1: last order 1 Oct 2023 -> 31 + 30 + 31 + 31 + 29 + 31 + 30 + 31 + 29 = 273: at risk.
    # L2: first and last order 1 Jan 2024 -> 181 days: at risk (its lost date is in December).
    # O: contract 2019 and no order yet: quiet for years: lost.
    # B: 5 Jan -> 181 - 4 = 177 days: at risk.
    start = lc.lifecycle_stages(toy_accounts(), toy_orders(), as_of="2024-06-30")
    assert start["stage"].astype(str).to_dict() == {
        "P": "prospect",
        "N": "prospect",
        "A": "at risk",
        "R": "lost",
        "L1": "at risk",
        "L2": "at risk",
        "F": "prospect",
        "S": "prospect",
        "O": "lost",
        "B": "at risk",
    }
    # Moves to 31 Dec: prospect -> prospect (P, F), prospect -> new (N, S);
    # at risk -> active (A, B), at risk -> lost (L1, L2); lost -> at risk (R); lost -> active (O).
    assert table.loc["prospect", "prospect"] == 2
    assert table.loc["prospect", "new"] == 2
    assert table.loc["at risk", "active"] == 2
    assert table.loc["at risk", "lost"] == 2
    assert table.loc["lost", "at risk"] == 1
    assert table.loc["lost", "active"] == 1
    assert table.to_numpy().sum() == 10
    assert list(table.index) == list(lc.STAGES) and list(table.columns) == list(lc.STAGES)
    shares = lc.stage_transitions(
        toy_accounts(), toy_orders(), start="2024-06-30", end=AS_OF, shares=True
    )
    assert shares.loc["at risk"].tolist() == [0.0, 0.0, 0.5, 0.0, 0.5]
    assert shares.loc["new"].isna().all()  # nobody was new on 30 June


def toy_cohort_orders() -> pd.DataFrame:
    rows = [
        ("A", "2024-01-05"),
        ("A", "2024-02-07"),
        ("A", "2024-04-01"),
        ("B", "2024-01-20"),
        ("C", "2024-02-03"),
        ("C", "2024-03-10"),
        ("C", "2024-03-12"),  # a second March order counts once
        ("D", "2024-03-30"),
    ]
    frame = pd.DataFrame(rows, columns=["account_id", "order_date"])
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    return frame


def test_cohort_tables_by_hand():
    counts = lc.cohort_counts(toy_cohort_orders())
    # Cohorts: Jan {A, B}, Feb {C}, Mar {D}; data end in April (4 columns, 0..3).
    # Jan: Feb A, Mar nobody, Apr A -> [2, 1, 0, 1]; Feb: Mar C, Apr nobody -> [1, 1, 0, NA]
    # Mar: Apr nobody -> [1, 0, NA, NA]
    assert [str(p) for p in counts.index] == ["2024-01", "2024-02", "2024-03"]
    assert counts.fillna(-1).to_numpy().tolist() == [[2, 1, 0, 1], [1, 1, 0, -1], [1, 0, -1, -1]]
    retention = lc.cohort_retention(toy_cohort_orders())
    np.testing.assert_allclose(
        retention.to_numpy(),
        [[1.0, 0.5, 0.0, 0.5], [1.0, 1.0, 0.0, np.nan], [1.0, 0.0, np.nan, np.nan]],
    )


def test_cohort_quarters_and_end():
    retention = lc.cohort_retention(toy_cohort_orders(), period="Q")
    # One cohort (Q1: A, B, C, D); in Q2 only A buys: 1/4.
    assert retention.to_numpy().tolist() == [[1.0, 0.25]]
    cut = lc.cohort_counts(toy_cohort_orders(), end="2024-02-29")
    # Up to February: Jan {A, B} with A again in Feb; Feb {C}.
    assert cut.fillna(-1).to_numpy().tolist() == [[2, 1], [1, -1]]


def test_plot_cohort_heatmap():
    retention = lc.cohort_retention(toy_cohort_orders())
    sizes = lc.cohort_counts(toy_cohort_orders())[0]
    ax = lc.plot_cohort_heatmap(retention, sizes=sizes)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["2024-01 (n=2)", "2024-02 (n=1)", "2024-03 (n=1)"]
    # Observed cells: 4 (Jan) + 3 (Feb) + 2 (Mar) = 9 percentages written.
    assert len(ax.texts) == 9
    matplotlib.pyplot.close("all")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["A", "B", "C", "D"]), st.integers(min_value=0, max_value=700)),
        min_size=1,
        max_size=30,
    )
)
def test_cohort_and_stage_properties(rows):
    orders = pd.DataFrame(
        {
            "account_id": [r[0] for r in rows],
            "order_date": pd.Timestamp("2023-01-01") + pd.to_timedelta([r[1] for r in rows], "D"),
        }
    )
    kept = orders.copy()
    retention = lc.cohort_retention(orders)
    counts = lc.cohort_counts(orders)
    assert (retention[0] == 1.0).all()
    observed = retention.stack().dropna()
    assert ((observed >= 0) & (observed <= 1)).all()
    assert counts[0].sum() == orders["account_id"].nunique()  # every customer in one cohort
    accounts = pd.DataFrame({"account_id": ["A", "B", "C", "D", "E"]})
    stages = lc.lifecycle_stages(
        accounts, orders, as_of="2024-06-30", since_col=None, lost_col=None
    )
    assert stages.loc["E", "stage"] == "prospect"
    table = lc.stage_transitions(
        accounts, orders, start="2023-12-31", end="2024-06-30", since_col=None, lost_col=None
    )
    assert table.to_numpy().sum() == 5
    # Nobody goes back to being a prospect once they have ordered.
    assert table.loc[["new", "active", "at risk", "lost"], "prospect"].sum() == 0
    pd.testing.assert_frame_equal(orders, kept)


def test_bad_inputs_lifecycle():
    accounts, orders = toy_accounts(), toy_orders()
    with pytest.raises(ParameterError, match="as_of"):
        lc.lifecycle_stages(accounts, orders, as_of="yesterday")
    with pytest.raises(ParameterError, match="active_days"):
        lc.lifecycle_stages(accounts, orders, as_of=AS_OF, active_days=400)
    with pytest.raises(ParameterError, match="new_days"):
        lc.lifecycle_stages(accounts, orders, as_of=AS_OF, new_days=-1)
    with pytest.raises(ParameterError, match="lost_days"):
        lc.lifecycle_stages(accounts, orders, as_of=AS_OF, lost_days=30.5)
    with pytest.raises(ParameterError, match="gap_multiple"):
        lc.lifecycle_stages(accounts, orders, as_of=AS_OF, gap_multiple=0)
    with pytest.raises(DataError, match="not in 'accounts'"):
        lc.lifecycle_stages(accounts[accounts.account_id != "A"], orders, as_of=AS_OF)
    with pytest.raises(DataError, match="customer_since"):
        lc.lifecycle_stages(accounts.drop(columns="customer_since"), orders, as_of=AS_OF)
    with pytest.raises(DataError, match="lost_date"):
        lc.lifecycle_stages(accounts.assign(lost_date="never"), orders, as_of=AS_OF)
    with pytest.raises(DataError, match="order_date"):
        lc.lifecycle_stages(accounts, orders.assign(order_date=None), as_of=AS_OF)
    with pytest.raises(DataError, match="account_id"):
        lc.lifecycle_stages(pd.concat([accounts, accounts.iloc[:1]]), orders, as_of=AS_OF)
    with pytest.raises(DataError, match="DataFrame"):
        lc.lifecycle_stages(["A"], orders, as_of=AS_OF)
    no_id = orders.assign(account_id=[None] + orders["account_id"].tolist()[1:])
    with pytest.raises(DataError, match="'account_id' has 1 missing id"):
        lc.lifecycle_stages(accounts, no_id, as_of=AS_OF)


def test_bad_inputs_transitions_and_cohorts():
    accounts, orders = toy_accounts(), toy_orders()
    with pytest.raises(ParameterError, match="after 'start'"):
        lc.stage_transitions(accounts, orders, start=AS_OF, end="2024-01-01")
    with pytest.raises(ParameterError, match="shares"):
        lc.stage_transitions(accounts, orders, start="2024-01-01", end=AS_OF, shares="row")
    with pytest.raises(ParameterError, match="period"):
        lc.cohort_counts(orders, period="W")
    with pytest.raises(ParameterError, match="period"):
        lc.cohort_retention(orders, period="week")
    with pytest.raises(DataError, match="no order"):
        lc.cohort_counts(orders, end="2020-01-01")
    with pytest.raises(DataError, match="account_id"):
        lc.cohort_retention(orders.assign(account_id=None))
    with pytest.raises(DataError, match="no rows"):
        lc.cohort_retention(orders.iloc[:0])
    retention = lc.cohort_retention(toy_cohort_orders())
    with pytest.raises(DataError, match="outside 0-1"):
        lc.plot_cohort_heatmap(retention * 100)
    with pytest.raises(DataError, match="numbers"):
        lc.plot_cohort_heatmap(retention.astype(str).replace("1.0", "all"))
    with pytest.raises(ParameterError, match="max_periods"):
        lc.plot_cohort_heatmap(retention, max_periods=0)
