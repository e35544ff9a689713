"""Tests of kamlib.rfm: RFM table, quantile scores and segments.

The expected values are worked out by hand in the comments; the scoring rule is
score = floor(bins * (r - 0.5) / n) + 1, with r the (average) rank from worst to best.
"""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib import rfm
from kamlib.errors import DataError, ParameterError

matplotlib.use("Agg")

AS_OF = "2024-12-31"


def toy_orders() -> pd.DataFrame:
    """Eight customers C1..C8, plus orders after the as-of date (C1 and C9)."""
    rows = [
        ("O01", "C1", "2024-12-21", 100.0),
        ("O02", "C1", "2024-11-01", 200.0),
        ("O03", "C1", "2024-06-01", 300.0),
        ("O04", "C2", "2024-12-21", 50.0),  # two separate orders on one day: frequency 2
        ("O05", "C2", "2024-12-21", 50.0),
        ("O06", "C3", "2024-10-02", 400.0),
        ("O07", "C4", "2024-07-04", 150.0),
        ("O08", "C4", "2024-09-02", 150.0),
        ("O09", "C5", "2024-01-01", 1000.0),
        ("O10", "C6", "2023-12-31", 20.0),
        ("O11", "C7", "2024-12-31", 500.0),  # on the as-of day itself: recency 0
        ("O12", "C8", "2024-12-01", 30.0),  # O12 has two lines: one order, values added
        ("O12", "C8", "2024-12-01", 70.0),
        ("O13", "C8", "2024-08-01", 100.0),
        ("O14", "C1", "2025-01-05", 999.0),  # after as_of: left out
        ("O15", "C9", "2025-02-01", 10.0),  # C9 only buys after as_of: absent
    ]
    frame = pd.DataFrame(rows, columns=["order_id", "account_id", "order_date", "net_revenue_cny"])
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    return frame


# Hand-computed RFM table as of 2024-12-31.
# recency: C3 Oct 2 -> Dec 31 = 30 + 30 + 30 = 90; C4 Sep 2 -> Dec 31 = 30 + 31 + 30 + 29 = 120;
# C5 Jan 1 -> Dec 31 of leap year 2024 = 365; C6 Dec 31, 2023 -> 366; C8 Dec 1 -> 30.
EXPECTED_TABLE = pd.DataFrame(
    {
        "recency_days": [10, 10, 90, 120, 365, 366, 0, 30],
        "frequency": [3, 2, 1, 2, 1, 1, 1, 2],
        "monetary": [600.0, 100.0, 400.0, 300.0, 1000.0, 20.0, 500.0, 200.0],
    },
    index=pd.Index([f"C{i}" for i in range(1, 9)], name="account_id"),
)

# Hand-computed scores with bins=5, n=8. For a distinct rank r (1 = worst) the score is
# floor(5 * (2r - 1) / 16) + 1: r = 1..8 -> 1, 1, 2, 3, 3, 4, 5, 5.
# R (worst = longest gap): C6 r1 -> 1, C5 r2 -> 1, C4 r3 -> 2, C3 r4 -> 3, C8 r5 -> 3,
#   C1 and C2 tie at 10 days on ranks 6-7, average 6.5: floor(5 * 12 / 16) + 1 = 4; C7 r8 -> 5.
# F: four customers with 1 order tie on ranks 1-4, average 2.5: floor(5 * 4 / 16) + 1 = 2;
#   three with 2 orders on ranks 5-7, average 6: floor(5 * 11 / 16) + 1 = 4; C1 r8 -> 5.
# M: C6 20 r1 -> 1, C2 100 r2 -> 1, C8 200 r3 -> 2, C4 300 r4 -> 3, C3 400 r5 -> 3,
#   C7 500 r6 -> 4, C1 600 r7 -> 5, C5 1000 r8 -> 5.
EXPECTED_SCORES = pd.DataFrame(
    {
        "r_score": [4, 4, 3, 2, 1, 1, 5, 3],
        "f_score": [5, 4, 2, 4, 2, 2, 2, 4],
        "m_score": [5, 1, 3, 3, 5, 1, 4, 2],
        "rfm_code": ["455", "441", "323", "243", "125", "121", "524", "342"],
        "rfm_score": [14, 9, 8, 9, 8, 4, 11, 9],
    },
    index=EXPECTED_TABLE.index,
)

# Segments: R 1-2 low, 3 middle, 4-5 high; FM = (F + M)/2 at most 2 low, at least 4 high.
# C1 R4 FM5 -> Champions; C2 R4 FM2.5 -> Potential loyalists; C3 R3 FM2.5 -> Need attention;
# C4 R2 FM3.5 -> At risk; C5 R1 FM3.5 -> At risk; C6 R1 FM1.5 -> Lost;
# C7 R5 FM3 -> Potential loyalists; C8 R3 FM3 -> Need attention.
EXPECTED_SEGMENTS = [
    "Champions",
    "Potential loyalists",
    "Need attention",
    "At risk",
    "At risk",
    "Lost",
    "Potential loyalists",
    "Need attention",
]


def toy_table() -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return rfm.rfm_table(toy_orders(), as_of=AS_OF)


# ---------------------------------------------------------------- rfm_table


def test_rfm_table_matches_hand_calculation():
    with pytest.warns(UserWarning, match="2 order row"):
        table = rfm.rfm_table(toy_orders(), as_of=AS_OF)
    pd.testing.assert_frame_equal(
        table[["recency_days", "frequency", "monetary"]], EXPECTED_TABLE, check_dtype=False
    )
    assert table.loc["C1", "last_order_date"] == pd.Timestamp("2024-12-21")
    assert "C9" not in table.index


def test_rfm_table_as_of_changes_recency_and_drops_later_orders():
    # As of 2024-06-30, C1 has only O03 (June 1): recency 29, one order of 300.
    with pytest.warns(UserWarning):
        table = rfm.rfm_table(toy_orders(), as_of="2024-06-30")
    assert table.loc["C1", "recency_days"] == 29
    assert table.loc["C1", "frequency"] == 1
    assert table.loc["C1", "monetary"] == 300.0
    # Customers whose first order comes later (C2, C3, C4 in July, C7, C8 in August) are
    # absent; C5 (Jan 1) and C6 (2023) are in.
    assert set(table.index) == {"C1", "C5", "C6"}


def test_rfm_table_no_warning_when_nothing_is_excluded():
    orders = toy_orders().iloc[:14]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rfm.rfm_table(orders, as_of=AS_OF)


def test_rfm_table_custom_columns_and_text_dates():
    orders = pd.DataFrame(
        {
            "tx": ["T1", "T2", "T3"],
            "member": ["M1", "M1", "M2"],
            "day": ["2024-03-01", "2024-03-11", "2024-01-31"],
            "amount": [10, 20, 5],
        }
    )
    table = rfm.rfm_table(
        orders, as_of="2024-03-31", customer_col="member", date_col="day", value_col="amount",
        order_col="tx",
    )  # fmt: skip
    # M1: last order Mar 11 -> 20 days, 2 orders, 30; M2: Jan 31 -> 60 days, 1 order, 5.
    assert table.index.name == "member"
    assert table["recency_days"].tolist() == [20, 60]
    assert table["frequency"].tolist() == [2, 1]
    assert table["monetary"].tolist() == [30.0, 5.0]


def test_rfm_table_does_not_modify_input():
    # Both paths: with orders after as_of left out (2024) and with every order kept (2025).
    orders = toy_orders()
    before = orders.copy()
    with pytest.warns(UserWarning):
        rfm.rfm_table(orders, as_of=AS_OF)
    rfm.rfm_table(orders, as_of="2025-12-31")
    pd.testing.assert_frame_equal(orders, before)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda o: o.drop(columns="order_date"), "order_date"),
        (lambda o: o.drop(columns="order_id"), "order_id"),
        (lambda o: o.iloc[0:0], "no rows"),
        (lambda o: o.assign(net_revenue_cny=o["net_revenue_cny"].astype(str)), "numeric"),
        (lambda o: o.assign(net_revenue_cny=o["net_revenue_cny"].where(o.index != 2)), "missing"),
        (lambda o: o.assign(net_revenue_cny=-o["net_revenue_cny"]), "negative"),
        (lambda o: o.assign(order_date=o["order_date"].where(o.index != 0)), "missing date"),
        (lambda o: o.assign(order_date=["soon"] + ["2024-01-01"] * (len(o) - 1)), "not dates"),
        (lambda o: o.assign(account_id=o["account_id"].where(o.index != 1)), "account_id"),
        (lambda o: o.assign(order_id=o["order_id"].where(o.index != 1)), "order_id"),
    ],
)
def test_rfm_table_bad_data(change, match):
    with pytest.raises(DataError, match=match):
        rfm.rfm_table(change(toy_orders()), as_of=AS_OF)


def test_rfm_table_not_a_frame():
    with pytest.raises(DataError, match="DataFrame"):
        rfm.rfm_table([1, 2, 3], as_of=AS_OF)


@pytest.mark.parametrize("as_of", ["not a date", None, 3.5j])
def test_rfm_table_bad_as_of(as_of):
    with pytest.raises(ParameterError, match="as_of"):
        rfm.rfm_table(toy_orders(), as_of=as_of)


def test_rfm_table_as_of_before_every_order():
    with pytest.raises(DataError, match="as_of"):
        rfm.rfm_table(toy_orders(), as_of="2020-01-01")


def test_rfm_table_time_zone_mismatch():
    with pytest.raises(ParameterError, match="time zone"):
        rfm.rfm_table(toy_orders(), as_of=pd.Timestamp("2024-12-31", tz="Asia/Shanghai"))


# ---------------------------------------------------------------- rfm_scores


def test_rfm_scores_match_hand_calculation():
    scores = rfm.rfm_scores(toy_table(), bins=5)
    pd.testing.assert_frame_equal(
        scores[list(EXPECTED_SCORES.columns)], EXPECTED_SCORES, check_dtype=False
    )
    assert scores["r_score"].dtype == np.int64


def test_rfm_scores_keep_original_columns():
    table = toy_table()
    scores = rfm.rfm_scores(table)
    pd.testing.assert_frame_equal(scores[list(table.columns)], table)


@pytest.mark.parametrize(
    ("values", "bins", "expected"),
    [
        # Three customers, bins=5: mid-points 1/6, 1/2, 5/6 -> 5/6, 2.5, 25/6 -> scores 1, 3, 5.
        ([10.0, 20.0, 30.0], 5, [1, 3, 5]),
        # Two customers: mid-points 1/4 and 3/4 -> 1.25 and 3.75 -> 2 and 4.
        ([10.0, 20.0], 5, [2, 4]),
        # One customer: mid-point 1/2 -> 2.5 -> the middle score 3.
        ([10.0], 5, [3]),
        # All equal: one tie over ranks 1..4, mid-point 1/2 -> 3.
        ([7.0, 7.0, 7.0, 7.0], 5, [3, 3, 3, 3]),
        # bins=2, five distinct: mid-points .1 .3 .5 .7 .9 -> x2 = .2 .6 1 1.4 1.8 -> 1 1 2 2 2
        # (the middle one sits on the boundary and goes up).
        ([1.0, 2.0, 3.0, 4.0, 5.0], 2, [1, 1, 2, 2, 2]),
        # Ten distinct, bins=5: equal quintiles of two.
        ([float(v) for v in range(10)], 5, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]),
        # Tie of the two smallest out of four, bins=4: ranks 1-2 average 1.5 -> mid-point 1/4
        # -> 4 * 1/4 = 1 on the boundary -> 2; ranks 3, 4 -> 4 * 5/8 = 2.5 -> 3, 3.5 -> 4.
        ([1.0, 1.0, 5.0, 9.0], 4, [2, 2, 3, 4]),
    ],
)
def test_monetary_scores_small_groups_and_ties(values, bins, expected):
    frame = pd.DataFrame(
        {"recency_days": [1] * len(values), "frequency": [1] * len(values), "monetary": values}
    )
    assert rfm.rfm_scores(frame, bins=bins)["m_score"].tolist() == expected


def test_recency_is_reversed():
    # Recency 0, 50, 100 days: the most recent buyer scores highest (5, 3, 1 with bins=5).
    frame = pd.DataFrame(
        {"recency_days": [0, 50, 100], "frequency": [1, 1, 1], "monetary": [1, 1, 1]}
    )
    assert rfm.rfm_scores(frame)["r_score"].tolist() == [5, 3, 1]


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda t: t.drop(columns="frequency"), "frequency"),
        (lambda t: t.iloc[0:0], "no rows"),
        (lambda t: t.assign(monetary=t["monetary"].astype(str)), "numeric"),
        (
            lambda t: t.assign(recency_days=t["recency_days"].astype(float).where(t.index != "C1")),
            "missing",
        ),
        (lambda t: t.assign(monetary=-t["monetary"]), "negative"),
        (lambda t: t.assign(frequency=np.inf), "infinite"),
    ],
)
def test_rfm_scores_bad_data(change, match):
    with pytest.raises(DataError, match=match):
        rfm.rfm_scores(change(toy_table()))


@pytest.mark.parametrize("bins", [1, 10, 2.5, "5", True, None])
def test_rfm_scores_bad_bins(bins):
    with pytest.raises(ParameterError, match="bins"):
        rfm.rfm_scores(toy_table(), bins=bins)


def test_rfm_scores_not_a_frame():
    with pytest.raises(DataError, match="DataFrame"):
        rfm.rfm_scores(toy_table()["monetary"])


# ---------------------------------------------------------------- rfm_segments


def test_rfm_segments_match_hand_calculation():
    segments = rfm.rfm_segments(rfm.rfm_scores(toy_table()))
    assert segments["segment"].astype(str).tolist() == EXPECTED_SEGMENTS
    # FM of C2 = (4 + 1) / 2.
    assert segments.loc["C2", "fm_score"] == 2.5


def test_every_cell_of_the_grid_has_its_name():
    # R in {5 high, 3 middle, 1 low} x (F, M) giving FM 5 high, 3 middle, 1 low.
    r = [5, 5, 5, 3, 3, 3, 1, 1, 1]
    fm = [5, 3, 1] * 3
    scores = pd.DataFrame({"r_score": r, "f_score": fm, "m_score": fm})
    expected = [
        "Champions", "Potential loyalists", "Promising",
        "Loyal", "Need attention", "Hibernating",
        "Can't lose", "At risk", "Lost",
    ]  # fmt: skip
    assert rfm.rfm_segments(scores)["segment"].astype(str).tolist() == expected
    assert list(rfm.rfm_segments(scores)["segment"].cat.categories) == list(rfm.SEGMENTS)


def test_level_boundaries_for_bins_5():
    # R = 2 is low, R = 4 is high; FM = 2 (F 1, M 3) is low, FM = 4 (F 5, M 3) is high,
    # FM = 2.5 and 3.5 are middle.
    scores = pd.DataFrame(
        {"r_score": [2, 4, 4, 4, 4], "f_score": [5, 1, 5, 1, 3], "m_score": [5, 3, 3, 4, 4]}
    )
    expected = [
        "Can't lose",
        "Promising",
        "Champions",
        "Potential loyalists",
        "Potential loyalists",
    ]
    assert rfm.rfm_segments(scores)["segment"].astype(str).tolist() == expected


def test_segments_with_bins_3():
    # bins=3: 1 low, 2 middle, 3 high.
    scores = pd.DataFrame({"r_score": [3, 2, 1], "f_score": [3, 2, 1], "m_score": [3, 2, 1]})
    expected = ["Champions", "Need attention", "Lost"]
    assert rfm.rfm_segments(scores, bins=3)["segment"].astype(str).tolist() == expected


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda s: s.drop(columns="r_score"), "r_score"),
        (lambda s: s.iloc[0:0], "no rows"),
        (lambda s: s.assign(f_score=s["f_score"].astype(str)), "numeric"),
        (lambda s: s.assign(m_score=s["m_score"].astype(float).where(s.index != "C1")), "missing"),
        (lambda s: s.assign(r_score=0), "1 to bins"),
        (lambda s: s.assign(r_score=6), "1 to bins"),
        (lambda s: s.assign(f_score=2.5), "1 to bins"),
    ],
)
def test_rfm_segments_bad_data(change, match):
    scores = rfm.rfm_scores(toy_table())
    with pytest.raises(DataError, match=match):
        rfm.rfm_segments(change(scores))


def test_rfm_segments_bins_must_match_scores():
    scores = rfm.rfm_scores(toy_table(), bins=5)
    with pytest.raises(DataError, match="bins=3"):
        rfm.rfm_segments(scores, bins=3)
    with pytest.raises(ParameterError, match="bins"):
        rfm.rfm_segments(scores, bins=0)


# ---------------------------------------------------------------- summary and plot


def test_segment_summary_by_hand():
    segments = rfm.rfm_segments(rfm.rfm_scores(toy_table()))
    summary = rfm.segment_summary(segments)
    # Total monetary 3120. At risk: C4 300 + C5 1000 = 1300 -> 1300/3120; 2 of 8 customers.
    assert summary.loc["At risk", "customers"] == 2
    assert summary.loc["At risk", "customer_share"] == pytest.approx(0.25)
    assert summary.loc["At risk", "value_share"] == pytest.approx(1300 / 3120)
    # Empty segments are listed with zeros; shares add to 1.
    assert summary.loc["Loyal", "customers"] == 0
    assert len(summary) == len(rfm.SEGMENTS)
    assert summary["value_share"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"segment": ["a"], "value": [1.0]}), "monetary"),
        (pd.DataFrame({"segment": ["a", "b"], "monetary": [0.0, 0.0]}), "adds up to 0"),
        (pd.DataFrame({"segment": ["a", "b"], "monetary": [1.0, -1.0]}), "negative"),
        (pd.DataFrame({"segment": ["a", None], "monetary": [1.0, 1.0]}), "segment"),
        (pd.DataFrame({"segment": [], "monetary": []}), "no rows"),
    ],
)
def test_segment_summary_and_plot_bad_data(frame, match):
    with pytest.raises(DataError, match=match):
        rfm.segment_summary(frame)
    with pytest.raises(DataError, match=match):
        rfm.plot_segments(frame)


def test_plot_segments_draws_both_shares():
    import matplotlib.pyplot as plt

    segments = rfm.rfm_segments(rfm.rfm_scores(toy_table()))
    fig, ax = plt.subplots()
    assert rfm.plot_segments(segments, ax=ax) is ax
    # Two bars per segment: 9 customer-share bars then 9 revenue-share bars.
    widths = [p.get_width() for p in ax.patches]
    assert len(widths) == 2 * len(rfm.SEGMENTS)
    assert widths[list(rfm.SEGMENTS).index("At risk")] == pytest.approx(0.25)
    assert widths[len(rfm.SEGMENTS)] == pytest.approx(600 / 3120)  # Champions' revenue (C1)
    plt.close(fig)


# ---------------------------------------------------------------- properties

ids = st.sampled_from([f"C{i}" for i in range(12)])
order_rows = st.lists(
    st.tuples(
        ids,
        st.dates(
            min_value=pd.Timestamp("2023-01-01").date(), max_value=pd.Timestamp("2024-12-31").date()
        ),
        st.floats(min_value=0, max_value=1e6, allow_nan=False),
    ),
    min_size=1,
    max_size=40,
)


def _orders_from(rows) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "order_id": [f"O{i}" for i in range(len(rows))],
            "account_id": [r[0] for r in rows],
            "order_date": pd.to_datetime([r[1] for r in rows]),
            "net_revenue_cny": [r[2] for r in rows],
        }
    )


@settings(max_examples=60, deadline=None)
@given(rows=order_rows, bins=st.integers(min_value=2, max_value=9))
def test_properties_of_the_pipeline(rows, bins):
    orders = _orders_from(rows)
    before = orders.copy()
    table = rfm.rfm_table(orders, as_of=AS_OF)
    scores = rfm.rfm_scores(table, bins=bins)
    segments = rfm.rfm_segments(scores, bins=bins)
    pd.testing.assert_frame_equal(orders, before)  # inputs unchanged
    # One row per customer; frequencies add up to the number of orders; values to the total.
    assert sorted(table.index) == sorted(set(orders["account_id"]))
    assert table["frequency"].sum() == len(orders)
    assert table["monetary"].sum() == pytest.approx(orders["net_revenue_cny"].sum())
    assert (table["recency_days"] >= 0).all()
    for column in ("r_score", "f_score", "m_score"):
        assert scores[column].between(1, bins).all()
    # Every customer in exactly one known segment.
    assert segments.index.equals(table.index)
    assert segments["segment"].notna().all()
    assert set(segments["segment"].astype(str)) <= set(rfm.SEGMENTS)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=30),
    bins=st.integers(min_value=2, max_value=9),
)
def test_scores_are_monotone_and_ties_equal(values, bins):
    frame = pd.DataFrame({"recency_days": values, "frequency": values, "monetary": values})
    scores = rfm.rfm_scores(frame, bins=bins)
    order = np.argsort(values, kind="stable")
    m = scores["m_score"].to_numpy()[order]
    r = scores["r_score"].to_numpy()[order]
    assert (np.diff(m) >= 0).all()  # more money never scores lower
    assert (np.diff(r) <= 0).all()  # a longer gap never scores higher
    for value in set(values):
        same = np.asarray(values) == value
        assert len(set(scores["m_score"].to_numpy()[same])) == 1
    # With distinct values, each score level holds at most ceil(n / bins) + 1 customers.
    if len(set(values)) == len(values):
        counts = np.bincount(scores["m_score"], minlength=bins + 1)[1:]
        assert counts.max() <= -(-len(values) // bins) + 1
