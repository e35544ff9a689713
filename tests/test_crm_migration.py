"""Tests of kamlib.crm_migration (profile, validate, clean) and kamlib.record_linkage.

Expected values are worked out by hand in the comments; the matching is judged against the
answer key the simulation wrote (``legacy_crm_key.csv``), which the code never reads.
"""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

from kamlib import crm_migration as cm
from kamlib import datasets
from kamlib import record_linkage as rl
from kamlib.errors import DataError, ParameterError

matplotlib.use("Agg")


def raw_export() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "legacy_id": ["CRM-00001", "CRM-00002", "CRM-00003", "CRM-00004"],
            "company": [
                "  ANDA TOOLS (East) CO., LTD. ",
                "Anda Tools (East) Company Limited",
                "baosheng foods 有限公司",
                None,
            ],
            "region_code": ["华东", " E ", "north china", None],
            "industry_code": ["MACH", "Machines", "F&B", "bogus"],
            "phone": ["(021) 5270-3876", "+86 21 5270 3876", "n/a", "010-14943176"],
            "created": ["2019-03-01", "01/03/2019", "2019-13-01", "Mar 01, 2019"],
            "credit_limit": ["¥20,000", "RMB 20k", "-", "CNY 5000"],
            "employees": ["approx. 40", "~42", "1,238", "0.0k"],
            "owner": ["Fang Wang", "WANG FANG", "li wei", None],
        }
    )


# ---------------------------------------------------------------------------------------------
# Parsers, by hand
# ---------------------------------------------------------------------------------------------
def test_name_key_removes_case_suffix_and_punctuation():
    keys = cm.name_key(
        ["ANDA TOOLS CO., LTD.", "Anda Tools Company Limited", "anda tools 有限公司"]
    )
    assert keys.tolist() == ["anda tools"] * 3


def test_standardise_names_one_style():
    assert cm.standardise_names(["hongtu machinery (central) co ltd"]).tolist() == [
        "Hongtu Machinery (Central) Co., Ltd."
    ]


def test_parse_phones_formats_and_area_code_region():
    out = cm.parse_phones(["+86 20 7258 8732", "020-72588732", "(020) 7258-8732", "02072588732"])
    assert out["phone"].unique().tolist() == ["+86 20 7258 8732"]
    assert out["phone_region"].unique().tolist() == ["South"]  # 020 is Guangzhou
    bad = cm.parse_phones(["n/a", "194", None, "+86 99 1234 5678"])
    assert bad["phone"].iloc[:3].isna().all()
    assert bad["phone"].iloc[3] == "+86 99 1234 5678" and pd.isna(bad["phone_region"].iloc[3])


def test_parse_dates_every_format_and_impossible_month():
    got = cm.parse_dates(
        [
            "2019-02-24",
            "2019/02/24",
            "24/02/2019",
            "Feb 24, 2019",
            "20190224",
            "2019-14-24",
            "unknown",
        ]
    )
    assert (got.iloc[:5] == pd.Timestamp("2019-02-24")).all()
    assert got.iloc[5:].isna().all()


def test_parse_dates_latest_and_garbage_column():
    got = cm.parse_dates(["2022-12-31", "2023-06-01"], latest="2022-12-31")
    assert got.notna().tolist() == [True, False]
    with pytest.raises(DataError, match=r"parse_dates: none of the 2 filled"):
        cm.parse_dates(["hello", "world"])


def test_parse_amounts_and_headcounts():
    assert cm.parse_amounts(["¥20,000", "RMB 370k", "80,000.00", "CNY 5000", "-", "lots"]).tolist()[
        :4
    ] == [20000.0, 370000.0, 80000.0, 5000.0]
    heads = cm.parse_headcounts(["238", "2,216", "approx. 40", "~42", "0.9k", "0.0k", None])
    assert heads["employees"].tolist()[:5] == [238, 2216, 40, 42, 900]
    assert heads["employees"].iloc[5:].isna().all()  # 0.0k: fewer than 50, unknown
    assert heads["employees_approx"].tolist() == [False, False, True, True, True, True, False]


def test_parsers_reject_a_wrong_container():
    with pytest.raises(DataError, match="parse_phones: 'phone' must be a pandas Series"):
        cm.parse_phones("021-52703876")


# ---------------------------------------------------------------------------------------------
# The whole export
# ---------------------------------------------------------------------------------------------
def test_standardise_export_by_hand_and_input_unchanged():
    raw = raw_export()
    before = raw.copy()
    with pytest.warns(UserWarning, match=r"standardise_export: cells .*created: 1"):
        clean = cm.standardise_export(raw, known_owners=["Wang Fang", "Li Wei"])
    pd.testing.assert_frame_equal(raw, before)
    assert len(clean) == len(raw)  # nothing dropped
    assert clean["company"].tolist()[:3] == [
        "Anda Tools (East) Co., Ltd.",
        "Anda Tools (East) Co., Ltd.",
        "Baosheng Foods Co., Ltd.",
    ]
    # record 4 has no region: the phone's 010 area code says North
    assert clean["region"].tolist() == ["East", "East", "North", "North"]
    assert clean["industry"].tolist()[:3] == ["Machinery", "Machinery", "Food & beverage"]
    assert pd.isna(clean["industry"].iloc[3])
    assert clean["created"].iloc[[0, 1, 3]].eq(pd.Timestamp("2019-03-01")).all()
    assert pd.isna(clean["created"].iloc[2])
    assert clean["credit_limit_cny"].tolist()[:2] == [20000.0, 20000.0]
    assert clean["owner"].tolist()[:3] == ["Wang Fang", "Wang Fang", "Li Wei"]


def test_standardise_export_bad_inputs():
    raw = raw_export()
    with pytest.raises(DataError, match=r"standardise_export: column\(s\) 'created' not found"):
        cm.standardise_export(raw.drop(columns="created"))
    with pytest.raises(DataError, match="standardise_export: 'export' has no rows"):
        cm.standardise_export(raw.iloc[:0])
    with pytest.raises(DataError, match="standardise_export: column 'legacy_id' should identify"):
        cm.standardise_export(pd.concat([raw, raw.iloc[:1]]))
    with pytest.raises(DataError, match="none of the 4 filled value"):
        cm.standardise_export(raw.assign(created=["x", "y", "z", "w"]))
    with pytest.raises(DataError, match="must be a pandas DataFrame"):
        cm.standardise_export("legacy.csv")


def test_profile_export_counts():
    prof = cm.profile_export(raw_export())
    # phone: one "n/a" placeholder; region: one empty cell, spellings 3 ("华东", "e", "north china")
    assert prof.loc["phone", "placeholder"] == 1
    assert prof.loc["region_code", "empty"] == 1
    assert prof.loc["region_code", "spellings"] == 3


def test_validate_export_lists_every_violation():
    clean = pd.DataFrame(
        {
            "legacy_id": ["CRM-00001", "CRM-00002", "X-3"],
            "company": ["Anda", None, "Baosheng"],
            "region": ["East", "Mars", "North"],
            "industry": ["Machinery", "Machinery", "Toys"],
            "phone": ["+86 21 5270 3876", None, "12345"],
            "created": pd.to_datetime(["2019-03-01", "1980-01-01", "2021-05-05"]),
            "credit_limit_cny": [100.0, -5.0, np.nan],
            "employees": pd.array([10, 0, None], dtype="Int64"),
        }
    )
    report = cm.validate_export(clean)
    # by hand: legacy_id X-3, company None, region Mars, industry Toys, phone 12345,
    # created 1980, credit -5, employees 0: eight cells, one each
    assert len(report) == 8
    assert sorted(report["column"]) == sorted(
        [
            "legacy_id",
            "company",
            "region",
            "industry",
            "phone",
            "created",
            "credit_limit_cny",
            "employees",
        ]
    )
    assert set(report.loc[report["column"] == "region", "value"]) == {"Mars"}
    assert cm.validate_export(clean.iloc[[0]]).empty


# ---------------------------------------------------------------------------------------------
# The course export against its answer key
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def course():
    legacy = datasets.load("legacy_crm")
    accounts = datasets.load("accounts")
    key = datasets.load("legacy_crm_key")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        clean = cm.standardise_export(legacy, known_owners=accounts["account_owner"].unique())
    today = accounts[accounts["lost_date"].isna()]
    truth = key.assign(
        account_id=key["account_id"].where(key["account_id"].isin(today["account_id"]))
    )
    return {"legacy": legacy, "clean": clean, "today": today, "truth": truth, "key": key}


def test_course_raw_export_fails_and_clean_export_keeps_only_missing(course):
    raw_report = cm.validate_export(course["legacy"])
    assert {"region", "industry", "phone", "created", "employees"} <= set(raw_report["column"])
    report = cm.validate_export(course["clean"])
    # after cleaning only empty required cells remain; each is an empty cell of the clean table
    assert set(report["check"]) == {"not_nullable"}
    for column, part in report.groupby("column"):
        assert len(part) == int(course["clean"][column].isna().sum())


def test_course_matching_precision_recall_against_key(course):
    cands = rl.candidate_links(course["clean"], course["today"])
    links = rl.link_records(course["clean"], cands, accept=0.88, review=0.8)
    assert len(links) == len(course["clean"]) and links["legacy_id"].is_unique  # nothing dropped
    assert set(links["status"]) <= {"matched", "review", "new"}
    q = rl.match_quality(links, course["truth"])
    assert q["precision"] >= 0.99
    assert q["recall"] >= 0.98
    # records of companies that are no longer customers end "new" or in review, almost never
    # merged into a wrong account
    gone = course["truth"]["account_id"].isna().to_numpy()
    assert (links.loc[gone, "status"] == "new").mean() >= 0.9
    assert (links.loc[gone, "status"] == "matched").mean() <= 0.01


def test_field_agreement_beats_name_alone(course):
    costs = []
    for weight in (1.0, 0.6):
        cands = rl.candidate_links(course["clean"], course["today"], name_weight=weight)
        curve = rl.threshold_curve(course["clean"], cands, course["truth"])
        costs.append(rl.error_costs(curve)["total_cost"].min())
    assert costs[1] < costs[0] / 2


def test_threshold_curve_trade_off(course):
    cands = rl.candidate_links(course["clean"], course["today"])
    curve = rl.threshold_curve(course["clean"], cands, course["truth"])
    # a stricter threshold never adds a false match and never removes a missed one
    assert (np.diff(curve["false_matches"]) <= 0).all()
    assert (np.diff(curve["missed_matches"]) >= 0).all()
    assert curve["false_matches"].iloc[0] > 100 and curve["missed_matches"].iloc[-1] > 50


def test_duplicate_groups_against_key(course):
    cands = rl.candidate_links(course["clean"], course["today"])
    links = rl.link_records(course["clean"], cands, accept=0.88, review=0.8)
    groups = rl.duplicate_groups(links)
    truth = course["truth"].dropna().groupby("account_id")["legacy_id"].agg(sorted)
    true_groups = {a: ids for a, ids in truth.items() if len(ids) > 1}
    found = dict(zip(groups["account_id"], groups["legacy_ids"], strict=True))
    correct = sum(found.get(a) == ids for a, ids in true_groups.items())
    assert correct / len(true_groups) >= 0.9  # the others have a record waiting in review
    assert all(set(ids) <= set(true_groups.get(a, ids)) for a, ids in found.items())


def test_blocking_on_region_keeps_the_true_links(course):
    blocked = rl.candidate_links(course["clean"], course["today"])
    best = blocked[blocked["rank"] == 1].set_index("legacy_id")["account_id"]
    truth = course["truth"].set_index("legacy_id")["account_id"].dropna()
    both = truth.index.intersection(best.index)
    assert (best[both] == truth[both]).mean() >= 0.99


# ---------------------------------------------------------------------------------------------
# Decisions and their judgement, by hand
# ---------------------------------------------------------------------------------------------
def toy_links():
    clean = pd.DataFrame({"legacy_id": ["L1", "L2", "L3", "L4"], "name_key": ["a", "b", "c", None]})
    cands = pd.DataFrame(
        {
            "legacy_id": ["L1", "L1", "L2", "L3", "L3"],
            "account_id": ["A1", "A5", "A2", "A3", "A9"],
            "score": [0.95, 0.50, 0.75, 0.90, 0.89],
            "rank": [1, 2, 1, 1, 2],
        }
    )
    return clean, cands


def test_link_records_by_hand():
    clean, cands = toy_links()
    links = rl.link_records(clean, cands, accept=0.85, review=0.7, margin=0.02)
    # L1 clear match; L2 in the review band; L3 two candidates 0.01 apart; L4 has no name
    assert links["status"].tolist() == ["matched", "review", "review", "review"]
    assert links["reason"].iloc[2] == "two candidates nearly tied"
    strict = rl.link_records(clean, cands, accept=0.96, review=0.96)
    assert strict["status"].tolist() == ["new", "new", "new", "review"]
    with pytest.raises(ParameterError, match="'review' .* must not exceed 'accept'"):
        rl.link_records(clean, cands, accept=0.7, review=0.8)


def test_match_quality_and_costs_by_hand():
    links = pd.DataFrame(
        {
            "legacy_id": ["L1", "L2", "L3", "L4", "L5"],
            "status": ["matched", "matched", "new", "new", "review"],
            "account_id": ["A1", "A9", None, None, "A5"],
        }
    )
    key = pd.DataFrame(
        {"legacy_id": ["L1", "L2", "L3", "L4", "L5"], "account_id": ["A1", "A2", "A3", None, "A5"]}
    )
    q = rl.match_quality(links, key)
    # matched 2, correct 1 -> precision 1/2; 4 records have a true account -> recall 1/4
    assert q["precision"] == 0.5 and q["recall"] == 0.25
    assert (q["false_matches"], q["missed_matches"], q["review"]) == (1, 1, 1)
    curve = pd.DataFrame([q.to_dict()]).assign(threshold=0.9)
    cost = rl.error_costs(curve, costs={"false_match": 1000, "missed_match": 100, "review": 10})
    assert cost["total_cost"].iloc[0] == 1000 + 100 + 10
    with pytest.raises(ParameterError, match="unknown cost"):
        rl.error_costs(curve, costs={"typo": 1})
    with pytest.raises(DataError, match="not in 'key'"):
        rl.match_quality(links, key.iloc[:2])


def test_linkage_bad_inputs():
    clean, cands = toy_links()
    acc = pd.DataFrame({"account_id": ["A1"], "account_name": ["A"], "region": ["East"]})
    with pytest.raises(DataError, match=r"candidate_links: column\(s\) 'region' not found"):
        rl.candidate_links(clean, acc)
    with pytest.raises(ParameterError, match="'top_k' must be a whole number"):
        rl.candidate_links(clean.assign(region="East"), acc, top_k=1.5)
    with pytest.raises(DataError, match="'accounts' has no rows"):
        rl.candidate_links(clean.assign(region="East"), acc.iloc[:0])
    with pytest.raises(ParameterError, match="'thresholds' is empty"):
        rl.threshold_curve(
            clean, cands, pd.DataFrame({"legacy_id": [], "account_id": []}), thresholds=[]
        )


def test_plot_threshold_curve_labels():
    curve = pd.DataFrame({"threshold": [0.6, 0.9], "precision": [0.9, 1.0], "recall": [0.95, 0.7]})
    ax = rl.plot_threshold_curve(curve, chosen=0.8)
    assert ax.get_xlabel() == "Acceptance threshold on the match score"
    assert len(ax.get_lines()) == 3
