"""Operations on a column of numbers, whether a Python list (stepped runs) or a numpy array (long runs).

Short runs are stepped in plain Python and kept as lists, so a table-only
preview never imports numpy.  Runs longer than
:data:`lrplot.simulate.EXACT_STEPS` come back from the vectorized forms as
numpy arrays; these helpers give both the same answers without a Python loop
over a million values.

>>> lowest([0.1, 0.05, 0.2])
(0.05, 1)
>>> change_epochs([[0.1, 0.1, 0.01, 0.01], [1.0, 0.5, 0.5, 0.5]])
[1, 2]
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

Column = Sequence[float]

CHUNK = 65_536  # rows converted at a time when streaming an array out as Python floats


def is_array(column: Any) -> bool:
    return hasattr(column, "dtype")


def change_epochs(columns: Sequence[Column]) -> Sequence[int]:
    """Epochs where any column differs from the epoch before (columns may differ in length).

    A list for lists; for numpy columns a numpy array of epochs, so a ten-million-row
    smooth schedule never becomes ten million Python ints.
    """
    if any(is_array(c) for c in columns):
        import numpy as np

        longest = max(len(c) for c in columns)
        changed = np.zeros(max(0, longest - 1), dtype=bool)
        for column in columns:
            steps = np.diff(np.asarray(column)) != 0
            changed[: len(steps)] |= steps
        return np.flatnonzero(changed) + 1
    longest = max(len(c) for c in columns)
    return [e for e in range(1, longest) if any(e < len(c) and c[e] != c[e - 1] for c in columns)]


def count_changes(columns: Sequence[Column]) -> int:
    """How many epochs differ from the epoch before in any column, without listing them."""
    if len(columns) == 1 and is_array(columns[0]):
        import numpy as np

        column = columns[0]
        return int(np.count_nonzero(column[1:] != column[:-1]))  # type: ignore[index]
    return len(change_epochs(columns))


def lowest(column: Column) -> tuple[float, int]:
    """The smallest value and its first epoch."""
    if is_array(column):
        index = int(column.argmin())  # type: ignore[attr-defined]
        return float(column[index]), index
    value = min(column)
    return value, list(column).index(value)


def highest(column: Column) -> tuple[float, int]:
    """The largest value and its first epoch."""
    if is_array(column):
        index = int(column.argmax())  # type: ignore[attr-defined]
        return float(column[index]), index
    value = max(column)
    return value, list(column).index(value)


def first_bad(column: Column, *, allow_negative: bool) -> int | None:
    """The first epoch whose value is NaN, infinite, complex, or (unless allowed) negative.

    Complex values come from Python's ``**`` on a negative base (timm's poly with k_decay < 0).
    """
    if is_array(column):
        import numpy as np

        bad = ~np.isfinite(column) if allow_negative else ~(np.isfinite(column) & (np.asarray(column) >= 0))
        where = np.flatnonzero(bad)
        return int(where[0]) if len(where) else None
    for epoch, value in enumerate(column):
        if isinstance(value, complex):
            return epoch
        if not (value == value and abs(value) != float("inf") and (allow_negative or value >= 0)):
            return epoch
    return None


def total(column: Column) -> float:
    """The correctly rounded sum of the column."""
    return math.fsum(as_floats(column))


def first_decrease(column: Column) -> int | None:
    """The first epoch whose value is below the one before."""
    if is_array(column):
        import numpy as np

        where = np.flatnonzero(np.diff(np.asarray(column)) < 0)
        return int(where[0]) + 1 if len(where) else None
    return next((e for e in range(1, len(column)) if column[e] < column[e - 1]), None)


def as_floats(column: Column, start: int = 0, stop: int | None = None) -> list[float]:
    """Rows ``start:stop`` as Python floats."""
    part = column[start:stop]
    return part.tolist() if is_array(part) else list(part)  # type: ignore[attr-defined]


def chunks(columns: Sequence[Column], length: int) -> Iterator[tuple[int, list[list[float]]]]:
    """``(first row, [column slices as Python floats])`` for consecutive blocks of rows."""
    for start in range(0, length, CHUNK):
        yield start, [as_floats(c, start, start + CHUNK) for c in columns]


def count_at_most_zero(column: Column) -> int:
    """How many values a log axis cannot show."""
    if is_array(column):
        return int((column <= 0).sum())  # type: ignore[operator]
    return sum(1 for value in column if value <= 0)
