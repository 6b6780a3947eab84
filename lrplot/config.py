"""Render configs: one TOML file that describes every schedule figure of a project's docs.

    [defaults]                 # optional; every figure takes these unless it sets its own
    epochs = 100
    lr = 0.1
    formats = ["svg"]
    out_dir = "figures"        # relative to this file; --out-dir overrides it

    [[figure]]
    name = "step-vs-cosine"    # output stem: <out-dir>/<name>.<format>
    formats = ["svg", "csv"]
    curve = [
      { policy = "step", step_size = 30, gamma = 0.1, label = "StepLR(30)" },
      { policy = "CosineAnnealingLR", T_max = 100 },
    ]

    [[figure]]
    name = "onecycle"          # one policy inline instead of a curve list
    policy = "onecycle"
    max_lr = 0.1

Curve keys are the libraries' own keyword names (``T_max``, ``step_size``);
a policy is named by command or class name; files (``metrics``) are relative
to the config file.  Figure keys are the command line's output and run
options (``title``, ``log_y``, ``size``, ``dpi``, ``epochs``, ``lr``, ...).

Loading never stops at a bad figure: its error (naming the file, the figure
and the key) is kept, and the other figures still render.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .compare import default_label
from .errors import LrplotError
from .files import read_user_text
from .options import OUTPUT_OPTIONS, RUN_OPTIONS
from .params import STR, Choice, Param
from .spec import Spec, spec_from_mapping

FORMATS = ("svg", "png", "pdf", "csv", "json")

_STYLE = {p.name: p for p in OUTPUT_OPTIONS if p.name in ("title", "log_y", "size", "dpi")}
_RUN = {p.name: p for p in RUN_OPTIONS}
FIGURE_PARAMS: dict[str, Param] = {
    "name": Param("name", STR, help="Output stem: the files are <out-dir>/<name>.<format>."),
    "formats": Param(
        "formats", Choice(FORMATS), ["svg"], repeatable=True, help="Files to write: svg, png, pdf, csv, json."
    ),
    **_STYLE,
    **_RUN,
}
"""Keys a ``[[figure]]`` (or ``[defaults]``) table takes, besides ``curve`` or an inline policy."""
DEFAULT_KEYS = {*FIGURE_PARAMS} - {"name"} | {"out_dir"}


@dataclass
class Figure:
    """One figure to render: its curves and how to draw and save them."""

    name: str
    specs: list[Spec]  # run options (epochs, lr, ...) already merged in
    labels: list[str | None]
    style: dict[str, Any]  # title, log_y, size, dpi
    formats: list[str]

    def paths(self, out_dir: Path) -> list[Path]:
        return [out_dir / f"{self.name}.{fmt}" for fmt in self.formats]


@dataclass
class RenderConfig:
    """A loaded config: the figures that are valid, and one error line per figure that is not."""

    path: Path
    out_dir: Path
    figures: list[Figure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.figures]


def _read(path: Path) -> dict[str, Any]:
    text = read_user_text(path, named=str(path), expected="a TOML config file")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LrplotError(f"{path}: not valid TOML: {error}") from None


def _convert(key: str, value: Any, where: str) -> Any:
    """A figure key's value, converted and checked; errors read ``<where>dpi = 5: expected ...``."""
    param = FIGURE_PARAMS[key]
    return param.validate(param.from_config(value, where), where, f"{key} =")


def _unknown_key(key: str, allowed: set[str], where: str) -> LrplotError:
    hint = difflib.get_close_matches(key, sorted(allowed), n=1)
    suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
    return LrplotError(f"{where}unknown key {key!r}{suggestion}")


def _defaults(raw: Any, where: str, base_dir: Path) -> tuple[dict[str, Any], Path | None]:
    if raw is None:
        return {}, None
    if not isinstance(raw, dict):
        raise LrplotError(f"{where}[defaults] must be a table")
    values: dict[str, Any] = {}
    out_dir = None
    for key, value in raw.items():
        if key not in DEFAULT_KEYS:
            raise _unknown_key(key, DEFAULT_KEYS, f"{where}[defaults]: ")
        if key == "out_dir":
            if not isinstance(value, str):
                raise LrplotError(f"{where}[defaults]: out_dir = {value!r}: expected a folder path")
            out_dir = base_dir / value
        else:
            values[key] = _convert(key, value, f"{where}[defaults]: ")
    return values, out_dir


def _figure(raw: Any, index: int, defaults: dict[str, Any], where: str, base_dir: Path) -> Figure:
    if not isinstance(raw, dict):
        raise LrplotError(f"{where}figure #{index}: expected a [[figure]] table")
    name = raw.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        shown = (
            "missing key 'name'" if name is None else f"name = {name!r}: expected a file stem (letters, digits, . _ -)"
        )
        raise LrplotError(f"{where}figure #{index}: {shown}")
    where = f"{where}figure {name!r}: "
    values = dict(defaults)
    policy_keys: dict[str, Any] = {}
    curves = raw.get("curve")
    for key, value in raw.items():
        if key in ("name", "curve"):
            continue
        if key in FIGURE_PARAMS:
            values[key] = _convert(key, value, where)
        elif curves is None:
            policy_keys[key] = value  # a figure with one policy inline: the rest are its keys
        else:
            raise _unknown_key(key, {*FIGURE_PARAMS, "curve"}, where)
    if curves is None:
        if "policy" not in policy_keys:
            raise LrplotError(f"{where}expected a 'curve' list or an inline 'policy'")
        curves = [policy_keys]
    elif not isinstance(curves, list) or not curves:
        raise LrplotError(
            f'{where}curve = {curves!r}: expected a list of tables such as {{ policy = "step", step_size = 30 }}'
        )
    run = {k: values[k] for k in _RUN if k in values}
    specs, labels = [], []
    for number, curve in enumerate(curves, start=1):
        at = f"{where}curve {number}: " if len(curves) > 1 else where
        if not isinstance(curve, dict):
            raise LrplotError(f'{at}expected a table such as {{ policy = "step", step_size = 30 }}')
        spec = spec_from_mapping(curve, where=at, base_dir=base_dir)
        specs.append(spec.with_run_defaults(run))
        # configs speak in keyword names, so curves are labelled as the constructor call
        labels.append(spec.label or default_label(spec, spec.call))
    return Figure(
        name=name,
        specs=specs,
        labels=labels,
        style={k: values[k] for k in _STYLE if k in values},
        formats=values.get("formats", ["svg"]),
    )


def load_config(path: str | Path, out_dir: str | Path | None = None) -> RenderConfig:
    """Read a render config; fatal problems raise, a bad figure is recorded and skipped."""
    path = Path(path)
    where = f"{path}: "
    document = _read(path)
    base_dir = path.parent
    unknown = set(document) - {"defaults", "figure"}
    if unknown:
        raise _unknown_key(sorted(unknown)[0], {"defaults", "figure"}, where)
    defaults, configured_out = _defaults(document.get("defaults"), where, base_dir)
    config = RenderConfig(path, Path(out_dir) if out_dir is not None else configured_out or base_dir)
    raw_figures = document.get("figure", [])
    if not isinstance(raw_figures, list) or not raw_figures:
        raise LrplotError(f"{where}no [[figure]] tables; nothing to render")
    seen: set[str] = set()
    for index, raw in enumerate(raw_figures, start=1):
        try:
            figure = _figure(raw, index, defaults, where, base_dir)
        except LrplotError as error:
            message = str(error)
            config.errors.append(message if message.startswith(where) else where + message)
            continue
        if figure.name in seen:
            config.errors.append(f"{where}figure {figure.name!r}: the name is used twice; names must be unique")
            continue
        seen.add(figure.name)
        config.figures.append(figure)
    return config
