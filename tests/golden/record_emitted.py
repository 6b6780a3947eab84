"""Record what the scripts of ``--emit`` print: ``python tests/golden/record_emitted.py``.

Needs the libraries (torch 2.13, transformers, timm, optax and Keras on JAX).
For every case below it emits the script for its target, runs it and writes
``emitted/<id>.json`` (``.json.gz`` for the 10,000-step runs): the SPEC, the
target, the library versions, the script and what it printed.  The suite
checks, on every machine, that ``--emit`` still writes that script and that
lrplot's ``--format csv`` is what it printed (bit for bit for torch, hf and
timm; within float rounding for optax and Keras), and runs the scripts live
whenever the library is importable.  Nothing from lrplot's simulation is used
to write the outputs.

Absolute paths of metric files appear in the scripts' header comments; they
are stored as ``{samples}``, ``{inputs}`` and ``{emitted}`` so the files do not depend on where
the repository is checked out.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent.parent)]

from cases import CASES, INPUTS, LONG_CASES, SAMPLES, write_document  # noqa: E402

from lrplot.emit import emit, targets  # noqa: E402
from lrplot.spec import parse_spec  # noqa: E402

EMITTED_DIR = HERE / "emitted"

EXTRA_CASES: dict[str, str] = {
    # formulas: every function and constant of lrplot's language, as Python lambdas using math
    "lambda-math": (
        'lambda --expr "exp(-epoch / 20) * (1 + cos(pi * epoch / 10)) / 2 + log(epoch + 1, 2) / 100" '
        '--expr "max(0.1, min(1, tanh(epoch / 5))) * sqrt(epoch + 1) / (1 + log10(epoch + 1) + log2(epoch + 1))" '
        "--lr 0.1 --lr 0.02 -n 40"
    ),
    "lambda-logic": (
        'lambda --expr "(1 if 3 < epoch <= 10 else 0.5) * (not epoch % 2 and 0.9 or 1.0) + floor(epoch / 7) / 10 '
        '- ceil(epoch / 9) / 20 + abs(sin(epoch)) / 100 + tan(epoch / 100) + e ** -epoch" -n 40'
    ),
    "lambda-power-closed": 'lambda --expr "-(epoch - 20) ** 2 / 400 + 1.5" --closed-form -n 30',
    "chained-multiplicative-step": 'chained --schedule "multiplicative --expr \'0.99 ** (epoch % 5)\'" --schedule "step --step-size 7" -n 40',
    "cyclic-scale-fn-cycle": (
        'cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 3 --scale-fn "1 / (2.0 ** (x - 1))" -n 40 --momentum 0.5'
    ),
    "onecycle-closed": "onecycle --max-lr 0.1 --three-phase -n 50 --closed-form",
    "cosine-restarts-closed-groups": "cosine-restarts --t-0 3 --t-mult 2 --lr 0.1 --lr 0.05 -n 40 --closed-form",
    # plateau: metric CSV columns, a diverged (nan) epoch, momentum per group
    "plateau-nan-groups": (
        "plateau --metrics {emitted}/metrics.csv --metric-column train_loss --patience 2 --factor 0.5 "
        "--lr 1 --lr 0.1 --momentum 0.9 --momentum 0.8"
    ),
    "plateau-accuracy-column": (
        "plateau --metrics {emitted}/metrics.csv --metric-column val_acc --mode max --patience 1 --cooldown 2 -n 25"
    ),
    "timm-plateau-accuracy": "timm plateau --metrics {emitted}/metrics.csv --metric-column val_acc --patience-t 1",
    "pix2pix-plateau-nan": (
        "pix2pix --lr-policy plateau --metrics {emitted}/metrics.csv --metric-column train_loss --lr 1"
    ),
    # warmups of every shape, in front of a composition, HF and a recipe
    "warmup-linear-start-multistep": "multistep --milestones 5,9 --warmup 4 --warmup-start 0.25 -n 20",
    "warmup-1sqrt-start-cyclic": "cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 4 --warmup 5 --warmup-shape 1-sqrt --warmup-start 0.5 -n 30",
    "warmup-log-start-hf-wsd": (
        "hf warmup-stable-decay --num-warmup-steps 5 --num-decay-steps 10 --warmup 6 --warmup-shape log "
        "--warmup-start 0.1 -n 40"
    ),
    "warmup-cosine-inverse-time": "inverse-time --decay-rate 0.5 --decay-steps 3 --warmup 5 --warmup-shape cosine -n 30",
    # compositions holding HF schedules and recipes
    "sequential-hf-children": (
        'sequential --schedule "hf linear --num-warmup-steps 3 --num-training-steps 10" '
        '--schedule "hf cosine-with-min-lr --min-lr 0.001" --schedule "noam --warmup-steps 5" --milestones 8,20 -n 40'
    ),
    "chained-hf-polynomial": (
        'chained --lr 0.5 --lr 0.05 --schedule "hf polynomial --num-training-steps 30 --lr-end 0.01 --power 2" '
        '--schedule "exponential --gamma 0.98" -n 40'
    ),
    "sequential-pix2pix-end": 'sequential --schedule "pix2pix --step-at end --n-epochs 5 --n-epochs-decay 5" --schedule "cosine --t-max 10" --milestones 8 -n 20',
    "sequential-two-pix2pix": (
        'sequential --schedule "pix2pix --step-at end --n-epochs 5 --n-epochs-decay 5" '
        '--schedule "pix2pix --step-at end --n-epochs 2 --n-epochs-decay 20" --milestones 8 -n 30'
    ),
    "hf-inverse-sqrt-closed": "hf inverse-sqrt --num-warmup-steps 5 --closed-form -n 30",
    "hf-reduce-lr-on-plateau-options": (
        "hf reduce-lr-on-plateau --metrics {samples}/metrics/seed_losses.txt --mode max --threshold-mode abs "
        "--min-lr 0.001 --patience 2"
    ),
    "timm-multistep-groups-per-update": "timm multistep --lr 0.1 --lr 0.3 --decay-t 10,20 --decay-rate 0.5 --no-t-in-epochs -n 30",
}

LONG_EMIT_CASES = ("long-cosine", "long-sequential", "long-hf-cosine", "long-plateau")
"""Of the 10,000-step golden cases, the ones whose scripts are recorded too: affine recursion, handovers, HF."""


def spec_text(template: str) -> str:
    """The SPEC of a case: the golden cases' folders, and ``{emitted}`` for this folder's metrics file."""
    return template.format(inputs=INPUTS, samples=SAMPLES, emitted=EMITTED_DIR)


def emit_cases() -> dict[str, tuple[str, str]]:
    """``id -> (SPEC template, target)``: every golden case for every script target that reproduces it."""
    found: dict[str, tuple[str, str]] = {}
    every = {**CASES, **{k: LONG_CASES[k] for k in LONG_EMIT_CASES}, **EXTRA_CASES}
    for case_id, template in every.items():
        for target in targets(parse_spec(spec_text(template))):
            if target != "toml":
                found[f"{case_id}.{target}"] = (template, target)
    return found


def portable(code: str) -> str:
    """The script with the checkout's absolute folders written as the cases write them."""
    for folder, name in ((SAMPLES, "samples"), (INPUTS, "inputs"), (EMITTED_DIR, "emitted")):
        code = code.replace(str(folder), "{" + name + "}")
    return code


def emitted_path(emit_id: str) -> Path:
    long = emit_id.split(".")[0] in LONG_CASES
    return EMITTED_DIR / (f"{emit_id}.json.gz" if long else f"{emit_id}.json")


def run_script(code: str, name: str = "<emitted>") -> str:
    """Run an emitted script in this process (a fresh namespace) and return what it printed.

    timm is imported without its ``__init__`` (which needs torchvision), as the oracle does.
    """
    if "from timm.scheduler import" in code:
        from oracle import timm_schedulers

        timm_schedulers()
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the libraries' deprecation notices go to stderr anyway
        exec(compile(code, name, "exec"), {"__name__": "__main__"})
    return out.getvalue()


def versions(target: str) -> str:
    import importlib.metadata

    names = {
        "torch": ["torch"],
        "hf": ["torch", "transformers"],
        "timm": ["torch", "timm"],
        "optax": ["optax", "jax"],
        "keras": ["keras", "jax"],
    }[target]
    return ", ".join(f"{name} {importlib.metadata.version(name).split('+')[0]}" for name in names)


def record(emit_id: str, template: str, target: str) -> Path:
    code = emit(parse_spec(spec_text(template)), target)
    document = {
        "spec": template,
        "target": target,
        "library": versions(target),
        "script": portable(code),
        "output": run_script(code, emit_id),
    }
    path = emitted_path(emit_id)
    return write_document(path, document)


def load(path: Path) -> dict:
    data = gzip.decompress(path.read_bytes()).decode() if path.suffix == ".gz" else path.read_text()
    return json.loads(data)


def main() -> None:
    EMITTED_DIR.mkdir(exist_ok=True)
    cases = emit_cases()
    for old in EMITTED_DIR.glob("*.json*"):
        if old.name.split(".json")[0] not in cases:
            old.unlink()  # a case that was dropped
    for emit_id, (template, target) in cases.items():
        print("recorded", record(emit_id, template, target).name)


if __name__ == "__main__":
    main()
