"""One decision record on its own: its model, its file and what a signature covers.

It owns the pydantic models of record format 1 (:mod:`~jmb.record.model`), the form's sections,
reading a record file with every position kept (:mod:`~jmb.record.document`, with jmb's one YAML
reader), the JSON Schema, the canonical content and its digest, and editing a YAML file in place.

It imports only :mod:`jmb.core`, and never the repository, the checks, signing, rendering or the
command line (repo, check, sign, render, cli, nor anything above them): a record knows nothing of
where it is kept or who reads it. ``lint-imports`` enforces this.
"""
