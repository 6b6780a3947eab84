"""`lrplot render`: a docs writer keeps every schedule figure in sync with one command."""

from __future__ import annotations

import csv
import io
import os
import textwrap
from pathlib import Path

import matplotlib
import pytest
from conftest import ROOT

from lrplot import parse_spec, simulate
from lrplot.config import load_config
from lrplot.render import render_all

ISSUE_EXAMPLE = """
[defaults]
epochs = 100
lr = 0.1
formats = ["svg"]

[[figure]]
name = "warmup-cosine"
title = "Linear warmup, then cosine"
log_y = false
curve = [
  { policy = "sequential", milestones = [5], schedulers = [
      { policy = "linear", start_factor = 0.1, total_iters = 5 },
      { policy = "cosine", T_max = 95 } ] },
]

[[figure]]
name = "step-vs-cosine"
formats = ["svg", "png", "csv"]
curve = [
  { policy = "step", step_size = 30, gamma = 0.1, label = "StepLR(30)" },
  { policy = "CosineAnnealingLR", T_max = 100 },
]
"""


def write_config(folder: Path, text: str, name: str = "schedules.toml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def test_the_issue_example_renders_every_file(cli, tmp_path):
    config = write_config(tmp_path, ISSUE_EXAMPLE)
    result = cli("render", str(config))
    assert result.code == 0, result.err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "schedules.toml",
        "step-vs-cosine.csv",
        "step-vs-cosine.png",
        "step-vs-cosine.svg",
        "warmup-cosine.svg",
    ]
    assert "rendered 2 figures" in result.out and "4 file(s) written" in result.out
    rows = list(csv.reader(io.StringIO((tmp_path / "step-vs-cosine.csv").read_text())))
    assert rows[0] == ["epoch", "StepLR(30)", "CosineAnnealingLR(T_max=100)"]
    cosine = simulate(parse_spec("cosine --t-max 100 -n 100")).lr_columns[0]
    assert [float(r[2]) for r in rows[1:]] == cosine


def test_the_sequential_figure_matches_the_command_line(tmp_path):
    config = load_config(write_config(tmp_path, ISSUE_EXAMPLE))
    spec = config.figures[0].specs[0]
    assert (
        spec.text
        == parse_spec(
            'sequential --schedule "linear --start-factor 0.1 --total-iters 5" --schedule "cosine --t-max 95" '
            "--milestones 5 --lr 0.1 -n 100"
        ).text
    )


def test_rendering_again_rewrites_nothing(cli, tmp_path):
    config = write_config(tmp_path, ISSUE_EXAMPLE)
    cli("render", str(config))
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.glob("*.*")}
    result = cli("render", str(config))
    assert "0 file(s) written, 4 unchanged" in result.out
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.glob("*.*")} == before


def test_check_lists_missing_and_outdated_files_and_exits_1(cli, tmp_path):
    config = write_config(tmp_path, ISSUE_EXAMPLE)
    cli("render", str(config))
    assert cli("render", str(config), "--check").code == 0
    (tmp_path / "warmup-cosine.svg").unlink()
    (tmp_path / "step-vs-cosine.csv").write_text("stale\n")
    result = cli("render", str(config), "--check")
    assert result.code == 1
    assert f"out of date: {tmp_path / 'warmup-cosine.svg'} (missing)" in result.out
    assert f"out of date: {tmp_path / 'step-vs-cosine.csv'} (out of date)" in result.out
    assert not (tmp_path / "warmup-cosine.svg").exists()  # --check writes nothing


def test_parallel_equals_serial(tmp_path):
    config_path = write_config(tmp_path, ISSUE_EXAMPLE)
    config = load_config(config_path)
    serial = render_all(config, config.names, jobs=1)
    parallel = render_all(config, config.names, jobs=2)
    assert [o.files for o in serial] == [o.files for o in parallel]
    assert all(o.error is None for o in serial)


def test_two_renders_in_two_processes_are_byte_identical(cli, tmp_path):
    import subprocess
    import sys

    config = write_config(tmp_path, ISSUE_EXAMPLE)
    cli("render", str(config))
    first = {p.name: p.read_bytes() for p in tmp_path.glob("*.*")}
    other = tmp_path / "again"
    other.mkdir()
    subprocess.run(
        [sys.executable, "-m", "lrplot", "render", str(config), "--out-dir", str(other)],
        check=True, capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert {p.name: p.read_bytes() for p in other.iterdir()} == {
        k: v for k, v in first.items() if k != "schedules.toml"
    }


def test_only_renders_the_named_figures(cli, tmp_path):
    config = write_config(tmp_path, ISSUE_EXAMPLE)
    assert cli("render", str(config), "--only", "warmup-cosine").code == 0
    assert sorted(p.name for p in tmp_path.glob("*.svg")) == ["warmup-cosine.svg"]
    unknown = cli("render", str(config), "--only", "warmup-cosin")
    assert unknown.code == 2 and "did you mean 'warmup-cosine'?" in unknown.err


def test_out_dir_from_defaults_and_from_the_option(cli, tmp_path):
    config = write_config(
        tmp_path, '[defaults]\nout_dir = "figs"\n[[figure]]\nname = "a"\npolicy = "step"\nstep_size = 3\n'
    )
    assert cli("render", str(config)).code == 0
    assert (tmp_path / "figs" / "a.svg").exists()
    elsewhere = tmp_path / "elsewhere"
    assert cli("render", str(config), "--out-dir", str(elsewhere)).code == 0
    assert (elsewhere / "a.svg").exists()


def test_metric_files_are_relative_to_the_config(cli, tmp_path):
    (tmp_path / "losses.txt").write_text("1\n0.9\n0.95\n0.96\n0.97\n")
    config = write_config(
        tmp_path,
        '[[figure]]\nname = "p"\nformats = ["csv"]\npolicy = "plateau"\nmetrics = "losses.txt"\npatience = 1\n',
    )
    elsewhere = tmp_path / "run-from-here"
    elsewhere.mkdir()
    os.chdir(elsewhere)
    assert cli("render", str(config)).code == 0
    assert (tmp_path / "p.csv").read_text().splitlines()[-1] == "4,0.010000000000000002,0.97"


BAD_FIGURES = [
    ('policy = "stepp"\nstep_size = 3', "figure 'bad': unknown policy 'stepp'; did you mean 'step'?"),
    ('policy = "step"\nstep_sise = 3', "figure 'bad': step: unknown parameter 'step_sise'; did you mean 'step_size'?"),
    ('policy = "step"\nstep_size = "ten"', "figure 'bad': step: step_size = 'ten': expected an integer"),
    ('policy = "step"\nstep_size = 0', "figure 'bad': step: step_size = 0: expected an integer >= 1"),
    ('policy = "step"', "figure 'bad': step: step_size is required"),
    ('policy = "step"\nstep_size = 3\ndpi = 5', "figure 'bad': dpi = 5: expected an integer from 10 to 1200"),
    (
        'policy = "step"\nstep_size = 3\nformats = ["gif"]',
        "figure 'bad': formats = 'gif': expected one of svg, png, pdf, csv, json",
    ),
    ('policy = "plateau"\nmetrics = "missing.txt"', "figure 'bad': plateau: --metrics"),
    ('curve = [{ policy = "step", step_size = 3 }, { step_size = 3 }]', "figure 'bad': curve 2: missing key 'policy'"),
    ("curve = []", "figure 'bad': curve = []: expected a list of tables"),
    (
        'curve = [{ policy = "step", step_size = 3 }]\ntitel = "x"',
        "figure 'bad': unknown key 'titel'; did you mean 'title'?",
    ),
    ('title = "no policy"', "figure 'bad': expected a 'curve' list or an inline 'policy'"),
    (
        'policy = "onecycle"\nmax_lr = 0.1\ntotal_steps = 5\nepochs = 10',
        "figure 'bad': onecycle: Tried to step 6 times",
    ),
]


@pytest.mark.parametrize(("body", "message"), BAD_FIGURES, ids=[m.split(": ", 1)[1] for _, m in BAD_FIGURES])
def test_a_bad_figure_is_named_and_does_not_stop_the_others(cli, tmp_path, body, message):
    config = write_config(
        tmp_path,
        f'[[figure]]\nname = "good"\npolicy = "step"\nstep_size = 3\n\n[[figure]]\nname = "bad"\n{body}\n'
        '\n[[figure]]\nname = "also-good"\npolicy = "cosine"\nT_max = 10\n',
    )
    result = cli("render", str(config))
    assert result.code == 2
    errors = result.err.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"lrplot: error: {config}: ")
    assert message in errors[0]
    assert sorted(p.name for p in tmp_path.glob("*.svg")) == ["also-good.svg", "good.svg"]  # no file for "bad"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "c.toml: no such file"),
        ("[[figure]\nname = 1", "not valid TOML"),
        ("[defaults]\nepochs = 10\n", "no [[figure]] tables"),
        (
            "[defaults]\nepoch = 10\n[[figure]]\nname='a'\npolicy='step'\nstep_size=3",
            "[defaults]: unknown key 'epoch'; did you mean 'epochs'?",
        ),
        ("[figures]\nname = 'a'", "unknown key 'figures'; did you mean 'figure'?"),
        ("[[figure]]\nname = 'a/b'\npolicy = 'step'\nstep_size = 3", "figure #1: name = 'a/b': expected a file stem"),
    ],
)
def test_config_errors(cli, tmp_path, text, message):
    path = tmp_path / "c.toml"
    if text is not None:
        path.write_text(text)
    result = cli("render", str(path))
    assert result.code == 2 and message in result.err
    assert list(tmp_path.glob("*.svg")) == []


def test_duplicate_names_are_refused(cli, tmp_path):
    config = write_config(
        tmp_path, '[[figure]]\nname="a"\npolicy="step"\nstep_size=3\n[[figure]]\nname="a"\npolicy="step"\nstep_size=4\n'
    )
    result = cli("render", str(config))
    assert result.code == 2 and "figure 'a': the name is used twice" in result.err


def test_render_help(cli):
    out = cli("render", "--help").out
    for key in ("--out-dir", "--jobs", "--only", "--check", "formats", "log_y", "curve"):
        assert key in out


# -- the committed samples -----------------------------------------------------------------------

SAMPLES = sorted((ROOT / "samples").glob("*.toml"))
RENDERED_WITH = (ROOT / "samples" / "figures" / "RENDERED_WITH").read_text().split()


@pytest.mark.parametrize("config", SAMPLES, ids=[p.name for p in SAMPLES])
def test_committed_sample_figures_are_in_sync(cli, config):
    """`lrplot render samples/X.toml --check` passes: the figures in the repo are what lrplot draws.

    Figure bytes depend on matplotlib's version (the data files do not), so with another matplotlib
    only the CSV/JSON files are compared.
    """
    same_matplotlib = RENDERED_WITH == ["matplotlib", matplotlib.__version__]
    result = cli("render", str(config), "--check", "--jobs", "1")
    stale = [line for line in result.out.splitlines() if line.startswith("out of date:")]
    if not same_matplotlib:
        stale = [line for line in stale if ".csv " in line or ".json " in line]
    assert result.err == ""
    assert not stale, "re-render: lrplot render " + str(config.relative_to(ROOT))


def test_the_docs_gallery_has_every_torch_scheduler():
    config = load_config(ROOT / "samples" / "pytorch_docs.toml")
    from lrplot.registry import all_policies

    assert sorted(f.specs[0].policy.library_name for f in config.figures) == sorted(
        p.library_name for p in all_policies() if p.family == "torch"
    )
    assert all(f.specs[0].run["lr"] == [0.1] and f.specs[0].run["epochs"] == 100 for f in config.figures)
