"""Schedules that are pure functions of the update count: optax's and Keras's.

optax and Keras do not rescale an optimizer's lr: a schedule *is* the lr,
``lr_t = schedule(t)`` with ``t`` the number of updates already applied
(optax's ``count``, Keras's ``optimizer.iterations``), the same for every
parameter.  Both libraries write their schedules as array code (``jnp``,
``keras.ops``); lrplot ports that code to numpy, line for line, and
evaluates it once over the whole run.  Where the libraries compute in
float32 (their default), lrplot computes in float64.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import LrplotError
from .torch_base import LRScheduler, numpy

Schedule = Callable[[Any], Any]
"""``counts -> values``: numpy arrays of update counts to numpy arrays of lrs."""


def evaluate(schedule: Schedule, counts: Any) -> Any:
    """``schedule(counts)`` as a float64 array of the counts' shape.

    Overflow and invalid operations give inf and NaN, as they do in JAX;
    lrplot then refuses the run, naming the first bad step.
    """
    np = numpy()
    with np.errstate(all="ignore"):
        values = schedule(counts)
    return np.broadcast_to(np.asarray(values, dtype=np.float64), counts.shape).copy()


class StepFunction(LRScheduler):
    """``lr_t = f(t)`` for every param group, driven like a torch scheduler.

    The policy class declares :meth:`schedule`, which returns the library's
    schedule function ported to numpy; this base evaluates it over the run.
    """

    policy: Any  # set by @policy

    @classmethod
    def schedule(cls, bound: dict[str, Any]) -> Schedule:
        raise NotImplementedError

    @classmethod
    def build(cls, optimizer: Any, bound: dict[str, Any], run: dict[str, Any]) -> StepFunction:
        groups = len(optimizer.param_groups)
        if groups > 1:
            raise LrplotError(
                f"--lr given {groups} times, but {cls.policy.library} schedules give one lr for the whole optimizer "
                f"(and --lr has no effect on them): give it at most once"
            )
        return cls(optimizer, cls.schedule(bound), run["epochs"])

    def __init__(self, optimizer: Any, schedule: Schedule, steps: int) -> None:
        self.function = schedule
        # every row, and the one step a training loop takes after the last row
        self.values = evaluate(schedule, numpy().arange(steps + 1, dtype=numpy().int64))
        super().__init__(optimizer)

    def value(self, t: int) -> float:
        if 0 <= t < len(self.values):
            return float(self.values[t])
        return float(evaluate(self.function, numpy().array([t], dtype=numpy().int64))[0])

    def get_lr(self) -> list[float]:
        return [self.value(self.last_epoch)] * len(self.optimizer.param_groups)

    def vectorized(self, epochs: int, closed_form: bool) -> tuple[list[Any], None]:
        return [self.values[:epochs].copy() for _ in self.optimizer.param_groups], None
