"""What ``pressroom init`` asks, and the example values it writes when it is not told.

One list, :data:`QUESTIONS`, serves both ends: ``init`` asks each question in a
terminal (or takes its ``--option``) and writes the answer at the question's key
of pressroom.yaml; ``check`` and ``send`` refuse a room that still holds the
example value of any of them (:func:`pressroom.check.placeholders.room_placeholders`),
so that "Your Organisation" or "1 Main Street, Springfield" never reaches a
journalist.
"""

from __future__ import annotations

import copy
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pressroom.model.located import Path_

BOILERPLATE_WIDTH = 72
EXAMPLE_PERSON = "press-officer"
"""The key of the person ``init`` writes."""


@dataclass(frozen=True)
class Question:
    """One value of pressroom.yaml that ``init`` asks for."""

    option: str
    """The option of ``pressroom init`` that answers it (``--org-name``)."""
    path: Path_
    prompt: str
    example: str
    """What ``init`` writes when not told: a value ``check`` refuses."""
    optional: bool = False
    """An empty answer leaves the key out (the phone)."""

    @property
    def help(self) -> str:
        """The option's help: the question, without what only a prompt says."""
        return self.prompt.replace(" (Enter for none)", "; empty for none") + "."


QUESTIONS = (
    Question("org-name", ("org", "name"), "Your organisation's name", "Your Organisation"),
    Question("website", ("org", "website"), "Its website", "https://www.example.org"),
    Question(
        "address",
        ("org", "address"),
        "Its postal address (every email shows it)",
        "1 Main Street, Springfield, IL 62701",
    ),
    Question(
        "boilerplate",
        ("org", "boilerplate"),
        "About it, in two or three sentences (the end of every release)",
        "Your Organisation is a nonprofit that works with and for the people it serves. "
        "Replace these lines with two or three sentences of your own: what you do, for "
        "whom, and one fact that shows your reach. Learn more at "
        "[example.org](https://www.example.org).",
    ),
    Question(
        "sender-email",
        ("sender", "email"),
        "The address releases are sent from",
        "press@your-organisation.example",
    ),
    Question(
        "sender-name",
        ("sender", "name"),
        "The name inboxes show for it",
        "Your Organisation Press Office",
    ),
    Question(
        "contact-name",
        ("people", EXAMPLE_PERSON, "name"),
        "Your media contact's name",
        "Alex Example",
    ),
    Question(
        "contact-email",
        ("people", EXAMPLE_PERSON, "email"),
        "Their email address",
        "alex@your-organisation.example",
    ),
    Question(
        "contact-phone",
        ("people", EXAMPLE_PERSON, "phone"),
        "Their phone number (Enter for none)",
        "+1 202 555 0100",
        optional=True,
    ),
)


def answered(template: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, Any]:
    """The data of pressroom.yaml's *template* with each answer (by option) at its key;
    an empty answer to an optional question removes the key."""
    data = copy.deepcopy(dict(template))
    for question in QUESTIONS:
        if question.option not in answers:
            continue
        *parents, key = question.path
        holder: Any = data
        for part in parents:
            holder = holder[part]
        value = " ".join(answers[question.option].split())
        if question.path == ("org", "boilerplate") and value:
            value = textwrap.fill(value, BOILERPLATE_WIDTH) + "\n"  # a '|' block, as written
        if not value.strip() and question.optional:
            holder.pop(key, None)
        else:
            holder[key] = value
    return data


def default_answer(option: str, answers: Mapping[str, str]) -> str | None:
    """What the prompt for *option* offers, from the answers given before it."""
    if option == "sender-name" and answers.get("org-name"):
        return f"{answers['org-name']} Press Office"
    if option == "contact-email" and answers.get("sender-email"):
        return answers["sender-email"]
    return None
