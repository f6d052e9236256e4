"""The shape of a case file, as data.

One description serves validation, the README's field reference and the error examples. The
grounds add their own fields from ``grounds/*.toml`` in the same form (see ``grounds.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: The kinds of value a field can hold.
KINDS = ("text", "lines", "date", "int", "choice", "evidence", "child", "record", "records", "flag")

JURISDICTIONS = ("england", "wales", "scotland", "northern-ireland")
#: What a supporting statement says about the child agreeing to it being shared.
CONSENT_CHOICES = ("yes", "no", "not asked")
EVIDENCE_TYPES = (
    "email",
    "letter",
    "text message",
    "call log",
    "record",
    "report",
    "statement",
    "note",
    "other",
)


@dataclass(frozen=True)
class Field:
    """One field of a case file.

    ``kind`` is one of ``KINDS``. ``record`` and ``records`` hold sub-fields in ``fields``;
    ``records`` may be sorted by one of their fields (``sort_by``) when the letter uses them.
    """

    name: str
    kind: str = "text"
    required: bool = False
    help: str = ""
    example: str = ""
    choices: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    sort_by: str = ""
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None
    min_items: int = 0
    #: What an anonymised copy does with the field (see ``letters.compose.redact``): "person"
    #: (a name, replaced by ``role``), "title" (a person's title, left out) or "reference"
    #: (replaced); a text field without it is scanned as free text.
    identifies: str = ""
    role: str = ""

    def sub(self, name: str) -> Field | None:
        """The sub-field called ``name``, or None."""
        for f in self.fields:
            if f.name == name:
                return f
        return None

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def field_from_data(name: str, data: Mapping[str, Any], where: str) -> Field:
    """Build a ``Field`` from its TOML description (used by ground data files).

    Raises ``ValueError`` naming ``where`` when the description is malformed.
    """
    known = {
        "kind",
        "required",
        "help",
        "example",
        "choices",
        "fields",
        "sort_by",
        "minimum",
        "maximum",
        "min_items",
        "identifies",
        "role",
    }
    unknown = set(data) - known
    if unknown:
        raise ValueError(
            f"{where}: unknown keys {sorted(unknown)}; expected some of {sorted(known)}"
        )
    kind = data.get("kind", "text")
    if kind not in KINDS:
        raise ValueError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    subs = tuple(
        field_from_data(sub_name, sub_data, f"{where}.{sub_name}")
        for sub_name, sub_data in data.get("fields", {}).items()
    )
    if kind in ("record", "records") and not subs:
        raise ValueError(f"{where}: a {kind} field needs [fields]")
    identifies = str(data.get("identifies", ""))
    if identifies not in ("", "person", "title", "reference"):
        raise ValueError(f"{where}: identifies must be person, title or reference")
    return Field(
        name=name,
        kind=kind,
        required=bool(data.get("required", False)),
        help=str(data.get("help", "")),
        example=str(data.get("example", "")),
        choices=tuple(data.get("choices", ())),
        fields=subs,
        sort_by=str(data.get("sort_by", "")),
        minimum=data.get("minimum"),
        maximum=data.get("maximum"),
        min_items=int(data.get("min_items", int(kind == "records" and bool(data.get("required"))))),
        identifies=identifies,
        role=str(data.get("role", "")),
    )


ADDRESS_EXAMPLE = "address: [12 High Street, Hastings, TN34 1AA]"

CASE_FIELDS: tuple[Field, ...] = (
    Field(
        "incomplete",
        "flag",
        help="Written by `swletter new` when the questions were stopped before the end: the case "
        "is not finished. Run `swletter new --from CASE` to carry on.",
        example="incomplete: true",
    ),
    Field(
        "date",
        "date",
        help="The date of the letter. Leave it out to use today's date.",
        example="date: 2026-11-23",
    ),
    Field(
        "jurisdiction",
        "choice",
        choices=JURISDICTIONS,
        default="england",
        help="Which part of the UK the council or trust is in; it sets the bank holidays and the "
        "complaints procedure. If left out, it is found from the recipient's council or trust, "
        "or the postcode in its address; England, with a warning, when neither tells.",
        example="jurisdiction: wales",
    ),
    Field(
        "sender",
        "record",
        required=True,
        help="You: the person writing and signing the letter.",
        example="sender: {name: Jane Doe, address: [12 High Street, Hastings, TN34 1AA]}",
        fields=(
            Field("name", required=True, help="Your full name.", example="name: Jane Doe"),
            Field(
                "relationship",
                help="How you are related to the child or children.",
                example="relationship: mother",
            ),
            Field("address", "lines", required=True, help="Your postal address, one line each.",
                  example=ADDRESS_EXAMPLE),
            Field("email", help="Your email address.", example="email: jane.doe@example.org"),
            Field("phone", help="Your phone number.", example='phone: "07700 900123"'),
        ),
    ),
    Field(
        "recipient",
        "record",
        required=True,
        help="The allocated social worker's manager.",
        example="recipient: {organisation: Sefton Council, address: [Bootle Town Hall, Bootle]}",
        fields=(
            Field("title", help="Ms, Mr, Mrs, Dr, Mx …", example="title: Ms"),
            Field(
                "name",
                help='The manager\'s name. Without it the letter opens "Dear Sir or Madam".',
                example="name: Sarah Patel",
            ),
            Field("role", help="The manager's job title.", example="role: Team Manager"),
            Field("team", help="The team or service.", example="team: Children's Social Care"),
            Field("organisation", required=True, help="The council or trust.",
                  example="organisation: East Sussex County Council"),
            Field("address", "lines", required=True, help="The council's postal address.",
                  example="address: [County Hall, St Anne's Crescent, Lewes, BN7 1UE]"),
            Field("email", help="The team's email address.",
                  example="email: hastings.team@example.gov.uk"),
        ),
    ),
    Field(
        "social_worker",
        "record",
        required=True,
        help="The social worker the family asks to change.",
        example="social_worker: {name: John Smith}",
        fields=(
            Field("title", help="Ms, Mr, Mrs, Dr, Mx …", example="title: Mr"),
            Field("name", required=True, help="The social worker's name.",
                  example="name: John Smith"),
            Field("allocated_since", "date", help="When the worker was allocated.",
                  example="allocated_since: 2026-01-12"),
        ),
    ),
    Field(
        "case_reference",
        help="The council's reference for the case, if you have one.",
        example="case_reference: CP-2026-0413",
    ),
    Field(
        "children",
        "records",
        required=True,
        min_items=1,
        help="The child or children the letter is about.",
        example="children: [{name: Sam Doe, date_of_birth: 2017-05-02}]",
        fields=(
            Field("name", required=True, help="The child's full name.", example="name: Sam Doe"),
            Field("date_of_birth", "date", help="The child's date of birth.",
                  example="date_of_birth: 2017-05-02"),
        ),
    ),
    # "grounds" is checked against the ground registry, not described here.
    Field(
        "evidence",
        "records",
        help="Documents you enclose. Each is numbered as an enclosure in the order the letter "
        "first cites it.",
        example="evidence: [{id: E1, date: 2026-04-03, type: email, description: My email "
        "asking about contact}]",
        fields=(
            Field("id", required=True, help="A short label that grounds cite, such as E1.",
                  example="id: E1"),
            Field("date", "date", required=True, help="The date of the document.",
                  example="date: 2026-04-03"),
            Field("type", "choice", required=True, choices=EVIDENCE_TYPES,
                  help="What kind of document it is.", example="type: email"),
            Field("description", required=True, help="What it is and what it shows.",
                  example="description: My email asking about contact arrangements."),
            Field("file", help="The file, relative to the case file. It must exist.",
                  example="file: evidence/2026-04-03-email.txt"),
        ),
    ),
    Field(
        "supporting_statements",
        "records",
        help="Letters or reports from others (such as a child advocate), enclosed after the "
        "evidence.",
        example="supporting_statements: [{author: Priya Shah, role: Independent Advocate}]",
        fields=(
            Field("author", required=True, help="Who wrote it.", example="author: Priya Shah"),
            Field("role", help="Their role.", example="role: Independent Advocate"),
            Field("organisation", help="Their organisation.",
                  example="organisation: Children's Advocacy Service"),
            Field("date", "date", help="The date of the statement.", example="date: 2026-11-15"),
            Field("summary", help="What the statement says, in a phrase.",
                  example="summary: supports a change of social worker"),
            # The advocate's own parts, drafted by `swletter statement`.
            Field("relationship", help="How the author knows the child.",
                  example="relationship: I have been Sam's advocate since March 2026 and meet "
                  "him at school every two weeks."),
            Field("child_views", help="What the child has said, in the child's own words.",
                  example="child_views: I don't want to talk to him any more. He doesn't "
                  "listen to me."),
            Field("opinion", help="Why, in the author's view, a change of worker is in the "
                  "child's best interests.",
                  example="opinion: Sam needs a worker he trusts enough to tell how he feels."),
            Field("child_consent", "choice", choices=CONSENT_CHOICES,
                  help="Whether the child agreed to the statement being shared: yes, no or "
                  "not asked.", example="child_consent: yes"),
        ),
    ),
    Field(
        "copy_to",
        "records",
        help='People sent a copy, listed as "cc" at the end.',
        example="copy_to: [{name: David Brown, role: Independent Reviewing Officer}]",
        fields=(
            Field("name", required=True, help="Their name.", example="name: David Brown"),
            Field("role", help="Their role.", example="role: Independent Reviewing Officer"),
        ),
    ),
    Field(
        "response_within_working_days",
        "int",
        default=10,
        minimum=1,
        maximum=60,
        help="How many working days the manager has to reply. 10 if left out.",
        example="response_within_working_days: 10",
    ),
)

GROUNDS_EXAMPLE = (
    "grounds: {communication_breakdown: {summary: Most of my messages go unanswered.}}"
)


@dataclass(frozen=True)
class Schema:
    """The whole case file: core fields plus one record field per ground."""

    fields: tuple[Field, ...]
    grounds: tuple[Field, ...] = field(default=())

    def field_named(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None
