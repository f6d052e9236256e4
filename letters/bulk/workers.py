"""Worker processes that never outlive the run that started them.

``swletter bulk --jobs N`` spreads letters over worker processes. A worker left behind when its
parent dies (killed, out of memory, its terminal closed) would sit for ever on the pipe it reads
its work from, with a LibreOffice of its own perhaps still running and a letter in its temporary
folder. So every worker:

- holds the read end of a *lifeline*, a pipe whose write end only the parent holds. When that
  end closes — the parent closed it to stop the run, or the parent died, however it died — a
  watcher thread in the worker sees end of file and stops the worker;
- on Linux also asks the kernel for SIGTERM when its parent dies (``PR_SET_PDEATHSIG``);
- on SIGTERM or SIGHUP, idle, ends at once; at work, finishes the letter in hand (never a
  half-written file; LibreOffice, if it is waiting for it, is stopped and its folder removed)
  and ends before the next, with the signal's usual status;
- ignores Ctrl-C, which reaches the parent too: the parent decides, and closes the lifeline.

If a worker has not ended a few seconds after its lifeline closed, it ends itself outright.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType
from typing import TYPE_CHECKING

from letters.signals import STOP_SIGNALS

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

#: Seconds a worker has to finish its cleanup after its lifeline closes before it ends outright.
GRACE = 10.0

_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


class Lifeline:
    """The parent's side of the lifeline: ``initargs`` for the workers' initializer, and
    ``cut()`` to stop every worker now."""

    def __init__(self) -> None:
        import multiprocessing

        self._reader, self._writer = multiprocessing.Pipe(duplex=False)
        self.initargs = (self._reader, self._writer, os.getpid())

    def cut(self) -> None:
        """Close the write end: every worker stops (after cleaning up) as if the parent died."""
        self._writer.close()

    def close(self) -> None:
        self._writer.close()
        self._reader.close()


def start_worker(reader: Connection, writer: Connection, parent_pid: int) -> None:
    """Make this process a worker that ends with its parent (the pool's initializer)."""
    # A worker started by fork has a copy of the write end: close it, or the lifeline could
    # never be seen to close. (A worker started by spawn was sent one; close that too.)
    writer.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in STOP_SIGNALS:
        if signum != signal.SIGINT:
            signal.signal(signum, _on_stop_signal)
    if os.getppid() == parent_pid:
        _ask_kernel_for_sigterm_when_parent_dies()
    watcher = threading.Thread(target=_watch, args=(reader,), name="swletter-lifeline",
                               daemon=True)
    watcher.start()


@contextlib.contextmanager
def worker_task() -> Iterator[None]:
    """Wrap one piece of work: once the worker is told to stop, it ends when the work reaches
    ``stop_point()`` (or a PDF conversion is interrupted), without finishing the rest."""
    global _task_depth
    _task_depth += 1
    try:
        yield
    except (_Stop, KeyboardInterrupt):
        if _stop_requested is None:
            raise
        _end_with(_stop_requested)
    finally:
        _task_depth -= 1


def stop_point() -> None:
    """A safe place to stop, between two letters: ends the work if the worker was told to stop.
    Outside a worker process it does nothing."""
    if _stop_requested is not None and _task_depth:
        raise _Stop


class _Stop(BaseException):
    """Unwinds a worker's task when it is told to stop (never seen outside the worker)."""


_task_depth = 0
_stop_requested: int | None = None


def _on_stop_signal(signum: int, frame: FrameType | None) -> None:
    global _stop_requested
    if not _task_depth:
        _end_with(signum)  # idle: nothing to finish
    if _stop_requested is None:
        _stop_requested = signum


def _end_with(signum: int) -> None:
    """End this process with ``signum``'s usual status."""
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    os._exit(128 + signum)  # where the signal did not end the process at once


def _ask_kernel_for_sigterm_when_parent_dies() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(ctypes.c_int(_PR_SET_PDEATHSIG), ctypes.c_ulong(signal.SIGTERM),
                   ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
    except (OSError, AttributeError):
        pass  # the lifeline still tells the worker


def _watch(reader: Connection) -> None:
    """Wait for the lifeline to close, then stop the worker."""
    if hasattr(signal, "pthread_sigmask"):
        # Stop signals go to the main thread, which acts on them, never to this one.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        while True:
            reader.recv_bytes()  # the parent never writes: this returns only at end of file
    except (EOFError, OSError):
        pass
    if hasattr(signal, "pthread_kill"):
        main = threading.main_thread().ident
        assert main is not None
        signal.pthread_kill(main, signal.SIGTERM)
    else:  # pragma: no cover - Windows
        os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE)
    os._exit(128 + signal.SIGTERM)
