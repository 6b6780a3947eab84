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
import sys
from pathlib import Path

from .errors import LrplotError


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
        return sys.stdin.read()
    file = Path(path)
    try:
        return file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LrplotError(f"--metrics {path}: no such file") from None
    except IsADirectoryError:
        raise LrplotError(f"--metrics {path}: is a directory, expected a file") from None
    except UnicodeDecodeError:
        raise LrplotError(f"--metrics {path}: not a text file (expected numbers or CSV)") from None
    except OSError as error:
        raise LrplotError(f"--metrics {path}: cannot read ({error.strerror})") from None


def parse_metrics(text: str, source: str, column: str | None = None) -> list[float]:
    """The metric of each epoch, in order.

    >>> parse_metrics("0.73\\n# diverged\\n690.2\\n", "loss.txt")
    [0.73, 690.2]
    >>> parse_metrics("epoch,val_loss\\n0,0.9\\n1,0.8\\n", "log.csv", "val_loss")
    [0.9, 0.8]
    """
    lines = [
        (number, line) for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]  # fmt: skip
    if not lines:
        raise LrplotError(f"--metrics {source}: the file is empty; expected one metric per line or a CSV")
    first = lines[0][1]
    try:
        float(first.split(",")[0])
        has_header = False
    except ValueError:
        has_header = True
    if not has_header:
        if column is not None:
            raise LrplotError(f"--metric-column {column}: {source} has no header row to pick a column from")
        if "," in first:
            raise LrplotError(
                f"--metrics {source}: line {lines[0][0]} has several values; "
                "expected one number per line, or a CSV with a header and --metric-column"
            )
        return [_number(line, f"--metrics {source}, line {number}") for number, line in lines]
    return _parse_csv(lines, source, column)


def _parse_csv(lines: list[tuple[int, str]], source: str, column: str | None) -> list[float]:
    rows = list(csv.reader(io.StringIO("\n".join(line for _, line in lines))))
    header = [name.strip() for name in rows[0]]
    if column is None:
        if len(header) != 1:
            raise LrplotError(
                f"--metrics {source} has columns {', '.join(header)}: choose one with --metric-column"
            )
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
        raise LrplotError(f"--metrics {source}: the header has no rows below it")
    return values


def load_metrics(path: str, column: str | None = None) -> list[float]:
    return parse_metrics(read_text(path), path, column)
