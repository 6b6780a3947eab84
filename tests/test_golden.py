"""lrplot's numbers are the libraries' numbers, bit for bit.

Three layers of proof:

* the committed golden values (``tests/golden/recorded``, recorded by
  ``tests/golden/record.py`` from torch 2.13, transformers, timm, optax and
  Keras) for every
  policy, several param groups, momentum, warmups and 10,000-step runs:
  checked on every machine;
* the same cases against the live library whenever it is importable;
* randomly generated command lines for every policy against the live library.
"""

from __future__ import annotations

import gzip
import json
import math
import shlex

import pytest
from golden.cases import CASES, ERROR_CASES, LONG_CASES, RECORDED_DIR, golden_path, spec_text
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from oracle import library_available, run_library
from strategies import command_words

from lrplot import LrplotError, lookup, parse_spec, simulate
from lrplot.registry import all_policies

ALL_CASES = {**CASES, **LONG_CASES}
RECORDED_WITH = {
    "torch": "torch 2.13.0",
    "recipes": "torch 2.13.0",
    "hf": "transformers 5.",
    "timm": "timm 1.0.",
    "optax": "optax 0.2.",
    "keras": "keras 3.",
}
INSTALL = {
    "torch": "pip install torch==2.13.0",
    "recipes": "pip install torch==2.13.0",
    "hf": "pip install transformers",
    "timm": "pip install --no-deps timm",
    "optax": "pip install optax",
    "keras": "pip install keras jax",
}
FLOAT_TOLERANCE = {"optax": 1e-14, "keras": 2.0**-22}
"""Families computed in array code: lrplot's float64 numpy against the library's float64 JAX
(optax: last-bit differences of cos and pow) or its float32 cos (Keras, even with floatx float64),
relative to the largest value the formula works with: the run's peak lr or a value parameter
(``1 - (1 - c/T) ** 1e-7`` rounds at the scale of 1 though the result is 1e-8).  Every other
family is compared bit for bit."""


def family(template: str) -> str:
    return parse_spec(spec_text(template)).policy.family


def needs_library(template_or_family: str):
    name = template_or_family if template_or_family in INSTALL else family(template_or_family)
    return pytest.mark.skipif(not library_available(name), reason=f"the library is not installed ({INSTALL[name]})")


def bits(columns):
    """Exact comparison, -0.0 and NaN included: compare the floats' hex forms."""
    return None if columns is None else [[float.hex(float(v)) for v in column] for column in columns]


def operand_scale(spec) -> float:
    """The largest magnitude among the spec's float parameters (init_value, end_value, ...)."""
    values = [v for v in spec.params.values() if isinstance(v, float) and math.isfinite(v)]
    return max(map(abs, values), default=0.0)


def assert_same_lrs(spec, got, expected) -> None:
    """lrplot's columns are the library's: bit for bit, or within the family's float tolerance."""
    family = spec.policy.family
    if family not in FLOAT_TOLERANCE:
        assert bits(got) == bits(expected)
        return
    assert len(got) == len(expected)
    for column, reference in zip(got, expected):
        assert len(column) == len(reference)
        scale = max(max((abs(v) for v in reference), default=0.0), operand_scale(spec)) or 1.0
        worst = max((abs(float(a) - b) for a, b in zip(column, reference)), default=0.0)
        assert worst <= FLOAT_TOLERANCE[family] * scale, f"differs by {worst / scale:.3g} of the peak"


def load_golden(case_id: str) -> dict:
    path = golden_path(case_id)
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return json.loads(raw)


@pytest.mark.parametrize("case_id", list(ALL_CASES))
def test_matches_the_recorded_library(case_id):
    golden = load_golden(case_id)
    assert golden["spec"] == ALL_CASES[case_id], "golden file is stale: re-run tests/golden/record.py"
    assert golden["library"].startswith(RECORDED_WITH[family(ALL_CASES[case_id])])
    spec = parse_spec(spec_text(ALL_CASES[case_id]))
    series = simulate(spec)
    assert series.epochs == golden["epochs"]
    assert_same_lrs(spec, series.lr_columns, golden["lr"])
    assert bits(series.momentum_columns) == bits(golden["momentum"])


@pytest.mark.parametrize("case_id", list(ERROR_CASES))
def test_refuses_what_the_library_refuses(case_id):
    golden = json.loads((RECORDED_DIR / f"error-{case_id}.json").read_text())
    assert golden["spec"] == ERROR_CASES[case_id]
    with pytest.raises(LrplotError) as error:
        simulate(parse_spec(spec_text(ERROR_CASES[case_id])))
    message = str(error.value)
    assert (golden["message"] or golden["exception"]) in message
    assert "\n" not in message


def test_every_golden_file_belongs_to_a_case():
    expected = {golden_path(c).name for c in ALL_CASES}
    expected |= {f"error-{c}.json" for c in ERROR_CASES}
    assert {p.name for p in RECORDED_DIR.iterdir()} == expected


@pytest.mark.parametrize("policy", [p.command for p in all_policies()])
def test_every_policy_has_golden_cases(policy):
    def covers(templates):
        return any(parse_spec(spec_text(t)).policy.command == policy for t in templates)

    assert covers(CASES.values()), f"add a golden case for {policy}"
    if lookup(policy).family == "torch":  # the torch family proves 10,000 steps of each recursion
        long_ids = [c for c, t in LONG_CASES.items() if parse_spec(spec_text(t)).policy.command == policy]
        assert long_ids, f"add a 10,000-step golden case for {policy}"
        assert all(load_golden(c)["epochs"] >= 10_000 for c in long_ids)


@pytest.mark.parametrize("case_id", [pytest.param(c, marks=needs_library(t)) for c, t in ALL_CASES.items()])
def test_matches_the_live_library(case_id):
    spec = parse_spec(spec_text(ALL_CASES[case_id]))
    expected = run_library(spec)
    series = simulate(spec)
    assert_same_lrs(spec, series.lr_columns, expected["lr"])
    assert bits(series.momentum_columns) == bits(expected["momentum"])


@pytest.mark.parametrize("case_id", [pytest.param(c, marks=needs_library(t)) for c, t in ERROR_CASES.items()])
def test_the_library_still_refuses_the_error_cases(case_id):
    golden = json.loads((RECORDED_DIR / f"error-{case_id}.json").read_text())
    with pytest.raises(Exception) as error:
        run_library(parse_spec(spec_text(ERROR_CASES[case_id])))
    assert type(error.value).__name__ == golden["exception"]
    assert str(error.value) == golden["message"]


@pytest.mark.parametrize(
    "policy", [pytest.param(p, marks=needs_library(p.family)) for p in all_policies()], ids=lambda p: p.command
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_command_lines_match_the_live_library(policy, data):
    """Any valid command line gives the library's rows, or fails where the library fails."""
    words = data.draw(command_words(policy, warmup=True))  # lrplot's --warmup in front, now and then
    spec = parse_spec(shlex.join(words))
    if spec.policy.family in FLOAT_TOLERANCE:
        # XLA flushes subnormal intermediates to zero (1e-308 / 25 -> 0); values that small are no lr
        assume(all(v == 0 or abs(v) >= 1e-100 for v in spec.params.values() if isinstance(v, float)))
    try:
        expected = run_library(spec)
    except Exception:  # the library cannot run it: lrplot must refuse too
        with pytest.raises(LrplotError):
            simulate(spec)
        return
    try:
        series = simulate(spec)
    except LrplotError as error:
        # lrplot refuses only what would be a wrong lr: non-finite or negative values.
        values = [v for column in expected["lr"] for v in column]
        assert any(not (v >= 0 and v < float("inf")) for v in values), str(error)
        return
    assert_same_lrs(spec, series.lr_columns, expected["lr"])
    assert bits(series.momentum_columns) == bits(expected["momentum"])
