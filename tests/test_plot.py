"""Figures, tested on their data (lines, axes, labels), not on pixels."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT

from lrplot import parse_spec, simulate
from lrplot.figures import figure, render


def series_of(text: str):
    return simulate(parse_spec(text))


def test_one_line_per_group_with_the_exact_values():
    series = series_of("step --step-size 3 --lr 0.1 --lr 0.01 -n 10")
    fig = figure([series])
    (ax,) = fig.axes
    assert len(ax.lines) == 2
    for line, column in zip(ax.lines, series.lr_columns):
        assert list(line.get_ydata()) == column
        assert list(line.get_xdata()) == list(range(10))
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["group 0 (lr=0.1)", "group 1 (lr=0.01)"]


def test_piecewise_constant_schedules_are_drawn_as_steps_smooth_ones_as_lines():
    assert figure([series_of("step --step-size 10 -n 40")]).axes[0].lines[0].get_drawstyle() == "steps-post"
    assert figure([series_of("cosine --t-max 40 -n 40")]).axes[0].lines[0].get_drawstyle() == "default"


def test_title_names_the_policy_and_its_parameters():
    ax = figure([series_of("step --step-size 10 --gamma 0.1 --lr 0.05 -n 40")]).axes[0]
    assert ax.get_title() == "StepLR(step_size=10, gamma=0.1), lr=0.05"
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "learning rate"
    assert figure([series_of("step --step-size 3")], title="Mine").axes[0].get_title() == "Mine"


def test_cycling_momentum_gets_its_own_panel():
    series = series_of("onecycle --max-lr 0.1 -n 50")
    fig = figure([series])
    lr_ax, momentum_ax = fig.axes
    assert momentum_ax.get_ylabel() == "momentum"
    assert list(momentum_ax.lines[0].get_ydata()) == series.momentum_columns[0]
    assert momentum_ax.get_xlabel() == "step"  # OneCycleLR is stepped per batch
    assert len(figure([series_of("onecycle --max-lr 0.1 --no-cycle-momentum -n 50")]).axes) == 1


def test_log_y_and_size():
    fig = figure([series_of("exponential --gamma 0.5 -n 30")], log_y=True, size=(1200, 600, "px"), dpi=100)
    assert fig.axes[0].get_yscale() == "log"
    assert tuple(fig.get_size_inches()) == (12.0, 6.0)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_rendering_twice_gives_the_same_bytes(fmt):
    series = series_of("cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 5 -n 40")
    assert render(figure([series]), fmt) == render(figure([series]), fmt)


def test_svg_is_valid_xml_without_a_date():
    svg = render(figure([series_of("step --step-size 3 -n 10")]), "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert b"<dc:date>" not in svg


def test_same_bytes_in_another_process(tmp_path, cli):
    """Docs diffs stay clean: a fresh process writes byte-identical files."""
    args = ["cosine", "--t-max", "20", "-n", "30", "--no-table"]
    here = tmp_path / "here.svg"
    cli(*args, "-o", str(here), "-o", str(tmp_path / "here.png"))
    subprocess.run(
        [sys.executable, "-m", "lrplot", *args, "-o", str(tmp_path / "there.svg"), "-o", str(tmp_path / "there.png")],
        check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    assert here.read_bytes() == (tmp_path / "there.svg").read_bytes()
    assert (tmp_path / "here.png").read_bytes() == (tmp_path / "there.png").read_bytes()


def test_table_only_runs_do_not_import_matplotlib():
    code = (
        "import sys; from lrplot.cli import main; main(['step', '--step-size', '3', '-n', '5']); "
        "print('matplotlib' in sys.modules, 'numpy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.splitlines()[-1] == "False False"


def test_importing_lrplot_imports_neither_typer_nor_matplotlib():
    code = "import sys, lrplot; print(any(m in sys.modules for m in ('typer', 'matplotlib', 'numpy')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "False"
