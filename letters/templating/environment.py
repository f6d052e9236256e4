"""Putting a letter into words: the sandboxed Jinja2 environment that produces Markdown.

User text is data. Every value a template prints passes through ``_finalize``, which escapes
text for Markdown (so ``*Bold*``, ``<script>`` and ``# heading`` appear literally) and refuses to
print ``None``. Only values wrapped in ``Markdown`` (our helpers' output) go through unescaped.
Templates from a user's folder (``--templates``) are untrusted: they are read only from
ordinary files inside the folder (``template_loader``), run in Jinja2's sandbox with swletter's
own refusals (``template_sandbox``), in a child process with limits on memory, time and output
(``template_worker``). swletter's own templates, which are part of its code, run here, without
the sandbox's per-attribute checks (40% of the wording time in bulk). Both use
``StrictUndefined``: a missing value is an error naming the template, line and variable, never
a blank in a letter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from letters.case.model import Case
from letters.compose.language import DEFAULT as DEFAULT_LANGUAGE
from letters.compose.language import Language, language, surname
from letters.compose.request import Letter
from letters.errors import TemplateError
from letters.templating import worker as template_worker
from letters.templating.cache import TemplateCache
from letters.templating.loader import FolderLoader
from letters.templating.sandbox import LetterSandbox, TemplateRefusal

#: The letter skeleton; it includes one template per ground.
LETTER_TEMPLATE = "change_request.md.j2"


class Markdown(str):
    """Text that is already Markdown and must not be escaped again."""

    __slots__ = ()


# Characters both CommonMark and Python-Markdown accept backslash escapes for.
# A translation table rather than a regex substitution: a field of 20,000 "*" escapes in
# milliseconds instead of seconds.
_ALWAYS = str.maketrans({c: "\\" + c for c in "\\`*_[]"} | {"<": "&lt;"})
# "&" only matters where it would start an entity such as &amp; or &#42;.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What only matters at the start of a line: headings, quotes, list markers, setext underlines.
_LINE_START = re.compile(r"^(?:([#>+\-])|(=)|(\d+)([.)]))")
# Any character the two steps above could change.
_SPECIAL = re.compile(r"[\\`*_\[\]<&]")


def escape_markdown(text: str) -> str:
    """Escape user text so any Markdown reader shows exactly the characters typed.

    ``text`` is expected to be one line (``clean_text`` folds line breaks).
    """
    if _SPECIAL.search(text) is None and _LINE_START.match(text) is None:
        return text  # most names and sentences: a third of the time of escaping them
    text = _ENTITY.sub("&amp;", text)
    text = text.translate(_ALWAYS)
    match = _LINE_START.match(text)
    if match:
        if match.group(1):
            text = "\\" + text
        elif match.group(2):
            text = "&#61;" + text[1:]
        else:
            digits = match.group(3)
            text = f"{digits}\\{text[len(digits):]}"
    return text


#: How dates are printed: in full ("23 November 2026"), or as month and year for an anonymised
#: copy ("November 2026"). See ``Language.date``.
DATE_STYLES = ("day", "month")


def _finalizer(lang: Language, dates: str = "day") -> Callable[[Any], str]:
    """How a template prints a value: user text escaped, dates in ``lang``'s words and in the
    style ``dates``."""
    def finalize(value: Any) -> str:
        if type(value) is str:  # the usual case first: user text, to be escaped
            return escape_markdown(value)
        if isinstance(value, Markdown):
            return value
        if isinstance(value, jinja2.Undefined):
            # Printing a missing value: raise the UndefinedError that names it.
            value._fail_with_undefined_error()
        if isinstance(value, str):
            return escape_markdown(value)
        if isinstance(value, bool) or value is None:
            raise TemplateValueError(
                f"the template printed {value!r}: a value is missing. Test it with "
                "{% if … %} before printing it."
            )
        if isinstance(value, dt.date):
            return lang.date(value, dates)
        if isinstance(value, int):
            return str(value)
        raise TemplateValueError(
            f"the template printed a {type(value).__name__}; print its fields one by one "
            "instead."
        )

    return finalize


class TemplateValueError(Exception):
    """A template printed something that has no place in a letter (None, a list, a record)."""


# --------------------------------------------------------------------------------------------
# Helpers the templates call. Each returns Markdown built from escaped parts.


def first_name(name: str) -> str:
    """The first word of a name: "Sam Doe" → "Sam"."""
    return name.split()[0] if name.split() else name


_SENTENCE_END = re.compile(r"""(?:[.!?…]|[.!?…]["'”’)\]])$""")


def sentence(text: str) -> str:
    """Text that ends as a sentence: a full stop is added unless it already ends with . ! ? or
    … (perhaps inside a closing quote or bracket)."""
    return text if _SENTENCE_END.search(text) else text + "."


def with_citation(text: str, label: str) -> Markdown:
    """User text as a sentence, its enclosure label placed before the closing full stop:
    "… without my being told (Enclosures 1 and 2)." The user's words are otherwise untouched.
    """
    if not label:
        return Markdown(escape_markdown(sentence(text)))
    if text.endswith(".") and not text.endswith(".."):
        return Markdown(escape_markdown(text[:-1]) + label + ".")
    return Markdown(escape_markdown(text) + label + ".")


def lines(items: Iterable[str | None]) -> Markdown:
    """A block of lines (an address) joined with Markdown hard line breaks."""
    return Markdown("  \n".join(escape_markdown(i) for i in items if i))


def formal_name(title: str | None, name: str) -> str:
    """"Mr John Smith" when there is a title, else "John Smith"."""
    return f"{title} {name}" if title else name


def short_name(title: str | None, name: str) -> str:
    """"Mr Smith" when there is a title, else the full name."""
    return f"{title} {surname(name)}" if title else name


# Callable objects rather than closures: a letter's variables are sent to the process that runs
# a charity's templates, and only objects with a name at module level can be sent.
class _Cite:
    """" (Enclosure 2)" or " (Enclosures 2 and 3)"; empty when nothing is cited."""

    def __init__(self, letter: Letter, lang: Language) -> None:
        self._lang = lang
        self._numbers = {e.evidence.id: e.number for e in letter.enclosures
                         if e.evidence is not None}

    def __call__(self, ids: Sequence[str] | str) -> Markdown:
        refs = [ids] if isinstance(ids, str) else list(ids)
        return Markdown(self._lang.enclosure_label(sorted(self._numbers[r] for r in refs)))


class _Cited:
    """The user's sentence with its enclosures cited before the full stop."""

    def __init__(self, cite: Callable[[Sequence[str]], Markdown]) -> None:
        self._cite = cite

    def __call__(self, text: str, ids: Sequence[str] | str = ()) -> Markdown:
        return with_citation(text, self._cite(ids))


class _LanguageLoader(jinja2.BaseLoader):
    """Templates in one language: ``change_request.md.j2`` is English, and in Welsh the loader
    looks for ``change_request.cy.md.j2``. A template missing in the language is an error that
    names it, never English in its place."""

    def __init__(self, inner: jinja2.BaseLoader, code: str) -> None:
        self.inner, self.code = inner, code

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        return self.inner.get_source(environment, localised(template, self.code))


def localised(template: str, code: str) -> str:
    """The name of ``template`` in the language ``code``."""
    if code == DEFAULT_LANGUAGE:
        return template
    stem, _, ext = template.partition(".")
    return f"{stem}.{code}.{ext}"


# --------------------------------------------------------------------------------------------
# The environment


@functools.cache
def _environment(template_dirs: tuple[str, ...] = (), code: str = DEFAULT_LANGUAGE,
                 dates: str = "day") -> jinja2.Environment:
    """The environment for ``template_dirs`` (searched first) and swletter's own templates, in
    the language ``code``, printing dates in the style ``dates``.

    User templates are untrusted: with any ``template_dirs`` every template, ours included,
    runs sandboxed. With none, only swletter's own templates can run, and they are trusted code.
    """
    loaders: list[jinja2.BaseLoader] = [FolderLoader(d) for d in template_dirs]
    loaders.append(jinja2.PackageLoader("letters.templates", "."))
    kind = LetterSandbox if template_dirs else jinja2.Environment
    lang = language(code)
    loader: jinja2.BaseLoader = jinja2.ChoiceLoader(loaders)
    env = kind(
        loader=loader if code == DEFAULT_LANGUAGE else _LanguageLoader(loader, code),
        undefined=jinja2.StrictUndefined,
        finalize=_finalizer(lang, dates),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        # swletter's own templates, compiled once and kept in the user's cache folder (40 ms a
        # run); a user's template folder is never cached.
        bytecode_cache=None if template_dirs else TemplateCache(),
    )
    env.filters.update(
        long_date=functools.partial(lang.date, style=dates),
        first_name=first_name,
        possessive=lang.possessive,
        sentence=sentence,
        join_names=lang.join,
    )
    env.globals.update(
        lines=lines,
        join_names=lang.join,
        first_name=first_name,
        formal_name=formal_name,
        short_name=short_name,
        possessive=lang.possessive,
        enclosure_label=lambda numbers: Markdown(lang.enclosure_label(numbers)),
        hard_break=Markdown("  "),
    )
    return env


def get_environment(template_dirs: Sequence[str] = (), code: str = DEFAULT_LANGUAGE,
                    dates: str = "day") -> jinja2.Environment:
    """The shared environment (one per set of template folders, language and date style,
    built once per process)."""
    if dates not in DATE_STYLES:
        raise ValueError(f"unknown date style {dates!r}; expected one of {DATE_STYLES}")
    return _environment(tuple(template_dirs), code, dates)


def case_context(case: Case, lang: Language, kind: str) -> dict[str, Any]:
    """The variables every template written from a case receives (letters and follow-ups)."""
    names = [c.name for c in case.children]
    return {
        "case": case,
        "sender": case.sender,
        "recipient": case.recipient,
        "worker": case.social_worker,
        "children": case.children,
        "children_names": lang.join(names),
        "children_first_names": lang.join([first_name(n) for n in names]),
        "subject": lang.subject(kind, names, case.case_reference),
    }


def template_context(letter: Letter) -> dict[str, Any]:
    """Every variable the letter templates receive."""
    lang = language(letter.language)
    cite = _Cite(letter, lang)
    return {
        **case_context(letter.case, lang, "request"),
        "letter": letter,
        "grounds": {s.id: s.data for s in letter.grounds},
        "sections": letter.grounds,
        "enclosures": letter.enclosures,
        "cite": cite,
        "cited": _Cited(cite),
    }


def render_markdown(letter: Letter, *, template_dirs: Sequence[str] = (),
                    template: str = LETTER_TEMPLATE) -> str:
    """The letter as Markdown, the one canonical form every writer starts from."""
    return render_template(template, template_context(letter), template_dirs=template_dirs,
                           code=letter.language, dates=letter.dates)


def render_template(name: str, context: dict[str, Any], *, template_dirs: Sequence[str] = (),
                    code: str = DEFAULT_LANGUAGE, dates: str = "day") -> str:
    """Render one template with ``context``, turning every Jinja2 failure into ``TemplateError``.

    The message names the template (the user's own file, with its folder, when it came from
    ``template_dirs``), the line, what went wrong and a hint. Nothing a template does can reach
    Python: the sandbox refuses it and the refusal is reported here. With ``template_dirs`` the
    render happens in the process with limits (``template_worker``), which raises
    ``TemplateLimitError`` when a template needs more memory or time than a letter may.
    """
    if template_dirs and not template_worker.in_worker():
        dirs = tuple(os.fspath(d) for d in template_dirs)
        return str(template_worker.run_limited(
            render_limited, name, context, dirs, code, dates, template_dirs=dirs,
            label=_user_template_label(name, dirs)))
    return _render(name, context, template_dirs, code, dates=dates)


def render_limited(name: str, context: dict[str, Any], template_dirs: Sequence[str],
                   code: str = DEFAULT_LANGUAGE, dates: str = "day") -> str:
    """``render_template`` in the process with limits, its output limited too."""
    return _render(name, context, template_dirs, code, dates=dates,
                   max_chars=template_worker.OUTPUT_LIMIT_CHARS)


def _user_template_label(name: str, template_dirs: Sequence[str]) -> str:
    """The template ``name`` as its user's file where a folder holds it, else by its name."""
    for folder in template_dirs:
        path = os.path.join(folder, *name.split("/"))
        if os.path.lexists(path):
            return path
    return name


def _generate(template: jinja2.Template, context: dict[str, Any], max_chars: int,
              template_dirs: Sequence[str]) -> str:
    """The template's text, stopped as soon as it is longer than ``max_chars``."""
    parts: list[str] = []
    size = 0
    for part in template.generate(context):
        size += len(part)
        if size > max_chars:
            where = _display_name(template.filename or template.name or "", template_dirs)
            raise template_worker.TemplateLimitError(template_worker.limit_message("output",
                                                                                   where))
        parts.append(part)
    return "".join(parts)


def _render(name: str, context: dict[str, Any], template_dirs: Sequence[str],
            code: str = DEFAULT_LANGUAGE, *, dates: str = "day",
            max_chars: int | None = None) -> str:
    env = get_environment(template_dirs, code, dates)
    try:
        template = env.get_template(name)
        text = template.render(context) if max_chars is None \
            else _generate(template, context, max_chars, template_dirs)
    except jinja2.TemplateSyntaxError as err:
        where = _display_name(err.filename or err.name or name, template_dirs)
        raise TemplateError(
            f"{where}, line {err.lineno}: {(err.message or 'syntax error').rstrip('.')}. "
            "Check the {{ }} and {% %} tags around it: each {% if %} and {% for %} needs its "
            "{% endif %} or {% endfor %}."
        ) from err
    except jinja2.TemplateNotFound as err:
        where = _template_location(err.__traceback__, template_dirs)
        if not where:
            raise TemplateError(f"template {err.name!r} was not found.") from err
        raise TemplateError(
            f"{where}: there is no template called {err.name!r} to include or import. "
            "Templates can include only other templates from your folder or swletter's own; "
            "they cannot import Python modules or read other files."
        ) from err
    except TemplateRefusal as err:
        where = _template_location(err.__traceback__, template_dirs) or name
        raise TemplateError(
            f"{where}: {err}: a letter never needs so much, and it could use up the computer's "
            "memory or time. Use a smaller number."
        ) from err
    except RecursionError as err:
        where = _template_location(err.__traceback__, template_dirs) or name
        raise TemplateError(
            f"{where}: the template calls itself (through a macro or an include) too many times "
            "over. Make sure each macro that calls itself stops."
        ) from err
    except SecurityError as err:
        where = _template_location(err.__traceback__, template_dirs) or name
        raise TemplateError(
            f"{where}: the template tried to reach into Python ({str(err).rstrip('.')}), which "
            "templates may not do; nothing was run. Templates can use only the letter's "
            "variables, helpers and filters listed in the templates README."
        ) from err
    except jinja2.UndefinedError as err:
        where = _template_location(err.__traceback__, template_dirs) or name
        known = [*context, *env.globals]
        raise TemplateError(f"{where}: {_explain_undefined(err.message or '', known)}") from err
    except TemplateValueError as err:
        where = _template_location(err.__traceback__, template_dirs) or name
        raise TemplateError(
            f"{where}: {err}{_printed_on_line(err.__traceback__, env)}") from err
    except (ArithmeticError, LookupError, TypeError, ValueError) as err:
        # Only a template can cause these here (``{{ 1/0 }}``, ``{{ list[99] }}``); our own
        # code's bugs surface in tests. Name the line so the template's author can fix it.
        where = _template_location(err.__traceback__, template_dirs) or name
        raise TemplateError(
            f"{where}: the template's expression failed ({type(err).__name__}: {err}). "
            "Check the calculation or the item it asks for."
        ) from err
    return _tidy(text)


def _display_name(filename: str, template_dirs: Sequence[str]) -> str:
    """The user's own template as its path; one of ours by its name alone."""
    for folder in template_dirs:
        if filename.startswith(os.fspath(folder)):
            return filename
    return filename.replace(os.sep, "/").rsplit("/", 1)[-1]


def _template_location(tb: TracebackType | None, template_dirs: Sequence[str] = ()) -> str:
    """"change_request.md.j2, line 12" from the innermost template frame in a traceback."""
    found = ""
    while tb is not None:
        frame = tb.tb_frame
        # Jinja2 rewrites tracebacks so template lines appear as frames of their own.
        if "__jinja_exception__" in frame.f_globals or frame.f_code.co_filename.endswith(".j2"):
            found = f"{_display_name(frame.f_code.co_filename, template_dirs)}, line {tb.tb_lineno}"
        tb = tb.tb_next
    return found


_PRINTED = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")


def _printed_on_line(tb: TracebackType | None, env: jinja2.Environment) -> str:
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


def _explain_undefined(message: str, known: Sequence[str]) -> str:
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
    import difflib

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




def _tidy(text: str) -> str:
    """One blank line between blocks, one newline at the end."""
    # str.replace rather than a regex: a tenth of the time on a whole letter.
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"
