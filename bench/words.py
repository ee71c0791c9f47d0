"""Benchmark: what the catalogs cost, measured beside the same work in English.

Run by hand from the repository root (results go in docs/performance.md)::

    .venv/bin/python bench/words.py [--repeat 7]

Each measure is the median of --repeat rounds, and each round measures the
English and the German room one right after the other, so that the machine's
load falls on both alike:

1. loading every catalog (the six ``.mo`` files) in a fresh process;
2. assembling the Documents of the example room's releases and rendering their
   emails (HTML and text), in a warm process: the work the catalogs take part in
   (labels looked up, quote marks and spacing set) without the PDF's layout, which
   would drown any difference.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

LOAD_CATALOGS = """
import time
import babel, gettext, pressroom.i18n.language  # imported by every command anyway
start = time.perf_counter()
from pressroom.i18n.catalogs import catalog_languages, translations
for language in catalog_languages():
    translations(language).gettext("FOR IMMEDIATE RELEASE")
print(time.perf_counter() - start)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()

    from pressroom.load.room import load_releases, load_room
    from pressroom.model.room import Room
    from pressroom.render.context import document
    from pressroom.render.email import render_email
    from pressroom.render.environment import make_environment

    english = load_room(REPO)
    german = Room(english.root, english.config.model_copy(update={"locale": "de_DE"}))
    releases = load_releases(english)
    env = make_environment()

    def emails(room: Room) -> float:
        start = time.perf_counter()
        for release in releases:
            render_email(document(room, release), env)
        return time.perf_counter() - start

    emails(english), emails(german)  # warm: templates compiled, catalogs loaded
    load, en, de = [], [], []
    for _ in range(options.repeat):
        done = subprocess.run(
            [sys.executable, "-c", LOAD_CATALOGS], capture_output=True, text=True, cwd=REPO
        )
        load.append(float(done.stdout))
        en.append(emails(english))
        de.append(emails(german))
    print(
        json.dumps(
            {
                "releases": len(releases),
                "load_all_catalogs_s": statistics.median(load),
                "documents_and_emails_en_s": statistics.median(en),
                "documents_and_emails_de_s": statistics.median(de),
                "ratio_de_to_en": statistics.median(de) / statistics.median(en),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
