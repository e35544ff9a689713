"""Simulate the course world and write the course CSV files.

One fictional B2B distributor of industrial supplies, Huaxin Industrial Supply (华信工业供应),
sells to about 3,000 business accounts from January 2022 to December 2024. Each account carries
hidden traits (size, wallet, share of wallet, strategic fit, satisfaction, service demand, credit
risk) that drive every table, so the tables tell one story: satisfied accounts buy a larger share
of their wallet and leave less often, demanding accounts cost more to serve, risky accounts pay
late. A second, consumer-side world (an online retailer's membership programme) is simulated in
:mod:`kamlib.datasets.membership`; the messy legacy CRM export in :mod:`kamlib.datasets.legacy`.

Run ``python -m kamlib.datasets.generate`` to rewrite ``datasets/`` (byte for byte the committed
files). The true parameters are written to ``datasets/true_parameters.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from kamlib.datasets.schemas import (
    CATEGORIES,
    INDUSTRIES,
    LEAD_SOURCES,
    REGIONS,
    SCHEMAS,
    SERVICE_ACTIVITIES,
    SIZE_BANDS,
)

SEED = 20241231
START = pd.Timestamp("2022-01-01")
END = pd.Timestamp("2024-12-31")
MONTHS = pd.date_range(START, END, freq="MS")
N_ACCOUNTS = 3000

# --- The truth the methods of the course should recover -------------------------------------
INDUSTRY_P = [0.15, 0.14, 0.12, 0.14, 0.10, 0.10, 0.10, 0.15]
REGION_P = [0.32, 0.22, 0.20, 0.14, 0.12]
TARGET_INDUSTRIES = ("Automotive", "Electronics", "Machinery")
SIZE_LIMITS = (100, 500, 2000)  # headcount where Medium, Large, Enterprise start
SIZE_FACTOR = np.array([0.7, 1.0, 1.4, 2.0])  # service intensity by size band
DISCOUNT_BY_BAND = np.array([0.02, 0.045, 0.08, 0.12])
TERMS_BY_BAND = np.array([30, 30, 60, 90])
LIST_PRICE = dict(zip(CATEGORIES, [2.5, 120, 900, 60, 45, 8, 150, 85], strict=True))
COST_RATIO = dict(zip(CATEGORIES, [0.55, 0.68, 0.72, 0.66, 0.60, 0.62, 0.64, 0.70], strict=True))
SATISFACTION_DRIVERS = {
    "product_quality": 0.35,
    "delivery": 0.25,
    "price_value": 0.10,
    "responsiveness": 0.20,
    "account_manager": 0.10,
}
CHURN = {
    "monthly_base_hazard": 0.011,
    "satisfaction": -0.55,
    "strategic_fit": -0.25,
    "log_size": -0.20,
}
SERVICE_RATES = {  # contacts per account per month before size and demand effects
    "visit": 0.03,
    "call": 0.16,
    "email": 0.18,
    "ticket": 0.05,
    "complaint": 0.010,
}
DURATION_MIN = {"visit": 150, "call": 12, "email": 8, "ticket": 40, "complaint": 90}
FIXED_COST = {"visit": 350, "call": 0, "email": 0, "ticket": 20, "complaint": 150}
HOURLY_COST = 180.0
# Operations activities (warehouse, logistics, application engineering), counted per order.
# Each rate is base * exp(effect * service demand): demanding accounts split deliveries, return
# goods, change orders and call on the application engineers far more often.
ACTIVITY_RATES = {  # activity: (base rate, what it is counted per)
    "split_delivery": (0.20, "order"),  # extra standard deliveries when an order ships in parts
    "return": (0.02, "delivery"),
    "order_change": (1.5, "order"),
    "technical_support": (0.065, "10,000 CNY of the order's net revenue"),
}
DEMAND_CAP = 3.0  # demand beyond 3 sd adds no more work (the supplier would refuse it)
DEMAND_EFFECT = {  # log effect of one sd of service demand on each activity's rate
    "split_delivery": 1.5,
    "return": 1.9,
    "order_change": 1.2,
    "technical_support": 2.6,
}
CONTACT_RATE_FORMULAS = {  # service demand (d), satisfaction (s), size factor, key account
    "visit": "0.03 * size factor + 0.35 * key account",
    "call": "0.16 * size factor * exp(0.3 d)",
    "email": "0.18 * exp(0.2 d)",
    "ticket": "0.05 * size factor * exp(0.5 d - 0.3 s)",
    "complaint": "0.010 * exp(0.4 d - 0.6 s)",
}
# What one unit of each activity truly costs Huaxin (an activity-based costing study would find
# these; kamlib.profitability.DEFAULT_ACTIVITY_COSTS holds the same numbers).
ACTIVITY_COSTS = {
    "visit": 1200.0,
    "call": 50.0,
    "email": 20.0,
    "ticket": 250.0,
    "complaint": 800.0,
    "delivery": 300.0,
    "expedited_delivery": 1000.0,
    "return": 600.0,
    "order_change": 150.0,
    "technical_support": 450.0,
}
GO_LIVE = {
    "East": "2023-04-01",
    "South": "2023-07-01",
    "North": "2023-10-01",
    "Central": "2024-01-01",
    "West": "2024-04-01",
}
CRM_EFFECT_LOG_HOURS = -0.30
REGION_HOURS_EFFECT = {"East": -0.10, "North": 0.0, "South": 0.05, "Central": 0.12, "West": 0.25}
CAMPAIGN_START = pd.Timestamp("2024-05-01")
CAMPAIGN_DAYS = 180
CAMPAIGN_RATE_LIFT = dict(zip(SIZE_BANDS, [1.05, 1.15, 1.10, 1.00], strict=True))
CAMPAIGN_HAZARD_RATIO = 0.6
CAMPAIGN_COST = dict(zip(SIZE_BANDS, [600, 1200, 2500, 4000], strict=True))
PROSPECT_COEF = {
    "intercept": -4.6,
    "log_employees": 0.45,
    "target_industry": 0.8,
    "website_visits": 0.15,
    "attended_event": 0.7,
    "lead_source[referral]": 1.2,
    "lead_source[trade_show]": 0.6,
    "lead_source[website]": 0.3,
    "lead_source[cold_call]": -0.4,
    "lead_source[market_research]": 0.0,
    "years_in_business": 0.0,
    "region": 0.0,
}
N_PROSPECTS = 2400

OWNERS = {
    "East": ["Li Wei", "Zhang Min", "Wang Fang", "Chen Jie", "Liu Yang", "Zhao Lei"],
    "North": ["Yang Xin", "Huang Tao", "Zhou Ying", "Wu Hao", "Xu Jing"],
    "South": ["Sun Li", "Ma Jun", "Zhu Hong", "Hu Bin", "Guo Qing"],
    "Central": ["He Ping", "Lin Na", "Gao Feng", "Luo Dan"],
    "West": ["Liang Yu", "Song Kai", "Tang Lan", "Han Bo"],
}
_NAME_HEADS = [
    "Jinhua",
    "Huatai",
    "Hengda",
    "Xinyuan",
    "Dongfang",
    "Tianrui",
    "Changjiang",
    "Zhongxing",
    "Baosheng",
    "Kaiyuan",
    "Minghua",
    "Yongxin",
    "Ruifeng",
    "Longteng",
    "Shengda",
    "Huiyuan",
    "Jiahe",
    "Fuxing",
    "Taihe",
    "Xinghai",
    "Guangming",
    "Anda",
    "Hongtu",
    "Chenguang",
    "Dingsheng",
    "Lianhua",
    "Sanjiang",
    "Qianjin",
    "Huaneng",
    "Jinlong",
    "Ruida",
    "Tongyi",
    "Haitian",
    "Yuanhang",
    "Zhenxing",
    "Weiye",
    "Lianchuang",
    "Boyuan",
    "Jiaxin",
    "Hengxin",
    "Tianma",
    "Shunda",
    "Xinda",
    "Huada",
    "Yida",
    "Kangda",
    "Meida",
    "Ronghua",
    "Baoli",
    "Fengyuan",
    "Jiuzhou",
    "Shenghua",
    "Zhongtian",
    "Tianyu",
    "Huarun",
    "Xiangyun",
    "Mingyang",
    "Yuanda",
]
_NAME_TRADE = {
    "Automotive": ["Auto Parts", "Motor Components", "Vehicle Systems"],
    "Electronics": ["Electronics", "Microelectronics", "Electronic Technology"],
    "Food & beverage": ["Foods", "Beverage", "Food Processing"],
    "Construction": ["Construction", "Building Materials", "Engineering"],
    "Chemicals": ["Chemical", "Fine Chemicals", "New Materials"],
    "Logistics": ["Logistics", "Supply Chain", "Freight"],
    "Healthcare": ["Medical Devices", "Pharmaceutical", "Health Technology"],
    "Machinery": ["Machinery", "Precision Machinery", "Heavy Industry"],
}


def truth() -> dict:
    """The true parameters of the B2B simulation, as written to true_parameters.json."""
    return {
        "seed": SEED,
        "period": [str(START.date()), str(END.date())],
        "accounts": {
            "n_accounts": N_ACCOUNTS,
            "wallet_cny_per_year": "1500 * employees^0.9 * industry factor * lognormal(0, 0.5)",
            "share_of_wallet": "logistic(logit(0.35) + 0.4 fit + 0.4 satisfaction + N(0, 0.6))",
            "satisfaction_drivers": SATISFACTION_DRIVERS,
            "churn": CHURN,
        },
        "orders": {
            "list_price_cny": LIST_PRICE,
            "cost_ratio": COST_RATIO,
            "discount_by_size_band": dict(zip(SIZE_BANDS, DISCOUNT_BY_BAND.tolist(), strict=True)),
        },
        "service": {
            "rates_per_month": SERVICE_RATES,
            "contact_rate_formulas": CONTACT_RATE_FORMULAS,
            "size_factor_by_size_band": dict(zip(SIZE_BANDS, SIZE_FACTOR.tolist(), strict=True)),
            "mean_duration_minutes": DURATION_MIN,
            "hourly_cost_cny": HOURLY_COST,
            "fixed_cost_cny": FIXED_COST,
        },
        "service_activity": {
            "rate_formula": "base rate * exp(demand effect * min(service demand, demand cap))",
            "base_rates": {k: {"rate": v[0], "per": v[1]} for k, v in ACTIVITY_RATES.items()},
            "demand_effect_log_rate": DEMAND_EFFECT,
            "demand_cap_sd": DEMAND_CAP,
            "expedited_order_share": "0.06 * exp(0.6 * service demand) (column orders.expedited)",
            "activity_cost_cny": ACTIVITY_COSTS,
        },
        "crm_rollout": {
            "go_live": GO_LIVE,
            "effect_log_resolution_hours": CRM_EFFECT_LOG_HOURS,
            "effect_pct_resolution_hours": round(100 * (np.exp(CRM_EFFECT_LOG_HOURS) - 1), 2),
            "region_effect_log_hours": REGION_HOURS_EFFECT,
            "responsiveness_rating_shift_latent": 0.5,
        },
        "campaign": {
            "start": str(CAMPAIGN_START.date()),
            "window_days": CAMPAIGN_DAYS,
            "order_rate_lift_by_size_band": CAMPAIGN_RATE_LIFT,
            "churn_hazard_ratio": CAMPAIGN_HAZARD_RATIO,
            "cost_cny_by_size_band": CAMPAIGN_COST,
        },
        "prospects": {
            "n": N_PROSPECTS,
            "logit_coefficients": PROSPECT_COEF,
            "target_industries": list(TARGET_INDUSTRIES),
        },
    }


def _streams(seed: int, n: int) -> list[np.random.Generator]:
    """Independent random streams, so changing one table never shifts another."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(n)]


def _size_band(employees: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.array(SIZE_LIMITS), employees, side="right")


def _days(rng, low: pd.Timestamp, high: pd.Timestamp, n: int) -> pd.DatetimeIndex:
    span = (high - low).days
    return low + pd.to_timedelta(rng.integers(0, span + 1, n), unit="D")


# --- Prospects: leads of 2023-2024; the converted ones become accounts ----------------------
def _prospects(rng) -> pd.DataFrame:
    n = N_PROSPECTS
    industry = rng.choice(len(INDUSTRIES), n, p=INDUSTRY_P)
    source = rng.choice(len(LEAD_SOURCES), n, p=[0.24, 0.30, 0.12, 0.21, 0.13])
    employees = np.clip(np.round(np.exp(rng.normal(4.6, 1.1, n))), 5, 20000).astype(int)
    visits = rng.poisson(np.exp(0.6 + 0.5 * (np.array(LEAD_SOURCES)[source] == "website")))
    event = rng.random(n) < np.where(np.array(LEAD_SOURCES)[source] == "trade_show", 0.8, 0.15)
    c = PROSPECT_COEF
    logit = (
        c["intercept"]
        + c["log_employees"] * np.log(employees)
        + c["target_industry"] * np.isin(np.array(INDUSTRIES)[industry], TARGET_INDUSTRIES)
        + c["website_visits"] * visits
        + c["attended_event"] * event
        + np.array([c[f"lead_source[{s}]"] for s in LEAD_SOURCES])[source]
    )
    converted = rng.random(n) < 1 / (1 + np.exp(-logit))
    first = _days(rng, pd.Timestamp("2023-01-01"), pd.Timestamp("2024-10-31"), n)
    won = first + pd.to_timedelta(rng.integers(20, 90, n), unit="D")
    converted &= won <= END - pd.Timedelta(days=10)  # deals closing later are still open
    # Non-converted leads stop earlier in the funnel the weaker they are.
    reach = np.floor(1.1 + 0.5 * (logit - logit.mean()) + rng.normal(0, 1.1, n))
    reach = np.clip(reach, 0, 3).astype(int)
    stage = np.where(converted, 4, reach)
    frame = pd.DataFrame(
        {
            "prospect_id": [f"L{i:05d}" for i in range(1, n + 1)],
            "industry": np.array(INDUSTRIES)[industry],
            "region": np.array(REGIONS)[rng.choice(len(REGIONS), n, p=REGION_P)],
            "employees": employees,
            "years_in_business": rng.integers(1, 41, n),
            "lead_source": np.array(LEAD_SOURCES)[source],
            "website_visits": visits,
            "attended_event": event,
            "first_contact_date": first,
            "stage_reached": np.array(["lead", "contacted", "qualified", "proposal", "won"])[stage],
            "converted": converted,
        }
    )
    frame["won_date"] = pd.Series(won).where(converted)
    return frame.sort_values(["first_contact_date", "prospect_id"]).reset_index(drop=True)


# --- Accounts and their hidden traits ---------------------------------------------------------
def _accounts(rng, prospects: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    won = prospects[prospects["converted"]]
    n_old = N_ACCOUNTS - len(won)
    old = pd.DataFrame(
        {
            "industry": np.array(INDUSTRIES)[rng.choice(len(INDUSTRIES), n_old, p=INDUSTRY_P)],
            "region": np.array(REGIONS)[rng.choice(len(REGIONS), n_old, p=REGION_P)],
            "employees": np.clip(np.round(np.exp(rng.normal(5.0, 1.2, n_old))), 5, 60000).astype(
                int
            ),
            "customer_since": _days(
                rng, pd.Timestamp("2012-01-01"), pd.Timestamp("2022-12-31"), n_old
            ),
            "prospect_id": None,
        }
    )
    new = pd.DataFrame(
        {
            "industry": won["industry"].to_numpy(),
            "region": won["region"].to_numpy(),
            "employees": won["employees"].to_numpy(),
            "customer_since": won["won_date"].to_numpy(),
            "prospect_id": won["prospect_id"].to_numpy(),
        }
    )
    acc = pd.concat([old, new], ignore_index=True)
    acc = acc.sort_values("customer_since", kind="stable").reset_index(drop=True)
    n = len(acc)
    acc.insert(0, "account_id", [f"A{i:04d}" for i in range(1, n + 1)])
    acc.insert(1, "account_name", _company_names(rng, acc["industry"].to_numpy()))
    band = _size_band(acc["employees"].to_numpy())
    acc["size_band"] = np.array(SIZE_BANDS)[band]

    # Hidden traits (kept in `hidden`, never written out).
    perf = {k: rng.normal(0, 1, n) for k in SATISFACTION_DRIVERS}
    w = np.array(list(SATISFACTION_DRIVERS.values()))
    satisfaction = sum(wk * perf[k] for k, wk in zip(SATISFACTION_DRIVERS, w, strict=True))
    satisfaction = (satisfaction + rng.normal(0, 0.25, n)) / np.sqrt((w**2).sum() + 0.25**2)
    target = acc["industry"].isin(TARGET_INDUSTRIES).to_numpy()
    fit = rng.normal(0, 1, n) + 0.6 * target
    industry_factor = acc["industry"].map(
        dict(zip(INDUSTRIES, [1.3, 1.2, 0.8, 1.1, 1.0, 0.7, 0.9, 1.2], strict=True))
    )
    wallet = (
        1500
        * acc["employees"].to_numpy() ** 0.9
        * industry_factor.to_numpy()
        * np.exp(rng.normal(0, 0.5, n))
    )
    share_logit = np.log(0.35 / 0.65) + 0.4 * fit + 0.4 * satisfaction + rng.normal(0, 0.6, n)
    share = 1 / (1 + np.exp(-share_logit))
    hidden = pd.DataFrame(
        {
            "wallet": wallet,
            "share": share,
            "fit": fit,
            "satisfaction": satisfaction,
            "demand": rng.normal(0, 1, n),
            "credit_risk": rng.normal(0, 1, n),
            "band": band,
            **{f"perf_{k}": v for k, v in perf.items()},
        }
    )
    annual_revenue = wallet * share
    tenure_years = (pd.Timestamp("2022-01-01") - acc["customer_since"]).dt.days / 365.25
    owners = acc["region"].map(lambda r: OWNERS[r])
    acc["account_owner"] = [
        o[i % len(o)] for o, i in zip(owners, rng.integers(0, 100, n), strict=True)
    ]
    monthly = annual_revenue / 12
    acc["credit_limit_cny"] = np.maximum(
        20000, np.round(monthly * (TERMS_BY_BAND[band] / 30 + 1) * 1.5, -4)
    )
    acc["payment_terms_days"] = TERMS_BY_BAND[band]
    acc["est_annual_spend_cny"] = np.round(wallet * np.exp(rng.normal(0, 0.3, n)), -3)
    acc["strategic_fit"] = np.clip(
        np.round(3 + 0.9 * fit - 0.5 * target + rng.normal(0, 0.5, n)), 1, 5
    ).astype(int)
    experience = (
        0.9 * np.log(annual_revenue) + 0.25 * np.clip(tenure_years, 0, 10) + rng.normal(0, 0.7, n)
    )
    acc["sales_tier"] = np.where(experience >= np.quantile(experience, 0.9), "key", "standard")
    acc["acquisition_cost_cny"] = np.round(
        3000 * SIZE_FACTOR[band] ** 2 * np.exp(rng.normal(0, 0.4, n)), 2
    )
    hidden["annual_revenue"] = annual_revenue
    hidden["orders_per_year"] = np.clip(2.4 * np.sqrt(annual_revenue / 20000), 1, 48) * np.exp(
        rng.normal(0, 0.3, n)
    )
    hidden["key"] = acc["sales_tier"].eq("key").to_numpy()
    hidden["categories"] = list(rng.dirichlet(np.full(len(CATEGORIES), 0.6), n))
    hidden["discount"] = np.clip(
        DISCOUNT_BY_BAND[band] + 0.02 * hidden["key"] + rng.normal(0, 0.01, n), 0, 0.2
    )
    return acc, hidden


def _company_names(rng, industries: np.ndarray) -> list[str]:
    names, seen = [], set()
    for industry in industries:
        while True:
            head = _NAME_HEADS[rng.integers(len(_NAME_HEADS))]
            trade = _NAME_TRADE[industry][rng.integers(3)]
            name = f"{head} {trade} Co., Ltd."
            if name in seen:
                name = f"{head} {trade} ({REGIONS[rng.integers(5)]}) Co., Ltd."
            if name not in seen:
                seen.add(name)
                names.append(name)
                break
    return names


# --- Month by month: churn, the campaign, orders and service contacts -------------------------
def _simulate_months(rng, acc: pd.DataFrame, hidden: pd.DataFrame):
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


def _order_lines(
    rng, orders: pd.DataFrame, hidden: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
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


def _service(rng, contacts: pd.DataFrame, acc: pd.DataFrame, hidden: pd.DataFrame) -> pd.DataFrame:
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


def _service_activity(rng, orders, service, acc, hidden) -> pd.DataFrame:
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


def _surveys(rng, acc: pd.DataFrame, hidden: pd.DataFrame, lost: np.ndarray) -> pd.DataFrame:
    rows = []
    w = SATISFACTION_DRIVERS
    for year in (2022, 2023, 2024):
        day = pd.Timestamp(f"{year}-11-01")
        active = (acc["customer_since"] < day).to_numpy() & ~(lost < day.to_datetime64())
        chosen = np.flatnonzero(active & (rng.random(len(acc)) < 0.45))
        dates = day + pd.to_timedelta(rng.integers(0, 30, len(chosen)), unit="D")
        crm = dates.to_numpy() >= pd.to_datetime(acc["region"].iloc[chosen].map(GO_LIVE)).to_numpy()
        perf = {k: hidden[f"perf_{k}"].to_numpy()[chosen] for k in w}
        perf["responsiveness"] = perf["responsiveness"] + 0.5 * crm
        sat = hidden["satisfaction"].to_numpy()[chosen] + w["responsiveness"] * 0.5 * crm
        frame = {
            "account_id": acc["account_id"].to_numpy()[chosen],
            "survey_date": dates,
            "csat": np.clip(np.round(3.6 + 0.9 * sat + rng.normal(0, 0.5, len(chosen))), 1, 5),
            "nps": np.clip(np.round(7.2 + 1.8 * sat + rng.normal(0, 1.2, len(chosen))), 0, 10),
        }
        for k in w:
            frame[k] = np.clip(
                np.round(3.5 + 0.9 * perf[k] + rng.normal(0, 0.6, len(chosen))), 1, 5
            )
        rows.append(pd.DataFrame(frame))
    surveys = pd.concat(rows, ignore_index=True).sort_values(
        ["survey_date", "account_id"], kind="stable"
    )
    surveys.insert(0, "response_id", [f"R{i:05d}" for i in range(1, len(surveys) + 1)])
    int_cols = ["csat", "nps", *w]
    surveys[int_cols] = surveys[int_cols].astype(int)
    return surveys.reset_index(drop=True)


def _invoices_payments(rng, orders, acc, hidden, lost) -> tuple[pd.DataFrame, pd.DataFrame]:
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


def _campaign(acc: pd.DataFrame, group: np.ndarray, orders: pd.DataFrame) -> pd.DataFrame:
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


def _crm_kpis(acc, orders, service) -> pd.DataFrame:
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


def simulate_b2b(seed: int = SEED) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Simulate the B2B world: its tables keyed by dataset name, and the hidden account traits."""
    streams = _streams(seed, 8)  # spawned streams do not depend on how many are spawned
    r_prospects, r_accounts, r_months, r_lines, r_service, r_surveys, r_pay, r_activity = streams
    prospects = _prospects(r_prospects)
    acc, hidden = _accounts(r_accounts, prospects)
    orders, contacts, lost, group = _simulate_months(r_months, acc, hidden)
    orders, lines = _order_lines(r_lines, orders, hidden)
    acc["lost_date"] = lost
    service = _service(r_service, contacts, acc, hidden)
    activity = _service_activity(r_activity, orders, service, acc, hidden)
    surveys = _surveys(r_surveys, acc, hidden, lost)
    invoices, payments = _invoices_payments(r_pay, orders, acc, hidden, lost)
    campaign = _campaign(acc, group, orders)
    kpis = _crm_kpis(acc, orders, service)
    # Link won prospects to the account they became and to its first order.
    account_of = acc.dropna(subset=["prospect_id"]).set_index("prospect_id")["account_id"]
    prospects["account_id"] = prospects["prospect_id"].map(account_of)
    first_order = orders.sort_values(["order_date", "order_id"]).drop_duplicates("acc")
    first_value = pd.Series(
        first_order["net_revenue_cny"].to_numpy(),
        index=acc["account_id"].to_numpy()[first_order["acc"].to_numpy()],
    )
    prospects["first_order_cny"] = prospects["account_id"].map(first_value)
    orders.insert(1, "account_id", acc["account_id"].to_numpy()[orders["acc"].to_numpy()])
    tables = {
        "accounts": acc,
        "orders": orders,
        "order_lines": lines,
        "service_interactions": service,
        "service_activity": activity,
        "surveys": surveys,
        "invoices": invoices,
        "payments": payments,
        "campaign": campaign,
        "crm_kpis": kpis,
        "prospects": prospects,
    }
    return {name: table[SCHEMAS[name].column_names] for name, table in tables.items()}, hidden


def generate(out_dir: str | Path | None = None, *, seed: int = SEED, verbose: bool = True) -> dict:
    """Simulate both worlds and write every course CSV plus ``true_parameters.json``.

    Parameters
    ----------
    out_dir : path-like, optional
        Where to write; by default the repository's ``datasets/`` folder.
    seed : int
        Master seed; the same seed always gives byte-identical files.
    verbose : bool
        Print one line per file written.

    Returns
    -------
    dict
        The true parameters (also written as JSON).
    """
    from kamlib.datasets import data_dir
    from kamlib.datasets.legacy import legacy_export
    from kamlib.datasets.membership import MEMBERSHIP_TRUTH, simulate_membership

    out = Path(out_dir) if out_dir is not None else data_dir()
    out.mkdir(parents=True, exist_ok=True)
    tables, _hidden = simulate_b2b(seed)
    tables.update(legacy_export(tables["accounts"], seed=seed))
    tables.update(simulate_membership(seed))
    for name, table in tables.items():
        path = out / f"{name}.csv"
        _write_csv(table, path)
        if verbose:
            print(
                f"wrote {path.name:<26} {len(table):>7,} rows  {path.stat().st_size / 1e6:6.2f} MB",
                file=sys.stderr,
            )
    params = truth() | {"membership": MEMBERSHIP_TRUTH}
    with open(out / "true_parameters.json", "w", encoding="utf-8") as f:
        json.dump(params, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return params


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    """Write with ISO dates and plain numbers, so files are identical run after run."""
    out = table.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False, lineterminator="\n")


if __name__ == "__main__":
    generate(sys.argv[1] if len(sys.argv) > 1 else None)
