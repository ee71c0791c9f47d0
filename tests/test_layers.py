"""The package reads as the data flow: no module imports a layer above its own.

Each top-level place of ``pressroom/`` (a package, or a module of the shared root)
has a rank in :data:`LAYERS`, lowest first. A module may import its own place and
any place of a lower rank; never a place of its own rank (siblings stay
independent) nor of a higher one. Imports inside functions and under
``TYPE_CHECKING`` count: they say which way the dependency points all the same.
``script/imports`` prints the arrows between places.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pressroom"
ROOT = "(root)"

LAYERS: list[set[str]] = [
    {ROOT},  # what every layer shares: errors, clock, secrets, csvsafe, terminal, listen
    {"i18n"},  # languages, catalogs, labels, typography
    {"model"},  # the validated model, and the positions of what a file said
    {"load"},  # files -> the model, keeping each value's line and column
    {"render"},  # the model -> PDF, Word, email, calendar; build/ written
    {"drafts", "sendlog"},  # writing release files; the record of who got what
    {"check", "events"},  # the editorial rules and readiness; SendGrid's events in
    {"deliver"},  # recipients, the message, the transports, the send
    {"site"},  # the static newsroom
    {"contacts", "reports"},  # media-list work; what became of each release
    {"serve"},  # the live preview and its editor
    {"cli"},  # the commands
    {"__main__"},  # python -m pressroom
]

MAX_LINES = 400
BEING_SPLIT: set[str] = set()  # a module being split elsewhere, named until it is


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def place(name: str) -> str:
    """The top-level place of a dotted module name: its package, or the shared root."""
    parts = name.split(".")
    if len(parts) == 1:
        return ROOT  # the package itself (__version__)
    if (PACKAGE / parts[1]).is_dir() or parts[1] == "__main__":
        return parts[1]
    return ROOT


def imports(path: Path, package: Path = PACKAGE) -> set[str]:
    """The pressroom modules (or names in them) *path* imports, wherever it does."""
    name = module_name(path, package)
    own = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = own[: len(own) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            if target == "pressroom":  # from pressroom import clock: the module clock
                found.update(f"pressroom.{alias.name}" for alias in node.names)
    return {t for t in found if t == "pressroom" or t.startswith("pressroom.")}


def rank(of: str) -> int:
    for number, layer in enumerate(LAYERS):
        if of in layer:
            return number
    raise AssertionError(f"{of}: a top-level place of pressroom/ with no layer in LAYERS")


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_place_has_a_layer():
    places = {place(module_name(path)) for path in modules()}
    unplaced = [p for p in sorted(places) if not any(p in layer for layer in LAYERS)]
    assert unplaced == [], f"add these to LAYERS in tests/test_layers.py: {unplaced}"


def test_no_module_imports_a_layer_above_its_own():
    upward = []
    for path in modules():
        name = module_name(path)
        mine = place(name)
        for target in sorted(imports(path)):
            theirs = place(target)
            if theirs != mine and rank(theirs) >= rank(mine):
                upward.append(f"{path.relative_to(PACKAGE)} ({mine}) imports {target} ({theirs})")
    assert upward == [], "imports that reach up a layer (or across to a sibling):\n" + "\n".join(
        upward
    )


def test_modules_stay_small():
    large = {
        path.relative_to(PACKAGE).as_posix(): lines
        for path in modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    over = {name: lines for name, lines in large.items() if name not in BEING_SPLIT}
    assert over == {}, f"modules over {MAX_LINES} lines, to split by what they hold: {over}"
    done = sorted(BEING_SPLIT - set(large))
    assert done == [], f"under {MAX_LINES} lines now: drop them from BEING_SPLIT: {done}"


def test_the_layers_catch_an_upward_import(tmp_path):
    """The test's own reader finds imports inside functions and relative ones."""
    module = tmp_path / "pressroom" / "model" / "example.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from __future__ import annotations\n"
        "def late():\n"
        "    from pressroom.sendlog import open_log\n"
        "from ..load import yamlfile\n"
        "from pressroom import clock\n",
        encoding="utf-8",
    )
    found = imports(module, tmp_path / "pressroom")
    assert {"pressroom.sendlog", "pressroom.load", "pressroom.clock"} <= found
