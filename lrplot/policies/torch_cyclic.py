"""PyTorch's cyclical schedulers: CyclicLR, OneCycleLR and CosineAnnealingWarmRestarts.

CyclicLR and OneCycleLR are stepped once per batch in training code and also
cycle the optimizer's momentum (inversely to the lr) unless
``--no-cycle-momentum``; lrplot then shows momentum next to the lr.
Method bodies are torch 2.13's.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import LrplotError
from ..params import (
    BOOL,
    FLOAT,
    INT,
    Choice,
    Expression,
    Param,
    at_least,
    between,
    greater_than,
)
from ..registry import policy
from .torch_base import LRScheduler, finite, format_param, numpy


def _set_momentum(group: dict[str, Any], momentum: float) -> None:
    # SGD's "momentum"; torch writes betas[0] instead for Adam-style optimizers.
    group["momentum"] = momentum


@policy(
    "cyclic",
    library_name="CyclicLR",
    closed_form=True,
    per_step=True,
    replaces_lr=True,
    cycles_momentum=lambda bound: bool(bound["cycle_momentum"]),
    params=[
        Param(
            "base_lr",
            FLOAT,
            per_group=True,
            check=at_least(0),
            help="Lower lr of the cycle; replaces --lr (repeat: one per group).",
        ),
        Param(
            "max_lr", FLOAT, per_group=True, check=at_least(0), help="Upper lr of the cycle (repeat: one per group)."
        ),
        Param("step_size_up", INT, 2000, check=at_least(1), help="Steps from base_lr up to max_lr."),
        Param(
            "step_size_down", INT, None, check=at_least(1), help="Steps from max_lr back down (default: step_size_up)."
        ),
        Param(
            "mode",
            Choice(("triangular", "triangular2", "exp_range")),
            "triangular",
            help="triangular: constant amplitude; triangular2: halved every cycle; exp_range: scaled by gamma**step.",
        ),
        Param("gamma", FLOAT, 1.0, check=at_least(0), help="Base of exp_range's amplitude scaling gamma**step."),
        Param(
            "scale_fn",
            Expression("x"),
            None,
            help="Custom amplitude scale, a formula in 'x' between 0 and 1; overrides --mode.",
        ),
        Param(
            "scale_mode",
            Choice(("cycle", "iterations")),
            "cycle",
            help="What x is for --scale-fn: the cycle number or the step count.",
        ),
        Param("cycle_momentum", BOOL, True, help="Cycle momentum inversely to the lr, between base and max momentum."),
        Param("base_momentum", FLOAT, 0.8, per_group=True, check=between(0, 1), help="Momentum at the lr's peak."),
        Param(
            "max_momentum",
            FLOAT,
            0.9,
            per_group=True,
            check=between(0, 1),
            help="Momentum at the lr's trough; also the starting momentum.",
        ),
    ],
)
class CyclicLR(LRScheduler):
    """Cycles each group's lr between base_lr and max_lr (cyclical learning rates, Smith 2017).

    A triangle of step_size_up steps up and step_size_down steps down; the
    amplitude is scaled per cycle (triangular2), per step (exp_range) or by a
    custom --scale-fn.  Momentum moves the opposite way.  The optimizer's --lr
    is replaced by base_lr, as torch does.

    Formula:
        cycle = floor(1 + t / (up + down));  x = 1 + t / (up + down) - cycle
        s = x / r if x <= r else (x - 1) / (r - 1)          r = up / (up + down)
        lr_t = base_lr + (max_lr - base_lr) * s * scale(cycle or t)
        momentum_t = max_momentum - (max_momentum - base_momentum) * s * scale(cycle or t)

    Example:
        cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 2
        0: 0.01, 1: 0.05500000000000001, 2: 0.1, 3: 0.05500000000000001, 4: 0.01
    """

    def __init__(
        self,
        optimizer: Any,
        base_lr: Any,
        max_lr: Any,
        step_size_up: int = 2000,
        step_size_down: int | None = None,
        mode: str = "triangular",
        gamma: float = 1.0,
        scale_fn: Any = None,
        scale_mode: str = "cycle",
        cycle_momentum: bool = True,
        base_momentum: Any = 0.8,
        max_momentum: Any = 0.9,
        last_epoch: int = -1,
    ) -> None:
        self.optimizer = optimizer
        base_lrs = format_param("base_lr", optimizer, base_lr)
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups, strict=True):
                group["lr"] = lr
        self.max_lrs = format_param("max_lr", optimizer, max_lr)
        step_size_up = float(step_size_up)
        step_size_down = float(step_size_down) if step_size_down is not None else step_size_up
        self.total_size = step_size_up + step_size_down
        self.step_ratio = step_size_up / self.total_size
        if mode not in ["triangular", "triangular2", "exp_range"] and scale_fn is None:
            raise LrplotError("mode is invalid and scale_fn is None")
        self.mode = mode
        self.gamma = gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode
        self._init_scale_fn()
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if "momentum" not in optimizer.defaults:
                raise LrplotError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
            self.base_momentums = format_param("base_momentum", optimizer, base_momentum)
            self.max_momentums = format_param("max_momentum", optimizer, max_momentum)
            if last_epoch == -1:
                for m_momentum, b_momentum, group in zip(
                    self.max_momentums, self.base_momentums, optimizer.param_groups, strict=True
                ):
                    _set_momentum(group, m_momentum)
                    group["max_momentum"] = m_momentum
                    group["base_momentum"] = b_momentum
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def _init_scale_fn(self) -> None:
        if self._scale_fn_custom is not None:
            return
        if self.mode == "triangular":
            self._scale_fn_ref = self._triangular_scale_fn
            self.scale_mode = "cycle"
        elif self.mode == "triangular2":
            self._scale_fn_ref = self._triangular2_scale_fn
            self.scale_mode = "cycle"
        elif self.mode == "exp_range":
            gamma = self.gamma
            self._scale_fn_ref = lambda x: self._exp_range_scale_fn(gamma, x)
            self.scale_mode = "iterations"

    def scale_fn(self, x: float) -> float:
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        return self._scale_fn_ref(x)

    @staticmethod
    def _triangular_scale_fn(x: float) -> float:
        return 1.0

    @staticmethod
    def _triangular2_scale_fn(x: float) -> float:
        return 1 / (2.0 ** (x - 1))

    @staticmethod
    def _exp_range_scale_fn(gamma: float, x: float) -> float:
        return gamma**x

    def get_lr(self) -> list[float]:
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            scale_factor = x / self.step_ratio
        else:
            scale_factor = (x - 1) / (self.step_ratio - 1)

        lrs = []
        for base_lr, max_lr in zip(self.base_lrs, self.max_lrs, strict=True):
            base_height = (max_lr - base_lr) * scale_factor
            if self.scale_mode == "cycle":
                lr = base_lr + base_height * self.scale_fn(cycle)
            else:
                lr = base_lr + base_height * self.scale_fn(self.last_epoch)
            lrs.append(lr)

        if self.cycle_momentum:
            momentums = []
            for base_momentum, max_momentum in zip(self.base_momentums, self.max_momentums, strict=True):
                base_height = (max_momentum - base_momentum) * scale_factor
                if self.scale_mode == "cycle":
                    momentum = max_momentum - base_height * self.scale_fn(cycle)
                else:
                    momentum = max_momentum - base_height * self.scale_fn(self.last_epoch)
                momentums.append(momentum)
            for param_group, momentum in zip(self.optimizer.param_groups, momentums, strict=True):
                _set_momentum(param_group, momentum)

        return lrs

    def vectorized(self, epochs: int, closed_form: bool) -> Any:
        if self._scale_fn_custom is not None:
            return None  # a formula is evaluated per step
        np = numpy()
        t = np.arange(epochs)
        cycle = np.floor(1 + t / self.total_size)
        x = 1.0 + t / self.total_size - cycle
        with np.errstate(divide="ignore", invalid="ignore"):
            scale_factor = np.where(x <= self.step_ratio, x / self.step_ratio, (x - 1) / (self.step_ratio - 1))
        if self.mode == "triangular":
            scale = np.ones(epochs)
        elif self.mode == "triangular2":
            scale = 1 / (2.0 ** (cycle - 1))
        else:  # exp_range scales by step
            scale = self.gamma**t
        lrs = [
            base_lr + (max_lr - base_lr) * scale_factor * scale for base_lr, max_lr in zip(self.base_lrs, self.max_lrs)
        ]
        momenta = None
        if self.cycle_momentum:
            momenta = [
                max_momentum - (max_momentum - base_momentum) * scale_factor * scale
                for base_momentum, max_momentum in zip(self.base_momentums, self.max_momentums)
            ]
        return (lrs, momenta) if finite(*lrs, *(momenta or [])) else None


@policy(
    "cosine-restarts",
    library_name="CosineAnnealingWarmRestarts",
    closed_form=True,
    params=[
        Param("T_0", INT, check=at_least(1), help="Epochs until the first restart."),
        Param("T_mult", INT, 1, check=at_least(1), help="Each period is T_mult times longer than the one before."),
        Param("eta_min", FLOAT, 0.0, check=at_least(0), help="Lowest lr, reached at the end of each period."),
    ],
)
class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine annealing from the initial lr to eta_min, restarted every period (SGDR).

    Periods last T_0, T_0*T_mult, T_0*T_mult**2, ... epochs.  --closed-form
    uses torch's step(epoch) path, which computes the position in the period
    from the epoch directly (in floating point when T_mult > 1).

    Formula:
        lr_t = eta_min + (lr_0 - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2
        T_cur = epochs since the last restart,  T_i = length of the current period

    Example:
        cosine-restarts --lr 0.1 --t-0 2
        0: 0.1, 1: 0.05, 2: 0.1, 3: 0.05
    """

    def __init__(self, optimizer: Any, T_0: int, T_mult: int = 1, eta_min: float = 0.0, last_epoch: int = -1) -> None:
        if T_0 <= 0 or not isinstance(T_0, int):
            raise LrplotError(f"Expected positive integer T_0, but got {T_0}")
        if T_mult < 1 or not isinstance(T_mult, int):
            raise LrplotError(f"Expected integer T_mult >= 1, but got {T_mult}")
        self.T_0 = T_0
        self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [
            self.eta_min + (base_lr - self.eta_min) * (1 + math.cos(math.pi * self.T_cur / self.T_i)) / 2
            for base_lr in self.base_lrs
        ]

    def step(self, epoch: Any = None) -> None:
        if epoch is None and self.last_epoch < 0:
            epoch = 0

        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
        else:
            if epoch < 0:
                raise LrplotError(f"Expected non-negative epoch, but got {epoch}")
            if epoch >= self.T_0:
                if self.T_mult == 1:
                    self.T_cur = epoch % self.T_0
                else:
                    n = int(math.log((epoch / self.T_0 * (self.T_mult - 1) + 1), self.T_mult))
                    self.T_cur = epoch - self.T_0 * (self.T_mult**n - 1) / (self.T_mult - 1)
                    self.T_i = self.T_0 * self.T_mult ** (n)
            else:
                self.T_i = self.T_0
                self.T_cur = epoch
        self.last_epoch = math.floor(epoch)

        for param_group, lr in zip(self.optimizer.param_groups, self.get_lr(), strict=True):
            param_group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def vectorized(self, epochs: int, closed_form: bool) -> Any:
        if closed_form and self.T_mult > 1:
            return None  # torch's step(epoch) finds the period with a float log: step it to keep its quirks
        np = numpy()
        # Periods of T_0, T_0*T_mult, ... epochs: T_cur counts within one, T_i is its length.
        t_cur = np.empty(epochs)
        t_i = np.empty(epochs)
        start, length = 0, self.T_0
        while start < epochs:
            stop = min(epochs, start + length)
            t_cur[start:stop] = np.arange(stop - start)
            t_i[start:stop] = length
            start, length = stop, length * self.T_mult
        wave = (1 + np.cos(math.pi * t_cur / t_i)) / 2
        return [self.eta_min + (base_lr - self.eta_min) * wave for base_lr in self.base_lrs], None


@policy(
    "onecycle",
    library_name="OneCycleLR",
    closed_form=True,
    per_step=True,
    replaces_lr=True,
    cycles_momentum=lambda bound: bool(bound["cycle_momentum"]),
    params=[
        Param(
            "max_lr", FLOAT, per_group=True, check=greater_than(0), help="Peak lr of the cycle (repeat: one per group)."
        ),
        Param(
            "total_steps",
            INT,
            None,
            check=at_least(1),
            help="Steps in the cycle (default: the run length -n); stepping past it is an error, as in torch.",
        ),
        Param("pct_start", FLOAT, 0.3, check=between(0, 1), help="Fraction of the cycle spent increasing the lr."),
        Param("anneal_strategy", Choice(("cos", "linear")), "cos", help="Shape of each phase: cosine or linear."),
        Param("cycle_momentum", BOOL, True, help="Cycle momentum inversely to the lr, between base and max momentum."),
        Param("base_momentum", FLOAT, 0.85, per_group=True, check=between(0, 1), help="Momentum at the lr's peak."),
        Param("max_momentum", FLOAT, 0.95, per_group=True, check=between(0, 1), help="Momentum at the start and end."),
        Param("div_factor", FLOAT, 25.0, check=greater_than(0), help="Initial lr = max_lr / div_factor."),
        Param("final_div_factor", FLOAT, 1e4, check=greater_than(0), help="Final lr = initial lr / final_div_factor."),
        Param(
            "three_phase", BOOL, False, help="Go back down to the initial lr symmetrically before the final annealing."
        ),
    ],
)
class OneCycleLR(LRScheduler):
    """The 1cycle policy: warm up to max_lr, then anneal far below the initial lr (Smith & Topin 2018).

    The optimizer's --lr is replaced by max_lr / div_factor, as torch does.
    Momentum moves the opposite way, from max_momentum down to base_momentum
    at the peak and back.

    Formula:
        initial = max_lr / div_factor,  min = initial / final_div_factor,  p = pct_start * total_steps - 1
        t <= p:  lr_t = anneal(initial, max_lr, t / p)
        t > p:   lr_t = anneal(max_lr, min, (t - p) / (total_steps - 1 - p))
        anneal(a, b, f) = b + (a - b) * (cos(pi * f) + 1) / 2   (cos)   or   a + (b - a) * f   (linear)

    Example:
        onecycle --max-lr 0.1 --total-steps 10 --anneal-strategy linear -n 10
        0: 0.004, 1: 0.052000000000000005, 2: 0.1, 9: 3.999999999976245e-07
    """

    @classmethod
    def constructor_kwargs(cls, bound: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
        kwargs = super().constructor_kwargs(bound, run)
        if kwargs["total_steps"] is None:  # lrplot's default: one cycle over the run (-n)
            kwargs["total_steps"] = run["epochs"]
        return kwargs

    @classmethod
    def build(cls, optimizer: Any, bound: dict[str, Any], run: dict[str, Any]) -> LRScheduler:
        scheduler = super().build(optimizer, bound, run)
        scheduler.run_steps = run["epochs"]  # for the hint when the run steps past total_steps
        return scheduler

    def __init__(
        self,
        optimizer: Any,
        max_lr: Any,
        total_steps: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: Any = 0.85,
        max_momentum: Any = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        self.optimizer = optimizer
        if total_steps is None or total_steps <= 0 or not isinstance(total_steps, int):
            raise LrplotError(f"Expected positive integer total_steps, but got {total_steps}")
        self.total_steps = total_steps

        if three_phase:
            self._schedule_phases = [
                {
                    "end_step": float(pct_start * self.total_steps) - 1,
                    "start_lr": "initial_lr",
                    "end_lr": "max_lr",
                    "start_momentum": "max_momentum",
                    "end_momentum": "base_momentum",
                },
                {
                    "end_step": float(2 * pct_start * self.total_steps) - 2,
                    "start_lr": "max_lr",
                    "end_lr": "initial_lr",
                    "start_momentum": "base_momentum",
                    "end_momentum": "max_momentum",
                },
                {
                    "end_step": self.total_steps - 1,
                    "start_lr": "initial_lr",
                    "end_lr": "min_lr",
                    "start_momentum": "max_momentum",
                    "end_momentum": "max_momentum",
                },
            ]
        else:
            self._schedule_phases = [
                {
                    "end_step": float(pct_start * self.total_steps) - 1,
                    "start_lr": "initial_lr",
                    "end_lr": "max_lr",
                    "start_momentum": "max_momentum",
                    "end_momentum": "base_momentum",
                },
                {
                    "end_step": self.total_steps - 1,
                    "start_lr": "max_lr",
                    "end_lr": "min_lr",
                    "start_momentum": "base_momentum",
                    "end_momentum": "max_momentum",
                },
            ]

        if pct_start < 0 or pct_start > 1 or not isinstance(pct_start, float):
            raise LrplotError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in ["cos", "linear"]:
            raise LrplotError(f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}")
        self._anneal_func_type = anneal_strategy

        max_lrs = format_param("max_lr", self.optimizer, max_lr)
        if last_epoch == -1:
            for idx, group in enumerate(self.optimizer.param_groups):
                group["initial_lr"] = max_lrs[idx] / div_factor
                group["max_lr"] = max_lrs[idx]
                group["min_lr"] = group["initial_lr"] / final_div_factor

        self.cycle_momentum = cycle_momentum
        if self.cycle_momentum:
            if "momentum" not in self.optimizer.defaults:
                raise LrplotError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
            max_momentums = format_param("max_momentum", optimizer, max_momentum)
            base_momentums = format_param("base_momentum", optimizer, base_momentum)
            if last_epoch == -1:
                for m_momentum, b_momentum, group in zip(
                    max_momentums, base_momentums, optimizer.param_groups, strict=True
                ):
                    _set_momentum(group, m_momentum)
                    group["max_momentum"] = m_momentum
                    group["base_momentum"] = b_momentum

        super().__init__(optimizer, last_epoch)

    def _anneal_func(self, start: float, end: float, pct: float) -> float:
        if self._anneal_func_type == "cos":
            return self._annealing_cos(start, end, pct)
        return self._annealing_linear(start, end, pct)

    @staticmethod
    def _annealing_cos(start: float, end: float, pct: float) -> float:
        cos_out = math.cos(math.pi * pct) + 1
        return end + (start - end) / 2.0 * cos_out

    @staticmethod
    def _annealing_linear(start: float, end: float, pct: float) -> float:
        return (end - start) * pct + start

    def get_lr(self) -> list[float]:
        lrs = []
        step_num = self.last_epoch

        if step_num > self.total_steps:
            hint = ""
            if getattr(self, "run_steps", None):  # -n N steps the scheduler N times, the last after row N-1
                hint = f" (-n {self.run_steps} steps it {self.run_steps} times: give --total-steps {self.run_steps} or more, or leave it out)"
            raise LrplotError(
                f"Tried to step {step_num} times. The specified number of total steps is {self.total_steps}{hint}"
            )

        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, phase in enumerate(self._schedule_phases):
                end_step = phase["end_step"]
                if step_num <= end_step or i == len(self._schedule_phases) - 1:
                    pct = (step_num - start_step) / (end_step - start_step)
                    computed_lr = self._anneal_func(group[phase["start_lr"]], group[phase["end_lr"]], pct)
                    if self.cycle_momentum:
                        computed_momentum = self._anneal_func(
                            group[phase["start_momentum"]], group[phase["end_momentum"]], pct
                        )
                    break
                start_step = phase["end_step"]

            lrs.append(computed_lr)
            if self.cycle_momentum:
                _set_momentum(group, computed_momentum)

        return lrs

    def vectorized(self, epochs: int, closed_form: bool) -> Any:
        if epochs > self.total_steps:
            return None  # stepping raises torch's "Tried to step ... times" at the right step
        np = numpy()
        steps = np.arange(epochs, dtype=float)
        lrs, momenta = [], []
        for group in self.optimizer.param_groups:
            lr, momentum = np.empty(epochs), np.empty(epochs)
            start_step, unassigned = 0.0, np.ones(epochs, dtype=bool)
            for i, phase in enumerate(self._schedule_phases):
                end_step = phase["end_step"]
                here = unassigned & ((steps <= end_step) | (i == len(self._schedule_phases) - 1))
                with np.errstate(divide="ignore", invalid="ignore"):
                    pct = (steps[here] - start_step) / (end_step - start_step)
                lr[here] = self._anneal_array(group[phase["start_lr"]], group[phase["end_lr"]], pct)
                if self.cycle_momentum:
                    momentum[here] = self._anneal_array(
                        group[phase["start_momentum"]], group[phase["end_momentum"]], pct
                    )
                unassigned &= ~here
                start_step = phase["end_step"]
            lrs.append(lr)
            momenta.append(momentum)
        momenta_out = momenta if self.cycle_momentum else None
        return (lrs, momenta_out) if finite(*lrs, *(momenta_out or [])) else None

    def _anneal_array(self, start: float, end: float, pct: Any) -> Any:
        np = numpy()
        if self._anneal_func_type == "cos":
            return end + (start - end) / 2.0 * (np.cos(math.pi * pct) + 1)
        return (end - start) * pct + start
