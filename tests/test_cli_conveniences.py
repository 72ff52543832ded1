"""What makes the command line easy to use: ``-h``, "did you mean", shell completion."""

from __future__ import annotations

import typer.main
from typer.testing import CliRunner

from jmb.cli import app


def command_paths() -> list[list[str]]:
    """Every command of jmb, as the words that run it (``["keys", "new"]``), and jmb itself."""
    paths: list[list[str]] = [[]]
    group = typer.main.get_command(app)
    pending = [([name], command) for name, command in group.commands.items()]  # type: ignore[attr-defined]
    while pending:
        words, command = pending.pop()
        paths.append(words)
        for name, sub in getattr(command, "commands", {}).items():
            pending.append(([*words, name], sub))
    return sorted(paths)


def test_dash_h_is_help_on_every_command() -> None:
    paths = command_paths()
    assert ["init"] in paths and ["keys", "new"] in paths and ["validate"] in paths
    for words in paths:
        short = CliRunner().invoke(app, [*words, "-h"])
        long = CliRunner().invoke(app, [*words, "--help"])
        assert short.exit_code == 0, (words, short.output)
        assert short.stdout == long.stdout, words
        assert "-h, --help" in short.stdout, words
