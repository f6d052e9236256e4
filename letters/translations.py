"""swletter's own sentences about a person's answers, in the person's language.

What the code says about an answer (validation in ``letters.case.validate``, dates as typed in
``letters.case.typed_dates``, the tone check's advice on Welsh text) is written in English in the
code, each sentence through ``say(message, **values)`` with its blanks named: ``say("{number} is
out of range; use a number from {low} to {high}.", number=…, low=…, high=…)``.

Each other language has a gettext catalogue, ``letters/locale/<code>/LC_MESSAGES/swletter.po``:
the standard format that translators' tools (Poedit, Weblate, Lokalise) open and that
``pybabel extract -k say`` brings up to date from the code. Babel reads it at first use and
compiles it in memory, so there is no build step and no compiled file to keep in step. A
sentence the catalogue lacks is said in English, gettext's rule; ``tests/test_welsh_interview.py``
fails when any sentence in the code has no Welsh.
"""

from __future__ import annotations

import functools
import gettext
import io
from importlib import resources
from typing import Any

#: The catalogues' domain, and the package folder they live in.
DOMAIN = "swletter"
CATALOGUE = "locale/{code}/LC_MESSAGES/" + DOMAIN + ".po"

@functools.cache
def translations(code: str = "en") -> gettext.NullTranslations:
    """The catalogue for the language ``code``, read and compiled once per process (English,
    the language of the code, needs none)."""
    source = resources.files("letters").joinpath(CATALOGUE.format(code=code))
    if code == "en" or not source.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalogue = read_po(io.BytesIO(source.read_bytes()), locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


class Say:
    """Says a sentence in one language: ``say(message, **values)`` gives ``message`` as the
    catalogue translates it, its ``{blanks}`` filled in from ``values``. ``code`` is the
    language, for what a catalogue does not hold (month names come from CLDR)."""

    def __init__(self, code: str = "en") -> None:
        self.code = code
        self._find = translations(code).gettext

    def __call__(self, message: str, /, **values: Any) -> str:
        text = self._find(message)
        return text.format(**values) if values else text

    def month(self, number: int) -> str:
        """The name of month ``number`` (1 to 12) in this language: "April", "Ebrill"."""
        if self.code == "en":
            return _ENGLISH_MONTHS[number - 1]
        from babel import Locale

        return str(Locale.parse(self.code).months["format"]["wide"][number])


_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                   "September", "October", "November", "December")


@functools.cache
def sayer(code: str = "en") -> Say:
    """``say`` in the language ``code`` (made once per process)."""
    return Say(code)


#: English, the language the code is written in.
say_en: Say = sayer("en")
