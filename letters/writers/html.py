"""The .html writer: the letter's Markdown through markdown-it-py (CommonMark), in a printable A4
page.

markdown-it-py rather than Python-Markdown: the letter's Markdown is CommonMark, which the .docx
writer reads with the same parser, and Python-Markdown takes minutes, growing with the square of
the length, on a long field full of escaped punctuation (a 20,000-character field of ``*_``),
where markdown-it-py takes a fraction of a second.

The page is inert, whoever wrote the templates: raw HTML in the Markdown (a charity's template
can hold ``<script>``, ``<iframe src=…>`` or a remote ``<img>``) is shown as text, like user
text; a Markdown image is shown as its description; and a Content-Security-Policy forbids
scripts and every load from elsewhere, in case anything got through. Our own directive comments
become what they stand for: room to sign (``<!-- signature -->``) and a page break.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt

_STYLE = """
  @page { size: A4; margin: 2.5cm; }
  body { font-family: Arial, "Liberation Sans", sans-serif; font-size: 11pt; line-height: 1.4;
         max-width: 16cm; margin: 2rem auto; color: #000; }
  h2 { font-size: 12pt; margin: 1.2em 0 0.3em; }
  .confidential { text-align: right; font-size: 9pt; }
  .signature { height: 3em; }
  .page-break { break-after: page; }
  section.language { break-before: page; margin-top: 2rem; }
"""

#: Nothing may load or run: no scripts, frames, fonts, images or connections, only the page's
#: own style sheet (by its hash), and no forms or base address to send anything elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; "
    f"style-src 'sha256-{base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()}'; "
    "base-uri 'none'; form-action 'none'"
)

_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<p class="confidential">{confidential}</p>
{body}
</body>
</html>
"""

#: The HTML comments our templates use as directives, and what each becomes on the page.
DIRECTIVES = {"<!-- signature -->": '<div class="signature"></div>\n',
              "<!-- page-break -->": '<div class="page-break"></div>\n'}


def _html_block(renderer: Any, tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
    content: str = tokens[idx].content
    if content.strip() in DIRECTIVES:
        return DIRECTIVES[content.strip()]
    return f"<p>{html.escape(content.strip())}</p>\n"


def _html_inline(renderer: Any, tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
    return html.escape(tokens[idx].content)


def _image(renderer: Any, tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
    # A letter shows no pictures from elsewhere: a Markdown image is its description.
    return html.escape(renderer.renderInlineAsText(tokens[idx].children or [], options, env))


@functools.cache
def _parser() -> MarkdownIt:
    # User text reaches the Markdown with "<" escaped, so it cannot open a tag; raw HTML that a
    # template wrote is escaped here.
    parser = MarkdownIt("commonmark")
    parser.add_render_rule("html_block", _html_block)
    parser.add_render_rule("html_inline", _html_inline)
    parser.add_render_rule("image", _image)
    return parser


def letter_body_html(markdown_text: str) -> str:
    """The letter's body as HTML to put inside a web page (the web form's preview): the same
    inert markup as the .html file's body, without its page."""
    return str(_parser().render(markdown_text))


def markdown_to_html(markdown_text: str, *, title: str = "Letter", language: str = "en") -> str:
    """A complete HTML page for the letter; user text was escaped when the Markdown was made.
    ``language`` gives the page its language tag and its top line."""
    from letters.compose.language import language as language_of

    lang = language_of(language)
    body = _parser().render(markdown_text)
    return _PAGE.format(title=html.escape(title), body=body, style=_STYLE,
                        csp=CONTENT_SECURITY_POLICY, lang=html.escape(lang.tag),
                        confidential=html.escape(lang.page("header")))
