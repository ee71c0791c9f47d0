"""pressroom: press releases as YAML files, checked, rendered and sent.

The package is laid out along the data flow::

    load/     files on disk -> plain data that remembers where each value came from
    model/    plain data -> the validated model (Room, Release, Person, ...)
    check/    editorial rules over the model (errors and warnings)
    render/   model -> artefacts (HTML email, plain text, PDF, DOCX); build.py writes
              build/<release>/, skipping what has not changed
    cli/      the commands: parse options, call one function, print the result
"""

__version__ = "0.1.0"
