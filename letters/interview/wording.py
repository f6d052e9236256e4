"""The tone checker's advice on an interview answer, and a tidied wording where one is safe."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from letters.case.model import clean_text
from letters.text import capital


@dataclass(frozen=True)
class ToneNote:
    """One thing the tone checker noticed in an answer, with its civil suggestion."""

    message: str
    suggestion: str = ""


class CaseNames(tuple[str, ...]):
    """Everyone named in the case (so the tone checker never takes a name for a word), with
    the ``child`` and ``worker`` its examples may name ("Sam", "Mr Smith")."""

    child: str = ""
    worker: str = ""

    @classmethod
    def of(cls, names: Sequence[str], *, child: str = "", worker: str = "") -> CaseNames:
        made = cls(names)
        made.child, made.worker = child, worker
        return made

    @property
    def people(self) -> dict[str, str]:
        return {k: v for k, v in (("child", self.child), ("worker", self.worker)) if v}


#: A tone checker as the interview uses it: (text, field path, kind, people's names — a
#: ``CaseNames`` from the interview — and the interview's language) -> (notes, a tidied
#: wording or None).
ToneCheck = Callable[[str, str, str, Sequence[str], str],
                     tuple[tuple[ToneNote, ...], str | None]]


def default_tone_check() -> ToneCheck | None:
    """The tone checker from ``letters.advice.tone``, adapted for the interview; None if absent."""
    try:
        tone = importlib.import_module("letters.advice.tone")
    except ImportError:
        return None
    check_text = getattr(tone, "check_text", None)
    if check_text is None:
        return None

    def check(text: str, path: str, kind: str, names: Sequence[str],
              language: str = "en") -> tuple[tuple[ToneNote, ...], str | None]:
        people = names.people if isinstance(names, CaseNames) else None

        def findings(words: str) -> Any:
            return check_text(words, path=path, kind=kind, names=names, people=people,
                              language=language)

        if language == "en":
            return tone_notes(text, findings(text), recheck=findings)

        # Without word lists for the language, a word in capitals cannot be judged once it is
        # lowered ("Mae hi'n DDIWERTH" is an insult): it is left for the person to reword. And
        # what is offered must pass the English lists too, since people write English in a
        # Welsh form ("He is USELESS!!!" is never tidied to "He is useless.").
        def recheck(words: str) -> list[Any]:
            english = check_text(words, path=path, kind=kind, names=names, people=people)
            return [*findings(words), *(f for f in english if f.category in _WORD_LISTS)]

        return tone_notes(text, findings(text), recheck=recheck, lower_capitals=False)

    return check


_REPEATED = re.compile(r"([!?])[!?]+")
#: The tone checker's categories that come from its English word lists.
_WORD_LISTS = frozenset({"insult", "motive", "absolute", "threat", "profanity"})
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)$")


def tone_notes(text: str, findings: Sequence[Any], *,
               recheck: Callable[[str], Sequence[Any]] | None = None,
               lower_capitals: bool = True) -> tuple[tuple[ToneNote, ...], str | None]:
    """The tone checker's warnings as notes, and a tidied wording where one can be made safely.

    Only what changes no meaning is rewritten: capitals used for shouting, repeated "!" or "?",
    and words the checker says to leave out ("completely"). Insults or claims about motive need
    the person's own rewording, so the notes explain them, and no tidied wording is offered while
    any word the checker flagged is still in it. ``recheck`` (the checker itself) reads the tidied
    wording again: it is offered only if nothing in it is flagged. Findings that are only notes
    (a child's own words) are not put to the person. Without ``lower_capitals`` (a language the
    checker has no word lists for) words in capitals are left as they are, so no wording that
    holds them is offered.
    """
    warnings = [f for f in findings if str(getattr(f, "severity", "warning")) == "warning"]
    notes = tuple(ToneNote(str(getattr(f, "message", f)), str(getattr(f, "suggestion", "") or ""))
                  for f in warnings)
    rewrite = text
    for finding in warnings:
        rewrite = _tidied(rewrite, finding, lower_capitals)
    rewrite = clean_text(rewrite.replace(" .", ".").replace("..", "."))
    if rewrite and rewrite[0].islower() and text[:1].isupper():
        rewrite = rewrite[0].upper() + rewrite[1:]
    if not rewrite or rewrite == clean_text(text) or _keeps_flagged(rewrite, warnings):
        return notes, None
    if recheck is not None and any(str(getattr(f, "severity", "warning")) == "warning"
                                   for f in recheck(rewrite)):
        return notes, None
    return notes, rewrite


def _tidied(text: str, finding: Any, lower_capitals: bool = True) -> str:
    """``text`` with one finding tidied where that changes no meaning."""
    words = str(getattr(finding, "words", "") or "")
    category = str(getattr(finding, "category", ""))
    suggestion = str(getattr(finding, "suggestion", ""))
    # Matched without regard to case: an earlier fix may have lower-cased the same word.
    if not words or words.lower() not in text.lower():
        return text
    if category == "shouting":
        if _REPEATED.fullmatch(words):
            return text.replace(words, "." if words[0] == "!" else "?", 1)
        if words.upper() == words and lower_capitals:
            return re.sub(rf"\b{re.escape(words)}\b", _lowered, text, count=1)
        return text
    if suggestion.lower().startswith("leave the word out"):
        return re.sub(rf"\s*\b{re.escape(words)}\b", "", text, count=1, flags=re.IGNORECASE)
    return text


def _lowered(match: re.Match[str]) -> str:
    """Shouted words in ordinary letters, with a capital where they start a sentence."""
    words = match.group().lower()
    if _SENTENCE_START.search(match.string[:match.start()]):
        return capital(words)
    return words


def _keeps_flagged(rewrite: str, warnings: Sequence[Any]) -> bool:
    """Whether a word a warning was about is still in the rewrite (capitals and repeated marks
    are tidied away, so only their shouting is gone: those count as kept only in capitals)."""
    for finding in warnings:
        words = str(getattr(finding, "words", "") or "")
        if not words:
            continue
        if str(getattr(finding, "category", "")) == "shouting":
            if words in rewrite and ((words.upper() == words and any(c.isalpha() for c in words))
                                     or _REPEATED.fullmatch(words)):
                return True
        elif re.search(rf"(?<!\w){re.escape(words)}(?!\w)", rewrite, re.IGNORECASE):
            return True
    return False
