"""PyTorch's epoch-indexed schedulers: LambdaLR, MultiplicativeLR, StepLR, MultiStepLR,
ConstantLR, LinearLR, ExponentialLR, PolynomialLR and CosineAnnealingLR.

Method bodies are torch 2.13's (``torch/optim/lr_scheduler.py``) verbatim: the
chainable ``get_lr`` rescales the current lr, so its rounding is torch's
rounding; ``_get_closed_form_lr`` is what ``--closed-form`` and SequentialLR's
milestones use.  In the formulas, ``t`` is the epoch (torch's ``last_epoch``)
and ``lr_0`` the group's initial lr.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from typing import Any

from ..errors import LrplotError
from ..params import (
    EPOCHS,
    FLOAT,
    INT,
    INT_LIST,
    Expression,
    Param,
    at_least,
    between,
    greater_than,
)
from ..registry import policy
from .torch_base import LRScheduler, group_values, numpy, products


def _per_group_functions(optimizer: Any, lr_lambda: Any) -> list[Any]:
    """LambdaLR's and MultiplicativeLR's ``lr_lambda``: one function for all groups, or one each."""
    groups = len(optimizer.param_groups)
    if not isinstance(lr_lambda, (list, tuple)):
        return [lr_lambda] * groups
    if len(lr_lambda) == 1:
        return list(lr_lambda) * groups
    if len(lr_lambda) != groups:
        # torch's own message, as the seed post shows it.
        raise LrplotError(f"Expected {groups} lr_lambdas, but got {len(lr_lambda)}")
    return list(lr_lambda)


@policy(
    "lambda",
    library_name="LambdaLR",
    closed_form=True,
    params=[
        Param(
            "lr_lambda",
            Expression("epoch"),
            option="expr",
            per_group=True,
            aliases=("expr",),
            help="Factor on the initial lr, a formula in 'epoch' (repeat: one per param group).",
        ),
    ],
)
class LambdaLR(LRScheduler):
    """Sets each group's lr to its initial lr times a formula of the epoch.

    The formula is parsed, never evaluated as Python: numbers, 'epoch',
    + - * / // % **, comparisons, 'a if cond else b' and math functions.

    Formula:
        lr_t = lr_0 * f(t)        f = --expr, a formula in epoch

    Example:
        lambda --lr 0.05 --expr "0.2 ** epoch"
        0: 0.05, 1: 0.010000000000000002, 2: 0.0020000000000000005, 3: 0.00040000000000000013
    """

    def __init__(self, optimizer: Any, lr_lambda: Any, last_epoch: int = -1) -> None:
        self.optimizer = optimizer
        self.lr_lambdas = _per_group_functions(optimizer, lr_lambda)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [base_lr * lmbda(self.last_epoch) for lmbda, base_lr in zip(self.lr_lambdas, self.base_lrs, strict=True)]


@policy(
    "multiplicative",
    library_name="MultiplicativeLR",
    params=[
        Param(
            "lr_lambda",
            Expression("epoch"),
            option="expr",
            per_group=True,
            aliases=("expr",),
            help="Factor applied to the current lr at each epoch, a formula in 'epoch' (repeat: one per group).",
        ),
    ],
)
class MultiplicativeLR(LRScheduler):
    """Multiplies each group's lr by a formula of the epoch, at every epoch.

    Formula:
        lr_0 = initial lr,   lr_t = lr_(t-1) * f(t)   for t >= 1

    Example:
        multiplicative --lr 0.1 --expr 0.5
        0: 0.1, 1: 0.05, 2: 0.025, 3: 0.0125
    """

    def __init__(self, optimizer: Any, lr_lambda: Any, last_epoch: int = -1) -> None:
        self.optimizer = optimizer
        self.lr_lambdas = _per_group_functions(optimizer, lr_lambda)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if not self._is_initial:
            return [
                group["lr"] * lmbda(self.last_epoch)
                for lmbda, group in zip(self.lr_lambdas, self.optimizer.param_groups, strict=True)
            ]
        return group_values(self.optimizer, "lr")


GAMMA = Param("gamma", FLOAT, 0.1, check=at_least(0), help="Multiplicative factor of each decay.")


@policy(
    "step",
    library_name="StepLR",
    closed_form=True,
    params=[
        Param("step_size", INT, check=at_least(1), help="Epochs between two decays."),
        GAMMA,
    ],
)
class StepLR(LRScheduler):
    """Decays each group's lr by gamma every step_size epochs.

    Formula:
        lr_t = lr_0 * gamma ** (t // step_size)

    Example:
        step --lr 0.05 --step-size 10 --gamma 0.1
        0-9: 0.05, 10-19: 0.005000000000000001, 20-29: 0.0005000000000000001, 30: 5.0000000000000016e-05
    """

    def __init__(self, optimizer: Any, step_size: int, gamma: float = 0.1, last_epoch: int = -1) -> None:
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if (self.last_epoch == 0) or (self.last_epoch % self.step_size != 0):
            return group_values(self.optimizer, "lr")
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [base_lr * self.gamma ** (self.last_epoch // self.step_size) for base_lr in self.base_lrs]

    def vectorized(self, epochs: int, closed_form: bool) -> Any:
        np = numpy()
        t = np.arange(epochs)
        if closed_form:
            return [base_lr * self.gamma ** (t // self.step_size) for base_lr in self.base_lrs], None
        factors = np.where((t > 0) & (t % self.step_size == 0), self.gamma, 1.0)
        return [products(lr, factors) for lr in self.get_last_lr()], None


@policy(
    "multistep",
    library_name="MultiStepLR",
    closed_form=True,
    params=[
        Param(
            "milestones",
            INT_LIST,
            check=EPOCHS,
            help="Epochs at which the lr is multiplied by gamma, e.g. 10,15,25,30 (a repeated one decays twice).",
        ),
        GAMMA,
    ],
)
class MultiStepLR(LRScheduler):
    """Decays each group's lr by gamma at each milestone epoch.

    Formula:
        lr_t = lr_0 * gamma ** (number of milestones <= t)

    Example:
        multistep --lr 0.05 --milestones 10,15,25,30 --gamma 0.1
        0-9: 0.05, 10-14: 0.005000000000000001, 15-24: 0.0005000000000000001, 25-29: 5.0000000000000016e-05, 30: 5.000000000000002e-06
    """

    def __init__(self, optimizer: Any, milestones: list[int], gamma: float = 0.1, last_epoch: int = -1) -> None:
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self.last_epoch not in self.milestones:
            return group_values(self.optimizer, "lr")
        return [group["lr"] * self.gamma ** self.milestones[self.last_epoch] for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        milestones = sorted(self.milestones.elements())
        return [base_lr * self.gamma ** bisect_right(milestones, self.last_epoch) for base_lr in self.base_lrs]

    def vectorized(self, epochs: int, closed_form: bool) -> Any:
        np = numpy()
        if closed_form:
            passed = np.searchsorted(sorted(self.milestones.elements()), np.arange(epochs), side="right")
            return [base_lr * self.gamma**passed for base_lr in self.base_lrs], None
        factors = np.ones(epochs)
        for milestone, count in self.milestones.items():
            if 0 < milestone < epochs:
                factors[milestone] = self.gamma**count
        return [products(lr, factors) for lr in self.get_last_lr()], None


@policy(
    "constant",
    library_name="ConstantLR",
    closed_form=True,
    params=[
        Param(
            "factor",
            FLOAT,
            1.0 / 3,
            check=between(0, 1),
            help="Factor on the lr until total_iters; torch requires 0 <= factor <= 1.",
        ),
        Param("total_iters", INT, 5, check=at_least(0), help="Epochs at the reduced lr."),
    ],
)
class ConstantLR(LRScheduler):
    """Multiplies each group's lr by a constant factor until total_iters, then restores it.

    Formula:
        lr_t = lr_0 * factor   for t < total_iters
        lr_t = lr_0            for t >= total_iters

    Example:
        constant --lr 0.1 --factor 0.5 --total-iters 4
        0-3: 0.05, 4: 0.1
    """

    def __init__(self, optimizer: Any, factor: float = 1.0 / 3, total_iters: int = 5, last_epoch: int = -1) -> None:
        if factor > 1.0 or factor < 0:
            raise LrplotError("Constant multiplicative factor expected to be between 0 and 1.")
        self.factor = factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0:
            return [group["lr"] * self.factor for group in self.optimizer.param_groups]
        if self.last_epoch != self.total_iters:
            return group_values(self.optimizer, "lr")
        return [group["lr"] * (1.0 / self.factor) for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [
            base_lr * (self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor))
            for base_lr in self.base_lrs
        ]

    def vectorized(self, epochs: int, closed_form: bool) -> Any:
        np = numpy()
        if closed_form:
            restored = np.arange(epochs) >= self.total_iters
            return [base_lr * (self.factor + restored * (1 - self.factor)) for base_lr in self.base_lrs], None
        factors = np.ones(epochs)
        if 0 < self.total_iters < epochs:
            factors[self.total_iters] = 1.0 / self.factor
        return [products(lr, factors) for lr in self.get_last_lr()], None


@policy(
    "linear",
    library_name="LinearLR",
    closed_form=True,
    params=[
        Param(
            "start_factor",
            FLOAT,
            1.0 / 3,
            check=between(0, 1, low_open=True),
            help="Factor on the lr at epoch 0; torch requires 0 < start_factor <= 1.",
        ),
        Param(
            "end_factor",
            FLOAT,
            1.0,
            check=between(0, 1),
            help="Factor reached at total_iters; torch requires 0 <= end_factor <= 1.",
        ),
        Param("total_iters", INT, 5, check=at_least(1), help="Epochs over which the factor moves."),
    ],
)
class LinearLR(LRScheduler):
    """Moves each group's lr linearly from start_factor to end_factor times its initial lr.

    A common warmup: start low and reach the full lr after total_iters epochs.

    Formula:
        lr_t = lr_0 * (start_factor + (end_factor - start_factor) * min(t, total_iters) / total_iters)

    Example:
        linear --lr 0.1 --start-factor 0.25 --total-iters 3
        0: 0.025, 1: 0.05, 2: 0.07500000000000001, 3-5: 0.1
    """

    def __init__(
        self,
        optimizer: Any,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        if start_factor > 1.0 or start_factor <= 0:
            raise LrplotError("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.")
        if end_factor > 1.0 or end_factor < 0:
            raise LrplotError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0:
            return [group["lr"] * self.start_factor for group in self.optimizer.param_groups]
        if self._is_initial or self.last_epoch > self.total_iters:
            return group_values(self.optimizer, "lr")
        return [
            group["lr"]
            * (
                1.0
                + (self.end_factor - self.start_factor)
                / (self.total_iters * self.start_factor + (self.last_epoch - 1) * (self.end_factor - self.start_factor))
            )
            for group in self.optimizer.param_groups
        ]

    def _get_closed_form_lr(self) -> list[float]:
        return [
            base_lr
            * (
                self.start_factor
                + (self.end_factor - self.start_factor) * min(self.total_iters, self.last_epoch) / self.total_iters
            )
            for base_lr in self.base_lrs
        ]

    def vectorized(self, epochs: int, closed_form: bool) -> Any:
        np = numpy()
        t = np.arange(epochs)
        if closed_form:
            done = np.minimum(self.total_iters, t)
            slope = self.end_factor - self.start_factor
            return [base_lr * (self.start_factor + slope * done / self.total_iters) for base_lr in self.base_lrs], None
        ramp = (t >= 1) & (t <= self.total_iters)
        change = self.end_factor - self.start_factor
        with np.errstate(divide="ignore", invalid="ignore"):  # outside the ramp the factor is 1
            step = 1.0 + change / (self.total_iters * self.start_factor + (t - 1) * change)
        factors = np.where(ramp, step, 1.0)
        return [products(lr, factors) for lr in self.get_last_lr()], None


@policy(
    "exponential",
    library_name="ExponentialLR",
    closed_form=True,
    params=[Param("gamma", FLOAT, check=at_least(0), help="Factor applied to the lr at every epoch.")],
)
class ExponentialLR(LRScheduler):
    """Multiplies each group's lr by gamma at every epoch.

    Formula:
        lr_t = lr_0 * gamma ** t

    Example:
        exponential --lr 0.2 --gamma 0.2 --closed-form
        0: 0.2, 1: 0.04000000000000001, 2: 0.008000000000000002, 4: 0.0003200000000000001
    """

    def __init__(self, optimizer: Any, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        # When loading from a checkpoint the constructor's initial step must not decay the lr.
        if self._is_initial:
            return group_values(self.optimizer, "lr")
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [base_lr * self.gamma**self.last_epoch for base_lr in self.base_lrs]

    def vectorized(self, epochs: int, closed_form: bool) -> Any:
        np = numpy()
        if closed_form:
            return [base_lr * self.gamma ** np.arange(epochs) for base_lr in self.base_lrs], None
        factors = np.full(epochs, self.gamma)
        return [products(lr, factors) for lr in self.get_last_lr()], None


@policy(
    "polynomial",
    library_name="PolynomialLR",
    closed_form=True,
    params=[
        Param("total_iters", INT, 5, check=at_least(1), help="Epochs until the lr reaches 0."),
        Param("power", FLOAT, 1.0, check=at_least(0), help="Power of the decay (1 = linear)."),
    ],
)
class PolynomialLR(LRScheduler):
    """Decays each group's lr to 0 over total_iters epochs with a polynomial of the given power.

    Formula:
        lr_t = lr_0 * (1 - min(t, total_iters) / total_iters) ** power

    Example:
        polynomial --lr 0.1 --total-iters 4 --power 2 --closed-form
        0: 0.1, 1: 0.05625, 2: 0.025, 3: 0.00625, 4-5: 0.0
    """

    def __init__(self, optimizer: Any, total_iters: int = 5, power: float = 1.0, last_epoch: int = -1) -> None:
        self.total_iters = total_iters
        self.power = power
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self._is_initial or self.last_epoch > self.total_iters:
            return group_values(self.optimizer, "lr")
        decay_factor = (
            (1.0 - self.last_epoch / self.total_iters) / (1.0 - (self.last_epoch - 1) / self.total_iters)
        ) ** self.power
        return [group["lr"] * decay_factor for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [
            base_lr * (1.0 - min(self.total_iters, self.last_epoch) / self.total_iters) ** self.power
            for base_lr in self.base_lrs
        ]

    def vectorized(self, epochs: int, closed_form: bool) -> Any:
        np = numpy()
        t = np.arange(epochs)
        if closed_form:
            left = (1.0 - np.minimum(self.total_iters, t) / self.total_iters) ** self.power
            return [base_lr * left for base_lr in self.base_lrs], None
        decaying = (t >= 1) & (t <= self.total_iters)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = ((1.0 - t / self.total_iters) / (1.0 - (t - 1) / self.total_iters)) ** self.power
        factors = np.where(decaying, step, 1.0)
        return [products(lr, factors) for lr in self.get_last_lr()], None


@policy(
    "cosine",
    library_name="CosineAnnealingLR",
    closed_form=True,
    params=[
        Param(
            "T_max",
            INT,
            check=greater_than(0),
            help="Epochs from the initial lr down to eta_min (half a cosine period).",
        ),
        Param("eta_min", FLOAT, 0.0, check=at_least(0), help="Lowest lr, reached at T_max."),
    ],
)
class CosineAnnealingLR(LRScheduler):
    """Anneals each group's lr along a cosine from its initial lr to eta_min over T_max epochs.

    Past T_max the cosine continues and the lr rises again (torch does not stop
    at eta_min).  torch computes it recursively from the current lr; the closed
    form below is what --closed-form shows.

    Formula:
        lr_t = eta_min + (lr_0 - eta_min) * (1 + cos(pi * t / T_max)) / 2

    Example:
        cosine --lr 10 --t-max 2 --closed-form
        0: 10.0, 1: 5.0, 2: 0.0, 3: 4.999999999999999, 4: 10.0
    """

    def __init__(self, optimizer: Any, T_max: int, eta_min: float = 0.0, last_epoch: int = -1) -> None:
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self._is_initial:
            return group_values(self.optimizer, "lr")
        elif self._step_count == 1 and self.last_epoch > 0:
            return [
                self.eta_min + (base_lr - self.eta_min) * (1 + math.cos((self.last_epoch) * math.pi / self.T_max)) / 2
                for base_lr, group in zip(self.base_lrs, self.optimizer.param_groups, strict=True)
            ]
        elif (self.last_epoch - 1 - self.T_max) % (2 * self.T_max) == 0:
            return [
                group["lr"] + (base_lr - self.eta_min) * (1 - math.cos(math.pi / self.T_max)) / 2
                for base_lr, group in zip(self.base_lrs, self.optimizer.param_groups, strict=True)
            ]
        return [
            (1 + math.cos(math.pi * self.last_epoch / self.T_max))
            / (1 + math.cos(math.pi * (self.last_epoch - 1) / self.T_max))
            * (group["lr"] - self.eta_min)
            + self.eta_min
            for group in self.optimizer.param_groups
        ]

    def _get_closed_form_lr(self) -> list[float]:
        return [
            self.eta_min + (base_lr - self.eta_min) * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
            for base_lr in self.base_lrs
        ]

    def vectorized(self, epochs: int, closed_form: bool) -> Any:
        np = numpy()
        if closed_form:
            wave = (1 + np.cos(math.pi * np.arange(epochs) / self.T_max)) / 2
            return [self.eta_min + (base_lr - self.eta_min) * wave for base_lr in self.base_lrs], None
        # The recursion is affine, not a product: no cumulative product reproduces its rounding, so
        # it runs as a tight loop of torch's own expressions, bit for bit (about 0.3 s per million).
        return [
            np.array(self._chainable_rows(lr, base_lr, epochs))
            for lr, base_lr in zip(self.get_last_lr(), self.base_lrs)
        ], None

    def _chainable_rows(self, lr: float, base_lr: float, epochs: int) -> list[float]:
        T_max, eta_min, pi, cos = self.T_max, self.eta_min, math.pi, math.cos
        bump = (base_lr - eta_min) * (1 - cos(pi / T_max)) / 2
        rows = [lr]
        before = 1 + cos(pi * 0 / T_max)
        for t in range(1, epochs):
            now = 1 + cos(pi * t / T_max)
            if (t - 1 - T_max) % (2 * T_max) == 0:
                lr = lr + bump
            else:
                lr = now / before * (lr - eta_min) + eta_min
            rows.append(lr)
            before = now
        return rows
