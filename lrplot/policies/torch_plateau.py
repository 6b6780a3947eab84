"""PyTorch's ReduceLROnPlateau, fed with a metric series read from a file.

Row ``e`` of the preview is the lr used during epoch ``e`` together with the
metric measured in that epoch; ``scheduler.step(metric_e)`` runs at the end of
the epoch, so a metric can only change the lr from row ``e + 1`` on.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import LrplotError
from ..params import FLOAT, INT, PATH, STR, Check, Choice, Param, at_least
from ..registry import policy
from .torch_base import LRScheduler, group_values

PLATEAU_PARAMS: list[Param] = [
    Param(
        "metrics",
        PATH,
        kwarg=False,
        help="File with the metric of each epoch: one number per line, or a CSV with a header; - reads stdin.",
    ),
    Param("metric_column", STR, None, kwarg=False, help="Column of a CSV --metrics file to use."),
    Param(
        "mode",
        Choice(("min", "max")),
        "min",
        help="min: the metric should fall (a loss); max: it should rise (an accuracy).",
    ),
    Param(
        "factor",
        FLOAT,
        0.1,
        check=Check(lambda v: 0 <= v < 1, "in [0, 1)"),
        help="Factor applied to the lr when the metric stops improving; torch requires < 1.",
    ),
    Param("patience", INT, 10, check=at_least(0), help="Epochs without improvement tolerated before reducing."),
    Param("threshold", FLOAT, 1e-4, check=at_least(0), help="Smallest change that counts as an improvement."),
    Param(
        "threshold_mode",
        Choice(("rel", "abs")),
        "rel",
        help="rel: improvement relative to the best value; abs: absolute difference.",
    ),
    Param(
        "cooldown",
        INT,
        0,
        check=at_least(0),
        help="Epochs after a reduction during which bad epochs are not counted.",
    ),
    Param("min_lr", FLOAT, 0.0, per_group=True, check=at_least(0), help="Lowest lr (repeat: one per group)."),
    Param("eps", FLOAT, 1e-8, check=at_least(0), help="A reduction smaller than eps is skipped."),
]
"""ReduceLROnPlateau's keywords, and the file of metrics it reacts to (shared with hf reduce-lr-on-plateau)."""


@policy(
    "plateau",
    library_name="ReduceLROnPlateau",
    params=PLATEAU_PARAMS,
)
class ReduceLROnPlateau(LRScheduler):
    """Reduces each group's lr by factor when the metric has stopped improving for patience epochs.

    In mode min an epoch improves on the best metric if metric < best * (1 -
    threshold) (rel) or metric < best - threshold (abs); mode max mirrors it.

    Formula:
        bad = epochs since the last improvement (not counted during cooldown)
        when bad > patience:  lr = max(lr * factor, min_lr) unless that changes lr by less than eps

    Example:
        plateau --lr 10 --metrics samples/metrics/seed_losses.txt
        0-11: 10.0, 12-22: 1.0, 23-33: 0.1, 34-44: 0.010000000000000002, 45: 0.0010000000000000002
    """

    def __init__(
        self,
        optimizer: Any,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: Any = 0,
        eps: float = 1e-8,
    ) -> None:
        if factor >= 1.0:
            raise LrplotError("Factor should be < 1.0.")
        self.factor = factor
        self.optimizer = optimizer
        groups = len(optimizer.param_groups)
        if isinstance(min_lr, (list, tuple)) and len(min_lr) > 1:
            if len(min_lr) != groups:
                raise LrplotError(f"expected {groups} min_lrs, got {len(min_lr)}")
            self.min_lrs = list(min_lr)
        else:
            value = min_lr[0] if isinstance(min_lr, (list, tuple)) else min_lr
            self.min_lrs = [value] * groups
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.last_epoch = 0
        self._last_lr = group_values(self.optimizer, "lr")
        self._init_is_better(mode=mode, threshold=threshold, threshold_mode=threshold_mode)
        self._reset()

    def _reset(self) -> None:
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def step(self, metrics: Any, epoch: Any = None) -> None:  # type: ignore[override]
        current = float(metrics)
        if epoch is None:
            epoch = self.last_epoch + 1
        self.last_epoch = epoch

        if self._is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1

        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # ignore any bad epochs in cooldown

        if self.num_bad_epochs > self.patience:
            self._reduce_lr(epoch)
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0

        self._last_lr = group_values(self.optimizer, "lr")

    def _reduce_lr(self, epoch: int) -> None:
        for i, param_group in enumerate(self.optimizer.param_groups):
            old_lr = float(param_group["lr"])
            new_lr = max(old_lr * self.factor, self.min_lrs[i])
            if old_lr - new_lr > self.eps:
                param_group["lr"] = new_lr

    @property
    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def _is_better(self, a: float, best: float) -> bool:
        if self.mode == "min" and self.threshold_mode == "rel":
            rel_epsilon = 1.0 - self.threshold
            return a < best * rel_epsilon
        elif self.mode == "min" and self.threshold_mode == "abs":
            return a < best - self.threshold
        elif self.mode == "max" and self.threshold_mode == "rel":
            rel_epsilon = self.threshold + 1.0
            return a > best * rel_epsilon
        else:  # mode == 'max' and threshold_mode == 'abs'
            return a > best + self.threshold

    def _init_is_better(self, mode: str, threshold: float, threshold_mode: str) -> None:
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode

    def advance(self, metric: float | None) -> None:
        self.step(metric)
