"""Golden letters: every example case rendered to Markdown and to a .docx dump, compared with the
files in tests/golden/. Regenerate with `pytest tests/test_golden.py --update-golden`, then read
every diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from letters.case.validate import load_case
from letters.compose.request import make_letter

from .conftest import CASES, GOLDEN, SHARED_EXAMPLES, TODAY
from .docx_dump import dump_docx

# Our own cases, each chosen for what it shows (see the comment at the top of each file).
OWN_CASES = [
    "conduct-named-no-title.yaml",
    "child-views-three-children.yaml",
    "recommended-wales-christmas.yaml",
    "complaint-scotland-christmas.yaml",
    "communication-northern-ireland.json",
]
ALL_CASES = [SHARED_EXAMPLES / "case-full.yaml", SHARED_EXAMPLES / "case-minimal.yaml"] + [
    CASES / name for name in OWN_CASES
]


def _compare(actual: str, golden: Path, update: bool) -> None:
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden and read the result"
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("case_path", ALL_CASES, ids=lambda p: p.name)
def test_markdown_matches_golden(case_path: Path, update_golden: bool) -> None:
    rendered = make_letter(load_case(case_path), today=TODAY)
    _compare(rendered.markdown, GOLDEN / f"{case_path.stem}.md", update_golden)


@pytest.mark.parametrize("case_path", ALL_CASES, ids=lambda p: p.name)
def test_docx_matches_golden(case_path: Path, update_golden: bool) -> None:
    rendered = make_letter(load_case(case_path), today=TODAY)
    _compare(dump_docx(rendered.to_bytes("docx")), GOLDEN / f"{case_path.stem}.docx.txt",
             update_golden)
