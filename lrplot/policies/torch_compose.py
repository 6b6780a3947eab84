"""PyTorch's composition of schedulers: SequentialLR and ChainedScheduler.

Children are given as SPECs, the same words one would type after ``lrplot``:

    lrplot sequential --schedule "linear --start-factor 0.1 --total-iters 5" \\
                      --schedule "cosine --t-max 95" --milestones 5

They are built in order on one optimizer, exactly as training code builds
them, so torch's quirks come out as torch has them: each child's constructor
takes its own initial step, SequentialLR undoes those steps and restarts the
child that takes over at a milestone through its closed form at epoch 0, and
ChainedScheduler steps every child in turn so their chainable factors multiply.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from ..errors import LrplotError
from ..params import EPOCHS, INT_LIST, SPEC, Param
from ..registry import policy
from .torch_base import LRScheduler, build_scheduler, group_values, not_resumed, resumed_kwargs
from .torch_plateau import ReduceLROnPlateau


def build_children(optimizer: Any, specs: list[Any], run: dict[str, Any]) -> list[LRScheduler]:
    children = [build_scheduler(spec, optimizer, run) for spec in specs]
    for spec, child in zip(specs, children):
        if getattr(child, "is_training_loop", False):  # pix2pix --step-at start steps before epoch 0
            raise LrplotError(
                f"--schedule {spec.text!r}: is train.py's epoch loop around a scheduler, not a scheduler a "
                "composite can hold; give it --step-at end, or preview it on its own"
            )
    return children


def _children_cycle_momentum(bound: dict[str, Any]) -> bool:
    return any(spec.policy.cycles_momentum(spec.policy.bind(spec.params)) for spec in bound["schedulers"])


def _refuse_plateau(name: str, schedulers: list[LRScheduler]) -> None:
    for scheduler_idx, scheduler in enumerate(schedulers):
        if isinstance(scheduler, ReduceLROnPlateau):
            raise LrplotError(
                f"{name} does not support `ReduceLROnPlateau` scheduler as it requires additional "
                "kwargs to be specified when calling `step`, but got one at index "
                f"{scheduler_idx} in the given schedulers sequence."
            )


SCHEDULES = Param(
    "schedulers",
    SPEC,
    repeatable=True,
    option="schedule",
    aliases=("schedule",),
    help='A child schedule, quoted as on the command line: "cosine --t-max 95" (repeat, in order).',
)


@policy(
    "sequential",
    library_name="SequentialLR",
    cycles_momentum=_children_cycle_momentum,
    params=[
        SCHEDULES,
        Param(
            "milestones",
            INT_LIST,
            check=EPOCHS,
            help="Epochs at which the next schedule takes over: one fewer than the schedules.",
        ),
    ],
)
class SequentialLR(LRScheduler):
    """Runs schedules one after another, switching at the milestone epochs.

    At a milestone the next schedule restarts at its own epoch 0 through
    torch's _update_lr(0): its closed form where it has one, else its get_lr
    at epoch 0 (so MultiplicativeLR multiplies the current lr once more).
    Between milestones it steps as usual.  The usual warmup: a linear ramp
    for 5 epochs, then cosine.

    Formula:
        i = number of milestones <= t
        lr_t = schedule_i at epoch t - milestone_i  (milestone_0 = 0)

    Example:
        sequential --lr 0.1 --schedule "linear --start-factor 0.1 --total-iters 5" --schedule "cosine --t-max 95" --milestones 5
        0: 0.010000000000000002, 1: 0.028000000000000004, 4: 0.082, 5: 0.1
    """

    @classmethod
    def build(cls, optimizer: Any, bound: dict[str, Any], run: dict[str, Any]) -> LRScheduler:
        # resumed (lrplot.resume): SequentialLR takes last_epoch, its children are built as usual
        children = build_children(optimizer, bound["schedulers"], not_resumed(run))
        return cls(optimizer, children, bound["milestones"], **resumed_kwargs(cls, run))

    def __init__(
        self, optimizer: Any, schedulers: list[LRScheduler], milestones: list[int], last_epoch: int = -1
    ) -> None:
        if len(schedulers) < 1:
            raise LrplotError("SequentialLR expects at least one scheduler, but got no scheduler.")
        _refuse_plateau("SequentialLR", schedulers)
        if len(milestones) != len(schedulers) - 1:
            raise LrplotError(
                "Sequential Schedulers expects number of schedulers provided to be one more than the "
                f"number of milestone points, but got number of schedulers {len(schedulers)} and the "
                f"number of milestones to be equal to {len(milestones)}"
            )
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer

        # Reset learning rates back to initial values
        for group in self.optimizer.param_groups:
            group["lr"] = group["initial_lr"]

        # "Undo" the step performed by other schedulers
        self.recursive_undo()

        # Perform the initial step for only the scheduler meant to run at step 0.
        idx = bisect_right(self._milestones, 0)
        self._schedulers[idx]._initial_step()
        self._last_lr = schedulers[idx].get_last_lr()

    def recursive_undo(self, sched: Any = None) -> None:
        scheds = self if sched is None else sched
        if hasattr(scheds, "_schedulers"):
            for s in scheds._schedulers:
                self.recursive_undo(s)
        elif hasattr(scheds, "last_epoch"):
            scheds.last_epoch -= 1

    def step(self) -> None:  # type: ignore[override]
        self.last_epoch += 1
        idx = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[idx]
        if idx > 0 and self._milestones[idx - 1] == self.last_epoch:
            scheduler._update_lr(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()


@policy(
    "chained",
    library_name="ChainedScheduler",
    cycles_momentum=_children_cycle_momentum,
    params=[SCHEDULES],
)
class ChainedScheduler(LRScheduler):
    """Steps several schedules together, each rescaling the lr the previous one left.

    Every child's constructor and every step() act on the same optimizer in
    turn, so the chainable factors multiply: ConstantLR then ExponentialLR
    gives factor * gamma ** t for the first epochs.

    Formula:
        lr_t = lr_(t-1) * (factor of child 1 at t) * (factor of child 2 at t) * ...

    Example:
        chained --lr 1 --schedule "constant --factor 0.1 --total-iters 2" --schedule "exponential --gamma 0.9"
        0: 0.1, 1: 0.09000000000000001, 2: 0.8100000000000002, 3: 0.7290000000000002
    """

    @classmethod
    def build(cls, optimizer: Any, bound: dict[str, Any], run: dict[str, Any]) -> LRScheduler:
        # resumed (lrplot.resume): ChainedScheduler takes no last_epoch, so each child gets it
        return cls(build_children(optimizer, bound["schedulers"], run), optimizer)

    def __init__(self, schedulers: list[LRScheduler], optimizer: Any = None) -> None:
        if len(schedulers) < 1:
            raise LrplotError("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.")
        optimizer = optimizer or schedulers[0].optimizer
        _refuse_plateau("ChainedScheduler", schedulers)
        self._schedulers = schedulers
        self.optimizer = optimizer
        self._last_lr = group_values(self._schedulers[-1].optimizer, "lr")

    def step(self) -> None:  # type: ignore[override]
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = group_values(self._schedulers[-1].optimizer, "lr")
