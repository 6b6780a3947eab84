"""Rich tables: the rows of one schedule, and compare's summary and epoch tables.

Rows where the lr changes are marked with an arrow (▼ down, ▲ up) and, when
the schedule is piecewise constant, highlighted.  Above :data:`CONDENSE_ABOVE`
rows a table condenses to the first rows, every change (with the row before
it), the extremes and the last rows, and says so; when a smooth schedule
changes at nearly every row, the changes are sampled evenly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from .columns import change_epochs, highest, lowest
from .compare import Comparison
from .series import Series
from .term import PALETTE
from .units import derivation
from .warmup import describe as describe_warmup

CONDENSE_ABOVE = 200
HEAD = TAIL = 10
MAX_CHANGE_ROWS = 100  # a step-like schedule shows every change up to this many rows
SAMPLED_ROWS = 30  # a smooth one (changing at most rows) is sampled evenly instead
SUMMARY_DIGITS = 4


def format_number(value: float | None, digits: int | None) -> str:
    """``repr`` (exact, as torch prints it) unless a number of significant digits is asked for.

    >>> format_number(0.005000000000000001, None), format_number(0.005000000000000001, 3)
    ('0.005000000000000001', '0.005')
    """
    if value is None:
        return ""
    if value != value:  # NaN metric of a diverged epoch
        return "nan"
    return repr(value) if digits is None else f"{value:.{digits}g}"


def _spread(length: int, count: int) -> list[int]:
    """``count`` positions spread evenly over ``range(length)``, ends included."""
    if length <= count:
        return list(range(length))
    step = (length - 1) / (count - 1)
    return [round(i * step) for i in range(count)]


def visible_rows(columns: Sequence[Sequence[float]], limit: int = CONDENSE_ABOVE) -> tuple[list[int], str | None]:
    """The epochs to show, and a note saying how the table was condensed (None if not).

    >>> from lrplot.simulate import simulate
    >>> from lrplot.spec import parse_spec
    >>> rows, note = visible_rows(simulate(parse_spec("step --step-size 100 -n 1000")).lr_columns)
    >>> len(rows), rows[10:14]
    (38, [99, 100, 199, 200])
    """
    n = max(len(c) for c in columns)
    if n <= limit:
        return list(range(n)), None
    changes = change_epochs(columns)
    sampled = 2 * len(changes) > MAX_CHANGE_ROWS
    if sampled:
        around = [int(changes[i]) for i in _spread(len(changes), SAMPLED_ROWS)]
    else:
        around = sorted({int(e) for c in changes for e in (c - 1, c)})
    extremes = {epoch for column in columns for _, epoch in (lowest(column), highest(column))}
    keep = sorted(set(range(HEAD)) | set(range(n - TAIL, n)) | set(around) | extremes)
    if sampled:
        what = f"{len(around)} of {len(changes):,} changes evenly spaced, the min and max"
    else:
        what = "every change with the row before it"
    note = f"condensed: {len(keep)} of {n:,} rows shown (first {HEAD}, {what}, last {TAIL}); --format csv prints all"
    return keep, note


def _arrows(columns: Sequence[Sequence[float]], epoch: int) -> Text:
    """▼/▲ per lr column that fell/rose at ``epoch`` (one mark for many columns)."""
    marks = Text()
    for column in columns:
        if 0 < epoch < len(column) and column[epoch] != column[epoch - 1]:
            marks.append(
                "▼" if column[epoch] < column[epoch - 1] else "▲",
                style="red" if column[epoch] < column[epoch - 1] else "green",
            )
        else:
            marks.append(" ")
    if len(columns) > 4:
        return Text("•", style="yellow") if marks.plain.strip() else Text("")
    return marks


def _rows_table(
    headers: Sequence[Text | str],
    data: Sequence[Sequence[float | None]],
    lr_columns: Sequence[Sequence[float]],
    *,
    digits: int | None,
    highlight: bool,
    first_row: int = 0,
    index: tuple[list[str], Callable[[int], list[int | float]]] | None = None,
) -> tuple[Table, str | None]:
    """Epoch, the data columns and a change marker, condensed when long (rows numbered from ``first_row``).

    ``index`` gives the index columns' names and cells of a row number (``step``,
    then ``epoch`` as a float, when the steps per epoch are known); default ``epoch``.
    """
    names, cells = index or (["epoch"], lambda row: [row])
    rows, note = visible_rows(lr_columns)
    changes = set(change_epochs(lr_columns)) if highlight else set()
    table = Table(header_style="bold")
    for name in names:
        table.add_column(name, justify="right", style="dim")
    for header in headers:
        table.add_column(header, justify="right", overflow="fold")  # never cut an exact number short
    table.add_column("", justify="left", no_wrap=True)
    previous = -1
    for epoch in rows:
        if epoch != previous + 1:
            skipped = (f"⋮ {epoch - previous - 1:,}", *("⋮" for _ in names[1:]))
            table.add_row(*skipped, *("⋮" for _ in data), "", style="dim")
        table.add_row(
            *(_index_cell(value) for value in cells(first_row + epoch)),
            *(format_number(float(column[epoch]) if epoch < len(column) else None, digits) for column in data),
            _arrows(lr_columns, epoch),
            style="bold cyan" if highlight and epoch in changes else None,
        )
        previous = epoch
    return table, note


def _index_cell(value: int | float) -> str:
    """A row number as is; an epoch reached mid-epoch (step / S) to four significant digits: ``1.5``."""
    return str(value) if isinstance(value, int) else f"{value:.4g}"


def build_table(series: Series, *, digits: int | None = None) -> Group:
    """The title line and a Rich table of ``series``: epoch (and step), lr per group, momentum and metric."""
    index = series.index_columns()
    table, note = _rows_table(
        series.columns()[len(index) :],
        series.data_columns(),
        series.lr_columns,
        digits=digits,
        highlight=series.is_piecewise_constant(),
        first_row=series.first_row,
        index=(index, series.index_values),
    )
    count = len(series.changes())
    summary = f"{series.epochs:,} rows · " + (
        f"lr changes at {count:,} {series.unit}{'s' if count != 1 else ''}" if count else "constant lr"
    )
    if series.run.get("warmup"):
        end = series.run["warmup"]
        if end >= series.epochs:
            where = "the whole run is warmup"
        elif series.run.get("warmup_overlap"):
            where = f"it scales rows 0-{end - 1}"
        else:
            where = f"rows 0-{end - 1}, the schedule from row {end}"
        summary += f" · {describe_warmup(series.run, series.unit)}: {where}"
    # The title goes above the table, unwrapped: the table is often narrower than the policy call.
    footer = [Text(note or summary, style="dim")]
    if series.steps_per_epoch is not None:  # how the two index columns relate, said even when condensed
        accounting = derivation(series.run) or f"{series.steps_per_epoch:,} steps per epoch"
        footer.append(Text(f"stepped per {series.unit} · {accounting}", style="dim"))
    return Group(Text(series.title, style="bold"), table, *footer)


def curve_style(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


SUMMARY_COLUMNS = ("start", "peak", "final", "min", "first decay", "changes", "mean lr")


class SummaryTable:
    """Compare's summary, one row per curve; a list of blocks when the terminal is too narrow for a table."""

    def __init__(self, comparison: Comparison, digits: int | None = None) -> None:
        digits = digits or SUMMARY_DIGITS
        self.rows = [
            (
                summary.label,
                [
                    *(format_number(v, digits) for v in (summary.start, summary.peak, summary.final, summary.min)),
                    "–" if summary.first_decay is None else str(summary.first_decay),
                    f"{summary.changes:,}",
                    format_number(summary.mean, digits),
                ],
            )
            for summary in comparison.summaries()
        ]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = [max(len(name), *(len(cells[i]) for _, cells in self.rows)) for i, name in enumerate(SUMMARY_COLUMNS)]
        label_room = options.max_width - sum(widths) - 2 * len(widths) - 1  # a space and a separator per column
        # Numbers never wrap; a long label wraps, and with under 12 columns for it, blocks instead.
        if label_room >= 12:
            table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
            table.add_column("policy", overflow="fold", max_width=label_room)
            for name, width in zip(SUMMARY_COLUMNS, widths):
                table.add_column(name, justify="right", no_wrap=True, min_width=width)
            for index, (label, cells) in enumerate(self.rows):
                table.add_row(Text(label, style=curve_style(index)), *cells)
            yield table
            return
        for index, (label, cells) in enumerate(self.rows):  # no room for columns: one block per curve
            yield Text(label, style=f"bold {curve_style(index)}", overflow="fold")
            pairs = [f"{name} {cell}" for name, cell in zip(SUMMARY_COLUMNS, cells)]
            yield Text("  " + " · ".join(pairs[:4]), overflow="fold")  # the lr values
            yield Text("  " + " · ".join(pairs[4:]), overflow="fold")  # how it moves


def epoch_table(comparison: Comparison, digits: int | None = None) -> Group:
    """Compare's ``--table``: one lr column per curve, condensed like a policy's table."""
    curves = comparison.curves()
    columns = [column for _, _, column in curves]
    headers = [Text(label, style=curve_style(i)) for i, (label, _, _) in enumerate(curves)]
    table, note = _rows_table(headers, columns, columns, digits=digits, highlight=False)
    return Group(table, Text(note or f"{comparison.epochs:,} rows", style="dim"))
