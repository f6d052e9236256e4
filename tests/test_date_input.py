"""Dates as people type them: one reader for case files, spreadsheets, the interview and the web
form, and a message that says exactly what is wrong."""

from __future__ import annotations

import pytest

from letters.case.typed_dates import read_date

from .conftest import TODAY


@pytest.mark.parametrize(("typed", "iso"), [
    ("2026-04-03", "2026-04-03"), ("3/4/2026", "2026-04-03"), ("03.04.26", "2026-04-03"),
    ("3-4-2026", "2026-04-03"), ("3 April 2026", "2026-04-03"), ("3rd Apr 2026", "2026-04-03"),
    ("3rd of April 2026", "2026-04-03"), ("Friday 3 April 2026", "2026-04-03"),
    ("Fri, 3rd April, 2026", "2026-04-03"), ("April 3, 2026", "2026-04-03"),
    ("april 3rd 2026", "2026-04-03"), ("3 Sept 2026", "2026-09-03"), ("today", "2026-11-23"),
    ("1/2/09", "2009-02-01"), ("29/2/2028", "2028-02-29"),
])
def test_dates_are_read_the_uk_way(typed: str, iso: str) -> None:
    assert read_date(typed, today=TODAY).iso == iso


@pytest.mark.parametrize(("typed", "problem"), [
    ("31/02/2026", "there is no 31 February; February has 28 days."),
    ("31 April 2026", "there is no 31 April; April has 30 days."),
    ("29 February 2026", "there is no 29 February in 2026: it is not a leap year."),
    ("3/13/2026", "the month must be from 1 to 12 (the day comes first, as in 3/4/2026 for "
                  "3 April)."),
    ("2026-13-01", "the month must be from 1 to 12."),
    ("3 April", "give the year as well, such as 3 April 2026."),
    ("April 2026", "give the day as well as the month and year, such as 3 April 2026."),
    ("next week", "this is not a date I can read. Write the day, the month and the year, such "
                  "as 3 April 2026 or 3/4/2026."),
    ("3 Smarch 2026", "this is not a date I can read. Write the day, the month and the year, "
                      "such as 3 April 2026 or 3/4/2026."),
    ("", "there is no date here."),
])
def test_a_date_that_cannot_be_read_says_exactly_why(typed: str, problem: str) -> None:
    reading = read_date(typed, today=TODAY)
    assert (reading.iso, reading.problem) == (None, problem)


@pytest.mark.parametrize(("typed", "iso"), [
    ("April 2026", "2026-04"), ("apr 2026", "2026-04"), ("2026-04", "2026-04"),
    ("3 April 2026", "2026-04-03"),
])
def test_a_month_alone_where_a_day_is_not_needed(typed: str, iso: str) -> None:
    assert read_date(typed, today=TODAY, month_ok=True).iso == iso
