"""The two shared examples load and render in every format."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from letters.case.validate import load_case
from letters.compose.request import make_letter

from .conftest import TODAY


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize("name", ["case-full.yaml", "case-minimal.yaml"])
def test_shared_examples_render(shared_examples: Path, tmp_path: Path, name: str, fmt: str) -> None:
    rendered = make_letter(load_case(shared_examples / name), today=TODAY)
    data = rendered.to_bytes(fmt)
    out = tmp_path / f"letter.{fmt}"
    out.write_bytes(data)
    if fmt == "docx":
        text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    else:
        text = data.decode("utf-8")
    assert "Request for a change of social worker" in text
    assert "7 December 2026" in text
