"""Dates as people in the UK type them, read in one place for case files, spreadsheets, the
interview and the web form.

``read_date`` accepts 2026-04-03, 3/4/2026, 03.04.26 and 3-4-2026 (day first, as in the UK),
3 April 2026, 3rd of April 2026, Friday 3 April 2026, April 3rd 2026, and "today". Where a field
allows a month alone (``month_ok``), "April 2026" and 2026-04 are read too. When the text is not
a date it says exactly why: "there is no 31 February", "the month must be from 1 to 12", "give
the year as well". Messages never repeat the whole date (it may be a child's date of birth).

Dates typed in Welsh are read too, whatever the language of the messages: 3 Ebrill 2026, dydd
Gwener 3 Ebrill 2026, 3ydd o Ebrill 2026, "heddiw", and a month after "o" or "mis" in its
mutated form ("o Fehefin"). The messages are said in the person's language (``say``, from
``letters.translations``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from letters.translations import Say, say_en

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
_MONTHS = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)}
_MONTHS.update({name[:3]: n for name, n in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS = {*_DAYS, *(d[:3] for d in _DAYS), "tues", "thur", "thurs"}
#: Welsh month names (as CLDR gives them), their soft-mutated forms after "o" or "mis" ("o
#: Fehefin"), and the short forms Welsh calendars print.
_WELSH_MONTHS = {
    "ionawr": 1, "ion": 1, "chwefror": 2, "chwef": 2, "mawrth": 3, "fawrth": 3, "maw": 3,
    "ebrill": 4, "ebr": 4, "mai": 5, "fai": 5, "mehefin": 6, "fehefin": 6, "meh": 6,
    "gorffennaf": 7, "orffennaf": 7, "gorff": 7, "awst": 8, "medi": 9, "fedi": 9,
    "hydref": 10, "hyd": 10, "tachwedd": 11, "dachwedd": 11, "tach": 11, "rhagfyr": 12,
    "ragfyr": 12, "rhag": 12,
}
_MONTHS.update(_WELSH_MONTHS)
#: "dydd Gwener" (and "ddydd" after a word that softens it) comes before a Welsh date.
_WELSH_DAY = ("dydd", "ddydd")
#: Words between a date's parts that say nothing: "3rd of April", "3 o Ebrill", "ym mis Ebrill".
_FILLERS = ("of", "the", "o", "mis", "fis", "ym", "ar")
_TODAY = ("today", "heddiw")

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
# English ordinals, and Welsh ones (1af, 2il, 3ydd, 5ed, 7fed, 11eg, 21ain).
_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th|af|il|ydd|ed|fed|eg|ain)?")
_YEAR = re.compile(r"\d{2}|\d{4}")


@dataclass(frozen=True)
class DateReading:
    """What a typed date was read as: ``iso`` (``2026-04-03``, or ``2026-04`` for a month
    alone), or ``problem``, a sentence saying what is wrong."""

    iso: str | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.iso is not None


def read_date(text: str, *, today: dt.date | None = None, month_ok: bool = False,
              say: Say = say_en) -> DateReading:
    """Read ``text`` as a date the way a UK reader would; see the module's docstring. Problems
    are said with ``say`` (in the person's language)."""
    today = today or dt.date.today()
    t = " ".join(text.strip().lower().replace(",", " ").split())
    if not t:
        return DateReading(problem=say("there is no date here."))
    if t in _TODAY:
        return DateReading(today.isoformat())
    match = _ISO.fullmatch(t)
    if match:
        return _checked(*(int(x) for x in match.groups()), say=say)
    match = _NUMERIC.fullmatch(t)
    if match:
        d, m, y = (int(x) for x in match.groups())
        return _checked(_full_year(y, match.group(3), today), m, d, day_first=True, say=say)
    if month_ok:
        match = _ISO_MONTH.fullmatch(t)
        if match:
            return _month(int(match.group(1)), int(match.group(2)), say)
    return _read_words(t, today, month_ok, say)


def _unreadable(say: Say) -> DateReading:
    return DateReading(problem=say("this is not a date I can read. Write the day, the month and "
                                   "the year, such as 3 April 2026 or 3/4/2026."))


def _read_words(t: str, today: dt.date, month_ok: bool, say: Say) -> DateReading:
    words = [w.rstrip(".") for w in t.split() if w not in _FILLERS]
    if words and words[0] in _WELSH_DAY:
        words = words[2:]  # "dydd Mawrth": the day's name may also be a month's
    elif words and words[0] in _WEEKDAYS:
        words = words[1:]
    month_at = [i for i, w in enumerate(words) if w in _MONTHS]
    if len(month_at) != 1:
        return _unreadable(say)
    i = month_at[0]
    month = _MONTHS[words[i]]
    rest = words[:i] + words[i + 1:]
    if len(rest) == 1 and _YEAR.fullmatch(rest[0]) and len(rest[0]) == 4:
        if month_ok:
            return _month(int(rest[0]), month, say)
        return DateReading(problem=say("give the day as well as the month and year, such as "
                                       "3 April 2026."))
    if len(rest) == 1 and _DAY.fullmatch(rest[0]):
        return DateReading(problem=say("give the year as well, such as 3 April 2026."))
    day = _DAY.fullmatch(rest[0]) if len(rest) == 2 else None
    if day is None or not _YEAR.fullmatch(rest[1]):
        return _unreadable(say)
    return _checked(_full_year(int(rest[1]), rest[1], today), month, int(day.group(1)),
                    say=say)


def _full_year(year: int, written: str, today: dt.date) -> int:
    if len(written) == 4:
        return year
    # Two-digit years: the most recent year ending so (a birth date in 2009 written "09").
    full = 2000 + year
    return full - 100 if full > today.year + 1 else full


def _checked(year: int, month: int, day: int, *, day_first: bool = False,
             say: Say = say_en) -> DateReading:
    if not 1 <= month <= 12:
        return DateReading(problem=say("the month must be from 1 to 12 (the day comes first, "
                                       "as in 3/4/2026 for 3 April).") if day_first
                           else say("the month must be from 1 to 12."))
    if not 1 <= year <= 9999:
        return DateReading(problem=say("the year is not one a letter can use."))
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        if month == 2 and day == 29:
            return DateReading(problem=say("there is no 29 February in {year}: it is not a leap "
                                           "year.", year=year))
        if day <= 0:
            return DateReading(problem=say("the day must be 1 or more."))
        name = say.month(month)  # in the person's language: "February", "Chwefror"
        return DateReading(problem=say("there is no {day} {month}; {month} has {last} days.",
                                       day=day, month=name, last=last))
    return DateReading(f"{year:04d}-{month:02d}-{day:02d}")


def _month(year: int, month: int, say: Say = say_en) -> DateReading:
    if not 1 <= month <= 12:
        return DateReading(problem=say("the month must be from 1 to 12."))
    return DateReading(f"{year:04d}-{month:02d}")

