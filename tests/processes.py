"""Running swletter as a process of its own, for what only a real process shows: its memory
under a limit, a hang (with a generous timeout that is a guard, never a measurement), what it
does with stdout on a full device, and what a folder's permissions do to it even when the tests
run as root.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Seconds after which a run is taken to hang. Far longer than any run takes (a second or
#: two); only a hang, or work that grows with the square of the input, reaches it.
HANG_GUARD = 60

# Linux capabilities that let root read and write whatever the file modes say.
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _without_permission_bypass() -> None:  # pragma: no cover - runs in the child
    """Let the process about to start obey file modes even as root: drop the capabilities
    that override them from its bounding set, so the program it runs never has them."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


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
    if obey_file_modes:
        steps.append(_without_permission_bypass)

    def before_exec() -> None:  # pragma: no cover - runs in the child
        for step in steps:
            step()

    command = [sys.executable, "-c", "import cli; cli.main()", *args]
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
