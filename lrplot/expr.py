"""Safe formulas of one variable, for ``--expr`` (LambdaLR) and ``--scale-fn`` (CyclicLR).

The text is parsed with :func:`ast.parse` and walked against an explicit
whitelist, then turned into nested closures.  Nothing is passed to ``eval``
or ``exec``.  What is allowed:

* numbers, the variable (``epoch`` or ``x``), the constants ``pi`` and ``e``;
* ``+ - * / // % **``, unary ``-``/``+``, comparisons (chained too),
  ``and``/``or``/``not`` and ``a if cond else b``;
* the functions ``exp log log2 log10 sqrt sin cos tan tanh floor ceil abs min max``.

Arithmetic follows Python exactly (``epoch // 10`` stays an integer), so a
formula gives the same numbers as the ``lambda`` a user would hand to torch:

>>> f = compile_expression("0.95 ** epoch", "epoch")
>>> f(2)
0.9025
>>> compile_expression("epoch // 10", "epoch")(25)
2
>>> compile_expression("1 if epoch < 5 else 0.1", "epoch")(7)
0.1

Work is bounded: long or deeply nested text and results that would need
more than a few thousand bits (``9**9**9**9``) are refused quickly.
"""

from __future__ import annotations

import ast
import difflib
import math
import operator
from collections.abc import Callable
from typing import Any

from .errors import LrplotError

MAX_LENGTH = 500
MAX_NODES = 200
MAX_DEPTH = 40
MAX_INT_BITS = 4096  # 2**4096 is already far beyond any float

FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int]] = {
    # name: (function, fewest arguments, most arguments)
    "exp": (math.exp, 1, 1),
    "log": (math.log, 1, 2),
    "log2": (math.log2, 1, 1),
    "log10": (math.log10, 1, 1),
    "sqrt": (math.sqrt, 1, 1),
    "sin": (math.sin, 1, 1),
    "cos": (math.cos, 1, 1),
    "tan": (math.tan, 1, 1),
    "tanh": (math.tanh, 1, 1),
    "floor": (math.floor, 1, 1),
    "ceil": (math.ceil, 1, 1),
    "abs": (abs, 1, 1),
    "min": (min, 2, 16),
    "max": (max, 2, 16),
}
CONSTANTS = {"pi": math.pi, "e": math.e}


class ExpressionError(LrplotError):
    """An expression that cannot be parsed, or that fails for one value of its variable."""


def _checked_pow(base: Any, exponent: Any) -> Any:
    # Integer powers are exact in Python and can grow without bound; refuse before computing.
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0:
        if exponent * max(1, abs(base).bit_length()) > MAX_INT_BITS:
            raise ExpressionError(f"{base} ** {exponent} is too large")
    result = operator.pow(base, exponent)
    if isinstance(result, complex):  # (-8) ** 0.5 is complex in Python; no lr can be
        raise ExpressionError(f"{base} ** {exponent} is not a real number")
    return result


def _checked_mul(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int) and a.bit_length() + b.bit_length() > MAX_INT_BITS:
        raise ExpressionError("an intermediate integer is too large")
    return a * b


_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: _checked_mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: _checked_pow,
}
_COMPARE = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_SYMBOL = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
    ast.Mod: "%", ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
    ast.LShift: "<<", ast.RShift: ">>", ast.MatMult: "@",
}  # fmt: skip
_NOT_ALLOWED = {
    ast.Attribute: "attribute access ('.')",
    ast.Subscript: "subscripts ('[...]')",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.JoinedStr: "strings",
    ast.NamedExpr: "assignment (':=')",
    ast.Starred: "'*' unpacking",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


class CompiledExpression:
    """A checked formula, callable with the value of its variable.

    >>> f = compile_expression("max(0.1, 1 - epoch / 100)", "epoch")
    >>> f.source, f.variable, f(95)
    ('max(0.1, 1 - epoch / 100)', 'epoch', 0.1)
    """

    def __init__(self, source: str, variable: str, function: Callable[[Any], Any]) -> None:
        self.source = source
        self.variable = variable
        self._function = function

    def __call__(self, value: Any) -> Any:
        try:
            result = self._function(value)
        except ExpressionError as error:
            raise ExpressionError(f"{self.source!r} at {self.variable}={value}: {error}") from None
        except ZeroDivisionError:
            raise ExpressionError(f"{self.source!r} divides by zero at {self.variable}={value}") from None
        except OverflowError:
            raise ExpressionError(f"{self.source!r} overflows at {self.variable}={value}") from None
        except (ValueError, TypeError) as error:
            raise ExpressionError(f"{self.source!r} fails at {self.variable}={value}: {error}") from None
        if isinstance(result, int) and not isinstance(result, bool):
            try:
                float(result)  # the lr is base_lr * result: it has to fit in a float
            except OverflowError:
                raise ExpressionError(f"{self.source!r} is too large for a float at {self.variable}={value}") from None
        if isinstance(result, float) and not math.isfinite(result):
            raise ExpressionError(f"{self.source!r} gives {result} at {self.variable}={value}")
        return result

    def __repr__(self) -> str:
        return f"CompiledExpression({self.source!r}, {self.variable!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CompiledExpression) and (self.source, self.variable) == (other.source, other.variable)

    def __hash__(self) -> int:
        return hash((self.source, self.variable))


def compile_expression(source: str, variable: str) -> CompiledExpression:
    """Parse ``source`` as a formula in ``variable``; raise :class:`ExpressionError` if it is not one.

    >>> compile_expression("exec(epoch)", "epoch")
    Traceback (most recent call last):
    ...
    lrplot.expr.ExpressionError: 'exec(epoch)': calls to 'exec' are not allowed; functions: exp, log, log2, log10, sqrt, sin, cos, tan, tanh, floor, ceil, abs, min, max
    """
    text = source.strip()
    if not text:
        raise ExpressionError(f"empty formula: expected an expression in {variable!r}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"formula of {len(text)} characters: expected at most {MAX_LENGTH}")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        reason = getattr(error, "msg", None) or type(error).__name__
        raise ExpressionError(f"{text!r} is not a formula: {reason}") from None
    builder = _Builder(text, variable)
    function = builder.build(tree.body, depth=0)
    expression = CompiledExpression(text, variable, function)
    if builder.constant:  # a formula without its variable is evaluated now, so runaways fail here
        try:
            expression(0)
        except ExpressionError as error:  # the value does not depend on the variable: do not name one
            raise ExpressionError(str(error).replace(f" at {variable}=0", "")) from None
    return expression


class _Builder:
    """Turns a whitelisted AST into nested closures, counting nodes and depth."""

    def __init__(self, source: str, variable: str) -> None:
        self.source = source
        self.variable = variable
        self.nodes = 0
        self.constant = True

    def fail(self, reason: str) -> ExpressionError:
        return ExpressionError(f"{self.source!r}: {reason}")

    def build(self, node: ast.AST, depth: int) -> Callable[[Any], Any]:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(f"too complex (more than {MAX_NODES} parts)")
        if depth > MAX_DEPTH:
            raise self.fail(f"nested too deeply (more than {MAX_DEPTH} levels)")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            what = _NOT_ALLOWED.get(type(node), f"'{type(node).__name__}'")
            raise self.fail(f"{what} not allowed in a formula")
        return method(node, depth + 1)

    def _Constant(self, node: ast.Constant, depth: int) -> Callable[[Any], Any]:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = "strings" if isinstance(value, (str, bytes)) else repr(value)
            raise self.fail(f"{kind} not allowed in a formula; use numbers")
        return lambda _x: value

    def _Name(self, node: ast.Name, depth: int) -> Callable[[Any], Any]:
        if node.id == self.variable:
            self.constant = False
            return lambda x: x
        if node.id in CONSTANTS:
            value = CONSTANTS[node.id]
            return lambda _x: value
        known = [self.variable, *CONSTANTS]
        hint = difflib.get_close_matches(node.id, known + list(FUNCTIONS), n=1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        raise self.fail(f"unknown name {node.id!r}{suggestion} (names: {', '.join(known)})")

    def _BinOp(self, node: ast.BinOp, depth: int) -> Callable[[Any], Any]:
        op = _BINARY.get(type(node.op))
        if op is None:
            raise self.fail(f"operator {_SYMBOL.get(type(node.op), '?')!r} not allowed")
        left, right = self.build(node.left, depth), self.build(node.right, depth)
        return lambda x: op(left(x), right(x))

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> Callable[[Any], Any]:
        operand = self.build(node.operand, depth)
        if isinstance(node.op, ast.USub):
            return lambda x: -operand(x)
        if isinstance(node.op, ast.UAdd):
            return lambda x: +operand(x)
        if isinstance(node.op, ast.Not):
            return lambda x: not operand(x)
        raise self.fail("operator '~' not allowed")

    def _BoolOp(self, node: ast.BoolOp, depth: int) -> Callable[[Any], Any]:
        values = [self.build(v, depth) for v in node.values]
        if isinstance(node.op, ast.And):

            def both(x: Any) -> Any:
                result: Any = True
                for value in values:
                    result = value(x)
                    if not result:
                        return result
                return result

            return both

        def either(x: Any) -> Any:
            result: Any = False
            for value in values:
                result = value(x)
                if result:
                    return result
            return result

        return either

    def _Compare(self, node: ast.Compare, depth: int) -> Callable[[Any], Any]:
        ops = []
        for op in node.ops:
            function = _COMPARE.get(type(op))
            if function is None:
                raise self.fail(f"comparison {type(op).__name__!r} not allowed")
            ops.append(function)
        first = self.build(node.left, depth)
        rest = [self.build(c, depth) for c in node.comparators]

        def compare(x: Any) -> bool:
            left = first(x)
            for op, operand in zip(ops, rest):
                right = operand(x)
                if not op(left, right):
                    return False
                left = right
            return True

        return compare

    def _IfExp(self, node: ast.IfExp, depth: int) -> Callable[[Any], Any]:
        test = self.build(node.test, depth)
        then, otherwise = self.build(node.body, depth), self.build(node.orelse, depth)
        return lambda x: then(x) if test(x) else otherwise(x)

    def _Call(self, node: ast.Call, depth: int) -> Callable[[Any], Any]:
        allowed = ", ".join(FUNCTIONS)
        if not isinstance(node.func, ast.Name):
            raise self.fail(f"only these functions can be called: {allowed}")
        name = node.func.id
        if name not in FUNCTIONS:
            raise self.fail(f"calls to {name!r} are not allowed; functions: {allowed}")
        if node.keywords:
            raise self.fail(f"{name}() takes no keyword arguments")
        function, fewest, most = FUNCTIONS[name]
        if not fewest <= len(node.args) <= most:
            count = str(fewest) if fewest == most else f"{fewest} to {most}"
            raise self.fail(f"{name}() takes {count} argument(s), got {len(node.args)}")
        args = [self.build(a, depth) for a in node.args]
        if len(args) == 1:
            only = args[0]
            return lambda x: function(only(x))
        return lambda x: function(*(a(x) for a in args))
