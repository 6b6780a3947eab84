"""lrplot: preview learning-rate schedules exactly as PyTorch computes them.

>>> from lrplot import parse_spec, simulate
>>> simulate(parse_spec("step --step-size 10 --gamma 0.1 --lr 0.05 -n 12")).lr_columns[0][9:11]
[0.05, 0.005000000000000001]

Importing lrplot imports neither matplotlib nor typer: figures import
matplotlib when one is drawn, and only the command line imports typer.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import LrplotError
from .registry import POLICIES, Policy, all_policies, lookup
from .series import Series
from .simulate import simulate
from .spec import Spec, parse_spec, spec_from_mapping

__all__ = [
    "POLICIES",
    "LrplotError",
    "Policy",
    "Series",
    "Spec",
    "__version__",
    "all_policies",
    "lookup",
    "parse_spec",
    "simulate",
    "spec_from_mapping",
]
