"""The Python API: a notebook user gets what the command line gives, as numpy arrays and matplotlib objects."""

from __future__ import annotations

import json

import numpy as np
import pytest

import lrplot
from lrplot import LrplotError


def test_a_spec_with_keywords_gives_the_cli_rows(cli):
    api = lrplot.simulate("step --step-size 10 --gamma 0.1", epochs=40, lr=0.05)
    result = cli("step", "--step-size", "10", "--gamma", "0.1", "-n", "40", "--lr", "0.05", "--format", "csv")
    assert api.to_csv() == result.out
    assert api.lr.shape == (40,)
    assert api.lr[9] == 0.05 and api.lr[10] == 0.05 * 0.1  # torch's chainable product, not 0.005
    assert api.index.tolist() == list(range(40))


def test_library_keywords_and_several_param_groups():
    s = lrplot.simulate("CosineAnnealingLR", T_max=100, epochs=100, lr=[0.1, 0.01])
    assert s.lr.shape == (100, 2)
    assert s.lr[0].tolist() == [0.1, 0.01]
    assert s.lr[50] == pytest.approx([0.05, 0.005])
    assert s.momentum is None  # CosineAnnealingLR leaves momentum alone
    assert s.label == "cosine --t-max 100 --lr 0.1 --lr 0.01 -n 100"


def test_lrplots_own_names_work_too_and_a_keyword_overrides_the_spec():
    by_name = lrplot.simulate("cosine", t_max=10, epochs=11)
    overridden = lrplot.simulate("cosine --t-max 50", t_max=10, epochs=11)
    assert by_name.lr.tolist() == overridden.lr.tolist()
    assert by_name.lr[10] == 0.0


def test_momentum_where_the_policy_cycles_it():
    s = lrplot.simulate("OneCycleLR", max_lr=1.0, total_steps=20, epochs=20, momentum=0.9)
    assert s.momentum.shape == (20,)
    assert s.momentum[0] == 0.95 and s.momentum.min() == pytest.approx(0.85)  # base 0.85, max 0.95
    assert s.lr.argmax() == s.momentum.argmin()


def test_other_families_from_python():
    hf = lrplot.simulate("hf cosine", num_warmup_steps=10, num_training_steps=100, epochs=100, lr=1.0)
    assert hf.lr[10] == 1.0 and hf.lr[0] == 0.0
    optax = lrplot.simulate("optax warmup-cosine-decay", init_value=0.0, peak_value=1.0, warmup_steps=10,
                            decay_steps=100, epochs=100)  # fmt: skip
    assert optax.lr[10] == 1.0


def test_csv_and_json_to_a_file_or_as_text(tmp_path):
    s = lrplot.simulate("step --step-size 2 --gamma 0.5", epochs=4)
    assert s.to_csv(tmp_path / "rows.csv") is None
    assert (tmp_path / "rows.csv").read_text() == s.to_csv() == "epoch,lr\n0,0.1\n1,0.1\n2,0.05\n3,0.05\n"
    s.to_json(str(tmp_path / "rows.json"))
    document = json.loads((tmp_path / "rows.json").read_text())
    assert document == json.loads(s.to_json())
    assert [row["lr"] for row in document["rows"]] == s.lr.tolist()


def test_errors_are_value_errors_with_the_cli_message(cli):
    with pytest.raises(ValueError) as error:
        lrplot.simulate("step --step-size 0")
    assert isinstance(error.value, LrplotError)
    assert f"lrplot: error: {error.value}" == cli("step", "--step-size", "0").err.strip()
    with pytest.raises(LrplotError, match="step_size is required"):
        lrplot.simulate("step", epochs=3)
    with pytest.raises(LrplotError, match="unknown policy 'stepp'"):
        lrplot.simulate("stepp", epochs=3)
    with pytest.raises(LrplotError, match="gama"):
        lrplot.simulate("step", step_size=3, gama=0.5)


def test_repr_is_a_short_summary():
    text = repr(lrplot.simulate("step --step-size 10 --gamma 0.1", epochs=40, lr=0.05))
    assert text == (
        "Series('step --step-size 10 --gamma 0.1 --lr 0.05 -n 40': 40 epochs, lr 0.05 -> 5e-05, min 5e-05, max 0.05)"
    )
    two = repr(lrplot.simulate("exponential --gamma 0.5", epochs=3, lr=[1.0, 2.0]))
    assert "lr_0 1 -> 0.25" in two and "lr_1 2 -> 0.5" in two
    assert "\n" not in two


def test_jupyter_shows_the_figure_as_svg():
    svg = lrplot.simulate("step --step-size 3", epochs=10)._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg


def test_plot_draws_onto_a_new_or_given_axes():
    s = lrplot.simulate("multistep --milestones 3,6", epochs=10, lr=[0.1, 0.2])
    ax = lrplot.plot(s)
    assert len(ax.lines) == 2
    assert ax.lines[1].get_ydata()[0] == 0.2
    again = lrplot.plot(lrplot.simulate("exponential --gamma 0.9", epochs=10), ax=ax, label="exp")
    assert again is ax and len(ax.lines) == 3 and ax.lines[2].get_label() == "exp"


def test_figure_of_several_schedules_is_the_cli_figure():
    a = lrplot.simulate("step --step-size 3", epochs=10)
    b = lrplot.simulate("cosine --t-max 10", epochs=10)
    fig = lrplot.figure([a, b], title="two", log_y=True)
    (ax,) = fig.axes
    assert ax.get_title() == "two" and ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [a.label, b.label]
    single = lrplot.figure(a)
    assert single.axes[0].get_title() == a.title


def test_policies_describe_every_schedule_with_defaults():
    every = lrplot.policies()
    assert {p["command"] for p in every} == {p.command for p in lrplot.all_policies()}
    step = next(p for p in every if p["command"] == "step")
    assert step["family"] == "torch" and step["name"] == "step"
    assert step["library_name"] == "torch.optim.lr_scheduler.StepLR"
    assert {x["name"]: x["default"] for x in step["parameters"]} == {"step_size": None, "gamma": 0.1}
    assert {p["family"] for p in lrplot.policies("timm")} == {"timm"}
    with pytest.raises(LrplotError, match="unknown family 'tim'"):
        lrplot.policies("tim")


def test_numpy_arrays_are_copies_a_user_may_change():
    s = lrplot.simulate("constant", epochs=5)
    s.lr[:] = 0
    assert np.all(s.lr > 0)


def test_drawing_a_figure_leaves_lrplot_plot_the_function():
    """Importing the figure module must not shadow ``lrplot.plot`` (a submodule import sets the attribute)."""
    lrplot.figure(lrplot.simulate("step --step-size 3", epochs=10))
    assert callable(lrplot.plot) and lrplot.plot.__module__ == "lrplot.api"
