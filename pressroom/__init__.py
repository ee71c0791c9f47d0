"""pressroom: press releases as YAML files, checked, rendered and sent.

The package is laid out along the data flow, lowest layer first; a module imports
only from the layers below its own (tests/test_layers.py)::

    errors, clock, secrets, csvsafe, terminal, listen   shared by every layer
    i18n/      languages, catalogs, labels
    model/     plain data -> the validated model (Room, Release, Person, ...)
    load/      files on disk -> the model, remembering where each value came from
    render/    model -> artefacts (HTML email, plain text, PDF, DOCX); build.py
    drafts/    the one path that writes a release file
    sendlog/   the record of who got what, the versions and approvals it keeps
    check/     editorial rules over the model (errors and warnings); readiness
    events/    SendGrid's delivery events in
    deliver/   recipients, messages, transports, the send
    site/      the static newsroom
    contacts/  media-list imports and forgetting a person
    reports/   what became of each release; what send and log print
    serve/     the live preview
    cli/       the commands: parse options, call one function, print the result
"""

__version__ = "0.1.0"
