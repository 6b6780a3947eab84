"""lrplot from Python: what the command line does, for notebooks, scripts and docs builds.

A schedule is a SPEC, as on the command line, and keyword arguments for the run
options and the policy's parameters (lrplot's names or the library's keywords):

>>> import lrplot
>>> s = lrplot.simulate("step --step-size 10 --gamma 0.1", epochs=40, lr=0.05)
>>> s.lr[8:12].tolist()
[0.05, 0.05, 0.005000000000000001, 0.005000000000000001]
>>> c = lrplot.simulate("CosineAnnealingLR", T_max=100, epochs=100, lr=[0.1, 0.01])
>>> c.lr.shape, c.lr[50].tolist()
((100, 2), [0.05000000000000004, 0.005000000000000004])

Errors are :class:`lrplot.LrplotError` (a ``ValueError``) with the command line's
one-line messages.  Importing lrplot imports neither matplotlib nor typer; the
drawing functions import matplotlib when called.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .errors import LrplotError
from .series import Series
from .simulate import simulate as _simulate
from .spec import Spec, parse_spec, spec_from_mapping
from .units import shared_axis

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def simulate(spec: str | Spec, /, **options: Any) -> Series:
    """Step a schedule for its run and return every row.

    ``spec`` is a SPEC (``"cosine --t-max 100"``) or just a policy name
    (``"CosineAnnealingLR"``, ``"hf cosine"``); ``options`` add run options
    (``epochs``, ``lr``, ``momentum``, ``warmup``, ``resume_at`` ...), policy
    parameters by lrplot's name or the library's keyword (``t_max`` or
    ``T_max``; lists for list parameters), and ``label``.  A keyword given both
    in the SPEC and as an option takes the option's value.

    >>> simulate("multistep", milestones=[2, 4], gamma=0.5, epochs=6).lr.tolist()
    [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]
    >>> simulate("step", epochs=3)
    Traceback (most recent call last):
    ...
    lrplot.errors.LrplotError: step: step_size is required: Epochs between two decays.
    """
    base = spec if isinstance(spec, Spec) else _parse(spec)
    if not options:
        if not isinstance(spec, Spec):
            base.policy.bind(base.params)  # required parameters, as the command line checks them
        return _simulate(base)
    extra = spec_from_mapping({"policy": base.policy.command, **options}, check=False)
    merged = Spec(
        base.policy,
        {**base.params, **extra.params},
        {**base.run, **extra.run},
        extra.label if extra.label is not None else base.label,
    )
    merged.policy.bind(merged.params, by_key=True)
    return _simulate(merged)


def _parse(text: str) -> Spec:
    if not isinstance(text, str):
        raise LrplotError(f"simulate: {text!r}: expected a SPEC such as 'step --step-size 10' or a policy name")
    return parse_spec(text, check=False)


def plot(series: Series, ax: Axes | None = None, *, label: str | None = None) -> Axes:
    """Draw the lr of ``series`` (every param group) onto ``ax``, or onto a new Figure; returns the Axes.

    The curve is the one the CLI's figure shows: steps for piecewise-constant
    schedules, the uninterrupted run faintly behind a resumed one.
    """
    from . import figures

    if ax is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=figures.DEFAULT_SIZE[:2], dpi=figures.DEFAULT_DPI)
        ax = fig.subplots()
        ax.set_xlabel(series.unit)
        ax.set_ylabel("learning rate")
        ax.grid(True, alpha=figures.STYLE["grid_alpha"])
        figures.secondary_x(ax, shared_axis([series]))  # the other unit on top, when S is known
    figures.draw(ax, series, label=label if label is not None else series.label)
    figures.mark_milestones(ax, series)
    return ax


def figure(
    series: Series | Sequence[Series],
    *,
    title: str | None = None,
    log_y: bool = False,
    labels: Sequence[str | None] | None = None,
    size: tuple[float, float] = (8.0, 4.5),
    dpi: int = 150,
) -> Figure:
    """The CLI's figure of one or more schedules (lr, then momentum and metric panels) as a matplotlib Figure.

    Save it with ``fig.savefig("schedule.png")``; in Jupyter it shows itself.
    """
    from . import figures

    series_list = [series] if isinstance(series, Series) else list(series)
    if not series_list:
        raise LrplotError("figure: expected at least one Series")
    return figures.figure(series_list, title=title, log_y=log_y, labels=labels, size=(*size, "in"), dpi=dpi)


def policies(family: str | None = None) -> list[dict[str, Any]]:
    """Every policy (or those of one family) as ``lrplot list --format json`` describes it.

    Each has ``command``, ``name``, ``family``, ``library_name``, ``summary``,
    ``formula`` and ``parameters`` (``name``, ``option``, ``type``, ``required``,
    ``default``, ``help``).

    >>> step = next(p for p in policies("torch") if p["command"] == "step")
    >>> step["library_name"], [(x["name"], x["default"]) for x in step["parameters"]]
    ('torch.optim.lr_scheduler.StepLR', [('step_size', None), ('gamma', 0.1)])
    """
    from .helptext import policy_records
    from .registry import FAMILIES, all_policies

    if family is not None and family not in FAMILIES:
        raise LrplotError(f"policies: unknown family {family!r}; expected one of {', '.join(FAMILIES)}")
    return policy_records([p for p in all_policies() if family is None or p.family == family])
