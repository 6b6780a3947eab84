"""optax's schedules (``optax.schedules``, optax 0.2), as ``lrplot optax <name>``.

An optax schedule is a function of ``count``, the number of updates already
applied, and returns the lr itself (``--lr`` plays no part).  The functions
below are optax's ``_schedule.py`` and ``_join.py`` with ``jnp`` replaced by
numpy, kept line for line so they can be read side by side with optax's
source; only ``piecewise_interpolate_schedule`` lines the counts up as a
column against its knots, where optax evaluates one count at a time.  optax
computes in float32 unless JAX runs in x64 mode; lrplot computes in float64,
which is what optax gives in x64 mode.

Quirks worth knowing, all optax's own: ``transition_steps <= 0`` turns
``linear``/``polynomial``/``exponential-decay`` (and so the warmup of
``warmup-constant``) into a constant ``init_value``; ``decay_steps`` of
``warmup-cosine-decay`` *includes* the warmup; ``piecewise-constant``
applies a scale at the boundary step itself; ``cosine-onecycle`` reaches its
final value at ``transition_steps``, one step after a torch OneCycleLR of
the same length.
"""

from __future__ import annotations

from typing import Any

from ..errors import LrplotError
from ..params import BOOL, BOUNDARY_SCALES, FLOAT, INT, INT_LIST, Choice, Param, SpecKind
from ..registry import policy
from .step_functions import Schedule, StepFunction, numpy

# -- optax's schedules, ported from jnp to numpy ---------------------------------------------------


def constant_schedule(value: float) -> Schedule:
    return lambda count: value


def polynomial_schedule(
    init_value: float, end_value: float, power: float, transition_steps: int, transition_begin: int = 0
) -> Schedule:
    np = numpy()
    if transition_steps <= 0:
        return lambda count: init_value  # optax logs that the schedule is constant
    if transition_begin < 0:
        transition_begin = 0  # optax logs the fallback to 0

    def schedule(count: Any) -> Any:
        count = np.clip(count - transition_begin, 0, transition_steps)
        frac = 1 - count / transition_steps
        return (init_value - end_value) * (frac**power) + end_value

    return schedule


def linear_schedule(init_value: float, end_value: float, transition_steps: int, transition_begin: int = 0) -> Schedule:
    return polynomial_schedule(
        init_value=init_value,
        end_value=end_value,
        power=1,
        transition_steps=transition_steps,
        transition_begin=transition_begin,
    )


def piecewise_constant_schedule(init_value: float, boundaries_and_scales: dict[int, float] | None = None) -> Schedule:
    np = numpy()
    if boundaries_and_scales is not None:
        all_positive = all(scale >= 0.0 for scale in boundaries_and_scales.values())
        if not all_positive:
            raise LrplotError("`piecewise_constant_schedule` expects non-negative scale factors")

    def schedule(count: Any) -> Any:
        v = init_value
        if boundaries_and_scales is not None:
            for threshold, scale in sorted(boundaries_and_scales.items()):
                indicator = np.maximum(0.0, np.sign(threshold - count))
                v = v * indicator + (1 - indicator) * scale * v
        return v

    return schedule


def exponential_decay(
    init_value: float,
    transition_steps: int,
    decay_rate: float,
    transition_begin: int = 0,
    staircase: bool = False,
    end_value: float | None = None,
) -> Schedule:
    np = numpy()
    if transition_steps <= 0:
        return lambda count: init_value  # optax logs that the schedule is constant
    if decay_rate == 0:
        return lambda count: init_value  # likewise
    if transition_begin < 0:
        transition_begin = 0
    if end_value is not None:
        clip_fn = np.maximum if decay_rate < 1.0 else np.minimum

    def schedule(count: Any) -> Any:
        decreased_count = count - transition_begin
        p = decreased_count / transition_steps
        if staircase:
            p = np.floor(p)
        decayed_value = np.where(decreased_count <= 0, init_value, init_value * np.power(decay_rate, p))
        if end_value is not None:
            decayed_value = clip_fn(decayed_value, end_value)
        return decayed_value

    return schedule


def cosine_decay_schedule(init_value: float, decay_steps: int, alpha: float = 0.0, exponent: float = 1.0) -> Schedule:
    np = numpy()
    if not decay_steps > 0:
        raise LrplotError(f"The cosine_decay_schedule requires positive decay_steps, got {decay_steps=}.")

    def schedule(count: Any) -> Any:
        steps = float(decay_steps)
        count = np.minimum(count, steps)
        cosine_decay = 0.5 * (1 + np.cos(np.pi * count / steps))
        decayed = (1 - alpha) * cosine_decay**exponent + alpha
        return init_value * decayed

    return schedule


def _linear_interpolate(start: Any, end: Any, pct: Any) -> Any:
    return (end - start) * pct + start


def _cosine_interpolate(start: Any, end: Any, pct: Any) -> Any:
    np = numpy()
    return end + (start - end) / 2.0 * (np.cos(np.pi * pct) + 1)


def piecewise_interpolate_schedule(
    interpolate_type: str, init_value: float, boundaries_and_scales: dict[int, float] | None = None
) -> Schedule:
    np = numpy()
    if interpolate_type == "linear":
        interpolate_fn = _linear_interpolate
    elif interpolate_type == "cosine":
        interpolate_fn = _cosine_interpolate
    else:
        raise LrplotError("`interpolate_type` must be either 'cosine' or 'linear'")
    if boundaries_and_scales:
        boundaries, scales = zip(*sorted(boundaries_and_scales.items()))
        if not all(scale >= 0.0 for scale in scales):
            raise LrplotError("`piecewise_interpolate_schedule` expects non-negative scale factors")
    else:
        boundaries, scales = (), ()

    def schedule(count: Any) -> Any:
        bounds = np.stack((0,) + boundaries)
        values = np.cumprod(np.stack((init_value,) + scales))
        interval_sizes = np.maximum(bounds[1:] - bounds[:-1], 1)
        column = np.asarray(count)[..., None]  # lrplot: every count against every interval at once
        indicator = np.logical_and(bounds[:-1] <= column, column < bounds[1:])
        pct = (column - bounds[:-1]) / interval_sizes
        interp_vals = interpolate_fn(values[:-1], values[1:], pct)
        return (indicator * interp_vals).sum(axis=-1) + (bounds[-1] <= count) * values[-1]

    return schedule


def linear_onecycle_schedule(
    transition_steps: int,
    peak_value: float,
    pct_start: float = 0.3,
    pct_final: float = 0.85,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> Schedule:
    if transition_steps <= 0:
        raise LrplotError("A linear onecycle schedule was set with a non-positive `transition_steps`")
    return piecewise_interpolate_schedule(
        "linear",
        peak_value / div_factor,
        {
            int(pct_start * transition_steps): div_factor,
            int(pct_final * transition_steps): 1.0 / div_factor,
            transition_steps: 1.0 / final_div_factor,
        },
    )


def cosine_onecycle_schedule(
    transition_steps: int,
    peak_value: float,
    pct_start: float = 0.3,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> Schedule:
    if transition_steps <= 0:
        # optax's message, which says "linear" here too
        raise LrplotError("A linear onecycle schedule was set with a non-positive `transition_steps`")
    return piecewise_interpolate_schedule(
        "cosine",
        peak_value / div_factor,
        {
            int(pct_start * transition_steps): div_factor,
            int(transition_steps): 1.0 / (div_factor * final_div_factor),
        },
    )


def warmup_constant_schedule(init_value: float, peak_value: float, warmup_steps: int) -> Schedule:
    return linear_schedule(init_value=init_value, end_value=peak_value, transition_steps=warmup_steps)


def warmup_cosine_decay_schedule(
    init_value: float,
    peak_value: float,
    warmup_steps: int,
    decay_steps: int,
    end_value: float = 0.0,
    exponent: float = 1.0,
) -> Schedule:
    alpha = 0.0 if peak_value == 0.0 else end_value / peak_value
    schedules = [
        linear_schedule(init_value=init_value, end_value=peak_value, transition_steps=warmup_steps),
        cosine_decay_schedule(
            init_value=peak_value, decay_steps=decay_steps - warmup_steps, alpha=alpha, exponent=exponent
        ),
    ]
    return join_schedules(schedules, [warmup_steps])


def warmup_exponential_decay_schedule(
    init_value: float,
    peak_value: float,
    warmup_steps: int,
    transition_steps: int,
    decay_rate: float,
    transition_begin: int = 0,
    staircase: bool = False,
    end_value: float | None = None,
) -> Schedule:
    schedules = [
        linear_schedule(init_value=init_value, end_value=peak_value, transition_steps=warmup_steps),
        exponential_decay(
            init_value=peak_value,
            transition_steps=transition_steps,
            decay_rate=decay_rate,
            transition_begin=transition_begin,
            staircase=staircase,
            end_value=end_value,
        ),
    ]
    return join_schedules(schedules, [warmup_steps])


def sgdr_schedule(cosine_kwargs: list[dict[str, Any]]) -> Schedule:
    boundaries = []
    schedules = []
    step = 0
    for kwargs in cosine_kwargs:
        schedules += [warmup_cosine_decay_schedule(**kwargs)]
        boundaries += [step + kwargs["decay_steps"]]
        step += kwargs["decay_steps"]
    return join_schedules(schedules, boundaries[:-1])


def join_schedules(schedules: list[Schedule], boundaries: list[int]) -> Schedule:
    np = numpy()

    def schedule(step: Any) -> Any:
        output = schedules[0](step)
        for boundary, piece in zip(boundaries, schedules[1:]):
            output = np.where(step < boundary, output, piece(step - boundary))
        return output

    return schedule


# -- declarations -------------------------------------------------------------------------------

OPTAX_RUN = "optax counts updates: row t is schedule(t), the lr of the (t+1)-th update; --lr has no effect."


def _optax(name: str, library_name: str, params: list[Param], notes: tuple[str, ...] = ()) -> Any:
    snake = name.replace("-", "_")
    return policy(
        name,
        family="optax",
        library_name=library_name,
        module="optax",
        aliases=(snake,) if snake != library_name else (),
        per_step=True,
        replaces_lr=True,
        params=params,
        notes=(OPTAX_RUN, *notes),
    )


class _Optax(StepFunction):
    """A policy whose schedule is the optax function (above) named by its library_name."""

    @classmethod
    def schedule(cls, bound: dict[str, Any]) -> Schedule:
        function = globals()[cls.policy.library_name]
        return function(**{p.name: bound[p.name] for p in cls.policy.params})


INIT = Param("init_value", FLOAT, help="Value at step 0.")
END = Param("end_value", FLOAT, help="Value at the end of the transition (absolute).")
TRANSITION_STEPS = Param(
    "transition_steps", INT, help="Steps the transition takes; <= 0 makes the schedule constant at init_value (optax)."
)
TRANSITION_BEGIN = Param(
    "transition_begin", INT, 0, help="Steps held at init_value before the transition starts (< 0 counts as 0)."
)
PEAK = Param("peak_value", FLOAT, help="Value the warmup reaches.")
WARMUP_STEPS = Param("warmup_steps", INT, help="Steps of linear warmup from init_value to peak_value.")
DECAY_RATE = Param("decay_rate", FLOAT, help="Factor per transition_steps; 0 makes the schedule constant (optax).")
STAIRCASE = Param("staircase", BOOL, False, help="Decay in whole transitions (floor of the exponent).")
EXP_END = Param(
    "end_value",
    FLOAT,
    None,
    help="Bound of the decay: a floor when decay_rate < 1, a ceiling when > 1 (absolute).",
)
SCALES = Param(
    "boundaries_and_scales",
    BOUNDARY_SCALES,
    None,
    help="STEP:SCALE pairs: at each step the value is multiplied by its scale (100:0.1,200:0.1).",
)


@_optax("constant", "constant_schedule", params=[Param("value", FLOAT, help="The value at every step.")])
class OptaxConstant(_Optax):
    """Holds one value at every step.

    Formula:
        v_t = value

    Example:
        optax constant --value 0.01
        0-2: 0.01
    """


@_optax("linear", "linear_schedule", params=[INIT, END, TRANSITION_STEPS, TRANSITION_BEGIN])
class OptaxLinear(_Optax):
    """Goes linearly from init_value to end_value over transition_steps (after transition_begin).

    Formula:
        c = clip(t - B, 0, T)
        v_t = (I - E) * (1 - c / T) + E        I = init_value, E = end_value, B = transition_begin, T = transition_steps

    Example:
        optax linear --init-value 1 --end-value 0.5 --transition-steps 4 --transition-begin 1
        0-1: 1.0, 2: 0.875, 3: 0.75, 4: 0.625, 5-6: 0.5
    """


@_optax(
    "polynomial",
    "polynomial_schedule",
    params=[INIT, END, Param("power", FLOAT, help="Power of the transition."), TRANSITION_STEPS, TRANSITION_BEGIN],
)
class OptaxPolynomial(_Optax):
    """Goes from init_value to end_value along (1 - progress) ** power over transition_steps.

    Formula:
        c = clip(t - B, 0, T)
        v_t = (I - E) * (1 - c / T) ** power + E

    Example:
        optax polynomial --init-value 1 --end-value 0 --power 2 --transition-steps 4
        0: 1.0, 1: 0.5625, 2: 0.25, 3: 0.0625, 4-5: 0.0
    """


@_optax(
    "exponential-decay",
    "exponential_decay",
    params=[INIT, TRANSITION_STEPS, DECAY_RATE, TRANSITION_BEGIN, STAIRCASE, EXP_END],
)
class OptaxExponentialDecay(_Optax):
    """Multiplies init_value by decay_rate every transition_steps, smoothly or in stairs, from transition_begin.

    Formula:
        p = (t - B) / T            (floor(p) with staircase)
        v_t = I                    for t <= B
        v_t = I * decay_rate ** p  after, clipped by end_value

    Example:
        optax exponential-decay --init-value 1 --transition-steps 2 --decay-rate 0.5 --transition-begin 1
        0-1: 1.0, 2: 0.7071067811865476, 3: 0.5, 5: 0.25
    """


@_optax(
    "cosine-decay",
    "cosine_decay_schedule",
    params=[
        INIT,
        Param("decay_steps", INT, help="Steps of the decay (> 0); the value stays at alpha * init_value after."),
        Param("alpha", FLOAT, 0.0, help="Final value as a fraction of init_value."),
        Param("exponent", FLOAT, 1.0, help="Power applied to the cosine factor before alpha is mixed in."),
    ],
)
class OptaxCosineDecay(_Optax):
    """Half a cosine from init_value down to alpha * init_value over decay_steps, then flat.

    Formula:
        c = min(t, D)
        v_t = I * ((1 - alpha) * ((1 + cos(pi * c / D)) / 2) ** exponent + alpha)

    Example:
        optax cosine-decay --init-value 1 --decay-steps 4 --alpha 0.1
        0: 1.0, 1: 0.8681980515339464, 2: 0.55, 3: 0.23180194846605365, 4-5: 0.1
    """


@_optax("warmup-constant", "warmup_constant_schedule", params=[INIT, PEAK, WARMUP_STEPS])
class OptaxWarmupConstant(_Optax):
    """Warms up linearly from init_value to peak_value, then holds it (warmup_steps 0 holds init_value: optax).

    Formula:
        v_t = I + (P - I) * min(t, W) / W

    Example:
        optax warmup-constant --init-value 0 --peak-value 1 --warmup-steps 4
        0: 0.0, 1: 0.25, 2: 0.5, 3: 0.75, 4-5: 1.0
    """


@_optax(
    "warmup-cosine-decay",
    "warmup_cosine_decay_schedule",
    params=[
        INIT,
        PEAK,
        WARMUP_STEPS,
        Param("decay_steps", INT, help="Length of the whole schedule, warmup INCLUDED (optax's convention)."),
        Param("end_value", FLOAT, 0.0, help="Value at decay_steps and after (absolute)."),
        Param("exponent", FLOAT, 1.0, help="Power applied to the cosine factor."),
    ],
    notes=("decay_steps includes the warmup, as HF's num_training_steps does and Keras's decay_steps does not.",),
)
class OptaxWarmupCosineDecay(_Optax):
    """Linear warmup from init_value to peak_value, then a cosine to end_value at decay_steps (warmup included).

    Formula:
        v_t = I + (P - I) * t / W                                              for t < W
        v_t = P * ((1 - a) * ((1 + cos(pi * c / (D - W))) / 2) ** exponent + a)  after,  c = min(t - W, D - W), a = E / P

    Example:
        optax warmup-cosine-decay --init-value 0 --peak-value 1 --warmup-steps 10 --decay-steps 100 -n 101
        0: 0.0, 9: 0.9, 10: 1.0, 50: 0.5868240888334653, 100: 0.0
    """


@_optax(
    "warmup-exponential-decay",
    "warmup_exponential_decay_schedule",
    params=[INIT, PEAK, WARMUP_STEPS, TRANSITION_STEPS, DECAY_RATE, TRANSITION_BEGIN, STAIRCASE, EXP_END],
)
class OptaxWarmupExponentialDecay(_Optax):
    """Linear warmup from init_value to peak_value, then exponential decay counted from the end of the warmup.

    Formula:
        v_t = I + (P - I) * t / W                   for t < W
        v_t = exponential_decay(P, ...)(t - W)      after (its transition_begin counts from W)

    Example:
        optax warmup-exponential-decay --init-value 0 --peak-value 1 --warmup-steps 2 --transition-steps 1 --decay-rate 0.5
        0: 0.0, 1: 0.5, 2: 1.0, 3: 0.5, 4: 0.25
    """


@_optax("piecewise-constant", "piecewise_constant_schedule", params=[INIT, SCALES])
class OptaxPiecewiseConstant(_Optax):
    """Multiplies init_value by each scale from its boundary step on (the boundary step included).

    Formula:
        v_t = I * product of s_i over the boundaries b_i <= t

    Example:
        optax piecewise-constant --init-value 1 --boundaries-and-scales 3:0.5,5:0.1
        0-2: 1.0, 3-4: 0.5, 5: 0.05
    """


@_optax(
    "piecewise-interpolate",
    "piecewise_interpolate_schedule",
    params=[
        Param("interpolate_type", Choice(("linear", "cosine")), help="How to go from one knot to the next."),
        INIT,
        SCALES,
    ],
)
class OptaxPiecewiseInterpolate(_Optax):
    """Interpolates (linearly or along a cosine) between knots whose values are init_value times the running product of scales.

    Formula:
        knots b_0 = 0 < b_1 < ...,  v(b_j) = I * s_1 * ... * s_j
        v_t = interpolation of v(b_j) -> v(b_(j+1)) at (t - b_j) / (b_(j+1) - b_j),  v(b_last) after

    Example:
        optax piecewise-interpolate --interpolate-type linear --init-value 1 --boundaries-and-scales 4:0.1,8:0.1
        0: 1.0, 2: 0.55, 4: 0.1, 6: 0.05500000000000001, 8-9: 0.010000000000000002
    """


ONECYCLE = [
    Param("transition_steps", INT, help="Length of the cycle (> 0): the final value is reached at this step."),
    Param("peak_value", FLOAT, help="Peak value."),
    Param("pct_start", FLOAT, 0.3, help="Fraction of the steps spent rising to the peak."),
]
DIVS = [
    Param("div_factor", FLOAT, 25.0, help="The cycle starts at peak_value / div_factor."),
    Param("final_div_factor", FLOAT, 1e4, help="And ends at peak_value / (div_factor * final_div_factor)."),
]


@_optax(
    "linear-onecycle",
    "linear_onecycle_schedule",
    params=[
        *ONECYCLE,
        Param("pct_final", FLOAT, 0.85, help="Fraction of the steps at which the fall back to the start ends."),
        *DIVS,
    ],
)
class OptaxLinearOnecycle(_Optax):
    """Three linear phases: up to peak_value, back down to the start, then down to the final value.

    Formula:
        linear knots: P / div at 0, P at int(pct_start * T), P / div at int(pct_final * T),
                      P / (div * final_div) at T

    Example:
        optax linear-onecycle --transition-steps 10 --peak-value 1 --div-factor 10 --final-div-factor 10 -n 12
        0: 0.1, 3: 1.0, 8: 0.1, 10-11: 0.010000000000000002
    """


@_optax("cosine-onecycle", "cosine_onecycle_schedule", params=[*ONECYCLE, *DIVS])
class OptaxCosineOnecycle(_Optax):
    """A cosine up to peak_value, then a cosine down to the final value, reached at transition_steps.

    Formula:
        cosine knots: P / div at 0, P at int(pct_start * T), P / (div * final_div) at T

    Example:
        optax cosine-onecycle --transition-steps 10 --peak-value 1 --div-factor 10 --final-div-factor 10 -n 12
        0: 0.09999999999999998, 3: 1.0, 10-11: 0.01
    """


CYCLE = SpecKind(
    families=("optax",),
    prefix="optax",
    default="warmup-cosine-decay",
    example="--init-value 0 --peak-value 1 --warmup-steps 10 --decay-steps 100",
    as_kwargs=True,
)


@_optax(
    "sgdr",
    "sgdr_schedule",
    params=[
        Param(
            "cosine_kwargs",
            CYCLE,
            repeatable=True,
            flag_aliases=("--cycle",),
            help="One cycle: warmup-cosine-decay's options, quoted (\"--init-value 0 --peak-value 1 "
            '--warmup-steps 10 --decay-steps 100"); repeat, in order.',
        )
    ],
    notes=("optax has no period or amplitude multiplier: every cycle is listed, each lasting its decay_steps.",),
)
class OptaxSGDR(_Optax):
    """Warm restarts: warmup-cosine-decay cycles one after another, each lasting its own decay_steps.

    Formula:
        cycle k starts at the sum of the earlier cycles' decay_steps and restarts its count there
        v_t = warmup_cosine_decay(**cycle_k)(t - start_k)

    Example:
        optax sgdr --cycle "--init-value 0 --peak-value 1 --warmup-steps 2 --decay-steps 6" --cycle "--init-value 0 --peak-value 0.5 --warmup-steps 2 --decay-steps 6"
        0: 0.0, 2: 1.0, 6: 0.0, 7: 0.25, 8: 0.5
    """

    @classmethod
    def schedule(cls, bound: dict[str, Any]) -> Schedule:
        return sgdr_schedule([child.bound() for child in bound["cosine_kwargs"]])


@_optax(
    "join",
    "join_schedules",
    params=[
        Param(
            "schedules",
            SpecKind(
                families=("optax",),
                prefix="optax",
                example="cosine-decay --init-value 1 --decay-steps 90",
            ),
            repeatable=True,
            option="schedule",
            aliases=("schedule",),
            help='An optax schedule, quoted ("cosine-decay --init-value 1 --decay-steps 90"); repeat, in order.',
        ),
        Param(
            "boundaries",
            INT_LIST,
            help="Steps at which the next schedule takes over, restarting its count at 0: one fewer than the schedules.",
        ),
    ],
)
class OptaxJoin(_Optax):
    """Runs optax schedules one after another; each restarts its count at its boundary.

    Formula:
        k = number of boundaries <= t
        v_t = schedule_k(t - b_k)      (b_0 = 0)

    Example:
        optax join --schedule "linear --init-value 0 --end-value 1 --transition-steps 2" --schedule "constant --value 0.5" --boundaries 3
        0: 0.0, 1: 0.5, 2: 1.0, 3-4: 0.5
    """

    @classmethod
    def schedule(cls, bound: dict[str, Any]) -> Schedule:
        children, boundaries = bound["schedules"], bound["boundaries"]
        if len(boundaries) != len(children) - 1:
            # optax's zip would silently drop the extra schedules or boundaries
            raise LrplotError(
                f"--boundaries: {len(children)} schedules need {len(children) - 1} boundaries (one where each next "
                f"schedule starts), got {len(boundaries)}; optax's join_schedules would silently ignore the extra"
            )
        return join_schedules([child.policy.factory.schedule(child.bound()) for child in children], boundaries)
