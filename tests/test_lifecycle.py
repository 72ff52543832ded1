"""``jmb status``: the moves that make sense, the reasons for those that do not, and the history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from jmb.core.errors import RefusedError
from jmb.record.model import Status
from jmb.repo.config import Config
from jmb.repo.wording import approval_wording
from jmb.sign.lifecycle import change_status, transition_refusal
from jmb.sign.signing import sign_record
from tests.conftest import TODAY
from tests.signing_support import CC, EXAMPLE, MO, PCC, RECORD, clean_example, invoke


def with_status(root: Path, status: str) -> Path:
    path = root / RECORD
    path.write_text(clean_example().replace("status: submitted", f"status: {status}"))
    return path


def reach(root: Path, status: str) -> Path:
    """The clean example moved to ``status`` the way a record gets there: by jmb status and jmb
    sign, each move in its history (a status typed in by hand is JMB413's to report)."""
    path = with_status(root, "draft" if status == "draft" else "submitted")
    config = Config(root=root)
    if status in ("deferred", "rejected", "withdrawn"):
        change_status(config, "2019/09", status, day=date(2019, 6, 15), today=TODAY)
    if status in ("approved", "published"):
        for role, name in ((PCC, "P"), (CC, "C"), (MO, "M")):
            sign_record(config, "2019/09", role=role, name=name, day=date(2019, 6, 20), today=TODAY)
    if status == "published":
        change_status(config, "2019/09", "published", day=date(2019, 6, 30), today=TODAY)
    assert yaml.safe_load(path.read_text())["status"] == status
    return path


ALLOWED = {
    ("draft", "submitted"),
    ("draft", "withdrawn"),
    ("submitted", "deferred"),
    ("submitted", "rejected"),
    ("submitted", "withdrawn"),
    ("deferred", "submitted"),
    ("deferred", "rejected"),
    ("deferred", "withdrawn"),
    ("approved", "published"),
}
TARGETS = ("submitted", "deferred", "rejected", "withdrawn", "published")


@pytest.mark.parametrize("current", [str(status) for status in Status])
@pytest.mark.parametrize("target", TARGETS)
def test_every_move_is_made_or_refused_with_its_reason(
    repo: Path, current: str, target: str
) -> None:
    path = reach(repo, current)
    before = path.read_text()
    code, out, err = invoke("status", "2019/09", target, "--date", "2026-11-30")
    if (current, target) in ALLOWED:
        assert (code, err) == (0, "")
        assert out == f"{RECORD}: {target} (was {current}) on 2026-11-30\n"
        data = yaml.safe_load(path.read_text())
        assert data["status"] == target
        assert data["history"][-1] == {"status": target, "date": date(2026, 11, 30)}
    else:
        reason = transition_refusal(Status(current), Status(target))
        assert reason
        assert (code, out, err) == (1, "", f"jmb: {RECORD} stays {current}: {reason}\n")
        assert path.read_text() == before


@pytest.mark.parametrize(
    ("current", "target", "reason"),
    [
        ("withdrawn", "submitted", "nothing leaves withdrawn: a withdrawn decision comes back as a new record"),
        ("submitted", "published", "only an approved decision can be published; this one is submitted"),
        ("submitted", "approved", "approved is reached only by signing: jmb sign adds the signatures"),
        ("submitted", "draft", "nothing goes back to draft: the history of a decision is kept"),
        ("draft", "deferred", "only a submitted decision can be deferred; this one is draft"),
        ("submitted", "submitted", "the record is already submitted"),
        ("approved", "withdrawn", "only a decision not yet approved can be withdrawn; this one is approved"),
    ],
)  # fmt: skip
def test_the_reasons_read_well(current: str, target: str, reason: str) -> None:
    assert transition_refusal(Status(current), Status(target)) == reason


def test_submitting_needs_no_errors_at_submitted_level(repo: Path) -> None:
    path = repo / RECORD
    path.write_text(EXAMPLE.replace("status: submitted", "status: draft"))
    code, _, err = invoke("status", "2019/09", "submitted")
    assert code == 1
    lines = err.splitlines()
    assert lines[-1] == f"jmb: {RECORD} is not fit to submit: 4 errors at submitted level"
    assert [line.split()[2] for line in lines[:-1]] == ["JMB301", "JMB301", "JMB202", "JMB101"]
    # The blank signature lines are not among them: a submitted record waits for its signatures.
    assert path.read_text() == EXAMPLE.replace("status: submitted", "status: draft")
    with_status(repo, "draft")
    assert invoke("status", "2019/09", "submitted")[0] == 0


def test_publishing_needs_an_unchanged_approved_record(repo: Path) -> None:
    config = Config(root=repo)
    for role in (PCC, CC, MO):
        sign_record(config, "2019/09", role=role, name="N", day=date(2019, 6, 20), today=TODAY)
    path = repo / RECORD
    signed = path.read_text()
    path.write_text(signed.replace("title: Single Online Home", "title: Single Online Homes"))
    with pytest.raises(RefusedError, match=r"is not fit to publish: 3 errors$") as raised:
        change_status(config, "2019/09", "published", today=TODAY)
    assert [finding.code for finding in raised.value.findings] == ["JMB406"] * 3
    path.write_text(signed)
    change_status(config, "2019/09", "published", note="on the website", today=TODAY)
    data = yaml.safe_load(path.read_text())
    assert data["status"] == "published"
    assert data["history"][0].pop("wording") == approval_wording(config)
    assert data["history"] == [
        {"status": "approved", "date": date(2019, 6, 20), "note": f"signed by the {PCC}, the {CC} and the {MO}"},
        {"status": "published", "date": TODAY, "note": "on the website"},
    ]  # fmt: skip


def test_history_runs_forward_and_not_into_the_future(repo: Path) -> None:
    config = Config(root=repo)
    change_status(config, "2019/09", "deferred", day=date(2019, 6, 12), today=TODAY)
    with pytest.raises(
        RefusedError,
        match=r"stays deferred: the submitted entry is dated 2019-06-11, before an earlier entry "
        r"\(2019-06-12\); history runs forward \(JMB411\)$",
    ):
        change_status(config, "2019/09", "submitted", day=date(2019, 6, 11), today=TODAY)
    with pytest.raises(
        RefusedError,
        match=r"stays deferred: the submitted entry is dated 2026-12-01, in the future \(JMB411\)$",
    ):
        change_status(config, "2019/09", "submitted", day=date(2026, 12, 1), today=TODAY)
    change_status(
        config,
        "2019/09",
        "submitted",
        day=date(2019, 7, 1),
        note=" back  on\nthe agenda ",
        today=TODAY,
    )
    history = yaml.safe_load((repo / RECORD).read_text())["history"]
    assert history == [
        {"status": "deferred", "date": date(2019, 6, 12)},
        {"status": "submitted", "date": date(2019, 7, 1), "note": "back on the agenda"},
    ]  # fmt: skip


def test_an_unknown_status_is_a_usage_error(repo: Path) -> None:
    assert invoke("status", "2019/09", "aproved") == (
        2,
        "",
        "jmb: 'aproved' is not a status; jmb status moves a record to submitted, deferred, "
        "rejected, withdrawn, published\n",
    )


def test_a_record_with_no_valid_status_is_refused(repo: Path) -> None:
    (repo / RECORD).write_text(clean_example().replace("status: submitted", "status: pending"))
    code, _, err = invoke("status", "2019/09", "withdrawn")
    assert code == 1
    assert "error JMB007 status: Input should be 'draft', 'submitted'" in err
    assert err.endswith(f"jmb: {RECORD} has no valid status to move from\n")


# -- issue 8, item 17: a status typed in by hand --------------------------------------------------


def test_a_status_typed_in_by_hand_is_found_and_moves_nothing(repo: Path) -> None:
    path = repo / RECORD
    text = clean_example().replace("status: submitted", "status: deferred")
    path.write_text(text)
    code, out, _ = invoke("validate")
    assert code == 1
    assert (
        f"{RECORD}:10:9: error JMB413 status: the record is deferred, but has no history showing "
        "how it got there: only a draft or submitted record has none (jmb status and jmb sign "
        "record each move)"
    ) in out
    code, _, err = invoke("status", "2019/09", "submitted", "--date", "2019-06-20")
    assert code == 1
    assert err.endswith(f"jmb: {RECORD} stays deferred: put right what JMB413 says first\n")
    assert path.read_text() == text


def test_an_approval_typed_in_by_hand_cannot_be_published(repo: Path) -> None:
    """A submitted record set to approved by hand, a signature written in with the right digest:
    only the history tells, and JMB413 says so."""
    (repo / "jmb.toml").write_text(
        f'[[signatures]]\nrole = "{PCC}"\n[[signatures]]\nrole = "{CC}"\n'
    )
    path = repo / RECORD
    path.write_text(clean_example().split("\n# The form's signature block")[0] + "\n")
    assert invoke("sign", "2019/09", "--role", PCC, "--name", "P", "--date", "2019-06-20")[0] == 0
    text = path.read_text()
    digest = yaml.safe_load(text)["signatures"][0]["digest"]
    text = text.replace("status: submitted", "status: approved") + (
        f"  - role: {CC}\n    name: C\n    date: 2019-06-21\n    digest: {digest}\n"
    )
    path.write_text(text)
    code, out, _ = invoke("validate")
    assert code == 1
    assert [line.split()[2] for line in out.splitlines()[:-1] if " error " in line] == ["JMB413"]
    code, _, err = invoke("status", "2019/09", "published", "--date", "2019-06-30")
    assert (code, err.splitlines()[-1]) == (
        1,
        f"jmb: {RECORD} stays approved: put right what JMB413 says first",
    )
    assert path.read_text() == text
