"""Answers as people type them, and stored values shown back as they would type them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from letters.dates import long_date


def answer_text(value: Any, kind: str) -> str:
    """A stored value as the person would type it (to offer as the default, or to show)."""
    if value is None or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return long_date(value)
    if kind == "date" and isinstance(value, str):
        try:
            return long_date(dt.date.fromisoformat(value.strip()))
        except ValueError:
            return value
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def numbers_in(text: str) -> list[str] | None:
    """``"1, 3"`` / ``"1 3"`` / ``"1 and 3"`` → ``["1", "3"]``; None if something else is there."""
    parts = [p for p in re.split(r"[\s,;&]+|\band\b", text.strip().lower()) if p]
    return parts if parts and all(p.isdigit() for p in parts) else None
