"""The project holds together: every ground loads, every template compiles, every command has
help, and the README documents every case-file field."""

from __future__ import annotations

from importlib import resources

import click
from click.testing import CliRunner

from cli import main
from letters.case.grounds import load_grounds
from letters.case.schema import CASE_FIELDS
from letters.templating.environment import get_environment

from .conftest import ROOT


def test_every_ground_loads_and_has_a_template() -> None:
    grounds = load_grounds()
    assert [g.order for g in grounds] == sorted(g.order for g in grounds)
    templates = {p.name for p in resources.files("letters.templates").iterdir()}
    for ground in grounds:
        assert ground.guidance and ground.summary and ground.evidence_advice, ground.id
        assert ground.template in templates, ground.id


def test_every_template_compiles() -> None:
    env = get_environment()
    names = env.list_templates(extensions=["j2"])
    assert "change_request.md.j2" in names
    for name in names:
        env.get_template(name)


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


def test_every_command_has_help_text() -> None:
    runner = CliRunner()
    for path in _commands(main):
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        command = main
        for part in path:
            command = command.commands[part]  # type: ignore[attr-defined]
        assert command.help and len(command.help.strip()) > 20, path


def test_readme_documents_every_field_and_ground() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for spec in CASE_FIELDS:
        assert f"`{spec.name}`" in readme, spec.name
        for sub in spec.fields:
            assert f"`{sub.name}`" in readme, f"{spec.name}.{sub.name}"
    for ground in load_grounds():
        assert f"`{ground.id}`" in readme, ground.id
        for field in ground.fields:
            assert f"`{field.name}`" in readme, f"{ground.id}.{field.name}"


def test_readme_sample_letter_is_the_real_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    golden = (ROOT / "tests" / "golden" / "case-minimal.md").read_text(encoding="utf-8")
    assert "```markdown\n" + golden + "```" in readme


def test_no_ground_id_is_written_into_python() -> None:
    # A ground is data (grounds/<id>.toml) and wording (templates/): code that needs to know
    # what a field holds asks for its role, so a ground can be renamed or added without Python.
    from letters.case.grounds import load_grounds
    from letters.compose.documents import document_kinds

    # ("complaint" is a ground and a kind of follow-up letter too; the kinds are named freely.)
    ids = [g.id for g in load_grounds() if g.id not in document_kinds()]
    found = []
    for path in (ROOT / "letters").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {gid}" for gid in ids
                  if f'"{gid}"' in text or f"'{gid}'" in text]
    assert found == []


#: The most lines one module of swletter's own code may hold (issue 14): past it, a module does
#: more than one thing, and it is split by responsibility.
MAX_MODULE_LINES = 500


def test_no_module_is_over_500_lines() -> None:
    modules = [ROOT / "cli.py", *(ROOT / "commands").rglob("*.py"),
               *(ROOT / "letters").rglob("*.py")]
    lines = {str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
             for path in modules}
    assert len(lines) > 100 and "commands/__init__.py" in lines  # the walk found the code
    too_long = {name: count for name, count in lines.items() if count > MAX_MODULE_LINES}
    assert too_long == {}, f"split these modules by responsibility: {too_long}"
