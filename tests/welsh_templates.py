"""A stand-in set of Welsh templates, until swletter's own are written (issue 18's second pass).

The English templates are being reworded, so the Welsh ones wait for them; meanwhile these
small templates let the tests render Welsh and bilingual documents through the same machinery a
charity's ``--templates`` folder uses, and check everything that is not the templates' own
wording: the language data (dates, salutation, enclosure labels, subject lines, counts), the
writers' page words and language tags, and Welsh and English kept apart. Where swletter ships a
Welsh template, tests use it instead (``welsh_templates``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

REQUEST = """\
{{ lines([sender.name] + sender.address|list) }}

{{ letter.date }}

{{ lines([formal_name(recipient.title, recipient.name) if recipient.name else none,
          recipient.role, recipient.organisation] + recipient.address|list) }}

{{ letter.salutation }}

**{{ subject }}**

Ysgrifennaf atoch i ofyn am newid gweithiwr cymdeithasol ar gyfer {{ children_names }}.
{{- enclosure_label([1]) if enclosures else "" }}

{{ language_choice }}

Ateb erbyn {{ letter.reply_by }}, sef {{ counted("working_days", letter.working_days) }}
ar ôl dyddiad y llythyr hwn.

{{ letter.sign_off }}

<!-- signature -->

{{ sender.name }}
{% if enclosures %}

## Amgaeadau

{% for enc in enclosures %}
{% if enc.evidence %}
{{ enc.number }}. {{ enc.evidence.date }} — {{ evidence_type(enc.evidence.type) }}:
{{- " " ~ enc.evidence.description }}
{% else %}
{{ enc.number }}. Datganiad ategol: {{ enc.statement.author }}
{% endif %}
{% endfor %}
{% endif %}
"""

FOLLOWUP = """\
{{ followup.date }}

{{ followup.salutation }}

**{{ subject }}**

Ysgrifennais atoch ar {{ first.date }}. Ateb erbyn {{ followup.reply_by }}.

{{ language_choice }}

{{ followup.sign_off }}

<!-- signature -->

{{ sender.name }}
"""

STATEMENT = """\
**{{ subject }}**

{{ salutation }}

Datganiad ategol: {{ statement.author }}.

{{ language_choice }}
"""

#: Template name (as swletter's English one is called) → the stand-in's text.
STAND_INS = {
    "change_request.md.j2": REQUEST,
    "followup_chaser.md.j2": FOLLOWUP,
    "followup_reasons.md.j2": FOLLOWUP,
    "followup_complaint.md.j2": FOLLOWUP,
    "supporting_statement.md.j2": STATEMENT,
}


def shipped(name: str) -> bool:
    """Whether swletter ships the Welsh form of the template ``name``."""
    stem, _, ext = name.partition(".")
    return resources.files("letters.templates").joinpath(f"{stem}.cy.{ext}").is_file()


def welsh_templates(folder: Path) -> Path:
    """``folder`` holding a Welsh stand-in for each template swletter does not yet ship in
    Welsh (a charity's ``--templates`` folder, as far as swletter can tell)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in STAND_INS.items():
        if not shipped(name):
            stem, _, ext = name.partition(".")
            (folder / f"{stem}.cy.{ext}").write_text(text, encoding="utf-8")
    return folder
