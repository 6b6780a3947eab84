"""Lint: check a schedule against the run it is stepped for, one warning line per problem.

Every policy command prints these on stderr (``-q`` silences them), and
``lrplot lint SPEC...`` exits 1 when there is any.  Each line names the
parameter as it is typed, its value, and the value that fixes it:

* **a length shorter than the run**: torch's cosine rises again after T_max,
  HF's ``num_training_steps`` below the run, a decay that reaches lr 0 long
  before the end;
* **a length longer than the run**: the schedule never reaches its end (judged
  from the lr rows: the last one is still more than :data:`UNFINISHED` of the
  way from the end value back to the peak), ``--step-size`` >= the run (never
  decays), milestones past the run (ignored), a warmup that never ends, a
  cyclic cycle longer than the run, a run that stops part-way into a
  warm-restart cycle, a composite's child that never runs;
* **the wrong unit**, when the steps per epoch ``S`` are known: a length that
  fits the run only when read in the other unit ("did you mean 45000?");
* **the lr itself**: 0 at the first row, above the base lr, 0 for the last rows
  (:data:`TRAILING_ROWS`, :data:`TRAILING_FRACTION`), below zero.

>>> from lrplot import simulate
>>> lint(simulate("cosine --t-max 100", epochs=100))
[]
>>> print(*lint(simulate("cosine --t-max 50", epochs=100)))
--t-max 50 is shorter than the run (100 epochs): torch's cosine reaches its minimum at epoch 50 and rises again for the last 49 epochs (up to 0.0999, 100% of its peak 0.1); use --t-max 100 or -n 50

Which parameters are lengths, and of what kind, is data: :data:`HORIZONS`
(one :class:`Horizon` per length parameter of each policy) and
:data:`COMPOSITES` (whose children are checked over the rows each one runs).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .columns import Column, highest, is_array, lowest
from .registry import Policy
from .series import Series

UNFINISHED = 0.05
"""A schedule "never reaches its end" when its last row is still more than 5% of the way from the end value
back to its peak: a cosine whose T_max is 17% longer than the run, a linear decay 5% longer.  A cosine with
T_max = N ends its last row (N - 1) at 0.02%, far inside."""

TRAILING_ROWS = 2
TRAILING_FRACTION = 0.01
"""The last rows at lr 0 are a warning from 2 rows and 1% of the run on: 1 row at 0 is the usual off-by-one
that costs one step (T_max = N - 1, pix2pix's last epoch), and 2 rows of 10,000 are rounding."""

ABOVE = 1e-9
"""Relative tolerance of "above the base lr": onecycle and cyclic land within an ulp of max_lr."""

ZERO = 1e-12
"""``|lr| <= ZERO x peak`` counts as lr 0: LinearLR's end_factor 0 ends at -5e-19, 0.2 ** epoch underflows."""

WRONG_UNIT = 3.0
RIGHT_UNIT = 1.5
"""A length more than 3x off the run as typed, and within 1.5x of it converted to the other unit, reads as
the other unit: T_max 90 in a 45,000-step run of 500 steps per epoch is 90 epochs."""

# Kinds of length (Horizon.kind)
END = "end"  # the schedule reaches its end value at this row, and should where the run ends (T_max)
PERIOD = "period"  # the lr changes every so many rows (step_size): never, when as long as the run
MILESTONES = "milestones"  # rows where the lr changes: those past the run are ignored
WARMUP = "warmup"  # a ramp up to the peak: it should end inside the run
CYCLE = "cycle"  # CyclicLR's up-and-down: it should fit the run
RESTARTS = "restarts"  # warm restarts: the run should end with a cycle

# What an END schedule does after its end (Horizon.after); None: nothing to say when the run is longer
RISES = "rises"  # the cosine goes on, and the lr climbs back up
HOLDS = "holds"  # the lr stays at the end value
FALLS = "falls"  # the line goes on below zero (pix2pix's linear rule)

EndValue = Callable[[dict[str, Any], float, float], float]


@dataclass(frozen=True)
class Horizon:
    """One length parameter of a policy, and how it should sit against the run.

    The schedule reaches its end at row ``value + shift(bound)`` and the run
    fits it best with ``-n value + shift + slack`` rows (T_max = N: the end
    falls just after the last row; HF's cosine-warmup-with-min-lr reaches its
    floor one row earlier, at T - 1).  ``end(bound, lr, first)`` is the lr the
    schedule ends at for a group whose optimizer lr is ``lr`` (``first``: the
    first group's, against which HF reads absolute lrs).  ``when`` says whether
    the parameter matters (a staircase, the chosen lr_policy).
    """

    param: str
    kind: str
    after: str | None = None
    end: EndValue = lambda bound, lr, first: 0.0
    shift: Callable[[dict[str, Any]], float] = lambda bound: 0
    slack: int = 0
    when: Callable[[dict[str, Any]], bool] = lambda bound: True
    multiplier: str | None = None  # RESTARTS: the parameter that lengthens each next cycle
    limit: str | None = None  # RESTARTS: the parameter that caps the number of cycles (timm)
    what: str = "the schedule"  # what messages say ends, rises or changes
    advice: str | None = None  # the fix, when changing the parameter itself is not it


def _timm_prefix(bound: dict[str, Any]) -> int:
    return bound["warmup_t"] if bound.get("warmup_prefix") else 0


def _hf_floor(bound: dict[str, Any], lr: float, first: float) -> float:
    """HF's min-lr cosines end at min_lr_rate x lr, or at min_lr read against the first group's lr."""
    rate = bound["min_lr_rate"] if bound.get("min_lr_rate") is not None else (bound.get("min_lr") or 0.0) / first
    return rate * lr


def _staircase(bound: dict[str, Any]) -> bool:
    return bool(bound.get("staircase"))


def _hf_training(after: str, end: EndValue, *, shift: int = 0) -> Horizon:
    return Horizon("num_training_steps", END, after, end, lambda b: shift, slack=-shift, what="transformers' schedule")


def _optax_transition(end: EndValue) -> Horizon:
    return Horizon("transition_steps", END, HOLDS, end, lambda b: max(0, b.get("transition_begin", 0)))


def _optax_onecycle_end(bound: dict[str, Any], lr: float, first: float) -> float:
    return bound["peak_value"] / (bound["div_factor"] * bound["final_div_factor"])


def _wsd_end(bound: dict[str, Any], lr: float, first: float) -> float:
    return lr * bound["min_lr_ratio"]


HF_WARMUP = Horizon("num_warmup_steps", WARMUP)
TIMM_WARMUP = Horizon("warmup_t", WARMUP)
TIMM_CYCLES = Horizon(
    "t_initial",
    RESTARTS,
    end=lambda b, lr, first: b["lr_min"],
    shift=_timm_prefix,
    multiplier="cycle_mul",
    limit="cycle_limit",
    what="timm's schedule",
)
STAIRCASE = Horizon("decay_steps", PERIOD, when=_staircase, what="the staircase")

HORIZONS: dict[str, tuple[Horizon, ...]] = {
    "cosine": (Horizon("T_max", END, RISES, lambda b, lr, first: b["eta_min"], what="torch's cosine"),),
    "cosine-restarts": (
        Horizon("T_0", RESTARTS, end=lambda b, lr, first: b["eta_min"], multiplier="T_mult", what="torch's cosine"),
    ),
    "step": (Horizon("step_size", PERIOD, what="StepLR"),),
    "multistep": (Horizon("milestones", MILESTONES),),
    "constant": (Horizon("total_iters", END, end=lambda b, lr, first: lr, what="ConstantLR's factor"),),
    "linear": (Horizon("total_iters", END, end=lambda b, lr, first: lr * b["end_factor"], what="LinearLR"),),
    "polynomial": (Horizon("total_iters", END, HOLDS, what="PolynomialLR"),),
    "cyclic": (Horizon("step_size_up", CYCLE),),
    "onecycle": (
        Horizon(
            "total_steps", END, end=lambda b, lr, first: lr / b["div_factor"] / b["final_div_factor"], what="the cycle"
        ),
    ),
    "hf constant-with-warmup": (HF_WARMUP,),
    "hf inverse-sqrt": (HF_WARMUP,),
    "hf linear": (HF_WARMUP, _hf_training(HOLDS, lambda b, lr, first: 0.0)),
    "hf cosine": (HF_WARMUP, _hf_training(RISES, lambda b, lr, first: 0.0)),
    "hf cosine-with-restarts": (HF_WARMUP, _hf_training(HOLDS, lambda b, lr, first: 0.0)),
    "hf polynomial": (HF_WARMUP, _hf_training(HOLDS, lambda b, lr, first: lr * b["lr_end"] / first)),
    "hf cosine-with-min-lr": (HF_WARMUP, _hf_training(RISES, _hf_floor)),
    "hf cosine-warmup-with-min-lr": (HF_WARMUP, _hf_training(RISES, _hf_floor, shift=-1)),
    "hf warmup-stable-decay": (
        HF_WARMUP,
        Horizon(
            "num_stable_steps",
            END,
            HOLDS,
            _wsd_end,
            lambda b: b["num_warmup_steps"] + b["num_decay_steps"],
            when=lambda b: b["num_stable_steps"] is not None,
            what="transformers' schedule",
        ),
        Horizon(
            "num_training_steps",
            END,
            HOLDS,
            _wsd_end,
            when=lambda b: b["num_stable_steps"] is None,
            what="transformers' schedule",
        ),
    ),
    "noam": (Horizon("warmup_steps", WARMUP),),
    "inverse-time": (STAIRCASE,),
    "pix2pix": (
        Horizon(
            "n_epochs_decay",
            END,
            FALLS,
            shift=lambda b: b["n_epochs"] - b["epoch_count"] + (b["step_at"] == "end"),
            slack=1,  # train.py's own run: its last epoch is the one at lr 0
            when=lambda b: b["lr_policy"] == "linear",
            what="the linear decay",
        ),
        Horizon(
            "n_epochs",
            END,
            RISES,
            shift=lambda b: -1 if b["step_at"] == "start" else 0,
            when=lambda b: b["lr_policy"] == "cosine",
            what="the repository's cosine (T_max = n_epochs)",
            advice="use --n-epochs-decay 0: train.py runs n_epochs + n_epochs_decay epochs, its cosine n_epochs",
        ),
        Horizon("lr_decay_iters", PERIOD, when=lambda b: b["lr_policy"] == "step", what="StepLR"),
    ),
    "timm cosine": (TIMM_WARMUP, TIMM_CYCLES),
    "timm tanh": (TIMM_WARMUP, TIMM_CYCLES),
    "timm poly": (TIMM_WARMUP, TIMM_CYCLES),
    "timm step": (TIMM_WARMUP, Horizon("decay_t", PERIOD, shift=_timm_prefix, what="timm's StepLRScheduler")),
    "timm multistep": (TIMM_WARMUP, Horizon("decay_t", MILESTONES, shift=_timm_prefix)),
    "timm plateau": (TIMM_WARMUP,),
    "timm wsd": (TIMM_WARMUP, Horizon("t_initial", END, HOLDS, lambda b, lr, first: b["lr_min"], what="timm's WSD")),
    "optax linear": (_optax_transition(lambda b, lr, first: b["end_value"]),),
    "optax polynomial": (_optax_transition(lambda b, lr, first: b["end_value"]),),
    "optax exponential-decay": (
        Horizon("transition_steps", PERIOD, shift=lambda b: max(0, b["transition_begin"]), when=_staircase),
    ),
    "optax cosine-decay": (Horizon("decay_steps", END, HOLDS, lambda b, lr, first: b["alpha"] * b["init_value"]),),
    "optax warmup-constant": (Horizon("warmup_steps", WARMUP),),
    "optax warmup-cosine-decay": (
        Horizon("warmup_steps", WARMUP),
        Horizon("decay_steps", END, HOLDS, lambda b, lr, first: b["end_value"]),
    ),
    "optax warmup-exponential-decay": (
        Horizon("warmup_steps", WARMUP),
        Horizon(
            "transition_steps",
            PERIOD,
            shift=lambda b: b["warmup_steps"] + max(0, b["transition_begin"]),
            when=_staircase,
        ),
    ),
    "optax piecewise-constant": (Horizon("boundaries_and_scales", MILESTONES),),
    "optax piecewise-interpolate": (Horizon("boundaries_and_scales", MILESTONES),),
    "optax linear-onecycle": (_optax_transition(_optax_onecycle_end),),
    "optax cosine-onecycle": (_optax_transition(_optax_onecycle_end),),
    "keras exponential-decay": (STAIRCASE,),
    "keras inverse-time-decay": (STAIRCASE,),
    "keras piecewise-constant-decay": (Horizon("boundaries", MILESTONES, shift=lambda b: 1),),  # changes at b + 1
    "keras polynomial-decay": (
        Horizon("decay_steps", END, HOLDS, lambda b, lr, first: b["end_learning_rate"], when=lambda b: not b["cycle"]),
    ),
    "keras cosine-decay": (
        Horizon("warmup_steps", WARMUP, when=lambda b: b["warmup_target"] is not None),
        Horizon(
            "decay_steps",
            END,
            HOLDS,
            lambda b, lr, first: b["alpha"] * (b["warmup_target"] or b["initial_learning_rate"]),
            shift=lambda b: b["warmup_steps"] if b["warmup_target"] is not None else 0,
        ),
    ),
    "keras cosine-decay-restarts": (
        Horizon(
            "first_decay_steps",
            RESTARTS,
            end=lambda b, lr, first: b["alpha"] * b["initial_learning_rate"],
            multiplier="t_mul",
            what="Keras's cosine",
        ),
    ),
}
"""The length parameters of each policy (by command); lambda, exponential and the plateaus have none."""


def _sgdr_starts(bound: dict[str, Any]) -> list[int]:
    """optax's sgdr runs each cycle for its decay_steps."""
    starts, total = [], 0
    for child in bound["cosine_kwargs"][:-1]:
        total += child.bound()["decay_steps"]
        starts.append(total)
    return starts


@dataclass(frozen=True)
class Composite:
    """Where a composite keeps its children, and the row where each next child starts (None: all at once)."""

    children: str
    starts: Callable[[dict[str, Any]], list[int]] | None
    milestones: str | None = None  # the parameter that gives the starts


COMPOSITES: dict[str, Composite] = {
    "sequential": Composite("schedulers", lambda b: list(b["milestones"]), "milestones"),
    "optax join": Composite("schedules", lambda b: list(b["boundaries"]), "boundaries"),
    "optax sgdr": Composite("cosine_kwargs", _sgdr_starts),
    "chained": Composite("schedulers", None),
}


# -- the schedule being checked --------------------------------------------------------------------


ZEROS, NEGATIVE = "zeros", "negative"


@dataclass
class _Finding:
    text: str
    explains: str = ""  # ZEROS: the rows at lr 0 at the end of the run; NEGATIVE: a negative lr


@dataclass
class _Schedule:
    """One schedule as the run steps it: the policy itself, or a composite's child over its rows."""

    policy: Policy
    bound: dict[str, Any]
    rows: int  # L: the rows it runs
    default_rows: int  # what a length left to its default is (num_training_steps, total_steps: the run)
    columns: list[Column] | None  # its lr rows, per group; None when not its own (a chained child)
    lrs: list[float]  # the optimizer's lr, per group
    unit: str
    steps: int | None  # S
    first: int = 0  # the series row of its row 0 (after lrplot's --warmup, or a child's milestone)
    where: str = ""  # "--schedule 'cosine --t-max 95': " for a child
    span: str = ""  # "the run (100 epochs)", "its segment (epochs 5-99, 95 epochs)"
    run_fix: Callable[[int], str] | None = None  # "-n 100": the run option for that many series rows
    findings: list[_Finding] = field(default_factory=list)

    def at(self, row: float) -> str:
        """Row ``row`` of this schedule as the series numbers it: ``epoch 95``."""
        return f"{self.unit} {_num(row + self.first)}"

    def fix(self, option: str, rows: float | None = None) -> str:
        """``use --t-max 100 or -n 50``: the parameter's fix, then the run length that fits it instead."""
        text = f"use {option}"
        if self.run_fix is not None and rows is not None and 1 <= rows != self.rows:
            text += f" or {self.run_fix(int(rows) + self.first)}"
        return text

    def add(self, text: str, *, explains: str = "") -> None:
        self.findings.append(_Finding(self.where + text, explains))


def _count(count: float, unit: str) -> str:
    return f"{_num(count)} {unit}{'' if count == 1 else 's'}"


def _num(value: Any) -> str:
    """A number as typed: ``90``, ``0.1``, and ``30`` for timm's float 30.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _lr(value: float) -> str:
    return f"{value:.4g}"


def _flag(policy: Policy, name: str) -> str:
    return policy.param(name).flag


def _text(policy: Policy, name: str, value: Any) -> str:
    """A parameter's value as the command line spells it: ``30,60``, ``100:0.1``, a child's quoted SPEC."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _num(value)
    return policy.param(name).kind.to_text(value)


def _given(schedule: _Schedule, name: str) -> tuple[Any, str]:
    """The value of a length and how to show it: ``(90, "--t-max 90")``; a default says so."""
    value = schedule.bound[name]
    flag = _flag(schedule.policy, name)
    if value is None:  # num_training_steps, total_steps: the run the schedule was built for
        return schedule.default_rows, f"{flag} (default {schedule.default_rows}, the whole run)"
    return value, f"{flag} {_num(value)}"


def _child_where(policy: Policy, name: str, child: Any) -> str:
    return f"{_flag(policy, name)} {_text(policy, name, child)!r}"


def _per_group(values: Any, groups: int) -> list[Any]:
    values = list(values) if isinstance(values, (list, tuple)) else [values]
    return [values[min(g, len(values) - 1)] for g in range(groups)]


# -- columns: lists, or numpy arrays for long runs ---------------------------------------------------


def _peak(column: Column, start: int = 0) -> float:
    part = column[start:]
    if len(part) == 0:
        return 0.0
    return float(abs(part).max()) if is_array(part) else max(abs(v) for v in part)  # type: ignore[union-attr]


def _farthest(column: Column, end: float, start: int = 0) -> float:
    """The largest distance from ``end`` of a row from ``start`` on."""
    part = column[start:]
    if len(part) == 0:
        return 0.0
    return float(abs(part - end).max()) if is_array(part) else max(abs(v - end) for v in part)  # type: ignore[operator]


def _unfinished(schedule: _Schedule, horizon: Horizon, start: int = 0) -> tuple[int, float] | None:
    """``(group, last lr)`` of the first group whose last row is more than UNFINISHED away from the end."""
    if schedule.columns is None:
        return None
    for group, column in enumerate(schedule.columns):
        if len(column) <= start:
            continue
        end = horizon.end(schedule.bound, schedule.lrs[group], schedule.lrs[0])
        distance, last = _farthest(column, end, start), float(column[-1])
        if distance > 0 and abs(last - end) > UNFINISHED * distance:
            return group, last
    return None


def _zeros_at_end(column: Column) -> tuple[int, bool]:
    """How many of the last rows are lr 0 (within ZERO of the peak), and whether all of them exactly."""
    peak = _peak(column)
    if peak == 0:
        return 0, True
    tolerance = ZERO * peak
    if is_array(column):
        import numpy as np

        nonzero = np.flatnonzero(abs(column) > tolerance)  # type: ignore[operator]
        count = len(column) - (int(nonzero[-1]) + 1 if len(nonzero) else 0)
    else:
        count = next((i for i, v in enumerate(reversed(column)) if abs(v) > tolerance), len(column))
    return count, count == 0 or _peak(column, len(column) - count) == 0


def _many(count: int, rows: int) -> bool:
    return count >= TRAILING_ROWS and count >= TRAILING_FRACTION * rows


def _of_peak(schedule: _Schedule, group: int, value: float) -> str:
    """``0.0505, 50% of its peak 0.1``."""
    assert schedule.columns is not None
    peak = _peak(schedule.columns[group])
    share = f", {100 * abs(value) / peak:.0f}% of its peak {_lr(peak)}" if peak else ""
    return f"{_lr(value)}{share}" + (f" in param group {group}" if len(schedule.lrs) > 1 else "")


# -- the wrong unit --------------------------------------------------------------------------------


def _near_run(schedule: _Schedule, value: float) -> int | None:
    """A length meant to match the run, read in the other unit, when only that reading fits.

    Stepped per step, ``--t-max 90`` in 45,000 steps of 500 per epoch is 90
    epochs: 45000 steps; stepped per epoch, ``--t-max 45000`` in 90 epochs
    is 90.  As typed it must be more than :data:`WRONG_UNIT` times off the
    run, converted within :data:`RIGHT_UNIT` of it.

    >>> from lrplot import simulate
    >>> s = _top(simulate("cosine --t-max 90 --train-epochs 90 --steps-per-epoch 500 --interval step"))
    >>> _near_run(s, 90), _near_run(s, 30000)
    (45000, None)
    """
    steps, rows = schedule.steps, schedule.rows
    if not steps or steps < 2 or value <= 0 or rows <= 0:
        return None
    converted = value * steps if schedule.unit == "step" else value / steps
    off, near = max(value / rows, rows / value), max(converted / rows, rows / converted)
    return max(1, round(converted)) if off > WRONG_UNIT and near <= RIGHT_UNIT else None


def _within_an_epoch(schedule: _Schedule, values: Sequence[float]) -> bool:
    """Stepped per step, every value is less than an epoch, and all fit the run read as epochs."""
    steps = schedule.steps
    return (
        schedule.unit == "step"
        and bool(steps)
        and steps >= 2
        and max(values) < steps
        and max(values) * steps <= schedule.rows  # type: ignore[operator]
    )


def _steps_as_epochs(schedule: _Schedule, values: Sequence[float]) -> bool:
    """Stepped per epoch, every value is far past the run (WRONG_UNIT times), and all fit it read as steps."""
    steps, rows = schedule.steps, schedule.rows
    return (
        schedule.unit == "epoch"
        and bool(steps)
        and steps >= 2  # type: ignore[operator]
        and min(values) >= max(steps, WRONG_UNIT * rows)  # type: ignore[type-var]
        and max(values) / steps < rows  # type: ignore[operator]
    )


def _convert(schedule: _Schedule, value: float) -> int:
    steps = schedule.steps or 1
    return int(value * steps) if schedule.unit == "step" else max(1, round(value / steps))


def _did_you_mean(schedule: _Schedule, shown: str, fix: str) -> str:
    """``--t-max 90 with 90 epochs of 500 steps, stepped per step: did you mean --t-max 45000?``"""
    steps = schedule.steps or 1
    epochs = schedule.rows / steps if schedule.unit == "step" else schedule.rows
    return f"{shown} with {_count(epochs, 'epoch')} of {steps} steps, stepped per {schedule.unit}: did you mean {fix}?"


# -- length checks ---------------------------------------------------------------------------------


def check_end(schedule: _Schedule, horizon: Horizon) -> None:
    """A length that should end where the run ends: T_max, num_training_steps, decay_steps, total_iters.

    Shorter: a cosine that rises again warns as soon as one row is past its
    minimum (T_max = N - 1 is fine); a decay that holds its end value warns when
    that value is 0 for many rows (:func:`check_trailing_zeros`'s thresholds),
    and always for HF, whose Trainer sets ``num_training_steps`` to the run.
    Longer: warns when the last row is still more than 5% of the way back to
    the peak ("never reaches its end").

    >>> from lrplot import simulate
    >>> print(*lint(simulate("hf linear --num-training-steps 70", epochs=100)))
    --num-training-steps 70 is shorter than the run (100 steps): transformers' schedule reaches its end at step 70 and the last 30 steps train at lr 0; use --num-training-steps 100 or -n 70
    >>> print(*lint(simulate("cosine --t-max 200", epochs=100)))
    --t-max 200 is longer than the run (100 epochs): torch's cosine never reaches its end; the last epoch trains at 0.05079, 51% of its peak 0.1; use --t-max 100 or -n 200
    """
    value, shown = _given(schedule, horizon.param)
    flag = _flag(schedule.policy, horizon.param)
    end_row = int(value + horizon.shift(schedule.bound))
    best = end_row + horizon.slack  # the run length this value fits
    fix = horizon.advice or schedule.fix(f"{flag} {_num(value + schedule.rows - best)}", best)
    rows = schedule.rows
    if horizon.after is not None and end_row < rows - 1:
        problem, explains = _past_the_end(schedule, horizon, end_row)
        if problem is None:
            return
    elif best > rows:
        left = _unfinished(schedule, horizon)
        if left is None:
            return
        group, last = left
        end = horizon.end(schedule.bound, schedule.lrs[group], schedule.lrs[0])
        problem = f"{horizon.what} never reaches its end; the last {schedule.unit} trains at {_short_of(schedule, group, last, end)}"
        explains = ""
    else:
        return
    converted = _near_run(schedule, value)
    if converted is not None:
        schedule.add(f"{_did_you_mean(schedule, shown, f'{flag} {converted}')} As typed, {problem}.", explains=explains)
    else:
        longer = "shorter" if end_row < rows - 1 else "longer"
        schedule.add(f"{shown} is {longer} than {schedule.span}: {problem}; {fix}", explains=explains)


def _short_of(schedule: _Schedule, group: int, last: float, end: float) -> str:
    """``0.0505, 51% of its peak 0.1`` on the way down; ``0.0442, 44% of its end value 0.1`` on the way up."""
    if end > last and end > 0:
        where = f" in param group {group}" if len(schedule.lrs) > 1 else ""
        return f"{_lr(last)}, {100 * last / end:.0f}% of its end value {_lr(end)}{where}"
    return _of_peak(schedule, group, last)


def _past_the_end(schedule: _Schedule, horizon: Horizon, end_row: int) -> tuple[str | None, str]:
    """What the rows after the end do, and what that explains; None when it is fine (a cooldown above 0)."""
    rows, unit = schedule.rows, schedule.unit
    if horizon.after in (RISES, FALLS):
        then = ""
        if schedule.columns is not None:
            group = max(range(len(schedule.columns)), key=lambda g: _peak(schedule.columns[g]))  # type: ignore[index]
            after = schedule.columns[group][end_row + 1 :]
            far = (highest if horizon.after == RISES else lowest)(after)[0]
            then = f" ({'up' if horizon.after == RISES else 'down'} to {_of_peak(schedule, group, float(far))})"
        if horizon.after == FALLS:
            return (
                f"{horizon.what} reaches 0 at {schedule.at(end_row)} and goes below zero for the last "
                f"{_count(rows - 1 - end_row, unit)}{then}"
            ), NEGATIVE
        return (
            f"{horizon.what} reaches its minimum at {schedule.at(end_row)} and rises again for the last "
            f"{_count(rows - 1 - end_row, unit)}{then}"
        ), ""
    ends = [horizon.end(schedule.bound, lr, schedule.lrs[0]) for lr in schedule.lrs]
    at_zero = all(abs(e) <= ZERO * max(abs(lr) for lr in schedule.lrs) for e in ends)
    tail = rows - end_row
    if not (schedule.policy.family == "hf" or (at_zero and _many(tail, rows))):
        return None, ""  # holding a floor above 0 is a cooldown (timm's): deliberate
    held = "train at lr 0" if at_zero else f"stay at its end value {_lr(ends[0])}"
    problem = f"{horizon.what} reaches its end at {schedule.at(end_row)} and the last {_count(tail, unit)} {held}"
    return problem, ZEROS if at_zero else ""


def check_period(schedule: _Schedule, horizon: Horizon) -> None:
    """A period (StepLR's step_size) as long as the run never changes the lr; one shorter than an epoch,
    stepped per step, was probably meant in epochs.

    >>> from lrplot import simulate
    >>> print(*lint(simulate("step --step-size 100", epochs=90)))
    --step-size 100 is not shorter than the run (90 epochs): StepLR never changes the lr; use --step-size 89 or less
    >>> print(*lint(simulate("step --step-size 30 --train-epochs 90 --steps-per-epoch 500 --interval step")))
    --step-size 30 with 90 epochs of 500 steps, stepped per step: did you mean --step-size 15000? As typed, StepLR changes the lr 1499 times, every 30 steps.
    """
    value, shown = _given(schedule, horizon.param)
    flag = _flag(schedule.policy, horizon.param)
    shift, rows = horizon.shift(schedule.bound), schedule.rows
    if value + shift >= rows:
        problem = f"{horizon.what} never changes the lr"
        if _steps_as_epochs(schedule, [value]):
            schedule.add(
                f"{_did_you_mean(schedule, shown, f'{flag} {_convert(schedule, value)}')} As typed, {problem}."
            )
        elif rows - 1 - shift >= 1:
            schedule.add(
                f"{shown} is not shorter than {schedule.span}: {problem}; use {flag} {_num(rows - 1 - shift)} or less"
            )
    elif _within_an_epoch(schedule, [value]):
        changes = int((rows - 1 - shift) // value)
        schedule.add(
            f"{_did_you_mean(schedule, shown, f'{flag} {_convert(schedule, value)}')} As typed, {horizon.what} "
            f"changes the lr {changes} times, every {_count(value, schedule.unit)}.",
            explains=ZEROS,  # the lr it decays to is the consequence: no second warning about it
        )


def _points(value: Any) -> list[Any]:
    if value is None:  # optax's piecewise schedules without boundaries: nothing to check
        return []
    if isinstance(value, dict):  # optax's boundaries_and_scales
        return sorted(value)
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _keep(value: Any, points: list[Any]) -> Any:
    """``value`` (a list, or optax's dict) with only ``points``; ``points`` may be converted ones."""
    if isinstance(value, dict):
        return dict(zip(points, (value[k] for k in sorted(value))))
    return points


def check_milestones(schedule: _Schedule, horizon: Horizon) -> None:
    """Milestones at or past the end of the run are ignored: name each, and give the list without them.

    >>> from lrplot import simulate
    >>> print(*lint(simulate("multistep --milestones 30,60,90,120", epochs=90)))
    --milestones 30,60,90,120: 90 and 120 are not before the end of the run (90 epochs), so they are ignored; use --milestones 30,60
    """
    value = schedule.bound[horizon.param]
    points = _points(value)
    if not points:
        return
    policy, flag = schedule.policy, _flag(schedule.policy, horizon.param)
    shown = f"{flag} {_text(policy, horizon.param, value)}"
    shift, rows = horizon.shift(schedule.bound), schedule.rows
    ignored = [p for p in points if p + shift >= rows]
    if _within_an_epoch(schedule, points) or (ignored and _steps_as_epochs(schedule, points)):
        # read in the other unit; one that still falls at or past the end would be ignored: leave it out
        inside = [c for c in (_convert(schedule, p) for p in points) if c + shift < rows]
        converted = _keep(value, inside)
        fix = f"{flag} {_text(policy, horizon.param, converted)}"
        problem = (
            "every change comes within the first epoch" if not ignored else "they are all past the run, and ignored"
        )
        schedule.add(f"{_did_you_mean(schedule, shown, fix)} As typed, {problem}.", explains="" if ignored else ZEROS)
        return
    if not ignored:
        return
    kept = [p for p in points if p + shift < rows]
    names = " and ".join(map(_num, ignored)) if len(ignored) <= 2 else ", ".join(map(_num, ignored))
    verb, them = ("is", "it is") if len(ignored) == 1 else ("are", "they are")
    fix = f"use {flag} {_text(policy, horizon.param, _keep(value, kept))}" if kept else f"drop {flag}"
    if not isinstance(value, dict) and len(set(points)) < len(points):
        fix = f"use {flag} {_text(policy, horizon.param, [p for p in value if p + shift < rows])}"
    schedule.add(f"{shown}: {names} {verb} not before the end of {schedule.span}, so {them} ignored; {fix}")


def check_warmup(schedule: _Schedule, horizon: Horizon) -> None:
    """A warmup as long as the run never reaches the peak lr.

    >>> from lrplot import simulate
    >>> print(*check_lengths(simulate("hf cosine --num-warmup-steps 150", epochs=100)))
    --num-warmup-steps 150 is not shorter than the run (100 steps): the warmup never ends, so the lr never reaches its peak; use --num-warmup-steps 10 (a tenth of the run) or less
    """
    value, shown = _given(schedule, horizon.param)
    if not value or value + horizon.shift(schedule.bound) < schedule.rows:
        return
    flag = _flag(schedule.policy, horizon.param)
    problem = "the warmup never ends, so the lr never reaches its peak"
    if _steps_as_epochs(schedule, [value]):
        schedule.add(f"{_did_you_mean(schedule, shown, f'{flag} {_convert(schedule, value)}')} As typed, {problem}.")
        return
    schedule.add(
        f"{shown} is not shorter than {schedule.span}: {problem}; "
        f"use {flag} {max(1, schedule.rows // 10)} (a tenth of the run) or less"
    )


def check_cycle(schedule: _Schedule, horizon: Horizon) -> None:
    """CyclicLR's first cycle (step_size_up + step_size_down) longer than the run never comes back down.

    >>> from lrplot import simulate
    >>> print(*lint(simulate("cyclic --base-lr 0.01 --max-lr 0.1", epochs=1000)))
    --step-size-up 2000: the first cycle (2000 + 2000 steps) is longer than the run (1000 steps), so the lr never comes back down to --base-lr; use --step-size-up 500 or -n 4000
    """
    up, down = schedule.bound["step_size_up"], schedule.bound["step_size_down"]
    cycle, rows = up + (up if down is None else down), schedule.rows
    if cycle <= rows:
        return
    up_flag, down_flag = _flag(schedule.policy, "step_size_up"), _flag(schedule.policy, "step_size_down")
    shown = f"{up_flag} {up}" + ("" if down is None else f" {down_flag} {down}")
    problem = (
        f"the first cycle ({up} + {up if down is None else down} {schedule.unit}s) is longer than {schedule.span}, "
        "so the lr never comes back down to --base-lr"
    )
    if _near_run(schedule, cycle) is not None:
        fix = f"{up_flag} {_convert(schedule, up)}" + (
            "" if down is None else f" {down_flag} {_convert(schedule, down)}"
        )
        schedule.add(f"{_did_you_mean(schedule, shown, fix)} As typed, {problem}.")
        return
    if down is None:
        fix = f"{up_flag} {max(1, rows // 2)}"
    else:
        new_up = max(1, round(up * rows / cycle))
        fix = f"{up_flag} {new_up} {down_flag} {max(1, rows - new_up)}"
    schedule.add(f"{shown}: {problem}; {schedule.fix(fix, cycle)}")


def _cycle_starts(schedule: _Schedule, horizon: Horizon) -> tuple[list[int], bool]:
    """Rows where each cycle starts, up to the first at or past the end of the run; True when the cycles run
    out (timm's cycle_limit) before it."""
    bound = schedule.bound
    multiplier = bound[horizon.multiplier] if horizon.multiplier else 1
    limit = bound[horizon.limit] if horizon.limit and bound[horizon.limit] >= 1 else None
    starts, length = [float(horizon.shift(bound))], float(bound[horizon.param])
    while starts[-1] < schedule.rows and (limit is None or len(starts) <= limit) and len(starts) < 100_000:
        starts.append(starts[-1] + length)
        length *= multiplier
    exhausted = limit is not None and len(starts) == limit + 1 and starts[-1] < schedule.rows
    return [math.ceil(s - 1e-9) for s in starts], exhausted


def check_restarts(schedule: _Schedule, horizon: Horizon) -> None:
    """Warm restarts: the run should end with a cycle, not part-way into one.

    A first cycle longer than the run never ends; a run that stops part-way
    into a later cycle trains its last rows at a high lr again.  The fix names
    the run lengths that end a cycle.  When timm's cycles run out
    (``cycle_limit``) before the run, the lr holds lr_min: an END.

    >>> from lrplot import simulate
    >>> print(*lint(simulate("cosine-restarts --t-0 30", epochs=100)))
    --t-0 30: the run (100 epochs) ends 10 epochs into cycle 4 (epochs 90-119), at 0.07939, 79% of its peak 0.1; use -n 90 or -n 120 to end with a cycle
    """
    starts, exhausted = _cycle_starts(schedule, horizon)
    value, shown = _given(schedule, horizon.param)
    flag, rows = _flag(schedule.policy, horizon.param), schedule.rows
    if exhausted:
        _cycles_run_out(schedule, horizon, starts)
        return
    begin = max((s for s in starts if s <= rows - 1), default=starts[0])
    end = next((s for s in starts if s > rows - 1), rows)
    if end == rows:
        return  # the run ends with a cycle: T_0 = N, or -n 70 with --t-0 10 --t-mult 2
    left = _unfinished(schedule, horizon, begin)
    if left is None:
        return
    group, last = left
    if begin == starts[0]:
        problem = f"its first cycle never ends; the last {schedule.unit} trains at {_of_peak(schedule, group, last)}"
        converted = _near_run(schedule, value)
        if converted is not None:
            schedule.add(f"{_did_you_mean(schedule, shown, f'{flag} {converted}')} As typed, {problem}.")
        else:
            fix = schedule.fix(f"{flag} {_num(rows - starts[0])}", end)
            schedule.add(f"{shown} is longer than {schedule.span}: {problem}; {fix}")
        return
    fix = ""
    if schedule.run_fix is not None:
        fix = f"; use {schedule.run_fix(begin + schedule.first)} or {schedule.run_fix(end + schedule.first)} to end with a cycle"
    schedule.add(
        f"{shown}: {schedule.span} ends {_count(rows - begin, schedule.unit)} into cycle {starts.index(begin) + 1} "
        f"({schedule.unit}s {begin + schedule.first}-{end - 1 + schedule.first}), at {_of_peak(schedule, group, last)}{fix}"
    )


def _cycles_run_out(schedule: _Schedule, horizon: Horizon, starts: list[int]) -> None:
    """timm's last cycle ends before the run: the lr stays at lr_min; at 0 for many rows, that is a warning."""
    end_row, rows, cycles = starts[-1], schedule.rows, len(starts) - 1
    if cycles == 1:  # one cycle (timm's default cycle_limit): an END
        check_end(schedule, Horizon(horizon.param, END, HOLDS, horizon.end, horizon.shift, what=horizon.what))
        return
    problem, explains = _past_the_end(
        schedule, Horizon(horizon.param, END, HOLDS, horizon.end, what=horizon.what), end_row
    )
    if problem is None:
        return
    limit, flag = _flag(schedule.policy, horizon.limit or ""), _flag(schedule.policy, horizon.param)
    shown = f"{_given(schedule, horizon.param)[1]} {limit} {schedule.bound[horizon.limit or '']}"
    multiplier = schedule.bound[horizon.multiplier] if horizon.multiplier else 1
    span = rows - starts[0]
    if multiplier == 1 and span % cycles == 0:
        fix = schedule.fix(f"{flag} {span // cycles}", end_row)
    else:
        fix = f"use {schedule.run_fix(end_row + schedule.first)}" if schedule.run_fix else f"lower {limit}"
    schedule.add(f"{shown}: the last cycle ends before {schedule.span} does; {problem}; {fix}", explains=explains)


CHECKS: dict[str, Callable[[_Schedule, Horizon], None]] = {
    END: check_end,
    PERIOD: check_period,
    MILESTONES: check_milestones,
    WARMUP: check_warmup,
    CYCLE: check_cycle,
    RESTARTS: check_restarts,
}


def check_children(schedule: _Schedule) -> None:
    """Each child of a composite against the rows it runs; a child that starts after the run never runs.

    SequentialLR's and optax's join's children restart their count at their
    milestone and run until the next: ``--schedule "cosine --t-max 95"`` after
    a 5-epoch warmup fits a 100-epoch run.  A length a child leaves to its
    default is the whole run, as the composite builds it, not its segment.
    ChainedScheduler's children all run over the whole run, multiplied
    together, so only their lengths are checked, not their rows.

    >>> from lrplot import simulate
    >>> seq = 'sequential --schedule "linear --total-iters 5" --schedule "cosine --t-max 95" --milestones 5'
    >>> lint(simulate(seq, epochs=100))
    []
    >>> print(*lint(simulate(seq, epochs=200)))
    --schedule 'cosine --t-max 95': --t-max 95 is shorter than its segment (epochs 5-199, 195 epochs): torch's cosine reaches its minimum at epoch 100 and rises again for the last 99 epochs (up to 0.1, 100% of its peak 0.1); use --t-max 195
    """
    composite = COMPOSITES[schedule.policy.command]
    children, rows = schedule.bound[composite.children], schedule.rows
    starts = [0] if composite.starts is None else [0, *composite.starts(schedule.bound)]
    for index, child in enumerate(children):
        where = _child_where(schedule.policy, composite.children, child)
        start = starts[min(index, len(starts) - 1)] if composite.starts is not None else 0
        stop = min(starts[index + 1], rows) if composite.starts is not None and index + 1 < len(starts) else rows
        if start >= rows:
            named = (
                f"{_flag(schedule.policy, composite.milestones)} {start}"
                if composite.milestones
                else f"it starts at {start}"
            )
            run = f" or {schedule.run_fix(start + 1 + schedule.first)}" if schedule.run_fix else ""
            schedule.add(f"{where} never runs: {named} is not before the end of {schedule.span}; drop it{run}")
            continue
        if composite.starts is None:
            columns, span = None, schedule.span
        else:
            columns = None if schedule.columns is None else [c[start:stop] for c in schedule.columns]
            first, last = start + schedule.first, stop - 1 + schedule.first
            span = f"its segment ({schedule.unit}s {first}-{last}, {_count(stop - start, schedule.unit)})"
        inner = _Schedule(
            policy=child.policy,
            bound=child.bound(),
            rows=stop - start,
            default_rows=schedule.default_rows,
            columns=columns,
            lrs=schedule.lrs,
            unit=schedule.unit,
            steps=schedule.steps,
            first=schedule.first + start,
            where=f"{schedule.where}{where}: ",
            span=span,
        )
        _check_lengths(inner)
        schedule.findings.extend(inner.findings)


def _check_lengths(schedule: _Schedule) -> None:
    for horizon in HORIZONS.get(schedule.policy.command, ()):
        if horizon.when(schedule.bound):
            before = len(schedule.findings)
            CHECKS[horizon.kind](schedule, horizon)
            if horizon.kind == WARMUP and len(schedule.findings) > before:
                return  # a warmup that never ends: what comes after it never starts either
    if schedule.policy.command in COMPOSITES:
        check_children(schedule)


def _top(series: Series) -> _Schedule:
    """The series' own schedule: its rows after lrplot's --warmup, which the schedule starts after."""
    run = series.run
    columns = list(series.uninterrupted or series.lr_columns)  # a resumed run: the whole run's rows
    total = len(columns[0])
    warmup = 0 if run.get("warmup_overlap") else min(run.get("warmup") or 0, total)
    rows = total - warmup
    unit = series.unit
    span = f"the {_count(rows, unit)} after --warmup {warmup}" if warmup else f"the run ({_count(rows, unit)})"
    return _Schedule(
        policy=series.spec.policy,
        bound=series.bound,
        rows=rows,
        default_rows=max(1, rows),
        columns=[c[warmup:] for c in columns],
        lrs=[float(v) for v in _per_group(run["lr"], len(columns))],
        unit=unit,
        steps=series.steps_per_epoch,
        first=warmup,
        span=span,
        run_fix=lambda n: _run_length(series, n),
    )


def _run_length(series: Series, rows: int) -> str:
    """The run option that gives ``rows`` rows: ``-n 100``, or ``--train-epochs 90`` when the run was given so."""
    if series.run.get("train_epochs") is not None:
        epochs = rows if series.unit == "epoch" else rows / (series.steps_per_epoch or 1)
        return f"--train-epochs {epochs:g}"
    return f"-n {rows}"


def check_run_warmup(series: Series) -> list[str]:
    """lrplot's own ``--warmup`` as long as the run: the schedule never starts.

    >>> from lrplot import simulate
    >>> print(*check_run_warmup(simulate("cosine --t-max 10 --warmup 20", epochs=20)))
    --warmup 20 is not shorter than the run (20 epochs): the schedule never starts; use --warmup 2 (a tenth of the run) or less
    """
    warmup = series.run.get("warmup") or 0
    total = series.run.get("epochs") or series.epochs
    if not warmup or warmup < total:
        return []
    return [
        f"--warmup {warmup} is not shorter than the run ({_count(total, series.unit)}): the schedule never starts; "
        f"use --warmup {max(1, total // 10)} (a tenth of the run) or less"
    ]


def check_lengths(series: Series) -> list[str]:
    """The length checks alone: lrplot's --warmup, then :data:`HORIZONS` and :data:`COMPOSITES`."""
    return [finding.text for finding in _length_findings(series)]


def _length_findings(series: Series) -> list[_Finding]:
    warnings = check_run_warmup(series)
    if warnings:
        return [_Finding(text) for text in warnings]
    schedule = _top(series)
    _check_lengths(schedule)
    return schedule.findings


# -- the lr itself ---------------------------------------------------------------------------------


def check_first_row(series: Series) -> list[str]:
    """lr 0 at the first row: that batch does not train.  A resumed run (first_row > 0) starts elsewhere.

    HF's warmups start at 0 by design (transformers' ``s / W`` at s = 0); it is
    still a lost step, and the warning says so.

    >>> from lrplot import simulate
    >>> print(*check_first_row(simulate("cosine --t-max 100 --warmup 5", epochs=105)))
    the first epoch trains at lr 0, so its batch does not train: --warmup 5 starts at --warmup-start 0.0; use --warmup-start 0.2 (the factor one epoch later)
    >>> print(*check_first_row(simulate("hf linear --num-warmup-steps 10", epochs=100)))
    the first step trains at lr 0, so its batch does not train: --num-warmup-steps 10 starts transformers' warmup at 0 x lr, by design: 1 of its 10 warmup steps is lost
    """
    if series.first_row:
        return []
    for column in series.lr_columns:
        peak = _peak(column)
        if peak > 0 and abs(float(column[0])) <= ZERO * peak:
            count = _zeros_at_start(column, ZERO * peak)
            rows = f"first {series.unit} trains" if count == 1 else f"first {_count(count, series.unit)} train"
            batches = "its batch does" if count == 1 else "their batches do"
            return [f"the {rows} at lr 0, so {batches} not train: {_zero_start(series)}"]
    return []


def _zeros_at_start(column: Column, tolerance: float) -> int:
    if is_array(column):
        import numpy as np

        nonzero = np.flatnonzero(abs(column) > tolerance)  # type: ignore[operator]
        return int(nonzero[0]) if len(nonzero) else len(column)
    return next((i for i, v in enumerate(column) if abs(v) > tolerance), len(column))


START_VALUES = ("init_value", "initial_learning_rate", "base_lr", "value")
"""Parameters that are the absolute lr of the first row (optax, Keras, CyclicLR)."""


def _zero_start(series: Series) -> str:
    run = series.run
    warmup = run.get("warmup") or 0
    if warmup and not run.get("warmup_start"):
        from .warmup import warmup_factor

        factor = warmup_factor(warmup, run["warmup_shape"], 0.0)(1)
        return (
            f"--warmup {warmup} starts at --warmup-start 0.0; use --warmup-start {factor:.3g} "
            f"(the factor one {series.unit} later)"
        )
    second = float(series.lr_columns[0][1]) if series.epochs > 1 else 0.0
    cause = _zero_start_of(series.spec.policy, series.bound, second, series.unit)
    return cause or f"{series.spec.policy.library_name} starts at 0"


def _zero_start_of(policy: Policy, bound: dict[str, Any], second: float, unit: str) -> str | None:
    """What makes ``policy`` start at lr 0, looking into the first child of a composite (any, chained)."""
    if policy.family == "hf" and bound.get("num_warmup_steps"):
        warmup = bound["num_warmup_steps"]
        return (
            f"--num-warmup-steps {warmup} starts transformers' warmup at 0 x lr, by design: 1 of its {warmup} "
            "warmup steps is lost"
        )
    later = f" (the lr one {unit} later)"
    if policy.family == "timm" and bound.get("warmup_t") and not bound.get("warmup_lr_init"):
        return (
            f"--warmup-t {bound['warmup_t']} starts at --warmup-lr-init 0.0; use --warmup-lr-init {_lr(second)}{later}"
        )
    for name in START_VALUES:
        if name in bound and bound[name] is not None and _per_group(bound[name], 1)[0] == 0:
            flag = _flag(policy, name)
            return f"{flag} 0 starts the schedule at lr 0" + (
                f"; use {flag} {_lr(second)}{later}" if second > 0 else ""
            )
    if policy.library_name == "LambdaLR" and bound.get("lr_lambda"):
        source = _per_group(bound["lr_lambda"], 1)[0].source
        return f"--expr {source!r} is 0 at epoch 0, and LambdaLR multiplies --lr by it"
    composite = COMPOSITES.get(policy.command)
    if composite is not None:
        children = bound[composite.children]
        for child in children if composite.starts is None else children[:1]:
            cause = _zero_start_of(child.policy, child.bound(), second, unit)
            if cause:
                return f"in {_child_where(policy, composite.children, child)}, {cause}"
    return None


def check_above_base(series: Series) -> list[str]:
    """The lr above its base: ``--eta-min`` above ``--lr``, a ``--gamma`` above 1, a formula above 1.

    The base is the optimizer's ``--lr`` for torch-style schedules, and the
    schedule's own peak where it sets the lr itself (:func:`_base`).  timm's
    noise (``--noise-range-t``) lifts the lr on purpose and is not checked.

    >>> from lrplot import simulate
    >>> print(*check_above_base(simulate("exponential --gamma 1.05", epochs=10)))
    the lr rises above its base: 0.1551 at epoch 9, 1.55x --lr 0.1; --gamma 1.05 grows it: use --gamma 1 or less
    >>> print(*check_above_base(simulate("cosine --t-max 10 --eta-min 0.5", epochs=10)))
    the lr rises above its base: 0.4902 at epoch 9, 4.9x --lr 0.1; --eta-min 0.5 is above it: use --eta-min 0.1 or less
    """
    if series.bound.get("noise_range_t") is not None:
        return []
    for group, column in enumerate(series.lr_columns):
        base, name = _base(series, group)
        top, row = highest(column)
        if base > 0 and top > base * (1 + ABOVE):
            where = f" in param group {group}" if series.groups > 1 else ""
            cause = _above_cause(series.spec.policy, series.bound, base) or "check the schedule's parameters"
            return [
                f"the lr rises above its base{where}: {_lr(top)} at {series.unit} {series.first_row + row}, "
                f"{top / base:.3g}x {name}; {cause}"
            ]
    return []


def _base(series: Series, group: int) -> tuple[float, str]:
    """What the lr of ``group`` should stay at or below, and its name: ``(0.1, "--lr 0.1")``.

    The optimizer's lr, or the peak a schedule sets itself (onecycle's and
    cyclic's max_lr, optax's and Keras's values, HF greedy's max_lr); both,
    when lrplot's --warmup or a composite mixes the two.
    """
    lr = float(_per_group(series.run["lr"], series.groups)[group])
    own = _own_peak(series.spec.policy, series.bound, group, series.groups)
    if own is None:
        return lr, f"--lr {_num(lr)}"
    peak, name = own
    scales_lr = series.spec.policy.command in ("sequential", "chained") or series.run.get("warmup")
    if scales_lr and lr > peak:  # other children, or lrplot's warmup, scale --lr itself
        return lr, f"--lr {_num(lr)}"
    return peak, name


LR_VALUES = ("init_value", "peak_value", "end_value", "value", "initial_learning_rate", "warmup_target")


def _own_peak(policy: Policy, bound: dict[str, Any], group: int, groups: int) -> tuple[float, str] | None:
    """The largest lr a schedule sets itself, or None when it scales the optimizer's lr."""
    if policy.family == "torch" and policy.name in ("cyclic", "onecycle"):
        peak = float(_per_group(bound["max_lr"], groups)[group])
        return peak, f"--max-lr {_num(peak)}"
    if policy.command == "hf greedy":
        peak = float(_per_group(bound["max_lr"], groups)[group])
        return peak, f"--max-lr {_num(peak)}"
    if policy.family in ("optax", "keras"):
        return _declared_peak(policy, bound)
    composite = COMPOSITES.get(policy.command)
    if composite is not None:
        peaks = [_own_peak(c.policy, c.bound(), group, groups) for c in bound[composite.children]]
        found = [p for p in peaks if p is not None]
        return max(found, key=lambda pair: pair[0]) if found else None
    return None


def _declared_peak(policy: Policy, bound: dict[str, Any]) -> tuple[float, str]:
    """The largest lr an optax or Keras schedule declares, and its parameter: values, children, piecewise products."""
    found = [
        (float(bound[name]), f"{_flag(policy, name)} {_num(bound[name])}")
        for name in (*LR_VALUES, "end_learning_rate")
        if isinstance(bound.get(name), (int, float)) and name in _names(policy)
    ]
    if isinstance(bound.get("values"), list):
        found += [(float(v), f"{_flag(policy, 'values')} value {_num(v)}") for v in bound["values"]]
    scales = bound.get("boundaries_and_scales")
    if isinstance(scales, dict) and found:
        product = 1.0
        for step in sorted(scales):
            product *= scales[step]
            found.append((found[0][0] * product, f"the value from step {step} on"))
    composite = COMPOSITES.get(policy.command)
    if composite is not None:
        found += [_declared_peak(c.policy, c.bound()) for c in bound[composite.children]]
    return max(found, default=(0.0, "0"), key=lambda pair: pair[0])


GROWTH = ("gamma", "factor", "decay_rate", "cycle_decay", "m_mul")
"""Factors that make the lr grow when above 1."""
FLOORS = ("eta_min", "lr_min", "warmup_lr_init", "min_lr")
"""Absolute lrs that lift the schedule above its base when above it."""


def _above_cause(policy: Policy, bound: dict[str, Any], base: float) -> str | None:
    """The parameter that lifts the lr above its base, and its fix, looking into children."""
    for name in GROWTH:
        value = bound.get(name)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 1 or name not in _names(policy):
            continue
        if policy.name == "noam" or (policy.name == "cyclic" and bound.get("mode") != "exp_range"):
            continue  # Noam's factor is an overall scale; CyclicLR's gamma only acts in exp_range
        if name == "decay_rate" and bound.get("end_value") is not None:
            continue  # optax: end_value caps the growth
        flag = _flag(policy, name)
        return f"{flag} {_num(value)} grows it: use {flag} 1 or less"
    for name in FLOORS:
        value = bound.get(name)
        if (
            isinstance(value, (int, float))
            and value > base
            and policy.command != "hf greedy"
            and name in _names(policy)
        ):
            flag = _flag(policy, name)
            return f"{flag} {_num(value)} is above it: use {flag} {_num(base)} or less"
    if policy.library_name in ("LambdaLR", "MultiplicativeLR") and bound.get("lr_lambda"):
        source = _per_group(bound["lr_lambda"], 1)[0].source
        return f"--expr {source!r} exceeds 1 somewhere, and torch multiplies the lr by it: keep it at most 1"
    composite = COMPOSITES.get(policy.command)
    if composite is not None:
        for child in bound[composite.children]:
            cause = _above_cause(child.policy, child.bound(), base)
            if cause:
                return f"in {_child_where(policy, composite.children, child)}, {cause}"
    return None


def _names(policy: Policy) -> set[str]:
    return {p.name for p in policy.params}


def check_trailing_zeros(series: Series, *, explained: bool = False) -> list[str]:
    """The last rows at lr 0: from :data:`TRAILING_ROWS` rows and :data:`TRAILING_FRACTION` of the run on.

    Left out when a length check already explained them (``explained``).

    >>> from lrplot import simulate
    >>> print(*check_trailing_zeros(simulate("lambda --expr 'max(0, 1 - epoch / 70)'", epochs=100)))
    the last 30 epochs train at lr 0, from epoch 70; use -n 70, or a schedule that reaches 0 only at its last epoch
    """
    if explained:
        return []
    total = series.run.get("epochs") or series.epochs
    for group, column in enumerate(series.lr_columns):
        count, exact = _zeros_at_end(column)
        if count and count < len(column) and _many(count, total):
            start = series.first_row + len(column) - count
            where = f" of param group {group}" if series.groups > 1 else ""
            zero = "0" if exact else f"~0 (below {ZERO:g} x its peak)"
            return [
                f"the last {_count(count, series.unit)}{where} train at lr {zero}, from {series.unit} {start}; "
                f"use {_run_length(series, start)}, or a schedule that reaches 0 only at its last {series.unit}"
            ]
    return []


NEGATIVE_CAUSES = (*LR_VALUES, "alpha", "eta_min", "lr_min", "end_learning_rate", "min_lr", "lr_end", "values")


def check_negative(series: Series) -> list[str]:
    """A negative lr, where SGD steps uphill; rounding noise (-5e-19) is not one.

    torch itself computes one for a chained cosine whose eta_min is above the
    lr the other schedules leave; optax and Keras for a negative value.

    >>> from lrplot import simulate
    >>> print(*check_negative(simulate("optax linear --init-value 0.1 --end-value -0.1 --transition-steps 10", epochs=20)))
    the lr goes below zero (-0.1 at step 10), and SGD would step uphill; --end-value -0.1 is negative: use --end-value 0
    """
    for column in series.lr_columns:
        value, row = lowest(column)
        scale = max(abs(value), abs(highest(column)[0])) or 1.0
        if value < -ZERO * scale:
            cause = _negative_cause(series.spec.policy, series.bound) or f"{series.spec.policy.owner} code computes it"
            return [
                f"the lr goes below zero ({_lr(value)} at {series.unit} {series.first_row + row}), and SGD would "
                f"step uphill; {cause}"
            ]
    return []


def _negative_cause(policy: Policy, bound: dict[str, Any], *, chained: bool = False) -> str | None:
    for name in NEGATIVE_CAUSES:
        if name not in _names(policy):
            continue
        value = bound.get(name)
        values = value if isinstance(value, list) else [value]
        numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        flag = _flag(policy, name)
        if any(v < 0 for v in numbers):
            fixed = [max(0.0, v) for v in numbers] if isinstance(value, list) else 0
            return f"{flag} {_text(policy, name, value)} is negative: use {flag} {_text(policy, name, fixed)}"
        if chained and name == "eta_min" and numbers and numbers[0] > 0:
            return (
                f"chained, its {flag} {_num(value)} is above the lr the other schedules leave, and torch's recursive "
                f"cosine overshoots below zero: use {flag} 0, or sequential"
            )
    composite = COMPOSITES.get(policy.command)
    if composite is not None:
        for child in bound[composite.children]:
            cause = _negative_cause(child.policy, child.bound(), chained=policy.name == "chained")
            if cause:
                return f"in {_child_where(policy, composite.children, child)}, {cause}"
    return None


# -- all of it -------------------------------------------------------------------------------------


def lint(series: Series) -> list[str]:
    """Every problem of ``series`` against its run, one line each, without the ``lrplot: warning:`` prefix.

    >>> from lrplot import simulate
    >>> lint(simulate("step --step-size 30", epochs=90))
    []
    >>> print(*lint(simulate("cosine --t-max 90 --train-epochs 90 --steps-per-epoch 500 --interval step")))
    --t-max 90 with 90 epochs of 500 steps, stepped per step: did you mean --t-max 45000? As typed, torch's cosine reaches its minimum at step 90 and rises again for the last 44909 steps (up to 0.1, 100% of its peak 0.1).
    """
    findings = _length_findings(series)
    return [
        *(finding.text for finding in findings),
        *check_first_row(series),
        *check_above_base(series),
        *check_trailing_zeros(series, explained=any(f.explains == ZEROS for f in findings)),
        *([] if any(f.explains == NEGATIVE for f in findings) else check_negative(series)),
    ]
