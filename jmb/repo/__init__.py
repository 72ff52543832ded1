"""A decision repository: many records in a folder, and what they share.

It owns the configuration (``jmb.toml``), finding the records and their numbers fast, the numbering
pattern, the roster of public keys (``signatories.yaml``) and allocating a new record.

It imports :mod:`jmb.record` and :mod:`jmb.core` only, and never the checks, signing, rendering or the
command line (check, sign, render, cli, nor anything above them). ``lint-imports`` enforces this.
"""
