"""lrplot's performance targets, measured side by side: ``python benchmarks/run.py [--repeats N]``.

Each case times an lrplot command and a reference in fresh processes,
alternating them (so both see the same machine state) and comparing medians.
It prints every ratio against its target; the torch case is skipped with a
note when torch is not installed (``pip install torch==2.13.0``).  Timings
are wall-clock seconds of whole processes, start-up included, as a user
experiences them.  Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The installed script beside this Python (not a version manager's shim, which adds its own start-up).
_SCRIPT = Path(sys.executable).parent / "lrplot"
LRPLOT = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "lrplot"]

BARE_PNG = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
xs = list(range(40))
ys = [0.05 * 0.1 ** (e // 10) for e in xs]
fig, ax = plt.subplots()
ax.plot(xs, ys)
fig.savefig({out!r})
"""

TORCH_1M = """
import warnings
import torch
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
warnings.simplefilter("ignore")
N = 1_000_000
param = torch.nn.Parameter(torch.zeros(1))
optimizer = torch.optim.SGD([param], lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=N)
lrs = []
for _ in range(N):
    lrs.append(scheduler.get_last_lr()[0])
    scheduler.step()
fig, ax = plt.subplots()
ax.plot(range(N), lrs)
fig.savefig({png!r})
fig.savefig({svg!r})
"""


# An installed package has its bytecode compiled (pip does it at install time); a machine that sets
# PYTHONDONTWRITEBYTECODE would make every run recompile lrplot's source (~40 ms) and time that.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=CHILD_ENV)
    return time.perf_counter() - start


def peak_rss_mib(command: list[str]) -> float:
    """Peak resident memory of ``command``, measured in a wrapper process that runs only it."""
    wrapper = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = subprocess.run([sys.executable, "-c", wrapper, *command], check=True, capture_output=True, text=True)
    return int(result.stdout.strip()) / 1024  # ru_maxrss is in KiB on Linux


@dataclass
class Case:
    name: str
    lrplot: Callable[[], float]
    reference: Callable[[], float]
    target: str  # "<= 1.25x" (lrplot / reference) or ">= 8x faster" (reference / lrplot)
    limit: float
    repeats: int | None = None

    def measure(self, repeats: int) -> tuple[float, float]:
        ours, theirs = [], []
        for _ in range(self.repeats or repeats):
            ours.append(self.lrplot())
            theirs.append(self.reference())
        return statistics.median(ours), statistics.median(theirs)


def python_script(text: str, folder: Path, name: str) -> list[str]:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return [sys.executable, str(path)]


def render_config(folder: Path, figures: int = 50) -> Path:
    """A docs config of ``figures`` figures over every kind of policy."""
    policies = [
        'policy = "step"\nstep_size = 30',
        'policy = "multistep"\nmilestones = [30, 80]',
        'policy = "cosine"\nT_max = 100',
        'policy = "exponential"\ngamma = 0.95',
        'policy = "onecycle"\nmax_lr = 0.1',
        'policy = "cyclic"\nbase_lr = 0.01\nmax_lr = 0.1\nstep_size_up = 10',
        'policy = "cosine-restarts"\nT_0 = 20',
        'policy = "linear"\nstart_factor = 0.1\ntotal_iters = 10',
        'policy = "lambda"\nlr_lambda = "0.97 ** epoch"',
        'policy = "polynomial"\ntotal_iters = 80\npower = 2',
    ]
    body = ['[defaults]\nepochs = 100\nformats = ["svg"]\n']
    for i in range(figures):
        body.append(f'[[figure]]\nname = "figure-{i:02d}"\n{policies[i % len(policies)]}\n')
    path = folder / "docs.toml"
    path.write_text("\n".join(body))
    return path


def have_torch() -> bool:
    result = subprocess.run([sys.executable, "-c", "import torch.optim.lr_scheduler"], capture_output=True)
    return result.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="interleaved runs per case (medians are compared)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lrplot-bench-"))
    step = [*LRPLOT, "step", "--step-size", "10", "--gamma", "0.1", "--lr", "0.05", "-n", "40"]
    onecycle = [
        *LRPLOT,
        "onecycle",
        "--max-lr",
        "0.1",
        "--no-table",
        "-o",
        str(folder / "o.png"),
        "-o",
        str(folder / "o.svg"),
    ]
    bare = python_script(BARE_PNG.format(out=str(folder / "bare.png")), folder, "bare.py")
    config = render_config(folder)
    out_dirs = iter(range(10**6))

    cases = [
        Case("preview to PNG", lambda: run([*step, "-o", str(folder / "x.png")]), lambda: run(bare), "<=", 1.25),
        Case(
            "table only", lambda: run(step), lambda: run([sys.executable, "-c", "import typer, rich.table"]), "<=", 1.6
        ),
        Case(
            "size does not cost (1M vs 40 steps)",
            lambda: run([*onecycle, "-n", "1000000"]),
            lambda: run([*onecycle, "-n", "40"]),
            "<=",
            1.5,
        ),
        Case(
            "batch render of 50 figures",
            lambda: run([*LRPLOT, "render", str(config), "--out-dir", str(folder / f"render-{next(out_dirs)}")]),
            lambda: run([*step, "-o", str(folder / "single.png")]),
            "<=",
            5.0,
        ),
    ]
    if have_torch():
        torch_script = python_script(
            TORCH_1M.format(png=str(folder / "t.png"), svg=str(folder / "t.svg")), folder, "torch_1m.py"
        )
        cases.insert(
            2,
            Case(
                "1M steps to PNG+SVG vs torch",
                lambda: run([*onecycle, "-n", "1000000"]),
                lambda: run(torch_script),
                ">=",
                8.0,
                repeats=3,
            ),
        )

    print(
        f"lrplot benchmarks on {platform.node()}: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {args.repeats} interleaved runs per case"
    )
    print(f"{'case':40} {'lrplot':>9} {'reference':>10} {'ratio':>8} {'target':>14}  result")
    failures = 0
    for case in cases:
        ours, theirs = case.measure(args.repeats)
        if case.target == "<=":
            ratio, ok, target = ours / theirs, ours / theirs <= case.limit, f"<= {case.limit}x"
        else:
            ratio, ok, target = theirs / ours, theirs / ours >= case.limit, f">= {case.limit}x faster"
        failures += not ok
        print(f"{case.name:40} {ours:8.3f}s {theirs:9.3f}s {ratio:7.2f}x {target:>14}  {'ok' if ok else 'MISSED'}")
    if not have_torch():
        print(f"{'1M steps to PNG+SVG vs torch':40} skipped: torch is not installed (pip install torch==2.13.0)")
    memory = peak_rss_mib(
        [*LRPLOT, "onecycle", "--max-lr", "0.1", "-n", "10000000", "--no-table", "-o", str(folder / "m.png")]
    )
    ok = memory <= 1024
    failures += not ok
    print(
        f"{'memory: 10M steps to PNG (peak RSS)':40} {memory:7.0f}MiB {'':>10} {'':>8} {'<= 1024 MiB':>14}  {'ok' if ok else 'MISSED'}"
    )
    shutil.rmtree(folder, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
