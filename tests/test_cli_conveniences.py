"""What makes the command line easy to use: ``-h``, "did you mean", shell completion."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from jmb.cli import app
from jmb.repo.records import closest_numbers


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


@pytest.fixture
def pfcc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An office numbering PFCC/2026/001, with decisions 001 and 002 of 2026."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "jmb.toml").write_text(
        '[numbering]\npattern = "PFCC/{year}/{seq:03d}"\n', encoding="utf-8"
    )
    for title in ("Estates", "Fleet"):
        result = CliRunner().invoke(app, ["new", "--title", title, "--date", "2026-05-01"])
        assert result.exit_code == 0, result.output
    return tmp_path


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("2026/001", "; did you mean 'PFCC/2026/001'?"),
        ("PFCC/2026/1", "; did you mean 'PFCC/2026/001'?"),
        ("pfcc/2026/002", "; did you mean 'PFCC/2026/002'?"),
        ("PFCC/2026/00", "; did you mean 'PFCC/2026/001' or 'PFCC/2026/002'?"),
        ("2027/5", ""),
    ],
)
def test_an_unknown_number_gets_the_closest_numbers(pfcc: Path, typed: str, hint: str) -> None:
    result = CliRunner().invoke(app, ["render", typed, "--draft"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"jmb: no record is numbered {typed!r} under records{hint}\n"


def test_closest_numbers_puts_the_same_figures_first_and_stops_at_three() -> None:
    numbers = ["2019/09", "2019/19", "2019/90", "2019/99", "2020/09"]
    assert closest_numbers("2019/9", numbers) == ["2019/09", "2019/19", "2019/90"]
    assert closest_numbers("2019/09", ["2019/90"]) == ["2019/90"]  # neighbours swapped
    assert closest_numbers("estates", numbers) == []


def complete(cwd: Path, words: str, shell: str = "bash") -> list[str]:
    """What jmb's shell completion offers for the command line ``words`` (the last word is being
    typed), as the completion script installed by ``jmb --install-completion`` asks for it."""
    environment = {**os.environ, "_JMB_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        environment |= {"COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    else:
        environment |= {"_TYPER_COMPLETE_ARGS": words}
    run = subprocess.run(
        [sys.executable, "-m", "jmb"],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (run.returncode, run.stderr) == (0, "")
    return [line for line in run.stdout.splitlines() if line]  # bash: an empty line for none


def test_completion_offers_decision_numbers_and_roles(pfcc: Path) -> None:
    assert complete(pfcc, "jmb render PFCC/2026/00") == ["PFCC/2026/001", "PFCC/2026/002"]
    assert complete(pfcc, "jmb sign PFCC/2026/002") == ["PFCC/2026/002"]
    assert complete(pfcc, "jmb status PF") == ["PFCC/2026/001", "PFCC/2026/002"]
    assert complete(pfcc, "jmb verify X") == []
    zsh = complete(pfcc, "jmb sign PFCC/2026/001 --role Ch", shell="zsh")
    assert zsh == ["_arguments '*: :((\"Chief Constable\"))'"]


def test_completion_of_a_broken_repository_offers_nothing_and_fails_nothing(pfcc: Path) -> None:
    (pfcc / "jmb.toml").write_text("[numbering\n", encoding="utf-8")
    assert complete(pfcc, "jmb render PF") == []
    assert complete(pfcc, "jmb sign 1 --role Ch", shell="zsh") == ["_files"]


def test_install_completion_is_offered() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout


def test_a_number_with_a_control_character_is_not_offered(pfcc: Path) -> None:
    hostile = pfcc / "records/2026/2026-09-x.yaml"
    hostile.write_text('jmb: 1\nnumber: "PFCC/2026/009\\nrm -rf ~"\n', encoding="utf-8")
    assert complete(pfcc, "jmb render PFCC/2026/00") == ["PFCC/2026/001", "PFCC/2026/002"]
