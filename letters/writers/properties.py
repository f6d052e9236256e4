"""A letter's document properties (File ▸ Properties in Word), set by swletter alone.

Word, LibreOffice and PDF readers show a document's title and author, and a PDF made from the
.docx carries them. They are the letter's own: the title is its subject line and the author is
its sender (or nobody, with ``author_in_metadata = false`` in swletter.toml). Nothing else is
kept: no company or manager, no template name, no editing time or dates, and nothing from
swletter's base document or from a charity's letterhead file.
"""

from __future__ import annotations

import functools

from letters.writers.docx_base import xml_text

CORE = "docProps/core.xml"
APP = "docProps/app.xml"

_CORE_TEMPLATE = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/">'
    "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>"
    "<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
    "</cp:coreProperties>"
)

#: The extended properties: only which program wrote the file (Word replaces it on saving).
APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"><Application>swletter</Application><DocSecurity>0</DocSecurity>'
    b"</Properties>"
)


@functools.lru_cache(maxsize=64)
def core_xml(title: str, author: str) -> bytes:
    """``docProps/core.xml`` for a letter with ``title`` by ``author`` (either may be empty)."""
    return _CORE_TEMPLATE.format(title=xml_text(_one_line(title)),
                                 author=xml_text(_one_line(author))).encode("utf-8")


def _one_line(text: str) -> str:
    return " ".join(text.split())
