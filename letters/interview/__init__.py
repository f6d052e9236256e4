"""The guided interview that builds a case file, one plain question at a time.

``engine`` drives it (``Interview``), and ``outcomes`` holds what it gives back; ``plan``
works out the questions from the answers; ``questions`` reads them from
``grounds/_questions.toml``; ``wording`` offers the tone checker's suggestions; ``files`` reads
and saves case files for it.
"""

from letters.interview.engine import (
    STATE_VERSION,
    Interview,
    StateError,
    interview_language,
    state_from_text,
    state_to_text,
    summary_sections,
)
from letters.interview.files import (
    answers_from_bytes,
    answers_from_upload,
    answers_to_yaml,
    load_answers,
    save_answers,
)
from letters.interview.outcomes import Accepted, Outcome, Rejected, SummaryRow, ToneConcern
from letters.interview.questions import (
    CITES,
    GROUNDS,
    YESNO,
    Choice,
    Question,
    Section,
    load_questions,
)
from letters.interview.wording import ToneCheck, ToneNote, default_tone_check, tone_notes

__all__ = [
    "CITES",
    "GROUNDS",
    "STATE_VERSION",
    "YESNO",
    "Accepted",
    "Choice",
    "Interview",
    "Outcome",
    "Question",
    "Rejected",
    "Section",
    "StateError",
    "SummaryRow",
    "ToneCheck",
    "ToneConcern",
    "ToneNote",
    "answers_from_bytes",
    "answers_from_upload",
    "answers_to_yaml",
    "default_tone_check",
    "interview_language",
    "load_answers",
    "load_questions",
    "save_answers",
    "state_from_text",
    "state_to_text",
    "summary_sections",
    "tone_notes",
]
