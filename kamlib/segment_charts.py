"""Charts of customer segments (chapter 6), re-exported by :mod:`kamlib.segmentation`.

:func:`plot_k_choice` draws the three views of the number of segments from
:func:`kamlib.segmentation.choose_k`; :func:`plot_segment_profiles` the segment centres as a
heat map (from :func:`kamlib.segmentation.segment_traits`); :func:`plot_segment_map` the
accounts on two features, coloured by segment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib import plot as kplot
from kamlib.errors import DataError, ParameterError
from kamlib.validation import check_flag, require_columns, require_frame, require_numeric

__all__ = ["plot_k_choice", "plot_segment_map", "plot_segment_profiles"]


def _segments(segmented, segment_col, func):
    from kamlib.segmentation import _segments as checked

    return checked(segmented, segment_col, func)


def plot_k_choice(choice: pd.DataFrame, *, ax=None):
    """The three views of :func:`~kamlib.segmentation.choose_k` on one chart, each on a 0-1 scale.

    Parameters
    ----------
    choice : pandas.DataFrame
        The table of :func:`~kamlib.segmentation.choose_k`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> choice = pd.DataFrame({"inertia_share": [1.0, 0.5, 0.4], "elbow": [False, True, False],
    ...     "silhouette": [0.4, 0.6, 0.5], "stability": [0.9, 0.95, 0.7]},
    ...     index=pd.Index([2, 3, 4], name="k"))
    >>> plot_k_choice(choice).get_title()
    'How many segments? Three views'
    """
    func = "kamlib.segmentation.plot_k_choice"
    require_frame(choice, func, name="choice")
    require_columns(choice, ["inertia_share", "elbow", "silhouette"], func)
    for column in ("inertia_share", "silhouette", "stability"):
        if column in choice.columns:
            require_numeric(choice, column, func)
    flags = choice["elbow"]
    if flags.isna().any() or not flags.isin([True, False]).all():
        raise DataError(
            f"{func}: column 'elbow' must hold True or False for every k; pass the table of "
            "choose_k(...)."
        )
    ks = pd.to_numeric(pd.Series(choice.index), errors="coerce")
    if ks.isna().any():
        raise DataError(f"{func}: the index of 'choice' must hold k (whole numbers).")
    ax = kplot.get_ax(ax)
    ax.plot(
        ks,
        choice["inertia_share"],
        marker="o",
        color=kplot.MAIN,
        label="Spread within segments (share of the first k)",
    )
    ax.plot(ks, choice["silhouette"], marker="s", color=kplot.ACCENT, label="Silhouette")
    if "stability" in choice.columns:
        ax.plot(
            ks,
            choice["stability"],
            marker="^",
            color=kplot.GOOD,
            label="Stability (ARI)",
        )
    elbow = ks[flags.astype(bool).to_numpy()]
    for k in elbow:
        ax.axvline(k, color=kplot.MUTED, linestyle="--", linewidth=1)
        ax.annotate(
            "elbow",
            (k, 1.0),
            xytext=(4, -4),
            textcoords="offset points",
            va="top",
            color=kplot.MUTED,
        )
    ax.set_xticks(ks)
    ax.set_ylim(0, 1.05)
    # Below the chart, where it cannot hide a line.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize="small")
    return kplot.label(
        ax, "How many segments? Three views", "Number of segments (k)", "Score (0 to 1)"
    )


def plot_segment_profiles(traits: pd.DataFrame, *, names: dict | None = None, ax=None):
    """Heat map of the segment centres (z-scores) from :func:`~kamlib.segmentation.segment_traits`.

    Parameters
    ----------
    traits : pandas.DataFrame
        The table of :func:`~kamlib.segmentation.segment_traits` (its ``z_*`` columns are drawn).
    names : dict, optional
        A name per segment for the rows, e.g. ``{1: "Strategic partners"}``.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> traits = pd.DataFrame({"traits": ["large spend", "small spend"],
    ...     "z_revenue": [1.0, -1.0]}, index=pd.Index([1, 2], name="segment"))
    >>> plot_segment_profiles(traits).get_title()
    'What sets each segment apart'
    """
    func = "kamlib.segmentation.plot_segment_profiles"
    require_frame(traits, func, name="traits")
    z_cols = [c for c in traits.columns if str(c).startswith("z_")]
    if not z_cols:
        raise DataError(
            f"{func}: 'traits' has no z_* columns; pass the table of segment_traits(...)."
        )
    for column in z_cols:
        require_numeric(traits, column, func)
    if names is not None and not isinstance(names, dict):
        raise ParameterError(
            f"{func}: 'names' must be a dict such as {{1: 'Strategic partners'}}, got {names!r}."
        )
    z = traits[z_cols].astype(float)
    ax = kplot.get_ax(ax, figsize=(1.1 * len(z_cols) + 3, 0.6 * len(z) + 2))
    # Colours stop at 2 standard deviations, so one extreme centre does not wash out the rest;
    # the numbers show the full value.
    limit = 2.0
    ax.imshow(z.to_numpy(), cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    for (i, j), value in np.ndenumerate(z.to_numpy()):
        ax.text(
            j,
            i,
            f"{value:+.1f}",
            ha="center",
            va="center",
            color="white" if abs(value) > 0.6 * limit else "black",
        )
    ax.set_xticks(range(len(z_cols)))
    ax.set_xticklabels([c[2:].replace("_", " ") for c in z_cols], rotation=30, ha="right")
    rows = [f"{s}: {names.get(s, s)}" if names else f"Segment {s}" for s in z.index]
    ax.set_yticks(range(len(z)))
    ax.set_yticklabels(rows)
    ax.grid(False)
    return kplot.label(
        ax,
        "What sets each segment apart",
        "Feature (standard deviations from the average account)",
        "",
    )


def plot_segment_map(
    segmented: pd.DataFrame,
    *,
    x: str = "revenue",
    y: str = "growth",
    segment_col: str = "segment",
    log_x: bool = True,
    ax=None,
):
    """The accounts on two features, coloured by segment.

    Parameters
    ----------
    segmented : pandas.DataFrame
        Accounts with a segment column, e.g. from :func:`~kamlib.segmentation.fit_segments`.
    x, y : str
        The two features to draw.
    segment_col : str, default "segment"
    log_x : bool, default True
        Logarithmic x axis (for revenue, which spans several orders of magnitude).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"segment": [1, 2], "revenue": [900.0, 10.0], "growth": [0.1, -0.2]})
    >>> plot_segment_map(seg).get_xlabel()
    'revenue'
    """
    func = "kamlib.segmentation.plot_segment_map"
    labels = _segments(segmented, segment_col, func)
    require_columns(segmented, [x, y], func)

    log_x = check_flag(log_x, "log_x", func)
    xs = require_numeric(segmented, x, func)
    ys = require_numeric(segmented, y, func)
    if log_x and (xs <= 0).any():
        raise DataError(
            f"{func}: column '{x}' has values of 0 or below, which a logarithmic axis cannot "
            "show. Pass log_x=False."
        )
    ax = kplot.get_ax(ax)
    for i, segment in enumerate(sorted(labels.unique())):
        mask = (labels == segment).to_numpy()
        ax.scatter(
            xs[mask],
            ys[mask],
            s=10,
            alpha=0.5,
            label=f"Segment {segment}",
            color=kplot.PALETTE[i % len(kplot.PALETTE)],
        )
    if log_x:
        ax.set_xscale("log")
    ax.legend(markerscale=2)
    return kplot.label(
        ax,
        f"Segments by {x.replace('_', ' ')} and {y.replace('_', ' ')}",
        x.replace("_", " "),
        y.replace("_", " "),
    )
