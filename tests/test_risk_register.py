"""The risk register: scores, ratings and order by hand; levels at their cut-offs; bad entries."""

import pandas as pd
import pytest

from kamlib import risk_register as rr
from kamlib.errors import DataError, ParameterError


def entry(risk, likelihood, impact, **extra):
    return {"risk": risk, "likelihood": likelihood, "impact": impact, "owner": "KAM",
            "mitigation": "Review", **extra}  # fmt: skip


def test_scores_ratings_and_order_by_hand():
    table = rr.risk_register(
        [entry("a", 1, 4), entry("b", 3, 4), entry("c", 2, 2, evidence="x"), entry("d", 4, 1)]
    )
    # Scores 4, 12, 4, 4: b first (high from 12); among the fours the larger impact (a) first.
    assert table["risk"].tolist() == ["b", "a", "c", "d"]
    assert table["score"].tolist() == [12, 4, 4, 4]
    assert table["rating"].tolist() == ["high", "low", "low", "low"]
    assert table.loc[2, "evidence"] == "x"
    assert rr.risk_register([entry("e", 1, 5)])["rating"].tolist() == ["medium"]


def test_levels_at_their_cut_offs():
    assert [rr.likelihood_level(p) for p in (0.0, 0.049, 0.05, 0.2, 0.5, 0.8, 1.0)] == [
        1, 1, 2, 3, 4, 5, 5,
    ]  # fmt: skip
    assert [rr.impact_level(s) for s in (0.0, 0.01, 0.049, 0.1, 0.25, 3.0)] == [1, 2, 2, 4, 5, 5]
    with pytest.raises(ParameterError, match="likelihood_level"):
        rr.likelihood_level(1.2)


def test_bad_entries_are_refused():
    with pytest.raises(DataError, match="likelihood"):
        rr.risk_register([entry("a", 6, 1)])
    with pytest.raises(DataError, match="impact"):
        rr.risk_register([entry("a", 2, 2.5)])
    with pytest.raises(DataError, match="owner"):
        rr.risk_register([{**entry("a", 2, 2), "owner": "  "}])
    with pytest.raises(DataError, match="mitigation"):
        rr.risk_register([{k: v for k, v in entry("a", 2, 2).items() if k != "mitigation"}])
    with pytest.raises(ParameterError, match="list of dicts"):
        rr.risk_register("a risk")


def test_input_unchanged():
    frame = pd.DataFrame([entry("a", 2, 3)])
    before = frame.copy()
    rr.risk_register(frame)
    pd.testing.assert_frame_equal(frame, before)
