"""The public website's layout (templates/site/layout.html.j2): GOV.UK Frontend's generic header
with the office's name and never the crown, a Content-Security-Policy that keeps every request on the
site, stylesheets linked relatively so that the site works from file:// and under any base path, and
pages that pass axe-core's WCAG 2.2 AA rules.

The page checked is tests/fixtures/site/sample-register.html.j2, a year of the register on the
layout, rendered into a small site with the shipped assets, one folder down (root "../").
"""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from jmb.core.errors import RecordError
from jmb.core.templating import Templates
from tests.conftest import ROOT
from tests.test_accessibility import axe_violations, run_in_page

ASSETS = ROOT / "templates" / "site" / "assets"

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"
)

OGL = {
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}

ROWS = [
    {
        "slug": "2019-10",
        "number": "2019/10",
        "title": "Replacement of the command and control system",
        "deciders": ["Police and Crime Commissioner", "Chief Constable"],
        "decided": "14 October 2019",
        "decided_iso": "2019-10-14",
        "published": None,
        "published_iso": None,
        "status": "Approved",
        "tag": "govuk-tag--blue",
    },
    {
        "slug": "2019-09",
        "number": "2019/09",
        "title": "Single Online Home",
        "deciders": ["Police and Crime Commissioner", "Chief Constable"],
        "decided": "18 September 2019",
        "decided_iso": "2019-09-18",
        "published": "20 September 2019",
        "published_iso": "2019-09-20",
        "status": "Published",
        "tag": "govuk-tag--green",
    },
    {
        "slug": "2019-02",
        "number": "2019/02",
        "title": "Estates strategy: disposal of the old headquarters",
        "deciders": ["Police and Crime Commissioner"],
        "decided": "4 February 2019",
        "decided_iso": "2019-02-04",
        "published": "6 February 2019",
        "published_iso": "2019-02-06",
        "status": "Withdrawn",
        "tag": "govuk-tag--grey",
    },
]


def site_values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "organisation": "Office of the Police and Crime Commissioner for Lancashire",
        "board": "Joint Management Board",
        "licence": OGL,
        "search": True,
        "feed": True,
    }
    return {**values, **changes}


def render_sample(site: dict[str, Any], *, root: str = "../", **context: Any) -> str:
    templates = Templates([ROOT / "tests" / "fixtures", ROOT / "templates"], autoescape=True)
    return templates.render(
        "site/sample-register.html.j2",
        site=site,
        root=root,
        page_title="Decisions of 2019",
        year=2019,
        years=[2020, 2018],
        rows=ROWS,
        **{"current": "register", **context},
    )


def build_sample_site(folder: Path, site: dict[str, Any] | None = None) -> Path:
    """A site with the shipped assets and the sample page one folder down; the page's path."""
    shutil.copytree(ASSETS, folder / "assets")
    page = folder / "2019" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(render_sample(site or site_values()), encoding="utf-8")
    return page


class Page(HTMLParser):
    """What the tests look at in a page: its elements in order, with their attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: dict[int, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        if self.elements:
            index = len(self.elements) - 1
            self.texts[index] = self.texts.get(index, "") + data

    def find(self, tag: str, **attributes: str) -> list[dict[str, str]]:
        return [
            attrs
            for name, attrs in self.elements
            if name == tag and all(attrs.get(key) == value for key, value in attributes.items())
        ]

    def text_of(self, tag: str, **attributes: str) -> list[str]:
        return [
            self.texts.get(index, "").strip()
            for index, (name, attrs) in enumerate(self.elements)
            if name == tag and all(attrs.get(key) == value for key, value in attributes.items())
        ]


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def test_the_policy_comes_first_and_allows_only_the_site(tmp_path: Path) -> None:
    page = parse(render_sample(site_values()))
    (html,) = page.find("html")
    assert html == {"lang": "en-GB", "class": "govuk-template"}
    assert page.find("body") == [{"class": "govuk-template__body"}]
    # The policy is in force before anything is fetched: right after the encoding, first in <head>.
    assert [tag for tag, _ in page.elements[1:4]] == ["head", "meta", "meta"]
    assert page.elements[2][1] == {"charset": "utf-8"}
    assert page.elements[3][1] == {"http-equiv": "Content-Security-Policy", "content": CSP}


def test_no_inline_script_or_style_and_every_file_is_the_sites_own(tmp_path: Path) -> None:
    text = build_sample_site(tmp_path).read_text(encoding="utf-8")
    page = parse(text)
    assert page.find("script") == []
    assert page.find("style") == []
    assert all("style" not in attrs for _, attrs in page.elements)
    stylesheets = [attrs["href"] for attrs in page.find("link", rel="stylesheet")]
    assert stylesheets == ["../assets/govuk-frontend.min.css", "../assets/site.css"]
    for href in stylesheets:
        assert (tmp_path / "2019" / href).resolve().is_file()
    # Every link to the site's own pages and data is relative, from the page's folder.
    for attrs in page.find("a"):
        href = attrs["href"]
        if attrs.get("rel") == "license":
            assert href == OGL["path"]
        else:
            assert href.startswith(("../", "#")), href


def test_generic_header_with_the_offices_name_never_the_crown() -> None:
    text = render_sample(site_values(organisation="Office of the PCC for <Lancashire> & Co"))
    page = parse(text)
    assert page.find("a", **{"class": "govuk-generic-header__homepage-link"}) == [
        {"href": "../index.html", "class": "govuk-generic-header__homepage-link"}
    ]
    assert page.text_of("a", **{"class": "govuk-generic-header__homepage-link"}) == [
        "Office of the PCC for <Lancashire> & Co"
    ]
    assert "&lt;Lancashire&gt; &amp; Co" in text
    assert page.find("title") and "Decisions of 2019 - Office of the PCC" in text
    for crown in (
        "govuk-header",
        "govuk-logo",
        "govuk-footer__crown",
        "govuk-footer__copyright-logo",
        "Crown copyright",
        "<svg",
        "<img",
    ):
        assert crown not in text


def test_navigation_marks_the_current_page_and_offers_search_and_feed_only_if_they_exist() -> None:
    page = parse(render_sample(site_values()))
    links = page.find("a", **{"class": "govuk-service-navigation__link"})
    assert links == [
        {
            "class": "govuk-service-navigation__link",
            "href": "../index.html",
            "aria-current": "page",
        },
        {"class": "govuk-service-navigation__link", "href": "../search/index.html"},
    ]
    assert page.find("link", rel="alternate") == [
        {
            "rel": "alternate",
            "type": "application/atom+xml",
            "href": "../data/feed.xml",
            "title": "Joint Management Board decisions",
        }
    ]
    footer = [attrs["href"] for attrs in page.find("a", **{"class": "govuk-footer__link"})]
    assert footer == [
        "../data/decisions.csv",
        "../data/decisions.json",
        "../data/datapackage.json",
        "../data/feed.xml",
        OGL["path"],
    ]

    text = render_sample(site_values(search=False, feed=False), root="", current="search")
    page = parse(text)
    assert page.find("a", **{"class": "govuk-service-navigation__link"}) == [
        {"class": "govuk-service-navigation__link", "href": "index.html"}
    ]
    assert page.find("link", rel="alternate") == []
    assert "feed.xml" not in text
    assert "Open Government Licence v3.0" in text


def test_sample_register_page_passes_wcag_22_aa(tmp_path: Path) -> None:
    assert axe_violations(build_sample_site(tmp_path / "site"), tmp_path) == []


PROBE = """
var styles = function (selector) { return getComputedStyle(document.querySelector(selector)); };
jmbReport(JSON.stringify({
  sheets: Array.prototype.map.call(document.styleSheets, function (sheet) { return sheet.href; }),
  header: styles(".govuk-generic-header").backgroundColor,
  font: styles(".govuk-table").fontFamily,
  scroll: styles(".jmb-table-scroll").overflowX,
  fontFaces: document.fonts.size
}));
"""


def test_the_stylesheets_apply_under_the_policy_from_file_one_folder_down(tmp_path: Path) -> None:
    site = tmp_path / "site"
    page = build_sample_site(site)
    found = json.loads(run_in_page(page, tmp_path, [PROBE]))
    assert found["sheets"] == [
        (site / "assets" / name).as_uri() for name in ("govuk-frontend.min.css", "site.css")
    ]
    # GOV.UK Frontend's generic header is black, its text in the system's fonts; site.css is read.
    assert found["header"] == "rgb(11, 12, 12)"
    assert found["font"].startswith("system-ui, -apple-system")
    assert found["scroll"] == "auto"
    # No web font: nothing to fetch, from the site or elsewhere.
    assert found["fontFaces"] == 0


@pytest.mark.parametrize("missing", ["organisation", "board", "licence", "search", "feed"])
def test_every_site_value_is_required(missing: str) -> None:
    """A site value the builder forgot is a template error, not an empty header or a dead link."""
    values = site_values()
    del values[missing]
    with pytest.raises(RecordError, match=f"layout.html.j2:[0-9]+: template error: .*'{missing}'"):
        render_sample(values)
