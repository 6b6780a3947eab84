"""Things worth telling the user that do not stop a run: one warning line each.

A run goes ahead, but the user should know that torch itself drives the lr
below zero, that a log axis cannot show some values, or that an option they
gave has no effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .columns import count_at_most_zero
from .output import FIGURE_SUFFIXES
from .series import Series

FIGURE_ONLY = ("title", "log_y", "size", "dpi")


def resumed_differs(series: Series) -> list[str]:
    """A resumed run that no longer follows the uninterrupted one: say from which epoch, and by how much.

    >>> from lrplot import simulate
    >>> resumed_differs(simulate("step --step-size 3 --gamma 0.5 -n 10 --resume-at 6 --resume-mode last-epoch"))
    ['--resume-at 6 --resume-mode last-epoch: from epoch 6 the lr is 0.0125 where the uninterrupted run has 0.025']
    """
    if series.uninterrupted is None:
        return []
    import numpy as np

    start = series.first_row
    for group, (resumed, whole) in enumerate(zip(series.lr_columns, series.uninterrupted)):
        got, expected = np.asarray(resumed, dtype=float), np.asarray(whole, dtype=float)[start:]
        # long runs are vectorized (within 1e-12 of the peak, see simulate.EXACT_STEPS): no last-bit alarms
        tolerance = 1e-12 * float(np.nanmax(np.abs(expected), initial=0.0)) if isinstance(whole, np.ndarray) else 0.0
        differs = np.flatnonzero((np.abs(got - expected) > tolerance) & ~(np.isnan(got) & np.isnan(expected)))
        if len(differs):
            offset = int(differs[0])
            where = f" in param group {group}" if series.groups > 1 else ""
            return [
                f"--resume-at {start} --resume-mode {series.run['resume_mode']}: from {series.unit} "
                f"{start + offset} the lr{where} is {float(got[offset])!r} where the uninterrupted run has "
                f"{float(expected[offset])!r}"
            ]
    return []


def hidden_on_log_axis(series_list: Sequence[Series], output: dict[str, Any], paths: Sequence[Any]) -> list[str]:
    if not output.get("log_y") or not any(p.suffix.lower() in FIGURE_SUFFIXES for p in paths):
        return []
    hidden = sum(count_at_most_zero(column) for s in series_list for column in s.lr_columns)
    return [f"--log-y: {hidden} lr value(s) <= 0 cannot be drawn on a log axis and are left out"] if hidden else []


def ignored_options(output: dict[str, Any], paths: Sequence[Any], series_list: Sequence[Series]) -> list[str]:
    """Options that were given but change nothing in this run."""
    notes = []
    if not any(p.suffix.lower() in FIGURE_SUFFIXES for p in paths):
        given = [f"--{name.replace('_', '-')}" for name in FIGURE_ONLY if name in output]
        if given:
            notes.append(f"{', '.join(given)} only change(s) a figure; add -o NAME.png (or .svg, .pdf)")
    if "digits" in output and output.get("format", "table") != "table":
        notes.append("--digits only rounds the table; CSV and JSON keep every digit")
    if "format" in output and output.get("no_table"):
        notes.append("--format has no effect with --no-table, which prints nothing")
    for series in series_list:
        policy = series.spec.policy
        prefix_warmup = series.run.get("warmup") and not series.run.get("warmup_overlap")
        if policy.replaces_lr and "lr" in series.spec.run and series.groups == 1 and not prefix_warmup:
            notes.append(
                f"--lr has no effect on {policy.command}: {policy.library_name} sets the optimizer's lr itself"
            )
        unused = [f"--{name.replace('_', '-')}" for name in WARMUP_DETAILS if name in series.spec.run]
        if unused and not series.run.get("warmup"):
            notes.append(f"{', '.join(unused)} only shape(s) a warmup; add --warmup N")
    return notes


WARMUP_DETAILS = ("warmup_shape", "warmup_start", "warmup_overlap")
OWN_WARMUPS = ("num_warmup_steps", "warmup_steps")


def warmup_handover(series: Series) -> list[str]:
    """A prefix warmup climbs to --lr; say so when the schedule it hands over to starts far from there.

    Also when the policy warms up by itself and lrplot's --warmup stacks a second ramp in front.
    """
    run, policy = series.run, series.spec.policy
    warmup = run.get("warmup") or 0
    if not warmup or run.get("warmup_overlap"):
        return []
    notes = []
    own = [p for p in policy.params if p.name in OWN_WARMUPS and series.bound.get(p.name)]
    if own:
        notes.append(
            f"{policy.command} warms up by itself ({own[0].flag} {series.bound[own[0].name]}); "
            f"--warmup {warmup} adds lrplot's warmup in front of it"
        )
    if warmup < series.epochs:
        for group, column in enumerate(series.lr_columns):
            target, start = float(series.run["lr"][min(group, len(series.run["lr"]) - 1)]), float(column[warmup])
            if target > 0 and start > 0 and max(target / start, start / target) > 2:
                notes.append(
                    f"the warmup climbs to --lr {target!r} but the schedule starts at {start!r} (row {warmup}): "
                    "like torch's SequentialLR, the warmup scales the optimizer's lr, not the schedule's first value"
                )
                break
    return notes  # a warmup covering the whole run is lint's (check_run_warmup)
