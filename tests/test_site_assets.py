"""The public website's static files (templates/site/assets/, copied to the site's /assets/): GOV.UK
Frontend's CSS, pinned and with its licence, and jmb's own site.css; no stylesheet makes the site
fetch anything, from elsewhere or from a file the site does not have, and nothing of the Crown's is
shipped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

ASSETS = ROOT / "templates" / "site" / "assets"
TOOLS = ROOT / "tools" / "govuk-frontend"
GOVUK_CSS = ASSETS / "govuk-frontend.min.css"

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.))", re.DOTALL)
# What makes a stylesheet fetch a file: url(...) and the functions that take a URL as a bare string.
_URL = re.compile(r"""(?<![\w-])url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.IGNORECASE)
_STRING_URL = re.compile(r"(?<![\w-])(?:src|image-set|-webkit-image-set)\(", re.IGNORECASE)
_AT_RULE = re.compile(r"@(font-face|import)\b", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _unescape(match: re.Match[str]) -> str:
    if match.group(1) is None:
        return match.group(2)
    code = int(match.group(1), 16)
    # CSS Syntax 4.3.7: zero, a surrogate or past the last code point is U+FFFD.
    return "\ufffd" if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else chr(code)


def fetches(css: str, folder: Path) -> list[str]:
    """What a stylesheet in ``folder`` would fetch that it must not: a web font or another
    stylesheet (@font-face, @import), a URL of another site or from the top of this one (the site
    may sit under any base path), a URL the checker cannot follow, or a file ``folder`` does not
    have. A ``data:`` URL fetches nothing."""
    css = _ESCAPE.sub(_unescape, _COMMENT.sub("", css))  # @\\69mport is @import
    found = [f"@{rule.group(1).lower()}" for rule in _AT_RULE.finditer(css)]
    found += [f"{call.group(0)}...)" for call in _STRING_URL.finditer(css)]
    for url in _URL.finditer(css):
        target = next(group for group in url.groups() if group is not None)
        if target.startswith("data:"):
            continue
        if not target or _SCHEME.match(target) or target.startswith(("/", "\\")):
            found.append(f"url({target})")
            continue
        file = (folder / target.split("#")[0].split("?")[0]).resolve()
        if not file.is_relative_to(folder.resolve()) or not file.is_file():
            found.append(f"url({target}): no such file in {folder.name}/")
    return found


@pytest.mark.parametrize("name", sorted(path.name for path in ASSETS.glob("*.css")))
def test_no_shipped_stylesheet_fetches_anything(name: str) -> None:
    assert fetches((ASSETS / name).read_text(encoding="utf-8"), ASSETS) == []


def test_the_check_finds_every_fetch(tmp_path: Path) -> None:
    """The check itself, on a stylesheet that fetches in every way it knows."""
    (tmp_path / "present.svg").write_text("<svg/>")
    (tmp_path.parent / "outside.svg").write_text("<svg/>")
    css = (
        '@font-face{font-family:x;src:url("x.woff2")}@IMPORT "other.css";@\\69mport "y.css";'
        "a{background:url(https://cdn.example.com/a.png)}b{background:url('//cdn.example.com/b')}"
        "c{mask:url(/assets/c.svg)}d{background:url( present.svg )}e{background:url(missing.svg)}"
        'f{background:url("data:image/svg+xml,<svg/>")}g{background:u\\72l(http://x.test/g)}'
        "h{background:url(../outside.svg)}i{background:image-set('i.png' 1x)}"
        "/* url(https://comment.example.com/) */j{background:url()}"
    )
    assert fetches(css, tmp_path) == [
        "@font-face",
        "@import",
        "@import",
        "image-set(...)",
        "url(x.woff2): no such file in " + tmp_path.name + "/",
        "url(https://cdn.example.com/a.png)",
        "url(//cdn.example.com/b)",
        "url(/assets/c.svg)",
        "url(missing.svg): no such file in " + tmp_path.name + "/",
        "url(http://x.test/g)",
        "url(../outside.svg): no such file in " + tmp_path.name + "/",
        "url()",
    ]


def test_govuk_frontend_is_the_pinned_release_without_gds_transport() -> None:
    pinned = json.loads((TOOLS / "package.json").read_text())["dependencies"]
    locked = json.loads((TOOLS / "package-lock.json").read_text())["packages"]
    version = pinned["govuk-frontend"]
    assert locked["node_modules/govuk-frontend"]["version"] == version
    assert locked["node_modules/govuk-frontend"]["license"] == "MIT"
    assert locked["node_modules/sass"]["version"] == pinned["sass"]
    css = GOVUK_CSS.read_text(encoding="utf-8")
    first, banner, rules = css.split("\n", 2)
    assert first == '@charset "UTF-8";'
    assert banner.startswith(
        f"/*! GOV.UK Frontend {version} | MIT licence: LICENCE-govuk-frontend.txt | "
        f"built for jmb with sass {pinned['sass']} "
    )
    assert f'--govuk-frontend-version: "{version}"' in rules
    # GDS Transport is licensed for GOV.UK alone: the site's text is in the reader's system fonts.
    assert "GDS Transport" not in rules
    assert 'font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",arial' in rules


def test_govuk_frontend_ships_with_its_licence_naming_the_version() -> None:
    version = json.loads((TOOLS / "package.json").read_text())["dependencies"]["govuk-frontend"]
    licence = (ASSETS / "LICENCE-govuk-frontend.txt").read_text(encoding="utf-8")
    assert licence.startswith(f"GOV.UK Frontend {version} (npm package govuk-frontend)")
    assert licence.endswith((TOOLS / "LICENSE.txt").read_text(encoding="utf-8"))
    assert "The MIT License (MIT)" in licence
    assert "Copyright (C) 2017 Crown Copyright (Government Digital Service)" in licence


def test_nothing_of_the_crown_is_shipped() -> None:
    """GOV.UK Frontend's images (the crest, the crown in its icons) are the Crown's marks: none is
    shipped, and the CSS names none (its image URL function writes ``none``)."""
    shipped = sorted(path.name for path in ASSETS.iterdir())
    assert shipped == [
        "LICENCE-govuk-frontend.txt",
        "govuk-frontend.min.css",
        "search.js",
        "site.css",
    ]
    assert "govuk-crest" not in GOVUK_CSS.read_text(encoding="utf-8")
