"""`swletter bulk --register`: every letter recorded exactly once, from the parent process,
with several worker processes, and after a run that was killed part-way and run again."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from letters.bulk.letter import BulkOptions, Task
from letters.bulk.plan import plan_bulk
from letters.bulk.pool import run_tasks
from letters.bulk.recorder import Recorder
from letters.register.store import open_register, sha256_file

from .conftest import MINIMAL

COUNT = 12


@pytest.fixture(autouse=True)
def _no_register_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SWLETTER_REGISTER", raising=False)


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    for n in range(COUNT):
        (folder / f"family-{n:02d}.yaml").write_text(
            MINIMAL.replace("Mia Green", f"Child {n:02d} Green"), encoding="utf-8")
    return folder


def _recorded(register: Path) -> list[tuple[str, str, str]]:
    with open_register(register) as reg:
        return sorted((x.children[0], x.output_path, x.sha256) for x in reg.letters())


def test_bulk_with_jobs_records_every_letter_once(runner: CliRunner, tmp_path: Path,
                                                  cases: Path) -> None:
    register = tmp_path / "charity.sqlite"
    out = tmp_path / "out"
    result = runner.invoke(main, ["bulk", str(cases), "--out", str(out), "--format", "md",
                                  "--jobs", "3", "--register", str(register)])
    assert result.exit_code == 0, result.output
    assert f"Register: {register} ({COUNT} new letters recorded)" in result.stdout
    recorded = _recorded(register)
    assert [name for name, _, _ in recorded] == [f"Child {n:02d} Green" for n in range(COUNT)]
    for _, path, digest in recorded:
        assert digest == sha256_file(path)

    again = runner.invoke(main, ["bulk", str(cases), "--out", str(out), "--format", "md",
                                 "--jobs", "3", "--register", str(register)])
    assert again.exit_code == 0, again.output
    assert f"Register: {register} (0 new letters recorded)" in again.stdout
    assert _recorded(register) == recorded


def test_a_killed_bulk_run_again_leaves_no_duplicates_and_no_gaps(runner: CliRunner,
                                                                  tmp_path: Path,
                                                                  cases: Path) -> None:
    register = tmp_path / "charity.sqlite"
    out = tmp_path / "out"
    out.mkdir()
    options = BulkOptions(out_dir=str(out), fmt="md", record=True)
    planned = plan_bulk([cases], fmt="md").jobs
    # The parent records four letters and is then killed; the workers have written more letters
    # than it recorded (they work ahead in chunks: here two more, written but never reported).
    with Recorder(str(register), out) as recorder:
        for seen, result in enumerate(run_tasks([Task(job) for job in planned], options,
                                                workers=2, chunk_size=2)):
            recorder.add(result)
            if seen == 3:
                break
    # (On a quick machine the workers may have written every letter before they were stopped.)
    ahead = [Task(job) for job in planned if not (out / job.output).exists()][:2]
    assert len(list(run_tasks(ahead, options))) == len(ahead)
    written = sorted(out.glob("*.md"))
    assert len(_recorded(register)) == 4 < len(written)

    rerun = runner.invoke(main, ["bulk", str(cases), "--out", str(out), "--format", "md",
                                 "--jobs", "2", "--register", str(register)])
    assert rerun.exit_code == 0, rerun.output
    recorded = _recorded(register)
    assert [name for name, _, _ in recorded] == [f"Child {n:02d} Green" for n in range(COUNT)]
    assert sorted(Path(path) for _, path, _ in recorded) == sorted(
        p.resolve() for p in out.glob("*.md"))
    for _, path, digest in recorded:
        assert digest == sha256_file(path)
