"""The relationship campaign's table and the CRM rollout's monthly KPIs by region."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.datasets.schemas import REGIONS, SCHEMAS
from kamlib.datasets.world import CAMPAIGN_COST, CAMPAIGN_DAYS, CAMPAIGN_START, GO_LIVE, MONTHS


def campaign_table(acc: pd.DataFrame, group: np.ndarray, orders: pd.DataFrame) -> pd.DataFrame:
    """The campaign's accounts, their group and their revenue before and after the start."""
    chosen = np.flatnonzero(group != "")
    end = CAMPAIGN_START + pd.Timedelta(days=CAMPAIGN_DAYS)
    pre = orders[
        (orders["order_date"] >= CAMPAIGN_START - pd.Timedelta(days=CAMPAIGN_DAYS))
        & (orders["order_date"] < CAMPAIGN_START)
    ]
    post = orders[(orders["order_date"] >= CAMPAIGN_START) & (orders["order_date"] < end)]
    pre_rev = pre.groupby("acc")["net_revenue_cny"].sum()
    post_rev = post.groupby("acc")["net_revenue_cny"].sum()
    bands = acc["size_band"].to_numpy()[chosen]
    treated = group[chosen] == "treatment"
    return pd.DataFrame(
        {
            "account_id": acc["account_id"].to_numpy()[chosen],
            "size_band": bands,
            "group": group[chosen],
            "start_date": CAMPAIGN_START,
            "cost_cny": np.where(treated, pd.Series(bands).map(CAMPAIGN_COST).to_numpy(), 0).astype(
                float
            ),
            "revenue_pre_cny": np.round(pre_rev.reindex(chosen, fill_value=0.0).to_numpy(), 2),
            "revenue_post_cny": np.round(post_rev.reindex(chosen, fill_value=0.0).to_numpy(), 2),
            "active_post": np.isin(chosen, post["acc"].unique()),
        }
    )


def crm_kpi_table(acc, orders, service) -> pd.DataFrame:
    """Monthly KPIs by region: tickets, resolution hours, active accounts, revenue."""
    region_of = dict(zip(acc["account_id"], acc["region"], strict=True))
    tickets = service[service["interaction_type"].isin(["ticket", "complaint"])].copy()
    tickets["region"] = tickets["account_id"].map(region_of)
    tickets["month"] = tickets["interaction_date"].dt.to_period("M").dt.to_timestamp()
    service_kpi = tickets.groupby(["region", "month"]).agg(
        tickets=("interaction_id", "size"),
        avg_resolution_hours=("resolution_hours", "mean"),
        share_resolved_24h=("resolution_hours", lambda h: (h <= 24).mean()),
    )
    o = orders.assign(region=acc["region"].to_numpy()[orders["acc"].to_numpy()])
    o["month"] = o["order_date"].dt.to_period("M").dt.to_timestamp()
    sales_kpi = o.groupby(["region", "month"]).agg(
        active_accounts=("acc", "nunique"), net_revenue_cny=("net_revenue_cny", "sum")
    )
    grid = pd.MultiIndex.from_product([list(REGIONS), MONTHS], names=["region", "month"])
    kpi = sales_kpi.reindex(grid).join(service_kpi.reindex(grid)).reset_index()
    kpi["go_live_month"] = pd.to_datetime(kpi["region"].map(GO_LIVE))
    kpi["crm_live"] = kpi["month"] >= kpi["go_live_month"]
    kpi["avg_resolution_hours"] = kpi["avg_resolution_hours"].round(2)
    kpi["share_resolved_24h"] = kpi["share_resolved_24h"].round(4)
    kpi["net_revenue_cny"] = kpi["net_revenue_cny"].round(2)
    kpi[["active_accounts", "tickets"]] = kpi[["active_accounts", "tickets"]].fillna(0).astype(int)
    return kpi[SCHEMAS["crm_kpis"].column_names]
