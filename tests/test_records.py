"""Finding records and their numbers: the number is the one ``jmb validate`` reads, and what was
read is cached outside the repository, by file, and read again when the file changes."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

import jmb.repo.records as records
from jmb.record.document import read_document
from jmb.repo.number_cache import NumberCache
from jmb.repo.records import number_lines

RECORD = "2019/2019-10-estates.yaml"

# Each text with the number jmb validate reads in it (None: none).
SPELLINGS = [
    ('"number": "2019/10"\ntitle: x\n', "2019/10"),
    ("'number': '2019/10'\n", "2019/10"),
    ("number: !!str 2019/10\n", "2019/10"),
    ("{jmb: 1, number: 2019/10, title: x}\n", "2019/10"),
    ('{jmb: 1,\n number: "2019/10"}\n', "2019/10"),
    ("# number: 2019/01\n\nnumber: 2019/10\n", "2019/10"),
    ("title: |\n  number: 2019/01\nnumber: 2019/10\n", "2019/10"),
    ("? number\n: 2019/10\n", "2019/10"),
    ('"\\x6eumber": 2019/10\n', "2019/10"),
    ("\ufeffnumber: 2019/10\n", "2019/10"),
    ("number: 2019/01\nnumber: 2019/10\n", "2019/10"),  # YAML keeps the last; JMB003 reports it
    ("number: 2019/10\r\ntitle: x\r\n", "2019/10"),
    ("---\nnumber: 2019/10\n...\n", "2019/10"),
    # An alias is read as empty and a merge key merges nothing (JMB011): no number comes in so.
    ("a: &n 2019/10\nnumber: *n\n", None),
    ("<<: {number: 2019/10}\ntitle: x\n", None),
    ("base: &b {number: 2019/10}\n<<: *b\n", None),
    ("<<: {number: 2019/01}\nnumber: 2019/10\n", "2019/10"),
    ("nested:\n  number: 2019/01\nnumber: 2019/10\n", "2019/10"),
    ("number: 2019/10\nitems: [a, {b: c}, [d]]\n", "2019/10"),
    ("items:\n  - number: 2019/01\n", None),
    ("number: 2019\n", None),
    ("number: 2019-10-01\n", None),
    ("number: ! 2019\n", None),
    # A tag that would change the type is JMB007, and the value is read as the text written.
    ("number: !!binary MjAxOS8xMA==\n", "MjAxOS8xMA=="),
    ("number: [2019/10]\n", None),
    ("number: {year: 2019}\n", None),
    ('number: "  "\n', None),
    ("number:\n", None),
    ("number: 2019/10\nnumber: 2019\n", None),
    ("- number: 2019/10\n", None),
    ("2019/10\n", None),
    ("number: 2019/10\n---\nnumber: 2019/11\n", None),
    ("number: 2019/10\ntitle: [unclosed\n", None),
    ("", None),
]


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / "records" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def numbers(folder: Path) -> dict[str, str]:
    return {
        found.path.relative_to(folder / "records").as_posix(): found.number
        for found in number_lines(folder / "records")
    }


@pytest.mark.parametrize(("text", "number"), SPELLINGS)
def test_the_number_is_the_one_validate_reads(
    tmp_path: Path, text: str, number: str | None
) -> None:
    path = write(tmp_path, RECORD, text)
    assert numbers(tmp_path) == ({RECORD: number} if number is not None else {})
    # What the checks take as the record's number (jmb.check.engine.check_document): text only.
    data = read_document(path).data
    stated = data.get("number") if isinstance(data, dict) else None
    assert (stated if isinstance(stated, str) and stated.strip() else None) == number


def test_the_position_is_the_value_s(tmp_path: Path) -> None:
    write(tmp_path, RECORD, 'jmb: 1\n"number":  "2019/10"\n')
    (found,) = number_lines(tmp_path / "records")
    assert (found.number, found.line, found.column) == ("2019/10", 2, 12)


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfen\x00u\x00",  # UTF-16
        b"number: 2019/10\ntitle: caf\xe9\n",  # not UTF-8
        b"number: 2019/10\n\x00",  # binary
        b"number: 2019/10\n" + b"#" * 2_000_000,  # beyond the size of a record
    ],
)
def test_a_file_jmb_cannot_read_as_a_record_has_no_number(tmp_path: Path, content: bytes) -> None:
    write(tmp_path, RECORD, content)
    write(tmp_path, "2019/2019-11-other.yaml", "number: 2019/11\n")
    assert numbers(tmp_path) == {"2019/2019-11-other.yaml": "2019/11"}


@pytest.mark.parametrize("value", ["!!bool maybe", "!!timestamp soon", "!!int 0x_"])
def test_a_value_that_breaks_yaml_s_constructors_does_not_stop_the_scan(
    tmp_path: Path, value: str
) -> None:
    """Read in full (the alias), a record whose value PyYAML cannot construct is the reader's
    finding to make; the scan of every other record goes on."""
    write(tmp_path, RECORD, f"a: &x 1\nb: *x\nnumber: 2019/10\ntitle: {value}\n")
    write(tmp_path, "2019/2019-11-other.yaml", "number: 2019/11\n")
    assert numbers(tmp_path)["2019/2019-11-other.yaml"] == "2019/11"


def test_special_files_are_not_read(tmp_path: Path) -> None:
    """A FIFO or a link to a device named like a record must not stall the scan."""
    write(tmp_path, "2019/2019-11-other.yaml", "number: 2019/11\n")
    os.mkfifo(tmp_path / "records" / "2019" / "fifo.yaml")
    (tmp_path / "records" / "2019" / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "records" / "2019" / "folder.yaml").mkdir()
    (tmp_path / "records" / "2019" / "broken.yaml").symlink_to(tmp_path / "nowhere")
    result: list[dict[str, str]] = []
    scan = threading.Thread(target=lambda: result.append(numbers(tmp_path)), daemon=True)
    scan.start()
    scan.join(timeout=20)
    assert result == [{"2019/2019-11-other.yaml": "2019/11"}]


# -- the cache --------------------------------------------------------------------------------------


@pytest.fixture
def counted_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The record files read (not answered from the cache), as they are read."""
    reads: list[Path] = []
    real = records._read_record_text

    def counting(path: Path) -> object:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(records, "_read_record_text", counting)
    return reads


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled however recently they changed (the tests write them just now)."""
    monkeypatch.setattr(records, "RECENT_NS", 0)


def cache_files(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "jmb").glob("numbers-*.json"))


def test_numbers_are_read_once_and_then_taken_from_the_cache(
    tmp_path: Path, own_cache_folder: Path, counted_reads: list[Path], settled: None
) -> None:
    for seq in range(1, 4):
        write(tmp_path, f"2019/2019-0{seq}-x.yaml", f'number: "2019/0{seq}"\n')
    before = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*"))
    expected = {f"2019/2019-0{seq}-x.yaml": f"2019/0{seq}" for seq in range(1, 4)}
    assert numbers(tmp_path) == expected
    assert len(counted_reads) == 3
    assert numbers(tmp_path) == expected
    assert len(counted_reads) == 3  # nothing read again
    # The cache is in the user's cache folder, and nothing was added to the repository.
    assert len(cache_files(own_cache_folder)) == 1
    assert sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*")) == before


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_seen(
    tmp_path: Path, counted_reads: list[Path], settled: None
) -> None:
    path = write(tmp_path, RECORD, "number: 2019/10\n")
    assert numbers(tmp_path) == {RECORD: "2019/10"}
    before = path.stat()
    time.sleep(0.05)  # past the file system's clock tick
    path.write_text("number: 2019/11\n", encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert numbers(tmp_path) == {RECORD: "2019/11"}
    assert len(counted_reads) == 2


def test_a_file_changed_a_moment_ago_is_not_cached(
    tmp_path: Path, counted_reads: list[Path]
) -> None:
    """A second edit within the same clock tick could keep the whole stamp: not trusted yet."""
    write(tmp_path, RECORD, "number: 2019/10\n")
    assert numbers(tmp_path) == {RECORD: "2019/10"}
    assert numbers(tmp_path) == {RECORD: "2019/10"}
    assert len(counted_reads) == 2


def test_files_that_are_gone_are_forgotten(
    tmp_path: Path, own_cache_folder: Path, settled: None
) -> None:
    write(tmp_path, RECORD, "number: 2019/10\n")
    gone = write(tmp_path, "2019/2019-11-x.yaml", "number: 2019/11\n")
    numbers(tmp_path)
    gone.unlink()
    assert numbers(tmp_path) == {RECORD: "2019/10"}
    (cache,) = cache_files(own_cache_folder)
    assert list(json.loads(cache.read_text())["files"]) == [RECORD]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda text: "{not json",
        lambda text: "",
        lambda text: "[]",
        lambda text: text.replace('"version": 1', '"version": 99'),
        lambda text: text.replace('"written_by": "', '"written_by": "0.0.0-'),
        lambda text: text.replace('"records": "', '"records": "/elsewhere'),
        lambda text: text.replace('"2019/11"', "11"),
        lambda text: text.replace('"2019/11"', '"2019/12"').replace(", 1, 9]", ", 0, 0]"),
        lambda text: text.replace("[", "[true, ", 2),
    ],
)
def test_a_cache_that_cannot_be_used_is_ignored_and_rebuilt(
    tmp_path: Path, own_cache_folder: Path, counted_reads: list[Path], settled: None, spoil: object
) -> None:
    write(tmp_path, RECORD, "number: 2019/11\n")
    assert numbers(tmp_path) == {RECORD: "2019/11"}
    (cache,) = cache_files(own_cache_folder)
    good = cache.read_text()
    cache.write_text(spoil(good))  # type: ignore[operator]
    assert numbers(tmp_path) == {RECORD: "2019/11"}
    assert len(counted_reads) == 2  # read again, not taken from the spoilt cache
    assert json.loads(cache.read_text()) == json.loads(good)  # and written again


def test_a_cache_that_cannot_be_written_is_no_error(
    tmp_path: Path, own_cache_folder: Path, settled: None
) -> None:
    (own_cache_folder / "jmb").write_text("a file where the folder would be")
    write(tmp_path, RECORD, "number: 2019/11\n")
    assert numbers(tmp_path) == {RECORD: "2019/11"}


def test_caches_not_written_for_a_month_are_removed(
    tmp_path: Path, own_cache_folder: Path, settled: None
) -> None:
    """A checkout in a new temporary folder at every run would leave a cache at every run."""
    folder = own_cache_folder / "jmb"
    folder.mkdir()
    old, recent, left = (
        folder / name for name in ("numbers-0.json", "numbers-1.json", ".numbers-0.json.x.tmp")
    )
    for path in (old, recent, left):
        path.write_text("{}")
    month_ago = time.time() - 31 * 86_400
    os.utime(old, (month_ago, month_ago))
    os.utime(left, (month_ago, month_ago))
    write(tmp_path, RECORD, "number: 2019/10\n")
    numbers(tmp_path)
    (mine,) = set(cache_files(own_cache_folder)) - {old, recent}
    assert sorted(path.name for path in folder.iterdir()) == sorted([recent.name, mine.name])


def test_the_cache_of_one_repository_is_not_another_s(tmp_path: Path, settled: None) -> None:
    write(tmp_path / "one", RECORD, "number: 2019/10\n")
    write(tmp_path / "two", RECORD, "number: 2019/11\n")
    assert numbers(tmp_path / "one") == {RECORD: "2019/10"}
    assert numbers(tmp_path / "two") == {RECORD: "2019/11"}
    assert (
        NumberCache.load(tmp_path / "one" / "records").file
        != NumberCache.load(tmp_path / "two" / "records").file
    )


def test_a_relative_cache_folder_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled: None
) -> None:
    """The XDG rule: a relative $XDG_CACHE_HOME is ignored (it would land in the repository)."""
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    write(tmp_path, RECORD, "number: 2019/10\n")
    assert numbers(tmp_path) == {RECORD: "2019/10"}
    assert not (tmp_path / "cache").exists()
    assert len(cache_files(tmp_path / "home" / ".cache")) == 1
