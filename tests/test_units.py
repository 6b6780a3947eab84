"""Steps and epochs: --steps-per-epoch, --dataset-size, --interval, --train-epochs and the two-unit output."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

from lrplot import figure, simulate
from lrplot.units import steps_per_epoch


def read_csv(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


# -- S from the run -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        # ceil(50000 / 128) = 391 batches, one update each
        ({"dataset_size": 50_000, "batch_size": 128}, 391),
        ({"dataset_size": 50_000, "batch_size": 128, "drop_last": True}, 390),
        # 2 processes: ceil(50000 / 256) = 196 batches each; 4 accumulated: ceil(196 / 4) = 49 updates
        ({"dataset_size": 50_000, "batch_size": 128, "world_size": 2, "grad_accum": 4}, 49),
        # the last, partial accumulation still updates: ceil(391 / 2) = 196
        ({"dataset_size": 50_000, "batch_size": 128, "grad_accum": 2}, 196),
        ({"dataset_size": 10, "batch_size": 3}, 4),
        ({"dataset_size": 10, "batch_size": 3, "drop_last": True}, 3),
        ({"steps_per_epoch": 500}, 500),
        ({}, None),
    ],
)
def test_steps_per_epoch_count_optimizer_updates(run, expected):
    assert steps_per_epoch(run) == expected


def test_dataset_size_options_reach_the_table_footer(cli):
    result = cli("step", "--step-size", "30", "-n", "3", "--dataset-size", "50000", "--batch-size", "128",
                 "--world-size", "2", "--grad-accum", "4")  # fmt: skip
    assert result.code == 0, result.err
    assert "49 steps per epoch = ceil(ceil(50000 / (128 x 2)) / 4)" in result.out
    assert "stepped per epoch" in result.out


# -- columns: both units when S is known, as before without it ----------------------------------


@pytest.mark.parametrize(
    ("spec", "first", "second"),
    [
        ("step --step-size 2", "epoch", "step"),
        ("cosine --t-max 10", "epoch", "step"),
        ("cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 2", "step", "epoch"),
        ("onecycle --max-lr 0.1", "step", "epoch"),
        ("noam --warmup-steps 2", "step", "epoch"),
        ("hf cosine --num-warmup-steps 1", "step", "epoch"),
        ("optax cosine-decay --init-value 0.1 --decay-steps 10", "step", "epoch"),
        ("keras cosine-decay --initial-learning-rate 0.1 --decay-steps 10", "step", "epoch"),
        ("timm cosine --t-initial 10", "epoch", "step"),
        ("timm cosine --t-initial 10 --no-t-in-epochs", "step", "epoch"),
        ("cosine --t-max 10 --interval step", "step", "epoch"),
        ("hf cosine --interval epoch", "epoch", "step"),
    ],
)
def test_the_stepping_unit_comes_first_and_the_other_second(cli, spec, first, second):
    result = cli(*spec.split(), "-n", "6", "--steps-per-epoch", "4", "--format", "csv")
    assert result.code == 0, result.err
    header, rows = read_csv(result.out)
    assert header[:3] == [first, second, "lr"]
    numbers = [row[0] for row in rows]
    assert numbers == ["0", "1", "2", "3", "4", "5"]
    other = [row[1] for row in rows]
    if first == "epoch":  # step = epoch * S
        assert other == ["0", "4", "8", "12", "16", "20"]
    else:  # epoch = step / S, a float
        assert other == ["0.0", "0.25", "0.5", "0.75", "1.0", "1.25"]


def test_without_steps_per_epoch_the_output_is_unchanged(cli):
    for spec in ("step --step-size 2", "hf cosine", "onecycle --max-lr 0.1"):
        result = cli(*spec.split(), "-n", "3", "--format", "csv")
        assert read_csv(result.out)[0] == ["epoch", "lr"] + (["momentum"] if "onecycle" in spec else [])
        document = json.loads(cli(*spec.split(), "-n", "3", "--format", "json").out)
        assert "steps_per_epoch" not in document and "interval" not in document
        assert list(document["rows"][0])[0] == "epoch"


def test_the_lr_does_not_depend_on_the_accounting():
    plain = simulate("cosine --t-max 10", epochs=20)
    counted = simulate("cosine --t-max 10", epochs=20, steps_per_epoch=7, interval="step")
    assert counted.lr.tolist() == plain.lr.tolist()


def test_json_carries_both_units_and_the_accounting(cli):
    result = cli("hf", "linear", "-n", "4", "--dataset-size", "10", "--batch-size", "5", "--format", "json")
    document = json.loads(result.out)
    assert document["interval"] == "step" and document["steps_per_epoch"] == 2
    assert document["columns"][:2] == ["step", "epoch"]
    assert document["rows"][3] == {"step": 3, "epoch": 1.5, "lr": document["rows"][3]["lr"]}


def test_momentum_and_groups_keep_their_columns_after_the_units(cli):
    result = cli("onecycle", "--max-lr", "0.1", "--lr", "1", "--lr", "2", "-n", "5", "--steps-per-epoch", "5",
                 "--format", "csv")  # fmt: skip
    assert read_csv(result.out)[0] == ["step", "epoch", "lr_0", "lr_1", "momentum_0", "momentum_1"]


def test_table_shows_both_index_columns(cli):
    result = cli("cosine", "--t-max", "4", "-n", "4", "--steps-per-epoch", "3", "--interval", "step")
    assert result.code == 0, result.err
    header = next(line for line in result.out.splitlines() if "lr" in line and "step" in line)
    assert header.index("step") < header.index("epoch") < header.index("lr")
    assert "0.3333" in result.out  # step 1 is a third of the first epoch
    assert "stepped per step · 3 steps per epoch" in result.out


def test_resumed_rows_keep_both_units():
    series = simulate("step --step-size 2", epochs=6, steps_per_epoch=10, resume_at=3)
    assert series.columns()[:2] == ["epoch", "step"]
    assert [row[:2] for row in series.rows()] == [[3, 30], [4, 40], [5, 50]]


# -- run length in epochs ---------------------------------------------------------------------------


def test_train_epochs_gives_the_run_length_in_the_stepping_unit():
    assert simulate("step --step-size 30", train_epochs=90).epochs == 90
    assert simulate("hf cosine", train_epochs=3, steps_per_epoch=469).epochs == 1407
    # as the Trainer: max_steps = ceil(num_train_epochs * update steps per epoch)
    assert simulate("hf cosine", train_epochs=0.5, steps_per_epoch=469).epochs == math.ceil(0.5 * 469)
    assert simulate("cosine --t-max 10", train_epochs=2, steps_per_epoch=5, interval="step").epochs == 10


def test_train_epochs_sets_the_horizons_that_default_to_the_run():
    # HF's num_training_steps and OneCycle's total_steps default to the run: here 3 epochs of 4 steps
    series = simulate("hf linear", train_epochs=3, dataset_size=40, batch_size=10)
    assert series.epochs == 12 and series.lr[-1] == pytest.approx(0.1 / 12)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["step", "--step-size", "3", "-n", "10", "--train-epochs", "5"], "--train-epochs 5 and -n 10 both set the run length; give one"),
        (["hf", "cosine", "--train-epochs", "3"], "--train-epochs 3: stepped per step, the run length needs the steps per epoch; add --steps-per-epoch S"),
        (["step", "--step-size", "3", "--train-epochs", "2.5"], "--train-epochs 2.5: stepped per epoch, the run needs a whole number of epochs"),
        (["step", "--step-size", "3", "--train-epochs", "0"], "--train-epochs"),
        (["step", "--step-size", "3", "--batch-size", "32"], "--batch-size only count(s) steps with --dataset-size D; add it"),
        (["step", "--step-size", "3", "--grad-accum", "2", "--drop-last"], "--grad-accum, --drop-last only count(s) steps with --dataset-size D"),
        (["step", "--step-size", "3", "--dataset-size", "100"], "--dataset-size 100 needs --batch-size B"),
        (["step", "--step-size", "3", "--dataset-size", "100", "--batch-size", "10", "--steps-per-epoch", "5"], "--steps-per-epoch 5 and --dataset-size 100 both give the steps per epoch; give one"),
        (["step", "--step-size", "3", "--dataset-size", "10", "--batch-size", "16", "--drop-last"], "--dataset-size 10 is smaller than one batch of 16 with --drop-last"),
        (["step", "--step-size", "3", "--steps-per-epoch", "0"], "--steps-per-epoch 0"),
        (["step", "--step-size", "3", "--interval", "batch"], "--interval"),
        (["timm", "cosine", "--t-initial", "10", "--interval", "step"], "--interval step: this timm scheduler counts in epochs (t_in_epochs=True); add --no-t-in-epochs"),
    ],
)  # fmt: skip
def test_bad_accounting_is_one_line_and_exit_2(cli, tmp_path, args, message):
    out = tmp_path / "s.csv"
    result = cli(*args, "-o", str(out))
    assert result.code == 2
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err and not out.exists()


# -- compare: aligned on optimizer steps --------------------------------------------------------


def test_compare_aligns_per_epoch_and_per_step_schedules_on_steps(cli):
    result = cli("compare", "step --step-size 1 --gamma 0.5 -n 2", "hf linear -n 6", "--steps-per-epoch", "3",
                 "--format", "csv")  # fmt: skip
    assert result.code == 0, result.err
    header, rows = read_csv(result.out)
    assert header == ["step", "epoch", "step --step-size 1 --gamma 0.5 -n 2", "hf linear -n 6"]
    assert [row[0] for row in rows] == [str(s) for s in range(6)]
    assert [row[1] for row in rows] == [repr(s / 3) for s in range(6)]
    # each epoch's lr holds for its 3 steps
    assert [row[2] for row in rows] == ["0.1"] * 3 + ["0.05"] * 3
    hf = simulate("hf linear", epochs=6).lr_columns[0]
    assert [row[3] for row in rows] == [repr(v) for v in hf]


def test_compare_in_one_unit_numbers_rows_in_it(cli):
    result = cli("compare", "step --step-size 1", "cosine --t-max 2", "-n", "2", "--steps-per-epoch", "10",
                 "--format", "csv")  # fmt: skip
    assert read_csv(result.out)[0][:2] == ["epoch", "step"]
    assert [row[:2] for row in read_csv(result.out)[1]] == [["0", "0"], ["1", "10"]]


def test_compare_summary_counts_aligned_steps(cli):
    document = json.loads(
        cli(
            "compare",
            "step --step-size 1 --gamma 0.5 -n 2",
            "hf linear -n 6",
            "--steps-per-epoch",
            "3",
            "--format",
            "json",
        ).out  # fmt: skip
    )
    assert document["summary"][0]["first_decay"] == 3  # epoch 1 starts at step 3


def test_compare_spec_length_wins_over_the_common_one(cli):
    result = cli("compare", "cosine --t-max 3 -n 3", "hf cosine", "--train-epochs", "2", "--steps-per-epoch", "4",
                 "--format", "json")  # fmt: skip
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert len(document["rows"]) == 12  # 3 epochs of 4 steps; hf cosine: 2 epochs = 8 steps
    assert document["rows"][8]["hf cosine"] is None


def test_compare_without_steps_per_epoch_overlays_by_row_as_before(cli):
    result = cli("compare", "step --step-size 1", "hf linear", "-n", "3", "--format", "csv")
    header, rows = read_csv(result.out)
    assert header[0] == "epoch" and len(rows) == 3


# -- figures and configs ---------------------------------------------------------------------------


def test_figure_has_a_secondary_axis_in_the_other_unit():
    fig = figure(simulate("hf cosine", train_epochs=3, steps_per_epoch=50))
    ax = fig.axes[0]
    assert ax.get_xlabel() == "step" or fig.axes[-1].get_xlabel() == "step"
    secondary = [child for child in ax.child_axes]
    assert len(secondary) == 1 and secondary[0].get_xlabel() == "epoch"
    assert secondary[0].xaxis.get_transform() is not None
    assert ax.get_xlim()[1] == pytest.approx(149)
    plain = figure(simulate("hf cosine", epochs=150))
    assert plain.axes[0].child_axes == []


def test_compare_figure_spreads_per_epoch_rows_over_their_steps():
    per_epoch = simulate("step --step-size 1", epochs=3, steps_per_epoch=10)
    per_step = simulate("hf linear", epochs=30, steps_per_epoch=10)
    fig = figure([per_epoch, per_step])
    ax = fig.axes[0]
    assert ax.get_xlabel() == "step" and ax.child_axes[0].get_xlabel() == "epoch"
    epoch_line = ax.lines[0]
    assert list(epoch_line.get_xdata()) == [0, 10, 20, 30]  # each epoch held for its 10 steps
    assert ax.get_xlim()[1] == pytest.approx(30)


def test_render_config_accepts_the_accounting_keys(tmp_path, cli):
    config = tmp_path / "docs.toml"
    config.write_text(
        '[[figure]]\nname = "hf"\npolicy = "hf cosine"\ntrain_epochs = 3\ndataset_size = 1000\nbatch_size = 16\n'
        'formats = ["csv"]\n'
    )
    result = cli("render", str(config))
    assert result.code == 0, result.err
    header, rows = read_csv((tmp_path / "hf.csv").read_text())
    assert header[:2] == ["step", "epoch"] and len(rows) == 3 * 63


def test_api_plot_adds_the_other_unit_on_a_new_axes():
    from lrplot import plot

    ax = plot(simulate("hf cosine", train_epochs=2, steps_per_epoch=10))
    assert ax.get_xlabel() == "step" and [child.get_xlabel() for child in ax.child_axes] == ["epoch"]
    assert plot(simulate("hf cosine", epochs=20)).child_axes == []
