"""Early warning: signals by hand, no look-ahead, the evaluation by hand and by simulation."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from kamlib import early_warning as ew
from kamlib.errors import DataError, ParameterError

AS_OF = "2024-12-31"
# Recent window (90 days): 2 Oct - 31 Dec 2024; baseline (180 days): 5 Apr - 2 Oct 2024.
ACCOUNTS = pd.DataFrame(
    {
        "account_id": ["A", "B", "C", "D"],
        "customer_since": pd.to_datetime(["2020-01-01", "2021-01-01", "2024-11-01", "2020-01-01"]),
        "lost_date": pd.to_datetime([None, None, None, "2024-12-01"]),
    }
)
_A = ["2024-04-15", "2024-05-15", "2024-06-15", "2024-07-15", "2024-08-15", "2024-09-15"]
ORDERS = pd.DataFrame(
    {
        "account_id": ["A"] * 7 + ["B"] * 4 + ["C", "D"],
        "order_date": pd.to_datetime(
            [
                *_A,
                "2024-11-15",
                "2024-05-01",
                "2024-08-01",
                "2024-11-01",
                "2025-01-15",
                "2024-11-01",
                "2024-06-01",
            ]
        ),  # fmt: skip
        "net_revenue_cny": [100.0] * 7 + [500.0, 500.0, 1000.0, 5000.0, 300.0, 80.0],
    }
)
INTERACTIONS = pd.DataFrame(
    {
        "account_id": ["A", "A", "B", "B", "A"],
        "interaction_date": pd.to_datetime(
            ["2024-11-01", "2024-12-01", "2024-06-01", "2024-11-20", "2024-12-05"]
        ),
        "interaction_type": ["complaint", "ticket", "complaint", "complaint", "call"],
    }
)
SURVEYS = pd.DataFrame(
    {
        "account_id": ["A", "A", "B", "B"],
        "survey_date": pd.to_datetime(["2023-11-20", "2024-11-20", "2024-11-20", "2025-01-05"]),
        "csat": [4, 3, 5, 1],
    }
)
INVOICES = pd.DataFrame(
    {
        "invoice_id": ["V1", "V2"],
        "account_id": ["A", "B"],
        "invoice_date": pd.to_datetime(["2024-09-20", "2024-08-01"]),
        "due_date": pd.to_datetime(["2024-10-20", "2024-10-15"]),
        "amount_cny": [100.0, 500.0],
    }
)
PAYMENTS = pd.DataFrame(
    {
        "invoice_id": ["V1", "V2"],
        "payment_date": pd.to_datetime(["2024-11-29", "2024-10-14"]),
        "amount_cny": [100.0, 500.0],
    }
)


def signals(**kwargs):
    tables = {
        "interactions": INTERACTIONS,
        "surveys": SURVEYS,
        "invoices": INVOICES,
        "payments": PAYMENTS,
    }
    tables.update(kwargs)
    return ew.warning_signals(
        ACCOUNTS, ORDERS, as_of=AS_OF, recent_days=90, baseline_days=180, **tables
    )


def test_signals_by_hand():
    s = signals()
    assert s.index.tolist() == ["A", "B", "C"]  # D was lost on 1 Dec
    # A: 1 order in 90 days against 6 in 180 -> (1 x 2) / 6.
    assert s.loc["A", "order_rate_ratio"] == pytest.approx(1 / 3)
    assert s.loc["A", "revenue_ratio"] == pytest.approx(1 / 3)
    # B: 1 order of 1000 against 2 of 500 (the January 2025 order is after as_of).
    assert s.loc["B", "order_rate_ratio"] == pytest.approx(1.0)
    assert s.loc["B", "revenue_ratio"] == pytest.approx(2.0)
    # C is new: no baseline, no order signal.
    assert np.isnan(s.loc["C", "order_rate_ratio"]) and not s.loc["C", "flag_orders"]
    # A: a complaint and a ticket since October, none before; B: one (not enough).
    assert s.loc["A", "complaints_recent"] == 2 and s.loc["A", "flag_complaints"]
    assert s.loc["B", "complaints_recent"] == 1 and not s.loc["B", "flag_complaints"]
    # A paid 40 days beyond terms; B a day early.
    assert s.loc["A", "days_late_recent"] == pytest.approx(40) and s.loc["A", "flag_payment"]
    assert s.loc["B", "days_late_recent"] == pytest.approx(-1) and not s.loc["B", "flag_payment"]
    # A: CSAT 4 -> 3; B's CSAT of 1 in January 2025 is not seen on 31 Dec.
    assert s.loc["A", "flag_satisfaction"] and s.loc["B", "csat_latest"] == 5
    assert s["n_flags"].tolist() == [5, 0, 0]
    assert s["churn_risk"].tolist() == ["high", "low", "low"]
    # Revenue of the 365 days up to 31 Dec (2 Jan 2024 on): A 7 x 100, B 2000, C 300.
    np.testing.assert_allclose(s["value_at_risk"], [700, 2000, 300])


def test_optional_tables_leave_their_flags_down():
    s = ew.warning_signals(ACCOUNTS, ORDERS, as_of=AS_OF, recent_days=90, baseline_days=180)
    assert "csat_latest" not in s and not s["flag_payment"].any()
    assert s.loc["A", "n_flags"] == 2


def test_no_data_after_as_of_is_read():
    # Everything dated after the cut-off changed or added: the signals stay the same.
    later = pd.Timestamp(AS_OF) + pd.Timedelta(days=3)
    extra_orders = pd.concat(
        [ORDERS, pd.DataFrame({"account_id": ["A"] * 5, "order_date": [later] * 5,
                               "net_revenue_cny": [9999.0] * 5})],
        ignore_index=True,
    )  # fmt: skip
    extra_contacts = pd.concat(
        [INTERACTIONS, pd.DataFrame({"account_id": ["B"] * 3, "interaction_date": [later] * 3,
                                     "interaction_type": ["complaint"] * 3})],
        ignore_index=True,
    )  # fmt: skip
    pay = PAYMENTS.assign(payment_date=[later, PAYMENTS["payment_date"].iloc[1]])
    before = signals()
    after = ew.warning_signals(
        ACCOUNTS, extra_orders, as_of=AS_OF, recent_days=90, baseline_days=180,
        interactions=extra_contacts, surveys=SURVEYS, invoices=INVOICES, payments=PAYMENTS,
    )  # fmt: skip
    pd.testing.assert_frame_equal(before, after)
    # A payment that arrives later leaves the invoice open on as_of: 72 days and counting.
    open_then = signals(payments=pay)
    assert open_then.loc["A", "days_late_recent"] == pytest.approx(72)


def test_no_look_ahead_on_huaxin():
    from kamlib import datasets

    as_of = pd.Timestamp("2024-03-31")
    acc = datasets.load("accounts")
    tables = {
        "orders": ("order_date", datasets.load("orders")),
        "interactions": ("interaction_date", datasets.load("service_interactions")),
        "surveys": ("survey_date", datasets.load("surveys")),
        "invoices": ("invoice_date", datasets.load("invoices")),
        "payments": ("payment_date", datasets.load("payments")),
    }
    full = {k: t for k, (_, t) in tables.items()}
    cut = {k: t[t[c] <= as_of] for k, (c, t) in tables.items()}
    # The lost dates after as_of are hidden too: only what was known on the day.
    acc_cut = acc.assign(lost_date=acc["lost_date"].where(acc["lost_date"] <= as_of))
    a = ew.warning_signals(acc, full.pop("orders"), as_of=as_of, **full)
    b = ew.warning_signals(acc_cut, cut.pop("orders"), as_of=as_of, **cut)
    pd.testing.assert_frame_equal(a, b)


def test_bad_parameters():
    with pytest.raises(ParameterError, match="invoices"):
        ew.warning_signals(ACCOUNTS, ORDERS, as_of=AS_OF, invoices=INVOICES)
    with pytest.raises(ParameterError, match="complaint_types"):
        ew.warning_signals(ACCOUNTS, ORDERS, as_of=AS_OF, complaint_types="complaint")
    with pytest.raises(DataError, match="no account"):
        ew.warning_signals(ACCOUNTS, ORDERS, as_of="2019-01-01")
    unknown = ORDERS.assign(account_id=["Z"] + ORDERS["account_id"].tolist()[1:])
    with pytest.raises(DataError, match="Z"):
        ew.warning_signals(ACCOUNTS, unknown, as_of=AS_OF)


def test_payment_signal_errors_name_warning_signals():
    pay = PAYMENTS.assign(invoice_id=["V1", "V9"])
    with pytest.raises(DataError, match="warning_signals.*V9"):
        signals(payments=pay)


def test_risk_matrix_by_hand():
    s = pd.DataFrame(
        {
            "churn_risk": ["high", "high", "medium", "low", "low"],
            "value_tier": ["high", "low", "high", "low", "low"],
            "value_at_risk": [900.0, 20.0, 500.0, 30.0, 10.0],
        }
    )
    counts = ew.risk_matrix(s)
    assert counts.loc["high"].tolist() == [1, 0, 1]
    assert counts.loc["low", "low"] == 2 and counts.to_numpy().sum() == 5
    value = ew.risk_matrix(s, what="value")
    assert value.loc["high", "high"] == 900 and value.loc["low", "low"] == 40
    with pytest.raises(DataError, match="churn_risk"):
        ew.risk_matrix(s.assign(churn_risk="severe"))
    ax = ew.plot_risk_matrix(s)
    assert "value at risk" in ax.get_title()


def test_evaluate_warnings_by_hand():
    s = pd.DataFrame(
        {"churn_risk": ["high", "high", "high", "medium", "low", "low"]},
        index=pd.Index(list("ABCDEF"), name="account_id"),
    )
    acc = pd.DataFrame(
        {
            "account_id": list("ABCDEF"),
            # A lost on the horizon's last day (counts), B a day later (does not), D in time.
            "lost_date": pd.to_datetime(
                ["2024-03-31", "2024-04-01", None, "2024-01-11", None, "2024-02-15"]
            ),
        }
    )
    r = ew.evaluate_warnings(s, acc, as_of="2024-01-01", horizon_days=90)
    assert (r["warned"], r["lost"], r["warned_and_lost"]) == (3, 3, 1)
    assert r["precision"] == pytest.approx(1 / 3) and r["recall"] == pytest.approx(1 / 3)
    assert r["base_rate"] == pytest.approx(0.5) and r["lift"] == pytest.approx(2 / 3)
    assert r["median_lead_days"] == 90
    wide = ew.evaluate_warnings(s, acc, as_of="2024-01-01", horizon_days=90, level="medium")
    assert wide["warned_and_lost"] == 2 and wide["min_lead_days"] == 10
    with pytest.raises(DataError, match="already lost"):
        ew.evaluate_warnings(s, acc, as_of="2024-03-01")


def test_evaluate_warnings_recovers_a_simulated_precision():
    # 2,000 accounts; a fifth warned. Warned accounts are lost within 180 days with
    # probability 0.30, the others with 0.05: precision ~ 0.30, lift ~ 0.30 / 0.10 = 3.
    rng = np.random.default_rng(7)
    n = 2000
    warned = rng.random(n) < 0.2
    lost_in_time = rng.random(n) < np.where(warned, 0.30, 0.05)
    days = np.where(lost_in_time, rng.integers(1, 181, n), rng.integers(400, 900, n))
    lost = pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D")
    lost = pd.Series(lost).where((rng.random(n) < 0.9) | lost_in_time)  # some never lost
    ids = [f"A{i}" for i in range(n)]
    s = pd.DataFrame({"churn_risk": np.where(warned, "high", "low")}, index=ids)
    acc = pd.DataFrame({"account_id": ids, "lost_date": lost.to_numpy()})
    r = ew.evaluate_warnings(s, acc, as_of="2024-01-01", horizon_days=180)
    se = np.sqrt(0.3 * 0.7 / warned.sum())
    assert abs(r["precision"] - 0.30) < 3 * se
    assert 2.3 < r["lift"] < 3.8
