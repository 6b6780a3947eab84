"""The test oracle: build the *real* torch scheduler for an lrplot SPEC and run torch's loop.

Used by ``tests/golden/record_torch.py`` (which writes the committed golden
values) and by the live comparison in ``tests/test_torch_golden.py`` whenever
torch is importable.  It shares nothing with lrplot's simulation except the
SPEC parser, which tells it which torch class and keyword arguments to use.

Expressions are not evaluated from their text: every formula a golden case
uses has a real Python ``lambda`` below, so torch runs exactly what a user
would have written in their training script.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from lrplot.metrics import load_metrics
from lrplot.params import SPEC, Expression
from lrplot.simulate import resolve_run
from lrplot.spec import Spec

PYTHON_LAMBDAS: dict[str, Any] = {
    "0.2 ** epoch": lambda epoch: 0.2**epoch,
    "epoch // 10": lambda epoch: epoch // 10,
    "0.95 ** epoch": lambda epoch: 0.95**epoch,
    "0.1 ** (epoch // 2)": lambda epoch: 0.1 ** (epoch // 2),
    "1 if epoch < 5 else 0.1": lambda epoch: 1 if epoch < 5 else 0.1,
    "0.5": lambda epoch: 0.5,
    "0.97": lambda epoch: 0.97,
    "0.9 if epoch % 3 == 0 else 1.0": lambda epoch: 0.9 if epoch % 3 == 0 else 1.0,
    "1.0 - max(0, epoch + 1 - 100) / 101": lambda epoch: 1.0 - max(0, epoch + 1 - 100) / 101,
    "min(1.0, (epoch + 1) / 10) * 0.5 * (1 + cos(pi * epoch / 10000))": (
        lambda epoch: min(1.0, (epoch + 1) / 10) * 0.5 * (1 + math.cos(math.pi * epoch / 10000))
    ),
    "exp(-epoch / 3000)": lambda epoch: math.exp(-epoch / 3000),
    "1 / (2.0 ** (x - 1))": lambda x: 1 / (2.0 ** (x - 1)),
    "0.99 ** x": lambda x: 0.99**x,
    "1 / sqrt(x)": lambda x: 1 / math.sqrt(x),
}


def _python_function(expression: Any) -> Any:
    function = PYTHON_LAMBDAS.get(expression.source)
    if function is None:
        raise KeyError(f"add a Python lambda for {expression.source!r} to PYTHON_LAMBDAS")
    return function


def _torch_value(param: Any, value: Any, optimizer: Any, run: dict[str, Any]) -> Any:
    if param.kind is SPEC:
        return [build_torch(child, optimizer, run) for child in value]
    if isinstance(param.kind, Expression):
        value = (
            [_python_function(v) for v in value]
            if isinstance(value, list)
            else (None if value is None else _python_function(value))
        )
    if param.per_group and isinstance(value, list) and len(value) == 1:
        return value[0]  # torch's scalar form: the same for every group
    return value


def build_torch(spec: Spec, optimizer: Any, run: dict[str, Any]) -> Any:
    import torch

    policy = spec.policy
    bound = spec.bound()
    cls = getattr(torch.optim.lr_scheduler, policy.library_name)
    kwargs = {p.name: _torch_value(p, bound[p.name], optimizer, run) for p in policy.params if p.kwarg}
    if policy.name == "onecycle" and kwargs["total_steps"] is None:
        kwargs["total_steps"] = run["epochs"]
    if policy.name == "chained":
        return cls(kwargs["schedulers"], optimizer)
    return cls(optimizer, **kwargs)


def run_torch(spec: Spec) -> dict[str, Any]:
    """Rows as torch gives them: ``{"lr": [[group 0...], ...], "momentum": [[...]] or None}``."""
    import torch

    run = resolve_run(spec)
    bound = spec.bound()
    metrics = load_metrics(bound["metrics"], bound.get("metric_column")) if "metrics" in bound else None
    if run["epochs"] is None:
        run["epochs"] = len(metrics) if metrics is not None else 100
    lrs, momenta = list(run["lr"]), list(run["momentum"])
    if len(momenta) == 1:
        momenta = momenta * len(lrs)
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr, "momentum": m} for lr, m in zip(lrs, momenta)]
    optimizer = torch.optim.SGD(groups, lr=lrs[0], momentum=momenta[0])
    track_momentum = spec.policy.cycles_momentum(bound)
    lr_rows: list[list[float]] = [[] for _ in lrs]
    momentum_rows: list[list[float]] = [[] for _ in lrs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheduler = build_torch(spec, optimizer, run)
        for epoch in range(run["epochs"]):
            if run["closed_form"]:
                scheduler.step(epoch)
            for column, value in zip(lr_rows, scheduler.get_last_lr()):
                column.append(float(value))
            for column, group in zip(momentum_rows, optimizer.param_groups):
                column.append(float(group["momentum"]))
            if not run["closed_form"]:
                if metrics is not None:
                    scheduler.step(metrics[epoch])
                else:
                    scheduler.step()
    return {"lr": lr_rows, "momentum": momentum_rows if track_momentum else None}
