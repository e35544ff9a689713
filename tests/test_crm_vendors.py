"""Tests of kamlib.crm_vendors: the weighted decision matrix and its sensitivity, by hand."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from kamlib import ahp
from kamlib import crm_vendors as cv
from kamlib.errors import DataError, ParameterError

matplotlib.use("Agg")


def two() -> pd.DataFrame:
    return pd.DataFrame({"vendor": ["X", "Y"], "fit": [5, 3], "cost": [200.0, 100.0]})


def test_decision_matrix_by_hand():
    # X: fit (5-1)/4 = 1, dearest -> cost 0; Y: fit 0.5, cheapest -> cost 1.
    # With weights 0.25 / 0.75: X = 25, Y = 12.5 + 75 = 87.5.
    card = cv.decision_matrix(two(), weights={"fit": 1, "cost": 3}, cost_col="cost")
    assert card["score"].to_dict() == pytest.approx({"Y": 87.5, "X": 25.0})
    assert card.index[0] == "Y"


def test_switch_point_by_hand():
    # Weight w on fit: X = 100 w, Y = 50 w + 100 (1 - w); X wins once w > 2/3.
    s = cv.choice_sensitivity(two(), weights={"fit": 0.8, "cost": 0.2}, cost_col="cost")
    fit = s[s["criterion"] == "fit"].set_index("weight")["winner"]
    assert fit[0.65] == "Y" and fit[0.7] == "X"
    sw = cv.switch_points(s)
    assert sw.loc["fit", "keeps_from"] == pytest.approx(0.7)
    assert sw.loc["fit", "winner_below"] == "Y"
    assert s.attrs["base_winner"] == "X"


def test_ahp_weights_feed_the_matrix():
    crit = ["sales_fit", "five_year_cost_cny"]
    res = ahp.ahp_weights(ahp.pairwise_matrix({("sales_fit", "five_year_cost_cny"): 3}, crit))
    card = cv.decision_matrix(cv.vendor_table(), weights=res)
    # weights 0.75 / 0.25; Global Suite: 0.75 * 100 + 0 = 75; OpenDesk: 0.75 * 50 + 25 = 62.5
    assert card.loc["Global Suite", "score"] == pytest.approx(75.0)
    assert card.loc["OpenDesk", "score"] == pytest.approx(62.5)


def test_vendor_table_is_complete():
    v = cv.vendor_table()
    assert list(v.columns) == ["vendor", *cv.CRITERIA]
    assert v[cv.RATINGS].isin(range(1, 6)).all().all()


def test_bad_inputs():
    with pytest.raises(DataError, match=r"decision_matrix: column\(s\) 'speed' not found"):
        cv.decision_matrix(two(), weights={"speed": 1})
    with pytest.raises(DataError, match="one vendor only"):
        cv.choice_sensitivity(two().iloc[:1], weights={"fit": 1}, cost_col="cost")
    with pytest.raises(ParameterError, match="'grid' is empty"):
        cv.choice_sensitivity(two(), weights={"fit": 1, "cost": 1}, cost_col="cost", grid=[])
    with pytest.raises(DataError, match="base_winner"):
        cv.switch_points(
            pd.DataFrame({"criterion": ["a"], "weight": [0.5], "winner": ["X"], "is_base": [True]})
        )
    with pytest.raises(DataError, match="outside its fixed scale"):
        cv.decision_matrix(two().assign(fit=[7, 3]), weights={"fit": 1})


def test_plot_choice_sensitivity():
    s = cv.choice_sensitivity(cv.vendor_table(), weights={"sales_fit": 1, "five_year_cost_cny": 1})
    ax = cv.plot_choice_sensitivity(s)
    assert ax.get_title() == "Which CRM system wins as one weight moves"
