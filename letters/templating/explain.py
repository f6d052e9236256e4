"""Jinja2's failures in a letter-writer's words: which template and line, what it printed, and
the nearest right name for a misspelt variable or field."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

import jinja2

from letters.templating.loader import FolderLoader


def display_name(filename: str, template_dirs: Sequence[str]) -> str:
    """The user's own template as its path; one of ours by its name alone."""
    for folder in template_dirs:
        if filename.startswith(os.fspath(folder)):
            return filename
    return filename.replace(os.sep, "/").rsplit("/", 1)[-1]


def template_location(tb: TracebackType | None, template_dirs: Sequence[str] = ()) -> str:
    """"change_request.md.j2, line 12" from the innermost template frame in a traceback."""
    found = ""
    while tb is not None:
        frame = tb.tb_frame
        # Jinja2 rewrites tracebacks so template lines appear as frames of their own.
        if "__jinja_exception__" in frame.f_globals or frame.f_code.co_filename.endswith(".j2"):
            found = f"{display_name(frame.f_code.co_filename, template_dirs)}, line {tb.tb_lineno}"
        tb = tb.tb_next
    return found


_PRINTED = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")


def printed_on_line(tb: TracebackType | None, env: jinja2.Environment) -> str:
    """" The line prints: {{ recipient.email }}." so the author sees which value it was."""
    where: tuple[str, int] | None = None
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            where = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    if where is None:
        return ""
    try:
        source = _source_of(where[0], env).splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    if not 0 < where[1] <= len(source):
        return ""
    printed = _PRINTED.findall(source[where[1] - 1])
    if not printed:
        return ""
    return " The line prints: " + ", ".join(f"{{{{ {p} }}}}" for p in printed) + "."


def _source_of(filename: str, env: jinja2.Environment) -> str:
    """A template's text by its file name: a user's as their folder's loader read it (their
    file is never opened twice), swletter's own from the package."""
    loader = env.loader
    for each in loader.loaders if isinstance(loader, jinja2.ChoiceLoader) else [loader]:
        if isinstance(each, FolderLoader):
            source = each.source_of(filename)
            if source is not None:
                return source
            if filename.startswith(each.folder):
                return ""
    return Path(filename).read_text(encoding="utf-8")


_NO_ATTRIBUTE = re.compile(r"^'(?:[\w.]+\.)?(\w+) object' has no attribute '([^']*)'$")
_NOT_DEFINED = re.compile(r"^'([^']*)' is undefined$")


def explain_undefined(message: str, known: Sequence[str]) -> str:
    """Jinja2's "'letters.case.validate.Sender object' has no attribute 'nmae'" in a letter-writer's
    words, with the nearest right name."""
    match = _NOT_DEFINED.match(message)
    if match:
        name = match.group(1)
        return (f'there is no variable "{name}".{_nearest(name, known)} The variables are listed '
                "in the templates README (swletter templates export).")
    match = _NO_ATTRIBUTE.match(message)
    if match:
        kind, attr = match.groups()
        if kind == "dict":
            return (f'there is no "{attr}" here.{_nearest(attr, _ground_words())} If it is a '
                    "ground or a field a case may leave out, test it first, as in "
                    f'{{% if "{attr}" in grounds %}} or {{% if g.reference %}}.')
        fields = _fields_of(kind)
        return (f'a {kind} has no "{attr}".{_nearest(attr, fields)}'
                + (f" Its fields are: {', '.join(fields)}." if fields else ""))
    return f"{message}. Check the spelling against the templates README."


def _nearest(word: str, options: Iterable[str]) -> str:

    match = difflib.get_close_matches(word, [o for o in options if o != word], n=1, cutoff=0.6)
    return f' Did you mean "{match[0]}"?' if match else ""


def _ground_words() -> list[str]:
    """Ground ids and their field names: the keys of ``grounds`` and of ``g``."""
    from letters.case.grounds import load_grounds

    words: list[str] = []
    for ground in load_grounds():
        words.append(ground.id)
        stack = list(ground.fields)
        while stack:
            spec = stack.pop()
            words.append(spec.name)
            stack.extend(spec.fields)
    return words


def _public_names(cls: type) -> tuple[str, ...]:
    names = [f.name for f in dataclasses.fields(cls) if not f.name.startswith("_")] \
        if dataclasses.is_dataclass(cls) else []
    names += [n for n, v in vars(cls).items() if isinstance(v, property | functools.cached_property)
              or (callable(v) and not n.startswith("_") and n not in names)]
    return tuple(dict.fromkeys(names))


def _fields_of(class_name: str) -> tuple[str, ...]:
    """The fields of the swletter object called ``class_name`` (Sender, Letter, FollowUp …)."""
    for name, module in list(sys.modules.items()):
        cls = getattr(module, class_name, None) if name.startswith("letters") else None
        if isinstance(cls, type):
            return _public_names(cls)
    return ()
