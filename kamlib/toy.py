"""A tiny toy world for docstring examples and hand calculations.

Four accounts and ten orders, small enough to check every result with pen and paper, with the
same columns as the course tables.

>>> from kamlib import toy
>>> toy.orders().groupby("account_id")["net_revenue_cny"].sum().to_dict()
{'T01': 1800.0, 'T02': 600.0, 'T03': 450.0, 'T04': 150.0}
"""

from __future__ import annotations

import pandas as pd


def accounts() -> pd.DataFrame:
    """Four accounts: two medium, one large, one small."""
    return pd.DataFrame(
        {
            "account_id": ["T01", "T02", "T03", "T04"],
            "account_name": [
                "Anda Tools",
                "Baosheng Foods",
                "Chenguang Auto",
                "Dingsheng Chemical",
            ],
            "industry": ["Machinery", "Food & beverage", "Automotive", "Chemicals"],
            "region": ["East", "North", "East", "West"],
            "size_band": ["Large", "Medium", "Medium", "Small"],
            "employees": [900, 300, 250, 40],
            "customer_since": pd.to_datetime(
                ["2019-03-01", "2021-06-15", "2024-02-01", "2022-09-10"]
            ),
            "est_annual_spend_cny": [4000.0, 3000.0, 900.0, 1500.0],
            "strategic_fit": [5, 3, 4, 2],
            "sales_tier": ["key", "standard", "standard", "standard"],
            "acquisition_cost_cny": [500.0, 300.0, 200.0, 100.0],
        }
    )


def orders() -> pd.DataFrame:
    """Ten orders in 2024 (net revenue 3,000 yuan in all)."""
    return pd.DataFrame(
        {
            "order_id": [f"X{i:02d}" for i in range(1, 11)],
            "account_id": ["T01", "T02", "T01", "T03", "T01", "T02", "T04", "T03", "T01", "T02"],
            "order_date": pd.to_datetime(
                [
                    "2024-01-10",
                    "2024-02-05",
                    "2024-03-15",
                    "2024-04-01",
                    "2024-06-20",
                    "2024-07-07",
                    "2024-08-30",
                    "2024-10-12",
                    "2024-11-25",
                    "2024-12-01",
                ]
            ),
            "gross_revenue_cny": [
                500.0,
                220.0,
                450.0,
                250.0,
                520.0,
                200.0,
                150.0,
                250.0,
                550.0,
                220.0,
            ],
            "discount_cny": [50.0, 20.0, 50.0, 25.0, 70.0, 0.0, 0.0, 25.0, 50.0, 20.0],
            "net_revenue_cny": [
                450.0,
                200.0,
                400.0,
                225.0,
                450.0,
                200.0,
                150.0,
                225.0,
                500.0,
                200.0,
            ],
            "cogs_cny": [300.0, 120.0, 280.0, 150.0, 310.0, 130.0, 90.0, 150.0, 340.0, 125.0],
            "expedited": [False, False, True, False, False, False, True, False, False, False],
        }
    )


def interactions() -> pd.DataFrame:
    """Six service contacts with the toy accounts."""
    return pd.DataFrame(
        {
            "interaction_id": [f"Y{i}" for i in range(1, 7)],
            "account_id": ["T01", "T01", "T02", "T03", "T04", "T04"],
            "interaction_date": pd.to_datetime(
                ["2024-02-01", "2024-05-03", "2024-03-09", "2024-04-20", "2024-09-01", "2024-09-15"]
            ),
            "interaction_type": ["visit", "call", "ticket", "email", "complaint", "ticket"],
            "duration_minutes": [120.0, 15.0, 45.0, 10.0, 90.0, 30.0],
            "cost_cny": [710.0, 45.0, 155.0, 30.0, 420.0, 110.0],
        }
    )


def invoices() -> pd.DataFrame:
    """One invoice per toy order, due 30 days after it (for the credit checks of chapter 10)."""
    orders_ = orders()
    return pd.DataFrame(
        {
            "invoice_id": [f"I{i:02d}" for i in range(1, 11)],
            "order_id": orders_["order_id"],
            "account_id": orders_["account_id"],
            "invoice_date": orders_["order_date"],
            "due_date": orders_["order_date"] + pd.Timedelta(days=30),
            "amount_cny": orders_["net_revenue_cny"],
        }
    )


def payments() -> pd.DataFrame:
    """Eight payments against the toy invoices: one late, one split, one partial, three unpaid.

    On 31 Dec 2024 invoices I07 (150), I08 (225) and I10 (200) are unpaid and I09 has 300 of
    its 500 yuan open: 875 yuan of receivables.
    """
    return pd.DataFrame(
        {
            "payment_id": [f"P{i}" for i in range(1, 9)],
            "invoice_id": ["I01", "I02", "I03", "I04", "I04", "I05", "I06", "I09"],
            "account_id": ["T01", "T02", "T01", "T03", "T03", "T01", "T02", "T01"],
            "payment_date": pd.to_datetime(
                [
                    "2024-02-05",
                    "2024-03-06",
                    "2024-04-20",
                    "2024-04-25",
                    "2024-05-10",
                    "2024-07-18",
                    "2024-09-20",
                    "2024-12-20",
                ]
            ),
            "amount_cny": [450.0, 200.0, 400.0, 110.0, 115.0, 450.0, 200.0, 200.0],
        }
    )


def transactions() -> pd.DataFrame:
    """Purchases of three online members (for the buying models of chapter 5)."""
    return pd.DataFrame(
        {
            "transaction_id": [f"Z{i}" for i in range(1, 9)],
            "member_id": ["M1", "M1", "M1", "M2", "M2", "M3", "M1", "M2"],
            "purchase_date": pd.to_datetime(
                [
                    "2024-01-01",
                    "2024-01-15",
                    "2024-03-04",
                    "2024-02-01",
                    "2024-02-01",
                    "2024-03-01",
                    "2024-05-06",
                    "2024-06-03",
                ]
            ),
            "amount_cny": [120.0, 80.0, 100.0, 60.0, 40.0, 300.0, 90.0, 75.0],
        }
    )
