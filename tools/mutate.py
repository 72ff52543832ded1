"""Run mutmut as ``make mutate`` does: mutmut's own command line, with one step done faster.

Usage: ``python tools/mutate.py run --max-children 2`` (any ``mutmut`` command and options).

mutmut runs mypy over its mutated copy of jmb, and then finds, for each file mypy complained of,
which mutant function each error is in. It reads each such file with libcst and its position
metadata, which copies the whole tree and prints it again to count lines and columns: on jmb's
46 such files (7 MB, a copy of each mutated function per mutant) that took 59 s of one core,
before any mutant is tried, against 2 s for this module (mypy included, its cache warm): Python's
``ast`` gives every function's first and last line at once. Measured on 30 November 2026, one run
after the other on the quiet 2-core machine, with the same 3,718 mutants and the same results:
``make mutate`` 7 min 33 s with this module, ``mutmut run`` alone 9 min 0 s.

:func:`mutants_rejected_by_type_checker` gives the same answer as mutmut's
``filter_mutants_with_type_checker`` (``tests/test_mutation_score.py`` compares them on a file
of mutants), and is put in its place before mutmut's command line runs. mutmut's version is
pinned (the ``mutate`` and ``dev`` extras), and a release that changes the function is caught by
that comparison, not left to differ quietly.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import mutmut.__main__ as mutmut_main
from mutmut.configuration import config
from mutmut.mutation.file_mutation import (
    FailedTypeCheckMutant,
    MutatedMethodLocation,
    group_by_path,
)
from mutmut.type_checking import run_type_checker
from mutmut.utils.file_utils import change_cwd
from mutmut.utils.format_utils import get_mutant_name, is_mutated_method_name


def mutant_functions(path: Path, source: str) -> list[MutatedMethodLocation]:
    """The mutant functions of ``source`` (mutmut's copies, one per mutant, at the top level of
    the module or of a class), each with the lines from its ``def`` to its last, as mutmut's
    libcst reading has them. A function's own body is not looked into: mutmut puts no mutant in
    one."""
    found: list[MutatedMethodLocation] = []

    def statements(body: list[ast.stmt]) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield node
                continue
            for field in ("body", "orelse", "finalbody"):
                yield from statements(getattr(node, field, []))
            for handler in getattr(node, "handlers", []):
                yield from statements(handler.body)
            for case in getattr(node, "cases", []):
                yield from statements(case.body)

    for function in statements(ast.parse(source, filename=str(path)).body):
        if is_mutated_method_name(function.name):
            end = function.end_lineno if function.end_lineno is not None else function.lineno
            found.append(MutatedMethodLocation(path, function.name, function.lineno, end))
    return found


def mutants_rejected_by_type_checker() -> dict[str, FailedTypeCheckMutant]:
    """The mutants that the type checker mutmut is configured with rejects, by mutant name."""
    with change_cwd(Path("mutants")):
        errors = run_type_checker(config().type_check_command)
        rejected: dict[str, FailedTypeCheckMutant] = {}
        for path, errors_of_file in group_by_path(errors).items():
            functions = mutant_functions(path, path.read_text(encoding="utf-8"))
            if not functions:
                continue  # an error outside mutated code is no mutant's, as for mutmut
            for error in errors_of_file:
                function = next(
                    (
                        found
                        for found in functions
                        if found.line_number_start <= error.line_number <= found.line_number_end
                    ),
                    None,
                )
                if function is None:
                    # mutmut stops here too: an error outside every mutant means the mutation
                    # changed types somewhere else, and the results could not be trusted.
                    raise SystemExit(
                        f"mutate: {path}:{error.line_number}: a type error in no mutant "
                        f"({error.error_description})"
                    )
                name = get_mutant_name(path.relative_to(Path().absolute()), function.function_name)
                rejected[name] = FailedTypeCheckMutant(function, name, error)
        return rejected


if __name__ == "__main__":
    mutmut_main.filter_mutants_with_type_checker = mutants_rejected_by_type_checker
    sys.argv[0] = "mutmut"
    sys.exit(mutmut_main.cli())
