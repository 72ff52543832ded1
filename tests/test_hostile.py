"""Hostile arguments, files and environments: every command ends with one line on stderr that starts
with "jmb: " and the documented exit code, never a traceback, a hang, or a file left half-made.

Runs that could hang on a fault (special files, a format spec asking for gigabytes), that need bytes
in their arguments, signals, or fewer privileges than root's are real processes with a timeout; the
rest run in-process through typer's runner.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import io
import json
import os
import pty
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdf
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jmb.check.engine import validate
from jmb.check.reporters import text_report
from jmb.core.constants import RC
from jmb.core.errors import ConfigError, KeyFileError, UsageError
from jmb.render.renderer import render
from jmb.repo.config import Config, read_config
from jmb.repo.scaffold import new_record
from jmb.sign.keys import _SCRYPT, _stretch, load_signing_key, seal_private_key
from tests.conftest import ROOT, TODAY
from tests.signing_support import CC, PASSPHRASE, RECORD, invoke, write_repo

#: Variables of the test's own environment that would change what jmb does.
_OUTSIDE = ("GITHUB_ACTIONS", "NO_COLOR", "JMB_KEY_PASSPHRASE", "XDG_RUNTIME_DIR", "CI")
WITH_PASSPHRASE = {"JMB_KEY_PASSPHRASE": PASSPHRASE}


def environment(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of a jmb process: locks and temporary files under ``tmp``, keys under
    ``tmp/home``, the passphrase set, nothing from outside that changes what jmb does."""
    env = {name: value for name, value in os.environ.items() if name not in _OUTSIDE}
    env.update(TMPDIR=str(tmp), XDG_CONFIG_HOME=str(tmp / "home"), JMB_KEY_PASSPHRASE=PASSPHRASE)
    env.update(extra)
    return env


def jmb(
    *args: str | bytes,
    cwd: Path,
    env: dict[str, str],
    prefix: tuple[str, ...] = (),
    timeout: float = 60,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m jmb ARGS`` as a user would, with a timeout (a hang fails the test)."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "jmb", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
    )


def one_line_error(result: subprocess.CompletedProcess[bytes], code: int) -> str:
    """The one line jmb said on stderr, once the exit code is checked, and that it said exactly
    one line, starting with "jmb: ", and no traceback anywhere."""
    return one_line(
        result.returncode,
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
        code,
    )


def one_line(code: int, out: str, err: str, expected: int) -> str:
    """:func:`one_line_error` for an in-process run (``invoke``)."""
    assert "Traceback" not in out + err
    assert code == expected, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("jmb: "), err
    return lines[0]


def unprivileged() -> tuple[str, ...]:
    """A command prefix that takes away root's power to read any file whatever its mode, so that a
    file made unreadable is unreadable to jmb (nothing is needed for anyone else)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, and without setpriv nothing is unreadable")
    caps = "-dac_override,-dac_read_search"
    return (setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding the clean example (a record fit to sign) at ``tmp_path/repo``, the
    current folder; locks and temporary files of this process under ``tmp_path``."""
    root = tmp_path / "repo"
    write_repo(root)
    monkeypatch.chdir(root)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for name in _OUTSIDE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home"))
    return root


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


# -- item 12: key files ----------------------------------------------------------------------------


def key_file(folder: Path, **kdf: object) -> Path:
    """A private key file sealed with the tests' passphrase, its scrypt parameters changed."""
    document = json.loads(seal_private_key(Ed25519PrivateKey.generate(), PASSPHRASE))
    document["kdf"].update(kdf)
    path = folder / "key.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def sign_with(repo: Path, tmp_path: Path, key: Path | str) -> subprocess.CompletedProcess[bytes]:
    return jmb(
        "sign", "2019/09", "--role", CC, "--name", "Andy Rhodes", "--key", str(key),
        cwd=repo, env=environment(tmp_path), timeout=20,
    )  # fmt: skip


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_key_that_is_not_a_regular_file_is_refused_without_reading_it(
    repo: Path, tmp_path: Path, special: str
) -> None:
    key = special
    if special == "fifo":  # nobody ever writes to it: opening it to read would wait for ever
        key = str(tmp_path / "key.fifo")
        os.mkfifo(key)
    before = (repo / RECORD).read_bytes()
    line = one_line_error(sign_with(repo, tmp_path, key), RC.FINDINGS)
    assert line == f"jmb: cannot read the key {key}: not a regular file"
    assert (repo / RECORD).read_bytes() == before


def test_a_huge_key_file_is_not_read_to_the_end(repo: Path, tmp_path: Path) -> None:
    key = tmp_path / "huge.key"
    key.write_bytes(b"{" + b" " * (4 * 1024 * 1024))
    code, out, err = invoke("sign", "2019/09", "--role", CC, "--name", "A", "--key", str(key), env=WITH_PASSPHRASE)  # fmt: skip
    assert one_line(code, out, err, RC.FINDINGS) == (
        f"jmb: {key} is not a jmb private key: it is larger than 65536 bytes"
    )


@pytest.mark.parametrize("kdf", [{"n": 2**40}, {"p": 2**30}], ids=["n", "p"])
def test_a_key_asking_for_endless_scrypt_work_is_refused_before_any(
    repo: Path, tmp_path: Path, kdf: dict[str, int]
) -> None:
    key = key_file(tmp_path, **kdf)
    ((name, value),) = kdf.items()
    line = one_line_error(sign_with(repo, tmp_path, key), RC.FINDINGS)
    assert line.startswith(f"jmb: {key} asks for scrypt {name} = {value}, outside what jmb uses")


_NOT_MADE = "; it is not a key jmb made"


@pytest.mark.parametrize(
    ("kdf", "message"),
    [
        ({"n": 2**20}, "asks for scrypt n = 1048576, outside what jmb uses (16384 to 131072)" + _NOT_MADE),
        ({"r": 2**20}, "asks for scrypt r = 1048576, outside what jmb uses (1 to 8)" + _NOT_MADE),
        ({"n": 3 * 2**14}, "asks for scrypt n = 49152, not a power of two"),
        ({"n": 1e308}, "asks for scrypt n = 1e+308, outside what jmb uses (16384 to 131072)" + _NOT_MADE),
        ({"n": "32768"}, "asks for scrypt n = 32768, outside what jmb uses (16384 to 131072)" + _NOT_MADE),
        ({"n": True}, "asks for scrypt n = True, outside what jmb uses (16384 to 131072)" + _NOT_MADE),
    ],
)  # fmt: skip
def test_scrypt_parameters_outside_what_jmb_writes_are_refused(
    tmp_path: Path, kdf: dict[str, object], message: str
) -> None:
    key = key_file(tmp_path, **kdf)
    with pytest.raises(KeyFileError) as raised:
        load_signing_key(key, PASSPHRASE)
    assert str(raised.value) == f"{key} {message}"


def test_a_key_file_sealed_around_something_that_is_not_a_key(tmp_path: Path) -> None:
    document = json.loads(seal_private_key(Ed25519PrivateKey.generate(), PASSPHRASE))
    salt = base64.b64decode(document["kdf"]["salt"])
    nonce = base64.b64decode(document["cipher"]["nonce"])
    sealed = AESGCM(_stretch(PASSPHRASE, salt, _SCRYPT)).encrypt(
        nonce, b"seven bytes", document["key_id"].encode()
    )
    document["encrypted_key"] = base64.b64encode(sealed).decode()
    key = tmp_path / "odd.key"
    key.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(KeyFileError) as raised:
        load_signing_key(key, PASSPHRASE)
    assert str(raised.value) == f"{key} is not a jmb private key (jmb keys new makes one)"


def test_an_unreadable_key_is_jmbs_own_one_line_error(repo: Path, tmp_path: Path) -> None:
    # Not click's "Invalid value for '--key'" usage message of several lines.
    key = key_file(tmp_path)
    key.chmod(0)
    result = jmb(
        "sign", "2019/09", "--role", CC, "--name", "Andy Rhodes", "--key", str(key),
        cwd=repo, env=environment(tmp_path), prefix=unprivileged(),
    )  # fmt: skip
    assert one_line_error(result, RC.FINDINGS) == (
        f"jmb: cannot read the key {key}: Permission denied"
    )


# -- item 12: records, configuration, arguments ----------------------------------------------------


def test_validate_of_a_device_is_jmb002_not_a_hang(repo: Path, tmp_path: Path) -> None:
    result = jmb("validate", "/dev/zero", cwd=repo, env=environment(tmp_path), timeout=15)
    assert result.returncode == RC.FINDINGS
    assert b"Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith(b"/dev/zero:1:1: error JMB002 ")


def test_an_access_statement_with_a_huge_width_is_a_configuration_error(
    repo: Path, tmp_path: Path
) -> None:
    (repo / "jmb.toml").write_text(
        '[publication]\naccess_statement = "{working_days:>9999999999}"\n', encoding="utf-8"
    )
    result = jmb("validate", cwd=repo, env=environment(tmp_path), timeout=20)
    assert one_line_error(result, RC.CONFIG) == (
        f"jmb: {repo / 'jmb.toml'}:2: configuration error: publication.access_statement: "
        "only {working_days} can be filled in, as written; not {working_days:>9999999999}"
    )


@pytest.mark.parametrize(
    ("statement", "shown"),
    [
        ("within {working_days:,} days", "{working_days:,}"),
        ("within {working_days!r} days", "{working_days!r}"),
        ("within {days} days", "{days}"),
        ("within {} days", "{}"),
        ("within {working_days[0]} days", "{working_days[0]}"),
        ("within {working_days.real} days", "{working_days.real}"),
    ],
)
def test_an_access_statement_fills_in_working_days_only(
    tmp_path: Path, statement: str, shown: str
) -> None:
    path = tmp_path / "jmb.toml"
    path.write_text(f"[publication]\naccess_statement = {json.dumps(statement)}\n", "utf-8")
    with pytest.raises(ConfigError) as raised:
        read_config(path)
    assert str(raised.value) == (
        f"{path}:2: configuration error: publication.access_statement: "
        f"only {{working_days}} can be filled in, as written; not {shown}"
    )


def test_an_access_statement_with_braces_and_the_field_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "jmb.toml"
    statement = "Within {working_days} days {{as promised}}."
    path.write_text(f"[publication]\naccess_statement = {json.dumps(statement)}\n", "utf-8")
    assert read_config(path).publication.access_statement == statement


@pytest.mark.parametrize(
    "role",
    ["Chief Constable ", " Chief Constable", "Chief  Constable", "   ", "Chief\tConstable", "Chief\x1b[8m"],
)  # fmt: skip
def test_a_role_that_is_not_words_on_one_line_is_a_configuration_error(
    repo: Path, role: str
) -> None:
    (repo / "jmb.toml").write_text(
        f'[[signatures]]\nrole = {json.dumps(role)}\nkind = "decision"\n', encoding="utf-8"
    )
    code, out, err = invoke("validate")
    assert one_line(code, out, err, RC.CONFIG) == (
        f"jmb: {repo / 'jmb.toml'}:2: configuration error: signatures[0].role: a role is words "
        "on one line, without spaces around them or control characters"
    )


def test_a_title_that_is_not_utf8_is_a_usage_error_and_leaves_nothing(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    args = ("new", "--title", b"x\xff", "--date", "2026-01-05")  # as a shell passes $'x\xff'
    result = jmb(*args, cwd=repo, env=environment(tmp_path))
    assert one_line_error(result, RC.USAGE) == "jmb: --title 'x\\xff' is not UTF-8 text"
    assert files_under(repo) == []  # no record, no .tmp, no folder


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["new", "--title", "Estates", "--report-by", "A\udcff"], "--report-by 'A\\xff'"),
        (["new", "--title", "Estates", "--date", "2026\udcff"], "--date '2026\\xff'"),
        (["sign", "2019/09", "--role", CC, "--name", "A\udcff"], "--name 'A\\xff'"),
        (["status", "2019/09", "submitted", "--note", "\udcff"], "--note '\\xff'"),
        (["status", "2019/09", "sub\udcff"], "STATUS 'sub\\xff'"),
        (["rules", "JMB\udcff"], "CODE 'JMB\\xff'"),
    ],
)
def test_any_text_argument_that_is_not_utf8_is_a_usage_error(
    repo: Path, args: list[str], said: str
) -> None:
    # Python hands over a byte of an argument that is not UTF-8 as a lone surrogate, as here.
    before = files_under(repo)
    code, out, err = invoke(*args)
    assert one_line(code, out, err, RC.USAGE) == f"jmb: {said} is not UTF-8 text"
    assert files_under(repo) == before


def test_new_record_refuses_a_title_that_cannot_be_written(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="the title is not UTF-8 text"):
        new_record(Config(root=tmp_path), "Estates \udcff", day=TODAY)
    assert files_under(tmp_path) == []


def test_a_record_in_a_folder_that_cannot_be_searched(repo: Path, tmp_path: Path) -> None:
    prefix = unprivileged()
    hidden = repo / "records" / "2020"
    hidden.mkdir()
    shutil.copy(repo / RECORD, hidden / "x.yaml")
    hidden.chmod(0)
    try:
        env = environment(tmp_path)
        result = jmb("validate", "records/2020/x.yaml", cwd=repo, env=env, prefix=prefix)
        assert (result.returncode, result.stderr) == (RC.FINDINGS, b"")
        assert result.stdout.decode() == (
            "records/2020/x.yaml:1:1: error JMB002 cannot be read: Permission denied\n"
            "1 record checked: 1 error, 0 warnings\n"
        )
        for args in (  # the two ways a record is named: alone (sign, status), or among others
            ["verify", "records/2020/x.yaml"],
            ["sign", "records/2020/x.yaml", "--role", CC, "--name", "A. Person"],
        ):
            line = one_line_error(jmb(*args, cwd=repo, env=env, prefix=prefix), RC.FINDINGS)
            assert line == "jmb: records/2020/x.yaml: cannot be read: Permission denied"
    finally:
        hidden.chmod(0o755)


def test_an_unreadable_file_named_on_the_command_line_is_jmb002(repo: Path, tmp_path: Path) -> None:
    # As a run over the folder reports it: a finding and exit 1, not click's usage error (exit 2).
    (repo / RECORD).chmod(0)
    result = jmb("validate", RECORD, cwd=repo, env=environment(tmp_path), prefix=unprivileged())
    assert (result.returncode, result.stderr) == (RC.FINDINGS, b"")
    assert result.stdout.decode() == (
        f"{RECORD}:1:1: error JMB002 cannot be read: Permission denied\n"
        "1 record checked: 1 error, 0 warnings\n"
    )


# -- item 12 and 18: locks -------------------------------------------------------------------------


def lock_folder(tmp: Path) -> Path:
    return tmp / f"jmb-{os.geteuid()}"


def test_a_lock_file_left_in_the_shared_temp_folder_is_no_obstacle(
    repo: Path, tmp_path: Path
) -> None:
    # Where jmb 0.1 put the lock of "jmb new", another user has left a folder (or a file nobody
    # else may open): every jmb new of everyone used to fail on it.
    digest = hashlib.sha256(str((repo / "records").resolve()).encode()).hexdigest()[:16]
    (tmp_path / f"jmb-new-{digest}.lock").mkdir()
    code, out, err = invoke("new", "--title", "Estates", "--date", "2026-01-05")
    assert (code, out) == (0, "records/2026/2026-01-estates.yaml\n"), err
    # The locks are in a folder of the user's own, closed to everybody else.
    assert stat.S_IMODE(lock_folder(tmp_path).lstat().st_mode) == 0o700
    assert files_under(lock_folder(tmp_path)) == [f"new-{digest}.lock"]


def test_a_lock_that_cannot_be_taken_is_one_line(repo: Path, tmp_path: Path) -> None:
    digest = hashlib.sha256(str((repo / "records").resolve()).encode()).hexdigest()[:16]
    lock = lock_folder(tmp_path) / f"new-{digest}.lock"
    lock.mkdir(parents=True)
    lock.parent.chmod(0o700)
    code, out, err = invoke("new", "--title", "Estates", "--date", "2026-01-05")
    assert one_line(code, out, err, RC.FINDINGS) == (
        f"jmb: cannot take the lock {lock}: Is a directory"
    )


def _symlink(folder: Path, tmp: Path) -> None:
    (tmp / "elsewhere").mkdir(mode=0o700)
    folder.symlink_to(tmp / "elsewhere")


def _a_file(folder: Path, tmp: Path) -> None:
    folder.write_text("", encoding="utf-8")


def _open_to_all(folder: Path, tmp: Path) -> None:
    folder.mkdir()
    folder.chmod(0o777)


def _another_users(folder: Path, tmp: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a folder to another user")
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_symlink, "is a symbolic link; jmb keeps its locks in a folder of yours there"),
        (_a_file, "is not a folder; jmb keeps its locks in a folder of yours there"),
        (_open_to_all, "is open to other users (mode 0777); jmb keeps its locks in a private folder: chmod 700 it"),
        (_another_users, "belongs to another user (uid 65534); jmb keeps its locks in a folder of yours there: remove it"),
    ],
    ids=["symlink", "file", "open-to-all", "another-user"],
)  # fmt: skip
def test_a_lock_folder_that_is_not_private_is_refused(
    repo: Path, tmp_path: Path, make: object, message: str
) -> None:
    folder = lock_folder(tmp_path)
    make(folder, tmp_path)  # type: ignore[operator]
    code, out, err = invoke("new", "--title", "Estates", "--date", "2026-01-05")
    assert one_line(code, out, err, RC.FINDINGS) == f"jmb: {folder} {message}"
    assert not (repo / "records" / "2026").exists()


def test_locks_go_to_the_users_runtime_folder_when_there_is_one(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    code, _, err = invoke("new", "--title", "Estates", "--date", "2026-01-05")
    assert code == 0, err
    assert stat.S_IMODE((runtime / "jmb").stat().st_mode) == 0o700
    assert len(list((runtime / "jmb").iterdir())) == 1
    assert not lock_folder(tmp_path).exists()


# -- signals and temporary files -----------------------------------------------------------------


def wait_until_asleep(pid: int) -> None:
    """Wait until process ``pid`` sleeps (in the read of the answer, once it has asked): a signal
    that came between the question and the read would wait for the read to end, as in any
    program."""
    stat_file = Path(f"/proc/{pid}/stat")
    if not stat_file.exists():
        time.sleep(1)
        return
    deadline = time.monotonic() + 30
    while stat_file.read_text().rsplit(")", 1)[1].split()[0] != "S":
        assert time.monotonic() < deadline, "jmb never waited for the answer"
        time.sleep(0.01)
    time.sleep(0.05)


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [
        (signal.SIGINT, 130, "jmb: interrupted"),
        (signal.SIGTERM, 143, "jmb: stopped by SIGTERM"),
        (signal.SIGHUP, 129, "jmb: stopped by SIGHUP"),
    ],
    ids=["SIGINT", "SIGTERM", "SIGHUP"],
)
def test_a_signal_at_a_prompt_ends_with_one_line(
    repo: Path, tmp_path: Path, signum: int, code: int, said: str
) -> None:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "jmb", "new", "--date", "2026-01-05"],
        stdin=terminal, stdout=terminal, stderr=terminal, cwd=repo, env=environment(tmp_path),
    )  # fmt: skip
    os.close(terminal)
    shown = b""
    while b"Title:" not in shown:  # jmb asks for the title ...
        shown += os.read(controller, 1024)
    wait_until_asleep(process.pid)  # ... and waits for it
    process.send_signal(signum)
    with contextlib.suppress(OSError):  # the terminal closes when the process ends
        while chunk := os.read(controller, 4096):
            shown += chunk
    assert process.wait(timeout=30) == code
    os.close(controller)
    text = shown.decode().replace("\r\n", "\n")
    assert "Traceback" not in text
    assert text.split("Title:", 1)[1].strip() == said
    assert not (repo / "records" / "2026").exists()


def _alive(pid: int) -> bool:
    try:  # a zombie has ended: only its parent has not yet noticed
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc to find the workers")
def test_workers_of_a_parallel_run_end_on_sigterm_even_when_orphaned(
    repo: Path, tmp_path: Path
) -> None:
    # The command's SIGTERM handler is inherited by the process pool's workers; there it must do
    # what SIGTERM does by default, or a worker left behind by a killed jmb would not end.
    text = (repo / RECORD).read_text(encoding="utf-8")
    for seq in range(10, 260):
        (repo / "records" / "2019" / f"2019-{seq}-copy.yaml").write_text(
            text.replace("number: 2019/09", f"number: 2019/{seq}"), encoding="utf-8"
        )
    process = subprocess.Popen(
        [sys.executable, "-m", "jmb", "validate", "--jobs", "2"],
        cwd=repo, env=environment(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while not workers and process.poll() is None:
        assert time.monotonic() < deadline, "no worker started"
        workers = [int(pid) for pid in children.read_text().split()]
    if not workers:
        pytest.skip("the run ended before a worker could be seen")
    process.kill()  # the parent dies at once, and runs nothing
    process.wait()
    for pid in workers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    try:
        while any(_alive(pid) for pid in workers):
            assert time.monotonic() < deadline, "a worker outlived SIGTERM"
            time.sleep(0.05)
    finally:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


_KILLED_AT_FSYNC = """
import os, signal, sys
def fsync(fd):  # the moment a temporary file is complete and not yet renamed
    os.kill(os.getpid(), signal.{signal})
os.fsync = fsync
from jmb.cli import main
sys.argv[0] = "jmb"
main()
"""


def sign_killed_while_writing(repo: Path, tmp_path: Path, how: str) -> int:
    process = subprocess.run(
        [sys.executable, "-c", _KILLED_AT_FSYNC.format(signal=how),
         "sign", "2019/09", "--role", CC, "--name", "Andy Rhodes"],
        cwd=repo, env=environment(tmp_path), capture_output=True, timeout=60,
    )  # fmt: skip
    if how == "SIGTERM":
        assert process.stderr == b"jmb: stopped by SIGTERM\n"
    return process.returncode


def temporaries(repo: Path) -> list[str]:
    return sorted(path.name for path in repo.rglob("*.tmp"))


def test_sigterm_while_signing_leaves_no_temporary_file(repo: Path, tmp_path: Path) -> None:
    before = (repo / RECORD).read_bytes()
    assert sign_killed_while_writing(repo, tmp_path, "SIGTERM") == 143
    assert temporaries(repo) == []
    assert (repo / RECORD).read_bytes() == before


def test_a_temporary_file_of_a_killed_sign_is_removed_by_the_next_write(
    repo: Path, tmp_path: Path
) -> None:
    before = (repo / RECORD).read_bytes()
    assert sign_killed_while_writing(repo, tmp_path, "SIGKILL") == -signal.SIGKILL
    (left,) = repo.rglob("*.tmp")  # SIGKILL runs nothing: the file is there ...
    assert (repo / RECORD).read_bytes() == before
    moment_ago = time.time() - 10  # ... and a later run finds it
    os.utime(left, (moment_ago, moment_ago))
    result = jmb(
        "sign", "2019/09", "--role", CC, "--name", "Andy Rhodes",
        cwd=repo, env=environment(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert temporaries(repo) == []


def test_the_temporary_file_of_a_live_writer_is_left_alone(repo: Path, tmp_path: Path) -> None:
    folder = (repo / RECORD).parent
    alive = folder / ".other.yaml.jmb-abcd1234.tmp"
    dead = folder / ".other.yaml.jmb-dead5678.tmp"
    not_ours = folder / ".other.yaml.abcd1234.tmp"  # not named by jmb: never touched
    for path in (alive, dead, not_ours):
        path.write_text("half a record", encoding="utf-8")
        os.utime(path, (time.time() - 60, time.time() - 60))
    with alive.open("rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # its writer is still at work
        result = jmb(
            "sign", "2019/09", "--role", CC, "--name", "Andy Rhodes",
            cwd=repo, env=environment(tmp_path),
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert temporaries(repo) == sorted([alive.name, not_ours.name])


# -- the safety net ------------------------------------------------------------------------------


def test_an_unexpected_error_is_one_line_with_its_own_exit_code(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero\x1b[8m")

    monkeypatch.setattr("jmb.check.engine.validate", broken)
    code, out, err = invoke("validate")
    assert one_line(code, out, err, RC.INTERNAL) == (
        "jmb: internal error: ZeroDivisionError: division by zero\\x1b[8m; please report it"
    )


def test_output_to_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # as in `jmb rules | head -1`, once head has gone
    try:
        process = subprocess.run(
            [sys.executable, "-m", "jmb", "rules"], stdout=writer, stderr=subprocess.PIPE,
            cwd=tmp_path, env=environment(tmp_path), timeout=60,
        )  # fmt: skip
    finally:
        os.close(writer)
    assert (process.returncode, process.stderr) == (RC.BROKEN_PIPE, b"")


# -- hostile environments ------------------------------------------------------------------------


def test_no_home_to_keep_keys_in(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    code, out, err = invoke("keys", "new", "--role", CC, "--name", "A", env=WITH_PASSPHRASE)
    assert one_line(code, out, err, RC.USAGE) == (
        "jmb: no folder for private keys: set HOME or XDG_CONFIG_HOME, or give --out"
    )
    assert not (repo / "signatories.yaml").exists()


def test_a_configuration_folder_that_is_a_file(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config-file"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    code, out, err = invoke("keys", "new", "--role", CC, "--name", "A", env=WITH_PASSPHRASE)
    line = one_line(code, out, err, RC.FINDINGS)
    folder = re.escape(f"{config}/jmb/keys/")
    assert re.fullmatch(rf"jmb: cannot write the key {folder}[^/]+\.key: Not a directory", line)
    assert not (repo / "signatories.yaml").exists()


def test_a_key_path_too_long_for_the_file_system(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / ("k" * 300)
    code, out_text, err = invoke(
        "keys", "new", "--role", CC, "--name", "A", "--out", str(out), env=WITH_PASSPHRASE
    )
    line = one_line(code, out_text, err, RC.FINDINGS)
    assert line == f"jmb: cannot write the key {out}: File name too long"
    assert not (repo / "signatories.yaml").exists()


def test_a_read_only_output_folder(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "read-only"
    out.mkdir()
    out.chmod(0o555)
    (repo / "jmb.toml").write_text(
        "", encoding="utf-8"
    )  # its office's jmb.toml: no notice of the defaults in the stderr compared whole
    result = jmb(
        "render", "2019/09", "--out", str(out),
        cwd=repo, env=environment(tmp_path), prefix=unprivileged(),
    )  # fmt: skip
    assert one_line_error(result, RC.FINDINGS) == (
        f"jmb: cannot write {out}/2019-09-part1.html: Permission denied"
    )


def test_keys_new_out_ending_in_a_slash_is_a_folder(repo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "my-keys"
    code, out, err = invoke(
        "keys", "new", "--role", CC, "--name", "Andy Rhodes", "--out", f"{folder}/",
        env=WITH_PASSPHRASE,
    )  # fmt: skip
    assert code == 0, err
    (key,) = folder.iterdir()
    assert out.splitlines()[1] == f"private key: {key}"
    assert re.fullmatch(r"ed25519-[0-9a-f]{16}\.key", key.name)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


# -- item 18: file names that are not UTF-8, appendix paths, the PDF's long words -----------------


@pytest.fixture
def non_utf8_name(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    folder = repo / "records" / "2019"
    folder.mkdir(parents=True)
    try:
        (folder / os.fsdecode(b"caf\xe9.yaml")).write_text("jmb: 1\n", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system takes only UTF-8 names")
    return repo


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_output_with_a_file_name_that_is_not_utf8_is_valid_json(
    non_utf8_name: Path, tmp_path: Path, fmt: str
) -> None:
    result = jmb("validate", "--format", fmt, cwd=non_utf8_name, env=environment(tmp_path))
    assert (result.returncode, result.stderr) == (RC.FINDINGS, b"")
    report = json.loads(result.stdout.decode("utf-8"))  # strict UTF-8, then strict JSON
    if fmt == "json":
        paths = {finding["path"] for finding in report["findings"]}
        assert paths == {"records/2019/caf\\xe9.yaml"}  # as the text output shows it
    else:
        paths = {
            location["physicalLocation"]["artifactLocation"]["uri"]
            for finding in report["runs"][0]["results"]
            for location in finding["locations"]
        }
        assert paths == {"records/2019/caf%E9.yaml"}  # the file's own byte, percent-encoded


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_text_output_with_a_file_name_that_is_not_utf8(
    non_utf8_name: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.chdir(non_utf8_name)
    code, out, err = invoke("validate", "--format", fmt)
    assert (code, err) == (RC.FINDINGS, "")
    assert "caf\\xe9.yaml" in out


def test_appendix_files_outside_the_repository_tell_nothing_about_what_exists(
    repo: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("", encoding="utf-8")
    (repo / "records" / "2019" / "link").symlink_to(tmp_path)
    (tmp_path / "a" / "b").mkdir(parents=True)
    (repo / "records" / "2019" / "deep").symlink_to(tmp_path / "a" / "b")
    for exists, missing in (
        ("../../../secret.txt", "../../../no-such-file.txt"),
        (str(outside), str(tmp_path / "no-such-file.txt")),
        ("link/secret.txt", "link/no-such-file.txt"),
        # "deep/../../x" reads as records/x, but the system follows deep first: tmp_path/x
        ("deep/../../secret.txt", "deep/../../no-such-file.txt"),
    ):
        reports = []
        for file in (exists, missing):
            text = write_repo(repo).read_text(encoding="utf-8")
            text = text.replace("appendices: []", f"appendices:\n  - label: A\n    title: P\n    file: {file}")  # fmt: skip
            (repo / RECORD).write_text(text.replace("the national clarification", "Appendix A"))
            report = text_report(validate(config=Config(root=repo), today=TODAY))
            assert "JMB302" not in report and "JMB308" in report
            reports.append(report.replace(file, "FILE"))
        assert reports[0] == reports[1]


def test_a_long_word_or_url_in_the_pdf_breaks_instead_of_running_off_the_page(
    tmp_path: Path,
) -> None:
    word = "Supercalifragilistic" * 15
    url = "https://example.org/" + "a1b2c3d4e5" * 28
    assert len(word) == len(url) == 300
    text = (ROOT / "tests" / "fixtures" / "approved-with-part2.yaml").read_text(encoding="utf-8")
    text = text.replace("background: |\n", f"background: |\n  {word}\n\n", 1)
    text = text.replace("https://www.police.uk/soh-statement-of-intent", url)
    text = re.sub(r"(?m)^report_by: .*$", f"report_by: {word}", text)  # in a grid's column
    assert text.count(url) == 1 and text.count(word) == 2
    path = tmp_path / RECORD
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    (pdf,) = render(
        ["2019/09"],
        config=Config(root=tmp_path),
        fmt="pdf",
        draft=True,
        today=TODAY,  # type: ignore[arg-type]
    ).written
    pages = pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages
    extracted = "\n".join(page.extract_text() for page in pages)
    flat = re.sub(r"\s+", "", extracted)
    assert flat.count(word) == 2 and url in flat  # every character is there,
    # and on the page: an A4 line of the body holds about 90 of these characters, so a line of
    # the text layer longer than 120 runs past the page's edge, where the PDF clips it
    assert max(len(line) for line in extracted.splitlines()) <= 120
