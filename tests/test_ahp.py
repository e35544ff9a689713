"""Tests of kamlib.ahp: weights from pairwise comparisons (AHP) and weight normalisation.

Expected values are worked out by hand in the comments, or taken from Saaty's published tables
and the standard 3 x 3 AHP example.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib import ahp, selection
from kamlib.errors import DataError, ParameterError

REFERENCE = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]


def test_selection_keeps_the_ahp_names():
    # Notebooks and the book import them from kamlib.selection: the very same objects.
    for name in ahp.__all__:
        assert getattr(selection, name) is getattr(ahp, name), name
        assert name in selection.__all__, name


# ---------------------------------------------------------------------------------------------
# AHP
# ---------------------------------------------------------------------------------------------
def test_ahp_reference_matrix():
    # For n = 3 the normalised row geometric means are exactly the principal eigenvector:
    # g = (15^(1/3), 1, (1/15)^(1/3)) = (2.4662, 1, 0.4055), sum 3.8717
    # -> w = (0.6370, 0.2583, 0.1047).
    # lambda_max = (A w)_1 / w_1 = (0.6370 + 3 * 0.2583 + 5 * 0.1047) / 0.6370 = 3.0385.
    # CI = (3.0385 - 3) / 2 = 0.01926; CR = CI / RI(3) = 0.01926 / 0.58 = 0.0332.
    result = ahp.ahp_weights(REFERENCE)
    np.testing.assert_allclose(result.weights, [0.637, 0.258, 0.105], atol=1e-3)
    assert result.lambda_max == pytest.approx(3.0385, abs=1e-3)
    assert result.ci == pytest.approx(0.01926, abs=1e-4)
    assert result.ri == 0.58
    assert result.cr == pytest.approx(0.0332, abs=1e-3)
    assert result.consistent
    assert result.n == 3
    assert result.summary()["CR"] == pytest.approx(0.0332, abs=1e-3)


def test_ahp_consistent_matrix_recovers_the_weights_exactly():
    # Built from w = (0.5, 0.3, 0.2) with a_ij = w_i / w_j: A w = 3 w, so the eigenvector is w,
    # lambda_max = n = 3, CI = 0 and CR = 0.
    w = np.array([0.5, 0.3, 0.2])
    result = ahp.ahp_weights(w[:, None] / w[None, :], criteria=["fit", "profit", "tenure"])
    np.testing.assert_allclose(result.weights, w, atol=1e-12)
    assert result.weights.index.tolist() == ["fit", "profit", "tenure"]
    assert result.lambda_max == pytest.approx(3.0, abs=1e-10)
    assert result.cr == pytest.approx(0.0, abs=1e-10)


def test_ahp_two_criteria():
    # a_12 = 4: w = (4/5, 1/5); a 2 x 2 reciprocal matrix is always consistent, CR = 0.
    result = ahp.ahp_weights([[1, 4], [0.25, 1]])
    np.testing.assert_allclose(result.weights, [0.8, 0.2], atol=1e-12)
    assert result.lambda_max == pytest.approx(2.0)
    assert result.cr == 0.0
    assert result.consistent


def test_ahp_circular_judgements_are_flagged():
    # A beats B 9x, B beats C 9x, C beats A 9x. The matrix is circulant, so its principal
    # eigenvector is (1, 1, 1) with eigenvalue = row sum = 1 + 9 + 1/9 = 10.111;
    # CI = (10.111 - 3) / 2 = 3.5556; CR = 3.5556 / 0.58 = 6.130.
    result = ahp.ahp_weights([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    np.testing.assert_allclose(result.weights, [1 / 3] * 3, atol=1e-9)
    assert result.lambda_max == pytest.approx(10.1111, abs=1e-3)
    assert result.cr == pytest.approx(6.130, abs=1e-3)
    assert not result.consistent


def test_ahp_uses_dataframe_labels_and_keeps_input():
    frame = pd.DataFrame(REFERENCE, index=list("abc"), columns=list("abc"))
    before = frame.copy()
    result = ahp.ahp_weights(frame)
    assert result.weights.index.tolist() == ["a", "b", "c"]
    pd.testing.assert_frame_equal(frame, before)


def test_random_index_is_saatys_table():
    # Saaty (1980): the random index RI for n = 1..10.
    published = [0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]
    assert [ahp.RANDOM_INDEX[n] for n in range(1, 11)] == published


def test_ahp_accepts_rounded_reciprocals():
    # 1/3 typed as 0.333: 3 * 0.333 = 0.999, within the default tolerance of 0.01.
    result = ahp.ahp_weights([[1, 3], [0.333, 1]])
    assert result.weights.iloc[0] == pytest.approx(0.75, abs=1e-3)


@pytest.mark.parametrize(
    ("matrix", "match"),
    [
        ([[1, 2, 3], [0.5, 1, 2]], "square"),
        ([[1, -2], [-0.5, 1]], "positive"),
        ([[1, 0], [0, 1]], "positive"),
        ([[1, 3], [3, 1]], "reciprocal"),
        ([[2, 3], [1 / 3, 2]], "diagonal"),
        ([[1, np.nan], [np.nan, 1]], "missing"),
        ([[1]], "at least two"),
        (np.ones((11, 11)), "tabulated up to 10"),
        ([["1", "2"], ["0.5", "1"]], "numbers"),
        ([[1, True], [1, 1]], "numbers"),
    ],
)
def test_ahp_bad_matrices(matrix, match):
    with pytest.raises(DataError, match=match):
        ahp.ahp_weights(matrix)


def test_ahp_bad_parameters():
    with pytest.raises(ParameterError, match="criteria"):
        ahp.ahp_weights(REFERENCE, criteria=["a", "b"])
    with pytest.raises(ParameterError, match="criteria"):
        ahp.ahp_weights(REFERENCE, criteria=["a", "a", "b"])
    frame = pd.DataFrame(REFERENCE, index=list("abc"), columns=list("abc"))
    with pytest.raises(ParameterError, match="differ"):
        ahp.ahp_weights(frame, criteria=["x", "y", "z"])
    with pytest.raises(DataError, match="same criteria"):
        ahp.ahp_weights(pd.DataFrame(REFERENCE, index=list("abc"), columns=list("xyz")))
    with pytest.raises(ParameterError, match="tol"):
        ahp.ahp_weights(REFERENCE, tol=-1)


saaty_values = st.sampled_from([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1 / 2, 1, 2, 3, 5, 7, 9])


@st.composite
def reciprocal_matrices(draw):
    n = draw(st.integers(2, 9))
    matrix = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            value = draw(saaty_values | st.floats(1 / 9, 9))
            matrix[i, j], matrix[j, i] = value, 1 / value
    return matrix


@settings(max_examples=60, deadline=None)
@given(reciprocal_matrices())
def test_ahp_weights_positive_and_sum_to_one(matrix):
    before = matrix.copy()
    result = ahp.ahp_weights(matrix)
    assert (result.weights > 0).all()
    assert result.weights.sum() == pytest.approx(1.0)
    assert result.lambda_max >= len(matrix) - 1e-9  # Saaty: lambda_max >= n for reciprocal A
    assert result.cr >= 0
    np.testing.assert_array_equal(matrix, before)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.01, 1.0), min_size=2, max_size=10))
def test_ahp_consistent_matrices_give_zero_cr(raw):
    w = np.array(raw) / np.sum(raw)
    result = ahp.ahp_weights(w[:, None] / w[None, :])
    assert result.cr == pytest.approx(0.0, abs=1e-8)
    np.testing.assert_allclose(result.weights, w, atol=1e-8)


# ---------------------------------------------------------------------------------------------
# pairwise_matrix, hierarchy_weights, normalise_weights
# ---------------------------------------------------------------------------------------------
def test_pairwise_matrix_fills_reciprocals():
    m = ahp.pairwise_matrix({("b", "a"): 1 / 3, ("a", "c"): 5, ("b", "c"): 3}, ["a", "b", "c"])
    np.testing.assert_allclose(m.to_numpy(), REFERENCE)
    assert m.index.tolist() == m.columns.tolist() == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("judgements", "criteria", "match"),
    [
        ([("a", "b")], ["a", "b"], "dict"),
        ({("a", "b"): 2}, ["a", "b", "c"], "no judgement"),
        ({("a", "b"): 2, ("b", "a"): 0.5}, ["a", "b"], "twice"),
        ({("a", "z"): 2}, ["a", "b"], "two different criteria"),
        ({("a", "a"): 2}, ["a", "b"], "two different criteria"),
        ({("a", "b"): 0}, ["a", "b"], "must lie in"),
        ({"ab": 2}, ["a", "b"], "pair"),
        ({("a", "b"): 2}, "a", "at least two"),
        ({("a", "b"): 2}, 5, "list of names"),
    ],
)
def test_pairwise_matrix_bad_input(judgements, criteria, match):
    with pytest.raises(ParameterError, match=match):
        ahp.pairwise_matrix(judgements, criteria)


def test_hierarchy_weights_by_hand():
    # fit 0.2; contribution 0.5 split 0.6/0.4 -> 0.3, 0.2; stability 0.3 split 0.5/0.5 -> 0.15 each.
    w = ahp.hierarchy_weights(
        {"fit": 0.2, "contribution": 0.5, "stability": 0.3},
        {
            "contribution": {"profit": 3, "margin": 2},
            "stability": pd.Series({"tenure": 1.0, "reg": 1.0}),
        },
    )
    assert w.to_dict() == pytest.approx(
        {"fit": 0.2, "profit": 0.3, "margin": 0.2, "tenure": 0.15, "reg": 0.15}
    )


def test_hierarchy_weights_bad_input():
    with pytest.raises(ParameterError, match="not main criteria"):
        ahp.hierarchy_weights({"a": 1}, {"b": {"x": 1}})
    with pytest.raises(ParameterError, match="dict"):
        ahp.hierarchy_weights({"a": 1}, [("a", 1)])
    with pytest.raises(ParameterError, match="twice"):
        ahp.hierarchy_weights({"a": 1, "b": 1}, {"b": {"a": 1}})


def test_normalise_weights():
    assert ahp.normalise_weights({"a": 3, "b": 1}).tolist() == [0.75, 0.25]
    result = ahp.ahp_weights([[1, 4], [0.25, 1]])
    assert ahp.normalise_weights(result).tolist() == pytest.approx([0.8, 0.2])
    for bad, match in [
        ({"a": -1, "b": 2}, "must lie in"),
        ({"a": 0, "b": 0}, "all zero"),
        ({"a": "1"}, "number"),
        ({}, "empty"),
        ([0.5, 0.5], "dict or Series"),
        ({"a": np.nan}, "finite"),
    ]:
        with pytest.raises(ParameterError, match=match):
            ahp.normalise_weights(bad)
