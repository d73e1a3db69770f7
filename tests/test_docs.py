"""Docs match the code: every command is documented with its current --help (regenerate with
`python -m tests.test_docs`), and every public name is exported."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

import paperradio
from paperradio.cli import cli

CLI_DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def render_cli_doc() -> str:
    parts = ["# Command line reference", "", "Generated from `--help` by `python -m tests.test_docs`.", ""]
    runner = CliRunner()
    commands = ["", *sorted(cli.commands)]  # type: ignore[attr-defined]
    for name in commands:
        args = [name, "--help"] if name else ["--help"]
        text = runner.invoke(cli, args, terminal_width=100, prog_name="paperradio").stdout
        parts += [f"## paperradio {name}".rstrip(), "", "```", text.rstrip(), "```", ""]
    return "\n".join(parts)


def test_every_command_has_help() -> None:
    group: click.Group = cli  # type: ignore[assignment]
    for name, command in group.commands.items():
        assert command.help and command.help.strip(), f"{name} has no help text"


def test_cli_doc_is_current() -> None:
    assert CLI_DOC.read_text() == render_cli_doc(), "docs/cli.md is stale: run `python -m tests.test_docs`"


def test_exported_members_match_the_namespace() -> None:
    exported = set(paperradio.__all__)
    public = {name for name in vars(paperradio) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(paperradio, name)).__name__ == "module"}
    assert exported == public - modules


if __name__ == "__main__":
    CLI_DOC.write_text(render_cli_doc())
