"""Reading a case file into answers to edit, and saving answers as a commented case file.

The answers are a case file's data, unchecked (an unfinished case is fine), but held to the
shape of a case file (``shape_problems``), so that the interview can walk them whatever the
file held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any

from letters.case.writing import case_to_yaml
from letters.errors import CaseError, Problem
from letters.output import write_atomic


def load_answers(path: str | Path) -> dict[str, Any]:
    """An existing case file's data, unchecked, to edit with ``--from`` (even if unfinished)."""
    from letters.case.validate import read_case_text

    return _answers(read_case_text(Path(path)), str(path))


def answers_from_bytes(raw: bytes, name: str) -> dict[str, Any]:
    """An uploaded case file's data (its bytes, and the name it had), unchecked, to edit. Held
    to the limits of a case file on disk; ``CaseError`` says what is wrong, naming ``name``."""
    from letters.case.reading import MAX_CASE_BYTES, case_text

    if len(raw) > MAX_CASE_BYTES:
        raise CaseError([Problem(f"the file is {len(raw):,} bytes; a case file may be at most "
                                 f"{MAX_CASE_BYTES:,} bytes (2 MiB). Is this the right file?")],
                        name)
    return _answers(case_text(raw, name), name)


def _answers(text: str, name: str) -> dict[str, Any]:
    from letters.case.reading import find_lines, is_json, locate, parse_case_text
    from letters.case.validate import shape_problems

    as_json = is_json(Path(PurePath(name).name), text)
    data = parse_case_text(text, name, as_json=as_json)
    problems = shape_problems(data)
    if problems:
        lines = {} if as_json else find_lines(text, (p.parts for p in problems))
        raise CaseError([locate(p, lines).located(file=name) for p in problems], name)
    assert isinstance(data, dict)
    return data


def answers_from_upload(raw: bytes, name: str) -> dict[str, Any]:
    """``answers_from_bytes`` for a web upload, which is also held to ``MAX_ITEMS`` items in a
    list, so that no file makes a page of the form slow for everyone."""
    from letters.interview.engine import MAX_ITEMS, longest_list

    data = answers_from_bytes(raw, name)
    if longest_list(data) > MAX_ITEMS:
        raise CaseError([Problem(
            f"a list in this file holds more than {MAX_ITEMS} items, more than the web form "
            "takes. Edit a case this large in a text editor, and write its letter with "
            "swletter render.")], name)
    return data


def answers_to_yaml(data: Mapping[str, Any], *, finished: bool,
                    today: dt.date | None = None, source: str = "case.yaml") -> str:
    """The answers as a commented YAML case file (``incomplete: true`` when not finished), as
    ``save_answers`` writes it: what the web form's "save your answers" gives."""
    return case_to_yaml(dict(data), incomplete=not finished, source=source,
                        today=today or dt.date.today())


def save_answers(data: Mapping[str, Any], path: str | Path, *, finished: bool,
                 force: bool = False, today: dt.date | None = None) -> Path:
    """Write the answers as a commented YAML case file, atomically and owner-only.

    An unfinished interview is saved with ``incomplete: true``, which ``load_case`` reports
    (pointing to ``swletter new --from``) until the questions have been answered.
    """
    text = answers_to_yaml(data, finished=finished, source=str(path), today=today)
    return write_atomic(path, text.encode("utf-8"), force=force)
