"""Part 2 content never reaches a Part 1 output, in any format, nor in its file metadata.

Hypothesis puts random, distinctive strings in every Part 2 field (the marking, the review date, each
section's heading and text, in every place section text can hold one: a paragraph, a line after a
line break, bold, italic, a list item, a nested item, a link's text and address, a table's header
and cells) and looks for each in every Part 1 output: the HTML, the Markdown, the text
and metadata of the PDF, and every part of the Word file (its document, headers, footers and core
properties). The one Part 2 field left out is the exemption, which Part 1 states by design: the form
tells the public which exemption is relied on.

The same strings must appear in the Part 2 output, so the test would notice if it stopped looking.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pypdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jmb.record.model import Part2, Part2Section, Record
from jmb.render.part1 import part1_view
from jmb.render.part2 import part2_view
from jmb.render.renderer import Renderer
from jmb.render.views import long_date
from jmb.repo.config import Config
from tests.conftest import ROOT

APPROVED = ROOT / "tests" / "fixtures" / "approved-with-part2.yaml"
CONFIG = Config(root=ROOT / "tests" / "fixtures")
RENDERER = Renderer(CONFIG)

# Letters and digits, with a prefix no Part 1 text contains: a hit can only be a leak.
SECRET = st.text(
    alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789éßΩж",
    min_size=8,
    max_size=16,
).map(lambda text: f"Q7X{text}")


#: The same, in ASCII only: for a link's address, which every format writes percent-encoded.
ADDRESS_SECRET = st.text(
    alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", min_size=8, max_size=16
).map(lambda text: f"Q7X{text}")


def section_text(secrets: tuple[str, ...]) -> str:
    """Section text that puts each of ``secrets`` (eight) in a place of its own in the blocks."""
    first, second, third, fourth, fifth, sixth, seventh, address = secrets
    return (
        f"{first}\nThe terms are **{second}**.\n\n"
        f"- *{third}*\n  - [{fourth}](https://example.org/{address})\n\n"
        f"| {fifth} | Price |\n| --- | --- |\n| {sixth} | {seventh} |\n"
    )


def base_record() -> Record:
    import yaml

    return Record.model_validate(yaml.safe_load(APPROVED.read_text(encoding="utf-8")))


BASE = base_record()


def texts_of_pdf(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    metadata = reader.metadata or {}
    xmp = reader.trailer["/Root"].get("/Metadata")
    parts = [page.extract_text() for page in reader.pages]
    parts += [str(value) for value in metadata.values()]
    if xmp is not None:
        parts.append(xmp.get_object().get_data().decode("utf-8", "replace"))
    outlines = reader.outline
    parts += [str(item.title) for item in outlines if hasattr(item, "title")]
    return "\n".join(parts)


def texts_of_docx(data: bytes) -> str:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=False,
)
@given(
    marking=SECRET,
    review_year=st.integers(min_value=2090, max_value=2099),
    sections=st.lists(st.tuples(SECRET, *([SECRET] * 7), ADDRESS_SECRET), min_size=1, max_size=3),
)
def test_no_part2_field_reaches_part1(
    marking: str, review_year: int, sections: list[tuple[str, ...]]
) -> None:
    review_on = date(review_year, 3, 1)
    part2 = Part2(
        marking=marking,
        exemption="s.43 commercial interests",
        review_on=review_on,
        sections=[
            Part2Section(heading=secrets[0], text=section_text(secrets[1:])) for secrets in sections
        ],
    )
    record = BASE.model_copy(update={"part2": part2})
    secrets = [marking, long_date(review_on), review_on.isoformat()]
    secrets += [secret for each in sections for secret in each]

    part1 = part1_view(record, CONFIG, draft=False)
    outputs = {
        "html": RENDERER.render(part1, "html").decode("utf-8"),
        "md": RENDERER.render(part1, "md").decode("utf-8"),
        "pdf": texts_of_pdf(RENDERER.render(part1, "pdf")),
        "docx": texts_of_docx(RENDERER.render(part1, "docx")),
    }
    for fmt, output in outputs.items():
        leaked = [secret for secret in secrets if secret in output]
        assert not leaked, f"Part 2 content in the Part 1 {fmt}: {leaked}"
        assert "s.43" in output  # the exemption is stated, as the form requires

    part2_html = RENDERER.render(part2_view(record, CONFIG), "html").decode("utf-8")
    assert all(secret in part2_html for secret in secrets if secret != review_on.isoformat())
    # Every place of the blocks was used: the test looks where Part 2 text can now go.
    for tag in ("<br>", "<strong>", "<em>", "<ul>", '<a href="https://example.org/', "<th "):
        assert tag in part2_html
