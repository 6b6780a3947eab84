"""Registry-wide checks: every policy is fully declared, documented and reachable.

Parametrized over the registry, so a newly declared policy is tested here
without editing this file.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import shlex

import pytest

from lrplot import lookup, parse_spec, simulate, spec_from_mapping
from lrplot.params import PATH, REQUIRED
from lrplot.registry import all_policies, is_policy

POLICIES = all_policies()
IDS = [p.command for p in POLICIES]


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_policy_is_fully_declared(policy):
    assert policy.summary and policy.summary.endswith(".")
    assert policy.formula.strip()
    assert policy.example.strip()
    for param in policy.params:
        assert param.help, f"{policy.command}: {param.name} has no help"
        if not param.required and param.default is not None and param.kind is not PATH:
            # defaults are valid values of their own kind and pass their own check
            assert param.check is None or param.check(param.default)


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_library_class_name_is_an_alias(policy):
    assert lookup(policy.command) is policy
    if policy.family == "recipes":  # "rate", "get_scheduler": too generic to mean noam or pix2pix
        assert not is_policy(policy.library_name)
        return
    assert lookup(policy.library_name) is policy
    assert lookup(policy.library_name.lower()) is policy


def _documented_values(example: str) -> tuple[str, list[tuple[range, str]]]:
    """The example's command and its ``epochs: value`` pairs (``0-9: 0.05, 10: 0.005``)."""
    command, values = example.splitlines()
    pairs = []
    for item in values.split(", "):
        epochs, value = item.split(": ")
        first, _, last = epochs.partition("-")
        pairs.append((range(int(first), int(last or first) + 1), value.strip()))
    return command, pairs


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_docstring_example_values_are_what_lrplot_computes(policy, in_root):
    command, pairs = _documented_values(policy.example)
    last_epoch = max(r[-1] for r, _ in pairs)
    spec = parse_spec(command + f" -n {last_epoch + 1}" if " -n " not in command else command)
    series = simulate(spec)
    for epochs, value in pairs:
        for epoch in epochs:
            assert repr(series.lr_columns[0][epoch]) == value, (epoch, series.lr_columns[0][epoch], value)


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_help_shows_formula_and_every_parameter(policy, cli):
    result = cli(*policy.command.split(), "--help")
    assert result.code == 0
    text = " ".join(result.out.split())
    assert policy.summary in text
    assert " ".join(policy.formula.split()) in text
    for param in policy.params:
        assert param.flag in result.out, param.flag
        assert " ".join(param.help.split()[:4]) in text, param.help
    for common in ("--lr", "--epochs", "--momentum", "--out", "--format", "--log-y", "--size", "--dpi", "--digits"):
        assert common in result.out


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_flag_anywhere_after_the_policy(cli, flag):
    result = cli("step", "--step-size", "3", flag)
    assert result.code == 0 and "Usage: lrplot step" in result.out


def test_list_shows_every_policy_and_parameter(cli):
    table = cli("list")
    assert table.code == 0
    records = json.loads(cli("list", "--format", "json").out)
    assert [r["command"] for r in records] == IDS
    for policy, record in zip(POLICIES, records):
        assert policy.command in table.out and policy.library_name in table.out
        assert record["library_name"] == policy.qualified_name
        assert [p["name"] for p in record["parameters"]] == [p.name for p in policy.params]
        for param in policy.params:
            assert param.name in table.out
            if not param.required and param.default is not None:
                assert f"{param.name}=" in table.out


def test_list_markdown_has_one_row_per_policy(cli):
    markdown = cli("list", "--format", "md").out
    rows = [line for line in markdown.splitlines() if line.startswith("| `")]
    assert [re.match(r"\| `([^`]+)`", row).group(1) for row in rows] == IDS


def _as_config(spec) -> dict:
    """A SPEC as a config table would write it: keyword names, plain TOML values."""
    recipe = spec.policy.family == "recipes"  # recipes' function names are too generic: the command it is
    table = {"policy": spec.policy.command if recipe else spec.policy.library_name}
    for name, value in {**spec.params, **spec.run}.items():
        if isinstance(value, list) and value and hasattr(value[0], "policy"):
            value = [_as_config(child) for child in value]
        elif isinstance(value, list):
            value = [getattr(v, "source", v) for v in value]
        table[name] = getattr(value, "source", value)
    return table


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_config_keys_are_the_library_keyword_names(policy, in_root):
    """The docstring example, written as a config table of keyword names, gives the same rows."""
    command, _ = policy.example.splitlines()
    spec = parse_spec(command)
    again = spec_from_mapping(_as_config(spec))
    assert again.text == spec.text
    assert simulate(again).lr_columns == simulate(spec).lr_columns


# -- the libraries' own signatures, when they are here ---------------------------------------

# Where lrplot gives a default the library does not have, and why.
OWN_DEFAULTS = {
    "total_steps": "OneCycleLR: one cycle over the run (-n)",
    "num_training_steps": "the run length (-n), as the Trainer computes it from the run",
    "num_warmup_steps": "0, the Trainer's default (TrainingArguments.warmup_steps)",
}


def _library_signature(policy):
    if policy.family == "torch" or policy.name == "reduce-lr-on-plateau":
        module = pytest.importorskip("torch.optim.lr_scheduler")
        name = "ReduceLROnPlateau" if policy.family == "hf" else policy.library_name
        return inspect.signature(getattr(module, name).__init__)
    if policy.family == "hf":
        module = pytest.importorskip("transformers.optimization")
        if policy.name == "greedy":  # get_greedy_schedule(optimizer, **kwargs) passes them to GreedyLR
            return inspect.signature(module.GreedyLR.__init__)
        return inspect.signature(getattr(module, policy.library_name))
    if policy.family == "timm":
        from oracle import library_available, timm_schedulers

        if not library_available("timm"):  # importing timm itself needs torchvision: look, do not import
            pytest.skip("timm is not installed")

        return inspect.signature(getattr(timm_schedulers(), policy.library_name).__init__)
    if policy.family == "optax":
        return inspect.signature(getattr(pytest.importorskip("optax"), policy.library_name))
    if policy.family == "keras":
        pytest.importorskip("jax")
        os.environ.setdefault("KERAS_BACKEND", "jax")
        keras = pytest.importorskip("keras")
        return inspect.signature(getattr(keras.optimizers.schedules, policy.library_name).__init__)
    pytest.skip(f"{policy.command} is a recipe, not a library function")


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_keyword_names_and_defaults_are_the_librarys(policy):
    signature = _library_signature(policy)
    for param in policy.params:
        if not param.kwarg:
            continue
        assert param.name in signature.parameters, f"the library has no keyword {param.name}"
        library_default = signature.parameters[param.name].default
        if param.name in OWN_DEFAULTS:
            continue
        if library_default is inspect.Parameter.empty:
            assert param.default is REQUIRED, f"{param.name} is required in the library"
        else:
            assert param.default == library_default, f"{param.name}: {param.default!r} != {library_default!r}"


def test_spec_text_round_trips_through_the_parser():
    text = 'sequential --schedule "linear --start-factor 0.1 --total-iters 5" --schedule "cosine --t-max 95" --milestones 5 -n 100'
    spec = parse_spec(text)
    assert parse_spec(spec.text).text == spec.text
    assert shlex.split(spec.text)[0] == "sequential"
