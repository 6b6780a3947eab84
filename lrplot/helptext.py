"""Help pages and the policy listing, generated from the registry (never written by hand).

``lrplot <policy> --help`` shows the summary, the formula, a worked example
and every option; ``lrplot list`` shows every policy with its parameters.
Both read the same :class:`~lrplot.registry.Policy` declarations, so a new
policy is documented the moment it is declared.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .options import (
    COMPARE_OPTIONS,
    FROM_CONFIG_OPTIONS,
    LINT_OPTIONS,
    LIST_OPTIONS,
    OUTPUT_OPTIONS,
    RENDER_OPTIONS,
    RUN_OPTIONS,
)
from .params import BOOL, FLAG, Param, format_value
from .registry import FAMILIES, Policy, all_policies


def option_usage(param: Param) -> str:
    """``--step-size INT``, ``-n, --epochs INT``, ``--three-phase/--no-three-phase``."""
    if param.kind is BOOL:
        return f"{param.flag}/--no-{param.flag[2:]}"
    names = f"{param.short}, {param.flag}" if param.short else param.flag
    if param.kind is FLAG:
        return names
    return f"{names} {param.kind.metavar}"


def option_help(param: Param) -> str:
    text = param.help
    if param.kind.metavar == "CHOICE":
        text += f" One of: {', '.join(param.kind.choices)}."  # type: ignore[attr-defined]
    if param.check is not None:
        text += " " + param.check.help
    if param.takes_list and param.kind is not FLAG:
        text += " (repeatable)" if "repeat" not in text else ""
    return text


def _options_panel(title: str, params: tuple[Param, ...]) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    for p in params:
        grid.add_row(option_usage(p), p.default_display(), option_help(p))
    return Panel(grid, title=title, title_align="left", border_style="dim")


def policy_help(policy: Policy) -> RenderableType:
    """The ``--help`` page of one policy."""
    usage = Text.assemble(("Usage: ", "bold"), f"lrplot {policy.command} [OPTIONS]")
    alias = f"also: lrplot {policy.library_name}" if policy.family == "torch" else ""
    header = Text.assemble(
        (policy.summary, "bold"), "\n", (f"{policy.qualified_name}", "cyan"), f"  ({alias})" if alias else ""
    )
    parts: list[RenderableType] = [usage, Text(""), header]
    if policy.description:
        parts += [Text(""), Text(policy.description)]
    for note in policy.notes:
        parts.append(Text(f"• {note}", style="dim"))
    parts += [
        Text(""),
        Text("Formula", style="bold"),
        Text(_indent(policy.formula)),
        Text("Example", style="bold"),
        Text(_indent("lrplot " + policy.example)),
        Text(""),
    ]
    if policy.params:
        parts.append(_options_panel(f"{policy.library_name} options", policy.params))
    hidden = set() if policy.closed_form else {"closed_form"}
    if FAMILIES[policy.family].own_warmup:  # refused: the library's own warmup options are above
        hidden |= {p.name for p in RUN_OPTIONS if p.name.startswith("warmup")}
    run_options = tuple(_run_default(policy, p) for p in RUN_OPTIONS if p.name not in hidden)
    parts.append(_options_panel("Run options", run_options))
    parts.append(_options_panel("Output options", OUTPUT_OPTIONS))
    if policy.replaces_lr:
        parts.append(Text(f"--lr has no effect: {policy.library_name} sets the optimizer's lr itself.", style="dim"))
    return Group(*parts)


def _run_default(policy: Policy, param: Param) -> Param:
    """A run option as this policy's help should show it: the recipe's own lr and run length."""
    if param.name == "lr" and policy.replaces_lr:
        return replace(param, display_default="no effect")
    if param.name == "lr" and policy.default_lr is not None:
        return replace(param, display_default=format_value(policy.default_lr))
    if param.name == "epochs" and policy.default_epochs is not None:
        return replace(param, display_default="the recipe's")
    return param


def compare_help() -> RenderableType:
    """The ``--help`` page of ``lrplot compare``."""
    return Group(
        Text.assemble(("Usage: ", "bold"), 'lrplot compare "SPEC" "SPEC" ... [OPTIONS]'),
        Text(""),
        Text(
            "Compares policies in the terminal: a line chart of every curve, a summary table and, with -o, "
            "an overlay figure or CSV/JSON with one column per curve.",
            style="bold",
        ),
        Text(""),
        Text(
            "A SPEC is what you would type after 'lrplot', quoted. Run options given after the SPECs apply to "
            "all of them unless a SPEC sets its own. The summary gives each curve's start, peak, final and "
            "minimum lr, the epoch of its first decay, how many times it changes, and its mean lr (the area "
            "under the curve divided by N: how much learning the schedule gives in total)."
        ),
        Text(""),
        Text("Example", style="bold"),
        Text(
            _indent(
                'lrplot compare "step --step-size 30 --gamma 0.1" "cosine --t-max 100" '
                '"onecycle --max-lr 0.1" -n 100 --log-y'
            )
        ),
        Text(""),
        _options_panel("Compare options", COMPARE_OPTIONS),
        _options_panel("Run options (for every SPEC that does not set its own)", RUN_OPTIONS),
        _options_panel("Output options", OUTPUT_OPTIONS),
    )


def render_help() -> RenderableType:
    """The ``--help`` page of ``lrplot render``."""
    from .config import FIGURE_PARAMS

    keys = Table.grid(padding=(0, 2))
    keys.add_column(style="bold cyan", no_wrap=True)
    keys.add_column()
    for name, param in FIGURE_PARAMS.items():
        keys.add_row(name, param.help)
    keys.add_row(
        "curve", 'A list of tables: { policy = "step", step_size = 30, label = "StepLR(30)" } (keyword names).'
    )
    keys.add_row("policy", "Instead of curve: one policy inline, its keys beside it in the [[figure]] table.")
    return Group(
        Text.assemble(("Usage: ", "bold"), "lrplot render FILE.toml [FILE ...] [OPTIONS]"),
        Text(""),
        Text(
            "Renders every [[figure]] of a TOML config: deterministic files, rewritten only when their bytes change.",
            style="bold",
        ),
        Text(""),
        Text(
            "A [defaults] table applies to every figure (and may set out_dir, relative to the config). Errors name "
            "the file, the figure and the key; a bad figure does not stop the others, and the run then exits 2. "
            "--check exits 1 when a file is missing or out of date (for the CI of docs)."
        ),
        Text(""),
        _options_panel("Options", RENDER_OPTIONS),
        Panel(keys, title="[[figure]] keys", title_align="left", border_style="dim"),
    )


def lint_help() -> RenderableType:
    """The ``--help`` page of ``lrplot lint``."""
    return Group(
        Text.assemble(("Usage: ", "bold"), 'lrplot lint "SPEC" ["SPEC" ...] [OPTIONS]'),
        Text(""),
        Text("Checks schedules against their run and says what looks wrong; exits 1 on any warning.", style="bold"),
        Text(""),
        Text(
            "The checks every policy command runs (and prints on stderr): a horizon shorter than the run (cosine "
            "T_max < N, HF num_training_steps < N, OneCycle total_steps != N), one longer than the run (the lr "
            "never reaches its end, step_size or milestones >= N, a warmup or cyclic cycle longer than N), a "
            "horizon in the wrong unit when the steps per epoch are known, lr 0 at the first step, an lr above "
            "the base lr, a run ending with many steps at lr 0, and a negative lr. Each warning names the "
            "parameter, its value and the value that would fix it. Exit status: 0 clean, 1 warnings, 2 bad input."
        ),
        Text(""),
        Text("Example", style="bold"),
        Text(
            _indent(
                'lrplot lint "cosine --t-max 90" "hf cosine --num-warmup-steps 500" --train-epochs 90 '
                "--steps-per-epoch 500 --interval step"
            )
        ),  # fmt: skip
        Text(""),
        _options_panel("Options", LINT_OPTIONS),
        _options_panel("Run options (for every SPEC that does not set its own)", RUN_OPTIONS),
    )


FROM_CONFIG = {
    "hf": (
        "training_args.json",
        "Previews the schedule of a Hugging Face TrainingArguments file (JSON or YAML) as transformers' Trainer "
        "runs it.",
        "Reads learning_rate, lr_scheduler_type, lr_scheduler_kwargs, warmup_steps (a ratio when < 1), "
        "warmup_ratio, num_train_epochs, max_steps, per_device_train_batch_size, gradient_accumulation_steps and "
        "dataloader_drop_last; other keys are ignored. It counts steps as the Trainer does (update steps per "
        "epoch, max_steps, warmup steps) and prints that accounting above the table.",
    ),
    "timm": (
        "output/train/args.yaml",
        "Previews the schedule of a timm train.py run from the args.yaml it writes, as timm's scheduler "
        "factory builds it.",
        "Reads sched, epochs, lr (or lr_base, lr_base_size, lr_base_scale scaled by the global batch), min_lr, "
        "warmup_lr, warmup_epochs, warmup_prefix, cooldown_epochs, decay_epochs, decay_milestones, decay_rate, "
        "patience_epochs, lr_cycle_mul, lr_cycle_decay, lr_cycle_limit, lr_k_decay, sched_on_updates, "
        "batch_size and grad_accum_steps; other keys are ignored. Rows are epochs, or updates with "
        "sched_on_updates; the accounting (lr after scaling, updates per epoch, epochs with cooldown) is "
        "printed above the table.",
    ),
}


def from_config_help(kind: str) -> RenderableType:
    """The ``--help`` page of ``lrplot from-hf`` and ``lrplot from-timm``."""
    example, summary, details = FROM_CONFIG[kind]
    return Group(
        Text.assemble(("Usage: ", "bold"), f"lrplot from-{kind} FILE --dataset-size D [--world-size W] [OPTIONS]"),
        Text(""),
        Text(summary, style="bold"),
        Text(""),
        Text(details + " The run is then checked like any schedule (see lrplot lint --help)."),
        Text(""),
        Text("Example", style="bold"),
        Text(_indent(f"lrplot from-{kind} {example} --dataset-size 50000 --world-size 8 -o schedule.png")),
        Text(""),
        _options_panel("Run options", FROM_CONFIG_OPTIONS),
        _options_panel("Output options", OUTPUT_OPTIONS),
    )


def list_help() -> RenderableType:
    """The ``--help`` page of ``lrplot list``."""
    return Group(
        Text.assemble(("Usage: ", "bold"), "lrplot list [FAMILY ...] [--format table|md|json]"),
        Text(""),
        Text(
            "Lists every policy: its command, library class, summary and parameters with their defaults.", style="bold"
        ),
        Text(f"FAMILY keeps only those families: {', '.join(FAMILIES)} (lrplot list timm optax)."),
        Text(""),
        _options_panel("Options", LIST_OPTIONS),
    )


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def param_summary(param: Param) -> str:
    """``step_size`` for a required parameter, ``gamma=0.1`` otherwise."""
    return param.name if param.required else f"{param.name}={param.default_text()}"


class PolicyTable:
    """``lrplot list``: one table per family; narrow terminals stack command and class in one column."""

    def __init__(self, policies: list[Policy]) -> None:
        self.policies = policies

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = options.max_width >= 130
        for family, about in FAMILIES.items():
            members = [p for p in self.policies if p.family == family]
            if not members:
                continue
            table = Table(title=about.title, title_justify="left", title_style="bold", header_style="bold")
            table.add_column("command" if wide else "command / library name", no_wrap=True)
            if wide:
                table.add_column("library name", no_wrap=True)
            table.add_column("summary", ratio=3)
            table.add_column("parameters", style="dim", ratio=2, overflow="fold")
            for p in members:
                command = Text(p.command, style="bold cyan")
                names = [command, Text(p.library_name)] if wide else [Text.assemble(command, "\n", p.library_name)]
                table.add_row(*names, p.summary, ", ".join(param_summary(x) for x in p.params))
            yield table


def policy_markdown(policies: list[Policy]) -> str:
    """The policy table in Markdown, as the README embeds it."""
    lines = ["| command | library name | summary | parameters |", "|---|---|---|---|"]
    for p in policies:
        params = ", ".join(f"`{param_summary(x)}`" for x in p.params)
        lines.append(f"| `{p.command}` | `{p.library_name}` | {p.summary} | {params} |")
    return "\n".join(lines) + "\n"


def policy_records(policies: list[Policy]) -> list[dict[str, Any]]:
    return [
        {
            "command": p.command,
            "name": p.name,
            "family": p.family,
            "library_name": p.qualified_name,
            "summary": p.summary,
            "formula": p.formula,
            "parameters": [
                {
                    "name": x.name,
                    "option": x.flag,
                    "type": x.kind.expected,
                    "required": x.required,
                    "default": None if x.required else _json_default(x.default),
                    "help": x.help,
                }
                for x in p.params
            ],
        }
        for p in policies
    ]


def _json_default(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def listing(fmt: str, families: list[str] | None = None) -> RenderableType | str:
    """``lrplot list``: every policy, or those of ``families`` (``lrplot list timm``)."""
    policies = [p for p in all_policies() if not families or p.family in families]
    if fmt == "md":
        return policy_markdown(policies)
    if fmt == "json":
        return json.dumps(policy_records(policies), indent=1) + "\n"
    return PolicyTable(policies)
