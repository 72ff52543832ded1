"""The bundled example repository stays fit for the demo and the public register.

Decision 2019/10 is the example of a finished decision: complete, clean, approved, and signed by
every configured role with a key in ``signatories.yaml``, so that ``make demo`` has a decision to put
on the public site. Decision 2019/09 beside it keeps the reference form's defects, so ``jmb
validate`` of the whole example still fails with exactly those (tests/golden/example-findings.txt).
The tests run on a copy of the example, as a user's repository, never in the project tree.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from jmb.repo.config import Config
from tests.conftest import ROOT
from tests.signing_support import invoke

#: What makes the example repository at the top of the project: its records, the roster of its
#: signatories' public keys, and its configuration (none today: the defaults are the reference form).
EXAMPLE_REPOSITORY = ("records", "signatories.yaml", "jmb.toml")
CLEAN = "records/2019/2019-10-body-worn-video-replacement.yaml"
#: Every role the configuration asks to sign (the defaults: the reference form's three).
ROLES = {role.role for role in Config(root=ROOT).signatures}
#: A line of jmb verify: where the signature is, who signed, when, and what proves it.
VERIFIED = re.compile(
    r"(?P<path>[^:]+):\d+:\d+: (?P<role>[^,]+), (?P<name>[^,]+), (?P<day>[0-9-]{10}): (?P<verdict>.+)"
)


def copy_example_repository(target: Path) -> None:
    """Copy the bundled example repository (its jmb.toml included) into ``target``."""
    for name in EXAMPLE_REPOSITORY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy(source, target / name)


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled example repository, as the current folder."""
    copy_example_repository(tmp_path)
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_the_clean_example_validates_with_no_finding(example: Path) -> None:
    # `jmb validate records/2019/2019-10-*.yaml`, the pattern expanded as a shell would.
    (path,) = [found.as_posix() for found in Path("records/2019").glob("2019-10-*.yaml")]
    assert path == CLEAN
    assert invoke("validate", "--strict", path) == (
        0,
        "1 record checked: 0 errors, 0 warnings\n",
        "",
    )
    code, out, _ = invoke("validate", "--strict", "--format", "json", path)
    assert code == 0
    assert json.loads(out)["findings"] == []


def test_every_signature_of_the_clean_example_is_proven_by_a_key(example: Path) -> None:
    code, out, err = invoke("verify", "2019/10")
    assert (code, err) == (0, "")
    *lines, summary = out.splitlines()
    assert summary == "3 signatures in 1 record verified: 0 problems"
    roster = yaml.safe_load((example / "signatories.yaml").read_text(encoding="utf-8"))
    keys = {entry["role"]: entry for entry in roster["signatories"]}
    signed = {}
    for line in lines:
        found = VERIFIED.fullmatch(line)
        assert found, line
        role = found["role"]
        assert found["path"] == CLEAN
        assert found["name"] == keys[role]["name"]
        assert found["verdict"].startswith(
            f"proven by key {keys[role]['key_id']}: the signature is good"
        )
        signed[role] = date.fromisoformat(found["day"])
    assert set(signed) == ROLES
    assert all(day.year == 2019 for day in signed.values())


def test_the_clean_example_is_approved_in_2019_and_its_keys_stay_outside(example: Path) -> None:
    code, out, _ = invoke("list", "--format", "json")
    assert code == 0
    (entry,) = (entry for entry in json.loads(out) if entry["number"] == "2019/10")
    assert entry == {
        "number": "2019/10",
        "title": "Body-worn video replacement",
        "date": "2019-10-09",
        "status": "approved",
        "approved": "2019-10-10",
        "due": "2019-10-15",  # 3 working days in England after Thursday 10 October
        "published": None,
        "path": CLEAN,
    }
    record = yaml.safe_load((example / CLEAN).read_text(encoding="utf-8"))
    assert [(step["status"], step["date"]) for step in record["history"]] == [
        ("submitted", date(2019, 10, 2)),
        ("approved", date(2019, 10, 10)),
    ]
    assert record["part2"]["exemption"] and record["part2"]["review_on"]
    # Public keys only: no private key in the example repository, nor any file that holds one.
    roster = yaml.safe_load((example / "signatories.yaml").read_text(encoding="utf-8"))
    for key in roster["signatories"]:
        assert set(key) <= {"key_id", "name", "role", "valid_from", "valid_to", "public_key"}
    for path in example.rglob("*"):
        if path.is_file():
            assert path.suffix != ".key", path
            assert b"encrypted_key" not in path.read_bytes(), path


def test_the_clean_example_renders_as_an_approved_part_1(example: Path) -> None:
    code, out, err = invoke("render", "2019/10", "--format", "md", "--out", "site")
    assert (code, out, err) == (0, "site/2019-10-part1.md\n", "")
    part1 = (example / "site" / "2019-10-part1.md").read_text(encoding="utf-8")
    assert "DRAFT" not in part1
    assert "exempt from publication under the Freedom of Information Act 2000: s.43" in part1
    assert "| Police and Crime Commissioner | Margaret Holden | 10 October 2019 |" in part1


def test_the_whole_example_fails_on_2019_09_alone_as_make_demo_shows(example: Path) -> None:
    """make demo validates the whole example and expects exit 1: the findings are 2019/09's, each
    as the golden file has it, and 2019/10 adds none."""
    code, out, err = invoke("validate", "--format", "text")
    assert (code, err) == (1, "")
    golden = (ROOT / "tests" / "golden" / "example-findings.txt").read_text(encoding="utf-8")
    *findings, summary = golden.splitlines()
    assert summary == "1 record checked: 4 errors, 3 warnings"
    assert out.splitlines() == [*findings, "2 records checked: 4 errors, 3 warnings"]
