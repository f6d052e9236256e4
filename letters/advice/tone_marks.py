"""Tone in a language whose word lists swletter does not have (Welsh): only what can be judged
whatever the language.

The tone checker's lists of insults, accusations of motive, threats and absolute words, and the
reading-ease formulas, are English: run over Welsh they would find nothing, or the wrong thing.
So Welsh text is checked for what needs no word list — words in capitals for emphasis, repeated
"!" or "?", and sentences too long to follow — in the text's own language, and ``language_note``
says plainly, in that language, that the word lists are English.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from letters.advice import tone
from letters.advice.findings import Finding
from letters.advice.readability import MAX_SENTENCE_WORDS
from letters.advice.wordlists import word_lists
from letters.translations import Say, sayer

#: A word in any alphabet (Welsh has â, ŵ, ŷ …), with its apostrophes: "roedd", "i'r".
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
#: Welsh's vowels: W is one too ("CWM", "GWBL"), so a word in capitals without A, E, I, O, U or Y
#: can still be shouted.
_VOWELS = frozenset("AEIOUWY")
#: A sentence ends at ., ! or ? followed by white space (names' initials are rare in a letter).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def check_marks(text: str, *, path: str = "", kind: str = "prose", names: Iterable[str] = (),
                language: str = "cy") -> list[Finding]:
    """Capitals, repeated punctuation and long sentences in ``text``, said in ``language``;
    every finding is a note for a child's own words (``kind`` "child_views")."""
    if not text.strip():
        return []
    say = sayer(language)
    plain = text.replace("’", "'")
    quoted = [m.span() for m in tone._QUOTED.finditer(plain)]
    name_words = frozenset(w.lower() for n in names for w in re.findall(r"\w+", n))
    lists = word_lists()
    shouting = next(c for c in lists.tone if c.name == "shouting")
    found = [_in_language(f, say) for f in tone._shouting(plain, path, quoted, name_words,
                                                           lists, shouting, _VOWELS)]
    found += _long_sentences(text, path, say)
    if kind == "child_views":
        found = [dataclasses.replace(f, severity="note") for f in found]
    return found


def language_note(path: str = "", language: str = "cy") -> Finding:
    """The note that says the tone check read the text in ``language`` without word lists."""
    say = sayer(language)
    return Finding(
        path=path, category="language", words="",
        message=say("The tone check's word lists are English, so it cannot judge the words of "
                    "Welsh text. It checks only what needs no word list: capitals, repeated "
                    "punctuation and long sentences."),
        suggestion=say("Read your words through as the manager will, or ask someone who writes "
                       "Welsh to read them."),
        severity="note")


def _in_language(finding: Finding, say: Say) -> Finding:
    if tone._REPEATED_MARKS.fullmatch(finding.words):
        return dataclasses.replace(
            finding,
            message=say('"{words}" repeats punctuation, which reads as shouting. Capitals and '
                        "repeated punctuation make a letter sound angry rather than serious.",
                        words=finding.words),
            suggestion=say("Use one full stop or one question mark. A calm letter is taken more "
                           "seriously."))
    return dataclasses.replace(
        finding,
        message=say('"{words}" is in capitals, which reads as shouting. Capitals and repeated '
                    "punctuation make a letter sound angry rather than serious.",
                    words=finding.words),
        suggestion=say("Write it in ordinary letters; calm wording carries more weight."))


def _long_sentences(text: str, path: str, say: Say) -> list[Finding]:
    found = []
    for sentence in _SENTENCE_END.split(text.strip()):
        count = len(_WORD.findall(sentence))
        if count > MAX_SENTENCE_WORDS:
            found.append(Finding(
                path=path, category="long_sentence",
                words=" ".join(sentence.split()[:8]) + " …",
                message=say("this sentence has {count} words. Above {limit} words a sentence is "
                            "hard to follow, and the point gets lost.", count=count,
                            limit=MAX_SENTENCE_WORDS),
                suggestion=say("Split it into shorter sentences, one point each.")))
    return found
