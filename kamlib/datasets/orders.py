"""Order lines and order totals: categories, quantities, prices, discounts and cost of goods."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.datasets.schemas import CATEGORIES
from kamlib.datasets.world import COST_RATIO, LIST_PRICE


def simulate_order_lines(
    rng, orders: pd.DataFrame, hidden: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give each order its id, lines, prices, discounts and cost of goods."""
    orders = orders.sort_values(["order_date", "acc"], kind="stable").reset_index(drop=True)
    n = len(orders)
    orders["order_id"] = [f"O{i:06d}" for i in range(1, n + 1)]
    acc = orders["acc"].to_numpy()
    per_order = hidden["annual_revenue"].to_numpy()[acc] / hidden["orders_per_year"].to_numpy()[acc]
    gross_target = per_order * rng.gamma(3.0, 1 / 3.0, n)
    n_lines = 1 + np.minimum(rng.poisson(1.4, n), 7)
    line_order = np.repeat(np.arange(n), n_lines)
    weights = rng.gamma(1.0, 1.0, len(line_order))
    weights /= np.bincount(line_order, weights)[line_order]
    prefs = np.vstack(hidden["categories"].to_numpy())[acc[line_order]]
    category = (rng.random(len(line_order))[:, None] > np.cumsum(prefs, axis=1)).sum(axis=1)
    category = np.minimum(category, len(CATEGORIES) - 1)
    cats = np.array(CATEGORIES)[category]
    unit = np.round(
        np.array([LIST_PRICE[c] for c in CATEGORIES])[category]
        * np.exp(rng.normal(0, 0.35, len(cats))),
        2,
    )
    unit = np.maximum(unit, 0.5)
    quantity = np.maximum(1, np.round(gross_target[line_order] * weights / unit)).astype(int)
    promo = rng.random(len(cats)) < 0.08
    rate = np.round((hidden["discount"].to_numpy()[acc[line_order]] + 0.05 * promo) / 0.005) * 0.005
    rate = np.round(np.clip(rate, 0, 0.3), 3)
    gross = np.round(quantity * unit, 2)
    net = np.round(gross * (1 - rate), 2)
    cost_ratio = np.array([COST_RATIO[c] for c in CATEGORIES])[category]
    cogs = np.round(gross * cost_ratio * np.exp(rng.normal(0, 0.05, len(cats))), 2)
    line_no = np.arange(len(line_order)) - np.repeat(np.cumsum(n_lines) - n_lines, n_lines) + 1
    lines = pd.DataFrame(
        {
            "order_id": orders["order_id"].to_numpy()[line_order],
            "line_no": line_no,
            "product_category": cats,
            "quantity": quantity,
            "unit_list_price_cny": unit,
            "discount_rate": rate,
            "net_revenue_cny": net,
            "cogs_cny": cogs,
        }
    )
    totals = (
        pd.DataFrame({"gross": gross, "net": net, "cogs": cogs, "o": line_order}).groupby("o").sum()
    )
    band = hidden["band"].to_numpy()[acc]
    channel_p = np.array(
        [
            [0.2, 0.3, 0.45, 0.05],
            [0.35, 0.25, 0.3, 0.1],
            [0.5, 0.15, 0.15, 0.2],
            [0.45, 0.1, 0.1, 0.35],
        ]
    )
    u = rng.random(n)
    channel = (u[:, None] > np.cumsum(channel_p[band], axis=1)).sum(axis=1)
    orders["channel"] = np.array(["field_sales", "phone", "online", "edi"])[np.minimum(channel, 3)]
    orders["n_lines"] = n_lines
    orders["gross_revenue_cny"] = np.round(totals["gross"].to_numpy(), 2)
    orders["net_revenue_cny"] = np.round(totals["net"].to_numpy(), 2)
    orders["discount_cny"] = np.round(orders["gross_revenue_cny"] - orders["net_revenue_cny"], 2)
    orders["cogs_cny"] = np.round(totals["cogs"].to_numpy(), 2)
    demand = hidden["demand"].to_numpy()[acc]
    orders["expedited"] = rng.random(n) < 0.06 * np.exp(0.6 * demand)
    return orders, lines
