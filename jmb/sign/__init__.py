"""Changing a record's standing: signing keys, signatures, status moves and verification.

It owns the private key file (:mod:`~jmb.sign.keys`), ``jmb sign``, ``jmb status``, the safe change of
a record file they share (:mod:`~jmb.sign.transaction`) and ``jmb verify``; each refuses a change by
running the rules of :mod:`jmb.check` on the record as it would be after it.

It may import check, repo, record and core, and never rendering (render and sign are independent of
each other), publishing, importing, serving or the command line (render, publish, ingest, serve, cli).
``lint-imports`` enforces this.
"""
