"""``from-hf``: Hugging Face's Trainer accounting and schedule, from a TrainingArguments file.

The golden values (``tests/golden/trainers/hf.json``) were recorded from a real
``Trainer`` by ``tests/golden/record_trainer_hf.py``: its dataloader length,
``set_initial_training_values``, ``get_warmup_steps`` and the lr its scheduler
gives at every update.  lrplot's preview must give the same numbers and, its
hf schedules being ports, the same lrs bit for bit.  With transformers
installed the same cases also run against the live Trainer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from record_trainer_hf import CASES, case_config

import lrplot
from lrplot import LrplotError, simulate
from lrplot.trainers import read_run_config
from lrplot.trainers.hf import count_steps, preview, read_arguments

SAMPLES = Path(__file__).parent.parent / "samples"
GOLDEN = json.loads((Path(__file__).parent / "golden" / "trainers" / "hf.json").read_text())
GOLDEN_CASES = {case["id"]: case for case in GOLDEN["cases"]}


def lrplot_numbers(config: dict, dataset_size: int, world_size: int) -> dict:
    """lrplot's accounting, under the names the golden file gives the Trainer's."""
    steps = count_steps(read_arguments(config), dataset_size=dataset_size, world_size=world_size)
    return {
        "len_train_dataloader": steps.batches,
        "num_update_steps_per_epoch": steps.update_steps_per_epoch,
        "total_train_batch_size": steps.total_train_batch_size,
        "max_steps": steps.max_steps,
        "num_train_epochs": steps.num_train_epochs,
        "num_warmup_steps": steps.warmup_steps,
    }


def check_against(trainer: dict, config: dict, dataset_size: int, world_size: int) -> None:
    """lrplot's preview of ``config`` gives the Trainer's numbers, and its lrs bit for bit."""
    numbers = lrplot_numbers(config, dataset_size, world_size)
    assert numbers == {key: trainer[key] for key in numbers}
    result = preview(config, dataset_size=dataset_size, world_size=world_size)
    run = result.spec.run
    assert run["epochs"] == trainer["max_steps"]
    assert run["steps_per_epoch"] == trainer["num_update_steps_per_epoch"]
    assert run["interval"] == "step"
    assert simulate(result.spec).lr.tolist() == trainer["lr"]
    # the accounting shows the Trainer's numbers, as its log prints them
    shown = dict(result.accounting)
    assert shown["batches per epoch"].startswith(f"{trainer['len_train_dataloader']:,} ")
    assert shown["Num update steps per epoch"].startswith(f"{trainer['num_update_steps_per_epoch']:,} ")
    assert shown["Total train batch size"].startswith(f"{trainer['total_train_batch_size']:,} = ")
    assert shown["Total optimization steps"].startswith(f"{trainer['max_steps']:,} ")
    assert shown["Num Epochs"].split(" ")[0] == f"{trainer['num_train_epochs']:,}"
    if result.spec.policy.name == "constant":
        assert shown["warmup steps"].startswith("none: ")
    else:
        assert shown["warmup steps"].split(" ")[0] == f"{trainer['num_warmup_steps']:,}"
        assert result.spec.params["num_warmup_steps"] == trainer["num_warmup_steps"]


def test_golden_file_covers_the_recorders_cases():
    assert GOLDEN["library"].startswith("transformers 5.")
    assert list(GOLDEN_CASES) == [case["id"] for case in CASES]


@pytest.mark.parametrize("case_id", list(GOLDEN_CASES))
def test_matches_the_recorded_trainer(case_id):
    case = GOLDEN_CASES[case_id]
    check_against(case["trainer"], case_config(case), case["dataset_size"], case["world_size"])


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_matches_the_live_trainer(case):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("accelerate")
    from record_trainer_hf import record_case

    recorded = record_case(case)
    check_against(recorded["trainer"], case_config(case), recorded["dataset_size"], recorded["world_size"])


# -- the samples, read as the CLI reads them ----------------------------------------------------


@pytest.mark.parametrize("name", ["training_args.json", "sft_cosine_min_lr.yaml", "dpo_warmup_ratio.yaml"])
def test_samples_read_as_golden_cases(name):
    config = read_run_config(SAMPLES / "hf" / name, "from-hf: ")
    case = next(c for c in GOLDEN["cases"] if c.get("sample") == f"hf/{name}")
    assert config == case_config(case)
    check_against(case["trainer"], config, case["dataset_size"], case["world_size"])


def test_training_args_json_is_what_transformers_writes():
    config = read_run_config(SAMPLES / "hf" / "training_args.json", "from-hf: ")
    assert len(config) > 100  # every TrainingArguments field, nearly all of them ignored
    result = preview(config, dataset_size=2000)
    assert result.spec.policy.command == "hf cosine"
    assert result.spec.params == {"num_warmup_steps": 50, "num_training_steps": 189}
    assert result.spec.run["lr"] == [3e-5]


# -- what the Trainer reads -----------------------------------------------------------------------


def test_defaults_are_training_arguments_defaults():
    result = preview({}, dataset_size=80)
    assert result.spec.policy.command == "hf linear"
    assert result.spec.params == {"num_warmup_steps": 0, "num_training_steps": 30}  # 3 epochs of ceil(80 / 8)
    assert result.spec.run == {"lr": [5e-05], "epochs": 30, "steps_per_epoch": 10, "interval": "step"}


def test_unknown_keys_are_ignored():
    config = {"learning_rate": 1e-4, "lr_scheduler_type": "cosine", "warmup_steps": 10}
    noisy = {**config, "eval_steps": 3, "report_to": ["wandb"], "model_name_or_path": "gpt2", "beta": 0.1}
    assert preview(noisy, dataset_size=1000) == preview(config, dataset_size=1000)


@pytest.mark.parametrize(
    ("warmup_steps", "expected"),
    [(0, 0), (0.5, 15), (0.1, 3), (0.999, 30), (1, 1), (1.0, 1), (12, 12), (12.9, 12), (400, 400)],
)
def test_warmup_steps_are_steps_from_one_and_a_ratio_below(warmup_steps, expected):
    config = {"warmup_steps": warmup_steps, "max_steps": 30}
    assert count_steps(read_arguments(config), dataset_size=100).warmup_steps == expected


def test_warmup_ratio_is_read_as_transformers_4_read_it():
    args = read_arguments({"warmup_ratio": 0.07, "warmup_steps": 0, "max_steps": 300})
    assert count_steps(args, dataset_size=100).warmup_steps == 22  # ceil(300 * 0.07 = 21.000000000000004)
    args = read_arguments({"warmup_ratio": 0.0, "warmup_steps": 5, "max_steps": 300})
    assert count_steps(args, dataset_size=100).warmup_steps == 5


def test_learning_rate_as_yaml_text():
    # PyYAML reads 2e-5 (no dot) as text; HF's argument parsers take it as a number
    assert preview({"learning_rate": "2e-5"}, dataset_size=8).spec.run["lr"] == [2e-05]


def test_lr_scheduler_kwargs_as_json_text_convert_as_transformers_converts():
    config = {"lr_scheduler_type": "cosine", "lr_scheduler_kwargs": '{"num_cycles": "1.5"}'}
    assert preview(config, dataset_size=8).spec.params["num_cycles"] == 1.5


def test_types_that_ignore_warmup_or_horizon_are_not_given_them():
    assert preview({"lr_scheduler_type": "constant", "warmup_steps": 5}, dataset_size=8).spec.params == {}
    params = preview({"lr_scheduler_type": "inverse_sqrt", "warmup_steps": 5}, dataset_size=8).spec.params
    assert params == {"num_warmup_steps": 5}
    params = preview({"lr_scheduler_type": "constant_with_warmup", "lr_scheduler_kwargs": {"x": 1}}, dataset_size=8)
    assert params.spec.params == {"num_warmup_steps": 0}


def test_accounting_of_a_distributed_run():
    result = preview(
        {"per_device_train_batch_size": 32, "gradient_accumulation_steps": 4, "warmup_steps": 0.1},
        dataset_size=60_000,
        world_size=4,
    )
    shown = dict(result.accounting)
    assert shown["batches per epoch"] == "469 = ceil(ceil(60,000 / 32) / 4) per process"
    assert shown["Num update steps per epoch"] == "118 = ceil(469 / 4)"
    assert shown["Total train batch size"] == "512 = 32 x 4 x 4"
    assert shown["Total optimization steps"] == "354 = ceil(3 x 118)"
    assert shown["warmup steps"] == "36 = ceil(354 x 0.1)"


# -- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"warmup_steps": -3},
            "from-hf: warmup_steps = -3: expected a number of steps >= 0 or a ratio in [0, 1)",
        ),
        ({"per_device_train_batch_size": -8}, "from-hf: per_device_train_batch_size = -8: expected a batch size >= 1"),
        ({"per_device_train_batch_size": 2.5}, "per_device_train_batch_size = 2.5: expected a batch size >= 1"),
        ({"gradient_accumulation_steps": 0}, "gradient_accumulation_steps = 0: expected a number of batches"),
        ({"learning_rate": "fast"}, "from-hf: learning_rate = fast: expected a learning rate >= 0"),
        ({"learning_rate": -1e-4}, "learning_rate = -0.0001: expected a learning rate >= 0"),
        ({"max_steps": 0}, "max_steps = 0: expected a number of steps in 1..20,000,000, or -1"),
        ({"max_steps": "ten"}, "max_steps = ten: expected a number of steps"),
        ({"num_train_epochs": 0}, "num_train_epochs = 0: expected a number of epochs > 0 (or max_steps > 0)"),
        ({"num_train_epochs": "three"}, "num_train_epochs = three: expected a number of epochs > 0"),
        ({"dataloader_drop_last": "maybe"}, "dataloader_drop_last = maybe: expected true or false"),
        ({"warmup_ratio": 1.5}, "warmup_ratio = 1.5: expected a ratio in [0, 1]"),
        (
            {"warmup_ratio": 0.1, "warmup_steps": 100},
            "warmup_steps = 100 and warmup_ratio = 0.1 are both set: transformers 4.x used warmup_steps",
        ),
        (
            {"lr_scheduler_type": "cosine-with-restarts"},
            "lr_scheduler_type = 'cosine-with-restarts': not a transformers SchedulerType; "
            "did you mean 'cosine_with_restarts'?",
        ),
        ({"lr_scheduler_type": "cosin"}, "lr_scheduler_type = 'cosin': not a transformers SchedulerType; did you mean"),
        ({"lr_scheduler_type": "wsd"}, "lr_scheduler_type = 'wsd': not a transformers SchedulerType"),
        ({"micro_batch_size": 4}, "micro_batch_size = 4: not a TrainingArguments key, so the Trainer would use"),
        ({"output_dir": "out", "seed": 3}, "from-hf: no TrainingArguments keys found"),
        ({"training": {"learning_rate": 1e-4}}, "'training' holds some"),
    ],
)
def test_bad_arguments_name_the_key_and_value(config, message):
    with pytest.raises(LrplotError) as error:
        preview(config, dataset_size=100)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("kind", "kwargs", "message"),
    [
        (
            "cosine",
            {"num_cylces": 2},
            "get_cosine_schedule_with_warmup has no argument 'num_cylces'; did you mean 'num_cycles'?",
        ),
        ("linear", {"power": 2}, "get_linear_schedule_with_warmup has no argument 'power' (it takes none)"),
        ("cosine", {"num_training_steps": 10}, "num_training_steps = 10: the Trainer passes num_training_steps itself"),
        ("inverse_sqrt", {"num_training_steps": 10}, "get_inverse_sqrt_schedule has no argument 'num_training_steps'"),
        ("cosine", {"num_cycles": "many"}, "lr_scheduler_kwargs: num_cycles = 'many': expected a finite number"),
        ("cosine", "num_cycles=2", "lr_scheduler_kwargs = num_cycles=2: expected a mapping of keyword arguments"),
        ("cosine", '{"num_cycles": 2', "lr_scheduler_kwargs = '{\"num_cycles\": 2': not valid JSON"),
        ("warmup_stable_decay", {}, "'warmup_stable_decay' needs num_decay_steps (get_wsd_schedule has no default)"),
        ("cosine_with_min_lr", {}, "'cosine_with_min_lr' needs exactly one of min_lr or min_lr_rate; neither is set"),
        (
            "cosine_warmup_with_min_lr",
            {"min_lr": 1e-6, "min_lr_rate": 0.1},
            "needs exactly one of min_lr or min_lr_rate; both are set",
        ),
        ("polynomial", {"lr_end": 1e-3}, "lr_end (0.001) must be smaller than initial lr (5e-05)"),
    ],
)
def test_bad_scheduler_kwargs(kind, kwargs, message):
    with pytest.raises(LrplotError) as error:
        preview({"lr_scheduler_type": kind, "lr_scheduler_kwargs": kwargs}, dataset_size=100)
    assert str(error.value).startswith("from-hf: lr_scheduler_kwargs")
    assert message in str(error.value)


@pytest.mark.parametrize(("kind", "command"), [("reduce_lr_on_plateau", "reduce-lr-on-plateau"), ("greedy", "greedy")])
def test_metric_driven_schedules_point_to_their_command(kind, command):
    config = {"lr_scheduler_type": kind, "learning_rate": 1e-4, "lr_scheduler_kwargs": {"patience": 3}}
    with pytest.raises(LrplotError) as error:
        preview(config, dataset_size=100)
    assert f"'lrplot hf {command} --lr 0.0001 --patience 3 --metrics FILE'" in str(error.value)


def test_bad_run_sizes():
    with pytest.raises(LrplotError, match=r"from-hf: --dataset-size 0: expected a number of training examples >= 1"):
        preview({}, dataset_size=0)
    with pytest.raises(LrplotError, match=r"from-hf: --world-size 0: expected a number of processes >= 1"):
        preview({}, dataset_size=10, world_size=0)
    with pytest.raises(LrplotError, match=r"leaves no full batch of 64, so the Trainer would train no step"):
        preview({"dataloader_drop_last": True, "per_device_train_batch_size": 32}, dataset_size=50, world_size=2)
    with pytest.raises(LrplotError, match=r"split_batches: the batch size \(10\) needs to be a round multiple"):
        preview(
            {"per_device_train_batch_size": 10, "accelerator_config": {"split_batches": True}},
            dataset_size=50,
            world_size=4,
        )
    with pytest.raises(LrplotError, match=r"is 300,000,000 steps; lrplot previews at most 20,000,000"):
        preview({"num_train_epochs": 3}, dataset_size=800_000_000)


def test_where_prefixes_every_message():
    with pytest.raises(LrplotError, match=r"^run.json: warmup_steps = -1"):
        preview({"warmup_steps": -1}, dataset_size=10, where="run.json: ")


# -- the command: lrplot from-hf FILE --dataset-size D [--world-size W] ----------------------------


def test_command_prints_the_trainer_accounting_above_the_two_unit_table(cli, in_root):
    result = cli("from-hf", "samples/hf/training_args.json", "--dataset-size", "50000", "--world-size", "4")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("from samples/hf/training_args.json:")
    assert "Num update steps per epoch  391 = ceil(782 / 2)" in out
    assert "Total optimization steps    1,173 = ceil(3 x 391)" in out
    assert (
        out.index("warmup steps")
        < out.index("get_cosine_schedule_with_warmup(num_warmup_steps=50")
        < out.index("┃ step ┃")
    )
    assert "stepped per step · 391 steps per epoch" in out
    # HF's warmup starts at lr 0 by design: lint says the first update is lost, and nothing else
    warnings = [line for line in result.err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "the first step trains at lr 0" in warnings[0]


def test_command_csv_rows_are_the_trainers(cli, in_root):
    result = cli("from-hf", "samples/hf/sft_cosine_min_lr.yaml", "--dataset-size", "50000", "--world-size", "4",
                 "--format", "csv", "-q")  # fmt: skip
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "step,epoch,lr" and len(lines) == 1 + 782
    assert lines[391].split(",")[:2] == ["390", repr(390 / 391)]
    expected = preview(read_run_config(SAMPLES / "hf/sft_cosine_min_lr.yaml", ""), dataset_size=50000, world_size=4)
    assert [float(line.split(",")[2]) for line in lines[1:]] == lrplot.simulate(expected.spec).lr.tolist()
    assert result.err == ""  # -q: not even the accounting beside the data


def test_command_writes_a_figure_with_both_units(cli, in_root, tmp_path):
    figure = tmp_path / "hf.svg"
    result = cli(
        "from-hf", "samples/hf/dpo_warmup_ratio.yaml", "--dataset-size", "1000", "-o", str(figure), "--no-table"
    )
    assert result.code == 0, result.err
    svg = figure.read_text()
    assert svg.startswith("<?xml") and result.out == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["samples/hf/training_args.json"], "from-hf: --dataset-size D is required"),
        (["--dataset-size", "100"], "from-hf: expected one config file, e.g. lrplot from-hf training_args.json"),
        (["missing.json", "--dataset-size", "100"], "from-hf: missing.json: no such file"),
        (["samples/hf/training_args.json", "--dataset-size", "100", "--world-size", "0"], "from-hf: --world-size 0"),
        (["samples/hf/training_args.json", "--dataset-size", "100", "--t-max", "5"], "from-hf: unknown option --t-max"),
    ],
)  # fmt: skip
def test_command_bad_input_is_one_line_and_exit_2(cli, in_root, tmp_path, args, message):
    out = tmp_path / "x.png"
    result = cli("from-hf", *args, "-o", str(out))
    assert result.code == 2, result.out
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert not out.exists()


def test_a_bad_json_file_is_one_line(cli, tmp_path):
    bad = tmp_path / "args.json"
    bad.write_text('{"learning_rate": 1e-4,}')
    result = cli("from-hf", str(bad), "--dataset-size", "100")
    assert result.code == 2 and f"from-hf: {bad}: not valid JSON (line 1" in result.err


def test_a_list_is_not_a_config(cli, tmp_path):
    bad = tmp_path / "args.yaml"
    bad.write_text("- 1\n- 2\n")
    result = cli("from-hf", str(bad), "--dataset-size", "100")
    assert result.code == 2 and "expected a mapping of keys to values, got list" in result.err


def test_command_help(cli):
    result = cli("from-hf", "--help")
    assert result.code == 0 and "TrainingArguments" in result.out and "--world-size" in result.out
