"""Stepping a schedule the way a training loop does, and recording what the optimizer sees.

The loop is PyTorch's documentation loop (``build_lr_scheduler_images.py``):

    for epoch in range(N):
        lrs.append(scheduler.get_last_lr())   # row `epoch`: the lr used during that epoch
        ...train one epoch...
        scheduler.step()                      # or scheduler.step(metric) for ReduceLROnPlateau

so row 0 is the initial lr and row ``e`` is what ``get_last_lr()`` returns
before the ``e``-th ``step()``.  Like a training loop, it steps once more
after the last row, so a schedule that cannot take that step (OneCycleLR
past ``total_steps``) fails here as it would in training.  With
``--closed-form`` each row is instead what ``scheduler.step(e)`` sets,
torch's closed-form path.

>>> from lrplot.spec import parse_spec
>>> series = simulate(parse_spec("step --step-size 2 --gamma 0.5 -n 5"))
>>> series.lr_columns[0]
[0.1, 0.1, 0.05, 0.05, 0.025]
"""

from __future__ import annotations

from typing import Any

from . import units
from .columns import first_bad
from .errors import LrplotError
from .metrics import load_metrics
from .optimizer import SimOptimizer
from .options import DEFAULT_EPOCHS, MAX_EPOCHS, RUN_OPTIONS, option_defaults
from .params import Expression, is_spec
from .policies.torch_base import LRScheduler, build_scheduler, is_arithmetic_failure, prefixed
from .policies.torch_basic import LambdaLR
from .policies.torch_compose import SequentialLR
from .registry import FAMILIES
from .series import Series
from .spec import Spec
from .warmup import warmup_factor

EXACT_STEPS = 100_000
"""Runs up to this many steps are stepped like torch, bit for bit; longer ones use vectorized
forms where a policy has one (exact for product forms, within 1e-12 of the peak lr otherwise)."""

MAX_VALUES = 40_000_000
"""Most numbers one run may hold (rows x param groups, momentum included): about 1.3 GB in Python."""


def resolve_run(spec: Spec) -> dict[str, Any]:
    """Run options with defaults applied: ``lr`` and ``momentum`` as lists, ``epochs`` maybe None.

    ``interval`` and ``steps_per_epoch`` are always set (see :mod:`lrplot.units`).
    A recipe defined with its own optimizer lr (Noam's 1.0) or run length
    (pix2pix's n_epochs + n_epochs_decay) supplies those defaults; a warmup
    in front of it (``--warmup N``) adds its N rows to that length.
    """
    run = {**option_defaults(RUN_OPTIONS), **spec.run}
    policy = spec.policy
    if "lr" not in spec.run and policy.default_lr is not None:
        run["lr"] = [policy.default_lr]
    bound = spec.bound()
    units.resolve(policy, bound, run)  # interval, steps per epoch, and -n from --train-epochs
    if run["epochs"] is None and policy.default_epochs is not None and bound.get("metrics") is None:
        # with a metrics file, one row per metric instead
        run["epochs"] = policy.default_epochs(bound) + (0 if run["warmup_overlap"] else run["warmup"])
    return run


def _metrics_for(spec: Spec, bound: dict[str, Any], run: dict[str, Any]) -> list[float] | None:
    if bound.get("metrics") is None:
        return None
    try:
        metrics = load_metrics(bound["metrics"], bound.get("metric_column"))
    except LrplotError as error:
        raise prefixed(spec.policy, error) from None
    if run["epochs"] is None:
        if len(metrics) > MAX_EPOCHS:
            raise LrplotError(
                f"{spec.policy.where}--metrics {bound['metrics']} has {len(metrics):,} values; "
                f"expected at most {MAX_EPOCHS:,} (give -n to use the first ones)"
            )
        run["epochs"] = len(metrics)
    elif run["epochs"] > len(metrics):
        raise LrplotError(
            f"{spec.policy.where}-n {run['epochs']} needs {run['epochs']} metric values, "
            f"but {bound['metrics']} has {len(metrics)}; lower -n or add values"
        )
    return metrics[: run["epochs"]]


def simulate(spec: Spec) -> Series:
    """Step ``spec`` for its run length and return every row (from epoch K when resumed at K)."""
    series = _simulate(spec)
    if series.run.get("resume_at") is not None:
        from .resume import resume

        return resume(series)
    return series


def _simulate(spec: Spec) -> Series:
    """Step ``spec`` for its run length, without interruption, and return every row."""
    policy = spec.policy
    where = policy.where
    bound = spec.bound()
    run = resolve_run(spec)
    metrics = _metrics_for(spec, bound, run)
    if run["epochs"] is None:
        run["epochs"] = DEFAULT_EPOCHS
    own_warmup = FAMILIES[policy.family].own_warmup
    if run["warmup"] and own_warmup:
        raise LrplotError(f"{where}--warmup is lrplot's torch-style warmup (SequentialLR); {own_warmup}")
    if run["closed_form"] and not policy.closed_form:
        raise LrplotError(
            f"{where}--closed-form: {policy.owner} {policy.library_name} has no closed form "
            "(its step(epoch) is not supported or still applies the recursion)"
        )
    epochs: int = run["epochs"]
    groups = len(run["lr"])
    track_momentum = policy.cycles_momentum(bound)
    values = epochs * groups * (2 if track_momentum else 1)
    if values > MAX_VALUES:
        raise LrplotError(
            f"{where}-n {epochs:,} with {groups} param groups is {values:,} values; "
            f"expected at most {MAX_VALUES:,} (fewer rows or groups)"
        )
    optimizer = SimOptimizer(list(run["lr"]), list(run["momentum"]))
    warmup_prefix = run["warmup"] > 0 and not run["warmup_overlap"]
    scheduler = _with_warmup(spec, optimizer, run, metrics) if warmup_prefix else build_scheduler(spec, optimizer, run)

    if epochs > EXACT_STEPS and metrics is None and not warmup_prefix:
        rows = scheduler.vectorized(epochs, run["closed_form"])
        if rows is not None:
            lr_rows, momentum_rows = rows
            _overlap_warmup(lr_rows, run)
            _check_learning_rates(where, lr_rows, allow_negative=not _has_formula(spec))
            return Series(spec, bound, run, lr_rows, momentum_rows if track_momentum else None, metrics)

    lr: list[list[float]] = [[] for _ in range(groups)]
    momentum: list[list[float]] | None = [[] for _ in range(groups)] if track_momentum else None
    try:
        step_rows(scheduler, optimizer, run, metrics, range(epochs), lr, momentum)
    except LrplotError as error:
        # Messages already say when (formulas name the epoch, OneCycleLR the step count).
        raise prefixed(policy, error) from None
    except Exception as error:
        if not is_arithmetic_failure(error):
            raise  # a bug in lrplot, not bad input
        # Closed form fails in step(e) before row e; the chainable path in the step() after row e.
        failing = len(lr[0])
        raise LrplotError(
            f"{where}{policy.owner} {policy.library_name} fails when stepping to {policy.unit(bound)} {failing} "
            f"for {spec.call} "
            f"({type(error).__name__}: {error})"
        ) from None

    _overlap_warmup(lr, run)
    _check_learning_rates(where, lr, allow_negative=not _has_formula(spec))
    return Series(spec=spec, bound=bound, run=run, lr_columns=lr, momentum_columns=momentum, metrics=metrics)


def step_rows(
    scheduler: Any,
    optimizer: SimOptimizer,
    run: dict[str, Any],
    metrics: list[float] | None,
    epochs: range,
    lr: list[list[float]] | None,
    momentum: list[list[float]] | None,
) -> None:
    """The training loop over ``epochs``, appending the rows it reads to ``lr``/``momentum`` (None: just step)."""
    for epoch in epochs:
        if run["closed_form"]:
            scheduler.step(epoch)
        if lr is not None:
            for column, value in zip(lr, scheduler.get_last_lr()):
                column.append(value)
        if momentum is not None:
            for column, group in zip(momentum, optimizer.param_groups):
                column.append(group["momentum"])
        if not run["closed_form"]:
            scheduler.advance(metrics[epoch] if metrics is not None else None)


def _with_warmup(spec: Spec, optimizer: SimOptimizer, run: dict[str, Any], metrics: Any) -> Any:
    """torch's SequentialLR([LambdaLR(warmup factor), schedule], milestones=[warmup]), built in that order."""
    where = spec.policy.where
    if metrics is not None:
        raise LrplotError(
            f"{where}--warmup: torch's SequentialLR cannot hold ReduceLROnPlateau; add --warmup-overlap to scale it instead"
        )
    if run["closed_form"]:
        raise LrplotError(
            f"{where}--closed-form with --warmup: the warmup makes it a SequentialLR, which has no closed form"
        )
    if spec.policy.name in ("sequential", "chained") and spec.policy.family == "torch":
        raise LrplotError(
            f"{where}--warmup cannot go in front of {spec.policy.library_name}: torch's SequentialLR cannot restart "
            "a composite at its milestone; make the warmup the first --schedule, or add --warmup-overlap"
        )
    factor = warmup_factor(run["warmup"], run["warmup_shape"], run["warmup_start"])
    warm = LambdaLR(optimizer, factor)
    # The schedule gets the rows after the warmup: lengths that default to the run (HF's
    # num_training_steps, OneCycleLR's total_steps) default to those rows, not to all of -n.
    schedule = build_scheduler(spec, optimizer, {**run, "epochs": max(1, run["epochs"] - run["warmup"])})
    if not isinstance(schedule, LRScheduler):  # pix2pix's train.py loop, stepping at the start of each epoch
        raise LrplotError(
            f"{where}--warmup: this schedule is stepped by its training loop, not a torch scheduler SequentialLR "
            "can hold; add --warmup-overlap (or, for pix2pix, --step-at end)"
        )
    return SequentialLR(optimizer, [warm, schedule], [run["warmup"]])


def _overlap_warmup(lr: list[Any], run: dict[str, Any]) -> None:
    """--warmup-overlap: scale the first rows of the schedule by the warmup factor, in place."""
    if not (run["warmup"] > 0 and run["warmup_overlap"]):
        return
    factor = warmup_factor(run["warmup"], run["warmup_shape"], run["warmup_start"])
    for column in lr:
        for t in range(min(run["warmup"], len(column))):
            column[t] = column[t] * factor(t)


def _has_formula(spec: Spec) -> bool:
    """True if the user wrote a formula anywhere in ``spec`` (children included)."""
    for param in spec.policy.params:
        value = spec.params.get(param.name)
        if isinstance(param.kind, Expression) and value is not None:
            return True
        if is_spec(param.kind) and value and any(_has_formula(child) for child in value):
            return True
    return False


def _check_learning_rates(where: str, lr: list[Any], *, allow_negative: bool) -> None:
    """Refuse NaN and infinite lrs always, negative ones when a user formula produced them.

    torch's own recursions can round a zero lr to -1e-18 (LinearLR with end_factor=0),
    and a chained cosine can go below zero: that is what torch computes, so it is
    shown (with a warning); a formula going below zero is a mistake in the formula.
    """
    for group, column in enumerate(lr):
        epoch = first_bad(column, allow_negative=allow_negative)
        if epoch is None:
            continue
        group_text = f" in param group {group}" if len(lr) > 1 else ""
        expected = "a finite real number" if allow_negative else "a finite real number >= 0"
        value = column[epoch]
        shown = repr(value) if isinstance(value, complex) else repr(float(value))
        raise LrplotError(
            f"{where}the schedule gives lr {shown}{group_text} at epoch {epoch}; a learning rate must be {expected}"
        )
