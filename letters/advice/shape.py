"""Advice on the letter as a whole: a ground that does not say how it affects the child, a
letter longer than a manager will read, and copies that change how the letter reads.

Each is a ``Finding`` for ``swletter check`` (and the interview's summary); none stops a letter.
"""

from __future__ import annotations

from collections.abc import Iterator

from letters.advice.findings import Finding
from letters.advice.wordlists import word_lists
from letters.case.grounds import fields_with_role
from letters.case.model import Case, format_path
from letters.compose.language import language

#: A letter whose words before its list of enclosures pass this runs past two pages, about as
#: much as a busy manager reads closely.
MAX_WORDS = 900
#: More incidents than this read as a log rather than a reason.
MAX_INCIDENTS = 15

def child_impact(case: Case) -> Iterator[Finding]:
    """A ground raised without saying how it has affected the child (its ``child_impact``
    field left empty): a note suggesting it."""
    lang = language()
    children = lang.children_together([c.name for c in case.children])
    for ground, spec in fields_with_role("child_impact"):
        data = case.grounds.get(ground.id)
        if data is None or data.get(spec.name):
            continue
        yield Finding(
            path=format_path(("grounds", ground.id, spec.name)), category="child", words="",
            message=f"the letter does not say how the {ground.title.lower()} has affected "
                    f"{children}. A manager weighs a request by its effect on the child: a "
                    "sentence or two on what has changed for the child makes it much stronger.",
            suggestion=f"Add, for example: {spec.example}", severity="note")


def letter_length(case: Case, markdown: str, code: str = "en") -> Iterator[Finding]:
    """A letter past two pages, or with more incidents than a manager can take in. ``code`` is
    the letter's language: its list of enclosures, under that language's heading, is not
    counted."""
    heading = language(code).data["enclosures"]["heading"]
    body = markdown.split(f"\n## {heading}\n", 1)[0]
    words = len(body.split())
    incidents = sum(len(value) for data in case.grounds.values() for value in data.values()
                    if isinstance(value, tuple) and value and isinstance(value[0], dict))
    if words <= MAX_WORDS and incidents <= MAX_INCIDENTS:
        return
    size = (f"about {words:,} words, more than two pages" if words > MAX_WORDS
            else f"{incidents} incidents")
    yield Finding(
        path="letter", category="length", words="",
        message=f"the letter is long ({size}). A manager gives a short letter more attention "
                "than a long one.",
        suggestion="Summarise: group incidents that repeat (\"Five visits between March and "
                   "June were cancelled on the day\"), keep the strongest evidence for each "
                   "point, and leave the rest in your own records in case it is asked for.")


def copies(case: Case) -> Iterator[Finding]:
    """A copy to a solicitor (or other legal adviser) on a first request."""
    pattern = word_lists().legal_copies
    if pattern is None:
        return
    for i, person in enumerate(case.copy_to):
        found = pattern.search(f"{person.name} {person.role or ''}")
        if found:
            yield Finding(
                path=format_path(("copy_to", i)), category="letter", words=found.group(),
                message="a copy to a solicitor can make a first request read as the start of "
                        "a legal dispute, and the manager may pass it to the council's lawyers "
                        "rather than answer it.",
                suggestion="Send the first request to the manager alone (an Independent "
                           "Reviewing Officer may be copied in), and keep a copy for your "
                           "solicitor. If there is no reply, the follow-up letters and the "
                           "complaints procedure come next.",
                severity="note")


def relationship_word(case: Case) -> Iterator[Finding]:
    """The family's word for their relationship ("Mum"), which the letter writes in its own
    register ("mother"): a note saying so, and how to keep their word."""
    given = case.sender.relationship
    shown = language().relationship(given, keep=case.sender.keep_relationship)
    if given and shown != given:
        yield Finding(
            path="sender.relationship", category="letter", words=given,
            message=f'the letter says "{shown}" for "{given}", as a formal letter would.',
            suggestion="To keep your own word, add under sender: keep_relationship: true",
            severity="note")
