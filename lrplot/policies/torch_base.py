"""A port of ``torch.optim.lr_scheduler.LRScheduler`` (PyTorch 2.13) without torch.

lrplot's numbers are torch's numbers because the stepping machinery is
torch's, line for line: the initial step taken by the constructor, the
``_is_initial`` flag, ``last_epoch``, ``_step_count``, the chainable
``get_lr()`` that rescales the optimizer's current ``group["lr"]``, and the
``_get_closed_form_lr()`` that ``step(epoch)`` (and SequentialLR at a
milestone) uses instead.  Tensors, warnings and the optimizer-step patching
are left out: they never change a value.

Subclasses keep torch's method bodies (arithmetic, order and branches
unchanged), so each can be checked against ``torch/optim/lr_scheduler.py``
side by side.  Deliberate differences, none of which changes a number: errors
are :class:`LrplotError` with torch's text, a list of one value is spread over
every param group (torch would demand one per group), and lrplot's own
parameter checks refuse values torch would only fail on later.
"""

from __future__ import annotations

import inspect
from typing import Any

from ..errors import LrplotError
from ..optimizer import SimOptimizer


def format_param(name: str, optimizer: SimOptimizer, param: Any) -> list[Any]:
    """torch's ``_format_param``: one value per param group, or one for all of them.

    lrplot passes list-valued options as lists; a list of one value means
    "the same for every group", as a plain float does in torch.
    """
    if isinstance(param, (list, tuple)):
        if len(param) == 1:
            return list(param) * len(optimizer.param_groups)
        if len(param) != len(optimizer.param_groups):
            raise LrplotError(
                f"{name} must have the same length as optimizer.param_groups. "
                f"{name} has {len(param)} values, param_groups has {len(optimizer.param_groups)}. "
                f"(Param groups come from --lr: give it {len(param)} times, or give {name} once for all groups.)"
            )
        return list(param)
    return [param] * len(optimizer.param_groups)


def group_values(optimizer: SimOptimizer, key: str) -> list[Any]:
    """torch's ``_param_groups_val_list``."""
    return [group[key] for group in optimizer.param_groups]


class LRScheduler:
    """torch's ``LRScheduler`` base: construction, ``step()`` and ``_update_lr``."""

    policy: Any  # set by @policy

    def __init__(self, optimizer: SimOptimizer, last_epoch: int = -1) -> None:
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise LrplotError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] "
                        "when resuming scheduler with last_epoch >= 0."
                    )
        self.base_lrs: list[float] = group_values(optimizer, "initial_lr")
        self.last_epoch = last_epoch
        self._initial_step()

    @classmethod
    def constructor_kwargs(cls, bound: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
        """The keyword arguments torch's constructor takes, from the bound parameters."""
        return {p.name: bound[p.name] for p in cls.policy.params if p.kwarg}

    @classmethod
    def build(cls, optimizer: SimOptimizer, bound: dict[str, Any], run: dict[str, Any]) -> LRScheduler:
        """Construct from bound parameters, as ``cls(optimizer, **kwargs)`` would in torch."""
        return cls(optimizer, **cls.constructor_kwargs(bound, run), **resumed_kwargs(cls, run))

    # -- torch's machinery -------------------------------------------------

    _is_initial = False

    def _initial_step(self) -> None:
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_last_lr(self) -> list[float]:
        return self._last_lr

    def get_lr(self) -> list[float]:
        # Reached only by torch's own dead end: SequentialLR restarting a composite at a milestone.
        raise LrplotError(
            f"torch 2.13 cannot restart a {type(self).__name__} at a SequentialLR milestone "
            "(it has no get_lr and torch raises NotImplementedError)"
        )

    def step(self, epoch: int | None = None) -> None:
        self._step_count += 1
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            self.last_epoch = epoch
            if hasattr(self, "_get_closed_form_lr"):
                values = self._get_closed_form_lr()
            else:
                values = self.get_lr()
        for param_group, lr in zip(self.optimizer.param_groups, values, strict=True):
            param_group["lr"] = lr
        self._last_lr = group_values(self.optimizer, "lr")

    # -- how lrplot drives it ----------------------------------------------

    def advance(self, metric: float | None) -> None:
        """The call a training loop makes at the end of an epoch (ReduceLROnPlateau passes the metric)."""
        self.step()

    def vectorized(self, epochs: int, closed_form: bool) -> tuple[list[Any], list[Any] | None] | None:
        """Rows 0..epochs-1 at once as numpy arrays (lr per group, momentum per group or None).

        Called on a freshly built scheduler for long runs.  ``None`` means "no
        vectorized form here: step it".  Product-form recursions are rebuilt with
        a cumulative product, which multiplies in the same order as torch and so
        gives the same bits; forms that need ``cos`` or ``**`` may differ from
        Python's ``math`` in the last bit.
        """
        return None


RESUMED = "last_epoch"
"""The ``run`` key of a scheduler rebuilt for a resumed run (lrplot.resume): its ``last_epoch``, K - 1."""


def resumed_kwargs(cls: Any, run: dict[str, Any]) -> dict[str, int]:
    """``{"last_epoch": K - 1}`` when a resumed run rebuilds ``cls`` and its constructor takes last_epoch, else ``{}``.

    torch's ReduceLROnPlateau and ChainedScheduler (and HF's GreedyLR) take none: they are
    rebuilt as usual.  Runs that are not resumed never carry the key.
    """
    if RESUMED not in run or "last_epoch" not in inspect.signature(cls).parameters:
        return {}
    return {"last_epoch": run[RESUMED]}


def not_resumed(run: dict[str, Any]) -> dict[str, Any]:
    """``run`` without the resumed ``last_epoch``: for the children SequentialLR builds as usual."""
    return {k: v for k, v in run.items() if k != RESUMED} if RESUMED in run else run


def numpy() -> Any:
    import numpy as np  # only long runs need it

    return np


def products(first: float, factors: Any) -> Any:
    """``[first, first*f1, (first*f1)*f2, ...]``: torch's chainable recursion, multiplied in its order."""
    np = numpy()
    sequence = np.array(factors, dtype=float)
    sequence[0] = first
    return np.multiply.accumulate(sequence)


def finite(*arrays: Any) -> bool:
    np = numpy()
    return all(bool(np.isfinite(a).all()) for a in arrays)


def is_arithmetic_failure(error: BaseException) -> bool:
    """An error torch's own arithmetic raises for parameters it does not validate.

    ZeroDivisionError (a phase of zero length), OverflowError, and math's
    "math domain error"; any other exception is a bug in lrplot, not bad input.
    """
    if isinstance(error, (ZeroDivisionError, OverflowError)):
        return True
    return type(error) is ValueError and "math domain error" in str(error)


def build_scheduler(spec: Any, optimizer: SimOptimizer, run: dict[str, Any]) -> Any:
    """Construct the simulated scheduler of ``spec`` on ``optimizer`` (its children included)."""
    policy = spec.policy
    try:
        return policy.factory.build(optimizer, policy.bind(spec.params), run)
    except LrplotError as error:
        raise prefixed(policy, error) from None
    except Exception as error:
        if not is_arithmetic_failure(error):
            raise
        # The constructor's initial step computes epoch 0.
        raise LrplotError(
            f"{policy.where}{policy.owner} {policy.library_name} fails at {policy.unit(policy.bind(spec.params))} 0 "
            f"for {spec.call} "
            f"({type(error).__name__}: {error})"
        ) from None


def prefixed(policy: Any, error: LrplotError) -> LrplotError:
    """``error`` with the policy's name in front, once."""
    message = str(error)
    return LrplotError(message if message.startswith(policy.where) else policy.where + message)
