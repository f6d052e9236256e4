"""The pipeline in one place: case file → letter → file, for the CLI and charities' scripts."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .case import Case, load_case
from .compose import Letter, compose_letter
from .config import Settings
from .errors import Problem
from .output import check_target, write_atomic
from .render import render_markdown
from .writers import letter_bytes


@dataclass(frozen=True)
class RenderedLetter:
    """A letter put into words: its plan, its Markdown, and the warnings found on the way."""

    letter: Letter
    markdown: str

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return self.letter.warnings

    def to_bytes(self, fmt: str, *,
                 reference_docx: str | os.PathLike[str] | None = None) -> bytes:
        """The letter as a file in ``fmt``; a docx or pdf on ``reference_docx``'s letterhead."""
        return letter_bytes(self.markdown, fmt, title=letter_title(self.letter),
                            reference_docx=reference_docx)


def make_letter(case: Case, *, today: dt.date | None = None,
                template_dirs: Sequence[str] = ()) -> RenderedLetter:
    """Compose and render the letter for ``case``."""
    letter = compose_letter(case, today=today)
    return RenderedLetter(letter, render_markdown(letter, template_dirs=template_dirs))


def letter_title(letter: Letter) -> str:
    names = " and ".join(c.name for c in letter.case.children)
    return f"Request for a change of social worker for {names}"


def slug(text: str) -> str:
    """A file-name-safe form of a name: ASCII letters, digits and hyphens only."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def default_output_name(letter: Letter, fmt: str) -> str:
    """``letter-sam-doe-2026-11-23.docx``: the first child's name and the letter's date."""
    child = slug(letter.case.children[0].name) if letter.case.children else ""
    stem = "-".join(part for part in ("letter", child, letter.date.isoformat()) if part)
    return f"{stem}.{fmt}"


def render_case_file(case_path: str | os.PathLike[str], *, fmt: str = "docx",
                     output: str | os.PathLike[str] | None = None, force: bool = False,
                     today: dt.date | None = None,
                     template_dirs: Sequence[str] = (),
                     settings: Settings | None = None) -> tuple[Path, RenderedLetter]:
    """Load a case file and write its letter; the default output sits next to the case file.

    ``settings`` (from swletter.toml and the options) supply case defaults, template folders
    (unless ``template_dirs`` is given) and the reference .docx.
    """
    settings = settings or Settings()
    case = load_case(case_path, defaults=settings.case_defaults)
    rendered = make_letter(case, today=today,
                           template_dirs=template_dirs or settings.template_dirs)
    path = write_letter(rendered, case_path, fmt=fmt, output=output, force=force,
                        reference_docx=settings.reference_docx)
    return path, rendered


def write_letter(rendered: RenderedLetter, case_path: str | os.PathLike[str], *,
                 fmt: str = "docx", output: str | os.PathLike[str] | None = None,
                 force: bool = False,
                 reference_docx: str | os.PathLike[str] | None = None) -> Path:
    """Write a rendered letter to ``output``, or next to its case file by default."""
    target = Path(output) if output else Path(case_path).parent / default_output_name(
        rendered.letter, fmt
    )
    # Checked before a slow conversion (a PDF takes seconds); never over the case file itself.
    check_target(target, force=force, protect=(case_path,))
    data = rendered.to_bytes(fmt, reference_docx=reference_docx)
    return write_atomic(target, data, force=force, protect=(case_path,))
