"""The fast paths give the stepped numbers: vectorized long runs, thinned curves, streamed CSV.

No timing is asserted here (see benchmarks/run.py); only that going fast
changes nothing a user can see.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from lrplot import parse_spec, simulate
from lrplot.figures import MAX_POINTS, figure, thin
from lrplot.policies.step_functions import StepFunction
from lrplot.policies.timm import TimmScheduler
from lrplot.policies.torch_base import LRScheduler
from lrplot.registry import all_policies

simulate_module = importlib.import_module("lrplot.simulate")  # lrplot.simulate is also the function
N = simulate_module.EXACT_STEPS + 20_000  # long enough to take the vectorized path

# (SPEC, bit for bit?) Product-form recursions are rebuilt in torch's multiplication order: exact.
LONG_RUNS = [
    ("step --step-size 7000 --gamma 0.5 --lr 0.1 --lr 0.3", True),
    ("step --step-size 7000 --gamma 0.5 --closed-form", False),
    ("multistep --milestones 5,5,20000,90000", True),
    ("multistep --milestones 5,5,20000,90000 --closed-form", False),
    ("constant --factor 0.3 --total-iters 17000", True),
    ("constant --factor 0.3 --total-iters 17000 --closed-form", True),
    ("linear --start-factor 0.01 --end-factor 0.7 --total-iters 33333", True),
    ("linear --start-factor 0.01 --total-iters 33333 --closed-form", False),
    ("exponential --gamma 0.99995", True),
    ("exponential --gamma 0.99995 --closed-form", False),
    ("polynomial --total-iters 100000 --power 0.9", False),
    ("polynomial --total-iters 100000 --power 2 --closed-form", False),
    ("cosine --t-max 37777 --eta-min 0.001", True),  # a tight loop of torch's own expressions
    ("cosine --t-max 37777 --eta-min 0.001 --closed-form", False),
    ("cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 3333", False),
    (
        "cyclic --lr 1 --lr 1 --base-lr 0.01 --base-lr 0.02 --max-lr 0.1 --step-size-up 3333 --step-size-down 1000 --mode triangular2",
        False,
    ),
    (
        "cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 3333 --mode exp_range --gamma 0.99999 --no-cycle-momentum",
        False,
    ),
    ("optax warmup-cosine-decay --init-value 0 --peak-value 0.1 --warmup-steps 3000 --decay-steps 150000", True),
    ("keras cosine-decay-restarts --initial-learning-rate 0.1 --first-decay-steps 5000", True),
    ("cosine-restarts --t-0 1000", False),
    ("cosine-restarts --t-0 1000 --t-mult 2 --eta-min 0.001", False),
    ("cosine-restarts --t-0 1000 --closed-form", False),
    ("onecycle --max-lr 0.1", False),
    ("onecycle --max-lr 0.1 --three-phase --anneal-strategy linear", False),
    ("onecycle --lr 1 --lr 1 --max-lr 0.1 --max-lr 0.5 --total-steps 200000", False),
]


def stepped(text: str, monkeypatch) -> object:
    with monkeypatch.context() as patch:
        patch.setattr(simulate_module, "EXACT_STEPS", 10**9)  # force torch's step-by-step path
        return simulate(parse_spec(text))


@pytest.mark.parametrize(("text", "exact"), LONG_RUNS, ids=[t for t, _ in LONG_RUNS])
def test_long_runs_match_stepping(text, exact, monkeypatch):
    spec_text = f"{text} -n {N}"
    fast = simulate(parse_spec(spec_text))
    slow = stepped(spec_text, monkeypatch)
    assert all(isinstance(c, np.ndarray) for c in fast.lr_columns), "the vectorized path was not taken"
    pairs = list(zip(fast.lr_columns + (fast.momentum_columns or []), slow.lr_columns + (slow.momentum_columns or [])))
    assert (fast.momentum_columns is None) == (slow.momentum_columns is None)
    for got, want in pairs:
        want = np.asarray(want)
        if exact:
            assert np.array_equal(got, want)
        else:
            # the README's promise beyond 100,000 steps: within 1e-12 of the peak lr
            assert np.max(np.abs(got - want)) <= 1e-12 * np.max(np.abs(want))


def test_every_policy_without_a_vectorized_form_is_stepped():
    vectorized = {
        p.command
        for p in all_policies()
        if getattr(p.factory, "vectorized", None) not in (None, LRScheduler.vectorized, TimmScheduler.vectorized)
    }
    function_schedules = {p.command for p in all_policies() if issubclass(p.factory, StepFunction)}
    assert {p.split()[0] for p in function_schedules} == {"optax", "keras"}  # evaluated over the whole run
    assert vectorized - function_schedules == {
        "step", "multistep", "constant", "linear", "exponential", "polynomial", "cosine",
        "cyclic", "cosine-restarts", "onecycle",
    }  # fmt: skip
    stepped_only = simulate(parse_spec(f"lambda --expr '0.99999 ** epoch' -n {N}"))
    assert isinstance(stepped_only.lr_columns[0], list)


def test_up_to_the_threshold_runs_are_stepped_exactly():
    series = simulate(parse_spec(f"onecycle --max-lr 0.1 -n {simulate_module.EXACT_STEPS}"))
    assert isinstance(series.lr_columns[0], list)


def test_stepping_past_total_steps_still_fails_like_torch_on_long_runs():
    from lrplot import LrplotError

    with pytest.raises(LrplotError, match=f"Tried to step {N // 2 + 1} times"):
        simulate(parse_spec(f"onecycle --max-lr 0.1 --total-steps {N // 2} -n {N}"))


def test_csv_of_a_vectorized_run_equals_the_stepped_csv(monkeypatch):
    text = f"step --step-size 7000 --gamma 0.5 -n {N}"
    assert simulate(parse_spec(text)).to_csv() == stepped(text, monkeypatch).to_csv()


# -- thinning long curves for figures ------------------------------------------------------------


def test_short_curves_are_drawn_whole():
    xs, ys = thin([0.1] * 100)
    assert list(xs) == list(range(100))


def test_a_long_step_curve_keeps_every_edge_exactly():
    column = simulate(parse_spec("multistep --milestones 1000,250001,999999 -n 1000000")).lr_columns[0]
    xs, ys = thin(column)
    assert len(xs) <= MAX_POINTS
    points = dict(zip(xs.tolist(), ys.tolist()))
    for edge in (1000, 250001, 999999):
        assert points[edge - 1] == column[edge - 1] and points[edge] == column[edge]
    assert points[0] == column[0] and points[999_999] == column[999_999]


def test_a_long_cyclic_curve_keeps_every_peak_and_trough():
    column = np.asarray(
        simulate(parse_spec("cyclic --base-lr 0.001 --max-lr 0.1 --step-size-up 4999 -n 1000000")).lr_columns[0]
    )
    xs, ys = thin(column)
    assert len(xs) <= MAX_POINTS + 2
    cycle = 2 * 4999
    for start in range(0, len(column) - cycle, cycle):
        part = column[start : start + cycle]
        assert part.max() in ys and part.min() in ys


def test_figure_of_a_long_run_draws_thinned_exact_points():
    series = simulate(parse_spec("onecycle --max-lr 0.1 -n 1000000"))
    line = figure([series]).axes[0].lines[0]
    xs, ys = line.get_xdata(), line.get_ydata()
    assert len(xs) <= MAX_POINTS + 2
    column = series.lr_columns[0]
    assert np.array_equal(ys, column[np.asarray(xs)])
    assert column.max() in ys and column.min() in ys
