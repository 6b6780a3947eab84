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

from .columns import as_floats, change_epochs, first_decrease, highest, lowest, total
from .errors import LrplotError
from .params import is_spec
from .series import Series
from .spec import Spec

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


def _unique(labels: list[str]) -> list[str]:
    """Labels that name distinct CSV columns: repeats (and "epoch", the first column) get a number.

    >>> _unique(["a", "a", "a (2)", "epoch"])
    ['a', 'a (2)', 'a (2) (2)', 'epoch (2)']
    """
    taken = {"epoch"}
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
        given = list(labels) + [None] * (len(series) - len(labels))
        names = [label or s.spec.label or default_label(s.spec) for label, s in zip(given, series)]
        return cls(series, _unique(names))

    def curves(self) -> list[tuple[str, Series, list[float]]]:
        """``(label, series, lr column)`` for every param group of every schedule."""
        curves = []
        for label, series in zip(self.labels, self.series):
            for group, column in enumerate(series.lr_columns):
                name = label if series.groups == 1 else f"{label} (group {group})"
                curves.append((name, series, column))
        return curves

    @property
    def epochs(self) -> int:
        return max(s.epochs for s in self.series)

    def summaries(self) -> list[Summary]:
        return [Summary.of(label, column, series.first_row) for label, series, column in self.curves()]

    def columns(self) -> list[str]:
        return ["epoch", *(label for label, _, _ in self.curves())]

    def rows(self) -> list[list[Any]]:
        """One row per epoch; a schedule shorter than the longest leaves its cells empty."""
        columns = [as_floats(column) for _, _, column in self.curves()]
        first = self.series[0].first_row if self.series else 0
        return [
            [first + e, *(column[e] if e < len(column) else None for column in columns)] for e in range(self.epochs)
        ]

    def write_csv(self, stream: Any) -> None:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(self.columns())
        for row in self.rows():
            writer.writerow([row[0], *("" if v is None else repr(v) for v in row[1:])])

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
