"""Write docs/cli.md from the commands' --help texts.

Run ``python -m tests.regen_cli_docs``; tests/test_docs.py fails when the
file is out of date, so the reference cannot drift from the code.
"""

from __future__ import annotations

from pathlib import Path

import click

from pressroom.cli import cli

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def render() -> str:
    parts = [
        "# Command reference\n",
        "Generated from `pressroom --help` by `python -m tests.regen_cli_docs`; do not edit.\n",
    ]
    settings = {
        "terminal_width": 88,
        "max_content_width": 88,
        "help_option_names": ["-h", "--help"],
    }
    context = click.Context(cli, info_name="pressroom", **settings)
    parts.append(f"## pressroom\n\n```\n{cli.get_help(context)}\n```\n")
    for name in sorted(cli.list_commands(context)):
        command = cli.get_command(context, name)
        assert command is not None
        sub = click.Context(command, info_name=name, parent=context, **settings)
        parts.append(f"## {sub.command_path}\n\n```\n{command.get_help(sub)}\n```\n")
        if isinstance(command, click.Group):
            for sub_name in sorted(command.list_commands(sub)):
                subcommand = command.get_command(sub, sub_name)
                assert subcommand is not None
                inner = click.Context(subcommand, info_name=sub_name, parent=sub, **settings)
                parts.append(f"## {inner.command_path}\n\n```\n{subcommand.get_help(inner)}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
