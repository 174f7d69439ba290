"""The user docs say what the code does: the catalogue is generated from the registered
checks, and every command has help with an example and a place in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import cli
from jixiao.terminal import catalogue_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_docs_checks_md_is_the_generated_catalogue():
    # Regenerate with: jixiao checks --markdown > docs/checks.md
    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == catalogue_markdown()


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"jixiao {command}" in (ROOT / "README.md").read_text(encoding="utf-8")
