"""Coverage-guided fuzzing of everything pressroom reads from outside (atheris).

One module per target, each a *harness*: the loaders of releases and of
pressroom.yaml, the media-list reader (CSV and YAML), ``contacts import``,
the SendGrid events parser, the Word importer. A harness module defines:

- ``TIME_BOUND``: the seconds one input may take (libFuzzer's ``-timeout``);
- ``MAX_LEN``: the longest input tried, in bytes;
- ``seeds()``: the starting inputs (the example room's files and the small
  hostile files in ``fuzz/seeds/<harness>/``);
- ``setup()``: builds what every input needs (a scratch press room), once;
- ``one_input(data)``: hands *data* to pressroom as a user's file would reach it.

The promise every harness checks: no input makes pressroom raise anything but
its own errors (:class:`pressroom.errors.PressroomError`), nor take longer than
``TIME_BOUND``. Anything else is a *finding*: libFuzzer stops, prints the
traceback and keeps the input as ``crash-*`` or ``timeout-*``.

Run them (:mod:`fuzz.__main__`)::

    python -m fuzz --seconds 600            # every harness, ten minutes each
    python -m fuzz release --seconds 60     # one of them

``tests/test_fuzz.py`` runs each for a few seconds from a fixed seed in CI.
To add a target, write ``fuzz/<name>.py`` with the four names above, list it in
:data:`HARNESSES` and add seed files under ``fuzz/seeds/<name>/``.
"""

HARNESSES = (
    "release",
    "room_config",
    "list_csv",
    "list_yaml",
    "contacts_import",
    "events",
    "word_import",
)
"""Every harness, by module name, in the order they run."""
