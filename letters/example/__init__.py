"""The example case shipped with swletter, written out for a new user to start from."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from letters.errors import OutputError
from letters.output import make_folder, write_atomic

_FILES = ("case.yaml", "evidence/2026-04-03-email.txt")


def write_example(folder: str | os.PathLike[str], *, force: bool = False) -> list[Path]:
    """Write the full example case and its evidence into ``folder``; returns the files written.

    Nothing is written if any of the files already exists (unless ``force``).
    """
    root = Path(folder)
    targets = [root / name for name in _FILES]
    existing = [str(t) for t in targets if os.path.lexists(t)]
    if existing and not force:
        raise OutputError(f"{', '.join(existing)} already exists. Use --force to replace it, "
                          "or choose another folder.")
    source = resources.files("letters.example")
    written = []
    for name, target in zip(_FILES, targets, strict=True):
        try:
            make_folder(target.parent)
        except OSError as err:
            raise OutputError(f"cannot create {target.parent}: {err.strerror}.") from err
        data = source.joinpath(name).read_bytes()
        written.append(write_atomic(target, data, force=force))
    return written
