"""Huaxin's prospects (the leads of 2023-2024) and its accounts with their hidden traits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.datasets.schemas import CATEGORIES, INDUSTRIES, LEAD_SOURCES, REGIONS, SIZE_BANDS
from kamlib.datasets.world import (
    DISCOUNT_BY_BAND,
    END,
    INDUSTRY_P,
    N_ACCOUNTS,
    N_PROSPECTS,
    PROSPECT_COEF,
    REGION_P,
    SATISFACTION_DRIVERS,
    SIZE_FACTOR,
    TARGET_INDUSTRIES,
    TERMS_BY_BAND,
    random_days,
    size_band_of,
)

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


def simulate_prospects(rng) -> pd.DataFrame:
    """Leads first contacted in 2023-2024; whether each converts follows the true logit."""
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
    first = random_days(rng, pd.Timestamp("2023-01-01"), pd.Timestamp("2024-10-31"), n)
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


def simulate_accounts(rng, prospects: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The accounts (the older ones and the won prospects) and their hidden traits."""
    won = prospects[prospects["converted"]]
    n_old = N_ACCOUNTS - len(won)
    old = pd.DataFrame(
        {
            "industry": np.array(INDUSTRIES)[rng.choice(len(INDUSTRIES), n_old, p=INDUSTRY_P)],
            "region": np.array(REGIONS)[rng.choice(len(REGIONS), n_old, p=REGION_P)],
            "employees": np.clip(np.round(np.exp(rng.normal(5.0, 1.2, n_old))), 5, 60000).astype(
                int
            ),
            "customer_since": random_days(
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
    band = size_band_of(acc["employees"].to_numpy())
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
    """A unique registered name per account, built from a head and a trade word."""
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
