"""What a repository's templates can reach (issue 8, item 8).

Templates are code: they run in Jinja's immutable sandbox, read no file that is a link, not a
regular file or outside their folder (nor anything in a ``confidential/`` folder, where Part 2 is
written), come from a folder inside the repository and apart from the records, and the PDF they make
fetches nothing else.
"""

from __future__ import annotations

import dataclasses
import io
import os
import zipfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pypdf
import pytest

from jmb.record.model import Record
from jmb.render.part1 import Part1View, part1_view
from jmb.render.renderer import _confined_fetcher
from jmb.repo.config import Config
from tests.conftest import ROOT
from tests.signing_support import invoke

RECORD = Path("records/2019/2019-09-single-online-home.yaml")
APPROVED = ROOT / "tests" / "fixtures" / "approved-with-part2.yaml"
PART1 = (ROOT / "templates" / "part1-body.html.j2").read_text(encoding="utf-8")
#: Where a repository template can put its own markup: just after the first heading of Part 1.
HOOK = "<h2>{{ view.headings.executive_summary }}</h2>"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the approved record with a Part 2, as the current folder."""
    (tmp_path / RECORD).parent.mkdir(parents=True)
    (tmp_path / RECORD).write_text(APPROVED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "templates").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ joiner.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ namespace.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch PWNED').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context }}",
    "{{ view.__class__.__init__.__globals__ }}",
    "{{ view.header.__dict__ }}",
    "{{ view.headings.__class__.__mro__[-1].__subclasses__() }}",
    "{{ ('a' ~ 'b').format.__self__.__class__ }}",
    "{{ '{0.__class__.__base__.__subclasses__}'.format(view) }}",
    "{% set items = [] %}{{ items.append(view) }}",
]


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_template_cannot_escape_the_sandbox(repo: Path, escape: str) -> None:
    (repo / "templates/part1-body.html.j2").write_text(PART1.replace(HOOK, HOOK + escape))
    code, out, err = invoke("render", "2019/09")
    assert (code, out) == (1, "")
    line = PART1[: PART1.index(HOOK)].count("\n") + 1
    assert err.startswith(f"jmb: {repo / 'templates/part1-body.html.j2'}:{line}: template error: ")
    assert err.count("\n") == 1
    assert not (repo / "PWNED").exists()
    assert not (repo / "build").exists()


def test_jmb_templates_render_in_the_sandbox_as_before(repo: Path) -> None:
    """The golden files (tests/test_render.py) pin the bytes; here the sandbox is what runs them."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from jmb.render.renderer import Renderer

    assert isinstance(
        Renderer(Config(root=repo)).templates.environment, ImmutableSandboxedEnvironment
    )
    assert invoke("render", "2019/09", "--format", "md")[0] == 0


def test_part1_view_holds_no_way_to_the_record() -> None:
    """Everything reachable from a Part1View is text, numbers, tuples, mappings of them, or jmb's
    own plain view classes: no record, no model, nothing with Part 2 in it."""
    import yaml

    record = Record.model_validate(yaml.safe_load(APPROVED.read_text(encoding="utf-8")))
    view = part1_view(record, Config(root=ROOT / "tests" / "fixtures"), draft=False)
    seen: list[object] = []

    def walk(value: object) -> None:
        seen.append(value)
        if isinstance(value, str | int | bool | date | type(None)):  # a date leads nowhere
            return
        if isinstance(value, tuple):
            for item in value:
                walk(item)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif dataclasses.is_dataclass(value) and type(value).__module__.startswith("jmb.render."):
            for field in dataclasses.fields(value):
                walk(getattr(value, field.name))
        else:
            raise AssertionError(f"a Part1View reaches a {type(value).__name__}")

    walk(view)
    assert isinstance(view, Part1View)
    assert not any("commercially confidential" in str(value) for value in seen)


def test_a_linked_stylesheet_is_refused_and_not_inlined(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.txt"
    outside.write_text("TOP-SECRET-CONTENT-7731")
    (repo / "templates/style.css").symlink_to(outside)
    for fmt in ("html", "pdf"):
        code, out, err = invoke("render", "2019/09", "--format", fmt)
        assert (code, out) == (1, "")
        assert err == (
            f"jmb: {repo / 'templates/style.css'}: a template file may not be a symbolic link (it "
            "could bring in any file on this machine); put the file itself in the template folder\n"
        )
    assert not (repo / "build").exists()


@pytest.mark.parametrize(
    "make",
    [
        # A template that is a link, even to a file of the repository.
        lambda root: (root / "templates/part1.html.j2").symlink_to(root / RECORD),
        # A folder of templates that is a link, reached by an include.
        lambda root: (root / "templates/inc").symlink_to(root / "records"),
        # A FIFO, which would hang the render.
        lambda root: os.mkfifo(root / "templates/part1.html.j2"),
    ],
    ids=["linked template", "linked folder", "fifo"],
)
def test_template_files_that_are_not_plain_files_are_refused(repo: Path, make: object) -> None:
    if "inc" in repr(make.__code__.co_consts):  # type: ignore[attr-defined]
        (repo / "templates/part1-body.html.j2").write_text(
            PART1.replace(HOOK, HOOK + '{% include "inc/2019/2019-09-single-online-home.yaml" %}')
        )
    make(repo)  # type: ignore[operator]
    code, out, err = invoke("render", "2019/09")
    assert (code, out) == (1, "")
    assert err.startswith(f"jmb: {repo / 'templates'}/") and err.count("\n") == 1
    assert "commercially confidential" not in err
    assert not (repo / "build").exists()


def test_a_linked_word_base_is_refused(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "reference.docx"
    outside.write_bytes(b"not read")
    (repo / "templates/reference.docx").symlink_to(outside)
    code, out, err = invoke("render", "2019/09", "--format", "docx")
    assert (code, out) == (1, "")
    assert err.startswith(f"jmb: {repo / 'templates/reference.docx'}: a template file may not be")


def test_no_template_is_read_from_a_confidential_folder(repo: Path) -> None:
    """With the template folder where Part 2 is written, a Part 1 template cannot include it."""
    (repo / "jmb.toml").write_text('[templates]\nfolder = "build"\n')
    assert invoke("render", "2019/09", "--part", "2")[0] == 0
    (repo / "build/part1-body.html.j2").write_text(
        PART1.replace(HOOK, HOOK + '{% include "confidential/2019-09-part2.html" %}')
    )
    code, out, err = invoke("render", "2019/09")
    assert (code, out) == (1, "")
    assert "jmb reads no template from a confidential/ folder" in err
    assert "commercially confidential" not in err
    assert not (repo / "build/2019-09-part1.html").exists()


@pytest.mark.parametrize(
    ("folder", "problem"),
    [
        ('"../shared-templates"', "leads outside the repository"),
        ('"/etc"', "leads outside the repository"),
        ('"linked"', "leads through a symbolic link outside the repository"),
        ('"."', "holds the records or is inside them"),
        ('"records/2019"', "holds the records or is inside them"),
    ],
)
def test_a_template_folder_outside_the_repository_is_a_configuration_error(
    repo: Path, folder: str, problem: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    (repo / "linked").symlink_to(tmp_path_factory.mktemp("outside"))
    (repo / "jmb.toml").write_text(f'[board]\nname = "B"\n\n[templates]\nfolder = {folder}\n')
    for command in (("render", "2019/09"), ("validate",)):
        code, out, err = invoke(*command)
        assert (code, out) == (3, "")
        assert err.startswith(
            f"jmb: {repo / 'jmb.toml'}:5: configuration error: templates.folder: "
        )
        assert problem in err and err.count("\n") == 1


def test_a_template_folder_that_is_a_loop_of_links_is_a_configuration_error(repo: Path) -> None:
    (repo / "templates").rmdir()
    (repo / "templates").symlink_to(repo / "templates")
    code, out, err = invoke("render", "2019/09")
    assert (code, out) == (3, "")
    assert err == (
        f"jmb: {repo / 'templates'}: configuration error: templates.folder: cannot be followed "
        "to a folder (a loop of symbolic links?)\n"
    )
    (repo / "jmb.toml").write_text('[templates]\nfolder = "templates"\n')
    code, out, err = invoke("validate")
    assert (code, out) == (3, "")
    assert err.startswith(f"jmb: {repo / 'jmb.toml'}:2: configuration error: templates.folder: ")


def test_a_default_template_folder_linked_outside_is_refused(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    (repo / "templates").rmdir()
    (repo / "templates").symlink_to(tmp_path_factory.mktemp("outside"))
    code, out, err = invoke("render", "2019/09")
    assert (code, out) == (3, "")
    assert "configuration error: templates.folder: " in err
    assert "leads through a symbolic link outside the repository" in err


def test_the_pdf_fetches_no_part2_output_and_nothing_outside(repo: Path) -> None:
    config = Config(root=repo)
    (repo / "templates/confidential").mkdir()
    (repo / "templates/confidential/2019-09-part2.pdf").write_bytes(b"%PDF-1.4 Part 2")
    (repo / "templates/logo.png").write_bytes(b"png")
    fetcher = _confined_fetcher(tuple(folder.resolve() for folder in config.template_dirs))
    for url in (
        (repo / "templates/confidential/2019-09-part2.pdf").as_uri(),
        (repo / RECORD).as_uri(),
        "file:///etc/passwd",
        "https://example.org/x.png",
    ):
        with pytest.raises(ValueError, match="jmb fetches nothing outside its template folders"):
            fetcher.fetch(url)
    assert fetcher.fetch((repo / "templates/logo.png").as_uri()).read() == b"png"
    # A template that tries to attach the Part 2 PDF to the Part 1 PDF gets a PDF without it.
    (repo / "templates/part1-body.html.j2").write_text(
        PART1.replace(HOOK, HOOK + '<link rel="attachment" href="confidential/2019-09-part2.pdf">')
    )
    assert invoke("render", "2019/09", "--format", "pdf")[0] == 0
    pdf = pypdf.PdfReader(io.BytesIO((repo / "build/2019-09-part1.pdf").read_bytes()))
    assert pdf.attachments == {}


def test_a_failing_part2_template_does_not_quote_part2(repo: Path) -> None:
    (repo / "templates/part2.html.j2").write_text("<p>{{ {}[view.marking] }}</p>\n")
    code, _, err = invoke("render", "2019/09", "--part", "2")
    assert code == 1
    assert "OFFICIAL-SENSITIVE" not in err
    assert err == (
        f"jmb: {repo / 'templates/part2.html.j2'}:1: template error: UndefinedError (the details "
        "are withheld: they could quote Part 2)\n"
    )
    # In Part 1 the same mistake says what it met: Part 1 is public.
    (repo / "templates/part1.html.j2").write_text("<p>{{ {}[view.header.title] }}</p>\n")
    code, _, err = invoke("render", "2019/09")
    assert code == 1 and "Single Online Home" in err


def test_word_output_holds_nothing_of_a_linked_base(repo: Path) -> None:
    """The Word base is read through the same rules: a plain file in the folder is used."""
    from docx import Document

    base = io.BytesIO()
    document = Document()
    document.core_properties.comments = "office base"
    document.save(base)
    (repo / "templates/reference.docx").write_bytes(base.getvalue())
    assert invoke("render", "2019/09", "--format", "docx")[0] == 0
    archive = zipfile.ZipFile(repo / "build/2019-09-part1.docx")
    assert "word/document.xml" in archive.namelist()


def test_the_record_scaffold_template_is_sandboxed_and_confined(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """``jmb new`` renders the repository's record.yaml.j2 under the same rules."""
    scaffold = repo / "templates/record.yaml.j2"
    scaffold.write_text("{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}\n")
    code, out, err = invoke("new", "--title", "Estates", "--date", "2026-12-10")
    assert (code, out) == (1, "")
    assert f"{scaffold}:1: template error: the sandbox refuses it" in err
    assert not (repo / "PWNED").exists()
    scaffold.unlink()
    outside = tmp_path_factory.mktemp("elsewhere") / "record.yaml.j2"
    outside.write_text("jmb: 1\n")
    scaffold.symlink_to(outside)
    code, out, err = invoke("new", "--title", "Estates", "--date", "2026-12-10")
    assert (code, out) == (1, "")
    assert err.startswith(f"jmb: {scaffold}: a template file may not be a symbolic link")
    assert not (repo / "records/2026").exists()
