"""A question of the interview as a web form, and a submitted form as the answer the
interview reads.

The interview (``letters.interview``) asks its questions as text: "1, 3" for reasons chosen,
"yes", "3 April 2026", an address with a comma between its lines. Here each kind of question
gets the widget the GOV.UK Design System gives it (radios, checkboxes, the three boxes of a date,
a box of several lines for an address or the person's own words), and what the widget sends is
put back into the text the interview reads, so the checks and their messages are the
interview's own, the same as in the terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from letters.case.typed_dates import read_date
from letters.interview import CITES, GROUNDS, YESNO, Question

#: The name of the answer's field; a date's three boxes add -day, -month and -year to it.
FIELD = "answer"
DATE_PARTS = ("day", "month", "year")

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def widget_for(q: Question) -> str:
    """Which widget asks ``q``: yesno, radios, checkboxes, date, lines, number, textarea or
    text."""
    if q.kind in (YESNO, "flag"):
        return "yesno"
    if q.kind in ("choice", "child"):
        return "radios"
    if q.kind in (GROUNDS, CITES):
        return "checkboxes"
    if q.kind == "date":
        return "date"
    if q.kind == "lines":
        return "lines"
    if q.kind == "int":
        return "number"
    return "textarea" if q.tone else "text"


@dataclass(frozen=True)
class Shown:
    """What a question's widget shows: the text in a box (or the three boxes of a date), or the
    options chosen."""

    text: str = ""
    chosen: frozenset[str] = frozenset()
    parts: Mapping[str, str] = field(default_factory=dict)


def shown_from_answer(q: Question, answered: bool) -> Shown:
    """The answer already given to ``q``, as its widget shows it. Yes/no questions are only
    pre-selected once answered (their default is otherwise a guess)."""
    widget = widget_for(q)
    default = q.default
    if widget == "yesno":
        return Shown(chosen=frozenset({default.lower()}) if answered and default else frozenset())
    if widget == "radios":
        chosen = {str(c.number) for c in q.choices if default in (c.label, c.value)}
        if not chosen and q.kind == "child" and answered:
            chosen = {""}  # "All of them"
        return Shown(chosen=frozenset(chosen))
    if widget == "checkboxes":
        return Shown(chosen=frozenset(n.strip() for n in default.split(",") if n.strip()))
    if widget == "date":
        return Shown(parts=_date_parts(default, q.month_ok))
    if widget == "lines":
        return Shown(text="\n".join(p.strip() for p in default.split(",") if p.strip()))
    return Shown(text=default)


def _date_parts(text: str, month_ok: bool) -> dict[str, str]:
    reading = read_date(text, month_ok=month_ok) if text else None
    if reading is None or reading.iso is None:
        return {"day": "", "month": "", "year": "", "whole": text}
    year, month, *day = reading.iso.split("-")
    return {"day": str(int(day[0])) if day else "", "month": str(int(month)), "year": year}


def shown_from_form(q: Question, form: Mapping[str, str], chosen: Sequence[str]) -> Shown:
    """What the person sent, to show again beside a problem exactly as they gave it."""
    widget = widget_for(q)
    if widget in ("yesno", "radios", "checkboxes"):
        return Shown(chosen=frozenset(chosen))
    if widget == "date":
        return Shown(parts={p: form.get(f"{FIELD}-{p}", "") for p in DATE_PARTS})
    return Shown(text=form.get(FIELD, ""))


def answer_from_form(q: Question, form: Mapping[str, str], chosen: Sequence[str]) -> str:
    """The answer the interview reads, from the fields the widget sent. ``chosen`` is every
    value sent under the answer's name (the boxes ticked)."""
    widget = widget_for(q)
    if widget == "checkboxes":
        return ", ".join(n for n in chosen if n.isdigit())
    if widget in ("yesno", "radios"):
        return chosen[0] if chosen else ""
    if widget == "date":
        return date_text(*(form.get(f"{FIELD}-{p}", "") for p in DATE_PARTS))
    text = form.get(FIELD, "")
    if widget == "lines":
        # A box of several lines: one line of the address per line, commas kept. (One line
        # with commas is read as the terminal reads it, a line between each comma.)
        return text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return " ".join(text.split()) if widget == "text" else text.strip()


def date_text(day: str, month: str, year: str) -> str:
    """A date's three boxes as the words the date reader reads. A whole date typed into one box
    ("3rd of April 2026") is read as it is; a month typed as a name ("Apr") is accepted."""
    day, month, year = (" ".join(p.split()) for p in (day, month, year))
    given = [p for p in (day, month, year) if p]
    if len(given) == 1 and not given[0].isdigit():
        return given[0]
    if day and month.isdigit() and year:
        return f"{day}/{month}/{year}"  # the reader checks the month is from 1 to 12
    if month.isdigit() and 1 <= int(month) <= 12:
        month = _MONTHS[int(month) - 1]
    return " ".join(p for p in (day, month, year) if p)


def example_for(q: Question) -> str:
    """The example to show under the question ("For example, …"), as the widget takes it."""
    widget = widget_for(q)
    if widget in ("yesno", "radios", "checkboxes"):
        return ""
    if widget == "date":
        reading = read_date(q.example, today=dt.date.today(), month_ok=q.month_ok) \
            if q.example else None
        if reading is None or reading.iso is None:
            return ""
        year, month, *day = reading.iso.split("-")
        return " ".join([*(str(int(d)) for d in day), str(int(month)), year])
    if widget == "lines":
        return ""  # shown as lines in the hint instead
    return q.example


_AUTOCOMPLETE = {"sender.name": "name", "sender.email": "email", "sender.phone": "tel",
                 "sender.address": "street-address"}


def input_attributes(q: Question) -> dict[str, str]:
    """The attributes of a question's box beyond its name: its type, what the browser may
    fill in (only the person's own details), and no spelling check of names."""
    widget = widget_for(q)
    attrs: dict[str, str] = {}
    if widget not in ("textarea", "lines"):
        attrs["type"] = "text"
        if q.key.endswith(".email"):
            attrs.update(type="email", spellcheck="false")
        elif q.key.endswith(".phone"):
            attrs["type"] = "tel"
        elif widget == "number":
            attrs["inputmode"] = "numeric"
    if q.key.split(".")[-1] in ("name", "author", "title") or q.key.endswith("reference"):
        attrs["spellcheck"] = "false"
    attrs["autocomplete"] = _AUTOCOMPLETE.get(q.key, "off")
    return attrs
