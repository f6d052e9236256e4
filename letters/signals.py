"""Stopping cleanly when swletter is told to stop: by ``kill`` (SIGTERM), by a closed terminal
(SIGHUP) or by Ctrl-C (SIGINT).

Python's default for SIGTERM and SIGHUP is to end the process where it stands: no ``finally``
clause runs, so a LibreOffice started in a session of its own runs on and the private folder
holding the letter stays in the temporary folder. Inside ``with StopSignals() as stop:`` a stop
signal is noted instead, and takes effect where the code says it safely can:

- inside ``stop.interruptible()`` (waiting for a child program) it raises ``Interrupted``, a
  ``KeyboardInterrupt``, so the block's cleanup runs as it does for Ctrl-C;
- anywhere else it waits for the next ``interruptible()`` or the end of the block, so cleanup code
  is never cut short half-way;
- with ``interrupt_anywhere=True`` it raises wherever the block is, as Ctrl-C does, until
  ``stop.hold()`` (a batch that reports what it did before it exits).

On leaving the block the handlers are put back as they were and the signal is delivered again to
whatever handled it before: by default SIGTERM and SIGHUP then end the process with their usual
status (143 and 129 in a shell), and Ctrl-C is a ``KeyboardInterrupt`` as ever. A signal that was
ignored (``nohup``) stays ignored. ``redeliver=False`` leaves acting on ``stop.received`` to the
caller.

The handlers are installed only while the block runs, and only in the main thread (the only one
Python lets set them); elsewhere the block runs unguarded.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

#: The signals that ask a program to stop, as this platform has them.
STOP_SIGNALS: tuple[int, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)


class Interrupted(KeyboardInterrupt):
    """Raised inside a ``StopSignals`` block when a stop signal arrives; ``signum`` says which.

    A ``KeyboardInterrupt``, so code that already cleans up after Ctrl-C cleans up after a
    ``kill`` or a closed terminal too.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def signal_name(signum: int) -> str:
    """``SIGTERM`` for 15, and so on."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


_Handler = Callable[[int, FrameType | None], Any] | int | None


class StopSignals:
    """While the ``with`` block runs, stop signals are noted and take effect safely (see the
    module). Only the first is acted on; later ones are ignored, so cleanup is not cut short."""

    def __init__(self, *, redeliver: bool = True, interrupt_anywhere: bool = False) -> None:
        self.received: int | None = None
        self._redeliver = redeliver
        self._anywhere = interrupt_anywhere
        self._waiting = 0  # depth of interruptible() blocks
        self._raised = False
        self._previous: dict[int, _Handler] = {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is not threading.main_thread():
            return self
        for signum in STOP_SIGNALS:
            current = signal.getsignal(signum)
            if current is signal.SIG_IGN or current is None:
                continue  # ignored on purpose (nohup), or set outside Python: leave it alone
            self._previous[signum] = current
            signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()
        if self.received is not None and self._redeliver:
            # The previous handler decides now: the default ends the process with the signal's
            # usual status; Python's Ctrl-C handler raises KeyboardInterrupt. A handler that
            # returns leaves the block's own outcome (its exception, if any) to stand.
            signal.raise_signal(self.received)

    @contextlib.contextmanager
    def interruptible(self) -> Iterator[None]:
        """A stop signal raises ``Interrupted`` in this block (at once, if one came before)."""
        self._raise_if_stopped()
        self._waiting += 1
        try:
            yield
        finally:
            self._waiting -= 1

    def hold(self) -> None:
        """From now to the end of the block, a stop signal is only noted."""
        self._anywhere = False

    def _raise_if_stopped(self) -> None:
        if self.received is not None and not self._raised:
            self._raised = True
            raise Interrupted(self.received)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is not None:
            return  # already stopping: let the cleanup finish
        self.received = signum
        if self._anywhere or self._waiting:
            self._raise_if_stopped()
