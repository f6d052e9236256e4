"""Dates as a UK letter writes them, and reply-by dates in working days."""

from __future__ import annotations

import datetime as dt
import functools

from letters.errors import DateError

# Month names spelt out here so the output never depends on the machine's locale.
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

#: The years a case's dates may fall in. Outside them a date is a slip of the keyboard (and a
#: reply-by date counted from 9999-12-31 would fall after the last date Python has).
FIRST_YEAR, LAST_YEAR = 1900, 2199

#: The ``holidays`` package's code for each part of the UK.
_SUBDIVISIONS = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern-ireland": "NIR"}


def age(born: dt.date | None, on: dt.date) -> int | None:
    """A child's age in whole years on the day ``on``; None when the date of birth is not
    known (or is after ``on``)."""
    if born is None or born > on:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def long_date(day: dt.date) -> str:
    """``2026-11-23`` → ``23 November 2026``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@functools.cache
def bank_holidays(jurisdiction: str, year: int) -> frozenset[dt.date]:
    """The bank holidays of one part of the UK in one year.

    Read from ``letters.bank_holiday_table``, generated from the ``holidays`` package by
    ``scripts/update_bank_holidays.py``: importing the package costs ~0.2 s (it loads every
    country), more than the rest of a render. Years outside the table ask the package itself.
    """
    from letters import bank_holiday_table as table

    if table.FIRST_YEAR <= year <= table.LAST_YEAR:
        days = table.BANK_HOLIDAYS[jurisdiction][year].split()
        return frozenset(dt.date(year, int(day[:2]), int(day[3:])) for day in days)
    return frozenset(package_holidays(jurisdiction, year))


def package_holidays(jurisdiction: str, year: int) -> dict[dt.date, str]:
    """The ``holidays`` package's bank holidays (date → name) for one part of the UK and year:
    the source of the generated table, and the answer for years outside it."""
    import holidays  # imported here: slow to import, and only years outside the table need it

    days = holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[jurisdiction], years=year)
    return dict(sorted(days.items()))


def is_working_day(day: dt.date, jurisdiction: str) -> bool:
    """Monday to Friday, and not a bank holiday in that part of the UK."""
    return day.weekday() < 5 and day not in bank_holidays(jurisdiction, day.year)


def add_working_days(start: dt.date, count: int, jurisdiction: str) -> dt.date:
    """The date ``count`` working days after ``start``, counting from the day after it.

    ``DateError`` when that would fall after the last date there is (a case file's dates are
    checked against ``LAST_YEAR``; this guards dates that come any other way).
    """
    day = start
    remaining = count
    while remaining > 0:
        try:
            day += dt.timedelta(days=1)
        except OverflowError:
            raise DateError(f"{long_date(start)} is too far in the future to count a reply-by "
                            f"date from: use a date from {FIRST_YEAR} to {LAST_YEAR}.") from None
        if is_working_day(day, jurisdiction):
            remaining -= 1
    return day
