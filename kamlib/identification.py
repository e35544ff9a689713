"""Identifying key accounts (识别大客户): three methods and how far their lists agree.

* **Experience-based judgement** (经验判断法): :func:`rule_based_key_accounts`, the sales
  team's own tiering or a simple rule such as "large and loyal for years".
* **Data analysis of purchase records** (数据分析法): RFM scores in :mod:`kamlib.rfm`, and the
  ABC classification of revenue in :func:`abc_classes`.
* **Customer value assessment** (客户价值评估法): :func:`value_matrix`, current value against
  potential value (share of wallet, 钱包份额).

:func:`list_agreement` measures how far the resulting lists overlap (Jaccard index), and
:func:`agreed_by_all` gives the accounts every method picks.

>>> abc = abc_classes(pd.Series({"A1": 50.0, "A2": 30.0, "A3": 15.0, "A4": 5.0}))
>>> abc["abc_class"].tolist()
['A', 'A', 'B', 'C']
"""

from __future__ import annotations

import numbers
import string
from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.ticker import PercentFormatter

from kamlib import plot as kplot
from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    as_timestamp,
    check_choice,
    check_flag,
    check_number,
    require_columns,
    require_dates,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_unique,
)

__all__ = [
    "QUADRANTS",
    "abc_classes",
    "agreed_by_all",
    "list_agreement",
    "plot_abc",
    "plot_agreement",
    "plot_value_matrix",
    "rule_based_key_accounts",
    "value_matrix",
    "value_score",
]

#: Quadrants of :func:`value_matrix`: (current value high?, potential value high?) -> name.
QUADRANTS: dict[str, tuple[bool, bool]] = {
    "Key: develop": (True, True),
    "Key: maintain": (True, False),
    "Grow": (False, True),
    "Serve efficiently": (False, False),
}


def _require_value_series(values, func: str, name: str = "values") -> pd.Series:
    """Fail unless ``values`` is a non-empty numeric, non-negative Series with unique labels."""
    if not isinstance(values, pd.Series):
        raise DataError(
            f"{func}: '{name}' must be a pandas Series of amounts indexed by account, got "
            f"{type(values).__name__}. Build one with "
            "orders.groupby('account_id')['net_revenue_cny'].sum()."
        )
    if values.empty:
        raise DataError(f"{func}: '{name}' is empty. Pass at least one account.")
    # Named as the user knows it: the Series' own name, else the argument.
    label = values.name if isinstance(values.name, str) and values.name else name
    require_non_negative(pd.DataFrame({label: values.to_numpy()}), label, func)
    if values.index.hasnans:
        raise DataError(f"{func}: '{name}' has a missing account id in its index. Remove it.")
    if values.index.has_duplicates:
        dup = values.index[values.index.duplicated()].unique().tolist()[:5]
        raise DataError(
            f"{func}: '{name}' lists account(s) {dup} more than once. Add up each account's "
            "amounts first (groupby(...).sum())."
        )
    return values


def _check_cutoffs(cutoffs, labels, func: str) -> tuple[list[float], list[str]]:
    if isinstance(cutoffs, str | bytes) or not isinstance(cutoffs, Iterable):
        raise ParameterError(
            f"{func}: 'cutoffs' must be a list of cumulative shares such as (0.8, 0.95), "
            f"got {cutoffs!r}."
        )
    cuts = [check_number(c, "cutoffs", func, low=0, high=1, low_inclusive=False) for c in cutoffs]
    if not cuts:
        raise ParameterError(f"{func}: 'cutoffs' is empty. Give at least one share, e.g. (0.8,).")
    if any(b <= a for a, b in zip(cuts, cuts[1:], strict=False)):
        raise ParameterError(
            f"{func}: 'cutoffs' must increase strictly, got {tuple(cuts)}. Use e.g. (0.8, 0.95)."
        )
    if labels is None:
        labels = list(string.ascii_uppercase[: len(cuts) + 1])
    labels = list(labels) if not isinstance(labels, str) else [labels]
    if len(labels) != len(cuts) + 1 or len(set(map(str, labels))) != len(labels):
        raise ParameterError(
            f"{func}: 'labels' must give {len(cuts) + 1} distinct names (one more than the "
            f"cut-offs), got {labels!r}."
        )
    return cuts, [str(x) for x in labels]


def abc_classes(values: pd.Series, *, cutoffs=(0.8, 0.95), labels=None) -> pd.DataFrame:
    """ABC classification of accounts by their cumulative share of revenue (ABC分类法).

    Accounts are sorted from the largest value down. Class A is the **smallest group of top
    accounts that together reach** ``cutoffs[0]`` of the total (80% by default): the account
    that crosses the cut-off **is in A**. Class B adds the accounts needed to reach
    ``cutoffs[1]`` (95%), and class C holds the rest. In symbols, with ``before`` the share of
    the total held by accounts with a strictly larger value, an account is in the first class
    whose cut-off is still above ``before``.

    Accounts with **equal values share a class** (the one of the first of them), so a tie at a
    cut-off can make a class a little bigger than the bare minimum. Accounts of value 0 are
    always in the last class.

    Parameters
    ----------
    values : pandas.Series
        One amount per account (e.g. revenue), indexed by account id; not negative, not all 0.
    cutoffs : sequence of float, default (0.8, 0.95)
        Cumulative shares closing each class but the last; strictly increasing, in (0, 1].
    labels : sequence of str, optional
        Class names, one more than ``cutoffs``; default "A", "B", "C", ...

    Returns
    -------
    pandas.DataFrame
        Indexed by account, sorted by value (largest first; equal values by account id), with
        ``value``, ``rank`` (1 = largest), ``share`` of the total, ``cum_share`` (running
        total of shares, this account included) and ``abc_class`` (categorical in label order).

    Examples
    --------
    >>> import pandas as pd
    >>> revenue = pd.Series({"A1": 500.0, "A2": 300.0, "A3": 120.0, "A4": 60.0, "A5": 20.0})
    >>> abc_classes(revenue).reset_index()
      index  value  rank  share  cum_share abc_class
    0    A1  500.0     1   0.50       0.50         A
    1    A2  300.0     2   0.30       0.80         A
    2    A3  120.0     3   0.12       0.92         B
    3    A4   60.0     4   0.06       0.98         B
    4    A5   20.0     5   0.02       1.00         C
    """
    func = "kamlib.identification.abc_classes"
    values = _require_value_series(values, func)
    cuts, names = _check_cutoffs(cutoffs, labels, func)
    amounts = values.astype(float)
    total = float(amounts.sum())
    if total <= 0:
        raise DataError(
            f"{func}: every value is 0, so revenue shares are undefined. Pass accounts with revenue."
        )

    order = pd.DataFrame({"value": amounts.to_numpy(), "id": values.index.to_numpy()})
    order = order.sort_values(["value", "id"], ascending=[False, True], kind="mergesort")
    sorted_values = order["value"].to_numpy()
    # Value held by accounts with a strictly larger value (ties share the first one's figure).
    running_before = np.concatenate([[0.0], np.cumsum(sorted_values)[:-1]])
    first_of_tie = np.searchsorted(-sorted_values, -sorted_values, side="left")
    before = running_before[first_of_tie] / total
    # A tiny tolerance so that e.g. 0.5 + 0.3 counts as reaching 0.8 despite rounding.
    class_no = np.searchsorted(np.asarray(cuts) - 1e-12, before, side="right")
    class_no = np.minimum(class_no, len(names) - 1)

    out = pd.DataFrame(
        {
            "value": sorted_values,
            "rank": np.arange(1, len(order) + 1, dtype=np.int64),
            "share": sorted_values / total,
            "cum_share": np.cumsum(sorted_values) / total,
        },
        index=pd.Index(order["id"].to_numpy(), name=values.index.name),
    )
    out["abc_class"] = pd.Categorical.from_codes(class_no, categories=names, ordered=True)
    return out


def plot_abc(abc: pd.DataFrame, *, ax=None):
    """Pareto chart: accounts' revenue shares as bars (coloured by class), cumulative share line.

    Parameters
    ----------
    abc : pandas.DataFrame
        Output of :func:`abc_classes`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes of the bars (the cumulative line is on a twin Axes sharing its x axis).

    Examples
    --------
    >>> import pandas as pd
    >>> ax = plot_abc(abc_classes(pd.Series({"A1": 7.0, "A2": 2.0, "A3": 1.0})))
    >>> ax.get_xlabel()
    'Accounts, largest first'
    """
    func = "kamlib.identification.plot_abc"
    require_frame(abc, func, name="abc")
    require_columns(abc, ["rank", "share", "cum_share", "abc_class"], func)
    for column in ("rank", "share", "cum_share"):
        require_non_negative(abc, column, func)
    require_no_missing(abc, "abc_class", func, what="class")
    if not isinstance(abc["abc_class"].dtype, pd.CategoricalDtype):
        raise DataError(
            f"{func}: column 'abc_class' must be categorical (A, B, C in order). Pass the "
            "output of abc_classes."
        )
    ax = kplot.get_ax(ax)
    colours = [kplot.MAIN, kplot.ACCENT, kplot.MUTED, kplot.GOOD, kplot.BAD]
    classes = list(abc["abc_class"].cat.categories)
    for i, name in enumerate(classes):
        part = abc[abc["abc_class"] == name]
        if part.empty:
            continue
        # One filled step outline per class draws thousands of accounts quickly.
        ranks = part["rank"].to_numpy()
        ax.stairs(
            part["share"].to_numpy(),
            np.append(ranks - 0.5, ranks[-1] + 0.5),
            fill=True,
            color=colours[i % len(colours)],
            label=f"Class {name}: {len(part)} accounts, {part['share'].sum():.0%} of revenue",
        )
    line_ax = ax.twinx()
    line_ax.plot(abc["rank"], abc["cum_share"], color="black", lw=1.5)
    line_ax.set_ylim(0, 1.02)
    line_ax.set_ylabel("Cumulative share of revenue")
    line_ax.grid(False)
    line_ax.spines["right"].set_visible(True)
    kplot.share_axis(line_ax)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
    # Dotted lines where one class ends and the next begins.
    ends = abc.groupby("abc_class", observed=True)["rank"].max().sort_values().to_numpy()[:-1]
    for end in ends:
        ax.axvline(end + 0.5, color="black", lw=0.8, ls=":")
    ax.set_xlim(0.5, len(abc) + 0.5)
    kplot.label(
        ax,
        "ABC classes: a few accounts bring most revenue",
        "Accounts, largest first",
        "Share of revenue (each account)",
    )
    ax.legend(loc="center right")
    return ax


def _split_value(values: pd.Series, given, name: str, func: str) -> float:
    if given is None:
        return float(values.median())
    return check_number(given, name, func, low=0)


def value_matrix(
    accounts: pd.DataFrame,
    revenue: pd.Series,
    *,
    customer_col: str = "account_id",
    wallet_col: str = "est_annual_spend_cny",
    potential: str = "headroom",
    current_split=None,
    potential_split=None,
) -> pd.DataFrame:
    """Current value against potential value of each account, in four quadrants (客户价值评估法).

    * **Current value** (当前价值): the account's revenue with us over one year (pass the same
      year the wallet estimate refers to).
    * **Share of wallet** (钱包份额): current value / the account's estimated yearly spend on
      what we sell, from any supplier (its *wallet*).
    * **Potential value** (潜在价值): with ``potential="headroom"`` (default) the part of the
      wallet we do not have yet, ``max(wallet - current, 0)``; with ``potential="wallet"`` the
      whole wallet.

    An account is *high* on an axis when its value is **strictly above** the split (default:
    the median over the accounts, or the amount you pass). The quadrants (see
    :data:`QUADRANTS`):

    ===================  =================  ============================================
    current / potential  quadrant           what to do
    ===================  =================  ============================================
    high / high          Key: develop       key account with room to grow: invest
    high / low           Key: maintain      key account, wallet mostly ours: defend it
    low / high           Grow               big wallet, small share: win more of it
    low / low            Serve efficiently  little now, little to win: low-cost service
    ===================  =================  ============================================

    Wallet figures are the sales team's estimates and can be wrong: an account can buy more
    than its estimated wallet (share of wallet above 1, headroom 0). Such rows are kept as
    they are. A wallet of 0 gives a missing share of wallet.

    Parameters
    ----------
    accounts : pandas.DataFrame
        One row per account with ``customer_col`` and ``wallet_col``.
    revenue : pandas.Series
        Revenue per account over one year, indexed by account id. Accounts of ``accounts``
        absent from it have current value 0; every id in it must be in ``accounts``.
    customer_col, wallet_col : str
        Names of the account id and wallet-estimate columns.
    potential : {"headroom", "wallet"}
        Which measure is the potential value.
    current_split, potential_split : float, optional
        Amounts (CNY) above which current / potential value count as high; medians by default.

    Returns
    -------
    pandas.DataFrame
        Indexed by account (order of ``accounts``), with ``current_value``, ``wallet``,
        ``share_of_wallet``, ``headroom``, ``potential_value`` and ``quadrant`` (categorical,
        categories in the order of :data:`QUADRANTS`).

    Examples
    --------
    >>> import pandas as pd
    >>> accounts = pd.DataFrame({"account_id": ["A1", "A2", "A3", "A4"],
    ...                          "est_annual_spend_cny": [100.0, 50.0, 80.0, 10.0]})
    >>> revenue = pd.Series({"A1": 60.0, "A2": 45.0, "A3": 8.0, "A4": 5.0})
    >>> m = value_matrix(accounts, revenue)
    >>> m[["current_value", "headroom", "quadrant"]].reset_index()
      account_id  current_value  headroom           quadrant
    0         A1           60.0      40.0       Key: develop
    1         A2           45.0       5.0      Key: maintain
    2         A3            8.0      72.0               Grow
    3         A4            5.0       5.0  Serve efficiently
    """
    func = "kamlib.identification.value_matrix"
    require_frame(accounts, func, name="accounts")
    require_columns(accounts, [customer_col, wallet_col], func)
    require_non_negative(accounts, wallet_col, func)
    require_no_missing(accounts, customer_col, func, what="account id", fix="Remove them.")
    require_unique(accounts, customer_col, func)
    revenue = _require_value_series(revenue, func, "revenue")
    check_choice(potential, "potential", func, ("headroom", "wallet"))
    unknown = revenue.index.difference(pd.Index(accounts[customer_col]))
    if len(unknown):
        raise DataError(
            f"{func}: {len(unknown)} account(s) in 'revenue' are not in 'accounts' (e.g. "
            f"{unknown[:3].tolist()}). Pass the revenue of known accounts only."
        )

    ids = pd.Index(accounts[customer_col].to_numpy(), name=customer_col)
    current = revenue.astype(float).reindex(ids, fill_value=0.0)
    wallet = pd.Series(accounts[wallet_col].to_numpy(dtype=float), index=ids)
    share = (current / wallet).where(wallet > 0)
    headroom = (wallet - current).clip(lower=0.0)
    out = pd.DataFrame(
        {
            "current_value": current,
            "wallet": wallet,
            "share_of_wallet": share,
            "headroom": headroom,
            "potential_value": headroom if potential == "headroom" else wallet,
        }
    )
    cut_now = _split_value(out["current_value"], current_split, "current_split", func)
    cut_pot = _split_value(out["potential_value"], potential_split, "potential_split", func)
    high_now = (out["current_value"] > cut_now).to_numpy()
    high_pot = (out["potential_value"] > cut_pot).to_numpy()
    lookup = {flags: name for name, flags in QUADRANTS.items()}
    names = [lookup[(bool(a), bool(b))] for a, b in zip(high_now, high_pot, strict=True)]
    out["quadrant"] = pd.Categorical(names, categories=list(QUADRANTS))
    return out


def value_score(matrix: pd.DataFrame, *, potential_weight: float = 0.5) -> pd.Series:
    """One number per account that combines current and potential value.

    ``score = current_value + potential_weight * potential_value``. A weight below 1 says that
    a yuan of potential is worth less than a yuan already earned: the wallet is only an
    estimate, and not all of the headroom can be won. Weight 0 ranks by current value alone;
    weight 1 (with ``potential="headroom"``) ranks by the larger of revenue and wallet.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Output of :func:`value_matrix`.
    potential_weight : float, default 0.5
        Weight of potential value, between 0 and 1.

    Returns
    -------
    pandas.Series
        The score in CNY, named ``value_score``, indexed like ``matrix``.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"current_value": [100.0, 20.0], "potential_value": [0.0, 300.0]},
    ...                  index=["A1", "A2"])
    >>> value_score(m).tolist()
    [100.0, 170.0]
    """
    func = "kamlib.identification.value_score"
    require_frame(matrix, func, name="matrix")
    require_columns(matrix, ["current_value", "potential_value"], func)
    require_non_negative(matrix, "current_value", func)
    require_non_negative(matrix, "potential_value", func)
    weight = check_number(potential_weight, "potential_weight", func, low=0, high=1)
    score = matrix["current_value"].astype(float) + weight * matrix["potential_value"].astype(float)
    return score.rename("value_score")


def plot_value_matrix(
    matrix: pd.DataFrame,
    *,
    current_split=None,
    potential_split=None,
    log: bool = True,
    ax=None,
):
    """Scatter of current against potential value, coloured by quadrant, with the split lines.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Output of :func:`value_matrix`.
    current_split, potential_split : float, optional
        The splits used in :func:`value_matrix` (medians by default, recomputed here).
    log : bool, default True
        Use logarithmic axes (values spread over orders of magnitude). Zeros cannot be shown
        on a log axis: they are drawn on a line at a third of the smallest positive value,
        labelled "no revenue" or "no potential left".
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> accounts = pd.DataFrame({"account_id": ["A1", "A2"], "est_annual_spend_cny": [9.0, 4.0]})
    >>> ax = plot_value_matrix(value_matrix(accounts, pd.Series({"A1": 3.0, "A2": 2.0})))
    >>> ax.get_xlabel()
    'Current value: revenue this year'
    """
    func = "kamlib.identification.plot_value_matrix"
    require_frame(matrix, func, name="matrix")
    require_columns(matrix, ["current_value", "potential_value", "quadrant"], func)
    for column in ("current_value", "potential_value"):
        require_non_negative(matrix, column, func)
    require_no_missing(matrix, "quadrant", func, what="quadrant")
    log = check_flag(log, "log", func)
    cut_now = _split_value(matrix["current_value"], current_split, "current_split", func)
    cut_pot = _split_value(matrix["potential_value"], potential_split, "potential_split", func)
    ax = kplot.get_ax(ax, figsize=(9, 5.5))
    x = matrix["current_value"].astype(float)
    y = matrix["potential_value"].astype(float)
    x_floor = y_floor = None
    if log:
        # Zeros cannot sit on a log axis: draw them on a line below the smallest positive value.
        x_floor = float(x[x > 0].min()) / 3 if (x > 0).any() else 1.0
        y_floor = float(y[y > 0].min()) / 3 if (y > 0).any() else 1.0
        x, y = x.clip(lower=x_floor), y.clip(lower=y_floor)
        ax.set_xscale("log")
        ax.set_yscale("log")
    colours = {
        "Key: develop": kplot.ACCENT,
        "Key: maintain": kplot.MAIN,
        "Grow": kplot.GOOD,
        "Serve efficiently": kplot.MUTED,
    }
    for name in matrix["quadrant"].cat.categories:
        mask = (matrix["quadrant"] == name).to_numpy()
        if mask.any():
            ax.scatter(
                x[mask],
                y[mask],
                s=22,
                alpha=0.75,
                color=colours.get(name, kplot.MUTED),
                label=f"{name} ({int(mask.sum())})",
            )
    if not log or cut_now > 0:
        ax.axvline(cut_now, color="black", lw=0.8, ls="--")
    if not log or cut_pot > 0:
        ax.axhline(cut_pot, color="black", lw=0.8, ls="--")
    if log and (matrix["current_value"] == 0).any():
        ax.annotate(
            "no revenue",
            (x_floor, y.max()),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=8.5,
            color=kplot.MUTED,
            va="center",
        )
    if log and (matrix["potential_value"] == 0).any():
        ax.annotate(
            "no potential left",
            (x.max(), y_floor),
            xytext=(-4, 6),
            textcoords="offset points",
            fontsize=8.5,
            color=kplot.MUTED,
            ha="right",
        )
    kplot.money_axis(ax, "x")
    kplot.money_axis(ax, "y")
    kplot.label(
        ax,
        "Customer value matrix: current against potential value",
        "Current value: revenue this year",
        "Potential value: wallet not yet won",
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9, title="Quadrant")
    return ax


def rule_based_key_accounts(
    accounts: pd.DataFrame,
    *,
    rule: str = "sales_tier",
    as_of=None,
    customer_col: str = "account_id",
    tier_col: str = "sales_tier",
    key_label: str = "key",
    size_col: str = "size_band",
    size_bands=("Large", "Enterprise"),
    since_col: str = "customer_since",
    min_tenure_years: float = 3,
) -> set:
    """The key accounts named by experience (经验判断法), as a set of account ids.

    Two rules are available:

    * ``rule="sales_tier"``: the accounts the sales managers have tiered as key
      (``accounts[tier_col] == key_label``); their judgement, taken as it is.
    * ``rule="size_tenure"``: a written-down rule of thumb, accounts whose size band is in
      ``size_bands`` **and** who have been customers for at least ``min_tenure_years`` years
      on ``as_of`` (a year counted as 365.25 days).

    Neither rule looks at orders, so an account that has stopped buying can still be listed;
    that is one reason why experience and data disagree.

    Parameters
    ----------
    accounts : pandas.DataFrame
        One row per account.
    rule : {"sales_tier", "size_tenure"}
        Which rule to apply.
    as_of : date, optional
        Day on which tenure is measured; required for ``"size_tenure"``.
    customer_col, tier_col, key_label, size_col, since_col : str
        Column names and the tier label meaning "key".
    size_bands : sequence of str
        Size bands that qualify under ``"size_tenure"``.
    min_tenure_years : float
        Minimum tenure under ``"size_tenure"``.

    Returns
    -------
    set
        Account ids.

    Examples
    --------
    >>> import pandas as pd
    >>> accounts = pd.DataFrame({
    ...     "account_id": ["A1", "A2", "A3"], "sales_tier": ["key", "standard", "key"],
    ...     "size_band": ["Large", "Enterprise", "Small"],
    ...     "customer_since": ["2015-01-01", "2018-06-01", "2024-01-01"]})
    >>> sorted(rule_based_key_accounts(accounts))
    ['A1', 'A3']
    >>> sorted(rule_based_key_accounts(accounts, rule="size_tenure", as_of="2024-12-31"))
    ['A1', 'A2']
    """
    func = "kamlib.identification.rule_based_key_accounts"
    require_frame(accounts, func, name="accounts")
    check_choice(rule, "rule", func, ("sales_tier", "size_tenure"))
    require_columns(accounts, [customer_col], func)
    require_no_missing(accounts, customer_col, func, what="account id", fix="Remove them.")
    if rule == "sales_tier":
        require_columns(accounts, [tier_col], func)
        tiers = require_no_missing(
            accounts, tier_col, func, what="tier", fix="Give every account a tier."
        )
        mask = (tiers.astype(str) == str(key_label)).to_numpy()
        if not mask.any():
            found = sorted(set(map(str, tiers)))[:5]
            raise DataError(
                f"{func}: no account in column '{tier_col}' has the tier {key_label!r} (found "
                f"{found}). Pass the label your data uses with key_label=..."
            )
        return set(accounts[customer_col].to_numpy()[mask].tolist())

    if as_of is None:
        raise ParameterError(f"{func}: rule='size_tenure' needs 'as_of', e.g. as_of='2024-12-31'.")
    stamp = as_timestamp(as_of, "as_of", func)
    min_years = check_number(min_tenure_years, "min_tenure_years", func, low=0)
    if isinstance(size_bands, str) or not isinstance(size_bands, Iterable):
        raise ParameterError(
            f"{func}: 'size_bands' must be a list of size bands such as ('Large', 'Enterprise'), "
            f"got {size_bands!r}."
        )
    require_columns(accounts, [size_col, since_col], func)
    since = require_dates(accounts, since_col, func)
    require_no_missing(accounts, size_col, func, what="size band", fix="Fill them in.")
    tenure_years = (stamp - since).dt.days / 365.25
    mask = accounts[size_col].astype(str).isin([str(b) for b in size_bands]) & (
        tenure_years >= min_years
    )
    return set(accounts[customer_col].to_numpy()[mask.to_numpy()].tolist())


def _as_sets(lists, func: str) -> dict[str, set]:
    if not isinstance(lists, dict):
        raise ParameterError(
            f"{func}: 'lists' must be a dict of name -> set of account ids, got "
            f"{type(lists).__name__}."
        )
    if len(lists) < 2:
        raise ParameterError(
            f"{func}: 'lists' needs at least two lists to compare, got {len(lists)}."
        )
    sets = {}
    for name, members in lists.items():
        if isinstance(members, str | bytes | numbers.Number) or not isinstance(members, Iterable):
            raise ParameterError(
                f"{func}: list {name!r} must be a set or list of account ids, got "
                f"{type(members).__name__}."
            )
        members = set(members)
        if not members:
            raise DataError(
                f"{func}: list {name!r} is empty. Each list needs at least one account."
            )
        if any(m is None or (isinstance(m, float) and np.isnan(m)) for m in members):
            raise DataError(f"{func}: list {name!r} contains a missing id (None/NaN). Remove it.")
        sets[str(name)] = members
    return sets


def list_agreement(lists: dict[str, set]) -> pd.DataFrame:
    """Pairwise overlap of key-account lists: counts and Jaccard index.

    The Jaccard index of two lists A and B is the share of accounts named by either list that
    both name: ``|A ∩ B| / |A ∪ B|``, from 0 (nothing in common) to 1 (the same list).

    Parameters
    ----------
    lists : dict of str -> set
        Two or more named, non-empty lists of account ids (sets, lists, Index...).

    Returns
    -------
    pandas.DataFrame
        One row per pair (in the order the lists were given), with ``list_a``, ``list_b``,
        ``size_a``, ``size_b``, ``overlap`` (in both), ``union`` (in either) and ``jaccard``.

    Examples
    --------
    >>> list_agreement({"sales": {"A1", "A2", "A3"}, "rfm": {"A2", "A3", "A4"}})
      list_a list_b  size_a  size_b  overlap  union  jaccard
    0  sales    rfm       3       3        2      4      0.5
    """
    func = "kamlib.identification.list_agreement"
    sets = _as_sets(lists, func)
    names = list(sets)
    rows = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            both = len(sets[a] & sets[b])
            either = len(sets[a] | sets[b])
            rows.append((a, b, len(sets[a]), len(sets[b]), both, either, both / either))
    return pd.DataFrame(
        rows, columns=["list_a", "list_b", "size_a", "size_b", "overlap", "union", "jaccard"]
    )


def agreed_by_all(lists: dict[str, set]) -> set:
    """The accounts that every list names (the intersection).

    Examples
    --------
    >>> sorted(agreed_by_all({"a": {"A1", "A2"}, "b": ["A2", "A1", "A9"], "c": {"A2"}}))
    ['A2']
    """
    sets = _as_sets(lists, "kamlib.identification.agreed_by_all")
    return set.intersection(*sets.values())


def plot_agreement(lists: dict[str, set], *, ax=None):
    """Heat map of the Jaccard index between every two lists, with the overlap counts.

    Parameters
    ----------
    lists : dict of str -> set
        Two or more named lists of account ids.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_agreement({"sales": {"A1", "A2"}, "rfm": {"A2", "A3"}})
    >>> ax.get_title()
    'How far the key-account lists agree'
    """
    func = "kamlib.identification.plot_agreement"
    sets = _as_sets(lists, func)
    names = list(sets)
    k = len(names)
    jac = np.eye(k)
    both = np.zeros((k, k), dtype=int)
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            both[i, j] = len(sets[a] & sets[b])
            jac[i, j] = both[i, j] / len(sets[a] | sets[b])
    ax = kplot.get_ax(ax, figsize=(1.6 * k + 2.5, 1.3 * k + 1.5))
    image = ax.imshow(jac, vmin=0, vmax=1, cmap="Blues")
    for i in range(k):
        for j in range(k):
            ax.text(
                j,
                i,
                f"{jac[i, j]:.2f}\n({both[i, j]} shared)",
                ha="center",
                va="center",
                fontsize=9,
                color="white" if jac[i, j] > 0.6 else "black",
            )
    labels = [f"{n} ({len(sets[n])})" for n in names]
    ax.set_xticks(range(k), labels, rotation=20, ha="right")
    ax.set_yticks(range(k), labels)
    ax.grid(False)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="Jaccard index")
    kplot.label(ax, "How far the key-account lists agree", "", "")
    return ax
