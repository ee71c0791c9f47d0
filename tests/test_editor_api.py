"""The editor's JSON API, tested from outside: httpx against a real ``pressroom serve``."""

from __future__ import annotations

import io
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pressroom.load import yamlfile
from tests.browser import Server, start_server
from tests.conftest import REPO

LETTER = "2026-11-17-open-letter-streetsight"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("api") / "room"
    root.mkdir()
    shutil.copy(REPO / "pressroom.yaml", root)
    for folder in ("releases", "contacts", "assets"):
        shutil.copytree(REPO / folder, root / folder)
    server = start_server(root)
    yield server
    server.stop()


def token_of(server: Server) -> str:
    return (server.root / ".pressroom" / "serve.token").read_text().strip()


def client(server: Server, **headers: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers=headers, timeout=30)


def writer(server: Server) -> httpx.Client:
    return client(server, **{"X-Pressroom-Token": token_of(server)})


def test_the_token_is_private_new_each_start_and_in_the_editor_page(served: Server):
    path = served.root / ".pressroom" / "serve.token"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    token = token_of(served)
    assert len(token) >= 32
    page = httpx.get(served.url + f"release/{LETTER}/edit")
    assert page.status_code == 200
    assert f'content="{token}"' in page.text
    other = start_server(served.root)
    try:
        assert token_of(other) != token
    finally:
        other.stop()
    # the module's server holds the old token: the file now names the other one
    path.write_text(token + "\n")


def test_get_gives_the_keys_as_in_the_yaml_a_version_and_findings(served: Server):
    with client(served) as http:
        answer = http.get(f"/api/releases/{LETTER}")
    assert answer.status_code == 200
    body = answer.json()
    path = served.root / "releases" / f"{LETTER}.yaml"
    assert body["name"] == LETTER
    assert body["release"] == yamlfile.load(path, path.name).data
    assert isinstance(body["version"], str) and body["version"]
    assert all({"code", "severity", "key", "message", "line"} <= set(f) for f in body["findings"])
    path.write_text(path.read_text() + "\n")
    try:
        with client(served) as http:
            assert http.get(f"/api/releases/{LETTER}").json()["version"] != body["version"]
    finally:
        path.write_text(path.read_text()[:-1])


def test_put_writes_and_refuses_a_stale_version_with_the_difference(served: Server):
    path = served.root / "releases" / f"{LETTER}.yaml"
    before = path.read_text()
    with writer(served) as http:
        body = http.get(f"/api/releases/{LETTER}").json()
        release = body["release"]
        release["subheadline"] = "Written: through the API #today"
        saved = http.put(
            f"/api/releases/{LETTER}", json={"version": body["version"], "release": release}
        )
        assert saved.status_code == 200, saved.text
        assert saved.json()["version"] != body["version"]
        assert yamlfile.load(path, path.name).data == release
        assert [line for line in before.splitlines() if line.startswith("#")] == [
            line for line in path.read_text().splitlines() if line.startswith("#")
        ]
        on_disk = path.read_bytes()
        release["subheadline"] = "A second writer"
        stale = http.put(
            f"/api/releases/{LETTER}", json={"version": body["version"], "release": release}
        )
        assert stale.status_code == 409
        assert "+subheadline: A second writer" in stale.json()["difference"]
        assert stale.json()["version"] == saved.json()["version"]
        assert path.read_bytes() == on_disk
    path.write_text(before)


def test_put_refuses_a_release_that_does_not_load_with_its_findings(served: Server):
    path = served.root / "releases" / f"{LETTER}.yaml"
    on_disk = path.read_bytes()
    with writer(served) as http:
        body = http.get(f"/api/releases/{LETTER}").json()
        body["release"]["status"] = "embargoed"  # without an embargo time
        body["release"]["type"] = "letter"
        refused = http.put(f"/api/releases/{LETTER}", json=body)
    assert refused.status_code == 422
    keys = {finding["key"] for finding in refused.json()["findings"]}
    assert "type" in keys
    assert path.read_bytes() == on_disk


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Pressroom-Token": "wrong"},
        {"Origin": "https://evil.example"},
        {"Origin": "http://127.0.0.1:1"},
    ],
    ids=["no-token", "wrong-token", "other-origin", "other-port"],
)
def test_a_write_without_the_token_or_from_another_origin_is_refused(served: Server, headers):
    path = served.root / "releases" / f"{LETTER}.yaml"
    on_disk = path.read_bytes()
    if "Origin" in headers:
        headers = {**headers, "X-Pressroom-Token": token_of(served)}
    with client(served) as http:
        body = http.get(f"/api/releases/{LETTER}").json()
        body["release"]["headline"] = "Not written"
        for method, url, payload in [
            ("PUT", f"/api/releases/{LETTER}", body),
            ("POST", "/api/releases", {"type": "statement", "headline": "Not made"}),
            ("POST", "/api/uploads", None),
            ("POST", f"/api/preview/{LETTER}", body),
        ]:
            answer = http.request(method, url, json=payload, headers=headers)
            assert answer.status_code == 403, (method, url, answer.text)
    assert path.read_bytes() == on_disk
    assert not list((served.root / "releases").glob("*not-made*"))


def test_the_own_origin_is_accepted(served: Server):
    with writer(served) as http:
        answer = http.post(
            f"/api/preview/{LETTER}",
            json={"release": http.get(f"/api/releases/{LETTER}").json()["release"]},
            headers={"Origin": served.url.rstrip("/")},
        )
    assert answer.status_code == 200, answer.text
    assert "StreetSight" in answer.json()["email"]["html"]


def test_past_the_size_limit_is_413_and_a_name_with_a_path_is_refused(served: Server):
    with writer(served) as http:
        big = http.put(
            f"/api/releases/{LETTER}",
            content=b'{"release": {"headline": "' + b"x" * 3_000_000 + b'"}}',
            headers={"Content-Type": "application/json"},
        )
        assert big.status_code == 413
        for name in ("..%2Fpressroom", ".hidden", "a%2Fb", "..", "%2E%2E"):
            answer = http.put(f"/api/releases/{name}", json={"version": None, "release": {}})
            assert answer.status_code in (400, 404), (name, answer.status_code)
            assert http.get(f"/api/releases/{name}").status_code in (400, 404)
    assert (
        (served.root / "pressroom.yaml")
        .read_text()
        .startswith((REPO / "pressroom.yaml").read_text()[:20])
    )


def test_post_makes_a_new_release_as_pressroom_new_does(served: Server):
    with writer(served) as http:
        made = http.post(
            "/api/releases",
            json={"type": "statement", "headline": "Council Delays: A Vote", "date": "2030-05-06"},
        )
        assert made.status_code == 201, made.text
        name = made.json()["name"]
        assert name == "2030-05-06-council-delays-a-vote"
        text = (served.root / "releases" / f"{name}.yaml").read_text()
        assert text.startswith("# A new statement, made by `pressroom new`")
        again = http.post(
            "/api/releases",
            json={"type": "statement", "headline": "Council Delays: A Vote", "date": "2030-05-06"},
        )
        assert again.status_code == 409
        assert http.get(f"/api/releases/{name}").json()["release"]["headline"] == (
            "Council Delays: A Vote"
        )
    (served.root / "releases" / f"{name}.yaml").unlink()


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 60, 90)).save(out, "PNG")
    return out.getvalue()


def test_an_upload_lands_in_assets_under_a_safe_name_and_never_overwrites(served: Server):
    with writer(served) as http:
        first = http.post(
            "/api/uploads", content=_png(40, 30), headers={"X-Filename": "../../Rally Photo!.png"}
        )
        second = http.post(
            "/api/uploads", content=_png(40, 30), headers={"X-Filename": "rally photo.png"}
        )
        not_a_photo = http.post(
            "/api/uploads",
            content=b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            headers={"X-Filename": "x.svg"},
        )
    assert first.status_code == 201 and first.json()["file"] == "assets/rally-photo.png"
    assert second.json()["file"] == "assets/rally-photo-2.png"
    assert not_a_photo.status_code == 422
    assert (served.root / "assets" / "rally-photo.png").read_bytes() == _png(40, 30)
    for name in ("rally-photo.png", "rally-photo-2.png"):
        (served.root / "assets" / name).unlink()


def test_open_to_a_network_the_pages_do_not_carry_the_token(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from pressroom.serve.app import create_app

    root = tmp_path / "room"
    root.mkdir()
    shutil.copy(REPO / "pressroom.yaml", root)
    for folder in ("releases", "contacts", "assets"):
        shutil.copytree(REPO / folder, root / folder)
    app = create_app(root, workers=0, watch=False, host="0.0.0.0", extra_hosts=["press.lan"])
    token = (root / ".pressroom" / "serve.token").read_text().strip()
    with TestClient(app, base_url="http://press.lan") as http:
        page = http.get(f"/release/{LETTER}/edit")
        assert page.status_code == 200
        assert token not in page.text and 'id="token-box"' in page.text
        assert token not in http.get("/new").text
        body = http.get(f"/api/releases/{LETTER}").json()
        assert http.put(f"/api/releases/{LETTER}", json=body).status_code == 403
        body["release"]["subheadline"] = "Saved From Another Machine"
        saved = http.put(f"/api/releases/{LETTER}", json=body, headers={"X-Pressroom-Token": token})
        assert saved.status_code == 200, saved.text
        assert http.get("/", headers={"Host": "elsewhere.example"}).status_code == 400


def test_a_person_is_added_to_pressroom_yaml_keeping_the_rest(served: Server):
    path = served.root / "pressroom.yaml"
    before = path.read_text()
    with writer(served) as http:
        added = http.post(
            "/api/people", json={"name": "Dana Ruiz", "title": "Organizer: Harbor #Tenants"}
        )
        assert added.status_code == 201, added.text
        assert added.json() == {"key": "dana-ruiz"}
        again = http.post("/api/people", json={"name": "Dana Ruiz"})
        assert again.status_code == 409
        nameless = http.post("/api/people", json={"title": "Nobody"})
        assert nameless.status_code == 422
    after = path.read_text()
    assert all(line in after.splitlines() for line in before.splitlines())
    people = yamlfile.load(path, "pressroom.yaml").data["people"]
    assert people["dana-ruiz"] == {"name": "Dana Ruiz", "title": "Organizer: Harbor #Tenants"}
    with client(served) as http:
        assert http.post("/api/people", json={"name": "Without Token"}).status_code == 403
    path.write_text(before)


def test_an_upload_over_the_pixel_or_size_limits_is_refused(served: Server):
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (8000, 7000)).save(out, "PNG")  # 56 megapixels in a few kilobytes
    huge = out.getvalue()
    assert len(huge) < 1_000_000
    with writer(served) as http:
        refused = http.post("/api/uploads", content=huge, headers={"X-Filename": "huge.png"})
        assert refused.status_code == 422
        assert "megapixels" in refused.json()["error"]
        heavy = http.post(
            "/api/uploads", content=b"\xff" * 8_000_000, headers={"X-Filename": "heavy.jpg"}
        )
        assert heavy.status_code == 413
    assert not list((served.root / "assets").glob("huge*")) + list(
        (served.root / "assets").glob("heavy*")
    )
