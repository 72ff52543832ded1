"""The public website's search: Pagefind's index of the decision pages (jmb.publish.search) and the
search page (templates/site/search.html.j2), in a real browser.

The sites here are made by hand, in the shape ``jmb publish`` builds: decision pages at
``decisions/<stem>/index.html`` whose ``<main>`` carries ``data-pagefind-body``, a register and year
pages, and the search page rendered from its template inside a stand-in layout
(tests/fixtures/site-layout), with a Content-Security-Policy.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import shutil
import stat
import sys
import time
from pathlib import Path

import pytest

from jmb.core.templating import Templates
from jmb.publish import search
from jmb.publish.search import SEARCH_PAGE_CSP, SearchError, index_site, remove_index
from tests.browser_support import Browser, Page, serve
from tests.conftest import ROOT

LAYOUT = ROOT / "tests" / "fixtures" / "site-layout"

#: stem: (year, status, title, text). Each decision has a word of its own; all share "estate".
DECISIONS = {
    "2019-09": (
        2019,
        "Published",
        "Single online home",
        "The board agreed the quokkaberry contract for the estate.",
    ),
    "2020-03": (
        2020,
        "Withdrawn",
        "Drone trial",
        "The board agreed a trial of zebrafinch drones over the estate.",
    ),
    "2021-01": (
        2021,
        "Published",
        "Custody suite",
        # Text that looks like markup: the page escapes it, and search must show it as text.
        'The estate plan mentions <img src=x onerror="window.pwned=1"> xylophonist terms.',
    ),
}

#: Words that are on the site or in the pages, but outside the decisions' indexed text.
NOT_INDEXED = (
    "navonlyword",  # the layout's header
    "footeronlyword",  # its footer
    "headmetaword",  # a <meta> in the head
    "commentword",  # an HTML comment in <main>
    "ignoredword",  # inside data-pagefind-ignore
    "registeronlyword",  # the register and the year pages
    "appendixword",  # an HTML appendix beside a decision page
    "strayword",  # a page outside decisions/
)

DECISION_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'">
<meta name="description" content="headmetaword">
<title>{title} - Test office</title>
</head>
<body>
<header><a href="../../index.html">Test office</a> navonlyword</header>
<main id="main-content" data-pagefind-body>
<h1 data-pagefind-meta="title">{title}</h1>
<dl>
<dt>Number</dt><dd>{number}</dd>
<dt>Year</dt><dd data-pagefind-filter="year">{year}</dd>
<dt>Status</dt><dd data-pagefind-filter="status">{status}</dd>
</dl>
<p>{text}</p>
<!-- commentword -->
<ul data-pagefind-ignore><li><a href="{stem}-part1.pdf">Part 1 as PDF ignoredword</a></li></ul>
</main>
<footer>footeronlyword</footer>
</body>
</html>
"""

PLAIN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main data-pagefind-body><h1>{title}</h1><p>{text}</p></main></body></html>
"""


def make_site(site: Path, *, csp: str = "", order: list[str] | None = None) -> Path:
    """A small site in the shape ``jmb publish`` builds (its decision pages made in ``order``; the
    search page's Content-Security-Policy ``csp`` instead of its own)."""
    site.mkdir(parents=True, exist_ok=True)
    for stem in order or sorted(DECISIONS):
        year, status, title, text = DECISIONS[stem]
        page = site / "decisions" / stem / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            DECISION_PAGE.format(
                title=html.escape(title),
                number=stem.replace("-", "/"),
                year=year,
                status=status,
                text=html.escape(text),
                stem=stem,
            ),
            encoding="utf-8",
        )
    (site / "decisions" / "2019-09" / "appendix-A.html").write_text(
        PLAIN_PAGE.format(title="Appendix A", text="appendixword"), encoding="utf-8"
    )
    (site / "stray.html").write_text(PLAIN_PAGE.format(title="Stray", text="strayword"))
    years = sorted({year for year, *_ in DECISIONS.values()}, reverse=True)
    register = PLAIN_PAGE.format(
        title="Decisions",
        text="registeronlyword " + " ".join(t for _, _, t, _ in DECISIONS.values()),
    )
    (site / "index.html").write_text(register, encoding="utf-8")
    for year in years:
        (site / str(year)).mkdir()
        (site / str(year) / "index.html").write_text(register, encoding="utf-8")
    templates = Templates(
        [LAYOUT, ROOT / "templates"],
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
    )
    page = templates.render(
        "site/search.html.j2",
        root="../",
        site={"organisation": "An office"},
        years=[(year, 1) for year in years],
    )
    if csp:
        page = page.replace(f'content="{SEARCH_PAGE_CSP}"', f'content="{csp}"')
        assert f'content="{csp}"' in page
    (site / "search").mkdir()
    (site / "search" / "index.html").write_text(page, encoding="utf-8")
    (site / "assets").mkdir()
    shutil.copy(ROOT / "templates" / "site" / "assets" / "search.js", site / "assets")
    return site


def unpacked(path: Path) -> bytes:
    """A file of the index as Pagefind's reader sees it: uncompressed, without its signature."""
    content = path.read_bytes()
    if content[:2] == b"\x1f\x8b":
        content = gzip.decompress(content)
    return content.removeprefix(b"pagefind_dcd")


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One indexed site, shared by the tests that only read it."""
    site = make_site(tmp_path_factory.mktemp("indexed") / "site")
    index_site(site)
    return site


# -- the index ------------------------------------------------------------------------------------


def test_the_index_is_written_into_the_site(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    result = index_site(site)
    bundle = site / "pagefind"
    assert result.pages == 3
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    assert len(list((bundle / "fragment").iterdir())) == 3  # one a decision page
    assert len(list((bundle / "filter").iterdir())) == 2  # year and status
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 3
    meta = bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    assert meta.is_file()
    on_disk = sorted(
        f"pagefind/{p.relative_to(bundle).as_posix()}" for p in bundle.rglob("*") if p.is_file()
    )
    assert list(result.files) == on_disk == list(result.written)
    assert result.removed == ()


def test_only_the_decision_pages_text_is_indexed(indexed: Path) -> None:
    """The index holds the text of the decision pages' <main> and nothing else: not the rest of
    those pages, not another page of the site, not a file beside a page."""
    bundle = indexed / "pagefind"
    fragments = [json.loads(unpacked(path)) for path in sorted((bundle / "fragment").iterdir())]
    assert sorted(fragment["url"] for fragment in fragments) == [
        f"/decisions/{stem}/" for stem in sorted(DECISIONS)
    ]
    for fragment in fragments:
        year, status, title, text = DECISIONS[fragment["url"].split("/")[2]]
        assert fragment["meta"]["title"] == title
        assert fragment["filters"] == {"year": [str(year)], "status": [status]}
        assert text in fragment["content"]
    everything = b"".join(unpacked(path) for path in bundle.rglob("*.pf_*"))
    everything += b"".join(unpacked(path) for path in bundle.glob("*.json"))
    for word in NOT_INDEXED:
        assert word.encode() not in everything, word
    for word in ("quokkaberry", "zebrafinch", "xylophonist"):  # what is there is found this way
        assert word.encode() in everything


def test_filter_values_are_in_order(indexed: Path) -> None:
    """Pagefind writes a filter's values in the order of a hash map, which changes with each
    run; jmb writes them sorted (and so the year filter lists the years in order)."""
    for path in (indexed / "pagefind" / "filter").iterdir():
        name, values = search._Cbor(unpacked(path), path.name).value()
        listed = [value for value, _ in values]
        assert listed == sorted(listed)
        assert name in ("year", "status")


def test_the_same_pages_give_the_same_bytes(tmp_path: Path) -> None:
    """Pagefind alone numbers pages in the order the file system lists them, and writes filters
    and metadata in an order that changes with each run. The same pages made in another order, in
    another folder, indexed by another Pagefind process, give the same files byte for byte."""
    one = make_site(tmp_path / "one")
    two = make_site(tmp_path / "two", order=sorted(DECISIONS, reverse=True))
    index_site(one)
    expected = tree(one / "pagefind")
    for _ in range(4):  # Pagefind's order changes at random: one run may happen to match
        index_site(two)
        assert tree(two / "pagefind") == expected
    # Pagefind run five times on its own gives filter files in more than one order: what the
    # rewriting is for (if Pagefind becomes deterministic, this says so and it can go).
    orders = set()
    for _ in range(5):
        made = search._run_pagefind(search.pagefind_executable(), search._decision_pages(one), 60)
        orders.add(tuple(sorted(name for name in made if name.startswith("filter/"))))
    assert len(orders) > 1


def test_a_second_index_rewrites_nothing_and_removes_what_no_longer_belongs(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    first = index_site(site)
    bundle = site / "pagefind"
    before = {
        name: (bundle / name).stat().st_ino for name in ("pagefind.js", "pagefind-entry.json")
    }
    (bundle / "fragment" / "en_0000000.pf_fragment").write_bytes(b"an old page")
    (bundle / "stray.txt").write_text("left by hand")
    (bundle / "old").mkdir()
    (bundle / "old" / "x.pf_index").write_bytes(b"x")
    (bundle / "link").symlink_to(tmp_path)  # removed, never followed
    second = index_site(site)
    assert second.written == ()
    assert second.files == first.files
    assert second.removed == (
        "pagefind/fragment/en_0000000.pf_fragment",
        "pagefind/link",
        "pagefind/old/x.pf_index",
        "pagefind/stray.txt",
    )
    assert {name: (bundle / name).stat().st_ino for name in before} == before
    assert not (bundle / "old").exists()
    assert tmp_path.is_dir()

    # A decision that leaves the site leaves the index: its fragment goes, the metadata changes.
    shutil.rmtree(site / "decisions" / "2020-03")
    third = index_site(site)
    assert third.pages == 2
    assert len(list((bundle / "fragment").iterdir())) == 2
    assert any(name.endswith(".pf_meta") for name in third.removed)
    assert b"zebrafinch" not in b"".join(unpacked(p) for p in bundle.rglob("*.pf_*"))


def test_cbor_is_written_as_pagefind_writes_it(tmp_path: Path) -> None:
    """jmb's CBOR writer gives back Pagefind's own bytes for every filter and metadata file it
    reads, so the files it rewrites are in Pagefind's format."""
    site = make_site(tmp_path / "site")
    made = search._run_pagefind(search.pagefind_executable(), search._decision_pages(site), 60)
    checked = 0
    for name, content in made.items():
        if name.endswith((".pf_filter", ".pf_meta", ".pf_index")):
            data = search._unpacked(content, name)
            assert search._cbor(search._Cbor(data, name).value()) == data, name
            checked += 1
    assert checked >= 4


def test_an_empty_site_has_an_index_that_finds_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    result = index_site(site)
    assert result.pages == 0
    assert (site / "pagefind" / "pagefind-ui.js").is_file()
    assert json.loads((site / "pagefind" / "pagefind-entry.json").read_text())["version"]


def test_remove_index(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    made = index_site(site)
    assert remove_index(site) == made.files
    assert not (site / "pagefind").exists()
    assert remove_index(site) == ()


# -- what can go wrong ------------------------------------------------------------------------------


def test_a_decision_page_without_the_mark_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    page = site / "decisions" / "2020-03" / "index.html"
    page.write_text(page.read_text().replace(" data-pagefind-body", ""))
    with pytest.raises(SearchError, match=r"decisions/2020-03/index\.html: .*data-pagefind-body"):
        index_site(site)
    assert not (site / "pagefind").exists()  # nothing half-written


def test_a_decision_page_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    page = site / "decisions" / "2019-09" / "index.html"
    page.write_bytes(page.read_bytes() + b"\xff")
    with pytest.raises(SearchError, match=r"2019-09/index\.html: cannot be indexed: not UTF-8"):
        index_site(site)


def test_pagefind_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pagefind_bin", None)  # import fails
    with pytest.raises(SearchError, match=r"Pagefind is not installed.*--no-search"):
        index_site(make_site(tmp_path / "site"))


def fake_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    binary = tmp_path / "pagefind"
    binary.write_text(f"#!/bin/sh\n{script}\n")
    binary.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_executable", lambda: binary)


def test_pagefind_that_fails_is_reported_with_what_it_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_pagefind(tmp_path, monkeypatch, "echo 'Error: something broke' >&2\nexit 3")
    with pytest.raises(
        SearchError,
        match=r"^search: Pagefind stopped \(exit code 3\) before it finished: Error: something broke$",
    ):
        index_site(make_site(tmp_path / "site"))


def test_pagefind_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_pagefind(tmp_path, monkeypatch, "exec sleep 60")
    started = time.monotonic()
    with pytest.raises(SearchError, match=r"did not finish within 0\.5 seconds"):
        index_site(make_site(tmp_path / "site"), timeout=0.5)
    assert time.monotonic() - started < 10


def test_pagefind_that_cannot_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_pagefind(tmp_path, monkeypatch, "exit 0")
    (tmp_path / "pagefind").chmod(stat.S_IRUSR | stat.S_IWUSR)
    with pytest.raises(SearchError, match=r"cannot run Pagefind .*: Permission denied"):
        index_site(make_site(tmp_path / "site"))


def test_pagefind_that_talks_nonsense(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # (then reading what it is sent until the end, so that it never leaves before jmb has written)
    fake_pagefind(tmp_path, monkeypatch, "printf 'not base64!,'; cat >/dev/null")
    with pytest.raises(
        SearchError, match=r"Pagefind stopped with an answer jmb does not understand"
    ):
        index_site(make_site(tmp_path / "site"))


def test_pagefind_settings_in_the_current_folder_change_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind reads pagefind.yml and its kin from its working folder, and stops when there are two;
    jmb runs it in an empty folder of its own."""
    site = make_site(tmp_path / "site")
    index_site(site)
    expected = tree(site / "pagefind")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "pagefind.yml").write_text("exclude_selectors: ['p']\n")
    (elsewhere / "pagefind.json").write_text('{"force_language": "fr"}')
    monkeypatch.chdir(elsewhere)
    result = index_site(site)
    assert result.written == ()
    assert tree(site / "pagefind") == expected


def test_the_index_is_never_written_through_a_link(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / "pagefind").symlink_to(elsewhere)
    with pytest.raises(SearchError, match=r"site/pagefind is not a folder"):
        index_site(site)
    assert list(elsewhere.iterdir()) == []


# -- the search page ------------------------------------------------------------------------------


def test_the_search_page_links_are_relative_and_it_works_without_javascript(tmp_path: Path) -> None:
    page = (make_site(tmp_path / "site") / "search" / "index.html").read_text()
    csp = f'<meta http-equiv="Content-Security-Policy" content="{SEARCH_PAGE_CSP}">'
    assert csp in page
    assert '<link rel="stylesheet" href="../pagefind/pagefind-ui.css">' in page
    assert '<script src="../pagefind/pagefind-ui.js"></script>' in page
    assert '<script src="../assets/search.js"></script>' in page
    noscript = page.split("<noscript>")[1].split("</noscript>")[0]
    assert '<a class="govuk-link" href="../2021/index.html">2021</a>' in noscript
    assert '<a class="govuk-link" href="../2019/index.html">2019</a>.' in noscript
    addresses = re.findall(r'(?:href|src)="([^"]*)"', page)
    assert [a for a in addresses if a.startswith("/") or ":" in a] == []  # relative, all


# -- in a browser ---------------------------------------------------------------------------------

#: Runs in every document before its own scripts: keeps the Content-Security-Policy's complaints.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__csp.push(event.violatedDirective + " " + event.blockedURI);
});
"""

#: Waits until Pagefind's interface says how many results it found and shows them all; their
#: addresses, or the message when there are none.
RESULTS = """
new Promise(function (resolve, reject) {
  var deadline = Date.now() + 10000;
  (function look() {
    var message = document.querySelector(".pagefind-ui__message");
    var text = message ? message.textContent.trim() : "";
    var links = Array.from(document.querySelectorAll(".pagefind-ui__result-link"));
    var count = /^(\\d+) results? for/.exec(text);
    if (/^No results for/.test(text)) { resolve([]); return; }
    if (count && links.length === Number(count[1])) {
      resolve(links.map(function (link) { return link.getAttribute("href"); }));
      return;
    }
    if (Date.now() > deadline) { reject(new Error("no results shown; the message: " + text)); return; }
    setTimeout(look, 25);
  })();
})
"""

SEARCH_BOX = """
new Promise(function (resolve, reject) {
  var deadline = Date.now() + 10000;
  (function look() {
    var box = document.querySelector("#search input.pagefind-ui__search-input");
    if (box) { box.focus(); resolve(box.getAttribute("title")); return; }
    if (Date.now() > deadline) { reject(new Error("no search box")); return; }
    setTimeout(look, 25);
  })();
})
"""


def search_for(page: Page, word: str) -> list[str]:
    """The results of typing ``word`` into the search box of the page (loaded afresh if a search
    was made in it)."""
    box = "document.querySelector('.pagefind-ui__search-input')"
    if page.evaluate(f"{box} !== null && {box}.value !== ''"):
        page.go(page.evaluate("location.href"))
    assert page.evaluate(SEARCH_BOX) == "Search"  # the box's accessible name
    page.type(word)
    found: list[str] = page.evaluate(RESULTS)
    return found


def results_become(page: Page, expected: list[str]) -> bool:
    """Whether the results shown become ``expected`` within 10 seconds (a change of the filters
    searches again after Pagefind's pause of 300 ms)."""
    deadline = time.monotonic() + 10
    while True:
        shown = page.evaluate(RESULTS)
        if shown == expected or time.monotonic() > deadline:
            return bool(shown == expected)
        time.sleep(0.05)


def test_a_reader_finds_a_decision_by_a_word_of_it_in_chromium(tmp_path: Path) -> None:
    """Served on 127.0.0.1 under a base path (/office/), the search page finds the decision that
    holds a word, and not the others; filters narrow the results by year and status; text that
    looks like markup stays text; and the page breaks none of its Content-Security-Policy."""
    site = make_site(tmp_path / "www" / "office")
    index_site(site)
    with serve(tmp_path / "www") as address, Browser(tmp_path) as browser:
        page = browser.open(f"{address}office/search/", before_load=WATCH_CSP)
        assert search_for(page, "quokkaberry") == ["/office/decisions/2019-09/"]

        # A word of every decision finds them all; the filters list the years in order, and
        # narrow the results.
        assert sorted(search_for(page, "estate")) == [
            f"/office/decisions/{stem}/" for stem in sorted(DECISIONS)
        ]
        years = page.evaluate(
            "Array.from(document.querySelectorAll('input.pagefind-ui__filter-checkbox[name=year]'))"
            ".map(function (box) { return box.value; })"
        )
        assert years == ["2019", "2020", "2021"]
        page.evaluate(
            "document.querySelector('input.pagefind-ui__filter-checkbox[name=status][value=Withdrawn]').click()"
        )
        assert results_become(page, ["/office/decisions/2020-03/"])
        page.evaluate(  # and a year as well: nothing withdrawn was decided in 2019
            "document.querySelector('input.pagefind-ui__filter-checkbox[name=year][value=\"2019\"]').click()"
        )
        assert results_become(page, [])

        # The decision whose text looks like markup is found, and its excerpt is text.
        assert search_for(page, "xylophonist") == ["/office/decisions/2021-01/"]
        assert page.evaluate("document.querySelectorAll('#search img').length") == 0
        assert page.evaluate("window.pwned === undefined") is True
        excerpt = page.evaluate(
            "document.querySelector('.pagefind-ui__result-excerpt').textContent"
        )
        assert '<img src=x onerror="window.pwned=1">' in excerpt

        assert page.evaluate("window.__csp") == []
        assert page.exceptions() == []

        # A result leads to its page.
        page.evaluate("document.querySelector('.pagefind-ui__result-link').click()")
        browser.wait_for_event("Page.loadEventFired", page.session)
        assert page.evaluate("location.pathname") == "/office/decisions/2021-01/"
        assert page.evaluate("document.title") == "Custody suite - Test office"


#: Makes the page a browser's that cannot start Pagefind's worker.
NO_WORKER = "window.Worker = undefined;"

WASM_REFUSED = """
new Promise(function (resolve, reject) {
  var deadline = Date.now() + 10000;
  (function look() {
    if (window.__csp.some(function (entry) { return /^script-src/.test(entry) && /wasm/.test(entry); })) {
      resolve(document.querySelectorAll(".pagefind-ui__result-link").length);
      return;
    }
    if (Date.now() > deadline) { reject(new Error("nothing refused: " + window.__csp)); return; }
    setTimeout(look, 25);
  })();
})
"""


@pytest.mark.parametrize("allowed", [True, False], ids=["wasm-unsafe-eval", "self-only"])
def test_without_a_worker_search_needs_webassembly_in_the_policy(
    tmp_path: Path, allowed: bool
) -> None:
    """Pagefind searches in a worker, which the page's policy does not govern; where no worker can
    run, it compiles its WebAssembly in the page, which only 'wasm-unsafe-eval' permits: the reason
    SEARCH_PAGE_CSP has it. (The worker case is the test above, under SEARCH_PAGE_CSP.)"""
    site = make_site(tmp_path / "www", csp=SEARCH_PAGE_CSP if allowed else "default-src 'self'")
    index_site(site)
    with serve(site) as address, Browser(tmp_path) as browser:
        page = browser.open(f"{address}search/", before_load=WATCH_CSP + NO_WORKER)
        if allowed:
            assert search_for(page, "quokkaberry") == ["/decisions/2019-09/"]
            assert page.evaluate("window.__csp") == []
        else:
            page.evaluate(SEARCH_BOX)
            page.type("quokkaberry")
            assert page.evaluate(WASM_REFUSED) == 0


def test_opened_from_a_folder_the_page_points_to_the_year_tables(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    index_site(site)
    with Browser(tmp_path) as browser:
        page = browser.open((site / "search" / "index.html").as_uri())
        shown = page.evaluate("!document.getElementById('search-unavailable').hidden")
        links = page.evaluate(
            "Array.from(document.querySelectorAll('#search-unavailable a'))"
            ".map(function (a) { return a.getAttribute('href'); })"
        )
        box = page.evaluate("document.querySelector('.pagefind-ui__search-input') !== null")
    assert shown is True
    assert links == ["../2021/index.html", "../2020/index.html", "../2019/index.html"]
    assert box is False
