"""The shape of a case file, as data: ``grounds/_case.toml`` lists the core fields.

One description serves validation, the README's field reference, the error examples, the
spreadsheet columns and the interview's defaults. The grounds add their own fields from
``grounds/*.toml`` in the same form (see ``grounds.py``).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from letters.errors import GroundDefinitionError

#: The kinds of value a field can hold.
KINDS = ("text", "lines", "date", "int", "choice", "evidence", "child", "record", "records", "flag")

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
    #: What the field holds, for code that needs it without naming a ground: ``child_views``
    #: (a child's own words, which the supporting statement quotes and the tone checker only
    #: notes) or ``child_impact`` (how a ground has affected the child, which ``check`` asks
    #: for when it is empty).
    role: str = ""
    #: What an anonymised copy does with the field (see ``letters.compose.redact``): "person"
    #: (a name, replaced by ``replaced_by``), "title" (a person's title, left out) or
    #: "reference" (replaced; printed documents also keep it whole); a text field without it is
    #: scanned as free text.
    identifies: str = ""
    replaced_by: str = ""
    #: The parts of the UK where the field applies (empty: everywhere). Elsewhere the interview
    #: does not ask it and the letter leaves it out, with a warning if a case gives it.
    nations: tuple[str, ...] = ()

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
        "role",
        "default",
        "identifies",
        "replaced_by",
        "nations",
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
        min_items=int(data.get("min_items",
                               int(kind == "records" and bool(data.get("required"))))),
        role=str(data.get("role", "")),
        default=data.get("default"),
        identifies=identifies,
        replaced_by=str(data.get("replaced_by", "")),
        nations=tuple(data.get("nations", ())),
    )


@functools.cache
def _catalogue() -> dict[str, Any]:
    try:
        text = resources.files("letters.grounds").joinpath("_case.toml").read_text("utf-8")
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise GroundDefinitionError(f"grounds/_case.toml is not valid TOML: {err}") from err


def _case_fields() -> tuple[Field, ...]:
    """The core fields of a case file, from ``grounds/_case.toml``."""
    try:
        return tuple(field_from_data(name, spec, f"grounds/_case.toml fields.{name}")
                     for name, spec in _catalogue()["fields"].items())
    except (ValueError, KeyError, TypeError) as err:
        raise GroundDefinitionError(str(err)) from err


#: The core fields of a case file, read once when swletter starts.
CASE_FIELDS: tuple[Field, ...] = _case_fields()
_BY_NAME = {f.name: f for f in CASE_FIELDS}
JURISDICTIONS = _BY_NAME["jurisdiction"].choices
EVIDENCE_TYPES = _BY_NAME["evidence"].sub("type").choices  # type: ignore[union-attr]
CONSENT_CHOICES = _BY_NAME["supporting_statements"].sub("child_consent").choices  # type: ignore[union-attr]
GROUNDS_EXAMPLE: str = _catalogue()["examples"]["grounds"]
