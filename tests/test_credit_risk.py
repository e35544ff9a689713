"""Credit risk: ageing, DSO, late payers, exposure and expected loss by hand; ledger faults.

The toy ledger (kamlib.toy.invoices / payments), on 31 Dec 2024: I07 150 yuan due 29 Sep
(93 days past due), I08 225 due 11 Nov (50 days), I09 300 of 500 open, due 25 Dec (6 days),
I10 200 due 31 Dec (not yet overdue); 875 yuan of receivables.
"""

import matplotlib

matplotlib.use("Agg")

import warnings

import numpy as np
import pandas as pd
import pytest

from kamlib import credit_risk as cr
from kamlib import toy
from kamlib.errors import DataError, ParameterError

INV, PAY = toy.invoices(), toy.payments()
END = "2024-12-31"


def test_ageing_by_hand():
    table = cr.ageing(INV, PAY, as_of=END)
    assert table.index.tolist() == ["not due", "1-30", "31-60", "61-90", "over 90"]
    np.testing.assert_allclose(table["amount"], [200, 300, 225, 0, 150])
    assert table["invoices"].tolist() == [1, 1, 1, 0, 1]
    np.testing.assert_allclose(table["share"], np.array([200, 300, 225, 0, 150]) / 875)


def test_ageing_on_an_earlier_date_ignores_later_invoices_and_payments():
    # 31 Aug: I01-I07 exist; I06 (200, due 6 Aug) is 25 days past due and unpaid (paid 20 Sep);
    # I07 (150, due 29 Sep) is not due.
    table = cr.ageing(INV, PAY, as_of="2024-08-31")
    np.testing.assert_allclose(table["amount"], [150, 200, 0, 0, 0])


def test_ageing_by_account_and_other_bounds():
    table = cr.ageing(INV, PAY, as_of=END, by_account=True)
    assert table.loc["T01", "1-30"] == 300 and table.loc["T04", "over 90"] == 150
    wide = cr.ageing(INV, PAY, as_of=END, bounds=(60,))
    assert wide.index.tolist() == ["not due", "1-60", "over 60"]
    np.testing.assert_allclose(wide["amount"], [200, 525, 150])


def test_open_items_partial_payment():
    items = cr.open_items(INV, PAY, as_of=END).set_index("invoice_id")
    assert items.loc["I09", "paid"] == 200 and items.loc["I09", "open_amount"] == 300
    assert items.loc["I04", "bucket"] == "paid"  # split in two, both by 10 May
    assert items.loc["I04", "settled_date"] == pd.Timestamp("2024-05-10")
    assert pd.isna(items.loc["I09", "settled_date"])


def test_dso_by_hand():
    # Average: 875 / (225 + 500 + 200 of sales since 3 Oct) x 90.
    assert cr.dso(INV, PAY, as_of=END, method="average", days=90) == pytest.approx(875 / 925 * 90)
    # Count-back: Dec 200 (31 days), Nov 500 (30 days), then 175 of October's 225 (x 31 days).
    assert cr.dso(INV, PAY, as_of=END) == pytest.approx(31 + 30 + 175 / 225 * 31)


def test_countback_dso_with_a_part_month_and_an_empty_month():
    # 10 Dec: I09 not yet paid at all, receivables 500 + 200 + 225 + 150 = 1075. Walk back:
    # Dec 1-10 (10 days, 200), Nov (30, 500), Oct (31, 225), Sep (30, nothing), Aug: 150 of 150.
    assert cr.dso(INV, PAY, as_of="2024-12-10") == pytest.approx(10 + 30 + 31 + 30 + 31)


def test_late_payers_by_hand():
    table = cr.late_payers(INV, PAY, as_of=END, window_days=180)
    # T02: I06 45 days late (200) and I10 0 days (200) due in the last 180 days; I02 on time
    # in the 180 days before.
    assert table.loc["T02", "days_late_recent"] == pytest.approx(22.5)
    assert table.loc["T02", "days_late_previous"] == pytest.approx(0)
    assert table.loc["T02", "worsening"]
    # T01: I05 two days early (450) and I09 open 6 days (500); before: I01 -4 (450), I03 +6 (400).
    assert table.loc["T01", "days_late_recent"] == pytest.approx((-2 * 450 + 6 * 500) / 950)
    assert table.loc["T01", "days_late_previous"] == pytest.approx((-4 * 450 + 6 * 400) / 850)
    assert not table.loc["T01", "late_payer"]
    assert table.index[0] == "T04"  # 93 days: the worst first
    assert table.loc["T04", "open_overdue"] == 150


def test_credit_exposure_by_hand():
    accounts = toy.accounts().assign(credit_limit_cny=[1000.0, 500.0, 500.0, 100.0])
    table = cr.credit_exposure(INV, PAY, accounts, as_of=END)
    assert table.loc["T04", "over_limit"] and not table.loc["T01", "over_limit"]
    assert table.loc["T01", "utilisation"] == pytest.approx(0.3)
    assert table.loc["T03", "overdue"] == 225 and table.loc["T04", "over_90"] == 150
    assert table.loc["T02", "overdue"] == 0  # I10 is due today, not overdue


def test_credit_exposure_refuses_accounts_missing_from_the_table():
    accounts = toy.accounts().assign(credit_limit_cny=1000.0).iloc[:3]
    with pytest.raises(DataError, match="T04"):
        cr.credit_exposure(INV, PAY, accounts, as_of=END)


def test_expected_loss_by_hand():
    el = cr.expected_loss(INV, PAY, as_of=END)
    # PD x LGD x EAD with the default rates and Basel's 45%.
    assert el.loc["T04", "expected_loss"] == pytest.approx(0.50 * 0.45 * 150)
    assert el["expected_loss"].sum() == pytest.approx(0.45 * (2 + 9 + 22.5 + 75))
    rates = {"not due": 0.0, "1-30": 0.0, "31-60": 0.0, "61-90": 0.0, "over 90": 1.0}
    el = cr.expected_loss(INV, PAY, as_of=END, default_rates=rates, lgd=1.0)
    assert el["expected_loss"].sum() == pytest.approx(150)


def test_expected_loss_bad_assumptions():
    with pytest.raises(ParameterError, match="over 90"):
        cr.expected_loss(INV, PAY, as_of=END, default_rates={"not due": 0.1})
    with pytest.raises(ParameterError, match="lgd"):
        cr.expected_loss(INV, PAY, as_of=END, lgd=1.5)


def test_observed_default_rates_by_hand():
    rates = cr.observed_default_rates(INV, PAY, as_of="2024-08-31", observed_until=END)
    # I07 (150, not due on 31 Aug) is still unpaid; I06 (200, 1-30) was paid on 20 Sep.
    assert rates.loc["not due"].tolist() == [150.0, 150.0, 1.0]
    assert rates.loc["1-30"].tolist() == [200.0, 0.0, 0.0]
    with pytest.raises(ParameterError, match="after"):
        cr.observed_default_rates(INV, PAY, as_of=END, observed_until="2024-06-30")


# --- faults in the ledger ----------------------------------------------------------------------


def test_overpayment_is_a_credit_balance_with_a_warning():
    pay = pd.concat(
        [PAY, pd.DataFrame({"payment_id": ["P9"], "invoice_id": ["I07"], "account_id": ["T04"],
                            "payment_date": [pd.Timestamp("2024-12-01")], "amount_cny": [180.0]})],
        ignore_index=True,
    )  # fmt: skip
    with pytest.warns(UserWarning, match=r"1 invoice\(s\) were paid more.*30\.00"):
        items = cr.open_items(INV, pay, as_of=END).set_index("invoice_id")
    assert items.loc["I07", "open_amount"] == 0 and items.loc["I07", "bucket"] == "paid"
    assert items.loc["I07", "credit_balance"] == pytest.approx(30)


def test_credit_notes_and_refunds_are_refused_with_the_treatment():
    credit_note = INV.copy()
    credit_note.loc[0, "amount_cny"] = -50.0
    with pytest.raises(DataError, match="credit note"):
        cr.ageing(credit_note, PAY, as_of=END)
    refund = PAY.copy()
    refund.loc[0, "amount_cny"] = -10.0
    with pytest.raises(DataError, match="Refunds"):
        cr.ageing(INV, refund, as_of=END)


def test_unknown_invoice_ids_are_refused():
    pay = PAY.copy()
    pay.loc[0, "invoice_id"] = "I99"
    with pytest.raises(DataError, match="I99"):
        cr.dso(INV, pay, as_of=END)


def test_payment_before_its_invoice_is_refused():
    pay = PAY.copy()
    pay.loc[7, "payment_date"] = pd.Timestamp("2024-11-01")  # I09 is dated 25 Nov
    with pytest.raises(DataError, match="before their invoice"):
        cr.open_items(INV, pay, as_of=END)


def test_due_before_issue_and_numbers_for_dates_are_refused():
    inv = INV.copy()
    inv.loc[0, "due_date"] = pd.Timestamp("2023-12-01")
    with pytest.raises(DataError, match="due before"):
        cr.ageing(inv, PAY, as_of=END)
    inv = INV.assign(invoice_date=INV["invoice_date"].dt.strftime("%Y%m%d").astype(int))
    with pytest.raises(DataError, match="invoice_date"):
        cr.ageing(inv, PAY, as_of=END)


def test_no_payments_reads_everything_as_unpaid_with_a_warning():
    with pytest.warns(UserWarning, match="unpaid"):
        table = cr.ageing(INV, PAY.iloc[:0], as_of=END)
    assert table["amount"].sum() == pytest.approx(3000)


def test_inputs_are_not_changed_and_dates_before_any_invoice_fail():
    inv, pay = INV.copy(), PAY.copy()
    cr.late_payers(inv, pay, as_of=END)
    pd.testing.assert_frame_equal(inv, INV)
    pd.testing.assert_frame_equal(pay, PAY)
    with pytest.raises(DataError, match="no invoice"):
        cr.ageing(INV, PAY, as_of="2023-01-01")


def test_huaxin_ledger_reconciles():
    # Receivables = invoiced - received up to the date, computed straight from the raw tables
    # (the course ledger has no overpayment, so nothing is netted).
    from kamlib import datasets

    inv, pay = datasets.load("invoices"), datasets.load("payments")
    as_of = pd.Timestamp("2024-06-30")
    invoiced = inv.loc[inv["invoice_date"] <= as_of, "amount_cny"].sum()
    received = pay.loc[pay["payment_date"] <= as_of, "amount_cny"].sum()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = cr.ageing(inv, pay, as_of=as_of)
    assert table["amount"].sum() == pytest.approx(invoiced - received, abs=0.05)


def test_plot_ageing():
    ax = cr.plot_ageing(cr.ageing(INV, PAY, as_of=END))
    assert ax.get_title() == "Receivables by age" and len(ax.patches) == 5
