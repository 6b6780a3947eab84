"""The golden cases: SPECs whose rows were recorded from the real libraries.

``record.py`` runs each through its library (torch 2.13 for the torch family,
the recipes and the warmups; transformers for ``hf``; timm's scheduler
classes; optax and Keras on JAX in float64 mode) and writes
``recorded/<id>.json`` (``.json.gz`` for the 10,000-step runs);
``test_golden.py`` checks that lrplot reproduces every value bit for bit,
against the committed file always and against the live library whenever it
is importable.

``{inputs}`` and ``{samples}`` in a SPEC stand for the folders of metric files.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

GOLDEN_DIR = Path(__file__).parent
RECORDED_DIR = GOLDEN_DIR / "recorded"
INPUTS = GOLDEN_DIR / "inputs"
SAMPLES = GOLDEN_DIR.parent.parent / "samples"

SEQ_WARMUP = '--schedule "linear --start-factor 0.1 --total-iters 5" --schedule "cosine --t-max 95" --milestones 5'

CASES: dict[str, str] = {
    # the seed post's schedules, chainable (torch 2.13's default) and closed form
    "lambda-seed-pow": 'lambda --lr 0.05 --expr "0.2 ** epoch" -n 40',
    "lambda-seed-floor": 'lambda --lr 0.05 --expr "epoch // 10" -n 40',
    "lambda-two-groups": 'lambda --lr 0.05 --lr 0.01 --expr "epoch // 10" --expr "0.95 ** epoch" -n 40',
    "lambda-seed-manual": 'lambda --lr 10 --expr "0.1 ** (epoch // 2)" -n 10',
    "step-seed": "step --step-size 10 --gamma 0.1 --lr 0.05 -n 40",
    "step-seed-closed": "step --step-size 10 --gamma 0.1 --lr 0.05 -n 40 --closed-form",
    "step-groups": "step --step-size 3 --gamma 0.7 --lr 0.05 --lr 0.3 -n 100",
    "multistep-seed": "multistep --milestones 10,15,25,30 --lr 0.05 -n 40",
    "multistep-seed-closed": "multistep --milestones 10,15,25,30 --lr 0.05 -n 40 --closed-form",
    "multistep-repeated": "multistep --milestones 10,10,25 --gamma 0.5 -n 40",
    "exponential-seed": "exponential --gamma 0.2 --lr 0.2 -n 10",
    "exponential-seed-closed": "exponential --gamma 0.2 --lr 0.2 -n 10 --closed-form",
    "cosine-seed": "cosine --t-max 2 --lr 10 -n 10",
    "cosine-seed-closed": "cosine --t-max 2 --lr 10 -n 10 --closed-form",
    "cosine-eta-min": "cosine --t-max 7 --eta-min 0.001 -n 100",
    "cosine-eta-min-closed": "cosine --t-max 7 --eta-min 0.001 -n 100 --closed-form",
    "plateau-seed": "plateau --lr 10 --metrics {samples}/metrics/seed_losses.txt",
    "plateau-options": (
        "plateau --lr 10 --lr 1 --metrics {samples}/metrics/seed_losses.txt --patience 2 --cooldown 3 "
        "--threshold-mode abs --threshold 0.01 --factor 0.5 --min-lr 0.2 --min-lr 0.01"
    ),
    "plateau-max": "plateau --metrics {samples}/metrics/seed_losses.txt --mode max --patience 3 --factor 0.5",
    "cyclic-triangular": "cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 2 -n 20",
    "cyclic-triangular2": "cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 5 --step-size-down 3 --mode triangular2 -n 60",
    "cyclic-exp-range": "cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 5 --mode exp_range --gamma 0.99 -n 60",
    "cyclic-scale-fn-groups": (
        "cyclic --lr 1 --lr 2 --base-lr 0.01 --base-lr 0.001 --max-lr 0.1 --max-lr 0.05 --step-size-up 5 "
        '--scale-fn "0.99 ** x" --scale-mode iterations --base-momentum 0.7 --base-momentum 0.8 -n 60'
    ),
    "cyclic-no-momentum": "cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 4 --no-cycle-momentum -n 20",
    # the rest of torch.optim.lr_scheduler
    "multiplicative": 'multiplicative --expr "0.9 if epoch % 3 == 0 else 1.0" -n 30',
    "multiplicative-groups": 'multiplicative --lr 0.1 --lr 0.2 --expr 0.97 --expr "0.95 ** epoch" -n 30',
    "constant-default": "constant -n 10",
    "constant-half": "constant --factor 0.5 --total-iters 4 -n 10",
    "constant-half-closed": "constant --factor 0.5 --total-iters 4 -n 10 --closed-form",
    "linear-default": "linear -n 10",
    "linear-partial": "linear --start-factor 0.25 --end-factor 0.5 --total-iters 7 -n 20",
    "linear-partial-closed": "linear --start-factor 0.25 --end-factor 0.5 --total-iters 7 -n 20 --closed-form",
    "polynomial-square": "polynomial --total-iters 4 --power 2 -n 8",
    "polynomial-long": "polynomial --total-iters 40 --power 0.9 -n 50",
    "polynomial-long-closed": "polynomial --total-iters 40 --power 0.9 -n 50 --closed-form",
    "cosine-restarts": "cosine-restarts --lr 0.1 --t-0 2 -n 10",
    "cosine-restarts-mult": "cosine-restarts --t-0 5 --t-mult 2 --eta-min 0.01 -n 100",
    "cosine-restarts-mult-closed": "cosine-restarts --t-0 5 --t-mult 2 --eta-min 0.01 -n 100 --closed-form",
    # torch's step(epoch) takes the period from int(math.log(243, 3)) == 4: it misses the restart at 121
    "cosine-restarts-mult3": "cosine-restarts --t-0 1 --t-mult 3 -n 130",
    "cosine-restarts-mult3-closed": "cosine-restarts --t-0 1 --t-mult 3 -n 130 --closed-form",
    "onecycle-default": "onecycle --max-lr 0.1 -n 100",
    "onecycle-three-phase-linear": "onecycle --max-lr 0.1 --three-phase --anneal-strategy linear -n 100",
    "onecycle-groups": (
        "onecycle --lr 0.1 --lr 0.1 --max-lr 0.1 --max-lr 0.3 --total-steps 120 --pct-start 0.25 "
        "--base-momentum 0.8 --max-momentum 0.9 --max-momentum 0.99 -n 100"
    ),
    "onecycle-no-momentum": "onecycle --max-lr 1 --no-cycle-momentum --div-factor 10 --final-div-factor 100 -n 50",
    "sequential-warmup-cosine": f"sequential --lr 0.1 {SEQ_WARMUP} -n 100",
    "sequential-constant-exponential": (
        'sequential --schedule "constant --factor 0.1 --total-iters 2" --schedule "exponential --gamma 0.9" '
        "--milestones 2 -n 11"
    ),
    "sequential-three": (
        'sequential --schedule "step --step-size 3" --schedule "multistep --milestones 2,4" '
        '--schedule "exponential --gamma 0.8" --milestones 7,12 -n 30'
    ),
    "sequential-cyclic-cosine": (
        'sequential --schedule "cyclic --base-lr 0.01 --max-lr 0.1 --step-size-up 3" --schedule "cosine --t-max 20" '
        "--milestones 10 -n 30"
    ),
    "sequential-lambda-multiplicative": (
        'sequential --schedule "lambda --expr \'0.95 ** epoch\'" --schedule "multiplicative --expr 0.97" '
        "--milestones 10 -n 30"
    ),
    "sequential-restarts-onecycle": (
        'sequential --schedule "cosine-restarts --t-0 3" --schedule "onecycle --max-lr 1 --total-steps 20" '
        "--milestones 10 -n 30"
    ),
    "sequential-milestone-zero": 'sequential --schedule "constant --factor 0.5" --schedule "step --step-size 2" --milestones 0 -n 12',
    "sequential-nested-chained": (
        "sequential --schedule \"chained --schedule 'exponential --gamma 0.9' --schedule constant\" "
        '--schedule "constant" --milestones 3 -n 10'
    ),
    "chained-constant-exponential": (
        'chained --lr 1 --schedule "constant --factor 0.1 --total-iters 2" --schedule "exponential --gamma 0.9" -n 10'
    ),
    "chained-cosine-step-groups": (
        'chained --lr 0.1 --lr 0.05 --schedule "cosine --t-max 10" --schedule "step --step-size 4 --gamma 0.5" -n 40'
    ),
    "chained-linear-cyclic": (
        'chained --schedule "linear --start-factor 0.5 --total-iters 4" '
        '--schedule "cyclic --base-lr 0.01 --max-lr 0.05 --step-size-up 3" -n 20'
    ),
}

# Hugging Face transformers' get_scheduler types, as the Trainer builds them.
HF = "--lr 1 --num-warmup-steps 10 --num-training-steps 100"
CASES.update(
    {
        "hf-constant": "hf constant --lr 0.05 -n 10",
        "hf-constant-with-warmup": "hf constant-with-warmup --num-warmup-steps 7 -n 20",
        "hf-constant-with-warmup-zero": "hf constant-with-warmup -n 5",
        "hf-linear": f"hf linear {HF} -n 120",
        "hf-linear-groups": "hf linear --lr 0.1 --lr 0.02 --num-warmup-steps 3 --num-training-steps 20 -n 25",
        "hf-linear-default-horizon": "hf linear --num-warmup-steps 5 -n 40",
        "hf-cosine": f"hf cosine {HF} -n 120",
        "hf-cosine-cycles": f"hf cosine {HF} --num-cycles 1.5 -n 120",
        "hf-cosine-with-restarts": f"hf cosine-with-restarts {HF} --num-cycles 3 -n 120",
        "hf-polynomial": f"hf polynomial {HF} --lr-end 0.01 --power 2 -n 120",
        "hf-polynomial-default": "hf polynomial --lr 0.001 --num-warmup-steps 5 --num-training-steps 50 -n 60",
        "hf-inverse-sqrt": "hf inverse-sqrt --lr 1 --num-warmup-steps 10 -n 60",
        "hf-inverse-sqrt-timescale": "hf inverse-sqrt --lr 1 --num-warmup-steps 10 --timescale 30 -n 60",
        "hf-inverse-sqrt-no-warmup": "hf inverse-sqrt --lr 1 -n 30",
        "hf-cosine-with-min-lr-rate": f"hf cosine-with-min-lr {HF} --min-lr-rate 0.1 -n 120",
        "hf-cosine-with-min-lr-absolute": (
            "hf cosine-with-min-lr --lr 0.3 --num-warmup-steps 5 --num-training-steps 60 --min-lr 0.001 -n 70"
        ),
        "hf-cosine-warmup-with-min-lr": f"hf cosine-warmup-with-min-lr {HF} --min-lr-rate 0 -n 120",
        "hf-cosine-warmup-with-min-lr-rate": (
            f"hf cosine-warmup-with-min-lr {HF} --min-lr-rate 0.05 --warmup-lr-rate 0.1 -n 120"
        ),
        "hf-wsd-cosine": (
            "hf warmup-stable-decay --lr 1 --num-warmup-steps 10 --num-decay-steps 30 --num-training-steps 100 -n 110"
        ),
        "hf-wsd-linear-1sqrt": (
            "hf warmup-stable-decay --lr 1 --num-warmup-steps 10 --num-decay-steps 30 --num-stable-steps 40 "
            "--warmup-type 1-sqrt --decay-type linear --min-lr-ratio 0.1 -n 90"
        ),
        "hf-wsd-cosine-warmup": (
            "hf warmup-stable-decay --lr 1 --num-warmup-steps 10 --num-decay-steps 30 --num-training-steps 100 "
            "--warmup-type cosine --decay-type 1-sqrt -n 100"
        ),
        "hf-reduce-lr-on-plateau": (
            "hf reduce-lr-on-plateau --lr 10 --metrics {samples}/metrics/seed_losses.txt --patience 3"
        ),
        # lrplot's own warmup in front of any policy: SequentialLR([LambdaLR(warmup), schedule])
        "warmup-linear-cosine": "cosine --t-max 95 --warmup 5 -n 100",
        "warmup-cosine-shape-step": "step --step-size 10 --warmup 8 --warmup-shape cosine --warmup-start 0.1 -n 40",
        "warmup-exponential-onecycle": (
            "onecycle --max-lr 0.1 --warmup 10 --warmup-shape exponential --warmup-start 0.01 -n 60"
        ),
        "warmup-log-exponential": "exponential --gamma 0.95 --warmup 6 --warmup-shape log -n 30",
        "warmup-1sqrt-groups": "linear --lr 0.1 --lr 0.3 --start-factor 0.5 --warmup 4 --warmup-shape 1-sqrt -n 20",
        "warmup-overlap-cosine": "cosine --t-max 100 --warmup 10 --warmup-overlap -n 40",
        "warmup-hf-cosine": "hf cosine --lr 1 --num-training-steps 90 --warmup 10 -n 100",
        # recipes from papers and repositories
        "noam": "noam --d-model 512 --warmup-steps 400 -n 2000",
        "noam-factor": "noam --d-model 256 --warmup-steps 100 --factor 2 --lr 0.5 -n 500",
        "inverse-time": "inverse-time --lr 0.1 --decay-rate 0.5 --decay-steps 7 -n 60",
        "inverse-time-staircase": "inverse-time --lr 0.1 --decay-rate 0.5 --decay-steps 7 --staircase -n 60",
        "pix2pix-linear": "pix2pix",
        "pix2pix-linear-resume": "pix2pix --niter 50 --niter-decay 30 --epoch-count 11",
        "pix2pix-step": "pix2pix --lr-policy step --lr-decay-iters 30 -n 120",
        "pix2pix-cosine": "pix2pix --lr-policy cosine --n-epochs 60 -n 150",
        "pix2pix-plateau": "pix2pix --lr-policy plateau --lr 10 --metrics {samples}/metrics/seed_losses.txt",
        "pix2pix-plateau-model-metric": "pix2pix --lr-policy plateau -n 40",
        "pix2pix-linear-step-at-end": "pix2pix --step-at end",
        "pix2pix-step-at-end-plateau": (
            "pix2pix --lr-policy plateau --step-at end --lr 10 --metrics {samples}/metrics/seed_losses.txt"
        ),
        "pix2pix-step-at-end-warmup": "pix2pix --step-at end --warmup 20",
        "pix2pix-warmup-overlap": "pix2pix --warmup 20 --warmup-overlap",
        "hf-greedy": "hf greedy --lr 0.1 --metrics {samples}/metrics/val_loss.txt --patience 3",
        "hf-greedy-options": (
            "hf greedy --lr 0.1 --lr 0.01 --metrics {samples}/metrics/seed_losses.txt --patience 2 --factor 0.5 "
            "--cooldown 2 --greedy-warmup 1 --min-lr 0.01 --min-lr 0.001 --max-lr 0.2 --threshold-mode rel "
            "--threshold 0.01 --reset-start 3"
        ),
        "hf-greedy-smooth-max": (
            "hf greedy --lr 0.1 --metrics {samples}/metrics/val_loss.txt --mode max --smooth --window-size 5 --patience 1"
        ),
        "warmup-hf-cosine-default-horizon": "hf cosine --warmup 10 -n 100",
        "warmup-onecycle-default-total": "onecycle --max-lr 0.1 --warmup 10 -n 60",
        "warmup-noam-default-run": "noam --warmup-steps 100 --warmup 30 --lr 0.5",
    }
)

# timm's classes, driven as timm's train.py drives them (noise included: torch's generator, replayed)
CASES.update(
    {
        "timm-cosine-overlapping-warmup": "timm cosine --lr 1 --t-initial 100 --warmup-t 10 -n 120",
        "timm-cosine-prefix": "timm cosine --lr 1 --t-initial 90 --warmup-t 10 --warmup-prefix -n 120",
        "timm-cosine-cycles": (
            "timm cosine --lr 0.1 --lr 0.05 --t-initial 7 --cycle-mul 2 --cycle-decay 0.5 --cycle-limit 4 "
            "--lr-min 0.001 --warmup-t 3 --warmup-lr-init 0.0001 --warmup-prefix -n 120"
        ),
        "timm-cosine-k-decay-per-update": "timm cosine --lr 1 --t-initial 50 --k-decay 2 --no-t-in-epochs -n 60",
        "timm-cosine-noise": "timm cosine --lr 1 --t-initial 50 --noise-range-t 10 -n 60",
        "timm-cosine-noise-window": (
            "timm cosine --lr 1 --t-initial 50 --noise-range-t 10,30 --noise-pct 0.1 --noise-std 2 --noise-seed 7 -n 60"
        ),
        "timm-tanh": "timm tanh --lr 1 --t-initial 30 -n 40",
        "timm-tanh-warmup": "timm tanh --lr 1 --t-initial 30 --warmup-t 5 --warmup-lr-init 0.01 -n 40",
        "timm-tanh-cycles": "timm tanh --lr 1 --t-initial 10 --cycle-limit 3 --cycle-decay 0.5 --lb -5 --ub 5 -n 40",
        "timm-poly": "timm poly --lr 1 --t-initial 20 --warmup-t 4 -n 30",
        "timm-poly-power-k": "timm poly --lr 1 --t-initial 20 --power 2 --k-decay 0.5 --lr-min 0.01 -n 30",
        "timm-step": "timm step --lr 0.1 --decay-t 30 --decay-rate 0.1 -n 100",
        "timm-step-fraction-warmup": "timm step --lr 0.1 --decay-t 2.5 --decay-rate 0.5 --warmup-t 3 -n 20",
        "timm-multistep": "timm multistep --lr 1 --decay-t 30,60 --decay-rate 0.1 -n 70",
        "timm-multistep-warmup-overlap": (
            "timm multistep --lr 1 --decay-t 10,20 --decay-rate 0.5 --warmup-t 5 --no-warmup-prefix -n 30"
        ),
        "timm-plateau": "timm plateau --lr 10 --metrics {samples}/metrics/seed_losses.txt",
        "timm-plateau-min-warmup": (
            "timm plateau --lr 10 --metrics {samples}/metrics/seed_losses.txt --mode min --patience-t 3 "
            "--warmup-t 3 --warmup-lr-init 0.1 --cooldown-t 2"
        ),
        "timm-plateau-noise": (
            "timm plateau --lr 10 --metrics {samples}/metrics/seed_losses.txt --mode min --noise-range-t 5 "
            "--noise-type uniform"
        ),
        "timm-wsd": "timm wsd --lr 1 --t-initial 10 --decay-t 4 --warmup-t 3 -n 20",
        "timm-wsd-rsqrt-exp": (
            "timm wsd --lr 1 --t-initial 30 --decay-t 10 --stable-fn rsqrt --warmup-t 5 --decay-fn exp -n 40"
        ),
        "timm-wsd-power": (
            "timm wsd --lr 1 --t-initial 30 --decay-t 10 --stable-fn power --stable-timescale 4 --stable-power 0.3 "
            "--decay-fn power --decay-power 2 --lr-min 0.05 -n 40"
        ),
    }
)

# optax's schedule functions (recorded with JAX in float64 mode)
CASES.update(
    {
        "optax-constant": "optax constant --value 0.01 -n 5",
        "optax-linear": "optax linear --init-value 1 --end-value 0.5 --transition-steps 4 --transition-begin 1 -n 8",
        "optax-linear-no-steps": "optax linear --init-value 1 --end-value 0.5 --transition-steps 0 -n 5",
        "optax-polynomial": (
            "optax polynomial --init-value 1 --end-value 0.001 --power 2.5 --transition-steps 40 "
            "--transition-begin -3 -n 60"
        ),
        "optax-exponential-decay": (
            "optax exponential-decay --init-value 1 --transition-steps 7 --decay-rate 0.5 --transition-begin 3 "
            "--end-value 0.1 -n 60"
        ),
        "optax-exponential-decay-staircase": (
            "optax exponential-decay --init-value 1 --transition-steps 7 --decay-rate 0.5 --staircase -n 60"
        ),
        "optax-exponential-growth-capped": (
            "optax exponential-decay --init-value 0.01 --transition-steps 5 --decay-rate 2 --end-value 0.5 -n 60"
        ),
        "optax-cosine-decay": "optax cosine-decay --init-value 1 --decay-steps 40 --alpha 0.1 --exponent 2 -n 60",
        "optax-warmup-constant": "optax warmup-constant --init-value 0 --peak-value 1 --warmup-steps 4 -n 8",
        "optax-warmup-cosine-decay": (
            "optax warmup-cosine-decay --init-value 0 --peak-value 1 --warmup-steps 10 --decay-steps 100 -n 120"
        ),
        "optax-warmup-cosine-decay-end": (
            "optax warmup-cosine-decay --init-value 0.01 --peak-value 0.5 --warmup-steps 5 --decay-steps 50 "
            "--end-value 0.05 --exponent 0.5 -n 60"
        ),
        "optax-warmup-exponential-decay": (
            "optax warmup-exponential-decay --init-value 0 --peak-value 1 --warmup-steps 5 --transition-steps 3 "
            "--decay-rate 0.7 --transition-begin 2 --end-value 0.1 -n 40"
        ),
        "optax-piecewise-constant": "optax piecewise-constant --init-value 1 --boundaries-and-scales 3:0.5,5:0.1 -n 10",
        "optax-piecewise-interpolate-linear": (
            "optax piecewise-interpolate --interpolate-type linear --init-value 1 --boundaries-and-scales 4:0.1,8:0.1 -n 12"
        ),
        "optax-piecewise-interpolate-cosine": (
            "optax piecewise-interpolate --interpolate-type cosine --init-value 1 "
            "--boundaries-and-scales 4:0.1,8:0.1,20:3 -n 30"
        ),
        "optax-linear-onecycle": "optax linear-onecycle --transition-steps 100 --peak-value 1 -n 110",
        "optax-cosine-onecycle": "optax cosine-onecycle --transition-steps 100 --peak-value 0.1 -n 110",
        "optax-sgdr": (
            'optax sgdr --cycle "--init-value 0 --peak-value 1 --warmup-steps 2 --decay-steps 16" '
            '--cycle "--init-value 0.1 --peak-value 0.5 --warmup-steps 4 --decay-steps 32 --end-value 0.01" -n 60'
        ),
        "optax-join": (
            'optax join --schedule "linear --init-value 0 --end-value 1 --transition-steps 5" '
            '--schedule "cosine-decay --init-value 1 --decay-steps 45" --boundaries 5 -n 60'
        ),
        "optax-join-wsd": (
            'optax join --schedule "linear --init-value 0 --end-value 1 --transition-steps 10" '
            '--schedule "constant --value 1" --schedule "linear --init-value 1 --end-value 0 --transition-steps 20" '
            "--boundaries 10,70 -n 100"
        ),
    }
)

# Keras 3's LearningRateSchedule classes (recorded on the JAX backend with floatx float64;
# Keras's cos is float32 even then, so the cosine schedules carry float32 rounding)
CASES.update(
    {
        "keras-exponential-decay": "keras exponential-decay --initial-learning-rate 1 --decay-steps 3 --decay-rate 0.5 -n 20",
        "keras-exponential-decay-staircase": (
            "keras exponential-decay --initial-learning-rate 1 --decay-steps 3 --decay-rate 0.5 --staircase -n 20"
        ),
        "keras-piecewise-constant-decay": (
            "keras piecewise-constant-decay --boundaries 2,4,9 --values 1,0.5,0.1,0.01 -n 12"
        ),
        "keras-polynomial-decay": "keras polynomial-decay --initial-learning-rate 1 --decay-steps 10 --power 0.5 -n 20",
        "keras-polynomial-decay-cycle": "keras polynomial-decay --initial-learning-rate 1 --decay-steps 10 --cycle -n 40",
        "keras-inverse-time-decay": (
            "keras inverse-time-decay --initial-learning-rate 1 --decay-steps 3 --decay-rate 0.5 -n 20"
        ),
        "keras-inverse-time-decay-staircase": (
            "keras inverse-time-decay --initial-learning-rate 1 --decay-steps 3 --decay-rate 0.5 --staircase -n 20"
        ),
        "keras-cosine-decay": "keras cosine-decay --initial-learning-rate 1 --decay-steps 30 --alpha 0.1 -n 40",
        "keras-cosine-decay-warmup": (
            "keras cosine-decay --initial-learning-rate 0 --warmup-target 1 --warmup-steps 10 --decay-steps 90 -n 110"
        ),
        "keras-cosine-decay-restarts": "keras cosine-decay-restarts --initial-learning-rate 1 --first-decay-steps 10 -n 100",
        "keras-cosine-decay-restarts-equal": (
            "keras cosine-decay-restarts --initial-learning-rate 1 --first-decay-steps 10 --t-mul 1 --m-mul 0.5 "
            "--alpha 0.1 -n 50"
        ),
        "keras-cosine-decay-restarts-shrinking": (  # restart 2 at step 19 exactly: Keras's float32 floor
            "keras cosine-decay-restarts --initial-learning-rate 0.1 --first-decay-steps 10 --t-mul 0.9 --m-mul 0.5 "
            "-n 30"
        ),
    }
)

# 10,000 steps of every policy: the recursions must stay bit for bit over long runs.
LONG_CASES: dict[str, str] = {
    "long-lambda": (
        'lambda --lr 0.1 --lr 0.01 --expr "min(1.0, (epoch + 1) / 10) * 0.5 * (1 + cos(pi * epoch / 10000))" '
        '--expr "exp(-epoch / 3000)" -n 10000'
    ),
    "long-multiplicative": 'multiplicative --expr "0.9 if epoch % 3 == 0 else 1.0" -n 10000',
    "long-step": "step --step-size 1000 --gamma 0.5 -n 10000",
    "long-multistep": "multistep --milestones 2000,5000,8000 -n 10000",
    "long-constant": "constant --factor 0.5 --total-iters 5000 -n 10000",
    "long-linear": "linear --start-factor 0.001 --total-iters 10000 -n 10000",
    "long-exponential": "exponential --gamma 0.9995 -n 10000",
    "long-polynomial": "polynomial --total-iters 9000 --power 2 -n 10000",
    "long-cosine": "cosine --t-max 3000 --eta-min 0.0001 -n 10000",
    "long-cosine-restarts": "cosine-restarts --t-0 100 --t-mult 2 --eta-min 0.00001 -n 10000",
    "long-cyclic": "cyclic --base-lr 0.001 --max-lr 0.1 --step-size-up 700 --mode triangular2 -n 10000",
    "long-onecycle": "onecycle --max-lr 0.1 --lr 0.1 --lr 0.1 --max-lr 0.01 -n 10000",
    "long-plateau": "plateau --lr 0.1 --metrics {inputs}/noisy_loss_10k.txt --patience 50 --cooldown 20 -n 10000",
    "long-sequential": (
        'sequential --schedule "linear --start-factor 0.01 --total-iters 500" '
        '--schedule "cosine --t-max 9500 --eta-min 0.000001" --milestones 500 -n 10000'
    ),
    "long-chained": ('chained --schedule "cosine --t-max 2500" --schedule "exponential --gamma 0.9999" -n 10000'),
    "long-hf-cosine": "hf cosine --num-warmup-steps 500 --num-training-steps 9000 -n 10000",
    "long-hf-wsd": (
        "hf warmup-stable-decay --num-warmup-steps 500 --num-decay-steps 2000 --num-training-steps 10000 -n 10000"
    ),
    "long-noam": "noam -n 10000",
    "long-timm-cosine": (
        "timm cosine --t-initial 1000 --cycle-mul 2 --cycle-limit 4 --warmup-t 100 --no-t-in-epochs -n 10000"
    ),
    "long-optax-warmup-cosine-decay": (
        "optax warmup-cosine-decay --init-value 0 --peak-value 0.001 --warmup-steps 500 --decay-steps 10000 -n 10000"
    ),
    "long-keras-cosine-decay-restarts": (
        "keras cosine-decay-restarts --initial-learning-rate 0.01 --first-decay-steps 300 --m-mul 0.8 -n 10000"
    ),
}

# Configurations torch refuses or cannot step: lrplot must stop with torch's reason.
ERROR_CASES: dict[str, str] = {
    "onecycle-past-total-steps": "onecycle --max-lr 0.1 --total-steps 50 -n 100",
    "onecycle-zero-length-phase": "onecycle --max-lr 0.1 --total-steps 10 --pct-start 0.1 -n 10",
    "sequential-with-plateau": (
        'sequential --schedule "plateau --metrics {samples}/metrics/seed_losses.txt" --schedule constant --milestones 3'
    ),
    "sequential-milestone-count": "sequential --schedule constant --schedule linear --milestones 3,4",
    "sequential-restarts-chained": (
        "sequential --schedule constant --schedule \"chained --schedule 'exponential --gamma 0.9'\" --milestones 3 -n 10"
    ),
    "lambda-count": 'lambda --expr "0.2 ** epoch" --expr "epoch // 10"',
    "cyclic-base-lr-count": "cyclic --base-lr 0.1 --base-lr 0.2 --max-lr 1",
    "onecycle-max-lr-count": "onecycle --lr 0.1 --lr 0.1 --lr 0.1 --max-lr 1 --max-lr 2",
    "plateau-min-lr-count": "plateau --metrics {samples}/metrics/seed_losses.txt --min-lr 0.1 --min-lr 0.2",
    "hf-polynomial-lr-end-above-lr": "hf polynomial --lr 0.001 --lr-end 0.01",
    "hf-cosine-with-min-lr-both": "hf cosine-with-min-lr --min-lr 0.001 --min-lr-rate 0.1",
    "hf-cosine-with-min-lr-neither": "hf cosine-with-min-lr",
    "hf-greedy-factor": "hf greedy --metrics {samples}/metrics/val_loss.txt --factor 1.5",
    "timm-wsd-decay-longer-than-schedule": "timm wsd --t-initial 10 --decay-t 20",
    "timm-wsd-rsqrt-without-timescale": "timm wsd --t-initial 10 --decay-t 5 --stable-fn rsqrt",
    "optax-cosine-decay-no-steps": "optax cosine-decay --init-value 1 --decay-steps 0",
    "optax-warmup-cosine-decay-warmup-too-long": (
        "optax warmup-cosine-decay --init-value 0 --peak-value 1 --warmup-steps 10 --decay-steps 10"
    ),
    "optax-piecewise-negative-scale": "optax piecewise-constant --init-value 1 --boundaries-and-scales 5:-0.5",
    "optax-onecycle-no-steps": "optax cosine-onecycle --transition-steps 0 --peak-value 1",
    "keras-decay-steps-zero": "keras exponential-decay --initial-learning-rate 1 --decay-steps 0 --decay-rate 0.5",
    "keras-piecewise-lengths": "keras piecewise-constant-decay --boundaries 2,4 --values 1,0.5",
}


def spec_text(template: str) -> str:
    return template.format(inputs=INPUTS, samples=SAMPLES)


def golden_path(case_id: str) -> Path:
    """Where a case's rows are recorded: gzipped JSON for the 10,000-step runs."""
    return RECORDED_DIR / (f"{case_id}.json.gz" if case_id in LONG_CASES else f"{case_id}.json")


def write_document(path: Path, document: dict) -> Path:
    """Write a recorded document: indented JSON, or compact gzipped JSON for ``.json.gz`` (long runs)."""
    text = json.dumps(document, indent=None if path.suffix == ".gz" else 1) + "\n"
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode(), mtime=0))
    else:
        path.write_text(text)
    return path
