"""The built wheel installs and works outside the source tree (templates and grounds included)."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from .conftest import ROOT


def test_wheel_installs_and_renders_a_letter(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = wheels.glob("swletter-*.whl")
    # PDFs come with the ordinary install: the layout ships, and Typst is a dependency (the
    # venv below borrows this interpreter's packages, so the wheel's own list is read here).
    with zipfile.ZipFile(wheel) as zf:
        assert "letters/writers/letter.typ" in zf.namelist()
        assert "letters/py.typed" in zf.namelist()  # the engine's types reach its users
        # The web form comes with it too: its pages, style sheet and script, and its server.
        for name in ("pages/question.html", "pages/base.html", "static/swletter.css",
                     "static/swletter.js"):
            assert f"letters/web/{name}" in zf.namelist(), name
        (metadata,) = (name for name in zf.namelist() if name.endswith(".dist-info/METADATA"))
        lines = zf.read(metadata).decode("utf-8").splitlines()
    for package in ("typst", "flask", "flask-wtf", "waitress"):
        requires = [line for line in lines if line.startswith(f"Requires-Dist: {package}")]
        assert requires and "extra ==" not in requires[0], package
    env_dir = tmp_path / "venv"
    # Reuse this interpreter's packages for the dependencies: the test checks our packaging,
    # not PyPI.
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                    "-q", str(wheel)], check=True, capture_output=True)
    work = tmp_path / "work"
    work.mkdir()
    script = env_dir / "bin" / "swletter"
    # Run outside the source tree so only the installed package can be imported.
    # The compiled-template cache goes under tmp_path too, not the user's ~/.cache.
    cache = str(tmp_path / "cache")
    run = subprocess.run([str(script), "example", "case"], cwd=work, capture_output=True,
                         text=True, env={"PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1",
                                         "XDG_CACHE_HOME": cache})
    assert run.returncode == 0, run.stderr
    run = subprocess.run([str(script), "render", "case/case.yaml", "--format", "md"], cwd=work,
                         capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": cache})
    assert run.returncode == 0, run.stderr
    letter = (work / "case" / "letter-sam-doe-2026-11-23.md").read_text(encoding="utf-8")
    assert "Dear Ms Patel" in letter
    located = subprocess.run([str(python), "-c", "import letters; print(letters.__file__)"],
                             cwd=work, capture_output=True, text=True, check=True)
    assert str(env_dir) in located.stdout


def test_every_subpackage_is_in_the_wheels_list() -> None:
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    found = {".".join(path.parent.relative_to(ROOT).parts)
             for path in (ROOT / "letters").rglob("__init__.py")}
    # cli.py's commands/ is installed beside it, inside the distribution's own name.
    found |= {".".join(("swletter", *path.parent.relative_to(ROOT).parts))
              for path in (ROOT / "commands").rglob("__init__.py")}
    assert found <= listed, f"add to pyproject.toml's packages: {sorted(found - listed)}"


def test_the_front_door_is_installed_inside_the_distributions_own_name(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                    str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheels.glob("swletter-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert "swletter/cli.py" in names
    assert "swletter/commands/__init__.py" in names  # the commands beside it
    # No top-level module or package another distribution could also own.
    assert "cli.py" not in names
    assert not [n for n in names if n.startswith("commands/")]
    assert not [n for n in names if n.startswith("swletter/") and n != "swletter/cli.py"
                and not (n.startswith("swletter/commands/") and n.endswith(".py"))]
