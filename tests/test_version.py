"""A release's version changes when what it says changes, and only then."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pydantic import create_model

from pressroom.load.room import load_room
from pressroom.sendlog.version import manifest_of, release_version, version_id
from tests.conftest import load_example

RELEASE = "2026-11-23-streetsight-suspended"


def version(root: Path) -> str:
    room = load_room(root)
    return version_id(manifest_of(room, load_example(room, RELEASE)))


def test_an_approval_rule_or_a_database_is_not_an_edit(room):
    """Adding `approval:` after a send must not make every sent release an earlier
    version (send then left everyone out and asked for a --correction)."""
    before = version(room)
    config = room / "pressroom.yaml"
    config.write_text(
        config.read_text()
        + "\napproval: {required: 1}\ndatabase: postgresql://postgres@127.0.0.1/team\n"
    )
    assert version(room) == before
    config.write_text(config.read_text().replace("Sidewalk Commons Press Office", "Press Desk"))
    assert version(room) != before  # the sender's name is in every message: an edit


def test_a_pressroom_upgrade_that_adds_a_key_with_a_default_is_not_an_edit(room):
    """A new optional key in pressroom's model (every release adds some) leaves the
    versions of releases that do not use it as they were."""
    loaded = load_room(room)
    release = load_example(loaded, RELEASE)
    before = release_version(loaded, release)
    config_type = type(loaded.config)
    newer = create_model("NewerConfig", __base__=config_type, banner_colour=(str, "navy"))
    upgraded = newer.model_construct(**dict(loaded.config))
    assert release_version(dataclasses.replace(loaded, config=upgraded), release) == before
    release_type = type(release)
    newer_release = create_model("NewerRelease", __base__=release_type, pinned=(bool, False))
    later = newer_release.model_construct(**dict(release))
    later.__pydantic_private__ = dict(release.__pydantic_private__ or {})  # name, source
    assert release_version(loaded, later) == before
