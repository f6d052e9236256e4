"""A charity's templates folder is untrusted: its HTML cannot run or load anything in a letter."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from cli import main


def skeleton_with(folder: Path, line: str) -> Path:
    """A change_request.md.j2 whose line 2 is ``line``."""
    folder.mkdir(exist_ok=True)
    (folder / "change_request.md.j2").write_text(f"Our letter\n{line}\n", encoding="utf-8")
    return folder


# --------------------------------------------------------------------------------------------
# HTML from a template (issue 13, item 10)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text += data


def test_html_in_a_template_is_shown_as_text_and_cannot_run_or_load(
        runner: CliRunner, minimal_case: Path, tmp_path: Path) -> None:
    folder = skeleton_with(
        tmp_path / "t",
        '<script>alert(1)</script> <img src="http://127.0.0.1:8765/beacon.png">\n\n'
        '<iframe src="http://127.0.0.1:8765/frame"></iframe>\n\n'
        "![logo](http://127.0.0.1:8765/logo.png)")
    out = tmp_path / "letter.html"
    result = runner.invoke(main, ["render", str(minimal_case), "-o", str(out),
                                  "--templates", str(folder)])
    assert result.exit_code == 0, result.output
    page = _Tags()
    page.feed(out.read_text(encoding="utf-8"))
    names = [tag for tag, _ in page.tags]
    assert not {"script", "img", "iframe"} & set(names), names
    assert '<script>alert(1)</script> <img src="http://127.0.0.1:8765/beacon.png">' in page.text
    assert '<iframe src="http://127.0.0.1:8765/frame"></iframe>' in page.text
    assert "logo" in page.text and "8765/logo.png" not in page.text
    assert not any(v and "8765" in v for _, attrs in page.tags for v in attrs.values())
    policies = [attrs.get("content") or "" for tag, attrs in page.tags if tag == "meta"
                and (attrs.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(policies) == 1
    directives = dict(re.match(r"\s*(\S+)\s*(.*)", d).groups()  # type: ignore[union-attr]
                      for d in policies[0].split(";") if d.strip())
    assert directives["default-src"] == "'none'"
    assert "script-src" not in directives and "img-src" not in directives
    assert directives["style-src"].startswith("'sha256-")  # our own style sheet, nothing else
