"""``jmb publish``: the public website, its open data, and what a second build does."""

from __future__ import annotations

import csv
import hashlib
import html.parser
import io
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import frictionless
import pytest

from jmb.publish.manifest import digest
from tests.browser_support import Browser, serve
from tests.conftest import ROOT
from tests.publish_support import resign, signed_record, write_office
from tests.signing_support import invoke
from tests.test_search import WATCH_CSP, search_for

HTML_ONLY = ("--formats", "html", "--no-search")


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_office(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by its path, with a digest of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def site_text(site: Path) -> str:
    return "\n".join(
        path.read_bytes().decode("utf-8", "replace")
        for path in sorted(site.rglob("*"))
        if path.is_file()
    )


class Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)


def broken_links(site: Path) -> list[str]:
    """Every internal link of every page that leads to no file, as ``page -> link``."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("#"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                broken.append(f"{page.relative_to(site)} -> {link}")
    return broken


def test_the_site_carries_every_public_decision_and_no_draft(office: Path) -> None:
    code, out, err = invoke("publish", "--formats", "html,pdf,docx", "--no-search")
    assert (code, err) == (0, "")
    assert out == (
        "build/site: 3 decisions; 21 files written, 0 removed, 0 unchanged; "
        "open build/site/index.html\n"
    )
    site = office / "build" / "site"
    assert set(tree(site)) == {
        "index.html",
        "2019/index.html",
        "2020/index.html",
        "decisions/2019-09/index.html",
        "decisions/2019-09/2019-09-part1.pdf",
        "decisions/2019-09/2019-09-part1.docx",
        "decisions/2019-10/index.html",
        "decisions/2019-10/2019-10-part1.pdf",
        "decisions/2019-10/2019-10-part1.docx",
        "decisions/2020-01/index.html",
        "decisions/2020-01/2020-01-part1.pdf",
        "decisions/2020-01/2020-01-part1.docx",
        "data/decisions.csv",
        "data/decisions.json",
        "data/datapackage.json",
        "data/feed.xml",
        "sitemap.xml",
        "assets/site.css",
        "assets/govuk-frontend.min.css",
        "assets/LICENCE-govuk-frontend.txt",
        "assets/search.js",
    }
    assert "A draft nobody may see" not in site_text(site)
    index = (site / "index.html").read_text()
    # The register's home is the newest year; 2019 has its own page, newest first.
    assert "2020/01" in index and "Body-worn video" in index and "2019/09" not in index
    year = (site / "2019/index.html").read_text()
    assert year.index("2019/10") < year.index("2019/09")
    assert '<a class="govuk-link" href="../decisions/2019-09/index.html">2019/09</a>' in year
    page = (site / "decisions/2019-09/index.html").read_text()
    assert (
        '<h1 class="govuk-heading-xl" data-pagefind-meta="title">Decision 2019/09: Single Online '
        "Home</h1>"
    ) in page
    assert (
        "A confidential Part 2 exists, exempt from publication under the Freedom of Information "
        "Act 2000: s.43 commercial"
    ) in page
    assert '<time datetime="2021-06-12">12 June 2021</time>' in page
    assert '<a class="govuk-link" href="2019-09-part1.pdf">Part 1 as PDF' in page
    assert '<link rel="canonical" href="https://decisions.example.org/decisions/2019-09/">' in page


def test_every_internal_link_leads_somewhere(office: Path) -> None:
    assert invoke("publish", "--no-search")[0] == 0
    site = office / "build" / "site"
    assert broken_links(site) == []
    # The crawl looks: a page with a link to nowhere is found.
    (site / "extra.html").write_text('<a href="decisions/2019-99/index.html">x</a>')
    assert broken_links(site) == ["extra.html -> decisions/2019-99/index.html"]


def test_the_same_repository_builds_the_same_bytes(office: Path) -> None:
    assert invoke("publish", *HTML_ONLY, "--out", "one")[0] == 0
    os.utime(office / "records/2019/2019-09-single-online-home.yaml", (0, 0))
    assert invoke("publish", *HTML_ONLY, "--out", "two")[0] == 0
    one, two = tree(office / "one"), tree(office / "two")
    assert one == two and len(one) > 10


def test_a_second_build_rewrites_only_what_changed(office: Path) -> None:
    assert invoke("publish", *HTML_ONLY)[0] == 0
    site = office / "build" / "site"
    before = tree(site)
    code, out, _ = invoke("publish", *HTML_ONLY)
    assert code == 0 and "; 0 files written, 0 removed, 15 unchanged;" in out
    assert tree(site) == before
    record = office / "records/2019/2019-09-single-online-home.yaml"
    record.write_text(
        resign(record.read_text().replace("title: Single Online Home", "title: One online home"))
    )
    code, out, _ = invoke("publish", *HTML_ONLY)
    after = tree(site)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {
        "decisions/2019-09/index.html",
        "2019/index.html",
        "data/decisions.csv",
        "data/decisions.json",
        "data/feed.xml",
    }
    assert "5 files written, 0 removed," in out


def test_what_no_longer_belongs_is_removed_and_nothing_else(office: Path) -> None:
    assert invoke("publish", *HTML_ONLY)[0] == 0
    site = office / "build" / "site"
    (site / "CNAME").write_text("decisions.example.org\n")
    (office / "records/2020/2020-01-body-worn-video.yaml").unlink()
    code, out, _ = invoke("publish", *HTML_ONLY)
    assert code == 0 and ", 2 removed," in out
    assert not (site / "decisions/2020-01").exists() and not (site / "2020").exists()
    assert (site / "CNAME").read_text() == "decisions.example.org\n"
    # The register's home is now 2019's.
    assert "2019/09" in (site / "index.html").read_text()


def test_a_manifest_jmb_did_not_seal_is_ignored_whole(office: Path) -> None:
    """Whoever can write the manifest cannot make jmb remove a file it did not write, nor skip
    checking a record that was edited after signing: a manifest is trusted only with this user's
    seal, and the build is otherwise a full one."""
    assert invoke("publish", *HTML_ONLY)[0] == 0
    victim = office / "keep-me.txt"
    victim.write_text("mine")
    record = office / "records/2019/2019-09-single-online-home.yaml"
    edited = record.read_bytes().replace(b"support the recommendations", b"OPPOSE them")
    record.write_bytes(edited)
    path = office / "build" / "site.jmb-manifest.json"
    sealed = json.loads(path.read_text())
    manifest = json.loads(sealed["manifest"])
    manifest["files"]["../../keep-me.txt"] = {"from": "x", "sha256": "y", "size": 4, "mtime_ns": 0}
    manifest["files"]["CNAME"] = {"from": "x", "sha256": "y", "size": 4, "mtime_ns": 0}
    (office / "build/site/CNAME").write_text("mine")
    name = "records/2019/2019-09-single-online-home.yaml"
    manifest["records"][name]["sha256"] = digest(edited)
    sealed["manifest"] = json.dumps(manifest, indent=1, sort_keys=True)
    path.write_text(json.dumps(sealed))
    code, _, err = invoke("publish", *HTML_ONLY)
    assert code == 1 and "error JMB406" in err
    assert victim.read_text() == "mine" and (office / "build/site/CNAME").read_text() == "mine"


def test_a_page_changed_in_the_site_is_made_again(office: Path) -> None:
    assert invoke("publish", *HTML_ONLY)[0] == 0
    page = office / "build/site/decisions/2019-09/index.html"
    made = page.read_text()
    forged = made.replace("support the recommendations", "oppose  the recommendations")
    assert len(forged) == len(made) and forged != made
    page.write_text(forged)
    code, out, _ = invoke("publish", *HTML_ONLY)
    assert code == 0 and "; 1 files written," in out
    assert page.read_text() == made


def test_a_new_roster_has_every_record_checked_again(office: Path) -> None:
    assert invoke("publish", *HTML_ONLY)[0] == 0
    shutil.copy(ROOT / "signatories.yaml", office / "signatories.yaml")
    code, _, err = invoke("publish", *HTML_ONLY)
    assert code == 1 and "error JMB412" in err and "jmb: not published: 1 record has errors" in err


def test_links_planted_in_the_site_lead_nothing_astray(
    office: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert invoke("publish", *HTML_ONLY)[0] == 0
    site = office / "build/site"
    victim = tmp_path_factory.mktemp("victim")
    (victim / "index.html").write_text("not jmb's")
    shutil.rmtree(site / "2020")
    (site / "2020").symlink_to(victim)
    (office / "records/2020/2020-01-body-worn-video.yaml").unlink()
    code, _, err = invoke("publish", *HTML_ONLY)
    assert (victim / "index.html").read_text() == "not jmb's"
    assert code == 1 and err.startswith("jmb: build/site/2020 is a symbolic link;")
    (site / "2020").unlink()
    assert invoke("publish", *HTML_ONLY)[0] == 0
    shutil.rmtree(site / "decisions")
    (site / "decisions").symlink_to(victim)
    code, _, err = invoke("publish", *HTML_ONLY)
    assert code == 1 and err == (
        "jmb: build/site/decisions is a symbolic link; jmb writes and removes files of the site "
        "only in real folders: remove the link\n"
    )
    assert sorted(path.name for path in victim.iterdir()) == ["index.html"]


def test_a_page_template_that_would_fetch_from_elsewhere_is_refused(office: Path) -> None:
    (office / "templates/site").mkdir(parents=True)
    layout = (ROOT / "templates/site/layout.html.j2").read_text()
    (office / "templates/site/layout.html.j2").write_text(
        layout.replace("default-src 'self';", "default-src 'self' https://cdn.example;")
    )
    code, _, err = invoke("publish", *HTML_ONLY)
    assert code == 1 and err.startswith("jmb: site/")
    assert "html.j2: every page of the site carries a Content-Security-Policy meta tag" in err


def test_a_record_with_errors_is_not_published(office: Path) -> None:
    assert invoke("publish", *HTML_ONLY)[0] == 0
    site = office / "build" / "site"
    before = tree(site)
    record = office / "records/2019/2019-10-estates-strategy.yaml"
    record.write_text(
        record.read_text().replace("title: Estates strategy", "title: Changed after signing")
    )
    code, out, err = invoke("publish", *HTML_ONLY)
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == (
        "jmb: not published: 1 record has errors; fix them; the public site carries no record "
        "with errors"
    )
    assert "error JMB406 signatures[0].digest: the content was edited after" in err
    assert tree(site) == before


def test_part2_outputs_and_the_repository_are_never_the_site(office: Path) -> None:
    assert invoke("render", "2019/09", "--part", "2", "--out", "build/site")[0] == 0
    code, out, err = invoke("publish", *HTML_ONLY)
    assert (code, out) == (1, "")
    assert err == (
        "jmb: build/site/confidential: Part 2 outputs are kept in confidential/ folders, and the "
        "public site is never built where one is; move it out of build/site, or choose another "
        "--out\n"
    )
    for out_folder in (".", "records", "records/2019"):
        code, _, err = invoke("publish", *HTML_ONLY, "--out", out_folder)
        assert code == 1 and "the site is built into a folder of its own" in err


def test_without_a_base_url_there_is_no_feed_nor_sitemap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_office(tmp_path, base_url=None)
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("publish", *HTML_ONLY)
    assert code == 0
    assert err == (
        "jmb: notice: no feed.xml or sitemap.xml: they need absolute addresses; set "
        "[publication] base_url in jmb.toml, or give --base-url\n"
    )
    site = tmp_path / "build/site"
    assert not (site / "data/feed.xml").exists() and not (site / "sitemap.xml").exists()
    # The open data's links are relative to the data folder.
    rows = list(csv.DictReader(io.StringIO((site / "data/decisions.csv").read_text())))
    assert rows[0]["url"] == "../decisions/2019-09/"
    code, _, err = invoke("publish", *HTML_ONLY, "--base-url", "https://x.example/")
    assert (code, err) == (0, "") and (site / "sitemap.xml").exists()
    code, _, err = invoke("publish", *HTML_ONLY, "--base-url", "javascript:alert(1)")
    assert code == 2 and err.startswith(
        "jmb: --base-url: 'javascript:alert(1)' is not a site address"
    )


def test_the_open_data_reads_back_with_frictionless_and_csv(office: Path) -> None:
    assert invoke("publish", "--formats", "html,pdf", "--no-search")[0] == 0
    data = office / "build/site/data"
    raw = (data / "decisions.csv").read_bytes()
    assert raw.count(b"\r\n") == 4 and b"\n" not in raw.replace(b"\r\n", b"")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert [row["number"] for row in rows] == ["2019/09", "2019/10", "2020/01"]
    first = rows[0]
    assert first["url"] == "https://decisions.example.org/decisions/2019-09/"
    assert first["decision_maker"] == (
        "Jane Ashworth (Police and Crime Commissioner); Andy Rhodes (Chief Constable)"
    )
    assert (first["date_decided"], first["date_due"], first["date_published"]) == (
        "2019-06-12",
        "2019-06-26",
        "",
    )
    assert (first["part2_exists"], first["exemption"], first["review_date"]) == (
        "true",
        "s.43 commercial interests",
        "2021-06-12",
    )
    assert first["pdf_url"] == "https://decisions.example.org/decisions/2019-09/2019-09-part1.pdf"
    assert rows[1]["date_published"] == "2019-06-25" and rows[1]["status"] == "published"
    assert json.loads((data / "decisions.json").read_text())[0]["part2_exists"] is True
    report = frictionless.validate(str(data / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(str(data / "datapackage.json"))
    assert package.licenses[0]["name"] == "OGL-UK-3.0"
    assert package.get_resource("decisions").schema.primary_key == ["number"]
    table = package.get_resource("decisions").read_rows()
    assert [str(row["date_decided"]) for row in table] == ["2019-06-12"] * 2 + ["2020-06-12"]


def test_feedparser_reads_the_feed_and_the_sitemap_is_xml(office: Path) -> None:
    assert invoke("publish", *HTML_ONLY)[0] == 0
    site = office / "build/site"
    feed = feedparser.parse((site / "data/feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Decisions of Lancashire Constabulary"
    assert [entry.title for entry in feed.entries] == [
        "Decision 2020/01: Body-worn video",
        "Decision 2019/10: Estates strategy",
        "Decision 2019/09: Single Online Home",
    ]
    assert feed.entries[0].link == "https://decisions.example.org/decisions/2020-01/"
    # No clock: the feed is as new as its newest decision.
    assert feed.feed.updated == "2020-06-21T00:00:00Z"
    urls = [
        element.text
        for element in ElementTree.parse(site / "sitemap.xml").getroot()
        if element.tag.endswith("url")
        for element in element
    ]
    assert "https://decisions.example.org/decisions/2019-10/" in urls
    assert "https://decisions.example.org/2019/" in urls


def test_mark_published_records_the_publication_it_made(office: Path) -> None:
    code, out, err = invoke("publish", *HTML_ONLY, "--mark-published", "--date", "2020-06-24")
    assert (code, err) == (0, "")
    assert out.splitlines()[:2] == [
        "records/2019/2019-09-single-online-home.yaml: published (2019/09)",
        "records/2020/2020-01-body-worn-video.yaml: published (2020/01)",
    ]
    record = (office / "records/2019/2019-09-single-online-home.yaml").read_text()
    assert "status: published\n" in record
    assert record.endswith("  - status: published\n    date: 2020-06-24\n")
    page = (office / "build/site/decisions/2019-09/index.html").read_text()
    assert '<time datetime="2020-06-24">24 June 2020</time>' in page
    assert invoke("validate")[0] == 1  # the draft's findings; the published records are clean
    code, out, _ = invoke("publish", *HTML_ONLY, "--mark-published")
    assert code == 0 and "published (" not in out


def test_mark_published_before_an_approval_marks_nothing(office: Path) -> None:
    code, out, err = invoke("publish", *HTML_ONLY, "--mark-published", "--date", "2019-07-01")
    assert (code, out) == (2, "")
    assert err == (
        "jmb: --date 2019-07-01 is before the approval of 2020/01: a decision is published after "
        "it is approved; nothing was marked\n"
    )
    assert (
        "status: approved\n"
        in (office / "records/2019/2019-09-single-online-home.yaml").read_text()
    )


def test_rejected_decisions_only_when_the_office_says(office: Path) -> None:
    rejected = signed_record("2019/12", "Fleet", status="rejected").replace(
        "  - status: approved\n    date: 2019-06-21\n",
        "  - status: rejected\n    date: 2019-06-21\n",
    )
    (office / "records/2019/2019-12-fleet.yaml").write_text(rejected)
    assert invoke("publish", *HTML_ONLY)[0] == 0
    site = office / "build/site"
    assert not (site / "decisions/2019-12").exists() and "Fleet" not in site_text(site)
    (office / "jmb.toml").write_text("[publication]\ninclude_rejected = true\n")
    code, _, err = invoke("publish", *HTML_ONLY)
    assert code == 0, err
    page = (site / "decisions/2019-12/index.html").read_text()
    assert "This proposal was rejected: it was not approved." in page
    assert "Fleet" in (site / "2019/index.html").read_text()


def test_a_background_paper_links_only_to_the_web_or_mail(office: Path) -> None:
    record = office / "records/2019/2019-09-single-online-home.yaml"
    text = record.read_text()
    assert "background_papers:" in text
    text = text.replace(
        "background_papers:\n",
        "background_papers:\n  - title: Trap\n    reference: javascript:alert(1)\n"
        "  - title: Write to us\n    reference: mailto:office@example.org\n",
        1,
    )
    record.write_text(resign(text))
    assert invoke("publish", *HTML_ONLY)[0] == 0
    page = (office / "build/site/decisions/2019-09/index.html").read_text()
    assert "<li>Trap (javascript:alert(1))</li>" in page
    assert '<a href="mailto:office@example.org">Write to us</a>' in page


def test_a_feed_that_would_not_be_xml_is_not_written(office: Path) -> None:
    (office / "jmb.toml").write_text(
        '[organisation]\nname = "Office\\u0007"\n\n[publication]\nbase_url = "https://x.example/"\n'
    )
    code, out, err = invoke("publish", *HTML_ONLY)
    assert (code, out) == (1, "")
    assert err.startswith("jmb: site/feed.xml.j2 made XML that is not well-formed (not well-formed")
    assert not (office / "build/site/data/feed.xml").exists()


def test_a_reader_finds_a_decision_of_the_built_site_in_chromium(office: Path) -> None:
    """The site as jmb publish builds it, served on 127.0.0.1: the search page finds the one
    decision a word is in, its result leads to its page, and no page breaks its policy."""
    code, _, err = invoke("publish", "--formats", "html")
    assert (code, err) == (0, "")
    with serve(office / "build" / "site") as address, Browser(office) as browser:
        page = browser.open(f"{address}search/index.html", before_load=WATCH_CSP)
        assert search_for(page, "cameras") == ["/decisions/2020-01/"]
        assert search_for(page, "quokka") == []
        assert page.evaluate("window.__csp") == []


def test_two_processes_build_the_same_bytes_pdfs_and_search_included(office: Path) -> None:
    """Each build its own process, with its own clock, time zone and number of workers: the same
    files, byte for byte (PDF and Word files, the search index and all)."""
    for out, environment, jobs in (
        ("one", {"TZ": "UTC", "SOURCE_DATE_EPOCH": "1"}, "1"),
        ("two", {"TZ": "Pacific/Auckland", "SOURCE_DATE_EPOCH": "2000000000"}, "2"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "jmb", "publish", "--out", out, "--jobs", jobs],
            cwd=office,
            env={**os.environ, **environment},
            capture_output=True,
            text=True,
            check=False,
        )
        assert (done.returncode, done.stderr) == (0, "")
    one, two = tree(office / "one"), tree(office / "two")
    assert any(name.endswith(".pdf") for name in one) and any("pagefind/" in name for name in one)
    assert one == two


def test_a_decision_withdrawn_after_publication_stays_shown_as_withdrawn(office: Path) -> None:
    withdrawn = signed_record(
        "2019/10",
        "Estates strategy",
        status="withdrawn",
        history="  - status: published\n    date: 2019-06-25\n"
        "  - status: withdrawn\n    date: 2019-07-01\n",
    )
    (office / "records/2019/2019-10-estates-strategy.yaml").write_text(withdrawn)
    never_published = signed_record("2019/12", "Fleet", status="withdrawn").replace(
        "  - status: approved\n    date: 2019-06-21\n",
        "  - status: withdrawn\n    date: 2019-06-21\n",
    )
    (office / "records/2019/2019-12-fleet.yaml").write_text(never_published)
    code, _, err = invoke("publish", *HTML_ONLY)
    assert (code, err) == (0, "")
    site = office / "build/site"
    page = (site / "decisions/2019-10/index.html").read_text()
    assert "This decision was withdrawn after it was published. Its record is kept here." in page
    assert 'jmb-status--withdrawn">Withdrawn</strong>' in (site / "2019/index.html").read_text()
    assert not (site / "decisions/2019-12").exists()


def test_appendix_files_are_copied_beside_the_page_and_linked(office: Path) -> None:
    record = office / "records/2019/2019-09-single-online-home.yaml"
    (office / "records/2019/soh costs (final).PDF").write_bytes(b"%PDF-1.4 appendix\n")
    text = record.read_text()
    start, end = text.index("appendices:"), text.index("part2:")
    listed = "appendices:\n  - label: A\n    title: Costs\n    file: soh costs (final).PDF\n\n"
    text = text[:start] + listed + text[end:]
    text = text.replace("by the programme.", "by the programme (Appendix A).", 1)
    record.write_text(resign(text))
    code, _, err = invoke("publish", *HTML_ONLY)
    assert (code, err) == (0, ""), err
    folder = office / "build/site/decisions/2019-09"
    assert (folder / "appendix-A.pdf").read_bytes() == b"%PDF-1.4 appendix\n"
    page = (folder / "index.html").read_text()
    assert '<a class="govuk-link" href="appendix-A.pdf">Appendix A: Costs</a>' in page
    assert broken_links(office / "build/site") == []


def test_what_a_failed_build_wrote_is_removed_by_the_next_when_it_no_longer_belongs(
    office: Path,
) -> None:
    (office / "templates/site").mkdir(parents=True)
    (office / "templates/site/register.html.j2").write_text("{{ 1 / 0 }}")
    code, _, err = invoke("publish", *HTML_ONLY)
    assert code == 1 and "register.html.j2:1: template error: ZeroDivisionError" in err
    site = office / "build/site"
    assert (site / "decisions/2020-01/index.html").exists()  # written before the failure
    (office / "templates/site/register.html.j2").unlink()
    (office / "records/2020/2020-01-body-worn-video.yaml").unlink()
    assert invoke("publish", *HTML_ONLY)[0] == 0
    assert not (site / "decisions/2020-01").exists()
    assert broken_links(site) == []
