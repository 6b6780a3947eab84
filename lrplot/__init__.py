"""lrplot: preview learning-rate schedules exactly as PyTorch (and HF, timm, optax, Keras) compute them.

>>> import lrplot
>>> s = lrplot.simulate("step --step-size 10 --gamma 0.1", epochs=12, lr=0.05)
>>> s.lr[9:11].tolist()
[0.05, 0.005000000000000001]

``simulate`` returns a :class:`Series` (``.lr``, ``.momentum``, ``.to_csv()``,
``.to_json()``); ``plot`` and ``figure`` draw it with matplotlib; ``lint`` says
what looks wrong with it; ``policies()`` lists every schedule.

>>> lrplot.lint(lrplot.simulate("step --step-size 30", epochs=20))
['--step-size 30 is not shorter than the run (20 epochs): StepLR never changes the lr; use --step-size 19 or less']

Importing lrplot imports neither matplotlib nor typer:
figures import matplotlib when one is drawn, and only the command line imports typer.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import figure, plot, policies, simulate
from .errors import LrplotError
from .lint import lint
from .registry import POLICIES, Policy, all_policies, lookup
from .series import Series
from .spec import Spec, parse_spec, spec_from_mapping

__all__ = [
    "POLICIES",
    "LrplotError",
    "Policy",
    "Series",
    "Spec",
    "__version__",
    "all_policies",
    "figure",
    "lint",
    "lookup",
    "parse_spec",
    "plot",
    "policies",
    "simulate",
    "spec_from_mapping",
]
