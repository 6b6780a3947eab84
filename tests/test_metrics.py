"""Metric files for ReduceLROnPlateau: the layouts users have, and errors that name the line."""

from __future__ import annotations

import math

import pytest

from lrplot import LrplotError
from lrplot.metrics import load_metrics, parse_metrics


def test_one_number_per_line_with_comments_and_blank_lines():
    assert parse_metrics("# val loss\n0.9\n\n0.8  \n# note\n7e-1\n", "f") == [0.9, 0.8, 0.7]


def test_comments_after_values_even_on_the_first_line():
    assert parse_metrics("0.9  # epoch 0\n0.8 # epoch 1\n", "f") == [0.9, 0.8]


def test_nan_marks_a_diverged_epoch():
    values = parse_metrics("0.5\nnan\n0.4\n", "f")
    assert math.isnan(values[1])


def test_csv_with_header_and_column():
    text = "epoch,train_loss,val_loss\n0,2.0,1.0\n1,1.5,0.9\n"
    assert parse_metrics(text, "log.csv", "val_loss") == [1.0, 0.9]
    assert parse_metrics("val_loss\n1.0\n0.5\n", "log.csv") == [1.0, 0.5]


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("", None, "the file is empty"),
        ("# only a comment\n", None, "the file is empty"),
        ("0.9\nabc\n0.7\n", None, "line 2: 'abc' is not a number"),
        ("0.9\ninf\n", None, "line 2: 'inf': expected a finite number"),
        ("0.9,0.8\n", None, "line 1 has several values"),
        ("1.0 0.9 0.8\n", None, "line 1 has several values"),
        ("a,b\n1,2\n", None, "has columns a, b: choose one with --metric-column"),
        ("a,b\n1,2\n", "c", "--metric-column 'c': not in f (columns: a, b)"),
        ("a,b\n1,2\n3\n", "b", "line 3: no value in column 'b'"),
        ("a,b\n", "a", "line 1: 'a,b' is not a number (nor a CSV header: no rows below it)"),
        ("0.5\n", "loss", "has no header row"),
    ],
)
def test_malformed_files_name_the_line_or_column(text, column, message):
    with pytest.raises(LrplotError) as error:
        parse_metrics(text, "f", column)
    assert message in str(error.value)


def test_unreadable_files(tmp_path):
    with pytest.raises(LrplotError, match="no such file"):
        load_metrics(str(tmp_path / "missing.txt"))
    with pytest.raises(LrplotError, match="is a folder; expected numbers or CSV"):
        load_metrics(str(tmp_path))
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(LrplotError, match="not a text file"):
        load_metrics(str(binary))


def test_binary_standard_input_is_refused(cli, monkeypatch):
    import io
    import sys

    class Stdin(io.StringIO):
        buffer = io.BytesIO(b"\xff\xfe\x00\x81garbage")

    monkeypatch.setattr(sys, "stdin", Stdin())
    result = cli("plateau", "--metrics", "-")
    assert result.code == 2 and "standard input is not text" in result.err


def test_more_rows_than_metrics_is_refused(cli, tmp_path):
    metrics = tmp_path / "m.txt"
    metrics.write_text("1\n2\n3\n")
    result = cli("plateau", "--metrics", str(metrics), "-n", "5")
    assert result.code == 2
    assert "-n 5 needs 5 metric values, but" in result.err and "has 3" in result.err
