"""The command line as a user runs it: tables, files, formats and errors."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT


def table_epochs(out: str) -> list[int]:
    """The epochs of the rows a Rich table shows (gap rows skipped)."""
    cells = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")]
    return [int(cell) for cell in cells if cell.isdigit()]


MAIN_JOB = ["step", "--step-size", "10", "--gamma", "0.1", "--lr", "0.05", "-n", "40"]


def test_main_job_prints_the_table_and_writes_the_figure(cli, tmp_path):
    out = tmp_path / "step.png"
    result = cli(*MAIN_JOB, "-o", str(out))
    assert result.code == 0, result.err
    assert "StepLR(step_size=10, gamma=0.1), lr=0.05" in result.out
    lines = result.out.splitlines()
    assert any(line.split("│")[1:3] == ["    39 ", " 5.0000000000000016e-05 "] for line in lines)
    assert "0.005000000000000001" in result.out and "40 rows · lr changes at 3 epochs" in result.out
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert f"wrote {out}" in result.err


def test_torch_class_name_runs_the_same_policy(cli):
    assert cli("StepLR", *MAIN_JOB[1:], "--format", "csv").out == cli(*MAIN_JOB, "--format", "csv").out


def test_csv_on_stdout_has_full_precision_and_the_contract_header(cli):
    result = cli(*MAIN_JOB, "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == ["epoch", "lr"]
    assert [int(r[0]) for r in rows[1:]] == list(range(40))
    assert rows[11] == ["10", "0.005000000000000001"]
    assert result.err == ""  # nothing but data on stdout, nothing else anywhere


def test_json_on_stdout_describes_the_schedule(cli):
    document = json.loads(cli(*MAIN_JOB, "--format", "json").out)
    assert document["policy"] == "step"
    assert document["library"] == "torch.optim.lr_scheduler.StepLR"
    assert document["params"] == {"step_size": 10, "gamma": 0.1}
    assert document["columns"] == ["epoch", "lr"]
    assert document["rows"][10] == {"epoch": 10, "lr": 0.005000000000000001}
    assert len(document["rows"]) == 40


def test_several_param_groups_get_numbered_columns(cli):
    rows = list(
        csv.reader(
            io.StringIO(
                cli("step", "--step-size", "2", "--lr", "0.1", "--lr", "0.01", "-n", "4", "--format", "csv").out
            )
        )
    )
    assert rows[0] == ["epoch", "lr_0", "lr_1"]
    assert rows[3] == ["2", repr(0.1 * 0.1), repr(0.01 * 0.1)]


def test_cyclic_shows_momentum_in_table_csv_and_json(cli):
    args = ["cyclic", "--base-lr", "0.01", "--max-lr", "0.1", "--step-size-up", "2", "-n", "5"]
    table = cli(*args)
    assert "momentum" in table.out
    rows = list(csv.reader(io.StringIO(cli(*args, "--format", "csv").out)))
    assert rows[0] == ["epoch", "lr", "momentum"]
    assert rows[1] == ["0", "0.01", "0.9"] and rows[3] == ["2", "0.1", "0.8"]
    assert json.loads(cli(*args, "--format", "json").out)["columns"] == ["epoch", "lr", "momentum"]
    no_cycle = list(csv.reader(io.StringIO(cli(*args, "--no-cycle-momentum", "--format", "csv").out)))
    assert no_cycle[0] == ["epoch", "lr"]


def test_cyclic_with_two_groups_numbers_momentum_columns(cli):
    args = [
        "cyclic",
        "--lr",
        "1",
        "--lr",
        "1",
        "--base-lr",
        "0.01",
        "--max-lr",
        "0.1",
        "--step-size-up",
        "2",
        "-n",
        "3",
    ]
    header = cli(*args, "--format", "csv").out.splitlines()[0]
    assert header == "epoch,lr_0,lr_1,momentum_0,momentum_1"


def test_plateau_rows_pair_each_epochs_metric_with_the_lr_used_in_it(cli, in_root):
    result = cli("plateau", "--lr", "10", "--metrics", "samples/metrics/seed_losses.txt", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == ["epoch", "lr", "metric"]
    assert len(rows) == 61  # -n defaults to one row per metric
    assert rows[1] == ["0", "10.0", "0.7329"]
    assert rows[12] == ["11", "10.0", "3.0342"] and rows[13] == ["12", "1.0", "2.9092"]


def test_plateau_reads_metrics_from_stdin_and_csv_columns(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("1.0\n0.9\n0.95\n0.96\n0.97\n"))
    result = cli("plateau", "--metrics", "-", "--patience", "1", "--format", "csv")
    assert [r.split(",")[1] for r in result.out.splitlines()[1:]] == [
        "0.1",
        "0.1",
        "0.1",
        "0.1",
        "0.010000000000000002",
    ]
    log = tmp_path / "log.csv"
    log.write_text("epoch,train_loss,val_loss\n0,2.0,1.0\n1,1.5,0.9\n")
    csv_result = cli("plateau", "--metrics", str(log), "--metric-column", "val_loss", "--format", "csv")
    assert csv_result.out.splitlines()[1:] == ["0,0.1,1.0", "1,0.1,0.9"]


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".csv", ".json"])
def test_every_output_format_is_written(cli, tmp_path, suffix):
    out = tmp_path / f"curve{suffix}"
    assert cli(*MAIN_JOB, "--no-table", "-o", str(out)).code == 0
    data = out.read_bytes()
    signature = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF", ".csv": b"epoch,lr\n0,0.05", ".json": b"{"}
    assert data.startswith(signature[suffix])


def test_several_outputs_at_once_and_csv_file_equals_stdout_csv(cli, tmp_path):
    paths = [tmp_path / name for name in ("a.png", "a.svg", "a.csv")]
    result = cli(*MAIN_JOB, *[w for p in paths for w in ("-o", str(p))], "--format", "csv")
    assert all(p.exists() for p in paths)
    assert paths[2].read_text() == result.out


def test_no_table_prints_nothing_on_stdout(cli, tmp_path):
    result = cli(*MAIN_JOB, "--no-table", "-o", str(tmp_path / "x.csv"))
    assert result.out == "" and result.code == 0


def test_digits_rounds_only_the_table(cli):
    table = cli(*MAIN_JOB, "--digits", "3")
    assert "0.005 " in table.out and "0.005000000000000001" not in table.out
    assert "0.005000000000000001" in cli(*MAIN_JOB, "--digits", "3", "--format", "csv").out


def test_long_tables_condense_and_say_so(cli):
    result = cli("step", "--step-size", "100", "-n", "1000")
    assert "condensed: 38 of 1,000 rows shown" in result.out
    shown = table_epochs(result.out)
    assert shown[:10] == list(range(10)) and shown[-10:] == list(range(990, 1000))
    assert {99, 100, 199, 200, 899, 900} <= set(shown) and 550 not in shown
    assert len(result.out.splitlines()) < 100


def test_piped_table_has_no_colour_codes():
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    result = subprocess.run(
        [sys.executable, "-m", "lrplot", *MAIN_JOB], capture_output=True, text=True, cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"},
    )  # fmt: skip
    assert result.returncode == 0 and "0.005000000000000001" in result.stdout
    assert "\x1b[" not in result.stdout


def test_a_closed_pipe_ends_quietly():
    process = subprocess.Popen(
        [sys.executable, "-m", "lrplot", "cosine", "--t-max", "200000", "-n", "200000", "--format", "csv"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert process.stdout.readline() == b"epoch,lr\n"
    process.stdout.close()  # like `| head -1`
    assert process.wait(timeout=60) == 0
    assert process.stderr.read() == b""


def test_closed_form_flag(cli):
    chainable = cli("exponential", "--gamma", "0.2", "--lr", "0.2", "-n", "5", "--format", "csv").out
    closed = cli("exponential", "--gamma", "0.2", "--lr", "0.2", "-n", "5", "--closed-form", "--format", "csv").out
    assert closed.splitlines()[5] == "4,0.0003200000000000001"
    assert chainable.splitlines()[5] != closed.splitlines()[5]


def test_sequential_and_chained_take_quoted_specs(cli):
    result = cli(
        "sequential", "--schedule", "linear --start-factor 0.1 --total-iters 5",
        "--schedule", "cosine --t-max 95", "--milestones", "5", "--format", "csv",
    )  # fmt: skip
    assert result.code == 0 and len(result.out.splitlines()) == 101
    assert result.out.splitlines()[6] == "5,0.1"


def test_log_y_warns_about_zero_lrs_and_still_draws(cli, tmp_path):
    out = tmp_path / "p.png"
    result = cli("lambda", "--expr", "epoch // 10", "-n", "30", "--log-y", "-o", str(out))
    assert result.code == 0 and out.exists()
    assert "warning: --log-y: 10 lr value(s) <= 0" in result.err


def test_a_negative_lr_that_torch_computes_is_shown_with_a_warning(cli):
    args = ["chained", "--lr", "0.003", "--schedule", "exponential --gamma 0.9"]
    result = cli(*args, "--schedule", "cosine --t-max 12 --eta-min 0.001", "-n", "16", "--format", "csv")
    assert result.code == 0
    assert result.out.splitlines()[-1] == "15,-0.00045124892079794225"  # torch 2.13 gives the same
    warning = next(line for line in result.err.splitlines() if "below zero" in line)
    assert warning.startswith(
        "lrplot: warning: the lr goes below zero (-0.0004512 at epoch 15), and SGD would step uphill"
    )
    assert "--eta-min 0.001" in warning and "use --eta-min 0" in warning  # the parameter, its value and the fix
    quiet = cli(*args, "--schedule", "cosine --t-max 12 --eta-min 0.001", "-n", "16", "--format", "csv", "-q")
    assert quiet.code == 0 and quiet.err == "" and quiet.out == result.out


# -- bad input: one line, exit 2, nothing written -----------------------------------------------


BAD = [
    (["stpe"], "unknown policy 'stpe'; did you mean 'step'?"),
    (["step"], "step: --step-size is required"),
    (["step", "--step-size"], "--step-size expects a value"),
    (["step", "--step-size", "ten"], "step: --step-size 'ten': expected an integer"),
    (["step", "--step-size", "0"], "step: --step-size 0: expected an integer >= 1"),
    (["step", "--step-size", "5", "--gama", "0.5"], "unknown option --gama; did you mean --gamma?"),
    (["step", "--step-size", "5", "--gamma", "nan"], "--gamma 'nan': expected a finite number"),
    (["step", "--step-size", "5", "--step-size", "6"], "--step-size given twice"),
    (["step", "--step-size", "5", "extra"], "unexpected argument 'extra'"),
    (["step", "--step-size", "5", "-n", "0"], "step: -n 0: expected an integer from 1 to 20000000"),
    (["step", "--step-size", "5", "-n", "100000000000"], "-n 100000000000: expected an integer from 1 to 20000000"),
    (["step", "--step-size", "5", "--lr", "-1"], "--lr -1.0: expected a finite number >= 0"),
    (["step", "--step-size", "5", "--format", "xml"], "--format 'xml': expected one of table, csv, json"),
    (["linear", "--start-factor", "0"], "--start-factor 0.0: expected a finite number in (0, 1]"),
    (["cosine", "--t-max", "0"], "--t-max 0: expected an integer > 0"),
    (["lambda", "--expr", "__import__('os')"], "calls to '__import__' are not allowed"),
    (["lambda", "--expr", "1 - epoch / 10", "-n", "20"], "the schedule gives lr -0.010000000000000009 at epoch 11"),
    (["lambda", "--expr", "0.1", "--expr", "0.2"], "Expected 1 lr_lambdas, but got 2"),
    (["cyclic", "--base-lr", "0.1", "--base-lr", "0.2", "--max-lr", "1"], "base_lr has 2 values, param_groups has 1"),
    (
        ["onecycle", "--max-lr", "0.1", "--total-steps", "50"],
        "Tried to step 51 times. The specified number of total steps is 50 (-n 100 steps it 100 times: give --total-steps 100 or more",
    ),
    (["multiplicative", "--expr", "0.9", "--closed-form"], "MultiplicativeLR has no closed form"),
    (["plateau"], "--metrics is required"),
    (["plateau", "--metrics", "missing.txt"], "--metrics missing.txt: no such file"),
    (
        ["sequential", "--schedule", "step --step-size 2 --lr 1", "--milestones", ""],
        "--lr cannot be set inside --schedule",
    ),
    (["sequential", "--schedule", "bogus", "--milestones", ""], "unknown policy 'bogus'"),
    (["sequential", "--schedule", "step --step-size 'x", "--milestones", ""], "cannot read SPEC"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a) or "empty" for a, _ in BAD])
def test_bad_input_is_one_line_exit_2_and_no_file(cli, tmp_path, args, message):
    out = tmp_path / "out.png"
    result = cli(*args, "-o", str(out)) if args[0] != "stpe" else cli(*args)
    assert result.code == 2
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lrplot: error: "), result.err
    assert message in lines[0]
    assert "Traceback" not in result.err
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("plot.gif", "unsupported suffix '.gif'"),
        ("plot", "-o plot: no suffix; expected one of"),
        ("missing-folder/plot.png", "folder 'missing-folder' does not exist"),
    ],
)
def test_bad_output_paths_are_refused_before_any_work(cli, tmp_path, monkeypatch, out, message):
    monkeypatch.chdir(tmp_path)
    result = cli(*MAIN_JOB, "-o", out)
    assert result.code == 2 and message in result.err and result.out == ""
    assert list(tmp_path.iterdir()) == []


def test_same_output_twice_is_refused(cli, tmp_path):
    out = str(tmp_path / "a.png")
    result = cli(*MAIN_JOB, "-o", out, "-o", out)
    assert result.code == 2 and "the same file is given twice" in result.err


def test_a_run_failing_while_stepping_leaves_existing_files_untouched(cli, tmp_path):
    keep, new = tmp_path / "keep.csv", tmp_path / "new.png"
    keep.write_text("precious\n")
    # valid options, but OneCycleLR cannot be stepped 10 times with total_steps=5: fails mid-run
    result = cli("onecycle", "--max-lr", "0.1", "--total-steps", "5", "-n", "10", "-o", str(keep), "-o", str(new))
    assert result.code == 2 and "Tried to step 6 times" in result.err
    assert keep.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.csv"]


def test_a_failing_write_leaves_every_file_as_it_was(cli, tmp_path, monkeypatch):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("old a\n")
    second.write_text("old b\n")
    import lrplot.output as output

    staged = output._stage
    calls = []

    def fail_on_second(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(path))
        return staged(path, data)

    monkeypatch.setattr(output, "_stage", fail_on_second)
    result = cli(*MAIN_JOB, "-o", str(first), "-o", str(second))
    assert result.code == 2
    assert result.err.strip() == f"lrplot: error: cannot write {second} (No space left on device)"
    assert first.read_text() == "old a\n" and second.read_text() == "old b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


def test_policy_help_and_list_and_version(cli):
    assert "Formula" in cli("cosine", "--help").out
    assert "CosineAnnealingLR" in cli("list").out
    assert cli("--version").out.startswith("lrplot 0.")
    top = cli("--help")
    assert top.code == 0 and "Policies" in top.out and "onecycle" in top.out


def test_list_with_an_unknown_format_is_one_line(cli):
    result = cli("list", "--format", "xml")
    assert result.code == 2
    assert result.err.strip() == "lrplot: error: list: --format 'xml': expected one of table, md, json"


def test_no_arguments_shows_the_help(cli):
    result = cli()
    assert result.code == 0 and "Usage: lrplot" in result.out and result.err == ""


def test_options_before_the_policy_are_explained(cli):
    result = cli("--lr", "0.1", "step")
    assert result.code == 2
    assert "options go after a policy name" in result.err


def test_option_spellings(cli):
    """--name=value, -n=5 and -n5 all work; --no-FLAG=true means the flag is off."""
    csv_of = lambda *a: cli(*a, "--format", "csv").out  # noqa: E731
    assert csv_of("step", "--step-size=2", "-n=3") == csv_of("step", "--step-size", "2", "-n3")
    header = cli(
        "cyclic", "--base-lr", "0.1", "--max-lr", "1", "--no-cycle-momentum=true", "-n", "2", "--format", "csv"
    )
    assert header.out.splitlines()[0] == "epoch,lr"
    titled = cli("step", "--step-size", "2", "--title", "--- run 3 ---", "--no-table")
    assert titled.code == 0


def test_a_negative_formula_value_is_not_taken_for_an_option(cli):
    result = cli("lambda", "--expr", "-epoch / 10 + 1", "-n", "3", "--format", "csv")
    assert result.out.splitlines()[1:] == ["0,0.1", "1,0.09000000000000001", "2,0.08000000000000002"]


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (
            "1200x675",
            "--size 1200x675: 180000x101250 pixels at --dpi 150; expected at most 16000 per side (add px for pixels: 1200x675px)",
        ),
        ("100000x100000px", "expected at most 16000 per side"),
        ("0.1x0.1", "expected at least 100 per side"),
    ],
)
def test_figure_sizes_that_cannot_be_drawn_are_refused_before_work(cli, tmp_path, size, message):
    out = tmp_path / "x.png"
    result = cli(*MAIN_JOB, "--size", size, "-o", str(out))
    assert result.code == 2 and message in result.err and not out.exists()


def test_pixel_sizes_give_that_many_pixels(cli, tmp_path):
    import struct

    out = tmp_path / "x.png"
    assert cli(*MAIN_JOB, "--size", "600x300px", "--dpi", "100", "-o", str(out), "--no-table").code == 0
    width, height = struct.unpack(">II", out.read_bytes()[16:24])
    assert (width, height) == (600, 300)


def test_dollar_signs_in_a_title_are_text_not_maths(cli, tmp_path):
    out = tmp_path / "x.svg"
    result = cli(*MAIN_JOB, "--title", "cost $\\frac{1}{$ (lr=$5)", "-o", str(out), "--no-table")
    assert result.code == 0, result.err


def test_options_that_change_nothing_are_pointed_out(cli):
    result = cli(*MAIN_JOB, "--title", "x", "--log-y", "--format", "csv", "--digits", "3")
    assert result.code == 0
    assert "warning: --title, --log-y only change(s) a figure" in result.err
    assert "warning: --digits only rounds the table" in result.err
    onecycle = cli("onecycle", "--max-lr", "0.1", "--lr", "0.5", "-n", "5", "--format", "csv")
    assert "--lr has no effect on onecycle" in onecycle.err


def test_torch_failures_name_the_epoch_and_the_parameters(cli):
    result = cli("constant", "--factor", "0", "--total-iters", "3", "-n", "5")
    assert result.code == 2
    assert result.err.strip() == (
        "lrplot: error: constant: torch's ConstantLR fails when stepping to epoch 3 for "
        "ConstantLR(factor=0.0, total_iters=3) (ZeroDivisionError: float division by zero)"
    )


def test_per_group_counts_hint_at_lr(cli):
    result = cli("onecycle", "--max-lr", "0.1", "--max-lr", "0.05")
    assert "Param groups come from --lr: give it 2 times" in result.err


def test_python_dash_m_runs_the_cli():
    result = subprocess.run(
        [sys.executable, "-m", "lrplot", *MAIN_JOB, "--format", "csv"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[11] == "10,0.005000000000000001"


@pytest.mark.skipif(shutil.which("lrplot") is None, reason="the lrplot script is installed by `pip install .`")
def test_installed_script_reports_errors_without_traceback(tmp_path):
    result = subprocess.run(["lrplot", "step", "--step-size", "x"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["lrplot: error: step: --step-size 'x': expected an integer"]
