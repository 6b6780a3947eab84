"""Reading the metric series that ReduceLROnPlateau reacts to.

Two layouts are accepted, so a user can point at what their training already writes:

* one number per line (blank lines and ``#`` comments are skipped), e.g. the
  validation losses of 60 epochs;
* a CSV file with a header row; ``--metric-column NAME`` picks the column
  (optional when the file has a single column).

Errors name the file and the line at fault.  ``-`` reads standard input.
"""

from __future__ import annotations

import csv
import io
import math
import re
import sys

from .errors import LrplotError
from .files import read_user_text


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise LrplotError(f"{where}: {text.strip()!r} is not a number") from None
    if math.isinf(value):
        raise LrplotError(f"{where}: {text.strip()!r}: expected a finite number (nan marks a diverged epoch)")
    return value


def read_text(path: str) -> str:
    if path == "-":
        try:
            return sys.stdin.buffer.read().decode("utf-8-sig") if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        except UnicodeDecodeError:
            raise LrplotError("--metrics -: standard input is not text (expected numbers or CSV)") from None
    return read_user_text(path, named=f"--metrics {path}", expected="numbers or CSV", encoding="utf-8-sig")


def parse_metrics(text: str, source: str, column: str | None = None) -> list[float]:
    """The metric of each epoch, in order.

    >>> parse_metrics("0.73\\n# diverged\\n690.2\\n", "loss.txt")
    [0.73, 690.2]
    >>> parse_metrics("epoch,val_loss\\n0,0.9\\n1,0.8\\n", "log.csv", "val_loss")
    [0.9, 0.8]
    """
    lines = [
        (number, line.split("#", 1)[0].strip())  # '#' starts a comment, on its own line or after a value
        for number, line in enumerate(text.splitlines(), start=1)
    ]
    lines = [(number, line) for number, line in lines if line]
    if not lines:
        raise LrplotError(f"--metrics {source}: the file is empty; expected one metric per line or a CSV")
    number, first = lines[0]
    cells = [cell for cell in re.split(r"[,\s]+", first) if cell]
    if _is_number(cells[0]):
        if column is not None:
            raise LrplotError(f"--metric-column {column}: {source} has no header row to pick a column from")
        if len(cells) > 1:
            raise LrplotError(
                f"--metrics {source}: line {number} has several values; "
                "expected one number per line, or a CSV with a header and --metric-column"
            )
        return [_number(line, f"--metrics {source}, line {n}") for n, line in lines]
    return _parse_csv(lines, source, column)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _parse_csv(lines: list[tuple[int, str]], source: str, column: str | None) -> list[float]:
    rows = list(csv.reader(io.StringIO("\n".join(line for _, line in lines))))
    header = [name.strip() for name in rows[0]]
    if column is None:
        if len(header) != 1:
            raise LrplotError(f"--metrics {source} has columns {', '.join(header)}: choose one with --metric-column")
        column = header[0]
    if column not in header:
        raise LrplotError(f"--metric-column {column!r}: not in {source} (columns: {', '.join(header)})")
    index = header.index(column)
    values = []
    for (number, _), row in zip(lines[1:], rows[1:]):
        if index >= len(row):
            raise LrplotError(f"--metrics {source}, line {number}: no value in column {column!r}")
        values.append(_number(row[index], f"--metrics {source}, line {number}"))
    if not values:
        number, first = lines[0]
        shown = first if len(first) <= 40 else first[:39] + "…"
        raise LrplotError(
            f"--metrics {source}, line {number}: {shown!r} is not a number (nor a CSV header: no rows below it)"
        )
    return values


def load_metrics(path: str, column: str | None = None) -> list[float]:
    return parse_metrics(read_text(path), path, column)
