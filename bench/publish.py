"""Benchmark ``jmb publish``: a cold build of the public site, and a rebuild after one record changed.

Usage: ``python bench/publish.py [N] [--repeat R] [--memory]`` (N public records, default 10000).

The repository is ``bench/corpus.py``'s (reference-sized records, seeded), less every record the site
would not carry or would refuse (drafts, submitted, deferred, withdrawn, rejected, and those with a
seeded defect), so that every contender works on the same N approved and published records. Each
measure is its own cold subprocess timed by wall clock, in the same run:

- cold build: ``jmb publish --formats html --no-search`` into an empty folder (pages, register,
  open data, feed and sitemap), against ``jmb render --all --format html`` of the same records
  (target: at most 2x). ``jmb render`` checks in one process, so publish is timed with
  ``--jobs 1`` for the ratio, and with its default (a process a CPU) for context.
- rebuild after one record changed (moved to published by ``jmb status``, as a deploy records its
  publication): ``jmb publish`` again, against ``jmb validate`` of the repository (target: at most
  1.5x). The files it rewrote are counted: its page, the register pages that list it, the data.
- with ``--memory``, the peak resident memory of the cold build (the largest process).
- with ``--search``, the cold build with its Pagefind index too, its time and peak memory (Pagefind
  holds the whole index in memory while it writes it).

The machines are shared and noisy, so quote the ratios; the seconds are context. ``--repeat`` runs
the rounds and reports the median of each ratio.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from corpus import SEED, build_repository
from harness import must_succeed, ratio_line, timed, tool

PUBLIC = ("status: approved", "status: published")


def public_repository(repo: Path, wanted: int, seed: int) -> list[Path]:
    """A repository of about ``wanted`` clean approved and published records (see the module)."""
    count = wanted
    for _ in range(4):
        if repo.exists():
            shutil.rmtree(repo)
        paths, defective, _ = build_repository(repo, count, seed)
        kept = []
        for name in paths:
            path = repo / name
            text = path.read_text(encoding="utf-8")
            if name in defective or not any(f"\n{status}\n" in text for status in PUBLIC):
                path.unlink()
            else:
                kept.append(path)
        if len(kept) >= wanted * 0.98:
            return kept
        count = int(count * wanted / max(len(kept), 1)) + 10
    return kept


def peak_memory(command: Sequence[str], cwd: Path) -> float:
    """The peak resident memory of the largest process ``command`` ran, in MB."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], cwd=cwd, capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip()) / 1024


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=10000, help="public records (10000)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds (1)")
    parser.add_argument("--memory", action="store_true", help="also measure peak memory")
    parser.add_argument("--search", action="store_true", help="also build with the search index")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed")
    options = parser.parse_args(argv)
    jmb = tool("jmb")
    cold_ratios: list[float] = []
    rebuild_ratios: list[float] = []
    with tempfile.TemporaryDirectory(prefix="jmb-publish-bench-") as folder:
        repo = Path(folder) / "repo"
        kept = public_repository(repo, options.count, options.seed)
        approved = [path for path in kept if "\nstatus: approved\n" in path.read_text()]
        print(f"{len(kept)} public records ({len(approved)} approved, the rest published)")
        site = ["--formats", "html", "--no-search", "--base-url", "https://example.org/"]
        for round_number in range(options.repeat):
            for built in ("site", "site-all-cpus", "build"):
                shutil.rmtree(repo / built, ignore_errors=True)
            render = timed([jmb, "render", "--all", "--format", "html", "--out", "build"], repo)
            must_succeed(render, "jmb render --all")
            cold = timed([jmb, "publish", *site, "--jobs", "1", "--out", "site"], repo)
            must_succeed(cold, "jmb publish (cold)")
            cold_all = timed([jmb, "publish", *site, "--out", "site-all-cpus"], repo)
            must_succeed(cold_all, "jmb publish (cold, every CPU)")
            # One record changes as a deploy changes it: moved to published.
            changed = approved[round_number % len(approved)]
            moved = subprocess.run(
                [jmb, "status", str(changed.relative_to(repo)), "published"],
                cwd=repo,
                capture_output=True,
                text=True,
                check=False,
            )
            if moved.returncode != 0:
                raise SystemExit(f"jmb status failed: {moved.stderr[-2000:]}")
            rebuild = timed([jmb, "publish", *site, "--out", "site"], repo)
            must_succeed(rebuild, "jmb publish (rebuild)")
            check = timed([jmb, "validate", "--format", "text"], repo)
            if check.returncode not in (0, 1):
                raise SystemExit(f"jmb validate failed: {check.stderr[-2000:]}")
            cold_ratios.append(cold.wall / render.wall)
            rebuild_ratios.append(rebuild.wall / check.wall)
            print(
                f"round {round_number + 1}: render --all {render.wall:.2f} s; publish cold "
                f"{cold.wall:.2f} s (--jobs 1), {cold_all.wall:.2f} s (every CPU); rebuild "
                f"{rebuild.wall:.2f} s; validate {check.wall:.2f} s"
            )
            print(f"  rebuild: {rebuild.stdout.strip()}")
        if options.memory:
            shutil.rmtree(repo / "site-memory", ignore_errors=True)
            memory = peak_memory([jmb, "publish", *site, "--out", "site-memory"], repo)
            print(f"cold build peak memory: {memory:.0f} MB (largest process)")
        if options.search:
            shutil.rmtree(repo / "site-search", ignore_errors=True)
            searched = [jmb, "publish", "--formats", "html", "--out", "site-search"]
            start = time.perf_counter()
            memory = peak_memory(searched, repo)
            print(
                f"cold build with search: {time.perf_counter() - start:.1f} s, peak memory "
                f"{memory:.0f} MB (largest process: Pagefind)"
            )
    print("ratios (median of rounds; quote these, not the seconds):")
    print(ratio_line("publish cold / render --all html", statistics.median(cold_ratios), "<=", 2))
    print(ratio_line("publish rebuild / validate", statistics.median(rebuild_ratios), "<=", 1.5))
    return 0


if __name__ == "__main__":
    sys.exit(main())
