"""The one Jinja environment factory: bundled templates, overridable by the room.

A file in the room's ``templates/`` folder with the same name as a bundled
template (``email.html.j2``, ``print.css``, ...) replaces it. Undefined
variables are errors (StrictUndefined) and HTML templates autoescape, so a
``<script>`` typed into a headline is shown as text. Jinja's i18n extension is on
(``{% trans %}``, newstyle ``_("About %(org)s", org=...)``); the words come with
each render, from the Document's :class:`~pressroom.i18n.labels.Words`, never
from the environment, which serves every language.

A room's template (or ``reference.docx``) that is a link to a file outside the
press room is refused, never read: a pull request could otherwise make a
template of ``/proc/self/environ``.
"""

from __future__ import annotations

import hashlib
import os
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pressroom.errors import RenderError
from pressroom.model.paths import inside

if TYPE_CHECKING:
    from jinja2 import Environment

    from pressroom.model.room import Room

BUNDLED = Path(__file__).resolve().parent.parent / "templates"


def _autoescape(name: str | None) -> bool:
    return bool(name) and not str(name).endswith((".txt.j2", ".txt", ".yaml", ".yaml.j2", ".css"))


ROOM_CACHE = Path(".pressroom") / "cache" / "templates"
"""The room's cache folder that names its compiled templates (:func:`compiled_cache`)."""


def room_environment(room: Room) -> Environment:
    """The environment of *room*'s templates, sandboxed as its pressroom.yaml says, with
    compiled templates kept (:func:`make_environment`)."""
    return make_environment(
        room.templates_dir, cache=room.root / ROOM_CACHE, sandbox=room.config.templates.sandbox
    )


def make_environment(
    room_templates: Path | None = None, cache: Path | None = None, sandbox: bool = True
) -> Environment:
    """The environment; *cache* names the room's cache folder: compiled templates
    (faster cold starts) are kept for it in the user's cache (:func:`compiled_cache`).

    Templates are code: with *sandbox* (the default; ``templates: {sandbox: false}``
    in pressroom.yaml turns it off) they run in :class:`~pressroom.render.sandbox.RoomSandbox`,
    which lets a template read plain data only (text, numbers, dates, containers
    and pressroom's frozen values) and refuses everything else: Python internals
    (``__class__``, ``__globals__``, ...), a path's ``read_text``, any method
    that is not one of text or of a container.
    """
    from jinja2 import (
        BaseLoader,
        ChoiceLoader,
        Environment,
        FileSystemBytecodeCache,
        FileSystemLoader,
        PackageLoader,
        StrictUndefined,
    )

    from pressroom.render.sandbox import RoomSandbox
    from pressroom.render.template_limits import COMPILED, Bounded

    class Trusted(Bounded, Environment):
        """A room's templates with the sandbox off (``templates: {sandbox: false}``)."""

    bytecode_cache = None
    if cache is not None:
        # compiled apart: a sandboxed template's code routes every call through the sandbox
        cache = compiled_cache(cache) / (("sandboxed" if sandbox else "trusted") + "-" + COMPILED)
        try:
            cache.mkdir(parents=True, exist_ok=True)
            bytecode_cache = FileSystemBytecodeCache(str(cache))
        except OSError:
            bytecode_cache = None  # a read-only room still builds, only slower

    class RoomLoader(FileSystemLoader):
        """The room's templates/, refusing any file that leads outside the room."""

        def get_source(self, environment: Environment, template: str) -> Any:
            source, filename, uptodate = super().get_source(environment, template)
            assert room_templates is not None
            if inside(room_templates.parent, Path(filename)) is None:
                from jinja2 import TemplateError

                raise TemplateError(
                    f"templates/{template} leads outside the press room; "
                    "replace the link with the template itself"
                )
            return source, filename, uptodate

    loaders: list[BaseLoader] = []
    if room_templates is not None and room_templates.is_dir():
        loaders.append(RoomLoader(str(room_templates)))
    loaders.append(PackageLoader("pressroom", "templates"))
    kind = RoomSandbox if sandbox else Trusted
    env = kind(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache,
        extensions=["jinja2.ext.i18n"],
    )
    env.extend(newstyle_gettext=True)
    from pressroom.render.words import GLOBALS

    env.globals.update(GLOBALS)
    return env


def compiled_cache(room_cache: Path) -> Path:
    """Where the templates of the room whose cache folder is *room_cache* are kept
    compiled: in the user's own cache folder (``$XDG_CACHE_HOME``, or ``~/.cache``),
    one folder per room, never in the room.

    A compiled template is Python code, run as it is loaded and before any sandbox:
    a file in the room's ``.pressroom/cache/`` can come from a pull request (a
    forced ``git add``), so it is never loaded as one.
    """
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    key = hashlib.sha256(str(room_cache.resolve()).encode()).hexdigest()[:16]
    return Path(base) / "pressroom" / "templates" / key


def template_location(error: Exception, default: str) -> str:
    """``file:line`` of the template a render error comes from (*default* if unknown).

    A syntax error carries them; a runtime error (an undefined name, an attribute
    the sandbox refuses, a limit) has them in its traceback only.
    """
    where = getattr(error, "filename", None) or getattr(error, "name", None)
    line = getattr(error, "lineno", None)
    if not where:
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename.endswith((".j2", ".html", ".txt", ".css")):
                where, line = frame.filename, frame.lineno
                break
    where = where or default
    return f"{where}:{line}" if line else str(where)


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
    if not candidate.is_file():
        return None
    if inside(room_templates.parent, candidate) is None:
        raise RenderError(
            f"templates/{name} leads outside the press room; replace the link with the file itself"
        )
    return candidate


def room_template_files(room_templates: Path) -> list[Path]:
    """The files under the room's templates/ that stay inside the room, sorted."""
    if not room_templates.is_dir():
        return []
    return [
        path
        for path in sorted(room_templates.rglob("*"))
        if path.is_file() and inside(room_templates.parent, path) is not None
    ]
