"""Several schedules side by side: their labels, summary figures and the overlay's CSV/JSON.

A comparison is a list of simulated schedules, each with a label (``--label``
or the SPEC, shortened).  Every param group of every schedule is one *curve*;
the overlay's CSV has ``epoch`` and one column per curve, named by its label.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from .columns import Column, as_floats, change_epochs, first_decrease, highest, is_array, lowest, total
from .errors import LrplotError
from .params import is_spec
from .series import Series
from .spec import Spec
from .units import Axis, shared_axis

LABEL_WIDTH = 60


def default_label(spec: Spec, typed: str | None = None) -> str:
    """The SPEC as the user ``typed`` it (a command line, or a constructor call from a config;
    else its canonical text), shortened to fit a legend.

    >>> from lrplot.spec import parse_spec
    >>> default_label(parse_spec("step --step-size 30 --gamma 0.1"))
    'step --step-size 30 --gamma 0.1'
    >>> default_label(parse_spec('sequential --schedule "linear --start-factor 0.1 --total-iters 5" '
    ...                          '--schedule "cosine --t-max 95" --milestones 5'))
    'sequential: linear → cosine at 5'
    """
    text = " ".join(typed.split()) if typed else spec.text
    if len(text) <= LABEL_WIDTH:
        return text
    children = next((spec.params[p.name] for p in spec.policy.params if is_spec(p.kind)), None)
    if children:
        label = f"{spec.policy.command}: " + " → ".join(child.policy.command for child in children)
        milestones = spec.params.get("milestones")
        if milestones:
            label += " at " + ",".join(str(m) for m in milestones)
        if len(label) <= LABEL_WIDTH:
            return label
    return text[: LABEL_WIDTH - 1] + "…"


@dataclass(frozen=True)
class Summary:
    """What a schedule gives, in numbers: one row of compare's summary table."""

    label: str
    start: float
    peak: float
    final: float
    min: float
    first_decay: int | None  # the first epoch whose lr is below the one before
    changes: int  # epochs whose lr differs from the one before
    mean: float  # area under the curve / N: how much learning the schedule gives in total

    @classmethod
    def of(cls, label: str, column: Sequence[float], first_row: int = 0) -> Summary:
        """
        >>> Summary.of("s", [0.1, 0.1, 0.01, 0.01])
        Summary(label='s', start=0.1, peak=0.1, final=0.01, min=0.01, first_decay=2, changes=1, mean=0.055)
        """
        return cls(
            label=label,
            start=float(column[0]),
            peak=highest(column)[0],
            final=float(column[-1]),
            min=lowest(column)[0],
            first_decay=None if (decay := first_decrease(column)) is None else first_row + decay,
            changes=len(change_epochs([column])),
            mean=total(column) / len(column),
        )


def _spread(column: Column, scale: int) -> Column:
    """Each row repeated ``scale`` times: a per-epoch lr held for each of the epoch's steps.

    >>> _spread([0.1, 0.01], 3)
    [0.1, 0.1, 0.1, 0.01, 0.01, 0.01]
    """
    if is_array(column):
        import numpy as np

        return np.repeat(column, scale)
    return [value for value in column for _ in range(scale)]


def _unique(labels: list[str], index: Sequence[str] = ("epoch",)) -> list[str]:
    """Labels that name distinct CSV columns: repeats (and "epoch", the first column) get a number.

    >>> _unique(["a", "a", "a (2)", "epoch"])
    ['a', 'a (2)', 'a (2) (2)', 'epoch (2)']
    """
    taken = set(index)
    unique = []
    for label in labels:
        candidate, count = label, 1
        while candidate in taken:
            count += 1
            candidate = f"{label} ({count})"
        taken.add(candidate)
        unique.append(candidate)
    return unique


@dataclass
class Comparison:
    """Simulated schedules with their labels."""

    series: list[Series]
    labels: list[str]

    @classmethod
    def of(cls, series: list[Series], labels: Sequence[str | None] = ()) -> Comparison:
        starts = sorted({s.first_row for s in series})
        if len(starts) > 1:  # rows are matched by number: they must start together
            raise LrplotError(
                "compare: the SPECs start at different epochs ("
                + ", ".join(map(str, starts))
                + "); give every SPEC the same --resume-at (or put it once after the SPECs)"
            )
        if starts != [0] and shared_axis(series).aligned:
            raise LrplotError(
                "compare: resumed SPECs stepped in different units cannot be aligned on steps; "
                "give them the same --interval"
            )
        given = list(labels) + [None] * (len(series) - len(labels))
        names = [label or s.spec.label or default_label(s.spec) for label, s in zip(given, series)]
        taken = shared_axis(series).index_columns() if any(s.steps_per_epoch for s in series) else ["epoch"]
        return cls(series, _unique(names, taken))

    @property
    def axis(self) -> Axis:
        """What a row of the overlay is: the shared unit, or optimizer steps when the units differ and S is known."""
        return shared_axis(self.series)

    def curves(self) -> list[tuple[str, Series, Column]]:
        """``(label, series, lr column)`` for every param group of every schedule, aligned on :attr:`axis`.

        A per-epoch schedule compared with per-step ones holds each epoch's lr for its S steps.
        """
        axis = self.axis
        curves = []
        for label, series in zip(self.labels, self.series):
            scale = axis.scale(series)
            for group, column in enumerate(series.lr_columns):
                name = label if series.groups == 1 else f"{label} (group {group})"
                curves.append((name, series, column if scale == 1 else _spread(column, scale)))
        return curves

    @property
    def epochs(self) -> int:
        """Rows of the overlay (steps, when per-epoch schedules were aligned on steps)."""
        axis = self.axis
        return max(s.epochs * axis.scale(s) for s in self.series)

    def index_columns(self) -> list[str]:
        """``["epoch"]`` as before; with S known the axis' unit, then the other one when all share S."""
        if not any(s.steps_per_epoch for s in self.series):
            return ["epoch"]
        return self.axis.index_columns()

    def summaries(self) -> list[Summary]:
        return [Summary.of(label, column, series.first_row) for label, series, column in self.curves()]

    def columns(self) -> list[str]:
        return [*self.index_columns(), *(label for label, _, _ in self.curves())]

    def rows(self) -> list[list[Any]]:
        """One row per epoch (or step); a schedule shorter than the longest leaves its cells empty."""
        columns = [as_floats(column) for _, _, column in self.curves()]
        first = self.series[0].first_row if self.series else 0
        axis, plain = self.axis, self.index_columns() == ["epoch"]
        return [
            [
                *([first + e] if plain else axis.index_values(first + e)),
                *(column[e] if e < len(column) else None for column in columns),
            ]
            for e in range(self.epochs)
        ]

    def write_csv(self, stream: Any) -> None:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(self.columns())
        index = len(self.index_columns())
        for row in self.rows():
            writer.writerow([*row[:index], *("" if v is None else repr(v) for v in row[index:])])

    def to_csv(self) -> str:
        stream = io.StringIO()
        self.write_csv(stream)
        return stream.getvalue()

    def to_dict(self) -> dict[str, Any]:
        names = self.columns()
        return {
            "curves": [
                {"label": label, "spec": series.spec.text, "library": series.spec.policy.qualified_name}
                for label, series in zip(self.labels, self.series)
            ],
            "summary": [asdict(summary) for summary in self.summaries()],
            "columns": names,
            "rows": [dict(zip(names, row)) for row in self.rows()],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1) + "\n"
