"""The Rich table: every row up to 200, then a condensed view that keeps what matters."""

from __future__ import annotations

from lrplot import parse_spec, simulate
from lrplot.table import CONDENSE_ABOVE, format_number, visible_rows


def test_short_runs_show_every_row():
    series = simulate(parse_spec(f"cosine --t-max 50 -n {CONDENSE_ABOVE}"))
    assert visible_rows(series.lr_columns) == (list(range(CONDENSE_ABOVE)), None)


def test_step_like_runs_keep_every_change_and_the_row_before_it():
    series = simulate(parse_spec("multistep --milestones 300,301,700 -n 1000"))
    rows, note = visible_rows(series.lr_columns)
    assert {299, 300, 301, 699, 700} <= set(rows)
    assert rows[:10] == list(range(10)) and rows[-10:] == list(range(990, 1000))
    assert "every change" in note


def test_smooth_runs_are_sampled_and_keep_the_extremes():
    series = simulate(parse_spec("cyclic --base-lr 0.001 --max-lr 0.1 --step-size-up 333 -n 5000"))
    rows, note = visible_rows(series.lr_columns)
    lrs = series.lr_columns[0]
    assert lrs.index(max(lrs)) in rows and lrs.index(min(lrs)) in rows
    assert len(rows) < 60
    assert "evenly spaced" in note and "5,000 rows" in note


def test_numbers_are_exact_unless_digits_are_asked_for():
    assert format_number(0.1 * 3, None) == "0.30000000000000004"
    assert format_number(0.1 * 3, 4) == "0.3"
    assert format_number(float("nan"), None) == "nan"
