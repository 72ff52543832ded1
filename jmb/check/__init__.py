"""``jmb validate``: the rules, the engine that runs them, suppressions, results and reporters.

Every check of a record exists once, as a rule under :mod:`jmb.check.rules`; signing and status
changes run the same rules rather than checks of their own. Part 2 content is read here only by the
rules that check it (``rules/base.py`` and ``rules/part2_*.py``).

It imports :mod:`jmb.repo`, :mod:`jmb.record` and :mod:`jmb.core`, and never signing, rendering,
publishing, importing, serving or the command line (sign, render, publish, ingest, serve, cli): they
are built on the checks, not the other way round. ``lint-imports`` enforces this.
"""
