"""Finding people, places and numbers in free text, for an anonymised copy.

A ``Scrubber`` knows the case's people (each with the role that replaces them), the exact
strings the case holds that identify someone (address lines, phone numbers, emails,
references), and the general shapes of such things (any email, UK postcode or phone number, a
date with its day). ``scrub`` replaces all of them in one piece of text and returns, beside the
new text, what it could not safely decide: a capitalised word that may be a name or a place but
is none of the case's people, or a common word that is also someone's name.

People are found by every part of their name, their initials, common nicknames (from the
``nicknames`` package's hand-curated list), with or without a title, in any letter case, and
with "'s" kept: "Mr Smith's" becomes "the social worker's".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from letters.compose.language import DEFAULT as DEFAULT_LANGUAGE
from letters.compose.month_dates import shorten_dates
from letters.text import capital

__all__ = ["MONTHS", "REMOVED", "Person", "Scrubber", "Unsure", "shorten_dates"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Rev")

#: Capitalised words that are not names, places or organisations of a family's own.
_NOT_NAMES = frozenset(w.casefold() for w in (
    *MONTHS, *WEEKDAYS, *TITLES, "I", "England", "Wales", "Scotland", "Northern", "Ireland",
    "UK", "Britain", "British", "English", "Welsh", "Scottish", "Council", "Children", "Child",
    "Social", "Care", "Services", "Service", "Trust", "Health", "Ombudsman", "Act",
    "Enclosure", "Enclosures", "Team", "Manager", "Worker", "Officer", "Independent",
    "Reviewing", "Advocate", "Advocacy", "Family", "Support", "School", "Primary", "Hospital",
    "GP", "NHS", "Christmas", "Easter", "Mum", "Dad", "Nan", "Grandma", "Grandad",
))

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)\d[\d\s()-]{7,14}\d\b")
_LONG_NUMBER = re.compile(r"\b\d(?:[\s-]?\d){5,}\b")
# A reference: letters and digits joined by - or /, with at least two capitals and a digit
# ("CP-2026-0413", "COMP/998").
_REFERENCE = re.compile(r"\b(?=[A-Za-z0-9/-]*\d)(?=[a-z0-9/-]*[A-Z][a-z0-9/-]*[A-Z])"
                        r"[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)+\b")
_TITLE = "(?:" + "|".join(TITLES) + r")\.?"
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\(\s*|[\"“‘]\s*)$")
_CAPITALISED = re.compile(r"\b[A-Z][a-z][\w’'-]*")


@dataclass(frozen=True)
class Person:
    """Someone in the case, the words that replace them, and every name they go by."""

    label: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Unsure:
    """Something left as it was, for the person to check: ``word`` and why."""

    word: str
    why: str


@dataclass
class _Token:
    owners: set[int] = field(default_factory=set)
    exact_case: bool = False
    #: A common word ("Will", "Rose"): replaced only where it cannot start a sentence.
    common: bool = False
    #: Only a nickname or fuller form, not a name the case gives.
    nickname: bool = False


#: What replaces each kind of removed thing in English; another language gives its own words
#: ([redact] in its language file).
REMOVED = {"email": "[email removed]", "postcode": "[postcode removed]",
           "phone": "[phone number removed]", "reference": "[reference removed]",
           "number": "[number removed]", "name": "[name removed]"}


@functools.cache
def common_words() -> frozenset[str]:
    """About 3,000 everyday English words (the Dale–Chall list textstat ships), to tell a
    name that is also a word ("Will", "Grace") from one that is not."""
    from importlib import resources

    try:
        text = resources.files("textstat").joinpath("resources/en/easy_words.txt").read_text(
            encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return frozenset()  # every name part is then matched in any letter case: the safe side
    return frozenset(w.strip().casefold() for w in text.split())


@functools.cache
def _nicknamer() -> Any:
    from nicknames import NickNamer

    return NickNamer()


def nicknames(first: str) -> set[str]:
    """The nicknames and fuller forms of a first name: "Sam" → samuel, sammy, samantha …"""
    namer = _nicknamer()
    found: set[str] = set()
    for name in (first, *namer.canonicals_of(first)):
        found.add(name)
        found.update(namer.nicknames_of(name))
    found.discard(first.casefold())
    return {n for n in found if n.capitalize() not in MONTHS + WEEKDAYS and len(n) > 1}


def _plain(text: str) -> str:
    """Accents removed: "Siân" → "Sian", as people often type it."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def name_parts(name: str) -> list[str]:
    """The words of a name a reader could know someone by: "Mary-Jane O'Neil" → Mary-Jane,
    Mary, Jane, O'Neil, Neil … (initials and titles left out)."""
    parts: list[str] = []
    for word in re.split(r"\s+", name.strip()):
        word = word.strip(".,()")
        if len(word) < 2 or word.rstrip(".") in TITLES:
            continue
        pieces = [word, *re.split(r"[-'’]", word)] if re.search(r"[-'’]", word) else [word]
        for piece in pieces:
            for form in (piece, _plain(piece)):
                if len(form) >= 2 and form not in parts:
                    parts.append(form)
    return parts


def initials(name: str) -> list[str]:
    """"John Smith" → ["JS", "J.S.", "J. S."]: two or more initials, written as people do."""
    letters = [w[0].upper() for w in name.split() if w[:1].isalpha() and w not in TITLES]
    if len(letters) < 2:
        return []
    return ["".join(letters), ".".join(letters) + ".", ". ".join(letters) + "."]


class Scrubber:
    """Replaces the case's people, identifying strings and dates in free text."""

    def __init__(self, people: Sequence[Person], exact: Iterable[tuple[str, str]] = (),
                 removed: Mapping[str, str] | None = None,
                 code: str = DEFAULT_LANGUAGE) -> None:
        self.people = tuple(people)
        #: The copy's language: a date written in figures is shortened with its month names.
        self.code = code
        # What each kind of removed thing is replaced by, in the copy's language ([redact] in
        # grounds/_language_<code>.toml).
        self.removed = {**REMOVED, **(removed or {})}
        # Longest first, so "12 High Street" goes before "High Street".
        self.exact = sorted(((s, r) for s, r in exact if s and s.strip()),
                            key=lambda p: -len(p[0]))
        self.tokens: dict[str, _Token] = {}
        self.initials: dict[str, set[int]] = {}
        common = common_words()
        for number, person in enumerate(self.people):
            for name in person.names:
                parts = name_parts(name)
                for part in parts:
                    token = self.tokens.setdefault(part.casefold(), _Token())
                    token.owners.add(number)
                    token.exact_case = token.exact_case or part.casefold() in common
                    token.common = token.common or part.casefold() in common
                for nick in nicknames(parts[0]) if parts else ():
                    if nick.casefold() not in self.tokens:
                        self.tokens[nick.casefold()] = _Token({number}, True,
                                                              nick.casefold() in common, True)
                    elif self.tokens[nick.casefold()].exact_case:
                        self.tokens[nick.casefold()].owners.add(number)
                for form in initials(name):
                    self.initials.setdefault(form, set()).add(number)
        self._run = self._run_pattern()

    def _run_pattern(self) -> re.Pattern[str] | None:
        words = sorted(self.tokens, key=len, reverse=True)
        alts = [re.escape(w) for w in words]
        inits = sorted(self.initials, key=len, reverse=True)
        if not alts and not inits:
            return None
        token = r"(?i:" + "|".join(alts) + r")" if alts else r"(?!)"
        one = rf"(?:\b{token}\b)"
        initial = r"(?:\b[A-Z]\.?\s+)"
        init_run = "|".join(re.escape(i) for i in inits) or "(?!)"
        return re.compile(
            rf"(?:\b{_TITLE}\s+)?(?:{initial}*{one}(?:[\s-]+{initial}*{one})*"
            rf"|\b(?:{init_run})(?![\w.]))")

    # -- scrubbing ------------------------------------------------------------------------------

    def scrub(self, text: str) -> tuple[str, list[Unsure]]:
        """``text`` with every identifying thing replaced, and what is left to check."""
        unsure: list[Unsure] = []
        for found, replacement in self.exact:
            text = re.sub(rf"(?<!\w){_flexible(found)}(?!\w)", replacement, text,
                          flags=re.IGNORECASE)
        removed = self.removed
        text = _EMAIL.sub(removed["email"], text)
        text = _POSTCODE.sub(removed["postcode"], text)
        text = _PHONE.sub(removed["phone"], text)
        text = _REFERENCE.sub(removed["reference"], text)
        text = _LONG_NUMBER.sub(removed["number"], text)
        text = shorten_dates(text, self.code)
        text = self._names(text, unsure)
        unsure.extend(self._leftovers(text))
        return text, unsure

    def _names(self, text: str, unsure: list[Unsure]) -> str:
        if self._run is None:
            return text
        out: list[str] = []
        last = 0
        for match in self._run.finditer(text):
            owners = self._owners(match.group(0), text[:match.start()], unsure)
            if owners is None:
                continue
            label = self.people[next(iter(owners))].label if len(owners) == 1 else \
                self.removed["name"]
            if _SENTENCE_START.search(text[:match.start()]):
                label = capital(label)
            out.append(text[last:match.start()] + label)
            last = match.end()
        out.append(text[last:])
        return "".join(out)

    def _owners(self, found: str, before: str, unsure: list[Unsure]) -> set[int] | None:
        """Whose name ``found`` is (None: nobody's, leave it)."""
        if found in self.initials or found.rstrip(".") in self.initials:
            return self.initials.get(found) or self.initials[found.rstrip(".")]
        words = [w for w in re.split(r"[\s-]+", found) if w]
        owners: set[int] | None = None
        titled = bool(re.match(_TITLE + r"\s", found))
        for word in words:
            bare = word.rstrip(".")
            if bare in TITLES or re.fullmatch(r"[A-Z]\.?", word):
                continue
            token = self.tokens.get(bare.casefold())
            if token is None:
                continue
            if token.exact_case and not (bare[:1].isupper() or titled):
                if token.nickname:
                    return None  # "day" is not David
                unsure.append(Unsure(bare, "is a word, and also the name of someone in the "
                                           "case; it was left as it is"))
                return None
            if token.nickname and token.common and not titled and len(words) == 1 and \
                    _SENTENCE_START.search(before):
                unsure.append(Unsure(bare, "starts a sentence and may be a name of someone in "
                                           "the case; it was left as it is"))
                return None
            owners = set(token.owners) if owners is None else owners & token.owners or \
                owners | token.owners
        return owners

    @staticmethod
    def _leftovers(text: str) -> list[Unsure]:
        """Capitalised words in mid-sentence that are not everyday words: perhaps a name or a
        place that is none of the case's people."""
        found = []
        common = common_words()
        for match in _CAPITALISED.finditer(text):
            word = re.sub(r"['’]s?$", "", match.group(0))
            if _SENTENCE_START.search(text[:match.start()]):
                continue
            if word.casefold() in _NOT_NAMES or word.casefold() in common:
                continue
            if text[match.start() - 1:match.start()] == "[":  # one of our own replacements
                continue
            found.append(Unsure(word, "may be a name or a place; it was left as it is"))
        return found


def _flexible(text: str) -> str:
    """A pattern for ``text`` that allows any spacing (and for digits, none): "07700 900123"
    also finds "07700900123"."""
    if re.fullmatch(r"[\d\s+()-]+", text):
        return r"[\s()-]*".join(re.escape(c) for c in re.sub(r"[\s()-]", "", text))
    return r"\s+".join(re.escape(w) for w in text.split())
