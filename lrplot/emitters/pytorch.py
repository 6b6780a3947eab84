"""``--emit torch`` and ``--emit hf``: a runnable PyTorch script that prints lrplot's rows.

``lrplot step --step-size 10 --lr 0.05 -n 40 --emit torch`` writes::

    import torch
    from torch.optim.lr_scheduler import StepLR

    param = torch.nn.Parameter(torch.zeros(1))  # stands in for the model's parameters
    optimizer = torch.optim.SGD([param], lr=0.05, momentum=0.9)
    scheduler = StepLR(optimizer, step_size=10)

    print("epoch,lr")
    for epoch in range(40):
        lrs = scheduler.get_last_lr()  # the lr of each param group during this epoch
        print(",".join(map(repr, [epoch, *lrs])))
        optimizer.step()  # one epoch of training goes here
        scheduler.step()

and running it prints ``lrplot step --step-size 10 --lr 0.05 -n 40 --format csv``
bit for bit.  The scheduler is built as training code builds it: torch's class
with torch's keyword names (only the ones given), children of SequentialLR
and ChainedScheduler constructed first and in order, ``--expr`` as a Python
lambda, lrplot's ``--warmup`` as ``SequentialLR([LambdaLR(warmup_factor),
schedule])``.  The loop is lrplot's (:mod:`lrplot.simulate`): read the row,
train, ``step()`` (``step(metric)`` for ReduceLROnPlateau; ``step(epoch)``
before reading with ``--closed-form``); pix2pix runs its train.py loop.

Hugging Face schedules are LambdaLRs: for ``torch`` the multiplier is
transformers' own function, written into the script (lrplot's copy is
verbatim), wrapped in ``partial`` as the ``get_*`` function wraps it; for
``hf`` the script calls ``transformers.get_scheduler`` as the Trainer does.
"""

from __future__ import annotations

import inspect
import keyword
import re
from typing import Any

from ..errors import LrplotError
from ..simulate import EXACT_STEPS
from ..spec import Spec
from ..warmup import describe as describe_warmup
from .code import Raw, Script, call, keywords, literal, uses_math, wrapped_list
from .rows import Rows, header_lines, metrics_note, rows_of

TORCH = "torch.optim.lr_scheduler"
RESERVED = {"optimizer", "scheduler", "param", "params", "metrics", "model_metric", "lrs", "momenta", "epoch", "step"}
RESERVED |= {"warmup", "warmup_factor", "math", "torch", "partial", "rate", "lambda_rule", "group", "row"}


def stem(spec: Spec) -> str:
    """A variable name for a child scheduler: ``cosine``, ``hf_cosine``, ``lambda_lr``."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", spec.policy.command).strip("_")
    return name + "_lr" if keyword.iskeyword(name) or not name.isidentifier() else name


def given_kwargs(spec: Spec) -> dict[str, Any]:
    """The keyword arguments the user gave, as the library takes them (a scalar for one value per group)."""
    values = {}
    for p in spec.policy.params:
        if p.kwarg and p.name in spec.params:
            value = spec.params[p.name]
            if p.per_group and isinstance(value, list) and len(value) == 1:
                value = value[0]
            values[p.name] = value
    return values


def optimizer_lines(rows: Rows) -> list[str]:
    """SGD with lrplot's param groups: one dummy parameter per group, its lr and momentum."""
    lrs, momenta = rows.run["lr"], rows.run["momentum"]
    if len(lrs) == 1:
        return [
            "param = torch.nn.Parameter(torch.zeros(1))  # stands in for the model's parameters",
            f"optimizer = torch.optim.SGD([param], lr={literal(lrs[0])}, momentum={literal(momenta[0])})",
        ]
    groups = []
    for g, lr in enumerate(lrs):
        group = f'{{"params": [params[{g}]], "lr": {literal(lr)}'
        if len(momenta) > 1:
            group += f', "momentum": {literal(momenta[g])}'
        groups.append(group + "}")
    return [
        f"params = [torch.nn.Parameter(torch.zeros(1)) for _ in range({len(lrs)})]  # one per param group",
        "optimizer = torch.optim.SGD(",
        "    [",
        *(f"        {group}," for group in groups),
        "    ],",
        f"    lr={literal(lrs[0])},",
        f"    momentum={literal(momenta[0])},",
        ")",
    ]


def header(rows: Rows, target: str, promise: str) -> list[str]:
    what = f"{rows.spec.call} over {rows.epochs} {rows.unit}s"
    if rows.warmup:
        what += ", after a " + describe_warmup(rows.run, rows.unit) + " (SequentialLR)"
    columns = ",".join(rows.columns())
    policy = rows.spec.policy
    caveat = policy.caveat(rows.bound) if policy.caveat else None
    if caveat:  # timm's noise: lrplot replays torch's generator
        promise += f" (lrplot's {caveat})"
    if rows.epochs > EXACT_STEPS and rows.metrics is None and not rows.warmup:
        promise += (
            f" (past {EXACT_STEPS:,} rows lrplot computes vectorized: bit for bit for product forms and "
            "CosineAnnealingLR, within 1e-12 of the peak lr for the others)"
        )
    return header_lines(what, rows.spec, target, f"It prints the rows of `--format csv` ({columns}): {promise}.")


def metric_lines(script: Script, rows: Rows) -> None:
    if rows.metrics is not None:
        script.add(f"# {metrics_note(rows)}", f"metrics = {wrapped_list(rows.metrics)}")


def print_row(variable: str, rows: Rows) -> list[str]:
    """Print the row in lrplot's CSV layout: the index, each group's lr, momentum, metric (``repr``: exact)."""
    lines = []
    values = [variable, "*lrs"]
    if rows.momentum:
        lines.append('    momenta = [group["momentum"] for group in optimizer.param_groups]  # the momentum it cycles')
        values.append("*momenta")
    if rows.metrics is not None:
        values.append(f"metrics[{variable}]")
    return lines + [f'    print(",".join(map(repr, [{", ".join(values)}])))']


NOAM = '''
def rate(step, model_size, factor, warmup):
    """The Annotated Transformer's learning-rate function."""
    if step == 0:
        step = 1
    return factor * (model_size ** (-0.5) * min(step ** (-0.5), step * warmup ** (-1.5)))
'''


class TorchScript:
    """The script of one SPEC for ``target`` ``"torch"`` or ``"hf"``."""

    def __init__(self, spec: Spec, target: str) -> None:
        self.rows = rows_of(spec)
        self.target = target
        self.script = Script()
        self.script.taken.update(RESERVED)

    def emit(self) -> str:
        rows, script = self.rows, self.script
        promise = (
            "with torch 2.13, the same numbers bit for bit"
            if self.target == "torch"
            else "with torch 2.13 and transformers 5, the same numbers bit for bit"
        )
        script.header = header(rows, self.target, promise)
        script.import_module("torch")
        script.add(*optimizer_lines(rows))
        if rows.warmup:
            # built in this order, as lrplot builds it: the warmup's LambdaLR first, then the schedule
            warmup = self.warmup()
            inner = self.scheduler(rows.spec, rows.horizon, script.fresh(stem(rows.spec)), top=False)
            script.import_from(TORCH, "SequentialLR")
            script.add(
                "scheduler = "
                + call("SequentialLR", ["optimizer", f"schedulers=[{warmup}, {inner}]", f"milestones=[{rows.warmup}]"])
            )
        else:
            self.scheduler(rows.spec, rows.epochs, "scheduler", top=True)
        script.add("")
        if rows.spec.policy.name == "pix2pix" and not rows.warmup:
            self.pix2pix_loop()
        else:
            self.loop()
        return script.render()

    # -- schedulers --------------------------------------------------------------------------

    def scheduler(self, spec: Spec, horizon: int, name: str, *, top: bool) -> str:
        """Add the statements that build ``spec`` as ``name`` (children first); return ``name``."""
        family = spec.policy.family
        if family == "hf":
            return self.hf(spec, horizon, name)
        if family == "recipes":
            return self.recipe(spec, name, top=top)
        return self.torch(spec, horizon, name)

    def torch(self, spec: Spec, horizon: int, name: str) -> str:
        script, policy = self.script, spec.policy
        script.import_from(TORCH, policy.library_name)
        if policy.name in ("sequential", "chained"):
            children = [
                self.scheduler(child, horizon, script.fresh(stem(child)), top=False)
                for child in spec.params["schedulers"]
            ]
            listed = f"schedulers=[{', '.join(children)}]"
            if policy.name == "sequential":
                args = ["optimizer", listed, f"milestones={literal(spec.params['milestones'])}"]
            else:
                args = [listed, "optimizer=optimizer"]
        else:
            given, values = given_kwargs(spec), {}
            for p in policy.params:
                if p.name in given:
                    values[p.name] = given[p.name]
                elif policy.name == "onecycle" and p.name == "total_steps":
                    values[p.name] = horizon  # lrplot's default: one cycle over the run
            if any(uses_math(v) for v in values.values()):
                script.import_module("math")
            args = ["optimizer", *keywords(values)]
        script.add(f"{name} = " + call(policy.library_name, args))
        return name

    def hf(self, spec: Spec, horizon: int, name: str) -> str:
        if self.target == "hf":
            return self.get_scheduler(spec, horizon, name)
        script, policy = self.script, spec.policy
        if policy.name == "reduce-lr-on-plateau":
            script.import_from(TORCH, "ReduceLROnPlateau")
            script.add(
                f"# transformers' {policy.library_name} is torch's ReduceLROnPlateau",
                f"{name} = " + call("ReduceLROnPlateau", ["optimizer", *keywords(given_kwargs(spec))]),
            )
            return name
        if policy.name == "greedy":
            raise LrplotError("--emit torch: GreedyLR is transformers' own class; use --emit hf")
        bound = spec.bound()
        function = policy.factory.multiplier
        source = inspect.getsource(function)  # lrplot's copy of transformers' function, verbatim
        multiplier = script.define(function.__name__, source)
        if "math." in source:
            script.import_module("math")
        script.import_from(TORCH, "LambdaLR")
        script.add(f"# transformers' {policy.library_name}: a LambdaLR of its multiplier, as transformers builds it")
        if policy.name == "constant":
            script.add(f"{name} = LambdaLR(optimizer, {multiplier})")
            return name
        kwargs: dict[str, Any] = {p.name: bound[p.name] for p in policy.params}
        training = kwargs.pop("num_training_steps", None) if policy.name == "warmup-stable-decay" else None
        if "num_training_steps" in kwargs and kwargs["num_training_steps"] is None:
            kwargs["num_training_steps"] = horizon  # lrplot's default: the run (after any --warmup)
        if policy.name == "warmup-stable-decay" and kwargs["num_stable_steps"] is None:
            # get_wsd_schedule: the stable phase is what warmup and decay leave of num_training_steps
            training = horizon if training is None else training
            kwargs["num_stable_steps"] = Raw(f"{training} - {kwargs['num_warmup_steps']} - {kwargs['num_decay_steps']}")
        if policy.name == "polynomial":
            kwargs["lr_init"] = Raw('optimizer.defaults["lr"]')
        if policy.name == "inverse-sqrt" and kwargs["timescale"] is None:
            kwargs["timescale"] = kwargs["num_warmup_steps"] or 10_000
        if "min_lr" in kwargs:
            min_lr = kwargs.pop("min_lr")
            if min_lr is not None:
                kwargs["min_lr_rate"] = Raw(f'{literal(min_lr)} / optimizer.defaults["lr"]')
        script.import_from("functools", "partial")
        script.add(
            f"{name} = " + call("LambdaLR", ["optimizer", call("partial", [multiplier, *keywords(kwargs)], "    ")])
        )
        return name

    def get_scheduler(self, spec: Spec, horizon: int, name: str) -> str:
        """``transformers.get_scheduler(type, optimizer, ...)``, the arguments the Trainer passes."""
        script, policy = self.script, spec.policy
        bound = spec.bound()
        script.import_from("transformers", "get_scheduler")
        kind = policy.name.replace("-", "_")
        args = [literal(kind), "optimizer"]
        specific = given_kwargs(spec)
        if kind not in ("constant", "reduce_lr_on_plateau", "greedy"):
            specific.pop("num_warmup_steps", None)
            args.append(f"num_warmup_steps={literal(bound['num_warmup_steps'])}")
            if "num_training_steps" in bound:
                training = specific.pop("num_training_steps", None)
                if training is None and not (kind == "warmup_stable_decay" and bound["num_stable_steps"] is not None):
                    training = horizon  # lrplot's default: the run (after any --warmup)
                if training is not None:
                    args.append(f"num_training_steps={literal(training)}")
        if specific and kind != "constant":
            args.append(f"scheduler_specific_kwargs={literal(specific)}")
        script.add(f"{name} = " + call("get_scheduler", args))
        return name

    def recipe(self, spec: Spec, name: str, *, top: bool) -> str:
        script, bound = self.script, spec.bound()
        recipe = spec.policy.name
        if recipe == "noam":
            rate_function = script.define("rate", NOAM)
            script.import_from(TORCH, "LambdaLR")
            rate = f"{rate_function}(step, model_size={bound['d_model']}, factor={literal(bound['factor'])}, warmup={bound['warmup_steps']})"
            script.add(f"{name} = LambdaLR(optimizer, lr_lambda=lambda step: {rate})")
            return name
        if recipe == "inverse-time":
            script.import_from(TORCH, "LambdaLR")
            rate, steps = literal(bound["decay_rate"]), literal(bound["decay_steps"])
            if bound["staircase"]:
                script.import_module("math")
                factor = f"1 / (1 + {rate} * math.floor(t / {steps}))"
            else:
                factor = f"1 / (1 + {rate} * t / {steps})"
            script.add("# inverse time decay (TensorFlow's inverse_time_decay) as a factor on the lr")
            script.add(f"{name} = LambdaLR(optimizer, lr_lambda=lambda t: {factor})")
            return name
        # pix2pix's get_scheduler (models/networks.py), with its opt filled in
        if not top and bound["step_at"] == "start":
            raise LrplotError(
                "--emit: pix2pix stepped at the start of each epoch is its train.py loop, not a scheduler "
                "another one can hold; use --step-at end"
            )
        choice = bound["lr_policy"]
        script.add(f"# pix2pix's get_scheduler(optimizer, opt) with opt.lr_policy = {choice!r}")
        if choice == "linear":
            script.import_from(TORCH, "LambdaLR")
            rule = script.define(
                "lambda_rule",
                "def lambda_rule(epoch):\n"
                f"    lr_l = 1.0 - max(0, epoch + {bound['epoch_count']} - {bound['n_epochs']}) / "
                f"float({bound['n_epochs_decay']} + 1)\n"
                "    return lr_l",
            )
            script.add(f"{name} = LambdaLR(optimizer, lr_lambda={rule})")
        elif choice == "step":
            script.import_from(TORCH, "StepLR")
            script.add(f"{name} = StepLR(optimizer, step_size={bound['lr_decay_iters']}, gamma=0.1)")
        elif choice == "plateau":
            script.import_from(TORCH, "ReduceLROnPlateau")
            script.add(f'{name} = ReduceLROnPlateau(optimizer, mode="min", factor=0.2, threshold=0.01, patience=5)')
        else:
            script.import_from(TORCH, "CosineAnnealingLR")
            script.add(f"{name} = CosineAnnealingLR(optimizer, T_max={bound['n_epochs']}, eta_min=0)")
        return name

    def warmup(self) -> str:
        """lrplot's warmup factor as a function, and the LambdaLR that applies it."""
        run = self.rows.run
        steps, shape, start = run["warmup"], run["warmup_shape"], run["warmup_start"]
        a = literal(start)
        shapes = {
            "linear": "q",
            "cosine": "(1 - math.cos(math.pi * q)) / 2",
            "1-sqrt": "1 - math.sqrt(1 - q)",
            "log": f"math.log(1 + step) / math.log(1 + {steps})",
        }
        if shape == "exponential":
            value = f"{a} ** (1 - q)"
        elif start == 0.0:
            value = shapes[shape]  # 0.0 + (1 - 0.0) * g is g, bit for bit
        else:
            value = f"{a} + (1 - {a}) * ({shapes[shape]})"
        if "math." in value:
            self.script.import_module("math")
        self.script.define(
            "warmup_factor",
            "def warmup_factor(step):\n"
            f'    """lrplot\'s --warmup {steps} --warmup-shape {shape} --warmup-start {a}: the factor on the lr."""\n'
            f"    if step >= {steps}:\n"
            "        return 1.0\n" + ("" if shape == "log" else f"    q = step / {steps}\n") + f"    return {value}",
        )
        self.script.import_from(TORCH, "LambdaLR")
        self.script.add("warmup = LambdaLR(optimizer, warmup_factor)")
        return "warmup"

    # -- loops -------------------------------------------------------------------------------

    def loop(self) -> None:
        """lrplot's loop (torch's documentation loop): read the row, train, step."""
        script, rows = self.script, self.rows
        variable = "step" if rows.unit == "step" else "epoch"
        metric_lines(script, rows)
        closed = bool(rows.run["closed_form"])
        if closed:
            script.import_module("warnings")
            script.add(
                "# step(epoch) is deprecated, and here it sets each epoch before optimizer.step(): torch warns of both",
                'warnings.filterwarnings("ignore", "The epoch parameter|Detected call of", UserWarning)',
            )
        script.add(f'print("{",".join(rows.columns())}")', f"for {variable} in range({rows.epochs}):")
        if closed:
            script.add(f"    scheduler.step({variable})  # --closed-form: torch's closed form at this {variable}")
        script.add(f"    lrs = scheduler.get_last_lr()  # the lr of each param group during this {variable}")
        script.add(*print_row(variable, rows))
        script.add(f"    optimizer.step()  # one {variable} of training goes here")
        if not closed:
            if rows.metrics is not None:
                script.add(f"    scheduler.step(metrics[{variable}])  # the metric of the {variable} just trained")
            else:
                script.add("    scheduler.step()")

    def pix2pix_loop(self) -> None:
        """pytorch-CycleGAN-and-pix2pix's train.py: model.update_learning_rate() at the start (or end) of an epoch."""
        script, rows = self.script, self.rows
        bound = rows.bound
        plateau = bound["lr_policy"] == "plateau"
        update = "scheduler.step(model_metric)" if plateau else "scheduler.step()"
        metric_lines(script, rows)
        if plateau:
            script.add("model_metric = 0.0  # the model's self.metric, which train.py passes to a plateau scheduler")
        script.add(f'print("{",".join(rows.columns())}")', f"for epoch in range({rows.epochs}):")
        if bound["step_at"] == "start":
            script.add(f"    {update}  # model.update_learning_rate(), at the start of every epoch")
        script.add('    lrs = [group["lr"] for group in optimizer.param_groups]  # the lr this epoch trains with')
        script.add(*print_row("epoch", rows))
        script.add("    optimizer.step()  # one epoch of training goes here")
        if rows.metrics is not None and plateau:
            script.add("    model_metric = metrics[epoch]")
        if bound["step_at"] == "end":
            script.add(f"    {update}  # model.update_learning_rate(), at the end of the epoch")


def emit_torch(spec: Spec, target: str) -> str:
    return TorchScript(spec, target).emit()
