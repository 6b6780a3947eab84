"""Output files are written whole or not at all."""

from __future__ import annotations

import os
import stat

import pytest

from lrplot import LrplotError
from lrplot.output import check_outputs, write_atomic


def test_written_files_get_normal_permissions(tmp_path):
    path = tmp_path / "a.csv"
    write_atomic(path, b"epoch,lr\n")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_replacing_keeps_the_existing_mode(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("old")
    path.chmod(0o640)
    write_atomic(path, b"new")
    assert path.read_text() == "new" and stat.S_IMODE(path.stat().st_mode) == 0o640


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "a.csv"
    path.write_text("good")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"half")
    assert path.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_outputs_are_checked_together(tmp_path):
    ok = [str(tmp_path / "a.png"), str(tmp_path / "a.csv")]
    assert [p.name for p in check_outputs(ok)] == ["a.png", "a.csv"]
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(LrplotError, match="is a folder"):
        check_outputs([str(tmp_path / "dir.png")])
    (tmp_path / "file").write_text("")
    with pytest.raises(LrplotError, match="is a file, not a folder"):
        check_outputs([str(tmp_path / "file" / "x.png")])


def test_unwritable_places_are_refused_even_for_root():
    with pytest.raises(LrplotError, match="cannot write in '/proc'"):
        check_outputs(["/proc/x.png"])


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    with pytest.raises(LrplotError, match="not writable"):
        check_outputs([str(folder / "a.png")])
