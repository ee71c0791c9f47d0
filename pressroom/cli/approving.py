"""Commands on approvals of the exact text: approve, approvals."""

from __future__ import annotations

import json

import click

from pressroom.cli import State, cli


@cli.command()
@click.argument("release")
@click.option(
    "--as", "name", required=True, metavar="NAME", help="Who approves (see approval: approvers)."
)
@click.pass_obj
def approve(state: State, release: str, name: str) -> None:
    """Approve RELEASE as it reads now, so that send may send this exact version.

    pressroom.yaml's approval: {required: N} says how many approvals a
    version needs; any edit afterwards makes a new version to approve again.
    """
    from pressroom.approval import approve as record
    from pressroom.approval import describe_time
    from pressroom.load.room import load_release, release_files

    room = state.room()
    [path] = release_files(room, [release])
    loaded = load_release(room, path)
    approval, status = record(room, loaded, name)
    click.echo(
        f"{approval.approver} approved {loaded.name} version {approval.version} "
        f"on {describe_time(room, approval.at)}."
    )
    if status.approved:
        click.echo(f"Approved ({status.count}): it may be sent.")
    else:
        click.echo(f"{status.missing} more approval{'s' if status.missing != 1 else ''} needed.")


@cli.command()
@click.argument("release")
@click.option("--json", "as_json", is_flag=True, help="Print the approvals as JSON.")
@click.pass_obj
def approvals(state: State, release: str, as_json: bool) -> None:
    """List who approved which version of RELEASE, and whether it may be sent."""
    from pressroom.approval import approval_status, describe_time
    from pressroom.errors import UsageError
    from pressroom.load.room import load_release, release_files

    room = state.room()
    [path] = release_files(room, [release])
    loaded = load_release(room, path)
    status = approval_status(room, loaded)
    if status is None:
        raise UsageError("this room does not ask for approvals (no approval: in pressroom.yaml)")
    if as_json:
        click.echo(json.dumps({
            "release": loaded.name, "version": status.version, "required": status.required,
            "approved": status.approved,
            "approvals": [
                {"version": a.version, "approver": a.approver, "at": a.at,
                 "current": a.version == status.version}
                for a in status.approvals
            ],
        }, indent=2))  # fmt: skip
        return
    click.echo(f"{loaded.name}: version {status.version} needs {status.required} approval"
               f"{'s' if status.required != 1 else ''}.")  # fmt: skip
    for a in status.approvals:
        which = "this version" if a.version == status.version else f"earlier version {a.version}"
        click.echo(f"  {a.approver}  {describe_time(room, a.at)}  {which}")
    if not status.approvals:
        click.echo("  No approvals yet.")
    if status.approved:
        click.echo("Approved: it may be sent.")
    else:
        click.echo(
            f"Not approved: {status.missing} more needed "
            f"(pressroom approve {loaded.name} --as NAME)."
        )
