"""The ``pressroom`` command (and ``python -m pressroom``).

Before anything else is imported, a build or a send forks its PDF printer
(:func:`pressroom.render.printer.start_early`), so that WeasyPrint's import
overlaps the command's own start; then the CLI runs (:func:`pressroom.cli.main`).
"""

import sys


def main() -> None:
    from pressroom.render.printer import start_early

    start_early(sys.argv[1:])
    from pressroom.cli import main as run

    run()


if __name__ == "__main__":
    main()
