"""lrplot.lint: one warning per problem of a schedule against its run, naming the parameter, its value and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from lrplot import simulate
from lrplot.lint import (
    HORIZONS,
    TRAILING_FRACTION,
    UNFINISHED,
    check_above_base,
    check_first_row,
    check_negative,
    check_trailing_zeros,
    lint,
)
from lrplot.registry import all_policies

METRICS = str(Path(__file__).resolve().parent.parent / "samples" / "metrics" / "seed_losses.txt")


def warnings(spec: str, **options) -> list[str]:
    return lint(simulate(spec, **options))


def only(spec: str, **options) -> str:
    found = warnings(spec, **options)
    assert len(found) == 1, found
    return found[0]


def has(text: str, *parts: str) -> None:
    for part in parts:
        assert part in text, f"{part!r} not in {text!r}"


# -- correct setups are clean ------------------------------------------------------------------------

CLEAN = {
    "lambda": 'lambda --expr "0.95 ** epoch"',
    "multiplicative": 'multiplicative --expr "0.95"',
    "step": "step --step-size 30 -n 90",
    "multistep": "multistep --milestones 30,60,80 -n 90",
    "constant": "constant -n 100",
    "linear": "linear -n 100",
    "exponential": "exponential --gamma 0.95",
    "polynomial": "polynomial --total-iters 100 -n 100",
    "cosine": "cosine --t-max 100 -n 100",
    "plateau": f"plateau --metrics {METRICS}",
    "cyclic": "cyclic --base-lr 0.001 --max-lr 0.1 --step-size-up 50 -n 1000",
    "cosine-restarts": "cosine-restarts --t-0 10 --t-mult 2 -n 70",
    "onecycle": "onecycle --max-lr 0.1",
    "sequential": 'sequential --schedule "linear --start-factor 0.1 --total-iters 5" --schedule "cosine --t-max 95" '
    "--milestones 5 -n 100",
    "chained": 'chained --schedule "constant --factor 0.5 --total-iters 5" --schedule "exponential --gamma 0.95"',
    "hf constant": "hf constant",
    "hf constant-with-warmup": "hf constant-with-warmup",
    "hf linear": "hf linear",
    "hf cosine": "hf cosine",
    "hf cosine-with-restarts": "hf cosine-with-restarts --num-cycles 3",
    "hf polynomial": "hf polynomial",
    "hf inverse-sqrt": "hf inverse-sqrt",
    "hf cosine-with-min-lr": "hf cosine-with-min-lr --min-lr-rate 0.1",
    "hf cosine-warmup-with-min-lr": "hf cosine-warmup-with-min-lr --num-warmup-steps 10 --min-lr-rate 0.1",
    "hf warmup-stable-decay": "hf warmup-stable-decay --num-decay-steps 20",
    "hf reduce-lr-on-plateau": f"hf reduce-lr-on-plateau --metrics {METRICS}",
    "hf greedy": f"hf greedy --metrics {METRICS}",
    "noam": "noam",
    "inverse-time": "inverse-time --decay-rate 1 --decay-steps 10",
    "pix2pix": "pix2pix",
    "timm cosine": "timm cosine --t-initial 100 --warmup-t 5 --warmup-lr-init 1e-5",
    "timm tanh": "timm tanh --t-initial 100",
    "timm poly": "timm poly --t-initial 100",
    "timm step": "timm step --decay-t 30 --decay-rate 0.1 -n 90",
    "timm multistep": "timm multistep --decay-t 30,60 --decay-rate 0.1 -n 90",
    "timm plateau": f"timm plateau --metrics {METRICS}",
    "timm wsd": "timm wsd --t-initial 100 --decay-t 20",
    "optax constant": "optax constant --value 0.1",
    "optax linear": "optax linear --init-value 0.1 --end-value 0.001 --transition-steps 100",
    "optax polynomial": "optax polynomial --init-value 0.1 --end-value 0.001 --power 2 --transition-steps 100",
    "optax exponential-decay": "optax exponential-decay --init-value 0.1 --transition-steps 10 --decay-rate 0.5",
    "optax cosine-decay": "optax cosine-decay --init-value 0.1 --decay-steps 100",
    "optax warmup-constant": "optax warmup-constant --init-value 0.01 --peak-value 0.1 --warmup-steps 10",
    "optax warmup-cosine-decay": "optax warmup-cosine-decay --init-value 0.01 --peak-value 0.1 --warmup-steps 10 "
    "--decay-steps 100",
    "optax warmup-exponential-decay": "optax warmup-exponential-decay --init-value 0.01 --peak-value 0.1 "
    "--warmup-steps 10 --transition-steps 10 --decay-rate 0.5",
    "optax piecewise-constant": "optax piecewise-constant --init-value 0.1 --boundaries-and-scales 30:0.1,60:0.1",
    "optax piecewise-interpolate": "optax piecewise-interpolate --interpolate-type linear --init-value 0.1 "
    "--boundaries-and-scales 30:0.1,60:0.1",
    "optax linear-onecycle": "optax linear-onecycle --transition-steps 100 --peak-value 0.1",
    "optax cosine-onecycle": "optax cosine-onecycle --transition-steps 100 --peak-value 0.1",
    "optax sgdr": 'optax sgdr --cycle "--init-value 0.01 --peak-value 0.1 --warmup-steps 5 --decay-steps 50" '
    '--cycle "--init-value 0.01 --peak-value 0.1 --warmup-steps 5 --decay-steps 50"',
    "optax join": 'optax join --schedule "linear --init-value 0.01 --end-value 0.1 --transition-steps 10" '
    '--schedule "cosine-decay --init-value 0.1 --decay-steps 90" --boundaries 10',
    "keras exponential-decay": "keras exponential-decay --initial-learning-rate 0.1 --decay-steps 10 --decay-rate 0.9",
    "keras piecewise-constant-decay": "keras piecewise-constant-decay --boundaries 30,60 --values 0.1,0.01,0.001",
    "keras polynomial-decay": "keras polynomial-decay --initial-learning-rate 0.1 --decay-steps 100",
    "keras inverse-time-decay": "keras inverse-time-decay --initial-learning-rate 0.1 --decay-steps 10 --decay-rate 0.5",
    "keras cosine-decay": "keras cosine-decay --initial-learning-rate 0.01 --warmup-target 0.1 --warmup-steps 10 "
    "--decay-steps 90",
    "keras cosine-decay-restarts": "keras cosine-decay-restarts --initial-learning-rate 0.1 --first-decay-steps 10 -n 70",
}


def test_every_policy_has_a_clean_setup():
    assert {p.command for p in all_policies()} == set(CLEAN)


def test_every_length_parameter_in_the_table_exists():
    commands = {p.command: p for p in all_policies()}
    for command, horizons in HORIZONS.items():
        for horizon in horizons:
            commands[command].param(horizon.param)  # raises for a misspelt parameter


@pytest.mark.parametrize("command", sorted(CLEAN))
def test_a_correct_setup_of_every_policy_is_clean(command):
    assert warnings(CLEAN[command]) == []


@pytest.mark.parametrize(
    "spec",
    [
        # the seed post's schedules
        "step --step-size 10 --gamma 0.1 --lr 0.05 -n 40",
        "multistep --milestones 10,15,25,30 --lr 0.05 -n 40",
        "exponential --gamma 0.2 --lr 0.2 -n 10 --closed-form",
        f"plateau --lr 10 --metrics {METRICS}",
        # horizons equal to the run, in its unit
        "cosine --t-max 99 -n 100",  # ends at eta_min on the last epoch
        "hf linear --num-training-steps 99 -n 100",  # the last step at 0: one row is not a warning
        "hf cosine --num-training-steps 1000 --train-epochs 2 --steps-per-epoch 500",
        "cosine --t-max 45000 --train-epochs 90 --steps-per-epoch 500 --interval step",
        "timm cosine --t-initial 90 --train-epochs 90 --steps-per-epoch 500 --warmup-t 5 --warmup-lr-init 1e-5",
        "timm cosine --t-initial 90 --lr-min 1e-5 -n 100",  # timm's cooldown at lr_min: deliberate
        "cosine --t-max 95 --warmup 5 --warmup-start 0.1 -n 100",  # the cosine runs the 95 rows after the warmup
        "onecycle --max-lr 0.1 --total-steps 101 -n 100",  # one unused step leaves ~0 of the cycle
        "cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 5 --step-size-down 5 -n 10",
        "keras cosine-decay-restarts --initial-learning-rate 0.1 --first-decay-steps 10 --t-mul 1 -n 30",
        "step --step-size 10 -n 40 --lr 0.1 --lr 0",  # a frozen group at lr 0 is a choice
        'sequential --schedule "linear --start-factor 0.1 --total-iters 5" --schedule "onecycle --max-lr 0.1" '
        "--milestones 5 -n 100",
        "onecycle --max-lr 0.01 --warmup 10 --warmup-start 0.1 -n 100",  # the warmup climbs to --lr: no alarm
    ],
)
def test_common_correct_setups_are_clean(spec):
    assert warnings(spec) == []


def test_hf_defaults_warn_only_about_the_lost_first_step():
    found = warnings("hf cosine --num-warmup-steps 10")  # num_training_steps defaults to -n
    assert len(found) == 1
    has(found[0], "the first step trains at lr 0", "--num-warmup-steps 10", "by design", "1 of its 10 warmup steps")


VARIANTS = [
    {"epochs": 1},
    {"epochs": 2},
    {"epochs": 3, "lr": [0.1, 0.01]},
    {"epochs": 50, "steps_per_epoch": 7},
    {"epochs": 40, "resume_at": 10},
    {"epochs": 40, "interval": "epoch", "steps_per_epoch": 5},
    {"epochs": 300, "warmup": 3},
]


@pytest.mark.parametrize("command", sorted(CLEAN))
def test_lint_never_fails_on_odd_runs(command):
    for options in VARIANTS:
        try:
            series = simulate(CLEAN[command], **options)
        except ValueError:
            continue  # lrplot refuses the combination (a warmup in front of timm, ...)
        assert all(isinstance(line, str) and "\n" not in line for line in lint(series))


# -- a length shorter than the run ---------------------------------------------------------------------


def test_cosine_t_max_shorter_than_the_run_rises_again():
    has(only("cosine --t-max 50", epochs=100), "--t-max 50", "shorter than the run (100 epochs)", "rises again",
        "use --t-max 100", "-n 50")  # fmt: skip


def test_hf_num_training_steps_shorter_than_the_run_says_how_many_steps_train_at_zero():
    found = warnings("hf linear --num-training-steps 70", epochs=100)
    assert len(found) == 1  # no second warning about the same rows at lr 0
    has(found[0], "--num-training-steps 70", "the last 30 steps train at lr 0", "use --num-training-steps 100",
        "-n 70")  # fmt: skip


def test_hf_num_training_steps_shorter_warns_even_at_a_floor():
    has(only("hf polynomial --num-training-steps 50 --lr-end 0.001", epochs=60),
        "--num-training-steps 50", "stay at its end value 0.001", "use --num-training-steps 60")  # fmt: skip


def test_a_decay_that_holds_0_for_many_rows_names_its_length():
    has(only("optax cosine-decay --init-value 0.1 --decay-steps 50", epochs=100),
        "--decay-steps 50", "the last 50 steps train at lr 0", "use --decay-steps 100", "-n 50")  # fmt: skip
    has(only("timm cosine --t-initial 80", epochs=100), "--t-initial 80", "the last 20 epochs train at lr 0",
        "use --t-initial 100")  # fmt: skip


def test_pix2pix_cosine_anneals_over_n_epochs_only():
    has(only("pix2pix --lr-policy cosine"), "--n-epochs 100", "rises again for the last 100 epochs",
        "use --n-epochs-decay 0")  # fmt: skip


def test_pix2pix_past_its_decay_goes_below_zero_in_one_warning():
    found = warnings("pix2pix", epochs=300)
    assert len(found) == 1  # the negative lr it explains is not warned about again
    has(found[0], "--n-epochs-decay 100", "goes below zero for the last 100 epochs", "use --n-epochs-decay 200",
        "-n 200")  # fmt: skip


# -- a length longer than the run ----------------------------------------------------------------------


def test_never_reaching_the_end_says_the_percentage_left():
    has(only("hf cosine --num-training-steps 1500", epochs=1000), "--num-training-steps 1500",
        "never reaches its end", "25% of its peak 0.1", "use --num-training-steps 1000", "-n 1500")  # fmt: skip


def test_onecycle_total_steps_longer_than_the_run():
    has(only("onecycle --max-lr 0.1 --total-steps 200", epochs=100), "--total-steps 200", "81% of its peak 0.1",
        "use --total-steps 100")  # fmt: skip


def test_a_warmup_like_linear_that_never_finishes_says_how_far_it_got():
    has(only("linear --start-factor 0.1 --total-iters 50", epochs=20), "--total-iters 50",
        "44% of its end value 0.1", "use --total-iters 20")  # fmt: skip


def test_the_threshold_of_never_reaching_the_end():
    # hf linear: the last row keeps (T - N + 1) / T of the lr
    assert warnings("hf linear --num-training-steps 104", epochs=100) == []  # 5% left
    assert len(warnings("hf linear --num-training-steps 120", epochs=100)) == 1  # 17.5% left
    assert UNFINISHED == 0.05


def test_step_size_as_long_as_the_run_never_decays():
    has(only("step --step-size 100", epochs=90), "--step-size 100", "never changes the lr", "--step-size 89 or less")


def test_milestones_past_the_run_are_each_named():
    has(only("multistep --milestones 30,60,90,120", epochs=90), "--milestones 30,60,90,120", "90 and 120",
        "ignored", "use --milestones 30,60")  # fmt: skip
    has(only("keras piecewise-constant-decay --boundaries 30,99 --values 0.1,0.01,0.001", epochs=100),
        "--boundaries 30,99", "99 is not before the end", "use --boundaries 30")  # fmt: skip


@pytest.mark.parametrize(
    ("spec", "shown", "fix"),
    [
        ("hf linear --num-warmup-steps 150", "--num-warmup-steps 150", "use --num-warmup-steps 10"),
        ("timm cosine --t-initial 100 --warmup-t 100 --warmup-lr-init 0.01", "--warmup-t 100", "use --warmup-t 10"),
        ("noam --warmup-steps 4000", "--warmup-steps 4000", "use --warmup-steps 10"),
        (
            "optax warmup-cosine-decay --init-value 0.01 --peak-value 1 --warmup-steps 100 --decay-steps 200",
            "--warmup-steps 100",
            "use --warmup-steps 10",
        ),
        ("cosine --t-max 100 --warmup 100 --warmup-start 0.1", "--warmup 100", "use --warmup 10"),
    ],
)
def test_a_warmup_as_long_as_the_run_never_ends(spec, shown, fix):
    found = [w for w in warnings(spec, epochs=100) if "never" in w]
    assert len(found) == 1, warnings(spec, epochs=100)
    has(found[0], shown, "not shorter than the run (100", fix)


def test_a_cyclic_cycle_longer_than_the_run():
    has(only("cyclic --base-lr 0.01 --max-lr 0.1", epochs=1000), "--step-size-up 2000", "2000 + 2000 steps",
        "never comes back down", "use --step-size-up 500", "-n 4000")  # fmt: skip


def test_a_run_that_stops_part_way_into_a_restart_cycle():
    has(only("cosine-restarts --t-0 30", epochs=100), "--t-0 30", "10 epochs into cycle 4", "use -n 90 or -n 120")
    has(only("cosine-restarts --t-0 200", epochs=100), "--t-0 200", "first cycle never ends", "use --t-0 100")


# -- the wrong unit ------------------------------------------------------------------------------------


def test_t_max_in_epochs_stepped_per_step():
    has(only("cosine --t-max 90 --train-epochs 90 --steps-per-epoch 500 --interval step"),
        "--t-max 90 with 90 epochs of 500 steps, stepped per step: did you mean --t-max 45000?", "rises again")  # fmt: skip


def test_t_max_in_steps_stepped_per_epoch():
    has(only("cosine --t-max 45000 --train-epochs 90 --steps-per-epoch 500 --interval epoch"),
        "--t-max 45000", "stepped per epoch: did you mean --t-max 90?", "never reaches its end")  # fmt: skip


def test_hf_training_steps_in_epochs_with_a_derived_steps_per_epoch():
    has(only("hf linear --num-training-steps 90 --train-epochs 90 --dataset-size 50000 --batch-size 128"),
        "--num-training-steps 90 with 90 epochs of 391 steps", "did you mean --num-training-steps 35190?")  # fmt: skip


def test_milestones_and_step_size_in_epochs_stepped_per_step():
    run = "--train-epochs 90 --steps-per-epoch 500 --interval step"
    has(only(f"multistep --milestones 30,60,80 {run}"), "did you mean --milestones 15000,30000,40000?")
    found = only(f"step --step-size 30 {run}")  # one warning: not a second one about the lr reaching ~0
    has(found, "--step-size 30", "did you mean --step-size 15000?", "1499 times")
    has(only(f"optax piecewise-constant --init-value 1 --boundaries-and-scales 30:0.1 {run}"),
        "did you mean --boundaries-and-scales 15000:0.1?")  # fmt: skip


def test_milestones_in_steps_stepped_per_epoch():
    has(only("multistep --milestones 15000,30000 --train-epochs 90 --steps-per-epoch 500 --interval epoch"),
        "did you mean --milestones 30,60?")  # fmt: skip


def test_no_unit_guess_when_the_value_is_not_far_off():
    found = only("multistep --milestones 30,60,80", epochs=50, steps_per_epoch=7, interval="epoch")
    assert "did you mean" not in found
    has(found, "60 and 80", "use --milestones 30")


# -- the lr itself -------------------------------------------------------------------------------------


def test_lr_0_at_the_first_row_of_lrplots_warmup():
    has(only("cosine --t-max 100 --warmup 5", epochs=105), "the first epoch trains at lr 0", "--warmup 5",
        "--warmup-start 0.0", "use --warmup-start 0.2")  # fmt: skip


def test_lr_0_at_the_first_row_names_the_parameter_that_starts_there():
    has(only("timm cosine --t-initial 100 --warmup-t 5"), "--warmup-t 5", "--warmup-lr-init 0.0",
        "use --warmup-lr-init 0.02")  # fmt: skip
    has(only("optax warmup-constant --init-value 0 --peak-value 1 --warmup-steps 4", epochs=8), "--init-value 0",
        "use --init-value 0.25")  # fmt: skip
    has(only("cyclic --base-lr 0 --max-lr 0.1 --step-size-up 10", epochs=100), "--base-lr 0", "use --base-lr 0.01")
    has(only('lambda --expr "epoch // 10"', epochs=20), "the first 10 epochs train at lr 0", "--expr 'epoch // 10'")


def test_lr_0_at_the_first_row_inside_a_composite():
    has(only('chained --schedule "hf linear --num-warmup-steps 5" --schedule "exponential --gamma 0.99"', epochs=20),
        "in --schedule 'hf linear --num-warmup-steps 5'", "--num-warmup-steps 5")  # fmt: skip


def test_a_resumed_run_does_not_start_at_the_first_step():
    assert check_first_row(simulate("hf linear --num-warmup-steps 10", epochs=100, resume_at=50)) == []
    assert check_first_row(simulate("hf linear --num-warmup-steps 10", epochs=100)) != []


def test_a_resumed_run_still_gets_its_length_checked():
    has(only("hf linear --num-warmup-steps 10 --num-training-steps 80", epochs=100, resume_at=50),
        "--num-training-steps 80", "use --num-training-steps 100")  # fmt: skip


@pytest.mark.parametrize(
    ("spec", "parts"),
    [
        ("cosine --t-max 50 --eta-min 0.5 -n 50", ["5x --lr 0.1", "--eta-min 0.5 is above it", "--eta-min 0.1"]),
        ("step --step-size 10 --gamma 1.5 -n 40", ["3.38x --lr 0.1", "--gamma 1.5 grows it", "--gamma 1 or less"]),
        ('lambda --expr "1 + epoch / 10" -n 20', ["--expr '1 + epoch / 10' exceeds 1", "at most 1"]),
        (
            "cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 10 --mode exp_range --gamma 1.01 -n 100",
            ["--max-lr 0.1", "--gamma 1.01 grows it"],
        ),
        (
            "keras exponential-decay --initial-learning-rate 0.1 --decay-steps 20 --decay-rate 1.1 -n 100",
            ["--initial-learning-rate 0.1", "--decay-rate 1.1 grows it"],
        ),
    ],
)
def test_lr_above_its_base(spec, parts):
    found = check_above_base(simulate(spec))
    assert len(found) == 1
    has(found[0], "the lr rises above its base", *parts)


def test_schedules_that_set_their_own_lr_are_measured_against_their_peak():
    assert check_above_base(simulate("onecycle --max-lr 1 --lr 0.01", epochs=100)) == []
    assert check_above_base(simulate("optax warmup-constant --init-value 0 --peak-value 2 --warmup-steps 5")) == []
    assert check_above_base(simulate(f"hf greedy --metrics {METRICS} --max-lr 0.5")) == []
    seq = 'sequential --schedule "cosine-restarts --t-0 3" --schedule "onecycle --max-lr 1 --total-steps 20"'
    assert check_above_base(simulate(f"{seq} --milestones 10", epochs=30)) == []
    assert check_above_base(simulate("timm cosine --lr 1 --t-initial 50 --noise-range-t 10", epochs=50)) == []


def test_trailing_rows_at_lr_0():
    has(only("lambda --expr 'max(0, 1 - epoch / 70)'", epochs=100), "the last 30 epochs train at lr 0",
        "from epoch 70", "use -n 70")  # fmt: skip
    has(only("lambda --expr 'max(0, 1 - epoch / 70)'", train_epochs=100), "use --train-epochs 70")


def test_trailing_zeros_threshold():
    # 1 row at 0 is an off-by-one, not a warning; 2 rows of 200 (1%) are
    assert check_trailing_zeros(simulate("lambda --expr 'max(0, 1 - epoch / 199)'", epochs=200)) == []
    assert check_trailing_zeros(simulate("lambda --expr 'max(0, 1 - epoch / 198)'", epochs=200)) != []
    # 2 rows of 1000 are below 1%
    assert check_trailing_zeros(simulate("lambda --expr 'max(0, 1 - epoch / 998)'", epochs=1000)) == []
    assert TRAILING_FRACTION == 0.01


def test_negative_lr_names_the_negative_value():
    found = check_negative(simulate("optax linear --init-value 0.1 --end-value -0.1 --transition-steps 10", epochs=20))
    has(found[0], "below zero (-0.1 at step 10)", "--end-value -0.1 is negative", "use --end-value 0")


def test_negative_lr_of_a_chained_cosine():
    spec = 'chained --schedule "cosine --t-max 10 --eta-min 0.05" --schedule "exponential --gamma 0.5"'
    found = check_negative(simulate(spec, epochs=20))
    has(found[0], "below zero", "in --schedule 'cosine --t-max 10 --eta-min 0.05'", "--eta-min 0.05",
        "use --eta-min 0")  # fmt: skip


def test_rounding_below_zero_is_not_negative():
    assert check_negative(simulate("linear --start-factor 1 --end-factor 0 --total-iters 10", epochs=10)) == []


# -- composites ----------------------------------------------------------------------------------------

WARMUP_COSINE = 'sequential --schedule "linear --start-factor 0.1 --total-iters 5" --schedule "cosine --t-max 95"'


def test_a_child_after_the_run_never_runs():
    has(only(f"{WARMUP_COSINE} --milestones 200", epochs=100), "--schedule 'cosine --t-max 95' never runs",
        "--milestones 200", "drop it or -n 201")  # fmt: skip


def test_a_child_is_checked_against_its_segment():
    has(only(f"{WARMUP_COSINE} --milestones 5", epochs=200), "--schedule 'cosine --t-max 95'",
        "its segment (epochs 5-199, 195 epochs)", "use --t-max 195")  # fmt: skip


def test_a_child_left_to_the_default_length_runs_over_the_whole_run():
    spec = 'sequential --schedule "linear --start-factor 0.1 --total-iters 5" --schedule "hf linear" --milestones 5'
    has(only(spec, epochs=100), "--schedule 'hf linear'", "--num-training-steps (default 100, the whole run)",
        "6% of its peak", "use --num-training-steps 95")  # fmt: skip


def test_optax_join_children_restart_their_count():
    spec = (
        'optax join --schedule "linear --init-value 0.01 --end-value 1 --transition-steps 5" '
        '--schedule "cosine-decay --init-value 1 --decay-steps 45" --boundaries 5'
    )
    has(only(spec, epochs=60), "--decay-steps 45", "its segment (steps 5-59, 55 steps)", "use --decay-steps 55")
    assert warnings(spec, epochs=50) == []


def test_chained_children_run_over_the_whole_run():
    spec = 'chained --schedule "cosine --t-max 10" --schedule "step --step-size 4 --gamma 0.5"'
    has(only(spec, epochs=40), "--schedule 'cosine --t-max 10'", "rises again", "use --t-max 40")


# -- long runs -----------------------------------------------------------------------------------------


def test_long_runs_held_as_arrays():
    series = simulate("cosine --t-max 150000", epochs=200_000)
    assert hasattr(series.lr_columns[0], "dtype")
    has(only("cosine --t-max 150000", epochs=200_000), "--t-max 150000", "use --t-max 200000")
    assert warnings("cosine --t-max 200000", epochs=200_000) == []


# -- on the command line: every policy command, and `lrplot lint` ------------------------------------


def test_policy_commands_print_lint_warnings_on_stderr_and_keep_exit_0(cli, tmp_path):
    out = tmp_path / "s.csv"
    result = cli("cosine", "--t-max", "50", "-n", "100", "-o", str(out))
    assert result.code == 0 and out.exists()
    (line,) = [line for line in result.err.splitlines() if "warning" in line]
    assert line.startswith("lrplot: warning: --t-max 50 is shorter than the run (100 epochs)")
    assert "use --t-max 100 or -n 50" in line
    assert "┃ epoch ┃" in result.out  # the table is still printed


def test_quiet_silences_every_warning_and_nothing_else(cli):
    loud = cli("cosine", "--t-max", "50", "-n", "100", "--format", "csv", "--digits", "3")
    quiet = cli("cosine", "--t-max", "50", "-n", "100", "--format", "csv", "--digits", "3", "-q")
    assert loud.err.count("lrplot: warning:") == 2  # lint's, and --digits has no effect on CSV
    assert quiet.err == "" and quiet.out == loud.out and quiet.code == loud.code == 0


def test_lint_command_exits_1_on_any_warning_and_0_when_clean(cli):
    clean = cli("lint", "cosine --t-max 100", "step --step-size 30", "-n", "100")
    assert clean.code == 0, clean.out
    assert clean.out.strip() == "lint: no warnings in 2 schedules"
    dirty = cli("lint", "cosine --t-max 100", "cosine --t-max 90", "--train-epochs", "90", "--steps-per-epoch", "500",
                "--interval", "step")  # fmt: skip
    assert dirty.code == 1
    lines = dirty.out.strip().splitlines()
    assert lines[-1] == "lint: 2 warnings in 2 schedules"
    assert lines[0].startswith(
        "warning: cosine --t-max 100: --t-max 100 with 90 epochs of 500 steps, stepped per step: "
    )
    assert "did you mean --t-max 50000?" in lines[0]  # 100 epochs, in steps
    assert "cosine --t-max 90: --t-max 90 with 90 epochs of 500 steps" in lines[1]
    assert "did you mean --t-max 45000?" in lines[1]


def test_lint_command_quiet_answers_with_the_exit_status_only(cli):
    result = cli("lint", "cosine --t-max 50", "-n", "100", "-q")
    assert result.code == 1 and result.out == "" and result.err == ""


def test_a_spec_sets_its_own_run_in_lint(cli):
    assert cli("lint", "cosine --t-max 100 -n 100", "-n", "50").code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], 'lint: expected quoted SPECs, e.g. lrplot lint "cosine --t-max 90" --train-epochs 90'),
        (["cosine --t-max"], "cosine: --t-max expects a value"),
        (["stpe --step-size 3"], "unknown policy 'stpe'; did you mean 'step'?"),
        (["step --step-size 3", "--bogus"], "lint: unknown option --bogus"),
        (["step --step-size 3", "-o", "x.png"], "lint: unknown option -o"),
    ],
)
def test_lint_command_bad_input_is_exit_2(cli, args, message):
    result = cli("lint", *args)
    assert result.code == 2 and message in result.err and len(result.err.strip().splitlines()) == 1


def test_compare_prefixes_each_warning_with_its_curve(cli):
    result = cli("compare", "cosine --t-max 100", "cosine --t-max 50", "-n", "100", "--no-chart")
    warnings = [line for line in result.err.splitlines() if "warning" in line]
    assert warnings == [line for line in warnings if line.startswith("lrplot: warning: cosine --t-max 50: --t-max 50")]
    assert len(warnings) == 1


def test_lint_help(cli):
    result = cli("lint", "--help")
    assert result.code == 0 and "exits 1 on any warning" in result.out and "--quiet" in result.out


# -- the committed run configs lint as they should ------------------------------------------------

SAMPLES = Path(__file__).parent.parent / "samples"
RUN_CONFIGS = sorted((SAMPLES / "hf").iterdir()) + sorted((SAMPLES / "timm").iterdir())


@pytest.mark.parametrize("path", RUN_CONFIGS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sample_run_configs_lint_clean_or_warn_as_they_should(path):
    """timm's recipes are clean; HF's warmups start at lr 0 by design, which costs their first update."""
    from lrplot.trainers import hf, read_run_config, timm

    trainer = hf if path.parent.name == "hf" else timm
    preview = trainer.preview(read_run_config(path, ""), dataset_size=1_281_167, world_size=8)
    findings = lint(simulate(preview.spec))
    if trainer is timm:
        assert findings == []
    else:
        (finding,) = findings
        assert finding.startswith("the first step trains at lr 0") and "--num-warmup-steps" in finding
