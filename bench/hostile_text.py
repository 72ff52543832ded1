"""Benchmark how jmb reads and renders hostile section text: each input against markdown-it's parse
of the same text in the same run, and each input against itself at half the size.

Usage: ``python bench/hostile_text.py [--repeat R]`` (default 3).

The inputs are those of ``tests/test_text_in_sections.py``'s attacker's pass (runs of emphasis
markers, unclosed links, deep lists, long tables...): text a drafter or a hostile clone could put in
a section. Two ratios are printed for each, as medians of R rounds:

- ``vs parse``: the time to read it into blocks (``jmb.render.blocks.blocks``) over the time
  markdown-it takes to parse it with jmb's subset of rules, which ``blocks`` does first. What jmb
  does with the tokens costs at most about as much again (ratios of 1 to 2.5 when this was
  written); a walk of the tokens that backtracks shows as a ratio that grows with the size.
- ``growth``: the time at full size over the time at half size. About 2 is linear; about 4 is
  quadratic, which at these sizes means minutes for a record that a user can hardly see is odd.
  (The deepening list's text is four times as long at full size: 4 is linear there.)

Then a table of 10,000 rows is rendered in HTML, Markdown and DOCX against the same rows written as
prose paragraphs (the table's cells are laid out, the paragraphs only escaped). The machines are
shared and noisy: quote the ratios, the seconds are context.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# _PARSER is the markdown-it, with jmb's subset of rules, that blocks() runs first.
from jmb.render.blocks import _PARSER, blocks
from jmb.render.part1 import part1_view
from jmb.render.renderer import Renderer, load_record
from jmb.repo.config import Config

RECORD = (
    Path(__file__).resolve().parent.parent / "records" / "2019" / "2019-09-single-online-home.yaml"
)

#: Each hostile input as a function of its size (the repetitions of its unit).
HOSTILE: dict[str, Callable[[int], str]] = {
    "emphasis openers '*a '": lambda n: "*a " * n,
    "unclosed links '[a]('": lambda n: "[a](" * n,
    "brackets '[[[...]]]'": lambda n: "[" * n + "]" * n,
    "image openers '!['": lambda n: "![" * n,
    "underscores '_a '": lambda n: "_a " * n,
    "nested list markers '- - -'": lambda n: "- " * (n // 4) + "x",
    "nested quotes '> > >'": lambda n: "> " * (n // 4) + "x",
    "table rows": lambda n: "| a |\n| --- |\n" + "| 1 |\n" * (n // 2),
    "list items '- a'": lambda n: "- a\n" * n,
    "deepening list": lambda n: "".join("  " * depth + "- x\n" for depth in range(n // 10)),
    "strong markers '**'": lambda n: "**" * n,
    "ampersands": lambda n: "&" * (n * 5 // 2) + "lt;",
    "hard breaks 'a  '": lambda n: "a  \n" * n,
}
SIZE = 20000
_T = TypeVar("_T")


def seconds(work: Callable[[_T], object], argument: _T) -> float:
    """The wall time of ``work(argument)``."""
    started = time.perf_counter()
    work(argument)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat

    print(f"Reading section text into blocks; median of {repeat} rounds")
    print(f"{'input':30} {'chars':>8} {'seconds':>8} {'vs parse':>9} {'growth':>7}")
    for name, make in HOSTILE.items():
        full, half = make(SIZE), make(SIZE // 2)
        against_parse, growth, taken = [], [], []
        for _ in range(repeat):
            hostile_time = seconds(blocks, full)
            against_parse.append(hostile_time / seconds(_PARSER.parse, full))
            growth.append(hostile_time / seconds(blocks, half))
            taken.append(hostile_time)
        print(
            f"{name:30} {len(full):8} {statistics.median(taken):8.3f} "
            f"{statistics.median(against_parse):8.1f}x {statistics.median(growth):6.2f}x"
        )

    print(f"\nRendering a 10,000-row table against the same rows as prose; median of {repeat}")
    table = "| Row | Value |\n| --- | --- |\n" + "".join(f"| {n} | v{n} |\n" for n in range(10000))
    paragraphs = "".join(f"Row {n} has the value v{n}.\n\n" for n in range(10000))
    config = Config(root=RECORD.parent.parent.parent)
    record = load_record(RECORD)
    renderer = Renderer(config)
    views = {
        text_kind: part1_view(record.model_copy(update={"background": text}), config, draft=False)
        for text_kind, text in (("table", table), ("prose", paragraphs))
    }
    print(f"{'format':8} {'table s':>8} {'prose s':>8} {'ratio':>7}")
    for fmt in ("html", "md", "docx"):
        rounds = [
            (
                seconds(partial(renderer.render, fmt=fmt), views["table"]),  # type: ignore[arg-type]
                seconds(partial(renderer.render, fmt=fmt), views["prose"]),  # type: ignore[arg-type]
            )
            for _ in range(repeat)
        ]
        table_s = statistics.median(t for t, _ in rounds)
        prose_s = statistics.median(p for _, p in rounds)
        ratio = statistics.median(t / p for t, p in rounds)
        print(f"{fmt:8} {table_s:8.3f} {prose_s:8.3f} {ratio:6.2f}x")


if __name__ == "__main__":
    main()
