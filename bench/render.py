"""Benchmark ``jmb render``: HTML records per second over a batch, and the time per PDF.

Usage: ``python bench/render.py [N] [--pdfs P] [--repeat R]`` (N records, default 1000; P of them as
PDFs, default 20).

What is measured, each as its own cold subprocess timed by wall clock, in the same run:

- ``jmb render --all --draft --format html`` over N generated records (the repository of
  ``bench/corpus.py``: reference-sized records, seeded): one process for the batch, as the issue
  asks. ``--draft`` so the few records with seeded defects render too.
- its floor: one Python process that reads the same records with libyaml and renders jmb's own
  ``part1.html.j2`` with plain Jinja, no validation, no view. The ratio is what jmb's checks, views
  and atomic writes cost on top of the template.
- ``jmb render --format pdf --jobs 1`` of P records, and its floor: WeasyPrint alone turning the same
  P HTML files into PDFs in one process. The ratio is jmb's overhead per PDF.

The machines are shared and noisy, so quote the ratios; the seconds are context. ``--repeat`` runs the
rounds in rotating order and reports the median of each ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from corpus import SEED, build_repository
from harness import PROJECT, must_succeed, timed, tool

HTML_FLOOR = """\
import sys, pathlib, yaml, jinja2
sys.path.insert(0, {project!r})
from jmb.repo.config import Config
from jmb.render.part1 import part1_view
from jmb.record.model import Record
templates = {templates!r}
environment = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), autoescape=True)
template = environment.get_template("part1.html.j2")
stylesheet = (pathlib.Path(templates) / "style.css").read_text()
config = Config(root=pathlib.Path.cwd())
out = pathlib.Path("floor-html")
out.mkdir(exist_ok=True)
count = 0
for path in sorted(pathlib.Path("records").rglob("*.yaml")):
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    view = part1_view(Record.model_validate(data), config, draft=True)
    (out / (path.stem + ".html")).write_text(template.render(view=view, stylesheet=stylesheet))
    count += 1
print(count)
"""

PDF_FLOOR = """\
import pathlib, sys, weasyprint
out = pathlib.Path("floor-pdf")
out.mkdir(exist_ok=True)
names = sys.argv[1:]
for name in names:
    html = pathlib.Path(name)
    weasyprint.HTML(filename=str(html)).write_pdf(out / (html.stem + ".pdf"), pdf_variant="pdf/ua-1")
print(len(names))
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=1000, help="records (1000)")
    parser.add_argument("--pdfs", type=int, default=20, help="records rendered as PDF (20)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds (1)")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed")
    options = parser.parse_args(argv)
    jmb = tool("jmb")
    python = sys.executable
    html_ratios: list[float] = []
    pdf_ratios: list[float] = []
    with tempfile.TemporaryDirectory(prefix="jmb-render-bench-") as folder:
        repo = Path(folder)
        paths, _, total = build_repository(repo, options.count, options.seed)
        print(f"{len(paths)} records, {total / len(paths) / 1024:.1f} KB each on average")
        floor_script = HTML_FLOOR.format(project=str(PROJECT), templates=str(PROJECT / "templates"))
        numbers = [_number(repo / path) for path in paths[: options.pdfs]]
        for round_number in range(options.repeat):
            html = timed([jmb, "render", "--all", "--draft", "--format", "html"], repo)
            must_succeed(html, "jmb render html")
            floor = timed([python, "-c", floor_script], repo)
            must_succeed(floor, "floor html")
            # One process, as WeasyPrint alone is: the overhead a PDF, not the cores (bench/pdfs.py).
            one_process = ["--draft", "--format", "pdf", "--out", "jmb-pdf", "--jobs", "1"]
            pdf = timed([jmb, "render", *numbers, *one_process], repo)
            must_succeed(pdf, "jmb render pdf")
            pages = sorted(str(repo / "build" / f"{_stem(n)}-part1.html") for n in numbers)
            weasy = timed([python, "-c", PDF_FLOOR, *pages], repo)
            must_succeed(weasy, "floor pdf")
            html_ratios.append(html.wall / floor.wall)
            pdf_ratios.append(pdf.wall / weasy.wall)
            print(
                f"round {round_number + 1}: "
                f"jmb html {html.wall:.2f} s ({len(paths) / html.wall:.0f} records/s), "
                f"floor {floor.wall:.2f} s ({len(paths) / floor.wall:.0f}/s); "
                f"jmb pdf {pdf.wall / len(numbers):.3f} s/PDF, "
                f"WeasyPrint alone {weasy.wall / len(numbers):.3f} s/PDF"
            )
    print("ratios (median of rounds; quote these, not the seconds):")
    print(f"  jmb render html / bare Jinja render    {statistics.median(html_ratios):.2f}x")
    print(f"  jmb render pdf / WeasyPrint alone      {statistics.median(pdf_ratios):.2f}x")
    return 0


def _number(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("number:"):
            return line.split(":", 1)[1].strip().strip('"')
    raise SystemExit(f"{path} has no number line")


def _stem(number: str) -> str:
    return number.replace("/", "-").lower()


if __name__ == "__main__":
    sys.exit(main())
