"""The yearly satisfaction survey: attribute ratings, CSAT and NPS."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.datasets.world import GO_LIVE, SATISFACTION_DRIVERS


def simulate_surveys(
    rng, acc: pd.DataFrame, hidden: pd.DataFrame, lost: np.ndarray
) -> pd.DataFrame:
    """Each November's survey of about 45% of the active accounts."""
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
