"""Every table printed in the seed post, reproduced digit for digit.

The post's numbers came from an old torch whose ``step()`` used the closed
form, so lrplot reproduces them with ``--closed-form``; its ReduceLROnPlateau
column is the lr *after* ``step(loss)`` of each epoch, which is lrplot's next
row.  ``tests/data/seed_tables.json`` holds the printed values verbatim.
"""

from __future__ import annotations

import json
import shlex

import pytest
from conftest import ROOT

from lrplot import parse_spec, simulate

SEED = json.loads((ROOT / "tests" / "data" / "seed_tables.json").read_text())
TABLES = {table["id"]: table for table in SEED["tables"]}


def _same(value: float, printed: str) -> bool:
    """The post prints torch's floats with repr; lr=10 (an int in the post) prints as '10'."""
    return repr(value) == printed or ("." not in printed and "e" not in printed and value == int(printed))


@pytest.mark.parametrize("table_id", [t for t in TABLES if t != "ReduceLROnPlateau"])
def test_printed_table_is_reproduced(table_id, in_root):
    table = TABLES[table_id]
    series = simulate(parse_spec(table["spec"]))
    lrs = series.lr_columns[0]
    assert len(lrs) == len(table["printed"])
    mismatches = [
        (epoch, repr(lrs[epoch]), printed) for epoch, printed in table["printed"] if not _same(lrs[epoch], printed)
    ]
    assert not mismatches


def test_plateau_on_the_seed_losses_gives_the_seed_lr_sequence(in_root):
    table = TABLES["ReduceLROnPlateau"]
    series = simulate(parse_spec(table["spec"]))
    assert series.epochs == 60  # -n defaults to one row per metric
    # The post prints the lr set by step(loss_e): that is the lr used during epoch e + 1.
    shifted = [(epoch + 1, printed) for epoch, printed in table["printed"][:-1]]
    assert all(_same(series.lr_columns[0][e], printed) for e, printed in shifted)
    assert series.lr_columns[0][0] == 10.0
    assert series.lr_columns[0][11] == 10.0 and series.lr_columns[0][12] == 1.0  # reduced after 11 bad epochs


def test_exponential_epoch_4_closed_form_is_the_seed_value():
    series = simulate(parse_spec("exponential --gamma 0.2 --lr 0.2 -n 5 --closed-form"))
    assert repr(series.lr_columns[0][4]) == "0.0003200000000000001"


def test_step_epoch_10_chainable_is_torch_2_13_value():
    series = simulate(parse_spec("step --step-size 10 --gamma 0.1 --lr 0.05 -n 11"))
    assert repr(series.lr_columns[0][10]) == "0.005000000000000001"


def test_seed_table_as_a_user_prints_it(cli, in_root):
    """`lrplot ... --format csv` prints the seed's numbers, one row per epoch."""
    table = TABLES["StepLR"]
    result = cli(*shlex.split(table["spec"]), "--format", "csv")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "epoch,lr"
    assert lines[1:] == [f"{epoch},{printed}" for epoch, printed in table["printed"]]


def test_seed_lambda_count_error_has_the_seed_message(cli):
    result = cli("lambda", "--expr", "epoch // 10", "--expr", "0.95 ** epoch")
    assert result.code == 2
    assert "Expected 1 lr_lambdas, but got 2" in result.err
    assert len(result.err.strip().splitlines()) == 1
