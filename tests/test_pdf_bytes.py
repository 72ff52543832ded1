"""A PDF is the same bytes from any process, at any time, in any time zone (issue 9).

Two separate ``python -m jmb render`` processes, started a second apart with different time zones,
make the same Part 1 PDF. The clocks that reach a PDF are those of jmb.render.clock: fontTools'
timestamp in every font it writes (a variable font's instance, and every font subset where the system
has no HarfBuzz subsetter) and WeasyPrint's in every file a template embeds.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pypdf
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables.TupleVariation import TupleVariation

from jmb.render.renderer import render
from jmb.repo.config import Config
from tests.conftest import ROOT, TODAY

APPROVED = ROOT / "tests" / "fixtures" / "approved-with-part2.yaml"
RECORD = "records/2019/2019-09-single-online-home.yaml"
#: Midnight UTC of the record's date, 12 June 2019, in seconds since 1970 and as a font counts it.
RECORD_DAY = 1560297600
FONT_EPOCH = 2082844800  # 1904 to 1970


def variable_font(path: Path) -> None:
    """A small variable font (a weight axis; every ASCII character a box that widens with weight),
    as an office's own font in its template folder would be: most fonts are shipped variable now."""
    characters = range(0x21, 0x7F)
    names = [".notdef", "space", *(f"u{code:04X}" for code in characters)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({32: "space", **{code: f"u{code:04X}" for code in characters}})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        if name != "space":
            pen.moveTo((50, 0))
            pen.lineTo((50, 700))
            pen.lineTo((450, 700))
            pen.lineTo((450, 0))
            pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(dict.fromkeys(names, (500, 0)))
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Office Sans", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.setupFvar(axes=[("wght", 100, 400, 900, "Weight")], instances=[])
    wider = [(0, 0), (0, 0), (100, 0), (100, 0), (0, 0), (0, 0), (0, 0), (0, 0)]
    builder.setupGvar(
        {name: [TupleVariation({"wght": (0, 1.0, 1.0)}, wider)] for name in names[2:]}
    )
    builder.save(str(path))


def office_repository(root: Path, *, font: bool = False, attachment: bool = False) -> Path:
    """A repository with one approved record and a template folder of its own: jmb's stylesheet with
    the office's variable font, and/or jmb's layout embedding a file of the template folder."""
    record = root / RECORD
    record.parent.mkdir(parents=True)
    (root / "jmb.toml").write_text(
        "", encoding="utf-8"
    )  # its office's jmb.toml: no notice of the defaults in the stderr compared whole
    record.write_text(APPROVED.read_text(encoding="utf-8"), encoding="utf-8")
    templates = root / "templates"
    templates.mkdir()
    builtin = ROOT / "templates"
    if font:
        variable_font(templates / "office-sans.ttf")
        (templates / "style.css").write_text(
            (builtin / "style.css").read_text(encoding="utf-8")
            + '@font-face { font-family: "Office Sans"; src: url(office-sans.ttf); }\n'
            + 'body { font-family: "Office Sans", "DejaVu Sans", sans-serif; }\n',
            encoding="utf-8",
        )
    if attachment:
        (templates / "reuse.txt").write_text("Open Government Licence v3.0\n", encoding="utf-8")
        layout = (builtin / "layout.html.j2").read_text(encoding="utf-8")
        assert '<meta name="generator" content="jmb">' in layout and "<body>" in layout
        (templates / "layout.html.j2").write_text(
            layout.replace(
                '<meta name="generator" content="jmb">',
                '<meta name="generator" content="jmb">\n'
                '<link rel="attachment" href="reuse.txt" title="Terms of reuse">',
            ).replace(
                "<body>", '<body>\n<p><a rel="attachment" href="reuse.txt">Terms of reuse</a></p>'
            ),
            encoding="utf-8",
        )
    return root


def render_in_a_process(repo: Path, out: str, **environment: str | None) -> bytes:
    """The Part 1 PDF of 2019/09 made by ``python -m jmb render`` in a process of its own, with
    ``environment`` changed (``None``: unset)."""
    env = dict(os.environ)
    for name, value in environment.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    run = subprocess.run(
        [sys.executable, "-m", "jmb", "render", "2019/09", "--format", "pdf", "--out", out],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert (run.returncode, run.stderr) == (0, "")
    return (repo / out / "2019-09-part1.pdf").read_bytes()


def font_stamps(pdf: bytes) -> set[tuple[str, int]]:
    """Each embedded font's name and its ``head.modified`` timestamp, in seconds since 1970."""
    stamps = set()
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                data = descriptor["/FontFile2"].get_object().get_data()
                modified = TTFont(io.BytesIO(data))["head"].modified - FONT_EPOCH
                stamps.add((str(descriptor["/FontName"]), modified))
    return stamps


@pytest.mark.parametrize("what", ["variable font", "attachment"])
def test_two_processes_a_second_apart_make_the_same_pdf(tmp_path: Path, what: str) -> None:
    """The second process runs in another time zone, and under a build system that sets
    SOURCE_DATE_EPOCH (the time of its last commit, say), which is not the record's date either."""
    repo = office_repository(
        tmp_path, font=what == "variable font", attachment=what == "attachment"
    )
    first = render_in_a_process(repo, "first", SOURCE_DATE_EPOCH=None, TZ="UTC")
    time.sleep(1.1)  # PDF, font and attachment stamps count seconds
    second = render_in_a_process(
        repo, "second", SOURCE_DATE_EPOCH="1000000000", TZ="Pacific/Auckland"
    )
    assert first == second
    if what == "variable font":
        stamps = font_stamps(first)
        assert any("Office-Sans" in name for name, _ in stamps)  # the font was used and embedded
        # Fonts jmb writes carry the record's date; the system's own keep their maker's.
        assert {stamp for name, stamp in stamps if "Office-Sans" in name} == {RECORD_DAY}
    else:
        assert first.count(b"/CreationDate (D:20190612000000Z)/ModDate (D:20190612000000Z)") == 2


def test_without_a_harfbuzz_subsetter_the_fonts_carry_the_records_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system's HarfBuzz has no subsetter, fontTools subsets every font (the DejaVu Sans
    of jmb's stylesheet too) and stamps each: with the record's date, not the caller's clock, and
    the caller's environment is left as it was."""
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    monkeypatch.chdir(office_repository(tmp_path))
    config = Config(root=tmp_path)
    made = []
    for epoch in (None, "1000000000"):
        if epoch is None:
            monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        else:
            monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        (path,) = render(["2019/09"], config=config, fmt="pdf", today=TODAY).written
        assert os.environ.get("SOURCE_DATE_EPOCH") == epoch
        made.append(path.read_bytes())
    assert made[0] == made[1]
    assert {stamp for _, stamp in font_stamps(made[0])} == {RECORD_DAY}
    assert weasyprint.datetime is datetime  # WeasyPrint's clock runs again
