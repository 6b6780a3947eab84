"""Hugging Face's ``Trainer``, previewed from its ``TrainingArguments``: ``lrplot from-hf FILE --dataset-size D``.

The Trainer (transformers 5.x) builds its schedule from a count of optimizer
updates, which this module repeats.  For ``D`` examples, ``B`` =
``per_device_train_batch_size``, ``W`` processes and ``G`` =
``gradient_accumulation_steps``::

    batches = ceil(D / B)               len(train_dataloader); floor(D / B) with dataloader_drop_last
            = ceil(ceil(D / B) / W)     per process when W > 1 (floor(floor(D / B) / W) with drop_last)
    S       = max(ceil(batches / G), 1) "Num update steps per epoch": the last, partial accumulation updates too
    T       = max_steps if max_steps > 0 else ceil(num_train_epochs * S)      "Total optimization steps"
    warmup  = int(warmup_steps) if warmup_steps >= 1 else ceil(T * warmup_steps)
    get_scheduler(lr_scheduler_type, optimizer, num_warmup_steps=warmup, num_training_steps=T,
                  scheduler_specific_kwargs=lr_scheduler_kwargs)

with the optimizer's lr ``learning_rate`` (no scaling).  Row ``s`` of the
preview is the lr of update ``s + 1``, which the Trainer logs as
``learning_rate`` at ``global_step`` ``s + 1``.  For example 60,000 examples,
32 per device on one GPU, ``G = 4``, 3 epochs and ``warmup_steps = 0.1`` (a
ratio): ``ceil(60000 / 32) = 1875`` batches, ``S = ceil(1875 / 4) = 469``,
``T = ceil(3 x 469) = 1407``, ``warmup = ceil(1407 x 0.1) = 141``:

>>> p = preview({"per_device_train_batch_size": 32, "gradient_accumulation_steps": 4,
...              "warmup_steps": 0.1, "lr_scheduler_type": "cosine"}, dataset_size=60_000)
>>> for name, value in p.accounting:
...     print(f"{name}: {value}")
batches per epoch: 1,875 = ceil(60,000 / 32)
Num update steps per epoch: 469 = ceil(1,875 / 4)
Total train batch size: 128 = 32 x 4 x 1
Total optimization steps: 1,407 = ceil(3 x 469)
Num Epochs: 3
warmup steps: 141 = ceil(1,407 x 0.1)
learning rate: 5e-05 (learning_rate, the optimizer's lr as given)
scheduler: get_cosine_schedule_with_warmup(num_warmup_steps=141, num_training_steps=1407)
>>> p.spec.policy.command, p.spec.run
('hf cosine', {'lr': [5e-05], 'epochs': 1407, 'steps_per_epoch': 469, 'interval': 'step'})

The code followed (transformers 5.24.0, accelerate 1.15.0):

* ``Trainer.set_initial_training_values`` (trainer.py 2495-2563): ``S``, ``T``
  and "Num Epochs" (``ceil(num_train_epochs)``, or ``ceil(T / S)`` with
  ``max_steps``); ``get_total_train_batch_size`` (2565-2581): ``B x G x W``.
  Trainers older than ``set_initial_training_values`` (added late in 4.x)
  rounded ``S`` down (``len_dataloader // G``); since then the last, partial
  accumulation is an update too.  Sequence parallelism (``sp_size > 1``) is
  not modelled.
* ``len(train_dataloader)``: ``Trainer._get_dataloader`` hands
  ``DataLoader(batch_size=B, drop_last=dataloader_drop_last)`` to
  ``accelerator.prepare``; with ``W > 1`` accelerate's ``BatchSamplerShard``
  (data_loader.py 170-186) deals the ``ceil(D / B)`` batches out to the
  processes: rank 0 (which logs) gets ``ceil(batches / W)``, ``floor`` with
  drop_last, whatever ``even_batches``; with ``accelerator_config.split_batches``
  every process sees all ``ceil(D / B)`` batches, split ``W`` ways.  With
  ``train_sampling_strategy = "batch_rebalance"`` the sampler yields
  ``G x (floor(D / (B G W)) + tail)`` batches per process instead
  (``BatchRebalanceSampler.__len__``).  ``W > 1`` cannot run live here: the
  golden values for it come from the Trainer's own dataloader path with
  accelerate's ``prepare_data_loader`` told ``num_processes = W`` (see
  ``tests/golden/record_trainer_hf.py``).  DataParallel (one process, several
  GPUs: ``B x n_gpu`` per batch) is not modelled.
* ``TrainingArguments.get_warmup_steps`` (training_args.py 2154-2161) reads
  ``warmup_steps`` as steps from 1 up and as a ratio of ``T`` below 1
  (``warmup_steps < 0`` is refused, 1800).  transformers 4.x had
  ``warmup_ratio`` instead: ``warmup_steps if warmup_steps > 0 else
  ceil(T * warmup_ratio)``; 5.0-5.1 copied ``warmup_ratio`` into
  ``warmup_steps``; 5.2 removed it.  A file with ``warmup_ratio`` is read the
  4.x way, and one that sets both to non-zero values is refused (the versions
  disagree on which wins).
* ``Trainer.create_scheduler`` (1347-1375) and ``get_scheduler``
  (optimization.py 960-1055): ``constant`` gets nothing, ``constant_with_warmup``
  only the warmup (``lr_scheduler_kwargs`` are dropped for both),
  ``inverse_sqrt`` the warmup and the kwargs, every other type the warmup,
  ``T`` and the kwargs (``warmup_stable_decay``'s ``num_stable_steps`` wins
  over ``T``).  ``lr_scheduler_kwargs`` given as JSON text is parsed as
  ``TrainingArguments.__post_init__`` parses it (1526-1530).
  ``reduce_lr_on_plateau`` and ``greedy`` are stepped with the eval metric,
  which a config does not hold: see ``lrplot hf reduce-lr-on-plateau --metrics``.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import LrplotError
from ..options import MAX_EPOCHS
from ..params import BOOL, FLOAT, INT, format_value
from ..registry import lookup
from ..spec import Spec
from . import Preview

SCHEDULER_TYPES = (
    "linear",
    "cosine",
    "cosine_with_restarts",
    "polynomial",
    "constant",
    "constant_with_warmup",
    "inverse_sqrt",
    "reduce_lr_on_plateau",
    "cosine_with_min_lr",
    "cosine_warmup_with_min_lr",
    "warmup_stable_decay",
    "greedy",
)
"""transformers' ``SchedulerType`` values (trainer_utils.py), the only spellings ``lr_scheduler_type`` takes."""

METRIC_DRIVEN = ("reduce_lr_on_plateau", "greedy")

DEFAULTS: dict[str, Any] = {
    "learning_rate": 5e-5,  # training_args.py 787
    "lr_scheduler_type": "linear",  # 788
    "lr_scheduler_kwargs": None,  # 792
    "warmup_steps": 0,  # 798
    "num_train_epochs": 3.0,  # 778
    "max_steps": -1,  # 779
    "per_device_train_batch_size": 8,  # 777
    "gradient_accumulation_steps": 1,  # 849
    "dataloader_drop_last": False,  # 1320
    "train_sampling_strategy": "random",  # 1380
}
"""``TrainingArguments``' defaults for the keys the schedule depends on (transformers 5.24.0)."""

KEYS = (*DEFAULTS, "warmup_ratio", "accelerator_config")
"""The keys read; every other key of the file is ignored."""

FOREIGN = {
    "micro_batch_size": "per_device_train_batch_size",
    "batch_size": "per_device_train_batch_size",
    "num_epochs": "num_train_epochs",
    "epochs": "num_train_epochs",
    "lr_scheduler": "lr_scheduler_type",
    "lr": "learning_rate",
}
"""Other tools' names (axolotl's, scripts') for keys the Trainer reads under another name: refused when the
TrainingArguments key is absent, since the Trainer would silently fall back to its default."""


@dataclass(frozen=True)
class TrainerSteps:
    """The Trainer's step accounting for one run (the numbers its "Running training" log prints)."""

    batches: int  # len(train_dataloader) on rank 0
    update_steps_per_epoch: int  # S, "Num update steps per epoch"
    total_train_batch_size: int  # B x G x W, "Total train batch size (w. parallel, distributed & accumulation)"
    max_steps: int  # T, "Total optimization steps"
    num_train_epochs: int  # "Num Epochs"
    warmup_steps: int  # args.get_warmup_steps(T): what create_scheduler passes as num_warmup_steps


def preview(config: Mapping[str, Any], *, dataset_size: int, world_size: int = 1, where: str = "from-hf: ") -> Preview:
    """The schedule the Trainer runs for ``config`` (TrainingArguments keys) on ``dataset_size`` examples.

    ``world_size`` is the number of data-parallel processes.  Keys other than
    the ones in :data:`KEYS` are ignored; absent keys take TrainingArguments'
    defaults.  Errors are :class:`LrplotError` naming the key and its value.
    """
    args = read_arguments(config, where)
    steps = count_steps(args, dataset_size=dataset_size, world_size=world_size, where=where)
    kind = args["lr_scheduler_type"]
    lr = args["learning_rate"]
    policy = lookup("hf " + kind.replace("_", "-"))
    kwargs = _scheduler_kwargs(args, kind, policy, where)
    params: dict[str, Any] = {}
    if kind != "constant":
        params["num_warmup_steps"] = steps.warmup_steps
    if kind not in ("constant", "constant_with_warmup", "inverse_sqrt"):
        params["num_training_steps"] = steps.max_steps
    params.update(kwargs)
    _check_like_hf(kind, lr, params, where)
    spec = Spec(
        policy,
        params,
        {"lr": [lr], "epochs": steps.max_steps, "steps_per_epoch": steps.update_steps_per_epoch, "interval": "step"},
    )
    return Preview(spec, _accounting(args, steps, spec, dataset_size, world_size))


# -- reading the arguments ----------------------------------------------------------------------


def read_arguments(config: Mapping[str, Any], where: str = "from-hf: ") -> dict[str, Any]:
    """The schedule's TrainingArguments from ``config``, checked, with defaults for absent keys.

    >>> read_arguments({"learning_rate": "2e-5", "lr_scheduler_type": "cosine", "eval_steps": 10})["learning_rate"]
    2e-05
    """
    if not isinstance(config, Mapping):
        raise LrplotError(f"{where}expected a mapping of TrainingArguments keys, got {type(config).__name__}")
    for key, ours in FOREIGN.items():
        if key in config and ours not in config:
            raise LrplotError(
                f"{where}{key} = {format_value(config[key])}: not a TrainingArguments key, so the Trainer would use "
                f"its default {ours} = {format_value(DEFAULTS[ours])}; write it as {ours}"
            )
    if config and not any(key in config for key in KEYS):
        raise LrplotError(f"{where}{_no_keys_message(config)}")
    given = {key: config[key] for key in KEYS if key in config and config[key] is not None}
    args = {**DEFAULTS, **given}
    args["learning_rate"] = float(_number(args, "learning_rate", where, "a learning rate >= 0", minimum=0))
    args["per_device_train_batch_size"] = _integer(args, "per_device_train_batch_size", where, "a batch size >= 1")
    args["gradient_accumulation_steps"] = _integer(
        args, "gradient_accumulation_steps", where, "a number of batches per update >= 1"
    )
    args["max_steps"] = _max_steps(args, where)
    args["num_train_epochs"] = _number(args, "num_train_epochs", where, "a number of epochs > 0")
    if args["max_steps"] < 0 and not args["num_train_epochs"] > 0:
        raise LrplotError(
            f"{where}num_train_epochs = {format_value(config.get('num_train_epochs'))}: expected a number of "
            "epochs > 0 (or max_steps > 0)"
        )
    args["warmup_steps"] = _number(
        args, "warmup_steps", where, "a number of steps >= 0 or a ratio in [0, 1)", minimum=0
    )
    if "warmup_ratio" in given:
        args["warmup_ratio"] = _number(args, "warmup_ratio", where, "a ratio in [0, 1]", minimum=0, maximum=1)
        if args["warmup_ratio"] and args["warmup_steps"]:
            raise LrplotError(
                f"{where}warmup_steps = {format_value(given.get('warmup_steps'))} and warmup_ratio = "
                f"{format_value(given['warmup_ratio'])} are both set: transformers 4.x used warmup_steps, 5.0-5.1 "
                "warmup_ratio, and 5.2 removed warmup_ratio; keep one"
            )
    args["dataloader_drop_last"] = _boolean(args, "dataloader_drop_last", where)
    kind = args["lr_scheduler_type"]
    if kind not in SCHEDULER_TYPES:
        hint = difflib.get_close_matches(str(kind).lower().replace("-", "_"), SCHEDULER_TYPES, n=1, cutoff=0.5)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        raise LrplotError(
            f"{where}lr_scheduler_type = {kind!r}: not a transformers SchedulerType{suggestion} "
            f"(expected one of {', '.join(SCHEDULER_TYPES)})"
        )
    args["lr_scheduler_kwargs"] = _kwargs_mapping(args["lr_scheduler_kwargs"], where)
    strategy = args["train_sampling_strategy"]
    if not isinstance(strategy, str):
        raise LrplotError(
            f"{where}train_sampling_strategy = {strategy!r}: expected random, sequential, group_by_length or "
            "batch_rebalance"
        )
    args["split_batches"] = _split_batches(args.get("accelerator_config"), where)
    return args


def _no_keys_message(config: Mapping[str, Any]) -> str:
    nested = [k for k, v in config.items() if isinstance(v, Mapping) and any(key in v for key in KEYS)]
    if nested:
        return (
            f"no TrainingArguments keys at the top of the file, but {nested[0]!r} holds some; "
            "give a file whose top level is the TrainingArguments (such as training_args.json)"
        )
    return (
        "no TrainingArguments keys found (learning_rate, lr_scheduler_type, num_train_epochs, max_steps, "
        "per_device_train_batch_size, ...); expected a file such as training_args.json"
    )


def _bad(where: str, key: str, value: Any, expected: str) -> LrplotError:
    return LrplotError(f"{where}{key} = {format_value(value)}: expected {expected}")


def _number(
    args: dict[str, Any],
    key: str,
    where: str,
    expected: str,
    *,
    minimum: float | None = None,
    maximum: float = math.inf,
) -> float | int:
    value = args[key]
    try:
        number = FLOAT.from_config(value)
    except LrplotError:
        raise _bad(where, key, value, expected) from None
    if (minimum is not None and number < minimum) or number > maximum:
        raise _bad(where, key, value, expected)
    if isinstance(value, int) and not isinstance(value, bool):
        return value  # an int stays an int: warmup_steps = 500 is shown as 500
    return number


def _integer(args: dict[str, Any], key: str, where: str, expected: str, *, minimum: int = 1) -> int:
    value = args[key]
    try:
        number = INT.from_config(value)
    except LrplotError:
        raise _bad(where, key, value, expected) from None
    if number < minimum or number > 10**15:
        raise _bad(where, key, value, expected)
    return number


def _max_steps(args: dict[str, Any], where: str) -> int:
    value = args["max_steps"]
    expected = f"a number of steps in 1..{MAX_EPOCHS:,}, or -1 to train num_train_epochs epochs"
    try:
        number = INT.from_config(value)
    except LrplotError:
        raise _bad(where, "max_steps", value, expected) from None
    if number == 0 or number > MAX_EPOCHS:
        raise _bad(where, "max_steps", value, expected)
    return number


def _boolean(args: dict[str, Any], key: str, where: str) -> bool:
    value = args[key]
    try:
        return BOOL.from_config(value)
    except LrplotError:
        raise _bad(where, key, value, "true or false") from None


def _kwargs_mapping(value: Any, where: str) -> dict[str, Any]:
    """``lr_scheduler_kwargs`` as a dict: a mapping, or JSON text as TrainingArguments.__post_init__ reads it."""
    if value is None or value == "":
        return {}
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise LrplotError(f"{where}lr_scheduler_kwargs = {value!r}: not valid JSON ({error.msg})") from None
        return _convert_str_dict(value)
    if not isinstance(value, Mapping):
        raise _bad(where, "lr_scheduler_kwargs", value, "a mapping of keyword arguments such as {num_cycles: 2}")
    return dict(value)


def _convert_str_dict(passed_value: dict[str, Any]) -> dict[str, Any]:
    """transformers' ``_convert_str_dict`` (training_args.py 161): "true" -> True, "3" -> 3, "0.5" -> 0.5."""
    for key, value in passed_value.items():
        if isinstance(value, dict):
            passed_value[key] = _convert_str_dict(value)
        elif isinstance(value, str):
            if value.lower() in ("true", "false"):
                passed_value[key] = value.lower() == "true"
            elif value.isdigit():
                passed_value[key] = int(value)
            elif value.replace(".", "", 1).isdigit():
                passed_value[key] = float(value)
    return passed_value


def _split_batches(value: Any, where: str) -> bool:
    """``accelerator_config.split_batches`` (default False); a config given as a file path is not read."""
    if not isinstance(value, Mapping) or value.get("split_batches") is None:
        return False
    try:
        return BOOL.from_config(value["split_batches"])
    except LrplotError:
        raise _bad(where, "accelerator_config.split_batches", value["split_batches"], "true or false") from None


# -- the step accounting ------------------------------------------------------------------------


def count_steps(
    args: dict[str, Any], *, dataset_size: int, world_size: int = 1, where: str = "from-hf: "
) -> TrainerSteps:
    """The Trainer's accounting for checked arguments (:func:`read_arguments`), as its code does it.

    >>> args = read_arguments({"per_device_train_batch_size": 16, "max_steps": 100, "warmup_steps": 0.05})
    >>> count_steps(args, dataset_size=1000, world_size=2)
    TrainerSteps(batches=32, update_steps_per_epoch=32, total_train_batch_size=32, max_steps=100,
                 num_train_epochs=4, warmup_steps=5)
    """
    if isinstance(dataset_size, bool) or not isinstance(dataset_size, int) or dataset_size < 1:
        raise LrplotError(f"{where}--dataset-size {dataset_size!r}: expected a number of training examples >= 1")
    if isinstance(world_size, bool) or not isinstance(world_size, int) or world_size < 1:
        raise LrplotError(f"{where}--world-size {world_size!r}: expected a number of processes >= 1")
    batch, accum = args["per_device_train_batch_size"], args["gradient_accumulation_steps"]
    batches = _batches(args, dataset_size, world_size, where)
    per_epoch = max(batches // accum + int(batches % accum > 0), 1)
    if args["max_steps"] > 0:
        max_steps = args["max_steps"]
        epochs = max_steps // per_epoch + int(max_steps % per_epoch > 0)
    else:
        max_steps = math.ceil(args["num_train_epochs"] * per_epoch)
        epochs = math.ceil(args["num_train_epochs"])
        if max_steps > MAX_EPOCHS:
            raise LrplotError(
                f"{where}num_train_epochs = {format_value(args['num_train_epochs'])} x {per_epoch:,} updates per "
                f"epoch is {max_steps:,} steps; lrplot previews at most {MAX_EPOCHS:,}"
            )
    return TrainerSteps(
        batches=batches,
        update_steps_per_epoch=per_epoch,
        total_train_batch_size=batch * accum * world_size,
        max_steps=max_steps,
        num_train_epochs=epochs,
        warmup_steps=_warmup_steps(args, max_steps),
    )


def _batches(args: dict[str, Any], examples: int, world: int, where: str) -> int:
    """``len(train_dataloader)`` on rank 0."""
    batch, accum, drop = (
        args["per_device_train_batch_size"],
        args["gradient_accumulation_steps"],
        args["dataloader_drop_last"],
    )
    if args["train_sampling_strategy"] == "batch_rebalance":
        # BatchRebalanceSampler (trainer_pt_utils.py): global batches of B x G x W examples, G per process
        # each; a partial last one unless drop_last.  accelerate's sharding is switched off for it.
        effective = batch * accum * world
        batches = (examples // effective + int(not drop and examples % effective > 0)) * accum
    elif args["split_batches"] and world > 1:
        if batch > 1 and batch % world != 0:  # accelerate's prepare_data_loader refuses it
            raise LrplotError(
                f"{where}accelerator_config.split_batches: the batch size ({batch}) needs to be a round multiple "
                f"of the number of processes ({world})"
            )
        batches = examples // batch if drop else -(-examples // batch)
    else:
        total = examples // batch if drop else -(-examples // batch)  # torch's BatchSampler.__len__
        # accelerate's BatchSamplerShard.__len__ on rank 0 (even_batches or not: rank 0 gets the extra batch)
        batches = total // world if drop else -(-total // world)
    if batches == 0:
        needed = batch * world * (accum if args["train_sampling_strategy"] == "batch_rebalance" else 1)
        raise LrplotError(
            f"{where}dataloader_drop_last with {examples:,} examples leaves no full batch of {needed:,}, so the "
            f"Trainer would train no step; expected at least {needed:,} examples"
        )
    return batches


def _warmup_steps(args: dict[str, Any], max_steps: int) -> int:
    """``TrainingArguments.get_warmup_steps(max_steps)``; ``warmup_ratio`` as transformers 4.x read it."""
    ratio = args.get("warmup_ratio")
    if ratio:  # both non-zero was refused when reading
        return math.ceil(max_steps * ratio)
    warmup = args["warmup_steps"]
    return int(warmup) if warmup >= 1 else math.ceil(max_steps * warmup)


# -- the scheduler ------------------------------------------------------------------------------


def _scheduler_kwargs(args: dict[str, Any], kind: str, policy: Any, where: str) -> dict[str, Any]:
    """``lr_scheduler_kwargs`` as get_scheduler passes them to ``kind``'s function, checked."""
    kwargs = args["lr_scheduler_kwargs"]
    lr = args["learning_rate"]
    if kind in METRIC_DRIVEN:
        options = "".join(f" --{k.replace('_', '-')} {format_value(v)}" for k, v in kwargs.items())
        raise LrplotError(
            f"{where}lr_scheduler_type = {kind!r} is stepped with the eval metric at each evaluation, which the "
            f"config does not hold; preview it with 'lrplot hf {kind.replace('_', '-')} --lr {format_value(lr)}"
            f"{options} --metrics FILE' (one metric per evaluation)"
        )
    if kind in ("constant", "constant_with_warmup"):
        return {}  # get_scheduler drops them
    passed = {"num_warmup_steps"} if kind == "inverse_sqrt" else {"num_warmup_steps", "num_training_steps"}
    accepted = [p.name for p in policy.params if p.name not in passed]
    function = policy.library_name
    params: dict[str, Any] = {}
    at = f"{where}lr_scheduler_kwargs: "
    for key, value in kwargs.items():
        if key in passed:
            raise LrplotError(
                f"{at}{key} = {format_value(value)}: the Trainer passes {key} itself (from the accounting), and "
                f"{function} cannot take it twice; remove it"
            )
        if key not in accepted:
            hint = difflib.get_close_matches(str(key), accepted, n=1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            takes = f"it takes {', '.join(accepted)}" if accepted else "it takes none"
            raise LrplotError(f"{at}{function} has no argument {key!r}{suggestion} ({takes})")
        p = policy.param(key)
        params[key] = p.validate(p.from_config(value, at), at, f"{key} =")
    for p in policy.params:
        if p.name not in passed and p.required and p.name not in params:
            raise LrplotError(f"{at}{kind!r} needs {p.name} ({function} has no default): {p.help}")
    return params


def _check_like_hf(kind: str, lr: float, params: dict[str, Any], where: str) -> None:
    """The checks transformers makes when it builds the scheduler, made now with the config's words."""
    at = f"{where}lr_scheduler_kwargs: "
    if kind == "polynomial":
        lr_end = params.get("lr_end", 1e-7)
        if not lr > lr_end:
            raise LrplotError(
                f"{at}lr_end ({format_value(lr_end)}) must be smaller than initial lr ({format_value(lr)}), "
                "the learning_rate"
            )
    if kind in ("cosine_with_min_lr", "cosine_warmup_with_min_lr"):
        given = [name for name in ("min_lr", "min_lr_rate") if params.get(name) is not None]
        if len(given) != 1:
            problem = "both are set" if given else "neither is set"
            raise LrplotError(f"{at}{kind!r} needs exactly one of min_lr or min_lr_rate; {problem}")


def _accounting(
    args: dict[str, Any], steps: TrainerSteps, spec: Spec, examples: int, world: int
) -> list[tuple[str, str]]:
    batch, accum = args["per_device_train_batch_size"], args["gradient_accumulation_steps"]
    drop = args["dataloader_drop_last"]
    rounding = "floor" if drop else "ceil"
    if args["train_sampling_strategy"] == "batch_rebalance":
        batches = (
            f"{steps.batches:,} = {accum} x {rounding}({examples:,} / {batch * accum * world:,}) "
            f"(batch_rebalance: {accum} per global batch of {batch} x {accum} x {world})"
        )
    elif args["split_batches"] and world > 1:
        batches = f"{steps.batches:,} = {rounding}({examples:,} / {batch}), each split across {world} processes"
    elif world > 1:
        batches = f"{steps.batches:,} = {rounding}({rounding}({examples:,} / {batch}) / {world}) per process"
    else:
        batches = f"{steps.batches:,} = {rounding}({examples:,} / {batch})"
    per_epoch = (
        f"{steps.update_steps_per_epoch:,} = ceil({steps.batches:,} / {accum})"
        if accum > 1
        else f"{steps.update_steps_per_epoch:,} (one per batch)"
    )
    epochs = args["num_train_epochs"]
    if args["max_steps"] > 0:
        total = f"{steps.max_steps:,} (max_steps; num_train_epochs is not used)"
        num_epochs = f"{steps.num_train_epochs:,} = ceil({steps.max_steps:,} / {steps.update_steps_per_epoch:,})"
    else:
        total = f"{steps.max_steps:,} = ceil({_plain(epochs)} x {steps.update_steps_per_epoch:,})"
        num_epochs = f"{steps.num_train_epochs:,}" + (f" = ceil({_plain(epochs)})" if epochs != int(epochs) else "")
    kind = args["lr_scheduler_type"]
    lines = [
        ("batches per epoch", batches),
        ("Num update steps per epoch", per_epoch),
        ("Total train batch size", f"{steps.total_train_batch_size:,} = {batch} x {accum} x {world}"),
        ("Total optimization steps", total),
        ("Num Epochs", num_epochs),
        ("warmup steps", _warmup_text(args, steps, kind)),
        ("learning rate", f"{format_value(args['learning_rate'])} (learning_rate, the optimizer's lr as given)"),
    ]
    call = spec.call
    if kind in ("constant", "constant_with_warmup") and args["lr_scheduler_kwargs"]:
        call += f" (lr_scheduler_kwargs are not passed to {kind!r})"
    if kind == "warmup_stable_decay" and "num_stable_steps" in spec.params:
        call += " (num_stable_steps wins over num_training_steps)"
    lines.append(("scheduler", call))
    return lines


def _warmup_text(args: dict[str, Any], steps: TrainerSteps, kind: str) -> str:
    ratio, warmup = args.get("warmup_ratio"), args["warmup_steps"]
    if kind == "constant":
        ignored = f" (warmup_steps = {_plain(warmup)} is ignored)" if warmup or ratio else ""
        return f"none: get_scheduler passes no warmup to 'constant'{ignored}"
    if ratio:
        return (
            f"{steps.warmup_steps:,} = ceil({steps.max_steps:,} x {_plain(ratio)}) (warmup_ratio, as transformers 4.x)"
        )
    if warmup >= 1:
        if warmup == int(warmup):
            return f"{steps.warmup_steps:,} (warmup_steps)"
        return f"{steps.warmup_steps:,} = int({_plain(warmup)}) (warmup_steps)"
    if warmup == 0:
        return "0 (warmup_steps = 0)"
    return f"{steps.warmup_steps:,} = ceil({steps.max_steps:,} x {_plain(warmup)})"


def _plain(value: float | int) -> str:
    """3.0 as 3, 2.5 as 2.5, 1e-05 as 1e-05: a number as a user wrote it."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format_value(value)
