"""Python source for emitted scripts: literals, calls, formulas, and the layout of a script.

Values are written so that Python reads back the very same value (floats with
``repr``), and a formula of ``--expr`` / ``--scale-fn`` becomes the lambda a
user would write, with ``math.`` in front of its functions and constants:

>>> from lrplot.expr import compile_expression
>>> python_lambda(compile_expression("min(1.0, (epoch + 1) / 10) * cos(pi * epoch / 100)", "epoch"))
'lambda epoch: min(1.0, (epoch + 1) / 10) * math.cos(math.pi * epoch / 100)'
>>> literal([0.1, 1e-07, 3, True, None])
'[0.1, 1e-07, 3, True, None]'
>>> call("StepLR", ["optimizer", "step_size=10", "gamma=0.1"])
'StepLR(optimizer, step_size=10, gamma=0.1)'
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..expr import CONSTANTS, FUNCTIONS, CompiledExpression

WIDTH = 100
"""Longest line a call is kept on before its arguments go one per line (black's layout)."""

_MATH = {name for name, (function, _, _) in FUNCTIONS.items() if getattr(function, "__module__", None) == "math"}
_MATH |= set(CONSTANTS)  # pi, e
STDLIB = {"math", "os", "functools", "warnings"}


class Raw(str):
    """Code text that :func:`literal` writes as it is (``optimizer.defaults["lr"]``)."""


def literal(value: Any) -> str:
    """Python source that evaluates to ``value``."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, CompiledExpression):
        return python_lambda(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'  # a diverged epoch in a metrics file
        if math.isinf(value):
            return 'float("inf")' if value > 0 else '-float("inf")'
        return repr(value)
    if isinstance(value, str):
        plain = value.isprintable() and '"' not in value and "\\" not in value
        return f'"{value}"' if plain else repr(value)  # double quotes, as ruff and black write them
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Python literal for {value!r}")


class _ToMath(ast.NodeTransformer):
    """``cos(pi * x)`` -> ``math.cos(math.pi * x)``; ``abs``, ``min`` and ``max`` are builtins already."""

    def __init__(self, variable: str) -> None:
        self.variable = variable

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in _MATH and node.id != self.variable:
            return ast.copy_location(ast.Attribute(ast.Name("math", ast.Load()), node.id, ast.Load()), node)
        return node


def python_formula(expression: CompiledExpression) -> str:
    """The formula as a Python expression.

    lrplot's formulas are Python's own syntax evaluated with Python's operators
    (:mod:`lrplot.expr`), so the same tree, printed back with ``math.`` names,
    computes the same value in the same order: ``ast.unparse`` keeps the tree.
    """
    tree = ast.parse(expression.source, mode="eval")
    body = ast.fix_missing_locations(_ToMath(expression.variable).visit(tree)).body
    return ast.unparse(body)


def python_lambda(expression: CompiledExpression) -> str:
    return f"lambda {expression.variable}: {python_formula(expression)}"


def uses_math(value: Any) -> bool:
    """True if ``value`` (a formula, or a list of them) needs ``import math``."""
    if isinstance(value, (list, tuple)):
        return any(uses_math(v) for v in value)
    return isinstance(value, CompiledExpression) and "math." in python_formula(value)


def call(function: str, args: Iterable[str], indent: str = "") -> str:
    """``function(a, b)`` on one line, or one argument per line when that is too long."""
    args = list(args)
    one_line = f"{function}({', '.join(args)})"
    if len(indent) + len(one_line) <= WIDTH and "\n" not in one_line:
        return one_line
    inner = indent + "    "
    return f"{function}(\n" + "".join(f"{inner}{arg},\n" for arg in args) + f"{indent})"


def listing(items: Iterable[str], indent: str = "") -> str:
    """``[a, b]`` on one line, or one item per line when that is too long."""
    items = list(items)
    one_line = "[" + ", ".join(items) + "]"
    if len(indent) + len(one_line) <= WIDTH and "\n" not in one_line:
        return one_line
    inner = indent + "    "
    return "[\n" + "".join(f"{inner}{item},\n" for item in items) + f"{indent}]"


def keywords(values: dict[str, Any]) -> list[str]:
    return [f"{name}={literal(value)}" for name, value in values.items()]


def wrapped_list(values: list[Any], indent: str = "") -> str:
    """A long list of numbers, a few per line."""
    items = [literal(v) for v in values]
    one_line = "[" + ", ".join(items) + "]"
    if len(indent) + len(one_line) <= WIDTH:
        return one_line
    lines, line = [], ""
    for item in items:
        if line and len(indent) + 4 + len(line) + len(item) + 2 > WIDTH:
            lines.append(line.rstrip())
            line = ""
        line += item + ", "
    lines.append(line.rstrip())
    return "[\n" + "".join(f"{indent}    {text}\n" for text in lines) + f"{indent}]"


def comment_text(text: str) -> str:
    """One line of text, safe to put after ``#``."""
    return " ".join(text.split())


@dataclass
class Script:
    """A script being written: header comments, imports, function definitions, then statements."""

    header: list[str] = field(default_factory=list)
    modules: set[str] = field(default_factory=set)  # import x
    names: dict[str, set[str]] = field(default_factory=dict)  # from x import a, b
    prelude: list[str] = field(default_factory=list)  # statements that must run before the library imports
    definitions: dict[str, str] = field(default_factory=dict)  # function name -> its source
    body: list[str] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)

    def import_module(self, module: str) -> None:
        self.modules.add(module)

    def import_from(self, module: str, *names: str) -> None:
        self.names.setdefault(module, set()).update(names)

    def define(self, name: str, source: str) -> str:
        """Add the function ``def name(...)`` once; another one by that name becomes ``name_2``. Returns the name."""
        candidate, number = name, 1
        while True:
            text = source.strip("\n").replace(f"def {name}(", f"def {candidate}(", 1)
            if self.definitions.get(candidate, text) == text:
                self.definitions[candidate] = text
                return candidate
            number += 1
            candidate = f"{name}_{number}"

    def add(self, *lines: str) -> None:
        self.body.extend(lines)

    def fresh(self, stem: str) -> str:
        """A variable name not used yet: ``cosine``, then ``cosine_2``..."""
        name, number = stem, 1
        while name in self.taken:
            number += 1
            name = f"{stem}_{number}"
        self.taken.add(name)
        return name

    def _imports(self, stdlib: bool) -> list[str]:
        plain = sorted(m for m in self.modules if (m.split(".")[0] in STDLIB) == stdlib)
        froms = sorted(m for m in self.names if (m.split(".")[0] in STDLIB) == stdlib)
        return [f"import {m}" for m in plain] + [f"from {m} import {', '.join(sorted(self.names[m]))}" for m in froms]

    def render(self) -> str:
        blocks = ["\n".join(f"# {line}" if line else "#" for line in self.header)]
        for block in (self._imports(stdlib=True), self.prelude, self._imports(stdlib=False)):
            if block:
                blocks.append("\n".join(block))
        text = "\n\n".join(blocks)
        for definition in self.definitions.values():  # PEP 8: two blank lines around functions
            text += "\n\n\n" + definition
        text += "\n\n\n" if self.definitions else "\n\n"
        return text + "\n".join(self.body).rstrip("\n") + "\n"
