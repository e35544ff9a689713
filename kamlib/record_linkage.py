"""Linking migrated records to today's accounts, and judging the links (record linkage).

After cleaning (:mod:`kamlib.crm_migration`) each old record must be tied to the account it
belongs to in the new CRM system, or recognised as a company the system does not know. There
is no shared id, so the evidence is the name and the other fields (Fellegi and Sunter 1969):

* :func:`candidate_links` compares names with rapidfuzz within blocks of the same region and
  scores each candidate on name similarity plus agreement of the other fields;
* :func:`link_records` decides every record: ``matched``, ``review`` (a person looks) or
  ``new``; none is dropped. Records linked to the same account are the duplicates
  (:func:`duplicate_groups`);
* :func:`match_quality`, :func:`threshold_curve` and :func:`error_costs` judge the decisions
  against a known answer key and price them: a false merge, a missed match and a review cost
  different amounts, so the best threshold depends on those costs.

>>> links = pd.DataFrame({"legacy_id": ["L1", "L2"], "status": ["matched", "new"],
...                       "account_id": ["A1", None]})
>>> key = pd.DataFrame({"legacy_id": ["L1", "L2"], "account_id": ["A1", "A2"]})
>>> float(match_quality(links, key)["recall"])
0.5
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.crm_migration import REGIONS, name_key
from kamlib.errors import DataError, KamlibError, ParameterError
from kamlib.validation import (
    check_number,
    require_columns,
    require_frame,
    require_numeric,
    require_unique,
)

__all__ = [
    "DEFAULT_COSTS",
    "candidate_links",
    "duplicate_groups",
    "error_costs",
    "link_records",
    "match_quality",
    "plot_threshold_curve",
    "threshold_curve",
]

#: What each kind of outcome costs, in yuan (assumptions for teaching; put your own numbers in).
#: A false merge mixes two companies' histories, credit limits and contacts; a missed match
#: creates a second account for one company (split history, double mailings, a key account that
#: looks small); a review is about five minutes of a data clerk at 180 yuan an hour.
DEFAULT_COSTS = {"false_match": 2000.0, "missed_match": 500.0, "review": 15.0}


# ---------------------------------------------------------------------------------------------
# Linking records to today's accounts
# ---------------------------------------------------------------------------------------------
_ACCOUNT_COLUMNS = ("account_id", "account_name", "region")
_CLEAN_OPTIONAL = ("industry", "created", "credit_limit_cny", "employees", "owner")


def _named(func: str, call, *args, **kwargs):
    """Run ``call`` so that its errors name ``func``, the function the user called."""
    try:
        return call(*args, **kwargs)
    except KamlibError as err:
        if str(err).startswith(func):
            raise
        raise type(err)(f"{func}: {err}") from None


def _no_missing(data: pd.DataFrame, columns, func: str, name: str) -> None:
    for column in columns:
        n = int(data[column].isna().sum())
        if n:
            raise DataError(
                f"{func}: column '{column}' of '{name}' has {n} missing value(s). Fill them in "
                "or pass the table the previous step returned."
            )


def _account_side(accounts: pd.DataFrame) -> pd.DataFrame:
    side = pd.DataFrame(
        {
            "account_id": accounts["account_id"].astype(str).to_numpy(),
            "a_key": name_key(accounts["account_name"]).to_numpy(),
            "a_region": accounts["region"].astype(str).to_numpy(),
        }
    )
    for source, target in [
        ("industry", "a_industry"),
        ("customer_since", "a_created"),
        ("credit_limit_cny", "a_credit"),
        ("employees", "a_employees"),
        ("account_owner", "a_owner"),
    ]:
        side[target] = accounts[source].to_numpy() if source in accounts.columns else np.nan
    return side


def _agreement(pairs: pd.DataFrame) -> pd.Series:
    """Share of the other fields that agree, over the fields filled on both sides."""
    checks = {
        "industry": pairs["industry"].astype(object) == pairs["a_industry"].astype(object),
        "created": pd.to_datetime(pairs["created"]) == pd.to_datetime(pairs["a_created"]),
        "credit": np.isclose(
            pairs["credit_limit_cny"].astype(float), pairs["a_credit"].astype(float)
        ),
        "employees": (
            (pairs["employees"].astype(float) - pairs["a_employees"].astype(float)).abs()
            <= 0.1 * pairs["a_employees"].astype(float) + 5
        ),
        "owner": pairs["owner"].astype(object) == pairs["a_owner"].astype(object),
    }
    filled = {
        "industry": pairs["industry"].notna() & pairs["a_industry"].notna(),
        "created": pairs["created"].notna() & pairs["a_created"].notna(),
        "credit": pairs["credit_limit_cny"].notna() & pairs["a_credit"].notna(),
        "employees": pairs["employees"].notna() & pairs["a_employees"].notna(),
        "owner": pairs["owner"].notna() & pairs["a_owner"].notna(),
    }
    agree = sum(
        pd.Series(np.asarray(checks[k], dtype=bool), index=pairs.index) & filled[k] for k in checks
    )
    n = sum(filled[k].astype(int) for k in filled)
    return (agree / n.where(n > 0)).fillna(0.5)


def candidate_links(
    clean: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    block: bool = True,
    top_k: int = 3,
    name_weight: float = 0.6,
) -> pd.DataFrame:
    """Candidate accounts for each legacy record, scored by name similarity and field agreement.

    Names are compared with rapidfuzz's normalised Indel similarity (``fuzz.ratio``, 0-1) on
    :func:`kamlib.crm_migration.name_key`. With ``block=True`` a record is compared only with the accounts of its
    region (a record without a region is compared with all), which cuts the comparisons about
    fivefold; a record whose region is wrong in the export then cannot find its account.
    The ``top_k`` most similar names are kept and scored

    ``score = name_weight * name_similarity + (1 - name_weight) * agreement``

    where ``agreement`` is the share of the other fields filled on both sides that agree
    (industry, creation date = customer since, credit limit, headcount within 10% + 5, owner).

    Parameters
    ----------
    clean : pandas.DataFrame
        Output of :func:`kamlib.crm_migration.standardise_export`.
    accounts : pandas.DataFrame
        Today's accounts with ``account_id``, ``account_name`` and ``region`` (``industry``,
        ``customer_since``, ``credit_limit_cny``, ``employees``, ``account_owner`` used when
        present).
    block : bool
        Compare only within the same region (default True).
    top_k : int
        Candidates kept per record (default 3).
    name_weight : float
        Weight of the name in the score, 0-1 (default 0.6).

    Returns
    -------
    pandas.DataFrame
        One row per (record, candidate): ``legacy_id``, ``account_id``, ``name_similarity``,
        ``agreement``, ``score``, ``rank`` (1 = best candidate of the record). A record without a
        name or without any account in its block has no row here; :func:`link_records` sends it
        to review or marks it new.

    Examples
    --------
    >>> acc = pd.DataFrame({"account_id": ["A1", "A2"], "region": ["East", "East"],
    ...                     "account_name": ["Anda Tools Co., Ltd.", "Anda Foods Co., Ltd."]})
    >>> raw = pd.DataFrame({"legacy_id": ["L1"], "company": ["ANDA TOOLS CO LTD"],
    ...                     "region_code": ["E"], "created": ["2019-03-01"]})
    >>> from kamlib.crm_migration import standardise_export
    >>> cands = candidate_links(standardise_export(raw), acc, top_k=2)
    >>> cands[["account_id", "name_similarity", "rank"]].round(2).to_dict("list")
    {'account_id': ['A1', 'A2'], 'name_similarity': [1.0, 0.8], 'rank': [1, 2]}
    """
    from rapidfuzz import fuzz, process

    func = "kamlib.record_linkage.candidate_links"
    require_frame(clean, func, name="clean")
    require_columns(clean, ["legacy_id", "name_key", "region"], func)
    require_frame(accounts, func, name="accounts")
    require_columns(accounts, list(_ACCOUNT_COLUMNS), func)
    _no_missing(clean, ["legacy_id"], func, "clean")
    require_unique(clean, "legacy_id", func)
    _no_missing(accounts, list(_ACCOUNT_COLUMNS), func, "accounts")
    require_unique(accounts, "account_id", func)
    clean = clean.assign(**{c: np.nan for c in _CLEAN_OPTIONAL if c not in clean.columns})
    top_k = check_number(top_k, "top_k", func, low=1, integer=True)
    name_weight = check_number(name_weight, "name_weight", func, low=0, high=1)
    if not isinstance(block, bool):
        raise ParameterError(f"{func}: 'block' must be True or False, got {block!r}.")
    side = _account_side(accounts)
    named = clean[clean["name_key"].notna()]
    groups = (
        [(r, named[named["region"] == r], side[side["a_region"] == r]) for r in REGIONS]
        + [(None, named[named["region"].isna()], side)]
        if block
        else [(None, named, side)]
    )
    parts = []
    for _, recs, cands in groups:
        if recs.empty or cands.empty:
            continue
        sim = process.cdist(
            recs["name_key"].tolist(), cands["a_key"].tolist(), scorer=fuzz.ratio, workers=1
        )
        k = min(top_k, sim.shape[1])
        best = np.argsort(-sim, axis=1, kind="stable")[:, :k]
        rows = np.repeat(np.arange(len(recs)), k)
        cols = best.ravel()
        part = recs.iloc[rows].reset_index(drop=True)
        part = pd.concat([part, cands.iloc[cols].reset_index(drop=True)], axis=1)
        part["name_similarity"] = np.round(sim[rows, cols].astype(float) / 100.0, 6)
        parts.append(part)
    out_cols = ["legacy_id", "account_id", "name_similarity", "agreement", "score", "rank"]
    if not parts:
        return pd.DataFrame(columns=out_cols)
    pairs = pd.concat(parts, ignore_index=True)
    pairs["agreement"] = _agreement(pairs)
    pairs["score"] = name_weight * pairs["name_similarity"] + (1 - name_weight) * pairs["agreement"]
    pairs = pairs.sort_values(["legacy_id", "score", "account_id"], ascending=[True, False, True])
    pairs["rank"] = pairs.groupby("legacy_id").cumcount() + 1
    return pairs[out_cols].reset_index(drop=True)


def link_records(
    clean: pd.DataFrame,
    candidates: pd.DataFrame,
    *,
    accept: float = 0.85,
    review: float = 0.7,
    margin: float = 0.02,
) -> pd.DataFrame:
    """Decide every record: ``matched`` to an account, ``review`` by a person, or ``new``.

    * best score >= ``accept`` and ahead of the runner-up by more than ``margin``: matched;
    * best score >= ``review`` (or a near tie above ``accept``), or no company name: review;
    * otherwise (or no candidate at all): new, a company the new system does not know yet.

    Parameters
    ----------
    clean : pandas.DataFrame
        Output of :func:`kamlib.crm_migration.standardise_export` (every record appears in the result).
    candidates : pandas.DataFrame
        Output of :func:`candidate_links`; an empty table marks every named record new.
    accept, review : float
        Score thresholds, 0-1, with ``review <= accept``.
    margin : float
        A best candidate this close to the second best is sent to review.

    Returns
    -------
    pandas.DataFrame
        One row per record of ``clean``, in its order: ``legacy_id``, ``status``,
        ``account_id`` (the best candidate, also shown for review; missing for new), ``score``
        and ``reason``.

    Examples
    --------
    >>> clean = pd.DataFrame({"legacy_id": ["L1", "L2", "L3"], "name_key": ["a", "b", None]})
    >>> cands = pd.DataFrame({"legacy_id": ["L1", "L2"], "account_id": ["A1", "A2"],
    ...                       "score": [0.95, 0.75], "rank": [1, 1]})
    >>> link_records(clean, cands)[["legacy_id", "status", "account_id"]].to_dict("list")
    {'legacy_id': ['L1', 'L2', 'L3'], 'status': ['matched', 'review', 'review'], 'account_id': ['A1', 'A2', None]}
    """
    func = "kamlib.record_linkage.link_records"
    require_frame(clean, func, name="clean")
    require_columns(clean, ["legacy_id", "name_key"], func)
    require_frame(candidates, func, name="candidates", allow_empty=True)
    require_columns(candidates, ["legacy_id", "account_id", "score", "rank"], func)
    _no_missing(clean, ["legacy_id"], func, "clean")
    require_unique(clean, "legacy_id", func)
    _no_missing(candidates, ["legacy_id", "account_id"], func, "candidates")
    require_numeric(candidates, "score", func)
    require_numeric(candidates, "rank", func)
    if candidates.duplicated(["legacy_id", "rank"]).any():
        raise DataError(
            f"{func}: 'candidates' has two rows with the same legacy_id and rank. Pass the table "
            "candidate_links returned."
        )
    accept = check_number(accept, "accept", func, low=0, high=1)
    review = check_number(review, "review", func, low=0, high=1)
    margin = check_number(margin, "margin", func, low=0, high=1)
    if review > accept:
        raise ParameterError(
            f"{func}: 'review' ({review}) must not exceed 'accept' ({accept}); records scoring "
            "between the two go to the review queue."
        )
    ranked = candidates.sort_values(["legacy_id", "rank"])
    best = ranked[ranked["rank"] == 1].set_index("legacy_id")
    second = ranked[ranked["rank"] == 2].set_index("legacy_id")["score"]
    ids = clean["legacy_id"].astype(str)
    score = ids.map(best["score"]).astype(float)
    account = ids.map(best["account_id"])
    gap = score - ids.map(second).astype(float).fillna(-np.inf)
    no_name = clean["name_key"].isna().to_numpy()
    status = np.select(
        [no_name, (score >= accept) & (gap > margin), score >= review],
        ["review", "matched", "review"],
        default="new",
    )
    reason = np.select(
        [
            no_name,
            status == "matched",
            (score >= accept) & (gap <= margin),
            status == "review",
            score.isna(),
        ],
        [
            "no company name",
            "score above the acceptance threshold",
            "two candidates nearly tied",
            "score between the review and acceptance thresholds",
            "no candidate account in its block",
        ],
        default="score below the review threshold",
    )
    return pd.DataFrame(
        {
            "legacy_id": ids.to_numpy(),
            "status": status,
            "account_id": pd.Series(
                np.where(status == "new", None, account.astype(object)), dtype=object
            ).where(lambda a: a.notna(), None),
            "score": score.to_numpy(),
            "reason": reason,
        }
    )


def duplicate_groups(links: pd.DataFrame) -> pd.DataFrame:
    """Legacy records that belong to the same account: the duplicates to merge.

    Parameters
    ----------
    links : pandas.DataFrame
        Output of :func:`link_records` (only ``matched`` records are grouped, so ``account_id``
        may be empty on the others; an empty table gives an empty result).

    Returns
    -------
    pandas.DataFrame
        One row per account with two or more matched records: ``account_id``, ``records``
        (how many) and ``legacy_ids`` (sorted list), most records first.

    Examples
    --------
    >>> links = pd.DataFrame({"legacy_id": ["L1", "L2", "L3"], "status": ["matched"] * 3,
    ...                       "account_id": ["A1", "A2", "A1"]})
    >>> duplicate_groups(links).to_dict("list")
    {'account_id': ['A1'], 'records': [2], 'legacy_ids': [['L1', 'L3']]}
    """
    func = "kamlib.record_linkage.duplicate_groups"
    require_frame(links, func, name="links", allow_empty=True)
    require_columns(links, ["legacy_id", "status", "account_id"], func)
    _no_missing(links, ["legacy_id", "status"], func, "links")
    matched = links[links["status"] == "matched"]
    _no_missing(matched, ["account_id"], func, "links (matched rows)")
    groups = matched.groupby("account_id")["legacy_id"].agg(lambda s: sorted(s.astype(str)))
    out = pd.DataFrame({"account_id": groups.index, "legacy_ids": groups.to_numpy()})
    out["records"] = out["legacy_ids"].map(len)
    out = out[out["records"] >= 2].sort_values(["records", "account_id"], ascending=[False, True])
    return out[["account_id", "records", "legacy_ids"]].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Judging the matching against an answer key
# ---------------------------------------------------------------------------------------------
def _truth(links: pd.DataFrame, key: pd.DataFrame, func: str) -> pd.Series:
    require_frame(key, func, name="key")
    require_columns(key, ["legacy_id", "account_id"], func)
    _no_missing(key, ["legacy_id"], func, "key")
    require_unique(key, "legacy_id", func)
    truth = key.set_index(key["legacy_id"].astype(str))["account_id"]
    missing = ~links["legacy_id"].astype(str).isin(truth.index)
    if missing.any():
        raise DataError(
            f"{func}: {int(missing.sum())} legacy id(s) of 'links' are not in 'key', e.g. "
            f"{links.loc[missing, 'legacy_id'].head(3).tolist()}. Pass the key of the same export."
        )
    return links["legacy_id"].astype(str).map(truth)


def match_quality(links: pd.DataFrame, key: pd.DataFrame) -> pd.Series:
    """Precision and recall of the matching against the true links.

    Parameters
    ----------
    links : pandas.DataFrame
        Output of :func:`link_records` (``account_id`` is empty for new records).
    key : pandas.DataFrame
        The true account of each record: ``legacy_id``, ``account_id`` (empty where the record
        is truly a new company).

    Returns
    -------
    pandas.Series
        ``records``; ``matched``, ``review``, ``new`` (counts); ``correct_matches``,
        ``false_matches`` (matched to the wrong account), ``missed_matches`` (marked new although
        the company is known); ``precision`` (correct / matched), ``recall`` (correct / records
        with a true account) and ``review_share``.

    Examples
    --------
    >>> links = pd.DataFrame({"legacy_id": ["L1", "L2", "L3", "L4"],
    ...                       "status": ["matched", "matched", "new", "review"],
    ...                       "account_id": ["A1", "A9", None, "A4"]})
    >>> key = pd.DataFrame({"legacy_id": ["L1", "L2", "L3", "L4"],
    ...                     "account_id": ["A1", "A2", "A3", "A4"]})
    >>> match_quality(links, key)[["precision", "recall", "review_share"]].tolist()
    [0.5, 0.25, 0.25]
    """
    func = "kamlib.record_linkage.match_quality"
    require_frame(links, func, name="links")
    require_columns(links, ["legacy_id", "status", "account_id"], func)
    _no_missing(links, ["legacy_id", "status"], func, "links")
    _no_missing(links[links["status"] == "matched"], ["account_id"], func, "links (matched rows)")
    truth = _truth(links, key, func)
    matched = links["status"].eq("matched").to_numpy()
    correct = matched & (links["account_id"].astype(object).to_numpy() == truth.to_numpy())
    known = truth.notna().to_numpy()
    n_matched = int(matched.sum())
    return pd.Series(
        {
            "records": len(links),
            "matched": n_matched,
            "review": int(links["status"].eq("review").sum()),
            "new": int(links["status"].eq("new").sum()),
            "correct_matches": int(correct.sum()),
            "false_matches": int(n_matched - correct.sum()),
            "missed_matches": int((links["status"].eq("new").to_numpy() & known).sum()),
            "precision": float(correct.sum() / n_matched) if n_matched else float("nan"),
            "recall": float(correct.sum() / known.sum()) if known.any() else float("nan"),
            "review_share": float(links["status"].eq("review").mean()),
        },
        dtype=object,
    )


def threshold_curve(
    clean: pd.DataFrame,
    candidates: pd.DataFrame,
    key: pd.DataFrame,
    *,
    thresholds: Iterable[float] | None = None,
    review_band: float = 0.0,
) -> pd.DataFrame:
    """Precision, recall and queue sizes as the acceptance threshold moves.

    For each threshold ``t`` the records are linked with ``accept=t`` and
    ``review=max(t - review_band, 0)`` (see :func:`link_records`) and judged with
    :func:`match_quality`. With ``review_band=0`` there is no review queue except records with
    no name or a near tie: the pure trade-off between false and missed matches.

    Parameters
    ----------
    clean, candidates : pandas.DataFrame
        As for :func:`link_records`.
    key : pandas.DataFrame
        The true links, as for :func:`match_quality`.
    thresholds : iterable of float, optional
        Default 0.50, 0.51, ..., 1.00.
    review_band : float
        Width of the review band below each threshold (default 0).

    Returns
    -------
    pandas.DataFrame
        One row per threshold: ``threshold`` and the columns of :func:`match_quality`.

    Examples
    --------
    >>> clean = pd.DataFrame({"legacy_id": ["L1", "L2"], "name_key": ["a", "b"]})
    >>> cands = pd.DataFrame({"legacy_id": ["L1", "L2"], "account_id": ["A1", "A7"],
    ...                       "score": [0.9, 0.6], "rank": [1, 1]})
    >>> key = pd.DataFrame({"legacy_id": ["L1", "L2"], "account_id": ["A1", "A2"]})
    >>> threshold_curve(clean, cands, key, thresholds=[0.5, 0.8])[["threshold", "precision"]]
       threshold  precision
    0        0.5        0.5
    1        0.8        1.0
    """
    func = "kamlib.record_linkage.threshold_curve"
    review_band = check_number(review_band, "review_band", func, low=0, high=1)
    if thresholds is not None and (
        isinstance(thresholds, str) or not isinstance(thresholds, Iterable)
    ):
        raise ParameterError(
            f"{func}: 'thresholds' must be a list of values in 0-1, got {thresholds!r}."
        )
    grid = np.round(np.arange(0.5, 1.0001, 0.01), 2) if thresholds is None else list(thresholds)
    if len(grid) == 0:
        raise ParameterError(f"{func}: 'thresholds' is empty. Give values between 0 and 1.")
    grid = [check_number(t, "threshold", func, low=0, high=1) for t in grid]
    rows = []
    for t in grid:
        links = _named(
            func, link_records, clean, candidates, accept=t, review=max(t - review_band, 0.0)
        )
        rows.append({"threshold": t, **_named(func, match_quality, links, key).to_dict()})
    out = pd.DataFrame(rows)
    int_cols = ["records", "matched", "review", "new", "correct_matches", "false_matches"]
    return out.astype(dict.fromkeys([*int_cols, "missed_matches"], int))


def error_costs(curve: pd.DataFrame, *, costs: Mapping[str, float] | None = None) -> pd.DataFrame:
    """What each threshold costs the business: false merges, missed matches and reviews.

    ``total_cost = false_matches * c_false + missed_matches * c_missed + review * c_review``.

    Parameters
    ----------
    curve : pandas.DataFrame
        Output of :func:`threshold_curve` (or :func:`match_quality` rows with a ``threshold``).
    costs : mapping, optional
        ``{"false_match": ..., "missed_match": ..., "review": ...}`` in yuan per record; keys
        left out take :data:`DEFAULT_COSTS`.

    Returns
    -------
    pandas.DataFrame
        ``curve`` with ``cost_false``, ``cost_missed``, ``cost_review`` and ``total_cost`` added;
        the cheapest threshold's row has ``cheapest`` True.

    Examples
    --------
    >>> curve = pd.DataFrame({"threshold": [0.6, 0.9], "false_matches": [10, 1],
    ...                       "missed_matches": [0, 20], "review": [0, 0]})
    >>> error_costs(curve)[["threshold", "total_cost", "cheapest"]]
       threshold  total_cost  cheapest
    0        0.6     20000.0     False
    1        0.9     12000.0      True
    """
    func = "kamlib.record_linkage.error_costs"
    require_frame(curve, func, name="curve")
    require_columns(curve, ["false_matches", "missed_matches", "review"], func)
    for column in ("false_matches", "missed_matches", "review"):
        require_numeric(curve, column, func)
    costs = dict(DEFAULT_COSTS) | dict(costs or {})
    unknown = set(costs) - set(DEFAULT_COSTS)
    if unknown:
        raise ParameterError(
            f"{func}: unknown cost(s) {sorted(unknown)}; use {sorted(DEFAULT_COSTS)}."
        )
    for name, value in costs.items():
        check_number(value, f"costs[{name!r}]", func, low=0)
    out = curve.copy()
    out["cost_false"] = out["false_matches"] * float(costs["false_match"])
    out["cost_missed"] = out["missed_matches"] * float(costs["missed_match"])
    out["cost_review"] = out["review"] * float(costs["review"])
    out["total_cost"] = out[["cost_false", "cost_missed", "cost_review"]].sum(axis=1)
    out["cheapest"] = False
    out.loc[out["total_cost"].idxmin(), "cheapest"] = True
    return out


def plot_threshold_curve(curve: pd.DataFrame, *, chosen: float | None = None, ax=None):
    """Precision and recall of the matching against the acceptance threshold.

    Parameters
    ----------
    curve : pandas.DataFrame
        Output of :func:`threshold_curve`. Precision is NaN at a threshold no pair passes; the
        line has a gap there.
    chosen : float, optional
        A threshold to mark with a vertical line.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> curve = pd.DataFrame({"threshold": [0.6, 0.9], "precision": [0.9, 1.0],
    ...                       "recall": [0.95, 0.7]})
    >>> plot_threshold_curve(curve).get_title()
    'Stricter matching: fewer wrong merges, more missed matches'
    """
    func = "kamlib.record_linkage.plot_threshold_curve"
    require_frame(curve, func, name="curve")
    require_columns(curve, ["threshold", "precision", "recall"], func)
    require_numeric(curve, "threshold", func)
    for column in ("precision", "recall"):  # precision is NaN at a threshold nothing passes
        require_numeric(curve, column, func, allow_missing=True)
    ax = plot.get_ax(ax)
    ax.plot(curve["threshold"], curve["precision"], color=plot.MAIN, label="precision")
    ax.plot(curve["threshold"], curve["recall"], color=plot.ACCENT, label="recall")
    if chosen is not None:
        chosen = check_number(chosen, "chosen", func, low=0, high=1)
        ax.axvline(chosen, color=plot.MUTED, linestyle="--", label=f"chosen threshold {chosen:g}")
    plot.share_axis(ax)
    ax.legend(loc="lower left")
    return plot.label(
        ax,
        "Stricter matching: fewer wrong merges, more missed matches",
        "Acceptance threshold on the match score",
        "Share",
    )
