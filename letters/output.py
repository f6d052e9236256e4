"""Writing files so that nothing is lost: atomically, owner-only, never over an existing file
unless asked to.

A letter is written to a temporary file in the same folder, flushed to disk, and then moved into
place in one step, so a full disk or a killed process leaves either the whole letter or nothing.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError

#: Letters hold sensitive facts about children: only their owner may read them.
FILE_MODE = 0o600


def check_target(path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """``path`` as a ``Path`` if a file may be written there, else ``OutputError``.

    ``write_atomic`` checks this itself; callers that make slow output (a PDF takes seconds)
    call it first, so the user hears about an existing file before waiting for nothing.
    """
    target = Path(path)
    if not force and target.exists():
        raise OutputError(
            f"{target} already exists. Use --force to replace it, or choose another name with -o."
        )
    if not target.parent.is_dir():
        raise OutputError(
            f"the folder {target.parent} does not exist. Create it first, or use -o."
        )
    return target


def write_atomic(path: str | os.PathLike[str], data: bytes, *, force: bool = False,
                 durable: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically with owner-only permissions.

    Without ``force`` an existing file is never replaced (``OutputError``). On any failure the
    temporary file is removed, so no partial file is left behind. ``durable=False`` skips the
    flush to disk for callers that flush many files at once (``swletter bulk`` syncs per batch
    and checks that letters from an interrupted run are whole).
    """
    target = check_target(path, force=force)
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as err:
        raise OutputError(f"cannot write in {folder}: {err.strerror}.") from err
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        if force:
            os.replace(tmp, target)
        else:
            # link() refuses to replace an existing file, so a file that appeared meanwhile
            # (another process) is not overwritten either.
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise OutputError(
                    f"{target} already exists. Use --force to replace it."
                ) from None
            except OSError:
                # Some file systems have no hard links; fall back to a checked rename.
                if target.exists():
                    raise OutputError(
                        f"{target} already exists. Use --force to replace it."
                    ) from None
                os.replace(tmp, target)
    except OSError as err:
        raise OutputError(f"could not write {target}: {err.strerror or err}.") from err
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return target
