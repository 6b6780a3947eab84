"""Every policy lrplot knows, declared once each; importing this package fills the registry.

One module per group of related schedules; the order here is the order of ``lrplot list``.
"""

from . import torch_basic, torch_plateau, torch_cyclic, torch_compose  # noqa: F401
