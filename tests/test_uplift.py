"""Uplift modelling: the Qini curve and its area by hand, two models on a simulated truth."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamlib import uplift
from kamlib.errors import DataError, ParameterError

Y = [10.0, 0.0, 4.0, 2.0]
T = [1, 0, 1, 0]
S = [0.9, 0.8, 0.7, 0.1]


def test_qini_curve_by_hand():
    q = uplift.qini_curve(Y, T, S)
    # Top 1: one treated (10), no control yet -> 10. Top 2: + a control with 0 -> 10 - 0 = 10.
    # Top 3: treated 10 + 4 = 14, control 0 -> 14. All 4: treated 14 (2 accounts), control
    # 0 + 2 = 2 (2 accounts) -> 14 - 2 x 2/2 = 12.
    assert q["incremental_outcome"].tolist() == [0.0, 10.0, 10.0, 14.0, 12.0]
    assert q["n_treatment"].tolist() == [0, 1, 1, 2, 2]
    assert q["n_control"].tolist() == [0, 0, 1, 1, 2]
    assert q["random"].tolist() == [0.0, 3.0, 6.0, 9.0, 12.0]


def test_qini_curve_scales_the_control_to_the_treated_count():
    # Top 3: 1 treated with 6, 2 controls with 2 + 4 = 6 -> 6 - 6 x 1/2 = 3.
    q = uplift.qini_curve([6, 2, 4, 1], [1, 0, 0, 1], [4, 3, 2, 1])
    assert q["incremental_outcome"].iloc[3] == pytest.approx(3.0)


def test_qini_area_by_hand():
    # Gaps to the random line: 0, 7, 4, 5, 0 at shares 0, .25, .5, .75, 1; trapezoids
    # 0.25 x (3.5 + 5.5 + 4.5 + 2.5) = 4.0.
    assert uplift.qini_area(uplift.qini_curve(Y, T, S)) == pytest.approx(4.0)
    # The reverse order is worse than random here.
    assert uplift.qini_area(uplift.qini_curve(Y, T, [-s for s in S])) < 0


def simulate(seed: int, n: int = 4000) -> pd.DataFrame:
    """Revenue with a known uplift of 0.5 x pre-revenue for industry 'x', none for 'y'."""
    rng = np.random.default_rng(seed)
    pre = rng.gamma(2.0, 50.0, n)
    industry = rng.choice(["x", "y"], n)
    treated = rng.random(n) < 0.5
    true_uplift = np.where(industry == "x", 0.5 * pre, 0.0)
    y = 20 + 1.2 * pre + treated * true_uplift + rng.normal(0, 20, n)
    return pd.DataFrame(
        {
            "pre": pre,
            "industry": industry,
            "group": np.where(treated, "treatment", "control"),
            "y": y,
            "true_uplift": true_uplift,
        }
    )


def test_two_model_uplift_is_exact_on_noiseless_lines():
    train = pd.DataFrame(
        {"x": [1.0, 2, 3, 1, 2, 3], "group": ["treatment"] * 3 + ["control"] * 3,
         "y": [2.0, 4, 6, 1, 2, 3]}
    )  # fmt: skip
    # Treated: y = 2x, control: y = x, so the uplift is x.
    pred = uplift.two_model_uplift(train, pd.DataFrame({"x": [1.0, 4.0]}), features=["x"],
                                   outcome_col="y")  # fmt: skip
    assert pred.tolist() == pytest.approx([1.0, 4.0])


def test_two_model_uplift_ranks_a_simulated_truth():
    from sklearn.tree import DecisionTreeRegressor

    data = simulate(seed=5)
    train, test = data.iloc[:2000], data.iloc[2000:]
    model = DecisionTreeRegressor(max_depth=4, random_state=0)
    pred = uplift.two_model_uplift(
        train, test, features=["pre", "industry"], outcome_col="y", estimator=model
    )
    assert np.corrcoef(pred, test["true_uplift"])[0, 1] > 0.75
    treated = test["group"] == "treatment"
    area = uplift.qini_area(uplift.qini_curve(test["y"], treated, pred))
    oracle = uplift.qini_area(uplift.qini_curve(test["y"], treated, test["true_uplift"]))
    shuffled = np.random.default_rng(0).permutation(len(test))
    random = uplift.qini_area(uplift.qini_curve(test["y"], treated, shuffled.astype(float)))
    assert area > 0.8 * oracle > 0
    assert abs(random) < 0.25 * oracle


def test_plot_qini_returns_axes():
    ax = uplift.plot_qini(uplift.qini_curve(Y, T, S), unit="yuan")
    assert ax.get_ylabel() == "Incremental outcome (yuan)"
    assert len(ax.lines) >= 2


def test_uplift_bad_input():
    with pytest.raises(DataError, match="qini_curve.*both treated and control"):
        uplift.qini_curve(Y, [1, 1, 1, 1], S)
    with pytest.raises(DataError, match="qini_curve.*have 4, 4 and 3"):
        uplift.qini_curve(Y, T, S[:3])
    with pytest.raises(DataError, match="qini_curve.*missing"):
        uplift.qini_curve([1.0, np.nan, 2, 3], T, S)
    with pytest.raises(DataError, match="qini_curve.*one column"):
        uplift.qini_curve("abcd", T, S)
    with pytest.raises(DataError, match="qini_area.*'random'"):
        uplift.qini_area(uplift.qini_curve(Y, T, S).drop(columns="random"))
    with pytest.raises(DataError, match="qini_area.*rise from 0 to 1"):
        uplift.qini_area(uplift.qini_curve(Y, T, S).iloc[::-1])
    train = simulate(seed=1, n=40)
    with pytest.raises(DataError, match="two_model_uplift.*'pre'"):
        uplift.two_model_uplift(train, train.drop(columns="pre"), features=["pre"],
                                outcome_col="y")  # fmt: skip
    with pytest.raises(ParameterError, match="two_model_uplift.*features"):
        uplift.two_model_uplift(train, train, features=[3], outcome_col="y")
    with pytest.raises(ParameterError, match="two_model_uplift.*estimator"):
        uplift.two_model_uplift(train, train, features=["pre"], outcome_col="y", estimator=3)
    before = train.copy()
    uplift.two_model_uplift(train, train, features=["pre", "industry"], outcome_col="y")
    pd.testing.assert_frame_equal(train, before)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 1000), st.booleans(), st.floats(-5, 5)), min_size=4, max_size=40
    )
)
def test_qini_end_point_does_not_depend_on_the_ranking(rows):
    y, t, s = (list(col) for col in zip(*rows, strict=True))
    if all(t) or not any(t):
        t[0], t[-1] = True, False
    y_arr, t_arr = np.array(y), np.array(t)
    q = uplift.qini_curve(y, t, s)
    # The whole group: treated total minus control total scaled to the treated count.
    end = y_arr[t_arr].sum() - y_arr[~t_arr].sum() * t_arr.sum() / (~t_arr).sum()
    assert q["incremental_outcome"].iloc[-1] == pytest.approx(end, abs=1e-6)
    assert q["random"].iloc[-1] == pytest.approx(end, abs=1e-6)
    reversed_q = uplift.qini_curve(y, t, [-v for v in s])
    assert reversed_q["incremental_outcome"].iloc[-1] == pytest.approx(end, abs=1e-6)


def test_cross_fitted_uplift_scores_each_fold_with_the_other_folds():
    from sklearn.dummy import DummyRegressor

    rng = np.random.default_rng(2)
    data = pd.DataFrame(
        {
            "x": rng.normal(size=24),
            "group": ["treatment", "control"] * 12,
            "y": rng.gamma(2.0, 10.0, 24),
        }
    )
    pred = uplift.cross_fitted_uplift(
        data, features=["x"], outcome_col="y", n_folds=3, seed=4, estimator=DummyRegressor()
    )
    # A model that predicts the mean: within a fold every account gets the same uplift, the
    # difference of the treated and control means of the *other* folds.
    assert pred.nunique() == 3
    for _, rows in pred.groupby(pred):
        rest = data.drop(index=rows.index)
        by_group = rest.groupby("group")["y"].mean()
        assert rows.iloc[0] == pytest.approx(by_group["treatment"] - by_group["control"])
    assert pred.groupby(pred).size().tolist() == [8, 8, 8]


def test_cross_fitted_uplift_recovers_a_simulated_truth():
    from sklearn.tree import DecisionTreeRegressor

    data = simulate(seed=9)
    pred = uplift.cross_fitted_uplift(
        data, features=["pre", "industry"], outcome_col="y",
        estimator=DecisionTreeRegressor(max_depth=4, random_state=0),
    )  # fmt: skip
    assert np.corrcoef(pred, data["true_uplift"])[0, 1] > 0.75
    area = uplift.qini_area(uplift.qini_curve(data["y"], data["group"] == "treatment", pred))
    assert area > 0


def test_cross_fitted_uplift_bad_input():
    data = simulate(seed=1, n=40)
    with pytest.raises(ParameterError, match="cross_fitted_uplift.*n_folds"):
        uplift.cross_fitted_uplift(data, features=["pre"], outcome_col="y", n_folds=1)
    with pytest.raises(ParameterError, match="cross_fitted_uplift.*seed"):
        uplift.cross_fitted_uplift(data, features=["pre"], outcome_col="y", seed=-1)
    with pytest.raises(DataError, match="cross_fitted_uplift.*cannot fill"):
        uplift.cross_fitted_uplift(data.iloc[:3], features=["pre"], outcome_col="y")
    with pytest.raises(DataError, match="cross_fitted_uplift.*'pre'"):
        uplift.cross_fitted_uplift(data.drop(columns="pre"), features=["pre"], outcome_col="y")
    before = data.copy()
    uplift.cross_fitted_uplift(data, features=["pre", "industry"], outcome_col="y")
    pd.testing.assert_frame_equal(data, before)


def test_plot_qini_bad_input():
    with pytest.raises(DataError, match="plot_qini.*DataFrame"):
        uplift.plot_qini([1, 2, 3])
    with pytest.raises(DataError, match="plot_qini.*'random'"):
        uplift.plot_qini(uplift.qini_curve(Y, T, S).drop(columns="random"))
