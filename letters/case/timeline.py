"""Time that runs backwards: dates in a case that cannot be right beside the letter's own date.

A letter can only describe what had happened by the day it was written, and enclose what
existed then. A child born after the letter is an error, found where the case is validated
(nothing sensible could be meant); an incident, a piece of evidence, an allocation or a
complaint dated after the letter is a warning each, since it is most often a slip of the year or
a letter date left over from an earlier draft. Each message names the field and both dates, and
says what to check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from letters.case.grounds import get_ground
from letters.case.model import Case, format_path, walk_fields
from letters.dates import long_date
from letters.errors import Problem
from letters.text import capital

_CHECK = ("Check the year, and the letter's own date (date:, today's date when left out): a "
          "letter can only describe what had happened by the day it is dated.")


def after_the_letter(case: Case, letter_date: dt.date,
                     enclosed: Collection[int] = ()) -> list[Problem]:
    """A warning for each date in ``case`` later than the letter it goes into; for the
    supporting statements the letter encloses (their indexes, ``enclosed``), one dated after
    it or not dated yet."""
    found: list[tuple[str, dt.date, str]] = []
    since = case.social_worker.allocated_since
    if since and since > letter_date:
        found.append(("social_worker.allocated_since", since, "the worker's allocation"))
    for gid, data in case.grounds.items():
        for parts, spec, value in walk_fields(get_ground(gid).fields, data, ("grounds", gid)):
            if spec.kind == "date" and value > letter_date:
                found.append((format_path(parts), value, "this"))
    for i, ev in enumerate(case.evidence):
        if ev.date > letter_date:
            found.append((format_path(("evidence", i, "date")), ev.date, "this evidence"))
    problems = [Problem(f"{capital(what)} is dated {long_date(day)}, after the "
                        f"letter ({long_date(letter_date)}). {_CHECK}", path=path,
                        file=case.source)
                for path, day, what in found]
    return problems + _statement_dates(case, letter_date, enclosed)


def _statement_dates(case: Case, letter_date: dt.date,
                     enclosed: Collection[int]) -> list[Problem]:
    """A supporting statement the letter encloses must exist by the letter's date."""
    out = []
    for i in enclosed:
        st = case.supporting_statements[i]
        path = format_path(("supporting_statements", i, "date"))
        if st.date and st.date > letter_date:
            out.append(Problem(
                f"the letter encloses the supporting statement from {st.author}, but the "
                f"statement is dated {long_date(st.date)}, after the letter "
                f"({long_date(letter_date)}). A letter can only enclose what exists when it is "
                "sent: date the letter on or after the statement, or check the statement's date.",
                path=path, file=case.source, example=f"date: {letter_date.isoformat()}"))
        elif st.date is None:
            out.append(Problem(
                f"the letter lists the supporting statement from {st.author} as enclosed, but "
                "the statement has no date yet. Send the letter once the statement is written "
                "and signed, and add its date here.",
                path=path, file=case.source, example=f"date: {letter_date.isoformat()}"))
    return out
