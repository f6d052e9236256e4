"""The pipeline in one place: case file → letter → file, for the CLI and charities' scripts."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from letters.case.validate import Case, load_case
from letters.compose.documents import Rendered, document_kind
from letters.compose.language import DEFAULT as DEFAULT_LANGUAGE
from letters.compose.language import language
from letters.compose.request import compose_letter
from letters.config import Settings
from letters.output import check_target, write_atomic
from letters.templating.environment import render_markdown


def make_letter(case: Case, *, today: dt.date | None = None,
                template_dirs: Sequence[str] = (), code: str = DEFAULT_LANGUAGE) -> Rendered:
    """Compose and render the letter for ``case`` in the language ``code``."""
    letter = compose_letter(case, today=today, code=code)
    lang = language(code)
    names = [c.name for c in case.children]
    return Rendered(
        kind=document_kind("request"),
        markdown=render_markdown(letter, template_dirs=template_dirs),
        title=lang.subject("request", names, case.case_reference),
        language=code, document=letter, warnings=letter.warnings,
        who=names[0] if names else "", date=letter.date, author=case.sender.name,
    )


def render_case_file(case_path: str | os.PathLike[str], *, fmt: str = "docx",
                     output: str | os.PathLike[str] | None = None, force: bool = False,
                     today: dt.date | None = None,
                     template_dirs: Sequence[str] = (),
                     settings: Settings | None = None) -> tuple[Path, Rendered]:
    """Load a case file and write its letter; the default output sits next to the case file.

    ``settings`` (from swletter.toml and the options) supply case defaults, template folders
    (unless ``template_dirs`` is given) and the reference .docx.
    """
    settings = settings or Settings()
    case = load_case(case_path, defaults=settings.case_defaults)
    rendered = make_letter(case, today=today,
                           template_dirs=template_dirs or settings.template_dirs)
    path = write_letter(rendered, case_path, fmt=fmt, output=output, force=force,
                        reference_docx=settings.reference_docx,
                        author_in_metadata=settings.author_in_metadata)
    return path, rendered


def write_letter(rendered: Rendered, case_path: str | os.PathLike[str], *,
                 fmt: str = "docx", output: str | os.PathLike[str] | None = None,
                 force: bool = False,
                 reference_docx: str | os.PathLike[str] | None = None,
                 author_in_metadata: bool = True) -> Path:
    """Write a rendered letter to ``output``, or next to its case file by default."""
    target = Path(output) if output else Path(case_path).parent / rendered.file_name(fmt)
    # Checked before a slow conversion (a PDF takes seconds); never over the case file itself.
    check_target(target, force=force, protect=(case_path,))
    data = rendered.to_bytes(fmt, reference_docx=reference_docx,
                             author_in_metadata=author_in_metadata)
    return write_atomic(target, data, force=force, protect=(case_path,))
