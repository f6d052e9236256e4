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

import datetime as dt
import functools
import os
from collections.abc import Callable, Sequence
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from letters.case.model import Case
from letters.compose.language import DEFAULT as DEFAULT_LANGUAGE
from letters.compose.language import Language, language
from letters.compose.request import Letter
from letters.errors import TemplateError
from letters.templating import worker as template_worker
from letters.templating.cache import TemplateCache
from letters.templating.explain import (
    display_name,
    explain_undefined,
    printed_on_line,
    template_location,
)
from letters.templating.helpers import (
    Cite,
    Cited,
    Markdown,
    Phrase,
    age,
    capital,
    case_names,
    escape_markdown,
    formal_name,
    lines,
    quoted_within,
    sentence,
    short_name,
    unquoted,
)
from letters.templating.loader import FolderLoader
from letters.templating.sandbox import LetterSandbox, TemplateRefusal

#: The letter skeleton; it includes one template per ground.
LETTER_TEMPLATE = "change_request.md.j2"


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
        first_name=lang.first_name,
        capital=capital,
        possessive=lang.possessive,
        sentence=sentence,
        join_names=lang.join,
    )
    env.globals.update(
        lines=lines,
        join_names=lang.join,
        first_name=lang.first_name,
        formal_name=formal_name,
        short_name=short_name,
        possessive=lang.possessive,
        # A phrase after a word, as the language joins them: Welsh "cefnogi'r plant".
        after=lang.after,
        enclosure_label=lambda numbers: Markdown(lang.enclosure_label(numbers)),
        # "10 working days"; in Welsh "2 ddiwrnod gwaith" (by the number's plural category).
        counted=lang.counted,
        # "all three children"; in Welsh "y tri phlentyn".
        all_children=lang.all_children,
        # A kind of evidence in the letter's language ("email"; in Welsh "e-bost").
        evidence_type=lang.evidence_type,
        age=age,
        capital=capital,
        unquoted=unquoted,
        # The family's words inside the template's quotation marks, inner quotes made single.
        quoted_within=quoted_within,
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
        **language_context(case, lang),
        "case": case,
        "sender": case.sender,
        "relationship": lang.relationship(case.sender.relationship,
                                          keep=case.sender.keep_relationship),
        "recipient": case.recipient,
        "worker": case.social_worker,
        "children": case.children,
        "children_names": lang.join(names),
        "children_first_names": lang.join(lang.first_names(names)),
        "children_together": lang.children_together(names),
        "subject": lang.subject(kind, names, case.case_reference),
        "phrase": Phrase(case_names(case), lang),
    }


def language_context(case: Case, lang: Language) -> dict[str, Any]:
    """What a template knows of the language it is written in: ``language`` (this document's,
    ``cy``), ``languages`` (the case's choice, ``cy+en`` for Welsh then English), ``bilingual``,
    and ``language_choice``: the sentence that says the family's language choice and asks for
    the reply in it ("" for a letter in English alone; softer outside Wales, where the Welsh
    Language Standards do not apply), to print as it is."""
    choice = case.language or lang.code
    return {"language": lang.code, "languages": choice, "bilingual": "+" in choice,
            "language_choice": lang.language_choice(choice, case.jurisdiction)}


def template_context(letter: Letter) -> dict[str, Any]:
    """Every variable the letter templates receive."""
    lang = language(letter.language)
    cite = Cite(letter, lang)
    return {
        **case_context(letter.case, lang, "request"),
        "letter": letter,
        "grounds": {s.id: s.data for s in letter.grounds},
        "sections": letter.grounds,
        "enclosures": letter.enclosures,
        "cite": cite,
        "cited": Cited(cite),
        # The anonymised copy prints dates as month and year: "in April 2026", never "on".
        "anonymised": letter.dates == "month",
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
            where = display_name(template.filename or template.name or "", template_dirs)
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
        where = display_name(err.filename or err.name or name, template_dirs)
        raise TemplateError(
            f"{where}, line {err.lineno}: {(err.message or 'syntax error').rstrip('.')}. "
            "Check the {{ }} and {% %} tags around it: each {% if %} and {% for %} needs its "
            "{% endif %} or {% endfor %}."
        ) from err
    except jinja2.TemplateNotFound as err:
        where = template_location(err.__traceback__, template_dirs)
        if not where:
            raise TemplateError(f"template {err.name!r} was not found.") from err
        raise TemplateError(
            f"{where}: there is no template called {err.name!r} to include or import. "
            "Templates can include only other templates from your folder or swletter's own; "
            "they cannot import Python modules or read other files."
        ) from err
    except TemplateRefusal as err:
        where = template_location(err.__traceback__, template_dirs) or name
        raise TemplateError(
            f"{where}: {err}: a letter never needs so much, and it could use up the computer's "
            "memory or time. Use a smaller number."
        ) from err
    except RecursionError as err:
        where = template_location(err.__traceback__, template_dirs) or name
        raise TemplateError(
            f"{where}: the template calls itself (through a macro or an include) too many times "
            "over. Make sure each macro that calls itself stops."
        ) from err
    except SecurityError as err:
        where = template_location(err.__traceback__, template_dirs) or name
        raise TemplateError(
            f"{where}: the template tried to reach into Python ({str(err).rstrip('.')}), which "
            "templates may not do; nothing was run. Templates can use only the letter's "
            "variables, helpers and filters listed in the templates README."
        ) from err
    except jinja2.UndefinedError as err:
        where = template_location(err.__traceback__, template_dirs) or name
        known = [*context, *env.globals]
        raise TemplateError(f"{where}: {explain_undefined(err.message or '', known)}") from err
    except TemplateValueError as err:
        where = template_location(err.__traceback__, template_dirs) or name
        raise TemplateError(
            f"{where}: {err}{printed_on_line(err.__traceback__, env)}") from err
    except (ArithmeticError, LookupError, TypeError, ValueError) as err:
        # Only a template can cause these here (``{{ 1/0 }}``, ``{{ list[99] }}``); our own
        # code's bugs surface in tests. Name the line so the template's author can fix it.
        where = template_location(err.__traceback__, template_dirs) or name
        raise TemplateError(
            f"{where}: the template's expression failed ({type(err).__name__}: {err}). "
            "Check the calculation or the item it asks for."
        ) from err
    return _tidy(text)


def _tidy(text: str) -> str:
    """One blank line between blocks, one newline at the end."""
    # str.replace rather than a regex: a tenth of the time on a whole letter.
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"
