"""Part 2 content never reaches the public website, in any file of it or in any file's name.

Hypothesis puts random, distinctive strings in every Part 2 field that the public may not see (the
marking, each section's heading and text), builds the whole site with ``jmb publish`` (pages, the
PDF and Word files, the open data, feed and sitemap, the search index, the manifest), and looks for
each string in every file: as bytes, as the text of each PDF, inside each Word file and each
compressed search-index file, and in every path. The exemption and its review date are stated on
the site by design (the form and the register say which exemption is relied on and until when).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import shutil
import tempfile
import zipfile
from pathlib import Path

import pypdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jmb.publish.manifest import digest
from jmb.publish.site import publish
from jmb.repo.config import read_config
from tests.publish_support import signed_record

SECRET = st.text(
    alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789éßΩж",
    min_size=8,
    max_size=16,
).map(lambda text: f"Q7X{text}")

#: Pagefind writes its index files gzip-compressed, after a signature of its own.
_PAGEFIND_SIGNATURE = b"pagefind_dcd"


def readable_texts(path: Path) -> list[str]:
    """Every way a reader of ``path`` could see text in it."""
    data = path.read_bytes()
    texts = [data.decode("utf-8", "replace")]
    if data.startswith(b"%PDF"):
        reader = pypdf.PdfReader(io.BytesIO(data))
        texts += [page.extract_text() for page in reader.pages]
        texts += [str(value) for value in (reader.metadata or {}).values()]
    if data.startswith(b"PK"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        texts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    if data.startswith(b"\x1f\x8b"):
        unpacked = gzip.decompress(data)
        texts.append(unpacked.removeprefix(_PAGEFIND_SIGNATURE).decode("utf-8", "replace"))
    return texts


def leaks(site: Path, secrets: list[str]) -> list[str]:
    found = []
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        found += [f"{name}: in the name: {secret}" for secret in secrets if secret in name]
        if path.is_file():
            for text in readable_texts(path):
                found += [f"{name}: {secret}" for secret in secrets if secret in text]
    return found


def part2_yaml(marking: str, sections: list[tuple[str, str, str]]) -> str:
    lines = [
        "part2:",
        f"  marking: {marking}",
        "  exemption: s.43 commercial interests",
        "  review_on: 2031-03-01",
        "  sections:",
    ]
    for heading, first, second in sections:
        lines += [
            f"    - heading: {heading}",
            f'      text: "{first}\\n\\nThe terms are {second}."',
        ]
    return "\n".join(lines) + "\n"


def build_site(
    root: Path, marking: str, sections: list[tuple[str, str, str]], search: bool
) -> Path:
    folder = root / "records" / "2019"
    folder.mkdir(parents=True)
    (root / "jmb.toml").write_text('[publication]\nbase_url = "https://decisions.example.org/"\n')
    (folder / "2019-09-single-online-home.yaml").write_text(
        signed_record("2019/09", "Single Online Home", part2=part2_yaml(marking, sections))
    )
    result = publish(read_config(root / "jmb.toml"), search=search, jobs=1)
    assert result.decisions == 1
    return result.site


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marking=SECRET, sections=st.lists(st.tuples(SECRET, SECRET, SECRET), min_size=1, max_size=3))
def test_no_part2_field_reaches_the_site(
    marking: str, sections: list[tuple[str, str, str]]
) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        site = build_site(root, marking, sections, search=True)
        secrets = [marking, *(secret for triple in sections for secret in triple)]
        # A digest of the record file is a Part 2 fact too: guesses at a short Part 2 could be
        # tested against it. The manifest that holds one is beside the site, never in it.
        content = (root / "records/2019/2019-09-single-online-home.yaml").read_bytes()
        secrets += [hashlib.sha256(content).hexdigest(), digest(content)]
        assert digest(content) in (root / "build/site.jmb-manifest.json").read_text()
        assert leaks(site, secrets) == []
        assert any((site / "pagefind").rglob("*.pf_fragment"))  # the search index was looked in
        page = (site / "decisions/2019-09/index.html").read_text()
        assert "s.43 commercial interests" in page and "1 March 2031" in page
        # The record itself holds them: the test would see a leak.
        record = (root / "records/2019/2019-09-single-online-home.yaml").read_text()
        assert all(secret in record for secret in secrets[: 1 + 3 * len(sections)])
    finally:
        shutil.rmtree(root)


def test_the_leak_finder_finds_leaks(tmp_path: Path) -> None:
    """The search itself: a secret in a PDF's text, a Word file, a compressed file or a name."""
    (tmp_path / "Q7Xname").write_text("")
    (tmp_path / "a.gz").write_bytes(gzip.compress(_PAGEFIND_SIGNATURE + b"Q7Xgz"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "Q7Xdocx" * 20)
    (tmp_path / "a.docx").write_bytes(buffer.getvalue())
    assert leaks(tmp_path, ["Q7Xname", "Q7Xgz", "Q7Xdocx"]) == [
        "Q7Xname: in the name: Q7Xname",
        "a.docx: Q7Xdocx",
        "a.gz: Q7Xgz",
    ]
