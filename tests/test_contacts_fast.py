"""The rows of a media list are made without pydantic when that is certain to give what
validation gives: every row, hostile ones above all, must come out exactly as the careful
path makes it (the same recipient, or the same problems: text, line, field)."""

from __future__ import annotations

import csv
import io
import shutil
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from pressroom import csvsafe
from pressroom.deliver.languages import Languages, assign
from pressroom.deliver.recipients import ListRows
from pressroom.errors import Problem
from pressroom.load import contacts
from pressroom.load.contacts import csv_records, load_list, read_rows, row_problems
from pressroom.load.room import load_room
from pressroom.model.contacts import COLUMNS, Recipient, kept, recipient_of
from pressroom.model.located import Located
from pressroom.model.roster import Roster
from tests.conftest import REPO

HOSTILE = " \t\n\r\x00\x07\x0b\x0c\x1c\x1f\x7f\x85\xa0\u2028\u2029\u3000\ufeff'\"=+-@;,|"
"""Characters that strip, one-line, formula and split rules care about."""

texts = st.text(
    st.one_of(
        st.sampled_from(HOSTILE),
        st.sampled_from(string.ascii_letters + "éüß中\U0001f600"),
        st.characters(exclude_categories=()),  # surrogates too: pydantic refuses them
    ),
    max_size=12,
)
addresses = st.one_of(
    st.sampled_from(
        [
            "ana@ledger.example",
            "Ana@Ledger.EXAMPLE",
            "ana@bücher.example",
            "jlópez@example.mx",
            "ana@@x",
            "ana@x",
            "a..b@ledger.example",
            ".a@ledger.example",
            "ana@ledger..example",
            "ana@-ledger.example",
            "ana@ledger.example.",
            "=cmd|' /C calc'!A0@x.example",
            "x" * 64 + "@ledger.example",
            "x" * 65 + "@ledger.example",
            "a@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".example",
            "a@" + ("b" * 60 + ".") * 4 + "example",
            "user+tag@sub.outlet.example",
            "ANA@XN--BCHER-KVA.EXAMPLE",
            "",
        ]
    ),
    st.builds(
        lambda local, domain: f"{local}@{domain}",
        st.text(string.ascii_letters + string.digits + ".+-_'=!#~", min_size=0, max_size=70),
        st.sampled_from(
            ["outlet1.example", "Outlet1.Example", "x", "bücher.example", "-a.example"]
        ),
    ),
    texts,
)
zones = st.sampled_from(
    ["Europe/Berlin", "America/New_York", "UTC", "utc", "America", "Europe/Berln", "../etc", "Nope"]
)
languages = st.sampled_from(["de", "de-AT", "de_DE", "pt-BR", "en", "xx", "zz-ZZ", "d e", "123"])


def _around(value: str, pad: str) -> str:
    return f"{pad}{value}{pad}"


cells: dict[str, Any] = {
    "email": addresses,
    "name": texts,
    "first_name": texts,
    "outlet": texts,
    "beat": texts,
    "tags": st.one_of(texts, st.sampled_from(["a;b", " tech , ai ;", ";;", "x,,y"])),
    "timezone": st.one_of(zones, texts),
    "language": st.one_of(languages, texts),
}


def _padded(strategy: Any) -> Any:
    """*strategy*'s values, some with spaces or a formula quote around them."""
    pads = st.sampled_from([" ", "\t", "\n", "\u3000", "\x1c", "\x85"])
    return st.one_of(
        strategy,
        st.builds(_around, strategy, pads),
        st.builds("{}{}".format, strategy, pads),
        st.builds("{}{}".format, pads, strategy),
        st.builds("'{}".format, strategy),
        st.builds("'{}{}".format, pads, strategy),
    )


good_addresses = st.builds(
    "{}{:03d}@{}".format,
    st.sampled_from(["ana", "Ben.Okafor", "o'neil", "x+y", "jlópez"]),
    st.integers(0, 999),
    st.sampled_from(["ledger.example", "Wire.Example", "bücher.example"]),
)
"""Valid addresses, so that the rest of the row decides."""
rows = st.one_of(
    st.fixed_dictionaries(
        {"email": good_addresses},
        optional={n: _padded(s) for n, s in cells.items() if n != "email"},
    ),
    st.fixed_dictionaries({}, optional={name: _padded(s) for name, s in cells.items()}),
)
yaml_values = st.one_of(st.none(), st.integers(), st.booleans(), st.lists(texts, max_size=2))
yaml_rows = st.dictionaries(st.sampled_from(COLUMNS), yaml_values, max_size=3)


def same(made: Recipient, validated: Recipient) -> None:
    """*made* is what validation gave: the same values, in the same order, the same set fields."""
    assert type(made) is Recipient
    assert list(made.__dict__.items()) == list(validated.__dict__.items())
    assert made.model_fields_set == validated.model_fields_set
    assert made.__pydantic_extra__ == validated.__pydantic_extra__
    assert made.__pydantic_private__ == validated.__pydantic_private__
    assert made == validated
    assert made.model_dump() == validated.model_dump()
    assert made.key == validated.key
    copied, copied_too = (r.model_copy(update={"lists": ["a", "b"]}) for r in (made, validated))
    assert copied.__dict__ == copied_too.__dict__
    made.language, validated.language = "de", "de"
    assert made.model_fields_set == validated.model_fields_set


def outcome(make: Any) -> Recipient | tuple[Any, str]:
    try:
        return make()  # type: ignore[no-any-return]
    except ValidationError as exc:
        return exc.errors(include_url=False, include_context=False), str(exc)


def agree(data: dict[str, Any], lists: list[str], plain: bool) -> None:
    validated = outcome(lambda: Recipient.model_validate({**data, "lists": lists}))
    made = outcome(lambda: recipient_of(data, lists, plain))
    if isinstance(validated, Recipient):
        assert isinstance(made, Recipient), made
        same(made, validated)
    else:
        assert made == validated


@settings(max_examples=600, deadline=None)
@given(rows, st.sampled_from([["big"], ["a", "b"], [" big"], [], ["\ud800"]]))
@example({"email": "ana@ledger.example", "name": "Ana\nOrtiz"}, ["big"])
@example({"email": "ana@ledger.example", "timezone": "Europe/Berln"}, ["big"])
@example({"email": " ana@ledger.example"}, ["big"])
@example({"email": "ana@ledger.example", "first_name": "A\x00"}, ["big"])
@example({"email": "ana@ledger.example", "tags": " a ;\u3000; b\x1c"}, ["big"])
def test_a_row_made_directly_is_the_row_validation_makes(
    data: dict[str, str], lists: list[str]
) -> None:
    agree(data, lists, plain=False)
    if all(map(kept, data.values())) and all(map(kept, lists)):
        agree(data, lists, plain=True)  # what the CSV reader vouches for


@settings(max_examples=200, deadline=None)
@given(yaml_rows, st.one_of(st.none(), addresses))
def test_a_yaml_row_of_any_types_is_validated_as_before(data: dict[str, Any], email: Any) -> None:
    if email is not None:
        data["email"] = email
    agree(data, ["list"], plain=False)


@given(st.lists(texts, max_size=4))
def test_a_blank_record_is_told_as_before(record: list[str]) -> None:
    assert bool("".join(record).strip()) == any(field.strip() for field in record)


def test_every_character_pydantic_strips_is_one_str_strip_strips() -> None:
    """The fast path trusts str.isspace to find all that pydantic's stripping would remove."""

    class Stripped(BaseModel):
        model_config = Recipient.model_config
        text: str

    for code in range(0x110000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF or char.isspace():
            continue
        assert Stripped(text=f"{char}x{char}").text == f"{char}x{char}", hex(code)


# -- the whole reading of a CSV list, against the careful one -------------------------


def careful_rows(room: Any, path: Path) -> list[tuple[int, Recipient | list[Problem]]]:
    """The rows of a CSV list as pydantic alone made them: each cell stripped and its
    formula quote dropped, every row validated."""
    display = f"contacts/{path.name}"
    with path.open(encoding="utf-8-sig", newline="") as file:
        records = csv_records(file.read(), display, ",")
    columns = [c.strip().lower() for c in next(records)[1]]
    index = {name: columns.index(name) for name in COLUMNS if name in columns}
    found: list[tuple[int, Recipient | list[Problem]]] = []
    for line, record in records:
        data = {
            name: csvsafe.cell_value(record[i].strip())
            for name, i in index.items()
            if i < len(record) and record[i].strip()
        }
        try:
            found.append((line, Recipient.model_validate({**data, "lists": [path.stem]})))
        except ValidationError as exc:
            found.append((line, row_problems(exc, Located(display, data), line)))
    return found


@pytest.fixture(scope="module")
def list_room(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("room")
    shutil.copy(REPO / "pressroom.yaml", root)
    shutil.copytree(REPO / "assets", root / "assets")
    (root / "contacts").mkdir()
    return root


def write_list(root: Path, header: list[str], records: list[list[str]]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(records)
    path = root / "contacts" / "fuzz.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def writable(cell: str) -> str:
    """*cell* as a UTF-8 CSV file can hold it (no NUL, which the csv module refuses to
    read, and no lone surrogate, which UTF-8 cannot encode)."""
    return "".join(c for c in cell if c != "\x00" and not 0xD800 <= ord(c) <= 0xDFFF)


pool = st.sampled_from(
    ["ana@ledger.example", "Ana@Ledger.example", "ANA@LEDGER.EXAMPLE", "b@x.example"]
)
csv_cell = st.one_of(addresses, zones, languages, texts)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.permutations(
        ["email", "name", "first_name", "outlet", "tags", "timezone", "language", "Phone"]
    ),
    st.lists(
        st.tuples(
            st.one_of(pool, good_addresses, addresses), st.lists(_padded(csv_cell), max_size=8)
        ),
        max_size=12,
    ),
)
def test_a_csv_list_reads_as_the_careful_path_reads_it(
    list_room: Path, header: list[str], records: list[tuple[str, list[str]]]
) -> None:
    rows_in = []
    for email, others in records:
        row = [writable(cell) for cell in others] + [""] * (len(header) - len(others))
        row[header.index("email")] = writable(email)
        rows_in.append(row[: len(header) - (len(others) % 2)])  # some rows short
    path = write_list(list_room, header, rows_in)
    room = load_room(list_room)
    expected = careful_rows(room, path)
    got = list(read_rows(room, path))
    assert [line for line, _ in got] == [line for line, _ in expected]
    for (_, made), (_, validated) in zip(got, expected, strict=True):
        if isinstance(validated, Recipient):
            assert isinstance(made, Recipient), made
            same(made, validated)
        else:
            assert made == validated

    careful = contacts.recipient_of
    try:  # the whole list (repeated addresses, in any case) as the careful path loads it
        contacts.recipient_of = lambda data, lists, plain=False: Recipient.model_validate(  # type: ignore[assignment]
            {**data, "lists": lists}
        )
        expected_list = load_list(room, path)
    finally:
        contacts.recipient_of = careful
    got_list = load_list(room, path)
    assert got_list.problems == expected_list.problems
    assert got_list.invalid == expected_list.invalid
    assert [r.__dict__ for r in got_list.recipients] == [
        r.__dict__ for r in expected_list.recipients
    ]


def test_assign_sets_the_language_as_pydantic_sets_a_field(list_room: Path) -> None:
    # assign writes the field as pydantic's __setattr__ does for a plain field: that
    # holds while nothing validates or forbids an assignment
    assert not Recipient.model_config.get("validate_assignment")
    assert not Recipient.model_config.get("frozen")
    assert not Recipient.__private_attributes__
    path = write_list(
        list_room,
        ["email", "language"],
        [
            ["a@x.example", "de-AT"],
            ["b@x.example", ""],
            ["c@x.example", "fr"],
            ["d@x.example", "de"],
        ],
    )
    room = load_room(list_room)
    languages = Languages("en", {"en": "en", "de": "de"}, {})
    got = list(assign(ListRows(room, [path.stem]), languages))
    expected = [row for _, row in careful_rows(room, path)]
    for recipient in expected:
        assert isinstance(recipient, Recipient)
        recipient.language = languages.of(recipient.language)
    assert [r.language for r in got] == ["de", "en", "en", "de"]
    for made, validated in zip(got, expected, strict=True):
        assert isinstance(validated, Recipient)
        same(made, validated)


class CarefulRoster(Roster):
    """The roster as it counted before it had a way for a row on one list."""

    def add(self, recipient: Recipient) -> bool:
        key = recipient.key
        bits = 0
        for name in recipient.lists:
            bit = self._lists.get(name)
            if bit is None:
                bit = self._lists[name] = 1 << len(self._names)
                self._names.append(name)
                self.counts[name] = 0
            bits |= bit
        before = self._seen.get(key)
        if before is None:
            self._seen[key] = bits
            self._count(bits)
            return True
        added = bits & ~before
        if added:
            self._seen[key] = before | added
            self._joined.add(key)
            self._count(added)
        return False


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a@x.example", "A@X.example", "b@x.example", "c@y.example"]),
            st.lists(st.sampled_from(["tech", "press", "local"]), max_size=3),
        ),
        max_size=20,
    )
)
def test_the_roster_counts_as_it_did(rows_in: list[tuple[str, list[str]]]) -> None:
    fast, careful = Roster(), CarefulRoster()
    for email, lists in rows_in:
        recipient = Recipient(email=email, lists=lists)
        assert fast.add(recipient) == careful.add(recipient)
    assert fast.counts == careful.counts
    assert list(fast.counts) == list(careful.counts)
    assert sorted(fast.joined()) == sorted(careful.joined())
    assert len(fast) == len(careful)
    for email, _ in rows_in:
        assert fast.lists_of(email.lower()) == careful.lists_of(email.lower())
