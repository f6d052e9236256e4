"""What the guided interview gives back: the outcome of an answer (``Interview.submit``) and
the rows of the check-your-answers list (``Interview.summary``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from letters.errors import Problem
from letters.interview.wording import ToneNote


@dataclass(frozen=True)
class Accepted:
    """The answer was taken. ``note`` confirms how it was understood ("3 April 2026")."""

    value: Any
    note: str = ""


@dataclass(frozen=True)
class Rejected:
    """The answer was not taken; ``problem`` says why and gives an example. Ask again."""

    problem: Problem


@dataclass(frozen=True)
class ToneConcern:
    """The answer is valid, but the tone checker has suggestions. Nothing is stored yet.

    The front end offers them, then submits ``rewrite`` (when there is one, to accept it), an
    edited answer (checked again), or the original ``text`` with ``check_tone=False`` (to keep
    the person's own words).
    """

    text: str
    notes: tuple[ToneNote, ...]
    rewrite: str | None = None


Outcome = Accepted | Rejected | ToneConcern


@dataclass(frozen=True)
class SummaryRow:
    """One answer on the check-your-answers list: ``key`` goes back to its question."""

    number: int
    section: str
    label: str
    value: str
    key: str
