"""The ``pressroom`` command. Each command parses options, calls the library, prints.

Errors from the library (:class:`~pressroom.errors.PressroomError`) become a
message on stderr and an exit status here, in :func:`main`, and nowhere else.
The commands live in modules by what they work on: :mod:`.documents` (check,
build, init, new), :mod:`.contacts`, :mod:`.sending` (send, log) and
:mod:`.web` (serve, site); :mod:`.database` (db migrate, db copy).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from pressroom import __version__
from pressroom.errors import PressroomError, Problem, ProblemsError
from pressroom.secrets import scrub
from pressroom.terminal import echo, shown_lines


class State:
    def __init__(self, root: Path | None):
        self.explicit_root = root

    def room(self):  # type: ignore[no-untyped-def]
        from pressroom.load.room import find_root, load_room

        return load_room(find_root(explicit=self.explicit_root))


def print_problems(problems: Sequence[Problem], strict: bool = False) -> None:
    for problem in problems:
        colour = "red" if problem.severity == "error" or strict else "yellow"
        text = shown_lines(scrub(str(problem))) + (f" [{problem.code}]" if problem.code else "")
        head, _, rest = text.partition(f" {problem.severity}: ")
        click.echo(  # the text made inert first, then pressroom's own colour
            f"{head} {click.style(problem.severity + ':', fg=colour, bold=True)} {rest}",
            err=True,
        )


def names(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """A repeatable option of names (``--list``, ``--tag``): an empty one is a mistake."""
    for value in values:
        if not value.strip():
            raise click.BadParameter("an empty name; give a name, or leave the option out")
    return values


class OutputFolder(click.Path):
    """A folder to write into (``--out``): refused at once when it cannot be one."""

    name = "folder"

    def __init__(self) -> None:
        super().__init__(file_okay=False, path_type=Path)

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, str) and not value.strip():
            self.fail("an empty name is not a folder; give a folder, e.g. build", param, ctx)
        path = Path(value)
        for folder in (path, *path.parents):
            if folder.exists():
                if not folder.is_dir():
                    self.fail(f"{folder} is a file, not a folder", param, ctx)
                break
        return Path(super().convert(value, param, ctx))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pressroom")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The press room folder (default: the nearest folder with pressroom.yaml).",
)
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """Press releases as YAML files: checked, rendered and sent."""
    ctx.obj = State(root)


# What a command did not do when problems in the files stopped it (the last line
# after the problems); a command not named here stops with the count alone.
STOPPED = {
    "send": "nothing was sent",
    "dispatch": "nothing was sent",
    "approve": "no approval was recorded",
    "build": "nothing was written",
    "site": "nothing was written",
    "new": "nothing was written",
    "init": "nothing was written",
    "import": "nothing was written",
}


def command_of(args: Sequence[str]) -> str | None:
    """The name of the command *args* run (``send`` in ``--root x send y``), if any."""
    words = iter(args)
    for word in words:
        if word == "--root":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the CLI, turning pressroom's errors into messages."""
    args = list(argv) if argv is not None else sys.argv[1:]
    try:
        cli.main(args=args, prog_name="pressroom", standalone_mode=False)
    except ProblemsError as exc:
        print_problems(exc.problems)
        count = sum(1 for p in exc.problems if p.severity == "error")
        stopped = STOPPED.get(command_of(args) or "")
        echo(
            f"{count} error{'s' if count != 1 else ''}" + (f"; {stopped}" if stopped else ""),
            err=True,
        )
        sys.exit(exc.exit_code)
    except PressroomError as exc:
        echo(f"pressroom: error: {scrub(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except OSError as exc:  # a file or folder the system refused: say which, never a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        echo(f"pressroom: error: {where}{exc.strerror or exc}", err=True)
        sys.exit(1)


# the commands register themselves on `cli` when imported
from pressroom.cli import (  # noqa: E402, F401
    approving,
    contacts,
    database,
    dispatching,
    documents,
    drafting,
    events,
    logs,
    reports,
    sending,
    translating,
    web,
)
