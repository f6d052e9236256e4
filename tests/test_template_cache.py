"""The compiled-template cache: the next run loads swletter's own templates instead of compiling
them, gives the same letter, and never fails a render or keeps a user's templates."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jinja2
import pytest

from letters.compose.request import compose_letter
from letters.templating.cache import TemplateCache, cache_folder
from letters.templating.environment import (
    LETTER_TEMPLATE,
    _environment,
    render_markdown,
    template_context,
)
from letters.templating.families import example_case

from .conftest import TODAY


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def context() -> dict[str, Any]:
    return template_context(compose_letter(example_case(), today=TODAY))


def _fresh_letter(context: dict[str, Any]) -> str:
    """The example letter from a new environment, as a new ``swletter render`` process makes
    it (the shared environment keeps what it loaded in memory)."""
    env = _environment.__wrapped__(())
    return env.get_template(LETTER_TEMPLATE).render(context)


def _no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a template was compiled although the cache had it")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)


def _entries(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "swletter" / "templates").glob("*.cache"))


def test_the_next_run_loads_the_templates_and_writes_the_same_letter(
        cache_home: Path, context: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    first = _fresh_letter(context)
    assert first == render_markdown(compose_letter(example_case(), today=TODAY))
    # The letter skeleton and one template per ground in the example.
    assert len(_entries(cache_home)) >= 2
    _no_compiling(monkeypatch)
    assert _fresh_letter(context) == first


def test_cache_is_owner_only_and_holds_no_case_data(cache_home: Path,
                                                   context: dict[str, Any]) -> None:
    _fresh_letter(context)
    folder = cache_home / "swletter" / "templates"
    assert folder.stat().st_mode & 0o777 == 0o700
    case = context["case"]
    for entry in _entries(cache_home):
        assert entry.stat().st_mode & 0o777 == 0o600
        data = entry.read_bytes()
        for personal in (case.sender.name, case.social_worker.name, case.children[0].name):
            assert personal.encode() not in data


def test_damaged_entries_are_compiled_again(cache_home: Path, context: dict[str, Any],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    first = _fresh_letter(context)
    entries = _entries(cache_home)
    for number, entry in enumerate(entries):
        data = entry.read_bytes()
        # Cut short, zeros after a good header, or not swletter's at all.
        damaged = (data[: len(data) // 2], data[:-200] + bytes(200), b"junk")[number % 3]
        entry.write_bytes(damaged)
    assert _fresh_letter(context) == first
    # ... and written again whole, so the run after that need not compile.
    _no_compiling(monkeypatch)
    assert _fresh_letter(context) == first


def test_a_folder_that_cannot_be_made_costs_only_time(tmp_path: Path, context: dict[str, Any],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _fresh_letter(context) == _fresh_letter(context)
    assert blocker.read_text() == "a file where the cache folder would go"


def test_a_folder_others_can_write_to_is_not_used(cache_home: Path, context: dict[str, Any],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh_letter(context)
    folder = cache_home / "swletter" / "templates"
    folder.chmod(0o777)
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None,
                 *args: Any, **kwargs: Any) -> Any:
        compiled.append(name or "")
        return real(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    _fresh_letter(context)
    assert LETTER_TEMPLATE in compiled


def test_another_environment_setting_does_not_take_the_cached_code(
        cache_home: Path, context: dict[str, Any]) -> None:
    _fresh_letter(context)
    # Same templates, same paths, but whitespace kept as written: different compiled code.
    other = jinja2.Environment(loader=jinja2.PackageLoader("letters.templates", "."),
                               bytecode_cache=TemplateCache(), keep_trailing_newline=True,
                               undefined=jinja2.StrictUndefined)
    other.globals.update(_environment(()).globals)
    other.filters.update(_environment(()).filters)
    assert other.get_template(LETTER_TEMPLATE).render(context) != _fresh_letter(context)


def test_a_users_template_folder_is_never_cached(cache_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / LETTER_TEMPLATE).write_text("Dear {{ recipient.name }},\n", encoding="utf-8")
    letter = compose_letter(example_case(), today=TODAY)
    text = render_markdown(letter, template_dirs=[str(folder)])
    assert text.startswith("Dear ")
    assert not cache_home.exists()


def test_the_folder_follows_xdg_and_ignores_a_relative_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_folder() == tmp_path / "swletter" / "templates"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder() == tmp_path / "home" / ".cache" / "swletter" / "templates"
    assert os.path.isabs(str(cache_folder()))
