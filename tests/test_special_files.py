"""Files a repository controls are read safely: a FIFO, a link to /dev/zero or out of the repository,
a folder that cannot be read (issue 8, items 10 and 18).

Each command runs in its own process with a timeout, so that a hang fails the test instead of
hanging the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from jmb.check.engine import validate
from jmb.core.files import FileTooLargeError, NotRegularFileError, read_regular_file
from jmb.repo.config import Config
from jmb.repo.records import number_lines
from tests.conftest import TODAY
from tests.signing_support import RECORD, write_repo

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")

FIFO = "records/2019/2019-10-fifo.yaml"
ZERO = "records/2019/2019-11-zero.yaml"


def jmb(root: Path, *args: str) -> tuple[int, str, str]:
    """``python -m jmb ARGS`` in ``root``, in its own process, given 60 seconds."""
    environment = {
        key: value for key, value in os.environ.items() if key not in ("GITHUB_ACTIONS", "NO_COLOR")
    }
    done = subprocess.run(
        [sys.executable, "-m", "jmb", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def special(tmp_path: Path) -> Path:
    """The clean example, beside a FIFO and a link to /dev/zero named like records."""
    write_repo(tmp_path)
    (tmp_path / "jmb.toml").write_text(
        "", encoding="utf-8"
    )  # its office's jmb.toml: no notice of the defaults in the stderr compared whole
    os.mkfifo(tmp_path / FIFO)
    (tmp_path / ZERO).symlink_to("/dev/zero")
    return tmp_path


def test_validate_reports_special_files_and_checks_the_rest(special: Path) -> None:
    code, out, err = jmb(special, "validate")
    assert (code, err) == (1, "")
    assert f"{FIFO}:1:1: error JMB002 not a regular file: a FIFO (named pipe)\n" in out
    assert f"{ZERO}:1:1: error JMB002 not a regular file: a character device\n" in out
    assert out.endswith("3 records checked: 2 errors, 3 warnings\n")


def test_validate_of_one_file_reads_every_number_without_hanging(special: Path) -> None:
    code, out, _ = jmb(special, "validate", RECORD)
    assert code == 0
    assert out.endswith("1 record checked: 0 errors, 3 warnings\n")


def test_new_render_and_verify_do_not_hang(special: Path) -> None:
    code, out, err = jmb(
        special, "new", "--title", "Estates", "--date", "2019-12-01", "--report-by", "A. Officer"
    )
    assert (code, out) == (0, "records/2019/2019-10-estates.yaml\n"), err
    code, out, err = jmb(special, "render", "2019/09")
    assert (code, out, err) == (0, "build/2019-09-part1.html\n", "")
    code, out, _ = jmb(special, "verify")
    assert code == 1
    assert f"{FIFO}:1:1: error JMB002 not a regular file: a FIFO (named pipe)" in out


def test_a_link_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    repository = tmp_path / "repository"
    write_repo(repository)
    secret = tmp_path / "ci-secrets.yaml"
    secret.write_text("token: hunter2-very-secret\n")
    (repository / "records/2019/2019-12-link.yaml").symlink_to(secret)
    inside = repository / "records/2019/2019-13-inside.yaml"
    inside.symlink_to(repository / RECORD)
    code, out, _ = jmb(repository, "validate")
    assert code == 1
    assert (
        "records/2019/2019-12-link.yaml:1:1: error JMB002 a link to a file outside the "
        "repository; records are read only from inside it\n"
    ) in out
    assert "hunter2" not in out
    assert "2019-13-inside.yaml:1:1: error JMB002" not in out  # a link inside is read
    assert "2019-13-inside.yaml:" in out  # (and reported as the duplicate it is)


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_special_jmb_toml_is_a_configuration_error(tmp_path: Path, kind: str) -> None:
    write_repo(tmp_path)
    if kind == "fifo":
        os.mkfifo(tmp_path / "jmb.toml")
    else:
        (tmp_path / "jmb.toml").symlink_to("/dev/zero")
    code, out, err = jmb(tmp_path, "validate")
    what = "a FIFO (named pipe)" if kind == "fifo" else "a character device"
    assert (code, out) == (3, "")
    assert (
        err
        == f"jmb: {tmp_path / 'jmb.toml'}: configuration error: cannot read: not a regular file: {what}\n"
    )


def test_a_special_roster_is_an_error_not_a_hang(tmp_path: Path) -> None:
    write_repo(tmp_path)
    os.mkfifo(tmp_path / "signatories.yaml")
    script = (
        "import sys; from pathlib import Path; from jmb.repo.roster import load_roster; "
        "print(load_roster(Path(sys.argv[1])).error)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert (
        done.stdout == "signatories.yaml: cannot be read: not a regular file: a FIFO (named pipe)\n"
    )
    environment = {
        **os.environ,
        "JMB_KEY_PASSPHRASE": "a passphrase",
        "XDG_CONFIG_HOME": str(tmp_path / "home"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "jmb", "keys", "new", "--role", "Chief Constable", "--name", "A"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert done.returncode == 1
    assert "not a regular file: a FIFO (named pipe)" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_special_schema_file_does_not_hang_jmb_new(tmp_path: Path) -> None:
    write_repo(tmp_path)
    (tmp_path / "schemas").mkdir()
    os.mkfifo(tmp_path / "schemas/decision.schema.json")
    code, out, err = jmb(
        tmp_path, "new", "--title", "Estates", "--date", "2019-12-01", "--report-by", "A. Officer"
    )
    assert (code, out) == (0, "records/2019/2019-10-estates.yaml\n"), err
    assert (tmp_path / "schemas/decision.schema.json").is_file()  # replaced by the schema


def test_the_number_scan_skips_special_files(special: Path) -> None:
    assert [found.number for found in number_lines(special / "records")] == ["2019/09"]


def test_read_regular_file_never_reads_more_than_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"x" * 101)
    assert read_regular_file(big, 101) == b"x" * 101
    with pytest.raises(FileTooLargeError, match="101 bytes; at most 100 can be read"):
        read_regular_file(big, 100)
    with pytest.raises(NotRegularFileError, match="not a regular file: a character device"):
        read_regular_file(Path("/dev/zero"), 100)
    with pytest.raises(NotRegularFileError, match="not a regular file: a folder"):
        read_regular_file(tmp_path, 100)


# -- folders that cannot be read (item 18) ---------------------------------------------------------


def test_a_folder_that_cannot_be_listed_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listing fails the same way for root, so the failure is made rather than asked of chmod."""
    write_repo(tmp_path)
    locked = tmp_path / "records" / "2020"
    locked.mkdir()
    (locked / "2020-01-hidden.yaml").write_text("jmb: 1\n")
    real_scandir = os.scandir

    def scandir(path: str | Path) -> Iterator[os.DirEntry[str]]:
        if Path(path).absolute() == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.chdir(tmp_path)
    for paths in ([], [Path("records")]):
        result = validate(paths, config=Config(root=tmp_path), today=TODAY, jobs=1)
        unreadable = [
            (f.path, f.line, f.column, f.message) for f in result.findings if f.code == "JMB002"
        ]
        assert unreadable == [
            (
                "records/2020",
                1,
                1,
                "a folder that cannot be read (Permission denied): its records are not checked",
            )
        ]
        assert result.files == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder, whatever its mode")
def test_a_folder_without_permissions_is_reported(tmp_path: Path) -> None:
    write_repo(tmp_path)
    locked = tmp_path / "records" / "2020"
    locked.mkdir()
    (locked / "2020-01-hidden.yaml").write_text("jmb: 1\n")
    locked.chmod(0)
    try:
        code, out, _ = jmb(tmp_path, "validate")
    finally:
        locked.chmod(0o755)
    assert code == 1
    assert out.startswith(
        "records/2020:1:1: error JMB002 a folder that cannot be read (Permission denied): its "
        "records are not checked\n"
    )
