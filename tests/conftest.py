"""Shared fixtures: the shared examples, a pinned date, a CLI runner, golden-file updating."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

# Property tests: a moderate number of examples so the suite stays quick in CI, no per-example
# deadline (a shared CI machine is slow at times); `HYPOTHESIS_PROFILE=thorough pytest` for a
# long search. Tests that set their own max_examples keep it.
settings.register_profile("swletter", max_examples=40, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "swletter"))

ROOT = Path(__file__).resolve().parent.parent
SHARED_EXAMPLES = ROOT.parent / "shared" / "examples"
CASES = Path(__file__).resolve().parent / "cases"
GOLDEN = Path(__file__).resolve().parent / "golden"

#: Every test that needs "today" uses this date, so golden letters never drift.
TODAY = dt.date(2026, 11, 23)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/ from the current output (read the diff!).")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def _cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache-home")


@pytest.fixture(autouse=True)
def _pinned_environment(monkeypatch: pytest.MonkeyPatch, _cache_home: Path) -> None:
    # Pin the locale and timezone so nothing depends on the machine running the tests.
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("TZ", "UTC")
    # The compiled-template cache (letters/template_cache.py) goes under the test's own
    # temporary folder, never the user's ~/.cache.
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def shared_examples() -> Path:
    if not SHARED_EXAMPLES.is_dir():
        pytest.fail(f"the shared examples are missing: expected {SHARED_EXAMPLES} beside the repo")
    return SHARED_EXAMPLES


@pytest.fixture
def full_case(shared_examples: Path) -> Path:
    return shared_examples / "case-full.yaml"


@pytest.fixture
def minimal_case(shared_examples: Path) -> Path:
    return shared_examples / "case-minimal.yaml"


def write_case(folder: Path, text: str, name: str = "case.yaml") -> Path:
    """Write a case file for a test and return its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o600)
    return path


MINIMAL = """\
date: 2026-11-23
sender:
  name: Tom Green
  address: [4 Mill Lane, Sefton, L30 2PA]
recipient:
  organisation: Sefton Council
  address: [Bootle Town Hall, Oriel Road, Bootle, L20 7AE]
social_worker:
  name: Karen White
children:
  - name: Mia Green
grounds:
  communication_breakdown:
    summary: We have not been able to agree how to keep in touch.
"""
