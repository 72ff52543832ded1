"""The bottom layer: what every other part of jmb stands on, and nothing about decisions.

It owns the exception root (:mod:`~jmb.core.errors`), findings (:mod:`~jmb.core.findings`), the exit
codes and format version (:mod:`~jmb.core.constants`), atomic writes, locks, work spread over worker
processes (:mod:`~jmb.core.processes`), how paths and pydantic locations are shown, and where jmb's
own files are.

It never imports another jmb package (record, repo, check, sign, render, cli or any added later): it
is imported by all of them. The import contracts in ``pyproject.toml`` (``lint-imports``) enforce this.
"""
