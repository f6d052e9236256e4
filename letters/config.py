"""Settings a charity keeps in ``swletter.toml`` so that it does not repeat options on every run.

The file is ``swletter.toml`` in the working folder, or the one given with ``--config``::

    reference_docx = "letterhead.docx"      # the look: styles, page, header and footer
    templates = "our-wording"               # folder of templates that replace ours by name
    format = "docx"                         # docx, md, html or pdf
    language = "cy"                         # en, cy (Welsh) or cy+en, when a case does not say
    response_within_working_days = 15       # when the case file does not say

    [sender]                                # the charity, for letters written for a family
    name = "Hillside Family Support"
    address = ["1 Park Row", "Leeds", "LS1 5AB"]

    [privacy]
    author_in_metadata = false              # leave the sender out of the document properties

Paths are relative to the file's own folder. Unknown keys are errors with a "did you mean".
What wins: an option on the command line, then the case file, then this file, then swletter's
defaults. How the sender defaults meet a case is explained in ``CaseDefaults.apply``.

Adding a setting is one line in ``Settings``: a field made with ``setting(parser, help)``.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from letters.case.schema import CASE_FIELDS, Field
from letters.errors import ConfigError, Problem
from letters.files import (
    FileMissingError,
    FileReadError,
    FileTooLargeError,
    NotAFileError,
    read_regular_file,
)
from letters.writers import FORMATS

#: The settings file swletter looks for in the working folder.
CONFIG_NAME = "swletter.toml"
MAX_CONFIG_BYTES = 256 * 1024


class _Bad(Exception):
    """A setting's value is wrong: the message says what, ``example`` what is right."""

    def __init__(self, message: str, example: str = "", key: str = "") -> None:
        super().__init__(message)
        self.example = example
        #: The key inside a table (``[sender]``'s ``name``) whose line to report.
        self.key = key


@dataclass(frozen=True)
class _Where:
    """What a parser needs to know about the file: its folder, for relative paths."""

    base_dir: Path


Parser = Callable[[Any, _Where], Any]


def setting(parse: Parser, help: str, example: str) -> Any:
    """Declare a key of ``swletter.toml``: how to read its value, and what it is for."""
    return field(default=None, metadata={"parse": parse, "help": help, "example": example})


# --------------------------------------------------------------------------------------------
# Value parsers: each returns the value to keep or raises _Bad.


def _text(value: Any, where: _Where) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Bad(f"expected text in quotes, not {_describe(value)}.")
    return value.strip()


def path_setting(value: Any, where: _Where) -> Path:
    """A path relative to the settings file's folder (it need not exist yet)."""
    text = _text(value, where)
    path = Path(os.path.expanduser(text))
    return path if path.is_absolute() else where.base_dir / path


def existing_file(value: Any, where: _Where) -> Path:
    path = path_setting(value, where)
    if not path.is_file():
        raise _Bad(f'"{value}" is not a file (looked for {path}).')
    return path


def existing_folder(value: Any, where: _Where) -> Path:
    path = path_setting(value, where)
    if not path.is_dir():
        raise _Bad(f'"{value}" is not a folder (looked for {path}).')
    return path


def _format(value: Any, where: _Where) -> str:
    text = _text(value, where).lower()
    if text not in FORMATS:
        raise _Bad(f'"{value}" is not a format swletter writes; use one of {", ".join(FORMATS)}.'
                   + _did_you_mean(text, FORMATS))
    return text


def _language(value: Any, where: _Where) -> str:
    choices = _case_field("language").choices
    text = _text(value, where).lower()
    if text not in choices:
        raise _Bad(f'"{value}" is not a language swletter writes; use one of '
                   f'{", ".join(choices)}.' + _did_you_mean(text, choices))
    return text


def _case_field(name: str) -> Field:
    return next(f for f in CASE_FIELDS if f.name == name)


def _working_days(value: Any, where: _Where) -> int:
    spec = _case_field("response_within_working_days")
    low, high = spec.minimum or 1, spec.maximum or 60
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(f"expected a whole number without quotes, not {_describe(value)}.")
    if not low <= value <= high:
        raise _Bad(f"{value} is out of range; use a number from {low} to {high}.")
    return value


def _sender(value: Any, where: _Where) -> dict[str, Any]:
    spec = _case_field("sender")
    if not isinstance(value, dict):
        raise _Bad(f"expected a [sender] table, not {_describe(value)}.")
    known = {f.name: f for f in spec.fields}
    out: dict[str, Any] = {}
    for key, item in value.items():
        sub = known.get(key)
        if sub is None:
            match = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            raise _Bad(f'"{key}" is not a sender field.' + _did_you_mean(key, list(known))
                       + f" The sender fields are: {', '.join(known)}.",
                       example=_toml_example(known[match[0]]) if match else "", key=key)
        if sub.kind == "lines":
            if not isinstance(item, list) or not all(isinstance(x, str) for x in item):
                raise _Bad(f"sender.{key} is a list of lines in square brackets, not "
                           f"{_describe(item)}.", example=_toml_example(sub), key=key)
            out[key] = list(item)
        else:
            if not isinstance(item, str):
                raise _Bad(f"sender.{key} is text in quotes, not {_describe(item)}.",
                           example=_toml_example(sub), key=key)
            out[key] = item
    return out


#: The keys of ``[privacy]``, each true or false, with what they control.
PRIVACY_KEYS = {
    "author_in_metadata": "whether a .docx or .pdf letter's document properties name its "
                          "sender as the author",
}


def _privacy(value: Any, where: _Where) -> dict[str, bool]:
    if not isinstance(value, dict):
        raise _Bad(f"expected a [privacy] table, not {_describe(value)}.")
    out: dict[str, bool] = {}
    for key, item in value.items():
        if key not in PRIVACY_KEYS:
            raise _Bad(f'"{key}" is not a privacy setting.' + _did_you_mean(key, PRIVACY_KEYS)
                       + f" The privacy settings are: {', '.join(PRIVACY_KEYS)}.",
                       example="author_in_metadata = false", key=key)
        if not isinstance(item, bool):
            raise _Bad(f"privacy.{key} is true or false, without quotes, not "
                       f"{_describe(item)}.", example=f"{key} = false", key=key)
        out[key] = item
    return out


# --------------------------------------------------------------------------------------------
# The settings


@dataclass(frozen=True)
class CaseDefaults:
    """Values a case file may leave out, filled in from the settings file.

    - ``response_within_working_days`` is used when the case file does not give one.
    - The sender: a case file with no ``sender`` gets the charity's sender whole. A case file
      whose sender has no ``address`` keeps its own name and relationship (the family writes)
      and takes the address, and any email or phone it does not give, from the charity (replies
      go to the charity). A sender with its own address is used exactly as written: a family's
      contact details are never mixed with the charity's.
    """

    sender: Mapping[str, Any] | None = None
    response_within_working_days: int | None = None

    def apply(self, data: Any) -> Any:
        """``data`` (a parsed case file) with the defaults filled in; ``data`` is not changed."""
        if not isinstance(data, dict):
            return data
        out = dict(data)
        if self.response_within_working_days is not None \
                and out.get("response_within_working_days") is None:
            out["response_within_working_days"] = self.response_within_working_days
        if self.sender:
            given = out.get("sender")
            if given is None:
                out["sender"] = dict(self.sender)
            elif isinstance(given, dict) and given.get("address") is None:
                merged = dict(given)
                for key in ("address", "email", "phone"):
                    if merged.get(key) is None and key in self.sender:
                        merged[key] = self.sender[key]
                out["sender"] = merged
        return out


@dataclass(frozen=True)
class Settings:
    """Everything ``swletter.toml`` can set. Each field made with ``setting`` is a key."""


    reference_docx: Path | None = setting(
        existing_file, "A .docx made in Word or LibreOffice whose styles, page setup, header and "
        "footer (letterhead, logo) the letters take.", 'reference_docx = "letterhead.docx"')
    templates: Path | None = setting(
        existing_folder, "A folder of templates that replace swletter's own by name (start "
        "with `swletter templates export`).", 'templates = "our-wording"')
    format: str | None = setting(
        _format, f"The default output format: {', '.join(FORMATS)}.", 'format = "docx"')
    language: str | None = setting(
        _language, "The language of letters whose case file does not say: en (English), cy "
        "(Welsh) or cy+en (Welsh then English, in one document). A case file's language wins "
        "over it, and --language over both.", 'language = "cy"')
    response_within_working_days: int | None = setting(
        _working_days, "Working days a manager has to reply, when a case file does not say.",
        "response_within_working_days = 15")
    sender: Mapping[str, Any] | None = setting(
        _sender, "The charity as the sender of letters written for a family (name, address, "
        "email, phone, relationship); see the README for how it meets a case file.",
        'sender = { name = "Hillside Family Support", address = ["1 Park Row", "LS1 5AB"] }')
    register: Path | None = setting(
        path_setting, "The register of letters sent (an SQLite file, made on first use): render, "
        "bulk and followup record every letter in it.", 'register = "letters.sqlite"')
    privacy: Mapping[str, bool] | None = setting(
        _privacy, "What letters' files say about who wrote them: author_in_metadata = false "
        "leaves the sender's name out of a .docx or .pdf's document properties (the author "
        "Word and PDF readers show).", "privacy = { author_in_metadata = false }")
    #: The settings file these came from ("" when there was none).
    source: str = field(default="", compare=False)

    @property
    def template_dirs(self) -> tuple[str, ...]:
        """The template folders to search before swletter's own."""
        return (str(self.templates),) if self.templates else ()

    @property
    def author_in_metadata(self) -> bool:
        """Whether a letter's document properties name its sender (the default) or nobody."""
        return (self.privacy or {}).get("author_in_metadata", True)

    @property
    def case_defaults(self) -> CaseDefaults:
        return CaseDefaults(sender=self.sender,
                            response_within_working_days=self.response_within_working_days)

    def with_options(self, **options: Any) -> Settings:
        """These settings with each option that was given (not None) put in its place."""
        given = {k: v for k, v in options.items() if v is not None}
        unknown = set(given) - set(setting_keys())
        if unknown:
            raise TypeError(f"not settings: {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **given)


def setting_keys() -> dict[str, dataclasses.Field[Any]]:
    """The keys ``swletter.toml`` accepts, in order, with their descriptions in ``metadata``."""
    return {f.name: f for f in dataclasses.fields(Settings) if "parse" in f.metadata}


# --------------------------------------------------------------------------------------------
# Reading the file


def find_config(cwd: str | os.PathLike[str] | None = None) -> Path | None:
    """``swletter.toml`` in ``cwd`` (the working folder by default), if there is one."""
    candidate = Path(cwd or ".") / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_settings(path: str | os.PathLike[str] | None = None, *,
                  cwd: str | os.PathLike[str] | None = None) -> Settings:
    """The settings from ``path``, or from ``swletter.toml`` in ``cwd`` when ``path`` is None.

    No file means swletter's defaults. Raises ``ConfigError`` listing every problem.
    """
    if path is None:
        found = find_config(cwd)
        if found is None:
            return Settings()
        path = found
    name = os.fspath(path)
    text = _read_text(Path(path), name)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line = _toml_error_line(str(err))
        raise ConfigError([Problem(f"this is not valid TOML: {_toml_error_what(str(err))}. "
                                   'Text needs quotes, lists square brackets.', line=line,
                                   example='reference_docx = "letterhead.docx"')], name) from None
    return settings_from_data(data, source=name, text=text,
                              base_dir=Path(path).resolve().parent)


def settings_from_data(data: Mapping[str, Any], *, source: str = "", text: str = "",
                       base_dir: Path | None = None) -> Settings:
    """Check parsed settings and build ``Settings``; ``ConfigError`` lists every problem."""
    keys = setting_keys()
    where = _Where(base_dir or Path("."))
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        spec = keys.get(key)
        if spec is None:
            hint = _did_you_mean(key, list(keys)) or f" The settings are: {', '.join(keys)}."
            match = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
            problems.append(Problem(
                f'"{key}" is not a setting swletter knows.{hint}', line=_line_of(text, key),
                example=keys[match[0]].metadata["example"] if match else ""))
            continue
        try:
            values[key] = spec.metadata["parse"](value, where)
        except _Bad as bad:
            line = (_line_of(text, bad.key) if bad.key else None) or _line_of(text, key)
            problems.append(Problem(str(bad), path=f"{key}.{bad.key}" if bad.key else key,
                                    line=line,
                                    example=bad.example or spec.metadata["example"]))
    if problems:
        raise ConfigError(problems, source)
    return Settings(**values, source=source)


def _read_text(path: Path, name: str) -> str:
    try:
        return read_regular_file(path, MAX_CONFIG_BYTES).decode("utf-8-sig")
    except FileTooLargeError:
        raise ConfigError([Problem("the file is far larger than a settings file. Is this "
                                   "the right file?")], name) from None
    except NotAFileError as err:
        reason = "this is a folder; --config needs a .toml file." if err.kind == "a folder" \
            else err.reason
        raise ConfigError([Problem(reason)], name) from None
    except FileMissingError:
        raise ConfigError([Problem("the settings file does not exist.")], name) from None
    except FileReadError as err:
        raise ConfigError([Problem(err.reason)], name) from None
    except UnicodeDecodeError:
        raise ConfigError([Problem("the file is not UTF-8 text. Save it again as UTF-8.")],
                          name) from None


def _line_of(text: str, key: str) -> int | None:
    """The line where ``key`` is set (``key =`` or ``[key]``), for messages."""
    pattern = re.compile(rf'^\s*(?:"{re.escape(key)}"|{re.escape(key)})\s*=|^\s*\[\s*'
                         rf"{re.escape(key)}\s*\]", re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"at line (\d+)", message)
    return int(match.group(1)) if match else None


def _toml_error_what(message: str) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", message).rstrip(".")


def _toml_example(spec: Field) -> str:
    """A case-file field's YAML example (``name: Jane Doe``) written as TOML."""
    key, _, value = spec.example.partition(":")
    value = value.strip()
    if spec.kind == "lines" and value.startswith("["):
        items = [f'"{v.strip()}"' for v in value.strip("[]").split(",")]
        return f"{key.strip()} = [{', '.join(items)}]"
    return f'{key.strip()} = "{value.strip(chr(34))}"' if value else ""


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f'"{value}"'


def _did_you_mean(word: str, options: Any) -> str:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f' Did you mean "{match[0]}"?' if match else ""
