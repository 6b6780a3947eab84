"""Every policy lrplot knows, declared once each; importing this package fills the registry.

One module per group of related schedules; the order of the imports is the order of
``lrplot list``, so it is kept by hand rather than sorted.
"""

# isort: off
from . import torch_basic  # noqa: F401  LambdaLR ... CosineAnnealingLR
from . import torch_plateau  # noqa: F401  ReduceLROnPlateau
from . import torch_cyclic  # noqa: F401  CyclicLR, CosineAnnealingWarmRestarts, OneCycleLR
from . import torch_compose  # noqa: F401  SequentialLR, ChainedScheduler
from . import hf  # noqa: F401  transformers' get_scheduler types
from . import recipes  # noqa: F401  Noam, inverse time decay, pix2pix
from . import timm  # noqa: F401  timm.scheduler classes
from . import optax  # noqa: F401  optax.schedules functions
from . import keras  # noqa: F401  keras.optimizers.schedules classes
# isort: on
