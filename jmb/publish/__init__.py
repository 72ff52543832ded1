"""Publishing: the register of decisions and its deadlines (``jmb list``, ``jmb due``), and the public
website with its open data (``jmb publish``).

It works on the public Part 1 only: what it says of a record comes from the record's Part 1 view
(:mod:`jmb.render.part1`) and from the record's own dates (:mod:`jmb.record.milestones`).

It may import render, check, repo, record and core, and of sign only the lifecycle (to record a
publication as ``jmb status`` does); never :mod:`jmb.render.part2`, keys or signing (the import
contracts protect it), nor the command line (cli). Part 2 content has no way in.
"""
