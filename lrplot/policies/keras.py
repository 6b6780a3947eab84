"""Keras 3's schedules (``keras.optimizers.schedules``), as ``lrplot keras <name>``.

A Keras schedule is called with ``optimizer.iterations``, the number of
updates already applied, and returns the lr itself (``--lr`` plays no
part).  The ``__call__`` bodies below are Keras 3's
``learning_rate_schedule.py`` with ``keras.ops`` replaced by numpy, in the
same order.  Keras computes in its float type (float32 by default); lrplot
computes in float64, which is what Keras gives with ``floatx`` float64 --
with one quirk kept: ``keras.ops.floor`` returns float32 whatever its input
(see ``keras_floor``), so stairs and restarts land where Keras puts them.

Conventions that differ from the other libraries: ``PiecewiseConstantDecay``
changes value one step *after* each boundary and takes absolute values;
``CosineDecay``'s ``decay_steps`` does not include its warmup;
``CosineDecayRestarts`` doubles each period by default (``t_mul=2``).
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import LrplotError
from ..params import BOOL, FLOAT, FLOAT_LIST, INT, INT_LIST, Param
from ..registry import policy
from .step_functions import Schedule, StepFunction, numpy

KERAS_RUN = (
    "Keras calls the schedule with optimizer.iterations: row t is the lr of the (t+1)-th update; --lr has no effect."
)


def _positive_decay_steps(name: str, value: int) -> None:
    if value <= 0:
        raise LrplotError(f"Argument `{name}` must be > 0. Received: {name}={value}")


def keras_floor(x: Any) -> Any:
    """``keras.ops.floor``: rounds to float32 *before* the floor, even under floatx float64.

    Keras promotes the input with ``result_type(dtype, float)``, which is float32, so a quotient
    one float64 ulp below an integer counts as the integer: ``log(0.81) / log(0.9)`` is
    1.9999999999999998 and Keras's floor of it is 2.0 (the 3rd restart at step 19 with
    ``first_decay_steps=10, t_mul=0.9``), where ``numpy.floor`` gives 1.0.
    """
    np = numpy()
    return np.floor(np.asarray(x, dtype=np.float32)).astype(np.float64)


def _periods(step: Any, bound: dict[str, Any]) -> Any:
    """``p = step / decay_steps``, floored (Keras's float32 floor) with ``staircase``: Exponential/InverseTimeDecay."""
    np = numpy()
    p = step.astype(np.float64) / float(bound["decay_steps"])
    return keras_floor(p) if bound["staircase"] else p


class _Keras(StepFunction):
    """A Keras LearningRateSchedule: ``schedule(bound)`` returns its ``__call__`` over numpy step arrays."""


def _keras(name: str, library_name: str, params: list[Param], notes: tuple[str, ...] = ()) -> Any:
    return policy(
        name,
        family="keras",
        library_name=library_name,
        module="keras.optimizers.schedules",
        aliases=(name.replace("-", "_"),),
        per_step=True,
        replaces_lr=True,
        params=params,
        notes=(KERAS_RUN, *notes),
    )


INITIAL = Param("initial_learning_rate", FLOAT, help="The lr at step 0.")
DECAY_STEPS = Param("decay_steps", INT, help="Steps per decay period (> 0).")
DECAY_RATE = Param("decay_rate", FLOAT, help="Decay rate.")
STAIRCASE = Param("staircase", BOOL, False, help="Decay in whole periods (floor of step / decay_steps).")


@_keras("exponential-decay", "ExponentialDecay", params=[INITIAL, DECAY_STEPS, DECAY_RATE, STAIRCASE])
class KerasExponentialDecay(_Keras):
    """Multiplies the initial lr by decay_rate every decay_steps, smoothly or in stairs.

    Formula:
        p = t / decay_steps        (floor(p) with staircase)
        lr_t = initial_learning_rate * decay_rate ** p

    Example:
        keras exponential-decay --initial-learning-rate 1 --decay-steps 2 --decay-rate 0.5
        0: 1.0, 1: 0.7071067811865476, 2: 0.5, 4: 0.25
    """

    @classmethod
    def schedule(cls, bound: dict[str, Any]) -> Schedule:
        np = numpy()
        _positive_decay_steps("decay_steps", bound["decay_steps"])
        initial_learning_rate = bound["initial_learning_rate"]
        decay_rate = bound["decay_rate"]

        def schedule(step: Any) -> Any:
            return initial_learning_rate * np.power(decay_rate, _periods(step, bound))

        return schedule


@_keras(
    "piecewise-constant-decay",
    "PiecewiseConstantDecay",
    params=[
        Param("boundaries", INT_LIST, help="Steps that end each piece: the new value starts one step AFTER each."),
        Param("values", FLOAT_LIST, help="The lr of each piece (absolute): one more than the boundaries."),
    ],
    notes=(
        "A boundary step still belongs to the piece before it: the value changes at b + 1 (optax and torch: at b).",
    ),
)
class KerasPiecewiseConstantDecay(_Keras):
    """Absolute values per piece of steps; each boundary step still belongs to the piece before it.

    Formula:
        lr_t = values[0]    for t <= b_0
        lr_t = values[i]    for b_(i-1) < t <= b_i
        lr_t = values[-1]   for t > b_last

    Example:
        keras piecewise-constant-decay --boundaries 2,4 --values 1,0.5,0.1
        0-2: 1.0, 3-4: 0.5, 5: 0.1
    """

    @classmethod
    def schedule(cls, bound: dict[str, Any]) -> Schedule:
        np = numpy()
        boundaries, values = bound["boundaries"], bound["values"]
        if len(boundaries) != len(values) - 1:
            raise LrplotError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, "
                f"and values={values} of length {len(values)}."
            )
        if not boundaries:  # Keras indexes boundaries[0] and fails with an IndexError
            raise LrplotError("--boundaries: expected at least one boundary (Keras fails on an empty list)")

        def schedule(step: Any) -> Any:
            result_value = np.zeros(step.shape)
            result_value += (step <= boundaries[0]) * values[0]
            result_value += (step > boundaries[-1]) * values[-1]
            for low, high, value in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
                result_value += ((step > low) & (step <= high)) * value
            return result_value

        return schedule


@_keras(
    "polynomial-decay",
    "PolynomialDecay",
    params=[
        INITIAL,
        DECAY_STEPS,
        Param("end_learning_rate", FLOAT, 0.0001, help="The lr at decay_steps (absolute)."),
        Param("power", FLOAT, 1.0, help="Power of the decay."),
        Param(
            "cycle",
            BOOL,
            False,
            help="After decay_steps, stretch the horizon to the next multiple of decay_steps and decay again.",
        ),
    ],
    notes=(
        "With --cycle each new cycle restarts well below the initial lr: the horizon grows, the lr does not reset.",
    ),
)
class KerasPolynomialDecay(_Keras):
    """Polynomial decay from the initial lr to end_learning_rate over decay_steps, optionally cycling.

    Formula:
        D' = decay_steps * ceil(t / decay_steps) with cycle (decay_steps at t = 0), else t' = min(t, decay_steps)
        lr_t = (initial - end) * (1 - t' / D') ** power + end

    Example:
        keras polynomial-decay --initial-learning-rate 1 --decay-steps 4 --end-learning-rate 0 --power 2
        0: 1.0, 1: 0.5625, 2: 0.25, 3: 0.0625, 4-5: 0.0
    """

    @classmethod
    def schedule(cls, bound: dict[str, Any]) -> Schedule:
        np = numpy()
        _positive_decay_steps("decay_steps", bound["decay_steps"])
        initial_learning_rate = bound["initial_learning_rate"]
        end_learning_rate = bound["end_learning_rate"]
        power = bound["power"]
        decay_steps = bound["decay_steps"]

        def schedule(step: Any) -> Any:
            global_step_recomp = step.astype(np.float64)
            decay_steps_recomp = float(decay_steps)
            if bound["cycle"]:
                multiplier = np.where(global_step_recomp == 0, 1.0, np.ceil(global_step_recomp / decay_steps))
                decay_steps_recomp = decay_steps_recomp * multiplier
            else:
                global_step_recomp = np.minimum(global_step_recomp, decay_steps_recomp)
            p = global_step_recomp / decay_steps_recomp
            return (initial_learning_rate - end_learning_rate) * np.power(1 - p, power) + end_learning_rate

        return schedule


@_keras("inverse-time-decay", "InverseTimeDecay", params=[INITIAL, DECAY_STEPS, DECAY_RATE, STAIRCASE])
class KerasInverseTimeDecay(_Keras):
    """Divides the initial lr by 1 + decay_rate * t / decay_steps.

    Formula:
        p = t / decay_steps        (floor(p) with staircase)
        lr_t = initial_learning_rate / (1 + decay_rate * p)

    Example:
        keras inverse-time-decay --initial-learning-rate 1 --decay-steps 2 --decay-rate 1
        0: 1.0, 2: 0.5, 4: 0.3333333333333333
    """

    @classmethod
    def schedule(cls, bound: dict[str, Any]) -> Schedule:
        _positive_decay_steps("decay_steps", bound["decay_steps"])
        initial_learning_rate = bound["initial_learning_rate"]
        decay_rate = bound["decay_rate"]

        def schedule(step: Any) -> Any:
            denom = 1.0 + decay_rate * _periods(step, bound)
            return initial_learning_rate / denom

        return schedule


@_keras(
    "cosine-decay",
    "CosineDecay",
    params=[
        INITIAL,
        Param("decay_steps", INT, help="Steps of the cosine decay (> 0), AFTER the warmup."),
        Param("alpha", FLOAT, 0.0, help="Final lr as a fraction of the decay's starting lr."),
        Param(
            "warmup_target",
            FLOAT,
            None,
            help="Warm up from initial_learning_rate to this lr first; without it warmup_steps is ignored.",
        ),
        Param("warmup_steps", INT, 0, help="Steps of linear warmup (only with --warmup-target)."),
    ],
    notes=("decay_steps excludes the warmup (total = warmup_steps + decay_steps), unlike optax and HF.",),
)
class KerasCosineDecay(_Keras):
    """Half a cosine from the initial lr (or, after a linear warmup, from warmup_target) to alpha of it.

    Formula:
        no warmup_target:  c = min(t, D);  lr_t = I * ((1 - alpha) * (1 + cos(pi * c / D)) / 2 + alpha)
        warmup_target P:   c = min(t, W + D)
                           lr_t = I + (P - I) * c / W                                  for c < W
                           lr_t = P * ((1 - alpha) * (1 + cos(pi * (c - W) / D)) / 2 + alpha)   after

    Example:
        keras cosine-decay --initial-learning-rate 0 --warmup-target 1 --warmup-steps 10 --decay-steps 90 -n 101
        0: 0.0, 9: 0.9, 10: 1.0, 50: 0.5868240888334653, 100: 0.0
    """

    @classmethod
    def schedule(cls, bound: dict[str, Any]) -> Schedule:
        np = numpy()
        _positive_decay_steps("decay_steps", bound["decay_steps"])
        initial_learning_rate = bound["initial_learning_rate"]
        alpha = bound["alpha"]
        decay_steps = float(bound["decay_steps"])

        def decay_function(step: Any, decay_steps: float, decay_from_lr: float) -> Any:
            completed_fraction = step / decay_steps
            cosine_decayed = 0.5 * (1.0 + np.cos(math.pi * completed_fraction))
            decayed = (1 - alpha) * cosine_decayed + alpha
            return decay_from_lr * decayed

        def warmup_function(step: Any, warmup_steps: float, warmup_target: float, initial: float) -> Any:
            completed_fraction = step / warmup_steps
            total_step_delta = warmup_target - initial
            return total_step_delta * completed_fraction + initial

        def schedule(step: Any) -> Any:
            global_step_recomp = step.astype(np.float64)
            if bound["warmup_target"] is None:
                global_step_recomp = np.minimum(global_step_recomp, decay_steps)
                return decay_function(global_step_recomp, decay_steps, initial_learning_rate)
            warmup_target = bound["warmup_target"]
            warmup_steps = float(bound["warmup_steps"])
            global_step_recomp = np.minimum(global_step_recomp, decay_steps + warmup_steps)
            return np.where(  # Keras's ops.cond, for every step at once
                global_step_recomp < warmup_steps,
                warmup_function(global_step_recomp, warmup_steps, warmup_target, initial_learning_rate),
                decay_function(global_step_recomp - warmup_steps, decay_steps, warmup_target),
            )

        return schedule


@_keras(
    "cosine-decay-restarts",
    "CosineDecayRestarts",
    params=[
        INITIAL,
        Param("first_decay_steps", INT, help="Length of the first cosine period (> 0)."),
        Param("t_mul", FLOAT, 2.0, help="Each period is t_mul times longer (Keras's default 2; torch's T_mult is 1)."),
        Param("m_mul", FLOAT, 1.0, help="Each period starts at m_mul times the previous peak."),
        Param("alpha", FLOAT, 0.0, help="Floor of every period as a fraction of initial_learning_rate."),
    ],
)
class KerasCosineDecayRestarts(_Keras):
    """Cosine periods that restart at the top (SGDR); each is t_mul times longer and m_mul times lower.

    Formula:
        f = t / D0;  i = floor(f), f = f - i                           when t_mul == 1
                     i = floor(log(1 - f * (1 - t_mul)) / log(t_mul)),  f = (f - (1 - t_mul^i) / (1 - t_mul)) / t_mul^i
        lr_t = I * ((1 - alpha) * m_mul^i * (1 + cos(pi * f)) / 2 + alpha)

    Example:
        keras cosine-decay-restarts --initial-learning-rate 1 --first-decay-steps 2
        0: 1.0, 1: 0.5, 2: 1.0, 4: 0.5, 6: 1.0
    """

    @classmethod
    def schedule(cls, bound: dict[str, Any]) -> Schedule:
        np = numpy()
        _positive_decay_steps("first_decay_steps", bound["first_decay_steps"])
        initial_learning_rate = bound["initial_learning_rate"]
        first_decay_steps = float(bound["first_decay_steps"])
        alpha, t_mul, m_mul = bound["alpha"], bound["t_mul"], bound["m_mul"]

        def schedule(step: Any) -> Any:
            completed_fraction = step.astype(np.float64) / first_decay_steps
            if t_mul == 1.0:
                i_restart = keras_floor(completed_fraction)
                completed_fraction = completed_fraction - i_restart
            else:
                i_restart = keras_floor(np.log(1.0 - completed_fraction * (1.0 - t_mul)) / np.log(t_mul))
                sum_r = (1.0 - np.power(t_mul, i_restart)) / (1.0 - t_mul)
                completed_fraction = (completed_fraction - sum_r) / np.power(t_mul, i_restart)
            m_fac = np.power(m_mul, i_restart)
            cosine_decayed = 0.5 * m_fac * (1.0 + np.cos(math.pi * completed_fraction))
            decayed = (1 - alpha) * cosine_decayed + alpha
            return initial_learning_rate * decayed

        return schedule
