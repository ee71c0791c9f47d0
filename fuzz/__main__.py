"""Run the harnesses: ``python -m fuzz [NAME ...] [--seconds N] [--seed N] [--corpus DIR]``.

Each harness runs in its own process (:mod:`fuzz.engine`) for ``--seconds``,
starting from its seeds and from the inputs earlier runs kept in
``--corpus`` (``.fuzz/`` by default, git-ignored), so that long runs by hand
build on each other. A line per harness says how many inputs it ran and what
it found; a finding's input is kept under ``<corpus>/<name>/findings/`` and
the exit status is 1.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from fuzz import HARNESSES

_RUNS = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
_ARTIFACT = re.compile(r"Test unit written to (\S+)")


@dataclass(frozen=True)
class Outcome:
    """What one harness's run did."""

    name: str
    runs: int
    seconds: float
    findings: list[str]
    output: str

    @property
    def clean(self) -> bool:
        return not self.findings


def run(name: str, seconds: int, seed: int | None = None, corpus: Path | None = None) -> Outcome:
    """Fuzz harness *name* for *seconds*; *corpus*: keep what it learns there (None: forget)."""
    module = importlib.import_module(f"fuzz.{name}")
    with tempfile.TemporaryDirectory(prefix=f"fuzz-{name}-") as scratch:
        seeds = Path(scratch) / "seeds"
        seeds.mkdir()
        for number, data in enumerate(module.seeds()):
            (seeds / f"seed-{number:03d}").write_bytes(data)
        kept = (corpus / name / "corpus") if corpus else Path(scratch) / "corpus"
        findings = (corpus / name / "findings") if corpus else Path(scratch) / "findings"
        kept.mkdir(parents=True, exist_ok=True)
        findings.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "fuzz.engine",
            name,
            f"-max_total_time={seconds}",
            f"-timeout={module.TIME_BOUND}",
            f"-max_len={module.MAX_LEN}",
            "-rss_limit_mb=2048",
            "-print_final_stats=1",
            f"-artifact_prefix={findings}/",
            str(kept),
            str(seeds),
        ]
        if seed is not None:
            command.insert(4, f"-seed={seed}")
        started = time.monotonic()
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            errors="replace",
            cwd=Path(__file__).resolve().parent.parent,
            env={**os.environ, "PYTHONHASHSEED": "0"},
            check=False,
        )
        output = done.stdout + done.stderr
        runs = sum(int(n) for n in _RUNS.findall(output))
        found = _ARTIFACT.findall(output)
        if done.returncode != 0 and not found:
            found = [f"exit status {done.returncode}"]
        return Outcome(name, runs, time.monotonic() - started, found, output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(HARNESSES))
    parser.add_argument("--seconds", type=int, default=60, help="per harness (default 60)")
    parser.add_argument("--seed", type=int, default=None, help="libFuzzer's random seed")
    parser.add_argument("--corpus", type=Path, default=Path(".fuzz"), help="default .fuzz/")
    args = parser.parse_args(argv)
    if unknown := [name for name in args.names if name not in HARNESSES]:
        parser.error(f"no harness {', '.join(unknown)}; there are {', '.join(HARNESSES)}")
    failed = False
    for name in args.names or HARNESSES:
        outcome = run(name, args.seconds, args.seed, args.corpus.resolve())
        verdict = "no finding" if outcome.clean else "FOUND " + ", ".join(outcome.findings)
        print(f"{name}: {outcome.runs} inputs in {outcome.seconds:.0f} s, {verdict}", flush=True)
        if not outcome.clean:
            failed = True
            print(outcome.output[-6000:], file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
