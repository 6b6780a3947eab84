"""Output files: checked before any work, rendered in memory, written atomically.

``-o`` picks the format from the suffix: ``.png .svg .pdf`` are figures,
``.csv .json`` are data.  Every path is checked first (known suffix, existing
writable folder, no path given twice), so a bad path costs nothing and leaves
nothing behind.  Each file is written to a temporary sibling and renamed
over the target, so an error or Ctrl-C never leaves a partial file and never
replaces a good file with a broken one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import LrplotError

FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
DATA_SUFFIXES = (".csv", ".json")
SUFFIXES = FIGURE_SUFFIXES + DATA_SUFFIXES


def check_outputs(paths: list[str], option: str = "-o") -> list[Path]:
    """Validate output paths before anything is computed.

    >>> check_outputs(["plot.gif"])
    Traceback (most recent call last):
    ...
    lrplot.errors.LrplotError: -o plot.gif: unsupported suffix '.gif'; expected one of .png, .svg, .pdf, .csv, .json
    """
    checked: list[Path] = []
    seen: dict[Path, str] = {}
    for text in paths:
        path = Path(text)
        suffix = path.suffix.lower()
        if suffix not in SUFFIXES:
            shown = f"suffix {suffix!r}" if suffix else "no suffix"
            raise LrplotError(f"{option} {text}: unsupported {shown}; expected one of {', '.join(SUFFIXES)}")
        folder = path.parent
        if not folder.is_dir():
            raise LrplotError(f"{option} {text}: folder {str(folder)!r} does not exist")
        if path.is_dir():
            raise LrplotError(f"{option} {text}: is a folder; expected a file name")
        if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise LrplotError(f"{option} {text}: not writable")
        key = path.resolve()
        if key in seen:
            raise LrplotError(f"{option} {text}: the same file is given twice ({seen[key]} and {text})")
        seen[key] = text
        checked.append(path)
    return checked


def _default_mode() -> int:
    # mkstemp creates files readable only by their owner; outputs should get the usual mode.
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException as error:  # Ctrl-C included: never leave the temporary file behind
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError):
            raise LrplotError(f"-o {path}: cannot write ({error.strerror or error})") from None
        raise


def write_all(files: dict[Path, bytes]) -> None:
    """Write every rendered file; they were all rendered before the first write."""
    for path, data in files.items():
        write_atomic(path, data)
