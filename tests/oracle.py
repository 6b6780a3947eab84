"""The test oracle: build the *real* library scheduler for an lrplot SPEC and run the training loop.

torch's classes for the torch family, transformers' ``get_scheduler`` for
``lrplot hf``, timm's scheduler classes, optax's functions and Keras's
classes (on JAX in float64 mode), and the recipes' own code (the Annotated
Transformer's ``rate``, pix2pix's ``get_scheduler`` and train.py loop)
transcribed with torch classes.  Used by ``tests/golden/record.py`` (which
writes the committed golden values) and by the live comparisons in
``tests/test_golden.py`` whenever the library is importable.

What it shares with lrplot, and so cannot check: the SPEC parser (which
class, which keyword arguments), the declared parameter defaults (checked
against the libraries' signatures by test_registry), the convention that
``optimizer.defaults["lr"]`` is the first ``--lr``, and lrplot's own
warmup shapes.  Run-length defaults are worked out here.  For the recipes
the formulas are transcriptions of their sources, so their golden values
prove the stepping; test_families checks values the papers state.

Expressions are not evaluated from their text: every formula a golden case
uses has a real Python ``lambda`` below, so torch runs exactly what a user
would have written in their training script.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from lrplot.metrics import load_metrics
from lrplot.options import RUN_OPTIONS, option_defaults
from lrplot.params import Expression, is_spec
from lrplot.spec import Spec

PYTHON_LAMBDAS: dict[str, Any] = {
    "0.2 ** epoch": lambda epoch: 0.2**epoch,
    "epoch // 10": lambda epoch: epoch // 10,
    "0.95 ** epoch": lambda epoch: 0.95**epoch,
    "0.1 ** (epoch // 2)": lambda epoch: 0.1 ** (epoch // 2),
    "1 if epoch < 5 else 0.1": lambda epoch: 1 if epoch < 5 else 0.1,
    "0.5": lambda epoch: 0.5,
    "0.97": lambda epoch: 0.97,
    "0.9 if epoch % 3 == 0 else 1.0": lambda epoch: 0.9 if epoch % 3 == 0 else 1.0,
    "1.0 - max(0, epoch + 1 - 100) / 101": lambda epoch: 1.0 - max(0, epoch + 1 - 100) / 101,
    "min(1.0, (epoch + 1) / 10) * 0.5 * (1 + cos(pi * epoch / 10000))": (
        lambda epoch: min(1.0, (epoch + 1) / 10) * 0.5 * (1 + math.cos(math.pi * epoch / 10000))
    ),
    "exp(-epoch / 3000)": lambda epoch: math.exp(-epoch / 3000),
    "1 / (2.0 ** (x - 1))": lambda x: 1 / (2.0 ** (x - 1)),
    "0.99 ** x": lambda x: 0.99**x,
    "1 / sqrt(x)": lambda x: 1 / math.sqrt(x),
}


def _python_function(expression: Any) -> Any:
    function = PYTHON_LAMBDAS.get(expression.source)
    if function is None:
        raise KeyError(f"add a Python lambda for {expression.source!r} to PYTHON_LAMBDAS")
    return function


def _torch_value(param: Any, value: Any, optimizer: Any, run: dict[str, Any]) -> Any:
    if is_spec(param.kind):
        return [build(child, optimizer, run) for child in value]
    if isinstance(param.kind, Expression):
        value = (
            [_python_function(v) for v in value]
            if isinstance(value, list)
            else (None if value is None else _python_function(value))
        )
    if param.per_group and isinstance(value, list) and len(value) == 1:
        return value[0]  # torch's scalar form: the same for every group
    return value


def _takes_last_epoch(function: Any) -> bool:
    import inspect

    return "last_epoch" in inspect.signature(function).parameters


def build_torch(spec: Spec, optimizer: Any, run: dict[str, Any], last_epoch: int = -1) -> Any:
    """The torch class; ``last_epoch`` >= 0 rebuilds it as resuming training code does (see build_resumed)."""
    import torch

    policy = spec.policy
    bound = spec.bound()
    cls = getattr(torch.optim.lr_scheduler, policy.library_name)
    if policy.name == "chained" and last_epoch != -1:  # its constructor takes none: each child gets it
        return cls([build_resumed(child, optimizer, run, last_epoch) for child in bound["schedulers"]], optimizer)
    kwargs = {p.name: _torch_value(p, bound[p.name], optimizer, run) for p in policy.params if p.kwarg}
    if policy.name == "onecycle" and kwargs["total_steps"] is None:
        kwargs["total_steps"] = run["epochs"]
    if policy.name == "chained":
        return cls(kwargs["schedulers"], optimizer)
    if last_epoch != -1 and _takes_last_epoch(cls):  # not ReduceLROnPlateau
        kwargs["last_epoch"] = last_epoch
    return cls(optimizer, **kwargs)


def build_hf(spec: Spec, optimizer: Any, run: dict[str, Any], last_epoch: int = -1) -> Any:
    """transformers.get_scheduler(type, optimizer, ...), exactly as the Trainer calls it.

    With ``last_epoch`` >= 0: the get_* function get_scheduler dispatches to, called with the
    same arguments plus ``last_epoch`` (get_scheduler passes none); the plateau and greedy
    functions take none, so they are rebuilt as get_scheduler builds them.
    """
    from transformers import get_scheduler
    from transformers.optimization import TYPE_TO_SCHEDULER_FUNCTION, SchedulerType

    policy = spec.policy
    bound = spec.bound()
    name = policy.name.replace("-", "_")
    function = TYPE_TO_SCHEDULER_FUNCTION[SchedulerType(name)]
    resumed = {"last_epoch": last_epoch} if last_epoch != -1 and _takes_last_epoch(function) else {}
    if name == "constant":
        return function(optimizer, **resumed) if resumed else get_scheduler(name, optimizer)
    kwargs = {p.name: _torch_value(p, bound[p.name], optimizer, run) for p in policy.params if p.kwarg}
    warmup = kwargs.pop("num_warmup_steps", None)
    training = kwargs.pop("num_training_steps", None)
    if training is None and name not in ("constant_with_warmup", "inverse_sqrt", "reduce_lr_on_plateau", "greedy"):
        if not (name == "warmup_stable_decay" and kwargs.get("num_stable_steps") is not None):
            training = run["epochs"]
    if resumed:  # get_scheduler's own dispatch, spelled out
        if name == "constant_with_warmup":
            return function(optimizer, num_warmup_steps=warmup, **resumed)
        if name == "inverse_sqrt":
            return function(optimizer, num_warmup_steps=warmup, **kwargs, **resumed)
        return function(optimizer, num_warmup_steps=warmup, num_training_steps=training, **kwargs, **resumed)
    return get_scheduler(
        name, optimizer, num_warmup_steps=warmup, num_training_steps=training, scheduler_specific_kwargs=kwargs
    )


def _noam_rate(step: int, model_size: int, factor: float, warmup: int) -> float:
    """The Annotated Transformer's rate(), verbatim."""
    if step == 0:
        step = 1
    return factor * (model_size ** (-0.5) * min(step ** (-0.5), step * warmup ** (-1.5)))


def build_recipe(spec: Spec, optimizer: Any, run: dict[str, Any], last_epoch: int = -1) -> Any:
    from torch.optim import lr_scheduler

    policy = spec.policy
    bound = spec.bound()
    if policy.name == "noam":
        return lr_scheduler.LambdaLR(
            optimizer,
            lambda step: _noam_rate(step, bound["d_model"], bound["factor"], bound["warmup_steps"]),
            last_epoch=last_epoch,
        )
    if policy.name == "inverse-time":
        if bound["staircase"]:
            return lr_scheduler.LambdaLR(
                optimizer,
                lambda t: 1 / (1 + bound["decay_rate"] * math.floor(t / bound["decay_steps"])),
                last_epoch=last_epoch,
            )
        return lr_scheduler.LambdaLR(
            optimizer, lambda t: 1 / (1 + bound["decay_rate"] * t / bound["decay_steps"]), last_epoch=last_epoch
        )
    if last_epoch != -1:
        raise KeyError("pix2pix's train.py never rebuilds its scheduler with last_epoch")
    if policy.name == "pix2pix":  # models/networks.py get_scheduler of pytorch-CycleGAN-and-pix2pix
        if bound["lr_policy"] == "linear":

            def lambda_rule(epoch):
                lr_l = 1.0 - max(0, epoch + bound["epoch_count"] - bound["n_epochs"]) / float(
                    bound["n_epochs_decay"] + 1
                )
                return lr_l

            return lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda_rule)
        if bound["lr_policy"] == "step":
            return lr_scheduler.StepLR(optimizer, step_size=bound["lr_decay_iters"], gamma=0.1)
        if bound["lr_policy"] == "plateau":
            return lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.2, threshold=0.01, patience=5)
        return lr_scheduler.CosineAnnealingLR(optimizer, T_max=bound["n_epochs"], eta_min=0)
    raise KeyError(f"no oracle for {policy.command}")


def timm_schedulers() -> Any:
    """``timm.scheduler``, without running ``timm/__init__.py`` (which needs torchvision)."""
    import importlib
    import importlib.util
    import sys
    import types

    if "timm" not in sys.modules:
        found = importlib.util.find_spec("timm")
        package = types.ModuleType("timm")
        package.__spec__ = found
        package.__path__ = list(found.submodule_search_locations)  # a bare package: submodules import as usual
        sys.modules["timm"] = package
    return importlib.import_module("timm.scheduler")


def build_timm(spec: Spec, optimizer: Any, run: dict[str, Any]) -> Any:
    """The timm class itself, with the keyword arguments a training script would pass."""
    policy = spec.policy
    bound = spec.bound()
    kwargs = {p.name: bound[p.name] for p in policy.params if p.kwarg}
    span = kwargs.get("noise_range_t")
    if span is not None:
        kwargs["noise_range_t"] = span[0] if len(span) == 1 else span  # timm takes an int or [lo, hi)
    return getattr(timm_schedulers(), policy.library_name)(optimizer, **kwargs)


def jax_x64() -> Any:
    """jax in float64 mode: optax and Keras then compute what lrplot computes, in float64."""
    import jax

    jax.config.update("jax_enable_x64", True)
    return jax


def optax_schedule(spec: Spec) -> Any:
    """``optax.<function>(**keywords)``; sgdr takes its cycles as dicts, join its children built the same way."""
    jax_x64()
    import optax

    bound = spec.bound()
    name = spec.policy.library_name
    if name == "sgdr_schedule":
        return optax.sgdr_schedule([child.bound() for child in bound["cosine_kwargs"]])
    if name == "join_schedules":
        return optax.join_schedules([optax_schedule(child) for child in bound["schedules"]], bound["boundaries"])
    return getattr(optax, name)(**{p.name: bound[p.name] for p in spec.policy.params})


def keras_schedule(spec: Spec) -> Any:
    """``keras.optimizers.schedules.<Class>(**keywords)`` on the JAX backend with floatx float64."""
    import os

    os.environ.setdefault("KERAS_BACKEND", "jax")
    jax_x64()
    import keras

    keras.config.set_floatx("float64")
    bound = spec.bound()
    cls = getattr(keras.optimizers.schedules, spec.policy.library_name)
    return cls(**{p.name: bound[p.name] for p in spec.policy.params})


def run_step_function(spec: Spec, schedule: Any, steps: int) -> list[float]:
    """``schedule(count)`` for count = 0, 1, ..., batched with vmap.

    The counts are int64: with optax's own int32 counter, JAX computes ``count / steps``
    in float32 even in x64 mode, and the golden values are meant to be float64.

    Compiled (vmap), XLA divides by a constant through its reciprocal (``49 / 49`` is
    0.9999999999999999): harmless rounding, except where a formula magnifies it, a staircase's
    floor (one step late) or a power below 1 near 0.  Those are called one count at a time,
    uncompiled, as the library's formula reads.
    """
    jax = jax_x64()
    import jax.numpy as jnp

    bound = spec.bound()
    power = bound.get("power")
    fragile = bool(bound.get("staircase")) or (isinstance(power, (int, float)) and 0 < power < 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if fragile:
            return [float(schedule(jnp.asarray(count, dtype=jnp.int64))) for count in range(steps)]
        values = jax.vmap(schedule)(jnp.arange(steps, dtype=jnp.int64))
    return [float(v) for v in values]


BUILDERS = {"torch": build_torch, "hf": build_hf, "recipes": build_recipe, "timm": build_timm}
LIBRARIES = {
    "torch": "torch",
    "hf": "transformers",
    "recipes": "torch",
    "timm": "timm",
    "optax": "optax",
    "keras": "keras",
}
STEP_FUNCTIONS = {"optax": optax_schedule, "keras": keras_schedule}


def _warmup_factor(steps: int, shape: str, start: float):
    """The warmup multiplier, written out independently of lrplot.warmup."""

    def factor(t):
        if t >= steps:
            return 1.0
        q = t / steps
        if shape == "exponential":
            return start ** (1 - q)
        g = {
            "linear": q,
            "cosine": (1 - math.cos(math.pi * q)) / 2,
            "1-sqrt": 1 - math.sqrt(1 - q),
            "log": math.log(1 + t) / math.log(1 + steps),
        }[shape]
        return start + (1 - start) * g

    return factor


def build(spec: Spec, optimizer: Any, run: dict[str, Any]) -> Any:
    """The library's scheduler; with --warmup, torch's SequentialLR([LambdaLR(warmup), it])."""
    if spec.run.get("warmup") and not spec.run.get("warmup_overlap") and run.get("warmup"):
        from torch.optim.lr_scheduler import LambdaLR, SequentialLR

        warm = LambdaLR(optimizer, _warmup_factor(run["warmup"], run["warmup_shape"], run["warmup_start"]))
        # the schedule starts after the warmup, so its horizon is what is left of the run
        inner = BUILDERS[spec.policy.family](spec, optimizer, {**run, "epochs": max(1, run["epochs"] - run["warmup"])})
        return SequentialLR(optimizer, [warm, inner], milestones=[run["warmup"]])
    return BUILDERS[spec.policy.family](spec, optimizer, run)


def library_version(spec: Spec) -> str:
    """``"torch 2.13.0"``, ``"optax 0.2.8 (jax 0.10.2, float64)"``: what the golden values came from."""
    import importlib.metadata

    family = spec.policy.family
    name = LIBRARIES[family]
    version = f"{name} {importlib.metadata.version(name).split('+')[0]}"
    if family in STEP_FUNCTIONS:
        version += f" (jax {importlib.metadata.version('jax')}, float64)"
    return version


def library_available(family: str) -> bool:
    import importlib.util

    needed = {
        "torch": ["torch"],
        "hf": ["torch", "transformers"],
        "recipes": ["torch"],
        "timm": ["torch", "timm"],
        "optax": ["jax", "optax"],
        "keras": ["jax", "keras"],
    }[family]
    try:
        return all(importlib.util.find_spec(name) is not None for name in needed)
    except ModuleNotFoundError:
        return False


def _torch_loop(
    scheduler: Any, optimizer: Any, run: dict[str, Any], metrics: Any, lr_rows: Any, momenta: Any, epochs: Any = None
) -> None:
    """The loop of torch's documentation figures: read get_last_lr(), train, step() (over ``epochs``: all of them)."""
    for epoch in range(run["epochs"]) if epochs is None else epochs:
        if run["closed_form"]:
            scheduler.step(epoch)
        for column, value in zip(lr_rows, scheduler.get_last_lr()):
            column.append(float(value))
        for column, group in zip(momenta, optimizer.param_groups):
            column.append(float(group["momentum"]))
        if not run["closed_form"]:
            if metrics is not None:  # ReduceLROnPlateau and GreedyLR, stepped with the metric
                scheduler.step(metrics[epoch])
            else:
                scheduler.step()


def _pix2pix_train_loop(scheduler: Any, optimizer: Any, bound: dict[str, Any], epochs: int, metrics: Any) -> Any:
    """pytorch-CycleGAN-and-pix2pix's train.py and BaseModel.update_learning_rate(), transcribed.

    The model's ``self.metric`` starts at 0 and, unless a model sets it, stays there;
    with --metrics it holds the metric of the epoch just trained.
    """
    model_metric = 0.0

    def update_learning_rate() -> None:
        if bound["lr_policy"] == "plateau":
            scheduler.step(model_metric)
        else:
            scheduler.step()

    rows: list[list[float]] = [[] for _ in optimizer.param_groups]
    for epoch in range(epochs):
        if bound["step_at"] == "start":
            update_learning_rate()  # "update learning rates in the beginning of every epoch"
        for column, group in zip(rows, optimizer.param_groups):
            column.append(float(group["lr"]))  # the lr this epoch trains with
        if metrics is not None:
            model_metric = metrics[epoch]
        if bound["step_at"] == "end":
            update_learning_rate()
    return rows


def run_options(spec: Spec, bound: dict[str, Any], metrics: list[float] | None) -> dict[str, Any]:
    """The run a user asked for, with the README's defaults, worked out here rather than by lrplot.

    -n defaults to one row per metric, else to the recipe's own length (pix2pix's
    train.py loop; Noam's five warmups, lrplot's choice) after any --warmup, else 100.
    """
    run = {**option_defaults(RUN_OPTIONS), **spec.run}
    policy = spec.policy
    if "lr" not in spec.run and policy.default_lr is not None:
        run["lr"] = [policy.default_lr]  # the lr the recipe is defined with: Noam's 1.0, pix2pix's 2e-4
    if run["epochs"] is None:
        prefix = 0 if run["warmup_overlap"] else run["warmup"]
        if metrics is not None:
            run["epochs"] = len(metrics)
        elif policy.name == "pix2pix":  # for epoch in range(opt.epoch_count, opt.n_epochs + opt.n_epochs_decay + 1)
            run["epochs"] = prefix + len(range(bound["epoch_count"], bound["n_epochs"] + bound["n_epochs_decay"] + 1))
        elif policy.name == "noam":
            run["epochs"] = prefix + 5 * bound["warmup_steps"]
        else:
            run["epochs"] = 100
    return run


def run_library(spec: Spec) -> dict[str, Any]:
    """Rows as the library gives them: ``{"lr": [[group 0...], ...], "momentum": [[...]] or None}``."""
    import torch

    bound = spec.bound()
    metrics = load_metrics(bound["metrics"], bound.get("metric_column")) if bound.get("metrics") else None
    run = run_options(spec, bound, metrics)
    family = spec.policy.family
    if family in STEP_FUNCTIONS:  # optax and Keras: the schedule is the lr, one for the whole optimizer
        return {"lr": [run_step_function(spec, STEP_FUNCTIONS[family](spec), run["epochs"])], "momentum": None}
    lrs, momenta = list(run["lr"]), list(run["momentum"])
    if len(momenta) == 1:
        momenta = momenta * len(lrs)
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr, "momentum": m} for lr, m in zip(lrs, momenta)]
    optimizer = torch.optim.SGD(groups, lr=lrs[0], momentum=momenta[0])
    track_momentum = spec.policy.cycles_momentum(bound)
    lr_rows: list[list[float]] = [[] for _ in lrs]
    momentum_rows: list[list[float]] = [[] for _ in lrs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheduler = build(spec, optimizer, run)
        if spec.policy.name == "pix2pix" and not (run["warmup"] and not run["warmup_overlap"]):
            lr_rows = _pix2pix_train_loop(scheduler, optimizer, bound, run["epochs"], metrics)
        elif family == "timm":  # as timm's train.py: the constructor sets row 0, step(e + 1, metric) the next
            for epoch in range(run["epochs"]):
                for column, group in zip(lr_rows, optimizer.param_groups):
                    column.append(float(group["lr"]))
                if getattr(scheduler, "t_in_epochs", True):
                    scheduler.step(epoch + 1, metrics[epoch] if metrics is not None else None)
                else:
                    scheduler.step_update(epoch + 1)
        else:
            _torch_loop(scheduler, optimizer, run, metrics, lr_rows, momentum_rows)
    if run.get("warmup") and run.get("warmup_overlap"):  # the warmup scales the schedule's first rows
        factor = _warmup_factor(run["warmup"], run["warmup_shape"], run["warmup_start"])
        lr_rows = [[v * factor(t) if t < run["warmup"] else v for t, v in enumerate(column)] for column in lr_rows]
    return {"lr": lr_rows, "momentum": momentum_rows if track_momentum else None}


# -- resuming from a checkpoint (--resume-at K --resume-mode MODE) ----------------------------------


def build_resumed(spec: Spec, optimizer: Any, run: dict[str, Any], last_epoch: int) -> Any:
    """The scheduler rebuilt with ``last_epoch`` as training code that resumes writes it.

    ``last_epoch`` goes to every constructor that takes it, from the top: SequentialLR (lrplot's
    --warmup too) takes it and its children are built as usual; ChainedScheduler takes none, so
    each child gets it; ReduceLROnPlateau (and HF's greedy) take none and are built as usual.
    """
    if spec.run.get("warmup") and not spec.run.get("warmup_overlap") and run.get("warmup"):
        from torch.optim.lr_scheduler import LambdaLR, SequentialLR

        warm = LambdaLR(optimizer, _warmup_factor(run["warmup"], run["warmup_shape"], run["warmup_start"]))
        inner = BUILDERS[spec.policy.family](spec, optimizer, {**run, "epochs": max(1, run["epochs"] - run["warmup"])})
        return SequentialLR(optimizer, [warm, inner], milestones=[run["warmup"]], last_epoch=last_epoch)
    family = spec.policy.family
    if family not in ("torch", "hf", "recipes"):
        raise KeyError(f"{family} schedulers take no last_epoch")
    return BUILDERS[family](spec, optimizer, run, last_epoch)


def run_library_resumed(spec: Spec) -> dict[str, Any]:
    """Rows K..N-1 of a run restored from a checkpoint taken at the start of epoch K = ``--resume-at``.

    The training loop runs K epochs (K scheduler steps) on a real SGD optimizer; the checkpoint
    is ``optimizer.state_dict()`` and ``scheduler.state_dict()``, saved with torch.save and
    loaded back.  Then, by ``--resume-mode``:

    * ``state-dict``: a new optimizer (the same param groups) and the scheduler built as usual,
      then ``optimizer.load_state_dict`` and ``scheduler.load_state_dict``;
    * ``last-epoch``: a new optimizer, ``load_state_dict``, then the scheduler rebuilt with
      ``last_epoch=K-1`` (:func:`build_resumed`);
    * ``last-epoch-fresh``: a fresh optimizer whose groups carry ``initial_lr`` = lr, and the
      scheduler rebuilt with ``last_epoch=K-1``.

    The loop then continues from epoch K.  torch, transformers (hf) and the recipes' LambdaLRs.
    """
    import io

    import torch

    bound = spec.bound()
    metrics = load_metrics(bound["metrics"], bound.get("metric_column")) if bound.get("metrics") else None
    run = run_options(spec, bound, metrics)
    start, mode, epochs = run["resume_at"], run["resume_mode"], run["epochs"]
    lrs, momenta = list(run["lr"]), list(run["momentum"])
    if len(momenta) == 1:
        momenta = momenta * len(lrs)

    def sgd(initial_lr: bool = False) -> Any:
        groups = [
            {
                "params": [torch.nn.Parameter(torch.zeros(1))],
                "lr": lr,
                "momentum": m,
                **({"initial_lr": lr} if initial_lr else {}),
            }
            for lr, m in zip(lrs, momenta)
        ]
        return torch.optim.SGD(groups, lr=lrs[0], momentum=momenta[0])

    lr_rows: list[list[float]] = [[] for _ in lrs]
    momentum_rows: list[list[float]] = [[] for _ in lrs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        optimizer = sgd()
        scheduler = build(spec, optimizer, run)
        _torch_loop(scheduler, optimizer, run, metrics, [[] for _ in lrs], [[] for _ in lrs], range(start))
        buffer = io.BytesIO()
        torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, buffer)
        buffer.seek(0)
        checkpoint = torch.load(buffer, weights_only=False)
        if mode == "state-dict":
            optimizer = sgd()
            scheduler = build(spec, optimizer, run)
            optimizer.load_state_dict(checkpoint["optimizer"])
            scheduler.load_state_dict(checkpoint["scheduler"])
        elif mode == "last-epoch":
            optimizer = sgd()
            optimizer.load_state_dict(checkpoint["optimizer"])
            scheduler = build_resumed(spec, optimizer, run, start - 1)
        else:
            optimizer = sgd(initial_lr=True)
            scheduler = build_resumed(spec, optimizer, run, start - 1)
        _torch_loop(scheduler, optimizer, run, metrics, lr_rows, momentum_rows, range(start, epochs))
    if run.get("warmup") and run.get("warmup_overlap"):  # the warmup scales the rows of its first epochs
        factor = _warmup_factor(run["warmup"], run["warmup_shape"], run["warmup_start"])
        lr_rows = [
            [v * factor(t) if t < run["warmup"] else v for t, v in enumerate(column, start)] for column in lr_rows
        ]
    return {"lr": lr_rows, "momentum": momentum_rows if spec.policy.cycles_momentum(bound) else None}
