"""A line chart for the terminal: several curves, a legend, linear or log y, sized to the width.

With colour, each character cell holds a 2x4 braille dot matrix, so a
100-column chart has 200 x-positions; each curve has its own colour.
Without colour (``NO_COLOR``, a pipe) curves are told apart by their glyph
(``•``, ``×``, ``+``, ...) at one point per cell.  Long curves are reduced to
the minimum and maximum of each x-position, so a step edge or a cyclic
peak is never lost.

Why not a library: uniplot (the maintained candidate) pulls in numpy and
readchar, labels only the ends of the y axis and, without colour, draws
every curve with the same glyph; the chart lrplot needs is ~150 lines on
top of Rich, which lrplot already uses (see the README's design notes).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from .columns import highest, lowest

PALETTE = ("cyan", "magenta", "yellow", "green", "red", "blue", "bright_white", "bright_cyan")
GLYPHS = ("•", "×", "+", "o", "#", "*", "%", "@")
MIN_PLOT_WIDTH = 24  # below this the chart is not worth drawing
_BRAILLE = 0x2800
_DOT = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [dot row][dot column]


@dataclass
class Curve:
    label: str
    values: Sequence[float]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high].

    >>> nice_ticks(0, 0.1)
    [0.0, 0.025, 0.05, 0.075, 0.1]
    """
    if high <= low:
        return [low]
    raw = (high - low) / max(1, count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9)
    ticks = []
    k = first
    while k * step <= high + step * 1e-9:
        ticks.append(round(k * step, 12))
        k += 1
    return ticks


def _columns(values: Sequence[float], width: int, epochs: int) -> list[tuple[float, float] | None]:
    """(min, max) of the values falling in each of ``width`` x-positions (None where none fall)."""
    if hasattr(values, "dtype"):
        return _array_columns(values, width, epochs)
    spans: list[tuple[float, float] | None] = [None] * width
    scale = (width - 1) / max(1, epochs - 1)
    for epoch, value in enumerate(values):
        if value != value:  # NaN
            continue
        x = round(epoch * scale)
        span = spans[x]
        spans[x] = (value, value) if span is None else (min(span[0], value), max(span[1], value))
    return spans


def _array_columns(values: Any, width: int, epochs: int) -> list[tuple[float, float] | None]:
    """:func:`_columns` for a long numpy column: reduce each x-position's slice at once."""
    import numpy as np

    scale = (width - 1) / max(1, epochs - 1)
    positions = np.rint(np.arange(len(values)) * scale).astype(int)
    starts = np.flatnonzero(np.r_[True, np.diff(positions) != 0])
    finite = np.where(np.isnan(values), np.inf, values)
    lows = np.minimum.reduceat(finite, starts)
    highs = np.maximum.reduceat(np.where(np.isnan(values), -np.inf, values), starts)
    spans: list[tuple[float, float] | None] = [None] * width
    for start, low, high in zip(starts.tolist(), lows.tolist(), highs.tolist()):
        if low <= high:
            spans[int(positions[start])] = (low, high)
    return spans


class Chart:
    """A Rich renderable line chart of several curves over a shared epoch axis."""

    def __init__(self, curves: Sequence[Curve], *, log_y: bool = False, height: int = 14, x_label: str = "epoch"):
        self.curves = list(curves)
        self.log_y = log_y
        self.height = height
        self.x_label = x_label
        self.epochs = max(len(c.values) for c in self.curves)

    def _y(self, value: float) -> float | None:
        if self.log_y:
            return math.log10(value) if value > 0 else None
        return value

    def _y_range(self) -> tuple[float, float]:
        ys = [
            y
            for c in self.curves
            for v in (lowest(c.values)[0], highest(c.values)[0], *self._smallest_positive(c.values))
            if (y := self._y(v)) is not None
        ]
        if not ys:
            return (0.0, 1.0)
        low, high = min(ys), max(ys)
        if low == high:
            pad = abs(low) * 0.1 or 1.0
            low, high = low - pad, high + pad
        if not self.log_y and low > 0 and low < (high - low) * 0.5:
            low = 0.0  # show the distance to zero when it is small compared to the range
        return low, high

    def _ys(self, values: Sequence[float]) -> Sequence[float]:
        """Values in axis units (log10 on a log axis), NaN where they cannot be drawn."""
        if hasattr(values, "dtype"):
            import numpy as np

            if not self.log_y:
                return values
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(values > 0, np.log10(np.where(values > 0, values, 1.0)), np.nan)  # type: ignore[operator]
        return [y if (y := self._y(v)) is not None else math.nan for v in values]

    def _smallest_positive(self, values: Sequence[float]) -> list[float]:
        """On a log axis the lowest value drawn is the smallest positive one."""
        if not self.log_y:
            return []
        if hasattr(values, "dtype"):
            positive = values[values > 0]  # type: ignore[index, operator]
            return [float(positive.min())] if len(positive) else []
        positive = [v for v in values if v > 0]
        return [min(positive)] if positive else []

    def _ticks(self, low: float, high: float) -> list[tuple[float, str]]:
        if self.log_y:
            decades = range(math.ceil(low - 1e-9), math.floor(high + 1e-9) + 1)
            ticks = [(float(d), f"1e{d}") for d in decades]
            if len(ticks) > self.height // 2:  # thin out from the top, so the highest decade is labelled
                stride = math.ceil(len(ticks) / (self.height // 2))
                ticks = ticks[::-1][::stride][::-1]
            return ticks or [(low, f"{10**low:.3g}")]
        return [(t, f"{t:.3g}") for t in nice_ticks(low, high, max(2, self.height // 3))]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        color = console.color_system is not None and not console.no_color
        low, high = self._y_range()
        ticks = self._ticks(low, high)
        label_width = max(len(text) for _, text in ticks)
        width = options.max_width - label_width - 4  # "<label> ┤ " before, one spare column after
        if width < MIN_PLOT_WIDTH:
            needed = MIN_PLOT_WIDTH + label_width + 4
            yield Text(f"(the terminal is too narrow for the chart: it needs {needed} columns)", style="dim")
            return
        rows = self._draw_braille(width, low, high) if color else self._draw_glyphs(width, low, high)
        tick_rows = {self._row_of(t, low, high): text for t, text in ticks}
        for row, line in enumerate(rows):
            text = tick_rows.get(row, "")
            yield Text.assemble(text.rjust(label_width), " ┤ " if text else " │ ", line, end="\n")
        yield Text(" " * label_width + " └" + "─" * (width + 1))  # under " ┤ " and the plot
        yield self._x_axis(label_width, width)
        yield self._legend(color, options.max_width)

    def _row_of(self, y: float, low: float, high: float) -> int:
        return round((high - y) / (high - low) * (self.height - 1))

    def _x_axis(self, label_width: int, width: int) -> Text:
        axis = [" "] * width
        last = self.epochs - 1
        for epoch in nice_ticks(0, last, 5):
            text = f"{epoch:g}"
            x = round(epoch / max(1, last) * (width - 1))
            start = min(max(0, x - len(text) // 2), width - len(text))
            if all(c == " " for c in axis[max(0, start - 1) : start + len(text) + 1]):
                axis[start : start + len(text)] = text
        ticks = "".join(axis).rstrip()
        unit = f"  {self.x_label}" if len(ticks) + len(self.x_label) + 2 <= width + 1 else ""
        return Text(" " * (label_width + 3) + ticks + unit, style="dim")

    def _legend(self, color: bool, width: int) -> Text:
        """The curves' marks and labels, on one line when they fit, else one per line."""
        entries = []
        for i, curve in enumerate(self.curves):
            mark = "━━" if color else GLYPHS[i % len(GLYPHS)] * 2
            entries.append(Text.assemble((mark, PALETTE[i % len(PALETTE)] if color else ""), f" {curve.label}"))
        one_line = Text("  ").join(entries)
        if one_line.cell_len + 2 <= width:
            return Text.assemble("  ", one_line)
        return Text("\n").join(Text.assemble("  ", entry) for entry in entries)

    def _spans(self, curve: Curve, positions: int, low: float, high: float, dots: int) -> list[tuple[int, int] | None]:
        """Top and bottom dot row (row 0 at the top) of the curve in each x-position, joined up."""
        ys = self._ys(curve.values)
        spans: list[tuple[int, int] | None] = []
        previous: tuple[int, int] | None = None
        for column in _columns(ys, positions, self.epochs):
            if column is None:
                spans.append(None)
                continue
            own = (
                round((high - column[1]) / (high - low) * (dots - 1)),
                round((high - column[0]) / (high - low) * (dots - 1)),
            )
            if previous is None:
                spans.append(own)
            else:  # reach back to the previous position: a step edge is drawn, not skipped
                spans.append((min(own[0], previous[1]), max(own[1], previous[0])))
            previous = own
        return spans

    def _draw_braille(self, width: int, low: float, high: float) -> list[Text]:
        bits = [[0] * width for _ in range(self.height)]
        owner = [[-1] * width for _ in range(self.height)]
        for index, curve in enumerate(self.curves):
            for x, span in enumerate(self._spans(curve, width * 2, low, high, self.height * 4)):
                if span is None:
                    continue
                for dot_row in range(span[0], span[1] + 1):
                    row, column = dot_row // 4, x // 2
                    bits[row][column] |= _DOT[dot_row % 4][x % 2]
                    owner[row][column] = index
        lines = []
        for row in range(self.height):
            line = Text()
            for column in range(width):
                if bits[row][column]:
                    line.append(chr(_BRAILLE + bits[row][column]), style=PALETTE[owner[row][column] % len(PALETTE)])
                else:
                    line.append(" ")
            lines.append(line)
        return lines

    def _draw_glyphs(self, width: int, low: float, high: float) -> list[Text]:
        grid = [[" "] * width for _ in range(self.height)]
        for index, curve in enumerate(self.curves):
            glyph = GLYPHS[index % len(GLYPHS)]
            for x, span in enumerate(self._spans(curve, width, low, high, self.height)):
                if span is not None:
                    for row in range(span[0], span[1] + 1):
                        grid[row][x] = glyph
        return [Text("".join(row)) for row in grid]
