"""Code emission (``--emit TARGET``): the previewed schedule as code for its library.

TODO(issue 12): being written.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import LrplotError
from .spec import Spec


def emit(spec: Spec, target: str) -> str:
    """The code for ``target`` that reproduces ``spec``'s rows (a script, or a toml figure entry)."""
    raise LrplotError(f"--emit {target}: not implemented yet")


def emit_all(specs: Sequence[Spec], target: str, labels: Sequence[str]) -> str:
    """``compare --emit``: one block per SPEC, each headed by its label."""
    return "\n".join(emit(spec, target) for spec in specs)
