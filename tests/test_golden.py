"""lrplot's numbers are PyTorch 2.13's numbers, bit for bit.

Three layers of proof:

* the committed golden values (``tests/golden/recorded``, recorded from torch by
  ``tests/golden/record_torch.py``) for every policy, several param groups,
  momentum and 10,000-step runs: checked on every machine;
* the same cases against live torch whenever ``import torch`` works;
* randomly generated command lines for every policy against live torch.
"""

from __future__ import annotations

import gzip
import json
import shlex

import pytest
from golden.cases import CASES, ERROR_CASES, LONG_CASES, RECORDED_DIR, golden_path, spec_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import command_words
from torch_oracle import run_torch

from lrplot import LrplotError, parse_spec, simulate
from lrplot.registry import all_policies

try:
    import torch.optim.lr_scheduler  # noqa: F401  (the real torch, not a folder that happens to be called torch)

    HAVE_TORCH = True
except ImportError:
    HAVE_TORCH = False
needs_torch = pytest.mark.skipif(not HAVE_TORCH, reason="torch is not installed (pip install torch==2.13.0)")

ALL_CASES = {**CASES, **LONG_CASES}


def bits(columns):
    """Exact comparison, -0.0 and NaN included: compare the floats' hex forms."""
    return None if columns is None else [[float.hex(float(v)) for v in column] for column in columns]


def load_golden(case_id: str, epochs: int) -> dict:
    path = golden_path(case_id, epochs)
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return json.loads(raw)


def _epochs(case_id: str) -> int:
    return 10_001 if case_id in LONG_CASES else 1


@pytest.mark.parametrize("case_id", list(ALL_CASES))
def test_matches_recorded_torch(case_id):
    golden = load_golden(case_id, _epochs(case_id))
    assert golden["spec"] == ALL_CASES[case_id], "golden file is stale: re-run tests/golden/record_torch.py"
    assert golden["torch"] == "2.13.0"
    series = simulate(parse_spec(spec_text(ALL_CASES[case_id])))
    assert series.epochs == golden["epochs"]
    assert bits(series.lr_columns) == bits(golden["lr"])
    assert bits(series.momentum_columns) == bits(golden["momentum"])


@pytest.mark.parametrize("case_id", list(ERROR_CASES))
def test_refuses_what_torch_refuses(case_id):
    golden = json.loads((RECORDED_DIR / f"error-{case_id}.json").read_text())
    assert golden["spec"] == ERROR_CASES[case_id]
    with pytest.raises(LrplotError) as error:
        simulate(parse_spec(spec_text(ERROR_CASES[case_id])))
    message = str(error.value)
    assert (golden["message"] or golden["exception"]) in message
    assert "\n" not in message


def test_every_golden_file_belongs_to_a_case():
    expected = {golden_path(c, _epochs(c)).name for c in ALL_CASES} | {f"error-{c}.json" for c in ERROR_CASES}
    assert {p.name for p in RECORDED_DIR.iterdir()} == expected


@pytest.mark.parametrize("policy", [p.command for p in all_policies()])
def test_every_policy_has_short_and_10000_step_golden_cases(policy):
    def covers(templates):
        return any(t.split()[0] == policy for t in templates)

    assert covers(CASES.values()), f"add a golden case for {policy}"
    long_ids = [c for c, t in LONG_CASES.items() if t.split()[0] == policy]
    assert long_ids, f"add a 10,000-step golden case for {policy}"
    assert all(load_golden(c, _epochs(c))["epochs"] >= 10_000 for c in long_ids)


@needs_torch
@pytest.mark.parametrize("case_id", list(ALL_CASES))
def test_matches_live_torch(case_id):
    spec = parse_spec(spec_text(ALL_CASES[case_id]))
    expected = run_torch(spec)
    series = simulate(spec)
    assert bits(series.lr_columns) == bits(expected["lr"])
    assert bits(series.momentum_columns) == bits(expected["momentum"])


@needs_torch
@pytest.mark.parametrize("case_id", list(ERROR_CASES))
def test_torch_still_refuses_the_error_cases(case_id):
    golden = json.loads((RECORDED_DIR / f"error-{case_id}.json").read_text())
    with pytest.raises(Exception) as error:
        run_torch(parse_spec(spec_text(ERROR_CASES[case_id])))
    assert type(error.value).__name__ == golden["exception"]
    assert str(error.value) == golden["message"]


@needs_torch
@pytest.mark.parametrize("policy", all_policies(), ids=lambda p: p.command)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_command_lines_match_live_torch(policy, data):
    """Any valid command line gives torch's rows, or fails where torch fails."""
    words = data.draw(command_words(policy))
    spec = parse_spec(shlex.join(words))
    try:
        expected = run_torch(spec)
    except Exception:  # torch cannot run it: lrplot must refuse too
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
    assert bits(series.lr_columns) == bits(expected["lr"])
    assert bits(series.momentum_columns) == bits(expected["momentum"])
