"""The sandbox a charity's templates run in: Jinja2's, refusing what no letter needs.

Jinja2's ``SandboxedEnvironment`` keeps templates away from Python's insides, but not from
asking for a string of three billion spaces (``"x"|center(3000000000)``), a number with a
billion digits or a billion-item list. Those are refused here, at the expression that asks,
with a message naming the template and line: quicker and clearer than running into the hard
limits of the process templates run in (``template_worker``), which remain the guarantee for
what cannot be seen in advance (a loop that doubles a text forty times, loops inside loops).

The numbers are far above anything a letter needs: a letter is a few pages.
"""

from __future__ import annotations

import re
import string
import types
from typing import Any

import jinja2
from jinja2 import filters as jinja_filters
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum

from letters.templating.worker import OUTPUT_LIMIT_CHARS

#: The largest power (``x ** 100``) and the most bits a number may have (about 3,000 digits).
MAX_POWER, MAX_INT_BITS = 100, 10_000
#: The most items a repeat (``"x" * n``), batch or slice may make.
MAX_REPEAT = 100_000
#: The largest width, indent, padding or precision (``center``, ``indent``, ``"%5s"``, ``{:>5}``).
MAX_WIDTH = 1_000
#: The longest text one ``+`` or ``replace`` may make, in characters: what a render may write.
MAX_TEXT = OUTPUT_LIMIT_CHARS
#: Placeholder text: at most this many paragraphs of at most this many words.
MAX_LIPSUM_PARAGRAPHS, MAX_LIPSUM_WORDS = 100, 1_000


class TemplateRefusal(Exception):
    """Raised when a template asks for something far larger than any letter needs."""


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_width(value: Any, what: str = "a width") -> None:
    number = _number(value)
    if number is not None and number > MAX_WIDTH:
        raise TemplateRefusal(f"{what} above {MAX_WIDTH} is not allowed")
    if isinstance(value, str) and len(value) > MAX_WIDTH:
        raise TemplateRefusal(f"{what} longer than {MAX_WIDTH} characters is not allowed")


def _check_count(value: Any, what: str) -> None:
    number = _number(value)
    if number is not None and number > MAX_REPEAT:
        raise TemplateRefusal(f"{what} above {MAX_REPEAT} is not allowed")


def _check_length(length: int) -> None:
    if length > MAX_TEXT:
        raise TemplateRefusal(f"text longer than {MAX_TEXT:,} characters is not allowed")


def _too_wide(digits: str) -> bool:
    return len(digits) > 6 or int(digits) > MAX_WIDTH


# "%-10.3s", "%(name)5d", "%*s" …: the width and precision of each conversion.
_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d*))?")


def check_percent_format(text: str) -> None:
    """Refuse ``"%1000000000s"``-style formats (and ``*`` widths, taken from the values)."""
    for match in _PERCENT.finditer(text):
        for part in match.groups():
            if part == "*" or (part and _too_wide(part)):
                raise TemplateRefusal(f"a format width or precision above {MAX_WIDTH} is not "
                                      "allowed")


def check_brace_format(text: str) -> None:
    """Refuse ``"{:>1000000000}"``-style formats and widths taken from the values."""
    for _literal, _field, spec, _conversion in string.Formatter().parse(text):
        if spec and ("{" in spec or any(_too_wide(d) for d in re.findall(r"\d+", spec))):
            raise TemplateRefusal(f"a format width or precision above {MAX_WIDTH}, or taken "
                                  "from a value, is not allowed")


def _check_replace(text: str, old: str, new: str, count: Any = None) -> None:
    times = text.count(old) if old else len(text) + 1
    limit = _number(count)
    if limit is not None and limit >= 0:  # Python's replace: a negative count means all
        times = min(times, limit)
    _check_length(len(text) + times * (len(new) - len(old)))


# Python's own str methods a template can call, and the check each needs.
def _check_str_method(text: str, name: str, args: tuple[Any, ...],
                      kwargs: dict[str, Any]) -> None:
    if name in ("center", "ljust", "rjust", "zfill"):
        _check_width(args[0] if args else kwargs.get("width"))
    elif name == "expandtabs":
        _check_width(args[0] if args else kwargs.get("tabsize"), "a tab size")
    elif name == "replace" and len(args) >= 2:
        _check_replace(text, str(args[0]), str(args[1]), args[2] if len(args) > 2 else None)


# ---------------------------------------------------------------------------------------------
# Jinja2's filters and helpers with a check before each


def _center(value: Any, width: int = 80) -> str:
    _check_width(width)
    return jinja_filters.do_center(value, width)


def _indent(s: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    _check_width(width, "an indent")
    return jinja_filters.do_indent(s, width, first, blank)


def _format(value: str, *args: Any, **kwargs: Any) -> str:
    check_percent_format(str(value))
    return jinja_filters.do_format(value, *args, **kwargs)


def _batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
    _check_count(linecount, "a batch size")
    return jinja_filters.do_batch(value, linecount, fill_with)


def _slice(value: Any, slices: int, fill_with: Any = None) -> Any:
    _check_count(slices, "a number of slices")
    return jinja_filters.do_slice(value, slices, fill_with)


@jinja2.pass_eval_context
def _replace(eval_ctx: Any, s: str, old: str, new: str, count: int | None = None) -> str:
    _check_replace(str(s), str(old), str(new), count)
    return jinja_filters.do_replace(eval_ctx, s, old, new, count)


@jinja2.pass_eval_context
def _tojson(eval_ctx: Any, value: Any, indent: int | None = None) -> Any:
    _check_width(indent, "an indent")
    return jinja_filters.do_tojson(eval_ctx, value, indent)


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    if (_number(n) or 0) > MAX_LIPSUM_PARAGRAPHS or (_number(max) or 0) > MAX_LIPSUM_WORDS:
        raise TemplateRefusal(f"placeholder text of more than {MAX_LIPSUM_PARAGRAPHS} "
                              f"paragraphs of {MAX_LIPSUM_WORDS} words is not allowed")
    return generate_lorem_ipsum(n, html, min, max)


CHECKED_FILTERS = {"center": _center, "indent": _indent, "format": _format, "batch": _batch,
                   "slice": _slice, "replace": _replace, "tojson": _tojson}


class LetterSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, also refusing what would fill memory or keep the processor busy:
    arithmetic (``{{ 9 ** 9 ** 9 }}``, ``{{ "x" * 10 ** 9 }}``), padding and formats a
    billion wide, huge batches, slices and placeholder texts. A letter never needs them."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    MAX_POWER, MAX_REPEAT = MAX_POWER, MAX_REPEAT

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters.update(CHECKED_FILTERS)
        self.globals["lipsum"] = _lipsum

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        if operator == "**":
            power = _number(right)
            if power is not None and abs(power) > self.MAX_POWER:
                raise TemplateRefusal(f"a power above {self.MAX_POWER} is not allowed")
            base = _number(left)
            if base is not None and power is not None and base.bit_length() * power > \
                    MAX_INT_BITS:
                raise TemplateRefusal("a number with more than "
                                      f"{MAX_INT_BITS * 3 // 10:,} digits is not allowed")
        elif operator == "*":
            for seq, times in ((left, right), (right, left)):
                count = _number(times)
                if isinstance(seq, str | list | tuple) and count is not None \
                        and count * max(len(seq), 1) > self.MAX_REPEAT:
                    raise TemplateRefusal("repeating text that many times is not allowed")
            a, b = _number(left), _number(right)
            if a is not None and b is not None and a.bit_length() + b.bit_length() > \
                    MAX_INT_BITS:
                raise TemplateRefusal("a number with more than "
                                      f"{MAX_INT_BITS * 3 // 10:,} digits is not allowed")
        elif operator == "+":
            if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
                _check_length(len(left) + len(right))
        elif operator == "%" and isinstance(left, str):
            check_percent_format(left)
        return super().call_binop(context, operator, left, right)

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any,
             **kwargs: Any) -> Any:
        owner = getattr(obj, "__self__", None) if isinstance(obj, types.BuiltinMethodType) \
            else None
        if isinstance(owner, str):
            _check_str_method(owner, obj.__name__, args, kwargs)
        return super().call(context, obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Any:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            check_brace_format(value.__self__)
        return wrapped
