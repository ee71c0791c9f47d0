"""The catalogs are complete, compiled, and the only place labels are written.

- every catalog translates every message of :data:`~pressroom.i18n.labels.LABELS`
  (not fuzzy, every placeholder kept, plural forms filled), and its shipped ``.mo``
  says exactly what its ``.po`` says;
- extraction (``script/catalogs``: Python and Jinja) finds exactly those messages;
- no bundled template writes English text outside ``_()`` / ``ngettext``, and no
  module that assembles what journalists read (render/, site/, the email) holds
  a label as a string literal: a small explicit allow-list names what is not a
  label (iCalendar and vCard property names, Word style names, mail headers).
"""

from __future__ import annotations

import ast
import gettext
import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import nodes

from pressroom.i18n.catalogs import DOMAIN, LOCALE_DIR, catalog_languages
from pressroom.i18n.labels import LABELS, PLURALS, placeholders
from pressroom.render.docx.styles import STYLES
from pressroom.render.environment import BUNDLED, make_environment

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "pressroom"
LANGUAGES = catalog_languages()
MSGIDS = set(LABELS.values())
PLURAL_IDS = {(LABELS[one], LABELS[many]) for one, many in PLURALS.items()}


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def test_at_least_the_languages_of_the_promise() -> None:
    assert {"de", "fr", "es", "it", "nl", "pt"} <= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language: str) -> None:
    catalog = read_po(po_path(language).open("rb"))
    found: set[str] = set()
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found.update(ids)
        if message.fuzzy:
            problems.append(f"{ids[0]!r} is fuzzy")
        if isinstance(message.id, tuple):
            assert message.id in PLURAL_IDS, f"{message.id} is not a plural of LABELS"
            if len(strings) != catalog.num_plurals:
                problems.append(f"{ids[0]!r}: {len(strings)} of {catalog.num_plurals} forms")
        for text in strings:
            if not text.strip():
                problems.append(f"{ids[0]!r} is not translated")
            elif placeholders(text) != placeholders(ids[-1]) and placeholders(text) != placeholders(
                ids[0]
            ):
                problems.append(f"{ids[0]!r}: placeholders {placeholders(text)} in {text!r}")
            try:
                text % {name: "x" for name in placeholders(text)}
            except (ValueError, TypeError, KeyError) as exc:
                problems.append(f"{ids[0]!r}: {text!r} cannot be formatted ({exc})")
    missing = MSGIDS - found
    assert not missing, f"{language}: messages missing from the catalog: {sorted(missing)}"
    assert not problems, f"{language}: " + "; ".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shipped_mo_says_what_the_po_says(language: str) -> None:
    po = po_path(language)
    compiled = BytesIO()
    write_mo(compiled, read_po(po.open("rb")))
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    shipped = gettext.GNUTranslations(po.with_suffix(".mo").open("rb"))
    hint = f"{po.with_suffix('.mo').name} of {language} is out of date: run script/catalogs"
    assert shipped._catalog == fresh._catalog, hint  # type: ignore[attr-defined]


def test_extraction_finds_exactly_the_labels() -> None:
    method_map = [
        ("pressroom/render/**.py", "python"),
        ("pressroom/site/**.py", "python"),
        ("pressroom/deliver/**.py", "python"),
        ("pressroom/templates/**.j2", "jinja2"),
    ]
    options = {
        "pressroom/templates/**.j2": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}
    }
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "n_": None, "words": None}
    keywords["plural"] = (1, 2)
    extracted: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(REPO), method_map, options, keywords=keywords
    ):
        extracted.update(message if isinstance(message, tuple) else (message,))
    extracted.discard("")
    assert extracted - MSGIDS == set(), "messages used but not in LABELS (add them, with an id)"
    assert MSGIDS - extracted == set(), "labels no template or module uses"


# -- no label outside the catalogs ---------------------------------------------------

TEMPLATES = sorted(
    path.relative_to(BUNDLED).as_posix()
    for path in BUNDLED.rglob("*")
    if path.suffix in (".j2", ".css")
    and not path.relative_to(BUNDLED)
    .as_posix()
    .startswith(
        ("serve/", "new/", "init/")  # the preview's own controls; starter files (per language)
    )
)
_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
_TAGS = re.compile(r"<!--.*?-->|<[^>]*>|&[#\w]+;", re.S)
_CSS_TEXT = re.compile(r"content:\s*\"([^\"]*)\"")
_TRANSLATED = {"_", "gettext", "ngettext"}


def visible_text(source: str) -> str:
    """The text a template writes itself: no Jinja, no tags, comments or entities."""
    return _TAGS.sub(" ", _JINJA.sub("\x00", source))


def _english_text(template: str) -> list[str]:
    env = make_environment()
    source = (BUNDLED / template).read_text(encoding="utf-8")
    if template.endswith(".css"):
        text = _JINJA.sub("", source)
        return [t for t in _CSS_TEXT.findall(text) if re.search(r"[A-Za-z]{2,}", t)]
    found = re.findall(r"[A-Za-z][A-Za-z'’-]+(?: [A-Za-z][A-Za-z'’-]+)*", visible_text(source))
    tree = env.parse(source)
    inside: set[int] = set()
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name in _TRANSLATED:
            inside.update(id(n) for n in call.find_all(nodes.Const))
    for const in tree.find_all(nodes.Const):
        if (
            isinstance(const.value, str)
            and id(const) not in inside
            and re.search(r"\b(?:[A-Z][a-z]{2,}|[A-Z]{3,})\b", const.value)
        ):
            found.append(const.value)
    return found


ALLOWED_IN_TEMPLATES = {"DOCTYPE html", "PDF", "JSON", "Atom", "RSS", "JSON Feed"}
"""Not labels: the document type, and format names shown as they are everywhere."""


@pytest.mark.parametrize("template", TEMPLATES)
def test_no_template_writes_english_outside_the_catalogs(template: str) -> None:
    found = [text for text in _english_text(template) if text not in ALLOWED_IN_TEMPLATES]
    assert found == [], f"{template} writes text outside _(): {found}"


OUTPUT_MODULES = [
    *sorted((PACKAGE / "render").rglob("*.py")),
    *(PACKAGE / "site" / name for name in ("render.py", "pages.py", "newsroom.py", "feeds.py")),
    PACKAGE / "deliver" / "message.py",
]
_LABEL_LIKE = re.compile(r"\b(?:[A-Z][a-z]{2,}|[A-Z]{3,})\b")
_CONTENT_LINE = re.compile(r"(?=.*[:;=])[A-Z-]+(;[A-Z]+=[A-Z,]*)*[:;=]?[\w.:/-]*")
"""An iCalendar or vCard property name (``BEGIN:VCARD``, ``TEL;TYPE=WORK,VOICE:``)."""
ALLOWED_IN_MODULES = {
    "render/wording.py": {"UPDATE", "CORRECTION", "CORRECT", "EMBARGO", "BREAKING"},
    "render/dates.py": {"UTC"},
    "render/docx/writer.py": {"PAGE", "NUMPAGES"},
    "render/docx/oxml.py": {" \\* MERGEFORMAT "},
    "render/docx/styles.py": {"Georgia", "Arial", "Consolas", "Normal", "Hyperlink"},
    "site/newsroom.py": {"PDF"},
    "site/pages.py": {"Organization", "Event", "Place"},  # schema.org types
    "deliver/message.py": {
        *("From", "Subject", "Date", "Message-ID", "Reply-To", "HTML", "PNG", "JPEG"),
        *("List-Unsubscribe", "List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        *("X-Pressroom-Release", "X-Pressroom-Version", "X-Pressroom-Test", "[TEST] "),
        "Content-Language",
    },
}
"""What looks like a label but is not one: words the writer types that pressroom
recognises, format and font names, mail headers, a proof's subject marker."""
STYLE_NAMES = {spec.name for spec in STYLES}
FORMAT_NAMES = {"PDF", "PNG", "JPEG", "GIF", "HTML", "UTC", "UTF-8"}
"""Names of file formats and of the time standard, the same in every language."""


def _literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skip.add(id(node.value))  # docstrings
        elif isinstance(node, ast.Raise):
            skip.update(id(n) for n in ast.walk(node))  # messages to the user of the CLI
        elif isinstance(node, ast.Assign) and any(
            getattr(t, "id", None) == "__all__" for t in node.targets
        ):
            skip.update(id(n) for n in ast.walk(node))  # the names a module exports
        elif isinstance(node, ast.Call):
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", "")
            if name.endswith("Error") or name in ("words", "gettext", "ngettext", "plural", "n_"):
                skip.update(id(n) for n in ast.walk(node))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


@pytest.mark.parametrize("module", OUTPUT_MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_writes_a_label_outside_the_catalogs(module: Path) -> None:
    name = module.relative_to(PACKAGE).as_posix()
    allowed = ALLOWED_IN_MODULES.get(name, set()) | STYLE_NAMES | FORMAT_NAMES
    found = [
        f"{name}:{line}: {text!r}"
        for line, text in _literals(module)
        if _LABEL_LIKE.search(text)
        and text not in allowed
        and not _CONTENT_LINE.fullmatch(text)
        and not text.startswith(("<", "\\s*<", "%", "-//", "{http"))  # markup, patterns, XML names
        and not (text.startswith(": ") or text[:1].islower())  # the CLI's own messages
    ]
    assert found == [], "labels outside the catalogs:\n" + "\n".join(found)


def test_the_scan_catches_a_label_written_in_a_template(tmp_path: Path) -> None:
    """The template scan is not blind: an English heading is found."""
    (tmp_path / "x.html.j2").write_text(
        '<p class="label">Media contact</p>{{ "Signatories" if x else _("To") }}'
    )
    source = (tmp_path / "x.html.j2").read_text()
    assert "Media contact" in visible_text(source)
    tree = make_environment().parse(source)
    consts = [c.value for c in tree.find_all(nodes.Const) if isinstance(c.value, str)]
    assert "Signatories" in consts


def test_every_label_id_is_documented() -> None:
    text = (REPO / "docs" / "languages.md").read_text(encoding="utf-8")
    missing = [label for label in LABELS if f"| `{label}` |" not in text]
    assert missing == [], f"label ids not in docs/languages.md's table: {missing}"
