"""Regenerate the README's reference sections from the registry: ``python scripts/update_readme.py``.

The policy table and the option reference between the ``<!-- name:start -->``
and ``<!-- name:end -->`` markers are generated, never edited by hand;
``tests/test_readme.py`` fails when they are out of date (run with ``--check``
to see the same verdict here).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lrplot.helptext import option_help, option_usage, policy_markdown  # noqa: E402
from lrplot.options import OUTPUT_OPTIONS, RUN_OPTIONS  # noqa: E402
from lrplot.params import Param  # noqa: E402
from lrplot.registry import all_policies  # noqa: E402

README = ROOT / "README.md"


def _options_table(params: tuple[Param, ...]) -> str:
    lines = ["| option | default | what it does |", "|---|---|---|"]
    for p in params:
        shown = p.default_display()
        default = "required" if p.required else (f"`{shown}`" if shown else "–")
        usage = option_usage(p).replace("|", "\\|")
        lines.append(f"| `{usage}` | {default} | {option_help(p).replace('|', '/')} |")
    return "\n".join(lines)


def policy_reference() -> str:
    """One section per policy: summary, formula, example and options."""
    parts = []
    for policy in all_policies():
        parts.append(f"#### `lrplot {policy.command}` ({policy.qualified_name})\n")
        parts.append(policy.summary + (" " + " ".join(policy.description.split()) if policy.description else "") + "\n")
        parts.extend(f"* {note}" for note in policy.notes)
        if policy.notes:
            parts.append("")
        parts.append("```text\n" + policy.formula + "\n```\n")
        command, values = policy.example.splitlines()
        parts.append(f"Example: `lrplot {command}` gives {values}.\n")
        if policy.params:
            parts.append(_options_table(policy.params) + "\n")
    return "\n".join(parts)


BLOCKS = {
    "policies": lambda: policy_markdown(all_policies()),
    "run-options": lambda: _options_table(RUN_OPTIONS) + "\n",
    "output-options": lambda: _options_table(OUTPUT_OPTIONS) + "\n",
    "policy-reference": policy_reference,
}


def updated(text: str) -> str:
    for name, make in BLOCKS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no <!-- {name}:start --> ... <!-- {name}:end --> block")
        block = make()
        text = pattern.sub(lambda m: m.group(1) + block + m.group(2), text)  # noqa: B023 (used at once)
    return text


def main() -> None:
    current = README.read_text()
    fresh = updated(current)
    if "--check" in sys.argv:
        raise SystemExit(0 if fresh == current else "README.md is out of date: run python scripts/update_readme.py")
    README.write_text(fresh)


if __name__ == "__main__":
    main()
