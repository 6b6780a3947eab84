"""Anything a user throws at the CLI gets a clear answer: rows, or one line and exit 2; never a crash.

A Hypothesis test drives every policy command with generated arguments, valid
ones and broken ones (wrong types, missing values, unknown options, hostile
formulas, odd files), and checks the contract a user relies on.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import command_words

from lrplot.cli import main
from lrplot.registry import all_policies

HOSTILE_VALUES = [
    "", " ", "abc", "nan", "inf", "-inf", "1e999", "-1", "0", "1/0", "0x10", "1_0", "٣", "--", "-",
    "9**9**9**9", "__import__('os').system('true')", "epoch.__class__", "[1][0]", "'x'", "lambda: 1",
    "1,2,,3", "10,-5", "2147483648", "20000001", "0.5", "'", '"', "step --step-size", "step --bogus 1",
]  # fmt: skip
HOSTILE_WORDS = ["--bogus", "--lr", "-n", "--step-size", "--gamma", "--help-me", "-x", "---", "extra", "--out"]


@st.composite
def hostile_command(draw: st.DrawFn, policy) -> list[str]:
    """A valid command line for ``policy``, then a few mutations of it."""
    words = draw(command_words(policy, max_epochs=60))
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["replace", "drop", "insert", "duplicate"]))
        position = draw(st.integers(1, max(1, len(words) - 1)))
        if action == "replace" and len(words) > 1:
            words[position] = draw(st.sampled_from(HOSTILE_VALUES))
        elif action == "drop" and len(words) > 1:
            del words[position]
        elif action == "insert":
            words.insert(position, draw(st.sampled_from(HOSTILE_WORDS + HOSTILE_VALUES)))
        elif action == "duplicate" and len(words) > 2:
            words += words[position : position + 2]
    return words


def _run(words: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(words)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("policy", all_policies(), ids=lambda p: p.command)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_command_line_gives_rows_or_one_clear_line(policy, data):
    words = data.draw(hostile_command(policy))
    with tempfile.TemporaryDirectory() as folder:
        outputs = [Path(folder) / "out.csv", Path(folder) / "out.png"]
        code, out, err = _run([*words, "--format", "csv", *(w for p in outputs for w in ("-o", str(p)))])
        if code == 0:
            rows = list(csv.reader(io.StringIO(out)))
            assert rows[0][0] == "epoch"
            assert all(math.isfinite(float(v)) for row in rows[1:] for v in row[1:] if v not in ("nan",))
            assert all(p.exists() for p in outputs)
            assert "Traceback" not in err and "internal error" not in err
        else:
            assert code == 2, (words, err)
            lines = err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("lrplot: error: "), (words, err)
            assert out == ""
            assert list(Path(folder).iterdir()) == [], "a failed run left a file behind"


@settings(max_examples=60, deadline=None)
@given(
    specs=st.lists(
        st.sampled_from(HOSTILE_VALUES + ["step --step-size 3", "cosine --t-max 10"]), min_size=0, max_size=3
    )
)
def test_compare_with_hostile_specs(specs):
    code, out, err = _run(["compare", *specs, "-n", "20", "--format", "csv"])
    if code == 0:
        assert out.startswith("epoch,")
    else:
        assert code == 2 and len(err.strip().splitlines()) == 1 and err.startswith("lrplot: error: "), (specs, err)


HOSTILE_METRIC_FILES = [
    (b"", "the file is empty"),
    (b"\n\n# nothing\n", "the file is empty"),
    (b"\xff\xfe\x00\x81", "not a text file"),
    (b"0.5\nloss\n", "line 2: 'loss' is not a number"),
    (b"0.5\n1e999\n", "line 2: '1e999': expected a finite number"),
    (b"a,b\n1\n", "choose one with --metric-column"),
    (b"0.5;0.4\n", "line 1: '0.5;0.4' is not a number (nor a CSV header: no rows below it)"),
    (b"x" * 100_000, "is not a number (nor a CSV header: no rows below it)"),
]


@pytest.mark.parametrize(("content", "message"), HOSTILE_METRIC_FILES, ids=[m for _, m in HOSTILE_METRIC_FILES])
def test_hostile_metric_files_are_named_with_the_line_at_fault(tmp_path, content, message):
    metrics = tmp_path / "metrics.txt"
    metrics.write_bytes(content)
    code, out, err = _run(["plateau", "--metrics", str(metrics)])
    assert code == 2 and out == ""
    assert message in err and str(metrics) in err
    assert len(err.strip().splitlines()) == 1
