"""A risk register: each risk with its likelihood, impact, score, owner and mitigation.

The register is the table a key-account team keeps and reviews: one row per risk, rated on a
1-5 scale for how likely it is (in the coming year) and how much it would hurt, scored as
likelihood x impact (1 to 25) and sorted so the worst come first. :func:`likelihood_level` and
:func:`impact_level` turn the analysis (a probability, a share of profit at stake) into the
1-5 levels with stated cut-offs, so the ratings come from the data rather than from a mood.

>>> from kamlib.risk_register import risk_register
>>> register = risk_register([
...     {"risk": "Top account leaves", "likelihood": 2, "impact": 5,
...      "owner": "Key account manager", "mitigation": "Quarterly business review"},
...     {"risk": "Invoices over 90 days", "likelihood": 4, "impact": 2,
...      "owner": "Credit controller", "mitigation": "Stop deliveries above limit"}])
>>> register[["risk", "score", "rating"]].to_dict("records")
[{'risk': 'Top account leaves', 'score': 10, 'rating': 'medium'}, {'risk': 'Invoices over 90 days', 'score': 8, 'rating': 'medium'}]
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from kamlib.errors import DataError, ParameterError
from kamlib.validation import check_number, require_columns, require_no_missing

__all__ = [
    "IMPACT_CUTS",
    "LIKELIHOOD_CUTS",
    "RATING_CUTS",
    "impact_level",
    "likelihood_level",
    "risk_register",
]

#: Upper ends of likelihood levels 1-4 (probability within a year); above the last is level 5:
#: rare (< 5%), unlikely (< 20%), possible (< 50%), likely (< 80%), almost certain.
LIKELIHOOD_CUTS = (0.05, 0.20, 0.50, 0.80)
#: Upper ends of impact levels 1-4 as a share of the year's profit at stake; above is level 5:
#: minor (< 1%), moderate (< 5%), serious (< 10%), major (< 25%), severe.
IMPACT_CUTS = (0.01, 0.05, 0.10, 0.25)
#: Scores (likelihood x impact) from which a risk is rated "medium" and "high".
RATING_CUTS = (5, 12)

REQUIRED = ("risk", "likelihood", "impact", "owner", "mitigation")


def _level(value, cuts, name: str, func: str) -> int:
    value = check_number(value, name, func, low=0)
    return int(np.searchsorted(np.array(cuts), value, side="right")) + 1


def likelihood_level(probability) -> int:
    """Likelihood level 1-5 of a probability within a year (cut-offs :data:`LIKELIHOOD_CUTS`).

    Examples
    --------
    >>> likelihood_level(0.03), likelihood_level(0.35), likelihood_level(0.9)
    (1, 3, 5)
    """
    func = "kamlib.risk_register.likelihood_level"
    check_number(probability, "probability", func, low=0, high=1)
    return _level(probability, LIKELIHOOD_CUTS, "probability", func)


def impact_level(share) -> int:
    """Impact level 1-5 of the share of a year's profit at stake (cut-offs :data:`IMPACT_CUTS`).

    A share above 1 (more than the whole profit) is level 5.

    Examples
    --------
    >>> impact_level(0.004), impact_level(0.07), impact_level(0.6)
    (1, 3, 5)
    """
    return _level(share, IMPACT_CUTS, "share", "kamlib.risk_register.impact_level")


def risk_register(risks) -> pd.DataFrame:
    """The register as a table, worst risk first.

    Parameters
    ----------
    risks : list of dict or pandas.DataFrame
        One entry per risk with ``risk`` (what could happen), ``likelihood`` and ``impact``
        (whole numbers 1-5), ``owner`` (who watches it and acts) and ``mitigation`` (what is
        done to make it less likely or less harmful); other keys (e.g. ``evidence``, the
        figure the rating rests on) are kept.

    Returns
    -------
    pandas.DataFrame
        The entries with ``score`` = likelihood x impact (1-25) and ``rating``: ``high`` from
        12, ``medium`` from 5, else ``low`` (:data:`RATING_CUTS`), sorted by score, then
        impact (ties keep their order).
    """
    func = "kamlib.risk_register.risk_register"
    if isinstance(risks, pd.DataFrame):
        table = risks.copy()
    elif isinstance(risks, list | tuple) and all(isinstance(r, dict) for r in risks):
        table = pd.DataFrame(list(risks))
    else:
        raise ParameterError(
            f"{func}: 'risks' must be a list of dicts or a DataFrame with columns "
            f"{list(REQUIRED)}, got {type(risks).__name__}."
        )
    if table.empty:
        raise DataError(f"{func}: the register has no risk. Give at least one entry.")
    require_columns(table, REQUIRED, func)
    for column in REQUIRED:
        require_no_missing(table, column, func, what="entry")
    for column in ("likelihood", "impact"):
        values = table[column]
        good = values.map(
            lambda v: isinstance(v, numbers.Integral) and not isinstance(v, bool) and 1 <= v <= 5
        )
        if not good.all():
            raise DataError(
                f"{func}: column '{column}' must hold whole numbers from 1 to 5, found "
                f"{values[~good].head(3).tolist()}. Use likelihood_level / impact_level to "
                "turn a probability or a share of profit into a level."
            )
        table[column] = values.astype("int64")
    for column in ("risk", "owner", "mitigation"):
        blank = table[column].map(lambda v: not isinstance(v, str) or not v.strip())
        if blank.any():
            raise DataError(
                f"{func}: column '{column}' must be filled with text in every row; "
                f"{int(blank.sum())} entry(ies) are blank or not text. Every risk needs an "
                "owner and a mitigation."
            )
    table["score"] = table["likelihood"] * table["impact"]
    medium, high = RATING_CUTS
    table["rating"] = np.select(
        [table["score"] >= high, table["score"] >= medium], ["high", "medium"], "low"
    )
    table = table.sort_values(["score", "impact"], ascending=False, kind="stable")
    return table.reset_index(drop=True)
