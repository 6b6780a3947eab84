"""timm, optax and Keras: how a user reaches their schedules, and where their conventions differ.

The numbers themselves are checked against the libraries in test_golden.py; the
boundary values below are the ones the ecosystem notes list for each library
(timm's multistep at 29/59, Keras's piecewise at b + 1, optax's one-cycle end at T).
"""

from __future__ import annotations

import csv
import io
import json
import tomllib

import pytest

from lrplot import LrplotError, parse_spec, simulate
from lrplot.config import load_config
from lrplot.figures import figure
from lrplot.policies.torch_generator import rand, randn_stream


def lrs(cli, *args):
    result = cli(*args, "--format", "csv")
    assert result.code == 0, result.err
    return [float(row[1]) for row in list(csv.reader(io.StringIO(result.out)))[1:]]


def changes(column):
    return [t for t in range(1, len(column)) if column[t] != column[t - 1]]


# -- where the same idea changes at a different step -------------------------------------------------


def test_timm_multistep_decays_one_epoch_before_torch(cli):
    timm = lrs(cli, "timm", "multistep", "--lr", "1", "--decay-t", "30,60", "--decay-rate", "0.1", "-n", "70")
    torch = lrs(cli, "multistep", "--lr", "1", "--milestones", "30,60", "-n", "70")
    assert changes(timm) == [29, 59]
    assert changes(torch) == [30, 60]


def test_piecewise_boundaries_optax_at_b_keras_at_b_plus_1(cli):
    optax = lrs(
        cli, "optax", "piecewise-constant", "--init-value", "1", "--boundaries-and-scales", "100:0.1", "-n", "110"
    )
    keras = lrs(cli, "keras", "piecewise-constant-decay", "--boundaries", "100", "--values", "1,0.1", "-n", "110")
    assert changes(optax) == [100] and changes(keras) == [101]


def test_optax_cosine_onecycle_ends_at_t_torch_onecycle_at_t_minus_1(cli):
    optax = lrs(cli, "optax", "cosine-onecycle", "--transition-steps", "100", "--peak-value", "1", "-n", "101")
    torch = lrs(cli, "onecycle", "--max-lr", "1", "-n", "100")
    assert optax.index(max(optax)) == 30 and torch.index(max(torch)) == 29
    assert optax[100] == pytest.approx(4e-6) and torch[99] == pytest.approx(4e-6)
    assert optax[99] == pytest.approx(5e-4, rel=0.02)  # one step short of its end


def test_keras_polynomial_cycle_restarts_below_the_initial_lr(cli):
    column = lrs(cli, "keras", "polynomial-decay", "--initial-learning-rate", "1", "--decay-steps", "10",
                 "--end-learning-rate", "0", "--power", "2", "--cycle", "-n", "25")  # fmt: skip
    assert column[10] == 0.0
    assert column[11] == pytest.approx((1 - 11 / 20) ** 2)  # the horizon doubles; about 0.5^power of the range
    assert max(column[11:]) < 0.25


def test_keras_cosine_restarts_double_their_period_by_default(cli):
    column = lrs(cli, "keras", "cosine-decay-restarts", "--initial-learning-rate", "1", "--first-decay-steps", "10",
                 "-n", "80")  # fmt: skip
    assert [t for t in range(1, 80) if column[t] > column[t - 1]] == [10, 30, 70]


def test_keras_restarts_land_on_the_step_keras_puts_them_when_periods_shrink(cli):
    # t_mul 0.9: periods 10, 9, 8.1, ...; the third starts at step 19 exactly.  log(0.81) / log(0.9)
    # is 1 ulp below 2 in float64, and Keras's floor (float32) still calls it restart 2.
    column = lrs(cli, "keras", "cosine-decay-restarts", "--initial-learning-rate", "1", "--first-decay-steps", "10",
                 "--t-mul", "0.9", "--m-mul", "0.5", "-n", "30")  # fmt: skip
    assert column[19] == 0.25  # the top of restart 2: m_mul ** 2
    assert [t for t in range(1, 30) if column[t] > column[t - 1]] == [10, 19, 28]  # 27.1 falls between steps


def test_timm_tanh_never_reaches_lr_min_inside_a_cycle(cli):
    column = lrs(cli, "timm", "tanh", "--lr", "1", "--t-initial", "10", "--cycle-limit", "2", "-n", "22")
    assert column[10] == pytest.approx(0.99999, abs=1e-5)  # the second cycle starts at 0.99999 of the range
    assert min(column[:20]) > 0 and column[20:] == [0.0, 0.0]  # then snaps to lr_min after the last cycle


def test_timm_counts_in_epochs_unless_told_otherwise(cli, tmp_path):
    per_epoch = simulate(parse_spec("timm cosine --t-initial 10 -n 12"))
    per_update = simulate(parse_spec("timm cosine --t-initial 10 --no-t-in-epochs -n 12"))
    assert per_epoch.lr_columns == per_update.lr_columns
    assert (per_epoch.unit, per_update.unit) == ("epoch", "step")
    assert figure([per_update]).axes[0].get_xlabel() == "step"
    assert simulate(parse_spec("optax constant --value 1 -n 2")).unit == "step"


# -- noise ---------------------------------------------------------------------------------------


def test_timm_noise_is_labelled_approximate_in_help_and_figure(cli):
    help_text = cli("timm", "cosine", "--help").out
    assert "Noise is drawn with numpy" in help_text and "approximate" in help_text
    noisy = simulate(parse_spec("timm cosine --t-initial 50 --noise-range-t 10 -n 60"))
    assert "noise drawn with numpy" in noisy.title
    assert "noise drawn with numpy" in figure([noisy]).axes[0].get_title()
    assert "noise" not in simulate(parse_spec("timm cosine --t-initial 50 -n 60")).title
    together = figure([noisy, simulate(parse_spec("optax constant --value 1 -n 60"))], title="Mine")
    assert together.axes[0].get_title().startswith("Mine") and "noise drawn with numpy" in together.axes[0].get_title()


def test_timm_noise_follows_timm_rules():
    clean = simulate(parse_spec("timm cosine --t-initial 50 -n 60")).lr_columns[0]
    noisy = simulate(parse_spec("timm cosine --t-initial 50 --noise-range-t 10,30 --noise-pct 0.1 -n 60")).lr_columns[0]
    assert noisy[:10] == clean[:10] and noisy[30:] == clean[30:]  # only rows 10 <= t < 30
    ratios = [n / c - 1 for n, c in zip(noisy[10:30], clean[10:30])]
    assert all(abs(r) < 0.1 + 1e-12 for r in ratios) and len(set(ratios)) == 20
    again = simulate(parse_spec("timm cosine --t-initial 50 --noise-range-t 10,30 --noise-pct 0.1 -n 60"))
    assert again.lr_columns[0] == noisy  # seeded: the same every run


def test_a_noise_timm_would_redraw_for_ages_is_refused(cli):
    result = cli("timm", "cosine", "--t-initial", "10", "--noise-range-t", "2", "--noise-pct", "0.00001")
    assert result.code == 2
    assert "timm redraws the noise until |n| < noise_pct" in result.err


def test_the_replayed_generator_matches_torch_when_torch_is_here():
    torch = pytest.importorskip("torch")
    for seed in [0, 1, 42, 43, 12345, 2**32 + 5, -7]:
        generator = torch.Generator()
        generator.manual_seed(seed)
        expected = [torch.randn(1, generator=generator).item() for _ in range(5)]
        stream = randn_stream(seed)
        assert [next(stream) for _ in range(5)] == expected
        generator.manual_seed(seed)
        assert rand(seed) == torch.rand(1, generator=generator).item()


# -- how the families are reached ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "member"), [("timm", "plateau"), ("optax", "warmup-cosine-decay"), ("keras", "cosine-decay-restarts")]
)
def test_a_family_word_alone_lists_its_schedules(cli, family, member):
    result = cli(family)
    assert result.code == 2
    assert f"expected a schedule name after '{family}'" in result.err and member in result.err


def test_library_spellings_are_aliases(cli):
    assert parse_spec("CosineLRScheduler --t-initial 5").policy.command == "timm cosine"
    assert (
        parse_spec(
            "optax warmup_cosine_decay_schedule --init-value 0 --peak-value 1 --warmup-steps 1 --decay-steps 9"
        ).policy.command
        == "optax warmup-cosine-decay"
    )
    assert parse_spec("cosine_decay_schedule --init-value 1 --decay-steps 9").policy.command == "optax cosine-decay"
    assert (
        parse_spec("CosineDecayRestarts --initial-learning-rate 1 --first-decay-steps 9").policy.command
        == "keras cosine-decay-restarts"
    )
    assert (
        parse_spec("keras cosine_decay --initial-learning-rate 1 --decay-steps 9").policy.command
        == "keras cosine-decay"
    )
    assert parse_spec("cosine --t-max 5").policy.family == "torch"  # short names alone stay torch's


def test_lr_has_no_effect_on_optax_and_keras_and_one_lr_is_all_they_take(cli):
    result = cli("optax", "constant", "--value", "0.5", "--lr", "0.1", "-n", "3", "--format", "csv")
    assert result.code == 0 and "0.5" in result.out
    assert "--lr has no effect on optax constant" in result.err
    result = cli("keras", "exponential-decay", "--initial-learning-rate", "1", "--decay-steps", "2", "--decay-rate", "0.5",
                 "--lr", "0.1", "--lr", "0.2")  # fmt: skip
    assert result.code == 2 and "one lr for the whole optimizer" in result.err


def test_timm_scales_every_param_group(cli):
    series = simulate(parse_spec("timm step --lr 0.1 --lr 0.01 --decay-t 2 --decay-rate 0.5 -n 4"))
    assert series.lr_columns == [[0.1, 0.1, 0.05, 0.05], [0.01, 0.01, 0.005, 0.005]]


@pytest.mark.parametrize(
    ("command", "hint"),
    [
        ("timm cosine --t-initial 10", "--warmup-t and --warmup-lr-init"),
        ("optax cosine-decay --init-value 1 --decay-steps 10", "warmup-cosine-decay"),
        ("keras cosine-decay --initial-learning-rate 1 --decay-steps 10", "--warmup-steps and --warmup-target"),
    ],
)
def test_lrplots_warmup_is_refused_where_the_library_warms_up_itself(command, hint):
    with pytest.raises(LrplotError, match="--warmup is lrplot's torch-style warmup") as error:
        simulate(parse_spec(command + " --warmup 5"))
    assert hint in str(error.value)


def test_torch_composites_take_torch_style_children_only(cli):
    result = cli("sequential", "--schedule", "optax constant --value 1", "--schedule", "constant", "--milestones", "3")
    assert result.code == 2
    assert "is a optax schedule" in result.err or "is an optax schedule" in result.err


def test_optax_join_children_may_leave_out_the_family_word():
    spec = parse_spec(
        'optax join --schedule "linear --init-value 0 --end-value 1 --transition-steps 2" '
        '--schedule "optax constant --value 0.5" --boundaries 2'
    )
    assert [child.policy.command for child in spec.params["schedules"]] == ["optax linear", "optax constant"]
    assert parse_spec(spec.text).text == spec.text
    assert (
        spec.call
        == "join_schedules(schedules=[linear_schedule(init_value=0.0, end_value=1.0, transition_steps=2), constant_schedule(value=0.5)], boundaries=[2])"
    )
    with pytest.raises(LrplotError, match="is a torch schedule"):
        parse_spec('optax join --schedule "cosine --t-max 5" --schedule "constant --value 1" --boundaries 2')


def test_optax_join_refuses_a_boundary_count_optax_would_silently_truncate():
    with pytest.raises(LrplotError, match="3 schedules need 2 boundaries"):
        simulate(parse_spec("optax join --schedule 'constant --value 1' --schedule 'constant --value 2' "
                            "--schedule 'constant --value 3' --boundaries 5"))  # fmt: skip


def test_optax_sgdr_cycles_as_options_and_as_kwargs_dicts():
    spec = parse_spec('optax sgdr --cycle "--init-value 0 --peak-value 1 --warmup-steps 2 --decay-steps 6" '
                      '--cosine-kwargs "warmup-cosine-decay --init-value 0 --peak-value 0.5 --warmup-steps 1 --decay-steps 4"')  # fmt: skip
    assert spec.call.startswith("sgdr_schedule(cosine_kwargs=[{'init_value': 0.0, 'peak_value': 1.0,")
    column = simulate(spec).lr_columns[0]
    assert (column[2], column[6], column[7]) == (1.0, 0.0, 0.5)  # the second cycle warms up in 1 step


def test_config_files_spell_the_new_kinds_in_toml(tmp_path):
    config = tmp_path / "libs.toml"
    config.write_text(
        """
[[figure]]
name = "libs"
epochs = 30
curve = [
  { policy = "optax sgdr", cosine_kwargs = [
      { init_value = 0.0, peak_value = 1.0, warmup_steps = 2, decay_steps = 10 },
      { init_value = 0.0, peak_value = 0.5, warmup_steps = 2, decay_steps = 20 } ] },
  { policy = "optax join", boundaries = [5], schedules = [
      { policy = "linear", init_value = 0.0, end_value = 1.0, transition_steps = 5 },
      "cosine-decay --init-value 1 --decay-steps 25" ] },
  { policy = "optax piecewise-constant", init_value = 1.0, boundaries_and_scales = { 10 = 0.5, 20 = 0.1 } },
  { policy = "PiecewiseConstantDecay", boundaries = [10, 20], values = [1.0, 0.5, 0.05] },
  { policy = "timm multistep", decay_t = [10, 20], decay_rate = 0.5, noise_range_t = [5, 15] },
]
"""
    )
    assert tomllib.loads(config.read_text())  # plain TOML, nothing lrplot-specific in the syntax
    specs = load_config(config).figures[0].specs
    sgdr, join, optax_steps, keras_steps, timm = (simulate(s).lr_columns[0] for s in specs)
    assert sgdr[2] == 1.0 and sgdr[12] == 0.5
    assert join[5] == 1.0 and join[:5] == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8])
    assert changes(optax_steps) == [10, 20] and changes(keras_steps) == [11, 21]
    assert timm[4] == 0.1 and timm[5] != 0.1 and timm[15] == 0.05  # noise on rows 5..14 only; decay at 9


def test_compare_across_families_and_json_listing(cli):
    result = cli(
        "compare", "timm cosine --t-initial 90 --warmup-t 10 --warmup-prefix",
        "optax warmup-cosine-decay --init-value 0 --peak-value 1 --warmup-steps 10 --decay-steps 100",
        "keras cosine-decay --initial-learning-rate 0 --warmup-target 1 --warmup-steps 10 --decay-steps 90",
        "-n", "101", "--lr", "1", "--format", "csv",
    )  # fmt: skip
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))
    assert [round(float(v), 4) for v in rows[51][1:]] == [0.5868] * 3
    listing = {r["command"]: r for r in json.loads(cli("list", "--format", "json").out)}
    assert listing["timm multistep"]["family"] == "timm"
    assert listing["optax sgdr"]["family"] == "optax" and listing["keras cosine-decay"]["family"] == "keras"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["optax", "piecewise-constant", "--init-value", "1", "--boundaries-and-scales", "100=0.1"],
            "--boundaries-and-scales '100=0.1': expected STEP:SCALE pairs",
        ),
        (
            ["optax", "piecewise-constant", "--init-value", "1", "--boundaries-and-scales", "5:0.1,5:0.2"],
            "step 5 is given twice",
        ),
        (["optax", "piecewise-constant", "--init-value", "1", "--boundaries-and-scales", "-5:0.1"], "step '-5'"),
        (
            ["optax", "cosine-decay", "--init-value", "1", "--decay-steps", "0"],
            "The cosine_decay_schedule requires positive decay_steps, got decay_steps=0.",
        ),
        (
            ["keras", "piecewise-constant-decay", "--boundaries", "10", "--values", "1"],
            "The length of boundaries should be 1 less than the length of values.",
        ),
        (
            ["keras", "piecewise-constant-decay", "--boundaries", "10", "--values", "1,x"],
            "--values '1,x': expected numbers separated by commas",
        ),
        (["timm", "tanh", "--t-initial", "10", "--lb", "3"], "--lb 3.0 must be below --ub 3.0"),
        (["timm", "cosine"], "--t-initial is required"),
        (["timm", "cosine", "--t-initial", "10", "--noise-range-t", "30,10"], "--noise-range-t [30, 10]: expected"),
        (
            ["timm", "cosine", "--t-initial", "10", "--cycle-mul", "0.5", "-n", "40"],
            "timm's CosineLRScheduler fails when stepping to epoch 20",
        ),
        (["timm", "wsd", "--t-initial", "10", "--decay-t", "20"], "Invalid decay_t (20), must be in (0, t_initial]"),
        (  # 1 - t^k / T^k < 0 raised to power 0.5: timm hands the optimizer a complex lr
            ["timm", "poly", "--t-initial", "3", "--k-decay", "-1", "--no-t-in-epochs", "-n", "2"],
            "the schedule gives lr (8.659560562354935e-18+0.14142135623730953j) at epoch 1; "
            "a learning rate must be a finite real number",
        ),
    ],
)
def test_bad_input_gets_one_line_and_exit_2(cli, args, message):
    result = cli(*args)
    assert result.code == 2
    assert message in result.err, result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
