"""The one grammar of lrplot: a SPEC is the words one types after ``lrplot``.

The same parser reads the command line (``lrplot step --step-size 10``), the
quoted SPECs of ``compare`` and of ``--schedule``, and (through
:func:`spec_from_mapping`) config tables and API keywords, so a schedule
means the same thing wherever it is written:

>>> spec = parse_spec("step --step-size 10 --gamma 0.1 -n 40")
>>> spec.policy.name, spec.params, spec.run
('step', {'step_size': 10, 'gamma': 0.1}, {'epochs': 40})
>>> spec.text
'step --step-size 10 --gamma 0.1 -n 40'
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import LrplotError
from .options import OUTPUT_OPTIONS, RUN_OPTIONS
from .params import BOOL, FLAG, INT_LIST, PATH, Expression, Param, format_value, is_spec
from .registry import FAMILIES, Policy, all_policies, lookup

_ALTERNATIVES = (
    ("epochs", "train_epochs"),
    ("steps_per_epoch", "dataset_size", "batch_size", "grad_accum", "world_size", "drop_last"),
)
"""Run options that say one thing two ways: a SPEC giving one of a group sets the whole group."""

PREFIXES = {family.prefix for family in FAMILIES.values() if family.prefix}


class HelpRequested(Exception):
    """``-h``/``--help`` appeared after a policy name; the CLI shows that policy's help."""

    def __init__(self, policy: Policy) -> None:
        super().__init__(policy.command)
        self.policy = policy


@dataclass(frozen=True)
class Spec:
    """A policy with the parameters and run options given for it (defaults are applied later)."""

    policy: Policy
    params: dict[str, Any] = field(default_factory=dict)
    run: dict[str, Any] = field(default_factory=dict)
    label: str | None = None

    @property
    def text(self) -> str:
        """Canonical SPEC text: the command and the options that were given."""
        return shlex.join(to_words(self))

    @property
    def source(self) -> str:  # how format_value shows a nested SPEC
        return self.text

    @property
    def call(self) -> str:
        """The constructor call with the parameters given: ``StepLR(step_size=10, gamma=0.1)``.

        >>> parse_spec('sequential --schedule "constant" --schedule "cosine --t-max 9" --milestones 5').call
        'SequentialLR(schedulers=[ConstantLR(), CosineAnnealingLR(T_max=9)], milestones=[5])'
        """
        parts = []
        for p in self.policy.params:
            if p.kwarg and p.name in self.params:
                value = self.params[p.name]
                if p.per_group and isinstance(value, list) and len(value) == 1:
                    value = value[0]  # one value for every group, as torch takes a scalar
                if is_spec(p.kind):
                    text = "[" + ", ".join(_child_call(p.kind, child) for child in value) + "]"
                elif isinstance(p.kind, Expression):
                    text = _as_lambda(value)
                else:
                    text = format_value(value)
                parts.append(f"{p.name}={text}")
        return f"{self.policy.library_name}({', '.join(parts)})"

    def bound(self) -> dict[str, Any]:
        """Every parameter of the policy: given values, then defaults."""
        return self.policy.bind(self.params)

    def with_run_defaults(self, common: Mapping[str, Any]) -> Spec:
        """Run options from ``common`` where this SPEC did not set its own.

        ``-n`` and ``--train-epochs`` both set the length, and ``--steps-per-epoch`` and
        ``--dataset-size`` both set S: a SPEC's own one replaces the common one.
        """
        inherited = dict(common)
        for group in _ALTERNATIVES:
            if any(name in self.run for name in group):
                for name in group:
                    inherited.pop(name, None)
        return replace(self, run={**inherited, **self.run})


def _child_call(kind: Any, child: Spec) -> str:
    """A child as the library takes it: a call, or a keyword dict (optax's sgdr cycles)."""
    if not kind.as_kwargs:
        return child.call
    bound = child.bound()
    return "{" + ", ".join(f"{p.name!r}: {format_value(bound[p.name])}" for p in child.policy.params) + "}"


def _as_lambda(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_as_lambda(v) for v in value) + "]"
    return f"lambda {value.variable}: {value.source}"


def option_table(params: Iterable[Param]) -> dict[str, tuple[Param, bool]]:
    table: dict[str, tuple[Param, bool]] = {}
    for p in params:
        table[p.flag] = (p, False)
        for alias in p.flag_aliases:
            table[alias] = (p, False)
        if p.short:
            table[p.short] = (p, False)
        if p.kind is BOOL:
            table["--no-" + p.flag[2:]] = (p, True)
    return table


def _policy_and_rest(words: list[str]) -> tuple[Policy, list[str]]:
    if not words:
        raise LrplotError("expected a policy name such as 'step --step-size 10' (see 'lrplot list')")
    if words[0] in PREFIXES:
        if len(words) < 2 or words[1].startswith("-"):
            members = ", ".join(p.name for p in all_policies() if p.command.startswith(words[0] + " "))
            raise LrplotError(f"{words[0]}: expected a schedule name after {words[0]!r}: {members}")
        return lookup(f"{words[0]} {words[1]}"), words[2:]
    if words[0].startswith("-"):
        raise LrplotError(f"expected a policy name before the options, got {words[0]!r} (see 'lrplot list')")
    return lookup(words[0]), words[1:]


@dataclass
class ReadOptions:
    """Options read from words: values by parameter, how each was typed, and the bare words."""

    where: str
    values: dict[int, Any] = field(default_factory=dict)  # by id(param): run and policy options never collide
    typed: dict[int, str] = field(default_factory=dict)  # the spelling used, for error messages
    positionals: list[str] = field(default_factory=list)

    def collect(self, params: Iterable[Param]) -> dict[str, Any]:
        """The given values of ``params`` by keyword name, each checked."""
        return {
            p.name: p.validate(self.values[id(p)], self.where, self.typed[id(p)])
            for p in params
            if id(p) in self.values
        }


def read_options(
    words: list[str],
    allowed: dict[str, tuple[Param, bool]],
    where: str,
    *,
    positionals: bool = False,
    unknown: Any = None,
    on_help: Any = None,
) -> ReadOptions:
    """Read ``--option value`` pairs (and flags) from ``words``; the one option grammar of lrplot.

    ``--name=value`` and ``-n40`` are accepted; list-taking options accumulate
    when repeated, others may be given once.  Bare words are collected when
    ``positionals`` (compare's SPECs), refused otherwise.  ``unknown(word)``
    builds the error for an option not in ``allowed``; ``on_help()`` is called
    where ``-h``/``--help`` stands as an option (not as another option's value).
    """
    read = ReadOptions(where)
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        inline: str | None = None
        if word in ("-h", "--help") and on_help is not None:
            on_help()
        if word.startswith("--") and "=" in word:
            word, inline = word.split("=", 1)
        elif word.startswith("-") and not word.startswith("--") and len(word) > 2 and word[:2] in allowed:
            word, inline = word[:2], word[2:].removeprefix("=")  # -n40, -n=40, -ostep.png
        if word not in allowed:
            if positionals and not word.startswith("-"):
                read.positionals.append(word)
                continue
            raise unknown(word) if unknown else LrplotError(f"{where}unknown option {word}")
        param, negated = allowed[word]
        if param.kind in (BOOL, FLAG):
            value = True if inline is None else param.from_text(inline, where, word)
            value = value != negated  # --no-cycle-momentum=true means cycle_momentum=False
        else:
            if inline is None:
                if i >= len(words) or _looks_like_option(words[i], allowed):
                    raise LrplotError(f"{where}{word} expects a value ({param.kind.expected})")
                inline = words[i]
                i += 1
            value = param.from_text(inline, where, word)
        key = id(param)
        read.typed[key] = word
        if param.takes_list:
            read.values[key] = read.values.get(key, []) + [value]
        elif param.kind is INT_LIST:
            read.values[key] = read.values.get(key, []) + value  # --milestones 10 --milestones 20 extends
        elif key in read.values:
            raise LrplotError(
                f"{where}{param.flag} given twice ({format_value(read.values[key])} and {format_value(value)}); "
                "give it once"
            )
        else:
            read.values[key] = value
    return read


def parse_words(
    words: list[str], *, nested: bool = False, allow_output: bool = False, check: bool = True
) -> tuple[Spec, dict[str, Any]]:
    """Parse a policy command's words into a :class:`Spec` and the output options given.

    ``nested`` SPECs (children of ``--schedule``) take only policy parameters;
    output options are accepted only where ``allow_output`` (the command line).
    ``check=False`` leaves required parameters to be given later (the Python API's keywords).
    """
    policy, rest = _policy_and_rest(words)
    where = policy.where
    run = option_table(RUN_OPTIONS)
    output = option_table(OUTPUT_OPTIONS)
    allowed = option_table(policy.params)
    if not nested:
        allowed.update(run)
    if allow_output:
        allowed.update(output)

    def unknown(word: str) -> LrplotError:
        return _unknown(word, where, allowed, nested=nested, run=run, output=output)

    def show_help() -> None:
        raise HelpRequested(policy)

    read = read_options(rest, allowed, where, unknown=unknown, on_help=show_help)
    spec = Spec(policy, read.collect(policy.params), read.collect(RUN_OPTIONS) if not nested else {})
    if check:
        spec.policy.bind(spec.params)  # required parameters and checks fail here, at parse time
    return spec, read.collect(OUTPUT_OPTIONS)


def _looks_like_option(word: str, allowed: dict[str, tuple[Param, bool]]) -> bool:
    """An option where a value should be (``--step-size -o x.png``).

    Negative numbers, formulas such as ``-epoch + 10`` and titles such as
    ``--- run 3 ---`` are values: only a known option or ``--letters`` is taken
    for a forgotten value.
    """
    name = word.split("=", 1)[0]
    if name in allowed:
        return True
    if not name.startswith("--") and name[:2] in allowed:
        return True  # a short option with its value attached: -n40
    return re.fullmatch(r"--[A-Za-z][A-Za-z0-9-]*", name) is not None


def _unknown(
    word: str,
    where: str,
    allowed: dict[str, tuple[Param, bool]],
    *,
    nested: bool,
    run: dict[str, Any],
    output: dict[str, Any],
) -> LrplotError:
    if not word.startswith("-"):
        return LrplotError(f"{where}unexpected argument {word!r}; options start with -- (see --help)")
    if word in run and nested:
        return LrplotError(f"{where}{word} cannot be set inside --schedule; give it to the outer command")
    if word in output:
        return LrplotError(f"{where}{word} is an output option: give it after the SPECs, not inside one")
    if where.startswith("hf ") and word in ("--num-warmup-steps", "--num-training-steps"):
        # The Trainer passes both to every type and get_scheduler drops the ones a type has no use for:
        # a warmup set with lr_scheduler_type="constant" silently does nothing.
        name = where[3:-2].replace("-", "_")
        hint = "; hf constant-with-warmup warms up" if word == "--num-warmup-steps" else ""
        return LrplotError(
            f"{where}{word}: get_scheduler ignores {word[2:].replace('-', '_')} for {name!r}, so the Trainer's "
            f"value would change nothing{hint}"
        )
    hint = difflib.get_close_matches(word, list(allowed), n=1, cutoff=0.6)
    suggestion = f"; did you mean {hint[0]}?" if hint else ""
    return LrplotError(f"{where}unknown option {word}{suggestion} (see 'lrplot {where[:-2]} --help')")


def split_words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError as error:
        raise LrplotError(f"cannot read SPEC {text!r}: {error}") from None


def parse_spec(text: str, *, nested: bool = False, check: bool = True) -> Spec:
    """Parse one quoted SPEC such as ``"cosine --t-max 95"`` (no output options)."""
    spec, _ = parse_words(split_words(text), nested=nested, check=check)
    return spec


def spec_from_mapping(
    mapping: Mapping[str, Any],
    *,
    nested: bool = False,
    where: str = "",
    base_dir: Path | None = None,
    check: bool = True,
) -> Spec:
    """A SPEC from keyword names, as config files and the Python API give them.

    File parameters (plateau's ``metrics``) are relative to ``base_dir`` when given
    (a config file's folder).

    >>> spec_from_mapping({"policy": "CosineAnnealingLR", "T_max": 100, "lr": 0.05}).text
    'cosine --t-max 100 --lr 0.05'
    """
    if "policy" not in mapping:
        raise LrplotError(f"{where}missing key 'policy' (a policy name such as 'step')")
    name = mapping["policy"]
    if not isinstance(name, str):
        raise LrplotError(f"{where}policy = {name!r}: expected a policy name such as 'step'")
    try:
        policy = lookup(name)
    except LrplotError as error:
        raise LrplotError(f"{where}{error}") from None
    at = where + policy.where
    params: dict[str, Any] = {}
    run: dict[str, Any] = {}
    run_params = {p.name: p for p in RUN_OPTIONS}
    for key, value in mapping.items():
        if key in ("policy", "label"):
            continue
        if key in run_params and not nested and key not in {p.name for p in policy.params}:
            p = run_params[key]
            run[key] = p.validate(p.from_config(value, at), at, f"{key} =")
            continue
        try:
            p = policy.param(key)
        except LrplotError as error:
            raise LrplotError(f"{where}{error}") from None
        value = p.validate(p.from_config(value, at), at, f"{key} =")
        if p.kind is PATH and base_dir is not None and value != "-":
            value = str(base_dir / value)  # absolute paths stay as they are
        params[p.name] = value
    label = mapping.get("label")
    if label is not None and not isinstance(label, str):
        raise LrplotError(f"{where}label = {label!r}: expected text")
    spec = Spec(policy, params, run, label)
    if check:
        try:
            spec.policy.bind(spec.params, by_key=True)
        except LrplotError as error:
            raise LrplotError(f"{where}{error}") from None
    return spec


def _option_words(param: Param, value: Any) -> list[str]:
    if param.kind is FLAG:
        return [param.flag] if value else []
    if param.kind is BOOL:
        return [param.flag if value else "--no-" + param.flag[2:]]
    values = value if (param.takes_list and isinstance(value, list)) else [value]
    words: list[str] = []
    for v in values:
        words += [param.short or param.flag, param.kind.to_text(v)]
    return words


def to_words(spec: Spec) -> list[str]:
    """The words that give back ``spec`` when parsed: ``['step', '--step-size', '10']``."""
    words = spec.policy.command.split()
    for p in spec.policy.params:
        if p.name in spec.params:
            words += _option_words(p, spec.params[p.name])
    for p in RUN_OPTIONS:
        if p.name in spec.run:
            words += _option_words(p, spec.run[p.name])
    return words
