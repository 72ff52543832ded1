"""Rendered HTML passes axe-core's WCAG 2.2 AA rules in headless Chromium.

Public bodies must meet the accessibility regulations. The test injects axe-core (the npm package in
tests/a11y, installed by .ci/run) into a copy of each rendered page, lets Debian's Chromium run it
headless, and reads the violations back from the page's DOM. Outside CI, without Chromium or
axe-core, the test is skipped; in CI it fails instead, so a missing install cannot pass unseen.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from jmb.render.renderer import render
from jmb.repo.config import Config
from tests.conftest import ROOT, TODAY

AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

RUNNER = """<script>{axe}</script><script>
axe.run(document, {{runOnly: {{type: "tag", values: {tags}}}, resultTypes: ["violations"]}})
  .then(function (results) {{
    var out = document.createElement("pre");
    out.id = "axe-results";
    out.textContent = JSON.stringify(results.violations.map(function (v) {{
      return {{id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(function (n) {{ return n.target.join(" "); }})}};
    }}));
    document.documentElement.appendChild(out);
  }});
</script>"""


def axe_violations(page: Path, work: Path) -> list[dict[str, object]]:
    if CHROMIUM is None or not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail("Chromium and axe-core must be installed in CI (.ci/run installs them)")
        pytest.skip("Chromium or axe-core is not installed (.ci/run installs both)")
    runner = RUNNER.format(axe=AXE.read_text(encoding="utf-8"), tags=json.dumps(TAGS))
    probe = work / f"axe-{page.name}"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", runner + "</body>"))
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
    found = re.search(r'<pre id="axe-results">(.*?)</pre>', result.stdout, re.DOTALL)
    assert found, f"axe did not report; Chromium said: {result.stderr[-2000:]}"
    import html

    violations: list[dict[str, object]] = json.loads(html.unescape(found.group(1)))
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
