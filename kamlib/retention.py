"""Whom to retain: the expected value an offer saves, a targeting list under a budget, and rules.

A retention offer is worth making when what it is expected to save exceeds what it costs::

    expected value saved = P(churn) x value at risk x P(offer works) - offer cost

P(offer works) is the share of would-be leavers the offer keeps (from an experiment such as
chapter 7's campaign). Ranking by churn score alone spends the budget on accounts that are
likely to go but worth little; ranking by value alone on accounts worth much but not leaving.

- :func:`expected_value_saved` adds the column;
- :func:`target_accounts` draws the list under a budget, by one of three rules;
- :func:`compare_rules` scores the three rules on held-out accounts whose churn is known.

>>> import pandas as pd
>>> d = pd.DataFrame({"p_churn": [0.5, 0.1], "value_at_risk": [10000.0, 50000.0]})
>>> expected_value_saved(d, p_offer_works=0.4, offer_cost=1000.0)["expected_value_saved"].tolist()
[1000.0, 1000.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.credit_risk import _name
from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    as_binary,
    check_choice,
    check_names,
    check_number,
    require_columns,
    require_frame,
    require_numeric,
)

__all__ = ["RULES", "compare_rules", "expected_value_saved", "target_accounts"]

#: Targeting rules: by expected value saved, by churn probability, by value at risk.
RULES = ("expected_value", "churn", "value")


def _inputs(data, func, churn_col, value_col, cost_col, offer_cost, p_offer_works):
    require_frame(data, func, name="data")
    for name, value in (("churn_col", churn_col), ("value_col", value_col)):
        _name(value, name, func)
    q = check_number(p_offer_works, "p_offer_works", func, low=0, high=1)
    require_columns(data, [churn_col, value_col], func)
    p = require_numeric(data, churn_col, func).to_numpy(dtype=float)
    if not np.isfinite(p).all() or ((p < 0) | (p > 1)).any():
        raise DataError(
            f"{func}: column '{churn_col}' must hold probabilities between 0 and 1 (no gaps), "
            f"found {p[~np.isfinite(p) | (p < 0) | (p > 1)][:3].tolist()}."
        )
    v = require_numeric(data, value_col, func).to_numpy(dtype=float)
    if not np.isfinite(v).all() or (v < 0).any():
        raise DataError(
            f"{func}: column '{value_col}' must hold values at risk of 0 or more (no gaps), "
            f"found {v[~np.isfinite(v) | (v < 0)][:3].tolist()}."
        )
    if (cost_col is None) == (offer_cost is None):
        raise ParameterError(
            f"{func}: give the cost of an offer either as one number 'offer_cost' or as a "
            "column 'cost_col', not both and not neither."
        )
    if cost_col is not None:
        _name(cost_col, "cost_col", func)
        require_columns(data, [cost_col], func)
        c = require_numeric(data, cost_col, func).to_numpy(dtype=float)
    else:
        c = np.full(len(data), check_number(offer_cost, "offer_cost", func, low=0))
    if not np.isfinite(c).all() or (c < 0).any():
        raise DataError(f"{func}: offer costs must be numbers of 0 or more (no gaps, no inf).")
    return p, v, c, q


def expected_value_saved(
    data: pd.DataFrame,
    *,
    p_offer_works: float,
    offer_cost: float | None = None,
    churn_col: str = "p_churn",
    value_col: str = "value_at_risk",
    cost_col: str | None = None,
) -> pd.DataFrame:
    """Add ``expected_value_saved`` = P(churn) x value at risk x P(offer works) - offer cost.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per account with its churn probability and value at risk.
    p_offer_works : float
        Share of would-be leavers the offer keeps, 0-1.
    offer_cost : float, optional
        Cost of one offer (CNY); or give ``cost_col``, a column of costs per account.
    churn_col, value_col, cost_col : str
        Columns of ``data``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``data`` with ``offer_cost`` (if given as a number) and
        ``expected_value_saved``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"p_churn": [0.3], "value_at_risk": [20000.0], "cost": [1500.0]})
    >>> float(expected_value_saved(d, p_offer_works=0.4, cost_col="cost").iloc[0, -1])
    900.0
    """
    func = "kamlib.retention.expected_value_saved"
    p, v, c, q = _inputs(data, func, churn_col, value_col, cost_col, offer_cost, p_offer_works)
    out = data.copy()
    if cost_col is None:
        out["offer_cost"] = c
    out["expected_value_saved"] = p * v * q - c
    return out


def _ranked(data, rule, budget, func, churn_col, value_col, cost_col, offer_cost, q):
    check_choice(rule, "rule", func, RULES)
    cash = check_number(budget, "budget", func, low=0)
    p, v, c, q = _inputs(data, func, churn_col, value_col, cost_col, offer_cost, q)
    saved = p * v * q - c
    score = {"expected_value": saved, "churn": p, "value": v}[rule]
    order = np.argsort(-score, kind="stable")
    if rule == "expected_value":
        order = order[saved[order] > 0]  # an offer expected to lose money is not made
    spent = np.cumsum(c[order])
    chosen = order[spent <= cash + 1e-9]
    return chosen, p, v, c, saved


def target_accounts(
    data: pd.DataFrame,
    *,
    budget: float,
    p_offer_works: float,
    rule: str = "expected_value",
    offer_cost: float | None = None,
    churn_col: str = "p_churn",
    value_col: str = "value_at_risk",
    cost_col: str | None = None,
) -> pd.DataFrame:
    """The accounts to make an offer to, best first, until the budget is spent.

    Accounts are ranked by ``rule`` ("expected_value": expected value saved, and only where it
    is positive; "churn": churn probability; "value": value at risk) and taken in that order
    while the running cost stays within ``budget``.

    Returns
    -------
    pandas.DataFrame
        The chosen rows of ``data`` in rank order with ``offer_cost``,
        ``expected_value_saved`` and ``cumulative_cost``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"p_churn": [0.6, 0.1, 0.3], "value_at_risk": [2000.0, 90000.0, 20000.0]},
    ...                  index=["A", "B", "C"])
    >>> # expected value saved: A 0.6*2000*0.5-1000 = -400 (no offer), B 3500, C 2000
    >>> target_accounts(d, budget=2000, p_offer_works=0.5, offer_cost=1000).index.tolist()
    ['B', 'C']
    >>> target_accounts(d, budget=2000, p_offer_works=0.5, offer_cost=1000,
    ...                 rule="churn").index.tolist()
    ['A', 'C']
    """
    func = "kamlib.retention.target_accounts"
    chosen, _p, _v, c, saved = _ranked(
        data, rule, budget, func, churn_col, value_col, cost_col, offer_cost, p_offer_works
    )
    out = data.iloc[chosen].copy()
    out["offer_cost"] = c[chosen]
    out["expected_value_saved"] = saved[chosen]
    out["cumulative_cost"] = np.cumsum(c[chosen])
    return out


def compare_rules(
    data: pd.DataFrame,
    *,
    budget: float,
    p_offer_works: float,
    offer_cost: float | None = None,
    rules=RULES,
    churn_col: str = "p_churn",
    value_col: str = "value_at_risk",
    churned_col: str = "churned",
    cost_col: str | None = None,
) -> pd.DataFrame:
    """Each targeting rule on held-out accounts: what it spends, reaches and actually saves.

    The plan of a rule is its expected value saved (from the probabilities). What it actually
    saves uses the churn that then happened: an offer keeps a real leaver with probability
    ``p_offer_works``, so the value saved is ``p_offer_works`` x (value at risk of the targeted
    accounts that churned) - the cost of all offers made.

    Returns
    -------
    pandas.DataFrame
        Index the rules; ``accounts`` targeted, ``spend``, ``churners_reached``,
        ``value_at_risk_reached`` (of those churners), ``planned_value_saved`` and
        ``value_saved``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"p_churn": [0.6, 0.1, 0.3], "value_at_risk": [2000.0, 90000.0, 28000.0],
    ...                   "churned": [True, False, True]})
    >>> t = compare_rules(d, budget=2000, p_offer_works=0.5, offer_cost=1000)
    >>> t["value_saved"].tolist()      # B, C: 0.5 x 28000 - 2000; A, C: 0.5 x 30000 - 2000
    [12000.0, 13000.0, 12000.0]
    """
    func = "kamlib.retention.compare_rules"
    _name(churned_col, "churned_col", func)
    names = check_names(list(rules) if isinstance(rules, tuple) else rules, "rules", func)
    for rule in names:
        check_choice(rule, "rules", func, RULES)
    require_frame(data, func, name="data")
    require_columns(data, [churned_col], func)
    churned = as_binary(data[churned_col], churned_col, func)
    rows = []
    for rule in names:
        chosen, p, v, c, saved = _ranked(
            data, rule, budget, func, churn_col, value_col, cost_col, offer_cost, p_offer_works
        )
        q = float(p_offer_works)
        hit = churned[chosen]
        reached = float(v[chosen][hit].sum())
        rows.append(
            {
                "rule": rule,
                "accounts": len(chosen),
                "spend": float(c[chosen].sum()),
                "churners_reached": int(hit.sum()),
                "value_at_risk_reached": reached,
                "planned_value_saved": float(saved[chosen].sum()),
                "value_saved": q * reached - float(c[chosen].sum()),
            }
        )
    return pd.DataFrame(rows).set_index("rule")
