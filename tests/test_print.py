"""Print-ready Part 1 and Part 2 (issue 11): Word on A4 with the office's margins, a header and a
"Page X of Y" footer; PDF pages numbered with the decision number in the footer, headings and
captions kept with what follows; the exemption named once; ``--format all``."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from docx import Document
from typer.testing import CliRunner

from jmb.cli import app
from jmb.render.part1 import exempt_under
from jmb.render.renderer import render
from jmb.repo.config import Config
from tests.conftest import ROOT, TODAY

APPROVED = ROOT / "tests" / "fixtures" / "approved-with-part2.yaml"
RECORD = "records/2019/2019-09-single-online-home.yaml"


def make_repo(root: Path, text: str) -> Path:
    target = root / RECORD
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")
    return root


def rendered(
    root: Path, fmt: str, part: int = 1, config: Config | None = None, draft: bool = False
) -> bytes:
    (path,) = render(
        ["2019/09"],
        config=config or Config(root=root),
        part=part,  # type: ignore[arg-type]
        fmt=fmt,  # type: ignore[arg-type]
        draft=draft,
        today=TODAY,
    ).written
    return path.read_bytes()


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def docx_text(data: bytes) -> str:
    return " ".join(" ".join(p.text.split()) for p in Document(io.BytesIO(data)).paragraphs)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


# -- the exemption, named once -------------------------------------------------------------------

NAMED_ONCE = (
    "A separate Part 2 of this decision holds information that is exempt from publication under "
    "the Freedom of Information Act 2000, section 43."
)


@pytest.fixture
def act_in_exemption(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The approved example whose exemption names the Act itself, as many offices write it (an
    edit after signing: rendered as a draft)."""
    text = APPROVED.read_text(encoding="utf-8").replace(
        "exemption: s.43 commercial interests",
        "exemption: Freedom of Information Act 2000, section 43",
    )
    monkeypatch.chdir(make_repo(tmp_path, text))
    return tmp_path


@pytest.mark.parametrize(
    ("fmt", "read"),
    [
        ("html", lambda data: " ".join(data.decode().split())),
        ("md", lambda data: " ".join(data.decode().split())),
        ("pdf", pdf_text),
        ("docx", docx_text),
    ],
)
def test_part1_names_the_act_of_the_exemption_once(
    act_in_exemption: Path, fmt: str, read: object
) -> None:
    text = read(rendered(act_in_exemption, fmt, draft=True))  # type: ignore[operator]
    assert NAMED_ONCE in text
    assert text.count("Freedom of Information Act 2000") == 2  # section 6's statement, and here


@pytest.mark.parametrize(
    ("exemption", "said"),
    [
        ("", "the Freedom of Information Act 2000"),
        (
            "s.43 commercial interests",
            "the Freedom of Information Act 2000: s.43 commercial interests",
        ),
        (
            "Freedom of Information Act 2000, section 43",
            "the Freedom of Information Act 2000, section 43",
        ),
        (
            "section 43 of the Freedom of Information Act 2000",
            "section 43 of the Freedom of Information Act 2000",
        ),
        (
            "Section 43 of the Freedom of Information Act",
            "Section 43 of the Freedom of Information Act",
        ),
        ("FOIA s.43", "FOIA s.43"),
        ("freedom of information act, s.43", "freedom of information act, s.43"),
        ("The Freedom of Information Act 2000, s.43", "The Freedom of Information Act 2000, s.43"),
        (
            "Environmental Information Regulations 2004, regulation 12(5)(e)",
            "the Environmental Information Regulations 2004, regulation 12(5)(e)",
        ),
    ],
)
def test_the_exemption_reads_after_under(exemption: str, said: str) -> None:
    assert exempt_under(exemption) == said
