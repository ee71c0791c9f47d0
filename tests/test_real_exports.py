"""Import from real exports, and a log that says the same thing however it is asked.

From a new user's day two: a media database's export wrote tags as
"surveillance, tech" and a German colleague's export had columns named Medium,
Ressort and Telefon; `log` of a misspelled release said "nothing has been sent"
instead of "no such release"; `log --csv` was empty while `log` showed rows.
"""

from __future__ import annotations

import csv
import io

from tests.cli_runner import run

RELEASE = "streetsight-suspended"


def imported(room, capsys, text: str, name: str = "imported"):
    (room / "export.csv").write_text(text, encoding="utf-8")
    result = run(capsys, room, "contacts", "import", "export.csv", "--list", name)
    assert result.code == 0, result.err
    rows = list(csv.DictReader((room / "contacts" / f"{name}.csv").open(encoding="utf-8")))
    return result, rows


def test_tags_written_with_commas_are_separate_tags(room, capsys):
    _, rows = imported(
        room, capsys, 'Email,Tags\nana@daily.example,"surveillance, tech"\nlee@x.example,a;b\n'
    )
    assert rows[0]["tags"] == "surveillance;tech"
    assert rows[1]["tags"] == "a;b"
    # and a list written by hand with commas reads as two tags too
    (room / "contacts" / "by-hand.csv").write_text(
        'email,tags\nana@daily.example,"surveillance, tech"\n', encoding="utf-8"
    )
    assert run(capsys, room, "contacts", "--tag", "tech").out.count("by-hand") == 1


def test_column_names_in_other_languages_are_understood(room, capsys):
    result, rows = imported(
        room,
        capsys,
        "E-Mail-Adresse;Vorname;Nachname;Medium;Ressort;Telefon;Sprache\n"
        "jana@zeitung.example;Jana;Vogel;Die Zeitung;Digitales;+49 30 1234;de\n",
    )
    assert rows == [
        {
            "email": "jana@zeitung.example",
            "name": "Jana Vogel",
            "first_name": "Jana",
            "outlet": "Die Zeitung",
            "beat": "Digitales",
            "tags": "",
            "timezone": "",
            "language": "de",
        }
    ]
    assert "Telefon (a phone number: not needed to send)" in result.out

    _, french = imported(
        room,
        capsys,
        "Courriel,Prénom,Nom de famille,Média,Rubrique\n"
        "luc@journal.example,Luc,Martin,Le Journal,Numérique\n",
        "presse",
    )
    assert french[0]["outlet"] == "Le Journal" and french[0]["beat"] == "Numérique"
    assert french[0]["name"] == "Luc Martin"


def test_log_of_no_such_release_is_an_error_before_and_after_a_send(room, capsys):
    for _ in range(2):
        result = run(capsys, room, "log", "no-such-release")
        assert result.code != 0
        assert "no such release" in result.err and "Traceback" not in result.err
        assert run(capsys, room, "send", RELEASE, "--yes").code == 0


def test_log_csv_shows_the_rows_log_shows(room, capsys):
    assert run(capsys, room, "send", RELEASE, "--yes").code == 0  # the outbox: rehearsals
    shown = run(capsys, room, "log", RELEASE)
    exported = run(capsys, room, "log", RELEASE, "--csv")
    assert exported.code == 0, exported.err
    rows = list(csv.DictReader(io.StringIO(exported.out)))
    assert len(rows) == 8 and all(row["email"] in shown.out for row in rows)
    assert "Rehearsals in the outbox" in exported.err
