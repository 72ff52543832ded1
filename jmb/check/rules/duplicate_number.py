"""Two records carry the same decision number.

A decision number identifies one decision for ever: in minutes, on the website, in FOI answers. Each
copy is reported, naming the other files. ``jmb new`` never allocates a number in use.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from jmb.core.findings import Finding, Severity

ID = "JMB306"
NAME = "duplicate-number"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "repository"
SUPPRESSIBLE = True


@dataclass(frozen=True, slots=True)
class NumberUse:
    """Where one record states its number."""

    number: str
    path: str
    line: int
    column: int


def check_repository(uses: list[NumberUse], others: Sequence[NumberUse] = ()) -> Iterator[Finding]:
    """Report every checked record (``uses``) whose number another record also has, checked or
    not (``others``: the repository's records outside this run)."""
    by_number: dict[str, list[NumberUse]] = {}
    for use in (*uses, *others):
        by_number.setdefault(use.number, []).append(use)
    for use in uses:
        same = by_number[use.number]
        if len(same) < 2:
            continue
        others_named = ", ".join(sorted(other.path for other in same if other is not use))
        yield Finding(
            use.path,
            use.line,
            use.column,
            ID,
            SEVERITY,
            "number",
            f"{use.number!r} is also the number of {others_named}",
        )
