"""Putting a letter into words: the sandboxed Jinja2 environment that produces Markdown.

User text is data. Every value a template prints passes through ``_finalize``, which escapes
text for Markdown (so ``*Bold*``, ``<script>`` and ``# heading`` appear literally) and refuses to
print ``None``. Only values wrapped in ``Markdown`` (our helpers' output) go through unescaped.
Templates run in Jinja2's ``SandboxedEnvironment`` with ``StrictUndefined``: a missing value is an
error naming the template, line and variable, never a blank in a letter.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .compose import Letter, surname
from .dates import long_date
from .errors import TemplateError

#: The letter skeleton; it includes one template per ground.
LETTER_TEMPLATE = "change_request.md.j2"


class Markdown(str):
    """Text that is already Markdown and must not be escaped again."""

    __slots__ = ()


# Characters both CommonMark and Python-Markdown accept backslash escapes for.
_ALWAYS = re.compile(r"([\\`*_\[\]])")
# "&" only matters where it would start an entity such as &amp; or &#42;.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What only matters at the start of a line: headings, quotes, list markers, setext underlines.
_LINE_START = re.compile(r"^(?:([#>+\-])|(=)|(\d+)([.)]))")


def escape_markdown(text: str) -> str:
    """Escape user text so any Markdown reader shows exactly the characters typed.

    ``text`` is expected to be one line (``clean_text`` folds line breaks).
    """
    text = _ENTITY.sub("&amp;", text)
    text = _ALWAYS.sub(r"\\\1", text).replace("<", "&lt;")
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


def _finalize(value: Any) -> str:
    if isinstance(value, Markdown):
        return value
    if isinstance(value, str):
        return escape_markdown(value)
    if isinstance(value, bool) or value is None:
        raise TemplateValueError(
            f"the template printed {value!r}: a value is missing. Test it with "
            "{% if … %} before printing it."
        )
    if isinstance(value, dt.date):
        return long_date(value)
    if isinstance(value, int):
        return str(value)
    raise TemplateValueError(
        f"the template printed a {type(value).__name__}; print its fields one by one instead."
    )


class TemplateValueError(Exception):
    """A template printed something that has no place in a letter (None, a list, a record)."""


# --------------------------------------------------------------------------------------------
# Helpers the templates call. Each returns Markdown built from escaped parts.


def join_names(names: Iterable[str]) -> str:
    """``["Sam", "Lily", "Ava"]`` → ``Sam, Lily and Ava``."""
    items = [n for n in names if n]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def first_name(name: str) -> str:
    """The first word of a name: "Sam Doe" → "Sam"."""
    return name.split()[0] if name.split() else name


def possessive(name: str) -> str:
    """``Sam`` → ``Sam's``; ``Sam and Lily`` → ``Sam and Lily's``; ``James`` → ``James's``."""
    return name + "'s"


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


def _citer(letter: Letter) -> Callable[[Sequence[str]], Markdown]:
    numbers = {e.evidence.id: e.number for e in letter.enclosures if e.evidence is not None}

    def cite(ids: Sequence[str] | str) -> Markdown:
        """" (Enclosure 2)" or " (Enclosures 2 and 3)"; empty when nothing is cited."""
        refs = [ids] if isinstance(ids, str) else list(ids)
        return enclosure_label(sorted(numbers[r] for r in refs))

    return cite


def _cited(cite: Callable[[Sequence[str]], Markdown]) -> Callable[..., Markdown]:
    def cited(text: str, ids: Sequence[str] | str = ()) -> Markdown:
        """The user's sentence with its enclosures cited before the full stop."""
        return with_citation(text, cite(ids))

    return cited


def enclosure_label(numbers: Sequence[int]) -> Markdown:
    """" (Enclosure 2)" / " (Enclosures 2 and 3)" with its leading space, or empty."""
    if not numbers:
        return Markdown("")
    word = "Enclosure" if len(numbers) == 1 else "Enclosures"
    return Markdown(f" ({word} {join_names([str(n) for n in numbers])})")


# --------------------------------------------------------------------------------------------
# The environment


@functools.cache
def _environment(template_dirs: tuple[str, ...] = ()) -> SandboxedEnvironment:
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(list(template_dirs))] \
        if template_dirs else []
    loaders.append(jinja2.PackageLoader("letters.templates", "."))
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        long_date=long_date,
        first_name=first_name,
        possessive=possessive,
        sentence=sentence,
        join_names=join_names,
    )
    env.globals.update(
        lines=lines,
        join_names=join_names,
        first_name=first_name,
        formal_name=formal_name,
        short_name=short_name,
        possessive=possessive,
        enclosure_label=enclosure_label,
        hard_break=Markdown("  "),
    )
    return env


def get_environment(template_dirs: Sequence[str] = ()) -> SandboxedEnvironment:
    """The shared environment (one per set of template folders, built once per process)."""
    return _environment(tuple(template_dirs))


def template_context(letter: Letter) -> dict[str, Any]:
    """Every variable the letter templates receive."""
    case = letter.case
    children_first = [first_name(c.name) for c in case.children]
    cite = _citer(letter)
    return {
        "letter": letter,
        "case": case,
        "sender": case.sender,
        "recipient": case.recipient,
        "worker": case.social_worker,
        "children": case.children,
        "children_names": join_names([c.name for c in case.children]),
        "children_first_names": join_names(children_first),
        "grounds": {s.id: s.data for s in letter.grounds},
        "sections": letter.grounds,
        "enclosures": letter.enclosures,
        "cite": cite,
        "cited": _cited(cite),
    }


def render_markdown(letter: Letter, *, template_dirs: Sequence[str] = (),
                    template: str = LETTER_TEMPLATE) -> str:
    """The letter as Markdown, the one canonical form every writer starts from."""
    return render_template(template, template_context(letter), template_dirs=template_dirs)


def render_template(name: str, context: dict[str, Any], *,
                    template_dirs: Sequence[str] = ()) -> str:
    """Render one template with ``context``, turning every Jinja2 failure into ``TemplateError``."""
    env = get_environment(template_dirs)
    try:
        text = env.get_template(name).render(context)
    except jinja2.TemplateNotFound as err:
        raise TemplateError(f"template {err.name!r} was not found.") from err
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(
            f"{err.name or err.filename}, line {err.lineno}: {err.message}. "
            "Check the {{ }} and {% %} tags around it."
        ) from err
    except SecurityError as err:
        where = _template_location(err.__traceback__) or name
        raise TemplateError(
            f"{where}: the template tried something templates may not do ({err}). "
            "Templates can only use the letter's variables and filters."
        ) from err
    except jinja2.UndefinedError as err:
        where = _template_location(err.__traceback__) or name
        raise TemplateError(
            f"{where}: {err.message}. Check the spelling against the variables listed in the "
            "templates README."
        ) from err
    except TemplateValueError as err:
        where = _template_location(err.__traceback__) or name
        raise TemplateError(f"{where}: {err}") from err
    return _tidy(text)


def _template_location(tb: TracebackType | None) -> str:
    """"change_request.md.j2, line 12" from the innermost template frame in a traceback."""
    found = ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{filename.rsplit('/', 1)[-1]}, line {tb.tb_lineno}"
        tb = tb.tb_next
    return found


_BLANK_RUNS = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    """One blank line between blocks, one newline at the end."""
    return _BLANK_RUNS.sub("\n\n", text).strip() + "\n"
