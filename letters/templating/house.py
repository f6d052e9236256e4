"""House wording for charities: export swletter's templates to edit, and check edited ones.

``export_templates`` copies every built-in template into a folder, with a README listing each
variable, helper and filter the templates receive. The README is generated from the code (the
real template context of the example letter, the environment's helpers and the grounds'
fields), so it cannot drift from what the templates are given.

``check_templates`` reports every problem in a folder of templates at once: syntax errors, names
that are defined nowhere, file names that replace nothing (a typo in the name means the
template is never used), links, pipes and devices in the folder, and any failure when the
example cases are put through them. The folder is untrusted: its files are read as the letters
read them, and compiled and tried out in the process with limits (``template_worker``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import os
import stat
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from letters.case.grounds import load_grounds
from letters.case.model import Case
from letters.case.schema import CASE_FIELDS, Field
from letters.case.validate import case_from_data, parse_case_text
from letters.compose.documents import document_kind
from letters.compose.request import compose_letter
from letters.errors import CaseError, ConfigError, LettersError, OutputError, Problem, TemplateError
from letters.output import make_folder, write_atomic
from letters.templating import worker as template_worker
from letters.templating.environment import (
    LETTER_TEMPLATE,
    get_environment,
    render_markdown,
    template_context,
)
from letters.templating.loader import (
    TemplateFileError,
    decode_template,
    read_template_bytes,
    unusable_entry,
)
from letters.templating.worker import TemplateLimitError, run_limited

README_NAME = "README.md"

#: What each variable of the letter templates is, in a charity's words. A test checks that this
#: names exactly the variables ``template_context`` gives, so a new one cannot go unexplained.
VARIABLE_HELP: dict[str, str] = {
    "letter": "The letter being written: its date, reply-by date, salutation and sign-off.",
    "case": "The whole case file, as checked by swletter.",
    "sender": "Who writes and signs the letter.",
    "recipient": "The manager the letter is addressed to.",
    "worker": "The social worker the family asks to change.",
    "children": "The children, in the order of the case file (a list).",
    "children_names": 'The children\'s full names joined: "Sam Doe and Lily Doe".',
    "children_first_names": 'The children\'s first names joined: "Sam and Lily".',
    "subject": 'The subject line, also the document\'s title: "Request for a change of social '
               'worker for Sam Doe (case reference CP-2026-0413)".',
    "grounds": "The grounds raised, by id, each with its fields (see below). Test for one with "
               '{% if "complaint" in grounds %}.',
    "sections": "The grounds raised, in the letter's order; each has .id, .template and .data.",
    "enclosures": "The numbered enclosures, in order (a list).",
    "cite": "cite(ids) gives \" (Enclosure 2)\" or \" (Enclosures 2 and 3)\" for evidence ids.",
    "cited": "cited(text, ids) gives the user's sentence with its enclosures cited before the "
             "full stop.",
}

#: Variables the letter skeleton sets for each ground's template (see change_request.md.j2).
GROUND_TEMPLATE_VARIABLES = {
    "g": "This ground's fields, as listed under its name below.",
    "section": "This ground's section (.id, .template, .data).",
    "kids": "The children's first names joined, as children_first_names.",
}

# Names Jinja2 provides by itself inside templates.
_JINJA_NAMES = frozenset({"loop", "self", "super", "caller", "varargs", "kwargs", "true",
                          "false", "none", "True", "False", "None"})


# --------------------------------------------------------------------------------------------
# Export


def builtin_template_names() -> list[str]:
    """The names of swletter's own templates."""
    folder = resources.files("letters.templates")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".j2"))


def export_templates(folder: str | os.PathLike[str], *, force: bool = False) -> list[Path]:
    """Copy every built-in template and a README of variables into ``folder``.

    Nothing is written if any of the files exists already, unless ``force``.
    """
    root = Path(folder)
    names = builtin_template_names()
    targets = [root / n for n in [*names, README_NAME]]
    existing = [t.name for t in targets if os.path.lexists(t)]
    if existing and not force:
        raise OutputError(f"{root} already holds {', '.join(existing)}"
                          ". Use --force to replace them, or choose another folder.")
    try:
        make_folder(root)
    except OSError as err:
        raise OutputError(f"cannot create {root}: {err.strerror}.") from err
    source = resources.files("letters.templates")
    written = [write_atomic(root / n, source.joinpath(n).read_bytes(), force=force)
               for n in names]
    written.append(write_atomic(root / README_NAME, variables_readme().encode("utf-8"),
                                force=force))
    return written


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
                names -= _assigned(tree)
        names -= set(env.globals) | _JINJA_NAMES
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
        return words[:1].upper() + words[1:] + "." if words else ""
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


# --------------------------------------------------------------------------------------------
# Example cases, for the README and for trial renders


def example_case() -> Any:
    """The full example case swletter ships (every ground, every optional field)."""
    return case_from_data(_example_data(), source="the example case", base_dir=_example_dir())


def _example_dir() -> str:
    return str(resources.files("letters.example"))


def _example_data() -> Any:
    text = resources.files("letters.example").joinpath("case.yaml").read_text("utf-8")
    return parse_case_text(text, "the example case")


def _required_only(specs: Sequence[Field], data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in specs:
        if not spec.required or spec.name not in data:
            continue
        value = data[spec.name]
        if spec.kind == "record" and isinstance(value, dict):
            value = _required_only(spec.fields, value)
        elif spec.kind == "records" and isinstance(value, list):
            value = [_required_only(spec.fields, v) for v in value if isinstance(v, dict)]
        out[spec.name] = value
    return out


def trial_cases() -> list[tuple[str, Any]]:
    """Cases that exercise templates both ways: every field filled in, and only what is needed.

    The second has every ground with only its required fields, so a template that prints an
    optional field without testing it first fails here rather than in a family's letter.
    """
    full = _example_data()
    lean = _required_only(CASE_FIELDS, full)
    grounds = {g.id: g for g in load_grounds()}
    lean["grounds"] = {gid: _required_only(grounds[gid].fields, value)
                       for gid, value in full.get("grounds", {}).items() if gid in grounds}
    for ground in lean["grounds"].values():
        for value in ground.values():
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        item.pop("evidence", None)
    out = []
    for label, data in (("the full example case", full),
                        ("the example case with only required fields", lean)):
        try:
            out.append((label, case_from_data(data, source=label, base_dir=_example_dir())))
        except CaseError:
            continue  # the shipped example no longer fits the schema: the meta tests catch it
    return out


# --------------------------------------------------------------------------------------------
# Check


@dataclass(frozen=True)
class TemplateFamily:
    """The templates of one kind of document, and how to try them out.

    ``prefixes`` say which template names belong to it; ``variables`` gives the names its code
    passes in; ``trial`` writes the document for a case through a template folder (raising
    ``TemplateError`` when a template fails).
    """

    title: str
    prefixes: tuple[str, ...]
    variables: Callable[[], set[str]]
    trial: Callable[[Case, tuple[str, ...]], object]
    #: Example values of the variables, where the code can give them, for the README.
    samples: Callable[[], dict[str, Any]] = dict

    def owns(self, name: str) -> bool:
        return name.startswith(self.prefixes)


def template_families() -> list[TemplateFamily]:
    """Every kind of document swletter writes from templates. Add a kind here."""
    from letters.compose import easyread, followup, next_steps, redact, statement

    def request(case: Case, dirs: tuple[str, ...]) -> object:
        return render_markdown(compose_letter(case), template_dirs=dirs)

    def followups(case: Case, dirs: tuple[str, ...]) -> object:
        first_date = case.date or dt.date(2026, 11, 23)
        answered = followup.FirstLetter(
            date=first_date, reply_by=first_date + dt.timedelta(days=14), register_id=1,
            chased_on=first_date + dt.timedelta(days=20),
            reply_date=first_date + dt.timedelta(days=25), outcome="refused",
            reasons="not-given")
        for kind in followup.KINDS:
            for first in (followup.FirstLetter(date=first_date), answered):
                followup.make_followup(case, kind, first,
                                       today=first_date + dt.timedelta(days=30),
                                       template_dirs=dirs)
        return None

    def statements(case: Case, dirs: tuple[str, ...]) -> object:
        if case.supporting_statements:
            statement.draft_statement(case, template_dirs=dirs)
        return None

    def followup_samples() -> dict[str, Any]:
        first = followup.FirstLetter(date=dt.date(2026, 11, 23))
        plan = followup.compose_followup(example_case(), "complaint", first,
                                         today=dt.date(2026, 12, 23))
        return followup.followup_context(plan)

    return [
        TemplateFamily("the request letter", (LETTER_TEMPLATE, "ground_"),
                       lambda: set(VARIABLE_HELP) | set(GROUND_TEMPLATE_VARIABLES), request),
        TemplateFamily("the follow-up letters", ("followup_",),
                       lambda: set(followup_samples()), followups, followup_samples),
        TemplateFamily("the supporting statement", (document_kind("statement").template,), set,
                       statements),
        # The documents beyond the letter (issue 19): each module describes its own.
        *(module.template_family() for module in (next_steps, easyread, redact)),
    ]


def check_templates(folder: str | os.PathLike[str]) -> list[Problem]:
    """Every problem in a folder of templates: each names the file, the line where known,
    what is wrong and a hint. An empty list means the folder is fine.

    The folder is untrusted: its files are read as the letters read them (ordinary files
    only, never through a link), and compiled and tried out in the process with limits.
    """
    root = Path(folder)
    if not root.is_dir():
        raise ConfigError([Problem("this is not a folder of templates. Make one with "
                                   f"`swletter templates export {root}`.")], str(root))
    builtin = builtin_template_names()
    problems, names = _unusable_entries(root)
    unusable = {p.file for p in problems}
    if not names and not problems:
        raise ConfigError([Problem("there are no templates (.j2 files) here. Make a starting "
                                   f"set with `swletter templates export {root}`.")], str(root))
    families = template_families()
    analysed: dict[Path, dict[str, Any]] = {}
    for name in names:
        path = root / name
        if name not in builtin:
            match = difflib.get_close_matches(name, builtin, n=1, cutoff=0.8)
            if match:
                problems.append(Problem(
                    f'this replaces no built-in template, so it is never used. Did you mean '
                    f'"{match[0]}"? Rename the file.', file=str(path)))
        try:
            data = read_template_bytes(str(root), [name])
            if data is None:  # removed while we looked
                continue
            source = decode_template(data, str(path))
            analysed[path] = run_limited(analyse_template, source, name, str(path),
                                         template_dirs=(str(root),), label=str(path))
        except TemplateFileError as err:
            if err.path not in unusable:
                problems.append(Problem(err.what, file=err.path, line=err.line))
                unusable.add(err.path)
            continue
        except TemplateLimitError as err:
            file, line, what = _split_location(str(err))
            problems.append(Problem(what, file=file or str(path), line=line))
            unusable.add(str(path))
            continue
        syntax = analysed[path].get("syntax")
        if syntax:
            problems.append(Problem(
                f"{syntax[0].rstrip('.')}. Check the {{{{ }}}} and {{% %}} tags around it: "
                "each {% if %} and {% for %} needs its {% endif %} or {% endfor %}.",
                file=str(path), line=syntax[1]))
    user_assigned = {n for a in analysed.values() for n in a.get("assigned", ())}
    for path, analysis in analysed.items():
        if "loads" not in analysis:
            continue
        owners = [f for f in families if f.owns(path.name)] or families
        known = _known_names(owners) | user_assigned
        problems.extend(_unknown_names(analysis["loads"], known, path))
    problems.extend(_trial_problems(root, problems, families, unusable))
    return problems


#: The most entries of a templates folder looked at (a folder of templates holds a dozen).
_MAX_ENTRIES = 10_000


def _unusable_entries(root: Path) -> tuple[list[Problem], list[str]]:
    """Links, pipes and devices anywhere in the folder, as problems; and the names of the
    templates at its top (ordinary ``.j2`` files)."""
    problems: list[Problem] = []
    names: list[str] = []
    folders, seen = [root], 0
    while folders and seen < _MAX_ENTRIES:
        folder = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries[:_MAX_ENTRIES - seen]:
            seen += 1
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            template = entry.name.endswith(".j2")
            why = unusable_entry(info, template=template)
            if why:
                problems.append(Problem(why, file=entry.path))
            elif stat.S_ISDIR(info.st_mode):
                folders.append(Path(entry.path))
            elif template and folder == root:
                names.append(entry.name)
    return problems, names


def analyse_template(source: str, name: str, filename: str) -> dict[str, Any]:
    """Compile a user's template (in the process with limits: compiling works out constant
    expressions) and list the names it sets and uses: ``{"syntax": [message, line]}``, or
    ``{"assigned": [...], "loads": [[name, line], ...]}``."""
    env = get_environment((os.path.dirname(filename),))
    try:
        tree = env.parse(source, name, filename)
        # Compiling finds what parsing cannot, such as a filter that does not exist.
        env.compile(tree, name, filename)
    except jinja2.TemplateSyntaxError as err:
        return {"syntax": [err.message or "syntax error", err.lineno]}
    except RecursionError:
        return {"syntax": ["the tags are nested too deeply", None]}
    return {"assigned": sorted(_assigned(tree)),
            "loads": [[n.name, n.lineno] for n in tree.find_all(nodes.Name) if n.ctx == "load"]}


@functools.cache
def _builtin_names(owned_by: tuple[str, ...]) -> frozenset[str]:
    """Names swletter's own templates set, and those used by the ones ``owned_by`` a family
    (by title): every name those use is given to them, as their tests show."""
    env = get_environment()
    families = [f for f in template_families() if f.title in owned_by]
    names: set[str] = set()
    for name in builtin_template_names():
        source = resources.files("letters.templates").joinpath(name).read_text("utf-8")
        tree = env.parse(source)
        names |= _assigned(tree)
        if any(f.owns(name) for f in families):
            names |= {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}
    return frozenset(names)


def _known_names(families: Sequence[TemplateFamily]) -> set[str]:
    """Every name a template of ``families`` can use: what the code passes in, the helpers,
    and names our own templates of the family use or any of them sets."""
    names = set(get_environment().globals) | _JINJA_NAMES
    for family in families:
        names |= family.variables()
    return names | _builtin_names(tuple(f.title for f in families))


def _assigned(tree: nodes.Template) -> set[str]:
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names |= {m.name for m in tree.find_all(nodes.Macro)}
    return names


def _unknown_names(loads: Sequence[Sequence[Any]], known: set[str],
                   path: Path) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for name, line in loads:
        if name in known or name in seen:
            continue
        seen.add(name)
        candidates = sorted(n for n in known if n[:1].islower())
        match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        hint = f' Did you mean "{match[0]}"?' if match else ""
        problems.append(Problem(
            f'there is no variable "{name}".{hint} The variables are listed in the README '
            "that `swletter templates export` writes.", file=str(path), line=line))
    return problems


def _trial_problems(root: Path, found: list[Problem], families: Sequence[TemplateFamily],
                    unusable: set[str]) -> list[Problem]:
    """Put the example cases through the folder's templates and report what fails."""
    # What the checks above found already: files that cannot be read or used, files that do
    # not compile, and unknown names.
    broken = unusable | {p.file for p in found if "Check the {{ }}" in p.message}
    named = {(p.file, p.line, _quoted(p.message)) for p in found}
    problems: list[Problem] = []
    messages: set[str] = set()
    stopped: set[str] = set()  # families whose templates went over a limit: once is enough
    for label, case in trial_cases():
        for family in families:
            if family.title in stopped:
                continue
            try:
                family.trial(case, (str(root),))
            except TemplateError as err:
                if isinstance(err, TemplateLimitError):
                    stopped.add(family.title)
                file, line, what = _split_location(str(err))
                if what in messages or file in broken or (file, line, _quoted(what)) in named \
                        or any(str(err).startswith(f"{b}: ") for b in broken):
                    continue
                messages.add(what)
                problems.append(Problem(f"{what} (found by writing {family.title} for {label})",
                                        file=file, line=line))
            except LettersError:
                continue  # this trial does not apply to this case (say, no statement in it)
    return problems


def _quoted(message: str) -> str:
    """The first name in double quotes in a message ("there is no variable "x"" → x)."""
    start = message.find('"')
    end = message.find('"', start + 1)
    return message[start + 1:end] if 0 <= start < end else ""


def _split_location(message: str) -> tuple[str, int | None, str]:
    """"file, line 3: what" → (file, 3, what)."""
    head, _, what = message.partition(": ")
    if ", line " in head:
        file, _, line = head.rpartition(", line ")
        if line.isdigit():
            return file, int(line), what
    return "", None, message
