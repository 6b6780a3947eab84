"""Output files: checked before any work, rendered in memory, written atomically.

``-o`` picks the format from the suffix: ``.png .svg .pdf`` are figures,
``.csv .json`` are data.  Every path is checked first (known suffix, existing
writable folder, no path given twice), so a bad path costs nothing and leaves
nothing behind.  Each file is written to a temporary sibling and renamed
over the target, so an error or Ctrl-C never leaves a partial file and never
replaces a good file with a broken one.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

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
            shown = f"unsupported suffix {suffix!r}" if suffix else "no suffix"
            raise LrplotError(f"{option} {text}: {shown}; expected one of {', '.join(SUFFIXES)}")
        folder = path.parent
        if not folder.exists():
            raise LrplotError(f"{option} {text}: folder {str(folder)!r} does not exist")
        if not folder.is_dir():
            raise LrplotError(f"{option} {text}: {str(folder)!r} is a file, not a folder")
        if path.is_dir():
            raise LrplotError(f"{option} {text}: is a folder; expected a file name")
        _probe(folder, f"{option} {text}")
        key = path.resolve()
        if key in seen:
            raise LrplotError(f"{option} {text}: the same file is given twice ({seen[key]} and {text})")
        seen[key] = text
        checked.append(path)
    return checked


def _probe(folder: Path, shown: str) -> None:
    """Create and remove a file in ``folder``: the only reliable writability test (root passes os.access)."""
    import tempfile  # only when there are files to write

    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".lrplot-probe-")
    except OSError as error:
        raise LrplotError(f"{shown}: cannot write in {str(folder)!r} ({error.strerror or error})") from None
    os.close(fd)
    os.unlink(temp)


MAX_PIXELS = 16_000  # per side: larger images take gigabytes and are never what was meant
MIN_PIXELS = 100


def check_figure_size(size: tuple[float, float, str], dpi: int) -> None:
    """Refuse figure sizes that cannot be drawn or would take gigabytes, before any work.

    >>> check_figure_size((1200, 675, "in"), 150)
    Traceback (most recent call last):
    ...
    lrplot.errors.LrplotError: --size 1200x675: 180000x101250 pixels at --dpi 150; expected at most 16000 per side (add px for pixels: 1200x675px)
    """
    width, height, unit = size
    pixels = (width, height) if unit == "px" else (width * dpi, height * dpi)
    shown = f"{width:g}x{height:g}" + ("px" if unit == "px" else "")
    if max(pixels) > MAX_PIXELS:
        hint = f" (add px for pixels: {shown}px)" if unit == "in" and max(width, height) >= 100 else ""
        raise LrplotError(
            f"--size {shown}: {pixels[0]:.0f}x{pixels[1]:.0f} pixels at --dpi {dpi}; "
            f"expected at most {MAX_PIXELS} per side{hint}"
        )
    if min(pixels) < MIN_PIXELS:
        raise LrplotError(
            f"--size {shown}: {pixels[0]:.0f}x{pixels[1]:.0f} pixels at --dpi {dpi}; expected at least {MIN_PIXELS} per side"
        )


def _default_mode() -> int:
    # mkstemp creates files readable only by their owner; outputs should get the usual mode.
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


Content = bytes | Callable[[BinaryIO], None]
"""A file's content: its bytes, or a function that writes them (a CSV of ten million rows streams)."""


def _stage(path: Path, content: Content) -> str:
    """Write ``content`` to a temporary sibling of ``path``; returns its name."""
    import tempfile

    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            if isinstance(content, bytes):
                stream.write(content)
            else:
                content(stream)
        os.chmod(temp, path.stat().st_mode & 0o777 if path.exists() else _default_mode())
    except BaseException:
        os.unlink(temp)
        raise
    return temp


def write_all(files: dict[Path, Content]) -> None:
    """Write every file whole, or none: all are staged as temporary files first, then renamed.

    An error or Ctrl-C while staging removes the temporary files and leaves
    every existing file as it was.
    """
    staged: list[tuple[str, Path]] = []
    current: Path | None = None
    try:
        for current, content in files.items():
            staged.append((_stage(current, content), current))
        for temp, current in staged:
            os.replace(temp, current)
    except BaseException as error:
        for temp, _ in staged:
            try:
                os.unlink(temp)
            except FileNotFoundError:
                pass  # already renamed into place
        if isinstance(error, OSError):
            raise LrplotError(f"cannot write {current} ({error.strerror or error})") from None
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file through a temporary sibling and a rename."""
    write_all({path: data})


def render_files(
    data: Any,
    series_list: Sequence[Any],
    paths: Sequence[Path],
    style: dict[str, Any],
    labels: Any = None,
    *,
    stream_csv: bool = False,
) -> dict[Path, Content]:
    """Every requested file, rendered in memory (nothing is written yet).

    ``data`` gives the CSV and JSON (a schedule, or compare's overlay); the
    figure draws ``series_list`` with ``labels``, styled by the output options.
    With ``stream_csv`` a CSV is written row by row when the file is staged
    instead of being held in memory.
    """
    files: dict[Path, Content] = {}
    figure = None
    for path in paths:
        suffix = path.suffix.lower()
        if suffix == ".csv" and stream_csv:
            files[path] = _csv_writer(data)
        elif suffix == ".csv":
            files[path] = data.to_csv().encode()
        elif suffix == ".json":
            files[path] = data.to_json().encode()
        else:
            from . import figures as plot  # matplotlib only when a figure is asked for

            if figure is None:
                figure = plot.figure(
                    series_list,
                    title=style.get("title"),
                    log_y=bool(style.get("log_y")),
                    size=style.get("size") or plot.DEFAULT_SIZE,
                    dpi=style.get("dpi") or plot.DEFAULT_DPI,
                    labels=labels,
                )
            files[path] = plot.render(figure, suffix[1:])
    return files


def _csv_writer(data: Any) -> Callable[[BinaryIO], None]:
    def write(stream: BinaryIO) -> None:
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)
        data.write_csv(text)
        text.flush()
        text.detach()  # the caller closes the file

    return write
