"""--resume-at K and --resume-mode: the run after a restart from a checkpoint, as torch gives it.

* the issue's StepLR example through the command line, and state-dict = the uninterrupted rows;
* every torch policy (composites and lrplot's warmup too, plus HF's and the recipes' LambdaLRs)
  in every mode against the committed golden values (``tests/golden/resumed``, recorded by
  ``tests/golden/record_resumed.py``), and against live torch whenever it is importable,
  including randomly generated command lines;
* what is refused: a resume point outside the run, modes a library cannot resume in, and what
  torch itself cannot rebuild; one line and exit status 2 each.
"""

from __future__ import annotations

import gzip
import json
import os
import shlex
import subprocess
import sys

import pytest
from golden.cases import INPUTS, SAMPLES
from golden.resume_cases import LONG_RESUME_CASES, MODES, RESUME_CASES, RESUMED_DIR, mode_text, resumed_path
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from oracle import library_available, run_library, run_library_resumed
from strategies import command_words

from lrplot import LrplotError, parse_spec
from lrplot.registry import all_policies
from lrplot.simulate import simulate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALL_CASES = {**RESUME_CASES, **LONG_RESUME_CASES}
ISSUE = ["step", "--step-size", "3", "--gamma", "0.5", "--lr", "0.1", "-n", "10", "--resume-at", "6"]


RECORDED_WITH = {"torch": "torch 2.13.0", "recipes": "torch 2.13.0", "hf": "transformers 5."}
INSTALL = {"torch": "torch==2.13.0", "recipes": "torch==2.13.0", "hf": "transformers"}


def family(template: str) -> str:
    return parse_spec(mode_text(template, "state-dict")).policy.family


def needs_library(template: str):
    name = family(template)
    return pytest.mark.skipif(not library_available(name), reason=f"the library is not installed ({INSTALL[name]})")


def bits(columns):
    """Exact comparison, -0.0 and NaN included: compare the floats' hex forms."""
    return None if columns is None else [[float.hex(float(v)) for v in column] for column in columns]


def run(text: str):
    return simulate(parse_spec(text))


def load_resumed(case_id: str) -> dict:
    path = resumed_path(case_id)
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return json.loads(raw)


# -- the issue's example and the meaning of each mode -------------------------------------------


def test_the_issue_example_through_python_m_lrplot():
    command = [sys.executable, "-m", "lrplot", *ISSUE, "--resume-mode", "last-epoch", "--format", "csv"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == ["epoch,lr", "6,0.0125"]
    assert done.stdout.splitlines()[1:] == ["6,0.0125", "7,0.0125", "8,0.0125", "9,0.00625"]


@pytest.mark.parametrize(
    ("mode", "rows"),
    [
        ("state-dict", ["6,0.025", "7,0.025", "8,0.025", "9,0.0125"]),  # = the uninterrupted run
        ("last-epoch", ["6,0.0125", "7,0.0125", "8,0.0125", "9,0.00625"]),  # epoch 6's decay applied twice
        ("last-epoch-fresh", ["6,0.05", "7,0.05", "8,0.05", "9,0.025"]),  # the recursion restarts from --lr
    ],
)
def test_each_mode_of_the_issue_example(cli, mode, rows):
    result = cli(*ISSUE, "--resume-mode", mode, "--format", "csv")
    assert result.code == 0
    assert result.out.splitlines() == ["epoch,lr", *rows]


def test_state_dict_is_the_default(cli):
    assert cli(*ISSUE, "--format", "csv").out == cli(*ISSUE, "--resume-mode", "state-dict", "--format", "csv").out


@pytest.mark.parametrize(
    "text",
    [
        "step --step-size 3 --gamma 0.5 --lr 0.1 -n 10",
        "onecycle --max-lr 0.1 --lr 0.1 --lr 0.1 --max-lr 0.3 -n 50",  # momentum, two groups
        "plateau --lr 10 --metrics {samples}/metrics/seed_losses.txt --patience 2",  # metrics
        "cosine --t-max 95 --warmup 5 -n 40",
        "timm cosine --lr 1 --t-initial 30 --warmup-t 5 -n 40",
        "optax warmup-cosine-decay --init-value 0 --peak-value 1 --warmup-steps 5 --decay-steps 30 -n 40",
        "keras cosine-decay-restarts --initial-learning-rate 1 --first-decay-steps 10 -n 40",
        "pix2pix -n 30",
    ],
)
def test_state_dict_is_the_uninterrupted_run_from_k(text):
    text = text.format(samples=SAMPLES)
    whole = run(text)
    start = whole.epochs // 3
    resumed = run(f"{text} --resume-at {start}")
    assert resumed.first_row == start
    assert bits(resumed.lr_columns) == bits([column[start:] for column in whole.lr_columns])
    assert bits(resumed.uninterrupted) == bits(whole.lr_columns)
    if whole.momentum_columns is not None:
        assert bits(resumed.momentum_columns) == bits([column[start:] for column in whole.momentum_columns])
    assert resumed.metrics == (None if whole.metrics is None else whole.metrics[start:])
    assert [row[0] for row in resumed.rows()] == list(range(start, whole.epochs))
    assert [row[1:] for row in resumed.rows()] == [row[1:] for row in whole.rows()][start:]


def test_a_long_run_keeps_numpy_columns_and_the_same_rows():
    """Runs over 100,000 steps come back as numpy arrays; the resumed one is stepped like the short one."""
    short = run("onecycle --max-lr 0.1 --total-steps 200000 -n 100 --resume-at 60 --resume-mode last-epoch")
    long = run("onecycle --max-lr 0.1 --total-steps 200000 -n 100001 --resume-at 60 --resume-mode last-epoch")
    assert type(long.lr_columns[0]).__name__ == "ndarray"
    assert type(long.momentum_columns[0]).__name__ == "ndarray"
    assert len(long.lr_columns[0]) == 100001 - 60
    assert bits([c[:40] for c in long.lr_columns]) == bits(short.lr_columns)
    assert bits([c[:40] for c in long.momentum_columns]) == bits(short.momentum_columns)
    sliced = run("step --step-size 3 -n 100001 --resume-at 6")
    assert type(sliced.lr_columns[0]).__name__ == "ndarray" and sliced.first_row == 6


# -- the golden values: every torch policy, every mode ------------------------------------------


def test_every_resumed_file_belongs_to_a_case():
    assert {p.name for p in RESUMED_DIR.iterdir()} == {resumed_path(c).name for c in ALL_CASES}


def test_every_torch_policy_is_resumed_in_every_mode():
    torch_policies = {p.command for p in all_policies() if p.family == "torch"}
    covered = set()
    for template in ALL_CASES.values():
        spec = parse_spec(mode_text(template, "state-dict"))
        stack = [spec]
        while stack:  # the children of composites count too
            child = stack.pop()
            covered.add(child.policy.command)
            for value in child.params.values():
                if isinstance(value, list):
                    stack += [v for v in value if hasattr(v, "policy")]
    assert torch_policies <= covered
    assert any("--warmup " in t and "--warmup-overlap" not in t for t in ALL_CASES.values())
    assert any("--closed-form" in t for t in ALL_CASES.values())
    assert all(set(load_resumed(c)["modes"]) == set(MODES) for c in ALL_CASES)


def _check_against(spec_text: str, expected: dict) -> None:
    """lrplot's resumed rows are ``expected`` bit for bit, or lrplot refuses as torch fails."""
    spec = parse_spec(spec_text)
    if "exception" in expected:
        with pytest.raises(LrplotError) as error:
            simulate(spec)
        message = str(error.value)
        assert f"{expected['exception']}: {expected['message']}" in message
        assert "\n" not in message
        return
    series = simulate(spec)
    assert series.first_row == spec.run["resume_at"]
    assert bits(series.lr_columns) == bits(expected["lr"])
    assert bits(series.momentum_columns) == bits(expected["momentum"])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case_id", list(ALL_CASES))
def test_matches_the_recorded_resume(case_id, mode):
    golden = load_resumed(case_id)
    assert golden["spec"] == ALL_CASES[case_id], "stale: re-run tests/golden/record_resumed.py"
    assert golden["library"].startswith(RECORDED_WITH[family(ALL_CASES[case_id])])
    expected = golden["modes"][mode]
    if "exception" not in expected:
        assert expected["first_row"] == parse_spec(mode_text(ALL_CASES[case_id], mode)).run["resume_at"]
    _check_against(mode_text(ALL_CASES[case_id], mode), expected)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case_id", [pytest.param(c, marks=needs_library(t)) for c, t in ALL_CASES.items()])
def test_matches_the_live_resume(case_id, mode):
    text = mode_text(ALL_CASES[case_id], mode)
    try:
        rows = run_library_resumed(parse_spec(text))
    except Exception as error:
        expected = {"exception": type(error).__name__, "message": str(error)}
    else:
        expected = {"lr": rows["lr"], "momentum": rows["momentum"]}
    _check_against(text, expected)


LIVE_FAMILIES = ("torch", "hf", "recipes")
LIVE_POLICIES = [p for p in all_policies() if p.family in LIVE_FAMILIES and p.name != "pix2pix"]


@pytest.mark.skipif(
    not all(library_available(f) for f in LIVE_FAMILIES), reason="needs torch and transformers installed"
)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(data=st.data())
def test_random_resumes_match_live_torch(data):
    """Any valid command line, resumed anywhere in any mode, gives torch's rows or fails where torch fails."""
    policy = data.draw(st.sampled_from(LIVE_POLICIES), label="policy")
    words = data.draw(command_words(policy, max_epochs=60, warmup=True))
    epochs = int(words[words.index("-n") + 1])
    assume(epochs >= 2)
    words += ["--resume-at", str(data.draw(st.integers(1, epochs - 1)))]
    words += ["--resume-mode", data.draw(st.sampled_from(MODES))]
    spec = parse_spec(shlex.join(words))
    try:
        expected = run_library_resumed(spec)
    except Exception:  # torch cannot run it: lrplot must refuse too
        with pytest.raises(LrplotError):
            simulate(spec)
        return
    try:
        series = simulate(spec)
    except LrplotError:
        # lrplot shows a resumed run next to the uninterrupted one, so it refuses when that one fails
        # in torch (OneCycleLR stepped past total_steps after the checkpoint), or gives a wrong lr
        try:
            whole = run_library(parse_spec(shlex.join(words[:-4])))
        except Exception:
            return
        values = [v for column in whole["lr"] + expected["lr"] for v in column]
        assert any(not (v >= 0 and v < float("inf")) for v in values)
        return
    assert bits(series.lr_columns) == bits(expected["lr"])
    assert bits(series.momentum_columns) == bits(expected["momentum"])


# -- what is refused ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (
            ["step", "--step-size", "3", "-n", "40", "--resume-at", "40"],
            "--resume-at 40: expected an epoch below the run's length (-n 40)",
        ),
        (["step", "--step-size", "3", "-n", "40", "--resume-at", "99"], "--resume-at 99: expected an epoch below"),
        (
            ["onecycle", "--max-lr", "0.1", "-n", "10", "--resume-at", "10"],
            "expected a step below the run's length (-n 10)",
        ),
        (["step", "--step-size", "3", "--resume-at", "0"], "--resume-at 0"),
        (["step", "--step-size", "3", "--resume-at", "x"], "--resume-at 'x': expected an integer"),
    ],
)
def test_a_resume_point_outside_the_run_is_refused(cli, words, expected):
    result = cli(*words)
    assert result.code == 2
    assert result.out == ""
    assert expected in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize("mode", ["last-epoch", "last-epoch-fresh"])
@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("timm cosine --t-initial 20 -n 30", "timm's train.py rebuilds the scheduler and calls scheduler.step("),
        ("timm plateau --metrics {samples}/metrics/seed_losses.txt", "does not checkpoint it"),
        ("optax cosine-decay --init-value 1 --decay-steps 20 -n 30", "functions of the update count"),
        ("keras exponential-decay --initial-learning-rate 1 --decay-steps 3 --decay-rate 0.5 -n 30", "iterations"),
        ("pix2pix -n 30", "--epoch_count"),
        ("pix2pix --step-at end -n 30", "--epoch_count"),
        ("sequential --schedule constant --schedule 'pix2pix --step-at end' --milestones 3 -n 30", "--epoch_count"),
    ],
)
def test_modes_a_library_cannot_resume_in_are_refused(cli, text, why, mode):
    words = shlex.split(text.format(samples=SAMPLES, inputs=INPUTS))
    result = cli(*words, "--resume-at", "5", "--resume-mode", mode)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert f"--resume-mode {mode}: " in result.err
    assert why in result.err
    assert "--resume-mode state-dict" in result.err
    assert cli(*words, "--resume-at", "5", "--resume-mode", "state-dict", "--format", "csv").code == 0


@pytest.mark.parametrize(
    "text",
    [
        "onecycle --max-lr 0.1 -n 50",
        "onecycle --max-lr 0.1 -n 50 --three-phase --no-cycle-momentum",
        "chained --schedule 'exponential --gamma 0.9' --schedule 'onecycle --max-lr 1 --total-steps 50' -n 50",
    ],
)
def test_what_torch_cannot_rebuild_on_a_fresh_optimizer_is_refused(cli, text):
    result = cli(*shlex.split(text), "--resume-at", "30", "--resume-mode", "last-epoch-fresh")
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert "torch's OneCycleLR fails when rebuilt with last_epoch=29 on a fresh optimizer (KeyError: '" in result.err
    assert cli(*shlex.split(text), "--resume-at", "30", "--resume-mode", "last-epoch", "--format", "csv").code == 0


def test_runs_that_are_not_resumed_are_untouched():
    """The rebuild's last_epoch reaches only resumed runs: plain runs carry no key for it."""
    plain = run("sequential --schedule 'linear --total-iters 3' --schedule 'cosine --t-max 10' --milestones 3 -n 20")
    assert plain.first_row == 0 and plain.uninterrupted is None
    assert "last_epoch" not in plain.run


# -- what the user sees of a resumed run ---------------------------------------------------------------

RESUMED = ("step", "--step-size", "3", "--gamma", "0.5", "--lr", "0.1", "-n", "10", "--resume-at", "6")


def test_the_table_numbers_rows_from_k_and_a_warning_says_where_the_runs_part(cli):
    result = cli(*RESUMED, "--resume-mode", "last-epoch")
    assert result.code == 0
    numbers = [line.split("│")[1].strip() for line in result.out.splitlines() if line.count("│") > 2]
    assert numbers == ["6", "7", "8", "9"]  # K..N-1
    assert result.out.splitlines()[0] == "StepLR(step_size=3, gamma=0.5), lr=0.1, resumed at epoch 6 (last-epoch)"
    assert result.err.strip() == (
        "lrplot: warning: --resume-at 6 --resume-mode last-epoch: from epoch 6 the lr is 0.0125 where the "
        "uninterrupted run has 0.025"
    )
    assert cli(*RESUMED).err == ""  # state-dict: nothing to warn about


def test_json_says_where_the_run_resumed(cli):
    document = json.loads(cli(*RESUMED, "--resume-mode", "last-epoch-fresh", "--format", "json").out)
    assert (document["resume_at"], document["resume_mode"]) == (6, "last-epoch-fresh")
    assert [row["epoch"] for row in document["rows"]] == [6, 7, 8, 9]
    assert "resume_at" not in json.loads(cli("step", "--step-size", "3", "--format", "json").out)


def test_the_figure_draws_the_uninterrupted_run_faintly_behind_the_resumed_one():
    import lrplot

    series = lrplot.simulate(" ".join(RESUMED), resume_mode="last-epoch")
    (ax,) = lrplot.figure(series).axes
    resumed, behind = ax.lines[0], ax.lines[1]
    assert list(resumed.get_xdata()) == [6, 7, 8, 9] and list(resumed.get_ydata()) == [0.0125, 0.0125, 0.0125, 0.00625]
    assert len(behind.get_xdata()) == 10 and behind.get_alpha() < 1 and behind.get_color() == resumed.get_color()
    assert ax.get_xlim()[1] == 9


def test_compare_resumed_modes_side_by_side(cli):
    result = cli("compare", "step --step-size 3 --gamma 0.5 --resume-mode last-epoch", "step --step-size 3 --gamma 0.5",
                 "-n", "10", "--resume-at", "6", "--format", "csv")  # fmt: skip
    assert result.code == 0
    assert result.out.splitlines()[1:] == ["6,0.0125,0.025", "7,0.0125,0.025", "8,0.0125,0.025", "9,0.00625,0.0125"]
    mixed = cli("compare", "step --step-size 3 --resume-at 4", "step --step-size 3", "-n", "10")
    assert mixed.code == 2 and "start at different epochs (0, 4)" in mixed.err
