"""Publishing: the register of decisions and its deadlines (``jmb list``, ``jmb due``), and, to come,
the public website and its open data (``jmb publish``).

It works on the public Part 1 only: what it says of a record comes from the record's Part 1 view
(:mod:`jmb.render.part1`) and from the record's own dates (:mod:`jmb.record.milestones`).

It may import render, check, repo, record and core, and never :mod:`jmb.render.part2` (the import
contracts protect it), signing (sign) or the command line (cli). Part 2 content has no way in.
"""
