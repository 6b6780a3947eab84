"""Previews from a training run's own config: what the trainer will do, with its step accounting.

Each trainer module reads the keys its tool writes (Hugging Face
``TrainingArguments``, timm's ``args.yaml``), repeats the tool's own step
accounting, and returns a :class:`Preview`: the schedule as an lrplot SPEC
(run options included: lr, rows, steps per epoch, interval) and the numbers it
derived, which the CLI prints above the table so they can be checked against
the trainer's log.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LrplotError
from ..files import read_user_text
from ..spec import Spec


@dataclass(frozen=True)
class Preview:
    """A schedule derived from a run config, and the accounting behind it."""

    spec: Spec  # run options set: lr, epochs (rows), steps_per_epoch, interval
    accounting: list[tuple[str, str]] = field(default_factory=list)  # ("update steps per epoch", "469"), ...


def read_run_config(path: str | Path, where: str) -> dict[str, Any]:
    """The mapping in a JSON or YAML file (by suffix; YAML otherwise, which also reads JSON).

    Errors name the file and say what was expected, in one line.
    """
    path = Path(path)
    text = read_user_text(path, named=f"{where}{path}", expected="a JSON or YAML file")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise LrplotError(f"{where}{path}: not valid JSON (line {error.lineno}: {error.msg})") from None
    else:
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            at = f" (line {mark.line + 1})" if mark is not None else ""
            raise LrplotError(f"{where}{path}: not valid YAML{at}: {getattr(error, 'problem', error)}") from None
    if not isinstance(data, Mapping):
        raise LrplotError(f"{where}{path}: expected a mapping of keys to values, got {type(data).__name__}")
    return dict(data)
