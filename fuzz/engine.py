"""One harness under atheris, in this process (``python -m fuzz.engine NAME [libFuzzer flags]``).

The runner (:mod:`fuzz.__main__`) starts one such process per harness: libFuzzer
ends its process when it is done. The harness and the pressroom modules it
reaches are imported, and its seeds run once, under atheris' instrumentation,
so that lazily imported modules are instrumented too.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

import atheris

INSTRUMENTED = ["pressroom", "yaml", "fuzz"]
"""The packages whose coverage guides the fuzzer (PyYAML is pure Python)."""


def harness(name: str) -> ModuleType:
    with atheris.instrument_imports(include=INSTRUMENTED):
        module = importlib.import_module(f"fuzz.{name}")
        module.setup()
        for seed in module.seeds():
            one_input_of(module)(seed)
    return module


def one_input_of(module: ModuleType):  # type: ignore[no-untyped-def]
    from pressroom.errors import PressroomError

    def one_input(data: bytes) -> None:
        try:
            module.one_input(data)
        except PressroomError as error:
            str(error)  # the message the CLI prints must be writable too

    return one_input


def main(argv: list[str]) -> None:
    module = harness(argv[1])
    atheris.Setup([argv[0], *argv[2:]], one_input_of(module))
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
