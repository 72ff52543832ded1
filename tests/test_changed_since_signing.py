"""Issue 11: JMB406 names the fields changed since signing when git holds the version signed.

The record is signed (its digests are the content's), committed to a temporary git repository, then
edited: ``jmb validate`` names the fields that differ from the committed version whose digest is the
signature's, never their text (Part 2's least of all). Without git, or outside a repository, it says
it cannot tell.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from jmb.record.canonical import content_digest
from jmb.record.document import MAX_BYTES, Document, parse_text
from jmb.repo.git_history import changed_fields, file_versions
from tests.conftest import ROOT
from tests.signing_support import RECORD, git, invoke

#: A submitted record with two signatures whose digests are its content's.
SIGNED_CASE = ROOT / "tests/cases/JMB406/quiet-comment-indentation-and-quotes-changed"
OLD_DIGEST = "sha256:73cc3eba30aef3a4bd80ad7039f326c6c68034e6eec4832445679f9af9312c5b"
#: Words of the Part 2 text, signed and edited: never in any output.
SECRET_SIGNED = "tender from Contoso Supplies at 412,000 pounds"
SECRET_NOW = "tender from Fabrikam Services at 398,500 pounds"
PART2 = f"""part2:
  marking: OFFICIAL-SENSITIVE
  exemption: s.43 commercial interests
  review_on: 2021-06-12
  sections:
    - heading: Commercial terms
      text: |
        The {SECRET_SIGNED}.
"""

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def signed_text() -> str:
    """The case's record with a Part 2, its digests set to its content's, as jmb sign sets them."""
    text = (SIGNED_CASE / RECORD).read_text(encoding="utf-8").replace("part2: null\n", PART2)
    document = Document(path=str(RECORD), text=text)
    parse_text(document)
    assert isinstance(document.data, dict)
    return text.replace(OLD_DIGEST, content_digest(document.data))


def edited(text: str) -> str:
    """``text`` with its title, its financial implications and its Part 2 text changed."""
    changed = (
        text.replace("title: Single Online Home\n", "title: Single Online Home (revised)\n")
        .replace("from the existing budget.", "from the reserves.")
        .replace(SECRET_SIGNED, SECRET_NOW)
    )
    assert changed.count("\n") == text.count("\n")
    return changed


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the signed record, as the current folder (not yet a git repository)."""
    root = tmp_path / "office"
    (root / RECORD).parent.mkdir(parents=True)
    (root / RECORD).write_text(signed_text(), encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.delenv("GIT_CEILING_DIRECTORIES", raising=False)
    return root


def commit(root: Path, message: str) -> None:
    git(root, "add", "--", str(RECORD))
    git(root, "commit", "-q", "-m", message)


def findings_406(output: str) -> list[str]:
    return [line for line in output.splitlines() if " JMB406 " in line]


def test_the_signed_record_checks_out(repo: Path) -> None:
    code, out, _ = invoke("validate")
    assert findings_406(out) == []
    assert code == 0, out


@needs_git
def test_the_fields_changed_since_the_committed_signed_version_are_named(repo: Path) -> None:
    git(repo, "init", "-q")
    commit(repo, "Signed")
    (repo / RECORD).write_text(edited(signed_text()), encoding="utf-8")
    commit(repo, "Edited after signing")  # the signed version is no longer the newest
    (repo / RECORD).write_text(
        edited(signed_text()).replace("report_by: Ian Dickinson", "report_by: I. Dickinson"),
        encoding="utf-8",
    )
    code, out, err = invoke("validate")
    assert code == 1
    changed = (
        "changed since signing: title, report_by, implications.financial, part2.sections[0].text"
    )
    text_now = repo.joinpath(RECORD).read_text(encoding="utf-8")
    digest_lines = [
        number for number, line in enumerate(text_now.splitlines(), 1) if "    digest: " in line
    ]
    assert [line.partition(": error ")[0] for line in findings_406(out)] == [
        f"{RECORD}:{number}:13" for number in digest_lines
    ]
    assert [line.partition(".digest: ")[2] for line in findings_406(out)] == [
        f"the content was edited after the Police and Crime Commissioner's signature of "
        f"2019-06-20: {changed}; the text signed had digest {short_digest(signed_text())}, the "
        f"text now has {short_digest(repo.joinpath(RECORD).read_text(encoding='utf-8'))}",
        f"the content was edited after the Monitoring Officer's signature of 2019-06-20: "
        f"{changed}; the text signed had digest {short_digest(signed_text())}, the text now has "
        f"{short_digest(repo.joinpath(RECORD).read_text(encoding='utf-8'))}",
    ]
    for secret in (SECRET_SIGNED, SECRET_NOW, "Contoso", "Fabrikam", "reserves", "revised"):
        assert secret not in out + err


@needs_git
def test_a_record_in_a_subfolder_of_the_git_repository_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The decision repository need not be the top of the git work tree."""
    top = tmp_path / "council"
    office = top / "decisions"
    (office / RECORD).parent.mkdir(parents=True)
    (office / RECORD).write_text(signed_text(), encoding="utf-8")
    (office / "jmb.toml").write_text("", encoding="utf-8")
    git(top, "init", "-q")
    git(top, "add", "--", "decisions")
    git(top, "commit", "-q", "-m", "Signed")
    (office / RECORD).write_text(edited(signed_text()), encoding="utf-8")
    monkeypatch.chdir(office)
    monkeypatch.delenv("GIT_CEILING_DIRECTORIES", raising=False)
    code, out, _ = invoke("validate")
    assert code == 1
    assert all(
        "changed since signing: title, implications.financial, part2.sections[0].text;" in line
        for line in findings_406(out)
    )
    assert len(findings_406(out)) == 2


@needs_git
def test_without_the_signed_version_in_git_it_cannot_tell(repo: Path) -> None:
    """Committed only after the edit: no version in the history has the signed digest."""
    (repo / RECORD).write_text(edited(signed_text()), encoding="utf-8")
    git(repo, "init", "-q")
    commit(repo, "Edited before the first commit")
    code, out, _ = invoke("validate")
    assert code == 1
    lines = findings_406(out)
    assert len(lines) == 2
    assert all(
        "jmb cannot tell which fields changed (the signed version is not in the repository's "
        "git history); the text signed had digest" in line
        for line in lines
    )


def test_outside_a_git_repository_it_cannot_tell(repo: Path) -> None:
    (repo / RECORD).write_text(edited(signed_text()), encoding="utf-8")
    code, out, _ = invoke("validate")
    assert code == 1
    assert len(findings_406(out)) == 2
    assert all("jmb cannot tell which fields changed" in line for line in findings_406(out))


@needs_git
def test_without_a_git_program_it_cannot_tell(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    git(repo, "init", "-q")
    commit(repo, "Signed")
    (repo / RECORD).write_text(edited(signed_text()), encoding="utf-8")
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, out, _ = invoke("validate")
    assert code == 1
    assert len(findings_406(out)) == 2
    assert all("jmb cannot tell which fields changed" in line for line in findings_406(out))


@pytest.fixture
def count_commands(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[object]]:
    """Call it once the test's own git commands are done: from then on, every command jmb runs
    (git's, as jmb runs no other) is listed in the list it returns, in order, and still runs."""

    def start() -> list[object]:
        calls: list[object] = []
        real_run = subprocess.run

        def counting_run(*args: object, **kwargs: object) -> object:
            calls.append(args)
            return real_run(*args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(subprocess, "run", counting_run)
        return calls

    return start


@needs_git
def test_a_record_that_checks_out_asks_nothing_of_git(
    repo: Path, count_commands: Callable[[], list[object]]
) -> None:
    """Git is asked only about a record whose digest does not match: validate stays fast."""
    git(repo, "init", "-q")
    commit(repo, "Signed")
    calls = count_commands()
    code, out, _ = invoke("validate")
    assert code == 0, out
    assert calls == []


@needs_git
def test_a_file_name_that_looks_like_an_option_or_a_pathspec_is_only_a_path(
    tmp_path: Path,
) -> None:
    """Fixed argument lists with ``--`` and literal pathspecs: a hostile name is just a name."""
    root = tmp_path / "office"
    root.mkdir()
    for name in ("--output=x", ":(glob)*"):
        (root / name).write_text("jmb: 1\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "--", ".")
    git(root, "commit", "-q", "-m", "Odd names")
    (root / "other").write_text("other\n", encoding="utf-8")
    for name in ("--output=x", ":(glob)*"):
        assert list(file_versions(root, root / name)) == [b"jmb: 1\n"]
    assert not (root / "x").exists()


def test_changed_fields_name_paths_in_the_records_order_and_withhold_part2_keys() -> None:
    signed = {
        "title": "A",
        "implications": {"legal": "x", "financial": "y"},
        "recommendation": {"items": ["a", "b"]},
        "part2": {"sections": [{"heading": "H", "text": "T"}], "Secret supplier": "S"},
        "gone": 1,
    }
    current = {
        "title": "B",
        "implications": {"legal": "x", "financial": "z"},
        "recommendation": {"items": ["a", "b", "c"]},
        "part2": {"sections": [{"heading": "H", "text": "U"}], "Secret supplier": "R"},
        "number": 1.0,
    }
    assert changed_fields(signed, current) == [
        "title",
        "implications.financial",
        "recommendation.items",
        "part2.sections[0].text",
        "part2.(key not shown)",
        "number",
        "gone",
    ]
    assert changed_fields({"n": 1}, {"n": 1.0}) == ["n"]
    assert changed_fields({"n": True}, {"n": 1}) == ["n"]
    assert changed_fields(signed, signed) == []


def short_digest(text: str) -> str:
    document = Document(path=str(RECORD), text=text)
    parse_text(document)
    assert isinstance(document.data, dict)
    return content_digest(document.data)[:19] + "…"


@needs_git
def test_a_committed_version_larger_than_a_record_is_passed_over(repo: Path) -> None:
    """A version too large to be a record is never read into memory; older ones still count."""
    git(repo, "init", "-q")
    commit(repo, "Signed")
    (repo / RECORD).write_bytes(b"# padding\n" * (MAX_BYTES // 10 + 1))
    commit(repo, "A huge version")
    (repo / RECORD).write_text(edited(signed_text()), encoding="utf-8")
    assert [len(version) for version in file_versions(repo, repo / RECORD)] == [
        len(signed_text().encode("utf-8"))
    ]
    _, out, _ = invoke("validate")
    assert all(
        "changed since signing: title, implications.financial, part2.sections[0].text;" in line
        for line in findings_406(out)
    )


@needs_git
def test_the_history_is_walked_once_however_many_signatures_a_record_has(
    repo: Path, count_commands: Callable[[], list[object]]
) -> None:
    """Each signature whose digest differs walked the whole history again (two git commands a
    version): 30 signatures with digests found nowhere on a record of 120 versions took 26 s to
    validate, and jmb serve spent that again on every look at the record."""
    git(repo, "init", "-q")
    commit(repo, "Signed")
    for version in range(1, 4):
        text = edited(signed_text()).replace("(revised)", f"(revision {version})")
        (repo / RECORD).write_text(text, encoding="utf-8")
        commit(repo, f"Revision {version}")
    unknown = "".join(
        "  - role: Monitoring Officer\n    name: Jo Turner\n    date: 2019-06-20\n"
        f"    digest: sha256:{index:064x}\n"
        for index in range(1, 21)
    )
    (repo / RECORD).write_text(text + unknown, encoding="utf-8")
    calls = count_commands()
    code, out, _ = invoke("validate")
    assert code == 1
    said = [line.partition(".digest: ")[2] for line in findings_406(out)]
    assert len(said) == 22
    changed = "changed since signing: title, implications.financial, part2.sections[0].text"
    assert [changed in line for line in said] == [True, True] + [False] * 20
    assert all("jmb cannot tell which fields changed" in line for line in said[2:])
    # One git log, and the size and content of each of the four committed versions.
    assert len(calls) == 1 + 2 * 4
