"""Media lists: bad rows reported with file:line, one copy per address, clean imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom.deliver.recipients import merge
from pressroom.errors import LoadError
from pressroom.load.contacts import MAX_LIST_BYTES, load_lists
from pressroom.load.room import load_room
from tests.cli_runner import run
from tests.conftest import REPO

TECH = """\
email,name,first_name,outlet,beat,tags,timezone,language,phone
ana@ledger.example,Ana Ortiz,Ana,The Ledger,technology,surveillance; ai ;,America/Los_Angeles,en,555
ana@@x,Bad Row,,,,,,,
"ben@wire.example","Ben
Okafor",Ben,Wire,,,,,
carl@post.example,Carl,,,,,Europe/Berln,,

dee@post.example,Dee,,,,,,,
Ana@Ledger.example,Ana again,,,,,,,
"""


def test_bad_rows_are_reported_at_their_line_and_good_rows_load(make_room):
    root = make_room({"contacts/tech.csv": TECH})
    [tech] = load_lists(load_room(root))
    assert [r.email for r in tech.recipients] == [
        "ana@ledger.example",
        "ben@wire.example",
        "dee@post.example",
    ]
    assert tech.recipients[0].tags == ["surveillance", "ai"]
    assert tech.recipients[1].name == "Ben Okafor"  # one line: it goes into the To header
    assert tech.invalid == 2
    assert [str(p) for p in tech.problems] == [
        "contacts/tech.csv:3: error: email: 'ana@@x' is not an email address "
        "(the part after the @-sign contains invalid characters: '@'); "
        "fix or remove the row",
        "contacts/tech.csv:6: error: timezone: unknown time zone 'Europe/Berln' "
        "(did you mean 'Europe/Berlin'?); use an IANA name such as America/New_York or "
        "Europe/London; fix or remove the row",
        "contacts/tech.csv:9: warning: email: 'Ana@Ledger.example' is already on line 2; "
        "the row on line 2 is kept; remove this one",
    ]


def test_contacts_command_lists_good_rows_and_reports_bad_ones(make_room, capsys):
    root = make_room({"contacts/tech.csv": TECH})
    result = run(capsys, root, "contacts")
    assert result.code == 0, result
    assert "Traceback" not in result.err
    assert "contacts/tech.csv:3: error: email: 'ana@@x' is not an email address" in result.err
    assert result.out == (
        "list  recipients     invalid\ntech           3           2\n3 unique addresses in 1 list\n"
    )


def test_semicolon_delimited_list(make_room):
    root = make_room({"contacts/fr.csv": "email;name;tags\nzoe@lemonde.example;Zoé;a;b\n"})
    [fr] = load_lists(load_room(root))
    [zoe] = fr.recipients
    assert (zoe.name, zoe.tags) == ("Zoé", ["a"])  # an unquoted ';' ends the field


def test_example_room_counts_an_address_once_across_lists(capsys):
    lists = load_lists(load_room(REPO))
    assert [m.name for m in lists] == ["local-press", "national-press"]
    assert sum(len(m.recipients) for m in lists) == 12
    merged = merge(lists)
    assert len(merged) == 11
    [ana] = [r for r in merged if r.key == "ana@dailyledger.example"]
    assert ana.email == "Ana@DailyLedger.example"  # the first occurrence, as written
    assert ana.lists == ["local-press", "national-press"]
    assert lists[1].recipients[0].lists == ["national-press"]  # inputs untouched

    result = run(capsys, REPO, "contacts")
    assert result.code == 0 and result.err == ""
    assert result.out.splitlines()[-1] == "11 unique addresses in 2 lists"


def test_tag_filter_ignores_case(capsys):
    lists = load_lists(load_room(REPO))
    assert sorted(r.key for r in merge(lists, ["Policing", "transit"])) == [
        "desk@justicereport.example",
        "jwallace@civicbeat.example",
        "lmoreau@chesapeakeradio.example",
        "m.okafor@capitalwire.example",
        "rkhan@harborcourier.example",
    ]
    result = run(capsys, REPO, "contacts", "--tag", "SURVEILLANCE")
    assert result.code == 0
    assert result.out == (
        "list            recipients      tagged     invalid\n"
        "local-press              4           1           0\n"
        "national-press           8           3           0\n"
        "3 unique addresses tagged SURVEILLANCE in 2 lists\n"
    )


def test_yaml_list_problems_carry_line_and_column(make_room):
    root = make_room(
        {
            "contacts/local.yaml": """\
            - email: rkhan@harbor.example
              tags: [courts, " policing "]
              notes: unknown keys are ignored
            - name: No Address
            - just a string
            - email: lu@radio.example
              timezone: America/New_Yrok
              name: 42
            - email: RKHAN@harbor.example
            """
        }
    )
    [local] = load_lists(load_room(root))
    assert [r.email for r in local.recipients] == ["rkhan@harbor.example"]
    assert local.recipients[0].tags == ["courts", "policing"]
    assert local.invalid == 3
    assert [(p.location(), p.severity, p.key, p.message) for p in local.problems] == [
        ("contacts/local.yaml:4:3", "error", "email", "is required but missing"),
        ("contacts/local.yaml:5:3", "error", "", "expected a mapping such as {email: ...}"),
        (
            "contacts/local.yaml:7:3",
            "error",
            "timezone",
            "unknown time zone 'America/New_Yrok' (did you mean 'America/New_York'?); "
            "use an IANA name such as America/New_York or Europe/London",
        ),
        ("contacts/local.yaml:8:3", "error", "name", "expected text, got the number 42"),
        (
            "contacts/local.yaml:9",
            "warning",
            "email",
            "'RKHAN@harbor.example' is already on line 1",
        ),
    ]


def test_unknown_list_name_suggests_the_nearest(make_room, capsys):
    root = make_room({"contacts/national-press.csv": "email\na@b.example\n"})
    with pytest.raises(LoadError) as caught:
        load_lists(load_room(root), ["national-pres"])
    [problem] = caught.value.problems
    assert str(problem) == (
        "contacts/national-pres: error: no such media list; did you mean 'national-press'?"
    )
    assert [m.name for m in load_lists(load_room(root), ["national-press.csv"])] == [
        "national-press"
    ]


@pytest.mark.parametrize(
    "name, content, fragments",
    [
        ("a.csv", "name,outlet\nAna,Ledger\n", ["contacts/a.csv:1:", "including 'email'"]),
        ("a.csv", b"email\nz\xe9@x.example\n", ["contacts/a.csv:2:", "not UTF-8"]),
        # read line by line: the line and column are still the byte's own
        ("a.csv", b"email,name\na@b.example,Ana\nc@d.example,Z\xe9ro\n", ["a.csv:3:14: ", "0xe9"]),
        ("a.csv", b"\xef\xbb\xbfemail\n\xff@x.example\n", ["contacts/a.csv:2:1: ", "0xff"]),
        ("a.yaml", "email: a@b.example\n", ["contacts/a.yaml:1:1", "not a list of recipients"]),
        ("a.yaml", "- email: 'a@b.example\n", ["contacts/a.yaml:1:", "never closed"]),
    ],
)
def test_unreadable_lists_fail_cleanly(make_room, capsys, name, content, fragments):
    root = make_room({f"contacts/{name}": content, "contacts/good.csv": "email\na@b.example\n"})
    result = run(capsys, root, "contacts")
    assert result.code == 1, result
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err, result.err


@pytest.mark.parametrize(
    "content",
    [
        '\ufeffemail,name\ra@b.example,Ana\rc@d.example,"Cy\rTwo"\r',  # old Mac endings
        'email,name\r\na@b.example,Ana\r\n\r\nc@d.example,"Cy\r\nTwo"',  # no final newline
    ],
)
def test_every_line_ending_reads_the_same(make_room, content):
    root = make_room({"contacts/a.csv": content})
    [media] = load_lists(load_room(root), ["a"])
    assert media.problems == []
    assert [(r.email, r.name) for r in media.recipients] == [
        ("a@b.example", "Ana"),
        ("c@d.example", "Cy Two"),  # a name over two lines of a cell: one line
    ]


def test_a_huge_list_is_refused_before_reading(make_room, capsys):
    root = make_room({"contacts/huge.csv": ""})
    with open(root / "contacts/huge.csv", "wb") as f:
        f.truncate(MAX_LIST_BYTES + 1)  # sparse: nothing is really written
    result = run(capsys, root, "contacts")
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "contacts/huge.csv: error: file is 50.0 MB, more than the 50 MB" in result.err


def test_check_reports_bad_rows(make_room, capsys):
    root = make_room({"contacts/tech.csv": TECH})
    result = run(capsys, root, "check")
    # no release names the list, so its bad rows stop none: warnings (issue 19, item 8)
    assert result.code == 0
    assert "contacts/tech.csv:3: warning: email: 'ana@@x' is not an email address" in result.err
    assert "no release checked names this list" in result.err
    assert "contacts/tech.csv:9: warning:" in result.err
    assert run(capsys, root, "check", "--strict").code == 1


EXPORT = (
    "\ufeffE-mail;Full Name;Publication;Beat;Phone\r\n"
    "ana@ledger.example;Ana Ortiz;The Ledger;technology;555\r\n"
    "not-an-address;Bad Row;Nowhere;;\r\n"
    'sofia@mirador.example;Sofía Delgado;"El Mirador; edición nacional";inmigración;\r\n'
    "\r\n"
    "ANA@Ledger.example;Ana O.;The Ledger;;\r\n"
    "Okafor, Michael <x>;;;;\r\n"
    "jo@wire.example;Dr. Jo Brandt;Wire;;\r\n"
)


def test_import_writes_a_clean_list(make_room, capsys, tmp_path: Path):
    root = make_room()
    export = tmp_path / "export.csv"
    export.write_bytes(EXPORT.encode("utf-8"))
    result = run(capsys, root, "contacts", "import", str(export), "--list", "tech")
    assert result.code == 0, result
    assert (root / "contacts/tech.csv").read_text(encoding="utf-8") == (
        "email,name,first_name,outlet,beat,tags,timezone,language\n"
        "ana@ledger.example,Ana Ortiz,Ana,The Ledger,technology,,,\n"
        "sofia@mirador.example,Sofía Delgado,Sofía,El Mirador; edición nacional,"
        "inmigración,,,\n"
        "jo@wire.example,Dr. Jo Brandt,Jo,Wire,,,,\n"
    )
    source = str(export)
    assert result.err.splitlines() == [
        f"{source}:3: error: email: 'not-an-address' is not an email address "
        "(an email address must have an @-sign); fix or remove the row",
        f"{source}:6: warning: email: 'ANA@Ledger.example' is already on line 2; kept once",
        f"{source}:7: error: email: 'Okafor, Michael <x>' is not an email address "
        "(the display name contains invalid characters when not quoted: ','); "
        "fix or remove the row",
    ]
    assert result.out == (
        "columns: E-mail -> email, Full Name -> name, Publication -> outlet, Beat -> beat\n"
        "ignored: Phone (a phone number: not needed to send)\n"
        "wrote contacts/tech.csv: 3 recipients, 2 invalid rows left out, 1 duplicate removed\n"
    )
    [tech] = load_lists(load_room(root))
    assert tech.problems == [] and len(tech.recipients) == 3


def test_import_aliases_tabs_and_bad_optional_values(make_room, capsys, tmp_path: Path):
    root = make_room()
    export = tmp_path / "db.tsv"
    export.write_text(
        "Email Address\tGiven name\tLast Name\tMedia Outlet\tLabels\tTime zone\tLanguage\n"
        "lu@radio.example\tLu\tMoreau\tRadio\tcourts;policing\tAmerica/New_Yrok\ten\n",
        encoding="utf-8",
    )
    result = run(capsys, root, "contacts", "import", str(export), "--list", "radio")
    assert result.code == 0, result
    assert "db.tsv:2: warning: timezone: unknown time zone 'America/New_Yrok'" in result.err
    assert (root / "contacts/radio.csv").read_text(encoding="utf-8").splitlines()[1] == (
        "lu@radio.example,Lu Moreau,Lu,Radio,,courts;policing,,en"
    )


def test_import_refuses_to_overwrite_without_force(make_room, capsys, tmp_path: Path):
    root = make_room({"contacts/tech.csv": "email\nold@x.example\n"})
    export = tmp_path / "export.csv"
    export.write_text("Email\nnew@x.example\n", encoding="utf-8")
    result = run(capsys, root, "contacts", "import", str(export), "--list", "tech")
    assert result.code == 2
    assert "contacts/tech.csv already exists: pass --merge to add to it, --force" in result.err
    assert "old@x.example" in (root / "contacts/tech.csv").read_text(encoding="utf-8")
    result = run(capsys, root, "contacts", "import", str(export), "--list", "tech", "--force")
    assert result.code == 0, result
    assert (
        (root / "contacts/tech.csv").read_text(encoding="utf-8").endswith("new@x.example,,,,,,,\n")
    )


def test_import_without_an_email_column_fails_cleanly(make_room, capsys, tmp_path: Path):
    root = make_room()
    export = tmp_path / "export.csv"
    export.write_text("Name,Phone\nAna,555\n", encoding="utf-8")
    result = run(capsys, root, "contacts", "import", str(export), "--list", "x")
    assert result.code == 1
    assert "Traceback" not in result.err
    assert f"{export}:1: error: no column of email addresses" in result.err
    assert not (root / "contacts/x.csv").exists()


LIST = """\
email,name,first_name,outlet,beat,tags,timezone,language
ana@ledger.example,Ana Ortiz,Ana,The Ledger,technology,surveillance,America/Los_Angeles,en
ben@wire.example,Ben Okafor,Ben,Capital Wire,,,,
cy@radio.example,Cy Moreau,Cy,Radio,courts,,,fr
"""


def test_import_merge_adds_updates_and_keeps_everyone(make_room, capsys, tmp_path: Path):
    root = make_room({"contacts/tech.csv": LIST})
    export = tmp_path / "export.csv"
    export.write_text(
        "Email,Full Name,Publication,Beat,Labels\n"
        "ANA@Ledger.example,,The Daily Ledger,,ai\n"  # moved outlet, a new tag, no name given
        "cy@radio.example,Cy Moreau,Radio,courts,\n"  # nothing new
        "dee@mirador.example,Dee Ruiz,El Mirador,,\n"  # new
        "not-an-address,X,,,\n",
        encoding="utf-8",
    )
    result = run(capsys, root, "contacts", "import", str(export), "--list", "tech", "--merge")
    assert result.code == 0, result
    assert (root / "contacts/tech.csv").read_text(encoding="utf-8") == (
        "email,name,first_name,outlet,beat,tags,timezone,language\n"
        "ana@ledger.example,Ana Ortiz,Ana,The Daily Ledger,technology,surveillance;ai,"
        "America/Los_Angeles,en\n"
        "ben@wire.example,Ben Okafor,Ben,Capital Wire,,,,\n"
        "cy@radio.example,Cy Moreau,Cy,Radio,courts,,,fr\n"
        "dee@mirador.example,Dee Ruiz,Dee,El Mirador,,,,\n"
    )
    assert "added    dee@mirador.example" in result.out
    assert (
        "updated  ana@ledger.example: outlet: The Ledger -> The Daily Ledger; "
        "tags: surveillance -> surveillance;ai" in result.out
    )
    assert result.out.rstrip().endswith(
        "merged into contacts/tech.csv: 1 added, 1 updated, 1 unchanged, 1 kept as they were "
        "(4 recipients now); 1 invalid row left out, 0 duplicates removed"
    )
    assert "export.csv:5: error: email: 'not-an-address'" in result.err


def test_import_merge_refuses_to_lose_rows_or_columns(make_room, capsys, tmp_path: Path):
    export = tmp_path / "export.csv"
    export.write_text("Email\nnew@x.example\n", encoding="utf-8")
    broken = LIST + "bad-address,Someone,,,,,,\n"
    root = make_room({"contacts/tech.csv": broken})
    result = run(capsys, root, "contacts", "import", str(export), "--list", "tech", "--merge")
    assert result.code == 1
    assert "contacts/tech.csv:5: error: email: 'bad-address'" in result.err
    assert "merging would drop them, so nothing was changed" in result.err
    assert (root / "contacts/tech.csv").read_text(encoding="utf-8") == broken

    noted = "email,name,notes\nold@x.example,Old,met at the hearing\n"
    (root / "contacts/tech.csv").write_text(noted, encoding="utf-8")
    result = run(capsys, root, "contacts", "import", str(export), "--list", "tech", "--merge")
    assert result.code == 2 and "has column notes that pressroom does not keep" in result.err
    assert (root / "contacts/tech.csv").read_text(encoding="utf-8") == noted

    both = run(capsys, root, "contacts", "import", str(export), "--list", "tech", "--merge",
               "--force")  # fmt: skip
    assert both.code == 2 and "not both" in both.err

    fresh = run(capsys, root, "contacts", "import", str(export), "--list", "new", "--merge")
    assert fresh.code == 0, fresh.err  # no list yet: --merge makes it
    assert "wrote contacts/new.csv: 1 recipient" in fresh.out


def test_a_list_that_grows_while_it_is_read_is_still_bounded(tmp_path):
    from pressroom.errors import LoadError
    from pressroom.load.textfile import read_lines

    path = tmp_path / "big.csv"
    path.write_text("email\na@b.example\n")
    lines = read_lines(path, "contacts/big.csv", max_bytes=64)
    assert next(lines) == "email\n"  # the size was checked: 18 bytes
    with path.open("a") as grown:  # an export still being written, say
        grown.write("c@d.example\n" * 100)
    with pytest.raises(LoadError, match="more than"):
        list(lines)
