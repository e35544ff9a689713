"""The consumer-side world: an online retailer's membership programme.

Members join between January 2022 and June 2024 with a first purchase. After that each member
buys as a BG/NBD customer (Fader, Hardie & Lee 2005): while "alive", purchases arrive as a
Poisson process with rate lambda ~ Gamma(r, alpha) per week, and after each purchase the member
drops out for good with probability p ~ Beta(a, b) after each repeat purchase. Basket values follow the Gamma-Gamma model:
each member has a spend rate nu ~ Gamma(q, gamma), and each basket is Gamma(p, nu), so a
member's mean basket is independent of how often they buy. Every purchase earns one point per
yuan; points are redeemed in blocks of 500 and expire at the end of the year after they were
earned (oldest first). Member traits (city tier, age, channel) do not affect behaviour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.validation import check_seed

END = pd.Timestamp("2024-12-31")
N_MEMBERS = 12000
MEMBERSHIP_TRUTH = {
    "n_members": N_MEMBERS,
    "time_unit": "week",
    "join_period": ["2022-01-01", "2024-06-30"],
    "observation_end": str(END.date()),
    "bgnbd": {"r": 0.55, "alpha": 6.0, "a": 0.75, "b": 3.2},
    "gamma_gamma": {"p": 5.5, "q": 3.2, "gamma": 120.0},
    "points": {
        "earn_per_cny": 1,
        "redeem_block": 500,
        "redeem_probability": 0.35,
        "expiry": "31 Dec of the year after earning",
    },
}


def _purchase_times(rng, n: int, horizon_weeks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Repeat-purchase times (weeks after joining) of ``n`` BG/NBD customers."""
    t = MEMBERSHIP_TRUTH["bgnbd"]
    lam = rng.gamma(t["r"], 1 / t["alpha"], n)
    drop = rng.beta(t["a"], t["b"], n)
    clock = np.zeros(n)
    alive = np.ones(n, dtype=bool)  # BG/NBD: drop-out can follow repeat purchases only
    who, when = [], []
    while alive.any():
        idx = np.flatnonzero(alive)
        clock[idx] += rng.exponential(1 / lam[idx])
        inside = clock[idx] < horizon_weeks[idx]
        who.append(idx[inside])
        when.append(clock[idx][inside])
        alive[idx[~inside]] = False
        alive[idx[inside]] = rng.random(inside.sum()) >= drop[idx[inside]]
    return np.concatenate(who), np.concatenate(when)


def simulate_membership(seed: int) -> dict[str, pd.DataFrame]:
    """Simulate the members, their purchases and the points ledger."""
    seed = check_seed(seed, "kamlib.datasets.membership.simulate_membership")
    rng = np.random.default_rng([seed, 2])  # a stream of its own, apart from the B2B world
    n = N_MEMBERS
    start = pd.Timestamp(MEMBERSHIP_TRUTH["join_period"][0])
    span = (pd.Timestamp(MEMBERSHIP_TRUTH["join_period"][1]) - start).days
    join = start + pd.to_timedelta(np.sort(rng.integers(0, span + 1, n)), unit="D")
    members = pd.DataFrame(
        {
            "member_id": [f"M{i:06d}" for i in range(1, n + 1)],
            "join_date": join,
            "city_tier": rng.choice(["1", "2", "3"], n, p=[0.3, 0.45, 0.25]),
            "age_band": rng.choice(
                ["18-24", "25-34", "35-44", "45-54", "55+"], n, p=[0.14, 0.36, 0.27, 0.15, 0.08]
            ),
            "acquisition_channel": rng.choice(
                ["search", "social", "referral", "marketplace"], n, p=[0.3, 0.3, 0.15, 0.25]
            ),
        }
    )
    horizon = ((END - join).days.to_numpy() + 1) / 7
    who, when = _purchase_times(rng, n, horizon)
    days = np.floor(when * 7).astype(int)
    member_idx = np.concatenate([np.arange(n), who])
    purchase_day = np.concatenate([np.zeros(n, dtype=int), days])
    g = MEMBERSHIP_TRUTH["gamma_gamma"]
    nu = rng.gamma(g["q"], 1 / g["gamma"], n)
    amount = np.round(rng.gamma(g["p"], 1 / nu[member_idx]), 2)
    purchases = pd.DataFrame(
        {
            "m": member_idx,
            "purchase_date": join.to_numpy()[member_idx] + purchase_day.astype("timedelta64[D]"),
            "amount_cny": np.maximum(amount, 0.01),
        }
    ).sort_values(["purchase_date", "m"], kind="stable")
    purchases.insert(0, "transaction_id", [f"T{i:07d}" for i in range(1, len(purchases) + 1)])
    purchases.insert(1, "member_id", members["member_id"].to_numpy()[purchases["m"].to_numpy()])
    purchases = purchases.drop(columns="m").reset_index(drop=True)
    points = _points_ledger(rng, purchases)
    return {"members": members, "member_purchases": purchases, "member_points": points}


def _points_ledger(rng, purchases: pd.DataFrame) -> pd.DataFrame:
    """Earn, redeem and expire points member by member, oldest points used first."""
    rules = MEMBERSHIP_TRUTH["points"]
    block = rules["redeem_block"]
    rows = []
    redeem_draws = iter(rng.random(len(purchases)))
    for member, group in purchases.groupby("member_id", sort=True):
        buckets: dict[int, int] = {}  # points left by the year they were earned
        for tx, date, amount in zip(
            group["transaction_id"], group["purchase_date"], group["amount_cny"], strict=True
        ):
            _expire(rows, member, buckets, date)
            earned = int(amount) * rules["earn_per_cny"]
            buckets[date.year] = buckets.get(date.year, 0) + earned
            rows.append((member, date, "earn", earned, tx))
            balance = sum(buckets.values())
            if balance >= block and next(redeem_draws) < rules["redeem_probability"]:
                spend = block * (balance // block)
                rows.append((member, date, "redeem", -spend, None))
                for year in sorted(buckets):
                    used = min(spend, buckets[year])
                    buckets[year] -= used
                    spend -= used
        _expire(rows, member, buckets, END + pd.Timedelta(days=1))
    ledger = pd.DataFrame(
        rows, columns=["member_id", "entry_date", "entry_type", "points", "transaction_id"]
    )
    order = {"earn": 0, "redeem": 1, "expire": 2}
    ledger = ledger.assign(o=ledger["entry_type"].map(order)).sort_values(
        ["entry_date", "member_id", "o"], kind="stable"
    )
    ledger.insert(0, "entry_id", [f"E{i:07d}" for i in range(1, len(ledger) + 1)])
    return ledger.drop(columns="o").reset_index(drop=True)


def _expire(rows: list, member: str, buckets: dict[int, int], before: pd.Timestamp) -> None:
    """Points earned in year Y lapse on 31 December of Y + 1."""
    for year in sorted(buckets):
        lapse = pd.Timestamp(year=year + 1, month=12, day=31)
        if lapse < before and buckets[year] > 0:
            rows.append((member, lapse, "expire", -buckets[year], None))
            buckets[year] = 0
