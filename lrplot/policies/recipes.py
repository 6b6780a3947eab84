"""Schedules people copy from papers and popular repositories, as their code computes them.

Each is built from torch's own schedulers (a ``LambdaLR`` with the recipe's
function, or the torch class the repository picks), so they step like torch.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from ..errors import LrplotError
from ..params import BOOL, FLOAT, INT, Choice, Param, at_least, greater_than
from ..registry import policy
from .torch_base import resumed_kwargs
from .torch_basic import CosineAnnealingLR, LambdaLR, StepLR
from .torch_plateau import PLATEAU_PARAMS, ReduceLROnPlateau


def _noam_rate(step: int, model_size: int, factor: float, warmup: int) -> float:
    """The Annotated Transformer's ``rate``, verbatim."""
    if step == 0:
        step = 1
    return factor * (model_size ** (-0.5) * min(step ** (-0.5), step * warmup ** (-1.5)))


@policy(
    "noam",
    family="recipes",
    library_name="rate",
    module="annotated_transformer",
    per_step=True,
    closed_form=True,
    default_lr=1.0,
    default_epochs=lambda bound: 5 * bound["warmup_steps"],
    params=[
        Param("d_model", INT, 512, check=at_least(1), help="Model width; the lr scales as d_model ** -0.5."),
        Param("warmup_steps", INT, 4000, check=at_least(1), help="Steps of linear warmup before the 1/sqrt decay."),
        Param("factor", FLOAT, 1.0, check=greater_than(0), help="Overall multiplier."),
    ],
    notes=(
        "The Annotated Transformer trains with Adam at lr 1.0 and this as a LambdaLR: lrplot's default --lr is 1 here.",
        "The default run is 5 x warmup_steps.",
    ),
)
class Noam(LambdaLR):
    """The Transformer's schedule (Vaswani et al. 2017): linear warmup, then inverse square root decay.

    Formula:
        lr_s = lr * factor * d_model ** -0.5 * min(s ** -0.5, s * warmup_steps ** -1.5)   with s = max(s, 1)

    Example:
        noam --d-model 512 --warmup-steps 4000 -n 8001
        0: 1.746928107421711e-07, 4000: 0.0006987712429686843, 8000: 0.0004941058844013093
    """

    @classmethod
    def build(cls, optimizer: Any, bound: dict[str, Any], run: dict[str, Any]) -> Any:
        d_model, factor, warmup = bound["d_model"], bound["factor"], bound["warmup_steps"]
        return cls(optimizer, lambda step: _noam_rate(step, d_model, factor, warmup), **resumed_kwargs(cls, run))


@policy(
    "inverse-time",
    family="recipes",
    library_name="inverse_time_decay",
    module="tf.compat.v1.train",
    closed_form=True,
    params=[
        Param(
            "decay_rate",
            FLOAT,
            check=at_least(0),
            help="How fast the lr falls: it halves after decay_steps / decay_rate.",
        ),
        Param("decay_steps", FLOAT, check=greater_than(0), help="The unit of time of the decay."),
        Param("staircase", BOOL, False, help="Decay in whole decay_steps (floor), not continuously."),
    ],
)
class InverseTime(LambdaLR):
    """Inverse time decay: the lr divided by 1 + decay_rate * t / decay_steps, as a torch LambdaLR.

    TensorFlow's inverse_time_decay and Keras's InverseTimeDecay (lrplot keras
    inverse-time-decay) compute the same curve from an absolute lr, per step;
    this is it as a factor on --lr, stepped per epoch like any torch scheduler.

    Formula:
        lr_t = lr / (1 + decay_rate * t / decay_steps)          (t / decay_steps floored with --staircase)

    Example:
        inverse-time --lr 0.1 --decay-rate 1 --decay-steps 10
        0: 0.1, 10: 0.05, 30: 0.025
    """

    @classmethod
    def build(cls, optimizer: Any, bound: dict[str, Any], run: dict[str, Any]) -> Any:
        rate, steps = bound["decay_rate"], bound["decay_steps"]
        if bound["staircase"]:
            return cls(optimizer, lambda t: 1 / (1 + rate * math.floor(t / steps)), **resumed_kwargs(cls, run))
        return cls(optimizer, lambda t: 1 / (1 + rate * t / steps), **resumed_kwargs(cls, run))


def _pix2pix_run(bound: dict[str, Any]) -> int:
    """train.py runs epochs epoch_count .. n_epochs + n_epochs_decay."""
    return bound["n_epochs"] + bound["n_epochs_decay"] - bound["epoch_count"] + 1


@policy(
    "pix2pix",
    family="recipes",
    library_name="get_scheduler",
    module="pytorch-CycleGAN-and-pix2pix.models.networks",
    default_lr=0.0002,
    default_epochs=_pix2pix_run,
    params=[
        Param(
            "lr_policy",
            Choice(("linear", "step", "plateau", "cosine")),
            "linear",
            help="linear: constant, then linear to ~0; step: /10 every lr_decay_iters; plateau; cosine over n_epochs.",
        ),
        Param(
            "n_epochs",
            INT,
            100,
            check=at_least(1),
            aliases=("niter",),
            flag_aliases=("--niter",),
            help="Epochs at the initial lr (old name: niter).",
        ),
        Param(
            "n_epochs_decay",
            INT,
            100,
            check=at_least(0),
            aliases=("niter_decay",),
            flag_aliases=("--niter-decay",),
            help="Epochs of linear decay to zero (old name: niter_decay).",
        ),
        Param("epoch_count", INT, 1, check=at_least(0), help="The starting epoch count (resuming a run)."),
        Param("lr_decay_iters", INT, 50, check=at_least(1), help="Epochs between /10 decays of the step policy."),
        Param(
            "step_at",
            Choice(("start", "end")),
            "start",
            kwarg=False,
            help="When train.py calls update_learning_rate(): at the start of each epoch (the repository today), "
            "or at its end (train.py before 2019, and the niter era).",
        ),
        # plateau's metric file, optional here: only the plateau policy reads it
        *(
            replace(p, default=None, help=p.help + " Default: 0, the model.metric train.py never updates.")
            if p.name == "metrics"
            else replace(p, default=None)
            for p in PLATEAU_PARAMS
            if p.name in ("metrics", "metric_column")
        ),
    ],
    notes=(
        "pix2pix and CycleGAN train with Adam at lr 0.0002: lrplot's default --lr is that here.",
        "The default run is n_epochs + n_epochs_decay - epoch_count + 1 epochs, as train.py runs them.",
        "train.py today steps the scheduler at the START of each epoch, so the decay starts one epoch earlier and "
        "the last epoch trains at lr 0; --step-at end is the older loop, whose last epoch keeps lr / (n_epochs_decay + 1).",
        "plateau is ReduceLROnPlateau(mode='min', factor=0.2, threshold=0.01, patience=5), stepped with model.metric: "
        "0 unless your model sets it (then give those values with --metrics).",
    ),
)
class Pix2Pix:
    """pix2pix/CycleGAN's get_scheduler (models/networks.py), as the repository's train.py steps it.

    Row k is the k-th epoch of the run (epoch epoch_count + k).  train.py calls
    update_learning_rate() at the start of every epoch, so row k trains at the
    scheduler's value after k + 1 steps (after k with --step-at end).

    Formula:
        linear:  lr_k = lr * (1 - max(0, s + epoch_count - n_epochs) / (n_epochs_decay + 1)),  s = k + 1 (k at end)
        step:    StepLR(step_size=lr_decay_iters, gamma=0.1)
        plateau: ReduceLROnPlateau(mode='min', factor=0.2, threshold=0.01, patience=5), stepped with model.metric
        cosine:  CosineAnnealingLR(T_max=n_epochs, eta_min=0)

    Example:
        pix2pix --lr 0.0002
        0-98: 0.0002, 99: 0.00019801980198019803, 199: 0.0
    """

    policy: Any

    @classmethod
    def build(cls, optimizer: Any, bound: dict[str, Any], run: dict[str, Any]) -> Any:
        choice = bound["lr_policy"]
        if choice != "plateau" and bound["metrics"] is not None:
            raise LrplotError(f"--metrics is read only by --lr-policy plateau, not {choice}")
        if choice == "linear":
            n_epochs, decay, count = bound["n_epochs"], bound["n_epochs_decay"], bound["epoch_count"]

            def lambda_rule(epoch: int) -> float:
                lr_l = 1.0 - max(0, epoch + count - n_epochs) / float(decay + 1)
                return lr_l

            scheduler: Any = LambdaLR(optimizer, lambda_rule)
        elif choice == "step":
            scheduler = StepLR(optimizer, step_size=bound["lr_decay_iters"], gamma=0.1)
        elif choice == "plateau":
            scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=0.2, threshold=0.01, patience=5)
        else:
            scheduler = CosineAnnealingLR(optimizer, T_max=bound["n_epochs"], eta_min=0)
        if bound["step_at"] == "end" and choice != "plateau":
            return scheduler  # torch's own loop: a plain torch scheduler, which --warmup can precede
        return TrainLoop(scheduler, plateau=choice == "plateau", step_at=bound["step_at"])


class TrainLoop:
    """train.py's epoch loop around a scheduler: ``model.update_learning_rate()`` at the start or end of an epoch.

    update_learning_rate() (models/base_model.py) calls ``scheduler.step(self.metric)``
    for plateau, where ``self.metric`` is 0 unless the model sets it, else ``scheduler.step()``.
    """

    is_training_loop = True  # not a scheduler: torch's composites cannot hold it

    def __init__(self, scheduler: Any, *, plateau: bool, step_at: str) -> None:
        self.scheduler = scheduler
        self.plateau = plateau
        if step_at == "start":
            self.update_learning_rate(None)  # before the first epoch trains

    def update_learning_rate(self, metric: float | None) -> None:
        if self.plateau:
            self.scheduler.step(0 if metric is None else metric)  # model.metric: 0 unless the model sets it
        else:
            self.scheduler.step()

    def get_last_lr(self) -> list[float]:
        return self.scheduler.get_last_lr()

    def advance(self, metric: float | None) -> None:
        self.update_learning_rate(metric)

    def vectorized(self, epochs: int, closed_form: bool) -> None:
        return None
