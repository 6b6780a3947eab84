"""Steps and epochs: how a training loop counts, and which of the two a schedule is stepped in.

A *row* of lrplot is one ``scheduler.step()``.  The training loop calls it
once per epoch or once per optimizer update (``--interval``); an epoch has
``S`` optimizer updates (``--steps-per-epoch``), or ``S`` is derived from the
run as Hugging Face's Trainer and timm's ``train.py`` count it::

    batches = ceil(D / (B * W))        # floor with --drop-last
    S       = ceil(batches / G)        # the last, partial accumulation still updates

for ``D`` examples (``--dataset-size``), ``B`` per device (``--batch-size``),
``W`` processes (``--world-size``) and ``G`` accumulation steps
(``--grad-accum``).  For example 50,000 images at 128 per device on 2 GPUs with
``G = 2``: ``ceil(50000 / 256) = 196`` batches, ``S = 98`` updates per epoch.

>>> steps_per_epoch({"dataset_size": 50_000, "batch_size": 128, "world_size": 2, "grad_accum": 2})
98
>>> steps_per_epoch({"dataset_size": 50_000, "batch_size": 128, "world_size": 2, "drop_last": True})
195
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .errors import LrplotError

INTERVALS = ("epoch", "step")

DERIVING = ("batch_size", "grad_accum", "world_size", "drop_last")
"""Options that only mean something with --dataset-size."""


def batches_per_epoch(run: dict[str, Any]) -> int:
    """Batches each process loads per epoch: ``ceil(D / (B*W))``, ``floor`` with ``drop_last``."""
    per_step = run["batch_size"] * (run.get("world_size") or 1)
    if run.get("drop_last"):
        return run["dataset_size"] // per_step
    return -(-run["dataset_size"] // per_step)


def steps_per_epoch(run: dict[str, Any]) -> int | None:
    """``S``: optimizer updates per epoch, given or derived; None when the run does not say."""
    if run.get("steps_per_epoch") is not None:
        return int(run["steps_per_epoch"])
    if run.get("dataset_size") is None:
        return None
    return -(-batches_per_epoch(run) // (run.get("grad_accum") or 1))


def derivation(run: dict[str, Any]) -> str | None:
    """How ``S`` was derived, for the table's footer: ``"98 steps per epoch = ceil(ceil(50000 / (128 x 2)) / 2)"``.

    >>> derivation({"dataset_size": 50_000, "batch_size": 128, "world_size": 2, "grad_accum": 2})
    '98 steps per epoch = ceil(ceil(50000 / (128 x 2)) / 2)'
    >>> derivation({"steps_per_epoch": 500}) is None
    True
    """
    if run.get("dataset_size") is None:
        return None
    world = run.get("world_size") or 1
    accum = run.get("grad_accum") or 1
    divisor = f"({run['batch_size']} x {world})" if world > 1 else str(run["batch_size"])
    batches = f"{'floor' if run.get('drop_last') else 'ceil'}({run['dataset_size']} / {divisor})"
    formula = f"ceil({batches} / {accum})" if accum > 1 else batches
    return f"{steps_per_epoch(run)} steps per epoch = {formula}"


def resolve(policy: Any, bound: dict[str, Any], run: dict[str, Any]) -> None:
    """Fill ``run["interval"]``, ``run["steps_per_epoch"]`` and (from ``--train-epochs``) ``run["epochs"]``.

    The default interval is the policy's own unit: per update for the per-batch
    schedules (cyclic, onecycle, noam, hf, optax, Keras), per epoch otherwise,
    and timm's ``t_in_epochs`` for timm.
    """
    where = policy.where
    _check_derivation(where, run)
    own = policy.unit(bound)
    interval = run.get("interval") or own
    if policy.unit_of is not None and interval != own:  # timm: the scheduler itself knows its unit
        flag = "--t-in-epochs" if interval == "epoch" else "--no-t-in-epochs"
        raise LrplotError(
            f"{where}--interval {interval}: this timm scheduler counts in {own}s "
            f"(t_in_epochs={bound.get('t_in_epochs', True)}); add {flag} to step it per {interval}"
        )
    run["interval"] = interval
    run["steps_per_epoch"] = steps_per_epoch(run)
    train_epochs = run.get("train_epochs")
    if train_epochs is None:
        return
    if run.get("epochs") is not None:
        raise LrplotError(
            f"{where}--train-epochs {train_epochs:g} and -n {run['epochs']} both set the run length; give one "
            "(-n counts scheduler steps, --train-epochs epochs)"
        )
    run["epochs"] = rows_for(train_epochs, interval, run["steps_per_epoch"], where)


def rows_for(train_epochs: float, interval: str, steps: int | None, where: str = "") -> int:
    """Scheduler steps in ``train_epochs`` epochs: ``E`` per epoch, ``ceil(E * S)`` per update (as the Trainer).

    >>> rows_for(3, "epoch", None), rows_for(3, "step", 469), rows_for(0.5, "step", 469)
    (3, 1407, 235)
    """
    if interval == "epoch":
        if train_epochs != int(train_epochs):
            raise LrplotError(
                f"{where}--train-epochs {train_epochs:g}: stepped per epoch, the run needs a whole number of epochs"
            )
        return int(train_epochs)
    if steps is None:
        raise LrplotError(
            f"{where}--train-epochs {train_epochs:g}: stepped per step, the run length needs the steps per "
            "epoch; add --steps-per-epoch S or --dataset-size D --batch-size B"
        )
    return max(1, math.ceil(train_epochs * steps))


def _check_derivation(where: str, run: dict[str, Any]) -> None:
    given = [name for name in DERIVING if run.get(name) not in (None, False)]
    if run.get("dataset_size") is None:
        if given:
            options = ", ".join("--" + name.replace("_", "-") for name in given)
            raise LrplotError(f"{where}{options} only count(s) steps with --dataset-size D; add it")
        return
    if run.get("steps_per_epoch") is not None:
        raise LrplotError(
            f"{where}--steps-per-epoch {run['steps_per_epoch']} and --dataset-size {run['dataset_size']} both "
            "give the steps per epoch; give one"
        )
    if run.get("batch_size") is None:
        raise LrplotError(
            f"{where}--dataset-size {run['dataset_size']} needs --batch-size B (examples per device per batch)"
        )
    if batches_per_epoch(run) == 0:
        raise LrplotError(
            f"{where}--dataset-size {run['dataset_size']} is smaller than one batch of "
            f"{run['batch_size'] * (run.get('world_size') or 1)} with --drop-last: no step is ever taken"
        )


def other_unit(interval: str) -> str:
    return "step" if interval == "epoch" else "epoch"


def in_other_unit(row: int, interval: str, steps: int) -> int | float:
    """Row number ``row`` in the other unit: ``step = epoch * S``, or ``epoch = step / S`` (a float).

    >>> in_other_unit(3, "epoch", 500), in_other_unit(750, "step", 500)
    (1500, 1.5)
    """
    return row * steps if interval == "epoch" else row / steps


@dataclass(frozen=True)
class Axis:
    """The x axis several schedules share: its unit, and the other unit on a secondary axis.

    Schedules stepped in different units are aligned on optimizer steps when every
    one knows its steps per epoch: row ``e`` of a per-epoch schedule covers steps
    ``e*S .. (e+1)*S - 1``.  Without ``S`` they are overlaid by row number, as before.
    """

    unit: str  # what x counts: "epoch", "step", or "epoch / step" (mixed units, S unknown)
    other: str | None = None  # the unit of a secondary axis, when S is known
    steps: int | None = None  # S for that secondary axis
    aligned: bool = False  # per-epoch rows were spread over their steps

    def scale(self, series: Any) -> int:
        """Steps per row of ``series`` on this axis: ``S`` for a per-epoch schedule on a step axis, else 1."""
        if self.aligned and series.unit == "epoch":
            return int(series.steps_per_epoch)
        return 1

    def index_columns(self) -> list[str]:
        return [self.unit] if self.other is None else [self.unit, self.other]

    def index_values(self, x: int) -> list[int | float]:
        if self.other is None or self.steps is None:
            return [x]
        return [x, in_other_unit(x, self.unit, self.steps)]


def shared_axis(series_list: Sequence[Any]) -> Axis:
    """The axis for ``series_list``: their unit, or steps when the units differ and every S is known.

    >>> from lrplot import simulate
    >>> a = simulate("cosine --t-max 10 -n 10 --steps-per-epoch 5")
    >>> b = simulate("onecycle --max-lr 0.1 -n 50 --steps-per-epoch 5")
    >>> axis = shared_axis([a, b])
    >>> axis.unit, axis.other, axis.scale(a), axis.scale(b)
    ('step', 'epoch', 5, 1)
    """
    units = sorted({s.unit for s in series_list})
    steps = {s.steps_per_epoch for s in series_list}
    same_steps = steps.pop() if len(steps) == 1 else None
    if len(units) == 1:
        unit = units[0]
        return Axis(unit, other_unit(unit) if same_steps else None, same_steps)
    if all(s.steps_per_epoch for s in series_list):
        return Axis("step", "epoch" if same_steps else None, same_steps, aligned=True)
    return Axis(" / ".join(units))
