"""Where Part 2 is written (issue 8, item 7): always into a private ``confidential/`` folder under
whatever ``--out`` says (0700, narrowed if wider), each file 0600 and written atomically, and never
through a link.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.signing_support import invoke

RECORD = Path("records/2019/2019-09-single-online-home.yaml")
APPROVED = ROOT / "tests" / "fixtures" / "approved-with-part2.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the approved record with a Part 2, as the current folder."""
    (tmp_path / RECORD).parent.mkdir(parents=True)
    (tmp_path / RECORD).write_text(APPROVED.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def files_under(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


# -- item 7: Part 2 files --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "md", "docx", "pdf"])
def test_part2_goes_into_a_private_confidential_folder_under_out(repo: Path, fmt: str) -> None:
    code, out, err = invoke("render", "2019/09", "--part", "2", "--out", "site", "-f", fmt)
    assert (code, out, err) == (0, f"site/confidential/2019-09-part2.{fmt}\n", "")
    assert files_under(repo / "site") == [f"confidential/2019-09-part2.{fmt}"]
    assert mode(repo / "site/confidential") == 0o700
    assert mode(repo / f"site/confidential/2019-09-part2.{fmt}") == 0o600


def test_by_default_into_build_confidential_and_part1_stays_ordinary(repo: Path) -> None:
    os.umask(0o022)
    assert invoke("render", "2019/09", "--part", "2")[:2] == (
        0,
        "build/confidential/2019-09-part2.html\n",
    )
    assert invoke("render", "2019/09")[:2] == (0, "build/2019-09-part1.html\n")
    assert mode(repo / "build/confidential") == 0o700
    assert mode(repo / "build/confidential/2019-09-part2.html") == 0o600
    assert mode(repo / "build/2019-09-part1.html") == 0o644


def test_wider_rights_are_narrowed(repo: Path) -> None:
    (repo / "site/confidential").mkdir(parents=True)
    (repo / "site/confidential").chmod(0o755)
    (repo / "site/confidential/2019-09-part2.html").write_text("old")
    (repo / "site/confidential/2019-09-part2.html").chmod(0o644)
    assert invoke("render", "2019/09", "--part", "2", "--out", "site")[0] == 0
    assert mode(repo / "site/confidential") == 0o700
    assert mode(repo / "site/confidential/2019-09-part2.html") == 0o600
    assert "OFFICIAL-SENSITIVE" in (repo / "site/confidential/2019-09-part2.html").read_text()
    assert files_under(repo / "site") == ["confidential/2019-09-part2.html"]  # no .tmp left


def test_a_linked_confidential_folder_is_refused(repo: Path) -> None:
    """A link could lead Part 2 into the public folder itself (here: site/confidential -> site)."""
    (repo / "site").mkdir()
    (repo / "site/confidential").symlink_to(repo / "site")
    code, out, err = invoke("render", "2019/09", "--part", "2", "--out", "site")
    assert (code, out) == (1, "")
    assert err == (
        "jmb: site/confidential is a symbolic link; Part 2 is written only into a real folder: "
        "remove the link, or choose another --out\n"
    )
    assert files_under(repo / "site") == []


def test_a_confidential_file_is_refused(repo: Path) -> None:
    (repo / "site").mkdir()
    (repo / "site/confidential").write_text("a file")
    code, out, err = invoke("render", "2019/09", "--part", "2", "--out", "site")
    assert (code, out, err) == (
        1,
        "",
        "jmb: site/confidential is not a folder; Part 2 is written into site/confidential/\n",
    )
    assert (repo / "site/confidential").read_text() == "a file"
