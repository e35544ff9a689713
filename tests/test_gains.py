"""Tests of kamlib.gains: the general gains table, lift and their charts.

Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from kamlib import gains, lookalike
from kamlib.errors import DataError, ParameterError

matplotlib.use("Agg")

# Eight customers scored 0.8, 0.7, ..., 0.1; churners at ranks 1, 3 and 8 (3 events).
CHURNED = [1, 0, 1, 0, 0, 0, 0, 1]
SCORES = [0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]


def test_gains_table_by_hand():
    g = gains.gains_table(CHURNED, SCORES, n_bins=4)
    # Bands of two: events 1, 1, 0, 1; overall rate 3/8, band rate 1/2 -> lift 4/3.
    assert g["cases"].tolist() == [2, 2, 2, 2]
    assert g["events"].tolist() == [1, 1, 0, 1]
    assert g["lift"].tolist() == pytest.approx([4 / 3, 4 / 3, 0, 4 / 3])
    assert g["cum_share_events"].tolist() == pytest.approx([1 / 3, 2 / 3, 2 / 3, 1])
    # Cumulative lift after two bands: (2/3) / (4/8) = 4/3.
    assert g["cum_lift"].iloc[1] == pytest.approx(4 / 3)


def test_scores_are_sorted_not_taken_in_order():
    # The same customers given in reverse order give the same table.
    g = gains.gains_table(CHURNED[::-1], SCORES[::-1], n_bins=4)
    assert g["events"].tolist() == [1, 1, 0, 1]


def test_prospect_words_are_a_renaming_of_the_general_table():
    general = gains.gains_table(CHURNED, SCORES, n_bins=4)
    worded = lookalike.gains_table(CHURNED, SCORES, n_bins=4)
    assert list(worded.columns) == [lookalike.PROSPECT_COLUMNS.get(c, c) for c in general.columns]
    np.testing.assert_allclose(worded.to_numpy(dtype=float), general.to_numpy(dtype=float))


@pytest.mark.parametrize(
    ("y_true", "scores", "match"),
    [
        ([1, 0, 1], [0.2, 0.1], "3 outcomes"),
        ([1, 0, np.nan, 1], [0.4, 0.3, 0.2, 0.1], "missing"),
        ([1, 0, 2, 1], [0.4, 0.3, 0.2, 0.1], "True/False or 0/1"),
        ([1, 0, 0, 1], [0.4, np.nan, 0.2, 0.1], "missing"),
        ([1, 0, 0, 1], [0.4, np.inf, 0.2, 0.1], "infinite"),
        ([1, 0, 0, 1], ["a", "b", "c", "d"], "numeric"),
        ([0, 0, 0, 0], [0.4, 0.3, 0.2, 0.1], "no case in 'y_true' is 1"),
        ([[1, 0], [0, 1]], [0.4, 0.3, 0.2, 0.1], "one column"),
        (1, 0.5, "one column"),
        ([1, 0], [0.2, 0.1], "cannot fill"),
    ],
)
def test_gains_table_bad_input(y_true, scores, match):
    with pytest.raises(DataError, match=match) as info:
        gains.gains_table(y_true, scores, n_bins=3)
    assert "kamlib.gains.gains_table" in str(info.value)


def test_gains_table_bad_bins():
    for n_bins in (1, 2.5, "4", True):
        with pytest.raises(ParameterError, match="n_bins"):
            gains.gains_table(CHURNED, SCORES, n_bins=n_bins)


def test_gains_table_keeps_its_inputs():
    y, s = pd.Series(CHURNED), np.array(SCORES)
    kept_y, kept_s = y.copy(), s.copy()
    gains.gains_table(y, s, n_bins=2)
    pd.testing.assert_series_equal(y, kept_y)
    np.testing.assert_array_equal(s, kept_s)


def test_charts_take_the_callers_words():
    import matplotlib.pyplot as plt

    g = gains.gains_table(CHURNED, SCORES, n_bins=4)
    ax = gains.plot_gains(g, label="Churn model", xlabel="Share of accounts called")
    assert ax.get_xlabel() == "Share of accounts called"
    line = ax.get_lines()[0]
    # The curve starts at the origin and then follows the cumulative shares.
    assert line.get_xdata().tolist() == pytest.approx([0, 0.25, 0.5, 0.75, 1.0])
    assert line.get_ydata().tolist() == pytest.approx([0, 1 / 3, 2 / 3, 2 / 3, 1.0])
    ax = gains.plot_lift(g, ylabel="Churn rate / overall rate")
    assert ax.get_ylabel() == "Churn rate / overall rate"
    assert len(ax.patches) == 4
    plt.close("all")


def test_charts_refuse_tables_that_are_not_gains():
    import matplotlib.pyplot as plt

    g = gains.gains_table(CHURNED, SCORES, n_bins=4)
    with pytest.raises(DataError, match="between 0 and 1"):
        gains.plot_gains(g.assign(cum_share_events=g["cum_share_events"] * 100))
    with pytest.raises(DataError, match="missing"):
        gains.plot_gains(g.assign(cum_share_cases=np.nan))
    with pytest.raises(DataError, match="negative"):
        gains.plot_lift(g.assign(lift=-1.0))
    with pytest.raises(DataError, match="kamlib.lookalike.plot_gains.*not found"):
        lookalike.plot_gains(g)  # a general table lacks the prospect columns
    plt.close("all")
