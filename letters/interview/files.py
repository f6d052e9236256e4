"""Reading a case file into answers to edit, and saving answers as a commented case file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from letters.case.writing import case_to_yaml
from letters.errors import CaseError, Problem
from letters.output import write_atomic


def load_answers(path: str | Path) -> dict[str, Any]:
    """An existing case file's data, unchecked, to edit with ``--from`` (even if unfinished)."""
    from letters.case.validate import parse_case_text, read_case_text

    p = Path(path)
    text = read_case_text(p)
    as_json = p.suffix.lower() == ".json" or text.lstrip().startswith("{")
    data = parse_case_text(text, str(path), as_json=as_json)
    if not isinstance(data, dict):
        raise CaseError([Problem("a case file is a set of fields such as sender: and children:.",
                                 example="sender: {name: Jane Doe}")], str(path))
    return data


def save_answers(data: Mapping[str, Any], path: str | Path, *, finished: bool,
                 force: bool = False, today: dt.date | None = None) -> Path:
    """Write the answers as a commented YAML case file, atomically and owner-only.

    An unfinished interview is saved with ``incomplete: true``, which ``load_case`` reports
    (pointing to ``swletter new --from``) until the questions have been answered.
    """
    text = case_to_yaml(dict(data), incomplete=not finished, source=str(path),
                        today=today or dt.date.today())
    return write_atomic(path, text.encode("utf-8"), force=force)
