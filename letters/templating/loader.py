"""Reading a charity's templates folder: ordinary files inside it, and nothing else.

A templates folder (``--templates DIR`` or ``templates =`` in swletter.toml) comes from someone
else, so it is untrusted. Jinja2's own ``FileSystemLoader`` follows symbolic links and opens
whatever it finds: a ``leak.md.j2`` that links to a private file would print that file into a
letter, and a named pipe would stop the program waiting for a writer. ``FolderLoader`` reads a
template only when every part of its path inside the folder is a real folder or an ordinary
file: never a symbolic link, named pipe, device or socket, and never more than
``MAX_TEMPLATE_BYTES``. The folder itself is the one the user named and may be reached through
a link of theirs; what is inside it may not.

Every command that uses templates (render, bulk, followup, statement, templates check) loads
them through this one loader.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Sequence

import jinja2
from jinja2.loaders import split_template_path

from letters.errors import TemplateError

#: The largest template file read. swletter's own are a few kilobytes; a letter's wording is
#: a few pages at most.
MAX_TEMPLATE_BYTES = 1024 * 1024

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a named pipe must not wait for a writer
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_WITH_DIR_FD = os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd


class TemplateFileError(TemplateError):
    """Raised when a file in a templates folder is not one swletter will read as a template:
    a symbolic link, a named pipe, a device, a socket, an oversized or a non-UTF-8 file."""

    def __init__(self, path: str, what: str, line: int | None = None) -> None:
        self.path, self.what, self.line = path, what, line
        super().__init__(f"{path}{'' if line is None else f', line {line}'}: {what}")


def unusable_entry(info: os.stat_result, *, template: bool = True) -> str | None:
    """Why an entry of a templates folder (as ``lstat`` describes it) can never be read as a
    template, or None for an ordinary file or folder."""
    mode = info.st_mode
    if stat.S_ISREG(mode) or (stat.S_ISDIR(mode) and not template):
        return None
    return _why(mode, folder_expected=not template)


def _refusal(path: str, info: os.stat_result, *, folder_expected: bool) -> TemplateFileError:
    return TemplateFileError(path, _why(info.st_mode, folder_expected=folder_expected))


def _why(mode: int, *, folder_expected: bool) -> str:
    if stat.S_ISLNK(mode):
        what = ("a symbolic link (a shortcut to a file or folder elsewhere). Templates are "
                "read only from ordinary files inside the templates folder, so that a template "
                "cannot show the contents of other files. Put a copy of the file (or folder) "
                "itself here, or delete the link.")
    elif stat.S_ISDIR(mode) and not folder_expected:
        what = "a folder, not a template file. Rename or remove it."
    else:
        what = ("not an ordinary file (it is a named pipe, a device or a socket). Templates "
                "are read only from ordinary files: replace it with the template's text, or "
                "delete it.")
    return f"this is {what}"


def _kind_ok(info: os.stat_result, *, last: bool) -> bool:
    return stat.S_ISREG(info.st_mode) if last else stat.S_ISDIR(info.st_mode)


def _read_capped(fd: int, path: str) -> bytes:
    """Up to ``MAX_TEMPLATE_BYTES`` from ``fd``, trusting no size the file reports."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = os.read(fd, min(65536, MAX_TEMPLATE_BYTES + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_TEMPLATE_BYTES:
            raise TemplateFileError(
                path, f"this template is larger than {MAX_TEMPLATE_BYTES // 1024} KiB. A "
                "letter's wording is a few pages at most: check that this is the right file.")


def read_template_bytes(folder: str, pieces: Sequence[str]) -> bytes | None:
    """The bytes of the template ``folder/<pieces>``, or None when there is no such file.

    Raises ``TemplateFileError`` when the path exists but is not an ordinary file reached
    through real folders inside ``folder``, or cannot be read.
    """
    where = [folder]  # the path reached so far, for the message should reading fail
    try:
        if _WITH_DIR_FD:
            return _read_by_dir_fd(folder, pieces, where)
        return _read_by_path(folder, pieces, where)
    except TemplateFileError:
        raise
    except OSError as err:
        raise TemplateFileError(where[0], f"this cannot be read ({err.strerror or err}). Check "
                                "that it is yours to read, or copy it again.") from err


_MISSING = (errno.ENOENT, errno.ENOTDIR)
# What opening a link with O_NOFOLLOW gives (Linux, macOS; FreeBSD), or a socket.
_REPLACED = (errno.ELOOP, errno.EMLINK, errno.ENOTDIR, errno.ENXIO, errno.EOPNOTSUPP)


def _read_by_dir_fd(folder: str, pieces: Sequence[str], where: list[str]) -> bytes | None:
    # Each step opens one name relative to the folder opened before it, refusing links
    # (O_NOFOLLOW), so nothing can be swapped for a link between the check and the open.
    try:
        fd = os.open(folder, os.O_RDONLY | _DIRECTORY | _NONBLOCK | _CLOEXEC)
    except OSError as err:
        if err.errno in _MISSING:
            return None  # no such folder: swletter's own templates are used
        raise
    try:
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            where[0] = os.path.join(where[0], piece)
            try:
                info = os.stat(piece, dir_fd=fd, follow_symlinks=False)
            except OSError as err:
                if err.errno in _MISSING:
                    return None
                raise
            if not last and stat.S_ISREG(info.st_mode):
                return None  # "letter.md.j2/x": there is no such template
            if not _kind_ok(info, last=last):
                raise _refusal(where[0], info, folder_expected=not last)
            flags = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC | (0 if last else _DIRECTORY)
            try:
                next_fd = os.open(piece, flags, dir_fd=fd)
            except OSError as err:
                if err.errno in _MISSING + _REPLACED:  # changed since it was looked at
                    _refuse_if_replaced(fd, piece, where[0], last, err)
                    return None
                raise
            os.close(fd)
            fd = next_fd
            opened = os.fstat(fd)
            if not _kind_ok(opened, last=last) or (opened.st_dev, opened.st_ino) != \
                    (info.st_dev, info.st_ino):
                raise _refusal(where[0], opened, folder_expected=not last)
        return _read_capped(fd, where[0]) if pieces else None
    finally:
        os.close(fd)


def _refuse_if_replaced(fd: int, piece: str, path: str, last: bool, err: OSError) -> None:
    """A name that could not be opened as it was a moment before: refused if it is now a link
    or something else, as it would have been; nothing if it is gone."""
    try:
        info = os.stat(piece, dir_fd=fd, follow_symlinks=False)
    except OSError:
        return
    if _kind_ok(info, last=last):
        raise err
    raise _refusal(path, info, folder_expected=not last) from err


def _read_by_path(folder: str, pieces: Sequence[str], where: list[str]) -> bytes | None:
    """The same checks where ``open`` cannot work relative to a folder (Windows)."""
    info = None
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        where[0] = os.path.join(where[0], piece)
        try:
            info = os.lstat(where[0])
        except OSError as err:
            if err.errno in _MISSING:
                return None
            raise
        if not last and stat.S_ISREG(info.st_mode):
            return None
        if not _kind_ok(info, last=last):
            raise _refusal(where[0], info, folder_expected=not last)
    if info is None:
        return None
    fd = os.open(where[0], os.O_RDONLY | _BINARY | _NOFOLLOW | _NONBLOCK)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != \
                (info.st_dev, info.st_ino):
            raise _refusal(where[0], opened, folder_expected=False)
        return _read_capped(fd, where[0])
    finally:
        os.close(fd)


def decode_template(data: bytes, path: str) -> str:
    """A template's text, or an error naming the file when it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise TemplateFileError(path, "the file is not UTF-8 text. Save it again as UTF-8.",
                                line) from err


class FolderLoader(jinja2.BaseLoader):
    """Templates from a user's folder, read as ``read_template_bytes`` allows.

    A name the folder does not hold is ``TemplateNotFound``, so a ``ChoiceLoader`` falls back
    to swletter's own template; a name it holds as anything but an ordinary file is an error,
    never a fallback, so that a folder cannot quietly lose a template the user meant to use.
    """

    def __init__(self, folder: str) -> None:
        self.folder = os.fspath(folder)
        self._sources: dict[str, str] = {}

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool] | None]:
        pieces = split_template_path(template)
        data = read_template_bytes(self.folder, pieces)
        if data is None:
            raise jinja2.TemplateNotFound(template)
        filename = os.path.join(self.folder, *pieces)
        source = decode_template(data, filename)
        self._sources[filename] = source
        # Templates are not reloaded within a run (auto_reload is off): no up-to-date check.
        return source, filename, None

    def source_of(self, filename: str) -> str | None:
        """The text of a template this loader read, by its file name (for error messages,
        which must not open the file a second time)."""
        return self._sources.get(filename)
