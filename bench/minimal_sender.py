"""The least a bulk sender of one release must do: the yardstick of ``bench/send.py --cli``.

Run as a fresh process, like ``pressroom send``::

    python bench/minimal_sender.py LIST.csv FOLDER URL API_KEY SENDER SUBJECT

It reads the CSV (``email``, ``name``, ``first_name``), skips an address seen
before (compared in lower case), and posts batches of 1,000 personalizations
to SendGrid's Mail Send endpoint at URL with the official ``sendgrid``
client (the same client, and so the same HTTP, that pressroom uses): each
batch carries the text and HTML of FOLDER/*.txt and *.html once, with the
greeting as a substitution, and the PDF of FOLDER/*.pdf, base64-encoded once
for the whole run. It keeps no log, checks nothing, and stops at the first
answer that is not 202. It renders nothing either: the PDF, text and HTML are
made beforehand (``pressroom build``), outside the time measured.
"""

from __future__ import annotations

import base64
import csv
import sys
from pathlib import Path

BATCH = 1000
GREETING = "%hi%"


def main(argv: list[str]) -> None:
    from sendgrid import SendGridAPIClient

    csv_path, folder, url, api_key, sender, subject = argv
    built = Path(folder)
    [pdf] = built.glob("*.pdf")
    text = next(built.glob("*.txt")).read_text(encoding="utf-8")
    html = next(built.glob("*.html")).read_text(encoding="utf-8")
    base = {
        "from": {"email": sender},
        "subject": subject,
        "content": [{"type": "text/plain", "value": text}, {"type": "text/html", "value": html}],
        "attachments": [
            {
                "content": base64.b64encode(pdf.read_bytes()).decode("ascii"),
                "type": "application/pdf",
                "filename": pdf.name,
                "disposition": "attachment",
            }
        ],
    }
    client = SendGridAPIClient(api_key=api_key, host=url)
    seen: set[str] = set()
    batch: list[dict[str, object]] = []

    def post() -> None:
        response = client.client.mail.send.post(request_body={**base, "personalizations": batch})
        if response.status_code != 202:
            sys.exit(f"answered {response.status_code}")
        batch.clear()

    with open(csv_path, newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            key = row["email"].strip().lower()
            if key in seen:
                continue
            seen.add(key)
            to = {"email": row["email"], "name": row["name"]} if row["name"] else {"email": key}
            greeting = f"Dear {row['first_name']}," if row["first_name"] else "Hello,"
            batch.append({"to": [to], "substitutions": {GREETING: greeting}})
            if len(batch) == BATCH:
                post()
    if batch:
        post()
    print(len(seen))


if __name__ == "__main__":
    main(sys.argv[1:])
