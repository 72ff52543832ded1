"""Rendered HTML passes axe-core's WCAG 2.2 AA rules in headless Chromium.

Public bodies must meet the accessibility regulations. The test adds axe-core (the npm package in
tests/a11y, installed by .ci/run) to a copy of each rendered page, lets Debian's Chromium run it
headless, and reads the violations back from the page's DOM. axe-core is added as a script file
beside the page, not inline: the public website's Content-Security-Policy forbids inline scripts, and
the page is checked as it is, policy included. Outside CI, without Chromium or axe-core, the test is
skipped; in CI it fails instead, so a missing install cannot pass unseen.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from jmb.render.renderer import render
from jmb.repo.config import Config
from tests.conftest import ROOT, TODAY

AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

#: The first script of every probe: ``jmbReport(text)`` puts what a probe found into the page, where
#: Chromium's ``--dump-dom`` shows it.
REPORTER = """function jmbReport(text) {
  var out = document.createElement("pre");
  out.id = "jmb-probe-result";
  out.textContent = text;
  document.documentElement.appendChild(out);
}
"""

RUNNER = """axe.run(document, {{runOnly: {{type: "tag", values: {tags}}}, resultTypes: ["violations"]}})
  .then(function (results) {{
    jmbReport(JSON.stringify(results.violations.map(function (v) {{
      return {{id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(function (n) {{ return n.target.join(" "); }})}};
    }})));
  }});
"""


def require_browser() -> None:
    """Skip the calling test where Chromium or axe-core is missing, except in CI, where it fails."""
    if CHROMIUM is None or not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail("Chromium and axe-core must be installed in CI (.ci/run installs them)")
        pytest.skip("Chromium or axe-core is not installed (.ci/run installs both)")


def run_in_page(page: Path, work: Path, scripts: Sequence[str]) -> str:
    """What ``scripts`` (JavaScript, run in order at the end of the body of a copy of ``page`` in
    headless Chromium) report with ``jmbReport(text)``.

    The copy and the scripts are files beside the page, removed afterwards: the copy's relative links
    resolve as the page's own do, and the scripts load as the page's own files, so a
    Content-Security-Policy that forbids inline scripts (the public website's) stays in force.
    """
    require_browser()
    assert CHROMIUM is not None
    files = [page.with_name(f"jmb-probe-{index}.js") for index in range(len(scripts) + 1)]
    probe = page.with_name(f"jmb-probe-{page.name}")
    before, body_end, after = page.read_text(encoding="utf-8").rpartition("</body>")
    assert body_end, f"{page} has no </body>"
    tags = "".join(f'<script src="{file.name}"></script>' for file in files)
    try:
        for file, source in zip(files, [REPORTER, *scripts], strict=True):
            file.write_text(source, encoding="utf-8")
        probe.write_text(before + tags + body_end + after, encoding="utf-8")
        result = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={work / 'chromium-profile'}",
                "--virtual-time-budget=30000",
                "--dump-dom",
                probe.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        for file in [probe, *files]:
            file.unlink(missing_ok=True)
    found = re.search(r'<pre id="jmb-probe-result">(.*?)</pre>', result.stdout, re.DOTALL)
    assert found, (
        "the probe did not report (does the page's Content-Security-Policy allow scripts from "
        f"'self'?); Chromium said: {result.stderr[-2000:]}"
    )
    return html.unescape(found.group(1))


def axe_violations(page: Path, work: Path) -> list[dict[str, object]]:
    """axe-core's WCAG 2.2 AA violations of ``page`` in headless Chromium (``work``: a folder for
    Chromium's profile)."""
    require_browser()
    runner = RUNNER.format(tags=json.dumps(TAGS))
    violations: list[dict[str, object]] = json.loads(
        run_in_page(page, work, [AXE.read_text(encoding="utf-8"), runner])
    )
    return violations


@pytest.mark.parametrize(
    ("source", "part", "draft"),
    [
        ("records/2019/2019-09-single-online-home.yaml", 1, True),
        ("tests/fixtures/approved-with-part2.yaml", 1, False),
        ("tests/fixtures/approved-with-part2.yaml", 2, False),
        # The bundled approved decision, as the public site shows it: signed, with a Part 2 notice.
        ("records/2019/2019-10-body-worn-video-replacement.yaml", 1, False),
    ],
)
def test_rendered_html_passes_wcag_22_aa(
    tmp_path: Path, source: str, part: int, draft: bool
) -> None:
    # A bundled record keeps its name, beside the roster its keys are checked against; a fixture
    # is a 2019/09.
    bundled = source.startswith("records/")
    name = Path(source).name if bundled else "2019-09-single-online-home.yaml"
    record = tmp_path / "records" / "2019" / name
    record.parent.mkdir(parents=True)
    shutil.copy(ROOT / source, record)
    if bundled:
        shutil.copy(ROOT / "signatories.yaml", tmp_path)
    (page,) = render(
        [str(record)],
        config=Config(root=tmp_path),
        part=part,
        draft=draft,
        today=TODAY,  # type: ignore[arg-type]
    ).written
    # A rendered part runs no script, and its policy says so; axe-core's probe is let in by
    # scripts from the page's own folder, the rest of the policy (inline styles only, nothing
    # fetched) staying in force as the reader's browser has it.
    text = page.read_text(encoding="utf-8")
    assert text.count("default-src 'none';") == 1
    page.write_text(text.replace("default-src 'none';", "default-src 'none'; script-src 'self';"))
    assert axe_violations(page, tmp_path) == []


def test_the_check_finds_violations(tmp_path: Path) -> None:
    """The harness itself: a page with an unlabelled image and low contrast fails."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<img src="x.png"><p style="color:#bbb;background:#fff">faint</p></main></body></html>'
    )
    assert {violation["id"] for violation in axe_violations(page, tmp_path)} == {
        "image-alt",
        "color-contrast",
    }
