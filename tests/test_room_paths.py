"""Files stay inside the room: every path a file names resolves inside the press room.

A release, a signatory list or pressroom.yaml from other hands must not make
pressroom read, embed, publish or show a file outside the room (after
following symlinks), nor any environment variable.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx
import pytest

from pressroom.errors import LoadError, RenderError
from pressroom.load.contacts import check_lists
from pressroom.load.room import load_release, load_room, release_files
from pressroom.model.paths import OutsideRoom, RoomPath
from pressroom.serve.app import create_app
from tests.conftest import MakeRoom

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
SECRET = ".".join(["SG", "this-must-never-show", "0123456789abcdef"])  # made up, key-shaped
LETTER = """\
type: open-letter
dateline: OAKLAND, Calif.
headline: Forty Groups Ask the Council to Keep the Parks Open
body: We ask the council to keep every park of the city open until ten at night.
signatories: {signatories}
"""
WITH_IMAGE = """\
dateline: OAKLAND, Calif.
headline: Parks Stay Open Late
body: The city keeps its parks open until ten at night from December on.
images:
  - file: {file}
    alt: A park at night
"""


def _problems(root: Path, name: str) -> list[str]:
    room = load_room(root)
    with pytest.raises(LoadError) as caught:
        load_release(room, root / "releases" / name)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    "file",
    ["/proc/self/environ", "../outside.png", "assets/../../outside.png", "~/outside.png"],
)
def test_an_image_outside_the_room_is_a_load_error_at_its_key(
    make_room: MakeRoom, file: str
) -> None:
    root = make_room({"releases/parks.yaml": WITH_IMAGE.format(file=file)})
    (root.parent / "outside.png").write_bytes(PNG)
    [problem] = _problems(root, "parks.yaml")
    assert problem.startswith("releases/parks.yaml:5:")
    assert "images[0].file" in problem and "press room" in problem


def test_an_image_that_is_a_link_to_outside_the_room_is_refused(make_room: MakeRoom) -> None:
    root = make_room({"releases/parks.yaml": WITH_IMAGE.format(file="assets/photo.png")})
    (root.parent / "secret.png").write_bytes(PNG)
    (root / "assets").mkdir()
    (root / "assets" / "photo.png").symlink_to(root.parent / "secret.png")
    [problem] = _problems(root, "parks.yaml")
    assert "leads outside the press room (after following links)" in problem


def test_a_link_that_stays_inside_the_room_is_fine(make_room: MakeRoom) -> None:
    root = make_room(
        {
            "releases/parks.yaml": WITH_IMAGE.format(file="assets/photo.png"),
            "shared/park.png": PNG,
        }
    )
    (root / "assets").mkdir()
    (root / "assets" / "photo.png").symlink_to(root / "shared" / "park.png")
    release = load_release(load_room(root), root / "releases" / "parks.yaml")
    assert release.images[0].file == "assets/photo.png"
    assert release.images[0].file.path == (root / "shared" / "park.png").resolve()


@pytest.mark.parametrize("file", [".env", "assets/.hidden.png", ".pressroom/sendlog.sqlite3"])
def test_hidden_files_are_never_named(make_room: MakeRoom, file: str) -> None:
    root = make_room({"releases/parks.yaml": WITH_IMAGE.format(file=file), file: PNG})
    [problem] = _problems(root, "parks.yaml")
    assert "hidden file or folder" in problem


def test_a_signatory_list_outside_the_room_is_never_read(make_room: MakeRoom) -> None:
    root = make_room(
        {"releases/letter.yaml": LETTER.format(signatories="../../../../../proc/self/environ")}
    )
    [problem] = _problems(root, "letter.yaml")
    assert problem.startswith("releases/letter.yaml:5:")
    assert "signatories" in problem and "leads outside the press room" in problem


def test_the_logo_outside_the_room_is_refused(make_room: MakeRoom) -> None:
    room = "org:\n  name: Example Justice Network\n  logo: /etc/hostname\n"
    root = make_room(room=room)
    with pytest.raises(LoadError) as caught:
        load_room(root)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.key) == ("pressroom.yaml", 3, "org.logo")
    assert problem.code == "outside-room"


def test_release_and_list_files_that_link_outside_are_not_read(make_room: MakeRoom) -> None:
    root = make_room({"contacts/good.csv": "email\nana@ledger.example\n"})
    outside = root.parent / "elsewhere.yaml"
    outside.write_text("headline: Somebody Else's\nbody: Not this room's release at all.\n")
    (root / "releases").mkdir()
    (root / "releases" / "theirs.yaml").symlink_to(outside)
    (root / "contacts" / "theirs.csv").symlink_to(outside)
    room = load_room(root)
    [path] = release_files(room)
    with pytest.raises(LoadError) as caught:
        load_release(room, path)
    [problem] = caught.value.problems
    assert problem.file == "releases/theirs.yaml" and "outside the press room" in problem.message
    [listed] = check_lists(room)
    assert listed.file == "contacts/theirs.csv" and "outside the press room" in listed.message


def test_templates_and_reference_docx_that_link_outside_are_refused(
    make_room: MakeRoom, tmp_path: Path
) -> None:
    from pressroom.render.environment import make_environment, override

    root = make_room()
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    (root / "templates").mkdir()
    (root / "templates" / "email.txt.j2").symlink_to(secret)
    (root / "templates" / "reference.docx").symlink_to(secret)
    env = make_environment(root / "templates")
    import jinja2

    with pytest.raises(jinja2.TemplateError, match="leads outside the press room"):
        env.get_template("email.txt.j2")
    with pytest.raises(RenderError, match="leads outside the press room"):
        override(root / "templates", "reference.docx")


def test_room_path_parses_only_paths_inside(tmp_path: Path) -> None:
    root = tmp_path / "room"
    (root / "assets").mkdir(parents=True)
    assert RoomPath.parse(root, "assets/a.png").path == (root / "assets" / "a.png").resolve()
    signatories = RoomPath.parse(root, "../signatories.csv", base=root / "releases")
    assert signatories.path == (root / "signatories.csv").resolve()
    for bad in ("", "/etc/passwd", "../x", "a/\0b", "~root/x", ".git/config"):
        with pytest.raises(OutsideRoom):
            RoomPath.parse(root, bad)


# -- the preview ---------------------------------------------------------------------


def _get(root: Path, paths: list[str]) -> list[httpx.Response]:
    """GET each path of the preview of *root*, in process (no renders, no watcher)."""
    app = create_app(root, workers=0, watch=False)

    async def fetch() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return [await client.get(path) for path in paths]

    return asyncio.run(fetch())


def test_the_preview_never_shows_a_file_outside_the_room_nor_the_environment(
    make_room: MakeRoom,
) -> None:
    """The attack of issue 8: a release points its signatory list and its photo at
    /proc/self/environ, and the preview showed the lines of that file (every
    environment variable of the server, SendGrid key included) as the context of
    the error."""
    root = make_room(
        {
            "releases/letter.yaml": LETTER.format(signatories="/proc/self/environ"),
            "releases/relative.yaml": LETTER.format(
                signatories="../../../../../../proc/self/environ"
            ),
            "releases/parks.yaml": WITH_IMAGE.format(file="/proc/self/environ"),
        }
    )
    outside = root.parent / "outside.yaml"
    outside.write_text(f"headline: [unclosed\nbody: {SECRET}\n")
    (root / "releases" / "linked.yaml").symlink_to(outside)
    environ = Path("/proc/self/environ").read_bytes().decode("utf-8", "replace").split("\0")
    variables = [entry for entry in environ if "=" in entry and len(entry) > 6]
    assert variables
    names = ("letter", "relative", "parks", "linked")
    pages = _get(root, ["/", *(f"/release/{n}{part}" for n in names for part in ("", "/email"))])
    for response in pages:
        assert response.status_code in (200, 404, 422), response.text
        assert SECRET not in response.text
        shown = [variable for variable in variables if variable in response.text]
        assert not shown, f"{response.url} shows the environment: {shown[:3]}"
    assert "is not a path inside the press room" in pages[1].text
    assert "leads outside the press room" in pages[3].text


def test_a_problem_in_a_file_of_the_room_still_shows_its_lines(make_room: MakeRoom) -> None:
    root = make_room({"releases/broken.yaml": "headline: Broken\nbody: [\n"})
    [response] = _get(root, ["/release/broken"])
    page = response.text
    assert "body: [" in page


def test_symlinked_room_root_still_works(make_room: MakeRoom, tmp_path: Path) -> None:
    root = make_room(
        {"releases/parks.yaml": WITH_IMAGE.format(file="assets/p.png"), "assets/p.png": PNG}
    )
    link = tmp_path / "linked-room"
    os.symlink(root, link)
    release = load_release(load_room(link), link / "releases" / "parks.yaml")
    assert release.images[0].file.path.is_file()


def test_contacts_import_never_writes_through_a_link(
    make_room: MakeRoom, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.cli_runner import run

    root = make_room()
    export = tmp_path / "export.csv"
    export.write_text("email\nana@ledger.example\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "contacts").symlink_to(elsewhere, target_is_directory=True)
    result = run(capsys, root, "contacts", "import", str(export), "--list", "press")
    assert result.code == 2 and "contacts/ is a symbolic link" in result.err
    assert list(elsewhere.iterdir()) == []

    (root / "contacts").unlink()
    (root / "contacts").mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n", encoding="utf-8")
    (root / "contacts" / ".press.csv.partial").symlink_to(victim)
    result = run(capsys, root, "contacts", "import", str(export), "--list", "press")
    assert result.code == 0, result.err
    assert victim.read_text(encoding="utf-8") == "mine\n"
    assert "ana@ledger.example" in (root / "contacts" / "press.csv").read_text(encoding="utf-8")


def test_a_pressroom_yaml_that_links_outside_is_not_read(
    make_room: MakeRoom, tmp_path: Path
) -> None:
    root = make_room()
    outside = tmp_path / "theirs.yaml"
    outside.write_bytes((root / "pressroom.yaml").read_bytes())
    (root / "pressroom.yaml").unlink()
    (root / "pressroom.yaml").symlink_to(outside)
    with pytest.raises(LoadError) as caught:
        load_room(root)
    [problem] = caught.value.problems
    assert problem.file == "pressroom.yaml" and problem.code == "outside-room"


def test_problems_of_a_release_come_in_the_order_of_its_lines(make_room: MakeRoom) -> None:
    letter = LETTER.format(signatories="/etc/passwd").replace(
        "headline:", "images: [{file: /etc/hostname}]\nheadline:"
    )
    root = make_room({"releases/letter.yaml": letter})
    problems = _problems(root, "letter.yaml")
    assert [p.split(":")[1] for p in problems] == ["3", "6"], problems
