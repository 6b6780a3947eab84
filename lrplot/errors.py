"""The one exception lrplot raises for anything a user can get wrong.

Every message is a single line that names the bad value and says what was
expected, e.g. ``step: --step-size 0: expected an integer >= 1``.  The CLI
prints it as ``lrplot: error: <message>`` and exits with status 2.
"""

from __future__ import annotations


class LrplotError(ValueError):
    """Bad input: an unknown policy, a value out of range, an unreadable file, ...

    >>> str(LrplotError("step: --step-size 0: expected an integer >= 1"))
    'step: --step-size 0: expected an integer >= 1'
    """

    def __init__(self, message: str) -> None:
        # Keep messages on one line whatever the source (torch's own texts included),
        # without touching the spacing inside values the user typed.
        super().__init__(" ".join(line.strip() for line in message.splitlines() if line.strip()))
