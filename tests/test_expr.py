"""Formulas (--expr, --scale-fn): Python's arithmetic exactly, and nothing but arithmetic."""

from __future__ import annotations

import math
import time

import pytest

from lrplot.expr import MAX_LENGTH, ExpressionError, compile_expression

# (formula, the lambda a user would write in torch code)
SAME_AS_PYTHON = [
    ("0.95 ** epoch", lambda epoch: 0.95**epoch),
    ("epoch // 10", lambda epoch: epoch // 10),
    ("0.1 ** (epoch // 2)", lambda epoch: 0.1 ** (epoch // 2)),
    ("1 if epoch < 5 else 0.1", lambda epoch: 1 if epoch < 5 else 0.1),
    ("epoch % 7 / 7", lambda epoch: epoch % 7 / 7),
    ("-epoch + 100", lambda epoch: -epoch + 100),
    ("+epoch * 2.5", lambda epoch: +epoch * 2.5),
    ("1.0 - max(0, epoch + 1 - 100) / 101", lambda epoch: 1.0 - max(0, epoch + 1 - 100) / 101),
    ("min(1.0, (epoch + 1) / 10)", lambda epoch: min(1.0, (epoch + 1) / 10)),
    ("0.5 * (1 + cos(pi * epoch / 50))", lambda epoch: 0.5 * (1 + math.cos(math.pi * epoch / 50))),
    ("exp(-epoch / 30) + log(epoch + 1) + sqrt(epoch)", lambda e: math.exp(-e / 30) + math.log(e + 1) + math.sqrt(e)),
    (
        "log(epoch + 1, 2) + log2(epoch + 1) + log10(epoch + 1)",
        lambda e: math.log(e + 1, 2) + math.log2(e + 1) + math.log10(e + 1),
    ),
    ("sin(epoch) + tan(epoch / 100) + tanh(epoch)", lambda e: math.sin(e) + math.tan(e / 100) + math.tanh(e)),
    (
        "floor(epoch / 3) + ceil(epoch / 3) + abs(50 - epoch)",
        lambda e: math.floor(e / 3) + math.ceil(e / 3) + abs(50 - e),
    ),
    ("1 if 10 <= epoch < 20 else 0.5", lambda epoch: 1 if 10 <= epoch < 20 else 0.5),
    ("1 if epoch == 3 or epoch != 4 and not epoch > 9 else 2", lambda e: 1 if e == 3 or e != 4 and not e > 9 else 2),
    ("e ** -epoch", lambda epoch: math.e**-epoch),
    ("max(0.1, 0.2, epoch / 100)", lambda epoch: max(0.1, 0.2, epoch / 100)),
]


@pytest.mark.parametrize(("source", "python"), SAME_AS_PYTHON, ids=[s for s, _ in SAME_AS_PYTHON])
def test_formula_gives_pythons_numbers_bit_for_bit(source, python):
    formula = compile_expression(source, "epoch")
    for epoch in range(0, 120):
        expected = python(epoch)
        got = formula(epoch)
        assert type(got) is type(expected) and repr(got) == repr(expected), (epoch, got, expected)


def test_the_variable_is_named_by_the_option():
    assert compile_expression("1 / (2.0 ** (x - 1))", "x")(3) == 0.25
    with pytest.raises(ExpressionError, match="unknown name 'epoch'"):
        compile_expression("0.9 ** epoch", "x")


HOSTILE = [
    ("__import__('os').system('true')", "only these functions can be called"),
    ("open('/etc/passwd')", "calls to 'open' are not allowed"),
    ("eval('1')", "calls to 'eval' are not allowed"),
    ("epoch.__class__", "attribute access"),
    ("(1).real", "attribute access"),
    ("[1, 2][0]", "subscripts"),
    ("(lambda: 1)()", "only these functions can be called"),
    ("lambda: 1", "lambda"),
    ("[x for x in range(3)]", "comprehensions"),
    ("{1: 2}", "dicts"),
    ("'a' * 10", "strings"),
    ("f'{epoch}'", "strings"),
    ("(y := 3)", "assignment"),
    ("epoch if True else 0", "True"),
    ("1 << 1000", "'<<' not allowed"),
    ("~epoch", "'~' not allowed"),
    ("epoch @ epoch", "'@' not allowed"),
    ("epoch in (1, 2)", "comparison 'In' not allowed"),
    ("min(*[1, 2], 3)", "unpacking"),
    ("max(a=1, b=2)", "no keyword arguments"),
    ("exp(1, 2)", "takes 1 argument"),
    ("min(epoch)", "takes 2 to 16 argument"),
    ("epcoh * 2", "did you mean 'epoch'"),
    ("import os", "not a formula"),
    ("1 +", "not a formula"),
    ("", "empty formula"),
    ("   ", "empty formula"),
]


@pytest.mark.parametrize(("source", "reason"), HOSTILE, ids=[s or "<empty>" for s, _ in HOSTILE])
def test_hostile_formulas_are_refused_with_a_reason(source, reason):
    with pytest.raises(ExpressionError) as error:
        compile_expression(source, "epoch")
    assert reason in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    "source",
    [
        "9**9**9**9",
        "2 ** 2 ** 2 ** 2 ** 2 ** 2",
        "(" * 240 + "1" + ")" * 240,
        "-" * 300 + "1",
        "+".join(["epoch"] * 240),
        "1" * (MAX_LENGTH + 1),
        "10 ** 400 * 10 ** 400 * 10 ** 400",
    ],
    ids=["tower", "tower-2", "deep-parens", "deep-unary", "many-nodes", "long", "big-product"],
)
def test_runaway_formulas_are_refused_quickly(source):
    start = time.perf_counter()
    with pytest.raises(ExpressionError):
        compile_expression(source, "epoch")
    assert time.perf_counter() - start < 2.0  # a guard against hangs, not a benchmark


@pytest.mark.parametrize(
    ("source", "epoch", "message"),
    [
        ("1 / (epoch - 3)", 3, "divides by zero at epoch=3"),
        ("exp(epoch)", 710, "overflows at epoch=710"),
        ("log(epoch - 5)", 5, "fails at epoch=5: math domain error"),
        ("epoch ** epoch", 200, "too large"),
        ("2 ** epoch", 2000, "too large"),
        ("(epoch - 10) ** 0.5", 3, "not a real number"),
        ("1e308 * epoch", 10, "gives inf at epoch=10"),
    ],
)
def test_failures_name_the_value_of_the_variable(source, epoch, message):
    formula = compile_expression(source, "epoch")
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace("*", r"\*")):
        formula(epoch)


def test_the_largest_integers_a_float_holds_are_allowed():
    assert compile_expression("2 ** 1023", "epoch")(0) == 2**1023
    with pytest.raises(ExpressionError, match="too large for a float"):
        compile_expression("2 ** epoch", "epoch")(1024)


def test_constant_formula_failing_is_reported_at_parse_time():
    with pytest.raises(ExpressionError, match="divides by zero"):
        compile_expression("1 / 0", "epoch")
