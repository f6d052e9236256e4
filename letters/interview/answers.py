"""Answers as people type them, and stored values shown back as they would type them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from letters.dates import long_date


def answer_text(value: Any, kind: str, *, date_text: Callable[[dt.date], str] = long_date,
                yes_no: tuple[str, str] = ("yes", "no")) -> str:
    """A stored value as the person would type it (to offer as the default, or to show), in
    the interview's language: ``date_text`` writes a date, ``yes_no`` are its words for
    true and false."""
    if value is None or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, dt.date):
        return date_text(value)
    if kind == "date" and isinstance(value, str):
        try:
            return date_text(dt.date.fromisoformat(value.strip()))
        except ValueError:
            return value
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def numbers_in(text: str) -> list[str] | None:
    """``"1, 3"`` / ``"1 3"`` / ``"1 and 3"`` → ``["1", "3"]``; None if something else is there."""
    parts = [p for p in re.split(r"[\s,;&]+|\band\b", text.strip().lower()) if p]
    return parts if parts and all(p.isdigit() for p in parts) else None
