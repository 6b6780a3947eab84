"""The ``lrplot`` command line: thin commands over the library.

Every command reads its words with the one option grammar of
:mod:`lrplot.spec`, so the command line and quoted SPECs can never drift
apart.  Typer draws the top-level help (``lrplot --help``) and shows the
version; it is imported only for those, so a preview starts fast.  Every
error a user can cause ends here as one line on stderr and exit status 2.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.text import Text

from . import __version__, notices
from .compare import Comparison, default_label
from .emit import emit, emit_all
from .errors import LrplotError
from .options import (
    COMPARE_OPTIONS,
    FROM_CONFIG_OPTIONS,
    LINT_OPTIONS,
    LIST_OPTIONS,
    OUTPUT_OPTIONS,
    RENDER_OPTIONS,
    RUN_OPTIONS,
    option_defaults,
)
from .output import check_figure_size, check_outputs, render_files, write_all
from .registry import FAMILIES, all_policies, lookup
from .series import Series
from .simulate import simulate
from .spec import PREFIXES, HelpRequested, option_table, parse_spec, parse_words, read_options

SUMMARY = (
    "Preview learning-rate schedules exactly as PyTorch, Hugging Face, timm, optax and Keras compute them: "
    "a table, a figure, CSV or JSON."
)


def _stdout() -> Console:
    return Console()


def _stderr() -> Console:
    return Console(stderr=True, soft_wrap=True)


def _warn(message: str) -> None:
    _stderr().print(Text.assemble(("lrplot: warning: ", "yellow"), message))


def _error(message: str) -> None:
    _stderr().print(Text.assemble(("lrplot: error: ", "bold red"), message))


def _print_rows(data: Any, output: dict[str, Any], show_table: Callable[[], None]) -> None:
    """stdout: CSV, JSON or the Rich view, as ``--format`` asks; nothing with ``--no-table``."""
    if output.get("no_table") or output.get("emit"):
        return
    fmt = output.get("format", "table")
    if fmt == "csv":
        data.write_csv(sys.stdout)  # streamed: a long run is never held as one string
    elif fmt == "json":
        sys.stdout.write(data.to_json())
    else:
        show_table()


def _prepare_outputs(output: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """Check every output before any work; returns the paths and the figure style."""
    paths = check_outputs(output.get("out", []))
    style = {**option_defaults(OUTPUT_OPTIONS), **output}
    if any(p.suffix.lower() in (".png", ".svg", ".pdf") for p in paths):
        check_figure_size(style["size"], style["dpi"])
    return paths, style


def _finish(
    series_list: list[Series],
    output: dict[str, Any],
    paths: list[Any],
    files: dict[Any, bytes],
    labels: list[str] | None = None,
) -> None:
    """Warn (unless ``--quiet``): lint's findings on each schedule, then notes on the options; write the files."""
    if not output.get("quiet"):
        for message in [
            *_findings(series_list, labels),
            *(note for s in series_list for note in notices.warmup_handover(s)),
            *(note for s in series_list for note in notices.resumed_differs(s)),
            *notices.hidden_on_log_axis(series_list, output, paths),
            *notices.ignored_options(output, paths, series_list),
        ]:
            _warn(message)
    write_all(files)


def _findings(series_list: list[Series], labels: list[str] | None = None) -> list[str]:
    """lint's warnings on every schedule, each prefixed with its label when there are several."""
    from .lint import lint

    findings = []
    for index, series in enumerate(series_list):
        prefix = f"{labels[index]}: " if labels and len(series_list) > 1 else ""
        findings += [prefix + message for message in lint(series)]
    return findings


def run_policy(words: list[str]) -> None:
    """``lrplot <policy> ...``: simulate, write the files, print the rows."""
    spec, output = parse_words(words, allow_output=True)
    paths, style = _prepare_outputs(output)
    series = simulate(spec)
    code = emit(spec, output["emit"]) if output.get("emit") else None  # refused before any file is written
    _finish([series], output, paths, render_files(series, [series], paths, style, stream_csv=True))
    if code is not None:
        sys.stdout.write(code)

    def show_table() -> None:
        from .table import build_table

        _stdout().print(build_table(series, digits=output.get("digits")))

    _print_rows(series, output, show_table)
    _report_written(paths)


def run_compare(words: list[str]) -> None:
    """``lrplot compare "SPEC" "SPEC" ... [options]``."""
    options = {**option_table(RUN_OPTIONS), **option_table(OUTPUT_OPTIONS), **option_table(COMPARE_OPTIONS)}
    read = read_options(words, options, "compare: ", positionals=True, on_help=_show(_compare_help))
    if not read.positionals:
        raise LrplotError(
            'compare: expected quoted SPECs, e.g. lrplot compare "step --step-size 30" "cosine --t-max 100"'
        )
    common = read.collect(RUN_OPTIONS)
    output = {**read.collect(OUTPUT_OPTIONS), **read.collect(COMPARE_OPTIONS)}
    given = output.get("label", [])
    if len(given) > len(read.positionals):
        raise LrplotError(
            f"compare: {len(given)} --label values for {len(read.positionals)} SPECs; give at most one per SPEC"
        )
    specs = [parse_spec(text) for text in read.positionals]
    typed = list(zip(specs, read.positionals))[len(given) :]
    labels = given + [default_label(spec, text) for spec, text in typed]  # as typed, before the common options
    paths, style = _prepare_outputs(output)
    series_list = [simulate(spec.with_run_defaults(common)) for spec in specs]
    comparison = Comparison.of(series_list, labels)
    if output.get("emit"):  # one block per SPEC, refused before any file is written
        code = emit_all([s.spec for s in series_list], output["emit"], comparison.labels)
    _finish(
        series_list,
        output,
        paths,
        render_files(comparison, series_list, paths, style, comparison.labels, stream_csv=True),
        comparison.labels,
    )

    def show_view() -> None:
        from .table import SummaryTable, epoch_table
        from .term import Chart, Curve

        console = _stdout()
        if not output.get("no_chart"):
            curves = [Curve(label, column) for label, _, column in comparison.curves()]
            console.print(Chart(curves, log_y=bool(output.get("log_y")), x_label=comparison.axis.unit))
        console.print(SummaryTable(comparison, output.get("digits")))
        if output.get("table"):
            console.print(epoch_table(comparison, output.get("digits")))

    if output.get("emit"):
        sys.stdout.write(code)
    _print_rows(comparison, output, show_view)
    _report_written(paths)


def run_lint(words: list[str]) -> int:
    """``lrplot lint "SPEC" ... [run options] [-q]``: exit 1 when any schedule draws a warning, 0 when none."""
    options = {**option_table(RUN_OPTIONS), **option_table(LINT_OPTIONS)}
    read = read_options(words, options, "lint: ", positionals=True, on_help=_show(_lint_help))
    if not read.positionals:
        raise LrplotError('lint: expected quoted SPECs, e.g. lrplot lint "cosine --t-max 90" --train-epochs 90')
    common = read.collect(RUN_OPTIONS)
    quiet = read.collect(LINT_OPTIONS).get("quiet")
    specs = [parse_spec(text) for text in read.positionals]
    series_list = [simulate(spec.with_run_defaults(common)) for spec in specs]
    labels = [default_label(spec, text) for spec, text in zip(specs, read.positionals)]
    findings = _findings(series_list, labels)
    if not quiet:
        console = _stdout()
        for message in findings:
            console.print(Text.assemble(("warning: ", "yellow"), message), soft_wrap=True)
        checked = f"{len(specs)} schedule{'s' * (len(specs) != 1)}"
        verdict = f"{len(findings)} warning{'s' * (len(findings) != 1)}" if findings else "no warnings"
        console.print(Text(f"lint: {verdict} in {checked}", style="dim" if not findings else "bold"), soft_wrap=True)
    return 1 if findings else 0


def run_from_config(kind: str, words: list[str]) -> None:
    """``lrplot from-hf FILE --dataset-size D [--world-size W] [output options]`` (and ``from-timm``)."""
    import importlib

    from .trainers import read_run_config

    where = f"from-{kind}: "
    options = {**option_table(FROM_CONFIG_OPTIONS), **option_table(OUTPUT_OPTIONS)}
    read = read_options(words, options, where, positionals=True, on_help=_show(lambda: _from_help(kind)))
    if len(read.positionals) != 1:
        example = "training_args.json" if kind == "hf" else "output/train/args.yaml"
        given = f"got {len(read.positionals)}: {' '.join(read.positionals)}" if read.positionals else "got none"
        raise LrplotError(
            f"{where}expected one config file, e.g. lrplot from-{kind} {example} --dataset-size 50000 ({given})"
        )
    run = read.collect(FROM_CONFIG_OPTIONS)
    if run.get("dataset_size") is None:
        raise LrplotError(f"{where}--dataset-size D is required: the number of training examples the run loads")
    output = read.collect(OUTPUT_OPTIONS)
    paths, style = _prepare_outputs(output)
    config = read_run_config(read.positionals[0], where)
    trainer = importlib.import_module(f".trainers.{kind}", __package__)
    preview = trainer.preview(
        config, dataset_size=run["dataset_size"], world_size=run.get("world_size") or 1, where=where
    )
    series = simulate(preview.spec)
    code = emit(preview.spec, output["emit"]) if output.get("emit") else None
    _finish([series], output, paths, render_files(series, [series], paths, style, stream_csv=True))
    accounting = _accounting(read.positionals[0], preview.accounting)
    if code is not None:
        sys.stdout.write(code)

    def show_table() -> None:
        from .table import build_table

        console = _stdout()
        console.print(accounting)
        console.print(build_table(series, digits=output.get("digits")))

    if output.get("format", "table") != "table" and not output.get("quiet"):
        _stderr().print(accounting)  # stdout is data: the accounting goes beside it, for the eye
    _print_rows(series, output, show_table)
    _report_written(paths)


def _accounting(path: str, lines: list[tuple[str, str]]) -> Any:
    """The accounting a preview derived, one ``name: value`` line each, to check against the trainer's log."""
    from rich.console import Group

    width = max((len(name) for name, _ in lines), default=0)
    rows = [Text.assemble((f"  {name:<{width}}  ", "bold"), value) for name, value in lines]
    return Group(Text(f"from {path}:", style="bold"), *rows, Text(""))


def run_render(words: list[str]) -> int:
    """``lrplot render FILE.toml [--out-dir DIR] [--jobs N] [--only NAME] [--check]``."""
    from .config import load_config
    from .render import changed_files, default_jobs, render_all

    read = read_options(words, option_table(RENDER_OPTIONS), "render: ", positionals=True, on_help=_show(_render_help))
    if not read.positionals:
        raise LrplotError("render: expected a config file, e.g. lrplot render docs/schedules.toml")
    options = read.collect(RENDER_OPTIONS)
    only = [name for value in options.get("only", []) for name in value.split(",") if name]
    jobs = options.get("jobs") or default_jobs()
    failed = False
    stale: list[str] = []
    for path in read.positionals:
        config = load_config(path, options.get("out_dir"))
        for message in config.errors:
            _error(message)
            failed = True
        names = _selected(config, only)
        if not options.get("check") and names:
            config.out_dir.mkdir(parents=True, exist_ok=True)
        counts = {"written": 0, "unchanged": 0}
        with _RenderProgress(len(names), str(config.path)) as progress:
            for outcome in render_all(config, names, jobs=jobs, progress=progress.advance):
                if outcome.error:
                    _error(outcome.error)
                    failed = True
                    continue
                changed = changed_files(outcome)
                counts["unchanged"] += len(outcome.files) - len(changed)
                if options.get("check"):
                    stale += [f"{p} ({'missing' if not p.exists() else 'out of date'})" for p in changed]
                else:
                    write_all(changed)
                    counts["written"] += len(changed)
        verb = "checked" if options.get("check") else "rendered"
        summary = f"{verb} {len(names)} figure{'s' * (len(names) != 1)} from {config.path} into {config.out_dir}: "
        summary += (
            f"{counts['unchanged']} file(s) unchanged"
            if options.get("check")
            else (f"{counts['written']} file(s) written, {counts['unchanged']} unchanged")
        )
        _stdout().print(Text(summary), soft_wrap=True)
    for line in stale:
        _stdout().print(Text(f"out of date: {line}", style="yellow"), soft_wrap=True)
    if failed:
        return 2
    return 1 if stale else 0


def _selected(config: Any, only: list[str]) -> list[str]:
    if not only:
        return config.names
    for name in only:
        if name not in config.names:
            hint = difflib.get_close_matches(name, config.names, n=1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            raise LrplotError(f"render: --only {name}: no figure of that name in {config.path}{suggestion}")
    return [name for name in config.names if name in only]


class _RenderProgress:
    """A Rich progress bar on a terminal; nothing when piped (the summary line says it all)."""

    def __init__(self, total: int, what: str) -> None:
        self.total, self.what = total, what
        self.progress: Any = None

    def __enter__(self) -> _RenderProgress:
        console = _stderr()
        if console.is_terminal and self.total > 1:
            from rich.progress import Progress

            # auto_refresh off: no display thread while worker processes are forked
            self.progress = Progress(console=console, auto_refresh=False, transient=True)
            self.task = self.progress.add_task(f"rendering {self.what}", total=self.total)
            self.progress.start()
        return self

    def advance(self, outcome: Any) -> None:
        if self.progress is not None:
            self.progress.advance(self.task)
            self.progress.refresh()

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


def run_list(words: list[str]) -> None:
    """``lrplot list [FAMILY ...] [--format table|md|json]``: FAMILY is torch, hf, recipes, timm, optax or keras."""
    read = read_options(words, option_table(LIST_OPTIONS), "list: ", positionals=True, on_help=_show(_list_help))
    for word in read.positionals:
        if word not in FAMILIES:
            raise LrplotError(f"list: unknown family {word!r}; expected one of {', '.join(FAMILIES)}")
    from .helptext import listing

    result = listing(read.collect(LIST_OPTIONS).get("format", "table"), read.positionals)
    if isinstance(result, str):
        sys.stdout.write(result)
    else:
        _stdout().print(result)


def _report_written(paths: list[Any]) -> None:
    for path in paths:
        _stderr().print(Text(f"wrote {path}", style="dim"))


class _ShowHelp(Exception):
    def __init__(self, render: Callable[[], Any]) -> None:
        self.render = render


def _show(render: Callable[[], Any]) -> Callable[[], None]:
    def raise_help() -> None:
        raise _ShowHelp(render)

    return raise_help


def _compare_help() -> Any:
    from .helptext import compare_help

    return compare_help()


def _render_help() -> Any:
    from .helptext import render_help

    return render_help()


def _lint_help() -> Any:
    from .helptext import lint_help

    return lint_help()


def _from_help(kind: str) -> Any:
    from .helptext import from_config_help

    return from_config_help(kind)


def _list_help() -> Any:
    from .helptext import list_help

    return list_help()


def _top_level(args: list[str]) -> int:
    """``lrplot --help`` and ``lrplot --version``, drawn by Typer from the registry."""
    import typer

    app = typer.Typer(
        name="lrplot",
        help=SUMMARY + "\n\nRun [bold]lrplot list[/bold] for every policy and "
        "[bold]lrplot POLICY --help[/bold] for its formula and options.",
        add_completion=False,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    def version(value: bool) -> None:
        if value:
            _stdout().print(f"lrplot {__version__}")
            raise typer.Exit()

    @app.callback()
    def top(
        show_version: bool = typer.Option(
            False, "--version", callback=version, is_eager=True, help="Show the version and exit."
        ),
    ) -> None:
        """Preview learning-rate schedules exactly as the libraries compute them."""

    def listed(name: str, summary: str, panel: str) -> None:
        # Listed for the help page only: main() runs these commands without Typer.
        app.command(name, help=summary, rich_help_panel=panel)(lambda: None)

    listed("list", "List every policy: command, library class, summary and parameters with defaults.", "Commands")
    listed("compare", "Compare policies in the terminal: a chart, a summary table and overlay files.", "Commands")
    listed("render", "Render every figure of a TOML config (docs), only rewriting files that changed.", "Commands")
    listed("lint", "Check schedules against their run (horizons, units, lr 0); exit 1 on any warning.", "Commands")
    listed(
        "from-hf",
        "Preview the schedule of a Hugging Face TrainingArguments file, with the Trainer's accounting.",
        "Commands",
    )
    listed(
        "from-timm",
        "Preview the schedule of a timm train.py args.yaml, as its scheduler factory builds it.",
        "Commands",
    )
    for policy in all_policies():
        listed(policy.command, policy.summary, "Policies")
    result = app(args=args, prog_name="lrplot", standalone_mode=False)
    return result if isinstance(result, int) else 0


_COMMANDS: dict[str, Callable[[list[str]], int | None]] = {
    "compare": run_compare,
    "list": run_list,
    "render": run_render,
    "lint": run_lint,
    "from-hf": lambda words: run_from_config("hf", words),
    "from-timm": lambda words: run_from_config("timm", words),
}


def _dispatch(args: list[str]) -> int:
    if not args:
        args = ["--help"]
    first = args[0]
    if first in _COMMANDS:
        return _COMMANDS[first](args[1:]) or 0
    if first.startswith("-"):
        if first in ("-h", "--help", "--version"):
            return _top_level(args)
        raise LrplotError(f"{first}: options go after a policy name, e.g. lrplot step --step-size 10 {first} ...")
    if first not in PREFIXES:
        lookup(first)  # an unknown name fails here, with a "did you mean"
    elif args[1:2] and args[1] in ("-h", "--help"):  # `lrplot timm --help`: the family's schedules
        return run_list([first])
    run_policy(args)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``lrplot`` script; returns the exit status."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        code = _dispatch(args)
        sys.stdout.flush()  # a closed pipe shows up here, while we can still handle it
        return code
    except HelpRequested as request:
        from .helptext import policy_help

        _stdout().print(policy_help(request.policy))
        return 0
    except _ShowHelp as request:
        _stdout().print(request.render())
        return 0
    except LrplotError as error:
        _error(str(error))
        return 2
    except KeyboardInterrupt:
        _error("interrupted; no partial file was written")
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) is gone: stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except MemoryError:
        sys.stderr.write("lrplot: error: out of memory; ask for fewer rows (-n) or param groups\n")
        return 2
    except OSError as error:  # stdout on a full disk, a vanished file: not a bug, not bad input
        _error(f"cannot write: {error.strerror or error}")
        return 2
    except Exception as error:  # noqa: BLE001 - a bug in lrplot: one line, and the traceback on request
        if os.environ.get("LRPLOT_DEBUG"):
            raise
        typer_error = getattr(error, "format_message", None)  # Typer's own usage errors
        if typer_error is not None:
            _error(typer_error())
            return getattr(error, "exit_code", 2)
        message = " ".join(str(error).split())
        _error(f"internal error: {type(error).__name__}: {message} (set LRPLOT_DEBUG=1 for the traceback)")
        return 1
