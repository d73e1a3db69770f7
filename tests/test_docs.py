"""Docs match the code: docs/cli.md holds every command's current --help and docs/configuration.md every
setting (regenerate both with `python -m tests.test_docs`); every public name is exported."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

import paperradio
from paperradio.cli import cli
from paperradio.config import SETTINGS

DOCS = Path(__file__).resolve().parents[1] / "docs"
CLI_DOC = DOCS / "cli.md"
CONFIG_DOC = DOCS / "configuration.md"

CONFIG_INTRO = """# Configuration

Generated from the settings table in `paperradio/config.py` by `python -m tests.test_docs`.

Settings come from, lowest precedence first: the defaults below, a TOML file (`--config FILE`, else
`$PAPERRADIO_CONFIG`, else `./paperradio.toml`), environment variables `PAPERRADIO_<NAME>` (upper case),
and command-line flags. Lists in the environment are comma-separated (`PAPERRADIO_EDITIONS=en`).

```toml
# paperradio.toml
featured_count = 7
section_size = 10
editions = ["en", "zh"]

[rank_weights]
track_record = 1.0
code = 0.8
```

Secrets (for example a PostgreSQL password in `database_url`) never reach the logs: the store prints
URLs with the password masked.

| setting | default | what it does |
|---|---|---|
"""


def render_config_doc() -> str:
    rows = []
    for setting in SETTINGS:
        default = "(see text)" if setting.default == "" else f"`{json.dumps(setting.default, ensure_ascii=False)}`"
        rows.append(f"| `{setting.name}` | {default} | {setting.help} |")
    return CONFIG_INTRO + "\n".join(rows) + "\n"


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


def test_config_doc_is_current() -> None:
    stale = "docs/configuration.md is stale: run `python -m tests.test_docs`"
    assert CONFIG_DOC.read_text() == render_config_doc(), stale


def test_exported_members_match_the_namespace() -> None:
    exported = set(paperradio.__all__)
    public = {name for name in vars(paperradio) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(paperradio, name)).__name__ == "module"}
    assert exported == public - modules


if __name__ == "__main__":
    CLI_DOC.write_text(render_cli_doc())
    CONFIG_DOC.write_text(render_config_doc())
