"""Running a charity's templates in a child process, with hard limits no template can get round.

The sandbox (``template_sandbox``) refuses the obvious ways to fill memory or keep the processor
busy, but a template is a small program: loops inside loops, a macro that calls itself twice,
a text doubled forty times. So templates from a user's folder run in a separate process with
an address-space limit and a processor-time limit, set by the operating system, and the parent
stops it when a render takes too long by the clock. A letter that goes over a limit fails with
a message naming the template; the process is ended and reaped, and the next letter starts a
fresh one.

One process serves a whole run (every letter of a ``bulk`` run, every trial of ``templates
check``), started when the first user template is needed: starting Python costs about a fifth
of a second, sending a letter's values there and its text back about a millisecond
(``benchmarks/bench_templates.py``). swletter's own templates never come here: with no
``--templates`` folder nothing is started.

Where the operating system has no such limits (Windows has no ``resource`` module; macOS
ignores the address-space limit), the clock limit and the output limit still apply.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import math
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from letters.errors import LettersError, TemplateError

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

#: The most memory (address space) the process that runs templates may use.
MEMORY_LIMIT_BYTES = 512 * 1024 * 1024
#: The most processor time one template render (with what it includes) may take.
CPU_LIMIT_SECONDS = 2
#: The most time by the clock one render may take before the process is stopped (a busy
#: computer runs the same work more slowly, so this is well above the processor limit).
WALL_LIMIT_SECONDS = 10
#: The longest text one render may produce, in characters (a long letter is about 20,000).
OUTPUT_LIMIT_CHARS = 8_000_000
#: How long the process may take to start on a busy computer.
START_LIMIT_SECONDS = 60
#: The largest reply the process sends: the longest output, each character escaped in JSON.
_REPLY_LIMIT_BYTES = 6 * OUTPUT_LIMIT_CHARS + 65536

_MB = 1024 * 1024


class TemplateLimitError(TemplateError):
    """Raised when a template needs more memory, processor time, clock time or output than any
    letter may: the render was stopped and nothing was written."""


def limit_message(kind: str, where: str) -> str:
    """The message for a template that went over the limit ``kind``, at ``where``."""
    if kind == "cpu":
        what = (f"took more than {CPU_LIMIT_SECONDS} seconds of processor time and was "
                "stopped. Writing a letter takes a fraction of a second: look for a loop "
                "inside a loop, or a macro that calls itself, and simplify it.")
    elif kind == "memory":
        what = (f"needed more than {MEMORY_LIMIT_BYTES // _MB} MB of memory and was stopped. "
                "Look for text that is repeated or doubled in a loop (~, +, replace) and "
                "simplify it.")
    elif kind == "output":
        what = (f"wrote more than {OUTPUT_LIMIT_CHARS // 1_000_000} million characters and was "
                "stopped. A letter is a few pages: look for a loop that prints too much.")
    elif kind == "wall":
        what = (f"did not finish within {WALL_LIMIT_SECONDS} seconds and was stopped. Writing "
                "a letter takes a fraction of a second: look for a loop inside a loop, or a "
                "macro that calls itself, and simplify it.")
    else:
        return (f"{where}: the process that runs templates ended while writing from this "
                "template; it may have needed more memory or time than a letter may. Check the "
                "folder with `swletter templates check`.")
    return f"{where}: the template {what}"


# ---------------------------------------------------------------------------------------------
# The child process

_in_worker = False


def in_worker() -> bool:
    """True inside the process that runs user templates (which renders them itself)."""
    return _in_worker


class _CpuLimit(Exception):
    """Raised in the child when its processor time for a render runs out (SIGPROF, or
    SIGXCPU should the timer fail)."""


def _on_cpu_limit(signum: int, frame: Any) -> None:
    raise _CpuLimit


def _set_limits() -> None:
    """No core files, at most ``MEMORY_LIMIT_BYTES`` of memory, and ``_CpuLimit`` raised when
    a render's processor time runs out."""
    for name in ("SIGPROF", "SIGXCPU"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _on_cpu_limit)
    if resource is None:
        return
    for name, value in (("RLIMIT_CORE", 0), ("RLIMIT_AS", MEMORY_LIMIT_BYTES)):
        limit = getattr(resource, name, None)
        if limit is None:
            continue
        hard = resource.getrlimit(limit)[1]
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):  # a system that does not support this limit (macOS)
            continue


def _arm_cpu_limit() -> None:
    """Let the next render use ``CPU_LIMIT_SECONDS`` of processor time.

    A profiling timer counts it exactly; the system's processor-time limit (whole seconds)
    is set a second beyond, in case the timer is not delivered.
    """
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_PROF, CPU_LIMIT_SECONDS)
    if resource is not None and hasattr(resource, "RLIMIT_CPU"):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = math.ceil(usage.ru_utime + usage.ru_stime + CPU_LIMIT_SECONDS) + 1
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _disarm_cpu_limit() -> None:
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_PROF, 0)
    if resource is not None and hasattr(resource, "RLIMIT_CPU"):
        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))


def _location(err: BaseException, template_dirs: Sequence[str], label: str) -> str:
    from letters.templating.explain import template_location

    return template_location(err.__traceback__, template_dirs) or label


def _run_job(job: tuple[Callable[..., Any], tuple[Any, ...], tuple[str, ...], str, str]
             ) -> tuple[dict[str, Any], bool]:
    """Run one job; its reply, and whether this process must end after sending it."""
    func, args, template_dirs, label, cwd = job
    if cwd:  # folders named relative to where the parent is now
        with contextlib.suppress(OSError):
            os.chdir(cwd)
    try:
        try:
            _arm_cpu_limit()
            return {"ok": func(*args)}, False
        finally:
            _disarm_cpu_limit()
    except _CpuLimit as err:
        return {"limit": "cpu", "where": _location(err, template_dirs, label)}, True
    except MemoryError as err:
        return {"limit": "memory", "where": _location(err, template_dirs, label)}, True
    except LettersError as err:
        return {"error": type(err).__name__, "message": str(err)}, False


def serve() -> None:
    """The child's main loop: run each job, send its reply, until the parent goes away.

    Jobs come in on standard input and replies go out on standard output, each a frame (its
    length, then a pickled job or a JSON reply); both are moved off descriptors 0-2 first, so
    nothing else the process might print can get into them.
    """
    global _in_worker
    _in_worker = True
    jobs, replies = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    # Ctrl-C is the parent's to handle; the child ends when the parent closes the pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from letters.templating import environment as render  # noqa: F401 — what every render needs, loaded before the limits

    _set_limits()
    _write_frame(replies, b'{"ready": true}')
    while True:
        try:
            job = pickle.loads(_read_frame(jobs))
        except (EOFError, OSError):
            return
        try:
            reply, stop = _run_job(job)
            data = json.dumps(reply).encode("ascii")
            if len(data) > _REPLY_LIMIT_BYTES:
                data = json.dumps({"limit": "output", "where": job[3]}).encode("ascii")
        except BaseException:  # a bug in swletter: report it, do not die silently
            data, stop = json.dumps({"bug": traceback.format_exc()}).encode("ascii"), True
        try:
            _write_frame(replies, data)
        except OSError:
            return
        if stop:
            return


# ---------------------------------------------------------------------------------------------
# Frames on a pipe

_HEADER = struct.Struct("!Q")


def _write_frame(fd: int, data: bytes) -> None:
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _wait_readable(fd: int, deadline: float | None) -> None:
    """Return when ``fd`` has something to read (or has closed); TimeoutError at ``deadline``."""
    if deadline is None:
        return
    if sys.platform == "win32":
        import _winapi
        import msvcrt

        handle = msvcrt.get_osfhandle(fd)
        while True:  # anonymous pipes cannot be waited on: look every few milliseconds
            try:
                if _winapi.PeekNamedPipe(handle, 0)[0]:
                    return
            except OSError:  # closed: the read that follows finds the end
                return
            if time.monotonic() >= deadline:
                raise TimeoutError
            time.sleep(0.005)
    if not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
        raise TimeoutError


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    while size:
        _wait_readable(fd, deadline)
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _read_frame(fd: int, deadline: float | None = None, limit: int | None = None) -> bytes:
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    if limit is not None and size > limit:
        raise OverflowError(size)
    return _read_exact(fd, size, deadline)


# ---------------------------------------------------------------------------------------------
# The parent's side

_BOOT = "import sys; sys.path[:] = {path!r}; from letters.templating.worker import serve; serve()"


class _Worker:
    """One child process that runs templates, and the pipes to it."""

    def __init__(self) -> None:
        # A fresh interpreter, isolated (-I: no current folder or PYTHON* settings on its
        # path), finding swletter where this process found it.
        path = [p or os.getcwd() for p in sys.path]
        flags = ["-I"] + (["-B"] if sys.flags.dont_write_bytecode else []) \
            + (["-X", "utf8"] if sys.flags.utf8_mode else [])
        self.owner = os.getpid()
        self.stopped = False
        try:
            self.process = subprocess.Popen(
                [sys.executable, *flags, "-c", _BOOT.format(path=path)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        except OSError as err:
            self.stopped = True
            raise TemplateError("cannot start the process that runs templates: "
                                f"{err.strerror or err}.") from err
        assert self.process.stdin is not None and self.process.stdout is not None
        self.jobs, self.replies = self.process.stdin.fileno(), self.process.stdout.fileno()
        try:
            _read_frame(self.replies, time.monotonic() + START_LIMIT_SECONDS, 64)
        except TimeoutError as err:
            self.stop()
            raise TemplateError("the process that runs templates did not start within "
                                f"{START_LIMIT_SECONDS} seconds. Try again when the computer "
                                "is less busy.") from err
        except (EOFError, OSError, OverflowError) as err:
            self.stop()
            raise TemplateError("the process that runs templates could not start.") from err

    def call(self, func: Callable[..., Any], args: tuple[Any, ...],
             template_dirs: tuple[str, ...], label: str) -> Any:
        """Run ``func(*args)`` in the child; its JSON result, or the error it raised."""
        try:
            cwd = os.getcwd()
        except OSError:  # the working folder was deleted: only absolute folders can work
            cwd = ""
        job = (func, args, template_dirs, label, cwd)
        _write_frame(self.jobs, pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
        try:
            data = _read_frame(self.replies, time.monotonic() + WALL_LIMIT_SECONDS,
                               _REPLY_LIMIT_BYTES)
        except TimeoutError as err:
            self.stop()
            raise TemplateLimitError(limit_message("wall", label)) from err
        except (EOFError, OSError, OverflowError) as err:  # it died, or sent too much
            self.stop()
            raise TemplateLimitError(limit_message("crash", label)) from err
        reply = json.loads(data)
        if "ok" in reply:
            return reply["ok"]
        if "error" in reply:
            cls = TemplateLimitError if reply["error"] == TemplateLimitError.__name__ \
                else TemplateError
            raise cls(reply["message"])
        self.stop()
        if "limit" in reply:
            raise TemplateLimitError(limit_message(reply["limit"], reply["where"]))
        raise RuntimeError("the process that runs templates failed:\n" + reply["bug"])

    def alive(self) -> bool:
        return not self.stopped and self.process.poll() is None

    def stop(self) -> None:
        """End the child (at once if it is busy) and reap it: no process is left behind."""
        if self.stopped:
            return
        self.stopped = True
        self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


_worker: _Worker | None = None
_lock = threading.Lock()


def run_limited(func: Callable[..., Any], *args: Any, template_dirs: Sequence[str] = (),
                label: str) -> Any:
    """``func(*args)`` in the process that runs templates, within the limits above.

    ``func`` must be a module-level function (it is sent by name), its arguments picklable and
    its result JSON. ``label`` names the template for messages when the failure cannot be
    placed more precisely. Raises ``TemplateLimitError`` when a limit is reached, and the
    ``TemplateError`` the function raised.
    """
    global _worker
    with _lock:
        if _worker is not None and (_worker.owner != os.getpid() or not _worker.alive()):
            _forget_worker(reap=_worker.owner == os.getpid())
        if _worker is None:
            _worker = _Worker()
        worker = _worker
        try:
            try:
                return worker.call(func, args, tuple(template_dirs), label)
            except BrokenPipeError:  # it ended between two renders: once more with a new one
                worker.stop()
                _worker = worker = _Worker()
                return worker.call(func, args, tuple(template_dirs), label)
        except TemplateError:
            if worker.stopped:  # a limit: the next render starts a fresh process
                _worker = None
            raise
        except BaseException:
            # Interrupted (Ctrl-C) with a reply perhaps on its way, or the pipe broke.
            worker.stop()
            _worker = None
            raise


def _forget_worker(*, reap: bool) -> None:
    global _worker
    worker, _worker = _worker, None
    if worker is None:
        return
    if reap:
        worker.stop()
    else:  # inherited by fork: the process belongs to the parent; only drop our copies
        for pipe in (worker.process.stdin, worker.process.stdout):
            if pipe is not None:
                pipe.close()


def _stop_worker() -> None:
    if _worker is not None and _worker.owner == os.getpid():
        _forget_worker(reap=True)


def _after_fork_in_child() -> None:
    global _lock
    _lock = threading.Lock()
    _forget_worker(reap=False)


atexit.register(_stop_worker)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
