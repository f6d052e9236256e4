"""The public API: a charity's script goes from a case to a letter with the names
``letters.__all__`` promises, and nothing deeper."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys

import docx
import pytest

import letters

CASE = {
    "date": "2026-11-23",
    "sender": {"name": "Tom Green", "relationship": "father",
               "address": ["4 Mill Lane", "L30 2PA"]},
    "recipient": {"organisation": "Sefton Council", "address": ["Bootle Town Hall", "L20 7AE"]},
    "social_worker": {"name": "Karen White"},
    "children": [{"name": "Mia Green"}],
    "grounds": {"communication_breakdown": {"summary": "Most of my messages go unanswered."}},
}


def test_a_case_dict_becomes_docx_bytes_through_public_names_only() -> None:
    case = letters.read_case_data(CASE, source="a charity's CRM")
    rendered = letters.render_request(case)
    data = letters.document_bytes(rendered, "docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Dear Sir or Madam" in text
    assert "Mia Green" in text
    assert rendered.document.reply_by == dt.date(2026, 12, 7)
    assert letters.check(case).warnings == 0


def test_every_public_name_exists_and_a_bad_case_is_a_letters_error() -> None:
    for name in letters.__all__:
        assert hasattr(letters, name), name
    with pytest.raises(letters.CaseError) as caught:
        letters.read_case_data({**CASE, "children": []})
    assert isinstance(caught.value, letters.LettersError)
    assert letters.problems_as_data(caught.value, "x")["valid"] is False


def test_the_engine_never_imports_click() -> None:
    code = ("import sys, letters, letters.api, letters.interview, letters.bulk.run; "
            "import letters.bulk.followups, letters.bulk.summary, letters.register.listing; "
            "import letters.register.store, letters.templating.house; "
            "print('click' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"
