"""Golden cases of resumed runs: SPECs with ``--resume-at K``, recorded from torch in every ``--resume-mode``.

``record_resumed.py`` runs each through ``oracle.run_library_resumed`` (K epochs of the
training loop on a real SGD optimizer, a checkpoint through ``torch.save``, then the
restart the mode describes) once per mode and writes ``resumed/<id>.json`` (``.json.gz``
for the 10,000-step run): the rows K..N-1, or the exception torch raises.
``test_resume.py`` checks lrplot against these files bit for bit, and against live torch
whenever it is importable.

The resume points are where the modes part: on a decay epoch (the rebuilt scheduler
applies it again), inside a warmup, on a SequentialLR milestone, past a restart, at
``total_iters``, mid-cycle with momentum, and after a plateau's reduction.
"""

from __future__ import annotations

from pathlib import Path

from golden.cases import SEQ_WARMUP, spec_text

GOLDEN_DIR = Path(__file__).parent
RESUMED_DIR = GOLDEN_DIR / "resumed"
MODES = ("state-dict", "last-epoch", "last-epoch-fresh")
HF = "--lr 1 --num-warmup-steps 10 --num-training-steps 100"

RESUME_CASES: dict[str, str] = {
    # the example: StepLR(step_size=3, gamma=0.5) at lr 0.1, resumed on a decay epoch
    "step-issue": "step --step-size 3 --gamma 0.5 --lr 0.1 -n 10 --resume-at 6",
    "step-between-decays": "step --step-size 10 --gamma 0.1 --lr 0.05 --lr 0.3 -n 40 --resume-at 15",
    "step-closed": "step --step-size 3 --gamma 0.5 -n 12 --resume-at 6 --closed-form",
    "lambda-groups": 'lambda --lr 0.05 --lr 0.01 --expr "epoch // 10" --expr "0.95 ** epoch" -n 40 --resume-at 15',
    "multiplicative": 'multiplicative --expr "0.9 if epoch % 3 == 0 else 1.0" -n 30 --resume-at 9',
    "multistep-repeated": "multistep --milestones 10,10,25 --gamma 0.5 -n 40 --resume-at 10",
    "constant-at-total-iters": "constant --factor 0.5 --total-iters 4 -n 10 --resume-at 4",
    "constant-before-total-iters": "constant --factor 0.5 --total-iters 4 -n 10 --resume-at 2",
    "linear-partial": "linear --start-factor 0.25 --end-factor 0.5 --total-iters 7 -n 20 --resume-at 3",
    "exponential": "exponential --gamma 0.9 -n 20 --resume-at 5",
    "exponential-closed": "exponential --gamma 0.2 --lr 0.2 -n 10 --resume-at 4 --closed-form",
    "polynomial": "polynomial --total-iters 40 --power 0.9 -n 50 --resume-at 17",
    "cosine": "cosine --t-max 7 --eta-min 0.001 -n 40 --resume-at 10",
    "cosine-closed": "cosine --t-max 7 --eta-min 0.001 -n 40 --resume-at 10 --closed-form",
    "plateau": "plateau --lr 10 --metrics {samples}/metrics/seed_losses.txt --resume-at 15",
    "plateau-options": (
        "plateau --lr 10 --lr 1 --metrics {samples}/metrics/seed_losses.txt --patience 2 --cooldown 3 "
        "--threshold-mode abs --threshold 0.01 --factor 0.5 --min-lr 0.2 --min-lr 0.01 --resume-at 30"
    ),
    "cyclic-triangular2": (
        "cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 5 --step-size-down 3 --mode triangular2 -n 60 --resume-at 13"
    ),
    "cyclic-scale-fn-groups": (
        "cyclic --lr 1 --lr 2 --base-lr 0.01 --base-lr 0.001 --max-lr 0.1 --max-lr 0.05 --step-size-up 5 "
        '--scale-fn "0.99 ** x" --scale-mode iterations --base-momentum 0.7 --base-momentum 0.8 -n 60 --resume-at 17'
    ),
    "cyclic-no-momentum-closed": (
        "cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 4 --no-cycle-momentum -n 20 --resume-at 6 --closed-form"
    ),
    "cosine-restarts-first-period": "cosine-restarts --lr 0.1 --t-0 10 -n 30 --resume-at 4",
    "cosine-restarts-mult": "cosine-restarts --t-0 5 --t-mult 2 --eta-min 0.01 -n 100 --resume-at 40",
    "onecycle": "onecycle --max-lr 0.1 -n 100 --resume-at 40",
    "onecycle-three-phase-groups": (
        "onecycle --lr 0.1 --lr 0.1 --max-lr 0.1 --max-lr 0.3 --total-steps 120 --pct-start 0.25 --three-phase "
        "--base-momentum 0.8 --max-momentum 0.9 --max-momentum 0.99 -n 100 --resume-at 70"
    ),
    "sequential-warmup-cosine-after": f"sequential --lr 0.1 {SEQ_WARMUP} -n 40 --resume-at 20",
    "sequential-warmup-cosine-during": f"sequential --lr 0.1 {SEQ_WARMUP} -n 40 --resume-at 3",
    "sequential-warmup-cosine-milestone": f"sequential --lr 0.1 {SEQ_WARMUP} -n 40 --resume-at 4",
    "sequential-cyclic-cosine": (
        'sequential --schedule "cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 3" --schedule "cosine --t-max 20" '
        "--milestones 10 -n 30 --resume-at 15"
    ),
    "sequential-three": (
        'sequential --schedule "step --step-size 3" --schedule "multistep --milestones 2,4" '
        '--schedule "exponential --gamma 0.8" --milestones 7,12 -n 30 --resume-at 9'
    ),
    "sequential-nested-chained": (
        "sequential --schedule \"chained --schedule 'exponential --gamma 0.9' --schedule constant\" "
        '--schedule "constant" --milestones 3 -n 10 --resume-at 5'
    ),
    "chained-cosine-step-groups": (
        'chained --lr 0.1 --lr 0.05 --schedule "cosine --t-max 10" --schedule "step --step-size 4 --gamma 0.5" '
        "-n 40 --resume-at 12"
    ),
    "chained-linear-cyclic": (
        'chained --schedule "linear --start-factor 0.5 --total-iters 4" '
        '--schedule "cyclic --base-lr 0.01 --max-lr 0.05 --step-size-up 3" -n 20 --resume-at 6'
    ),
    "chained-onecycle-exponential": (
        'chained --schedule "onecycle --max-lr 0.1 --total-steps 30" --schedule "exponential --gamma 0.99" '
        "-n 30 --resume-at 10"
    ),
    # lrplot's --warmup: SequentialLR([LambdaLR(warmup), schedule]), and the overlapping one
    "warmup-cosine-during": "cosine --t-max 35 --warmup 5 -n 40 --resume-at 3",
    "warmup-cosine-after": "cosine --t-max 35 --warmup 5 -n 40 --resume-at 20",
    "warmup-step-groups": (
        "step --step-size 4 --lr 0.1 --lr 0.3 --warmup 8 --warmup-shape cosine --warmup-start 0.1 -n 30 --resume-at 12"
    ),
    "warmup-overlap-cosine": "cosine --t-max 100 --warmup 10 --warmup-overlap -n 40 --resume-at 4",
    # transformers' schedules (LambdaLRs from get_* functions that take last_epoch) and its plateaus
    "hf-cosine": f"hf cosine {HF} -n 120 --resume-at 50",
    "hf-linear-groups": "hf linear --lr 0.1 --lr 0.02 --num-warmup-steps 3 --num-training-steps 20 -n 25 --resume-at 2",
    "hf-constant": "hf constant --lr 0.05 -n 10 --resume-at 3",
    "hf-wsd": (
        "hf warmup-stable-decay --lr 1 --num-warmup-steps 10 --num-decay-steps 30 --num-stable-steps 40 "
        "--warmup-type 1-sqrt --decay-type linear --min-lr-ratio 0.1 -n 90 --resume-at 60"
    ),
    "hf-reduce-lr-on-plateau": (
        "hf reduce-lr-on-plateau --lr 10 --metrics {samples}/metrics/seed_losses.txt --patience 3 --resume-at 20"
    ),
    "hf-greedy": "hf greedy --lr 0.1 --metrics {samples}/metrics/val_loss.txt --patience 3 --resume-at 40",
    # recipes built on LambdaLR
    "noam": "noam --d-model 256 --warmup-steps 100 --factor 2 --lr 0.5 -n 300 --resume-at 150",
    "inverse-time-staircase": "inverse-time --lr 0.1 --decay-rate 0.5 --decay-steps 7 --staircase -n 60 --resume-at 21",
}

# 10,000 steps: the resumed recursion stays torch's bit for bit
LONG_RESUME_CASES: dict[str, str] = {
    "long-cosine": "cosine --t-max 3000 --eta-min 0.0001 -n 10000 --resume-at 4000",
}


def resumed_path(case_id: str) -> Path:
    return RESUMED_DIR / (f"{case_id}.json.gz" if case_id in LONG_RESUME_CASES else f"{case_id}.json")


def mode_text(template: str, mode: str) -> str:
    """The SPEC of one case in one mode, with the folders filled in."""
    return f"{spec_text(template)} --resume-mode {mode}"
