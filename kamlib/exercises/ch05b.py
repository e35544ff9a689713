"""Chapter 5 exercises (second workbook, 5.5-5.8): BG/NBD, Gamma-Gamma and CLV per member.

Every expected answer is recomputed from the membership data with kamlib. The calibration and
holdout dates, the horizon, the margin and the discount rate are settings the workbook gives
the student, not answers. The workbook prints the mean purchase rate and describes the 12-month
CLV per member, so the exercises ask for the spread of the purchase rates and a 24-month CLV.
"""

from __future__ import annotations

import functools

from kamlib import datasets, repeat_buying, spend_model
from kamlib.exercises.core import exercise

CALIBRATION_END = "2024-06-30"
OBSERVATION_END = "2024-12-31"
FREQUENT = 5  # repeat purchases that make a member a "frequent buyer" in exercise 5.7
MARGIN = 0.30
MONTHLY_DISCOUNT = 0.01
HORIZON_MONTHS = 24  # exercise 5.8: two years ahead


@functools.lru_cache(maxsize=1)
def _purchases():
    return datasets.load("member_purchases")


@functools.lru_cache(maxsize=1)
def _calibration():
    summary = repeat_buying.rfm_summary(
        _purchases(), calibration_end=CALIBRATION_END, observation_end=OBSERVATION_END
    )
    return summary, repeat_buying.BetaGeoModel().fit(summary)


@exercise(
    "5.5",
    kind="number",
    hint="Fit BetaGeoModel on the calibration summary (purchases up to 30 June 2024, time in "
    "weeks) and read r and alpha from params_; a gamma distribution with shape r and rate alpha "
    "has standard deviation sqrt(r) / alpha.",
)
def _purchase_rate_spread():
    _, model = _calibration()
    return float(model.params_["r"] ** 0.5 / model.params_["alpha"])


@exercise(
    "5.6",
    kind="number",
    hint="Use conditional_expected_purchases (or predict) with each member's "
    "duration_holdout, frequency, recency and T, and add up over all members.",
)
def _predicted_holdout_purchases():
    summary, model = _calibration()
    predicted = model.conditional_expected_purchases(
        summary["duration_holdout"], summary["frequency"], summary["recency"], summary["T"]
    )
    return float(predicted.sum())


@exercise(
    "5.7",
    kind="number",
    hint="Compute probability_alive for every member of the calibration summary, keep those "
    "with at least 5 repeat purchases, and count those below 0.5.",
)
def _frequent_buyers_probably_gone():
    summary, model = _calibration()
    alive = model.probability_alive(summary["frequency"], summary["recency"], summary["T"])
    return int(((summary["frequency"] >= FREQUENT) & (alive < 0.5)).sum())


@exercise(
    "5.8",
    kind="number",
    hint="Refit both models on the summary up to 31 December 2024, then call "
    "customer_lifetime_value with horizon=24, freq='M', discount_rate=0.01 and margin=0.3, "
    "and add up the clv column.",
)
def _total_clv():
    summary = repeat_buying.rfm_summary(_purchases(), calibration_end=OBSERVATION_END)
    bgnbd = repeat_buying.BetaGeoModel().fit(summary)
    spend = spend_model.GammaGammaModel().fit(summary)
    value = spend_model.customer_lifetime_value(
        bgnbd,
        spend,
        summary,
        horizon=HORIZON_MONTHS,
        discount_rate=MONTHLY_DISCOUNT,
        freq="M",
        margin=MARGIN,
    )
    return float(value["clv"].sum())
