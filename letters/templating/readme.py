"""The README that ``swletter templates export`` writes beside the templates: every variable,
helper and filter the templates receive, generated from the code (the real context of the
example letter, the environment's helpers and the grounds' fields), so it cannot drift."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from typing import Any

import jinja2
from jinja2 import nodes

from letters.case.grounds import load_grounds
from letters.case.schema import CASE_FIELDS, Field
from letters.compose.request import compose_letter
from letters.templating import worker as template_worker
from letters.templating.environment import (
    get_environment,
    template_context,
)
from letters.templating.families import (
    GROUND_TEMPLATE_VARIABLES,
    JINJA_NAMES,
    VARIABLE_HELP,
    assigned_names,
    builtin_template_names,
    example_case,
    template_families,
)
from letters.text import capital


def variables_readme() -> str:
    """The README for an exported templates folder, generated from the code."""
    letter = compose_letter(example_case())
    context = template_context(letter)
    env = get_environment()
    plain = jinja2.sandbox.SandboxedEnvironment()
    out = [_README_HEAD, "## Variables\n", "| variable | what it is |", "|---|---|"]
    for name, value in context.items():
        out.append(f"| `{name}` | {_cell(VARIABLE_HELP.get(name, _describe_value(value)))} |")
    out.append("\nIn each `ground_*.md.j2` template the letter skeleton also sets:\n")
    out.append("| variable | what it is |\n|---|---|")
    for name, text in GROUND_TEMPLATE_VARIABLES.items():
        out.append(f"| `{name}` | {_cell(text)} |")
    out.append("\n## Fields of each variable\n")
    out.append("Write `{{ sender.name }}`, `{{ letter.reply_by }}` and so on. A field that the "
               "case file may leave out is empty (None): test it with `{% if … %}` before "
               "printing it.\n")
    seen: set[type] = set()
    for name, value in context.items():
        cls = _element_type(value)
        if cls is None or cls in seen:
            continue
        seen.add(cls)
        out.append(f"### `{name}`{' (each item)' if isinstance(value, tuple | list) else ''}\n")
        out.extend(f"- `{field}`: {text}" for field, text in _fields_help(cls))
        out.append("")
    # Objects reached only through others, such as each piece of evidence in case.evidence.
    queue = list(seen)
    while queue:
        for nested in _nested_types(queue.pop(0)):
            if nested not in seen:
                seen.add(nested)
                queue.append(nested)
                out.append(f"### Each {nested.__name__}\n")
                out.extend(f"- `{field}`: {text}" for field, text in _fields_help(nested))
                out.append("")
    out.append("### `grounds` (and `g` in a ground's template)\n")
    for ground in load_grounds():
        out.append(f"- `{ground.id}` — {ground.title} (`ground_{ground.id}.md.j2`):")
        out.extend(_ground_fields(ground.fields, "  "))
    out.extend(_other_families_readme(env, seen))
    out.append("\n## Helpers\n")
    out.append("Call these as `{{ lines(sender.address) }}`.\n")
    for name, value in env.globals.items():
        if name not in plain.globals:
            out.append(f"- `{name}`: {_doc(value)}")
    out.append("\n## Filters\n")
    out.append("Use these as `{{ letter.date|long_date }}`.\n")
    for name, value in env.filters.items():
        if name not in plain.filters:
            out.append(f"- `{name}`: {_doc(value)}")
    out.append("\nJinja2's own filters (`upper`, `join`, `default` …) work too.\n")
    return "\n".join(out)


def _other_families_readme(env: jinja2.Environment, seen: set[type]) -> list[str]:
    """Sections for the follow-up letters and the supporting statement: the names their code
    passes in, and those their built-in templates use."""
    out: list[str] = []
    for family in template_families()[1:]:
        names = family.variables()
        for name in builtin_template_names():
            if family.owns(name):
                source = resources.files("letters.templates").joinpath(name).read_text("utf-8")
                tree = env.parse(source)
                names |= {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}
                names -= assigned_names(tree)
        names -= set(env.globals) | JINJA_NAMES
        owned = ", ".join(f"`{n}`" for n in builtin_template_names() if family.owns(n))
        out.append(f"\n## Variables of {family.title} ({owned})\n")
        out.append("Those with the same name as above are the same. The others:\n")
        samples = family.samples()
        for name in sorted(names):
            if name in VARIABLE_HELP:
                continue
            value = samples.get(name)
            words = _type_words(type(value)) if value is not None \
                else "see how the built-in template uses it"
            out.append(f"- `{name}`: {words}")
        for name, value in samples.items():
            cls = _element_type(value)
            if cls is not None and cls not in seen and name not in VARIABLE_HELP:
                seen.add(cls)
                out.append(f"\n### `{name}`\n")
                out.extend(f"- `{field}`: {text}" for field, text in _fields_help(cls))
    return out


_README_HEAD = """\
# Your letter templates

These are copies of swletter's built-in templates. Each one produces part of a letter as
Markdown. Change the wording in any of them, then use the folder:

    swletter render case.yaml --templates THIS-FOLDER

or put `templates = "THIS-FOLDER"` in `swletter.toml`. A template here replaces swletter's
template of the same name; delete the ones you have not changed, so that you get swletter's
improvements to them. After every change run:

    swletter templates check THIS-FOLDER

## How templates work

- `{{ sender.name }}` prints a value. Text from the case file is printed exactly as the family
  typed it: `*`, `#` or `<` in it cannot change the letter's layout.
- `{% if recipient.name %} … {% else %} … {% endif %}` and `{% for child in children %} …
  {% endfor %}` choose and repeat wording.
- Markdown sets the layout: `**bold**`, `## A heading`, `- a bullet`, `1. a numbered item`.
  A line `<!-- signature -->` leaves room for a signature; `<!-- page-break -->` starts a new page.
- A value that is missing stops the letter with an error naming the template, the line and the
  value. A letter never goes out with a blank or "None" where a name should be.
- Templates cannot run programs, read files or reach into Python; anything that tries stops
  with an error. Only the variables, helpers and filters below are available.
"""
_README_HEAD += (
    "- Only ordinary files in this folder are read: a link (shortcut) to a file or folder "
    "elsewhere\n  is refused. A template that needs more than "
    f"{template_worker.CPU_LIMIT_SECONDS} seconds, "
    f"{template_worker.MEMORY_LIMIT_BYTES // (1024 * 1024)} MB of memory\n  or "
    f"{template_worker.OUTPUT_LIMIT_CHARS // 1_000_000} million characters of text is "
    "stopped.\n")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _doc(value: Any) -> str:
    doc = (getattr(value, "__doc__", None) or "").strip()
    if not doc or isinstance(value, str):
        return "Markdown for a hard line break." if isinstance(value, str) else "(no description)"
    return " ".join(doc.split("\n\n")[0].split()).replace("``", "`")


def _describe_value(value: Any) -> str:
    if callable(value):
        return _doc(value)
    return type(value).__name__


def _element_type(value: Any) -> type | None:
    if isinstance(value, tuple | list):
        value = value[0] if value else None
    if value is not None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value)
    return None


#: Descriptions of the letter plan's fields (the case's fields are described by the schema).
#: A test checks that each names a real field.
FIELD_HELP: dict[tuple[str, str], str] = {
    ("Letter", "date"): "The letter's date.",
    ("Letter", "reply_by"): "The date by which a reply is asked for.",
    ("Letter", "salutation"): '"Dear Ms Patel" or "Dear Sir or Madam".',
    ("Letter", "sign_off"): '"Yours sincerely" or "Yours faithfully", to match the salutation.',
    ("Letter", "working_days"): "The number of working days given for a reply.",
    ("Letter", "language"): 'The language the letter is written in ("en", or "cy" for Welsh).',
    ("Letter", "ground_ids"): "The ids of the grounds raised, in order.",
    ("Case", "jurisdiction_source"): 'Where the part of the UK came from: "case file", '
    '"recipient" (found from the recipient\'s council or postcode) or "default" (England).',
    ("Enclosure", "number"): "The enclosure's number.",
    ("Enclosure", "evidence"): "The evidence enclosed (empty for a supporting statement).",
    ("Enclosure", "statement"): "The supporting statement enclosed (empty for evidence).",
    ("Enclosure", "cited"): "Whether a ground cites it.",
    ("Enclosure", "date"): "The evidence's or statement's date.",
    ("GroundSection", "id"): "The ground's id, such as complaint.",
    ("GroundSection", "template"): "The name of the ground's template.",
    ("GroundSection", "data"): "The ground's fields from the case file.",
    ("GroundSection", "ground"): "The ground's definition: .title, .summary.",
}
_HIDDEN = frozenset({"source", "base_dir", "warnings"})


def _fields_help(cls: type) -> Iterator[tuple[str, str]]:
    """Each public field and property of a dataclass with a short description."""
    hints = typing.get_type_hints(cls)
    case_specs = _case_specs()
    for f in dataclasses.fields(cls):
        if f.name in _HIDDEN or f.name.startswith("_"):
            continue
        spec = case_specs.get((cls.__name__, f.name))
        text = FIELD_HELP.get((cls.__name__, f.name)) \
            or (spec.help if spec is not None and spec.help else "")
        yield f.name, _with_type(text, hints.get(f.name))
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property) and member.fget is not None:
            text = FIELD_HELP.get((cls.__name__, name)) or _doc(member.fget)
            yield name, _with_type(text, typing.get_type_hints(member.fget).get("return"))
        elif callable(member) and member.__doc__:
            yield f"{name}()", _doc(member)


def _nested_types(cls: type) -> Iterator[type]:
    """The case and letter dataclasses that ``cls``'s fields hold."""
    for hint in typing.get_type_hints(cls).values():
        for candidate in (hint, *typing.get_args(hint)):
            if dataclasses.is_dataclass(candidate) and isinstance(candidate, type) \
                    and candidate.__module__ in ("letters.case.validate",
                                                 "letters.compose.request"):
                yield candidate


def _with_type(text: str, hint: Any) -> str:
    words = _type_words(hint)
    if not text or text == "(no description)":
        return capital(words) + "." if words else ""
    return f"{text} ({words})" if words else text


def _type_words(hint: Any) -> str:
    """A type in a template author's words: "text", "a date", "a list of Evidence"."""
    if hint is None:
        return ""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = _type_words(args[0]) if len(args) == 1 else "a value"
        return f"{inner}, may be empty"
    if origin in (tuple, list):
        inner = _type_words(args[0]).removeprefix("an ").removeprefix("a ") if args else ""
        return f"a list of {inner}" if inner else "a list"
    if origin in (dict, Mapping):
        return "named values"
    simple = {str: "text", int: "a number", bool: "yes or no",
              dt.date: "a date, printed as 23 November 2026"}
    if hint in simple:
        return simple[hint]
    name = getattr(hint, "__name__", str(hint))
    return f"{'an' if name[:1] in 'AEIOU' else 'a'} {name}"


_SPEC_OWNERS = {"sender": "Sender", "recipient": "Recipient", "social_worker": "SocialWorker",
                "children": "Child", "evidence": "Evidence",
                "supporting_statements": "SupportingStatement", "copy_to": "CopyTo"}


def _case_specs() -> dict[tuple[str, str], Field]:
    """(class name, field name) → the case file's description of that field."""
    out: dict[tuple[str, str], Field] = {}
    for spec in CASE_FIELDS:
        owner = _SPEC_OWNERS.get(spec.name)
        out[("Case", spec.name)] = spec
        for sub in spec.fields:
            if owner:
                out[(owner, sub.name)] = sub
    return out


def _ground_fields(fields: Sequence[Field], indent: str) -> Iterator[str]:
    for f in fields:
        need = "always there" if f.required else "may be empty"
        yield f"{indent}- `{f.name}` ({need}): {f.help}"
        yield from _ground_fields(f.fields, indent + "  ")
