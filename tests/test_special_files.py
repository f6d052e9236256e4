"""Things in the file system that are not ordinary files (issue 13, items 7 and 11).

Reading: a case file, spreadsheet or settings file that is a named pipe would wait forever for
a writer, and ``/dev/zero`` would be read until memory ran out; only ordinary files are read,
and never past their limit whatever size they report. Writing: ``render -o /dev/null --force``
run as root once replaced the device with a file; only an ordinary file is ever replaced, never
the case file itself, and every folder swletter creates is owner-only whatever the umask.

Devices, pipes and sockets are made under the test's temporary folder; ``/dev`` is only ever
read (``/dev/zero`` as a case file).
"""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from letters.bulk.folder import remove_stale_temporaries
from letters.files import FileTooLargeError, read_regular_file
from letters.output import temporary_prefix, write_atomic

from .conftest import MINIMAL, write_case
from .processes import hang_guard, run_swletter

# --------------------------------------------------------------------------------------------
# Reading


@pytest.fixture
def fifo(tmp_path: Path) -> Callable[[str], Path]:
    def make(name: str) -> Path:
        path = tmp_path / name
        os.mkfifo(path)
        return path

    return make


@pytest.mark.parametrize("command", ["render", "check"])
def test_a_case_file_that_is_a_named_pipe_is_refused_at_once(
        runner: CliRunner, fifo: Callable[[str], Path], command: str) -> None:
    case = fifo("case.yaml")
    with hang_guard():
        result = runner.invoke(main, [command, str(case)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {case} has 1 problem:\n  - this is a named pipe (FIFO), "
                             "not an ordinary file; swletter reads only ordinary files.\n")


def test_dev_zero_as_a_case_file_is_refused_unread() -> None:
    # /dev/zero reports a size of 0 and never ends: reading it filled memory. In a process of
    # its own with a memory limit, so that a regression cannot take the machine's memory.
    result = run_swletter(["check", "/dev/zero"], memory=300 * 1024 * 1024)
    assert result.returncode == 1
    assert result.stderr.decode() == ("Error: /dev/zero has 1 problem:\n  - this is a device, "
                                      "not an ordinary file; swletter reads only ordinary "
                                      "files.\n")


def test_a_settings_file_that_is_a_named_pipe_is_refused(
        runner: CliRunner, tmp_path: Path, fifo: Callable[[str], Path]) -> None:
    case = write_case(tmp_path, MINIMAL)
    settings = fifo("swletter.toml")
    with hang_guard():
        result = runner.invoke(main, ["render", str(case), "--config", str(settings)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {settings}: this is a named pipe (FIFO), not an "
                             "ordinary file; swletter reads only ordinary files.\n")


@pytest.mark.parametrize("name", ["cases.csv", "cases.xlsx"])
def test_a_spreadsheet_that_is_a_named_pipe_fails_alone(
        runner: CliRunner, tmp_path: Path, fifo: Callable[[str], Path], name: str) -> None:
    sheet = fifo(name)
    case = write_case(tmp_path, MINIMAL)
    out = tmp_path / "out"
    with hang_guard():
        result = runner.invoke(main, ["bulk", str(sheet), str(case), "--out", str(out),
                                      "--format", "md"])
    assert result.exit_code == 1
    assert (f"{sheet}: this is a named pipe (FIFO), not an ordinary file; swletter reads only "
            "ordinary files.") in result.output
    assert len(list(out.glob("letter-*.md"))) == 1  # the other case is still written


def test_the_size_a_file_reports_is_not_trusted(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # A file that says it is empty (as /proc files and growing files do) is still read only
    # to its limit.
    big = tmp_path / "case.yaml"
    big.write_bytes(b"x" * 5000)
    real_fstat = os.fstat

    def says_empty(fd: int) -> os.stat_result:
        info = list(real_fstat(fd))
        info[stat.ST_SIZE] = 0
        return os.stat_result(info)

    monkeypatch.setattr(os, "fstat", says_empty)
    with pytest.raises(FileTooLargeError) as caught:
        read_regular_file(big, 4096)
    assert caught.value.size is None  # the size is not known, only that it is too large
    assert read_regular_file(big, 5000) == b"x" * 5000


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux's /proc")
def test_a_proc_file_that_reports_no_size_is_read_only_to_the_limit() -> None:
    assert os.stat("/proc/self/status").st_size == 0
    with pytest.raises(FileTooLargeError):
        read_regular_file("/proc/self/status", 100)
    assert b"Name:" in read_regular_file("/proc/self/status", 1 << 20)


# --------------------------------------------------------------------------------------------
# Writing: only an ordinary file is ever replaced


def _device(path: Path) -> None:
    # A character device with the numbers of /dev/null, made in the test's own folder.
    os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))


def _socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))


def _symlink(path: Path) -> None:
    (path.parent / "elsewhere.md").write_text("someone's notes\n", encoding="utf-8")
    path.symlink_to("elsewhere.md")


_KINDS: dict[str, tuple[Callable[[Path], None], str]] = {
    "device": (_device, "a device"),
    "fifo": (os.mkfifo, "a named pipe (FIFO)"),
    "socket": (_socket, "a socket"),
    "folder": (Path.mkdir, "a folder"),
    "symlink": (_symlink, "a symbolic link"),
}


def _identity(path: Path) -> tuple[int, int, int, str]:
    info = path.lstat()
    link = os.readlink(path) if stat.S_ISLNK(info.st_mode) else ""
    return info.st_mode, info.st_ino, info.st_rdev, link


@pytest.fixture(params=sorted(_KINDS))
def not_a_file(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    make, kind = _KINDS[request.param]
    if request.param == "device" and os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    target = tmp_path / "out" / "letter.md"
    target.parent.mkdir()
    make(target)
    yield target, kind


@pytest.mark.parametrize("force", [True, False], ids=["force", "no-force"])
def test_only_an_ordinary_file_is_ever_replaced(runner: CliRunner, tmp_path: Path,
                                                not_a_file: tuple[Path, str],
                                                force: bool) -> None:
    target, kind = not_a_file
    before = _identity(target)
    case = write_case(tmp_path, MINIMAL)
    with hang_guard():
        result = runner.invoke(main, ["render", str(case), "-o", str(target),
                                      *(["--force"] if force else [])])
    assert result.exit_code == 1
    assert result.output == (f"Error: {target} is {kind}, not a file: swletter only ever writes "
                             "over an ordinary file, --force or not. Choose another name.\n")
    assert _identity(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == sorted(
        ["letter.md", "elsewhere.md"] if kind == "a symbolic link" else ["letter.md"])


@pytest.mark.parametrize("command", [["render"], ["statement"],
                                     ["followup", "--kind", "chaser"]])
def test_the_case_file_itself_is_never_the_output(runner: CliRunner, tmp_path: Path,
                                                  command: list[str]) -> None:
    text = MINIMAL + ("supporting_statements:\n  - author: Priya Shah\n"
                      if command == ["statement"] else "")
    case = write_case(tmp_path, text)
    for target in (case, tmp_path / "." / "case.yaml"):
        result = runner.invoke(main, [command[0], str(case), *command[1:], "-o", str(target),
                                      "--format", "md", "--force"])
        assert result.exit_code == 1, result.output
        assert result.output == (
            f"Error: {target} is the case file the letter is made from; writing the letter "
            "there would destroy it. Choose another name with -o.\n")
        assert case.read_text(encoding="utf-8") == text


def test_a_bulk_report_that_is_a_named_pipe_is_refused_before_the_run(
        runner: CliRunner, tmp_path: Path, fifo: Callable[[str], Path]) -> None:
    report = fifo("report.csv")
    case = write_case(tmp_path, MINIMAL)
    out = tmp_path / "out"
    with hang_guard():
        result = runner.invoke(main, ["bulk", str(case), "--out", str(out), "--report",
                                      str(report), "--format", "md"])
    assert result.exit_code == 1
    assert result.output == (f"Error: {report} is a named pipe (FIFO), not a file: swletter "
                             "only ever writes over an ordinary file, --force or not. Choose "
                             "another name.\n")
    assert stat.S_ISFIFO(report.lstat().st_mode)
    assert list(out.iterdir()) == []  # refused before any letter was written


def test_a_named_pipe_where_a_bulk_letter_goes_fails_that_case_alone(
        runner: CliRunner, tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    write_case(cases, MINIMAL, name="green.yaml")
    write_case(cases, MINIMAL.replace("Mia Green", "Ava Stone"), name="stone.yaml")
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "letter-green.md")
    with hang_guard():
        result = runner.invoke(main, ["bulk", str(cases), "--out", str(out), "--format", "md"])
    assert result.exit_code == 1
    assert "letter-green.md is a named pipe (FIFO), not a file" in result.output
    assert stat.S_ISFIFO((out / "letter-green.md").lstat().st_mode)
    assert (out / "letter-stone.md").is_file()


# --------------------------------------------------------------------------------------------
# Folders swletter creates are owner-only, whatever the umask


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def _modes_under(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode)
            for p in [root, *root.rglob("*")] if p.is_dir()}


@pytest.mark.usefixtures("open_umask")
@pytest.mark.parametrize("command", ["example", "templates export", "bulk"])
def test_folders_swletter_creates_are_owner_only_whatever_the_umask(
        runner: CliRunner, tmp_path: Path, command: str) -> None:
    made = tmp_path / "made"
    target = made / "deeper" / "folder"
    if command == "bulk":
        case = write_case(tmp_path, MINIMAL)
        args = ["bulk", str(case), "--out", str(target), "--format", "md"]
    else:
        args = [*command.split(), str(target)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    modes = _modes_under(made)
    assert modes and set(modes.values()) == {0o700}, modes


@pytest.mark.usefixtures("open_umask")
def test_the_template_cache_folders_are_owner_only_whatever_the_umask(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    case = write_case(tmp_path, MINIMAL)
    # A process of its own (with the umask of this one), whose templates are not yet compiled.
    result = run_swletter(["render", str(case), "-o", str(tmp_path / "letter.md")])
    assert result.returncode == 0, result.stderr
    assert list((cache / "swletter" / "templates").glob("*.cache"))
    modes = _modes_under(cache)
    assert set(modes.values()) == {0o700}, modes


def test_a_killed_runs_partial_copy_of_a_long_named_letter_is_removed(tmp_path: Path) -> None:
    # The temporary file beside a letter repeats only the start of a long name; bulk's clean-up
    # of what a killed run left must look for that same start.
    name = "letter-" + "a" * 180 + ".docx"
    out = tmp_path / "out"
    out.mkdir()
    partial = out / f"{temporary_prefix(name)}k1ll3d.tmp"
    partial.write_bytes(b"PK part of a letter")
    other = out / ".someone-elses.k1ll3d.tmp"
    other.write_bytes(b"not ours")
    assert remove_stale_temporaries(out, [name]) == 1
    assert sorted(p.name for p in out.iterdir()) == [other.name]
    # …and a letter with that name can be written beside it.
    assert write_atomic(out / name, b"letter").read_bytes() == b"letter"
