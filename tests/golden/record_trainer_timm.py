"""Record what timm's train.py schedules for an args.yaml: ``python tests/golden/record_trainer_timm.py``.

Needs torch and timm (``pip install --no-deps timm``; torchvision is not
needed: ``timm`` and ``timm.data`` are imported as bare packages when it is
missing).  For every case below it repeats train.py's own lines (copied
below, citing huggingface/pytorch-image-models ``train.py`` at ``aa4b585``,
timm 1.0.29.dev0: the newest train.py available; timm's wheel does not ship
it), measures ``len(loader_train)`` on a torch DataLoader built with the
sampler timm's ``create_loader`` picks (timm's own ``RepeatAugSampler``),
calls timm's ``create_scheduler_v2(optimizer, **scheduler_kwargs(args), updates_per_epoch=...)``
on a torch SGD optimizer with the scaled lr, and runs train.py's loop,
recording the lr of every epoch (or update, with ``sched_on_updates``) as
the optimizer uses it.  The result is ``trainers/timm.json``, which
``tests/test_from_timm.py`` compares with ``lrplot.trainers.timm.preview``
and with lrplot's simulation, bit for bit.  Nothing from lrplot is used here.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
import types
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GOLDEN_FILE = HERE / "trainers" / "timm.json"
SAMPLES = HERE.parent.parent / "samples"

# train.py's argparse defaults for the keys its lr, loader and scheduler setup read
# (train.py lines 142, 150, 191, 215-263, 288-290, 365, 389, 405, 423); scheduler_kwargs reads
# lr_decay_fn and lr_stable_timescale with getattr(cfg, ..., None) (timm 1.0.31 scheduler_factory.py).
TRAIN_DEFAULTS: dict[str, Any] = {
    "batch_size": 128,
    "grad_accum_steps": 1,
    "opt": "sgd",
    "sched": "cosine",
    "sched_on_updates": False,
    "lr": None,
    "lr_base": 0.1,
    "lr_base_size": 256,
    "lr_base_scale": "",
    "lr_noise": None,
    "lr_noise_pct": 0.67,
    "lr_noise_std": 1.0,
    "lr_cycle_mul": 1.0,
    "lr_cycle_decay": 0.5,
    "lr_cycle_limit": 1,
    "lr_k_decay": 1.0,
    "warmup_lr": 1e-5,
    "min_lr": 0,
    "epochs": 300,
    "start_epoch": None,
    "decay_milestones": [90, 180, 270],
    "decay_epochs": 90,
    "warmup_epochs": 5,
    "warmup_prefix": False,
    "cooldown_epochs": 0,
    "patience_epochs": 10,
    "decay_rate": 0.1,
    "aug_repeats": 0,
    "seed": 42,
    "eval_metric": "top1",
    "val_split": "validation",
}

# (id, args.yaml keys or a sample file, dataset size, world size); tiny runs
CASES: list[tuple[str, dict[str, Any] | str, int, int]] = [
    # the lr: given, or lr_base scaled linearly / by sqrt, chosen from the optimizer's name or set
    ("cosine-defaults", {"sched": "cosine", "epochs": 12}, 2000, 1),
    (
        "cosine-adamw-sqrt-accum-prefix",
        {
            "epochs": 10,
            "opt": "adamw",
            "lr_base": 1e-3,
            "batch_size": 32,
            "grad_accum_steps": 2,
            "warmup_epochs": 2,
            "warmup_prefix": True,
            "cooldown_epochs": 2,
            "min_lr": 1e-5,
        },
        1000,
        4,
    ),
    ("cosine-lr-zero-is-scaled", {"epochs": 8, "lr": 0.0, "lr_base": 0.2, "batch_size": 48}, 700, 3),
    ("cosine-sqrt-set-for-sgd", {"epochs": 8, "lr_base_scale": "sqrt", "lr_base": 0.4, "batch_size": 64}, 900, 2),
    ("cosine-linear-set-for-lamb", {"epochs": 8, "opt": "lamb", "lr_base_scale": "linear", "batch_size": 64}, 900, 2),
    ("cosine-nadamw-is-sqrt", {"epochs": 6, "opt": "NAdamW", "lr_base": 2e-3, "batch_size": 100}, 1234, 5),
    # per update, with a ragged last accumulation (15 batches over 3 steps, twice: 5 updates)
    (
        "cosine-updates-ragged",
        {
            "epochs": 4,
            "lr": 0.01,
            "sched_on_updates": True,
            "batch_size": 16,
            "grad_accum_steps": 3,
            "warmup_epochs": 1,
            "cooldown_epochs": 1,
            "min_lr": 1e-4,
        },
        500,
        2,
    ),
    (
        "cosine-updates-accum-not-dividing",
        {"epochs": 3, "lr": 0.1, "sched_on_updates": True, "batch_size": 10, "grad_accum_steps": 4},
        230,
        1,
    ),
    # cycles, k-decay, cooldown
    (
        "cosine-cycles",
        {
            "epochs": 5,
            "lr": 0.1,
            "lr_cycle_limit": 3,
            "lr_cycle_mul": 2.0,
            "lr_cycle_decay": 0.5,
            "lr_k_decay": 2.0,
            "warmup_epochs": 1,
            "cooldown_epochs": 2,
        },
        256,
        1,
    ),
    (
        "cosine-cycles-updates-prefix",
        {
            "epochs": 3,
            "lr": 0.1,
            "sched_on_updates": True,
            "lr_cycle_limit": 2,
            "lr_cycle_mul": 1.5,
            "warmup_epochs": 1,
            "warmup_prefix": True,
            "batch_size": 32,
        },
        300,
        1,
    ),
    # noise: fractions of t_initial, seeded with args.seed
    ("cosine-noise", {"epochs": 20, "lr": 0.1, "lr_noise": [0.4, 0.9], "seed": 7, "warmup_epochs": 2}, 640, 1),
    (
        "cosine-noise-updates",
        {
            "epochs": 3,
            "lr": 0.1,
            "sched_on_updates": True,
            "lr_noise": [0.5],
            "lr_noise_pct": 0.3,
            "lr_noise_std": 0.5,
            "batch_size": 20,
        },
        200,
        1,
    ),
    ("tanh-epochs", {"sched": "tanh", "epochs": 15, "lr": 0.1, "warmup_epochs": 3, "min_lr": 1e-4}, 512, 1),
    (
        "tanh-updates-prefix",
        {
            "sched": "tanh",
            "epochs": 3,
            "lr": 0.1,
            "sched_on_updates": True,
            "warmup_epochs": 1,
            "warmup_prefix": True,
            "cooldown_epochs": 1,
            "batch_size": 50,
        },
        400,
        2,
    ),
    (
        "step-fractional-cooldown-ignored",
        {
            "sched": "step",
            "epochs": 30,
            "lr": 0.064,
            "decay_epochs": 2.4,
            "decay_rate": 0.97,
            "warmup_epochs": 3,
            "warmup_lr": 1e-6,
            "cooldown_epochs": 5,
        },
        1000,
        1,
    ),
    (
        "step-updates-prefix",
        {
            "sched": "step",
            "epochs": 4,
            "lr": 0.05,
            "sched_on_updates": True,
            "decay_epochs": 1.5,
            "decay_rate": 0.5,
            "warmup_epochs": 1,
            "warmup_prefix": True,
            "batch_size": 25,
        },
        300,
        2,
    ),
    (
        "multistep",
        {"sched": "multistep", "epochs": 10, "lr": 0.1, "decay_milestones": [3, 6], "decay_rate": 0.5},
        800,
        1,
    ),
    (
        "multistep-updates-prefix",
        {
            "sched": "multistep",
            "epochs": 3,
            "lr": 0.1,
            "sched_on_updates": True,
            "decay_milestones": [1, 2],
            "warmup_epochs": 1,
            "warmup_prefix": True,
            "batch_size": 40,
        },
        400,
        1,
    ),
    (
        "constant-warmup-prefix",
        {"sched": "constant", "epochs": 6, "lr": 0.3, "warmup_epochs": 3, "warmup_prefix": True},
        600,
        1,
    ),
    ("poly-power-k", {"sched": "poly", "epochs": 10, "lr": 0.1, "decay_rate": 2.0, "lr_k_decay": 1.5}, 600, 1),
    (
        "poly-updates-cycles",
        {
            "sched": "poly",
            "epochs": 3,
            "lr": 0.1,
            "sched_on_updates": True,
            "decay_rate": 0.9,
            "lr_cycle_limit": 2,
            "warmup_epochs": 1,
            "batch_size": 30,
        },
        200,
        1,
    ),
    ("wsd-fraction", {"sched": "wsd", "epochs": 12, "lr": 0.1, "decay_epochs": 0.25, "warmup_epochs": 2}, 500, 1),
    (
        "wsd-updates-prefix-cosine",
        {
            "sched": "wsd",
            "epochs": 4,
            "lr": 0.1,
            "sched_on_updates": True,
            "decay_epochs": 2,
            "warmup_epochs": 1,
            "warmup_prefix": True,
            "cooldown_epochs": 1,
            "lr_decay_fn": "cosine",
            "batch_size": 32,
        },
        256,
        1,
    ),
    ("rsqrt", {"sched": "rsqrt", "epochs": 12, "lr": 0.1, "decay_epochs": 0.3, "warmup_epochs": 2}, 500, 1),
    (
        "rsqrt-updates-timescale",
        {
            "sched": "rsqrt",
            "epochs": 3,
            "lr": 0.1,
            "sched_on_updates": True,
            "lr_stable_timescale": 0.5,
            "decay_epochs": 0.5,
            "warmup_epochs": 0,
            "batch_size": 20,
        },
        200,
        1,
    ),
    # loaders: RepeatAugSampler below and above its 256-sample rounding
    ("aug-repeats-small", {"epochs": 5, "aug_repeats": 3, "batch_size": 8}, 200, 4),
    ("aug-repeats-large", {"epochs": 5, "aug_repeats": 2, "batch_size": 16}, 1000, 3),
    # the sample args.yaml files, written by train.py's own parser
    ("sample-resnet50-a1-8gpu", "timm/resnet50_a1_args.yaml", 1281167, 8),
    ("sample-resnet50-a1-4gpu", "timm/resnet50_a1_args.yaml", 1281167, 4),
    ("sample-vit-finetune-1gpu", "timm/vit_b16_finetune_updates_args.yaml", 1020, 1),
    ("sample-vit-finetune-2gpu", "timm/vit_b16_finetune_updates_args.yaml", 1020, 2),
    ("sample-efficientnet-b2-2gpu", "timm/efficientnet_b2_step_args.yaml", 1281167, 2),
    ("sample-efficientnet-b2-8gpu", "timm/efficientnet_b2_step_args.yaml", 1281167, 8),
]

# what train.py or timm refuses: the exception is the golden value
ERROR_CASES: list[tuple[str, dict[str, Any] | str, int, int]] = [
    ("unknown-sched", {"sched": "cosin", "epochs": 10}, 1000, 1),
    ("wsd-decay-too-long", {"sched": "wsd", "epochs": 10, "warmup_epochs": 2, "decay_epochs": 9}, 1000, 1),
    ("rsqrt-no-timescale", {"sched": "rsqrt", "epochs": 10, "warmup_epochs": 0, "decay_epochs": 0.2}, 1000, 1),
    ("aug-repeats-one-process", {"epochs": 10, "aug_repeats": 3}, 1000, 1),
    ("sample-aug-repeats-one-process", "timm/resnet50_a1_args.yaml", 1281167, 1),
]


def case_config(config: dict[str, Any] | str) -> dict[str, Any]:
    """The args.yaml keys of a case: the mapping itself, or the sample file as yaml.safe_load reads it."""
    if isinstance(config, dict):
        return config
    import yaml

    return yaml.safe_load((SAMPLES / config).read_text(encoding="utf-8"))


def _timm(name: str) -> Any:
    """``import timm.<name>``; without torchvision, ``timm`` and ``timm.data`` are bare packages.

    Their ``__init__`` imports models and transforms that need torchvision; the scheduler and
    sampler modules need only torch (tests/oracle.py's timm_schedulers does the same for ``timm``).
    """
    if importlib.util.find_spec("torchvision") is None:
        for package in ("timm", "timm.data"):
            if package not in sys.modules:
                found = importlib.util.find_spec(package)
                module = types.ModuleType(package)
                module.__spec__ = found
                module.__path__ = list(found.submodule_search_locations)  # submodules import as usual
                sys.modules[package] = module
    return importlib.import_module(name)


class _Samples:
    """A map-style dataset of ``size`` samples: all the train loader's length depends on."""

    def __init__(self, size: int) -> None:
        self.size = size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> int:
        return index


def loader_length(args: argparse.Namespace, dataset_size: int) -> int:
    """len(loader_train): the sampler and DataLoader arguments of timm's create_loader (timm/data/loader.py).

    create_loader (is_training=True, map-style dataset)::

        if distributed: sampler = RepeatAugSampler(dataset, num_repeats=num_aug_repeats) if num_aug_repeats
                                  else torch.utils.data.distributed.DistributedSampler(dataset)
        else: assert num_aug_repeats == 0, "RepeatAugment not currently supported in non-distributed ..."
        DataLoader(dataset, batch_size=batch_size, shuffle=sampler is None, sampler=sampler, drop_last=True)

    The samplers get num_replicas and rank here instead of asking torch.distributed; the
    PrefetchLoader around the DataLoader has the same length.
    """
    import torch

    dataset = _Samples(dataset_size)
    sampler = None
    if args.distributed:
        if args.aug_repeats:
            repeat_aug = _timm("timm.data.distributed_sampler").RepeatAugSampler
            sampler = repeat_aug(dataset, num_replicas=args.world_size, rank=0, num_repeats=args.aug_repeats)
        else:
            sampler = torch.utils.data.distributed.DistributedSampler(dataset, num_replicas=args.world_size, rank=0)
    else:
        assert args.aug_repeats == 0, "RepeatAugment not currently supported in non-distributed or IterableDataset use"
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=args.batch_size, shuffle=sampler is None, sampler=sampler, drop_last=True
    )
    return len(loader)


def train_py_args(config: dict[str, Any], world_size: int) -> argparse.Namespace:
    """args as train.py holds them when it builds the scheduler."""
    args = argparse.Namespace(**{**TRAIN_DEFAULTS, **config})
    args.grad_accum_steps = max(1, args.grad_accum_steps)  # train.py line 500
    args.world_size = world_size  # utils.init_distributed_device: WORLD_SIZE from the launcher
    args.distributed = world_size > 1
    return args


def scaled_lr(args: argparse.Namespace) -> None:
    """train.py lines 739-740 and 837-845, verbatim but for the logging (standard loader: no scheduled batches)."""
    batch_size_reference = float(args.batch_size)
    if not args.lr:
        global_batch_size = batch_size_reference * args.world_size * args.grad_accum_steps
        batch_ratio = global_batch_size / args.lr_base_size
        if not args.lr_base_scale:
            on = args.opt.lower()
            args.lr_base_scale = "sqrt" if any([o in on for o in ("ada", "lamb")]) else "linear"
        if args.lr_base_scale == "sqrt":
            batch_ratio = batch_ratio**0.5
        args.lr = args.lr_base * batch_ratio


def record_case(config: dict[str, Any], dataset_size: int, world_size: int) -> dict[str, Any]:
    """train.py's accounting and the lr of every row, from timm itself."""
    import torch

    scheduler = _timm("timm.scheduler")
    args = train_py_args(config, world_size)
    batches = loader_length(args, dataset_size)
    scaled_lr(args)
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=args.lr, momentum=0.9)

    # train.py lines 1032-1033 (a validation split makes an eval loader) and 1079-1084
    eval_metric = args.eval_metric if args.val_split else "loss"
    decreasing_metric = eval_metric == "loss"
    updates_per_epoch = (batches + args.grad_accum_steps - 1) // args.grad_accum_steps
    lr_scheduler, num_epochs = scheduler.create_scheduler_v2(
        optimizer,
        **scheduler.scheduler_kwargs(args, decreasing_metric=decreasing_metric),
        updates_per_epoch=updates_per_epoch,
    )

    # train.py's loop (lines 1108-1201) and train_one_epoch (lines 1266-1439): step_update after each
    # optimizer update, step(epoch + 1) after each epoch; the row is the lr the optimizer holds meanwhile
    rows: list[float] = []
    for epoch in range(0, num_epochs):
        num_updates = epoch * updates_per_epoch
        at_start = optimizer.param_groups[0]["lr"]
        if not args.sched_on_updates:
            rows.append(at_start)
        for _ in range(updates_per_epoch):
            if args.sched_on_updates:
                rows.append(optimizer.param_groups[0]["lr"])
            num_updates += 1
            lr_scheduler.step_update(num_updates=num_updates, metric=None)
        if not args.sched_on_updates:
            assert optimizer.param_groups[0]["lr"] == at_start, "per epoch, step_update changes nothing"
        lr_scheduler.step(epoch + 1, metric=None)
    return {
        "lr": args.lr,
        "loader_batches": batches,
        "updates_per_epoch": updates_per_epoch,
        "num_epochs": num_epochs,
        "t_in_epochs": lr_scheduler.t_in_epochs,
        "rows": [float(v) for v in rows],
    }


def record_error(config: dict[str, Any], dataset_size: int, world_size: int) -> dict[str, str]:
    try:
        record_case(config, dataset_size, world_size)
    except (AssertionError, ValueError) as error:  # what train.py or timm raises is the golden value
        return {"exception": type(error).__name__, "message": str(error)}
    raise SystemExit(f"timm accepted {config!r}; it is not an error case")


def main() -> None:
    import torch

    document: dict[str, Any] = {
        "about": "timm train.py's accounting and lr rows per args.yaml, recorded by record_trainer_timm.py",
        "timm": _timm("timm.version").__version__,
        "torch": torch.__version__,
        "cases": [],
        "errors": [],
    }
    for case_id, config, dataset_size, world_size in CASES:
        recorded = record_case(case_config(config), dataset_size, world_size)
        document["cases"].append(
            {"id": case_id, "config": config, "dataset_size": dataset_size, "world_size": world_size, **recorded}
        )
    for case_id, config, dataset_size, world_size in ERROR_CASES:
        recorded = record_error(case_config(config), dataset_size, world_size)
        document["errors"].append(
            {"id": case_id, "config": config, "dataset_size": dataset_size, "world_size": world_size, **recorded}
        )
    GOLDEN_FILE.parent.mkdir(exist_ok=True)
    GOLDEN_FILE.write_text(json.dumps(document, indent=1) + "\n")
    rows = sum(len(case["rows"]) for case in document["cases"])
    print(f"{GOLDEN_FILE}: {len(document['cases'])} cases ({rows} rows), {len(document['errors'])} errors")


if __name__ == "__main__":
    main()
