"""The PDF reader of ``jmb import`` (issue 10): a form made into a PDF here (by WeasyPrint, as an
office's website would hold it) read back as blocks; scans and locked PDFs refused on one line."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pypdf
import pytest
import weasyprint
import yaml

from jmb.core.constants import RC
from jmb.core.errors import FormReadError
from jmb.ingest.blocks import Kind
from jmb.ingest.pdf import read_pdf
from jmb.ingest.readers import READERS
from jmb.ingest.word import read_docx
from tests.signing_support import invoke
from tests.test_ingest_word import RECOMMENDATIONS, SUMMARY

H, P, L, T = Kind.HEADING, Kind.PARAGRAPH, Kind.LIST_ITEM, Kind.TABLE


# The reference form as Lancashire's website publishes it: bold headings set in the body's size,
# a header table of run-in labels, a typed numbered list, a signature table, numbered section
# headings, a second page.
LANCASHIRE_HTML = f"""<!doctype html>
<html><head><style>
  @page {{ size: A4; margin: 2cm; }}
  body {{ font-family: "DejaVu Sans", sans-serif; font-size: 11pt; }}
  p {{ margin: 0 0 1em; }}
  ol {{ margin: 0 0 1em; }}
</style></head><body>
<p><strong>JOINT MANAGEMENT BOARD</strong></p>
<table style="margin-bottom: 1em">
  <tr><td>DECISION 2019/09</td><td style="padding-left: 4cm">DATE: 12 JUNE 2019</td></tr>
  <tr><td>TITLE : SINGLE ONLINE HOME</td><td></td></tr>
</table>
<p><strong>Executive Summary</strong></p>
<p>{SUMMARY}</p>
<p><strong>Recommendation</strong></p>
<p>The Police and Crime Commissioner and Chief Constable are recommended to</p>
<ol><li>{RECOMMENDATIONS[0]}</li><li>{RECOMMENDATIONS[1]}</li></ol>
<table>
  <tr><td>Signature</td><td style="padding-left: 4cm">Signature</td></tr>
  <tr><td>Police and Crime Commissioner</td><td style="padding-left: 4cm">Chief Constable</td></tr>
</table>
<p style="break-before: page">1. Background and Advice</p>
<p>The Digital Public Contact Programme has delivered a national online contact platform.</p>
<ul><li>a bulleted point</li></ul>
</body></html>"""


def pdf_of(html: str, path: Path) -> Path:
    path.write_bytes(weasyprint.HTML(string=html).write_pdf())
    return path


def test_a_published_form_reads_as_blocks_with_page_and_line(tmp_path: Path) -> None:
    blocks = read_pdf(pdf_of(LANCASHIRE_HTML, tmp_path / "2019-09.pdf"))

    assert [(b.kind, b.text, b.where) for b in blocks] == [
        (H, "JOINT MANAGEMENT BOARD", "page 1, line 1"),
        # A table's cells, apart on the page, are a table's row: a tab between them in the text.
        (T, "", "page 1, line 2"),
        (H, "TITLE : SINGLE ONLINE HOME", "page 1, line 3"),
        (H, "Executive Summary", "page 1, line 4"),
        (P, SUMMARY, "page 1, line 5"),
        (H, "Recommendation", "page 1, line 8"),
        (P, "The Police and Crime Commissioner and Chief Constable are recommended to",
         "page 1, line 9"),
        (L, RECOMMENDATIONS[0], "page 1, line 10"),
        (L, RECOMMENDATIONS[1], "page 1, line 12"),
        (T, "", "page 1, line 14"),
        (H, "1. Background and Advice", "page 2, line 1"),
        (P, "The Digital Public Contact Programme has delivered a national online contact "
         "platform.", "page 2, line 2"),
        (L, "a bulleted point", "page 2, line 4"),
    ]  # fmt: skip
    # ``line`` runs on from page to page; the numbered items are numbered, the bullet is not.
    assert [b.line for b in blocks][-3:] == [16, 17, 19]
    assert [(b.ordered, b.level) for b in blocks if b.kind is L] == [(True, 0)] * 2 + [(False, 0)]
    assert [b.rows for b in blocks if b.kind is T] == [
        (("DECISION 2019/09", "DATE: 12 JUNE 2019"),),
        (("Signature", "Signature"), ("Police and Crime Commissioner", "Chief Constable")),
    ]
    assert [b.bold for b in blocks if b.kind is H] == [True, False, True, True, False]
    assert blocks[-3].level == 1  # a section number's depth


def test_a_word_form_made_into_a_pdf_reads_as_the_word_form_does(tmp_path: Path) -> None:
    """The same form read from Word and from its PDF gives the same sequence of kinds and texts."""
    import docx

    document = docx.Document()
    document.add_heading("Decision Notice", level=1)
    document.add_heading("Recommendation", level=2)
    document.add_paragraph("Approve the estates strategy.", style="List Bullet")
    document.add_paragraph(SUMMARY)
    document.save(str(tmp_path / "073-2013.docx"))
    html = (
        "<h1>Decision Notice</h1><h2>Recommendation</h2>"
        f"<ul><li>Approve the estates strategy.</li></ul><p>{SUMMARY}</p>"
    )
    from_pdf = read_pdf(pdf_of(html, tmp_path / "073-2013.pdf"))
    from_word = read_docx(tmp_path / "073-2013.docx")

    assert [(b.kind, b.text) for b in from_pdf] == [(b.kind, b.text) for b in from_word]
    assert [b.level for b in from_pdf if b.kind is H] == [0, 0]  # a size says heading, not level


def test_the_wide_gaps_of_justified_text_are_not_columns(tmp_path: Path) -> None:
    """A narrow justified paragraph spreads its words (four spaces and more in pypdf's layout,
    as between a table's cells), but it is one paragraph of words."""
    words = "Internationalisation of a collaboration agreement notwithstanding responsibilities"
    html = f'<p style="text-align: justify; width: 8cm">{" ".join([words] * 4)}</p>'
    (block,) = read_pdf(pdf_of(html, tmp_path / "justified.pdf"))
    assert (block.kind, block.text) == (P, " ".join([words] * 4))


def test_readers_are_found_by_suffix() -> None:
    assert READERS[".docx"] is read_docx
    assert READERS[".pdf"] is read_pdf


def refused(path: Path) -> str:
    """The one-line message a refused file gives, which names it; its exit code is 1."""
    with pytest.raises(FormReadError) as caught:
        read_pdf(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    assert caught.value.exit_code == RC.FINDINGS == 1
    return message


def png(width: int, height: int) -> bytes:
    """A grey PNG image: the page of a scanner."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_a_scan_is_refused_not_read_as_nothing(tmp_path: Path) -> None:
    image = tmp_path / "scan.png"
    image.write_bytes(png(200, 280))
    page = f'<img src="{image.as_uri()}" style="width: 100%">'
    path = tmp_path / "scan.pdf"
    path.write_bytes(weasyprint.HTML(string=page, base_url=str(tmp_path)).write_pdf())
    assert b"/Image" in path.read_bytes()  # there is a page, an image on it, and no text

    assert "has no text layer: it is a scan; jmb cannot read it" in refused(path)


def encrypted(path: Path, user_password: str) -> Path:
    source = pypdf.PdfReader(io.BytesIO(weasyprint.HTML(string=LANCASHIRE_HTML).write_pdf()))
    writer = pypdf.PdfWriter(clone_from=source)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    with path.open("wb") as stream:
        writer.write(stream)
    return path


def test_a_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    path = encrypted(tmp_path / "locked.pdf", "secret")
    assert "is password-protected (encrypted)" in refused(path)


def test_a_pdf_that_only_restricts_copying_is_read(tmp_path: Path) -> None:
    """Encrypted with an empty password (any viewer opens it; only printing or copying is
    restricted): it is read as any other."""
    blocks = read_pdf(encrypted(tmp_path / "restricted.pdf", ""))
    assert blocks[0].text == "JOINT MANAGEMENT BOARD"


def test_a_file_that_is_not_a_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "form.pdf"
    path.write_bytes(b"PK\x03\x04 a zip, not a PDF")
    assert "is not a PDF file" in refused(path)


def test_a_damaged_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n%%EOF\n")
    assert "is a malformed PDF: startxref not found" in refused(path)


def test_a_pdf_compressed_by_a_filter_nobody_knows_is_refused(tmp_path: Path) -> None:
    # pypdf writes the cross-reference table plain, so only the streams name the filter.
    writer = pypdf.PdfWriter(
        clone_from=pypdf.PdfReader(io.BytesIO(weasyprint.HTML(string=LANCASHIRE_HTML).write_pdf()))
    )
    whole = io.BytesIO()
    writer.write(whole)
    assert b"/FlateDecode" in whole.getvalue()
    path = tmp_path / "filter.pdf"
    path.write_bytes(whole.getvalue().replace(b"/FlateDecode", b"/FlateDecodx"))
    assert "is a malformed PDF: Unsupported filter /FlateDecodx" in refused(path)


def test_a_pdf_cut_short_anywhere_is_read_or_refused_never_a_crash(tmp_path: Path) -> None:
    whole = weasyprint.HTML(string=LANCASHIRE_HTML).write_pdf()
    path = tmp_path / "cut.pdf"
    for cut in range(9, len(whole), max(1, len(whole) // 40)):
        path.write_bytes(whole[:cut])
        try:
            read_pdf(path)
        except FormReadError as error:
            assert str(error).startswith(f"{path}: ")


def test_a_missing_pdf_is_refused(tmp_path: Path) -> None:
    assert "cannot be read" in refused(tmp_path / "absent.pdf")


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_a_fifo_or_an_oversized_file_is_refused_before_it_is_opened(
    tmp_path: Path, suffix: str
) -> None:
    """A FIFO named like a form would make the reader wait for a writer forever; a file past the
    cap is refused without being read (a sparse file: its bytes are never written)."""
    import os

    reader = READERS[suffix]
    fifo = tmp_path / f"form{suffix}"
    os.mkfifo(fifo)
    with pytest.raises(FormReadError, match=r"form\.\w+: is not a regular file$"):
        reader(fifo)
    large = tmp_path / f"large{suffix}"
    with large.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024 + 1)
    with pytest.raises(FormReadError, match=r"large\.\w+: is 52,428,801 bytes, more than the "):
        reader(large)


def test_a_published_pdf_form_imports_as_a_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF reader and the mapping together, through jmb import: the header's table row and
    run-in title, the summary, the recommendation and a section reach their fields."""
    form = pdf_of(LANCASHIRE_HTML, tmp_path / "2019-09.pdf")
    (tmp_path / "office" / "records").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "office")
    code, out, err = invoke("import", str(form))
    assert code == 0, err
    assert out.splitlines()[0] == "records/2019/2019-09-single-online-home.yaml"
    record = yaml.safe_load(
        (tmp_path / "office/records/2019/2019-09-single-online-home.yaml").read_text()
    )
    assert (record["number"], record["title"], str(record["date"])) == (
        "2019/09",
        "SINGLE ONLINE HOME",
        "2019-06-12",
    )
    assert record["executive_summary"].split() == SUMMARY.split()
    assert record["recommendation"]["items"] == list(RECOMMENDATIONS)
    assert record["background"].startswith("The Digital Public Contact Programme has delivered")
