"""Finance: one invoice per order and the payments that settle them (late, split or never)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.datasets.world import END


def simulate_invoices_payments(rng, orders, acc, hidden, lost) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One invoice per order; payments late with credit risk, some split, a few never."""
    n = len(orders)
    a = orders["acc"].to_numpy()
    terms = acc["payment_terms_days"].to_numpy()[a]
    invoices = pd.DataFrame(
        {
            "invoice_id": [f"I{i:06d}" for i in range(1, n + 1)],
            "order_id": orders["order_id"].to_numpy(),
            "account_id": acc["account_id"].to_numpy()[a],
            "invoice_date": orders["order_date"].to_numpy(),
            "due_date": orders["order_date"].to_numpy() + terms.astype("timedelta64[D]"),
            "amount_cny": orders["net_revenue_cny"].to_numpy(),
        }
    )
    risk = hidden["credit_risk"].to_numpy()[a]
    delay = np.round(rng.normal(-2 + 9 * np.exp(0.6 * risk), 6.0)).astype(int)
    pay = invoices["due_date"].to_numpy() + delay.astype("timedelta64[D]")
    pay = np.maximum(pay, invoices["invoice_date"].to_numpy())
    near_loss = ~np.isnat(lost[a]) & (
        invoices["invoice_date"].to_numpy() > lost[a] - np.timedelta64(90, "D")
    )
    default = rng.random(n) < 0.004 + 0.15 * (risk > 2.0) + 0.25 * near_loss
    split = rng.random(n) < 0.12
    first_share = np.round(rng.uniform(0.4, 0.7, n), 2)
    early = pay - rng.integers(5, 25, n).astype("timedelta64[D]")
    early = np.maximum(early, invoices["invoice_date"].to_numpy())
    amount = invoices["amount_cny"].to_numpy()
    part1 = np.round(amount * first_share, 2)
    payments = pd.concat(
        [
            pd.DataFrame(
                {
                    "i": np.flatnonzero(~default & ~split),
                    "payment_date": pay[~default & ~split],
                    "amount_cny": amount[~default & ~split],
                }
            ),
            pd.DataFrame(
                {
                    "i": np.flatnonzero(~default & split),
                    "payment_date": early[~default & split],
                    "amount_cny": part1[~default & split],
                }
            ),
            pd.DataFrame(
                {
                    "i": np.flatnonzero(~default & split),
                    "payment_date": pay[~default & split],
                    "amount_cny": np.round(amount - part1, 2)[~default & split],
                }
            ),
        ],
        ignore_index=True,
    )
    payments = payments[payments["payment_date"] <= END].sort_values(
        ["payment_date", "i"], kind="stable"
    )
    payments.insert(0, "payment_id", [f"P{i:06d}" for i in range(1, len(payments) + 1)])
    payments.insert(1, "invoice_id", invoices["invoice_id"].to_numpy()[payments["i"].to_numpy()])
    payments.insert(2, "account_id", invoices["account_id"].to_numpy()[payments["i"].to_numpy()])
    return invoices, payments.drop(columns="i").reset_index(drop=True)
