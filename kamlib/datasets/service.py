"""Service: the contact log (``service_interactions``) and the costed activity counts
(``service_activity``) that activity-based costing prices.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.datasets.schemas import SERVICE_ACTIVITIES
from kamlib.datasets.world import (
    ACTIVITY_RATES,
    CRM_EFFECT_LOG_HOURS,
    DEMAND_CAP,
    DEMAND_EFFECT,
    DURATION_MIN,
    FIXED_COST,
    GO_LIVE,
    HOURLY_COST,
    REGION_HOURS_EFFECT,
    START,
)


def simulate_interactions(
    rng, contacts: pd.DataFrame, acc: pd.DataFrame, hidden: pd.DataFrame
) -> pd.DataFrame:
    """The contact log: staff time, recorded cost and resolution hours of each contact."""
    contacts = contacts.sort_values(
        ["interaction_date", "acc", "interaction_type"], kind="stable"
    ).reset_index(drop=True)
    n = len(contacts)
    kind = contacts["interaction_type"].to_numpy()
    mean = np.array([DURATION_MIN[k] for k in kind], dtype=float)
    duration = np.round(rng.gamma(4.0, mean / 4.0), 1)
    cost = np.round(duration / 60 * HOURLY_COST + np.array([FIXED_COST[k] for k in kind]), 2)
    region = acc["region"].to_numpy()[contacts["acc"].to_numpy()]
    live = (
        contacts["interaction_date"].to_numpy()
        >= pd.to_datetime(pd.Series(region).map(GO_LIVE)).to_numpy()
    )
    years = (contacts["interaction_date"] - START).dt.days.to_numpy() / 365.25
    log_hours = (
        np.log(18.0)
        + pd.Series(region).map(REGION_HOURS_EFFECT).to_numpy()
        - 0.05 * years
        + CRM_EFFECT_LOG_HOURS * live
        + np.log(2.0) * (kind == "complaint")
        + 0.15 * hidden["demand"].to_numpy()[contacts["acc"].to_numpy()]
        + rng.normal(0, 0.7, n)
    )
    needs = np.isin(kind, ["ticket", "complaint"])
    hours = np.where(needs, np.round(np.exp(log_hours), 1), np.nan)
    return pd.DataFrame(
        {
            "interaction_id": [f"S{i:06d}" for i in range(1, n + 1)],
            "account_id": acc["account_id"].to_numpy()[contacts["acc"].to_numpy()],
            "interaction_date": contacts["interaction_date"],
            "interaction_type": kind,
            "duration_minutes": duration,
            "cost_cny": cost,
            "resolution_hours": np.maximum(hours, 0.1),
        }
    )


def simulate_service_activity(rng, orders, service, acc, hidden) -> pd.DataFrame:
    """Account-month counts of every costed activity: the contacts and the operations work."""
    a = orders["acc"].to_numpy()
    demand = np.minimum(hidden["demand"].to_numpy()[a], DEMAND_CAP)
    mult = {k: np.exp(b * demand) for k, b in DEMAND_EFFECT.items()}
    rate = {k: v[0] for k, v in ACTIVITY_RATES.items()}
    expedited = orders["expedited"].to_numpy()
    split = rng.poisson(rate["split_delivery"] * mult["split_delivery"])
    per_order = {
        "delivery": (~expedited).astype(int) + split,
        "expedited_delivery": expedited.astype(int),
        "return": rng.poisson(rate["return"] * mult["return"] * (1 + split)),
        "order_change": rng.poisson(rate["order_change"] * mult["order_change"]),
        "technical_support": rng.poisson(
            rate["technical_support"]
            * mult["technical_support"]
            * orders["net_revenue_cny"].to_numpy()
            / 1e4
        ),
    }
    month = orders["order_date"].dt.to_period("M").dt.to_timestamp()
    parts = [
        pd.DataFrame(
            {
                "account_id": acc["account_id"].to_numpy()[a],
                "month": month,
                "activity": kind,
                "count": counts,
            }
        )
        for kind, counts in per_order.items()
    ]
    parts.append(
        pd.DataFrame(
            {
                "account_id": service["account_id"].to_numpy(),
                "month": service["interaction_date"].dt.to_period("M").dt.to_timestamp(),
                "activity": service["interaction_type"].to_numpy(),
                "count": 1,
            }
        )
    )
    both = pd.concat(parts, ignore_index=True)
    table = both.groupby(["month", "account_id", "activity"], sort=False)["count"].sum()
    table = table[table > 0].reset_index()
    table["order"] = table["activity"].map({k: i for i, k in enumerate(SERVICE_ACTIVITIES)})
    table = table.sort_values(["month", "account_id", "order"], kind="stable")
    return table.drop(columns="order").reset_index(drop=True)
