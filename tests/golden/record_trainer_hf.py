"""Record Hugging Face's Trainer accounting and lrs: ``python tests/golden/record_trainer_hf.py``.

Needs transformers 5.x with torch (``pip install torch==2.13.0 transformers accelerate``).
For every case below (a TrainingArguments config, or a file in ``samples/hf``,
with a dataset size and a world size) it builds a real ``Trainer`` on a tiny
model and a dataset of that many examples, and asks the Trainer itself:

* ``get_train_dataloader()`` and ``set_initial_training_values(args, dataloader)``:
  batches per epoch, "Num update steps per epoch", "Total train batch size",
  "Total optimization steps" (max_steps) and "Num Epochs";
* ``args.get_warmup_steps(max_steps)``;
* ``create_optimizer_and_scheduler(max_steps)`` and then the lr of every update,
  ``lr_scheduler.get_last_lr()`` read before each of max_steps ``step()`` calls.

and writes it all to ``trainers/hf.json`` (committed; ``tests/test_from_hf.py``
compares lrplot's ``from-hf`` preview with it, and with this same recording
live when transformers is importable).  Nothing of lrplot is used here.

Two things cannot run as such in one CPU process, and are driven this way:

* ``world_size`` > 1: the Trainer's own dataloader path runs, but accelerate's
  ``prepare_data_loader`` is told ``num_processes = W, process_index = 0``
  (rank 0, the one that logs), so the length is accelerate's
  ``BatchSamplerShard`` over the Trainer's ``DataLoader``, and
  ``args.world_size`` reports ``W``;
* ``warmup_ratio`` (transformers 4.x; removed in 5.2): the config's
  ``warmup_ratio`` is set on the arguments and ``get_warmup_steps`` is 4.x's
  method, verbatim.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import types
import warnings
from pathlib import Path
from typing import Any
from unittest import mock

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent.parent / "samples"
GOLDEN = HERE / "trainers" / "hf.json"

PASSED = (
    "learning_rate",
    "lr_scheduler_type",
    "lr_scheduler_kwargs",
    "warmup_steps",
    "num_train_epochs",
    "max_steps",
    "per_device_train_batch_size",
    "gradient_accumulation_steps",
    "dataloader_drop_last",
    "accelerator_config",
    "train_sampling_strategy",
)
"""The config keys handed to TrainingArguments (every other key of a sample is for other code)."""

CASES: list[dict[str, Any]] = [
    {"id": "defaults", "config": {}, "dataset_size": 200},
    {
        "id": "accumulation-remainder-cosine-ratio",
        "config": {
            "learning_rate": 1e-3,
            "lr_scheduler_type": "cosine",
            "warmup_steps": 0.1,
            "per_device_train_batch_size": 32,
            "gradient_accumulation_steps": 4,
        },
        "dataset_size": 3000,
    },
    {
        "id": "drop-last-polynomial",
        "config": {
            "learning_rate": 1e-4,
            "lr_scheduler_type": "polynomial",
            "lr_scheduler_kwargs": {"lr_end": 1e-6, "power": 2.0},
            "warmup_steps": 5,
            "num_train_epochs": 2,
            "per_device_train_batch_size": 24,
            "gradient_accumulation_steps": 3,
            "dataloader_drop_last": True,
        },
        "dataset_size": 1000,
    },
    {
        "id": "max-steps-overrides-epochs",
        "config": {
            "learning_rate": 2e-4,
            "lr_scheduler_type": "cosine_with_restarts",
            "lr_scheduler_kwargs": {"num_cycles": 3},
            "warmup_steps": 10,
            "num_train_epochs": 10,
            "max_steps": 150,
            "per_device_train_batch_size": 16,
        },
        "dataset_size": 2000,
    },
    {
        "id": "fractional-epochs",
        "config": {
            "lr_scheduler_type": "constant_with_warmup",
            "warmup_steps": 0.25,
            "num_train_epochs": 2.5,
            "per_device_train_batch_size": 32,
            "gradient_accumulation_steps": 3,
        },
        "dataset_size": 1000,
    },
    {  # 300 * 0.07 == 21.000000000000004: the Trainer warms up for 22 steps
        "id": "warmup-ratio-rounding",
        "config": {"learning_rate": 1e-4, "warmup_steps": 0.07, "max_steps": 300},
        "dataset_size": 500,
    },
    {
        "id": "warmup-steps-truncated",
        "config": {"warmup_steps": 10.5, "per_device_train_batch_size": 8},
        "dataset_size": 400,
    },
    {
        "id": "warmup-ratio-transformers-4",
        "config": {
            "lr_scheduler_type": "cosine",
            "warmup_ratio": 0.1,
            "warmup_steps": 0,
            "num_train_epochs": 1,
            "per_device_train_batch_size": 16,
        },
        "dataset_size": 3000,
    },
    {
        "id": "world-2-accumulation",
        "config": {
            "lr_scheduler_type": "cosine_with_min_lr",
            "lr_scheduler_kwargs": {"min_lr_rate": 0.1},
            "warmup_steps": 4,
            "per_device_train_batch_size": 16,
            "gradient_accumulation_steps": 2,
        },
        "dataset_size": 1000,
        "world_size": 2,
    },
    {
        "id": "world-3-drop-last",
        "config": {
            "lr_scheduler_type": "inverse_sqrt",
            "lr_scheduler_kwargs": {"timescale": 20},
            "warmup_steps": 8,
            "num_train_epochs": 4,
            "per_device_train_batch_size": 16,
            "dataloader_drop_last": True,
        },
        "dataset_size": 1000,
        "world_size": 3,
    },
    {
        "id": "world-4-uneven-batches",
        "config": {"per_device_train_batch_size": 8, "accelerator_config": {"even_batches": False}},
        "dataset_size": 1000,
        "world_size": 4,
    },
    {
        "id": "world-2-split-batches",
        "config": {
            "learning_rate": 1e-4,
            "lr_scheduler_type": "cosine_warmup_with_min_lr",
            "lr_scheduler_kwargs": {"min_lr": 1e-6, "warmup_lr_rate": 0.1},
            "warmup_steps": 5,
            "num_train_epochs": 1,
            "per_device_train_batch_size": 16,
            "accelerator_config": {"split_batches": True},
        },
        "dataset_size": 1000,
        "world_size": 2,
    },
    {
        "id": "constant-ignores-warmup-and-kwargs",
        "config": {"lr_scheduler_type": "constant", "warmup_steps": 50, "lr_scheduler_kwargs": {"num_cycles": 2}},
        "dataset_size": 100,
    },
    {
        "id": "constant-with-warmup-ignores-kwargs",
        "config": {"lr_scheduler_type": "constant_with_warmup", "warmup_steps": 5, "lr_scheduler_kwargs": {"power": 2}},
        "dataset_size": 100,
    },
    {
        "id": "warmup-stable-decay",
        "config": {
            "lr_scheduler_type": "warmup_stable_decay",
            "lr_scheduler_kwargs": {"num_decay_steps": 20, "decay_type": "linear", "min_lr_ratio": 0.1},
            "warmup_steps": 0.1,
            "max_steps": 100,
        },
        "dataset_size": 1000,
    },
    {
        "id": "warmup-stable-decay-stable-steps",
        "config": {
            "lr_scheduler_type": "warmup_stable_decay",
            "lr_scheduler_kwargs": {
                "num_stable_steps": 30,
                "num_decay_steps": 10,
                "warmup_type": "cosine",
                "decay_type": "1-sqrt",
            },
            "warmup_steps": 10,
        },
        "dataset_size": 400,
    },
    {
        "id": "scheduler-kwargs-as-json-text",
        "config": {"lr_scheduler_type": "cosine", "lr_scheduler_kwargs": '{"num_cycles": "0.25"}', "warmup_steps": 3},
        "dataset_size": 240,
    },
    {
        "id": "tiny-dataset-accumulation",
        "config": {"per_device_train_batch_size": 8, "gradient_accumulation_steps": 4},
        "dataset_size": 5,
    },
    {
        "id": "batch-rebalance",
        "config": {
            "train_sampling_strategy": "batch_rebalance",
            "num_train_epochs": 2,
            "per_device_train_batch_size": 8,
            "gradient_accumulation_steps": 4,
        },
        "dataset_size": 1000,
    },
    {
        "id": "batch-rebalance-world-2-drop-last",
        "config": {
            "train_sampling_strategy": "batch_rebalance",
            "num_train_epochs": 2,
            "per_device_train_batch_size": 8,
            "gradient_accumulation_steps": 4,
            "dataloader_drop_last": True,
        },
        "dataset_size": 1000,
        "world_size": 2,
    },
    {
        "id": "group-by-length",
        "config": {"train_sampling_strategy": "group_by_length", "per_device_train_batch_size": 8},
        "dataset_size": 100,
    },
    {
        "id": "polynomial-default-lr-end",
        "config": {"lr_scheduler_type": "polynomial", "learning_rate": 1e-3, "warmup_steps": 0.2},
        "dataset_size": 160,
    },
    {"id": "sample-training-args-json", "sample": "hf/training_args.json", "dataset_size": 2000},
    {
        "id": "sample-training-args-json-world-4",
        "sample": "hf/training_args.json",
        "dataset_size": 4000,
        "world_size": 4,
    },
    {"id": "sample-sft-yaml", "sample": "hf/sft_cosine_min_lr.yaml", "dataset_size": 3000, "world_size": 2},
    {"id": "sample-dpo-yaml-warmup-ratio", "sample": "hf/dpo_warmup_ratio.yaml", "dataset_size": 6000, "world_size": 4},
]


def case_config(case: dict[str, Any]) -> dict[str, Any]:
    """The case's TrainingArguments mapping: its own, or the sample file's (JSON, or YAML as HfArgumentParser reads it)."""
    if "config" in case:
        return dict(case["config"])
    path = SAMPLES / case["sample"]
    if path.suffix == ".json":
        return json.loads(path.read_text())
    import yaml

    return yaml.safe_load(path.read_text())


def get_warmup_steps_transformers_4(self: Any, num_training_steps: int) -> int:
    """transformers 4.x's ``TrainingArguments.get_warmup_steps``, verbatim (4.57 training_args.py)."""
    warmup_steps = self.warmup_steps if self.warmup_steps > 0 else math.ceil(num_training_steps * self.warmup_ratio)
    return warmup_steps


def run_trainer(config: dict[str, Any], dataset_size: int, world_size: int = 1) -> dict[str, Any]:
    """What the Trainer computes for ``config`` on ``dataset_size`` examples and ``world_size`` processes."""
    import torch
    from transformers import Trainer, TrainingArguments
    from transformers.utils import logging

    logging.set_verbosity_error()

    class Examples(torch.utils.data.Dataset):
        """``dataset_size`` examples, with lengths for the length-aware samplers."""

        def __len__(self) -> int:
            return dataset_size

        def __getitem__(self, index: int) -> dict[str, Any]:
            if index >= dataset_size:
                raise IndexError(index)  # iterating the dataset (the samplers' lengths) stops here
            return {"input_ids": [1] * (1 + index % 7)}

    class Tiny(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.linear = torch.nn.Linear(1, 1)

        def forward(self, input_ids: Any = None, **kwargs: Any) -> Any:  # never called
            return {"loss": self.linear.weight.sum()}

    class Arguments(TrainingArguments):
        world_size = property(lambda self: world_size)  # type: ignore[assignment]

    given = {key: config[key] for key in PASSED if key in config}
    with tempfile.TemporaryDirectory() as output:  # the Trainer writes nothing there: it never trains
        args = Arguments(output_dir=output, report_to=[], use_cpu=True, save_strategy="no", **given)
        return _record(Trainer, args, config, Examples(), Tiny(), world_size)


def _record(
    Trainer: Any, args: Any, config: dict[str, Any], dataset: Any, model: Any, world_size: int
) -> dict[str, Any]:
    import accelerate.accelerator

    if config.get("warmup_ratio") is not None:
        args.warmup_ratio = config["warmup_ratio"]
        args.get_warmup_steps = types.MethodType(get_warmup_steps_transformers_4, args)

    prepare = accelerate.accelerator.prepare_data_loader

    def prepare_on_rank_0(*positional: Any, **keywords: Any) -> Any:
        return prepare(*positional, **{**keywords, "num_processes": world_size, "process_index": 0})

    with mock.patch.object(accelerate.accelerator, "prepare_data_loader", prepare_on_rank_0):
        trainer = Trainer(model=model, args=args, train_dataset=dataset)
        dataloader = trainer.get_train_dataloader()
    (num_train_epochs, per_epoch, num_examples, _, total_batch, _, max_steps) = trainer.set_initial_training_values(
        args, dataloader
    )
    warmup = args.get_warmup_steps(max_steps)
    lr: list[float] = []
    with warnings.catch_warnings():
        # get_wsd_schedule warns that num_stable_steps wins; torch, that step() comes before optimizer.step()
        warnings.simplefilter("ignore")
        trainer.create_optimizer_and_scheduler(num_training_steps=max_steps)
        scheduler = trainer.lr_scheduler
        for _ in range(max_steps):
            groups = scheduler.get_last_lr()
            assert len(set(groups)) == 1, groups  # the Trainer's decay / no-decay groups share the lr
            lr.append(float(groups[0]))
            scheduler.step()
    return {
        "len_train_dataloader": len(dataloader),
        "num_update_steps_per_epoch": per_epoch,
        "total_train_batch_size": total_batch,
        "max_steps": max_steps,
        "num_train_epochs": num_train_epochs,
        "num_examples": num_examples,
        "num_warmup_steps": warmup,
        "scheduler": type(scheduler).__name__,
        "lr": lr,
    }


def library_version() -> str:
    import importlib.metadata

    version = importlib.metadata.version
    return f"transformers {version('transformers')} (accelerate {version('accelerate')}, torch {version('torch')})"


def record_case(case: dict[str, Any]) -> dict[str, Any]:
    """One case as recorded: its inputs, then the Trainer's numbers."""
    entry = {key: case[key] for key in ("id", "config", "sample") if key in case}
    entry["dataset_size"] = case["dataset_size"]
    entry["world_size"] = case.get("world_size", 1)
    entry["trainer"] = run_trainer(case_config(case), entry["dataset_size"], entry["world_size"])
    return entry


def write(document: dict[str, Any]) -> None:
    """Indented JSON, with each lr list on one line."""
    cases = []
    for entry in document["cases"]:
        lr = entry["trainer"].pop("lr")
        text = json.dumps(entry, indent=1)
        cases.append(text[: text.rindex("}", 0, -1)].rstrip() + ',\n  "lr": ' + json.dumps(lr) + "\n }\n}")
        entry["trainer"]["lr"] = lr
    body = ",\n".join(" " + case.replace("\n", "\n ") for case in cases)
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(f'{{\n "library": {json.dumps(document["library"])},\n "cases": [\n{body}\n ]\n}}\n')
    assert json.loads(GOLDEN.read_text()) == document


def main() -> None:
    document = {"library": library_version(), "cases": []}
    for case in CASES:
        document["cases"].append(record_case(case))
        trainer = document["cases"][-1]["trainer"]
        print(
            f"recorded {case['id']}: {trainer['num_update_steps_per_epoch']} x {trainer['num_train_epochs']}, ", end=""
        )
        print(f"{trainer['max_steps']} steps, warmup {trainer['num_warmup_steps']}")
    write(document)
    print("wrote", GOLDEN.relative_to(HERE.parent.parent))


if __name__ == "__main__":
    sys.path[:0] = [str(HERE)]
    main()
