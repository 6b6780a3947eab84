"""Shared fixtures: run the CLI in-process and capture what a user would see."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))  # oracle, strategies and golden.cases import as plain modules
sys.path.insert(0, str(TESTS / "golden"))

from lrplot.cli import main  # noqa: E402

# CI runs the same examples every time (HYPOTHESIS_PROFILE=ci): a red build must be reproducible.
# Locally the default profile explores new examples on every run.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """``cli("step", "--step-size", "10")`` runs ``lrplot`` and returns its exit code, stdout and stderr."""
    monkeypatch.setenv("COLUMNS", "160")  # wide enough that Rich never wraps a row
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def in_root(monkeypatch):
    """Run from the repository root, where the README's relative sample paths resolve."""
    monkeypatch.chdir(ROOT)
    return ROOT
