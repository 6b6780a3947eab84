"""Resuming a run from a checkpoint: what the scheduler does after a restart (``--resume-at K``).

The checkpoint is taken at the start of epoch ``K``: after ``K`` scheduler steps of
the uninterrupted loop (see :mod:`lrplot.simulate`), so the optimizer's lr is the lr
of epoch ``K``.  The resumed run shows rows ``K .. N-1``, numbered ``K .. N-1``, as
the training loop sees them after the restart.  How the scheduler comes back is
``--resume-mode``:

``state-dict`` (the default)
    ``optimizer.load_state_dict(ckpt["optimizer"])`` and
    ``scheduler.load_state_dict(ckpt["scheduler"])`` on a scheduler built as usual:
    every counter comes back, so the rows are the uninterrupted run's rows ``K..N-1``,
    bit for bit.  This is what torch recommends, what HF's Trainer does, and the only
    mode where every family resumes exactly.

``last-epoch``
    The optimizer is restored (``load_state_dict``: its groups carry every key the
    scheduler wrote, ``initial_lr`` included), then the scheduler is rebuilt with
    ``last_epoch=K-1``.  Its constructor takes its initial step to epoch ``K``, and
    a chainable ``get_lr()`` applies epoch ``K``'s change to an lr that already has
    it.

``last-epoch-fresh``
    The same constructor call on a *fresh* optimizer whose groups carry
    ``initial_lr`` = ``--lr`` (what one writes to get past torch's "param
    'initial_lr' is not specified" error): the chainable recursion restarts from
    ``--lr`` at epoch ``K``.

Example: StepLR(step_size=3, gamma=0.5) at lr 0.1 for 10 epochs, resumed at K = 6::

    epoch                6       7       8       9
    uninterrupted        0.025   0.025   0.025   0.0125
    state-dict           0.025   0.025   0.025   0.0125     the same rows
    last-epoch           0.0125  0.0125  0.0125  0.00625    epoch 6's decay applied twice
    last-epoch-fresh     0.05    0.05    0.05    0.025      decayed once from --lr 0.1

>>> from lrplot.simulate import simulate
>>> from lrplot.spec import parse_spec
>>> run = "step --step-size 3 --gamma 0.5 --lr 0.1 -n 10 --resume-at 6 --resume-mode "
>>> [simulate(parse_spec(run + mode)).lr_columns[0] for mode in ("state-dict", "last-epoch", "last-epoch-fresh")]
[[0.025, 0.025, 0.025, 0.0125], [0.0125, 0.0125, 0.0125, 0.00625], [0.05, 0.05, 0.05, 0.025]]

What each schedule does when rebuilt with ``last_epoch`` is torch 2.13's own code
(:mod:`lrplot.policies.torch_base`), so its quirks come out as torch has them:
CosineAnnealingLR takes its closed form at the first step, ConstantLR restores its
lr twice when ``K = total_iters``, CosineAnnealingWarmRestarts places epoch ``K`` as
if the periods never grew (``T_cur = K mod T_0``, then a period of ``T_0 * T_mult``:
right only for ``T_mult = 1``), CyclicLR's first resumed row uses the group's
``initial_lr`` as its base (``--lr`` on a fresh optimizer, or in a ChainedScheduler
after another child), and LambdaLR, CyclicLR and OneCycleLR, computed from the
epoch, resume exactly on the restored optimizer.  Per family:

* **torch**: ``last_epoch=K-1`` goes to every constructor that takes it, from the
  top, as resuming training code is written.  ``SequentialLR`` (and lrplot's
  ``--warmup``, a SequentialLR of the warmup and the schedule) takes it, and its
  children are constructed as usual before it; torch then restarts the first
  child at its epoch 0, whatever ``K``.  ``ChainedScheduler`` takes none, so each
  child is built with it, in order.  ``ReduceLROnPlateau`` takes none: it is built
  as usual on the restored optimizer, keeping the restored lr but not its best
  metric, bad-epoch count or cooldown, and is stepped with the metrics from ``K``.
* **hf**: transformers' ``get_*_schedule*`` functions take ``last_epoch`` and build a
  LambdaLR, so they resume like torch's LambdaLR; ``reduce-lr-on-plateau`` and
  ``greedy`` take none and resume like ReduceLROnPlateau (GreedyLR's reset target
  becomes the restored lr).
* **recipes**: ``noam`` and ``inverse-time`` are LambdaLRs and resume like torch;
  ``pix2pix`` is refused: its ``train.py`` never passes ``last_epoch`` but resumes
  with ``--continue_train --epoch_count``, which ``lrplot pix2pix --epoch-count``
  shows.
* **timm, optax, Keras**: refused with the reason.  timm's schedulers take no
  ``last_epoch``: timm's ``train.py`` calls ``scheduler.step(start_epoch)`` on the
  rebuilt scheduler, which gives the uninterrupted rows (its PlateauLRScheduler,
  which timm does not checkpoint, loses its best metric and bad-epoch count);
  optax's and Keras's schedules are functions of the update count the checkpoint
  restores.  ``state-dict`` shows their resumed runs.
* ``--closed-form``: the loop calls ``scheduler.step(epoch)`` before each row, so
  the checkpoint at the start of epoch K holds the state after ``step(K-1)``.
* ``--warmup-overlap`` scales the rows of the first ``--warmup`` epochs, counted
  from the start of the run, resumed or not.

Refused, with one line: ``K`` outside ``1 .. N-1``, and what torch itself cannot
rebuild (OneCycleLR on a fresh optimizer: ``KeyError: 'max_lr'``, because its
constructor writes ``max_lr``, ``min_lr`` and the momentum bounds into the param
groups only when ``last_epoch`` is -1).

A resumed run is shown next to its uninterrupted run, so a run whose uninterrupted
loop fails (OneCycleLR stepped past ``total_steps``) is refused even where torch's
resumed loop would not reach the failing step.

The last-epoch modes step the resumed run (and the ``K`` steps before the
checkpoint) as torch steps them, however long the run; a long run's columns come
back as numpy arrays, as the uninterrupted run's did.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .columns import first_bad, is_array
from .errors import LrplotError
from .optimizer import SimOptimizer
from .params import is_spec
from .policies.torch_base import RESUMED, LRScheduler, build_scheduler, is_arithmetic_failure, prefixed
from .policies.torch_basic import LambdaLR
from .policies.torch_compose import SequentialLR
from .series import Series
from .spec import Spec
from .warmup import warmup_factor

REFUSED = {
    "timm": (
        "timm's schedulers take no last_epoch: timm's train.py rebuilds the scheduler and calls "
        "scheduler.step(start_epoch), so --resume-mode state-dict shows that resume"
    ),
    "timm plateau": (
        "timm's PlateauLRScheduler takes no last_epoch, and timm's train.py does not checkpoint it: it is rebuilt "
        "on the restored optimizer, its best metric and bad-epoch count reset; --resume-mode state-dict shows "
        "the run with the scheduler's state restored"
    ),
    "optax": (
        "optax schedules take no last_epoch: they are functions of the update count, which the restored "
        "optimizer state carries, so --resume-mode state-dict shows that resume"
    ),
    "keras": (
        "Keras schedules take no last_epoch: they are called with optimizer.iterations, which the checkpoint "
        "restores, so --resume-mode state-dict shows that resume"
    ),
    "pix2pix": (
        "pix2pix's train.py never rebuilds its scheduler with last_epoch: it resumes with --continue_train "
        "--epoch_count on a fresh optimizer, which lrplot pix2pix --epoch-count shows "
        "(--resume-mode state-dict shows an uninterrupted resume)"
    ),
}
"""Why a last-epoch mode is refused, by family (or recipe)."""


def resume(series: Series) -> Series:
    """The rows K..N-1 of ``series`` as the run resumed at epoch K = ``--resume-at`` sees them.

    ``series`` is the uninterrupted run; it becomes the result's ``uninterrupted``.
    """
    run = series.run
    start, mode = run["resume_at"], run["resume_mode"]
    policy = series.spec.policy
    epochs = series.epochs
    if not 1 <= start < epochs:
        article = "an" if series.unit[0] in "aeiou" else "a"
        raise LrplotError(
            f"{policy.where}--resume-at {start}: expected {article} {series.unit} below the run's length (-n {epochs})"
        )
    if mode == "state-dict":
        lr = [column[start:] for column in series.lr_columns]
        momentum = None if series.momentum_columns is None else [c[start:] for c in series.momentum_columns]
    else:
        reason = _refusal(series.spec)
        if reason is not None:
            raise LrplotError(f"{policy.where}--resume-mode {mode}: {reason}")
        lr, momentum = _rebuilt(series, start, mode)
        if is_array(series.lr_columns[0]):  # a long run: keep numpy columns, as the uninterrupted run has
            import numpy as np

            lr = [np.array(column, dtype=float) for column in lr]
            momentum = None if momentum is None else [np.array(column, dtype=float) for column in momentum]
    return dataclasses.replace(
        series,
        lr_columns=lr,
        momentum_columns=momentum,
        metrics=None if series.metrics is None else series.metrics[start:],
        first_row=start,
        uninterrupted=series.lr_columns,
    )


def _refusal(spec: Spec) -> str | None:
    """Why ``spec`` (or a schedule inside it) cannot be rebuilt with last_epoch, or None."""
    policy = spec.policy
    if policy.command in REFUSED:  # pix2pix, timm plateau
        return REFUSED[policy.command]
    if policy.family in REFUSED:
        return REFUSED[policy.family]
    for param in policy.params:
        if is_spec(param.kind):
            for child in spec.params.get(param.name) or []:
                reason = _refusal(child)
                if reason is not None:
                    return reason
    return None


def _rebuilt(series: Series, start: int, mode: str) -> tuple[list[list[float]], list[list[float]] | None]:
    """Rows ``start``..N-1 with the scheduler rebuilt with ``last_epoch=start-1`` (mode last-epoch or -fresh)."""
    from .simulate import _has_formula, _with_warmup, step_rows

    spec, run, metrics = series.spec, series.run, series.metrics
    policy = spec.policy
    groups = series.groups
    warmup_prefix = run["warmup"] > 0 and not run["warmup_overlap"]
    lr: list[list[float]] = [[] for _ in range(groups)]
    momentum = None if series.momentum_columns is None else [[] for _ in range(groups)]
    try:
        optimizer = SimOptimizer(list(run["lr"]), list(run["momentum"]))
        if mode == "last-epoch":
            # The uninterrupted run up to the checkpoint, then optimizer.state_dict(): every key of every group.
            before = (
                _with_warmup(spec, optimizer, run, metrics) if warmup_prefix else build_scheduler(spec, optimizer, run)
            )
            step_rows(before, optimizer, run, metrics, range(start), None, None)
            saved = [dict(group) for group in optimizer.param_groups]
            optimizer = SimOptimizer(list(run["lr"]), list(run["momentum"]))
            optimizer.param_groups = saved  # optimizer.load_state_dict(checkpoint["optimizer"])
        else:
            for group in optimizer.param_groups:
                group["initial_lr"] = group["lr"]
        scheduler = _rebuild(spec, optimizer, run, start - 1, warmup_prefix)
        step_rows(scheduler, optimizer, run, metrics, range(start, series.epochs), lr, momentum)
    except LrplotError as error:
        raise prefixed(policy, error) from None
    except KeyError as error:
        if mode != "last-epoch-fresh":
            raise  # the restored optimizer has every key: a bug in lrplot
        raise LrplotError(
            f"{policy.where}--resume-mode {mode}: torch's {_failing_class(error)} fails when rebuilt with "
            f"last_epoch={start - 1} on a fresh optimizer (KeyError: {error}): its constructor writes max_lr, "
            "min_lr and the momentum bounds into the param groups only when last_epoch is -1; "
            "--resume-mode last-epoch restores them from the checkpoint"
        ) from None
    except Exception as error:
        if not is_arithmetic_failure(error):
            raise
        failing = start + len(lr[0])  # the constructor computes epoch K, the step after row e computes e + 1
        raise LrplotError(
            f"{policy.where}{policy.owner} {policy.library_name} fails when stepping to {series.unit} {failing} "
            f"for {spec.call} resumed at {start} with --resume-mode {mode} ({type(error).__name__}: {error})"
        ) from None
    if run["warmup"] > 0 and run["warmup_overlap"]:
        factor = warmup_factor(run["warmup"], run["warmup_shape"], run["warmup_start"])
        for column in lr:
            for t in range(start, min(run["warmup"], series.epochs)):
                column[t - start] = column[t - start] * factor(t)
    allow_negative = not _has_formula(spec)
    for group, column in enumerate(lr):
        bad = first_bad(column, allow_negative=allow_negative)
        if bad is not None:
            where = f" in param group {group}" if groups > 1 else ""
            expected = "a finite real number" if allow_negative else "a finite real number >= 0"
            raise LrplotError(
                f"{policy.where}resumed with --resume-mode {mode}, the schedule gives lr {column[bad]!r}{where} at "
                f"{series.unit} {start + bad}; a learning rate must be {expected}"
            )
    return lr, momentum


def _rebuild(spec: Spec, optimizer: SimOptimizer, run: dict[str, Any], last_epoch: int, warmup_prefix: bool) -> Any:
    """The scheduler constructed with ``last_epoch`` where its torch constructor takes it (see the module doc)."""
    if warmup_prefix:  # SequentialLR([LambdaLR(warmup), schedule], [W], last_epoch), children built as usual
        warm = LambdaLR(optimizer, warmup_factor(run["warmup"], run["warmup_shape"], run["warmup_start"]))
        schedule = build_scheduler(spec, optimizer, {**run, "epochs": max(1, run["epochs"] - run["warmup"])})
        return SequentialLR(optimizer, [warm, schedule], [run["warmup"]], last_epoch=last_epoch)
    return build_scheduler(spec, optimizer, {**run, RESUMED: last_epoch})


def _failing_class(error: BaseException) -> str:
    """The scheduler class whose code raised ``error`` (the innermost one on the traceback)."""
    name = "scheduler"
    trace = error.__traceback__
    while trace is not None:
        owner = trace.tb_frame.f_locals.get("self")
        if isinstance(owner, LRScheduler):
            name = type(owner).__name__
        trace = trace.tb_next
    return name
