"""The shape of the package: its layers, what each layer says of itself, and where Part 2 is read.

The layers run upward: core < record < repo < check < {sign, render} < {publish, ingest, serve} < cli.
Who may import whom is written as import contracts in ``pyproject.toml`` and checked by lint-imports;
the tests here run it and check what it cannot see (imports hidden in functions, reads of Part 2).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "jmb"

#: The layers of jmb, lowest first. A package found under jmb/ is checked whether listed or not.
LAYERS = ("core", "record", "repo", "check", "sign", "render", "cli")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT).as_posix()}:{getattr(node, 'lineno', '?')}"


def _subpackages() -> list[str]:
    """Every folder of jmb/ with Python modules in it, whether it has an ``__init__.py`` or not."""
    found = {path.name for path in PACKAGE.iterdir() if path.is_dir() and any(path.glob("*.py"))}
    return sorted(found | set(LAYERS))


def test_import_contracts_hold() -> None:
    """``lint-imports`` finds no import that breaks the layers (the contracts in pyproject.toml)."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    assert lint_imports.exists(), (
        f"{lint_imports} is missing: install the dev extra, pip install -e '.[dev]'"
    )
    # No cache: a cached graph keeps the imports a module had before its target package existed.
    run = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"lint-imports exited {run.returncode}:\n{run.stdout}\n{run.stderr}"


@pytest.mark.parametrize("name", _subpackages())
def test_each_layer_says_what_it_owns_and_never_imports(name: str) -> None:
    """A layer's ``__init__.py`` says what the layer owns and what it must never import."""
    init = PACKAGE / name / "__init__.py"
    if not init.exists():
        pytest.skip(f"jmb/{name}/ has no __init__.py yet, so lint-imports cannot see it either")
    docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    assert docstring, f"jmb/{name}/__init__.py has no docstring saying what the package owns"
    assert "never" in docstring.lower(), (
        f"the docstring of jmb/{name}/__init__.py does not say what it must never import"
    )


def _function_local_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement inside a function body, at any depth."""

    def visit(node: ast.AST, in_function: bool) -> Iterator[ast.Import | ast.ImportFrom]:
        for child in ast.iter_child_nodes(node):
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                yield child
            is_function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            yield from visit(child, in_function or is_function)

    yield from visit(tree, False)


def _imports_jmb(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        return node.level > 0 or module == "jmb" or module.startswith("jmb.")
    return any(alias.name == "jmb" or alias.name.startswith("jmb.") for alias in node.names)


def test_no_function_local_imports_of_jmb_modules() -> None:
    """jmb's own modules are imported at the top of a module, where lint-imports and a reader see
    them; an import hidden in a function is how an import cycle hides. The command line (which keeps
    start-up fast by importing each command's core when it runs) and the lazy root module are exempt.
    """
    exempt = {PACKAGE / "__init__.py"}
    found = [
        f"{_where(path, node)}: {ast.unparse(node)}"
        for path in _modules()
        if path not in exempt and not path.is_relative_to(PACKAGE / "cli")
        for node in _function_local_imports(ast.parse(path.read_text(encoding="utf-8")))
        if _imports_jmb(node)
    ]
    assert not found, "jmb modules imported inside a function:\n" + "\n".join(found)


def _reads_part2(path: Path) -> bool:
    """Whether ``path`` is one of the modules allowed to read Part 2 content."""
    relative = path.relative_to(ROOT).as_posix()
    if relative in {"jmb/record/model.py", "jmb/render/part2.py", "jmb/check/rules/base.py"}:
        return True
    return path.parent == PACKAGE / "check" / "rules" and path.name.startswith("part2_")


def test_part2_content_is_read_only_where_it_is_allowed() -> None:
    """Part 2 of a decision is confidential. Its content is read by the model that defines it, by
    the module that renders it and by the rules that check it, and nowhere else: every ``.part2`` and
    every ``"part2"`` elsewhere is a place where it could reach a public output."""
    found = [
        f"{_where(path, node)}: {ast.unparse(node)}"
        for path in _modules()
        if not _reads_part2(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.Attribute) and node.attr == "part2")
        or (isinstance(node, ast.Constant) and node.value == "part2")
    ]
    assert not found, "Part 2 read outside the modules allowed to read it:\n" + "\n".join(found)
