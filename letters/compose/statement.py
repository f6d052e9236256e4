"""A draft supporting statement for a child advocate (or anyone in ``supporting_statements``).

The family encloses a statement from someone who knows the child; it shows the manager that the
request is in the child's best interests. This drafts it from the case: who the author is, how
they know the child (``relationship``), what the child has said (``child_views``, or the
child-not-engaging ground's views as the family gave them), why a change of worker would help
(``opinion``), and whether the child agreed to it being shared (``child_consent``). It is written
in the author's own voice; the family's words, where it falls back on them, are quoted as
theirs. Each part the author has not given yet becomes a clearly marked prompt, worded in the
language file (``[statement]``), and ``statement_todo`` lists them for ``swletter check``.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from letters.case.grounds import fields_with_role
from letters.case.model import Case, SupportingStatement, case_references
from letters.compose.documents import Rendered, document_kind
from letters.compose.language import DEFAULT as DEFAULT_LANGUAGE
from letters.compose.language import LANGUAGES, Language, language
from letters.dates import long_date
from letters.errors import CaseError, LettersError, Problem
from letters.templating.environment import language_context, render_template


class StatementChoiceError(LettersError):
    """Raised when ``--by`` names no author of a supporting statement in the case."""


@dataclass(frozen=True)
class MissingPart:
    """A part of the statement the author still has to give: the field and its prompt."""

    field: str
    what: str
    prompt: str


@dataclass(frozen=True)
class StatementDraft:
    """A supporting statement as drafted: whose it is, and the parts still to complete."""

    statement: SupportingStatement
    index: int
    missing: tuple[MissingPart, ...]
    views_from_letter: bool


def choose_statement(case: Case, by: str | None = None) -> tuple[int, SupportingStatement]:
    """The statement by ``by`` (an author's name, any case), or the first one."""
    statements = case.supporting_statements
    if not statements:
        raise CaseError([Problem(
            "there is no supporting statement to draft: add the person who will write it "
            "under supporting_statements.", path="supporting_statements", file=case.source,
            example="supporting_statements: [{author: Priya Shah, role: Independent Advocate}]",
        )], case.source)
    if by is None:
        return 0, statements[0]
    wanted = " ".join(by.split()).lower()
    for i, st in enumerate(statements):
        if st.author.lower() == wanted:
            return i, st
    authors = [st.author for st in statements]
    # A first or last name alone is enough when it picks out one author.
    partial = [i for i, a in enumerate(authors) if wanted in a.lower().split()]
    if len(partial) == 1:
        return partial[0], statements[partial[0]]
    match = difflib.get_close_matches(by, authors, n=1, cutoff=0.5)
    hint = f' Did you mean "{match[0]}"?' if match else ""
    raise StatementChoiceError(
        f'no supporting statement in {case.source or "the case"} is by "{by}".{hint} '
        f"The authors are: {', '.join(authors)}."
    )


def _views_ground(case: Case) -> tuple[dict[str, Any], str, str]:
    """The ground holding the child's own views (the one whose field has the role
    ``child_views``) as raised in the case, that field's name, and the name of its field saying
    which child; empty when the case raises no such ground."""
    for ground, spec in fields_with_role("child_views"):
        if ground.id in case.grounds:
            which = next((f.name for f in ground.fields if f.kind == "child"), "")
            return case.grounds[ground.id] or {}, spec.name, which
    return {}, "", ""


def _letter_views(case: Case) -> str | None:
    """The child's views as the family's letter gives them, if it does."""
    data, name, _ = _views_ground(case)
    return data.get(name) if name else None


def _about_child(case: Case, lang: Language) -> tuple[list[str], str, bool]:
    """The children the statement is about (full names, first names joined, whether several):
    the child the views are about, or else every child in the case."""
    data, _, which = _views_ground(case)
    child = data.get(which) if which else None
    if child:
        return [child], lang.first_name(child), False
    names = [c.name for c in case.children]
    return names, lang.join(lang.first_names(names)), len(names) > 1


def draft_statement(case: Case, by: str | None = None, *, template_dirs: Sequence[str] = (),
                    code: str = DEFAULT_LANGUAGE) -> Rendered:
    """Draft the supporting statement by ``by`` (or the first one) for ``case``; the rendered
    document's ``document`` is the ``StatementDraft``."""
    index, st = choose_statement(case, by)
    lang = language(code)
    children, child_first, several = _about_child(case, lang)
    letter_views = _letter_views(case)
    views_from_letter = not st.child_views and bool(letter_views)
    words = _words(lang, child_first, several, case)
    missing = _missing(st, lang, words, views_from_letter)
    recipient = case.recipient
    salutation, _ = lang.salutation(recipient.title, recipient.name)
    context: dict[str, Any] = {
        **language_context(case, lang),
        "case": case,
        "statement": st,
        "child": lang.join(children),
        "child_first": child_first,
        "several": several,
        "letter_views": letter_views if views_from_letter else None,
        "recipient": recipient,
        "worker": case.social_worker,
        "sender": case.sender,
        "relationship": lang.relationship(case.sender.relationship,
                                          keep=case.sender.keep_relationship),
        "salutation": salutation,
        # The request is for every child, whoever the statement is about.
        "subject": lang.subject("statement", [c.name for c in case.children],
                                case.case_reference),
        "request_for": lang.join(lang.first_names([c.name for c in case.children])),
        "role_in_sentence": role_in_sentence(st.role),
        # An advocate says they are independent of children's services.
        "independent": is_advocate(st.role),
        "prompts": {m.field: m.prompt for m in missing},
    }
    kind = document_kind("statement")
    markdown = render_template(kind.template, context, template_dirs=template_dirs, code=code)
    draft = StatementDraft(st, index, tuple(missing), views_from_letter)
    return Rendered(kind, markdown, title=lang.title("statement", author=st.author) or "",
                    language=code, document=draft, who=st.author, date=st.date,
                    author=st.author, warnings=_dated_before_letter(case, index, st),
                    references=case_references(case))


@functools.cache
def _advocate_words() -> tuple[str, ...]:
    """The words for an advocate in an author's role, in every language (``advocate_words``
    in each data file's ``[statement]``): a family in Wales may write the role in either."""
    return tuple(str(word).casefold() for code in LANGUAGES
                 for word in language(code).data["statement"]["advocate_words"])


def is_advocate(role: str | None) -> bool:
    """Whether a statement's author is an advocate, by the words of their role ("Independent
    Advocate", "Eiriolwr Annibynnol")."""
    return any(word in (role or "").casefold() for word in _advocate_words())


def role_in_sentence(role: str | None) -> str:
    """A role as it reads inside a sentence ("I am Tobi's independent advocate"): each word
    written with a capital and small letters after it is lowered; acronyms and words in other
    shapes ("NYAS") are kept as typed."""
    return " ".join(w.lower() if w[:1].isupper() and w[1:].islower() else w
                    for w in (role or "").split())


def _dated_before_letter(case: Case, index: int,
                         st: SupportingStatement) -> tuple[Problem, ...]:
    """A statement that quotes the family's letter (it gives no child's views of its own, and
    the letter does) cannot be dated before that letter."""
    quotes_letter = not st.child_views and bool(_letter_views(case))
    if not (quotes_letter and st.date and case.date and st.date < case.date):
        return ()
    return (Problem(
        f"the statement quotes the family's letter of {long_date(case.date)}, but it is dated "
        f"{long_date(st.date)}, before the letter. Date it on or after the letter, or give the "
        "child's views as the author heard them (child_views).",
        path=f"supporting_statements[{index + 1}].date", file=case.source,
        example=f"date: {case.date.isoformat()}"),)


def _words(lang: Language, child: str, several: bool, case: Case) -> dict[str, str]:
    """The values the statement's prompts and descriptions are filled with."""
    data = lang.data["statement"]
    grammar = data["several" if several else "one"]
    values = {"child": child, "child_possessive": lang.possessive(child),
              "letter_date": lang.date(case.date) if case.date else ""}
    return {**values, **{k: str(v).format(**values) for k, v in grammar.items()}}


def _missing(st: SupportingStatement, lang: Language, words: dict[str, str],
             views_from_letter: bool) -> list[MissingPart]:
    """The parts the author has not given, each with its prompt and description."""
    data = lang.data["statement"]
    prompts, what = data["prompts"], data["missing"]
    parts = []
    for name in _PARTS:
        if getattr(st, name):
            continue
        key = name
        if name == "child_views" and views_from_letter:
            key = "child_views_from_letter"
        elif name == "date" and views_from_letter and words["letter_date"]:
            key = "date_after_letter"
        parts.append(MissingPart(name, str(what[name]).format(**words),
                                 str(prompts[key]).format(**words)))
    return parts


#: The parts of a statement its author gives, in the order the draft shows them.
_PARTS = ("role", "organisation", "relationship", "child_views", "opinion", "child_consent",
          "date")


def statement_todo(case: Case) -> list[tuple[int, SupportingStatement, tuple[MissingPart, ...]]]:
    """For each supporting statement, the author's parts still missing (for ``swletter check``).

    Role, organisation and date are left out: the letter reads well without them, and the draft
    leaves a marked blank for them anyway.
    """
    lang = language(DEFAULT_LANGUAGE)
    _, child, several = _about_child(case, lang)
    has_views = bool(_letter_views(case))
    words = _words(lang, child, several, case)
    out = []
    for i, st in enumerate(case.supporting_statements):
        parts = tuple(p for p in _missing(st, lang, words, has_views and not st.child_views)
                      if p.field not in ("role", "organisation", "date"))
        if parts:
            out.append((i, st, parts))
    return out
