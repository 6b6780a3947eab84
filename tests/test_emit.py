"""``--emit``: the code lrplot writes reproduces lrplot's rows when the library runs it.

* Round trips: every case of ``tests/golden/record_emitted.py`` (every golden
  case, for every target that reproduces it, and cases for formulas, metric
  columns, warmups and compositions) is emitted, run in this process with the
  library, and must print ``lrplot ... --format csv``: bit for bit for torch,
  hf and timm, within float rounding for optax and Keras.  Hypothesis does
  the same for generated command lines.
* Without the libraries: the committed outputs of those scripts
  (``tests/golden/emitted``) must be what ``--emit`` still writes and what
  lrplot still prints.
* ``toml``: the figure entry loads back as the same SPEC and renders the same rows.
* Refusals: one line, exit 2, naming the targets that can reproduce the SPEC.
"""

from __future__ import annotations

import ast
import math
import shlex
from dataclasses import replace

import pytest
from golden.cases import CASES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import library_available
from record_emitted import (
    EMITTED_DIR,
    EXTRA_CASES,
    emit_cases,
    emitted_path,
    load,
    portable,
    run_script,
    spec_text,
)
from strategies import command_words

from lrplot import LrplotError, parse_spec, simulate
from lrplot.config import load_config
from lrplot.emit import emit, emit_all, targets
from lrplot.emitters.code import python_lambda
from lrplot.expr import compile_expression
from lrplot.registry import all_policies

EMIT_CASES = emit_cases()
TOLERANCE = {"optax": 1e-14, "keras": 2.0**-22}
"""Relative to the run's peak (or its largest value parameter): optax's JAX ``cos``/``pow`` in float64
against numpy's, Keras's float32 ``cos``.  torch, hf and timm scripts print lrplot's text exactly."""
INSTALL = {
    "torch": "pip install torch==2.13.0",
    "hf": "pip install torch==2.13.0 transformers",
    "timm": "pip install torch==2.13.0 && pip install --no-deps timm",
    "optax": "pip install optax",
    "keras": "pip install keras jax",
}


def needs(target: str):
    return pytest.mark.skipif(not library_available(target), reason=f"needs the library: {INSTALL[target]}")


def operand_scale(spec) -> float:
    values = [abs(v) for v in spec.params.values() if isinstance(v, float) and math.isfinite(v)]
    for children in spec.params.values():
        if isinstance(children, list):
            values += [operand_scale(c) for c in children if hasattr(c, "policy")]
    return max(values, default=0.0)


def assert_same_rows(spec, target: str, printed: str, expected: str) -> None:
    """The script printed lrplot's CSV: the same text, or the same numbers within the library's rounding."""
    if target not in TOLERANCE:
        assert printed == expected
        return
    got, want = printed.splitlines(), expected.splitlines()
    assert got[0] == want[0] and len(got) == len(want)
    rows = [[float(v) for v in line.split(",")] for line in want[1:]]
    scale = max(max((abs(v) for row in rows for v in row[1:]), default=0.0), operand_scale(spec)) or 1.0
    for line, row in zip(got[1:], rows):
        values = [float(v) for v in line.split(",")]
        assert values[0] == row[0]
        worst = max(abs(a - b) for a, b in zip(values[1:], row[1:]))
        assert worst <= TOLERANCE[target] * scale, f"row {line}: differs by {worst / scale:.3g} of the peak"


def case_params(ids):
    return [pytest.param(i, marks=needs(EMIT_CASES[i][1]), id=i) for i in ids]


# -- round trips with the libraries ------------------------------------------------------------


@pytest.mark.parametrize("emit_id", case_params(EMIT_CASES))
def test_the_emitted_script_prints_lrplots_rows(emit_id):
    template, target = EMIT_CASES[emit_id]
    spec = parse_spec(spec_text(template))
    printed = run_script(emit(spec, target), emit_id)
    assert_same_rows(spec, target, printed, simulate(spec).to_csv())


SCRIPT_FAMILIES = [p for p in all_policies() if p.family in ("torch", "recipes", "hf", "timm")]


@pytest.mark.parametrize(
    "policy",
    [pytest.param(p, marks=needs("timm" if p.family == "timm" else "torch")) for p in SCRIPT_FAMILIES],
    ids=lambda p: p.command,
)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_generated_command_lines_round_trip(policy, data):
    """Any command line lrplot runs gives a script that prints its rows, for every target that can."""
    spec = parse_spec(shlex.join(data.draw(command_words(policy, max_epochs=60, warmup=True))))
    try:
        expected = simulate(spec).to_csv()
    except LrplotError:
        return  # nothing to emit: lrplot refused it (and test_golden checks the library refuses too)
    for target in targets(spec):
        if target != "toml" and library_available(target):
            assert run_script(emit(spec, target)) == expected, f"{target}: {spec.text}"


# -- the committed outputs, for machines without the libraries -------------------------------


@pytest.mark.parametrize("emit_id", list(EMIT_CASES))
def test_the_recorded_script_is_still_emitted_and_printed_lrplots_rows(emit_id):
    template, target = EMIT_CASES[emit_id]
    recorded = load(emitted_path(emit_id))
    assert (recorded["spec"], recorded["target"]) == (template, target)
    spec = parse_spec(spec_text(template))
    assert portable(emit(spec, target)) == recorded["script"], "re-record: python tests/golden/record_emitted.py"
    assert_same_rows(spec, target, recorded["output"], simulate(spec).to_csv())


def test_every_recorded_file_belongs_to_a_case():
    recorded = {p.name for p in EMITTED_DIR.glob("*.json*")}
    assert recorded == {emitted_path(i).name for i in EMIT_CASES}


@pytest.mark.parametrize("policy", all_policies(), ids=lambda p: p.command)
def test_every_policy_round_trips_with_every_target_that_reproduces_it(policy):
    able = targets(parse_spec(policy.example.splitlines()[0]))
    covered = {target for template, target in EMIT_CASES.values() if parse_spec(spec_text(template)).policy is policy}
    assert covered == set(able) - {"toml"}, f"add an emit case for {policy.command}"


@pytest.mark.parametrize("emit_id", list(EMIT_CASES))
def test_scripts_are_plain_python_without_lrplot(emit_id):
    template, target = EMIT_CASES[emit_id]
    tree = ast.parse(emit(parse_spec(spec_text(template)), target))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    library = {"torch": {"torch"}, "hf": {"torch", "transformers"}, "timm": {"torch", "timm"}}.get(target, {target})
    assert imported - {"math", "functools", "warnings", "os", "jax"} == library


# -- formulas -------------------------------------------------------------------------------

FORMULAS = [
    "0.95 ** epoch",
    "epoch // 10",
    "1 if epoch < 5 else 0.1",
    "-epoch ** 2 / 1e4 + 1",
    "(-epoch) ** 2 / 1e4 + 1",
    "2 ** -epoch",
    "exp(-epoch / 3) + log(epoch + 1, 3) + log2(epoch + 1) + log10(epoch + 1)",
    "sqrt(epoch) * sin(epoch) ** 2 + cos(pi * epoch / 7) + tan(epoch / 100) + tanh(epoch - 5)",
    "floor(epoch / 3) * 0.5 + ceil(epoch / 4) - abs(epoch - 10)",
    "max(0.1, min(1, epoch / 10, 0.9))",
    "not epoch % 3 and 0.5 or 1.0",
    "0.1 if 3 < epoch <= 10 != 7 else e ** -1",
    "epoch % 7 / 7 + 1e-3",
    "1 / (2.0 ** (epoch - 1))",
]


@pytest.mark.parametrize("source", FORMULAS)
def test_a_formula_becomes_a_lambda_with_the_same_values(source):
    compiled = compile_expression(source, "epoch")
    function = eval(python_lambda(compiled), {"math": math})  # noqa: S307 (our own output, in a test)
    for epoch in range(60):
        assert repr(function(epoch)) == repr(compiled(epoch))


def test_a_scale_fn_keeps_its_variable_and_e_is_eulers_number():
    assert python_lambda(compile_expression("e ** -x", "x")) == "lambda x: math.e ** (-x)"


# -- toml -------------------------------------------------------------------------------------

TOML_CASES = {**CASES, **EXTRA_CASES}


@pytest.mark.parametrize("case_id", list(TOML_CASES))
def test_the_toml_entry_loads_back_as_the_same_spec(case_id, tmp_path):
    spec = parse_spec(spec_text(TOML_CASES[case_id]))
    path = tmp_path / "docs.toml"
    path.write_text(emit(spec, "toml"))
    config = load_config(path)
    assert config.errors == []
    assert [f.specs for f in config.figures] == [[spec]]


def test_the_toml_entry_renders_the_same_rows(cli, tmp_path):
    words = ["plateau", "--metrics", str(EMITTED_DIR / "metrics.csv"), "--metric-column", "val_acc", "--mode", "max"]
    words += ["--lr", "1", "--lr", "0.5", "--patience", "1", "-n", "20"]
    result = cli(*words, "--emit", "toml")
    assert result.code == 0
    config = tmp_path / "figures.toml"
    config.write_text(result.out + 'formats = ["csv"]\n')
    assert cli("render", str(config), "--out-dir", str(tmp_path)).code == 0
    assert (tmp_path / "plateau.csv").read_text() == cli(*words, "--format", "csv").out


def test_compare_emits_one_figure_with_a_labelled_curve_per_spec(cli, tmp_path):
    greedy = f"hf greedy --metrics {EMITTED_DIR / 'metrics.csv'} --metric-column val_acc --greedy-warmup 2"
    texts = ["step --step-size 3 --gamma 0.5", "cosine --t-max 10 --lr 0.5", greedy]
    result = cli("compare", *texts, "-n", "20", "--label", "steps", "--emit", "toml")
    assert result.code == 0, result.err
    path = tmp_path / "compare.toml"
    path.write_text(result.out)
    (figure,) = load_config(path).figures
    assert figure.labels[:2] == ["steps", "cosine --t-max 10 --lr 0.5"]
    assert [replace(s, label=None) for s in figure.specs] == [
        parse_spec(t).with_run_defaults({"epochs": 20}) for t in texts
    ]
    assert "epochs = 20" in result.out.split("curve = [")[0]  # run options every SPEC shares go to the figure


# -- the command line ------------------------------------------------------------------------


def test_emit_prints_the_script_instead_of_the_table_and_still_writes_files(cli, tmp_path):
    out = tmp_path / "rows.csv"
    result = cli("step", "--step-size", "2", "-n", "6", "--emit", "torch", "-o", str(out))
    assert result.code == 0
    assert result.out == emit(parse_spec("step --step-size 2 -n 6"), "torch")  # the script, no table
    assert result.out.startswith("# StepLR(step_size=2) over 6 epochs")
    assert out.read_text() == cli("step", "--step-size", "2", "-n", "6", "--format", "csv").out


@needs("torch")
def test_compare_emits_one_runnable_block_per_spec(cli):
    texts = ["step --step-size 3", "hf linear --num-warmup-steps 2", "noam --warmup-steps 4"]
    result = cli("compare", *texts, "-n", "12", "--label", "a", "--emit", "torch")
    assert result.code == 0, result.err
    assert result.out.startswith("# ==== a ====")
    assert result.out.count("# ==== ") == 3
    expected = "".join(simulate(parse_spec(t).with_run_defaults({"epochs": 12})).to_csv() for t in texts)
    assert run_script(result.out) == expected


REFUSALS = {
    "step --step-size 3 --emit hf": "--emit hf: step is torch's StepLR, not a Hugging Face schedule; targets that reproduce it: torch, toml",
    "timm cosine --t-initial 10 --emit torch": "--emit torch: timm cosine is timm's CosineLRScheduler, not a torch scheduler; targets that reproduce it: timm, toml",
    "optax constant --value 0.1 --emit keras": "--emit keras: optax constant is optax's constant_schedule, not a Keras schedule; targets that reproduce it: optax, toml",
    "keras exponential-decay --initial-learning-rate 1 --decay-steps 2 --decay-rate 0.5 --emit optax": "--emit optax: keras exponential-decay is Keras' ExponentialDecay, not an optax schedule; targets that reproduce it: keras, toml",
    "hf cosine --emit timm": "--emit timm: hf cosine is transformers' get_cosine_schedule_with_warmup, not a timm scheduler; targets that reproduce it: torch, hf, toml",
    "noam --emit hf": "--emit hf: noam is annotated_transformer.rate, not a Hugging Face schedule; targets that reproduce it: torch, toml",
    "sequential --schedule constant --schedule 'hf cosine' --milestones 3 --emit hf": "--emit hf: sequential is torch's SequentialLR, not a Hugging Face schedule; targets that reproduce it: torch, toml",
    "hf greedy --metrics {samples}/metrics/val_loss.txt --emit torch": "--emit torch: hf greedy is transformers' get_greedy_schedule (GreedyLR), which torch does not have; targets that reproduce it: hf, toml",
    "cosine --t-max 10 --warmup 3 --warmup-overlap --emit torch": "--emit torch: --warmup-overlap multiplies lrplot's rows by the warmup factor, which no scheduler does; targets that reproduce it: toml",
}


@pytest.mark.parametrize("words", list(REFUSALS))
def test_a_target_that_cannot_reproduce_the_spec_is_refused_in_one_line(cli, words, tmp_path):
    out = tmp_path / "x.csv"
    result = cli(*shlex.split(spec_text(words)), "-o", str(out))
    assert result.code == 2
    assert result.out == ""
    assert result.err == f"lrplot: error: {REFUSALS[words]}\n"
    assert not out.exists()


def test_metrics_from_stdin_cannot_be_emitted(cli, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n2\n3\n"))
    result = cli("plateau", "--metrics", "-", "--emit", "toml")
    assert result.code == 2
    assert "--emit toml: --metrics - was read from stdin" in result.err and result.err.count("\n") == 1


def test_compare_names_the_spec_a_target_refuses(cli):
    result = cli("compare", "step --step-size 3", "timm step --decay-t 3", "--emit", "torch")
    assert result.code == 2
    assert result.err.startswith("lrplot: error: compare: timm step --decay-t 3: --emit torch: timm step is")


def test_a_resumed_run_is_toml_only():
    spec = parse_spec("step --step-size 3 -n 10 --resume-at 4")
    with pytest.raises(LrplotError, match="--resume-at shows a resumed run.*targets that reproduce it: toml$"):
        emit(spec, "torch")
    assert "resume_at = 4" in emit(spec, "toml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("step --step-size 3", ["torch", "toml"]),
        ("noam", ["torch", "toml"]),
        ("hf cosine", ["torch", "hf", "toml"]),
        ("hf greedy --metrics x", ["hf", "toml"]),
        ("timm step --decay-t 3", ["timm", "toml"]),
        ("optax constant --value 1", ["optax", "toml"]),
        ("keras exponential-decay --initial-learning-rate 1 --decay-steps 2 --decay-rate 0.5", ["keras", "toml"]),
        ("cosine --t-max 5 --warmup 2 --warmup-overlap", ["toml"]),
        ("plateau --metrics -", []),
    ],
)
def test_targets(text, expected):
    assert targets(parse_spec(text)) == expected


def test_emit_all_heads_each_block_with_its_label():
    specs = [parse_spec("step --step-size 3"), parse_spec("cosine --t-max 5")]
    code = emit_all(specs, "torch", ["StepLR", "cosine"])
    assert code.startswith("# ==== StepLR ====")
    assert "\n# ==== cosine ====" in code
