"""How fast is the tone checker? The guided interview calls ``check_text`` on every answer.

Run: ``python benchmarks/bench_tone.py``. Prints the one-off cost of loading the word lists and
the syllable dictionary, then the time per answer. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import time

from letters.advice.readability import reading_scores
from letters.advice.tone import check_text
from letters.advice.wordlists import word_lists

ANSWERS = [
    "Since April my emails and calls about contact arrangements have mostly gone unanswered.",
    "He is a LIAR and completely incompetent!!! He never does anything he says and obviously "
    "hates us.",
    "Sam has told me and his teacher that he does not feel able to talk to Mr Smith and that he "
    "would like someone new. He says the visits make him nervous and that he does not know what "
    "to say. His teacher has noticed that he is quieter on the days of the visits.",
]


def main() -> None:
    start = time.perf_counter()
    word_lists()
    lists_loaded = time.perf_counter()
    reading_scores("A first sentence. A second one.")
    scores_loaded = time.perf_counter()
    rounds = 500
    for i in range(rounds):
        for text in ANSWERS:
            check_text(f"{text} ({i})")  # a new text each time, so no cache helps
    done = time.perf_counter()
    per_answer = (done - scores_loaded) / (rounds * len(ANSWERS))
    print(f"word lists loaded once: {1000 * (lists_loaded - start):.1f} ms")
    print(f"syllable dictionary loaded once: {1000 * (scores_loaded - lists_loaded):.1f} ms")
    print(f"check_text per answer: {1000 * per_answer:.2f} ms")


if __name__ == "__main__":
    main()
