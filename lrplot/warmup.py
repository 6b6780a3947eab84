"""Warmup in front of any policy: ``--warmup N`` with a shape and a starting factor.

By default the schedule starts *after* the warmup: torch's
``SequentialLR([LambdaLR(warmup), schedule], milestones=[N])``, whose
handover at step N restarts the schedule at its own step 0.  The factor
multiplies the optimizer's lr (``--lr``), as LambdaLR does, so the warmup
climbs to ``--lr``; a schedule that starts elsewhere (onecycle, cyclic, noam)
jumps at the handover, in torch as here.  With ``--warmup-overlap`` the
schedule runs from step 0 and its first N values are multiplied by the factor
instead.  These shapes are lrplot's own; timm, optax and Keras warm up with
their own options.

The factor at step ``t < N`` (``a`` = ``--warmup-start``, ``q = t / N``):

* linear: ``a + (1 - a) * q``
* cosine: ``a + (1 - a) * (1 - cos(pi * q)) / 2``
* 1-sqrt: ``a + (1 - a) * (1 - sqrt(1 - q))``
* log: ``a + (1 - a) * log(1 + t) / log(1 + N)``
* exponential: ``a ** (1 - q)``, a constant ratio per step (needs ``a > 0``)

>>> factor = warmup_factor(4, "linear", 0.0)
>>> [factor(t) for t in range(5)]
[0.0, 0.25, 0.5, 0.75, 1.0]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .errors import LrplotError


def warmup_factor(steps: int, shape: str, start: float) -> Callable[[int], float]:
    """The multiplier of the schedule's starting lr at step ``t`` (1.0 from ``steps`` on)."""
    if shape == "exponential" and start <= 0:
        raise LrplotError("--warmup-shape exponential grows by a constant ratio: give --warmup-start > 0, e.g. 0.01")
    shapes: dict[str, Callable[[int, float], float]] = {  # g(t, q) with q = t / steps
        "linear": lambda t, q: q,
        "cosine": lambda t, q: (1 - math.cos(math.pi * q)) / 2,
        "1-sqrt": lambda t, q: 1 - math.sqrt(1 - q),
        "log": lambda t, q: math.log(1 + t) / math.log(1 + steps),
    }

    def factor(t: int) -> float:
        if t >= steps:
            return 1.0
        q = t / steps
        if shape == "exponential":
            return start ** (1 - q)
        return start + (1 - start) * shapes[shape](t, q)

    return factor


def describe(run: dict[str, Any], unit: str) -> str:
    """``10-epoch linear warmup from 0.0`` for titles and table notes."""
    overlap = ", overlapping the schedule" if run.get("warmup_overlap") else ""
    return f"{run['warmup']}-{unit} {run['warmup_shape']} warmup from {run['warmup_start']!r}{overlap}"
