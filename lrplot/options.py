"""The options every policy command shares, declared like policy parameters.

*Run options* describe the simulated training run (they may appear in a SPEC
given to ``compare``); *output options* describe what is printed and written
(they belong to the command line only).
"""

from __future__ import annotations

from typing import Any

from .params import FLAG, FLOAT, INT, PATH, SIZE, STR, Choice, FigureSize, Param, at_least, between, greater_than
from .units import INTERVALS

WARMUP_SHAPES = ("linear", "cosine", "exponential", "log", "1-sqrt")

RESUME_MODES = ("state-dict", "last-epoch", "last-epoch-fresh")
"""How a resumed run rebuilds its scheduler (see lrplot.resume)."""

EMIT_TARGETS = ("torch", "hf", "timm", "optax", "keras", "toml")
"""What ``--emit`` can write: a script for a library, or a ``[[figure]]`` entry for ``lrplot render``."""

MAX_EPOCHS = 20_000_000
"""Longest run lrplot simulates: a long LLM schedule fits, a typo like -n 1e12 does not."""

DEFAULT_EPOCHS = 100

RUN_OPTIONS: tuple[Param, ...] = (
    Param(
        "lr",
        FLOAT,
        0.1,
        per_group=True,
        check=at_least(0),
        help="Initial lr of the optimizer; repeat for several param groups (--lr 0.1 --lr 0.01).",
    ),
    Param(
        "epochs",
        INT,
        None,
        short="-n",
        check=between(1, MAX_EPOCHS),
        help=f"Number of scheduler steps, i.e. table rows (default {DEFAULT_EPOCHS}; plateau: one per metric).",
        display_default=str(DEFAULT_EPOCHS),
    ),
    Param(
        "train_epochs",
        FLOAT,
        None,
        check=greater_than(0),
        help="Run length in epochs instead of -n: N = E stepped per epoch, ceil(E x S) stepped per step.",
    ),
    Param(
        "interval",
        Choice(INTERVALS),
        None,
        help="When the training loop calls scheduler.step(): per epoch or per optimizer step (default: step for "
        "per-batch schedules: cyclic, onecycle, noam, hf, optax, keras; timm follows --t-in-epochs; else epoch).",
        display_default="policy's",
    ),
    Param(
        "steps_per_epoch",
        INT,
        None,
        check=between(1, MAX_EPOCHS),
        help="Optimizer steps per epoch (S); the table, CSV and JSON then show both epochs and steps.",
    ),
    Param(
        "dataset_size",
        INT,
        None,
        check=between(1, 10**15),
        help="Training examples (D): S = ceil(ceil(D / (B x W)) / G), as HF's Trainer and timm count updates.",
    ),
    Param("batch_size", INT, None, check=between(1, 10**9), help="Examples per device per batch (B)."),
    Param(
        "grad_accum",
        INT,
        None,
        check=between(1, 10**9),
        help="Gradient accumulation steps (G): batches per optimizer step.",
        display_default="1",
    ),
    Param(
        "world_size",
        INT,
        None,
        check=between(1, 10**9),
        help="Data-parallel processes (W), each loading its own batches.",
        display_default="1",
    ),
    Param("drop_last", FLAG, False, help="The loader drops the last, partial batch: floor(D / (B x W)) batches."),
    Param(
        "momentum",
        FLOAT,
        0.9,
        per_group=True,
        check=at_least(0),
        help="The optimizer's momentum before the scheduler starts (SGD's momentum=); cyclic and onecycle replace it.",
    ),
    Param(
        "closed_form",
        FLAG,
        False,
        help="Use torch's closed form (scheduler.step(epoch)) instead of its chainable recursion.",
    ),
    Param(
        "warmup",
        INT,
        0,
        check=at_least(0),
        help="Warm up over this many rows first, from --warmup-start x --lr up to --lr; the schedule starts "
        "after it, as in SequentialLR (torch-style policies; timm, optax and Keras have their own).",
    ),
    Param(
        "warmup_shape",
        Choice(WARMUP_SHAPES),
        "linear",
        help="Shape of the warmup curve (exponential grows geometrically from --warmup-start).",
    ),
    Param(
        "warmup_start",
        FLOAT,
        0.0,
        check=between(0, 1),
        help="The warmup's first lr, as a fraction of --lr (the optimizer's lr, which the warmup climbs to).",
    ),
    Param(
        "warmup_overlap",
        FLAG,
        False,
        help="Run the schedule from row 0 and multiply its first --warmup rows by the warmup factor, instead of "
        "starting it after the warmup.",
    ),
    Param(
        "resume_at",
        INT,
        None,
        check=at_least(1),
        help="Show the run as resumed from a checkpoint taken at the start of this epoch (rows K..N-1).",
    ),
    Param(
        "resume_mode",
        Choice(RESUME_MODES),
        "state-dict",
        help="state-dict: the scheduler's state was restored (same as no interruption); last-epoch: rebuilt "
        "with last_epoch=K-1 on the restored optimizer; last-epoch-fresh: the same on a fresh optimizer.",
    ),
)

OUTPUT_OPTIONS: tuple[Param, ...] = (
    Param(
        "out",
        PATH,
        None,
        short="-o",
        repeatable=True,
        help="Write the curve to a file: .png .svg .pdf (figure) or .csv .json (data); repeatable.",
    ),
    Param("no_table", FLAG, False, help="Print nothing on stdout (files are still written)."),
    Param(
        "quiet",
        FLAG,
        False,
        short="-q",
        help="Print no warnings: neither lint's (a horizon shorter than the run, ...) nor notes on the options.",
    ),
    Param(
        "emit",
        Choice(EMIT_TARGETS),
        None,
        help="Print code instead of the table: a runnable script for torch, hf, timm, optax or keras that "
        "prints the same rows, or the figure entry of a config for lrplot render (toml).",
    ),
    Param(
        "format",
        Choice(("table", "csv", "json")),
        "table",
        help="What goes to stdout: a Rich table, or CSV/JSON rows with full precision.",
    ),
    Param("digits", INT, None, check=between(1, 17), help="Significant digits in the table (default: all, exact)."),
    Param("title", STR, None, help="Figure title (default: the policy call and its lr)."),
    Param("log_y", FLAG, False, help="Logarithmic lr axis in the figure."),
    Param("size", SIZE, FigureSize(8.0, 4.5, "in"), help="Figure size in inches, WxH (or pixels: 1200x675px)."),
    Param("dpi", INT, 150, check=between(10, 1200), help="Resolution of PNG output, in dots per inch."),
)


def option_defaults(options: tuple[Param, ...]) -> dict[str, Any]:
    """Every option's default, lists for per-group options: ``{"lr": [0.1], "epochs": None, ...}``."""
    return {p.name: ([p.default] if p.per_group else p.default) for p in options}


COMPARE_OPTIONS: tuple[Param, ...] = (
    Param(
        "label",
        STR,
        None,
        repeatable=True,
        help="Name of a curve, in the order of the SPECs (repeat); default: the SPEC, shortened.",
    ),
    Param("table", FLAG, False, help="Also print an epoch table with one lr column per curve (condensed)."),
    Param("no_chart", FLAG, False, help="Leave out the terminal chart; print the summary table only."),
)
"""Options of ``lrplot compare`` beyond the run and output options every policy has."""

LIST_OPTIONS: tuple[Param, ...] = (
    Param(
        "format",
        Choice(("table", "md", "json")),
        "table",
        help="table (Rich), md (the Markdown table of the README) or json (everything, for tools).",
    ),
)
"""Options of ``lrplot list``."""

RENDER_OPTIONS: tuple[Param, ...] = (
    Param(
        "out_dir",
        PATH,
        None,
        help="Folder for the files (default: the config's [defaults] out_dir, else the config's folder).",
    ),
    Param(
        "jobs",
        INT,
        None,
        check=at_least(1),
        help="Figures rendered at once (default: one per CPU core).",
        display_default="cores",
    ),
    Param("only", STR, None, repeatable=True, help="Render only this figure (repeat, or NAME,NAME)."),
    Param(
        "check", FLAG, False, help="Write nothing; exit 1 listing the figures whose files are missing or out of date."
    ),
)
"""Options of ``lrplot render``."""

LINT_OPTIONS: tuple[Param, ...] = (
    Param(
        "quiet",
        FLAG,
        False,
        short="-q",
        help="Print nothing; the exit status alone says whether there is a warning (1) or not (0).",
    ),
)
"""Options of ``lrplot lint`` beyond the run options every SPEC may take."""


def _run_option(name: str) -> Param:
    return next(p for p in RUN_OPTIONS if p.name == name)


FROM_CONFIG_OPTIONS: tuple[Param, ...] = (_run_option("dataset_size"), _run_option("world_size"))
"""Options of ``lrplot from-hf`` and ``from-timm``: what a run config does not say about the run."""
