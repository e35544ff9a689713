"""Month by month: churn, the campaign's random assignment, order arrivals and service contacts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.datasets.schemas import SIZE_BANDS
from kamlib.datasets.world import (
    CAMPAIGN_DAYS,
    CAMPAIGN_HAZARD_RATIO,
    CAMPAIGN_RATE_LIFT,
    CAMPAIGN_START,
    CHURN,
    MONTHS,
    SERVICE_RATES,
    SIZE_FACTOR,
)


def simulate_months(rng, acc: pd.DataFrame, hidden: pd.DataFrame):
    """Month by month: who leaves, the campaign, order dates and contact dates."""
    n = len(acc)
    since = acc["customer_since"].to_numpy()
    log_size = np.log(acc["employees"].to_numpy() / 150) / 1.2
    hazard = (
        CHURN["monthly_base_hazard"]
        * np.exp(
            CHURN["satisfaction"] * hidden["satisfaction"]
            + CHURN["strategic_fit"] * hidden["fit"]
            + CHURN["log_size"] * log_size
        ).to_numpy()
    )
    lost = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    group = np.full(n, "", dtype=object)
    season = np.array([0.75, 0.8, 1.05, 1.05, 1.05, 1.0, 0.95, 0.95, 1.05, 1.0, 1.1, 1.25])
    band = hidden["band"].to_numpy()
    sizef = SIZE_FACTOR[band]
    demand, sat = hidden["demand"].to_numpy(), hidden["satisfaction"].to_numpy()
    contact_rate = {
        "visit": SERVICE_RATES["visit"] * sizef + 0.35 * hidden["key"].to_numpy(),
        "call": SERVICE_RATES["call"] * sizef * np.exp(0.3 * demand),
        "email": SERVICE_RATES["email"] * np.exp(0.2 * demand),
        "ticket": SERVICE_RATES["ticket"] * sizef * np.exp(0.5 * demand - 0.3 * sat),
        "complaint": SERVICE_RATES["complaint"] * np.exp(0.4 * demand - 0.6 * sat),
    }
    order_acc, order_day, contact_acc, contact_day, contact_type = [], [], [], [], []
    campaign_end = CAMPAIGN_START + pd.Timedelta(days=CAMPAIGN_DAYS)
    lift = acc["size_band"].map(CAMPAIGN_RATE_LIFT).to_numpy()
    for m, month in enumerate(MONTHS):
        month_end = month + pd.offsets.MonthEnd(0)
        days_in = month_end.day
        if month == CAMPAIGN_START:
            group = _assign_campaign(rng, acc, lost, order_acc, order_day)
        in_campaign = (group == "treatment") & (month >= CAMPAIGN_START) & (month < campaign_end)
        alive = (since <= month_end.to_datetime64()) & np.isnat(lost)
        at_start = alive & (since < month.to_datetime64())
        h = np.where(in_campaign, hazard * CAMPAIGN_HAZARD_RATIO, hazard)
        leaving = at_start & (rng.random(n) < h)
        lost[leaving] = (
            month + pd.to_timedelta(rng.integers(0, days_in, leaving.sum()), unit="D")
        ).to_numpy()
        # Share of the month each account could buy in: from its start, until it left.
        first_day = np.where(
            since > month.to_datetime64(),
            (since - month.to_datetime64()).astype("timedelta64[D]").astype(int),
            0,
        )
        last_day = np.where(
            leaving, (lost - month.to_datetime64()).astype("timedelta64[D]").astype(int), days_in
        )
        exposure = np.where(alive, np.clip(last_day - first_day, 0, days_in) / days_in, 0.0)
        trend = 1.04 ** (m / 12)
        rate = hidden["orders_per_year"].to_numpy() / 12 * season[month.month - 1] * trend
        rate = rate * np.where(in_campaign, lift, 1.0) * exposure
        counts = rng.poisson(rate)
        idx = np.repeat(np.arange(n), counts)
        lo, hi = first_day[idx], np.maximum(last_day[idx], first_day[idx] + 1)
        order_acc.append(idx)
        order_day.append(
            month.to_datetime64()
            + (lo + rng.random(len(idx)) * (hi - lo)).astype(int).astype("timedelta64[D]")
        )
        # Every new account orders on the day it is won.
        starting = (since >= month.to_datetime64()) & (since <= month_end.to_datetime64())
        order_acc.append(np.flatnonzero(starting))
        order_day.append(since[starting])
        for kind, kind_rate in contact_rate.items():
            counts = rng.poisson(kind_rate * exposure)
            idx = np.repeat(np.arange(n), counts)
            lo, hi = first_day[idx], np.maximum(last_day[idx], first_day[idx] + 1)
            contact_acc.append(idx)
            contact_day.append(
                month.to_datetime64()
                + (lo + rng.random(len(idx)) * (hi - lo)).astype(int).astype("timedelta64[D]")
            )
            contact_type.append(np.full(len(idx), kind))
    orders = pd.DataFrame(
        {"acc": np.concatenate(order_acc), "order_date": np.concatenate(order_day)}
    )
    contacts = pd.DataFrame(
        {
            "acc": np.concatenate(contact_acc),
            "interaction_date": np.concatenate(contact_day),
            "interaction_type": np.concatenate(contact_type),
        }
    )
    return orders, contacts, lost, group


def _assign_campaign(rng, acc, lost, order_acc, order_day) -> np.ndarray:
    """Eligible: active at the start, customer for 6+ months, ordered in the last 12 months."""
    acc_idx = np.concatenate(order_acc)
    days = np.concatenate(order_day)
    recent = np.unique(acc_idx[days >= (CAMPAIGN_START - pd.DateOffset(months=12)).to_datetime64()])
    eligible = np.zeros(len(acc), dtype=bool)
    eligible[recent] = True
    eligible &= (
        np.isnat(lost)
        & (acc["customer_since"] <= CAMPAIGN_START - pd.DateOffset(months=6)).to_numpy()
    )
    group = np.full(len(acc), "", dtype=object)
    for band in SIZE_BANDS:  # randomise within size band: half treatment, half control
        members = np.flatnonzero(eligible & (acc["size_band"] == band).to_numpy())
        members = rng.permutation(members)
        group[members[: len(members) // 2]] = "treatment"
        group[members[len(members) // 2 :]] = "control"
    return group
