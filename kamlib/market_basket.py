"""Cross-selling from purchase records: basket rules, next best offers and how to judge them.

A **basket** is what was bought together: the categories on one order, or everything an
account bought in a period. An association rule ``A -> C`` is read with three numbers
(Agrawal and Srikant's frequent itemsets, computed by mlxtend's ``fpgrowth``):

* **support**: the share of baskets holding both A and C;
* **confidence**: the share of baskets with A that also hold C, ``support(A+C) / support(A)``;
* **lift**: confidence over C's own share, ``confidence / support(C)``; 1 means A says
  nothing about C.

:func:`next_best_offers` turns the rules into one or more offers per account of categories it
has not bought yet (or, without rules, the most popular ones: the baseline any rule must
beat). :func:`first_new_items` and :func:`offer_hit_rate` judge the offers on a later period.

>>> lines = pd.DataFrame({"order_id": [1, 1, 2, 3, 3],
...                      "product_category": ["Tools", "Safety", "Tools", "Tools", "Safety"]})
>>> basket_matrix(lines).sum().to_dict()
{'Safety': 2, 'Tools': 3}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.errors import DataError
from kamlib.validation import (
    check_number,
    require_columns,
    require_dates,
    require_frame,
    require_no_missing,
    require_numeric,
)

__all__ = [
    "basket_matrix",
    "basket_rules",
    "first_new_items",
    "next_best_offers",
    "offer_hit_rate",
]

_MOD = "kamlib.market_basket."


def basket_matrix(
    lines: pd.DataFrame, *, basket_col: str = "order_id", item_col: str = "product_category"
) -> pd.DataFrame:
    """One row per basket, one True/False column per item: was it in the basket?

    Items become text column names (mlxtend needs plain ``str``; numpy strings crash it).

    Parameters
    ----------
    lines : pandas.DataFrame
        One row per line bought (e.g. ``order_lines``, or order lines joined with their
        account to make account baskets with ``basket_col="account_id"``).
    basket_col, item_col : str
        The basket id and the item (category) columns. Basket ids are labels: numbers, text or
        a mix of both name a basket (infinite numbers are refused).

    Returns
    -------
    pandas.DataFrame
        Booleans, index the basket ids, columns the items in alphabetical order.

    Examples
    --------
    >>> lines = pd.DataFrame({"order_id": [1, 1, 2], "product_category": ["b", "a", "b"]})
    >>> m = basket_matrix(lines)
    >>> m.columns.tolist(), m.index.tolist(), m.values.tolist()
    (['a', 'b'], [1, 2], [[True, True], [False, True]])
    """
    func = _MOD + "basket_matrix"
    require_frame(lines, func, name="lines")
    require_columns(lines, [basket_col, item_col], func)
    require_no_missing(lines, basket_col, func, what="basket id")
    require_no_missing(lines, item_col, func, what="item")
    if pd.api.types.is_numeric_dtype(lines[basket_col]):
        require_numeric(lines, basket_col, func)  # refuses infinite ids
    items = lines[item_col].astype(str)
    matrix = pd.crosstab(lines[basket_col], items) > 0
    matrix.columns = [str(c) for c in matrix.columns]
    matrix.index.name = basket_col
    return matrix


def basket_rules(
    baskets: pd.DataFrame,
    *,
    min_support: float = 0.01,
    min_confidence: float = 0.0,
    max_len: int | None = 3,
) -> pd.DataFrame:
    """Association rules ``antecedent -> consequent`` with support, confidence and lift.

    Frequent itemsets come from mlxtend's ``fpgrowth`` and the rules from its
    ``association_rules``; only rules with one item on the right (one offer) are kept, sorted
    by lift, then confidence.

    Parameters
    ----------
    baskets : pandas.DataFrame
        Output of :func:`basket_matrix` (True/False per basket and item).
    min_support : float
        Smallest share of baskets an itemset must reach (0 < min_support <= 1).
    min_confidence : float
        Smallest confidence a rule must reach.
    max_len : int or None
        Largest itemset (antecedent plus consequent); None for no limit.

    Returns
    -------
    pandas.DataFrame
        ``antecedent`` (items joined by " + "), ``consequent``, ``antecedent_items`` (a
        frozenset), ``support``, ``confidence``, ``lift``, ``antecedent_support``,
        ``consequent_support``.

    Examples
    --------
    >>> b = pd.DataFrame({"a": [True, True, False, True], "b": [True, True, True, False]})
    >>> basket_rules(b, min_support=0.5)[["antecedent", "consequent", "support", "confidence",
    ...                                   "lift"]].round(3)
      antecedent consequent  support  confidence   lift
    0          a          b      0.5       0.667  0.889
    1          b          a      0.5       0.667  0.889
    """
    from mlxtend.frequent_patterns import association_rules, fpgrowth

    func = _MOD + "basket_rules"
    require_frame(baskets, func, name="baskets")
    min_support = check_number(min_support, "min_support", func, low=0, high=1, low_inclusive=False)
    min_confidence = check_number(min_confidence, "min_confidence", func, low=0, high=1)
    if max_len is not None:
        max_len = check_number(max_len, "max_len", func, low=2, integer=True)
    odd = [c for c in baskets.columns if not pd.api.types.is_bool_dtype(baskets[c])]
    if odd:
        raise DataError(
            f"{func}: every column of 'baskets' must be True/False, found {odd[:3]}. Build the "
            "table with basket_matrix(...)."
        )
    if baskets.shape[1] < 2:
        raise DataError(f"{func}: 'baskets' needs at least two items to make a rule.")
    frame = baskets.copy()
    frame.columns = [str(c) for c in frame.columns]
    itemsets = fpgrowth(frame, min_support=min_support, use_colnames=True, max_len=max_len)
    columns = [
        "antecedent",
        "consequent",
        "antecedent_items",
        "support",
        "confidence",
        "lift",
        "antecedent_support",
        "consequent_support",
    ]
    if (itemsets["itemsets"].map(len) > 1).sum() == 0:
        return pd.DataFrame(columns=columns)
    rules = association_rules(
        itemsets,
        num_itemsets=len(frame),
        metric="confidence",
        min_threshold=min_confidence,
        # Only the measures used here: the others divide by zero for an item in every basket.
        return_metrics=[
            "antecedent support",
            "consequent support",
            "support",
            "confidence",
            "lift",
        ],
    )
    rules = rules[rules["consequents"].map(len) == 1]
    out = pd.DataFrame(
        {
            "antecedent": rules["antecedents"].map(lambda s: " + ".join(sorted(s))),
            "consequent": rules["consequents"].map(lambda s: next(iter(s))),
            "antecedent_items": rules["antecedents"].map(frozenset),
            "support": rules["support"],
            "confidence": rules["confidence"],
            "lift": rules["lift"],
            "antecedent_support": rules["antecedent support"],
            "consequent_support": rules["consequent support"],
        }
    )
    out = out.sort_values(
        ["lift", "confidence", "antecedent", "consequent"],
        ascending=[False, False, True, True],
        kind="stable",
    )
    return out.reset_index(drop=True)[columns]


def _history(history, customer_col, item_col, func) -> pd.Series:
    require_frame(history, func, name="history")
    require_columns(history, [customer_col, item_col], func)
    require_no_missing(history, customer_col, func, what="account id")
    require_no_missing(history, item_col, func, what="item")
    return history.groupby(history[customer_col].astype(str))[item_col].agg(
        lambda s: frozenset(s.astype(str))
    )


def next_best_offers(
    history: pd.DataFrame,
    rules: pd.DataFrame | None = None,
    *,
    n_offers: int = 1,
    customer_col: str = "account_id",
    item_col: str = "product_category",
) -> pd.DataFrame:
    """Offers per account of items it has not bought yet, best first.

    With ``rules`` (from :func:`basket_rules`), an unbought item scores the highest confidence
    of a rule whose antecedent the account has all bought and whose consequent is the item;
    items no rule reaches follow, by popularity. Without rules, items are offered by
    popularity alone (the number of accounts in ``history`` that bought them): the baseline.
    Ties go alphabetically. An empty rules table (no rule reached the thresholds) is accepted
    and gives the popularity offers.

    Parameters
    ----------
    history : pandas.DataFrame
        What each account bought (one row per line or per account and item).
    rules : pandas.DataFrame, optional
        Output of :func:`basket_rules`.
    n_offers : int
        Offers per account (fewer if it has bought almost everything).

    Returns
    -------
    pandas.DataFrame
        ``account_id`` (or ``customer_col``), ``rank`` (1 = best), ``offer``, ``score`` (the
        rule's confidence, NaN for a popularity offer), ``source`` (``"rule"`` or
        ``"popularity"``).

    Examples
    --------
    >>> hist = pd.DataFrame({"account_id": ["A", "B", "B", "C", "C"],
    ...                      "product_category": ["x", "x", "y", "y", "z"]})
    >>> next_best_offers(hist)[["account_id", "offer"]].values.tolist()
    [['A', 'y'], ['B', 'z'], ['C', 'x']]
    """
    func = _MOD + "next_best_offers"
    n_offers = check_number(n_offers, "n_offers", func, low=1, integer=True)
    bought = _history(history, customer_col, item_col, func)
    popularity = (
        history.drop_duplicates([customer_col, item_col])[item_col].astype(str).value_counts()
    )
    items = sorted(popularity.index, key=lambda i: (-popularity[i], i))
    if rules is not None:
        require_frame(rules, func, name="rules", allow_empty=True)
        require_columns(rules, ["antecedent_items", "consequent", "confidence"], func)
        for column in ("antecedent_items", "consequent"):
            require_no_missing(rules, column, func, what="rule part")
        confidence = require_numeric(rules, "confidence", func)
        if ((confidence < 0) | (confidence > 1)).any():
            raise DataError(
                f"{func}: column 'confidence' must hold shares between 0 and 1. Pass the output "
                "of basket_rules."
            )
        odd = [a for a in rules["antecedent_items"] if not isinstance(a, frozenset | set)]
        if odd:
            raise DataError(
                f"{func}: column 'antecedent_items' must hold sets of items, found "
                f"{odd[:3]}. Pass the output of basket_rules."
            )
    accounts = list(bought.index)
    best = _rule_scores(bought, rules) if rules is not None else {}
    rows = []
    for account in accounts:
        have = bought[account]
        scores = best.get(account, {})
        ranked = sorted(scores, key=lambda i: (-scores[i], i))
        ranked += [i for i in items if i not in have and i not in scores]
        for rank, item in enumerate(ranked[:n_offers], start=1):
            rows.append(
                {
                    customer_col: account,
                    "rank": rank,
                    "offer": item,
                    "score": scores.get(item, np.nan),
                    "source": "rule" if item in scores else "popularity",
                }
            )
    return pd.DataFrame(rows, columns=[customer_col, "rank", "offer", "score", "source"])


def _rule_scores(bought: pd.Series, rules: pd.DataFrame) -> dict:
    """Per account, the best confidence of the rules that apply to it, for each unbought item.

    A rule applies when the account has bought every item of its antecedent; computed for all
    accounts at once as a product of 0/1 matrices.
    """
    antecedents = [frozenset(str(i) for i in a) for a in rules["antecedent_items"]]
    consequents = rules["consequent"].astype(str).tolist()
    confidence = rules["confidence"].to_numpy(dtype=float)
    universe = sorted(set().union(*bought.tolist(), *antecedents, consequents))
    col = {item: j for j, item in enumerate(universe)}
    have = np.zeros((len(bought), len(universe)), dtype=int)
    for row, items in enumerate(bought):
        have[row, [col[i] for i in items]] = 1
    ante = np.zeros((len(antecedents), len(universe)), dtype=int)
    for row, items in enumerate(antecedents):
        ante[row, [col[i] for i in items]] = 1
    applies = (have @ ante.T) == ante.sum(axis=1)  # accounts x rules
    score = np.full(have.shape, -1.0)
    for r, item in enumerate(consequents):
        j = col[item]
        score[:, j] = np.maximum(score[:, j], np.where(applies[:, r], confidence[r], -1.0))
    score[have == 1] = -1.0  # never offer what the account already buys
    out = {}
    for row, account in enumerate(bought.index):
        hit = np.flatnonzero(score[row] >= 0)
        if len(hit):
            out[account] = {universe[j]: float(score[row, j]) for j in hit}
    return out


def first_new_items(
    history: pd.DataFrame,
    later: pd.DataFrame,
    *,
    customer_col: str = "account_id",
    item_col: str = "product_category",
    date_col: str = "order_date",
) -> pd.DataFrame:
    """The first item each account bought in a later period that it had not bought before.

    Accounts of ``later`` with no new item are left out; an account missing from ``history``
    counts as having bought nothing before. Lines on the same day keep their order in
    ``later``.

    Returns
    -------
    pandas.DataFrame
        ``account_id`` (or ``customer_col``), ``first_new_item``, ``date``.

    Examples
    --------
    >>> hist = pd.DataFrame({"account_id": ["A", "B"], "product_category": ["x", "y"]})
    >>> later = pd.DataFrame({"account_id": ["A", "A", "B"],
    ...                       "product_category": ["x", "z", "y"],
    ...                       "order_date": pd.to_datetime(["2024-01-05", "2024-02-01",
    ...                                                     "2024-01-09"])})
    >>> first_new_items(hist, later)[["account_id", "first_new_item"]].values.tolist()
    [['A', 'z']]
    """
    func = _MOD + "first_new_items"
    bought = _history(history, customer_col, item_col, func)
    require_frame(later, func, name="later")
    require_columns(later, [customer_col, item_col, date_col], func)
    require_no_missing(later, customer_col, func, what="account id")
    require_no_missing(later, item_col, func, what="item")
    dates = require_dates(later, date_col, func)
    frame = pd.DataFrame(
        {
            "id": later[customer_col].astype(str).to_numpy(),
            "item": later[item_col].astype(str).to_numpy(),
            "date": dates.to_numpy(),
        }
    )
    frame = frame.sort_values("date", kind="stable")
    before = frame["id"].map(bought)
    new = [
        not (isinstance(h, frozenset) and i in h)
        for h, i in zip(before, frame["item"], strict=True)
    ]
    first = frame[np.array(new, dtype=bool)].drop_duplicates("id")
    out = first.rename(columns={"id": customer_col, "item": "first_new_item"})
    return out.sort_values(customer_col).reset_index(drop=True)


def offer_hit_rate(
    offers: pd.DataFrame,
    outcome: pd.DataFrame,
    *,
    customer_col: str = "account_id",
    alpha: float = 0.05,
) -> pd.Series:
    """Share of accounts whose first new item (the outcome) was among their offers, with a CI.

    Only accounts in both tables count: an account that bought nothing new says nothing about
    which offer was right. The interval is Wilson's (statsmodels ``proportion_confint``).

    Parameters
    ----------
    offers : pandas.DataFrame
        Output of :func:`next_best_offers`.
    outcome : pandas.DataFrame
        Output of :func:`first_new_items`.

    Returns
    -------
    pandas.Series
        ``accounts``, ``hits``, ``hit_rate``, ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> offers = pd.DataFrame({"account_id": ["A", "B", "C"], "offer": ["x", "y", "z"]})
    >>> outcome = pd.DataFrame({"account_id": ["A", "B"], "first_new_item": ["x", "x"]})
    >>> offer_hit_rate(offers, outcome)[["accounts", "hits", "hit_rate"]].tolist()
    [2.0, 1.0, 0.5]
    """
    from statsmodels.stats.proportion import proportion_confint

    func = _MOD + "offer_hit_rate"
    alpha = check_number(alpha, "alpha", func, low=0, high=0.5, low_inclusive=False)
    require_frame(offers, func, name="offers")
    require_frame(outcome, func, name="outcome")
    require_columns(offers, [customer_col, "offer"], func)
    require_columns(outcome, [customer_col, "first_new_item"], func)
    require_no_missing(offers, customer_col, func, what="account id")
    require_no_missing(outcome, customer_col, func, what="account id")
    require_no_missing(offers, "offer", func, what="offer")
    require_no_missing(outcome, "first_new_item", func, what="item")
    offer_ids = offers[customer_col].astype(str)
    target = pd.Series(
        outcome["first_new_item"].astype(str).to_numpy(), index=outcome[customer_col].astype(str)
    )
    target = target[~target.index.duplicated()]
    common = target.index.intersection(pd.Index(offer_ids.unique()))
    if len(common) == 0:
        raise DataError(
            f"{func}: no account is in both 'offers' and 'outcome', so no offer can be judged. "
            "Check that both tables use the same account ids."
        )
    right = offers["offer"].astype(str).to_numpy() == offer_ids.map(target).to_numpy()
    hits = int(offer_ids[right].nunique())
    low, high = proportion_confint(hits, len(common), alpha=alpha, method="wilson")
    return pd.Series(
        {
            "accounts": float(len(common)),
            "hits": float(hits),
            "hit_rate": hits / len(common),
            "ci_low": float(low),
            "ci_high": float(high),
        }
    )
