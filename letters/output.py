"""Writing files so that nothing is lost: atomically, owner-only, never over an existing file
unless asked to, and never over anything but an ordinary file.

A letter is written to a temporary file in the same folder, flushed to disk, and then moved into
place in one step, so a full disk or a killed process leaves either the whole letter or nothing.
A device, named pipe, socket, folder or symbolic link where the letter would go is never
replaced, ``--force`` or not (``render -o /dev/null --force`` run as root once replaced the
device with a file), and neither is the file a letter is made from. Folders swletter creates
are owner-only, whatever the umask.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from letters.errors import OutputError
from letters.files import describe_kind

#: Letters hold sensitive facts about children: only their owner may read them.
FILE_MODE = 0o600
#: Folders swletter creates (for letters, examples, templates, its cache): owner-only too.
FOLDER_MODE = 0o700

#: How much of a target's file name the temporary file beside it repeats (names may be up to
#: 255 bytes; the temporary file adds a dot, eight random characters and ".tmp").
_TEMPORARY_STEM = 100


def temporary_prefix(name: str) -> str:
    """How the name of the temporary file a letter called ``name`` is written to begins
    (``.NAME.``, the name cut short so the temporary file's own name is never too long)."""
    return f".{name[:_TEMPORARY_STEM]}."


def shown_path(path: str | os.PathLike[str], limit: int = 80) -> str:
    """A path for a message, shortened in the middle when it is very long."""
    text = os.fspath(path)
    if len(text) <= limit:
        return text
    return f"{text[: limit // 2]}…{text[-(limit // 2):]}"


def _cannot_use(target: Path, err: OSError) -> OutputError:
    if err.errno == errno.ENAMETOOLONG:
        return OutputError(f"cannot write {shown_path(target)}: the name is too long for the "
                           "file system (a file name may have at most 255 bytes). Choose a "
                           "shorter name with -o.")
    return OutputError(f"cannot write {shown_path(target)}: {err.strerror or err}.")


def check_target(path: str | os.PathLike[str], *, force: bool = False,
                 protect: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """``path`` as a ``Path`` if a file may be written there, else ``OutputError``.

    Only an ordinary file is ever replaced, and only with ``force``; never one of ``protect``
    (the case file a letter is made from). ``write_atomic`` checks this itself; callers that
    make slow output (a PDF takes seconds) call it first, so the user hears about an existing
    file before waiting for nothing.
    """
    target = Path(path)
    try:
        info: os.stat_result | None = target.lstat()
    except (FileNotFoundError, NotADirectoryError):
        info = None  # nothing there yet (or no folder: said below)
    except OSError as err:
        raise _cannot_use(target, err) from None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(
                f"{shown_path(target)} is {describe_kind(info.st_mode)}, not a file: swletter "
                "only ever writes over an ordinary file, --force or not. Choose another name."
            )
        for source in protect:
            with contextlib.suppress(OSError):
                if os.path.samefile(target, source):
                    raise OutputError(
                        f"{shown_path(target)} is the case file the letter is made from; "
                        "writing the letter there would destroy it. Choose another name with -o."
                    )
        if not force:
            raise OutputError(f"{shown_path(target)} already exists. Use --force to replace it, "
                              "or choose another name with -o.")
    folder = target.parent
    try:
        folder_info = folder.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise OutputError(f"the folder {shown_path(folder)} does not exist. Create it first, "
                          "or use -o.") from None
    except OSError as err:
        raise OutputError(f"cannot use the folder {shown_path(folder)}: "
                          f"{err.strerror or err}.") from None
    if not stat.S_ISDIR(folder_info.st_mode):
        raise OutputError(f"{shown_path(folder)} is {describe_kind(folder_info.st_mode)}, not a "
                          "folder, so nothing can be written inside it. Choose another name.")
    return target


def write_atomic(path: str | os.PathLike[str], data: bytes, *, force: bool = False,
                 durable: bool = True, protect: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Write ``data`` to ``path`` atomically with owner-only permissions.

    Without ``force`` an existing file is never replaced (``OutputError``); with it, only an
    ordinary file that is not one of ``protect`` is. On any failure the temporary file is
    removed, so no partial file is left behind. ``durable=False`` skips the flush to disk for
    callers that flush many files at once (``swletter bulk`` syncs per batch and checks that
    letters from an interrupted run are whole).
    """
    protect = tuple(protect)
    target = check_target(path, force=force, protect=protect)
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=temporary_prefix(target.name),
                                   suffix=".tmp")
    except OSError as err:
        raise OutputError(f"cannot write in {shown_path(folder)}: {err.strerror}.") from err
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        if force:
            # Looked at again just before: something other than a file may have appeared
            # there while the letter was being written.
            check_target(target, force=True, protect=protect)
            os.replace(tmp, target)
        else:
            # link() refuses to replace an existing file, so a file that appeared meanwhile
            # (another process) is not overwritten either.
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise OutputError(
                    f"{shown_path(target)} already exists. Use --force to replace it."
                ) from None
            except OSError:
                # Some file systems have no hard links; fall back to a checked rename.
                if os.path.lexists(target):
                    raise OutputError(
                        f"{shown_path(target)} already exists. Use --force to replace it."
                    ) from None
                os.replace(tmp, target)
    except OSError as err:
        raise OutputError(f"could not write {shown_path(target)}: "
                          f"{err.strerror or err}.") from err
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return target


def make_folder(path: str | os.PathLike[str]) -> Path:
    """Create the folder ``path`` and any missing folders above it, each owner-only (0700)
    whatever the umask; folders that already exist are left as they are.

    Raises ``OSError`` (callers say what the folder was for) when that is impossible, and
    ``NotADirectoryError`` when something other than a folder is in the way.
    """
    folder = Path(path)
    missing = []
    here = folder
    while not os.path.lexists(here):
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    for step in reversed(missing):
        try:
            os.mkdir(step, FOLDER_MODE)
        except FileExistsError:
            continue  # made meanwhile by another process; checked below
        # mkdir's mode passes through the umask: set it exactly (a umask can only take away,
        # so the folder was never more open than this).
        os.chmod(step, FOLDER_MODE)
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    return folder
