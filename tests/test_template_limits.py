"""A room template cannot run away: every render is bounded in time, steps and text.

The limits (:mod:`pressroom.render.template_limits`) hold for every render:
the email's HTML and text and their footers, the PDF's HTML, the newsroom's
pages and the email on a preview page, which renders in a thread of the
server where no timer signal reaches. A render past a limit stops with a
message naming the template; never a traceback, never a hang.
"""

from __future__ import annotations

import time

import pytest

from pressroom.render import template_limits
from tests.cli_runner import run

LOOPS = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
MACRO = "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}"
BOMBS = {
    "loops": (LOOPS, "steps"),
    "doubling": (
        "{% set ns = namespace(s='x') %}{% for i in range(60) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        "characters",
    ),
    "macro buffer": (
        "{% macro m() %}{% for i in range(100000) %}{{ 'y' * 100000 }}{% endfor %}"
        "{% endmacro %}{{ m()|length }}",
        "characters",
    ),
    "multiply": ("{{ 'x' * 1000000000 }}", "characters"),
    "power": ("{{ 10 ** 100000000 }}", "bits"),
    "center": ("{{ 'x'.center(1000000000) }}", "1,000,000,000"),
    "center filter": ("{{ 'x'|center(1000000000) }}", "1,000,000,000"),
    "replace filter": (
        "{% set a = 'a' * 1000 %}{{ (a|replace('a', a))|replace('a', a) }}",
        "characters",
    ),
    "replace": ("{% set a = 'a' * 1000 %}{{ a.replace('a', a).replace('a', a) }}", "characters"),
    "join": (
        "{% set a = 'a' * 100000 %}{{ a.join(range(1000)|map('string')|list) }}",
        "characters",
    ),
    "indent filter": (
        "{% set a = 'a\\n' * 100000 %}{{ a|indent(1000000) }}",
        "characters",
    ),
    "expandtabs": ("{% set a = '\\t' * 100000 %}{{ a.expandtabs(1000000) }}", "characters"),
    "translate": (
        "{% set a = 'a' * 100000 %}{{ a.translate({97: 'b' * 100000}) }}",
        "characters",
    ),
    "tojson indent": ("{{ range(100000)|list|tojson(indent=100000) }}", "indent"),
    "percent width": ("{{ '%999999999d' % 1 }}", "width"),
    "format width": ("{{ '{:>999999999}'.format(1) }}", "width"),
    "format filter": ("{{ '%*d'|format(999999999, 1) }}", "999,999,999"),
}


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_the_sandbox_stops_a_runaway_template_quickly(bomb, monkeypatch):
    from pressroom.render.environment import make_environment

    monkeypatch.setattr(template_limits, "TEMPLATE_STEPS", 1_000_000)  # the default: 10 million
    source, limit = BOMBS[bomb]
    env = make_environment(None)
    started = time.perf_counter()
    with pytest.raises(template_limits.TemplateLimit) as stopped:
        env.from_string(source).render()
    assert time.perf_counter() - started < 60  # seconds, not the hours or the memory it asked for
    assert "was stopped" in str(stopped.value) and limit in str(stopped.value)


def test_a_template_failing_in_python_gives_a_template_error():
    import jinja2

    from pressroom.render.environment import make_environment

    for source in ("{{ 1 / 0 }}", "{{ 10.0 ** 1000 }}", "{{ range(10000000) }}"):
        with pytest.raises(jinja2.TemplateError):
            make_environment(None).from_string(source).render()


def test_ordinary_templates_are_not_bounded_away():
    from pressroom.render.environment import make_environment

    source = "{{ ', '.join(['a', 'b']) }} {% for i in range(3) %}{{ loop.index }}{% endfor %}"
    source += " {{ 'a b'.split()|join('-') }} {{ '%5s|' % 'x' }} {{ '{:>4}'.format(7) }}"
    for env in (make_environment(None), make_environment(None, sandbox=False)):
        assert env.from_string(source).render() == "a, b 123 a-b     x|    7"


@pytest.fixture
def small_limits(monkeypatch):
    """Limits a test reaches in a moment (the defaults take seconds to reach)."""
    monkeypatch.setattr(template_limits, "TEMPLATE_STEPS", 200_000)
    monkeypatch.setattr(template_limits, "TEMPLATE_SECONDS", 2.0)


def plant(room, template, source):
    path = room / "templates" / template
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)


def assert_stopped(text: str, template: str) -> None:
    assert "Traceback" not in text
    assert f"templates/{template}" in text and "was stopped" in text, text


@pytest.mark.parametrize("template", ["email.html.j2", "email.txt.j2", "print.html.j2"])
@pytest.mark.parametrize("source", [LOOPS, MACRO], ids=["steps", "time"])
def test_build_stops_a_runaway_template(room, capsys, small_limits, template, source):
    plant(room, template, source)
    fmt = {"email.txt.j2": "txt", "email.html.j2": "html", "print.html.j2": "pdf"}[template]
    started = time.perf_counter()
    result = run(capsys, room, "build", "streetsight-suspended", "--format", fmt, "--jobs", "1")
    assert time.perf_counter() - started < 30
    assert result.code == 1, result
    assert_stopped(result.err, template)


def test_build_stops_a_template_in_its_workers(room, capsys, small_limits):
    """In the forked workers of a build of several releases, as in-process."""
    plant(room, "email.txt.j2", LOOPS)
    result = run(capsys, room, "build", "--format", "txt", "--jobs", "2")
    assert result.code == 1, result
    assert_stopped(result.err, "email.txt.j2")


def test_send_stops_a_runaway_footer(room, capsys, small_limits):
    plant(room, "email-footer.txt.j2", MACRO)
    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert result.code != 0, result
    assert_stopped(result.err, "email-footer.txt.j2")
    assert not list(room.glob(".pressroom/outbox/**/*.eml"))


def test_the_newsroom_stops_a_runaway_page(room, capsys, small_limits):
    plant(room, "site/release.html.j2", LOOPS)
    result = run(capsys, room, "site", "--use-pressroom-now", "--jobs", "1")
    assert result.code == 1, result
    assert_stopped(result.err, "site/release.html.j2")


@pytest.mark.parametrize("source", [LOOPS, MACRO], ids=["steps", "time"])
def test_a_preview_page_stops_a_runaway_email(room, small_limits, source):
    """The preview renders the email in a thread of its server: bounded there too."""
    from starlette.testclient import TestClient

    from pressroom.serve.app import create_app

    plant(room, "email.html.j2", source)
    [release] = room.glob("releases/*streetsight-suspended.yaml")
    app = create_app(room, workers=0, watch=False)
    started = time.perf_counter()
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.get(f"/release/{release.stem}")
        index = client.get("/")
    assert time.perf_counter() - started < 30
    assert page.status_code == 200 and index.status_code == 200
    assert "The email cannot be rendered" in page.text
    assert_stopped(page.text, "email.html.j2")
