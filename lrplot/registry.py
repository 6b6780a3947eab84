"""The registry: one :class:`Policy` per schedule, declared once with ``@policy``.

The CLI commands, ``--help`` pages, ``lrplot list``, config keys, the Python
API and the registry-wide tests all enumerate :data:`POLICIES`; adding a
schedule means declaring it in one place under :mod:`lrplot.policies`.

A policy's class docstring is its documentation: the first line is the
summary that ``lrplot list`` shows, an indented ``Formula:`` block states the
exact formula and an ``Example:`` block gives concrete values.
"""

from __future__ import annotations

import difflib
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import LrplotError
from .params import REQUIRED, Param


@dataclass(frozen=True)
class Family:
    """A library (or a group of recipes) whose schedules lrplot reproduces."""

    title: str  # how `lrplot list` heads the group
    module: str  # where the library names live: "torch.optim.lr_scheduler"
    prefix: str | None = None  # command word before the policy: `lrplot hf cosine`
    library: str = "torch"  # what computes the numbers, as messages name it: "timm's CosineLRScheduler"
    own_warmup: str | None = None  # why lrplot's torch-style --warmup is refused, and what to use instead
    composable: bool = True  # its schedules can be children of torch's SequentialLR / ChainedScheduler
    bare_names: bool = True  # library names work without the prefix (CosineLRScheduler; not recipes' "rate")


FAMILIES: dict[str, Family] = {
    "torch": Family("PyTorch 2.13: torch.optim.lr_scheduler", "torch.optim.lr_scheduler"),
    "hf": Family(
        "Hugging Face transformers: get_scheduler types (lrplot hf ...)",
        "transformers",
        prefix="hf",
        library="transformers",
    ),
    "recipes": Family(
        "Recipes from papers and popular repositories, built on torch's LambdaLR", "recipes", bare_names=False
    ),
    "timm": Family(
        "timm: timm.scheduler classes (lrplot timm ...)",
        "timm.scheduler",
        prefix="timm",
        library="timm",
        own_warmup="timm schedulers warm up themselves: use --warmup-t and --warmup-lr-init",
        composable=False,
    ),
    "optax": Family(
        "optax: schedule functions of the update count (lrplot optax ...)",
        "optax",
        prefix="optax",
        library="optax",
        own_warmup="use optax's own: warmup-cosine-decay, warmup-exponential-decay, warmup-constant, or join",
        composable=False,
    ),
    "keras": Family(
        "Keras 3: keras.optimizers.schedules (lrplot keras ...)",
        "keras.optimizers.schedules",
        prefix="keras",
        library="Keras",
        own_warmup="Keras warms up only in cosine-decay: use its --warmup-steps and --warmup-target",
        composable=False,
    ),
}


@dataclass(frozen=True)
class Policy:
    """Everything lrplot knows about one schedule."""

    name: str  # the command, e.g. "step"
    family: str  # "torch"
    library_name: str  # "StepLR"
    params: tuple[Param, ...]
    factory: Any  # builds the simulated scheduler (a class for the torch family)
    summary: str
    description: str
    formula: str
    example: str
    closed_form: bool = False  # --closed-form has a meaning (torch's step(epoch) path)
    per_step: bool = False  # a per-batch schedule (CyclicLR, OneCycleLR)
    replaces_lr: bool = False  # sets the optimizer's lr itself, so --lr has no effect
    cycles_momentum: Callable[[dict[str, Any]], bool] = field(default=lambda bound: False)
    aliases: tuple[str, ...] = ()  # more names: HF's type names ("cosine_with_restarts")
    module: str | None = None  # where library_name lives, when not the family's module
    default_lr: float | None = None  # the optimizer lr the recipe is defined with (Noam: 1.0)
    default_epochs: Callable[[dict[str, Any]], int] | None = None  # run length the recipe implies
    notes: tuple[str, ...] = ()  # shown in --help: defaults and conventions worth knowing
    unit_of: Callable[[dict[str, Any]], str] | None = None  # what a row is, when parameters decide (timm)
    caveat: Callable[[dict[str, Any]], str | None] | None = None  # said on the figure: "noise drawn with numpy"

    def unit(self, bound: dict[str, Any]) -> str:
        """What one row is: ``"step"`` (an optimizer update) or ``"epoch"``."""
        if self.unit_of is not None:
            return self.unit_of(bound)
        return "step" if self.per_step else "epoch"

    @property
    def command(self) -> str:
        prefix = FAMILIES[self.family].prefix
        return f"{prefix} {self.name}" if prefix else self.name

    @property
    def library(self) -> str:
        """What computes this policy's numbers: ``"torch"``, ``"timm"``, ``"Keras"``..."""
        return FAMILIES[self.family].library

    @property
    def owner(self) -> str:
        """``"torch's"``, ``"transformers'"``: how messages attribute a behaviour to the library."""
        return self.library + ("'" if self.library.endswith("s") else "'s")

    @property
    def qualified_name(self) -> str:
        """``torch.optim.lr_scheduler.StepLR``."""
        return f"{self.module or FAMILIES[self.family].module}.{self.library_name}"

    @property
    def where(self) -> str:
        """Prefix of this policy's error messages."""
        return f"{self.command}: "

    def param(self, key: str) -> Param:
        """The parameter called ``key`` (keyword, option spelling or alias)."""
        for p in self.params:
            if key in (p.name, p.option, *p.aliases) or key == p.flag.lstrip("-").replace("-", "_"):
                return p
        keys = [p.name for p in self.params]
        hint = difflib.get_close_matches(key, keys, n=1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        raise LrplotError(
            f"{self.where}unknown parameter {key!r}{suggestion} (parameters: {', '.join(keys) or 'none'})"
        )

    def bind(self, given: dict[str, Any], *, by_key: bool = False) -> dict[str, Any]:
        """All parameters by keyword name: the given values, then the defaults.

        Errors name options (``--step-size``), or keyword names with ``by_key``
        (``step_size``, as config files spell them).

        >>> from lrplot.registry import lookup
        >>> lookup("step").bind({"step_size": 10})
        {'step_size': 10, 'gamma': 0.1}
        """
        bound: dict[str, Any] = {}
        for p in self.params:
            shown = f"{p.name} =" if by_key else p.flag
            if p.name in given:
                bound[p.name] = p.validate(given[p.name], self.where, shown)
            elif p.required:
                raise LrplotError(f"{self.where}{p.name if by_key else p.flag} is required: {p.help}")
            else:
                bound[p.name] = p.default
        return bound


POLICIES: dict[str, Policy] = {}
"""Every policy, by command (``"step"``), in declaration order."""

_ALIASES: dict[str, str] = {}


def _sections(doc: str) -> tuple[str, str, dict[str, str]]:
    """Split a docstring into summary, prose and indented ``Name:`` blocks."""
    # inspect.cleandoc without importing inspect: the first line as is, the rest dedented
    first, _, rest = doc.strip("\n").partition("\n")
    lines = [first.strip(), *textwrap.dedent(rest).splitlines()]
    summary = lines[0].strip()
    prose: list[str] = []
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines[1:]:
        stripped = line.strip()
        if not line.startswith(" ") and stripped.endswith(":") and stripped[:-1].isalpha():
            current = blocks.setdefault(stripped[:-1], [])
        elif current is not None and (line.startswith(" ") or not stripped):
            current.append(line[4:] if line.startswith("    ") else stripped)
        else:
            current = None
            prose.append(line)
    text = {name: "\n".join(body).strip() for name, body in blocks.items()}
    return summary, "\n".join(prose).strip(), text


def policy(
    name: str,
    *,
    family: str = "torch",
    library_name: str,
    params: Iterable[Param] = (),
    closed_form: bool = False,
    per_step: bool = False,
    replaces_lr: bool = False,
    cycles_momentum: Callable[[dict[str, Any]], bool] | None = None,
    aliases: Iterable[str] = (),
    module: str | None = None,
    default_lr: float | None = None,
    default_epochs: Callable[[dict[str, Any]], int] | None = None,
    notes: Iterable[str] = (),
    unit_of: Callable[[dict[str, Any]], str] | None = None,
    caveat: Callable[[dict[str, Any]], str | None] | None = None,
) -> Callable[[Any], Any]:
    """Class decorator that declares a policy; the class docstring is its documentation."""

    def register(factory: Any) -> Any:
        summary, description, blocks = _sections(factory.__doc__ or "")
        for required_block in ("Formula", "Example"):
            if required_block not in blocks:  # a programming error, caught by the test suite
                raise TypeError(f"{factory.__name__}'s docstring needs a {required_block}: block")
        declared = Policy(
            name=name,
            family=family,
            library_name=library_name,
            params=tuple(params),
            factory=factory,
            summary=summary,
            description=description,
            formula=blocks["Formula"],
            example=blocks["Example"],
            closed_form=closed_form,
            per_step=per_step,
            replaces_lr=replaces_lr,
            cycles_momentum=cycles_momentum or (lambda bound: False),
            aliases=tuple(aliases),
            module=module,
            default_lr=default_lr,
            default_epochs=default_epochs,
            notes=tuple(notes),
            unit_of=unit_of,
            caveat=caveat,
        )
        key = declared.command
        if key in POLICIES:
            raise TypeError(f"policy {key!r} declared twice")
        POLICIES[key] = declared
        prefix = FAMILIES[family].prefix
        own_name = (library_name,) if FAMILIES[family].bare_names or prefix else ()
        for alias in (*own_name, *declared.aliases):
            _ALIASES[f"{prefix} {alias}".lower() if prefix else alias.lower()] = key
        # A library's own name is unique enough on its own (get_cosine_schedule_with_warmup); a short
        # type name ("cosine") is not, so it needs its family's prefix.  Recipes' function names
        # ("rate", "get_scheduler") are too generic to stand for them.
        if FAMILIES[family].bare_names:
            _ALIASES.setdefault(library_name.lower(), key)
        factory.policy = declared
        return factory

    return register


def _ensure_loaded() -> None:
    if not POLICIES:
        from . import policies  # noqa: F401  (declaring the policies fills the registry)


def all_policies() -> list[Policy]:
    _ensure_loaded()
    return list(POLICIES.values())


def lookup(name: str) -> Policy:
    """The policy for a command name or library class name, case-insensitively for class names.

    >>> lookup("StepLR").name, lookup("steplr").name, lookup("step").library_name
    ('step', 'step', 'StepLR')
    >>> lookup("stpe")
    Traceback (most recent call last):
    ...
    lrplot.errors.LrplotError: unknown policy 'stpe'; did you mean 'step'? (see 'lrplot list')
    """
    _ensure_loaded()
    key = " ".join(name.split())
    if key in POLICIES:
        return POLICIES[key]
    if key.lower() in _ALIASES:
        return POLICIES[_ALIASES[key.lower()]]
    bare = [
        p.library_name for p in POLICIES.values() if not FAMILIES[p.family].prefix and FAMILIES[p.family].bare_names
    ]
    hint = difflib.get_close_matches(key, list(POLICIES) + bare, n=1, cutoff=0.6)
    if hint:
        raise LrplotError(f"unknown policy {name!r}; did you mean {hint[0]!r}? (see 'lrplot list')")
    family = next((f for f, about in FAMILIES.items() if about.prefix and key.startswith(about.prefix + " ")), None)
    if family is not None:  # `lrplot hf foo`: say what hf has
        members = ", ".join(p.name for p in POLICIES.values() if p.family == family)
        raise LrplotError(f"unknown policy {name!r}; {FAMILIES[family].prefix} has: {members}")
    raise LrplotError(f"unknown policy {name!r} (see 'lrplot list')")


def is_policy(name: str) -> bool:
    try:
        lookup(name)
    except LrplotError:
        return False
    return True


__all__ = ["POLICIES", "REQUIRED", "Policy", "all_policies", "is_policy", "lookup", "policy"]
