"""Helpers for tests that run swletter as a process of its own: to stop it with a signal, to
limit its memory, to guard against a hang, and to make even root obey file permissions.

Every process such a test starts carries a marker — the test's own temporary folder, in its
TMPDIR — in its environment, and so do their children (LibreOffice, bulk workers). The tests
find "their" processes by that marker and nothing else: other programs on the machine, other
LibreOffices among them, are never looked at twice, let alone killed.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The command that runs swletter, as the installed console script does.
SWLETTER = (sys.executable, "-c", "from swletter.cli import main; main()")

#: How long a test waits for something that should take a moment; only a hang guard.
PATIENCE = 60.0

needs_proc = pytest.mark.skipif(not Path("/proc/self/environ").exists(),
                                reason="finds the processes it started through /proc (Linux)")


def swletter_env(folder: Path) -> dict[str, str]:
    """An environment whose HOME, TMPDIR and caches are all inside ``folder`` (the marker)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("XDG_") and key not in ("TMPDIR", "TMP", "TEMP", "HOME")}
    for name in ("home", "tmp", "cache"):
        (folder / name).mkdir(exist_ok=True)
    env.update(HOME=str(folder / "home"), TMPDIR=str(folder / "tmp"),
               XDG_CACHE_HOME=str(folder / "cache"), LC_ALL="C.UTF-8", TZ="UTC")
    return env


def start_swletter(args: Sequence[str], folder: Path, *,
                   env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """``swletter ARGS`` as a child process, with the environment of ``swletter_env``.

    Its stop signals start at their defaults, as from a terminal, whatever the test runner's
    are (a runner started in the background ignores Ctrl-C, and its children would too).
    """
    return subprocess.Popen([*SWLETTER, *args],
                            env=env or swletter_env(folder), cwd=folder,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=_default_signals)


def _default_signals() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def _pids() -> Iterator[int]:
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            yield int(entry.name)


def _state_and_parent(pid: int) -> tuple[str, int] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def running(pid: int) -> bool:
    """Whether ``pid`` is alive (a killed process that no one has reaped is a zombie, "Z")."""
    found = _state_and_parent(pid)
    return found is not None and found[0] != "Z"


def marked(folder: Path) -> list[int]:
    """The live processes whose environment mentions ``folder``."""
    marker = str(folder).encode()
    found = []
    for pid in _pids():
        if pid == os.getpid():
            continue
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if marker in environ and running(pid):
            found.append(pid)
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def children(pid: int) -> list[int]:
    """The live child processes of ``pid``."""
    out = []
    for child in _pids():
        found = _state_and_parent(child)
        if found is not None and found[1] == pid and found[0] != "Z":
            out.append(child)
    return out


def wait_for(condition: Callable[[], bool], timeout: float = PATIENCE) -> bool:
    """Poll ``condition`` until it holds (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@contextmanager
def cleaned_up(folder: Path) -> Iterator[None]:
    """Whatever the test finds, kill the processes it started (marked with ``folder``) after."""
    try:
        yield
    finally:
        for pid in marked(folder):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


# --------------------------------------------------------------------------------------------
# Running swletter bound by file permissions, even as root

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _drop_permission_override() -> None:
    """In the child, before exec: take away the capabilities that let root ignore file
    permissions, from the bounding set, so the program it runs never has them."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, ctypes.c_ulong(capability), 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")
    _default_signals()


def run_bound_by_permissions(command: Sequence[str], folder: Path
                             ) -> subprocess.CompletedProcess[str]:
    """Run ``command`` so that file permissions apply to it: as this user, or, for root (who
    may write a read-only file), as root without the power to override them (Linux).
    """
    if os.geteuid() != 0:
        preexec: Callable[[], None] = _default_signals
    elif sys.platform.startswith("linux"):
        preexec = _drop_permission_override
    else:  # pragma: no cover - root elsewhere
        pytest.skip("needs a user that file permissions apply to (not root), or Linux")
    return subprocess.run(list(command), env=swletter_env(folder), cwd=folder,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=PATIENCE, preexec_fn=preexec, check=False)


def swletter_bound_by_permissions(args: Sequence[str], folder: Path
                                  ) -> subprocess.CompletedProcess[str]:
    """``swletter ARGS`` under ``run_bound_by_permissions``."""
    return run_bound_by_permissions([*SWLETTER, *args],
                                    folder)


# --------------------------------------------------------------------------------------------
# Running swletter with its memory limited, or bound by file permissions, with a hang guard

#: Seconds after which a run is taken to hang. Far longer than any run takes (a second or
#: two); only a hang, or work that grows with the square of the input, reaches it.
HANG_GUARD = 60


def _memory_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def run_swletter(args: Sequence[str], *, cwd: Path | None = None, memory: int | None = None,
                 obey_file_modes: bool = False, stdout: IO[Any] | int = subprocess.PIPE,
                 env: dict[str, str] | None = None,
                 timeout: float = HANG_GUARD) -> subprocess.CompletedProcess[bytes]:
    """``swletter ARGS`` as a process: its exit code, stdout (unless redirected) and stderr.

    ``memory`` limits its address space (bytes); ``obey_file_modes`` makes even root subject
    to file permissions. A run that takes longer than ``timeout`` fails the test.
    """
    steps = []
    if memory is not None:
        steps.append(_memory_limit(memory))
    if obey_file_modes and os.geteuid() == 0:
        steps.append(_drop_permission_override)

    def before_exec() -> None:  # pragma: no cover - runs in the child
        for step in steps:
            step()

    command = [*SWLETTER, *args]
    try:
        return subprocess.run(command, cwd=cwd or ROOT, stdout=stdout, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, env=env, timeout=timeout,
                              preexec_fn=before_exec if steps else None, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"swletter {' '.join(args)} was still running after {timeout} s")


@contextmanager
def hang_guard(seconds: int = HANG_GUARD) -> Iterator[None]:
    """Fail the test, rather than hang the suite, if the block is still running after
    ``seconds`` (it interrupts a blocked system call too, such as opening a FIFO)."""

    def stop(signum: int, frame: Any) -> None:
        pytest.fail(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
