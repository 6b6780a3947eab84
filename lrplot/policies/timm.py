"""timm's schedulers (``timm.scheduler``, timm 1.0), as ``lrplot timm <name>``.

timm's classes are ported method for method from ``timm/scheduler/*.py``:
the ``Scheduler`` base, then each class's ``__init__`` (which sets the lr of
row 0) and ``_get_lr(t)``.  They are driven as timm's ``train.py`` drives
them: the constructor sets the lr of the first epoch, and after epoch ``e``
the loop calls ``step(e + 1, metric)``, so row ``t >= 1`` is ``_get_lr(t)``
(with noise).  With ``--no-t-in-epochs`` every length counts optimizer
updates and the loop calls ``step_update(n + 1)`` after update ``n``
instead: the same rows, in steps.

Warmup is part of every timm schedule: ``warmup_lr_init`` rising linearly to
the lr over ``warmup_t``.  ``warmup_prefix`` decides whether the schedule
starts after it (True: step and multistep by default) or runs underneath it
(False: cosine, tanh and poly by default), when the first value after the
warmup is already decayed.  In the formulas ``t`` is the row, ``W`` =
warmup_t and ``t' = t - W`` with the prefix, else ``t``.

Noise (``--noise-range-t``) multiplies the lr by ``1 + n`` with ``n`` drawn
from torch's CPU generator seeded with ``noise_seed + t``.  lrplot draws it
with numpy (see :mod:`.torch_generator`), which reproduced torch 2.13 in
lrplot's tests, but torch does not promise that stream: noisy rows are
labelled approximate.
"""

from __future__ import annotations

import bisect
import math
from typing import Any

from ..errors import LrplotError
from ..params import BOOL, FLOAT, INT, INT_LIST, Check, Choice, Param, at_least, between, greater_than
from ..registry import policy
from .torch_generator import rand, randn_stream
from .torch_plateau import PLATEAU_PARAMS, ReduceLROnPlateau

NOISE_NOTE = (
    "Noise is drawn with numpy, replaying torch's CPU generator (manual_seed(noise_seed + t), then randn): "
    "it matched torch 2.13 in lrplot's tests, but torch does not promise that stream, so noisy values are approximate."
)
MIN_NOISE_ACCEPTANCE = 7.9e-5
"""Chance that one normal draw is kept (noise_pct / noise_std = 1e-4): below it timm spins for ages."""
NOISE_CAVEAT = "noise drawn with numpy, replaying torch's generator: approximate"
RUN_NOTE = (
    "Row 0 is the lr timm sets in the constructor; row t is what step(t) sets after epoch t - 1 "
    "(step_update(t) after update t - 1 with --no-t-in-epochs), as timm's train.py calls them."
)

# -- timm's Scheduler base ----------------------------------------------------------------------


class TimmScheduler:
    """timm's ``Scheduler`` (timm/scheduler/scheduler.py) on lrplot's simulated optimizer."""

    policy: Any  # set by @policy

    def __init__(
        self,
        optimizer: Any,
        param_group_field: str = "lr",
        t_in_epochs: bool = True,
        noise_range_t: Any = None,
        noise_type: str = "normal",
        noise_pct: float = 0.67,
        noise_std: float = 1.0,
        noise_seed: int | None = None,
        initialize: bool = True,
    ) -> None:
        self.optimizer = optimizer
        self.param_group_field = param_group_field
        self._initial_param_group_field = f"initial_{param_group_field}"
        for group in self.optimizer.param_groups:
            group.setdefault(self._initial_param_group_field, group[param_group_field])
        self.base_values = [group[self._initial_param_group_field] for group in self.optimizer.param_groups]
        self.metric = None
        self.t_in_epochs = t_in_epochs
        self.noise_range_t = noise_range_t
        self.noise_pct = noise_pct
        self.noise_type = noise_type
        self.noise_std = noise_std
        self.noise_seed = noise_seed if noise_seed is not None else 42
        self._check_noise()
        self.update_groups(self.base_values)
        self._t = 0  # lrplot's row counter: the epoch (or update) count timm's train.py passes

    @classmethod
    def build(cls, optimizer: Any, bound: dict[str, Any], run: dict[str, Any]) -> TimmScheduler:
        kwargs = {p.name: bound[p.name] for p in cls.policy.params if p.kwarg}
        if kwargs.get("noise_range_t") is not None:
            span = kwargs["noise_range_t"]
            kwargs["noise_range_t"] = span[0] if len(span) == 1 else tuple(span)  # timm: an int or [lo, hi)
        return cls(optimizer, **kwargs)

    def _get_lr(self, t: int) -> list[float]:
        raise NotImplementedError

    def _get_values(self, t: int, on_epoch: bool = True) -> list[float] | None:
        proceed = (on_epoch and self.t_in_epochs) or (not on_epoch and not self.t_in_epochs)
        if not proceed:
            return None
        return self._get_lr(t)

    def step(self, epoch: int, metric: float | None = None) -> None:
        self.metric = metric
        values = self._get_values(epoch, on_epoch=True)
        if values is not None:
            values = self._add_noise(values, epoch)
            self.update_groups(values)

    def step_update(self, num_updates: int, metric: float | None = None) -> None:
        self.metric = metric
        values = self._get_values(num_updates, on_epoch=False)
        if values is not None:
            values = self._add_noise(values, num_updates)
            self.update_groups(values)

    def update_groups(self, values: Any) -> None:
        if not isinstance(values, (list, tuple)):
            values = [values] * len(self.optimizer.param_groups)
        for param_group, value in zip(self.optimizer.param_groups, values):
            param_group[self.param_group_field] = value

    def _add_noise(self, lrs: list[float], t: int) -> list[float]:
        if self._is_apply_noise(t):
            noise = self._calculate_noise(t)
            lrs = [v + v * noise for v in lrs]
        return lrs

    def _is_apply_noise(self, t: int) -> bool:
        apply_noise = False
        if self.noise_range_t is not None:
            if isinstance(self.noise_range_t, (list, tuple)):
                apply_noise = self.noise_range_t[0] <= t < self.noise_range_t[1]
            else:
                apply_noise = t >= self.noise_range_t
        return apply_noise

    def _calculate_noise(self, t: int) -> float:
        # torch.Generator().manual_seed(noise_seed + t), replayed with numpy (see torch_generator)
        if self.noise_type == "normal":
            for draw in randn_stream(self.noise_seed + t):
                # resample if noise out of percent limit, brute force but shouldn't spin much
                noise = draw * self.noise_std
                if abs(noise) < self.noise_pct:
                    return noise
        return 2 * (rand(self.noise_seed + t) - 0.5) * self.noise_pct

    def _check_noise(self) -> None:
        """Refuse a normal noise timm would redraw for ages: |n| < noise_pct must not be a rare event."""
        if self.noise_range_t is None or self.noise_type != "normal" or self.noise_std == 0:
            return
        accepted = math.erf(self.noise_pct / (self.noise_std * math.sqrt(2)))  # P(|N(0, std)| < pct)
        if accepted < MIN_NOISE_ACCEPTANCE:
            raise LrplotError(
                f"--noise-pct {self.noise_pct!r} with --noise-std {self.noise_std!r}: timm redraws the noise until "
                f"|n| < noise_pct, about {1 / accepted:,.0f} draws per row; expected noise_pct / noise_std >= 1e-4"
            )

    # -- how lrplot drives it ---------------------------------------------------------------

    def get_last_lr(self) -> list[float]:
        return [group[self.param_group_field] for group in self.optimizer.param_groups]

    def advance(self, metric: float | None) -> None:
        """End of a row: train.py's ``step(epoch + 1, metric)``, or ``step_update(num_updates)`` per update."""
        self._t += 1
        if self.t_in_epochs:
            self.step(self._t, metric)
        else:
            self.step_update(self._t, metric)

    def vectorized(self, epochs: int, closed_form: bool) -> None:
        return None  # stepped row by row: timm's _get_lr is plain Python arithmetic


def _cycle(self: Any, t: float) -> tuple[int, float, float]:
    """The cycle ``i`` that ``t`` falls in, its length ``t_i`` and the position ``t_curr`` in it.

    The same lines in timm's cosine, tanh and poly ``_get_lr``.
    """
    if self.cycle_mul != 1:
        i = math.floor(math.log(1 - t / self.t_initial * (1 - self.cycle_mul), self.cycle_mul))
        t_i = self.cycle_mul**i * self.t_initial
        t_curr = t - (1 - self.cycle_mul**i) / (1 - self.cycle_mul) * self.t_initial
    else:
        i = t // self.t_initial
        t_i = self.t_initial
        t_curr = t - (self.t_initial * i)
    return i, t_i, t_curr


# -- declarations -------------------------------------------------------------------------------


def _unit(bound: dict[str, Any]) -> str:
    return "epoch" if bound.get("t_in_epochs", True) else "step"


def _noise_span(values: list[int]) -> bool:
    return len(values) == 1 or (len(values) == 2 and values[0] <= values[1])


NOISE_PARAMS = [
    Param(
        "noise_range_t",
        INT_LIST,
        None,
        check=Check(
            _noise_span, "(one value T, or two LO,HI with LO <= HI)", "One value T, or two LO,HI with LO <= HI."
        ),
        help="Add noise from row T on (T), or on rows LO <= t < HI (LO,HI). timm's factory takes fractions; "
        "this is the class's absolute form.",
    ),
    Param("noise_pct", FLOAT, 0.67, check=greater_than(0), help="Largest relative perturbation |n|."),
    Param("noise_std", FLOAT, 1.0, check=at_least(0), help="Standard deviation of the normal noise."),
    Param(
        "noise_seed",
        INT,
        42,
        check=between(-(2**63), 2**64 - 1),
        help="Seed: the noise of row t is drawn after torch's manual_seed(noise_seed + t).",
    ),
]
T_IN_EPOCHS = Param(
    "t_in_epochs",
    BOOL,
    True,
    help="Lengths count epochs (step() per epoch); --no-t-in-epochs: optimizer updates (step_update() per update).",
)


def _warmup_params(prefix_default: bool | None) -> list[Param]:
    params = [
        Param("warmup_t", INT, 0, check=at_least(0), help="Rows of linear warmup from warmup_lr_init to the lr."),
        Param("warmup_lr_init", FLOAT, 0.0, check=at_least(0), help="Absolute lr the warmup starts from."),
    ]
    if prefix_default is not None:
        params.append(
            Param(
                "warmup_prefix",
                BOOL,
                prefix_default,
                help="Start the schedule after the warmup (t' = t - warmup_t); without it the warmup runs "
                "underneath the schedule.",
            )
        )
    return params


def _cycle_params() -> list[Param]:
    return [
        Param(
            "lr_min", FLOAT, 0.0, check=at_least(0), help="Absolute lr at the end of each cycle, and after the last."
        ),
        Param("cycle_mul", FLOAT, 1.0, check=greater_than(0), help="Each cycle is cycle_mul times longer."),
        Param("cycle_decay", FLOAT, 1.0, help="Each cycle starts at cycle_decay times the previous peak."),
        Param(
            "cycle_limit",
            INT,
            1,
            check=at_least(0),
            help="Number of cycles; after them the lr stays at lr_min.",
        ),
    ]


T_INITIAL = Param("t_initial", INT, check=greater_than(0), help="Length of the first cycle.")
K_DECAY = Param("k_decay", FLOAT, 1.0, help="k-decay (arXiv 2004.05909): time is warped to t^k / T^k.")


def _noise_caveat(bound: dict[str, Any]) -> str | None:
    return NOISE_CAVEAT if bound.get("noise_range_t") is not None else None


def _timm(name: str, library_name: str, params: list[Param], notes: tuple[str, ...] = (), **kwargs: Any) -> Any:
    return policy(
        name,
        family="timm",
        library_name=library_name,
        module=f"timm.scheduler.{kwargs.pop('module')}",
        params=params,
        unit_of=_unit,
        caveat=_noise_caveat,
        notes=(RUN_NOTE, *notes, NOISE_NOTE),
        **kwargs,
    )


class _Warmup(TimmScheduler):
    """The warmup lines every timm class shares (in its ``__init__`` and ``_get_lr``)."""

    def _init_warmup(self, warmup_t: int, warmup_lr_init: float, targets: list[float]) -> None:
        self.warmup_t = warmup_t
        self.warmup_lr_init = warmup_lr_init
        if self.warmup_t:
            self.warmup_steps = [(v - warmup_lr_init) / self.warmup_t for v in targets]
            super().update_groups(self.warmup_lr_init)
        else:
            self.warmup_steps = [1 for _ in self.base_values]

    def _warmup_lrs(self, t: int) -> list[float]:
        return [self.warmup_lr_init + t * s for s in self.warmup_steps]


@_timm(
    "cosine",
    "CosineLRScheduler",
    module="cosine_lr",
    params=[
        T_INITIAL,
        *_cycle_params(),
        *_warmup_params(False),
        T_IN_EPOCHS,
        *NOISE_PARAMS,
        K_DECAY,
    ],
    notes=(
        "warmup_prefix is off by default: the cosine runs underneath the warmup, so the first value after it is "
        "already below the lr (timm #1242). Add --warmup-prefix and set t_initial = total - warmup_t to start it "
        "at the peak.",
    ),
)
class TimmCosine(_Warmup):
    """Cosine decay from the lr to lr_min over t_initial, with timm's warmup and restarts (SGDR).

    Formula:
        lr_t = warmup_lr_init + t * (lr - warmup_lr_init) / W            for t < W
        lr_t = lr_min + (lr_max - lr_min) * (1 + cos(pi * t_cur^k / t_i^k)) / 2   while i < cycle_limit
        lr_t = lr_min                                                    after the last cycle
        where cycle i holds t' (t_i = t_initial * cycle_mul^i), t_cur = t' - its start, lr_max = lr * cycle_decay^i

    Example:
        timm cosine --lr 1 --t-initial 100 --warmup-t 10 -n 102
        0: 0.0, 9: 0.9, 10: 0.9755282581475768, 50: 0.5, 100-101: 0.0
    """

    def __init__(
        self,
        optimizer: Any,
        t_initial: int,
        lr_min: float = 0.0,
        cycle_mul: float = 1.0,
        cycle_decay: float = 1.0,
        cycle_limit: int = 1,
        warmup_t: int = 0,
        warmup_lr_init: float = 0.0,
        warmup_prefix: bool = False,
        t_in_epochs: bool = True,
        noise_range_t: Any = None,
        noise_pct: float = 0.67,
        noise_std: float = 1.0,
        noise_seed: int = 42,
        k_decay: float = 1.0,
    ) -> None:
        super().__init__(
            optimizer,
            param_group_field="lr",
            t_in_epochs=t_in_epochs,
            noise_range_t=noise_range_t,
            noise_pct=noise_pct,
            noise_std=noise_std,
            noise_seed=noise_seed,
        )
        self.t_initial = t_initial
        self.lr_min = lr_min
        self.cycle_mul = cycle_mul
        self.cycle_decay = cycle_decay
        self.cycle_limit = cycle_limit
        self.warmup_prefix = warmup_prefix
        self.k_decay = k_decay
        self._init_warmup(warmup_t, warmup_lr_init, self.base_values)

    def _get_lr(self, t: int) -> list[float]:
        if t < self.warmup_t:
            return self._warmup_lrs(t)
        if self.warmup_prefix:
            t = t - self.warmup_t
        i, t_i, t_curr = _cycle(self, t)
        gamma = self.cycle_decay**i
        lr_max_values = [v * gamma for v in self.base_values]
        k = self.k_decay
        if i < self.cycle_limit:
            return [
                self.lr_min + 0.5 * (lr_max - self.lr_min) * (1 + math.cos(math.pi * t_curr**k / t_i**k))
                for lr_max in lr_max_values
            ]
        return [self.lr_min for _ in self.base_values]


@_timm(
    "tanh",
    "TanhLRScheduler",
    module="tanh_lr",
    params=[
        T_INITIAL,
        Param("lb", FLOAT, -7.0, help="tanh argument at the start of a cycle (lb < ub)."),
        Param("ub", FLOAT, 3.0, help="tanh argument at the end of a cycle."),
        *_cycle_params(),
        *_warmup_params(False),
        T_IN_EPOCHS,
        *NOISE_PARAMS,
    ],
    notes=(
        "Without --warmup-prefix the warmup climbs to the schedule's value at warmup_t, not to the lr, so there is "
        "no jump; inside a cycle the lr never quite reaches lr_min, then snaps to it.",
    ),
)
class TimmTanh(_Warmup):
    """Hyperbolic-tangent decay (arXiv 1806.01593) from the lr towards lr_min, with warmup and restarts.

    Formula:
        lr_t = warmup_lr_init + t * (target - warmup_lr_init) / W         for t < W
               (target = lr with warmup_prefix, else the tanh value at t = W)
        lr_t = lr_min + (lr_max - lr_min) * (1 - tanh(lb * (1 - r) + ub * r)) / 2,   r = t_cur / t_i
        lr_t = lr_min                                                     after the last cycle

    Example:
        timm tanh --lr 1 --t-initial 10 -n 12
        0: 1.0, 1: 0.9999938558253978, 5: 0.9820137900379085, 9: 0.01798620996209155, 10-11: 0.0
    """

    def __init__(
        self,
        optimizer: Any,
        t_initial: int,
        lb: float = -7.0,
        ub: float = 3.0,
        lr_min: float = 0.0,
        cycle_mul: float = 1.0,
        cycle_decay: float = 1.0,
        cycle_limit: int = 1,
        warmup_t: int = 0,
        warmup_lr_init: float = 0.0,
        warmup_prefix: bool = False,
        t_in_epochs: bool = True,
        noise_range_t: Any = None,
        noise_pct: float = 0.67,
        noise_std: float = 1.0,
        noise_seed: int = 42,
    ) -> None:
        super().__init__(
            optimizer,
            param_group_field="lr",
            t_in_epochs=t_in_epochs,
            noise_range_t=noise_range_t,
            noise_pct=noise_pct,
            noise_std=noise_std,
            noise_seed=noise_seed,
        )
        if not lb < ub:
            raise LrplotError(f"--lb {lb!r} must be below --ub {ub!r} (timm asserts lb < ub)")
        self.lb = lb
        self.ub = ub
        self.t_initial = t_initial
        self.lr_min = lr_min
        self.cycle_mul = cycle_mul
        self.cycle_decay = cycle_decay
        self.cycle_limit = cycle_limit
        self.warmup_t = warmup_t  # _get_lr(warmup_t) below reads it before the warmup is set up
        self.warmup_prefix = warmup_prefix
        targets = self.base_values if self.warmup_prefix or not warmup_t else self._get_lr(warmup_t)
        self._init_warmup(warmup_t, warmup_lr_init, targets)

    def _get_lr(self, t: int) -> list[float]:
        if t < self.warmup_t:
            return self._warmup_lrs(t)
        if self.warmup_prefix:
            t = t - self.warmup_t
        i, t_i, t_curr = _cycle(self, t)
        if i < self.cycle_limit:
            gamma = self.cycle_decay**i
            lr_max_values = [v * gamma for v in self.base_values]
            tr = t_curr / t_i
            return [
                self.lr_min + 0.5 * (lr_max - self.lr_min) * (1 - math.tanh(self.lb * (1.0 - tr) + self.ub * tr))
                for lr_max in lr_max_values
            ]
        return [self.lr_min for _ in self.base_values]


@_timm(
    "poly",
    "PolyLRScheduler",
    module="poly_lr",
    params=[
        T_INITIAL,
        Param("power", FLOAT, 0.5, help="Power of the decay (timm's factory passes its decay_rate, 0.1, here)."),
        *_cycle_params(),
        *_warmup_params(False),
        T_IN_EPOCHS,
        *NOISE_PARAMS,
        K_DECAY,
    ],
)
class TimmPoly(_Warmup):
    """Polynomial decay from the lr to lr_min over t_initial, with warmup, restarts and k-decay.

    Formula:
        lr_t = warmup_lr_init + t * (lr - warmup_lr_init) / W                for t < W
        lr_t = lr_min + (lr_max - lr_min) * (1 - t_cur^k / t_i^k) ** power  while i < cycle_limit
        lr_t = lr_min                                                        after the last cycle

    Example:
        timm poly --lr 1 --t-initial 4 --power 2 -n 6
        0: 1.0, 1: 0.5625, 2: 0.25, 3: 0.0625, 4-5: 0.0
    """

    def __init__(
        self,
        optimizer: Any,
        t_initial: int,
        power: float = 0.5,
        lr_min: float = 0.0,
        cycle_mul: float = 1.0,
        cycle_decay: float = 1.0,
        cycle_limit: int = 1,
        warmup_t: int = 0,
        warmup_lr_init: float = 0.0,
        warmup_prefix: bool = False,
        t_in_epochs: bool = True,
        noise_range_t: Any = None,
        noise_pct: float = 0.67,
        noise_std: float = 1.0,
        noise_seed: int = 42,
        k_decay: float = 1.0,
    ) -> None:
        super().__init__(
            optimizer,
            param_group_field="lr",
            t_in_epochs=t_in_epochs,
            noise_range_t=noise_range_t,
            noise_pct=noise_pct,
            noise_std=noise_std,
            noise_seed=noise_seed,
        )
        self.t_initial = t_initial
        self.power = power
        self.lr_min = lr_min
        self.cycle_mul = cycle_mul
        self.cycle_decay = cycle_decay
        self.cycle_limit = cycle_limit
        self.warmup_prefix = warmup_prefix
        self.k_decay = k_decay
        self._init_warmup(warmup_t, warmup_lr_init, self.base_values)

    def _get_lr(self, t: int) -> list[float]:
        if t < self.warmup_t:
            return self._warmup_lrs(t)
        if self.warmup_prefix:
            t = t - self.warmup_t
        i, t_i, t_curr = _cycle(self, t)
        gamma = self.cycle_decay**i
        lr_max_values = [v * gamma for v in self.base_values]
        k = self.k_decay
        if i < self.cycle_limit:
            return [
                self.lr_min + (lr_max - self.lr_min) * (1 - t_curr**k / t_i**k) ** self.power
                for lr_max in lr_max_values
            ]
        return [self.lr_min for _ in self.base_values]


@_timm(
    "step",
    "StepLRScheduler",
    module="step_lr",
    params=[
        Param("decay_t", FLOAT, check=greater_than(0), help="Rows between decays (may be fractional)."),
        Param("decay_rate", FLOAT, 1.0, help="Factor applied at each decay; timm's default 1.0 never decays."),
        *_warmup_params(True),
        T_IN_EPOCHS,
        *NOISE_PARAMS,
    ],
)
class TimmStep(_Warmup):
    """Multiplies the lr by decay_rate every decay_t rows, after timm's warmup.

    Formula:
        lr_t = warmup_lr_init + t * (lr - warmup_lr_init) / W     for t < W
        lr_t = lr * decay_rate ** floor(t' / decay_t)              after

    Example:
        timm step --lr 0.1 --decay-t 3 --decay-rate 0.5
        0-2: 0.1, 3-5: 0.05, 6: 0.025
    """

    def __init__(
        self,
        optimizer: Any,
        decay_t: float,
        decay_rate: float = 1.0,
        warmup_t: int = 0,
        warmup_lr_init: float = 0.0,
        warmup_prefix: bool = True,
        t_in_epochs: bool = True,
        noise_range_t: Any = None,
        noise_pct: float = 0.67,
        noise_std: float = 1.0,
        noise_seed: int = 42,
    ) -> None:
        super().__init__(
            optimizer,
            param_group_field="lr",
            t_in_epochs=t_in_epochs,
            noise_range_t=noise_range_t,
            noise_pct=noise_pct,
            noise_std=noise_std,
            noise_seed=noise_seed,
        )
        self.decay_t = decay_t
        self.decay_rate = decay_rate
        self.warmup_prefix = warmup_prefix
        self._init_warmup(warmup_t, warmup_lr_init, self.base_values)

    def _get_lr(self, t: int) -> list[float]:
        if t < self.warmup_t:
            return self._warmup_lrs(t)
        if self.warmup_prefix:
            t = t - self.warmup_t
        return [v * (self.decay_rate ** (t // self.decay_t)) for v in self.base_values]


@_timm(
    "multistep",
    "MultiStepLRScheduler",
    module="multistep_lr",
    params=[
        Param("decay_t", INT_LIST, help="Milestones: the lr is multiplied by decay_rate one row BEFORE each."),
        Param("decay_rate", FLOAT, 1.0, help="Factor applied at each milestone; timm's default 1.0 never decays."),
        *_warmup_params(True),
        T_IN_EPOCHS,
        *NOISE_PARAMS,
    ],
    notes=(
        "timm decays at t' = milestone - 1, one row earlier than torch's MultiStepLR (milestones 30,60 decay at "
        "29 and 59); timm keeps this on purpose (#2745, #2753).",
    ),
)
class TimmMultiStep(TimmStep):
    """Multiplies the lr by decay_rate at each milestone in decay_t, one row earlier than torch does.

    Formula:
        lr_t = warmup_lr_init + t * (lr - warmup_lr_init) / W                 for t < W
        lr_t = lr * decay_rate ** bisect_right(decay_t, t' + 1)                after

    Example:
        timm multistep --lr 1 --decay-t 30,60 --decay-rate 0.1
        0-28: 1.0, 29-58: 0.1, 59: 0.010000000000000002
    """

    # timm's __init__ is StepLRScheduler's, with decay_t a sorted list of milestones

    def get_curr_decay_steps(self, t: int) -> int:
        # timm's convention: milestone m applies at t == m - 1 (assumes decay_t is sorted)
        return bisect.bisect_right(self.decay_t, t + 1)

    def _get_lr(self, t: int) -> list[float]:
        if t < self.warmup_t:
            return self._warmup_lrs(t)
        if self.warmup_prefix:
            t = t - self.warmup_t
        return [v * (self.decay_rate ** self.get_curr_decay_steps(t)) for v in self.base_values]


_TORCH_PLATEAU = {p.name: p for p in PLATEAU_PARAMS}


@_timm(
    "plateau",
    "PlateauLRScheduler",
    module="plateau_lr",
    params=[
        _TORCH_PLATEAU["metrics"],
        _TORCH_PLATEAU["metric_column"],
        Param(
            "decay_rate",
            FLOAT,
            0.1,
            check=Check(lambda v: 0 <= v < 1, "in [0, 1)"),
            help="Factor applied when the metric stops improving (torch's factor).",
        ),
        Param("patience_t", INT, 10, check=at_least(0), help="Epochs without improvement tolerated before decaying."),
        Param("threshold", FLOAT, 1e-4, check=at_least(0), help="Smallest relative change that counts as improvement."),
        Param(
            "cooldown_t",
            INT,
            0,
            check=at_least(0),
            help="Epochs after a decay during which bad epochs are not counted.",
        ),
        *_warmup_params(None),
        Param("lr_min", FLOAT, 0.0, check=at_least(0), help="Lowest lr (torch's min_lr)."),
        Param(
            "mode",
            Choice(("min", "max")),
            "max",
            help="max (timm's default): the metric should rise, an accuracy; min: a loss.",
        ),
        *NOISE_PARAMS[:1],
        Param(
            "noise_type",
            Choice(("normal", "uniform")),
            "normal",
            help="normal: N(0, std) redrawn until |n| < pct; uniform: U(-pct, pct).",
        ),
        *NOISE_PARAMS[1:3],
        Param(
            "noise_seed",
            INT,
            None,
            check=between(-(2**63), 2**64 - 1),
            display_default="42",
            help="Seed: the noise of row t is drawn after torch's manual_seed(noise_seed + t).",
        ),
    ],
    notes=(
        "timm wraps torch's ReduceLROnPlateau, but defaults to mode max (an accuracy). Row e + 1 reacts to the "
        "metric of row e; rows up to warmup_t are warmup and ignore the metric. timm 1.0 deprecates this class.",
    ),
)
class TimmPlateau(_Warmup):
    """Decays the lr by decay_rate when the metric (an accuracy by default) stops improving: torch's ReduceLROnPlateau.

    Formula:
        lr_t = warmup_lr_init + t * (lr - warmup_lr_init) / W      for t <= W (W inclusive)
        after: torch's ReduceLROnPlateau(factor=decay_rate, patience=patience_t, cooldown=cooldown_t,
               threshold=threshold (rel), mode=mode, min_lr=lr_min), stepped with the metric of the row before

    Example:
        timm plateau --lr 10 --metrics samples/metrics/seed_losses.txt --mode min
        0-11: 10.0, 12-22: 1.0, 23-33: 0.1, 34-44: 0.010000000000000002, 45: 0.0010000000000000002
    """

    def __init__(
        self,
        optimizer: Any,
        decay_rate: float = 0.1,
        patience_t: int = 10,
        threshold: float = 1e-4,
        cooldown_t: int = 0,
        warmup_t: int = 0,
        warmup_lr_init: float = 0.0,
        lr_min: float = 0.0,
        mode: str = "max",
        noise_range_t: Any = None,
        noise_type: str = "normal",
        noise_pct: float = 0.67,
        noise_std: float = 1.0,
        noise_seed: int | None = None,
    ) -> None:
        super().__init__(
            optimizer,
            "lr",
            noise_range_t=noise_range_t,
            noise_type=noise_type,
            noise_pct=noise_pct,
            noise_std=noise_std,
            noise_seed=noise_seed,
        )
        self.lr_scheduler = ReduceLROnPlateau(
            self.optimizer,
            patience=patience_t,
            factor=decay_rate,
            threshold=threshold,
            cooldown=cooldown_t,
            mode=mode,
            min_lr=lr_min,
        )
        self._init_warmup(warmup_t, warmup_lr_init, self.base_values)
        self.restore_lr: list[float] | None = None

    def step(self, epoch: int, metric: float | None = None) -> None:
        if epoch <= self.warmup_t:
            lrs = [self.warmup_lr_init + epoch * s for s in self.warmup_steps]
            super().update_groups(lrs)
        else:
            if self.restore_lr is not None:
                # restore actual LR from before our last noise perturbation before stepping base
                for i, param_group in enumerate(self.optimizer.param_groups):
                    param_group["lr"] = self.restore_lr[i]
                self.restore_lr = None
            if metric is not None:
                self.lr_scheduler.step(metric)
            if self._is_apply_noise(epoch):
                self._apply_noise(epoch)

    def step_update(self, num_updates: int, metric: float | None = None) -> None:
        return None

    def _apply_noise(self, epoch: int) -> None:
        noise = self._calculate_noise(epoch)
        restore_lr = []
        for param_group in self.optimizer.param_groups:
            old_lr = float(param_group["lr"])
            restore_lr.append(old_lr)
            param_group["lr"] = old_lr + old_lr * noise
        self.restore_lr = restore_lr


_STABLE_FNS = ("constant", "rsqrt", "power")
_DECAY_FNS = ("linear", "1-sqrt", "cosine", "power", "exp")


@_timm(
    "wsd",
    "WSDLRScheduler",
    module="wsd_lr",
    params=[
        Param("t_initial", INT, check=greater_than(0), help="Length of the stable and decay phases (warmup excluded)."),
        Param("decay_t", INT, check=greater_than(0), help="Length of the decay phase: the last decay_t of t_initial."),
        Param("lr_min", FLOAT, 0.0, check=at_least(0), help="Absolute lr at the end of the decay, and after it."),
        Param("stable_fn", Choice(_STABLE_FNS), "constant", help="Stable phase: constant (WSD), rsqrt or power."),
        Param(
            "stable_timescale",
            FLOAT,
            None,
            display_default="warmup_t",
            help="Timescale of the rsqrt and power stable phases.",
        ),
        Param("stable_power", FLOAT, 0.5, check=greater_than(0), help="Exponent of the power stable phase."),
        Param("decay_fn", Choice(_DECAY_FNS), "1-sqrt", help="Decay shape: linear, 1-sqrt, cosine, power or exp."),
        Param("decay_power", FLOAT, 0.5, check=greater_than(0), help="Exponent of the power decay."),
        Param(
            "decay_ratio",
            FLOAT,
            0.1,
            check=between(0, 1, low_open=True, high_open=True),
            help="Fraction the exp decay falls to before it is normalized to reach lr_min.",
        ),
        *_warmup_params(None),
        T_IN_EPOCHS,
        *NOISE_PARAMS,
    ],
    notes=(
        "The warmup is always a prefix: the whole schedule is warmup_t + t_initial long. As in timm, lr_min is "
        "reached one row after the last scheduled one.",
    ),
)
class TimmWSD(_Warmup):
    """Warmup, a stable phase, then a decay to lr_min over the last decay_t rows (timm 1.0's recommended schedule).

    Formula:
        lr_t = warmup_lr_init + t * (lr - warmup_lr_init) / W          for t < W
        stable_t = max(lr * stable(t - W), lr_min)                     stable(s) = 1, or (1 + s / timescale) ** -power
        lr_t = stable_t                                                until the last decay_t rows of t_initial
        lr_t = lr_min + (stable_t - lr_min) * decay(frac)              frac = rows into the decay / decay_t, at most 1

    Example:
        timm wsd --lr 1 --t-initial 10 --decay-t 4 --decay-fn linear -n 12
        0-6: 1.0, 7: 0.75, 8: 0.5, 9: 0.25, 10-11: 0.0
    """

    def __init__(
        self,
        optimizer: Any,
        t_initial: int,
        decay_t: int,
        lr_min: float = 0.0,
        stable_fn: str = "constant",
        stable_timescale: float | None = None,
        stable_power: float = 0.5,
        decay_fn: str = "1-sqrt",
        decay_power: float = 0.5,
        decay_ratio: float = 0.1,
        warmup_t: int = 0,
        warmup_lr_init: float = 0.0,
        t_in_epochs: bool = True,
        noise_range_t: Any = None,
        noise_pct: float = 0.67,
        noise_std: float = 1.0,
        noise_seed: int = 42,
    ) -> None:
        super().__init__(
            optimizer,
            param_group_field="lr",
            t_in_epochs=t_in_epochs,
            noise_range_t=noise_range_t,
            noise_pct=noise_pct,
            noise_std=noise_std,
            noise_seed=noise_seed,
        )
        # timm's checks, with timm's messages
        if not 0 < decay_t <= t_initial:
            raise LrplotError(f"Invalid decay_t ({decay_t}), must be in (0, t_initial] w/ t_initial={t_initial}.")
        if stable_fn != "constant":
            if stable_timescale is None:
                stable_timescale = warmup_t
            if stable_timescale <= 0:
                raise LrplotError(
                    f"stable_fn={stable_fn} requires a positive stable_timescale, it defaults to warmup_t "
                    f"({warmup_t}), set it explicitly when there is no warmup."
                )
        self.t_initial = t_initial
        self.decay_t = decay_t
        self.lr_min = lr_min
        self.stable_fn = stable_fn
        self.stable_timescale = stable_timescale
        self.stable_power = stable_power
        self.decay_fn = decay_fn
        self.decay_power = decay_power
        self.decay_ratio = decay_ratio
        self._init_warmup(warmup_t, warmup_lr_init, self.base_values)

    def _stable(self, t_s: float) -> float:
        if self.stable_fn == "constant":
            return 1.0
        power = 0.5 if self.stable_fn == "rsqrt" else self.stable_power
        return (1.0 + t_s / self.stable_timescale) ** -power

    def _decay(self, frac: float) -> float:
        if self.decay_fn == "linear":
            return 1.0 - frac
        if self.decay_fn == "1-sqrt":
            return 1.0 - math.sqrt(frac)
        if self.decay_fn == "cosine":
            return 0.5 * (1.0 + math.cos(math.pi * frac))
        if self.decay_fn == "power":
            return 1.0 - frac**self.decay_power
        r = self.decay_ratio  # exp: r ** frac decays to r at frac == 1, normalized to reach 0
        return (r**frac - r) / (1.0 - r)

    def _get_lr(self, t: int) -> list[float]:
        if t < self.warmup_t:
            return self._warmup_lrs(t)
        t_s = t - self.warmup_t
        # a decaying stable fn is kept at or above lr_min, the decay then has nothing left to do
        stable_lrs = [max(v * self._stable(t_s), self.lr_min) for v in self.base_values]
        t_decay = t_s - (self.t_initial - self.decay_t)
        if t_decay <= 0:
            return stable_lrs
        decay = self._decay(min(t_decay / self.decay_t, 1.0))
        return [self.lr_min + (lr - self.lr_min) * decay for lr in stable_lrs]
