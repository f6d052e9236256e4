"""Bank holidays: the generated table agrees with the ``holidays`` package, and years outside
it still count the right working days."""

from __future__ import annotations

import datetime as dt

import pytest

from letters import bank_holiday_table as table
from letters.case.schema import JURISDICTIONS
from letters.dates import add_working_days, bank_holidays, package_holidays

YEARS = range(table.FIRST_YEAR, table.LAST_YEAR + 1)


def test_the_table_covers_every_part_of_the_uk_and_year() -> None:
    assert set(table.BANK_HOLIDAYS) == set(JURISDICTIONS)
    for jurisdiction in JURISDICTIONS:
        assert list(table.BANK_HOLIDAYS[jurisdiction]) == list(YEARS), jurisdiction
    # Reply-by dates are counted from today, so the table must reach past this year (or every
    # render pays for importing the holidays package): move the years on with --last.
    assert table.FIRST_YEAR <= dt.date.today().year < table.LAST_YEAR, (
        "Run `python scripts/update_bank_holidays.py --last YEAR` to cover the coming years.")


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_the_table_matches_the_holidays_package(jurisdiction: str) -> None:
    for year in YEARS:
        expected = package_holidays(jurisdiction, year)
        found = bank_holidays(jurisdiction, year)
        missing = [f"{day} {name}" for day, name in expected.items() if day not in found]
        extra = sorted(str(day) for day in found - set(expected))
        assert not missing and not extra, (
            f"{jurisdiction} {year}: the table and the installed holidays package differ "
            f"(missing from the table: {missing}; only in the table: {extra}). Run "
            "`python scripts/update_bank_holidays.py` and read the diff."
        )


def test_the_table_has_the_one_off_bank_holidays() -> None:
    # The Queen's funeral (2022) and the King's coronation (2023), in all four nations.
    for jurisdiction in JURISDICTIONS:
        assert dt.date(2022, 9, 19) in bank_holidays(jurisdiction, 2022)
        assert dt.date(2023, 5, 8) in bank_holidays(jurisdiction, 2023)
    assert dt.date(2026, 11, 30) in bank_holidays("scotland", 2026)  # St Andrew's Day
    assert dt.date(2026, 11, 30) not in bank_holidays("england", 2026)


@pytest.mark.parametrize(
    ("jurisdiction", "start", "expected"),
    [
        # Before the table: Christmas 2019 (Wednesday, Thursday), then 1 January 2020.
        ("england", dt.date(2019, 12, 20), dt.date(2020, 1, 8)),
        # After it: Christmas Day 2040 is a Tuesday, Boxing Day a Wednesday, then 1 January.
        ("england", dt.date(2040, 12, 21), dt.date(2041, 1, 9)),
        # Scotland also has 2 January (a Wednesday in 2041).
        ("scotland", dt.date(2040, 12, 21), dt.date(2041, 1, 10)),
    ],
)
def test_years_outside_the_table_ask_the_holidays_package(
    jurisdiction: str, start: dt.date, expected: dt.date
) -> None:
    assert not table.FIRST_YEAR <= start.year <= table.LAST_YEAR
    assert add_working_days(start, 10, jurisdiction) == expected
    year = start.year
    assert bank_holidays(jurisdiction, year) == set(package_holidays(jurisdiction, year))
