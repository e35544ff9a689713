"""The public API as a whole keeps the input contract (issue 14).

The test finds the public API itself: every public module of kamlib, every public function and
every public method of a public class (re-exports count once, by object). Each needs a valid
call in ``CASES``; a function without one fails :func:`test_every_public_function_has_a_valid_call`,
so a new chapter's functions cannot slip past. From the valid call the test derives the usual
mistakes (a missing column, NaN, +-inf, a negative or a text value in a column, an empty or a
one-row table, a duplicated row, integer or unparseable dates, a list where a column name goes,
a number given as text, a wrong container, a bad seed, a flag given as a string, an unfitted
model) and asks for

* a :class:`~kamlib.errors.KamlibError` whose message names the function called, or
* where an input is accepted on purpose, a warning that names the function, or a treatment
  documented in the function's docstring and listed in the case's ``accepts``;
* never a raw error from pandas, numpy or matplotlib, and never a changed input.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import math
import numbers
import pkgutil
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kamlib
from kamlib import (
    ahp,
    bgnbd,
    credit_risk,
    crm_adoption,
    crm_impact,
    crm_migration,
    crm_vendors,
    datasets,
    dependence,
    gains,
    identification,
    lifecycle,
    lookalike,
    market_basket,
    profit_tree,
    prospects,
    repeat_buying,
    rfm,
    satisfaction,
    scenarios,
    segmentation,
    selection,
    service_recovery,
    spend_model,
    toy,
    uplift,
)
from kamlib.errors import KamlibError, NotFittedError

# Modules whose bad-input behaviour is owned by another part of the project, with the reason.
# Their functions are listed by the enumeration but not fed bad input here.
OWNED_ELSEWHERE = {
    "kamlib.exercises": "exercise checks and the answer key (helper H3a); they never raise on a "
    "student's answer by design and are tested in tests/test_exercises.py",
    "kamlib.release": "the student release builder (helper H3a), tested in tests/test_release.py",
    "kamlib.datasets.*": "the course-world simulation, its data cards and schemas (helper H1): "
    "it writes datasets/ and is tested by regeneration in tests/test_datasets.py; the loaders "
    "in kamlib.datasets itself are covered here",
    "kamlib.grading": "grading of submissions (exercises, helper H3a), tested in "
    "tests/test_grading.py",
    "kamlib.errors": "the exception classes themselves",
    "kamlib.validation": "the shared checks themselves: every kamlib function calls them after "
    "require_frame/require_columns, with its own name as 'func'; their contract is tested in "
    "tests/test_validation.py",
}


# ---------------------------------------------------------------------------------------------
# Enumerating the public API
# ---------------------------------------------------------------------------------------------
def _public_modules() -> list[str]:
    names = ["kamlib"]
    for info in pkgutil.walk_packages(kamlib.__path__, "kamlib."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return names


def _is_public_home(module_name: str) -> bool:
    return module_name.startswith("kamlib") and not any(
        part.startswith("_") for part in module_name.split(".")
    )


HOME: dict[str, str] = {}  # qualified name -> the module the object is defined in


def public_api() -> dict[str, object]:
    """Qualified name -> callable: functions, model constructors and public methods."""
    found: dict[int, tuple[str, object]] = {}
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        for attr, obj in vars(module).items():
            if attr.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            home = getattr(obj, "__module__", "") or ""
            if not _is_public_home(home):
                continue
            found.setdefault(id(obj), (f"{home}.{obj.__qualname__}", obj))
    api: dict[str, object] = {}
    for name, obj in found.values():
        HOME[name] = obj.__module__
        if inspect.isfunction(obj):
            api[name] = obj
            continue
        if issubclass(obj, BaseException):
            api[name] = obj
            continue
        if hasattr(obj, "fit"):
            api[name] = obj  # the model's hyper-parameters, checked when it is fitted
        for meth, value in inspect.getmembers(obj):
            if meth.startswith("_") or not (inspect.isfunction(value) or inspect.ismethod(value)):
                continue
            api[f"{name}.{meth}"] = getattr(obj, meth)
            HOME[f"{name}.{meth}"] = obj.__module__
    return api


def owner_of(name: str) -> str | None:
    """Why ``name`` is not fed bad input here (None: it is)."""
    home = HOME.get(name, name)
    for prefix, reason in OWNED_ELSEWHERE.items():
        if prefix.endswith("*"):
            if home.startswith(prefix[:-1]):
                return reason
        elif home == prefix or home.startswith(prefix + "."):
            return reason
    return None


# ---------------------------------------------------------------------------------------------
# Valid inputs (small, so the whole test runs in well under a minute)
# ---------------------------------------------------------------------------------------------
BGNBD_TRUTH = {"r": 0.5, "alpha": 5.0, "a": 0.8, "b": 2.5}
GG_TRUTH = {"p": 6.25, "q": 3.74, "gamma": 15.44}


@cache
def _summary() -> pd.DataFrame:
    summary = bgnbd.simulate_bgnbd(150, **BGNBD_TRUTH, T=52.0, seed=1, whole_periods=True)
    spend = spend_model.simulate_gamma_gamma(summary["frequency"], **GG_TRUTH, seed=2)
    summary["monetary_value"] = spend
    # Row 0 is a repeat buyer, so a change to row 0 is a change the models read.
    order = np.argsort(-summary["frequency"].to_numpy(), kind="stable")
    return summary.iloc[order].reset_index(drop=True)


def summary() -> pd.DataFrame:
    return _summary().copy()


def buying_summary() -> pd.DataFrame:
    out = summary()
    out.attrs["time_unit"] = "W"
    return out


@cache
def _fitted_bgnbd() -> bgnbd.BetaGeoModel:
    return bgnbd.BetaGeoModel.from_params(**BGNBD_TRUTH)


@cache
def _fitted_gg() -> spend_model.GammaGammaModel:
    return spend_model.GammaGammaModel.from_params(**GG_TRUTH)


def bg() -> bgnbd.BetaGeoModel:
    return copy.deepcopy(_fitted_bgnbd())


def gg() -> spend_model.GammaGammaModel:
    return copy.deepcopy(_fitted_gg())


def leads() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    n = 60
    frame = pd.DataFrame(
        {
            "source": rng.choice(["fair", "web"], n),
            "employees": rng.integers(5, 2000, n),
            "visits": rng.poisson(3, n),
            "event": rng.random(n) < 0.4,
        }
    )
    frame["converted"] = rng.random(n) < np.where(frame["source"] == "fair", 0.6, 0.25)
    return frame


LOOKALIKE_INIT = {
    "categorical": ("source",),
    "log_numeric": ("employees",),
    "numeric": ("visits",),
    "boolean": ("event",),
    "reference_levels": {"source": "fair"},
    "C": 1.0,
    "max_iter": 1000,
}


@cache
def _fitted_lookalike() -> lookalike.LookalikeModel:
    return lookalike.LookalikeModel(**LOOKALIKE_INIT).fit(leads())


def fitted_lookalike() -> lookalike.LookalikeModel:
    return copy.deepcopy(_fitted_lookalike())


def revenue() -> pd.Series:
    return toy.orders().groupby("account_id")["net_revenue_cny"].sum()


def criteria() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "D", "E"],
            "fit": [5, 3, 4, 2, 1],
            "profit": [100.0, 50.0, -20.0, 10.0, 30.0],
        }
    )


WEIGHTS = {"fit": 0.5, "profit": 0.5}


def funnel_leads() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "stage_reached": ["lead", "won", "proposal", "lead", "contacted", "qualified"],
            "lead_source": ["fair", "web", "fair", "web", "web", "fair"],
        }
    )


def activity() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["T01", "T01", "T02", "T03", "T04"],
            "month": pd.to_datetime(
                ["2024-03-01", "2024-03-01", "2024-07-01", "2024-05-01", "2024-09-01"]
            ),
            "activity": ["visit", "delivery", "delivery", "visit", "delivery"],
            "count": [1, 2, 1, 1, 3],
        }
    )


PRICES = {"visit": 1000.0, "delivery": 100.0}


def profit() -> pd.Series:
    return pd.Series([50.0, 30.0, 20.0, -10.0], index=["A", "B", "C", "D"], name="profit")


def transactions() -> pd.DataFrame:
    return toy.transactions()


BUY_PERIODS = {"calibration_end": "2024-03-31", "observation_end": "2024-06-30"}


def loyalty_inputs() -> dict:
    return {
        "surveys": pd.DataFrame(
            {
                "account_id": ["A", "B", "C"],
                "csat": [5, 2, 4],
                "survey_date": pd.to_datetime(["2023-11-05", "2023-11-20", "2023-12-01"]),
            }
        ),
        "accounts": pd.DataFrame(
            {
                "account_id": ["A", "B", "C"],
                "est_annual_spend_cny": [1000.0, 500.0, 800.0],
                "lost_date": pd.to_datetime([None, "2024-06-30", None]),
            }
        ),
        "orders": pd.DataFrame(
            {
                "account_id": ["A", "A", "B", "C"],
                "net_revenue_cny": [300.0, 200.0, 50.0, 400.0],
                "order_date": pd.to_datetime(
                    ["2024-02-01", "2024-09-01", "2024-03-01", "2024-05-01"]
                ),
            }
        ),
    }


def outcomes() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    score = rng.normal(0, 1, 400)
    share = 1 / (1 + np.exp(-(-0.6 + 0.4 * score + rng.normal(0, 0.5, 400))))
    left = rng.random(400) < 1 - np.exp(-0.15 * np.exp(-0.5 * score))
    return pd.DataFrame(
        {"score": score, "stayed": ~left, "share_of_wallet_next": np.where(left, np.nan, share)}
    )


def waterfall_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "gross_revenue": [100.0, 50.0],
            "discount": [10.0, 0.0],
            "cogs": [60.0, 30.0],
            "cost_to_serve": [5.0, 15.0],
            "acquisition_cost": [0.0, 5.0],
        }
    )


def legacy_raw() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "legacy_id": ["L1", "L2", "L3"],
            "company": ["ANDA TOOLS CO LTD", "Anda Foods", "hongtu machinery co ltd"],
            "region_code": ["E", "E", "N"],
            "created": ["2019-03-01", "20190301", "Mar 01, 2019"],
        }
    )


def link_accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A1", "A2", "A3"],
            "region": ["East", "East", "North"],
            "account_name": ["Anda Tools Co., Ltd.", "Anda Foods Co., Ltd.", "Hongtu Machinery"],
        }
    )


def linking() -> dict:
    return {
        "clean": pd.DataFrame({"legacy_id": ["L1", "L2", "L3"], "name_key": ["a", "b", "c"]}),
        "candidates": pd.DataFrame(
            {
                "legacy_id": ["L1", "L2", "L3"],
                "account_id": ["A1", "A7", "A3"],
                "score": [0.95, 0.6, 0.8],
                "rank": [1, 1, 1],
            }
        ),
    }


def links() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "legacy_id": ["L1", "L2", "L3", "L4"],
            "status": ["matched", "matched", "new", "review"],
            "account_id": ["A1", "A9", None, "A4"],
        }
    )


def link_key() -> pd.DataFrame:
    return pd.DataFrame(
        {"legacy_id": ["L1", "L2", "L3", "L4"], "account_id": ["A1", "A2", "A3", "A4"]}
    )


def vendors() -> pd.DataFrame:
    return pd.DataFrame(
        {"vendor": ["X", "Y", "Z"], "fit": [5, 3, 4], "cost": [200.0, 100.0, 150.0]}
    )


_MADE: dict[str, object] = {}


def made(key: str, build: Callable[[], object]):
    """A fresh copy of a valid input that is costly to build (computed once per run)."""
    if key not in _MADE:
        _MADE[key] = build()
    return copy.deepcopy(_MADE[key])


def scored() -> dict:
    return {"y_true": [1, 0, 1, 0, 0, 1], "scores": [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], "n_bins": 2}


def gains_of(table_maker) -> pd.DataFrame:
    """A gains table from ``gains.gains_table`` or ``lookalike.gains_table`` (prospect words)."""
    key = f"gains by {table_maker.__module__}"
    return made(key, lambda: table_maker([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1], n_bins=2))


def _vendor_choice() -> pd.DataFrame:
    return crm_vendors.choice_sensitivity(
        vendors(), weights={"fit": 0.8, "cost": 0.2}, grid=[0.0, 1.0], cost_col="cost"
    )


def an_axes():
    return plt.subplots()[1]


# ---------------------------------------------------------------------------------------------
# The table of valid calls
# ---------------------------------------------------------------------------------------------
@dataclass
class Case:
    """A valid call and what the function promises about its inputs.

    ``make`` returns the keyword arguments of a valid call, fresh each time (``self`` for a
    method). ``then`` finishes a constructor call (e.g. fits the model). ``needs_fit``: the
    method must refuse an unfitted model. ``unique``: ``{argument: column}`` that must name each
    customer once. ``non_negative``: ``{argument: columns}`` where a negative value must be
    refused. ``accepts``: ``{variant label (regex): why}`` for inputs accepted on purpose
    (documented in the function's docstring); such variants need only no raw error.
    """

    make: Callable[[], dict]
    then: Callable | None = None
    needs_fit: bool = False
    unique: dict = field(default_factory=dict)
    non_negative: dict = field(default_factory=dict)
    accepts: dict = field(default_factory=dict)


NEXT_SHARE_MISSING = {
    r"missing value in 'share_of_wallet_next'": "no share of wallet next year for an account "
    "that left (documented in satisfaction_outcomes)"
}
SET_PARAMS_ACCEPTS = {
    r".": "set_params stores hyper-parameters as given, as scikit-learn does; they are checked "
    "when the model is fitted (see the model's entry)"
}
ONE_OR_MANY = {
    r"(t|T|frequency): a (list for a number|number for a list)": "one number or one per customer "
    "(documented): a list of one broadcasts, a number counts as one customer"
}

# Chapter 8's rollout (kamlib.crm_impact, helper H6): three regions over six months, East live
# from April, the other two later, so every month keeps two regions not yet live.
# Documented acceptances of kamlib.record_linkage (helper H6).
CRM_LINK_ACCEPTS = {
    r"clean: missing value in 'name_key'": "a record without a name goes to review (documented)",
    r"candidates: empty table": "no candidate: every named record is new (documented)",
    r"(links|key): missing value in 'account_id'": "an empty account id is a new record in links "
    "and a truly new company in the key (documented)",
}
CRM_GO_LIVE = {"East": "2023-04-01", "West": "2023-08-01", "North": "2023-08-01"}


def crm_toy_kpis() -> pd.DataFrame:
    months = pd.date_range("2023-01-01", periods=6, freq="MS")
    regions = ["East", "West", "North"]
    hours = [20.0, 21, 19, 15, 14, 15, 25, 24, 26, 25, 24, 25, 22, 23, 22, 23, 21, 22]
    return pd.DataFrame(
        {
            "region": [r for r in regions for _ in months],
            "month": list(months) * 3,
            "go_live_month": [pd.Timestamp(CRM_GO_LIVE[r]) for r in regions for _ in months],
            "avg_resolution_hours": hours,
        }
    )


def crm_toy_panel() -> pd.DataFrame:
    return made("crm_impact.kpi_panel", lambda: crm_impact.kpi_panel(crm_toy_kpis()))


def crm_toy_regions() -> pd.DataFrame:
    return pd.DataFrame({"account_id": ["T01", "T02", "T03"], "region": ["East", "West", "North"]})


def crm_toy_tickets() -> pd.DataFrame:
    days = ["2023-02-03", "2023-03-05", "2023-05-09", "2023-02-07", "2023-06-01", "2023-09-02"]
    return pd.DataFrame(
        {
            "account_id": ["T01", "T01", "T01", "T02", "T02", "T02"],
            "interaction_date": pd.to_datetime(days),
            "interaction_type": ["ticket", "complaint", "ticket", "ticket", "ticket", "complaint"],
            "resolution_hours": [20.0, 30.0, 12.0, 25.0, 24.0, 20.0],
        }
    )


def crm_toy_surveys() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["T01", "T02", "T01", "T02"],
            "survey_date": pd.to_datetime(["2022-11-05", "2022-11-07", "2023-11-05", "2023-11-06"]),
            "responsiveness": [3, 3, 4, 3],
        }
    )


# Chapter 9 (satisfaction and service recovery, helper ch9a): a small survey with the five
# ratings, accounts with a response-bias story, and a contact log with complaints.
CH9_BY_LIST = {r"by: a list for a column name": "by takes one column or a list (documented)"}
CH9_NO_FOLLOW_UP = {
    r"missing value in 'stayed_12m'": "empty where the year after the survey is not observed "
    "yet (documented in complaint_outcomes)"
}


def ch9_surveys() -> pd.DataFrame:
    rng = np.random.default_rng(9)
    ratings = rng.integers(1, 6, (40, 5))
    names = ["product_quality", "delivery", "price_value", "responsiveness", "account_manager"]
    frame = pd.DataFrame(ratings, columns=names)
    frame["csat"] = np.clip(np.round(ratings @ [0.35, 0.25, 0.1, 0.2, 0.1]), 1, 5).astype(int)
    frame["nps"] = np.clip(2 * frame["csat"] - rng.integers(0, 2, 40), 0, 10)
    frame["account_id"] = [f"T{i % 20:02d}" for i in range(40)]
    frame["survey_date"] = pd.to_datetime(["2023-11-05"] * 20 + ["2022-11-06"] * 20)
    return frame


def ch9_accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": [f"T{i:02d}" for i in range(24)],
            "employees": np.arange(24) * 10 + 5,
            "customer_since": pd.to_datetime(["2020-01-01"] * 24),
            "lost_date": pd.to_datetime([None] * 20 + ["2024-03-01"] * 4),
            "region": ["East", "West"] * 12,
        }
    )


def ch9_orders() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": [f"T{i:02d}" for i in range(24)],
            "net_revenue_cny": np.arange(24) * 100.0,
            "order_date": pd.to_datetime(["2023-03-01"] * 12 + ["2024-12-01"] * 12),
        }
    )


def ch9_contacts() -> pd.DataFrame:
    ids = [f"T{i:02d}" for i in range(12)]
    return pd.DataFrame(
        {
            "account_id": ids,
            "interaction_date": pd.to_datetime(["2023-06-01"] * 6 + ["2022-07-01"] * 6),
            "interaction_type": ["complaint"] * 10 + ["call"] * 2,
            "resolution_hours": [5.0, 10.0, 20.0, 40.0, 80.0, 12.0, 30.0, 60.0, 6.0, 50.0]
            + [np.nan] * 2,
        }
    )


def ch9_outcomes() -> pd.DataFrame:
    return made(
        "service_recovery.complaint_outcomes",
        lambda: service_recovery.complaint_outcomes(ch9_contacts(), ch9_surveys(), ch9_accounts()),
    )


# Chapters 7 and 9, the points programme and the bank case (helper ch7cases).
def points_ledger() -> pd.DataFrame:
    return importlib.import_module("kamlib.loyalty_programme").toy_ledger()


def points_purchases() -> pd.DataFrame:
    return importlib.import_module("kamlib.loyalty_programme").toy_purchases()


def redeemer_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "redeemer": [True, False, False, True, False, True],
            "spend_before": [10.0, 20.0, 30.0, 300.0, 200.0, 400.0],
            "spend_after": [30.0, 20.0, 30.0, 400.0, 250.0, 500.0],
        }
    )


def bank_economics() -> pd.DataFrame:
    bank = importlib.import_module("kamlib.private_banking")
    return bank.client_economics(bank.hnw_clients())


CASES: dict[str, Case] = {
    # -- kamlib.ahp ---------------------------------------------------------------------------
    "kamlib.ahp.ahp_weights": Case(
        lambda: {
            "matrix": [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]],
            "criteria": ["fit", "profit", "tenure"],
            "tol": 0.01,
        }
    ),
    "kamlib.ahp.pairwise_matrix": Case(
        lambda: {
            "judgements": {("fit", "profit"): 3, ("fit", "tenure"): 5, ("profit", "tenure"): 3},
            "criteria": ["fit", "profit", "tenure"],
        }
    ),
    "kamlib.ahp.hierarchy_weights": Case(
        lambda: {
            "main": {"fit": 0.5, "contribution": 0.5},
            "children": {"contribution": {"profit": 0.6, "margin": 0.4}},
        }
    ),
    "kamlib.ahp.normalise_weights": Case(lambda: {"weights": {"fit": 2, "profit": 1}}),
    "kamlib.ahp.AHPResult.summary": Case(
        lambda: {
            "self": made(
                "ahp.ahp_weights([[1, 3], [1 / 3, 1]])",
                lambda: ahp.ahp_weights([[1, 3], [1 / 3, 1]]),
            )
        }
    ),
    # -- kamlib.selection ---------------------------------------------------------------------
    "kamlib.selection.account_criteria": Case(
        lambda: {
            "accounts": toy.accounts(),
            "orders": toy.orders(),
            "as_of": "2024-12-31",
            "months": 12,
            "lost_col": None,
        },
        unique={"accounts": "account_id"},
        non_negative={"orders": ["net_revenue_cny", "cogs_cny"]},
        accepts={
            r"orders: empty table": "no orders at all is an answer: every criterion from "
            "orders is 0 (documented)",
        },
    ),
    "kamlib.selection.scorecard": Case(
        lambda: {"table": criteria(), "weights": WEIGHTS, "scales": {"fit": (1, 5)}},
        unique={"table": "account_id"},
    ),
    "kamlib.selection.top_accounts": Case(
        lambda: {"table": criteria(), "weights": WEIGHTS, "top_n": 2},
        unique={"table": "account_id"},
    ),
    "kamlib.selection.ranking_sensitivity": Case(
        lambda: {"table": criteria(), "weights": WEIGHTS, "top_n": 2, "grid": [0.0, 0.5, 1.0]},
        unique={"table": "account_id"},
    ),
    "kamlib.selection.plot_ranking_sensitivity": Case(
        lambda: {
            "sensitivity": made(
                "selection.ranking_sensitivity( criteria(), WEIGHTS, top_n=2, grid=[0.0, 0.5, 1.0] )",
                lambda: selection.ranking_sensitivity(
                    criteria(), WEIGHTS, top_n=2, grid=[0.0, 0.5, 1.0]
                ),
            ),
            "measure": "share_kept",
        }
    ),
    "kamlib.selection.plot_scorecard": Case(
        lambda: {
            "card": made(
                "selection.scorecard(criteria(), weights=WEIGHTS)",
                lambda: selection.scorecard(criteria(), weights=WEIGHTS),
            ),
            "top_n": 3,
        }
    ),
    "kamlib.selection.weight_explorer": Case(
        lambda: {"table": criteria(), "weights": WEIGHTS, "top_n": 2},
        unique={"table": "account_id"},
    ),
    # -- kamlib.gains and kamlib.lookalike ----------------------------------------------------
    "kamlib.gains.gains_table": Case(scored),
    "kamlib.gains.plot_gains": Case(lambda: {"gains": gains_of(gains.gains_table)}),
    "kamlib.gains.plot_lift": Case(lambda: {"gains": gains_of(gains.gains_table)}),
    "kamlib.lookalike.gains_table": Case(scored),
    "kamlib.lookalike.plot_gains": Case(lambda: {"gains": gains_of(lookalike.gains_table)}),
    "kamlib.lookalike.plot_lift": Case(lambda: {"gains": gains_of(lookalike.gains_table)}),
    "kamlib.lookalike.LookalikeModel": Case(
        lambda: dict(LOOKALIKE_INIT), then=lambda model: model.fit(leads())
    ),
    "kamlib.lookalike.LookalikeModel.fit": Case(
        lambda: {"self": lookalike.LookalikeModel(**LOOKALIKE_INIT), "X": leads()},
        accepts={
            r"X: negative value in 'visits'": "a numeric trait may be negative when fitting; "
            "one never negative in training is refused when scoring (documented in Notes)"
        },
    ),
    "kamlib.lookalike.LookalikeModel.predict_proba": Case(
        lambda: {"self": fitted_lookalike(), "X": leads()},
        needs_fit=True,
        non_negative={"X": ["visits"]},
    ),
    "kamlib.lookalike.LookalikeModel.predict": Case(
        lambda: {"self": fitted_lookalike(), "X": leads()},
        needs_fit=True,
        non_negative={"X": ["visits"]},
    ),
    "kamlib.lookalike.LookalikeModel.score_prospects": Case(
        lambda: {"self": fitted_lookalike(), "X": leads()},
        needs_fit=True,
        non_negative={"X": ["visits"]},
    ),
    "kamlib.lookalike.LookalikeModel.coefficients": Case(
        lambda: {"self": fitted_lookalike()}, needs_fit=True
    ),
    "kamlib.lookalike.LookalikeModel.get_params": Case(
        lambda: {"self": lookalike.LookalikeModel(), "deep": True},
        accepts={r"deep": "deep is ignored (there are no nested estimators), as in scikit-learn"},
    ),
    "kamlib.lookalike.LookalikeModel.set_params": Case(
        lambda: {"self": lookalike.LookalikeModel(), "C": 2.0}, accepts=SET_PARAMS_ACCEPTS
    ),
    "kamlib.lookalike.evaluate": Case(
        lambda: {"model": fitted_lookalike(), "prospects": leads(), "n_bins": 2},
        non_negative={"prospects": ["visits"]},
    ),
    # -- kamlib.prospects ---------------------------------------------------------------------
    "kamlib.prospects.persona": Case(
        lambda: {
            "accounts": toy.accounts(),
            "best": ["T01", "T02"],
            "features": ["industry", "region", "employees"],
            "bins": 2,
        },
        unique={"accounts": "account_id"},
        accepts={
            r"negative value in 'employees'": "numeric features are banded as they are; the "
            "course schema's range (employees >= 1) is checked by kamlib.datasets.validate"
        },
    ),
    "kamlib.prospects.plot_persona": Case(
        lambda: {
            "profile": made(
                'prospects.persona(toy.accounts(), ["T01", "T02"], features=["region"])',
                lambda: prospects.persona(toy.accounts(), ["T01", "T02"], features=["region"]),
            )
        }
    ),
    "kamlib.prospects.funnel": Case(lambda: {"prospects": funnel_leads(), "by": "lead_source"}),
    "kamlib.prospects.plot_funnel": Case(
        lambda: {
            "table": made(
                "prospects.funnel(funnel_leads())", lambda: prospects.funnel(funnel_leads())
            )
        },
        accepts={
            r"missing value in '(step|cumulative)_conversion'": "NaN is a stage after one nobody "
            "reached (see funnel); the chart leaves it out (documented)"
        },
    ),
    # -- kamlib.bgnbd -------------------------------------------------------------------------
    "kamlib.bgnbd.simulate_bgnbd": Case(
        lambda: {"n_customers": 20, **BGNBD_TRUTH, "T": 52.0, "seed": 1, "whole_periods": False},
        accepts=ONE_OR_MANY,
    ),
    "kamlib.bgnbd.BetaGeoModel": Case(
        lambda: {
            "penalizer": 0.0,
            "initial_params": {"r": 1.0, "alpha": 10.0, "a": 1.0, "b": 3.0},
            "max_iter": 500,
        },
        then=lambda model: model.fit(summary()),
    ),
    "kamlib.bgnbd.BetaGeoModel.fit": Case(
        lambda: {"self": bgnbd.BetaGeoModel(), "frequency": summary()},
    ),
    "kamlib.bgnbd.BetaGeoModel.from_params": Case(lambda: dict(BGNBD_TRUTH)),
    "kamlib.bgnbd.BetaGeoModel.log_likelihood": Case(
        lambda: {"self": bg(), "frequency": summary()}, needs_fit=True
    ),
    "kamlib.bgnbd.BetaGeoModel.expected_purchases": Case(
        lambda: {"self": bg(), "t": [1.0, 5.0]}, needs_fit=True, accepts=ONE_OR_MANY
    ),
    "kamlib.bgnbd.BetaGeoModel.conditional_expected_purchases": Case(
        lambda: {
            "self": bg(),
            "t": 10.0,
            "frequency": summary()["frequency"],
            "recency": summary()["recency"],
            "T": summary()["T"],
        },
        needs_fit=True,
        accepts=ONE_OR_MANY,
    ),
    "kamlib.bgnbd.BetaGeoModel.probability_alive": Case(
        lambda: {
            "self": bg(),
            "frequency": summary()["frequency"],
            "recency": summary()["recency"],
            "T": summary()["T"],
        },
        needs_fit=True,
    ),
    "kamlib.bgnbd.BetaGeoModel.predict": Case(
        lambda: {"self": bg(), "summary": summary(), "t": 10.0},
        needs_fit=True,
        accepts=ONE_OR_MANY,
    ),
    "kamlib.bgnbd.BetaGeoModel.parameter_table": Case(lambda: {"self": bg()}, needs_fit=True),
    "kamlib.bgnbd.BetaGeoModel.get_params": Case(
        lambda: {"self": bgnbd.BetaGeoModel(), "deep": True},
        accepts={r"deep": "deep is ignored (there are no nested estimators), as in scikit-learn"},
    ),
    "kamlib.bgnbd.BetaGeoModel.set_params": Case(
        lambda: {"self": bgnbd.BetaGeoModel(), "penalizer": 0.01}, accepts=SET_PARAMS_ACCEPTS
    ),
    # -- kamlib.spend_model -------------------------------------------------------------------
    "kamlib.spend_model.simulate_gamma_gamma": Case(
        lambda: {"frequency": [1, 2, 3], **GG_TRUTH, "seed": 1}, accepts=ONE_OR_MANY
    ),
    "kamlib.spend_model.GammaGammaModel": Case(
        lambda: {"penalizer": 0.0, "initial_params": None, "max_iter": 500},
        then=lambda model: model.fit(summary()),
    ),
    "kamlib.spend_model.GammaGammaModel.fit": Case(
        lambda: {"self": spend_model.GammaGammaModel(), "frequency": summary()}
    ),
    "kamlib.spend_model.GammaGammaModel.from_params": Case(lambda: dict(GG_TRUTH)),
    "kamlib.spend_model.GammaGammaModel.conditional_expected_spend": Case(
        lambda: {
            "self": gg(),
            "frequency": summary()["frequency"],
            "monetary_value": summary()["monetary_value"],
        },
        needs_fit=True,
    ),
    "kamlib.spend_model.GammaGammaModel.mean_spend": Case(lambda: {"self": gg()}, needs_fit=True),
    "kamlib.spend_model.GammaGammaModel.log_likelihood": Case(
        lambda: {"self": gg(), "frequency": summary()}, needs_fit=True
    ),
    "kamlib.spend_model.GammaGammaModel.parameter_table": Case(
        lambda: {"self": gg()}, needs_fit=True
    ),
    "kamlib.spend_model.GammaGammaModel.get_params": Case(
        lambda: {"self": spend_model.GammaGammaModel(), "deep": True},
        accepts={r"deep": "deep is ignored (there are no nested estimators), as in scikit-learn"},
    ),
    "kamlib.spend_model.GammaGammaModel.set_params": Case(
        lambda: {"self": spend_model.GammaGammaModel(), "penalizer": 0.01},
        accepts=SET_PARAMS_ACCEPTS,
    ),
    "kamlib.spend_model.spend_frequency_correlation": Case(
        lambda: {"summary": summary(), "threshold": 0.3}
    ),
    "kamlib.spend_model.customer_lifetime_value": Case(
        lambda: {
            "bgnbd": bg(),
            "gg": gg(),
            "summary": buying_summary(),
            "horizon": 3,
            "discount_rate": 0.01,
            "freq": "M",
            "margin": 0.3,
            "time_unit": "W",
        }
    ),
    # -- kamlib.repeat_buying -----------------------------------------------------------------
    "kamlib.repeat_buying.rfm_summary": Case(
        lambda: {"transactions": transactions(), **BUY_PERIODS, "freq": "W"},
        non_negative={"transactions": ["amount_cny"]},
    ),
    "kamlib.repeat_buying.tracking_table": Case(
        lambda: {"model": bg(), "transactions": transactions(), **BUY_PERIODS, "freq": "W"}
    ),
    "kamlib.repeat_buying.plot_tracking": Case(
        lambda: {
            "table": made(
                "repeat_buying.tracking_table(bg(), transactions(), **BUY_PERIODS)",
                lambda: repeat_buying.tracking_table(bg(), transactions(), **BUY_PERIODS),
            ),
            "cumulative": True,
        }
    ),
    "kamlib.repeat_buying.holdout_comparison": Case(
        lambda: {
            "model": bg(),
            "summary": made(
                "repeat_buying.rfm_summary(transactions(), **BUY_PERIODS)",
                lambda: repeat_buying.rfm_summary(transactions(), **BUY_PERIODS),
            ),
            "max_frequency": 2,
        },
        non_negative={"summary": ["frequency_holdout"]},
    ),
    "kamlib.repeat_buying.plot_holdout_comparison": Case(
        lambda: {
            "table": made(
                "repeat_buying.holdout_comparison( bg(), repeat_buying.rfm_summary(transactions(), **BUY_PERIODS) )",
                lambda: repeat_buying.holdout_comparison(
                    bg(), repeat_buying.rfm_summary(transactions(), **BUY_PERIODS)
                ),
            )
        }
    ),
    # -- kamlib.concentration -----------------------------------------------------------------
    "kamlib.concentration.value_by_customer": Case(
        lambda: {"data": toy.orders()}, non_negative={"data": ["net_revenue_cny"]}
    ),
    "kamlib.concentration.pareto_table": Case(
        lambda: {"data": toy.orders()}, non_negative={"data": ["net_revenue_cny"]}
    ),
    "kamlib.concentration.top_share": Case(
        lambda: {"data": toy.orders(), "fraction": 0.2},
        non_negative={"data": ["net_revenue_cny"]},
    ),
    "kamlib.concentration.decile_table": Case(
        lambda: {"data": toy.orders(), "groups": 2}, non_negative={"data": ["net_revenue_cny"]}
    ),
    "kamlib.concentration.lorenz_curve": Case(
        lambda: {"data": toy.orders()}, non_negative={"data": ["net_revenue_cny"]}
    ),
    "kamlib.concentration.gini": Case(
        lambda: {"data": toy.orders()}, non_negative={"data": ["net_revenue_cny"]}
    ),
    "kamlib.concentration.plot_pareto": Case(
        lambda: {"data": toy.orders(), "groups": 2}, non_negative={"data": ["net_revenue_cny"]}
    ),
    "kamlib.concentration.plot_lorenz": Case(
        lambda: {"data": toy.orders(), "label": "Accounts"},
        non_negative={"data": ["net_revenue_cny"]},
    ),
    # -- kamlib.loyalty_programme, redeemers and private_banking (helper ch7cases) -----------
    "kamlib.loyalty_programme.toy_ledger": Case(lambda: {}),
    "kamlib.loyalty_programme.toy_purchases": Case(lambda: {}),
    "kamlib.loyalty_programme.points_by_year": Case(lambda: {"ledger": points_ledger()}),
    "kamlib.loyalty_programme.points_by_cohort": Case(
        lambda: {"ledger": points_ledger(), "at": "2024-12-31", "expiry_years": 1}
    ),
    "kamlib.loyalty_programme.breakage_rate": Case(
        lambda: {"ledger": points_ledger(), "at": "2024-12-31"}
    ),
    "kamlib.loyalty_programme.later_redemption_share": Case(
        lambda: {"ledger": points_ledger(), "as_of": "2022-12-31"}
    ),
    "kamlib.loyalty_programme.points_liability": Case(
        lambda: {"ledger": points_ledger(), "at": "2024-12-31", "value_per_point": 0.02}
    ),
    "kamlib.loyalty_programme.redemption_probability": Case(
        lambda: {"ledger": points_ledger(), "block": 500}
    ),
    "kamlib.loyalty_programme.programme_cost": Case(
        lambda: {
            "ledger": points_ledger(),
            "value_per_point": 0.02,
            "breakage": 0.4,
            "running_cost_cny": 10.0,
        }
    ),
    "kamlib.loyalty_programme.break_even_uplift": Case(
        lambda: {"cost_cny": 100.0, "revenue_cny": 1100.0, "margin_rate": 0.25}
    ),
    "kamlib.redeemers.redeemer_spend": Case(
        lambda: {
            "purchases": points_purchases(),
            "ledger": points_ledger(),
            "start": "2023-01-01",
            "end": "2023-07-01",
        },
        non_negative={"purchases": ["amount_cny"]},
    ),
    "kamlib.redeemers.redeemer_gap": Case(
        lambda: {"spend": redeemer_table(), "n_bins": 2},
        non_negative={"spend": ["spend_before", "spend_after"]},
    ),
    "kamlib.loyalty_programme.plot_points_by_year": Case(
        lambda: {
            "table": made(
                "loyalty_programme.points_by_year(points_ledger())",
                lambda: importlib.import_module("kamlib.loyalty_programme").points_by_year(
                    points_ledger()
                ),
            ),
            "title": "Points",
        },
        non_negative={"table": ["earned", "redeemed", "expired", "outstanding"]},
    ),
    "kamlib.private_banking.hnw_clients": Case(lambda: {}),
    "kamlib.private_banking.client_economics": Case(
        lambda: {
            "clients": importlib.import_module("kamlib.private_banking").hnw_clients(),
            "rm_hour_cost_cny": 800.0,
            "event_cost_cny": 5000.0,
        },
        unique={"clients": "client_id"},
        non_negative={
            "clients": [
                "aum_cny",
                "investable_assets_cny",
                "revenue_cny",
                "rm_hours",
                "events",
                "perks_cost_cny",
            ]
        },
    ),
    "kamlib.private_banking.tier_summary": Case(
        lambda: {"economics": bank_economics()},
        non_negative={
            "economics": ["aum_cny", "investable_assets_cny", "revenue_cny", "cost_to_serve_cny"]
        },
    ),
    # -- kamlib.rfm ---------------------------------------------------------------------------
    "kamlib.rfm.rfm_table": Case(
        lambda: {"orders": toy.orders(), "as_of": "2024-12-31"},
        non_negative={"orders": ["net_revenue_cny"]},
    ),
    "kamlib.rfm.rfm_scores": Case(
        lambda: {
            "rfm": made(
                'rfm.rfm_table(toy.orders(), as_of="2024-12-31")',
                lambda: rfm.rfm_table(toy.orders(), as_of="2024-12-31"),
            ),
            "bins": 2,
        },
        non_negative={"rfm": ["recency_days", "frequency"]},
    ),
    "kamlib.rfm.rfm_segments": Case(
        lambda: {
            "scores": made(
                'rfm.rfm_scores(rfm.rfm_table(toy.orders(), as_of="2024-12-31"), bins=5)',
                lambda: rfm.rfm_scores(rfm.rfm_table(toy.orders(), as_of="2024-12-31"), bins=5),
            ),
            "bins": 5,
        }
    ),
    "kamlib.rfm.segment_summary": Case(
        lambda: {
            "segments": made(
                "rfm.rfm_segments(rfm.rfm_scores(_rfm_table()))",
                lambda: rfm.rfm_segments(rfm.rfm_scores(_rfm_table())),
            )
        }
    ),
    "kamlib.rfm.plot_segments": Case(
        lambda: {
            "segments": made(
                "rfm.rfm_segments(rfm.rfm_scores(_rfm_table()))",
                lambda: rfm.rfm_segments(rfm.rfm_scores(_rfm_table())),
            )
        }
    ),
    # -- kamlib.identification ----------------------------------------------------------------
    "kamlib.identification.abc_classes": Case(
        lambda: {"values": revenue(), "cutoffs": (0.8, 0.95)},
        non_negative={"values": True},
    ),
    "kamlib.identification.plot_abc": Case(
        lambda: {
            "abc": made(
                "identification.abc_classes(revenue())",
                lambda: identification.abc_classes(revenue()),
            )
        }
    ),
    "kamlib.identification.value_matrix": Case(
        lambda: {"accounts": toy.accounts(), "revenue": revenue()},
        unique={"accounts": "account_id", "revenue": True},
        non_negative={"accounts": ["est_annual_spend_cny"], "revenue": True},
    ),
    "kamlib.identification.value_score": Case(
        lambda: {
            "matrix": made(
                "identification.value_matrix(toy.accounts(), revenue())",
                lambda: identification.value_matrix(toy.accounts(), revenue()),
            ),
            "potential_weight": 0.5,
        },
        non_negative={"matrix": ["current_value", "potential_value"]},
    ),
    "kamlib.identification.plot_value_matrix": Case(
        lambda: {
            "matrix": made(
                "identification.value_matrix(toy.accounts(), revenue())",
                lambda: identification.value_matrix(toy.accounts(), revenue()),
            ),
            "log": True,
        }
    ),
    "kamlib.identification.rule_based_key_accounts": Case(
        lambda: {"accounts": toy.accounts(), "rule": "size_tenure", "as_of": "2024-12-31"},
    ),
    "kamlib.identification.list_agreement": Case(
        lambda: {"lists": {"sales": {"T01", "T02"}, "rfm": {"T02", "T03"}}}
    ),
    "kamlib.identification.agreed_by_all": Case(
        lambda: {"lists": {"sales": {"T01", "T02"}, "rfm": {"T02", "T03"}}}
    ),
    "kamlib.identification.plot_agreement": Case(
        lambda: {"lists": {"sales": {"T01", "T02"}, "rfm": {"T02", "T03"}}}
    ),
    # -- kamlib.lifecycle ---------------------------------------------------------------------
    "kamlib.lifecycle.lifecycle_stages": Case(
        lambda: {
            "accounts": toy.accounts(),
            "orders": toy.orders(),
            "as_of": "2024-12-31",
            "lost_col": None,
        },
        unique={"accounts": "account_id"},
        accepts={
            r"missing value in 'customer_since'": "an empty contract date is allowed: the clock "
            "starts at the first order (documented)",
        },
    ),
    "kamlib.lifecycle.stage_transitions": Case(
        lambda: {
            "accounts": toy.accounts(),
            "orders": toy.orders(),
            "start": "2024-06-30",
            "end": "2024-12-31",
            "shares": False,
            "lost_col": None,
        },
        unique={"accounts": "account_id"},
        accepts={
            r"missing value in 'customer_since'": "an empty contract date is allowed: the clock "
            "starts at the first order (documented)",
        },
    ),
    "kamlib.lifecycle.cohort_counts": Case(lambda: {"orders": toy.orders(), "period": "M"}),
    "kamlib.lifecycle.cohort_retention": Case(lambda: {"orders": toy.orders(), "period": "M"}),
    "kamlib.lifecycle.plot_cohort_heatmap": Case(
        lambda: {
            "retention": made(
                "lifecycle.cohort_retention(toy.orders())",
                lambda: lifecycle.cohort_retention(toy.orders()),
            ),
            "annotate": True,
        }
    ),
    # -- kamlib.clv ---------------------------------------------------------------------------
    "kamlib.clv.clv": Case(
        lambda: {"margin": 100.0, "retention": 0.8, "discount_rate": 0.1, "horizon": 5},
        accepts={
            r"a list for a number": "margin, retention and discount_rate may be arrays: one "
            "CLV per element (documented)"
        },
    ),
    "kamlib.clv.per_period_rate": Case(lambda: {"annual_rate": 0.1, "periods_per_year": 4}),
    "kamlib.clv.clv_curve": Case(
        lambda: {"margin": 100.0, "retention": 0.8, "discount_rate": 0.1, "horizon": 3}
    ),
    "kamlib.clv.plot_clv_curve": Case(
        lambda: {"margin": 100.0, "retention": 0.8, "discount_rate": 0.1, "horizon": 3}
    ),
    "kamlib.clv.clv_explorer": Case(
        lambda: {"margin": 100.0, "retention": 0.8, "discount_rate": 0.1, "horizon": 3}
    ),
    "kamlib.clv.markov_clv": Case(
        lambda: {
            "transition_matrix": [[0.8, 0.2], [0.0, 1.0]],
            "values": [100.0, 0.0],
            "discount_rate": 0.1,
            "horizon": 5,
        }
    ),
    "kamlib.clv.recency_state_labels": Case(lambda: {"n_states": 4}),
    "kamlib.clv.recency_states": Case(
        lambda: {"orders": toy.orders(), "end": "2024-12-31", "period": "Q", "n_states": 4}
    ),
    "kamlib.clv.recency_transition_matrix": Case(
        lambda: {"orders": toy.orders(), "n_states": 2, "end": "2024-12-31", "counts": False}
    ),
    # -- kamlib.profitability (owned by H1; small fixes only) --------------------------------
    "kamlib.profitability.activity_counts": Case(lambda: {"activity": activity()}),
    "kamlib.profitability.cost_to_serve": Case(
        lambda: {"activity": activity(), "activity_costs": dict(PRICES)},
        non_negative={"activity": ["count"]},
    ),
    "kamlib.profitability.customer_profit": Case(
        lambda: {
            "accounts": toy.accounts(),
            "orders": toy.orders(),
            "activity": activity(),
            "period": 2024,
            "activity_costs": dict(PRICES),
            "lost_col": None,
        },
        unique={"accounts": "account_id"},
        accepts={
            r"period: number given as text": "a year may be given as text, '2024' (documented)"
        },
        non_negative={"activity": ["count"]},
    ),
    "kamlib.profitability.whale_curve": Case(lambda: {"profit": profit()}),
    "kamlib.profitability.whale_summary": Case(lambda: {"profit": profit()}),
    "kamlib.profitability.plot_whale_curve": Case(lambda: {"profit": profit()}),
    # -- kamlib.loyalty and the chapter 4 waterfall ------------------------------------------
    "kamlib.loyalty.satisfaction_outcomes": Case(
        loyalty_inputs,
        unique={"accounts": "account_id"},
        non_negative={"orders": ["net_revenue_cny"], "accounts": ["est_annual_spend_cny"]},
        accepts={r"missing value in 'lost_date'": "an empty lost date: still a customer"},
    ),
    "kamlib.loyalty.loyalty_by_score": Case(
        lambda: {"outcomes": outcomes()}, accepts=NEXT_SHARE_MISSING
    ),
    "kamlib.loyalty.satisfaction_links": Case(
        lambda: {"outcomes": outcomes()}, accepts=NEXT_SHARE_MISSING
    ),
    "kamlib.profitability.plot_profit_waterfall": Case(lambda: {"profit": waterfall_table()}),
    # -- chapter 8: CRM migration, record linkage, vendors, adoption -------------------------
    "kamlib.crm_migration.name_key": Case(
        lambda: {"values": ["ANDA TOOLS (East) CO., LTD.", None]}
    ),
    "kamlib.crm_migration.standardise_names": Case(lambda: {"values": ["anda tools co ltd"]}),
    "kamlib.crm_migration.parse_phones": Case(lambda: {"values": ["(021) 5270-3876", "194"]}),
    "kamlib.crm_migration.parse_dates": Case(
        lambda: {"values": ["2019-02-24", "24/02/2019"], "latest": "2023-01-01"}
    ),
    "kamlib.crm_migration.parse_amounts": Case(lambda: {"values": ["¥20,000", "RMB 370k"]}),
    "kamlib.crm_migration.parse_headcounts": Case(lambda: {"values": ["238", "approx. 40"]}),
    "kamlib.crm_migration.profile_export": Case(lambda: {"export": legacy_raw()}),
    "kamlib.crm_migration.target_schema": Case(lambda: {"latest": "2023-01-01"}),
    "kamlib.crm_migration.validate_export": Case(lambda: {"table": legacy_raw()}),
    "kamlib.crm_migration.standardise_export": Case(
        lambda: {"export": legacy_raw(), "latest": "2023-01-01"},
        accepts={
            r"missing value in '(company|region_code|industry_code|phone|credit_limit|employees"
            r"|owner)'": "empty cells stay missing (documented); validate_export reports them"
        },
    ),
    "kamlib.record_linkage.candidate_links": Case(
        lambda: {
            "clean": made("clean export", lambda: crm_migration.standardise_export(legacy_raw())),
            "accounts": link_accounts(),
            "top_k": 2,
        },
        accepts={
            r"clean: missing value in '(name_key|region)'": "a record without a name gets no "
            "candidate, one without a region is compared with all accounts (documented)"
        },
    ),
    "kamlib.record_linkage.link_records": Case(linking, accepts=CRM_LINK_ACCEPTS),
    "kamlib.record_linkage.duplicate_groups": Case(
        lambda: {"links": links()},
        accepts={
            r"links: (empty table|missing value in 'account_id')": "only matched records are "
            "grouped; an empty table gives an empty result (documented)"
        },
    ),
    "kamlib.record_linkage.match_quality": Case(
        lambda: {"links": links(), "key": link_key()}, accepts=CRM_LINK_ACCEPTS
    ),
    "kamlib.record_linkage.threshold_curve": Case(
        lambda: {**linking(), "key": link_key().iloc[:3], "thresholds": [0.5, 0.8]},
        accepts=CRM_LINK_ACCEPTS,
    ),
    "kamlib.record_linkage.error_costs": Case(
        lambda: {
            "curve": pd.DataFrame(
                {
                    "threshold": [0.6, 0.9],
                    "false_matches": [10, 1],
                    "missed_matches": [0, 20],
                    "review": [0, 0],
                }
            )
        }
    ),
    "kamlib.record_linkage.plot_threshold_curve": Case(
        lambda: {
            "curve": pd.DataFrame(
                {"threshold": [0.6, 0.9], "precision": [0.9, 1.0], "recall": [0.95, 0.7]}
            )
        },
        accepts={
            r"missing value in '(precision|recall)'": "precision is undefined (NaN) at a "
            "threshold no pair passes (documented); the line has a gap there"
        },
    ),
    "kamlib.crm_vendors.vendor_table": Case(dict),
    "kamlib.crm_vendors.decision_matrix": Case(
        lambda: {"vendors": vendors(), "weights": {"fit": 0.5, "cost": 0.5}, "cost_col": "cost"}
    ),
    "kamlib.crm_vendors.choice_sensitivity": Case(
        lambda: {
            "vendors": vendors(),
            "weights": {"fit": 0.8, "cost": 0.2},
            "grid": [0.0, 1.0],
            "cost_col": "cost",
        }
    ),
    "kamlib.crm_vendors.switch_points": Case(
        lambda: {"sensitivity": made("vendor choice", _vendor_choice)}
    ),
    "kamlib.crm_vendors.plot_choice_sensitivity": Case(
        lambda: {"sensitivity": made("vendor choice", _vendor_choice)}
    ),
    "kamlib.crm_adoption.adoption_table": Case(lambda: {"months": 3, "seed": 8}),
    "kamlib.crm_adoption.plot_adoption": Case(
        lambda: {"table": made("adoption", lambda: crm_adoption.adoption_table(months=3))}
    ),
    # -- kamlib.crm_impact (helper H6) --------------------------------------------------------
    "kamlib.crm_panels.kpi_panel": Case(lambda: {"kpis": crm_toy_kpis()}),
    "kamlib.crm_panels.ticket_panel": Case(
        lambda: {
            "interactions": crm_toy_tickets(),
            "accounts": crm_toy_regions(),
            "go_live": dict(CRM_GO_LIVE),
        }
    ),
    "kamlib.crm_panels.survey_panel": Case(
        lambda: {
            "surveys": crm_toy_surveys(),
            "accounts": crm_toy_regions(),
            "go_live": dict(CRM_GO_LIVE),
        }
    ),
    "kamlib.crm_impact.before_after": Case(lambda: {"panel": crm_toy_panel()}),
    "kamlib.crm_impact.naive_estimate": Case(lambda: {"panel": crm_toy_panel()}),
    "kamlib.crm_impact.did_twfe": Case(lambda: {"panel": crm_toy_panel()}),
    "kamlib.crm_impact.did_imputation": Case(lambda: {"panel": crm_toy_panel()}),
    "kamlib.crm_impact.event_study": Case(
        lambda: {"panel": crm_toy_panel(), "estimator": "twfe", "window": (-3, 3)}
    ),
    "kamlib.crm_impact.compare_estimators": Case(lambda: {"panel": crm_toy_panel()}),
    "kamlib.crm_impact.simulate_staggered": Case(lambda: {"seed": 1, "units_per_cohort": 1}),
    "kamlib.crm_impact.plot_kpi_trends": Case(lambda: {"panel": crm_toy_panel()}),
    "kamlib.crm_impact.plot_event_study": Case(
        lambda: {
            "study": pd.DataFrame(
                {
                    "event_time": [-2, -1, 0, 1],
                    "estimate": [0.01, 0.0, -0.3, -0.3],
                    "ci_low": [-0.05, 0.0, -0.4, -0.4],
                    "ci_high": [0.07, 0.0, -0.2, -0.2],
                }
            )
        }
    ),
    "kamlib.crm_impact.DidResult.as_dict": Case(
        lambda: {"self": crm_impact.DidResult("naive before/after", -0.3, 0.1, -0.5, -0.1, 10)}
    ),
    # -- kamlib.plot --------------------------------------------------------------------------
    "kamlib.plot.use_theme": Case(dict),
    "kamlib.plot.get_ax": Case(lambda: {"ax": None, "figsize": (4.0, 3.0)}),
    "kamlib.plot.label": Case(
        lambda: {"ax": an_axes(), "title": "Title", "xlabel": "x", "ylabel": "y"}
    ),
    "kamlib.plot.money_axis": Case(lambda: {"ax": an_axes(), "axis": "y"}),
    "kamlib.plot.share_axis": Case(lambda: {"ax": an_axes(), "axis": "y"}),
    # -- kamlib.toy ---------------------------------------------------------------------------
    "kamlib.toy.accounts": Case(dict),
    "kamlib.toy.orders": Case(dict),
    "kamlib.toy.interactions": Case(dict),
    "kamlib.toy.transactions": Case(dict),
    # -- kamlib.datasets (loaders; the simulation modules are owned elsewhere) ---------------
    "kamlib.datasets.names": Case(dict),
    "kamlib.datasets.data_dir": Case(dict),
    "kamlib.datasets.true_parameters": Case(dict),
    "kamlib.datasets.schema": Case(lambda: {"name": "orders"}),
    "kamlib.datasets.load": Case(lambda: {"name": "accounts", "extra": "error"}),
    "kamlib.datasets.validate": Case(
        lambda: {"data": _lines_head(), "name": "order_lines", "extra": "error"},
        unique={"data": ("order_id", "line_no")},
    ),
    # -- chapter 9: kamlib.satisfaction and kamlib.service_recovery (helper ch9a) -----------
    "kamlib.satisfaction.nps_summary": Case(
        lambda: {"surveys": ch9_surveys(), "by": "account_id"}, accepts=CH9_BY_LIST
    ),
    "kamlib.satisfaction.csat_summary": Case(lambda: {"surveys": ch9_surveys()}),
    "kamlib.satisfaction.nps_minimum_detectable_change": Case(
        lambda: {"n": 400, "promoters": 0.3, "detractors": 0.25}
    ),
    "kamlib.satisfaction.response_bias": Case(
        lambda: {
            "accounts": ch9_accounts(),
            "surveys": ch9_surveys(),
            "orders": ch9_orders(),
            "survey_year": 2023,
        },
        unique={"accounts": "account_id"},
        non_negative={"accounts": ["employees"], "orders": ["net_revenue_cny"]},
        accepts={r"missing value in 'lost_date'": "an empty lost date: still a customer"},
    ),
    "kamlib.satisfaction.driver_analysis": Case(lambda: {"surveys": ch9_surveys()}),
    "kamlib.satisfaction.importance_performance": Case(lambda: {"surveys": ch9_surveys()}),
    "kamlib.satisfaction.plot_importance_performance": Case(
        lambda: {"table": satisfaction.importance_performance(ch9_surveys())}
    ),
    "kamlib.service_recovery.complaint_outcomes": Case(
        lambda: {"contacts": ch9_contacts(), "surveys": ch9_surveys(), "accounts": ch9_accounts()},
        unique={"accounts": "account_id"},
        non_negative={"contacts": ["resolution_hours"]},
        accepts={r"missing value in 'lost_date'": "an empty lost date: still a customer"},
    ),
    "kamlib.service_recovery.service_recovery_table": Case(
        lambda: {"outcomes": ch9_outcomes()}, accepts=CH9_NO_FOLLOW_UP
    ),
    "kamlib.service_recovery.recovery_effect": Case(
        lambda: {"outcomes": ch9_outcomes()},
        accepts={
            **CH9_NO_FOLLOW_UP,
            r"text in numeric 'survey_year'": "adjust_for columns are categories: any labels "
            "(documented)",
        },
    ),
    # -- chapter 10: kamlib.dependence, credit_risk, early_warning, risk_register (helper H7) --
    "kamlib.toy.invoices": Case(dict),
    "kamlib.toy.payments": Case(dict),
    "kamlib.dependence.hhi": Case(lambda: {"data": revenue()}, non_negative={"data": []}),
    "kamlib.dependence.hhi_band": Case(lambda: {"points": 3800.0}),
    "kamlib.dependence.top_n_shares": Case(lambda: {"data": profit()}),
    "kamlib.dependence.dependence_table": Case(
        lambda: {"orders": toy.orders(), "accounts": toy.accounts(), "by": "region"},
        unique={"accounts": "account_id"},
        non_negative={"orders": ["net_revenue_cny"]},
    ),
    "kamlib.dependence.loss_stress_test": Case(
        lambda: {"profit": stress_profit(), "fixed_costs": 120.0},
        non_negative={"profit": ["net_revenue"]},
    ),
    "kamlib.dependence.plot_stress_test": Case(
        lambda: {"stress": dependence.loss_stress_test(stress_profit(), fixed_costs=120.0)}
    ),
    **{
        f"kamlib.credit_risk.{name}": Case(
            lambda: {"invoices": toy.invoices(), "payments": toy.payments(), "as_of": "2024-12-31"},
            unique={"invoices": "invoice_id"},
            non_negative={"invoices": ["amount_cny"], "payments": ["amount_cny"]},
        )
        for name in ("open_items", "ageing", "dso", "late_payers", "expected_loss")
    },
    "kamlib.credit_risk.observed_default_rates": Case(
        lambda: {
            "invoices": toy.invoices(),
            "payments": toy.payments(),
            "as_of": "2024-08-31",
            "observed_until": "2024-12-31",
        },
        unique={"invoices": "invoice_id"},
        non_negative={"invoices": ["amount_cny"], "payments": ["amount_cny"]},
    ),
    "kamlib.credit_risk.credit_exposure": Case(
        lambda: {
            "invoices": toy.invoices(),
            "payments": toy.payments(),
            "accounts": toy.accounts().assign(credit_limit_cny=[1000.0, 500.0, 500.0, 100.0]),
            "as_of": "2024-12-31",
        },
        unique={"invoices": "invoice_id", "accounts": "account_id"},
        non_negative={
            "invoices": ["amount_cny"],
            "payments": ["amount_cny"],
            "accounts": ["credit_limit_cny"],
        },
    ),
    "kamlib.credit_risk.plot_ageing": Case(
        lambda: {"table": credit_risk.ageing(toy.invoices(), toy.payments(), as_of="2024-12-31")}
    ),
    "kamlib.early_warning.warning_signals": Case(
        lambda: {
            "accounts": toy.accounts(),
            "orders": toy.orders(),
            "interactions": toy.interactions(),
            "as_of": "2024-12-31",
            "lost_col": None,
        },
        unique={"accounts": "account_id"},
    ),
    "kamlib.early_warning.risk_matrix": Case(lambda: {"signals": warning_table()}),
    "kamlib.early_warning.plot_risk_matrix": Case(lambda: {"signals": warning_table()}),
    "kamlib.early_warning.evaluate_warnings": Case(
        lambda: {
            "signals": warning_table(),
            "accounts": warned_accounts(),
            "as_of": "2024-01-01",
            "horizon_days": 90,
        },
        unique={"accounts": "account_id"},
        accepts={
            r"missing value in 'lost_date'": "an empty lost date means the account is still a "
            "customer (documented)"
        },
    ),
    "kamlib.risk_register.risk_register": Case(
        lambda: {
            "risks": [
                {
                    "risk": "Top account leaves",
                    "likelihood": 2,
                    "impact": 5,
                    "owner": "KAM",
                    "mitigation": "Business reviews",
                },
                {
                    "risk": "Overdue invoices",
                    "likelihood": 4,
                    "impact": 2,
                    "owner": "Credit",
                    "mitigation": "Credit hold",
                },
            ]
        }
    ),  # fmt: skip
    "kamlib.risk_register.likelihood_level": Case(lambda: {"probability": 0.3}),
    "kamlib.risk_register.impact_level": Case(lambda: {"share": 0.07}),
    # -- chapter 9: kamlib.churn, survival, retention (churn helper) ------------------------
    "kamlib.churn.churn_features": Case(
        lambda: {
            "accounts": toy.accounts(),
            "orders": toy.orders(),
            "surveys": churn_toy_surveys(),
            "activity": churn_toy_activity(),
            "as_of": "2024-12-31",
            "lost_col": None,
        },
        unique={"accounts": "account_id"},
    ),
    "kamlib.churn.churn_labels": Case(
        lambda: {
            "accounts": churn_toy_accounts(),
            "as_of": "2023-12-31",
            "observed_until": "2024-12-31",
            "horizon_days": 365,
        },
        unique={"accounts": "account_id"},
        accepts={
            r"missing value in 'lost_date'": "an empty lost date means the account is still a "
            "customer (documented)"
        },
    ),
    "kamlib.churn.ChurnModel": Case(
        lambda: {"features": ["csat", "fit"], "C": 1.0, "max_iter": 200},
        then=lambda model: model.fit(churn_toy_X(), CHURN_TOY_Y),
    ),
    "kamlib.churn.ChurnModel.fit": Case(
        lambda: {"self": churn.ChurnModel(["csat", "fit"]), "X": churn_toy_X(), "y": CHURN_TOY_Y},
        accepts={r"X: missing value": "gaps are filled with the training median (documented)"},
    ),
    **{
        f"kamlib.churn.ChurnModel.{name}": Case(
            lambda: {"self": churn_toy_model(), "X": churn_toy_X()},
            needs_fit=True,
            accepts={r"X: missing value": "gaps are filled with the training median (documented)"},
        )
        for name in ("predict_proba", "predict_churn")
    },
    "kamlib.churn.ChurnModel.drivers": Case(lambda: {"self": churn_toy_model()}, needs_fit=True),
    "kamlib.churn.ChurnModel.get_params": Case(
        lambda: {"self": churn.ChurnModel(), "deep": True},
        accepts={r"deep": "deep is ignored (there are no nested estimators), as in scikit-learn"},
    ),
    "kamlib.churn.ChurnModel.set_params": Case(
        lambda: {"self": churn.ChurnModel(), "C": 2.0}, accepts=SET_PARAMS_ACCEPTS
    ),
    "kamlib.churn.evaluate_churn": Case(
        lambda: {
            "y_true": [1, 0, 1, 0, 0, 1],
            "p_churn": [0.9, 0.2, 0.6, 0.4, 0.1, 0.3],
            "n_bins": 2,
        }
    ),
    "kamlib.churn.calibration_table": Case(
        lambda: {
            "y_true": [1, 0, 1, 0, 0, 1],
            "p_churn": [0.9, 0.2, 0.6, 0.4, 0.1, 0.3],
            "n_bins": 2,
        }
    ),
    "kamlib.churn.plot_calibration": Case(
        lambda: {"table": made("churn calibration", _churn_calibration)}
    ),
    "kamlib.survival.survival_data": Case(
        lambda: {"accounts": churn_toy_accounts(), "start": "2022-01-01", "end": "2024-12-31"},
        unique={"accounts": "account_id"},
        accepts={
            r"missing value in 'lost_date'": "an empty lost date means the account is still a "
            "customer (documented)"
        },
    ),
    "kamlib.survival.km_table": Case(lambda: {"data": survival_toy(), "by": "group"}),
    "kamlib.survival.plot_km": Case(lambda: {"table": made("km table", _km_toy)}),
    "kamlib.survival.fit_cox": Case(lambda: {"data": survival_toy(), "covariates": ["x"]}),
    "kamlib.survival.ph_check": Case(lambda: {"data": survival_toy(), "covariates": ["x"]}),
    "kamlib.retention.expected_value_saved": Case(
        lambda: {"data": retention_toy(), "p_offer_works": 0.4, "cost_col": "cost"},
        non_negative={"data": ["p_churn", "value_at_risk", "cost"]},
    ),
    "kamlib.retention.target_accounts": Case(
        lambda: {
            "data": retention_toy(),
            "budget": 3000.0,
            "p_offer_works": 0.4,
            "cost_col": "cost",
        },
        non_negative={"data": ["p_churn", "value_at_risk", "cost"]},
    ),
    "kamlib.retention.compare_rules": Case(
        lambda: {
            "data": retention_toy(),
            "budget": 3000.0,
            "p_offer_works": 0.4,
            "offer_cost": 1000.0,
        },
        non_negative={"data": ["p_churn", "value_at_risk"]},
    ),
    # -- chapter 11: kamlib.profit_tree and kamlib.scenarios (helper ch11) -------------------
    "kamlib.profit_tree.toy_tables": Case(dict),
    **{
        f"kamlib.profit_tree.{name}": Case(
            lambda: dict(
                zip(("accounts", "orders", "activity"), profit_tree.toy_tables(), strict=True),
                year=2024,
            ),
            unique={"accounts": "account_id"},
            non_negative={"orders": ["net_revenue_cny", "cogs_cny"], "activity": ["count"]},
            accepts={
                r"missing value in 'lost_date'": "an empty lost date: still a customer "
                "(documented in customer_profit)",
                r"missing value in 'est_annual_spend_cny'": "an unknown wallet is NaN "
                "(documented in account_drivers)",
            },
        )
        for name in ("account_drivers", "profit_tree")
    },
    "kamlib.profit_tree.branch_totals": Case(
        lambda: {"tree": profit_tree.profit_tree(*profit_tree.toy_tables())}
    ),
    "kamlib.profit_tree.plot_profit_tree": Case(
        lambda: {"tree": profit_tree.profit_tree(*profit_tree.toy_tables())}
    ),
    "kamlib.profit_tree.base_economics": Case(
        lambda: {"drivers": profit_tree.account_drivers(*profit_tree.toy_tables())}
    ),
    "kamlib.profit_tree.bootstrap_economics": Case(
        lambda: {
            "drivers": profit_tree.account_drivers(*profit_tree.toy_tables()),
            "n_boot": 20,
            "seed": 1,
        }
    ),
    "kamlib.profit_tree.lever_values": Case(
        lambda: {
            "economics": profit_tree.base_economics(
                profit_tree.account_drivers(*profit_tree.toy_tables())
            ),
            "retention_points": 0.01,
        }
    ),
    "kamlib.scenarios.npv": Case(lambda: {"cash_flows": [-100.0, 60.0, 60.0], "rate": 0.1}),
    "kamlib.scenarios.payback_period": Case(lambda: {"cash_flows": [-100.0, 60.0, 60.0]}),
    "kamlib.scenarios.ramp_up": Case(lambda: {"years": 4, "ramp_years": 2}),
    "kamlib.scenarios.programme_cash_flows": Case(lambda: {"assumptions": ch11_programme()}),
    "kamlib.scenarios.programme_summary": Case(lambda: {"assumptions": ch11_programme()}),
    "kamlib.scenarios.programme_explorer": Case(lambda: {"assumptions": ch11_programme()}),
    "kamlib.scenarios.simulate_programme": Case(
        lambda: {
            "assumptions": ch11_programme(),
            "uncertain": {"retention_gain": (0.05, 0.01)},
            "n_sims": 50,
            "seed": 1,
        }
    ),
    "kamlib.scenarios.summarise_draws": Case(
        lambda: {
            "draws": pd.DataFrame({"npv": [-1.0, 2.0, 3.0], "payback_years": [1.0, 2.0, 3.0]})
        },
        accepts={
            r"column 'npv' missing": "every numeric column is summarised, none is required "
            "(documented)",
            r"[+-]inf in '(npv|payback_years)'": "infinite draws (a payback never reached) are "
            "accepted "
            "(documented)",
        },
    ),
    "kamlib.scenarios.tornado_table": Case(
        lambda: {"assumptions": ch11_programme(), "ranges": {"upfront_cost": (500.0, 1500.0)}}
    ),
    "kamlib.scenarios.plot_tornado": Case(
        lambda: {
            "table": scenarios.tornado_table(ch11_programme(), {"upfront_cost": (500.0, 1500.0)})
        }
    ),
    "kamlib.scenarios.plot_cash_flows": Case(
        lambda: {"flows": scenarios.programme_cash_flows(ch11_programme())}
    ),
    "kamlib.scenarios.plot_npv_distribution": Case(
        lambda: {"draws": pd.DataFrame({"npv": [-1.0, 2.0, 3.0]})}
    ),
    # -- chapter 6: kamlib.segmentation -------------------------------------------------------
    "kamlib.segmentation.segment_features": Case(
        lambda: {
            "accounts": toy.accounts(),
            "orders": toy.orders(),
            "activity": activity(),
            "as_of": "2024-12-31",
            "months": 6,
        },
        unique={"accounts": "account_id"},
        non_negative={"orders": ["net_revenue_cny"], "activity": ["count"]},
    ),
    "kamlib.segmentation.choose_k": Case(
        lambda: {
            "features": seg_features(),
            "columns": ["revenue", "growth"],
            "log_columns": ["revenue"],
            "k_values": [2, 3, 4],
            "n_boot": 2,
            "seed": 1,
        }
    ),
    "kamlib.segmentation.fit_segments": Case(
        lambda: {
            "features": seg_features(),
            "k": 3,
            "columns": ["revenue", "growth"],
            "log_columns": ["revenue"],
            "seed": 1,
        }
    ),
    "kamlib.segmentation.assign_segments": Case(
        lambda: {
            "features": seg_features().iloc[[0, 5, 10]],
            "segmented": segmented(),
            "columns": ["revenue", "growth"],
            "log_columns": ["revenue"],
        }
    ),
    "kamlib.segmentation.segment_profiles": Case(
        lambda: {"segmented": segmented(), "statistic": "median"}
    ),
    "kamlib.segmentation.segment_traits": Case(
        lambda: {
            "segmented": segmented(),
            "columns": ["revenue", "growth"],
            "log_columns": ["revenue"],
            "n_traits": 1,
            "threshold": 0.5,
        }
    ),
    "kamlib.segmentation.segment_separation": Case(
        lambda: {"segmented": segmented(), "values": seg_values()}
    ),
    "kamlib.segment_charts.plot_k_choice": Case(lambda: {"choice": k_choice()}),
    "kamlib.segment_charts.plot_segment_profiles": Case(
        lambda: {
            "traits": made(
                "segmentation.segment_traits(segmented())",
                lambda: segmentation.segment_traits(
                    segmented(), columns=["revenue", "growth"], log_columns=["revenue"]
                ),
            ),
            "names": {1: "Large", 2: "Middle", 3: "Small"},
        }
    ),
    "kamlib.segment_charts.plot_segment_map": Case(
        lambda: {"segmented": segmented(), "x": "revenue", "y": "growth", "log_x": True}
    ),
    # -- chapter 7: kamlib.campaigns, kamlib.uplift, kamlib.market_basket (helper ch7) --------
    "kamlib.campaigns.campaign_window": Case(
        lambda: {
            "campaign": ch7_campaign(),
            "accounts": ch7_accounts(),
            "orders": ch7_orders(),
            "window_days": 30,
        },
        unique={"campaign": "account_id", "accounts": "account_id"},
        accepts={
            r"missing value in 'lost_date'": "an empty lost date means the account is still a "
            "customer (documented)"
        },
    ),
    "kamlib.campaigns.ab_difference": Case(
        lambda: {"data": ch7_window(), "covariates": ["revenue_pre_cny"]}
    ),
    "kamlib.campaigns.ab_power": Case(lambda: {"data": ch7_window(), "effect": 50.0}),
    "kamlib.campaigns.uplift_by_segment": Case(lambda: {"data": ch7_window()}),
    "kamlib.campaigns.order_rate_ratio": Case(
        lambda: {"window": ch7_window()},
        non_negative={"window": ["orders_post", "orders_pre", "days_active"]},
    ),
    "kamlib.campaigns.hazard_ratio": Case(
        lambda: {"window": ch7_window(), "strata": "size_band"},
        non_negative={"window": ["orders_post", "days_active"]},
    ),
    "kamlib.campaigns.implied_uplift": Case(
        lambda: {
            "window": ch7_window(),
            "rate_lift": {"Small": 1.05, "Medium": 1.15},
            "hazard_ratio": 0.6,
        },
        non_negative={"window": ["orders_post", "days_active", "revenue_post_cny"]},
        accepts={r"rate_lift: a number for a dict": "one lift for every segment (documented)"},
    ),
    "kamlib.campaigns.campaign_roi": Case(
        lambda: {"incremental_revenue": 10_000.0, "cost": 2_000.0, "margin_rate": 0.3}
    ),
    "kamlib.uplift.two_model_uplift": Case(
        lambda: {
            "train": ch7_window(),
            "score": ch7_window(),
            "features": ["revenue_pre_cny", "size_band"],
        }
    ),
    "kamlib.uplift.cross_fitted_uplift": Case(
        lambda: {"data": ch7_window(), "features": ["revenue_pre_cny"], "seed": 0}
    ),
    "kamlib.uplift.qini_curve": Case(lambda: ch7_qini_inputs()),
    "kamlib.uplift.qini_area": Case(lambda: {"curve": ch7_qini()}),
    "kamlib.uplift.plot_qini": Case(lambda: {"curve": ch7_qini()}),
    "kamlib.market_basket.basket_matrix": Case(
        lambda: {"lines": ch7_lines()},
        accepts={
            r"text in numeric 'order_id'": "basket ids are labels: numbers and text both name a "
            "basket (documented)"
        },
    ),
    "kamlib.market_basket.basket_rules": Case(
        lambda: {"baskets": market_basket.basket_matrix(ch7_lines()), "min_support": 0.3}
    ),
    "kamlib.market_basket.next_best_offers": Case(
        lambda: {"history": ch7_history(), "rules": ch7_rules(), "n_offers": 2},
        accepts={
            r"rules: empty table": "no rule reached the thresholds: popularity offers (documented)"
        },
    ),
    "kamlib.market_basket.first_new_items": Case(
        lambda: {"history": ch7_history(), "later": ch7_later()}
    ),
    "kamlib.market_basket.offer_hit_rate": Case(
        lambda: {
            "offers": market_basket.next_best_offers(ch7_history()),
            "outcome": market_basket.first_new_items(ch7_history(), ch7_later()),
        }
    ),
}


# Chapter 11: a programme on a base of 100 accounts (the scenarios module's inputs).
def ch11_programme() -> dict:
    return dict(accounts=100, retention=0.8, revenue_per_account=1000.0, gross_margin_rate=0.3,
                cost_to_serve_per_account=100.0, retention_gain=0.05, revenue_uplift=0.02,
                cost_to_serve_cut=0.05, upfront_cost=1000.0, running_cost=100.0,
                cost_per_account=2.0, ramp_years=2, years=3, discount_rate=0.1)  # fmt: skip


# Chapter 7: three campaign accounts; a window of twelve accounts in two size bands; six
# baskets; four accounts' history and what they bought later.
def ch7_campaign() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A", "B", "C"],
            "group": ["treatment", "control", "control"],
            "start_date": pd.to_datetime(["2024-05-01"] * 3),
        }
    )


def ch7_accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {"account_id": ["A", "B", "C"], "lost_date": pd.to_datetime([None, "2024-05-11", None])}
    )


def ch7_orders() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A", "A", "B", "C"],
            "order_date": pd.to_datetime(["2024-04-01", "2024-05-20", "2024-05-03", "2024-05-09"]),
        }
    )


def ch7_window() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": [f"W{i:02d}" for i in range(12)],
            "size_band": ["Small"] * 6 + ["Medium"] * 6,
            "group": ["treatment", "treatment", "treatment", "control", "control", "control"] * 2,
            "revenue_pre_cny": [100.0, 80, 120, 90, 110, 100, 300, 250, 280, 260, 320, 290],
            "revenue_post_cny": [120.0, 90, 130, 80, 100, 95, 340, 260, 300, 250, 300, 280],
            "orders_pre": [2, 1, 3, 2, 2, 1, 4, 3, 5, 4, 4, 3],
            "orders_post": [3, 2, 3, 1, 2, 1, 5, 4, 6, 3, 4, 3],
            "days_active": [180, 180, 150, 180, 90, 180, 180, 180, 180, 120, 180, 180],
            "lost_in_window": [False, False, True, False, True, False] * 2,
        }
    )


def ch7_qini_inputs() -> dict:
    return {
        "outcome": [10.0, 0.0, 4.0, 2.0],
        "treated": [1, 0, 1, 0],
        "scores": [0.9, 0.8, 0.7, 0.1],
    }


def ch7_qini() -> pd.DataFrame:
    return uplift.qini_curve(**ch7_qini_inputs())


def ch7_lines() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "order_id": [1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 5, 6, 6],
            "product_category": ["bread", "milk", "bread", "butter", "milk", "bread", "butter",
                                 "milk", "bread", "butter", "milk", "butter", "jam"],
        }
    )  # fmt: skip


def ch7_rules() -> pd.DataFrame:
    return made(
        "market_basket.basket_rules(ch7_lines())",
        lambda: market_basket.basket_rules(
            market_basket.basket_matrix(ch7_lines()), min_support=0.3
        ),
    )


def ch7_history() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A", "A", "B", "B", "C", "D"],
            "product_category": ["bread", "milk", "bread", "butter", "jam", "bread"],
        }
    )


def ch7_later() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A", "A", "B", "C", "D"],
            "product_category": ["milk", "jam", "butter", "bread", "milk"],
            "order_date": pd.to_datetime(
                ["2024-01-02", "2024-01-03", "2024-01-05", "2024-02-01", "2024-03-01"]
            ),
        }
    )


# Chapter 6: twelve accounts in three clear groups of revenue (spend) and growth.
def seg_features() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "revenue": [9e5, 1e6, 1.1e6, 9.5e5, 5e4, 6e4, 5.5e4, 4.5e4, 2e3, 2.5e3, 3e3, 1.5e3],
            "growth": [0.1, 0.0, 0.2, 0.1, 1.5, 1.8, 1.6, 1.7, -0.9, -1.0, -0.8, -1.1],
            "profit": [2e5, 1.5e5, 2.5e5, 1.8e5, 1e4, 8e3, 9e3, 7e3, -500.0, 200.0, 100.0, -50.0],
        },
        index=pd.Index([f"S{i:02d}" for i in range(1, 13)], name="account_id"),
    )


def segmented() -> pd.DataFrame:
    out = seg_features()
    out["segment"] = [1] * 4 + [2] * 4 + [3] * 4
    return out


def seg_values() -> pd.DataFrame:
    return pd.DataFrame(
        {"satisfaction": [0.5, 0.2, 0.4, 0.1, 0.0, -0.2, 0.1, 0.3, -0.5, -0.1, -0.4, 0.0]},
        index=pd.Index([f"S{i:02d}" for i in range(1, 13)], name="account_id"),
    )


def k_choice() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "inertia_share": [1.0, 0.2, 0.15],
            "elbow": [False, True, False],
            "silhouette": [0.5, 0.8, 0.6],
            "stability": [0.7, 1.0, 0.8],
        },
        index=pd.Index([2, 3, 4], name="k"),
    )


def stress_profit() -> pd.DataFrame:
    return pd.DataFrame(
        {"net_revenue": [500.0, 300, 100, 60, 40], "profit": [100.0, 40, 10, -5, 5]},
        index=pd.Index(list("ABCDE"), name="account_id"),
    )


def warning_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "churn_risk": ["high", "high", "low", "medium"],
            "value_tier": ["high", "low", "low", "medium"],
            "value_at_risk": [900.0, 20.0, 30.0, 200.0],
        },
        index=pd.Index(["A", "B", "C", "D"], name="account_id"),
    )


def warned_accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "D"],
            "lost_date": pd.to_datetime(["2024-03-01", None, "2024-02-01", None]),
        }
    )


@cache
def _rfm_table_cached() -> pd.DataFrame:
    return rfm.rfm_table(toy.orders(), as_of="2024-12-31")


def _rfm_table() -> pd.DataFrame:
    return _rfm_table_cached().copy()


@cache
def _lines_head_cached() -> pd.DataFrame:
    return datasets.load("order_lines").head(8)


def _lines_head() -> pd.DataFrame:
    return _lines_head_cached().copy()


# Chapter 9's churn, survival and retention toys (churn helper).
churn = importlib.import_module("kamlib.churn")
survival = importlib.import_module("kamlib.survival")


def churn_toy_surveys() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["T01", "T02", "T01"],
            "survey_date": pd.to_datetime(["2023-11-05", "2023-11-07", "2024-11-05"]),
            "csat": [4, 2, 5],
            "nps": [8, 3, 9],
        }
    )


def churn_toy_activity() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["T01", "T03", "T04"],
            "month": pd.to_datetime(["2024-03-01", "2024-05-01", "2024-09-01"]),
            "activity": ["return", "technical_support", "return"],
            "count": [2, 1, 3],
        }
    )


def churn_toy_accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A", "B", "C", "D"],
            "customer_since": pd.to_datetime(["2020-01-01", "2021-05-01", "2022-03-01",
                                              "2023-02-01"]),
            "lost_date": pd.to_datetime([None, "2024-06-30", "2023-03-01", None]),
        }
    )  # fmt: skip


CHURN_TOY_Y = [1, 1, 0, 0, 0, 0, 1, 0]


def churn_toy_X() -> pd.DataFrame:
    return pd.DataFrame({"csat": [1.0, 2, 3, 4, 5, 5, 2, 4], "fit": [3.0, 1, 2, 3, 2, 1, 3, 2]})


def churn_toy_model():
    return made(
        "churn model", lambda: churn.ChurnModel(["csat", "fit"]).fit(churn_toy_X(), CHURN_TOY_Y)
    )


def _churn_calibration() -> pd.DataFrame:
    return churn.calibration_table([1, 0, 1, 0, 0, 1], [0.9, 0.2, 0.6, 0.4, 0.1, 0.3], n_bins=2)


def survival_toy() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "duration_months": [2.0, 3, 3, 5, 7, 8, 4, 6],
            "lost": [True, False, True, True, False, True, True, False],
            "entry_months": [0.0, 0, 1, 0, 2, 0, 0, 1],
            "x": [0.5, -0.2, 1.0, 0.3, -1.0, 0.1, 0.8, -0.5],
            "group": ["a", "a", "b", "a", "b", "b", "a", "b"],
        }
    )


def _km_toy() -> pd.DataFrame:
    return survival.km_table(survival_toy(), by="group")


def retention_toy() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "p_churn": [0.5, 0.05, 0.3, 0.8],
            "value_at_risk": [10000.0, 200000.0, 40000.0, 2000.0],
            "cost": [1000.0, 4000.0, 1200.0, 600.0],
            "churned": [True, False, True, True],
        }
    )


# ---------------------------------------------------------------------------------------------
# Bad variants of a valid call
# ---------------------------------------------------------------------------------------------
ERROR = "a KamlibError naming the function"
ERROR_OR_WARN = "a KamlibError or a warning naming the function"
CLEAN = "no raw error"
NOT_FITTED = "a NotFittedError naming the function"

DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SEED_NAMES = {"seed", "random_state"}


def _is_model(value) -> bool:
    return hasattr(value, "fit") and hasattr(value, "get_params")


def _unfitted(model):
    return type(model)(**model.get_params())


def _with_value(frame: pd.DataFrame, column: str, value) -> pd.DataFrame:
    """A copy of ``frame`` with ``value`` in the first row of ``column`` (as object if needed)."""
    out = frame.copy()
    series = out[column]
    if pd.api.types.is_integer_dtype(series) and (value is None or isinstance(value, float)):
        series = series.astype(float)  # as pandas stores an integer column with a gap
        out[column] = series
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            new = series.copy()
            new.iloc[0] = value
            if new.dtype == series.dtype or value is None or isinstance(value, float):
                out[column] = new
                return out
    except (TypeError, ValueError, FutureWarning, Warning):
        pass
    new = series.astype(object)
    new.iloc[0] = value
    out[column] = new
    return out


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def column_variants(key: str, frame: pd.DataFrame, column: str, case: Case):
    """Bad contents of one column the function reads."""
    series = frame[column]
    yield f"{key}: missing value in {column!r}", _with_value(frame, column, None), ERROR_OR_WARN
    if _numeric(series):
        for sign, label in ((1, "+inf"), (-1, "-inf")):
            yield (
                f"{key}: {label} in {column!r}",
                _with_value(frame, column, sign * math.inf),
                ERROR_OR_WARN,
            )
        negative = -abs(float(series.iloc[0])) - 1.0
        must = column in case.non_negative.get(key, ())
        yield (
            f"{key}: negative value in {column!r}",
            _with_value(frame, column, negative),
            ERROR if must else CLEAN,
        )
        yield f"{key}: text in numeric {column!r}", _with_value(frame, column, "abc"), ERROR
    elif pd.api.types.is_datetime64_any_dtype(series):
        as_int = frame.copy()
        digits = series.dt.strftime("%Y%m%d")
        as_int[column] = digits.astype("int64" if digits.notna().all() else "Int64")
        yield f"{key}: integer dates in {column!r}", as_int, ERROR
        yield (
            f"{key}: unparseable date in {column!r}",
            _with_value(frame, column, "31/31/2024"),
            ERROR,
        )
        as_text = frame.copy()
        as_text[column] = series.dt.strftime("%Y-%m-%d")
        yield f"{key}: ISO text dates in {column!r}", as_text, CLEAN


def series_variants(key: str, series: pd.Series, case: Case):
    yield f"{key}: a file name instead of a Series", "values.csv", ERROR
    yield f"{key}: empty", series.iloc[:0].copy(), ERROR_OR_WARN
    yield f"{key}: one value", series.iloc[:1].copy(), CLEAN
    for label, value in (("missing value", np.nan), ("+inf", np.inf), ("-inf", -np.inf)):
        bad = series.astype(float).copy()
        bad.iloc[0] = value
        yield f"{key}: {label}", bad, ERROR_OR_WARN
    negative = series.astype(float).copy()
    negative.iloc[0] = -abs(negative.iloc[0]) - 1.0
    yield f"{key}: negative value", negative, ERROR if key in case.non_negative else CLEAN
    text = series.astype(object).copy()
    text.iloc[0] = "abc"
    yield f"{key}: text value", text, ERROR
    doubled = pd.concat([series, series.iloc[:1]])
    yield f"{key}: duplicate label", doubled, ERROR_OR_WARN if key in case.unique else CLEAN


def _columns_of(valid: dict) -> set:
    names = set()
    for value in valid.values():
        if isinstance(value, pd.DataFrame):
            names.update(map(str, value.columns))
        elif isinstance(value, pd.Series) and value.name is not None:
            names.add(str(value.name))
    return names


def argument_variants(key: str, value, valid: dict, case: Case):
    """Bad values of one argument that is not a table."""
    if isinstance(value, bool):
        yield f"{key}: flag given as 'no'", "no", ERROR
        yield f"{key}: flag given as None", None, CLEAN
    elif key in SEED_NAMES:
        for bad in (-1, "2", True, 2.5):
            yield f"{key}: bad seed {bad!r}", bad, ERROR
    elif isinstance(value, numbers.Real):
        yield f"{key}: number given as text", str(value), ERROR
        yield f"{key}: NaN", math.nan, ERROR
        yield f"{key}: +inf", math.inf, CLEAN
        yield f"{key}: negative", -abs(value) - 1, CLEAN
        yield f"{key}: a list for a number", [value], ERROR
    elif isinstance(value, str):
        if key.endswith("_col") or key in ("by", "target") or value in _columns_of(valid):
            yield f"{key}: a list for a column name", [value], ERROR
            yield f"{key}: a number for a column name", 123, ERROR
            yield f"{key}: misspelt column name", value + "_typo", ERROR
        elif DATE_TEXT.match(value):
            yield f"{key}: integer date", int(value.replace("-", "")), ERROR
            yield f"{key}: unparseable date", "31/31/2024", ERROR
        else:
            yield f"{key}: misspelt word", value + "_typo", CLEAN
            yield f"{key}: a list for a word", [value], CLEAN
    elif isinstance(value, dict):
        yield f"{key}: a list for a dict", list(value), ERROR
        yield f"{key}: a number for a dict", 5, ERROR
    elif isinstance(value, list | tuple | set):
        yield f"{key}: a number for a list", 5, ERROR
        yield f"{key}: a word for a list", "abc", CLEAN
        items = list(value)
        if items and all(isinstance(v, list) for v in items):  # a matrix
            yield f"{key}: a 3-D array for a matrix", [items, items], ERROR
            nan = copy.deepcopy(items)
            nan[0][0] = math.nan
            yield f"{key}: NaN in the matrix", nan, ERROR
            text = copy.deepcopy(items)
            text[0][0] = "x"
            yield f"{key}: text in the matrix", text, ERROR
        elif items and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in items):
            for label, bad in (("NaN", math.nan), ("text", "x")):
                changed = list(items)
                changed[0] = bad
                yield f"{key}: {label} in the list", type(value)(changed), ERROR
    elif _is_model(value):
        yield f"{key}: an unfitted model", _unfitted(value), ERROR
        yield f"{key}: text for a model", "model", ERROR


def variants(case: Case, valid: dict):
    """(label, changed argument, new value, expectation) for every simple mistake."""
    for key, value in valid.items():
        if key == "self":
            continue
        if isinstance(value, pd.DataFrame):
            yield key, f"{key}: a dict instead of a table", value.to_dict("list"), ERROR
            yield key, f"{key}: a file name instead of a table", "table.csv", ERROR
            yield key, f"{key}: empty table", value.iloc[:0].copy(), ERROR_OR_WARN
            yield key, f"{key}: one row", value.iloc[:1].copy(), CLEAN
            doubled = pd.concat([value, value.iloc[:1]], ignore_index=value.index.is_unique)
            expect = ERROR_OR_WARN if key in case.unique else CLEAN
            yield key, f"{key}: duplicated first row", doubled, expect
            for column in value.columns:
                # A column the function reads: dropping it must be refused, naming it.
                yield (
                    key,
                    f"{key}: column {column!r} missing",
                    value.drop(columns=column),
                    (
                        "drop",
                        column,
                    ),
                )
        elif isinstance(value, pd.Series):
            for label, bad, expect in series_variants(key, value, case):
                yield key, label, bad, expect
        else:
            for label, bad, expect in argument_variants(key, value, valid, case):
                yield key, label, bad, expect


# ---------------------------------------------------------------------------------------------
# Running a call and judging the outcome
# ---------------------------------------------------------------------------------------------
def short_name(name: str, target) -> str:
    parts = name.split(".")
    if inspect.isclass(target):
        return parts[-1]
    qual = getattr(target, "__qualname__", parts[-1])
    return ".".join(qual.split(".")[-2:]) if "." in qual else qual


def _snapshot(value):
    if isinstance(value, pd.DataFrame | pd.Series | np.ndarray | list | dict | tuple | set):
        return copy.deepcopy(value)
    return value


def _unchanged(before, after) -> bool:
    if isinstance(before, pd.DataFrame | pd.Series):
        if type(after) is not type(before):
            return False
        try:
            if isinstance(before, pd.DataFrame):
                pd.testing.assert_frame_equal(before, after)
            else:
                pd.testing.assert_series_equal(before, after)
        except AssertionError:
            return False
        return before.attrs == after.attrs
    if isinstance(before, np.ndarray):
        return np.array_equal(before, after, equal_nan=before.dtype.kind == "f")
    if isinstance(before, dict):
        return before.keys() == after.keys() and all(
            _unchanged(before[k], after[k]) for k in before
        )
    if isinstance(before, list | tuple):
        return len(before) == len(after) and all(
            _unchanged(a, b) for a, b in zip(before, after, strict=True)
        )
    if isinstance(before, float) and math.isnan(before):
        return isinstance(after, float) and math.isnan(after)
    if isinstance(before, set):
        return before == after
    return True


def run(target, kwargs: dict, then=None):
    """Call; return (kind, detail) with kind 'ok', 'warned', 'error' or 'raw', plus the
    names of arguments the call changed."""
    before = {k: _snapshot(v) for k, v in kwargs.items() if k != "self"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with matplotlib.rc_context():
                result = target(**kwargs)
                if then is not None:
                    then(result)
            outcome = ("ok", None)
        except KamlibError as exc:
            outcome = ("error", exc)
        except Exception as exc:
            outcome = ("raw", exc)
        finally:
            plt.close("all")
    changed = [k for k, v in before.items() if not _unchanged(v, kwargs[k])]
    if outcome[0] == "ok":
        ours = [w for w in caught if issubclass(w.category, UserWarning)]
        if ours:
            outcome = ("warned", ours)
    return outcome, changed


def judge(short: str, label: str, expect, outcome) -> str | None:
    kind, detail = outcome
    if kind == "raw":
        return f"raw {type(detail).__name__}: {str(detail)[:160]}"
    if kind == "error" and short.split(".")[-1] not in str(detail):
        return f"KamlibError does not name {short}: {str(detail)[:160]}"
    if kind == "warned" and not any(short.split(".")[-1] in str(w.message) for w in detail):
        return f"a warning that does not name {short}: {str(detail[0].message)[:160]}"
    if expect == ERROR and kind != "error":
        return f"accepted silently ({kind}); expected {ERROR}"
    if expect == NOT_FITTED and not (kind == "error" and isinstance(detail, NotFittedError)):
        return f"expected {NOT_FITTED}, got {kind}"
    if expect == ERROR_OR_WARN and kind == "ok":
        return f"accepted silently; expected {ERROR_OR_WARN}"
    return None


def check_case(name: str) -> tuple[list[str], int, list[str]]:
    """Run every variant of ``name``; return (problems, number of calls, accepted variants)."""
    case = CASES[name]
    target = API[name]
    short = short_name(name, target)
    problems, accepted, calls = [], [], 0

    def attempt(label, kwargs, expect):
        nonlocal calls
        calls += 1
        for pattern, why in case.accepts.items():
            if re.search(pattern, label):
                accepted.append(f"{label}: {why}")
                expect = CLEAN
                break
        outcome, changed = run(target, kwargs, case.then)
        problem = judge(short, label, expect, outcome)
        if changed:
            problem = (problem + "; " if problem else "") + f"changed its input {changed}"
        if problem:
            problems.append(f"{label}: {problem}")
        return outcome

    valid = case.make()
    outcome, changed = run(target, valid, case.then)
    calls += 1
    if outcome[0] in ("raw", "error"):
        return [f"the valid call fails: {outcome[1]!r}"], calls, accepted
    if changed:
        return [f"the valid call changed its input {changed}"], calls, accepted
    if case.needs_fit:
        kwargs = case.make()
        kwargs["self"] = _unfitted(kwargs["self"])
        attempt("self: an unfitted model", kwargs, NOT_FITTED)
    for key, label, bad, expect in variants(case, valid):
        kwargs = case.make()
        kwargs[key] = bad
        if isinstance(expect, tuple):  # a dropped column: find out whether it is read
            column = expect[1]
            outcome = attempt(label, kwargs, CLEAN)
            if outcome[0] == "error":
                if column not in str(outcome[1]):
                    problems.append(f"{label}: the error does not name the column")
                frame = case.make()[key]
                for sub_label, changed_frame, sub_expect in column_variants(
                    key, frame, column, case
                ):
                    sub = case.make()
                    sub[key] = changed_frame
                    attempt(sub_label, sub, sub_expect)
            continue
        attempt(label, kwargs, expect)
    return problems, calls, accepted


API = public_api()


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------
def test_every_public_function_has_a_valid_call():
    missing = [n for n in API if n not in CASES and owner_of(n) is None]
    stale = [n for n in CASES if n not in API]
    assert missing == [], f"public functions without a valid call in CASES: {missing}"
    assert stale == [], f"CASES names functions that are not public (any more): {stale}"


def test_the_enumeration_finds_the_api():
    # Hand-checked anchors: a function, a re-export counted once, a model and its methods.
    assert "kamlib.rfm.rfm_table" in API
    assert "kamlib.ahp.ahp_weights" in API and "kamlib.selection.ahp_weights" not in API
    assert "kamlib.bgnbd.BetaGeoModel" in API and "kamlib.bgnbd.BetaGeoModel.fit" in API
    assert "kamlib.spend_model.GammaGammaModel.from_params" in API
    assert not any(n.startswith("kamlib._models") for n in API)
    assert len(CASES) >= 120


@pytest.mark.parametrize("name", sorted(n for n in CASES if owner_of(n) is None))
def test_bad_input_is_refused_clearly(name):
    problems, _, _ = check_case(name)
    assert problems == [], f"{name}:\n  " + "\n  ".join(problems)


# Column-name and seed arguments across the API, with values drawn by hypothesis.
NAME_ARGUMENTS = sorted(
    (name, key)
    for name, case in CASES.items()
    if owner_of(name) is None
    for key, value in case.make().items()
    if isinstance(value, str) and (key.endswith("_col") or value in _columns_of(case.make()))
)
SEED_ARGUMENTS = sorted(
    (name, key)
    for name, case in CASES.items()
    if owner_of(name) is None
    for key in case.make()
    if key in SEED_NAMES
)
not_a_name = st.one_of(
    st.integers(),
    st.floats(allow_nan=True),
    st.none(),
    st.lists(st.text(max_size=3), min_size=1, max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), min_size=1, max_size=1),
)
not_a_seed = st.one_of(
    st.integers(max_value=-1),
    st.text(max_size=3),
    st.booleans(),
    st.floats(allow_nan=True).filter(lambda v: not float(v).is_integer()),
)


@settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data())
def test_any_non_text_column_name_is_refused(data):
    name, key = data.draw(st.sampled_from(NAME_ARGUMENTS))
    bad = data.draw(not_a_name)
    if bad is None and key in _OPTIONAL_NAMES.get(name, ()):
        return  # None is the default: the column is not used (documented)
    kwargs = CASES[name].make()
    kwargs[key] = bad
    outcome, changed = run(API[name], kwargs, CASES[name].then)
    assert judge(short_name(name, API[name]), key, ERROR, outcome) is None, (name, key, bad)
    assert not changed


@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data())
def test_any_bad_seed_is_refused(data):
    name, key = data.draw(st.sampled_from(SEED_ARGUMENTS))
    bad = data.draw(not_a_seed)
    kwargs = CASES[name].make()
    kwargs[key] = bad
    outcome, _ = run(API[name], kwargs)
    assert judge(short_name(name, API[name]), key, ERROR, outcome) is None, (name, key, bad)


_OPTIONAL_NAMES = {
    name: [
        key
        for key, param in inspect.signature(API[name]).parameters.items()
        if param.default is None
    ]
    for name in CASES
    if callable(API.get(name)) and not inspect.isclass(API.get(name))
}


def test_the_loaders_refuse_what_is_not_a_course_table(tmp_path, monkeypatch):
    # Issue 14's reproducers for kamlib.datasets, each with the file or argument named.
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    header_only = tmp_path / "header.csv"
    header_only.write_text(",".join(datasets.schema("payments").column_names) + "\n")
    cases = [
        ({"path": empty}, "is empty"),
        ({"path": binary}, "cannot be read as a CSV text file"),
        ({"path": 123}, "'path' must be a file name"),
        ({"path": header_only}, "no rows"),
    ]
    for kwargs, match in cases:
        with pytest.raises(KamlibError, match=f"(?s)kamlib.datasets.load.*{match}"):
            datasets.load("payments", **kwargs)
    lines = datasets.load("order_lines").head(3)
    with pytest.raises(KamlibError, match="'net_revenue_cny': 1 infinite value"):
        datasets.validate(lines.assign(net_revenue_cny=[1.0, np.inf, 2.0]), "order_lines")
    with pytest.raises(KamlibError, match="'quantity': 1 empty value"):  # was IntCastingNaNError
        datasets.validate(lines.assign(quantity=[1, None, 2]), "order_lines")
    monkeypatch.setenv("KAMLIB_DATA", str(tmp_path))
    with pytest.raises(KamlibError, match="true_parameters.json not found"):
        datasets.true_parameters()
