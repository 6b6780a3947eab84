"""A stand-in for a torch optimizer: param groups that hold ``lr`` and ``momentum``, nothing else.

Schedulers only ever read and write ``optimizer.param_groups[i][key]`` and
look at ``optimizer.defaults``, so this is all a scheduler port needs:

>>> opt = SimOptimizer([0.05, 0.01], momentum=[0.9])
>>> opt.param_groups
[{'lr': 0.05, 'momentum': 0.9}, {'lr': 0.01, 'momentum': 0.9}]
"""

from __future__ import annotations

from typing import Any

from .errors import LrplotError


class SimOptimizer:
    """``torch.optim.SGD(groups, lr=..., momentum=...)`` without parameters or gradients."""

    def __init__(self, lr: list[float], momentum: list[float]) -> None:
        if not lr:
            raise LrplotError("--lr: expected at least one learning rate")
        if len(momentum) not in (1, len(lr)):
            raise LrplotError(f"--momentum: expected 1 value or one per param group ({len(lr)}), got {len(momentum)}")
        momenta = momentum * len(lr) if len(momentum) == 1 else momentum
        self.param_groups: list[dict[str, Any]] = [
            {"lr": group_lr, "momentum": group_momentum} for group_lr, group_momentum in zip(lr, momenta)
        ]
        # SGD's defaults always contain "momentum", which CyclicLR and OneCycleLR check for.
        self.defaults: dict[str, Any] = {"lr": lr[0], "momentum": momenta[0]}

    def lrs(self) -> list[float]:
        return [group["lr"] for group in self.param_groups]

    def momenta(self) -> list[float]:
        return [group["momentum"] for group in self.param_groups]
