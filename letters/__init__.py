"""swletter's engine: from a case to a letter asking for a change of social worker.

The public API, for a charity's own script or another front door::

    import letters

    case = letters.read_case("case.yaml")                 # or letters.read_case_data({...})
    rendered = letters.render_request(case)
    print(rendered.title, rendered.document.reply_by)
    letters.write_document(rendered, "docx", "letter.docx")

Everything here comes from ``letters.api`` (one function per thing a person does) and the types
those functions return; the subpackages behind them may change between versions.
"""

from importlib.metadata import PackageNotFoundError, version

from letters.api import (
    Bundle,
    CheckReport,
    FirstLetter,
    check,
    document_bytes,
    draft_statement_for,
    next_steps_calendar,
    preview_html,
    problems_as_data,
    read_case,
    read_case_data,
    render_bundle,
    render_easyread,
    render_followup,
    render_next_steps,
    render_redacted,
    render_request,
    review,
    write_document,
)
from letters.case.model import Case
from letters.compose.documents import Rendered
from letters.config import Settings, load_settings
from letters.errors import CaseError, LettersError, Problem

try:
    __version__ = version("swletter")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Bundle",
    "Case",
    "CaseError",
    "CheckReport",
    "FirstLetter",
    "LettersError",
    "Problem",
    "Rendered",
    "Settings",
    "__version__",
    "check",
    "document_bytes",
    "draft_statement_for",
    "load_settings",
    "next_steps_calendar",
    "preview_html",
    "problems_as_data",
    "read_case",
    "read_case_data",
    "render_bundle",
    "render_easyread",
    "render_followup",
    "render_next_steps",
    "render_redacted",
    "render_request",
    "review",
    "write_document",
]
