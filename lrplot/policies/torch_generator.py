"""The two draws timm's noise makes from torch's CPU generator, replayed with numpy.

timm perturbs a noisy lr with ``torch.randn(1, generator=g)`` (or
``torch.rand``) after ``g.manual_seed(noise_seed + t)``.  torch's CPU
generator is a 32-bit Mersenne Twister seeded like numpy's legacy
``MT19937`` seeding (``init_genrand`` on the low 32 bits of the seed), so
numpy can replay the stream without torch:

* ``rand(1)`` (float32) takes one 32-bit word: ``(w & (2**24 - 1)) * 2**-24``;
* ``randn(1)`` draws two 53-bit uniforms ``u1, u2`` (each from two words,
  high word first), returns ``r * cos(theta)`` with ``r = sqrt(-2 log1p(-u2))``
  and ``theta = 2 pi u1``, and keeps ``r * sin(theta)`` for the next
  ``randn`` on the same generator; each result is rounded to float32.

This is how torch 2.13 computes a tensor of fewer than 16 values (larger
ones take a vectorized path), checked value for value against torch by
``tests/test_timm.py``.  torch does not promise this stream across versions,
so lrplot calls its timm noise approximate.

>>> from itertools import islice
>>> [round(v, 6) for v in islice(randn_stream(42), 2)]
[0.33669, 0.128809]
>>> round(rand(42), 6)
0.882269
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any


def _engine(seed: int) -> Any:
    import numpy as np  # only noisy timm schedules need it

    engine = np.random.MT19937(0)
    engine._legacy_seeding(seed % 2**64 & 0xFFFFFFFF)  # torch seeds its mt19937 with the low 32 bits
    return engine


def _float32(value: float) -> float:
    import numpy as np

    return float(np.float32(value))


def _uniform53(engine: Any) -> float:
    high, low = int(engine.random_raw()), int(engine.random_raw())
    return (((high << 32) | low) & ((1 << 53) - 1)) * 2.0**-53


def randn_stream(seed: int) -> Iterator[float]:
    """``torch.randn(1, generator=g).item()``, again and again, after ``g.manual_seed(seed)``."""
    engine = _engine(seed)
    while True:
        u1, u2 = _uniform53(engine), _uniform53(engine)
        radius = math.sqrt(-2.0 * math.log1p(-u2))
        theta = 2.0 * math.pi * u1
        yield _float32(radius * math.cos(theta))
        yield _float32(radius * math.sin(theta))  # torch keeps it for the next draw


def rand(seed: int) -> float:
    """``torch.rand(1, generator=g).item()`` after ``g.manual_seed(seed)``."""
    word = int(_engine(seed).random_raw())
    return _float32((word & ((1 << 24) - 1)) * 2.0**-24)
