"""``jmb serve``: a live preview of the repository for the person drafting, on this machine only.

It owns the preview (:mod:`~jmb.serve.preview`: the register, each record's Part 1 as ``jmb render``
makes it with its findings beside it, its Part 2 on a page of its own, and the error of a file that
cannot be read, where the preview was), the web application that serves it
(:mod:`~jmb.serve.app`: pages, the server-sent events that refresh them, the repository watched for
saved files, the checks every request passes) and the local server (:mod:`~jmb.serve.server`: bound
to a loopback address only, stopped cleanly by Ctrl-C or SIGTERM).

It only reads: nothing it does writes to the repository. It may import render, sign, check, repo,
record and core; it never imports publish, ingest or the command line (publish, ingest, cli), and
reaches Part 2 only through :mod:`jmb.render.renderer` (the ``part2-readers`` import contract).
"""
