"""Reading a file a user named: an ordinary file only, and never more than a limit.

Every input file a user names (a case file, a spreadsheet, ``swletter.toml``) is read through
``read_regular_file``. A named pipe would make a plain ``open`` wait for a writer that never
comes; ``/dev/zero`` or ``/dev/urandom`` report a size of 0 and never end; a file can grow
while it is read. So the file is opened without waiting, must be a regular file, and is read
only up to its limit whatever size it reports.
"""

from __future__ import annotations

import os
import stat


class FileReadError(Exception):
    """A user-named file that cannot be read. ``reason`` says why in swletter's words, as the
    end of a sentence about the file; callers wrap it in their own kind of ``LettersError``.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FileMissingError(FileReadError):
    """Nothing exists at the path."""

    def __init__(self) -> None:
        super().__init__("the file does not exist.")


class NotAFileError(FileReadError):
    """The path is a folder, a named pipe, a device or a socket; ``kind`` says which."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"this is {kind}, not a file." if kind == "a folder" else
                         f"this is {kind}, not an ordinary file; swletter reads only ordinary "
                         "files.")
        self.kind = kind


class FileTooLargeError(FileReadError):
    """The file holds more than the limit. ``size`` is its size where known (what it reports,
    or how much was read before the limit was passed), else None."""

    def __init__(self, size: int | None, limit: int) -> None:
        super().__init__(f"the file is larger than {limit:,} bytes.")
        self.size = size
        self.limit = limit


def describe_kind(mode: int) -> str:
    """What is at a path, in words, from its ``st_mode``: "a folder", "a device" …"""
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "something other than a file"


def read_regular_file(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at ``path``, which must hold at most ``limit`` of them.

    ``FileTooLargeError`` when it holds more, ``FileMissingError`` when it does not exist,
    ``NotAFileError`` when it is a folder, FIFO, device or socket, and ``FileReadError`` when
    it cannot be read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileMissingError() from None
    except IsADirectoryError:
        raise NotAFileError("a folder") from None
    except OSError as err:
        raise FileReadError(_cannot_read(err)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFileError(describe_kind(info.st_mode))
        if info.st_size > limit:
            raise FileTooLargeError(info.st_size, limit)
        # The size a file reports is not trusted: read one byte past the limit to be sure.
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(limit + 1 - total, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileTooLargeError(None, limit)
        return b"".join(chunks)
    except FileReadError:
        raise
    except OSError as err:
        raise FileReadError(_cannot_read(err)) from None
    finally:
        os.close(fd)


def _cannot_read(err: OSError) -> str:
    return f"the file cannot be read ({err.strerror or 'the system gave no reason'})."

