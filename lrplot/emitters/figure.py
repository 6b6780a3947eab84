"""``--emit toml``: the ``[[figure]]`` entry of a config for ``lrplot render`` that draws the same figure.

``lrplot step --step-size 10 --gamma 0.1 --lr 0.05 -n 40 --emit toml`` writes::

    [[figure]]
    name = "step"
    epochs = 40
    lr = 0.05
    policy = "step"
    step_size = 10
    gamma = 0.1

Keys are the keyword names configs take (:mod:`lrplot.config`): the run options
given, at the figure level, then the policy and the parameters given, so
loading the entry gives back the same SPEC.  ``compare`` gives one figure with
a ``curve`` list, one labelled curve per SPEC; run options every SPEC shares
go to the figure, the others to their curve.  A metrics file is written as an
absolute path, since configs read relative paths from their own folder.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Sequence
from typing import Any

from ..config import FIGURE_PARAMS
from ..options import RUN_OPTIONS
from ..params import PATH, Expression, Param, SpecKind, is_spec
from ..spec import Spec, to_words
from .code import comment_text
from .rows import command_line

_RESERVED = {*FIGURE_PARAMS, "name", "curve", "policy", "label"}


def toml_string(text: str) -> str:
    """A TOML basic string: ``"..."`` with quotes, backslashes and control characters escaped."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)  # finite: lrplot refuses inf and nan parameters
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    source = getattr(value, "source", None)  # a formula
    if isinstance(source, str):
        return toml_string(source)
    raise TypeError(f"no TOML value for {value!r}")


def _param_value(param: Param, value: Any) -> Any:
    """A parameter's value as a config writes it (a spec's children are handled by the caller)."""
    if param.kind is PATH and isinstance(value, str):
        return os.path.abspath(value)
    if isinstance(param.kind, Expression) and isinstance(value, list):
        return value[0] if len(value) == 1 else value
    if param.per_group and isinstance(value, list) and len(value) == 1:
        return value[0]  # one value for every group: the scalar form
    return value


def _run_value(name: str, value: Any) -> Any:
    if isinstance(value, list) and len(value) == 1:
        return value[0]  # lr = 0.1, momentum = 0.9
    return value


def _pairs(spec: Spec, *, with_policy: bool = True, multiline: bool = False) -> list[tuple[str, str]]:
    """``(key, TOML value)`` of a SPEC: its policy, then the parameters it was given."""
    pairs = [("policy", toml_string(spec.policy.command))] if with_policy else []
    for param in spec.policy.params:
        if param.name not in spec.params:
            continue
        value = spec.params[param.name]
        if is_spec(param.kind):
            tables = [_inline(child, param.kind) for child in value]
            if multiline:
                text = "[\n" + "".join(f"  {table},\n" for table in tables) + "]"
            else:
                text = "[" + ", ".join(tables) + "]"
            pairs.append((param.name, text))
        else:
            pairs.append((param.name, toml_value(_param_value(param, value))))
    return pairs


def _inline(spec: Spec, kind: SpecKind | None = None, extra: Sequence[tuple[str, str]] = ()) -> str:
    """A SPEC as an inline table (one line, as TOML requires); a default policy is left implicit."""
    implicit = kind is not None and kind.default is not None and spec.policy.command == f"{kind.prefix} {kind.default}"
    pairs = [*_pairs(spec, with_policy=not implicit), *extra]
    return "{ " + ", ".join(f"{key} = {value}" for key, value in pairs) + " }"


def _run_pairs(run: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.name, toml_value(_run_value(p.name, run[p.name]))) for p in RUN_OPTIONS if p.name in run]


def _name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "figure"


def emit_figure(specs: Sequence[Spec], labels: Sequence[str] | None = None) -> str:
    """One ``[[figure]]``: the policy inline for one SPEC, a ``curve`` list for several."""
    if len(specs) == 1:
        lines = [f"# {command_line(specs[0], 'toml')}"]
    else:
        lines = ["# lrplot compare --emit toml, one curve per SPEC:"]
        lines += [f"#   {comment_text(shlex.join(to_words(spec)))}" for spec in specs]
    lines.append("# Add it to a config and run `lrplot render CONFIG.toml` (formats = [...] picks the files).")
    lines.append("[[figure]]")
    if len(specs) == 1 and not labels:
        spec = specs[0]
        lines.append(f"name = {toml_string(_name(spec.policy.command))}")
        lines += [f"{key} = {value}" for key, value in _run_pairs(spec.run)]
        if spec.label is not None:
            lines.append(f"label = {toml_string(spec.label)}")
        own = {p.name for p in spec.policy.params}
        if own & _RESERVED:  # a parameter named like a figure key (GreedyLR's warmup) must sit in a curve
            lines.append(f"curve = [\n  {_inline(spec)},\n]")
        else:
            lines += [f"{key} = {value}" for key, value in _pairs(spec, multiline=True)]
        return "\n".join(lines) + "\n"
    # compare: run options that every SPEC shares belong to the figure, the others to their curve
    shared = {
        p.name: specs[0].run[p.name]
        for p in RUN_OPTIONS
        if p.name in specs[0].run and all(p.name in s.run and s.run[p.name] == specs[0].run[p.name] for s in specs)
    }
    lines.append(f"name = {toml_string('compare')}")
    lines += [f"{key} = {value}" for key, value in _run_pairs(shared)]
    lines.append("curve = [")
    for number, spec in enumerate(specs):
        own_run = {k: v for k, v in spec.run.items() if k not in shared}
        label = labels[number] if labels else spec.label
        extra = [*_run_pairs(own_run), *([("label", toml_string(label))] if label is not None else [])]
        lines.append(f"  {_inline(spec, extra=extra)},")
    lines.append("]")
    return "\n".join(lines) + "\n"
