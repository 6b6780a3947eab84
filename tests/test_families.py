"""Beyond torch: Hugging Face schedules, warmup on any policy, Noam, inverse time, pix2pix.

The numbers themselves are checked against transformers and torch in
test_golden.py; these tests cover how a user reaches them.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from lrplot import LrplotError, lookup, parse_spec, simulate, spec_from_mapping
from lrplot.config import load_config
from lrplot.figures import figure


def rows(cli, *args):
    result = cli(*args, "--format", "csv")
    assert result.code == 0, result.err
    return list(csv.reader(io.StringIO(result.out)))


# -- Hugging Face ----------------------------------------------------------------------------------


def test_hf_commands_use_the_type_names_in_kebab_case(cli):
    table = rows(
        cli, "hf", "cosine-with-restarts", "--num-training-steps", "8", "--num-cycles", "2", "--lr", "1", "-n", "5"
    )
    assert [r[1] for r in table[1:]] == ["1.0", "0.8535533905932737", "0.5", "0.14644660940672627", "1.0"]


def test_hf_names_as_transformers_spells_them_are_aliases():
    assert lookup("hf cosine_with_restarts") is lookup("hf cosine-with-restarts")
    assert lookup("get_cosine_schedule_with_warmup") is lookup("hf cosine")
    assert lookup("cosine").family == "torch"  # the short name alone is torch's


def test_every_transformers_scheduler_type_has_a_command():
    optimization = pytest.importorskip("transformers.optimization")
    types = [t.value for t in optimization.SchedulerType]
    assert "greedy" in types
    for value in types:  # a type added upstream fails here until lrplot has it
        assert lookup(f"hf {value}").family == "hf"


def test_hf_alone_lists_its_schedules(cli):
    result = cli("hf")
    assert result.code == 2
    assert "expected a schedule name after 'hf'" in result.err and "warmup-stable-decay" in result.err


def test_hf_first_warmup_step_trains_at_zero_and_cosine_rises_past_the_end(cli):
    table = rows(
        cli, "hf", "cosine", "--lr", "1", "--num-warmup-steps", "10", "--num-training-steps", "100", "-n", "111"
    )
    assert table[1] == ["0", "0.0"]
    lrs = [float(r[1]) for r in table[1:]]
    assert lrs[100] == 0.0 and lrs[110] > lrs[105] > 0  # past num_training_steps the cosine comes back


def test_hf_num_training_steps_defaults_to_the_run(cli):
    assert rows(cli, "hf", "linear", "-n", "5") == rows(cli, "hf", "linear", "--num-training-steps", "5", "-n", "5")


def test_hf_polynomial_reads_lr_end_as_an_absolute_lr(cli):
    table = rows(
        cli,
        "hf",
        "polynomial",
        "--lr",
        "0.1",
        "--lr",
        "0.5",
        "--num-training-steps",
        "4",
        "--lr-end",
        "0.02",
        "-n",
        "6",
    )
    # both groups end at lr_end / defaults["lr"] times their own lr: HF reads the first group's lr
    assert table[5][1:] == ["0.02", repr(0.5 * (0.02 / 0.1))]


def test_hf_help_shows_its_conventions(cli):
    out = " ".join(cli("hf", "cosine", "--help").out.split())
    assert "transformers.optimization.get_cosine_schedule_with_warmup" in out
    assert "the lr rises again" in out and "--num-training-steps" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hf", "cosine-with-min-lr"], "One of min_lr or min_lr_rate should be set"),
        (
            ["hf", "polynomial", "--lr", "0.001", "--lr-end", "0.01"],
            "lr_end (0.01) must be smaller than initial lr (0.001)",
        ),
        (["hf", "warmup-stable-decay"], "--num-decay-steps is required"),
        (["hf", "cosine", "--num-cycles", "x"], "--num-cycles 'x': expected a finite number"),
        (["hf", "cosin"], "unknown policy 'hf cosin'; did you mean 'hf cosine'?"),
    ],
)
def test_hf_bad_input(cli, args, message):
    result = cli(*args)
    assert result.code == 2 and message in result.err and len(result.err.strip().splitlines()) == 1


# -- warmup on any policy ---------------------------------------------------------------------------


def test_warmup_starts_the_schedule_after_it_as_sequential_lr_does(cli):
    warm = rows(cli, "cosine", "--t-max", "95", "--warmup", "5", "-n", "10")
    sequential = rows(
        cli, "sequential", "--schedule", "lambda --expr 'epoch / 5 if epoch < 5 else 1'",
        "--schedule", "cosine --t-max 95", "--milestones", "5", "-n", "10",
    )  # fmt: skip
    assert warm == sequential
    assert warm[6] == ["5", "0.1"]  # the schedule's own start, right after the warmup


@pytest.mark.parametrize(
    ("shape", "start", "expected"),
    [
        ("linear", "0.2", [0.2, 0.4, 0.6000000000000001, 0.8]),
        ("cosine", "0", [0.0, 0.1464466094067262, 0.49999999999999994, 0.8535533905932737]),
        ("exponential", "0.01", [0.01, 0.03162277660168379, 0.1, 0.31622776601683794]),
        ("1-sqrt", "0", [0.0, 0.1339745962155614, 0.2928932188134524, 0.5]),
    ],
)
def test_warmup_shapes(shape, start, expected):
    series = simulate(
        parse_spec(f"step --step-size 100 --lr 1 --warmup 4 --warmup-shape {shape} --warmup-start {start} -n 6")
    )
    assert series.lr_columns[0][:4] == expected
    assert series.lr_columns[0][4:] == [1.0, 1.0]


def test_warmup_overlap_scales_the_schedule_from_step_zero():
    plain = simulate(parse_spec("cosine --t-max 20 -n 8")).lr_columns[0]
    overlapped = simulate(parse_spec("cosine --t-max 20 --warmup 4 --warmup-overlap -n 8")).lr_columns[0]
    assert overlapped[:4] == [plain[t] * (t / 4) for t in range(4)]
    assert overlapped[4:] == plain[4:]  # the schedule was not shifted


def test_the_table_and_the_figure_mark_the_end_of_the_warmup(cli):
    out = cli("cosine", "--t-max", "95", "--warmup", "5", "-n", "10").out
    assert "5-epoch linear warmup from 0.0: rows 0-4, the schedule from row 5" in " ".join(out.split())
    ax = figure([simulate(parse_spec("cosine --t-max 95 --warmup 5 -n 50"))]).axes[0]
    assert [t.get_text() for t in ax.texts] == ["warmup"]
    assert "5-epoch linear warmup" in ax.get_title()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plateau", "--metrics", "samples/metrics/seed_losses.txt", "--warmup", "3"], "add --warmup-overlap"),
        (["step", "--step-size", "3", "--warmup", "3", "--closed-form"], "SequentialLR, which has no closed form"),
        (["step", "--step-size", "3", "--warmup", "3", "--warmup-shape", "exponential"], "give --warmup-start > 0"),
        (["step", "--step-size", "3", "--warmup", "-1"], "--warmup -1: expected an integer >= 0"),
        (
            ["step", "--step-size", "3", "--warmup-start", "2"],
            "--warmup-start 2.0: expected a finite number from 0 to 1",
        ),
    ],
)
def test_warmup_bad_input(cli, in_root, args, message):
    result = cli(*args)
    assert result.code == 2 and message in result.err


def test_plateau_can_be_warmed_up_by_overlap(in_root):
    series = simulate(
        parse_spec("plateau --lr 10 --metrics samples/metrics/seed_losses.txt --warmup 4 --warmup-overlap")
    )
    assert series.lr_columns[0][:5] == [0.0, 2.5, 5.0, 7.5, 10.0]


# -- recipes ----------------------------------------------------------------------------------------


def test_noam_uses_the_annotated_transformers_lr_and_run_length():
    series = simulate(parse_spec("noam --warmup-steps 400"))
    assert series.run["lr"] == [1.0] and series.epochs == 2000
    peak = max(series.lr_columns[0])
    assert series.lr_columns[0].index(peak) == 400
    assert peak == 512**-0.5 * 400**-0.5


def test_noam_matches_hf_inverse_sqrt_after_step_zero():
    """Noam = peak x HF inverse_sqrt(timescale=W) for s >= 1 (the catalogue's regression fixture)."""
    noam = simulate(parse_spec("noam --warmup-steps 40 -n 200")).lr_columns[0]
    peak = 512**-0.5 * 40**-0.5
    hf = simulate(parse_spec(f"hf inverse-sqrt --lr {peak!r} --num-warmup-steps 40 -n 200")).lr_columns[0]
    assert all(abs(a - b) <= 1e-15 for a, b in zip(noam[1:], hf[1:]))
    assert noam[0] == noam[1] and hf[0] == 0.0  # Noam clamps s to 1, HF starts from 0


def test_inverse_time_with_staircase(cli):
    table = rows(cli, "inverse-time", "--lr", "1", "--decay-rate", "1", "--decay-steps", "2", "--staircase", "-n", "5")
    assert [r[1] for r in table[1:]] == ["1.0", "1.0", "0.5", "0.5", "0.3333333333333333"]


def test_pix2pix_defaults_and_old_option_names(cli):
    series = simulate(parse_spec("pix2pix"))
    assert series.run["lr"] == [0.0002] and series.epochs == 200
    assert rows(cli, "pix2pix", "--niter", "50", "--niter-decay", "30") == rows(
        cli, "pix2pix", "--n-epochs", "50", "--n-epochs-decay", "30"
    )
    assert spec_from_mapping({"policy": "pix2pix", "niter": 50}).params == {"n_epochs": 50}


def test_pix2pix_steps_where_train_py_steps():
    # train.py today: update_learning_rate() at the start of every epoch, so the last epoch trains at 0
    today = simulate(parse_spec("pix2pix --lr 1")).lr_columns[0]
    assert today[98] == 1.0 and today[99] == 1 - 1 / 101 and today[199] == 0.0
    # the older loop stepped at the end of each epoch: the last epoch keeps a hundredth of the lr
    older = simulate(parse_spec("pix2pix --lr 1 --step-at end")).lr_columns[0]
    assert older[99] == 1.0 and older[100] == 1 - 1 / 101 and older[199] == pytest.approx(1 / 101)


def test_pix2pix_loop_cannot_be_a_child_of_a_torch_composite(cli):
    # --step-at start is train.py's loop stepping before epoch 0, not a scheduler SequentialLR could hold
    for composite in (["sequential", "--milestones", "3"], ["chained"]):
        result = cli(*composite, "--schedule", "pix2pix", "--schedule", "constant", "-n", "5")
        assert result.code == 2 and "is train.py's epoch loop around a scheduler" in result.err
        assert result.err.count("\n") == 1
    assert cli("chained", "--schedule", "pix2pix --step-at end", "--schedule", "constant", "-n", "5").code == 0


def test_pix2pix_plateau_sees_the_models_metric(cli, in_root):
    # BaseModel sets self.metric = 0 and no shipped model updates it: the lr falls x0.2 every 6 epochs
    constant = simulate(parse_spec("pix2pix --lr-policy plateau --lr 1 -n 20")).lr_columns[0]
    assert [t for t in range(1, 20) if constant[t] != constant[t - 1]] == [6, 12, 18]
    assert "needs" not in cli("pix2pix", "--lr-policy", "plateau", "--metrics", "samples/metrics/seed_losses.txt").err
    misplaced = cli("pix2pix", "--metrics", "samples/metrics/seed_losses.txt")
    assert misplaced.code == 2 and "read only by --lr-policy plateau" in misplaced.err


# -- across libraries -------------------------------------------------------------------------------


def test_list_groups_policies_by_family(cli):
    out = cli("list").out
    titles = ["PyTorch 2.13", "Hugging Face transformers", "Recipes from papers", "timm:", "optax:", "Keras 3:"]
    assert all(title in out for title in titles)
    assert [out.index(t) for t in titles] == sorted(out.index(t) for t in titles)
    families = [r["family"] for r in json.loads(cli("list", "--format", "json").out)]
    order = ["torch", "hf", "recipes", "timm", "optax", "keras"]
    assert families == sorted(families, key=order.index)
    assert set(families) == set(order)


def test_compare_across_libraries(cli):
    result = cli(
        "compare", "hf cosine --num-warmup-steps 10 --num-training-steps 100",
        "sequential --schedule 'linear --start-factor 0.1 --total-iters 10' --schedule 'cosine --t-max 90' --milestones 10",
        "cosine --t-max 90 --warmup 10", "-n", "100", "--lr", "1", "--format", "csv",
    )  # fmt: skip
    assert result.code == 0, result.err
    table = list(csv.reader(io.StringIO(result.out)))
    assert table[0][1] == "hf cosine --num-warmup-steps 10 --num-training-steps 100"
    assert table[1][1:] == ["0.0", "0.1", "0.0"]  # HF and the warmup start at 0, LinearLR at its start_factor
    assert table[11][1] == table[11][3] == "1.0"


def test_the_across_libraries_sample_matches_the_catalogue():
    config = load_config("samples/warmup_cosine_across_libraries.toml")
    columns = [simulate(spec).lr_columns[0] for spec in config.figures[0].specs]
    hf_cosine, hf_min_lr, torch_sequential, timm_overlap, timm_prefix, optax, keras = columns

    # The values of the reference table "warmup + cosine, lr 1, W = 10, T = 100" (ecosystems notes, section 9),
    # rounded to 4 places as it prints them.
    def at(column, *steps):
        return [round(float(column[t]), 4) for t in steps]

    assert at(hf_cosine, 0, 9, 10, 50, 99, 100, 110) == [0, 0.9, 1.0, 0.5868, 0.0003, 0, 0.0302]  # rises again
    assert at(hf_min_lr, 0, 9, 10, 50, 99, 100) == [0.1, 1.0, 0.9997, 0.5696, 0, 0.0003]
    assert at(timm_overlap, 0, 9, 10, 50, 99, 100, 110) == [0, 0.9, 0.9755, 0.5, 0.0002, 0, 0]  # never at the peak
    for same in (timm_prefix, optax, keras):
        assert at(same, 0, 9, 10, 50, 99, 100, 110) == [0, 0.9, 1.0, 0.5868, 0.0003, 0, 0]
    # HF cosine, optax, Keras and timm with the prefix are one curve up to T; torch's SequentialLR too
    for same in (optax, keras, timm_prefix, torch_sequential):
        assert list(same[:101]) == pytest.approx(hf_cosine[:101], abs=1e-15)


def test_family_errors_keep_their_prefix():
    with pytest.raises(LrplotError, match=r"^hf cosine: --num-training-steps 0"):
        parse_spec("hf cosine --num-training-steps 0")
