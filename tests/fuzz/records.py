#!/usr/bin/env python
"""Fuzz target: random bytes as a record file, through the reader and every rule.

Run it with ``make fuzz`` (atheris, libFuzzer's engine for Python, for a bounded time); what it finds
that crashed is kept under ``tests/fuzz/corpus/`` and replayed by ``tests/test_fuzz_corpus.py`` in
every test run. The invariant is the project's: no input takes down a run, so every byte string read
as a record gives findings, never an exception.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

#: One folder for every input: a fresh repository each time would cost more than the check.
WORKSPACE = Path(tempfile.mkdtemp(prefix="jmb-fuzz-"))
RECORD = WORKSPACE / "records" / "2019" / "2019-09-fuzz.yaml"
TODAY = date(2026, 11, 30)


def check_bytes(data: bytes) -> list[str]:
    """Every finding of the record whose file holds ``data``, as text (raises only on a bug)."""
    from jmb.check.engine import check_file
    from jmb.repo.config import Config

    RECORD.parent.mkdir(parents=True, exist_ok=True)
    RECORD.write_bytes(data)
    result = check_file(RECORD, Config(root=WORKSPACE), TODAY)
    return [f"{finding.line}:{finding.column} {finding.code}" for finding in result.findings]


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["jmb", "yaml"]):
        import jmb.check.engine  # noqa: F401  (instrumented for coverage-guided fuzzing)

    atheris.Setup(sys.argv, check_bytes)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
