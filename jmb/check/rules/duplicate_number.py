"""Two records carry the same decision number, or numbers that make the same file name.

A decision number identifies one decision for ever: in minutes, on the website, in FOI answers. Numbers
are compared by what they mean: two numbers that fit the pattern are the same when their year and
sequence are (``2019/009`` is ``2019/09``), and numbers off the pattern by their text. Two records whose
numbers make the same file name (``2019/09`` and ``2019-09`` both make ``2019-09``) are reported too:
their rendered outputs would overwrite each other. Each copy is reported, naming the other files.
``jmb new`` never allocates a number in use, and ``jmb render`` never writes two records to one file.
Cannot be silenced: a comment in one record cannot make another record's number its own (the check
runs across records, after each record's suppression comments have had their say).
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from jmb.core.findings import Finding, Severity
from jmb.repo.numbering import NumberPattern, ParsedNumber, number_stem

ID = "JMB306"
NAME = "duplicate-number"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "repository"
SUPPRESSIBLE = False


@dataclass(frozen=True, slots=True)
class NumberUse:
    """Where one record states its number."""

    number: str
    path: str
    line: int
    column: int


def check_repository(
    uses: list[NumberUse], others: Sequence[NumberUse], pattern: NumberPattern
) -> Iterator[Finding]:
    """Report every checked record (``uses``) whose number another record also has, in any
    spelling that ``pattern`` reads as the same year and sequence, or whose number makes the same
    file name, checked or not (``others``: the repository's records outside this run)."""
    every = (*uses, *others)
    # By position in ``every``: hashing the uses themselves costs more than the whole check.
    identities = [pattern.identity(use.number) for use in every]
    stems = [number_stem(use.number) for use in every]
    by_identity: dict[ParsedNumber | str, list[int]] = {}
    by_stem: dict[str, list[int]] = {}
    for index in range(len(every)):
        by_identity.setdefault(identities[index], []).append(index)
        by_stem.setdefault(stems[index], []).append(index)
    for index, use in enumerate(uses):
        same = by_identity[identities[index]]
        same_file = by_stem[stems[index]]
        if len(same) < 2 and len(same_file) < 2:
            continue
        others_same = [every[other] for other in same if other != index]
        spelled_alike = sorted(other.path for other in others_same if other.number == use.number)
        spelled_otherwise = sorted(
            (other.path, other.number) for other in others_same if other.number != use.number
        )
        file_alike = sorted(
            (every[other].path, every[other].number)
            for other in same_file
            if identities[other] != identities[index]
        )
        clauses = []
        if spelled_alike:
            clauses.append("is also the number of " + ", ".join(spelled_alike))
        if spelled_otherwise:
            clauses.append("is the same number as " + _named(spelled_otherwise))
        if file_alike:
            clauses.append(
                f"makes the same file name, {stems[index]}, as {_named(file_alike)} "
                "(their outputs would overwrite each other)"
            )
        yield Finding(
            use.path,
            use.line,
            use.column,
            ID,
            SEVERITY,
            "number",
            f"{use.number!r} " + "; it ".join(clauses),
        )


def _named(numbers: list[tuple[str, str]]) -> str:
    return ", ".join(f"{number!r} of {path}" for path, number in numbers)
