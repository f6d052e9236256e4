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

import difflib
import functools
import os
import stat
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from letters.errors import ConfigError, LettersError, OutputError, Problem, TemplateError
from letters.output import make_folder, write_atomic
from letters.templating.environment import (
    get_environment,
)
from letters.templating.families import (
    JINJA_NAMES,
    TemplateFamily,
    assigned_names,
    builtin_template_names,
    template_families,
    trial_cases,
)
from letters.templating.loader import (
    TemplateFileError,
    decode_template,
    read_template_bytes,
    unusable_entry,
)
from letters.templating.readme import variables_readme
from letters.templating.worker import TemplateLimitError, run_limited

README_NAME = "README.md"

# --------------------------------------------------------------------------------------------
# Export


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
    return {"assigned": sorted(assigned_names(tree)),
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
        names |= assigned_names(tree)
        if any(f.owns(name) for f in families):
            names |= {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"}
    return frozenset(names)


def _known_names(families: Sequence[TemplateFamily]) -> set[str]:
    """Every name a template of ``families`` can use: what the code passes in, the helpers,
    and names our own templates of the family use or any of them sets."""
    names = set(get_environment().globals) | JINJA_NAMES
    for family in families:
        names |= family.variables()
    return names | _builtin_names(tuple(f.title for f in families))


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
