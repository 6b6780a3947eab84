"""The ``lrplot`` command line: thin Typer commands over the library.

Policy commands (``lrplot step ...``) hand their words to the one SPEC parser
(:mod:`lrplot.spec`), so the command line and quoted SPECs can never drift
apart; Typer provides the top-level help, the listing of commands and the
option parsing of ``lrplot list``.  Every error a user can cause ends here as
one line on stderr and exit status 2.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.text import Text

from . import __version__
from .errors import LrplotError
from .compare import Comparison, default_label
from .helptext import compare_help, listing, policy_help
from .options import COMPARE_OPTIONS, OUTPUT_OPTIONS, RUN_OPTIONS
from .output import FIGURE_SUFFIXES, check_outputs, write_all
from .registry import Policy, all_policies, lookup
from .series import Series
from .simulate import simulate
from .spec import HelpRequested, option_table, parse_spec, parse_words, read_options
from .table import SummaryTable, build_table, epoch_table
from .term import Chart, Curve

app = typer.Typer(
    name="lrplot",
    help="Preview learning-rate schedules exactly as PyTorch computes them: a table, a figure, CSV or JSON.\n\n"
    "Run [bold]lrplot list[/bold] for every policy and [bold]lrplot POLICY --help[/bold] for its formula and options.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Policy commands take their words raw: the SPEC parser reads them (and shows --help).
_RAW_WORDS = {"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []}


def _stdout() -> Console:
    return Console()


def _stderr() -> Console:
    return Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        _stdout().print(f"lrplot {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Preview learning-rate schedules exactly as PyTorch computes them."""


@app.command("list")
def list_policies(
    format: Annotated[
        Literal["table", "md", "json"],
        typer.Option("--format", help="table (Rich), md (Markdown, as in the README) or json."),
    ] = "table",
) -> None:
    """List every policy: command, library class, summary and parameters with defaults."""
    result = listing(format)
    if isinstance(result, str):
        sys.stdout.write(result)
    else:
        _stdout().print(result)


def _policy_command(policy: Policy) -> Any:
    def command(ctx: typer.Context) -> None:
        run_policy([*policy.command.split(), *ctx.args])

    command.__doc__ = policy.summary
    return command


for _policy in all_policies():
    _command = _policy_command(_policy)
    app.command(_policy.command, context_settings=_RAW_WORDS, add_help_option=False, rich_help_panel="Policies")(
        _command
    )
    app.command(_policy.library_name, context_settings=_RAW_WORDS, add_help_option=False, hidden=True)(_command)


def render_files(
    data: Series | Comparison, series_list: list[Series], paths: list[Path], output: dict[str, Any], labels: Any = None
) -> dict[Path, bytes]:
    """Every requested file, rendered in memory (nothing is written yet).

    ``data`` gives the CSV and JSON; the figure draws ``series_list`` (one
    schedule, or compare's overlay with ``labels``).
    """
    files: dict[Path, bytes] = {}
    figure = None
    for path in paths:
        suffix = path.suffix.lower()
        if suffix == ".csv":
            files[path] = data.to_csv().encode()
        elif suffix == ".json":
            files[path] = data.to_json().encode()
        else:
            from . import plot

            if figure is None:
                figure = plot.figure(
                    series_list,
                    title=output.get("title"),
                    log_y=output.get("log_y", False),
                    size=output.get("size", (8.0, 4.5, "in")),
                    dpi=output.get("dpi", 150),
                    labels=labels,
                )
            files[path] = plot.render(figure, suffix[1:])
    return files


def _warn(message: str) -> None:
    _stderr().print(Text.assemble(("lrplot: warning: ", "yellow"), message), soft_wrap=True)


def _warn_negative(series: Series) -> None:
    """torch itself can go below zero (a chained cosine whose eta_min exceeds the lr): say so."""
    scale = max(abs(v) for column in series.lr_columns for v in column) or 1.0
    for column in series.lr_columns:
        lowest = min(column)
        if lowest < -1e-12 * scale:
            epoch = column.index(lowest)
            _warn(f"the lr goes below zero ({lowest!r} at epoch {epoch}); torch computes it too, and SGD would step uphill")
            return


def _warn_log_y(series_list: list[Series], paths: list[Path], output: dict[str, Any]) -> None:
    if not output.get("log_y") or not any(p.suffix.lower() in FIGURE_SUFFIXES for p in paths):
        return
    hidden = sum(1 for s in series_list for column in s.lr_columns for value in column if value <= 0)
    if hidden:
        _warn(f"--log-y: {hidden} lr value(s) <= 0 cannot be drawn on a log axis and are left out")


def _report_written(paths: list[Path]) -> None:
    for path in paths:
        _stderr().print(Text(f"wrote {path}", style="dim"))


def run_policy(words: list[str]) -> None:
    """``lrplot <policy> ...``: simulate, write the files, print the rows."""
    spec, output = parse_words(words, allow_output=True)
    paths = check_outputs(output.get("out", []))  # before any work
    series = simulate(spec)
    _warn_negative(series)
    _warn_log_y([series], paths, output)
    write_all(render_files(series, [series], paths, output))

    fmt = output.get("format", "table")
    if not output.get("no_table"):
        if fmt == "csv":
            sys.stdout.write(series.to_csv())
        elif fmt == "json":
            sys.stdout.write(series.to_json())
        else:
            _stdout().print(build_table(series, digits=output.get("digits")))
    _report_written(paths)


@app.command("compare", context_settings=_RAW_WORDS, add_help_option=False)
def compare_command(ctx: typer.Context) -> None:
    """Compare policies in the terminal: a chart, a summary table, and overlay files with -o."""
    run_compare(list(ctx.args))


def run_compare(words: list[str]) -> None:
    """``lrplot compare "SPEC" "SPEC" ... [options]``."""
    if "-h" in words or "--help" in words:
        _stdout().print(compare_help())
        return
    options = {**option_table(RUN_OPTIONS), **option_table(OUTPUT_OPTIONS), **option_table(COMPARE_OPTIONS)}
    read = read_options(words, options, "compare: ", positionals=True)
    if not read.positionals:
        raise LrplotError('compare: expected quoted SPECs, e.g. lrplot compare "step --step-size 30" "cosine --t-max 100"')
    common = read.collect(RUN_OPTIONS)
    output = {**read.collect(OUTPUT_OPTIONS), **read.collect(COMPARE_OPTIONS)}
    given = output.get("label", [])
    if len(given) > len(read.positionals):
        raise LrplotError(f"compare: {len(given)} --label values for {len(read.positionals)} SPECs; give at most one per SPEC")
    specs = [parse_spec(text) for text in read.positionals]
    typed = list(zip(specs, read.positionals))[len(given) :]
    labels = given + [default_label(spec, text) for spec, text in typed]  # as typed, before the common options
    paths = check_outputs(output.get("out", []))  # before any work
    series_list = [simulate(spec.with_run_defaults(common)) for spec in specs]
    comparison = Comparison.of(series_list, labels)
    for series in series_list:
        _warn_negative(series)
    _warn_log_y(series_list, paths, output)
    write_all(render_files(comparison, series_list, paths, output, labels=comparison.labels))

    fmt = output.get("format", "table")
    if not output.get("no_table"):
        if fmt == "csv":
            sys.stdout.write(comparison.to_csv())
        elif fmt == "json":
            sys.stdout.write(comparison.to_json())
        else:
            _print_comparison(comparison, series_list, output)
    _report_written(paths)


def _print_comparison(comparison: Comparison, series_list: list[Series], output: dict[str, Any]) -> None:
    console = _stdout()
    if not output.get("no_chart"):
        from .plot import x_label  # no matplotlib import: plot.py imports it lazily

        curves = [Curve(label, column) for label, _, column in comparison.curves()]
        console.print(Chart(curves, log_y=bool(output.get("log_y")), x_label=x_label(series_list)))
    console.print(SummaryTable(comparison, output.get("digits")))
    if output.get("table"):
        console.print(epoch_table(comparison, output.get("digits")))


_COMMANDS = {"list", "compare", "--help", "-h", "--version"}


def _error(message: str) -> None:
    _stderr().print(Text.assemble(("lrplot: error: ", "bold red"), message), soft_wrap=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``lrplot`` script; returns the exit status."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        if args and not args[0].startswith("-") and args[0] not in _COMMANDS:
            lookup(args[0])  # an unknown name fails here, with a "did you mean"
        result = app(args=args, prog_name="lrplot", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except HelpRequested as request:
        _stdout().print(policy_help(request.policy))
        return 0
    except LrplotError as error:
        _error(str(error))
        return 2
    except typer.TyperException as error:  # Typer's own usage errors (lrplot list --format x)
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        _error(message)
        return getattr(error, "exit_code", 2)
    except KeyboardInterrupt:
        _error("interrupted; no partial file was written")
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) is gone: stop quietly, as other command-line tools do.
        sys.stdout = open(os.devnull, "w")
        return 0
    except Exception as error:  # a bug in lrplot: one line, and the traceback on request
        if os.environ.get("LRPLOT_DEBUG"):
            raise
        _error(f"internal error: {type(error).__name__}: {error} (set LRPLOT_DEBUG=1 for the traceback)")
        return 1
