"""Every input the fuzzer kept (``tests/fuzz/corpus/``) is read and checked without an exception.

``make fuzz`` runs the fuzz target for a while and adds what it finds to the corpus; this test replays
the corpus in every run, so a crash found once stays fixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.records import check_bytes

CORPUS = Path(__file__).parent / "fuzz" / "corpus"


@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()), ids=lambda path: path.name)
def test_a_corpus_input_gives_findings_not_an_exception(path: Path) -> None:
    findings = check_bytes(path.read_bytes())
    assert all(finding.split()[1].startswith("JMB") for finding in findings)
