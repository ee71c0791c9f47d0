"""A translation: the text keys of a release in another language, and nothing else.

``releases/<name>.<lang>.yaml`` translates ``releases/<name>.yaml``. It holds
only what a journalist reads as words (:data:`TEXT`); every fact (type,
status, embargo, date, people, lists, images' files, signatories) comes from
the original, so a translation can never send another embargo or mail
another list. This module is pure: it compares the raw data of the two files
(:func:`problems`), lays the translation over the original (:func:`merged`)
and fingerprints the original's text (:func:`digests`) so that a translation
knows which version of it it was made from (the ``translates:`` key) and
which keys changed since (:func:`changed_keys`).

A translation's ``body`` has the original's shape: as many blocks, each of
the same kind (paragraph, heading, quote) and each quote by the same person;
``updates`` and ``images`` likewise, item by item. A key the translation
leaves out keeps the original's text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from pressroom.errors import Problem
from pressroom.model.located import Located, Path_, key_name

TEXT = "text"
"""A text the translation may replace (markdown or plain)."""

TEXT_KEYS: dict[str, Any] = {
    "headline": TEXT,
    "subheadline": TEXT,
    "dateline": TEXT,
    "salutation": TEXT,
    "body": "body",
    "closing": TEXT,
    "ps": TEXT,
    "boilerplate": TEXT,
    "updates": [{"text": TEXT}],
    "images": [{"caption": TEXT, "alt": TEXT, "credit": TEXT}],
    "event": {
        "title": TEXT,
        "what": TEXT,
        "who": TEXT,
        "why": TEXT,
        "visuals": TEXT,
        "where": {"venue": TEXT},
    },
    "distribution": {"subject": TEXT},
}
"""The keys a translation may hold, as the shape of their values: a text, the body, a
list of mappings (item by item as the original's), or a mapping of such keys."""

TRANSLATES = "translates"
"""The key a translation records the version of the original's text it translates in."""
MAY_ADD = ("boilerplate",)
"""Text keys a translation may give though the original does not: the original's
boilerplate comes from pressroom.yaml, the translation's may be its own."""

KEY_CODE = "translation-key"
"""A translation sets a key that only the original may set, or one the original lacks."""
SHAPE_CODE = "translation-shape"
"""A translation's body, updates or images differ in shape from the original's."""


def problems(original: Mapping[str, Any], translation: Located, name: str) -> list[Problem]:
    """Everything the translation *translation* sets that it may not: keys of the original
    only (with their line), keys the original lacks, and a body, updates or images of
    another shape than the original's (pointing at the block). *name* is the original's
    file as the user knows it."""
    data = translation.data
    found: list[Problem] = []
    for key, value in data.items():
        if key == TRANSLATES:
            if not isinstance(value, dict):
                found.append(
                    translation.problem(
                        (key,),
                        "is written by pressroom translate: a mapping of the original's text",
                        hint="run pressroom translate NAME --to LANG --update to write it again",
                        code=KEY_CODE,
                    )
                )
            continue
        if key not in TEXT_KEYS:
            found.append(
                translation.problem(
                    (key,),
                    f"a translation holds text only; {key} comes from {name}",
                    hint=f"remove {key}: here, or change it in {name}",
                    code=KEY_CODE,
                )
            )
            continue
        if key not in original and key not in MAY_ADD:
            found.append(
                translation.problem(
                    (key,),
                    f"{name} has no {key} to translate",
                    hint=f"add it to {name} first, or remove it here",
                    code=KEY_CODE,
                )
            )
            continue
        found.extend(_shape(TEXT_KEYS[key], original.get(key), value, (key,), translation, name))
    return found


def _shape(
    spec: Any, original: Any, value: Any, path: Path_, translation: Located, name: str
) -> Iterator[Problem]:
    """The problems of *value* (at *path*) against the original's *original*, by *spec*."""
    if spec == TEXT:
        if value is not None and not isinstance(value, str):
            yield translation.problem(path, "must be text, as in the original", code=SHAPE_CODE)
    elif spec == "body":
        yield from _body(_blocks(original), value, path, translation, name)
    elif isinstance(spec, list):
        if not isinstance(value, list):
            yield translation.problem(path, "must be a list, as in the original", code=SHAPE_CODE)
            return
        before = original if isinstance(original, list) else []
        if len(value) != len(before):
            yield translation.problem(
                path,
                f"has {len(value)} item{'s' if len(value) != 1 else ''}, {name} has "
                f"{len(before)}: a translation keeps the original's items, in its order",
                hint="translate each item of the original, one for one",
                code=SHAPE_CODE,
            )
            return
        for index, item in enumerate(value):
            yield from _shape(spec[0], before[index], item, (*path, index), translation, name)
    elif isinstance(spec, dict):
        if not isinstance(value, dict):
            yield translation.problem(
                path, "must be a mapping, as in the original", code=SHAPE_CODE
            )
            return
        fields = original if isinstance(original, dict) else {}
        for key, item in value.items():
            if key not in spec:
                yield translation.problem(
                    (*path, key),
                    f"a translation holds text only; {key_name((*path, key))} comes from {name}",
                    hint=f"remove it here; the translation takes it from {name}",
                    code=KEY_CODE,
                )
            elif key not in fields:
                yield translation.problem(
                    (*path, key),
                    f"{name} has no {key_name((*path, key))} to translate",
                    hint="remove it here",
                    code=KEY_CODE,
                )
            else:
                yield from _shape(spec[key], fields[key], item, (*path, key), translation, name)


def _blocks(body: Any) -> list[Any]:
    """The body as a list of blocks (a single markdown string is one paragraph)."""
    if isinstance(body, str):
        return [body]
    return list(body) if isinstance(body, list) else []


def _kind(block: Any) -> str:
    if isinstance(block, str):
        return "a paragraph"
    if isinstance(block, dict) and "quote" in block:
        return "a quote"
    if isinstance(block, dict) and "heading" in block:
        return "a heading"
    return "something else"


def _body(
    original: list[Any], value: Any, path: Path_, translation: Located, name: str
) -> Iterator[Problem]:
    blocks = _blocks(value)
    if len(blocks) != len(original):
        yield translation.problem(
            path,
            f"has {len(blocks)} block{'s' if len(blocks) != 1 else ''}, the body of {name} has "
            f"{len(original)}: a translation keeps the original's paragraphs, headings and "
            "quotes, one for one",
            hint="translate each block of the original in its place",
            code=SHAPE_CODE,
        )
        return
    for index, (theirs, ours) in enumerate(zip(original, blocks, strict=True)):
        at = (*path, index) if isinstance(value, list) else path
        if _kind(theirs) != _kind(ours):
            yield translation.problem(
                at,
                f"is {_kind(ours)} where {name} has {_kind(theirs)}",
                hint="keep the original's blocks in its order",
                code=SHAPE_CODE,
            )
        elif isinstance(ours, dict):
            allowed = {"quote", "text"} if "quote" in ours else {"heading"}
            for key in ours:
                if key not in allowed:
                    yield translation.problem(
                        (*at, key), f"a body block has no {key} here", code=SHAPE_CODE
                    )
            if "quote" in ours and _who(ours["quote"]) != _who(theirs["quote"]):
                yield translation.problem(
                    (*at, "quote"),
                    f"quotes {_who(ours['quote'])} where {name} quotes {_who(theirs['quote'])}: "
                    "a translation keeps the original's speakers, in its order",
                    hint=f"write quote: {_who(theirs['quote'])}",
                    code=SHAPE_CODE,
                )
            for key in allowed - {"quote"}:
                if key in ours and not isinstance(ours[key], str):
                    yield translation.problem((*at, key), "must be text", code=SHAPE_CODE)


def _who(person: Any) -> str:
    if isinstance(person, dict):
        return str(person.get("name", "someone"))
    return str(person)


def merged(original: Mapping[str, Any], translation: Mapping[str, Any]) -> dict[str, Any]:
    """The original's data with the translation's texts in place (both already
    found to match by :func:`problems`)."""
    result = dict(original)
    for key, value in translation.items():
        if key in TEXT_KEYS and value is not None:
            result[key] = _over(TEXT_KEYS[key], original.get(key), value)
    return result


def _over(spec: Any, original: Any, value: Any) -> Any:
    if spec == TEXT:
        return value
    if spec == "body":
        blocks = _blocks(original)
        return [
            _block(theirs, ours) if isinstance(ours, dict) and isinstance(theirs, dict) else ours
            for theirs, ours in zip(blocks, _blocks(value), strict=True)
        ]
    if isinstance(spec, list):
        return [_over(spec[0], a, b) for a, b in zip(original, value, strict=True)]
    if isinstance(spec, dict):
        result = dict(original)
        for key, item in value.items():
            if item is not None:
                result[key] = _over(spec[key], original.get(key), item)
        return result
    return value


def _block(original: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    """A heading or quote block translated; an inline speaker's title may be translated."""
    block = {**original, **value}
    if isinstance(original.get("quote"), dict) and isinstance(value.get("quote"), dict):
        block["quote"] = {**original["quote"], **value["quote"]}
    return block


def texts(data: Mapping[str, Any]) -> dict[str, str]:
    """Every text of *data* a translation translates, by its key as messages name it
    (``headline``, ``body[2].text``, ``event.what``)."""
    found: dict[str, str] = {}

    def walk(spec: Any, value: Any, path: Path_) -> None:
        if value is None:
            return
        if spec == TEXT:
            if isinstance(value, str):
                found[key_name(path)] = value
        elif spec == "body":
            for index, block in enumerate(_blocks(value)):
                if isinstance(block, str):
                    found[key_name((*path, index))] = block
                elif isinstance(block, dict):
                    for key in ("heading", "text"):
                        if isinstance(block.get(key), str):
                            found[key_name((*path, index, key))] = block[key]
        elif isinstance(spec, list) and isinstance(value, list):
            for index, item in enumerate(value):
                walk(spec[0], item, (*path, index))
        elif isinstance(spec, dict) and isinstance(value, dict):
            for key, inner in spec.items():
                walk(inner, value.get(key), (*path, key))

    for key, spec in TEXT_KEYS.items():
        walk(spec, data.get(key), (key,))
    return found


DIGEST_LENGTH = 8
"""Hex digits of each text's fingerprint: enough to tell an edit, short enough to read."""


def digests(data: Mapping[str, Any]) -> dict[str, str]:
    """A short fingerprint of each text of the original: what ``translates:`` records."""
    return {
        key: hashlib.sha256(text.encode()).hexdigest()[:DIGEST_LENGTH]
        for key, text in texts(data).items()
    }


def text_version(data: Mapping[str, Any]) -> str:
    """One short hash of every text of the original: the version a translation translates."""
    return hashlib.sha256(json.dumps(digests(data), sort_keys=True).encode()).hexdigest()[:12]


def record(data: Mapping[str, Any]) -> dict[str, str]:
    """The ``translates:`` mapping for a translation of the original *data*."""
    return {"version": text_version(data), **digests(data)}


def changed_keys(recorded: Any, original: Mapping[str, Any]) -> list[str] | None:
    """The keys of the original whose text changed since the translation recorded
    *recorded*: ``[]`` when none did, None when the translation records nothing."""
    if not isinstance(recorded, dict) or not recorded:
        return None
    if recorded.get("version") == text_version(original):
        return []
    now = digests(original)
    keys = [key for key, digest in now.items() if recorded.get(key) != digest]
    keys += [key for key in recorded if key != "version" and key not in now]
    return keys or ["the original's text"]
