"""The README documents every command, and every command has help."""

from __future__ import annotations

import pytest

from govgraph.cli import main
from govgraph.config import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


def test_readme_gives_the_two_commands() -> None:
    assert "make run" in README and "make test" in README


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_and_is_in_the_readme(runner, name: str) -> None:
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert main.commands[name].help and len(main.commands[name].help) > 20
    assert f"govgraph {name}" in README


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
