"""Code emission (``--emit TARGET``): the previewed schedule as code for its library.

``lrplot cosine --t-max 95 --warmup 5 -n 100 --emit torch`` prints, instead of
the table, a script that builds the schedule as training code builds it::

    def warmup_factor(step):
        \"\"\"lrplot's --warmup 5 --warmup-shape linear --warmup-start 0.0: the factor on the lr.\"\"\"
        if step >= 5:
            return 1.0
        q = step / 5
        return q


    param = torch.nn.Parameter(torch.zeros(1))  # stands in for the model's parameters
    optimizer = torch.optim.SGD([param], lr=0.1, momentum=0.9)
    warmup = LambdaLR(optimizer, warmup_factor)
    cosine = CosineAnnealingLR(optimizer, T_max=95)
    scheduler = SequentialLR(optimizer, schedulers=[warmup, cosine], milestones=[5])
    ...

and running it prints ``lrplot cosine --t-max 95 --warmup 5 -n 100 --format csv``,
the same text bit for bit.  The targets, and what each reproduces:

* ``torch``: every torch policy and composition, the recipes (LambdaLRs, pix2pix's
  loop), and the Hugging Face schedules (LambdaLRs of transformers' functions),
  with lrplot's ``--warmup`` as a SequentialLR: bit for bit;
* ``hf``: ``lrplot hf ...`` through ``transformers.get_scheduler``: bit for bit;
* ``timm``, ``optax``, ``keras``: their own family, with the library's class or
  function (optax and Keras within their float rounding, in float64);
* ``toml``: the ``[[figure]]`` entry of a config for ``lrplot render``: any SPEC.

Anything else is refused with one line that names the targets that can
reproduce it.  ``--warmup-overlap`` (a factor on lrplot's rows, no scheduler
of any library) and ``--resume-at`` (a resumed run, where the script runs
the uninterrupted schedule) are ``toml`` only; metrics read from stdin
cannot be written anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import LrplotError
from .params import is_spec
from .spec import Spec

SCRIPT_TARGETS = {
    "torch": "a torch scheduler",
    "hf": "a Hugging Face schedule",
    "timm": "a timm scheduler",
    "optax": "an optax schedule",
    "keras": "a Keras schedule",
}


def _children(spec: Spec) -> list[Spec]:
    return [child for p in spec.policy.params if is_spec(p.kind) for child in spec.params.get(p.name) or []]


def _reads_stdin(spec: Spec) -> bool:
    return spec.params.get("metrics") == "-" or any(_reads_stdin(child) for child in _children(spec))


def _describe(spec: Spec) -> str:
    """``step is torch's StepLR``; ``noam is annotated_transformer.rate``."""
    policy = spec.policy
    if policy.family == "recipes":
        return f"{policy.command} is {policy.module}.{policy.library_name}"
    return f"{policy.command} is {policy.owner} {policy.library_name}"


def targets(spec: Spec) -> list[str]:
    """The targets whose code reproduces ``spec``'s rows.

    >>> from lrplot.spec import parse_spec
    >>> targets(parse_spec("hf cosine --num-warmup-steps 10")), targets(parse_spec("timm step --decay-t 3"))
    (['torch', 'hf', 'toml'], ['timm', 'toml'])
    """
    if _reads_stdin(spec):
        return []
    run = spec.run
    if run.get("resume_at") is not None or (run.get("warmup") and run.get("warmup_overlap")):
        return ["toml"]
    family = spec.policy.family
    found = []
    if family in ("torch", "recipes") or (family == "hf" and spec.policy.name != "greedy"):
        found.append("torch")
    if family in ("hf", "timm", "optax", "keras"):
        found.append(family)
    return [*found, "toml"]


def refusal(spec: Spec, target: str) -> str | None:
    """Why ``target`` cannot reproduce ``spec`` (one line), or None."""
    able = targets(spec)
    if target in able:
        return None
    where = f"--emit {target}: "
    if not able:
        return (
            where
            + "--metrics - was read from stdin, which the emitted code cannot read again; save the metrics to a file and give its path"
        )
    these = f"targets that reproduce it: {', '.join(able)}"
    if spec.run.get("resume_at") is not None:
        return (
            where
            + f"--resume-at shows a resumed run, and the emitted script runs the schedule without interruption; {these}"
        )
    if spec.run.get("warmup") and spec.run.get("warmup_overlap"):
        return (
            where + f"--warmup-overlap multiplies lrplot's rows by the warmup factor, which no scheduler does; {these}"
        )
    if target == "torch" and spec.policy.family == "hf":
        return where + f"{_describe(spec)} (GreedyLR), which torch does not have; {these}"
    return where + f"{_describe(spec)}, not {SCRIPT_TARGETS[target]}; {these}"


def emit(spec: Spec, target: str) -> str:
    """The code for ``target`` that reproduces ``spec``'s rows (a script, or a toml figure entry)."""
    reason = refusal(spec, target)
    if reason is not None:
        raise LrplotError(reason)
    if target == "toml":
        from .emitters.figure import emit_figure

        return emit_figure([spec])
    if target in ("torch", "hf"):
        from .emitters.pytorch import emit_torch

        return emit_torch(spec, target)
    if target == "timm":
        from .emitters.timm_script import emit_timm

        return emit_timm(spec)
    from .emitters.functions import emit_keras, emit_optax

    return emit_optax(spec) if target == "optax" else emit_keras(spec)


def emit_all(specs: Sequence[Spec], target: str, labels: Sequence[str]) -> str:
    """``compare --emit``: one block per SPEC, each headed by its label (``toml``: one figure, a curve each)."""
    for spec, label in zip(specs, labels):
        reason = refusal(spec, target)
        if reason is not None:
            raise LrplotError(f"compare: {label}: {reason}")
    if target == "toml":
        from .emitters.figure import emit_figure

        return emit_figure(list(specs), list(labels))
    blocks = []
    for spec, label in zip(specs, labels):
        rule = "=" * max(0, 74 - len(label))
        blocks.append(f"# ==== {' '.join(label.split())} {rule}\n{emit(spec, target)}")
    return "\n\n".join(blocks)
