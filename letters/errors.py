"""Every failure a user can act on is a ``LettersError``.

The engine raises these; ``cli.py`` turns them into a message and exit code 1. Anything else that
escapes the engine is a bug, and the CLI reports it as one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: At most this many problems are kept and shown for one file; the rest are only counted
#: ("and 1,234 more problems"), so a file with a million mistakes costs no more memory or
#: screen than one with fifty.
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can.

    ``path`` is the field path as a user would write it (``evidence[2].date``); ``line`` is the
    1-based line in the file where known; ``example`` shows what a right value looks like.
    """

    message: str
    path: str = ""
    file: str = ""
    line: int | None = None
    example: str = ""
    #: The path as keys and 0-based indexes, for finding the line in the file.
    parts: tuple[str | int, ...] = field(default=(), compare=False, repr=False)

    def located(self, *, file: str | None = None, line: int | None = None) -> Problem:
        """Return a copy with the file and line filled in (where not already known)."""
        return Problem(
            message=self.message,
            path=self.path,
            file=self.file or (file or ""),
            line=self.line if self.line is not None else line,
            example=self.example,
            parts=self.parts,
        )

    def __str__(self) -> str:
        return self.describe()

    def describe(self, *, with_file: bool = True) -> str:
        """The problem as one line: where, what, and an example of what is right."""
        where = []
        if self.file and with_file:
            where.append(self.file)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.path:
            where.append(self.path)
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.example:
            text += f" For example: {self.example}"
        return text


class LettersError(Exception):
    """Base class: something the user can fix went wrong. The message says what and where."""


def shorten(text: str, limit: int = 40) -> str:
    """Words a file holds, as a message quotes them: at most ``limit`` characters, so a field
    name a megabyte long costs a message no more than a short one."""
    return text if len(text) <= limit else text[:limit] + "…"


def more_problems(more: int) -> str:
    """The line that stands for the problems found but not kept, or "" when there are none."""
    return f"and {more:,} more {'problem' if more == 1 else 'problems'}." if more else ""


class CaseError(LettersError):
    """Raised when a case file cannot be read or is not valid. Carries the problems found: the
    first ``MAX_PROBLEMS`` of them, and how many ``more`` there were."""

    def __init__(self, problems: list[Problem], file: str = "", *, more: int = 0) -> None:
        self.problems = problems
        self.file = file
        self.more = more
        count = len(problems) + more
        noun = "problem" if count == 1 else "problems"
        head = f"{file} has {count:,} {noun}" if file else f"the case has {count:,} {noun}"
        lines = [f"  - {p.describe(with_file=p.file != file)}" for p in problems]
        if more:
            lines.append(f"  {more_problems(more)}")
        super().__init__(head + ":\n" + "\n".join(lines))


class GroundDefinitionError(LettersError):
    """Raised when a ground data file in ``grounds/`` is malformed (a packaging or editing slip)."""


class TemplateError(LettersError):
    """Raised when a template cannot be compiled or fails while rendering.

    The message names the template, the line and what went wrong, with a hint.
    """


class OutputError(LettersError):
    """Raised when a letter cannot be written: the file exists, or the folder is not writable."""


class ConfigError(LettersError):
    """Raised when ``swletter.toml``, or a file or folder that it or an option names (a reference
    .docx, a templates folder), cannot be used. Carries every problem found, like ``CaseError``.
    """

    def __init__(self, problems: list[Problem], file: str = "") -> None:
        self.problems = problems
        self.file = file
        if len(problems) == 1:
            only = problems[0]
            where = only.describe(with_file=only.file != file)
            super().__init__(f"{file}: {where}" if file else where)
            return
        head = f"{file} has {len(problems)} problems" if file else f"{len(problems)} problems"
        lines = [f"  - {p.describe(with_file=p.file != file)}" for p in problems]
        super().__init__(head + ":\n" + "\n".join(lines))


class PdfError(OutputError):
    """Raised when a PDF cannot be made: Typst refuses the letter, or LibreOffice (for a
    letterhead) is missing, fails, or takes too long."""


class DateError(LettersError):
    """Raised when a date is outside the years swletter can count working days in."""


class RegisterError(LettersError):
    """Raised when the register of letters cannot be opened, read or written: the file is not a
    register, was made by a newer swletter, or names a letter that is not in it."""


class FollowUpError(LettersError):
    """Raised when a follow-up letter cannot be planned: no first letter to cite, or dates that
    cannot be right (a follow-up dated before the letter it follows)."""
