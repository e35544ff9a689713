"""One look for every chart in the course, and small helpers the topic modules share.

A notebook turns the look on explicitly (importing kamlib changes nothing)::

    import kamlib.plot
    kamlib.plot.use_theme()

Every plotting function in kamlib takes ``ax=None`` (draw on a new figure) or an existing
Axes, and returns the Axes it drew on, with a title and axis labels in plain words.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, PercentFormatter

from kamlib.errors import ParameterError
from kamlib.validation import check_choice, check_number

#: The course palette. A calm blue for the main series, an accent for what to notice.
PALETTE = ["#1f5a96", "#e07a1f", "#3a9e6f", "#b8433b", "#7b5ea7", "#8c8c8c", "#c9a227", "#4fa3c7"]
MAIN, ACCENT, GOOD, BAD, MUTED = PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[5]

THEME = {
    "figure.figsize": (7.5, 4.5),
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "legend.frameon": False,
    "font.size": 10.5,
}


def use_theme() -> None:
    """Apply the course look to every later figure in this session."""
    mpl.rcParams.update(THEME)


def get_ax(ax=None, figsize: tuple[float, float] | None = None):
    """Return ``ax``, or the Axes of a new figure when ``ax`` is None.

    ``figsize`` is (width, height) in inches, two positive numbers.
    """
    func = "kamlib.plot.get_ax"
    if ax is not None:
        if not isinstance(ax, mpl.axes.Axes):
            raise ParameterError(
                f"{func}: 'ax' must be a matplotlib Axes (e.g. from plt.subplots()) or None, "
                f"got {type(ax).__name__}."
            )
        return ax
    if figsize is not None:
        if isinstance(figsize, str) or not isinstance(figsize, tuple | list) or len(figsize) != 2:
            raise ParameterError(
                f"{func}: 'figsize' must be (width, height) in inches, got {figsize!r}."
            )
        figsize = tuple(
            check_number(v, "figsize", func, low=0, low_inclusive=False) for v in figsize
        )
    _, ax = plt.subplots(figsize=figsize)
    return ax


def label(ax, title: str, xlabel: str, ylabel: str):
    """Set a chart's title and axis labels; returns ``ax``."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def _money(value: float, _pos=None) -> str:
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return f"¥{value / size:,.1f}{suffix}".replace(".0", "")
    return f"¥{value:,.0f}"


def money_axis(ax, axis: str = "y"):
    """Show an axis in yuan with k/m/bn suffixes."""
    check_choice(axis, "axis", "kamlib.plot.money_axis", ("x", "y"))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(_money))
    return ax


def share_axis(ax, axis: str = "y"):
    """Show an axis of shares (0-1) as percentages."""
    check_choice(axis, "axis", "kamlib.plot.share_axis", ("x", "y"))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(1.0, decimals=0))
    return ax
