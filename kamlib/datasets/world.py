"""The world of Huaxin Industrial Supply: its calendar, the true parameters of every table, and
the random streams.

Every number the methods of the course should recover is a constant here, and :func:`truth`
publishes them (``datasets/true_parameters.json``). To build a variant of the data for a class,
change a constant here and run ``python -m kamlib.datasets.generate``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.datasets.schemas import CATEGORIES, SIZE_BANDS

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
            "satisfaction_links": {  # per sd of the hidden satisfaction (mean 0, sd 1)
                "share_of_wallet_log_odds": 0.4,
                "churn_log_hazard_ratio": CHURN["satisfaction"],
            },
            "survey_scores": {
                "csat": "round(3.6 + 0.9 satisfaction + N(0, 0.5)), clipped to 1-5",
                "csat_loading": 0.9,
                "nps": "round(7.2 + 1.8 satisfaction + N(0, 1.2)), clipped to 0-10",
                "nps_loading": 1.8,
            },
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


def spawn_streams(seed: int, n: int) -> list[np.random.Generator]:
    """Independent random streams, so changing one table never shifts another."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(n)]


def size_band_of(employees: np.ndarray) -> np.ndarray:
    """Index of the size band (0 = Small ... 3 = Enterprise) of each headcount."""
    return np.searchsorted(np.array(SIZE_LIMITS), employees, side="right")


def random_days(rng, low: pd.Timestamp, high: pd.Timestamp, n: int) -> pd.DatetimeIndex:
    """n dates drawn uniformly between low and high (inclusive)."""
    span = (high - low).days
    return low + pd.to_timedelta(rng.integers(0, span + 1, n), unit="D")
