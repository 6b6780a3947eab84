"""``from-timm``: timm train.py's step accounting and schedule for an args.yaml, checked against timm.

The golden file ``golden/trainers/timm.json`` was recorded by
``golden/record_trainer_timm.py`` from timm's own scheduler factory, samplers
and train.py's lines; lrplot must give the same lr, updates per epoch,
epochs and every row, bit for bit.  With timm importable the cases are also
recorded live and compared with the committed file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from oracle import library_available
from record_trainer_timm import CASES, ERROR_CASES, GOLDEN_FILE, case_config, record_case

import lrplot
from lrplot import LrplotError
from lrplot.spec import parse_spec
from lrplot.trainers import read_run_config
from lrplot.trainers.timm import preview

SAMPLES = Path(__file__).parent.parent / "samples"
GOLDEN = json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))
GOLDEN_CASES = {case["id"]: case for case in GOLDEN["cases"]}
GOLDEN_ERRORS = {case["id"]: case for case in GOLDEN["errors"]}


def bits(values):
    return [float.hex(float(v)) for v in values]


def first_number(text: str) -> str:
    return text.split()[0].rstrip(";")


def test_golden_file_holds_every_case():
    assert GOLDEN["timm"].startswith("1.0.")
    assert list(GOLDEN_CASES) == [case[0] for case in CASES]
    assert list(GOLDEN_ERRORS) == [case[0] for case in ERROR_CASES]


@pytest.mark.parametrize("case_id", list(GOLDEN_CASES))
def test_preview_is_timm(case_id):
    case = GOLDEN_CASES[case_id]
    result = preview(case_config(case["config"]), dataset_size=case["dataset_size"], world_size=case["world_size"])
    run = result.spec.run
    assert run["lr"] == [case["lr"]]
    assert run["steps_per_epoch"] == case["updates_per_epoch"]
    assert run["interval"] == ("epoch" if case["t_in_epochs"] else "step")
    assert run["epochs"] == len(case["rows"])
    assert run["epochs"] == case["num_epochs"] * (1 if case["t_in_epochs"] else case["updates_per_epoch"])
    assert result.spec.bound()["t_in_epochs"] == case["t_in_epochs"]

    accounting = dict(result.accounting)
    assert first_number(accounting["lr"]) == repr(case["lr"])
    assert first_number(accounting["loader batches"]) == str(case["loader_batches"])
    assert first_number(accounting["updates per epoch"]) == str(case["updates_per_epoch"])
    assert first_number(accounting["epochs"]) == str(case["num_epochs"])
    assert first_number(accounting["total updates"]) == str(case["num_epochs"] * case["updates_per_epoch"])

    series = lrplot.simulate(result.spec)
    assert bits(series.lr_columns[0]) == bits(case["rows"])


@pytest.mark.parametrize("case_id", list(GOLDEN_ERRORS))
def test_what_timm_refuses_is_refused(case_id):
    case = GOLDEN_ERRORS[case_id]
    with pytest.raises(LrplotError, match=r"^from-timm: (sched|decay_epochs|lr_stable_timescale|aug_repeats) = "):
        preview(case_config(case["config"]), dataset_size=case["dataset_size"], world_size=case["world_size"])


@pytest.mark.skipif(not library_available("timm"), reason="timm is not installed (pip install --no-deps timm)")
@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_live_timm_matches_the_golden_file(case):
    case_id, config, dataset_size, world_size = case
    live = record_case(case_config(config), dataset_size, world_size)
    committed = {key: GOLDEN_CASES[case_id][key] for key in live}
    assert {**live, "rows": bits(live["rows"])} == {**committed, "rows": bits(committed["rows"])}


# -- the samples --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in (SAMPLES / "timm").glob("*.yaml")))
def test_samples_are_train_py_args_yaml(name):
    """yaml.safe_dump(args.__dict__): every argument of train.py's parser, keys sorted."""
    text = (SAMPLES / "timm" / name).read_text(encoding="utf-8")
    config = read_run_config(SAMPLES / "timm" / name, "from-timm: ")
    keys = re.findall(r"^(\w+):", text, flags=re.MULTILINE)
    assert keys == sorted(keys) == list(config)
    assert len(keys) > 150
    assert {"sched", "epochs", "lr", "lr_base", "batch_size", "grad_accum_steps", "sched_on_updates"} <= set(keys)
    assert yaml.safe_dump(config, default_flow_style=False) == text


def test_samples_are_golden_cases():
    used = {case["config"] for case in GOLDEN["cases"] if isinstance(case["config"], str)}
    assert used == {f"timm/{p.name}" for p in (SAMPLES / "timm").glob("*.yaml")}


def test_sample_accounting_reads_like_the_trainer_log():
    config = read_run_config(SAMPLES / "timm" / "resnet50_a1_args.yaml", "from-timm: ")
    accounting = dict(preview(config, dataset_size=1281167, world_size=4).accounting)
    assert accounting["lr"] == (
        "0.003535533905932738 = lr_base 0.005 x sqrt(1024 / 2048) (global batch 256 x 4 ranks x 1 accum; "
        "sqrt scaling, chosen from opt 'lamb')"
    )
    assert accounting["samples per rank"].startswith("320256 = min(floor(1281167 // 256 x 256 / 4), ")
    assert accounting["updates per epoch"] == "1251 (grad_accum_steps 1)"
    assert accounting["epochs"] == "600"
    assert accounting["total updates"] == "750600 = 600 epochs x 1251"

    vit = read_run_config(SAMPLES / "timm" / "vit_b16_finetune_updates_args.yaml", "from-timm: ")
    accounting = dict(preview(vit, dataset_size=1020).accounting)
    assert accounting["updates per epoch"] == "8 = ceil(31 / 4 grad_accum_steps)"
    assert accounting["epochs"] == "35 = (24 warmup + 240 + 16 cooldown updates) // 8"
    assert accounting["warmup"] == "3 epochs = 24 updates from warmup_lr 1e-06, before the schedule (warmup_prefix)"
    assert "layer decay" in accounting


# -- reading args.yaml as train.py reads it ------------------------------------------------------


BASE = {"sched": "cosine", "epochs": 10, "batch_size": 32, "lr": 0.1, "warmup_epochs": 0}


def run(dataset_size=1000, world_size=1, **keys):
    return preview({**BASE, **keys}, dataset_size=dataset_size, world_size=world_size)


def test_unknown_keys_are_ignored_and_text_numbers_convert_as_argparse_does():
    plain = run(lr=0.0005)
    written = run(lr="5e-4", epochs="10", model="resnet50", some_future_flag=True)  # YAML reads 5e-4 as text
    assert written.spec == plain.spec


def test_missing_keys_take_train_py_defaults_and_say_so():
    result = preview({"sched": "step", "lr": 0.1}, dataset_size=12800)
    assert result.spec.params["decay_t"] == 90 and result.spec.params["decay_rate"] == 0.1
    assert result.spec.run["epochs"] == 300 and result.spec.run["steps_per_epoch"] == 100  # batch_size 128
    assert dict(result.accounting)["defaults"] == (
        "batch_size 128, epochs 300, warmup_epochs 5, warmup_lr 1e-05, decay_epochs 90, decay_rate 0.1 "
        "(not in the file: train.py's defaults)"
    )


def test_lr_zero_is_scaled_like_no_lr():
    assert run(lr=0, lr_base=0.1).spec.run["lr"] == [0.1 * 32 / 256]
    assert "(lr 0 counts as empty)" in dict(run(lr=0.0).accounting)["lr"]


def test_a_config_from_another_tool_is_refused():
    with pytest.raises(LrplotError, match=r"^from-timm: none of timm train.py's keys \(sched, epochs, .*args.yaml"):
        preview({"learning_rate": 5e-5, "num_train_epochs": 3}, dataset_size=1000)
    with pytest.raises(LrplotError, match=r"^from-timm: expected a mapping of train.py arguments, got list$"):
        preview([1, 2], dataset_size=1000)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"epochs": "ten"}, "epochs = 'ten': expected an integer"),
        ({"epochs": 10.0}, "epochs = 10.0: expected an integer"),
        ({"epochs": 0}, "epochs = 0: expected an integer >= 1"),
        ({"batch_size": 0}, "batch_size = 0: expected an integer >= 1"),
        ({"lr": -0.1}, "lr = -0.1: expected a number >= 0"),
        ({"lr": float("nan")}, "lr = nan: expected a finite number or null"),
        ({"lr": None, "lr_base_size": 0}, "lr_base_size = 0: expected an integer >= 1"),
        ({"lr": None, "lr_base_scale": "sqr"}, "lr_base_scale = 'sqr': expected 'linear', 'sqrt' or empty"),
        ({"sched_on_updates": "yes"}, "sched_on_updates = 'yes': expected true or false"),
        ({"warmup_epochs": -1}, "warmup_epochs = -1: expected an integer >= 0"),
        ({"min_lr": -1e-6}, "min_lr = -1e-06: expected a number >= 0"),
        ({"lr_cycle_mul": 0}, "lr_cycle_mul = 0.0: expected a number > 0"),
        ({"lr_noise": [0.1, 0.2, 0.3]}, "lr_noise = [0.1, 0.2, 0.3]: expected a number, a list of one or two"),
        ({"sched": "multistep", "decay_milestones": [60, 30]}, "decay_milestones = [60, 30]: expected increasing"),
        ({"sched": "multistep", "decay_milestones": "30 60"}, "decay_milestones = '30 60': expected a list of int"),
        ({"sched": "step", "decay_epochs": 0}, "decay_epochs = 0.0: expected a number of epochs > 0"),
        ({"sched": "wsd", "decay_epochs": 0.2, "lr_decay_fn": "sqrt"}, "lr_decay_fn = 'sqrt': expected one of"),
        ({"opt": None, "lr": None}, "opt = None: expected text"),
    ],
)
def test_bad_values_name_the_key_and_what_was_expected(keys, message):
    with pytest.raises(LrplotError, match="^from-timm: " + re.escape(message)):
        run(**keys)


def test_unknown_sched_suggests_the_nearest():
    with pytest.raises(LrplotError, match=r"^from-timm: sched = 'cosin': unknown scheduler; did you mean 'cosine'\?"):
        run(sched="cosin")
    with pytest.raises(
        LrplotError, match=r"sched = 'exponential': unknown scheduler \(timm's create_scheduler_v2 takes"
    ):
        run(sched="exponential")


def test_plateau_points_to_lrplot_timm_plateau_with_the_run_values():
    with pytest.raises(LrplotError) as refused:
        run(sched="plateau", lr=None, lr_base=0.1, decay_rate=0.5, patience_epochs=3, warmup_epochs=2)
    message = str(refused.value)
    assert message.startswith("from-timm: sched = 'plateau' steps on each epoch's eval metric")
    command = re.search(r"'(lrplot timm plateau [^']*)'", message).group(1)
    assert "--metrics FILE --lr 0.0125 --decay-rate 0.5 --patience-t 3 --warmup-t 2" in command
    metrics = SAMPLES / "metrics" / "seed_losses.txt"
    spec = parse_spec(command.removeprefix("lrplot ").replace("FILE", str(metrics)))
    assert spec.policy.command == "timm plateau" and spec.bound()["mode"] == "max"


def test_sched_none_has_nothing_to_preview():
    with pytest.raises(LrplotError, match=r"^from-timm: sched = 'none': .* stays at 0.1 for the whole run"):
        run(sched="none")


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"naflex_loader": True}, "naflex_loader = True: the NaFlex loader"),
        ({"train_img_sizes": [160, 224]}, "train_img_sizes = [160, 224]: scheduled-resolution"),
        ({"dataset": "wds/imagenet"}, "dataset = 'wds/imagenet': an iterable dataset (wds/)"),
    ],
)
def test_loaders_whose_length_is_not_counted_are_refused(keys, message):
    with pytest.raises(LrplotError, match="^from-timm: " + re.escape(message)):
        run(**keys)


def test_too_few_samples_for_one_batch():
    with pytest.raises(LrplotError, match=r"batch_size = 32: each rank holds 8 samples, fewer than one batch"):
        run(dataset_size=31, world_size=4)


@pytest.mark.parametrize(("option", "value"), [("dataset_size", 0), ("world_size", 0), ("dataset_size", 1.5)])
def test_dataset_and_world_size_are_positive_integers(option, value):
    with pytest.raises(LrplotError, match=r"^from-timm: --(dataset|world)-size .*: expected an integer >= 1$"):
        preview(BASE, **{"dataset_size": 1000, option: value})


def test_where_prefixes_every_message():
    with pytest.raises(LrplotError, match=r"^from-timm: run/args.yaml: epochs = 0"):
        preview({**BASE, "epochs": 0}, dataset_size=1000, where="from-timm: run/args.yaml: ")


# -- the command: lrplot from-timm FILE --dataset-size D [--world-size W] ---------------------------


def test_command_prints_the_accounting_above_the_two_unit_table(cli, in_root):
    result = cli("from-timm", "samples/timm/resnet50_a1_args.yaml", "--dataset-size", "1281167", "--world-size", "8")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("from samples/timm/resnet50_a1_args.yaml:")
    assert out.index("updates per epoch  625") < out.index("CosineLRScheduler(") < out.index("┃ epoch ┃")
    assert "stepped per epoch · 625 steps per epoch" in out
    assert "lrplot: warning" not in result.err  # the sample is a sound recipe: lint is clean


def test_command_csv_is_the_simulated_rows_with_both_units(cli, in_root):
    args = ["samples/timm/vit_b16_finetune_updates_args.yaml", "--dataset-size", "1281167", "--world-size", "8"]
    result = cli("from-timm", *args, "--format", "csv")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "step,epoch,lr"
    expected = preview(
        read_run_config(SAMPLES / "timm/vit_b16_finetune_updates_args.yaml", ""), dataset_size=1281167, world_size=8
    )
    series = lrplot.simulate(expected.spec)
    assert len(lines) == 1 + series.epochs == 1 + 43785
    assert lines[1251].split(",")[:2] == ["1250", repr(1250 / 1251)]
    assert [float(line.split(",")[2]) for line in lines[1:]] == series.lr.tolist()
    assert "updates per epoch  1251" in result.err  # beside the data, not in it


def test_command_writes_files_and_takes_output_options(cli, in_root, tmp_path):
    figure, data = tmp_path / "timm.png", tmp_path / "timm.json"
    result = cli("from-timm", "samples/timm/efficientnet_b2_step_args.yaml", "--dataset-size", "50000",
                 "-o", str(figure), "-o", str(data), "--log-y", "--no-table")  # fmt: skip
    assert result.code == 0, result.err
    assert figure.read_bytes().startswith(b"\x89PNG") and result.out == ""
    document = json.loads(data.read_text())
    assert document["interval"] == "epoch" and document["columns"][:2] == ["epoch", "step"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["samples/timm/resnet50_a1_args.yaml"], "from-timm: --dataset-size D is required"),
        (["--dataset-size", "100"], "from-timm: expected one config file, e.g. lrplot from-timm output/train/args.yaml"),
        (["a.yaml", "b.yaml", "--dataset-size", "100"], "from-timm: expected one config file"),
        (["missing/args.yaml", "--dataset-size", "100"], "from-timm: missing/args.yaml: no such file"),
        (["samples/timm", "--dataset-size", "100"], "from-timm: samples/timm: is a folder; expected a JSON or YAML file"),
        (["samples/timm/resnet50_a1_args.yaml", "--dataset-size", "0"], "from-timm: --dataset-size 0"),
        (["samples/timm/resnet50_a1_args.yaml", "--dataset-size", "100", "--bogus"], "from-timm: unknown option --bogus"),
        (["samples/timm/resnet50_a1_args.yaml", "--dataset-size", "100", "-n", "5"], "from-timm: unknown option -n"),
    ],
)  # fmt: skip
def test_command_bad_input_is_one_line_and_exit_2(cli, in_root, tmp_path, args, message):
    out = tmp_path / "x.csv"
    result = cli("from-timm", *args, "-o", str(out))
    assert result.code == 2, result.out
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert not out.exists()


def test_a_bad_yaml_file_is_one_line(cli, tmp_path):
    bad = tmp_path / "args.yaml"
    bad.write_text("sched: [cosine\n")
    result = cli("from-timm", str(bad), "--dataset-size", "100")
    assert result.code == 2 and f"from-timm: {bad}: not valid YAML" in result.err


def test_command_help(cli):
    result = cli("from-timm", "--help")
    assert result.code == 0 and "args.yaml" in result.out and "--dataset-size" in result.out
