"""Dates as a UK letter writes them, and reply-by dates in working days."""

from __future__ import annotations

import datetime as dt
import functools

# Month names spelt out here so the output never depends on the machine's locale.
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

#: The ``holidays`` package's code for each part of the UK.
_SUBDIVISIONS = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern-ireland": "NIR"}


def long_date(day: dt.date) -> str:
    """``2026-11-23`` → ``23 November 2026``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@functools.cache
def bank_holidays(jurisdiction: str, year: int) -> frozenset[dt.date]:
    """The bank holidays of one part of the UK in one year."""
    import holidays  # imported here: it is slow to import and only dates need it

    days = holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[jurisdiction], years=year)
    return frozenset(days)


def is_working_day(day: dt.date, jurisdiction: str) -> bool:
    """Monday to Friday, and not a bank holiday in that part of the UK."""
    return day.weekday() < 5 and day not in bank_holidays(jurisdiction, day.year)


def add_working_days(start: dt.date, count: int, jurisdiction: str) -> dt.date:
    """The date ``count`` working days after ``start``, counting from the day after it."""
    day = start
    remaining = count
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, jurisdiction):
            remaining -= 1
    return day
