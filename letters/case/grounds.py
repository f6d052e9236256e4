"""The ground registry: one TOML file per ground in ``grounds/``, read once per process.

A ground's file says what it is for, how to write it (guidance drawn from the domain notes), the
case fields it reads and which are required, and what evidence helps. Its wording lives in
``templates/ground_<id>.md.j2``. Adding a ground is adding those two files, not editing Python.
Files whose names start with an underscore hold shared data (such as the tone word lists) and are
not grounds.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

from letters.case.schema import Field, field_from_data
from letters.errors import GroundDefinitionError

_REQUIRED_KEYS = ("id", "order", "title", "summary", "guidance", "evidence_advice", "fields")


@dataclass(frozen=True)
class Ground:
    """One reason a family gives for asking for a change of worker."""

    id: str
    order: int
    title: str
    summary: str
    guidance: str
    evidence_advice: str
    fields: tuple[Field, ...]

    @property
    def template(self) -> str:
        """The name of the template holding this ground's paragraph."""
        return f"ground_{self.id}.md.j2"

    @property
    def required_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)


def _parse_ground(stem: str, text: str) -> Ground:
    where = f"grounds/{stem}.toml"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise GroundDefinitionError(f"{where} is not valid TOML: {err}") from err
    missing = [k for k in _REQUIRED_KEYS if k not in data]
    if missing:
        raise GroundDefinitionError(f"{where} is missing {', '.join(missing)}")
    if data["id"] != stem:
        raise GroundDefinitionError(f"{where}: id {data['id']!r} must equal the file name {stem!r}")
    try:
        fields = tuple(
            field_from_data(name, spec, f"{where} fields.{name}")
            for name, spec in data["fields"].items()
        )
    except (ValueError, AttributeError, TypeError) as err:
        raise GroundDefinitionError(str(err)) from err
    return Ground(
        id=stem,
        order=int(data["order"]),
        title=str(data["title"]),
        summary=str(data["summary"]).strip(),
        guidance=str(data["guidance"]).strip(),
        evidence_advice=str(data["evidence_advice"]).strip(),
        fields=fields,
    )


@functools.cache
def load_grounds() -> tuple[Ground, ...]:
    """Every ground shipped with swletter, in the order a letter raises them."""
    folder = resources.files("letters.grounds")
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if not name.endswith(".toml") or name.startswith("_"):
            continue
        found.append(_parse_ground(name.removesuffix(".toml"), entry.read_text(encoding="utf-8")))
    return tuple(sorted(found, key=lambda g: (g.order, g.id)))


def get_ground(ground_id: str) -> Ground:
    """The ground called ``ground_id``; ``KeyError`` if there is none."""
    for g in load_grounds():
        if g.id == ground_id:
            return g
    raise KeyError(ground_id)


def read_shared_data(name: str) -> str:
    """Text of a shared data file in ``grounds/`` (such as ``_tone.toml``)."""
    return resources.files("letters.grounds").joinpath(name).read_text(encoding="utf-8")


def fields_with_role(role: str) -> tuple[tuple[Ground, Field], ...]:
    """Every ground field that holds ``role`` (see ``Field.role``), with its ground."""
    return tuple((g, f) for g in load_grounds() for f in g.fields if f.role == role)


def grounds_text() -> str:
    """Every ground a letter can raise, with what each needs (``swletter grounds``)."""
    out = []
    for g in load_grounds():
        needs = ", ".join(g.required_fields) or "nothing"
        out += [f"{g.order}. {g.id} — {g.title}", f"   {g.summary}", f"   Needs: {needs}."]
    out.append("\nRun `swletter grounds ID` for how to write one.")
    return "\n".join(out)


def ground_text(ground_id: str) -> str:
    """How to write the ground ``ground_id`` (``swletter grounds ID``); ``KeyError`` with a
    sentence naming the grounds (and the nearest) when there is none."""
    try:
        g = get_ground(ground_id)
    except KeyError:
        import difflib

        known = [x.id for x in load_grounds()]
        match = difflib.get_close_matches(ground_id, known, n=1)
        hint = f' Did you mean "{match[0]}"?' if match else ""
        raise KeyError(f'there is no ground "{ground_id}".{hint} The grounds are: '
                       f"{', '.join(known)}.") from None
    out = [f"{g.title} ({g.id})\n\n{g.summary}\n\nHow to write it:\n{_indent(g.guidance)}\n",
           f"Fields (under grounds: > {g.id}):"]
    for f in g.fields:
        out.append(f"  {f.name} ({'required' if f.required else 'optional'}): {f.help}")
        out += [f"    {sub.name} ({'required' if sub.required else 'optional'}): {sub.help}"
                for sub in f.fields]
    out.append(f"\nEvidence that helps:\n{_indent(g.evidence_advice)}")
    return "\n".join(out)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
