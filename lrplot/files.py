"""Reading a user's file: its text, or one line saying why not.

Config files (``lrplot render``), metric files (``--metrics``) and run
configs (``from-hf``, ``from-timm``) are all read here, so a missing file, a
folder or a binary file gets the same kind of message wherever it is named:

>>> read_user_text("missing.toml", named="missing.toml", expected="a TOML config file")
Traceback (most recent call last):
...
lrplot.errors.LrplotError: missing.toml: no such file
"""

from __future__ import annotations

from pathlib import Path

from .errors import LrplotError


def read_user_text(path: str | Path, *, named: str, expected: str, encoding: str = "utf-8") -> str:
    """The text of ``path``; errors start with ``named`` (``"--metrics m.txt"``) and say what was ``expected``."""
    try:
        return Path(path).read_text(encoding=encoding)
    except FileNotFoundError:
        raise LrplotError(f"{named}: no such file") from None
    except IsADirectoryError:
        raise LrplotError(f"{named}: is a folder; expected {expected}") from None
    except UnicodeDecodeError:
        raise LrplotError(f"{named}: not a text file; expected {expected}") from None
    except OSError as error:
        raise LrplotError(f"{named}: cannot read ({error.strerror or error})") from None
