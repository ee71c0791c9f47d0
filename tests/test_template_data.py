"""Templates get plain data only, and a hostile room template gets nothing else.

A room's ``templates/`` may come from a pull request. The first tests walk the
context of every template pressroom renders (email HTML and text with their
footers, the PDF's HTML, the newsroom's pages, the preview's pages) and fail on
any object that is not plain data. The others attack as such a pull request
would: a template that reaches for the process's environment, a file outside
the room or a file to write, through the objects it is given, on ``build``,
on ``send`` and on a page of the preview.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from pressroom.model.links import SafeUrl, WebUrl
from tests.cli_runner import run

SCALARS = {str, Markup, SafeUrl, WebUrl, int, float, bool, type(None)}
SCALARS |= {date, datetime, time, timedelta, Decimal}
HELPERS = {"wrap", "indent", "rich_text", "labelled", "prefixed", "link"}
"""The functions templates are given: text in, text out (pressroom.render.email)."""


def not_plain(value: Any, where: str, seen: set[int] | None = None) -> Iterator[str]:
    """Every place under *value* holding something other than plain data."""
    seen = set() if seen is None else seen
    kind = type(value)
    if kind in SCALARS:
        return
    if id(value) in seen:
        return
    seen.add(id(value))
    if kind in (list, tuple):
        for index, item in enumerate(value):
            yield from not_plain(item, f"{where}[{index}]", seen)
    elif kind is dict:
        for key, item in value.items():
            yield from not_plain(key, f"{where} key", seen)
            yield from not_plain(item, f"{where}[{key!r}]", seen)
    elif (
        dataclasses.is_dataclass(kind)
        and kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
        and kind.__module__.startswith("pressroom.")
    ):
        names = [f.name for f in dataclasses.fields(kind)]
        names += [n for n in dir(kind) if isinstance(getattr(kind, n, None), property)]
        for name in names:
            yield from not_plain(getattr(value, name), f"{where}.{name}", seen)
    elif callable(value) and getattr(value, "__name__", "") in HELPERS:
        assert value.__module__ == "pressroom.render.email", where
    else:
        yield f"{where}: {kind.__module__}.{kind.__qualname__}"


@pytest.fixture
def contexts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Every context a template is rendered with in this process: (template, variables)."""
    seen: list[tuple[str, dict[str, Any]]] = []
    new_context = jinja2.Template.new_context

    def recording(
        self: jinja2.Template, vars: Any = None, shared: bool = False, locals: Any = None
    ):
        given = {**(vars or {}), **(locals or {})}
        given = {k: v for k, v in given.items() if v is not jinja2.utils.missing}
        for key, value in self.globals.items():  # Jinja's own globals (range, namespace...)
            if given.get(key) is value:
                del given[key]
        seen.append((str(self.name), given))
        return new_context(self, vars, shared, locals)

    monkeypatch.setattr(jinja2.Template, "new_context", recording)
    return seen


def assert_plain(contexts: list[tuple[str, dict[str, Any]]], templates: set[str]) -> None:
    names = {name for name, _ in contexts}
    assert templates <= names, f"not rendered: {templates - names}"
    found = [f"{name}: {p}" for name, given in contexts for p in not_plain(given, "context")]
    assert found == [], "\n".join(found)


def test_every_build_template_gets_plain_data(room, capsys, contexts):
    result = run(capsys, room, "build", "--jobs", "1", "--force")
    assert result.code == 0, result
    assert_plain(
        contexts,
        {"email.html.j2", "email.txt.j2", "email-footer.html.j2", "print.html.j2"},
    )


def test_every_sent_email_template_gets_plain_data(room, capsys, contexts):
    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert result.code == 0, result
    assert_plain(contexts, {"email.html.j2", "email.txt.j2", "email-footer.txt.j2"})


def test_every_newsroom_template_gets_plain_data(room, capsys, contexts):
    result = run(capsys, room, "site", "--use-pressroom-now", "--jobs", "1")
    assert result.code == 0, result
    assert_plain(contexts, {"site/index.html.j2", "site/release.html.j2", "site/feed-item.html.j2"})


def test_every_preview_template_gets_plain_data(room, contexts):
    from starlette.testclient import TestClient

    from pressroom.serve.app import create_app

    app = create_app(room, workers=0, watch=False)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.get("/").status_code == 200
        for release in sorted((room / "releases").glob("*.yaml")):
            assert client.get(f"/release/{release.stem}").status_code == 200
        assert client.get("/release/no-such-release").status_code == 404
    assert_plain(contexts, {"index.html.j2", "release.html.j2", "email.html.j2", "email.txt.j2"})
