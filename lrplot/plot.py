"""Figures of schedules, drawn with matplotlib's ``Figure`` directly (no pyplot, no window).

matplotlib is imported inside the functions, so runs that only print a table
never pay for it.  Files are deterministic: the same input gives the same
bytes (no dates or random ids in PNG, SVG or PDF), so committed figures only
change when the schedule does.
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING, Any, Sequence

from .series import Series
from .table import is_piecewise_constant

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FIGURE_FORMATS = ("png", "svg", "pdf")

STYLE: dict[str, Any] = {
    "linewidth": 1.8,
    "momentum_linewidth": 1.2,
    "grid_alpha": 0.3,
    "title_size": 10,
    "title_width": 90,  # characters before a long policy call wraps
}

# Fixed metadata and id salt: what makes two renders byte-identical.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
}
_RC = {"svg.hashsalt": "lrplot", "svg.fonttype": "path", "pdf.compression": 6}


def x_label(series_list: Sequence[Series]) -> str:
    units = {"step" if s.spec.policy.per_step else "epoch" for s in series_list}
    return " / ".join(sorted(units))


def draw(ax: Axes, series: Series, *, label: str | None = None, colors: Sequence[str] | None = None) -> list[Any]:
    """Draw the lr of every param group of ``series`` on ``ax``; returns the lines.

    Piecewise-constant schedules are drawn as steps (the lr holds for a whole
    epoch); smooth ones as lines.  ``label`` names the curve in a legend; with
    several param groups each line is labelled with its group and initial lr.
    """
    drawstyle = "steps-post" if is_piecewise_constant(series) else "default"
    epochs = range(series.epochs)
    lines = []
    for group, column in enumerate(series.lr_columns):
        name = label
        if series.groups > 1:
            group_text = f"group {group} (lr={series.run['lr'][group] if len(series.run['lr']) > 1 else series.run['lr'][0]})"
            name = f"{label} · {group_text}" if label else group_text
        color = colors[group % len(colors)] if colors else None
        (line,) = ax.plot(
            epochs, column, drawstyle=drawstyle, linewidth=STYLE["linewidth"], label=name, color=color
        )
        lines.append(line)
    return lines


def draw_momentum(ax: Axes, series: Series, lr_lines: Sequence[Any]) -> list[Any]:
    """Momentum of every group, in the colour of that group's lr line."""
    lines = []
    for column, lr_line in zip(series.momentum_columns or [], lr_lines):
        (line,) = ax.plot(
            range(series.epochs),
            column,
            linewidth=STYLE["momentum_linewidth"],
            color=lr_line.get_color(),
            label=lr_line.get_label(),
        )
        lines.append(line)
    return lines


def figure(
    series_list: Sequence[Series],
    *,
    title: str | None = None,
    log_y: bool = False,
    size: tuple[float, float, str] = (8.0, 4.5, "in"),
    dpi: int = 150,
    labels: Sequence[str | None] | None = None,
) -> Figure:
    """The figure of one or more schedules: lr against epoch, plus a momentum panel when it cycles."""
    from matplotlib.figure import Figure

    width, height, unit = size
    if unit == "px":
        width, height = width / dpi, height / dpi
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    with_momentum = any(s.momentum_columns is not None for s in series_list)
    if with_momentum:
        ax, momentum_ax = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    else:
        ax, momentum_ax = fig.subplots(), None

    labels = list(labels) if labels is not None else [None] * len(series_list)
    if len(series_list) > 1:
        labels = [label or s.label for label, s in zip(labels, series_list)]
    for series, label in zip(series_list, labels):
        lines = draw(ax, series, label=label)
        if momentum_ax is not None and series.momentum_columns is not None:
            draw_momentum(momentum_ax, series, lines)

    if title is None:
        title = series_list[0].title if len(series_list) == 1 else "Learning-rate schedules"
    ax.set_title("\n".join(textwrap.wrap(title, STYLE["title_width"])), fontsize=STYLE["title_size"])
    ax.set_ylabel("learning rate")
    if log_y:
        ax.set_yscale("log")
    ax.grid(True, alpha=STYLE["grid_alpha"])
    bottom = momentum_ax if momentum_ax is not None else ax
    bottom.set_xlabel(x_label(series_list))
    bottom.set_xlim(0, max(1, max(s.epochs for s in series_list) - 1))
    if momentum_ax is not None:
        momentum_ax.set_ylabel("momentum")
        momentum_ax.grid(True, alpha=STYLE["grid_alpha"])
    if any(line.get_label() and not line.get_label().startswith("_") for line in ax.lines):
        ax.legend(fontsize="small")
    return fig


def render(fig: Figure, fmt: str) -> bytes:
    """The bytes of ``fig`` as PNG, SVG or PDF, identical for identical figures."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt])
    return buffer.getvalue()
