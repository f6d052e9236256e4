"""The tone checker's word lists, read from ``grounds/_tone.toml`` once per process.

Each category (insults, claims about motive, threats, profanity, absolutes, shouting) has its
phrases and patterns, the message that says why they hurt a request, and a civil suggestion.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from letters.advice.findings import TONE_CATEGORIES
from letters.case.grounds import read_shared_data
from letters.errors import GroundDefinitionError

#: The word-list file in ``grounds/``.
WORD_LIST_FILE = "_tone.toml"



@dataclass(frozen=True)
class Category:
    name: str
    label: str
    why: str
    suggestion: str
    pattern: re.Pattern[str] | None
    allow: re.Pattern[str] | None
    alternatives: Mapping[str, str]


@dataclass(frozen=True)
class WordLists:
    tone: tuple[Category, ...]
    shouting: Mapping[str, Any]
    acronyms: frozenset[str]
    short_words: frozenset[str]
    child_words: Mapping[str, str]
    quoted: Mapping[str, str]
    serious: re.Pattern[str] | None
    jargon: tuple[tuple[re.Pattern[str], str], ...]
    #: Matches where any of ``jargon`` does: most texts have none, found in one search.
    jargon_any: re.Pattern[str] | None = None
    #: Who, copied into a first request, makes it read as a legal dispute ([copies] legal).
    legal_copies: re.Pattern[str] | None = None
    #: Abbreviations that are also English words ("IT"): lowered with the shouting around them.
    also_words: frozenset[str] = frozenset()
    #: Who the advice's examples name where the case does not say: {child}, {worker}.
    people: Mapping[str, str] = dataclasses.field(default_factory=dict)


def _phrase_regex(phrase: str) -> str:
    """A listed word or phrase as a regular expression: words whole, any spacing between them,
    and a trailing "*" on a word for any ending."""
    parts = []
    for word in phrase.lower().split():
        if word.endswith("*") and len(word) > 1:
            parts.append(re.escape(word[:-1]) + r"\w*")
        else:
            parts.append(re.escape(word))
    return r"\s+".join(parts)


def _alternation(phrases: Iterable[str], patterns: Iterable[str] = ()) -> re.Pattern[str] | None:
    """One pattern finding any of ``phrases`` (the longest where several start at one place)
    or ``patterns``, as whole words."""
    items = sorted({p for p in phrases if p.strip()}, key=len, reverse=True)
    patterns = list(patterns)
    if items and not patterns and not any(_is_wildcard(w) for p in items for w in p.split()):
        # Whole words only: the same matches from a tree of their letters, which the regular
        # expression engine follows letter by letter instead of trying every phrase at every
        # word (a tenth of the time for a few dozen phrases).
        body = _tree_regex(_letter_tree(items))
    else:
        body = "|".join([_phrase_regex(p) for p in items] + patterns)
    if not body:
        return None
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)", re.IGNORECASE)


def _is_wildcard(word: str) -> bool:
    return word.endswith("*") and len(word) > 1


#: A tree of phrases: each key a lower-case character or " " (any white space between words);
#: the key "" marks where a phrase ends.
_Tree = dict[str, "_Tree"]


def _letter_tree(phrases: Iterable[str]) -> _Tree:
    tree: _Tree = {}
    for phrase in phrases:
        node = tree
        for token in " ".join(phrase.lower().split()):
            node = node.setdefault(token, {})
        node[""] = {}
    return tree


def _tree_regex(node: _Tree) -> str:
    """The tree as a regular expression. Where a phrase ends and a longer one goes on, the
    longer is tried first (greedy ``?``), as the longest phrase is in a plain alternation."""
    branches = [(r"\s+" if token == " " else re.escape(token)) + _tree_regex(child)
                for token, child in node.items() if token]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"


def _strings(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GroundDefinitionError(f"grounds/{WORD_LIST_FILE}: [{where}] {key} must be a list "
                                    'of words in quotes, such as words = ["liar", "useless"]')
    return value


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise GroundDefinitionError(f"grounds/{WORD_LIST_FILE}: [{where}] needs {key}, such as "
                                    f'{key} = "…"')
    return value.strip()


def parse_word_lists(text: str) -> WordLists:
    """Read the word lists from the text of ``_tone.toml``.

    Raises ``GroundDefinitionError`` naming the section when the file is malformed, so a charity
    that extends the lists sees what to fix.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise GroundDefinitionError(f"grounds/{WORD_LIST_FILE} is not valid TOML: {err}") from err
    for needed in (*TONE_CATEGORIES, "child_words", "quoted"):
        if not isinstance(data.get(needed), dict):
            raise GroundDefinitionError(f"grounds/{WORD_LIST_FILE} needs a [{needed}] section")
    categories = []
    for name in TONE_CATEGORIES:
        section = data[name]
        alternatives = section.get("alternatives", {})
        if not isinstance(alternatives, dict):
            raise GroundDefinitionError(f"grounds/{WORD_LIST_FILE}: [{name}.alternatives] must "
                                        'map a word to a suggestion, such as liar = "…"')
        try:
            pattern = _alternation(_strings(section, "words", name),
                                   _strings(section, "patterns", name))
        except re.error as err:
            raise GroundDefinitionError(f"grounds/{WORD_LIST_FILE}: [{name}] patterns has an "
                                        f"invalid regular expression: {err}") from err
        categories.append(Category(
            name=name,
            label=_text(section, "label", name),
            why=_text(section, "why", name),
            suggestion=_text(section, "suggestion", name),
            pattern=pattern,
            allow=_alternation(_strings(section, "allow", name)),
            alternatives={" ".join(k.lower().split()): str(v) for k, v in alternatives.items()},
        ))
    shouting = data["shouting"]
    jargon = data.get("jargon", {})
    if not isinstance(jargon, dict):
        raise GroundDefinitionError(f"grounds/{WORD_LIST_FILE}: [jargon] must map a word to a "
                                    'plainer one, such as utilise = "use"')
    return WordLists(
        tone=tuple(categories),
        shouting=shouting,
        acronyms=frozenset(_strings(shouting, "acronyms", "shouting")),
        short_words=frozenset(w.upper() for w in _strings(shouting, "short_words", "shouting")),
        child_words={k: _text(data["child_words"], k, "child_words")
                     for k in ("label", "why", "suggestion")},
        quoted={k: _text(data["quoted"], k, "quoted") for k in ("label", "why", "suggestion")},
        serious=_alternation(_strings(data.get("serious_claims", {}), "words", "serious_claims")),
        jargon=tuple(
            (re.compile(r"(?<!\w)" + _phrase_regex(word) + r"(?!\w)", re.IGNORECASE), str(plain))
            for word, plain in jargon.items()
        ),
        jargon_any=_alternation(jargon),
        legal_copies=_alternation(_strings(data.get("copies", {}), "legal", "copies")),
        also_words=frozenset(_strings(shouting, "also_words", "shouting")),
        people={str(k): str(v) for k, v in data.get("people", {}).items()},
    )


@functools.cache
def word_lists() -> WordLists:
    """The word lists shipped in ``grounds/_tone.toml``, read once per process."""
    return parse_word_lists(read_shared_data(WORD_LIST_FILE))
