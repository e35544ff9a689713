"""Tests of kamlib.segmentation (chapter 6) and kamlib.datasets.hidden.

Expected values come from hand calculation on tiny tables, from the course tables through the
chapter 4 functions the feature table is built on, and from simulated accounts with known
segments (the k chooser must find their number, k-means must recover them).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from kamlib import datasets, profitability, rfm, toy
from kamlib import segmentation as sg
from kamlib.datasets.hidden import HIDDEN_TRAITS, hidden_account_traits
from kamlib.errors import DataError, KamlibError, ParameterError


# --- simulated accounts with known segments ---------------------------------------------------
def known_segments(n_per: int = 120, seed: int = 3, spread: float = 0.25):
    """Four segments of accounts on three features, centres far apart (in log revenue)."""
    rng = np.random.default_rng(seed)
    centres = np.array(
        [[13.0, 0.0, 0.30], [11.0, 1.5, 0.35], [9.0, -1.0, 0.25], [11.0, -1.0, 0.45]]
    )
    scale = np.array([0.4, 0.25, 0.015]) * spread / 0.25
    truth = np.repeat(np.arange(4), n_per)
    points = centres[truth] + rng.normal(0, 1, (len(truth), 3)) * scale
    order = rng.permutation(len(truth))  # accounts in no particular order
    frame = pd.DataFrame(
        {
            "revenue": np.expm1(points[order, 0]),
            "growth": points[order, 1],
            "margin_rate": points[order, 2],
        },
        index=pd.Index([f"S{i:04d}" for i in range(len(truth))], name="account_id"),
    )
    return frame, truth[order]


COLS = ["revenue", "growth", "margin_rate"]


@pytest.fixture(scope="module")
def blobs():
    return known_segments()


@pytest.fixture(scope="module")
def choice(blobs):
    features, _ = blobs
    return sg.choose_k(
        features, columns=COLS, log_columns=["revenue"], k_values=range(2, 8), n_boot=8, seed=2
    )


def test_the_k_chooser_finds_the_true_number_of_segments(choice):
    assert choice.index[choice["elbow"]].tolist() == [4]
    assert choice["silhouette"].idxmax() == 4
    # Merging clear segments is stable too, so stability rules out too many segments, not too
    # few: the largest k as stable as the best is the true one.
    stable = choice.index[choice["stability"] >= choice["stability"].max() - 0.02]
    assert stable.max() == 4
    assert choice.loc[4, "stability"] > 0.95
    assert (choice.loc[5:, "stability"] < 0.9).all()
    # More segments always fit tighter: the within-segment spread falls with k.
    assert (np.diff(choice["inertia"].to_numpy()) < 0).all()
    assert choice["inertia_share"].iloc[0] == pytest.approx(1.0)


def test_kmeans_recovers_the_known_segments(blobs):
    features, truth = blobs
    segmented = sg.fit_segments(features, k=4, columns=COLS, log_columns=["revenue"], seed=5)
    assert adjusted_rand_score(truth, segmented["segment"]) > 0.95
    # Segment 1 is the one with the largest revenue per account: true segment 0 (log 13).
    top = segmented["segment"] == 1
    assert pd.Series(truth[top.to_numpy()]).mode()[0] == 0


def test_overlapping_segments_are_less_stable_than_clear_ones():
    clear, _ = known_segments(spread=0.25)
    blurred, _ = known_segments(spread=1.0)
    kwargs = {"columns": COLS, "log_columns": ["revenue"], "k_values": [3, 4, 5], "n_boot": 6}
    a = sg.choose_k(clear, **kwargs)
    b = sg.choose_k(blurred, **kwargs)
    assert a.loc[4, "silhouette"] > b.loc[4, "silhouette"] + 0.2
    assert a.loc[4, "stability"] > b.loc[4, "stability"]


def test_segments_do_not_depend_on_row_order_or_seed(blobs):
    features, _ = blobs
    one = sg.fit_segments(features, k=4, columns=COLS, log_columns=["revenue"], seed=1)
    shuffled = features.sample(frac=1.0, random_state=7)
    two = sg.fit_segments(shuffled, k=4, columns=COLS, log_columns=["revenue"], seed=9)
    # Same accounts, same segment numbers (numbering by revenue, not by the random start).
    assert (one["segment"] == two["segment"].reindex(one.index)).all()


def test_assigning_the_fitted_accounts_gives_back_their_segments(blobs):
    # At convergence every account is nearest to its own segment's centre (k-means' fixed
    # point), so the assignment step with the segments held fixed changes nothing.
    features, truth = blobs
    kw = {"columns": COLS, "log_columns": ["revenue"]}
    segmented = sg.fit_segments(features, k=4, seed=3, **kw)
    before = features.copy()
    again = sg.assign_segments(features, segmented, **kw)
    pd.testing.assert_frame_equal(features, before)
    assert (again["segment"] == segmented["segment"]).all()
    # New accounts drawn from the same four groups land in the segment of their own group.
    fresh, fresh_truth = known_segments(n_per=30, seed=11)
    placed = sg.assign_segments(fresh, segmented, **kw)["segment"]
    assert adjusted_rand_score(fresh_truth, placed) > 0.95


def test_assign_segments_by_hand():
    # Reference: revenue 0, 2 (segment 2) and 10, 12 (segment 1): mean 6, sd sqrt(20) = 4.47;
    # centres at z = -1.12 and +1.12. New accounts at 7, 9 and 12 have z = 0.22, 0.67, 1.34:
    # all nearer segment 1. They are scaled with the reference's mean, not their own (9.33,
    # which would put the account at 7 below the middle and into segment 2).
    old = pd.DataFrame({"revenue": [0.0, 2.0, 10.0, 12.0], "segment": [2, 2, 1, 1]})
    new = pd.DataFrame({"revenue": [7.0, 9.0, 12.0]}, index=["N1", "N2", "N3"])
    out = sg.assign_segments(new, old, columns=["revenue"], log_columns=[])
    assert out["segment"].tolist() == [1, 1, 1]
    assert sg.assign_segments(
        new.head(1).assign(revenue=5.0), old, columns=["revenue"], log_columns=[]
    )["segment"].tolist() == [2]
    with pytest.raises(DataError, match="assign_segments.*'growth'"):
        sg.assign_segments(new, old, columns=["growth"], log_columns=[])
    with pytest.raises(DataError, match="assign_segments.*'segment'"):
        sg.assign_segments(new, old.drop(columns="segment"), columns=["revenue"])
    with pytest.raises(DataError, match="assign_segments.*missing"):
        sg.assign_segments(new.assign(revenue=[np.nan, 1.0, 2.0]), old, columns=["revenue"])


def test_fit_segments_hand_case_and_input_unchanged():
    features = pd.DataFrame(
        {"revenue": [1.0, 2.0, 50.0, 60.0, 55.0], "growth": [0.1, 0.0, 0.2, 0.1, 0.15]},
        index=list("ABCDE"),
    )
    before = features.copy()
    out = sg.fit_segments(features, k=2, columns=["revenue", "growth"], log_columns=[])
    pd.testing.assert_frame_equal(features, before)
    assert out["segment"].tolist() == [2, 2, 1, 1, 1]
    assert out.drop(columns="segment").equals(features)


def test_scaling_makes_units_irrelevant():
    # Revenue in yuan or in millions of yuan: the same segments, because of the z-scores.
    features, truth = known_segments(n_per=40)
    millions = features.assign(revenue=features["revenue"] / 1e6)
    kw = {"k": 4, "columns": ["revenue", "growth"], "log_columns": [], "seed": 0}
    a = sg.fit_segments(features, **kw)["segment"]
    b = sg.fit_segments(millions, **kw)["segment"]
    assert adjusted_rand_score(a, b) == pytest.approx(1.0)


# --- the feature table ------------------------------------------------------------------------
def test_segment_features_by_hand():
    # toy orders all fall in 2024; with six-month windows the second half is "now".
    activity = pd.DataFrame(
        {
            "account_id": ["T01", "T02", "T02"],
            "month": pd.to_datetime(["2024-11-01", "2024-12-01", "2024-03-01"]),
            "activity": ["visit", "call", "visit"],
            "count": [1, 2, 1],
        }
    )
    f = sg.segment_features(toy.accounts(), toy.orders(), activity, as_of="2024-12-31", months=6)
    assert f.index.tolist() == ["T01", "T02", "T03", "T04"]
    # T01: one order in Jul-Dec (X09, 500 net, 340 cogs); 1300 in Jan-Jun; last order 25 Nov.
    t01 = f.loc["T01"]
    assert t01["frequency"] == 1 and t01["revenue"] == pytest.approx(500.0)
    assert t01["margin_rate"] == pytest.approx(160 / 500)
    assert t01["cost_to_serve_rate"] == pytest.approx(1200 / 500)  # one visit at 1,200
    assert t01["profit"] == pytest.approx(160 - 1200)
    assert t01["growth"] == pytest.approx((500 - 1300) / 900)
    assert t01["recency_days"] == 36
    # T02: 400 now, 200 before; two calls at 50 now (the March visit is outside the window).
    assert f.loc["T02", "growth"] == pytest.approx(200 / 300)
    assert f.loc["T02", "cost_to_serve_rate"] == pytest.approx(100 / 400)
    # T04 had nothing before: growth 2, the top of the scale.
    assert f.loc["T04", "growth"] == pytest.approx(2.0)
    assert (
        f.loc["T01", "employees"] == toy.accounts().set_index("account_id").loc["T01", "employees"]
    )


@pytest.fixture(scope="module")
def course():
    accounts = datasets.load("accounts")
    orders = datasets.load("orders")
    activity = datasets.load("service_activity")
    return accounts, orders, activity


@pytest.fixture(scope="module")
def course_features(course):
    return sg.segment_features(*course, as_of="2024-12-31")


def test_segment_features_agree_with_chapter_4_and_rfm(course, course_features):
    accounts, orders, activity = course
    f = course_features
    profit = profitability.customer_profit(
        accounts, orders, activity, period=2024, acquisition="none"
    )
    bought = profit.index[profit["net_revenue"] > 0]
    assert sorted(f.index) == sorted(bought)
    assert f["revenue"].sum() == pytest.approx(profit.loc[bought, "net_revenue"].sum())
    assert f["profit"].sum() == pytest.approx(profit.loc[bought, "profit"].sum())
    recency = rfm.rfm_table(orders, as_of="2024-12-31")["recency_days"]
    assert (f["recency_days"] == recency.reindex(f.index)).all()
    assert f["recency_days"].max() < 366
    assert f["growth"].between(-2, 2).all()


def test_segment_features_do_not_change_inputs(course):
    accounts, orders, activity = (t.head(500).copy() for t in course)
    accounts = course[0].copy()
    before = [accounts.copy(), orders.copy(), activity.copy()]
    sg.segment_features(accounts, orders, activity, as_of="2022-12-31")
    for a, b in zip(before, [accounts, orders, activity], strict=True):
        pd.testing.assert_frame_equal(a, b)


# --- profiles, words, separation --------------------------------------------------------------
def test_segment_profiles_by_hand():
    seg = pd.DataFrame(
        {
            "segment": [1, 1, 2, 2, 2],
            "revenue": [80.0, 60.0, 30.0, 20.0, 10.0],
            "profit": [30.0, 10.0, 5.0, -10.0, -5.0],
        }
    )
    out = sg.segment_profiles(seg)
    assert out["n_accounts"].tolist() == [2, 3]
    assert out["share_of_accounts"].tolist() == pytest.approx([0.4, 0.6])
    assert out["share_of_revenue"].tolist() == pytest.approx([0.7, 0.3])
    assert out["share_of_profit"].tolist() == pytest.approx([40 / 30, -10 / 30])
    assert out["profit"].tolist() == pytest.approx([20.0, -5.0])  # medians
    means = sg.segment_profiles(seg, statistic="mean")
    assert means["revenue"].tolist() == pytest.approx([70.0, 20.0])


def test_segment_traits_words_by_hand():
    seg = pd.DataFrame(
        {
            "segment": [1, 1, 2, 2, 3, 3],
            "revenue": [900.0, 1000.0, 1.0, 1.2, 100.0, 110.0],
            "growth": [0.0, 0.1, 1.0, 0.9, 0.5, 0.5],
        }
    )
    out = sg.segment_traits(seg, columns=["revenue", "growth"], log_columns=["revenue"], n_traits=2)
    # By hand: log revenue z = +1.09, -1.32, +0.23; growth z = -1.22, +1.22, 0 (the larger
    # distance from 0 comes first).
    assert out.loc[1, "traits"] == "shrinking, large spend"
    assert out.loc[2, "traits"] == "small spend, growing"
    # Segment 3 sits near the average: z of growth = 0, log revenue near the mean.
    strict = sg.segment_traits(
        seg, columns=["revenue", "growth"], log_columns=["revenue"], threshold=0.5
    )
    assert strict.loc[3, "traits"] == "average on every feature"
    # The z-score of segment 1's growth by hand: values 0, .1, 1, .9, .5, .5 -> mean .5.
    growth = seg["growth"]
    z = (growth - growth.mean()) / growth.std(ddof=0)
    assert out.loc[1, "z_growth"] == pytest.approx(z[:2].mean())


def test_segment_separation_by_hand():
    seg = pd.DataFrame({"segment": [1, 1, 2, 2]}, index=list("ABCD"))
    values = pd.DataFrame(
        {"x": [1.0, 3.0, 5.0, 7.0], "same": [1.0, 2.0, 1.0, 2.0], "pure": [0.0, 0.0, 1.0, 1.0]},
        index=list("DCBA")[::-1],
    )
    out = sg.segment_separation(seg, values)
    # x: means 2 and 6, total SS 20, between SS 16 -> 0.8.
    assert out.loc["x", "eta_squared"] == pytest.approx(0.8)
    assert out.loc["same", "eta_squared"] == pytest.approx(0.0)
    assert out.loc["pure", "eta_squared"] == pytest.approx(1.0)
    assert out.loc["x", ["mean_1", "mean_2"]].tolist() == [2.0, 6.0]


def test_segment_separation_matches_accounts_by_id_not_position():
    seg = pd.DataFrame({"segment": [1, 1, 2, 2]}, index=list("ABCD"))
    values = pd.DataFrame({"x": [7.0, 5.0, 3.0, 1.0]}, index=list("DCBA"))
    out = sg.segment_separation(seg, values)
    assert out.loc["x", ["mean_1", "mean_2"]].tolist() == [2.0, 6.0]


# --- the hidden traits --------------------------------------------------------------------------
def test_hidden_traits_are_those_of_the_simulation():
    from kamlib.datasets.generate import simulate_b2b

    tables, hidden = simulate_b2b()
    fast = hidden_account_traits()
    assert fast.index.tolist() == tables["accounts"]["account_id"].tolist()
    expected = hidden.drop(columns="categories")
    pd.testing.assert_frame_equal(fast.reset_index(drop=True), expected)
    assert set(HIDDEN_TRAITS) <= set(fast.columns)


def test_hidden_traits_line_up_with_accounts_csv():
    accounts = datasets.load("accounts")
    traits = hidden_account_traits()
    assert traits.index.tolist() == accounts["account_id"].tolist()
    # The size band in the file is the hidden band, and the key accounts are the sales tier.
    bands = accounts["size_band"].cat.codes.to_numpy()
    assert (bands == traits["band"].to_numpy()).all()
    assert (traits["key"].to_numpy() == accounts["sales_tier"].eq("key").to_numpy()).all()
    traits.loc[:, "share"] = 0.0  # a copy: the cached draws stay as they were
    assert hidden_account_traits()["share"].gt(0).all()


def test_hidden_traits_refuse_a_bad_seed():
    with pytest.raises(ParameterError, match="hidden_account_traits"):
        hidden_account_traits(seed=-1)


# --- charts -------------------------------------------------------------------------------------
def test_plots_return_axes_with_words(choice, blobs):
    ax = sg.plot_k_choice(choice)
    assert ax.get_title() == "How many segments? Three views"
    assert [line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == "--"] == [4]
    features, _ = blobs
    segmented = sg.fit_segments(features, k=4, columns=COLS, log_columns=["revenue"])
    ax = sg.plot_segment_map(segmented, x="revenue", y="growth")
    assert len(ax.collections) == 4 and ax.get_xscale() == "log"
    traits = sg.segment_traits(segmented, columns=COLS, log_columns=["revenue"])
    ax = sg.plot_segment_profiles(traits, names={1: "Big", 2: "B", 3: "C", 4: "D"})
    assert ax.get_yticklabels()[0].get_text() == "1: Big"
    plt.close("all")


# --- bad input ----------------------------------------------------------------------------------
def test_bad_inputs_are_refused_with_the_function_named(blobs):
    features, _ = blobs
    kw = {"columns": COLS, "log_columns": ["revenue"]}
    with pytest.raises(DataError, match="fit_segments.*'profit'"):
        sg.fit_segments(features, k=3, columns=["profit"])
    with pytest.raises(DataError, match="fit_segments: 'features' must be a pandas DataFrame"):
        sg.fit_segments(features.to_dict(), k=3, **kw)
    with pytest.raises(DataError, match="no rows"):
        sg.fit_segments(features.iloc[:0], k=3, **kw)
    nan = features.copy()
    nan.iloc[0, 1] = np.nan
    with pytest.raises(DataError, match="fit_segments.*missing"):
        sg.fit_segments(nan, k=3, **kw)
    negative = features.copy()
    negative.iloc[0, 0] = -5.0
    with pytest.raises(DataError, match="negative values but is taken as a logarithm"):
        sg.fit_segments(negative, k=3, **kw)
    with pytest.raises(DataError, match="cannot form 5 segments"):
        sg.fit_segments(features.head(4), k=5, **kw)
    with pytest.raises(ParameterError, match="'k'"):
        sg.fit_segments(features, k=1, **kw)
    with pytest.raises(ParameterError, match="'k'"):
        sg.fit_segments(features, k=2.5, **kw)
    with pytest.raises(ParameterError, match="seed"):
        sg.fit_segments(features, k=3, seed=-1, **kw)
    flat = features.assign(margin_rate=0.3)
    with pytest.raises(DataError, match="same value for every account"):
        sg.fit_segments(flat, k=3, **kw)
    with pytest.raises(ParameterError, match="at least three"):
        sg.choose_k(features, k_values=[2, 3], **kw)
    with pytest.raises(ParameterError, match="k_values"):
        sg.choose_k(features, k_values="2-6", **kw)
    with pytest.raises(ParameterError, match="n_boot"):
        sg.choose_k(features, n_boot=-1, **kw)


def test_bad_segment_tables_are_refused():
    seg = pd.DataFrame({"segment": [1, 1, 2, None], "revenue": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(DataError, match="segment_profiles.*without a segment"):
        sg.segment_profiles(seg)
    mixed = pd.DataFrame({"segment": [1, "big", 2, 2], "revenue": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(DataError, match="mixes numbers and text"):
        sg.segment_profiles(mixed)
    named = pd.DataFrame({"segment": ["big", "big", "small"], "revenue": [5.0, 6.0, 1.0]})
    assert sg.segment_profiles(named)["n_accounts"].to_dict() == {"big": 2, "small": 1}
    with pytest.raises(ParameterError, match="statistic"):
        sg.segment_profiles(named, statistic="mode")
    with pytest.raises(DataError, match="share 0 account"):
        sg.segment_separation(named, pd.DataFrame({"x": [1.0]}, index=["Z"]))
    with pytest.raises(ParameterError, match="segment_features: 'as_of'"):
        sg.segment_features(toy.accounts(), toy.orders(), toy.orders(), as_of=20241231)
    with pytest.raises(KamlibError, match="segment_features"):
        sg.segment_features(
            toy.accounts(),
            toy.orders().drop(columns="cogs_cny"),
            pd.DataFrame(
                {
                    "account_id": ["T01"],
                    "month": ["2024-01-01"],
                    "activity": ["visit"],
                    "count": [1],
                }
            ),
            as_of="2024-12-31",
        )
