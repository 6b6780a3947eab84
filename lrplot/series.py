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
from .units import in_other_unit, other_unit
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
        """Number of rows (epochs or steps, see :attr:`unit`)."""
        return len(self.lr_columns[0])

    # -- numpy views, for the Python API ---------------------------------

    @property
    def lr(self) -> Any:
        """The lr of every row as a numpy array: shape ``(epochs,)``, or ``(epochs, groups)`` for several groups.

        >>> from lrplot import simulate
        >>> simulate("step --step-size 2 --gamma 0.5", epochs=5, lr=[0.1, 1.0]).lr
        array([[0.1  , 1.   ],
               [0.1  , 1.   ],
               [0.05 , 0.5  ],
               [0.05 , 0.5  ],
               [0.025, 0.25 ]])
        """
        return _array(self.lr_columns)

    @property
    def momentum(self) -> Any:
        """The momentum of every row, shaped like :attr:`lr`, where the policy cycles it; else None."""
        return None if self.momentum_columns is None else _array(self.momentum_columns)

    @property
    def index(self) -> Any:
        """The row numbers as a numpy array: ``0..N-1``, or ``K..N-1`` for a run resumed at K."""
        import numpy as np

        return np.arange(self.first_row, self.first_row + self.epochs)

    def __repr__(self) -> str:
        """A short summary for the REPL.

        >>> from lrplot import simulate
        >>> simulate("step --step-size 10 --gamma 0.1", epochs=40, lr=0.05)
        Series('step --step-size 10 --gamma 0.1 --lr 0.05 -n 40': 40 epochs, lr 0.05 -> 5e-05, min 5e-05, max 0.05)
        """
        parts = []
        for group, column in enumerate(self.lr_columns):
            name = "lr" if self.groups == 1 else f"lr_{group}"
            low, high = min(column), max(column)
            parts.append(f"{name} {float(column[0]):.6g} -> {float(column[-1]):.6g}, min {low:.6g}, max {high:.6g}")
        rows = f"{self.epochs} {self.unit}s" + (f" from {self.first_row}" if self.first_row else "")
        return f"Series({self.label!r}: {rows}, {'; '.join(parts)})"

    def _repr_svg_(self) -> str:
        """Jupyter shows the figure of the schedule (the one ``-o FILE.svg`` writes)."""
        from .figures import figure, render

        return render(figure([self]), "svg").decode()

    @property
    def groups(self) -> int:
        return len(self.lr_columns)

    @property
    def unit(self) -> str:
        """What a row is: one ``step`` (optimizer update) or one ``epoch`` (``--interval``)."""
        return self.run.get("interval") or self.spec.policy.unit(self.bound)

    @property
    def steps_per_epoch(self) -> int | None:
        """``S``, when the run says it (``--steps-per-epoch`` or ``--dataset-size``): rows then carry both units."""
        return self.run.get("steps_per_epoch")

    def index_columns(self) -> list[str]:
        """``["epoch"]``; with ``S`` known, the stepping unit then the other: ``["step", "epoch"]``."""
        if self.steps_per_epoch is None:
            return ["epoch"]
        return [self.unit, other_unit(self.unit)]

    def index_values(self, row: int) -> list[int | float]:
        """The index cells of row number ``row``: ``[row]``, or ``[row, row * S]`` / ``[row, row / S]``."""
        if self.steps_per_epoch is None:
            return [row]
        return [row, in_other_unit(row, self.unit, self.steps_per_epoch)]

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
        if self.uninterrupted is not None:
            title += f", resumed at {self.unit} {self.first_row} ({self.run['resume_mode']})"
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
        """``epoch,lr...``; with S known ``epoch,step,lr...`` (per epoch) or ``step,epoch,lr...`` (per step)."""
        names = [*self.index_columns(), *self._names("lr", self.groups)]
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
        """``[epoch, lr..., momentum..., metric]`` for every epoch, as Python numbers (index columns first)."""
        for start, block in chunks(self.data_columns(), self.epochs):
            for offset, values in enumerate(zip(*block)):
                yield [*self.index_values(self.first_row + start + offset), *values]

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
            writer.writerow([row[0], *(repr(v) for v in row[1:])])  # the second unit: 1500, or 1.5 (repr)

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str | None:
        """The rows as CSV text, header first (the CLI's ``--format csv``); written to ``path`` if given.

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
        return _text_or_file(stream.getvalue(), path)

    def to_dict(self) -> dict[str, Any]:
        names = self.columns()
        resumed = {}
        if self.uninterrupted is not None:
            resumed = {"resume_at": self.first_row, "resume_mode": self.run["resume_mode"]}
        return {
            "policy": self.spec.policy.command,
            "library": self.spec.policy.qualified_name,
            "spec": self.spec.text,
            "params": {k: _jsonable(v) for k, v in self.bound.items()},
            "lr": _jsonable(self.run["lr"]),
            "momentum": _jsonable(self.run["momentum"]),
            "closed_form": bool(self.run.get("closed_form")),
            "epochs": self.epochs,
            **resumed,
            **self._units(),
            "columns": names,
            "rows": [dict(zip(names, _jsonable(row))) for row in self.rows()],
        }

    def _units(self) -> dict[str, Any]:
        """The run's accounting, in JSON: only when S is known (else the document is as before)."""
        if self.steps_per_epoch is None:
            return {}
        return {"interval": self.unit, "steps_per_epoch": self.steps_per_epoch}

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str | None:
        """A JSON document (the CLI's ``--format json``): the schedule's description, then one object per row."""
        return _text_or_file(json.dumps(self.to_dict(), indent=1) + "\n", path)


def _text_or_file(text: str, path: str | os.PathLike[str] | None) -> str | None:
    """``text`` itself, or None once it is written to ``path`` (atomically, like ``-o``)."""
    if path is None:
        return text
    from pathlib import Path

    from .output import write_all

    write_all({Path(path): text.encode()})
    return None


def _array(columns: list[Column]) -> Any:
    import numpy as np

    if len(columns) == 1:
        return np.array(columns[0], dtype=float)
    return np.column_stack([np.asarray(c, dtype=float) for c in columns])
