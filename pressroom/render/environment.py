"""The one Jinja environment factory: bundled templates, overridable by the room.

A file in the room's ``templates/`` folder with the same name as a bundled
template (``email.html.j2``, ``print.css``, ...) replaces it. Undefined
variables are errors (StrictUndefined) and HTML templates autoescape, so a
``<script>`` typed into a headline is shown as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

BUNDLED = Path(__file__).resolve().parent.parent / "templates"


def _autoescape(name: str | None) -> bool:
    return bool(name) and not str(name).endswith((".txt.j2", ".txt", ".yaml", ".yaml.j2", ".css"))


def make_environment(room_templates: Path | None = None, cache: Path | None = None) -> Environment:
    """The environment; *cache* is a folder for compiled templates (faster cold starts)."""
    from jinja2 import (
        BaseLoader,
        ChoiceLoader,
        Environment,
        FileSystemBytecodeCache,
        FileSystemLoader,
        PackageLoader,
        StrictUndefined,
    )

    bytecode_cache = None
    if cache is not None:
        try:
            cache.mkdir(parents=True, exist_ok=True)
            bytecode_cache = FileSystemBytecodeCache(str(cache))
        except OSError:
            bytecode_cache = None  # a read-only room still builds, only slower

    loaders: list[BaseLoader] = []
    if room_templates is not None and room_templates.is_dir():
        loaders.append(FileSystemLoader(str(room_templates)))
    loaders.append(PackageLoader("pressroom", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache,
    )
    return env


def template_source(env: Environment, name: str) -> str:
    """The text of a template (bundled or overridden), e.g. a stylesheet."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return source


def override(room_templates: Path | None, name: str) -> Path | None:
    """The room's own file *name* under templates/, if it has one."""
    if room_templates is None:
        return None
    candidate = room_templates / name
    return candidate if candidate.is_file() else None
