"""A decision repository with signed, approved records, for the tests of ``jmb publish``."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from jmb.record.canonical import content_digest
from tests.conftest import ROOT

APPROVED = (ROOT / "tests" / "fixtures" / "approved-with-part2.yaml").read_text(encoding="utf-8")


def signed_record(
    number: str,
    title: str,
    *,
    year: int = 2019,
    status: str = "approved",
    history: str = "",
    summary: str | None = None,
    part2: str | None = None,
    extra: str = "",
) -> str:
    """The approved fixture with another number, title and date, signed again over its new content
    (so that it is clean), with every date moved to ``year``, with ``history`` entries after its own and ``extra`` fields at the end."""
    text = APPROVED.replace('number: "2019/09"', f'number: "{number}"')
    text = text.replace("title: Single Online Home", f"title: {title}", 1)
    # Every date of the record moves to ``year``: decided, signed, approved.
    text = text.replace("date: 2019-06-", f"date: {year}-06-")
    text = text.replace("status: approved\n", f"status: {status}\n", 1)
    if summary is not None:
        start = text.index("executive_summary: |\n")
        end = text.index("\nrecommendation:")
        text = text[:start] + f"executive_summary: |\n  {summary}\n" + text[end:]
    if part2 is not None:
        start = text.index("part2:\n")
        end = text.index("signatures:\n")
        text = text[:start] + part2 + text[end:]
    text = text.rstrip("\n") + "\n" + history + extra
    return resign(text)


def resign(text: str) -> str:
    """``text`` with every signature's digest made that of its content as it now is."""
    digest = content_digest(yaml.safe_load(text))
    return re.sub(r"digest: sha256:[0-9a-f]{64}", f"digest: {digest}", text)


def write_office(root: Path, *, base_url: str | None = "https://decisions.example.org/") -> Path:
    """Three public decisions over two years (2019/09 approved with a Part 2; 2019/10 published;
    2020/01 approved) and a draft, with ``base_url`` in ``jmb.toml``."""
    folder = root / "records"
    (folder / "2019").mkdir(parents=True)
    (folder / "2020").mkdir(parents=True)
    (folder / "2019" / "2019-09-single-online-home.yaml").write_text(
        signed_record("2019/09", "Single Online Home")
    )
    (folder / "2019" / "2019-10-estates-strategy.yaml").write_text(
        signed_record(
            "2019/10",
            "Estates strategy",
            status="published",
            summary="A shared estates strategy for the constabulary and the fire service.",
            history="  - status: published\n    date: 2019-06-25\n",
        )
    )
    (folder / "2020" / "2020-01-body-worn-video.yaml").write_text(
        signed_record(
            "2020/01",
            "Body-worn video",
            year=2020,
            summary="Replacing the body-worn video cameras of response officers.",
        )
    )
    draft = APPROVED.replace('number: "2019/09"', 'number: "2019/11"').replace(
        "status: approved\n", "status: draft\n", 1
    )
    (folder / "2019" / "2019-11-a-draft.yaml").write_text(
        draft.replace("title: Single Online Home", "title: A draft nobody may see", 1)
    )
    if base_url is not None:
        (root / "jmb.toml").write_text(f'[publication]\nbase_url = "{base_url}"\n')
    return root
