"""Commands on approvals of the exact text: approve, approvals, approvers invite."""

from __future__ import annotations

import json
import os
import sys

import click

from pressroom.cli import State, cli
from pressroom.terminal import echo


def _code(needed: bool) -> str | None:
    """The approver's code: from the environment, else asked for (hidden) when needed."""
    from pressroom.errors import UsageError
    from pressroom.sendlog.identity import SECRET_ENV

    code = os.environ.get(SECRET_ENV)
    if code or not needed or not sys.stdin.isatty():
        return code  # without a terminal to type it in, the refusal says what to do
    try:
        return str(click.prompt("Your approver code", hide_input=True, err=True))
    except click.Abort:
        raise UsageError(
            f"no approver code given; type it when asked, or set {SECRET_ENV}"
        ) from None


@cli.command()
@click.argument("release")
@click.option(
    "--as", "name", required=True, metavar="NAME", help="Who approves (see approval: approvers)."
)
@click.pass_obj
def approve(state: State, release: str, name: str) -> None:
    """Approve RELEASE as it reads now, so that send may send this exact version.

    pressroom.yaml's approval: {required: N} says how many approvals a
    version needs; any change afterwards to anything that reaches a journalist
    (the release, pressroom.yaml, a photo, a template) needs approving again.
    With approval: {identity: required} the approver's code is asked for
    (or read from PRESSROOM_APPROVER_SECRET).
    """
    from pressroom.load.room import load_release, release_files
    from pressroom.sendlog.approval_status import approval_status, describe_time, person_key
    from pressroom.sendlog.approval_status import approve as record

    room = state.room()
    [path] = release_files(room, [release])
    loaded = load_release(room, path)
    policy = room.config.approval
    key = person_key(room, name) or ""
    by_role = bool(policy and key in policy.approvers and policy.approvers[key].db_role)
    needed = bool(policy and policy.identity == "required" and not by_role)
    before = approval_status(room, loaded)
    approval, status = record(room, loaded, name, _code(needed))
    latest = before.latest if before else None
    echo(
        f"{approval.approver} approved {loaded.name} version {approval.version} "
        f"on {describe_time(room, approval.at)}."
    )
    if latest is not None:
        echo(f"Changed since {latest.approver} approved: " + ", ".join(status.changed(latest)))
    if status.approved:
        echo(f"Approved ({status.count}): it may be sent.")
    else:
        echo(f"{status.missing} more approval{'s' if status.missing != 1 else ''} needed.")


@cli.command()
@click.argument("release")
@click.option("--json", "as_json", is_flag=True, help="Print the approvals as JSON.")
@click.pass_obj
def approvals(state: State, release: str, as_json: bool) -> None:
    """List who approved which version of RELEASE, what changed since, and whether it may
    be sent."""
    from pressroom.errors import UsageError
    from pressroom.load.room import load_release, release_files
    from pressroom.sendlog.approval_status import approval_status, describe_time

    room = state.room()
    [path] = release_files(room, [release])
    loaded = load_release(room, path)
    status = approval_status(room, loaded)
    if status is None:
        raise UsageError("this room does not ask for approvals (no approval: in pressroom.yaml)")
    if as_json:
        echo(json.dumps({
            "release": loaded.name, "version": status.version.id, "required": status.required,
            "approved": status.approved,
            "approvals": [
                {"version": a.version, "approver": a.approver, "at": a.at,
                 "current": status.counts(a),
                 "changed": [] if status.counts(a) else status.changed(a)}
                for a in status.approvals
            ],
        }, indent=2))  # fmt: skip
        return
    echo(f"{loaded.name}: version {status.version.id} needs {status.required} approval"
               f"{'s' if status.required != 1 else ''}.")  # fmt: skip
    for a in status.approvals:
        which = "this version" if status.counts(a) else f"earlier version {a.version}"
        echo(f"  {a.approver}  {describe_time(room, a.at)}  {which}")
        if not status.counts(a):
            echo("    changed since: " + ", ".join(status.changed(a)))
    if not status.approvals:
        echo("  No approvals yet.")
    if status.approved:
        echo("Approved: it may be sent.")
    else:
        echo(
            f"Not approved: {status.missing} more needed "
            f"(pressroom approve {loaded.name} --as NAME)."
        )


@cli.group()
def approvers() -> None:
    """Approvers' personal codes, which prove who approves (approval: {identity: required})."""


@approvers.command()
@click.argument("name")
@click.pass_obj
def invite(state: State, name: str) -> None:
    """Make NAME (an approver: a person of pressroom.yaml) a personal approver code.

    The code is printed once: give it to NAME alone. The send log keeps only a
    hash of it. Inviting again replaces the code (and ends the preview's
    sessions of the old one).
    """
    from pressroom.sendlog import open_log, room_log
    from pressroom.sendlog.approval_status import approver_name, person_key
    from pressroom.sendlog.identity import SECRET_ENV, new_code

    room = state.room()
    if room.config.approval is None:
        from pressroom.errors import UsageError

        raise UsageError(
            "this room does not ask for approvals; add approval: {required: 1, "
            "identity: required} to pressroom.yaml first"
        )
    approver_name(room, name)  # refuses anyone who may not approve
    key = person_key(room, name)
    assert key is not None
    code, hashed = new_code(key)
    with open_log(room_log(room.root, room.config.database)) as log:
        log.set_secret(key, hashed)
    echo(f"Approver code for {room.config.people[key].name} ({key}):\n\n  {code}\n")
    echo(
        "Give it to them alone; it is not shown again (the send log keeps only a hash). "
        "They type it when pressroom approve or the preview asks, or set "
        f"{SECRET_ENV} in scripts."
    )
