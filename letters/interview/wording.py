"""The tone checker's advice on an interview answer, and a tidied wording where one is safe."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from letters.case.model import clean_text


@dataclass(frozen=True)
class ToneNote:
    """One thing the tone checker noticed in an answer, with its civil suggestion."""

    message: str
    suggestion: str = ""


#: A tone checker as the interview uses it: (text, field path, kind, people's names, the
#: interview's language) -> (notes, a tidied wording or None).
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
        return tone_notes(text, check_text(text, path=path, kind=kind, names=names,
                                           language=language))

    return check


_REPEATED = re.compile(r"([!?])[!?]+")


def tone_notes(text: str, findings: Sequence[Any]) -> tuple[tuple[ToneNote, ...], str | None]:
    """The tone checker's warnings as notes, and a tidied wording where one can be made safely.

    Only what changes no meaning is rewritten: capitals used for shouting, repeated "!" or "?",
    and words the checker says to leave out ("completely"). Insults or claims about motive need
    the person's own rewording, so the notes explain them. Findings that are only notes (a
    child's own words) are not put to the person.
    """
    notes = []
    rewrite = text
    for finding in findings:
        if str(getattr(finding, "severity", "warning")) != "warning":
            continue
        notes.append(ToneNote(str(getattr(finding, "message", finding)),
                              str(getattr(finding, "suggestion", "") or "")))
        words = str(getattr(finding, "words", "") or "")
        category = str(getattr(finding, "category", ""))
        suggestion = str(getattr(finding, "suggestion", ""))
        # Matched without regard to case: an earlier fix may have lower-cased the same word.
        if not words or words.lower() not in rewrite.lower():
            continue
        if category == "shouting":
            if _REPEATED.fullmatch(words):
                rewrite = rewrite.replace(words, "." if words[0] == "!" else "?", 1)
            elif words.isupper():
                rewrite = re.sub(rf"\b{re.escape(words)}\b", words.lower(), rewrite, count=1)
        elif suggestion.lower().startswith("leave the word out"):
            rewrite = re.sub(rf"\s*\b{re.escape(words)}\b", "", rewrite, count=1,
                             flags=re.IGNORECASE)
    rewrite = clean_text(rewrite.replace(" .", ".").replace("..", "."))
    if rewrite and rewrite[0].islower() and text[:1].isupper():
        rewrite = rewrite[0].upper() + rewrite[1:]
    return tuple(notes), (rewrite if rewrite != clean_text(text) else None)
