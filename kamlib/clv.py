"""Customer lifetime value (CLV): the present value of the margin a customer will bring.

Two models live here:

* the closed-form **retention model** (:func:`clv`): a constant margin ``m`` per period, a
  constant retention rate ``r`` (the chance a customer of this period is still a customer next
  period) and a discount rate ``d`` per period (Berger & Nasr 1998; Gupta & Lehmann 2003);
* the **customer-migration model** (:func:`markov_clv`): customers move between recency states
  with the probabilities of a Markov chain, each state earning its own value per period
  (Pfeifer & Carraway 2000).

>>> from kamlib.clv import clv
>>> round(clv(100, 0.8, 0.1), 2)    # first margin at the end of period 1, forever
333.33
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    as_called_by,
    as_timestamp,
    check_choice,
    check_number,
    require_columns,
    require_dates,
    require_frame,
    require_no_missing,
)

__all__ = [
    "clv",
    "clv_curve",
    "clv_explorer",
    "markov_clv",
    "per_period_rate",
    "plot_clv_curve",
    "recency_state_labels",
    "recency_states",
    "recency_transition_matrix",
]

TIMINGS = ("end", "start")
PERIODS = ("M", "Q", "Y")


# --- the closed-form retention model ----------------------------------------------------------


def _numbers(
    value, name: str, func: str, *, low=None, high=None, strict_low=False, strict_high=False
):
    """Check a scalar or an array-like of numbers; return a float array and whether scalar."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = check_number(
            value,
            name,
            func,
            low=low,
            high=high,
            low_inclusive=not strict_low,
            high_inclusive=not strict_high,
        )
        return np.asarray(number), True
    if isinstance(value, str | bytes | bool | dict) or value is None:
        raise ParameterError(
            f"{func}: '{name}' must be a number or an array/Series of numbers, got {value!r}."
        )
    array = np.asarray(value.to_numpy() if isinstance(value, pd.Series) else value)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        raise ParameterError(
            f"{func}: '{name}' must hold numbers, found dtype {array.dtype}. "
            "Convert it with pd.to_numeric(...) first."
        )
    array = array.astype(float)
    if array.size == 0:
        raise ParameterError(f"{func}: '{name}' is empty. Pass at least one value.")
    if not np.isfinite(array).all():
        raise ParameterError(
            f"{func}: '{name}' has missing or infinite value(s). Fill or remove them."
        )
    too_low = low is not None and ((array <= low) if strict_low else (array < low)).any()
    too_high = high is not None and ((array >= high) if strict_high else (array > high)).any()
    if too_low or too_high:
        lo = "(-inf" if low is None else ("(" if strict_low else "[") + f"{low}"
        hi = "inf)" if high is None else f"{high}" + (")" if strict_high else "]")
        raise ParameterError(
            f"{func}: every value of '{name}' must lie in {lo}, {hi}; found values from "
            f"{array.min():g} to {array.max():g}."
        )
    return array, False


def _check_horizon(horizon, func: str, *, allow_none: bool = True):
    if horizon is None and allow_none:
        return None
    return check_number(horizon, "horizon", func, low=1, integer=True)


def clv(margin, retention, discount_rate, *, horizon: int | None = None, timing: str = "end"):
    """Closed-form customer lifetime value with constant margin, retention and discount rate.

    Timing convention (``horizon`` = number of margins counted, T):

    - ``timing="end"``: the customer pays margin ``m`` at the end of each period; the first
      margin arrives at the end of period 1 (the customer is sure to be there), and each later
      one only if the customer was retained, probability ``r`` per period::

          CLV = sum_{t=1..T} m r^(t-1) / (1+d)^t = m (1 - q^T) / (1 + d - r),  q = r / (1+d)
          T = infinity:  CLV = m / (1 + d - r)

    - ``timing="start"``: the first margin is paid now (undiscounted), the next ones at the
      start of each later period::

          CLV = sum_{t=0..T-1} m r^t / (1+d)^t = m (1+d) (1 - q^T) / (1 + d - r)
          T = infinity:  CLV = m (1+d) / (1 + d - r)

    The two differ by one period of discounting: CLV_start = (1 + d) CLV_end.

    Parameters
    ----------
    margin : float or array-like
        Margin per period (CNY). May be negative (a loss-making customer).
    retention : float or array-like
        Retention rate per period, in [0, 1).
    discount_rate : float or array-like
        Discount rate per period, greater than -1 (0 or more in practice; use
        :func:`per_period_rate` to turn a yearly rate into a quarterly or monthly one).
    horizon : int, optional
        Number of margins counted; None (default) counts them forever.
    timing : {"end", "start"}
        When each period's margin is received (see above).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        A float when every input is a number; otherwise the inputs are broadcast element-wise
        and a Series (keeping the index of the first Series given) or an array is returned.

    Examples
    --------
    >>> round(clv(100, 0.8, 0.1, timing="start"), 2)    # 100 * 1.1 / 0.3
    366.67
    >>> round(clv(100, 0.8, 0.1, horizon=3), 2)     # 100/1.1 + 80/1.21 + 64/1.331
    205.11
    """
    func = "kamlib.clv.clv"
    check_choice(timing, "timing", func, TIMINGS)
    horizon = _check_horizon(horizon, func)
    m, m_scalar = _numbers(margin, "margin", func)
    r, r_scalar = _numbers(retention, "retention", func, low=0, high=1, strict_high=True)
    d, d_scalar = _numbers(discount_rate, "discount_rate", func, low=-1, strict_low=True)
    try:
        m, r, d = np.broadcast_arrays(m, r, d)
    except ValueError:
        raise ParameterError(
            f"{func}: 'margin', 'retention' and 'discount_rate' have lengths that do not match "
            f"({np.size(m)}, {np.size(r)}, {np.size(d)}). Give numbers or arrays of one length."
        ) from None
    if horizon is None and (r >= 1 + d).any():
        raise ParameterError(
            f"{func}: with a negative 'discount_rate' and retention of at least 1 + discount "
            "rate the infinite sum has no limit. Use a discount rate of 0 or more, or a horizon."
        )
    q = r / (1 + d)
    if horizon is None:
        value = m / (1 + d - r)
    else:
        # Sum the finite geometric series explicitly when q = 1 (only possible with d < 0).
        unit = np.isclose(q, 1.0)
        ratio = np.where(unit, 0.0, q)  # placeholder where q = 1, replaced below
        finite = np.where(unit, horizon, (1 - ratio**horizon) / (1 - ratio))
        value = m / (1 + d) * finite
    if timing == "start":
        value = value * (1 + d)
    if m_scalar and r_scalar and d_scalar:
        return float(value)
    for given in (margin, retention, discount_rate):
        if isinstance(given, pd.Series) and len(given) == value.size:
            return pd.Series(value, index=given.index, name="clv")
    return value


def per_period_rate(annual_rate: float, periods_per_year: int) -> float:
    """Turn a yearly discount rate into the equivalent rate per month, quarter, ...

    ``(1 + annual_rate) ** (1 / periods_per_year) - 1``: compounding it ``periods_per_year``
    times gives back the yearly rate.

    Examples
    --------
    >>> round(per_period_rate(0.10, 4), 6)     # 1.1 ** 0.25 - 1
    0.024114
    """
    func = "kamlib.clv.per_period_rate"
    annual = check_number(annual_rate, "annual_rate", func, low=-1, low_inclusive=False)
    k = check_number(periods_per_year, "periods_per_year", func, low=1, integer=True)
    return (1 + annual) ** (1 / k) - 1


def clv_curve(
    margin: float,
    retention: float,
    discount_rate: float,
    *,
    horizon: int = 10,
    timing: str = "end",
) -> pd.DataFrame:
    """Period-by-period build-up of the closed-form CLV (the table behind the CLV chart).

    Parameters
    ----------
    margin, retention, discount_rate : float
        As for :func:`clv` (single numbers here).
    horizon : int, default 10
        Number of periods shown.
    timing : {"end", "start"}
        As for :func:`clv`.

    Returns
    -------
    pandas.DataFrame
        Index ``period`` 1..horizon; columns ``still_customer`` (probability the customer is
        still there to pay that period's margin, r^(t-1)), ``expected_margin``,
        ``discount_factor`` (1/(1+d)^t for "end", 1/(1+d)^(t-1) for "start"),
        ``discounted_value`` and ``cumulative_value``; the last cumulative value equals
        ``clv(..., horizon=horizon)``.

    Examples
    --------
    >>> clv_curve(100, 0.8, 0.1, horizon=3)["cumulative_value"].round(2).tolist()
    [90.91, 157.02, 205.11]
    """
    func = "kamlib.clv.clv_curve"
    check_choice(timing, "timing", func, TIMINGS)
    horizon = _check_horizon(horizon, func, allow_none=False)
    m = check_number(margin, "margin", func)
    r = check_number(retention, "retention", func, low=0, high=1, high_inclusive=False)
    d = check_number(discount_rate, "discount_rate", func, low=-1, low_inclusive=False)
    t = np.arange(1, horizon + 1)
    alive = r ** (t - 1)
    factor = (1 + d) ** -(t if timing == "end" else t - 1)
    value = m * alive * factor
    return pd.DataFrame(
        {
            "still_customer": alive,
            "expected_margin": m * alive,
            "discount_factor": factor,
            "discounted_value": value,
            "cumulative_value": np.cumsum(value),
        },
        index=pd.Index(t, name="period"),
    )


def plot_clv_curve(
    margin: float,
    retention: float,
    discount_rate: float,
    *,
    horizon: int = 10,
    timing: str = "end",
    ax=None,
    title: str | None = None,
):
    """Bars of each year's discounted value and a line of their running total (the CLV so far).

    The dashed line is the CLV over an infinite horizon, which the running total approaches.
    The chart reads the period as a year (margin per year, yearly retention and discount rate).
    Arguments as for :func:`clv_curve`; returns the matplotlib Axes.
    """
    with as_called_by("kamlib.clv.plot_clv_curve"):
        curve = clv_curve(margin, retention, discount_rate, horizon=horizon, timing=timing)
        total = clv(margin, retention, discount_rate, timing=timing)
    ax = plot.get_ax(ax)
    ax.bar(
        curve.index,
        curve["discounted_value"],
        color=plot.MAIN,
        alpha=0.35,
        label="Discounted value of the period",
    )
    ax.plot(
        curve.index,
        curve["cumulative_value"],
        color=plot.MAIN,
        marker="o",
        linewidth=2,
        label=f"CLV over {horizon} years: ¥{curve['cumulative_value'].iloc[-1]:,.0f}",
    )
    ax.axhline(total, color=plot.ACCENT, linestyle="--", label=f"CLV with no end: ¥{total:,.0f}")
    ax.set_xticks(curve.index)
    plot.money_axis(ax)
    ax.legend(loc="center right")
    plot.label(
        ax,
        title
        or f"How CLV builds up (margin ¥{margin:,.0f}, retention {retention:.0%}, "
        f"discount {discount_rate:.0%})",
        "Year",
        "Value (present value, CNY)",
    )
    return ax


def clv_explorer(
    margin: float = 100_000.0,
    retention: float = 0.8,
    discount_rate: float = 0.1,
    horizon: int = 10,
    *,
    timing: str = "end",
):
    """An interactive CLV calculator: sliders for margin, retention, discount rate and horizon.

    Shows the CLV over the horizon and with no end, and the chart of :func:`plot_clv_curve`.
    Needs ``ipywidgets`` (imported only when this is called) and a live Jupyter kernel.

    Returns
    -------
    ipywidgets.VBox
        Display it as the last line of a notebook cell.
    """
    func = "kamlib.clv.clv_explorer"
    with as_called_by(func):  # validates the starting values
        clv_curve(margin, retention, discount_rate, horizon=horizon, timing=timing)
    try:
        import ipywidgets as widgets
    except ImportError:  # pragma: no cover - depends on the environment
        raise ParameterError(
            f"{func}: the calculator needs ipywidgets. Install it with "
            "'pip install ipywidgets' or use clv() and plot_clv_curve() directly."
        ) from None
    import matplotlib.pyplot as plt
    from IPython.display import display

    top = max(abs(margin) * 3, 1000.0)
    controls = {
        "margin": widgets.FloatSlider(
            value=margin,
            min=0,
            max=top,
            step=top / 300,
            description="Margin / yr",
            readout_format=",.0f",
        ),
        "retention": widgets.FloatSlider(
            value=retention, min=0, max=0.99, step=0.01, description="Retention"
        ),
        "discount_rate": widgets.FloatSlider(
            value=discount_rate,
            min=0,
            max=0.3,
            step=0.005,
            description="Discount rate",
            readout_format=".1%",
        ),
        "horizon": widgets.IntSlider(value=horizon, min=1, max=30, description="Horizon (yr)"),
        "timing": widgets.ToggleButtons(options=list(TIMINGS), value=timing, description="Paid at"),
    }
    out = widgets.Output()

    def redraw(_change=None):
        values = {name: control.value for name, control in controls.items()}
        with out:
            out.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(7.5, 4.2))
            plot_clv_curve(
                values["margin"],
                values["retention"],
                values["discount_rate"],
                horizon=values["horizon"],
                timing=values["timing"],
                ax=ax,
            )
            display(fig)
            plt.close(fig)  # shown once through the output area; do not keep it open

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.VBox(list(controls.values())), out])


# --- the customer-migration (Markov chain) model ----------------------------------------------


def _transition_matrix(matrix, func: str) -> pd.DataFrame:
    if isinstance(matrix, pd.DataFrame):
        frame = matrix
    elif isinstance(matrix, np.ndarray | list):
        array = np.asarray(matrix, dtype=object) if isinstance(matrix, list) else matrix
        if array.ndim != 2:
            raise DataError(
                f"{func}: 'transition_matrix' must be a square table (2-D), got {array.ndim} "
                f"dimension(s) of shape {array.shape}. Give one row and one column per state."
            )
        frame = pd.DataFrame(np.asarray(matrix))
    else:
        raise DataError(
            f"{func}: 'transition_matrix' must be a square DataFrame or 2-D array, "
            f"got {type(matrix).__name__}."
        )
    if frame.ndim != 2 or frame.shape[0] != frame.shape[1] or frame.empty:
        raise DataError(
            f"{func}: 'transition_matrix' must be square (one row and one column per state), "
            f"got shape {frame.shape}."
        )
    if isinstance(matrix, pd.DataFrame) and not frame.index.equals(frame.columns):
        raise DataError(
            f"{func}: the rows and columns of 'transition_matrix' must list the same states in "
            f"the same order; rows {list(frame.index)}, columns {list(frame.columns)}."
        )
    if not all(pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns):
        raise DataError(f"{func}: 'transition_matrix' must hold numbers (probabilities).")
    values = frame.to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise DataError(f"{func}: 'transition_matrix' has missing or infinite entries.")
    if (values < 0).any():
        raise DataError(
            f"{func}: 'transition_matrix' has negative entries; probabilities are >= 0."
        )
    sums = values.sum(axis=1)
    off = ~np.isclose(sums, 1.0, atol=1e-8)
    if off.any():
        raise DataError(
            f"{func}: each row of 'transition_matrix' must sum to 1 (a customer is somewhere "
            f"next period); rows {list(frame.index[off])} sum to {np.round(sums[off], 4).tolist()}."
        )
    return frame.astype(float)


def markov_clv(
    transition_matrix,
    values,
    discount_rate: float,
    *,
    horizon: int | None = None,
) -> pd.Series:
    """Expected discounted value of a customer in each starting state of a migration model.

    Following Pfeifer & Carraway (2000): ``P`` is the one-period transition matrix between
    states (rows: this period, columns: next period) and ``R`` the value a customer in each
    state brings in one period (margin minus marketing cost, say). The value of the current
    period is counted undiscounted (as ``timing="start"`` in :func:`clv`)::

        V = sum_{t=0..T-1} (P / (1+d))^t R           (horizon T)
        V = (I - P / (1+d))^(-1) R                   (no end; needs d > 0)

    Parameters
    ----------
    transition_matrix : pandas.DataFrame or 2-D array
        Square, non-negative, rows summing to 1. A DataFrame's index must equal its columns.
    values : pandas.Series or array-like
        Value per period of a customer in each state, in the matrix's state order (a Series
        indexed by state names is aligned to the matrix).
    discount_rate : float
        Discount rate per period (> -1; > 0 when ``horizon`` is None).
    horizon : int, optional
        Number of periods counted, including the current one; None counts forever.

    Returns
    -------
    pandas.Series
        Lifetime value of a customer starting in each state, indexed by state.

    Examples
    --------
    Two states, customer and lost; a customer stays with probability 0.8 and brings 100 per
    period; lost customers never come back:

    >>> P = [[0.8, 0.2], [0.0, 1.0]]
    >>> markov_clv(P, [100, 0], 0.1).round(2).tolist()     # 100 * 1.1 / (1.1 - 0.8)
    [366.67, 0.0]
    """
    func = "kamlib.clv.markov_clv"
    P = _transition_matrix(transition_matrix, func)
    horizon = _check_horizon(horizon, func)
    d = check_number(discount_rate, "discount_rate", func, low=-1, low_inclusive=False)
    if horizon is None and d <= 0:
        raise ParameterError(
            f"{func}: with no horizon the discount rate must be positive (got {d}); otherwise "
            "the value of customers who stay forever has no limit. Give a positive "
            "discount_rate or a finite horizon."
        )
    if isinstance(values, pd.Series):
        if not values.index.equals(P.index):
            missing = [s for s in P.index if s not in values.index]
            if missing or len(values) != len(P):
                raise DataError(
                    f"{func}: 'values' must give one value per state; states {list(P.index)}, "
                    f"values indexed by {list(values.index)}."
                )
            values = values.reindex(P.index)
        reward = values.to_numpy()
    elif isinstance(values, str | bytes | dict) or values is None:
        raise DataError(f"{func}: 'values' must be a Series or array of numbers, got {values!r}.")
    else:
        reward = np.asarray(values)
    if reward.ndim != 1 or len(reward) != len(P):
        raise DataError(
            f"{func}: 'values' must have one number per state ({len(P)}), got shape {reward.shape}."
        )
    if reward.dtype == bool or not np.issubdtype(reward.dtype, np.number):
        raise DataError(f"{func}: 'values' must hold numbers, found dtype {reward.dtype}.")
    reward = reward.astype(float)
    if not np.isfinite(reward).all():
        raise DataError(f"{func}: 'values' has missing or infinite entries.")
    step = P.to_numpy() / (1 + d)
    if horizon is None:
        value = np.linalg.solve(np.eye(len(P)) - step, reward)
    else:
        value = np.zeros(len(P))
        term = reward.copy()
        for _ in range(horizon):
            value += term
            term = step @ term
    return pd.Series(value, index=P.index, name="clv")


def recency_state_labels(n_states: int = 4) -> list[str]:
    """Names of the recency states: last purchase this period, 1, 2, ... and n-1 or more ago.

    >>> recency_state_labels(4)
    ['this period', '1 period ago', '2 periods ago', '3+ periods ago']
    """
    func = "kamlib.clv.recency_state_labels"
    n = check_number(n_states, "n_states", func, low=2, integer=True)
    labels = ["this period"] + [f"{k} period{'s' if k > 1 else ''} ago" for k in range(1, n)]
    labels[-1] = f"{n - 1}+ period{'s' if n > 2 else ''} ago"
    return labels


def _recency_panel(orders, period, n_states, end, customer_col, date_col, func) -> pd.DataFrame:
    """One row per customer and period from their first purchase to ``end``: the recency state."""
    check_choice(period, "period", func, PERIODS)
    n = check_number(n_states, "n_states", func, low=2, integer=True)
    require_frame(orders, func, name="orders")
    require_columns(orders, [customer_col, date_col], func)
    require_no_missing(orders, customer_col, func, what="id", fix="Every order needs its account.")
    dates = require_dates(orders, date_col, func)
    bought = pd.DataFrame(
        {
            "customer": orders[customer_col].astype(str).to_numpy(),
            "p": dates.dt.to_period(period).array.asi8,
        }
    )
    if end is not None:
        end_p = as_timestamp(end, "end", func).to_period(period).ordinal
        bought = bought[bought["p"] <= end_p]
        if bought.empty:
            raise DataError(f"{func}: no order in or before the period of 'end' ({end}).")
    else:
        end_p = int(bought["p"].max())
    bought = bought.drop_duplicates().sort_values(["customer", "p"])
    first = bought.groupby("customer")["p"].min()
    # Expand each customer to every period from first purchase to the end period.
    lengths = (end_p - first + 1).to_numpy()
    panel = pd.DataFrame(
        {
            "customer": np.repeat(first.index.to_numpy(), lengths),
            "p": np.concatenate([np.arange(f, end_p + 1) for f in first.to_numpy()]),
        }
    )
    panel = panel.merge(bought.assign(last=bought["p"]), on=["customer", "p"], how="left")
    panel["last"] = panel.groupby("customer")["last"].ffill()
    panel["state"] = np.minimum(panel["p"] - panel["last"], n - 1).astype(int)
    panel.attrs["end_period"] = end_p
    return panel


def recency_states(
    orders: pd.DataFrame,
    *,
    end=None,
    period: str = "Q",
    n_states: int = 4,
    customer_col: str = "account_id",
    date_col: str = "order_date",
) -> pd.Series:
    """Each customer's recency state in the period containing ``end``.

    State k = the last purchase was k periods before that period (0 = bought in it); the last
    state collects ``n_states - 1`` or more. Customers whose first order is after ``end`` are not
    customers yet and are not listed.

    Returns
    -------
    pandas.Series
        Index ``customer_col``; ordered categorical with the labels of
        :func:`recency_state_labels`.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"account_id": ["A", "B"],
    ...     "order_date": pd.to_datetime(["2024-11-02", "2024-02-10"])})
    >>> recency_states(orders, end="2024-12-31").tolist()
    ['this period', '3+ periods ago']
    """
    func = "kamlib.clv.recency_states"
    panel = _recency_panel(orders, period, n_states, end, customer_col, date_col, func)
    labels = recency_state_labels(n_states)
    now = panel[panel["p"] == panel.attrs["end_period"]]
    return pd.Series(
        pd.Categorical.from_codes(now["state"].to_numpy(), categories=labels, ordered=True),
        index=pd.Index(now["customer"].to_numpy(), name=customer_col),
        name="recency_state",
    )


def recency_transition_matrix(
    orders: pd.DataFrame,
    *,
    period: str = "Q",
    n_states: int = 4,
    end=None,
    counts: bool = False,
    absorbing_last: bool = False,
    customer_col: str = "account_id",
    date_col: str = "order_date",
) -> pd.DataFrame:
    """Estimate the recency-state transition matrix of a migration model from order history.

    For every customer and every pair of consecutive periods from the first purchase to the
    period of ``end``, the recency state now (rows) and next period (columns) is recorded;
    a customer in any state moves to "this period" by buying, else one state further (the last
    state keeps them). Row shares of these counts estimate the probabilities ``P``.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order.
    period : {"M", "Q", "Y"}, default "Q"
        Length of a period.
    n_states : int, default 4
        Number of recency states (at least 2).
    end : str or date, optional
        Last date used (orders after it are ignored); by default the last order date. Leave out
        an incomplete last period, or its customers will look as if they had stopped buying.
    counts : bool, default False
        Return the numbers of observed moves instead of probabilities.
    absorbing_last : bool, default False
        Treat the last state as *lost*: its row becomes "stay there for ever" (a later purchase
        by such a customer is treated as a new customer, not as this customer's value). Without
        it, the small chance of coming back from the last state keeps adding value for ever.
        Ignored when ``counts`` is True.
    customer_col, date_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Square table, index ``from_state`` and columns ``to_state`` labelled by
        :func:`recency_state_labels`.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"account_id": ["A", "A", "B"],
    ...     "order_date": pd.to_datetime(["2024-01-05", "2024-04-05", "2024-01-10"])})
    >>> recency_transition_matrix(orders, n_states=2, end="2024-09-30", counts=True).to_numpy().tolist()
    [[1, 2], [0, 1]]
    """
    func = "kamlib.clv.recency_transition_matrix"
    for name, flag in (("counts", counts), ("absorbing_last", absorbing_last)):
        if not isinstance(flag, bool):
            raise ParameterError(f"{func}: '{name}' must be True or False, got {flag!r}.")
    panel = _recency_panel(orders, period, n_states, end, customer_col, date_col, func)
    nxt = panel.groupby("customer")["state"].shift(-1)
    moves = panel.assign(next=nxt).dropna(subset=["next"])
    labels = recency_state_labels(n_states)
    table = (
        pd.crosstab(moves["state"], moves["next"].astype(int))
        .reindex(index=range(n_states), columns=range(n_states), fill_value=0)
        .astype("int64")
    )
    table.index, table.columns = (
        pd.Index(labels, name="from_state"),
        pd.Index(labels, name="to_state"),
    )
    if counts:
        return table
    if absorbing_last:
        table.iloc[-1] = 0
        table.iloc[-1, -1] = 1
    totals = table.sum(axis=1)
    if (totals == 0).any():
        empty = list(totals.index[totals == 0])
        raise DataError(
            f"{func}: no customer was ever observed in state(s) {empty}, so their transition "
            "probabilities cannot be estimated. Use fewer states, a shorter period or more history."
        )
    return table.div(totals, axis=0)
