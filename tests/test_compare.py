"""`lrplot compare`: several policies side by side, in the terminal and in files."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

from lrplot import parse_spec, simulate
from lrplot.compare import Comparison, default_label
from lrplot.figures import figure

SPECS = ["step --step-size 30 --gamma 0.1", "cosine --t-max 100", "onecycle --max-lr 0.1"]


def test_chart_summary_and_legend_in_the_terminal(cli):
    result = cli("compare", *SPECS, "-n", "100")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert all(len(line) <= 160 for line in lines)  # sized to the terminal (COLUMNS=160 in tests)
    chart = [line for line in lines if "┤" in line or "│ " in line[:8]]
    assert len(chart) >= 10
    # without colour each curve has its own glyph, and the legend says which
    assert "•• step --step-size 30 --gamma 0.1" in result.out
    assert "×× cosine --t-max 100" in result.out and "++ onecycle --max-lr 0.1" in result.out
    assert (
        any("•" in line for line in chart) and any("×" in line for line in chart) and any("+" in line for line in chart)
    )
    assert "first decay" in result.out and "mean lr" in result.out


def test_summary_figures_are_the_numbers(cli):
    document = json.loads(cli("compare", *SPECS, "-n", "100", "--format", "json").out)
    for spec_text, summary in zip(SPECS, document["summary"]):
        lrs = simulate(parse_spec(spec_text + " -n 100")).lr_columns[0]
        assert summary["start"] == lrs[0] and summary["final"] == lrs[-1]
        assert summary["peak"] == max(lrs) and summary["min"] == min(lrs)
        assert summary["first_decay"] == next(e for e in range(1, 100) if lrs[e] < lrs[e - 1])
        assert summary["changes"] == sum(lrs[e] != lrs[e - 1] for e in range(1, 100))
        assert summary["mean"] == pytest.approx(sum(lrs) / 100, rel=1e-15)
    step = document["summary"][0]
    assert (step["first_decay"], step["changes"]) == (30, 3)
    assert step["mean"] == pytest.approx((30 * 0.1 + 30 * 0.01 + 30 * 0.001 + 10 * 0.0001) / 100)


def test_summary_table_shows_the_same_numbers_rounded(cli):
    out = cli("compare", *SPECS, "-n", "100", "--no-chart").out
    row = next(line for line in out.splitlines() if "step --step-size 30" in line)
    assert row.split()[-7:] == ["0.1", "0.1", "0.0001", "0.0001", "30", "3", "0.03331"]


def test_csv_has_epoch_and_one_column_per_curve_named_by_label(cli, tmp_path):
    out = tmp_path / "cmp.csv"
    result = cli("compare", *SPECS[:2], "-n", "50", "--label", "StepLR(30)", "-o", str(out), "--no-table")
    assert result.code == 0 and result.out == ""
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0] == ["epoch", "StepLR(30)", "cosine --t-max 100"]
    assert len(rows) == 51
    assert rows[31] == ["30", repr(0.1 * 0.1), repr(simulate(parse_spec("cosine --t-max 100 -n 31")).lr_columns[0][30])]


def test_common_options_apply_unless_a_spec_sets_its_own(cli):
    rows = list(
        csv.reader(
            io.StringIO(
                cli(
                    "compare",
                    "step --step-size 2 -n 3 --lr 1",
                    "exponential --gamma 0.5",
                    "-n",
                    "5",
                    "--lr",
                    "0.2",
                    "--format",
                    "csv",
                ).out
            )
        )
    )
    assert rows[0] == ["epoch", "step --step-size 2 -n 3 --lr 1", "exponential --gamma 0.5"]
    assert rows[1:] == [
        ["0", "1.0", "0.2"], ["1", "1.0", "0.1"], ["2", "0.1", "0.05"], ["3", "", "0.025"], ["4", "", "0.0125"],
    ]  # fmt: skip


def test_several_param_groups_become_several_curves(cli):
    header = cli(
        "compare", "step --step-size 2 --lr 0.1 --lr 0.01", "cosine --t-max 5", "-n", "4", "--format", "csv"
    ).out.splitlines()[0]
    assert (
        header
        == "epoch,step --step-size 2 --lr 0.1 --lr 0.01 (group 0),step --step-size 2 --lr 0.1 --lr 0.01 (group 1),cosine --t-max 5"
    )


def test_duplicate_labels_are_made_unique():
    series = [simulate(parse_spec("step --step-size 2 -n 3")), simulate(parse_spec("step --step-size 2 -n 3"))]
    assert Comparison.of(series).labels == ["step --step-size 2 -n 3", "step --step-size 2 -n 3 (2)"]


def test_a_label_called_epoch_does_not_hide_the_epoch_column(cli):
    header = cli("compare", "step --step-size 2", "--label", "epoch", "-n", "2", "--format", "csv").out.splitlines()[0]
    assert header == "epoch,epoch (2)"


def test_long_specs_are_shortened_for_labels():
    spec = parse_spec(
        'sequential --schedule "linear --start-factor 0.1 --total-iters 5" --schedule "cosine --t-max 95" --milestones 5'
    )
    assert default_label(spec) == "sequential: linear → cosine at 5"
    long = parse_spec("cyclic --base-lr 0.001 --max-lr 0.1 --step-size-up 500 --mode triangular2")
    assert default_label(long).endswith("…") and len(default_label(long)) == 60


def test_log_y_chart_labels_decades(cli):
    out = cli("compare", *SPECS, "-n", "100", "--log-y").out
    assert "1e-2 ┤" in out or "1e-1 ┤" in out


def test_table_flag_adds_one_lr_column_per_curve(cli):
    out = cli("compare", *SPECS[:2], "-n", "12", "--table", "--no-chart").out
    header = next(line for line in out.splitlines() if line.startswith("┃ epoch"))
    assert "step --step-size 30 --gamma 0.1" in header and "cosine --t-max 100" in header
    assert "0.09704403844771128" in out  # cosine at epoch 11, exact


def test_long_epoch_tables_condense(cli):
    out = cli(
        "compare", "step --step-size 100", "multistep --milestones 250,700", "-n", "1000", "--table", "--no-chart"
    ).out
    assert "condensed:" in out


def test_narrow_terminal_degrades_to_the_summary(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "30")
    result = cli("compare", *SPECS, "-n", "100")
    assert result.code == 0
    text = " ".join(result.out.split())
    assert "too narrow for the chart" in text
    assert "first decay 30 · changes 3 · mean lr 0.03331" in text
    assert all(len(line) <= 30 for line in result.out.splitlines())


def test_overlay_figure_has_every_curve_with_its_label(tmp_path):
    series = [simulate(parse_spec(s + " -n 100")) for s in SPECS]
    comparison = Comparison.of(series, ["a", "b"])
    fig = figure(series, labels=comparison.labels)
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.lines] == ["a", "b", "onecycle --max-lr 0.1 -n 100"]
    assert [list(line.get_ydata()) for line in ax.lines] == [s.lr_columns[0] for s in series]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "onecycle --max-lr 0.1 -n 100"]
    assert len(fig.axes) == 2  # onecycle cycles momentum: a momentum panel


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".json"])
def test_overlay_files(cli, tmp_path, suffix):
    out = tmp_path / f"cmp{suffix}"
    assert cli("compare", *SPECS, "-n", "60", "-o", str(out), "--no-table").code == 0
    assert out.stat().st_size > 100
    if suffix == ".json":
        assert json.loads(out.read_text())["columns"] == ["epoch", *SPECS]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "compare: expected quoted SPECs"),
        (["step --step-size 0"], "step: --step-size 0: expected an integer >= 1"),
        (["stepp --step-size 3"], "unknown policy 'stepp'; did you mean 'step'?"),
        (["step --step-size 3", "--label", "a", "--label", "b"], "2 --label values for 1 SPECs"),
        (["step --step-size 3 -o x.png"], "-o is an output option: give it after the SPECs"),
        (["step --step-size 3", "--bogus"], "compare: unknown option --bogus"),
        (["step --step-size 3", "-n", "0"], "-n 0: expected an integer from 1 to 20000000"),
    ],
)
def test_bad_compare_input_is_one_line(cli, args, message):
    result = cli("compare", *args)
    assert result.code == 2, result.out
    assert result.err.strip().splitlines() == [f"lrplot: error: {message}"] or message in result.err
    assert len(result.err.strip().splitlines()) == 1 and result.out == ""


def test_compare_help(cli):
    result = cli("compare", "--help")
    assert result.code == 0
    for option in ("--label", "--table", "--log-y", "-n", "--lr", "--out", "--format"):
        assert option in result.out
    assert "mean lr" in result.out


def test_mean_is_the_area_under_the_curve_over_n():
    summary = Comparison.of([simulate(parse_spec("linear --start-factor 0.5 --total-iters 2 -n 4"))]).summaries()[0]
    assert summary.mean == math.fsum([0.05, 0.075, 0.1, 0.1]) / 4
