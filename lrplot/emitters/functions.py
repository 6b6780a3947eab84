"""``--emit optax`` and ``--emit keras``: the schedule function of the update count, evaluated in float64.

``lrplot optax warmup-cosine-decay --init-value 0 --peak-value 1 --warmup-steps 10 --decay-steps 100 -n 120
--emit optax`` writes::

    import jax

    jax.config.update("jax_enable_x64", True)  # float64, as lrplot computes; optax's default is float32

    import jax.numpy as jnp
    import optax

    schedule = optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=1.0, warmup_steps=10, decay_steps=100)

    counts = jnp.arange(120, dtype=jnp.int64)  # the update counts 0..119 (an int32 count computes in float32)
    lrs = jax.vmap(schedule)(counts)  # schedule(count) for every count
    print("epoch,lr")
    for count, lr in enumerate(lrs.tolist()):
        print(f"{count},{lr!r}")

Keras's script sets ``KERAS_BACKEND`` (JAX unless set) before importing
keras, floatx float64, builds the ``keras.optimizers.schedules`` class and
calls it at every step, vectorized with ``keras.ops.vectorized_map`` (one
eager call per step takes ~50 ms).  Both agree with lrplot within the
libraries' float rounding: JAX's ``cos`` and ``pow`` may differ from numpy's
in the last bit, and Keras's ``cos`` is float32 even in float64 mode.
"""

from __future__ import annotations

from typing import Any

from ..spec import Spec
from .code import Script, call, keywords, listing, literal
from .pytorch import given_kwargs
from .rows import header_lines, rows_of


def _header(spec: Spec, target: str, epochs: int, promise: str) -> list[str]:
    what = f"{spec.call} over {epochs} steps"
    return header_lines(
        what,
        spec,
        target,
        f"It prints the rows of `--format csv` (epoch,lr; row t is the lr of update t + 1): {promise}.",
    )


def optax_call(spec: Spec, indent: str = "") -> str:
    """``optax.<function>(...)`` with the keywords given; join's children built the same way."""
    name = spec.policy.library_name
    inner = indent + "    "
    if name == "join_schedules":
        children = [optax_call(child, inner + "    ") for child in spec.params["schedules"]]
        args = [f"schedules={listing(children, inner)}", f"boundaries={literal(spec.params['boundaries'])}"]
        return call("optax.join_schedules", args, indent)
    if name == "sgdr_schedule":  # its cycles are warmup_cosine_decay_schedule's keywords, as dicts
        cycles = [literal(given_kwargs(child)) for child in spec.params["cosine_kwargs"]]
        return call("optax.sgdr_schedule", [f"cosine_kwargs={listing(cycles, inner)}"], indent)
    return call(f"optax.{name}", keywords(given_kwargs(spec)), indent)


def emit_optax(spec: Spec) -> str:
    rows = rows_of(spec)
    script = Script()
    script.header = _header(spec, "optax", rows.epochs, "with optax 0.2 on JAX, the same numbers up to float rounding")
    script.prelude += [  # x64 before anything creates an array
        "import jax",
        "",
        'jax.config.update("jax_enable_x64", True)  # float64, as lrplot computes; optax\'s default is float32',
    ]
    script.import_module("jax.numpy as jnp")
    script.import_module("optax")
    n = rows.epochs
    script.add(
        f"schedule = {optax_call(spec)}",
        "",
        f"counts = jnp.arange({n}, dtype=jnp.int64)  # the update counts 0..{n - 1} (an int32 count computes in float32)",
        "lrs = jax.vmap(schedule)(counts)  # schedule(count) for every count",
        'print("epoch,lr")',
        "for count, lr in enumerate(lrs.tolist()):",
        '    print(f"{count},{lr!r}")',
    )
    return script.render()


def emit_keras(spec: Spec) -> str:
    rows = rows_of(spec)
    script = Script()
    script.header = _header(
        spec, "keras", rows.epochs, "with Keras 3 in float64, the same numbers up to float32 rounding (Keras's cos)"
    )
    script.import_module("os")
    script.prelude += [
        'os.environ.setdefault("KERAS_BACKEND", "jax")  # before keras is imported',
        'if os.environ["KERAS_BACKEND"] == "jax":',
        "    import jax",
        "",
        '    jax.config.update("jax_enable_x64", True)  # float64 arrays; without it JAX computes in float32',
    ]
    script.import_module("keras")
    values: dict[str, Any] = given_kwargs(spec)
    n = rows.epochs
    script.add(
        'keras.config.set_floatx("float64")  # lrplot computes in float64; Keras\'s default is float32',
        f"schedule = {call('keras.optimizers.schedules.' + spec.policy.library_name, keywords(values))}",
        "",
        f'steps = keras.ops.arange({n}, dtype="int64")  # optimizer.iterations: the updates already applied',
        "lrs = keras.ops.vectorized_map(schedule, steps)  # schedule(step) at every step",
        'print("epoch,lr")',
        "for step, lr in enumerate(keras.ops.convert_to_numpy(lrs).tolist()):",
        '    print(f"{step},{lr!r}")',
    )
    return script.render()
