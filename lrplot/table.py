"""The Rich table of a simulated schedule: one row per epoch, changes made visible.

Rows where the lr changes are marked with an arrow (▼ down, ▲ up) and, when
the schedule is piecewise constant, highlighted.  Above :data:`CONDENSE_ABOVE`
rows the table condenses to the first rows, every change (with the row before
it), the extremes and the last rows, and its caption says so; when a smooth
schedule changes at nearly every row, the changes are sampled evenly.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from .series import Series

CONDENSE_ABOVE = 200
HEAD = TAIL = 10
MAX_CHANGE_ROWS = 100  # a step-like schedule shows every change up to this many rows
SAMPLED_ROWS = 30  # a smooth one (changing at most rows) is sampled evenly instead


def format_number(value: float, digits: int | None) -> str:
    """``repr`` (exact, as torch prints it) unless a number of significant digits is asked for.

    >>> format_number(0.005000000000000001, None), format_number(0.005000000000000001, 3)
    ('0.005000000000000001', '0.005')
    """
    if value != value:  # NaN metric of a diverged epoch
        return "nan"
    return repr(value) if digits is None else f"{value:.{digits}g}"


def is_piecewise_constant(series: Series) -> bool:
    """True when most rows repeat the row before: a step-like schedule."""
    return len(series.changes()) * 2 < series.epochs


def _spread(items: list[int], count: int) -> list[int]:
    if len(items) <= count:
        return items
    step = (len(items) - 1) / (count - 1)
    return [items[round(i * step)] for i in range(count)]


def visible_rows(series: Series, limit: int = CONDENSE_ABOVE) -> tuple[list[int], str | None]:
    """The epochs to show, and a note saying how the table was condensed (None if not).

    >>> from lrplot.simulate import simulate
    >>> from lrplot.spec import parse_spec
    >>> rows, note = visible_rows(simulate(parse_spec("step --step-size 100 -n 1000")))
    >>> len(rows), rows[10:14]
    (38, [99, 100, 199, 200])
    """
    n = series.epochs
    if n <= limit:
        return list(range(n)), None
    changes = series.changes()
    around = sorted({e for c in changes for e in (c - 1, c)})
    sampled = len(around) > MAX_CHANGE_ROWS
    if sampled:
        around = _spread(changes, SAMPLED_ROWS)
    first = series.lr_columns[0]
    extremes = {first.index(min(first)), first.index(max(first))}
    keep = sorted(set(range(HEAD)) | set(range(n - TAIL, n)) | set(around) | extremes)
    if sampled:
        what = f"{len(around)} of {len(changes):,} changes evenly spaced, the min and max"
    else:
        what = "every change with the row before it"
    note = f"condensed: {len(keep)} of {n:,} rows shown (first {HEAD}, {what}, last {TAIL}); --format csv prints all"
    return keep, note


def _arrow(series: Series, epoch: int) -> Text:
    if epoch == 0:
        return Text("")
    now = series.lr_columns[0][epoch]
    before = series.lr_columns[0][epoch - 1]
    if now < before:
        return Text("▼", style="red")
    if now > before:
        return Text("▲", style="green")
    if any(col[epoch] != col[epoch - 1] for col in series.lr_columns[1:]):
        return Text("•", style="yellow")
    return Text("")


def build_table(series: Series, *, digits: int | None = None, limit: int = CONDENSE_ABOVE) -> Group:
    """The title line and a Rich table of ``series``: epoch, lr per group, momentum and metric."""
    rows, note = visible_rows(series, limit)
    changes = set(series.changes())
    highlight = is_piecewise_constant(series)
    names = series.columns()
    count = len(changes)
    summary = f"{series.epochs:,} rows · " + (
        f"lr changes at {count:,} epoch{'s' if count != 1 else ''}" if changes else "constant lr"
    )
    table = Table(header_style="bold")
    table.add_column(names[0], justify="right", style="dim")
    for name in names[1:]:
        table.add_column(name, justify="right")
    table.add_column("", justify="left", width=1, no_wrap=True)

    data = series.data_columns()
    previous = -1
    for epoch in rows:
        if epoch != previous + 1:
            skipped = epoch - previous - 1
            table.add_row(f"⋮ {skipped:,}", *("⋮" for _ in data), "", style="dim")
        style = "bold cyan" if highlight and epoch in changes else None
        table.add_row(
            str(epoch),
            *(format_number(column[epoch], digits) for column in data),
            _arrow(series, epoch),
            style=style,
        )
        previous = epoch
    # The title goes above the table, unwrapped: the table is often narrower than the policy call.
    return Group(Text(series.title, style="bold"), table, Text(note or summary, style="dim"))

