"""The result of a simulation, and its machine-readable forms (CSV and JSON).

Row ``e`` holds the lr of every param group during epoch ``e`` and, where they
apply, the momentum (when the policy cycles it) and the metric of that epoch.
Column names are a contract shared with other tools:

* ``epoch,lr`` for one param group, ``epoch,lr_0,lr_1,...`` for several;
* then ``momentum`` (or ``momentum_0,...``) and ``metric`` where they apply.

Numbers are written with ``repr``, which round-trips every float exactly.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .columns import Column, change_epochs, chunks, count_changes
from .params import format_value
from .spec import Spec
from .warmup import describe as describe_warmup


def _jsonable(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    source = getattr(value, "source", None)  # expressions and nested SPECs
    if source is not None:
        return source
    return value


@dataclass
class Series:
    """Every row of one simulated schedule."""

    spec: Spec
    bound: dict[str, Any]  # every policy parameter, defaults applied
    run: dict[str, Any]  # run options, defaults applied (lr and momentum are lists)
    lr_columns: list[Column]  # lr_columns[group][epoch]: lists, or numpy arrays for long runs
    momentum_columns: list[Column] | None = None
    metrics: list[float] | None = None
    first_row: int = 0  # the number of row 0: K when resumed at epoch K (--resume-at)
    uninterrupted: list[Column] | None = None  # lr columns of the whole run, when resumed

    @property
    def epochs(self) -> int:
        return len(self.lr_columns[0])

    @property
    def groups(self) -> int:
        return len(self.lr_columns)

    @property
    def unit(self) -> str:
        """What a row is: a ``step`` for per-batch schedules, else an ``epoch``."""
        return self.spec.policy.unit(self.bound)

    @property
    def label(self) -> str:
        return self.spec.label or self.spec.text

    @property
    def title(self) -> str:
        """``StepLR(step_size=10, gamma=0.1), lr=0.05``: the policy call and the optimizer's lr."""
        lrs = self.run["lr"]
        title = self.spec.call
        if not self.spec.policy.replaces_lr:
            title += ", lr=" + (format_value(lrs[0]) if len(lrs) == 1 else format_value(lrs))
        if self.metrics is not None:
            title += f", metrics={os.path.basename(self.bound['metrics']) or 'stdin'}"
        if self.run.get("warmup"):
            title += ", " + describe_warmup(self.run, self.unit)
        if self.run.get("closed_form"):
            title += " (closed form)"
        if self.caveat:
            title += f" [{self.caveat}]"
        return title

    @property
    def caveat(self) -> str | None:
        """What the reader should know about the numbers: ``"noise drawn with numpy: approximate"``."""
        return self.spec.policy.caveat(self.bound) if self.spec.policy.caveat else None

    def _names(self, stem: str, count: int) -> list[str]:
        return [stem] if count == 1 else [f"{stem}_{g}" for g in range(count)]

    def columns(self) -> list[str]:
        names = ["epoch", *self._names("lr", self.groups)]
        if self.momentum_columns is not None:
            names += self._names("momentum", self.groups)
        if self.metrics is not None:
            names.append("metric")
        return names

    def data_columns(self) -> list[list[float]]:
        data = list(self.lr_columns)
        if self.momentum_columns is not None:
            data += self.momentum_columns
        if self.metrics is not None:
            data.append(self.metrics)
        return data

    def rows(self) -> Iterator[list[Any]]:
        """``[epoch, lr..., momentum..., metric]`` for every epoch, as Python numbers."""
        for start, block in chunks(self.data_columns(), self.epochs):
            for offset, values in enumerate(zip(*block)):
                yield [self.first_row + start + offset, *values]

    def changes(self) -> list[int]:
        """Epochs whose lr (any group) differs from the epoch before.

        >>> from lrplot.simulate import simulate
        >>> from lrplot.spec import parse_spec
        >>> simulate(parse_spec("step --step-size 3 -n 8")).changes()
        [3, 6]
        """
        return change_epochs(self.lr_columns)

    def is_piecewise_constant(self) -> bool:
        """True when most rows repeat the row before: a step-like schedule, drawn as steps."""
        return count_changes(self.lr_columns) * 2 < self.epochs

    # -- machine-readable output ---------------------------------------

    def write_csv(self, stream: Any) -> None:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(self.columns())
        for row in self.rows():
            writer.writerow([row[0], *(repr(v) for v in row[1:])])

    def to_csv(self) -> str:
        """The rows as CSV text, header first.

        >>> from lrplot.simulate import simulate
        >>> from lrplot.spec import parse_spec
        >>> print(simulate(parse_spec("step --step-size 1 --gamma 0.5 -n 3")).to_csv())
        epoch,lr
        0,0.1
        1,0.05
        2,0.025
        <BLANKLINE>
        """
        stream = io.StringIO()
        self.write_csv(stream)
        return stream.getvalue()

    def to_dict(self) -> dict[str, Any]:
        names = self.columns()
        return {
            "policy": self.spec.policy.command,
            "library": self.spec.policy.qualified_name,
            "spec": self.spec.text,
            "params": {k: _jsonable(v) for k, v in self.bound.items()},
            "lr": _jsonable(self.run["lr"]),
            "momentum": _jsonable(self.run["momentum"]),
            "closed_form": bool(self.run.get("closed_form")),
            "epochs": self.epochs,
            "columns": names,
            "rows": [dict(zip(names, _jsonable(row))) for row in self.rows()],
        }

    def to_json(self) -> str:
        """A JSON document: the schedule's description, then one object per row."""
        return json.dumps(self.to_dict(), indent=1) + "\n"
