"""The .html writer: the letter's Markdown through Python-Markdown, in a printable A4 page."""

from __future__ import annotations

import html

import markdown as python_markdown

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


def markdown_to_html(markdown_text: str, *, title: str = "Letter") -> str:
    """A complete HTML page for the letter; user text was escaped when the Markdown was made."""
    body = python_markdown.markdown(markdown_text, output_format="html")
    return _PAGE.format(title=html.escape(title), body=body)
