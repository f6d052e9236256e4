"""The .html writer: the letter's Markdown through markdown-it-py (CommonMark), in a printable A4
page.

markdown-it-py rather than Python-Markdown: the letter's Markdown is CommonMark, which the .docx
writer reads with the same parser, and Python-Markdown takes minutes, growing with the square of
the length, on a long field full of escaped punctuation (a 20,000-character field of ``*_``),
where markdown-it-py takes a fraction of a second.
"""

from __future__ import annotations

import functools
import html

from markdown_it import MarkdownIt

_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  @page {{ size: A4; margin: 2.5cm; }}
  body {{ font-family: Arial, "Liberation Sans", sans-serif; font-size: 11pt; line-height: 1.4;
         max-width: 16cm; margin: 2rem auto; color: #000; }}
  h2 {{ font-size: 12pt; margin: 1.2em 0 0.3em; }}
  .confidential {{ text-align: right; font-size: 9pt; }}
</style>
</head>
<body>
<p class="confidential">Private and confidential</p>
{body}
</body>
</html>
"""


@functools.cache
def _parser() -> MarkdownIt:
    # Raw HTML passes through only from our own templates (their directive comments): user text
    # reaches the Markdown with "<" escaped, so it cannot open a tag.
    return MarkdownIt("commonmark")


def markdown_to_html(markdown_text: str, *, title: str = "Letter") -> str:
    """A complete HTML page for the letter; user text was escaped when the Markdown was made."""
    body = _parser().render(markdown_text)
    return _PAGE.format(title=html.escape(title), body=body)
