"""``lrplot from-timm``: what timm's ``train.py`` schedules for the run an ``args.yaml`` describes.

timm's ``train.py`` dumps its whole argparse namespace into ``args.yaml`` in
every output folder (``yaml.safe_dump(args.__dict__)``, before any value is
derived).  This module repeats what ``train.py`` then derives, with the
train script of timm 1.0.29.dev0 (huggingface/pytorch-image-models ``aa4b585``, the newest available)
and the scheduler factory of timm 1.0.31 (``timm/scheduler/scheduler_factory.py``):

* **lr** (train.py, after the loaders are built): when ``lr`` is empty
  (``None``, and also ``0``: the test is ``if not args.lr``)::

      global_batch = float(batch_size) x world_size x grad_accum_steps
      ratio        = global_batch / lr_base_size      (sqrt(ratio) with sqrt scaling)
      lr           = lr_base x ratio

  with sqrt scaling when ``lr_base_scale`` is ``'sqrt'``, or empty and the
  optimizer name contains ``ada`` or ``lamb`` (adamw, adafactor, lamb ...).
* **updates per epoch**: timm's train loader (``create_loader``, map-style
  dataset) splits the D samples over W ranks with torch's
  ``DistributedSampler`` (``ceil(D / W)`` per rank, padded; W = 1 is not
  distributed and keeps all D) or, with ``aug_repeats``, timm's
  ``RepeatAugSampler`` (``min(floor(D // 256 x 256 / W), ceil(D x aug_repeats / W))``),
  and drops the last partial batch (``drop_last=is_training``)::

      loader batches    = samples per rank // batch_size
      updates per epoch = ceil(loader batches / grad_accum_steps)

* **the schedule**: ``create_scheduler_v2(optimizer, **scheduler_kwargs(args), updates_per_epoch=...)``.
  Per update (``sched_on_updates``) every length is multiplied by the
  updates per epoch and the class gets ``t_in_epochs=False``.  The run is
  ``num_epochs`` long: for cosine, tanh and poly ``get_cycle_length()``
  (``epochs x cycles``, or ``floor(epochs x (mul^cycles - 1) / (mul - 1))``,
  plus the warmup with ``warmup_prefix``) plus ``cooldown_epochs``; for wsd
  and rsqrt warmup + schedule + cooldown; for the others ``epochs`` plus the
  warmup with ``warmup_prefix`` (their cooldown is never added).  Per update
  the factory counts in updates and divides: ``num_epochs = total // updates per epoch``.
* **the rows**: train.py trains ``num_epochs`` epochs.  Row 0 is the lr the
  scheduler's constructor sets; after epoch e the loop calls
  ``step(e + 1)`` (per epoch), or after update n ``step_update(n + 1)`` (per
  update), so row t is the lr used during epoch (update) t:
  ``num_epochs`` rows, or ``num_epochs x updates per epoch``.

Keys missing from the file take train.py's argparse defaults (sched cosine,
epochs 300, lr_base 0.1, lr_base_size 256, batch_size 128, warmup_lr 1e-5,
warmup_epochs 5, lr_cycle_decay 0.5, decay_epochs 90, decay_rate 0.1 ...).

Example: 1000 samples on 2 ranks, 64 per batch, lr_base 0.1 with SGD:

>>> p = preview({"sched": "cosine", "epochs": 10, "batch_size": 64, "lr_base": 0.1, "opt": "sgd",
...              "warmup_epochs": 2, "cooldown_epochs": 1}, dataset_size=1000, world_size=2)
>>> for name, value in p.accounting:
...     print(f"{name}: {value}")
schedule: cosine -> CosineLRScheduler, stepped per epoch: step(epoch + 1) after each epoch
lr: 0.05 = lr_base 0.1 x 128 / 256 (global batch 64 x 2 ranks x 1 accum; linear scaling, chosen from opt 'sgd')
samples per rank: 500 = ceil(1000 / 2) (DistributedSampler)
loader batches: 7 = 500 // 64 (batch_size; the last partial batch is dropped)
updates per epoch: 7 (grad_accum_steps 1)
epochs: 11 = 10 + 1 cooldown
warmup: 2 epochs from warmup_lr 1e-05, inside the schedule (no warmup_prefix)
total updates: 77 = 11 epochs x 7
defaults: lr_base_size 256, warmup_lr 1e-05 (not in the file: train.py's defaults)
>>> p.spec.call
'CosineLRScheduler(t_initial=10, lr_min=0.0, cycle_mul=1.0, cycle_decay=0.5, cycle_limit=1, warmup_t=2, warmup_lr_init=1e-05, warmup_prefix=False, t_in_epochs=True, k_decay=1.0)'
>>> p.spec.run
{'lr': [0.05], 'epochs': 11, 'steps_per_epoch': 7, 'interval': 'epoch'}
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from typing import Any

from ..errors import LrplotError
from ..options import MAX_EPOCHS
from ..registry import lookup
from ..spec import Spec
from . import Preview

SCHEDS = ("cosine", "tanh", "step", "constant", "multistep", "plateau", "poly", "wsd", "rsqrt", "none")
"""What timm 1.0.31's create_scheduler_v2 accepts for ``sched``."""

CYCLE_SCHEDS = ("cosine", "tanh", "poly")
CLASS_NAMES = {
    "cosine": "CosineLRScheduler",
    "tanh": "TanhLRScheduler",
    "step": "StepLRScheduler",
    "constant": "StepLRScheduler",
    "multistep": "MultiStepLRScheduler",
    "poly": "PolyLRScheduler",
    "wsd": "WSDLRScheduler",
    "rsqrt": "WSDLRScheduler",
}
ITERABLE_DATASETS = ("tfds", "wds", "hfids")
WSD_DECAY_FNS = ("linear", "1-sqrt", "cosine", "power", "exp")

# train.py's argparse defaults (timm train.py lines 142-263, 288-290, 365, 389, 405, 423), for the keys
# read here; lr_decay_fn and lr_stable_timescale are read by scheduler_kwargs with these getattr defaults.
TRAIN_DEFAULTS: dict[str, tuple[str, Any]] = {
    "sched": ("text", "cosine"),
    "sched_on_updates": ("bool", False),
    "lr": ("float?", None),
    "lr_base": ("float", 0.1),
    "lr_base_size": ("int", 256),
    "lr_base_scale": ("text?", ""),
    "lr_noise": ("floats?", None),
    "lr_noise_pct": ("float", 0.67),
    "lr_noise_std": ("float", 1.0),
    "lr_cycle_mul": ("float", 1.0),
    "lr_cycle_decay": ("float", 0.5),
    "lr_cycle_limit": ("int", 1),
    "lr_k_decay": ("float", 1.0),
    "lr_decay_fn": ("text?", None),
    "lr_stable_timescale": ("float?", None),
    "warmup_lr": ("float", 1e-5),
    "min_lr": ("float", 0.0),
    "epochs": ("int", 300),
    "start_epoch": ("int?", None),
    "decay_milestones": ("ints", [90, 180, 270]),
    "decay_epochs": ("float?", 90),
    "warmup_epochs": ("int", 5),
    "warmup_prefix": ("bool", False),
    "cooldown_epochs": ("int", 0),
    "patience_epochs": ("int", 10),
    "decay_rate": ("float", 0.1),
    "batch_size": ("int", 128),
    "grad_accum_steps": ("int", 1),
    "opt": ("text", "sgd"),
    "seed": ("int", 42),
    "aug_repeats": ("float", 0.0),
    "dataset": ("text?", ""),
    "naflex_loader": ("bool", False),
    "train_img_sizes": ("ints?", None),
    "layer_decay": ("float?", None),
    "eval_metric": ("text", "top1"),
    "val_split": ("text?", "validation"),
}

_SIGNATURE_KEYS = ("sched", "epochs", "lr", "lr_base", "batch_size", "warmup_epochs", "opt", "sched_on_updates")
"""Keys every train.py args.yaml has: a mapping with none of them is some other tool's config."""

_EXPECTED = {
    "text": "text",
    "text?": "text or null",
    "bool": "true or false",
    "int": "an integer",
    "int?": "an integer or null",
    "float": "a finite number",
    "float?": "a finite number or null",
    "ints": "a list of integers",
    "ints?": "a list of integers or null",
    "floats?": "a number, a list of one or two numbers, or null",
}


def preview(
    config: Mapping[str, Any], *, dataset_size: int, world_size: int = 1, where: str = "from-timm: "
) -> Preview:
    """The schedule timm's train.py runs for ``config`` (an ``args.yaml``) on ``dataset_size`` samples.

    ``world_size`` is the number of training processes (GPUs): args.yaml does
    not hold it, train.py takes it from the launcher.  Unknown keys are
    ignored (args.yaml has about 170); missing ones take train.py's defaults.
    """
    args = _Args(config, where)
    dataset_size = _positive_int(dataset_size, "--dataset-size", where)
    world_size = _positive_int(world_size, "--world-size", where)
    sched = args["sched"]
    if sched not in SCHEDS:
        hint = difflib.get_close_matches(sched, SCHEDS, n=1, cutoff=0.6)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        raise LrplotError(
            f"{where}sched = {sched!r}: unknown scheduler{suggestion} (timm's create_scheduler_v2 takes "
            f"{', '.join(SCHEDS)})"
        )
    _check_loader(args, where)
    per_update = args["sched_on_updates"]
    accounting: list[tuple[str, str]] = []
    if sched not in ("plateau", "none"):
        stepping = (
            "per update (sched_on_updates): step_update(num_updates) after each optimizer update"
            if per_update
            else "per epoch: step(epoch + 1) after each epoch"
        )
        accounting.append(("schedule", f"{sched} -> {CLASS_NAMES[sched]}, stepped {stepping}"))

    lr, lr_text = _learning_rate(args, world_size, where)
    accounting.append(("lr", lr_text))
    if sched == "plateau":
        raise LrplotError(_plateau_refusal(args, lr, where))
    if sched == "none":
        raise LrplotError(
            f"{where}sched = 'none': create_scheduler_v2 builds no scheduler, so the lr stays at {lr!r} for the "
            f"whole run; there is no schedule to preview"
        )

    updates = _updates_per_epoch(args, dataset_size, world_size, where, accounting)
    params, num_epochs, epochs_text = _factory(args, updates, where)
    rows = num_epochs * updates if per_update else num_epochs
    accounting.append(("epochs", epochs_text))
    accounting.append(("warmup", _warmup_text(args, sched, updates)))
    accounting.append(("total updates", f"{num_epochs * updates} = {num_epochs} epochs x {updates}"))
    if rows > MAX_EPOCHS:
        raise LrplotError(
            f"{where}{rows} {'updates' if per_update else 'epochs'} to preview; expected at most {MAX_EPOCHS} rows "
            "(check epochs and --dataset-size)"
        )
    accounting += _notes(args, params, epochs_in_t=args["epochs"] * (updates if per_update else 1))

    policy = lookup(f"timm {'step' if sched == 'constant' else 'wsd' if sched == 'rsqrt' else sched}")
    try:
        policy.bind(params, by_key=True)
    except LrplotError as error:
        raise LrplotError(f"{where}the factory's arguments are refused: {error}") from None
    run = {"lr": [lr], "epochs": rows, "steps_per_epoch": updates, "interval": "step" if per_update else "epoch"}
    return Preview(Spec(policy, params, run), accounting)


# -- reading args.yaml ---------------------------------------------------------------------------


class _Args:
    """The keys train.py's scheduling reads, checked and converted as argparse would, with its defaults."""

    def __init__(self, config: Mapping[str, Any], where: str) -> None:
        if not isinstance(config, Mapping):
            raise LrplotError(f"{where}expected a mapping of train.py arguments, got {type(config).__name__}")
        if not any(key in config for key in _SIGNATURE_KEYS):
            raise LrplotError(
                f"{where}none of timm train.py's keys ({', '.join(_SIGNATURE_KEYS)}); expected the args.yaml "
                "that train.py writes into its output folder"
            )
        self.config = config
        self.where = where
        self.defaulted: list[str] = []
        self.values: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self.values:
            kind, default = TRAIN_DEFAULTS[key]
            if key in self.config:
                self.values[key] = self._convert(key, kind, self.config[key])
            else:
                self.defaulted.append(key)
                self.values[key] = default
        return self.values[key]

    def _convert(self, key: str, kind: str, value: Any) -> Any:
        optional = kind.endswith("?")
        base = kind.rstrip("?")
        if value is None and optional:
            return None
        try:
            if base == "text" and isinstance(value, str):
                return value
            if base == "bool" and isinstance(value, bool):
                return value
            if base == "int":
                return _int(value)
            if base == "float":
                return _float(value)
            if base == "ints" and isinstance(value, list):
                return [_int(v) for v in value]
            if base == "floats":
                values = value if isinstance(value, list) else [value]
                if 1 <= len(values) <= 2:
                    return [_float(v) for v in values]
        except (TypeError, ValueError):
            pass
        raise LrplotError(f"{self.where}{key} = {value!r}: expected {_EXPECTED[kind]}")

    def check(self, key: str, ok: bool, expected: str) -> None:
        if not ok:
            raise LrplotError(f"{self.where}{key} = {self[key]!r}: expected {expected}")


def _int(value: Any) -> int:
    """An int as argparse's ``type=int`` gives it: ints, and text (a config's string default) converted."""
    if isinstance(value, bool):
        raise TypeError
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return int(value)
    raise TypeError


def _float(value: Any) -> float:
    """A float as argparse's ``type=float`` gives it (``5e-4`` is text to YAML, a float to argparse)."""
    if isinstance(value, bool):
        raise TypeError
    if isinstance(value, (int, float, str)):
        number = float(value)
        if math.isfinite(number):
            return number
    raise ValueError


def _positive_int(value: Any, name: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise LrplotError(f"{where}{name} {value!r}: expected an integer >= 1")
    return value


# -- train.py's accounting -----------------------------------------------------------------------


def _check_loader(args: _Args, where: str) -> None:
    """Loaders whose length is not ``samples // batch_size``: refused rather than guessed."""
    if args["naflex_loader"]:
        raise LrplotError(
            f"{where}naflex_loader = True: the NaFlex loader batches by sequence length, its length per epoch is "
            "not samples // batch_size; from-timm previews the standard loader"
        )
    if args["train_img_sizes"] is not None:
        raise LrplotError(
            f"{where}train_img_sizes = {args['train_img_sizes']!r}: scheduled-resolution batches vary in size; "
            "from-timm previews the standard loader (train_img_sizes null)"
        )
    dataset = args["dataset"] or ""
    prefix = dataset.split("/", 1)[0].lower() if "/" in dataset else ""
    if prefix in ITERABLE_DATASETS:
        raise LrplotError(
            f"{where}dataset = {dataset!r}: an iterable dataset ({prefix}/) is split over ranks and workers by its "
            "reader; from-timm counts map-style datasets (folders, hfds/ ...)"
        )


def _learning_rate(args: _Args, world_size: int, where: str) -> tuple[float, str]:
    """train.py: ``if not args.lr:`` lr = lr_base x (global batch / lr_base_size), or its square root."""
    lr = args["lr"]
    if lr is not None:
        args.check("lr", lr >= 0, "a number >= 0")
    if lr:
        return lr, f"{lr!r} (lr in the file, used as is)"
    args.check("lr_base", args["lr_base"] >= 0, "a number >= 0")
    args.check("batch_size", args["batch_size"] >= 1, "an integer >= 1")
    args.check("lr_base_size", args["lr_base_size"] >= 1, "an integer >= 1")
    scale = args["lr_base_scale"]
    args.check("lr_base_scale", scale in (None, "", "linear", "sqrt"), "'linear', 'sqrt' or empty (from opt)")
    accum = max(1, args["grad_accum_steps"])
    batch = args["batch_size"]
    global_batch = float(batch) * world_size * accum
    batch_ratio = global_batch / args["lr_base_size"]
    if not scale:
        on = args["opt"].lower()
        scale = "sqrt" if any(o in on for o in ("ada", "lamb")) else "linear"
        why = f"chosen from opt {args['opt']!r}"
    else:
        why = "lr_base_scale"
    ratio_text = f"{global_batch:g} / {args['lr_base_size']}"
    if scale == "sqrt":
        batch_ratio = batch_ratio**0.5
        ratio_text = f"sqrt({ratio_text})"
    lr = args["lr_base"] * batch_ratio
    empty = "" if args["lr"] is None else " (lr 0 counts as empty)"
    return lr, (
        f"{lr!r} = lr_base {args['lr_base']!r} x {ratio_text} (global batch {batch} x {world_size} "
        f"{'rank' if world_size == 1 else 'ranks'} x {accum} accum; {scale} scaling, {why}){empty}"
    )


def _updates_per_epoch(
    args: _Args, dataset_size: int, world_size: int, where: str, accounting: list[tuple[str, str]]
) -> int:
    """len(loader_train) from timm's create_loader, then train.py's ceil over grad_accum_steps."""
    repeats = args["aug_repeats"]
    args.check("aug_repeats", repeats >= 0, "a number >= 0")
    batch = args["batch_size"]
    args.check("batch_size", batch >= 1, "an integer >= 1")
    if world_size > 1 and repeats:
        # timm RepeatAugSampler(dataset, num_repeats=aug_repeats): selected_round 256, selected_ratio = W
        num_samples = int(math.ceil(dataset_size * repeats / world_size))
        if dataset_size >= 256:
            selected = int(math.floor(dataset_size // 256 * 256 / world_size))
            selected_text = f"floor({dataset_size} // 256 x 256 / {world_size})"
        else:
            selected = int(math.ceil(dataset_size / world_size))
            selected_text = f"ceil({dataset_size} / {world_size})"
        per_rank = min(selected, num_samples)
        accounting.append(
            (
                "samples per rank",
                f"{per_rank} = min({selected_text}, ceil({dataset_size} x {repeats:g} / {world_size})) "
                f"(RepeatAugSampler, aug_repeats {repeats:g})",
            )
        )
    elif world_size > 1:
        per_rank = math.ceil(dataset_size / world_size)  # torch DistributedSampler, drop_last=False: padded
        accounting.append(
            ("samples per rank", f"{per_rank} = ceil({dataset_size} / {world_size}) (DistributedSampler)")
        )
    else:
        if repeats:
            raise LrplotError(
                f"{where}aug_repeats = {repeats:g}: timm's loader asserts that repeated augmentation is only used in "
                "distributed training; give --world-size > 1"
            )
        per_rank = dataset_size
    batches = per_rank // batch
    accounting.append(
        ("loader batches", f"{batches} = {per_rank} // {batch} (batch_size; the last partial batch is dropped)")
    )
    if batches == 0:
        raise LrplotError(
            f"{where}batch_size = {batch}: each rank holds {per_rank} samples, fewer than one batch, and the train "
            "loader drops partial batches: no updates at all (check --dataset-size and --world-size)"
        )
    accum = max(1, args["grad_accum_steps"])
    updates = (batches + accum - 1) // accum
    if accum == 1:
        accounting.append(("updates per epoch", f"{updates} (grad_accum_steps 1)"))
    else:
        accounting.append(("updates per epoch", f"{updates} = ceil({batches} / {accum} grad_accum_steps)"))
    return updates


def _factory(args: _Args, updates: int, where: str) -> tuple[dict[str, Any], int, str]:
    """create_scheduler_v2's arguments for the class, and the num_epochs it returns (with its derivation)."""
    sched = args["sched"]
    per_update = args["sched_on_updates"]
    epochs = args["epochs"]
    args.check("epochs", epochs >= 1, "an integer >= 1")
    warmup_epochs = args["warmup_epochs"]
    args.check("warmup_epochs", warmup_epochs >= 0, "an integer >= 0")
    cooldown_epochs = args["cooldown_epochs"]
    args.check("cooldown_epochs", cooldown_epochs >= 0, "an integer >= 0")
    for key in ("min_lr", "warmup_lr"):
        args.check(key, args[key] >= 0, "a number >= 0")
    warmup_prefix = args["warmup_prefix"]
    decay_epochs = args["decay_epochs"] if sched in ("step", "wsd", "rsqrt") else 90
    if decay_epochs is None:  # the factory's default: wsd / rsqrt decay over the last 20%, step every 90 epochs
        decay_epochs = 0.2 if sched in ("wsd", "rsqrt") else 90

    # scheduler_factory.create_scheduler_v2: lengths in epochs, or in updates with sched_on_updates
    scale = updates if per_update else 1
    t_initial = epochs * scale
    warmup_t = warmup_epochs * scale
    decay_t = decay_epochs * scale
    cooldown_t = cooldown_epochs * scale
    timescale = args["lr_stable_timescale"] if sched in ("wsd", "rsqrt") else None
    timescale_t = None if timescale is None else timescale * scale

    warmup = {"warmup_t": warmup_t, "warmup_lr_init": args["warmup_lr"], "warmup_prefix": warmup_prefix}
    noise = _noise(args, t_initial, where)
    cycles = {}
    if sched in CYCLE_SCHEDS:
        args.check("lr_cycle_mul", args["lr_cycle_mul"] > 0, "a number > 0")
        args.check("lr_cycle_limit", args["lr_cycle_limit"] >= 0, "an integer >= 0")
        cycles = {
            "cycle_mul": args["lr_cycle_mul"],
            "cycle_decay": args["lr_cycle_decay"],
            "cycle_limit": args["lr_cycle_limit"],
        }
    timing = {"t_in_epochs": not per_update}

    if sched == "cosine":
        params = {"t_initial": t_initial, "lr_min": args["min_lr"], **cycles, **warmup, **timing, **noise}
        params["k_decay"] = args["lr_k_decay"]
    elif sched == "tanh":
        params = {"t_initial": t_initial, "lr_min": args["min_lr"], **cycles, **warmup, **timing, **noise}
    elif sched == "poly":
        params = {"t_initial": t_initial, "power": args["decay_rate"], "lr_min": args["min_lr"], **cycles}
        params.update({**warmup, **timing, **noise, "k_decay": args["lr_k_decay"]})
    elif sched == "step":
        args.check("decay_epochs", decay_epochs > 0, "a number of epochs > 0")
        params = {"decay_t": decay_t, "decay_rate": args["decay_rate"], **warmup, **timing, **noise}
    elif sched == "constant":  # a StepLRScheduler that never decays
        params = {"decay_t": 1, "decay_rate": 1.0, **warmup, **timing, **noise}
    elif sched == "multistep":
        milestones = args["decay_milestones"]
        args.check("decay_milestones", milestones == sorted(milestones), "increasing epochs (timm bisects them)")
        params = {"decay_t": [m * scale for m in milestones], "decay_rate": args["decay_rate"], **warmup}
        params.update({**timing, **noise})
    else:  # wsd, rsqrt: the warmup is always a prefix; without warmup_prefix it fits inside epochs
        t_sched = t_initial if warmup_prefix else t_initial - warmup_t
        if 0 < decay_epochs < 1:
            decay_t = decay_epochs * t_sched  # a fraction of the stable + decay length
        decay_t = int(round(decay_t))
        if not 0 < decay_t <= t_sched:
            within = "epochs" if warmup_prefix else "epochs - warmup_epochs"
            raise LrplotError(
                f"{where}decay_epochs = {args['decay_epochs']!r}: {sched} needs 0 < decay <= {within}, got decay "
                f"{decay_t} and stable + decay length {t_sched}{' updates' if per_update else ''} (timm raises "
                "ValueError)"
            )
        decay_fn = args["lr_decay_fn"] or ("linear" if sched == "rsqrt" else "1-sqrt")
        args.check("lr_decay_fn", decay_fn in WSD_DECAY_FNS, f"one of {', '.join(WSD_DECAY_FNS)} or null")
        params = {"t_initial": t_sched, "decay_t": decay_t, "lr_min": args["min_lr"]}
        params["stable_fn"] = "rsqrt" if sched == "rsqrt" else "constant"
        if timescale_t is not None:
            params["stable_timescale"] = timescale_t
        elif sched == "rsqrt" and warmup_t <= 0:
            raise LrplotError(
                f"{where}lr_stable_timescale = None: rsqrt's timescale defaults to the warmup, which is 0; set "
                "lr_stable_timescale or warmup_epochs (timm raises ValueError)"
            )
        params["decay_fn"] = decay_fn
        params.update({"warmup_t": warmup_t, "warmup_lr_init": args["warmup_lr"], **timing, **noise})

    unit = " updates" if per_update else ""
    if sched in CYCLE_SCHEDS or sched in ("wsd", "rsqrt"):
        if sched in CYCLE_SCHEDS:
            length, length_text = _cycle_length(params, t_initial, warmup_t, warmup_prefix)
        else:
            length = warmup_t + params["t_initial"]
            length_text = f"{warmup_t} warmup + {params['t_initial']}"
        total = length + cooldown_t
        if per_update:
            num_epochs = total // updates
            text = f"{num_epochs} = ({length_text} + {cooldown_t} cooldown{unit}) // {updates}"
        else:
            num_epochs = total
            text = f"{num_epochs} = {length_text}" + (f" + {cooldown_t} cooldown" if cooldown_t else "")
            if text == f"{num_epochs} = {num_epochs}":
                text = f"{num_epochs}"
    else:
        num_epochs = epochs + (warmup_epochs if warmup_prefix else 0)
        text = f"{num_epochs} = {epochs} + {warmup_epochs} warmup (warmup_prefix)" if warmup_prefix else f"{epochs}"
        if cooldown_epochs:
            text += f"; cooldown_epochs {cooldown_epochs} not added (only cosine, tanh, poly, wsd and rsqrt add it)"
    return params, num_epochs, text


def _cycle_length(params: dict[str, Any], t_initial: int, warmup_t: int, prefix: bool) -> tuple[int, str]:
    """get_cycle_length() of timm's cosine, tanh and poly classes, and how it was reached."""
    cycles = max(1, params["cycle_limit"])
    mul = params["cycle_mul"]
    if mul == 1.0:
        t = t_initial * cycles
        text = f"{t_initial} x {cycles} cycles" if cycles > 1 else f"{t_initial}"
    else:
        t = int(math.floor(-t_initial * (mul**cycles - 1) / (1 - mul)))
        text = f"floor({t_initial} x ({mul!r}^{cycles} - 1) / ({mul!r} - 1))"
    if prefix:
        return t + warmup_t, f"{warmup_t} warmup + {text}"
    return t, text


def _noise(args: _Args, t_initial: int, where: str) -> dict[str, Any]:
    """noise_range_t = lr_noise x t_initial; t is an integer, so t >= x is t >= ceil(x) (and t < x likewise)."""
    fractions = args["lr_noise"]
    if fractions is None:
        return {}
    args.check("lr_noise_pct", args["lr_noise_pct"] > 0, "a number > 0")
    args.check("lr_noise_std", args["lr_noise_std"] >= 0, "a number >= 0")
    span = [math.ceil(f * t_initial) for f in fractions]
    if len(span) == 2 and span[0] > span[1]:
        return {}  # lo <= t < hi never holds: timm adds no noise
    return {
        "noise_range_t": span,
        "noise_pct": args["lr_noise_pct"],
        "noise_std": args["lr_noise_std"],
        "noise_seed": args["seed"],
    }


def _warmup_text(args: _Args, sched: str, updates: int) -> str:
    epochs = args["warmup_epochs"]
    if not epochs:
        return "none (warmup_epochs 0)"
    size = f" = {epochs * updates} updates" if args["sched_on_updates"] else ""
    if sched in ("wsd", "rsqrt") and not args["warmup_prefix"]:
        where = "before the schedule, within epochs (wsd and rsqrt always warm up first)"
    elif args["warmup_prefix"]:
        where = "before the schedule (warmup_prefix)"
    else:
        where = "inside the schedule (no warmup_prefix)"
    return f"{epochs} epochs{size} from warmup_lr {args['warmup_lr']!r}, {where}"


def _notes(args: _Args, params: dict[str, Any], *, epochs_in_t: int) -> list[tuple[str, str]]:
    """Lines for what else shapes the run: noise, layer decay, a start epoch, defaults used."""
    notes: list[tuple[str, str]] = []
    if args["sched"] == "poly":
        notes.append(("power", f"{args['decay_rate']!r} (the factory passes decay_rate as poly's power)"))
    if "noise_range_t" in params:
        span = params["noise_range_t"]
        rows = f"rows t >= {span[0]}" if len(span) == 1 else f"rows {span[0]} <= t < {span[1]}"
        fractions = ", ".join(f"{f!r}" for f in args["lr_noise"])
        notes.append(("noise", f"lr_noise {fractions} x {epochs_in_t}: {rows}, seed {args['seed']}"))
    if args["layer_decay"] is not None:
        notes.append(("layer decay", f"{args['layer_decay']!r}: each parameter group gets the lr shown x its lr_scale"))
    if args["start_epoch"] is not None:
        notes.append(("start epoch", f"{args['start_epoch']}: train.py resumes there; the rows start at epoch 0"))
    # defaults that shape this run; off switches and neutral values (None, False, '', 0, 1) go unsaid
    shown = [
        f"{key} {_shown(TRAIN_DEFAULTS[key][1])}"
        for key in args.defaulted
        if TRAIN_DEFAULTS[key][1] not in (None, "", 0, 1)
        and not (key == "lr_cycle_decay" and params.get("cycle_limit", 1) <= 1)
    ]
    if shown:
        notes.append(("defaults", f"{', '.join(shown)} (not in the file: train.py's defaults)"))
    return notes


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _plateau_refusal(args: _Args, lr: float, where: str) -> str:
    mode = "min" if args["eval_metric"] == "loss" or not args["val_split"] else "max"
    return (
        f"{where}sched = 'plateau' steps on each epoch's eval metric, which args.yaml does not hold; preview it with "
        f"'lrplot timm plateau --metrics FILE --lr {lr!r} --decay-rate {args['decay_rate']!r} "
        f"--patience-t {args['patience_epochs']} --warmup-t {args['warmup_epochs']} "
        f"--warmup-lr-init {args['warmup_lr']!r} --lr-min {args['min_lr']!r} --mode {mode}'"
    )
