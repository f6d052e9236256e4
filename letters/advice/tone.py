"""Tone: advice on the words a person wrote, before the letter is sent.

A request for a new social worker is weighed on its reasons and evidence; words like "liar",
capitals for emphasis or a threat give the manager a reason to set it aside. ``check_text``
finds those, says why they hurt the request and offers a civil way to say the same thing. It is
a pure function from text to ``Finding``s: the CLI, the interview, the web form and bulk runs
all use it. The word lists are ``letters.advice.wordlists``.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Iterable, Mapping, Sequence

from letters.advice.findings import Finding
from letters.advice.readability import check_readability
from letters.advice.wordlists import Category, WordLists, word_lists
from letters.text import capital

#: The word-list file in ``grounds/``.
WORD_LIST_FILE = "_tone.toml"





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
               names: Iterable[str] = (), people: Mapping[str, str] | None = None,
               language: str = "en") -> list[Finding]:
    """Tone and readability findings for one piece of user-written text.

    ``kind`` is ``prose`` for the writer's own words, or ``child_views`` for a child's own
    words, where everything found is a note and never a fault. ``names`` are people's names in
    the case, never taken for hostile words ("Mr Never", "Karen Never"). ``people`` gives the
    case's ``child`` and ``worker`` as the advice's examples name them ("Sam", "Mr Smith"); the
    word lists' own stand-ins ("my child") are used where it does not. Text in another
    ``language`` than English is checked only for what needs no word list
    (``letters.advice.tone_marks``).
    """
    return in_their_names(_findings(text, path, kind, names, language), people)


def in_their_names(findings: Iterable[Finding],
                   people: Mapping[str, str] | None) -> list[Finding]:
    """Findings whose examples name the family's own child and worker (``{child}``,
    ``{worker}`` in the word lists), or the word lists' stand-ins without ``people``."""
    return [_in_their_names(f, people) for f in findings]


def _in_their_names(finding: Finding, people: Mapping[str, str] | None) -> Finding:
    """A finding whose examples name the family's own child and worker ({child}, {worker})."""
    if "{" not in finding.suggestion and "{" not in finding.message:
        return finding
    stand_ins = word_lists().people
    values = {k: (people or {}).get(k) or v for k, v in stand_ins.items()}
    values |= {capital(k): capital(v) for k, v in values.items()}

    def fill(text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group()), text)

    return dataclasses.replace(finding, message=fill(finding.message),
                               suggestion=fill(finding.suggestion))


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _findings(text: str, path: str, kind: str, names: Iterable[str],
              language: str = "en") -> list[Finding]:
    if kind not in ("prose", "child_views"):
        raise ValueError(f"kind must be 'prose' or 'child_views', not {kind!r}")
    if language != "en":
        from letters.advice.tone_marks import check_marks

        return check_marks(text, path=path, kind=kind, names=names, language=language)
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


def _child_note(path: str, words: Sequence[str], lists: WordLists) -> Finding:
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
                   name_words: frozenset[str], lists: WordLists) -> tuple[list[Finding], list[str]]:
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


def _shouting(text: str, path: str, quoted: Sequence[tuple[int, int]],
              name_words: frozenset[str], lists: WordLists, cat: Category,
              vowels: frozenset[str] = _VOWELS) -> list[Finding]:
    """Words in capitals for emphasis (runs of them reported together) and repeated ! or ?."""
    runs: list[list[tuple[int, int]]] = []
    shouted_runs: set[int] = set()  # the runs holding a word that is shouted on its own
    # Only a word with two capitals in it can be shouted (``_is_shouted``): most texts have
    # none, and need no look at each word.
    tokens = _TOKEN.finditer(text) if _TWO_CAPITALS.search(text) else iter(())
    for m in tokens:
        token = m.group()
        if token.islower() or token[1:].islower():  # at most one capital: not shouted
            continue
        start, end = m.span()
        if _inside(start, end, quoted):
            continue
        shouted = _is_shouted(token, name_words, lists, vowels)
        # "IT" in "IT IS DISGRACEFUL" is shouted with the rest, though "IT" alone is not.
        if not shouted and token.strip(".'-/") not in lists.also_words:
            continue
        if not (runs and _RUN_GAP.fullmatch(text, runs[-1][-1][1], start)):
            runs.append([])
        runs[-1].append((start, end))
        if shouted:
            shouted_runs.add(len(runs) - 1)
    findings = []
    seen: set[str] = set()
    for run in (r for i, r in enumerate(runs) if i in shouted_runs):
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


def _is_shouted(token: str, name_words: frozenset[str], lists: WordLists,
                vowels: frozenset[str] = _VOWELS) -> bool:
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
    return len(letters) >= 4 and any(ch in vowels for ch in letters)


def _jargon(text: str, path: str, lists: WordLists) -> list[Finding]:
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
