"""Issue 10: archived decisions signed on paper.

A signature entry with ``method: paper`` (or ``wet-ink``) and an optional ``evidence`` is a signature
made in ink before jmb: it is not JMB406's "no digest", ``jmb verify`` lists it as signed on paper and
never as proven, and says plainly when a record rests on paper alone. ``[signing] digests_from`` ends
paper signatures from a date (JMB415), a paper signature claiming a digest or a key contradicts itself
(JMB415), and the new fields leave every digest as it was.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from jmb.record.canonical import content_digest
from tests.conftest import ROOT
from tests.signing_support import CC, MO, PCC, RECORD, invoke, write_repo

#: An approved record signed on paper by all three roles (one of them "wet-ink", one without evidence).
PAPER_CASE = ROOT / "tests/cases/JMB415/quiet-archived-signed-on-paper"
#: The digest the same content had when it was signed with jmb (tests/cases/JMB401's record).
SIGNED_DIGEST = "sha256:73cc3eba30aef3a4bd80ad7039f326c6c68034e6eec4832445679f9af9312c5b"
#: Where the record's lines are, for the expected output.
PATH = str(RECORD)


@pytest.fixture
def paper_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The archived record signed on paper, as the current folder."""
    root = tmp_path / "repo"
    shutil.copytree(PAPER_CASE, root)
    (root / "expected.txt").unlink()
    monkeypatch.chdir(root)
    return root


def edit(root: Path, old: str, new: str, count: int = 1) -> None:
    path = root / RECORD
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def configure(root: Path, toml: str) -> None:
    (root / "jmb.toml").write_text(toml, encoding="utf-8")


def test_verify_lists_paper_signatures_as_not_proven_and_says_so_of_the_record(
    paper_repo: Path,
) -> None:
    code, out, err = invoke("verify")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{PATH}:58:5: {PCC}, Jane Ashworth, 2019-06-20: signed on paper, not proven: no digest "
        "records what was signed, so an edit would go unnoticed; the signed original is "
        "archive/2019-09-signed.pdf",
        f"{PATH}:63:5: {CC}, Mark Heywood, 2019-06-21: signed on paper, not proven: no digest "
        "records what was signed, so an edit would go unnoticed; no signed original is named "
        "(evidence)",
        f"{PATH}:67:5: {MO}, Joanne Taylor, 2019-06-21: signed on paper, not proven: no digest "
        "records what was signed, so an edit would go unnoticed; the signed original is "
        "https://www.lancashire-pcc.gov.uk/decisions/2019-09-signed.pdf",
        f"{PATH}: signed on paper only: nothing proves its content, which could be edited "
        "unnoticed; compare it with the signed original",
        "3 signatures in 1 record verified: 0 problems; 1 record signed on paper only, its "
        "content not proven",
    ]


def test_validate_takes_an_approved_record_signed_on_paper_without_jmb406(
    paper_repo: Path,
) -> None:
    assert invoke("validate") == (0, "1 record checked: 0 errors, 0 warnings\n", "")


def test_an_edit_to_a_record_signed_only_on_paper_is_not_caught_and_verify_says_it_cannot_be(
    paper_repo: Path,
) -> None:
    edit(paper_repo, "\ntitle: Single Online Home\n", "\ntitle: Single Online Home, amended\n")
    code, out, _ = invoke("verify")
    assert code == 0
    assert out.endswith("1 record signed on paper only, its content not proven\n")


def test_one_digest_beside_paper_signatures_proves_the_content(paper_repo: Path) -> None:
    edit(paper_repo, "    method: wet-ink\n", f"    digest: {SIGNED_DIGEST}\n")
    code, out, _ = invoke("verify")
    assert code == 0
    assert (
        f"{PATH}:63:5: {CC}, Mark Heywood, 2019-06-21: checked for its digest only (no key): "
        "the content is unchanged since signing"
    ) in out.splitlines()
    assert "paper only" not in out
    assert out.endswith("3 signatures in 1 record verified: 0 problems\n")

    edit(paper_repo, "\ntitle: Single Online Home\n", "\ntitle: Single Online Home, amended\n")
    code, out, _ = invoke("verify")
    assert code == 1
    assert f"{PATH}:63:5: {CC}, Mark Heywood, 2019-06-21: FAILED (JMB406)" in out.splitlines()


def test_the_paper_fields_are_not_in_the_digested_content(paper_repo: Path) -> None:
    data = yaml.safe_load((paper_repo / RECORD).read_text(encoding="utf-8"))
    assert content_digest(data) == SIGNED_DIGEST
    for signature in data["signatures"]:
        signature.pop("method")
        signature.pop("evidence", None)
    assert content_digest(data) == SIGNED_DIGEST


def test_digests_from_ends_paper_signatures_from_its_date(paper_repo: Path) -> None:
    configure(paper_repo, "[signing]\ndigests_from = 2019-06-21\n")
    code, out, _ = invoke("validate")
    assert code == 1
    assert out.splitlines() == [
        f"{PATH}:66:13: error JMB415 signatures[1].method: the {CC}'s signature is on paper and is "
        "dated 2019-06-21, on or after [signing] digests_from = 2019-06-21 in jmb.toml: from then "
        "every signature needs a digest; sign with jmb sign",
        f"{PATH}:70:13: error JMB415 signatures[2].method: the {MO}'s signature is on paper and is "
        "dated 2019-06-21, on or after [signing] digests_from = 2019-06-21 in jmb.toml: from then "
        "every signature needs a digest; sign with jmb sign",
        "1 record checked: 2 errors, 0 warnings",
    ]
    code, out, _ = invoke("verify")
    assert code == 1
    assert f"{PATH}:63:5: {CC}, Mark Heywood, 2019-06-21: FAILED (JMB415)" in out.splitlines()


def test_a_date_moved_back_or_removed_does_not_dodge_digests_from(paper_repo: Path) -> None:
    configure(paper_repo, "[signing]\ndigests_from = 2019-06-05\n")
    # Before the decision (2019-06-12), so before digests_from too: a date that cannot be right.
    edit(paper_repo, "    date: 2019-06-20\n", "    date: 2019-06-01\n")
    edit(paper_repo, "    name: Mark Heywood\n    date: 2019-06-21\n", "    name: Mark Heywood\n")
    code, out, _ = invoke("validate")
    assert code == 1
    lines = out.splitlines()
    assert f"{PATH}:60:11: error JMB403 signatures[0].date: " in "\n".join(lines)
    assert (
        f"{PATH}:61:13: error JMB415 signatures[0].method: the {PCC}'s signature is on paper and "
        "has no date that can be trusted, so it cannot be shown to precede [signing] digests_from "
        "= 2019-06-05 in jmb.toml: from then every signature needs a digest; sign with jmb sign"
    ) in lines
    assert any(
        line.startswith(f"{PATH}:65:13: error JMB415 signatures[1].method: ") for line in lines
    )
    assert any(" error JMB402 signatures[1].date: " in line for line in lines)


@pytest.mark.parametrize("field", ["digest", "key_id", "signature", "statement_digest"])
def test_a_paper_signature_claiming_what_jmb_makes_is_an_error(
    paper_repo: Path, field: str
) -> None:
    edit(paper_repo, "    method: wet-ink\n", f"    method: wet-ink\n    {field}: x\n")
    code, out, _ = invoke("validate")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{PATH}:67:{len(field) + 7}: error JMB415 signatures[1].{field}: the {CC}'s signature is "
        f"method: wet-ink but has {field}: a signature is made on paper or by jmb sign, not both; "
        "remove whichever is not true"
    )


def test_jmb415_cannot_be_silenced(paper_repo: Path) -> None:
    configure(paper_repo, "[signing]\ndigests_from = 2019-06-01\n")
    edit(
        paper_repo,
        "    method: paper\n    evidence: archive",
        "    method: paper  # jmb: disable=JMB415 it was signed in ink, honestly\n    evidence: archive",
    )
    code, out, _ = invoke("validate")
    assert code == 1
    assert f"{PATH}:61:13: error JMB415 signatures[0].method: " in out


def test_require_keys_accepts_paper_only_before_digests_from(paper_repo: Path) -> None:
    configure(paper_repo, "[signing]\nrequire_keys = true\n")
    code, out, _ = invoke("validate")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{PATH}:58:5: error JMB412 signatures[0]: the {PCC}'s signature of 2019-06-20 has no key, "
        "and [signing] require_keys = true in jmb.toml: every signature needs one (jmb sign --key); "
        "a signature on paper is accepted only when dated before [signing] digests_from"
    )
    assert out.endswith("1 record checked: 3 errors, 0 warnings\n")

    configure(paper_repo, "[signing]\nrequire_keys = true\ndigests_from = 2019-07-01\n")
    assert invoke("validate")[:2] == (0, "1 record checked: 0 errors, 0 warnings\n")


def test_a_key_valid_on_its_date_makes_a_paper_signature_an_error(paper_repo: Path) -> None:
    """A keyed signature stripped of its key and marked as signed on paper, to hide an edit."""
    shutil.copy(ROOT / "tests/cases/JMB412/fires-key-removed/signatories.yaml", paper_repo)
    configure(paper_repo, "[signing]\ndigests_from = 2026-01-01\n")
    code, out, _ = invoke("verify")
    assert code == 1
    assert f"{PATH}:63:5: {CC}, Mark Heywood, 2019-06-21: FAILED (JMB412)" in out.splitlines()


def test_digests_from_must_be_a_date(paper_repo: Path) -> None:
    configure(paper_repo, '[signing]\ndigests_from = "2019-06-21"\n')
    code, out, err = invoke("validate")
    assert (code, out) == (3, "")
    assert err.startswith("jmb: ")
    assert "jmb.toml:2: configuration error: signing.digests_from: " in err
    assert "is not a date: write it as a TOML date" in err
    assert len(err.splitlines()) == 1


def test_an_unknown_method_is_a_schema_error_and_the_signature_needs_its_digest(
    paper_repo: Path,
) -> None:
    edit(paper_repo, "    method: wet-ink\n", "    method: ink\n")
    code, out, _ = invoke("validate")
    assert code == 1
    assert (
        f"{PATH}:66:13: error JMB007 signatures[1].method: Input should be 'paper' or 'wet-ink' "
        "(found 'ink')"
    ) in out.splitlines()
    assert f"{PATH}:63:5: error JMB406 signatures[1]: " in out


def test_evidence_is_printed_with_its_controls_shown(paper_repo: Path) -> None:
    edit(paper_repo, "evidence: archive/2019-09-signed.pdf", 'evidence: "a\\x1b[2Jb.pdf"')
    code, out, _ = invoke("verify")
    assert code == 0  # verify checks the signatures; JMB012 is validate's
    assert "\x1b" not in out
    assert "the signed original is a\\x1b[2Jb.pdf" in out


def test_jmb_sign_never_writes_a_paper_signature(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_repo(tmp_path)
    text = path.read_text(encoding="utf-8")
    blank_mo = f"  - role: {MO}\n    name:\n    date:\n"
    assert text.count(blank_mo) == 1
    path.write_text(
        text.replace(
            blank_mo,
            f"  - role: {MO}\n    name: Abigail Leech\n    date: 2019-06-19\n    method: paper\n",
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)

    code, _, err = invoke("sign", "2019/09", "--role", MO, "--name", "Abigail Leech")
    assert code == 1
    assert f"the {MO} already signed {PATH} on 2019-06-19 (signatures[2]); a role signs once" in err

    code, _, _ = invoke("sign", "2019/09", "--role", PCC, "--name", "Clive Grunshaw", "--method")
    assert code == 2

    code, _, err = invoke(
        "sign", "2019/09", "--role", PCC, "--name", "Clive Grunshaw", "--date", "2019-06-20"
    )
    assert code == 0, err
    signed = yaml.safe_load(path.read_text(encoding="utf-8"))["signatures"][0]
    assert signed["role"] == PCC
    assert signed["digest"].startswith("sha256:")
    assert "method" not in signed and "evidence" not in signed


def _schema_accepts(record: Path) -> bool:
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("check-jsonschema")),
            "--schemafile",
            str(ROOT / "schemas" / "decision.schema.json"),
            str(record),
        ],
        capture_output=True,
        text=True,
    )
    return result.returncode == 0


def test_the_json_schema_knows_method_and_evidence(paper_repo: Path) -> None:
    """Editors and other tools read the committed schema: it takes a paper signature, and only
    the two words for one."""
    assert _schema_accepts(paper_repo / RECORD)
    edit(paper_repo, "    method: wet-ink\n", "    method: ink\n")
    assert not _schema_accepts(paper_repo / RECORD)


def test_a_declaration_on_paper_keeps_the_statement_printed_on_the_form(paper_repo: Path) -> None:
    """The words the Monitoring Officer declared in ink are what Part 1 shows, not today's
    configured statement; with no digest of its own, it is not JMB406's 'no statement_digest'."""
    edit(
        paper_repo,
        "    evidence: https://www.lancashire-pcc.gov.uk/decisions/2019-09-signed.pdf\n",
        "    evidence: https://www.lancashire-pcc.gov.uk/decisions/2019-09-signed.pdf\n"
        "    statement: I confirm that the advice of 2019 was taken into account.\n",
    )
    assert invoke("validate") == (0, "1 record checked: 0 errors, 0 warnings\n", "")
    code, out, err = invoke("render", "2019/09", "--format", "md")
    assert code == 0, err
    part1 = (paper_repo / out.strip()).read_text(encoding="utf-8")
    assert f"**{MO}:** I confirm that the advice of 2019 was taken into account." in part1
