"""Regenerate letters/bank_holiday_table.py from the installed ``holidays`` package.

swletter counts reply-by dates in working days, so it needs each part of the UK's bank holidays.
The ``holidays`` package is the source of truth, but importing it costs a fifth of a second (it
loads every country it knows), more than the rest of a ``swletter render``. So the years a letter
is likely to need are kept as a generated table; ``letters.dates`` falls back to the package for
any other year, and ``tests/test_dates.py`` fails when the table and the package disagree.

Run it from a checkout after upgrading ``holidays`` (or to move the years on), then read the diff:

    python scripts/update_bank_holidays.py [--first 2020] [--last 2035]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import holidays

from letters.case.schema import JURISDICTIONS
from letters.dates import package_holidays

TABLE = Path(__file__).resolve().parent.parent / "letters" / "bank_holiday_table.py"

_HEADER = '''"""UK bank holidays for reply-by dates: generated, do not edit.

Made by ``python scripts/update_bank_holidays.py`` from holidays {version} (the package stays the
source of truth: ``tests/test_dates.py`` fails when they disagree, and ``letters.dates`` asks the
package for years outside this table). Kept here because importing ``holidays`` costs more than
the rest of a ``swletter render``. Weekend dates are listed as the package lists them. One
string per year (not a date per line): this module is compiled on every run where Python keeps
no bytecode, and 600 constants took 14 ms to compile.
"""

FIRST_YEAR = {first}
LAST_YEAR = {last}

#: The bank holidays, by part of the UK and year, as "MM-DD" separated by spaces.
BANK_HOLIDAYS: dict[str, dict[int, str]] = {{
'''


def table_source(first: int, last: int) -> str:
    """The text of letters/bank_holiday_table.py for the years ``first`` to ``last``."""
    lines = [_HEADER.format(version=holidays.__version__, first=first, last=last)]
    for jurisdiction in JURISDICTIONS:
        lines.append(f'    "{jurisdiction}": {{\n')
        for year in range(first, last + 1):
            days = " ".join(f"{day:%m-%d}" for day in package_holidays(jurisdiction, year))
            lines.append(f'        {year}: "{days}",\n')
        lines.append("    },\n")
    lines.append("}\n")
    return "".join(lines)


def changes(first: int, last: int) -> list[str]:
    """What regenerating would change, by name, against the table in letters/ now."""
    from letters import bank_holiday_table as current

    found = []
    for jurisdiction in JURISDICTIONS:
        for year in range(first, last + 1):
            new = {f"{day:%m-%d}": name
                   for day, name in package_holidays(jurisdiction, year).items()}
            old = set(current.BANK_HOLIDAYS.get(jurisdiction, {}).get(year, "").split())
            found += [f"{jurisdiction} {year}: added {day} ({name})"
                      for day, name in new.items() if day not in old]
            found += [f"{jurisdiction} {year}: removed {day}" for day in sorted(old - set(new))]
    return found


def main(argv: list[str] | None = None) -> int:
    from letters import bank_holiday_table as current

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--first", type=int, default=current.FIRST_YEAR,
                        help=f"first year (default {current.FIRST_YEAR}, as now)")
    parser.add_argument("--last", type=int, default=current.LAST_YEAR,
                        help=f"last year (default {current.LAST_YEAR}, as now)")
    args = parser.parse_args(argv)
    if args.last < args.first:
        parser.error("--last is before --first")
    new = table_source(args.first, args.last)
    if new == TABLE.read_text(encoding="utf-8"):
        print(f"{TABLE} is up to date (holidays {holidays.__version__}).")
        return 0
    for change in changes(args.first, args.last):
        print(change)
    TABLE.write_text(new, encoding="utf-8")
    print(f"Wrote {TABLE} (holidays {holidays.__version__}, {args.first}-{args.last}). "
          "Read `git diff` before committing.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
