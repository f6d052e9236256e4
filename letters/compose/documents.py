"""The kinds of document swletter writes, and a document once it is put into words.

Each kind (``grounds/_documents.toml``) has its template, the start of its file name, and the
kind the register records it under; its subject line comes from the language. ``Rendered`` is
every document put into words (a request, a follow-up, a supporting statement), and
``file_name`` the one way their default file names are made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from letters.case.grounds import read_shared_data
from letters.compose.language import choose_language, languages_of
from letters.errors import GroundDefinitionError, Problem

if TYPE_CHECKING:
    from letters.case.model import Case

_WHERE = "grounds/_documents.toml"


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: ``request``, ``chaser``, ``reasons``, ``complaint``, ``statement``."""

    id: str
    template: str
    stem: str
    named_after: str
    register: str | None = None


@functools.cache
def document_kinds() -> dict[str, DocumentKind]:
    """Every kind of document, by id, read once per process."""
    try:
        data = tomllib.loads(read_shared_data("_documents.toml"))
    except tomllib.TOMLDecodeError as err:
        raise GroundDefinitionError(f"{_WHERE} is not valid TOML: {err}") from err
    kinds = {}
    for kind_id, spec in data.items():
        missing = [k for k in ("template", "stem", "named_after") if k not in spec]
        if missing or spec["named_after"] not in ("child", "author"):
            raise GroundDefinitionError(
                f"{_WHERE} [{kind_id}] needs template, stem and named_after (child or author)")
        kinds[kind_id] = DocumentKind(kind_id, str(spec["template"]), str(spec["stem"]),
                                      str(spec["named_after"]), spec.get("register"))
    return kinds


def document_kind(kind_id: str) -> DocumentKind:
    """The kind called ``kind_id``; ``KeyError`` if there is none."""
    return document_kinds()[kind_id]


def slug(text: str) -> str:
    """A file-name-safe form of a name: ASCII letters, digits and hyphens only."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def file_name(kind: DocumentKind, fmt: str, *, who: str = "", date: dt.date | None = None,
              language: str = "en") -> str:
    """``letter-sam-doe-2026-11-23.docx``, ``statement-priya-shah.docx``: the kind's stem, the
    first child (or the author), the date; a language other than English is named too
    (``letter-sam-doe-2026-11-23-cy.docx``)."""
    parts = [kind.stem, slug(who) or ("author" if kind.named_after == "author" else "")]
    if kind.named_after == "child" and date is not None:
        parts.append(date.isoformat())
    if language != "en":
        parts.append(language.replace("+", "-"))
    return "-".join(p for p in parts if p) + f".{fmt}"


@dataclass(frozen=True)
class Rendered:
    """A document put into words: its Markdown (the one form every writer starts from), its
    title, and what it was composed from (``document``: a Letter, FollowUp or statement)."""

    kind: DocumentKind
    markdown: str
    title: str
    language: str
    document: Any
    warnings: tuple[Problem, ...] = ()
    #: Whom the default file name is after (the first child, or the author), and its date.
    who: str = ""
    date: dt.date | None = None
    #: Who wrote it (the sender, or a statement's author), for the document's properties.
    author: str = ""
    #: References (the case's, a complaint's) that a printed page must not break at a hyphen.
    references: tuple[str, ...] = ()
    #: A document in two languages (``cy+en``): each language's own, complete, in order. Its
    #: ``markdown`` is theirs joined by a page break, its ``document`` the first one's.
    parts: tuple[Rendered, ...] = ()

    def file_name(self, fmt: str) -> str:
        """The file name to use when the person has not chosen one."""
        return file_name(self.kind, fmt, who=self.who, date=self.date, language=self.language)

    def to_bytes(self, fmt: str, *, reference_docx: str | os.PathLike[str] | None = None,
                 author_in_metadata: bool = True) -> bytes:
        """The document as a file in ``fmt`` (docx, md, html, pdf); a docx or pdf on
        ``reference_docx``'s letterhead, its properties naming its author unless
        ``author_in_metadata`` is false."""
        from letters.writers import letter_bytes

        return letter_bytes(self.markdown, fmt, title=self.title,
                            author=self.author if author_in_metadata else "",
                            reference_docx=reference_docx,
                            language=languages_of(self.language)[0], references=self.references,
                            parts=tuple((p.language, p.markdown) for p in self.parts))


#: Between the languages of a bilingual document's Markdown: a new page (the writers of .docx,
#: .html and .pdf start each language on its own page with its own header, from ``parts``).
LANGUAGE_BREAK = "\n\n<!-- page-break -->\n\n"


def in_language(case: Case, option: str | None, default: str | None) -> tuple[Case, str]:
    """The language documents about ``case`` are written in — ``option`` when the person gave
    one, else the case's, else ``default`` (the settings'), else English — and the case as
    those documents see it (its ``language`` that choice)."""
    choice = choose_language(option, case.language, default)
    return (case if case.language == choice else dataclasses.replace(case, language=choice)), \
        choice


def in_languages(choice: str, make: Callable[[str], Rendered]) -> Rendered:
    """The document ``make`` puts into words in each language of ``choice``, as one: ``cy`` is
    Welsh alone; ``cy+en`` is the Welsh document, complete, then the English one, as councils
    in Wales write bilingual letters. Each language's own template is used: one missing in a
    language is an error naming it, never the English text in its place."""
    parts = tuple(make(code) for code in languages_of(choice))
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    warnings = tuple(dict.fromkeys(w for p in parts for w in p.warnings))
    return dataclasses.replace(
        first, markdown=LANGUAGE_BREAK.join(p.markdown.rstrip("\n") for p in parts) + "\n",
        title=" / ".join(p.title for p in parts), language=choice, warnings=warnings,
        references=tuple(dict.fromkeys(r for p in parts for r in p.references)), parts=parts)
