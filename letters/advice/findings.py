"""A finding: one piece of advice about a letter, where it is, and how to fix it.

Severity: a ``warning`` is something to fix before sending (``--strict`` refuses to go on); a
``note`` is shown but never counted as a fault — a child's own words, words in quotation marks,
and plain-English hints (passive voice, jargon), which are often right as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

#: The tone categories, in the order findings are reported.
TONE_CATEGORIES = ("insult", "motive", "threat", "profanity", "absolute", "shouting")


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
