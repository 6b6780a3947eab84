"""The README tells the truth: its commands run, its outputs are real, its reference is current."""

from __future__ import annotations

import re
import shlex
import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import update_readme  # noqa: E402

README = (ROOT / "README.md").read_text()


def _section(title: str) -> str:
    match = re.search(rf"^## {title}\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def _commands(text: str) -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands():
    commands = _commands(_section("Quick start"))
    assert len(commands) == 2
    assert commands[0].startswith("pip install . && lrplot step --step-size 10 --gamma 0.1")
    assert commands[1] == "pip install '.[test]' && python -m pytest"


def test_ci_runs_the_readmes_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert _commands(_section("Quick start"))[1] in ci


def test_generated_reference_sections_are_current():
    assert update_readme.updated(README) == README, "run: python scripts/update_readme.py"


def test_every_picture_exists():
    for path in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / path).is_file(), path


def _transcripts() -> list[tuple[str, list[str]]]:
    """``$ command`` lines and the output printed under them, from the README's text blocks."""
    found = []
    for block in re.findall(r"```text\n(.*?)```", README, re.S):
        if "..." in block:
            continue  # an abridged transcript
        current = None
        for line in block.splitlines():
            if line.startswith("$ "):
                current = (line[2:], [])
                found.append(current)
            elif current is not None:
                current[1].append(line)
    return found


@pytest.mark.parametrize(("command", "expected"), _transcripts(), ids=[c for c, _ in _transcripts()])
def test_readme_transcripts_are_real_output(cli, in_root, monkeypatch, command, expected):
    words = shlex.split(command)
    while "=" in words[0]:  # COLUMNS=80 lrplot ...
        name, value = words.pop(0).split("=", 1)
        monkeypatch.setenv(name, value)
    assert words[0] == "lrplot"
    result = cli(*words[1:])
    shown = "\n".join(line.rstrip() for line in (result.out + result.err).splitlines())
    assert shown.strip("\n") == "\n".join(expected).strip("\n")


def test_readme_render_config_renders(cli, tmp_path):
    (config_text,) = re.findall(r"```toml\n(.*?)```", README, re.S)
    config = tmp_path / "schedules.toml"
    config.write_text(config_text)
    result = cli("render", str(config))
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == [
        "onecycle.svg", "step-vs-cosine.csv", "step-vs-cosine.png", "step-vs-cosine.svg", "warmup-cosine.svg",
    ]  # fmt: skip


def test_readme_python_session_is_real_output():
    """The notebook section's ``>>>`` session runs as a doctest: every printed value is lrplot's."""
    import doctest

    sessions = re.findall(r"```pycon\n(.*?)```", README, re.S)
    assert sessions, "the README's Python section is missing"
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    for number, session in enumerate(sessions):
        runner.run(parser.get_doctest(session, {}, f"README session {number}", "README.md", 0))
    assert runner.summarize(verbose=False).failed == 0
