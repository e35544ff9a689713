"""Chapter 3 exercises: selecting key accounts (AHP, scorecard, sensitivity) and prospecting.

Every expected answer is recomputed from the course data (as of 31 December 2024) with kamlib.
The sales director's judgements and the scorecard scales below are the inputs the workbook
gives the student (they are data, not answers).
"""

from __future__ import annotations

import functools
import warnings

from kamlib import datasets, prospects, selection
from kamlib.exercises.core import exercise

AS_OF = "2024-12-31"
MAIN = ["strategic_fit", "business_contribution", "cooperation_stability"]
MAIN_JUDGEMENTS = {
    ("strategic_fit", "business_contribution"): 1 / 2,
    ("strategic_fit", "cooperation_stability"): 2,
    ("business_contribution", "cooperation_stability"): 3,
}
CONTRIBUTION = ["gross_profit_cny", "gross_margin", "share_of_wallet"]
CONTRIBUTION_JUDGEMENTS = {
    ("gross_profit_cny", "gross_margin"): 4,
    ("gross_profit_cny", "share_of_wallet"): 2,
    ("gross_margin", "share_of_wallet"): 1 / 3,
}
STABILITY = ["tenure_years", "order_regularity"]
STABILITY_JUDGEMENTS = {("tenure_years", "order_regularity"): 1 / 2}
SCALES = {
    "strategic_fit": (1, 5),
    "gross_profit_cny": "rank",
    "gross_margin": "minmax",
    "share_of_wallet": (0, 1),
    "tenure_years": "minmax",
    "order_regularity": (0, 1),
}
CUT_DATE = "2024-01-01"


@functools.lru_cache(maxsize=1)
def _criteria():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # lost accounts are left out on purpose
        return selection.account_criteria(
            datasets.load("accounts"), datasets.load("orders"), as_of=AS_OF
        )


def _ahp(names, judgements):
    return selection.ahp_weights(selection.pairwise_matrix(judgements, names))


def _weights():
    return selection.hierarchy_weights(
        _ahp(MAIN, MAIN_JUDGEMENTS),
        {
            "business_contribution": _ahp(CONTRIBUTION, CONTRIBUTION_JUDGEMENTS),
            "cooperation_stability": _ahp(STABILITY, STABILITY_JUDGEMENTS),
        },
    )


@functools.lru_cache(maxsize=1)
def _prospects():
    leads = datasets.load("prospects")
    early = leads[leads["first_contact_date"] < CUT_DATE]
    late = leads[leads["first_contact_date"] >= CUT_DATE]
    return early, late


#: Exercises 3.1 and 3.2: the director now rates margin as important as share of wallet.
REVISED_JUDGEMENTS = CONTRIBUTION_JUDGEMENTS | {("gross_margin", "share_of_wallet"): 1}


@exercise(
    "3.1",
    kind="number",
    hint="Build the revised matrix with selection.pairwise_matrix, then read .cr from "
    "selection.ahp_weights; CR = CI / RI with RI(3) = 0.58.",
)
def _revised_contribution_cr():
    return _ahp(CONTRIBUTION, REVISED_JUDGEMENTS).cr


@exercise(
    "3.2",
    kind="number",
    hint="Derive the revised contribution weights, combine them with the main weights in "
    "selection.hierarchy_weights, and read share_of_wallet (global = main x local weight).",
)
def _revised_global_weight_share_of_wallet():
    revised = selection.hierarchy_weights(
        _ahp(MAIN, MAIN_JUDGEMENTS),
        {
            "business_contribution": _ahp(CONTRIBUTION, REVISED_JUDGEMENTS),
            "cooperation_stability": _ahp(STABILITY, STABILITY_JUDGEMENTS),
        },
    )
    return revised["share_of_wallet"]


@exercise(
    "3.3",
    kind="set",
    hint="Use the same weights, but pass scales='minmax' so every criterion is min-max scaled.",
)
def _top10_minmax():
    card = selection.scorecard(_criteria(), weights=_weights(), scales="minmax")
    return card.index[:10].tolist()


@exercise(
    "3.4",
    kind="number",
    hint="Run selection.ranking_sensitivity with top_n=40 (grid=[0.0] is enough) and read the "
    "row for strategic_fit with weight 0.",
)
def _kept_in_top40_without_fit():
    table = selection.ranking_sensitivity(
        _criteria(), _weights(), top_n=40, grid=[0.0], scales=SCALES
    )
    row = table[(table["criterion"] == "strategic_fit") & (table["weight"] == 0)]
    return float(row["share_kept"].iloc[0])


@exercise(
    "3.5",
    kind="number",
    hint="Profile the top 50 of the scorecard against all active accounts by size_band; "
    "lift = share among the best / share among all.",
)
def _enterprise_lift_top50():
    criteria = _criteria()
    card = selection.scorecard(criteria, weights=_weights(), scales=SCALES)
    accounts = datasets.load("accounts")
    active = accounts[accounts["account_id"].isin(criteria.index)]
    profile = prospects.persona(active, card.index[:50].tolist(), features=["size_band"])
    return float(profile.loc[profile["level"] == "Enterprise", "lift"].iloc[0])


@exercise(
    "3.6",
    kind="number",
    hint="Fit LookalikeModel() on prospects first contacted before 2024, evaluate it on the rest "
    "with n_bins=4, and read cum_share_conversions in band 1 of the gains table.",
)
def _captured_top_quarter():
    early, late = _prospects()
    result = prospects.evaluate(prospects.LookalikeModel().fit(early), late, n_bins=4)
    return float(result.gains.loc[result.gains["band"] == 1, "cum_share_conversions"].iloc[0])


@exercise(
    "3.7",
    kind="number",
    hint="Split the funnel by lead_source; the step conversion at 'proposal' is proposals "
    "divided by qualified leads.",
)
def _referral_qualified_to_proposal():
    table = prospects.funnel(datasets.load("prospects"), by="lead_source")
    row = table[(table["lead_source"] == "referral") & (table["stage"] == "proposal")]
    return float(row["step_conversion"].iloc[0])
