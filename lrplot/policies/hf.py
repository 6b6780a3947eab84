"""Hugging Face transformers' schedules: every ``get_scheduler`` type, as ``lrplot hf <type>``.

Each is a torch ``LambdaLR`` whose multiplier is one of the functions in
``transformers/optimization.py`` (transformers 5.x), ported here verbatim so
the numbers are HF's bit for bit, quirks included: the first warmup step
trains at lr 0, ``cosine`` rises again past ``num_training_steps``, and
``polynomial`` and ``cosine_with_min_lr`` read absolute lrs against the
optimizer's ``defaults["lr"]`` (lrplot's first ``--lr``).  They are stepped
once per optimizer update, as the Trainer steps them.  In the formulas ``s``
is the update count, ``W`` = num_warmup_steps and ``T`` = num_training_steps.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import partial
from typing import Any

from ..errors import LrplotError
from ..params import BOOL, FLOAT, INT, Choice, Param, at_least, between, greater_than
from ..registry import policy
from .torch_base import resumed_kwargs
from .torch_basic import LambdaLR
from .torch_plateau import PLATEAU_PARAMS, ReduceLROnPlateau

# -- transformers' multipliers, verbatim ------------------------------------------------------


def _get_constant_lambda(_=None):
    return 1


def _get_constant_schedule_with_warmup_lr_lambda(current_step: int, *, num_warmup_steps: int):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1.0, num_warmup_steps))
    return 1.0


def _get_linear_schedule_with_warmup_lr_lambda(current_step: int, *, num_warmup_steps: int, num_training_steps: int):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    return max(0.0, float(num_training_steps - current_step) / float(max(1, num_training_steps - num_warmup_steps)))


def _get_cosine_schedule_with_warmup_lr_lambda(
    current_step: int, *, num_warmup_steps: int, num_training_steps: int, num_cycles: float, min_lr_rate: float = 0.0
):
    # transformers defines this function twice; this later one, with min_lr_rate, is the one its schedules call
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    progress = float(current_step - num_warmup_steps) / float(max(1, num_training_steps - num_warmup_steps))
    factor = 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress))
    factor = factor * (1 - min_lr_rate) + min_lr_rate
    return max(0, factor)


def _get_cosine_with_hard_restarts_schedule_with_warmup_lr_lambda(
    current_step: int, *, num_warmup_steps: int, num_training_steps: int, num_cycles: int
):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    progress = float(current_step - num_warmup_steps) / float(max(1, num_training_steps - num_warmup_steps))
    if progress >= 1.0:
        return 0.0
    return max(0.0, 0.5 * (1.0 + math.cos(math.pi * ((float(num_cycles) * progress) % 1.0))))


def _get_polynomial_decay_schedule_with_warmup_lr_lambda(
    current_step: int, *, num_warmup_steps: int, num_training_steps: int, lr_end: float, power: float, lr_init: int
):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    elif current_step > num_training_steps:
        return lr_end / lr_init  # as LambdaLR multiplies by lr_init
    else:
        lr_range = lr_init - lr_end
        decay_steps = num_training_steps - num_warmup_steps
        pct_remaining = 1 - (current_step - num_warmup_steps) / decay_steps
        decay = lr_range * pct_remaining**power + lr_end
        return decay / lr_init  # as LambdaLR multiplies by lr_init


def _get_inverse_sqrt_schedule_lr_lambda(current_step: int, *, num_warmup_steps: int, timescale: int | None = None):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    shift = timescale - num_warmup_steps
    decay = 1.0 / math.sqrt((current_step + shift) / timescale)
    return decay


def _get_cosine_with_min_lr_schedule_with_warmup_lr_rate_lambda(
    current_step: int,
    *,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float,
    min_lr_rate: float = 0.0,
    warmup_lr_rate: float | None = None,
):
    current_step = float(current_step)
    num_warmup_steps = float(num_warmup_steps)
    num_training_steps = float(num_training_steps)
    if current_step < num_warmup_steps:
        if warmup_lr_rate is None:
            return (current_step + 1.0) / max(1.0, num_warmup_steps)
        else:
            warmup_lr_rate = float(warmup_lr_rate)
            return warmup_lr_rate + (1.0 - warmup_lr_rate) * (current_step) / (max(1, num_warmup_steps - 1))
    progress = (current_step - num_warmup_steps + 1.0) / (max(1.0, num_training_steps - num_warmup_steps))
    factor = 0.5 * (1.0 + math.cos(math.pi * num_cycles * 2.0 * progress))
    factor = factor * (1 - min_lr_rate) + min_lr_rate
    return max(0, factor)


def _get_wsd_scheduler_lambda(
    current_step: int,
    *,
    num_warmup_steps: int,
    num_stable_steps: int,
    num_decay_steps: int,
    warmup_type: str,
    decay_type: str,
    min_lr_ratio: float,
    num_cycles: float,
):
    if current_step < num_warmup_steps:
        progress = float(current_step) / float(max(1, num_warmup_steps))
        if warmup_type == "linear":
            factor = progress
        elif warmup_type == "cosine":
            factor = 0.5 * (1.0 - math.cos(math.pi * progress))
        elif warmup_type == "1-sqrt":
            factor = 1.0 - math.sqrt(1.0 - progress)
        factor = factor * (1.0 - min_lr_ratio) + min_lr_ratio
        return max(0.0, factor)
    if current_step < num_warmup_steps + num_stable_steps:
        return 1.0
    if current_step < num_warmup_steps + num_stable_steps + num_decay_steps:
        progress = float(current_step - num_warmup_steps - num_stable_steps) / float(max(1, num_decay_steps))
        if decay_type == "linear":
            factor = 1.0 - progress
        elif decay_type == "cosine":
            factor = 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress))
        elif decay_type == "1-sqrt":
            factor = 1.0 - math.sqrt(progress)
        factor = factor * (1.0 - min_lr_ratio) + min_lr_ratio
        return max(0.0, factor)
    return min_lr_ratio


# -- declarations -------------------------------------------------------------------------------

WARMUP = Param(
    "num_warmup_steps", INT, 0, check=at_least(0), help="Updates of linear warmup from lr 0 (the first trains at lr 0)."
)
TRAINING = Param(
    "num_training_steps",
    INT,
    None,
    check=at_least(1),
    display_default="-n",
    help="Updates in the whole run, warmup included (default: the run length -n).",
)
HF_RUN = "transformers counts steps in optimizer updates (after gradient accumulation), and so does lrplot here."
HF_LR = "--lr is the optimizer's lr; absolute lrs (lr_end, min_lr) are read against the first group's, as HF does."


class _HFLambda(LambdaLR):
    """A LambdaLR whose multiplier is built from an HF schedule's keyword arguments."""

    multiplier: Any  # one of the functions above

    @classmethod
    def build(cls, optimizer: Any, bound: dict[str, Any], run: dict[str, Any]) -> Any:
        kwargs = {p.name: bound[p.name] for p in cls.policy.params}
        if "num_training_steps" in kwargs and kwargs["num_training_steps"] is None:
            kwargs["num_training_steps"] = run["epochs"]
        return cls(optimizer, partial(cls.multiplier, **cls.prepare(optimizer, kwargs)), **resumed_kwargs(cls, run))

    @classmethod
    def prepare(cls, optimizer: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The multiplier's keyword arguments, checked as the get_* function checks them."""
        return kwargs


def _per_update(name: str, library_name: str, *, aliases: tuple[str, ...] = (), params: list[Param], notes=()):
    return policy(
        name,
        family="hf",
        library_name=library_name,
        module="transformers.optimization",
        aliases=aliases,
        closed_form=True,
        per_step=True,
        params=params,
        notes=(HF_RUN, *notes),
    )


@_per_update("constant", "get_constant_schedule", params=[])
class HFConstant(_HFLambda):
    """Keeps the lr constant (SchedulerType "constant").

    Formula:
        lr_s = lr

    Example:
        hf constant --lr 0.1
        0-2: 0.1
    """

    multiplier = _get_constant_lambda

    @classmethod
    def build(cls, optimizer: Any, bound: dict[str, Any], run: dict[str, Any]) -> Any:
        return cls(optimizer, _get_constant_lambda, **resumed_kwargs(cls, run))


@_per_update(
    "constant-with-warmup",
    "get_constant_schedule_with_warmup",
    aliases=("constant_with_warmup",),
    params=[WARMUP],
)
class HFConstantWithWarmup(_HFLambda):
    """Warms up linearly from 0 over num_warmup_steps, then keeps the lr constant.

    Formula:
        lr_s = lr * s / W   for s < W
        lr_s = lr           after

    Example:
        hf constant-with-warmup --lr 0.1 --num-warmup-steps 4
        0: 0.0, 1: 0.025, 2: 0.05, 3: 0.07500000000000001, 4-5: 0.1
    """

    multiplier = _get_constant_schedule_with_warmup_lr_lambda


@_per_update("linear", "get_linear_schedule_with_warmup", params=[WARMUP, TRAINING])
class HFLinear(_HFLambda):
    """Warms up linearly from 0, then decays linearly to 0 at num_training_steps (the Trainer's default).

    Formula:
        lr_s = lr * s / W                          for s < W
        lr_s = lr * max(0, (T - s) / (T - W))      after (0 from T on)

    Example:
        hf linear --lr 0.1 --num-warmup-steps 2 --num-training-steps 6
        0: 0.0, 1: 0.05, 2: 0.1, 3: 0.07500000000000001, 5: 0.025, 6-7: 0.0
    """

    multiplier = _get_linear_schedule_with_warmup_lr_lambda


@_per_update(
    "cosine",
    "get_cosine_schedule_with_warmup",
    params=[
        WARMUP,
        TRAINING,
        Param("num_cycles", FLOAT, 0.5, help="Cosine periods over the decay: 0.5 is a half cosine down to 0."),
    ],
    notes=("Past num_training_steps the cosine goes on and the lr rises again, as in HF.",),
)
class HFCosine(_HFLambda):
    """Warms up linearly from 0, then follows a cosine from the lr down to 0 at num_training_steps.

    Formula:
        lr_s = lr * s / W                                         for s < W
        lr_s = lr * max(0, (1 + cos(2 pi * num_cycles * p)) / 2)  after,  p = (s - W) / (T - W)

    Example:
        hf cosine --lr 1 --num-warmup-steps 10 --num-training-steps 100 -n 111
        0: 0.0, 9: 0.9, 10: 1.0, 99: 0.00030458649045211894, 100: 0.0, 110: 0.030153689607045786
    """

    multiplier = _get_cosine_schedule_with_warmup_lr_lambda


@_per_update(
    "cosine-with-restarts",
    "get_cosine_with_hard_restarts_schedule_with_warmup",
    aliases=("cosine_with_restarts",),
    params=[
        WARMUP,
        TRAINING,
        Param(
            "num_cycles",
            FLOAT,
            1.0,
            check=at_least(0),
            help="Hard restarts: the decay is split into this many cosines (1.5 ends half-way down a second one).",
        ),
    ],
)
class HFCosineWithRestarts(_HFLambda):
    """Warms up linearly from 0, then repeats num_cycles equal cosines, restarting at the full lr each time.

    Formula:
        lr_s = lr * s / W                                         for s < W
        lr_s = lr * (1 + cos(pi * ((num_cycles * p) mod 1))) / 2  for p = (s - W) / (T - W) < 1,  else 0

    Example:
        hf cosine-with-restarts --lr 1 --num-training-steps 8 --num-cycles 2
        0: 1.0, 2: 0.5, 4: 1.0, 6: 0.5, 8-9: 0.0
    """

    multiplier = _get_cosine_with_hard_restarts_schedule_with_warmup_lr_lambda


@_per_update(
    "polynomial",
    "get_polynomial_decay_schedule_with_warmup",
    params=[
        WARMUP,
        TRAINING,
        Param("lr_end", FLOAT, 1e-7, check=at_least(0), help="Absolute lr reached at num_training_steps."),
        Param("power", FLOAT, 1.0, check=at_least(0), help="Power of the decay (1 = linear)."),
    ],
    notes=(HF_LR,),
)
class HFPolynomial(_HFLambda):
    """Warms up linearly from 0, then decays polynomially from the lr to the absolute lr_end.

    Formula:
        lr_s = lr * s / W                                          for s < W
        lr_s = (lr - lr_end) * (1 - (s - W) / (T - W)) ** power + lr_end   for W <= s <= T
        lr_s = lr_end                                              after
        (HF computes it as a factor of optimizer.defaults["lr"])

    Example:
        hf polynomial --lr 0.1 --num-training-steps 4 --lr-end 0.02 --power 2
        0: 0.1, 1: 0.065, 2: 0.04, 3: 0.025, 4-5: 0.02
    """

    multiplier = _get_polynomial_decay_schedule_with_warmup_lr_lambda

    @classmethod
    def prepare(cls, optimizer: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        lr_init = optimizer.defaults["lr"]
        if not (lr_init > kwargs["lr_end"]):
            raise LrplotError(f"lr_end ({kwargs['lr_end']}) must be smaller than initial lr ({lr_init})")
        return {**kwargs, "lr_init": lr_init}


@_per_update(
    "inverse-sqrt",
    "get_inverse_sqrt_schedule",
    aliases=("inverse_sqrt",),
    params=[
        WARMUP,
        Param(
            "timescale",
            INT,
            None,
            check=at_least(1),
            display_default="W or 10000",
            help="Pace of the decay: lr / sqrt((s + timescale - W) / timescale) (default: W, or 10000 without warmup).",
        ),
    ],
)
class HFInverseSqrt(_HFLambda):
    """Warms up linearly from 0, then decays as the inverse square root of the step.

    Formula:
        lr_s = lr * s / W                                        for s < W
        lr_s = lr / sqrt((s + timescale - W) / timescale)        after   (= lr * sqrt(W / s) when timescale = W)

    Example:
        hf inverse-sqrt --lr 1 --num-warmup-steps 4
        0: 0.0, 2: 0.5, 4: 1.0, 16: 0.5
    """

    multiplier = _get_inverse_sqrt_schedule_lr_lambda

    @classmethod
    def prepare(cls, optimizer: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        if kwargs["timescale"] is None:
            kwargs = {**kwargs, "timescale": kwargs["num_warmup_steps"] or 10_000}
        return kwargs


MIN_LR = Param("min_lr", FLOAT, None, check=at_least(0), help="Absolute floor of the decay (give this or min_lr_rate).")
MIN_LR_RATE = Param("min_lr_rate", FLOAT, None, check=between(0, 1), help="Floor as a fraction of the lr (or min_lr).")


def _min_lr_rate(optimizer: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    min_lr, min_lr_rate = kwargs.pop("min_lr"), kwargs["min_lr_rate"]
    if min_lr is not None and min_lr_rate is not None:
        raise LrplotError("Only one of min_lr or min_lr_rate should be set")
    elif min_lr is not None:
        kwargs["min_lr_rate"] = min_lr / optimizer.defaults["lr"]
    elif min_lr_rate is None:
        raise LrplotError(
            "One of min_lr or min_lr_rate should be set through the `lr_scheduler_kwargs` (--min-lr or --min-lr-rate)"
        )
    return kwargs


@_per_update(
    "cosine-with-min-lr",
    "get_cosine_with_min_lr_schedule_with_warmup",
    aliases=("cosine_with_min_lr",),
    params=[
        WARMUP,
        TRAINING,
        Param("num_cycles", FLOAT, 0.5, help="Cosine periods over the decay: 0.5 is a half cosine."),
        MIN_LR,
        MIN_LR_RATE,
    ],
    notes=(HF_LR, "Past num_training_steps the cosine goes on and the lr rises again, as in HF."),
)
class HFCosineWithMinLr(_HFLambda):
    """Like cosine, but the decay ends at a floor (min_lr, or min_lr_rate times the lr) instead of 0.

    Formula:
        lr_s = lr * s / W                                    for s < W
        lr_s = lr * max(0, f * (1 - m) + m)                  after,  f = the cosine factor of hf cosine,
        m = min_lr_rate (or min_lr / optimizer.defaults["lr"])

    Example:
        hf cosine-with-min-lr --lr 1 --num-training-steps 10 --min-lr-rate 0.1
        0: 1.0, 5: 0.55, 10: 0.1
    """

    multiplier = _get_cosine_schedule_with_warmup_lr_lambda

    @classmethod
    def prepare(cls, optimizer: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        return _min_lr_rate(optimizer, dict(kwargs))


@_per_update(
    "cosine-warmup-with-min-lr",
    "get_cosine_with_min_lr_schedule_with_warmup_lr_rate",
    aliases=("cosine_warmup_with_min_lr",),
    params=[
        replace(
            WARMUP,
            help="Updates of warmup; unlike the others it starts at lr / W (or warmup_lr_rate x lr) and reaches the lr at W - 1.",
        ),
        TRAINING,
        Param("num_cycles", FLOAT, 0.5, help="Cosine periods over the decay: 0.5 is a half cosine."),
        MIN_LR,
        MIN_LR_RATE,
        Param(
            "warmup_lr_rate",
            FLOAT,
            None,
            check=between(0, 1),
            help="Start the warmup at this fraction of the lr (default: warm up from 1/W).",
        ),
    ],
    notes=(HF_LR,),
)
class HFCosineWarmupWithMinLr(_HFLambda):
    """Cosine to a floor, counted one step earlier: the warmup reaches the full lr at W - 1, the floor at T - 1.

    Formula:
        lr_s = lr * (s + 1) / W                         for s < W   (or r + (1 - r) * s / (W - 1) with warmup_lr_rate r)
        lr_s = lr * max(0, f * (1 - m) + m),  f = (1 + cos(2 pi * num_cycles * (s - W + 1) / (T - W))) / 2

    Example:
        hf cosine-warmup-with-min-lr --lr 1 --num-warmup-steps 10 --num-training-steps 100 --min-lr-rate 0
        0: 0.1, 9: 1.0, 10: 0.9996954135095479, 99: 0.0
    """

    multiplier = _get_cosine_with_min_lr_schedule_with_warmup_lr_rate_lambda

    @classmethod
    def prepare(cls, optimizer: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        return _min_lr_rate(optimizer, dict(kwargs))


SHAPES = Choice(("linear", "cosine", "1-sqrt"))


@_per_update(
    "warmup-stable-decay",
    "get_wsd_schedule",
    aliases=("warmup_stable_decay", "wsd"),
    params=[
        replace(
            WARMUP, help="Updates of warmup, shaped by warmup_type, from min_lr_ratio x lr (not from 0) to the lr."
        ),
        Param("num_decay_steps", INT, check=at_least(0), help="Updates of the final decay."),
        Param(
            "num_training_steps",
            INT,
            None,
            check=at_least(1),
            display_default="-n",
            help="Updates in the run; the stable phase is what warmup and decay leave (default: -n).",
        ),
        Param(
            "num_stable_steps",
            INT,
            None,
            check=at_least(0),
            help="Updates at the full lr; wins over num_training_steps.",
        ),
        Param("warmup_type", SHAPES, "linear", help="Shape of the warmup: linear, cosine or 1-sqrt."),
        Param("decay_type", SHAPES, "cosine", help="Shape of the decay: linear, cosine or 1-sqrt."),
        Param(
            "min_lr_ratio",
            FLOAT,
            0.0,
            check=between(0, 1),
            help="Floor as a fraction of the lr; the warmup starts there too.",
        ),
        Param("num_cycles", FLOAT, 0.5, help="Cosine periods over a cosine decay: 0.5 is a half cosine."),
    ],
)
class HFWarmupStableDecay(_HFLambda):
    """Warmup, a stable phase at the full lr, then a decay to min_lr_ratio (WSD, for LLM pre-training).

    Formula:
        s < W:          m + (1 - m) * warmup(s / W)            warmup: linear q, cosine (1 - cos(pi q)) / 2, 1-sqrt 1 - sqrt(1 - q)
        s < W + S:      1
        s < W + S + D:  m + (1 - m) * decay((s - W - S) / D)   decay: linear 1 - q, cosine (1 + cos(2 pi nc q)) / 2, 1-sqrt 1 - sqrt(q)
        after:          m        (all times the lr; S = T - W - D unless num_stable_steps is given)

    Example:
        hf warmup-stable-decay --lr 1 --num-warmup-steps 2 --num-decay-steps 4 --num-training-steps 10 --decay-type linear
        0: 0.0, 1: 0.5, 2-6: 1.0, 7: 0.75, 9: 0.25, 10-11: 0.0
    """

    multiplier = _get_wsd_scheduler_lambda

    @classmethod
    def build(cls, optimizer: Any, bound: dict[str, Any], run: dict[str, Any]) -> Any:
        kwargs = {p.name: bound[p.name] for p in cls.policy.params}
        training, stable = kwargs.pop("num_training_steps"), kwargs["num_stable_steps"]
        if stable is None:
            training = run["epochs"] if training is None else training
            kwargs["num_stable_steps"] = training - kwargs["num_warmup_steps"] - kwargs["num_decay_steps"]
        return cls(optimizer, partial(_get_wsd_scheduler_lambda, **kwargs), **resumed_kwargs(cls, run))


@policy(
    "reduce-lr-on-plateau",
    family="hf",
    library_name="get_reduce_on_plateau_schedule",
    module="transformers.optimization",
    aliases=("reduce_lr_on_plateau",),
    params=PLATEAU_PARAMS,
    notes=("The Trainer steps it at each evaluation with metric_for_best_model (default: the eval loss).",),
)
class HFReduceOnPlateau(ReduceLROnPlateau):
    """torch's ReduceLROnPlateau, as get_scheduler("reduce_lr_on_plateau") builds it from lr_scheduler_kwargs.

    Formula:
        as lrplot plateau: when the metric has not improved for patience evaluations,
        lr = max(lr * factor, min_lr)

    Example:
        hf reduce-lr-on-plateau --lr 10 --metrics samples/metrics/seed_losses.txt
        0-11: 10.0, 12-22: 1.0
    """


_PLATEAU = {p.name: p for p in PLATEAU_PARAMS}


class _StreamingAverage:
    """transformers' StreamingAverage: the mean of the last window_size metrics."""

    def __init__(self, window_size: int) -> None:
        self.window_size = window_size
        self.values: list[float] = []
        self.sum = 0.0

    def streamavg(self, value: float) -> float:
        self.values.append(value)
        self.sum += value
        if len(self.values) > self.window_size:
            removed = self.values.pop(0)
            self.sum -= removed
        return self.sum / len(self.values)


@policy(
    "greedy",
    family="hf",
    library_name="get_greedy_schedule",
    module="transformers.optimization",
    params=[
        _PLATEAU["metrics"],
        _PLATEAU["metric_column"],
        Param("mode", Choice(("min", "max")), "min", help="min: the metric should fall (a loss); max: it should rise."),
        Param(
            "factor",
            FLOAT,
            0.95,
            check=greater_than(0),
            help="The lr is multiplied by factor on a plateau and divided by it on a streak of improvements (< 1).",
        ),
        Param("patience", INT, 10, check=at_least(0), help="Evaluations of improvement, or of none, before acting."),
        Param("threshold", FLOAT, 1e-6, check=at_least(0), help="Smallest change that counts as an improvement."),
        Param("threshold_mode", Choice(("rel", "abs")), "abs", help="abs (GreedyLR's default) or rel."),
        Param("cooldown", INT, 0, check=at_least(0), help="Evaluations ignored after a decrease."),
        Param(
            "warmup",
            INT,
            0,
            check=at_least(0),
            option="greedy-warmup",
            help="Evaluations ignored after an increase (GreedyLR's warmup; --warmup is lrplot's own).",
        ),
        Param("min_lr", FLOAT, 1e-3, per_group=True, check=at_least(0), help="Lowest lr (repeat: one per group)."),
        Param("max_lr", FLOAT, 1.0, per_group=True, check=at_least(0), help="Highest lr (repeat: one per group)."),
        Param("eps", FLOAT, 1e-8, check=at_least(0), help="A change smaller than eps is skipped."),
        Param("smooth", BOOL, False, help="Judge the running mean of the last window_size metrics."),
        Param("window_size", INT, 50, check=at_least(1), help="Metrics in the running mean of --smooth."),
        Param(
            "reset_start",
            INT,
            500,
            help="Decreases spent with every group at min_lr before everything resets to the initial lrs.",
        ),
    ],
    notes=(
        "The Trainer steps it at each evaluation with metric_for_best_model, as it steps reduce-lr-on-plateau.",
        "Unlike a plateau schedule it also raises the lr: a streak of more than patience improvements divides it "
        "by factor, up to max_lr.",
    ),
)
class HFGreedy(ReduceLROnPlateau):
    """GreedyLR (arXiv 2512.14527): lowers the lr on a plateau and raises it on a streak of improvements.

    Formula:
        good / bad = evaluations in a row that did / did not improve on the best metric
        when good > patience:  lr = min(lr / factor, max_lr)   then warmup evaluations are ignored
        when bad > patience:   lr = max(lr * factor, min_lr)   then cooldown evaluations are ignored
        after reset_start decreases with every group at min_lr: back to the initial lr

    Example:
        hf greedy --lr 0.1 --metrics samples/metrics/val_loss.txt --patience 3
        0-3: 0.1, 4-7: 0.10526315789473685, 37: 0.12923554348998165
    """

    # transformers' GreedyLR, verbatim but for verbose printing and the state dict.
    def __init__(
        self,
        optimizer: Any,
        mode: str = "min",
        factor: float = 0.95,
        patience: int = 10,
        threshold: float = 1e-6,
        threshold_mode: str = "abs",
        cooldown: int = 0,
        warmup: int = 0,
        min_lr: Any = 1e-3,
        max_lr: Any = 1.0,
        eps: float = 1e-8,
        smooth: bool = False,
        window_size: int = 50,
        reset_start: int = 500,
    ) -> None:
        if factor >= 1.0:
            raise LrplotError("Factor should be < 1.0.")
        self.optimizer = optimizer
        self.factor = factor
        self.patience = patience
        self.cooldown = cooldown
        self.warmup = warmup
        self.cooldown_counter = 0
        self.warmup_counter = 0
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode
        self.eps = eps
        self.smooth = smooth
        self.window_size = window_size
        self.reset_start = reset_start
        self.reset_start_original = reset_start
        self.last_epoch = 0
        groups = len(optimizer.param_groups)
        self.min_lrs = self._per_group("min_lr", min_lr, groups)
        self.max_lrs = self._per_group("max_lr", max_lr, groups)
        self._init_lrs = [group["lr"] for group in optimizer.param_groups]
        self._last_lr = self._init_lrs.copy()
        self.best = float("inf") if mode == "min" else float("-inf")
        self.num_bad_epochs = 0
        self.num_good_epochs = 0
        self._streaming_avg = _StreamingAverage(window_size) if smooth else None

    @staticmethod
    def _per_group(name: str, value: Any, groups: int) -> list[float]:
        """One value per group: a list of one (lrplot's scalar form) is spread, as HF spreads a float."""
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if len(values) == 1:
            return values * groups
        if len(values) != groups:
            raise LrplotError(f"expected {groups} {name}s, got {len(values)}")
        return values

    def step(self, metrics: Any, epoch: Any = None) -> None:  # type: ignore[override]
        current = float(metrics)
        if self.smooth and self._streaming_avg is not None:
            current = self._streaming_avg.streamavg(current)
        if epoch is None:
            epoch = self.last_epoch + 1
        self.last_epoch = epoch

        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
            self.num_good_epochs = 0
        elif self.warmup_counter > 0:
            self.warmup_counter -= 1
            self.num_bad_epochs = 0
            self.num_good_epochs = 0
        else:
            if self.is_better(current, self.best):
                self.best = current
                self.num_bad_epochs = 0
                self.num_good_epochs += 1
            else:
                self.num_bad_epochs += 1
                self.num_good_epochs = 0

            if self.num_good_epochs > self.patience:
                self._increase_lr(epoch)
                self.warmup_counter = self.warmup
                self.num_good_epochs = 0
            elif self.num_bad_epochs > self.patience:
                self._reduce_lr(epoch)
                self.cooldown_counter = self.cooldown
                self.num_bad_epochs = 0

        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def is_better(self, current: float, best: float) -> bool:
        if self.mode == "min":
            if self.threshold_mode == "rel":
                return current < best * (1.0 - self.threshold)
            return current < best - self.threshold
        if self.threshold_mode == "rel":
            return current > best * (1.0 + self.threshold)
        return current > best + self.threshold

    def _reduce_lr(self, epoch: int) -> None:
        all_at_min = True
        for i, param_group in enumerate(self.optimizer.param_groups):
            old_lr = float(param_group["lr"])
            new_lr = max(old_lr * self.factor, self.min_lrs[i])
            if old_lr - new_lr > self.eps:
                param_group["lr"] = new_lr
            if param_group["lr"] > self.min_lrs[i]:
                all_at_min = False
        if all_at_min:
            self.reset_start -= 1
            if self.reset_start <= 0:
                self._reset()

    def _increase_lr(self, epoch: int) -> None:
        for i, param_group in enumerate(self.optimizer.param_groups):
            old_lr = float(param_group["lr"])
            new_lr = min(old_lr / self.factor, self.max_lrs[i])
            if new_lr - old_lr > self.eps:
                param_group["lr"] = new_lr
        self.reset_start = self.reset_start_original

    def _reset(self) -> None:
        for i, param_group in enumerate(self.optimizer.param_groups):
            param_group["lr"] = self._init_lrs[i]
        self.best = float("inf") if self.mode == "min" else float("-inf")
        self.num_bad_epochs = 0
        self.num_good_epochs = 0
        self.cooldown_counter = 0
        self.warmup_counter = 0
        self.reset_start = self.reset_start_original
        if self.smooth and self._streaming_avg is not None:
            self._streaming_avg = _StreamingAverage(self.window_size)
