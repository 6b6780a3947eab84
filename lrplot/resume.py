"""Resuming a run from a checkpoint: what the scheduler does after a restart.

TODO(issue 12): being written.
"""

from __future__ import annotations

from .errors import LrplotError
from .series import Series


def resume(series: Series) -> Series:
    """The rows K..N-1 of ``series`` as the run resumed at epoch K = ``--resume-at`` sees them."""
    raise LrplotError("--resume-at is not implemented yet")
