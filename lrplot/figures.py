"""Figures of schedules, drawn with matplotlib's ``Figure`` directly (no pyplot, no window).

matplotlib is imported inside the functions, so runs that only print a table
never pay for it.  Files are deterministic: the same input gives the same
bytes (no dates or random ids in PNG, SVG or PDF), so committed figures only
change when the schedule does.

Layout: the lr on top, one line per param group (and per schedule when
comparing), then a momentum panel when a policy cycles momentum and a metric
panel for ReduceLROnPlateau.  SequentialLR's milestones are dotted lines.
"""

from __future__ import annotations

import io
import textwrap
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .series import Series
from .units import Axis, shared_axis

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

STYLE: dict[str, Any] = {
    "linewidth": 1.8,
    "panel_linewidth": 1.2,
    "grid_alpha": 0.3,
    "title_size": 10,
    "legend_rows": 8,  # more curves than this spread the legend over several columns
}

# Fixed metadata and id salt: what makes two renders byte-identical.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
}
_RC = {"svg.hashsalt": "lrplot", "svg.fonttype": "path", "pdf.compression": 6}


def plain(text: str) -> str:
    """User text shown as typed: matplotlib would read ``$...$`` as maths (and fail on a lone ``$``)."""
    return text.replace("$", r"\$")


def has_secondary(axis: Axis) -> bool:
    return axis.other is not None and axis.steps is not None


def secondary_x(ax: Axes, axis: Axis) -> None:
    """The other unit (epochs for a step axis, steps for an epoch axis) along the top of ``ax``."""
    if not has_secondary(axis):
        return
    steps = int(axis.steps or 1)
    steps = axis.steps
    if axis.unit == "step":
        functions = (lambda x: x / steps, lambda x: x * steps)
    else:
        functions = (lambda x: x * steps, lambda x: x / steps)
    secondary = ax.secondary_xaxis("top", functions=functions)
    secondary.set_xlabel(axis.other, fontsize="small")
    secondary.tick_params(labelsize="small")


def _group_label(series: Series, group: int, label: str | None) -> str | None:
    if series.groups == 1:
        return label
    text = f"group {group}"
    if not series.spec.policy.replaces_lr:  # cyclic/onecycle replace the optimizer's lr: do not show it
        lrs = series.run["lr"]
        text += f" (lr={lrs[group] if len(lrs) > 1 else lrs[0]})"
    return f"{label} · {text}" if label else text


DEFAULT_SIZE = (8.0, 4.5, "in")
DEFAULT_DPI = 150

MAX_POINTS = 4000
"""Points per line: a few per pixel of a wide figure.  Longer curves are thinned by :func:`thin`."""


def thin(column: Sequence[float]) -> tuple[Any, Any]:
    """The x and y of a curve with at most about :data:`MAX_POINTS` points, losing no corner.

    A piecewise-constant curve keeps every edge exactly (the last row before a
    change and the first after it); a smooth or busy one keeps, in each of
    ``MAX_POINTS / 4`` slices, the first, last, lowest and highest points, so
    no peak, trough or step vanishes.
    """
    n = len(column)
    if n <= MAX_POINTS:
        return range(n), column
    import numpy as np

    values = np.asarray(column, dtype=float)
    changes = np.count_nonzero(values[1:] != values[:-1])
    if changes <= MAX_POINTS // 2:
        edges = np.flatnonzero(values[1:] != values[:-1]) + 1
        keep = np.concatenate(([0], edges - 1, edges, [n - 1]))
    else:
        slices = MAX_POINTS // 4
        size = -(-n // slices)
        whole = (n // size) * size  # the last, shorter slice is handled on its own: no padded copy
        blocks = values[:whole].reshape(-1, size)
        offsets = np.arange(len(blocks)) * size
        parts = [offsets, offsets + size - 1, offsets + blocks.argmin(axis=1), offsets + blocks.argmax(axis=1)]
        if whole < n:
            tail = values[whole:]
            parts.append(np.array([whole, n - 1, whole + tail.argmin(), whole + tail.argmax()]))
        keep = np.concatenate([*parts, [0, n - 1]])
    keep = np.unique(keep)
    return keep, values[keep]


def draw(ax: Axes, series: Series, *, label: str | None = None, scale: int = 1) -> list[Any]:
    """Draw the lr of every param group of ``series`` on ``ax``; returns the lines.

    Piecewise-constant schedules are drawn as steps (the lr holds for a whole
    epoch); smooth ones as lines.  ``label`` names the curve in a legend; with
    several param groups each line is labelled with its group and initial lr.
    ``scale`` spreads rows over that many x units (a per-epoch schedule on a step axis).
    """
    drawstyle = "steps-post" if series.is_piecewise_constant() or scale > 1 else "default"
    resumed = series.uninterrupted is not None
    lines = []
    for group, column in enumerate(series.lr_columns):
        name = _group_label(series, group, label)
        if resumed and name is None:  # a lone resumed run: the legend tells the two curves apart
            name = f"resumed ({series.run['resume_mode']})"
        x, y = _held(*thin(column), scale)
        (line,) = ax.plot(
            _shifted(x, series.first_row, scale),
            y,
            drawstyle=drawstyle,
            linewidth=STYLE["linewidth"],
            label=plain(name) if name else None,
        )
        lines.append(line)
    if series.uninterrupted is not None:  # a resumed run: the run it should have been, faintly behind
        for column, line in zip(series.uninterrupted, lines):
            x, y = thin(column)
            ax.plot(
                _shifted(x, 0, scale),
                y,
                drawstyle=drawstyle,
                linewidth=STYLE["linewidth"],
                color=line.get_color(),
                alpha=0.3,
                zorder=line.get_zorder() - 0.1,
                label="uninterrupted" if label is None and series.groups == 1 else "_uninterrupted",
            )
        if series.first_row:
            ax.axvline(series.first_row * scale, color="0.5", linestyle="--", linewidth=1)
            ax.annotate(
                "resumed", (series.first_row * scale, 1), xycoords=("data", "axes fraction"), xytext=(3, -3),
                textcoords="offset points", va="top", fontsize="x-small", color="0.4",
            )  # fmt: skip
    return lines


def _held(x: Any, y: Any, scale: int) -> tuple[Any, Any]:
    """On a step axis, a per-epoch curve's last epoch lasts its S steps too: one more point at its end."""
    if scale == 1 or not len(y):
        return x, y
    import numpy as np

    return np.append(np.asarray(x), x[-1] + 1), np.append(np.asarray(y, dtype=float), y[-1])


def _shifted(x: Any, first_row: int, scale: int = 1) -> Any:
    """Row numbers of a resumed run start at its first epoch K; on a step axis, epoch e is at step e*S."""
    if not first_row and scale == 1:
        return x
    if isinstance(x, range):
        return range((x.start + first_row) * scale, (x.stop + first_row) * scale, scale)
    return (x + first_row) * scale


def draw_panel(
    ax: Axes, series: Series, columns: Sequence[Sequence[float]], lr_lines: Sequence[Any], scale: int = 1
) -> None:
    """Momentum (or metric) columns, each in the colour of its lr line."""
    for column, lr_line in zip(columns, lr_lines):
        x, y = thin(column)
        ax.plot(
            _shifted(x, series.first_row, scale),
            y,
            linewidth=STYLE["panel_linewidth"],
            color=lr_line.get_color(),
            label=lr_line.get_label(),
        )


def mark_milestones(ax: Axes, series: Series, scale: int = 1) -> None:
    """Dotted lines where SequentialLR hands over to the next schedule, and where a warmup ends."""
    marks = list(series.bound["milestones"]) if series.spec.policy.name == "sequential" else []
    for milestone in marks:
        if 0 < milestone < series.epochs:
            ax.axvline(milestone * scale, color="0.5", linestyle=":", linewidth=1)
    warmup = series.run.get("warmup", 0)
    if 0 < warmup < series.epochs:
        ax.axvline(warmup * scale, color="0.5", linestyle="--", linewidth=1)
        ax.annotate(
            "warmup", (warmup * scale, 1), xycoords=("data", "axes fraction"), xytext=(3, -3),
            textcoords="offset points", va="top", fontsize="x-small", color="0.4",
        )  # fmt: skip


def _title_width(figure_width_inches: float) -> int:
    # About 12 characters per inch at the title's 10 pt, so long policy calls wrap instead of being cut.
    return max(20, int(figure_width_inches * 12))


def _place(fig: Figure, width: float, height: float, *, title_lines: int, panels: int, secondary: bool) -> None:
    """Fixed margins, in inches, for the labels lrplot draws.

    A layout engine measures every label on each render (about 25 ms, a tenth of
    a small preview); lrplot's labels are known in advance, so room is set aside
    for them directly: y tick labels up to about eight characters, the axis
    labels, and the title's lines.
    """
    left, right, bottom = 0.95, 0.2, 0.6
    top = 0.25 + 0.2 * title_lines + (0.45 if secondary else 0)  # a secondary x axis: its ticks and label
    fig.subplots_adjust(
        left=min(0.3, left / width),
        right=max(0.7, 1 - right / width),
        bottom=min(0.3, bottom / height),
        top=max(0.6, 1 - top / height),
        hspace=0.12 if panels else 0.2,
    )


def figure(
    series_list: Sequence[Series],
    *,
    title: str | None = None,
    log_y: bool = False,
    size: tuple[float, float, str] = (8.0, 4.5, "in"),
    dpi: int = 150,
    labels: Sequence[str | None] | None = None,
) -> Figure:
    """The figure of one or more schedules: lr against epoch, plus momentum and metric panels."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    width, height, unit = size
    if unit == "px":
        width, height = width / dpi, height / dpi
    fig = Figure(figsize=(width, height), dpi=dpi)
    panels = []
    if any(s.momentum_columns is not None for s in series_list):
        panels.append("momentum")
    if any(s.metrics is not None for s in series_list):
        panels.append("metric")
    axes = fig.subplots(1 + len(panels), 1, sharex=True, height_ratios=[3] + [1] * len(panels), squeeze=False)[:, 0]
    ax, panel_axes = axes[0], dict(zip(panels, axes[1:]))

    labels = list(labels) if labels is not None else [None] * len(series_list)
    if len(series_list) > 1:
        labels = [label or s.label for label, s in zip(labels, series_list)]
    axis = shared_axis(series_list)
    for series, label in zip(series_list, labels):
        scale = axis.scale(series)
        lines = draw(ax, series, label=label, scale=scale)
        mark_milestones(ax, series, scale)
        if "momentum" in panel_axes and series.momentum_columns is not None:
            draw_panel(panel_axes["momentum"], series, series.momentum_columns, lines, scale)
        if "metric" in panel_axes and series.metrics is not None:
            draw_panel(panel_axes["metric"], series, [series.metrics], lines, scale)

    caveats = sorted({s.caveat for s in series_list if s.caveat})
    if title is None and len(series_list) == 1:
        title = series_list[0].title  # which says the caveat already
    else:
        # the reader must learn that some numbers are approximate, whatever the title
        title = (title or "Learning-rate schedules") + "".join(f" [{caveat}]" for caveat in caveats)
    title_lines = textwrap.wrap(plain(title), _title_width(width)) or [""]
    ax.set_title("\n".join(title_lines), fontsize=STYLE["title_size"])
    _place(fig, width, height, title_lines=len(title_lines), panels=len(panels), secondary=has_secondary(axis))
    ax.set_ylabel("learning rate")
    if log_y and any(v > 0 for s in series_list for column in s.lr_columns for v in column):
        ax.set_yscale("log")
    bottom = axes[-1]
    bottom.set_xlabel(axis.unit)
    secondary_x(ax, axis)  # on top of the lr panel
    end = max((s.first_row + s.epochs) * axis.scale(s) - (axis.scale(s) == 1) for s in series_list)
    bottom.set_xlim(0, max(1, end))
    # epochs are whole numbers; about one tick label per inch, so "1,000,000"s never collide
    bottom.xaxis.set_major_locator(MaxNLocator(nbins=max(3, int(width)), steps=[1, 2, 2.5, 5, 10], integer=True))
    bottom.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))  # 20,000,000, not 2 with a 1e7 offset
    for name, panel in panel_axes.items():
        panel.set_ylabel(name)
    for axis in axes:
        axis.grid(True, alpha=STYLE["grid_alpha"])
    labelled = [line for line in ax.lines if line.get_label() and not line.get_label().startswith("_")]
    if labelled:
        ax.legend(fontsize="small", ncols=1 + (len(labelled) - 1) // STYLE["legend_rows"])
    return fig


def render(fig: Figure, fmt: str) -> bytes:
    """The bytes of ``fig`` as PNG, SVG or PDF, identical for identical figures."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC), warnings.catch_warnings():
        # Layout notes (a figure too small for its labels) are matplotlib's business, not the user's.
        warnings.simplefilter("ignore", UserWarning)
        fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt])
    return buffer.getvalue()
