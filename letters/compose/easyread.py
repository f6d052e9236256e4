"""The Easy Read sheet for a child: what the family has asked for, why, what happens next and
who the child can talk to, written to the child by name.

The words are a template (``easyread.md.j2``) that chooses simpler wording for a younger child
from the child's age on the letter's date; what a child calls the writer ("your mum") is the
language's data. The template writes Markdown in a small shape of its own: a heading, then
points, each a ``<!-- picture: NAME -->`` line and one sentence a line. ``parse_sheet`` reads
that back into a ``Sheet``, which the writers lay out as Easy Read asks: the picture on the left
of each point, the words on the right, large sans-serif text (``letters.writers.easyread``).
One sheet is made per child.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from letters.case.grounds import fields_with_role, load_grounds
from letters.case.model import Case, Child
from letters.compose.documents import Rendered, document_kind
from letters.compose.language import DEFAULT as DEFAULT_LANGUAGE
from letters.compose.language import Language, language
from letters.compose.request import compose_letter
from letters.compose.statement import is_advocate
from letters.dates import age
from letters.errors import TemplateError
from letters.text import capital

_PICTURE = re.compile(r"^<!-- picture: ([a-z-]+) -->$")


@dataclass(frozen=True)
class Point:
    """One point of the sheet: its picture's name and its sentences."""

    picture: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    """An Easy Read sheet: a heading and its points, as plain text."""

    heading: str
    points: tuple[Point, ...]
    credit: str = ""


def plain_text(markdown_line: str) -> str:
    """One line of the template's Markdown as the text a reader sees (escapes undone)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parseInline(markdown_line)
    return "".join(child.content for token in tokens for child in (token.children or [])
                   if child.type in ("text", "code_inline"))


@functools.cache
def pictures() -> frozenset[str]:
    """The names of the pictures a sheet can use (``letters/pictures/*.png``)."""
    from importlib import resources

    return frozenset(entry.name.removesuffix(".png")
                     for entry in resources.files("letters.pictures").iterdir()
                     if entry.name.endswith(".png"))


def parse_sheet(markdown: str, credit: str = "") -> Sheet:
    """The sheet the template wrote. ``TemplateError`` when its shape is not a sheet's (a
    charity's own template, say): a heading first, then pictures each followed by words."""
    heading = ""
    points: list[Point] = []
    picture: str | None = None
    sentences: list[str] = []

    def close() -> None:
        if picture is not None:
            if not sentences:
                raise TemplateError(f"easyread.md.j2: the picture {picture!r} has no words "
                                    "after it. Each picture line is followed by its sentences.")
            points.append(Point(picture, tuple(sentences)))

    for line in markdown.splitlines():
        line = line.strip()
        match = _PICTURE.match(line)
        if line.startswith("# ") and not heading and picture is None:
            heading = plain_text(line[2:])
        elif match:
            close()
            picture, sentences = match.group(1), []
            if picture not in pictures():
                raise TemplateError(
                    f"easyread.md.j2: there is no picture called {picture!r}. The pictures "
                    f"are: {', '.join(sorted(pictures()))}.")
        elif line and picture is not None:
            sentences.append(plain_text(line))
        elif line:
            raise TemplateError("easyread.md.j2: words before the first picture line. A sheet "
                                "is a '# ' heading, then points: <!-- picture: NAME --> and "
                                "a sentence on each line after it.")
    close()
    return Sheet(heading, tuple(points), credit)


@dataclass(frozen=True)
class EasyRead(Rendered):
    """An Easy Read sheet put into words; its files are laid out as Easy Read asks."""

    def to_bytes(self, fmt: str, *, reference_docx: str | os.PathLike[str] | None = None,
                 author_in_metadata: bool = True) -> bytes:
        """The sheet as a file in ``fmt`` (docx, md, html, pdf). A letterhead is not used: the
        sheet is for the child, not a letter."""
        from letters.writers.easyread import sheet_bytes

        if fmt == "md":
            return self.markdown.encode("utf-8")
        return sheet_bytes(self.document.sheet, fmt, title=self.title,
                           author=self.author if author_in_metadata else "",
                           lang=language(self.language).tag)


@dataclass(frozen=True)
class ChildSheet:
    """What a child's sheet was made from."""

    case: Case
    child: Child
    age: int | None
    reply_by: dt.date
    sheet: Sheet


def _family_word(case: Case, lang: Language) -> tuple[str, str]:
    """("Your mum", "your mum") from the relationship, else the writer's first name twice."""
    words = lang.data.get("easyread", {})
    relationship = (case.sender.relationship or "").casefold()
    for word, said in words.get("family", []):
        if re.search(rf"\b{re.escape(word)}\b", relationship):
            yours = str(words.get("yours", "your {who}")).format(who=said)
            return capital(yours), yours
    return lang.first_name(case.sender.name), lang.first_name(case.sender.name)


def _advocate(case: Case, lang: Language) -> str | None:
    for st in case.supporting_statements:
        if is_advocate(st.role):
            return lang.first_name(st.author)
    return None


def _advocate_for(case: Case, child: Child, lang: Language) -> tuple[str | None, bool]:
    """The first name of this child's advocate, and whether another child has one. An
    advocate's statement is about the child whose own views the letter gives (as the drafted
    statement is), or about every child when the views are theirs together; a sibling's sheet
    never names another child's advocate."""
    advocate = _advocate(case, lang)
    if advocate is None:
        return None, False
    about = _views_about(case)
    if about in (None, child.name):
        return advocate, False
    return None, True


def _views_about(case: Case) -> str | None:
    """The child whose own views the letter gives (the ground field with the role
    ``child_views`` has a child field beside it), or None when they are about every child."""
    for ground, _ in fields_with_role("child_views"):
        data = case.grounds.get(ground.id) or {}
        which = next((f.name for f in ground.fields if f.kind == "child"), "")
        if which and data.get(which):
            return str(data[which])
    return None


def _suggested_worker(case: Case) -> str | None:
    """The name of a worker the letter suggests: a ground field that names a person."""
    for ground in load_grounds():
        data = case.grounds.get(ground.id) or {}
        for spec in ground.fields:
            if spec.identifies == "person" and data.get(spec.name):
                return str(data[spec.name])
    return None


def sheet_context(case: Case, child: Child, reply_by: dt.date, day: dt.date,
                  lang: Language) -> dict[str, Any]:
    """Every variable ``easyread.md.j2`` receives for one child."""
    parent, in_sentence = _family_word(case, lang)
    about = _views_about(case)
    suggested = _suggested_worker(case)
    bodies = lang.data.get("easyread", {}).get("complaints_body", {})
    advocate, sibling_has = _advocate_for(case, child, lang)
    return {
        "child": {"name": child.name, "first": lang.first_name(child.name),
                  "age": age(child.date_of_birth, day)},
        "others": [lang.first_name(c.name) for c in case.children if c is not child],
        "parent": parent, "parent_in_sentence": in_sentence,
        "worker": lang.first_name(case.social_worker.name),
        "grounds": tuple(case.grounds),
        "about_me": about in (None, child.name),
        "suggested": lang.first_name(suggested) if suggested else None,
        "reply_by": reply_by, "nation": case.jurisdiction,
        "body": str(bodies.get(case.jurisdiction, bodies.get("default", "The council"))),
        "advocate": advocate,
        "sibling_has_advocate": sibling_has,
    }


def make_easyread(case: Case, *, today: dt.date | None = None,
                  template_dirs: Sequence[str] = (),
                  code: str = DEFAULT_LANGUAGE) -> tuple[EasyRead, ...]:
    """One Easy Read sheet per child in ``case``, in the case's order."""
    from letters.templating.environment import render_template

    letter = compose_letter(case, today=today, code=code)
    kind = document_kind("easyread")
    lang = language(code)
    credit = str(lang.data.get("easyread", {}).get("pictures_credit", ""))
    sheets = []
    for child in case.children:
        context = sheet_context(case, child, letter.reply_by, letter.date, lang)
        markdown = render_template(kind.template, context, template_dirs=template_dirs,
                                   code=code)
        made = ChildSheet(case, child, context["child"]["age"], letter.reply_by,
                          parse_sheet(markdown, credit))
        sheets.append(EasyRead(kind, markdown, title=made.sheet.heading, language=code,
                               document=made, who=child.name, date=letter.date,
                               author=case.sender.name))
    return tuple(sheets)



def template_family() -> Any:
    """The sheet's template, as ``swletter templates check`` tries it."""
    from letters.templating.families import TemplateFamily, example_case

    def samples() -> dict[str, Any]:
        case = example_case()
        return sheet_context(case, case.children[0], dt.date(2026, 12, 7),
                             dt.date(2026, 11, 23), language(DEFAULT_LANGUAGE))

    def trial(case: Case, dirs: tuple[str, ...]) -> object:
        return make_easyread(case, template_dirs=dirs)

    return TemplateFamily("the Easy Read sheet", (document_kind("easyread").template,),
                          lambda: set(samples()), trial, samples)
