"""Documentation that cannot drift: every command and every YAML key is documented."""

from __future__ import annotations

import re

from pydantic import BaseModel

from pressroom.model.release import Release
from pressroom.model.room import RoomConfig
from tests.conftest import REPO
from tests.regen_cli_docs import DOC, render


def test_cli_reference_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/cli.md is out of date: run python -m tests.regen_cli_docs"
    )


def _keys(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[str]:
    seen = seen or set()
    if model in seen:
        return set()
    seen.add(model)
    keys = {name for name in model.model_fields if name != "key"}
    for field in model.model_fields.values():
        for sub in _models(field.annotation):
            keys |= _keys(sub, seen)
    return keys


def _models(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for arg in getattr(annotation, "__args__", ()) or ():
        found += _models(arg)
    if getattr(annotation, "__metadata__", None):
        found += _models(annotation.__origin__)
    return found


def test_every_yaml_key_is_documented():
    text = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", text)) | set(
        re.findall(r"`[a-z_.]*\.([a-z_]+)`", text)
    )
    missing = sorted((_keys(Release) | _keys(RoomConfig)) - documented)
    assert not missing, f"keys not documented in docs/format.md: {missing}"


def test_every_check_code_is_documented():
    from pressroom.check import rules as check

    source = "".join(  # the rules and the modules they use (check/)
        path.read_text(encoding="utf-8")
        for path in sorted((REPO / "pressroom" / "check").glob("*.py"))
    )
    codes = set(re.findall(r'\.(?:error|warning)\(\s*"([a-z-]+)"', source))
    codes |= set(re.findall(r'code="([a-z-]+)"', source))
    codes |= set(re.findall(r'"(yaml-[a-z-]+)"', source))  # check.TRAP_CODES
    text = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    missing = sorted(code for code in codes if f"`{code}`" not in text)
    assert check.RULES and not missing, f"check codes not documented: {missing}"
