"""Tests of kamlib.identification: ABC classes, value matrix, rule lists and their agreement.

Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib import identification as ident
from kamlib.errors import DataError, ParameterError

matplotlib.use("Agg")


def classes(values, **kw) -> list[str]:
    series = pd.Series(values, index=[f"A{i}" for i in range(1, len(values) + 1)], dtype=float)
    return ident.abc_classes(series, **kw)["abc_class"].astype(str).tolist()


# ---------------------------------------------------------------- abc_classes


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Total 100; share held by larger accounts ("before"): 0, .40, .65, .80, .90, .96.
        # A while before < .80: the first three (the third brings the total to exactly 80%);
        # B while before < .95: .80 and .90; C: .96.
        ([40, 25, 15, 10, 6, 4], ["A", "A", "A", "B", "B", "C"]),
        # before: 0, .50, .85, .95 -> the second account crosses 80% (to 85%) and is in A;
        # .85 -> B; .95 is not below .95 -> C.
        ([50, 35, 10, 5], ["A", "A", "B", "C"]),
        # Ties share a class: 70, 10, 10, 5, 5. Both 10s have before = .70 -> A (taken one by
        # one the second 10 would have before = .80 -> B); both 5s have before = .90 -> B.
        ([70, 10, 10, 5, 5], ["A", "A", "A", "B", "B"]),
        # A zero-revenue account is always in the last class (before = 1).
        ([10, 0], ["A", "C"]),
        # One account has everything.
        ([5], ["A"]),
    ],
)
def test_abc_hand_cases(values, expected):
    assert classes(values) == expected


def test_abc_output_table_by_hand():
    revenue = pd.Series({"X": 20.0, "Y": 60.0, "Z": 20.0}, name="revenue")
    out = ident.abc_classes(revenue)
    # Sorted by value, ties by id: Y 60, X 20, Z 20; shares .6 .2 .2; cumulative .6 .8 1.0.
    assert out.index.tolist() == ["Y", "X", "Z"]
    assert out["rank"].tolist() == [1, 2, 3]
    np.testing.assert_allclose(out["share"], [0.6, 0.2, 0.2])
    np.testing.assert_allclose(out["cum_share"], [0.6, 0.8, 1.0])
    # X and Z tie with before = .6 < .8 -> both A.
    assert out["abc_class"].astype(str).tolist() == ["A", "A", "A"]
    assert list(out["abc_class"].cat.categories) == ["A", "B", "C"]


def test_abc_custom_cutoffs_and_labels():
    # 60, 30, 10 with one cut-off at 50%: before = 0, .6, .9 -> key, other, other.
    assert classes([60, 30, 10], cutoffs=(0.5,), labels=("key", "other")) == [
        "key",
        "other",
        "other",
    ]
    # Four classes: before 0, .4, .7, .9 with cut-offs .5, .8, .95 -> A, A, B, C... D unused.
    assert classes([40, 30, 20, 10], cutoffs=(0.5, 0.8, 0.95)) == ["A", "A", "B", "C"]


def test_abc_cut_off_of_one_keeps_zero_revenue_out():
    # cutoffs (1.0,): every account with revenue is A, zero revenue B.
    assert classes([3, 1, 0], cutoffs=(1.0,)) == ["A", "A", "B"]


def test_abc_does_not_modify_input():
    revenue = pd.Series({"A": 1.0, "B": 5.0, "C": 3.0})
    before = revenue.copy()
    ident.abc_classes(revenue)
    pd.testing.assert_series_equal(revenue, before)


@pytest.mark.parametrize(
    ("values", "match"),
    [
        (pd.DataFrame({"v": [1.0]}), "Series"),
        ([1.0, 2.0], "Series"),
        (pd.Series([], dtype=float), "empty"),
        (pd.Series([1.0, np.nan]), "missing"),
        (pd.Series([1.0, -2.0]), "negative"),
        (pd.Series(["1", "2"]), "numeric"),
        (pd.Series([0.0, 0.0]), "every value is 0"),
        (pd.Series([1.0, 2.0], index=["A", "A"]), "more than once"),
        (pd.Series([1.0, 2.0], index=["A", None]), "missing account id"),
        (pd.Series([1.0, np.inf]), "infinite"),
    ],
)
def test_abc_bad_values(values, match):
    with pytest.raises(DataError, match=match):
        ident.abc_classes(values)


@pytest.mark.parametrize(
    ("cutoffs", "labels"),
    [
        ((0.95, 0.8), None),  # decreasing
        ((0.8, 0.8), None),  # not strictly increasing
        ((0.0, 0.9), None),  # 0 is not allowed
        ((0.8, 1.2), None),  # above 1
        ((), None),  # empty
        ("0.8", None),  # text
        (0.8, None),  # a bare number
        ((0.8, "x"), None),
        ((0.8, float("nan")), None),
        ((0.8, 0.95), ("A", "B")),  # too few labels
        ((0.8, 0.95), ("A", "A", "C")),  # repeated labels
    ],
)
def test_abc_bad_cutoffs(cutoffs, labels):
    with pytest.raises(ParameterError, match="cutoffs|labels"):
        ident.abc_classes(pd.Series([3.0, 2.0, 1.0]), cutoffs=cutoffs, labels=labels)


@settings(max_examples=80, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=40).filter(
        lambda v: sum(v) > 0
    ),
    a=st.floats(min_value=0.05, max_value=0.9),
    gap=st.floats(min_value=0.01, max_value=0.09),
)
def test_abc_properties(values, a, gap):
    cutoffs = (a, a + gap)
    series = pd.Series(values, index=[f"A{i}" for i in range(len(values))], dtype=float)
    before = series.copy()
    out = ident.abc_classes(series, cutoffs=cutoffs)
    pd.testing.assert_series_equal(series, before)
    assert sorted(out.index) == sorted(series.index)
    assert out["share"].sum() == pytest.approx(1.0)
    assert (np.diff(out["value"]) <= 0).all()
    assert (np.diff(out["cum_share"]) >= -1e-12).all()  # cumulative share never falls
    assert (np.diff(out["abc_class"].cat.codes) >= 0).all()  # classes never go back to A
    # A reaches its cut-off, and without its last tie group it would not.
    in_a = out["abc_class"] == "A"
    share_a = out.loc[in_a, "share"].sum()
    assert share_a >= a - 1e-9
    last_a = out.loc[in_a, "value"].min()
    assert share_a - out.loc[in_a & (out["value"] == last_a), "share"].sum() < a + 1e-9
    # Equal values, equal classes.
    for _, group in out.groupby("value"):
        assert group["abc_class"].nunique() == 1


def test_plot_abc():
    import matplotlib.pyplot as plt

    out = ident.abc_classes(pd.Series({"A1": 50.0, "A2": 35.0, "A3": 10.0, "A4": 5.0}))
    fig, ax = plt.subplots()
    assert ident.plot_abc(out, ax=ax) is ax
    # One filled step per class (A: 50, 35; B: 10; C: 5), heights = shares, one per account.
    heights = [list(p.get_data().values) for p in ax.patches]
    assert heights == [pytest.approx([0.50, 0.35]), pytest.approx([0.10]), pytest.approx([0.05])]
    plt.close(fig)
    with pytest.raises(DataError, match="cum_share"):
        ident.plot_abc(out.drop(columns="cum_share"))
    with pytest.raises(DataError, match="DataFrame"):
        ident.plot_abc(out["share"])


# ---------------------------------------------------------------- value_matrix


def matrix_inputs():
    accounts = pd.DataFrame(
        {
            "account_id": ["A1", "A2", "A3", "A4", "A5"],
            "est_annual_spend_cny": [1000.0, 500.0, 800.0, 100.0, 300.0],
        }
    )
    revenue = pd.Series({"A1": 600.0, "A2": 450.0, "A3": 80.0, "A4": 120.0})  # A5 bought nothing
    return accounts, revenue


def test_value_matrix_by_hand():
    accounts, revenue = matrix_inputs()
    m = ident.value_matrix(accounts, revenue)
    # current: 600, 450, 80, 120, 0 -> median 120; high (> 120): A1, A2.
    # headroom: 400, 50, 720, 0 (A4 buys more than its wallet), 300 -> median 300;
    # high (> 300): A1, A3.
    assert m.index.tolist() == ["A1", "A2", "A3", "A4", "A5"]
    np.testing.assert_allclose(m["current_value"], [600, 450, 80, 120, 0])
    np.testing.assert_allclose(m["share_of_wallet"], [0.6, 0.9, 0.1, 1.2, 0.0])
    np.testing.assert_allclose(m["headroom"], [400, 50, 720, 0, 300])
    assert m["quadrant"].astype(str).tolist() == [
        "Key: develop",
        "Key: maintain",
        "Grow",
        "Serve efficiently",
        "Serve efficiently",  # headroom 300 equals the median: not strictly above
    ]


def test_value_matrix_wallet_and_given_splits():
    accounts, revenue = matrix_inputs()
    # potential = wallet: 1000, 500, 800, 100, 300 -> median 500 -> high A1, A3: same labels.
    m = ident.value_matrix(accounts, revenue, potential="wallet")
    np.testing.assert_allclose(m["potential_value"], [1000, 500, 800, 100, 300])
    assert m["quadrant"].astype(str).tolist()[:3] == ["Key: develop", "Key: maintain", "Grow"]
    # Given splits: current > 100 -> A1, A2, A4; headroom > 350 -> A1, A3.
    m = ident.value_matrix(accounts, revenue, current_split=100, potential_split=350)
    assert m["quadrant"].astype(str).tolist() == [
        "Key: develop",
        "Key: maintain",
        "Grow",
        "Key: maintain",
        "Serve efficiently",
    ]


def test_value_matrix_zero_wallet_gives_missing_share():
    accounts = pd.DataFrame({"account_id": ["A1", "A2"], "est_annual_spend_cny": [0.0, 10.0]})
    m = ident.value_matrix(accounts, pd.Series({"A1": 5.0, "A2": 5.0}))
    assert np.isnan(m.loc["A1", "share_of_wallet"])
    assert m.loc["A2", "share_of_wallet"] == 0.5


def test_value_matrix_does_not_modify_inputs():
    accounts, revenue = matrix_inputs()
    a0, r0 = accounts.copy(), revenue.copy()
    ident.value_matrix(accounts, revenue)
    pd.testing.assert_frame_equal(accounts, a0)
    pd.testing.assert_series_equal(revenue, r0)


@pytest.mark.parametrize(
    ("change_accounts", "change_revenue", "match"),
    [
        (lambda a: a.drop(columns="est_annual_spend_cny"), None, "est_annual_spend_cny"),
        (lambda a: a.iloc[0:0], None, "no rows"),
        (lambda a: a.assign(est_annual_spend_cny=-a["est_annual_spend_cny"]), None, "negative"),
        (lambda a: a.assign(est_annual_spend_cny=[1.0, np.nan, 1, 1, 1]), None, "missing"),
        (lambda a: a.assign(est_annual_spend_cny="big"), None, "numeric"),
        (lambda a: a.assign(account_id=["A1", "A1", "A3", "A4", "A5"]), None, "more than once"),
        (lambda a: a.assign(account_id=["A1", None, "A3", "A4", "A5"]), None, "missing account"),
        (None, lambda r: pd.concat([r, pd.Series({"Z9": 1.0})]), "not in 'accounts'"),
        (None, lambda r: r.to_frame(), "Series"),
        (None, lambda r: r * -1, "negative"),
        (None, lambda r: r.where(r.index != "A1"), "missing"),
        (None, lambda r: r.iloc[0:0], "empty"),
    ],
)
def test_value_matrix_bad_data(change_accounts, change_revenue, match):
    accounts, revenue = matrix_inputs()
    if change_accounts is not None:
        accounts = change_accounts(accounts)
    if change_revenue is not None:
        revenue = change_revenue(revenue)
    with pytest.raises(DataError, match=match):
        ident.value_matrix(accounts, revenue)


@pytest.mark.parametrize(
    "kw",
    [
        {"potential": "share"},
        {"current_split": -1},
        {"potential_split": "high"},
        {"current_split": float("nan")},
    ],
)
def test_value_matrix_bad_parameters(kw):
    accounts, revenue = matrix_inputs()
    with pytest.raises(ParameterError):
        ident.value_matrix(accounts, revenue, **kw)


def test_value_score_by_hand():
    accounts, revenue = matrix_inputs()
    m = ident.value_matrix(accounts, revenue)
    # current + 0.5 * headroom: 600 + 200, 450 + 25, 80 + 360, 120 + 0, 0 + 150.
    np.testing.assert_allclose(ident.value_score(m), [800, 475, 440, 120, 150])
    # weight 0: current value alone; weight 1: 1000, 500, 800, 120, 300.
    np.testing.assert_allclose(ident.value_score(m, potential_weight=0), [600, 450, 80, 120, 0])
    np.testing.assert_allclose(ident.value_score(m, potential_weight=1), [1000, 500, 800, 120, 300])


@pytest.mark.parametrize(
    ("change", "kw", "error", "match"),
    [
        (lambda m: m.drop(columns="potential_value"), {}, DataError, "potential_value"),
        (lambda m: m.iloc[0:0], {}, DataError, "no rows"),
        (lambda m: m.assign(current_value=-1.0), {}, DataError, "negative"),
        (lambda m: m.assign(current_value=np.nan), {}, DataError, "missing"),
        (lambda m: m.assign(potential_value="lots"), {}, DataError, "numeric"),
        (lambda m: m, {"potential_weight": 1.5}, ParameterError, "potential_weight"),
        (lambda m: m, {"potential_weight": "half"}, ParameterError, "potential_weight"),
    ],
)
def test_value_score_bad_input(change, kw, error, match):
    accounts, revenue = matrix_inputs()
    m = ident.value_matrix(accounts, revenue)
    with pytest.raises(error, match=match):
        ident.value_score(change(m), **kw)


def test_plot_value_matrix():
    import matplotlib.pyplot as plt

    accounts, revenue = matrix_inputs()
    m = ident.value_matrix(accounts, revenue)
    for log in (True, False):
        fig, ax = plt.subplots()
        assert ident.plot_value_matrix(m, log=log, ax=ax) is ax
        # One scatter per non-empty quadrant; 5 points in all.
        assert sum(len(c.get_offsets()) for c in ax.collections) == 5
        plt.close(fig)
    with pytest.raises(DataError, match="quadrant"):
        ident.plot_value_matrix(m.drop(columns="quadrant"))
    with pytest.raises(ParameterError, match="current_split"):
        ident.plot_value_matrix(m, current_split=-5)


# ---------------------------------------------------------------- rule_based_key_accounts


def accounts_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["A1", "A2", "A3", "A4", "A5"],
            "sales_tier": pd.Categorical(
                ["key", "standard", "key", "standard", "standard"], categories=["key", "standard"]
            ),
            "size_band": ["Enterprise", "Large", "Large", "Small", "Enterprise"],
            "customer_since": pd.to_datetime(
                ["2015-03-01", "2022-01-01", "2021-12-31", "2010-01-01", "2021-12-30"]
            ),
        }
    )


def test_rule_sales_tier():
    assert ident.rule_based_key_accounts(accounts_frame()) == {"A1", "A3"}


def test_rule_size_tenure_by_hand():
    # As of 2024-12-31, tenure in years (days / 365.25): A2 2022-01-01 -> 1095 / 365.25 = 2.998
    # (< 3, out); A3 2021-12-31 -> 1096 days = 3.0007 (in); A5 2021-12-30 -> 1097 days (in);
    # A4 is small (out); A1 qualifies.
    got = ident.rule_based_key_accounts(accounts_frame(), rule="size_tenure", as_of="2024-12-31")
    assert got == {"A1", "A3", "A5"}
    got = ident.rule_based_key_accounts(
        accounts_frame(), rule="size_tenure", as_of="2024-12-31", min_tenure_years=5,
        size_bands=["Enterprise", "Small"],
    )  # fmt: skip
    assert got == {"A1", "A4"}


def test_rule_does_not_modify_input():
    accounts = accounts_frame()
    before = accounts.copy()
    ident.rule_based_key_accounts(accounts, rule="size_tenure", as_of="2024-12-31")
    pd.testing.assert_frame_equal(accounts, before)


@pytest.mark.parametrize(
    ("change", "kw", "error", "match"),
    [
        (lambda a: a.drop(columns="sales_tier"), {}, DataError, "sales_tier"),
        (lambda a: a.iloc[0:0], {}, DataError, "no rows"),
        (lambda a: a.assign(sales_tier="gold"), {}, DataError, "key_label"),
        (lambda a: a.assign(sales_tier=["key", None, "key", "x", "x"]), {}, DataError, "missing"),
        (lambda a: a.assign(account_id=["A1", None, "A3", "A4", "A5"]), {}, DataError, "account"),
        (lambda a: a, {"rule": "gut feeling"}, ParameterError, "rule"),
        (lambda a: a, {"rule": "size_tenure"}, ParameterError, "as_of"),
        (lambda a: a, {"rule": "size_tenure", "as_of": "someday"}, ParameterError, "as_of"),
        (
            lambda a: a,
            {"rule": "size_tenure", "as_of": "2024-12-31", "min_tenure_years": -1},
            ParameterError,
            "min_tenure_years",
        ),
        (
            lambda a: a,
            {"rule": "size_tenure", "as_of": "2024-12-31", "size_bands": "Large"},
            ParameterError,
            "size_bands",
        ),
        (
            lambda a: a.drop(columns="customer_since"),
            {"rule": "size_tenure", "as_of": "2024-12-31"},
            DataError,
            "customer_since",
        ),
        (
            lambda a: a.assign(customer_since=["x"] * 5),
            {"rule": "size_tenure", "as_of": "2024-12-31"},
            DataError,
            "not dates",
        ),
    ],
)
def test_rule_bad_input(change, kw, error, match):
    with pytest.raises(error, match=match):
        ident.rule_based_key_accounts(change(accounts_frame()), **kw)


# ---------------------------------------------------------------- agreement


def test_list_agreement_by_hand():
    lists = {"X": {1, 2, 3, 4}, "Y": [3, 4, 5], "Z": {4, 6}}
    table = ident.list_agreement(lists)
    # X&Y = {3,4}, X|Y = {1..5}: 2/5; X&Z = {4}, X|Z = {1,2,3,4,6}: 1/5; Y&Z = {4}, Y|Z = 4: 1/4.
    assert list(zip(table["list_a"], table["list_b"], strict=True)) == [
        ("X", "Y"),
        ("X", "Z"),
        ("Y", "Z"),
    ]
    assert table["overlap"].tolist() == [2, 1, 1]
    assert table["union"].tolist() == [5, 5, 4]
    assert table["size_a"].tolist() == [4, 4, 3]
    np.testing.assert_allclose(table["jaccard"], [0.4, 0.2, 0.25])
    assert ident.agreed_by_all(lists) == {4}


def test_disjoint_and_identical_lists():
    table = ident.list_agreement({"a": {"A1"}, "b": {"A2"}, "c": {"A1"}})
    np.testing.assert_allclose(table["jaccard"], [0.0, 1.0, 0.0])
    assert ident.agreed_by_all({"a": {"A1"}, "b": {"A2"}}) == set()


@pytest.mark.parametrize(
    ("lists", "error", "match"),
    [
        ({"a": {1, 2}}, ParameterError, "at least two"),
        ([{1}, {2}], ParameterError, "dict"),
        ({"a": {1}, "b": set()}, DataError, "empty"),
        ({"a": {1}, "b": "A1"}, ParameterError, "set or list"),
        ({"a": {1}, "b": 5}, ParameterError, "set or list"),
        ({"a": {1}, "b": [None, 2]}, DataError, "missing"),
        ({"a": {1}, "b": [float("nan")]}, DataError, "missing"),
    ],
)
def test_agreement_bad_input(lists, error, match):
    for func in (ident.list_agreement, ident.agreed_by_all, ident.plot_agreement):
        with pytest.raises(error, match=match):
            func(lists)


@settings(max_examples=60, deadline=None)
@given(
    a=st.sets(st.integers(0, 30), min_size=1, max_size=15),
    b=st.sets(st.integers(0, 30), min_size=1, max_size=15),
)
def test_jaccard_properties(a, b):
    ab = ident.list_agreement({"a": a, "b": b}).iloc[0]
    ba = ident.list_agreement({"b": b, "a": a}).iloc[0]
    assert 0 <= ab["jaccard"] <= 1
    assert ab["jaccard"] == ba["jaccard"]  # symmetric
    assert (ab["jaccard"] == 1) == (a == b)
    assert ab["overlap"] + ab["union"] == len(a) + len(b)  # inclusion-exclusion


def test_plot_agreement_values():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    lists = {"X": {1, 2, 3, 4}, "Y": {3, 4, 5}}
    assert ident.plot_agreement(lists, ax=ax) is ax
    grid = ax.images[0].get_array()
    np.testing.assert_allclose(np.asarray(grid), [[1.0, 0.4], [0.4, 1.0]])
    plt.close("all")
