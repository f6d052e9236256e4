"""A letter to be written in Welsh alone whose family wrote their own words in English.

The letter prints the family's words exactly as typed, so English answers in a ``cy`` case end
up as English inside Welsh sentences. This is told by a few of the commonest English function
words (``[recognise]`` in grounds/_language_en.toml), not by a language model: it needs to tell
only whether the answers are mostly in English, and a Welsh text holds none of those words.
The letter is still written: the warning says how to avoid the mixture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from letters.advice.findings import Finding
from letters.compose.language import language
from letters.translations import sayer

#: A word, with its apostrophes ("Sam's" is one word, and not "the").
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
#: How many of the English fields the warning names.
_NAMED = 3


def english_answers(texts: Iterable[tuple[str, str]], choice: str | None) -> Iterator[Finding]:
    """A warning when ``choice`` is Welsh alone (``cy``) but the family's own text
    (``texts``: field path, text) reads as English, naming the fields it saw it in."""
    if choice != "cy":
        return
    recognise = language("en").data.get("recognise", {})
    common = frozenset(recognise.get("common_words", ()))
    seen: set[str] = set()
    fields: list[str] = []
    for path, text in texts:
        found = {w.lower() for w in _WORD.findall(text)} & common
        if found:
            seen |= found
            fields.append(path)
    if not fields or len(seen) < int(recognise.get("at_least", 3)):
        return
    say = sayer("cy")
    named = ", ".join(fields[:_NAMED]) + (" …" if len(fields) > _NAMED else "")
    yield Finding(
        path=fields[0], category="language", words=", ".join(sorted(seen)[:6]),
        message=say("the letter is to be in Welsh, but the family's own words look English "
                    "({fields}). They are printed as typed, so they would appear in English "
                    "inside Welsh sentences.", fields=named),
        suggestion=say("Write these answers in Welsh, or choose language: cy+en to send the "
                       "letter in Welsh and in English."))
