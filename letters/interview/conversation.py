"""The interview as a conversation in a terminal: what is said, what is asked, in what order.

The conversation never touches the terminal itself: the front end passes a ``Terminal`` that
shows text and reads answers (``swletter new`` gives one made with click), so this module
neither prints nor reads the keyboard. Every sentence it says is data (``[messages]`` in
``grounds/_questions.toml``), so a Welsh interview is a data file, not a fork.

A case given with ``--from`` opens on the summary of its answers: a number changes that
answer, Enter carries on where the answers stop (or finishes).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from letters.interview.engine import Interview, summary_sections
from letters.interview.files import save_answers
from letters.interview.outcomes import Accepted, Rejected, ToneConcern
from letters.interview.questions import Question, Section
from letters.text import capital


class Stopped(Exception):
    """The person stopped (Ctrl-C, or the end of piped answers)."""


class Terminal(Protocol):
    """What the conversation needs from a front end. ``ask`` raises ``Stopped`` when the
    person stops; ``style`` is one of "", "heading", "item", "question", "dim", "warning",
    "error"."""

    width: int

    def show(self, text: str, style: str = "") -> None: ...

    def ask(self, prompt: str, default: str = "", *, show_default: bool = False,
            choices: Sequence[str] = (), prefill: str = "") -> str: ...


@dataclass
class Conversation:
    """Asks ``interview``'s questions through ``terminal``, saving to ``target`` as it goes.

    ``run`` returns True when every question is answered and the case is saved as finished,
    False when the person stopped (what was answered is saved, marked unfinished)."""

    interview: Interview
    target: Path
    terminal: Terminal
    #: The file is ours to replace: the --from file, or once this conversation has saved.
    overwrite: bool = False
    section: str = field(default="", init=False)
    item: str = field(default="", init=False)

    def say(self, name: str, **values: Any) -> str:
        return self.interview.questions.say(name, **values)

    def run(self) -> bool:
        try:
            while True:
                self._ask_all()
                if self._review():
                    break
        except Stopped:
            return False
        self.save(finished=True)
        return True

    def ask_yes_no(self, question: str, default: bool = True) -> bool:
        """Ask a yes/no question outside the interview (write the letter now?), in its
        language; False when the person stops."""
        say = self.say
        self.terminal.show("")
        while True:
            try:
                answer = self.terminal.ask(question + say("yes_or_no_hint"),
                                           say("yes" if default else "no"), show_default=True)
            except Stopped:
                return False
            said = self.interview.questions.yes_no(answer)
            if said is not None:
                return said
            self._show(say("sorry", message=say("yes_or_no")), "error")

    def save(self, *, finished: bool) -> Path:
        path = save_answers(self.interview.data, self.target, finished=finished,
                            force=self.overwrite)
        self.overwrite = True
        return path

    def stopped_message(self) -> tuple[str, Path | None]:
        """What to say when the person stops, and the file the answers were saved in."""
        if not self.interview.has_answers:
            return self.say("stopped_nothing"), None
        complete = self.interview.first_unanswered() is None
        path = self.save(finished=complete)
        said = self.say("stopped_saved" if complete else "stopped_unfinished", path=path)
        return f"{said}\n{self.say('carry_on_with', path=path)}", path

    # -- text --------------------------------------------------------------------------------

    def _wrap(self, text: str, indent: str = "  ", more: str | None = None) -> str:
        return textwrap.fill(text, width=self.terminal.width, initial_indent=indent,
                             subsequent_indent=indent + "  " if more is None else more,
                             break_on_hyphens=False, break_long_words=False)

    def _show(self, text: str, style: str = "", indent: str = "  ",
              more: str | None = None) -> None:
        self.terminal.show(self._wrap(text, indent, more), style)

    # -- the questions -----------------------------------------------------------------------

    def _ask_all(self) -> None:
        iv = self.interview
        while (q := iv.next_question()) is not None:
            if q.section.id != self.section:
                if self.section and iv.has_answers:
                    self.save(finished=False)  # a stopped terminal loses at most one section
                self.section = q.section.id
                self.item = ""
                self._heading(q.section)
            if q.item and q.item != self.item:
                self.item = q.item
                self.terminal.show(f"\n{q.item}", "item")
            self._ask(q)

    def _heading(self, section: Section) -> None:
        if not section.title:
            return
        self.terminal.show("")
        self.terminal.show(section.title, "heading")
        self.terminal.show("=" * len(section.title))
        if section.intro:
            self.terminal.show("\n\n".join(self._wrap(p, "", "")
                                           for p in section.intro.split("\n\n")))

    def _ask(self, q: Question) -> None:
        self.terminal.show("")
        yes_no = q.kind in ("yesno", "flag")
        text = q.text + (self.say("yes_or_no_hint") if yes_no else "")
        self._show(text, "question", "", "  ")
        for choice in q.choices:
            self.terminal.show(f"  {choice.number}. {choice.label}")
            if choice.explanation:
                self._show(choice.explanation, "", "     ", "     ")
        if q.help:
            self._show(q.help, "", "  ", "  ")
        if q.example and not yes_no:
            self._show(self.say("for_example", example=q.example), "dim")
        if q.note:
            self._show(q.note, "warning")
        while not self._submit(q, self.terminal.ask(">", q.default or "",
                                                    show_default=bool(q.default))):
            pass

    def _submit(self, q: Question, answer: str, *, check_tone: bool = True) -> bool:
        outcome = self.interview.submit(answer, check_tone=check_tone)
        if isinstance(outcome, Accepted):
            if outcome.note and outcome.note != answer.strip():
                self._show(f"({outcome.note})", "dim")
            if q.id == "recipient.name" and outcome.value is None:
                self._show(self.say("dear_sir_or_madam"), "dim")
            return True
        if isinstance(outcome, Rejected):
            message = outcome.problem.message
            self._show(self.say("sorry", message=capital(message)), "error")
            if outcome.problem.example:
                self._show(self.say("for_example", example=outcome.problem.example))
            return False
        return self._tone(q, outcome)

    def _tone(self, q: Question, concern: ToneConcern) -> bool:
        self.terminal.show(f"  {self.say('tone_heading')}", "warning")
        for note in concern.notes:
            self._show(f"- {note.message}", "", "  ", "    ")
            if note.suggestion:
                self._show(self.say("suggestion", text=note.suggestion), "", "    ", "    ")
        options = {"e": self.say("choose_edit"), "k": self.say("choose_keep")}
        if concern.rewrite:
            self._show(self.say("tidied", text=concern.rewrite), "", "  ", "    ")
            options = {"a": self.say("choose_tidied"), **options}
        labels = [f"{v} ({k})" for k, v in options.items()]
        menu = self.say("list_or", first=", ".join(labels[:-1]), last=labels[-1])
        choice = self.terminal.ask(f"  {capital(menu)}?", "e",
                                   choices=list(options))
        if choice == "a" and concern.rewrite:
            return self._submit(q, concern.rewrite, check_tone=False)
        if choice == "k":
            return self._submit(q, concern.text, check_tone=False)
        edited = self.terminal.ask(f"  {self.say('your_answer')}",
                                   prefill=concern.rewrite or concern.text)
        return self._submit(q, edited)

    # -- the summary -------------------------------------------------------------------------

    def _review(self) -> bool:
        """Show every answer, numbered; True when the person is done, False to ask more."""
        rows = self.interview.summary()
        self.terminal.show("")
        heading = self.say("your_answers")
        self.terminal.show(heading, "heading")
        self.terminal.show("=" * len(heading))
        for title, items in summary_sections(rows):
            self.terminal.show(f"\n{title}", "heading")
            for row in items:
                self._show(f"{row.number}. {row.label}: {row.value}", "", "  ", "      ")
        more = self.interview.first_unanswered() is not None
        self.terminal.show("")
        prompt = self._wrap(self.say("change_or_carry_on" if more else "change_or_save"), "")
        choice = self.terminal.ask(prompt + "\n>").strip().rstrip(".")
        if choice.isdigit() and 1 <= int(choice) <= len(rows):
            self.interview.go_to(rows[int(choice) - 1].key)
            self.section = ""
            return False
        if choice:
            self._show(self.say("no_such_answer", choice=choice, last=len(rows)), "error")
            return False
        if more:
            self.interview.resume()
            return False
        return True
