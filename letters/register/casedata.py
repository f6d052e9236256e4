"""A case kept in the register: what each letter was written from, so that a follow-up can be
written later from the register alone (``swletter followup --register REG --overdue``).

The case is kept as the plain data of a case file (JSON), after validation and the settings'
defaults, and read back through the same validation as any case file. It is personal data —
names, addresses, what happened — like the letters themselves; the register is owner-only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from letters.case.model import Case
from letters.case.schema import CASE_FIELDS
from letters.case.validate import case_from_data
from letters.errors import CaseError, RegisterError

#: Case-file fields that are kept (others on ``Case`` are where it came from, not what it says).
_KEPT = frozenset(f.name for f in CASE_FIELDS) | {"grounds"}


def case_to_data(case: Case) -> dict[str, Any]:
    """``case`` as the plain data of a case file (JSON-ready: dates as 2026-11-23)."""
    out = {}
    for f in dataclasses.fields(case):
        if f.name in _KEPT:
            value = _plain(getattr(case, f.name))
            if value not in (None, [], {}):
                out[f.name] = value
    return out


def case_json(case: Case) -> str:
    return json.dumps(case_to_data(case), ensure_ascii=False, sort_keys=True)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: v for f in dataclasses.fields(value)
                if (v := _plain(getattr(value, f.name))) not in (None, [], {})}
    if isinstance(value, dict):
        return {str(k): v for k, item in value.items() if (v := _plain(item)) is not None}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def case_from_json(text: str | None, *, register: str, letter_id: int) -> Case:
    """The case kept with letter ``letter_id``; ``RegisterError`` when there is none (a letter
    recorded by an earlier swletter) or it no longer reads as a case."""
    if not text:
        raise RegisterError(
            f"the register {register} has no case kept with letter {letter_id}: it was recorded "
            "by an earlier swletter. Write its follow-up from the case file: swletter followup "
            "CASE --kind chaser --register " + register)
    try:
        data = json.loads(text)
        return case_from_data(data, source=f"{register}, letter {letter_id}")
    except (ValueError, CaseError) as err:
        raise RegisterError(
            f"the register {register} has a damaged record: the case kept with letter "
            f"{letter_id} cannot be read. Write its follow-up from the case file.") from err
