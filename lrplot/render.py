"""``lrplot render``: every figure of a config, in one process pool, written only when it changed.

Figures are rendered in memory, in parallel over ``jobs`` worker processes
(each loads the config once and renders many figures, so there is no
per-figure start-up), and come back as bytes.  Files whose bytes are already
on disk are left alone, so a docs tree sees no churn; ``check`` writes
nothing and reports the figures that are missing or out of date.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .compare import Comparison
from .config import Figure, RenderConfig, load_config
from .errors import LrplotError
from .options import OUTPUT_OPTIONS, option_defaults
from .output import check_figure_size, render_files
from .simulate import simulate


def render_figure(figure: Figure, out_dir: Path) -> dict[Path, bytes]:
    """The files of one figure, rendered in memory."""
    series_list = [simulate(spec) for spec in figure.specs]
    if len(series_list) == 1:
        data: Any = series_list[0]
        labels = None
    else:
        comparison = Comparison.of(series_list, figure.labels)
        data, labels = comparison, comparison.labels
    style = {**option_defaults(OUTPUT_OPTIONS), **figure.style}
    if any(fmt in ("png", "svg", "pdf") for fmt in figure.formats):
        check_figure_size(style["size"], style["dpi"])
    return render_files(data, series_list, figure.paths(out_dir), style, labels)


@dataclass
class Outcome:
    """What rendering one figure gave: its files, or the one-line reason it failed."""

    name: str
    files: dict[Path, bytes] = field(default_factory=dict)
    error: str | None = None


@lru_cache(maxsize=4)
def _worker_config(path: str, out_dir: str) -> RenderConfig:
    return load_config(path, out_dir)


def _render_named(path: str, out_dir: str, name: str) -> Outcome:
    """Worker entry point: load the config (once per process) and render one figure by name."""
    config = _worker_config(path, out_dir)
    figure = next(f for f in config.figures if f.name == name)
    return _render(figure, config)


def _render(figure: Figure, config: RenderConfig) -> Outcome:
    try:
        return Outcome(figure.name, render_figure(figure, config.out_dir))
    except LrplotError as error:
        return Outcome(figure.name, error=f"{config.path}: figure {figure.name!r}: {error}")


def render_all(
    config: RenderConfig, names: list[str], *, jobs: int, progress: Callable[[Outcome], None] | None = None
) -> list[Outcome]:
    """Render the named figures, in config order, over ``jobs`` processes (1: in this process)."""
    figures = [f for f in config.figures if f.name in names]
    outcomes: list[Outcome] = []
    if jobs <= 1 or len(figures) <= 1:
        for figure in figures:
            outcomes.append(_render(figure, config))
            if progress:
                progress(outcomes[-1])
        return outcomes
    # fork (where available) hands the workers every module already imported: no start-up per worker
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(figures)), mp_context=multiprocessing.get_context(method)
    ) as pool:
        futures = [pool.submit(_render_named, str(config.path), str(config.out_dir), f.name) for f in figures]
        for future in futures:
            outcomes.append(future.result())
            if progress:
                progress(outcomes[-1])
    return outcomes


def changed_files(outcome: Outcome) -> dict[Path, bytes]:
    """The files of ``outcome`` that are missing on disk or differ from what is there."""
    changed = {}
    for path, data in outcome.files.items():
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            pass  # missing (or unreadable): it has to be written
        changed[path] = data
    return changed


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
