"""What the tests of signing, keys and the lifecycle share: a clean copy of the bundled example."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jmb.cli import app
from tests.conftest import ROOT

EXAMPLE = (ROOT / "records/2019/2019-09-single-online-home.yaml").read_text(encoding="utf-8")
RECORD = Path("records/2019/2019-09-single-online-home.yaml")
PCC, CC, MO = "Police and Crime Commissioner", "Chief Constable", "Monitoring Officer"
#: A passphrase for the tests' keys, distinctive enough to search every output and file for.
PASSPHRASE = "tests-only passphrase 7Qz!"


def clean_example() -> str:
    """The bundled example with its errors put right (its warnings stay) and its three blank
    signature lines kept: a record fit to sign."""
    text = EXAMPLE.replace("Appendix A", "the national clarification")
    text = text.replace("\n    What are the financial implications of on boarding SOH\n", "\n")
    return text.replace(
        "background_papers: []",
        "background_papers:\n  - title: National clarification of concerns, May 2019",
    )


def write_repo(root: Path, text: str | None = None) -> Path:
    """A decision repository at ``root`` holding one record (default: :func:`clean_example`)."""
    path = root / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(clean_example() if text is None else text, encoding="utf-8")
    return path


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run ``jmb`` in-process: exit code, stdout, stderr."""
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def tree_bytes(root: Path) -> bytes:
    """Every file under ``root``, concatenated: for searching a repository for a secret."""
    return b"".join(path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file())


def isolate_keys(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Private keys of the test go to ``home``, and no passphrase comes from outside."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.delenv("JMB_KEY_PASSPHRASE", raising=False)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding the clean example, as the current folder (tests that need another
    layout define their own ``repo``)."""
    write_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def keyed_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The clean example in ``tmp_path/repo``, as the current folder; private keys made by the test
    go to ``tmp_path/home``, outside it."""
    root = tmp_path / "repo"
    write_repo(root)
    monkeypatch.chdir(root)
    isolate_keys(monkeypatch, tmp_path / "home")
    return root


#: A git identity and no user or system configuration, for the repositories tests make.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *arguments: str) -> None:
    """Run ``git ARGUMENTS`` in ``root`` with :data:`GIT_ENV`; a failure fails the test."""
    subprocess.run(
        ["git", *arguments],
        cwd=root,
        check=True,
        capture_output=True,
        env={**os.environ, **GIT_ENV},
    )
