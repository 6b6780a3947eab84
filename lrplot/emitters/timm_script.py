"""``--emit timm``: the timm scheduler class, driven as timm's train.py drives it.

``lrplot timm cosine --lr 1 --t-initial 100 --warmup-t 10 -n 120 --emit timm`` writes::

    import torch
    from timm.scheduler import CosineLRScheduler

    param = torch.nn.Parameter(torch.zeros(1))  # stands in for the model's parameters
    optimizer = torch.optim.SGD([param], lr=1.0, momentum=0.9)
    scheduler = CosineLRScheduler(optimizer, t_initial=100, warmup_t=10)

    print("epoch,lr")
    for epoch in range(120):
        lrs = [group["lr"] for group in optimizer.param_groups]  # the lr during this epoch
        print(",".join(map(repr, [epoch, *lrs])))
        optimizer.step()  # one epoch of training goes here
        scheduler.step(epoch + 1)  # train.py: lr_scheduler.step(epoch + 1, metric)

The constructor sets row 0; ``step(epoch + 1, metric)`` after each epoch sets
the next (``step_update(num_updates)`` after each update with
``--no-t-in-epochs``), as in :mod:`lrplot.policies.timm`.  timm's noise is
drawn from torch's generator, which lrplot replays: the same numbers with
torch 2.13.
"""

from __future__ import annotations

from ..spec import Spec
from .code import Script, call, keywords
from .pytorch import given_kwargs, header, metric_lines, optimizer_lines, print_row
from .rows import rows_of


def emit_timm(spec: Spec) -> str:
    rows = rows_of(spec)
    policy = spec.policy
    script = Script()
    script.header = header(rows, "timm", "with timm 1.0 and torch 2.13, the same numbers bit for bit")
    script.import_module("torch")
    script.import_from("timm.scheduler", policy.library_name)
    values = given_kwargs(spec)
    span = values.get("noise_range_t")
    if span is not None:
        values["noise_range_t"] = span[0] if len(span) == 1 else span  # timm takes an int, or [lo, hi)
    script.add(*optimizer_lines(rows))
    script.add(f"scheduler = {call(policy.library_name, ['optimizer', *keywords(values)])}", "")
    per_update = not rows.bound.get("t_in_epochs", True)
    variable = "step" if per_update else "epoch"
    metric_lines(script, rows)
    script.add(f'print("{",".join(rows.columns())}")', f"for {variable} in range({rows.epochs}):")
    script.add(f'    lrs = [group["lr"] for group in optimizer.param_groups]  # the lr during this {variable}')
    script.add(*print_row(variable, rows))
    script.add(f"    optimizer.step()  # one {variable} of training goes here")
    if per_update:
        script.add(f"    scheduler.step_update(num_updates={variable} + 1)  # train.py, after each optimizer update")
    elif rows.metrics is not None:
        script.add(f"    scheduler.step({variable} + 1, metrics[{variable}])  # train.py: step(epoch + 1, eval_metric)")
    else:
        script.add(f"    scheduler.step({variable} + 1)  # train.py: lr_scheduler.step(epoch + 1, metric)")
    return script.render()
