"""Faults: a folder that cannot be written, a disk that fills mid-write, a run killed mid-batch.

Each leaves no partial or corrupt letter (an existing letter stays as it was), and running the
same command again completes the work. ``letters.output.write_atomic`` is the seam every letter
and report goes through, so the faults are injected there: as root (as CI runs) file
permissions do not stop a write, so a refused folder is simulated rather than chmod-ed.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import letters.output
from cli import main

from .conftest import MINIMAL, write_case
from .processes import SWLETTER


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


class _DiskFillsUp:
    """A file object whose disk fills after ``room`` bytes, like a real ENOSPC mid-write."""

    def __init__(self, real: Any, room: int) -> None:
        self.real, self.room = real, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.real.write(data[: self.room])
            self.real.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return int(self.real.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def __enter__(self) -> _DiskFillsUp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()


def _fill_disk_after(monkeypatch: pytest.MonkeyPatch, room: int, *, from_write: int = 1,
                     to_write: int = 0) -> None:
    """write_atomic calls ``from_write`` to ``to_write`` (counted from 1; 0: all the rest) hit
    a full disk after ``room`` bytes."""
    real_fdopen = os.fdopen
    count = {"n": 0}

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        count["n"] += 1
        fh = real_fdopen(fd, *args, **kwargs)
        full = count["n"] >= from_write and (not to_write or count["n"] <= to_write)
        return _DiskFillsUp(fh, room) if full else fh

    monkeypatch.setattr(letters.output.os, "fdopen", fdopen)


# --------------------------------------------------------------------------------------------
# One letter


def test_folder_that_cannot_be_written(runner: CliRunner, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    case = write_case(tmp_path, MINIMAL)
    out = tmp_path / "out"
    out.mkdir()

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(letters.output.tempfile, "mkstemp", refused)
    result = runner.invoke(main, ["render", str(case), "-o", str(out / "letter.docx")])
    assert result.exit_code == 1
    assert result.output == f"Error: cannot write in {out}: Permission denied.\n"
    assert list(out.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through file permissions; the "
                    "simulated refusal above covers it")
def test_read_only_folder_for_real(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    out = tmp_path / "out"
    out.mkdir(mode=0o500)
    try:
        result = runner.invoke(main, ["render", str(case), "-o", str(out / "letter.docx")])
    finally:
        out.chmod(0o700)
    assert result.exit_code == 1
    assert result.output == f"Error: cannot write in {out}: Permission denied.\n"
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("fmt", ["docx", "md", "html"])
def test_disk_full_mid_write_leaves_nothing(runner: CliRunner, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    case = write_case(tmp_path, MINIMAL)
    before = _files(tmp_path)
    _fill_disk_after(monkeypatch, room=100)
    target = tmp_path / f"letter.{fmt}"
    result = runner.invoke(main, ["render", str(case), "-o", str(target)])
    assert result.exit_code == 1
    assert result.output == f"Error: could not write {target}: No space left on device.\n"
    assert _files(tmp_path) == before  # no letter, no temporary file


def test_disk_full_keeps_the_existing_letter_whole(runner: CliRunner, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    case = write_case(tmp_path, MINIMAL)
    target = tmp_path / "letter.docx"
    assert runner.invoke(main, ["render", str(case), "-o", str(target)]).exit_code == 0
    before = _files(tmp_path)
    _fill_disk_after(monkeypatch, room=1000)
    result = runner.invoke(main, ["render", str(case), "-o", str(target), "--force"])
    assert result.exit_code == 1
    assert _files(tmp_path) == before  # --force did not destroy the old letter


def test_disk_full_at_flush(runner: CliRunner, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    case = write_case(tmp_path, MINIMAL)
    before = _files(tmp_path)

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(letters.output.os, "fsync", fsync)
    result = runner.invoke(main, ["render", str(case), "-o", str(tmp_path / "letter.md")])
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert _files(tmp_path) == before


# --------------------------------------------------------------------------------------------
# Many letters


def _cases(folder: Path, count: int) -> Path:
    cases = folder / "cases"
    cases.mkdir()
    for number in range(count):
        write_case(cases, MINIMAL.replace("Mia Green", f"Mia Green {number:04d}"),
                   name=f"case-{number:04d}.yaml")
    return cases


def _assert_whole_letters(out: Path) -> list[str]:
    letters_found = sorted(p.name for p in out.glob("*.docx"))
    for name in letters_found:
        with zipfile.ZipFile(out / name) as zf:
            assert zf.testzip() is None, name
            assert b"Mia Green" in zf.read("word/document.xml")
    return letters_found


def test_disk_full_mid_batch_then_rerun_completes(runner: CliRunner, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cases = _cases(tmp_path, 6)
    out = tmp_path / "out"
    # Room for three letters; then space is freed (by a colleague) in time for the report.
    _fill_disk_after(monkeypatch, room=500, from_write=4, to_write=6)
    report = tmp_path / "report.csv"
    result = runner.invoke(main, ["bulk", str(cases), "--out", str(out), "--report",
                                  str(report)])
    assert result.exit_code == 1
    assert "3 written, 0 already done, 3 failed" in result.output
    assert "No space left on device" in result.output
    assert len(_assert_whole_letters(out)) == 3
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    monkeypatch.undo()  # space freed
    again = runner.invoke(main, ["bulk", str(cases), "--out", str(out), "--report",
                                 str(report)])
    assert again.exit_code == 0, again.output
    assert "3 written, 3 already done, 0 failed" in again.output
    assert len(_assert_whole_letters(out)) == 6


def test_killed_mid_batch_then_rerun_completes(runner: CliRunner, tmp_path: Path) -> None:
    total = 400
    cases = _cases(tmp_path, total)
    out = tmp_path / "out"
    command = [*SWLETTER, "bulk", str(cases), "--out", str(out), "--jobs", "1"]
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if out.is_dir() and len(list(out.glob("*.docx"))) >= 5:
                break
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    written = _assert_whole_letters(out)
    assert 5 <= len(written) < total  # it really was stopped mid-batch
    # What a kill in the middle of a write leaves: a hidden partial copy. Plant one, for a
    # letter not yet written, in case the kill above missed that moment.
    missing = next(f"letter-case-{n:04d}.docx" for n in range(total)
                   if f"letter-case-{n:04d}.docx" not in written)
    (out / f".{missing}.k1ll3d.tmp").write_bytes(b"PK\x03\x04 half a letter")

    again = runner.invoke(main, ["bulk", str(cases), "--out", str(out), "--jobs", "1"])
    assert again.exit_code == 0, again.output
    assert f"{total - len(written)} written, {len(written)} already done, 0 failed" \
        in again.output
    assert len(_assert_whole_letters(out)) == total
    # No partial copy is left (.swletter holds what the run remembers of each letter).
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [".swletter"]
