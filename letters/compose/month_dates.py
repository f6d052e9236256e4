"""Dates in a family's own words shortened to month and year, for an anonymised copy.

"on 5 May 2026" → "in May 2026", "dated 5 May" → "from May", "05/05/2026" → "May 2026". A
family in Wales may write in English or in Welsh whatever the copy's language, so the month and
weekday names of every language swletter writes are recognised ("ar 5 Mai" → "ym mis Mai").
Each language's names come from its data file or Babel (``Language.month_names``); the words a
date's lead word becomes once the day is gone are the language's ``date_leads`` (``[redact]``). A
shortened date keeps the language it was written in: only a date in figures, which has none,
takes the copy's.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from letters.compose.language import DEFAULT as DEFAULT_LANGUAGE
from letters.compose.language import LANGUAGES, language
from letters.text import capital

_ORD = r"(?:st|nd|rd|th)?"
# The full stop of a short form ("5 Sept. 2026") goes with it; a sentence's own full stop after
# the month ("… on 5 May.") stays.
_ABBREVIATED = r"(?:\.(?=,?\s+\d{4}))?"


@dataclass(frozen=True)
class _Patterns:
    """The compiled patterns, and what each word they can match stands for."""

    day_month: re.Pattern[str]
    month_day: re.Pattern[str]
    numeric: re.Pattern[str]
    #: A month's name or short form (casefolded) → (its language, the month's number).
    months: dict[str, tuple[str, int]]
    #: A lead word (casefolded) → (its language, what it becomes: "in {month}").
    leads: dict[str, tuple[str, str]]


def _alternatives(words: list[str]) -> str:
    # Longest first, so that "Sept" is tried before "Sep".
    ordered = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in ordered)


@functools.cache
def _patterns() -> _Patterns:
    months: dict[str, tuple[str, int]] = {}
    leads: dict[str, tuple[str, str]] = {}
    weekdays: list[str] = []
    for code in LANGUAGES:
        lang = language(code)
        for number, name in enumerate(lang.month_names(), start=1):
            months.setdefault(name.casefold(), (code, number))
        weekdays += lang.weekday_names()
        for word, becomes in lang.data.get("redact", {}).get("date_leads", ()):
            leads.setdefault(str(word).casefold(), (code, str(becomes)))
    english = language(DEFAULT_LANGUAGE).month_names()
    # Short forms are English only ("5 Sept"): Welsh ones would be ordinary words.
    for number, name in enumerate(english, start=1):
        months.setdefault(name[:3].casefold(), (DEFAULT_LANGUAGE, number))
    months.setdefault("sept", (DEFAULT_LANGUAGE, 9))
    any_month = _alternatives(list(months))
    english_month = _alternatives([m for m, (c, _) in months.items() if c == DEFAULT_LANGUAGE])
    lead = rf"(?:({_alternatives(list(leads))})\s+)?"
    weekday = rf"(?:(?:{_alternatives(weekdays)}),?\s+)?"
    return _Patterns(
        # "on 5 May 2026", "5th of May", "2 and 16 June", "Monday 5 May", "ar 5 Mai 2026": the
        # day goes, the month (and year) stay.
        re.compile(rf"\b{lead}{weekday}\d{{1,2}}{_ORD}"
                   rf"(?:\s*(?:and|to|a|i|-|–)\s*\d{{1,2}}{_ORD})?"
                   rf"(?:\s+of)?\s+({any_month})\b{_ABBREVIATED}(?:,?\s+(\d{{4}}))?",
                   re.IGNORECASE),
        # "May 5th, 2026" (English writes a date this way; Welsh does not).
        re.compile(rf"\b{lead}{weekday}({english_month})\.?\s+\d{{1,2}}{_ORD}\b"
                   rf"(?:,?\s+(\d{{4}}))?", re.IGNORECASE),
        re.compile(rf"\b{lead}(?:(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})"
                   rf"|(\d{{1,2}})[/.](\d{{1,2}})[/.](\d{{2,4}}))\b", re.IGNORECASE),
        months, leads)


def shorten_dates(text: str, code: str = DEFAULT_LANGUAGE) -> str:
    """Dates in free text as month and year only, each in the language it was written in; a
    date in figures in the language ``code`` (the copy's): "on 5 May 2026" → "in May 2026",
    "between 2 and 16 June" → "in June", "dated 5 May" → "from May", "05/05/2026" →
    "May 2026" (in Welsh "Mai 2026"), "ar 5 Mai 2026" → "ym mis Mai 2026"."""
    found = _patterns()

    def named(match: re.Match[str]) -> str:
        month_code, number = found.months[_month_key(match.group(2))]
        return _worded(found, match.group(1), month_code, number, match.group(3))

    def numeric(match: re.Match[str]) -> str:
        if match.group(2):
            year, month = match.group(2), int(match.group(3))
        else:
            month, year = int(match.group(6)), match.group(7)
            year = year if len(year) == 4 else "20" + year
        if not 1 <= month <= 12:
            return "[date removed]"
        lead = match.group(1)
        in_language = found.leads[lead.casefold()][0] if lead else code
        return _worded(found, lead, in_language, month, year)

    text = found.day_month.sub(named, text)
    text = found.month_day.sub(named, text)
    return found.numeric.sub(numeric, text)


def _month_key(word: str) -> str:
    return " ".join(word.casefold().rstrip(".").split())


def _worded(found: _Patterns, lead: str | None, code: str, month: int,
            year: str | None) -> str:
    """The month (and year) in the language ``code``, after what the lead word becomes."""
    words = language(code).month_names()[month - 1] + (f" {year}" if year else "")
    if not lead:
        return words
    lead_code, becomes = found.leads[lead.casefold()]
    if lead_code != code:  # "on 5 Mai": the lead word's language wins, and its month name
        words = language(lead_code).month_names()[month - 1] + (f" {year}" if year else "")
    said = becomes.format(month=words)
    return capital(said) if lead[:1].isupper() else said
