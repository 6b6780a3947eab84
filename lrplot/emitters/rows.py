"""What an emitted script has to print: the run's length, its metrics, and lrplot's CSV columns.

The same rules as :func:`lrplot.simulate.simulate` (``-n`` defaults to one row
per metric, else to the recipe's own length, else 100), so a script prints
exactly the rows ``lrplot ... --format csv`` prints.
"""

from __future__ import annotations

import os
import shlex
import textwrap
from dataclasses import dataclass
from typing import Any

from ..metrics import load_metrics
from ..options import DEFAULT_EPOCHS
from ..simulate import resolve_run
from ..spec import Spec, to_words
from .code import comment_text


@dataclass
class Rows:
    """The run of one SPEC, as lrplot simulates it."""

    spec: Spec
    bound: dict[str, Any]
    run: dict[str, Any]
    epochs: int
    metrics: list[float] | None
    momentum: bool  # the policy cycles momentum: momentum columns follow the lr columns

    @property
    def groups(self) -> int:
        return len(self.run["lr"])

    @property
    def warmup(self) -> int:
        """Rows of lrplot's SequentialLR warmup in front of the schedule (0: none)."""
        return self.run["warmup"] if not self.run["warmup_overlap"] else 0

    @property
    def horizon(self) -> int:
        """The run length the schedule itself sees: the rows after the warmup (OneCycleLR's total_steps...)."""
        return max(1, self.epochs - self.warmup) if self.warmup else self.epochs

    @property
    def unit(self) -> str:
        return self.spec.policy.unit(self.bound)

    def columns(self) -> list[str]:
        """lrplot's CSV header (:meth:`lrplot.series.Series.columns`)."""

        def names(stem: str) -> list[str]:
            return [stem] if self.groups == 1 else [f"{stem}_{g}" for g in range(self.groups)]

        columns = ["epoch", *names("lr")]
        if self.momentum:
            columns += names("momentum")
        if self.metrics is not None:
            columns.append("metric")
        return columns


def rows_of(spec: Spec) -> Rows:
    bound = spec.bound()
    run = resolve_run(spec)
    metrics = None
    if bound.get("metrics") is not None:
        metrics = load_metrics(bound["metrics"], bound.get("metric_column"))
    epochs = run["epochs"] or (len(metrics) if metrics is not None else DEFAULT_EPOCHS)
    if metrics is not None:
        metrics = metrics[:epochs]
    return Rows(spec, bound, run, epochs, metrics, spec.policy.cycles_momentum(bound))


def command_line(spec: Spec, target: str) -> str:
    return comment_text("lrplot " + shlex.join(to_words(spec)) + f" --emit {target}")


def metrics_note(rows: Rows) -> str:
    """Where the inlined metrics came from."""
    source = rows.bound["metrics"]
    column = rows.bound.get("metric_column")
    where = os.path.basename(source) + (f", column {column}" if column else "")
    return comment_text(f"the metric of each {rows.unit} ({where}), as --metrics read it")


def header_lines(what: str, spec: Spec, target: str, promise: str) -> list[str]:
    """The comment on top of a script: what it builds, the command that wrote it, what it prints."""
    return [
        *textwrap.wrap(comment_text(f"{what}, as lrplot previews it with:"), 98),
        f"  {command_line(spec, target)}",
        *textwrap.wrap(comment_text(promise), 98),
    ]
