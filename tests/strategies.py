"""Hypothesis strategies derived from the registry: valid command lines for any policy.

Each parameter's words are drawn from its declared kind and check, so a new
policy is covered by the property tests the moment it is declared.
"""

from __future__ import annotations

import re

from golden.cases import INPUTS, SAMPLES
from hypothesis import strategies as st
from oracle import PYTHON_LAMBDAS

from lrplot.expr import CONSTANTS, FUNCTIONS
from lrplot.params import (
    BOOL,
    BOUNDARY_SCALES,
    FLAG,
    FLOAT,
    FLOAT_LIST,
    INT,
    INT_LIST,
    PATH,
    SPEC,
    STR,
    Choice,
    Expression,
    Param,
    SpecKind,
)
from lrplot.registry import FAMILIES, Policy

METRIC_FILES = {str(SAMPLES / "metrics" / "seed_losses.txt"): 60, str(INPUTS / "noisy_loss_10k.txt"): 10_000}

CHILD_SPECS = [
    "constant --factor 0.5 --total-iters 3",
    "linear --start-factor 0.1 --total-iters 5",
    "step --step-size 4 --gamma 0.5",
    "multistep --milestones 3,8",
    "exponential --gamma 0.9",
    "cosine --t-max 12 --eta-min 0.001",
    "polynomial --total-iters 9 --power 2",
    "cosine-restarts --t-0 4 --t-mult 2",
    "lambda --expr '0.95 ** epoch'",
    "multiplicative --expr 0.97",
    "cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 3",
    "onecycle --max-lr 0.1 --total-steps 400",
    "chained --schedule 'exponential --gamma 0.9' --schedule 'step --step-size 3'",
    "sequential --schedule constant --schedule 'exponential --gamma 0.95' --milestones 4",
]


OPTAX_CHILD_SPECS = [
    "constant --value 0.5",
    "linear --init-value 0 --end-value 1 --transition-steps 5",
    "cosine-decay --init-value 1 --decay-steps 30 --alpha 0.1",
    "exponential-decay --init-value 1 --transition-steps 4 --decay-rate 0.8",
    "piecewise-constant --init-value 1 --boundaries-and-scales 5:0.5",
    "optax warmup-cosine-decay --init-value 0 --peak-value 1 --warmup-steps 3 --decay-steps 20",
]
SGDR_CYCLES = [
    "--init-value 0 --peak-value 1 --warmup-steps 2 --decay-steps 10",
    "--init-value 0.1 --peak-value 0.5 --warmup-steps 0 --decay-steps 7 --end-value 0.01",
    "warmup-cosine-decay --init-value 0 --peak-value 0.3 --warmup-steps 5 --decay-steps 25 --exponent 2",
]


def _expressions(variable: str) -> list[str]:
    """The formulas of the oracle's pool that are formulas in ``variable`` (or constants)."""
    known = set(FUNCTIONS) | set(CONSTANTS) | {"if", "else", "and", "or", "not"}
    return [text for text in PYTHON_LAMBDAS if set(re.findall(r"[A-Za-z_]\w*", text)) - known <= {variable}]


def value_words(param: Param) -> st.SearchStrategy[str]:
    """Text of one valid value of ``param``."""
    kind, check = param.kind, param.check
    if param.name == "noise_pct":
        return st.sampled_from(["0.05", "0.3", "0.67", "1.0"])  # timm redraws until |n| < pct: tiny ones spin
    if kind is INT:
        return st.integers(-2, 120).filter(lambda v: check is None or check(v)).map(str)
    if kind is FLOAT:
        floats = st.one_of(
            st.floats(0, 2, allow_nan=False, allow_subnormal=False), st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0])
        )
        return floats.filter(lambda v: check is None or check(v)).map(repr)
    if isinstance(kind, Choice):
        return st.sampled_from(kind.choices)
    if isinstance(kind, Expression):
        return st.sampled_from(_expressions(kind.variable))
    if kind is INT_LIST:
        # torch takes milestones as given: unsorted and repeated ones included
        lists = st.lists(st.integers(-3, 120), max_size=4).filter(lambda xs: check is None or check(xs))
        return lists.map(lambda xs: ",".join(map(str, xs)))
    if kind is SPEC:
        return st.sampled_from(CHILD_SPECS)
    if isinstance(kind, SpecKind):
        return st.sampled_from(SGDR_CYCLES if kind.default else OPTAX_CHILD_SPECS)
    if kind is FLOAT_LIST:
        return st.lists(st.sampled_from([0.0, 0.01, 0.1, 0.5, 1.0, 2.0]), min_size=1, max_size=4).map(
            lambda xs: ",".join(map(repr, xs))
        )
    if kind is BOUNDARY_SCALES:
        pairs = st.dictionaries(st.integers(0, 120), st.sampled_from([0.0, 0.1, 0.5, 2.0]), max_size=4)
        return pairs.map(lambda d: ",".join(f"{k}:{v!r}" for k, v in d.items()))
    if kind is PATH:
        return st.sampled_from(sorted(METRIC_FILES))
    raise NotImplementedError(f"no strategy for {param.name} ({kind!r})")


def _takes_warmup(policy: Policy, metric_rows: int | None) -> bool:
    """lrplot's --warmup goes in front of torch-style schedules that SequentialLR can hold."""
    own_warmup = FAMILIES[policy.family].own_warmup
    return not own_warmup and metric_rows is None and policy.name not in ("sequential", "chained", "pix2pix")


def _warmup_words(draw: st.DrawFn) -> list[str]:
    shape = draw(st.sampled_from(["linear", "cosine", "exponential", "log", "1-sqrt"]))
    low = 0.01 if shape == "exponential" else 0.0  # a geometric ramp cannot start at 0
    start = draw(st.sampled_from([v for v in (0.0, 0.01, 0.1, 0.5) if v >= low]))
    words = ["--warmup", str(draw(st.integers(1, 20))), "--warmup-shape", shape, "--warmup-start", repr(start)]
    return words + (["--warmup-overlap"] if draw(st.booleans()) else [])


@st.composite
def command_words(draw: st.DrawFn, policy: Policy, max_epochs: int = 150, warmup: bool = False) -> list[str]:
    """A valid ``lrplot <policy> ...`` command line (without output options)."""
    groups = 1 if policy.family in ("optax", "keras") else draw(st.integers(1, 2))  # one lr for the optimizer
    words = [policy.command]
    for _ in range(groups):
        words += ["--lr", repr(draw(st.sampled_from([0.1, 0.05, 1.0, 0.003])))]
    metric_rows = None
    for param in policy.params:
        if param.kind is STR:
            continue  # only metric_column, which the plain metric files do not use
        if param.kind is PATH and not param.required:
            continue  # an optional input (pix2pix's metrics): drawn below where it is read
        if not param.required and not draw(st.booleans()):
            continue
        if param.kind is FLAG:
            words.append(param.flag)
            continue
        if param.kind is BOOL:
            words.append(param.flag if draw(st.booleans()) else "--no-" + param.flag[2:])
            continue
        count = 1
        if param.per_group:
            count = draw(st.sampled_from([1, groups]))
        elif param.repeatable:
            count = draw(st.integers(1, 3))
        values = [draw(value_words(param)) for _ in range(count)]
        for value in values:
            words += [param.flag, value]
        if param.kind is PATH:
            metric_rows = METRIC_FILES[values[-1]]
    if "plateau" in words and any(p.name == "metrics" and not p.required for p in policy.params):
        metrics = draw(value_words(next(p for p in policy.params if p.name == "metrics")))
        words += ["--metrics", metrics]  # pix2pix --lr-policy plateau reads a metric file
        metric_rows = METRIC_FILES[metrics]
    if policy.command == "keras piecewise-constant-decay" and draw(st.booleans()):
        boundaries = words[words.index("--boundaries") + 1].split(",")
        values = draw(
            st.lists(st.sampled_from(["1.0", "0.5", "0.1"]), min_size=len(boundaries) + 1, max_size=len(boundaries) + 1)
        )
        words[words.index("--values") + 1] = ",".join(values)  # mostly a valid pairing, not always
    if policy.command in ("sequential", "optax join"):
        option = "--milestones" if policy.name == "sequential" else "--boundaries"
        schedules = words.count("--schedule")
        milestones = draw(st.lists(st.integers(0, 40), min_size=schedules - 1, max_size=schedules - 1))
        if option in words:
            index = words.index(option)
            words[index + 1] = ",".join(map(str, milestones))
    epochs = draw(st.integers(1, min(max_epochs, metric_rows or max_epochs)))
    words += ["-n", str(epochs)]
    if warmup and _takes_warmup(policy, metric_rows) and draw(st.integers(0, 3)) == 0:
        words += _warmup_words(draw)
    if policy.closed_form and draw(st.booleans()):
        words.append("--closed-form")
    return words
