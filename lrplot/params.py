"""Typed parameter declarations, shared by every policy and every way of setting them.

A :class:`Param` is declared once, next to its policy, and everything else is
derived from it: the ``--kebab-case`` option, the ``--help`` line, the
``lrplot list`` entry, the config-file key and the validation.

Values arrive either as command-line text (``"0.1"``, ``"10,15"``) or as
TOML/Python values (``0.1``, ``[10, 15]``); each :class:`Kind` converts both
and says what it expected when it cannot:

>>> FLOAT.from_text("1/3")
0.3333333333333333
>>> INT_LIST.from_text("10,15,25")
[10, 15, 25]
>>> Param("T_max", INT).flag
'--t-max'
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .errors import LrplotError


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()
"""Default of a parameter the user must give (torch has no default for it)."""


def kebab(name: str) -> str:
    """Option spelling of a keyword name: ``T_max`` -> ``t-max``, ``step_size`` -> ``step-size``."""
    return name.replace("_", "-").lower()


def format_value(value: Any) -> str:
    """Short, exact text for a parameter value, as labels, titles and help show it.

    >>> format_value(0.1), format_value([10, 15]), format_value(True), format_value(None)
    ('0.1', '[10, 15]', 'True', 'None')
    """
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    if isinstance(value, FigureSize):
        return str(value)
    source = getattr(value, "source", None)  # expressions and specs keep their text
    if source is not None:
        return repr(source)
    return str(value)


# --------------------------------------------------------------------------- kinds


class Kind:
    """How one kind of value is read from text and from config files."""

    metavar = "VALUE"
    expected = "a value"

    def from_text(self, text: str) -> Any:
        raise NotImplementedError

    def from_config(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.from_text(value)
        raise LrplotError(f"{value!r}: expected {self.expected}")

    def to_text(self, value: Any) -> str:
        """Command-line text that reads back as ``value``: ``from_text(to_text(v)) == v``."""
        if isinstance(value, float):
            return repr(value)
        return getattr(value, "source", None) or str(value)


_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


class _Int(Kind):
    metavar = "INT"
    expected = "an integer"

    def from_text(self, text: str) -> int:
        # Plain ASCII digits only: Python's int() also takes "1_0" and other scripts' digits.
        if not _INT.fullmatch(text.strip()):
            raise LrplotError(f"{text!r}: expected {self.expected}")
        return int(text.strip())

    def from_config(self, value: Any) -> int:
        if isinstance(value, bool):
            raise LrplotError(f"{value!r}: expected {self.expected}")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return super().from_config(value)


class _Float(Kind):
    metavar = "FLOAT"
    expected = "a finite number"

    def from_text(self, text: str) -> float:
        text = text.strip()
        # Fractions are how torch writes some defaults (ConstantLR's factor=1/3).
        parts = text.split("/")
        if len(parts) > 2 or not all(_FLOAT.fullmatch(part.strip()) for part in parts):
            raise LrplotError(f"{text!r}: expected {self.expected}")
        try:
            value = float(parts[0]) / float(parts[1]) if len(parts) == 2 else float(parts[0])
        except ZeroDivisionError:
            raise LrplotError(f"{text!r}: expected {self.expected}") from None
        return self._finite(value, text)

    def from_config(self, value: Any) -> float:
        if isinstance(value, bool):
            raise LrplotError(f"{value!r}: expected {self.expected}")
        if isinstance(value, (int, float)):
            return self._finite(float(value), repr(value))
        return super().from_config(value)

    def _finite(self, value: float, shown: str) -> float:
        if not math.isfinite(value):
            raise LrplotError(f"{shown!r}: expected {self.expected}")
        return value + 0.0  # -0.0 becomes 0.0: a sign on zero means nothing here


class _Str(Kind):
    metavar = "TEXT"
    expected = "text"

    def from_text(self, text: str) -> str:
        return text


class _Bool(Kind):
    """An on/off flag: ``--three-phase`` / ``--no-three-phase`` on the command line."""

    metavar = ""
    expected = "true or false"
    _words = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}

    def from_text(self, text: str) -> bool:
        try:
            return self._words[text.strip().lower()]
        except KeyError:
            raise LrplotError(f"{text!r}: expected {self.expected}") from None

    def from_config(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        return super().from_config(value)


class _Flag(_Bool):
    """A switch that is off unless given: ``--log-y``, ``--closed-form``."""


class FigureSize(NamedTuple):
    """A figure's width and height, in inches (``unit="in"``) or pixels (``"px"``)."""

    width: float
    height: float
    unit: str

    def __str__(self) -> str:
        return f"{self.width:g}x{self.height:g}" + ("px" if self.unit == "px" else "")


class _Size(Kind):
    """A figure size ``WxH`` in inches (``8x4.5``), or in pixels with a ``px`` suffix (``1200x675px``)."""

    metavar = "WxH"
    expected = "a size WxH in inches such as 8x4.5, or pixels such as 1200x675px"

    def from_text(self, text: str) -> FigureSize:
        raw = text.strip().lower()
        unit = "px" if raw.endswith("px") else "in"
        parts = raw.removesuffix("px").removesuffix("in").split("x")
        try:
            width, height = (float(p) for p in parts)
        except ValueError:
            raise LrplotError(f"{text!r}: expected {self.expected}") from None
        if not (math.isfinite(width) and math.isfinite(height) and width > 0 and height > 0):
            raise LrplotError(f"{text!r}: expected {self.expected}, both positive")
        return FigureSize(width, height, unit)

    def from_config(self, value: Any) -> FigureSize:
        if isinstance(value, list) and len(value) == 2:  # size = [8, 4.5], in inches
            return self.from_text(f"{FLOAT.from_config(value[0])}x{FLOAT.from_config(value[1])}")
        return super().from_config(value)


class _IntList(Kind):
    metavar = "INT,INT,..."
    expected = "integers separated by commas"

    def from_text(self, text: str) -> list[int]:
        parts = [p.strip() for p in text.strip().strip("[]").split(",")]
        if parts == [""]:
            return []
        try:
            return [int(p) for p in parts]
        except ValueError:
            raise LrplotError(f"{text!r}: expected {self.expected}") from None

    def from_config(self, value: Any) -> list[int]:
        if isinstance(value, list):
            return [INT.from_config(v) for v in value]
        if isinstance(value, int) and not isinstance(value, bool):
            return [value]
        return super().from_config(value)

    def to_text(self, value: Any) -> str:
        return ",".join(str(v) for v in value)


class _FloatList(Kind):
    """Numbers separated by commas: Keras's ``values`` of PiecewiseConstantDecay."""

    metavar = "FLOAT,FLOAT,..."
    expected = "numbers separated by commas"

    def from_text(self, text: str) -> list[float]:
        parts = [p.strip() for p in text.strip().strip("[]").split(",")]
        if parts == [""]:
            return []
        try:
            return [FLOAT.from_text(p) for p in parts]
        except LrplotError:
            raise LrplotError(f"{text!r}: expected {self.expected}") from None

    def from_config(self, value: Any) -> list[float]:
        if isinstance(value, list):
            return [FLOAT.from_config(v) for v in value]
        return super().from_config(value)

    def to_text(self, value: Any) -> str:
        return ",".join(repr(v) for v in value)


class _BoundaryScales(Kind):
    """optax's ``boundaries_and_scales``: ``100:0.1,200:0.1`` is ``{100: 0.1, 200: 0.1}``.

    >>> BOUNDARY_SCALES.from_text("200:0.5, 100:0.1")
    {100: 0.1, 200: 0.5}
    """

    metavar = "STEP:SCALE,..."
    expected = "STEP:SCALE pairs separated by commas, such as 100:0.1,200:0.1 (steps are integers >= 0)"

    def from_text(self, text: str) -> dict[int, float]:
        pairs: list[tuple[Any, Any]] = []
        for part in text.strip().strip("{}").split(","):
            if not part.strip():
                continue
            step, colon, scale = part.partition(":")
            if not colon:
                raise LrplotError(f"{text!r}: expected {self.expected}")
            pairs.append((step.strip(), scale.strip()))
        return self._mapping(pairs, text)

    def from_config(self, value: Any) -> dict[int, float]:
        if isinstance(value, dict):  # TOML tables have text keys: {"100" = 0.1}
            return self._mapping([(str(k), v) for k, v in value.items()], repr(value))
        return super().from_config(value)

    def _mapping(self, pairs: list[tuple[str, Any]], shown: str) -> dict[int, float]:
        result: dict[int, float] = {}
        for step_text, scale in pairs:
            if not _INT.fullmatch(step_text) or int(step_text) < 0:
                raise LrplotError(f"{shown!r}: step {step_text!r}: expected {self.expected}")
            step = int(step_text)
            if step in result:
                raise LrplotError(f"{shown!r}: step {step} is given twice; expected each step once")
            try:
                result[step] = FLOAT.from_text(scale) if isinstance(scale, str) else FLOAT.from_config(scale)
            except LrplotError:
                raise LrplotError(f"{shown!r}: scale {scale!r} of step {step}: expected a finite number") from None
        return dict(sorted(result.items()))

    def to_text(self, value: Any) -> str:
        return ",".join(f"{step}:{scale!r}" for step, scale in value.items())


@dataclass(frozen=True)
class Choice(Kind):
    """One of a fixed set of words, e.g. ``mode`` of ReduceLROnPlateau."""

    choices: tuple[str, ...]

    @property
    def metavar(self) -> str:  # type: ignore[override]
        spelled = "|".join(self.choices)
        return spelled if len(spelled) <= 24 else "CHOICE"  # long lists are spelled out in the help

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.choices)

    def from_text(self, text: str) -> str:
        if text in self.choices:
            return text
        raise LrplotError(f"{text!r}: expected {self.expected}")


@dataclass(frozen=True)
class Expression(Kind):
    """A formula of one variable, parsed by :mod:`lrplot.expr` (never ``eval``)."""

    variable: str

    @property
    def metavar(self) -> str:  # type: ignore[override]
        return "EXPR"

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a formula in {self.variable!r}"

    def from_text(self, text: str) -> Any:
        from .expr import compile_expression  # the parser is only needed when used

        return compile_expression(text, self.variable)


class _Path(Kind):
    metavar = "FILE"
    expected = "a file path"

    def from_text(self, text: str) -> str:
        if not text:
            raise LrplotError(f"{text!r}: expected {self.expected}")
        return text


@dataclass(frozen=True)
class SpecKind(Kind):
    """A nested schedule: the words one would type after ``lrplot``, quoted.

    ``families`` are the ones whose schedules may stand here (torch's
    composites take torch-style schedulers; ``optax join`` takes optax
    schedules).  Inside one family the prefix may be left out
    (``"cosine-decay --init-value 1 --decay-steps 90"`` under ``optax join``),
    and with a ``default`` policy even the name (``"--peak-value 1 ..."``).
    ``as_kwargs`` shows children as the keyword dicts the library takes
    (optax's ``sgdr_schedule(cosine_kwargs=[{...}])``).
    """

    families: tuple[str, ...] = ("torch", "hf", "recipes")
    prefix: str | None = None
    default: str | None = None
    example: str = "linear --total-iters 5"
    as_kwargs: bool = False

    metavar = "SPEC"

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f'a quoted schedule such as "{self.example}"'

    def from_text(self, text: str) -> Any:
        from .spec import parse_words, split_words

        words = split_words(text)
        return self._checked(parse_words(self._complete(words), nested=True)[0], text)

    def from_config(self, value: Any) -> Any:
        from .spec import Spec, spec_from_mapping

        if isinstance(value, Spec):
            return self._checked(value, value.text)
        if isinstance(value, dict):
            name = value.get("policy", self.default)
            if isinstance(name, str) and self.prefix and not name.startswith(self.prefix + " "):
                name = f"{self.prefix} {name}"
            return self._checked(spec_from_mapping({**value, "policy": name}, nested=True), repr(value))
        if isinstance(value, str):
            return self.from_text(value)
        raise LrplotError(f"{value!r}: expected {self.expected}")

    def to_text(self, value: Any) -> str:
        """The SPEC's words, without what this place implies (``optax``, the default policy)."""
        import shlex

        from .spec import to_words

        words = to_words(value)
        if self.prefix and words[:1] == [self.prefix]:
            words = words[1:]
            if self.default and words[:1] == [self.default]:
                words = words[1:]
        return shlex.join(words)

    def _complete(self, words: list[str]) -> list[str]:
        """The words with the family prefix (and default policy) a short SPEC leaves out."""
        if self.prefix is None or (words and words[0] == self.prefix):
            return words
        if (not words or words[0].startswith("-")) and self.default:
            return [self.prefix, self.default, *words]
        from .registry import is_policy

        if words and not is_policy(f"{self.prefix} {words[0]}") and is_policy(words[0]):
            return words  # another family's schedule: refused by name below, not as a misspelling
        return [self.prefix, *words]

    def _checked(self, spec: Any, shown: str) -> Any:
        if spec.policy.family not in self.families:
            raise LrplotError(
                f"{shown!r} is a {spec.policy.family} schedule; expected {self.expected} "
                f"(from {', '.join(self.families)})"
            )
        if self.default and self.prefix and spec.policy.command != f"{self.prefix} {self.default}":
            raise LrplotError(f"{shown!r}: expected {self.expected}")
        return spec


def is_spec(kind: Kind) -> bool:
    """True for parameters whose values are nested SPECs."""
    return isinstance(kind, SpecKind)


INT = _Int()
FLOAT = _Float()
STR = _Str()
BOOL = _Bool()
FLAG = _Flag()
SIZE = _Size()
INT_LIST = _IntList()
FLOAT_LIST = _FloatList()
BOUNDARY_SCALES = _BoundaryScales()
PATH = _Path()
SPEC = SpecKind()


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Check:
    """A constraint on a value, with the words that describe it in help and errors."""

    test: Callable[[Any], bool]
    expected: str  # completes "expected an integer ..." in errors
    rule: str | None = None  # the sentence help shows; "Must be <expected>." unless given

    def __call__(self, value: Any) -> bool:
        return self.test(value)

    @property
    def help(self) -> str:
        return self.rule or f"Must be {self.expected}."


def at_least(bound: float) -> Check:
    return Check(lambda v: v >= bound, f">= {bound}")


def greater_than(bound: float) -> Check:
    return Check(lambda v: v > bound, f"> {bound}")


def between(low: float, high: float, *, low_open: bool = False, high_open: bool = False) -> Check:
    """``between(0, 1, low_open=True)`` accepts 0 < v <= 1 and describes itself as ``in (0, 1]``."""

    def test(v: float) -> bool:
        above = v > low if low_open else v >= low
        below = v < high if high_open else v <= high
        return above and below

    if not low_open and not high_open:
        return Check(test, f"from {low} to {high}")
    brackets = ("(" if low_open else "[") + f"{low}, {high}" + (")" if high_open else "]")
    return Check(test, f"in {brackets}")


EPOCHS = Check(lambda values: all(v >= 0 for v in values), "(each >= 0)", "Each must be >= 0.")
"""For milestone lists: torch takes negative ones, but they only make its two forms disagree."""


# --------------------------------------------------------------------------- params


@dataclass(frozen=True)
class Param:
    """One keyword parameter of a policy (or one common option).

    ``name`` is the framework's own keyword (``T_max``), used in config files
    and the Python API; ``option`` is the command-line spelling without dashes,
    ``kebab(name)`` unless the command line has a shorter established name
    (``--expr`` for ``lr_lambda``, ``--schedule`` for ``schedulers``).  ``per_group`` parameters take one value for every param
    group, or one value per group (repeat the option).
    """

    name: str
    kind: Kind
    default: Any = REQUIRED
    help: str = ""
    check: Check | None = None
    per_group: bool = False
    repeatable: bool = False
    option: str | None = None
    short: str | None = None
    kwarg: bool = True
    aliases: tuple[str, ...] = field(default=())  # more config keys (a library's old names)
    flag_aliases: tuple[str, ...] = field(default=())  # more command-line spellings: --niter
    display_default: str | None = None  # for defaults decided at run time (-n: 100, or one per metric)

    @property
    def flag(self) -> str:
        return "--" + (self.option or kebab(self.name))

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def takes_list(self) -> bool:
        return self.per_group or self.repeatable

    def describe_type(self) -> str:
        text = self.kind.expected
        if self.check is not None:
            text += " " + self.check.expected
        return text

    def validate(self, value: Any, where: str, shown: str | None = None) -> Any:
        """Check one value (or each of a list) against ``check``.

        ``where`` prefixes errors and ``shown`` is the spelling the user typed (``-n``).
        """
        if self.check is None or value is None:
            return value
        values = value if isinstance(value, list) and self.takes_list else [value]
        for v in values:
            if not self.check(v):
                raise LrplotError(f"{where}{shown or self.flag} {format_value(v)}: expected {self.describe_type()}")
        return value

    def from_text(self, text: str, where: str = "", shown: str | None = None) -> Any:
        try:
            return self.kind.from_text(text)
        except LrplotError as error:
            raise LrplotError(f"{where}{shown or self.flag} {error}") from None

    def from_config(self, value: Any, where: str = "") -> Any:
        """Convert a config/API value: a list for list-taking params, else a single value."""
        try:
            if self.takes_list and self.kind is not INT_LIST:
                items = value if isinstance(value, (list, tuple)) else [value]
                return [self.kind.from_config(v) for v in items]
            return self.kind.from_config(value)
        except LrplotError as error:
            raise LrplotError(f"{where}{self.name} = {error}") from None

    def default_text(self) -> str:
        if self.required:
            return "required"
        return format_value(self.default)

    def default_display(self) -> str:
        """The default as help tables show it: blank for switches and unset options."""
        if self.required:
            return "required"
        if self.display_default is not None:
            return self.display_default
        if self.kind is FLAG or self.default is None:
            return ""
        return format_value(self.default)
